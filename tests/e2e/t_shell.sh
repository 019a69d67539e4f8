# The shell: piped and -c sessions, grids at a given width, and (through a
# real pseudo-terminal driven by tmux) completion, history, help, error
# carets, continuation lines, Ctrl-C, the progress bar and colour.

# A plan without randomness, so every cell of a grid is known in advance:
# three reps at full productivity, no attrition, no volatility.
cat >"$TMP/det.plan" <<'EOF'
scenario det "Deterministic"
set currency $
set start 2027-01
set horizon 12
role rep quota "Rep"
set rep.headcount 3
set rep.quota 1.26M
set rep.attainment 1
set rep.volatility 0%
set rep.attrition 0%
set market_volatility 0%
set trials 50
EOF
# Monthly bookings are headcount x quota / 12.  Monthly grids print money
# in three significant digits with a k suffix (table.h,
# sp_fmt_money_compact), so 100k..999k show as whole thousands; yearly
# totals print in full with thousands separators (sp_fmt_money).
MONTH_CELL=$(awk 'BEGIN { printf "$%.0fk", 3 * 1260000 / 12 / 1000 }')
YEAR_CELL=$(awk 'BEGIN { v = 3 * 1260000; s = sprintf("%.0f", v); o = "";
    while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
    printf "$%s%s", s, o }')

# The same as regular expressions.
MONTH_RE=$(printf '%s' "$MONTH_CELL" | sed 's/[$.]/[&]/g')
YEAR_RE=$(printf '%s' "$YEAR_CELL" | sed 's/[$.]/[&]/g')

# widest LINE of a file in terminal columns (the sparkline is multi-byte).
widest() { LC_ALL=C.UTF-8 wc -L <"$1" | tr -d ' '; }

# ---- piped input -----------------------------------------------------------

t "piped --keep-going: an error in the middle is reported with its line, later statements run, exit 2"
printf 'load %s\nset rep.quto 5\nset rep.headcount 4\nget rep.headcount\n' "$TMP/det.plan" >"$TMP/in1"
STDIN="$TMP/in1" sp --keep-going; unset STDIN
rc_is 2
err_has "<stdin>:2:5: unknown parameter 'rep.quto'; did you mean 'rep.quota'?"
out_has "rep.headcount"
assert 'grep -Eq "^rep\.headcount +4$" "$TMP/out"' "the statement after the error did not run"
assert '[ "$(grep -c . "$TMP/err")" = 1 ]' "stderr should hold exactly the one error"

t "piped: a clean script exits 0, prints no prompt, leaves stderr empty"
printf 'load %s\nget horizon\n' "$TMP/det.plan" >"$TMP/in2"
STDIN="$TMP/in2" sp; unset STDIN
rc_is 0; err_empty
out_lacks "salesplan["
assert 'grep -Eq "^horizon +12$" "$TMP/out"' "get horizon did not print 12"

t "piped: statements after quit do not run"
printf 'get horizon\nquit\nset nosuch 1\n' >"$TMP/in3"
STDIN="$TMP/in3" sp "$TMP/det.plan"; unset STDIN
rc_is 0; err_empty

t "FILE then piped statements: the file is loaded first"
printf 'get rep.quota\n' >"$TMP/in4"
STDIN="$TMP/in4" sp "$TMP/det.plan"; unset STDIN
rc_is 0
assert 'grep -Eq "^rep\.quota +1260000$" "$TMP/out"' "rep.quota of the loaded file not printed"

t "piped: a run of more than a second shows no progress bar"
printf 'load scenarios/baseline.plan\nrun trials 20000\n' >"$TMP/in5"
STDIN="$TMP/in5" sp; unset STDIN
rc_is 0; err_empty
out_has "20,000 trials"
assert '! grep -q "$(printf "\r")" "$TMP/out" "$TMP/err"' "carriage return in piped output"

# ---- -c --------------------------------------------------------------------

t "-c: statements separated by ';'"
sp -c "load $TMP/det.plan; get rep.headcount; scenarios"
rc_is 0; err_empty
out_has "* det"

t "-c --keep-going: an error in the middle, later statements still run, exit 2"
sp --keep-going -c "load $TMP/det.plan; set rep.headcount many; get rep.headcount"
rc_is 2
err_has "<-c>:1:"
err_has "found 'many'"
assert 'grep -Eq "^rep\.headcount +3$" "$TMP/out"' "the statement after the error did not run"

