# Secrets are wiped with secret_wipe() (sodium_memzero, which the compiler
# may not drop), never memset: fail on a memset of a buffer named like a
# password, key, secret or seed in the program's sources.
. tests/lib.sh
hits=$(grep -nE 'memset\( *&?[A-Za-z_>.-]*(pw|passw|key|secret|seed|recover|_sk|sk_)[A-Za-z_]* *,' \
	core/*.c store/*.c forms/*.c sync/*.c tui/*.c cli/*.c 2>/dev/null)
[ -z "$hits" ] || fail "memset on a secret (use secret_wipe):
$hits"
ok "no memset on a secret-named buffer"
# The check itself must be able to fail.
printf 'void f(void) { char pw[8]; memset(pw, 0, sizeof pw); }\n' >"$T/probe.c"
grep -qE 'memset\( *&?[A-Za-z_>.-]*(pw|passw|key|secret|seed|recover|_sk|sk_)[A-Za-z_]* *,' "$T/probe.c" ||
	fail "the pattern misses memset(pw, ...)"
ok "the pattern finds memset(pw, ...)"
done_testing
