/*
 * forms/periods.c: reporting periods, read from .periods files.
 *
 * A file holds rules, periods, or both:
 *
 *   years 2021..2027                     the years the file's rules make
 *   rule Q1                              one period a year, id YEAR-Q1
 *     name      Quý I năm {Y}            {Y}: the year, {Y-1}, {Y+1}: its
 *     name.en   First quarter of {Y}     neighbours
 *     data      15/12/{Y-1} 14/03/{Y}    data window, both days included
 *     deadline  10/03/{Y} exclusive      "trước ngày 10": before 00:00 of the 10th
 *     previous  {Y-1}-Y                  whose pending dossiers carry over
 *
 *   period 2026-Q1                       a period of its own, or, when a
 *     deadline  12/03/2026 exclusive     rule makes 2026-Q1, an override of
 *                                        only the attributes it gives
 *
 * So a new year needs no new file (the rule's years reach it) and a
 * province that moves one deadline writes two lines.  Overrides may sit in
 * any .periods file; they are applied once every file is read
 * (periods_resolve), then the checks of meaning run (periods_check.c).
 *
 * The deadline and the data window are separate on purpose: the district
 * plan's deadline (the 10th) falls before Decree 09/2019's cut-off (the 14th).
 */
#include "forms/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_period_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || *s == '-'))
			return 0;
	return 1;
}

/* 2021 for "2021-Q1", else 0. */
static int year_of_id(const char *id)
{
	for (int i = 0; i < 4; i++)
		if (id[i] < '0' || id[i] > '9')
			return 0;
	return id[4] == '-' ? atoi(id) : 0;
}

static void period_clear(struct forms_period *p)
{
	free(p->id);
	free(p->name[0]);
	free(p->name[1]);
	free(p->previous);
	memset(p, 0, sizeof *p);
}

void periods_free(struct period_list *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		period_clear(&pl->v[i]);
	free(pl->v);
	for (size_t i = 0; i < pl->npath; i++)
		free(pl->paths[i]);
	free(pl->paths);
	memset(pl, 0, sizeof *pl);
}

/* Each attribute is given once per block: the parser refuses a repeat
 * before period_attr sees it, so nothing here is overwritten. */
static const char *const period_attrs[] = {"name", "name.en", "data", "deadline", "previous"};
#define NATTR (sizeof period_attrs / sizeof period_attrs[0])

static void period_attr(struct perr *pe, int line, struct forms_period *p, const char *kw,
			char *rest)
{
	char orig[256]; /* rest as written, for messages: splitting cuts it */
	struct psrc src = {pe->path, line};
	snprintf(orig, sizeof orig, "%s", rest);
	utf8_cut(orig);
	if (!strcmp(kw, "name") || !strcmp(kw, "name.en")) {
		int en = kw[4] == '.';
		if (!*rest) {
			perr_at(pe, line, "'%s' cần một nội dung", "'%s' needs a text", kw);
			return;
		}
		if (!(p->name[en] = xstrdup_nfc(rest)))
			pe->nomem = 1;
		p->set |= en ? PS_NAME_EN : PS_NAME;
	} else if (!strcmp(kw, "data")) {
		char *b, *a = word_split(rest, &b);
		if (vn_date_parse(a, &p->from) != 0 || vn_date_parse(b, &p->to) != 0 ||
		    vn_date_days(p->from) > vn_date_days(p->to)) {
			memset(&p->from, 0, sizeof p->from);
			perr_at(pe, line, "khoảng số liệu không hợp lệ '%s' (viết: data 15/12/2020 14/03/2021)",
				"bad data window '%s' (write: data 15/12/2020 14/03/2021)", orig);
			return;
		}
		p->set |= PS_DATA;
		p->src_data = src;
	} else if (!strcmp(kw, "deadline")) {
		char *mode, *d = word_split(rest, &mode);
		if (vn_date_parse(d, &p->deadline) != 0 ||
		    (*mode && strcmp(mode, "exclusive") && strcmp(mode, "inclusive"))) {
			memset(&p->deadline, 0, sizeof p->deadline);
			perr_at(pe, line, "hạn gửi không hợp lệ '%s' (viết: deadline 10/03/2021 exclusive|inclusive)",
				"bad deadline '%s' (write: deadline 10/03/2021 exclusive|inclusive)", orig);
			return;
		}
		p->inclusive = strcmp(mode, "inclusive") == 0;
		p->set |= PS_DEADLINE;
		p->src_deadline = src;
	} else if (!strcmp(kw, "previous")) {
		if (!is_period_id(rest)) {
			perr_at(pe, line, "mã kỳ không hợp lệ '%s'", "bad period id '%s'", rest);
			return;
		}
		if (!(p->previous = strdup(rest)))
			pe->nomem = 1;
		p->set |= PS_PREVIOUS;
		p->src_previous = src;
	} else {
		perr_at(pe, line, "từ khóa không biết '%s'", "unknown directive '%s'", kw);
	}
}

