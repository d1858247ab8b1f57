/*
 * Unit tests of the line editor (tui/editline.c) and the key-script parser
 * (tui/keyscript.c): no terminal involved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/tui_int.h"

static struct editline E;

static void type(struct editline *e, const char *s, int telex)
{
	editline_insert_text(e, s, telex, TELEX_OLD);
}

static void test_letters_and_nfc(void **state)
{
	(void)state;
	editline_set(&E, "", 0, 1);
	/* Decomposed input composes: e + circumflex + tilde is one letter. */
	type(&E, "Nguye\xcc\x82\xcc\x83n", 0);
	assert_string_equal(E.buf, "Nguyễn");
	assert_int_equal(editline_letters(&E), 6);
	/* Backspace removes a whole letter, marks and all. */
	editline_left(&E);
	editline_backspace(&E);
	assert_string_equal(E.buf, "Nguyn");
	/* A mark typed alone after a letter joins it. */
	type(&E, "e\xcc\x83", 0);
	assert_string_equal(E.buf, "Nguyẽn");
	editline_home(&E);
	assert_int_equal(E.cur, 0);
	editline_right(&E);
	editline_right(&E);
	editline_delete(&E);
	assert_string_equal(E.buf, "Ngyẽn");
	editline_end(&E);
	assert_int_equal(E.cur, E.len);
	editline_left(&E);
	editline_kill_before(&E);
	assert_string_equal(E.buf, "n");
	assert_int_equal(E.cur, 0);
}

static void test_limit(void **state)
{
	(void)state;
	editline_set(&E, "", 5, 1);
	type(&E, "Hồng", 0);
	assert_int_equal(editline_insert(&E, 0x1EA1, 0, TELEX_OLD), ED_CHANGED); /* ạ */
	/* The sixth letter is refused and said so, never dropped silently. */
	assert_true(editline_insert(&E, 'x', 0, TELEX_OLD) & ED_FULL);
	assert_string_equal(E.buf, "Hồngạ");
	/* A mark on the last letter is no new letter: accepted. */
	editline_backspace(&E);
	type(&E, "a\xcc\x80", 0);
	assert_string_equal(E.buf, "Hồngà");
}

static void test_telex(void **state)
{
	(void)state;
	editline_set(&E, "", 0, 1);
	type(&E, "Traanf Vawn Tuaans, hoaf, thuyr", 1);
	assert_string_equal(E.buf, "Trần Văn Tuấn, hòa, thủy");
	editline_set(&E, "", 0, 1);
	editline_insert_text(&E, "hoaf thuyr", 1, TELEX_NEW);
	assert_string_equal(E.buf, "hoà thuỷ");
	/* Not in number or date fields. */
	editline_set(&E, "", 0, 0);
	type(&E, "dd", 1);
	assert_string_equal(E.buf, "dd");
}

static void test_scroll(void **state)
{
	(void)state;
	int col;
	editline_set(&E, "Ủy ban nhân dân xã Tân Trào, huyện Sơn Dương", 0, 1);
	editline_end(&E);
	editline_view(&E, 10, &col);
	assert_true(col <= 9);
	assert_true(E.scroll > 0);
	editline_home(&E);
	editline_view(&E, 10, &col);
	assert_int_equal(E.scroll, 0);
	assert_int_equal(col, 0);
}

