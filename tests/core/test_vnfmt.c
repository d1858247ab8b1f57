/*
 * tests/core/test_vnfmt.c: Vietnam time, dates, numbers and rates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/vnfmt.h"

static void assert_date(struct vn_date d, int y, int m, int dd)
{
	assert_int_equal(d.y, y);
	assert_int_equal(d.m, m);
	assert_int_equal(d.d, dd);
}

static void test_days(void **state)
{
	(void)state;
	assert_int_equal(vn_date_days((struct vn_date){1970, 1, 1}), 0);
	assert_int_equal(vn_date_days((struct vn_date){1970, 1, 2}), 1);
	assert_int_equal(vn_date_days((struct vn_date){1969, 12, 31}), -1);
	assert_int_equal(vn_date_days((struct vn_date){2000, 3, 1}), 11017);
	assert_int_equal(vn_date_days((struct vn_date){2021, 1, 1}), 18628);
	assert_int_equal(vn_date_days((struct vn_date){1900, 1, 1}), -25567);
	assert_int_equal(vn_date_days((struct vn_date){9999, 12, 31}), 2932896);
	assert_date(vn_date_from_days(0), 1970, 1, 1);
	assert_date(vn_date_from_days(-1), 1969, 12, 31);
	assert_date(vn_date_from_days(18628), 2021, 1, 1);
	assert_date(vn_date_from_days(11016), 2000, 2, 29);
	/* every day 1900..9999 round-trips, and days are consecutive */
	{
		int32_t n = vn_date_days((struct vn_date){1900, 1, 1});
		int32_t end = vn_date_days((struct vn_date){9999, 12, 31});
		struct vn_date prev = vn_date_from_days(n);

		for (n = n + 1; n <= end; n++) {
			struct vn_date d = vn_date_from_days(n);

			assert_true(vn_date_valid(d.y, d.m, d.d));
			assert_int_equal(vn_date_days(d), n);
			if (d.d != 1)
				assert_int_equal(d.d, prev.d + 1);
			prev = d;
		}
	}
}

static void test_valid(void **state)
{
	(void)state;
	assert_true(vn_date_valid(2021, 2, 28));
	assert_false(vn_date_valid(2021, 2, 29));
	assert_true(vn_date_valid(2020, 2, 29));
	assert_true(vn_date_valid(2000, 2, 29));  /* divisible by 400 */
	assert_false(vn_date_valid(1900, 2, 29)); /* by 100, not 400 */
	assert_false(vn_date_valid(2100, 2, 29));
	assert_false(vn_date_valid(2021, 4, 31));
	assert_true(vn_date_valid(2021, 12, 31));
	assert_false(vn_date_valid(2021, 13, 1));
	assert_false(vn_date_valid(2021, 0, 1));
	assert_false(vn_date_valid(2021, 1, 0));
	assert_false(vn_date_valid(1899, 12, 31));
	assert_false(vn_date_valid(10000, 1, 1));
}

