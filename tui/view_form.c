/*
 * tui/view_form.c: the form editor, for any form definition (a periodic
 * report or a register entry).
 *
 * Layout (a pure function of the form and the width): one line per
 * section title, field and rate; the focused field in reverse video, with
 * its check message (or help) on the line under it.  Leaving a field
 * checks it (form_field_normalize); a wrong value keeps what was typed and
 * the focus stays.  Choice and yes/no fields are picked with Space (next
 * option) or the option's number; text fields edit with the line editor
 * (Telex only in text fields).  A long narrative field (`multiline`) edits
 * in an area of AREA_ROWS lines, wrapped by display width; Up and Down move
 * by visual line there, and leave the field from its first or last line;
 * Ctrl-J (ACT_NEWLINE) types a new line there and is Enter elsewhere.
 * Outside its area a narrative shows each new line as a pilcrow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/vnfmt.h"
#include "tui/tui_int.h"

#define AREA_ROWS 5

static const struct form_field *row_field(const struct form_st *fs, size_t r)
{
	if (r >= fs->nrows || fs->rows[r].kind != FR_FIELD)
		return NULL;
	return form_field_at(fs->f, fs->rows[r].idx);
}

static int focusable(const struct form_st *fs, size_t r)
{
	const struct form_field *fl = row_field(fs, r);
	return fl && fo_editable(fl);
}

static int is_picker(const struct form_field *fl)
{
	enum form_type t = form_field_type(fl);
	return t == FORM_CHOICE || t == FORM_YESNO;
}

/* The focused field edits in a multi-line area. */
static int in_area(const struct form_st *fs)
{
	const struct form_field *fl = row_field(fs, fs->focus);
	return fl && fs->editing && form_field_type(fl) == FORM_TEXT && form_field_multiline(fl);
}

int fv_in_area(const struct app *a)
{
	return in_area(&a->form);
}

/* Lines the focused field takes on screen. */
static int focus_lines(const struct form_st *fs)
{
	return in_area(fs) ? AREA_ROWS : 1;
}

static size_t limit_of(const struct form_field *fl)
{
	switch (form_field_type(fl)) {
	case FORM_TEXT: return form_field_maxlen(fl);
	case FORM_DATE: return 10;
	case FORM_INTEGER: case FORM_DECIMAL: return 24;
	default: return 200;
	}
}

void fv_focus(struct app *a, size_t r)
{
	struct form_st *fs = &a->form;
	const struct form_field *fl = row_field(fs, r);
	if (!fl)
		return;
	fs->focus = r;
	fs->editing = !is_picker(fl);
	editline_set(&fs->ed, fs->vals[fs->rows[r].idx].text, limit_of(fl),
		     form_field_type(fl) == FORM_TEXT);
}

static int layout(struct form_st *fs)
{
	const struct form *f = fs->f;
	size_t cap = form_section_count(f) + form_field_count(f) + form_rate_count(f) + 1;
	fs->rows = calloc(cap, sizeof *fs->rows);
	if (!fs->rows)
		return -1;
	for (size_t s = 0; s < form_section_count(f); s++) {
		const struct form_section *sec = form_section_at(f, s);
		fs->rows[fs->nrows++] = (struct frow){FR_SECTION, (uint16_t)s};
		for (size_t k = 0; k < form_section_field_count(sec); k++) {
			const struct form_field *fl = form_section_field_at(sec, k);
			for (size_t i = 0; i < form_field_count(f); i++)
				if (form_field_at(f, i) == fl)
					fs->rows[fs->nrows++] = (struct frow){FR_FIELD, (uint16_t)i};
		}
		/* Rates follow the section that holds their numerator. */
		for (size_t r = 0; r < form_rate_count(f); r++) {
			const char *num = form_rate_numerator(form_rate_at(f, r));
			for (size_t k = 0; k < form_section_field_count(sec); k++)
				if (strcmp(form_field_id(form_section_field_at(sec, k)), num) == 0)
					fs->rows[fs->nrows++] = (struct frow){FR_RATE, (uint16_t)r};
		}
	}
	return 0;
}

