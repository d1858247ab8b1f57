/*
 * tests/forms/test_units.c: unit lists over time: the shipped 2021 list
 * with the sample 2025 list installed beside it (forms_load_units),
 * validity, predecessors resolved by time (the code 02536 reused),
 * successors and today's unit, list versions, and forms_units_check_file.
 * Data files are found under $CCHC_DATADIR (the repo root; "." if unset).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/vnfmt.h"
#include "forms/forms.h"

struct msgs {
	char line[32][512];
	int n;
};

static void collect(void *ctx, const char *msg)
{
	struct msgs *m = ctx;
	if (m->n < 32)
		snprintf(m->line[m->n++], sizeof m->line[0], "%s", msg);
}

static const char *datadir(void)
{
	const char *d = getenv("CCHC_DATADIR");
	return d && *d ? d : ".";
}

static struct vn_date day(int y, int m, int d)
{
	struct vn_date x = {y, m, d};
	return x;
}

static int setup(void **state)
{
	char dir[4096];
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};
	struct forms *fs = NULL;
	snprintf(dir, sizeof dir, "%s/data/units-sample", datadir());
	int rc = forms_load_units(datadir(), dir, &sink, &fs);
	for (int i = 0; i < m.n; i++)
		fprintf(stderr, "%s\n", m.line[i]);
	if (rc != 0)
		return -1;
	*state = fs;
	return 0;
}

static int teardown(void **state)
{
	forms_free(*state);
	return 0;
}

static void test_lists_and_tiers(void **state)
{
	const struct forms *fs = *state;
	assert_int_equal(forms_unit_list_count(fs), 2);
	assert_string_equal(forms_unit_list_at(fs, 0), "GSO-2021");
	assert_string_equal(forms_unit_list_at(fs, 1), "SAMPLE-TQ-2025");
	assert_null(forms_unit_list_at(fs, 2));
	const struct forms_unit *p = forms_unit_find(fs, "08", "SAMPLE-TQ-2025");
	assert_non_null(p);
	assert_int_equal(forms_unit_tier(p), FORMS_TIER_PROVINCE);
	assert_int_equal(forms_unit_level(p), FORMS_LEVEL_DISTRICT); /* aggregating targets */
	assert_string_equal(forms_unit_short_name(p), "Tuyên Quang");
	assert_string_equal(forms_unit_parent(p), "");
	const struct forms_unit *d = forms_unit_find(fs, "076", "GSO-2021");
	assert_int_equal(forms_unit_tier(d), FORMS_TIER_DISTRICT);
	const struct forms_unit *x = forms_unit_find(fs, "99001", "SAMPLE-TQ-2025");
	assert_int_equal(forms_unit_tier(x), FORMS_TIER_COMMUNE);
	assert_string_equal(forms_unit_parent(x), "08"); /* a commune under a province */
	assert_non_null(strstr(forms_unit_path(x), "tuyen-quang-2025-mau.csv"));
	assert_true(forms_unit_line(x) > 1);
}

static void test_validity(void **state)
{
	const struct forms *fs = *state;
	const struct forms_unit *old = forms_unit_find(fs, "02536", "GSO-2021");
	const struct forms_unit *neu = forms_unit_find(fs, "02536", "SAMPLE-TQ-2025");
	assert_string_equal(forms_unit_name(old), "Thị trấn Sơn Dương");
	assert_string_equal(forms_unit_name(neu), "Xã Sơn Dương");
	assert_true(forms_unit_valid_on(old, day(2025, 6, 30)));
	assert_false(forms_unit_valid_on(old, day(2025, 7, 1)));
	assert_false(forms_unit_valid_on(neu, day(2025, 6, 30)));
	assert_true(forms_unit_valid_on(neu, day(2026, 12, 3)));
	/* A window sharing one day with the validity is open. */
	assert_true(forms_unit_valid_during(old, day(2025, 6, 15), day(2025, 9, 14)));
	assert_false(forms_unit_valid_during(old, day(2025, 7, 1), day(2025, 9, 14)));
	assert_false(forms_unit_valid_during(neu, day(2020, 12, 15), day(2021, 3, 14)));
	/* By day, the code names one unit. */
	const struct forms_unit *v[4];
	assert_int_equal(forms_unit_find_valid(fs, "02536", day(2021, 3, 1), v, 4), 1);
	assert_ptr_equal(v[0], old);
	assert_int_equal(forms_unit_find_valid(fs, "02536", day(2026, 1, 1), v, 4), 1);
	assert_ptr_equal(v[0], neu);
	assert_int_equal(forms_unit_find_valid(fs, "02545", day(2026, 1, 1), v, 4), 0);
	/* Who reports to whom, in a period: 31 to the district in 2021, 10 to
	 * the province (sample list) in 2026, none to the old district then. */
	const struct forms_unit *dist = forms_unit_find(fs, "076", "GSO-2021");
	const struct forms_unit *prov = forms_unit_find(fs, "08", "SAMPLE-TQ-2025");
	size_t nd = 0, np = 0, nd26 = 0;
	for (size_t i = 0; i < forms_unit_count(fs); i++) {
		const struct forms_unit *u = forms_unit_at(fs, i);
		nd += (size_t)forms_unit_reports_to(u, dist, day(2020, 12, 15), day(2021, 3, 14));
		nd26 += (size_t)forms_unit_reports_to(u, dist, day(2026, 9, 15), day(2026, 12, 14));
		np += (size_t)forms_unit_reports_to(u, prov, day(2026, 9, 15), day(2026, 12, 14));
	}
	assert_int_equal(nd, 31);
	assert_int_equal(np, 10);
	assert_int_equal(nd26, 0);
	assert_false(forms_unit_reports_to(old, prov, day(2026, 9, 15), day(2026, 12, 14)));
}

