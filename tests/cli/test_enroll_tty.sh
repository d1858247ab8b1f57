#!/bin/sh
# enroll on a terminal shows the commune's fingerprint and asks: "k" (no)
# enrolls nothing (exit 65), "c" (yes) enrolls.  tmux on a private socket,
# the answers typed when the prompts show (polled, never a bare sleep).
. "$(dirname "$0")/../lib.sh"
command -v tmux >/dev/null || fail "tmux is missing (scripts/deps.sh installs it)"
SOCK="cchc-enroll-$$"
cleanup_hook() { tmux -L "$SOCK" kill-server 2>/dev/null; }
tm() { tmux -L "$SOCK" "$@"; }
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		tm capture-pane -p -t ui >"$T/screen" 2>/dev/null
		grep -qF -- "$1" "$T/screen" && { ok "terminal shows '$1'"; return 0; }
		i=$((i + 1))
		sleep 0.05
	done
	cat "$T/screen" >&2
	fail "terminal never showed '$1'"
}
wait_rc() {
	i=0
	while [ ! -s "$T/rc" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
	eq "$(cat "$T/rc" 2>/dev/null)" "$1" "enroll exited $1"
}
setup_nodes
run 0 --home "$C" key export "$T/c.id"
fp=$(grep -oE '[0-9]{5}( [0-9]{5}){5}' "$T/out" | head -1)
# enroll_on_tty ANSWER: run enroll in tmux, type the password and ANSWER.
enroll_on_tty() {
	rm -f "$T/rc"
	tm -f /dev/null new-session -d -s ui -x 100 -y 30 \
		"env -u CCHC_PASSWORD_FILE LC_ALL=C.UTF-8 CCHC_PWCOST=min CCHC_DATADIR='$CCHC_DATADIR' \
		 XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
		 '$CCHC' --home '$D' --user admin enroll '$T/c.id'; echo \$? >'$T/rc'; sleep 60"
	wait_for "Mật khẩu:"
	tm send-keys -t ui -l "district-admin-pw"; tm send-keys -t ui Enter
	wait_for "Tệp định danh của Xã Tân Trào (02545), dấu vân tay:"
	wait_for "$fp"
	wait_for "(c/k)"
	tm send-keys -t ui -l "$1"; tm send-keys -t ui Enter
}
enroll_on_tty k
wait_for "dấu vân tay không được xác nhận; chưa đăng ký xã này."
wait_rc 65
tm kill-session -t ui
grep -q 02545 "$D/communes.list" && fail "a refused enroll published the commune"
ok "answered no: not enrolled"
enroll_on_tty c
wait_for "Đã đăng ký"
wait_rc 0
tm kill-session -t ui 2>/dev/null
grep -q 02545 "$D/communes.list" || fail "enrolled but not in communes.list"
ok "answered yes: enrolled and published"
done_testing
