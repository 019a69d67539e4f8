# Fiscal quarters, quarterly targets (target_split) and cost budgets:
# figures derived by hand on a plan without randomness, then a stochastic
# plan checked against its own trial-level export.

t "quarters: sums of their months, split targets, P(target) and p_budget"
# Ten reps, quota 1.2M a year each (team 1M a month before seasonality),
# attainment 1, so bookings = quota = 1M x season[m] a month.  The
# seasonality averages exactly 1 (sum 12), so it is used as written:
#   Q1 0.6 + 0.8 + 1.0 = 2.4M   Q2 1.0 + 1.1 + 1.1 = 3.2M
#   Q3 0.9 + 0.9 + 1.0 = 2.8M   Q4 1.2 + 1.2 + 1.2 = 3.6M   year 12M
# 14 months: FY2028 Q1 is Jan-Feb 2028 only (partial), 0.6 + 0.8 = 1.4M.
# target 12M split 20/25/25/30: quarter targets 2.4M, 3M, 3M, 3.6M;
# FY2028 Q1 keeps its full 2.4M.  P(target): Q1 2.4M >= 2.4M (equal, within
# the relative 1e-9 of MODEL.md 10.1) 1; Q2 3.2M >= 3M 1; Q3 2.8M < 3M 0;
# Q4 3.6M >= 3.6M 1; FY2028 Q1 1.4M < 2.4M 0.
# Cost: base 60k / 12 = 5k a rep-month, 50k a month, plus the monthly
# commission 5% of bookings: Q1 150k + 120k = 270k, Q2 150k + 160k =
# 310k, Q3 150k + 140k = 290k, Q4 150k + 180k = 330k; the year 600k + 600k
# = 1.2M.  Budget 1,200,001 (1 above): p_budget 1; 1,199,999 (1 below):
# p_budget 0.
for bu in 1200001 1199999; do
cat >"$TMP/qdet-$bu.plan" <<PLAN
scenario qdet "Quarters by hand"
set start 2027-01
set horizon 14
set seasonality 0.6 0.8 1.0 1.0 1.1 1.1 0.9 0.9 1.0 1.2 1.2 1.2
set target 12M 12M
set target_split 20% 25% 25% 30%
set budget $bu
role ae quota
set ae.headcount 10
set ae.quota 1.2M
set ae.attainment 1
set ae.base 60k
set ae.rate 5%
set ae.period month
PLAN
sp run "$TMP/qdet-$bu.plan" --trials 3 --json "$TMP/qdet-$bu.json" --csv "$TMP/qdet-$bu.csv" --quiet
rc_is 0
done
python3 - "$TMP/qdet-1200001.json" "$TMP/qdet-1199999.json" >"$TMP/qdet.out" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
lo = json.load(open(sys.argv[2]))
bad = []
def near(a, b):
    return a is not None and abs(a - b) <= 1e-9 * max(1, abs(b))
m = r["monthly"]
want = [
    ("FY2027 Q1", 0, 3, 2.4e6, 270e3, 2.4e6, 1, False),
    ("FY2027 Q2", 3, 6, 3.2e6, 310e3, 3.0e6, 1, False),
    ("FY2027 Q3", 6, 9, 2.8e6, 290e3, 3.0e6, 0, False),
    ("FY2027 Q4", 9, 12, 3.6e6, 330e3, 3.6e6, 1, False),
    ("FY2028 Q1", 12, 14, 1.4e6, 170e3, 2.4e6, 0, True),
]
qs = r["quarters"]
if [q["label"] for q in qs] != [w[0] for w in want]:
    bad.append(f"quarter labels {[q['label'] for q in qs]}")
for q, (label, t0, t1, bk, cost, tg, pt, partial) in zip(qs, want):
    qm = q["metrics"]
    for name, v in (("bookings", bk), ("quota", bk), ("cost", cost)):
        months = sum(m[name]["p50"][t0:t1])
        for stat in ("mean", "p10", "p50", "p90"):
            if not near(qm[name][stat], months):
                bad.append(f"{label} {name} {stat} {qm[name][stat]!r} != sum of months {months!r}")
        if not near(qm[name]["p50"], v):
            bad.append(f"{label} {name} {qm[name]['p50']!r}, expected {v!r}")
    if not near(qm["attainment"]["p50"], 1):
        bad.append(f"{label} attainment {qm['attainment']['p50']!r}")
    if not near(qm["cos"]["p50"], cost / bk):
        bad.append(f"{label} cos {qm['cos']['p50']!r}")
    if not near(q["target"], tg):
        bad.append(f"{label} target {q['target']!r}, expected {tg}")
    if q["p_target"] != pt:
        bad.append(f"{label} p_target {q['p_target']!r}, expected {pt}")
    if q["partial"] != partial:
        bad.append(f"{label} partial {q['partial']!r}")