static void test_keyscript(void **state)
{
	(void)state;
	struct keyscript ks;
	char err[256];
	const char *text = "# comment\n\ntype Hà Nội\nEnter\nC-s\nF10\n/\nTab x3\n"
			   "resize 60x20\ndump out.screen\nBS\nDEL\nEsc\n";
	assert_int_equal(keyscript_parse(text, strlen(text), "t.keys", &ks, err, sizeof err), 0);
	struct tkey k = keyscript_next(&ks);
	assert_int_equal(k.kind, TK_CHAR);
	assert_int_equal(k.code, 'H');
	k = keyscript_next(&ks);
	assert_int_equal(k.code, 0xE0); /* à, never a key code */
	for (int i = 0; i < 4; i++)
		keyscript_next(&ks);
	k = keyscript_next(&ks);
	assert_int_equal(k.kind, TK_KEY);
	assert_int_equal(k.code, K_ENTER);
	assert_int_equal(keyscript_next(&ks).code, K_CTRL('S'));
	assert_int_equal(keyscript_next(&ks).code, K_F10);
	k = keyscript_next(&ks);
	assert_int_equal(k.kind, TK_CHAR);
	assert_int_equal(k.code, '/');
	for (int i = 0; i < 3; i++)
		assert_int_equal(keyscript_next(&ks).code, K_TAB);
	k = keyscript_next(&ks);
	assert_int_equal(k.kind, TK_RESIZE);
	assert_int_equal(k.cols, 60);
	assert_int_equal(k.rows, 20);
	k = keyscript_next(&ks);
	assert_int_equal(k.kind, TK_DUMP);
	assert_string_equal(ks.paths[k.code], "out.screen");
	/* 0x08 and 0x7F both erase. */
	assert_int_equal(keyscript_next(&ks).code, K_BACKSPACE);
	assert_int_equal(keyscript_next(&ks).code, K_BACKSPACE);
	assert_int_equal(keyscript_next(&ks).code, K_ESC);
	assert_int_equal(keyscript_next(&ks).kind, TK_EOF);
	keyscript_free(&ks);

	const char *bad = "Enter\nF13\n";
	assert_int_equal(keyscript_parse(bad, strlen(bad), "b.keys", &ks, err, sizeof err), -1);
	assert_non_null(strstr(err, "b.keys:2:"));
	const char *bad2 = "resize big\n";
	assert_int_equal(keyscript_parse(bad2, strlen(bad2), "c.keys", &ks, err, sizeof err), -1);
	assert_non_null(strstr(err, "c.keys:1: resize"));
	const char *bad3 = "type \xff\n";
	assert_int_equal(keyscript_parse(bad3, strlen(bad3), "d.keys", &ks, err, sizeof err), -1);
	assert_non_null(strstr(err, "invalid UTF-8"));
}

static void test_actions(void **state)
{
	(void)state;
	struct tkey up = {TK_KEY, K_UP, 0, 0}, a_breve = {TK_CHAR, 0x103, 0, 0};
	/* ă (U+0103) is KEY_UP's number in curses: here it stays a letter. */
	assert_int_equal(action_for(SCR_LIST, up), ACT_UP);
	assert_int_equal(action_for(SCR_FORM, a_breve), -1);
	struct tkey cs = {TK_KEY, K_CTRL('S'), 0, 0};
	assert_int_equal(action_for(SCR_FORM, cs), ACT_SAVE);
	assert_int_equal(action_for(SCR_HOME, cs), -1);
	char keys[64];
	action_keys(ACT_SAVE, keys, sizeof keys);
	assert_string_equal(keys, "^S F2");
	assert_true(action_on_bar(ACT_SAVE, SCR_FORM));
	assert_string_equal(action_label(ACT_SAVE, LANG_VI), "Lưu");
	/* Ctrl-J (LF) is its own key: a new line in a form, not Enter; the key
	 * bar and the F1 help name it from the table. */
	struct tkey cj = {TK_KEY, K_CTRL('J'), 0, 0}, enter = {TK_KEY, K_ENTER, 0, 0};
	assert_int_equal(action_for(SCR_FORM, cj), ACT_NEWLINE);
	assert_int_equal(action_for(SCR_FORM, enter), ACT_NEXT);
	action_keys(ACT_NEWLINE, keys, sizeof keys);
	assert_string_equal(keys, "^J");
	assert_true(action_on_bar(ACT_NEWLINE, SCR_FORM));
	assert_true(action_in_scope(ACT_NEWLINE, SCR_FORM));
	struct keyscript ks;
	char err[128];
	assert_int_equal(keyscript_parse("C-j\nC-m\n", 8, "n.keys", &ks, err, sizeof err), 0);
	assert_int_equal(keyscript_next(&ks).code, K_CTRL('J'));
	assert_int_equal(keyscript_next(&ks).code, K_ENTER);
	keyscript_free(&ks);
}

static void test_newline(void **state)
{
	(void)state;
	size_t line;
	int col;
	editline_set(&E, "Kết quả", 20, 1);
	editline_end(&E);
	assert_int_equal(editline_newline(&E), ED_CHANGED);
	type(&E, "đạt", 0);
	assert_string_equal(E.buf, "Kết quả\nđạt");
	/* The new line ends a visual line; the cursor is on the next one. */
	editline_locate(&E, 40, E.cur, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 3);
	/* Backspace at the start of a line joins it to the one before. */
	editline_home(&E);
	for (int i = 0; i < 8; i++)
		editline_right(&E);
	assert_int_equal(editline_backspace(&E), ED_CHANGED);
	assert_string_equal(E.buf, "Kết quảđạt");
	/* A new line counts against the limit like a letter. */
	editline_set(&E, "abcd", 5, 0);
	editline_end(&E);
	assert_int_equal(editline_newline(&E), ED_CHANGED);
	assert_true(editline_newline(&E) & ED_FULL);
}


