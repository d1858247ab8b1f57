/*
 * core/vnfmt.h: Vietnam time, dates and numbers.
 *
 * Map: the clock (vn_now, overridable for tests), calendar dates in Vietnam
 * time (UTC+7, no DST, whatever TZ says), parsing dd/mm/yyyy and yyyy-mm-dd,
 * printing dd/mm/yyyy, yyyy-mm-dd and "dd/mm/yyyy HH:MM"; integers printed
 * as 1.234 and rates as 62,5%.
 *
 * Contracts: parsers return 0 or a negative VNFMT_E* code and leave the out
 * parameter untouched on error.  Formatters write a NUL-terminated string
 * into a caller buffer of the size the function names and return its length.
 */
#ifndef CCHC_CORE_VNFMT_H
#define CCHC_CORE_VNFMT_H

#include <stddef.h>
#include <stdint.h>

enum {
	VNFMT_OK = 0,
	VNFMT_ESYNTAX = -1, /* not a date / number */
	VNFMT_ERANGE = -2,  /* a date that does not exist (31/02), a number too big */
};

const char *vnfmt_strerror(int err);

#define VN_UTC_OFFSET (7 * 3600)

/* Seconds since the Unix epoch.  $CCHC_NOW (seconds since the epoch, or
 * "yyyy-mm-ddTHH:MM" in Vietnam time) overrides the clock; the tests and the
 * demo use it.  A malformed $CCHC_NOW is ignored (the real clock is used). */
int64_t vn_now(void);

/* The historical clock of `cchc demo` (cli/cmd_demo.c is its only caller):
 * from vn_clock_set(t) on, vn_now() answers t in this process (it wins
 * over $CCHC_NOW), until vn_clock_release().  The demo builds its 2021
 * data by the ordinary code paths with the clock set to each step's time
 * (an entry's receipt, a report's approval, the district's receipt of a
 * batch).  It is process memory, never an environment variable or a file,
 * so no real node's clock can be set from outside.  vn_clock_fixed() is 1
 * (and *t the time, t may be NULL) while it is set. */
void vn_clock_set(int64_t t);
void vn_clock_release(void);
int vn_clock_fixed(int64_t *t);
/* The demo's running clock (cli/cmd_demo.c only): from vn_clock_from(t) on,
 * vn_now() starts at t and runs at the real clock's pace (a set
 * vn_clock_set still wins; it also wins over $CCHC_NOW).  Process memory
 * only, inherited by the demo's forked receiver. */
void vn_clock_from(int64_t t);

struct vn_date {
	int y, m, d; /* 2021, 1..12, 1..31 */
};

/* Days since 1970-01-01 for a valid date, and back. */
int32_t vn_date_days(struct vn_date d);
struct vn_date vn_date_from_days(int32_t days);

/* 1 when y-m-d exists in the Gregorian calendar (years 1900..9999). */
int vn_date_valid(int y, int m, int d);

/* The calendar date in Vietnam of instant t, and 00:00 of date d in Vietnam. */
struct vn_date vn_date_of(int64_t t);
int64_t vn_date_start(struct vn_date d);

/* Accepts "dd/mm/yyyy", "d/m/yyyy" and "yyyy-mm-dd". */
int vn_date_parse(const char *s, struct vn_date *out);

#define VN_DATE_BUF 11
size_t vn_date_format(struct vn_date d, char buf[VN_DATE_BUF]); /* dd/mm/yyyy */
size_t vn_date_iso(struct vn_date d, char buf[VN_DATE_BUF]);    /* yyyy-mm-dd */

#define VN_TIME_BUF 20
/* "dd/mm/yyyy HH:MM" of instant t in Vietnam time. */
size_t vn_time_format(int64_t t, char buf[VN_TIME_BUF]);
/* "yyyy-mm-ddTHH:MM:SS+07:00" of instant t (for csv/json). */
#define VN_ISOTIME_BUF 26
size_t vn_time_iso(int64_t t, char buf[VN_ISOTIME_BUF]);

#define VN_NUM_BUF 32
/* 1234567 -> "1.234.567", -5 -> "-5". */
size_t vn_int_format(int64_t v, char buf[VN_NUM_BUF]);

/* Accepts "1234", "1.234", "-12", surrounding spaces; rejects "1.23",
 * "12a", "" and values outside int64. */
int vn_int_parse(const char *s, int64_t *out);

/* Accepts "62,5", "62.5", "1.234,5"; the value scaled by 1000 (3 decimals).
 * "1.234" (no comma, '.' then 3 digits) is read as 1234, Vietnamese style.
 * More than 3 significant decimals is VNFMT_ERANGE, never silently rounded. */
int vn_decimal_parse(const char *s, int64_t *milli);
/* milli (value x 1000) -> "1.234,5" with at most `decimals` decimals, trailing zeros kept. */
size_t vn_decimal_format(int64_t milli, int decimals, char buf[VN_NUM_BUF]);

/* num/den as a percentage with one decimal: 5/8 -> "62,5%"; den == 0 -> "–". */
size_t vn_rate_format(int64_t num, int64_t den, char buf[VN_NUM_BUF]);
/* The same, rounded as dir says: 0 half up (vn_rate_format), -1 toward
 * zero (1999/2000 -> "99,9%"), +1 away from zero (1/3 -> "33,4%").  Used to
 * keep a shown figure on the side of its verdict (forms/rates.c). */
size_t vn_rate_format_toward(int64_t num, int64_t den, int dir, char buf[VN_NUM_BUF]);

/* 1 when num/den >= pct_milli/100000 exactly (pct_milli is a percentage
 * x 1000, so 25% is 25000), computed in integers; den == 0 -> 0. */
int vn_rate_meets(int64_t num, int64_t den, int64_t pct_milli);

#endif
