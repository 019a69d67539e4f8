# Scripts and work a psql or sqlite3 user can trust: stop-on-error and
# --keep-going, --echo, output modes and files, undo, loads and saves that
# lose nothing, percentages that are not misread, exports that agree.

t "batch: the first failing statement stops -c before anything after it writes"
rm -f "$TMP/x.xlsx"
sp -c "load scenarios/baseline.plan; set rep.quota 9OOk; run trials 200; export $TMP/x.xlsx"
rc_is 2; err_has "<-c>:1:"; err_has "found '9OOk'"
assert "[ ! -e $TMP/x.xlsx ]" "the workbook was written after the error"
out_lacks "Bookings P50"

t "batch: --keep-going runs on as before, writes the workbook, exits 2"
sp --keep-going -c "load scenarios/baseline.plan; set rep.quota 9OOk; run trials 200; export $TMP/x.xlsx"
rc_is 2; err_has "found '9OOk'"
assert "[ -s $TMP/x.xlsx ]" "no workbook with --keep-going"
out_has "wrote $TMP/x.xlsx"

t "batch: a pipe stops at its first failing statement too"
printf 'load scenarios/baseline.plan\nset rep.quta 5\nget rep.quota\n' >"$TMP/s1.txt"
STDIN="$TMP/s1.txt" sp; unset STDIN
rc_is 2; err_has "<stdin>:2:5: unknown parameter 'rep.quta'"; out_lacks "rep.quota"

t "batch: stdout is flushed before an error, so a log reads in order"
"$SP" -c "get horizon; set nosuch 1; get start" >"$TMP/log" 2>&1
assert "[ \"\$(head -n 1 $TMP/log)\" = 'horizon                      24   # default' ]" "the output is not first in the log"
assert "grep -q '^<-c>:1:18: unknown parameter' $TMP/log" "the error is not on a line of its own"

t "batch: \"wrote FILE\" lands on a line of its own in a shared log"
"$SP" -c "load scenarios/baseline.plan; run trials 100; export $TMP/y.json; get horizon" >"$TMP/log2" 2>&1
assert "grep -q '^wrote $TMP/y.json (1 scenario)\$' $TMP/log2" "wrote line mid-line"

t "--echo prints each statement before its output"
sp --echo -c "get horizon; get start"
rc_is 0
assert "[ \"\$(sed -n 1p $TMP/out)\" = 'salesplan> get horizon' ]" "first statement not echoed"
assert "sed -n 3p $TMP/out | grep -q '^salesplan\[default\]> get start'" "second statement not echoed with the prompt"

t "mode csv: show bookings by quarter gives the numbers of mode json and of the exported months"
sp -c "load scenarios/baseline.plan; run trials 200; mode csv; show bookings by quarter; mode json; show bookings by quarter; export $TMP/q.json"
rc_is 0
python3 - "$TMP/out" "$TMP/q.json" >"$TMP/q.out" <<'PY'
import csv, io, json, sys
text = open(sys.argv[1]).read().splitlines()
# the run's panel, then the csv (from its header line), then the JSON line
start = next(i for i, l in enumerate(text) if l.startswith("bookings,"))
cut = next(i for i, l in enumerate(text) if l.startswith("{"))
rows = [r for r in csv.reader(io.StringIO("\n".join(text[start:cut]))) if r]
js = json.loads(text[cut])
head = rows[0]
assert head == js["columns"], (head, js["columns"])
mean_csv = next(r for r in rows if r[0] == "mean")
mean_js = next(r for r in js["rows"] if r[0] == "mean")
assert [float(x) for x in mean_csv[1:]] == mean_js[1:], (mean_csv, mean_js)
exp = json.load(open(sys.argv[2]))
# the plan starts at a fiscal year: a quarter's mean is the sum of the
# means of its three months
m = exp["monthly"]["bookings"]["mean"]
q = [sum(m[k:k + 3]) for k in range(0, len(m), 3)]
got = [float(x) for x in mean_csv[1:]]
assert len(got) == len(q) and all(abs(a - b) <= 1e-6 * max(1, abs(b)) for a, b in zip(got, q)), (got, q)
print("ok")
PY
assert "grep -qx ok $TMP/q.out" "csv, json and export disagree: $(cat $TMP/q.out)"

