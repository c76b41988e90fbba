#!/usr/bin/env bash
# Does fuel-burning work starve everything else? Four clients each send, back to back,
# decisions that burn their whole fuel (a nested comprehension over 1,000 numbers: 1M
# steps, answered 422 fuel exhausted) while a fifth measures GET /health and a trivial
# decide. Target (issue 14): both answer within 100 ms throughout. Prints median, p99 and
# the worst of each, and "starvation: ok" or "starvation: FAIL".
#   Benchmarks/starvation.sh [SAMPLES, default 200]
#   SPECTRAL_BIN=path/to/spectral to use a given build (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-200}
if [ -z "${SPECTRAL_BIN:-}" ]; then
    swift build -c release --product spectral >/dev/null
    SPECTRAL_BIN=$(swift build -c release --show-bin-path)/spectral
fi
work=$(mktemp -d /tmp/spectral-starvation-XXXXXX)
port=$((20000 + RANDOM % 20000))
export SPECTRAL_DATABASE_URL="sqlite:$work/spectral.sqlite" SPECTRAL_LOG_LEVEL=warning
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo 'xs.all(x, xs.all(y, x + y >= 0))' > "$work/burner.cel"
echo 'true' > "$work/trivial.cel"
"$SPECTRAL_BIN" submit --name burner --source-file "$work/burner.cel" --declare 'xs=list(int)' >/dev/null
"$SPECTRAL_BIN" submit --name trivial --source-file "$work/trivial.cel" >/dev/null
"$SPECTRAL_BIN" work --poll-interval 50 & worker=$!
for _ in $(seq 1 200); do [ "$("$SPECTRAL_BIN" predicates list | wc -l)" -ge 2 ] && break; sleep 0.1; done
kill -TERM "$worker"; wait "$worker" || true

"$SPECTRAL_BIN" serve --demo --port "$port" 2>"$work/serve.log" & server=$!
for _ in $(seq 1 100); do curl -sf "localhost:$port/health" >/dev/null && break; sleep 0.1; done

python3 - "$port" "$samples" <<'PY'
import http.client, json, statistics, sys, threading, time
port, samples = int(sys.argv[1]), int(sys.argv[2])
burn = json.dumps({"predicate": "burner", "input": {"xs": list(range(1000))}})
stop = threading.Event()
burned = [0] * 4
def burner(i):
    c = http.client.HTTPConnection("127.0.0.1", port)
    while not stop.is_set():
        c.request("POST", "/v1/decide", burn, {"Content-Type": "application/json"})
        r = c.getresponse(); body = r.read()
        assert r.status == 422 and b"fuel" in body, (r.status, body[:200])
        burned[i] += 1
threads = [threading.Thread(target=burner, args=(i,)) for i in range(4)]
for t in threads: t.start()
time.sleep(1)
def timed(method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port)
    start = time.perf_counter()
    c.request(method, path, body, {"Content-Type": "application/json"} if body else {})
    r = c.getresponse(); r.read(); c.close()
    assert r.status == 200, r.status
    return (time.perf_counter() - start) * 1000
health, decide = [], []
for _ in range(samples):
    health.append(timed("GET", "/health"))
    decide.append(timed("POST", "/v1/decide", json.dumps({"predicate": "trivial", "input": {}})))
    time.sleep(0.01)
stop.set()
for t in threads: t.join()
def line(name, xs):
    xs = sorted(xs)
    return f"{name}: median {statistics.median(xs):.1f} ms, p99 {xs[int(len(xs) * 0.99) - 1]:.1f} ms, worst {xs[-1]:.1f} ms"
print(f"burning decisions answered meanwhile: {sum(burned)} (each 1M fuel, 422)")
print(line("/health       ", health))
print(line("trivial decide", decide))
worst = max(max(health), max(decide))
print(f"starvation: {'ok' if worst < 100 else 'FAIL'} (worst {worst:.1f} ms, target < 100 ms)")
PY
