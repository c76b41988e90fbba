// Decisions: the decision log, filtered (predicate, version, outcome, shadow) a page at a
// time, newest first; and one decision's explanation: the logged input re-run on the
// logged version, drawn as its clause tree with the deciding clauses marked.
import { api } from "./api.js";
import { el, show, badge, message, time, json, clip } from "./dom.js";

// The explanation tree is drawn this deep and this wide at most.
const MAX_DEPTH = 12, MAX_CHILDREN = 50;

export async function decisionsView(root, signal, params) {
  const inputs = {
    predicate: el("input", { type: "text", autocomplete: "off", value: params.get("predicate") ?? "" }),
    version: el("input", { type: "number", min: 1, value: params.get("version") ?? "" }),
    outcome: el("input", { type: "text", autocomplete: "off", value: params.get("outcome") ?? "", placeholder: "decided, failed, true, false, invalid_input…" }),
  };
  const shadow = el("select", {}, ["", "false", "true"].map((v) => el("option", { value: v, selected: params.get("shadow") === v }, v === "" ? "all" : v === "true" ? "shadow disagreements" : "answered")));
  const form = el("form", { class: "toolbar", id: "decision-filter" },
    ...Object.entries(inputs).flatMap(([key, input]) => { input.id = `filter-${key}`; input.name = key; return [el("label", { for: input.id }, key[0].toUpperCase() + key.slice(1)), input]; }),
    el("label", { for: "filter-shadow" }, "Shadow"), Object.assign(shadow, { id: "filter-shadow", name: "shadow" }),
    el("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [key, input] of Object.entries(inputs)) if (input.value.trim()) query.set(key, input.value.trim());
    if (shadow.value) query.set("shadow", shadow.value);
    location.hash = `#/decisions?${query}`;
  });
  const query = new URLSearchParams();
  for (const key of ["predicate", "version", "outcome", "shadow", "cursor"]) if (params.get(key)) query.set(key, params.get(key));
  query.set("limit", "50");
  const page = await api(`/v1/decisions?${query}`, { signal });
  const rows = (page.decisions ?? []).map((d) => el("tr", {},
    el("td", {}, el("a", { href: `#/decision/${d.decision_id}` }, time(d.created_at))),
    el("td", {}, `${d.predicate}@${d.version}`),
    el("td", {}, "error_code" in d ? badge("bad", `failed: ${d.error_code}`) : badge("ok", `decided ${clip(d.decision, 80)}`)),
    el("td", {}, clip(d.input, 160)),
    el("td", {}, `${d.fuel_used} fuel, ${d.latency_us} µs`),
    el("td", {}, d.caller ?? "—")));
  const next = page.next_cursor ? (() => { const q = new URLSearchParams(params); q.set("cursor", page.next_cursor); return el("a", { href: `#/decisions?${q}` }, "Older →"); })() : null;
  show(root, el("h2", {}, "Decisions"), form,
    rows.length ? el("table", { id: "decisions" },
      el("caption", {}, `${rows.length} decisions, newest first`),
      el("thead", {}, el("tr", {}, ["When", "Predicate", "Outcome", "Input", "Cost", "Caller"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows)) : el("p", {}, "No decision matches (is the server run with --decision-log?)."),
    next);
}

export async function decisionView(root, signal, id) {
  const [record, replay] = await Promise.all([api(`/v1/decisions/${id}`, { signal }), api(`/v1/decisions/${id}/explain`, { signal })]);
  show(root, el("p", {}, el("a", { href: "#/decisions" }, "← Decisions")),
    el("h2", {}, "Decision ", el("code", {}, record.decision_id)),
    el("dl", { class: "facts" },
      el("dt", {}, "Predicate"), el("dd", {}, el("a", { href: `#/predicate/${encodeURIComponent(record.predicate)}` }, `${record.predicate}@${record.version}`)),
      el("dt", {}, "When"), el("dd", {}, time(record.created_at)),
      el("dt", {}, "Logged"), el("dd", {}, "error_code" in record ? badge("bad", `failed: ${record.error_code}`) : badge("ok", `decided ${clip(record.decision, 200)}`)),
      el("dt", {}, "Replayed"), el("dd", {}, replay.same_outcome ? badge("ok", "same outcome") : badge("warn", "different outcome (a masked input?)")),
      el("dt", {}, "Caller"), el("dd", {}, record.caller ?? "—")),
    el("h3", {}, "Input"), json(record.input),
    el("h3", {}, "Explanation"),
    el("p", { class: "legend" }, "★ decided: its value settled the outcome · ○ evaluated · – skipped (short-circuit)"),
    replay.explanation ? el("ul", { class: "tree", id: "explanation" }, clause(replay.explanation, 0)) : message("warn", "No explanation: the logged input could not be bound."));
}

// One clause and its children: the role as a symbol and a word, the source text, the value.
function clause(node, depth) {
  const role = String(node.role ?? "evaluated");
  const mark = role === "decided" ? "★ decided" : role === "skipped" ? "– skipped" : "○ evaluated";
  const value = node.masked ? "masked" : "error" in node ? `error: ${clip(node.error, 300)}` : "value" in node ? `= ${clip(node.value, 300)}` : "";
  const children = Array.isArray(node.children) ? node.children : [];
  return el("li", { class: `clause ${role}` },
    el("span", { class: "role" }, mark), " ",
    el("code", {}, clip(node.text ?? "", 2000)), " ",
    el("span", { class: "value" }, value),
    node.kind && node.kind !== "leaf" ? el("span", { class: "kind" }, ` (${node.kind})`) : null,
    node.flip ? el("div", { class: "flip" }, `would flip if ${clip(node.flip.would_flip_if ?? "", 300)}`) : null,
    children.length && depth < MAX_DEPTH
      ? el("ul", {}, children.slice(0, MAX_CHILDREN).map((child) => clause(child, depth + 1)),
          children.length > MAX_CHILDREN ? el("li", {}, `… ${children.length - MAX_CHILDREN} more`) : null)
      : null);
}
