/*
 * tui/view_list.c: the register list and its search.
 *
 * The rows come from the digests in memory (index.c), so paging, sorting
 * and searching 100,000 entries never touch the records; opening an entry
 * reads that one record.  `/` searches the list's text columns ignoring
 * case and diacritics ("tan trao" finds "Tân Trào"); the sort key cycles
 * through "newest first" and each column, in Vietnamese order
 * (text_collate_key).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/vnfmt.h"
#include "tui/tui_int.h"

#define KEYP 24 /* bytes of collation key kept per row while sorting */

struct sortkey {
	uint8_t k[KEYP];
	uint32_t row;
};

struct sortctx {
	const struct iset *set;
	size_t col;
};

static int cmp_key(const void *x, const void *y, void *arg)
{
	const struct sortkey *a = x, *b = y;
	const struct sortctx *ctx = arg;
	int c = memcmp(a->k, b->k, KEYP);
	if (c)
		return c;
	/* Same first KEYP bytes: compare the whole texts, then by id. */
	c = text_collate(index_col(ctx->set, &ctx->set->rows[a->row], ctx->col),
			 index_col(ctx->set, &ctx->set->rows[b->row], ctx->col));
	return c ? c : (a->row > b->row) - (a->row < b->row);
}

static void sort_rows(struct app *a)
{
	struct list_st *l = &a->list;
	const struct iset *s = l->set;
	if (l->sort == 0) {
		/* Newest first: rows are in id (creation) order. */
		for (size_t i = 0, j = l->norder; i < j / 2; i++) {
			uint32_t t = l->order[i];
			l->order[i] = l->order[j - 1 - i];
			l->order[j - 1 - i] = t;
		}
		return;
	}
	size_t c = (size_t)l->sort - 1;
	struct sortkey *keys = malloc((l->norder ? l->norder : 1) * sizeof *keys);
	if (!keys)
		return;
	enum form_type t = form_field_type(s->col[c]);
	for (size_t i = 0; i < l->norder; i++) {
		const char *v = index_col(s, &s->rows[l->order[i]], c);
		memset(keys[i].k, 0, KEYP);
		keys[i].row = l->order[i];
		if (t == FORM_TEXT) {
			uint8_t *k = NULL;
			size_t kl = 0;
			if (text_collate_key(v, &k, &kl) == 0)
				memcpy(keys[i].k, k, kl < KEYP ? kl : KEYP);
			free(k);
		} else {
			size_t n = strlen(v);
			memcpy(keys[i].k, v, n < KEYP ? n : KEYP);
		}
	}
	struct sortctx ctx = {s, c};
	qsort_r(keys, l->norder, sizeof *keys, cmp_key, &ctx);
	for (size_t i = 0; i < l->norder; i++)
		l->order[i] = keys[i].row;
	free(keys);
}

static int matches(struct app *a, const struct irow *r)
{
	struct list_st *l = &a->list;
	char buf[1024];
	size_t n = 0;
	if (!l->needle[0])
		return 1;
	for (size_t c = 0; c < l->set->ncols; c++) {
		if (form_field_type(l->set->col[c]) != FORM_TEXT)
			continue;
		n += index_fold(&a->ix, index_col(l->set, r, c), buf + n, sizeof buf - n - 1);
		buf[n++] = '\n';
		buf[n] = '\0';
	}
	return strstr(buf, l->needle) != NULL;
}

void list_refresh(struct app *a)
{
	struct list_st *l = &a->list;
	const struct iset *s = l->set;
	double t0 = app_ms();
	if (!s)
		return;
	if (l->cap < s->n) {
		uint32_t *o = realloc(l->order, (s->n + 1024) * sizeof *o);
		if (!o)
			return;
		l->order = o;
		l->cap = s->n + 1024;
	}
	l->norder = 0;
	for (size_t i = 0; i < s->n; i++)
		if (!s->rows[i].deleted && matches(a, &s->rows[i]))
			l->order[l->norder++] = (uint32_t)i;
	sort_rows(a);
	if (l->sel >= l->norder)
		l->sel = l->norder ? l->norder - 1 : 0;
	l->last_ms = app_ms() - t0;
}

int list_open(struct app *a, const struct form *f)
{
	struct list_st *l = &a->list;
	l->set = index_set(&a->ix, form_id(f));
	l->sel = l->top = 0;
	l->searching = 0;
	editline_set(&l->q, "", 100, 1);
	list_refresh(a);
	app_go(a, SCR_LIST);
	app_status(a, ST_NORMAL, MSG_T_EMPTY);
	return R_DONE;
}

