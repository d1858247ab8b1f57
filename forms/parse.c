/*
 * forms/parse.c: reads one .form file (format: docs/forms.md).
 *
 * One directive per line: a keyword, then its arguments.  Lines starting
 * with '#' are comments; indentation is for people and means nothing.
 * Attribute lines (label, required, option, message, target, ...) attach to
 * the nearest object above them (the form, a section, a field, a rule or a
 * rate).  The parser never stops at the first error: each bad line is
 * reported and skipped, and checks that need the whole file (unknown fields
 * in rules, fields used before they exist) run at the end.
 */
#include "forms/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* CTX_SKIP: the object above failed (and was reported); its attribute lines
 * are skipped quietly instead of each adding a confusing error. */
enum ctx { CTX_FORM, CTX_SECTION, CTX_FIELD, CTX_RULE, CTX_RATE, CTX_FILL, CTX_SKIP };

struct fparse {
	struct perr pe;
	struct form *f;
	enum ctx ctx;
	int line;
	int have_form, have_version, have_title;
	int seen[32]; /* per directive: the line it was first given on (ONCE_*) */
	struct nameset sections, options, filled; /* options: of the current field */
};

#define E(...) perr_at(&fp->pe, fp->line, __VA_ARGS__)

static struct form_section *cur_section(struct fparse *fp)
{
	return fp->f->nsection ? fp->f->section[fp->f->nsection - 1] : NULL;
}

static struct form_field *cur_field(struct fparse *fp)
{
	return fp->f->nfield ? fp->f->field[fp->f->nfield - 1] : NULL;
}

static struct rule *cur_rule(struct fparse *fp)
{
	return fp->f->nrule ? &fp->f->rule[fp->f->nrule - 1] : NULL;
}

static struct form_rate *cur_rate(struct fparse *fp)
{
	return fp->f->nrate ? fp->f->rate[fp->f->nrate - 1] : NULL;
}

static int set_text(struct fparse *fp, char **dst, const char *kw, const char *s)
{
	if (!*s) {
		E("'%s' cần một nội dung", "'%s' needs a text", kw);
		return -1;
	}
	if (*dst) {
		E("'%s' bị lặp lại", "'%s' given twice", kw);
		return -1;
	}
	*dst = xstrdup_nfc(s);
	if (!*dst)
		fp->pe.nomem = 1;
	return 0;
}

/* One bound of an integer or decimal range (milli when dec): 0, -1 not a
 * number, -2 beyond +-FORMS_NUM_LIMIT, so that every value of a field and
 * its x1000 scaling fit in 64 bits with room for sums. */
static int parse_bound(char *s, int dec, int64_t *out)
{
	int64_t v;
	int rc;
	if (dec) {
		for (char *p = s; *p; p++)
			*p = *p == ',' ? '.' : *p;
		rc = parse_milli(s, &v);
	} else {
		rc = parse_i64(s, &v);
		if (rc != 0 && s[*s == '-'] && strspn(s + (*s == '-'), "0123456789") ==
						      strlen(s + (*s == '-')))
			rc = -2; /* digits only: too big for int64 */
	}
	if (rc != 0)
		return rc;
	int64_t lim = dec ? FORMS_NUM_LIMIT * 1000 : FORMS_NUM_LIMIT;
	if (v > lim || v < -lim)
		return -2;
	*out = v;
	return 0;
}

/* "MIN..MAX" as integers (milli when dec, days when date): 0, -1 bad
 * syntax, -2 a bound out of range. */
static int parse_range(const char *s, enum form_type type, int64_t *min, int64_t *max)
{
	const char *dots = strstr(s, "..");
	char a[64], b[64];
	size_t al;

	if (!dots || (al = (size_t)(dots - s)) >= sizeof a || strlen(dots + 2) >= sizeof b)
		return -1;
	memcpy(a, s, al);
	a[al] = '\0';
	strcpy(b, dots + 2);
	char *pa = trim(a), *pb = trim(b);
	if (type == FORM_DATE) {
		struct vn_date da, db;
		int today = strcmp(pb, "today") == 0;
		if (vn_date_parse(pa, &da) != 0 || (!today && vn_date_parse(pb, &db) != 0))
			return -1;
		*min = vn_date_days(da);
		*max = today ? INT32_MAX : vn_date_days(db); /* INT32_MAX: today */
		return 0;
	}
	int ra = parse_bound(pa, type == FORM_DECIMAL, min);
	int rb = parse_bound(pb, type == FORM_DECIMAL, max);
	if (ra == -1 || rb == -1)
		return -1;
	return ra || rb ? -2 : 0;
}