t "-c: help set rep.quota"
sp -c "load $TMP/det.plan; help set rep.quota"
rc_is 0
out_has "ROLE.quota"; out_has "unit:    money"; out_has "applies: quota roles"

# ---- grids and width -------------------------------------------------------

t "show bookings at 80 columns: exact cells, no line wider than 80"
COLUMNS=80 sp -c "load $TMP/det.plan; run; show bookings"
rc_is 0
assert '[ "$(widest "$TMP/out")" -le 80 ]' "a line is wider than 80 columns"
# Twelve months do not fit in 80 columns: the grid wraps into blocks, so
# the P50 row appears more than once and holds every month between them.
assert '[ "$(grep -Ec "^P50 +[$]" "$TMP/out")" -ge 2 ]' "grid not wrapped at 80 columns"
assert '[ "$(grep -E "^P50 +[$]" "$TMP/out" | grep -o "[$][0-9][^ ]*" | grep -cxF "$MONTH_CELL")" = 12 ]' \
    "expected 12 cells $MONTH_CELL in the P50 rows"
assert '! grep -E "^P50 +[$]" "$TMP/out" | grep -o "[$][0-9][^ ]*" | grep -vqxF "$MONTH_CELL"' \
    "a P50 cell differs from $MONTH_CELL"
assert '! grep -q "^bookings .*2027-01.*2027-12" "$TMP/out"' "all months on one line at 80 columns"

t "show bookings at 200 columns: all months in one block"
COLUMNS=200 sp -c "load $TMP/det.plan; run; show bookings"
rc_is 0
assert 'grep -q "^bookings .*2027-01 .*2027-12$" "$TMP/out"' "months not in one header line"
assert '[ "$(grep -Ec "^P50 +[$]" "$TMP/out")" = 1 ]' "grid wrapped at 200 columns"
assert 'grep -Eq "^P50( +$MONTH_RE){12}\$" "$TMP/out"' "P50 row is not twelve cells of $MONTH_CELL"
assert '[ "$(widest "$TMP/out")" -le 200 ]' "a line is wider than 200 columns"

t "show bookings by year: the year's total in full"
COLUMNS=80 sp -c "load $TMP/det.plan; run; show bookings by year"
rc_is 0
assert 'grep -Eq "^P50 +$YEAR_RE +$YEAR_RE\$" "$TMP/out"' "P50 by year is not $YEAR_CELL"

t "no colour when output is not a terminal"
sp -c "load $TMP/det.plan; run; show bookings"
assert '! grep -q "$(printf "\033")" "$TMP/out"' "escape sequence in piped output"

# ---- through a terminal ----------------------------------------------------

. "$here/tmux.sh"

if ! have_tmux; then
    echo "t_shell: tmux not installed, skipping the terminal tests"
