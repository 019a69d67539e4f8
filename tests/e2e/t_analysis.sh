# compare, sweep, tornado, goal seek and run until through the real binary:
# exit status, output, error text and the exported JSON.
# A status is kept in st before assert: in bash the $(...) of assert's
# message would reset $? first.

cat >"$TMP/an-a.plan" <<'PLAN'
scenario plan_a "Pay as is"
set start 2027-01
set horizon 24
role ae quota
set ae.headcount 6
set ae.quota 1M
set ae.ramp linear 3
set ae.attainment lognormal(mean=0.9, sd=0.3)
set ae.volatility 30%
set ae.attrition 15%
set ae.time_to_fill uniform(1, 3)
set ae.base 60k
set ae.ote 120k
set ae.tiers 0%:1 100%:1.5
set target 5.5M 6M
set trials 300
set seed 11
PLAN
# the same team with richer pay only, and its own (ignored) trials and seed
sed -e 's/^scenario plan_a .*/scenario plan_b "Richer pay"/' \
    -e 's/^set ae.ote 120k/set ae.ote 150k/' \
    -e 's/^set ae.tiers .*/set ae.tiers 0%:1 100%:2 150%:3/' \
    -e 's/^set trials 300/set trials 900/' -e 's/^set seed 11/set seed 5/' \
    "$TMP/an-a.plan" >"$TMP/an-b.plan"

t "salesplan compare: same trials and seed, zero-width bookings difference"
sp compare "$TMP/an-a.plan" "$TMP/an-b.plan" --json "$TMP/an-cmp.json"
rc_is 0
out_has "Comparison: 300 trials, seed 11 in every scenario"
out_has "Paired differences against plan_a"
out_has "plan_b - plan_a"
python3 - "$TMP/an-cmp.json" >"$TMP/an-py.out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["scenarios"]
assert [x["scenario"] for x in s] == ["plan_a", "plan_b"], s
assert [x["trials"] for x in s] == [300, 300]
assert [x["seed"] for x in s] == [11, 11]
diff = d["differences"][0]
assert (diff["a"], diff["b"]) == ("plan_a", "plan_b")
for per in diff["periods"] + [diff["horizon_total"]]:
    b = per["metrics"]["bookings"]
    assert b["mean"] == 0 and b["se"] == 0 and b["ci95"] == [0, 0], b
assert diff["horizon_total"]["metrics"]["cost"]["mean"] > 0
PY
st=$?
assert '[ $st = 0 ]' "compare JSON: $(cat "$TMP/an-py.out")"

t "shell compare stores its results for export"
sp -c "load $TMP/an-a.plan; load $TMP/an-b.plan; compare plan_b plan_a; export $TMP/an-cmp2.json"
rc_is 0
out_has "plan_a - plan_b"
python3 -c "
import json, sys
d = json.load(open('$TMP/an-cmp2.json'))
assert [x['scenario'] for x in d['scenarios']] == ['plan_b', 'plan_a']
assert [x['trials'] for x in d['scenarios']] == [900, 900]
" 2>"$TMP/an-py.out"
st=$?
assert '[ $st = 0 ]' "compare order in export: $(cat "$TMP/an-py.out")"

t "compare of an unknown scenario"
sp -c "load $TMP/an-a.plan; compare plan_a plan_x"
rc_is 2; err_has "unknown scenario 'plan_x'"

t "sweep: table, sparkline, unchanged scenario"
sp -c "load $TMP/an-a.plan; sweep ae.ote 100k 140k step 20k metric cost; get ae.ote"
rc_is 0
out_has "Sweep of ae.ote: cost (horizon total), P10 / P50 / P90 and mean"
out_has "3 runs of 300 trials, seed 11"
out_has '$140,000'
out_has "P50 ▁▄█"
out_has "ae.ote                       120000"

t "sweep of a percentage, a grid, and bad usage"
# a flat rate instead of the ote: `rate` fixes the commission on its own
sp -c "load $TMP/an-a.plan; unset ae.ote; sweep ae.rate 2% 3% step 0.5% metric cos FY2027"
rc_is 0; out_has "2.5%"; out_has "cos (FY2027)"
sp -c "load $TMP/an-a.plan; sweep ae.headcount 4 6 step 2 by ae.quota 0.9M 1.1M step 200k"
rc_is 0; out_has "ae.headcount \\ ae.quota"
sp -c "load $TMP/an-a.plan; sweep ae.ote 100k 140k"
rc_is 2; err_has "usage: sweep PARAM FROM TO step S"
sp -c "load $TMP/an-a.plan; sweep ae.ote 100k 140k by 10k"
rc_is 2; err_has "<-c>:1:"; err_has "expected PARAM FROM TO step S"
sp -c "load $TMP/an-a.plan; sweep ae.ote 100k 140k step 20k metric bokings"
rc_is 2; err_has "unknown metric 'bokings'; did you mean 'bookings'?"

