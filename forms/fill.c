/*
 * forms/fill.c: a report's dossier statistics counted from register entries.
 *
 * The mapping is data, in the report's form file:
 *
 *   fill.source   so-theo-doi-ho-so                  register form it reads
 *   fill.dates    received=F due=F returned=F        its date fields
 *   fill.exclude  trang_thai=tu_choi,rut_ho_so       entries not counted at all
 *   fill.paused   trang_thai=cho_bo_sung             pending entries whose clock
 *                                                    is stopped: never overdue
 *   fill FIELD CLASS [COND...] [or COND...]          FIELD = number of entries
 *                                                    of CLASS matching the COND
 *
 * Only the classification is code, here, following OpenCPS (research/
 * domain.md §2.3), with the period's data window [from, to]:
 *  - not counted: no valid received date, received after `to`, excluded by
 *    state, or returned before `from` (finished in an earlier period);
 *  - carried_over: received before `from`; received_new: received in window;
 *  - resolved: returned on or before `to`, then by the (original) due date:
 *    returned < due early, = due on time, > due late.  A new date from an
 *    apology letter does not make a late dossier on time (ND 61 Art. 19.9);
 *  - pending: not returned by `to`: overdue when due < `to`, else in time
 *    (a dossier due on the last day can still be returned that day); a
 *    paused one (waiting for a supplement) is in time whatever its due date;
 *  - overdue: resolved late or pending overdue (the apology-rate base).
 * With these, received = resolved + pending and each split adds up, so the
 * report's own checks pass on a filled report.
 */
#include "forms/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const fill_class_name[FILL_NCLASS] = {
	"carried_over",	   "received_new",    "received",	     "resolved",
	"resolved_early",  "resolved_on_time", "resolved_late",	     "pending",
	"pending_in_time", "pending_overdue",  "overdue",
};

static void fill_dates(struct perr *pe, int line, struct form *f, char *rest)
{
	static const char *const names[3] = {"received", "due", "returned"};
	char *tok;
	while (*(tok = word_split(rest, &rest))) {
		char *eq = strchr(tok, '=');
		int k;
		if (eq)
			*eq = '\0';
		for (k = 0; k < 3 && strcmp(tok, names[k]) != 0; k++)
			;
		if (!eq || k == 3 || !is_ident(eq + 1)) {
			perr_at(pe, line, "viết fill.dates received=TRƯỜNG due=TRƯỜNG returned=TRƯỜNG",
				"write fill.dates received=FIELD due=FIELD returned=FIELD");
			return;
		}
		free(f->fill_date[k]);
		if (!(f->fill_date[k] = strdup(eq + 1)))
			pe->nomem = 1;
	}
}

static void fill_item(struct perr *pe, int line, struct form *f, struct nameset *filled,
		      char *rest)
{
	char *field = word_split(rest, &rest), *cls = word_split(rest, &rest);
	int k;

	for (k = 0; k < FILL_NCLASS && strcmp(cls, fill_class_name[k]) != 0; k++)
		;
	if (!is_ident(field) || k == FILL_NCLASS) {
		perr_at(pe, line, "viết: fill TRƯỜNG LOẠI [ĐIỀU_KIỆN...] (loại không biết '%s')",
			"write: fill FIELD CLASS [CONDITION...] (unknown class '%s')", cls);
		return;
	}
	int first = nameset_get(filled, field);
	if (first >= 0) {
		perr_at(pe, line, "trường '%s' đã được điền ở dòng %d",
			"field '%s' is already filled at line %d", field, first);
		return;
	}
	if (nameset_put(filled, field, line) != 0 ||
	    append((void **)&f->fill, &f->nfill, &f->capfill, sizeof *f->fill) != 0) {
		pe->nomem = 1;
		return;
	}
	struct fill_item *it = &f->fill[f->nfill - 1];
	it->cls = (enum fill_class)k;
	it->line = line;
	it->ngroup = 1;
	if (!(it->field = strdup(field))) {
		pe->nomem = 1;
		return;
	}
	char *tok;
	while (*(tok = word_split(rest, &rest))) {
		if (strcmp(tok, "or") == 0) {
			it->ngroup++;
			continue;
		}
		if (append((void **)&it->cond, &it->ncond, &it->capcond, sizeof *it->cond) != 0) {
			pe->nomem = 1;
			return;
		}
		if (cond_parse(tok, &it->cond[it->ncond - 1]) != 0) {
			it->ncond--;
			perr_at(pe, line, "điều kiện không hợp lệ '%s' (viết TRƯỜNG=MÃ,MÃ, không dấu cách)",
				"bad condition '%s' (write FIELD=CODE,CODE without spaces)", tok);
			continue;
		}
		it->cond[it->ncond - 1].group = it->ngroup - 1;
	}
}

