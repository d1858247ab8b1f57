/*
 * tests/forms/test_form_fuzz.c: what tests/fuzz/fuzz_forms found, one
 * minimal input each.  A directive given twice (it leaked what the first
 * stored); long lines and many ids that cost the square of their length
 * (a 64 KiB file must parse in well under a second); a repeated period id
 * reported once per earlier copy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "forms/forms.h"

struct msgs {
	char line[16][1024];
	int n; /* all messages, even those not kept */
};

static void collect(void *ctx, const char *msg)
{
	struct msgs *m = ctx;
	if (m->n < 16)
		snprintf(m->line[m->n], sizeof m->line[0], "%s", msg);
	m->n++;
}

/* Write text to a temporary file ending in suffix, check it in lang:
 * the rc, the messages in *m, the file removed. */
static int check_text(const char *suffix, const char *text, enum forms_lang lang, struct msgs *m,
                      char *path)
{
	snprintf(path, 64, "/tmp/forms-fuzz-XXXXXX%s", suffix);
	int fd = mkstemps(path, (int)strlen(suffix));
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	struct forms_sink sink = {collect, m, lang};
	memset(m, 0, sizeof *m);
	int rc = forms_check_file(path, &sink);
	unlink(path);
	return rc;
}

static void expect_line(const struct msgs *m, int i, const char *path, const char *want)
{
	char full[1024];
	assert_true(i < m->n);
	snprintf(full, sizeof full, "%s:%s", path, want);
	assert_string_equal(m->line[i], full);
}

static const char *head = "form x\nversion 1\ntitle X\nsection s Chung\n"; /* lines 1-4 */

static int check_form(const char *body, enum forms_lang lang, struct msgs *m, char *path)
{
	char *text;
	assert_true(asprintf(&text, "%s%s", head, body) > 0);
	int rc = check_text(".form", text, lang, m, path);
	free(text);
	return rc;
}

/* ------------------------------------------------- directives twice */

/* fuzz: leak-736d5c24 (a second `required when` parsed over the first). */
static void test_required_when_twice(void **state)
{
	(void)state;
	const char *body = "field a yesno\n  label A\n"
	                   "field b integer\n  label B\n"
	                   "  required when a = 1\n  required when a = 0\n";
	struct msgs m;
	char path[64];
	assert_int_equal(check_form(body, FORMS_LANG_EN, &m, path), FORMS_EPARSE);
	assert_int_equal(m.n, 1);
	expect_line(&m, 0, path, "10: 'required' given twice (first at line 9)");
	assert_int_equal(check_form(body, FORMS_LANG_VI, &m, path), FORMS_EPARSE);
	assert_int_equal(m.n, 1);
	expect_line(&m, 0, path, "10: 'required' bị lặp lại (đã có ở dòng 9)");
}

/* Every directive that may be given once per object or per file is
 * refused the second time, at its line, naming the first. */
static void test_form_directives_twice(void **state)
{
	(void)state;
	struct msgs m;
	char path[64];
	int rc = check_form("field a yesno\n  label A\n  help H\n  help G\n"       /* 5-8 */
	                    "field b integer\n  label B\n  required\n  required\n" /* 9-12 */
	                    "rule b >= 0\n  when a = 1\n  when a = 0\n"            /* 13-15 */
	                    "  scope commune\n  scope district\n"                  /* 16-17 */
	                    "  message M\n  message N\n"                           /* 18-19 */
	                    "rule b >= 1\n  message M\n"                           /* 20-21 */
	                    "summary a\nsummary b\n"                               /* 22-23 */
	                    "fill.source r\nfill.source s\n"                       /* 24-25 */
	                    "fill.dates received=a due=a returned=a\n"             /* 26 */
	                    "fill.dates received=a due=a returned=a\n"             /* 27 */
	                    "fill b received\n",                                   /* 28 */
	                    FORMS_LANG_EN, &m, path);
	assert_int_equal(rc, FORMS_EPARSE);
	assert_int_equal(m.n, 8);
	expect_line(&m, 0, path, "8: 'help' given twice (first at line 7)");
	expect_line(&m, 1, path, "12: 'required' given twice (first at line 11)");
	expect_line(&m, 2, path, "15: 'when' given twice (first at line 14)");
	expect_line(&m, 3, path, "17: 'scope' given twice (first at line 16)");
	expect_line(&m, 4, path, "19: 'message' given twice (first at line 18)");
	expect_line(&m, 5, path, "23: 'summary' given twice (first at line 22)");
	expect_line(&m, 6, path, "25: 'fill.source' given twice (first at line 24)");
	expect_line(&m, 7, path, "27: 'fill.dates' given twice (first at line 26)");

	/* The header: form, version, kind. */
	rc = check_text(".form",
	                "form x\nform y\nversion 1\nversion 2\nkind report\nkind register\n"
	                "title X\n",
	                FORMS_LANG_VI, &m, path);
	assert_int_equal(rc, FORMS_EPARSE);
	assert_int_equal(m.n, 3);
	expect_line(&m, 0, path, "2: 'form' bị lặp lại (đã có ở dòng 1)");
	expect_line(&m, 1, path, "4: 'version' bị lặp lại (đã có ở dòng 3)");
	expect_line(&m, 2, path, "6: 'kind' bị lặp lại (đã có ở dòng 5)");
}

