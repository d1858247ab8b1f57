/*
 * forms/util.c: error reporting, file lines and small parsing helpers shared
 * by the form, period and unit parsers.
 */
#include "forms/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

const char *forms_strerror(int err)
{
	switch (err) {
	case FORMS_OK: return "ok";
	case FORMS_ENOMEM: return "out of memory";
	case FORMS_EIO: return "cannot read a data file";
	case FORMS_EPARSE: return "a data file has errors";
	case FORMS_ENOTFOUND: return "not found";
	case FORMS_EINVAL: return "invalid value";
	case FORMS_ECHECK: return "the record does not pass its checks";
	}
	return "unknown forms error";
}

void utf8_cut(char *s)
{
	size_t n = strlen(s), lead = n, need;
	unsigned char c;

	while (lead > 0 && n - lead < 4 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead == 0)
		return;
	c = (unsigned char)s[--lead];
	need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (n - lead < need)
		s[lead] = '\0';
}

void perr_vat(struct perr *pe, int line, const char *vi, const char *en, va_list ap)
{
	char msg[512], out[1024];

	pe->nerr++;
	if (!pe->sink || !pe->sink->report)
		return;
	vsnprintf(msg, sizeof msg, pe->sink->lang == FORMS_LANG_EN ? en : vi, ap);
	utf8_cut(msg);
	if (line > 0)
		snprintf(out, sizeof out, "%s:%d: %s", pe->path, line, msg);
	else
		snprintf(out, sizeof out, "%s: %s", pe->path, msg);
	utf8_cut(out);
	pe->sink->report(pe->sink->ctx, out);
}

void perr_at(struct perr *pe, int line, const char *vi, const char *en, ...)
{
	va_list ap;

	va_start(ap, en);
	perr_vat(pe, line, vi, en, ap);
	va_end(ap);
}

int perr_once(struct perr *pe, int line, const char *kw, int *first)
{
	if (*first) {
		perr_at(pe, line, "'%s' bị lặp lại (đã có ở dòng %d)", "'%s' given twice (first at line %d)",
			kw, *first);
		return -1;
	}
	*first = line;
	return 0;
}

/* Why a file or directory could not be read, for people who read no
 * English; the English sink gets strerror(). */
static const char *errno_vi(int err, int dir)
{
	switch (err) {
	case ENOENT: return dir ? "không có thư mục này" : "không có tệp này";
	case EACCES:
	case EPERM: return "không có quyền đọc";
	case EISDIR: return "đây là một thư mục";
	case ENOTDIR: return "một phần của đường dẫn không phải là thư mục";
	case ELOOP: return "đường dẫn có vòng liên kết";
	case ENAMETOOLONG: return "đường dẫn quá dài";
	case EMFILE:
	case ENFILE: return "đang mở quá nhiều tệp";
	case ENOMEM: return "hết bộ nhớ";
	case EIO: return "lỗi đọc ổ đĩa";
	}
	return "lỗi hệ thống";
}

void perr_errno(struct perr *pe, const char *vi, const char *en, int err, int dir)
{
	perr_at(pe, 0, "%s: %s", "%s: %s", pe->sink && pe->sink->lang == FORMS_LANG_EN ? en : vi,
		pe->sink && pe->sink->lang == FORMS_LANG_EN ? strerror(err) : errno_vi(err, dir));
}

int lines_read(struct perr *pe, const char *path, struct lines *out)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, nl = 1;

	if (!fp) {
		perr_errno(pe, "không mở được tệp", "cannot open", errno, 0);
		return FORMS_EIO;
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, cap + 1);
			if (!nb)
				goto fail_nomem;
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		perr_errno(pe, "không đọc được tệp", "cannot read", errno, 0);
		free(buf);
		fclose(fp);
		return FORMS_EIO;
	}
	fclose(fp);
	buf[len] = '\0';
	if (memchr(buf, '\0', len) || utf8_validate(buf, len) != 0) {
		perr_at(pe, 0, "tệp không phải văn bản UTF-8", "not UTF-8 text");
		free(buf);
		return FORMS_EPARSE;
	}
	/* Files may be typed decomposed (NFD): every parser sees NFC, so
	 * kinds, labels and names compare byte for byte. */
	char *nfc;
	if (text_nfc(buf, len, &nfc, &len) != 0) {
		free(buf);
		return FORMS_ENOMEM;
	}
	free(buf);
	buf = nfc;
	for (size_t i = 0; i < len; i++)
		nl += buf[i] == '\n';
	char **line = calloc(nl, sizeof *line);
	if (!line) {
		free(buf);
		return FORMS_ENOMEM;
	}
	char *p = buf;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	size_t n = 0;
	while (n < nl) {
		line[n++] = p;
		char *e = strchr(p, '\n');
		if (e)
			*e = '\0';
		size_t l = strlen(p);
		if (l && p[l - 1] == '\r')
			p[l - 1] = '\0';
		if (!e)
			break;
		p = e + 1;
	}
	out->buf = buf;
	out->line = line;
	out->n = n;
	return 0;
