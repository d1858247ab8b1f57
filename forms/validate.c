/*
 * forms/validate.c: form_validate, the checks of a whole record.
 *
 * DRAFT runs the per-value checks (type, range, length, canonical form);
 * SUBMIT adds required fields, cross-field rules, numerator <= denominator
 * and the previous-period rules.  The split lets a commune officer save a
 * half-filled report, while nothing inconsistent reaches Hoàn thành.  Every
 * problem is collected with a Vietnamese and an English sentence; rule
 * sentences are built from the field labels and the values unless the form
 * gives a message, whose {left} and {right} are replaced by the values.
 */
#include "forms/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vnfmt.h"

void form_problems_free(struct form_problems *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].vi);
		free(p->v[i].en);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

/* Takes ownership of vi and en (NULL from a failed allocation: ENOMEM). */
static int add(struct form_problems *out, const char *field, char *vi, char *en)
{
	if (!vi || !en || append((void **)&out->v, &out->n, &out->cap, sizeof *out->v) != 0) {
		free(vi);
		free(en);
		return FORMS_ENOMEM;
	}
	out->v[out->n - 1].field = field;
	out->v[out->n - 1].vi = vi;
	out->v[out->n - 1].en = en;
	return 0;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	char *s;
	va_list ap;
	va_start(ap, f);
	int n = vasprintf(&s, f, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

static int check_value(const struct form_field *fl, const char *v, struct form_problems *out)
{
	char *canon = NULL, *evi = NULL, *een = NULL;
	int rc;

	if (fl->type == FORM_COMPUTED)
		return add(out, fl->id,
			   fmt("%s: trường tính toán, không lưu giá trị", fl->label[0]),
			   fmt("%s: a computed field holds no stored value",
			       form_field_label(fl, FORMS_LANG_EN)));
	rc = form_field_normalize(fl, v, FORMS_LANG_VI, &canon, &evi);
	if (rc == FORMS_EINVAL) {
		rc = form_field_normalize(fl, v, FORMS_LANG_EN, &canon, &een);
		if (rc != FORMS_EINVAL) {
			free(evi);
			free(canon);
			return FORMS_ENOMEM;
		}
		char *a = fmt("%s: %s", fl->label[0], evi);
		char *b = fmt("%s: %s", form_field_label(fl, FORMS_LANG_EN), een);
		free(evi);
		free(een);
		return add(out, fl->id, a, b);
	}
	if (rc != 0)
		return rc;
	if (strcmp(canon, v) != 0)
		rc = add(out, fl->id,
			 fmt("%s: giá trị \"%s\" chưa ở dạng chuẩn (\"%s\")", fl->label[0], v, canon),
			 fmt("%s: value \"%s\" is not in canonical form (\"%s\")",
			     form_field_label(fl, FORMS_LANG_EN), v, canon));
	free(canon);
	return rc;
}

static void fmt_value(const struct rule *r, int64_t v, char *buf, size_t size)
{
	if (r->is_date) {
		char d[VN_DATE_BUF];
		vn_date_format(vn_date_from_days((int32_t)v), d);
		snprintf(buf, size, "%s", d);
	} else if (r->is_decimal) {
		char w[VN_NUM_BUF];
		int64_t frac = v % 1000;
		vn_int_format(v / 1000, w);
		if (frac) {
			char fr[5];
			snprintf(fr, sizeof fr, "%03lld", (long long)(frac < 0 ? -frac : frac));
			for (int i = 2; i > 0 && fr[i] == '0'; i--)
				fr[i] = '\0';
			snprintf(buf, size, "%s%s,%s", v < 0 && v > -1000 ? "-" : "", w, fr);
		} else {
			snprintf(buf, size, "%s", w);
		}
	} else {
		char w[VN_NUM_BUF];
		vn_int_format(v, w);
		snprintf(buf, size, "%s", w);
	}
}

/* "Label a + Label b - 2" in lang (malloc'd). */
static char *describe(const struct form *f, const struct expr *e, enum forms_lang lang)
{
	char *s = strdup("");
	for (size_t i = 0; s && i < e->n; i++) {
		const struct term *t = &e->t[i];
		char num[VN_NUM_BUF];
		const char *what = num;
		if (t->kind == TERM_INT)
			vn_int_format(t->k, num);
		else
			what = form_field_label(form_field_find(f, t->field), lang);
		const char *sep = i == 0 ? (t->sign < 0 ? "-" : "") : (t->sign < 0 ? " - " : " + ");
		const char *prev = t->kind != TERM_PREV ? ""
				   : lang == FORMS_LANG_EN ? " (previous period)" : " (kỳ trước)";
		char *n = fmt("%s%s%s%s", s, sep, what, prev);
		free(s);
		s = n;
	}
	return s;
}

static const char *op_words(enum cmp_op op, enum forms_lang lang)
{
	static const char *const vi[] = {"phải bằng", "phải khác", "phải nhỏ hơn",
					 "không được lớn hơn", "phải lớn hơn", "không được nhỏ hơn"};
	static const char *const en[] = {"must equal", "must differ from", "must be less than",
					 "must not exceed", "must be greater than", "must be at least"};
	return lang == FORMS_LANG_EN ? en[op] : vi[op];
}

/* Replace {left} and {right} in msg; when neither appears, append both. */
static char *fill_message(const char *msg, const char *l, const char *r)
{
	if (!strstr(msg, "{left}") && !strstr(msg, "{right}"))
		return fmt("%s (%s; %s)", msg, l, r);
	size_t cap = strlen(msg) + 4 * (strlen(l) + strlen(r)) + 1;
	char *out = malloc(cap), *o = out;
	if (!out)
		return NULL;
	for (const char *p = msg; *p;) {
		if (strncmp(p, "{left}", 6) == 0 && (size_t)(o - out) + strlen(l) < cap) {
			o = stpcpy(o, l);
			p += 6;
		} else if (strncmp(p, "{right}", 7) == 0 && (size_t)(o - out) + strlen(r) < cap) {
			o = stpcpy(o, r);
			p += 7;
		} else if ((size_t)(o - out) + 1 < cap) {
			*o++ = *p++;
		} else {
			break;
		}
	}
	*o = '\0';
	return out;
}

static char *rule_sentence(const struct form *f, const struct rule *r, const char *lv,
			   const char *rv, enum forms_lang lang)
{
	const char *msg = lang == FORMS_LANG_EN && r->msg[1] ? r->msg[1] : r->msg[0];
	if (msg)
		return fill_message(msg, lv, rv);
	char *ld = describe(f, &r->lhs, lang), *rd = describe(f, &r->rhs, lang);
	char *s = ld && rd ? fmt("%s (%s) %s %s (%s)", ld, lv, op_words(r->op, lang), rd, rv) : NULL;
	free(ld);
	free(rd);
	return s;
}

static const char *rule_field(const struct form *f, const struct rule *r)
{
	for (int side = 0; side < 2; side++) {
		const struct expr *e = side ? &r->rhs : &r->lhs;
		for (size_t i = 0; i < e->n; i++)
			if (e->t[i].kind == TERM_FIELD)
				return form_field_find(f, e->t[i].field)->id;
	}
	return NULL;
}

/* A rule whose values are all there but cannot be compared must not pass
 * quietly: say why (too_large, else the previous report is damaged). */
static int cannot_check(const struct form *f, const struct rule *r, int too_large,
			struct form_problems *out)
{
	char *d[2][2] = {{NULL, NULL}, {NULL, NULL}}, *vi = NULL, *en = NULL;
	for (int l = 0; l < 2; l++) {
		d[l][0] = describe(f, &r->lhs, (enum forms_lang)l);
		d[l][1] = describe(f, &r->rhs, (enum forms_lang)l);
	}
	if (d[0][0] && d[0][1] && d[1][0] && d[1][1]) {
		vi = fmt("Không kiểm tra được: %s %s %s, vì %s", d[0][0], op_words(r->op, FORMS_LANG_VI),
			 d[0][1],
			 too_large ? "các số quá lớn để tính"
				   : "báo cáo kỳ trước có giá trị không hợp lệ");
		en = fmt("Cannot check: %s %s %s, as %s", d[1][0], op_words(r->op, FORMS_LANG_EN),
			 d[1][1],
			 too_large ? "the numbers are too large to compute"
				   : "the previous period's report has an invalid value");
	}
	for (int l = 0; l < 2; l++) {
		free(d[l][0]);
		free(d[l][1]);
	}
	return add(out, rule_field(f, r), vi, en);
}

static int check_rule(const struct form *f, const struct rule *r, const struct kv *values,
		      const struct kv *previous, struct form_problems *out)
{
	int64_t a, b;
	if (r->has_when && !cond_holds(&r->when, values))
		return 0;
	if (r->uses_prev && !previous)
		return 0;
	int ra = expr_eval(f, &r->lhs, values, previous, r->is_decimal, &a);
	int rb = expr_eval(f, &r->rhs, values, previous, r->is_decimal, &b);
	if (ra == EVAL_RANGE || rb == EVAL_RANGE || ra == EVAL_BAD_PREV || rb == EVAL_BAD_PREV)
		return cannot_check(f, r, ra == EVAL_RANGE || rb == EVAL_RANGE, out);
	if (ra != 1 || rb != 1)
		return 0; /* missing or invalid: the required and value checks speak */
	if (op_holds(r->op, a, b))
		return 0;
	char lv[48], rv[48];
	fmt_value(r, a, lv, sizeof lv);
	fmt_value(r, b, rv, sizeof rv);
	return add(out, rule_field(f, r), rule_sentence(f, r, lv, rv, FORMS_LANG_VI),
		   rule_sentence(f, r, lv, rv, FORMS_LANG_EN));
}

static int check_rate(const struct form *f, const struct form_rate *rt, const struct kv *values,
		      struct form_problems *out)
{
	int64_t n, d;
	if (field_number(f, form_field_find(f, rt->num), values, 0, &n) != 1 ||
	    field_number(f, form_field_find(f, rt->den), values, 0, &d) != 1 || n <= d)
		return 0;
	char a[VN_NUM_BUF], b[VN_NUM_BUF];
	vn_int_format(n, a);
	vn_int_format(d, b);
	return add(out, rt->num,
		   fmt("%s: tử số (%s) không được lớn hơn mẫu số (%s)", rt->label[0], a, b),
		   fmt("%s: the numerator (%s) must not exceed the denominator (%s)",
		       form_rate_label(rt, FORMS_LANG_EN), a, b));
}

int form_validate(const struct form *f, const struct kv *values, const struct kv *previous,
		  enum forms_level level, enum forms_check mode, struct form_problems *out)
{
	size_t before = out->n;
	int rc = 0;

	for (size_t i = 0; i < values->n && rc == 0; i++) {
		const char *name = values->v[i].name, *v = values->v[i].value;
		const struct form_field *fl = form_field_find(f, name);
		if (!fl && strchr(name, ':'))
			continue; /* the application's own note (forms.h), not a value */
		if (!fl)
			rc = add(out, NULL, fmt("Biểu mẫu không có trường \"%s\"", name),
				 fmt("The form has no field \"%s\"", name));
		else if (*v)
			rc = check_value(fl, v, out);
	}
	if (mode == FORMS_CHECK_SUBMIT) {
		for (size_t i = 0; i < f->nfield && rc == 0; i++) {
			const struct form_field *fl = f->field[i];
			const char *v = kv_get(values, fl->id);
			int need = fl->required == 1 ||
				   (fl->required == 2 && cond_holds(&fl->req_when, values));
			if (need && (!v || !*v))
				rc = add(out, fl->id, fmt("Vui lòng nhập %s", fl->label[0]),
					 fmt("Please fill in %s", form_field_label(fl, FORMS_LANG_EN)));
		}
		for (size_t i = 0; i < f->nrule && rc == 0; i++)
			if (f->rule[i].scope < 0 || f->rule[i].scope == (int)level)
				rc = check_rule(f, &f->rule[i], values, previous, out);
		for (size_t i = 0; i < f->nrate && rc == 0; i++)
			rc = check_rate(f, f->rate[i], values, out);
	}
	if (rc != 0)
		return rc;
	return out->n > before ? FORMS_ECHECK : 0;
}
