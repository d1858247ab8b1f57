#!/bin/sh
# make demo: a ready demo home with a district node (Huyện Sơn Dương) and a
# commune node (Xã Tân Trào), users with a known password, a 2021-Q1 report
# approved, a 2021-H1 draft filled from a register of a few hundred entries.
# Then it opens the newest user-facing entry point on the commune node.
#
#   sh scripts/demo.sh [BUILD_DIR]   (DEMO_RESET=1 rebuilds the demo home)
set -eu
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CCHC="$ROOT/$B/cchc"
DEMO=${CCHC_DEMO_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/cchc-demo}
PW=demo1234
export CCHC_DATADIR="$ROOT"

if [ "${DEMO_RESET:-0}" = 1 ]; then rm -rf "$DEMO"; fi
if [ ! -e "$DEMO/commune/node.conf" ]; then
	echo "cchc demo: building the demo home in $DEMO ..."
	rm -rf "$DEMO"; mkdir -p "$DEMO"; chmod 700 "$DEMO"
	export CCHC_PASSWORD_FILE="$DEMO/.pw"
	# The demo is the 2021 district (GSO-2021 ended 30/06/2025): nodes as of 2021.
	export CCHC_INIT_ON=2021-06-01
	printf '%s\n%s\n' "$PW" "$PW" >"$CCHC_PASSWORD_FILE"
	"$CCHC" --home "$DEMO/district" init district --unit 076 --admin admin >/dev/null
	"$CCHC" --home "$DEMO/district" key export "$DEMO/district.id" >/dev/null
	"$CCHC" --home "$DEMO/commune" init commune --unit 02545 \
		--district-key "$DEMO/district.id" --admin quantri >/dev/null
	"$CCHC" --home "$DEMO/commune" key export "$DEMO/tantrao.id" >/dev/null
	"$CCHC" --home "$DEMO/district" --user admin enroll "$DEMO/tantrao.id" >/dev/null
	"$CCHC" --home "$DEMO/district" --user admin user add huyen --role huyen >/dev/null
	"$CCHC" --home "$DEMO/commune" --user quantri user add canbo --role canbo >/dev/null
	"$CCHC" --home "$DEMO/commune" --user quantri user add lanhdao --role lanhdao >/dev/null
	c() { "$CCHC" --home "$DEMO/commune" --user canbo "$@"; }
	l() { "$CCHC" --home "$DEMO/commune" --user lanhdao "$@"; }

	# A register of dossiers across the first half of 2021.
	surnames="Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Ma Hà"
	given="Văn An|Thị Bình|Văn Cường|Thị Dung|Văn Đức|Thị Hoà|Văn Giang|Thị Hạnh|Văn Khánh|Thị Lan|Văn Minh|Thị Nga|Văn Phúc|Thị Quỳnh|Văn Sơn|Thị Thuỷ"
	procs="Đăng ký khai sinh|Hộ tịch
