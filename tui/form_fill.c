/*
 * tui/form_fill.c: F7, the report's dossier statistics from the register
 * (form_fill, as `cchc record fill`).  Figures the officer typed are never
 * overwritten unasked: when the register's figures differ from typed ones,
 * both show side by side and a question (F7 again, or its button) decides.
 * A fill is undone with Ctrl-Z until the record is saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/vnfmt.h"
#include "tui/tui_int.h"

struct fill_walk {
	struct form_fill *fill;
	const char *source, *unit;
	int err;
	size_t entries;
};

static int fill_one(const struct store_record *r, void *arg)
{
	struct fill_walk *w = arg;
	if (r->deleted || strcmp(r->form, w->source) || strcmp(r->unit, w->unit))
		return 0;
	w->entries++;
	w->err = form_fill_add(w->fill, &r->fields);
	return w->err ? 1 : 0;
}

static size_t field_index(const struct form *f, const struct form_field *fl)
{
	for (size_t i = 0; i < form_field_count(f); i++)
		if (form_field_at(f, i) == fl)
			return i;
	return 0;
}

void ff_forget(struct app *a)
{
	struct form_st *fs = &a->form;
	free(fs->fill_rows);
	fs->fill_rows = NULL;
	fs->fill_n = 0;
	kv_free(&fs->fill_old);
	fs->fill_ask = fs->fill_undo = 0;
}

static void shown(struct app *a, const struct form_field *fl, const char *canon, char out[32])
{
	char *text = NULL;
	if (canon && *canon && form_field_display(fl, canon, a->flang, &text) == 0)
		snprintf(out, 32, "%s", text);
	else
		snprintf(out, 32, "–");
	free(text);
}

static void window(struct app *a, char from[VN_DATE_BUF], char to[VN_DATE_BUF])
{
	const struct forms_period *p = forms_period_find(a->fs, a->form.rec.period);
	from[0] = to[0] = '\0';
	if (p) {
		vn_date_format(forms_period_data_from(p), from);
		vn_date_format(forms_period_data_to(p), to);
	}
}

/* Put the register's figures in, keeping the ones replaced for Ctrl-Z. */
static int apply(struct app *a)
{
	struct form_st *fs = &a->form;
	kv_free(&fs->fill_old);
	for (size_t k = 0; k < fs->fill_n; k++) {
		const struct form_field *fl = form_field_at(fs->f, fs->fill_rows[k].field);
		const char *id = form_field_id(fl), *old = kv_get(&fs->rec.fields, id);
		kv_set(&fs->fill_old, id, old ? old : "");
		kv_set(&fs->rec.fields, id, fs->fill_rows[k].canon);
		fo_set_text(a, fs->fill_rows[k].field, fs->fill_rows[k].canon);
	}
	fs->fill_ask = 0;
	fs->fill_undo = 1;
	fs->dirty = 1;
	fv_focus(a, fs->focus);
	fo_recompute(a);
	char from[VN_DATE_BUF], to[VN_DATE_BUF];
	window(a, from, to);
	app_status(a, ST_OK, MSG_T_FILLED_UNDO, fs->fill_entries, from, to);
	return R_DONE;
}

static int keep_typed(struct app *a)
{
	a->form.fill_ask = 0;
	app_status(a, ST_NORMAL, MSG_T_FILL_KEPT);
	return R_DONE;
}

int ff_undo(struct app *a)
{
	struct form_st *fs = &a->form;
	if (!fs->fill_undo)
		return 0;
	size_t n = 0;
	for (size_t k = 0; k < fs->fill_old.n; k++) {
		const struct kv_pair *p = &fs->fill_old.v[k];
		const struct form_field *fl = form_field_find(fs->f, p->name);
		const char *now = kv_get(&fs->rec.fields, p->name);
		n += strcmp(now ? now : "", p->value) != 0;
		if (p->value[0])
			kv_set(&fs->rec.fields, p->name, p->value);
		else
			kv_del(&fs->rec.fields, p->name);
		if (fl)
			fo_set_text(a, field_index(fs->f, fl), p->value);
	}
	kv_free(&fs->fill_old);
	fs->fill_undo = 0;
	fs->dirty = fv_changes(a) > 0;
	fv_focus(a, fs->focus);
	fo_recompute(a);
	app_status(a, ST_NORMAL, MSG_T_FILL_UNDONE, n);
	return 1;
}

