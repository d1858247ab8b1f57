/*
 * core/vnfmt.c: Vietnam time, dates and numbers.
 *
 * Calendar arithmetic is done by hand (H. Hinnant's days_from_civil) rather
 * than with localtime()/mktime(): Vietnam is UTC+7 all year, and the
 * machine's TZ, which the commune PC may have wrong, must not move a
 * record to another day.  Numbers never go through printf's %'d or the
 * locale, so LC_NUMERIC cannot change them.
 */
#include "core/vnfmt.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY 86400

const char *vnfmt_strerror(int err)
{
	switch (err) {
	case VNFMT_OK:
		return "ok";
	case VNFMT_ESYNTAX:
		return "not a valid date or number";
	case VNFMT_ERANGE:
		return "out of range";
	}
	return "unknown format error";
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int vn_date_valid(int y, int m, int d)
{
	return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

int32_t vn_date_days(struct vn_date d)
{
	int64_t y = d.y - (d.m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t)(era * 146097 + doe - 719468);
}

struct vn_date vn_date_from_days(int32_t days)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	struct vn_date r;

	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

/* Day number and seconds into the day of instant t in Vietnam, without
 * overflowing for any int64 t; days are clamped to the int32 range. */
static int32_t vn_split(int64_t t, int32_t *secs)
{
	int64_t days = t / DAY, rem = t % DAY;

	if (rem < 0) {
		rem += DAY;
		days--;
	}
	rem += VN_UTC_OFFSET;
	if (rem >= DAY) {
		rem -= DAY;
		days++;
	}
	if (secs)
		*secs = (int32_t)rem;
	if (days > INT32_MAX)
		return INT32_MAX;
	if (days < INT32_MIN)
		return INT32_MIN;
	return (int32_t)days;
}

struct vn_date vn_date_of(int64_t t)
{
	return vn_date_from_days(vn_split(t, NULL));
}

int64_t vn_date_start(struct vn_date d)
{
	return (int64_t)vn_date_days(d) * DAY - VN_UTC_OFFSET;
}

/* Reads exactly n..max digits at *s into *v; advances *s. */
static int digits(const char **s, int min, int max, int *v)
{
	int n = 0, x = 0;

	while (n < max && (*s)[n] >= '0' && (*s)[n] <= '9') {
		x = x * 10 + ((*s)[n] - '0');
		n++;
	}
	if (n < min)
		return 0;
	*s += n;
	*v = x;
	return 1;
}

int vn_date_parse(const char *s, struct vn_date *out)
{
	const char *p = s;
	int y, m, d;

	if (!s)
		return VNFMT_ESYNTAX;
	if (digits(&p, 4, 4, &y) && *p == '-') {
		p++;
		if (!digits(&p, 2, 2, &m) || *p++ != '-' || !digits(&p, 2, 2, &d) || *p)
			return VNFMT_ESYNTAX;
	} else {
		p = s;
		if (!digits(&p, 1, 2, &d) || *p++ != '/' || !digits(&p, 1, 2, &m) || *p++ != '/' ||
		    !digits(&p, 4, 4, &y) || *p)
			return VNFMT_ESYNTAX;
	}
	if (!vn_date_valid(y, m, d))
		return VNFMT_ERANGE;
	out->y = y;
	out->m = m;
	out->d = d;
	return 0;
}

/* Writes v (taken modulo 10^width, so a bad date cannot overrun the
 * buffer) as exactly width digits. */
static char *put_num(char *p, int v, int width)
{
	unsigned u = (unsigned)(v < 0 ? -(long)v : v);

	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + u % 10);
		u /= 10;
	}
	return p + width;
}

size_t vn_date_format(struct vn_date d, char buf[VN_DATE_BUF])
{
	char *p = buf;

	p = put_num(p, d.d, 2);
	*p++ = '/';
	p = put_num(p, d.m, 2);
	*p++ = '/';
	p = put_num(p, d.y, 4);
	*p = '\0';
	return (size_t)(p - buf);
}

size_t vn_date_iso(struct vn_date d, char buf[VN_DATE_BUF])
{
	char *p = buf;

	p = put_num(p, d.y, 4);
	*p++ = '-';
	p = put_num(p, d.m, 2);
	*p++ = '-';
	p = put_num(p, d.d, 2);
	*p = '\0';
	return (size_t)(p - buf);
}

