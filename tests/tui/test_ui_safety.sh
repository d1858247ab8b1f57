# No key loses work, in a real terminal: tmux on a private socket, the
# real binary, keys sent as terminals send them, whole screens compared
# with tests/tui/expected/tmux/*.screen (poll for the expected text, never
# a bare sleep).
#   - Home, End, Delete under TERM=xterm-256color (whose terminfo does not
#     name tmux's ESC [ 1 ~ / ESC [ 4 ~), screen-256color, tmux-256color and
#     linux, plus raw rxvt / SS3 / CSI sequences and an unknown one: each
#     does what it says, none opens a prompt or types its bytes;
#   - the discard prompt names the count; a typed "c" answers nothing; Esc
#     keeps; Tab to Bỏ and Enter drops;
#   - F1 as tmux and as the Linux console send it opens the help, Insert a
#     new register entry;
#   - long labels end in "…" at 80x24 and the help line has the whole
#     label; home, the register list and the form at 200x50.
. "$(dirname "$0")/../lib.sh"
# The home screen offers the periods open today first: a fixed day (test
# builds read CCHC_NOW) keeps Quý I năm 2021 on top whatever the date.
export CCHC_NOW=2021-02-01T09:00
command -v tmux >/dev/null || fail "tmux is missing (scripts/deps.sh installs it)"
E="$(cd "$(dirname "$0")" && pwd)/expected/tmux"
SOCK="cchc-safety-$$"
cleanup_hook() { tmux -L "$SOCK" kill-server 2>/dev/null; }
tm() { tmux -L "$SOCK" "$@"; }
screen() { tm capture-pane -p -t ui >"$T/screen" 2>/dev/null; }
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		screen
		grep -qF -- "$1" "$T/screen" && { ok "screen shows '$1' ($variant)"; return 0; }
		i=$((i + 1))
		sleep 0.05
	done
	cat "$T/screen" >&2
	fail "screen never showed '$1' ($variant)"
}
# same NAME: the pane as it is now against expected/tmux/NAME.screen.
same() {
	screen
	[ -n "${UPDATE_SCREENS:-}" ] && cp "$T/screen" "$E/$1.screen"
	if ! diff -u "$E/$1.screen" "$T/screen" >"$T/diff"; then
		cat "$T/diff" >&2
		fail "screen differs from tests/tui/expected/tmux/$1.screen ($variant)"
	fi
	ok "screen $1 ($variant)"
}
start() { # start TERM COLS ROWS
	rm -f "$T/rc"
	tm -f /dev/null new-session -d -s ui -x "$2" -y "$3" \
		"env TERM=$1 LC_ALL=C.UTF-8 CCHC_PWCOST=min CCHC_NOW=$CCHC_NOW CCHC_DATADIR='$CCHC_DATADIR' ESCDELAY=25 \
		 '$CCHC' --home '$C'; echo \$? >'$T/rc'; sleep 60"
	wait_for "Tên đăng nhập"
	tm send-keys -t ui -l "lan"; tm send-keys -t ui Enter
	tm send-keys -t ui -l "officer-pw-1"; tm send-keys -t ui Enter
	wait_for "Xin chào lan."
}
quit() {
	tm send-keys -t ui F10
	i=0
	while [ ! -s "$T/rc" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	eq "$(cat "$T/rc" 2>/dev/null)" 0 "cchc quit with 0 ($variant)"
	tm kill-session -t ui
}
hex() { tm send-keys -t ui -H "$@"; }
setup_nodes
# One session lives through the test, so that closing the UI's session
# never stops the server while the next one starts.
tm -f /dev/null new-session -d -s keep "sleep 600" || fail "tmux cannot start"
for variant in xterm-256color screen-256color tmux-256color linux; do
	start $variant 80 24
	tm send-keys -t ui Enter
	wait_for "Quý I năm 2021 · Chưa lưu"
	tm send-keys -t ui -l "abc"; tm send-keys -t ui Home
	tm send-keys -t ui -l "1"; tm send-keys -t ui End
	tm send-keys -t ui -l "2"; hex 1b 5b 37 7e          # rxvt Home
	tm send-keys -t ui -l "3"; hex 1b 5b 38 7e          # rxvt End
	tm send-keys -t ui -l "4"; hex 1b 4f 48             # SS3 Home
	tm send-keys -t ui -l "5"; hex 1b 5b 46             # CSI End
	tm send-keys -t ui -l "6"; hex 1b 5b 39 39 7e       # unknown: dropped whole
	tm send-keys -t ui -l "7"; hex 1b 5b 32 30 30 7e    # bracketed paste start: dropped
	tm send-keys -t ui Home; tm send-keys -t ui DC      # Delete: the first letter goes
	wait_for "31abc2467"
	grep -qF "thay đổi chưa lưu" "$T/screen" && fail "a key opened the discard prompt ($variant)"
	same keys
	# Esc asks, naming the count; "c" (once the answer) does nothing; Esc keeps.
	tm send-keys -t ui Escape
	wait_for "Bỏ 1 thay đổi chưa lưu?"
	same discard-ask
	tm send-keys -t ui -l "c"; tm send-keys -t ui Escape
	wait_for "Chưa bỏ gì; các thay đổi vẫn còn"
	wait_for "31abc2467"
	# Dropping takes Tab to the Bỏ button, then Enter.
	tm send-keys -t ui Escape
	wait_for "[ Bỏ thay đổi ]"
	tm send-keys -t ui Tab; tm send-keys -t ui Enter
	wait_for "Đã bỏ 1 thay đổi chưa lưu."
	wait_for "Kỳ báo cáo"
	# F1 as tmux sends it (ESC O P, which the linux entry does not name)
	# and as the Linux console does (ESC [ [ A); Insert opens a new entry.
	tm send-keys -t ui F1
	wait_for "Trợ giúp - Màn hình chính"
	tm send-keys -t ui Escape
	wait_for "Kỳ báo cáo"
	hex 1b 5b 5b 41
	wait_for "Trợ giúp - Màn hình chính"
	tm send-keys -t ui Escape
	wait_for "Kỳ báo cáo"
	tm send-keys -t ui F4
	wait_for "Không có hồ sơ nào"
	tm send-keys -t ui IC
	wait_for "Phiếu mới: nhập từng ô"
	tm send-keys -t ui Escape
	wait_for "Không có hồ sơ nào"
	tm send-keys -t ui Escape
	wait_for "Kỳ báo cáo"
	quit
done
# Long labels end in "…" at 80x24; the help line has the focused one whole,
# with its rule.  The same form at 200x50 shows them whole.
variant=labels
start xterm-256color 80 24
tm send-keys -t ui Enter
wait_for "Quý I năm 2021 · Chưa lưu"
for k in 1 2 3 4 5 6 7 8 9; do tm send-keys -t ui Down; done
wait_for "Số hồ sơ mới tiếp nhận qua dịch vụ bưu chính công ích: bắt buộc; số nguyên"
grep -qF "Số hồ sơ mới tiếp nhận qua dịch … *" "$T/screen" || fail "the long label is not cut with …"
same label-help
quit
variant=200x50
start xterm-256color 200 50
same home-200x50
tm send-keys -t ui F4
wait_for "Không có hồ sơ nào"
same list-200x50
tm send-keys -t ui Escape
wait_for "Kỳ báo cáo"
tm send-keys -t ui Enter
wait_for "Quý I năm 2021 · Chưa lưu"
same form-200x50
quit
done_testing
