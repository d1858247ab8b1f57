/*
 * forms/check.c: whole-file checks of a parsed form, and its destructor.
 *
 * Run after every line is read, so rules may name fields declared further
 * down; computed fields are the exception: they may use only fields above
 * them, which rules out cycles without a graph search.
 */
#include "forms/internal.h"

#include <stdlib.h>
#include <string.h>

static int lang_en(const struct perr *pe)
{
	return pe->sink && pe->sink->lang == FORMS_LANG_EN;
}

static size_t field_index(const struct form *f, const char *id)
{
	int i = nameset_get(&f->field_ix, id);
	return i < 0 ? (size_t)-1 : (size_t)i;
}

void cond_check(struct perr *pe, int line, const struct form *f, const struct cond *c)
{
	const struct form_field *fl = form_field_find(f, c->field);
	if (!fl) {
		perr_at(pe, line, "trường không biết '%s' trong điều kiện",
			"unknown field '%s' in condition", c->field);
		return;
	}
	for (size_t i = 0; i < c->nval; i++) {
		const char *v = c->val[i];
		int ok = 1;
		if (fl->type == FORM_CHOICE) {
			ok = 0;
			for (size_t k = 0; k < fl->nchoice; k++)
				ok |= strcmp(fl->choice[k].code, v) == 0;
		} else if (fl->type == FORM_YESNO) {
			ok = !strcmp(v, "1") || !strcmp(v, "0");
		}
		if (!ok)
			perr_at(pe, line, "'%s' không phải giá trị của trường '%s'",
				"'%s' is not a value of field '%s'", v, c->field);
	}
}

/* Kind of value a term contributes: 0 number, 1 date, 2 decimal, -1 bad. */
static int term_kind(struct perr *pe, int line, const struct form *f, const char *what,
		     const struct term *t)
{
	if (t->kind == TERM_INT)
		return 0;
	const struct form_field *fl = form_field_find(f, t->field);
	if (!fl) {
		perr_at(pe, line, "trường không biết '%s' trong %s", "unknown field '%s' in %s", t->field,
			lang_en(pe) ? what : (strcmp(what, "rule") == 0 ? "quy tắc" : "biểu thức"));
		return -1;
	}
	switch (fl->type) {
	case FORM_INTEGER:
	case FORM_YESNO:
		return 0;
	case FORM_COMPUTED:
		return fl->is_decimal ? 2 : 0;
	case FORM_DECIMAL:
		return 2;
	case FORM_DATE:
		return 1;
	default:
		perr_at(pe, line, "trường '%s' kiểu %s không dùng được trong phép tính",
			"field '%s' of type %s cannot be used in arithmetic", t->field,
			form_type_name(fl->type));
		return -1;
	}
}

/* Check every term of e; sets *dates and *decs when such terms appear. */
static int expr_check(struct perr *pe, int line, const struct form *f, const char *what,
		      const struct expr *e, int *dates, int *nums, int *decs)
{
	int bad = 0;
	for (size_t i = 0; i < e->n; i++) {
		int k = term_kind(pe, line, f, what, &e->t[i]);
		if (k < 0)
			bad = 1;
		else if (k == 1)
			*dates = 1;
		else if (k == 2)
			*decs = 1;
		else if (e->t[i].kind != TERM_INT)
			*nums = 1;
	}
	return bad ? -1 : 0;
}

static void check_computed(struct perr *pe, struct form *f)
{
	for (size_t i = 0; i < f->nfield; i++) {
		struct form_field *fl = f->field[i];
		int dates = 0, nums = 0, decs = 0;
		if (fl->type != FORM_COMPUTED || !fl->expr.n)
			continue;
		for (size_t k = 0; k < fl->expr.n; k++) {
			const struct term *t = &fl->expr.t[k];
			if (t->kind == TERM_FIELD && field_index(f, t->field) != (size_t)-1 &&
			    field_index(f, t->field) >= i)
				perr_at(pe, fl->line,
					"trường tính toán '%s' chỉ dùng được các trường khai báo phía trên nó ('%s')",
					"computed field '%s' may only use fields declared above it ('%s')",
					fl->id, t->field);
		}
		if (expr_check(pe, fl->line, f, "expression", &fl->expr, &dates, &nums, &decs) != 0)
			continue;
		if (dates)
			perr_at(pe, fl->line, "trường tính toán '%s' không tính được từ ngày tháng",
				"computed field '%s' cannot use dates", fl->id);
		fl->is_decimal = decs;
	}
}

static void check_rules(struct perr *pe, struct form *f)
{
	for (size_t i = 0; i < f->nrule; i++) {
		struct rule *r = &f->rule[i];
		int dates = 0, nums = 0, decs = 0, bad = 0;
		bad |= expr_check(pe, r->line, f, "rule", &r->lhs, &dates, &nums, &decs);
		bad |= expr_check(pe, r->line, f, "rule", &r->rhs, &dates, &nums, &decs);
		if (!bad && dates && (nums || decs))
			perr_at(pe, r->line, "quy tắc trộn ngày tháng với số",
				"rule mixes dates and numbers");
		r->is_date = dates;
		r->is_decimal = decs;
		for (size_t k = 0; k < r->lhs.n; k++)
			r->uses_prev |= r->lhs.t[k].kind == TERM_PREV;
		for (size_t k = 0; k < r->rhs.n; k++)
			r->uses_prev |= r->rhs.t[k].kind == TERM_PREV;
		if (r->has_when)
			cond_check(pe, r->line, f, &r->when);
	}
}

