/*
 * tui/form_ops.c: what the form editor does to a record: check a field on
 * leaving it, recompute, save, submit, approve, fill from the register.
 * The rules are forms/'s (form_field_normalize, form_validate,
 * form_step_check, form_fill); a change is one store_record_put, as in
 * the CLI (cli/cmd_record.c).  A refused step changes nothing and keeps
 * every typed character.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vnfmt.h"
#include "tui/tui_int.h"

int fo_editable(const struct form_field *fl)
{
	return form_field_type(fl) != FORM_COMPUTED;
}

static size_t field_index(const struct form *f, const struct form_field *fl)
{
	for (size_t i = 0; i < form_field_count(f); i++)
		if (form_field_at(f, i) == fl)
			return i;
	return 0;
}

static const struct form_field *focused_field(struct app *a)
{
	struct form_st *fs = &a->form;
	if (fs->focus >= fs->nrows || fs->rows[fs->focus].kind != FR_FIELD)
		return NULL;
	return form_field_at(fs->f, fs->rows[fs->focus].idx);
}

void fo_set_text(struct app *a, size_t i, const char *canon)
{
	struct form_st *fs = &a->form;
	const struct form_field *fl = form_field_at(fs->f, i);
	char *shown = NULL;
	free(fs->vals[i].text);
	if (canon && *canon && form_field_display(fl, canon, a->flang, &shown) == 0)
		fs->vals[i].text = shown;
	else
		fs->vals[i].text = strdup("");
	free(fs->vals[i].err);
	fs->vals[i].err = NULL;
	fs->vals[i].bad = 0;
}

/* Values as the validator sees them: empty means absent. */
static void present(const struct kv *in, struct kv *out)
{
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].value[0])
			kv_set(out, in->v[i].name, in->v[i].value);
}

void fo_recompute(struct app *a)
{
	struct form_st *fs = &a->form;
	struct kv vals = KV_INIT, comp = KV_INIT;
	present(&fs->rec.fields, &vals);
	/* Live: the value being typed counts as soon as it is valid. */
	const struct form_field *fl = focused_field(a);
	if (fl && fs->editing && fs->ed.changed) {
		char *canon = NULL, *why = NULL;
		if (form_field_normalize(fl, fs->ed.buf, a->flang, &canon, &why) == 0) {
			if (*canon)
				kv_set(&vals, form_field_id(fl), canon);
			else
				kv_del(&vals, form_field_id(fl));
		}
		free(canon);
		free(why);
	}
	form_compute(fs->f, &vals, &comp);
	for (size_t i = 0; i < form_field_count(fs->f); i++) {
		const struct form_field *c = form_field_at(fs->f, i);
		if (form_field_type(c) != FORM_COMPUTED)
			continue;
		const char *v = kv_get(&comp, form_field_id(c));
		char *shown = NULL;
		if (v && form_field_display(c, v, a->flang, &shown) == 0) {
			snprintf(fs->computed[i], sizeof fs->computed[i], "%s", shown);
			free(shown);
		} else {
			snprintf(fs->computed[i], sizeof fs->computed[i], "–");
		}
	}
	/* The targets of the report's year and its unit's kind. */
	const struct forms_period *pp =
		fs->rec.period[0] ? forms_period_find(a->fs, fs->rec.period) : NULL;
	const struct forms_unit *uu = forms_unit_find(a->fs, fs->rec.unit, fs->rec.unit_list);
	enum forms_unit_kind kind = uu ? forms_unit_target_kind(uu)
				    : a->level == FORMS_LEVEL_DISTRICT ? FORMS_KIND_DISTRICT
									: FORMS_KIND_COMMUNE;
	for (size_t r = 0; r < form_rate_count(fs->f); r++)
		form_rate_eval_for(fs->f, form_rate_at(fs->f, r), &vals,
				   pp ? forms_period_year(pp) : 0, kind, &fs->rates[r]);
	kv_free(&vals);
	kv_free(&comp);
}

/* A register entry (checked whole on every save) checks the rules of a
 * field as it is left, so "due before received" shows at once, at the
 * field; the focus moves on (the other date may be the wrong one) and the
 * save refuses until it is fixed.  A report's rules wait for submit: its
 * figures are typed in any order. */