static const struct {
	const char *name;
	enum form_type type;
} type_names[] = {
	{"text", FORM_TEXT},   {"integer", FORM_INTEGER}, {"decimal", FORM_DECIMAL},
	{"date", FORM_DATE},   {"choice", FORM_CHOICE},   {"yesno", FORM_YESNO},
	{"computed", FORM_COMPUTED},
};

const char *form_type_name(enum form_type t)
{
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (type_names[i].type == t)
			return type_names[i].name;
	return "?";
}

static void do_field(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw;
	struct form *f = fp->f;
	char *args, *type, *id = word_split(rest, &rest);
	type = word_split(rest, &args);

	fp->ctx = CTX_SKIP;
	nameset_free(&fp->options);
	if (!cur_section(fp)) {
		E("trường '%s' phải nằm trong một 'section'", "field '%s' must be inside a section", id);
		return;
	}
	if (!is_ident(id)) {
		E("mã trường không hợp lệ '%s' (chữ thường không dấu, số, '_')",
		  "bad field id '%s' (use lower-case ASCII letters, digits and '_')", id);
		return;
	}
	const struct form_field *old = form_field_find(f, id);
	if (old) {
		E("trùng mã trường '%s' (đã có ở dòng %d)", "duplicate field id '%s' (first at line %d)",
		  id, old->line);
		return;
	}
	size_t t;
	for (t = 0; t < sizeof type_names / sizeof type_names[0]; t++)
		if (strcmp(type, type_names[t].name) == 0)
			break;
	if (t == sizeof type_names / sizeof type_names[0]) {
		E("kiểu trường không biết '%s' (text, integer, decimal, date, choice, yesno, computed)",
		  "unknown field type '%s' (text, integer, decimal, date, choice, yesno, computed)",
		  type);
		return;
	}
	struct form_field *fl = calloc(1, sizeof *fl);
	if (!fl || append((void **)&f->field, &f->nfield, &f->capfield, sizeof fl) != 0) {
		free(fl);
		fp->pe.nomem = 1;
		return;
	}
	f->field[f->nfield - 1] = fl;
	if (nameset_put(&f->field_ix, id, (int)(f->nfield - 1)) != 0) {
		fp->pe.nomem = 1;
		return;
	}
	struct form_section *sec = cur_section(fp);
	if (append((void **)&sec->field, &sec->nfield, &sec->capfield, sizeof fl) != 0) {
		fp->pe.nomem = 1;
		return;
	}
	sec->field[sec->nfield - 1] = fl;
	fl->id = strdup(id);
	fl->type = type_names[t].type;
	fl->line = fp->line;
	fp->ctx = CTX_FIELD;
	if (!fl->id) {
		fp->pe.nomem = 1;
		return;
	}
	switch (fl->type) {
	case FORM_TEXT:
		fl->maxlen = 255;
		if (*args) {
			int64_t n;
			if (parse_i64(args, &n) != 0 || n < 1 || n > 100000)
				E("độ dài tối đa không hợp lệ '%s' (1..100000)",
				  "bad maximum length '%s' (1..100000)", args);
			else
				fl->maxlen = (size_t)n;
		}
		break;
	case FORM_INTEGER:
	case FORM_DECIMAL:
	case FORM_DATE:
		if (fl->type != FORM_DATE) {
			fl->has_range = 1;
			fl->min = 0;
			fl->max = fl->type == FORM_DECIMAL ? INT64_C(999999999999) * 1000
							   : INT64_C(999999999999);
		}
		if (*args) {
			int64_t lo, hi;
			int rc = parse_range(args, fl->type, &lo, &hi);
			if (rc == -2)
				E("khoảng giá trị không hợp lệ '%s' (giới hạn vượt quá "
				  "-999.999.999.999.999..999.999.999.999.999)",
				  "bad range '%s' (a bound beyond -999999999999999..999999999999999)",
				  args);
			else if (rc != 0)
				E("khoảng giá trị không hợp lệ '%s' (viết MIN..MAX)",
				  "bad range '%s' (write MIN..MAX)", args);
			else if (lo > hi)
				E("khoảng giá trị không hợp lệ '%s': MIN lớn hơn MAX",
				  "bad range '%s': MIN is greater than MAX", args);
			else {
				fl->has_range = 1;
				fl->min = lo;
				fl->max = hi;
				fl->max_today = fl->type == FORM_DATE && hi == INT32_MAX;
			}
		}
		break;
	case FORM_COMPUTED: {
		const char *evi, *een;
		if (!*args)
			E("trường tính toán '%s' cần một biểu thức", "computed field '%s' needs an expression",
			  id);
		else if (expr_parse(args, 0, &fl->expr, &evi, &een) != 0)
			E("biểu thức sai '%s': %s", "bad expression '%s': %s", args,
			  fp->pe.sink && fp->pe.sink->lang == FORMS_LANG_EN ? een : evi);
		break;
	}
	default:
		if (*args)
			E("kiểu %s không nhận tham số '%s'", "type %s takes no argument '%s'", type, args);
	}
}

