/*
 * tui/view_inbox.c: Hộp thư, the district's inbox.  The batches the
 * receiver (or a USB import) stored and import has not applied yet, by
 * commune in Vietnamese order, with size and time; below them those import
 * set aside (refused, with the reason; in conflict), which stay listed.
 * F5 imports every waiting batch (sync_import): the work runs in the key
 * handler, and its per-batch callback redraws the progress bar (batches
 * done / total, records) and the outcome lines, so the screen moves batch
 * by batch; draw only draws.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/text.h"
#include "core/vnfmt.h"
#include "tui/district_int.h"

#define PANEL 6 /* rows under the list: a line, progress, summary, outcomes */

static int cmp_row(const void *x, const void *y)
{
	const struct inbox_row *a = x, *b = y;
	int wa = a->e.kind == SYNC_SPOOL_WAITING, wb = b->e.kind == SYNC_SPOOL_WAITING;
	if (wa != wb)
		return wb - wa;
	int c = text_collate(a->name, b->name);
	if (c)
		return c;
	if ((c = strcmp(a->e.commune, b->e.commune)))
		return c;
	if (a->e.epoch != b->e.epoch)
		return a->e.epoch < b->e.epoch ? -1 : 1;
	return a->e.batch_no < b->e.batch_no ? -1 : a->e.batch_no > b->e.batch_no;
}

void inbox_read(struct app *a)
{
	struct inbox_st *in = &a->dui->inbox;
	struct sync_spool_entry *v = NULL;
	size_t n = 0;
	in->stale = 0;
	int rc = sync_spool_list(a->cfg->home, &v, &n);
	struct inbox_row *rows = n ? calloc(n, sizeof *rows) : NULL;
	if (rc || (n && !rows)) {
		free(v);
		app_status(a, ST_ERROR, MSG_DT_INBOX_UNREADABLE, a->cfg->home);
		return;
	}
	in->nwaiting = 0;
	for (size_t i = 0; i < n; i++) {
		rows[i].e = v[i];
		snprintf(rows[i].name, sizeof rows[i].name, "%s",
			 v[i].commune[0] ? dist_unit_name(a, v[i].commune)
					 : msg_get(a->lang, MSG_DT_INBOX_UNKNOWN));
		in->nwaiting += v[i].kind == SYNC_SPOOL_WAITING;
	}
	free(v);
	if (n)
		qsort(rows, n, sizeof *rows, cmp_row);
	free(in->rows);
	in->rows = rows;
	in->n = n;
	if (in->sel >= n)
		in->sel = n ? n - 1 : 0;
}

static void inbox_prepare(struct app *a)
{
	if (a->dui->inbox.stale)
		inbox_read(a);
}

const char *dist_reason(struct app *a, int err)
{
	switch (err) {
	case SYNC_EFORMAT: return msg_get(a->lang, MSG_R_FORMAT);
	case SYNC_ESIG: return msg_get(a->lang, MSG_R_SIG);
	case SYNC_EUNKNOWN: return msg_get(a->lang, MSG_R_UNKNOWN);
	case SYNC_EREVOKED: return msg_get(a->lang, MSG_R_REVOKED);
	case SYNC_EOTHERKEY: return msg_get(a->lang, MSG_R_OTHERKEY);
	case SYNC_EDECRYPT: return msg_get(a->lang, MSG_R_DECRYPT);
	case SYNC_ETOOBIG: return msg_get(a->lang, MSG_R_TOOBIG);
	case SYNC_EIO: return msg_get(a->lang, MSG_R_IO);
	case SYNC_ECONFLICT: return msg_get(a->lang, MSG_DT_R_CONFLICT);
	default: return msg_get(a->lang, MSG_R_OTHER);
	}
}

static void size_text(uint64_t bytes, char *buf, size_t cap)
{
	char n[VN_NUM_BUF];
	if (bytes < 1024) {
		vn_int_format((int64_t)bytes, n);
		snprintf(buf, cap, "%s B", n);
	} else {
		vn_decimal_format((int64_t)(bytes * 1000 / 1024), 1, n);
		snprintf(buf, cap, "%s KB", n);
	}
}

static const enum msg_id state_label[] = {
	[SYNC_SPOOL_WAITING] = MSG_DT_INBOX_WAITING,
	[SYNC_SPOOL_REJECTED] = MSG_DT_INBOX_REFUSED,
	[SYNC_SPOOL_CONFLICT] = MSG_DT_INBOX_CONFLICT,
};

static const int xs[] = {2, 27, 35, 46, 63};

/* A row: one line; a batch set aside has a second, its reason. */
static int row_lines(const struct inbox_row *r)
{
	return r->e.kind == SYNC_SPOOL_WAITING ? 1 : 2;
}

