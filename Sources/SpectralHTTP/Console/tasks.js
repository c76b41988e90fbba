// Authoring tasks: the list (GET /v1/authoring/tasks, newest first, filtered by status, a
// page at a time), start one from a form, follow its live stream (GET …/events, read with
// fetch: EventSource cannot send the key), send a follow-up message, cancel.
import { api, session, streamEvents } from "./api.js";
import { el, show, badge, message, clip, time } from "./dom.js";

// At most this many events are kept on the page; the oldest go first.
const MAX_EVENTS = 500;
const ENDED = new Set(["published", "held", "rejected", "failed", "cancelled"]);
const STATUSES = ["queued", "running", "submitted", "published", "held", "rejected", "failed", "cancelled"];
const PAGE = 50;

function statusBadge(status) {
  const kind = status === "published" ? "ok" : ["rejected", "failed", "cancelled"].includes(status) ? "bad" : status === "held" ? "warn" : "info";
  return badge(kind, status);
}

export async function tasksView(root, signal, taskId, params = new URLSearchParams()) {
  if (taskId) return taskView(root, signal, taskId);
  const canRead = session.scopes.author || session.scopes.audit;
  show(root, el("h2", {}, "Authoring tasks"),
    session.scopes.author ? taskForm() : message("warn", "Starting a task needs the author scope."),
    el("h3", {}, "Tasks"),
    canRead ? await taskList(signal, params) : message("warn", "Listing tasks needs the author or audit scope."));
}

// The filter and one page of tasks; the cursor and status live in the URL (#/tasks?status=…&cursor=…).
async function taskList(signal, params) {
  const asked = STATUSES.includes(params.get("status")) ? params.get("status") : "";
  const filter = el("select", { id: "task-status-filter", name: "status" },
    ["", ...STATUSES].map((s) => el("option", { value: s, selected: s === asked }, s === "" ? "all" : s)));
  const form = el("form", { class: "toolbar", id: "task-filter" },
    el("label", { for: "task-status-filter" }, "Status"), filter, el("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = filter.value ? `#/tasks?${new URLSearchParams({ status: filter.value })}` : "#/tasks";
  });
  const query = new URLSearchParams({ limit: String(PAGE) });
  if (asked) query.set("status", asked);
  if (/^[0-9a-f-]{36}$/.test(params.get("cursor") ?? "")) query.set("cursor", params.get("cursor"));
  const page = await api(`/v1/authoring/tasks?${query}`, { signal });
  const tasks = Array.isArray(page?.tasks) ? page.tasks : [];
  const rows = tasks.map((t) => el("tr", {},
    el("td", {}, el("a", { href: `#/tasks/${encodeURIComponent(t.task_id)}` }, time(t.created_at))),
    el("td", {}, el("code", {}, t.name)),
    el("td", {}, statusBadge(String(t.status))),
    el("td", {}, String(t.turn)),
    el("td", {}, t.detail ? clip(t.detail, 300) : "—"),
    el("td", {}, time(t.updated_at))));
  const next = page?.next_cursor
    ? el("a", { href: `#/tasks?${new URLSearchParams({ ...(asked ? { status: asked } : {}), cursor: page.next_cursor })}` }, "Older →")
    : null;
  return el("div", {}, form,
    el("table", { id: "tasks" },
      el("caption", {}, `${tasks.length} task(s)${asked ? ` ${asked}` : ""}, newest first`),
      el("thead", {}, el("tr", {}, ["Created", "Predicate", "Status", "Turn", "Detail", "Updated"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 6 }, "No task matches.")))),
    next);
}

function field(id, label, control, hint) {
  control.id = id;
  control.name = id;
  return el("div", { class: "field" }, el("label", { for: id }, label), control, hint ? el("small", {}, hint) : null);
}

function taskForm() {
  const name = el("input", { type: "text", required: true, pattern: "[A-Za-z][A-Za-z0-9_.\\-]*", autocomplete: "off" });
  const intent = el("textarea", { rows: 3, required: true });
  const declarations = el("textarea", { rows: 3, spellcheck: "false" });
  const examples = el("textarea", { rows: 3, spellcheck: "false" });
  const status = el("div", { "aria-live": "polite" });
  const form = el("form", { class: "card", id: "task-form" },
    field("task-name", "Predicate name", name),
    field("task-intent", "Intent (what it decides, in words)", intent),
    field("task-declarations", "Declarations (JSON object, optional)", declarations, 'e.g. {"user": "map(string, dyn)"}'),
    field("task-examples", "Examples (JSON array, optional)", examples, 'e.g. [{"input": {"user": {"age": 30}}, "expect": true}]'),
    el("button", { type: "submit" }, "Start task"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { name: name.value.trim(), intent: intent.value };
    try {
      if (declarations.value.trim()) body.declarations = JSON.parse(declarations.value);
      if (examples.value.trim()) body.examples = JSON.parse(examples.value);
    } catch (error) {
      return show(status, message("bad", `Not JSON: ${error.message}`));
    }
    try {
      const accepted = await api("/v1/authoring/tasks", { method: "POST", body });
      location.hash = `#/tasks/${accepted.task_id}`;
    } catch (error) {
      show(status, message("bad", error.message));
    }
  });
  return form;
}