else
    TH="$TMP/home"
    TS="$TMP/state"
    mkdir -p "$TH"
    HIST="$TS/salesplan/history"
    # Each session gets its own HOME and state directory, a known width
    # and no COLUMNS, so that the terminal's size is what counts.
    tm_env="env -u COLUMNS -u NO_COLOR HOME='$TH' XDG_STATE_HOME='$TS' TERM=screen"
    # capture-pane drops trailing blanks: an empty prompt ends in '>'.
    P='salesplan\[det\]>'

    # -- session 1: completion, help, errors, continuation, history --------
    tm_start s1 "$tm_env '$SP' '$TMP/det.plan'"

    t "tmux: the prompt names the scenario"
    tm_wait s1 "^${P} ?\$" && ok || bad "no prompt salesplan[det]>"

    t "tmux: completion of a command"
    tm_keys s1 "scen" Tab
    tm_wait s1 "^${P} scenario\$" 1 20 && ok || bad "scen<TAB> did not complete to scenario"
    tm_keys s1 Tab Tab
    tm_wait s1 "^scenario +scenarios *\$" 1 20 && ok || bad "scenario<TAB><TAB> did not list scenario, scenarios"
    tm_keys s1 C-u

    t "tmux: completion of ROLE.param"
    tm_keys s1 "set rep.quo" Tab
    tm_wait s1 "^${P} set rep\.quota\$" 1 20 && ok || bad "set rep.quo<TAB> did not give rep.quota"
    tm_keys s1 Tab Tab
    tm_wait s1 "rep\.quota +rep\.quota_relief" 1 20 && ok || bad "rep.quota<TAB><TAB> did not list rep.quota_relief"
    tm_keys s1 C-u

    t "tmux: completion of a file path after load"
    tm_keys s1 "load scenarios/base" Tab
    tm_wait s1 "^${P} load scenarios/baseline\.plan ?\$" 1 20 \
        && ok || bad "load scenarios/base<TAB> did not complete the path"
    tm_keys s1 C-u

    t "tmux: completion of a metric after show, of a period after by"
    tm_keys s1 "show book" Tab "by q" Tab
    tm_wait s1 "^${P} show bookings by quarter" 1 20 && ok || bad "show book<TAB>by q<TAB>"
    tm_keys s1 C-u

    t "tmux: help set rep.quota"
    tm_type s1 "help set rep.quota"
    tm_wait s1 "^ROLE\.quota — annual quota" 1 20 && ok || bad "help set rep.quota text"
    tm_wait s1 "^  applies: quota roles" 1 20 && ok || bad "help set rep.quota: applies line"

    t "tmux: an error shows a caret under the column, no <shell> prefix"
    tm_type s1 "set rep.quto 5"
    tm_wait s1 "^unknown parameter 'rep\.quto'; did you mean 'rep\.quota'\?\$" 1 20 \
        && ok || bad "error message at the prompt"
    # The prompt is 16 columns and `set ` 4 more: the caret is in column 21.
    assert 'grep -B1 "^unknown parameter .rep\.quto" "$TM_PANE" | grep -qx "                    ^"' \
        "caret not under column 21"
    assert '! grep -q "<shell>" "$TM_PANE"' "<shell> prefix shown at the prompt"

    t "tmux: after output, the caret goes under a copy of the line"
    tm_type s1 "get horizon nosuch"
    tm_wait s1 "^unknown parameter 'nosuch'" 1 20 && ok || bad "error for get nosuch"
    # `get horizon ` is 12 columns, after the 2 of indentation.
    assert 'grep -B2 "^unknown parameter .nosuch" "$TM_PANE" | head -n 1 | grep -qx "  get horizon nosuch"' \
        "the line is not repeated below the output"
    assert 'grep -B1 "^unknown parameter .nosuch" "$TM_PANE" | grep -qx "              ^"' \
        "caret not under nosuch"

    t "tmux: an unclosed parenthesis continues the statement"
    tm_type s1 "set rep.attainment lognormal(mean=1,"
    tm_wait s1 '^ +\.\.\.> ?$' 1 20 && ok || bad "no continuation prompt"
    tm_type s1 "sd=0.2)"
    tm_type s1 "get rep.attainment"
    tm_wait s1 "^rep\.attainment +lognormal\(1, 0\.2\)" 1 20 && ok || bad "continued distribution not set"

    t "tmux: a trailing backslash and an open quote continue"
    tm_type s1 'set rep.headcount \'
    tm_type s1 '5'
    tm_type s1 'copy other "Other'
    tm_type s1 'title"'
    tm_type s1 'scenarios'
    tm_wait s1 "^\* other +Other title" 1 20 && ok || bad "quoted title across lines"
    tm_type s1 'scenario det'
    tm_type s1 'get rep.headcount'
    tm_wait s1 "^rep\.headcount +5\$" 1 20 && ok || bad "backslash continuation"

    t "tmux: Ctrl-C clears the line being typed"
    tm_keys s1 "set horizon 99"
    tm_wait s1 "^${P} set horizon 99\$" 1 20
    tm_keys s1 C-c
    tm_wait s1 "^${P} set horizon 99\^C\$" 1 20 && ok || bad "no ^C after the abandoned line"
    tm_type s1 "get horizon"
    tm_wait s1 "^horizon +12\$" 1 20 && ok || bad "the abandoned line was run"
    # Two more at an empty prompt, then Ctrl-D.
    tm_keys s1 C-c
    tm_keys s1 C-c
    tm_wait s1 "^${P} \^C\$" 2 20 && ok || bad "Ctrl-C at an empty prompt"
    # The session has changes no file holds: Ctrl-D asks, as quit does.
    tm_keys s1 C-d
    tm_wait s1 "quit anyway\? \[y/N\]" 1 20 && ok || bad "Ctrl-D did not ask about unsaved changes"
    tm_type s1 "y"
    tm_wait s1 '^\[exit [0-9]+\]$' && ok || bad "Ctrl-D did not leave the shell"
    assert 'grep -qx "\[exit 0\]" "$TM_PANE"' "interactive exit status not 0"

    t "tmux: history file in the XDG state directory, mode 0600"
    assert '[ -f "$HIST" ]' "no $HIST"
    assert '[ "$(stat -c %a "$HIST")" = 600 ]' "history mode $(stat -c %a "$HIST" 2>/dev/null), expected 600"
    assert 'grep -qxF "help set rep.quota" "$HIST"' "statement missing from the history"
    assert 'grep -qxF "set rep.attainment lognormal(mean=1, sd=0.2)" "$HIST"' \
        "a continued statement is not one history line"
    assert '[ "$(tail -n 1 "$HIST")" = "get horizon" ]' "last statement is not last in the history"
    assert '! grep -q "set horizon 99" "$HIST"' "an abandoned line went into the history"

    # -- session 2: history read back ---------------------------------------
    t "tmux: Up recalls the previous session's last statement"
    tm_start s2 "$tm_env '$SP' '$TMP/det.plan'"
    tm_wait s2 "^${P} ?\$"
    tm_keys s2 Up
    tm_wait s2 "^${P} get horizon\$" 1 20 && ok || bad "Up did not recall 'get horizon'"
    tm_keys s2 Up
    tm_wait s2 "^${P} get rep\.headcount\$" 1 20 && ok || bad "second Up"
    tm_keys s2 C-u C-d

    # -- session 3: long run, progress bar, Ctrl-C --------------------------
    t "tmux: a long run shows a progress bar and Ctrl-C stops it"
    tm_start s3 "$tm_env '$SP' scenarios/baseline.plan"
    tm_wait s3 '^salesplan\[baseline\]> ?$'
    tm_type s3 "run trials 1000000"
    tm_wait s3 '[0-9]+%  [0-9,]+/1,000,000 trials' 1 60 && ok || bad "no progress bar on the terminal"
    t0=$(date +%s)
    tm_keys s3 C-c
    tm_wait s3 '^interrupted$' 1 30 && ok || bad "Ctrl-C: no 'interrupted'"
    t1=$(date +%s)
    assert '[ $((t1 - t0)) -le 5 ]' "Ctrl-C took $((t1 - t0)) s to stop the run"
    tm_wait s3 '^salesplan\[baseline\]> ?$' 1 30 && ok || bad "no prompt after Ctrl-C"
    tm_type s3 "get rep.quota"
    tm_wait s3 '^rep\.quota +1200000$' 1 30 && ok || bad "session lost after Ctrl-C"
    assert '! grep -q "/1,000,000 trials" "$TM_PANE"' "the progress bar was left on the screen"
    tm_type s3 "run trials 200"
    tm_wait s3 '^Scenario baseline' 1 60 && ok || bad "a run after Ctrl-C did not complete"
    tm_keys s3 C-d

    # -- session 3b: analysis commands take the same way into a run --------
    # A warning before the first run, and a progress bar that counts what
    # the command counts; Ctrl-C stops each and keeps the session.
    t "tmux: compare and sweep print warnings and show progress in scenarios and points"
    tm_start s3b "$tm_env '$SP' scenarios/baseline.plan"
    tm_wait s3b '^salesplan\[baseline\]> ?$'
    tm_type s3b "set rep.hires 2031-01:1"
    tm_type s3b "copy b"
    tm_type s3b "compare baseline b trials 1000000"
    tm_wait s3b 'rep\.hires: 2031-01 is after the horizon and is ignored' 1 60 && ok ||
        bad "compare: no warning on the terminal"
    tm_wait s3b '[0-9]+%  0/2 scenarios' 1 60 && ok || bad "compare: no progress bar counting scenarios"
    tm_keys s3b C-c
    tm_wait s3b '^interrupted$' 1 30 && ok || bad "compare: Ctrl-C gave no 'interrupted'"
    tm_wait s3b '^salesplan\[b\]> ?$' 1 30 && ok || bad "no prompt after compare was stopped"
    assert '[ "$(grep -c "rep\.hires: 2031-01 is after the horizon" "$TM_PANE")" = 1 ]' \
        "compare printed the same warning more than once"
    tm_type s3b "sweep rep.rate 2% 4% step 1% trials 1000000"
    tm_wait s3b '[0-9]+%  0/3 points' 1 60 && ok || bad "sweep: no progress bar counting points"
    tm_keys s3b C-c
    tm_wait s3b '^interrupted$' 2 30 && ok || bad "sweep: Ctrl-C gave no 'interrupted'"
    tm_keys s3b C-d

    # -- session 4: colour and width follow the terminal --------------------
    t "tmux: colour on a terminal, a grid in one block at 200 columns"
    tm_start s4 "$tm_env '$SP' '$TMP/det.plan'"
    tm_wait s4 "^${P} ?\$"
    tm_type s4 "run trials 20"
    tm_type s4 "show bookings"
    tm_wait s4 "^P50 rep " 1 60 && ok || bad "show bookings at 200 columns"
    assert 'grep -q "^bookings .*2027-01 .*2027-12" "$TM_PANE"' "months not in one block at 200 columns"
    tm_capture s4 -e
    assert 'grep -q "$(printf "\033")\[1m" "$TM_PANE"' "no bold headers on a terminal"

    t "tmux: after the window shrinks to 80 columns the grid wraps"
    tm resize-window -t s4 -x 80 -y 50
    tm_type s4 "show bookings"
    tm_wait s4 "^P50 rep " 3 60 && ok || bad "show bookings after resizing"
    assert 'grep "^bookings  2027-" "$TM_PANE" | grep -vq "^bookings  2027-01"' \
        "grid did not wrap at 80 columns"
    tm_keys s4 C-d

    t "tmux: NO_COLOR turns colour off; history falls back to ~/.local/state"
    tm_start s5 "env -u COLUMNS -u XDG_STATE_HOME HOME='$TH' NO_COLOR=1 TERM=screen '$SP' '$TMP/det.plan'"
    tm_wait s5 "^${P} ?\$"
    tm_type s5 "run trials 20"
    tm_type s5 "show bookings"
    tm_wait s5 "^P50 rep " 1 60 && ok || bad "show bookings with NO_COLOR"
    tm_capture s5 -e
    assert '! grep -q "$(printf "\033")\[1m" "$TM_PANE"' "bold text although NO_COLOR is set"
    assert 'grep -qxF "show bookings" "$TH/.local/state/salesplan/history"' \
        "no history in ~/.local/state/salesplan"
    assert '[ "$(stat -c %a "$TH/.local/state/salesplan/history")" = 600 ]' "fallback history mode"
    tm_keys s5 C-d

    t "tmux: output longer than the screen goes through PAGER, short output does not"
    printf '#!/bin/sh\ncat >"%s"\n' "$TMP/paged" >"$TMP/pager.sh"; chmod +x "$TMP/pager.sh"
    rm -f "$TMP/paged"
    # at 60 columns `help` folds into more lines than the 50 rows
    tm_start s6 "$tm_env COLUMNS=60 PAGER='$TMP/pager.sh' '$SP' '$TMP/det.plan'"
    tm_wait s6 "^${P} ?\$"
    tm_type s6 "get horizon"
    tm_wait s6 "^horizon +12\$" 1 20 && ok || bad "short output not on the screen"
    assert "[ ! -e $TMP/paged ]" "short output went through the pager"
    tm_type s6 "help"
    tm_wait s6 "^${P} ?\$" 2 20
    sleep 0.5
    assert "grep -q 'help metrics' $TMP/paged" "help (longer than 50 rows) did not go through PAGER"

    t "tmux: quit with unsaved changes asks; no keeps the session"
    tm_type s6 "set horizon 13"
    tm_type s6 "quit"
    tm_wait s6 "quit anyway\? \[y/N\]" 1 20 && ok || bad "quit did not ask"
    tm_type s6 "n"
    tm_type s6 "get horizon"
    tm_wait s6 "^horizon +13\$" 1 20 && ok || bad "no kept the session"
    tm_type s6 "quit"
    tm_wait s6 "quit anyway\? \[y/N\]" 2 20
    tm_type s6 "y"
    tm_wait s6 '^\[exit 0\]$' && ok || bad "yes did not leave"

    tm_stop
fi
