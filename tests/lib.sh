# tests/lib.sh: helpers for the command tests (POSIX sh).
#
# A test runs the real cchc binary ($CCHC) in a temporary directory and
# asserts on exit codes and output.  Each check prints one line; the first
# failure prints what was expected and what came, and exits 1.
set -u
: "${CCHC:?CCHC must name the cchc binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/cchc-test.XXXXXX")
trap 'cleanup_hook; rm -rf "$T"' EXIT
cleanup_hook() { :; }
export CCHC_PWCOST=min  # Argon2id at its minimum cost: tests only
export LC_ALL=C.UTF-8
# Sealing writes a restore mark under $XDG_STATE_HOME: keep the tests' own.
export XDG_STATE_HOME="$T/state"
# Unit lists installed by `cchc units import` go under $XDG_DATA_HOME: the
# tests' own.  The tests' nodes are 2021 units (GSO-2021 ended 30/06/2025):
# init makes them as of that year (the default for init --on).
export XDG_DATA_HOME="$T/xdg-data"
export CCHC_INIT_ON=2021-06-01
unset CCHC_HOME CCHC_LANG CCHC_NOW
checks=0

fail() {
	echo "FAIL: $*" >&2
	if [ -f "$T/out" ]; then echo "--- stdout:" >&2; head -c 3000 "$T/out" >&2; fi
	if [ -f "$T/err" ]; then echo "--- stderr:" >&2; head -c 3000 "$T/err" >&2; fi
	exit 1
}
ok() { checks=$((checks + 1)); echo "ok $checks - $*"; }

# run EXPECTED_RC CMD...: run cchc with the given arguments, keep its
# stdout in $T/out and stderr in $T/err, check the exit code.
run() {
	want=$1; shift
	"$CCHC" "$@" >"$T/out" 2>"$T/err" </dev/null
	got=$?
	[ "$got" -eq "$want" ] || fail "cchc $* exited $got, wanted $want"
	ok "cchc $* -> $want"
}
# out_has TEXT / err_has TEXT / out_lacks TEXT: fixed-string checks.
out_has() { grep -qF -- "$1" "$T/out" || fail "stdout lacks '$1'"; ok "stdout has '$1'"; }
err_has() { grep -qF -- "$1" "$T/err" || fail "stderr lacks '$1'"; ok "stderr has '$1'"; }
out_lacks() { ! grep -qF -- "$1" "$T/out" || fail "stdout has '$1'"; ok "stdout lacks '$1'"; }
# eq A B MESSAGE
eq() { [ "$1" = "$2" ] || fail "$3: got '$1', wanted '$2'"; ok "$3"; }
# pw FILE LINE...: a password file, one line per question.
pw() { f=$1; shift; printf '%s\n' "$@" >"$f"; }
done_testing() { echo "$checks passed, 0 failed"; }
# skip WHY: this test cannot run here; under CI=true that is a failure (a
# CI machine must have what every test needs).
skip() {
	[ "${CI:-}" = true ] && fail "skipped under CI=true: $*"
	echo "skipped: $*"
	done_testing
	exit 0
}

# setup_nodes: a district node $D (admin "admin") and a commune node $C for
# Xã Tân Trào (admin "qt") with an officer "lan" and a leader "hung"; the
# password files $T/pw-* hold each one's password.
setup_nodes() {
	D="$T/district"; C="$T/commune"
	pw "$T/pw-admin" "district-admin-pw"
	pw "$T/pw-qt" "commune-admin-pw"
	pw "$T/pw-lan" "officer-pw-1"
	pw "$T/pw-hung" "leader-pw-22"
	CCHC_PASSWORD_FILE="$T/pw-admin" "$CCHC" --home "$D" init district --unit 076 \
		--admin admin >/dev/null || fail "init district"
	"$CCHC" --home "$D" key export "$T/district.id" >/dev/null || fail "key export"
	CCHC_PASSWORD_FILE="$T/pw-qt" "$CCHC" --home "$C" init commune --unit 02545 \
		--district-key "$T/district.id" --admin qt >/dev/null || fail "init commune"
	pw "$T/pw-add" "commune-admin-pw" "officer-pw-1"
	CCHC_PASSWORD_FILE="$T/pw-add" "$CCHC" --home "$C" --user qt user add lan \
		--role canbo >/dev/null || fail "user add lan"
	pw "$T/pw-add" "commune-admin-pw" "leader-pw-22"
	CCHC_PASSWORD_FILE="$T/pw-add" "$CCHC" --home "$C" --user qt user add hung \
		--role lanhdao >/dev/null || fail "user add hung"
	ok "nodes set up"
}

# setup_nodes_2025: the 2025 model, from the sample list: a province node
# $P (Tỉnh Tuyên Quang, 08; admin "admin") and a commune node $C for the new
# Xã Sơn Dương (02536, valid from 01/07/2025) with an officer "lan" and a
# leader "hung" (passwords as setup_nodes').  The sample list is imported
# under $XDG_DATA_HOME.  setup_nodes_2025 CDIR PDIR: other directories.
setup_nodes_2025() {
	C="${1:-$T/commune}"; P="${2:-$T/province}"
	pw "$T/pw-admin" "district-admin-pw"
	pw "$T/pw-qt" "commune-admin-pw"
	pw "$T/pw-lan" "officer-pw-1"
	pw "$T/pw-hung" "leader-pw-22"
	"$CCHC" units import "${CCHC_DATADIR:-.}/data/units-sample/tuyen-quang-2025-mau.csv" \
		>/dev/null || fail "units import"
	# (As of today, not CCHC_INIT_ON's 2021 day: these units begin 01/07/2025.)
	CCHC_INIT_ON= CCHC_PASSWORD_FILE="$T/pw-admin" "$CCHC" --home "$P" init province --unit 08 \
		--admin admin >/dev/null || fail "init province"
	"$CCHC" --home "$P" key export "$T/province.id" >/dev/null || fail "key export"
	CCHC_INIT_ON= CCHC_PASSWORD_FILE="$T/pw-qt" "$CCHC" --home "$C" init commune --unit 02536 \
		--district-key "$T/province.id" --admin qt >/dev/null || fail "init commune"
	pw "$T/pw-add" "commune-admin-pw" "officer-pw-1"
	CCHC_PASSWORD_FILE="$T/pw-add" "$CCHC" --home "$C" --user qt user add lan \
		--role canbo >/dev/null || fail "user add lan"
	pw "$T/pw-add" "commune-admin-pw" "leader-pw-22"
	CCHC_PASSWORD_FILE="$T/pw-add" "$CCHC" --home "$C" --user qt user add hung \
		--role lanhdao >/dev/null || fail "user add hung"
	ok "2025 nodes set up"
}
