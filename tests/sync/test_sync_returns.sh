#!/bin/sh
# Returns for correction, end to end through the real binary and a real
# receiver on 127.0.0.1: the district returns a received report; the
# message reaches the commune by network (`sync push` fetches it) and, for
# a second commune, by USB (the receipts file); it shows there with the
# reason; the leader reopens, the officer corrects, the report is approved
# and sent again; the district then keeps two revisions and counts the
# latest.  Forged messages (a flipped byte, another key) are refused and
# change nothing; the same message twice, or late, is harmless.
. "$(dirname "$0")/lib.sh"
sync_setup
REASON="Số hồ sơ quá hạn không khớp với sổ theo dõi; đề nghị rà soát mục 2."

make_report "$C" lan hung
R=$REPORT
make_report "$C2" lan2 hung2
R2=$REPORT
start_receiver "$D"
run 0 --home "$C" sync push --server "$URL"
run 0 --home "$C2" sync push --server "$URL"
as_d 0 import
out_has "Tổng: 2 lô đã nhập"

# --- who may return what
CCHC_PASSWORD_FILE="$T/pw-admin" run 77 --home "$D" --user admin record return "$R" --reason x
as_d 64 record return "$R"
err_has "cần lý do trả lại"
as_d 64 record return "$R" --reason ""
as_d 64 record return "$R" --reason "$(printf 'Lý do\342\200\256ẩn')"
err_has "ký tự ẩn"
as_lan_c 77 record return "$R" --reason "x"
err_has "cán bộ huyện"
as_d 0 record show "$R" --format json
out_has '"state":"approved"'
out_lacks '"return_reason"'

# --- the district returns commune 1's report
as_d 0 record return "$R" --reason "$REASON"
out_has "Đã trả lại báo cáo $R (lần 1) cho xã 02545"
out_has "receipts/02545.ccr"
as_d 0 record show "$R" --format json
out_has '"state":"returned"'
out_has "\"return_reason\":\"$REASON\""
as_d 0 record show "$R"
out_has "Bị trả lại"
out_has "Lý do: $REASON"
as_d 0 record list bao-cao-cchc
out_has "Bị trả lại"
out_has "Lý do trả lại: Số hồ sơ quá hạn"
# The completeness board counts it as returned (district/status.c).
as_d 0 status --period 2021-Q1 --format json
tr -d ' \n' <"$T/out" >"$T/status.json"
grep -qE '"unit":"02545"[^}]*"state":"returned"' "$T/status.json" || fail "status: $(cat "$T/out")"
grep -qE '"unit":"02548"[^}]*"state":"(on_time|late)"' "$T/status.json" || fail "status: $(cat "$T/out")"
ok "status: 02545 returned, 02548 received"
as_d 0 status --period 2021-Q1
out_has "đã trả lại"
CCHC_PASSWORD_FILE="$T/pw-admin" run 0 --home "$D" --user admin audit list
out_has "return"
out_has "rev 1: Số hồ sơ quá hạn"
# Again: nothing recorded twice, no second message.
size1=$(stat -c %s "$D/receipts/02545.ccr")
as_d 0 record return "$R" --reason "Lý do khác"
out_has "đã được trả lại lúc"
out_has "$REASON"
eq "$(stat -c %s "$D/receipts/02545.ccr")" "$size1" "a second return adds no message"
# The message names no report in clear.
! grep -qa "$R" "$D/receipts/02545.ccr" || fail "the record id is in clear"
! grep -qa "rà soát" "$D/receipts/02545.ccr" || fail "the reason is in clear"
ok "the receipts file holds nothing readable of the return"

