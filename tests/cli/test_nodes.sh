#!/bin/sh
# Nodes, keys, users, passwords, roles and the audit log, through the real
# cchc binary: init district + commune, key export/enroll/revoke, user
# management, wrong passwords with lockout, audit list/verify.
. "$(dirname "$0")/../lib.sh"

D="$T/district"; C="$T/commune"
pw "$T/pw-admin" "district-admin-pw"
export CCHC_PASSWORD_FILE="$T/pw-admin"

run 0 --home "$D" init district --unit 076 --admin admin
out_has "Huyện Sơn Dương"
out_has "KHÓA KHÔI PHỤC"
[ "$(stat -c %a "$D")" = 700 ] || fail "node dir is not 0700"
[ "$(stat -c %a "$D/db/data.mdb")" = 600 ] || fail "data.mdb is not 0600"
[ ! -e "$D/recovery-key.txt" ] && ! grep -rqaF "$(sed -n '/KHÓA KHÔI PHỤC/{n;p}' "$T/out" | tr -d ' ')" "$D" ||
	fail "the recovery key is kept on the PC"
ok "modes 0700/0600"
run 73 --home "$D" init district --unit 076 --admin admin
err_has "đã là một nút cchc"

run 0 --home "$D" key show
dfp=$(sed -n 's/^Dấu vân tay: //p' "$T/out")
[ "$(printf '%s' "$dfp" | tr -cd 0-9 | wc -c)" -eq 30 ] || fail "fingerprint '$dfp' is not 30 digits"
ok "district fingerprint has 30 digits in six groups"
run 0 --home "$D" key export "$T/district.id"
out_has "$dfp"

# A commune cannot take a district key that was edited by hand.
sed 's/^unit: 076/unit: 077/' "$T/district.id" >"$T/forged.id"
pw "$T/pw-c" "commune-admin-pw"
export CCHC_PASSWORD_FILE="$T/pw-c"
run 65 --home "$C" init commune --unit 02545 --district-key "$T/forged.id" --admin qt
err_has "chữ ký của tệp định danh"
[ ! -e "$C/node.conf" ] || fail "a refused init left a node behind"
ok "refused init created nothing"
run 65 --home "$C" init commune --unit 02545 --district-key "$T/district.id" --admin qt \
	--fingerprint "11111 22222 33333 44444 55555 66666"
err_has "dấu vân tay không khớp"
run 65 --home "$C" init commune --unit 99999 --district-key "$T/district.id" --admin qt
err_has "02545  Xã Tân Trào"
run 64 --home "$C" init commune --unit 02545 --district-key "$T/district.id" --admin qt \
	--recovery-file "$C/rk.txt"
err_has "nằm trong thư mục của nút"
run 0 --home "$C" init commune --unit 02545 --district-key "$T/district.id" --admin qt \
	--fingerprint "$dfp" --recovery-file "$T/rk-c.txt"
out_has "Xã Tân Trào"
out_has "$dfp"
run 0 --home "$C" --lang en key show
out_has "Fingerprint:"
run 0 --home "$C" key export "$T/tantrao.id"

# Users and roles.
pw "$T/pw-add" "commune-admin-pw" "officer-pw-1"
CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$C" --user qt user add lan --role canbo
pw "$T/pw-add" "commune-admin-pw" "leader-pw-22"
CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$C" --user qt user add "hùng" --role lanhdao
pw "$T/pw-add" "commune-admin-pw" "district-pw-3"
CCHC_PASSWORD_FILE="$T/pw-add" run 64 --home "$C" --user qt user add huyen1 --role huyen
err_has "không dùng trên nút này"
pw "$T/pw-add" "commune-admin-pw" "short"
CCHC_PASSWORD_FILE="$T/pw-add" run 64 --home "$C" --user qt user add tam --role canbo
err_has "ít nhất 8 ký tự"
# A name typed decomposed is the same user as the precomposed one, and so
# is a password typed decomposed.
dname=$(printf 'La\314\202m')
dpw=$(printf 'ma\314\202\314\243t-khau-9')
pw "$T/pw-add" "commune-admin-pw" "$dpw"
CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$C" --user qt user add "$dname" --role canbo
pw "$T/pw-lam" "mật-khau-9"
CCHC_PASSWORD_FILE="$T/pw-lam" run 0 --home "$C" --user "Lâm" record list
pw "$T/pw-lam" "$dpw"
CCHC_PASSWORD_FILE="$T/pw-lam" run 0 --home "$C" --user "$dname" record list
pw "$T/pw-lan" "officer-pw-1"
CCHC_PASSWORD_FILE="$T/pw-lan" run 77 --home "$C" --user lan user list
err_has "cần: quản trị (quantri)"
run 0 --home "$C" --user qt user list
out_has "lan"
out_has "hùng"
out_has "lãnh đạo xã"
run 64 --home "$C" user list
err_has "--user"