Chứng thực bản sao từ bản chính|Chứng thực
Đăng ký kết hôn|Hộ tịch
Xác nhận tình trạng hôn nhân|Hộ tịch
Cấp giấy chứng nhận quyền sử dụng đất|Đất đai
Đăng ký thường trú|Cư trú"
	i=1
	while [ $i -le 240 ]; do
		sn=$(echo $surnames | cut -d' ' -f$(( i % 15 + 1 )))
		gn=$(printf '%s' "$given" | cut -d'|' -f$(( i % 16 + 1 )))
		line=$(printf '%s\n' "$procs" | sed -n "$(( i % 6 + 1 ))p")
		proc=${line%|*}; field=${line#*|}
		case $((i % 10)) in 0|1|2) ch=truc_tuyen ;; 3) ch=buu_chinh ;; *) ch=truc_tiep ;; esac
		d=$(date -u -d "2020-12-20 + $(( i * 17 / 24 )) days" +%Y-%m-%d)
		due=$(date -u -d "$d + 3 days" +%Y-%m-%d)
		set -- --set so_thu_tu=$i --set "ma_ho_so=H59.36-$(date -u -d "$d" +%y%m%d)-$(printf %04d $i)" \
			--set "thu_tuc=$proc" --set "linh_vuc=$field" --set so_luong=1 \
			--set "chu_ho_so=$sn $gn" --set "dia_chi=Thôn $(( i % 12 + 1 )), xã Tân Trào" \
			--set "dien_thoai=09$(printf %08d $(( i * 7919 % 100000000 )))" \
			--set kenh_nop=$ch --set kenh_tra=truc_tiep --set ngay_tiep_nhan=$d --set ngay_hen_tra=$due
		if [ $i -lt 225 ]; then
			ret=$(date -u -d "$d + $(( i % 5 )) days" +%Y-%m-%d)
			set -- "$@" --set trang_thai=da_tra --set ngay_tra_ket_qua=$ret
			case $((i % 4)) in 0) set -- "$@" --set danh_gia=rat_hai_long ;; 3) set -- "$@" --set danh_gia=khong_hai_long ;; *) set -- "$@" --set danh_gia=hai_long ;; esac
			if [ $(( i % 5 )) -eq 4 ]; then set -- "$@" --set xin_loi=1 --set ngay_hen_moi=$(date -u -d "$due + 2 days" +%Y-%m-%d); fi
		else
			set -- "$@" --set trang_thai=dang_giai_quyet
		fi
		c record new so-theo-doi-ho-so "$@" >/dev/null
		i=$((i + 1))
	done

	# 2021-Q1: filled from the register, completed, submitted and approved.
	q1=$(c record new bao-cao-cchc --period 2021-Q1 --set so_ky_hieu=12/BC-UBND \
		--set ngay_bao_cao=05/03/2021 --set "nguoi_lap=Nguyễn Thị Lan" \
		--set "nguoi_ky=Hoàng Văn Hùng" --set chuc_vu_ky=chu_tich)
	c record fill "$q1" >/dev/null
	c record set "$q1" ton_ky_truoc=0 tthc_mot_cua_tu=96 tthc_mot_cua_mau=96 \
		tthc_cong_khai_tu=96 tthc_cong_khai_mau=96 van_ban_dien_tu_tu=182 van_ban_dien_tu_mau=190 \
		ho_so_cong_viec_tu=41 ho_so_cong_viec_mau=80 dvc_muc_3_4_tu=60 dvc_muc_3_4_mau=90 \
		dvc_tich_hop_tu=26 \
		"cai_cach_the_che=Rà soát 8 văn bản quy phạm pháp luật của xã; không có văn bản trái luật." \
		"cai_cach_tthc=Niêm yết công khai đầy đủ 96 thủ tục hành chính tại Bộ phận Một cửa." \
		"cai_cach_bo_may=Kiện toàn Bộ phận Một cửa, phân công 3 công chức trực." \
		"cai_cach_cong_vu=Cử 4 công chức tham gia tập huấn kỹ năng số." \
		"cai_cach_tai_chinh=Thực hiện tự chủ kinh phí quản lý hành chính theo quy định." \
		"chinh_quyen_dien_tu=95,8% văn bản đi được ký số và gửi trên môi trường điện tử." \
		"chi_dao_dieu_hanh=Ban hành Kế hoạch CCHC năm 2021 ngày 15/01/2021." \
		"ton_tai_han_che=Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng chưa đạt." \
		"nguyen_nhan=Đường truyền internet chậm, máy tính cũ." \
		"phuong_huong=Đẩy mạnh tiếp nhận hồ sơ trực tuyến mức độ 3, 4." \
		"kien_nghi=Đề nghị huyện hỗ trợ nâng cấp đường truyền." >/dev/null
	# The filled figures decide the apology counts; keep the report consistent.
	c record show "$q1" --format json >"$DEMO/.q1.json"
	num() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" "$DEMO/.q1.json"; }
	c record set "$q1" ton_ky_truoc=$(num ton_ky_truoc) \
		ho_so_dien_tu_tu=$(num tong_tiep_nhan) >/dev/null
	c record submit "$q1" >/dev/null || echo "cchc demo: the Q1 report did not pass its checks; it stays a draft" >&2
	l record approve "$q1" >/dev/null 2>&1 || true
	# 2021-H1: a draft the trainees finish.
	h1=$(c record new bao-cao-cchc --period 2021-H1 --set so_ky_hieu=45/BC-UBND)
	c record fill "$h1" >/dev/null
	rm -f "$DEMO/.q1.json"
	echo "cchc demo: ready."
fi

cat <<MSG

  Demo home: $DEMO
    commune node  $DEMO/commune   (Xã Tân Trào, 02545)
    district node $DEMO/district  (Huyện Sơn Dương, 076)
  Users (password: $PW): canbo, lanhdao, quantri on the commune; huyen, admin on the district.

MSG
export CCHC_HOME="$DEMO/commune"
CCHC_PASSWORD_FILE="$DEMO/.pw" "$CCHC" --user canbo record list --period 2021-Q1 </dev/null || true
CCHC_PASSWORD_FILE="$DEMO/.pw" "$CCHC" --user canbo record list so-theo-doi-ho-so --search "hoa" </dev/null |
	tail -n 4 || true
if [ -t 0 ] && [ -t 1 ]; then
	# The screen UI on the demo commune first (F10 quits); then the shell.
	CCHC_LOGIN_HINT="Demo: canbo / lanhdao, mật khẩu: $PW" "$CCHC" --user canbo || true
	cat <<MSG

  A shell on the demo commune node (CCHC_HOME is set; exit to leave). Try:
    cchc --user canbo record list --search "nguyen van"
    cchc --user canbo record show <id>
    cchc --user lanhdao record approve <id>
MSG
	PATH="$ROOT/$B:$PATH" PS1='[cchc demo] $ ' CCHC_PASSWORD_FILE="$DEMO/.pw" ${SHELL:-/bin/sh} -i
fi