size_t vn_time_format(int64_t t, char buf[VN_TIME_BUF])
{
	int32_t secs;
	struct vn_date d = vn_date_from_days(vn_split(t, &secs));
	char *p = buf + vn_date_format(d, buf);

	*p++ = ' ';
	p = put_num(p, secs / 3600, 2);
	*p++ = ':';
	p = put_num(p, secs / 60 % 60, 2);
	*p = '\0';
	return (size_t)(p - buf);
}

size_t vn_time_iso(int64_t t, char buf[VN_ISOTIME_BUF])
{
	int32_t secs;
	struct vn_date d = vn_date_from_days(vn_split(t, &secs));
	char *p = buf + vn_date_iso(d, buf);

	*p++ = 'T';
	p = put_num(p, secs / 3600, 2);
	*p++ = ':';
	p = put_num(p, secs / 60 % 60, 2);
	*p++ = ':';
	p = put_num(p, secs % 60, 2);
	memcpy(p, "+07:00", 7);
	return (size_t)(p + 6 - buf);
}

#ifdef CCHC_TEST_HOOKS
/* "yyyy-mm-ddTHH:MM" in Vietnam time, or seconds since the epoch. */
static int parse_now(const char *s, int64_t *t)
{
	const char *p = s;
	int y, m, d, hh, mm;
	char *end;
	long long v;

	if (digits(&p, 4, 4, &y) && *p == '-') {
		p++;
		if (!digits(&p, 2, 2, &m) || *p++ != '-' || !digits(&p, 2, 2, &d) || *p++ != 'T' ||
		    !digits(&p, 2, 2, &hh) || *p++ != ':' || !digits(&p, 2, 2, &mm) || *p ||
		    !vn_date_valid(y, m, d) || hh > 23 || mm > 59)
			return -1;
		*t = vn_date_start((struct vn_date){y, m, d}) + hh * 3600 + mm * 60;
		return 0;
	}
	if (*s == '\0')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end)
		return -1;
	*t = v;
	return 0;
}

#endif

/* The demo builder's clock (vn_clock_set): process memory only, never the
 * environment, so nothing outside the process can set it. */
static int64_t clock_fixed;
static int clock_is_fixed;

void vn_clock_set(int64_t t)
{
	clock_fixed = t;
	clock_is_fixed = 1;
}

void vn_clock_release(void)
{
	clock_is_fixed = 0;
}

int vn_clock_fixed(int64_t *t)
{
	if (clock_is_fixed && t)
		*t = clock_fixed;
	return clock_is_fixed;
}

static int64_t clock_offset;
static int clock_is_offset;

void vn_clock_from(int64_t t)
{
	clock_offset = t - (int64_t)time(NULL);
	clock_is_offset = 1;
}

int64_t vn_now(void)
{
	if (clock_is_fixed)
		return clock_fixed;
	if (clock_is_offset)
		return (int64_t)time(NULL) + clock_offset;
#ifdef CCHC_TEST_HOOKS
	/* Test builds only (make check): the clock a test sets.  A real build
	 * ignores it, so it can neither end a lockout early nor backdate the
	 * audit log.  A malformed value falls back to the real clock. */
	const char *env = getenv("CCHC_NOW");
	int64_t t;
	if (env && parse_now(env, &t) == 0)
		return t;
#endif
	return (int64_t)time(NULL);
}

/* Magnitude of v, exact even for INT64_MIN. */
static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Writes the decimal digits of u into p, grouped by 3 with '.'. */
static char *put_grouped(char *p, uint64_t u)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n > 0) {
		*p++ = tmp[--n];
		if (n > 0 && n % 3 == 0)
			*p++ = '.';
	}
	return p;
}

