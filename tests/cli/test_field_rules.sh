# Field rules the CLI and the UI share (forms/): a dossier code already
# used by another live entry is refused (`unique`), a received date after
# today is refused (`..today`, Vietnam time; CCHC_NOW sets the clock in
# test builds), a due date before the received date is refused (a rule).
# The UI side is in tests/tui/keys/field-rules.keys.
. "$(dirname "$0")/../lib.sh"
setup_nodes
as_lan() { want=$1; shift; CCHC_PASSWORD_FILE="$T/pw-lan" run "$want" --home "$C" --user lan "$@"; }
export CCHC_NOW=2021-03-10T09:00
new_entry() { # new_entry RC CODE RECEIVED DUE
	want=$1; shift
	CCHC_PASSWORD_FILE="$T/pw-lan" "$CCHC" --home "$C" --user lan record new so-theo-doi-ho-so \
		--set "ma_ho_so=$1" --set "thu_tuc=Đăng ký khai sinh" --set "linh_vuc=Hộ tịch" \
		--set "chu_ho_so=Nguyễn Văn An" --set kenh_nop=truc_tiep --set "ngay_tiep_nhan=$2" \
		--set "ngay_hen_tra=$3" --set trang_thai=dang_giai_quyet >"$T/out" 2>"$T/err" </dev/null
	got=$?
	[ "$got" -eq "$want" ] || fail "record new $1 $2 $3 exited $got, wanted $want"
	ok "record new $1 $2 $3 -> $want"
}
new_entry 0 HS-001 10/03/2021 12/03/2021
id=$(cat "$T/out")
new_entry 65 HS-001 09/03/2021 12/03/2021
err_has 'Đã có hồ sơ khác với Mã hồ sơ "HS-001"'
new_entry 65 HS-002 11/03/2021 12/03/2021
err_has "không thể sau hôm nay (10/03/2021)"
new_entry 65 HS-003 10/03/2021 09/03/2021
err_has "không được trước ngày tiếp nhận"
# The entry itself may keep its code; a deleted entry's code is free again.
as_lan 0 record set "$id" ma_ho_so=HS-001 so_luong=2
as_lan 0 record delete "$id"
new_entry 0 HS-001 10/03/2021 12/03/2021
# The next day, the 11th is no longer in the future.
CCHC_NOW=2021-03-11T08:00 new_entry 0 HS-002 11/03/2021 12/03/2021
done_testing
