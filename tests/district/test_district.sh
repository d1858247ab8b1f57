#!/bin/sh
# The district desk end to end through the real binary: two commune nodes
# made with the CLI send approved reports to a real receiver on 127.0.0.1;
# the district imports them; `status`, `summary` and both exports are
# checked against figures worked out by hand below.
#   Tân Trào (02545): revision 1 received one minute before the 2021-Q1
#     deadline (10/03/2021 00:00 Vietnam time = 2021-03-09T17:00:00Z), a
#     corrected revision 2 an hour after it: on time, 2 revisions, the
#     figures of revision 2 count.
#   Vĩnh Lợi (02548): received one minute after the deadline: late; a
#     zero denominator (one-stop 0/0); its 2021-Q3 report carries over 15
#     dossiers while its 2021-H1 report left 20 pending: a warning.
#   The other 29 units sent nothing.  Rates exactly at their target:
#     ty_le_buu_chinh 22/110 = 20% (>= 20%) and ty_le_van_ban_dien_tu 95/100
#     (>= 95%, revision 1 and Vĩnh Lợi's own).
. "$(dirname "$0")/../sync/lib.sh"
sync_setup
DEADLINE=1615309200 # 2021-03-09T17:00:00Z

# report HOME OFFICER LEADER PERIOD APPROVED_AT [F=V...]: an approved report
# with the figures of tests/sync/lib.sh's make_report, F=V overriding; $REPORT.
report() {
	h=$1; o=$2; l=$3; p=$4; at=$5; shift 5
	CCHC_PASSWORD_FILE="$T/pw-$o" "$CCHC" --home "$h" --user "$o" record new bao-cao-cchc \
		--period "$p" --set so_ky_hieu=15/BC-UBND --set ngay_bao_cao=05/03/2021 \
		--set "nguoi_lap=Nguyễn Thị Lan" --set "nguoi_ky=Hoàng Văn Hùng" --set chuc_vu_ky=chu_tich \
		>"$T/out" 2>"$T/err" || fail "report new $p in $h"
	REPORT=$(cat "$T/out")
	CCHC_PASSWORD_FILE="$T/pw-$o" "$CCHC" --home "$h" --user "$o" record set "$REPORT" \
		tong_tiep_nhan=120 ton_ky_truoc=10 tiep_nhan_truc_tuyen=30 tiep_nhan_truc_tiep=70 \
		tiep_nhan_buu_chinh=10 da_giai_quyet=100 giai_quyet_truoc_han=20 giai_quyet_dung_han=75 \
		giai_quyet_qua_han=5 dang_giai_quyet=20 dang_trong_han=18 dang_qua_han=2 so_phieu_xin_loi=7 \
		tthc_mot_cua_tu=50 tthc_mot_cua_mau=50 ho_so_dien_tu_tu=120 tthc_cong_khai_tu=50 \
		tthc_cong_khai_mau=50 van_ban_dien_tu_tu=95 van_ban_dien_tu_mau=100 \
		ho_so_cong_viec_tu=40 ho_so_cong_viec_mau=100 dvc_muc_3_4_tu=33 dvc_muc_3_4_mau=50 \
		dvc_tich_hop_tu=14 buu_chinh_tu=22 hai_long_tu=95 hai_long_mau=100 xin_loi_tu=7 xin_loi_mau=7 \
		"cai_cach_the_che=Rà soát." "cai_cach_tthc=Niêm yết." "cai_cach_bo_may=Kiện toàn." \
		"cai_cach_cong_vu=Tập huấn." "cai_cach_tai_chinh=Tự chủ." "chinh_quyen_dien_tu=Chữ ký số." \
		"chi_dao_dieu_hanh=Kế hoạch." "ton_tai_han_che=Mạng chậm." "nguyen_nhan=Hạ tầng." \
		"phuong_huong=Trực tuyến." "kien_nghi=Máy quét." "$@" >"$T/out" 2>"$T/err" ||
		fail "report set $p in $h"
	CCHC_PASSWORD_FILE="$T/pw-$o" "$CCHC" --home "$h" --user "$o" record submit "$REPORT" \
		>"$T/out" 2>"$T/err" || fail "report submit $p in $h"
	CCHC_NOW=$at CCHC_PASSWORD_FILE="$T/pw-$l" "$CCHC" --home "$h" --user "$l" record approve \
		"$REPORT" >"$T/out" 2>"$T/err" || fail "report approve $p in $h"
	ok "approved $p report $REPORT in $h"
}

