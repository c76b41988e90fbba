#!/usr/bin/env bash
# HTTP decide under load: wrk on loopback against a release `spectral serve` (embedded SQLite,
# demo mode), for the `trivial` and `risk_score` predicates of Fixtures/bench/predicates.json
# and `risk_score_typed` (risk_score declared by its JSON Schemas, the fixture's `schema`, so
# binding validates the input), each next to a bare endpoint (POST /bench/baseline) that
# decodes the same body and answers a constant, in the same run. Prints requests/s, p50 and
# p99, the server's CPU per request (user + system, from /proc, since wrk shares the cores
# and req/s alone is noisy) and the ratios to the ceiling; then a batch decide of BATCH
# (default 100) risk_score_typed inputs per request, as decisions/s. The figures also go to
# Benchmarks/results/http.json and the "http" member of Benchmarks/results/latest.json.
# Then Benchmarks/decision-log-load.sh: the same decide with the decision log off and on.
#   Benchmarks/http-load.sh [SECONDS per run, default 10] [CONNECTIONS, default 64]
# Needs wrk (Debian package) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "http-load.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
seconds=${1:-10}
connections=${2:-64}
batch=${BATCH:-100}
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
python3 - "$work" "$batch" <<'PY'
import json, sys
work, batch = sys.argv[1], sys.argv[2]
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
    if typed:
        inputs = [p["input"]] * int(batch)
        json.dump({"predicate": name, "inputs": inputs}, open(f"{work}/{name}.batch.json", "w"))
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
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
run() { # path body → "req/s p50 p99 errors requests cpu-µs-per-request"
    local before after result
    before=$(cpu_ticks)
    result=$(BODY="$2" wrk -t2 -c"$connections" -d"${seconds}s" -s "$work/post.lua" "http://127.0.0.1:$port$1" | awk '/^RESULT/ {print $2, $3, $4, $5, $6}')
    after=$(cpu_ticks)
    echo "$result $(python3 -c "print(round(($after - $before) / $hz * 1e6 / max(${result##* }, 1), 1))")"
}
for name in $names; do   # warm the cache
    curl -sf -XPOST "localhost:$port/v1/decide" --data-binary @"$work/$name.body.json" >/dev/null
done
curl -sf -XPOST "localhost:$port/v1/decide/batch" --data-binary @"$work/risk_score_typed.batch.json" | grep -q '"results"' \
    || { echo "batch decide failed"; exit 1; }
printf "%-17s %-10s %10s %9s %9s %7s %11s\n" predicate endpoint "req/s" "p50 ms" "p99 ms" errors "cpu µs/req"
rows=()
for name in $names; do
    read -r base_rps base_p50 base_p99 base_err _ base_cpu <<<"$(run /bench/baseline "$work/$name.body.json")"
    read -r rps p50 p99 err _ cpu <<<"$(run /v1/decide "$work/$name.body.json")"
    printf "%-17s %-10s %10s %9s %9s %7s %11s\n" "$name" baseline "$base_rps" "$base_p50" "$base_p99" "$base_err" "$base_cpu"
    printf "%-17s %-10s %10s %9s %9s %7s %11s   %s\n" "$name" decide "$rps" "$p50" "$p99" "$err" "$cpu" \
        "$(python3 -c "print(f'{100 * $rps / $base_rps:.1f}% of the ceiling, p99 {$p99 / $base_p99:.2f}x, cpu +{$cpu - $base_cpu:.1f} µs')")"
    rows+=("$name $base_rps $base_p50 $base_p99 $base_cpu $rps $p50 $p99 $cpu $((base_err + err))")
done
read -r batch_rps batch_p50 batch_p99 batch_err _ batch_cpu <<<"$(run /v1/decide/batch "$work/risk_score_typed.batch.json")"
printf "%-17s %-10s %10s %9s %9s %7s %11s   %s decisions/s, %s µs of server CPU each\n" risk_score_typed "batch $batch" "$batch_rps" \
    "$batch_p50" "$batch_p99" "$batch_err" "$batch_cpu" "$((batch_rps * batch))" "$(python3 -c "print(round($batch_cpu / $batch, 2))")"
echo "connections $connections, $seconds s per run, wrk -t2, server: release spectral serve (SQLite, demo mode)"
python3 - "$connections" "$seconds" "$batch" "$batch_rps $batch_p50 $batch_p99 $batch_cpu $batch_err" "${rows[@]}" <<'PY'
import json, os, sys
connections, seconds, batch, batch_row, rows = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5:]
http = {"connections": connections, "seconds": seconds, "predicates": []}
for row in rows:
    name, base_rps, base_p50, base_p99, base_cpu, rps, p50, p99, cpu, errors = row.split()
    base_rps, base_p99, base_cpu, rps, p99, cpu = map(float, (base_rps, base_p99, base_cpu, rps, p99, cpu))
    http["predicates"].append({
        "name": name, "rps": rps, "baseline_rps": base_rps, "ratio": round(rps / base_rps, 3),
        "p50_ms": float(p50), "p99_ms": p99, "baseline_p99_ms": base_p99, "p99_ratio": round(p99 / base_p99, 2),
        "cpu_us": cpu, "baseline_cpu_us": base_cpu, "cpu_above_baseline_us": round(cpu - base_cpu, 1), "errors": int(errors)})
rps, p50, p99, cpu, errors = batch_row.split()
http["batch"] = {"predicate": "risk_score_typed", "inputs_per_request": batch, "rps": float(rps),
                 "decisions_per_second": round(float(rps) * batch), "p99_ms": float(p99),
                 "cpu_us_per_decision": round(float(cpu) / batch, 2), "errors": int(errors)}
results = "Benchmarks/results"
json.dump(http, open(f"{results}/http.json", "w"), indent=2)
latest = f"{results}/latest.json"
if os.path.exists(latest):
    data = json.load(open(latest))
    data["http"] = http
    with open(latest, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
print(f"Written to {results}/http.json and the \"http\" member of {latest}")
PY

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
    read -r rps p50 p99 err requests _ <<<"$(seconds=$soak run /v1/decide "$work/risk_score.body.json")"
    wait "$sampler" || true
    echo "soak: $soak s of risk_score at $connections connections: $requests requests, $rps req/s, p99 $p99 ms, errors $err"
    echo "soak: server resident memory every 5 s (KiB): $(cat "$work/rss")"
fi
