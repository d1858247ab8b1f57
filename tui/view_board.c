/*
 * tui/view_board.c: Bảng tiến độ, the completeness board: the communes
 * expected (rows, in the unit list's Vietnamese order) by the reporting
 * periods (columns).  Each cell is a letter and a colour (Đ đúng hạn, M
 * gửi muộn, C chưa gửi, T đã trả lại: district_state_letter), so it reads
 * in monochrome and under NO_COLOR; "·" where a unit was not expected.
 * Under the rows: received and on-time totals per period, the legend, and
 * the selected cell's detail.  Enter opens that commune's report.  The
 * figures are the desk's (district/district.h), read when the screen opens
 * and after an import; drawing reads nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vnfmt.h"
#include "tui/district_int.h"

#define NAMEW 24 /* the commune column */
#define COLW 12  /* a period column: "1.000/1.000" fits */
#define PANEL 6  /* a line, two totals, the legend, the cell's detail (2) */

struct district *dist_desk(struct app *a)
{
	struct district_ui *d = a->dui;
	if (!d->desk) {
		int err = district_open(a->st, a->fs, a->cfg->unit, NULL, &d->desk);
		if (err) {
			d->desk = NULL;
			app_status(a, ST_ERROR, MSG_DT_E_DESK,
				   err <= DISTRICT_ENOMEM && err >= DISTRICT_EXLSX ? district_strerror(err)
										   : app_store_err(a, err));
		}
	}
	return d->desk;
}

void dist_board_free(struct app *a)
{
	struct board_st *b = &a->dui->board;
	for (size_t p = 0; p < b->np; p++)
		district_status_free(&b->st[p]);
	free(b->units);
	free(b->cell);
	b->units = NULL;
	b->cell = NULL;
	b->np = b->nunits = 0;
}

void dist_data_stale(struct app *a)
{
	struct district_ui *d = a->dui;
	district_free(d->desk);
	d->desk = NULL;
	d->board.stale = 1;
	d->indic.stale = 1;
}

/* Rows: every unit expected in some period, in list order (the periods
 * share their units, so the search from the last hit finds each at once). */
static int board_units(struct board_st *b)
{
	size_t cap = 0;
	for (size_t p = 0; p < b->np; p++)
		cap += b->st[p].n;
	b->units = calloc(cap ? cap : 1, sizeof *b->units);
	if (!b->units)
		return -1;
	for (size_t p = 0; p < b->np; p++) {
		size_t hint = 0;
		for (size_t i = 0; i < b->st[p].n; i++) {
			const struct forms_unit *u = b->st[p].units[i].unit;
			size_t k, seen = 0;
			for (k = hint; seen < b->nunits; k = (k + 1) % b->nunits, seen++)
				if (b->units[k] == u)
					break;
			if (seen == b->nunits)
				b->units[b->nunits++] = u;
			else
				hint = (k + 1) % b->nunits;
		}
	}
	b->cell = malloc((b->nunits ? b->nunits : 1) * b->np * sizeof *b->cell);
	if (!b->cell)
		return -1;
	for (size_t r = 0; r < b->nunits * b->np; r++)
		b->cell[r] = -1;
	for (size_t p = 0; p < b->np; p++) {
		size_t r = 0;
		for (size_t i = 0; i < b->st[p].n; i++) {
			const struct forms_unit *u = b->st[p].units[i].unit;
			for (size_t seen = 0; seen < b->nunits && b->units[r] != u; seen++)
				r = (r + 1) % b->nunits;
			b->cell[r * b->np + p] = (int32_t)i;
		}
	}
	return 0;
}

static int board_read(struct app *a)
{
	struct board_st *b = &a->dui->board;
	double t0 = app_ms();
	dist_board_free(a);
	b->stale = 0;
	struct district *desk = dist_desk(a);
	if (!desk)
		return -1;
	size_t n = forms_period_count(a->fs);
	for (size_t i = 0; i < n && b->np < DIST_PERIODS; i++) {
		const struct forms_period *p = forms_period_at(a->fs, i);
		int err = district_status(desk, forms_period_id(p), NULL, &b->st[b->np]);
		if (err) {
			app_status(a, ST_ERROR, MSG_DT_E_DESK, district_strerror(err));
			return -1;
		}
		b->p[b->np++] = p;
	}
	if (board_units(b)) {
		app_status(a, ST_ERROR, MSG_T_NOMEM);
		return -1;
	}
	if (b->row >= b->nunits)
		b->row = b->nunits ? b->nunits - 1 : 0;
	if (b->col >= b->np)
		b->col = b->np ? b->np - 1 : 0;
	b->ms = app_ms() - t0;
	return 0;
}

