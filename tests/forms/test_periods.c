/*
 * tests/forms/test_periods.c: periods made by a rule (2021 exactly as the
 * hand-written file was, 2027 as the rule says), overrides, the checks of
 * meaning at their lines, open/closed periods at an instant, targets per
 * year and unit kind (carried over), and rates whose figure never
 * contradicts their verdict.
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

#include "core/kv.h"
#include "core/vnfmt.h"
#include "forms/forms.h"

struct msgs {
	char line[64][512];
	int n;
};

static void collect(void *ctx, const char *msg)
{
	struct msgs *m = ctx;
	if (m->n < 64)
		snprintf(m->line[m->n++], sizeof m->line[0], "%s", msg);
}

static const char *datadir(void)
{
	const char *d = getenv("CCHC_DATADIR");
	return d && *d ? d : ".";
}

/* A data directory of its own: forms/defs/ and data/units/, files added
 * with put(). */
struct dd {
	char root[64];
	char files[16][256];
	int n;
};

static void dd_make(struct dd *d)
{
	char p[300];
	memset(d, 0, sizeof *d);
	strcpy(d->root, "/tmp/periods-test-XXXXXX");
	assert_non_null(mkdtemp(d->root));
	snprintf(p, sizeof p, "%s/forms", d->root);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/forms/defs", d->root);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/data", d->root);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/data/units", d->root);
	assert_int_equal(mkdir(p, 0700), 0);
}

