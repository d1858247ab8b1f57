#!/bin/sh
# Records through the real cchc binary, as a commune office uses them: a
# complete bao-cao-cchc for 2021-Q1, 50 register entries, list/search in
# every format, submit/approve/reopen with roles, fill from the register,
# and every refusal with its exit code and message.
. "$(dirname "$0")/../lib.sh"
setup_nodes
export CCHC_PASSWORD_FILE="$T/pw-lan"
lan() { run "$@"; }
as_lan() { want=$1; shift; run "$want" --home "$C" --user lan "$@"; }
as_hung() { want=$1; shift; CCHC_PASSWORD_FILE="$T/pw-hung" run "$want" --home "$C" --user hung "$@"; }

# --- bad input: nothing is saved
as_lan 65 record new bao-cao-cchc --period 2021-Q1 --set tong_tiep_nhan=abc
err_has "tong_tiep_nhan (Tổng số hồ sơ tiếp nhận)"
as_lan 65 record new bao-cao-cchc --period 2021-Q1 --set ngay_bao_cao=31/02/2021
err_has "31/02/2021"
as_lan 65 record new bao-cao-cchc --period 2021-Q1 --set khong_co=1
err_has "không có trường 'khong_co'"
err_has "tong_tiep_nhan"
as_lan 65 record new bao-cao-cchc --period 2021-Q5
err_has "2021-H1"
as_lan 65 record new bao-cao-cchc
err_has "cần --period"
as_lan 65 record new bao-cao-xyz --period 2021-Q1
err_has "so-theo-doi-ho-so"
as_lan 0 record list
out_has "0 bản ghi"
CCHC_PASSWORD_FILE="$T/pw-hung" run 77 --home "$C" --user hung record new bao-cao-cchc --period 2021-Q1
err_has "cán bộ xã (canbo)"

# --- a complete report for 2021-Q1
as_lan 0 record new bao-cao-cchc --period 2021-Q1 \
	--set so_ky_hieu=15/BC-UBND --set ngay_bao_cao=05/03/2021 \
	--set "nguoi_lap=Nguyễn Thị Lan" --set "nguoi_ky=Hoàng Văn Hùng" --set chuc_vu_ky=chu_tich \
	--set tong_tiep_nhan=120 --set ton_ky_truoc=10 --set tiep_nhan_truc_tuyen=30 \
	--set tiep_nhan_truc_tiep=70 --set tiep_nhan_buu_chinh=10
