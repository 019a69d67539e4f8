# The comparison workbook (INTERFACE.md section 5): `export FILE.xlsx` and
# `--xlsx`, read back with openpyxl by tests/xlsx_check.py and compared with
# the JSON of the same run, recalculated by LibreOffice, and written so that
# a failure leaves a previous workbook as it was.

XPY=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import openpyxl' 2>/dev/null; then
        XPY=$p
        break
    fi
done
[ -n "$XPY" ] || echo "SKIP workbook content checks: no python3 with openpyxl (apt-get install python3-openpyxl)"

# xc ARGS... : run the checker; its output goes where bad() shows it.
xc() {
    "$XPY" tests/xlsx_check.py "$@" >"$TMP/out" 2>"$TMP/err"
    RC=$?
}

# A second scenario: the same team with six more reps hired in the year.
cat >"$TMP/more.plan" <<EOF
scenario more_hires "Small team: six more reps"
use $PWD/models/small-team.model
set rep.hires 2027-03:2 2027-06:2 2027-09:2
set target 13M 15M
EOF

t "run --xlsx: one scenario, read back against the JSON of the same run"
sp run scenarios/baseline.plan --trials 300 --quiet --xlsx "$TMP/b.xlsx" --json "$TMP/b.json"
rc_is 0
assert "[ -s '$TMP/b.xlsx' ]" "no workbook written"
if [ -n "$XPY" ]; then
    xc check "$TMP/b.xlsx" "$TMP/b.json" "¥"; rc_is 0
    xc text "$TMP/b.xlsx" baseline "set rep.headcount 10"; rc_is 0
fi

t "At OTE only for roles with a target"
if [ -n "$XPY" ]; then
    # rep has a commission rate and a bonus; sup a bonus (its on-target
    # pay is base + bonus); the assistant has base only: no target, so no
    # at-OTE share and no row.
    assert "$XPY - '$TMP/b.xlsx' <<'PY'
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])['Summary']
labels = {c.value for c in ws['A'] if isinstance(c.value, str)}
assert 'Reps at OTE: rep' in labels, labels
assert 'Reps at OTE: sup' in labels, labels
assert 'Reps at OTE: assistant' not in labels, labels
assert 'Quota coverage P50' in labels, labels
PY" "Summary At OTE rows"
fi

t "Reps histograms: every rep exactly at 120% of quota"
# Four ramped reps, no noise, no attrition, quarterly periods: each
# quarter books 3 x 120k = 360k against 300k, attainment 1.2.  TI = OTE
# - base = 60k, 15k a quarter, BCR 15k / 300k = 0.05: commission 18,000,
# with 15,000 of base: earnings 33,000 in every record.
cat >"$TMP/flat.plan" <<'EOF'
scenario flat "Every rep at 120%"
set currency $
set start 2027-01
set horizon 12
role ae quota "AE"
set ae.headcount 4
set ae.quota 1.2M
set ae.attainment 1.2
set ae.volatility 0
set ae.attrition 0
set ae.period quarter
set ae.base 60k
set ae.ote 120k
EOF
sp run "$TMP/flat.plan" --trials 50 --quiet --xlsx "$TMP/f.xlsx" --json "$TMP/f.json"
rc_is 0
if [ -n "$XPY" ]; then
    xc check "$TMP/f.xlsx" "$TMP/f.json" '$'; rc_is 0
    cat >"$TMP/flat.py" <<'PY'
import json, openpyxl, re, sys, zipfile
doc = json.load(open(sys.argv[2]))
rep = doc['reps']['ae']
# 50 trials x 4 reps x 4 quarters, all in [120%, 130%)
assert rep['records'] == 800, rep['records']
h = rep['attainment_hist']
assert h['share'] == [1 if k == 12 else 0 for k in range(21)], h
assert h['edges'][12] == 1.2 and h['edges'][13] == 1.3 and h['edges'][-1] is None
e = rep['earnings_hist']
k = e['edges'].index(33000)
assert e['share'][k] == 1 and sum(e['share']) == 1, e
ws = openpyxl.load_workbook(sys.argv[1])['Reps']
share = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(1, ws.max_row + 1)}
assert share['120\u2013130%'] == 1 and share['110\u2013120%'] == 0, share
assert share['\u2265 200%'] == 0, share
assert share['$33,000\u201334,000'] == 1, share
# two histograms on Reps, both column charts
with zipfile.ZipFile(sys.argv[1]) as z:
    xml = [z.read(n).decode() for n in z.namelist()
           if re.match(r'xl/charts/chart\d+\.xml$', n)]
