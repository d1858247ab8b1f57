/*
 * tests/forms/test_form_limits.c: the edges a review of forms/ found: big
 * numbers in bounds, constants and sums; deep unary minus; text that is
 * short in letters but huge in bytes; messages cut inside a character;
 * targets given twice; files typed decomposed (NFD); why a file cannot be
 * read, in Vietnamese.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/text.h"
#include "forms/forms.h"

struct msgs {
	char line[16][4096];
	int n;
};

static void collect(void *ctx, const char *msg)
{
	struct msgs *m = ctx;
	fprintf(stderr, "got: %s\n", msg);
	if (m->n < 16)
		snprintf(m->line[m->n++], sizeof m->line[0], "%s", msg);
}

/* Write text to a new temporary file ending in suffix; path gets its name. */
static void write_tmp(char *path, const char *suffix, const char *text)
{
	int fd = mkstemps(path, (int)strlen(suffix));
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static const char *head = "form x\nversion 1\ntitle X\nsection s Chung\n"; /* lines 1-4 */

/* Check head + body in lang; return the rc, messages in *m. */
static int check_form(const char *body, enum forms_lang lang, struct msgs *m, char *path)
{
	size_t n = strlen(head) + strlen(body) + 1;
	char *text = malloc(n);
	assert_non_null(text);
	snprintf(text, n, "%s%s", head, body);
	strcpy(path, "/tmp/forms-lim-XXXXXX.form");
	write_tmp(path, ".form", text);
	free(text);
	struct forms_sink sink = {collect, m, lang};
	memset(m, 0, sizeof *m);
	return forms_check_file(path, &sink);
}

static void expect_line(const struct msgs *m, int i, const char *path, const char *want)
{
	char full[4096];
	assert_true(i < m->n);
	snprintf(full, sizeof full, "%s:%s", path, want);
	assert_string_equal(m->line[i], full);
}

/* A whole form set in a temporary data directory: forms/defs/x.form. */
static struct forms *load_form(const char *body, char *dir)
{
	char path[256], *text;
	strcpy(dir, "/tmp/forms-lim-dir-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/forms", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/forms/defs", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/data", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/data/units", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/forms/defs/x.form", dir);
	assert_true(asprintf(&text, "%s%s", head, body) > 0);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	free(text);
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};
	struct forms *fs = NULL;
	assert_int_equal(forms_load(dir, &sink, &fs), 0);
	unlink(path);
	return fs;
}

static void remove_dir(const char *dir)
{
	static const char *const sub[] = {"forms/defs", "forms", "data/units", "data", ""};
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		char p[256];
		snprintf(p, sizeof p, "%s/%s", dir, sub[i]);
		rmdir(p);
	}
}

/* ------------------------------------------------------- big numbers */

static void test_bounds_too_large(void **state)
{
	(void)state;
	struct msgs m;
	char path[64];
	int rc = check_form("field a integer 0..9223372036854775807\n  label A\n"
	                    "field b decimal -1000000000000000..0\n  label B\n"
	                    "field c integer -999999999999999..999999999999999\n  label C\n"
	                    "field d decimal 0..999999999999999,5\n  label D\n"
	                    "rule c <= 1000000000000000\n"
	                    "rule d <= 999999999999999\n",
	                    FORMS_LANG_EN, &m, path);
	assert_int_equal(rc, FORMS_EPARSE);
	assert_int_equal(m.n, 4);
	expect_line(&m, 0, path,
	            "5: bad range '0..9223372036854775807' (a bound beyond "
	            "-999999999999999..999999999999999)");
	expect_line(&m, 1, path,
	            "7: bad range '-1000000000000000..0' (a bound beyond "
	            "-999999999999999..999999999999999)");
	expect_line(&m, 2, path,
	            "11: bad range '0..999999999999999,5' (a bound beyond "
	            "-999999999999999..999999999999999)");
	expect_line(&m, 3, path,
	            "13: bad rule 'c <= 1000000000000000': number too large (at most "
	            "999999999999999)");
	unlink(path);

	rc = check_form("field a integer 0..99999999999999999999\n  label A\n", FORMS_LANG_VI, &m,
	                path);
	assert_int_equal(rc, FORMS_EPARSE);
	expect_line(&m, 0, path,
	            "5: khoảng giá trị không hợp lệ '0..99999999999999999999' (giới hạn vượt quá "
	            "-999.999.999.999.999..999.999.999.999.999)");
	unlink(path);
}

