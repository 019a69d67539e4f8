# The engine end to end: a scenario without randomness whose monthly pay
# and cost figures are derived by hand, checked in the JSON of a real run.

t "deterministic pay and cost, every month"
cat >"$TMP/det.plan" <<'PLAN'
scenario det "Deterministic pay"
set start 2027-01
set horizon 6
role ae quota
set ae.headcount 2
set ae.quota 1.2M
set ae.attainment 1.2
set ae.base 60k
set ae.ote 132k
set ae.tiers 0%:1 100%:1.5
set ae.bonus 12k
set ae.burden 20%
set ae.monthly_cost 500
role ops support
set ops.headcount 1
set ops.base 48k
set ops.burden 20%
role mgr manager
set mgr.manages ae
set mgr.span 2
set mgr.headcount 1
set mgr.base 96k
set mgr.pool 1% of ae
set mgr.burden 20%
PLAN
sp run "$TMP/det.plan" --trials 3 --json "$TMP/det.json" --quiet
rc_is 0
python3 - "$TMP/det.json" >"$TMP/det.out" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
m = r["monthly"]
bad = []
def eq(name, t, want):
    got = m[name]["p50"][t]
    for stat in ("mean", "p10", "p90"):
        if m[name][stat][t] != got:
            bad.append(f"{name}[{t}] {stat} differs from p50 in a scenario without randomness")
    if abs(got - want) > 1e-9 * max(1, abs(want)):
        bad.append(f"{name}[{t}] = {got!r}, expected {want!r}")
# Each AE: quota 1.2M/12 = 100k a month, skill 1.2 -> books 120k a month.
# A quarter: P = 300k, b = 360k, a = 1.2.  TI = ote - base - bonus =
# 132k - 60k - 12k = 60k a year,
# TI_p = 60k * 3/12 = 15k, BCR = 15k / 300k = 5%.  Marginal tiers
# 0%:1 100%:1.5: 1 * 5% * 300k + 1.5 * 5% * 60k = 15,000 + 4,500 = 19,500.
# Bonus 12k * 3/12 * curve(1.2) = 3,000 * 1.2 = 3,600 (default curve is
# linear to 200%).  Two AEs: commission 39,000, bonus 7,200 at each
# quarter's last month (t = 2 and t = 5).
# Manager pool: 1% of the AEs' quarter bookings 2 * 360k = 7,200.
# Base a month: AEs 2 * 5,000 + ops 4,000 + manager 8,000 = 22,000.
for t in range(6):
    end = t in (2, 5)
    eq("bookings", t, 240000)
    eq("revenue", t, 240000)
    eq("quota", t, 200000)
    eq("headcount", t, 4)
    eq("headcount.ae", t, 2)
    eq("base", t, 22000)
    eq("commission", t, 39000 if end else 0)
    eq("bonus", t, 7200 if end else 0)
    eq("pool", t, 7200 if end else 0)
    eq("pool.mgr", t, 7200 if end else 0)
    variable = 53400 if end else 0
    eq("variable", t, variable)
    # burden 20% on all pay
    burden = 0.2 * (22000 + variable)
    eq("burden", t, burden)
    eq("other_cost", t, 1000)        # 2 AEs * 500
    eq("hiring_cost", t, 0)
    cost = 22000 + variable + burden + 1000
    eq("cost", t, cost)             # 27,400 or 91,480
    eq("contribution", t, 240000 - cost)
# cum_contribution after six months: 4 * 212,600 + 2 * 148,520
eq("cum_contribution", 5, 4 * 212600 + 2 * 148520)
tot = r["horizon_total"]["metrics"]
# cost 4 * 27,400 + 2 * 91,480 = 292,560 over bookings 1,440,000
if abs(tot["cos"]["p50"] - 292560 / 1440000) > 1e-12:
    bad.append(f"horizon cos {tot['cos']['p50']!r}")