void list_close(struct app *a)
{
	free(a->list.order);
	memset(&a->list, 0, sizeof a->list);
}

/* Column widths: dates and choices get what they need, the text columns
 * share the rest; below 100 columns only the first two texts show. */
static int col_width(const struct iset *s, size_t c, int cols)
{
	int fixed = 0, ntext = 0, rank = -1;
	for (size_t i = 0; i < s->ncols; i++) {
		enum form_type t = form_field_type(s->col[i]);
		if (t == FORM_DATE)
			fixed += 11;
		else if (t == FORM_CHOICE)
			fixed += 17;
		else if (i == c)
			rank = ntext++;
		else
			ntext++;
	}
	enum form_type t = form_field_type(s->col[c]);
	if (t == FORM_DATE)
		return 10;
	if (t == FORM_CHOICE)
		return 16;
	int shown = cols < 100 && ntext > 2 ? 2 : ntext;
	if (rank >= shown)
		return 0;
	return (cols - 2 - fixed) / (shown ? shown : 1) - 1;
}

static void cell(struct app *a, const struct iset *s, const struct irow *r, size_t c, char *buf,
		 size_t cap)
{
	const char *v = index_col(s, r, c);
	enum form_type t = form_field_type(s->col[c]);
	if (t == FORM_DATE && v[0]) {
		struct vn_date d;
		if (vn_date_parse(v, &d) == 0) {
			vn_date_format(d, buf);
			return;
		}
	}
	if (t == FORM_CHOICE) {
		size_t k = (unsigned char)v[0];
		snprintf(buf, cap, "%s",
			 k && k <= form_field_choice_count(s->col[c])
				 ? form_field_choice_label(s->col[c], k - 1, a->flang) : "");
		return;
	}
	snprintf(buf, cap, "%s", v);
}

static void list_draw(struct app *a, int top, int rows, int cols)
{
	struct list_st *l = &a->list;
	const struct iset *s = l->set;
	char buf[512];
	if (!s)
		return;
	char total[VN_NUM_BUF], shown[VN_NUM_BUF];
	size_t live = 0;
	for (size_t i = 0; i < s->n; i++)
		live += !s->rows[i].deleted;
	vn_int_format((int64_t)live, total);
	vn_int_format((int64_t)l->norder, shown);
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_LIST_HEAD), form_title(s->f, a->flang), shown,
		 total, l->sort ? form_field_label(s->col[l->sort - 1], a->flang)
				: msg_get(a->lang, MSG_T_SORT_NEWEST));
	term_put(top, 1, cols - 2, buf, ST_HEAD);
	int x = 1;
	for (size_t c = 0; c < s->ncols; c++) {
		int w = col_width(s, c, cols);
		if (w <= 0)
			continue;
		term_put(top + 1, x, w, form_field_label(s->col[c], a->flang),
			 l->sort == (int)c + 1 ? ST_HEAD : ST_DIM);
		x += w + 1;
	}
	int body = top + 2, n = rows - 2 - (l->searching || l->needle[0] ? 1 : 0);
	if (n < 1)
		n = 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)n)
		l->top = l->sel - (size_t)n + 1;
	for (int i = 0; i < n && l->top + (size_t)i < l->norder; i++) {
		size_t k = l->top + (size_t)i;
		const struct irow *r = &s->rows[l->order[k]];
		enum tstyle st = k == l->sel ? ST_FOCUS : ST_NORMAL;
		if (k == l->sel)
			term_fill(body + i, 0, cols, ' ', st);
		x = 1;
		for (size_t c = 0; c < s->ncols; c++) {
			int w = col_width(s, c, cols);
			if (w <= 0)
				continue;
			cell(a, s, r, c, buf, sizeof buf);
			term_put(body + i, x, w, buf, st);
			x += w + 1;
		}
	}
	if (!l->norder)
		term_put(body, 3, cols - 4, msg_get(a->lang, MSG_T_LIST_EMPTY), ST_DIM);
	if (l->searching || l->needle[0]) {
		int y = top + rows - 1, curcol;
		const char *p = msg_get(a->lang, MSG_T_SEARCH_PROMPT);
		int pw = term_put(y, 1, cols - 2, p, ST_HEAD);
		editline_view(&l->q, cols - pw - 3, &curcol);
		term_put(y, pw + 2, cols - pw - 3, l->q.buf + l->q.scroll,
			 l->searching ? ST_FOCUS : ST_NORMAL);
		if (l->searching)
			term_cursor(y, pw + 2 + curcol);
	}
}

