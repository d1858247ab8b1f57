# The district's screens on real data: commune nodes made through the CLI
# send their batches to a real receiver on 127.0.0.1 (tests/sync/lib.sh);
# then the district UI, driven by key scripts (headless, 80x24 and
# 200x50) and in tmux (a real terminal): the inbox lists the stored
# batches by commune, import shows its progress and each outcome
# (imported, waiting for an earlier one, refused with its reason), and a
# refused batch stays listed with its reason; the board shows who sent on
# time (Vĩnh Lợi, Đ) and late (Tân Trào, M); a drill-down shows Tân
# Trào's report with its two revisions (the latest counts), each read-only,
# and its register entries with the commune column; the indicators and a
# bar chart; an export from the screen.  Dumped screens are compared
# with tests/tui/expected/district-*.screen, under TERM=xterm-256color,
# TERM=linux and NO_COLOR=1 (they must not differ).
. "$(dirname "$0")/../sync/lib.sh"
K="$(cd "$(dirname "$0")" && pwd)/keys"
E="$(cd "$(dirname "$0")" && pwd)/expected"
export COLUMNS=80 LINES=24
compare() {
	[ -n "${UPDATE_SCREENS:-}" ] && cp "$T/run/$1.screen" "$E/$1.screen"
	if ! diff -u "$E/$1.screen" "$T/run/$1.screen" >"$T/diff"; then
		cat "$T/diff" >&2
		fail "screen $1 differs from tests/tui/expected/$1.screen ($variant)"
	fi
	ok "screen $1 ($variant)"
}
dui() { # dui SCRIPT: the UI on the district node with a key script
	(cd "$T/run" && "$CCHC" --home "$D" --keys "$K/$1.keys" >"$T/out" 2>"$T/err") ||
		fail "cchc --keys $1.keys exited $? ($variant)"
	ok "cchc --keys $1.keys on the district ($variant)"
}
# stamp DIR TIME: the receiver's files get a fixed time (the screens show
# it, and import takes it as the district's receipt time).
stamp() { find "$1" -name '*.ccb' -exec touch -d "$2 +0700" {} + ; }

# Tân Trào: an approved 2021-Q1 report (batch 1), then a register entry
# (batch 2).  Vĩnh Lợi: an approved report (batch 1).  The communes' clock
# says 5 March 2021 (the screens show the approval times).
export CCHC_NOW=2021-03-05T10:00
sync_setup
make_report "$C" lan hung
REPORT_C=$REPORT
as_lan_c 0 record new so-theo-doi-ho-so --set so_thu_tu=1 --set "ma_ho_so=HS-1" \
	--set "thu_tuc=Chứng thực" --set "linh_vuc=Chứng thực" --set "chu_ho_so=Nguyễn Văn Tèo" \
	--set ngay_tiep_nhan=2021-02-01 --set ngay_hen_tra=2021-02-03 --set kenh_nop=truc_tiep \
	--set trang_thai=moi_tiep_nhan
