# init asks which list on a terminal when several installed lists have the
# code valid today: tmux on a private socket, the answers typed when the
# prompts show (polled, never a bare sleep).
. "$(dirname "$0")/../lib.sh"
command -v tmux >/dev/null || fail "tmux is missing (scripts/deps.sh installs it)"
SOCK="cchc-units-$$"
cleanup_hook() { tmux -L "$SOCK" kill-server 2>/dev/null; }
tm() { tmux -L "$SOCK" "$@"; }
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		tm capture-pane -p -t ui >"$T/screen" 2>/dev/null
		grep -qF -- "$1" "$T/screen" && { ok "terminal shows '$1'"; return 0; }
		i=$((i + 1))
		sleep 0.05
	done
	cat "$T/screen" >&2
	fail "terminal never showed '$1'"
}
unset CCHC_INIT_ON
export CCHC_NOW=2026-12-03T09:00
SAMPLE="$CCHC_DATADIR/data/units-sample/tuyen-quang-2025-mau.csv"
run 0 units import "$SAMPLE"
sed 's/SAMPLE-TQ-2025/SAMPLE-TQ-2025B/' "$SAMPLE" >"$T/tq-b.csv"
run 0 units import "$T/tq-b.csv"
pw "$T/pw-p" "province-admin-pw" "province-admin-pw"
CCHC_PASSWORD_FILE="$T/pw-p" run 0 --home "$T/p" init province --unit 08 --units SAMPLE-TQ-2025B \
	--admin admin
run 0 --home "$T/p" key export "$T/p.id"
tm -f /dev/null new-session -d -s ui -x 100 -y 30 \
	"env LC_ALL=C.UTF-8 CCHC_PWCOST=min CCHC_NOW=$CCHC_NOW CCHC_DATADIR='$CCHC_DATADIR' \
	 XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
	 '$CCHC' --home '$T/c' init commune --unit 02536 --district-key '$T/p.id' --admin qt; \
	 echo \$? >'$T/rc'; sleep 60"
wait_for "Mã 02536 có trong nhiều danh mục có hiệu lực ngày 03/12/2026:"
wait_for "2) SAMPLE-TQ-2025B  Xã Sơn Dương"
wait_for "Chọn danh mục (1-2):"
tm send-keys -t ui -l "2"; tm send-keys -t ui Enter
wait_for "(c/k)"
tm send-keys -t ui -l "c"; tm send-keys -t ui Enter
wait_for "Mật khẩu mới"
tm send-keys -t ui -l "commune-admin-pw"; tm send-keys -t ui Enter
wait_for "Nhập lại"
tm send-keys -t ui -l "commune-admin-pw"; tm send-keys -t ui Enter
wait_for "Đã tạo nút Xã Sơn Dương"
i=0
while [ ! -s "$T/rc" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
eq "$(cat "$T/rc")" 0 "init exited 0"
grep -q "^unit_list = SAMPLE-TQ-2025B$" "$T/c/node.conf" || fail "the list picked is not kept"
ok "the list picked on the terminal is the node's"
tm kill-session -t ui

# The UI refuses a new report for a period before the unit existed (the
# 2021 periods, a commune of 01/07/2025), as record new does.
pw "$T/pw-add" "commune-admin-pw" "officer-pw-1"
CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$T/c" --user qt user add lan --role canbo
tm -f /dev/null new-session -d -s ui -x 100 -y 30 \
	"env TERM=xterm-256color LC_ALL=C.UTF-8 CCHC_PWCOST=min CCHC_NOW=$CCHC_NOW \
	 CCHC_DATADIR='$CCHC_DATADIR' XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
	 ESCDELAY=25 '$CCHC' --home '$T/c'; sleep 60"
wait_for "Tên đăng nhập"
tm send-keys -t ui -l "lan"; tm send-keys -t ui Enter
tm send-keys -t ui -l "officer-pw-1"; tm send-keys -t ui Enter
wait_for "Xin chào lan."
tm send-keys -t ui Enter
wait_for "có hiệu lực 01/07/2025–…; không lập được báo cáo kỳ Quý I"
pw "$T/pw-lan" "officer-pw-1"
CCHC_PASSWORD_FILE="$T/pw-lan" run 0 --home "$T/c" --user lan record list --format csv
eq "$(grep -c bao-cao-cchc "$T/out")" 0 "no report was made"
done_testing
