/*
 * district/summary.c: indicators per unit and in total, and the checks
 * that span periods or reports.
 *
 * Each unit's rates come from the form version its report was made with
 * (form_rate_eval); the total is form_rate_sum over the reports that count
 * (sum of numerators over sum of denominators, never a mean of rates).
 */
#include <stdlib.h>
#include <string.h>

#include "core/vnfmt.h"
#include "district/internal.h"

/* The dossier figures the warnings compare (the report form's field ids,
 * SPEC §4.4: received = resolved + pending; carried over = the previous
 * period's pending).  A form without them gets no such warning. */
#define F_RECEIVED "tong_tiep_nhan"
#define F_CARRIED "ton_ky_truoc"
#define F_RESOLVED "da_giai_quyet"
#define F_PENDING "dang_giai_quyet"

static int number(const struct kv *fields, const char *name, int64_t *v)
{
	const char *s = kv_get(fields, name);
	return s && s[0] && vn_int_parse(s, v) == 0;
}

static int add_warning(struct district_summary *sm, size_t *cap, const struct district_warning *w)
{
	if (sm->n_warnings == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct district_warning *nw = realloc(sm->warnings, nc * sizeof *nw);
		if (!nw)
			return DISTRICT_ENOMEM;
		sm->warnings = nw, *cap = nc;
	}
	sm->warnings[sm->n_warnings++] = *w;
	return 0;
}

static int check_report(const struct district *d, const struct forms_period *p,
			const struct forms_unit *u, const struct desk_report *r,
			struct district_summary *sm, size_t *cap)
{
	int64_t carried, prev_pending, received, resolved, pending;
	const char *prev = forms_period_previous(p);
	const struct desk_report *pr = prev ? desk_find(d, r->unit, prev) : NULL;
	int rc = 0;
	if (pr && number(&r->fields, F_CARRIED, &carried) &&
	    number(&pr->fields, F_PENDING, &prev_pending) && carried != prev_pending) {
		struct district_warning w = {DISTRICT_W_CARRIED_OVER, u, carried, prev_pending, 0, 0,
					     prev};
		rc = add_warning(sm, cap, &w);
	}
	if (rc == 0 && number(&r->fields, F_RECEIVED, &received) &&
	    number(&r->fields, F_RESOLVED, &resolved) && number(&r->fields, F_PENDING, &pending) &&
	    resolved + pending != received) {
		struct district_warning w = {DISTRICT_W_BALANCE, u, resolved + pending, received,
					     resolved, pending, NULL};
		rc = add_warning(sm, cap, &w);
	}
	return rc;
}

/* Rate i of the desk's form for one unit's report (r NULL: nothing). */
static void unit_rate(const struct district *d, const struct form *f, const struct desk_report *r,
		      size_t i, enum forms_level level, struct form_rate_value *out)
{
	const struct form_rate *dr = form_rate_at(d->form, i);
	const struct form_rate *fr = f ? form_rate_find(f, form_rate_id(dr)) : NULL;
	if (r && fr) {
		form_rate_eval(f, fr, &r->fields, level, out);
		return;
	}
	memset(out, 0, sizeof *out);
	out->rate = dr;
	out->target = form_rate_target_text(dr, level);
	out->met = FORM_MET_NA;
	strcpy(out->text, "–");
}

static int fill_units(const struct district *d, const struct forms_period *p,
		      const struct forms_unit **units, struct district_summary *sm,
		      const struct kv **recs, size_t *nrec, size_t *wcap)
{
	for (size_t i = 0; i < sm->n; i++) {
		struct district_unit_summary *us = &sm->units[i];
		const struct desk_report *r = desk_find(d, forms_unit_code(units[i]), forms_period_id(p));
		us->unit = units[i];
		us->state = desk_state(p, r);
		if (!(us->rates = calloc(sm->n_rates ? sm->n_rates : 1, sizeof *us->rates)))
			return DISTRICT_ENOMEM;
		if (r) {
			us->revision = r->latest_rev;
			us->form = forms_find_version(d->fs, r->form, (int)r->form_version);
			if (!us->form)
				us->form = d->form;
			recs[(*nrec)++] = &r->fields;
			sm->reported++;
		}
		for (size_t k = 0; k < sm->n_rates; k++)
			unit_rate(d, us->form, r, k, forms_unit_level(units[i]), &us->rates[k]);
		int rc = r ? check_report(d, p, units[i], r, sm, wcap) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

int district_summary(const struct district *d, const char *period, const char *unit,
		     struct district_summary *out)
{
	const struct forms_period *p = forms_period_find(d->fs, period);
	const struct forms_unit **units = NULL;
	const struct kv **recs = NULL;
	size_t n = 0, nrec = 0, wcap = 0;
	memset(out, 0, sizeof *out);
	if (!p)
		return DISTRICT_ENOPERIOD;
	int rc = desk_units(d, p, unit, &units, &n);
	if (rc)
		return rc;
	out->period = p;
	out->form = d->form;
	out->n_rates = form_rate_count(d->form);
	out->n = n;
	/* The total is the units' own: judged against their level's target. */
	out->total_level = n ? forms_unit_level(units[0]) : FORMS_LEVEL_COMMUNE;
	out->units = calloc(n ? n : 1, sizeof *out->units);
	out->total = calloc(out->n_rates ? out->n_rates : 1, sizeof *out->total);
	recs = malloc((n ? n : 1) * sizeof *recs);
	if (!out->units || !out->total || !recs) {
		rc = DISTRICT_ENOMEM;
		goto fail;
	}
	if ((rc = fill_units(d, p, units, out, recs, &nrec, &wcap)))
		goto fail;
	for (size_t k = 0; k < out->n_rates; k++)
		form_rate_sum(d->form, form_rate_at(d->form, k), recs, nrec, out->total_level,
			      &out->total[k], NULL);
	free(recs);
	free(units);
	return 0;
fail:
	free(recs);
	free(units);
	district_summary_free(out);
	return rc;
}

void district_summary_free(struct district_summary *sm)
{
	for (size_t i = 0; sm->units && i < sm->n; i++)
		free(sm->units[i].rates);
	free(sm->units);
	free(sm->total);
	free(sm->warnings);
	memset(sm, 0, sizeof *sm);
}