/* fill.exclude, fill.paused: one condition per line, any match counts. */
static void cond_add(struct perr *pe, int line, struct cond **v, size_t *n, size_t *cap,
		     const char *rest)
{
	if (append((void **)v, n, cap, sizeof **v) != 0) {
		pe->nomem = 1;
		return;
	}
	if (cond_parse(rest, &(*v)[*n - 1]) != 0) {
		(*n)--;
		perr_at(pe, line, "điều kiện không hợp lệ '%s'", "bad condition '%s'", rest);
	}
}

static int any_holds(const struct cond *c, size_t n, const struct kv *entry)
{
	for (size_t i = 0; i < n; i++)
		if (cond_holds(&c[i], entry))
			return 1;
	return 0;
}

void fill_directive(struct perr *pe, int line, struct form *f, struct nameset *filled,
		    const char *kw, char *rest)
{
	if (!f->fill_line)
		f->fill_line = line;
	if (strcmp(kw, "fill.source") == 0) { /* once per file: the parser refuses a repeat */
		if (!is_form_id(rest))
			perr_at(pe, line, "mã biểu mẫu không hợp lệ '%s'", "bad form id '%s'", rest);
		else if (!(f->fill_source = strdup(rest)))
			pe->nomem = 1;
	} else if (strcmp(kw, "fill.dates") == 0) {
		fill_dates(pe, line, f, rest);
	} else if (strcmp(kw, "fill.exclude") == 0) {
		cond_add(pe, line, &f->excl, &f->nexcl, &f->capexcl, rest);
	} else if (strcmp(kw, "fill.paused") == 0) {
		cond_add(pe, line, &f->paused, &f->npaused, &f->cappaused, rest);
	} else if (strcmp(kw, "fill") == 0) {
		fill_item(pe, line, f, filled, rest);
	} else {
		perr_at(pe, line, "từ khóa không biết '%s'", "unknown directive '%s'", kw);
	}
}

void fill_check(struct perr *pe, struct form *f)
{
	if (!f->fill_line)
		return;
	if (!f->fill_source)
		perr_at(pe, f->fill_line, "thiếu 'fill.source'", "missing 'fill.source'");
	if (!f->fill_date[0] || !f->fill_date[1] || !f->fill_date[2])
		perr_at(pe, f->fill_line, "thiếu 'fill.dates received=... due=... returned=...'",
			"missing 'fill.dates received=... due=... returned=...'");
	for (size_t i = 0; i < f->nfill; i++) {
		const struct form_field *fl = form_field_find(f, f->fill[i].field);
		if (!fl)
			perr_at(pe, f->fill[i].line, "trường không biết '%s' trong fill",
				"unknown field '%s' in fill", f->fill[i].field);
		else if (fl->type != FORM_INTEGER)
			perr_at(pe, f->fill[i].line, "fill: '%s' phải là trường số nguyên",
				"fill: '%s' must be an integer field", f->fill[i].field);
	}
}

void fill_check_source(struct perr *pe, const struct form *f, const struct form *src)
{
	if (!src) {
		perr_at(pe, f->fill_line, "fill.source: không có biểu mẫu '%s'",
			"fill.source: no form '%s'", f->fill_source);
		return;
	}
	for (int k = 0; k < 3; k++) {
		const struct form_field *fl = form_field_find(src, f->fill_date[k]);
		if (!fl || fl->type != FORM_DATE)
			perr_at(pe, f->fill_line, "fill.dates: '%s' không phải trường ngày của '%s'",
				"fill.dates: '%s' is not a date field of '%s'", f->fill_date[k],
				src->id);
	}
	for (size_t i = 0; i < f->nexcl; i++)
		cond_check(pe, f->fill_line, src, &f->excl[i]);
	for (size_t i = 0; i < f->npaused; i++)
		cond_check(pe, f->fill_line, src, &f->paused[i]);
	for (size_t i = 0; i < f->nfill; i++)
		for (size_t k = 0; k < f->fill[i].ncond; k++)
			cond_check(pe, f->fill[i].line, src, &f->fill[i].cond[k]);
}

/* ---------------------------------------------------------------- run */

