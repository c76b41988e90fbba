// Building the DOM without parsing HTML strings: every string from the API (predicate names,
// sources, descriptions, inputs) is attacker-controlled, so it only ever becomes a text
// node. `el` is the one way views make elements.

// Longest text shown for one value; the rest is cut with a marker, so a huge source or
// input cannot stall the page.
export const MAX_TEXT = 20000;

export function clip(value, max = MAX_TEXT) {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  return text.length > max ? text.slice(0, max) + ` … (${text.length - max} more characters)` : text;
}

// el("a", {href: "#/x", class: "y"}, "text", child…): attributes by setAttribute (never
// event-handler attributes or style: listeners come through `on`), children as text nodes
// or elements.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "on") {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (name.startsWith("on") || name === "style") {
      throw new Error(`el: refusing attribute ${name}`);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(clip(String(child))));
  }
}

// Replaces a container's content.
export function show(container, ...children) {
  container.replaceChildren();
  append(container, children);
  return container;
}

export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

// A status in words and a symbol, so it reads without colour; the class adds colour.
export function badge(kind, text) {
  const marks = { ok: "✓", bad: "✗", warn: "!", info: "•" };
  return el("span", { class: `badge ${kind}` }, `${marks[kind] ?? "•"} ${text}`);
}

export function message(kind, text) {
  return el("p", { class: `message ${kind}`, role: kind === "bad" ? "alert" : "status" }, text);
}

export function time(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

// A JSON value as indented text inside <pre>.
export function json(value) {
  return el("pre", { class: "json" }, clip(JSON.stringify(value, null, 2)));
}
