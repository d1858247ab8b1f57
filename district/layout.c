/*
 * district/layout.c: which cells the export holds, for both formats.
 *
 * Completeness (sheet 0), one row per expected unit: code, name, state,
 * received (1/0), on time (1/0), revisions, the commune's approval, the
 * district's first receipt, the revision counted and its receipt; then a
 * bold total row (expected, received, on time, revisions: sums) and a bold
 * row of the DHIS2 rates (received / expected, on time / expected).
 * Indicators (sheet 1), one row per unit: code, name, then per rate of the
 * report form numerator, denominator, rate, verdict; then the bold total
 * row (sums of numerators and of denominators, their rate and verdict:
 * the figures of `summary`).
 */
#include <string.h>

#include "core/msg.h"
#include "district/export.h"

#define RATE_COLS 4

static enum msg_lang mlang(const struct xlayout *l)
{
	return l->ex->lang == FORMS_LANG_EN ? LANG_EN : LANG_VI;
}

static const char *msg(const struct xlayout *l, enum msg_id id)
{
	return msg_get(mlang(l), id);
}

static int head(struct xsink *x, int sheet, const char *group, const char *label)
{
	struct xhead h = {group, label};
	return x->head(x, sheet, &h);
}

static int text(struct xsink *x, int sheet, const char *s, int bold)
{
	struct xcell c = {.kind = s && s[0] ? XC_TEXT : XC_EMPTY, .text = s, .bold = bold};
	return x->cell(x, sheet, &c);
}

static int count(struct xsink *x, int sheet, int64_t v, int bold)
{
	struct xcell c = {.kind = XC_INT, .num = v, .bold = bold};
	return x->cell(x, sheet, &c);
}

static int rate(struct xsink *x, int sheet, int64_t num, int64_t den, int bold)
{
	struct xcell c = {.kind = XC_RATE, .num = num, .den = den, .bold = bold};
	return x->cell(x, sheet, &c);
}

static int when(struct xsink *x, int sheet, int64_t t, int bold)
{
	struct xcell c = {.kind = t ? XC_TIME : XC_EMPTY, .time = t, .bold = bold};
	return x->cell(x, sheet, &c);
}

static int empty(struct xsink *x, int sheet, int n)
{
	struct xcell c = {.kind = XC_EMPTY};
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++)
		rc = x->cell(x, sheet, &c);
	return rc;
}

int layout_heads(struct xlayout *l, struct xsink *x, int sheet, int skip_names)
{
	static const enum msg_id cols[] = {
		MSG_D_X_COL_CODE,	    MSG_D_X_COL_NAME,	MSG_D_X_COL_STATE,  MSG_D_X_COL_SENT,
		MSG_D_X_COL_ONTIME,   MSG_D_X_COL_REVS,	MSG_D_X_COL_APPROVED, MSG_D_X_COL_RECEIVED,
		MSG_D_X_COL_LATEST,   MSG_D_X_COL_LATEST_AT,
	};
	int rc = 0;
	if (sheet == 0) {
		for (size_t i = 0; i < sizeof cols / sizeof cols[0] && rc == 0; i++)
			rc = head(x, 0, NULL, msg(l, cols[i]));
		return rc;
	}
	const struct district_summary *sm = l->sm;
	if (!skip_names && ((rc = head(x, 1, NULL, msg(l, MSG_D_X_COL_CODE))) ||
			    (rc = head(x, 1, NULL, msg(l, MSG_D_X_COL_NAME)))))
		return rc;
	for (size_t k = 0; k < sm->n_rates && rc == 0; k++) {
		const struct form_rate *r = form_rate_at(sm->form, k);
		const char *g = form_rate_label(r, l->ex->lang);
		const char *t = form_rate_target_text(r, sm->total_level);
		snprintf(l->buf, sizeof l->buf, t[0] ? "%s (%s)" : "%s", msg(l, MSG_D_X_COL_MET), t);
		if ((rc = head(x, 1, g, msg(l, MSG_D_X_COL_NUM))) || (rc = head(x, 1, g, msg(l, MSG_D_X_COL_DEN))) ||
		    (rc = head(x, 1, g, msg(l, MSG_D_X_COL_RATE))))
			break;
		rc = head(x, 1, g, l->buf);
	}
	return rc;
}

