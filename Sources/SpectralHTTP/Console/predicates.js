// Predicates: search by name, each with its active version, status and last change.
// The list comes from GET /v1/predicates; the last change needs each predicate's
// activations, so it is fetched for the first MAX_DETAILED only (the rest say so).
import { api } from "./api.js";
import { el, show, badge, time } from "./dom.js";

const MAX_DETAILED = 50;

export async function predicatesView(root, signal) {
  const list = await api("/v1/predicates", { signal });
  const predicates = Array.isArray(list?.predicates) ? list.predicates : Array.isArray(list) ? list : [];
  const search = el("input", { id: "predicate-search", type: "search", autocomplete: "off" });
  const body = el("tbody");
  const table = el("table", {},
    el("caption", {}, `${predicates.length} predicates`),
    el("thead", {}, el("tr", {}, ["Name", "Active version", "Status", "Last change"].map((h) => el("th", { scope: "col" }, h)))),
    body);
  const rows = predicates.map((p) => {
    const changed = el("td", {}, "…");
    const row = el("tr", {},
      el("td", {}, el("a", { href: `#/predicate/${encodeURIComponent(p.name)}` }, p.name)),
      el("td", {}, p.active_version ?? "none"),
      el("td", {}, p.active_version == null ? badge("warn", "inactive")
        : p.active_version === p.latest_version ? badge("ok", "latest active") : badge("info", `v${p.latest_version} not active`)),
      changed);
    return { name: String(p.name), row, changed };
  });
  const filter = () => {
    const needle = search.value.trim().toLowerCase();
    body.replaceChildren(...rows.filter((r) => r.name.toLowerCase().includes(needle)).map((r) => r.row));
  };
  search.addEventListener("input", filter);
  filter();
  show(root, el("h2", {}, "Predicates"),
    el("div", { class: "toolbar" }, el("label", { for: "predicate-search" }, "Search by name"), search),
    table);
  // Last change: the newest version's creation time, one request per predicate, in turn.
  for (const [index, entry] of rows.entries()) {
    if (signal.aborted) return;
    if (index >= MAX_DETAILED) { entry.changed.textContent = "open it to see"; continue; }
    try {
      const detail = await api(`/v1/predicates/${encodeURIComponent(entry.name)}`, { signal });
      // The last change of the active version (publish, activate, rollback), else the newest version.
      const last = Array.isArray(detail.activations) ? detail.activations.at(-1) : null;
      const newest = (detail.versions ?? []).reduce((a, b) => (a && a.created_at > b.created_at ? a : b), null);
      entry.changed.textContent = last ? `${time(last.at)}: ${last.action} v${last.version}`
        : newest ? `${time(newest.created_at)}: v${newest.version} published` : "—";
    } catch {
      entry.changed.textContent = "unavailable";
    }
  }
}
