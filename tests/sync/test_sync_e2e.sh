#!/bin/sh
# Sync end to end through the real binary and a real receiver on 127.0.0.1
# (a free port, stopped by its PID): two communes push an approved report
# and 1,000 register entries each; the district imports; every record
# arrives once with its latest version; repeats change nothing; a copy of
# the district that takes the same batches by USB, in reverse order, ends
# in the same state; receipts carried back mark the report received.
. "$(dirname "$0")/lib.sh"
sync_setup

# --- commune 1 (Tân Trào): an approved 2021-Q1 report, then 1,000 entries
make_report "$C" lan hung
R=$REPORT
out=$(helper fill "$C" 02545 076 lan officer-pw-1 1000) || fail "fill C"
eq "$out" 1 "1,000 entries sealed into one batch"
as_c 0 sync status
out_has "Lô chờ gửi:                    2"

# --- commune 2 (Vĩnh Lợi): 1,000 entries in three batches, and a report
make_report "$C2" lan2 hung2
helper fill "$C2" 02548 076 lan2 officer-pw-2 300 1 >/dev/null || fail "fill C2 a"
helper fill "$C2" 02548 076 lan2 officer-pw-2 300 301 >/dev/null || fail "fill C2 b"
helper fill "$C2" 02548 076 lan2 officer-pw-2 400 601 >/dev/null || fail "fill C2 c"
as_c2 0 sync status
out_has "Lô chờ gửi:                    4"

