/*
 * core/text_key.c: search keys (text_fold) and Vietnamese collation keys.
 *
 * Both work on the canonical decomposition, where a Vietnamese letter is a
 * base letter followed by at most a modifier (breve, circumflex, horn) and
 * a tone mark, whatever form the user typed.
 *
 * The collation key follows research/telex-and-collation/vicoll.py
 * (syllable_key): the text splits into syllables at white space; syllables
 * compare one by one, each by its letters first and then by its tones;
 * case is compared last, over the whole text.  The key lays this out so
 * that memcmp gives the same answer:
 *
 *   for each syllable: letter codes, 0x01, one tone byte per letter
 *   0x00                         (end of syllables: fewer syllables first)
 *   one case byte (1 or 2) per letter and per white space
 *   0x00, then the NFD text      (tie-break: only canonically equivalent
 *                                 strings get equal keys)
 *
 * Letter codes are >= 2, so 0x01 (end of the syllable's letters) sorts a
 * shorter syllable first, and 0x00 sorts fewer syllables first.
 */
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

#include "core/text_tables.h"

/* Ranks of the alphabet a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s
 * t u ư v w x y z (vicoll.py ALPHA, counting from 1). */
enum {
	R_A = 1,
	R_A_BREVE,
	R_A_CIRC,
	R_B,
	R_C,
	R_D,
	R_D_STROKE,
	R_E,
	R_E_CIRC,
	R_O = 19,
	R_O_CIRC,
	R_O_HORN,
	R_U = 27,
	R_U_HORN,
};

/* Rank of ASCII lower-case letters a..z in that alphabet. */
static const uint8_t ascii_rank[26] = {
    1,  4,  5,  6,  8,  10, 11, 12, 13, 14, 15, 16, 17, /* a b c d e f g h i j k l m */
    18, 19, 22, 23, 24, 25, 26, 27, 29, 30, 31, 32, 33, /* n o p q r s t u v w x y z */
};

/* Vicoll.py ranks non-letters after every letter, by code point. */
#define OTHER_BASE 100

/* White space as Python's str.split() sees it, which vicoll.py uses. */
static int is_space(uint32_t cp)
{
	return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 ||
	       cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static uint32_t lower_of(uint32_t cp)
{
	size_t lo = 0, hi = text_lower_count;

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < text_lower_table[mid].from)
			hi = mid;
		else if (cp > text_lower_table[mid].from)
			lo = mid + 1;
		else
			return text_lower_table[mid].to;
	}
	return cp;
}

/* A nonspacing or enclosing mark: a diacritic to drop from search keys. */
static int is_diacritic(uint32_t cp)
{
	if (cp < 0x300)
		return 0;
	if (cp < 0x370) /* Combining Diacritical Marks: all Mn (the table says so too) */
		return 1;
	return text_range_val(text_mark_table, text_mark_count, cp) == 1;
}

/* The fold of one code point of the canonical decomposition into out (at
 * most 5 bytes: a pending space and a letter); its length.  *space says a
 * run of white space waits to be written before the next letter; any says
 * something was written before (no leading space).  The one definition of
 * the search key: text_fold and text_fold_buf both use it. */
static size_t fold_step(uint32_t c, char *out, int *space, int any)
{
	size_t n = 0;

	if (is_diacritic(c))
		return 0;
	if (is_space(c)) {
		*space = any;
		return 0;
	}
	if (*space) {
		out[n++] = ' ';
		*space = 0;
	}
	c = lower_of(c);
	if (c == 0x111) /* đ has no decomposition; it folds to d by hand */
		c = 'd';
	return n + utf8_encode(c, out + n);
}

