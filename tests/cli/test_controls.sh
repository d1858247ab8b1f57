# Control and disguising characters (issue 14, defect 5): C1 controls (U+009B
# CSI, U+009D OSC, U+009C ST, U+0085 NEL), bidi overrides (U+202E), zero-width
# spaces (U+200B) are refused in text fields with a message naming the code
# point; ESC in a command-line argument is not echoed raw in an error.
. tests/lib.sh
setup_nodes
export CCHC_PASSWORD_FILE="$T/pw-lan"
entry() { # entry NAME: a register entry whose applicant is NAME
	run "$1" --home "$C" --user lan record new so-theo-doi-ho-so --set so_thu_tu=7 \
		--set ma_ho_so=H59.36-7 --set "thu_tuc=Chứng thực bản sao" --set "linh_vuc=Chứng thực" \
		--set so_luong=1 --set "chu_ho_so=$2" --set kenh_nop=truc_tiep --set kenh_tra=truc_tiep \
		--set ngay_tiep_nhan=2021-02-01 --set ngay_hen_tra=2021-02-01 --set trang_thai=da_tra \
		--set ngay_tra_ket_qua=2021-02-01
}
for cp in 9b 9d 9c 85; do
	entry 65 "$(printf "Nguy\\303\\252n\\302\\$(printf %o 0x$cp)31m An")"
	err_has "U+00$(echo $cp | tr a-f A-F)"
done
entry 65 "$(printf 'Tr\342\200\256n An')"
err_has "U+202E"
entry 65 "$(printf 'Tr\342\200\213n An')"
err_has "U+200B"
entry 65 "$(printf 'Tr\357\273\277n An')"
err_has "U+FEFF"
run 0 --home "$C" --user lan record list so-theo-doi-ho-so --format json
eq "$(cat "$T/out")" "[]" "nothing was saved"
# Vietnamese text with marks passes.
entry 0 "Nguyễn Thị Ánh"
# ESC and a C1 CSI in an argument come back escaped, not raw.
run 64 --home "$C" "$(printf 'bad\033[31mcommand\302\233')"
! grep -q "$(printf '\033')" "$T/err" || fail "ESC echoed raw: $(od -c "$T/err" | head -3)"
ok "no raw ESC in the error"
! grep -q "$(printf '\302\233')" "$T/err" || fail "CSI echoed raw"
ok "no raw U+009B in the error"
err_has "<U+001B>[31mcommand<U+009B>"
done_testing
