/*
 * forms/units.c: administrative unit lists (data/units/NAME.csv, and the
 * lists installed by `cchc units import`).
 *
 *   # comment lines (the list's source) may come anywhere
 *   code,name,kind,parent,valid_from,valid_to,list_version,predecessors
 *   02545,Xã Tân Trào,Xã,076,2020-01-01,2025-06-30,GSO-2021,
 *
 * UTF-8, comma separated, a field may be "quoted" ("" inside for a quote);
 * the header line exactly as above (the older header without
 * predecessors is still read).  predecessors: the codes of the units this
 * one was formed from, separated by spaces.  Codes are kept as text:
 * leading zeros matter, and after 2025 the same code names another
 * commune, so a unit is (code, list_version).
 */
#include "forms/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define NCOL 8
static const char *const header[NCOL] = {"code",     "name",	     "kind",
					 "parent",   "valid_from",   "valid_to",
					 "list_version", "predecessors"};
#define HEADER_TEXT "code,name,kind,parent,valid_from,valid_to,list_version,predecessors"

#define T_C (1u << FORMS_TIER_COMMUNE)
#define T_D (1u << FORMS_TIER_DISTRICT)
#define T_P (1u << FORMS_TIER_PROVINCE)
static const struct {
	const char *kind;
	enum forms_level level;
	enum forms_tier tier;
	unsigned parents; /* tiers a parent may have; 0: no parent */
	const char *prefix; /* the kind word(s) a name starts with */
} kinds[] = {
	{"Xã", FORMS_LEVEL_COMMUNE, FORMS_TIER_COMMUNE, T_D | T_P, "Xã"},
	{"Phường", FORMS_LEVEL_COMMUNE, FORMS_TIER_COMMUNE, T_D | T_P, "Phường"},
	{"Thị trấn", FORMS_LEVEL_COMMUNE, FORMS_TIER_COMMUNE, T_D, "Thị trấn"},
	{"Đặc khu", FORMS_LEVEL_COMMUNE, FORMS_TIER_COMMUNE, T_P, "Đặc khu"},
	{"Huyện", FORMS_LEVEL_DISTRICT, FORMS_TIER_DISTRICT, T_P, "Huyện"},
	{"Quận", FORMS_LEVEL_DISTRICT, FORMS_TIER_DISTRICT, T_P, "Quận"},
	{"Thị xã", FORMS_LEVEL_DISTRICT, FORMS_TIER_DISTRICT, T_P, "Thị xã"},
	{"Thành phố", FORMS_LEVEL_DISTRICT, FORMS_TIER_DISTRICT, T_P, "Thành phố"},
	{"Tỉnh", FORMS_LEVEL_DISTRICT, FORMS_TIER_PROVINCE, 0, "Tỉnh"},
	{"Thành phố trực thuộc trung ương", FORMS_LEVEL_DISTRICT, FORMS_TIER_PROVINCE, 0,
	 "Thành phố"},
};
#define NKIND (sizeof kinds / sizeof kinds[0])

static size_t kind_index(const char *kind)
{
	size_t k;
	for (k = 0; k < NKIND; k++)
		if (strcmp(kind, kinds[k].kind) == 0)
			break;
	return k;
}

unsigned units_parent_tiers(const char *kind)
{
	size_t k = kind_index(kind);
	return k < NKIND ? kinds[k].parents : 0;
}

/* Split a CSV line in place into at most max fields; returns the count, or
 * -1 for a bad quote. */