static void field_rules(struct app *a, const struct form_field *fl, size_t i)
{
	struct form_st *fs = &a->form;
	const char *v = kv_get(&fs->rec.fields, form_field_id(fl));
	if (form_check_on_save(fs->f) != FORMS_CHECK_SUBMIT || !v || !*v)
		return;
	struct kv vals = KV_INIT;
	struct form_problems probs = FORM_PROBLEMS_INIT;
	present(&fs->rec.fields, &vals);
	form_validate(fs->f, &vals, NULL, a->level, FORMS_CHECK_SUBMIT, &probs);
	for (size_t k = 0; k < probs.n; k++) {
		if (!probs.v[k].field || strcmp(probs.v[k].field, form_field_id(fl)) != 0)
			continue;
		const char *text = a->lang == LANG_EN ? probs.v[k].en : probs.v[k].vi;
		free(fs->vals[i].err);
		fs->vals[i].err = strdup(text);
		app_statusf(a, ST_ERROR, text);
		break;
	}
	form_problems_free(&probs);
	kv_free(&vals);
}

/* Another live entry of the form holding canon in field fl?  The list's
 * digests have the summary columns (the dossier code is one); a field that
 * is not a column is looked up in the records. */
struct taken_walk {
	const char *form, *field, *canon;
	const uint8_t *self;
	int found;
};

static int taken_one(const struct store_record *r, void *arg)
{
	struct taken_walk *w = arg;
	const char *v = r->deleted || strcmp(r->form, w->form) ? NULL : kv_get(&r->fields, w->field);
	if (v && strcmp(v, w->canon) == 0 && memcmp(r->id, w->self, STORE_ID_BYTES) != 0)
		w->found = 1;
	return w->found;
}

static int unique_taken(struct app *a, const struct form_field *fl, const char *canon)
{
	struct form_st *fs = &a->form;
	struct iset *s = a->index_ok ? index_set(&a->ix, form_id(fs->f)) : NULL;
	size_t c = INDEX_COLS;
	for (size_t k = 0; s && k < s->ncols; k++)
		if (strcmp(form_field_id(s->col[k]), form_field_id(fl)) == 0)
			c = k;
	if (!s || c == INDEX_COLS || strlen(canon) >= INDEX_CLIP) {
		struct taken_walk w = {form_id(fs->f), form_field_id(fl), canon, fs->rec.id, 0};
		store_record_each(a->st, taken_one, &w);
		return w.found;
	}
	int found = 0;
	for (size_t r = 0; r < s->n && !found; r++) {
		const uint8_t *d = (s->flag[r] & IF_DELETED) ? NULL : index_digest(&a->ix, s, r, NULL);
		uint8_t id[16];
		if (d && strcmp(index_dcol(d, c), canon) == 0 && index_row_id(&a->ix, s, r, id) == 0 &&
		    memcmp(id, fs->rec.id, 16) != 0)
			found = 1;
	}
	index_release(&a->ix);
	return found;
}

int fo_commit(struct app *a)
{
	struct form_st *fs = &a->form;
	const struct form_field *fl = focused_field(a);
	if (!fl || !fs->editing || fs->readonly)
		return 0;
	size_t i = fs->rows[fs->focus].idx;
	if (!fs->ed.changed && !fs->vals[i].bad)
		return 0;
	char *canon = NULL, *why = NULL;
	int err = form_field_normalize(fl, fs->ed.buf, a->flang, &canon, &why);
	if (!err && *canon && form_field_unique(fl) && unique_taken(a, fl, canon)) {
		err = form_unique_message(fl, canon, a->flang, &why);
		err = err ? err : FORMS_EINVAL;
		free(canon);
		canon = NULL;
	}
	if (err) {
		free(fs->vals[i].text);
		fs->vals[i].text = strdup(fs->ed.buf);
		free(fs->vals[i].err);
		fs->vals[i].err = why ? why : strdup(forms_strerror(err));
		fs->vals[i].bad = 1;
		app_statusf(a, ST_ERROR, fs->vals[i].err);
		return -1;
	}
	const char *old = kv_get(&fs->rec.fields, form_field_id(fl));
	if (!old || strcmp(old, canon) != 0)
		fs->dirty = 1;
	if (*canon)
		kv_set(&fs->rec.fields, form_field_id(fl), canon);
	else
		kv_del(&fs->rec.fields, form_field_id(fl));
	fo_set_text(a, i, canon);
	free(canon);
	fv_focus(a, fs->focus);
	fo_recompute(a);
	field_rules(a, fl, i);
	return 0;
}

