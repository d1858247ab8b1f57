#!/bin/sh
# Unit lists through the real cchc binary: `units check` finds each problem
# at its line; `units import` installs a list that init then finds; init
# refuses a unit not valid today (GSO-2021 ended 30/06/2025) and asks which
# list when several apply; a report for a period after the unit ended is
# refused while the older one stays readable; a 2021 record of a merged
# unit keeps its own name and says which unit it is part of now; a
# province node (2025 model) enrolls and imports from two communes of the
# sample 2025 list.
# (tests/sync/lib.sh: tests/lib.sh and a real receiver on 127.0.0.1.)
. "$(dirname "$0")/../sync/lib.sh"
SAMPLE="$CCHC_DATADIR/data/units-sample/tuyen-quang-2025-mau.csv"
NOW=2026-12-03T09:00
H="code,name,kind,parent,valid_from,valid_to,list_version,predecessors"

# --- units check: every problem at its line, exit 65
cat >"$T/bad.csv" <<EOF
# a list with one problem per line below the header
$H
08,Tỉnh Tuyên Quang,Tỉnh,,2025-07-01,,L-2025,
90001,Xã Một,Xã,08,2025-07-01,,L-2025,
90001,Xã Một Lần Nữa,Xã,08,2025-07-01,,L-2025,
90002,Xã Mồ Côi,Xã,77,2025-07-01,,L-2025,
90003,Thị trấn Sai Cấp,Thị trấn,08,2025-07-01,,L-2025,
90004,Xã Không Cha,Xã,,2025-07-01,,L-2025,
90005,Xã Cũ,Xã,08,2025-07-01,,L-2025,abc
08,Tỉnh Tuyên Quang,Tỉnh,,2020-01-01,2025-12-31,L-2021,
EOF
run 65 units check "$T/bad.csv"
err_has "$T/bad.csv:5: trùng mã đơn vị '90001' trong danh mục L-2025"
err_has "$T/bad.csv:6: đơn vị cấp trên 77 của Xã Mồ Côi không có trong danh mục L-2025"
err_has "$T/bad.csv:7: loại 'Thị trấn' không thể trực thuộc Tỉnh Tuyên Quang (loại 'Tỉnh')"
err_has "$T/bad.csv:8: Xã Không Cha thiếu mã đơn vị cấp trên"
err_has "$T/bad.csv:9: mã đơn vị trước đây không hợp lệ 'abc'"
err_has "$T/bad.csv:10: mã 08 đã là Tỉnh Tuyên Quang (danh mục L-2025, hiệu lực 01/07/2025–…)"
err_has "có lỗi"
# Fix the syntax problems: the meaning checks still run and find the rest.
sed -e '5d' -e '9d' "$T/bad.csv" >"$T/bad2.csv"
run 65 --lang en units check "$T/bad2.csv"
err_has "$T/bad2.csv:5: the parent 77 of Xã Mồ Côi is not in list L-2025"
err_has "$T/bad2.csv:6: a 'Thị trấn' cannot be under Tỉnh Tuyên Quang (a 'Tỉnh')"
err_has "$T/bad2.csv:8: code 08 is already Tỉnh Tuyên Quang (list L-2025"
n=$(grep -c "bad2.csv:" "$T/err")
eq "$n" 4 "four problems, each once"
# A Huyện under a Huyện, and a province with a parent.
printf '%s\n%s\n%s\n%s\n' "$H" "08,Tỉnh Tuyên Quang,Tỉnh,01,2020-01-01,,X," \
	"076,Huyện Sơn Dương,Huyện,08,2020-01-01,,X," "077,Huyện Con,Huyện,076,2020-01-01,,X," \
	>"$T/kinds.csv"
run 65 units check "$T/kinds.csv"
err_has "$T/kinds.csv:2: Tỉnh Tuyên Quang là cấp tỉnh, không có đơn vị cấp trên"
err_has "$T/kinds.csv:4: loại 'Huyện' không thể trực thuộc Huyện Sơn Dương (loại 'Huyện')"
# The shipped lists and the sample are good; nothing was installed so far.
run 0 units check "$CCHC_DATADIR/data/units/son-duong-2021.csv" "$SAMPLE"
out_has "son-duong-2021.csv: tốt."
run 65 units import "$T/bad.csv"
err_has "chưa cài gì"
[ ! -e "$XDG_DATA_HOME/cchc/units/bad.csv" ] || fail "a bad list was installed"
ok "a bad list is not installed"

