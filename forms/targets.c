/*
 * forms/targets.c: the plan's targets per year and unit kind, read from
 * forms/defs/NAME.targets, so a district loads a new year's plan without
 * changing the form:
 *
 *   form     bao-cao-cchc
 *   year     2021
 *   plan     Kế hoạch CCHC huyện Sơn Dương năm 2021
 *   plan.en  Sơn Dương district administrative reform plan 2021
 *   target ty_le_truc_tuyen              >= 25%
 *   target ty_le_ho_so_cong_viec commune >= 50%
 *   target ty_le_ho_so_cong_viec district >= 62%
 *
 * A target line names a rate of the form, optionally the unit kinds it is
 * for (xa phuong thi_tran dac_khu huyen tinh, comma-separated, or the groups
 * commune = the four commune-level kinds and district = huyen, tinh; none:
 * every kind), then the target.  A line naming one kind wins over a group
 * word, which wins over a line naming none.
 */
#include "forms/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char *const kind_word[FORMS_KIND_COUNT] = {"xa",      "phuong", "thi_tran",
							 "dac_khu", "huyen",  "tinh"};
#define COMMUNE_KINDS 0x0Fu
#define UPPER_KINDS 0x30u

const char *forms_unit_kind_word(enum forms_unit_kind k)
{
	return (unsigned)k < FORMS_KIND_COUNT ? kind_word[k] : "?";
}

/* "xa,phuong" / "commune" -> bits; 0 when a word is unknown. */
static unsigned parse_kinds(char *s)
{
	unsigned bits = 0;
	char *save = NULL;
	for (char *w = strtok_r(s, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		unsigned b = 0;
		if (!strcmp(w, "commune"))
			b = COMMUNE_KINDS;
		else if (!strcmp(w, "district"))
			b = UPPER_KINDS;
		for (int k = 0; k < FORMS_KIND_COUNT && !b; k++)
			if (!strcmp(w, kind_word[k]))
				b = 1u << k;
		if (!b)
			return 0;
		bits |= b;
	}
	return bits;
}

static void plan_clear(struct forms_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].rate);
	free(p->v);
	free(p->path);
	free(p->form);
	free(p->name[0]);
	free(p->name[1]);
	memset(p, 0, sizeof *p);
}

void plans_free(struct forms *fs)
{
	for (size_t i = 0; i < fs->nplan; i++)
		plan_clear(&fs->plans[i]);
	free(fs->plans);
	fs->plans = NULL;
	fs->nplan = fs->capplan = 0;
}

static void target_line(struct perr *pe, int line, struct forms_plan *p, char *rest)
{
	char *after, *rate = word_split(rest, &after);
	char *spec = after, *tail;
	unsigned kinds = 0x3Fu;
	int specific = 0; /* 0 every kind, 1 a group, 2 one kind */
	struct target t = {0};
	if (!is_ident(rate)) {
		perr_at(pe, line, "mã tỷ lệ không hợp lệ '%s'", "bad rate id '%s'", rate);
		return;
	}
	if (*after && !strchr("<>=!", *after)) {
		char *w = word_split(spec, &tail);
		if (!(kinds = parse_kinds(w))) {
			perr_at(pe, line,
				"loại đơn vị không biết (viết xa, phuong, thi_tran, dac_khu, huyen, tinh, commune hoặc district)",
				"unknown unit kind (write xa, phuong, thi_tran, dac_khu, huyen, tinh, commune or district)");
			return;
		}
		specific = __builtin_popcount(kinds) == 1 ? 2 : 1;
		after = tail;
	}
	if (target_parse(after, &t) != 0) {
		perr_at(pe, line, "chỉ tiêu không hợp lệ '%s' (viết ví dụ >= 25%%)",
			"bad target '%s' (write e.g. >= 25%%)", after);
		return;
	}
	t.line = line;
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].rate, rate) && (p->v[i].kinds & kinds) &&
		    p->v[i].specific == specific) {
			perr_at(pe, line, "chỉ tiêu của '%s' bị lặp lại (đã có ở dòng %d)",
				"target of '%s' given twice (first at line %d)", rate, p->v[i].t.line);
			return;
		}
	if (append((void **)&p->v, &p->n, &p->cap, sizeof *p->v) != 0 ||
	    !(p->v[p->n - 1].rate = strdup(rate))) {
		pe->nomem = 1;
		return;
	}
	p->v[p->n - 1].kinds = kinds;
	p->v[p->n - 1].specific = specific;
	p->v[p->n - 1].t = t;
}

