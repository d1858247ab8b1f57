#!/bin/sh
# Every bad input of issue 4 through the real receiver and `cchc import`:
# each gets a clear message and a distinct exit code or HTTP status, and
# changes nothing: truncated, 200 single flipped bits over header, key
# stanza, payload and signature, re-signed by another enrolled commune
# (victim's header and its own), unknown and revoked communes, another
# district's key, an oversized body, a receipt signed by the wrong key, a
# USB file that is not a batch.
. "$(dirname "$0")/lib.sh"
sync_setup
helper fill "$C" 02545 076 lan officer-pw-1 20 >/dev/null || fail "fill C"
helper fill "$C2" 02548 076 lan2 officer-pw-2 5 >/dev/null || fail "fill C2"
GOOD=$(ls "$C/outbox"/*.ccb | head -1)
start_receiver "$D"
as_d 0 record list --format csv --all
before=$(wc -l <"$T/out")
state_c=$(md5sum <"$C/outbox/state")
nothing_changed() {
	as_d 0 record list --format csv --all
	eq "$(wc -l <"$T/out")" "$before" "the district's records are unchanged"
	[ -z "$(ls "$D/inbox/02545" 2>/dev/null)" ] || fail "something was spooled: $(ls "$D/inbox/02545")"
	ok "nothing spooled"
}

# --- truncated
head -c 300 "$GOOD" >"$T/trunc.ccb"
helper put "$URL" "$T/trunc.ccb" >"$T/put"
grep -q '^400 ' "$T/put" || fail "truncated: $(cat "$T/put")"
ok "truncated batch: HTTP 400"
as_d 65 import "$T/trunc.ccb"
out_has "bị từ chối: không phải lô cchc"
nothing_changed

# --- 200 single-bit flips, a quarter in each part
mkdir "$T/flips"
helper flips "$GOOD" "$T/flips" 200 || fail "flips"
helper put "$URL" "$T/flips"/*.ccb >"$T/put"
[ "$(wc -l <"$T/put")" -eq 200 ] || fail "not 200 answers"
grep -qE '^(2[0-9][0-9]|-1) ' "$T/put" && fail "a flipped batch was accepted: $(grep -E '^(2..|-1) ' "$T/put" | head -3)"
ok "200 flipped bits: none accepted ($(cut -d' ' -f1 "$T/put" | sort | uniq -c | tr '\n' ' '))"
as_d 65 import "$T/flips"
n=$(grep -c ": bị từ chối: " "$T/out"); [ "$n" -eq 200 ] || { grep -v ": bị từ chối: " "$T/out" >&2; fail "$n rejections, not 200"; }
ok "200 flipped bits: import rejects every one"
nothing_changed
[ "$(ls "$T/flips" | wc -l)" -eq 200 ] || fail "import removed files from the stick"
ok "the stick's files are left where they were"

# --- signed by another enrolled commune
helper resign "$GOOD" "$T/resigned.ccb" "$C2" lan2 officer-pw-2 || fail "resign"
helper put "$URL" "$T/resigned.ccb" >"$T/put"
grep -q '^403 ' "$T/put" || fail "re-signed, victim's header: $(cat "$T/put")"
ok "re-signed by another commune, victim's header: HTTP 403"
as_d 65 import "$T/resigned.ccb"
out_has "chữ ký không khớp"
helper resign "$GOOD" "$T/own.ccb" "$C2" lan2 officer-pw-2 own || fail "resign own"
as_d 65 import "$T/own.ccb"
out_has "không mở được: đã bị sửa hoặc bị ký lại"
nothing_changed
[ -z "$(ls "$D/inbox/02548" 2>/dev/null)" ] || fail "the forgery stayed in the spool"
ok "the forgery was moved aside: $(ls "$D/rejected" | head -1)"

# --- unknown commune (not enrolled), another district's key
pw "$T/pw-qt3" "commune3-admin-pw"
CCHC_PASSWORD_FILE="$T/pw-admin" "$CCHC" --home "$T/dx" init district --unit 076 --admin admin >/dev/null ||
	fail "init district x"
"$CCHC" --home "$T/dx" key export "$T/dx.id" >/dev/null
CCHC_PASSWORD_FILE="$T/pw-qt3" "$CCHC" --home "$T/c3" init commune --unit 02551 \
	--district-key "$T/district.id" --admin qt3 >/dev/null || fail "init c3"
helper fill "$T/c3" 02551 076 qt3 commune3-admin-pw 3 >/dev/null || fail "fill c3"
helper put "$URL" "$T/c3/outbox"/*.ccb >"$T/put"
grep -q '^403 ' "$T/put" || fail "unknown commune: $(cat "$T/put")"
ok "unknown commune: HTTP 403"
as_d 65 import "$T/c3/outbox"
out_has "xã chưa được đăng ký"
CCHC_PASSWORD_FILE="$T/pw-qt3" "$CCHC" --home "$T/c4" init commune --unit 02554 \
	--district-key "$T/dx.id" --admin qt3 >/dev/null || fail "init c4"
"$CCHC" --home "$T/c4" key export "$T/c4.id" >/dev/null
CCHC_PASSWORD_FILE="$T/pw-admin" "$CCHC" --home "$D" --user admin enroll "$T/c4.id" >/dev/null ||
	fail "enroll c4"
helper fill "$T/c4" 02554 076 qt3 commune3-admin-pw 3 >/dev/null || fail "fill c4"
helper put "$URL" "$T/c4/outbox"/*.ccb >"$T/put"
grep -q '^403 ' "$T/put" || fail "another district's key: $(cat "$T/put")"
ok "sealed for another district: HTTP 403"
as_d 65 import "$T/c4/outbox"
out_has "lô gửi cho huyện khác"
nothing_changed

# --- oversized body: refused from the headers alone
head -c 5000000 /dev/zero >"$T/big.ccb"
helper put "$URL" "$T/big.ccb" >"$T/put"
grep -q '^413 ' "$T/put" || fail "oversized: $(cat "$T/put")"
ok "oversized body: HTTP 413"
as_d 65 import "$T/big.ccb"
out_has "vượt giới hạn kích thước"

# --- a USB file that is not a batch
printf 'Báo cáo CCHC quý I\n' >"$T/notes.ccb"
as_d 65 import "$T/notes.ccb"
out_has "không phải lô cchc"
nothing_changed

# --- revoked: the receiver refuses, push says so, import refuses
CCHC_PASSWORD_FILE="$T/pw-admin" run 0 --home "$D" --user admin revoke 02548
run 77 --home "$C2" sync push --server "$URL"
err_has "thu hồi"
as_d 65 import "$C2/outbox"
out_has "khóa của xã đã bị thu hồi"
nothing_changed

# --- receipts: signed by the wrong key, or not receipts at all
helper fill "$T/c4" 02554 076 qt3 commune3-admin-pw 1 >/dev/null
run 0 --home "$C" sync push --server "$URL"
as_d 0 import
out_has "02545 #1: đã nhập 20 bản ghi"
as_d 0 record list --format csv --all
before=$(wc -l <"$T/out")
state_c=$(md5sum <"$C/outbox/state")
# A district-signed file whose key the commune never pinned (another district).
printf 'x' >"$T/x"
cp "$D/receipts/02545.ccr" "$T/real.ccr"
CCHC_PASSWORD_FILE="$T/pw-admin" "$CCHC" --home "$T/dx" --user admin user add hx --role huyen \
	</dev/null >/dev/null 2>&1
python_free_forge() { # flip one byte of the signature of each receipt
	dd if="$T/real.ccr" of="$1" bs=1 count=250 2>/dev/null
	printf '\001' >>"$1"
	dd if="$T/real.ccr" of="$1" bs=1 skip=251 seek=251 2>/dev/null
}
python_free_forge "$T/forged.ccr"
run 65 --home "$C" sync receipts "$T/forged.ccr"
err_has "không phải tệp biên nhận hợp lệ"
run 65 --home "$C" sync receipts "$T/notes.ccb"
eq "$(md5sum <"$C/outbox/state")" "$state_c" "a bad receipt changed nothing"
run 0 --home "$C" sync receipts "$T/real.ccr"
out_has "1 biên nhận cho nút này"

stop_receiver
# The receiver logged one line per request, with the reason.
grep -q ' 403 .*bad signature' "$T/serve.log" || fail "no log line for the bad signature"
grep -q ' 413 .*too large' "$T/serve.log" || fail "no log line for the oversized body"
ok "receiver log has one line per request with the reason"
done_testing