void form_close(struct app *a)
{
	struct form_st *fs = &a->form;
	if (fs->vals)
		for (size_t i = 0; i < form_field_count(fs->f); i++) {
			free(fs->vals[i].text);
			free(fs->vals[i].err);
		}
	free(fs->vals);
	free(fs->rows);
	free(fs->rates);
	free(fs->computed);
	store_record_clear(&fs->rec);
	kv_free(&fs->saved);
	ff_forget(a);
	memset(&fs->ed, 0, sizeof fs->ed);
	fs->vals = NULL;
	fs->rows = NULL;
	fs->rates = NULL;
	fs->computed = NULL;
	fs->f = NULL;
	fs->nrows = fs->focus = fs->top = 0;
	fs->dirty = fs->is_new = fs->editing = 0;
}

int form_open(struct app *a, const struct form *f, const struct store_record *r,
	      const char *period, enum tscreen back)
{
	struct form_st *fs = &a->form;
	form_close(a);
	fs->f = f;
	fs->back = back;
	store_record_init(&fs->rec);
	if (r) {
		fs->rec = *r;
		fs->rec.fields = (struct kv)KV_INIT;
		kv_copy(&fs->rec.fields, &r->fields);
		const struct form *made = forms_find_version(a->fs, r->form, (int)r->form_version);
		if (made)
			fs->f = f = made;
	} else {
		fs->is_new = 1;
		store_new_id(fs->rec.id);
		snprintf(fs->rec.form, sizeof fs->rec.form, "%s", form_id(f));
		fs->rec.form_version = (uint32_t)form_version(f);
		snprintf(fs->rec.unit, sizeof fs->rec.unit, "%s", a->cfg->unit);
		snprintf(fs->rec.unit_list, sizeof fs->rec.unit_list, "%s", a->cfg->unit_list);
		snprintf(fs->rec.period, sizeof fs->rec.period, "%s", period ? period : "");
		fs->rec.state = FORM_STATE_DRAFT;
		fs->rec.revision = 1;
	}
	size_t nf = form_field_count(f);
	fs->vals = calloc(nf ? nf : 1, sizeof *fs->vals);
	fs->rates = calloc(form_rate_count(f) + 1, sizeof *fs->rates);
	fs->computed = calloc(nf ? nf : 1, sizeof *fs->computed);
	if (!fs->vals || !fs->rates || !fs->computed || layout(fs)) {
		form_close(a);
		app_status(a, ST_ERROR, MSG_T_NOMEM);
		return R_DONE;
	}
	for (size_t i = 0; i < nf; i++)
		fo_set_text(a, i, kv_get(&fs->rec.fields, form_field_id(form_field_at(f, i))));
	kv_copy(&fs->saved, &fs->rec.fields);
	int next;
	fs->readonly = form_step_check(f, fs->rec.state, FORM_STEP_SAVE, app_actor(a), &next,
				       NULL) != 0;
	for (size_t row = 0; row < fs->nrows; row++)
		if (focusable(fs, row)) {
			fv_focus(a, row);
			break;
		}
	fo_recompute(a);
	app_go(a, SCR_FORM);
	if (fs->readonly)
		app_status(a, ST_NORMAL, MSG_T_READ_ONLY, form_state_label(fs->rec.state, a->flang));
	else
		app_status(a, ST_NORMAL, fs->is_new ? MSG_T_NEW_RECORD : MSG_T_EDITING);
	return R_DONE;
}

/* ---------------------------------------------------------------- draw */

static void draw_header(struct app *a, int y, int cols)
{
	struct form_st *fs = &a->form;
	char buf[512];
	const struct forms_period *p = fs->rec.period[0] ? forms_period_find(a->fs, fs->rec.period)
							 : NULL;
	/* The state on the right never gives way to a long title.  A register
	 * entry has no workflow (it syncs on save): no "Nháp" there. */
	int entry = form_kind(fs->f) == FORM_KIND_REGISTER;
	const char *state = fs->is_new ? msg_get(a->lang, MSG_T_UNSAVED_NEW)
			    : entry    ? ""
			    /* At the district an approved report has been sent. */
			    : a->dui && fs->rec.state == FORM_STATE_APPROVED
				? msg_get(a->lang, MSG_DT_REV_APPROVED)
				: form_state_label(fs->rec.state, a->flang);
	snprintf(buf, sizeof buf, "%s%s%s", p ? forms_period_name(p, a->flang) : "",
		 p && *state ? " · " : "", state);
	if (fs->dirty)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s*", *buf ? " " : "");
	int w = text_width(buf);
	term_put(y, cols - w - 1, w, buf, ST_HEAD);
	term_put_fit(y, 1, cols - w - 3, form_title(fs->f, a->flang), ST_HEAD);
}

