#!/usr/bin/env bash
# Smoke test of the operator path on PostgreSQL: starts a throwaway server (as the postgres
# user when run as root), then `spectral migrate`, `submit` (one valid, one invalid
# predicate), `work` until both are handled, `status`, `predicates list`; stops the server.
#   infra/scripts/smoke-postgres.sh [PATH_TO_SPECTRAL]
set -euo pipefail
spectral=$(realpath "${1:-.build/debug/spectral}")
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/spectral-smoke-XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
cleanup() { as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
# A random port below Linux's ephemeral range (32768+), so outgoing connections never hold
# it; if it is taken anyway, try another. On failure, show the server's log before the
# cleanup deletes it.
started=
for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 12000))
    if as_pg "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" \
        -l "$dir/server.log" -w -t 60 start >/dev/null; then started=1; break; fi
done
[ -n "$started" ] || { echo "smoke: PostgreSQL did not start; its log:"; cat "$dir/server.log"; exit 1; }
export SPECTRAL_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"

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
