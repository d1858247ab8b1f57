# UI tests of the real binary in a real terminal: tmux on a private socket
# (never the user's sessions), keys sent as a person types them, the screen
# polled for the expected text (never a bare sleep).  Covers what key
# scripts cannot: curses input decoding, Esc then a digit as F-keys, an
# input method's burst of 0x08/0x7F then the corrected letter, a real
# SIGWINCH resize to 60x20 and back with an unsaved form.
. "$(dirname "$0")/../lib.sh"
# The home screen offers the periods open today first: a fixed day (test
# builds read CCHC_NOW) keeps the screens the same whatever the date.
export CCHC_NOW=2021-02-01T09:00
command -v tmux >/dev/null || fail "tmux is missing (scripts/deps.sh installs it)"
SOCK="cchc-test-$$"
cleanup_hook() { tmux -L "$SOCK" kill-server 2>/dev/null; }
tm() { tmux -L "$SOCK" "$@"; }
screen() { tm capture-pane -p -t ui >"$T/screen" 2>/dev/null; }
# wait_for TEXT: poll the pane until it shows TEXT (10 s at most).
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
setup_nodes
for variant in xterm-256color linux NO_COLOR; do
	case $variant in
	NO_COLOR) envs="TERM=xterm-256color NO_COLOR=1" ;;
	*) envs="TERM=$variant" ;;
	esac
	rm -f "$T/rc"
	tm -f /dev/null new-session -d -s ui -x 80 -y 24 \
		"env $envs LC_ALL=C.UTF-8 CCHC_PWCOST=min CCHC_DATADIR='$CCHC_DATADIR' ESCDELAY=25 \
		 '$CCHC' --home '$C' --show-keys; echo \$? >'$T/rc'; sleep 60"
	wait_for "Tên đăng nhập"
	tm send-keys -t ui -l "lan"; tm send-keys -t ui Enter
	tm send-keys -t ui -l "officer-pw-1"; tm send-keys -t ui Enter
	wait_for "Xin chào lan."
	# Esc then 1 is F1 on any terminal.
	tm send-keys -t ui Escape; tm send-keys -t ui -l "1"
	wait_for "Trợ giúp - Màn hình chính"
	tm send-keys -t ui Escape
	wait_for "Kỳ báo cáo"
	tm send-keys -t ui Down; tm send-keys -t ui Enter
	wait_for "6 tháng đầu năm 2021"
	tm send-keys -t ui -l "18/BC-UBND"; tm send-keys -t ui Enter
	tm send-keys -t ui -l "10/06/2021"; tm send-keys -t ui Enter
	# An input method corrects a letter: 0x7F (Backspace) and 0x08 (^H),
	# then the new letter, all in one burst.
	tm send-keys -t ui -l "Nguyêx"; tm send-keys -t ui BSpace C-h
	tm send-keys -t ui -l "ễn Văn Tâm"
	wait_for "Nguyễn Văn Tâm"
	tm resize-window -t ui -x 60 -y 20
	wait_for "Cửa sổ quá nhỏ (60 cột x 20 dòng)"
	tm resize-window -t ui -x 80 -y 24
	wait_for "Nguyễn Văn Tâm"
	wait_for "18/BC-UBND"
	wait_for "10/06/2021"
	tm send-keys -t ui C-s
	wait_for "Đã lưu báo cáo 6 tháng đầu năm 2021 (phiên bản 1)"
	tm send-keys -t ui Escape
	wait_for "Kỳ báo cáo"
	# Esc then 0 is F10: quit.
	tm send-keys -t ui Escape; tm send-keys -t ui -l "0"
	i=0
	while [ ! -s "$T/rc" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	eq "$(cat "$T/rc" 2>/dev/null)" 0 "cchc quit with 0 ($variant)"
	tm kill-session -t ui
	CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$C" --user lan record list bao-cao-cchc --format csv
	out_has "2021-H1"
	CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$C" --user lan record list bao-cao-cchc \
		--period 2021-H1 --format json
	out_has "Nguyễn Văn Tâm"
	# The next variant starts from a fresh report.
	id=$(grep -o '"id":"[0-9a-f]*"' "$T/out" | head -1 | cut -d'"' -f4)
	CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$C" --user lan record delete "$id"
done
done_testing
