/*
 * core/telex.c: the Telex engine (contracts in core/telex.h).
 *
 * A word is decoded into letters {base, mark, tone, case} and split into
 * onset, nucleus (the vowels) and final.  A key is then one operation on
 * that structure: set a tone, set a mark, append a letter, or undo.  After
 * each operation the tone is taken off and placed again by the rules, so
 * the order of keys does not matter ("tieengs" = "tieesng").  A word that
 * is not a Vietnamese syllable, or the start of one, is left alone: that
 * is what turns "ass" into as (the s after "á" undoes the tone and leaves
 * "as", which no later key can touch).
 */
#include "core/telex.h"
#include "core/text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum mark { MARK_NONE, MARK_CIRC, MARK_BREVE, MARK_HORN, MARK_BAR };

/* Tone indexes follow the key order s f r x j. */
enum { TONE_NONE, TONE_SAC, TONE_HUYEN, TONE_HOI, TONE_NGA, TONE_NANG, TONE_COUNT };

/* A Vietnamese syllable has at most 7 letters (nghiêng); room for a
 * literal tail keeps undo results ("nghieengs") representable. */
#define MAX_LETTERS 16

struct letter {
	char base;          /* lower-case ASCII a-z; đ is 'd' + MARK_BAR */
	unsigned char mark; /* enum mark */
	unsigned char tone; /* TONE_* */
	bool upper;
};

struct word {
	struct letter l[MAX_LETTERS];
	size_t n;
	size_t nuc, fin; /* onset l[0..nuc), nucleus l[nuc..fin), final l[fin..n) */
	size_t tone_pos; /* where word_take_tone found the tone, n if none */
};

#define LONE_W 1u /* word_flags: the word's ư came from a lone w */

/* The 12 vowels, in the row order of vowel_cp. */
static const char vowel_base[12] = "aaaeeiooouuy";
static const unsigned char vowel_mark[12] = {
    MARK_NONE, MARK_BREVE, MARK_CIRC, MARK_NONE, MARK_CIRC, MARK_NONE,
    MARK_NONE, MARK_CIRC,  MARK_HORN, MARK_NONE, MARK_HORN, MARK_NONE,
};

/* [upper][vowel][tone]: every precomposed Vietnamese vowel. */
static const uint32_t vowel_cp[2][12][TONE_COUNT] = {
    {
        {0x0061, 0x00E1, 0x00E0, 0x1EA3, 0x00E3, 0x1EA1}, /* a */
        {0x0103, 0x1EAF, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EB7}, /* ă */
        {0x00E2, 0x1EA5, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EAD}, /* â */
        {0x0065, 0x00E9, 0x00E8, 0x1EBB, 0x1EBD, 0x1EB9}, /* e */
        {0x00EA, 0x1EBF, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EC7}, /* ê */
        {0x0069, 0x00ED, 0x00EC, 0x1EC9, 0x0129, 0x1ECB}, /* i */
        {0x006F, 0x00F3, 0x00F2, 0x1ECF, 0x00F5, 0x1ECD}, /* o */
        {0x00F4, 0x1ED1, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED9}, /* ô */
        {0x01A1, 0x1EDB, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EE3}, /* ơ */
        {0x0075, 0x00FA, 0x00F9, 0x1EE7, 0x0169, 0x1EE5}, /* u */
        {0x01B0, 0x1EE9, 0x1EEB, 0x1EED, 0x1EEF, 0x1EF1}, /* ư */
        {0x0079, 0x00FD, 0x1EF3, 0x1EF7, 0x1EF9, 0x1EF5}, /* y */
    },
    {
        {0x0041, 0x00C1, 0x00C0, 0x1EA2, 0x00C3, 0x1EA0}, /* A */
        {0x0102, 0x1EAE, 0x1EB0, 0x1EB2, 0x1EB4, 0x1EB6}, /* Ă */
        {0x00C2, 0x1EA4, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EAC}, /* Â */
        {0x0045, 0x00C9, 0x00C8, 0x1EBA, 0x1EBC, 0x1EB8}, /* E */
        {0x00CA, 0x1EBE, 0x1EC0, 0x1EC2, 0x1EC4, 0x1EC6}, /* Ê */
        {0x0049, 0x00CD, 0x00CC, 0x1EC8, 0x0128, 0x1ECA}, /* I */
        {0x004F, 0x00D3, 0x00D2, 0x1ECE, 0x00D5, 0x1ECC}, /* O */
        {0x00D4, 0x1ED0, 0x1ED2, 0x1ED4, 0x1ED6, 0x1ED8}, /* Ô */
        {0x01A0, 0x1EDA, 0x1EDC, 0x1EDE, 0x1EE0, 0x1EE2}, /* Ơ */
        {0x0055, 0x00DA, 0x00D9, 0x1EE6, 0x0168, 0x1EE4}, /* U */
        {0x01AF, 0x1EE8, 0x1EEA, 0x1EEC, 0x1EEE, 0x1EF0}, /* Ư */
        {0x0059, 0x00DD, 0x1EF2, 0x1EF6, 0x1EF8, 0x1EF4}, /* Y */
    },
};