# --- the receiver hands it out; a stranger learns nothing readable
curl -s -o "$T/stranger" -D "$T/hdr" "$URL/v1/receipts?commune=02545&after=0" || fail "curl"
grep -qi '^X-CCHC-From: 0' "$T/hdr" || fail "no X-CCHC-From: $(cat "$T/hdr")"
cmp -s "$T/stranger" "$D/receipts/02545.ccr" || fail "the answer is not the receipts file"
ok "GET /v1/receipts answers the commune's receipts file"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/receipts?commune=..%2Fx&after=0")
eq "$code" 400 "a bad commune code: 400"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/receipts?commune=02599&after=0")
eq "$code" 404 "a commune not enrolled: 404"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/receipts?commune=02545&after=-1")
eq "$code" 400 "a bad offset: 400"

# --- a forged receiver answer: refused, nothing changes
cp -a "$C" "$T/c-before"
python3 - "$D/receipts/02545.ccr" "$T/forged.ccr" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[-100] ^= 1  # inside the last item: the return message's sealed body
open(sys.argv[2], 'wb').write(b)
EOF
run 65 --home "$C" sync receipts "$T/forged.ccr"
err_has "chữ ký"
as_lan_c 0 record show "$R" --format json
out_has '"state":"approved"' # no session has applied a receipt yet (still chờ gửi)
cmp -s "$C/outbox/state" "$T/c-before/outbox/state" || fail "a forged file changed the sending state"
[ ! -s "$C/outbox/mail" ] || fail "a forged file left a message"
ok "a flipped byte: the whole file refused, nothing changed"

# --- by network: push fetches the receipt and the return
run 0 --home "$C" sync push --server "$URL"
out_has "Không có lô nào chờ gửi"
out_has "Nhận từ huyện: 2 mục mới"
out_has "đăng nhập để áp dụng"
grep -q "GET /v1/receipts 200" "$T/serve.log" || fail "no GET in the receiver log"
as_lan_c 0 record show "$R" --format json
out_has '"state":"returned"'
out_has "\"return_reason\":\"$REASON\""
out_has '"returned_revision":1'
as_lan_c 0 record show "$R"
out_has "Bị trả lại"
out_has "Lý do: $REASON"
as_lan_c 0 record list
out_has "Lý do trả lại: Số hồ sơ quá hạn"
as_c 0 sync status
out_has "Lô huyện đã nhập:              1"
# The same again: nothing new, nothing changes.
run 0 --home "$C" sync push --server "$URL"
out_lacks "mục mới"
# (version 5: sealing no longer saves a "sent" mark; only a receipt does)
as_lan_c 0 record show "$R" --format json
out_has '"version":5'
# The whole file again by USB (a duplicate, out of order): harmless.
run 0 --home "$C" sync receipts "$D/receipts/02545.ccr"
out_has "1 biên nhận cho nút này, 1 bỏ qua"
out_lacks "đăng nhập để áp dụng"
as_lan_c 0 record show "$R" --format json
out_has '"version":5'
out_has '"state":"returned"'

# --- the commune corrects it: the officer cannot reopen, the leader can
as_lan_c 77 record reopen "$R"
as_lan_c 65 record set "$R" "kien_nghi=Sửa"
as_hung_c 0 record reopen "$R"
out_has "lần 2"
as_lan_c 0 record show "$R" --format json
out_has '"state":"draft"'
out_has "\"return_reason\":\"$REASON\""
as_lan_c 0 record set "$R" dang_qua_han=2 "kien_nghi=Đã rà soát lại theo yêu cầu của huyện."
as_lan_c 0 record submit "$R"
as_hung_c 0 record approve "$R"
as_lan_c 0 record show "$R" --format json
out_lacks '"return_reason"'
# An old return delivered late (the file again) does not touch revision 2.
run 0 --home "$C" sync receipts "$D/receipts/02545.ccr"
run 0 --home "$C" sync push --server "$URL"
out_has "Lô #2: đã gửi"
as_lan_c 0 sync status # a session applies the receiver's receipt: Đã gửi
as_lan_c 0 record show "$R" --format json
out_has '"state":"sent"'
out_has '"revision":2'
as_d 0 import
out_has "đã nhập 1 bản ghi"
as_d 0 record show "$R" --format json
out_has '"state":"approved"'
out_has '"revision":2'
out_has "Đã rà soát lại theo yêu cầu của huyện."
out_lacks '"return_reason"'
# Both revisions kept: revision 1 still returned (the store keeps it).
helper revisions "$D" hoa district-user-pw "$R" >"$T/revs" || fail "helper revisions"
grep -q "^1 returned " "$T/revs" || fail "revision 1: $(cat "$T/revs")"
grep -q "^2 kept" "$T/revs" || fail "revision 2: $(cat "$T/revs")"
ok "the district keeps both revisions; only the first is returned"
as_d 0 status --period 2021-Q1 --format json
tr -d ' \n' <"$T/out" >"$T/status.json"
grep -qE '"unit":"02545"[^}]*"state":"(on_time|late)"[^}]*"revisions":2' "$T/status.json" ||
	fail "status after the resend: $(cat "$T/out")"
