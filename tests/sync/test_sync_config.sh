#!/bin/sh
# `cchc config set server` then `sync push` with no --server reaches a real
# receiver on 127.0.0.1; a bad address is refused and writes nothing.
# `enroll --fingerprint`: a wrong fingerprint enrolls nothing (exit 65),
# the right one (in any spacing, --fingerprint=F too) enrolls.
. "$(dirname "$0")/lib.sh"
sync_setup

# --- enroll compares the fingerprint the commune reads out
"$CCHC" --home "$C2" key export "$T/c2.id" >"$T/out" || fail "key export"
fp=$(grep -oE '[0-9]{5}( [0-9]{5}){5}' "$T/out" | head -1)
[ -n "$fp" ] || fail "no fingerprint in: $(cat "$T/out")"
ok "commune 2's fingerprint: $fp"
CCHC_PASSWORD_FILE="$T/pw-admin" run 0 --home "$D" --user admin revoke 02548
# A new key for commune 2 (a new PC): the old fingerprint no longer matches.
rm -rf "$T/c2new"
CCHC_PASSWORD_FILE="$T/pw-qt2" "$CCHC" --home "$T/c2new" init commune --unit 02548 \
	--district-key "$T/district.id" --admin qt2 >/dev/null || fail "init c2new"
"$CCHC" --home "$T/c2new" key export "$T/c2new.id" >"$T/out" || fail "key export c2new"
fp2=$(grep -oE '[0-9]{5}( [0-9]{5}){5}' "$T/out" | head -1)
[ "$fp2" != "$fp" ] || fail "two keys with one fingerprint"
cp "$D/communes.list" "$T/list-before"
CCHC_PASSWORD_FILE="$T/pw-admin" run 65 --home "$D" --user admin enroll --replace \
	--fingerprint "$fp" "$T/c2new.id"
err_has "dấu vân tay không khớp: được cho $fp, tệp có $fp2. Chưa đăng ký"
out_has "dấu vân tay:"
cmp -s "$D/communes.list" "$T/list-before" || fail "a refused enroll changed communes.list"
ok "a refused enroll left communes.list as it was"
CCHC_PASSWORD_FILE="$T/pw-admin" run 65 --lang en --home "$D" --user admin enroll --replace \
	--fingerprint=12345 "$T/c2new.id"
err_has "fingerprint mismatch: given 12345"
err_has "Not enrolled"
nospace=$(echo "$fp2" | tr -d ' ')
CCHC_PASSWORD_FILE="$T/pw-admin" run 0 --home "$D" --user admin enroll --replace \
	--fingerprint="$nospace" "$T/c2new.id"
out_has "$fp2"
cmp -s "$D/communes.list" "$T/list-before" && fail "enroll did not publish"
ok "the right fingerprint (without spaces) enrolls the new key"
# getopt_long: options after the file, --opt=value; unknown or valueless ones refused.
CCHC_PASSWORD_FILE="$T/pw-admin" run 0 --home "$D" --user admin enroll "$T/c2new.id" \
	--fingerprint="$fp2"
CCHC_PASSWORD_FILE="$T/pw-admin" run 64 --home "$D" --user admin enroll --bogus "$T/c2new.id"
err_has "'--bogus'"
CCHC_PASSWORD_FILE="$T/pw-admin" run 64 --home "$D" --user admin enroll "$T/c2new.id" --fingerprint
err_has "tùy chọn --fingerprint cần một giá trị"
CCHC_PASSWORD_FILE="$T/pw-admin" run 64 --home "$D" --user admin enroll a.id b.id
run 0 --lang en enroll --help
out_has "--fingerprint NUMBER"
out_has "Options:"

# --- the receiver's address by `config set`, then push without --server
start_receiver "$D"
make_report "$C" lan hung
cp "$C/node.conf" "$T/conf-before"
run 65 --home "$C" config set server "ftp://127.0.0.1:$PORT"
err_has "không hợp lệ cho server"
err_has "Không ghi gì vào node.conf"
run 65 --home "$C" config set server "http://127.0.0.1:99999"
run 65 --home "$C" config set server "http://"
run 65 --home "$C" config set server "http://127.0.0.1:$PORT/a b"
cmp -s "$C/node.conf" "$T/conf-before" || fail "a refused value changed node.conf"
ok "refused addresses left node.conf as it was"
run 0 --home "$C" config set server "$URL"
out_has "server = $URL"
run 0 --home "$C" config show server
eq "$(cat "$T/out")" "$URL" "config show server"
run 0 --home "$C" sync push
out_has "Đã gửi xong"
[ "$(ls "$D/inbox/02545" | wc -l)" -ge 1 ] || fail "nothing reached the receiver"
ok "sync push with no --server reached the receiver set by config"
run 64 --home "$C" sync push --server "127.0.0.1:$PORT"
err_has "'127.0.0.1:$PORT' không hợp lệ cho --server"
# The IPv6 form is an address too.
run 0 --home "$C" config set server "http://[::1]:$PORT/"
stop_receiver
done_testing
