/*
 * forms/expr.c: the small expression language of rules and computed fields.
 *
 *   rule  := sum OP sum            OP: = == != < <= > >=
 *   sum   := term (('+' | '-') term)*
 *   term  := INTEGER | FIELD | previous.FIELD | '-' term | '(' sum ')'
 *
 * Nothing else: no multiplication, no functions, no strings, so a form file
 * cannot make the program do anything but add, subtract and compare.  A sum
 * is flattened at parse time into signed terms (a - (b - 2) = a - b + 2), so
 * evaluation is one loop.  Conditions (`when`, fill filters) are a separate,
 * even smaller form: FIELD = v1,v2 or FIELD != v, on canonical text.
 */
#include "forms/internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/vnfmt.h"

struct lexer {
	const char *p;
	int allow_prev;
	const char *evi, *een;
	struct expr *out;
};

static void skip(struct lexer *lx)
{
	while (*lx->p == ' ' || *lx->p == '\t')
		lx->p++;
}

static int fail(struct lexer *lx, const char *vi, const char *en)
{
	if (!lx->evi) {
		lx->evi = vi;
		lx->een = en;
	}
	return -1;
}

static int add_term(struct lexer *lx, int sign, enum term_kind kind, int64_t k, const char *name,
		    size_t len)
{
	struct expr *e = lx->out;
	/* Grown by doubling: a 64 KiB line of "1+1+..." stays linear. */
	if (append((void **)&e->t, &e->n, &e->cap, sizeof *e->t) != 0)
		return fail(lx, "hết bộ nhớ", "out of memory");
	struct term *t = &e->t[e->n - 1];
	t->sign = sign;
	t->kind = kind;
	t->k = k;
	if (name) {
		t->field = strndup(name, len);
		if (!t->field)
			return fail(lx, "hết bộ nhớ", "out of memory");
	}
	return 0;
}

static int parse_sum(struct lexer *lx, int sign, int depth);

static int parse_term(struct lexer *lx, int sign, int depth)
{
	skip(lx);
	/* A loop, not recursion: a line of a million '-' must not use the stack. */
	while (*lx->p == '-') {
		lx->p++;
		sign = -sign;
		skip(lx);
	}
	const char *p = lx->p;
	if (*p == '(') {
		if (depth > 16)
			return fail(lx, "lồng ngoặc quá sâu", "parentheses nested too deep");
		lx->p++;
		if (parse_sum(lx, sign, depth + 1) != 0)
			return -1;
		skip(lx);
		if (*lx->p != ')')
			return fail(lx, "thiếu dấu ')'", "missing ')'");
		lx->p++;
		return 0;
	}
	if (*p >= '0' && *p <= '9') {
		int64_t v = 0;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (*p++ - '0');
			if (v > FORMS_NUM_LIMIT)
				return fail(lx, "số quá lớn (tối đa 999.999.999.999.999)",
					    "number too large (at most 999999999999999)");
		}
		if ((*p >= 'a' && *p <= 'z') || *p == '_' || *p == '.' || *p == ',')
			return fail(lx, "số không hợp lệ (chỉ dùng số nguyên)",
				    "bad number (integers only)");
		lx->p = p;
		return add_term(lx, sign, TERM_INT, v, NULL, 0);
	}
	if (*p >= 'a' && *p <= 'z') {
		enum term_kind kind = TERM_FIELD;
		if (strncmp(p, "previous.", 9) == 0) {
			if (!lx->allow_prev)
				return fail(lx, "không dùng được previous. ở đây",
					    "previous. is not allowed here");
			kind = TERM_PREV;
			p += 9;
			if (!(*p >= 'a' && *p <= 'z'))
				return fail(lx, "thiếu mã trường sau previous.",
					    "missing field id after previous.");
		}
		const char *s = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
			p++;
		if (*p == '.' || (*p >= 'A' && *p <= 'Z') || (unsigned char)*p >= 0x80)
			return fail(lx, "mã trường chỉ gồm chữ thường không dấu, số và '_'",
				    "field ids are lower-case ASCII letters, digits and '_'");
		lx->p = p;
		return add_term(lx, sign, kind, 0, s, (size_t)(p - s));
	}
	if (!*p)
		return fail(lx, "biểu thức bị thiếu", "expression is incomplete");
	return fail(lx, "ký tự không hợp lệ trong biểu thức (chỉ dùng số, mã trường, + - và so sánh)",
		    "unexpected character in expression (use numbers, field ids, + - and a comparison)");
}