static void draw_row(struct app *a, int y, int lines, int cols, const struct inbox_row *r,
		     int focus)
{
	char no[32], sz[40], when[VN_TIME_BUF], buf[256];
	enum tstyle st = focus ? ST_FOCUS : ST_NORMAL;
	int kept = r->e.kind != SYNC_SPOOL_WAITING;
	snprintf(no, sizeof no, "#%llu", (unsigned long long)r->e.batch_no);
	size_text(r->e.size, sz, sizeof sz);
	vn_time_format(r->e.stored_at, when);
	term_fill(y, 1, cols - 2, ' ', st);
	term_put(y, xs[0], xs[1] - xs[0] - 1, r->name, st);
	term_put(y, xs[1], xs[2] - xs[1] - 1, no, st);
	term_put(y, xs[2], xs[3] - xs[2] - 1, sz, st);
	term_put(y, xs[3], xs[4] - xs[3] - 1, when, st);
	term_put(y, xs[4], cols - xs[4] - 1, msg_get(a->lang, state_label[r->e.kind]),
		 focus ? ST_FOCUS : kept ? ST_ERROR : ST_NORMAL);
	if (kept && lines > 1) {
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_INBOX_REASON), dist_reason(a, r->e.err));
		term_fill(y + 1, 1, cols - 2, ' ', st);
		term_put(y + 1, xs[1], cols - xs[1] - 1, buf, focus ? ST_FOCUS : ST_ERROR);
	}
}

static void outcome_text(struct app *a, const struct inbox_line *l, char *buf, size_t cap)
{
	char n[VN_NUM_BUF];
	unsigned long long no = (unsigned long long)l->batch_no;
	switch (l->outcome) {
	case SYNC_IMPORTED:
		vn_int_format((int64_t)l->records, n);
		snprintf(buf, cap, msg_get(a->lang, MSG_DT_OUT_IMPORTED), l->name, no, n);
		break;
	case SYNC_DUPLICATE: snprintf(buf, cap, msg_get(a->lang, MSG_DT_OUT_DUP), l->name, no); break;
	case SYNC_WAITING:
		snprintf(buf, cap, msg_get(a->lang, MSG_DT_OUT_WAIT), l->name, no,
			 (unsigned long long)l->waiting_for);
		break;
	case SYNC_CONFLICT:
		snprintf(buf, cap, msg_get(a->lang, MSG_DT_OUT_CONFLICT), l->name, no);
		break;
	default:
		snprintf(buf, cap, msg_get(a->lang, MSG_DT_OUT_REFUSED), l->name, no,
			 dist_reason(a, l->err));
	}
}

static void draw_progress(struct app *a, int y, int cols)
{
	const struct inbox_st *in = &a->dui->inbox;
	char buf[512], bar[64], n1[VN_NUM_BUF], n2[VN_NUM_BUF], n3[VN_NUM_BUF];
	int w = 30;
	size_t fill = in->total ? in->done * (size_t)w / in->total : 0;
	for (int i = 0; i < w; i++)
		bar[i] = (size_t)i < fill ? '#' : '.';
	bar[w] = '\0';
	vn_int_format((int64_t)in->done, n1);
	vn_int_format((int64_t)in->total, n2);
	vn_int_format((int64_t)in->records, n3);
	snprintf(buf, sizeof buf, msg_get(a->lang, in->running ? MSG_DT_PROGRESS : MSG_DT_PROGRESS_DONE),
		 n1, n2, bar, in->total ? (int)(in->done * 100 / in->total) : 100, n3);
	term_put(y, 2, cols - 3, buf, in->running ? ST_HEAD : ST_OK);
	const struct sync_import_summary *s = &in->sum;
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_PROGRESS_SUM), s->imported, s->duplicate,
		 s->waiting, s->rejected, s->conflict);
	term_put(y + 1, 2, cols - 3, buf, s->rejected || s->conflict ? ST_ERROR : ST_NORMAL);
}