t "mode markdown prints a markdown table with its title"
sp -c "load scenarios/baseline.plan; run trials 100; mode markdown; show headcount by year"
rc_is 0; out_has "|---|"; out_has "**headcount"

t "mode: a bad word is refused"
sp -c "mode xml"; rc_is 2; err_has "expected table, csv, markdown or json, found 'xml'"

t "output FILE: the panel goes to the file and nothing to the terminal"
sp -c "load scenarios/baseline.plan; run trials 100; output $TMP/f.txt; show summary; output; get horizon"
rc_is 0
assert "grep -q 'Bookings P50' $TMP/f.txt" "the file lacks the panel"
assert "[ \$(grep -c 'Bookings P50' $TMP/out) = 1 ]" "the panel of show summary reached the terminal"
out_has "horizon"

t "timing on prints a time after each statement"
sp -c "timing on; get horizon"; rc_is 0; out_has "Time: "

t "undo after set, goalseek and load restores the exact previous scenario"
rm -f "$TMP/u0.plan" "$TMP/u1.plan" "$TMP/u2.plan" "$TMP/u3.plan"
sp -c "load scenarios/baseline.plan; set trials 200; save $TMP/u0.plan; set rep.quota 2M; undo; save $TMP/u1.plan; goalseek rep.headcount for p(target) = 50%; undo; save $TMP/u2.plan replace; load scenarios/small-lean.plan; undo; save $TMP/u3.plan"
rc_is 0
same_files "$TMP/u0.plan" "$TMP/u1.plan"
same_files "$TMP/u0.plan" "$TMP/u2.plan"
same_files "$TMP/u0.plan" "$TMP/u3.plan"

t "undo of a load that replaced an edited scenario brings the edits back"
sp -c "load scenarios/baseline.plan; set rep.quota 2M; load scenarios/baseline.plan replace; get rep.quota; undo; get rep.quota"
rc_is 0
assert "grep -Eq '^rep.quota +1200000\$' $TMP/out" "the load did not replace"
assert "tail -n 1 $TMP/out | grep -Eq '^rep.quota +2000000\$'" "undo did not bring back 2M"

t "undo with nothing to undo fails"
sp -c "undo"; rc_is 2; err_has "nothing to undo"

t "load refuses to replace a scenario with unsaved edits"
sp -c "load scenarios/baseline.plan; set rep.quota 2M; load scenarios/baseline.plan"
rc_is 2; err_has "unsaved changes"; err_has "replace"

# A plan written by hand, with a comment that `save` would drop.
printf '# by hand\nscenario hand\nrole rep quota\nset rep.quota 1M\n' >"$TMP/hand.plan"
cp "$TMP/hand.plan" "$TMP/hand0.plan"

t "save keeps a hand-written file unless told, and overwrites its own"
sp -c "load $TMP/hand.plan; save $TMP/hand.plan"
rc_is 2; err_has "was not written by \`save\`"
same_files "$TMP/hand0.plan" "$TMP/hand.plan"
sp -c "load $TMP/hand.plan; save $TMP/hand.plan replace; save $TMP/hand.plan"
rc_is 0

t "quit with unsaved changes warns in batch"
sp -c "load scenarios/baseline.plan; set rep.quota 2M; quit"
rc_is 0; err_has "warning: quitting with unsaved changes in scenario baseline"

t "~ in paths names the home directory"
mkdir -p "$TMP/home"; cp "$TMP/hand0.plan" "$TMP/home/x.plan"
HOME="$TMP/home" sp -c "load ~/x.plan; save ~/y.plan"
rc_is 0; assert "[ -s $TMP/home/y.plan ]" "~/y.plan not written"

