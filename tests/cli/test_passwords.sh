# Passwords are read whole: a NUL byte, invalid UTF-8 or a line over 1,024
# bytes is refused with its own message (never cut and accepted, never read
# as "wrong password"), and the next line of the password file stays the
# next answer.
. tests/lib.sh
setup_nodes

# "officer-pw-1" NUL "junk": cut at the NUL it would be the right password.
printf 'officer-pw-1\000junk\n' >"$T/pw-nul"
CCHC_PASSWORD_FILE="$T/pw-nul" run 65 --home "$C" --user lan record list
err_has "NUL"
err_lacks() { ! grep -qF -- "$1" "$T/err" || fail "stderr has '$1'"; ok "stderr lacks '$1'"; }
err_lacks "sai mật khẩu"
CCHC_PASSWORD_FILE="$T/pw-nul" run 65 --lang en --home "$C" --user lan record list
err_has "the password contains a NUL byte"

# Invalid UTF-8 (a lone continuation byte, then a Latin-1 "é").
printf 'officer-pw-1\200\n' >"$T/pw-bad"
CCHC_PASSWORD_FILE="$T/pw-bad" run 65 --home "$C" --user lan record list
err_has "UTF-8"
printf 'caf\351-password\n' >"$T/pw-latin1"
CCHC_PASSWORD_FILE="$T/pw-latin1" run 65 --lang en --home "$C" --user lan record list
err_has "is not valid UTF-8"

# 1,025 bytes: its own message; exactly 1,024 bytes: a good password.
long=$(head -c 1025 /dev/zero | tr '\0' 'a')
printf '%s\n' "$long" >"$T/pw-long"
CCHC_PASSWORD_FILE="$T/pw-long" run 65 --lang en --home "$C" --user lan record list
err_has "longer than 1024 bytes"
max=$(head -c 1024 /dev/zero | tr '\0' 'b')
pw "$T/pw-add" "commune-admin-pw" "$max"
CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$C" --user qt user add tam --role canbo
pw "$T/pw-tam" "$max"
CCHC_PASSWORD_FILE="$T/pw-tam" run 0 --home "$C" --user tam record list
# One byte less is another password: the whole 1,024 bytes count.
pw "$T/pw-tam" "$(head -c 1023 /dev/zero | tr '\0' 'b')"
CCHC_PASSWORD_FILE="$T/pw-tam" run 77 --home "$C" --user tam record list

# An over-long line is dropped whole: its tail is not taken as the next
# answer (user add asks the admin's password, then the new user's twice).
pw "$T/pw-add" "commune-admin-pw" "$long" "new-user-pw-1"
CCHC_PASSWORD_FILE="$T/pw-add" run 65 --home "$C" --user qt user add binh --role canbo
CCHC_PASSWORD_FILE="$T/pw-qt" run 0 --home "$C" --user qt user list
out_lacks "binh"

# A NUL in a new password is refused too (nothing created).
printf 'commune-admin-pw\nnew\000password\n' >"$T/pw-add"
CCHC_PASSWORD_FILE="$T/pw-add" run 65 --home "$C" --user qt user add binh --role canbo
CCHC_PASSWORD_FILE="$T/pw-qt" run 0 --home "$C" --user qt user list
out_lacks "binh"
done_testing
