// Health and metrics: GET /health's features, and the decide latency and fuel
// histograms drawn as SVG bars from /metrics' Prometheus text (counts per bucket, the
// cumulative buckets differenced), each bar labelled so it reads without colour.
import { api, text } from "./api.js";
import { el, show, badge, svg } from "./dom.js";

export async function healthView(root, signal) {
  let health;
  try { health = await api("/health", { signal }); } catch (error) { health = { status: "degraded", error: error.message }; }
  const exposition = await text("/metrics");
  const features = Object.entries(health.features ?? {});
  show(root, el("h2", {}, "Health and metrics"),
    el("p", { id: "health-status" }, health.status === "ok" ? badge("ok", "ok") : badge("bad", String(health.status ?? "unknown")),
      ` version ${health.version ?? "?"}, generation ${health.generation ?? "?"}, store ${health.store ?? "?"}, auth ${health.auth ?? "?"}`),
    el("ul", {}, features.map(([name, state]) => el("li", {}, badge(state === "wired" ? "ok" : state === "off" ? "info" : "bad", `${name}: ${state}`),
      health[`${name}_error`] ? ` — ${health[`${name}_error`]}` : ""))),
    histogram(exposition, "spectral_decide_duration_seconds", "Decide latency", (le) => le === "+Inf" ? "more" : formatSeconds(Number(le))),
    histogram(exposition, "spectral_decide_fuel", "Fuel per decision", (le) => le === "+Inf" ? "more" : formatCount(Number(le))),
    el("h3", {}, "Counters"),
    el("ul", {}, ["spectral_decisions_total", "spectral_errors_total", "spectral_program_cache_size", "spectral_outbox_backlog", "spectral_outbox_lag_seconds"]
      .map((name) => el("li", {}, `${name}: ${sum(exposition, name) ?? "—"}`))));
}

// Fuel bounds as 10, 5k, 1M: the exposition writes them as 10000.0, too wide for a bar.
function formatCount(count) {
  const [divisor, suffix] = count >= 1e6 ? [1e6, "M"] : count >= 1e3 ? [1e3, "k"] : [1, ""];
  return `≤${Number((count / divisor).toFixed(1))}${suffix}`;
}

function formatSeconds(seconds) {
  return seconds < 1e-3 ? `≤${(seconds * 1e6).toFixed(0)}µs` : seconds < 1 ? `≤${(seconds * 1e3).toFixed(seconds < 1e-2 ? 1 : 0)}ms` : `≤${seconds}s`;
}

// `name{labels} value` samples of one metric, summed over label sets by `le`.
function buckets(exposition, name) {
  const totals = new Map();
  const pattern = new RegExp(`^${name}_bucket\\{(.*)\\}\\s+(\\S+)`);
  for (const line of exposition.split("\n")) {
    const match = line.match(pattern);
    if (!match) continue;
    const le = match[1].match(/le="([^"]*)"/)?.[1];
    if (le === undefined) continue;
    totals.set(le, (totals.get(le) ?? 0) + Number(match[2]));
  }
  return [...totals].sort((a, b) => (a[0] === "+Inf" ? Infinity : Number(a[0])) - (b[0] === "+Inf" ? Infinity : Number(b[0])));
}

function sum(exposition, name) {
  let total = null;
  for (const line of exposition.split("\n")) {
    const match = line.match(new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`));
    if (match) total = (total ?? 0) + Number(match[1]);
  }
  return total;
}

function histogram(exposition, name, title, label) {
  const cumulative = buckets(exposition, name);
  const counts = cumulative.map(([le, count], i) => [le, Math.max(0, count - (i ? cumulative[i - 1][1] : 0))]);
  const figure = el("figure", { class: "histogram", id: `histogram-${name}` }, el("figcaption", {}, title));
  if (!counts.length) return figure.appendChild(el("p", {}, "No decisions yet.")) && figure;
  const total = counts.reduce((a, [, c]) => a + c, 0);
  const max = Math.max(1, ...counts.map(([, c]) => c));
  const barWidth = 44, height = 160, top = 20, bottom = 34;
  const chart = svg("svg", { width: counts.length * barWidth, height: height + top + bottom, viewBox: `0 0 ${counts.length * barWidth} ${height + top + bottom}`, role: "img", "aria-label": `${title}: ${total} decisions` });
  counts.forEach(([le, count], i) => {
    const h = Math.round((count / max) * height);
    const x = i * barWidth;
    chart.append(
      svg("rect", { x: x + 4, y: top + height - h, width: barWidth - 8, height: Math.max(h, 1), class: "bar" }, svg("title", {}, `${label(le)}: ${count}`)),
      svg("text", { x: x + barWidth / 2, y: top + height - h - 4, "text-anchor": "middle", class: "count" }, String(count)),
      svg("text", { x: x + barWidth / 2, y: top + height + 16, "text-anchor": "middle", class: "axis" }, label(le)));
  });
  figure.append(chart, el("p", { class: "muted" }, `${total} decisions in ${counts.length} buckets`));
  return figure;
}
