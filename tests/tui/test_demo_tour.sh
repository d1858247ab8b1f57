# The shipped guided tour (data/demo/tour.keys) played by `cchc demo
# --keys` on a fresh demo: it runs to its end (F10, exit 0) without a
# refused line, every pause shows its step's caption, and the screens at
# the main steps (the Q3 report filled from the register, the district's
# home, its board and its indicators) are whole screens compared with
# tests/tui/expected/demo-tour-*.screen (UPDATE_SCREENS=1 writes them).
. "$(dirname "$0")/../lib.sh"
E="$(cd "$(dirname "$0")" && pwd)/expected"
TOUR="$CCHC_DATADIR/data/demo/tour.keys"
[ -f "$TOUR" ] || fail "no $TOUR"
export HOME="$T/home" XDG_CACHE_HOME="$T/cache" COLUMNS=80 LINES=24
mkdir -p "$HOME"
run 0 demo --reset --no-ui
# A dump at every pause (sN is the screen at the N-th pause).
awk -v d="$T" '/^pause/{print "dump " d "/s" ++n}{print}' "$TOUR" >"$T/tour.keys"
n=$(grep -c '^pause' "$TOUR")
[ "$n" -ge 10 ] || fail "the tour has only $n pauses"
run 0 demo --keys "$T/tour.keys"
i=1
while [ $i -le "$n" ]; do
	[ -f "$T/s$i" ] || fail "the tour stopped before pause $i"
	i=$((i + 1))
done
ok "the tour played to its end ($n pauses)"
eq "$(sed -n 23p "$T/s1")" "Bước 1: đăng nhập Xã Tân Trào: cán bộ canbo, mật khẩu demo1234" \
	"step 1's caption on the login screen"
grep -qF "Trình diễn: canbo, lanhdao, quantri; mật khẩu demo1234" "$T/s1" || fail "no demo hint"
ok "the login shows the demo's users and password"
compare() {
	[ -n "${UPDATE_SCREENS:-}" ] && cp "$T/s$2" "$E/$1.screen"
	diff -u "$E/$1.screen" "$T/s$2" >"$T/diff" || { cat "$T/diff" >&2; fail "screen $1 differs"; }
	ok "screen $1 as expected"
}
# Pause numbers in tour.keys: 5 after F7, 10 district home, 12 board, 14 indicators.
compare demo-tour-home 2
compare demo-tour-fetched 5
compare demo-tour-district 10
compare demo-tour-board 12
compare demo-tour-indicators 14
grep -qF "Đã lấy số liệu từ 278 hồ sơ" "$T/s5" || fail "F7 did not fill from the register"
ok "the report's figures come from Tân Trào's register"
grep -qF "Bảng tiến độ: 31 xã" "$T/s12" || fail "the board lacks the 31 communes"
ok "the district board shows 31 communes"
eq "$(sed -n 23p "$T/s$n")" "Hết phần hướng dẫn. F10 để thoát." "the last caption"
done_testing