static void plan_line(struct perr *pe, int line, struct forms_plan *p, const char *kw, char *rest,
		      int seen[4])
{
	static const char *const once[] = {"form", "year", "plan", "plan.en"};
	for (int k = 0; k < 4; k++)
		if (!strcmp(kw, once[k]) && perr_once(pe, line, kw, &seen[k]) != 0)
			return;
	if (!strcmp(kw, "form")) {
		if (!is_form_id(rest))
			perr_at(pe, line, "mã biểu mẫu không hợp lệ '%s'", "bad form id '%s'", rest);
		else if (!(p->form = strdup(rest)))
			pe->nomem = 1;
	} else if (!strcmp(kw, "year")) {
		int64_t y;
		if (parse_i64(rest, &y) != 0 || y < 1900 || y > 9999)
			perr_at(pe, line, "năm không hợp lệ '%s'", "bad year '%s'", rest);
		else
			p->year = (int)y, p->line = line;
	} else if (!strcmp(kw, "plan") || !strcmp(kw, "plan.en")) {
		if (!(p->name[kw[4] == '.'] = xstrdup_nfc(rest)))
			pe->nomem = 1;
	} else if (!strcmp(kw, "target")) {
		target_line(pe, line, p, rest);
	} else {
		perr_at(pe, line, "từ khóa không biết '%s'", "unknown directive '%s'", kw);
	}
}

static int plan_parse(const struct forms_sink *sink, const char *path, struct forms_plan *p)
{
	struct perr pe = {sink, path, 0, 0};
	struct lines ls = {0};
	int seen[4] = {0};
	int rc = lines_read(&pe, path, &ls);
	if (rc != 0)
		return rc;
	if (!(p->path = strdup(path)))
		pe.nomem = 1;
	for (size_t i = 0; i < ls.n && !pe.nomem; i++) {
		char *rest, *s = trim(ls.line[i]);
		if (!*s || *s == '#')
			continue;
		const char *kw = word_split(s, &rest);
		plan_line(&pe, (int)i + 1, p, kw, rest, seen);
	}
	lines_free(&ls);
	if (!pe.nomem && (!p->form || !p->year || !p->name[0]))
		perr_at(&pe, 1, "tệp chỉ tiêu cần 'form MÃ', 'year NĂM' và 'plan TÊN KẾ HOẠCH'",
			"a targets file needs 'form ID', 'year YEAR' and 'plan NAME'");
	if (pe.nomem)
		return FORMS_ENOMEM;
	return pe.nerr ? FORMS_EPARSE : 0;
}

int targets_check_file(const char *path, const struct forms_sink *sink)
{
	struct forms_plan p = {0};
	int rc = plan_parse(sink, path, &p);
	plan_clear(&p);
	return rc;
}

static int cmp_plan(const void *pa, const void *pb)
{
	const struct forms_plan *a = pa, *b = pb;
	int c = strcmp(a->form, b->form);
	return c ? c : (a->year > b->year) - (a->year < b->year);
}

/* Across files: one plan per form and year; the form exists and has the
 * rates named. */
static void plans_cross_check(const struct forms_sink *sink, struct forms *fs, int *bad)
{
	for (size_t i = 0; i < fs->nplan; i++) {
		struct forms_plan *p = &fs->plans[i];
		struct perr pe = {sink, p->path, 0, 0};
		const struct form *f = forms_find(fs, p->form);
		if (i > 0 && !cmp_plan(p, &fs->plans[i - 1]))
			perr_at(&pe, p->line, "đã có chỉ tiêu năm %d của '%s' (%s)",
				"the %d targets of '%s' are already in %s", p->year, p->form,
				fs->plans[i - 1].path);
		if (!f)
			perr_at(&pe, 1, "không có biểu mẫu '%s'", "no form '%s'", p->form);
		for (size_t k = 0; f && k < p->n; k++)
			if (!form_rate_find(f, p->v[k].rate))
				perr_at(&pe, p->v[k].t.line, "biểu mẫu '%s' không có tỷ lệ '%s'",
					"form '%s' has no rate '%s'", p->form, p->v[k].rate);
		*bad |= pe.nerr != 0;
	}
}

int targets_parse_file(const struct forms_sink *sink, const char *path, struct forms *fs)
{
	struct forms_plan p = {0};
	int rc = plan_parse(sink, path, &p);
	if (rc == 0 && append((void **)&fs->plans, &fs->nplan, &fs->capplan, sizeof p) != 0)
		rc = FORMS_ENOMEM;
	if (rc != 0) {
		plan_clear(&p);
		return rc;
	}
	fs->plans[fs->nplan - 1] = p;
	return 0;
}

