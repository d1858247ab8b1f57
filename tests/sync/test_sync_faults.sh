#!/bin/sh
# Faults: the receiver killed during an upload, the connection dropped
# mid-body, a stalled link, no server at all, the commune SIGKILLed while
# sealing, the district SIGKILLed while importing.  After a restart and a
# retry nothing is lost and nothing is doubled.
. "$(dirname "$0")/lib.sh"
sync_setup
helper fill "$C" 02545 076 lan officer-pw-1 1000 >/dev/null || fail "fill"
B1=$(ls "$C/outbox"/*.ccb | head -1)
size=$(stat -c %s "$B1")

# --- no server: 69, nothing lost
run 69 --home "$C" sync push --server http://127.0.0.1:9
err_has "không kết nối được"
as_c 0 sync status
out_has "Lô chờ gửi:                    1"

# --- a stalled link: the client gives up (75), nothing lost
helper blackhole "$T/bh.port" >/dev/null 2>&1 &
BH=$!
cleanup_hook() { kill "$BH" 2>/dev/null; [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; :; }
while [ ! -s "$T/bh.port" ]; do sleep 0.05; done
CCHC_SYNC_STALL=2 run 75 --home "$C" sync push --server "http://127.0.0.1:$(cat "$T/bh.port")"
err_has "thử lại sau"
kill "$BH"; wait "$BH" 2>/dev/null
as_c 0 sync status
out_has "Lô chờ gửi:                    1"

start_receiver "$D"
# --- the connection dropped mid-body: nothing stored
# The client waits a second before it drops the connection: closed at
# once, the receiver may see the close before it has read the request at
# all (under load), and then there is no request to log.
helper halfput "$PORT" "$B1" $((size / 2)) 1 >/dev/null || fail "halfput"
# The receiver logs the drop once it has let the request go: wait for
# that (bounded; a loaded machine takes longer than a fixed sleep), then
# look at the spool.
i=0
while ! grep -q "dropped, nothing stored" "$T/serve.log"; do
	i=$((i + 1)); [ $i -gt 200 ] && fail "no log line for the dropped upload"
	sleep 0.05
done
[ -z "$(ls "$D/inbox/02545" 2>/dev/null)" ] || fail "half a batch was stored"
ok "connection dropped mid-body: nothing stored"
ok "the receiver logged the dropped upload"

# --- the receiver SIGKILLed during an upload: nothing stored, then a retry
helper halfput "$PORT" "$B1" $((size - 10)) 5 >/dev/null 2>&1 &
HP=$!
sleep 0.5
kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null; SERVE_PID=
kill "$HP" 2>/dev/null; wait "$HP" 2>/dev/null
[ -z "$(ls "$D/inbox/02545" 2>/dev/null)" ] || fail "a killed receiver stored half a batch"
ok "receiver killed mid-upload: nothing stored"
start_receiver "$D"
[ -z "$(ls "$D/inbox/.tmp")" ] || fail "temp files left after a restart"
ok "restart cleans the receiver's temp files"
run 0 --home "$C" sync push --server "$URL"
out_has "Lô #1: đã gửi"

# --- the commune SIGKILLed while sealing, five times, at random moments
HELPER_NOSEAL=1 helper fill "$C" 02545 076 lan officer-pw-1 3000 1001 >/dev/null || fail "fill 3000"
for i in 1 2 3 4 5; do
	helper seal "$C" 02545 076 lan officer-pw-1 >/dev/null 2>&1 &
	P=$!
	sleep "0.0$((i * 17 % 9 + 1))"
	kill -9 "$P" 2>/dev/null; wait "$P" 2>/dev/null
done
ok "five sealing sessions killed"
as_lan_c 0 sync status
run 0 --home "$C" sync push --server "$URL"
as_d 0 import
out_has "0 bị từ chối, 0 xung đột"
as_d 0 record list --format csv --all
count_unit 02545 4000

# --- the district SIGKILLed while importing
helper fill "$C" 02545 076 lan officer-pw-1 6000 4001 >/dev/null || fail "fill 6000"
run 0 --home "$C" sync push --server "$URL"
CCHC_PASSWORD_FILE="$T/pw-hoa" "$CCHC" --home "$D" --user hoa import >"$T/imp1" 2>&1 &
P=$!
sleep 0.4
kill -9 "$P" 2>/dev/null; wait "$P" 2>/dev/null
ok "import killed after $(grep -c 'đã nhập' "$T/imp1") batches"
as_d 0 import
out_has "0 bị từ chối, 0 xung đột"
as_d 0 record list --format csv --all
count_unit 02545 10000
n=$(cut -d, -f1 "$T/out" | sort | uniq -d | wc -l)
eq "$n" 0 "no record twice"
as_d 0 import
out_has "Tổng: 0 lô đã nhập"
CCHC_PASSWORD_FILE="$T/pw-admin" run 0 --home "$D" --user admin audit verify

# Every batch the commune sealed reached the district exactly once.
run 0 --home "$C" sync push --server "$URL"
out_has "Không có lô nào chờ"
stop_receiver
done_testing
