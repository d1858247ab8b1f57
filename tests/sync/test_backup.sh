#!/bin/sh
# cchc backup / restore (issue 15): a consistent copy of a node taken while
# a writer saves in a loop; restored on another path it holds every record
# saved before the backup began and its audit log verifies; a damaged, cut,
# foreign or path-escaping file restores nothing; an existing node is kept
# aside; and the restored node, on a PC without its restore mark, seals
# under a new lineage, so the district imports its changes with no conflict.
. "$(dirname "$0")/lib.sh"
sync_setup
helper fill "$C" 02545 076 lan officer-pw-1 20 >/dev/null || fail "fill C"
mkdir "$T/usb0"
as_c 0 sync export "$T/usb0"
as_d 0 import "$T/usb0"
out_has "02545 #1: đã nhập 20 bản ghi"

# --- a writer saving register entries one by one, each its own command
entry() { # entry N
	CCHC_PASSWORD_FILE="$T/pw-lan" "$CCHC" --home "$C" --user lan record new so-theo-doi-ho-so \
		--set so_thu_tu="$1" --set ma_ho_so="H59.36-$1" --set "thu_tuc=Chứng thực bản sao" \
		--set "linh_vuc=Chứng thực" --set so_luong=1 --set "chu_ho_so=Nguyễn Văn $1" \
		--set kenh_nop=truc_tiep --set kenh_tra=truc_tiep --set ngay_tiep_nhan=2021-02-01 \
		--set ngay_hen_tra=2021-02-03 --set trang_thai=dang_giai_quyet 2>>"$T/writer.err"
}
: >"$T/ids"
(
	i=1000
	while [ ! -e "$T/stop" ] && [ $i -lt 1200 ]; do
		id=$(entry $i) && echo "$id" >>"$T/ids"
		i=$((i + 1))
	done
) &
writer=$!
wait_lines() { # wait_lines FILE N: until FILE has N lines (bounded)
	k=0
	while [ "$(wc -l <"$1")" -lt "$2" ]; do
		k=$((k + 1)); [ $k -lt 600 ] || fail "the writer stalled: $(cat "$T/writer.err")"
		sleep 0.05
	done
}
wait_lines "$T/ids" 3
cp "$T/ids" "$T/ids-before"
as_c 0 backup "$T/node.cbk"
out_has "Đã sao lưu nút $C vào $T/node.cbk"
n_during=$(wc -l <"$T/ids")
wait_lines "$T/ids" $((n_during + 2))
touch "$T/stop"
wait $writer
before=$(wc -l <"$T/ids-before")
ok "backup taken while the writer saved ($before entries saved before it, $(wc -l <"$T/ids") in all)"
[ "$(stat -c %a "$T/node.cbk")" = 600 ] || fail "the backup file is $(stat -c %a "$T/node.cbk"), not 600"
ok "the backup file is 0600"
grep -qa "Nguyễn Văn" "$T/node.cbk" && fail "a name is in clear in the backup"
ok "no name in clear in the backup"

# --- restore on another path: everything saved before is there
R="$T/restored"
run 0 --home "$R" restore "$T/node.cbk"
out_has "Đã khôi phục $T/node.cbk vào $R"
[ -f "$R/restored" ] || fail "no restore note in $R"
ok "the restored node carries the restore note"
while read -r id; do
	CCHC_PASSWORD_FILE="$T/pw-lan" "$CCHC" --home "$R" --user lan record show "$id" \
		>/dev/null 2>"$T/err" || fail "record $id saved before the backup is missing: $(cat "$T/err")"
done <"$T/ids-before"
ok "all $before entries saved before the backup are in the restored node"
CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$R" --user lan record list so-theo-doi-ho-so --format csv
n=$(($(wc -l <"$T/out") - 1))
[ "$n" -ge $((20 + before)) ] || fail "only $n entries restored, wanted at least $((20 + before))"
ok "$n entries restored (at least 20 + $before)"
CCHC_PASSWORD_FILE="$T/pw-qt" run 0 --home "$R" --user qt audit verify
out_has "Nhật ký nguyên vẹn"
[ "$(stat -c %a "$R")" = 700 ] && [ "$(stat -c %a "$R/db/data.mdb")" = 600 ] ||
	fail "modes: $(stat -c '%a %n' "$R" "$R/db/data.mdb")"