# arrive HOME COMMUNE EPOCH_TIME: push what waits; the receiver stored it at
# that time (the spool file's time is the district's receipt time); import.
arrive() {
	before=$(ls "$D/inbox/$2" 2>/dev/null | wc -l)
	run 0 --home "$1" sync push --server "$URL"
	for f in "$D/inbox/$2"/*.ccb; do touch -d "@$3" "$f"; done
	as_d 0 import
	ok "batches of $2 received at $3 (spool had $before)"
}

start_receiver "$D"
report "$C" lan hung 2021-Q1 2021-03-08T09:00
R1=$REPORT
arrive "$C" 02545 $((DEADLINE - 60))
as_hung_c 0 record reopen "$R1"
as_lan_c 0 record set "$R1" van_ban_dien_tu_tu=99
as_lan_c 0 record submit "$R1"
CCHC_NOW=2021-03-10T08:30 as_hung_c 0 record approve "$R1"
arrive "$C" 02545 $((DEADLINE + 3600))

report "$C2" lan2 hung2 2021-Q1 2021-03-09T23:30 tthc_mot_cua_tu=0 tthc_mot_cua_mau=0 \
	van_ban_dien_tu_tu=94
arrive "$C2" 02548 $((DEADLINE + 60))
# Q3 first (its previous period, H1, is not there yet, so the commune's own
# check is skipped), then H1 with 20 pending: the district sees both.
report "$C2" lan2 hung2 2021-Q3 2021-09-01T08:00 ton_ky_truoc=15 tong_tiep_nhan=125 \
	da_giai_quyet=105 giai_quyet_dung_han=80
report "$C2" lan2 hung2 2021-H1 2021-06-01T08:00
arrive "$C2" 02548 1622505600
stop_receiver

# ---- status, whatever TZ says
for tz in UTC Pacific/Kiritimati America/New_York; do
	TZ=$tz as_d 0 status --period 2021-Q1 --format json
	f="$T/status-$(echo "$tz" | tr / _).json"
	cp "$T/out" "$f"
	cmp -s "$T/status-UTC.json" "$f" || fail "status differs under TZ=$tz"
	ok "status under TZ=$tz is the same"
done
j="$T/status-UTC.json"
py() { python3 -c "import json,sys; d=json.load(open('$j')); $1"; }
eq "$(py 'print(d["expected"], d["received"], d["on_time"], d["late"], d["returned"])')" "31 2 1 1 0" \
	"expected 31, received 2, on time 1, late 1"
eq "$(py 'print(d["deadline"])')" "2021-03-10T00:00:00+07:00" "deadline in Vietnam time"
eq "$(py 'print(round(d["received_rate"], 6), round(d["on_time_rate"], 6))')" "0.064516 0.032258" \
	"reporting rates 2/31 and 1/31"
eq "$(py 'u=[x for x in d["units"] if x["unit"]=="02545"][0]; print(u["state"], u["approved_at"], u["received_at"], u["revisions"], u["revision_counted"], u["latest_received_at"])')" \
	"on_time 2021-03-08T09:00:00+07:00 2021-03-09T23:59:00+07:00 2 2 2021-03-10T01:00:00+07:00" \
	"Tân Trào: on time by a minute, two revisions, the second counts"
eq "$(py 'u=[x for x in d["units"] if x["unit"]=="02548"][0]; print(u["state"], u["approved_at"], u["received_at"], u["revisions"])')" \
	"late 2021-03-09T23:30:00+07:00 2021-03-10T00:01:00+07:00 1" "Vĩnh Lợi: late by a minute"
eq "$(py 'u=[x for x in d["units"] if x["unit"]=="02539"][0]; print(u["state"], u["approved_at"], u["revisions"])')" \
	"missing None 0" "Trung Yên sent nothing"
eq "$(py 'print(len(d["units"]), d["units"][0]["name"])')" "31 Xã Bình Yên" "31 units in Vietnamese order"
as_d 0 status --period 2021-Q1
out_has "Tiến độ báo cáo Quý I năm 2021 (2021-Q1), hạn: trước 10/03/2021 00:00"
out_has "Phải gửi: 31; đã gửi: 2 (6,5%); đúng hạn: 1 (3,2%); gửi muộn: 1; đã trả lại: 0"
grep -q "^02545 .*đúng hạn .*08/03/2021 09:00 .*09/03/2021 23:59 .*2$" "$T/out" || fail "table row 02545"
ok "table row of Tân Trào"
as_d 0 --lang en status --period 2021-Q1 --unit 02548
out_has "Expected: 1; received: 1 (100,0%); on time: 0 (0,0%); late: 1; returned: 0"
out_has "late"
as_d 0 status --period 2021-Q1 --format csv
head -c 3 "$T/out" | od -An -tx1 | grep -q "ef bb bf" || fail "no BOM"
ok "status csv starts with a BOM"
out_has "02545,Xã Tân Trào,on_time,2021-03-08T09:00:00+07:00,2021-03-09T23:59:00+07:00,2,2,"
out_has "02539,Xã Trung Yên,missing,,,0,0,,"

# ---- summary (hand figures: Tân Trào revision 2 + Vĩnh Lợi)
as_d 0 summary --period 2021-Q1 --format json
cp "$T/out" "$T/summary.json"
j="$T/summary.json"
rate() { py "u=[x for x in d['units'] if x['unit']=='$1'][0] if '$1' != 'total' else d['total']; r=[x for x in u['rates'] if x['id']=='$2'][0]; print(r['num'], r['den'], r['rate'], r['met'])"; }
eq "$(rate 02545 ty_le_van_ban_dien_tu)" "99 100 0.99 True" "Tân Trào: revision 2's 99/100 counts"
eq "$(rate 02548 ty_le_van_ban_dien_tu)" "94 100 0.94 False" "Vĩnh Lợi: 94% < 95%"
eq "$(rate total ty_le_van_ban_dien_tu)" "193 200 0.965 True" "total: 193/200, not a mean of rates"
eq "$(rate 02548 ty_le_mot_cua)" "0 0 None None" "zero denominator: rate and met null"
eq "$(rate total ty_le_mot_cua)" "50 50 1 True" "total one-stop 50/50"
eq "$(rate 02545 ty_le_buu_chinh)" "22 110 0.2 True" "exactly at target 20%: met"
eq "$(rate total ty_le_buu_chinh)" "44 220 0.2 True" "total exactly at target: met"
eq "$(rate total ty_le_ho_so_cong_viec)" "80 200 0.4 False" "total work files 40% < 50%"
eq "$(rate 02539 ty_le_mot_cua)" "None None None None" "a unit that sent nothing has no figures"
eq "$(py 'print(d["expected"], d["reported"], len(d["units"][0]["rates"]))')" "31 2 11" "31 units, 2 reported, 11 rates"
as_d 0 summary --period 2021-Q1
out_has "Chỉ tiêu Quý I năm 2021 (2021-Q1): 2/31 đơn vị có báo cáo"
grep -q "02548 .*Vĩnh Lợi .* 0 .* 0  –  *–$" "$T/out" || fail "zero denominator row"
ok "zero denominator shows – in the table"
grep -q "Tổng cộng .* 193 .* 200  96,5%  *Đạt$" "$T/out" || fail "total row"
ok "total row 96,5% Đạt"
as_d 0 summary --period 2021-Q1 --unit 02545 --format csv
out_has "02545,Xã Tân Trào,ty_le_van_ban_dien_tu,99,100,0.99,>= 95%,1"
out_has "076,Huyện Sơn Dương,ty_le_van_ban_dien_tu,99,100,0.99,>= 95%,1"

# ---- the cross-period warning names the commune and both figures
as_d 0 summary --period 2021-Q3
err_has "cảnh báo: Xã Vĩnh Lợi (02548): số hồ sơ kỳ trước chuyển sang là 15, nhưng số hồ sơ đang giải quyết cuối kỳ 2021-H1 là 20."
as_d 0 summary --period 2021-Q3 --format json
eq "$(python3 -c "import json; w=json.load(open('$T/out'))['warnings']; print(w)")" \
	"[{'kind': 'carried_over', 'unit': '02548', 'value': 15, 'other': 20, 'other_period': '2021-H1'}]" \
	"one warning in json"
as_d 0 summary --period 2021-Q1
[ -s "$T/err" ] && fail "warnings for Q1: $(cat "$T/err")"
ok "no warning for Q1"

# ---- errors
as_d 65 status --period 2021-Q9
err_has "không có kỳ báo cáo '2021-Q9'"
as_d 65 summary --period 2021-Q1 --unit 99999
err_has "đơn vị 99999 không phải báo cáo kỳ 2021-Q1"
as_d 64 status
as_d 64 export --period 2021-Q1 --format pdf --out "$T/x.pdf"
as_lan_c 77 status --period 2021-Q1
run 0 status --help
out_has "cchc --user TÊN status --period KỲ"

# ---- exports, read back by independent readers
as_d 0 export --period 2021-Q1 --format xlsx --out "$T/q1.xlsx"
out_has "Đã ghi $T/q1.xlsx: 31 đơn vị, 11 chỉ tiêu, kỳ 2021-Q1."
as_d 0 export --period 2021-Q1 --format csv --out "$T/q1.csv"
ls "$T" | grep -q '\.tmp\.' && fail "a temp file was left: $(ls "$T")"
ok "no temp file left"
# Debian's python3 (python3-openpyxl, scripts/deps.sh), not another on PATH.
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
"$PY" "$(dirname "$0")/check_export.py" "$T/q1.xlsx" "$T/q1.csv" "$T/status-UTC.json" \
	"$T/summary.json" >"$T/py.out" 2>&1 || { cat "$T/py.out" >&2; fail "export check"; }
ok "XLSX and CSV equal status and summary: $(tail -1 "$T/py.out")"
# A failed export leaves nothing (a directory that cannot be written).
mkdir "$T/ro" && chmod 500 "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
	as_d 73 export --period 2021-Q1 --format xlsx --out "$T/ro/q1.xlsx"
	err_has "không ghi được $T/ro/q1.xlsx"
	[ -z "$(ls -A "$T/ro")" ] || fail "a failed export left $(ls -A "$T/ro")"
	ok "a failed export leaves no file"
fi
as_d 73 export --period 2021-Q1 --format csv --out "$T/no/such/dir/q1.csv"
err_has "Không có tệp nào được tạo"

# ---- every --format csv output is safe from formulas (OWASP)
as_lan_c 0 record new bao-cao-cchc --period 2021-Y --set "so_ky_hieu==HYPERLINK(\"http://x\")" \
	--set "nguoi_lap=@SUM(1+1)"
as_lan_c 0 record list bao-cao-cchc --format csv
out_has "\"'=HYPERLINK(\"\"http://x\"\")\""
out_has "\"'@SUM(1+1)\""
done_testing