t "tornado: sorted by swing, clamped ends said, exported in JSON"
sp -c "load $TMP/an-a.plan; set ae.attrition 90%; tornado swing 20%; export $TMP/an-tor.json"
rc_is 0
out_has "Tornado of bookings P50 (horizon total): each input 20% below and above its value"
out_has "▇"
out_has "* clamped to the parameter's range"
python3 - "$TMP/an-tor.json" >"$TMP/an-py.out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
tn = d["tornado"]
assert tn["metric"] == "bookings" and tn["stat"] == "p50" and tn["swing"] == 0.2
bars = tn["bars"]
assert len(bars) >= 8, bars
sw = [abs(b["metric_high"] - b["metric_low"]) for b in bars]
assert sw == sorted(sw, reverse=True), sw
assert sw[0] > 0
names = [b["param"] for b in bars]
for p in ("ae.headcount", "ae.quota", "ae.attainment", "ae.attrition", "ae.ote", "ae.base", "ae.tiers"):
    assert p in names, (p, names)
att = [b for b in bars if b["param"] == "ae.attrition"][0]
assert att["clamped_high"] and not att["clamped_low"] and att["high"] < 1, att
PY
st=$?
assert '[ $st = 0 ]' "tornado JSON: $(cat "$TMP/an-py.out")"
first=$(grep -A1 '^input' "$TMP/out" | tail -1 | awk '{print $1}')
top=$(python3 -c "import json; print(json.load(open('$TMP/an-tor.json'))['tornado']['bars'][0]['param'])")
assert '[ "$first" = "$top" ]' "first bar printed '$first', first exported '$top'"

t "goalseek headcount: meets the goal, one fewer does not"
sp -c "load $TMP/an-a.plan; goalseek ae.headcount for bookings = 17.5M; get ae.headcount"
rc_is 0
out_has "is the smallest value that reaches the goal"
h=$(sed -n 's/^ae.headcount  *\([0-9][0-9]*\).*/\1/p' "$TMP/out")
assert '[ -n "$h" ] && [ "$h" -gt 6 ]' "goalseek left ae.headcount at '$h'"
p50() {
    "$SP" run "$1" --json "$TMP/an-p50.json" --quiet >/dev/null 2>&1 &&
    python3 -c "import json; print(json.load(open('$TMP/an-p50.json'))['horizon_total']['metrics']['bookings']['p50'])"
}
sed "s/^set ae.headcount 6/set ae.headcount $h/" "$TMP/an-a.plan" >"$TMP/an-h.plan"
sed "s/^set ae.headcount 6/set ae.headcount $((h - 1))/" "$TMP/an-a.plan" >"$TMP/an-h1.plan"
at=$(p50 "$TMP/an-h.plan"); below=$(p50 "$TMP/an-h1.plan")
assert "python3 -c 'import sys; sys.exit(not ($at >= 17.5e6 > $below))'" \
    "headcount $h gives $at, $((h - 1)) gives $below around the goal 17.5M"

t "goalseek rate: cost of sales within the stated tolerance"
sp -c "load $TMP/an-a.plan; unset ae.ote; goalseek ae.rate for cos = 12.5%; save $TMP/an-r.plan"
rc_is 0
out_has "tolerance: within 0.001% of the goal (1e-4 relative)"
"$SP" run "$TMP/an-r.plan" --json "$TMP/an-r.json" --quiet >/dev/null 2>&1
cos=$(python3 -c "import json; print(json.load(open('$TMP/an-r.json'))['horizon_total']['metrics']['cos']['p50'])")
assert "python3 -c 'import sys; sys.exit(not abs($cos - 0.125) <= 1e-4 * 0.125)'" \
    "cos P50 $cos after goalseek, goal 12.5%"