fy = r["periods"][0]
if not near(fy["metrics"]["cost"]["p50"], 1.2e6):
    bad.append(f"FY2027 cost {fy['metrics']['cost']['p50']!r}")
if fy.get("p_budget") != 1:
    bad.append(f"p_budget with budget 1,200,001: {fy.get('p_budget')!r}")
if lo["periods"][0].get("p_budget") != 0:
    bad.append(f"p_budget with budget 1,199,999: {lo['periods'][0].get('p_budget')!r}")
# one budget amount: FY2028 has none, so null
if r["periods"][1].get("p_budget", "absent") is not None:
    bad.append(f"FY2028 p_budget {r['periods'][1].get('p_budget', 'absent')!r}, expected null")
print("\n".join(bad) if bad else "all figures as derived")
PY
assert "grep -q 'all figures as derived' $TMP/qdet.out" "$(cat $TMP/qdet.out)"
assert "grep -q '^qdet,p_target,FY2027 Q3,value,0$' $TMP/qdet-1200001.csv" "csv p_target of a quarter"
assert "grep -q '^qdet,p_budget,FY2027,value,1$' $TMP/qdet-1200001.csv" "csv p_budget"
assert "grep -q '^qdet,bookings,FY2027 Q2,p50,' $TMP/qdet-1200001.csv" "csv quarter rows"

t "quarters: the panel's quarter line and show summary by quarter"
sp "$TMP/qdet-1200001.plan" -c "run trials 3; show summary by quarter"
rc_is 0
out_has "  Q1/Q2/Q3/Q4          100/100/0/100%    0/—/—/—%"
out_has "P(budget)                      100.0%"
out_has "Target               \$2,400,000  \$3,000,000  \$3,000,000  \$3,600,000  \$2,400,000"
out_has "P(target)                100.0%      100.0%        0.0%      100.0%        0.0%"
out_has "a partial quarter keeps its full target"

t "quarters: target_split and budget are checked"
printf 'role ae quota\nset ae.quota 1M\nset target_split 20%% 30%% 30%%\n' >"$TMP/qbad1.plan"
sp check "$TMP/qbad1.plan"; rc_is 2; err_has "qbad1.plan:3:"; err_has "4 shares"
printf 'role ae quota\nset ae.quota 1M\nset target_split 20%% 30%% 30%% 30%%\n' >"$TMP/qbad2.plan"
sp check "$TMP/qbad2.plan"; rc_is 2; err_has "qbad2.plan:3:"; err_has "sum to 100%"
sp -c "role ae quota; set ae.quota 1M; set budget -5"; rc_is 2; err_has "budget"

t "quarters: P(target) of a quarter is the share of trials in the trial-level export"
sp -c "load scenarios/baseline.plan; run trials 400; export $TMP/qs.json; export $TMP/qs.csv" >/dev/null
rc_is 0
python3 - "$TMP/qs.json" "$TMP/qs-trials.csv" >"$TMP/qs.out" 2>&1 <<'PY'
import csv, json, sys
r = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
bad = []
# 13M and 15M split 20/25/25/30: FY2027 2.6M 3.25M 3.25M 3.9M,
# FY2028 3M 3.75M 3.75M 4.5M
targets = [13e6 * s for s in (.2, .25, .25, .3)] + [15e6 * s for s in (.2, .25, .25, .3)]
def pct(v, q):
    # the project's rule: linear between order statistics, h = (n-1) q
    v = sorted(v); h = (len(v) - 1) * q; i = int(h)
    return v[i] if i + 1 >= len(v) else v[i] + (h - i) * (v[i + 1] - v[i])
for q, tg in zip(r["quarters"], targets):
    bk = [float(x["bookings"]) for x in rows if x["period"] == q["label"]]
    if len(bk) != 400:
        bad.append(f"{q['label']}: {len(bk)} trial rows")
        continue
    share = sum(b >= tg - 1e-9 * tg for b in bk) / len(bk)
    if abs(q["target"] - tg) > 1e-6 or q["p_target"] != share:
        bad.append(f"{q['label']}: p_target {q['p_target']} target {q['target']}, counted {share} of {tg}")
    for k, lv in (("p10", .1), ("p50", .5), ("p90", .9)):
        got = q["metrics"]["bookings"][k]
        if abs(got - pct(bk, lv)) > 1e-6 * abs(got):
            bad.append(f"{q['label']} {k} {got} vs trials {pct(bk, lv)}")
