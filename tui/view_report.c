/*
 * tui/view_report.c: one commune's report for one period, read-only, from
 * the board or the indicators.  Its state on the board and every revision
 * the district received (the latest counts for the figures; the first
 * decides on time or late), each opened read-only in the form view with
 * Enter; F4 lists the commune's register entries.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/vnfmt.h"
#include "tui/district_int.h"

static int read_revisions(struct app *a, struct report_st *r)
{
	r->nrev = 0;
	if (r->us.state == DISTRICT_MISSING)
		return 0;
	struct store_record rec;
	store_record_init(&rec);
	for (uint32_t v = 1; v <= r->us.latest_revision && r->nrev < REPORT_REVS; v++) {
		int64_t at = 0;
		int err = store_sync_revision(a->st, r->us.record, v, &rec, &at);
		if (err == STORE_ENOTFOUND)
			continue;
		if (err) {
			store_record_clear(&rec);
			app_statusf(a, ST_ERROR, app_store_err(a, err));
			return -1;
		}
		struct report_rev *rv = &r->rev[r->nrev++];
		rv->revision = v;
		rv->state = rec.state;
		rv->approved_at = rec.approved_at;
		rv->received_at = at;
	}
	store_record_clear(&rec);
	r->sel = r->nrev ? r->nrev - 1 : 0;
	return 0;
}

int report_open(struct app *a, const struct forms_unit *unit, const struct forms_period *p,
		enum tscreen back)
{
	struct report_st *r = &a->dui->report;
	struct district *desk = dist_desk(a);
	struct district_status st;
	if (!desk)
		return R_DONE;
	int err = district_status(desk, forms_period_id(p), forms_unit_code(unit), &st);
	if (err || st.n != 1) {
		if (!err)
			district_status_free(&st);
		app_status(a, ST_ERROR, MSG_DT_E_DESK, district_strerror(err));
		return R_DONE;
	}
	memset(r, 0, sizeof *r);
	r->unit = unit;
	r->period = p;
	r->us = st.units[0];
	r->back = back;
	district_status_free(&st);
	if (read_revisions(a, r))
		return R_DONE;
	struct store_return sr;
	if (r->us.state == DISTRICT_RETURNED &&
	    store_return_get(a->st, r->us.record, r->us.latest_revision, &sr) == 0)
		snprintf(r->reason, sizeof r->reason, "%s", sr.reason);
	app_go(a, SCR_REPORT);
	app_status(a, ST_NORMAL, MSG_T_EMPTY);
	return R_DONE;
}

static void time_or_dash(int64_t t, char buf[VN_TIME_BUF])
{
	if (t)
		vn_time_format(t, buf);
	else
		snprintf(buf, VN_TIME_BUF, "–");
}

static const int rx[] = {3, 11, 24, 41, 58};

static void report_draw(struct app *a, int top, int rows, int cols)
{
	struct report_st *r = &a->dui->report;
	char buf[512], t1[VN_TIME_BUF], t2[VN_TIME_BUF];
	if (!r->unit)
		return;
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_REPORT_TITLE), forms_unit_name(r->unit),
		 forms_period_name(r->period, a->flang));
	term_put(top, 1, cols - 2, buf, ST_HEAD);
	vn_time_format(forms_period_deadline(r->period), t1);
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_REPORT_STATE),
		 district_state_label(r->us.state, a->flang), t1);
	term_put(top + 1, 3, cols - 4, buf, ST_NORMAL);
	if (r->us.state == DISTRICT_MISSING) {
		term_put(top + 3, 3, cols - 4, msg_get(a->lang, MSG_DT_REPORT_NONE), ST_DIM);
	} else {
		time_or_dash(r->us.approved_at, t1);
		time_or_dash(r->us.received_at, t2);
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_REPORT_FIRST), r->us.first_revision, t2,
			 t1);
		term_put(top + 2, 3, cols - 4, buf, ST_NORMAL);
		static const enum msg_id heads[] = {MSG_DT_COL_REVISION, MSG_DT_COL_STATE,
						    MSG_DT_COL_APPROVED, MSG_DT_COL_RECEIVED,
						    MSG_DT_COL_COUNTS};
		for (int c = 0; c < 5; c++)
			term_put(top + 4, rx[c], (c < 4 ? rx[c + 1] - rx[c] : cols - rx[c]) - 1,
				 msg_get(a->lang, heads[c]), ST_DIM);
		int y = top + 5;
		for (size_t i = 0; i < r->nrev && y < top + rows - 3; i++, y++) {
			const struct report_rev *v = &r->rev[i];
			int focus = i == r->sel;
			enum tstyle st = focus ? ST_FOCUS : ST_NORMAL;
			char n[16];
			term_fill(y, 1, cols - 2, ' ', st);
			snprintf(n, sizeof n, "%u", v->revision);
			term_put(y, rx[0], rx[1] - rx[0] - 1, n, st);
			/* A revision the district holds was approved and sent: "chờ gửi"
			 * (the commune's own view of an approved report) is not true here. */
			term_put(y, rx[1], rx[2] - rx[1] - 1,
				 v->state == FORM_STATE_APPROVED ? msg_get(a->lang, MSG_DT_REV_APPROVED)
								 : form_state_label(v->state, a->flang),
				 st);
			time_or_dash(v->approved_at, t1);
			time_or_dash(v->received_at, t2);
			term_put(y, rx[2], rx[3] - rx[2] - 1, t1, st);
			term_put(y, rx[3], rx[4] - rx[3] - 1, t2, st);
			buf[0] = '\0';
			if (v->revision == r->us.latest_revision)
				snprintf(buf, sizeof buf, "%s", msg_get(a->lang, MSG_DT_REV_COUNTS));
			if (v->revision == r->us.latest_revision && r->us.state == DISTRICT_RETURNED)
				snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ", %s",
					 msg_get(a->lang, MSG_DT_REV_RETURNED));
			if (v->revision == r->us.first_revision)
				snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", buf[0] ? "; " : "",
					 msg_get(a->lang, MSG_DT_REV_FIRST));
			term_put(y, rx[4], cols - rx[4] - 1, buf, focus ? ST_FOCUS : ST_HEAD);
		}
	}
	if (r->reason[0]) {
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_REPORT_REASON), r->reason);
		term_put(top + rows - 3, 3, cols - 4, buf, ST_NOTE);
	}
	term_hline(top + rows - 2, 1, cols - 2);
	term_put(top + rows - 1, 3, cols - 4, msg_get(a->lang, r->nrev ? MSG_DT_REPORT_HINT
								    : MSG_DT_REPORT_HINT_NONE), ST_DIM);
	tprompt_draw(a);
}

