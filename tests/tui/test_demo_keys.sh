# cchc demo driven by a key script (headless): a caption line per step on
# the status line, pause (no wait without a terminal), --show-keys naming
# the key, and the script going on across nodes (Ctrl-N: the next commune
# opens in the same program, and the script continues there).  A bad
# caption or pause is refused as FILE:LINE before anything starts.
. "$(dirname "$0")/../lib.sh"
export HOME="$T/home" XDG_CACHE_HOME="$T/cache" COLUMNS=80 LINES=24
mkdir -p "$HOME"
run 0 demo --reset --no-ui
cat >"$T/tour.keys" <<KEYS
caption Bước 1: đăng nhập bằng tài khoản cán bộ xã
pause
dump $T/s1
type canbo
Enter
type demo1234
Enter
caption Bước 2: màn hình chính của Xã Tân Trào
pause 5000
dump $T/s2
C-n
caption Bước 3: sang xã tiếp theo, không rời chương trình
dump $T/s3
F10
KEYS
t0=$(date +%s)
run 0 demo --keys "$T/tour.keys" --show-keys
[ $(($(date +%s) - t0)) -lt 5 ] || fail "a pause waited without a terminal"
ok "pause does not wait without a terminal"
eq "$(sed -n 23p "$T/s1")" "Bước 1: đăng nhập bằng tài khoản cán bộ xã" "step 1's caption on the status line"
grep -qF "Trình diễn: canbo, lanhdao, quantri; mật khẩu demo1234" "$T/s1" || fail "no demo hint"
ok "the login shows the demo's users and password"
sed -n 23p "$T/s2" | grep -q "^Bước 2: màn hình chính của Xã Tân Trào  *\[Enter\]$" ||
	fail "step 2: caption and the key shown: $(sed -n 23p "$T/s2")"
ok "step 2's caption, and --show-keys names the last key"
grep -qF "Sổ theo dõi hồ sơ: 278 hồ sơ" "$T/s2" || fail "Tân Trào's home"
ok "Tân Trào's home screen with its register"
grep -qF "F12 Đổi nút" "$T/s2" || fail "the demo's node key is not on the key bar"
ok "F12 Đổi nút on the demo's key bar"
eq "$(sed -n 1p "$T/s3" | sed 's/ *$//')" " CCHC · Xã Thiện Kế" "Ctrl-N: the next commune, same script"
eq "$(sed -n 23p "$T/s3")" "Bước 3: sang xã tiếp theo, không rời chương trình" "step 3's caption"
printf 'caption ok\npause soon\n' >"$T/bad.keys"
run 64 demo --keys "$T/bad.keys"
err_has "bad.keys:2: pause takes nothing or a time in ms"
printf 'caption a\033[31mb\n' >"$T/bad2.keys"
run 64 demo --keys "$T/bad2.keys"
err_has "bad2.keys:1: a caption must be UTF-8 text without control characters"
done_testing
