# The form's steps that undo something, through key scripts and whole
# screens (tests/tui/expected/steps-*.screen): F3 Mở lại on an approved
# report (leader) makes draft revision 2, as `record reopen` does; F8 Xóa
# on a register entry (officer) leaves a tombstone, as `record delete`
# does.  Both ask first; a typed letter and Enter/Esc keep.
. "$(dirname "$0")/../sync/lib.sh"
export CCHC_NOW=2021-03-12T09:00
export COLUMNS=80 LINES=24 TERM=xterm-256color
unset NO_COLOR
K="$(cd "$(dirname "$0")" && pwd)/keys"
E="$(cd "$(dirname "$0")" && pwd)/expected"
setup_nodes
make_report "$C" lan hung
mkdir -p "$T/run"
ui() { # ui SCRIPT
	(cd "$T/run" && "$CCHC" --home "$C" --keys "$K/$1.keys" >"$T/out" 2>"$T/err") ||
		fail "cchc --keys $1.keys exited $?: $(cat "$T/err")"
	ok "cchc --keys $1.keys"
}
compare() {
	[ -n "${UPDATE_SCREENS:-}" ] && cp "$T/run/$1.screen" "$E/$1.screen"
	diff -u "$E/$1.screen" "$T/run/$1.screen" >&2 || fail "screen $1 differs from tests/tui/expected/$1.screen"
	ok "screen $1"
}
ui steps-reopen
for s in steps-report steps-reopen-ask steps-reopen-kept steps-reopened steps-home; do compare $s; done
as_lan_c 0 record list bao-cao-cchc --period 2021-Q1 --format json
grep -q '"state":"draft"' "$T/out" && grep -q '"revision":2' "$T/out" ||
	fail "the report is not draft revision 2 after F3: $(cat "$T/out")"
ok "F3 reopened the report as draft revision 2"
CCHC_PASSWORD_FILE="$T/pw-qt" run 0 --home "$C" --user qt audit list
out_has "reopen"
as_lan_c 0 record new so-theo-doi-ho-so --set so_thu_tu=1 --set ma_ho_so=H59.36-210104-1 \
	--set "thu_tuc=Đăng ký khai sinh" --set "linh_vuc=Hộ tịch" --set "chu_ho_so=Trần Văn Bình" \
	--set "dia_chi=Thôn Tân Lập" --set dien_thoai=0912345671 --set kenh_nop=truc_tiep \
	--set ngay_tiep_nhan=2021-03-01 --set ngay_hen_tra=2021-03-11 --set trang_thai=moi_tiep_nhan
ENTRY=$(cat "$T/out")
ui steps-delete
for s in steps-entry steps-delete-ask steps-delete-kept steps-deleted; do compare $s; done
as_lan_c 0 record list so-theo-doi-ho-so --format csv
out_lacks "Trần Văn Bình"
as_lan_c 0 record show "$ENTRY"
out_has "ĐÃ XÓA"
done_testing
