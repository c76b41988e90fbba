#!/usr/bin/env bash
# Smoke test of the operator path on PostgreSQL: starts a throwaway server (as the postgres
# user when run as root), then `spectral migrate`, `submit` (one valid, one invalid
# predicate), `work` until both are handled, `status`, `predicates list`; stops the server.
#   infra/scripts/smoke-postgres.sh [PATH_TO_SPECTRAL]
set -euo pipefail
spectral=$(realpath "${1:-.build/debug/spectral}")
dir=$(mktemp -d /tmp/spectral-smoke-XXXXXX)
. "$(dirname "$0")/lib/throwaway-postgres.sh"
cleanup() { stop_throwaway_postgres "$dir"; rm -rf "$dir"; }
trap cleanup EXIT
start_throwaway_postgres "$dir" || { echo "smoke: PostgreSQL did not start"; exit 1; }
export SPECTRAL_DATABASE_URL="$PG_URL"

"$spectral" migrate
good=$("$spectral" submit --name adult --source 'user.age >= 18' --declare 'user=map(string, dyn)')
bad=$("$spectral" submit --name broken --source 'user.age >=' --declare 'user=map(string, dyn)')
"$spectral" work --poll-interval 100 2>"$dir/worker.log" &
worker=$!
# `status` exits 0 published, 1 rejected or dead, 3 pending: read its text, then its code.
for _ in $(seq 1 100); do
    if { "$spectral" status "$bad" || true; } | grep -q rejected && { "$spectral" status "$good" || true; } | grep -q published; then break; fi
    sleep 0.1
done
kill -TERM "$worker"
wait "$worker"
"$spectral" status "$good" | grep -qx 'published adult@1' || { echo "smoke: $good not published"; cat "$dir/worker.log"; exit 1; }
{ "$spectral" status "$bad" || [ $? -eq 1 ]; } | grep -q '^rejected broken' || { echo "smoke: $bad not rejected (exit 1)"; exit 1; }
"$spectral" predicates list
echo "smoke-postgres: ok"