ok "restored node 0700, database 0600"

# --- an existing node is not overwritten without --replace, and kept with it
run 73 --home "$R" restore "$T/node.cbk"
err_has "đã có một nút ở $R"
run 0 --home "$R" restore "$T/node.cbk" --replace
out_has "Nút cũ được giữ lại ở $R.before-restore-"
[ -d "$(ls -d "$R".before-restore-* | head -1)/db" ] || fail "the replaced node was not kept"
ok "the replaced node is kept beside"

# --- bad files restore nothing
bad() { # bad FILE MESSAGE
	rm -rf "$T/x"
	run 65 --home "$T/x" restore "$1"
	err_has "$2"
	[ ! -e "$T/x" ] || fail "a bad backup left $T/x"
	[ -z "$(ls -d "$T"/x.restore-* 2>/dev/null)" ] || fail "a bad backup left a temporary node"
	ok "nothing written for $(basename "$1")"
}
size=$(stat -c %s "$T/node.cbk")
python3 -c "
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[len(b) // 2] ^= 0x01
open(sys.argv[2], 'wb').write(b)" "$T/node.cbk" "$T/flipped.cbk"
bad "$T/flipped.cbk" "bị hỏng hoặc bị sửa"
head -c $((size - 100)) "$T/node.cbk" >"$T/cut.cbk"
bad "$T/cut.cbk" "bị thiếu phần cuối"
printf 'not a backup\n' >"$T/foreign.cbk"
bad "$T/foreign.cbk" "không phải là tệp sao lưu cchc"
# A well-formed file (right hash) that names a path outside the node.
python3 -c "
import hashlib, struct, sys
def entry(p, data):
    return b'F' + struct.pack('>H', len(p)) + p + struct.pack('>Q', len(data)) + data
body = b'CCHC-BACKUP 1\n' + entry(b'db/data.mdb', b'x') + entry(b'../evil', b'owned') + b'E' + struct.pack('>Q', 2)
open(sys.argv[1], 'wb').write(body + hashlib.blake2b(body, digest_size=32).digest())" "$T/escape.cbk"
bad "$T/escape.cbk" "bị hỏng hoặc bị sửa"
[ ! -e "$T/evil" ] || fail "a restore wrote outside the node"
ok "no file written outside the node"

# --- the restored node on a new PC (no restore mark) seals under a new epoch
helper fill "$C" 02545 076 lan officer-pw-1 4 300 >/dev/null || fail "fill C after backup"
mkdir "$T/usb1"
as_c 0 sync export "$T/usb1"
as_d 0 import "$T/usb1"
out_has "0 xung đột."
XDG_STATE_HOME="$T/newpc" helper fill "$R" 02545 076 lan officer-pw-1 3 400 >/dev/null ||
	fail "fill restored"
[ ! -e "$R/restored" ] || fail "the restore note stayed after sealing"
ok "the restore note is gone once the new lineage is saved"
e_old=$(ls "$T/usb0" | grep '\.ccb$' | head -1 | cut -d- -f3)
e_new=$(ls "$R/outbox" | grep '\.ccb$' | cut -c1-16 | grep -v "^$e_old" | sort -u)
[ -n "$e_old" ] && [ "$(echo "$e_new" | wc -w)" -eq 1 ] ||
	fail "the restored node sealed under no new epoch (old $e_old): $(ls "$R/outbox")"
ok "the restored node seals under a new epoch ($e_new, was $e_old)"
mkdir "$T/usb2"
XDG_STATE_HOME="$T/newpc" run 0 --home "$R" sync export "$T/usb2"
as_d 0 import "$T/usb2"
out_has "0 xung đột."
out_has "đã nhập"
ok "the district imports the restored node's changes with no conflict"
done_testing
