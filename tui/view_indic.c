/*
 * tui/view_indic.c: Chỉ tiêu, the indicators of one period.
 *
 * First the summary table: every rate of the report form with the
 * district's total (sum of numerators over sum of denominators, the desk's
 * district_summary), its target and Đạt / Không đạt, and how many communes
 * meet it.  Enter on a rate shows it across the communes as horizontal
 * bars (# up to the rate, | at the target, the value and Đ / K beside it,
 * so it reads without colour), sorted by value (highest first) or by name
 * (F6); Left / Right go to the previous / next rate; Enter opens the
 * selected commune's report.  F3 moves to the next period.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/vnfmt.h"
#include "tui/district_int.h"

#define PANEL 5 /* a line, the total bar, the legend, the detail (2) */
#define NAMEW 22

int64_t dist_target_milli(const char *t)
{
	if (!t)
		return -1;
	while (*t && (*t < '0' || *t > '9'))
		t++;
	if (!*t)
		return -1;
	int64_t v = 0, frac = 0, scale = 1000;
	while (*t >= '0' && *t <= '9')
		v = v * 10 + (*t++ - '0');
	if (*t == ',' || *t == '.') {
		t++;
		while (*t >= '0' && *t <= '9' && scale > 1) {
			scale /= 10;
			frac += (*t++ - '0') * scale;
		}
	}
	return v * 1000 + frac;
}

void dist_indic_free(struct app *a)
{
	struct indic_st *in = &a->dui->indic;
	if (in->have)
		district_summary_free(&in->sm);
	in->have = 0;
	free(in->order);
	in->order = NULL;
	in->norder = 0;
}

static const struct forms_period *period_of(struct app *a)
{
	size_t n = forms_period_count(a->fs);
	if (!n)
		return NULL;
	if (a->dui->period >= n)
		a->dui->period = 0;
	return forms_period_at(a->fs, a->dui->period);
}

/* a before b: a's rate higher (exact: cross-multiplied); no figure last. */
static int higher(const struct form_rate_value *x, const struct form_rate_value *y)
{
	int hx = x->has_counts && x->den > 0, hy = y->has_counts && y->den > 0;
	if (hx != hy)
		return hx;
	if (!hx)
		return 0;
	/* x->num / x->den > y->num / y->den; counts are small (< 2^31). */
	return (__int128)x->num * y->den > (__int128)y->num * x->den;
}

static void chart_order(struct app *a)
{
	struct indic_st *in = &a->dui->indic;
	in->norder = 0;
	if (!in->have)
		return;
	for (size_t i = 0; i < in->sm.n; i++)
		in->order[in->norder++] = i;
	if (in->by_name)
		return; /* units come in the list's Vietnamese order */
	/* A stable insertion sort: 1,000 units at most here, once per key. */
	for (size_t i = 1; i < in->norder; i++) {
		size_t v = in->order[i], j = i;
		const struct form_rate_value *rv = &in->sm.units[v].rates[in->rate];
		while (j > 0 && higher(rv, &in->sm.units[in->order[j - 1]].rates[in->rate])) {
			in->order[j] = in->order[j - 1];
			j--;
		}
		in->order[j] = v;
	}
}

static int indic_read(struct app *a)
{
	struct indic_st *in = &a->dui->indic;
	double t0 = app_ms();
	dist_indic_free(a);
	in->stale = 0;
	struct district *desk = dist_desk(a);
	const struct forms_period *p = period_of(a);
	if (!desk || !p)
		return -1;
	int err = district_summary(desk, forms_period_id(p), NULL, &in->sm);
	if (err) {
		app_status(a, ST_ERROR, MSG_DT_E_DESK, district_strerror(err));
		return -1;
	}
	in->have = 1;
	in->order = calloc(in->sm.n ? in->sm.n : 1, sizeof *in->order);
	if (!in->order) {
		dist_indic_free(a);
		app_status(a, ST_ERROR, MSG_T_NOMEM);
		return -1;
	}
	if (in->rate >= in->sm.n_rates)
		in->rate = 0;
	chart_order(a);
	if (in->sel >= in->norder)
		in->sel = 0;
	in->ms = app_ms() - t0;
	return 0;
}

int indic_open(struct app *a)
{
	struct indic_st *in = &a->dui->indic;
	in->stale = 1;
	if (indic_read(a))
		return R_DONE;
	in->chart = 0;
	app_go(a, SCR_INDIC);
	app_status(a, ST_NORMAL, MSG_T_EMPTY);
	return R_DONE;
}

static void indic_prepare(struct app *a)
{
	if (a->dui->indic.stale)
		indic_read(a);
}