/* Vowel nuclei of Vietnamese with their marks: a letter, then ( for breve,
 * ^ for circumflex, + for horn.  A nucleus being typed is acceptable when
 * it is one of these with some marks still missing ("uo" on the way to
 * "u+o+"), which is what lets marks come after the letters.  After qu and
 * gi the u and i belong to the onset, so "qua" is onset qu, nucleus a. */
static const char *const nuclei[] = {
    "a",   "a(",  "a^",  "e",   "e^",   "i",    "o",     "o^",    "o+",  "u",    "u+",
    "y",   "ai",  "ao",  "au",  "ay",   "a^u",  "a^y",   "eo",    "e^u", "ia",   "ie^",
    "iu",  "oa",  "oa(", "oe",  "oi",   "o^i",  "o+i",   "oo",    "ua",  "ua^",  "ue^",
    "ui",  "uo^", "uo+", "uy",  "u+a",  "u+i",  "u+o+",  "u+u",   "ye^", "ie^u", "ye^u",
    "oai", "oao", "oay", "oeo", "ua^y", "uo^i", "u+o+i", "u+o+u", "uya", "uye^", "uyu",
};

static const char *const onsets[] = {
    "",   "b",   "c",  "ch", "d",  "dd", "g",  "gh", "gi", "h", "k",  "kh", "l", "m", "n",
    "ng", "ngh", "nh", "p",  "ph", "q",  "qu", "r",  "s",  "t", "th", "tr", "v", "x",
};

static const char *const finals[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};

const char *telex_strerror(int err)
{
	switch (err) {
	case TELEX_LITERAL:
		return "not handled";
	case TELEX_HANDLED:
		return "handled";
	case TELEX_ENOMEM:
		return "out of memory";
	}
	return "unknown telex error";
}

void telex_word_reset(struct telex *t)
{
	t->word_flags = 0;
}

static bool is_vowel(const struct letter *c)
{
	return c->mark != MARK_BAR && strchr("aeiouy", c->base) != NULL;
}

static int vowel_row(const struct letter *c)
{
	for (int v = 0; v < 12; v++)
		if (vowel_base[v] == c->base && vowel_mark[v] == c->mark)
			return v;
	return -1;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Decode one UTF-8 code point; 0 bytes used means malformed.  Only the
 * shortest form is accepted, which is all the letter table needs. */
static size_t utf8_get(const unsigned char *s, size_t len, uint32_t *cp)
{
	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] < 0xE0 && len >= 2 && (s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] >= 0xE0 && s[0] < 0xF0 && len >= 3 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return *cp >= 0x800 ? 3 : 0;
	}
	return 0;
}

static size_t utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | cp >> 12);
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* Map a code point to a letter; false for anything that is not an ASCII
 * letter, đ/Đ or a precomposed Vietnamese vowel. */
static bool letter_from_cp(uint32_t cp, struct letter *c)
{
	c->mark = MARK_NONE;
	c->tone = TONE_NONE;
	if (cp < 0x80) {
		if (!is_alpha((char)cp))
			return false;
		c->base = lower((char)cp);
		c->upper = cp < 'a';
		return true;
	}
	if (cp == 0x0111 || cp == 0x0110) {
		c->base = 'd';
		c->mark = MARK_BAR;
		c->upper = cp == 0x0110;
		return true;
	}
	for (int u = 0; u < 2; u++)
		for (int v = 0; v < 12; v++)
			for (int t = 0; t < TONE_COUNT; t++)
				if (vowel_cp[u][v][t] == cp) {
					c->base = vowel_base[v];
					c->mark = vowel_mark[v];
					c->tone = (unsigned char)t;
					c->upper = u;
					return true;
				}
	return false;
}

