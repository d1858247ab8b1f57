/*
 * forms/periods.c: reporting periods, read from a .periods file.
 *
 *   period 2021-Q1
 *     name      Quý I năm 2021
 *     name.en   First quarter of 2021
 *     data      15/12/2020 14/03/2021      data window, both days included
 *     deadline  10/03/2021 exclusive       "trước ngày 10": before 00:00 of the 10th
 *     previous  2020-Y                     whose pending dossiers carry over
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

void periods_free(struct period_list *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		free(pl->v[i].id);
		free(pl->v[i].name[0]);
		free(pl->v[i].name[1]);
		free(pl->v[i].previous);
	}
	free(pl->v);
	memset(pl, 0, sizeof *pl);
}

static void check_period(struct perr *pe, const struct forms_period *p)
{
	if (!p->name[0])
		perr_at(pe, p->line, "kỳ '%s' thiếu 'name'", "period '%s' has no 'name'", p->id);
	if (!p->from.y)
		perr_at(pe, p->line, "kỳ '%s' thiếu 'data TỪ_NGÀY ĐẾN_NGÀY'",
			"period '%s' has no 'data FROM TO'", p->id);
	if (!p->deadline.y)
		perr_at(pe, p->line, "kỳ '%s' thiếu 'deadline NGÀY'", "period '%s' has no 'deadline DATE'",
			p->id);
}

/* Each attribute is given once per period: periods_parse_file refuses a
 * repeat before period_attr sees it, so nothing here is overwritten. */
static const char *const period_attrs[] = {"name", "name.en", "data", "deadline", "previous"};
#define NATTR (sizeof period_attrs / sizeof period_attrs[0])

static void period_attr(struct perr *pe, int line, struct forms_period *p, const char *kw,
			char *rest)
{
	char orig[256]; /* rest as written, for messages: splitting cuts it */
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
	} else if (!strcmp(kw, "data")) {
		char *b, *a = word_split(rest, &b);
		if (vn_date_parse(a, &p->from) != 0 || vn_date_parse(b, &p->to) != 0 ||
		    vn_date_days(p->from) > vn_date_days(p->to)) {
			memset(&p->from, 0, sizeof p->from);
			perr_at(pe, line, "khoảng số liệu không hợp lệ '%s' (viết: data 15/12/2020 14/03/2021)",
				"bad data window '%s' (write: data 15/12/2020 14/03/2021)", orig);
		}
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
	} else if (!strcmp(kw, "previous")) {
		if (!is_period_id(rest))
			perr_at(pe, line, "mã kỳ không hợp lệ '%s'", "bad period id '%s'", rest);
		else if (!(p->previous = strdup(rest)))
			pe->nomem = 1;
	} else {
		perr_at(pe, line, "từ khóa không biết '%s'", "unknown directive '%s'", kw);
	}
}

int periods_parse_file(const struct forms_sink *sink, const char *path, struct period_list *pl)
{
	struct perr pe = {sink, path, 0, 0};
	struct lines ls = {0};
	size_t first = pl->n;
	int seen[NATTR] = {0}; /* the line each attribute of this period was given on */
	struct nameset ids = {0}; /* every period id so far, earlier files too */
	int rc = lines_read(&pe, path, &ls);

	if (rc != 0)
		return rc;
	for (size_t k = 0; k < pl->n && !pe.nomem; k++)
		if (nameset_get(&ids, pl->v[k].id) < 0 && nameset_put(&ids, pl->v[k].id, 0) != 0)
			pe.nomem = 1;
	for (size_t i = 0; i < ls.n && !pe.nomem; i++) {
		char *rest, *s = trim(ls.line[i]);
		int line = (int)i + 1;
		if (!*s || *s == '#')
			continue;
		const char *kw = word_split(s, &rest);
		if (strcmp(kw, "period") == 0) {
			if (!is_period_id(rest)) {
				perr_at(&pe, line, "mã kỳ không hợp lệ '%s' (ví dụ 2021-Q1)",
					"bad period id '%s' (e.g. 2021-Q1)", rest);
				continue;
			}
			/* One message per repeated id, not one per earlier copy
			 * (which grew as the square of the copies). */
			if (nameset_get(&ids, rest) >= 0)
				perr_at(&pe, line, "trùng mã kỳ '%s'", "duplicate period id '%s'", rest);
			else if (nameset_put(&ids, rest, line) != 0) {
				pe.nomem = 1;
				break;
			}
			if (append((void **)&pl->v, &pl->n, &pl->cap, sizeof *pl->v) != 0 ||
			    !(pl->v[pl->n - 1].id = strdup(rest))) {
				pe.nomem = 1;
				break;
			}
			pl->v[pl->n - 1].line = line;
			memset(seen, 0, sizeof seen);
		} else if (pl->n == first) {
			perr_at(&pe, line, "'%s' phải đi sau 'period MÃ'", "'%s' must follow 'period ID'", kw);
		} else {
			size_t k;
			for (k = 0; k < NATTR && strcmp(kw, period_attrs[k]) != 0; k++)
				;
			if (k == NATTR || perr_once(&pe, line, kw, &seen[k]) == 0)
				period_attr(&pe, line, &pl->v[pl->n - 1], kw, rest);
		}
	}
	for (size_t i = first; i < pl->n && !pe.nomem; i++)
		check_period(&pe, &pl->v[i]);
	lines_free(&ls);
	nameset_free(&ids);
	if (pe.nomem)
		return FORMS_ENOMEM;
	return pe.nerr ? FORMS_EPARSE : 0;
}

size_t forms_period_count(const struct forms *fs) { return fs->periods.n; }

const struct forms_period *forms_period_at(const struct forms *fs, size_t i)
{
	return i < fs->periods.n ? &fs->periods.v[i] : NULL;
}

const struct forms_period *forms_period_find(const struct forms *fs, const char *id)
{
	for (size_t i = 0; i < fs->periods.n; i++)
		if (strcmp(fs->periods.v[i].id, id) == 0)
			return &fs->periods.v[i];
	return NULL;
}

const char *forms_period_id(const struct forms_period *p) { return p->id; }

const char *forms_period_name(const struct forms_period *p, enum forms_lang lang)
{
	return lang == FORMS_LANG_EN && p->name[1] ? p->name[1] : p->name[0];
}

struct vn_date forms_period_deadline_date(const struct forms_period *p) { return p->deadline; }
int forms_period_deadline_inclusive(const struct forms_period *p) { return p->inclusive; }

int64_t forms_period_deadline(const struct forms_period *p)
{
	return vn_date_start(p->deadline) + (p->inclusive ? 86400 : 0);
}

int forms_period_on_time(const struct forms_period *p, int64_t t)
{
	return t < forms_period_deadline(p);
}

struct vn_date forms_period_data_from(const struct forms_period *p) { return p->from; }
struct vn_date forms_period_data_to(const struct forms_period *p) { return p->to; }
const char *forms_period_previous(const struct forms_period *p) { return p->previous; }
