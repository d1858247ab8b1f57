#!/bin/sh
# Data files from the district to its communes, through the real binary and
# a real receiver on 127.0.0.1: `cchc distribute` signs a periods file and a
# unit list into each commune's receipts file; commune 1 gets them with
# `sync push`, commune 2 by USB; each installs them under its node
# directory (data/) at its next login and `sync status` says what changed.
# A bad file is not sent; a forged or damaged one is refused and changes
# nothing; the same file twice is one message; a newer version replaces an
# older one, never the other way round; a form version is never replaced
# under its name.
. "$(dirname "$0")/lib.sh"
sync_setup
start_receiver "$D"
mkdir "$T/files"
sed 's/2021/2026/g; s/2020/2025/g' "$CCHC_DATADIR/forms/defs/ky-bao-cao-2021.periods" \
	>"$T/files/ky-bao-cao-2026.periods"
cp "$CCHC_DATADIR/data/units/son-duong-2021.csv" "$T/files/son-duong-2021.csv"
printf 'period 2026-Q1\n  name Quý I\n  bogus line\n' >"$T/files/hong-2026.periods"

# --- who may send what
as_lan_c 77 distribute "$T/files/ky-bao-cao-2026.periods"
as_d 64 distribute
as_d 64 distribute "$T/out"
err_has "không gửi được loại tệp này"
as_d 65 distribute "$T/files/hong-2026.periods"
err_has "hong-2026.periods"
[ ! -e "$D/receipts/02545.ccr" ] || fail "a bad file was sent"
ok "a file that fails its checks is not sent"

# --- the district sends two files to both communes
CCHC_NOW=2026-12-01T09:00 as_d 0 distribute "$T/files/ky-bao-cao-2026.periods" "$T/files/son-duong-2021.csv"
out_has "ky-bao-cao-2026.periods: đã gửi cho 2 xã (0 xã đã có)"
out_has "son-duong-2021.csv: đã gửi cho 2 xã"
cp "$D/receipts/02548.ccr" "$T/usb-02548.ccr"
as_d 0 distribute "$T/files/ky-bao-cao-2026.periods"
out_has "đã gửi cho 0 xã (2 xã đã có)"
cmp -s "$D/receipts/02548.ccr" "$T/usb-02548.ccr" || fail "the same file sent twice made another message"
ok "the same file again: no new message"

# --- commune 1 by network, one item per answer (the receiver's limit set
# low): push asks again while X-CCHC-More says so.
stop_receiver
export CCHC_SERVE_MAIL_MAX=300
start_receiver "$D"
unset CCHC_SERVE_MAIL_MAX
run 0 --home "$C" sync push --server "$URL"
out_has "Nhận từ huyện: 2 mục mới"
eq "$(grep -c 'GET /v1/receipts 200 .*02545 from' "$T/serve.log")" 2 "two GETs, one item each"
grep -q "02545 from 0: " "$T/serve.log" || fail "no first page: $(cat "$T/serve.log")"
grep -q "02545 from [1-9][0-9]*: " "$T/serve.log" || fail "no second page: $(cat "$T/serve.log")"
off=$(cat "$C/outbox/fetched")
eq "$off" "$(stat -c %s "$D/receipts/02545.ccr")" "the commune's offset is the end of its receipts file"
# The next push asks from there and gets nothing.
run 0 --home "$C" sync push --server "$URL"
out_lacks "mục mới"
grep -q "02545 from $off: 0 bytes" "$T/serve.log" || fail "not asked from the offset: $(tail -2 "$T/serve.log")"
[ ! -e "$C/data/periods/ky-bao-cao-2026.periods" ] || fail "installed without a login"
as_lan_c 0 sync status
out_has "Dữ liệu huyện gửi về:"
out_has "Kỳ báo cáo năm 2026 đã cập nhật (ky-bao-cao-2026.periods)"
out_has "Danh sách đơn vị hành chính đã cập nhật (son-duong-2021.csv)"
out_has "01/12/2026 09:00"
cmp -s "$C/data/periods/ky-bao-cao-2026.periods" "$T/files/ky-bao-cao-2026.periods" ||
	fail "the installed periods file differs"