static void test_parse(void **state)
{
	struct vn_date d;

	(void)state;
	assert_int_equal(vn_date_parse("05/03/2021", &d), 0);
	assert_date(d, 2021, 3, 5);
	assert_int_equal(vn_date_parse("5/3/2021", &d), 0);
	assert_date(d, 2021, 3, 5);
	assert_int_equal(vn_date_parse("2021-03-05", &d), 0);
	assert_date(d, 2021, 3, 5);
	assert_int_equal(vn_date_parse("29/02/2020", &d), 0);
	assert_date(d, 2020, 2, 29);
	assert_int_equal(vn_date_parse("31/12/9999", &d), 0);
	assert_int_equal(vn_date_parse("01/01/1900", &d), 0);

	d = (struct vn_date){1, 2, 3};
	assert_int_equal(vn_date_parse("31/02/2021", &d), VNFMT_ERANGE);
	assert_int_equal(vn_date_parse("29/02/2021", &d), VNFMT_ERANGE);
	assert_int_equal(vn_date_parse("29/02/1900", &d), VNFMT_ERANGE);
	assert_int_equal(vn_date_parse("31/04/2021", &d), VNFMT_ERANGE);
	assert_int_equal(vn_date_parse("00/01/2021", &d), VNFMT_ERANGE);
	assert_int_equal(vn_date_parse("01/13/2021", &d), VNFMT_ERANGE);
	assert_int_equal(vn_date_parse("2021-02-30", &d), VNFMT_ERANGE);
	assert_int_equal(vn_date_parse("01/01/1899", &d), VNFMT_ERANGE);
	assert_int_equal(vn_date_parse("", &d), VNFMT_ESYNTAX);
	assert_int_equal(vn_date_parse("5/3/21", &d), VNFMT_ESYNTAX);
	assert_int_equal(vn_date_parse("05/03/20210", &d), VNFMT_ESYNTAX);
	assert_int_equal(vn_date_parse("005/03/2021", &d), VNFMT_ESYNTAX);
	assert_int_equal(vn_date_parse("05-03-2021", &d), VNFMT_ESYNTAX);
	assert_int_equal(vn_date_parse("2021-3-5", &d), VNFMT_ESYNTAX);
	assert_int_equal(vn_date_parse("2021/03/05", &d), VNFMT_ESYNTAX);
	assert_int_equal(vn_date_parse(" 05/03/2021", &d), VNFMT_ESYNTAX);
	assert_int_equal(vn_date_parse("05/03/2021x", &d), VNFMT_ESYNTAX);
	assert_int_equal(vn_date_parse("aa/bb/cccc", &d), VNFMT_ESYNTAX);
	assert_int_equal(vn_date_parse(NULL, &d), VNFMT_ESYNTAX);
	assert_date(d, 1, 2, 3); /* untouched on error */
}

static void test_format(void **state)
{
	char buf[VN_DATE_BUF];
	struct vn_date d;

	(void)state;
	assert_int_equal(vn_date_format((struct vn_date){2021, 3, 5}, buf), 10);
	assert_string_equal(buf, "05/03/2021");
	assert_int_equal(vn_date_iso((struct vn_date){2021, 3, 5}, buf), 10);
	assert_string_equal(buf, "2021-03-05");
	vn_date_format((struct vn_date){1900, 12, 31}, buf);
	assert_string_equal(buf, "31/12/1900");
	/* parse(format(d)) == d both ways */
	for (int32_t n = 18262; n < 18262 + 800; n++) {
		struct vn_date a = vn_date_from_days(n);

		vn_date_format(a, buf);
		assert_int_equal(vn_date_parse(buf, &d), 0);
		assert_int_equal(vn_date_days(d), n);
		vn_date_iso(a, buf);
		assert_int_equal(vn_date_parse(buf, &d), 0);
		assert_int_equal(vn_date_days(d), n);
	}
	/* a date out of range still fits the buffer */
	assert_int_equal(vn_date_format((struct vn_date){123456, 77, -5}, buf), 10);
}

/* The Vietnam date of instants around UTC midnight, whatever TZ says. */
static void test_vietnam_time(void **state)
{
	static const char *const zones[] = {"America/Los_Angeles", "UTC", "Asia/Tokyo",
	                                    "Pacific/Kiritimati", "EST5EDT"};
	/* 2021-03-04 17:00:00 UTC == 2021-03-05 00:00 in Vietnam */
	const int64_t t = 1614877200;
	char buf[VN_TIME_BUF], iso[VN_ISOTIME_BUF];

	(void)state;
	for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		setenv("TZ", zones[z], 1);
		tzset();
		assert_date(vn_date_of(t), 2021, 3, 5);
		assert_date(vn_date_of(t - 1), 2021, 3, 4);
		/* UTC midnight is 07:00 in Vietnam, same date */
		assert_date(vn_date_of(t + 7 * 3600), 2021, 3, 5);
		assert_date(vn_date_of(t + 7 * 3600 - 1), 2021, 3, 5);
		assert_date(vn_date_of(t + 86400 - 1), 2021, 3, 5);
		assert_date(vn_date_of(t + 86400), 2021, 3, 6);
		assert_int_equal(vn_date_start((struct vn_date){2021, 3, 5}), t);
		vn_time_format(t - 60, buf);
		assert_string_equal(buf, "04/03/2021 23:59");
		assert_int_equal(vn_time_format(t + 15 * 3600 + 30 * 60, buf), 16);
		assert_string_equal(buf, "05/03/2021 15:30");
		assert_int_equal(vn_time_iso(t + 15 * 3600 + 30 * 60 + 7, iso), 25);
		assert_string_equal(iso, "2021-03-05T15:30:07+07:00");
	}
	unsetenv("TZ");
	tzset();
	/* before the epoch */
	assert_date(vn_date_of(-7 * 3600), 1970, 1, 1);
	assert_date(vn_date_of(-7 * 3600 - 1), 1969, 12, 31);
	vn_time_format(-7 * 3600 - 1, buf);
	assert_string_equal(buf, "31/12/1969 23:59");
	/* extreme instants do not overflow */
	(void)vn_date_of(INT64_MAX);
	(void)vn_date_of(INT64_MIN);
	assert_true(vn_time_iso(INT64_MAX, iso) < VN_ISOTIME_BUF);
	assert_true(vn_time_format(INT64_MIN, buf) < VN_TIME_BUF);
}