static void draw_value(struct app *a, int y, int x, int w, size_t r, int focus)
{
	struct form_st *fs = &a->form;
	const struct form_field *fl = row_field(fs, r);
	size_t i = fs->rows[r].idx;
	enum tstyle st = focus ? ST_FOCUS : ST_FIELD;
	if (!fo_editable(fl)) {
		term_put(y, x, w, fs->computed[i], ST_DIM);
		return;
	}
	if (!fs->readonly)
		term_fill(y, x, w, focus ? ' ' : '.', st);
	if (focus && in_area(fs)) {
		/* Wrapped lines; the last column is kept for the cursor. */
		int cy, cx;
		size_t start = 0, next;
		editline_area(&fs->ed, w - 1, AREA_ROWS, &cy, &cx);
		for (size_t line = 0; line < fs->ed.vtop + AREA_ROWS; line++) {
			size_t end = editline_line_end(&fs->ed, start, w - 1, &next);
			if (line >= fs->ed.vtop) {
				char buf[1024];
				size_t n = end - start < sizeof buf - 1 ? end - start : sizeof buf - 1;
				memcpy(buf, fs->ed.buf + start, n);
				buf[n] = '\0';
				int ly = y + (int)(line - fs->ed.vtop);
				term_fill(ly, x, w, ' ', st);
				term_put(ly, x, w, buf, st);
			}
			if (end == fs->ed.len)
				break;
			start = next;
		}
		term_cursor(y + cy, x + cx);
		return;
	}
	if (focus && fs->editing) {
		int curcol;
		editline_view(&fs->ed, w, &curcol);
		term_put(y, x, w, fs->ed.buf + fs->ed.scroll, st);
		term_cursor(y, x + curcol);
		return;
	}
	char buf[256];
	const char *text = fs->vals[i].text;
	if (focus && is_picker(fl)) {
		snprintf(buf, sizeof buf, "< %s >", text);
		text = buf;
	} else if (text && strchr(text, '\n')) {
		/* A narrative's new lines, on its one line: a pilcrow each. */
		size_t n = 0;
		for (const char *p = text; *p && n + 3 < sizeof buf; p++) {
			if (*p == '\n') {
				memcpy(buf + n, "\xc2\xb6", 2);
				n += 2;
			} else {
				buf[n++] = *p;
			}
		}
		buf[n] = '\0';
		text = buf;
	}
	term_put_fit(y, x, w, text, fs->vals[i].err ? ST_ERROR : st);
	if (focus)
		term_cursor(y, x);
}

static void draw_rate(struct app *a, int y, int x, int cols, size_t r)
{
	struct form_st *fs = &a->form;
	const struct form_rate_value *v = &fs->rates[r];
	char buf[256];
	/* The target always shows; a long label gives way, ending in "…". */
	const char *target = v->target && *v->target ? v->target : "";
	int tw = *target ? text_width(target) + 1 : 0;
	int used = term_put_fit(y, x, cols - x - 24 - tw, form_rate_label(form_rate_at(fs->f, r), a->flang),
				ST_DIM);
	if (tw)
		term_put(y, x + used + 1, tw, target, ST_DIM);
	snprintf(buf, sizeof buf, "%7s  %s", v->text, form_met_label(v->met, a->flang));
	term_put(y, cols - 22, 21, buf, v->met == FORM_MET_NO ? ST_ERROR : v->met == FORM_MET_YES ? ST_OK : ST_NORMAL);
}

/* A section's title; a section with rates says which plan their targets
 * come from: " · chỉ tiêu KH 2021", " · chỉ tiêu kế thừa từ KH 2021". */
static void section_title(struct app *a, size_t row, char *buf, size_t cap)
{
	struct form_st *fs = &a->form;
	int n = snprintf(buf, cap, "%s",
			 form_section_title(form_section_at(fs->f, fs->rows[row].idx), a->flang));
	for (size_t r = row + 1; r < fs->nrows && fs->rows[r].kind != FR_SECTION; r++) {
		const struct form_rate_value *v = &fs->rates[fs->rows[r].idx];
		if (fs->rows[r].kind != FR_RATE || !v->source.plan)
			continue;
		if (n >= 0 && (size_t)n < cap)
			snprintf(buf + n, cap - (size_t)n,
				 msg_get(a->lang,
					 v->source.carried ? MSG_T_PLAN_CARRIED : MSG_T_PLAN_OWN),
				 forms_plan_year(v->source.plan));
		return;
	}
}