if not any(0 < q["p_target"] < 1 for q in r["quarters"]):
    bad.append("no quarter with a P(target) strictly between 0 and 1")
print("\n".join(bad) if bad else "quarters match the trials")
PY
assert "grep -q 'quarters match the trials' $TMP/qs.out" "$(cat $TMP/qs.out)"

t "quarters: show bookings by quarter prints the JSON's percentiles"
sp -c "load scenarios/baseline.plan; mode csv; run trials 400; show bookings by quarter" >/dev/null
rc_is 0
python3 - "$TMP/out" "$TMP/qs.json" >"$TMP/qs2.out" 2>&1 <<'PY'
import csv, json, sys
r = json.load(open(sys.argv[2]))
# the grid starts at its corner cell, the metric's name
lines = open(sys.argv[1]).read().splitlines()
start = next(i for i, l in enumerate(lines) if l.startswith("bookings,"))
rows = list(csv.reader(lines[start:]))
head = rows[0]
bad = []
for row in rows[1:]:
    if row[0] not in ("P10", "P50", "P90"):
        continue
    for q, cell in zip(r["quarters"], row[1:]):
        want = q["metrics"]["bookings"][row[0].lower()]
        if abs(float(cell) - want) > 1e-6 * abs(want):
            bad.append(f"{q['label']} {row[0]}: show {cell}, JSON {want}")
print("\n".join(bad) if bad else f"show matches the JSON ({len(head) - 1} quarters)")
PY
assert "grep -q 'show matches the JSON (8 quarters)' $TMP/qs2.out" "$(cat $TMP/qs2.out)"

t "quarters: analysis commands take p(target) of a quarter and p(budget)"
sp -c "load scenarios/baseline.plan; sweep rep.capacity 1M 1.3M step 0.3M metric p(target) FY2027 Q1 trials 200"
rc_is 0; out_has "P(target) (FY2027 Q1)"
sp -c "load scenarios/baseline.plan; sweep rep.capacity 1M 1.3M step 0.3M metric p(target) Q4 trials 200"
rc_is 0; out_has "P(target) (FY2027 Q4)"
sp -c "load scenarios/baseline.plan; goalseek budget for p(budget) FY2027 = 90% trials 200"
rc_is 0; out_has "P(budget)"
sp -c "load scenarios/baseline.plan; sweep rep.capacity 1M 1.3M step 0.3M metric p(budget) Q1 trials 200"
rc_is 2; err_has "p(budget) is a fiscal year's"

t "quarters: compare shows the paired difference of P(budget)"
sp -c "load scenarios/baseline.plan; copy upfront; set rep.hires 2027-01:4; compare baseline upfront trials 300; export $TMP/qc.json"
rc_is 0; out_has "  P(budget)"
python3 -c "
import json; d = json.load(open('$TMP/qc.json'))['differences'][0]['periods'][0]['p_budget']
assert d['mean'] < 0 and d['ci95'][0] <= d['mean'] <= d['ci95'][1], d
print('ok')" >"$TMP/qc.out" 2>&1
assert "grep -q ok $TMP/qc.out" "$(cat $TMP/qc.out)"

# A level (the support factor) is averaged over a quarter's months, not
# summed.  Ten AEs at 100k a month each, five SDRs hired in month 0 at
# span 2 and support_share 40%, in their first ramp month at 50%:
# coverage 2 x 5 x 0.5 / 10 = 0.5, factor 1 - 0.4 + 0.4 x 0.5 = 0.8 in
# 2027-01, then 1.  Q1 = (0.8 + 1 + 1) / 3 = 93.3%; the year (0.8 + 11) /
# 12 = 98.3%; bookings 10 x 100k x (0.8 + 11) = 11.8M.
cat >"$TMP/q-sf.plan" <<'PLAN'
scenario sf
set start 2027-01
set horizon 12
role ae quota
set ae.headcount 10
set ae.quota 1.2M
set ae.base 60k
set ae.rate 5%
role sdr support
set sdr.supports ae
set sdr.span 2
set sdr.support_share 40%
set sdr.ramp 50% 100%
set sdr.base 40k
set trials 20
PLAN
t "quarters: a support factor is the mean of its months"
sp -c "load $TMP/q-sf.plan; run; show support_factor by quarter ae; show support_factor by year ae"
rc_is 0
out_has "Bookings P50         \$11,800,000"
assert "grep -Eq '^P50 +93\.3% +100\.0% +100\.0% +100\.0%\$' '$TMP/out'" "Q1 support factor not the mean of its months"
assert "grep -Eq '^P50 +98\.3% +98\.3%\$' '$TMP/out'" "yearly support factor not the mean of its months"