int text_fold(const char *s, char **out)
{
	uint32_t *v;
	size_t n, w = 0;
	char *buf;
	int err, space = 0;

	err = text_nfd_cps(s, strlen(s), &v, &n);
	if (err)
		return err;
	buf = malloc(n * 4 + 1); /* a lower-case letter takes at most 4 bytes */
	if (!buf) {
		free(v);
		return TEXT_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		w += fold_step(v[i], buf + w, &space, w > 0);
	buf[w] = '\0';
	free(v);
	*out = buf;
	return 0;
}

/* The fold of code point cp alone into out (TEXT_DECOMP_MAX * 5 bytes),
 * its length; *space as fold_step leaves it. */
static size_t fold_cp(uint32_t cp, char *out, int *space, int any)
{
	uint32_t d[TEXT_DECOMP_MAX];
	size_t nd = cp < 0xC0 ? (d[0] = cp, 1) : text_decompose_cp(cp, d), n = 0;

	for (size_t i = 0; i < nd; i++)
		n += fold_step(d[i], out + n, space, any || n > 0);
	return n;
}

void text_fold_map_init(struct text_fold_map *m)
{
	for (uint32_t cp = 0; cp < TEXT_FOLD_MAP_CPS; cp++) {
		char out[TEXT_DECOMP_MAX * 5];
		int space = 0;
		size_t n = cp >= 0xD800 && cp < 0xE000 ? 2 : fold_cp(cp, out, &space, 1);

		m->b[cp] = 0; /* the long way */
		if (cp == 0 || n > 1)
			continue;
		if (n == 0)
			m->b[cp] = space ? ' ' : 0xFF;
		else if (!space && (unsigned char)out[0] < 0x80 && out[0] != ' ')
			m->b[cp] = (uint8_t)out[0];
	}
}

/* Code point by code point, each decomposed on its own: the marks a
 * canonical reordering would move are dropped anyway, so the key is
 * text_fold's, without the allocations (a search folds every row).  A
 * code point the map folds to one ASCII byte (or to nothing, or a space)
 * takes the short way, as fold_step would write it. */
int text_fold_buf(const struct text_fold_map *m, const char *s, char *out, size_t cap,
		  size_t *outlen)
{
	size_t at = 0, len = strlen(s), w = 0;
	int space = 0, err = 0;

	if (cap == 0)
		return TEXT_ESPACE;
	while (at < len) {
		uint32_t cp = (unsigned char)s[at];
		char tmp[TEXT_DECOMP_MAX * 5];
		size_t used = 1, tw;
		uint8_t f = 0;

		if (cp >= 0x80 && utf8_decode(s + at, len - at, &cp, &used) != 0) {
			err = TEXT_EUTF8;
			break;
		}
		if (m && cp < TEXT_FOLD_MAP_CPS)
			f = m->b[cp];
		if (f == 0xFF || f == ' ') {
			if (f == ' ')
				space = w > 0;
			at += used;
			continue;
		}
		if (f) {
			tw = 0;
			if (space)
				tmp[tw++] = ' ';
			space = 0;
			tmp[tw++] = (char)f;
		} else {
			tw = fold_cp(cp, tmp, &space, w > 0);
		}
		if (w + tw >= cap) {
			err = TEXT_ESPACE;
			break;
		}
		memcpy(out + w, tmp, tw);
		w += tw;
		at += used;
	}
	out[w] = '\0';
	if (outlen)
		*outlen = w;
	return err;
}

int text_fold_contains(const char *haystack_key, const char *needle_key)
{
	if (!haystack_key || !needle_key)
		return 0;
	return strstr(haystack_key, needle_key) != NULL;
}

/* One letter (base plus its marks), space or other character, as
 * vicoll.py's key() sees it. */
struct unit {
	uint32_t prim; /* rank, OTHER_BASE + code point, or 0 for a space */
	uint8_t tone;  /* 0 none, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng */
	uint8_t upper;
};

static int tone_of(uint32_t mark)
{
	switch (mark) {
	case 0x300:
		return 1;
	case 0x309:
		return 2;
	case 0x303:
		return 3;
	case 0x301:
		return 4;
	case 0x323:
		return 5;
	}
	return 0;
}

/* The letter that base + mark makes (ă â ê ô ơ ư), or base unchanged. */
static uint32_t modify(uint32_t rank, uint32_t mark)
{
	if (rank == R_A && mark == 0x306)
		return R_A_BREVE;
	if (rank == R_A && mark == 0x302)
		return R_A_CIRC;
	if (rank == R_E && mark == 0x302)
		return R_E_CIRC;
	if (rank == R_O && mark == 0x302)
		return R_O_CIRC;
	if (rank == R_O && mark == 0x31B)
		return R_O_HORN;
	if (rank == R_U && mark == 0x31B)
		return R_U_HORN;
	return rank;
}

static size_t make_units(const uint32_t *v, size_t n, struct unit *u)
{
	size_t i = 0, k = 0;

	while (i < n) {
		uint32_t c = v[i++], rank = 0;
		struct unit x = {0, 0, 0};

		if (c >= 'a' && c <= 'z') {
			rank = ascii_rank[c - 'a'];
		} else if (c >= 'A' && c <= 'Z') {
			rank = ascii_rank[c - 'A'];
			x.upper = 1;
		} else if (c == 0x111 || c == 0x110) {
			rank = R_D_STROKE;
			x.upper = c == 0x110;
		}
		/* Marks attach to whatever precedes them, as in vicoll.py; on
		 * a non-letter they are ignored. */
		while (i < n && v[i] >= 0x300 &&
		       text_range_val(text_ccc_table, text_ccc_count, v[i])) {
			uint32_t m = v[i++], r = modify(rank, m);

			if (r != rank)
				rank = r;
			else if (tone_of(m))
				x.tone = (uint8_t)tone_of(m);
		}
		if (rank) {
			x.prim = rank;
		} else if (is_space(c)) {
			x.prim = 0;
			x.tone = 0;
		} else {
			x.prim = OTHER_BASE + c;
			x.tone = 0;
		}
		u[k++] = x;
	}
	return k;
}

/* Letter codes keep their order in a prefix-free form that never uses
 * 0x00 or 0x01: one byte for small codes, 0xFF and three bytes above. */
static size_t put_prim(uint8_t *k, uint32_t prim)
{
	if (prim <= 0xFC) {
		k[0] = (uint8_t)(prim + 2);
		return 1;
	}
	k[0] = 0xFF;
	k[1] = (uint8_t)(prim >> 16);
	k[2] = (uint8_t)(prim >> 8);
	k[3] = (uint8_t)prim;
	return 4;
}

int text_collate_key(const char *s, uint8_t **key, size_t *keylen)
{
	uint32_t *v;
	struct unit *u;
	uint8_t *k;
	size_t n, nu, w = 0, i, j;
	int err;

	err = text_nfd_cps(s, strlen(s), &v, &n);
	if (err)
		return err;
	u = malloc((n ? n : 1) * sizeof *u);
	/* Per unit at most 4 + 1 + 1 bytes, a syllable end each, two
	 * separators, then at most 4 bytes per code point of NFD text. */
	k = malloc(n * 11 + 2);
	if (!u || !k) {
		err = TEXT_ENOMEM;
		goto out;
	}
	nu = make_units(v, n, u);
	for (i = 0; i < nu;) {
		if (u[i].prim == 0) {
			i++;
			continue;
		}
		for (j = i; j < nu && u[j].prim != 0; j++)
			w += put_prim(k + w, u[j].prim);
		k[w++] = 0x01;
		for (j = i; j < nu && u[j].prim != 0; j++)
			k[w++] = u[j].tone;
		i = j;
	}
	k[w++] = 0x00;
	for (i = 0; i < nu; i++)
		k[w++] = (uint8_t)(1 + u[i].upper);
	k[w++] = 0x00;
	for (i = 0; i < n; i++)
		w += utf8_encode(v[i], (char *)k + w);
	*key = k;
	*keylen = w;
	k = NULL;
out:
	free(k);
	free(u);
	free(v);
	return err;
}

int text_collate(const char *a, const char *b)
{
	uint8_t *ka = NULL, *kb = NULL;
	size_t la = 0, lb = 0;
	int ea, eb, r;

	ea = text_collate_key(a, &ka, &la);
	eb = text_collate_key(b, &kb, &lb);
	if (ea == 0 && eb == 0) {
		r = memcmp(ka, kb, la < lb ? la : lb);
		if (r == 0)
			r = la < lb ? -1 : la > lb;
	} else if (ea == TEXT_EUTF8 && eb == 0) {
		r = 1;
	} else if (ea == 0 && eb == TEXT_EUTF8) {
		r = -1;
	} else {
		/* Both invalid, or out of memory: bytes are still a total order. */
		r = strcmp(a, b);
	}
	free(ka);
	free(kb);
	return r;
}
