#!/usr/bin/env bash
# The engine benchmark with a PostgreSQL state: a throwaway cluster (scripts/with-postgres.sh) keeping
# PostgreSQL's default durability (fsync on; each commit waits for its WAL flush), two empty databases (the
# engine's and the store floor's), then `parley bench engine --state … --floor-state …` with the given options.
# Pin the whole command to run the server on the benchmark's core too:
#   taskset -c 0 scripts/bench-engine-postgres.sh .build-release/release/parley --records 100000 --changes 1,1000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${PARLEY_BENCH_POSTGRES_STARTED:-}" ]]; then
    PARLEY_BENCH_POSTGRES_STARTED=1 WITH_POSTGRES_FSYNC=on exec "$ROOT/scripts/with-postgres.sh" "$0" "$@"
fi
BIN="$1"
shift
# PARLEY_TEST_POSTGRES_URL is postgres://parley:<password>@127.0.0.1:<port>/parley (with-postgres.sh).
rest="${PARLEY_TEST_POSTGRES_URL#postgres://parley:}"
password="${rest%%@*}"
address="${rest#*@}"
address="${address%%/*}"
for database in bench_engine bench_floor; do
    PGPASSWORD="$password" psql -h "${address%%:*}" -p "${address##*:}" -U parley -d parley -qc "CREATE DATABASE $database" >/dev/null
done
PARLEY_STATE_PASSWORD="$password" "$BIN" bench engine \
    --state "postgres://parley@$address/bench_engine?sslmode=disable" \
    --floor-state "postgres://parley@$address/bench_floor?sslmode=disable" "$@"
