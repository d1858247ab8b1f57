#!/bin/sh
# IPv6 loopback: `cchc serve --listen [::1]:PORT` and `sync push --server
# http://[::1]:PORT` (a free port, stopped by its PID).  Skipped, with a
# message, only where the machine has no ::1.
. "$(dirname "$0")/lib.sh"
grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null ||
	skip "this machine has no IPv6 loopback (::1)"
sync_setup
helper fill "$C" 02545 076 lan officer-pw-1 20 >/dev/null || fail "fill"
start_receiver "$D" ::1
case $URL in "http://[::1]:"[0-9]*) ok "the receiver shows a bracketed URL" ;; *) fail "URL $URL" ;; esac
run 0 --home "$C" sync push --server "$URL"
out_has "Lô #1: đã gửi"
grep -q ' ::1 PUT /v1/batches/.* 201 ' "$T/serve.log" || fail "no 201 from ::1 in the log: $(cat "$T/serve.log")"
ok "the receiver logged the upload from ::1"
run 0 --home "$C" sync push --server "$URL"
out_has "Không có lô nào chờ"
as_d 0 import
out_has "02545 #1: đã nhập 20 bản ghi"
# The IPv4 loopback is not served by a receiver bound to ::1.
helper fill "$C2" 02548 076 lan2 officer-pw-2 1 >/dev/null || fail "fill C2"
run 69 --home "$C2" sync push --server "http://127.0.0.1:$PORT"
stop_receiver
done_testing
