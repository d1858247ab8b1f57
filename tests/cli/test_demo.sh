# cchc demo: the seeded data against what the demo promises (README "Demo").
#  - 31 communes, each its own node, enrolled at the district;
#  - per period, the on-time / late / missing reports that `cchc status`
#    prints on the demo's district node;
#  - every register entry received inside a period's data window, and
#    valid against the form's rules (checked here again, independently);
#    all three channels in; some late dossiers with an apology letter;
#  - each report's dossier figures equal its commune's register counts for
#    the period's window (counted here by the form's fill rules);
#  - --reset twice gives the same counts;
#  - the user's real nodes ($CCHC_HOME, $XDG_DATA_HOME/cchc) untouched,
#    byte for byte, and nothing of the demo in the user's state dir.
. "$(dirname "$0")/../lib.sh"
export HOME="$T/home" XDG_CACHE_HOME="$T/cache" XDG_DATA_HOME="$T/data"
mkdir -p "$HOME" "$T/data"
pw "$T/pw-real" "real-admin-pw"
CCHC_PASSWORD_FILE="$T/pw-real" "$CCHC" --home "$T/real" init district --unit 076 \
	--admin admin >/dev/null || fail "init the real node"
CCHC_PASSWORD_FILE="$T/pw-real" "$CCHC" --home "$T/data/cchc" init district --unit 076 \
	--admin admin >/dev/null || fail "init the XDG data node"
# Names, sizes, modes, times and contents of every file.
snap() { (cd "$1" && find . -printf '%p %s %m %T@\n' | sort && find . -type f -exec cksum {} + | sort); }
snap "$T/real" >"$T/real.before"
snap "$T/data/cchc" >"$T/data.before"
export CCHC_HOME="$T/real"

run 0 demo --reset --no-ui
DEMO="$T/cache/cchc-demo"
eq "$(sed -n 1p "$T/out")" "district=$DEMO/district" "district= line"
eq "$(sed -n 2p "$T/out")" "commune=$DEMO/communes/02545" "commune= line (Xã Tân Trào)"
eq "$(sed -n 3p "$T/out")" "password=demo1234" "password= line"
for r in canbo lanhdao huyen quantri; do out_has "user.$r=$r"; done
cp "$T/out" "$T/summary"
export CCHC_PASSWORD_FILE="$DEMO/password"

