/*
 * tui/view_home.c: the home screen: the reporting periods open now (soonest
 * deadline first), then the past ones, with their deadline, data window and
 * the report's state; a warning when a deadline is near; the register; what
 * waits to be sent and the last receipt.
 */
#include <stdio.h>
#include <string.h>

#include "core/vnfmt.h"
#include "tui/tui_int.h"

static size_t n_periods(struct app *a)
{
	return a->report ? a->home.nperiod : 0;
}

/* The periods to show, now (Vietnam time; CCHC_NOW in test builds). */
static void home_offer(struct app *a)
{
	struct home_st *h = &a->home;
	size_t n = forms_period_offer(a->fs, vn_now(), h->period, HOME_PERIODS);
	h->nperiod = n < HOME_PERIODS ? n : HOME_PERIODS;
}

/* The first open period near its deadline whose report is not yet
 * approved: one line for the home screen. */
static void home_warn(struct app *a)
{
	struct home_st *h = &a->home;
	int64_t now = vn_now();
	h->warn[0] = '\0';
	for (size_t i = 0; a->cfg->warn_days > 0 && i < n_periods(a); i++) {
		const struct forms_period *p = h->period[i];
		if (forms_period_state(p, now) != FORMS_PERIOD_OPEN)
			break;
		int left = forms_period_days_left(p, now);
		if (left > a->cfg->warn_days)
			break;
		if (h->report_row[i] != SIZE_MAX && h->report_state[i] >= FORM_STATE_APPROVED)
			continue;
		char d[VN_DATE_BUF];
		vn_date_format(forms_period_deadline_date(p), d);
		if (left <= 1)
			snprintf(h->warn, sizeof h->warn, msg_get(a->lang, MSG_W_DEADLINE_TODAY),
				 forms_period_name(p, a->flang), d);
		else
			snprintf(h->warn, sizeof h->warn, msg_get(a->lang, MSG_W_DEADLINE_SOON),
				 forms_period_name(p, a->flang), d, left);
		return;
	}
}

/* Rows: the periods, then the register. */
static int n_rows(struct app *a)
{
	return (int)n_periods(a) + (a->registry ? 1 : 0);
}

/* Keep the district's reason for the returned report at row i. */
static void home_note_return(struct app *a, struct iset *s, size_t i, int period)
{
	struct store_record rec;
	uint8_t id[16];
	store_record_init(&rec);
	if (index_row_id(&a->ix, s, i, id) == 0 && store_record_get(a->st, id, &rec) == 0) {
		const char *why = kv_get(&rec.fields, STORE_FIELD_RETURN_REASON);
		snprintf(a->home.returned_reason, sizeof a->home.returned_reason, "%s",
			 why ? why : "");
		a->home.returned_period = period;
	}
	store_record_clear(&rec);
}

/* Each period's live report (the last to arrive: a newer revision comes
 * after), the register's size and what waits: read before drawing. */
static void home_prepare(struct app *a)
{
	struct home_st *h = &a->home;
	if (!h->stale)
		return;
	struct sync_node mail = {a->cfg->home, a->cfg->unit, a->cfg->district};
	/* The district's messages (a return) wait: apply them in this session
	 * first, so the screen shows the report as it now stands. */
	if (a->logged_in && a->cfg->home && a->cfg->district && sync_mail_pending(&mail))
		app_seal(a);
	h->stale = 0;
	h->returned_period = -1;
	h->sync_ok = 0;
	uint64_t last = 0;
	struct sync_node node = {a->cfg->home, a->cfg->unit, a->cfg->district};
	if (a->cfg->home && a->cfg->district && store_outbox_last(a->st, &last) == 0)
		h->sync_ok = sync_status_read(&node, last, &h->sync) == 0;
	home_offer(a);
	struct iset *s = a->report ? index_set(&a->ix, form_id(a->report)) : NULL;
	for (size_t p = 0; p < n_periods(a); p++) {
		const char *id = forms_period_id(h->period[p]);
		h->report_row[p] = SIZE_MAX;
		for (size_t i = s ? s->n : 0; i-- > 0;) {
			if (s->flag[i] & IF_DELETED)
				continue;
			const uint8_t *d = index_digest(&a->ix, s, i, NULL);
			if (d && strcmp(index_dperiod(d), id) == 0) {
				h->report_row[p] = i;
				h->report_state[p] = s->flag[i] & IF_STATE;
				if (h->report_state[p] == FORM_STATE_RETURNED && h->returned_period < 0)
					home_note_return(a, s, i, (int)p);
				break;
			}
		}
	}
	struct iset *r = a->registry ? index_set(&a->ix, form_id(a->registry)) : NULL;
	h->live = 0;
	for (size_t i = 0; r && i < r->n; i++)
		h->live += !(r->flag[i] & IF_DELETED);
	index_release(&a->ix);
	home_warn(a);
}

