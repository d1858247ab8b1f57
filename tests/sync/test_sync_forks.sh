#!/bin/sh
# One lineage, two histories, through the real binary and a real receiver
# on 127.0.0.1 (a free port, stopped by its PID).
#
# A copied node: Tân Trào's node directory is copied and both copies seal
# different changes under the same batch numbers.  The receiver answers 409
# to the second copy; the district, importing both copies' USB sticks, keeps
# every batch of such a number in conflicts/ and merges nothing, whether the
# first copy's batch was applied already or not; the same sticks again
# change nothing; the receiver never takes a kept number back in.
#
# A restored node: Vĩnh Lợi's node directory is backed up, changes are
# pushed, the backup is put back and other changes are made and pushed.
# The restored node starts a new epoch by itself: no 409, no conflict, and
# the district ends with every change of both histories.
. "$(dirname "$0")/lib.sh"
sync_setup
start_receiver "$D"

# --- a common history: 10 entries, sent and imported
helper fill "$C" 02545 076 lan officer-pw-1 10 >/dev/null || fail "fill C"
run 0 --home "$C" sync push --server "$URL"
as_d 0 import
out_has "02545 #1: đã nhập 10 bản ghi"

# --- the node directory copied while nothing runs; both copies go on
cp -a "$C" "$T/copy"; CB="$T/copy"
helper fill "$C" 02545 076 lan officer-pw-1 3 101 >/dev/null || fail "fill C #2"
helper fill "$CB" 02545 076 lan officer-pw-1 5 201 >/dev/null || fail "fill copy #2"
a=$(ls "$C/outbox" | grep -c '\.ccb$'); b=$(ls "$CB/outbox" | grep -c '\.ccb$')
n2=$(ls "$C/outbox" | grep -- '-00000002\.ccb$')
[ -n "$n2" ] && [ -f "$CB/outbox/$n2" ] || fail "the copies did not seal the same number: $(ls "$C/outbox" "$CB/outbox")"
cmp -s "$C/outbox/$n2" "$CB/outbox/$n2" && fail "the copies sealed the same bytes"
ok "both copies sealed batch #2 of one epoch, with different bytes ($a and $b files)"

run 0 --home "$C" sync push --server "$URL"
out_has "Lô #2: đã gửi"
as_d 0 import
out_has "02545 #2: đã nhập 3 bản ghi"
run 65 --home "$CB" sync push --server "$URL"
out_has "Lô #2: huyện đã có một lô khác cùng số (HTTP 409) nên không nhận lô này"
grep -q " 409 [0-9]* 02545 #2" "$T/serve.log" || fail "the receiver did not log 409: $(tail -3 "$T/serve.log")"
ok "the receiver answered 409 to the second copy's #2"
list_state "$D" >"$T/s1"
count() { grep -c ",$1," "$2"; }
eq "$(count 02545 "$T/s1")" 13 "13 entries of 02545 (the first copy's #2 applied)"

# The second copy's stick: its #2 conflicts with an applied batch.
mkdir "$T/usb-a" "$T/usb-b"
run 0 --home "$C" sync export "$T/usb-a"
run 0 --home "$CB" sync export "$T/usb-b"
as_d 65 import "$T/usb-a" "$T/usb-b"
out_has "02545 #2: xung đột: xã đã gửi một lô khác mang cùng số này"
# (#1 is on neither stick: each copy's push fetched its "imported" receipt
# and deleted the file; the first copy's #2 is a duplicate.)
out_has "Tổng: 0 lô đã nhập (0 bản ghi), 1 trùng, 0 chờ, 0 bị từ chối, 1 xung đột."
out_has "Chú ý: 1 lô mang số lô mà xã đã dùng cho một lô khác"
out_has "Không gộp tự động"
eq "$(ls "$D/conflicts" | grep -c -- '-00000002-.*\.ccb$')" 2 "both #2 batches kept in conflicts/"
eq "$(ls "$D/conflicts" | grep -c '\.reason$')" 2 "each with its reason"
list_state "$D" >"$T/s2"
cmp -s "$T/s1" "$T/s2" || fail "the conflict changed the district's records"
ok "nothing of the second copy merged; the first copy's #2 stays applied"

# --- both copies seal #3; the first is stored but not imported yet
helper fill "$C" 02545 076 lan officer-pw-1 2 301 >/dev/null || fail "fill C #3"
helper fill "$CB" 02545 076 lan officer-pw-1 4 401 >/dev/null || fail "fill copy #3"
run 0 --home "$C" sync push --server "$URL"
out_has "Lô #3: đã gửi"
run 65 --home "$CB" sync push --server "$URL"
out_has "Lô #3: huyện đã có một lô khác cùng số (HTTP 409)"
rm -rf "$T/usb-a" "$T/usb-b"; mkdir "$T/usb-a" "$T/usb-b"
run 0 --home "$C" sync export "$T/usb-a"
run 0 --home "$CB" sync export "$T/usb-b"
as_d 65 import "$T/usb-a" "$T/usb-b"
out_has "02545 #3: xung đột"
out_has "02545 #2: vẫn xung đột"
out_lacks "02545 #3: đã nhập"
out_has "0 lô đã nhập (0 bản ghi)"
eq "$(ls "$D/conflicts" | grep -c -- '-00000003-.*\.ccb$')" 2 "both #3 batches kept in conflicts/, neither applied"
[ -z "$(ls "$D/inbox/02545" 2>/dev/null)" ] || fail "a conflicting batch stayed in the spool: $(ls "$D/inbox/02545")"
ok "the spool holds neither #3"
list_state "$D" >"$T/s3"
cmp -s "$T/s1" "$T/s3" || fail "the #3 conflict changed the district's records"
ok "still 13 entries, nothing merged"

