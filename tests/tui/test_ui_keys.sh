# UI tests through key scripts (--keys) and screen dumps (--dump-screen),
# headless at 80x24, compared with tests/tui/expected/*.screen, under
# TERM=xterm-256color, TERM=linux and NO_COLOR=1 (the dumps must not
# differ: looks never carry meaning alone).
#   report-officer  log in, fill a complete bao-cao-cchc 2021-Q1, save, submit
#   report-leader   the leader approves it
#   register        entries typed precomposed, decomposed and with Telex,
#                   found by searching without diacritics; sort by name
#   register-sorted the kept sort order follows an added and a changed entry
#   resize          an unsaved form at 60x20 and back: nothing lost, keys
#                   typed on the small screen held and applied after it;
#                   Ctrl-J in a one-line field is Enter
#   multiline       a narrative field: wrapped area, Up by visual line, resizes,
#                   Ctrl-J types a new line
#   tab             Tab / S-Tab: next / previous field, at login and in a form
#   home-2026       on 06/12/2026: the open period first with a deadline
#                   warning, then the past ones; a closed period's new report
#   login           no password; an unknown name answered as a wrong password
#   bad-input       wrong password, too long, 31/02, letters in a number,
#                   submit with required fields empty
#   fill            F7 over typed figures asks (old and new side by side),
#                   "c" answers nothing, Ctrl-Z undoes the fill; a register
#                   entry's save names it
#   field-rules     a used dossier code, a received date after today and a
#                   due date before it refused at the field
. "$(dirname "$0")/../lib.sh"
# The home screen offers the periods open today first: a fixed day (test
# builds read CCHC_NOW) keeps the screens the same whatever the date.
export CCHC_NOW=2021-02-01T09:00
K="$(cd "$(dirname "$0")" && pwd)/keys"
E="$(cd "$(dirname "$0")" && pwd)/expected"
unset NO_COLOR
export COLUMNS=80 LINES=24
# compare NAME: the dump against the expected screen.
compare() {
	# UPDATE_SCREENS=1 writes the expected screens (review them with git diff).
	[ -n "${UPDATE_SCREENS:-}" ] && cp "$T/run/$1.screen" "$E/$1.screen"
	if ! diff -u "$E/$1.screen" "$T/run/$1.screen" >"$T/diff"; then
		cat "$T/diff" >&2
		fail "screen $1 differs from tests/tui/expected/$1.screen ($variant)"
	fi
	echo "$1" >>"$T/compared"
	ok "screen $1 ($variant)"
}
ui() { # ui SCRIPT: run the UI on the commune node with a key script
	echo "$K/$1.keys" >>"$T/scripts"
	(cd "$T/run" && "$CCHC" --home "$C" --keys "$K/$1.keys" >"$T/out" 2>"$T/err") ||
		fail "cchc --keys $1.keys exited $? ($variant)"
	ok "cchc --keys $1.keys ($variant)"
}
for variant in xterm-256color linux NO_COLOR; do
	rm -rf "$T/district" "$T/commune" "$T/run"
	mkdir -p "$T/run"
	case $variant in
	NO_COLOR) export TERM=xterm-256color NO_COLOR=1 ;;
	*) export TERM=$variant; unset NO_COLOR ;;
	esac
	setup_nodes
	ui report-officer
	for s in report-saved report-submitted home-submitted; do compare $s; done
	ui report-leader
	for s in approve-ask approve-kept report-approved home-approved; do compare $s; done
	CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$C" --user lan record list bao-cao-cchc
	out_has "Đã duyệt – chờ gửi" # sealed at once (SPEC §8), but not sent: no receipt yet
	out_lacks "Đã gửi"
	run 0 --home "$C" sync status
	grep -q '^Lô chờ gửi: *1$' "$T/out" || fail "no batch waiting after the UI's approval"
	ok "the UI's approval sealed a batch for the district"
	# On 06/12/2026, on a commune of the 2025 model (Tân Trào of the 2021
	# list ended 30/06/2025); test_periods.sh has the command-line side.
	C21=$C
	rm -rf "$T/commune25" "$T/province25" "$XDG_DATA_HOME"
	CCHC_NOW=2026-12-06T08:00 setup_nodes_2025 "$T/commune25" "$T/province25"
	CCHC_NOW=2026-12-06T08:00 ui home-2026
	for s in home-2026 closed-2026 home-scrolled; do compare $s; done
	rm -rf "$XDG_DATA_HOME"
	C=$C21
	# The register's entries were received in March 2021: "today" is
	# 10/03/2021 for them (a received date after today is refused).
	before=$(ls "$C/outbox" | grep -c '\.ccb$')
	(export CCHC_NOW=2021-03-10T09:00; ui register) || exit 1
	# The entries saved one by one went out in one batch, sealed on leaving.
	after=$(ls "$C/outbox" | grep -c '\.ccb$')
	eq "$((after - before))" 1 "the register's saves in one session made one batch ($variant)"
	for s in list-all entry-telex search-nguyen search-tran sort-name; do compare $s; done
	CCHC_NOW=2021-03-10T09:00 CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$C" --user lan record list so-theo-doi-ho-so \
		--search "nguyen thi hong nhung" --format csv
	[ "$(grep -c 'Nguyễn Thị Hồng Nhung' "$T/out")" -eq 2 ] || fail "decomposed name not stored in NFC"
	ok "precomposed and decomposed names are the same text"
	(export CCHC_NOW=2021-03-10T09:00; ui register-sorted) || exit 1
	for s in sort-added sort-changed; do compare $s; done
	ui resize
	for s in resize-before resize-small resize-held resize-after resize-ask resize-kept \
		resize-saved; do
		compare $s
	done
	grep -q "Đã giữ 8 phím" "$T/run/resize-held.screen" || fail "the small screen does not count held keys"
	# The field being typed, then the keys typed at 60x20 (a space, "(sửa",
	# Backspace, "a)"), in order; nothing else on the screen changed.
	grep -q "Lê Thị Ngọc Ánh đang gõ dở (sửa)" "$T/run/resize-after.screen" ||
		fail "the keys typed on the small screen were not applied in order"
	sed 's/ (sửa)//' "$T/run/resize-after.screen" | cmp -s "$T/run/resize-before.screen" - ||
		fail "the form changed across a resize"
	ok "every typed character kept across 60x20, the held keys applied after it"
	ui tab
	compare tab-form
	ui bad-input
	for s in bad-password bad-too-long bad-date bad-number bad-submit bad-saved; do compare $s; done
	ui login
	for s in login-empty login-unknown; do compare $s; done
	[ "$(tail -2 "$T/run/login-unknown.screen")" = "$(tail -2 "$T/run/bad-password.screen")" ] ||
		fail "an unknown name and a wrong password are told apart"
	ok "an unknown name gets the wrong password's message"
	ui multiline
	for s in multiline-typed multiline-up multiline-wide multiline-back multiline-newline \
		multiline-saved; do
		compare $s
	done
	CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$C" --user lan record list bao-cao-cchc \
		--period 2021-Y --format json
	# Every typed letter is in the saved text, the insert where the cursor
	# was (two visual lines up, same column), [B] (typed on the too-small
	# screen, held) right after it, then a new line (Ctrl-J) and a line.
	grep -qF 'Rà soát, hệ thống hóa văn bản quy phạm pháp luật của xã; kiểm tra việc thực hiện thủ tục hành chính tại Bộ phận Một cửa; niêm yết công khai đầy đủ các thủ tục; tiếp nh[A][B]ận và giải quyết hồ sơ đúng hạn cho người dân và doanh nghiệp trên địa bàn xã.\nKết quả: đạt.' "$T/out" ||
		fail "the narrative text was not saved exactly"
	ok "multi-line text saved exactly, inserts where the cursor was"
	ui fill
	for s in fill-ask fill-ask-c fill-kept fill-done fill-undone fill-saved entry-saved; do
		compare $s
	done
	CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$C" --user lan record list bao-cao-cchc \
		--period 2021-H1 --format json
	grep -q '"tong_tiep_nhan":4,' "$T/out" || fail "F7 then Ctrl-S did not save the register's figure"
	ok "the register's figures saved after F7 was confirmed"
	# The clock of a test build (CCHC_NOW): "today" is 10/03/2021 there.
	(export CCHC_NOW=2021-03-10T09:00; ui field-rules) || exit 1
	for s in rule-unique rule-future rule-due; do compare $s; done
done
# Every screen this test's key scripts dump is compared (a dump nobody reads
# tests nothing; test_ui_district.sh runs the district's scripts), and every
# expected screen is one a script makes.
for name in $(sort -u "$T/scripts" | xargs sed -n 's/^dump \(.*\)\.screen$/\1/p'); do
	grep -qx "$name" "$T/compared" || fail "$name.screen is dumped but never compared"
done
for f in "$E"/*.screen; do
	name=$(basename "$f" .screen)
	grep -qx "dump $name.screen" "$K"/*.keys ||
		grep -q "^compare $name\$" "$(dirname "$K")"/test_demo_tmux.sh ||
		fail "tests/tui/expected/$name.screen: no key script dumps it"
done
ok "every dumped screen is compared with its expected screen"
# A bad key script is refused before the terminal starts, with FILE:LINE.
printf 'Enter\nF99\n' >"$T/bad.keys"
run 64 --home "$C" --keys "$T/bad.keys"
err_has "bad.keys:2: unknown key"
done_testing
