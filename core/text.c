/*
 * core/text.c: strict UTF-8 and NFC.
 *
 * NFC is done the textbook way (UAX #15): full canonical decomposition,
 * canonical ordering of combining marks by ccc, then canonical composition.
 * The data come from core/text_tables.c (generated from the UCD); Hangul
 * syllables are handled by arithmetic.  Search keys and collation live in
 * text_key.c, display width and cursor steps in text_width.c.
 */
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text_tables.h"

/* Hangul syllable arithmetic (Unicode ch. 3.12). */
enum {
	HANGUL_S = 0xAC00,
	HANGUL_L = 0x1100,
	HANGUL_V = 0x1161,
	HANGUL_T = 0x11A7,
	HANGUL_LCOUNT = 19,
	HANGUL_VCOUNT = 21,
	HANGUL_TCOUNT = 28,
	HANGUL_NCOUNT = HANGUL_VCOUNT * HANGUL_TCOUNT,
	HANGUL_SCOUNT = HANGUL_LCOUNT * HANGUL_NCOUNT,
};

/* Runs of combining marks up to this length are sorted in place; longer
 * ones (only hostile input has them) by counting sort, to stay linear. */
#define SHORT_RUN 32

const char *text_strerror(int err)
{
	switch (err) {
	case TEXT_OK:
		return "ok";
	case TEXT_EUTF8:
		return "invalid UTF-8";
	case TEXT_ENOMEM:
		return "out of memory";
	case TEXT_ESPACE:
		return "output buffer too small";
	}
	return "unknown text error";
}

int utf8_decode(const char *s, size_t len, uint32_t *cp, size_t *used)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	size_t n, i;
	unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */

	if (len == 0)
		return TEXT_EUTF8;
	if (u[0] < 0x80) {
		*cp = u[0];
		*used = 1;
		return 0;
	}
	/* The second-byte limits below are what rule out overlong forms,
	 * surrogates and code points above U+10FFFF (RFC 3629, table 3-7). */
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		n = 2;
		c = u[0] & 0x1F;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		n = 3;
		c = u[0] & 0x0F;
		if (u[0] == 0xE0)
			lo = 0xA0;
		else if (u[0] == 0xED)
			hi = 0x9F;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		n = 4;
		c = u[0] & 0x07;
		if (u[0] == 0xF0)
			lo = 0x90;
		else if (u[0] == 0xF4)
			hi = 0x8F;
	} else {
		return TEXT_EUTF8;
	}
	if (len < n)
		return TEXT_EUTF8;
	if (u[1] < lo || u[1] > hi)
		return TEXT_EUTF8;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return TEXT_EUTF8;
		c = (c << 6) | (u[i] & 0x3F);
	}
	*cp = c;
	*used = n;
	return 0;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return 0;
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int text_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

char *text_escape_unsafe(const char *s, const char *keep)
{
	size_t len = strlen(s), cap = len + 1, n = 0, used;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i += used) {
		uint32_t cp;
		char esc[16];
		const char *put = s + i;
		size_t k;
		if (utf8_decode(s + i, len - i, &cp, &used) != 0) {
			used = 1;
			k = (size_t)snprintf(esc, sizeof esc, "<%02X>", (unsigned char)s[i]);
			put = esc;
		} else if (text_cp_unsafe(cp) && !(cp < 0x80 && keep && cp && strchr(keep, (int)cp))) {
			k = (size_t)snprintf(esc, sizeof esc, "<U+%04X>", (unsigned)cp);
			put = esc;
		} else {
			k = used;
		}
		if (n + k + 1 > cap) {
			cap = 2 * cap + k;
			char *grown = realloc(out, cap);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
		}
		memcpy(out + n, put, k);
		n += k;
	}
	out[n] = '\0';
	return out;
}

int utf8_validate(const char *s, size_t len)
{
	size_t i = 0, used;
	uint32_t cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (utf8_decode(s + i, len - i, &cp, &used) != 0)
			return TEXT_EUTF8;
		i += used;
	}
	return 0;
}

int text_range_val(const struct text_range *t, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	if (n == 0 || cp < t[0].first || cp > t[n - 1].last)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < t[mid].first)
			hi = mid;
		else if (cp > t[mid].last)
			lo = mid + 1;
		else
			return t[mid].val;
	}
	return 0;
}

static int ccc_of(uint32_t cp)
{
	/* Everything below U+0300 is a starter; most text never searches. */
	if (cp < 0x300)
		return 0;
	return text_range_val(text_ccc_table, text_ccc_count, cp);
}

static const struct text_decomp *decomp_find(uint32_t cp)
{
	size_t lo = 0, hi = text_decomp_count;

	if (cp < 0xC0)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < text_decomp_table[mid].cp)
			hi = mid;
		else if (cp > text_decomp_table[mid].cp)
			lo = mid + 1;
		else
			return &text_decomp_table[mid];
	}
	return NULL;
}

/* Writes the full canonical decomposition of cp into out (when not NULL)
 * and returns its length (1 when cp does not decompose). */
size_t text_decompose_cp(uint32_t cp, uint32_t *out)
{
	const struct text_decomp *d;

	if (cp >= HANGUL_S && cp < HANGUL_S + HANGUL_SCOUNT) {
		uint32_t si = cp - HANGUL_S, t = si % HANGUL_TCOUNT;

		if (out) {
			out[0] = HANGUL_L + si / HANGUL_NCOUNT;
			out[1] = HANGUL_V + (si % HANGUL_NCOUNT) / HANGUL_TCOUNT;
			if (t)
				out[2] = HANGUL_T + t;
		}
		return t ? 3 : 2;
	}
	d = decomp_find(cp);
	if (!d) {
		if (out)
			out[0] = cp;
		return 1;
	}
	if (out)
		memcpy(out, text_decomp_pool + d->off, d->len * sizeof *out);
	return d->len;
}