# --- the same sticks again, in the other order, and a plain import: no-ops
ls "$D/conflicts" >"$T/c1"
as_d 65 import "$T/usb-b" "$T/usb-a"
out_has "02545 #3: vẫn xung đột"
out_has "0 lô đã nhập (0 bản ghi)"
as_d 0 import
out_has "Tổng: 0 lô đã nhập (0 bản ghi), 0 trùng, 0 chờ, 0 bị từ chối, 0 xung đột."
list_state "$D" >"$T/s4"
ls "$D/conflicts" >"$T/c2"
cmp -s "$T/s1" "$T/s4" && cmp -s "$T/c1" "$T/c2" || fail "a repeated import changed something"
ok "a repeated import changes nothing"
as_d 65 --lang en import "$T/usb-b"
out_has "02545 #3: still in conflict"
out_has "Nothing is merged: every copy is kept in"

# --- the receiver takes no kept number back in.  A copy kept aside is
# stored (in conflicts/): sending it again gets 200 and its receipt, and
# nothing enters the spool.  A third batch under that number gets 409.
helper put "$URL" "$C/outbox/$(ls "$C/outbox" | grep -- '-00000003\.ccb$')" >"$T/put" || fail "put"
grep -q '^200 ' "$T/put" || fail "re-PUT of a kept batch: $(cat "$T/put")"
run 0 --home "$CB" sync push --server "$URL"
out_has "Lô #3: huyện đã có từ trước"
mkdir "$T/flips"
helper flips "$C/outbox/$(ls "$C/outbox" | grep -- '-00000003\.ccb$')" "$T/flips" 4 || fail "flips"
helper resign "$(ls "$T/flips"/flip-0002-*)" "$T/third.ccb" "$C" lan officer-pw-1 || fail "resign"
helper put "$URL" "$T/third.ccb" >"$T/put" || fail "put third"
grep -q '^409 ' "$T/put" || fail "a third #3: $(cat "$T/put")"
[ -z "$(ls "$D/inbox/02545" 2>/dev/null)" ] || fail "the receiver stored a kept number again"
ok "re-sent copies: 200 for kept ones, 409 for a third, nothing spooled"
as_d 65 import "$T/third.ccb"
out_has "02545 #3: xung đột"
eq "$(ls "$D/conflicts" | grep -c -- '-00000003-.*\.ccb$')" 3 "a third #3 by USB is kept beside the two"
as_d 0 import
out_has "0 lô đã nhập (0 bản ghi)"
list_state "$D" >"$T/s5"
cmp -s "$T/s1" "$T/s5" || fail "the third copy changed the district's records"
ok "still nothing merged"

# --- a restored node: Vĩnh Lợi backs up its node directory, goes on, is
# restored from the backup and goes on differently.
helper fill "$C2" 02548 076 lan2 officer-pw-2 5 >/dev/null || fail "fill C2"
run 0 --home "$C2" sync push --server "$URL"
as_d 0 import
list_state "$D" >"$T/r0"
E1=$(grep ',02548,' "$T/r0" | sed -n 1p | cut -d, -f1)
E2=$(grep ',02548,' "$T/r0" | sed -n 2p | cut -d, -f1)
[ -n "$E1" ] && [ -n "$E2" ] || fail "no entries of 02548 at the district"
cp -a "$C2" "$T/c2-backup"
ok "Vĩnh Lợi backed up"
helper fill "$C2" 02548 076 lan2 officer-pw-2 3 101 >/dev/null || fail "fill C2 after the backup"
CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 record set "$E1" chu_ho_so=Trước_khôi_phục
run 0 --home "$C2" sync push --server "$URL"
out_has "Lô #3: đã gửi"
rm -rf "$C2"; cp -a "$T/c2-backup" "$C2"
ok "Vĩnh Lợi restored from the backup"
helper fill "$C2" 02548 076 lan2 officer-pw-2 4 201 >/dev/null || fail "fill C2 after the restore"
CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 record set "$E2" chu_ho_so=Sau_khôi_phục
n=$(ls "$C2/outbox" | grep '\.ccb$' | cut -c1-16 | sort -u | wc -l)
[ "$n" -ge 2 ] || fail "the restored node sealed in its old epoch: $(ls "$C2/outbox")"
ok "the restored node sealed in a new epoch"
run 0 --home "$C2" sync push --server "$URL"
out_lacks "409"
grep -q " 409 [0-9]* 02548" "$T/serve.log" && fail "the receiver answered 409 to the restored node"
as_d 0 import
out_has "0 bị từ chối, 0 xung đột."
list_state "$D" >"$T/r1"
eq "$(count 02548 "$T/r1")" 12 "12 entries of 02548: 5 before, 3 lost locally by the restore, 4 after"
as_d 0 record show "$E1" --format json
out_has "Trước_khôi_phục"
as_d 0 record show "$E2" --format json
out_has "Sau_khôi_phục"
ls "$D/conflicts" | grep -q 02548 && fail "a false conflict for the restored node"
ok "the district has every change of both histories, no conflict"
as_d 0 import
out_has "Tổng: 0 lô đã nhập (0 bản ghi)"

stop_receiver
done_testing
