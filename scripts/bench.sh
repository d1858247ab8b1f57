#!/bin/sh
# make bench: run every benchmark program (tests/*/bench_*.c) of build dir $1.
# Each prints one line per figure, with the machine's raw figure beside it
# where that is the limit (SPEC §10): only ratios within one run count.
B=$1; shift
export CCHC_DATADIR="$(pwd)"
status=0
for b in "$@"; do
	echo "== $b"
	"$b" || status=1
done
# cchc demo --reset --no-ui in a scratch cache directory: the trainer's
# demo must be ready in under 5 s (issue 13).
echo "== cchc demo"
dc=$(mktemp -d "${TMPDIR:-/tmp}/cchc-bench-demo.XXXXXX")
t0=$(date +%s%N)
if XDG_CACHE_HOME="$dc" "$B/cchc" demo --reset --no-ui >/dev/null 2>"$dc/err"; then
	ms=$((($(date +%s%N) - t0) / 1000000))
	verdict=ok; [ "$ms" -lt 5000 ] || { verdict=OVER; status=1; }
	n=$(ls "$dc/cchc-demo/communes" | wc -l)
	printf 'demo creation (district + %s communes, --reset): %d.%03d s (budget < 5 s) %s\n' \
		"$n" $((ms / 1000)) $((ms % 1000)) "$verdict"
else
	echo "demo creation: FAILED"; cat "$dc/err"; status=1
fi
rm -rf "$dc"
exit $status