static uint32_t letter_cp(const struct letter *c)
{
	if (c->mark == MARK_BAR)
		return c->upper ? 0x0110 : 0x0111;
	int v = vowel_row(c);
	if (v >= 0)
		return vowel_cp[c->upper][v][c->tone];
	return (uint32_t)(c->upper ? c->base - 'a' + 'A' : c->base);
}

/* Encode w into out; false when it would not fit TELEX_WORD_MAX. */
static bool word_encode(const struct word *w, char out[TELEX_WORD_MAX + 1], size_t *outlen)
{
	char buf[4];
	size_t len = 0;

	for (size_t i = 0; i < w->n; i++) {
		size_t k = utf8_put(letter_cp(&w->l[i]), buf);
		if (len + k > TELEX_WORD_MAX)
			return false;
		memcpy(out + len, buf, k);
		len += k;
	}
	out[len] = '\0';
	*outlen = len;
	return true;
}

static bool word_decode(const char *s, size_t len, struct word *w)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	w->n = 0;
	while (len > 0) {
		size_t k = utf8_get(p, len, &cp);
		if (k == 0 || w->n == MAX_LETTERS || !letter_from_cp(cp, &w->l[w->n]))
			return false;
		w->n++;
		p += k;
		len -= k;
	}
	return true;
}

/* Spell l[from..to) as a lower-case string, đ as "dd"; false if it holds
 * a vowel or does not fit. */
