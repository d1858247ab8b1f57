#!/bin/sh
# make install PREFIX DESTDIR: the program, forms, unit lists and man pages
# land where they should, and the installed program finds its forms.
. "$(dirname "$0")/../lib.sh"
: "${B:=build}"
make -s install B="$B" PREFIX=/usr DESTDIR="$T/stage" >"$T/out" 2>"$T/err" || fail "make install"
for f in usr/bin/cchc usr/share/cchc/forms/defs/bao-cao-cchc.form \
	usr/share/cchc/forms/defs/so-theo-doi-ho-so.form usr/share/cchc/forms/defs/ky-bao-cao.periods usr/share/cchc/forms/defs/chi-tieu-2021.targets \
	usr/share/cchc/data/units/son-duong-2021.csv usr/share/man/man1/cchc.1 \
	usr/share/man/man5/cchc-forms.5 usr/share/bash-completion/completions/cchc; do
	[ -f "$T/stage/$f" ] || fail "make install did not install $f"
done
ok "installed files in place"
for f in usr/lib/systemd/system/cchc-receiver.service usr/lib/systemd/system/cchc-sync.service \
	usr/lib/systemd/system/cchc-sync.timer usr/lib/sysusers.d/cchc.conf; do
	[ -f "$T/stage/$f" ] || fail "make install did not install $f"
done
ok "systemd units and the sysusers file in place"
units="$T/stage/usr/lib/systemd/system"
grep -qx 'ExecStart=/usr/bin/cchc serve --listen 127.0.0.1:8750' "$units/cchc-receiver.service" ||
	fail "receiver ExecStart: $(grep ExecStart "$units/cchc-receiver.service")"
grep -qx 'ExecStart=/usr/bin/cchc sync push --retries 2' "$units/cchc-sync.service" ||
	fail "sync ExecStart: $(grep ExecStart "$units/cchc-sync.service")"
! grep -q '@[A-Z]*@\|/usr/local' "$units"/cchc-* || fail "a unit keeps a template or /usr/local path"
ok "the units name /usr/bin/cchc (PREFIX=/usr)"

# systemd-analyze verify, in a root that looks like the installed system
# (the host's units beside ours, the program where ExecStart says).
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (scripts/deps.sh installs systemd)"
R="$T/root"
mkdir -p "$R/usr/lib/systemd" "$R/etc/systemd/system" "$R/usr/bin"
cp -a /usr/lib/systemd/system "$R/usr/lib/systemd/"
cp "$units"/cchc-* "$R/usr/lib/systemd/system/"
cp "$T/stage/usr/bin/cchc" "$R/usr/bin/cchc"
(cd "$R" && systemd-analyze verify --man=no --root="$R" cchc-receiver.service cchc-sync.service \
	cchc-sync.timer) >"$T/verify" 2>&1 || fail "systemd-analyze verify: $(cat "$T/verify")"
[ ! -s "$T/verify" ] || fail "systemd-analyze verify warns: $(cat "$T/verify")"
ok "systemd-analyze verify passes, with no warning"
# The hardening figure of each service (SPEC: OK is <= 4.0).
for u in cchc-receiver.service cchc-sync.service; do
	(cd "$units" && systemd-analyze security --offline=true "$u") >"$T/sec" 2>&1
	score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p' "$T/sec")
	[ -n "$score" ] || fail "no security figure for $u: $(tail -3 "$T/sec")"
	echo "systemd-analyze security $u: $score"
	awk -v s="$score" 'BEGIN { exit !(s <= 4.0) }' || fail "$u is exposed: $score > 4.0"
	ok "$u exposure $score <= 4.0"
done
grep -q '^OnCalendar=' "$units/cchc-sync.timer" && grep -q '^Persistent=true' "$units/cchc-sync.timer" ||
	fail "the timer needs OnCalendar= for Persistent= to work"
ok "the timer runs by the calendar and catches up after boot"

# make uninstall takes back what install put.
make -s uninstall PREFIX=/usr DESTDIR="$T/stage" >"$T/out" 2>"$T/err" || fail "make uninstall"
left=$(find "$T/stage" -type f | wc -l)
eq "$left" 0 "make uninstall leaves no file"
make -s install B="$B" PREFIX=/usr DESTDIR="$T/stage" >"$T/out" 2>"$T/err" || fail "make install again"
CCHC="$T/stage/usr/bin/cchc"
unset CCHC_DATADIR
run 0 form list
out_has "so-theo-doi-ho-so"
done_testing