static void test_range_message_at_the_limit(void **state)
{
	(void)state;
	char dir[64];
	struct forms *fs =
	    load_form("field a integer -999999999999999..999999999999999\n  label A\n"
	              "field d decimal -999999999999999..999999999999999\n"
	              "  label D\nfield e decimal -0,5..99,25\n  label E\n",
	              dir);
	remove_dir(dir);
	const struct form *f = forms_find(fs, "x");
	char *canon = NULL, *err = NULL;
	assert_int_equal(form_field_normalize(form_field_find(f, "a"), "1000000000000000",
	                                      FORMS_LANG_VI, &canon, &err),
	                 FORMS_EINVAL);
	assert_string_equal(err, "Giá trị phải từ -999.999.999.999.999 đến 999.999.999.999.999");
	free(err);
	assert_int_equal(form_field_normalize(form_field_find(f, "d"), "-1000000000000000",
	                                      FORMS_LANG_EN, &canon, &err),
	                 FORMS_EINVAL);
	assert_string_equal(err, "The value must be between -999.999.999.999.999 and "
	                         "999.999.999.999.999");
	free(err);
	assert_int_equal(
	    form_field_normalize(form_field_find(f, "e"), "100", FORMS_LANG_VI, &canon, &err),
	    FORMS_EINVAL);
	assert_string_equal(err, "Giá trị phải từ -0,5 đến 99,25");
	free(err);
	forms_free(fs);
}

static void test_sum_too_large_is_reported(void **state)
{
	(void)state;
	char dir[64];
	/* Ten values near the limit, scaled x1000 for the decimal: the sum
	 * does not fit in 64 bits.  The rule must say so, not pass quietly. */
	struct forms *fs = load_form("field d decimal 0..999999999999999\n  label D\n"
	                             "field k computed d + d + d + d + d + d + d + d + d + d\n"
	                             "  label K\n"
	                             "rule d + d + d + d + d + d + d + d + d + d <= 5\n"
	                             "rule k >= 0\n",
	                             dir);
	remove_dir(dir);
	const struct form *f = forms_find(fs, "x");
	struct kv kv = KV_INIT, out = KV_INIT;
	struct form_problems p = FORM_PROBLEMS_INIT;
	assert_int_equal(kv_set(&kv, "d", "999999999999999"), 0);
	assert_int_equal(form_validate(f, &kv, NULL, FORMS_LEVEL_COMMUNE, FORMS_CHECK_SUBMIT, &p),
	                 FORMS_ECHECK);
	for (size_t i = 0; i < p.n; i++)
		fprintf(stderr, "problem: %s | %s\n", p.v[i].vi, p.v[i].en);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].field, "d");
	assert_non_null(strstr(p.v[0].vi, "quá lớn"));
	assert_non_null(strstr(p.v[0].en, "too large"));
	form_problems_free(&p);
	/* The computed field cannot be computed: it is left out. */
	assert_int_equal(kv_set(&out, "k", "1"), 0);
	assert_int_equal(form_compute(f, &kv, &out), 0);
	assert_null(kv_get(&out, "k"));
	kv_free(&out);
	/* Small values still pass. */
	assert_int_equal(kv_set(&kv, "d", "0.5"), 0);
	assert_int_equal(form_validate(f, &kv, NULL, FORMS_LEVEL_COMMUNE, FORMS_CHECK_SUBMIT, &p),
	                 0);
	kv_free(&kv);
	forms_free(fs);
}

static void test_display_huge_decimal(void **state)
{
	(void)state;
	char dir[64];
	struct forms *fs = load_form("field d decimal\n  label D\n", dir);
	remove_dir(dir);
	const struct form_field *fl = form_field_find(forms_find(fs, "x"), "d");
	char *out = NULL;
	/* Not a value the field can hold: shown as it is, never wrapped around. */
	assert_int_equal(form_field_display(fl, "9223372036854775.999", FORMS_LANG_VI, &out), 0);
	assert_string_equal(out, "9223372036854775.999");
	free(out);
	assert_int_equal(form_field_display(fl, "-9223372036854775.999", FORMS_LANG_VI, &out), 0);
	assert_string_equal(out, "-9223372036854775.999");
	free(out);
	assert_int_equal(form_field_display(fl, "1234.5", FORMS_LANG_VI, &out), 0);
	assert_string_equal(out, "1.234,5");
	free(out);
	forms_free(fs);
}

/* ------------------------------------------------------- unary minus */

static void test_many_minus_signs(void **state)
{
	(void)state;
	enum { N = 5000000 };
	const char *pre = "field a integer\n  label A\nrule a <= ";
	char *body = malloc(strlen(pre) + N + 8);
	assert_non_null(body);
	strcpy(body, pre);
	memset(body + strlen(pre), '-', N);
	strcpy(body + strlen(pre) + N, "1\n");
	struct msgs m;
	char path[64];
	int rc = check_form(body, FORMS_LANG_EN, &m, path);
	free(body);
	unlink(path);
	assert_int_equal(m.n, 0);
	assert_int_equal(rc, 0);
}

