# cchc demo in a real terminal (tmux on a private socket, never the user's
# sessions): the first screen is the login of Xã Tân Trào with the demo's
# users and password; logging in as canbo shows the seeded home screen;
# Ctrl-N opens the next commune's node in the same program; a
# receiver ran on a free port of 127.0.0.1, the commune's server setting
# pointed at it, and it was stopped when the UI ended.  Whole screens are
# compared with tests/tui/expected/demo-*.screen (UPDATE_SCREENS=1 writes
# them).
. "$(dirname "$0")/../lib.sh"
command -v tmux >/dev/null || fail "tmux is missing (scripts/deps.sh installs it)"
E="$(cd "$(dirname "$0")" && pwd)/expected"
SOCK="cchc-test-$$"
cleanup_hook() { tmux -L "$SOCK" kill-server 2>/dev/null; }
tm() { tmux -L "$SOCK" "$@"; }
screen() { tm capture-pane -p -t ui >"$T/screen" 2>/dev/null; }
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		screen
		grep -qF -- "$1" "$T/screen" && { ok "screen shows '$1'"; return 0; }
		i=$((i + 1))
		sleep 0.05
	done
	cat "$T/screen" >&2
	fail "screen never showed '$1'"
}
compare() {
	[ -n "${UPDATE_SCREENS:-}" ] && cp "$T/screen" "$E/$1.screen"
	diff -u "$E/$1.screen" "$T/screen" >"$T/diff" || { cat "$T/diff" >&2; fail "screen $1 differs"; }
	ok "screen $1 as expected"
}
export HOME="$T/home" XDG_CACHE_HOME="$T/cache"
mkdir -p "$HOME"
run 0 demo --reset --no-ui
DEMO="$T/cache/cchc-demo"
tm -f /dev/null new-session -d -s ui -x 80 -y 24 \
	"env TERM=xterm-256color LC_ALL=C.UTF-8 HOME='$HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' \
	 CCHC_DATADIR='$CCHC_DATADIR' ESCDELAY=25 '$CCHC' demo; echo \$? >'$T/rc'; sleep 60"
wait_for "Trình diễn: canbo, lanhdao, quantri; mật khẩu demo1234"
compare demo-login
port=$(sed -n 's|^server = http://127.0.0.1:\([0-9]*\)$|\1|p' "$DEMO/communes/02545/node.conf")
[ -n "$port" ] && [ "$port" != 8750 ] || fail "the commune's server is not the demo's receiver"
ok "the commune sends to the demo's receiver on 127.0.0.1:$port"
grep -qF "http://127.0.0.1:$port" "$DEMO/receiver.log" || fail "no receiver listened on $port"
ok "the receiver listened on 127.0.0.1:$port"
tm send-keys -t ui -l "canbo"; tm send-keys -t ui Enter
tm send-keys -t ui -l "demo1234"; tm send-keys -t ui Enter
wait_for "Xin chào canbo."
wait_for "Sổ theo dõi hồ sơ:"
compare demo-home
# Ctrl-N: the next commune's node, without leaving the program; the top
# line names the node, and after the login the user.
tm send-keys -t ui C-n
wait_for " CCHC · Xã Thiện Kế"
tm send-keys -t ui -l "lanhdao"; tm send-keys -t ui Enter
tm send-keys -t ui -l "demo1234"; tm send-keys -t ui Enter
wait_for "Xin chào lanhdao."
head -1 "$T/screen" | grep -q "CCHC · Xã Thiện Kế  *lanhdao" || fail "the top line names node and user"
ok "the top line says Xã Thiện Kế, lanhdao"
grep -q "server = http://127.0.0.1:$port" "$DEMO/communes/02605/node.conf" ||
	fail "the next commune does not send to the demo's receiver"
ok "the next commune sends to the demo's receiver too"
# F12: the district's node (its screens), and F12 there back to the commune.
tm send-keys -t ui F12
wait_for " CCHC · Huyện Sơn Dương"
wait_for "Trình diễn: huyen, quantri; mật khẩu demo1234"
tm send-keys -t ui -l "huyen"; tm send-keys -t ui Enter
tm send-keys -t ui -l "demo1234"; tm send-keys -t ui Enter
wait_for "Bảng tiến độ"
head -1 "$T/screen" | grep -q "CCHC · Huyện Sơn Dương  *huyen" || fail "the district's top line"
ok "F12 opened the district's screens"
tm send-keys -t ui F12
wait_for " CCHC · Xã Thiện Kế"
ok "F12 on the district's home went back to the commune"
tm send-keys -t ui F10
i=0
while [ ! -s "$T/rc" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
eq "$(cat "$T/rc" 2>/dev/null)" 0 "cchc demo quit with 0"
grep -qF "đã dừng" "$DEMO/receiver.log" || fail "the receiver was not stopped"
ok "the receiver was stopped when the UI ended"
# A key script on a terminal: "pause" waits for the trainer's key, which
# only resumes the script (it does not reach the screen).
# The new session starts before the old one ends: killing the server's
# last session makes it exit, and a session started meanwhile can race it.
printf 'caption Bước 1: đăng nhập\npause\ntype canbo\nF10\n' >"$T/pause.keys"
rm -f "$T/rc"
tm -f /dev/null new-session -d -s ui2 -x 80 -y 24 \
	"env TERM=xterm-256color LC_ALL=C.UTF-8 HOME='$HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' \
	 CCHC_DATADIR='$CCHC_DATADIR' ESCDELAY=25 '$CCHC' demo --keys '$T/pause.keys'; \
	 echo \$? >'$T/rc'; sleep 60"
tm kill-session -t ui
tm rename-session -t ui2 ui
wait_for "Bước 1: đăng nhập"
sleep 0.3
[ ! -s "$T/rc" ] || fail "the script did not pause"
grep -q "Tên đăng nhập: *canbo" "$T/screen" && fail "keys after the pause were played before it"
ok "the script waits at pause"
tm send-keys -t ui Space
i=0
while [ ! -s "$T/rc" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
eq "$(cat "$T/rc" 2>/dev/null)" 0 "a key resumed the script, which ended the demo"
done_testing