cmp -s "$C/data/units/son-duong-2021.csv" "$T/files/son-duong-2021.csv" ||
	fail "the installed unit list differs"
ok "both files installed under the node's data/, byte for byte"
run 0 --home "$C" form check "$C/data/periods/ky-bao-cao-2026.periods"

# --- commune 2 by USB: a damaged copy first, then another district's
python3 - "$T/usb-02548.ccr" "$T/damaged.ccr" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
i = b.find(b'Qu\xc3\xbd I n\xc4\x83m 2026')
assert i > 0
b[i] ^= 0x20  # "qUý": a changed letter in the signed content
open(sys.argv[2], 'wb').write(b)
EOF
run 65 --home "$C2" sync receipts "$T/damaged.ccr"
err_has "chữ ký"
helper forge-return "$T/other.ccr" "$T/usb-02548.ccr" || fail "forge"
run 65 --home "$C2" sync receipts "$T/other.ccr"
CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 sync status
out_lacks "Dữ liệu huyện gửi về"
[ ! -e "$C2/data" ] || fail "a refused file left something: $(ls -R "$C2/data")"
ok "damaged and forged files refused, nothing installed"
CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 sync receipts "$T/usb-02548.ccr"
out_has "2 biên nhận cho nút này"
CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 sync status
out_has "Kỳ báo cáo năm 2026 đã cập nhật"
cmp -s "$C2/data/periods/ky-bao-cao-2026.periods" "$T/files/ky-bao-cao-2026.periods" ||
	fail "commune 2's periods file differs"

# --- a newer version replaces; the older one arriving late does not
printf '# Bản sửa: hạn gửi quý I lùi.\n' >>"$T/files/ky-bao-cao-2026.periods"
CCHC_NOW=2026-12-02T09:00 as_d 0 distribute "$T/files/ky-bao-cao-2026.periods" --commune 02548
out_has "đã gửi cho 1 xã"
CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 sync receipts "$D/receipts/02548.ccr"
cmp -s "$C2/data/periods/ky-bao-cao-2026.periods" "$T/files/ky-bao-cao-2026.periods" ||
	fail "the newer version was not installed"
CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 sync receipts "$T/usb-02548.ccr"
cmp -s "$C2/data/periods/ky-bao-cao-2026.periods" "$T/files/ky-bao-cao-2026.periods" ||
	fail "an older copy replaced the newer version"
ok "newer replaces older; older late changes nothing"

# --- a form version is never replaced under its name
cp "$CCHC_DATADIR/forms/defs/so-theo-doi-ho-so.form" "$T/files/so-moi.form"
sed -i 's/^id .*/id so-moi/' "$T/files/so-moi.form"
if CCHC_PASSWORD_FILE="$T/pw-hoa" "$CCHC" --home "$D" --user hoa distribute "$T/files/so-moi.form" \
	>"$T/out" 2>"$T/err"; then
	CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 sync receipts "$D/receipts/02548.ccr"
	cp "$C2/data/forms/so-moi.form" "$T/first.form" || fail "form not installed"
	printf '# khác\n' >>"$T/files/so-moi.form"
	CCHC_NOW=2026-12-05T09:00 as_d 0 distribute "$T/files/so-moi.form" --commune 02548
	CCHC_PASSWORD_FILE="$T/pw-lan2" run 0 --home "$C2" --user lan2 sync receipts "$D/receipts/02548.ccr"
	cmp -s "$C2/data/forms/so-moi.form" "$T/first.form" || fail "a form version was replaced"
	ok "a form version stays as first installed"
else
	fail "distribute so-moi.form: $(cat "$T/err")"
fi
stop_receiver
done_testing