t "goalseek with no answer changes nothing and fails"
sp --keep-going -c "load $TMP/an-a.plan; unset ae.ote; set ae.rate 4%; goalseek ae.rate for cos = 0.5%; get ae.rate"
rc_is 1
err_has "goalseek: no value of ae.rate in [0%, 100%] gives cos P50 (horizon total) = 0.500%"
err_has "ae.rate is unchanged"
out_has "ae.rate                      4%"

t "goalseek on a whole number needs a crossing: no span reaches a cost below the floor"
sp --keep-going -c "load scenarios/baseline.plan; set trials 500; goalseek sup.span for cost = 5M; get sup.span"
rc_is 1
err_has "goalseek: no value of sup.span in [1, 100000] reaches cost P50 (horizon total) = ¥5,000,000"
err_has "sup.span is unchanged"
out_has "sup.span                     5"
# the figure named for the top of the range is that span's own run
"$SP" -c "load scenarios/baseline.plan; set trials 500; set sup.span 100000; run; export $TMP/an-span.json" >/dev/null 2>&1
top=$(python3 -c "import json; print(round(json.load(open('$TMP/an-span.json'))['horizon_total']['metrics']['cost']['p50']))")
topfmt=$(python3 -c "print('¥{:,}'.format($top))")
assert '[ "$top" -gt 5000000 ]' "cost at span 100000 is $top, not above the goal"
err_has "$topfmt at sup.span = 100000,"

t "goalseek on a falling metric: the smallest headcount at or below the goal"
sp -c "load scenarios/baseline.plan; set trials 500; goalseek rep.headcount for cos = 21%; get rep.headcount"
rc_is 0
h=$(sed -n 's/^rep.headcount  *\([0-9][0-9]*\).*/\1/p' "$TMP/out")
out_has "$h is the smallest value that reaches the goal (the metric falls as rep.headcount grows: at or below 21.000%); $((h - 1)) gives "
cos_at() {
    "$SP" -c "load scenarios/baseline.plan; set trials 500; set rep.headcount $1; run; export $TMP/an-cos.json" >/dev/null 2>&1 &&
    python3 -c "import json; print(json.load(open('$TMP/an-cos.json'))['horizon_total']['metrics']['cos']['p50'])"
}
at=$(cos_at "$h"); below=$(cos_at $((h - 1)))
assert "python3 -c 'import sys; sys.exit(not ($at <= 0.21 < $below))'" \
    "headcount $h gives cos $at, $((h - 1)) gives $below around the goal 21%"

t "goalseek keeps a percentage a percentage"
for g in 16.5% 18%; do
    sp -c "load $TMP/an-a.plan; set market_volatility 15%; goalseek market_volatility for cos p90 = $g; get market_volatility"
    rc_is 0
    assert 'grep -Eq "^market_volatility +[0-9]+(\.[0-9]{1,4})?%$" "$TMP/out"' \
        "goal $g: get shows '$(grep '^market_volatility' "$TMP/out")'"
done

t "goalseek prints money with its currency"
sp -c "load $TMP/an-a.plan; goalseek ae.quota for cos = 12%; get ae.quota"
rc_is 0
q=$(sed -n 's/^ae.quota  *\([0-9][0-9]*\).*/\1/p' "$TMP/out")
qfmt=$(python3 -c "print('\${:,}'.format($q))")
out_has "goalseek: ae.quota = $q ($qfmt) gives cos P50"

t "tornado moves pool, override, award, draw and guarantee amounts"
sp -c "load scenarios/baseline.plan; set trials 200; set rep.draw 3 2k recoverable; set sup.guarantee 2 9k; tornado metric cost; export $TMP/an-tor2.json"
rc_is 0
python3 - "$TMP/an-tor2.json" >"$TMP/an-py.out" 2>&1 <<'PY'
import json, sys
bars = {b["param"]: b for b in json.load(open(sys.argv[1]))["tornado"]["bars"]}
for p, v, lo, hi in (("rep.pool", 0.01, "0.8% of rep", "1.2% of rep"),
                     ("sup.pool", 0.01, "0.8% of rep", "1.2% of rep"),
                     ("mgr.pool", 0.005, "0.4% of rep", "0.6% of rep"),
                     ("rep.award", 1000, "3 800", "3 1200"),
                     ("rep.draw", 2000, "3 1600 recoverable", "3 2400 recoverable"),
                     ("sup.guarantee", 9000, "2 7200", "2 10800")):
    b = bars[p]
    assert abs(b["value"] - v) <= 1e-12 * v, b
    assert (b["low_text"], b["high_text"]) == (lo, hi), b
