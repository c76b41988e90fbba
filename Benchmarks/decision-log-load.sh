#!/usr/bin/env bash
# The decision log's cost under load: wrk on loopback against a release `spectral serve`
# (demo mode) deciding `risk_score` (Fixtures/bench/predicates.json), with the log off and
# with it on (every decision logged: sample 1.0), side by side in the same run, on the
# embedded SQLite file and on a PostgreSQL server this script starts (fsync on). Prints
# requests/s, p50 and p99 for each, the log-on throughput as a share of log-off (target:
# at least 90%), and from /metrics the decisions logged and dropped (queue full, store error).
#   Benchmarks/decision-log-load.sh [SECONDS per run, default 10] [CONNECTIONS, default 64]
# ROUNDS=N (default 1) alternates off/on N times per backend and reports each run.
# BACKENDS="sqlite postgres" (the default) picks the stores.
# Needs wrk, python3, curl and the Debian package postgresql (server binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "decision-log-load.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
seconds=${1:-10}
connections=${2:-64}
rounds=${ROUNDS:-1}
backends=${BACKENDS:-sqlite postgres}
swift build -c release --product spectral >/dev/null
spectral=$(swift build -c release --show-bin-path)/spectral
work=$(mktemp -d /tmp/spectral-log-load-XXXXXX)
chmod 755 "$work"
export SPECTRAL_LOG_LEVEL=warning
server="" pgbin="" pgdir=""
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [ -n "$pgdir" ] && as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
p = {p["name"]: p for p in json.load(open("Fixtures/bench/predicates.json"))}["risk_score"]
declare = []
for var, value in p["input"].items():
    cel = "double" if isinstance(value, float) else "map(string,dyn)" if isinstance(value, dict) else "dyn"
    declare += ["--declare", f"{var}={cel}"]
open(f"{work}/declare", "w").write("\n".join(declare) + "\n")
open(f"{work}/risk_score.cel", "w").write(p["expr"] + "\n")
json.dump([{"input": p["input"], "expect": p["expected"]}], open(f"{work}/tests.json", "w"))
json.dump({"predicate": "risk_score", "input": p["input"]}, open(f"{work}/body.json", "w"))
PY
cat > "$work/post.lua" <<'LUA'
local f = io.open(os.getenv("BODY"), "r"); wrk.body = f:read("*a"); f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
    io.write(string.format("RESULT %.0f %.3f %.3f %d\n", summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

# A store with risk_score published, for the backend: sets SPECTRAL_DATABASE_URL.
prepare() {
    case "$1" in
    sqlite) export SPECTRAL_DATABASE_URL="sqlite:$work/spectral.sqlite" ;;
    postgres)
        pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
        pgdir="$work/pg"; mkdir -p "$pgdir"; [ "$(id -u)" = 0 ] && chown postgres "$pgdir"
        pgport=$((40000 + RANDOM % 10000))
        as_postgres "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 >/dev/null
        as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" \
            -l "$pgdir/server.log" -w start >/dev/null
        as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -q -c "CREATE DATABASE bench" >/dev/null
        export SPECTRAL_DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/bench?sslmode=disable"
        "$spectral" migrate >/dev/null ;;
    esac
    mapfile -t declare < "$work/declare"
    "$spectral" submit --name risk_score --source-file "$work/risk_score.cel" "${declare[@]}" --tests "$work/tests.json" >/dev/null
    "$spectral" work --poll-interval 50 & local worker=$!
    for _ in $(seq 1 100); do "$spectral" status 1 >/dev/null 2>&1 && break; sleep 0.1; done
    kill -TERM "$worker"; wait "$worker" || true
    "$spectral" status 1 | grep -q published || { echo "risk_score not published on $1"; "$spectral" status 1; exit 1; }
}

# One run: serve with the given extra arguments, wrk for $seconds, then /metrics.
# Prints "req/s p50 p99 errors logged dropped_queue dropped_store".
measure() {
    local port=$((20000 + RANDOM % 20000))
    "$spectral" serve --demo --port "$port" "$@" 2>>"$work/serve.log" & server=$!
    for _ in $(seq 1 100); do curl -sf "localhost:$port/health" >/dev/null && break; sleep 0.1; done
    curl -sf -XPOST "localhost:$port/v1/decide" --data-binary @"$work/body.json" >/dev/null
    local result
    result=$(BODY="$work/body.json" wrk -t2 -c"$connections" -d"${seconds}s" -s "$work/post.lua" "http://127.0.0.1:$port/v1/decide" \
        | awk '/^RESULT/ {print $2, $3, $4, $5}')
    sleep 0.5   # the writer's last pass (it looks every 100 ms)
    local metrics; metrics=$(curl -sf "localhost:$port/metrics")
    kill -TERM "$server"; wait "$server" || true; server=""
    metric() { awk -v key="$1" 'index($0, key) == 1 {print $NF; found=1} END {if (!found) print 0}' <<<"$metrics"; }
    echo "$result $(metric 'spectral_decisions_logged_total{sink="store"}') $(metric 'spectral_decision_log_dropped_total{reason="queue_full"}') $(metric 'spectral_decision_log_dropped_total{reason="store_error"}')"
}

printf "%-9s %-4s %10s %8s %8s %6s %10s %9s %9s %8s\n" store log "req/s" "p50 ms" "p99 ms" errors logged "dropped" "lost" "on/off"
for backend in $backends; do
    prepare "$backend"
    for round in $(seq 1 "$rounds"); do
        read -r off_rps off_p50 off_p99 off_err _ _ _ <<<"$(measure)"
        read -r on_rps on_p50 on_p99 on_err logged dropped lost <<<"$(measure --decision-log)"
        printf "%-9s %-4s %10s %8s %8s %6s %10s %9s %9s\n" "$backend" off "$off_rps" "$off_p50" "$off_p99" "$off_err" - - -
        printf "%-9s %-4s %10s %8s %8s %6s %10s %9s %9s %7s%%\n" "$backend" on "$on_rps" "$on_p50" "$on_p99" "$on_err" "$logged" "$dropped" "$lost" \
            "$(python3 -c "print(round(100 * $on_rps / $off_rps, 1))")"
    done
    if [ "$backend" = postgres ]; then as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null; pgdir=""; fi
done
echo "risk_score, connections $connections, $seconds s per run, wrk -t2; log on = serve --decision-log (every decision, queue 10000, batches of 500)"