static int csv_split(char *s, char **col, int max)
{
	int n = 0;
	for (;;) {
		if (n == max)
			return max + 1;
		if (*s == '"') {
			char *w = ++s;
			col[n++] = w;
			for (;;) {
				if (!*s)
					return -1;
				if (*s == '"' && s[1] == '"') {
					*w++ = '"';
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					*w++ = *s++;
				}
			}
			*w = '\0';
			if (*s != ',' && *s)
				return -1;
		} else {
			col[n++] = s;
			s += strcspn(s, ",");
		}
		if (!*s)
			return n;
		*s++ = '\0';
	}
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void unit_clear(struct forms_unit *u)
{
	free(u->code);
	free(u->name);
	free(u->short_name);
	free(u->kind);
	free(u->parent);
	free(u->list_version);
	free(u->key);
	for (size_t i = 0; i < u->npred; i++)
		free(u->pred[i]);
	free(u->pred);
	free(u->path);
}

void units_free(struct unit_list *ul)
{
	for (size_t i = 0; i < ul->n; i++)
		unit_clear(&ul->v[i]);
	free(ul->v);
	for (size_t i = 0; i < ul->nlists; i++)
		free(ul->lists[i]);
	free(ul->lists);
	memset(ul, 0, sizeof *ul);
}

/* A unit is (code, list_version): the key of the duplicate check. */
static char *unit_key(const char *code, const char *list_version)
{
	char *k;
	return asprintf(&k, "%s\n%s", code, list_version) < 0 ? NULL : k;
}

/* The predecessor codes of s (space separated) into u; bad ones reported. */
static int parse_preds(struct perr *pe, int line, char *s, struct forms_unit *u)
{
	size_t cap = 0;
	char *save = NULL;
	for (char *w = strtok_r(s, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (!all_digits(w) || strlen(w) > 8) {
			perr_at(pe, line, "mã đơn vị trước đây không hợp lệ '%s' (chỉ gồm chữ số)",
				"bad predecessor code '%s' (digits only)", w);
			continue;
		}
		if (append((void **)&u->pred, &u->npred, &cap, sizeof *u->pred) != 0 ||
		    !(u->pred[u->npred - 1] = strdup(w)))
			return FORMS_ENOMEM;
	}
	return 0;
}

/* The name without its kind word(s): "Tân Trào" for "Xã Tân Trào". */
static char *short_of(const char *name, const char *prefix)
{
	size_t kl = strlen(prefix);
	return strdup(strncmp(name, prefix, kl) == 0 && name[kl] == ' ' ? name + kl + 1 : name);
}

static void check_row(struct perr *pe, int line, char **c, struct forms_unit *u, size_t k)
{
	if (!all_digits(c[0]) || strlen(c[0]) > 8)
		perr_at(pe, line, "mã đơn vị không hợp lệ '%s' (chỉ gồm chữ số)",
			"bad unit code '%s' (digits only)", c[0]);
	if (!*c[1])
		perr_at(pe, line, "thiếu tên đơn vị", "missing unit name");
	if (k == NKIND)
		perr_at(pe, line,
			"loại đơn vị không biết '%s' (Xã, Phường, Thị trấn, Đặc khu, Huyện, Tỉnh, ...)",
			"unknown unit kind '%s' (Xã, Phường, Thị trấn, Đặc khu, Huyện, Tỉnh, ...)",
			c[2]);
	if (*c[3] && !all_digits(c[3]))
		perr_at(pe, line, "mã đơn vị cấp trên không hợp lệ '%s'", "bad parent code '%s'", c[3]);
	if ((*c[4] && vn_date_parse(c[4], &u->from) != 0) ||
	    (*c[5] && vn_date_parse(c[5], &u->to) != 0))
		perr_at(pe, line, "ngày hiệu lực không hợp lệ", "bad validity date");
	else if (u->from.y && u->to.y && vn_date_days(u->to) < vn_date_days(u->from))
		perr_at(pe, line, "hết hiệu lực (%s) trước khi có hiệu lực (%s)",
			"valid_to (%s) is before valid_from (%s)", c[5], c[4]);
	if (!*c[6])
		perr_at(pe, line, "thiếu phiên bản danh mục", "missing list version");
}

static int parse_row(struct perr *pe, int line, char **c, struct unit_list *ul,
		     struct nameset *ids)
{
	struct forms_unit u = {0};
	size_t k;

	for (int i = 0; i < NCOL; i++)
		c[i] = trim(c[i]);
	k = kind_index(c[2]);
	check_row(pe, line, c, &u, k);
	int rc = parse_preds(pe, line, c[7], &u);
	char *key = rc ? NULL : unit_key(c[0], c[6]);
	if (!key) {
		unit_clear(&u);
		return FORMS_ENOMEM;
	}
	if (nameset_get(ids, key) >= 0)
		perr_at(pe, line, "trùng mã đơn vị '%s' trong danh mục %s",
			"duplicate unit code '%s' in list %s", c[0], c[6]);
	if (pe->nerr) {
		free(key);
		unit_clear(&u);
		return 0;
	}
	rc = nameset_put(ids, key, line);
	free(key);
	if (rc != 0) {
		unit_clear(&u);
		return rc;
	}
	u.level = kinds[k].level;
	u.tier = kinds[k].tier;
	u.line = line;
	u.code = strdup(c[0]);
	u.name = xstrdup_nfc(c[1]);
	u.kind = strdup(c[2]);
	u.parent = strdup(c[3]);
	u.list_version = strdup(c[6]);
	u.path = strdup(pe->path);
	if (u.name)
		u.short_name = short_of(u.name, kinds[k].prefix);
	if (!u.code || !u.name || !u.kind || !u.parent || !u.list_version || !u.short_name ||
	    !u.path || text_collate_key(u.short_name, &u.key, &u.keylen) != 0 ||
	    append((void **)&ul->v, &ul->n, &ul->cap, sizeof *ul->v) != 0) {
		unit_clear(&u);
		return FORMS_ENOMEM;
	}
	ul->v[ul->n - 1] = u;
	return 0;
}

/* The header line: 1 with predecessors, 0 the older one without, -1 bad. */
static int header_ok(char **c, int n)
{
	if (n != NCOL && n != NCOL - 1)
		return -1;
	for (int k = 0; k < n; k++)
		if (strcmp(trim(c[k]), header[k]) != 0)
			return -1;
	return n == NCOL;
}

int units_parse_file(const struct forms_sink *sink, const char *path, struct unit_list *ul)
{
	struct perr pe = {sink, path, 0, 0};
	struct lines ls = {0};
	char *c[NCOL + 1], empty[1] = "";
	struct nameset ids = {0}; /* (code, list_version) so far, earlier files too */
	int rc = lines_read(&pe, path, &ls), ncol = 0;

	if (rc != 0)
		return rc;
	for (size_t i = 0; i < ul->n && rc == 0; i++) {
		char *key = unit_key(ul->v[i].code, ul->v[i].list_version);
		rc = !key ? FORMS_ENOMEM : nameset_get(&ids, key) >= 0 ? 0 : nameset_put(&ids, key, 0);
		free(key);
	}
	for (size_t i = 0; i < ls.n && rc == 0; i++) {
		int line = (int)i + 1;
		char *t = trim(ls.line[i]);
		if (!*t || *t == '#')
			continue;
		int n = csv_split(ls.line[i], c, NCOL);
		if (!ncol) {
			int h = header_ok(c, n);
			ncol = h == 0 ? NCOL - 1 : NCOL;
			if (h < 0)
				perr_at(&pe, line, "dòng tiêu đề phải là: %s", "the header line must be: %s",
					HEADER_TEXT);
			continue;
		}
		if (n != ncol) {
			perr_at(&pe, line, "cần %d cột, có %d", "expected %d columns, found %d", ncol,
				n < 0 ? 0 : n);
			continue;
		}
		if (ncol < NCOL)
			c[NCOL - 1] = empty;
		int before = pe.nerr;
		pe.nerr = 0;
		rc = parse_row(&pe, line, c, ul, &ids);
		pe.nerr += before;
	}
	lines_free(&ls);
	nameset_free(&ids);
	if (rc != 0)
		return rc;
	if (!ncol)
		perr_at(&pe, 1, "tệp danh mục đơn vị trống", "empty unit list");
	return pe.nerr ? FORMS_EPARSE : 0;
}

static int unit_cmp(const void *pa, const void *pb)
{
	const struct forms_unit *a = pa, *b = pb;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(a->key, b->key, n);
	if (c == 0 && a->keylen != b->keylen)
		c = a->keylen < b->keylen ? -1 : 1;
	if (c == 0)
		c = (int)a->level - (int)b->level; /* the district after its namesake town */
	if (c == 0)
		c = strcmp(a->code, b->code);
	return c ? c : strcmp(a->list_version, b->list_version);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int units_sort(struct unit_list *ul)
{
	size_t cap = 0;
	if (ul->n)
		qsort(ul->v, ul->n, sizeof *ul->v, unit_cmp);
	for (size_t i = 0; i < ul->n; i++) {
		size_t k = 0;
		while (k < ul->nlists && strcmp(ul->lists[k], ul->v[i].list_version) != 0)
			k++;
		if (k < ul->nlists)
			continue;
		if (append((void **)&ul->lists, &ul->nlists, &cap, sizeof *ul->lists) != 0)
			return FORMS_ENOMEM;
		if (!(ul->lists[ul->nlists - 1] = strdup(ul->v[i].list_version))) {
			ul->nlists--;
			return FORMS_ENOMEM;
		}
	}
	if (ul->nlists)
		qsort(ul->lists, ul->nlists, sizeof *ul->lists, str_cmp);
	return 0;
}

size_t forms_unit_list_count(const struct forms *fs) { return fs->units.nlists; }

const char *forms_unit_list_at(const struct forms *fs, size_t i)
{
	return i < fs->units.nlists ? fs->units.lists[i] : NULL;
}

size_t forms_unit_count(const struct forms *fs) { return fs->units.n; }

const struct forms_unit *forms_unit_at(const struct forms *fs, size_t i)
{
	return i < fs->units.n ? &fs->units.v[i] : NULL;
}

static int32_t from_days(const struct forms_unit *u)
{
	return u->from.y ? vn_date_days(u->from) : INT32_MIN;
}

const struct forms_unit *forms_unit_find(const struct forms *fs, const char *code,
					 const char *list_version)
{
	const struct forms_unit *best = NULL;
	for (size_t i = 0; i < fs->units.n; i++) {
		const struct forms_unit *u = &fs->units.v[i];
		if (strcmp(u->code, code) != 0)
			continue;
		if (list_version) {
			if (strcmp(u->list_version, list_version) == 0)
				return u;
		} else if (!best || from_days(u) > from_days(best)) {
			best = u;
		}
	}
	return best;
}

const char *forms_unit_code(const struct forms_unit *u) { return u->code; }
enum forms_tier forms_unit_tier(const struct forms_unit *u) { return u->tier; }
const char *forms_unit_path(const struct forms_unit *u) { return u->path; }
int forms_unit_line(const struct forms_unit *u) { return u->line; }
size_t forms_unit_predecessor_count(const struct forms_unit *u) { return u->npred; }
const char *forms_unit_predecessor_code(const struct forms_unit *u, size_t i)
{
	return i < u->npred ? u->pred[i] : NULL;
}
const char *forms_unit_name(const struct forms_unit *u) { return u->name; }
const char *forms_unit_short_name(const struct forms_unit *u) { return u->short_name; }
const char *forms_unit_kind(const struct forms_unit *u) { return u->kind; }
enum forms_level forms_unit_level(const struct forms_unit *u) { return u->level; }
const char *forms_unit_parent(const struct forms_unit *u) { return u->parent; }
const char *forms_unit_list_version(const struct forms_unit *u) { return u->list_version; }
struct vn_date forms_unit_valid_from(const struct forms_unit *u) { return u->from; }
struct vn_date forms_unit_valid_to(const struct forms_unit *u) { return u->to; }
