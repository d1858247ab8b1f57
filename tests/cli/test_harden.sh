# Every cchc process may hold keys and decrypted records: core files are off
# (RLIMIT_CORE 0, soft and hard) and the process is not dumpable, so no core
# and no same-user ptrace or /proc/PID/mem reads its memory.
. tests/lib.sh
# `cchc telex` waits on its input: a live process to look at.
mkfifo "$T/in"
"$CCHC" telex <"$T/in" >/dev/null 2>&1 &
pid=$!
exec 3>"$T/in"
# The shell may start it with a soft limit of 0 already: wait (bounded)
# for the hard limit to drop too.
i=0
while ! grep -qE 'Max core file size +0 +0 ' "/proc/$pid/limits" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "core file size is not 0 0: $(grep 'core file' "/proc/$pid/limits")"
	sleep 0.05
done
ok "RLIMIT_CORE is 0 (soft and hard)"
exec 3>&-
wait $pid
# Not dumpable: the kernel then gives /proc/PID/ files to root, even for a
# process of another user.  Run one as nobody where we can (as root).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	case "$CCHC" in *build-san*) ok "dumpable: not checked under ASan (its leak check needs ptrace)";;
	*)
		mkfifo "$T/in2"; chmod 0666 "$T/in2"; chmod 0755 "$T"
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$CCHC" telex <"$T/in2" >/dev/null 2>&1 &
		pid=$!
		exec 3>"$T/in2"
		i=0
		while [ "$(stat -c %U "/proc/$pid/status" 2>/dev/null)" != root ]; do
			i=$((i + 1)); [ $i -lt 100 ] || fail "/proc/$pid/status is owned by $(stat -c %U "/proc/$pid/status"), not root: the process is dumpable"
			sleep 0.05
		done
		ok "a cchc process of user nobody is not dumpable (/proc/PID owned by root)"
		exec 3>&-
		wait $pid;;
	esac
elif [ "${CI:-}" = true ]; then
	fail "cannot check dumpable without root and setpriv"
else
	ok "dumpable: not checked (needs root and setpriv)"
fi

# A node that belongs to another user (a service's node in /var/lib/cchc)
# is reported as such, not as "not a cchc node".
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	pw "$T/pw-admin" "district-admin-pw"
	CCHC_PASSWORD_FILE="$T/pw-admin" "$CCHC" --home "$T/node" init district --unit 076 \
		--admin admin >/dev/null 2>&1 || fail "init district"
	chmod 0755 "$T"
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$CCHC" --lang en --home "$T/node" \
		key show >"$T/out" 2>"$T/err" </dev/null
	eq "$?" 77 "another user's node: exit 77"
	err_has "no permission to read the node $T/node (it belongs to user root)"
elif [ "${CI:-}" = true ]; then
	fail "cannot check another user's node without root and setpriv"
fi
done_testing