static void put_right(int y, int x, int w, const char *s, enum tstyle st)
{
	int tw = text_width(s);
	term_put(y, tw < w ? x + w - tw : x, w, s, st);
}

static enum tstyle met_style(enum form_met m)
{
	return m == FORM_MET_YES ? ST_OK : m == FORM_MET_NO ? ST_ERROR : ST_DIM;
}

/* How many communes meet rate r, miss it, have no figure. */
static void rate_counts(const struct district_summary *sm, size_t r, size_t *yes, size_t *no,
			size_t *none)
{
	*yes = *no = *none = 0;
	for (size_t i = 0; i < sm->n; i++) {
		enum form_met m = sm->units[i].rates[r].met;
		if (m == FORM_MET_YES)
			(*yes)++;
		else if (m == FORM_MET_NO)
			(*no)++;
		else
			(*none)++;
	}
}

static const int tx[] = {2, 33, 41, 49, 57, 66};

static void draw_table(struct app *a, int top, int rows, int cols)
{
	struct indic_st *in = &a->dui->indic;
	const struct district_summary *sm = &in->sm;
	char buf[512], n1[VN_NUM_BUF], n2[VN_NUM_BUF], n3[VN_NUM_BUF];
	static const enum msg_id heads[] = {MSG_DT_COL_RATE, MSG_DT_COL_NUM, MSG_DT_COL_DEN,
					    MSG_DT_COL_VALUE, MSG_DT_COL_TARGET, MSG_DT_COL_MET};
	char total[128];
	dist_total_name(a, total, sizeof total);
	for (int c = 0; c < 6; c++) {
		int w = (c < 5 ? tx[c + 1] - tx[c] : cols - tx[c]) - 1;
		const char *h = c == 5 ? total : msg_get(a->lang, heads[c]);
		if (c >= 1 && c <= 3)
			put_right(top + 1, tx[c], w, h, ST_DIM);
		else
			term_put(top + 1, tx[c], w, h, ST_DIM);
	}
	int y = top + 2;
	for (size_t r = 0; r < sm->n_rates && y < top + rows - 5; r++, y++) {
		const struct form_rate_value *v = &sm->total[r];
		int focus = r == in->rate;
		enum tstyle st = focus ? ST_FOCUS : ST_NORMAL;
		term_fill(y, 1, cols - 2, ' ', st);
		term_put(y, tx[0], tx[1] - tx[0] - 1, form_rate_label(v->rate, a->flang), st);
		vn_int_format(v->num, n1);
		vn_int_format(v->den, n2);
		put_right(y, tx[1], tx[2] - tx[1] - 1, v->has_counts ? n1 : "–", st);
		put_right(y, tx[2], tx[3] - tx[2] - 1, v->has_counts ? n2 : "–", st);
		put_right(y, tx[3], tx[4] - tx[3] - 1, v->text, st);
		term_put(y, tx[4], tx[5] - tx[4] - 1, v->target ? v->target : "", st);
		term_put(y, tx[5], cols - tx[5] - 1, form_met_label(v->met, a->flang),
			 focus ? ST_FOCUS : met_style(v->met));
	}
	y = top + rows - 5;
	term_hline(y++, 1, cols - 2);
	if (sm->n_rates) {
		size_t yes, no, none;
		rate_counts(sm, in->rate, &yes, &no, &none);
		vn_int_format((int64_t)yes, n1);
		vn_int_format((int64_t)no, n2);
		vn_int_format((int64_t)none, n3);
		term_put(y++, 2, cols - 3, form_rate_label(sm->total[in->rate].rate, a->flang), ST_HEAD);
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_RATE_COUNTS), n1, n2, n3);
		term_put(y++, 2, cols - 3, buf, ST_NORMAL);
	}
	if (sm->n_warnings) {
		const struct district_warning *w = &sm->warnings[0];
		vn_int_format((int64_t)sm->n_warnings, n1);
		if (w->kind == DISTRICT_W_CARRIED_OVER)
			snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_WARN_CARRIED), n1,
				 forms_unit_name(w->unit), (long long)w->value, w->other_period,
				 (long long)w->other);
		else
			snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_WARN_BALANCE), n1,
				 forms_unit_name(w->unit), (long long)w->resolved, (long long)w->pending,
				 (long long)w->other);
		term_put(y, 2, cols - 3, buf, ST_WARN);
	} else {
		term_put(y, 2, cols - 3, msg_get(a->lang, MSG_DT_NO_WARNINGS), ST_DIM);
	}
}

