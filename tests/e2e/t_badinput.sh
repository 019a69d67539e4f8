# Bad and unusual input, faults and Ctrl-C: each case is refused with
# FILE:LINE:COL and status 2 (bad input), fails with status 1 (a fault) or
# stops with status 130 (Ctrl-C), and in every case changes nothing.

BPY=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import openpyxl' 2>/dev/null; then
        BPY=$p
        break
    fi
done

B="$TMP/bad"
mkdir -p "$B"

# A small valid plan the cases start from.
cat >"$B/base.plan" <<'EOF'
scenario base
role ae quota
set ae.quota 900k
set ae.headcount 3
role mg manager
set mg.span 4
set mg.manages ae
EOF

# ---- the text itself ----

t "badinput: a NUL byte is refused at its line and column"
printf 'scenario a\nset horizon 12\000set horizon 24\n' >"$B/nul.plan"
sp check "$B/nul.plan"
rc_is 2
err_has "nul.plan:2:15: a NUL byte"

t "badinput: a NUL byte on standard input"
printf 'scenario a\000\n' >"$B/nul.txt"
STDIN="$B/nul.txt" sp
rc_is 2
err_has "<stdin>:1:11: a NUL byte"

t "badinput: UTF-16 text gets a hint"
printf '\377\376s\000c\000' >"$B/u16.plan"
sp check "$B/u16.plan"
rc_is 2
err_has "looks like UTF-16"

t "badinput: a byte that is not UTF-8"
printf 'scenario a\nset currency "\351"\n' >"$B/latin1.plan"
sp check "$B/latin1.plan"
rc_is 2
err_has "latin1.plan:2:15: byte 0xE9 is not UTF-8"

# ---- one bad value per parameter type: refused, and the value stays ----

bad_value() {   # TYPE STATEMENT EXPECTED-IN-STDERR
    t "badinput: $1 refuses '$2'"
    sp -c "load $B/base.plan; $2"
    rc_is 2
    err_has "<-c>:1:"
    err_has "$3"
}
bad_value number       'set ae.base 10%'                     "expected a number"
bad_value integer      'set ae.headcount 500%'               "not a percentage"
bad_value months       'set horizon 1200%'                   "not a percentage"
bad_value trials       'set trials 100000%'                  "not a percentage"
bad_value span         'set mg.span 50%'                     "not a percentage"
bad_value month        'set start 2027-13'                   "expected a month"
bad_value bool         'set ae.backfill maybe'               "expected 'on' or 'off'"
bad_value enum         'set ae.leaver nosuch'                "expected 'settle' or 'forfeit'"
bad_value dist         'set ae.attainment normal(1, 1e300)'  "wider than the parameter's whole range"
bad_value dist-months  'set ae.tenure normal(300, 1e300)'    "ae.tenure: sd 1e+300 is wider"
bad_value dist-gamma   'set ae.time_to_fill gamma(2, 1e9)'   "wider than the parameter's whole range"
bad_value numlist      'set ae.attrition 20% 1e300%'         "must be in"
bad_value pairs        'set ae.bonus_curve 50%:1 x'          "expected a pair"
bad_value hires        'set ae.hires 2027-01:50%'            "whole number of hires"
bad_value ramp         'set ae.ramp linear 1200%'            "whole number of months"
bad_value pool         'set mg.pool ae 1e300%'               "expected"
bad_value award        'set ae.award 50% 10k'                "whole number K"
bad_value draw         'set ae.draw 150% 5k'                 "whole number of months"
bad_value guarantee    'set ae.guarantee 3% 5k'              "whole number of months"
bad_value revenue      'set revenue ratable 1200%'           "whole number of months"
bad_value string       'set currency "人民币人民币人民币人民币"' "at most 31 bytes"

t "badinput: a refused value leaves the old one"
sp --keep-going -c "load $B/base.plan; set ae.headcount 500%; get ae.headcount"
out_has "3"

t "badinput: run trials N% and --trials N% are refused"
sp -c "load $B/base.plan; run trials 10%"
rc_is 2
err_has "not a percentage"
sp run "$B/base.plan" --trials 100000%
rc_is 2
err_has "--trials: expected a whole number"

# ---- the engine's bounds, refused by check ----

t "badinput: deals whose attainment tail is too wide are refused at check"
cat >"$B/deals.plan" <<'EOF'
scenario deals
role ae quota
set ae.quota 900k
set ae.headcount 2
set ae.productivity deals
set ae.deal_size 100
set ae.attainment normal(1, 50)
EOF
sp check "$B/deals.plan"
rc_is 2
err_has "deals.plan:7: ae.attainment: its tail gives up to"

t "badinput: more trials than memory holds are refused up front"
phys_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
if [ "${phys_kb:-0}" -gt 0 ] && [ "$phys_kb" -lt 90000000 ]; then
    sed 's/^scenario .*/&\nset trials 10000000/' tests/bench/midsize.plan >"$B/mem.plan"
    sp check "$B/mem.plan"
    rc_is 2
    err_has "10000000 trials of this plan need about"
    sp -c "load tests/bench/midsize.plan; run trials 10000000"
    rc_is 2
    err_has "use at most about"
else
    echo "SKIP memory estimate: this machine has ${phys_kb} kB, more than the case needs"
fi

# ---- check runs and writes nothing ----

t "badinput: check validates run, export, save and the analyses without running them"
cat "$B/base.plan" >"$B/side.plan"
cat >>"$B/side.plan" <<EOF
run trials 1000
show summary
export $B/side.xlsx
save $B/side-copy.plan
sweep ae.quota 800k 1M step 100k metric cost
tornado trials 100
goalseek ae.quota for cos = 12%
EOF
sp check "$B/side.plan"
rc_is 0
out_has "side.plan:10: \`export\` checked, not run"
out_has "side.plan:11: \`save\` checked, not run"
assert "[ ! -e '$B/side.xlsx' ] && [ ! -e '$B/side-copy.plan' ]" "check wrote a file"

