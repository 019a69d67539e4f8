# Starting from where you are (MODEL.md 2.3, 3, 6): rosters, the year to
# date, the revenue book and the incremental payback, through the binary.

js() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }

R="$TMP/roster"
mkdir -p "$R/data"
printf 'role,hired,id,capacity\nae,2026-12,Ann,1.2M\nae,2027-01,Bo,2.4M\nae,2026-06,Cy,600k\n' >"$R/data/team.csv"
cat >"$R/three.plan" <<'EOF2'
scenario three
role ae quota
set ae.quota 1.2M
set ae.ramp 0% 50%
roster data/team.csv
set horizon 4
EOF2

t "roster: three rostered reps book exactly, ramp included"
# Ann (tenure 1, 100k a month): 50k then 100k; Bo (tenure 0, 200k a
# month): 0, 100k, then 200k; Cy (ramped, 50k): 100k, 250k, 350k, 350k.
sp run "$R/three.plan" --trials 3 --json "$R/three.json" --quiet
rc_is 0
assert '[ "$(js "$R/three.json" "[round(x) for x in j[\"monthly\"][\"bookings\"][\"mean\"]]")" = "[100000, 250000, 350000, 350000]" ]' \
    "rostered bookings are not 100k 250k 350k 350k"

t "roster: the path is relative to the file naming it, and save reloads it"
(cd / && "$SP" -c "load $R/three.plan; save $R/saved.plan" >/dev/null 2>&1)
grep -q "^roster \"$R/data/team.csv\"" "$R/saved.plan" && ok || bad "save does not write the roster statement"
sp run "$R/saved.plan" --trials 3 --json "$R/saved.json" --quiet
rc_is 0
assert '[ "$(js "$R/saved.json" "j[\"monthly\"][\"bookings\"][\"mean\"]")" = "$(js "$R/three.json" "j[\"monthly\"][\"bookings\"][\"mean\"]")" ]' \
    "the saved scenario does not reload the roster"

# bad CSV FILE.csv LINE:COL TEXT: the roster is refused at its place with
# status 2, and a session that loaded the plan first keeps it as it was.
bad_roster() {
    printf "$1" >"$R/bad.csv"
    printf 'role ae quota\nset ae.quota 1M\nroster bad.csv\n' >"$R/bad.plan"
    sp check "$R/bad.plan"
    rc_is 2
    err_has "$R/bad.csv:$2: $3"
    sp --keep-going -c "load $R/three.plan; roster $R/bad.csv; run trials 2; mode csv; show headcount"
    rc_is 2
    out_has "P50 ae,3,3,3,3"
}
t "roster: an unknown role"
bad_roster 'role,hired\nsdr,2026-01\n' 2:1 "roster: expected a declared role id, found 'sdr'"
t "roster: a month like 2027-13"
bad_roster 'role,hired\nae,2027-13\n' 2:4 "roster: hired: expected a month YYYY-MM, found '2027-13'"
t "roster: a missing column"
bad_roster 'role,capacity\nae,1M\n' 1:1 "roster: expected a 'hired' column"
t "roster: both capacity and attainment"
bad_roster 'role,hired,capacity,attainment\nae,2026-01,1M,90%%\n' 2:15 "roster: expected capacity or attainment, found both"
t "roster: a hire after the start"
printf 'role,hired\nae,2027-05\n' >"$R/late.csv"
printf 'role ae quota\nset ae.quota 1M\nroster late.csv\n' >"$R/late.plan"
sp check "$R/late.plan"
rc_is 2
err_has "$R/late.csv:2:4: roster: hired: expected a month not after the start 2027-01"
t "roster: headcount beside roster rows"
printf 'role ae quota\nset ae.quota 1M\nroster data/team.csv\nset ae.headcount 4\n' >"$R/twice.plan"
sp check "$R/twice.plan"
rc_is 2
err_has "takes its starting staff from its roster rows"

