#!/bin/sh
# Defect 1 of issue 14: slowloris.  300 connections from 4 addresses
# (127.0.0.2-5, 75 each: more than the 64 per address allowed) send request
# headers one byte a second; meanwhile 200 good uploads, each on a fresh
# connection from 127.0.0.1, must succeed (at least 99%), and every slow
# connection is cut by the header deadline (10 s from accept).  Prints the
# figures.  Before the guard, the slow connections held all 256 slots for
# as long as they went on and no good upload got in.
. "$(dirname "$0")/../sync/lib.sh"
sync_setup
helper fill "$C" 02545 076 lan officer-pw-1 20 >/dev/null || fail "fill"
B1=$(ls "$C/outbox"/*.ccb | head -1)
start_receiver "$D"
helper put "$URL" "$B1" >"$T/first" || fail "first put"
grep -q '^201 ' "$T/first" || fail "first upload not stored: $(cat "$T/first")"
ok "a good upload stored before the attack"

# At most 60 s; ended by SIGTERM once the good uploads are done and the
# header deadline (10 s) has had time to cut every slow connection.
"$HELPER" slow "$PORT" 300 4 60 >"$T/slow" 2>&1 &
SLOW=$!
cleanup_hook() { kill "$SLOW" 2>/dev/null; [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; :; }
i=0
while ! grep -q started "$T/slow"; do
	i=$((i + 1)); [ $i -gt 200 ] && fail "slow clients did not start"
	sleep 0.05
done
s0=$(date +%s)
sleep 1 # let every slow connection send its first bytes
good=0 n=0 t0=$(date +%s)
while [ $n -lt 200 ]; do
	n=$((n + 1))
	# One process per upload: a fresh connection each time, as a commune's.
	# Bounded: a connection left in the listen queue would hang curl.
	r=$(timeout 5 "$HELPER" put "$URL" "$B1" 2>/dev/null | cut -d' ' -f1)
	case $r in 200 | 201) good=$((good + 1)) ;; esac
done
t1=$(date +%s)
alive=0
kill -0 "$SLOW" 2>/dev/null && alive=1
while [ $(($(date +%s) - s0)) -lt 13 ]; do sleep 0.2; done
kill -TERM "$SLOW" 2>/dev/null
wait "$SLOW"; SLOW=
figures=$(cat "$T/slow")
cut=$(echo "$figures" | sed -n 's/^open [0-9]* cut \([0-9]*\) refused [0-9]*$/\1/p')
refused=$(echo "$figures" | sed -n 's/^open [0-9]* cut [0-9]* refused \([0-9]*\)$/\1/p')
echo "figures: $good/$n good uploads succeeded in $((t1 - t0)) s under 300 slow connections from 4 addresses; slow connections cut at the header deadline: $cut, refused at the per-address cap: $refused"
eq "$alive" 1 "the slow clients were still at it when the good uploads ended"
[ $((good * 100)) -ge $((n * 99)) ] || fail "only $good of $n good uploads succeeded"
ok "at least 99% of good uploads succeeded ($good/$n)"
[ "${refused:-0}" -ge 44 ] || fail "the per-address cap (64) did not refuse: $figures"
ok "connections over the per-address cap refused ($refused)"
[ "${cut:-0}" -ge 256 ] || fail "slow connections not cut by the header deadline: $figures"
ok "every slow connection was cut by the header deadline ($cut cuts)"
kill -0 "$SERVE_PID" || fail "receiver died"
helper put "$URL" "$B1" >"$T/last" || fail "last put"
grep -q '^200 ' "$T/last" || fail "upload after the attack: $(cat "$T/last")"
ok "the receiver still answers after the attack"
stop_receiver
done_testing
