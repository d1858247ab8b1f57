#!/bin/sh
# Malformed HTTP to the receiver (issue 14 fault suite): each request below
# is sent raw and must be refused (a 4xx answer, or the connection closed
# without an answer), nothing may be stored, and the receiver keeps serving.
# Prints the figures.
. "$(dirname "$0")/../sync/lib.sh"
sync_setup
helper fill "$C" 02545 076 lan officer-pw-1 3 >/dev/null || fail "fill"
B1=$(ls "$C/outbox"/*.ccb | head -1)
start_receiver "$D"
Z=0000000000000000000000000000000000000000000000000000000000000000
H="Host: 127.0.0.1"
n=0
case_() { # NAME: the request is in $T/r
	n=$((n + 1))
	mv "$T/r" "$T/req.$n"
	r=$(helper raw "$PORT" "$T/req.$n") || fail "raw $1"
	case $r in 4[0-9][0-9] | 505 | closed) ok "$1 refused ($r)" ;; *) fail "$1: answer $r" ;; esac
}
printf 'HELLO\r\n\r\n' >"$T/r"; case_ "not HTTP"
printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\n\r\nabc' $Z "$H" >"$T/r"; case_ "PUT without Content-Length"
printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\nContent-Length: 999999999999\r\n\r\n' $Z "$H" >"$T/r"; case_ "body over the limit"
printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\nContent-Length: -5\r\n\r\n' $Z "$H" >"$T/r"; case_ "negative Content-Length"
printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\nContent-Length: 1x\r\n\r\nab' $Z "$H" >"$T/r"; case_ "Content-Length not a number"
printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\nContent-Length: 3\r\nContent-Length: 9\r\n\r\nabc' $Z "$H" >"$T/r"; case_ "two Content-Length"
printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' $Z "$H" >"$T/r"; case_ "chunked body"
printf 'PUT /v1/batches/../../etc/passwd HTTP/1.1\r\n%s\r\nContent-Length: 3\r\n\r\nabc' "$H" >"$T/r"; case_ "path traversal"
printf 'PUT /v1/batches/%s/x HTTP/1.1\r\n%s\r\nContent-Length: 3\r\n\r\nabc' $Z "$H" >"$T/r"; case_ "path below a batch"
printf 'DELETE /v1/batches/%s HTTP/1.1\r\n%s\r\n\r\n' $Z "$H" >"$T/r"; case_ "DELETE"
printf 'PUT /v1/batches/%s HTTP/9.9\r\n%s\r\nContent-Length: 3\r\n\r\nabc' $Z "$H" >"$T/r"; case_ "HTTP/9.9"
printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\nno colon here\r\nContent-Length: 3\r\n\r\nabc' $Z "$H" >"$T/r"; case_ "header line without a colon"
{ printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\nX-Big: ' $Z "$H"; head -c 100000 /dev/zero | tr '\0' a; printf '\r\nContent-Length: 3\r\n\r\nabc'; } >"$T/r"; case_ "100 kB header"
printf 'PUT /v1/batches/%s\000x HTTP/1.1\r\n%s\r\nContent-Length: 3\r\n\r\nabc' $Z "$H" >"$T/r"; case_ "NUL in the URL"
printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\nContent-Length: 100\r\n\r\nshort' $Z "$H" >"$T/r"; case_ "body shorter than declared"
printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\nContent-Length: 9\r\n\r\nnotabatch' $Z "$H" >"$T/r"; case_ "a body that is no batch"
size=$(stat -c %s "$B1")
{ printf 'PUT /v1/batches/%s HTTP/1.1\r\n%s\r\nContent-Length: %s\r\n\r\n' $Z "$H" "$size"; cat "$B1"; } >"$T/r"; case_ "a real batch under another id"
printf 'GET /v1/receipts?commune=../x HTTP/1.1\r\n%s\r\n\r\n' "$H" >"$T/r"; case_ "receipts for a bad commune code"
printf 'GET /v1/receipts HTTP/1.1\r\n%s\r\n\r\n' "$H" >"$T/r"; case_ "receipts without a commune"
kill -0 "$SERVE_PID" || fail "receiver died"
[ -z "$(find "$D/inbox" -name '*.ccb')" ] || fail "a malformed request stored a batch: $(find "$D/inbox" -name '*.ccb')"
ok "nothing stored"
helper put "$URL" "$B1" >"$T/last" || fail "good put"
grep -q '^201 ' "$T/last" || fail "a good upload after the malformed ones: $(cat "$T/last")"
ok "the receiver still stores a good upload"
echo "figures: $n kinds of malformed request refused, 0 stored, receiver alive"
stop_receiver
done_testing
