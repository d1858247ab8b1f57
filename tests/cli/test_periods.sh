#!/bin/sh
# Reporting periods from the command line (test builds: CCHC_NOW sets
# today): `periods list` in table and json, `form check` finding each
# problem of meaning at its line, `record new` offering the open period
# first and making a report for 2026 on 03/12/2026, a note for a closed
# period, the deadline warning of `sync status` ([periods] warn_days), the
# targets carried over from the 2021 plan, and the 100,0% rounding case.
. "$(dirname "$0")/../lib.sh"

# --- periods list: every year 2021..2027 from one rule
export CCHC_NOW=2026-12-03T09:00
run 0 periods list
[ "$(grep -c '^20[0-9][0-9]-' "$T/out")" -eq 28 ] || fail "periods list: not 28 periods"
ok "28 periods, 2021..2027"
run 0 periods list --year 2026
out_has "2026-Y   Năm 2026               15/12/2025 - 14/12/2026  trước 10/12/2026      đang mở"
out_has "2026-Q3  Quý III năm 2026       15/06/2026 - 14/09/2026  trước 10/09/2026      đã hết hạn"
out_lacks "2025-"
run 0 --lang en periods list --year 2027
out_has "2027-Q1  First quarter of 2027  15/12/2026 - 14/03/2027  before 10/03/2027     upcoming"
run 0 periods list --year 2027 --format json
out_has '{"id":"2027-Q1","year":2027,"name":"Quý I năm 2027","name_en":"First quarter of 2027","data_from":"2026-12-15","data_to":"2027-03-14","deadline":"2027-03-10","deadline_inclusive":false,"previous":"2026-Y","state":"upcoming","generated":true'
run 0 periods list --year 2021 --format json
out_has '"id":"2021-Q1"'
out_has '"previous":"2020-Y","state":"closed"'
CCHC_NOW=2026-12-10T00:00 run 0 periods list --year 2026 --format json
out_has '"id":"2026-Y","year":2026'
grep -q '"id":"2026-Y".*"state":"closed"' "$T/out" || fail "2026-Y not closed at 00:00 on 10/12"
ok "2026-Y closed from 00:00 on the 10th"
run 0 periods --help
out_has "cchc periods list [--year NĂM] [--format table|json]"
run 0 periods list --help
out_has "đang mở"
run 64 periods list --year 20x6
err_has "năm không hợp lệ '20x6'"
run 65 periods list --year 2030
err_has "không có kỳ báo cáo nào của năm 2030"
run 64 periods list --format xml
run 0 --help
out_has "periods"

# --- form check: meaning, each problem at its line
cat >"$T/bad.periods" <<'EOF'
years 2030..2030
rule Q1
  name Quý I năm {Y}
  data 15/12/{Y-1} 14/03/{Y}
  deadline 10/03/{Y} exclusive
  previous {Y-1}-Y
rule H1
  name 6 tháng {Y}
  data 10/03/{Y} 14/06/{Y}
  deadline 10/06/{Y} exclusive
  previous {Y}-Q7
rule Q3
  name Quý III {Y}
  data 15/06/{Y} 14/09/{Y}
  deadline 10/06/{Y} exclusive
  previous {Y}-H1