size_t vn_int_format(int64_t v, char buf[VN_NUM_BUF])
{
	char *p = buf;

	if (v < 0)
		*p++ = '-';
	p = put_grouped(p, magnitude(v));
	*p = '\0';
	return (size_t)(p - buf);
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Reads an unsigned integer, plain ("1234") or grouped by 3 with '.'
 * ("1.234"); stops at the first other character.  0 ok, VNFMT_ESYNTAX, or
 * VNFMT_ERANGE above limit.  With no_group, a '.' ends the number. */
static int read_uint(const char **sp, uint64_t limit, int no_group, uint64_t *out)
{
	const char *s = *sp;
	uint64_t v = 0;
	int lead = 0, grouped = 0, big = 0;

	while (s[lead] >= '0' && s[lead] <= '9')
		lead++;
	if (lead == 0)
		return VNFMT_ESYNTAX;
	if (!no_group && s[lead] == '.' && lead <= 3)
		grouped = 1;
	for (;;) {
		if (*s >= '0' && *s <= '9') {
			unsigned dgt = (unsigned)(*s - '0');

			if (v > (limit - dgt) / 10)
				big = 1;
			else
				v = v * 10 + dgt;
			s++;
			continue;
		}
		if (grouped && *s == '.') {
			if (!(s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
			      s[3] >= '0' && s[3] <= '9') ||
			    (s[4] >= '0' && s[4] <= '9'))
				return VNFMT_ESYNTAX;
			s++;
			continue;
		}
		break;
	}
	*sp = s;
	*out = v;
	return big ? VNFMT_ERANGE : 0;
}

/* u (at most 2^63 when neg, INT64_MAX otherwise) with its sign. */
static int64_t to_signed(uint64_t u, int neg)
{
	if (!neg)
		return (int64_t)u;
	return u > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)u;
}

int vn_int_parse(const char *s, int64_t *out)
{
	uint64_t u;
	int neg = 0, err;

	if (!s)
		return VNFMT_ESYNTAX;
	s = skip_spaces(s);
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	err = read_uint(&s, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, 0, &u);
	if (err == VNFMT_ESYNTAX)
		return err;
	if (*skip_spaces(s))
		return VNFMT_ESYNTAX;
	if (err)
		return err;
	*out = to_signed(u, neg);
	return 0;
}

/* Fraction digits after the decimal separator, as thousandths.  Digits past
 * the third must be zeros: a value we cannot hold exactly is out of range,
 * not silently rounded. */
static int read_frac(const char **sp, uint64_t *milli)
{
	const char *s = *sp;
	uint64_t v = 0;
	int n = 0, lost = 0;

	for (; *s >= '0' && *s <= '9'; s++, n++) {
		if (n < 3)
			v = v * 10 + (uint64_t)(*s - '0');
		else if (*s != '0')
			lost = 1;
	}
	if (n == 0)
		return VNFMT_ESYNTAX;
	for (; n < 3; n++)
		v *= 10;
	*sp = s;
	*milli = v;
	return lost ? VNFMT_ERANGE : 0;
}

int vn_decimal_parse(const char *s, int64_t *milli)
{
	const char *start, *p;
	uint64_t ip, fp = 0, limit, total;
	int neg = 0, eint, efrac = 0, frac = 0;

	if (!s)
		return VNFMT_ESYNTAX;
	s = skip_spaces(s);
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	limit = ((uint64_t)INT64_MAX + 1) / 1000;
	start = p = s;
	/* "1.234" and "1.234,5" group thousands with '.' (Vietnamese); when
	 * that reading does not fit, "62.5" has '.' as its decimal point. */
	eint = read_uint(&p, limit, 0, &ip);
	if (eint != VNFMT_ESYNTAX && *p == ',') {
		frac = 1;
	} else if (eint == VNFMT_ESYNTAX || *p == '.') {
		p = start;
		eint = read_uint(&p, limit, 1, &ip);
		if (eint == VNFMT_ESYNTAX)
			return VNFMT_ESYNTAX;
		frac = *p == '.';
	}
	if (frac) {
		p++;
		efrac = read_frac(&p, &fp);
		if (efrac == VNFMT_ESYNTAX)
			return VNFMT_ESYNTAX;
	}
	if (*skip_spaces(p))
		return VNFMT_ESYNTAX;
	if (eint || efrac)
		return VNFMT_ERANGE;
	total = ip * 1000 + fp;
	if (total > (uint64_t)INT64_MAX + (uint64_t)neg)
		return VNFMT_ERANGE;
	*milli = to_signed(total, neg);
	return 0;
}