/* ---------------------------------------------------------------- rules */

struct rule_attr {
	int kw;     /* index in period_attrs */
	char *text; /* as written, with {Y} */
	int line;
	int failed; /* already reported for an earlier year */
};

struct prule {
	char kind[16];
	int line;
	struct rule_attr attr[NATTR];
	size_t nattr;
};

struct pfile {
	struct perr pe;
	struct period_list *pl;
	const char *path; /* owned by pl->paths */
	int y0, y1, years_line;
	struct prule *rule;
	size_t nrule, caprule;
	int block; /* 0 none, 1 period, 2 rule */
	int seen[NATTR];
};

/* text with {Y}, {Y-n}, {Y+n} replaced for year y; -1 when it does not fit
 * or a brace is not one of these. */
static int substitute(const char *text, int y, char *out, size_t cap)
{
	size_t o = 0;
	for (const char *s = text; *s;) {
		if (*s != '{') {
			if (o + 1 >= cap)
				return -1;
			out[o++] = *s++;
			continue;
		}
		if (s[1] != 'Y')
			return -1;
		int v = y;
		const char *e = s + 2;
		if (*e == '-' || *e == '+') {
			char *end;
			long k = strtol(e + 1, &end, 10);
			if (end == e + 1 || k > 100)
				return -1;
			v = *e == '-' ? y - (int)k : y + (int)k;
			e = end;
		}
		if (*e != '}')
			return -1;
		int n = snprintf(out + o, cap - o, "%d", v);
		if (n < 0 || (size_t)n >= cap - o)
			return -1;
		o += (size_t)n;
		s = e + 1;
	}
	out[o] = '\0';
	return 0;
}

static struct forms_period *new_period(struct pfile *pf, const char *id, int line)
{
	struct period_list *pl = pf->pl;
	if (append((void **)&pl->v, &pl->n, &pl->cap, sizeof *pl->v) != 0) {
		pf->pe.nomem = 1;
		return NULL;
	}
	struct forms_period *p = &pl->v[pl->n - 1];
	if (!(p->id = strdup(id))) {
		pl->n--;
		pf->pe.nomem = 1;
		return NULL;
	}
	p->line = line;
	p->path = pf->path;
	p->year = year_of_id(id);
	return p;
}

/* The periods rule r makes for every year of the file. */
static void rule_expand(struct pfile *pf, struct prule *r)
{
	static const struct forms_sink mute = {NULL, NULL, FORMS_LANG_VI};
	if (!pf->years_line) {
		perr_at(&pf->pe, r->line, "'rule %s' cần một dòng 'years TỪ_NĂM..ĐẾN_NĂM' trong tệp",
			"'rule %s' needs a 'years FROM..TO' line in the file", r->kind);
		return;
	}
	for (int y = pf->y0; y <= pf->y1 && !pf->pe.nomem; y++) {
		char id[32];
		snprintf(id, sizeof id, "%d-%s", y, r->kind);
		struct forms_period *p = new_period(pf, id, r->line);
		if (!p)
			return;
		p->generated = 1;
		for (size_t i = 0; i < r->nattr; i++) {
			struct rule_attr *a = &r->attr[i];
			char text[512];
			struct perr pe = pf->pe;
			if (a->failed)
				pe.sink = &mute;
			if (substitute(a->text, y, text, sizeof text) != 0) {
				if (!a->failed)
					perr_at(&pf->pe, a->line,
						"mẫu không hợp lệ '%s' (viết {Y}, {Y-1} hoặc {Y+1})",
						"bad template '%s' (write {Y}, {Y-1} or {Y+1})", a->text);
				a->failed = 1;
				continue;
			}
			int before = pe.nerr;
			period_attr(&pe, a->line, p, period_attrs[a->kw], text);
			pf->pe.nomem |= pe.nomem;
			if (pe.nerr > before) {
				if (!a->failed)
					pf->pe.nerr++;
				a->failed = 1;
			}
		}
	}
}

static void do_years(struct pfile *pf, int line, const char *rest)
{
	int a, b, n = 0;
	if (pf->years_line) {
		perr_at(&pf->pe, line, "'years' bị lặp lại (đã có ở dòng %d)",
			"'years' given twice (first at line %d)", pf->years_line);
		return;
	}
	if ((sscanf(rest, "%d..%d%n", &a, &b, &n) != 2 && sscanf(rest, "%d-%d%n", &a, &b, &n) != 2) ||
	    rest[n] || a < 1900 || b > 9999 || a > b || b - a > 200) {
		perr_at(&pf->pe, line, "khoảng năm không hợp lệ '%s' (viết: years 2021..2027)",
			"bad years '%s' (write: years 2021..2027)", rest);
		return;
	}
	pf->y0 = a;
	pf->y1 = b;
	pf->years_line = line;
}