/* The primary composite of a + b, or 0. */
static uint32_t compose(uint32_t a, uint32_t b)
{
	size_t lo = 0, hi = text_comp_count;

	if (a >= HANGUL_L && a < HANGUL_L + HANGUL_LCOUNT && b >= HANGUL_V &&
	    b < HANGUL_V + HANGUL_VCOUNT)
		return HANGUL_S + ((a - HANGUL_L) * HANGUL_VCOUNT + (b - HANGUL_V)) * HANGUL_TCOUNT;
	if (a >= HANGUL_S && a < HANGUL_S + HANGUL_SCOUNT && (a - HANGUL_S) % HANGUL_TCOUNT == 0 &&
	    b > HANGUL_T && b < HANGUL_T + HANGUL_TCOUNT)
		return a + (b - HANGUL_T);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct text_comp *c = &text_comp_table[mid];

		if (a < c->a || (a == c->a && b < c->b))
			hi = mid;
		else if (a > c->a || b > c->b)
			lo = mid + 1;
		else
			return c->c;
	}
	return 0;
}

/* Stable sort of a run of non-starters by ccc (the canonical ordering
 * algorithm is exactly a stable sort). */
static int sort_run(uint32_t *v, size_t n)
{
	if (n <= SHORT_RUN) {
		for (size_t i = 1; i < n; i++) {
			uint32_t c = v[i];
			int cc = ccc_of(c);
			size_t j = i;

			while (j > 0 && ccc_of(v[j - 1]) > cc) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = c;
		}
		return 0;
	}
	size_t count[257] = {0};
	uint32_t *tmp = malloc(n * sizeof *tmp);

	if (!tmp)
		return TEXT_ENOMEM;
	for (size_t i = 0; i < n; i++)
		count[ccc_of(v[i]) + 1]++;
	for (size_t k = 1; k < 257; k++)
		count[k] += count[k - 1];
	for (size_t i = 0; i < n; i++)
		tmp[count[ccc_of(v[i])]++] = v[i];
	memcpy(v, tmp, n * sizeof *v);
	free(tmp);
	return 0;
}

static int canonical_order(uint32_t *v, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j;

		if (ccc_of(v[i]) == 0) {
			i++;
			continue;
		}
		for (j = i + 1; j < n && ccc_of(v[j]) != 0; j++)
			;
		if (j - i > 1 && sort_run(v + i, j - i) != 0)
			return TEXT_ENOMEM;
		i = j;
	}
	return 0;
}

int text_nfd_cps(const char *s, size_t len, uint32_t **cps, size_t *n)
{
	size_t i, used, total = 0, k = 0;
	uint32_t cp, *v;

	/* Two passes: validate and size first, so the buffer is exact. */
	for (i = 0; i < len; i += used) {
		if (utf8_decode(s + i, len - i, &cp, &used) != 0)
			return TEXT_EUTF8;
		total += text_decompose_cp(cp, NULL);
	}
	v = malloc((total ? total : 1) * sizeof *v);
	if (!v)
		return TEXT_ENOMEM;
	for (i = 0; i < len; i += used) {
		utf8_decode(s + i, len - i, &cp, &used);
		k += text_decompose_cp(cp, v + k);
	}
	if (canonical_order(v, total) != 0) {
		free(v);
		return TEXT_ENOMEM;
	}
	*cps = v;
	*n = total;
	return 0;
}

/* Canonical composition in place (UAX #15 §3.11); returns the new length.
 * A mark composes with the last starter unless something between them is
 * a starter or has a ccc >= its own ("blocked"). */
static size_t compose_cps(uint32_t *v, size_t n)
{
	size_t w = 0, starter = 0;
	int have_starter = 0, last_cc = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t c = v[i], comp;
		int cc = ccc_of(c);

		if (have_starter && (w == starter + 1 || (last_cc != 0 && last_cc < cc))) {
			comp = compose(v[starter], c);
			if (comp) {
				v[starter] = comp;
				continue;
			}
		}
		if (cc == 0) {
			starter = w;
			have_starter = 1;
		}
		last_cc = cc;
		v[w++] = c;
	}
	return w;
}

int text_nfc(const char *s, size_t len, char **out, size_t *outlen)
{
	uint32_t *v;
	size_t n, i, w = 0;
	char *buf;
	int err;

	for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == len) { /* ASCII is always NFC: the common case, no tables */
		buf = malloc(len + 1);
		if (!buf)
			return TEXT_ENOMEM;
		memcpy(buf, s, len);
		buf[len] = '\0';
		*out = buf;
		if (outlen)
			*outlen = len;
		return 0;
	}
	err = text_nfd_cps(s, len, &v, &n);
	if (err)
		return err;
	n = compose_cps(v, n);
	buf = malloc(n * 4 + 1);
	if (!buf) {
		free(v);
		return TEXT_ENOMEM;
	}
	for (i = 0; i < n; i++)
		w += utf8_encode(v[i], buf + w);
	buf[w] = '\0';
	free(v);
	*out = buf;
	if (outlen)
		*outlen = w;
	return 0;
}

int text_is_nfc(const char *s)
{
	size_t len = strlen(s), n;
	char *norm;
	int same;

	if (text_nfc(s, len, &norm, &n) != 0)
		return 0;
	same = n == len && memcmp(norm, s, len) == 0;
	free(norm);
	return same;
}