eq "$(ls "$DEMO/communes" | wc -l)" 31 "31 commune nodes"
n=0
for c in "$DEMO"/communes/*; do
	grep -q '^kind = commune' "$c/node.conf" && n=$((n + 1))
done
eq "$n" 31 "each a commune node"
"$CCHC" --home "$DEMO/district" --user huyen status --period 2021-Q1 >/dev/null ||
	fail "status at the demo district"

# Counts per period as `cchc status` prints them: total on_time late missing returned.
counts() {
	for p in 2021-Q1 2021-H1 2021-Q3; do
		"$CCHC" --home "$DEMO/district" --user huyen status --period $p --format csv |
			awk -F, -v p=$p 'NR > 1 { n[$3]++; t++ }
			END { printf "%s %d %d %d %d %d\n", p, t, n["on_time"], n["late"], n["missing"], n["returned"] }'
	done
}
counts >"$T/counts"
eq "$(sed -n 1p "$T/counts")" "2021-Q1 31 24 5 2 0" "2021-Q1: 24 on time, 5 late, 2 missing"
eq "$(sed -n 2p "$T/counts")" "2021-H1 31 25 4 2 0" "2021-H1: 25 on time, 4 late, 2 missing"
eq "$(sed -n 3p "$T/counts")" "2021-Q3 31 22 6 3 0" "2021-Q3: 22 on time, 6 late, 3 missing"
"$CCHC" --home "$DEMO/district" --user huyen status --period 2021-Q3 --unit 02545 >"$T/tt"
grep -q "chưa gửi" "$T/tt" || fail "Tân Trào's 2021-Q3 is left for the trainer"
ok "Xã Tân Trào's 2021-Q3 is not sent (the trainer makes it)"

"$CCHC" --home "$DEMO/district" --user huyen record list so-theo-doi-ho-so --format csv \
	>"$T/reg.csv" || fail "register list at the district"
"$CCHC" --home "$DEMO/district" --user huyen record list bao-cao-cchc --format csv \
	>"$T/rep.csv" || fail "report list at the district"
entries=$(($(wc -l <"$T/reg.csv") - 1))
[ "$entries" -ge 2000 ] && [ "$entries" -le 6000 ] || fail "register has $entries entries"
ok "the district holds a register of $entries entries"

# One CSV line to fields (quotes, doubled quotes, commas inside quotes).
CSV='function csv(line, f,    n, i, c, q, cur) {
	n = 0; cur = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur c; i++ } else q = 0 } else cur = cur c }
		else if (c == "\"") q = 1
		else if (c == ",") { f[++n] = cur; cur = "" }
		else cur = cur c
	}
	f[++n] = cur
	return n
}
function header(line,    n, i, f) { n = csv(line, f); sub(/^\357\273\277/, "", f[1]); for (i = 1; i <= n; i++) col[f[i]] = i }
function v(f, name) { return (name in col) ? f[col[name]] : "" }'

# Every entry against the register form's rules, inside the windows.
awk "$CSV"'
NR == 1 { header($0); next }
{
	csv($0, f); bad = ""
	for (k in req) if (v(f, k) == "") bad = bad " no " k
	st = v(f, "trang_thai"); rcv = v(f, "ngay_tiep_nhan"); due = v(f, "ngay_hen_tra"); ret = v(f, "ngay_tra_ket_qua")
	if (!(st in states)) bad = bad " state " st
	if (!(v(f, "kenh_nop") in ch)) bad = bad " channel " v(f, "kenh_nop")
	if (due < rcv) bad = bad " due before received"
	if (ret != "" && ret < rcv) bad = bad " returned before received"
	if ((st == "da_tra" || st == "khong_giai_quyet") && ret == "") bad = bad " returned without date"
	if (v(f, "xin_loi") == "1" && !(v(f, "ngay_hen_moi") > due)) bad = bad " apology without a later date"
	if (rcv < "2020-12-15" || rcv > "2021-09-14") bad = bad " outside the windows"
	if (bad != "") { print v(f, "ma_ho_so") ":" bad; nbad++ }
	inch[v(f, "kenh_nop")]++
	if (v(f, "xin_loi") == "1" && ret > due) apology++
}
END {
	if (nbad) exit 1
	if (!inch["truc_tiep"] || !inch["truc_tuyen"] || !inch["buu_chinh"]) { print "a channel missing"; exit 1 }
	if (apology < 10) { print "only " apology " late dossiers with an apology"; exit 1 }
}
BEGIN {
	split("ma_ho_so thu_tuc linh_vuc chu_ho_so kenh_nop ngay_tiep_nhan ngay_hen_tra trang_thai", a, " ")
	for (i in a) req[a[i]] = 1
	split("moi_tiep_nhan dang_giai_quyet cho_bo_sung cho_tra da_tra khong_giai_quyet tu_choi rut_ho_so", a, " ")
	for (i in a) states[a[i]] = 1
	split("truc_tiep truc_tuyen buu_chinh", a, " "); for (i in a) ch[a[i]] = 1
}' "$T/reg.csv" >"$T/bad" || { cat "$T/bad" >&2; fail "register entries break the form's rules"; }
ok "every register entry valid and inside 15/12/2020-14/09/2021; all channels; late ones with apology"

# Each report's dossier figures, counted again from its commune's register
# by the form's fill rules (forms/fill.c, bao-cao-cchc.form).
awk "$CSV"'
FNR == 1 { delete col; header($0); file++; next }
file == 1 {
	csv($0, f); u = v(f, "unit"); st = v(f, "trang_thai")
	if (st == "tu_choi" || st == "rut_ho_so") next
	n[u]++; R[u, n[u]] = v(f, "ngay_tiep_nhan"); D[u, n[u]] = v(f, "ngay_hen_tra")
	T[u, n[u]] = v(f, "ngay_tra_ket_qua"); P[u, n[u]] = (st == "cho_bo_sung"); K[u, n[u]] = v(f, "kenh_nop")
	next
}
{
	csv($0, f); u = v(f, "unit"); p = v(f, "period"); from = W1[p]; to = W2[p]
	split("", c)
	for (i = 1; i <= n[u]; i++) {
		r = R[u, i]; d = D[u, i]; t = T[u, i]
		if (r > to || (t != "" && t < from)) continue
		c["tong_tiep_nhan"]++
		if (r < from) c["ton_ky_truoc"]++
		else c["tiep_nhan_" K[u, i]]++
		if (t != "" && t <= to) {
			c["da_giai_quyet"]++
			c[t < d ? "giai_quyet_truoc_han" : t == d ? "giai_quyet_dung_han" : "giai_quyet_qua_han"]++
		} else {
			c["dang_giai_quyet"]++
			c[(!P[u, i] && d < to) ? "dang_qua_han" : "dang_trong_han"]++
		}
	}
	split("tong_tiep_nhan ton_ky_truoc tiep_nhan_truc_tuyen tiep_nhan_truc_tiep tiep_nhan_buu_chinh da_giai_quyet giai_quyet_truoc_han giai_quyet_dung_han giai_quyet_qua_han dang_giai_quyet dang_trong_han dang_qua_han", names, " ")
	for (j in names) if (v(f, names[j]) + 0 != c[names[j]] + 0) {
		print u " " p " " names[j] ": report " v(f, names[j]) ", register " c[names[j]] + 0; bad++
	}
	reports++
}
END { if (bad || reports != 86) { print reports " reports"; exit 1 } }
BEGIN {
	W1["2021-Q1"] = "2020-12-15"; W2["2021-Q1"] = "2021-03-14"
	W1["2021-H1"] = "2020-12-15"; W2["2021-H1"] = "2021-06-14"
	W1["2021-Q3"] = "2021-06-15"; W2["2021-Q3"] = "2021-09-14"
}' "$T/reg.csv" "$T/rep.csv" >"$T/bad" || { cat "$T/bad" >&2; fail "report figures differ from the register"; }
ok "each of the 86 reports' dossier figures equal its commune's register counts"

# The same again after a second --reset.
awk -F, 'NR > 1 { n[$4]++ } END { for (u in n) print u, n[u] }' "$T/reg.csv" | sort >"$T/per-unit"
run 0 demo --reset --no-ui
eq "$(cat "$T/out")" "$(cat "$T/summary")" "the same summary after --reset"
counts >"$T/counts2"
eq "$(cat "$T/counts2")" "$(cat "$T/counts")" "the same report counts after --reset"
"$CCHC" --home "$DEMO/district" --user huyen record list so-theo-doi-ho-so --format csv |
	awk -F, 'NR > 1 { n[$4]++ } END { for (u in n) print u, n[u] }' | sort >"$T/per-unit2"
cmp -s "$T/per-unit" "$T/per-unit2" || fail "register counts per commune changed after --reset"
ok "the same register counts per commune after --reset"
# Without --reset the demo is opened as it is.
run 0 demo --no-ui
eq "$(cat "$T/out")" "$(cat "$T/summary")" "the existing demo reused"
! grep -qF "đang tạo" "$T/err" || fail "the demo was built again without --reset"
ok "no rebuild without --reset"
# A demo home of another format is made again.
sed -i 's/^format = .*/format = 0/' "$DEMO/demo.conf"
run 0 demo --no-ui
err_has "đang tạo bản trình diễn"

snap "$T/real" >"$T/real.after"
snap "$T/data/cchc" >"$T/data.after"
cmp -s "$T/real.before" "$T/real.after" || fail "the CCHC_HOME node changed"
ok "the CCHC_HOME node untouched, byte for byte"
cmp -s "$T/data.before" "$T/data.after" || fail "the XDG data node changed"
ok "the XDG_DATA_HOME node untouched, byte for byte"
[ ! -e "$XDG_STATE_HOME/cchc" ] || fail "the demo left restore marks in the user's state dir"
ok "nothing of the demo in the user's state dir"
# A demo home that would be the real node is refused.
XDG_CACHE_HOME="$T/x" CCHC_HOME="$T/x/cchc-demo" run 64 demo --no-ui
err_has "nút thật"
done_testing
