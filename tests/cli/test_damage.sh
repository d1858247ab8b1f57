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

# Flip one byte at a time inside the stored values (records, outbox, audit,
# key slots, meta); every read must give the original answer or a damage
# error (exit 65), never anything else.  The positions are found by reading
# LMDB's page layout (0.9.x: 16-byte page header with flags at 10, lower at
# 12, upper at 14; 8-byte node header lo, hi, flags, ksize): leaf-node data,
# and the overflow pages that big values live in.  LMDB's own structure
# (page headers, node headers, keys, the named-database records) is not
# flipped here: LMDB 0.9 checks none of it and a damaged branch can make
# it fault; a page pointing past the end of the file is covered below, and
# the README says what is left.
# A compacted copy (mdb_copy -c) holds only live pages, so every value byte
# flipped below belongs to something a command reads.
mkdir -p "$T/compact" && mdb_copy -c "$C/db" "$T/compact" || fail "mdb_copy -c"
cp "$T/compact/data.mdb" "$C/db/data.mdb"
run 0 --home "$C" --user lan record list --format json --all
cp "$T/out" "$T/good.json"
db="$C/db/data.mdb"
cp "$db" "$T/data.orig"
od -An -v -tu1 -w1 "$db" | awk '
	{ b[NR - 1] = $1 + 0 }
	function u16(o) { return b[o] + 256 * b[o + 1] }
	END {
		ps = 4096; n = int(NR / ps)
		for (p = 2; p < n; p++) {
			o = p * ps; flags = u16(o + 10)
			if (flags != 2) continue            # P_LEAF only (not LEAF2, not a sub-page)
			lower = u16(o + 12)
			for (i = 16; i < lower; i += 2) {
				nd = o + u16(o + i)
				dsize = u16(nd) + 65536 * u16(nd + 2); nf = u16(nd + 4); ks = u16(nd + 6)
				if (nf == 2 || nf == 6) continue  # F_SUBDATA: a named database record
				start = nd + 8 + ks
				if (nf == 1) {                   # F_BIGDATA: the value is on overflow pages
					pg = 0; for (k = 5; k >= 0; k--) pg = pg * 256 + b[start + k]
					start = pg * ps + 16
				}
				for (k = 0; k < dsize; k++) print start + k
			}
		}
	}' >"$T/values"
n_values=$(wc -l <"$T/values")
[ "$n_values" -gt 1000 ] || fail "found only $n_values value bytes in data.mdb"
step=$(( n_values / 200 + 1 ))
awk -v s=$step 'NR % s == 0' "$T/values" >"$T/positions"
tried=0; damaged=0; same=0; slot=0
while read -r pos; do
	cp "$T/data.orig" "$db"
	byte=$(od -An -tu1 -j $pos -N1 "$db" | tr -d ' ')
	printf "$(printf '\\%03o' $(( (byte ^ 0x5a) & 255 )))" |
		dd of="$db" bs=1 seek=$pos conv=notrunc 2>/dev/null
	"$CCHC" --home "$C" --user lan record list --format json --all >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	# The audit check reads the rest: every audit and outbox entry.
	if [ $rc -eq 0 ]; then
		CCHC_PASSWORD_FILE="$T/pw-qt" "$CCHC" --home "$C" --user qt audit verify \
			>"$T/vout" 2>"$T/err" </dev/null
		vrc=$?
		case $vrc in
		0) ;;
		65|77) rc=$vrc ;;
		*) fail "byte $pos flipped: audit verify exit $vrc" ;;
		esac
	fi
	tried=$((tried + 1))
	case $rc in
	0) cmp -s "$T/out" "$T/good.json" || fail "byte $pos flipped: a different answer, no error"
	   same=$((same + 1)) ;;
	65) grep -qE "bị hỏng|bị sửa hoặc hỏng" "$T/err" || fail "byte $pos: exit 65 without the damage message"
	    damaged=$((damaged + 1)) ;;
	# A flip inside the officer's key slot makes the wrapped data key fail
	# its authentication, which cannot be told apart from a wrong password.
	77) grep -qF "sai mật khẩu" "$T/err" || fail "byte $pos: exit 77 without a message"
	    slot=$((slot + 1)) ;;
	*) fail "byte $pos flipped: exit $rc (crash or unexpected error)" ;;
	esac
