#!/bin/sh
# Forms from the command line: list/show/check, the complete example of the
# README used for real, a damaged form file that stops the program with
# FILE:LINE, help texts, and the Telex filter.
. "$(dirname "$0")/../lib.sh"
ROOT=$(pwd)

run 0 form list
out_has "bao-cao-cchc"
out_has "so-theo-doi-ho-so"
run 0 form show bao-cao-cchc --format json
out_has '"id":"bao-cao-cchc","version":1'
out_has '"fields":[{"id":"so_ky_hieu","type":"text"'
out_has '"target_commune":">= 25%"'
out_has '"target_district":">= 62%"'
run 0 --lang en form show so-theo-doi-ho-so
out_has "One-stop dossier register"
run 65 form show khong-co
err_has "không có biểu mẫu 'khong-co'"
run 0 form check forms/defs/bao-cao-cchc.form forms/defs/so-theo-doi-ho-so.form \
	forms/defs/ky-bao-cao.periods forms/defs/chi-tieu-2021.targets data/units/son-duong-2021.csv

# The README's complete example is a valid form ...
sed -n '/^# A small register: one entry per visit/,/^```$/p' "$ROOT/README.md" | sed '$d' >"$T/vi-du.form"
[ "$(wc -l <"$T/vi-du.form")" -gt 40 ] || fail "could not extract the README example"
run 0 form check "$T/vi-du.form"
out_has "tốt"
# ... that works as one: a data directory with it beside the shipped files.
mkdir -p "$T/data/forms/defs" "$T/data/data/units"
cp "$ROOT"/forms/defs/* "$T/vi-du.form" "$T/data/forms/defs/"
cp "$ROOT"/data/units/* "$T/data/data/units/"
export CCHC_DATADIR="$T/data"
setup_nodes
export CCHC_PASSWORD_FILE="$T/pw-lan"
run 0 --home "$C" --user lan record new vi-du-tiep-dan --set ngay=02/03/2021 \
	--set "ho_ten=Lò Văn Páo" --set kenh=truc_tiep --set so_nguoi=10 --set so_hai_long=8 \
	--set phi=12,5
V=$(cat "$T/out")
run 0 --home "$C" --user lan record show "$V"
out_has "80,0%"
out_has "Không đạt"
out_has "12,5"
out_has "Lò Văn Páo"
# required when, and the rule with its own message
run 65 --home "$C" --user lan record set "$V" co_don=có
err_has "Ngày hẹn trả lời"
run 65 --home "$C" --user lan record set "$V" co_don=1 ngay_hen=01/03/2021
err_has "Ngày hẹn (01/03/2021) không được trước ngày tiếp (02/03/2021)"
run 0 --home "$C" --user lan record set "$V" co_don=1 ngay_hen=05/03/2021
run 65 --home "$C" --user lan record set "$V" so_nguoi=51
err_has "so_nguoi"

# A damaged form file: FILE:LINE, and no command runs on guessed forms.
printf 'field ghi_chu_2 textt 20\n  label X\n' >>"$T/data/forms/defs/vi-du.form"
run 78 --home "$C" --user lan record list
err_has "vi-du.form:"
err_has "textt"
run 65 form check "$T/data/forms/defs/vi-du.form"
err_has "vi-du.form:"
unset CCHC_DATADIR

# Help for every command, in both languages.
for cmd in init key enroll revoke user form record audit telex; do
	run 0 "$cmd" --help
	[ -s "$T/out" ] || fail "$cmd --help printed nothing"
done
run 0 --lang en record --help
out_has "Usage"
run 0 --help
out_has "Các lệnh"

# The Telex filter: old style by default, new style on request.
printf 'Vieejt Nam hoaf binhf, thuyr DDoongf Quys\n' >"$T/keys"
"$CCHC" telex <"$T/keys" >"$T/out" || fail "telex"
eq "$(cat "$T/out")" "Việt Nam hòa bình, thủy Đồng Quý" "telex, old style"
"$CCHC" telex --new-style <"$T/keys" >"$T/out" || fail "telex --new-style"
eq "$(cat "$T/out")" "Việt Nam hoà bình, thuỷ Đồng Quý" "telex, new style"
done_testing