if abs(tot["attainment"]["p50"] - 1.2) > 1e-12:
    bad.append(f"horizon attainment {tot['attainment']['p50']!r}")
# every AE quarter record earns 15,000 base + 23,100 variable = 38,100,
# above the on-target 30,000, at 120% of quota
reps = r["reps"]["ae"]
if reps["share_at_quota"] != 1 or reps["share_at_ote"] != 1:
    bad.append(f"reps shares {reps['share_at_quota']} {reps['share_at_ote']}")
if abs(reps["earnings"]["mean"] - 38100) > 1e-6:
    bad.append(f"reps earnings mean {reps['earnings']['mean']!r}")
print("\n".join(bad) if bad else "all figures as derived")
PY
assert "grep -q 'all figures as derived' $TMP/det.out" "$(cat $TMP/det.out)"

t "JSON has the normative keys and no NaN"
python3 - "$TMP/det.json" >"$TMP/keys.out" 2>&1 <<'PY'
import json, sys
txt = open(sys.argv[1]).read()
r = json.loads(txt)
need = ["salesplan", "scenario", "title", "trials", "seed", "start", "horizon",
        "months", "monthly", "periods", "horizon_total", "payback_month", "reps"]
miss = [k for k in need if k not in r]
p = r["periods"][0]
miss += [k for k in ("label", "first", "last", "partial", "metrics", "p_target") if k not in p]
miss += [s for s in ("mean", "sd", "se", "p5", "p10", "p25", "p50", "p75", "p90", "p95")
         if s not in r["monthly"]["bookings"]]
if "NaN" in txt or "nan" in txt or "Infinity" in txt:
    miss.append("NaN in output")
print("missing: " + ", ".join(miss) if miss else "keys ok")
PY
assert "grep -q 'keys ok' $TMP/keys.out" "$(cat $TMP/keys.out)"

t "same seed, same results; threads do not change them"
sp run scenarios/baseline.plan --trials 400 --seed 9 --threads 1 --json "$TMP/t1.json" --quiet; rc_is 0
sp run scenarios/baseline.plan --trials 400 --seed 9 --threads 2 --json "$TMP/t2.json" --quiet; rc_is 0
same_files "$TMP/t1.json" "$TMP/t2.json"
sp run scenarios/baseline.plan --trials 400 --seed 10 --json "$TMP/t3.json" --quiet; rc_is 0
assert "! cmp -s $TMP/t1.json $TMP/t3.json" "another seed gives other results"

t "run summary shows cost of sales and rep shares"
sp run scenarios/baseline.plan --trials 300
rc_is 0; out_has "Cost of sales P50"; out_has "At quota"; out_has "At OTE"; out_has "P(target)"

t "csv is tidy long form"
sp run "$TMP/det.plan" --trials 3 --csv "$TMP/det.csv" --quiet
rc_is 0
assert "head -1 $TMP/det.csv | grep -qx 'scenario,metric,period,statistic,value'" "csv header"
assert "grep -q '^det,bookings,2027-01,p50,240000$' $TMP/det.csv" "csv monthly row"

t "bad run options"
sp run "$TMP/det.plan" --trials 0; rc_is 2; err_has "--trials"
sp run "$TMP/det.plan" --json /nonexistent-dir/x.json --trials 3 --quiet; rc_is 1
err_has "/nonexistent-dir/x.json"

t "a yearly commission period cut by the horizon is settled at its end"
cat >"$TMP/py.plan" <<'PLAN'
set start 2027-01
set horizon 18
role ae quota
set ae.headcount 1
set ae.quota 1.2M
set ae.base 60k
set ae.ote 120k
set ae.period year
PLAN
sp run "$TMP/py.plan" --trials 2 --json "$TMP/py.json" --quiet
rc_is 0
# TI = 60k.  FY2027 (t 0-11): P = b = 1.2M, paid TI = 60,000 at t = 11.
# FY2028 is cut after June (t 12-17): six commission months, TI_p =
# 60k * 6/12 = 30,000, P = b = 600k, paid at the horizon's end (t = 17).
python3 - "$TMP/py.json" >"$TMP/py.out" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["monthly"]["commission"]["p50"]
want = [0] * 18
want[11], want[17] = 60000, 30000
print("ok" if c == want else f"commission {c}")
PY
assert "grep -qx ok $TMP/py.out" "$(cat $TMP/py.out)"