done <"$T/positions"
# LMDB's own structure: page headers (page number, flags, lower, upper) and
# the node offset arrays of every page past the two meta pages.  LMDB 0.9
# checks little of it, so a flip may make it read outside the map: that must
# come out as the damage message (exit 65), never a crash or a hang; and an
# answer that changed with no error must be caught by audit verify (the
# sealed audit head counts the records), never pass as the truth.
od -An -v -tu1 -w1 "$db" | awk '
	{ b[NR - 1] = $1 + 0 }
	function u16(o) { return b[o] + 256 * b[o + 1] }
	END {
		ps = 4096; n = int(NR / ps)
		for (p = 2; p < n; p++) {
			o = p * ps
			for (i = 0; i < 16; i++) print o + i
			lower = u16(o + 12); flags = u16(o + 10)
			if (flags == 1 || flags == 2)     # branch or leaf: its node offsets
				for (i = 16; i < lower && i < 4096; i++) print o + i
		}
	}' >"$T/structure"
n_struct=$(wc -l <"$T/structure")
sstep=$(( n_struct / 60 + 1 ))
awk -v s=$sstep 'NR % s == 0' "$T/structure" >"$T/spositions"
stried=0; sdamaged=0; ssame=0; scaught=0
while read -r pos; do
	cp "$T/data.orig" "$db"
	byte=$(od -An -tu1 -j $pos -N1 "$db" | tr -d ' ')
	printf "$(printf '\\%03o' $(( (byte ^ 0xa5) & 255 )))" |
		dd of="$db" bs=1 seek=$pos conv=notrunc 2>/dev/null
	timeout 10 "$CCHC" --home "$C" --user lan record list --format json --all >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	timeout 10 env CCHC_PASSWORD_FILE="$T/pw-qt" "$CCHC" --home "$C" --user qt audit verify \
		>"$T/vout" 2>"$T/verr" </dev/null
	vrc=$?
	stried=$((stried + 1))
	for r in $rc $vrc; do
		[ $r -lt 124 ] || fail "structure byte $pos flipped: exit $r (crash or hang): $(cat "$T/err" "$T/verr")"
	done
	case $rc in
	0) if cmp -s "$T/out" "$T/good.json"; then
		ssame=$((ssame + 1))
	   elif [ $vrc -eq 65 ]; then
		scaught=$((scaught + 1))
	   else
		fail "structure byte $pos flipped: a different answer and audit verify exit $vrc"
	   fi ;;
	65) grep -qE "bị hỏng|bị sửa hoặc hỏng" "$T/err" || fail "structure byte $pos: exit 65 without the damage message: $(cat "$T/err")"
	    sdamaged=$((sdamaged + 1)) ;;
	77) grep -qF "sai mật khẩu" "$T/err" || fail "structure byte $pos: exit 77 without a message"
	    sdamaged=$((sdamaged + 1)) ;;
	*) fail "structure byte $pos flipped: exit $rc: $(cat "$T/err")" ;;
	esac
done <"$T/spositions"
cp "$T/data.orig" "$db"
ok "$stried flips in $n_struct structure bytes: $sdamaged reported as damage, $scaught different answers caught by audit verify, $ssame unchanged answers, no crash, no hang"
# main's handler: a memory fault while the store is inside LMDB is damage
# (exit 65 and the message), one anywhere else stays a crash (SIGSEGV).
# Under ASan its own handler reports faults, so only the plain test build.
case "$B" in *san*) ok "fault handler: not checked under ASan (it keeps its own)";;
*)
	CCHC_TEST_FAULT=in-db "$CCHC" --home "$C" --user lan record list >"$T/out" 2>"$T/err" </dev/null
	eq "$?" 65 "a fault inside a database read: exit 65"
	err_has "một trang của tệp không đọc được"
	CCHC_TEST_FAULT=outside "$CCHC" --home "$C" --user lan record list >"$T/out" 2>"$T/err" </dev/null
	eq "$?" 139 "a fault outside the database: still a crash (SIGSEGV)";;
esac
# A truncated file (a copy cut short, a disk that lost its tail): LMDB's
# pages then point past the end of the mapping; that is reported as damage.
cp "$T/data.orig" "$db"
truncate -s $(( $(stat -c %s "$db") / 2 )) "$db"
run 65 --home "$C" --user lan record list --all
err_has "bị hỏng"
cp "$T/data.orig" "$db"
[ $damaged -gt 0 ] || fail "no flip was detected as damage"
ok "$tried flips in $n_values value bytes: $damaged reported as damage, $slot refused login (key slot), $same unchanged answers, no wrong value, no crash"
run 0 --home "$C" --user lan record list --all
out_has "5 bản ghi"
CCHC_PASSWORD_FILE="$T/pw-qt" run 0 --home "$C" --user qt audit verify
out_has "nguyên vẹn"
done_testing