static void do_option(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw;
	struct form_field *fl = cur_field(fp);
	if (fp->ctx != CTX_FIELD || fl->type != FORM_CHOICE) {
		E("'option' phải đi sau một trường kiểu choice", "'option' must follow a choice field");
		return;
	}
	char *label, *code = word_split(rest, &label);
	for (const char *p = code; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) {
			E("mã lựa chọn không hợp lệ '%s'", "bad option code '%s'", code);
			return;
		}
	if (!*code || !*label) {
		E("'option' cần mã và nhãn: option MÃ Nhãn | English",
		  "'option' needs a code and a label: option CODE Nhãn | English");
		return;
	}
	if (nameset_get(&fp->options, code) >= 0) {
		E("trùng mã lựa chọn '%s'", "duplicate option code '%s'", code);
		return;
	}
	if (nameset_put(&fp->options, code, fp->line) != 0 ||
	    append((void **)&fl->choice, &fl->nchoice, &fl->capchoice, sizeof *fl->choice) != 0) {
		fp->pe.nomem = 1;
		return;
	}
	struct choice *c = &fl->choice[fl->nchoice - 1];
	char *bar = strchr(label, '|');
	if (bar) {
		*bar = '\0';
		c->label[1] = xstrdup_nfc(trim(bar + 1));
	}
	c->code = strdup(code);
	c->label[0] = xstrdup_nfc(trim(label));
	if (!c->code || !c->label[0] || (bar && !c->label[1]))
		fp->pe.nomem = 1;
}

static void do_rule(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw;
	struct form *f = fp->f;
	const char *evi, *een;
	struct rule r = {0};

	if (rule_parse(rest, &r.lhs, &r.op, &r.rhs, &evi, &een) != 0) {
		E("quy tắc sai '%s': %s", "bad rule '%s': %s", rest,
		  fp->pe.sink && fp->pe.sink->lang == FORMS_LANG_EN ? een : evi);
		fp->ctx = CTX_SKIP;
		return;
	}
	if (append((void **)&f->rule, &f->nrule, &f->caprule, sizeof *f->rule) != 0) {
		expr_free(&r.lhs);
		expr_free(&r.rhs);
		fp->pe.nomem = 1;
		return;
	}
	r.text = strdup(rest);
	r.scope = -1;
	r.line = fp->line;
	f->rule[f->nrule - 1] = r;
	if (!r.text)
		fp->pe.nomem = 1;
	fp->ctx = CTX_RULE;
}