static int names(struct xsink *x, int sheet, const struct forms_unit *u)
{
	int rc = text(x, sheet, forms_unit_code(u), 0);
	return rc ? rc : text(x, sheet, forms_unit_name(u), 0);
}

static int status_row(struct xlayout *l, struct xsink *x, const struct district_unit_status *u)
{
	int got = u->state != DISTRICT_MISSING, rc;
	if ((rc = names(x, 0, u->unit)) ||
	    (rc = text(x, 0, district_state_label(u->state, l->ex->lang), 0)) ||
	    (rc = count(x, 0, got, 0)) || (rc = count(x, 0, u->state == DISTRICT_ON_TIME, 0)) ||
	    (rc = count(x, 0, u->revisions, 0)) || (rc = when(x, 0, u->approved_at, 0)) ||
	    (rc = when(x, 0, u->received_at, 0)))
		return rc;
	if (!got)
		return empty(x, 0, 2);
	if ((rc = count(x, 0, u->latest_revision, 0)))
		return rc;
	return when(x, 0, u->latest_received_at, 0);
}

static int rate_cells(struct xlayout *l, struct xsink *x, const struct form_rate_value *v, int bold)
{
	int rc;
	if (!v->has_counts) {
		if ((rc = empty(x, 1, 3)))
			return rc;
	} else if ((rc = count(x, 1, v->num, bold)) || (rc = count(x, 1, v->den, bold)) ||
		   (rc = rate(x, 1, v->num, v->den, bold))) {
		return rc;
	}
	return text(x, 1, form_met_label(v->met, l->ex->lang), bold);
}

int layout_unit(struct xlayout *l, struct xsink *x, int sheet, size_t i, int skip_names)
{
	int rc = 0;
	if (sheet == 0)
		return status_row(l, x, &l->st->units[i]);
	const struct district_unit_summary *us = &l->sm->units[i];
	if (!skip_names && (rc = names(x, 1, us->unit)))
		return rc;
	for (size_t k = 0; k < l->sm->n_rates && rc == 0; k++)
		rc = rate_cells(l, x, &us->rates[k], 0);
	return rc;
}

static int status_total(struct xlayout *l, struct xsink *x, int k)
{
	const struct district_status *st = l->st;
	int rc;
	if (k == 0) {
		int64_t revs = 0;
		for (size_t i = 0; i < st->n; i++)
			revs += st->units[i].revisions;
		snprintf(l->buf, sizeof l->buf, msg(l, MSG_D_X_EXPECTED), st->expected);
		if ((rc = text(x, 0, "", 1)) || (rc = text(x, 0, l->ex->total_name, 1)) ||
		    (rc = text(x, 0, l->buf, 1)) || (rc = count(x, 0, (int64_t)st->received, 1)) ||
		    (rc = count(x, 0, (int64_t)st->on_time, 1)) || (rc = count(x, 0, revs, 1)))
			return rc;
		return empty(x, 0, 4);
	}
	if ((rc = text(x, 0, "", 1)) || (rc = text(x, 0, msg(l, MSG_D_X_RATE_ROW), 1)) ||
	    (rc = empty(x, 0, 1)) ||
	    (rc = rate(x, 0, (int64_t)st->received, (int64_t)st->expected, 1)) ||
	    (rc = rate(x, 0, (int64_t)st->on_time, (int64_t)st->expected, 1)))
		return rc;
	return empty(x, 0, 5);
}

int layout_total(struct xlayout *l, struct xsink *x, int sheet, int k, int skip_names)
{
	int rc = 0;
	if (sheet == 0)
		return status_total(l, x, k);
	if (k == 1)
		return empty(x, 1, (skip_names ? 0 : 2) + RATE_COLS * (int)l->sm->n_rates);
	if (!skip_names && ((rc = text(x, 1, "", 1)) || (rc = text(x, 1, l->ex->total_name, 1))))
		return rc;
	for (size_t i = 0; i < l->sm->n_rates && rc == 0; i++)
		rc = rate_cells(l, x, &l->sm->total[i], 1);
	return rc;
}
