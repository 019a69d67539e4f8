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
def ote(role):
    return any(l.startswith('Reps at OTE: ') and (l.endswith('(' + role + ')') or l == 'Reps at OTE: ' + role) for l in labels)
assert ote('rep'), labels
assert ote('sup'), labels
assert not ote('assistant'), labels
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
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ['Summary', 'Compare', 'baseline', 'more_hires', 'Reps', 'Distributions', 'Trials', 'Sweep', 'Tornado']
# revenue is recognised as booked here: the Compare sheet does not repeat
# the bookings rows under another name
figs = {wb['Compare'].cell(r, 3).value for r in range(1, wb['Compare'].max_row + 1)}
assert 'Bookings' in figs and 'Revenue' not in figs, figs
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
assert wb.sheetnames == ['Summary', 'Compare', 'baseline', 'Compare (2)', 'Reps', 'Distributions', 'Trials'], wb.sheetnames
# the paired-difference table is on Compare, the scenario on Compare (2)
assert wb['Compare']['A1'].value == 'Paired differences against baseline'
assert wb['Compare (2)']['B2'].value == 'Compare', wb['Compare (2)']['B2'].value
PY" "sheet names with a scenario named Compare"
fi

t "help export names the workbook"
sp -c "help export"; rc_is 0; out_has "FILE.xlsx"

t "load; run; set rep.rate 4%; export: the run's assumptions, marked stale, and a line at the prompt"
sp -c "load scenarios/baseline.plan; run trials 300; set rep.rate 4%; export $TMP/st.xlsx; export $TMP/st.json; export $TMP/st.csv"
rc_is 0
err_has "note: baseline: results are from before \`set rep.rate 4%\`"
if [ -n "$XPY" ]; then
    # the sheet has the assumptions and script of the run (3%, 300 trials)
    xc text "$TMP/st.xlsx" baseline "set rep.rate 3%"; rc_is 0
    xc text "$TMP/st.xlsx" baseline "set trials 300"; rc_is 0
    xc text "$TMP/st.xlsx" baseline "set rep.rate 4%"; rc_is 0
    xc text "$TMP/st.xlsx" baseline "Results are from before"; rc_is 0
    xc text "$TMP/st.xlsx" Summary "results are from before \`set rep.rate 4%\`"; rc_is 0
    assert "$XPY - '$TMP/st.xlsx' <<'PY'
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])['baseline']
vals = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
# the assumptions table holds the value run, and trials as run
assert abs(vals['rep.rate'] - 0.03) < 1e-12, vals['rep.rate']
assert vals['trials'] == 300, vals['trials']
row = [ws.cell(2, c).value for c in range(1, 8)]
assert 'Trials' in row and row[row.index('Trials') + 1] == 300, row
PY" "assumptions of the run"
fi
assert "$XPY -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))[\"changed_since\"] != [\"set rep.rate 4%\"])' '$TMP/st.json'" "JSON changed_since"
assert "grep -q '^baseline,changed_since,Total,statement,set rep.rate 4%$' '$TMP/st.csv'" "CSV changed_since"
# run again: nothing to say
sp -c "load scenarios/baseline.plan; run trials 300; set rep.rate 4%; set rep.rate 3%; export $TMP/st2.xlsx"
rc_is 0
assert "! grep -q 'results are from before' '$TMP/err'" "a set back to the value run is no change"

t "two sweeps, two tornados and a goal seek reach the workbook, JSON and CSV, each naming its scenario"
sp -c "load scenarios/baseline.plan; load $TMP/more.plan; run trials 200; sweep rep.quota 800k 1.2M step 200k trials 200; tornado swing 10% trials 200; scenario baseline; run trials 200; sweep rep.headcount 8 12 step 2 trials 200; tornado metric cos trials 200; goalseek rep.rate for cos = 22% trials 200; export $TMP/f2.xlsx; export $TMP/f2.json; export $TMP/f2.csv"
rc_is 0
if [ -n "$XPY" ]; then
    xc check "$TMP/f2.xlsx" "$TMP/f2.json" "¥"; rc_is 0
    assert "$XPY - '$TMP/f2.xlsx' '$TMP/f2.json' '$TMP/f2.csv' <<'PY'
