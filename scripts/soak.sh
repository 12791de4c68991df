#!/usr/bin/env bash
# Soak test: the bundled Custom ERP and Custom PMS (`parley reference erp|pms`), `parley run` syncing them with
# webhooks on, and a steady stream of random edits on both sides; afterwards `parley verify` must exit 0, a census
# of both systems (read directly, not through Parley's state) must find no duplicate merge key, no record
# without exactly one partner and no lost edit. The memory of `parley run` is sampled every 5 s (rss.csv) and judged
# flat or grown in the printed row (not in the exit code). Results go to docs/soak.md (copy the printed row there).
#
# Usage: scripts/soak.sh [DURATION_SECONDS] [EDITS_PER_SECOND] [SEED_CUSTOMERS]
#   defaults 60 s, 20 edits/s, 500 customers (a smoke run); the recorded long run: scripts/soak.sh 600 50 2000
# Environment: PARLEY_BIN (default: build and use .build/debug/parley), SOAK_DIR (default: a temp folder, kept).
# Everything runs on loopback and stops by itself. Exit 0: verify passed and the census is clean; otherwise the last
# verify's exit code 3 minutes after the last edit (1: findings; above 128: it crashed), 2 if a reference system did
# not start, 3 if verify passed but the census did not.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${1:-60}"
RATE="${2:-20}"
SEED="${3:-500}"
if [[ -z "${PARLEY_BIN:-}" ]]; then
    (cd "$ROOT" && swift build --product parley >/dev/null)
    PARLEY_BIN="$ROOT/.build/debug/parley"
fi
DIR="${SOAK_DIR:-$(mktemp -d /tmp/parley-soak-XXXXXX)}"
mkdir -p "$DIR"
cd "$DIR"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
ERP_PORT="$(free_port)"
PMS_PORT="$(free_port)"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$PARLEY_BIN" reference erp --port "$ERP_PORT" --db "$DIR/erp.sqlite" --seed "$SEED" --log-level warning >"$DIR/erp.log" 2>&1 &
PIDS+=($!)
"$PARLEY_BIN" reference pms --port "$PMS_PORT" --db "$DIR/pms.sqlite" --seed "$((SEED / 2))" --seed-offset "$((SEED * 3 / 4))" \
    --log-level warning >"$DIR/pms.log" 2>&1 &
PIDS+=($!)
for port in "$ERP_PORT" "$PMS_PORT"; do
    for attempt in $(seq 1 300); do
        curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
        if [[ $attempt == 300 ]]; then echo "reference system on port $port did not start (see $DIR/*.log)" >&2; exit 2; fi
        sleep 0.2
    done
done

export PARLEY_ERP_URL="http://127.0.0.1:$ERP_PORT" PARLEY_PMS_URL="http://127.0.0.1:$PMS_PORT" PARLEY_STATE="$DIR/state.sqlite"
export PARLEY_ERP_WEBHOOK_SECRET="soak-erp-$RANDOM$RANDOM" PARLEY_PMS_WEBHOOK_SECRET="soak-pms-$RANDOM$RANDOM"
"$PARLEY_BIN" init -o "$DIR/parley.yaml" --force >/dev/null

# Onboarding first, so the soak measures steady-state syncing.
"$PARLEY_BIN" sync --config "$DIR/parley.yaml" >"$DIR/onboarding.log" 2>&1
python3 "$ROOT/scripts/soak_edits.py" census "$PARLEY_ERP_URL" "$PARLEY_PMS_URL" >"$DIR/census-before.json" || true

"$PARLEY_BIN" run --config "$DIR/parley.yaml" --port 0 --log-format json 2>"$DIR/run.log" >"$DIR/run.out" &
RUN_PID=$!
PIDS+=("$RUN_PID")
rss() { awk '/VmRSS/ {print $2}' "/proc/$RUN_PID/status" 2>/dev/null || echo 0; }
sleep 3
echo "elapsed_s,rss_kib" >"$DIR/rss.csv"
START=$(date +%s)
(
    while kill -0 "$RUN_PID" 2>/dev/null; do echo "$(( $(date +%s) - START )),$(rss)" >>"$DIR/rss.csv"; sleep 5; done
) &
PIDS+=($!)