assert bars["rep.pool"]["metric_high"] > bars["rep.pool"]["metric_low"]
PY
st=$?
assert '[ $st = 0 ]' "tornado JSON: $(cat "$TMP/an-py.out")"

t "goalseek usage errors"
sp -c "load $TMP/an-a.plan; goalseek ae.rate for cos 12%"
rc_is 2; err_has "expected \`= VALUE\` after the metric"
sp -c "load $TMP/an-a.plan; goalseek ae.tiers for cos = 12%"
rc_is 2; err_has "ae.tiers is not one number"

t "run until a standard error"
sp -c "load $TMP/an-a.plan; run until se(bookings) < 40k"
rc_is 0
out_has "precision: se of the mean of bookings (horizon total) = "
sp -c "load $TMP/an-a.plan; run until rse(bookings) < 0.01% trials 2000"
rc_is 1; err_has "precision not reached"

t "run until prints the achieved error and its bound apart"
sp -c "load $TMP/an-a.plan; run until se(cos FY2027) < 0.0001"
rc_is 0
line=$(grep '^precision:' "$TMP/out")
a=$(printf '%s\n' "$line" | sed -n 's/.* = \([0-9.]*\)% < \([0-9.]*\)% .*/\1/p')
b=$(printf '%s\n' "$line" | sed -n 's/.* = \([0-9.]*\)% < \([0-9.]*\)% .*/\2/p')
assert "[ -n '$a' ] && python3 -c 'import sys; sys.exit(not ($a < $b))'" \
    "precision line '$line' does not show the error below the bound"

t "compare across currencies warns before the differences"
sed -e 's/^scenario plan_a .*/scenario plan_y/' -e 's/^set start/set currency ¥\nset start/' \
    "$TMP/an-a.plan" >"$TMP/an-y.plan"
sp compare "$TMP/an-a.plan" "$TMP/an-y.plan"
rc_is 0
out_has 'warning: scenarios use different currencies ($ and ¥): money differences mix units'
out_has "plan_y - plan_a"
assert '[ "$(grep -n "different currencies" "$TMP/out" | cut -d: -f1)" -lt "$(grep -n "^Paired differences" "$TMP/out" | cut -d: -f1)" ]' \
    "the currency warning comes after the differences"
sp compare "$TMP/an-a.plan" "$TMP/an-b.plan"
out_lacks "different currencies"

t "run --json and --csv name the format, whatever the file is called"
sp run "$TMP/an-a.plan" --quiet --json "$TMP/an-out.txt" --csv "$TMP/an-out.dat"
rc_is 0
assert "python3 -c \"import json; assert json.load(open('$TMP/an-out.txt'))['scenario'] == 'plan_a'\"" \
    "--json out.txt is not the results JSON"
assert "head -1 '$TMP/an-out.dat' | grep -qx 'scenario,metric,period,statistic,value'" \
    "--csv out.dat is not the tidy CSV"
"$SP" run "$TMP/an-a.plan" --json - 2>"$TMP/an-err" </dev/null >"$TMP/an-stdout"
assert "python3 -c \"import json; assert json.load(open('$TMP/an-stdout'))['trials'] == 300\"" \
    "--json - does not write the JSON alone to standard output"
assert 'grep -q "Bookings P50" "$TMP/an-err"' "the summary did not move to standard error"
"$SP" compare "$TMP/an-a.plan" "$TMP/an-b.plan" --quiet --json - </dev/null |
    python3 -c "import json, sys; d = json.load(sys.stdin); assert len(d['differences']) == 1" 2>"$TMP/an-py.out"
st=$?
assert '[ $st = 0 ]' "compare --json - piped: $(cat "$TMP/an-py.out")"
"$SP" run "$TMP/an-a.plan" --quiet --csv /dev/stdout </dev/null >"$TMP/an-stdout" 2>"$TMP/an-err"
st=$?
assert '[ $st = 0 ] && head -1 "$TMP/an-stdout" | grep -qx "scenario,metric,period,statistic,value"' \
    "--csv /dev/stdout: $(cat "$TMP/an-err")"
sp run "$TMP/an-a.plan" --json - --csv -
rc_is 2; err_has "only one of --json, --csv and --xlsx can write to standard output"