# --- init refuses a unit not valid today (2021 list, today 2026)
unset CCHC_INIT_ON
export CCHC_NOW=$NOW
pw "$T/pw-a" "admin-password-1"
CCHC_PASSWORD_FILE="$T/pw-a" run 65 --home "$T/old" init district --unit 076 --admin a
err_has "Huyện Sơn Dương (mã 076, danh mục GSO-2021) có hiệu lực 01/01/2020–30/06/2025, không có hiệu lực ngày 03/12/2026"
err_has "cchc units import"
[ ! -e "$T/old" ] || fail "a refused init left a directory"
CCHC_PASSWORD_FILE="$T/pw-a" run 65 --home "$T/old" init commune --unit 02545 \
	--district-key /nonexistent --admin a
err_has "Xã Tân Trào (mã 02545, danh mục GSO-2021)"
# --on says the node is for the years the unit was in force.
CCHC_PASSWORD_FILE="$T/pw-a" run 0 --home "$T/old" init district --unit 076 --on 01/06/2021 --admin a
grep -q "level = district" "$T/old/node.conf" || fail "node.conf has no level"
ok "node.conf: level = district"
# The province is not there until a 2025 list is installed.
CCHC_PASSWORD_FILE="$T/pw-a" run 65 --home "$T/p0" init province --unit 08 --admin a
err_has "Tỉnh Tuyên Quang (mã 08, danh mục GSO-2021)"

# --- import, then init finds the list
run 0 units import "$SAMPLE"
out_has "Đã cài danh mục SAMPLE-TQ-2025 (11 đơn vị)"
[ -f "$XDG_DATA_HOME/cchc/units/tuyen-quang-2025-mau.csv" ] || fail "not installed"
run 0 units list --on 2026-12-03 --format csv
eq "$(grep -c ',SAMPLE-TQ-2025,' "$T/out")" 11 "11 units valid today, all of the sample"
out_lacks "GSO-2021"
out_has "02536,Xã Sơn Dương,Xã,08,2025-07-01,,SAMPLE-TQ-2025,02536 02566 02569 02560"
run 0 units list --on 2021-03-01 --format json
out_has '"code":"02536","name":"Thị trấn Sơn Dương"'
out_lacks "SAMPLE"
run 64 units list --format xml
# Importing it again replaces the installed copy.
run 0 units import "$SAMPLE"
out_has "thay bản đã cài"
# A wrong tier says which init to use.
CCHC_PASSWORD_FILE="$T/pw-a" run 65 --home "$T/p0" init district --unit 08 --admin a
err_has "là tỉnh, không phải huyện; dùng: cchc init province --unit 08"

P="$T/prov"
pw "$T/pw-padmin" "province-admin-pw"
CCHC_PASSWORD_FILE="$T/pw-padmin" run 0 --home "$P" init province --unit 08 --admin admin
out_has "Đã tạo nút Tỉnh Tuyên Quang"
grep -q "level = province" "$P/node.conf" || fail "node.conf: no level = province"
grep -q "unit_list = SAMPLE-TQ-2025" "$P/node.conf" || fail "node.conf: wrong list"
ok "node.conf: kind district (aggregating), level province, the sample list"
run 0 --home "$P" key show
out_has "nút tỉnh"
run 0 --home "$P" key export "$T/prov.id"
pw "$T/pw-add" "province-admin-pw" "province-user-pw"
CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$P" --user admin user add hoa --role huyen
pw "$T/pw-hoa" "province-user-pw"