EOF
run 65 form check --alone "$T/bad.periods"
err_has "$T/bad.periods:9: kỳ '2030-H1': khoảng số liệu 10/03/2030–14/06/2030 chồng lên kỳ '2030-Q1' (15/12/2029–14/03/2030)"
err_has "$T/bad.periods:11: kỳ '2030-H1': kỳ trước '2030-Q7' không có"
err_has "$T/bad.periods:15: kỳ '2030-Q3': hạn gửi 10/06/2030 trước ngày bắt đầu khoảng số liệu (15/06/2030)"
err_has "$T/bad.periods:14: năm 2030 thiếu kỳ của quý IV: không kỳ nào có khoảng số liệu kết thúc trong tháng 12/2030"
run 65 --lang en form check --alone "$T/bad.periods"
err_has "$T/bad.periods:11: period '2030-H1': the previous period '2030-Q7' does not exist"
# The shipped rule and a year's override file, checked as they will load.
run 0 form check forms/defs/ky-bao-cao.periods forms/defs/chi-tieu-2021.targets
printf 'period 2026-Q3\n  deadline 01/06/2026 exclusive\n' >"$T/ky-bao-cao-2026.periods"
run 65 form check "$T/ky-bao-cao-2026.periods"
err_has "$T/ky-bao-cao-2026.periods:2: kỳ '2026-Q3': hạn gửi 01/06/2026 trước ngày bắt đầu khoảng số liệu (15/06/2026)"
printf 'period 2026-Q3\n  deadline 12/09/2026 exclusive\n' >"$T/ky-bao-cao-2026.periods"
run 0 form check "$T/ky-bao-cao-2026.periods"
run 65 form check --alone "$T/ky-bao-cao-2026.periods"
err_has "kỳ '2026-Q3' thiếu 'name'"
# A year's targets: checked against the installed form's rates.
printf 'form bao-cao-cchc\nyear 2026\nplan Kế hoạch CCHC tỉnh 2026\ntarget ty_le_truc_tuyen >= 50%%\ntarget ty_le_khong_co tinh >= 90%%\ntarget ty_le_hai_long town >= 90%%\n' \
	>"$T/chi-tieu-2026.targets"
run 65 form check "$T/chi-tieu-2026.targets"
err_has "$T/chi-tieu-2026.targets:6: loại đơn vị không biết"
run 65 form check --alone "$T/chi-tieu-2026.targets"
sed -i '$d' "$T/chi-tieu-2026.targets"
run 65 form check "$T/chi-tieu-2026.targets"
err_has "$T/chi-tieu-2026.targets:5: biểu mẫu 'bao-cao-cchc' không có tỷ lệ 'ty_le_khong_co'"
run 0 form check --alone "$T/chi-tieu-2026.targets"

# --- form show: which plan the targets come from
run 0 form show bao-cao-cchc --year 2021
out_has "(chỉ tiêu theo: Kế hoạch CCHC huyện Sơn Dương năm 2021)"
out_has ">= 50% (huyện, tỉnh: >= 62%)"
run 0 form show bao-cao-cchc --year 2026
out_has "(chỉ tiêu theo: kế thừa từ kế hoạch 2021)"
run 0 form show bao-cao-cchc --year 2026 --format json
out_has '"target_commune":">= 25%","target_district":">= 25%","plan_year":2021,"plan":"kế thừa từ kế hoạch 2021"'
run 64 form show bao-cao-cchc --year x

# --- a commune on 03/12/2026: the new Xã Sơn Dương of the 2025 model (the
# 2021 list's communes ended on 30/06/2025 and make no 2026 reports)
setup_nodes_2025
export CCHC_PASSWORD_FILE="$T/pw-lan"
run 65 --home "$C" --user lan record new bao-cao-cchc
err_has "cần --period"
sed -n '2p' "$T/err" | grep -q '^  2026-Y .*đang mở, hạn gửi trước 10/12/2026$' ||
	fail "the open period 2026-Y is not offered first"
sed -n '3p' "$T/err" | grep -q '^  2026-Q3 .*đã hết hạn 10/09/2026$' ||
	fail "the latest closed period is not second"
ok "record new offers 2026-Y (open) first, then the past periods"
run 65 --home "$C" --user lan record new bao-cao-cchc --period 2026-Q4
err_has "không có báo cáo quý IV riêng: báo cáo năm (--period 2026-Y) thay cho quý IV."
run 0 --home "$C" --user lan record new --help
out_has "Các kỳ báo cáo (kỳ đang mở trước, rồi các kỳ đã qua):"
grep -A1 'Các kỳ báo cáo' "$T/out" | grep -q '2026-Y' || fail "help does not list 2026-Y first"
ok "record new --help lists the open period first"
# The report of the period open on 03/12/2026; no note, it is on time.
run 0 --home "$C" --user lan record new bao-cao-cchc --period 2026-Y \
	--set so_ky_hieu=40/BC-UBND --set ngay_bao_cao=03/12/2026 \
	--set tiep_nhan_truc_tuyen=30 --set tiep_nhan_truc_tiep=70 --set tiep_nhan_buu_chinh=10 \
	--set xin_loi_tu=1999 --set xin_loi_mau=2000
