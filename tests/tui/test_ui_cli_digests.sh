# A register filled by the command line: each `cchc record` save keeps the
# UI's sealed digests and kept sort orders current (tui_index_note_save),
# so the UI's login opens the list without building them from the records
# ($CCHC_TUI_TIMES: index_rebuilt 0, index_records_read 0), and the sort
# orders, started with the node's first entry, follow the CLI's additions
# and changes without ever being computed (index_sorted_now 0); the
# digests stay sealed (no name in clear).
. "$(dirname "$0")/../lib.sh"
# The home screen offers the periods open today first: a fixed day (test
# builds read CCHC_NOW) keeps the screens the same whatever the date; a
# day after the entries' received dates (01-09/03/2021).
export CCHC_NOW=2021-03-20T09:00
export COLUMNS=80 LINES=24 TERM=xterm-256color
setup_nodes
export CCHC_PASSWORD_FILE="$T/pw-lan"
mkdir -p "$T/run"
n=0
add() { # add NAME: a register entry saved by the CLI; its id in $T/id.N
	n=$((n + 1))
	run 0 --home "$C" --user lan record new so-theo-doi-ho-so --set so_thu_tu=$n \
		--set "ma_ho_so=H59.36-210104-$n" --set "thu_tuc=Đăng ký khai sinh" \
		--set "linh_vuc=Hộ tịch" --set "chu_ho_so=$1" --set "dia_chi=Thôn Tân Lập" \
		--set "dien_thoai=091234567$n" --set kenh_nop=truc_tiep --set ngay_tiep_nhan=2021-03-0$n \
		--set ngay_hen_tra=2021-03-1$n --set trang_thai=moi_tiep_nhan
	cp "$T/out" "$T/id.$n"
}
ui() { # ui NAME: log in, the register list, sort by the applicant, dumps NAME-*.screen
	cat >"$T/$1.keys" <<KEYS
type lan
Enter
type officer-pw-1
Enter
F4
dump $1-list.screen
F6
dump $1-sorted.screen
F10
KEYS
	(cd "$T/run" && CCHC_TUI_TIMES="$T/$1.times" "$CCHC" --home "$C" --keys "$T/$1.keys" \
		>"$T/out" 2>"$T/err") || fail "cchc --keys $1.keys exited $?"
}
times_has() { # times_has NAME LINE
	grep -qx "$2" "$T/$1.times" || fail "$1: no '$2' in the UI's times: $(cat "$T/$1.times")"
	ok "$1: $2"
}
# In order: the first on an empty node (no digests yet), then two more.
add "Trần Văn Bình"
add "Nguyễn Thị Lan"
add "Bùi Văn An"
ui first
times_has first "index_rebuilt 0"
times_has first "index_records_read 0"
# The orders were started with the node's first entry: none is computed.
times_has first "index_sorted_now 0"
for name in "Trần Văn Bình" "Nguyễn Thị Lan" "Bùi Văn An"; do
	grep -qF "$name" "$T/run/first-list.screen" || fail "$name not on the list"
done
ok "the list shows the CLI's three entries"
# Sorted by the applicant in Vietnamese order: Bùi, Nguyễn, Trần.
order() { grep -oE "Bùi Văn An|Đỗ Thị Hà|Lê Văn Cường|Nguyễn Thị Lan|Trần Văn Bình|Vũ Thị Yến" "$1" | tr '\n' '|'; }
eq "$(order "$T/run/first-sorted.screen")" "Bùi Văn An|Nguyễn Thị Lan|Trần Văn Bình|" \
	"sorted by applicant"
# The order is kept now.  The CLI adds two, renames one and deletes one.
add "Đỗ Thị Hà"
add "Vũ Thị Yến"
run 0 --home "$C" --user lan record set "$(cat "$T/id.1")" "chu_ho_so=Lê Văn Cường"
run 0 --home "$C" --user lan record delete "$(cat "$T/id.2")"
ui second
times_has second "index_rebuilt 0"
times_has second "index_records_read 0"
times_has second "index_sorted_now 0"
eq "$(order "$T/run/second-sorted.screen")" "Bùi Văn An|Đỗ Thị Hà|Lê Văn Cường|Vũ Thị Yến|" \
	"the kept order follows the CLI's saves (Đ after B, Lê moved, Nguyễn deleted)"
# Nothing about a record in clear on disk (SPEC §8), digests included.
for secret in "Bùi Văn An" "Đỗ Thị Hà" "Cường" "H59.36-210104" "0912345674"; do
	! grep -rqaF -- "$secret" "$C" || fail "'$secret' in clear under the node"
done
ok "no name, code or phone in clear under the node"
done_testing
