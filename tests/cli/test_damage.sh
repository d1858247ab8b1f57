#!/bin/sh
# Data at rest: names typed through the CLI never reach the disk in clear,
# and a flipped byte anywhere in data.mdb gives a damage error or the exact
# original answer, never a wrong value and never a crash.
. "$(dirname "$0")/../lib.sh"
setup_nodes
export CCHC_PASSWORD_FILE="$T/pw-lan"

i=1
for name in "Nguyễn Văn Tèo" "Trần Thị Mận" "Lý Thị Cúc" "Hà Văn Sơn"; do
	run 0 --home "$C" --user lan record new so-theo-doi-ho-so --set so_thu_tu=$i \
		--set "ma_ho_so=BIMAT-$i" --set "thu_tuc=Đăng ký kết hôn" --set "linh_vuc=Hộ tịch" --set "chu_ho_so=$name" --set "dien_thoai=098765432$i" \
		--set "dia_chi=Xóm Đồng Bừa" --set ngay_tiep_nhan=2021-02-0$i \
		--set ngay_hen_tra=2021-02-1$i --set kenh_nop=truc_tiep --set trang_thai=moi_tiep_nhan
	i=$((i + 1))
done
run 0 --home "$C" --user lan record new bao-cao-cchc --period 2021-Q1 \
	--set "nguoi_lap=Phùng Thị Bí Mật" --set "kien_nghi=Nội dung kiến nghị riêng"

# Nothing typed is on disk in clear: not the names (in NFC or as ASCII
# fragments), phones, addresses, the user names, or report text.
for secret in "Nguyễn Văn Tèo" "Tèo" "Trần Thị Mận" "Cúc" "0987654321" "BIMAT-" \
	"Đồng Bừa" "Phùng Thị" "kiến nghị riêng" "hung" "officer-pw-1"; do
	if grep -rqaF -- "$secret" "$C"; then
		fail "'$secret' found in clear in $(grep -rlaF -- "$secret" "$C")"
	fi
done
ok "no name, phone, address, user name or password in clear under the node"

# Flip one byte at a time across data.mdb; every read must give the original
# answer or a damage error (exit 65), never anything else.
run 0 --home "$C" --user lan record list --format json --all
cp "$T/out" "$T/good.json"
db="$C/db/data.mdb"
cp "$db" "$T/data.orig"
# About 200 positions among the bytes in use (LMDB zeroes free space, so
# the non-zero bytes are page headers, keys and sealed values), past the two
# meta pages.
od -Ad -v -tu1 -w1 "$db" | awk '$1 >= 8192 && $2 != 0 { print $1 + 0 }' >"$T/used"
n_used=$(wc -l <"$T/used")
step=$(( n_used / 200 + 1 ))
awk -v s=$step 'NR % s == 0' "$T/used" >"$T/positions"
tried=0; damaged=0; same=0; slot=0
while read -r pos; do
	cp "$T/data.orig" "$db"
	byte=$(od -An -tu1 -j $pos -N1 "$db" | tr -d ' ')
	printf "$(printf '\\%03o' $(( (byte ^ 0x5a) & 255 )))" |
		dd of="$db" bs=1 seek=$pos conv=notrunc 2>/dev/null
	"$CCHC" --home "$C" --user lan record list --format json --all >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	tried=$((tried + 1))
	case $rc in
	0) cmp -s "$T/out" "$T/good.json" || fail "byte $pos flipped: a different answer, no error"
	   same=$((same + 1)) ;;
	65) grep -qF "bị hỏng" "$T/err" || fail "byte $pos: exit 65 without the damage message"
	    damaged=$((damaged + 1)) ;;
	# A flip inside the officer's key slot makes the wrapped data key fail
	# its authentication, which cannot be told apart from a wrong password.
	77) grep -qF "sai mật khẩu" "$T/err" || fail "byte $pos: exit 77 without a message"
	    slot=$((slot + 1)) ;;
	*) fail "byte $pos flipped: exit $rc (crash or unexpected error)" ;;
	esac
done <"$T/positions"
# A truncated file (a copy cut short, a disk that lost its tail): LMDB's
# pages then point past the end of the mapping; that is reported as damage.
cp "$T/data.orig" "$db"
truncate -s $(( $(stat -c %s "$db") / 2 )) "$db"
run 65 --home "$C" --user lan record list --all
err_has "bị hỏng"
cp "$T/data.orig" "$db"
[ $damaged -gt 0 ] || fail "no flip was detected as damage"
ok "$tried flips: $damaged reported as damage, $slot refused login (key slot), $same unchanged answers, no wrong value, no crash"
run 0 --home "$C" --user lan record list --all
out_has "5 bản ghi"
CCHC_PASSWORD_FILE="$T/pw-qt" run 0 --home "$C" --user qt audit verify
out_has "nguyên vẹn"
done_testing