/* The label column: 45% of the width, at most 52 columns, or on a wide
 * screen as wide as the longest label (then none is cut). */
static int label_width(const struct form_st *fs, int cols)
{
	int w = cols * 45 / 100, longest = 0;
	for (size_t i = 0; fs->f && i < form_field_count(fs->f); i++) {
		const struct form_field *fl = form_field_at(fs->f, i);
		int lw = text_width(form_field_label(fl, FORMS_LANG_VI)) + 3;
		int le = text_width(form_field_label(fl, FORMS_LANG_EN)) + 3;
		longest = lw > longest ? lw : le > longest ? le : longest;
	}
	if (longest > 52 && longest <= w)
		return longest;
	return w > 52 ? 52 : w;
}

static void form_draw(struct app *a, int top, int rows, int cols)
{
	struct form_st *fs = &a->form;
	int lw = label_width(fs, cols), vx = lw + 3, vw = cols - vx - 1;
	draw_header(a, top, cols);
	if (fs->fill_ask) {
		ff_draw(a, top + 1, rows - 1, cols);
		return;
	}
	int body = top + 1, avail = rows - 2; /* one line kept for the focus message */
	int extra = focus_lines(fs) - 1;  /* a multi-line area's further lines */
	if (avail - extra < 1)
		return;
	if (fs->focus < fs->top)
		fs->top = fs->focus;
	if (fs->focus >= fs->top + (size_t)(avail - extra))
		fs->top = fs->focus - (size_t)(avail - extra) + 1;
	int y = body, cy = -1, cx = -1;
	for (size_t r = fs->top; r < fs->nrows && y < body + avail + 1; r++) {
		const struct frow *row = &fs->rows[r];
		if (row->kind == FR_SECTION) {
			char title[512];
			section_title(a, r, title, sizeof title);
			term_put_fit(y++, 1, cols - 2, title, ST_HEAD);
			continue;
		}
		if (row->kind == FR_RATE) {
			draw_rate(a, y++, 3, cols, row->idx);
			continue;
		}
		const struct form_field *fl = form_field_at(fs->f, row->idx);
		int focus = r == fs->focus, req = form_field_required(fl) == 1;
		/* A long label ends in "…" (the help line has it whole); the
		 * required mark stays. */
		int used = term_put_fit(y, 3, lw - 1 - (req ? 2 : 0), form_field_label(fl, a->flang),
					focus ? ST_HEAD : ST_NORMAL);
		if (req)
			term_put(y, 3 + used, 2, " *", focus ? ST_HEAD : ST_NORMAL);
		if (fs->vals[row->idx].err)
			term_put(y, 1, 1, "!", ST_ERROR); /* seen without colour too */
		if (focus) {
			/* Drawn after the other rows: the cursor must end here. */
			cy = y;
			cx = vx;
			if (extra) {
				/* The area's lines, blank under the label column. */
				for (int k = 1; k <= extra; k++)
					term_fill(y + k, vx, vw, ' ', ST_FOCUS);
				y += extra;
			}
			const char *msg = fs->vals[row->idx].err;
			if (y + 1 < body + avail + 1 && (msg || form_field_help(fl, a->flang))) {
				y++;
				term_put_fit(y, vx, vw, msg ? msg : form_field_help(fl, a->flang),
					     msg ? ST_ERROR : ST_DIM);
			}
		} else {
			draw_value(a, y, vx, vw, r, 0);
		}
		y++;
	}
	if (cy >= 0)
		draw_value(a, cy, cx, vw, fs->focus, 1);
}

/* ---------------------------------------------------------------- keys */

/* Columns the text of a multi-line area wraps at (form_draw's layout). */
static int area_cols(const struct app *a)
{
	int vx = label_width(&a->form, a->cols) + 3;
	return a->cols - vx - 1 - 1;
}

static void move_focus(struct app *a, int dir, int steps);

/* Up / Down: a visual line inside a multi-line area, else the field. */
static void move_line(struct app *a, int dir)
{
	if (in_area(&a->form) && editline_vmove(&a->form.ed, area_cols(a), dir) == ED_MOVED)
		return;
	move_focus(a, dir, 1);
}

