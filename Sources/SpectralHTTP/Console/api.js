// The public API, called with the signed-in key. The key lives in sessionStorage only
// (gone when the tab closes), travels in the Authorization header only, and is never
// put in a URL or logged.
const KEY = "spectral.api_key";

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
  // What the key may do, probed at sign-in: {author, audit, admin}; demo mode: all.
  scopes: { author: false, audit: false, admin: false },
  demo: false,
};

export class APIError extends Error {
  constructor(status, code, text) {
    super(`${status} ${code}: ${text}`);
    this.status = status;
    this.code = code;
  }
}

function headers(extra = {}) {
  const result = { Accept: "application/json", ...extra };
  if (session.key) result.Authorization = `Bearer ${session.key}`;
  return result;
}

// JSON in, JSON out; a non-2xx answer throws APIError with the server's code and message.
export async function api(path, { method = "GET", body, signal } = {}) {
  const init = { method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }), signal };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!response.ok) {
    const error = data && data.error ? data.error : { code: "http_error", message: String(text).slice(0, 300) };
    throw new APIError(response.status, error.code, error.message);
  }
  return data;
}

// Prometheus text (GET /metrics is open, but the key goes along anyway).
export async function text(path) {
  const response = await fetch(path, { headers: headers({ Accept: "text/plain" }) });
  if (!response.ok) throw new APIError(response.status, "http_error", response.statusText);
  return response.text();
}

// Server-Sent Events over fetch(): EventSource cannot send the Authorization header.
// Reads the body as a stream, splits frames on blank lines, and parses `id:`, `event:`
// and `data:` lines itself. When the connection ends before `done()` says so, it resumes
// with Last-Event-ID, up to `retries` times. Returns when done, aborted or out of retries.
export async function streamEvents(path, { onEvent, done, signal, lastEventId = null, retries = 5 }) {
  let attempts = 0;
  while (!signal.aborted) {
    const extra = { Accept: "text/event-stream" };
    if (lastEventId !== null) extra["Last-Event-ID"] = String(lastEventId);
    try {
      const response = await fetch(path, { headers: headers(extra), signal });
      if (!response.ok) throw new APIError(response.status, "stream", response.statusText);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        buffer += value;
        // Frames end with a blank line; a partial frame waits for the next chunk.
        let boundary;
        while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const frame = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, "");
          const event = parseFrame(frame);
          if (!event) continue;
          if (event.id !== null) lastEventId = event.id;
          attempts = 0;
          onEvent(event);
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof APIError && error.status < 500) throw error;
    }
    if (done() || ++attempts > retries) return;
    await new Promise((resolve) => setTimeout(resolve, 1000 * attempts));
  }
}

// One frame: `field: value` lines; comments (`: keep-alive`) ignored; data lines joined.
export function parseFrame(frame) {
  let id = null, type = "message";
  const data = [];
  for (const line of frame.split(/\r?\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") type = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return null;
  let payload;
  try { payload = JSON.parse(data.join("\n")); } catch { payload = { text: data.join("\n") }; }
  return { id, type, data: payload };
}
