/*
 * Unit tests of the escape-sequence decoder (tui/keyseq.c): every sequence
 * the common terminals send for the editing and function keys, whatever
 * terminfo says, and unknown sequences dropped whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tui/tui_int.h"

/* Feed the bytes after ESC one at a time, as term.c does; the result of
 * the last, and every earlier one must have been KS_MORE. */
static enum keyseq_result feed(const char *s, struct tkey *k)
{
	size_t n = strlen(s);
	memset(k, 0, sizeof *k);
	for (size_t i = 1; i < n; i++)
		assert_int_equal(keyseq_decode((const uint8_t *)s, i, k), KS_MORE);
	return keyseq_decode((const uint8_t *)s, n, k);
}

static void is_key(const char *s, uint32_t code)
{
	struct tkey k;
	if (feed(s, &k) != KS_KEY || k.kind != TK_KEY || k.code != code)
		fail_msg("ESC %s: got kind %d code %u, wanted key %u", s, k.kind, k.code, code);
}

static void is_swallowed(const char *s)
{
	struct tkey k;
	enum keyseq_result r = feed(s, &k);
	if (r != KS_SWALLOW)
		fail_msg("ESC %s: got %d, wanted it dropped whole", s, r);
}

static void test_editing_keys(void **state)
{
	(void)state;
	/* xterm, vt220, tmux and screen, the Linux console */
	is_key("[1~", K_HOME);
	is_key("[4~", K_END);
	is_key("[2~", K_INSERT);
	is_key("[3~", K_DELETE);
	is_key("[5~", K_PGUP);
	is_key("[6~", K_PGDN);
	/* rxvt */
	is_key("[7~", K_HOME);
	is_key("[8~", K_END);
	is_key("[7$", K_HOME);
	is_key("[8^", K_END);
	is_key("[3@", K_DELETE);
	/* xterm normal and application cursor modes, with modifiers */
	is_key("[H", K_HOME);
	is_key("[F", K_END);
	is_key("OH", K_HOME);
	is_key("OF", K_END);
	is_key("[1;5H", K_HOME);
	is_key("[3;2~", K_DELETE);
	is_key("[A", K_UP);
	is_key("OB", K_DOWN);
	is_key("[1;5C", K_RIGHT);
	is_key("Od", K_LEFT); /* rxvt Ctrl-Left */
	is_key("[a", K_UP);   /* rxvt Shift-Up */
	is_key("[Z", K_BTAB);
	is_key("OM", K_ENTER);
}

static void test_function_keys(void **state)
{
	(void)state;
	static const char *const vt[] = {"[11~", "[12~", "[13~", "[14~", "[15~", "[17~",
					 "[18~", "[19~", "[20~", "[21~", "[23~", "[24~"};
	for (unsigned i = 0; i < 12; i++)
		is_key(vt[i], K_F1 + i);
	is_key("OP", K_F1);
	is_key("OS", K_F4);
	is_key("[[A", K_F1); /* linux console */
	is_key("[[E", K_F5);
	/* A function key with a modifier is not that key. */
	is_swallowed("[17;5~");
	is_swallowed("[1;2P");
	is_swallowed("[17^");
	is_swallowed("O5P");
}

static void test_keypad_types(void **state)
{
	(void)state;
	struct tkey k;
	assert_int_equal(feed("Op", &k), KS_KEY);
	assert_int_equal(k.kind, TK_CHAR);
	assert_int_equal(k.code, '0');
	assert_int_equal(feed("Oy", &k), KS_KEY);
	assert_int_equal(k.code, '9');
	assert_int_equal(feed("On", &k), KS_KEY);
	assert_int_equal(k.code, '.');
}

static void test_unknown_dropped_whole(void **state)
{
	(void)state;
	struct tkey k;
	is_swallowed("[200~");  /* bracketed paste start */
	is_swallowed("[I");     /* focus in */
	is_swallowed("[99~");
	is_swallowed("[?1;2c"); /* a device attributes reply */
	is_swallowed("[E");     /* keypad 5 */
	is_swallowed("[[Z");
	/* A byte that cannot be in a sequence ends it; it is input again. */
	assert_int_equal(feed("[1\x01", &k), KS_BROKEN);
	assert_int_equal(feed("[\xc3", &k), KS_BROKEN);
	/* Not a sequence: Alt with a letter, Esc then a letter. */
	assert_int_equal(feed("c", &k), KS_NOTSEQ);
	/* A runaway parameter string ends at the cap, dropped. */
	char longseq[KEYSEQ_MAX + 1];
	longseq[0] = '[';
	memset(longseq + 1, '1', KEYSEQ_MAX - 1);
	longseq[KEYSEQ_MAX] = '\0';
	assert_int_equal(feed(longseq, &k), KS_SWALLOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_editing_keys),
		cmocka_unit_test(test_function_keys),
		cmocka_unit_test(test_keypad_types),
		cmocka_unit_test(test_unknown_dropped_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