/* A bar w wide: '#' up to the rate (at most 100%), '|' at the target. */
static void draw_bar(int y, int x, int w, const struct form_rate_value *v, int64_t target,
		     int focus)
{
	char bar[256];
	if (w > (int)sizeof bar - 1)
		w = (int)sizeof bar - 1;
	int fill = 0, tpos = -1;
	if (v->has_counts && v->den > 0) {
		int64_t num = v->num > v->den ? v->den : v->num;
		fill = (int)((num * w + v->den / 2) / v->den);
	}
	if (target >= 0)
		tpos = (int)((target * (w - 1) + 50000) / 100000);
	for (int i = 0; i < w; i++)
		bar[i] = i < fill ? '#' : ' ';
	bar[w] = '\0';
	enum tstyle st = focus ? ST_FOCUS : v->met == FORM_MET_NO ? ST_ERROR : ST_OK;
	term_put(y, x, w, bar, st);
	if (tpos >= 0 && tpos < w)
		term_put(y, x + tpos, 1, "|", focus ? ST_FOCUS : ST_HEAD);
}

static const char *met_letter(struct app *a, enum form_met m)
{
	return msg_get(a->lang, m == FORM_MET_YES ? MSG_DT_MET_L : m == FORM_MET_NO ? MSG_DT_NOT_MET_L
										     : MSG_DT_NA_L);
}

static void chart_line(struct app *a, int y, int cols, const char *name,
		       const struct form_rate_value *v, int missing, int64_t target, int focus)
{
	int bw = cols - 2 - NAMEW - 1 - 12;
	enum tstyle st = focus ? ST_FOCUS : ST_NORMAL;
	if (focus)
		term_fill(y, 1, cols - 2, ' ', ST_FOCUS);
	term_put(y, 2, NAMEW, name, st);
	if (missing) {
		term_put(y, 2 + NAMEW + 1, bw, msg_get(a->lang, MSG_DT_NOT_SENT), focus ? ST_FOCUS : ST_DIM);
		return;
	}
	draw_bar(y, 2 + NAMEW + 1, bw, v, target, focus);
	put_right(y, 2 + NAMEW + 1 + bw + 1, 7, v->text, st);
	term_put(y, 2 + NAMEW + 1 + bw + 9, 2, met_letter(a, v->met), focus ? ST_FOCUS : met_style(v->met));
}

static void draw_chart(struct app *a, int top, int rows, int cols)
{
	struct indic_st *in = &a->dui->indic;
	const struct district_summary *sm = &in->sm;
	char buf[512];
	if (!sm->n_rates)
		return;
	const struct form_rate_value *tv = &sm->total[in->rate];
	int64_t target = dist_target_milli(tv->target);
	snprintf(buf, sizeof buf, "%zu/%zu  %s", in->rate + 1, sm->n_rates,
		 form_rate_label(tv->rate, a->flang));
	term_put(top + 1, 2, cols - 3, buf, ST_HEAD);
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_CHART_HEAD),
		 tv->target && *tv->target ? tv->target : "–",
		 msg_get(a->lang, in->by_name ? MSG_DT_SORT_NAME : MSG_DT_SORT_VALUE));
	term_put(top + 2, 2, cols - 3, buf, ST_DIM);
	top++;
	rows--;
	int body = rows - 2 - PANEL;
	if (body < 1)
		body = 1;
	if (in->sel < in->top)
		in->top = in->sel;
	if (in->sel >= in->top + (size_t)body)
		in->top = in->sel - (size_t)body + 1;
	for (int i = 0; i < body && in->top + (size_t)i < in->norder; i++) {
		size_t k = in->top + (size_t)i;
		const struct district_unit_summary *u = &sm->units[in->order[k]];
		chart_line(a, top + 2 + i, cols, forms_unit_name(u->unit), &u->rates[in->rate],
			   u->state == DISTRICT_MISSING, target, k == in->sel);
	}
	int y = top + rows - PANEL;
	term_hline(y++, 1, cols - 2);
	char total[128];
	chart_line(a, y++, cols, dist_total_name(a, total, sizeof total), tv, 0, target, 0);
	term_put(y++, 2, cols - 3, msg_get(a->lang, MSG_DT_CHART_LEGEND), ST_DIM);
	if (in->norder) {
		const struct district_unit_summary *u = &sm->units[in->order[in->sel]];
		const struct form_rate_value *v = &u->rates[in->rate];
		char n1[VN_NUM_BUF], n2[VN_NUM_BUF];
		vn_int_format(v->num, n1);
		vn_int_format(v->den, n2);
		if (u->state == DISTRICT_MISSING)
			snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_CHART_MISSING),
				 forms_unit_name(u->unit));
		else
			snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_CHART_DETAIL),
				 forms_unit_name(u->unit), n1, n2, v->text, form_met_label(v->met, a->flang),
				 u->revision);
		term_put(y, 2, cols - 3, buf, ST_NORMAL);
	}
}

