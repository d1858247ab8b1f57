/*
 * forms/unit_tree.c: what the unit lists mean together: validity in time,
 * predecessors and successors across list versions (the 2025 reform), and
 * `cchc units check` (parents, kinds under parents, overlapping validity
 * for one code).
 *
 * A code alone never names a unit: 02536 was Thị trấn Sơn Dương until
 * 30/06/2025 and is Xã Sơn Dương from 01/07/2025.  A predecessor code is
 * resolved by time: the unit with that code whose validity ended before
 * the new unit's began.
 */
#include "forms/internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int32_t day_from(const struct forms_unit *u)
{
	return u->from.y ? vn_date_days(u->from) : INT32_MIN;
}

static int32_t day_to(const struct forms_unit *u)
{
	return u->to.y ? vn_date_days(u->to) : INT32_MAX;
}

int forms_unit_valid_on(const struct forms_unit *u, struct vn_date d)
{
	int32_t x = vn_date_days(d);
	return day_from(u) <= x && x <= day_to(u);
}

int forms_unit_valid_during(const struct forms_unit *u, struct vn_date from, struct vn_date to)
{
	return day_from(u) <= vn_date_days(to) && vn_date_days(from) <= day_to(u);
}

int forms_unit_reports_to(const struct forms_unit *u, const struct forms_unit *agg,
			  struct vn_date from, struct vn_date to)
{
	return strcmp(u->list_version, agg->list_version) == 0 && strcmp(u->parent, agg->code) == 0 &&
	       forms_unit_valid_during(u, from, to);
}

static int overlap(const struct forms_unit *a, const struct forms_unit *b)
{
	return day_from(a) <= day_to(b) && day_from(b) <= day_to(a);
}

const struct forms_unit *forms_unit_predecessor(const struct forms *fs,
						const struct forms_unit *u, size_t i)
{
	const struct forms_unit *best = NULL;
	if (i >= u->npred)
		return NULL;
	for (size_t k = 0; k < fs->units.n; k++) {
		const struct forms_unit *v = &fs->units.v[k];
		if (v == u || strcmp(v->code, u->pred[i]) != 0 || !v->to.y ||
		    day_to(v) >= day_from(u))
			continue;
		if (!best || day_to(v) > day_to(best))
			best = v;
	}
	return best;
}

const struct forms_unit *forms_unit_successor(const struct forms *fs, const struct forms_unit *u)
{
	for (size_t k = 0; k < fs->units.n; k++) {
		const struct forms_unit *w = &fs->units.v[k];
		for (size_t i = 0; i < w->npred; i++)
			if (strcmp(w->pred[i], u->code) == 0 && forms_unit_predecessor(fs, w, i) == u)
				return w;
	}
	return NULL;
}

const struct forms_unit *forms_unit_current(const struct forms *fs, const struct forms_unit *u,
					    struct vn_date d)
{
	/* A chain of reforms is short; the bound only guards a looped file. */
	for (int hop = 0; u && hop < 16; hop++) {
		if (forms_unit_valid_on(u, d))
			return u;
		u = forms_unit_successor(fs, u);
	}
	return NULL;
}

size_t forms_unit_find_valid(const struct forms *fs, const char *code, struct vn_date d,
			     const struct forms_unit **out, size_t max)
{
	size_t n = 0;
	for (size_t k = 0; k < fs->units.n; k++) {
		const struct forms_unit *u = &fs->units.v[k];
		if (strcmp(u->code, code) != 0 || !forms_unit_valid_on(u, d))
			continue;
		if (n < max) {
			/* by list version */
			size_t j = n;
			while (j > 0 && strcmp(out[j - 1]->list_version, u->list_version) > 0) {
				out[j] = out[j - 1];
				j--;
			}
			out[j] = u;
		}
		n++;
	}
	return n;
}

/* ------------------------------------------------------------- check */

struct checker {
	struct perr pe;
	const struct forms_unit **all; /* the file's units, then known's */
	size_t n, nfile;
	struct nameset ids; /* "code\nlist_version" -> index in all */
};

static char *key_of(const struct forms_unit *u, const char *code)
{
	char *k;
	return asprintf(&k, "%s\n%s", code, u->list_version) < 0 ? NULL : k;
}

static void fmt_range(const struct forms_unit *u, char *buf, size_t cap)
{
	char a[VN_DATE_BUF] = "…", b[VN_DATE_BUF] = "…";
	if (u->from.y)
		vn_date_format(u->from, a);
	if (u->to.y)
		vn_date_format(u->to, b);
	snprintf(buf, cap, "%s–%s", a, b);
}

/* Parent and kind of the file's unit u. */
static int check_parent(struct checker *ck, const struct forms_unit *u)
{
	unsigned tiers = units_parent_tiers(u->kind);
	if (!tiers) {
		if (*u->parent)
			perr_at(&ck->pe, u->line, "%s là cấp tỉnh, không có đơn vị cấp trên (cột parent để trống)",
				"%s is a province: it has no parent (leave parent empty)", u->name);
		return 0;
	}
	if (!*u->parent) {
		perr_at(&ck->pe, u->line, "%s thiếu mã đơn vị cấp trên (cột parent)",
			"%s has no parent code (column parent)", u->name);
		return 0;
	}
	char *key = key_of(u, u->parent);
	if (!key)
		return FORMS_ENOMEM;
	int at = nameset_get(&ck->ids, key);
	free(key);
	if (at < 0) {
		perr_at(&ck->pe, u->line,
			"đơn vị cấp trên %s của %s không có trong danh mục %s; thêm dòng của nó vào tệp",
			"the parent %s of %s is not in list %s; add its line to the file", u->parent,
			u->name, u->list_version);
		return 0;
	}
	const struct forms_unit *p = ck->all[at];
	if (!(tiers & (1u << p->tier)))
		perr_at(&ck->pe, u->line, "loại '%s' không thể trực thuộc %s (loại '%s')",
			"a '%s' cannot be under %s (a '%s')", u->kind, p->name, p->kind);
	return 0;
}