hist = [x for x in xml if 'Attainment of ae' in x or 'Earnings of ae' in x]
assert len(hist) == 2, len(hist)
assert all('<c:barDir val="col"/>' in x for x in hist)
PY
    assert "$XPY '$TMP/flat.py' '$TMP/f.xlsx' '$TMP/f.json'" "histograms of the 120% plan"
fi

t "compare --xlsx: two scenarios, differences and best values"
sp compare scenarios/baseline.plan "$TMP/more.plan" --trials 300 --quiet \
    --xlsx "$TMP/c.xlsx" --json "$TMP/c.json"
rc_is 0
if [ -n "$XPY" ]; then
    xc check "$TMP/c.xlsx" "$TMP/c.json" "¥"; rc_is 0
fi

t "LibreOffice recalculates every formula to its cached value"
if [ -n "$XPY" ]; then
    xc recalc "$TMP/c.xlsx"
    if [ "$RC" = 77 ]; then
        echo "SKIP LibreOffice recalculation: soffice not found (apt-get install libreoffice-calc-nogui)"
    else
        rc_is 0; out_has "formulas recalculated by LibreOffice match"
    fi
fi

t "export FILE.xlsx from the shell writes every scenario run"
sp -c "load scenarios/baseline.plan; run trials 300; load $TMP/more.plan; run trials 300; export $TMP/s.xlsx; export $TMP/s.json"
rc_is 0; out_has "wrote $TMP/s.xlsx (2 scenarios)"
if [ -n "$XPY" ]; then
    xc check "$TMP/s.xlsx" "$TMP/s.json" "¥"; rc_is 0
fi

t "compare, sweep and tornado in a session: their sheets equal the JSON export"
sp -c "load scenarios/baseline.plan; load $TMP/more.plan; compare baseline more_hires trials 200; sweep rep.quota 800k 1.2M step 200k trials 200; tornado swing 10% trials 200; export $TMP/a.xlsx; export $TMP/a.json"
rc_is 0; out_has "wrote $TMP/a.xlsx (2 scenarios)"
if [ -n "$XPY" ]; then
    # check: Compare / Sweep / Tornado present exactly as the JSON has
    # "differences" / "sweep" / "tornado", every figure equal to it, number
    # cells numeric, and a chart of the right kind on each sheet.
    xc check "$TMP/a.xlsx" "$TMP/a.json" "¥"; rc_is 0
    assert "grep -q 'sheets, [1-9][0-9]* figures' '$TMP/out'" "checker counted no figures"
    assert "$XPY - '$TMP/a.xlsx' <<'PY'
import openpyxl, sys
assert openpyxl.load_workbook(sys.argv[1]).sheetnames == ['Summary', 'Compare', 'baseline', 'more_hires', 'Reps', 'Sweep', 'Tornado']
PY" "sheets of the session workbook"
    # The checker fails a workbook that does not match: another session's
    # JSON (a different trial count) gives different figures.
    xc check "$TMP/a.xlsx" "$TMP/s.json" "¥"; rc_is 1
    assert "grep -q 'Compare\|sheets' '$TMP/err'" "checker did not name the mismatch"
fi

t "a two-parameter sweep and a tornado without any run: a workbook of those two"
sp -c "load scenarios/baseline.plan; sweep rep.quota 800k 1.2M step 200k by rep.headcount 8 10 step 2 trials 200 metric p(target); tornado metric cos trials 200; export $TMP/g.xlsx; export $TMP/g.json"
rc_is 0; out_has "wrote $TMP/g.xlsx (0 scenarios)"
if [ -n "$XPY" ]; then
    xc check "$TMP/g.xlsx" "$TMP/g.json" "¥"; rc_is 0
    assert "$XPY -c 'import openpyxl,sys; sys.exit(openpyxl.load_workbook(sys.argv[1]).sheetnames != [\"Sweep\", \"Tornado\"])' '$TMP/g.xlsx'" \
        "a workbook without runs has other sheets than Sweep and Tornado"
    # the grid of P50 and the tornado's swings are formulas over the tables
    xc recalc "$TMP/g.xlsx"
    if [ "$RC" != 77 ]; then
        rc_is 0; out_has "formulas recalculated by LibreOffice match"
    fi