/* The register's figures as rows; how many replace a typed value. */
static size_t make_rows(struct app *a, const struct kv *figures)
{
	struct form_st *fs = &a->form;
	size_t differ = 0;
	fs->fill_rows = calloc(figures->n ? figures->n : 1, sizeof *fs->fill_rows);
	if (!fs->fill_rows)
		return 0;
	for (size_t k = 0; k < figures->n; k++) {
		const struct form_field *fl = form_field_find(fs->f, figures->v[k].name);
		if (!fl || strlen(figures->v[k].value) >= sizeof fs->fill_rows[0].canon)
			continue;
		struct ffrow *r = &fs->fill_rows[fs->fill_n++];
		const char *old = kv_get(&fs->rec.fields, figures->v[k].name);
		r->field = (uint16_t)field_index(fs->f, fl);
		snprintf(r->canon, sizeof r->canon, "%s", figures->v[k].value);
		r->differs = old && *old && strcmp(old, r->canon) != 0;
		differ += (size_t)r->differs;
		shown(a, fl, old, r->shown_old);
		shown(a, fl, r->canon, r->shown_new);
	}
	/* The figures that would replace typed ones first: they must show. */
	for (size_t k = 0, w = 0; k < fs->fill_n; k++)
		if (fs->fill_rows[k].differs) { /* a stable partition */
			struct ffrow t = fs->fill_rows[k];
			memmove(&fs->fill_rows[w + 1], &fs->fill_rows[w], (k - w) * sizeof t);
			fs->fill_rows[w++] = t;
		}
	return differ;
}

int fo_fill(struct app *a)
{
	struct form_st *fs = &a->form;
	int next;
	const struct forms_period *p = forms_period_find(a->fs, fs->rec.period);
	const char *source = form_fill_source(fs->f);
	if (fo_commit(a))
		return R_DONE;
	if (form_step_check(fs->f, fs->rec.state, FORM_STEP_SAVE, app_actor(a), &next, NULL)) {
		app_status(a, ST_ERROR, MSG_T_READ_ONLY, form_state_label(fs->rec.state, a->flang));
		return R_DONE;
	}
	struct form_fill *fill = NULL;
	if (!source || !p || form_fill_begin(fs->f, p, &fill) != 0) {
		app_status(a, ST_ERROR, MSG_T_NO_FILL);
		return R_DONE;
	}
	struct fill_walk w = {fill, source, fs->rec.unit, 0, 0};
	struct kv figures = KV_INIT;
	int err = store_record_each(a->st, fill_one, &w);
	if (err < 0 || w.err || form_fill_end(fill, &figures) != 0) {
		app_statusf(a, ST_ERROR, err < 0 ? app_store_err(a, err) : forms_strerror(w.err));
		goto out;
	}
	ff_forget(a);
	fs->fill_entries = w.entries;
	size_t differ = make_rows(a, &figures);
	if (!fs->fill_rows) {
		app_status(a, ST_ERROR, MSG_T_NOMEM);
		goto out;
	}
	if (!differ) {
		apply(a);
		goto out;
	}
	char q[256];
	snprintf(q, sizeof q, msg_get(a->lang, MSG_T_ASK_FILL), differ);
	struct ask ask = {q, MSG_T_BTN_FILL_KEEP, MSG_T_BTN_FILL, K_F7, apply, keep_typed};
	fs->fill_ask = 1;
	app_ask_with(a, &ask);
out:
	form_fill_free(fill);
	kv_free(&figures);
	return R_DONE;
}

/* Typed and register figures side by side; those that differ marked. */
void ff_draw(struct app *a, int top, int rows, int cols)
{
	struct form_st *fs = &a->form;
	char buf[512], from[VN_DATE_BUF], to[VN_DATE_BUF];
	int cw = 14, lw = cols - 6 - 2 * (cw + 2);
	window(a, from, to);
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_FILL_HEAD), fs->fill_entries, from, to);
	term_put_fit(top, 1, cols - 2, buf, ST_HEAD);
	int y = top + 2;
	term_put_fit(y, 3, lw, msg_get(a->lang, MSG_T_FILL_COL_FIELD), ST_DIM);
	for (int c = 0; c < 2; c++) { /* over the figures, aligned right as they are */
		const char *h = msg_get(a->lang, c ? MSG_T_FILL_COL_NEW : MSG_T_FILL_COL_OLD);
		int hw = text_width(h) < cw ? text_width(h) : cw;
		term_put_fit(y, 3 + lw + 2 + c * (cw + 2) + cw - hw, hw, h, ST_DIM);
	}
	y++;
	for (size_t k = 0; k < fs->fill_n; k++, y++) {
		const struct ffrow *r = &fs->fill_rows[k];
		if (y >= top + rows - 1 && k + 1 < fs->fill_n) {
			snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_FILL_MORE), fs->fill_n - k);
			term_put_fit(y, 3, cols - 4, buf, ST_DIM);
			break;
		}
		enum tstyle st = r->differs ? ST_ERROR : ST_NORMAL;
		if (r->differs)
			term_put(y, 1, 1, "*", ST_ERROR); /* seen without colour too */
		term_put_fit(y, 3, lw, form_field_label(form_field_at(fs->f, r->field), a->flang), st);
		int w1 = text_width(r->shown_old), w2 = text_width(r->shown_new);
		term_put(y, 3 + lw + 2 + cw - w1, w1, r->shown_old, st);
		term_put(y, 3 + lw + cw + 4 + cw - w2, w2, r->shown_new, st);
	}
}