int target_parse(const char *s, struct target *t)
{
	size_t oplen;
	char num[32];
	enum cmp_op op;

	while (*s == ' ')
		s++;
	if (op_parse(s, &op, &oplen) != 0 || op == OP_NE)
		return -1;
	s += oplen;
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	if (n < 2 || n >= sizeof num || s[n - 1] != '%')
		return -1;
	memcpy(num, s, n - 1);
	num[n - 1] = '\0';
	char *p = trim(num);
	for (char *q = p; *q; q++)
		*q = *q == ',' ? '.' : *q;
	if (parse_milli(p, &t->pct_milli) != 0 || t->pct_milli < 0 || t->pct_milli > 100000)
		return -1;
	t->set = 1;
	t->op = op;
	char v[24];
	fmt_milli(t->pct_milli, v, sizeof v, ',');
	snprintf(t->text, sizeof t->text, "%s %s%%", op_text(op), v);
	return 0;
}

static void do_rate(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw;
	struct form *f = fp->f;
	char *args, *id = word_split(rest, &args);
	char *slash = strchr(args, '/');

	fp->ctx = CTX_SKIP;
	if (!is_ident(id)) {
		E("mã tỷ lệ không hợp lệ '%s'", "bad rate id '%s'", id);
		return;
	}
	if (form_rate_find(f, id)) {
		E("trùng mã tỷ lệ '%s'", "duplicate rate id '%s'", id);
		return;
	}
	if (!slash) {
		E("tỷ lệ cần 'TỬ_SỐ / MẪU_SỐ'", "a rate needs 'NUMERATOR / DENOMINATOR'");
		return;
	}
	*slash = '\0';
	char *num = trim(args), *den = trim(slash + 1);
	if (!is_ident(num) || !is_ident(den)) {
		E("tử số và mẫu số phải là mã trường", "numerator and denominator must be field ids");
		return;
	}
	struct form_rate *r = calloc(1, sizeof *r);
	if (!r || append((void **)&f->rate, &f->nrate, &f->caprate, sizeof r) != 0) {
		free(r);
		fp->pe.nomem = 1;
		return;
	}
	f->rate[f->nrate - 1] = r;
	if (nameset_put(&f->rate_ix, id, (int)(f->nrate - 1)) != 0)
		fp->pe.nomem = 1;
	r->form = f;
	r->id = strdup(id);
	r->num = strdup(num);
	r->den = strdup(den);
	r->line = fp->line;
	if (!r->id || !r->num || !r->den)
		fp->pe.nomem = 1;
	fp->ctx = CTX_RATE;
}

static void do_target(struct fparse *fp, const char *kw, char *rest)
{
	struct form_rate *r = cur_rate(fp);
	struct target t = {0};

	if (fp->ctx != CTX_RATE) {
		E("'%s' phải đi sau một 'rate'", "'%s' must follow a rate", kw);
		return;
	}
	if (target_parse(rest, &t) != 0) {
		E("chỉ tiêu không hợp lệ '%s' (viết ví dụ >= 25%%)", "bad target '%s' (write e.g. >= 25%%)",
		  rest);
		return;
	}
	int all = strcmp(kw, "target") == 0;
	int lvl = strcmp(kw, "target.district") == 0 ? FORMS_LEVEL_DISTRICT : FORMS_LEVEL_COMMUNE;
	t.line = fp->line;
	for (int k = 0; k < 2; k++)
		if ((all || k == lvl) && r->tgt[k].set) {
			E("'%s' bị lặp lại (đã có chỉ tiêu ở dòng %d)",
			  "'%s' given twice (a target was set at line %d)", kw, r->tgt[k].line);
			return;
		}
	for (int k = 0; k < 2; k++)
		if (all || k == lvl)
			r->tgt[k] = t;
}

