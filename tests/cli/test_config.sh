#!/bin/sh
# `cchc config show|set` and the settings' command-line options:
#  - defaults shown as such; each key set, read back, written to node.conf
#    (a file init wrote and one edited by hand both stay readable);
#  - every bad value refused with exit 65 and node.conf byte for byte as
#    it was; an unknown key exit 64; a bad option value exit 64;
#  - lang in node.conf speaks the node's language unless --lang or
#    $CCHC_LANG says otherwise;
#  - warn_days from node.conf and --warn-days (also --warn-days=N) change
#    sync status's deadline warning;
#  - telex in node.conf (or --telex) opens the UI with Telex on, in its style.
. "$(dirname "$0")/../lib.sh"
setup_nodes

run 0 --home "$C" config show
out_has "server    = http://127.0.0.1:8750"
out_has "lang      = vi  (mặc định)"
out_has "telex     = off  (mặc định)"
out_has "colour    = auto  (mặc định)"
out_has "warn_days = 5  (mặc định)"
run 0 --home "$C" --lang en config show
out_has "warn_days = 5  (default)"

# --- bad values: 65, nothing written
cp "$C/node.conf" "$T/conf0"
bad() { run 65 --home "$C" config set "$1" "$2"; err_has "Không ghi gì vào node.conf"; }
bad server x; bad server http://host:0; bad server https://; bad server 'http://h"x'
bad server "http://a.vn/$(printf '%0300d' 0)"; bad server 'http://user@host/'
bad lang fr; bad telex yes; bad colour red
bad warn_days 367; bad warn_days -1; bad warn_days 5d; bad warn_days ''
cmp -s "$C/node.conf" "$T/conf0" || fail "a refused value changed node.conf"
ok "every refused value left node.conf byte for byte"
run 64 --home "$C" config set nosuch 1
err_has "không có mục cấu hình 'nosuch'"
run 64 --home "$C" config set server
run 64 --home "$C" config frobnicate
run 66 --home "$T/nothing" config show
run 0 --home "$C" config --help
out_has "warn_days"
ls "$C" | grep -q tmp && fail "a temporary file was left: $(ls "$C")"
ok "no temporary file left behind"

# --- set, read back; init's file and a hand-edited one stay readable
run 0 --home "$C" config set server https://cchc.huyen.example.vn/nhan
out_has "Đã ghi server = https://cchc.huyen.example.vn/nhan"
run 0 --home "$C" config set telex new
run 0 --home "$C" config set color never
run 0 --home "$C" config set warn-days 10
run 0 --home "$C" config show
out_has "server    = https://cchc.huyen.example.vn/nhan"
out_has "telex     = new"
out_lacks "telex     = new  ("
out_has "colour    = never"
out_has "warn_days = 10"
grep -q '^warn_days = 10$' "$C/node.conf" || fail "node.conf lacks warn_days = 10"
grep -q '^colour = never$' "$C/node.conf" || fail "node.conf lacks colour = never"
ok "node.conf holds the settings"
run 0 --home "$C" config show telex
eq "$(cat "$T/out")" "new" "config show telex prints the value alone"
# A node.conf written by hand, with comments and the sections twice.
printf '; by hand\n[ui]\ntelex = old\n[periods]\nwarn_days = 3\n' >>"$C/node.conf"
run 0 --home "$C" config show
out_has "telex     = old"
out_has "warn_days = 3"
printf '[ui]\nlang = klingon\n' >>"$C/node.conf"
run 78 --home "$C" config show
err_has "bị hỏng"
cp "$T/conf0" "$C/node.conf"

# --- lang: node.conf's, unless --lang or $CCHC_LANG
run 0 --home "$C" config set lang en
out_has "Set lang = en"
run 65 --home "$C" config set telex maybe
err_has "Nothing was written to node.conf"
run 65 --home "$C" --lang vi config set telex maybe
err_has "Không ghi gì"
CCHC_LANG=vi run 65 --home "$C" config set telex maybe
err_has "Không ghi gì"
run 0 --home "$C" config set lang vi
out_has "Đã ghi lang = vi"

# --- warn_days and --warn-days change sync status's warning
export CCHC_NOW=2021-04-05T08:00
run 0 --home "$C" sync status
grep -q "Sắp đến hạn" "$T/out" && before=1 || before=0
run 0 --home "$C" --warn-days 0 sync status
out_lacks "Sắp đến hạn"
run 0 --home "$C" --warn-days=366 sync status
out_has "Sắp đến hạn"
run 0 --home "$C" config set warn_days 366
run 0 --home "$C" sync status
out_has "Sắp đến hạn"
run 0 --home "$C" config set warn_days 0
run 0 --home "$C" sync status
out_lacks "Sắp đến hạn"
run 64 --home "$C" --warn-days many sync status
err_has "'many' không hợp lệ cho --warn-days"
run 64 --home "$C" --telex=on sync status
err_has "off, old hoặc new"
run 64 --home "$C" --colour sometimes sync status
run 64 --home "$C" sync status --warn-days
unset CCHC_NOW
ok "warn_days: before=$before"

# --- telex reaches the UI: Telex on at the login screen, in its style
export COLUMNS=80 LINES=24
printf 'dump %s\nF10\n' "$T/ui.screen" >"$T/ui.keys"
run 0 --home "$C" --keys "$T/ui.keys"
grep -q "TELEX" "$T/ui.screen" && fail "Telex on by default"
ok "Telex off by default"
run 0 --home "$C" config set telex new
run 0 --home "$C" --keys "$T/ui.keys"
head -1 "$T/ui.screen" | grep -q "TELEX kiểu mới" || fail "no Telex (new style): $(head -1 "$T/ui.screen")"
ok "telex = new: the UI opens with Telex on, new style"
run 0 --home "$C" --telex old --colour=always --keys "$T/ui.keys"
head -1 "$T/ui.screen" | grep -q "\[TELEX\]" || fail "--telex old: $(head -1 "$T/ui.screen")"
ok "--telex old wins over node.conf for one run"
run 0 --home "$C" config show telex
eq "$(cat "$T/out")" "new" "a one-run option is not written to node.conf"
done_testing
