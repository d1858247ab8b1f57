/*
 * tui/view_list.c: the register list and its search.
 *
 * The rows come from the digests in memory (index/index.h), so paging, sorting
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
#include "tui/district_int.h" /* and tui/tui_int.h */

void list_refresh(struct app *a)
{
	struct list_st *l = &a->list;
	double t0 = app_ms();
	if (!l->v.set)
		return;
	l->order_gen++;
	int err = index_list_refresh(&a->ix, &l->v);
	if (err) {
		l->v.norder = 0;
		app_statusf(a, ST_ERROR, app_store_err(a, err));
		return;
	}
	if (l->sel >= l->v.norder)
		l->sel = l->v.norder ? l->v.norder - 1 : 0;
	l->last_ms = app_ms() - t0;
}

int list_open(struct app *a, const struct form *f)
{
	struct list_st *l = &a->list;
	l->v.set = index_set(&a->ix, form_id(f));
	l->sel = l->top = 0;
	l->searching = 0;
	l->v.unit[0] = '\0';
	l->back = SCR_HOME;
	editline_set(&l->q, "", 100, 1);
	list_refresh(a);
	app_go(a, SCR_LIST);
	app_status(a, ST_NORMAL, MSG_T_EMPTY);
	return R_DONE;
}

void list_close(struct app *a)
{
	index_list_free(&a->list.v);
	free(a->list.page);
	memset(&a->list, 0, sizeof a->list);
}

/* Lines for rows: the screen's body minus the heads and the search line. */
static int body_rows(const struct app *a)
{
	const struct list_st *l = &a->list;
	int n = a->rows - 3 - 2 - (l->searching || l->v.needle[0] ? 1 : 0);
	return n < 1 ? 1 : n;
}

/* Scroll so the selection shows, and copy the rows on screen from their
 * digests (a page reads at most a page of chunks). */
static void list_prepare(struct app *a)
{
	struct list_st *l = &a->list;
	struct iset *s = l->v.set;
	size_t n = (size_t)body_rows(a);
	if (!s)
		return;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + n)
		l->top = l->sel - n + 1;
	if (l->page_ok && l->page_top == l->top && l->npage == n && l->page_gen == l->order_gen)
		return;
	if (l->pagecap < n) {
		struct index_row *p = realloc(l->page, n * sizeof *p);
		if (!p) {
			l->page_rows = 0;
			return;
		}
		l->page = p;
		l->pagecap = n;
	}
	size_t got;
	int err = index_list_page(&a->ix, &l->v, l->top, n, l->page, &got);
	if (err)
		app_statusf(a, ST_ERROR, app_store_err(a, err));
	l->page_rows = (int)got;
	l->npage = n;
	l->page_top = l->top;
	l->page_gen = l->order_gen;
	l->page_ok = 1;
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