# Wrong passwords: 77, audited, five lock the account for five minutes.
pw "$T/pw-bad" "not-the-password"
CCHC_PASSWORD_FILE="$T/pw-bad" run 77 --home "$C" --user lan user passwd
err_has "sai mật khẩu cho 'lan'"
run 0 --home "$C" --user qt audit list
out_has "login-failed"
for i in 2 3 4; do CCHC_PASSWORD_FILE="$T/pw-bad" run 77 --home "$C" --user lan user passwd; done
CCHC_PASSWORD_FILE="$T/pw-bad" run 77 --home "$C" --user lan user passwd
err_has "bị khóa"
# Even the right password is refused during the lockout ...
CCHC_PASSWORD_FILE="$T/pw-lan" run 77 --home "$C" --user lan record list
err_has "thử lại sau"
# ... and accepted five minutes later.
later=$(( $(date +%s) + 301 ))
CCHC_NOW=$later CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$C" --user lan record list
CCHC_PASSWORD_FILE="$T/pw-bad" run 77 --home "$C" --user nobody record list
err_has "sai mật khẩu cho 'nobody'"

# Own password change; the old one stops working.
pw "$T/pw-new" "officer-pw-1" "officer-pw-new"
CCHC_PASSWORD_FILE="$T/pw-new" run 0 --home "$C" --user lan user passwd
CCHC_PASSWORD_FILE="$T/pw-lan" run 77 --home "$C" --user lan record list
pw "$T/pw-lan" "officer-pw-new"
CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$C" --user lan record list

# Lock and unlock by the administrator.
run 0 --home "$C" --user qt user lock lan
CCHC_PASSWORD_FILE="$T/pw-lan" run 77 --home "$C" --user lan record list
err_has "quản trị viên khóa"
pw "$T/pw-add" "commune-admin-pw" "officer-pw-again"
CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$C" --user qt user unlock lan
pw "$T/pw-lan" "officer-pw-again"
CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$C" --user lan record list

# Every administrator password lost: the recovery key printed at init
# (and written with --recovery-file, never inside the node) resets one.
rk=$(tail -n 1 "$T/rk-c.txt")
[ "$(stat -c %a "$T/rk-c.txt")" = 600 ] || fail "recovery key file is not 0600"
pw "$T/pw-rec" "$rk" "new-admin-pw-9"
CCHC_PASSWORD_FILE="$T/pw-rec" run 0 --home "$C" user passwd qt --recovery
pw "$T/pw-rec" "AAAA BBBB" "new-admin-pw-9"
CCHC_PASSWORD_FILE="$T/pw-rec" run 77 --home "$C" user passwd qt --recovery
err_has "khóa khôi phục không đúng"
CCHC_PASSWORD_FILE="$T/pw-c" run 77 --home "$C" --user qt user list
pw "$T/pw-c" "new-admin-pw-9"

run 0 --home "$C" --user qt audit verify
out_has "Nhật ký nguyên vẹn"

# Enrolment at the district.
export CCHC_PASSWORD_FILE="$T/pw-admin"
run 0 --home "$D" --user admin enroll "$T/tantrao.id"
out_has "Xã Tân Trào"
run 65 --home "$D" --user admin enroll "$T/district.id"
err_has "không phải một xã của huyện này"
run 0 --home "$D" --user admin revoke 02545
out_has "thu hồi"
run 65 --home "$D" --user admin enroll "$T/tantrao.id"
err_has "đã bị thu hồi"
run 65 --home "$D" --user admin enroll --replace "$T/tantrao.id"
err_has "đã bị thu hồi"
run 65 --home "$D" --user admin revoke 02548
err_has "chưa đăng ký"
CCHC_PASSWORD_FILE="$T/pw-c" run 64 --home "$C" --user qt revoke 02545
run 0 --home "$D" --user admin audit list
out_has "enroll"
out_has "revoke"

# English and usage errors.
run 64 --lang en frobnicate
err_has "no such command"
run 0 --version
out_has "cchc "
run 66 --home "$T/nowhere" key show
err_has "chưa phải là nút cchc"
done_testing