static const char *dd_put(struct dd *d, const char *name, const char *text)
{
	char *p = d->files[d->n++];
	char root[64];
	memcpy(root, d->root, sizeof root);
	snprintf(p, 256, "%s/forms/defs/%s", root, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static void dd_free(struct dd *d)
{
	char p[300];
	for (int i = 0; i < d->n; i++)
		remove(d->files[i]);
	const char *dirs[] = {"forms/defs", "forms", "data/units", "data", ""};
	for (int i = 0; i < 5; i++) {
		snprintf(p, sizeof p, "%s/%s", d->root, dirs[i]);
		rmdir(p);
	}
}

static struct forms *load(const char *root, struct msgs *m)
{
	struct forms_sink sink = {collect, m, FORMS_LANG_EN};
	struct forms *fs = NULL;
	int rc = forms_load(root, &sink, &fs);
	for (int i = 0; i < m->n; i++)
		fprintf(stderr, "%s\n", m->line[i]);
	assert_int_equal(rc, 0);
	return fs;
}

/* The 2021 periods as they were written by hand before the rule. */
static const char old_2021[] =
	"period 2021-Q1\n  name     Quý I năm 2021\n  name.en  First quarter of 2021\n"
	"  data     15/12/2020 14/03/2021\n  deadline 10/03/2021 exclusive\n  previous 2020-Y\n"
	"period 2021-H1\n  name     6 tháng đầu năm 2021\n  name.en  First half of 2021\n"
	"  data     15/12/2020 14/06/2021\n  deadline 10/06/2021 exclusive\n  previous 2020-Y\n"
	"period 2021-Q3\n  name     Quý III năm 2021\n  name.en  Third quarter of 2021\n"
	"  data     15/06/2021 14/09/2021\n  deadline 10/09/2021 exclusive\n  previous 2021-H1\n"
	"period 2021-Y\n  name     Năm 2021\n  name.en  Year 2021\n"
	"  data     15/12/2020 14/12/2021\n  deadline 10/12/2021 exclusive\n  previous 2020-Y\n";

static int same_date(struct vn_date a, struct vn_date b)
{
	return a.y == b.y && a.m == b.m && a.d == b.d;
}

static void test_2021_as_before(void **state)
{
	(void)state;
	struct msgs m = {0}, m2 = {0};
	struct forms *shipped = load(datadir(), &m);
	struct dd d;
	dd_make(&d);
	dd_put(&d, "old.periods", old_2021);
	struct forms *old = load(d.root, &m2);
	assert_int_equal(forms_period_count(old), 4);
	for (size_t i = 0; i < 4; i++) {
		const struct forms_period *o = forms_period_at(old, i);
		const struct forms_period *g = forms_period_at(shipped, i);
		assert_string_equal(forms_period_id(g), forms_period_id(o));
		assert_true(forms_period_generated(g));
		for (int l = 0; l < 2; l++)
			assert_string_equal(forms_period_name(g, (enum forms_lang)l),
					    forms_period_name(o, (enum forms_lang)l));
		assert_true(same_date(forms_period_data_from(g), forms_period_data_from(o)));
		assert_true(same_date(forms_period_data_to(g), forms_period_data_to(o)));
		assert_true(same_date(forms_period_deadline_date(g), forms_period_deadline_date(o)));
		assert_int_equal(forms_period_deadline_inclusive(g), forms_period_deadline_inclusive(o));
		assert_string_equal(forms_period_previous(g), forms_period_previous(o));
	}
	assert_string_equal(forms_period_previous(forms_period_find(shipped, "2021-Q1")), "2020-Y");
	forms_free(old);
	forms_free(shipped);
	dd_free(&d);
}

/* 2027 as the rule says, computed here independently of the file. */
static void test_2027_equals_rule(void **state)
{
	(void)state;
	struct msgs m = {0};
	struct forms *fs = load(datadir(), &m);
	static const struct {
		const char *id, *vi, *en, *prev;
		struct vn_date from, to, deadline;
	} want[] = {
		{"2027-Q1", "Quý I năm 2027", "First quarter of 2027", "2026-Y",
		 {2026, 12, 15}, {2027, 3, 14}, {2027, 3, 10}},
		{"2027-H1", "6 tháng đầu năm 2027", "First half of 2027", "2026-Y",
		 {2026, 12, 15}, {2027, 6, 14}, {2027, 6, 10}},
		{"2027-Q3", "Quý III năm 2027", "Third quarter of 2027", "2027-H1",
		 {2027, 6, 15}, {2027, 9, 14}, {2027, 9, 10}},
		{"2027-Y", "Năm 2027", "Year 2027", "2026-Y",
		 {2026, 12, 15}, {2027, 12, 14}, {2027, 12, 10}},
	};
	size_t seen = 0;
	for (size_t i = 0; i < forms_period_count(fs); i++)
		seen += forms_period_year(forms_period_at(fs, i)) == 2027;
	assert_int_equal(seen, 4);
	for (size_t i = 0; i < 4; i++) {
		const struct forms_period *p = forms_period_find(fs, want[i].id);
		assert_non_null(p);
		assert_string_equal(forms_period_name(p, FORMS_LANG_VI), want[i].vi);
		assert_string_equal(forms_period_name(p, FORMS_LANG_EN), want[i].en);
		assert_string_equal(forms_period_previous(p), want[i].prev);
		assert_true(same_date(forms_period_data_from(p), want[i].from));
		assert_true(same_date(forms_period_data_to(p), want[i].to));
		assert_true(same_date(forms_period_deadline_date(p), want[i].deadline));
		assert_false(forms_period_deadline_inclusive(p));
	}
	/* Every year 2021..2027, four periods each, and nothing else. */
	assert_int_equal(forms_period_count(fs), 28);
	assert_null(forms_period_find(fs, "2028-Q1"));
	assert_null(forms_period_find(fs, "2020-Y"));
	forms_free(fs);
}

static const char rule_2026[] =
	"years 2026..2026\n"                                           /* 1 */
	"rule Q1\n  name Quý I năm {Y}\n"                              /* 2-3 */
	"  data 15/12/{Y-1} 14/03/{Y}\n  deadline 10/03/{Y} exclusive\n" /* 4-5 */
	"  previous {Y-1}-Y\n"                                         /* 6 */
	"rule H1\n  name 6 tháng {Y}\n"                                /* 7-8 */
	"  data 15/12/{Y-1} 14/06/{Y}\n  deadline 10/06/{Y} exclusive\n" /* 9-10 */
	"rule Q3\n  name Quý III {Y}\n"                                /* 11-12 */
	"  data 15/06/{Y} 14/09/{Y}\n  deadline 10/09/{Y} exclusive\n  previous {Y}-H1\n"
	"rule Y\n  name Năm {Y}\n"                                     /* 16-17 */
	"  data 15/12/{Y-1} 14/12/{Y}\n  deadline 10/12/{Y} exclusive\n"; /* 18-19 */

/* A province moves one deadline, in a file of its own. */
static void test_override(void **state)
{
	(void)state;
	struct dd d;
	struct msgs m = {0};
	dd_make(&d);
	dd_put(&d, "ky.periods", rule_2026);
	/* Sorts before ky.periods: overrides apply after every file is read. */
	dd_put(&d, "ky-2026.periods", "period 2026-Q1\n  deadline 12/03/2026 inclusive\n");
	struct forms *fs = load(d.root, &m);
	const struct forms_period *p = forms_period_find(fs, "2026-Q1");
	assert_true(same_date(forms_period_deadline_date(p), (struct vn_date){2026, 3, 12}));
	assert_true(forms_period_deadline_inclusive(p));
	assert_true(forms_period_overridden(p));
	assert_true(same_date(forms_period_data_from(p), (struct vn_date){2025, 12, 15}));
	assert_string_equal(forms_period_name(p, FORMS_LANG_VI), "Quý I năm 2026");
	assert_false(forms_period_overridden(forms_period_find(fs, "2026-H1")));
	forms_free(fs);
	dd_free(&d);
}

static void expect(const struct msgs *m, int i, const char *path, const char *tail)
{
	char want[600];
	snprintf(want, sizeof want, "%s:%s", path, tail);
	if (i >= m->n)
		fail_msg("message %d missing, wanted %s", i, want);
	assert_string_equal(m->line[i], want);
}

/* Each problem of meaning, at its line. */
static void test_meaning_at_lines(void **state)
{
	(void)state;
	struct dd d;
	dd_make(&d);
	const char *path = dd_put(&d, "bad.periods",
		"years 2026..2026\n"                                            /* 1 */
		"rule Q1\n  name Q1 {Y}\n"                                      /* 2-3 */
		"  data 15/12/{Y-1} 14/03/{Y}\n  deadline 10/03/{Y} exclusive\n"  /* 4-5 */
		"  previous {Y-1}-Y\n"                                          /* 6 */
		"rule H1\n  name H1 {Y}\n"                                      /* 7-8 */
		"  data 15/12/{Y-1} 14/06/{Y}\n  deadline 10/06/{Y} exclusive\n"  /* 9-10 */
		"  previous {Y}-Q9\n"                                           /* 11 */
		"rule Q3\n  name Q3 {Y}\n"                                      /* 12-13 */
		"  data 20/06/{Y} 14/09/{Y}\n  deadline 10/06/{Y} exclusive\n"    /* 14-15 */
		"period 2027-Q1\n  name x\n"                                    /* 16-17 */
		"  data 15/12/2026 14/03/2027\n  deadline 10/03/2027\n"         /* 18-19 */
		"period 2027-H1\n  name x\n"                                    /* 20-21 */
		"  data 10/03/2027 14/06/2027\n  deadline 10/06/2027\n"         /* 22-23 */
		"period 2027-Q3\n  name x\n"                                    /* 24-25 */
		"  data 15/06/2027 14/09/2027\n  deadline 10/09/2027\n"         /* 26-27 */
		"period 2027-Y\n  name x\n"                                     /* 28-29 */
		"  data 15/12/2026 14/12/2027\n  deadline 10/12/2027\n");       /* 30-31 */
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};
	assert_int_equal(forms_check_file(path, &sink), FORMS_EPARSE);
	for (int i = 0; i < m.n; i++)
		fprintf(stderr, "%s\n", m.line[i]);
	expect(&m, 0, path, "11: period '2026-H1': the previous period '2026-Q9' does not exist");
	expect(&m, 1, path,
	       "15: period '2026-Q3': the deadline 10/06/2026 is before its data window starts "
	       "(20/06/2026)");
	expect(&m, 2, path,
	       "14: period '2026-Q3': no period of 2026 covers 15/06/2026–19/06/2026 (a gap "
	       "before this window)");
	expect(&m, 3, path, "14: year 2026 has no period for quarter IV: no data window ends in 12/2026");
	expect(&m, 4, path,
	       "22: period '2027-H1': the data window 10/03/2027–14/06/2027 overlaps period "
	       "'2027-Q1' (15/12/2026–14/03/2027)");
	assert_int_equal(m.n, 5);
	/* The same in Vietnamese. */
	memset(&m, 0, sizeof m);
	sink.lang = FORMS_LANG_VI;
	assert_int_equal(forms_check_file(path, &sink), FORMS_EPARSE);
	expect(&m, 0, path, "11: kỳ '2026-H1': kỳ trước '2026-Q9' không có");
	expect(&m, 3, path,
	       "14: năm 2026 thiếu kỳ của quý IV: không kỳ nào có khoảng số liệu kết thúc trong "
	       "tháng 12/2026");
	dd_free(&d);
}

/* An override is blamed for what it breaks, at its own file and line; the
 * check of a year's file runs against the installed rules. */
static void test_override_blamed(void **state)
{
	(void)state;
	struct dd d;
	dd_make(&d);
	dd_put(&d, "ky.periods", rule_2026);
	char alone[300];
	snprintf(alone, sizeof alone, "%s/ky-2026.periods", d.root);
	FILE *f = fopen(alone, "w");
	fputs("# 2026: the province moves Q3\n"
	      "period 2026-Q3\n  deadline 01/06/2026 exclusive\n"
	      "  previous 2026-Q1\n",
	      f);
	fclose(f);
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};
	assert_int_equal(forms_check_periods(alone, d.root, &sink), FORMS_EPARSE);
	for (int i = 0; i < m.n; i++)
		fprintf(stderr, "%s\n", m.line[i]);
	expect(&m, 0, alone,
	       "3: period '2026-Q3': the deadline 01/06/2026 is before its data window starts "
	       "(15/06/2026)");
	expect(&m, 1, alone,
	       "4: period '2026-Q3': the previous period '2026-Q1' ends on 14/03/2026, not the day "
	       "before this window starts (15/06/2026)");
	assert_int_equal(m.n, 2);
	/* Alone, the file has only part of a period. */
	memset(&m, 0, sizeof m);
	assert_int_equal(forms_check_periods(alone, NULL, &sink), FORMS_EPARSE);
	expect(&m, 0, alone, "2: period '2026-Q3' has no 'name'");
	remove(alone);
	dd_free(&d);
}