# Two communes of the province; 02536 is now Xã Sơn Dương (code reused).
# The first sends by network to the province's receiver, the second by USB.
start_receiver "$P"
i=0
for code in 02536 99001; do
	i=$((i + 1))
	pw "$T/pw-qt$i" "commune-admin-pw-$i"
	CCHC_PASSWORD_FILE="$T/pw-qt$i" run 0 --home "$T/c$i" init commune --unit $code \
		--district-key "$T/prov.id" --admin qt
	out_has "Khóa của Tỉnh Tuyên Quang (08)"
	grep -q "unit_list = SAMPLE-TQ-2025" "$T/c$i/node.conf" || fail "commune $code: wrong list"
	pw "$T/pw-add" "commune-admin-pw-$i" "officer-pw-$i"
	CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$T/c$i" --user qt user add lan --role canbo
	pw "$T/pw-lan$i" "officer-pw-$i"
	run 0 --home "$T/c$i" key export "$T/c$i.id"
	CCHC_PASSWORD_FILE="$T/pw-padmin" run 0 --home "$P" --user admin enroll "$T/c$i.id"
	CCHC_PASSWORD_FILE="$T/pw-lan$i" run 0 --home "$T/c$i" --user lan record new so-theo-doi-ho-so \
		--set so_thu_tu=1 --set "ma_ho_so=H59-2026-$i" --set "thu_tuc=Đăng ký khai sinh" \
		--set "linh_vuc=Hộ tịch" --set so_luong=1 --set "chu_ho_so=Người Nộp $i" \
		--set kenh_nop=truc_tiep --set kenh_tra=truc_tiep --set ngay_tiep_nhan=2026-12-01 \
		--set ngay_hen_tra=2026-12-02 --set trang_thai=da_tra --set ngay_tra_ket_qua=2026-12-02
	# A report for a 2021 period: before this commune existed.
	CCHC_PASSWORD_FILE="$T/pw-lan$i" run 65 --home "$T/c$i" --user lan record new bao-cao-cchc \
		--period 2021-Q1
	err_has "có hiệu lực 01/07/2025–…; không lập được báo cáo kỳ Quý I năm 2021"
	if [ $i -eq 1 ]; then
		run 0 --home "$T/c$i" sync push --server "$URL"
	else
		mkdir -p "$T/usb"
		run 0 --home "$T/c$i" sync export "$T/usb"
	fi
done
stop_receiver
CCHC_PASSWORD_FILE="$T/pw-hoa" run 0 --home "$P" --user hoa import
out_has "1 lô đã nhập (1 bản ghi)"
# The sample's 02536 is another unit than the 2021 list's: both enroll by list.
run 0 --home "$P" key show
CCHC_PASSWORD_FILE="$T/pw-hoa" run 0 --home "$P" --user hoa import "$T/usb"
out_has "1 lô đã nhập (1 bản ghi)"
CCHC_PASSWORD_FILE="$T/pw-hoa" run 0 --home "$P" --user hoa record list --format csv --all
eq "$(grep -c ',02536,' "$T/out")" 1 "one record of Xã Sơn Dương (02536) at the province"
eq "$(grep -c ',99001,' "$T/out")" 1 "one record of Xã Tân Trào (99001) at the province"
CCHC_PASSWORD_FILE="$T/pw-hoa" run 77 --home "$P" --user hoa user list
err_has "'hoa' có vai trò cán bộ tỉnh"
CCHC_PASSWORD_FILE="$T/pw-hoa" "$CCHC" --home "$P" --user hoa record list --format csv --all >"$T/out"
RS=$(grep ",02536," "$T/out" | cut -d, -f1)
CCHC_PASSWORD_FILE="$T/pw-hoa" run 0 --home "$P" --user hoa record show "$RS"
out_has "Xã Sơn Dương (02536)"
out_lacks "Thị trấn"

# --- several lists valid today: init asks (here: a script, so it refuses and names --units)
sed 's/SAMPLE-TQ-2025/SAMPLE-TQ-2025B/' "$SAMPLE" >"$T/tq-b.csv"
run 0 units import "$T/tq-b.csv"
CCHC_PASSWORD_FILE="$T/pw-a" run 64 --home "$T/c9" init commune --unit 02536 \
	--district-key "$T/prov.id" --admin qt
err_has "mã 02536 có trong nhiều danh mục có hiệu lực ngày 03/12/2026; chọn một bằng --units"
err_has "--units SAMPLE-TQ-2025B"
CCHC_PASSWORD_FILE="$T/pw-a" run 0 --home "$T/c9" init commune --unit 02536 --units SAMPLE-TQ-2025 \
	--district-key "$T/prov.id" --admin qt
grep -q "unit_list = SAMPLE-TQ-2025$" "$T/c9/node.conf" || fail "--units not kept"
ok "--units picks the list"
rm -f "$XDG_DATA_HOME/cchc/units/tq-b.csv"

# --- 2021 records of merged units keep their names (lists by version)
D="$T/d2021"
CCHC_PASSWORD_FILE="$T/pw-a" run 0 --home "$D" init district --unit 076 --on 2021-06-01 --admin a
run 0 --home "$D" key export "$T/d2021.id"
j=0
for code in 02566 02536; do
	j=$((j + 1))
	CCHC_PASSWORD_FILE="$T/pw-a" run 0 --home "$T/o$j" init commune --unit $code --on 2021-06-01 \
		--district-key "$T/d2021.id" --admin a
	grep -q "unit_list = GSO-2021" "$T/o$j/node.conf" || fail "old commune $code: wrong list"
	pw "$T/pw-add" "admin-password-1" "officer-pw-o$j"
	CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$T/o$j" --user a user add lan --role canbo
	pw "$T/pw-o$j" "officer-pw-o$j"
	CCHC_NOW=2021-03-05T09:00 CCHC_PASSWORD_FILE="$T/pw-o$j" run 0 --home "$T/o$j" --user lan \
		record new bao-cao-cchc --period 2021-Q1 --set tong_tiep_nhan=12
	eval "R$j=\$(cat \"\$T/out\")"