static void cell(struct app *a, const struct iset *s, const char *v, size_t c, char *buf,
		 size_t cap)
{
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

#define UNITW 16 /* a district's list: the commune column */

/* The commune's short name of a unit code ("Tân Trào"), or the code. */
static const char *unit_short(struct app *a, const char *code)
{
	const struct forms_unit *u = forms_unit_find(a->fs, code, a->cfg->unit_list);
	return u ? forms_unit_short_name(u) : code;
}

static void list_draw(struct app *a, int top, int rows, int cols)
{
	struct list_st *l = &a->list;
	const struct iset *s = l->v.set;
	char buf[512], title[256];
	if (!s)
		return;
	/* A district's list names the commune of every entry, first. */
	int x0 = a->dui ? 1 + UNITW + 1 : 1, cw = a->dui ? cols - UNITW - 1 : cols;
	char total[VN_NUM_BUF], nshown[VN_NUM_BUF];
	vn_int_format((int64_t)l->v.live, total);
	vn_int_format((int64_t)l->v.norder, nshown);
	if (l->v.unit[0])
		snprintf(title, sizeof title, "%s – %s", form_title(s->f, a->flang),
			 unit_short(a, l->v.unit));
	else
		snprintf(title, sizeof title, "%s", form_title(s->f, a->flang));
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_LIST_HEAD), title, nshown,
		 total, l->v.sort ? form_field_label(s->col[l->v.sort - 1], a->flang)
				: msg_get(a->lang, MSG_T_SORT_NEWEST));
	term_put_fit(top, 1, cols - 2, buf, ST_HEAD);
	if (a->dui)
		term_put(top + 1, 1, UNITW, msg_get(a->lang, MSG_DT_COL_COMMUNE), ST_DIM);
	int x = x0;
	for (size_t c = 0; c < s->ncols; c++) {
		int w = col_width(s, c, cw);
		if (w <= 0)
			continue;
		term_put_fit(top + 1, x, w, form_field_label(s->col[c], a->flang),
			     l->v.sort == (int)c + 1 ? ST_HEAD : ST_DIM);
		x += w + 1;
	}
	int body = top + 2;
	/* The page prepared for this size and order (list_prepare). */
	for (int i = 0; i < l->page_rows && l->top == l->page_top; i++) {
		size_t k = l->top + (size_t)i;
		enum tstyle st = k == l->sel ? ST_FOCUS : ST_NORMAL;
		if (k == l->sel)
			term_fill(body + i, 0, cols, ' ', st);
		if (a->dui)
			term_put(body + i, 1, UNITW, unit_short(a, l->page[i].unit), st);
		x = x0;
		for (size_t c = 0; c < s->ncols; c++) {
			int w = col_width(s, c, cw);
			if (w <= 0)
				continue;
			cell(a, s, l->page[i].col[c], c, buf, sizeof buf);
			term_put_fit(body + i, x, w, buf, st);
			x += w + 1;
		}
	}
	if (!l->v.norder)
		term_put(body, 3, cols - 4, msg_get(a->lang, MSG_T_LIST_EMPTY), ST_DIM);
	if (l->searching || l->v.needle[0]) {
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
	snprintf(l->v.needle, sizeof l->v.needle, "%s", f);
	free(f);
	l->sel = l->top = 0;
	list_refresh(a);
	char n[VN_NUM_BUF];
	vn_int_format((int64_t)l->v.norder, n);
	if (l->v.needle[0])
		app_status(a, ST_NORMAL, MSG_T_FOUND, n);
	else
		app_status(a, ST_NORMAL, MSG_T_EMPTY);
	return R_DONE;
}

static int open_selected(struct app *a)
{
	struct list_st *l = &a->list;
	if (!l->v.norder)
		return R_DONE;
	struct store_record rec;
	store_record_init(&rec);
	uint8_t id[16];
	int err = index_row_id(&a->ix, l->v.set, l->v.order[l->sel], id);
	if (!err)
		err = store_record_get(a->st, id, &rec);
	if (err)
		app_statusf(a, ST_ERROR, app_store_err(a, err));
	else
		form_open(a, l->v.set->f, &rec, NULL, SCR_LIST);
	if (!err && a->dui)
		a->form.readonly = 1; /* the district reads the communes' entries */
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
	case ACT_DOWN: if (l->sel + 1 < l->v.norder) l->sel++; return R_DONE;
	case ACT_PGUP: l->sel = l->sel > page ? l->sel - page : 0; return R_DONE;
	case ACT_PGDN:
		l->sel = l->sel + page < l->v.norder ? l->sel + page : (l->v.norder ? l->v.norder - 1 : 0);
		return R_DONE;
	case ACT_FIRST: l->sel = 0; return R_DONE;
	case ACT_LAST: l->sel = l->v.norder ? l->v.norder - 1 : 0; return R_DONE;
	case ACT_OPEN: return open_selected(a);
	case ACT_NEW: return a->dui ? R_DONE : form_open(a, l->v.set->f, NULL, NULL, SCR_LIST);
	case ACT_SEARCH:
		l->searching = 1;
		app_status(a, ST_NORMAL, MSG_T_SEARCH_HELP);
		return R_DONE;
	case ACT_SORT:
		l->v.sort = (l->v.sort + 1) % (int)(l->v.set->ncols + 1);
		l->sel = l->top = 0;
		list_refresh(a);
		app_status(a, ST_NORMAL, MSG_T_SORTED,
			   l->v.sort ? form_field_label(l->v.set->col[l->v.sort - 1], a->flang)
				   : msg_get(a->lang, MSG_T_SORT_NEWEST));
		return R_DONE;
	case ACT_BACK:
		if (l->v.needle[0]) {
			editline_set(&l->q, "", 100, 1);
			return run_search(a);
		}
		a->home.stale = 1;
		app_go(a, l->back);
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

const struct view view_list = {list_prepare, list_draw, list_input, list_act};
