# The bundled models and scenarios, the user guide's worked examples, the
# parameter reference, the man page and the README walk-through.

# check_results FILE JSON: the month-0 headcount of every role is the one the
# file's own statements declare (read here from the file and the files it
# uses), managers are enough for their spans, and the cost of sales over the
# horizon is plausible for a sales organisation (5%-60%).
cat >"$TMP/check_results.py" <<'EOF'
import csv, json, math, os, re, sys

def statements(path, seen=()):
    path = os.path.normpath(path)
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#", 1)[0].strip()
        for st in filter(None, (s.strip() for s in line.split(";"))):
            w = st.split()
            if w[0] == "use":
                yield from statements(os.path.join(os.path.dirname(path), w[1]))
            elif w[0] == "roster":
                # a roster's people are the starting staff of their roles
                f = os.path.join(os.path.dirname(path), w[1].strip('"'))
                rows = list(csv.DictReader(open(f, encoding="utf-8-sig")))
                for role in sorted({r["role"] for r in rows}):
                    yield ["set", role + ".headcount",
                           str(sum(r["role"] == role for r in rows))]
            elif w[0] == "unset" and w[1].endswith(".headcount"):
                yield ["set", w[1], "0"]
            else:
                yield w

path, res = sys.argv[1], json.load(open(sys.argv[2]))
roles, head, manages, span = {}, {}, {}, {}
for w in statements(path):
    if w[0] == "role":
        roles[w[1]] = w[2]
    elif w[0] == "set" and "." in w[1]:
        role, name = w[1].split(".", 1)
        if name == "headcount":
            head[role] = int(w[2].replace(",", ""))
        elif name == "manages":
            manages[role] = w[2]
        elif name == "span":
            span[role] = int(w[2])
problems = []
for r in roles:
    want = head.get(r, 0)
    got = res["monthly"]["headcount." + r]["p50"][0]
    if got != want:
        problems.append("headcount.%s at month 0 is %s, the file declares %s" % (r, got, want))
for m, team in manages.items():
    need = math.ceil(head.get(team, 0) / span[m])
    if head.get(m, 0) < need:
        problems.append("%s: %d for %d %s at span %d" % (m, head.get(m, 0), head.get(team, 0), team, span[m]))
total = sum(head.get(r, 0) for r in roles)
if res["monthly"]["headcount"]["p50"][0] != total:
    problems.append("total headcount at month 0 is %s, expected %s" % (res["monthly"]["headcount"]["p50"][0], total))
cos = res["horizon_total"]["metrics"]["cos"]["p50"]
if cos is None or not 0.05 <= cos <= 0.60:
    problems.append("cost of sales over the horizon %s outside 5%%-60%%" % cos)
for p in res["periods"]:
    b = p["metrics"]["bookings"]
    if not (0 < b["p10"] <= b["p50"] <= b["p90"]):
        problems.append("%s bookings percentiles out of order: %s" % (p["label"], b))
if problems:
    print("\n".join(problems))
    sys.exit(1)
EOF

# jq-like access: js FILE EXPR prints the Python expression EXPR over j.
js() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }

t "every model and scenario checks, runs and fits its structure"
for f in models/*.model scenarios/*.plan; do
    CUR="bundled file $f"
    sp check "$f"; rc_is 0
    rm -f "$TMP/x.json"
    sp run "$f" --trials 300 --json "$TMP/x.json" --quiet; rc_is 0
    [ -s "$TMP/x.json" ] || continue
    if python3 "$TMP/check_results.py" "$f" "$TMP/x.json" >"$TMP/py.out" 2>&1; then ok
    else bad "$(cat "$TMP/py.out")"; fi
done

# The organisations the models describe, written out here from their
# descriptions (README, docs/guide.md), not read from the files.
t "the models hold the organisations they describe"
hc0() { js "$1" "j['monthly']['headcount.$2']['p50'][0]"; }
sp run models/small-team.model --trials 300 --json "$TMP/small.json" --quiet; rc_is 0
assert '[ "$(hc0 "$TMP/small.json" rep)" = 10 ] && [ "$(hc0 "$TMP/small.json" sup)" = 2 ] &&
        [ "$(hc0 "$TMP/small.json" mgr)" = 1 ] && [ "$(hc0 "$TMP/small.json" assistant)" = 1 ]' \
    "small team is not 10 reps, 2 supervisors, 1 manager, 1 assistant"
sp run models/regional.model --trials 300 --json "$TMP/reg.json" --quiet; rc_is 0
assert '[ "$(hc0 "$TMP/reg.json" director)" = 1 ] && [ "$(hc0 "$TMP/reg.json" rsd)" = 2 ] &&
        [ "$(hc0 "$TMP/reg.json" kam)" = 4 ] && [ "$(hc0 "$TMP/reg.json" rep)" = 12 ] &&
        [ "$(hc0 "$TMP/reg.json" followup)" = 6 ] && [ "$(hc0 "$TMP/reg.json" service)" = 3 ]' \
    "regional model is not 1 director, 2 regional directors, 4 KAMs, 12 reps, 6 follow-up, 3 service"
sp run models/saas.model --trials 300 --json "$TMP/saas.json" --quiet; rc_is 0
assert '[ "$(hc0 "$TMP/saas.json" ae)" = 12 ] && [ "$(hc0 "$TMP/saas.json" sdr)" = 6 ] &&
        [ "$(hc0 "$TMP/saas.json" am)" = 4 ] && [ "$(hc0 "$TMP/saas.json" flm)" = 2 ]' \
    "SaaS model is not 12 AEs, 6 SDRs, 4 AMs, 2 managers"
# SaaS revenue is ratable over 12 months, so the first year's revenue from
# new business is well below its bookings (a month's bookings count 1/12
# to 12/12); on top of it the opening book of $24M ARR renews at 90%:
# $2M in month 0, then $24M/12 x (11 + 0.9)/12 = $1,983,333.33 in month 1
# and $24M/12 x 0.9 = $1.8M in month 12 (MODEL.md 3).
assert 'python3 -c "
import json
j = json.load(open(\"$TMP/saas.json\"))
o = j[\"monthly\"][\"opening_revenue\"][\"mean\"]
assert abs(o[0] - 2e6) < 1e-6 and abs(o[1] - 2e6 * 11.9 / 12) < 1e-6 and abs(o[12] - 1.8e6) < 1e-6, o[:13]
p = j[\"periods\"][0][\"metrics\"]
new = p[\"revenue\"][\"mean\"] - p[\"opening_revenue\"][\"mean\"]
assert new < 0.7 * p[\"bookings\"][\"mean\"], (new, p[\"bookings\"][\"mean\"])
"' "SaaS revenue is not ratable over the opening book"

t "spans keep one sales manager when the small team grows"
# 14 reps need ceil(14/5) = 3 supervisors; 3 supervisors at span 3 need 1 manager.
sp run scenarios/small-hire-upfront.plan --trials 300 --json "$TMP/up.json" --quiet; rc_is 0
assert '[ "$(js "$TMP/up.json" "j[\"monthly\"][\"headcount.sup\"][\"p50\"][-1]")" = 3 ]' "a third supervisor was not hired"
assert '[ "$(js "$TMP/up.json" "max(j[\"monthly\"][\"headcount.mgr\"][\"p90\"])")" = 1 ]' "a second manager was hired"

t "hiring at once books more in the first year than staggered hiring"
sp run scenarios/small-hire-staggered.plan --trials 300 --json "$TMP/stag.json" --quiet; rc_is 0
assert 'python3 -c "
import json
u = json.load(open(\"$TMP/up.json\"))[\"periods\"][0][\"metrics\"]
s = json.load(open(\"$TMP/stag.json\"))[\"periods\"][0][\"metrics\"]
assert u[\"bookings\"][\"mean\"] > s[\"bookings\"][\"mean\"] and u[\"cost\"][\"mean\"] > s[\"cost\"][\"mean\"]
"' "upfront hiring does not book and cost more in FY2027"

t "pooled and individual commission cost the same and spread pay differently"
# Both pay 4% of the reps' bookings (1% + 3% pool vs 4% personal), so the
# cost of every trial is the same; the pool narrows the earnings spread.
sp run scenarios/small-individual.plan --trials 300 --json "$TMP/ind.json" --quiet; rc_is 0
sp run scenarios/small-pooled.plan --trials 300 --json "$TMP/pool.json" --quiet; rc_is 0
assert 'python3 -c "
import json
i = json.load(open(\"$TMP/ind.json\")); p = json.load(open(\"$TMP/pool.json\"))
ci, cp = i[\"horizon_total\"][\"metrics\"][\"cost\"][\"mean\"], p[\"horizon_total\"][\"metrics\"][\"cost\"][\"mean\"]
assert abs(ci - cp) <= 1e-9 * ci, (ci, cp)
ei, ep = i[\"reps\"][\"rep\"][\"earnings\"], p[\"reps\"][\"rep\"][\"earnings\"]
assert ep[\"sd\"] < ei[\"sd\"] and ep[\"p90\"] < ei[\"p90\"] and ep[\"p10\"] > ei[\"p10\"]
"' "pooled vs individual commission"

t "commission plans change cost, not bookings"
sp run scenarios/regional-baseline.plan --trials 300 --json "$TMP/rb.json" --quiet; rc_is 0
sp run scenarios/regional-rich-commission.plan --trials 300 --json "$TMP/rr.json" --quiet; rc_is 0
sp run scenarios/regional-tight-cap.plan --trials 300 --json "$TMP/rc.json" --quiet; rc_is 0
assert 'python3 -c "
import json
m = lambda f, k: json.load(open(f))[\"horizon_total\"][\"metrics\"][k][\"mean\"]
b, r, c = \"$TMP/rb.json\", \"$TMP/rr.json\", \"$TMP/rc.json\"
assert m(b, \"bookings\") == m(r, \"bookings\") == m(c, \"bookings\")
assert m(r, \"commission\") > m(b, \"commission\") > m(c, \"commission\")
"' "richer plan should cost more and a tighter cap less, on the same bookings"

t "the stretch target needs more people than the plan has"
sp run scenarios/saas-baseline.plan --trials 300 --json "$TMP/sb.json" --quiet; rc_is 0
sp run scenarios/saas-stretch-target.plan --trials 300 --json "$TMP/ss.json" --quiet; rc_is 0
assert 'python3 -c "
import json
b = json.load(open(\"$TMP/sb.json\"))[\"periods\"]; s = json.load(open(\"$TMP/ss.json\"))[\"periods\"]
assert b[0][\"metrics\"][\"bookings\"][\"mean\"] == s[0][\"metrics\"][\"bookings\"][\"mean\"]
assert s[0][\"p_target\"] < 0.5 and s[1][\"p_target\"] < 0.5
assert s[0][\"p_target\"] < b[0][\"p_target\"] and s[1][\"p_target\"] < b[1][\"p_target\"]
"' "stretch target P(target)"

# The worked examples of docs/guide.md, computed by hand there: one rep, no
# randomness, so one trial gives the exact figures.
t "guide: tiers, retro, cap"
cat >"$TMP/tiers.plan" <<'EOF'
role rep quota
set horizon 3
set rep.headcount 1
set rep.quota 1.2M
set rep.attainment 1.3
set rep.target_incentive 48k
set rep.period quarter
set rep.tiers 0%:0.5 50%:1 100%:2
EOF
# q3comm FILE: V = the commission paid at the end of the first quarter.
q3comm() {
    sp run "$1" --trials 1 --json "$TMP/ex.json" --quiet; rc_is 0
    V=$(js "$TMP/ex.json" "'%.2f' % j['monthly']['commission']['mean'][2]")
}
q3comm "$TMP/tiers.plan"
assert '[ "$V" = 16200.00 ]' "marginal tiers at 130% should pay 16,200"
echo 'set rep.tier_mode retro' >>"$TMP/tiers.plan"
q3comm "$TMP/tiers.plan"
assert '[ "$V" = 31200.00 ]' "retro tiers at 130% should pay 31,200"
echo 'set rep.cap 200%' >>"$TMP/tiers.plan"
q3comm "$TMP/tiers.plan"
assert '[ "$V" = 24000.00 ]' "a 200% cap should hold retro at 24,000"
sed 's/attainment 1.3/attainment 0.5/; /cap/d' "$TMP/tiers.plan" >"$TMP/t50.plan"
q3comm "$TMP/t50.plan"
assert '[ "$V" = 6000.00 ]' "retro at exactly 50% should pay 6,000"
sed '/tier_mode/d' "$TMP/t50.plan" >"$TMP/t50m.plan"
q3comm "$TMP/t50m.plan"
assert '[ "$V" = 3000.00 ]' "marginal at exactly 50% should pay 3,000"

t "guide: recoverable draw ledger"
cat >"$TMP/draw.plan" <<'EOF'
role rep quota
set horizon 5
set rep.headcount 1
set rep.tenure 0
set rep.quota 1.2M
set rep.ramp 20% 40% 70% 80%
set rep.quota_relief off
set rep.rate 10%
set rep.period month
set rep.draw 3 5k recoverable
EOF
sp run "$TMP/draw.plan" --trials 1 --json "$TMP/ex.json" --quiet; rc_is 0
assert '[ "$(js "$TMP/ex.json" "[round(x) for x in j[\"monthly\"][\"draw_topup\"][\"mean\"]]")" = "[3000, 1000, -2000, -2000, 0]" ]' \
    "draw top-ups should be 3,000 1,000 -2,000 -2,000 0"
assert '[ "$(js "$TMP/ex.json" "[round(x) for x in j[\"monthly\"][\"variable\"][\"mean\"]]")" = "[5000, 5000, 5000, 6000, 10000]" ]' \
    "draw payouts should be 5,000 5,000 5,000 6,000 10,000"

t "guide: bonus curve with a step"
cat >"$TMP/bonus.plan" <<'EOF'
role rep quota
set horizon 4
set rep.headcount 1
set rep.tenure 0
set rep.quota 1.2M
set rep.ramp 59% 60% 80% 150%
set rep.quota_relief off
set rep.bonus 12k
set rep.bonus_curve 0%:0% 60%:0% 60%:60% 100%:100% 120%:120%
set rep.period month
EOF
sp run "$TMP/bonus.plan" --trials 1 --json "$TMP/ex.json" --quiet; rc_is 0
assert '[ "$(js "$TMP/ex.json" "\" \".join(\"%.2f\" % x for x in j[\"monthly\"][\"bonus\"][\"mean\"])")" = "0.00 600.00 800.00 1200.00" ]' \
    "bonus should be 0 600 800 1,200"

t "parameter reference is current"
"$SP" --params-markdown >"$TMP/params.md" 2>"$TMP/err"
assert 'diff "$TMP/params.md" docs/parameters.md >"$TMP/out"' "docs/parameters.md is stale: run make docs"

t "man page renders without warnings"
if command -v groff >/dev/null 2>&1 || command -v man >/dev/null 2>&1; then
    assert 'grep -q "^\.TH SALESPLAN 1" salesplan.1' "salesplan.1 has no .TH SALESPLAN 1 header"
    if command -v groff >/dev/null 2>&1; then
        groff -man -Tutf8 -ww -z salesplan.1 >"$TMP/out" 2>"$TMP/err"; RC=$?
        rc_is 0; err_empty
    fi
    if command -v man >/dev/null 2>&1; then
        MANWIDTH=80 man -l salesplan.1 >"$TMP/out" 2>"$TMP/err"; RC=$?
        rc_is 0; err_empty; out_has "SALESPLAN(1)"
    fi
else
    echo "skip: man page check (neither groff nor man is installed)"
fi

t "README walk-through"
# docs/walkthrough.txt is the session the README shows; its figures in the
# README must be what the program prints now.
mkdir -p "$TMP/wt"
wt_root=$PWD
ln -sf "$wt_root/models" "$wt_root/scenarios" "$TMP/wt/"
(cd "$TMP/wt" && "$SP" <"$wt_root/docs/walkthrough.txt" >"$TMP/out" 2>"$TMP/err"); RC=$?
rc_is 0; err_empty
grep -v '^#' docs/walkthrough.txt | grep . >"$TMP/wt_stmts"
while IFS= read -r line; do
    grep -qF -- "$line" README.md && ok || bad "README does not show the walk-through statement '$line'"
done <"$TMP/wt_stmts"
# the lines inside code blocks between the README's walk-through markers
awk '/^<!-- walkthrough-output -->/ { on = 1 } /^<!-- end walkthrough-output -->/ { on = 0 }
     on && /^```/ { code = !code; next } on && code' README.md |
    grep -E 'Bookings P50|P\(target\)|Cost of sales P50|Cost P50|^P50 |rep\.hires|earnings P50|wrote ' |
    grep -v '^salesplan>' >"$TMP/readme_lines"
assert '[ -s "$TMP/readme_lines" ]' "README has no walk-through output block"
while IFS= read -r line; do
    CUR="README walk-through line: $line"
    grep -qF -- "$line" "$TMP/out" && ok || bad "the README shows '$line' but the program prints something else: regenerate the walk-through"
done <"$TMP/readme_lines"
CUR="README walk-through"
assert '[ -s "$TMP/wt/walkthrough.xlsx" ]' "export in the walk-through wrote nothing"