R=$(cat "$T/out")
[ ${#R} -eq 32 ] || fail "record new printed '$R', not an id"
ok "report id $R"
as_lan 0 record set "$R" da_giai_quyet=100 giai_quyet_truoc_han=20 giai_quyet_dung_han=75 \
	giai_quyet_qua_han=5 dang_giai_quyet=20 dang_trong_han=18 dang_qua_han=2 so_phieu_xin_loi=7 \
	tthc_mot_cua_tu=50 tthc_mot_cua_mau=50 ho_so_dien_tu_tu=120 tthc_cong_khai_tu=50 \
	tthc_cong_khai_mau=50 van_ban_dien_tu_tu=95 van_ban_dien_tu_mau=100 \
	ho_so_cong_viec_tu=40 ho_so_cong_viec_mau=100 dvc_muc_3_4_tu=33 dvc_muc_3_4_mau=50 \
	dvc_tich_hop_tu=14 buu_chinh_tu=22 hai_long_tu=95 hai_long_mau=100 xin_loi_tu=7 xin_loi_mau=7
out_has "phiên bản 2"
as_lan 0 record set "$R" "cai_cach_the_che=Rà soát 12 văn bản quy phạm pháp luật." \
	"cai_cach_tthc=Niêm yết công khai 100% thủ tục hành chính." \
	"cai_cach_bo_may=Kiện toàn Bộ phận Một cửa." "cai_cach_cong_vu=Cử 5 công chức đi tập huấn." \
	"cai_cach_tai_chinh=Thực hiện tự chủ kinh phí hành chính." \
	"chinh_quyen_dien_tu=Sử dụng chữ ký số cho 95% văn bản đi." \
	"chi_dao_dieu_hanh=Ban hành Kế hoạch CCHC năm 2021." \
	"ton_tai_han_che=Đường truyền còn chậm." "nguyen_nhan=Hạ tầng mạng yếu." \
	"phuong_huong=Tăng hồ sơ trực tuyến." "kien_nghi=Đề nghị huyện hỗ trợ máy quét."
as_lan 65 record new bao-cao-cchc --period 2021-Q1
err_has "đã có báo cáo kỳ 2021-Q1"

# A broken sum is kept in a draft but refused on submit, with the figures.
as_lan 0 record set "$R" tong_tiep_nhan=121
as_lan 65 record submit "$R"
err_has "Tổng số hồ sơ tiếp nhận (121)"
as_lan 0 record show "$R" --format json
out_has '"state":"draft"'
out_has '"tong_tiep_nhan":121'
as_lan 0 record set "$R" tong_tiep_nhan=120
as_lan 0 record submit "$R"
out_has "Đã hoàn thành"
as_lan 0 record show "$R"
out_has "Hoàn thành"
out_has "Tỷ lệ"
out_has "66,0%"
out_has "Đạt"
out_has "Không đạt"
out_has "Nguyễn Thị Lan"

# Approval is the leader's; an approved report is locked until reopened.
as_lan 77 record approve "$R"
err_has "lãnh đạo xã (lanhdao)"
as_hung 0 record approve "${R%????????????????????????}"
out_has "Đã duyệt"
as_lan 65 record set "$R" tong_tiep_nhan=1
err_has "đã khóa"
as_lan 65 record submit "$R"
as_hung 0 record show "$R" --format json
# Approval seals the report into a batch for the district (sync); nothing
# has been sent yet, so it stays Đã duyệt (chờ gửi), with no further save.
out_has '"state":"approved"'
out_has '"version":7'
as_hung 0 record reopen "$R"
out_has "lần 2"
as_lan 0 record show "$R" --format json
out_has '"state":"draft"'
out_has '"revision":2'

# --- 50 register entries; one applicant typed decomposed
names="Nguyễn Văn An|Trần Thị Bình|Lê Văn Cường|Phạm Thị Dung|Hoàng Văn Đức|Vũ Thị Hoà|Đặng Văn Giang|Bùi Thị Hạnh|Đỗ Văn Khánh|Hồ Thị Lan"
i=1
while [ $i -le 50 ]; do
	name=$(printf '%s' "$names" | cut -d'|' -f$(( (i - 1) % 10 + 1 )))
	case $((i % 3)) in 0) ch=truc_tuyen ;; 1) ch=truc_tiep ;; *) ch=buu_chinh ;; esac
	day=$(date -u -d "2021-01-04 + $i days" +%d/%m/%Y)
	due=$(date -u -d "2021-01-04 + $((i + 5)) days" +%Y-%m-%d)
	"$CCHC" --home "$C" --user lan record new so-theo-doi-ho-so \
		--set so_thu_tu=$i --set "ma_ho_so=H59.36-210104-$i" \
		--set "thu_tuc=Đăng ký khai sinh" --set "linh_vuc=Hộ tịch" --set so_luong=1 \
		--set "chu_ho_so=$name $i" --set "dia_chi=Thôn Tân Lập, xã Tân Trào" \
		--set "dien_thoai=09123456$(printf %02d $i)" --set kenh_nop=$ch --set kenh_tra=truc_tiep \
		--set ngay_tiep_nhan=$day --set ngay_hen_tra=$due --set trang_thai=dang_giai_quyet \
		>"$T/out" 2>"$T/err" || fail "register entry $i"
	i=$((i + 1))
done
ok "50 register entries saved"
# Decomposed input (e + combining circumflex + combining dot below = ệ) is
# stored as NFC: the same bytes as the precomposed name.
decomposed=$(printf 'Tr\141\314\202\314\200n Thi\314\243 Xua\314\202n')
as_lan 0 record new so-theo-doi-ho-so --set so_thu_tu=51 --set ma_ho_so=H59.36-51 \
	--set "thu_tuc=Chứng thực bản sao" --set "linh_vuc=Chứng thực" --set so_luong=1 \
	--set "chu_ho_so=$decomposed" --set kenh_nop=truc_tiep --set kenh_tra=truc_tiep \
	--set ngay_tiep_nhan=2021-02-01 --set ngay_hen_tra=2021-02-01 --set trang_thai=da_tra \
	--set ngay_tra_ket_qua=2021-02-01
E=$(cat "$T/out")
as_lan 0 record show "$E" --format json
out_has '"chu_ho_so":"Trần Thị Xuân"'

# A register entry is checked fully on every save.
as_lan 65 record new so-theo-doi-ho-so --set so_thu_tu=52 --set ma_ho_so=X \
	--set ngay_tiep_nhan=2021-02-10 --set ngay_hen_tra=2021-02-01
