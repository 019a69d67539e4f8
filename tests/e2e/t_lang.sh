# Parsing, validation and error messages through the real binary.

t "check accepts every bundled file"
for f in models/*.model scenarios/*.plan; do
    [ -e "$f" ] || continue
    sp check "$f"; rc_is 0; out_has "$f: ok"
done

t "malformed number"
printf 'role ae quota\nset ae.quota 9OOk\n' >"$TMP/e1.plan"
sp check "$TMP/e1.plan"; rc_is 2
err_has "e1.plan:2:14: expected a number"; err_has "found '9OOk'"

t "unknown parameter with suggestion"
printf 'role ae quota\nset ae.quto 900k\n' >"$TMP/e2.plan"
sp check "$TMP/e2.plan"; rc_is 2
err_has "e2.plan:2:5: unknown parameter 'ae.quto'; did you mean 'ae.quota'?"

t "distribution with a negative sd"
printf 'role ae quota\nset ae.quota 1M\nset ae.attainment lognormal(1, -0.3)\n' >"$TMP/e3.plan"
sp check "$TMP/e3.plan"; rc_is 2
err_has "e3.plan:3:"; err_has "sd must be >= 0, found -0.3"

t "parameter of an undeclared role"
printf 'role ae quota\nset sdr.quota 1M\n' >"$TMP/e4.plan"
sp check "$TMP/e4.plan"; rc_is 2
err_has "e4.plan:2:5: unknown role 'sdr'"

t "unsorted tiers"
printf 'role ae quota\nset ae.quota 1M\nset ae.tiers 0%%:1 100%%:2 50%%:1.5\n' >"$TMP/e5.plan"
sp check "$TMP/e5.plan"; rc_is 2
err_has "e5.plan:3:14: ae.tiers: thresholds must be strictly ascending, found 50% after 100%"

t "a file that uses itself"
printf 'role ae quota\nuse e6.plan\n' >"$TMP/e6.plan"
sp check "$TMP/e6.plan"; rc_is 2
err_has "e6.plan:2:5:"; err_has "includes itself"

t "a cycle of two files"
printf 'use c2.model\n' >"$TMP/c1.model"
printf 'use c1.model\n' >"$TMP/c2.model"
sp check "$TMP/c1.model"; rc_is 2; err_has "includes itself"

t "a quota role without a quota"
printf 'role ae quota\n' >"$TMP/e7.plan"
sp check "$TMP/e7.plan"; rc_is 2
err_has "e7.plan:1: quota role 'ae' needs a quota"

t "a manager without manages"
printf 'role ae quota\nset ae.quota 1M\nrole mgr manager\nset mgr.span 5\n' >"$TMP/e8.plan"
sp check "$TMP/e8.plan"; rc_is 2; err_has "e8.plan:3: manager role 'mgr' needs the role it manages"

t "a pool naming an unknown role"
printf 'role ae quota\nset ae.quota 1M\nset ae.pool 2%% of sdr\n' >"$TMP/e9.plan"
sp check "$TMP/e9.plan"; rc_is 2; err_has "e9.plan:3: ae.pool names an unknown role 'sdr'"

t "out of range value"
printf 'role ae quota\nset ae.quota 1M\nset ae.attrition 120%%\n' >"$TMP/e10.plan"
sp check "$TMP/e10.plan"; rc_is 2; err_has "e10.plan:3:18: ae.attrition must be in [0%, 100%), found 120%"

t "a parameter of the wrong kind of role"
printf 'role ae quota\nset ae.span 5\n' >"$TMP/e11.plan"
sp check "$TMP/e11.plan"; rc_is 2; err_has "'span' does not apply to quota role 'ae'"

t "unterminated string"
printf 'scenario x "Lean\n' >"$TMP/e12.plan"
sp check "$TMP/e12.plan"; rc_is 2; err_has "e12.plan:1:12:"

t "warnings for suspicious values"
printf 'role ae quota\nset ae.quota 1M\nset ae.attrition 70%%\nset ae.base 90k\nset ae.rate 40%%\n' >"$TMP/w.plan"
sp check "$TMP/w.plan"; rc_is 0
err_has "warning: "; err_has "ae.attrition 70% a year is unusually high"
err_has "ae.rate 40% of bookings is unusually high"

t "rate with ote or target_incentive, ote with target_incentive, capacity with attainment: refused"
# `rate` fixes the commission (TI = rate x quota), so an ote beside it
# would say nothing; the refusal names the statement and says why.
sp -c 'role ae quota; set ae.quota 1.2M; set ae.rate 3%; set ae.ote 120k'
rc_is 2; err_has "<-c>:1:"; err_has "ae.ote cannot be set beside ae.rate: \`rate\` already fixes the commission"
printf 'role ae quota\nset ae.quota 1.2M\nset ae.rate 3%%\nset ae.ote 120k\n' >"$TMP/rate_ote.plan"
sp check "$TMP/rate_ote.plan"
rc_is 2; err_has "rate_ote.plan:4:5: ae.ote cannot be set beside ae.rate"
sp -c 'role ae quota; set ae.quota 1M; set ae.ote 150k; set ae.rate 3%'
rc_is 2; err_has "ae.rate cannot be set beside ae.ote"
sp -c 'role ae quota; set ae.quota 1M; set ae.ote 150k; set ae.target_incentive 50k'
rc_is 2; err_has "ae.target_incentive cannot be set beside ae.ote"
sp -c 'role ae quota; set ae.quota 1M; set ae.attainment 0.9; set ae.capacity 900k'
rc_is 2; err_has "ae.capacity cannot be set beside ae.attainment"
# OTE is all of on-target pay: below base + bonus it leaves no commission
printf 'role ae quota\nset ae.quota 1M\nset ae.base 100k\nset ae.bonus 20k\nset ae.ote 110k\n' >"$TMP/ote_low.plan"
sp check "$TMP/ote_low.plan"
rc_is 2; err_has "ote_low.plan:5: ae.ote 110000 is below base 100000 + bonus 20000"

t "a manager is paid on its team: commission parameters are refused on it"
for p in "rate 2%" "ote 200k" "target_incentive 50k" "tiers 0%:1" "award 1 1k"; do
    sp -c "role ae quota; set ae.quota 1M; role m manager; set m.manages ae; set m.span 3; set m.$p"
    rc_is 2; err_has "does not apply to manager role 'm': a manager is measured on its team"
done

t "a failed load leaves the session as it was"
printf 'scenario keep\nrole ae quota\nset ae.quota 1M\n' >"$TMP/good.plan"
printf 'scenario keep\nrole ae quota\nset ae.quota 2M\nset ae.bogus 1\n' >"$TMP/bad.plan"
sp --keep-going -c "load $TMP/good.plan; load $TMP/bad.plan; get ae.quota; scenarios"
rc_is 2; out_has "ae.quota                     1000000"; err_has "bad.plan:4:5: unknown parameter 'ae.bogus'"

t "use is relative to the including file and runs into the current scenario"
mkdir -p "$TMP/sub"
printf 'role ae quota\nset ae.quota 750k\n' >"$TMP/sub/team.model"
printf 'scenario rel\nuse sub/team.model\nset ae.headcount 3\n' >"$TMP/rel.plan"
sp -c "load $TMP/rel.plan; get ae.quota ae.headcount"
rc_is 0; out_has "ae.quota                     750000"; out_has "ae.headcount                 3"

t "save round trip is identical for every bundled file"
for f in models/*.model scenarios/*.plan; do
    [ -e "$f" ] || continue
    sp -c "load $f; save $TMP/A.plan; load $TMP/A.plan; save $TMP/B.plan"
    rc_is 0; same_files "$TMP/A.plan" "$TMP/B.plan"
done

t "save writes the scenario header, roles and non-defaults in table order"
sp -c "load $TMP/good.plan; set ae.headcount 4; set horizon 36; save $TMP/s.plan"
rc_is 0
assert "head -1 $TMP/s.plan | grep -q '^# salesplan scenario'" "header comment"
assert "grep -q '^scenario keep$' $TMP/s.plan" "scenario line"
assert "grep -n 'set horizon 36' $TMP/s.plan | cut -d: -f1 | xargs test 5 -le" "horizon after roles"
assert "! grep -q 'set ae.base' $TMP/s.plan" "defaults are not written"

t "save to an unwritable place fails with exit 1 and keeps the old file"
sp -c "load $TMP/good.plan; save /nonexistent-dir/x.plan"
rc_is 1; err_has "/nonexistent-dir/x.plan"

t "diff lists differing parameters"
sp -c "load $TMP/good.plan; copy other; set ae.quota 1.2M; diff keep other"
rc_is 0; out_has "ae.quota"; out_has "1200000"

t "piped statements report <stdin>:N and go on with --keep-going"
printf 'role ae quota\nset ae.quota 1M\nset ae.headcont 3\nget ae.quota\n' >"$TMP/in.txt"
STDIN="$TMP/in.txt" sp --keep-going
rc_is 2; err_has "<stdin>:3:5: unknown parameter 'ae.headcont'; did you mean 'ae.headcount'?"
out_has "ae.quota                     1000000"

t "-c runs statements separated by semicolons"
sp -c 'role ae quota; set ae.quota 1.2M; get ae.quota'
rc_is 0; out_has "1200000"

t "help set explains a parameter from the table"
sp -c 'help set ae.quota'
rc_is 0; out_has "annual quota of a fully ramped employee"; out_has "unit:    money"

t "unknown command suggests"
sp -c 'sett horizon 3'
rc_is 2; err_has "unknown command 'sett'; did you mean 'set'?"

t "command line usage"
sp --version; rc_is 0; out_has "salesplan "
sp --help; rc_is 0; out_has "salesplan run FILE"
sp --bogus; rc_is 2; err_has "unknown option '--bogus'"
sp run; rc_is 2
sp check /nonexistent.plan; rc_is 2; err_has "cannot read '/nonexistent.plan'"

t "quit keeps the exit status of earlier failures"
printf 'bogus\nquit\nget horizon\n' >"$TMP/q.txt"
STDIN="$TMP/q.txt" sp
rc_is 2; out_lacks "horizon"
sp -c 'bogus; quit'; rc_is 2
sp -c 'get horizon; quit; get seed'; rc_is 0; out_lacks "seed"

t "with --keep-going a statement that cannot be read does not stop piped input"
printf 'scenario x "abc\nget horizon\n' >"$TMP/u.txt"
STDIN="$TMP/u.txt" sp --keep-going
rc_is 2; err_has "<stdin>:1:12: unterminated string"; out_has "horizon"

t "errors of whole statements name the statement's place"
sp -c 'get horizon; show summary'
rc_is 2; err_has "<-c>:1:14: no results yet"

t "unset resets nothing when one name is bad"
sp --keep-going -c 'role ae quota; set ae.quota 1M; unset ae.quota ae.bogus; get ae.quota'
rc_is 2; out_has "ae.quota                     1000000"

t "scenario names must read back from a saved script"
sp -c 'role ae quota; copy "x y"'
rc_is 2; err_has "expected a scenario name"
sp -c 'scenario "we;ird#name"'
rc_is 2; err_has "expected a scenario name"
cp "$TMP/good.plan" "$TMP/my plan.plan"
sed -i '/^scenario/d' "$TMP/my plan.plan"
sp -c "load \"$TMP/my plan.plan\"; scenarios"
rc_is 0; out_has "my_plan"

t "a failed load that contained a load leaves every scenario and result as it was"
printf 'scenario bee\nrole ae quota\nset ae.quota 1M\nset ae.headcount 3\n' >"$TMP/b.plan"
printf 'scenario cee\nrole ae quota\nset ae.quota 1M\nset ae.headcount 7\n' >"$TMP/c.plan"
printf 'load b.plan\nset bogus 1\n' >"$TMP/a.plan"
sp --keep-going -c "load $TMP/b.plan; run trials 20; load $TMP/c.plan; run trials 20; load $TMP/a.plan; scenario bee; show headcount by year; scenarios"
rc_is 2; err_has "a.plan:2:5: unknown parameter 'bogus'"
out_has "P50             3       3      3"
assert "[ \$(grep -c 'results current' $TMP/out) = 2 ]" "both scenarios keep their results"

t "a file that names a scenario twice sets the new one, not the old"
printf 'scenario a\nrole ae quota\nset ae.quota 1M\nscenario b\nrole ae quota\nset ae.quota 1M\nscenario a\nset ae.headcount 5\n' >"$TMP/multi.plan"
sp -c "scenario a; role ae quota; set ae.quota 2M; load $TMP/multi.plan replace; scenario a; get ae.headcount ae.quota; scenarios"
rc_is 0; out_has "ae.headcount                 5"; out_has "ae.quota                     1000000"
assert "[ \$(grep -c '^. a ' $TMP/out) = 1 ]" "one scenario a"

t "managers that manage each other are refused"
printf 'role a manager\nrole b manager\nset a.manages b\nset b.manages a\nset a.span 2\nset b.span 2\n' >"$TMP/cyc.plan"
sp check "$TMP/cyc.plan"; rc_is 2; err_has "cyc.plan:3: a.manages: managers manage each other in a cycle"

t "a deal size far below the quota is refused, not simulated for ever"
printf 'role ae quota\nset ae.quota 1M\nset ae.productivity deals\nset ae.deal_size 1e-6\n' >"$TMP/dl.plan"
sp check "$TMP/dl.plan"; rc_is 2; err_has "dl.plan:4: ae.deal_size gives about"

t "saving an incomplete scenario warns"
sp -c "role ae quota; save $TMP/inc.plan"
rc_is 0; err_has "warning: saving scenario default, which is not complete yet"

t "warnings show at run when the scenario changed"
sp -c 'role ae quota; set ae.quota 1M; set ae.attrition 70%; run trials 10'
rc_is 0; err_has "ae.attrition 70% a year is unusually high"

t "diff shows titles and kinds"
sp -c 'role ae quota "AE"; set ae.quota 1M; copy b "Other"; role ae quota "Account exec"; diff default b'
rc_is 0; out_has '(title)'; out_has 'ae (title)'

t "a bonus that a role without quota can never earn is pointed out"
# a support role has no attainment: its bonus pays curve(0)
sp -c 'role ae quota; set ae.quota 1M; role s support; set s.bonus 10k; run trials 5'
rc_is 0; err_has "s.bonus pays nothing: a support role has no quota"
sp -c 'role ae quota; set ae.quota 1M; role s support; set s.bonus 10k; set s.bonus_curve 0%:100%; run trials 5'
rc_is 0; assert "! grep -q 'pays nothing' $TMP/err" "no warning when the curve pays at 0%"
# a manager of a quota role is measured on it: no warning
sp -c 'role ae quota; set ae.quota 1M; role m manager; set m.manages ae; set m.span 3; set m.bonus 10k; run trials 5'
rc_is 0; assert "! grep -q 'pays nothing' $TMP/err" "no warning for a manager measured on its team"
# a manager over a support role has no attainment: only a constant curve
sp -c 'role ae quota; set ae.quota 1M; role s support; role m manager; set m.manages s; set m.span 3; set m.bonus 10k; run trials 5'
rc_is 2; err_has "m.bonus: the roles 'm' manages book nothing"
sp -c 'role ae quota; set ae.quota 1M; role s support; role m manager; set m.manages s; set m.span 3; set m.bonus 10k; set m.bonus_curve 0%:100%; run trials 5'
rc_is 0

t "compare refuses two files that name the same scenario"
printf 'scenario bee\nrole ae quota\nset ae.quota 1M\n' >"$TMP/bee.plan"
sp compare "$TMP/bee.plan" "$TMP/bee.plan" --trials 10
rc_is 2; err_has "scenario 'bee' is already loaded from an earlier file"

t "-c twice is a usage error"
sp -c 'get horizon' -c 'get seed'
rc_is 2; err_has "-c given twice"
