#!/bin/sh
# Run each libFuzzer target of build dir $1 for $2 seconds (make fuzz, and a
# brief run in make check).  Seeds: each target writes its own valid inputs
# (CCHC_FUZZ_SEEDS=DIR) into a corpus kept in $1/corpus/NAME, plus the
# committed ones in tests/fuzz/corpus/NAME.  Exit 1 on any crash, leak or
# timeout; libFuzzer leaves the input in $1/crash-*.
FZ=$1; T=$2; shift 2
status=0
for f in "$@"; do
	n=$(basename "$f"); n=${n#fuzz_}
	c="$FZ/corpus/$n"; mkdir -p "$c"
	CCHC_FUZZ_SEEDS="$c" "$f" >/dev/null 2>&1
	[ -d "tests/fuzz/corpus/$n" ] && cp tests/fuzz/corpus/"$n"/* "$c"/ 2>/dev/null
	if "$f" -max_total_time="$T" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$FZ/" "$c" >"$FZ/$n.log" 2>&1; then
		echo "ok   fuzz $n ($T s, $(grep -c . "$c"/* 2>/dev/null | wc -l) inputs)"
	else
		echo "FAIL fuzz $n"; tail -n 30 "$FZ/$n.log"; status=1
	fi
done
exit $status