done
# A 2021 commune is not one of the province's (its list is GSO-2021).
run 0 --home "$T/o1" key export "$T/o1.id"
CCHC_PASSWORD_FILE="$T/pw-padmin" run 65 --home "$P" --user admin enroll "$T/o1.id"
err_has "đơn vị 02566 không phải một xã của tỉnh này (danh mục SAMPLE-TQ-2025)"
CCHC_PASSWORD_FILE="$T/pw-o1" run 0 --home "$T/o1" --user lan record show "$R1"
out_has "Xã Hợp Thành"
out_has "(nay thuộc Xã Sơn Dương, mã 02536, danh mục SAMPLE-TQ-2025)"
CCHC_PASSWORD_FILE="$T/pw-o2" run 0 --home "$T/o2" --user lan record show "$R2"
out_has "Thị trấn Sơn Dương (02536)"
out_has "(nay thuộc Xã Sơn Dương, mã 02536, danh mục SAMPLE-TQ-2025)"
# In 2021 (before the reform) no "now part of" line.
CCHC_NOW=2021-03-05T09:00 CCHC_PASSWORD_FILE="$T/pw-o1" run 0 --home "$T/o1" --user lan record show "$R1"
out_lacks "nay thuộc"

# --- valid_to enforced: a unit that ended takes no report for a later period
DD="$T/datadir"
mkdir -p "$DD/data/units"
cp -r "$CCHC_DATADIR/forms" "$DD/forms"
sed 's/^02545,\(.*\),2020-01-01,2025-06-30,/02545,\1,2020-01-01,2021-06-10,/' \
	"$CCHC_DATADIR/data/units/son-duong-2021.csv" >"$DD/data/units/son-duong-2021.csv"
grep -q "^02545,.*,2021-06-10," "$DD/data/units/son-duong-2021.csv" || fail "test list not made"
export CCHC_DATADIR="$DD"
CCHC_PASSWORD_FILE="$T/pw-a" run 0 --home "$T/d3" init district --unit 076 --on 2021-06-01 --admin a
run 0 --home "$T/d3" key export "$T/d3.id"
CCHC_PASSWORD_FILE="$T/pw-a" run 0 --home "$T/t3" init commune --unit 02545 --on 2021-06-01 \
	--district-key "$T/d3.id" --admin a
pw "$T/pw-add" "admin-password-1" "officer-pw-t3"
CCHC_PASSWORD_FILE="$T/pw-add" run 0 --home "$T/t3" --user a user add lan --role canbo
pw "$T/pw-t3" "officer-pw-t3"
CCHC_PASSWORD_FILE="$T/pw-t3" run 0 --home "$T/t3" --user lan record new bao-cao-cchc --period 2021-Q1
RQ1=$(cat "$T/out")
CCHC_PASSWORD_FILE="$T/pw-t3" run 0 --home "$T/t3" --user lan record new bao-cao-cchc --period 2021-H1
CCHC_PASSWORD_FILE="$T/pw-t3" run 65 --home "$T/t3" --user lan record new bao-cao-cchc --period 2021-Q3
err_has "Xã Tân Trào (danh mục GSO-2021) có hiệu lực 01/01/2020–10/06/2021; không lập được báo cáo kỳ Quý III năm 2021 (số liệu 15/06/2021–14/09/2021)"
CCHC_PASSWORD_FILE="$T/pw-t3" run 0 --home "$T/t3" --user lan record list --format csv
eq "$(grep -c 'bao-cao-cchc' "$T/out")" 2 "two reports, none for 2021-Q3"
CCHC_PASSWORD_FILE="$T/pw-t3" run 0 --home "$T/t3" --user lan record show "$RQ1"
out_has "Xã Tân Trào (02545)"
CCHC_PASSWORD_FILE="$T/pw-a" run 65 --home "$T/t4" init commune --unit 02545 --on 2021-07-01 \
	--district-key "$T/d3.id" --admin a
err_has "không có hiệu lực ngày 01/07/2021"

done_testing