python3 "$ROOT/scripts/soak_edits.py" "$PARLEY_ERP_URL" "$PARLEY_PMS_URL" "$RATE" "$DURATION" --expect "$DIR/expected.json" >"$DIR/edits.json"
EDITS_DONE=$(date +%s)

# Let `parley run` catch up (it polls every 5 s; webhooks are immediate): verify at once, then every 3 s for at
# most 3 minutes, while it still runs. "Settled" is when the first passing verify ended (an upper bound). A verify
# that runs while the last changes are still in flight may fail; only the last attempt's verdict counts.
# Every attempt's output is kept (verify-N.txt, exit codes in verify-attempts.txt); an exit code above 128 is a
# crash of `parley verify` itself, not a finding.
VERIFY=1
ATTEMPTS=0
CRASHES=0
while (( $(date +%s) - EDITS_DONE < 180 )); do
    ATTEMPTS=$((ATTEMPTS + 1))
    STATUS=0
    "$PARLEY_BIN" verify --config "$DIR/parley.yaml" >"$DIR/verify-$ATTEMPTS.txt" 2>&1 || STATUS=$?
    echo "attempt $ATTEMPTS: exit $STATUS, ended $(( $(date +%s) - EDITS_DONE )) s after the last edit" >>"$DIR/verify-attempts.txt"
    cp "$DIR/verify-$ATTEMPTS.txt" "$DIR/verify.txt"
    if (( STATUS > 128 )); then CRASHES=$((CRASHES + 1)); fi
    if (( STATUS == 0 )); then VERIFY=0; break; fi
    VERIFY=$STATUS
    sleep 3
done
SETTLED=$(( $(date +%s) - EDITS_DONE ))
SETTLED=$([[ $VERIFY == 0 ]] && echo "$SETTLED s" || echo "not within $SETTLED s")
# Both systems read directly, without Parley's state: duplicates per merge key, records without exactly one
# partner, and edits whose value is neither on both sides nor a loser in the conflict log.
"$PARLEY_BIN" conflicts --config "$DIR/parley.yaml" --all --limit 1000000 >"$DIR/conflicts.txt" 2>&1 || true
CENSUS=0
python3 "$ROOT/scripts/soak_edits.py" census "$PARLEY_ERP_URL" "$PARLEY_PMS_URL" --expect "$DIR/expected.json" \
    --conflicts "$DIR/conflicts.txt" >"$DIR/census.json" || CENSUS=$?
"$PARLEY_BIN" status --config "$DIR/parley.yaml" >"$DIR/status.txt" 2>&1 || true
echo "$(( $(date +%s) - START )),$(rss)" >>"$DIR/rss.csv"
kill -TERM "$RUN_PID"
wait "$RUN_PID" 2>/dev/null || true

RSS_START=$(awk -F, 'NR==2 {print $2}' "$DIR/rss.csv")
RSS_PEAK=$(awk -F, 'NR>1 && $2>m {m=$2} END {print m}' "$DIR/rss.csv")
RSS_END=$(awk -F, 'NR>1 {v=$2} END {print v}' "$DIR/rss.csv")
# "Flat": while the edits ran, the mean of the last third may not exceed the mean of the first third by more than
# 10% plus 4 MiB. The first minute (a fifth of a shorter run) is warm-up, from an idle process to a full working
# set, and is left out.
WARMUP=$(( DURATION / 5 < 60 ? DURATION / 5 : 60 ))
FLAT=$(awk -F, -v warmup="$WARMUP" -v duration="$DURATION" 'NR>1 && $1>=warmup && $1<=duration {n++; v[n]=$2} END {
    third=int(n/3); if (third<1) {print "n/a"; exit}
    a=0; b=0; for (i=1;i<=third;i++) {a+=v[i]; b+=v[n-third+i]}
    a/=third; b/=third; printf "%s (%d -> %d MiB)\n", (b <= a*1.10 + 4096) ? "flat" : "grew", a/1024, b/1024}' "$DIR/rss.csv")
