/*
 * district/status.c: completeness (DHIS2 reporting rates) per period.
 */
#include <stdlib.h>
#include <string.h>

#include "district/internal.h"

static const char *const names[DISTRICT_STATE_COUNT] = {"missing", "on_time", "late",
							 "returned"};
static const char *const labels[2][DISTRICT_STATE_COUNT] = {
	{"chưa gửi", "đúng hạn", "gửi muộn", "đã trả lại"},
	{"missing", "on time", "late", "returned"},
};
static const char *const letters[2][DISTRICT_STATE_COUNT] = {
	{"C", "Đ", "M", "T"},
	{"-", "O", "L", "R"},
};

static int known(enum district_state st)
{
	return st >= DISTRICT_MISSING && st < DISTRICT_STATE_COUNT;
}

const char *district_state_name(enum district_state st)
{
	return known(st) ? names[st] : "?";
}

const char *district_state_label(enum district_state st, enum forms_lang lang)
{
	return known(st) ? labels[lang == FORMS_LANG_EN][st] : "?";
}

const char *district_state_letter(enum district_state st, enum forms_lang lang)
{
	return known(st) ? letters[lang == FORMS_LANG_EN][st] : "?";
}

/* The one place a report's state is decided.  On time or late: the first
 * receipt of the first revision that reached the district (the first
 * approved report) against the period's deadline, in Vietnam time
 * (forms_period_on_time).  A revision whose receipt time is unknown (0: a
 * store from before receipt times were kept) counts as late, never as on
 * time by accident.
 * Returns for correction are decided here too: a report whose latest
 * revision was returned by the district (`cchc record return`) and not yet
 * resent is DISTRICT_RETURNED, whatever its timeliness. */
enum district_state desk_state(const struct forms_period *p, const struct desk_report *r)
{
	if (!r)
		return DISTRICT_MISSING;
	if (r->latest_returned)
		return DISTRICT_RETURNED;
	if (r->first_received && forms_period_on_time(p, r->first_received))
		return DISTRICT_ON_TIME;
	return DISTRICT_LATE;
}

static void fill_row(const struct forms_period *p, const struct desk_report *r,
		     struct district_unit_status *u)
{
	u->state = desk_state(p, r);
	if (!r)
		return;
	memcpy(u->record, r->id, STORE_ID_BYTES);
	u->revisions = r->revisions;
	u->first_revision = r->first_rev;
	u->latest_revision = r->latest_rev;
	u->approved_at = r->first_approved;
	u->received_at = r->first_received;
	u->latest_approved_at = r->latest_approved;
	u->latest_received_at = r->latest_received;
}

int district_status(const struct district *d, const char *period, const char *unit,
		    struct district_status *out)
{
	const struct forms_period *p = forms_period_find(d->fs, period);
	const struct forms_unit **units = NULL;
	size_t n = 0;
	memset(out, 0, sizeof *out);
	if (!p)
		return DISTRICT_ENOPERIOD;
	int rc = desk_units(d, p, unit, &units, &n);
	if (rc)
		return rc;
	out->units = calloc(n ? n : 1, sizeof *out->units);
	if (!out->units) {
		free(units);
		return DISTRICT_ENOMEM;
	}
	out->period = p;
	out->deadline = forms_period_deadline(p);
	out->n = n;
	out->expected = n;
	for (size_t i = 0; i < n; i++) {
		struct district_unit_status *u = &out->units[i];
		u->unit = units[i];
		fill_row(p, desk_find(d, forms_unit_code(units[i]), period), u);
		out->received += u->state != DISTRICT_MISSING;
		out->on_time += u->state == DISTRICT_ON_TIME;
		out->late += u->state == DISTRICT_LATE;
		out->returned += u->state == DISTRICT_RETURNED;
	}
	free(units);
	return 0;
}

void district_status_free(struct district_status *st)
{
	free(st->units);
	memset(st, 0, sizeof *st);
}
