// The console's entry: sign-in, the scope probe, and a hash router (#/predicates,
// #/predicate/NAME, #/tasks, #/decisions, #/decision/ID, #/outbox, #/health). A URL holds
// a view and a name or id, never the key.
import { api, session, APIError } from "./api.js";
import { el, show, message } from "./dom.js";
import { predicatesView } from "./predicates.js";
import { predicateView } from "./predicate.js";
import { tasksView } from "./tasks.js";
import { decisionsView, decisionView } from "./decisions.js";
import { outboxView } from "./outbox.js";
import { healthView } from "./health.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const who = document.getElementById("who");
// Aborted when the view changes, so a stream or a slow request of the old view stops.
let viewAbort = new AbortController();

function signInForm(reason) {
  const input = el("input", { id: "api_key", name: "api_key", type: "password", autocomplete: "off", required: true, spellcheck: "false" });
  const form = el("form", { class: "card", "aria-labelledby": "signin-title" },
    el("h2", { id: "signin-title" }, "Sign in"),
    reason ? message("bad", reason) : null,
    el("label", { for: "api_key" }, "API key (spk_…)"), input,
    el("button", { type: "submit" }, "Sign in"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    session.key = input.value.trim();
    input.value = "";
    await start();
  });
  show(main, form);
  input.focus();
}

// What the key may do, found by asking: a read that needs author, one that needs audit,
// one that needs admin. A key with only `decide` sees health and metrics, read-only.
async function probe() {
  const allowed = async (path) => {
    try { await api(path); return true; } catch (error) {
      if (error instanceof APIError && (error.status === 403)) return false;
      throw error;
    }
  };
  session.scopes.author = await allowed("/v1/predicates");
  session.scopes.audit = await allowed("/v1/decisions?limit=1");
  session.scopes.admin = await allowed("/v1/outbox");
}

async function start() {
  let health;
  try { health = await api("/health"); } catch (error) { health = { auth: "api_keys" }; }
  session.demo = typeof health?.auth === "string" && health.auth.startsWith("off");
  if (!session.demo && !session.key) return signInForm();
  try {
    await probe();
  } catch (error) {
    session.key = null;
    return signInForm(error instanceof APIError && error.status === 401 ? "That key was not accepted." : `Could not sign in: ${error.message}`);
  }
  const granted = Object.entries(session.scopes).filter(([, yes]) => yes).map(([scope]) => scope);
  const mode = session.demo ? "demo mode (no API keys)" : granted.length ? `signed in: ${granted.join(", ")}` : "signed in: decide only (read-only views)";
  show(who, mode, " ", session.demo ? null : el("button", { type: "button", class: "link", on: { click: signOut } }, "Sign out"));
  nav.hidden = false;
  if (!location.hash) location.hash = session.scopes.author ? "#/predicates" : "#/health";
  route();
}

function signOut() {
  session.key = null;
  nav.hidden = true;
  show(who);
  viewAbort.abort();
  history.replaceState(null, "", location.pathname);
  signInForm();
}

const views = [
  [/^#\/predicates$/, () => predicatesView],
  [/^#\/predicate\/(.+)$/, (m) => (root, signal) => predicateView(root, signal, decodeURIComponent(m[1]))],
  [/^#\/tasks(?:\?(.*))?$/, (m) => (root, signal) => tasksView(root, signal, null, new URLSearchParams(m[1] ?? ""))],
  [/^#\/tasks\/([0-9a-f-]{36})$/, (m) => (root, signal) => tasksView(root, signal, m[1])],
  [/^#\/decisions(?:\?(.*))?$/, (m) => (root, signal) => decisionsView(root, signal, new URLSearchParams(m[1] ?? ""))],
  [/^#\/decision\/([0-9a-f-]{36})$/, (m) => (root, signal) => decisionView(root, signal, m[1])],
  [/^#\/outbox$/, () => outboxView],
  [/^#\/health$/, () => healthView],
];

async function route() {
  if (!session.demo && !session.key) return;
  viewAbort.abort();
  viewAbort = new AbortController();
  const signal = viewAbort.signal;
  for (const link of nav.querySelectorAll("a")) {
    link.toggleAttribute("aria-current", location.hash.startsWith(link.getAttribute("href")));
  }
  const match = views.map(([pattern, make]) => [location.hash.match(pattern), make]).find(([m]) => m);
  show(main, el("p", { class: "loading" }, "Loading…"));
  try {
    if (!match) return show(main, message("bad", "No such view."));
    await match[1](match[0])(main, signal);
    // Keyboard and screen-reader users land on the new view, not on the link they followed.
    if (!signal.aborted && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
  } catch (error) {
    if (signal.aborted) return;
    show(main, message("bad", error instanceof APIError && error.status === 403
      ? "Your key's scopes do not allow this view." : `Failed: ${error.message}`));
  }
}

window.addEventListener("hashchange", route);
start();