struct form_fill {
	const struct form *f;
	int32_t from, to;
	int64_t *count;
};

const char *form_fill_source(const struct form *report)
{
	return report->nfill ? report->fill_source : NULL;
}

int form_fill_begin(const struct form *report, const struct forms_period *p,
		    struct form_fill **out)
{
	if (!report->nfill || !p)
		return FORMS_EINVAL;
	struct form_fill *fill = calloc(1, sizeof *fill);
	if (!fill)
		return FORMS_ENOMEM;
	fill->count = calloc(report->nfill, sizeof *fill->count);
	if (!fill->count) {
		free(fill);
		return FORMS_ENOMEM;
	}
	fill->f = report;
	fill->from = vn_date_days(p->from);
	fill->to = vn_date_days(p->to);
	*out = fill;
	return 0;
}

/* A canonical date field of entry as days: 1, or 0 when absent or bad. */
static int entry_date(const struct kv *entry, const char *field, int32_t *days)
{
	const char *s = kv_get(entry, field);
	struct vn_date d;
	if (!s || strlen(s) != 10 || s[4] != '-' || vn_date_parse(s, &d) != 0)
		return 0;
	*days = vn_date_days(d);
	return 1;
}

static int item_matches(const struct fill_item *it, const struct kv *entry)
{
	if (!it->ncond)
		return 1;
	for (int g = 0; g < it->ngroup; g++) {
		int all = 1, any = 0;
		for (size_t k = 0; k < it->ncond; k++) {
			if (it->cond[k].group != g)
				continue;
			any = 1;
			all &= cond_holds(&it->cond[k], entry);
		}
		if (any && all)
			return 1;
	}
	return 0;
}

int form_fill_add(struct form_fill *fill, const struct kv *entry)
{
	const struct form *f = fill->f;
	int32_t rec, due, ret;
	int has_due, has_ret;
	int c[FILL_NCLASS] = {0};

	if (!entry_date(entry, f->fill_date[0], &rec) || rec > fill->to)
		return 0;
	if (any_holds(f->excl, f->nexcl, entry))
		return 0;
	has_due = entry_date(entry, f->fill_date[1], &due);
	has_ret = entry_date(entry, f->fill_date[2], &ret);
	if (has_ret && ret < fill->from)
		return 0;
	c[FILL_RECEIVED] = 1;
	c[FILL_CARRIED_OVER] = rec < fill->from;
	c[FILL_RECEIVED_NEW] = !c[FILL_CARRIED_OVER];
	if (has_ret && ret <= fill->to) {
		c[FILL_RESOLVED] = 1;
		c[FILL_RESOLVED_EARLY] = has_due && ret < due;
		c[FILL_RESOLVED_LATE] = has_due && ret > due;
		c[FILL_RESOLVED_ON_TIME] = !c[FILL_RESOLVED_EARLY] && !c[FILL_RESOLVED_LATE];
	} else {
		c[FILL_PENDING] = 1;
		/* Waiting for a supplement: the clock is stopped, so in time. */
		c[FILL_PENDING_OVERDUE] =
			has_due && due < fill->to && !any_holds(f->paused, f->npaused, entry);
		c[FILL_PENDING_IN_TIME] = !c[FILL_PENDING_OVERDUE];
	}
	c[FILL_OVERDUE] = c[FILL_RESOLVED_LATE] || c[FILL_PENDING_OVERDUE];
	for (size_t i = 0; i < f->nfill; i++)
		if (c[f->fill[i].cls] && item_matches(&f->fill[i], entry))
			fill->count[i]++;
	return 0;
}

int form_fill_end(struct form_fill *fill, struct kv *out)
{
	for (size_t i = 0; i < fill->f->nfill; i++) {
		char buf[24];
		snprintf(buf, sizeof buf, "%lld", (long long)fill->count[i]);
		if (kv_set(out, fill->f->fill[i].field, buf) != 0)
			return FORMS_ENOMEM;
	}
	return 0;
}

void form_fill_free(struct form_fill *fill)
{
	if (!fill)
		return;
	free(fill->count);
	free(fill);
}

int form_fill(const struct form *report, const struct forms_period *p,
	      const struct kv *const *entries, size_t n, struct kv *out)
{
	struct form_fill *fill;
	int rc = form_fill_begin(report, p, &fill);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = form_fill_add(fill, entries[i]);
	if (rc == 0)
		rc = form_fill_end(fill, out);
	form_fill_free(fill);
	return rc;
}
