#!/bin/sh
# docs/draw.sh - `make docs`: draw the README's charts (docs/*.png) from the
# built-in data, in a temporary store, with the commands the README shows.
# Fixed dates (--to, --at, LLMCOST_NOW for the usage chart) keep the
# pictures the same from one run to the next, whatever today is.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
L="$TOP/llmcost"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-docs.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
export HOME="$TMP" LLMCOST_DB="$TMP/llmcost.db" LC_ALL=C
cd "$TOP"
run() { echo "+ llmcost $*"; "$L" "$@"; }
run plot collapse --to 2024-12-31 -o docs/collapse.png
run plot frontier --to 2025-12-31 -o docs/frontier.png
run plot pareto --at 2025-06-30 -o docs/pareto.png
run plot estimate --task photo-caption --count 68000 --at 2024-12-31 -o docs/estimate.png
# the spend chart needs usage: the test fixture's two months, the second still running
"$L" ingest usage tests/fixtures/usage/spend.csv >/dev/null 2>&1
"$L" budget set --monthly 300 >/dev/null
LLMCOST_NOW=2024-12-15 run plot spend --monthly -o docs/spend-monthly.png
LLMCOST_NOW=2024-12-15 run plot spend --since 2024-11-01 -o docs/spend.png
