# Helpers for end-to-end tests: run the real binary, check exit status,
# standard output and standard error.  Sourced by run.sh.

PASS=0
FAIL=0
CUR=""

t() { CUR="$1"; }

# sp ARGS... : run salesplan; stdin from $STDIN when set (a file), else none.
sp() {
    if [ -n "${STDIN:-}" ]; then
        "$SP" "$@" <"$STDIN" >"$TMP/out" 2>"$TMP/err"
    else
        "$SP" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
    fi
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
}

ok() { PASS=$((PASS + 1)); }
bad() {
    FAIL=$((FAIL + 1))
    printf 'FAIL %s: %s\n' "$CUR" "$1"
    printf '  stdout: %s\n' "$(head -c 600 "$TMP/out" 2>/dev/null)"
    printf '  stderr: %s\n' "$(head -c 600 "$TMP/err" 2>/dev/null)"
}

rc_is() { [ "$RC" = "$1" ] && ok || bad "exit status $RC, expected $1"; }
out_has() { grep -qF -- "$1" "$TMP/out" && ok || bad "stdout lacks '$1'"; }
out_lacks() { grep -qF -- "$1" "$TMP/out" && bad "stdout has '$1'" || ok; }
err_has() { grep -qF -- "$1" "$TMP/err" && ok || bad "stderr lacks '$1'"; }
err_empty() { [ ! -s "$TMP/err" ] && ok || bad "stderr not empty"; }
same_files() { cmp -s "$1" "$2" && ok || bad "$1 and $2 differ"; }
assert() { if eval "$1"; then ok; else bad "$2"; fi; }