t "starting staff without a ramp start at tenure month 1; a guarantee is paid monthly"
cat >"$TMP/guar.plan" <<'PLAN'
set start 2027-01
set horizon 6
role ae quota
set ae.headcount 1
set ae.quota 120k
set ae.base 60k
set ae.ote 132k
set ae.bonus 12k
set ae.guarantee 2 1000
PLAN
sp run "$TMP/guar.plan" --trials 2 --json "$TMP/guar.json" --quiet
rc_is 0
# No ramp, so the default tenure is 0: tenure months 1 and 2 are t = 0, 1,
# paid the guarantee of 1,000 in each.  TI = 132k - 60k - 12k = 60k.  Q1
# settles at t = 2 on one commission month: TI_p = 60k * 1/12 = 5,000, P = b = 10k, commission
# 5,000; bonus 12k * 1/12 * curve(100%) = 1,000.  Q2 (t 3-5): three
# commission months, TI_p = 15,000 = commission, bonus 3,000.
python3 - "$TMP/guar.json" >"$TMP/guar.out" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["monthly"]
g, c, b = (m[k]["p50"] for k in ("guarantee", "commission", "bonus"))
ok = (g == [1000, 1000, 0, 0, 0, 0] and c == [0, 0, 5000, 0, 0, 15000]
      and b == [0, 0, 1000, 0, 0, 3000])
print("ok" if ok else f"guarantee {g} commission {c} bonus {b}")
PY
assert "grep -qx ok $TMP/guar.out" "$(cat $TMP/guar.out)"

t "writing through a symbolic link replaces its target, not the link"
printf '# salesplan scenario (canonical form written by `save`)\nold\n' >"$TMP/target.plan"
ln -sf "$TMP/target.plan" "$TMP/link.plan"
sp -c "load $TMP/det.plan; save $TMP/link.plan"
rc_is 0
assert "[ -L $TMP/link.plan ]" "the link is still a link"
assert "grep -q '^scenario det' $TMP/target.plan" "the target holds the saved scenario"

t "a device is never replaced by a file"
sp -c "load $TMP/det.plan; save /dev/full"
rc_is 1; err_has "cannot write '/dev/full': not a regular file"
assert "[ -c /dev/full ]" "/dev/full is still a character device"

t "compare CSV carries the paired differences of the JSON"
sp compare scenarios/small-individual.plan scenarios/small-pooled.plan --trials 200 --quiet --csv "$TMP/d.csv" --json "$TMP/d.json"
rc_is 0
python3 - "$TMP/d.csv" "$TMP/d.json" >"$TMP/d.out" <<'PY'
import csv, json, sys
rows = {(r["scenario"], r["metric"], r["period"], r["statistic"]): r["value"]
        for r in csv.DictReader(open(sys.argv[1]))}
d = json.load(open(sys.argv[2]))["differences"][0]
who = d["b"] + " - " + d["a"]
bad = []
# pay-only differences: bookings differ by exactly 0 in every trial
if rows.get((who, "bookings", "Total", "diff_mean")) != "0":
    bad.append("bookings diff " + str(rows.get((who, "bookings", "Total", "diff_mean"))))
want = d["horizon_total"]["metrics"]["cost"]
got = float(rows[(who, "cost", "Total", "diff_mean")])
if abs(got - want["mean"]) > 1e-9 * max(1, abs(want["mean"])):
    bad.append(f"cost diff {got} vs {want['mean']}")