/* The previous period's report of this unit (for the carried-over rule). */
static int previous_values(struct app *a, struct kv *out)
{
	struct form_st *fs = &a->form;
	const struct forms_period *p = forms_period_find(a->fs, fs->rec.period);
	const char *pp = p ? forms_period_previous(p) : NULL;
	struct iset *s = index_set(&a->ix, form_id(fs->f));
	if (!pp || !s)
		return 0;
	for (size_t i = s->n; i-- > 0;) {
		const uint8_t *d = (s->flag[i] & IF_DELETED) ? NULL : index_digest(&a->ix, s, i, NULL);
		if (!d || strcmp(index_dperiod(d), pp) != 0)
			continue;
		struct store_record r;
		uint8_t id[16];
		store_record_init(&r);
		int found = index_row_id(&a->ix, s, i, id) == 0 && store_record_get(a->st, id, &r) == 0;
		if (found)
			present(&r.fields, out);
		store_record_clear(&r);
		return found;
	}
	return 0;
}

/* Run the checks of mode; every problem goes to its field (or the status
 * line), the focus goes to the first.  Returns the number of problems. */
static size_t check(struct app *a, enum forms_check mode)
{
	struct form_st *fs = &a->form;
	struct kv vals = KV_INIT, prev = KV_INIT;
	int have_prev = mode == FORMS_CHECK_SUBMIT && form_kind(fs->f) == FORM_KIND_REPORT &&
			previous_values(a, &prev);
	present(&fs->rec.fields, &vals);
	for (size_t i = 0; i < form_field_count(fs->f); i++) {
		if (fs->vals[i].bad)
			continue;
		free(fs->vals[i].err);
		fs->vals[i].err = NULL;
	}
	struct form_problems probs = FORM_PROBLEMS_INIT;
	form_validate(fs->f, &vals, have_prev ? &prev : NULL, a->level, mode, &probs);
	const char *first_loose = NULL;
	int focused = 0;
	for (size_t k = 0; k < probs.n; k++) {
		const char *text = a->lang == LANG_EN ? probs.v[k].en : probs.v[k].vi;
		const struct form_field *fl = probs.v[k].field ? form_field_find(fs->f, probs.v[k].field)
							       : NULL;
		if (!fl) {
			if (!first_loose)
				first_loose = text;
			continue;
		}
		size_t i = field_index(fs->f, fl);
		if (!fs->vals[i].err)
			fs->vals[i].err = strdup(text);
		if (!focused) {
			for (size_t r = 0; r < fs->nrows; r++)
				if (fs->rows[r].kind == FR_FIELD && fs->rows[r].idx == i)
					fv_focus(a, r);
			focused = 1;
		}
	}
	size_t n = probs.n;
	if (n == 1)
		app_statusf(a, ST_ERROR, a->lang == LANG_EN ? probs.v[0].en : probs.v[0].vi);
	else if (n)
		app_status(a, ST_ERROR, MSG_T_PROBLEMS, n, first_loose ? first_loose : "");
	form_problems_free(&probs);
	kv_free(&vals);
	kv_free(&prev);
	return n;
}

/* May the user take step?  Says why not on the status line. */
int fo_step_ok(struct app *a, enum form_step step, int *next)
{
	struct form_st *fs = &a->form;
	int need = 0;
	int err = form_step_check(fs->f, fs->rec.state, step, app_actor(a), next, &need);
	if (err == FORMS_EROLE)
		app_status(a, ST_ERROR, MSG_T_NOT_YOUR_STEP);
	else if (err == FORMS_EKIND)
		app_status(a, ST_ERROR, MSG_T_NOT_REPORT);
	else if (err)
		app_status(a, ST_ERROR, MSG_T_WRONG_STATE, form_state_label(fs->rec.state, a->flang),
			   form_state_label(need, a->flang));
	return err == 0;
}

