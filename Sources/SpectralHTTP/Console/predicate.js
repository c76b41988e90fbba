// One predicate: its versions as a timeline (newest first) with author, model,
// description, source, declarations and test count; the source's diagnostics (the
// server's checks, POST /v1/validate, run when a version is opened); each version's
// impact report with its changed decisions; activate and rollback (admin) behind a
// confirmation.
import { api, session } from "./api.js";
import { el, show, badge, message, time, json, clip } from "./dom.js";

// Impact reports fetched up front, for the newest versions; older ones on opening.
const EAGER_IMPACTS = 5;

export async function predicateView(root, signal, name) {
  const predicate = await api(`/v1/predicates/${encodeURIComponent(name)}`, { signal });
  const versions = [...(predicate.versions ?? [])].sort((a, b) => b.version - a.version);
  const status = el("div", { "aria-live": "polite" });
  const activations = Array.isArray(predicate.activations) ? predicate.activations : [];
  // Rolling back needs an earlier activation to return to.
  const actions = session.scopes.admin && predicate.active_version != null && activations.length > 1
    ? confirmed("Roll back", `Make the version active before v${predicate.active_version} live again?`, async () => {
        const result = await api(`/v1/predicates/${encodeURIComponent(name)}/rollback`, { method: "POST" });
        return `Rolled back: v${result.active_version} is active.`;
      }, status, root, signal, name)
    : null;
  show(root,
    el("p", {}, el("a", { href: "#/predicates" }, "← Predicates")),
    el("h2", {}, "Predicate ", el("code", {}, predicate.name)),
    el("p", { id: "active-version" }, predicate.active_version == null ? badge("warn", "no active version") : badge("ok", `active: v${predicate.active_version}`)),
    actions, status,
    activations.length ? el("details", { class: "activations" }, el("summary", {}, `Activation history (${activations.length})`),
      el("ol", {}, activations.slice(-50).map((a) => el("li", {}, `${time(a.at)}: ${a.action} v${a.version} by ${a.actor ?? "unknown"}`)))) : null,
    el("h3", {}, "Versions"),
    el("ol", { class: "timeline" }, versions.map((v, index) => versionItem(name, v, index, status, root, signal))));
}

function versionItem(name, v, index, status, root, signal) {
  const author = String(v.author ?? "");
  // The agent signs its versions "agent (MODEL)".
  const model = author.match(/^agent \((.*)\)$/)?.[1];
  const diagnostics = el("div", { class: "diagnostics" });
  const impact = el("div", { class: "impact" });
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    checkSource(name, v, diagnostics, signal);
    loadImpact(name, v.version, impact, signal);
  };
  const details = el("details", { class: "version", open: index === 0 },
    el("summary", {},
      el("strong", {}, `v${v.version}`), " ",
      v.active ? badge("ok", "active") : badge("info", "inactive"), " ",
      time(v.created_at), " · by ", author || "unknown",
      model ? ` · model ${model}` : ""),
    el("p", { class: "description" }, el("span", { class: "label" }, "Intent / description: "), v.description || "—"),
    el("h4", {}, "Source"),
    el("pre", { class: "source" }, clip(v.source ?? "")),
    diagnostics,
    el("dl", { class: "facts" },
      el("dt", {}, "Returns"), el("dd", {}, v.returns ?? "—"),
      el("dt", {}, "Tests"), el("dd", {}, v.tests ? `${v.tests} test(s), all passed at publication` : "none"),
      el("dt", {}, "Cost bound"), el("dd", {}, v.cost_bound ?? "unbounded"),
      el("dt", {}, "Outbox event"), el("dd", {}, v.event_id ?? "—")),
    el("h4", {}, "Declarations"), json(v.declarations ?? {}),
    el("h4", {}, "Impact report"), impact,
    session.scopes.admin && !v.active
      ? confirmed(`Activate v${v.version}`, `Make v${v.version} the active version of ${name}?`, async () => {
          const result = await api(`/v1/predicates/${encodeURIComponent(name)}/activate`, { method: "POST", body: { version: v.version } });
          return `Activated: v${result.active_version} is active.`;
        }, status, root, signal, name)
      : null);
  details.addEventListener("toggle", () => { if (details.open) load(); });
  if (index === 0 || index < EAGER_IMPACTS) queueMicrotask(load);
  return el("li", {}, details);
}