int board_open(struct app *a)
{
	struct board_st *b = &a->dui->board;
	if ((b->stale || !b->np) && board_read(a))
		return R_DONE;
	if (a->dui->period < b->np)
		b->col = a->dui->period;
	app_go(a, SCR_BOARD);
	app_status(a, ST_NORMAL, MSG_T_EMPTY);
	return R_DONE;
}

static void board_prepare(struct app *a)
{
	if (a->dui->board.stale)
		board_read(a);
}

static enum tstyle state_style(enum district_state st)
{
	switch (st) {
	case DISTRICT_ON_TIME: return ST_OK;
	case DISTRICT_LATE: return ST_WARN;
	case DISTRICT_RETURNED: return ST_NOTE;
	default: return ST_ERROR;
	}
}

static int visible_cols(int cols)
{
	int n = (cols - 2 - NAMEW - 1) / COLW;
	return n < 1 ? 1 : n;
}

static void draw_cell(struct app *a, int y, int x, size_t r, size_t p)
{
	struct board_st *b = &a->dui->board;
	int32_t i = b->cell[r * b->np + p];
	int focus = r == b->row && p == b->col;
	if (focus)
		term_fill(y, x, COLW - 1, ' ', ST_FOCUS);
	if (i < 0) {
		term_put(y, x + 4, 1, "·", focus ? ST_FOCUS : ST_DIM);
		return;
	}
	enum district_state st = b->st[p].units[i].state;
	term_put(y, x + 4, 2, district_state_letter(st, a->flang), focus ? ST_FOCUS : state_style(st));
}

static void draw_totals(struct app *a, int y, int cols)
{
	struct board_st *b = &a->dui->board;
	char buf[64], n1[VN_NUM_BUF], n2[VN_NUM_BUF];
	int nv = visible_cols(cols);
	term_put(y, 2, NAMEW, msg_get(a->lang, MSG_DT_BOARD_RECEIVED), ST_HEAD);
	term_put(y + 1, 2, NAMEW, msg_get(a->lang, MSG_DT_BOARD_ON_TIME), ST_HEAD);
	for (size_t p = b->left; p < b->np && (int)(p - b->left) < nv; p++) {
		int x = 2 + NAMEW + 1 + (int)(p - b->left) * COLW;
		vn_int_format((int64_t)b->st[p].received, n1);
		vn_int_format((int64_t)b->st[p].expected, n2);
		snprintf(buf, sizeof buf, "%s/%s", n1, n2);
		term_put(y, x, COLW - 1, buf, ST_NORMAL);
		vn_int_format((int64_t)b->st[p].on_time, n1);
		snprintf(buf, sizeof buf, "%s/%s", n1, n2);
		term_put(y + 1, x, COLW - 1, buf, ST_NORMAL);
	}
}

/* The legend: each letter in its colour, then its meaning. */
static void draw_legend(struct app *a, int y, int cols)
{
	static const enum district_state order[] = {DISTRICT_ON_TIME, DISTRICT_LATE,
						    DISTRICT_MISSING, DISTRICT_RETURNED};
	int x = 2;
	x += term_put(y, x, cols - x - 1, msg_get(a->lang, MSG_DT_LEGEND), ST_DIM) + 1;
	for (size_t i = 0; i < 4 && x < cols - 2; i++) {
		x += term_put(y, x, 2, district_state_letter(order[i], a->flang), state_style(order[i]));
		x += 1;
		x += term_put(y, x, cols - x - 1, district_state_label(order[i], a->flang), ST_NORMAL);
		x += 2;
	}
}

static void time_or_dash(int64_t t, char buf[VN_TIME_BUF])
{
	if (t)
		vn_time_format(t, buf);
	else
		snprintf(buf, VN_TIME_BUF, "–");
}

static void draw_detail(struct app *a, int y, int cols)
{
	struct board_st *b = &a->dui->board;
	char buf[512], t1[VN_TIME_BUF], t2[VN_TIME_BUF], r1[VN_NUM_BUF], r2[VN_NUM_BUF];
	if (!b->nunits || !b->np)
		return;
	const struct district_status *st = &b->st[b->col];
	int32_t i = b->cell[b->row * b->np + b->col];
	const char *name = forms_unit_name(b->units[b->row]);
	const char *pid = forms_period_id(b->p[b->col]);
	if (i < 0) {
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_CELL_NOT_EXPECTED), name, pid);
	} else {
		const struct district_unit_status *u = &st->units[i];
		if (u->state == DISTRICT_MISSING) {
			snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_CELL_MISSING), name, pid);
		} else {
			time_or_dash(u->received_at, t2);
			snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_CELL), name, pid,
				 district_state_label(u->state, a->flang), t2, u->revisions);
		}
	}
	term_put(y, 2, cols - 3, buf, ST_NORMAL);
	vn_rate_format((int64_t)st->received, (int64_t)st->expected, r1);
	vn_rate_format((int64_t)st->on_time, (int64_t)st->expected, r2);
	vn_time_format(st->deadline, t1);
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_COLUMN), pid, r1, r2, t1);
	term_put(y + 1, 2, cols - 3, buf, ST_DIM);
}