# Bytes per register entry, batches of 1,000 (SPEC §10: <= 110).
big=$(ls -S "$C/outbox"/*.ccb | head -1)
size=$(stat -c %s "$big")
[ "$size" -le 110000 ] || fail "a batch of 1,000 entries is $size bytes"
ok "a batch of 1,000 register entries is $size bytes ($((size / 1000)) per entry)"

# A copy of the district before anything arrives: it takes the same
# batches by USB, in reverse order.
cp -a "$D" "$T/district2"; D2="$T/district2"

# Sealed but not sent: the report says so (Đã duyệt – chờ gửi), not Đã gửi.
as_lan_c 0 record show "$R" --format json
out_has '"state":"approved"'
start_receiver "$D"
run 0 --home "$C" sync push --server "$URL"
out_has "Lô #1: đã gửi"
out_has "Đã gửi xong"
run 0 --home "$C2" sync push --server "$URL"
out_has "Lô #4: đã gửi"
as_c 0 sync status
out_has "Lô huyện đã lưu, chưa nhập:    2"
out_has "huyện đã lưu"
# Repeat push: nothing waits; the same bytes again answer 200 (duplicate).
run 0 --home "$C" sync push --server "$URL"
out_has "Không có lô nào chờ"
helper put "$URL" "$C"/outbox/*.ccb >"$T/put" || fail "put"
[ "$(grep -c '^200 ' "$T/put")" -eq 2 ] || fail "re-PUT: $(cat "$T/put")"
ok "the same batch again: 200, stored once"
[ "$(ls "$D/inbox/02545" | wc -l)" -eq 2 ] || fail "spool holds $(ls "$D/inbox/02545")"
ok "spool holds each batch once"

# --- the district imports
as_d 0 import
out_has "02545 #1: đã nhập 1 bản ghi"
out_has "02545 #2: đã nhập 1000 bản ghi"
out_has "02548 #4: đã nhập 400 bản ghi"
out_has "Tổng: 6 lô đã nhập (2002 bản ghi), 0 trùng, 0 chờ, 0 bị từ chối, 0 xung đột"
as_d 0 record list --format csv --all
count_unit 02545 1001
count_unit 02548 1001
list_state "$D" >"$T/d1"
# Repeat import: nothing changes.
as_d 0 import
out_has "Tổng: 0 lô đã nhập (0 bản ghi), 0 trùng"
list_state "$D" >"$T/d1b"
cmp -s "$T/d1" "$T/d1b" || fail "a repeated import changed the district"
ok "repeat import changes nothing"

# --- a later revision supersedes: reopen, change, approve again; an entry edited
as_hung_c 0 record reopen "$R"
as_lan_c 0 record set "$R" "kien_nghi=Đề nghị huyện hỗ trợ thêm máy quét."
as_lan_c 0 record submit "$R"
as_hung_c 0 record approve "$R"
E=$(grep ',so-theo-doi-ho-so,' "$T/d1" | head -1 | cut -d, -f1)
as_lan_c 0 record set "$E" chu_ho_so=Nguyễn_Văn_Sửa
# The stick for the USB copy takes commune 1's first batches now: the push
# below also fetches their "imported" receipts, and an imported batch's
# file is deleted (SPEC §6.4).
mkdir "$T/usb"
run 0 --home "$C" sync export "$T/usb"
run 0 --home "$C" sync push --server "$URL"
out_has "Nhận từ huyện: 2 mục mới"
as_d 0 import
out_has "Tổng: 2 lô đã nhập (2 bản ghi)"
as_d 0 record show "$R" --format json
out_has '"revision":2'
out_has "Đề nghị huyện hỗ trợ thêm máy quét."
as_d 0 record show "$E" --format json
out_has "Nguyễn_Văn_Sửa"
as_d 0 record list --format csv --all
count_unit 02545 1001
list_state "$D" >"$T/d1"

# --- USB: the copy of the district takes every batch from the sticks, in
# reverse order, one file per import: the later ones wait for the gap.
run 0 --home "$C" sync export "$T/usb"
out_has "Tháo USB an toàn"
run 0 --home "$C2" sync export "$T/usb"
n=$(ls "$T/usb" | wc -l)
[ "$n" -eq 8 ] || fail "the stick holds $n batches, wanted 8"
ok "8 batches on the stick"
for f in $(ls "$T/usb"/*.ccb | sort -r); do
	CCHC_PASSWORD_FILE="$T/pw-hoa" "$CCHC" --home "$D2" --user hoa import "$f" >>"$T/usb.log" 2>&1 ||
		fail "USB import of $f: $(tail -3 "$T/usb.log")"
done
grep -q "chờ lô #1" "$T/usb.log" || fail "no batch waited"
ok "out of order: later batches waited for the gap"
list_state "$D2" >"$T/d2"
cmp -s "$T/d1" "$T/d2" || { diff "$T/d1" "$T/d2" | head; fail "USB path and network path differ"; }
ok "USB, reverse order == network, in order (2,002 records, same versions)"
# The same stick again: all duplicates.
CCHC_PASSWORD_FILE="$T/pw-hoa" run 0 --home "$D2" --user hoa import "$T/usb"
out_has "0 lô đã nhập (0 bản ghi), 8 trùng"

# --- receipts back to the commune by USB: the report becomes Đã tiếp nhận
# The receiver's receipts (taken by the push) make it Đã gửi at the next
# logged-in session.
as_lan_c 0 sync status
as_lan_c 0 record show "$R" --format json
out_has '"state":"sent"'
run 0 --home "$C" sync receipts "$D/receipts/02545.ccr"
out_has "4 biên nhận cho nút này"
as_c 0 sync status
out_has "Lô huyện đã nhập:              4"
out_has "huyện đã nhập"
# Marking the report needs the data key: the next logged-in session does it.
as_lan_c 0 sync status
as_lan_c 0 record show "$R" --format json
out_has '"state":"received"'
ls "$C/outbox"/*.ccb >/dev/null 2>&1 && fail "imported batches still in the outbox"
ok "imported batches deleted at the commune only after the imported receipt"
# Receipts for another commune are ignored, not applied.
run 0 --home "$C" sync receipts "$D/receipts/02548.ccr"
out_has "0 biên nhận cho nút này, 4 bỏ qua"

stop_receiver
done_testing