static void home_draw(struct app *a, int top, int rows, int cols)
{
	char buf[512], d1[VN_DATE_BUF], d2[VN_DATE_BUF];
	int y = top + 1;
	if (a->report) {
		term_put_fit(y++, 1, cols - 2, form_title(a->report, a->flang), ST_HEAD);
		static const enum msg_id heads[] = {MSG_T_COL_PERIOD, MSG_T_COL_DEADLINE,
						    MSG_T_COL_WINDOW, MSG_T_COL_STATE};
		static const int xs[] = {3, 25, 38, 61};
		for (int c = 0; c < 4; c++)
			term_put_fit(y, xs[c], (c < 3 ? xs[c + 1] - xs[c] : cols - xs[c]) - 1,
				 msg_get(a->lang, heads[c]), ST_DIM);
		y++;
	}
	/* The period rows scroll with the selection; the 11 other lines
	 * (heads, register, what waits, the warning; a return's reason) always
	 * show. */
	struct home_st *h = &a->home;
	int other = 11 + (h->returned_period >= 0); /* a returned report's reason too */
	size_t avail = rows > other + 1 ? (size_t)(rows - other) : 1, sel = (size_t)h->sel;
	if (sel < n_periods(a) && sel < h->top)
		h->top = sel;
	else if (sel < n_periods(a) && sel >= h->top + avail)
		h->top = sel - avail + 1;
	if (h->top + avail > n_periods(a))
		h->top = n_periods(a) > avail ? n_periods(a) - avail : 0;
	for (size_t i = h->top; i < n_periods(a) && i < h->top + avail && y < top + rows; i++) {
		const struct forms_period *p = a->home.period[i];
		int has = a->home.report_row[i] != SIZE_MAX;
		vn_date_format(forms_period_deadline_date(p), d1);
		char dl[32], win[40];
		snprintf(dl, sizeof dl, "%s%s", forms_period_deadline_inclusive(p) ? "" : "< ", d1);
		vn_date_format(forms_period_data_from(p), d1);
		vn_date_format(forms_period_data_to(p), d2);
		snprintf(win, sizeof win, "%s–%s", d1, d2);
		const char *state = has ? form_state_label(a->home.report_state[i], a->flang)
				      : msg_get(a->lang, MSG_T_NOT_STARTED);
		int focus = a->home.sel == (int)i;
		term_fill(y, 1, cols - 2, ' ', focus ? ST_FOCUS : ST_NORMAL);
		enum tstyle st = focus ? ST_FOCUS : ST_NORMAL;
		term_put(y, 3, 21, forms_period_name(p, a->flang), st);
		term_put(y, 25, 13, dl, st);
		term_put(y, 38, 22, win, st);
		term_put_fit(y, 61, cols - 62, state, st);
		y++;
	}
	int rp = a->home.returned_period;
	if (rp >= 0 && y < top + rows) {
		/* The reason on one line (new lines as spaces), clipped by term_put. */
		char why[sizeof a->home.returned_reason];
		snprintf(why, sizeof why, "%s", a->home.returned_reason);
		for (char *q = why; *q; q++)
			if (*q == '\n')
				*q = ' ';
		char line[sizeof why + 128];
		snprintf(line, sizeof line, msg_get(a->lang, MSG_T_RETURNED_REASON),
			 forms_period_name(a->home.period[rp], a->flang), why);
		term_put(y++, 3, cols - 4, line, ST_ERROR);
	}
	if (a->registry && y + 2 < top + rows) {
		y++;
		char n[VN_NUM_BUF];
		vn_int_format((int64_t)a->home.live, n);
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_HOME_REGISTER),
			 form_title(a->registry, a->flang), n);
		int focus = a->home.sel == (int)n_periods(a);
		term_fill(y, 1, cols - 2, ' ', focus ? ST_FOCUS : ST_NORMAL);
		term_put_fit(y++, 3, cols - 4, buf, focus ? ST_FOCUS : ST_NORMAL);
	}
	y++;
	if (y + 1 < top + rows) {
		term_hline(y++, 1, cols - 2);
		const struct sync_status *ss = &a->home.sync;
		char nb[VN_NUM_BUF], nc[VN_NUM_BUF], when[VN_TIME_BUF];
		vn_int_format(a->home.sync_ok ? (int64_t)ss->batches_waiting : 0, nb);
		vn_int_format(a->home.sync_ok ? (int64_t)ss->changes_waiting : 0, nc);
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_WAITING), nb, nc);
		term_put_fit(y++, 3, cols - 4, buf, ST_NORMAL);
		if (a->home.sync_ok && ss->last_receipt_at) {
			vn_time_format(ss->last_receipt_at, when);
			snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_LAST_RECEIPT), when,
				 msg_get(a->lang, ss->last_receipt_status == SYNC_RCPT_IMPORTED
							  ? MSG_RCPT_IMPORTED
						  : ss->last_receipt_status == SYNC_RCPT_DUPLICATE
							  ? MSG_RCPT_DUPLICATE
							  : MSG_RCPT_STORED));
			term_put_fit(y++, 3, cols - 4, buf, ST_NORMAL);
		} else {
			term_put(y++, 3, cols - 4, msg_get(a->lang, MSG_T_NO_RECEIPT), ST_DIM);
		}
	}
	if (a->home.warn[0] && y + 1 < top + rows)
		term_put(y + 1, 3, cols - 4, a->home.warn, ST_ERROR);
}