/* "yyyy-mm-ddTHH:MM" in Vietnam time, as an instant. */
static int64_t at(const char *when)
{
	int y, mo, d, h, mi;
	assert_int_equal(sscanf(when, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi), 5);
	return vn_date_start((struct vn_date){y, mo, d}) + h * 3600 + mi * 60;
}

static void test_open_first(void **state)
{
	(void)state;
	struct msgs m = {0};
	struct forms *fs = load(datadir(), &m);
	const struct forms_period *v[40];
	int64_t t = at("2026-12-03T09:00");
	size_t n = forms_period_offer(fs, t, v, 40);
	/* 2026-Y is open; the 24 periods of 2021..2026 with a passed deadline
	 * follow, latest first; 2027's are upcoming and not offered. */
	assert_int_equal(n, 24);
	assert_string_equal(forms_period_id(v[0]), "2026-Y");
	assert_int_equal(forms_period_state(v[0], t), FORMS_PERIOD_OPEN);
	assert_string_equal(forms_period_id(v[1]), "2026-Q3");
	assert_int_equal(forms_period_state(v[1], t), FORMS_PERIOD_CLOSED);
	assert_string_equal(forms_period_id(v[23]), "2021-Q1");
	assert_int_equal(forms_period_state(forms_period_find(fs, "2027-Q1"), t),
			 FORMS_PERIOD_UPCOMING);
	assert_string_equal(forms_period_state_name(FORMS_PERIOD_UPCOMING), "upcoming");
	/* Days left, counting today: 03/12 -> 7 (3..9 December). */
	assert_int_equal(forms_period_days_left(v[0], t), 7);
	assert_int_equal(forms_period_days_left(v[0], at("2026-12-09T23:59")), 1);
	assert_int_equal(forms_period_days_left(v[0], at("2026-12-10T00:00")), 0);
	/* Early in a year three periods are open: soonest deadline first. */
	n = forms_period_offer(fs, at("2026-01-20T08:00"), v, 3);
	assert_int_equal(n, 3 + 20);
	assert_string_equal(forms_period_id(v[0]), "2026-Q1");
	assert_string_equal(forms_period_id(v[1]), "2026-H1");
	assert_string_equal(forms_period_id(v[2]), "2026-Y");
	forms_free(fs);
}

/* ------------------------------------------------------------ targets */

static const char small_form[] =
	"form t\nversion 1\nkind report\ntitle T\n"
	"section s S\n"
	"field a integer\n  label A\nfield b integer\n  label B\n"
	"rate r a / b\n  label R\n"
	"rate g a / b\n  label G\n  target >= 10%\n";

static void test_targets_by_year_and_kind(void **state)
{
	(void)state;
	struct dd d;
	struct msgs m = {0};
	dd_make(&d);
	dd_put(&d, "t.form", small_form);
	dd_put(&d, "t-2021.targets",
	       "form t\nyear 2021\nplan Kế hoạch 2021\n"
	       "target r = 100%\ntarget r commune >= 50%\ntarget r xa >= 40%\n"
	       "target r district >= 62%\n");
	struct forms *fs = load(d.root, &m);
	const struct form *f = forms_find(fs, "t");
	const struct form_rate *r = form_rate_find(f, "r");
	struct forms_target t;
	char src[128];
	/* A kind named alone wins over its group. */
	form_rate_target(r, 2021, FORMS_KIND_COMMUNE, &t);
	assert_string_equal(t.text, ">= 40%");
	assert_false(t.carried);
	assert_int_equal(forms_plan_year(t.plan), 2021);
	forms_target_source(&t, FORMS_LANG_VI, src, sizeof src);
	assert_string_equal(src, "Kế hoạch 2021");
	form_rate_target(r, 2021, FORMS_KIND_WARD, &t);
	assert_string_equal(t.text, ">= 50%");
	form_rate_target(r, 2021, FORMS_KIND_PROVINCE, &t);
	assert_string_equal(t.text, ">= 62%");
	/* 2026 has no plan: 2021's, carried over. */
	form_rate_target(r, 2026, FORMS_KIND_TOWN, &t);
	assert_string_equal(t.text, ">= 50%");
	assert_true(t.carried);
	forms_target_source(&t, FORMS_LANG_VI, src, sizeof src);
	assert_string_equal(src, "kế thừa từ kế hoạch 2021");
	forms_target_source(&t, FORMS_LANG_EN, src, sizeof src);
	assert_string_equal(src, "carried over from the 2021 plan");
	/* A rate no plan covers: the plan has no target for it. */
	form_rate_target(form_rate_find(f, "g"), 2021, FORMS_KIND_COMMUNE, &t);
	assert_string_equal(t.text, "");
	forms_free(fs);

	/* The district loads its 2026 plan: no form change. */
	dd_put(&d, "t-2026.targets", "form t\nyear 2026\nplan Kế hoạch 2026\ntarget r >= 70%\n");
	memset(&m, 0, sizeof m);
	fs = load(d.root, &m);
	r = form_rate_find(forms_find(fs, "t"), "r");
	form_rate_target(r, 2026, FORMS_KIND_TOWN, &t);
	assert_string_equal(t.text, ">= 70%");
	assert_false(t.carried);
	form_rate_target(r, 2027, FORMS_KIND_TOWN, &t);
	assert_true(t.carried);
	assert_int_equal(forms_plan_year(t.plan), 2026);
	form_rate_target(r, 2021, FORMS_KIND_COMMUNE, &t);
	assert_string_equal(t.text, ">= 40%");
	/* The old call: the newest plan. */
	assert_string_equal(form_rate_target_text(r, FORMS_LEVEL_COMMUNE), ">= 70%");
	struct kv v = KV_INIT;
	kv_set(&v, "a", "7");
	kv_set(&v, "b", "10");
	struct form_rate_value rv;
	form_rate_eval_for(forms_find(fs, "t"), r, &v, 2021, FORMS_KIND_COMMUNE, &rv);
	assert_int_equal(rv.met, FORM_MET_YES);
	form_rate_eval_for(forms_find(fs, "t"), r, &v, 2026, FORMS_KIND_COMMUNE, &rv);
	assert_int_equal(rv.met, FORM_MET_YES);
	kv_set(&v, "a", "6");
	form_rate_eval_for(forms_find(fs, "t"), r, &v, 2026, FORMS_KIND_COMMUNE, &rv);
	assert_int_equal(rv.met, FORM_MET_NO);
	assert_int_equal(forms_plan_year(rv.source.plan), 2026);
	kv_free(&v);
	forms_free(fs);
	dd_free(&d);
}

static void test_targets_file_errors(void **state)
{
	(void)state;
	struct dd d;
	dd_make(&d);
	const char *p = dd_put(&d, "x.targets",
			       "form t\nyear 20x1\nplan P\ntarget r town >= 5%\ntarget r >= 5\n");
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};
	assert_int_equal(forms_check_file(p, &sink), FORMS_EPARSE);
	expect(&m, 0, p, "2: bad year '20x1'");
	expect(&m, 1, p,
	       "4: unknown unit kind (write xa, phuong, thi_tran, dac_khu, huyen, tinh, commune or "
	       "district)");
	expect(&m, 2, p, "5: bad target '>= 5' (write e.g. >= 25%)");
	dd_free(&d);
}

/* ------------------------------------------------------------- rounding */

static struct forms *rate_set(struct dd *d, const char *target)
{
	char text[512];
	struct msgs m = {0};
	dd_make(d);
	snprintf(text, sizeof text,
		 "form t\nversion 1\nkind report\ntitle T\nsection s S\n"
		 "field a integer\n  label A\nfield b integer\n  label B\n"
		 "rate r a / b\n  label R\n  target %s\n",
		 target);
	dd_put(d, "t.form", text);
	return load(d->root, &m);
}

static void eval(const struct forms *fs, int64_t a, int64_t b, struct form_rate_value *rv)
{
	char na[24], nb[24];
	struct kv v = KV_INIT;
	snprintf(na, sizeof na, "%lld", (long long)a);
	snprintf(nb, sizeof nb, "%lld", (long long)b);
	kv_set(&v, "a", na);
	kv_set(&v, "b", nb);
	const struct form *f = forms_find(fs, "t");
	form_rate_eval_for(f, form_rate_find(f, "r"), &v, 2021, FORMS_KIND_COMMUNE, rv);
	kv_free(&v);
}

static void test_rounding_keeps_verdict(void **state)
{
	(void)state;
	struct dd d;
	struct form_rate_value rv;
	struct forms *fs = rate_set(&d, "= 100%");
	/* 1999/2000 = 99,95%: plain rounding says 100,0%, the verdict Không đạt. */
	eval(fs, 1999, 2000, &rv);
	assert_int_equal(rv.met, FORM_MET_NO);
	assert_string_equal(rv.text, "99,9%");
	eval(fs, 2000, 2000, &rv);
	assert_int_equal(rv.met, FORM_MET_YES);
	assert_string_equal(rv.text, "100,0%");
	/* Whatever the counts, "100,0%" never reads Không đạt. */
	for (int64_t den = 1; den <= 3000; den += 7)
		for (int64_t num = den > 40 ? den - 40 : 0; num <= den; num++) {
			eval(fs, num, den, &rv);
			if (!strcmp(rv.text, "100,0%"))
				assert_int_equal(rv.met, FORM_MET_YES);
		}
	forms_free(fs);
	dd_free(&d);

	fs = rate_set(&d, ">= 25%");
	eval(fs, 2499, 10000, &rv); /* 24,99% */
	assert_int_equal(rv.met, FORM_MET_NO);
	assert_string_equal(rv.text, "24,9%");
	eval(fs, 2500, 10000, &rv);
	assert_int_equal(rv.met, FORM_MET_YES);
	assert_string_equal(rv.text, "25,0%");
	eval(fs, 2496, 10000, &rv); /* 24,96% would round to 25,0% */
	assert_string_equal(rv.text, "24,9%");
	eval(fs, 2440, 10000, &rv); /* no contradiction: plain rounding */
	assert_string_equal(rv.text, "24,4%");
	eval(fs, 1, 3, &rv);
	assert_string_equal(rv.text, "33,3%");
	forms_free(fs);
	dd_free(&d);

	/* A strict target met by a hair shows above it, not on it. */
	fs = rate_set(&d, "> 62,5%");
	eval(fs, 625001, 1000000, &rv);
	assert_int_equal(rv.met, FORM_MET_YES);
	assert_string_equal(rv.text, "62,6%");
	eval(fs, 625, 1000, &rv);
	assert_int_equal(rv.met, FORM_MET_NO);
	assert_string_equal(rv.text, "62,5%");
	forms_free(fs);
	dd_free(&d);
}

