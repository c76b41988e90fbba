#!/usr/bin/env bash
# Cutover drill on PostgreSQL: generation N hands the traffic and its events to N+1 with
# nothing failed, lost or applied twice.
#
#   infra/scripts/cutover-drill.sh [PATH_TO_SPECTRAL]
#
# 1. A throwaway PostgreSQL server; `spectral migrate`; an admin API key.
# 2. Generation 1 (`spectral run`: API + worker) serves decide traffic from a load
#    generator (infra/scripts/cutover-load.py, 4 decide threads and one authoring thread).
# 3. The release's expand migration runs while generation 1 serves. Both generations run
#    this same build, whose own migrations are already applied, so the drill's expand step
#    is a stand-in of the same kind: a nullable column and an index built CONCURRENTLY.
# 4. Generation 2 starts and must pass its /health gate: 200 with this build's version and
#    generation 2. The traffic moves to it (the load generator follows a target file, as a
#    load balancer would).
# 5. A burst of submissions reaches generation 1, and generation 1 gets SIGTERM at once,
#    with the load still running: it must exit 0 within its grace period. Then 20 more
#    events are written as generation 1's (an API of generation 1 still running elsewhere):
#    no generation-1 worker is left, so generation 2 must adopt them.
# 6. Load stops; the outbox drains. Every accepted event must be done (L lost counts those
#    that are not), and no event or predicate may be applied twice (D).
#
# Last line: `cutover: R requests, F failed; E events, L lost, D duplicated`. Exits 1 unless
# F, L and D are 0 and generation 2 adopted generation 1's leftovers.
set -euo pipefail
spectral=$(realpath "${1:-.build/debug/spectral}")
here="$(cd "$(dirname "$0")" && pwd)"
dir=$(mktemp -d /tmp/spectral-cutover-XXXXXX)
chmod 755 "$dir"
. "$here/lib/throwaway-postgres.sh"
pids=()
cleanup() {
    touch "$dir/stop"
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    stop_throwaway_postgres "$dir"
    [ -n "${KEEP_DRILL_DIR:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "cutover-drill: $*" >&2; for log in "$dir"/gen*.log; do echo "--- $log (last 20 lines)" >&2; tail -n 20 "$log" >&2; done; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
psql_value() { as_postgres "$PG_BIN/psql" -h "$dir" -p "$PG_PORT" -U postgres -d postgres -XAtq -v ON_ERROR_STOP=1 "$@"; }

start_throwaway_postgres "$dir" || fail "PostgreSQL did not start"
export SPECTRAL_DATABASE_URL="$PG_URL" SPECTRAL_LOG_FORMAT=json
"$spectral" migrate >/dev/null
key=$("$spectral" keys create --name cutover-drill --scope admin --rate 1000000)
version=$("$spectral" --version)
grace=15

# Starts generation $1 on port $2 (`spectral run`, its log in gen$1.log); sets started_pid.
start_generation() {
    "$spectral" run --generation "$1" --port "$2" --grace-period "$grace" 2>"$dir/gen$1.log" &
    started_pid=$!
    pids+=("$started_pid")
}

# Polls /health on port $1 until it answers 200 with this build's version and generation $2.
health_gate() {
    local port="$1" generation="$2" body
    for _ in $(seq 1 600); do
        if body=$(curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null) &&
            python3 -c 'import json, sys; h = json.loads(sys.argv[1]); sys.exit(0 if (h["status"], h["version"], h["generation"]) == ("ok", sys.argv[2], int(sys.argv[3])) else 1)' \
                "$body" "$version" "$generation"; then
            return 0
        fi
        sleep 0.2
    done
    fail "generation $generation on port $port never passed its /health gate (last: ${body:-no answer})"
}

author() {  # author PORT NAME: submits a predicate through the API, prints its event id
    curl -fsS -X POST "http://127.0.0.1:$1/v1/predicates" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        -d "{\"name\": \"$2\", \"source\": \"user.age >= 18\", \"declarations\": {\"user\": \"map(string, dyn)\"}, \"activate\": true,
             \"tests\": [{\"input\": {\"user\": {\"age\": 30}}, \"expect\": true}]}" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["event_id"])'
}

# 2. Generation 1, the predicate the load decides, the load.
port1=$(free_port)
start_generation 1 "$port1"; gen1=$started_pid
health_gate "$port1" 1
seed=$(author "$port1" adult)
for _ in $(seq 1 300); do
    [ "$(psql_value -c "SELECT status FROM spectral.outbox WHERE id = $seed")" = done ] && break
    sleep 0.1
done
# The API learns of the activation by notification; wait until it decides.
for _ in $(seq 1 300); do
    curl -fsS -o /dev/null -X POST "http://127.0.0.1:$port1/v1/decide" -H "Authorization: Bearer $key" \
        -H 'Content-Type: application/json' -d '{"predicate": "adult", "input": {"user": {"age": 30}}}' 2>/dev/null && break
    sleep 0.1
done
echo "$port1" >"$dir/target"
python3 "$here/cutover-load.py" --target-file "$dir/target" --stop-file "$dir/stop" --summary "$dir/summary.json" \
    --key "$key" &
load=$!
pids+=("$load")
sleep 3

# 3. The expand step, under load.
psql_value -c "ALTER TABLE spectral.predicates ADD COLUMN IF NOT EXISTS drill_reviewed_at TIMESTAMPTZ" \
    -c "CREATE INDEX CONCURRENTLY IF NOT EXISTS predicates_drill_reviewed ON spectral.predicates (drill_reviewed_at)"

# 4. Generation 2: gate, then the traffic.
port2=$(free_port)
start_generation 2 "$port2"; gen2=$started_pid
health_gate "$port2" 2
echo "$port2" >"$dir/target"
sleep 2

# 5. A burst to generation 1, SIGTERM to generation 1 at once, then events no generation-1
#    worker will see.
burst=()
for i in $(seq 1 30); do burst+=("$(author "$port1" "burst_$i")"); done
stopped_at=$(date +%s.%N)
kill -TERM "$gen1"
status=0; wait "$gen1" || status=$?
took=$(python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.2f}')" "$stopped_at")
[ "$status" = 0 ] || fail "generation 1 exited $status after SIGTERM (expected 0)"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$took" "$grace" ||
    fail "generation 1 took ${took}s to stop (grace ${grace}s)"
echo "cutover-drill: generation 1 stopped cleanly in ${took}s"
leftover=()
for i in $(seq 1 20); do
    leftover+=("$("$spectral" submit --generation 1 --name "leftover_$i" --source 'user.age >= 18' --declare 'user=map(string, dyn)')")
done
sleep 3

# 6. Stop the load, drain, count.
touch "$dir/stop"
wait "$load" || fail "the load generator failed"
for _ in $(seq 1 600); do
    [ "$(psql_value -c "SELECT count(*) FROM spectral.outbox WHERE status = 'pending'")" = 0 ] && break
    sleep 0.1
done
kill -TERM "$gen2"
wait "$gen2" || fail "generation 2 did not exit cleanly after SIGTERM"

read -r requests failed < <(python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); print(s["requests"], s["failed"])' "$dir/summary.json")
python3 -c 'import json, sys; [print(sample, file=sys.stderr) for sample in json.load(open(sys.argv[1]))["samples"]]' "$dir/summary.json"
ids=$(python3 -c 'import json, sys; print(",".join(str(i) for i in json.load(open(sys.argv[1]))["events"] + sys.argv[2:]))' \
    "$dir/summary.json" "${burst[@]}" "${leftover[@]}")
events=$(($(tr -cd ',' <<<"$ids" | wc -c) + 1))
lost=$(psql_value -c "SELECT count(*) FROM unnest(ARRAY[$ids]::bigint[]) AS e(id)
                      WHERE NOT EXISTS (SELECT 1 FROM spectral.outbox o WHERE o.id = e.id AND o.status = 'done')")
# Twice handled (one event, two records) or twice applied (one submission, two versions: each
# submission names a new predicate, so a second version is a second application).
duplicated=$(psql_value -c "SELECT (SELECT count(*) FROM (SELECT event_id FROM spectral.event_handled GROUP BY event_id HAVING count(*) > 1) AS h)
                                 + (SELECT count(*) FROM (SELECT name FROM spectral.predicates GROUP BY name HAVING count(*) > 1) AS p)")
adopted=$(grep -c '"msg":"adopted an event of a retired generation"' "$dir/gen2.log" || true)
echo "cutover-drill: generation 2 adopted $adopted events of generation 1 (the 20 written after it stopped among them)"
echo "cutover: $requests requests, $failed failed; $events events, $lost lost, $duplicated duplicated"
[ "$failed" = 0 ] && [ "$lost" = 0 ] && [ "$duplicated" = 0 ] || exit 1
[ "$adopted" -ge 20 ] || fail "generation 2 adopted $adopted events; the 20 written as generation 1's after it stopped were not all adopted"