static void do_block(struct pfile *pf, int line, const char *kw, char *rest)
{
	memset(pf->seen, 0, sizeof pf->seen);
	pf->block = 0;
	if (!strcmp(kw, "period")) {
		if (!is_period_id(rest)) {
			perr_at(&pf->pe, line, "mã kỳ không hợp lệ '%s' (ví dụ 2021-Q1)",
				"bad period id '%s' (e.g. 2021-Q1)", rest);
			return;
		}
		if (new_period(pf, rest, line))
			pf->block = 1;
		return;
	}
	if (!*rest || strlen(rest) >= sizeof pf->rule[0].kind || strchr(rest, '-') ||
	    !is_period_id(rest)) {
		perr_at(&pf->pe, line, "loại kỳ không hợp lệ '%s' (ví dụ: rule Q1)",
			"bad kind of period '%s' (e.g. rule Q1)", rest);
		return;
	}
	if (append((void **)&pf->rule, &pf->nrule, &pf->caprule, sizeof *pf->rule) != 0) {
		pf->pe.nomem = 1;
		return;
	}
	struct prule *r = &pf->rule[pf->nrule - 1];
	snprintf(r->kind, sizeof r->kind, "%s", rest);
	r->line = line;
	pf->block = 2;
}

static void do_attr(struct pfile *pf, int line, const char *kw, char *rest)
{
	size_t k;
	if (!pf->block) {
		perr_at(&pf->pe, line, "'%s' phải đi sau 'period MÃ' hoặc 'rule LOẠI'",
			"'%s' must follow 'period ID' or 'rule KIND'", kw);
		return;
	}
	for (k = 0; k < NATTR && strcmp(kw, period_attrs[k]) != 0; k++)
		;
	if (k < NATTR && perr_once(&pf->pe, line, kw, &pf->seen[k]) != 0)
		return;
	if (pf->block == 1) {
		period_attr(&pf->pe, line, &pf->pl->v[pf->pl->n - 1], kw, rest);
		return;
	}
	if (k == NATTR) {
		perr_at(&pf->pe, line, "từ khóa không biết '%s'", "unknown directive '%s'", kw);
		return;
	}
	struct prule *r = &pf->rule[pf->nrule - 1];
	struct rule_attr *a = &r->attr[r->nattr++];
	a->kw = (int)k;
	a->line = line;
	if (!(a->text = strdup(rest)))
		pf->pe.nomem = 1;
}

static int keep_path(struct period_list *pl, const char *path, const char **out)
{
	if (append((void **)&pl->paths, &pl->npath, &pl->cappath, sizeof *pl->paths) != 0)
		return FORMS_ENOMEM;
	if (!(pl->paths[pl->npath - 1] = strdup(path))) {
		pl->npath--;
		return FORMS_ENOMEM;
	}
	*out = pl->paths[pl->npath - 1];
	return 0;
}

int periods_parse_file(const struct forms_sink *sink, const char *path, struct period_list *pl)
{
	struct pfile pf = {.pl = pl};
	struct lines ls = {0};

	if (keep_path(pl, path, &pf.path) != 0)
		return FORMS_ENOMEM;
	pf.pe = (struct perr){sink, pf.path, 0, 0};
	int rc = lines_read(&pf.pe, pf.path, &ls);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < ls.n && !pf.pe.nomem; i++) {
		char *rest, *s = trim(ls.line[i]);
		int line = (int)i + 1;
		if (!*s || *s == '#')
			continue;
		const char *kw = word_split(s, &rest);
		if (!strcmp(kw, "years"))
			do_years(&pf, line, rest);
		else if (!strcmp(kw, "period") || !strcmp(kw, "rule"))
			do_block(&pf, line, kw, rest);
		else
			do_attr(&pf, line, kw, rest);
	}
	for (size_t i = 0; i < pf.nrule && !pf.pe.nomem; i++)
		rule_expand(&pf, &pf.rule[i]);
	for (size_t i = 0; i < pf.nrule; i++)
		for (size_t k = 0; k < pf.rule[i].nattr; k++)
			free(pf.rule[i].attr[k].text);
	free(pf.rule);
	lines_free(&ls);
	if (pf.pe.nomem)
		return FORMS_ENOMEM;
	return pf.pe.nerr ? FORMS_EPARSE : 0;
}