/* fuzz: the leaks of deaa521 (a second `previous`), and every other
 * attribute of a period. */
static void test_period_attributes_twice(void **state)
{
	(void)state;
	const char *text = "period 2021-Q1\n"
	                   "  name Q1\n  name Q1 again\n"                                 /* 2-3 */
	                   "  data 15/12/2020 14/03/2021\n  data 15/12/2020 14/03/2021\n" /* 4-5 */
	                   "  deadline 10/03/2021\n  deadline 11/03/2021\n"               /* 6-7 */
	                   "  previous 2020-Y\n  previous 2020-Y\n"                       /* 8-9 */
	                   "period 2021-H1\n  name H1\n  data 15/12/2020 14/06/2021\n"
	                   "  deadline 10/06/2021\n  previous 2020-Y\n";
	struct msgs m;
	char path[64];
	assert_int_equal(check_text(".periods", text, FORMS_LANG_EN, &m, path), FORMS_EPARSE);
	assert_int_equal(m.n, 4);
	expect_line(&m, 0, path, "3: 'name' given twice (first at line 2)");
	expect_line(&m, 1, path, "5: 'data' given twice (first at line 4)");
	expect_line(&m, 2, path, "7: 'deadline' given twice (first at line 6)");
	expect_line(&m, 3, path, "9: 'previous' given twice (first at line 8)");
	assert_int_equal(check_text(".periods", text, FORMS_LANG_VI, &m, path), FORMS_EPARSE);
	expect_line(&m, 3, path, "9: 'previous' bị lặp lại (đã có ở dòng 8)");
}

/* ---------------------------------------------- linear in the input */