static void indic_draw(struct app *a, int top, int rows, int cols)
{
	struct indic_st *in = &a->dui->indic;
	char buf[512], n1[VN_NUM_BUF], n2[VN_NUM_BUF];
	const struct forms_period *p = period_of(a);
	if (in->have && p) {
		vn_int_format((int64_t)in->sm.reported, n1);
		vn_int_format((int64_t)in->sm.n, n2);
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_INDIC_TITLE),
			 forms_period_name(p, a->flang), n1, n2);
		term_put(top, 1, cols - 2, buf, ST_HEAD);
		if (in->chart)
			draw_chart(a, top, rows, cols);
		else
			draw_table(a, top, rows, cols);
	}
	tprompt_draw(a);
}

static int next_period(struct app *a)
{
	size_t n = forms_period_count(a->fs);
	a->dui->period = n ? (a->dui->period + 1) % n : 0;
	a->dui->indic.stale = 1;
	indic_read(a);
	return R_DONE;
}

static int chart_act(struct app *a, enum action act)
{
	struct indic_st *in = &a->dui->indic;
	size_t page = a->rows > 12 ? (size_t)a->rows - 11 : 1;
	switch (act) {
	case ACT_UP: if (in->sel) in->sel--; return R_DONE;
	case ACT_DOWN: if (in->sel + 1 < in->norder) in->sel++; return R_DONE;
	case ACT_PGUP: in->sel = in->sel > page ? in->sel - page : 0; return R_DONE;
	case ACT_PGDN:
		in->sel = in->sel + page < in->norder ? in->sel + page : (in->norder ? in->norder - 1 : 0);
		return R_DONE;
	case ACT_FIRST: in->sel = 0; return R_DONE;
	case ACT_LAST: in->sel = in->norder ? in->norder - 1 : 0; return R_DONE;
	case ACT_D_LEFT:
	case ACT_D_RIGHT:
		if (in->sm.n_rates)
			in->rate = (in->rate + (act == ACT_D_LEFT ? in->sm.n_rates - 1 : 1)) %
				   in->sm.n_rates;
		chart_order(a);
		return R_DONE;
	case ACT_D_SORT:
		in->by_name = !in->by_name;
		chart_order(a);
		in->sel = in->top = 0;
		return R_DONE;
	case ACT_OPEN:
		if (!in->norder)
			return R_DONE;
		return report_open(a, in->sm.units[in->order[in->sel]].unit, in->sm.period, SCR_INDIC);
	case ACT_BACK:
		in->chart = 0;
		return R_DONE;
	default: return R_DONE;
	}
}

static int indic_act(struct app *a, enum action act)
{
	struct indic_st *in = &a->dui->indic;
	if (a->tp.active)
		return tprompt_act(a, act);
	if (act == ACT_QUIT)
		return R_QUIT;
	if (act == ACT_D_PERIOD)
		return next_period(a);
	if (act == ACT_D_EXPORT)
		return dist_export_ask(a);
	if (!in->have) {
		if (act == ACT_BACK)
			app_go(a, SCR_HOME);
		return R_DONE;
	}
	if (in->chart)
		return chart_act(a, act);
	switch (act) {
	case ACT_UP: if (in->rate) in->rate--; return R_DONE;
	case ACT_DOWN: if (in->rate + 1 < in->sm.n_rates) in->rate++; return R_DONE;
	case ACT_FIRST: in->rate = 0; return R_DONE;
	case ACT_LAST: in->rate = in->sm.n_rates ? in->sm.n_rates - 1 : 0; return R_DONE;
	case ACT_OPEN:
	case ACT_D_RIGHT:
		in->chart = 1;
		in->sel = in->top = 0;
		chart_order(a);
		return R_DONE;
	case ACT_D_SORT:
		in->by_name = !in->by_name;
		return R_DONE;
	case ACT_BACK:
		app_go(a, SCR_HOME);
		app_status(a, ST_NORMAL, MSG_T_EMPTY);
		return R_DONE;
	default: return R_DONE;
	}
}

static int indic_input(struct app *a, struct tkey k)
{
	if (a->tp.active)
		return tprompt_input(a, k);
	return R_DONE;
}

const struct view view_indic = {indic_prepare, indic_draw, indic_input, indic_act};
