#!/bin/sh
# The unit tests and a scripted session of the real binary under valgrind.
# Any memory error or definite leak fails: valgrind's exit code 99 is kept
# apart from the program's own statuses.
set -u
bin=$1; shift
command -v valgrind >/dev/null 2>&1 || {
    echo "valgrind: not installed (apt-get install valgrind)"; exit 1; }
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
for t in "$@"; do
    $vg "./$t" >"$tmp/out" 2>&1
    [ $? -eq 99 ] && { echo "valgrind: $t"; cat "$tmp/out"; fail=1; }
done
$vg "$bin" -c "load scenarios/baseline.plan; run trials 200; show bookings by quarter; \
show reps; copy b; set rep.rate 4%; compare baseline b trials 200; \
sweep rep.rate 2% 4% step 1% trials 100; tornado trials 100; \
goalseek rep.headcount for p(target) = 60% trials 100; \
export $tmp/x.xlsx; export $tmp/x.json; export $tmp/x.csv; save $tmp/b.plan" \
    >"$tmp/out" 2>&1
[ $? -eq 99 ] && { echo "valgrind: session"; cat "$tmp/out"; fail=1; }
$vg "$bin" check models/*.model scenarios/*.plan >"$tmp/out" 2>&1
[ $? -eq 99 ] && { echo "valgrind: check"; cat "$tmp/out"; fail=1; }
[ $fail -eq 0 ] && echo "valgrind: clean"
exit $fail