static void draw_panel(struct app *a, int y, int rows, int cols)
{
	const struct inbox_st *in = &a->dui->inbox;
	char buf[512];
	term_hline(y++, 1, cols - 2);
	rows--;
	if (in->running || in->ran) {
		draw_progress(a, y, cols);
		y += 2, rows -= 2;
		/* The last outcome lines, oldest first. */
		size_t show = in->nlog < (size_t)rows ? in->nlog : (size_t)rows;
		for (size_t i = 0; i < show; i++) {
			size_t k = (in->logged - show + i) % INBOX_LOG;
			outcome_text(a, &in->log[k], buf, sizeof buf);
			term_put(y++, 2, cols - 3, buf,
				 in->log[k].outcome == SYNC_REJECTED || in->log[k].outcome == SYNC_CONFLICT
					 ? ST_ERROR : ST_NORMAL);
		}
		return;
	}
	if (in->n && in->sel < in->n && in->rows[in->sel].e.kind != SYNC_SPOOL_WAITING) {
		const struct inbox_row *r = &in->rows[in->sel];
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_INBOX_WHY), r->name,
			 (unsigned long long)r->e.batch_no, dist_reason(a, r->e.err));
		term_put(y++, 2, cols - 3, buf, ST_ERROR);
		term_put(y, 2, cols - 3, msg_get(a->lang, r->e.kind == SYNC_SPOOL_CONFLICT
							  ? MSG_DT_INBOX_CONFLICT_HINT
							  : MSG_DT_INBOX_REFUSED_HINT), ST_DIM);
		return;
	}
	char n[VN_NUM_BUF];
	vn_int_format((int64_t)in->nwaiting, n);
	snprintf(buf, sizeof buf, msg_get(a->lang, in->nwaiting ? MSG_DT_INBOX_HINT
							       : MSG_DT_INBOX_NOTHING), n);
	term_put(y, 2, cols - 3, buf, ST_DIM);
}

static void inbox_draw(struct app *a, int top, int rows, int cols)
{
	struct inbox_st *in = &a->dui->inbox;
	char buf[256], n1[VN_NUM_BUF], n2[VN_NUM_BUF];
	vn_int_format((int64_t)in->nwaiting, n1);
	vn_int_format((int64_t)(in->n - in->nwaiting), n2);
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_INBOX_TITLE), n1, n2);
	term_put(top, 1, cols - 2, buf, ST_HEAD);
	static const enum msg_id heads[] = {MSG_DT_COL_COMMUNE, MSG_DT_COL_BATCH, MSG_DT_COL_SIZE,
					    MSG_DT_COL_STORED, MSG_DT_COL_INBOX_STATE};
	for (int c = 0; c < 5; c++)
		term_put(top + 1, xs[c], (c < 4 ? xs[c + 1] - xs[c] : cols - xs[c]) - 1,
			 msg_get(a->lang, heads[c]), ST_DIM);
	int list_rows = rows - 2 - PANEL;
	if (list_rows < 2)
		list_rows = 2;
	/* Scroll so that the selected row shows whole. */
	if (in->sel < in->top)
		in->top = in->sel;
	for (;;) {
		int used = 0;
		for (size_t i = in->top; i <= in->sel && i < in->n; i++)
			used += row_lines(&in->rows[i]);
		if (used <= list_rows || in->top >= in->sel)
			break;
		in->top++;
	}
	int y = top + 2;
	for (size_t i = in->top; i < in->n && y < top + 2 + list_rows; i++) {
		int lines = row_lines(&in->rows[i]);
		if (y + lines > top + 2 + list_rows)
			lines = top + 2 + list_rows - y;
		draw_row(a, y, lines, cols, &in->rows[i], i == in->sel);
		y += lines;
	}
	if (!in->n)
		term_put(top + 3, 3, cols - 4, msg_get(a->lang, MSG_DT_INBOX_EMPTY), ST_DIM);
	draw_panel(a, top + rows - PANEL, PANEL, cols);
}

/* sync_import's per-batch callback: count, keep the line, redraw. */
static void on_line(void *ctx, const struct sync_import_line *l)
{
	struct app *a = ctx;
	struct inbox_st *in = &a->dui->inbox;
	struct inbox_line *o = &in->log[in->logged % INBOX_LOG];
	snprintf(o->name, sizeof o->name, "%s",
		 l->commune[0] ? dist_unit_name(a, l->commune) : msg_get(a->lang, MSG_DT_INBOX_UNKNOWN));
	o->batch_no = l->batch_no;
	o->outcome = l->outcome;
	o->err = l->err;
	o->records = l->records;
	o->waiting_for = l->waiting_for;
	in->logged++;
	if (in->nlog < INBOX_LOG)
		in->nlog++;
	in->done++;
	if (in->done > in->total)
		in->total = in->done;
	in->records += l->outcome == SYNC_IMPORTED ? l->records : 0;
	switch (l->outcome) {
	case SYNC_IMPORTED: in->sum.imported++; break;
	case SYNC_DUPLICATE: in->sum.duplicate++; break;
	case SYNC_WAITING: in->sum.waiting++; break;
	case SYNC_REJECTED: in->sum.rejected++; break;
	default: in->sum.conflict++; break;
	}
	app_redraw(a);
#ifdef CCHC_TEST_HOOKS
	/* Tests in a real terminal (tmux) watch the bar move batch by batch. */
	const char *delay = getenv("CCHC_IMPORT_DELAY_MS");
	if (delay && *delay)
		usleep((useconds_t)atoi(delay) * 1000);
#endif
}