static void board_draw(struct app *a, int top, int rows, int cols)
{
	struct board_st *b = &a->dui->board;
	char buf[256], n1[VN_NUM_BUF], n2[VN_NUM_BUF];
	vn_int_format((int64_t)b->nunits, n1);
	vn_int_format((int64_t)b->np, n2);
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_BOARD_TITLE), n1, n2);
	term_put(top, 1, cols - 2, buf, ST_HEAD);
	int nv = visible_cols(cols);
	if (b->col < b->left)
		b->left = b->col;
	if (b->col >= b->left + (size_t)nv)
		b->left = b->col - (size_t)nv + 1;
	term_put(top + 1, 2, NAMEW, msg_get(a->lang, MSG_DT_COL_COMMUNE), ST_DIM);
	for (size_t p = b->left; p < b->np && (int)(p - b->left) < nv; p++)
		term_put(top + 1, 2 + NAMEW + 1 + (int)(p - b->left) * COLW, COLW - 1,
			 forms_period_id(b->p[p]), p == b->col ? ST_HEAD : ST_DIM);
	int body = rows - 2 - PANEL;
	if (body < 1)
		body = 1;
	if (b->row < b->top)
		b->top = b->row;
	if (b->row >= b->top + (size_t)body)
		b->top = b->row - (size_t)body + 1;
	for (int i = 0; i < body && b->top + (size_t)i < b->nunits; i++) {
		size_t r = b->top + (size_t)i;
		int y = top + 2 + i;
		term_put(y, 2, NAMEW, forms_unit_name(b->units[r]), r == b->row ? ST_HEAD : ST_NORMAL);
		for (size_t p = b->left; p < b->np && (int)(p - b->left) < nv; p++)
			draw_cell(a, y, 2 + NAMEW + 1 + (int)(p - b->left) * COLW, r, p);
	}
	int y = top + rows - PANEL;
	term_hline(y, 1, cols - 2);
	draw_totals(a, y + 1, cols);
	draw_legend(a, y + 3, cols);
	draw_detail(a, y + 4, cols);
	tprompt_draw(a);
}

static int board_act(struct app *a, enum action act)
{
	struct board_st *b = &a->dui->board;
	size_t page = a->rows > 14 ? (size_t)a->rows - 13 : 1;
	if (a->tp.active)
		return tprompt_act(a, act);
	switch (act) {
	case ACT_UP: if (b->row) b->row--; return R_DONE;
	case ACT_DOWN: if (b->row + 1 < b->nunits) b->row++; return R_DONE;
	case ACT_PGUP: b->row = b->row > page ? b->row - page : 0; return R_DONE;
	case ACT_PGDN:
		b->row = b->row + page < b->nunits ? b->row + page : (b->nunits ? b->nunits - 1 : 0);
		return R_DONE;
	case ACT_FIRST: b->row = 0; return R_DONE;
	case ACT_LAST: b->row = b->nunits ? b->nunits - 1 : 0; return R_DONE;
	case ACT_D_LEFT:
		if (b->col)
			a->dui->period = --b->col;
		return R_DONE;
	case ACT_D_RIGHT:
		if (b->col + 1 < b->np)
			a->dui->period = ++b->col;
		return R_DONE;
	case ACT_OPEN:
		if (!b->nunits || b->cell[b->row * b->np + b->col] < 0)
			return R_DONE;
		return report_open(a, b->units[b->row], b->p[b->col], SCR_BOARD);
	case ACT_D_EXPORT:
		a->dui->period = b->col;
		return dist_export_ask(a);
	case ACT_BACK:
		app_go(a, SCR_HOME);
		app_status(a, ST_NORMAL, MSG_T_EMPTY);
		return R_DONE;
	case ACT_QUIT: return R_QUIT;
	default: return R_DONE;
	}
}

static int board_input(struct app *a, struct tkey k)
{
	if (a->tp.active)
		return tprompt_input(a, k);
	return R_DONE;
}

const struct view view_board = {board_prepare, board_draw, board_input, board_act};