/* --------------------------------------------------------- text bytes */

static void test_text_marks_limit(void **state)
{
	(void)state;
	char dir[64];
	struct forms *fs = load_form("field t text 50\n  label T\n", dir);
	remove_dir(dir);
	const struct form_field *fl = form_field_find(forms_find(fs, "x"), "t");
	enum { MARKS = 60000 };
	char *s = malloc(1 + 2 * MARKS + 1), *canon = NULL, *err = NULL;
	assert_non_null(s);
	s[0] = 'a';
	for (size_t i = 0; i < MARKS; i++)
		memcpy(s + 1 + 2 * i, "\xcc\x81", 2); /* U+0301 */
	s[1 + 2 * MARKS] = '\0';
	assert_int_equal(form_field_normalize(fl, s, FORMS_LANG_VI, &canon, &err), FORMS_EINVAL);
	assert_string_equal(err, "Có chữ mang quá nhiều dấu (tối đa 4 dấu trên một chữ)");
	free(err);
	assert_int_equal(form_field_normalize(fl, s, FORMS_LANG_EN, &canon, &err), FORMS_EINVAL);
	assert_string_equal(err, "A letter carries too many marks (at most 4 per letter)");
	free(err);
	free(s);
	/* Four marks on one letter are fine; five are not. */
	assert_int_equal(form_field_normalize(fl, "q\xcc\x81\xcc\x81\xcc\x81\xcc\x81",
	                                      FORMS_LANG_VI, &canon, &err),
	                 0);
	free(canon);
	assert_int_equal(form_field_normalize(fl, "q\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81",
	                                      FORMS_LANG_VI, &canon, &err),
	                 FORMS_EINVAL);
	free(err);
	/* Vietnamese typed decomposed composes and passes. */
	assert_int_equal(form_field_normalize(fl, "Nguye\xcc\x82\xcc\x83n Vie\xcc\xa3\xcc\x82t",
	                                      FORMS_LANG_VI, &canon, &err),
	                 0);
	assert_string_equal(canon, "Nguyễn Việt");
	free(canon);
	forms_free(fs);
}

/* -------------------------------------------------- messages and UTF-8 */

static void test_message_cut_on_a_letter(void **state)
{
	(void)state;
	/* 300 x "ệ" (3 bytes each) in a bad type name and a bad data window:
	 * the messages are cut, but never inside a character. */
	char word[1024] = "";
	for (int i = 0; i < 300; i++)
		strcat(word, "ệ");
	for (int lang = 0; lang < 2; lang++) {
		char body[2048], path[64];
		struct msgs m;
		snprintf(body, sizeof body, "field a %s\n  label A\n", word);
		assert_int_equal(check_form(body, (enum forms_lang)lang, &m, path), FORMS_EPARSE);
		assert_int_equal(m.n, 1);
		assert_int_equal(utf8_validate(m.line[0], strlen(m.line[0])), 0);
		unlink(path);

		char text[2048];
		snprintf(text, sizeof text,
		         "period 2021-Q1\n  name Q1\n  data a%s\n  deadline 10/03/2021\n", word);
		strcpy(path, "/tmp/forms-lim-XXXXXX.periods");
		write_tmp(path, ".periods", text);
		struct forms_sink sink = {collect, &m, (enum forms_lang)lang};
		memset(&m, 0, sizeof m);
		assert_int_equal(forms_check_file(path, &sink), FORMS_EPARSE);
		assert_true(m.n >= 1);
		for (int i = 0; i < m.n; i++)
			assert_int_equal(utf8_validate(m.line[i], strlen(m.line[i])), 0);
		unlink(path);
	}
}

/* ------------------------------------------------------ target twice */

static void test_target_twice(void **state)
{
	(void)state;
	struct msgs m;
	char path[64];
	int rc = check_form("field a integer\n  label A\nfield b integer\n  label B\n"
	                    "rate r a / b\n  label R\n  target >= 25%\n  target >= 30%\n"
	                    "rate q a / b\n  label Q\n  target.commune >= 25%\n"
	                    "  target.district >= 30%\n  target.commune >= 40%\n",
	                    FORMS_LANG_EN, &m, path);
	assert_int_equal(rc, FORMS_EPARSE);
	assert_int_equal(m.n, 2);
	expect_line(&m, 0, path, "12: 'target' given twice (a target was set at line 11)");
	expect_line(&m, 1, path, "17: 'target.commune' given twice (a target was set at line 15)");
	unlink(path);
	rc = check_form("field a integer\n  label A\nfield b integer\n  label B\n"
	                "rate r a / b\n  label R\n  target >= 25%\n  target >= 30%\n",
	                FORMS_LANG_VI, &m, path);
	expect_line(&m, 0, path, "12: 'target' bị lặp lại (đã có chỉ tiêu ở dòng 11)");
	unlink(path);
}

