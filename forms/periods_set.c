/*
 * forms/periods_set.c: the periods once every file is read: overrides
 * merged, duplicates and incomplete periods refused, the list sorted by
 * date; the accessors of forms.h, and which periods are open at an instant.
 */
#include "forms/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void period_drop(struct forms_period *p)
{
	free(p->id);
	free(p->name[0]);
	free(p->name[1]);
	free(p->previous);
	memset(p, 0, sizeof *p);
}

static void check_complete(const struct forms_sink *sink, const struct forms_period *p)
{
	struct perr pe = {sink, p->path, 0, 0};
	if (!p->name[0])
		perr_at(&pe, p->line, "kỳ '%s' thiếu 'name'", "period '%s' has no 'name'", p->id);
	if (!p->from.y)
		perr_at(&pe, p->line, "kỳ '%s' thiếu 'data TỪ_NGÀY ĐẾN_NGÀY'",
			"period '%s' has no 'data FROM TO'", p->id);
	if (!p->deadline.y)
		perr_at(&pe, p->line, "kỳ '%s' thiếu 'deadline NGÀY'", "period '%s' has no 'deadline DATE'",
			p->id);
}

static void dup_error(const struct forms_sink *sink, const struct forms_period *p,
		      const struct forms_period *first)
{
	struct perr pe = {sink, p->path, 0, 0};
	if (first->path == p->path)
		perr_at(&pe, p->line, "trùng mã kỳ '%s'", "duplicate period id '%s'", p->id);
	else
		perr_at(&pe, p->line, "trùng mã kỳ '%s' (đã có trong %s:%d)",
			"duplicate period id '%s' (also in %s:%d)", p->id, first->path, first->line);
}

/* Move what override o gives into the rule-made period p. */
static void merge(struct forms_period *p, struct forms_period *o)
{
	for (int en = 0; en < 2; en++)
		if (o->set & (en ? PS_NAME_EN : PS_NAME)) {
			free(p->name[en]);
			p->name[en] = o->name[en];
			o->name[en] = NULL;
		}
	if (o->set & PS_DATA) {
		p->from = o->from;
		p->to = o->to;
		p->src_data = o->src_data;
	}
	if (o->set & PS_DEADLINE) {
		p->deadline = o->deadline;
		p->inclusive = o->inclusive;
		p->src_deadline = o->src_deadline;
	}
	if (o->set & PS_PREVIOUS) {
		free(p->previous);
		p->previous = o->previous;
		o->previous = NULL;
		p->src_previous = o->src_previous;
	}
	p->set |= o->set;
	p->overridden = 1;
}

static int cmp_period(const void *pa, const void *pb)
{
	const struct forms_period *a = pa, *b = pb;
	int32_t at = vn_date_days(a->to), bt = vn_date_days(b->to);
	if (at != bt)
		return at < bt ? -1 : 1;
	int32_t af = vn_date_days(a->from), bf = vn_date_days(b->from);
	if (af != bf)
		return af > bf ? -1 : 1; /* the shorter window first */
	return strcmp(a->id, b->id);
}

/* Pass 1: rule-made ids (a repeat is a duplicate); pass 2: `period`
 * blocks, merged into a rule-made period of their id or kept whole. */
static int merge_all(const struct forms_sink *sink, struct period_list *pl, int *bad)
{
	struct nameset made = {0}, own = {0};
	int rc = 0;
	for (size_t i = 0; i < pl->n && !rc; i++) {
		struct forms_period *p = &pl->v[i];
		if (!p->generated)
			continue;
		int k = nameset_get(&made, p->id);
		if (k >= 0) {
			dup_error(sink, p, &pl->v[k]);
			*bad = 1;
			period_drop(p);
		} else {
			rc = nameset_put(&made, p->id, (int)i);
		}
	}
	for (size_t i = 0; i < pl->n && !rc; i++) {
		struct forms_period *p = &pl->v[i];
		if (p->generated || !p->id)
			continue;
		int k = nameset_get(&own, p->id);
		if (k >= 0) {
			dup_error(sink, p, &pl->v[k]);
			*bad = 1;
			period_drop(p);
			continue;
		}
		if ((rc = nameset_put(&own, p->id, (int)i)) != 0)
			break;
		k = nameset_get(&made, p->id);
		if (k >= 0) {
			merge(&pl->v[k], p);
			period_drop(p);
		}
	}
	nameset_free(&made);
	nameset_free(&own);
	return rc;
}