EDITS=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["edits"], d["errors"], round(d["edits"] / d["seconds"], 1))' "$DIR/edits.json")
read -r EDIT_COUNT EDIT_ERRORS EDIT_RATE <<<"$EDITS"
CONFLICTS=$(grep -c '^#' "$DIR/conflicts.txt" || true)
DUPLICATES=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["counts"]; e=d["edits"]
print("%d dup., %d unpaired (customers %d/%d, projects %d/%d); last edits: %d kept, %d lost in a logged conflict, %d lost (%d diverged, %d overwritten), %d inconclusive" % (
      len(d["duplicates"]), len(d["unpaired"]), c["erp.customers"], c["pms.customers"], c["erp.projects"], c["pms.projects"],
      e["kept"], e["lost in a logged conflict"], len(e["diverged"]) + len(e["overwritten"]), len(e["diverged"]), len(e["overwritten"]),
      len(e["inconclusive"])))' "$DIR/census.json" 2>/dev/null || echo "census failed")
# Passes of `parley run` by kind, and anything it logged above info.
PASSES=$(python3 -c 'import json,sys,collections
kinds, loud = collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    try: entry = json.loads(line)
    except ValueError: loud["unparsed line"] += 1; continue
    if entry.get("message") == "pass": kinds[entry.get("metadata", {}).get("kind", "?")] += 1
    if entry.get("level") not in ("trace", "debug", "info"): loud[entry.get("level") + ": " + entry.get("message", "")[:80]] += 1
print("passes " + ", ".join("%s %d" % kv for kv in sorted(kinds.items())) + "; above info: " + (", ".join("%s (%d)" % kv for kv in loud.most_common(5)) or "none"))' "$DIR/run.log")
RSS_MINUTES=$(awk -F, 'NR>1 && (NR==2 || int($1/60) != last) {printf "%s%d s %d MiB", sep, $1, $2/1024; sep=", "; last=int($1/60)} END {print ""}' "$DIR/rss.csv")
VERDICT=$([[ $VERIFY == 0 ]] && echo "exit 0" || echo "exit $VERIFY (see $DIR/verify.txt)")
if (( CRASHES > 0 )); then VERDICT="$VERDICT; $CRASHES of $ATTEMPTS attempts crashed"; fi

echo
echo "soak: $DIR"
cat "$DIR/verify.txt"
echo "verify attempts: $ATTEMPTS ($CRASHES crashed)"; cat "$DIR/verify-attempts.txt"
echo "census: $DUPLICATES"
echo "$PASSES"
echo "RSS by minute: $RSS_MINUTES"
echo
echo "| date | machine | command | duration | edits (failed), rate | conflicts | census | RSS start / peak / end MiB | memory | settled after | verify |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '| %s | %s cores, %s GiB | `scripts/soak.sh %s %s %s` | %s s | %s (%s), %s/s | %s | %s | %s / %s / %s | %s | %s | %s |\n' \
    "$(date -u +%Y-%m-%d)" "$(nproc)" "$(free -g | awk '/Mem:/ {print $2}')" "$DURATION" "$RATE" "$SEED" "$DURATION" \
    "$EDIT_COUNT" "$EDIT_ERRORS" "$EDIT_RATE" "$CONFLICTS" "$DUPLICATES" "$((RSS_START / 1024))" "$((RSS_PEAK / 1024))" "$((RSS_END / 1024))" \
    "$FLAT" "$SETTLED" "$VERDICT"
if [[ $VERIFY == 0 && $CENSUS != 0 ]]; then exit 3; fi
exit "$VERIFY"