static bool consonants(const struct word *w, size_t from, size_t to, char *buf, size_t cap)
{
	size_t k = 0;

	for (size_t i = from; i < to; i++) {
		const struct letter *c = &w->l[i];
		if (k + 3 > cap)
			return false;
		if (c->mark == MARK_BAR) {
			buf[k++] = 'd';
			buf[k++] = 'd';
		} else {
			buf[k++] = c->base;
		}
	}
	buf[k] = '\0';
	return true;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* True when l[from..to) is a listed nucleus, or one with marks missing. */
static bool nucleus_ok(const struct word *w, size_t from, size_t to)
{
	for (size_t e = 0; e < sizeof nuclei / sizeof nuclei[0]; e++) {
		const char *p = nuclei[e];
		size_t i = from;
		for (; i < to && *p; i++) {
			const struct letter *c = &w->l[i];
			unsigned char m = MARK_NONE;
			if (*p++ != c->base)
				break;
			if (*p == '(' || *p == '^' || *p == '+') {
				m = *p == '(' ? MARK_BREVE : *p == '^' ? MARK_CIRC : MARK_HORN;
				p++;
			}
			if (c->mark != MARK_NONE && c->mark != m)
				break;
		}
		if (i == to && *p == '\0')
			return true;
	}
	return false;
}

/* Split w into onset, nucleus and final and check that each could be
 * (the start of) a Vietnamese syllable. */
static bool word_split(struct word *w)
{
	char buf[MAX_LETTERS * 2 + 1];
	size_t i = 0;

	while (i < w->n && !is_vowel(&w->l[i]))
		i++;
	w->nuc = i;
	while (i < w->n && is_vowel(&w->l[i]))
		i++;
	w->fin = i;
	for (; i < w->n; i++)
		if (is_vowel(&w->l[i]))
			return false;
	/* gi and qu are onsets when another vowel follows: già, quý. */
	if (w->nuc == 1 && w->fin - w->nuc >= 2) {
		const struct letter *c = &w->l[0], *v = &w->l[1];
		if (v->mark == MARK_NONE && c->mark == MARK_NONE &&
		    ((c->base == 'g' && v->base == 'i') || (c->base == 'q' && v->base == 'u')))
			w->nuc = 2;
	}
	if (!consonants(w, 0, w->nuc, buf, sizeof buf) ||
	    !in_list(buf, onsets, sizeof onsets / sizeof onsets[0]))
		return false;
	for (size_t k = 0; k < w->nuc; k++)
		if (w->l[k].mark != MARK_NONE && w->l[k].mark != MARK_BAR)
			return false;
	if (w->fin == w->nuc)
		return w->fin == w->n;
	if (!consonants(w, w->fin, w->n, buf, sizeof buf) ||
	    !in_list(buf, finals, sizeof finals / sizeof finals[0]))
		return false;
	for (size_t k = w->fin; k < w->n; k++)
		if (w->l[k].mark != MARK_NONE)
			return false;
	return nucleus_ok(w, w->nuc, w->fin);
}

/* The word's tone, taken off every letter; -1 if two letters carry one. */
static int word_take_tone(struct word *w)
{
	int tone = TONE_NONE;

	w->tone_pos = w->n;
	for (size_t i = 0; i < w->n; i++) {
		if (w->l[i].tone == TONE_NONE)
			continue;
		if (tone != TONE_NONE)
			return -1;
		tone = w->l[i].tone;
		w->tone_pos = i;
		w->l[i].tone = TONE_NONE;
	}
	return tone;
}

/* Which nucleus letter takes the tone (research/ecosystem.md §2.3). */
static size_t tone_position(const struct word *w, enum telex_style style)
{
	size_t a = w->nuc, n = w->fin - w->nuc;

	for (size_t i = w->fin; i-- > a;)
		if (w->l[i].mark != MARK_NONE)
			return i;
	if (w->fin < w->n)
		return w->fin - 1;
	if (n == 3)
		return a + 1;
	if (n == 2 && style == TELEX_NEW) {
		char p = w->l[a].base, q = w->l[a + 1].base;
		if ((p == 'o' && (q == 'a' || q == 'e')) || (p == 'u' && q == 'y'))
			return a + 1;
	}
	return a;
}

/* Put a split, valid word into its final form: uơ becomes ươ once
 * anything follows the ơ, and the tone goes where the rules say. */
static bool word_finish(struct word *w, int tone, enum telex_style style,
                        char out[TELEX_WORD_MAX + 1], size_t *outlen)
{
	for (size_t i = w->nuc; i + 1 < w->fin; i++)
		if (w->l[i].base == 'u' && w->l[i].mark == MARK_NONE && w->l[i + 1].base == 'o' &&
		    w->l[i + 1].mark == MARK_HORN && i + 2 < w->n)
			w->l[i].mark = MARK_HORN;
	if (tone != TONE_NONE) {
		if (w->fin == w->nuc)
			return false;
		w->l[tone_position(w, style)].tone = (unsigned char)tone;
	}
	return word_encode(w, out, outlen);
}

static bool word_push(struct word *w, char key, unsigned char mark)
{
	if (w->n == MAX_LETTERS)
		return false;
	w->l[w->n].base = lower(key);
	w->l[w->n].mark = mark;
	w->l[w->n].tone = TONE_NONE;
	w->l[w->n].upper = key >= 'A' && key <= 'Z';
	w->n++;
	return true;
}

/* The key as one more letter of a still valid word. */
static int op_append(struct telex *t, struct word *w, int tone, char key,
                     char out[TELEX_WORD_MAX + 1], size_t *outlen)
{
	if (!word_push(w, key, MARK_NONE) || !word_split(w))
		return TELEX_LITERAL;
	return word_finish(w, tone, t->style, out, outlen) ? TELEX_HANDLED : TELEX_LITERAL;
}

/* The key's mark was there already: take it off and add the key itself,
 * leaving the tone where it was.  The result is usually no syllable, so
 * later keys stay literal ("ass" -> as, then "asd" stays asd). */
static int op_undo(struct word *w, int tone, char key, char out[TELEX_WORD_MAX + 1], size_t *outlen)
{
	if (w->tone_pos < w->n)
		w->l[w->tone_pos].tone = (unsigned char)tone;
	if (!word_push(w, key, MARK_NONE))
		return TELEX_LITERAL;
	return word_encode(w, out, outlen) ? TELEX_HANDLED : TELEX_LITERAL;
}

/* Try mark m on nucleus letter i; keep it if the nucleus stays valid. */
static bool try_mark(struct word *w, size_t i, unsigned char m)
{
	unsigned char old = w->l[i].mark;

	w->l[i].mark = m;
	if (nucleus_ok(w, w->nuc, w->fin))
		return true;
	w->l[i].mark = old;
	return false;
}

static int op_tone(struct telex *t, struct word *w, int tone, int want, char key,
                   char out[TELEX_WORD_MAX + 1], size_t *outlen)
{
	if (w->fin == w->nuc)
		return TELEX_LITERAL;
	if (tone == want)
		return op_undo(w, TONE_NONE, key, out, outlen);
	return word_finish(w, want, t->style, out, outlen) ? TELEX_HANDLED : TELEX_LITERAL;
}

/* aa ee oo: circumflex on a vowel of the key's letter. */
static int op_circ(struct telex *t, struct word *w, int tone, char key,
                   char out[TELEX_WORD_MAX + 1], size_t *outlen)
{
	char b = lower(key);
	for (size_t i = w->fin; i-- > w->nuc;)
		if (w->l[i].base == b && w->l[i].mark != MARK_CIRC && try_mark(w, i, MARK_CIRC))
			return word_finish(w, tone, t->style, out, outlen) ? TELEX_HANDLED
			                                                   : TELEX_LITERAL;
	for (size_t i = w->fin; i-- > w->nuc;)
		if (w->l[i].base == b && w->l[i].mark == MARK_CIRC) {
			w->l[i].mark = MARK_NONE;
			return op_undo(w, tone, key, out, outlen);
		}
	return op_append(t, w, tone, key, out, outlen);
}

/* w after "uo" (or "ưo", "uô"): ươ, or uơ while nothing follows the o.
 * 1 applied, 0 no uo here, -1 the pair is marked already (so w undoes). */
static int w_on_uo(struct word *w)
{
	for (size_t i = w->nuc; i + 1 < w->fin; i++) {
		struct letter *u = &w->l[i], *o = &w->l[i + 1];
		bool open = i + 2 == w->n;
		if (u->base != 'u' || o->base != 'o')
			continue;
		if (o->mark == MARK_HORN && (u->mark == MARK_HORN || open))
			return -1;
		struct letter su = *u, so = *o;
		o->mark = MARK_HORN;
		if (!open || u->mark == MARK_HORN)
			u->mark = MARK_HORN;
		if (nucleus_ok(w, w->nuc, w->fin))
			return 1;
		*u = su;
		*o = so;
	}
	return 0;
}

static bool w_on_letter(struct word *w, char base, unsigned char m)
{
	for (size_t i = w->nuc; i < w->fin; i++)
		if (w->l[i].base == base && w->l[i].mark != m &&
		    (base != 'u' || w->l[i].mark == MARK_NONE) && try_mark(w, i, m))
			return true;
	return false;
}

/* aw ow uw, uow -> ươ, a lone w -> ư. */
static int op_w(struct telex *t, struct word *w, int tone, char key, char out[TELEX_WORD_MAX + 1],
                size_t *outlen)
{
	bool lone = t->word_flags & LONE_W;

	t->word_flags &= ~LONE_W;
	int uo = w_on_uo(w);
	if (uo > 0 ||
	    (uo == 0 && (w_on_letter(w, 'a', MARK_BREVE) || w_on_letter(w, 'o', MARK_HORN) ||
	                 w_on_letter(w, 'u', MARK_HORN))))
		return word_finish(w, tone, t->style, out, outlen) ? TELEX_HANDLED : TELEX_LITERAL;
	if (lone && w->fin == w->nuc + 1 && w->l[w->nuc].mark == MARK_HORN &&
	    w->l[w->nuc].base == 'u') {
		/* "ww": the ư was a w, give it back. */
		w->l[w->nuc].base = 'w';
		w->l[w->nuc].mark = MARK_NONE;
		w->l[w->nuc].tone = TONE_NONE;
		return word_encode(w, out, outlen) ? TELEX_HANDLED : TELEX_LITERAL;
	}
	bool undo = false;
	for (size_t i = w->nuc; i < w->fin; i++)
		if (w->l[i].mark == MARK_BREVE || w->l[i].mark == MARK_HORN) {
			w->l[i].mark = MARK_NONE;
			undo = true;
		}
	if (undo)
		return op_undo(w, tone, key, out, outlen);
	if (w->fin == w->nuc && !(w->n == 1 && w->l[0].base == 'q')) {
		if (!word_push(w, key, MARK_HORN))
			return TELEX_LITERAL;
		w->l[w->n - 1].base = 'u';
		if (!word_split(w) || !word_encode(w, out, outlen))
			return TELEX_LITERAL;
		t->word_flags |= LONE_W;
		return TELEX_HANDLED;
	}
	return TELEX_LITERAL;
}

/* dd: the onset d becomes đ, wherever the second d is typed. */
static int op_d(struct telex *t, struct word *w, int tone, char key, char out[TELEX_WORD_MAX + 1],
                size_t *outlen)
{
	if (w->nuc == 1 && w->l[0].base == 'd') {
		if (w->l[0].mark == MARK_BAR) {
			w->l[0].mark = MARK_NONE;
			return op_undo(w, tone, key, out, outlen);
		}
		w->l[0].mark = MARK_BAR;
		return word_finish(w, tone, t->style, out, outlen) ? TELEX_HANDLED : TELEX_LITERAL;
	}
	return op_append(t, w, tone, key, out, outlen);
}

static int tone_of_key(char k)
{
	switch (k) {
	case 's':
		return TONE_SAC;
	case 'f':
		return TONE_HUYEN;
	case 'r':
		return TONE_HOI;
	case 'x':
		return TONE_NGA;
	case 'j':
		return TONE_NANG;
	}
	return -1;
}

static int apply(struct telex *t, struct word *w, char key, char out[TELEX_WORD_MAX + 1],
                 size_t *outlen)
{
	char k = lower(key);
	int tone = word_take_tone(w);
	int want = tone_of_key(k);

	if (tone < 0)
		return TELEX_LITERAL;
	if (want >= 0)
		return op_tone(t, w, tone, want, key, out, outlen);
	switch (k) {
	case 'z':
		if (tone == TONE_NONE)
			return TELEX_LITERAL;
		return word_finish(w, TONE_NONE, t->style, out, outlen) ? TELEX_HANDLED
		                                                        : TELEX_LITERAL;
	case 'a':
	case 'e':
	case 'o':
		return op_circ(t, w, tone, key, out, outlen);
	case 'w':
		return op_w(t, w, tone, key, out, outlen);
	case 'd':
		return op_d(t, w, tone, key, out, outlen);
	}
	return op_append(t, w, tone, key, out, outlen);
}

int telex_key(struct telex *t, const char *word, size_t len, char key, char out[TELEX_WORD_MAX + 1],
              size_t *outlen)
{
	struct word w;

	if (!is_alpha(key) || len > TELEX_WORD_MAX || !word_decode(word, len, &w) ||
	    !word_split(&w))
		return TELEX_LITERAL;
	int r = apply(t, &w, key, out, outlen);
	/* Plain appends come back as the same bytes: tell the caller so. */
	if (r == TELEX_HANDLED && *outlen == len + 1 && memcmp(out, word, len) == 0 &&
	    out[len] == key)
		return TELEX_LITERAL;
	return r;
}

size_t telex_word_begin(const char *s, size_t pos)
{
	const unsigned char *p = (const unsigned char *)s;

	while (pos > 0) {
		size_t start = pos - 1;
		while (start > 0 && pos - start < 4 && (p[start] & 0xC0) == 0x80)
			start--;
		uint32_t cp;
		struct letter c;
		if (utf8_get(p + start, pos - start, &cp) != pos - start || !letter_from_cp(cp, &c))
			break;
		pos = start;
	}
	return pos;
}

struct buf {
	char *s;
	size_t len, cap;
};

static bool buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (p == NULL)
			return false;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return true;
}