size_t vn_decimal_format(int64_t milli, int decimals, char buf[VN_NUM_BUF])
{
	static const uint64_t pow10[4] = {1, 10, 100, 1000};
	uint64_t mag = magnitude(milli), unit, q, ip, fp;
	char *p = buf;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 3)
		decimals = 3;
	unit = pow10[3 - decimals];
	q = mag / unit + (mag % unit >= (unit + 1) / 2 && unit > 1); /* half away from 0 */
	ip = q / pow10[decimals];
	fp = q % pow10[decimals];
	if (milli < 0 && q != 0)
		*p++ = '-';
	p = put_grouped(p, ip);
	if (decimals > 0) {
		*p++ = ',';
		for (int i = decimals - 1; i >= 0; i--) {
			p[i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		p += decimals;
	}
	*p = '\0';
	return (size_t)(p - buf);
}

/* For r < d: the next decimal digit of r/d, and r becomes 10r mod d,
 * without computing 10r (which can overflow when d is near 2^63). */
static unsigned next_digit(uint64_t *r, uint64_t d)
{
	uint64_t acc = 0;
	unsigned dig = 0;

	for (int i = 0; i < 10; i++) {
		if (acc >= d - *r) {
			acc -= d - *r;
			dig++;
		} else {
			acc += *r;
		}
	}
	*r = acc;
	return dig;
}

size_t vn_rate_format(int64_t num, int64_t den, char buf[VN_NUM_BUF])
{
	return vn_rate_format_toward(num, den, 0, buf);
}

size_t vn_rate_format_toward(int64_t num, int64_t den, int dir, char buf[VN_NUM_BUF])
{
	uint64_t n = magnitude(num), d = magnitude(den), q, r;
	unsigned tenths = 0; /* of a percent, from the fraction r/d: 0..1000 */
	char digits_buf[24], *p = buf;
	int nd = 0, neg;

	if (den == 0) {
		memcpy(buf, "\xE2\x80\x93", 4); /* – EN DASH */
		return 3;
	}
	q = n / d;
	r = n % d;
	for (int i = 0; i < 3; i++)
		tenths = tenths * 10 + next_digit(&r, d);
	if (dir > 0 ? r > 0 : dir == 0 && r >= d - r) /* up, or half up */
		tenths++;
	if (tenths == 1000) {
		q++;
		tenths = 0;
	}
	/* percent x 10 = q * 1000 + tenths, which may not fit in 64 bits:
	 * print q's digits, then tenths as three more. */
	if (q > 0) {
		char tmp[20];
		int k = 0;

		do {
			tmp[k++] = (char)('0' + q % 10);
			q /= 10;
		} while (q);
		while (k > 0)
			digits_buf[nd++] = tmp[--k];
	}
	digits_buf[nd++] = (char)('0' + tenths / 100);
	digits_buf[nd++] = (char)('0' + tenths / 10 % 10);
	digits_buf[nd++] = (char)('0' + tenths % 10);
	neg = (num < 0) != (den < 0);
	{
		int first = 0, ilen;

		while (first < nd - 2 && digits_buf[first] == '0')
			first++;
		if (neg &&
		    !(nd - first == 2 && digits_buf[first] == '0' && digits_buf[first + 1] == '0'))
			*p++ = '-';
		ilen = nd - 1 - first;
		for (int i = 0; i < ilen; i++) {
			*p++ = digits_buf[first + i];
			if ((ilen - 1 - i) % 3 == 0 && i < ilen - 1)
				*p++ = '.';
		}
		*p++ = ',';
		*p++ = digits_buf[nd - 1];
		*p++ = '%';
	}
	*p = '\0';
	return (size_t)(p - buf);
}

/* Sign of a/b - c/e for b, e > 0, exactly: compare whole parts, then the
 * reciprocals of the remainders (a continued-fraction walk, like Euclid). */
static int cmp_frac(uint64_t a, uint64_t b, uint64_t c, uint64_t e)
{
	for (;;) {
		uint64_t qa = a / b, qc = c / e, ra = a % b, rc = c % e, t;

		if (qa != qc)
			return qa < qc ? -1 : 1;
		if (ra == 0)
			return rc == 0 ? 0 : -1;
		if (rc == 0)
			return 1;
		/* ra/b vs rc/e  ==  e/rc vs b/ra */
		t = b;
		a = e;
		b = rc;
		c = t;
		e = ra;
	}
}

int vn_rate_meets(int64_t num, int64_t den, int64_t pct_milli)
{
	int sa, sb, c;

	if (den == 0)
		return 0;
	sa = num == 0 ? 0 : (num < 0) != (den < 0) ? -1 : 1;
	sb = pct_milli == 0 ? 0 : pct_milli < 0 ? -1 : 1;
	if (sa != sb)
		return sa > sb;
	if (sa == 0)
		return 1;
	c = cmp_frac(magnitude(num), magnitude(den), magnitude(pct_milli), 100000);
	return sa > 0 ? c >= 0 : c <= 0;
}