fail_nomem:
	free(buf);
	fclose(fp);
	return FORMS_ENOMEM;
}

void lines_free(struct lines *l)
{
	free(l->buf);
	free(l->line);
	l->buf = NULL;
	l->line = NULL;
	l->n = 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

char *trim(char *s)
{
	while (is_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

char *word_split(char *s, char **rest)
{
	s = trim(s);
	char *p = s;
	while (*p && !is_blank(*p))
		p++;
	if (*p) {
		*p++ = '\0';
		*rest = trim(p);
	} else {
		*rest = p;
	}
	return s;
}

int is_ident(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

int is_form_id(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

char *xstrdup_nfc(const char *s)
{
	char *out = NULL;
	if (text_nfc(s, strlen(s), &out, NULL) != 0)
		return NULL;
	return out;
}

int parse_i64(const char *s, int64_t *out)
{
	const char *p = s;
	int neg = 0;
	uint64_t v = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!*p)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int parse_milli(const char *s, int64_t *out)
{
	char ip[32];
	const char *dot = strchr(s, '.');
	size_t il = dot ? (size_t)(dot - s) : strlen(s);
	int64_t whole, frac = 0;

	if (il == 0 || il >= sizeof ip)
		return -1;
	memcpy(ip, s, il);
	ip[il] = '\0';
	if (parse_i64(ip, &whole) != 0)
		return -1;
	if (dot) {
		const char *f = dot + 1;
		size_t fl = strlen(f);
		if (fl == 0 || fl > 3)
			return -1;
		for (size_t i = 0; i < 3; i++) {
			if (i < fl && (f[i] < '0' || f[i] > '9'))
				return -1;
			frac = frac * 10 + (i < fl ? f[i] - '0' : 0);
		}
	}
	if (__builtin_mul_overflow(whole, 1000, &whole) ||
	    (ip[0] == '-' ? __builtin_sub_overflow(whole, frac, &whole)
			  : __builtin_add_overflow(whole, frac, &whole)))
		return -2;
	*out = whole;
	return 0;
}

void fmt_milli(int64_t milli, char *buf, size_t size, char point)
{
	uint64_t a = milli < 0 ? (uint64_t)0 - (uint64_t)milli : (uint64_t)milli;
	unsigned frac = (unsigned)(a % 1000);
	int n = snprintf(buf, size, "%s%llu", milli < 0 ? "-" : "", (unsigned long long)(a / 1000));
	if (frac && n > 0 && (size_t)n < size) {
		char f[5];
		snprintf(f, sizeof f, "%c%03u", point, frac);
		size_t fl = 4;
		while (f[fl - 1] == '0')
			fl--;
		f[fl] = '\0';
		snprintf(buf + n, size - (size_t)n, "%s", f);
	}
}

static size_t name_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)h;
}

/* The slot of key, or the empty slot where it would go (cap > 0). */
static size_t name_slot(char *const *key, size_t cap, const char *k)
{
	size_t i = name_hash(k) & (cap - 1);
	while (key[i] && strcmp(key[i], k) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

int nameset_get(const struct nameset *s, const char *key)
{
	if (!s->cap)
		return -1;
	size_t i = name_slot(s->key, s->cap, key);
	return s->key[i] ? s->val[i] : -1;
}

int nameset_put(struct nameset *s, const char *key, int val)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 16;
		char **nk = calloc(nc, sizeof *nk);
		int *nv = calloc(nc, sizeof *nv);
		if (!nk || !nv) {
			free(nk);
			free(nv);
			return FORMS_ENOMEM;
		}
		for (size_t i = 0; i < s->cap; i++)
			if (s->key[i]) {
				size_t j = name_slot(nk, nc, s->key[i]);
				nk[j] = s->key[i];
				nv[j] = s->val[i];
			}
		free(s->key);
		free(s->val);
		s->key = nk;
		s->val = nv;
		s->cap = nc;
	}
	size_t i = name_slot(s->key, s->cap, key);
	if (!(s->key[i] = strdup(key)))
		return FORMS_ENOMEM;
	s->val[i] = val;
	s->n++;
	return 0;
}

void nameset_free(struct nameset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->key[i]);
	free(s->key);
	free(s->val);
	memset(s, 0, sizeof *s);
}

int append(void **arr, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		void *na = realloc(*arr, nc * size);
		if (!na)
			return FORMS_ENOMEM;
		*arr = na;
		*cap = nc;
	}
	memset((char *)*arr + *n * size, 0, size);
	(*n)++;
	return 0;
}
