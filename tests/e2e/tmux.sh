# Helpers that drive salesplan through a real pseudo-terminal with tmux.
# Sourced by t_shell.sh.  Every session lives on a private server (socket
# "sp<pid>") so that the tests never touch the user's tmux; tm_stop kills
# that server.  Waits poll the pane instead of sleeping a fixed time, with
# generous limits because the sanitizer build is several times slower.

TM_SOCK="sp$$"
TM_WAIT=${TM_WAIT:-60}          # seconds before a wait gives up
TM_PANE="$TMP/pane"

tm() { tmux -L "$TM_SOCK" -f /dev/null "$@"; }

have_tmux() { command -v tmux >/dev/null 2>&1; }

# tm_start NAME COMMAND: a detached 200x50 session running COMMAND (a shell
# command line) in the project root.  When COMMAND ends the pane shows
# "[exit STATUS]" and stays, so that tests can read how it ended (tmux's
# own #{pane_dead_status} is sometimes empty when the pane closes first).
tm_start() {
    tm new-session -d -s "$1" -x 200 -y 50 -c "$PWD" "$2; echo \"[exit \$?]\"" &&
        tm set-option -t "$1" remain-on-exit on >/dev/null
}

# tm_keys NAME KEYS...: tmux key names (Enter, Tab, Up, C-c, ...) or text.
tm_keys() { n=$1; shift; tm send-keys -t "$n" "$@"; }

# tm_type NAME TEXT: literal text, then Enter.
tm_type() { tm send-keys -t "$1" -l "$2" && tm send-keys -t "$1" Enter; }

# tm_capture NAME [-e]: the whole pane with its scrollback into $TM_PANE.
tm_capture() { tm capture-pane -p -S - -t "$1" ${2:-} >"$TM_PANE" 2>/dev/null; }

# tm_wait NAME ERE [COUNT [SECONDS]]: wait until at least COUNT lines of
# the pane match the extended regular expression.  Returns 1 on timeout.
tm_wait() {
    _n=$1 _re=$2 _count=${3:-1} _limit=${4:-$TM_WAIT}
    _end=$(($(date +%s) + _limit))
    while :; do
        tm_capture "$_n"
        [ "$(grep -cE -- "$_re" "$TM_PANE")" -ge "$_count" ] && return 0
        [ "$(date +%s)" -ge "$_end" ] && return 1
        sleep 0.1
    done
}

# tm_lines NAME ERE: how many lines of the pane match now.
tm_lines() { tm_capture "$1"; grep -cE -- "$2" "$TM_PANE"; }

# tm_stop: end every session and the private server, and remove its
# socket, which tmux leaves behind.
tm_stop() {
    _sock=$(tm display -p '#{socket_path}' 2>/dev/null)
    tm kill-server >/dev/null 2>&1 || :
    case "$_sock" in */"$TM_SOCK") rm -f "$_sock" ;; esac
}