t "bare numbers above 1 on percentages are refused with both readings"
sp -c "load scenarios/baseline.plan; set rep.cap 250"
rc_is 2; err_has "expected 250% or 25000%"
sp -c "load scenarios/baseline.plan; set rep.tiers 0:0 50:1"
rc_is 2; err_has "expected 50% or 5000%"

t "targets that do not line up with fiscal years are warned about"
sp -c "load scenarios/baseline.plan; set fiscal_year_start 4; set target 12M; run trials 50"
rc_is 0; err_has "the last 2 have no target"; err_has "starts 9 months into a fiscal year"

t "keywords are not case-sensitive; 1.2m is 1.2M"
sp -c "load scenarios/baseline.plan; SET rep.quota 1.2m; Get rep.quota"
rc_is 0; assert "grep -Eq '^rep.quota +1200000\$' $TMP/out" "SET/1.2m not read"

t "scenario NAME of a new name says it created one, and names a near miss"
sp -c "load scenarios/baseline.plan; scenario basline"
rc_is 0; out_has "created scenario basline"; out_has "did you mean 'baseline'"

t "show params ROLE and show summary ROLE keep to the role; extra words are refused"
sp -c "load scenarios/baseline.plan; show params sup"
rc_is 0; out_has "sup.span"; out_lacks "rep.quota"; out_lacks "horizon "
sp -c "load scenarios/baseline.plan; run trials 50; output $TMP/sum.txt; show summary sup"
rc_is 0
assert "grep -q 'cost of sup' $TMP/sum.txt" "no cost of the role"
assert "! grep -Eq '^  rep ' $TMP/sum.txt" "rows of another role"
sp -c "load scenarios/baseline.plan; show params sup extra"
rc_is 2; err_has "found 'extra'"

t "show reps ROLE in A B puts two scenarios side by side"
sp -c "load scenarios/baseline.plan scenarios/small-hire-upfront.plan; compare baseline hire-upfront trials 100; show reps rep in baseline hire-upfront"
rc_is 0
assert "grep -Eq '^ +baseline +hire-upfront\$' $TMP/out" "no side-by-side header"
out_has "attainment P50"

t "run until se(p(target)) < X is read and met"
sp -c "load scenarios/baseline.plan; run until se(p(target)) < 2%"
rc_is 0; out_has "se of the mean of P(target)"

t "help metrics lists every metric with its meaning"
sp -c "help metrics"
rc_is 0
for m in open_reqs ramped variable draw_topup hiring_cost other_cost cum_contribution "p(target)"; do
    out_has "  $m "
done

t "help folds at the width without cutting words"
COLUMNS=60 sp -c "help run"
rc_is 0
assert "[ \$(LC_ALL=C.UTF-8 wc -L <$TMP/out) -le 60 ]" "a help line is wider than 60"
assert "grep -q 'standard error of' $TMP/out || grep -q '^error of' $TMP/out" "words cut"

t "exports agree after a compare is no longer paired: differences left out everywhere, said at the prompt"
sp -c "load scenarios/baseline.plan scenarios/small-hire-upfront.plan; compare baseline hire-upfront trials 200; scenario hire-upfront; run trials 200 seed 9; export $TMP/e.json; export $TMP/e.csv; export $TMP/e.xlsx"
rc_is 0
err_has "leaves out the differences of hire-upfront against baseline"
assert "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(len(d[\"differences\"]) != 0)' $TMP/e.json" "JSON has unpaired differences"
assert "! grep -q diff_mean $TMP/e.csv" "CSV has unpaired differences"
if python3 -c 'import openpyxl' 2>/dev/null; then
    assert "python3 -c 'import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1]); sys.exit(\"Compare\" in wb.sheetnames)' $TMP/e.xlsx" "the workbook has a Compare sheet"
fi