/* ----------------------------------------------------------- NFD files */

static void test_unit_list_nfd(void **state)
{
	(void)state;
	char dir[64], path[256];
	strcpy(dir, "/tmp/forms-lim-dir-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/u.csv", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	/* "Xã Tân Trào" and the kind "Xã", both typed decomposed. */
	fputs("code,name,kind,parent,valid_from,valid_to,list_version\n"
	      "02545,Xa\xcc\x83 Ta\xcc\x82n Tra\xcc\x80o,Xa\xcc\x83,076,2020-01-01,,GSO-2021\n",
	      fp);
	fclose(fp);
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};
	assert_int_equal(forms_check_file(path, &sink), 0);
	assert_int_equal(m.n, 0);
	unlink(path);
	rmdir(dir);

	/* Also through forms_load: the unit is a commune, its names NFC. */
	char ddir[64];
	struct forms *fs = load_form("field a integer\n  label A\n", ddir);
	snprintf(path, sizeof path, "%s/data/units/u.csv", ddir);
	forms_free(fs);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("code,name,kind,parent,valid_from,valid_to,list_version\n"
	      "02545,Xa\xcc\x83 Ta\xcc\x82n Tra\xcc\x80o,Xa\xcc\x83,076,2020-01-01,,GSO-2021\n",
	      fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/forms/defs/x.form", ddir);
	fp = fopen(path, "w");
	fputs("form x\nversion 1\ntitle Ba\xcc\x81o ca\xcc\x81o\nsection s Chung\n"
	      "field a integer\n  label A\n",
	      fp);
	fclose(fp);
	assert_int_equal(forms_load(ddir, &sink, &fs), 0);
	const struct forms_unit *u = forms_unit_find(fs, "02545", NULL);
	assert_non_null(u);
	assert_string_equal(forms_unit_kind(u), "Xã");
	assert_string_equal(forms_unit_short_name(u), "Tân Trào");
	assert_int_equal(forms_unit_level(u), FORMS_LEVEL_COMMUNE);
	assert_string_equal(form_title(forms_find(fs, "x"), FORMS_LANG_VI), "Báo cáo");
	forms_free(fs);
	unlink(path);
	snprintf(path, sizeof path, "%s/data/units/u.csv", ddir);
	unlink(path);
	remove_dir(ddir);
}

/* ------------------------------------------------ why a file won't open */

static void test_open_errors_in_vietnamese(void **state)
{
	(void)state;
	struct msgs m = {0};
	struct forms_sink vi = {collect, &m, FORMS_LANG_VI}, en = {collect, &m, FORMS_LANG_EN};
	const char *missing = "/tmp/forms-lim-no-such-file.form";
	char want[512];

	assert_int_equal(forms_check_file(missing, &vi), FORMS_EIO);
	snprintf(want, sizeof want, "%s: không mở được tệp: không có tệp này", missing);
	assert_string_equal(m.line[0], want);
	assert_int_equal(forms_check_file(missing, &en), FORMS_EIO);
	snprintf(want, sizeof want, "%s: cannot open: No such file or directory", missing);
	assert_string_equal(m.line[1], want);

	/* A directory named like a form file. */
	char dir[64];
	strcpy(dir, "/tmp/forms-lim-dir-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/d.form", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(forms_check_file(path, &vi), FORMS_EIO);
	snprintf(want, sizeof want, "%s: không đọc được tệp: đây là một thư mục", path);
	assert_string_equal(m.line[2], want);
	assert_int_equal(forms_check_file(path, &en), FORMS_EIO);
	snprintf(want, sizeof want, "%s: cannot read: Is a directory", path);
	assert_string_equal(m.line[3], want);
	rmdir(path);

	/* A data directory without forms/defs. */
	struct forms *fs = NULL;
	assert_int_equal(forms_load(dir, &vi, &fs), FORMS_EIO);
	snprintf(want, sizeof want, "%s/forms/defs: không mở được thư mục: không có thư mục này",
	         dir);
	assert_string_equal(m.line[4], want);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bounds_too_large),
	    cmocka_unit_test(test_range_message_at_the_limit),
	    cmocka_unit_test(test_sum_too_large_is_reported),
	    cmocka_unit_test(test_display_huge_decimal),
	    cmocka_unit_test(test_many_minus_signs),
	    cmocka_unit_test(test_text_marks_limit),
	    cmocka_unit_test(test_message_cut_on_a_letter),
	    cmocka_unit_test(test_target_twice),
	    cmocka_unit_test(test_unit_list_nfd),
	    cmocka_unit_test(test_open_errors_in_vietnamese),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
