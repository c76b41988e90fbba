// Outbox: this generation's backlog (pending, dead-lettered, the oldest pending event's
// age) and requeue of a dead-lettered event by id (GET /v1/authoring/{id} shows its
// status first). Admin only; the store keeps no list of dead events to browse.
import { api, session } from "./api.js";
import { el, show, badge, message, json } from "./dom.js";

export async function outboxView(root, signal) {
  if (!session.scopes.admin) return show(root, el("h2", {}, "Outbox"), message("warn", "The outbox view needs the admin scope."));
  const backlog = await api("/v1/outbox", { signal });
  const id = el("input", { id: "event-id", name: "event_id", type: "number", min: 1, required: true });
  const result = el("div", { "aria-live": "polite" });
  const form = el("form", { class: "card" }, el("label", { for: "event-id" }, "Outbox event id"), id,
    el("button", { type: "submit" }, "Look up"), result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const eventId = Number.parseInt(id.value, 10);
    try {
      const status = await api(`/v1/authoring/${eventId}`);
      const requeue = el("button", { type: "button", class: "danger" }, "Requeue this dead event");
      requeue.addEventListener("click", async () => {
        try {
          await api(`/v1/outbox/${eventId}/requeue`, { method: "POST" });
          show(result, message("ok", `Event ${eventId} is pending again.`));
        } catch (error) { show(result, message("bad", error.message)); }
      });
      show(result, el("p", {}, `Event ${eventId}: `, status.status === "dead" ? badge("bad", "dead") : badge("info", String(status.status))),
        status.status === "dead" ? requeue : null, json(status));
    } catch (error) {
      show(result, message("bad", error.message));
    }
  });
  show(root, el("h2", {}, "Outbox"),
    el("dl", { class: "facts", id: "backlog" },
      el("dt", {}, "Generation"), el("dd", {}, backlog.generation),
      el("dt", {}, "Pending"), el("dd", {}, backlog.pending),
      el("dt", {}, "Dead letters"), el("dd", {}, backlog.dead > 0 ? badge("bad", `${backlog.dead} dead`) : badge("ok", "none")),
      el("dt", {}, "Oldest pending"), el("dd", {}, `${Number(backlog.oldest_pending_age_seconds ?? 0).toFixed(1)} s`)),
    el("h3", {}, "Requeue a dead letter"), form);
}