static void test_history(void **state)
{
	const struct forms *fs = *state;
	const struct forms_unit *neu = forms_unit_find(fs, "02536", "SAMPLE-TQ-2025");
	assert_int_equal(forms_unit_predecessor_count(neu), 4);
	assert_string_equal(forms_unit_predecessor_code(neu, 1), "02566");
	assert_null(forms_unit_predecessor_code(neu, 4));
	/* 02536 as a predecessor is the old Thị trấn, not the new unit itself. */
	const struct forms_unit *p0 = forms_unit_predecessor(fs, neu, 0);
	assert_non_null(p0);
	assert_string_equal(forms_unit_name(p0), "Thị trấn Sơn Dương");
	assert_string_equal(forms_unit_name(forms_unit_predecessor(fs, neu, 1)), "Xã Hợp Thành");
	assert_null(forms_unit_predecessor(fs, neu, 9));
	/* Xã Hợp Thành (2021) is grouped under today's Xã Sơn Dương. */
	const struct forms_unit *hop = forms_unit_find(fs, "02566", "GSO-2021");
	assert_string_equal(forms_unit_name(hop), "Xã Hợp Thành");
	assert_ptr_equal(forms_unit_successor(fs, hop), neu);
	assert_ptr_equal(forms_unit_current(fs, hop, day(2026, 12, 3)), neu);
	assert_ptr_equal(forms_unit_current(fs, hop, day(2021, 3, 1)), hop);
	assert_ptr_equal(forms_unit_current(fs, p0, day(2026, 12, 3)), neu);
	/* Vân Sơn has no successor in the sample: no unit today. */
	const struct forms_unit *van = forms_unit_find(fs, "02593", "GSO-2021");
	assert_null(forms_unit_successor(fs, van));
	assert_null(forms_unit_current(fs, van, day(2026, 12, 3)));
	/* The new unit has no successor. */
	assert_null(forms_unit_successor(fs, neu));
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#define HEAD "code,name,kind,parent,valid_from,valid_to,list_version,predecessors\n"

static void test_check_file(void **state)
{
	const struct forms *fs = *state;
	char path[] = "/tmp/cchc-units-XXXXXX.csv";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};

	/* A commune of the known 2021 district: its parent is in known. */
	write_file(path, HEAD "02999,Xã Mới,Xã,076,2020-01-01,2025-06-30,GSO-2021,\n");
	assert_int_equal(forms_units_check_file(path, fs, NULL, &sink), 0);
	assert_int_equal(m.n, 0);
	/* Without known, the parent is missing. */
	assert_int_equal(forms_units_check_file(path, NULL, NULL, &sink), FORMS_EPARSE);
	assert_int_equal(m.n, 1);
	assert_non_null(strstr(m.line[0], ":2: the parent 076 of Xã Mới is not in list GSO-2021"));
	/* A (code, version) already loaded from another file. */
	m.n = 0;
	write_file(path, HEAD "02545,Xã Tân Trào,Xã,076,2020-01-01,2025-06-30,GSO-2021,\n");
	assert_int_equal(forms_units_check_file(path, fs, NULL, &sink), FORMS_EPARSE);
	assert_int_equal(m.n, 1);
	assert_non_null(strstr(m.line[0], ":2: code 02545 is already in list GSO-2021 ("));
	/* Overlap within the file, reported at the later line; a list beside
	 * an installed one may overlap it (init asks). */
	m.n = 0;
	write_file(path, HEAD "08,Tỉnh A,Tỉnh,,2025-07-01,,V1,\n"
			      "08,Tỉnh A,Tỉnh,,2026-01-01,,V2,\n"
			      "02536,Xã Sơn Dương,Xã,08,2025-07-01,,V1,\n");
	assert_int_equal(forms_units_check_file(path, fs, NULL, &sink), FORMS_EPARSE);
	assert_int_equal(m.n, 1);
	assert_non_null(strstr(m.line[0], ":3: code 08 is already Tỉnh A (list V1, valid 01/07/2025–…)"));
	/* Đặc khu only under a province, a valid_to before valid_from. */
	m.n = 0;
	write_file(path, HEAD "08,Tỉnh A,Tỉnh,,2025-07-01,,V1,\n"
			      "90001,Đặc khu B,Đặc khu,08,2025-07-01,,V1,\n"
			      "076,Huyện C,Huyện,08,2025-07-01,,V1,\n"
			      "90002,Đặc khu D,Đặc khu,076,2025-07-01,,V1,\n"
			      "90003,Xã E,Xã,08,2025-07-01,2025-01-01,V1,\n");
	assert_int_equal(forms_units_check_file(path, NULL, NULL, &sink), FORMS_EPARSE);
	assert_int_equal(m.n, 2);
	assert_non_null(strstr(m.line[0], ":6: valid_to (2025-01-01) is before valid_from"));
	assert_non_null(strstr(m.line[1], ":5: a 'Đặc khu' cannot be under Huyện C (a 'Huyện')"));
	assert_string_equal(forms_unit_short_name(forms_unit_find(fs, "08", "SAMPLE-TQ-2025")),
			    "Tuyên Quang");
	/* The older header, without predecessors, is still read. */
	m.n = 0;
	write_file(path, "code,name,kind,parent,valid_from,valid_to,list_version\n"
			 "08,Thành phố Hà Nội,Thành phố trực thuộc trung ương,,2025-07-01,,V9\n");
	assert_int_equal(forms_units_check_file(path, NULL, NULL, &sink), 0);
	assert_int_equal(m.n, 0);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_and_tiers),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_check_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