make_report "$C2" lan2 hung2
start_receiver "$D"
# Tân Trào's batch 2 arrives alone: it must wait for batch 1.
b2=$(ls "$C"/outbox/*-00000002.ccb)
helper put "$URL" "$b2" >"$T/put"; grep -q '^201 ' "$T/put" || fail "put batch 2: $(cat "$T/put")"
as_c2 0 sync push --server "$URL"
stop_receiver
# A batch re-signed by Vĩnh Lợi with its own header: the receiver checks the
# signature only and stores it; import cannot open it and refuses it.
helper resign "$(ls "$C"/outbox/*-00000001.ccb)" "$T/forged.ccb" "$C2" lan2 officer-pw-2 own ||
	fail "resign"
stamp "$D/inbox" "2021-03-09 17:00"
# Each variant starts from here: the district, Tân Trào and its restore
# mark (so that the copy put back is not taken for a restored node).
cp -a "$D" "$T/district-0"; cp -a "$C" "$T/commune-0"; cp -a "$XDG_STATE_HOME" "$T/state-0"

for variant in xterm-256color linux NO_COLOR; do
	case $variant in
	NO_COLOR) export TERM=xterm-256color NO_COLOR=1 ;;
	*) export TERM=$variant; unset NO_COLOR ;;
	esac
	rm -rf "$D" "$C" "$T/run" "$XDG_STATE_HOME"
	cp -a "$T/district-0" "$D"; cp -a "$T/commune-0" "$C"; cp -a "$T/state-0" "$XDG_STATE_HOME"
	mkdir -p "$T/run"
	dui district-inbox
	for s in district-home district-inbox district-inbox-end district-imported district-help; do
		compare $s
	done
	# Tân Trào's leader reopens the report, the officer corrects a figure
	# and it is approved again (revision 2, batch 3); batch 1 and the rest
	# reach the district later (after the deadline), by the network.
	export CCHC_NOW=2021-03-10T09:00
	as_hung_c 0 record reopen "$REPORT_C"
	as_lan_c 0 record set "$REPORT_C" buu_chinh_tu=30
	as_lan_c 0 record submit "$REPORT_C"
	as_hung_c 0 record approve "$REPORT_C"
	start_receiver "$D"
	as_c 0 sync push --server "$URL"
	helper put "$URL" "$T/forged.ccb" >"$T/put"
	grep -q '^201 ' "$T/put" || fail "put forged: $(cat "$T/put")"
	stop_receiver
	stamp "$D/inbox" "2021-03-11 15:30"
	export CCHC_NOW=2021-03-05T10:00
	dui district-inbox2
	for s in district-imported2 district-board district-board-wide district-board-end district-report \
		district-revision district-revision1 district-register \
		district-indic district-chart district-chart-name district-export-ask district-exported district-export-failed; do
		compare $s
	done
	# The CSV export (a name ending in .csv) is the very file cchc export
	# writes; a failed one (no such directory) left no file.
	as_d 0 export --period 2021-Q1 --format csv --out "$T/cli.csv"
	cmp -s "$T/cli.csv" "$T/run/cchc-2021-Q1.csv" || fail "the screen's CSV differs from cchc export's"
	ok "the screen's CSV export equals cchc export --format csv"
	[ ! -e /nonexistent/dir/q1.xlsx ] || fail "a failed export left a file"
	# Trả lại: the district returns Tân Trào's report from its screen; the
	# return reaches the commune by its next push and shows on its home.
	dui district-return
	for s in district-return-ask district-returned district-board-returned; do compare $s; done
	as_d 0 status --period 2021-Q1 --format csv
	grep -q '^02545,.*returned' "$T/out" || fail "status does not say Tân Trào's report was returned"
	ok "cchc status: Tân Trào returned"
	start_receiver "$D"
	as_c 0 sync push --server "$URL"
	stop_receiver
	(cd "$T/run" && "$CCHC" --home "$C" --keys "$K/commune-returned.keys" >"$T/out" 2>"$T/err") ||
		fail "commune UI after the return ($variant)"
	compare commune-home-returned
	grep -q "Số liệu chưa khớp sổ; đề nghị xã rà soát." "$T/run/commune-home-returned.screen" ||
		fail "the commune does not show the district's reason"
	ok "the return reached the commune and shows there with its reason"
	[ "$(head -c 2 "$T/run/cchc-2021-Q1.xlsx")" = "PK" ] || fail "the export is not an XLSX file"
	ok "the export from the screen wrote cchc-2021-Q1.xlsx"

	as_d 0 record list --format csv
	count_unit 02545 2
	count_unit 02548 1
	[ -n "$(ls "$D/rejected/"*.ccb.reason 2>/dev/null)" ] || fail "the refused batch is not in rejected/"
	ok "the refused batch was kept in rejected/ with its reason"
done

# A province of 1,000 communes (a generated unit list under unit 99): the
# board opens and scrolls at 80x24 (PgDn, End), in Vietnamese order.
P="$T/province-data"
mkdir -p "$P/data/units" "$P/forms"
ln -s "$CCHC_DATADIR/forms/defs" "$P/forms/defs"
awk 'BEGIN {
	split("An Bình Cát Đông Hòa Lạc Minh Phú Quang Sơn Tân Thượng Trung Vĩnh Yên", a, " ")
	print "code,name,kind,parent,valid_from,valid_to,list_version"
	print "99,Huyện Thử Nghiệm,Huyện,98,2020-01-01,,GSO-2021"
	for (i = 0; i < 1000; i++)
		printf "%05d,Xã %s %s %d,Xã,99,2020-01-01,,GSO-2021\n", 90000 + i, a[i % 15 + 1],
			a[int(i / 15) % 15 + 1], int(i / 225)
}' >"$P/data/units/province.csv"
CCHC_DATADIR="$P" CCHC_PASSWORD_FILE="$T/pw-admin" "$CCHC" --home "$T/province" init district \
	--unit 99 --admin admin >/dev/null || fail "init a district of 1,000 communes"
rm -rf "$T/run"; mkdir -p "$T/run"
(cd "$T/run" && CCHC_DATADIR="$P" "$CCHC" --home "$T/province" --keys "$K/district-board-1000.keys" \
	>"$T/out" 2>"$T/err") || fail "the board of 1,000 communes"
for s in district-board-1000-pgdn district-board-1000-end; do compare $s; done
grep -q "Bảng tiến độ: 1.000 xã, 28 kỳ báo cáo" "$T/run/district-board-1000-end.screen" ||
	fail "the board does not count 1,000 communes"
ok "the board of 1,000 communes scrolls to its last one"
done_testing