t "help explains the analysis commands"
sp -c "help goalseek"
rc_is 0; out_has "usage: goalseek PARAM for METRIC [STAT] = VALUE"
sp -c "help"
out_has "tornado [metric M] [swing X%] [trials N]"

# Every analysis command goes the way `run` goes: the scenario's warnings
# are printed, once per version of the scenario, whichever command runs it
# first.  A hire after the horizon is the warning used here; it is set
# after the load (which prints the warnings of what it loaded), so that
# only the command can print it.
cat >"$TMP/an-warn.plan" <<'PLAN'
scenario warned
set start 2027-01
set horizon 12
role ae quota
set ae.headcount 3
set ae.quota 1M
set ae.base 60k
set ae.rate 5%
set target 2.5M
set trials 50
PLAN
W="ae.hires: 2031-01 is after the horizon and is ignored"
for c in "compare warned w2" "sweep ae.rate 4% 6% step 1%" \
         "tornado" "goalseek ae.headcount for p(target) = 50%" \
         "run until rse(bookings) < 50%"; do
    t "analysis commands print the scenario's warnings: $c"
    sp -c "load $TMP/an-warn.plan; set ae.hires 2031-01:1; copy w2; scenario warned; $c"
    rc_is 0
    assert "[ \"\$(grep -cF '$W' '$TMP/err')\" = 1 ]" \
        "'$c': expected the warning once on standard error"
done
t "a warning shown by one command is not repeated by the next on the same version"
sp -c "load $TMP/an-warn.plan; set ae.hires 2031-01:1; run; sweep ae.rate 4% 6% step 1%; set ae.base 61k; tornado"
rc_is 0
assert "[ \"\$(grep -cF '$W' '$TMP/err')\" = 2 ]" \
    "expected the warning at run and again after the scenario changed"

t "moving a quota that stands in for productivity says so"
# an-a.plan has no capacity: its reps' capacity is attainment x quota
sp -c "load $TMP/an-a.plan; sweep ae.quota 0.9M 1.1M step 100k trials 50"
rc_is 0; out_has "note: ae has no capacity, so its quota stands in for productivity"
sp -c "load $TMP/an-a.plan; tornado trials 50"
rc_is 0; out_has "note: ae has no capacity"
sp -c "load $TMP/an-a.plan; goalseek ae.quota for bookings FY2027 = 5M trials 50"
rc_is 0; out_has "note: ae has no capacity"
# there attainment does not move with quota at all, and the note says why
sp -c "load $TMP/an-a.plan; goalseek ae.quota for attainment FY2027 = 80% trials 50"
rc_is 1; out_has "note: ae has no capacity"
sp -c "load $TMP/an-a.plan; unset ae.attainment; set ae.capacity 900k; sweep ae.quota 0.9M 1.1M step 100k trials 50"
rc_is 0; out_lacks "stands in for productivity"

t "compare --json: each period's paired difference of P(target) in points"
sp compare "$TMP/an-a.plan" "$TMP/an-b.plan" --quiet --json "$TMP/an-pt.json"
rc_is 0
python3 - "$TMP/an-pt.json" >"$TMP/an-py.out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
a, b = d["scenarios"]
diff, = d["differences"]
# the mean of hit_b - hit_a over paired trials is the difference of the
# two shares; the interval is the mean +- 1.96 se
for k, p in enumerate(diff["periods"]):
    pt = p["p_target"]
    want = b["periods"][k]["p_target"] - a["periods"][k]["p_target"]
    assert abs(pt["mean"] - want) < 1e-12, (pt, want)
    lo, hi = pt["ci95"]
    assert abs(lo - (pt["mean"] - 1.96 * pt["se"])) < 1e-12 and lo <= pt["mean"] <= hi, pt
PY
st=$?
assert '[ $st = 0 ]' "p_target differences: $(cat "$TMP/an-py.out")"

t "compare prints each year's paired difference of P(target) in the terminal"
sp compare "$TMP/an-a.plan" "$TMP/an-b.plan"
rc_is 0
# plan_b differs from plan_a only in pay: the same bookings in every
# trial, so every trial hits or misses the target in both and the paired
# difference of P(target) is exactly 0 with no spread
assert "grep -Eq '^  P\\(target\\) +0\\.00% +0\\.00% +\\[0\\.00%, 0\\.00%\\]\$' '$TMP/out'" \
    "no zero P(target) difference row for a pay-only change"