/* Every visual line of e at cols, as "start-end" pairs, into out. */
static void lines_of(struct editline *e, int cols, char *out, size_t cap)
{
	size_t start = 0, next, n = 0;
	out[0] = '\0';
	for (;;) {
		size_t end = editline_line_end(e, start, cols, &next);
		n += (size_t)snprintf(out + n, cap - n, "%s%zu-%zu", n ? " " : "", start, end);
		if (end == e->len)
			return;
		start = next;
	}
}

static void test_wrap(void **state)
{
	char got[256];
	(void)state;
	/* Words wrap after the last space that fits (10 columns). */
	editline_set(&E, "mot hai ba bon nam sau", 4000, 1);
	lines_of(&E, 10, got, sizeof got);
	assert_string_equal(got, "0-8 8-15 15-22");
	/* A word longer than the line breaks between letters, never inside
	 * one: "ạ̀" (a, dot below, grave: no precomposed form; NFC makes it ạ
	 * and a grave, 5 bytes) is one letter of one column. */
	editline_set(&E, "", 4000, 1);
	type(&E, "a\xcc\x80\xcc\xa3" "bcdef", 0);
	assert_int_equal(editline_letters(&E), 6);
	lines_of(&E, 3, got, sizeof got);
	assert_string_equal(got, "0-7 7-10");
	/* Vietnamese letters are one column each, whatever their bytes. */
	editline_set(&E, "Nguyễn Thị Hồng Nhung", 4000, 1);
	lines_of(&E, 12, got, sizeof got);
	assert_string_equal(got, "0-15 15-27"); /* "Nguyễn Thị " / "Hồng Nhung" */
	/* A new line in the text always ends a line; a final one opens an
	 * empty last line. */
	editline_set(&E, "ab\ncd\n", 4000, 1);
	lines_of(&E, 10, got, sizeof got);
	assert_string_equal(got, "0-2 3-5 6-6");
}

static void test_vertical(void **state)
{
	size_t line;
	int col;
	(void)state;
	editline_set(&E, "mot hai ba bon nam sau", 4000, 1);
	/* The cursor is at the end: line 2, column 7 ("nam sau"). */
	editline_locate(&E, 10, E.cur, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 7);
	/* Up keeps the column as near as the line allows: "ba bon " has 7. */
	assert_int_equal(editline_vmove(&E, 10, -1), ED_MOVED);
	editline_locate(&E, 10, E.cur, &line, &col);
	assert_int_equal(line, 1);
	/* Column 7 of "ba bon " would be the next line's start: it stays on
	 * this line, after "bon". */
	assert_int_equal(E.cur, 14);
	assert_int_equal(editline_vmove(&E, 10, -1), ED_MOVED);
	assert_int_equal(E.cur, 6); /* "mot hai " column 6 */
	/* From the first line Up is the caller's (the previous field). */
	assert_int_equal(editline_vmove(&E, 10, -1), ED_IGNORED);
	assert_int_equal(editline_vmove(&E, 10, 1), ED_MOVED);
	assert_int_equal(editline_vmove(&E, 10, 1), ED_MOVED);
	assert_int_equal(editline_vmove(&E, 10, 1), ED_IGNORED);
	/* Typing in the middle keeps every letter; a narrower area (a resize)
	 * only wraps differently. */
	editline_set(&E, "Rà soát văn bản", 4000, 1);
	editline_home(&E);
	editline_vmove(&E, 6, 1); /* "Rà " / "soát " / "văn " / "bản" */
	type(&E, "X", 0);
	assert_string_equal(E.buf, "Rà Xsoát văn bản");
	char got[256], want[32];
	snprintf(want, sizeof want, "0-%zu", strlen(E.buf));
	lines_of(&E, 40, got, sizeof got);
	assert_string_equal(got, want);
	/* The area scrolls to keep the cursor's line in sight. */
	int cy, cx;
	editline_set(&E, "a b c d e f g h i j", 4000, 1);
	editline_area(&E, 2, 3, &cy, &cx);
	assert_int_equal(E.vtop, 7);
	assert_int_equal(cy, 2);
	editline_home(&E);
	editline_area(&E, 2, 3, &cy, &cx);
	assert_int_equal(E.vtop, 0);
	assert_int_equal(cy, 0);
	assert_int_equal(cx, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letters_and_nfc), cmocka_unit_test(test_limit),
		cmocka_unit_test(test_telex),           cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_keyscript),       cmocka_unit_test(test_actions),
		cmocka_unit_test(test_wrap),            cmocka_unit_test(test_vertical),
		cmocka_unit_test(test_newline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