static void check_rates(struct perr *pe, struct form *f)
{
	for (size_t i = 0; i < f->nrate; i++) {
		const struct form_rate *r = f->rate[i];
		const char *ids[2] = {r->num, r->den};
		for (int k = 0; k < 2; k++) {
			const struct form_field *fl = form_field_find(f, ids[k]);
			if (!fl)
				perr_at(pe, r->line, "trường không biết '%s' trong tỷ lệ '%s'",
					"unknown field '%s' in rate '%s'", ids[k], r->id);
			else if (fl->type != FORM_INTEGER &&
				 !(fl->type == FORM_COMPUTED && !fl->is_decimal))
				perr_at(pe, r->line, "tỷ lệ '%s': '%s' phải là trường số nguyên",
					"rate '%s': '%s' must be an integer field", r->id, ids[k]);
		}
		if (!r->label[0])
			perr_at(pe, r->line, "tỷ lệ '%s' thiếu 'label'", "rate '%s' has no 'label'", r->id);
	}
}

void form_check_refs(struct perr *pe, struct form *f)
{
	for (size_t i = 0; i < f->nsection; i++)
		if (!f->section[i]->title[0])
			perr_at(pe, f->section[i]->line, "section '%s' thiếu tiêu đề", "section '%s' has no title",
				f->section[i]->id);
	for (size_t i = 0; i < f->nfield; i++) {
		const struct form_field *fl = f->field[i];
		if (!fl->label[0])
			perr_at(pe, fl->line, "trường '%s' thiếu 'label'", "field '%s' has no 'label'",
				fl->id);
		if (fl->type == FORM_CHOICE && fl->nchoice == 0)
			perr_at(pe, fl->line, "trường '%s' kiểu choice cần ít nhất một 'option'",
				"choice field '%s' needs at least one 'option'", fl->id);
		if (fl->required == 2)
			cond_check(pe, fl->line, f, &fl->req_when);
	}
	check_computed(pe, f);
	check_rules(pe, f);
	check_rates(pe, f);
	for (size_t i = 0; i < f->nsummary; i++)
		if (!form_field_find(f, f->summary[i]))
			perr_at(pe, f->summary_line, "summary: không có trường '%s'",
				"summary: no field '%s'", f->summary[i]);
	fill_check(pe, f);
}

static void field_destroy(struct form_field *fl)
{
	free(fl->id);
	for (int l = 0; l < 2; l++) {
		free(fl->label[l]);
		free(fl->help[l]);
	}
	cond_free(&fl->req_when);
	for (size_t i = 0; i < fl->nchoice; i++) {
		free(fl->choice[i].code);
		free(fl->choice[i].label[0]);
		free(fl->choice[i].label[1]);
	}
	free(fl->choice);
	expr_free(&fl->expr);
	free(fl);
}

void form_destroy(struct form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nfield; i++)
		field_destroy(f->field[i]);
	free(f->field);
	nameset_free(&f->field_ix);
	for (size_t i = 0; i < f->nsection; i++) {
		free(f->section[i]->id);
		free(f->section[i]->title[0]);
		free(f->section[i]->title[1]);
		free(f->section[i]->field);
		free(f->section[i]);
	}
	free(f->section);
	for (size_t i = 0; i < f->nrule; i++) {
		struct rule *r = &f->rule[i];
		expr_free(&r->lhs);
		expr_free(&r->rhs);
		free(r->text);
		free(r->msg[0]);
		free(r->msg[1]);
		cond_free(&r->when);
	}
	free(f->rule);
	for (size_t i = 0; i < f->nrate; i++) {
		struct form_rate *r = f->rate[i];
		free(r->id);
		free(r->label[0]);
		free(r->label[1]);
		free(r->num);
		free(r->den);
		free(r);
	}
	free(f->rate);
	nameset_free(&f->rate_ix);
	for (size_t i = 0; i < f->nsummary; i++)
		free(f->summary[i]);
	free(f->summary);
	free(f->fill_source);
	for (int i = 0; i < 3; i++)
		free(f->fill_date[i]);
	for (size_t i = 0; i < f->nexcl; i++)
		cond_free(&f->excl[i]);
	free(f->excl);
	for (size_t i = 0; i < f->npaused; i++)
		cond_free(&f->paused[i]);
	free(f->paused);
	for (size_t i = 0; i < f->nfill; i++) {
		free(f->fill[i].field);
		for (size_t k = 0; k < f->fill[i].ncond; k++)
			cond_free(&f->fill[i].cond[k]);
		free(f->fill[i].cond);
	}
	free(f->fill);
	free(f->id);
	free(f->title[0]);
	free(f->title[1]);
	free(f->path);
	free(f);
}