t "badinput: check still refuses what export would refuse"
echo "export $B/side.txt" >>"$B/side.plan"
sp check "$B/side.plan"
rc_is 2
err_has "unknown file type"

# ---- UTF-8 user strings ----

t "badinput: a currency sign of three CJK characters, whole everywhere"
sp -c "load scenarios/baseline.plan; set currency \"人民币\"; run trials 200; export $B/rmb.xlsx"
rc_is 0
out_has "人民币12,"
if [ -n "$BPY" ]; then
    assert "$BPY - '$B/rmb.xlsx' <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
fmts = {c.number_format for ws in wb for row in ws.iter_rows() for c in row}
sys.exit(0 if any('\"人民币\"#,##0' in f for f in fmts) else 1)
PY" "the workbook's money format lacks 人民币"
else
    echo "SKIP 人民币 read back: no python3 with openpyxl"
fi

# ---- every write checked ----

t "badinput: a full standard output is an error"
"$SP" run "$B/base.plan" --trials 200 >/dev/full 2>"$TMP/err"
RC=$?
rc_is 1
err_has "cannot write standard output"

# ---- workbooks whole or absent ----

t "badinput: a full /tmp does not spoil a workbook; a full target keeps the old one"
# A small file system is mounted over /tmp: the binary and the project
# must live elsewhere to stay visible under it.
case "$SP:$PWD" in
    /tmp/*|*:/tmp/*) tmp_full=no; echo "SKIP full /tmp: the project or the binary is under /tmp" ;;
    *) tmp_full=yes ;;
esac
if [ "$tmp_full" = yes ] && unshare -m true 2>/dev/null; then
    "$SP" -c "load scenarios/baseline.plan; run trials 200; export $B/old.xlsx" >/dev/null 2>&1
    cp "$B/old.xlsx" "$B/keep.xlsx"
    # the target outside /tmp, which the small file system covers
    outside=build/e2e-tmpfull
    rm -rf "$outside" && mkdir -p "$outside"
    unshare -m sh -c "mount -t tmpfs -o size=16k tmpfs /tmp &&
        '$SP' -c 'load scenarios/baseline.plan; run trials 200; export $outside/new.xlsx'" \
        >"$TMP/out" 2>"$TMP/err"
    RC=$?
    rc_is 0
    if [ -n "$BPY" ]; then
        assert "$BPY -c \"import openpyxl,sys; wb=openpyxl.load_workbook('$outside/new.xlsx'); sys.exit(0 if wb['baseline'].max_row > 50 else 1)\"" \
            "the workbook written with /tmp full has empty sheets"
    fi
    rm -rf "$outside"
    mkdir -p "$B/small"
    # room for the old workbook and a little more, not for a second copy
    small=$(( $(stat -c %s "$B/keep.xlsx") / 1024 + 32 ))k
    unshare -m sh -c "mount -t tmpfs -o size=$small tmpfs '$B/small' &&
        cp '$B/keep.xlsx' '$B/small/old.xlsx' &&
        '$SP' -c 'load scenarios/baseline.plan; run trials 200; export $B/small/old.xlsx';
        rc=\$?; cmp -s '$B/small/old.xlsx' '$B/keep.xlsx' || rc=99;
        ls -A '$B/small' | grep -v '^old.xlsx\$' && rc=98; exit \$rc" \
        >"$TMP/out" 2>"$TMP/err"
    RC=$?
    rc_is 1
    err_has "No space left on device"
    assert "! grep -q '\[ERROR\]' '$TMP/err'" "libxlsxwriter's [ERROR] lines leak"
elif [ "$tmp_full" = yes ]; then
    echo "SKIP full file systems: unshare -m is not allowed here"
fi

# ---- Ctrl-C ----

# interrupt_after SECONDS STDIN-FILE: runs salesplan on the file, sends
# SIGINT after SECONDS; RC, and WAITED (seconds from the signal to the
# exit).
interrupt_after() {
    "$SP" <"$2" >"$TMP/out" 2>"$TMP/err" &
    pid=$!
    sleep "$1"
    t0=$(date +%s%N)
    kill -INT "$pid"
    wait "$pid"
    RC=$?
    WAITED=$(( ($(date +%s%N) - t0) / 1000000000 ))
}

t "badinput: Ctrl-C in a script ends it: 130, nothing after it runs or writes"
cat >"$B/long.txt" <<EOF
load scenarios/baseline.plan
run trials 2000000
export $B/after.xlsx
save $B/after.plan
EOF
interrupt_after 1 "$B/long.txt"
rc_is 130
err_has "interrupted"
assert "[ ! -e '$B/after.xlsx' ] && [ ! -e '$B/after.plan' ]" "statements after Ctrl-C ran"

t "badinput: Ctrl-C is seen inside a long trial"
{
    echo "scenario huge"
    echo "set horizon 120"
    for i in 1 2 3 4 5 6 7 8; do
        echo "role r$i quota"; echo "set r$i.quota 900k"
        echo "set r$i.headcount 100000"; echo "set r$i.attrition 30%"
    done
} >"$B/huge.plan"
printf 'load %s\nrun trials 2\nsave %s\n' "$B/huge.plan" "$B/huge-after.plan" >"$B/huge.txt"
interrupt_after 2 "$B/huge.txt"
rc_is 130
assert "[ \"$WAITED\" -le 2 ]" "Ctrl-C took ${WAITED}s to stop one trial"
assert "[ ! -e '$B/huge-after.plan' ]" "save ran after Ctrl-C"