fi

t "a scenario named Compare keeps the sheet names unique"
sed -e 's/^scenario more_hires .*/scenario Compare "Named like a sheet"/' "$TMP/more.plan" >"$TMP/cmpname.plan"
sp compare scenarios/baseline.plan "$TMP/cmpname.plan" --trials 200 --quiet \
    --xlsx "$TMP/n.xlsx" --json "$TMP/n.json"
rc_is 0
if [ -n "$XPY" ]; then
    xc check "$TMP/n.xlsx" "$TMP/n.json" "¥"; rc_is 0
    assert "$XPY - '$TMP/n.xlsx' <<'PY'
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ['Summary', 'Compare', 'baseline', 'Compare (2)', 'Reps'], wb.sheetnames
# the paired-difference table is on Compare, the scenario on Compare (2)
assert wb['Compare']['A1'].value == 'Paired differences against baseline'
assert wb['Compare (2)']['B2'].value == 'Compare'
PY" "sheet names with a scenario named Compare"
fi

t "help export names the workbook"
sp -c "help export"; rc_is 0; out_has "FILE.xlsx"

t "a scenario changed after its run does not show assumptions it was not run with"
sp -c "load scenarios/baseline.plan; run trials 300; set rep.headcount 12; export $TMP/st.xlsx"
rc_is 0
if [ -n "$XPY" ]; then
    xc text "$TMP/st.xlsx" baseline "Not available: the scenario changed"; rc_is 0
    xc text "$TMP/st.xlsx" baseline "set rep.headcount 12"; rc_is 1
fi

t "SOURCE_DATE_EPOCH makes the workbook reproducible"
export SOURCE_DATE_EPOCH=1700000000
sp run scenarios/baseline.plan --trials 300 --quiet --xlsx "$TMP/r1.xlsx"; rc_is 0
sp run scenarios/baseline.plan --trials 300 --quiet --xlsx "$TMP/r2.xlsx"; rc_is 0
unset SOURCE_DATE_EPOCH
same_files "$TMP/r1.xlsx" "$TMP/r2.xlsx"
if [ -n "$XPY" ]; then
    assert "$XPY -c 'import zipfile,sys; sys.exit(b\"2023-11-14T22:13:20Z\" not in zipfile.ZipFile(sys.argv[1]).read(\"docProps/core.xml\"))' '$TMP/r1.xlsx'" \
        "creation time is not SOURCE_DATE_EPOCH"
fi

t "export into a missing directory fails with the reason"
sp run scenarios/baseline.plan --trials 300 --quiet --xlsx "$TMP/nodir/x.xlsx"
rc_is 1; err_has "cannot write '$TMP/nodir/x.xlsx': No such file or directory"
sp -c "load scenarios/baseline.plan; run trials 300; export $TMP/nodir/y.xlsx"
rc_is 1; err_has "No such file or directory"

t "export onto a directory fails and leaves it alone"
mkdir "$TMP/dir.xlsx"
sp run scenarios/baseline.plan --trials 300 --quiet --xlsx "$TMP/dir.xlsx"
rc_is 1; err_has "cannot write '$TMP/dir.xlsx': Is a directory"
assert "[ -d '$TMP/dir.xlsx' ] && [ -z \"\$(ls -A '$TMP/dir.xlsx')\" ]" "directory changed"

t "a failed export leaves the previous workbook byte for byte"
cp "$TMP/b.xlsx" "$TMP/keep.xlsx"
cp "$TMP/b.xlsx" "$TMP/keep.orig"
# A file size limit of 8 KiB makes libxlsxwriter's write fail part way;
# with SIGXFSZ ignored the write returns EFBIG instead of killing the run.
(trap '' XFSZ; ulimit -f 16; exec "$SP" run scenarios/baseline.plan --trials 300 --quiet \
    --xlsx "$TMP/keep.xlsx") </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
rc_is 1; err_has "cannot write '$TMP/keep.xlsx'"
same_files "$TMP/keep.xlsx" "$TMP/keep.orig"
assert "! ls -A '$TMP' | grep -q '^\.keep\.xlsx\.'" "a temporary file was left behind"
