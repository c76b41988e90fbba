#!/usr/bin/env bash
# Fuzzes the running API from its own OpenAPI document with schemathesis (every check),
# as an operator runs it: `spectral run` (API + worker) on a fresh SQLite file, API keys
# on, an admin key for schemathesis, and one published predicate so decide paths reach
# the evaluator. Exits non-zero on any failure.
#
# usage: infra/scripts/schemathesis.sh SPECTRAL_BINARY [SCHEMATHESIS_BINARY]
set -euo pipefail
binary="$(realpath "$1")"
config="$(realpath "$(dirname "$0")/schemathesis.toml")"
st="${2:-schemathesis}"
[ -e "$st" ] && st="$(realpath "$st")"   # the run happens in a scratch directory
work="$(mktemp -d)"
database="sqlite:$work/spectral.sqlite"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$binary" migrate --database-url "$database" >/dev/null
key="$("$binary" keys create --database-url "$database" --name schemathesis --scope admin --rate 100000 | grep -o 'spk_[0-9a-f_]*')"
"$binary" submit --database-url "$database" --name adult --source 'user.age >= 18' --declare 'user=map(string, dyn)' >/dev/null

# A free port below the ephemeral range; retried if the server cannot bind.
for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 12000))
    # schemathesis probes every operation with invalid credentials from one address: past
    # the failed-authentication burst (20) the server rightly answers 429, which its
    # invalid-auth check counts as a failure. The fuzzer is the one client allowed more.
    SPECTRAL_AUTH_FAILURE_BURST=100000 "$binary" run --database-url "$database" --port "$port" >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break 2
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
[ -n "$server_pid" ] || { cat "$work/server.log"; echo "schemathesis.sh: the server did not start" >&2; exit 1; }

# 422 is a schema-valid request the server understood and refused on its meaning — a source
# that does not parse or type-check, an input that does not fit the predicate's
# declarations: JSON Schema cannot say which CEL text parses, so schemathesis may expect it.
cd "$work"
"$st" --no-color --config-file "$config" run "http://127.0.0.1:$port/openapi.json" --checks all --max-examples "${SCHEMATHESIS_EXAMPLES:-40}" \
    --header "Authorization: Bearer $key" \
    --seed "${SCHEMATHESIS_SEED:-1}" 2>&1
status=${PIPESTATUS[0]}
if ! kill -0 "$server_pid" 2>/dev/null || grep -q "child exited" "$work/server.log"; then
    echo "schemathesis.sh: a server process died during the run:" >&2; grep -n "crashed\|child exited" "$work/server.log" >&2 || true
    exit 1
fi
exit "$status"
