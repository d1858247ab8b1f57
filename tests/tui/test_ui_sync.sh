# The commune's Đồng bộ screen (F5 on home), against a real receiver on
# 127.0.0.1: what waits; F5 Gửi ngay with the receiver down (the error
# says so, the batch still waits), then up (the bar full, each batch's
# result, the receiver stored it); F6 Xuất ra USB to a directory (the
# batch file is there); after the district's import, F7 Nhận biên nhận
# from the receipts file carried back (the report is Đã tiếp nhận).  Whole
# screens compared with tests/tui/expected/sync-*.screen (the receiver's
# port and the receipt's time normalised).
. "$(dirname "$0")/../sync/lib.sh"
export CCHC_NOW=2021-03-12T09:00
export COLUMNS=80 LINES=24 TERM=xterm-256color
unset NO_COLOR
K="$(cd "$(dirname "$0")" && pwd)/keys"
E="$(cd "$(dirname "$0")" && pwd)/expected"
sync_setup
make_report "$C" lan hung
mkdir -p "$T/run" "$T/usb"
ui() { # ui SCRIPT
	(cd "$T/run" && "$CCHC" --home "$C" --keys "$K/$1.keys" >"$T/out" 2>"$T/err") ||
		fail "cchc --keys $1.keys exited $?: $(cat "$T/err")"
	ok "cchc --keys $1.keys"
}
compare() { # compare NAME: the dump, port and times normalised, against expected/NAME.screen
	sed -e 's|127\.0\.0\.1:[0-9][0-9]*|127.0.0.1:PORT|' \
		-e 's|[0-9][0-9]/[0-9][0-9]/20[0-9][0-9] [0-9][0-9]:[0-9][0-9]|DD/MM/YYYY HH:MM|g' \
		"$T/run/$1.screen" >"$T/$1.norm"
	[ -n "${UPDATE_SCREENS:-}" ] && cp "$T/$1.norm" "$E/$1.screen"
	diff -u "$E/$1.screen" "$T/$1.norm" >&2 || fail "screen $1 differs from tests/tui/expected/$1.screen"
	ok "screen $1"
}
set_server() { sed -i "s|^server = .*|server = $1|" "$C/node.conf"; }
# Port 1 on 127.0.0.1: nothing listens, the connection is refused at once.
set_server "http://127.0.0.1:1"
ui sync-offline
compare sync-offline
grep -q "Không kết nối được máy nhận http://127.0.0.1:1" "$T/run/sync-offline.screen" ||
	fail "the screen does not say the receiver is unreachable"
as_c 0 sync status
grep -q '^Lô chờ gửi: *1$' "$T/out" || fail "the batch was lost by a failed send"
ok "the failed send lost nothing: 1 batch still waits"
start_receiver "$D"
set_server "$URL"
ui sync-send
for s in sync-before sync-sent sync-exported sync-home; do compare $s; done
grep -q "Lô #1: đã gửi, huyện đã lưu." "$T/run/sync-sent.screen" || fail "no result line for batch 1"
grep -q "Đã gửi 1/1 lô  \[##############################\]" "$T/run/sync-sent.screen" ||
	fail "the bar is not full after the send"
ok "the send's bar and result are on the screen"
n=$(ls "$T/usb" | grep -c '\.ccb$')
eq "$n" 1 "F6 copied the one batch to the USB directory"
stop_receiver
as_d 0 import
out_has "1"
ui sync-receipts
for s in sync-receipts sync-home-received; do compare $s; done
grep -q "Quý I năm 2021 .*Đã tiếp nhận" "$T/run/sync-home-received.screen" ||
	fail "after the receipts the report is not Đã tiếp nhận on home"
ok "F7's receipts made the report Đã tiếp nhận"
done_testing