lo = float(rows[(who, "cost", "Total", "diff_ci95_low")])
if abs(lo - want["ci95"][0]) > 1e-9 * max(1, abs(lo)):
    bad.append(f"ci95 low {lo} vs {want['ci95'][0]}")
print("\n".join(bad) if bad else "ok")
PY
assert "grep -qx ok $TMP/d.out" "$(cat $TMP/d.out)"

t "capacity, not quota, makes bookings: quota moves attainment and pay only"
# Two plans that differ only in quota, each rep's capacity drawn from the
# same distribution: every trial books the same (the paired difference of
# bookings is exactly 0), while the higher quota lowers attainment and,
# through BCR = TI_p / P, changes commission.
cat >"$TMP/cap-a.plan" <<'PLAN'
scenario cap_a "Quota 1M"
set start 2027-01
set horizon 12
set market_volatility 10%
role ae quota
set ae.headcount 8
set ae.quota 1M
set ae.capacity lognormal(mean=900k, sd=250k)
set ae.volatility 30%
set ae.attrition 20%
set ae.base 100k
set ae.ote 200k
set ae.tiers 0%:1 100%:1.5
PLAN
sed -e 's/^scenario cap_a .*/scenario cap_b "Quota 1.2M"/' \
    -e 's/^set ae.quota 1M/set ae.quota 1.2M/' "$TMP/cap-a.plan" >"$TMP/cap-b.plan"
sp compare "$TMP/cap-a.plan" "$TMP/cap-b.plan" --trials 300 --json "$TMP/cap.json"
rc_is 0
python3 - "$TMP/cap.json" >"$TMP/cap.out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
diff = d["differences"][0]["periods"][0]["metrics"]
a, b = (s["periods"][0]["metrics"] for s in d["scenarios"])
bad = []
if diff["bookings"]["mean"] != 0 or diff["bookings"]["ci95"] != [0, 0]:
    bad.append(f"bookings differ: {diff['bookings']}")
# same bookings, 1.2 times the quota: attainment is 1/1.2 of the first
ra = b["attainment"]["mean"] / a["attainment"]["mean"]
if abs(ra - 1 / 1.2) > 1e-9:
    bad.append(f"attainment ratio {ra}")
if diff["commission"]["mean"] == 0:
    bad.append("commission did not change")
print("ok" if not bad else "; ".join(bad))
PY
assert "grep -qx ok $TMP/cap.out" "$(cat $TMP/cap.out)"

t "on-target earnings are base + TI + bonus; a supervisor is paid on the team; quota by fiscal year; coverage"
cat >"$TMP/ote.plan" <<'PLAN'
set start 2027-01
set horizon 24
role rep quota
set rep.headcount 10
set rep.quota 1.2M 1.5M
set rep.capacity 1.08M
set rep.period month
set rep.base 60k
set rep.rate 3%
set rep.bonus 12k
role sup manager
set sup.manages rep
set sup.span 5
set sup.headcount 2
set sup.base 96k
set sup.bonus 24k
set sup.period month
set target 10M
PLAN
sed -e 's/^set rep.capacity 1.08M/set rep.capacity 960k/' "$TMP/ote.plan" >"$TMP/ote80.plan"
sp run "$TMP/ote.plan" --trials 2 --json "$TMP/ote.json" --quiet; rc_is 0
sp run "$TMP/ote80.plan" --trials 2 --json "$TMP/ote80.json" --quiet; rc_is 0
python3 - "$TMP/ote.json" "$TMP/ote80.json" >"$TMP/ote.out" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r80 = json.load(open(sys.argv[2]))
bad = []
def close(what, got, want):
    if got is None or abs(got - want) > 1e-9 * max(1, abs(want)):
        bad.append(f"{what} = {got!r}, expected {want!r}")
