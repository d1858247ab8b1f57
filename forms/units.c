/*
 * forms/units.c: administrative unit lists (data/units/NAME.csv).
 *
 *   code,name,kind,parent,valid_from,valid_to,list_version
 *   02545,Xã Tân Trào,Xã,076,2020-01-01,,GSO-2021
 *
 * UTF-8, comma separated, a field may be "quoted" ("" inside for a quote),
 * the header line exactly as above.  Codes are kept as text: leading zeros
 * matter, and after 2025 the same code names another commune, so a unit is
 * (code, list_version).
 */
#include "forms/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define NCOL 7
static const char *const header[NCOL] = {"code",       "name",     "kind",        "parent",
					 "valid_from", "valid_to", "list_version"};

static const struct {
	const char *kind;
	enum forms_level level;
} kinds[] = {
	{"Xã", FORMS_LEVEL_COMMUNE},	{"Phường", FORMS_LEVEL_COMMUNE},
	{"Thị trấn", FORMS_LEVEL_COMMUNE}, {"Huyện", FORMS_LEVEL_DISTRICT},
	{"Quận", FORMS_LEVEL_DISTRICT},	{"Thị xã", FORMS_LEVEL_DISTRICT},
	{"Thành phố", FORMS_LEVEL_DISTRICT},
};

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
}

void units_free(struct unit_list *ul)
{
	for (size_t i = 0; i < ul->n; i++)
		unit_clear(&ul->v[i]);
	free(ul->v);
	memset(ul, 0, sizeof *ul);
}

/* A unit is (code, list_version): the key of the duplicate check. */
static char *unit_key(const char *code, const char *list_version)
{
	char *k;
	return asprintf(&k, "%s\n%s", code, list_version) < 0 ? NULL : k;
}

static int parse_row(struct perr *pe, int line, char **c, struct unit_list *ul,
		     struct nameset *ids)
{
	struct forms_unit u = {0};
	size_t k;

	for (int i = 0; i < NCOL; i++)
		c[i] = trim(c[i]);
	if (!all_digits(c[0]) || strlen(c[0]) > 8)
		perr_at(pe, line, "mã đơn vị không hợp lệ '%s' (chỉ gồm chữ số)",
			"bad unit code '%s' (digits only)", c[0]);
	if (!*c[1])
		perr_at(pe, line, "thiếu tên đơn vị", "missing unit name");
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strcmp(c[2], kinds[k].kind) == 0)
			break;
	if (k == sizeof kinds / sizeof kinds[0])
		perr_at(pe, line, "loại đơn vị không biết '%s' (Xã, Phường, Thị trấn, Huyện, ...)",
			"unknown unit kind '%s' (Xã, Phường, Thị trấn, Huyện, ...)", c[2]);
	if (*c[3] && !all_digits(c[3]))
		perr_at(pe, line, "mã đơn vị cấp trên không hợp lệ '%s'", "bad parent code '%s'", c[3]);
	if ((*c[4] && vn_date_parse(c[4], &u.from) != 0) || (*c[5] && vn_date_parse(c[5], &u.to) != 0))
		perr_at(pe, line, "ngày hiệu lực không hợp lệ", "bad validity date");
	if (!*c[6])
		perr_at(pe, line, "thiếu phiên bản danh mục", "missing list version");
	char *key = unit_key(c[0], c[6]);
	if (!key)
		return FORMS_ENOMEM;
	if (nameset_get(ids, key) >= 0)
		perr_at(pe, line, "trùng mã đơn vị '%s' trong danh mục %s",
			"duplicate unit code '%s' in list %s", c[0], c[6]);
	if (pe->nerr) {
		free(key);
		return 0;
	}
	int rc = nameset_put(ids, key, line);
	free(key);
	if (rc != 0)
		return rc;
	u.level = kinds[k].level;
	u.code = strdup(c[0]);
	u.name = xstrdup_nfc(c[1]);
	u.kind = strdup(c[2]);
	u.parent = strdup(c[3]);
	u.list_version = strdup(c[6]);
	size_t kl = strlen(c[2]);
	if (u.name)
		u.short_name = strdup(strncmp(u.name, c[2], kl) == 0 && u.name[kl] == ' '
					      ? u.name + kl + 1
					      : u.name);
	if (!u.code || !u.name || !u.kind || !u.parent || !u.list_version || !u.short_name ||
	    text_collate_key(u.short_name, &u.key, &u.keylen) != 0 ||
	    append((void **)&ul->v, &ul->n, &ul->cap, sizeof *ul->v) != 0) {
		unit_clear(&u);
		return FORMS_ENOMEM;
	}
	ul->v[ul->n - 1] = u;
	return 0;
}

int units_parse_file(const struct forms_sink *sink, const char *path, struct unit_list *ul)
{
	struct perr pe = {sink, path, 0, 0};
	struct lines ls = {0};
	char *c[NCOL + 1];
	struct nameset ids = {0}; /* (code, list_version) so far, earlier files too */
	int rc = lines_read(&pe, path, &ls), seen_header = 0;

	if (rc != 0)
		return rc;
	for (size_t i = 0; i < ul->n && rc == 0; i++) {
		char *key = unit_key(ul->v[i].code, ul->v[i].list_version);
		rc = !key ? FORMS_ENOMEM : nameset_get(&ids, key) >= 0 ? 0 : nameset_put(&ids, key, 0);
		free(key);
	}
	for (size_t i = 0; i < ls.n && rc == 0; i++) {
		int line = (int)i + 1;
		if (!*trim(ls.line[i]))
			continue;
		int n = csv_split(ls.line[i], c, NCOL);
		if (!seen_header) {
			seen_header = 1;
			int ok = n == NCOL;
			for (int k = 0; ok && k < NCOL; k++)
				ok = strcmp(trim(c[k]), header[k]) == 0;
			if (!ok)
				perr_at(&pe, line, "dòng tiêu đề phải là: %s", "the header line must be: %s",
					"code,name,kind,parent,valid_from,valid_to,list_version");
			continue;
		}
		if (n != NCOL) {
			perr_at(&pe, line, "cần %d cột, có %d", "expected %d columns, found %d", NCOL,
				n < 0 ? 0 : n);
			continue;
		}
		int before = pe.nerr;
		pe.nerr = 0;
		rc = parse_row(&pe, line, c, ul, &ids);
		pe.nerr += before;
	}
	lines_free(&ls);
	nameset_free(&ids);
	if (rc != 0)
		return rc;
	if (!seen_header)
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

void units_sort(struct unit_list *ul)
{
	if (ul->n)
		qsort(ul->v, ul->n, sizeof *ul->v, unit_cmp);
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
const char *forms_unit_name(const struct forms_unit *u) { return u->name; }
const char *forms_unit_short_name(const struct forms_unit *u) { return u->short_name; }
const char *forms_unit_kind(const struct forms_unit *u) { return u->kind; }
enum forms_level forms_unit_level(const struct forms_unit *u) { return u->level; }
const char *forms_unit_parent(const struct forms_unit *u) { return u->parent; }
const char *forms_unit_list_version(const struct forms_unit *u) { return u->list_version; }
struct vn_date forms_unit_valid_from(const struct forms_unit *u) { return u->from; }
struct vn_date forms_unit_valid_to(const struct forms_unit *u) { return u->to; }