Y=$(cat "$T/out")
[ ! -s "$T/err" ] || fail "a note for an open period: $(cat "$T/err")"
ok "report $Y for 2026-Y, no note"
run 0 --home "$C" --user lan record show "$Y"
out_has "Năm 2026 (2026-Y)"
out_has "(kế thừa từ kế hoạch 2021)"
out_has "Tỷ lệ hồ sơ mới tiếp nhận trực tuyến"
out_has "27,3%"
# 1999/2000 = 99,95%: shown 99,9% beside Không đạt, never 100,0%.
grep -q 'Tỷ lệ hồ sơ quá hạn có Phiếu xin lỗi .* 99,9% *(1999/2000) *= 100% *Không đạt' "$T/out" ||
	fail "1999/2000 against = 100% not shown as 99,9% Không đạt"
ok "1999/2000 against = 100%: 99,9% Không đạt"
out_lacks "100,0%"
run 0 --home "$C" --user lan record show "$Y" --format json
out_has '"period":"2026-Y"'
# A closed period: made, with a note.
run 0 --home "$C" --user lan record new bao-cao-cchc --period 2026-Q3
err_has "lưu ý: kỳ 2026-Q3 đã hết hạn gửi (trước 10/09/2026); báo cáo được lập nhưng sẽ là gửi muộn."
run 0 --lang en --home "$C" --user lan record new bao-cao-cchc --period 2026-H1
err_has "note: the deadline of 2026-H1 has passed (before 10/06/2026)"

# --- deadline warnings in sync status
run 0 --home "$C" sync status
out_lacks "Sắp đến hạn"
CCHC_NOW=2026-12-06T08:00 run 0 --home "$C" sync status
out_has "Sắp đến hạn: Năm 2026, gửi trước 10/12/2026 (còn 4 ngày)"
CCHC_NOW=2026-12-09T16:00 run 0 --home "$C" sync status
out_has "Hôm nay là ngày cuối gửi báo cáo Năm 2026 (hạn 10/12/2026)"
CCHC_NOW=2026-12-10T08:00 run 0 --home "$C" sync status
out_lacks "hạn"
printf '\n[periods]\nwarn_days = 10\n' >>"$C/node.conf"
run 0 --home "$C" sync status
out_has "Sắp đến hạn: Năm 2026, gửi trước 10/12/2026 (còn 7 ngày)"
printf '\n[periods]\nwarn_days = 0\n' >>"$C/node.conf"
CCHC_NOW=2026-12-09T16:00 run 0 --home "$C" sync status
out_lacks "Hôm nay"
printf '\n[periods]\nwarn_days = 5\n' >>"$C/node.conf"
# Logged in, a period whose report is approved needs no warning.
CCHC_NOW=2026-12-06T08:00 run 0 --home "$C" --user lan sync status
out_has "Sắp đến hạn: Năm 2026"
CCHC_NOW=2026-12-06T08:00 run 0 --home "$C" --user lan record set "$Y" \
	so_ky_hieu=40/BC-UBND ngay_bao_cao=03/12/2026 "nguoi_ky=Hoàng Văn Hùng" chuc_vu_ky=chu_tich \
	tong_tiep_nhan=120 ton_ky_truoc=10 da_giai_quyet=100 giai_quyet_truoc_han=20 \
	giai_quyet_dung_han=75 giai_quyet_qua_han=5 dang_giai_quyet=20 dang_trong_han=18 \
	dang_qua_han=2 so_phieu_xin_loi=7 tthc_mot_cua_tu=50 tthc_mot_cua_mau=50 \
	ho_so_dien_tu_tu=120 tthc_cong_khai_tu=50 tthc_cong_khai_mau=50 van_ban_dien_tu_tu=95 \
	van_ban_dien_tu_mau=100 ho_so_cong_viec_tu=40 ho_so_cong_viec_mau=100 dvc_muc_3_4_tu=33 \
	dvc_muc_3_4_mau=50 dvc_tich_hop_tu=14 buu_chinh_tu=22 hai_long_tu=95 hai_long_mau=100 \
	xin_loi_tu=7 xin_loi_mau=7 "cai_cach_the_che=Rà soát văn bản." "cai_cach_tthc=Niêm yết." \
	"cai_cach_bo_may=Kiện toàn." "cai_cach_cong_vu=Tập huấn." "cai_cach_tai_chinh=Tự chủ." \
	"chinh_quyen_dien_tu=Chữ ký số." "chi_dao_dieu_hanh=Kế hoạch CCHC năm 2026." \
	"ton_tai_han_che=Mạng chậm." "phuong_huong=Tăng hồ sơ trực tuyến."