static int meta_key(struct app *a, const char *name, size_t len, uint8_t **out)
{
	void *v;
	size_t n;
	int err = store_meta_get(a->st, name, &v, &n);
	if (!err && n != len) {
		secret_free(v);
		err = STORE_EDAMAGED;
	}
	if (err) {
		app_statusf(a, ST_ERROR, app_store_err(a, err));
		return -1;
	}
	*out = v;
	return 0;
}

static void import_done(struct app *a, int rc)
{
	struct inbox_st *in = &a->dui->inbox;
	const struct sync_import_summary *s = &in->sum;
	char n[VN_NUM_BUF];
	if (rc == SYNC_EBUSY)
		app_status(a, ST_ERROR, MSG_E_IMPORT_BUSY);
	else if (rc == SYNC_EKEY)
		app_status(a, ST_ERROR, MSG_DT_E_NO_COMMUNES, a->cfg->home);
	else if (rc && rc != SYNC_EREFUSED)
		app_status(a, ST_ERROR, MSG_DT_E_IMPORT, sync_strerror(rc));
	else {
		vn_int_format((int64_t)in->records, n);
		app_status(a, s->rejected || s->conflict ? ST_ERROR : ST_OK, MSG_DT_IMPORTED,
			   s->imported, n);
	}
	in->stale = 1;
	a->home.stale = 1;
	/* Imported records come without outbox entries: the lists' digests
	 * are built again from the records (index/index.h). */
	if (s->imported && a->index_ok) {
		a->ix.have = 0;
		int err = index_sync(&a->ix, a->st);
		if (err)
			app_status(a, ST_ERROR, MSG_T_INDEX_FAILED, app_store_err(a, err));
	}
	dist_data_stale(a);
}

static int import_all(struct app *a)
{
	struct inbox_st *in = &a->dui->inbox;
	uint8_t *sign_sk = NULL, *box_sk = NULL, *box_pk = NULL;
	inbox_read(a);
	if (!in->nwaiting) {
		app_status(a, ST_NORMAL, MSG_DT_INBOX_NOTHING, "0");
		return R_DONE;
	}
	if (meta_key(a, "sign_sk", 64, &sign_sk) || meta_key(a, "box_sk", 32, &box_sk) ||
	    meta_key(a, "box_pk", 32, &box_pk))
		goto out;
	memset(&in->sum, 0, sizeof in->sum);
	in->running = 1;
	in->ran = 0;
	in->done = in->records = in->nlog = in->logged = 0;
	in->total = in->nwaiting;
	app_status(a, ST_NORMAL, MSG_DT_IMPORTING);
	app_redraw(a);
	struct sync_import_opts o = {a->cfg->home, a->cfg->unit, sign_sk + 32, sign_sk, box_pk,
				     box_sk, on_line, a};
	struct sync_import_summary sum;
	double t0 = app_ms();
	int rc = sync_import(a->st, &o, NULL, 0, &sum);
	in->ms = app_ms() - t0;
	in->running = 0;
	in->ran = 1;
	import_done(a, rc);
out:
	secret_free(sign_sk);
	secret_free(box_sk);
	secret_free(box_pk);
	return R_DONE;
}

static int inbox_act(struct app *a, enum action act)
{
	struct inbox_st *in = &a->dui->inbox;
	size_t page = a->rows > 12 ? (size_t)a->rows - 12 : 1;
	switch (act) {
	case ACT_UP: if (in->sel) in->sel--; return R_DONE;
	case ACT_DOWN: if (in->sel + 1 < in->n) in->sel++; return R_DONE;
	case ACT_PGUP: in->sel = in->sel > page ? in->sel - page : 0; return R_DONE;
	case ACT_PGDN:
		in->sel = in->sel + page < in->n ? in->sel + page : (in->n ? in->n - 1 : 0);
		return R_DONE;
	case ACT_FIRST: in->sel = 0; return R_DONE;
	case ACT_LAST: in->sel = in->n ? in->n - 1 : 0; return R_DONE;
	case ACT_D_IMPORT: return import_all(a);
	case ACT_BACK:
		in->ran = 0;
		app_go(a, SCR_HOME);
		app_status(a, ST_NORMAL, MSG_T_EMPTY);
		return R_DONE;
	case ACT_QUIT: return R_QUIT;
	default: return R_DONE;
	}
}

static int inbox_input(struct app *a, struct tkey k)
{
	(void)a;
	(void)k;
	return R_DONE;
}

const struct view view_inbox = {inbox_prepare, inbox_draw, inbox_input, inbox_act};