async function taskView(root, signal, id) {
  const task = await api(`/v1/authoring/tasks/${id}`, { signal });
  const summary = el("p", { id: "task-status", "aria-live": "polite" });
  const log = el("ol", { class: "events", id: "task-events" });
  const state = { status: task.status, turn: task.turn, lastId: null, follow: null };
  const cancel = el("button", { type: "button", class: "danger" }, "Cancel task");
  const setStatus = (status, detail) => {
    state.status = status;
    show(summary, statusBadge(status), ` turn ${state.turn}`, detail ? ` — ${detail}` : "");
    // Only a turn under way can be cancelled.
    cancel.disabled = ENDED.has(status);
  };
  setStatus(task.status, task.detail);

  const followUp = el("textarea", { rows: 2 });
  const followStatus = el("div", { "aria-live": "polite" });
  const followForm = el("form", { class: "card" },
    field("task-message", "Follow-up message (starts the next turn)", followUp),
    el("button", { type: "submit" }, "Send"), followStatus);
  followForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const accepted = await api(`/v1/authoring/tasks/${id}/messages`, { method: "POST", body: { text: followUp.value } });
      followUp.value = "";
      state.turn = accepted.turn;
      setStatus(accepted.status);
      follow();
    } catch (error) {
      show(followStatus, message("bad", error.message));
    }
  });
  cancel.addEventListener("click", async () => {
    try { const t = await api(`/v1/authoring/tasks/${id}`, { method: "DELETE" }); setStatus(t.status, t.detail); } catch (error) { show(followStatus, message("bad", error.message)); }
  });

  show(root, el("p", {}, el("a", { href: "#/tasks" }, "← Authoring tasks")),
    el("h2", {}, "Task for ", el("code", {}, task.name)),
    el("p", { class: "muted" }, `Intent: ${clip(task.request?.intent ?? "", 2000)}`),
    summary,
    session.scopes.author ? el("div", { class: "toolbar" }, cancel) : null,
    el("h3", {}, "Live stream"), log,
    session.scopes.author ? followForm : null);

  // The model's text arrives as delta events: one growing <pre> per round.
  let deltas = null;
  const add = (node) => { log.append(el("li", {}, node)); while (log.childElementCount > MAX_EVENTS) log.firstElementChild.remove(); };
  const render = ({ type, data }) => {
    switch (type) {
      case "queued": deltas = null; return add(badge("info", data.text ? `queued: ${clip(data.text, 500)}` : "queued"));
      case "round_started": deltas = el("pre", { class: "delta" }); add(el("div", {}, badge("info", `round ${data.round} of ${data.max_rounds}`), deltas)); return;
      case "delta": if (!deltas) { deltas = el("pre", { class: "delta" }); add(deltas); } deltas.append(clip(String(data.text ?? ""), 20000)); return;
      case "diagnostics": if (!(data.diagnostics ?? []).length) return add(badge("ok", `round ${data.round}: checks pass`));
        return add(el("div", {}, badge("bad", `round ${data.round}: diagnostics`), data.expression ? el("pre", {}, clip(data.expression)) : null,
        el("ul", {}, (data.diagnostics ?? []).slice(0, 50).map((d) => el("li", {}, d.rendered ? el("pre", {}, clip(d.rendered)) : clip(d.message ?? d, 1000))))));
      case "accepted": return add(el("div", {}, badge("ok", `round ${data.round}: accepted`), el("pre", {}, clip(data.expression ?? ""))));
      case "submitted": return add(badge("info", `submitted as outbox event ${data.event_id}`));
      case "verdict": {
        setStatus(data.verdict, data.detail ?? (data.version ? `${task.name}@${data.version}` : ""));
        const link = data.version ? el("a", { href: `#/predicate/${encodeURIComponent(task.name)}` }, `open ${task.name}`) : null;
        return add(el("div", { class: "verdict" }, badge(data.verdict === "published" ? "ok" : "warn", `verdict: ${data.verdict}`),
          data.version ? ` v${data.version} ` : " ", data.detail ? clip(data.detail, 2000) : "", " ", link));
      }
      default: return add(badge("info", `${type}`));
    }
  };
  // The stream ends after each turn's verdict; a follow-up opens it again after the last id.
  const follow = () => {
    state.follow?.abort();
    const controller = new AbortController();
    signal.addEventListener("abort", () => controller.abort(), { once: true });
    state.follow = controller;
    let verdictSeen = false;
    streamEvents(`/v1/authoring/tasks/${id}/events`, {
      signal: controller.signal, lastEventId: state.lastId,
      onEvent: (event) => { state.lastId = event.id ?? state.lastId; if (event.type === "verdict") verdictSeen = true; render(event); },
      done: () => verdictSeen || ENDED.has(state.status),
    }).catch((error) => { if (!controller.signal.aborted) add(message("bad", `stream: ${error.message}`)); });
  };
  follow();
}