rep = {p["label"]: p for p in r["reps"]["rep"]["by_period"]}
# FY2027: capacity 1.08M = 90% of the 1.2M quota: 90k booked a month
# against 100k.  Earnings a month: base 5,000 + commission 3% x 90k =
# 2,700 + bonus 1,000 x curve(90%) = 900 (default curve linear): 8,600.
# On-target: (60k + TI 3% x 1.2M = 36k + bonus 12k) / 12 = 9,000.  Not at
# OTE (base + TI alone, 8,000, would have called it at OTE).
close("FY2027 attainment", rep["FY2027"]["attainment"]["p50"], 0.9)
close("FY2027 earnings", rep["FY2027"]["earnings"]["p50"], 8600)
close("FY2027 annual earnings", rep["FY2027"]["earnings_annual"]["p50"], 103200)
close("FY2027 at OTE", rep["FY2027"]["share_at_ote"], 0)
# FY2028 quota 1.5M: the same 90k a month against 125k, 72%.  Earnings
# 5,000 + 2,700 + 720 = 8,420; on-target (60k + 45k + 12k) / 12 = 9,750.
close("FY2028 attainment", rep["FY2028"]["attainment"]["p50"], 0.72)
close("FY2028 earnings", rep["FY2028"]["earnings"]["p50"], 8420)
# Supervisors: the team's 10 x 90k over 10 x 100k = 90%: 2,000 x 0.9 =
# 1,800 each a month, two of them.  With capacity 960k the team books 80%
# of quota: 1,600 each, 80% of the bonus on the linear curve.
close("sup bonus at 90%", r["monthly"]["bonus.sup"]["p50"][0], 3600)
close("sup bonus at 80%", r80["monthly"]["bonus.sup"]["p50"][0], 3200)
sup80 = {p["label"]: p for p in r80["reps"]["sup"]["by_period"]}
close("sup attainment at 80%", sup80["FY2027"]["attainment"]["p50"], 0.8)
# Coverage FY2027: quota 10 x 1.2M = 12M over the 10M target, 120%;
# capacity 10 x 1.08M = 10.8M, 108%.  FY2028 has no target of its own (the
# list's last value does not carry forward) and the horizon has none.
fy = {p["label"]: p["metrics"] for p in r["periods"]}
close("coverage FY2027", fy["FY2027"]["coverage"]["p50"], 1.2)
close("capacity coverage FY2027", fy["FY2027"]["capacity_coverage"]["p50"], 1.08)
if fy["FY2028"]["coverage"]["p50"] is not None:
    bad.append("FY2028 coverage should be null")
if r["horizon_total"]["metrics"]["coverage"]["p50"] is not None:
    bad.append("horizon coverage should be null")
# capacity a month: 10 x 1.08M / 12 = 900k
close("capacity", r["monthly"]["capacity"]["p50"][0], 900000)
print("ok" if not bad else "; ".join(bad))
PY
assert "grep -qx ok $TMP/ote.out" "$(cat $TMP/ote.out)"
sp -c "load $TMP/ote.plan; run trials 2; show reps sup"
rc_is 0; out_has "annual earnings P95"; out_has "Quota coverage P50"

t "a role without a target has no at-OTE share"
printf 'role ae quota\nset ae.quota 1M\nset ae.headcount 2\nset ae.base 50k\n' >"$TMP/notarget.plan"
sp run "$TMP/notarget.plan" --trials 2 --json "$TMP/nt.json" --csv "$TMP/nt.csv" --quiet; rc_is 0
assert "python3 -c \"import json,sys; sys.exit(json.load(open('$TMP/nt.json'))['reps']['ae']['share_at_ote'] is not None)\"" "share_at_ote is null in JSON"
assert "grep -q 'reps.share_at_ote.ae,Total,value,$' $TMP/nt.csv" "share_at_ote is empty in CSV"
sp -c "load $TMP/notarget.plan; run trials 2; show reps ae"
rc_is 0; assert "grep -q '^at OTE  *—  *—  *—$' $TMP/out" "show reps prints — for at OTE"
