# The district's screens in a real terminal: tmux on a private socket,
# keys sent as a person types them, the screen polled for the expected text
# (never a bare sleep).  Two communes made through the CLI send their
# approved reports to a real receiver on 127.0.0.1; the district officer
# opens the inbox, imports (the progress bar is seen moving batch by batch:
# a test build waits CCHC_IMPORT_DELAY_MS after each), opens the board,
# drills down to a report and its revision, read-only, and quits.
. "$(dirname "$0")/../sync/lib.sh"
command -v tmux >/dev/null || fail "tmux is missing (scripts/deps.sh installs it)"
SOCK="cchc-dtest-$$"
cleanup_hook() { tmux -L "$SOCK" kill-server 2>/dev/null; [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; :; }
tm() { tmux -L "$SOCK" "$@"; }
# fkey N: F1..F10 as Esc then a digit (Esc 0 = F10), which every terminal
# sends the same way (tmux's own F-key sequences differ from TERM=linux's).
fkey() { tm send-keys -t ui Escape; tm send-keys -t ui -l "$1"; }
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
export CCHC_NOW=2021-03-05T10:00
sync_setup
make_report "$C" lan hung
make_report "$C2" lan2 hung2
start_receiver "$D"
as_c 0 sync push --server "$URL"
as_c2 0 sync push --server "$URL"
stop_receiver
find "$D/inbox" -name '*.ccb' -exec touch -d "2021-03-09 17:00 +0700" {} +
cp -a "$D" "$T/district-0"
for variant in xterm-256color linux; do
	rm -rf "$D" "$T/rc"; cp -a "$T/district-0" "$D"
	tm -f /dev/null new-session -d -s ui -x 80 -y 24 \
		"env TERM=$variant LC_ALL=C.UTF-8 CCHC_PWCOST=min CCHC_DATADIR='$CCHC_DATADIR' ESCDELAY=25 \
		 CCHC_IMPORT_DELAY_MS=1500 '$CCHC' --home '$D'; echo \$? >'$T/rc'; sleep 60"
	wait_for "Tên đăng nhập"
	tm send-keys -t ui -l "hoa"; tm send-keys -t ui Enter
	tm send-keys -t ui -l "district-user-pw"; tm send-keys -t ui Enter
	wait_for "Người dùng: hoa, cán bộ huyện"
	wait_for "F2 Hộp thư"
	fkey 2
	wait_for "Hộp thư: 2 lô chờ nhập, 0 lô để riêng"
	fkey 5
	# The first batch's outcome and the bar at 1/2 show while the second waits.
	wait_for "Đang nhập lô 1/2 [###############...............] 50%"
	wait_for "Xã Tân Trào #1: đã nhập 1 bản ghi"
	wait_for "Đã nhập xong 2/2 lô"
	wait_for "Xã Vĩnh Lợi #1: đã nhập 1 bản ghi"
	tm send-keys -t ui Escape
	wait_for "F2    Hộp thư"
	fkey 3
	wait_for "Bảng tiến độ: 31 xã, 28 kỳ báo cáo"
	wait_for "Đã nhận / phải gửi       2/31"
	# PgDn (Home and End reach curses differently through tmux).
	tm send-keys -t ui PgDn PgDn PgDn
	wait_for "Xã Vĩnh Lợi, 2021-Q1: đúng hạn, huyện nhận 09/03/2021 17:00, 1 lần gửi"
	tm send-keys -t ui Enter
	wait_for "Báo cáo của Xã Vĩnh Lợi - Quý I năm 2021 (chỉ xem)"
	tm send-keys -t ui Enter
	wait_for "Chỉ xem: lần gửi 1 của Xã Vĩnh Lợi (được tính)."
	tm send-keys -t ui Escape
	wait_for "Lần gửi 1 tính hạn"
	tm send-keys -t ui Escape
	wait_for "Bảng tiến độ"
	tm send-keys -t ui Escape
	wait_for "F2    Hộp thư"
	fkey 0
	i=0
	while [ ! -s "$T/rc" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	eq "$(cat "$T/rc" 2>/dev/null)" 0 "cchc quit with 0 ($variant)"
	tm kill-session -t ui
done
done_testing