CCHC_NOW=2026-12-06T08:00 run 0 --home "$C" --user lan record submit "$Y"
CCHC_NOW=2026-12-06T08:05 CCHC_PASSWORD_FILE="$T/pw-hung" run 0 --home "$C" --user hung \
	record approve "$Y"
CCHC_NOW=2026-12-06T08:10 run 0 --home "$C" --user lan sync status
out_lacks "Sắp đến hạn"

# --- the province loads its 2026 periods and targets (README's steps)
ROOT=$(pwd)
mkdir -p "$T/data/forms/defs" "$T/data/data/units"
cp "$ROOT"/forms/defs/* "$T/data/forms/defs/"
cp "$ROOT"/data/units/* "$T/data/data/units/"
printf 'period 2026-Y\n  deadline 05/12/2026 inclusive\n' >"$T/ky-bao-cao-2026.periods"
printf 'form bao-cao-cchc\nyear 2026\nplan Kế hoạch CCHC tỉnh Tuyên Quang năm 2026\ntarget ty_le_truc_tuyen >= 50%%\n' \
	>"$T/chi-tieu-2026.targets"
CCHC_DATADIR="$T/data" run 0 form check "$T/ky-bao-cao-2026.periods" "$T/chi-tieu-2026.targets"
cp "$T/ky-bao-cao-2026.periods" "$T/chi-tieu-2026.targets" "$T/data/forms/defs/"
CCHC_DATADIR="$T/data" run 0 periods list --year 2026
out_has "2026-Y   Năm 2026               15/12/2025 - 14/12/2026  đến hết 05/12/2026    đang mở"
CCHC_DATADIR="$T/data" run 0 --home "$C" --user lan record show "$Y"
out_has "(Kế hoạch CCHC tỉnh Tuyên Quang năm 2026)"
grep -q 'Tỷ lệ hồ sơ mới tiếp nhận trực tuyến .* 27,3% *(30/110) *>= 50% *Không đạt' "$T/out" ||
	fail "the 2026 target (>= 50%) does not judge the 2026 report"
ok "the 2026 plan's target judges the 2026 report"
# A rate the 2026 plan does not set has no target that year.
grep -q 'Tỷ lệ hài lòng của người dân, tổ chức .* 95,0% *(95/100) *–' "$T/out" ||
	fail "a rate the 2026 plan leaves out still has a target"
ok "a rate the 2026 plan leaves out has none"
# The province's summary judges each period on its own year's plan.
pw "$T/pw-add" "district-admin-pw" "province-staff-pw"
CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$P" --user admin user add hoa --role huyen
pw "$T/pw-hoa" "province-staff-pw"
CCHC_DATADIR="$T/data" CCHC_PASSWORD_FILE="$T/pw-hoa" run 0 --home "$P" --user hoa summary --period 2026-Y
out_has "Tỷ lệ hồ sơ mới tiếp nhận trực tuyến (ty_le_truc_tuyen) [>= 50%]"
CCHC_DATADIR="$T/data" CCHC_PASSWORD_FILE="$T/pw-hoa" run 0 --home "$P" --user hoa summary --period 2025-Y
out_has "Tỷ lệ hồ sơ mới tiếp nhận trực tuyến (ty_le_truc_tuyen) [>= 25%]"
# 2021 keeps its own plan; 2027 now carries 2026's over.
CCHC_DATADIR="$T/data" run 0 form show bao-cao-cchc --year 2021
out_has "(chỉ tiêu theo: Kế hoạch CCHC huyện Sơn Dương năm 2021)"
CCHC_DATADIR="$T/data" run 0 form show bao-cao-cchc --year 2027
out_has "(chỉ tiêu theo: kế thừa từ kế hoạch 2026)"
done_testing