static void move_focus(struct app *a, int dir, int steps)
{
	struct form_st *fs = &a->form;
	if (fo_commit(a))
		return;
	size_t r = fs->focus, last = fs->focus;
	while (steps-- > 0) {
		for (;;) {
			if ((dir < 0 && r == 0) || (dir > 0 && r + 1 >= fs->nrows))
				goto done;
			r = dir < 0 ? r - 1 : r + 1;
			if (focusable(fs, r)) {
				last = r;
				break;
			}
		}
	}
done:
	fv_focus(a, last);
	/* A rule the field left broke (fo_commit said so) stays said. */
	if (!fs->vals[fs->rows[last].idx].err && !fs->readonly && a->status_st != ST_ERROR)
		app_statusf(a, ST_NORMAL, "");
}

static int discard_and_leave(struct app *a)
{
	enum tscreen back = a->form.back;
	size_t lost = fv_changes(a);
	form_close(a);
	a->home.stale = 1;
	app_go(a, back);
	if (back == SCR_LIST)
		list_refresh(a);
	if (lost)
		app_status(a, ST_NORMAL, MSG_T_DISCARDED, lost);
	else
		app_status(a, ST_NORMAL, MSG_T_EMPTY);
	return R_DONE;
}

static int quit_now(struct app *a)
{
	(void)a;
	return R_QUIT;
}

/* A question naming how many changes a discard loses. */
static int ask_discard(struct app *a, enum msg_id question, enum msg_id act, uint32_t key,
		       int (*on_yes)(struct app *a))
{
	char q[256];
	snprintf(q, sizeof q, msg_get(a->lang, question), fv_changes(a));
	struct ask ask = {q, MSG_T_BTN_KEEP, act, key, on_yes, NULL};
	app_ask_with(a, &ask);
	return R_DONE;
}

/* Cycle or pick a choice: dir +1 next option, 0 clear, or the option n. */
static void pick(struct app *a, int how, int n)
{
	struct form_st *fs = &a->form;
	const struct form_field *fl = row_field(fs, fs->focus);
	size_t i = fs->rows[fs->focus].idx;
	const char *cur = kv_get(&fs->rec.fields, form_field_id(fl));
	char code[128] = "";
	if (form_field_type(fl) == FORM_YESNO) {
		if (how == 1)
			snprintf(code, sizeof code, "%s", !cur ? "1" : strcmp(cur, "1") == 0 ? "0" : "");
		else if (how == 2)
			snprintf(code, sizeof code, "%s", n == 1 ? "1" : "0");
	} else {
		size_t nc = form_field_choice_count(fl), k = nc;
		for (size_t j = 0; cur && j < nc; j++)
			if (strcmp(form_field_choice_code(fl, j), cur) == 0)
				k = j;
		if (how == 1)
			k = k >= nc ? 0 : k + 1;
		else if (how == 2)
			k = n >= 1 && (size_t)n <= nc ? (size_t)n - 1 : k;
		else
			k = nc;
		if (k < nc)
			snprintf(code, sizeof code, "%s", form_field_choice_code(fl, k));
	}
	if (code[0])
		kv_set(&fs->rec.fields, form_field_id(fl), code);
	else
		kv_del(&fs->rec.fields, form_field_id(fl));
	fo_set_text(a, i, code);
	fs->dirty = 1;
	fo_recompute(a);
}

static int refuse_readonly(struct app *a)
{
	app_status(a, ST_ERROR, MSG_T_READ_ONLY, form_state_label(a->form.rec.state, a->flang));
	return R_DONE;
}

static int edit_op(struct app *a, int (*op)(struct editline *e))
{
	struct form_st *fs = &a->form;
	if (!fs->editing)
		return R_DONE;
	if (fs->readonly && op != editline_left && op != editline_right && op != editline_home &&
	    op != editline_end)
		return refuse_readonly(a);
	if (op(&fs->ed) & ED_CHANGED)
		fo_recompute(a);
	return R_DONE;
}

