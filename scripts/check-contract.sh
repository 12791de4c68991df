#!/usr/bin/env bash
# Checks the Custom System contract and the two bundled reference systems against it:
#   1. validates Contracts/custom-system.yaml (openapi-spec-validator),
#   2. starts `parley reference erp --seed 50` and `parley reference pms --seed 50` on free loopback ports,
#   3. exercises every operation with realistic data and validates each answer against the document
#      (scripts/contract_check.py: statuses, content types, headers, bodies, idempotency, ETags, webhooks
#      and their signatures),
#   4. fuzzes every operation with schemathesis (bounded: a few examples per operation and collection)
#      with the checks not_a_server_error, status_code_conformance, content_type_conformance and
#      response_schema_conformance.
# Exits non-zero on any failure and always stops the servers it started.
#
# usage: scripts/check-contract.sh [PATH_TO_PARLEY_BINARY]   (default .build/debug/parley)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BINARY="${1:-.build/debug/parley}"
SPEC="$ROOT/Contracts/custom-system.yaml"
MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-10}"
TOKEN="contract-check-$RANDOM$RANDOM"

if [[ ! -x "$BINARY" ]]; then
    echo "check-contract: parley binary not found at $BINARY (build it with 'swift build' or pass its path)" >&2
    exit 2
fi
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"

python3 -c "import openapi_spec_validator" 2>/dev/null || python3 -m pip install --quiet openapi-spec-validator
python3 -c "import schemathesis, jsonschema, yaml" 2>/dev/null || python3 -m pip install --quiet schemathesis jsonschema pyyaml

WORK="$(mktemp -d)"
# Run a private copy, so a rebuild of the binary during the check cannot disturb it.
cp "$BINARY" "$WORK/parley"
BINARY="$WORK/parley"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== 1. Validating $SPEC"
openapi-spec-validator "$SPEC"

# start_system KIND -> sets URL to the base URL once the server prints its listening line.
start_system() {
    local kind="$1" log="$WORK/$1.log"
    "$BINARY" reference "$kind" --host 127.0.0.1 --port 0 --db "$WORK/$kind.sqlite" --seed 50 --token "$TOKEN" \
        --log-level warning >"$log" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 1 300); do
        URL="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | head -1 | sed 's/listening on //')" || true
        if [[ -n "$URL" ]]; then
            echo "   $(grep 'listening on' "$log" | head -1)"
            return 0
        fi
        if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then
            echo "check-contract: parley reference $kind exited:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "check-contract: parley reference $kind did not start within 30 s" >&2
    cat "$log" >&2
    return 1
}

FAILED=0
for kind in erp pms; do
    echo "== 2. Starting the Custom $(echo "$kind" | tr a-z A-Z) reference system"
    start_system "$kind"
    BASE="$URL"

    echo "== 3. Exercising every operation of $BASE"
    if ! python3 "$ROOT/scripts/contract_check.py" "$SPEC" "$BASE" --token "$TOKEN" >"$WORK/$kind-exercise.log" 2>&1; then
        grep -v '^  ok' "$WORK/$kind-exercise.log" >&2
        FAILED=1
    else
        tail -1 "$WORK/$kind-exercise.log"
    fi

    # "collection=first-id" pairs, so fuzzing reaches existing records of every collection.
    targets="$(python3 -c '
import json, sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
def get(path):
    request = urllib.request.Request(sys.argv[1] + path, headers={"Authorization": "Bearer " + sys.argv[2]})
    return json.load(opener.open(request))
pairs = []
for datatype in get("/schema")["datatypes"]:
    items = get("/" + datatype["collection"] + "?limit=1")["items"]
    pairs.append(datatype["collection"] + "=" + (str(items[0][datatype["idField"]]) if items else "1"))
print(" ".join(pairs))' "$BASE" "$TOKEN")"
    for target in "" $targets; do
        collection="${target%%=*}"
        config="$WORK/schemathesis-$kind-${collection:-any}.toml"
        if [[ -n "$collection" ]]; then
            printf '[parameters]\ncollection = "%s"\nid = "%s"\n' "$collection" "${target#*=}" >"$config"
        else
            : >"$config"
        fi
        echo "== 4. schemathesis on $BASE (collection: ${collection:-generated})"
        if ! (cd "$WORK" && schemathesis --config-file "$config" run "$SPEC" \
                --url "$BASE" \
                --header "Authorization: Bearer $TOKEN" \
                --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
                --phases examples,coverage,fuzzing \
                --exclude-operation-id createWebhook \
                --max-examples "$MAX_EXAMPLES" \
                --workers 1 \
                --seed 1 \
                --request-timeout 10 \
                >"$WORK/$kind-$collection-schemathesis.log" 2>&1); then
            cat "$WORK/$kind-$collection-schemathesis.log" >&2
            FAILED=1
        else
            grep -E '[0-9]+ generated' "$WORK/$kind-$collection-schemathesis.log" | sed 's/^ */   /'
        fi
    done
done

if [[ "$FAILED" -ne 0 ]]; then
    echo "check-contract: FAILED" >&2
    exit 1
fi
echo "check-contract: the contract document is valid and both reference systems conform"
