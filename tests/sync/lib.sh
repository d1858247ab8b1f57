# tests/sync/lib.sh: shared setup for the sync command tests (sourced).
#
# sync_setup: district $D (admin "admin", district user "hoa"), commune $C
# (Tân Trào 02545: lan/hung, from setup_nodes) and commune $C2 (Vĩnh Lợi
# 02548: qt2, lan2, hung2), both enrolled.  start_receiver HOME [ADDR]
# starts `cchc serve` on 127.0.0.1 (or ADDR, e.g. ::1) port 0 (the kernel
# picks a free one), sets $URL and $SERVE_PID; stop_receiver stops it by
# its PID.
. "$(dirname "$0")/../lib.sh"
HELPER="$(dirname "$CCHC")/tests/sync/helper_sync"
[ -x "$HELPER" ] || { echo "FAIL: $HELPER not built" >&2; exit 1; }
helper() { "$HELPER" "$@"; }
SERVE_PID=
# The commune's restore mark lives outside its node directory (sync/fork.c):
# keep the tests' marks in their own temporary directory.
export XDG_STATE_HOME="$T/state"
cleanup_hook() { [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; :; }

sync_setup() {
	setup_nodes
	C2="$T/commune2"
	pw "$T/pw-qt2" "commune2-admin-pw"
	CCHC_PASSWORD_FILE="$T/pw-qt2" "$CCHC" --home "$C2" init commune --unit 02548 \
		--district-key "$T/district.id" --admin qt2 >/dev/null || fail "init commune 2"
	pw "$T/pw-add" "commune2-admin-pw" "officer-pw-2"
	CCHC_PASSWORD_FILE="$T/pw-add" "$CCHC" --home "$C2" --user qt2 user add lan2 \
		--role canbo >/dev/null || fail "user add lan2"
	pw "$T/pw-add" "commune2-admin-pw" "leader-pw-33"
	CCHC_PASSWORD_FILE="$T/pw-add" "$CCHC" --home "$C2" --user qt2 user add hung2 \
		--role lanhdao >/dev/null || fail "user add hung2"
	pw "$T/pw-lan2" "officer-pw-2"; pw "$T/pw-hung2" "leader-pw-33"
	pw "$T/pw-add" "district-admin-pw" "district-user-pw"
	CCHC_PASSWORD_FILE="$T/pw-add" "$CCHC" --home "$D" --user admin user add hoa \
		--role huyen >/dev/null || fail "user add hoa"
	pw "$T/pw-hoa" "district-user-pw"
	for n in "$C" "$C2"; do
		"$CCHC" --home "$n" key export "$n.id" >/dev/null || fail "key export $n"
		CCHC_PASSWORD_FILE="$T/pw-admin" "$CCHC" --home "$D" --user admin enroll "$n.id" \
			>/dev/null || fail "enroll $n"
	done
	ok "two communes enrolled"
}

as_c() { want=$1; shift; run "$want" --home "$C" "$@"; }
as_c2() { want=$1; shift; run "$want" --home "$C2" "$@"; }
as_lan_c() { want=$1; shift; CCHC_PASSWORD_FILE="$T/pw-lan" run "$want" --home "$C" --user lan "$@"; }
as_hung_c() { want=$1; shift; CCHC_PASSWORD_FILE="$T/pw-hung" run "$want" --home "$C" --user hung "$@"; }
as_d() { want=$1; shift; CCHC_PASSWORD_FILE="$T/pw-hoa" run "$want" --home "$D" --user hoa "$@"; }

# make_report HOME OFFICER LEADER: a complete, approved 2021-Q1 report; $REPORT.
make_report() {
	h=$1; o=$2; l=$3
	opw="$T/pw-$o"; lpw="$T/pw-$l"
	CCHC_PASSWORD_FILE="$opw" "$CCHC" --home "$h" --user "$o" record new bao-cao-cchc --period 2021-Q1 \
		--set so_ky_hieu=15/BC-UBND --set ngay_bao_cao=05/03/2021 \
		--set "nguoi_lap=Nguyễn Thị Lan" --set "nguoi_ky=Hoàng Văn Hùng" --set chuc_vu_ky=chu_tich \
		--set tong_tiep_nhan=120 --set ton_ky_truoc=10 --set tiep_nhan_truc_tuyen=30 \
		--set tiep_nhan_truc_tiep=70 --set tiep_nhan_buu_chinh=10 >"$T/out" 2>"$T/err" ||
		fail "report new in $h"
	REPORT=$(cat "$T/out")
	CCHC_PASSWORD_FILE="$opw" "$CCHC" --home "$h" --user "$o" record set "$REPORT" \
		da_giai_quyet=100 giai_quyet_truoc_han=20 giai_quyet_dung_han=75 \
		giai_quyet_qua_han=5 dang_giai_quyet=20 dang_trong_han=18 dang_qua_han=2 so_phieu_xin_loi=7 \
		tthc_mot_cua_tu=50 tthc_mot_cua_mau=50 ho_so_dien_tu_tu=120 tthc_cong_khai_tu=50 \
		tthc_cong_khai_mau=50 van_ban_dien_tu_tu=95 van_ban_dien_tu_mau=100 \
		ho_so_cong_viec_tu=40 ho_so_cong_viec_mau=100 dvc_muc_3_4_tu=33 dvc_muc_3_4_mau=50 \
		dvc_tich_hop_tu=14 buu_chinh_tu=22 hai_long_tu=95 hai_long_mau=100 xin_loi_tu=7 xin_loi_mau=7 \
		"cai_cach_the_che=Rà soát văn bản." "cai_cach_tthc=Niêm yết công khai." \
		"cai_cach_bo_may=Kiện toàn Bộ phận Một cửa." "cai_cach_cong_vu=Tập huấn." \
		"cai_cach_tai_chinh=Tự chủ kinh phí." "chinh_quyen_dien_tu=Chữ ký số." \
		"chi_dao_dieu_hanh=Kế hoạch CCHC." "ton_tai_han_che=Mạng chậm." "nguyen_nhan=Hạ tầng." \
		"phuong_huong=Tăng hồ sơ trực tuyến." "kien_nghi=Hỗ trợ máy quét." \
		>"$T/out" 2>"$T/err" || fail "report set in $h"
	CCHC_PASSWORD_FILE="$opw" "$CCHC" --home "$h" --user "$o" record submit "$REPORT" \
		>"$T/out" 2>"$T/err" || fail "report submit in $h"
	CCHC_PASSWORD_FILE="$lpw" "$CCHC" --home "$h" --user "$l" record approve "$REPORT" \
		>"$T/out" 2>"$T/err" || fail "report approve in $h"
	ok "approved report $REPORT in $h"
}

start_receiver() {
	host=${2:-127.0.0.1}
	case $host in *:*) hostu="[$host]" ;; *) hostu=$host ;; esac
	# Emptied here, not only by the child's redirection: a restart must not
	# read the port of the receiver before it from the old log.
	: >"$T/serve.log"
	"$CCHC" --home "$1" serve --listen "$hostu:0" 2>>"$T/serve.log" &
	SERVE_PID=$!
	i=0
	while ! grep -qF "http://$hostu:" "$T/serve.log" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && fail "receiver did not start: $(cat "$T/serve.log")"
		kill -0 "$SERVE_PID" 2>/dev/null || fail "receiver died: $(cat "$T/serve.log")"
		sleep 0.05
	done
	PORT=$(grep -F "http://$hostu:" "$T/serve.log" | sed 's|.*http://[^ ]*:\([0-9][0-9]*\) .*|\1|' | tail -1)
	URL="http://$hostu:$PORT"
	ok "receiver on $URL (pid $SERVE_PID)"
}

stop_receiver() {
	kill "$SERVE_PID" && wait "$SERVE_PID" 2>/dev/null
	SERVE_PID=
	ok "receiver stopped"
}

# count_unit CODE N: $T/out (a record list csv) has N records of unit CODE.
count_unit() {
	got=$(grep -c ",$1," "$T/out")
	eq "$got" "$2" "$2 records of unit $1 at the district"
}

# list_state HOME: every record of the district with its version, sorted.
list_state() {
	CCHC_PASSWORD_FILE="$T/pw-hoa" "$CCHC" --home "$1" --user hoa record list --format csv --all |
		cut -d, -f1-9 | sort
}
