#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: a temp folder, a free loopback port, stopped and removed
# afterwards. Exports PARLEY_TEST_POSTGRES_URL (postgres://parley:<password>@127.0.0.1:<port>/parley) to it.
# Installs PostgreSQL from Debian if it is missing. Usage: scripts/with-postgres.sh COMMAND [ARGS...]
# The cluster runs with fsync=off (tests need no durability); WITH_POSTGRES_FSYNC=on keeps PostgreSQL's
# default, for benchmarks.
set -euo pipefail

find_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/initdb" ]]; then echo "$dir"; return 0; fi
    done
    return 1
}

PGBIN="$(find_bin || true)"
if [[ -z "$PGBIN" ]]; then
    echo "with-postgres: installing PostgreSQL (apt-get)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
    PGBIN="$(find_bin)"
fi

RUN_AS=()
if [[ "$(id -u)" == "0" ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
    RUN_AS=(runuser -u postgres --)
fi

PGDATA_ROOT="$(mktemp -d /tmp/parley-pg-XXXXXX)"
chmod 755 "$PGDATA_ROOT"
[[ ${#RUN_AS[@]} -gt 0 ]] && chown postgres "$PGDATA_ROOT"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
PASSWORD="pw$RANDOM$RANDOM"

cleanup() {
    "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_ROOT/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA_ROOT"
}
trap cleanup EXIT

echo "$PASSWORD" > "$PGDATA_ROOT/pw"
[[ ${#RUN_AS[@]} -gt 0 ]] && chown postgres "$PGDATA_ROOT/pw"
"${RUN_AS[@]}" "$PGBIN/initdb" -D "$PGDATA_ROOT/data" -U parley --pwfile="$PGDATA_ROOT/pw" -A scram-sha-256 >/dev/null
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_ROOT/data" -l "$PGDATA_ROOT/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDATA_ROOT -c max_connections=200 -c fsync=${WITH_POSTGRES_FSYNC:-off}" start >/dev/null
PGPASSWORD="$PASSWORD" "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U parley -d postgres -qc "CREATE DATABASE parley" >/dev/null

export PARLEY_TEST_POSTGRES_URL="postgres://parley:$PASSWORD@127.0.0.1:$PORT/parley"
echo "with-postgres: PostgreSQL on 127.0.0.1:$PORT (data in $PGDATA_ROOT)" >&2
"$@"