static double seconds_to_check(const char *suffix, const char *text, int *rc, struct msgs *m)
{
	char path[64];
	clock_t t0 = clock();
	*rc = check_text(suffix, text, FORMS_LANG_EN, m, path);
	return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

/* A 64 KiB file of `line` repeated after prefix (and suffix after). */
static char *repeat(const char *prefix, const char *line, const char *suffix)
{
	size_t n = 65536, pl = strlen(prefix), ll = strlen(line);
	char *s = malloc(n + strlen(suffix) + 1), *p = s;
	assert_non_null(s);
	memcpy(p, prefix, pl);
	p += pl;
	while ((size_t)(p - s) + ll < n) {
		memcpy(p, line, ll);
		p += ll;
	}
	strcpy(p, suffix);
	return s;
}

/* fuzz: slow-unit (terms, condition values and summary fields grew one
 * realloc at a time: seconds for a 64 KiB line under ASan). */
static void test_long_lines(void **state)
{
	(void)state;
	static const struct {
		const char *prefix, *line, *suffix;
	} cases[] = {
	    {"form x\nversion 1\ntitle X\nsection s S\nfield a integer\n  label A\n"
	     "field c computed ",
	     "a+", "a\n  label C\n"},
	    {"form x\nversion 1\ntitle X\nsection s S\nfield a integer\n  label A\nrule a <= ",
	     "1+", "1\n"},
	    {"form x\nversion 1\ntitle X\nsection s S\nfield a integer\n  label A\n"
	     "rule a >= 0\n  when a = ",
	     "1,", "1\n"},
	    {"form x\nversion 1\ntitle X\nsection s S\nfield a integer\n  label A\nsummary ", "a ",
	     "a\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = repeat(cases[i].prefix, cases[i].line, cases[i].suffix);
		struct msgs m;
		int rc;
		double t = seconds_to_check(".form", text, &rc, &m);
		free(text);
		fprintf(stderr, "case %zu: %.3f s, rc %d\n", i, t, rc);
		assert_true(t < 0.5);
	}
}

/* Thousands of distinct ids: each duplicate check walked all the earlier
 * ones (the square of the count).  Ids: "a".."zzz". */
static char *many_ids(const char *prefix, const char *fmt, int upper)
{
	size_t cap = 70000, len = strlen(prefix);
	char *s = malloc(cap);
	assert_non_null(s);
	strcpy(s, prefix);
	for (int i = 0; len < 65536 - 64; i++) {
		char id[4];
		int n = i < 26         ? 1
		        : i < 26 + 676 ? 2
		                       : 3,
		    k = i < 26    ? i
		        : i < 702 ? i - 26
		                  : i - 702;
		for (int d = n - 1; d >= 0; d--, k /= 26)
			id[d] = (char)((upper ? 'A' : 'a') + k % 26);
		id[n] = '\0';
		len += (size_t)snprintf(s + len, cap - len, fmt, id, i);
	}
	return s;
}

static void test_many_ids(void **state)
{
	(void)state;
	static const struct {
		const char *suffix, *prefix, *fmt;
		int upper;
	} cases[] = {
	    {".form", "form x\nversion 1\ntitle X\nsection s S\n", "field %s integer\n", 0},
	    {".form", "form x\nversion 1\ntitle X\n", "section %s S\n", 0},
	    {".form", "form x\nversion 1\ntitle X\nsection s S\nfield c choice\n  label C\n",
	     "option %s A\n", 0},
	    {".form", "form x\nversion 1\ntitle X\nsection s S\n", "rate %s a / b\n", 0},
	    {".form", "form x\nversion 1\ntitle X\nsection s S\n", "fill %s received\n", 0},
	    {".periods", "", "period %s\n", 1},
	    {".csv", "code,name,kind,parent,valid_from,valid_to,list_version\n",
	     "%.0s%d,Xã A,Xã,,,,G\n", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = many_ids(cases[i].prefix, cases[i].fmt, cases[i].upper);
		struct msgs m;
		int rc;
		double t = seconds_to_check(cases[i].suffix, text, &rc, &m);
		free(text);
		fprintf(stderr, "case %zu: %.3f s, rc %d, %d messages\n", i, t, rc, m.n);
		assert_true(t < 0.5);
	}
	/* The last of 702 fields, named by thousands of terms: each term's
	 * look-up walked every field. */
	size_t cap = 70000, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "form x\nversion 1\ntitle X\nsection s S\n");
	for (int i = 0; i < 702; i++) {
		char id[3] = {(char)('a' + (i < 26 ? i : (i - 26) / 26)),
		              (char)('a' + (i - 26) % 26), '\0'};
		if (i < 26)
			id[1] = '\0';
		len += (size_t)snprintf(text + len, cap - len, "field %s integer\n  label L\n", id);
	}
	len += (size_t)snprintf(text + len, cap - len, "rule zz");
	while (len < 65536 - 16)
		len += (size_t)snprintf(text + len, cap - len, "+zz");
	snprintf(text + len, cap - len, " >= 0\n");
	struct msgs m;
	int rc;
	double t = seconds_to_check(".form", text, &rc, &m);
	free(text);
	fprintf(stderr, "terms: %.3f s, rc %d, %d messages\n", t, rc, m.n);
	assert_int_equal(rc, 0);
	assert_true(t < 0.5);
}

/* One message per repeated period id, not one per earlier copy. */
static void test_period_id_repeated(void **state)
{
	(void)state;
	struct msgs m;
	char path[64];
	char *text = repeat("", "period A\n", "");
	int lines = 65536 / 9;
	assert_int_equal(check_text(".periods", text, FORMS_LANG_EN, &m, path), FORMS_EPARSE);
	free(text);
	/* lines - 1 duplicates, then "no name/data/deadline" for the one kept
	 * (the repeats are dropped, not checked again). */
	assert_int_equal(m.n, (lines - 1) + 3);
	expect_line(&m, 0, path, "2: duplicate period id 'A'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_required_when_twice),
	    cmocka_unit_test(test_form_directives_twice),
	    cmocka_unit_test(test_period_attributes_twice),
	    cmocka_unit_test(test_long_lines),
	    cmocka_unit_test(test_many_ids),
	    cmocka_unit_test(test_period_id_repeated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
