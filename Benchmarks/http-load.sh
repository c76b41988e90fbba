#!/usr/bin/env bash
# HTTP decide under load: wrk on loopback against a release `spectral serve` (embedded SQLite,
# demo mode), for the `trivial` and `risk_score` predicates of Fixtures/bench/predicates.json
# and `risk_score_typed` (risk_score declared by its JSON Schemas, the fixture's `schema`, so
# binding validates the input), each next to a bare endpoint (POST /bench/baseline) that
# decodes the same body and answers a constant, in the same run. Prints requests/s, p50 and
# p99, and the ratio to the ceiling.
# Then Benchmarks/decision-log-load.sh: the same decide with the decision log off and on.
#   Benchmarks/http-load.sh [SECONDS per run, default 10] [CONNECTIONS, default 64]
# Needs wrk (Debian package) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "http-load.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
seconds=${1:-10}
connections=${2:-64}
swift build -c release --product spectral >/dev/null
spectral=$(swift build -c release --show-bin-path)/spectral
work=$(mktemp -d /tmp/spectral-http-load-XXXXXX)
port=$((20000 + RANDOM % 20000))
export SPECTRAL_DATABASE_URL="sqlite:$work/spectral.sqlite" SPECTRAL_LOG_LEVEL=warning
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# Publish the predicates, with their inputs as tests, and write the request bodies: for each,
# NAME.cel, NAME.tests.json, NAME.body.json and NAME.declare (submit's --declare arguments, one
# a line). risk_score_typed declares each variable by a schema file: --declare VAR=@FILE.
names="trivial risk_score risk_score_typed"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
fixture = {p["name"]: p for p in json.load(open("Fixtures/bench/predicates.json"))}
for name, typed in (("trivial", False), ("risk_score", False), ("risk_score_typed", True)):
    p = fixture[name.removesuffix("_typed")]
    declare = []
    for var, value in p["input"].items():
        if typed:
            path = f"{work}/{name}.{var}.schema.json"
            json.dump(p["schema"][var], open(path, "w"))
            declare += ["--declare", f"{var}=@{path}"]
        else:
            cel = "double" if isinstance(value, float) else "map(string,dyn)" if isinstance(value, dict) else "dyn"
            declare += ["--declare", f"{var}={cel}"]
    open(f"{work}/{name}.declare", "w").write("\n".join(declare) + "\n")
    open(f"{work}/{name}.cel", "w").write(p["expr"] + "\n")
    json.dump([{"input": p["input"], "expect": p["expected"]}], open(f"{work}/{name}.tests.json", "w"))
    json.dump({"predicate": name, "input": p["input"]}, open(f"{work}/{name}.body.json", "w"))
PY
for name in $names; do
    mapfile -t declare < "$work/$name.declare"
    "$spectral" submit --name "$name" --source-file "$work/$name.cel" "${declare[@]}" --tests "$work/$name.tests.json" >/dev/null
done
"$spectral" work --poll-interval 50 & worker=$!
for _ in $(seq 1 100); do
    [ "$("$spectral" predicates list | wc -l)" -ge 3 ] && break; sleep 0.1
done
kill -TERM "$worker"; wait "$worker" || true
for id in 1 2 3; do
    "$spectral" status $id | grep -q published || { echo "predicate $id not published"; "$spectral" status $id; exit 1; }
done

"$spectral" serve --demo --benchmark-baseline --port "$port" 2>"$work/serve.log" & server=$!
for _ in $(seq 1 100); do curl -sf "localhost:$port/health" >/dev/null && break; sleep 0.1; done

cat > "$work/post.lua" <<'LUA'
local body_file = os.getenv("BODY")
local f = io.open(body_file, "r"); wrk.body = f:read("*a"); f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
    io.write(string.format("RESULT %.0f %.3f %.3f %d %d\n", summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        summary.requests))
end
LUA
run() { # path body → "req/s p50 p99 errors requests"
    BODY="$2" wrk -t2 -c"$connections" -d"${seconds}s" -s "$work/post.lua" "http://127.0.0.1:$port$1" | awk '/^RESULT/ {print $2, $3, $4, $5, $6}'
}
for name in $names; do   # warm the cache
    curl -sf -XPOST "localhost:$port/v1/decide" --data-binary @"$work/$name.body.json" >/dev/null
done
printf "%-17s %-10s %10s %9s %9s %7s\n" predicate endpoint "req/s" "p50 ms" "p99 ms" errors
for name in $names; do
    read -r base_rps base_p50 base_p99 base_err _ <<<"$(run /bench/baseline "$work/$name.body.json")"
    read -r rps p50 p99 err _ <<<"$(run /v1/decide "$work/$name.body.json")"
    printf "%-17s %-10s %10s %9s %9s %7s\n" "$name" baseline "$base_rps" "$base_p50" "$base_p99" "$base_err"
    printf "%-17s %-10s %10s %9s %9s %7s   %s%% of the ceiling\n" "$name" decide "$rps" "$p50" "$p99" "$err" \
        "$(python3 -c "print(round(100 * $rps / $base_rps, 1))")"
done
echo "connections $connections, $seconds s per run, wrk -t2, server: release spectral serve (SQLite, demo mode)"

# The decision log's cost: log off next to log on (every decision), on SQLite and on
# PostgreSQL, with queue drops from /metrics (Benchmarks/decision-log-load.sh; DECISION_LOG=0 skips it).
if [ "${DECISION_LOG:-1}" != 0 ]; then
    kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
    Benchmarks/decision-log-load.sh "$seconds" "$connections"
    "$spectral" serve --demo --benchmark-baseline --port "$port" 2>>"$work/serve.log" & server=$!
    for _ in $(seq 1 100); do curl -sf "localhost:$port/health" >/dev/null && break; sleep 0.1; done
fi

# Soak: SOAK_SECONDS (default 60) of risk_score at saturation; resident memory every 5 s.
soak=${SOAK_SECONDS:-60}
if [ "$soak" -gt 0 ]; then
    ( for _ in $(seq 1 $((soak / 5 + 1))); do awk '/VmRSS/ {printf "%s ", $2}' "/proc/$server/status"; sleep 5; done ) > "$work/rss" &
    sampler=$!
    read -r rps p50 p99 err requests <<<"$(seconds=$soak run /v1/decide "$work/risk_score.body.json")"
    wait "$sampler" || true
    echo "soak: $soak s of risk_score at $connections connections: $requests requests, $rps req/s, p99 $p99 ms, errors $err"
    echo "soak: server resident memory every 5 s (KiB): $(cat "$work/rss")"
fi