static int run_search(struct app *a)
{
	struct list_st *l = &a->list;
	char *f = NULL;
	l->searching = 0;
	if (text_fold(l->q.buf, &f) != 0)
		return R_DONE;
	snprintf(l->needle, sizeof l->needle, "%s", f);
	free(f);
	l->sel = l->top = 0;
	list_refresh(a);
	char n[VN_NUM_BUF];
	vn_int_format((int64_t)l->norder, n);
	if (l->needle[0])
		app_status(a, ST_NORMAL, MSG_T_FOUND, n);
	else
		app_status(a, ST_NORMAL, MSG_T_EMPTY);
	return R_DONE;
}

static int open_selected(struct app *a)
{
	struct list_st *l = &a->list;
	if (!l->norder)
		return R_DONE;
	struct store_record rec;
	store_record_init(&rec);
	int err = store_record_get(a->st, l->set->rows[l->order[l->sel]].id, &rec);
	if (err)
		app_statusf(a, ST_ERROR, app_store_err(a, err));
	else
		form_open(a, l->set->f, &rec, NULL, SCR_LIST);
	store_record_clear(&rec);
	return R_DONE;
}

static int search_act(struct app *a, enum action act)
{
	struct list_st *l = &a->list;
	switch (act) {
	case ACT_OPEN: return run_search(a);
	case ACT_BACK:
		l->searching = 0;
		editline_set(&l->q, "", 100, 1);
		return run_search(a);
	case ACT_ED_LEFT: editline_left(&l->q); return R_DONE;
	case ACT_ED_RIGHT: editline_right(&l->q); return R_DONE;
	case ACT_FIRST: editline_home(&l->q); return R_DONE;
	case ACT_LAST: editline_end(&l->q); return R_DONE;
	case ACT_ED_BS: editline_backspace(&l->q); return R_DONE;
	case ACT_ED_DEL: editline_delete(&l->q); return R_DONE;
	case ACT_ED_KILL: editline_kill_before(&l->q); return R_DONE;
	case ACT_SEARCH: editline_insert(&l->q, '/', 0, a->tstyle); return R_DONE;
	case ACT_QUIT: return R_QUIT;
	default: return R_DONE;
	}
}

static int list_act(struct app *a, enum action act)
{
	struct list_st *l = &a->list;
	size_t page = a->rows > 8 ? (size_t)a->rows - 8 : 1;
	if (l->searching)
		return search_act(a, act);
	switch (act) {
	case ACT_UP: if (l->sel) l->sel--; return R_DONE;
	case ACT_DOWN: if (l->sel + 1 < l->norder) l->sel++; return R_DONE;
	case ACT_PGUP: l->sel = l->sel > page ? l->sel - page : 0; return R_DONE;
	case ACT_PGDN:
		l->sel = l->sel + page < l->norder ? l->sel + page : (l->norder ? l->norder - 1 : 0);
		return R_DONE;
	case ACT_FIRST: l->sel = 0; return R_DONE;
	case ACT_LAST: l->sel = l->norder ? l->norder - 1 : 0; return R_DONE;
	case ACT_OPEN: return open_selected(a);
	case ACT_NEW: return form_open(a, l->set->f, NULL, NULL, SCR_LIST);
	case ACT_SEARCH:
		l->searching = 1;
		app_status(a, ST_NORMAL, MSG_T_SEARCH_HELP);
		return R_DONE;
	case ACT_SORT:
		l->sort = (l->sort + 1) % (int)(l->set->ncols + 1);
		l->sel = l->top = 0;
		list_refresh(a);
		app_status(a, ST_NORMAL, MSG_T_SORTED,
			   l->sort ? form_field_label(l->set->col[l->sort - 1], a->flang)
				   : msg_get(a->lang, MSG_T_SORT_NEWEST));
		return R_DONE;
	case ACT_BACK:
		if (l->needle[0]) {
			editline_set(&l->q, "", 100, 1);
			return run_search(a);
		}
		a->home.stale = 1;
		app_go(a, SCR_HOME);
		app_status(a, ST_NORMAL, MSG_T_EMPTY);
		return R_DONE;
	case ACT_QUIT: return R_QUIT;
	default: return R_DONE;
	}
}

static int list_input(struct app *a, struct tkey k)
{
	struct list_st *l = &a->list;
	if (l->searching && k.kind == TK_CHAR)
		editline_insert(&l->q, k.code, a->telex, a->tstyle);
	return R_DONE;
}

const struct view view_list = {list_draw, list_input, list_act};