static void test_now(void **state)
{
	int64_t before = (int64_t)time(NULL), now;

	(void)state;
	unsetenv("CCHC_NOW");
	now = vn_now();
	assert_true(now >= before && now <= before + 5);
	setenv("CCHC_NOW", "1614877200", 1);
	assert_int_equal(vn_now(), 1614877200);
	setenv("CCHC_NOW", "2021-03-05T00:00", 1);
	assert_int_equal(vn_now(), 1614877200);
	setenv("CCHC_NOW", "2021-03-05T15:30", 1);
	assert_int_equal(vn_now(), 1614877200 + 15 * 3600 + 30 * 60);
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_int_equal(vn_now(), 1614877200 + 15 * 3600 + 30 * 60);
	unsetenv("TZ");
	tzset();
	/* nonsense falls back to the clock */
	setenv("CCHC_NOW", "2021-02-30T00:00", 1);
	assert_true(vn_now() >= before);
	setenv("CCHC_NOW", "soon", 1);
	assert_true(vn_now() >= before);
	unsetenv("CCHC_NOW");
}

static void assert_int_fmt(int64_t v, const char *want)
{
	char buf[VN_NUM_BUF];
	int64_t back = 0;

	assert_int_equal(vn_int_format(v, buf), strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(vn_int_parse(buf, &back), 0);
	assert_true(back == v);
}

static void test_int(void **state)
{
	int64_t v;

	(void)state;
	assert_int_fmt(0, "0");
	assert_int_fmt(5, "5");
	assert_int_fmt(-5, "-5");
	assert_int_fmt(999, "999");
	assert_int_fmt(1000, "1.000");
	assert_int_fmt(1234, "1.234");
	assert_int_fmt(-1234, "-1.234");
	assert_int_fmt(123456, "123.456");
	assert_int_fmt(1234567, "1.234.567");
	assert_int_fmt(INT64_MAX, "9.223.372.036.854.775.807");
	assert_int_fmt(INT64_MIN, "-9.223.372.036.854.775.808");

	assert_int_equal(vn_int_parse("1234", &v), 0);
	assert_true(v == 1234);
	assert_int_equal(vn_int_parse("  -12 ", &v), 0);
	assert_true(v == -12);
	assert_int_equal(vn_int_parse("+7", &v), 0);
	assert_true(v == 7);
	assert_int_equal(vn_int_parse("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(vn_int_parse("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
	v = 42;
	assert_int_equal(vn_int_parse("9223372036854775808", &v), VNFMT_ERANGE);
	assert_int_equal(vn_int_parse("9.223.372.036.854.775.808", &v), VNFMT_ERANGE);
	assert_int_equal(vn_int_parse("-9223372036854775809", &v), VNFMT_ERANGE);
	assert_int_equal(vn_int_parse("99999999999999999999999", &v), VNFMT_ERANGE);
	assert_int_equal(vn_int_parse("1.23", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse("1.2345", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse("1234.567", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse("1..234", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse(".234", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse("1.234.", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse("12a", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse("", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse("  ", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse("-", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse("1 2", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse("62,5", &v), VNFMT_ESYNTAX);
	assert_int_equal(vn_int_parse(NULL, &v), VNFMT_ESYNTAX);
	assert_true(v == 42); /* untouched on error */
}

static void test_decimal(void **state)
{
	int64_t m;
	char buf[VN_NUM_BUF];

	(void)state;
	assert_int_equal(vn_decimal_parse("62,5", &m), 0);
	assert_true(m == 62500);
	assert_int_equal(vn_decimal_parse("62.5", &m), 0);
	assert_true(m == 62500);
	assert_int_equal(vn_decimal_parse("1.234,5", &m), 0);
	assert_true(m == 1234500);
	assert_int_equal(vn_decimal_parse("1.234", &m), 0); /* Vietnamese grouping */
	assert_true(m == 1234000);
	assert_int_equal(vn_decimal_parse("1234.5", &m), 0);
	assert_true(m == 1234500);
	assert_int_equal(vn_decimal_parse(" -0,125 ", &m), 0);
	assert_true(m == -125);
	assert_int_equal(vn_decimal_parse("7", &m), 0);
	assert_true(m == 7000);
	assert_int_equal(vn_decimal_parse("3,1400", &m), 0);
	assert_true(m == 3140);
	m = 1;
	assert_int_equal(vn_decimal_parse("3,1415", &m), VNFMT_ERANGE);
	assert_int_equal(vn_decimal_parse("99999999999999999999,5", &m), VNFMT_ERANGE);
	assert_int_equal(vn_decimal_parse("62,", &m), VNFMT_ESYNTAX);
	assert_int_equal(vn_decimal_parse(",5", &m), VNFMT_ESYNTAX);
	assert_int_equal(vn_decimal_parse("1.234.5", &m), VNFMT_ESYNTAX);
	assert_int_equal(vn_decimal_parse("1,2,3", &m), VNFMT_ESYNTAX);
	assert_int_equal(vn_decimal_parse("abc", &m), VNFMT_ESYNTAX);
	assert_int_equal(vn_decimal_parse("", &m), VNFMT_ESYNTAX);
	assert_true(m == 1);

	vn_decimal_format(1234500, 1, buf);
	assert_string_equal(buf, "1.234,5");
	vn_decimal_format(62500, 2, buf);
	assert_string_equal(buf, "62,50");
	vn_decimal_format(62500, 0, buf);
	assert_string_equal(buf, "63"); /* half away from zero */
	vn_decimal_format(-62500, 0, buf);
	assert_string_equal(buf, "-63");
	vn_decimal_format(-40, 1, buf);
	assert_string_equal(buf, "0,0"); /* no "-0,0" */
	vn_decimal_format(1999, 2, buf);
	assert_string_equal(buf, "2,00");
	vn_decimal_format(125, 3, buf);
	assert_string_equal(buf, "0,125");
	vn_decimal_format(125, 9, buf);
	assert_string_equal(buf, "0,125");
	vn_decimal_format(INT64_MIN, 3, buf);
	assert_string_equal(buf, "-9.223.372.036.854.775,808");
	vn_decimal_format(INT64_MAX, 0, buf);
	assert_string_equal(buf, "9.223.372.036.854.776");
}

static void assert_rate(int64_t num, int64_t den, const char *want)
{
	char buf[VN_NUM_BUF];

	assert_int_equal(vn_rate_format(num, den, buf), strlen(want));
	assert_string_equal(buf, want);
}

static void test_rate(void **state)
{
	(void)state;
	assert_rate(5, 8, "62,5%");
	assert_rate(1, 3, "33,3%");
	assert_rate(2, 3, "66,7%");
	assert_rate(0, 7, "0,0%");
	assert_rate(7, 7, "100,0%");
	assert_rate(1, 8, "12,5%");
	assert_rate(1, 16, "6,3%");   /* 6.25 rounds half up */
	assert_rate(1, 2000, "0,1%"); /* 0.05 rounds up */
	assert_rate(1, 2001, "0,0%");
	assert_rate(999, 1000, "99,9%");
	assert_rate(9999, 10000, "100,0%");
	assert_rate(123, 1, "12.300,0%");
	assert_rate(0, 0, "\xE2\x80\x93");
	assert_rate(5, 0, "\xE2\x80\x93");
	assert_rate(-1, 4, "-25,0%");
	assert_rate(1, -4, "-25,0%");
	assert_rate(-1, -4, "25,0%");
	assert_rate(-1, 3000, "0,0%");
	assert_rate(INT64_MAX, INT64_MAX, "100,0%");
	assert_rate(INT64_MAX - 1, INT64_MAX, "100,0%");
	assert_rate(1, INT64_MAX, "0,0%");
	assert_rate(INT64_MAX / 2, INT64_MAX, "50,0%"); /* (2^63-2)/2 of 2^63-1 */
	assert_rate(INT64_MAX, 1, "922.337.203.685.477.580.700,0%");
	assert_rate(INT64_MIN, 1, "-922.337.203.685.477.580.800,0%");
	assert_rate(INT64_MIN, -1, "922.337.203.685.477.580.800,0%");
}

/* Rounding toward a side, for figures that keep their verdict. */
static void test_rate_toward(void **state)
{
	(void)state;
	char buf[VN_NUM_BUF];
	vn_rate_format_toward(1999, 2000, 0, buf);
	assert_string_equal(buf, "100,0%"); /* plain: half up */
	vn_rate_format_toward(1999, 2000, -1, buf);
	assert_string_equal(buf, "99,9%");
	vn_rate_format_toward(1999, 2000, 1, buf);
	assert_string_equal(buf, "100,0%");
	vn_rate_format_toward(1, 3, 1, buf);
	assert_string_equal(buf, "33,4%");
	vn_rate_format_toward(1, 3, -1, buf);
	assert_string_equal(buf, "33,3%");
	vn_rate_format_toward(2, 3, -1, buf);
	assert_string_equal(buf, "66,6%");
	vn_rate_format_toward(5, 8, 1, buf); /* exact: no step */
	assert_string_equal(buf, "62,5%");
	vn_rate_format_toward(0, 7, 1, buf);
	assert_string_equal(buf, "0,0%");
	vn_rate_format_toward(999999, 1000000, -1, buf);
	assert_string_equal(buf, "99,9%");
	vn_rate_format_toward(1, 0, -1, buf);
	assert_string_equal(buf, "–");
}

static void test_rate_meets(void **state)
{
	(void)state;
	assert_true(vn_rate_meets(1, 4, 25000));
	assert_false(vn_rate_meets(1, 4, 25001));
	assert_true(vn_rate_meets(1, 4, 24999));
	assert_true(vn_rate_meets(2, 3, 66666));
	assert_false(vn_rate_meets(2, 3, 66667)); /* 66,7% displayed, but below */
	assert_true(vn_rate_meets(5, 8, 62500));
	assert_false(vn_rate_meets(5, 8, 62501));
	assert_true(vn_rate_meets(0, 5, 0));
	assert_false(vn_rate_meets(0, 5, 1));
	assert_true(vn_rate_meets(5, 5, 100000));
	assert_false(vn_rate_meets(4, 5, 100000));
	assert_false(vn_rate_meets(5, 0, 0));
	assert_false(vn_rate_meets(0, 0, 0));
	assert_true(vn_rate_meets(-1, -4, 25000));
	assert_false(vn_rate_meets(-1, 4, 0));
	assert_true(vn_rate_meets(-1, 4, -25000));
	assert_false(vn_rate_meets(-1, 4, -24999));
	/* huge values compare exactly, without overflow */
	assert_true(vn_rate_meets(INT64_MAX, INT64_MAX, 100000));
	assert_false(vn_rate_meets(INT64_MAX - 1, INT64_MAX, 100000));
	assert_true(vn_rate_meets(INT64_MAX - 1, INT64_MAX, 99999));
	assert_true(vn_rate_meets(INT64_MAX, 1, INT64_MAX));
	assert_false(vn_rate_meets(1, INT64_MAX, 1));
	assert_true(vn_rate_meets(INT64_MIN, INT64_MIN, 100000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_days),         cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_parse),        cmocka_unit_test(test_format),
	    cmocka_unit_test(test_vietnam_time), cmocka_unit_test(test_now),
	    cmocka_unit_test(test_int),          cmocka_unit_test(test_decimal),
	    cmocka_unit_test(test_rate),         cmocka_unit_test(test_rate_meets),
	    cmocka_unit_test(test_rate_toward),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
