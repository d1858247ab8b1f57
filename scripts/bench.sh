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
exit $status
