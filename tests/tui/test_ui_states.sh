# The home screen's report states say what is known: an approved report
# is "Đã duyệt – chờ gửi" while its batch is only sealed; after an
# unattended `sync push` to a real receiver on 127.0.0.1 (its receipt:
# stored) the next login shows "Đã gửi"; after the district's import and
# its receipts carried back by USB, "Đã tiếp nhận".
. "$(dirname "$0")/../sync/lib.sh"
# A day after the report's date (05/03/2021) and before Q1's window ends:
# Quý I năm 2021 is on the first screen of home whatever today is.
export CCHC_NOW=2021-03-12T09:00
export COLUMNS=80 LINES=24
unset NO_COLOR
export TERM=xterm-256color
sync_setup
make_report "$C" lan hung
printf 'type lan\nEnter\ntype officer-pw-1\nEnter\ndump %s\nF10\n' "$T/home.screen" >"$T/home.keys"
home_state() { # home_state WANT: log in, the Quý I line of home shows WANT
	"$CCHC" --home "$C" --keys "$T/home.keys" >"$T/out" 2>"$T/err" || fail "cchc --keys exited $?"
	line=$(grep "Quý I năm 2021" "$T/home.screen")
	case $line in
	*"$1") ok "home: Quý I năm 2021 · $1" ;;
	*) cat "$T/home.screen" >&2; fail "home shows '$line', wanted '$1'" ;;
	esac
}
home_state "Đã duyệt – chờ gửi"
start_receiver "$D"
run 0 --home "$C" sync push --server "$URL"
out_has "Đã gửi xong"
home_state "Đã gửi"
stop_receiver
as_d 0 import
run 0 --home "$C" sync receipts "$D/receipts/02545.ccr"
home_state "Đã tiếp nhận"
done_testing
