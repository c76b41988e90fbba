// Outbox: this generation's backlog (pending, dead-lettered, the oldest pending event's
// age), the dead letters of every generation (GET /v1/outbox/dead: id, topic, attempts,
// last error; never the payload), each with a requeue behind a confirmation, and a
// look-up of any event's status by id (GET /v1/authoring/{id}). Admin only.
import { api, session } from "./api.js";
import { el, show, badge, message, json, time, clip } from "./dom.js";

// Dead letters listed at most.
const DEAD_LIMIT = 100;

export async function outboxView(root, signal, notice) {
  if (!session.scopes.admin) return show(root, el("h2", {}, "Outbox"), message("warn", "The outbox view needs the admin scope."));
  const [backlog, dead] = await Promise.all([api("/v1/outbox", { signal }), api(`/v1/outbox/dead?limit=${DEAD_LIMIT}`, { signal })]);
  const status = el("div", { "aria-live": "polite" }, notice ? message("ok", notice) : null);
  // After a requeue: the view again, with what was done said at the top.
  const requeued = (eventId) => outboxView(root, signal, `Event ${eventId} is pending again.`);
  const id = el("input", { id: "event-id", name: "event_id", type: "number", min: 1, required: true });
  const result = el("div", { "aria-live": "polite" });
  const form = el("form", { class: "card" }, el("label", { for: "event-id" }, "Outbox event id"), id,
    el("button", { type: "submit" }, "Look up"), result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const eventId = Number.parseInt(id.value, 10);
    try {
      const state = await api(`/v1/authoring/${eventId}`);
      show(result, el("p", {}, `Event ${eventId}: `, state.status === "dead" ? badge("bad", "dead") : badge("info", String(state.status))),
        state.status === "dead" ? requeueButton(eventId, result, requeued) : null, json(state));
    } catch (error) {
      show(result, message("bad", error.message));
    }
  });
  const events = Array.isArray(dead?.events) ? dead.events : [];
  const rows = events.map((e) => el("tr", {},
    el("td", {}, String(e.event_id)),
    el("td", {}, String(e.generation ?? "—")),
    el("td", {}, el("code", {}, e.topic)),
    el("td", {}, String(e.attempts)),
    el("td", {}, e.last_error ? el("pre", {}, clip(e.last_error, 500)) : "—"),
    el("td", {}, time(e.created_at)),
    el("td", {}, requeueButton(e.event_id, status, requeued))));
  show(root, el("h2", {}, "Outbox"), status,
    el("dl", { class: "facts", id: "backlog" },
      el("dt", {}, "Generation"), el("dd", {}, backlog.generation),
      el("dt", {}, "Pending"), el("dd", {}, backlog.pending),
      el("dt", {}, "Dead letters"), el("dd", {}, backlog.dead > 0 ? badge("bad", `${backlog.dead} dead`) : badge("ok", "none")),
      el("dt", {}, "Oldest pending"), el("dd", {}, `${Number(backlog.oldest_pending_age_seconds ?? 0).toFixed(1)} s`)),
    el("h3", {}, "Dead letters"),
    el("table", { id: "dead-letters" },
      el("caption", {}, `${events.length} dead letter(s), every generation, newest first${events.length === DEAD_LIMIT ? ` (the newest ${DEAD_LIMIT})` : ""}`),
      el("thead", {}, el("tr", {}, ["Event", "Generation", "Topic", "Attempts", "Last error", "Created", ""].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 7 }, "No dead letters.")))),
    el("h3", {}, "Look up an event"), form);
}

// Requeue, asked first: the question and Confirm/Cancel appear in place of the button.
function requeueButton(eventId, status, done) {
  const box = el("div", { class: "confirm" });
  const ask = el("button", { type: "button", class: "danger" }, "Requeue…");
  ask.addEventListener("click", () => {
    const yes = el("button", { type: "button", class: "danger" }, "Confirm: requeue");
    const no = el("button", { type: "button" }, "Cancel");
    no.addEventListener("click", () => show(box, ask));
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      try {
        await api(`/v1/outbox/${eventId}/requeue`, { method: "POST" });
        await done(eventId);
      } catch (error) {
        show(status, message("bad", error.message));
        show(box, ask);
      }
    });
    show(box, el("p", {}, `Move event ${eventId} back to pending, its attempts reset?`), yes, " ", no);
    yes.focus();
  });
  return show(box, ask);
}