ok "status: the resent report counts again, with two revisions"
run 0 --home "$C" sync push --server "$URL"
out_has "Nhận từ huyện: 1 mục mới"
as_lan_c 0 sync status
as_lan_c 0 record show "$R" --format json
out_has '"state":"received"'

# --- commune 2 by USB; a message signed with another key is refused
as_d 0 record return "$R2" --reason "Thiếu chữ ký số."
out_has "cho xã 02548"
helper forge-return "$T/other.ccr" "$D/receipts/02548.ccr" || fail "helper forge-return"
cp "$C2/outbox/state" "$T/c2-state"
run 65 --home "$C2" sync receipts "$T/other.ccr"
err_has "chữ ký"
cmp -s "$C2/outbox/state" "$T/c2-state" || fail "a message of another key changed the state"
[ ! -s "$C2/outbox/mail" ] || fail "a message of another key was kept"
ok "another key's message refused, nothing changed"
# Commune 1 is not shown commune 2's return (it is not for it).
run 0 --home "$C" sync receipts "$D/receipts/02548.ccr"
out_has "0 biên nhận cho nút này, 2 bỏ qua"
run 0 --home "$C2" sync receipts "$D/receipts/02548.ccr"
out_has "2 biên nhận cho nút này"
out_has "đăng nhập để áp dụng"
# The UI's login applies it: the home screen shows the report returned,
# with the reason.
mkdir -p "$T/run"
cat >"$T/home.keys" <<KEYS
type lan2
Enter
type officer-pw-2
Enter
dump home.screen
F10
KEYS
(cd "$T/run" && COLUMNS=80 LINES=24 TERM=xterm-256color "$CCHC" --home "$C2" --keys "$T/home.keys" \
	>"$T/out" 2>"$T/err") || fail "cchc --keys home.keys exited $?"
grep -q "Bị trả lại" "$T/run/home.screen" || fail "home: no state: $(cat "$T/run/home.screen")"
grep -qF "Bị trả lại (Quý I năm 2021): Thiếu chữ ký số." "$T/run/home.screen" ||
	fail "home: no reason: $(cat "$T/run/home.screen")"
ok "the home screen shows the returned report and the reason"
CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 record show "$R2" --format json
out_has '"state":"returned"'
out_has '"return_reason":"Thiếu chữ ký số."'
CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 --lang en record show "$R2"
out_has "Returned"
out_has "Reason: Thiếu chữ ký số."
# A revoked commune gets no message (nothing is sealed to a revoked key),
# and its fetch is refused.
CCHC_PASSWORD_FILE="$T/pw-admin" run 0 --home "$D" --user admin revoke 02548
size2=$(stat -c %s "$D/receipts/02548.ccr")
as_d 65 record return "$R2" --reason "Lần nữa."
err_has "thu hồi"
eq "$(stat -c %s "$D/receipts/02548.ccr")" "$size2" "nothing queued for a revoked commune"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/receipts?commune=02548&after=0")
eq "$code" 403 "a revoked commune's fetch: 403"
stop_receiver
done_testing