// A button that asks first: the question and Confirm/Cancel appear in place.
function confirmed(label, question, action, status, root, signal, name) {
  const box = el("div", { class: "confirm" });
  const ask = el("button", { type: "button", class: "danger" }, `${label}…`);
  ask.addEventListener("click", () => {
    const yes = el("button", { type: "button", class: "danger" }, `Confirm: ${label.toLowerCase()}`);
    const no = el("button", { type: "button" }, "Cancel");
    no.addEventListener("click", () => show(box, ask));
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      try {
        const done = await action();
        await predicateView(root, signal, name);
        root.querySelector("[aria-live]")?.append(message("ok", done));
      } catch (error) {
        show(status, message("bad", error.message));
        show(box, ask);
      }
    });
    show(box, el("p", {}, question), yes, " ", no);
    yes.focus();
  });
  return show(box, ask);
}

async function checkSource(name, v, into, signal) {
  try {
    const result = await api("/v1/validate", { method: "POST", signal, body: { name, source: v.source, declarations: v.declarations ?? {} } });
    const list = result.diagnostics ?? [];
    show(into, list.length === 0
      ? badge("ok", `checks pass${result.cost_bound != null ? ` (cost bound ${result.cost_bound})` : ""}`)
      : el("ul", { class: "diagnostic-list" }, list.map((d) => el("li", {}, badge("bad", d.stage ?? "diagnostic"), " ",
          d.line != null ? `line ${d.line}:${d.column ?? "?"} ` : "", d.message ?? "", d.rendered ? el("pre", {}, clip(d.rendered)) : null))));
  } catch (error) {
    if (!signal.aborted) show(into, message("warn", `Checks unavailable: ${error.message}`));
  }
}

async function loadImpact(name, version, into, signal) {
  try {
    const result = await api(`/v1/predicates/${encodeURIComponent(name)}/versions/${version}/impact`, { signal });
    const report = result.impact;
    if (!report) {
      show(into, el("p", {}, result.held_reason ? `Held: ${result.held_reason}` : "No report: nothing was active to compare with."), findings(result.findings));
      return;
    }
    const changes = Object.entries(report.changes ?? {});
    const examples = Object.entries(report.examples ?? {}).flatMap(([kind, list]) => (Array.isArray(list) ? list : []).slice(0, 20).map((e) => [kind, e]));
    show(into,
      result.held_reason ? message("warn", `Held: ${result.held_reason}`) : null,
      el("p", {}, `Compared with v${report.compared_with}: ${report.replayed} replayed, ${report.unchanged} unchanged, ${report.changed} changed (${(100 * (report.changed_fraction ?? 0)).toFixed(1)}%).`),
      changes.length ? el("ul", {}, changes.map(([kind, count]) => el("li", {}, `${kind}: ${count}`))) : null,
      examples.length ? el("table", {},
        el("caption", {}, "Changed decisions"),
        el("thead", {}, el("tr", {}, ["Change", "Decision", "Before", "After"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, examples.map(([kind, e]) => el("tr", {},
          el("td", {}, kind),
          el("td", {}, e.decision_id ? el("a", { href: `#/decision/${e.decision_id}` }, String(e.decision_id).slice(0, 13) + "…") : "generated input"),
          el("td", {}, clip(e.before ?? null, 200)), el("td", {}, clip(e.after ?? null, 200))))))
        : null,
      findings(result.findings));
  } catch (error) {
    if (!signal.aborted) show(into, message("warn", `Impact unavailable: ${error.message}`));
  }
}

function findings(value) {
  return value ? el("details", {}, el("summary", {}, "Findings"), json(value)) : null;
}
