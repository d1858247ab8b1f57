#!/bin/sh
# Run the unit test programs given as arguments, then every command test
# tests/*/*.sh against the cchc binary of build directory $1.
# Prints one line per program and a closing "N passed, N failed" line.
B=$1; shift
pass=0; fail=0; failed=""
export CCHC_DATADIR="$(pwd)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
log="$B/test-logs"; mkdir -p "$log"
run() {
	name=$1; shift
	if "$@" >"$log/$(echo "$name" | tr / _).log" 2>&1; then
		pass=$((pass + 1)); echo "ok   $name"
	else
		fail=$((fail + 1)); failed="$failed $name"; echo "FAIL $name"
		sed 's/^/     | /' "$log/$(echo "$name" | tr / _).log" | tail -n 40
	fi
}
for t in "$@"; do run "$t" "$t"; done
for s in tests/*/*.sh; do
	[ -e "$s" ] || continue
	case "$s" in tests/lib.sh|*/lib.sh) continue ;; esac
	run "$s" env CCHC="$(pwd)/$B/cchc" B="$B" sh "$s"
done
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }
