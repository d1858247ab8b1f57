/*
 * tests/district/test_desk.c: the district desk's computation on a real
 * store (records arrive through store_sync_apply, as an import writes
 * them) and a unit list made for the test beside the shipped forms:
 * which units are expected (parent and validity only), the state at the
 * deadline's second, revisions, totals as sums, zero denominators, the
 * warnings, the CSV cell rule and the export files.
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

#include "core/csv.h"
#include "core/secret.h"
#include "district/district.h"

#define DEADLINE_Q1 1615309200 /* 10/03/2021 00:00 +07:00 */

struct fx {
	char root[256], node[300], data[300];
	struct store *s;
	struct forms *fs;
	uint64_t next[8];
};

/* Units under "500" (not a real code: nothing may depend on 076):
 * A, B, C, D valid all along, E from 01/06/2021, F until 05/03/2021;
 * G under another parent. */
static const char units_csv[] = "code,name,kind,parent,valid_from,valid_to,list_version\n"
                                "500,Huyện Thử,Huyện,50,2020-01-01,,T-1\n"
                                "50001,Xã Đông Thọ,Xã,500,2020-01-01,,T-1\n"
                                "50002,Xã Đồng Quý,Xã,500,2020-01-01,,T-1\n"
                                "50003,Xã Bình Yên,Xã,500,2020-01-01,,T-1\n"
                                "50004,Xã Đông Lợi,Xã,500,2020-01-01,,T-1\n"
                                "50005,Xã Mới Lập,Xã,500,2021-06-01,,T-1\n"
                                "50006,Xã Đã Nhập,Xã,500,2020-01-01,2021-03-05,T-1\n"
                                "60001,Xã Khác,Xã,600,2020-01-01,,T-1\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	char path[600], src[400], rec[STORE_RECOVERY_BUF];
	setenv("CCHC_PWCOST", "min", 1);
	const char *tmp = getenv("TMPDIR"), *dd = getenv("CCHC_DATADIR");
	snprintf(x->root, sizeof x->root, "%s/cchc-desk-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(x->root));
	snprintf(x->node, sizeof x->node, "%s/node", x->root);
	snprintf(x->data, sizeof x->data, "%s/data", x->root);
	const char *sub[] = {"", "/data", "/data/units", "/forms"};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s%s", x->data, sub[i]);
		assert_int_equal(mkdir(path, 0700), 0);
	}
	snprintf(src, sizeof src, "%s/forms/defs", dd && *dd ? dd : ".");
	char *abs = realpath(src, NULL);
	assert_non_null(abs);
	snprintf(path, sizeof path, "%s/forms/defs", x->data);
	assert_int_equal(symlink(abs, path), 0);
	free(abs);
	snprintf(path, sizeof path, "%s/data/units/test.csv", x->data);
	write_file(path, units_csv);
	assert_int_equal(forms_load(x->data, NULL, &x->fs), 0);
	assert_int_equal(store_create(x->node, "admin", "pw", NULL, rec, &x->s), 0);
	for (int i = 0; i < 8; i++)
		x->next[i] = 1;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	char cmd[400];
	store_close(x->s);
	forms_free(x->fs);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->root);
	assert_int_equal(system(cmd), 0);
	free(x);
	return 0;
}

static void set(struct store_record *r, const char *k, long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%ld", v);
	kv_set(&r->fields, k, buf);
}

/* A report with consistent dossier figures; mot_cua num/den given. */
static void report(struct store_record *r, uint8_t id_byte, const char *unit, const char *period,
                   unsigned rev, long num, long den)
{
	store_record_init(r);
	memset(r->id, id_byte, sizeof r->id);
	snprintf(r->form, sizeof r->form, "bao-cao-cchc");
	r->form_version = 1;
	snprintf(r->unit, sizeof r->unit, "%s", unit);
	snprintf(r->period, sizeof r->period, "%s", period);
	r->state = 2;
	r->revision = rev;
	r->version = 2 * rev;
	r->approved_at = 1615000000 + rev;
	set(r, "tong_tiep_nhan", 120), set(r, "ton_ky_truoc", 10), set(r, "da_giai_quyet", 100);
	set(r, "dang_giai_quyet", 20), set(r, "tiep_nhan_truc_tuyen", 30);
	set(r, "tiep_nhan_truc_tiep", 70), set(r, "tiep_nhan_buu_chinh", 10);
	set(r, "tthc_mot_cua_tu", num), set(r, "tthc_mot_cua_mau", den);
}

static void arrive(struct fx *x, int unit_ix, struct store_record *r, int64_t at)
{
	uint8_t id[32];
	secret_random(id, sizeof id);
	struct store_sync_batch b = {id, r->unit, 7, x->next[unit_ix]++, at, r, 1};
	assert_int_equal(store_sync_apply(x->s, &b, NULL), 0);
	store_record_clear(r);
}

static const struct district_unit_status *row(const struct district_status *st, const char *u)
{
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(forms_unit_code(st->units[i].unit), u) == 0)
			return &st->units[i];
	return NULL;
}

static const struct form_rate_value *rate_of(const struct district_summary *sm, const char *u,
                                             const char *id)
{
	const struct form_rate_value *v = NULL;
	for (size_t k = 0; k < sm->n_rates; k++)
		if (strcmp(form_rate_id(form_rate_at(sm->form, k)), id) == 0)
			for (size_t i = 0; i < sm->n; i++)
				if (!u || strcmp(forms_unit_code(sm->units[i].unit), u) == 0)
					v = u ? &sm->units[i].rates[k] : &sm->total[k];
	return v;
}

/* The fixture's data: A on time by one second, then a late revision 2;
 * B exactly at the deadline (late); C with no receipt time; D deleted;
 * G (another parent) ignored. */
static void load(struct fx *x)
{
	struct store_record r;
	report(&r, 0xA1, "50001", "2021-Q1", 1, 40, 50);
	arrive(x, 0, &r, DEADLINE_Q1 - 1);
	report(&r, 0xA1, "50001", "2021-Q1", 2, 50, 50);
	arrive(x, 0, &r, DEADLINE_Q1 + 86400);
	report(&r, 0xB1, "50002", "2021-Q1", 1, 0, 0);
	arrive(x, 1, &r, DEADLINE_Q1);
	report(&r, 0xC1, "50003", "2021-Q1", 1, 10, 40);
	arrive(x, 2, &r, 0);
	report(&r, 0xD1, "50004", "2021-Q1", 1, 1, 1);
	r.deleted = 1;
	arrive(x, 3, &r, DEADLINE_Q1 - 100);
	report(&r, 0x61, "60001", "2021-Q1", 1, 1, 1);
	arrive(x, 6, &r, DEADLINE_Q1 - 100);
	/* H1: B leaves 20 pending; Q3: B carries 25 over; C's Q3 is off balance. */
	report(&r, 0xB2, "50002", "2021-H1", 1, 1, 2);
	arrive(x, 1, &r, 1622505600);
	report(&r, 0xB3, "50002", "2021-Q3", 1, 1, 2);
	set(&r, "ton_ky_truoc", 25), set(&r, "tong_tiep_nhan", 135), set(&r, "da_giai_quyet", 115);
	arrive(x, 1, &r, 1630000000);
	report(&r, 0xC3, "50003", "2021-Q3", 1, 1, 2);
	set(&r, "da_giai_quyet", 90);
	arrive(x, 2, &r, 1630000000);
}

static void test_status(void **state)
{
	struct fx *x = *state;
	struct district *d;
	struct district_status st;
	load(x);
	assert_int_equal(district_open(x->s, x->fs, "500", NULL, &d), 0);
	assert_string_equal(form_id(district_form(d)), "bao-cao-cchc");
	assert_int_equal(district_status(d, "2021-Q1", NULL, &st), 0);
	/* Expected: A B C D (E begins after, F ended before the deadline). */
	assert_int_equal(st.expected, 4);
	assert_string_equal(forms_unit_name(st.units[0].unit), "Xã Bình Yên");
	assert_string_equal(forms_unit_name(st.units[1].unit), "Xã Đông Lợi");
	assert_string_equal(forms_unit_name(st.units[2].unit), "Xã Đông Thọ");
	assert_string_equal(forms_unit_name(st.units[3].unit), "Xã Đồng Quý");
	const struct district_unit_status *a = row(&st, "50001"), *b = row(&st, "50002");
	assert_int_equal(a->state, DISTRICT_ON_TIME);
	assert_int_equal(a->revisions, 2);
	assert_int_equal(a->first_revision, 1);
	assert_int_equal(a->latest_revision, 2);
	assert_int_equal(a->received_at, DEADLINE_Q1 - 1);
	assert_int_equal(a->latest_received_at, DEADLINE_Q1 + 86400);
	assert_int_equal(a->approved_at, 1615000001);
	assert_int_equal(b->state, DISTRICT_LATE); /* the deadline's first second is late */
	assert_int_equal(row(&st, "50003")->state, DISTRICT_LATE);    /* no receipt time */
	assert_int_equal(row(&st, "50004")->state, DISTRICT_MISSING); /* a tombstone */
	assert_null(row(&st, "60001"));
	assert_int_equal(st.received, 3);
	assert_int_equal(st.on_time, 1);
	assert_int_equal(st.late, 2);
	assert_int_equal(st.deadline, DEADLINE_Q1);
	district_status_free(&st);
	/* Q3: E exists then; F does not. */
	assert_int_equal(district_status(d, "2021-Q3", NULL, &st), 0);
	assert_int_equal(st.expected, 5);
	assert_non_null(row(&st, "50005"));
	district_status_free(&st);
	assert_int_equal(district_status(d, "2021-Q1", "50002", &st), 0);
	assert_int_equal(st.n, 1);
	assert_int_equal(st.expected, 1);
	district_status_free(&st);
	assert_int_equal(district_status(d, "2021-Q1", "50005", &st), DISTRICT_ENOUNIT);
	assert_int_equal(district_status(d, "2021-Q1", "60001", &st), DISTRICT_ENOUNIT);
	assert_int_equal(district_status(d, "2030-Q1", NULL, &st), DISTRICT_ENOPERIOD);
	district_free(d);
}

static void test_summary(void **state)
{
	struct fx *x = *state;
	struct district *d;
	struct district_summary sm;
	load(x);
	assert_int_equal(district_open(x->s, x->fs, "500", NULL, &d), 0);
	assert_int_equal(district_summary(d, "2021-Q1", NULL, &sm), 0);
	assert_int_equal(sm.n, 4);
	assert_int_equal(sm.reported, 3);
	const struct form_rate_value *v = rate_of(&sm, "50001", "ty_le_mot_cua");
	assert_int_equal(v->num, 50); /* revision 2 counts */
	assert_int_equal(v->den, 50);
	assert_int_equal(v->met, FORM_MET_YES);
	v = rate_of(&sm, "50002", "ty_le_mot_cua");
	assert_true(v->has_counts);
	assert_int_equal(v->den, 0);
	assert_int_equal(v->met, FORM_MET_NA);
	assert_string_equal(v->text, "–");
	v = rate_of(&sm, "50004", "ty_le_mot_cua");
	assert_false(v->has_counts);
	/* Total: (50 + 0 + 10) / (50 + 0 + 40) = 60/90, not the mean of 100% and 25%. */
	v = rate_of(&sm, NULL, "ty_le_mot_cua");
	assert_int_equal(v->num, 60);
	assert_int_equal(v->den, 90);
	assert_string_equal(v->text, "66,7%");
	assert_int_equal(v->met, FORM_MET_NO);
	assert_int_equal(sm.total_level, FORMS_LEVEL_COMMUNE);
	assert_int_equal(sm.n_warnings, 0);
	district_summary_free(&sm);

	assert_int_equal(district_summary(d, "2021-Q3", NULL, &sm), 0);
	assert_int_equal(sm.n_warnings, 2);
	/* Unit order: Bình Yên (C) first, then Đồng Quý (B). */
	const struct district_warning *w = &sm.warnings[0];
	assert_int_equal(w->kind, DISTRICT_W_BALANCE);
	assert_string_equal(forms_unit_code(w->unit), "50003");
	assert_int_equal(w->value, 110);
	assert_int_equal(w->other, 120);
	assert_int_equal(w->resolved, 90);
	assert_int_equal(w->pending, 20);
	w = &sm.warnings[1];
	assert_int_equal(w->kind, DISTRICT_W_CARRIED_OVER);
	assert_string_equal(forms_unit_code(w->unit), "50002");
	assert_int_equal(w->value, 25);
	assert_int_equal(w->other, 20);
	assert_string_equal(w->other_period, "2021-H1");
	district_summary_free(&sm);
	district_free(d);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(district_state_name(DISTRICT_ON_TIME), "on_time");
	assert_string_equal(district_state_name(DISTRICT_RETURNED), "returned");
	assert_string_equal(district_state_label(DISTRICT_LATE, FORMS_LANG_VI), "gửi muộn");
	assert_string_equal(district_state_label(DISTRICT_MISSING, FORMS_LANG_EN), "missing");
	assert_string_equal(district_state_letter(DISTRICT_ON_TIME, FORMS_LANG_VI), "Đ");
	assert_string_equal(district_state_letter(DISTRICT_RETURNED, FORMS_LANG_VI), "T");
	assert_true(district_fraction(5, 8) == 0.625);
	assert_true(district_fraction(1, 0) < 0);
}

static char *cell(const char *s)
{
	static char buf[256];
	memset(buf, 0, sizeof buf);
	FILE *f = fmemopen(buf, sizeof buf, "w");
	csv_cell(f, s);
	fclose(f);
	return buf;
}

static void test_csv_cell(void **state)
{
	(void)state;
	assert_string_equal(cell("=1+2"), "\"'=1+2\"");
	assert_string_equal(cell("+1"), "\"'+1\"");
	assert_string_equal(cell("-2+3+cmd|' /C calc'!A0"), "\"'-2+3+cmd|' /C calc'!A0\"");
	assert_string_equal(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
	assert_string_equal(cell("\tx"), "\"'\tx\"");
	assert_string_equal(cell("\rx"), "\"'\rx\"");
	assert_string_equal(cell("-5"), "-5");
	assert_string_equal(cell("-0.25"), "-0.25");
	assert_string_equal(cell("02545"), "02545");
	assert_string_equal(cell("0912345678"), "0912345678");
	assert_string_equal(cell("a,b"), "\"a,b\"");
	assert_string_equal(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
	assert_string_equal(cell("line\nnext"), "\"line\nnext\"");
	assert_string_equal(cell(""), "");
	assert_string_equal(cell("Tân Trào"), "Tân Trào");
}

static void test_export(void **state)
{
	struct fx *x = *state;
	struct district *d;
	struct district_status st;
	struct district_summary sm;
	char path[400], bad[400], buf[8192];
	load(x);
	assert_int_equal(district_open(x->s, x->fs, "500", NULL, &d), 0);
	assert_int_equal(district_status(d, "2021-Q1", NULL, &st), 0);
	assert_int_equal(district_summary(d, "2021-Q1", NULL, &sm), 0);
	struct district_export ex = {FORMS_LANG_VI, "Huyện Thử – Quý I", "Tổng cộng"};
	snprintf(path, sizeof path, "%s/q1.csv", x->root);
	assert_int_equal(district_export_csv(&st, &sm, &ex, path), 0);
	FILE *f = fopen(path, "r");
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_memory_equal(buf, "\xEF\xBB\xBFMã đơn vị,Đơn vị,Tình trạng,", 33);
	assert_non_null(
	    strstr(buf, "\r\n50001,Xã Đông Thọ,đúng hạn,1,1,2,2021-03-06T10:06:41+07:00,"));
	assert_non_null(strstr(buf, "\r\n,Tổng cộng,Phải gửi: 4,3,1,4,"));
	snprintf(path, sizeof path, "%s/q1.xlsx", x->root);
	assert_int_equal(district_export_xlsx(&st, &sm, &ex, path), 0);
	f = fopen(path, "r");
	assert_int_equal(fread(buf, 1, 2, f), 2);
	fclose(f);
	assert_memory_equal(buf, "PK", 2); /* a zip container */
	/* Nowhere to write: an error, and no file, no temp file. */
	snprintf(bad, sizeof bad, "%s/missing/q1.xlsx", x->root);
	assert_int_equal(district_export_xlsx(&st, &sm, &ex, bad), DISTRICT_EIO);
	snprintf(bad, sizeof bad, "%s/missing/q1.csv", x->root);
	assert_int_equal(district_export_csv(&st, &sm, &ex, bad), DISTRICT_EIO);
	snprintf(bad, sizeof bad, "ls -a '%s' | grep -c tmp", x->root);
	FILE *p = popen(bad, "r");
	assert_non_null(fgets(buf, sizeof buf, p));
	pclose(p);
	assert_string_equal(buf, "0\n");
	district_summary_free(&sm);
	district_status_free(&st);
	district_free(d);
}

static void test_empty(void **state)
{
	struct fx *x = *state;
	struct district *d;
	struct district_summary sm;
	/* Nothing received at all: every rate "–", totals too. */
	assert_int_equal(district_open(x->s, x->fs, "500", NULL, &d), 0);
	assert_int_equal(district_summary(d, "2021-Q1", NULL, &sm), 0);
	assert_int_equal(sm.reported, 0);
	assert_false(sm.total[0].has_counts);
	assert_int_equal(sm.total[0].met, FORM_MET_NA);
	district_summary_free(&sm);
	district_free(d);
	/* A unit code that is no one's parent expects nobody. */
	assert_int_equal(district_open(x->s, x->fs, "12345", NULL, &d), 0);
	assert_null(district_unit(d));
	assert_int_equal(district_summary(d, "2021-Q1", NULL, &sm), 0);
	assert_int_equal(sm.n, 0);
	district_summary_free(&sm);
	district_free(d);
	assert_int_equal(district_open(x->s, x->fs, "500", "no-such-form", &d), DISTRICT_ENOFORM);
}

int main(void)
{
	if (secret_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_status, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_csv_cell),
	    cmocka_unit_test_setup_teardown(test_export, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