int fo_put(struct app *a, int next, const char *action, enum msg_id done)
{
	struct form_st *fs = &a->form;
	struct store_record keep = fs->rec; /* scalars, restored when the save fails */
	fs->rec.state = next;
	int err = store_record_put(a->st, &fs->rec, fs->is_new ? "create" : action);
	if (err) {
		struct kv fields = fs->rec.fields;
		fs->rec = keep;
		fs->rec.fields = fields;
		app_status(a, ST_ERROR, MSG_T_SAVE_FAILED, app_store_err(a, err));
		return -1;
	}
	fs->is_new = 0;
	fs->dirty = 0;
	kv_free(&fs->saved);
	kv_copy(&fs->saved, &fs->rec.fields);
	ff_forget(a); /* saved: the fill is no longer undone */
	fs->readonly = form_step_check(fs->f, fs->rec.state, FORM_STEP_SAVE, app_actor(a), &next,
				       NULL) != 0;
	app_status(a, ST_OK, done, fv_subject(a), fs->rec.version);
	/* An approval is sealed at once (SPEC §8); other saves accumulate
	 * into one batch, sealed on leaving, on Đồng bộ, or every few minutes. */
	if (fs->rec.state == FORM_STATE_APPROVED || app_ms() - a->sealed_ms >= APP_SEAL_EVERY_MS)
		app_seal(a);
	int ierr = index_sync(&a->ix, a->st);
	if (ierr)
		app_status(a, ST_ERROR, MSG_T_INDEX_FAILED, app_store_err(a, ierr));
	a->home.stale = 1;
	return 0;
}

int fo_save(struct app *a)
{
	struct form_st *fs = &a->form;
	int next;
	if (fo_commit(a))
		return R_DONE;
	if (!fo_step_ok(a, FORM_STEP_SAVE, &next))
		return R_DONE;
	int mode = form_step_checks(fs->f, FORM_STEP_SAVE);
	if (mode >= 0 && check(a, (enum forms_check)mode))
		return R_DONE;
	fo_put(a, next, "set",
	    form_kind(fs->f) == FORM_KIND_REPORT ? MSG_T_SAVED_REPORT : MSG_T_SAVED_ENTRY);
	return R_DONE;
}

int fo_submit(struct app *a)
{
	struct form_st *fs = &a->form;
	int next;
	if (fo_commit(a) || !fo_step_ok(a, FORM_STEP_SUBMIT, &next))
		return R_DONE;
	if (check(a, FORMS_CHECK_SUBMIT))
		return R_DONE;
	int64_t keep = fs->rec.submitted_at;
	fs->rec.submitted_at = vn_now();
	if (fo_put(a, next, "submit", MSG_T_SUBMITTED_REPORT))
		fs->rec.submitted_at = keep;
	return R_DONE;
}

static int approve_now(struct app *a)
{
	struct form_st *fs = &a->form;
	int next;
	if (!fo_step_ok(a, FORM_STEP_APPROVE, &next))
		return R_DONE;
	const struct store_user *u = store_whoami(a->st);
	fs->rec.approved_at = vn_now();
	snprintf(fs->rec.approved_by, sizeof fs->rec.approved_by, "%s", u ? u->name : "");
	if (fo_put(a, next, "approve", MSG_T_APPROVED_REPORT)) {
		fs->rec.approved_at = 0;
		fs->rec.approved_by[0] = '\0';
	}
	return R_DONE;
}

static int approve_kept(struct app *a)
{
	app_status(a, ST_NORMAL, MSG_T_APPROVE_KEPT, fv_subject(a));
	return R_DONE;
}

/* Approval locks the report and queues it: asked first (F6 again, or the
 * Duyệt button), once the checks pass. */
int fo_approve(struct app *a)
{
	struct form_st *fs = &a->form;
	int next;
	if (!fo_step_ok(a, FORM_STEP_APPROVE, &next))
		return R_DONE;
	if (fs->dirty) {
		app_status(a, ST_ERROR, MSG_T_SAVE_FIRST);
		return R_DONE;
	}
	if (check(a, FORMS_CHECK_SUBMIT))
		return R_DONE;
	char q[256];
	snprintf(q, sizeof q, msg_get(a->lang, MSG_T_ASK_APPROVE), fv_subject(a));
	struct ask ask = {q, MSG_T_BTN_NOT_YET, MSG_T_BTN_APPROVE, K_F6, approve_now, approve_kept};
	app_ask_with(a, &ask);
	return R_DONE;
}