int telex_convert(const char *keys, size_t len, enum telex_style style, char **out)
{
	struct telex t = {.style = style, .word_flags = 0};
	struct buf b = {NULL, 0, 0};
	char word[TELEX_WORD_MAX + 1];
	size_t wstart = 0, wlen;
	bool high = false;

	if (!buf_add(&b, "", 0))
		return TELEX_ENOMEM;
	for (size_t i = 0; i < len; i++) {
		char c = keys[i];
		high |= (unsigned char)c >= 0x80;
		if (!is_alpha(c)) {
			wstart = b.len + 1;
			telex_word_reset(&t);
		} else if (telex_key(&t, b.s + wstart, b.len - wstart, c, word, &wlen) ==
		           TELEX_HANDLED) {
			b.len = wstart;
			if (!buf_add(&b, word, wlen))
				goto fail_buf;
			continue;
		}
		if (!buf_add(&b, &c, 1))
			goto fail_buf;
	}
	/* The engine writes precomposed letters; only text that came in
	 * decomposed needs NFC.  Invalid UTF-8 passes through as it came. */
	if (high) {
		char *norm;
		int err = text_nfc(b.s, b.len, &norm, NULL);
		if (err == TEXT_ENOMEM)
			goto fail_buf;
		if (err == 0) {
			free(b.s);
			b.s = norm;
		}
	}
	*out = b.s;
	return 0;

fail_buf:
	free(b.s);
	return TELEX_ENOMEM;
}
