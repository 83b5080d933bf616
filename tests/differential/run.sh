#!/bin/sh
# Differential test of `lintas mrz` against npm mrz 5.0.2.
#   tests/differential/run.sh BUILD_DIR
# Installs the pinned npm package (package-lock.json) when node_modules is
# missing, runs diff.mjs with BUILD_DIR/lintas (or $LINTAS), prints the
# count of explained disagreements by category, and exits non-zero when a
# disagreement is not explained by a rule. The full list is written to
# BUILD_DIR/mrz-differential.jsonl.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
lintas=${LINTAS:-$build/lintas}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "differential: node and npm are required (Debian packages nodejs, npm)" >&2
    exit 1
fi
if [ ! -d "$here/node_modules/mrz" ]; then
    (cd "$here" && npm ci --silent --no-audit --no-fund)
fi
exec node "$here/diff.mjs" "$lintas" "$build"
