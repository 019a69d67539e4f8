#!/bin/bash
# End-to-end tests: run.sh PATH-TO-SALESPLAN.  Runs every tests/e2e/t_*.sh
# and ends with the line "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export SP
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$here/lib.sh"
cd "$root"
for f in "$here"/t_*.sh; do
    . "$f"
done
echo "e2e: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