/* Labels, help, messages: which object, which language. */
static void do_label(struct fparse *fp, const char *kw, char *rest)
{
	int en = strchr(kw, '.') != NULL;
	char **dst = NULL;

	if (strncmp(kw, "title", 5) == 0) {
		if (fp->ctx != CTX_FORM && fp->ctx != CTX_SECTION) {
			E("'%s' chỉ dùng cho biểu mẫu hoặc section", "'%s' belongs to the form or a section",
			  kw);
			return;
		}
		dst = fp->ctx == CTX_FORM ? &fp->f->title[en] : &cur_section(fp)->title[en];
		if (fp->ctx == CTX_FORM && !en)
			fp->have_title = 1;
	} else if (strncmp(kw, "label", 5) == 0) {
		if (fp->ctx == CTX_SECTION)
			dst = &cur_section(fp)->title[en];
		else if (fp->ctx == CTX_FIELD)
			dst = &cur_field(fp)->label[en];
		else if (fp->ctx == CTX_RATE)
			dst = &cur_rate(fp)->label[en];
	} else if (strncmp(kw, "help", 4) == 0) {
		if (fp->ctx == CTX_FIELD)
			dst = &cur_field(fp)->help[en];
	} else if (fp->ctx == CTX_RULE) { /* message */
		dst = &cur_rule(fp)->msg[en];
	}
	if (!dst) {
		E("'%s' không đi sau đối tượng phù hợp", "'%s' does not follow anything it can belong to",
		  kw);
		return;
	}
	set_text(fp, dst, kw, rest);
}

static void do_required(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw;
	struct form_field *fl = cur_field(fp);
	if (fp->ctx != CTX_FIELD) {
		E("'required' phải đi sau một trường", "'required' must follow a field");
		return;
	}
	if (fl->type == FORM_COMPUTED) {
		E("trường tính toán không thể bắt buộc", "a computed field cannot be required");
		return;
	}
	if (!*rest) {
		fl->required = 1;
		return;
	}
	char *cond, *w = word_split(rest, &cond);
	if (strcmp(w, "when") != 0 || cond_parse(cond, &fl->req_when) != 0) {
		E("viết 'required' hoặc 'required when TRƯỜNG = GIÁ_TRỊ'",
		  "write 'required' or 'required when FIELD = VALUE'");
		return;
	}
	fl->required = 2;
}

static void do_when(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw;
	struct rule *r = cur_rule(fp);
	if (fp->ctx != CTX_RULE) {
		E("'when' phải đi sau một 'rule'", "'when' must follow a rule");
		return;
	}
	if (cond_parse(rest, &r->when) != 0) {
		E("điều kiện không hợp lệ '%s' (viết TRƯỜNG = GIÁ_TRỊ)",
		  "bad condition '%s' (write FIELD = VALUE)", rest);
		return;
	}
	r->has_when = 1;
}

static void do_scope(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw;
	if (fp->ctx != CTX_RULE) {
		E("'scope' phải đi sau một 'rule'", "'scope' must follow a rule");
		return;
	}
	if (strcmp(rest, "commune") == 0)
		cur_rule(fp)->scope = FORMS_LEVEL_COMMUNE;
	else if (strcmp(rest, "district") == 0)
		cur_rule(fp)->scope = FORMS_LEVEL_DISTRICT;
	else
		E("phạm vi không hợp lệ '%s' (commune hoặc district)",
		  "bad scope '%s' (commune or district)", rest);
}

static void do_section(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw;
	struct form *f = fp->f;
	char *title, *id = word_split(rest, &title);

	fp->ctx = CTX_SKIP;
	if (!is_ident(id)) {
		E("mã section không hợp lệ '%s'", "bad section id '%s'", id);
		return;
	}
	if (nameset_get(&fp->sections, id) >= 0) {
		E("trùng mã section '%s'", "duplicate section id '%s'", id);
		return;
	}
	struct form_section *s = calloc(1, sizeof *s);
	if (!s || nameset_put(&fp->sections, id, fp->line) != 0 || append((void **)&f->section, &f->nsection, &f->capsection, sizeof s) != 0) {
		free(s);
		fp->pe.nomem = 1;
		return;
	}
	f->section[f->nsection - 1] = s;
	s->id = strdup(id);
	s->line = fp->line;
	if (!s->id)
		fp->pe.nomem = 1;
	fp->ctx = CTX_SECTION;
	if (*title)
		set_text(fp, &s->title[0], "section", title);
}

