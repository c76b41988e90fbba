# Sourced by the drills and smoke tests: a throwaway PostgreSQL server in a temporary data
# directory, as the postgres user when run as root (PostgreSQL refuses to run as root).
#   start_throwaway_postgres DIR   initdb + start; sets PG_BIN, PG_PORT, PG_URL
#   stop_throwaway_postgres DIR    immediate stop (for the caller's cleanup trap)
#   as_postgres CMD...             runs CMD as the postgres user when root

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_throwaway_postgres() {
    local dir="$1" started=
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
    # A random port below Linux's ephemeral range (32768+), so outgoing connections never
    # hold it; if it is taken anyway, try another. On failure, show the server's log.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        PG_PORT=$((20000 + RANDOM % 12000))
        if as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1" \
            -l "$dir/server.log" -w -t 60 start >/dev/null; then started=1; break; fi
    done
    [ -n "$started" ] || { echo "PostgreSQL did not start; its log:" >&2; cat "$dir/server.log" >&2; return 1; }
    PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
}

stop_throwaway_postgres() {
    [ -n "${PG_BIN:-}" ] && as_postgres "$PG_BIN/pg_ctl" -D "$1/data" -m immediate stop >/dev/null 2>&1 || true
}
