/*
 * district/desk.c: the desk's snapshot.  One walk over the report revisions
 * the store keeps (store_sync_revision_each: the register is never read)
 * folds each record id into one struct desk_report; the reports are then
 * sorted by (period, unit) so a period's figures are a binary search away.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "district/internal.h"

const char *district_strerror(int err)
{
	switch (err) {
	case DISTRICT_OK: return "ok";
	case DISTRICT_ENOMEM: return "out of memory";
	case DISTRICT_ENOPERIOD: return "no such period";
	case DISTRICT_ENOUNIT: return "the unit is not expected to report in this period";
	case DISTRICT_ENOFORM: return "no report form";
	case DISTRICT_EIO: return "the file cannot be written";
	case DISTRICT_EXLSX: return "the workbook cannot be made";
	default: return store_strerror(err);
	}
}

static const struct form *report_form(const struct forms *fs, const char *id)
{
	if (id)
		return forms_find(fs, id);
	for (size_t i = 0; i < forms_count(fs); i++) {
		const struct form *f = forms_at(fs, i);
		if (form_kind(f) == FORM_KIND_REPORT)
			return forms_find(fs, form_id(f)); /* its highest version */
	}
	return NULL;
}

static struct desk_report *grow(struct district *d)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct desk_report *nr = realloc(d->r, cap * sizeof *nr);
		if (!nr)
			return NULL;
		d->r = nr, d->cap = cap;
	}
	struct desk_report *r = &d->r[d->n++];
	memset(r, 0, sizeof *r);
	return r;
}

/* Revisions come in (id, revision) order: a new id starts a report, a
 * later revision of the same id becomes its latest. */
static int take_rev(const struct store_record *rec, int64_t received_at, void *arg)
{
	struct district *d = arg;
	if (strcmp(rec->form, form_id(d->form)) != 0 || !rec->period[0])
		return 0;
	struct desk_report *r = d->n ? &d->r[d->n - 1] : NULL;
	if (!r || memcmp(r->id, rec->id, STORE_ID_BYTES) != 0) {
		if (!(r = grow(d)))
			return DISTRICT_ENOMEM;
		memcpy(r->id, rec->id, STORE_ID_BYTES);
		snprintf(r->unit, sizeof r->unit, "%s", rec->unit);
		snprintf(r->period, sizeof r->period, "%s", rec->period);
		r->first_rev = rec->revision;
		r->first_received = received_at;
		r->first_approved = rec->approved_at;
	}
	r->revisions++;
	r->latest_rev = rec->revision;
	r->latest_received = received_at;
	r->latest_approved = rec->approved_at;
	r->latest_version = rec->version;
	r->latest_state = rec->state;
	r->deleted = rec->deleted;
	snprintf(r->form, sizeof r->form, "%s", rec->form);
	r->form_version = rec->form_version;
	kv_free(&r->fields);
	return kv_copy(&r->fields, &rec->fields) ? DISTRICT_ENOMEM : 0;
}

static int cmp_report(const void *a, const void *b)
{
	const struct desk_report *x = a, *y = b;
	int c = strcmp(x->period, y->period);
	if (!c)
		c = strcmp(x->unit, y->unit);
	/* Of two live reports for one unit and period (which a commune's
	 * workflow does not make), the one received last comes last and
	 * counts. */
	if (!c)
		c = (x->deleted < y->deleted) - (x->deleted > y->deleted);
	if (!c)
		c = (x->latest_received > y->latest_received) - (x->latest_received < y->latest_received);
	return c;
}

int district_open(struct store *s, const struct forms *fs, const char *unit, const char *form_id,
		  struct district **out)
{
	struct district *d = calloc(1, sizeof *d);
	if (!d)
		return DISTRICT_ENOMEM;
	d->fs = fs;
	snprintf(d->unit_code, sizeof d->unit_code, "%s", unit);
	d->unit = forms_unit_find(fs, unit, NULL);
	if (!(d->form = report_form(fs, form_id))) {
		free(d);
		return DISTRICT_ENOFORM;
	}
	int rc = store_sync_revision_each(s, take_rev, d);
	/* Returned for correction: the latest revision the district holds has
	 * a return (store/returns.c); a resent report is the next revision. */
	for (size_t i = 0; rc == 0 && i < d->n; i++) {
		struct store_return sr;
		int err = store_return_get(s, d->r[i].id, d->r[i].latest_rev, &sr);
		d->r[i].latest_returned = err == 0;
		if (err && err != STORE_ENOTFOUND)
			rc = err;
	}
	if (rc) {
		district_free(d);
		return rc;
	}
	if (d->n)
		qsort(d->r, d->n, sizeof *d->r, cmp_report);
	*out = d;
	return 0;
}

void district_free(struct district *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		kv_free(&d->r[i].fields);
	free(d->r);
	free(d);
}

const struct form *district_form(const struct district *d)
{
	return d->form;
}

const struct forms_unit *district_unit(const struct district *d)
{
	return d->unit;
}

const struct desk_report *desk_find(const struct district *d, const char *unit,
				    const char *period)
{
	/* The last of the run for (period, unit), if it is live. */
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(d->r[mid].period, period);
		if (!c)
			c = strcmp(d->r[mid].unit, unit);
		if (c <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct desk_report *r = &d->r[lo - 1];
	if (strcmp(r->period, period) || strcmp(r->unit, unit) || r->deleted)
		return NULL;
	return r;
}

/* Valid on day: a zero date is an open end. */
static int valid_on(const struct forms_unit *u, struct vn_date day)
{
	struct vn_date from = forms_unit_valid_from(u), to = forms_unit_valid_to(u);
	int32_t t = vn_date_days(day);
	if (from.y && vn_date_days(from) > t)
		return 0;
	if (to.y && vn_date_days(to) < t)
		return 0;
	return 1;
}

int desk_units(const struct district *d, const struct forms_period *p, const char *unit,
	       const struct forms_unit ***units, size_t *n)
{
	/* The last day on which a report is still on time decides who must
	 * send one: a unit created or ended during the period is expected
	 * when it exists then. */
	struct vn_date day = vn_date_of(forms_period_deadline(p) - 1);
	size_t cnt = 0, total = forms_unit_count(d->fs);
	const struct forms_unit **v = malloc((total ? total : 1) * sizeof *v);
	if (!v)
		return DISTRICT_ENOMEM;
	for (size_t i = 0; i < total; i++) {
		const struct forms_unit *u = forms_unit_at(d->fs, i);
		if (strcmp(forms_unit_parent(u), d->unit_code) != 0 || !valid_on(u, day))
			continue;
		if (unit && strcmp(forms_unit_code(u), unit) != 0)
			continue;
		v[cnt++] = u;
	}
	if (unit && cnt == 0) {
		free(v);
		return DISTRICT_ENOUNIT;
	}
	*units = v;
	*n = cnt;
	return 0;
}

int district_expected(const struct district *d, const struct forms_period *p,
		      const struct forms_unit ***units, size_t *n)
{
	return desk_units(d, p, NULL, units, n);
}

double district_fraction(int64_t part, int64_t whole)
{
	return whole ? (double)part / (double)whole : -1.0;
}