static void do_header(struct fparse *fp, const char *kw, char *rest)
{
	struct form *f = fp->f;
	if (fp->f->nsection) {
		E("'%s' phải ở đầu tệp, trước các section", "'%s' belongs at the top, before any section",
		  kw);
		return;
	}
	if (strcmp(kw, "form") == 0) {
		if (!is_form_id(rest))
			E("mã biểu mẫu không hợp lệ '%s' (chữ thường không dấu, số, '-')",
			  "bad form id '%s' (lower-case ASCII letters, digits, '-')", rest);
		else if (!(f->id = strdup(rest)))
			fp->pe.nomem = 1;
		fp->have_form = 1;
		f->line = fp->line;
	} else if (strcmp(kw, "version") == 0) {
		int64_t v;
		if (parse_i64(rest, &v) != 0 || v < 1 || v > 1000000)
			E("phiên bản không hợp lệ '%s' (số nguyên dương)",
			  "bad version '%s' (a positive integer)", rest);
		else
			f->version = (int)v;
		fp->have_version = 1;
	} else if (strcmp(kw, "kind") == 0) {
		if (strcmp(rest, "report") == 0)
			f->kind = FORM_KIND_REPORT;
		else if (strcmp(rest, "register") == 0)
			f->kind = FORM_KIND_REGISTER;
		else
			E("loại biểu mẫu không hợp lệ '%s' (report hoặc register)",
			  "bad kind '%s' (report or register)", rest);
	}
}