static int form_act(struct app *a, enum action act)
{
	struct form_st *fs = &a->form;
	switch (act) {
	case ACT_NEXT: move_focus(a, 1, 1); return R_DONE;
	case ACT_NEWLINE:
		if (!in_area(fs)) {
			move_focus(a, 1, 1); /* a one-line field: as Enter */
			return R_DONE;
		}
		if (fs->readonly)
			return refuse_readonly(a);
		if (editline_newline(&fs->ed) & ED_FULL)
			app_status(a, ST_ERROR, MSG_T_TOO_LONG, fs->ed.maxletters);
		return R_DONE;
	case ACT_PREV: move_focus(a, -1, 1); return R_DONE;
	case ACT_UP: move_line(a, -1); return R_DONE;
	case ACT_DOWN: move_line(a, 1); return R_DONE;
	case ACT_PGDN: move_focus(a, 1, a->rows / 2); return R_DONE;
	case ACT_PGUP: move_focus(a, -1, a->rows / 2); return R_DONE;
	case ACT_SAVE: return fs->readonly ? refuse_readonly(a) : fo_save(a);
	case ACT_SUBMIT: return fo_submit(a);
	case ACT_APPROVE: return fo_approve(a);
	case ACT_REOPEN: return fo_reopen(a);
	case ACT_DELETE: return fo_delete(a);
	case ACT_FILL: return fs->readonly ? refuse_readonly(a) : fo_fill(a);
	case ACT_CHOICE:
		if (fs->readonly)
			return refuse_readonly(a);
		if (!fs->editing) {
			pick(a, 1, 0);
			return R_DONE;
		}
		if (editline_insert(&fs->ed, ' ', 0, a->tstyle) & ED_FULL)
			app_status(a, ST_ERROR, MSG_T_TOO_LONG, fs->ed.maxletters);
		return R_DONE;
	case ACT_UNDO: {
		size_t i = fs->rows[fs->focus].idx;
		/* Typing in the field is undone first, then a fill. */
		if (!(fs->editing && fs->ed.changed) && ff_undo(a))
			return R_DONE;
		const struct form_field *fl = row_field(fs, fs->focus);
		fo_set_text(a, i, kv_get(&fs->rec.fields, form_field_id(fl)));
		fv_focus(a, fs->focus);
		app_status(a, ST_NORMAL, MSG_T_UNDONE);
		return R_DONE;
	}
	case ACT_ED_LEFT: return edit_op(a, editline_left);
	case ACT_ED_RIGHT: return edit_op(a, editline_right);
	case ACT_ED_HOME: return edit_op(a, editline_home);
	case ACT_ED_END: return edit_op(a, editline_end);
	case ACT_ED_DEL: return edit_op(a, editline_delete);
	case ACT_ED_KILL: return edit_op(a, editline_kill_before);
	case ACT_ED_BS:
		if (!fs->editing && !fs->readonly) {
			pick(a, 0, 0);
			return R_DONE;
		}
		return edit_op(a, editline_backspace);
	case ACT_BACK:
		if (fv_changes(a))
			return ask_discard(a, MSG_T_ASK_DISCARD_N, MSG_T_BTN_DISCARD, 0,
					   discard_and_leave);
		return discard_and_leave(a);
	case ACT_QUIT:
		if (fv_changes(a))
			return ask_discard(a, MSG_T_ASK_QUIT_N, MSG_T_BTN_QUIT, K_F10, quit_now);
		return R_QUIT;
	default:
		return R_DONE;
	}
}

static int form_input(struct app *a, struct tkey k)
{
	struct form_st *fs = &a->form;
	if (k.kind != TK_CHAR)
		return R_DONE;
	if (fs->readonly)
		return refuse_readonly(a);
	if (!fs->editing) {
		const struct form_field *fl = row_field(fs, fs->focus);
		if (k.code >= '1' && k.code <= '9')
			pick(a, 2, (int)(k.code - '0'));
		else if (k.code < 128 && form_field_type(fl) == FORM_YESNO && strchr("cCyY", (int)k.code))
			pick(a, 2, 1);
		else if (k.code < 128 && form_field_type(fl) == FORM_YESNO && strchr("kKnN0", (int)k.code))
			pick(a, 2, 0);
		return R_DONE;
	}
	int r = editline_insert(&fs->ed, k.code, a->telex, a->tstyle);
	if (r & ED_FULL)
		app_status(a, ST_ERROR, MSG_T_TOO_LONG, fs->ed.maxletters);
	else if (r & ED_CHANGED)
		fo_recompute(a);
	return R_DONE;
}

const struct view view_form = {NULL, form_draw, form_input, form_act};