static int open_revision(struct app *a)
{
	struct report_st *r = &a->dui->report;
	if (!r->nrev || !a->report)
		return R_DONE;
	const struct report_rev *v = &r->rev[r->sel];
	struct store_record rec;
	store_record_init(&rec);
	int64_t at;
	int err = store_sync_revision(a->st, r->us.record, v->revision, &rec, &at);
	if (err) {
		app_statusf(a, ST_ERROR, app_store_err(a, err));
	} else {
		form_open(a, a->report, &rec, NULL, SCR_REPORT);
		a->form.readonly = 1; /* the district never edits a commune's report */
		app_status(a, ST_NORMAL, MSG_DT_REV_SHOWN, v->revision, forms_unit_name(r->unit),
			   v->revision == r->us.latest_revision ? msg_get(a->lang, MSG_DT_REV_COUNTS)
								 : msg_get(a->lang, MSG_DT_REV_OLD));
	}
	store_record_clear(&rec);
	return R_DONE;
}

int dist_list_open(struct app *a, const struct forms_unit *unit, enum tscreen back)
{
	struct list_st *l = &a->list;
	list_open(a, a->registry);
	snprintf(l->unit, sizeof l->unit, "%s", forms_unit_code(unit));
	l->back = back;
	l->uhits_gen = 0;
	list_refresh(a);
	return R_DONE;
}

static int report_act(struct app *a, enum action act)
{
	struct report_st *r = &a->dui->report;
	if (a->tp.active)
		return tprompt_act(a, act);
	switch (act) {
	case ACT_UP: if (r->sel) r->sel--; return R_DONE;
	case ACT_DOWN: if (r->sel + 1 < r->nrev) r->sel++; return R_DONE;
	case ACT_FIRST: r->sel = 0; return R_DONE;
	case ACT_LAST: r->sel = r->nrev ? r->nrev - 1 : 0; return R_DONE;
	case ACT_OPEN: return open_revision(a);
	case ACT_REGISTER:
		if (a->registry)
			dist_list_open(a, r->unit, SCR_REPORT);
		return R_DONE;
	case ACT_D_RETURN: return dist_return_ask(a);
	case ACT_BACK:
		app_go(a, r->back);
		app_status(a, ST_NORMAL, MSG_T_EMPTY);
		return R_DONE;
	case ACT_QUIT: return R_QUIT;
	default: return R_DONE;
	}
}

static int report_input(struct app *a, struct tkey k)
{
	if (a->tp.active)
		return tprompt_input(a, k);
	return R_DONE;
}

const struct view view_report = {NULL, report_draw, report_input, report_act};
