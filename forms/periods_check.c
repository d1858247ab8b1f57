/*
 * forms/periods_check.c: what a period file means, not only how it is
 * written.  Each problem is blamed on the line that caused it (the rule's
 * line for a rule-made period, the override's line for what an override
 * changed), as FILE:LINE: message.
 *
 * Within a year the windows follow the plan's shape: cumulative periods
 * start on the year's first day (6 tháng, Năm: 15/12 of the year before)
 * and the others start the day after the period before them ends (Quý III:
 * 15/06, after 6 tháng's 14/06).  So, in order of their last day, each
 * window must start on the year's first day or exactly the day after the
 * one before it ends: earlier is an overlap, later a gap.
 */
#include "forms/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int problem(const struct forms_sink *sink, struct psrc at, const char *vi, const char *en,
		   ...)
{
	struct perr pe = {sink, at.path, 0, 0};
	va_list ap;
	va_start(ap, en);
	perr_vat(&pe, at.line, vi, en, ap);
	va_end(ap);
	return 1;
}

static const char *fmt(struct vn_date d, char buf[VN_DATE_BUF])
{
	vn_date_format(d, buf);
	return buf;
}

static int check_deadline(const struct forms_sink *sink, const struct forms_period *p)
{
	char a[VN_DATE_BUF], b[VN_DATE_BUF];
	if (vn_date_days(p->deadline) >= vn_date_days(p->from))
		return 0;
	return problem(sink, p->src_deadline,
		       "kỳ '%s': hạn gửi %s trước ngày bắt đầu khoảng số liệu (%s)",
		       "period '%s': the deadline %s is before its data window starts (%s)", p->id,
		       fmt(p->deadline, a), fmt(p->from, b));
}

static const struct forms_period *find(const struct period_list *pl, const char *id)
{
	for (size_t i = 0; i < pl->n; i++)
		if (!strcmp(pl->v[i].id, id))
			return &pl->v[i];
	return NULL;
}

/* A previous in a year before every year of the list is the data from
 * before cchc (2021-Q1's is 2020-Y): it may be missing. */
static int check_previous(const struct forms_sink *sink, const struct period_list *pl,
			  const struct forms_period *p, int first_year)
{
	char a[VN_DATE_BUF], b[VN_DATE_BUF];
	if (!p->previous)
		return 0;
	const struct forms_period *q = find(pl, p->previous);
	if (!q) {
		int y = 0;
		if (sscanf(p->previous, "%4d-", &y) == 1 && first_year && y < first_year)
			return 0;
		return problem(sink, p->src_previous, "kỳ '%s': kỳ trước '%s' không có",
			       "period '%s': the previous period '%s' does not exist", p->id,
			       p->previous);
	}
	if (vn_date_days(q->to) + 1 == vn_date_days(p->from))
		return 0;
	return problem(sink, p->src_previous,
		       "kỳ '%s': kỳ trước '%s' kết thúc ngày %s, không phải ngày liền trước khoảng số liệu của kỳ này (%s)",
		       "period '%s': the previous period '%s' ends on %s, not the day before this window starts (%s)",
		       p->id, p->previous, fmt(q->to, a), fmt(p->from, b));
}

/* Quarters of year y in which no window of the year ends: each is blamed
 * on the first period ending after it (where one was expected), else on
 * the year's last. */
static int check_quarters(const struct forms_sink *sink, const struct period_list *pl, int y)
{
	static const char *const roman[] = {"I", "II", "III", "IV"};
	const struct forms_period *last = NULL;
	int bad = 0, ends[4] = {0};
	for (size_t i = 0; i < pl->n; i++) {
		const struct forms_period *p = &pl->v[i];
		if (p->year != y)
			continue;
		last = p;
		if (p->to.y == y && p->to.m % 3 == 0)
			ends[(p->to.m - 1) / 3] = 1;
	}
	for (int q = 0; q < 4 && last; q++) {
		if (ends[q])
			continue;
		const struct forms_period *at = last;
		for (size_t i = 0; i < pl->n; i++)
			if (pl->v[i].year == y && (pl->v[i].to.y > y || pl->v[i].to.m > 3 * q + 3)) {
				at = &pl->v[i];
				break;
			}
		bad += problem(sink, at->src_data,
			       "năm %d thiếu kỳ của quý %s: không kỳ nào có khoảng số liệu kết thúc trong tháng %d/%d",
			       "year %d has no period for quarter %s: no data window ends in %02d/%d", y,
			       roman[q], 3 * q + 3, y);
	}
	return bad;
}

static int overlap(const struct forms_sink *sink, const struct forms_period *p,
		   const struct forms_period *prev)
{
	char a[VN_DATE_BUF], b[VN_DATE_BUF], c[VN_DATE_BUF], d[VN_DATE_BUF];
	return problem(sink, p->src_data, "kỳ '%s': khoảng số liệu %s–%s chồng lên kỳ '%s' (%s–%s)",
		       "period '%s': the data window %s–%s overlaps period '%s' (%s–%s)", p->id,
		       fmt(p->from, a), fmt(p->to, b), prev->id, fmt(prev->from, c),
		       fmt(prev->to, d));
}

/* The windows of year y, in date order (the list is sorted): each starts
 * on the year's first day or the day after the one before it ends. */
static int check_year(const struct forms_sink *sink, const struct period_list *pl, int y)
{
	char a[VN_DATE_BUF], b[VN_DATE_BUF];
	const struct forms_period *prev = NULL;
	int32_t start = INT32_MAX;
	int bad = 0;

	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].year == y && vn_date_days(pl->v[i].from) < start)
			start = vn_date_days(pl->v[i].from);
	for (size_t i = 0; i < pl->n; i++) {
		const struct forms_period *p = &pl->v[i];
		if (p->year != y)
			continue;
		int32_t from = vn_date_days(p->from);
		if (prev && from != start) {
			int32_t next = vn_date_days(prev->to) + 1;
			if (from < next)
				bad += overlap(sink, p, prev);
			else if (from > next)
				bad += problem(sink, p->src_data,
					       "kỳ '%s': không kỳ nào của năm %d có số liệu từ %s đến %s (khoảng trống trước khoảng số liệu của kỳ này)",
					       "period '%s': no period of %d covers %s–%s (a gap before this window)",
					       p->id, y, fmt(vn_date_from_days(next), a),
					       fmt(vn_date_from_days(from - 1), b));
		} else if (prev && vn_date_days(p->to) == vn_date_days(prev->to)) {
			bad += overlap(sink, p, prev);
		}
		prev = p;
	}
	return bad + check_quarters(sink, pl, y);
}

int periods_check_meaning(const struct forms_sink *sink, const struct period_list *pl)
{
	int bad = 0, first_year = 0;
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].year && (!first_year || pl->v[i].year < first_year))
			first_year = pl->v[i].year;
	for (size_t i = 0; i < pl->n; i++) {
		bad += check_deadline(sink, &pl->v[i]);
		bad += check_previous(sink, pl, &pl->v[i], first_year);
	}
	for (size_t i = 0; i < pl->n; i++) {
		int y = pl->v[i].year, seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = pl->v[k].year == y;
		if (y && !seen)
			bad += check_year(sink, pl, y);
	}
	return bad;
}