err_has "ngay_hen_tra"

# --- list and search
as_lan 0 record list so-theo-doi-ho-so
out_has "51 bản ghi"
as_lan 0 record list --search "tran thi xuan"
out_has "1 bản ghi"
out_has "Trần Thị Xuân"
as_lan 0 record list --search "thi HOA"
out_has "5 bản ghi"
as_lan 0 record list --search "HOA"
out_has "11 bản ghi"
as_lan 0 record list so-theo-doi-ho-so --search "đức"
out_has "5 bản ghi"
as_lan 0 record list --search "khong co ai"
out_has "0 bản ghi"
as_lan 0 --lang en record list --period 2021-Q1
out_has "1 records"
# Vietnamese order of the applicants (the form's first summary field):
# đ after d, o before ô, syllable by syllable.
as_lan 0 record list so-theo-doi-ho-so
grep 'so-theo-doi-ho-so' "$T/out" | sed 's/.*[0-9][0-9]\/[0-9][0-9]\/[0-9]\{4\}  //; s/ —.*//; s/ [0-9]*$//' |
	uniq | tr '\n' '|' >"$T/order"
eq "$(cat "$T/order")" "Bùi Thị Hạnh|Đặng Văn Giang|Đỗ Văn Khánh|Hoàng Văn Đức|Hồ Thị Lan|Lê Văn Cường|Nguyễn Văn An|Phạm Thị Dung|Trần Thị Bình|Trần Thị Xuân|Vũ Thị Hoà|" \
	"list sorted in Vietnamese order"
as_lan 0 record list so-theo-doi-ho-so --format csv
head -c 3 "$T/out" | od -An -tx1 | grep -q 'ef bb bf' || fail "csv has no BOM"
out_has "id,form,form_version,unit,period,state"
out_has ",chu_ho_so,"
[ "$(grep -c 'so-theo-doi-ho-so' "$T/out")" -eq 51 ] || fail "csv rows"
ok "csv: BOM, header, 51 rows"
as_lan 0 record list --format json --search xuan
out_has '"form":"so-theo-doi-ho-so"'
out_has '"unit":"02545"'

# Search finds what people see: the unit's name, choice labels.
as_lan 0 record list --search "tan trao"
out_has "bao-cao-cchc"
as_lan 0 record list so-theo-doi-ho-so --search "truc tuyen"
out_has "16 bản ghi"
# A long Vietnamese summary (longer than any fixed buffer) lists fine.
long_name=$(printf 'Nguyễn Thị Ngọc Ánh Ưởng %.0s' 1 2 3 4 5 6)
long_proc=$(printf 'Đăng ký khai sinh kết hợp nhận cha mẹ con %.0s' 1 2 3 4 5 6 7)
as_lan 0 record new so-theo-doi-ho-so --set so_thu_tu=60 --set ma_ho_so=HS-DAI \
	--set "thu_tuc=$long_proc" --set "linh_vuc=Hộ tịch" --set "chu_ho_so=$long_name" \
	--set kenh_nop=truc_tiep --set ngay_tiep_nhan=01/02/2021 --set ngay_hen_tra=05/02/2021 \
	--set trang_thai=dang_giai_quyet
L=$(cat "$T/out")
as_lan 0 record list so-theo-doi-ho-so --search "ngoc anh"
out_has "1 bản ghi"
as_lan 0 record list --format json
# JSON fields come in the form's order whatever order they were typed in.
as_lan 0 record show "$L" --format json
grep -q '"fields":{"so_thu_tu":60,"ma_ho_so":"HS-DAI","thu_tuc":' "$T/out" || fail "fields not in form order"
ok "json fields in form order"
as_lan 0 record delete "$L"

# --- fill the reopened Q1 report from the register
as_lan 0 record fill "$R"
out_has "15/12/2020"
out_has "14/03/2021"
as_lan 0 record show "$R" --format json
out_has '"tiep_nhan_truc_tuyen":16'
out_has '"tiep_nhan_truc_tiep":18'
out_has '"tiep_nhan_buu_chinh":17'

# --- delete is a tombstone, shown with --all
as_lan 0 record delete "$E"
as_lan 0 record list so-theo-doi-ho-so
out_has "50 bản ghi"
as_lan 0 record list so-theo-doi-ho-so --all
out_has "Đã xóa"
as_lan 65 record set "$E" so_luong=2
err_has "đã bị xóa"
as_lan 66 record show 0123456789abcdef
err_has "không có bản ghi"
as_lan 64 record show xyz
done_testing