static int parse_sum(struct lexer *lx, int sign, int depth)
{
	if (parse_term(lx, sign, depth) != 0)
		return -1;
	for (;;) {
		skip(lx);
		if (*lx->p == '+' || *lx->p == '-') {
			int s = *lx->p == '+' ? sign : -sign;
			lx->p++;
			if (parse_term(lx, s, depth) != 0)
				return -1;
		} else {
			return 0;
		}
	}
}

void expr_free(struct expr *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->t[i].field);
	free(e->t);
	free(e->text);
	memset(e, 0, sizeof *e);
}

static int parse_side(const char *s, size_t len, int allow_prev, struct expr *out,
		      const char **evi, const char **een)
{
	struct lexer lx = {0};
	char *copy = strndup(s, len);

	memset(out, 0, sizeof *out);
	if (!copy) {
		*evi = "hết bộ nhớ";
		*een = "out of memory";
		return -1;
	}
	lx.p = copy;
	lx.allow_prev = allow_prev;
	lx.out = out;
	if (parse_sum(&lx, 1, 0) == 0) {
		skip(&lx);
		if (*lx.p == ')')
			fail(&lx, "thừa dấu ')'", "unbalanced ')'");
		else if (*lx.p)
			fail(&lx, "ký tự không hợp lệ trong biểu thức (chỉ dùng số, mã trường, + - và so sánh)",
			     "unexpected character in expression (use numbers, field ids, + - and a "
			     "comparison)");
	}
	if (lx.evi) {
		*evi = lx.evi;
		*een = lx.een;
		free(copy);
		expr_free(out);
		return -1;
	}
	out->text = copy;
	char *t = trim(copy);
	memmove(copy, t, strlen(t) + 1);
	return 0;
}

int expr_parse(const char *s, int allow_prev, struct expr *out, const char **err_vi,
	       const char **err_en)
{
	return parse_side(s, strlen(s), allow_prev, out, err_vi, err_en);
}

int op_parse(const char *s, enum cmp_op *op, size_t *len)
{
	static const struct {
		const char *s;
		enum cmp_op op;
	} ops[] = {{"<=", OP_LE}, {">=", OP_GE}, {"!=", OP_NE}, {"==", OP_EQ},
		   {"<", OP_LT},  {">", OP_GT},  {"=", OP_EQ}};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t l = strlen(ops[i].s);
		if (strncmp(s, ops[i].s, l) == 0) {
			*op = ops[i].op;
			*len = l;
			return 0;
		}
	}
	return -1;
}

int rule_parse(const char *s, struct expr *lhs, enum cmp_op *op, struct expr *rhs,
	       const char **err_vi, const char **err_en)
{
	const char *p = s;
	size_t oplen = 0;

	while (*p && op_parse(p, op, &oplen) != 0)
		p++;
	if (!*p) {
		*err_vi = "quy tắc cần một phép so sánh (=, !=, <, <=, >, >=)";
		*err_en = "a rule needs a comparison (=, !=, <, <=, >, >=)";
		return -1;
	}
	if (parse_side(s, (size_t)(p - s), 1, lhs, err_vi, err_en) != 0)
		return -1;
	if (parse_side(p + oplen, strlen(p + oplen), 1, rhs, err_vi, err_en) != 0) {
		expr_free(lhs);
		return -1;
	}
	return 0;
}

const char *op_text(enum cmp_op op)
{
	static const char *const t[] = {"=", "!=", "<", "<=", ">", ">="};
	return t[op];
}

int op_holds(enum cmp_op op, int64_t a, int64_t b)
{
	switch (op) {
	case OP_EQ: return a == b;
	case OP_NE: return a != b;
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_GE: return a >= b;
	}
	return 0;
}

/* ---------------------------------------------------------- conditions */

void cond_free(struct cond *c)
{
	free(c->field);
	for (size_t i = 0; i < c->nval; i++)
		free(c->val[i]);
	free(c->val);
	memset(c, 0, sizeof *c);
}

