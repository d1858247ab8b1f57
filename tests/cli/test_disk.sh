#!/bin/sh
# A full disk and a read-only node through the CLI: a clear message, exit
# 74, nothing half-written, and afterwards the node opens with everything
# saved before.  Needs root (it mounts a small tmpfs); skipped otherwise.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to mount a tmpfs"
M="$T/mnt"
mkdir -p "$M"
mount -t tmpfs -o size=6m tmpfs "$M" 2>/dev/null || skip "cannot mount tmpfs"
cleanup_hook() { umount "$M" 2>/dev/null || umount -l "$M" 2>/dev/null; }

D="$T/district"
pw "$T/pw-admin" "district-admin-pw"
pw "$T/pw-qt" "commune-admin-pw"
pw "$T/pw-lan" "officer-pw-1"
CCHC_PASSWORD_FILE="$T/pw-admin" "$CCHC" --home "$D" init district --unit 076 --admin admin >/dev/null || fail "init district"
"$CCHC" --home "$D" key export "$T/district.id" >/dev/null
C="$M/commune"
CCHC_PASSWORD_FILE="$T/pw-qt" "$CCHC" --home "$C" init commune --unit 02545 \
	--district-key "$T/district.id" --admin qt >/dev/null || fail "init commune on tmpfs"
pw "$T/pw-add" "commune-admin-pw" "officer-pw-1"
CCHC_PASSWORD_FILE="$T/pw-add" "$CCHC" --home "$C" --user qt user add lan --role canbo >/dev/null || fail "user add"
export CCHC_PASSWORD_FILE="$T/pw-lan"
entry() {
	"$CCHC" --home "$C" --user lan record new so-theo-doi-ho-so --set so_thu_tu=$1 \
		--set "ma_ho_so=HS-$1" --set "thu_tuc=Chứng thực" --set "linh_vuc=Chứng thực" \
		--set "chu_ho_so=Người số $1" --set ngay_tiep_nhan=2021-02-01 \
		--set ngay_hen_tra=2021-02-03 --set kenh_nop=truc_tiep --set trang_thai=moi_tiep_nhan
}
for i in 1 2 3; do entry $i >/dev/null 2>&1 || fail "entry $i"; done
ok "3 entries saved"

# Fill the file system, then save: refused with the disk-full message.
dd if=/dev/zero of="$M/filler" bs=64k 2>/dev/null
i=4; saved=3
while entry $i >"$T/out" 2>"$T/err"; do saved=$((saved + 1)); i=$((i + 1)); [ $i -lt 200 ] || break; done
rc=$?
[ $i -lt 200 ] || fail "200 saves on a full disk all succeeded"
entry $i >"$T/out" 2>"$T/err"; rc=$?
eq "$rc" 74 "save on a full disk exits 74"
err_has "ổ đĩa đầy"
rm -f "$M/filler"
run 0 --home "$C" --user lan record list so-theo-doi-ho-so
out_has "$saved bản ghi"
entry 999 >/dev/null 2>&1 || fail "save after space was freed"
ok "saves work again once space is freed"
saved=$((saved + 1))

# Read-only: reading works, saving is refused with a clear message.
mount -o remount,ro "$M" || fail "remount ro"
run 0 --home "$C" --user lan record list so-theo-doi-ho-so
out_has "$saved bản ghi"
entry 1000 >"$T/out" 2>"$T/err"; rc=$?
eq "$rc" 74 "save on a read-only node exits 74"
err_has "chỉ đọc"
mount -o remount,rw "$M"
run 0 --home "$C" --user lan record list so-theo-doi-ho-so
out_has "$saved bản ghi"
CCHC_PASSWORD_FILE="$T/pw-qt" run 0 --home "$C" --user qt audit verify
done_testing