/* 1 when this node's unit is valid during p's data window (a report may
 * be made), else 0 after a status line saying why. */
static int unit_open_for(struct app *a, const struct forms_period *p)
{
	const struct forms_unit *u = forms_unit_find(a->fs, a->cfg->unit, a->cfg->unit_list);
	struct vn_date from = forms_period_data_from(p), to = forms_period_data_to(p);
	if (!u || forms_unit_valid_during(u, from, to))
		return 1;
	char r[48], f1[VN_DATE_BUF] = "…", f2[VN_DATE_BUF] = "…", d1[VN_DATE_BUF], d2[VN_DATE_BUF];
	if (forms_unit_valid_from(u).y)
		vn_date_format(forms_unit_valid_from(u), f1);
	if (forms_unit_valid_to(u).y)
		vn_date_format(forms_unit_valid_to(u), f2);
	snprintf(r, sizeof r, "%s–%s", f1, f2);
	vn_date_format(from, d1);
	vn_date_format(to, d2);
	app_status(a, ST_ERROR, MSG_E_UNIT_ENDED_PERIOD, forms_unit_name(u),
		   forms_unit_list_version(u), r, forms_period_name(p, a->flang), d1, d2);
	return 0;
}

static int open_row(struct app *a)
{
	if (a->home.sel < (int)n_periods(a)) {
		const struct forms_period *p = a->home.period[a->home.sel];
		struct iset *s = index_set(&a->ix, form_id(a->report));
		size_t row = a->home.report_row[a->home.sel];
		if ((row == SIZE_MAX || !s || row >= s->n) && !unit_open_for(a, p))
			return R_DONE; /* valid_to: no new report after the unit ended */
		if (row == SIZE_MAX || !s || row >= s->n) {
			int r = form_open(a, a->report, NULL, forms_period_id(p), SCR_HOME);
			/* A new report for a closed period is allowed, and said. */
			if (a->scr == SCR_FORM &&
			    forms_period_state(p, vn_now()) == FORMS_PERIOD_CLOSED) {
				char d[VN_DATE_BUF];
				vn_date_format(forms_period_deadline_date(p), d);
				app_status(a, ST_ERROR, MSG_T_PERIOD_CLOSED, d);
			}
			return r;
		}
		struct store_record rec;
		store_record_init(&rec);
		uint8_t id[16];
		int err = index_row_id(&a->ix, s, row, id);
		if (!err)
			err = store_record_get(a->st, id, &rec);
		if (err)
			app_statusf(a, ST_ERROR, app_store_err(a, err));
		else
			form_open(a, a->report, &rec, NULL, SCR_HOME);
		store_record_clear(&rec);
		return R_DONE;
	}
	if (a->registry)
		list_open(a, a->registry);
	return R_DONE;
}

static int home_act(struct app *a, enum action act)
{
	int n = n_rows(a);
	switch (act) {
	case ACT_UP:
		if (a->home.sel > 0)
			a->home.sel--;
		return R_DONE;
	case ACT_DOWN:
		if (a->home.sel + 1 < n)
			a->home.sel++;
		return R_DONE;
	case ACT_OPEN:
		return open_row(a);
	case ACT_REGISTER:
		if (a->registry)
			list_open(a, a->registry);
		return R_DONE;
	case ACT_LOGOUT:
		app_seal(a); /* leaving the session: seal what waits (SPEC §8) */
		store_logout(a->st);
		a->logged_in = 0;
		app_go(a, SCR_LOGIN);
		app_status(a, ST_NORMAL, MSG_T_LOGGED_OUT);
		return R_DONE;
	case ACT_QUIT:
		return R_QUIT;
	case ACT_SYNC:
		a->sync.stale = 1;
		app_go(a, SCR_SYNC);
		return R_DONE;
	case ACT_NODE:
	case ACT_NEXT_COMMUNE:
		/* cchc demo: tui_run ends (sealing, as on leaving) and the demo
		 * opens the other node. */
		a->node_request = act == ACT_NODE ? TUI_NODE_OTHER : TUI_NODE_NEXT;
		return R_QUIT;
	default:
		return R_DONE;
	}
}

static int home_input(struct app *a, struct tkey k)
{
	(void)a;
	(void)k;
	return R_DONE;
}

const struct view view_home = {home_prepare, home_draw, home_input, home_act};