import csv, json, openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
doc = json.load(open(sys.argv[2]))
assert [s['scenario'] for s in doc['sweeps']] == ['more_hires', 'baseline'], doc['sweeps']
assert [t['scenario'] for t in doc['tornados']] == ['more_hires', 'baseline']
assert doc['sweep']['params'] == ['rep.headcount'] and doc['tornado']['metric'] == 'cos'
assert all(x['trials'] == 200 for x in doc['sweeps'] + doc['tornados'])
g, = doc['goalseeks']
assert g['scenario'] == 'baseline' and g['param'] == 'rep.rate' and g['found'], g
for name, who in (('Sweep', 'more_hires'), ('Sweep 2', 'baseline'),
                  ('Tornado', 'more_hires'), ('Tornado 2', 'baseline')):
    ws = wb[name]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 12)}
    assert cells['Scenario'] == who and cells['Trials per run'] == 200, (name, cells)
ws = wb['Goal seek']
assert ws.cell(5, 1).value == 'baseline' and ws.cell(5, 2).value == 'rep.rate'
assert abs(ws.cell(5, 8).value - g['value']) < 1e-6
rows = list(csv.reader(open(sys.argv[3])))
keys = {(r[0], r[1], r[3]) for r in rows}
for k, who in ((1, 'more_hires'), (2, 'baseline')):
    assert (who, 'sweep%d' % k, 'trials') in keys, k
    assert (who, 'tornado%d' % k, 'trials') in keys, k
assert ('baseline', 'goalseek1', 'value') in keys
PY" "every finding in the three exports"
fi

t "every fiscal-year percentile cell equals the JSON after LibreOffice recalculates, and none is a sum"
if [ -n "$XPY" ]; then
    xc percentiles "$TMP/c.xlsx" "$TMP/c.json"
    if [ "$RC" = 77 ]; then
        echo "SKIP percentile check: soffice not found"
    else
        rc_is 0; out_has "fiscal-year percentiles equal the JSON after LibreOffice"
    fi
fi

t "the Summary shows the target and the S-curves with the target line; in PDF no chart is cut"
if [ -n "$XPY" ]; then
    assert "$XPY - '$TMP/f2.xlsx' '$TMP/f2.json' <<'PY'
import json, openpyxl, re, sys, zipfile
wb = openpyxl.load_workbook(sys.argv[1])
doc = json.load(open(sys.argv[2]))
ws = wb['Summary']
hl = [r for r in range(1, 20) if ws.cell(r, 1).value == 'Headline'][0]
col = {ws.cell(hl, c).value: c for c in range(1, ws.max_column + 1)}
targets = [ws.cell(r, col['baseline']).value for r in range(1, 40) if ws.cell(r, 1).value == 'Target']
base = [s for s in doc['scenarios'] if s['scenario'] == 'baseline'][0]
assert targets[:1] and targets[0] > 0, targets
with zipfile.ZipFile(sys.argv[1]) as z:
    xml = [z.read(n).decode() for n in z.namelist() if re.match(r'xl/charts/chart\d+\.xml$', n)]
sc = [x for x in xml if '<c:scatterChart>' in x and 'S-curve' in x]
assert len(sc) == len(base['periods']), len(sc)
# a series per scenario and a target line
assert all(x.count('<c:ser>') >= 3 and 'Target' in x for x in sc)
PY" "Summary target and S-curves"
    xc pdf "$TMP/f2.xlsx"
    if [ "$RC" = 77 ]; then
        echo "SKIP PDF check: soffice or pdftotext not found"
    else
        rc_is 0; out_has "charts whole on their pages"
    fi
fi

t "export FILE.csv writes FILE-trials.csv: each trial's period totals"
sp -c "load scenarios/baseline.plan; run trials 50; export $TMP/tr.csv"
rc_is 0
assert "[ -s '$TMP/tr-trials.csv' ]" "no trials companion"
assert "head -1 '$TMP/tr-trials.csv' | grep -q '^scenario,trial,period,bookings,revenue,cost,cos,contribution,headcount,hires,departures$'" "trials header"
# 24 months from January: FY2027, FY2028, Total and eight fiscal quarters
assert "[ \$(grep -c '^baseline,' '$TMP/tr-trials.csv') = 550 ]" "50 trials x (3 periods + 8 quarters)"
assert "[ \$(grep -c '^baseline,[0-9]*,FY2028 Q4,' '$TMP/tr-trials.csv') = 50 ]" "50 trials of FY2028 Q4"

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