int periods_resolve(const struct forms_sink *sink, struct period_list *pl, int parse_failed)
{
	int bad = 0;
	if (merge_all(sink, pl, &bad) != 0)
		return FORMS_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].id)
			pl->v[n++] = pl->v[i];
	pl->n = n;
	for (size_t i = 0; i < pl->n; i++) {
		struct forms_period *p = &pl->v[i];
		if (!p->name[0] || !p->from.y || !p->deadline.y) {
			check_complete(sink, p);
			bad = 1;
		}
		/* A window or deadline written without its own line (a whole
		 * period's block) is blamed on the block's line. */
		if (!p->src_data.path)
			p->src_data = (struct psrc){p->path, p->line};
		if (!p->src_deadline.path)
			p->src_deadline = (struct psrc){p->path, p->line};
		if (!p->src_previous.path)
			p->src_previous = (struct psrc){p->path, p->line};
	}
	if (bad || parse_failed)
		return FORMS_EPARSE;
	if (pl->n)
		qsort(pl->v, pl->n, sizeof *pl->v, cmp_period);
	return periods_check_meaning(sink, pl) ? FORMS_EPARSE : 0;
}

/* ------------------------------------------------------------ accessors */

size_t forms_period_count(const struct forms *fs) { return fs->periods.n; }

const struct forms_period *forms_period_at(const struct forms *fs, size_t i)
{
	return i < fs->periods.n ? &fs->periods.v[i] : NULL;
}

const struct forms_period *forms_period_find(const struct forms *fs, const char *id)
{
	for (size_t i = 0; i < fs->periods.n; i++)
		if (strcmp(fs->periods.v[i].id, id) == 0)
			return &fs->periods.v[i];
	return NULL;
}

const char *forms_period_id(const struct forms_period *p) { return p->id; }

const char *forms_period_name(const struct forms_period *p, enum forms_lang lang)
{
	return lang == FORMS_LANG_EN && p->name[1] ? p->name[1] : p->name[0];
}

struct vn_date forms_period_deadline_date(const struct forms_period *p) { return p->deadline; }
int forms_period_deadline_inclusive(const struct forms_period *p) { return p->inclusive; }

int64_t forms_period_deadline(const struct forms_period *p)
{
	return vn_date_start(p->deadline) + (p->inclusive ? 86400 : 0);
}

int forms_period_on_time(const struct forms_period *p, int64_t t)
{
	return t < forms_period_deadline(p);
}

struct vn_date forms_period_data_from(const struct forms_period *p) { return p->from; }
struct vn_date forms_period_data_to(const struct forms_period *p) { return p->to; }
const char *forms_period_previous(const struct forms_period *p) { return p->previous; }
int forms_period_year(const struct forms_period *p) { return p->year; }
int forms_period_generated(const struct forms_period *p) { return p->generated; }
int forms_period_overridden(const struct forms_period *p) { return p->overridden; }
const char *forms_period_path(const struct forms_period *p) { return p->path; }
int forms_period_line(const struct forms_period *p) { return p->line; }

/* ---------------------------------------------------------- open / closed */

enum forms_period_state forms_period_state(const struct forms_period *p, int64_t t)
{
	if (t < vn_date_start(p->from))
		return FORMS_PERIOD_UPCOMING;
	return t < forms_period_deadline(p) ? FORMS_PERIOD_OPEN : FORMS_PERIOD_CLOSED;
}

const char *forms_period_state_name(enum forms_period_state s)
{
	switch (s) {
	case FORMS_PERIOD_UPCOMING: return "upcoming";
	case FORMS_PERIOD_OPEN: return "open";
	default: return "closed";
	}
}

const char *forms_period_state_label(enum forms_period_state s, enum forms_lang lang)
{
	int en = lang == FORMS_LANG_EN;
	switch (s) {
	case FORMS_PERIOD_UPCOMING: return en ? "upcoming" : "chưa đến";
	case FORMS_PERIOD_OPEN: return en ? "open" : "đang mở";
	default: return en ? "closed" : "đã hết hạn";
	}
}

int forms_period_days_left(const struct forms_period *p, int64_t t)
{
	return vn_date_days(p->deadline) + (p->inclusive ? 1 : 0) - vn_date_days(vn_date_of(t));
}

size_t forms_period_offer(const struct forms *fs, int64_t t, const struct forms_period **out,
			  size_t cap)
{
	size_t n = 0;
	const struct period_list *pl = &fs->periods;
	/* Open ones by deadline, soonest first (the list is in window order,
	 * and deadlines follow windows but for overrides: pick each time). */
	for (size_t i = 0; i < pl->n; i++) {
		const struct forms_period *p = &pl->v[i];
		if (forms_period_state(p, t) != FORMS_PERIOD_OPEN)
			continue;
		size_t at = n < cap ? n : cap;
		for (size_t k = 0; k < at && k < n; k++)
			if (forms_period_deadline(out[k]) > forms_period_deadline(p)) {
				at = k;
				break;
			}
		if (at < cap) {
			size_t last = n < cap ? n : cap - 1;
			memmove(out + at + 1, out + at, (last - at) * sizeof *out);
			out[at] = p;
		}
		n++;
	}
	/* Then the closed ones, the latest deadline first. */
	for (size_t i = pl->n; i-- > 0;) {
		const struct forms_period *p = &pl->v[i];
		if (forms_period_state(p, t) != FORMS_PERIOD_CLOSED)
			continue;
		if (n < cap)
			out[n] = p;
		n++;
	}
	return n;
}