/* The shipped online-dossier rate says what it computes. */
static void test_online_label(void **state)
{
	(void)state;
	struct msgs m = {0};
	struct forms *fs = load(datadir(), &m);
	const struct form *f = forms_find(fs, "bao-cao-cchc");
	const struct form_rate *r = form_rate_find(f, "ty_le_truc_tuyen");
	assert_string_equal(form_rate_numerator(r), "tiep_nhan_truc_tuyen");
	assert_string_equal(form_rate_denominator(r), "tiep_nhan_moi");
	assert_string_equal(form_rate_label(r, FORMS_LANG_VI), "Tỷ lệ hồ sơ mới tiếp nhận trực tuyến");
	/* Its target now comes from the 2021 plan file, and later years carry it. */
	struct forms_target t;
	form_rate_target(r, 2026, FORMS_KIND_COMMUNE, &t);
	assert_string_equal(t.text, ">= 25%");
	assert_true(t.carried);
	assert_int_equal(forms_plan_year(t.plan), 2021);
	form_rate_target(form_rate_find(f, "ty_le_ho_so_cong_viec"), 2021, FORMS_KIND_DISTRICT, &t);
	assert_string_equal(t.text, ">= 62%");
	form_rate_target(form_rate_find(f, "ty_le_ho_so_cong_viec"), 2021, FORMS_KIND_TOWN, &t);
	assert_string_equal(t.text, ">= 50%");
	forms_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_2021_as_before),
		cmocka_unit_test(test_2027_equals_rule),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_meaning_at_lines),
		cmocka_unit_test(test_override_blamed),
		cmocka_unit_test(test_open_first),
		cmocka_unit_test(test_targets_by_year_and_kind),
		cmocka_unit_test(test_targets_file_errors),
		cmocka_unit_test(test_rounding_keeps_verdict),
		cmocka_unit_test(test_online_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