int cond_parse(const char *s, struct cond *out)
{
	const char *eq = strchr(s, '=');
	memset(out, 0, sizeof *out);
	if (!eq || eq == s)
		return -1;
	int neg = eq[-1] == '!';
	const char *fend = neg ? eq - 1 : eq;
	while (fend > s && (fend[-1] == ' ' || fend[-1] == '\t'))
		fend--;
	out->field = strndup(s, (size_t)(fend - s));
	out->neg = neg;
	if (!out->field || !is_ident(out->field))
		goto fail;
	const char *v = eq + 1;
	for (;;) {
		while (*v == ' ' || *v == '\t')
			v++;
		const char *e = v;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > v && (t[-1] == ' ' || t[-1] == '\t'))
			t--;
		if (t == v)
			goto fail;
		if (append((void **)&out->val, &out->nval, &out->capval, sizeof *out->val) != 0)
			goto fail;
		out->val[out->nval - 1] = strndup(v, (size_t)(t - v));
		if (!out->val[out->nval - 1])
			goto fail;
		if (!*e)
			break;
		v = e + 1;
	}
	return 0;
fail:
	cond_free(out);
	return -1;
}

int cond_holds(const struct cond *c, const struct kv *values)
{
	const char *v = kv_get(values, c->field);
	int match = 0;
	if (!v)
		v = "";
	for (size_t i = 0; i < c->nval && !match; i++)
		match = strcmp(v, c->val[i]) == 0;
	return c->neg ? !match : match;
}

/* ---------------------------------------------------------- evaluation */

static int is_iso_date(const char *s)
{
	return strlen(s) == 10 && s[4] == '-' && s[7] == '-';
}

int field_number(const struct form *f, const struct form_field *fl, const struct kv *values,
		 int scale_milli, int64_t *out)
{
	int64_t v;
	int rc;

	if (fl->type == FORM_COMPUTED)
		return expr_eval(f, &fl->expr, values, NULL, scale_milli, out);
	const char *s = kv_get(values, fl->id);
	if (!s || !*s)
		return 0;
	switch (fl->type) {
	case FORM_INTEGER:
	case FORM_YESNO:
		if (parse_i64(s, &v) != 0)
			return EVAL_BAD;
		if (scale_milli && __builtin_mul_overflow(v, 1000, &v))
			return EVAL_RANGE;
		*out = v;
		return 1;
	case FORM_DECIMAL:
		rc = parse_milli(s, &v);
		if (rc != 0)
			return rc == -2 ? EVAL_RANGE : EVAL_BAD;
		*out = scale_milli ? v : v / 1000;
		return 1;
	case FORM_DATE: {
		struct vn_date d;
		if (!is_iso_date(s) || vn_date_parse(s, &d) != 0)
			return -1;
		*out = vn_date_days(d);
		return 1;
	}
	default:
		return EVAL_BAD;
	}
}

int expr_eval(const struct form *f, const struct expr *e, const struct kv *values,
	      const struct kv *previous, int scale_milli, int64_t *out)
{
	int64_t sum = 0;
	int missing = 0, bad = 0, bad_prev = 0;

	/* Every term is looked at, so a missing value does not hide a bad one
	 * and the result does not depend on the order of the terms. */
	for (size_t i = 0; i < e->n; i++) {
		const struct term *t = &e->t[i];
		int64_t v = 0;
		if (t->kind == TERM_INT) {
			if (scale_milli && __builtin_mul_overflow(t->k, 1000, &v))
				return EVAL_RANGE;
			if (!scale_milli)
				v = t->k;
		} else {
			const struct kv *src = t->kind == TERM_PREV ? previous : values;
			const struct form_field *fl = form_field_find(f, t->field);
			if (!src || !fl) {
				missing = 1;
				continue;
			}
			int r = field_number(f, fl, src, scale_milli, &v);
			if (r == EVAL_RANGE)
				return EVAL_RANGE;
			if (r == EVAL_BAD && t->kind == TERM_PREV)
				r = EVAL_BAD_PREV;
			if (r != 1) {
				bad_prev |= r == EVAL_BAD_PREV;
				bad |= r == EVAL_BAD;
				missing |= r == 0;
				continue;
			}
		}
		if (t->sign < 0 ? __builtin_sub_overflow(sum, v, &sum)
				: __builtin_add_overflow(sum, v, &sum))
			return EVAL_RANGE;
	}
	if (bad_prev)
		return EVAL_BAD_PREV;
	if (bad)
		return EVAL_BAD;
	if (missing)
		return 0;
	*out = sum;
	return 1;
}