static int cmp_code(const void *pa, const void *pb)
{
	const struct forms_unit *a = *(const struct forms_unit *const *)pa;
	const struct forms_unit *b = *(const struct forms_unit *const *)pb;
	int c = strcmp(a->code, b->code);
	if (c == 0)
		c = a->line - b->line;
	return c;
}

/* One code valid twice on the same day, in two list versions of the file. */
static int check_overlaps(struct checker *ck)
{
	const struct forms_unit **v = malloc((ck->n ? ck->n : 1) * sizeof *v);
	if (!v)
		return FORMS_ENOMEM;
	memcpy(v, ck->all, ck->n * sizeof *v);
	qsort(v, ck->n, sizeof *v, cmp_code);
	for (size_t i = 0; i < ck->n; i++) {
		for (size_t j = i + 1; j < ck->n && strcmp(v[j]->code, v[i]->code) == 0; j++) {
			const struct forms_unit *a = v[i], *b = v[j];
			if (strcmp(a->list_version, b->list_version) == 0 || !overlap(a, b))
				continue;
			/* Within the file: lists installed beside each other may
			 * overlap (init then asks which one, or --units says). */
			if (strcmp(a->path, ck->pe.path) != 0 || strcmp(b->path, ck->pe.path) != 0)
				continue;
			if (b->line > a->line) {
				const struct forms_unit *t = a;
				a = b;
				b = t;
			}
			char r[64];
			fmt_range(b, r, sizeof r);
			perr_at(&ck->pe, a->line,
				"mã %s đã là %s (danh mục %s, hiệu lực %s) trong cùng thời gian; sửa valid_from/valid_to",
				"code %s is already %s (list %s, valid %s) at the same time; fix valid_from/valid_to",
				a->code, b->name, b->list_version, r);
		}
	}
	free(v);
	return 0;
}

static int add_unit(struct checker *ck, const struct forms_unit *u)
{
	char *key = key_of(u, u->code);
	if (!key)
		return FORMS_ENOMEM;
	int rc = 0, at = nameset_get(&ck->ids, key);
	if (at >= 0)
		perr_at(&ck->pe, u->line, "mã %s đã có trong danh mục %s (%s:%d)",
			"code %s is already in list %s (%s:%d)", u->code, u->list_version,
			ck->all[at]->path, ck->all[at]->line);
	else
		rc = nameset_put(&ck->ids, key, (int)ck->n);
	free(key);
	if (rc == 0 && at < 0)
		ck->all[ck->n++] = u;
	return rc;
}

/* 1 when a and b (either may be NULL) are the same file. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (!a || !b)
		return 0;
	if (strcmp(a, b) == 0)
		return 1;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Known units read from the checked file itself or from the one it
 * replaces are left out (one stat per distinct file, not per unit). */
static int left_out(const char *upath, const char *path, const char *replacing,
		    const char **last, int *last_out)
{
	if (*last && strcmp(*last, upath) == 0)
		return *last_out;
	*last = upath;
	*last_out = same_file(upath, path) || same_file(upath, replacing);
	return *last_out;
}

static int run_checks(struct checker *ck, const struct unit_list *ul, const struct forms *known,
		      const char *replacing)
{
	const char *last = NULL;
	int last_out = 0;
	size_t nk = known ? known->units.n : 0;
	int rc = 0;
	ck->all = malloc((ul->n + nk + 1) * sizeof *ck->all);
	if (!ck->all)
		return FORMS_ENOMEM;
	for (size_t i = 0; i < ul->n && rc == 0; i++)
		rc = add_unit(ck, &ul->v[i]);
	ck->nfile = ck->n;
	for (size_t i = 0; i < nk && rc == 0; i++) {
		const struct forms_unit *u = &known->units.v[i];
		if (left_out(u->path, ck->pe.path, replacing, &last, &last_out))
			continue;
		char *key = key_of(u, u->code);
		if (!key)
			return FORMS_ENOMEM;
		int at = nameset_get(&ck->ids, key);
		free(key);
		if (at >= 0) {
			perr_at(&ck->pe, ck->all[at]->line, "mã %s đã có trong danh mục %s (%s:%d)",
				"code %s is already in list %s (%s:%d)", u->code, u->list_version,
				u->path, u->line);
			continue;
		}
		rc = add_unit(ck, u);
	}
	for (size_t i = 0; i < ck->nfile && rc == 0; i++)
		rc = check_parent(ck, ck->all[i]);
	if (rc == 0)
		rc = check_overlaps(ck);
	return rc;
}

int forms_units_check_file(const char *path, const struct forms *known, const char *replacing,
			   const struct forms_sink *sink)
{
	struct unit_list ul = {0};
	int parsed = units_parse_file(sink, path, &ul);
	if (parsed != 0 && parsed != FORMS_EPARSE) {
		units_free(&ul);
		return parsed;
	}
	/* The rows that parsed are checked for meaning too: every problem in
	 * one run. */
	struct checker ck = {{sink, path, 0, 0}, NULL, 0, 0, {0}};
	int rc = run_checks(&ck, &ul, known, replacing);
	free(ck.all);
	nameset_free(&ck.ids);
	units_free(&ul);
	if (rc != 0)
		return rc;
	return parsed || ck.pe.nerr ? FORMS_EPARSE : 0;
}