/* summary F1 F2 ...: the fields shown for an entry in a list, in order. */
static void do_summary(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw;
	struct form *f = fp->f;
	f->summary_line = fp->line;
	for (char *save = NULL, *w = strtok_r(rest, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		if (append((void **)&f->summary, &f->nsummary, &f->capsummary, sizeof *f->summary) !=
			    0 ||
		    !(f->summary[f->nsummary - 1] = strdup(w))) {
			fp->pe.nomem = 1;
			return;
		}
	}
	if (!f->nsummary)
		E("'summary' cần ít nhất một trường", "'summary' needs at least one field");
}

static void do_multiline(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw, (void)rest;
	if (fp->ctx != CTX_FIELD || cur_field(fp)->type != FORM_TEXT)
		E("'multiline' phải đi sau một trường text", "'multiline' must follow a text field");
	else
		cur_field(fp)->multiline = 1;
}

static void do_unique(struct fparse *fp, const char *kw, char *rest)
{
	(void)kw, (void)rest;
	if (fp->ctx != CTX_FIELD ||
	    (cur_field(fp)->type != FORM_TEXT && cur_field(fp)->type != FORM_INTEGER))
		E("'unique' phải đi sau một trường text hoặc integer",
		  "'unique' must follow a text or integer field");
	else
		cur_field(fp)->unique = 1;
}

static void do_fill(struct fparse *fp, const char *kw, char *rest)
{
	fill_directive(&fp->pe, fp->line, fp->f, &fp->filled, kw, rest);
	fp->ctx = CTX_FILL;
}

/* How often a directive may be given: any number of times, once per
 * object (the form before its first section, a section, a field, a rule,
 * a rate), or once per file.  Repeats are refused here, in one place, so no
 * handler ever overwrites (and leaks) what the first line stored. */
enum once { REPEAT, ONCE_OBJECT, ONCE_FILE };

static const struct directive {
	const char *kw;
	void (*fn)(struct fparse *fp, const char *kw, char *rest);
	unsigned char once;
	unsigned char attr;  /* attaches to the object above: skipped after a bad one */
	unsigned char start; /* starts a new object */
} directives[] = {
	{"form", do_header, ONCE_FILE, 0, 0},
	{"version", do_header, ONCE_FILE, 0, 0},
	{"kind", do_header, ONCE_FILE, 0, 0},
	{"title", do_label, ONCE_OBJECT, 1, 0},
	{"title.en", do_label, ONCE_OBJECT, 1, 0},
	{"label", do_label, ONCE_OBJECT, 1, 0},
	{"label.en", do_label, ONCE_OBJECT, 1, 0},
	{"help", do_label, ONCE_OBJECT, 1, 0},
	{"help.en", do_label, ONCE_OBJECT, 1, 0},
	{"message", do_label, ONCE_OBJECT, 1, 0},
	{"message.en", do_label, ONCE_OBJECT, 1, 0},
	{"section", do_section, REPEAT, 0, 1},
	{"field", do_field, REPEAT, 0, 1},
	{"option", do_option, REPEAT, 1, 0},
	{"required", do_required, ONCE_OBJECT, 1, 0},
	{"multiline", do_multiline, ONCE_OBJECT, 1, 0},
	{"unique", do_unique, ONCE_OBJECT, 1, 0},
	{"rule", do_rule, REPEAT, 0, 1},
	{"when", do_when, ONCE_OBJECT, 1, 0},
	{"scope", do_scope, ONCE_OBJECT, 1, 0},
	{"rate", do_rate, REPEAT, 0, 1},
	/* target and target.commune both set the commune's target: do_target
	 * refuses a second one for a level, naming the line of the first. */
	{"target", do_target, REPEAT, 1, 0},
	{"target.commune", do_target, REPEAT, 1, 0},
	{"target.district", do_target, REPEAT, 1, 0},
	{"summary", do_summary, ONCE_FILE, 0, 0},
	{"fill.source", do_fill, ONCE_FILE, 0, 0},
	{"fill.dates", do_fill, ONCE_FILE, 0, 0},
	{"fill.exclude", do_fill, REPEAT, 0, 0},
	{"fill.paused", do_fill, REPEAT, 0, 0},
	{"fill", do_fill, REPEAT, 0, 0},
};
#define NDIRECTIVE (sizeof directives / sizeof directives[0])
_Static_assert(NDIRECTIVE <= sizeof ((struct fparse *)0)->seen / sizeof(int),
	       "fparse.seen holds one line per directive");

static void dispatch(struct fparse *fp, const char *kw, char *rest)
{
	size_t i;
	for (i = 0; i < NDIRECTIVE && strcmp(kw, directives[i].kw) != 0; i++)
		;
	if (i == NDIRECTIVE) {
		E("từ khóa không biết '%s'", "unknown directive '%s'", kw);
		return;
	}
	const struct directive *d = &directives[i];
	if (fp->ctx == CTX_SKIP && d->attr)
		return;
	if (d->start)
		for (size_t k = 0; k < NDIRECTIVE; k++)
			if (directives[k].once == ONCE_OBJECT)
				fp->seen[k] = 0;
	if (d->once != REPEAT && perr_once(&fp->pe, fp->line, kw, &fp->seen[i]) != 0)
		return;
	d->fn(fp, kw, rest);
}

int form_parse_file(const struct forms_sink *sink, const char *path, struct form **out)
{
	struct fparse fpv = {0}, *fp = &fpv;
	struct lines ls = {0};
	int rc;

	fp->pe.sink = sink;
	fp->pe.path = path;
	rc = lines_read(&fp->pe, path, &ls);
	if (rc != 0)
		return rc;
	fp->f = calloc(1, sizeof *fp->f);
	if (!fp->f || !(fp->f->path = strdup(path))) {
		rc = FORMS_ENOMEM;
		goto fail_lines;
	}
	fp->ctx = CTX_FORM;
	for (size_t i = 0; i < ls.n && !fp->pe.nomem; i++) {
		char *rest, *s = trim(ls.line[i]);
		fp->line = (int)i + 1;
		if (!*s || *s == '#')
			continue;
		const char *kw = word_split(s, &rest);
		dispatch(fp, kw, rest);
	}
	fp->line = 1;
	if (!fp->have_form)
		E("thiếu dòng 'form MÃ'", "missing 'form ID' line");
	if (!fp->have_version)
		E("thiếu dòng 'version N'", "missing 'version N' line");
	if (!fp->have_title)
		E("thiếu dòng 'title Tên biểu mẫu'", "missing 'title' line");
	if (!fp->pe.nomem)
		form_check_refs(&fp->pe, fp->f);
	if (fp->pe.nomem) {
		rc = FORMS_ENOMEM;
		goto fail_form;
	}
	if (fp->pe.nerr) {
		rc = FORMS_EPARSE;
		goto fail_form;
	}
	lines_free(&ls);
	nameset_free(&fp->sections);
	nameset_free(&fp->options);
	nameset_free(&fp->filled);
	*out = fp->f;
	return 0;
fail_form:
	form_destroy(fp->f);
fail_lines:
	lines_free(&ls);
	nameset_free(&fp->sections);
	nameset_free(&fp->options);
	nameset_free(&fp->filled);
	return rc;
}
