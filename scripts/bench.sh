#!/usr/bin/env bash
# Runs the benchmark set with a release build and writes BENCHMARKS.md (machine, commands, figures).
# Usage: scripts/bench.sh [quick|full]   (quick: smaller sizes, for a smoke run)
# Everything runs on loopback; every run stops by itself.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODE="${1:-full}"
BUILD="${PARLEY_BENCH_BUILD:-.build-release}"
swift build -c release --product parley --scratch-path "$BUILD" >/dev/null
BIN="$BUILD/release/parley"

if [[ "$MODE" == "quick" ]]; then
    ONBOARD_SIZES=(1000); ENGINE_RECORDS=20000; SCALE_LINKS=100000; MEMORY_SIZES=(10000 100000); LATENCY_EDITS=200
else
    ONBOARD_SIZES=(10000 100000); ENGINE_RECORDS=100000; SCALE_LINKS=1000000; MEMORY_SIZES=(100000 1000000); LATENCY_EDITS=1000
fi

# Three rounds where a round is short; one at 100,000 (a round takes about 12 minutes).
rounds_for() { if (( $1 < 100000 )); then echo 3; else echo 1; fi; }

OUT="$(mktemp)"
{
    echo "# Benchmarks"
    echo
    echo "Written by \`scripts/bench.sh $MODE\` on $(date -u +%Y-%m-%d). Release build, loopback only."
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $(swift --version 2>&1 | head -1)."
    echo
    echo "## 1. Onboarding over HTTP (ERP customers and their projects into an empty PMS)"
    echo
    echo "Baseline: a minimal copier in the same run that makes exactly the necessary reads and creates, with the same"
    echo "conversions and the same concurrency (8), and no links, merge or state. Each run has its own freshly seeded ERP"
    echo "and empty PMS. Two placements of the reference systems: (a) in the benchmark's process, sharing both cores with"
    echo "Parley or the copier: \`parley bench onboarding --records N [--rounds R]\`; (b) each in a process of its own on"
    echo "CPU 1, Parley or the copier on CPU 0, as in production where the systems run elsewhere:"
    echo "\`taskset -c 0 parley bench onboarding --records N --systems processes --systems-cpus 1 [--rounds R]\`. With"
    echo "rounds, the row gives the medians and each round's ratio (the order alternates). Time per flow and phase goes to stderr."
    echo
    echo "| records | baseline s | Parley s | Parley records/s | Parley / baseline |"
    echo "|---|---:|---:|---:|---:|"
    for n in "${ONBOARD_SIZES[@]}"; do "$BIN" bench onboarding --records "$n" --rounds "$(rounds_for "$n")"; done
    echo
    echo "Systems in processes of their own (CPU 1), Parley and the copier on CPU 0:"
    echo
    echo "| records | baseline s | Parley s | Parley records/s | Parley / baseline |"
    echo "|---|---:|---:|---:|---:|"
    for n in "${ONBOARD_SIZES[@]}"; do
        taskset -c 0 "$BIN" bench onboarding --records "$n" --rounds "$(rounds_for "$n")" --systems processes --systems-cpus 1
    done
    echo
    echo "## 2 and 4. Engine only, and incremental cost at scale"
    echo
    echo "Synthetic in-memory systems (no HTTP), the real SQLite store; the store's share is the time during which a store"
    echo "call was in flight (overlapping calls count once)."
    echo "Command: \`taskset -c 0 parley bench engine --records N --changes 1,1000\` (one core). Baseline in the same run,"
    echo "the \"store floor\": the writes an onboarding records for each record (staged record and merge key, pending link,"
    echo "link with both shadows and the target's key, unstaging, audit row), committed page by page through the same"
    echo "SQLiteStore with no engine work. The \"0 changes\" pass after onboarding reads back the records Parley created"
    echo "(echoes) and writes nothing. The idle pass and the single change are medians of 21 passes each (p90 in the"
    echo "label). CPU s is the process's user + system time during the pass. The synthetic target answers creates with"
    echo "UUIDs, like the reference PMS (\`--created-ids uuid\`, the default); the table after them repeats the first run with"
    echo "ids in order (\`--created-ids sequential\`, what the engine rows of sessions 1 to 5 measured)."
    echo
    taskset -c 0 "$BIN" bench engine --records "$ENGINE_RECORDS" --changes 1,1000
    echo
    taskset -c 0 "$BIN" bench engine --records "$SCALE_LINKS" --changes 1,1000 | tail -n +3
    echo
    echo "Target ids in order:"
    echo
    taskset -c 0 "$BIN" bench engine --records "$ENGINE_RECORDS" --changes 1,1000 --created-ids sequential
    echo
    echo "A PostgreSQL state instead (PostgreSQL on the same core, a throwaway cluster with its default durability: fsync"
    echo "on, each commit waits for its log flush). CPU s is Parley's process only; the server's time is in the seconds."
    echo "Command: \`taskset -c 0 scripts/bench-engine-postgres.sh parley --records N --changes 1,1000\`."
    echo
    taskset -c 0 scripts/bench-engine-postgres.sh "$BIN" --records "$ENGINE_RECORDS" --changes 1,1000
    echo
    echo "What SQLite alone can do on this core: the store floor's writes in raw SQLite (Python's sqlite3 module, the"
    echo "same system libsqlite3, values built before the clock starts) in the state's schema v1 (indexes on the systems'"
    echo "ids), Parley's schema v2 (record ids numbered once: one index keyed by the systems' ids instead of four), a lean"
    echo "redesign, and the bare minimum of a link and an audit row per record; UUIDs for the target's ids, then ids in order."
    echo "Command: \`taskset -c 0 python3 scripts/sqlite-ceiling.py N\` (\`TARGET_IDS=sequential\` for ids in order)."
    echo
    taskset -c 0 python3 scripts/sqlite-ceiling.py "$ENGINE_RECORDS" | tail -n +2
    echo
    TARGET_IDS=sequential taskset -c 0 python3 scripts/sqlite-ceiling.py "$ENGINE_RECORDS" | tail -n +2
    echo
    echo "## 3. Propagation latency"
    echo
    echo "\`parley run\` as it is wired in production (polling loop with a one-hour interval, so only webhooks move edits, and"
    echo "its HTTP server with the webhook receivers registered with both systems) against the reference ERP and PMS on"
    echo "loopback; edits at a steady rate alternate ERP -> PMS and PMS -> ERP. Latency: from the edit's response to the"
    echo "target system's webhook carrying Parley's write arriving at the benchmark (an upper bound: it includes that"
    echo "extra delivery). Command: \`parley bench latency --edits N --rate 20\`."
    echo
    echo "| edits | landed | lost | p50 ms | p95 ms | p99 ms | max ms |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    "$BIN" bench latency --edits "$LATENCY_EDITS" --rate 20
    echo
    echo "## 5. Memory"
    echo
    echo "Peak RSS (VmHWM) of one process onboarding N synthetic records into a sink; one process per N."
    echo "Command: \`parley bench memory --records N\`."
    echo
    echo "| records | seconds | RSS before MB | peak RSS MB |"
    echo "|---|---:|---:|---:|"
    for n in "${MEMORY_SIZES[@]}"; do "$BIN" bench memory --records "$n"; done
} | tee "$OUT"
if [[ "$MODE" == "full" ]]; then
    { cat "$OUT"; echo; cat docs/benchmarks-notes.md; } > BENCHMARKS.md
    echo "wrote BENCHMARKS.md"
fi
rm -f "$OUT"
