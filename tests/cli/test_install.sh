#!/bin/sh
# make install PREFIX DESTDIR: the program, forms, unit lists and man pages
# land where they should, and the installed program finds its forms.
. "$(dirname "$0")/../lib.sh"
: "${B:=build}"
make -s install B="$B" PREFIX=/usr DESTDIR="$T/stage" >"$T/out" 2>"$T/err" || fail "make install"
for f in usr/bin/cchc usr/share/cchc/forms/defs/bao-cao-cchc.form \
	usr/share/cchc/forms/defs/so-theo-doi-ho-so.form usr/share/cchc/forms/defs/ky-bao-cao.periods usr/share/cchc/forms/defs/chi-tieu-2021.targets \
	usr/share/cchc/data/units/son-duong-2021.csv usr/share/man/man1/cchc.1 \
	usr/share/man/man5/cchc-forms.5; do
	[ -f "$T/stage/$f" ] || fail "make install did not install $f"
done
ok "installed files in place"
CCHC="$T/stage/usr/bin/cchc"
unset CCHC_DATADIR
run 0 form list
out_has "so-theo-doi-ho-so"
done_testing
