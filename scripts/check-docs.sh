#!/usr/bin/env bash
# Checks `parley docs` end to end against the bundled reference systems:
#   1. starts `parley reference erp` and `parley reference pms` on free loopback ports,
#   2. writes the default configuration (`parley init`) and generates the checklists with PARLEY_ERP_URL /
#      PARLEY_PMS_URL / PARLEY_STATE pointing at them,
#   3. builds every RST document with docutils and fails on any warning (or error),
#   4. checks that each flow section appears exactly once, that Markdown and HTML are written and non-empty,
#      that one asked-for direction goes to one file, and that no state file was created,
#   5. repeats the RST build with system titles full of RST markup, which must come out as plain text.
# Exits non-zero on any failure and always stops the servers it started.
#
# usage: scripts/check-docs.sh [PATH_TO_PARLEY_BINARY]   (default .build/debug/parley)
set -euo pipefail

BINARY="${1:-.build/debug/parley}"
if [[ ! -x "$BINARY" ]]; then
    echo "check-docs: parley binary not found at $BINARY (build it with 'swift build' or pass its path)" >&2
    exit 2
fi
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"

python3 -c "import docutils" 2>/dev/null || python3 -m pip install --quiet docutils

WORK="$(mktemp -d)"
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

FAILED=0
failure() {
    echo "check-docs: $*" >&2
    FAILED=1
}

# start_system KIND -> sets URL to the base URL once the server prints its listening line.
start_system() {
    local kind="$1" log="$WORK/$1.log"
    "$BINARY" reference "$kind" --host 127.0.0.1 --port 0 --db "$WORK/$kind.sqlite" --log-level warning >"$log" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 1 300); do
        URL="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | head -1 | sed 's/listening on //')" || true
        if [[ -n "$URL" ]]; then
            echo "   $(grep 'listening on' "$log" | head -1)"
            return 0
        fi
        if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then
            echo "check-docs: parley reference $kind exited:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "check-docs: parley reference $kind did not start within 30 s" >&2
    cat "$log" >&2
    return 1
}

# build_rst FILE: docutils HTML build that halts and reports at warning level; any report fails the check.
build_rst() {
    local file="$1"
    if ! python3 - "$file" "$file.html" >"$file.docutils.log" 2>&1 <<'PYTHON'
import sys
from docutils.core import publish_cmdline
publish_cmdline(writer_name="html", argv=["--halt=warning", "--report=warning", "--exit-status=warning", sys.argv[1], sys.argv[2]])
PYTHON
    then
        failure "docutils rejected $(basename "$file"):"
        cat "$file.docutils.log" >&2
        return
    fi
    if [[ -s "$file.docutils.log" ]]; then
        failure "docutils reported on $(basename "$file"):"
        cat "$file.docutils.log" >&2
        return
    fi
    echo "   $(basename "$file"): docutils built it with no warnings"
}

# expect_once FILE TEXT: TEXT occurs on exactly one line of FILE.
expect_once() {
    local count
    count="$(grep -cxF -- "$2" "$1" || true)"
    [[ "$count" == "1" ]] || failure "$(basename "$1"): '$2' appears $count times, expected once"
}

# expect_nonempty FILE
expect_nonempty() {
    [[ -s "$1" ]] || failure "$1 is missing or empty"
}

echo "== 1. Starting the Custom ERP and the Custom PMS"
start_system erp
export PARLEY_ERP_URL="$URL"
start_system pms
export PARLEY_PMS_URL="$URL"
export PARLEY_STATE="$WORK/state.sqlite"
"$BINARY" init -o "$WORK/parley.yaml" >/dev/null

echo "== 2. parley docs --format rst"
"$BINARY" docs -c "$WORK/parley.yaml" --format rst --output "$WORK/rst" --generated 2024-10-28 >/dev/null
for direction in erp-to-pms pms-to-erp; do
    expect_nonempty "$WORK/rst/$direction.rst"
done
expect_once "$WORK/rst/erp-to-pms.rst" "Custom ERP to Custom PMS Dataflow"
expect_once "$WORK/rst/erp-to-pms.rst" "Custom ERP Customer to Custom PMS Customer"
expect_once "$WORK/rst/erp-to-pms.rst" "Custom ERP Project to Custom PMS Project"
expect_once "$WORK/rst/pms-to-erp.rst" "Custom PMS to Custom ERP Dataflow"
expect_once "$WORK/rst/pms-to-erp.rst" "Custom PMS Customer to Custom ERP Customer"
expect_once "$WORK/rst/pms-to-erp.rst" "Custom PMS Project to Custom ERP Project"

echo "== 3. Building the RST with docutils (warnings fail)"
for file in "$WORK"/rst/*.rst; do
    build_rst "$file"
done

echo "== 4. Markdown, HTML, one direction, no state file"
"$BINARY" docs -c "$WORK/parley.yaml" --format md --output "$WORK/md" >/dev/null
"$BINARY" docs -c "$WORK/parley.yaml" --format html --output "$WORK/html" >/dev/null
for direction in erp-to-pms pms-to-erp; do
    expect_nonempty "$WORK/md/$direction.md"
    expect_nonempty "$WORK/html/$direction.html"
    head -1 "$WORK/html/$direction.html" | grep -qx '<!DOCTYPE html>' || failure "$direction.html does not start with <!DOCTYPE html>"
done
"$BINARY" docs -c "$WORK/parley.yaml" --format rst --from pms --to erp --output "$WORK/one/pms-erp.rst" >/dev/null
expect_nonempty "$WORK/one/pms-erp.rst"
[[ "$(ls "$WORK/one")" == "pms-erp.rst" ]] || failure "--from/--to with --output wrote more than the one file"
[[ -n "$("$BINARY" docs -c "$WORK/parley.yaml" --format md --from erp --to pms)" ]] || failure "no Markdown on stdout"
[[ ! -e "$PARLEY_STATE" ]] || failure "parley docs created the state file $PARLEY_STATE"
echo "   md and html written for both directions; --from/--to wrote one file; no state file"

echo "== 5. System titles full of RST markup"
sed -e "s/title: Custom ERP/title: 'ERP_ *x* |y| \`z\` [1]_ ::'/" -e "s/title: Custom PMS/title: '- 1. PMS __init__ <b>\&'/" \
    "$WORK/parley.yaml" >"$WORK/hostile.yaml"
"$BINARY" docs -c "$WORK/hostile.yaml" --format rst --output "$WORK/hostile" >/dev/null
for file in "$WORK"/hostile/*.rst; do
    build_rst "$file"
done

if [[ "$FAILED" -ne 0 ]]; then
    echo "check-docs: FAILED" >&2
    exit 1
fi
echo "check-docs: the generated checklists build with docutils without warnings; md and html are written"