void targets_finish(const struct forms_sink *sink, struct forms *fs, int *bad)
{
	if (fs->nplan)
		qsort(fs->plans, fs->nplan, sizeof *fs->plans, cmp_plan);
	plans_cross_check(sink, fs, bad);
	for (size_t i = 0; i < fs->nform; i++)
		fs->form[i]->set = fs;
}

/* ---------------------------------------------------------------- look-up */

static const struct target *plan_target(const struct forms_plan *p, const char *rate,
					enum forms_unit_kind kind)
{
	const struct target *best = NULL;
	int rank = -1;
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].rate, rate) && (p->v[i].kinds & (1u << kind)) &&
		    p->v[i].specific > rank) {
			best = &p->v[i].t;
			rank = p->v[i].specific;
		}
	return best;
}

/* The plan for form id and year: its own, else the newest earlier one
 * (*carried), else NULL.  year 0: the newest. */
static const struct forms_plan *plan_for(const struct forms *fs, const char *form, int year,
					 int *carried)
{
	const struct forms_plan *best = NULL;
	*carried = 0;
	for (size_t i = 0; fs && i < fs->nplan; i++) {
		const struct forms_plan *p = &fs->plans[i];
		if (strcmp(p->form, form) != 0 || (year && p->year > year))
			continue;
		if (!best || p->year > best->year)
			best = p;
	}
	if (best && year && best->year != year)
		*carried = 1;
	return best;
}

static enum forms_level level_of_kind(enum forms_unit_kind k)
{
	return k >= FORMS_KIND_DISTRICT ? FORMS_LEVEL_DISTRICT : FORMS_LEVEL_COMMUNE;
}

const struct target *target_for(const struct form_rate *r, int year, enum forms_unit_kind kind,
				const struct forms_plan **plan, int *carried)
{
	const struct forms_plan *p = plan_for(r->form ? r->form->set : NULL,
					      r->form ? r->form->id : "", year, carried);
	*plan = NULL;
	if (p) {
		*plan = p;
		return plan_target(p, r->id, kind);
	}
	*carried = 0;
	const struct target *t = &r->tgt[level_of_kind(kind)];
	return t->set ? t : NULL;
}

void form_rate_target(const struct form_rate *r, int year, enum forms_unit_kind kind,
		      struct forms_target *out)
{
	const struct target *t = target_for(r, year, kind, &out->plan, &out->carried);
	out->text = t ? t->text : "";
}

int forms_plan_year(const struct forms_plan *p) { return p->year; }
const char *forms_plan_path(const struct forms_plan *p) { return p->path; }

const char *forms_plan_name(const struct forms_plan *p, enum forms_lang lang)
{
	return lang == FORMS_LANG_EN && p->name[1] ? p->name[1] : p->name[0];
}

size_t forms_plan_count(const struct forms *fs) { return fs->nplan; }

const struct forms_plan *forms_plan_at(const struct forms *fs, size_t i)
{
	return i < fs->nplan ? &fs->plans[i] : NULL;
}

size_t forms_target_source(const struct forms_target *t, enum forms_lang lang, char *buf,
			   size_t cap)
{
	int n;
	if (!t->plan)
		n = snprintf(buf, cap, "%s", "");
	else if (t->carried)
		n = snprintf(buf, cap,
			     lang == FORMS_LANG_EN ? "carried over from the %d plan"
						   : "kế thừa từ kế hoạch %d",
			     t->plan->year);
	else
		n = snprintf(buf, cap, "%s", forms_plan_name(t->plan, lang));
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap ? cap - 1 : 0;
}

enum forms_unit_kind forms_unit_target_kind(const struct forms_unit *u)
{
	static const struct {
		const char *kind;
		enum forms_unit_kind k;
	} words[] = {
		{"Xã", FORMS_KIND_COMMUNE},	 {"Phường", FORMS_KIND_WARD},
		{"Thị trấn", FORMS_KIND_TOWN},	 {"Đặc khu", FORMS_KIND_SPECIAL},
		{"Huyện", FORMS_KIND_DISTRICT},	 {"Quận", FORMS_KIND_DISTRICT},
		{"Thị xã", FORMS_KIND_DISTRICT}, {"Tỉnh", FORMS_KIND_PROVINCE},
		{"Thành phố trực thuộc trung ương", FORMS_KIND_PROVINCE},
	};
	const char *kind = forms_unit_kind(u);
	for (size_t i = 0; kind && i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(kind, words[i].kind))
			return words[i].k;
	switch (forms_unit_tier(u)) {
	case FORMS_TIER_PROVINCE: return FORMS_KIND_PROVINCE;
	case FORMS_TIER_DISTRICT: return FORMS_KIND_DISTRICT;
	default: return FORMS_KIND_COMMUNE;
	}
}