t "ytd_bookings: P(target) counts what is booked, the year reported whole"
# Ten reps, skill 1, 100k a month each from July: 6M in FY2027.  With 6M
# already booked a 12M target is met in every trial; 1 short of it, never.
cat >"$R/ytd.plan" <<'EOF2'
role ae quota
set ae.quota 1.2M
set ae.headcount 10
set start 2027-07
set horizon 6
set target 12M
set ytd_bookings 6M
EOF2
sp run "$R/ytd.plan" --trials 5 --json "$R/ytd.json"
rc_is 0
out_has "FY2027: \$6,000,000 booked before 2027-07 (ytd_bookings)"
assert '[ "$(js "$R/ytd.json" "(j[\"periods\"][0][\"p_target\"], j[\"periods\"][0][\"partial\"], j[\"periods\"][0][\"ytd_bookings\"])")" = "(1, False, 6000000)" ]' \
    "ytd 6M: P(target) 1, a whole year, ytd_bookings in JSON"
sed 's/ytd_bookings 6M/ytd_bookings 5,999,999/' "$R/ytd.plan" >"$R/ytd2.plan"
sp run "$R/ytd2.plan" --trials 5 --json "$R/ytd2.json" --quiet
assert '[ "$(js "$R/ytd2.json" "j[\"periods\"][0][\"p_target\"]")" = "0" ]' "ytd one short: P(target) should be 0"

t "opening_arr: 1.2M at 90% renewal gives 100,000 in month 0 and f(t) after"
cat >"$R/book.plan" <<'EOF2'
role ae quota
set ae.quota 1M
set revenue ratable 12 renewal 90%
set opening_arr 1.2M
set horizon 14
EOF2
sp run "$R/book.plan" --trials 2 --json "$R/book.json" --quiet
rc_is 0
# 100k x f(t): f(1) = 11.9/12, f(12) = 0.9, f(13) = (0.81 + 11 x 0.9)/12
assert 'python3 -c "
import json
m = json.load(open(\"$R/book.json\"))[\"monthly\"]
got = m[\"opening_revenue\"][\"mean\"][:2] + m[\"revenue\"][\"mean\"][12:14]
assert [\"%.2f\" % x for x in got] == [\"100000.00\", \"99166.67\", \"90000.00\", \"89250.00\"], got
"' \
    "opening revenue is not 100,000 99,166.67 ... 90,000 89,250"
printf 'role ae quota\nset ae.quota 1M\nset opening_arr 1M\n' >"$R/bookbad.plan"
sp check "$R/bookbad.plan"
rc_is 2
err_has "opening_arr needs ratable revenue"

t "payback: the baseline panel shows none, compare the incremental one"
sp run scenarios/baseline.plan --trials 300
rc_is 0
out_lacks "Payback month"
out_has "Contribution = revenue x gross margin 30.0% - cost"
# the baseline with two more hires in April
printf 'scenario more\nuse %s/models/small-team.model\nset rep.hires 2027-03:2 2027-04:2\nset target 13M 15M\n' "$PWD" >"$R/more.plan"
sp compare scenarios/baseline.plan "$R/more.plan" --trials 300 --json "$R/cmp.json"
rc_is 0
out_has "Incremental payback of more over baseline (P50): 2027-"
assert 'python3 -c "
import json
d = json.load(open(\"$R/cmp.json\"))[\"differences\"][0][\"payback_month\"]
assert d[\"p50\"].startswith(\"2027-\") and d[\"share_no_investment\"] < 0.5, d
assert json.load(open(\"$R/cmp.json\"))[\"scenarios\"][0][\"payback_month\"][\"share_no_investment\"] == 1
"' "JSON incremental payback"

t "show reps ROLE lists the rostered people by id"
# Ann, Bo, Cy of the three-rep roster, capacity fixed and no noise, so
# every trial is the same.  Over the four months Ann books 50k + 3 x 100k
# = 350k on a quota (relief on: 100k a month x ramp) of the same 350k:
# 100.0%; Bo books 500k on 250k, 200%; Cy 200k on 400k, 50%.
sp -c "load $R/three.plan; run trials 3; show reps ae"
rc_is 0
out_has "Rostered ae by id"
assert 'grep -E "^Ann +100\.0% +100\.0% +100\.0%" "$TMP/out" >/dev/null' "Ann's attainment is not 100% in every trial"
assert 'grep -E "^Bo +200\.0% " "$TMP/out" >/dev/null && grep -E "^Cy +50\.0% " "$TMP/out" >/dev/null' \
    "Bo 200% and Cy 50%"
