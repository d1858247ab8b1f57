/*
 * tests/core/test_text.c: UTF-8, NFC, folding, collation, width.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include "tests/skip.h"

#include "core/text.h"

/* NFC of s, which must succeed; the caller frees. */
static char *nfc(const char *s)
{
	char *out = NULL;
	size_t n = 0;

	assert_int_equal(text_nfc(s, strlen(s), &out, &n), 0);
	assert_non_null(out);
	assert_int_equal(n, strlen(out));
	return out;
}

static void assert_nfc(const char *in, const char *want)
{
	char *got = nfc(in);

	assert_string_equal(got, want);
	free(got);
}

/* ---- UTF-8 ---- */

static void test_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		uint32_t cp;
		size_t len;
	} ok[] = {
	    {"A", 0x41, 1},
	    {"\x7F", 0x7F, 1},
	    {"\xC2\x80", 0x80, 2},
	    {"\xC3\xA0", 0xE0, 2},
	    {"\xDF\xBF", 0x7FF, 2},
	    {"\xE0\xA0\x80", 0x800, 3},
	    {"\xE1\xBB\x87", 0x1EC7, 3}, /* ệ */
	    {"\xED\x9F\xBF", 0xD7FF, 3},
	    {"\xEE\x80\x80", 0xE000, 3},
	    {"\xEF\xBF\xBD", 0xFFFD, 3},
	    {"\xF0\x90\x80\x80", 0x10000, 4},
	    {"\xF4\x8F\xBF\xBF", 0x10FFFF, 4},
	};
	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		uint32_t cp = 0;
		size_t used = 0;
		char buf[4];

		assert_int_equal(utf8_decode(ok[i].s, strlen(ok[i].s), &cp, &used), 0);
		assert_int_equal(cp, ok[i].cp);
		assert_int_equal(used, ok[i].len);
		assert_int_equal(utf8_encode(cp, buf), ok[i].len);
		assert_memory_equal(buf, ok[i].s, ok[i].len);
		assert_int_equal(utf8_validate(ok[i].s, ok[i].len), 0);
	}
	/* NUL is a valid code point when a length is given. */
	{
		uint32_t cp = 1;
		size_t used = 0;

		assert_int_equal(utf8_decode("", 1, &cp, &used), 0);
		assert_int_equal(cp, 0);
		assert_int_equal(used, 1);
	}
	assert_int_equal(utf8_validate("", 0), 0);
	assert_int_equal(utf8_validate("Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t", 14), 0);
}

static void test_utf8_invalid(void **state)
{
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
	    {"\xC0\x80", 2},         /* overlong NUL */
	    {"\xC1\xBF", 2},         /* overlong 0x7F */
	    {"\xE0\x80\x80", 3},     /* overlong */
	    {"\xE0\x9F\xBF", 3},     /* overlong 0x7FF */
	    {"\xF0\x80\x80\x80", 4}, /* overlong */
	    {"\xF0\x8F\xBF\xBF", 4}, /* overlong 0xFFFF */
	    {"\xED\xA0\x80", 3},     /* U+D800 */
	    {"\xED\xBF\xBF", 3},     /* U+DFFF */
	    {"\xF4\x90\x80\x80", 4}, /* U+110000 */
	    {"\xF5\x80\x80\x80", 4}, /* lead byte above F4 */
	    {"\xFF", 1},
	    {"\xFE", 1},
	    {"\x80", 1}, /* stray continuation */
	    {"\xBF", 1},
	    {"\xC3", 1}, /* truncated */
	    {"\xE1\xBB", 2},
	    {"\xF0\x9F\x98", 3},
	    {"\xC3\x28", 2}, /* continuation missing */
	    {"\xE1\x28\x87", 3},
	    {"\xE1\xBB\x28", 3},
	    {"\xF0\x9F\x28\x80", 4},
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint32_t cp = 0xABCD;
		size_t used = 99;
		char *out = (char *)1;
		uint8_t *key = NULL;
		size_t klen = 0;
		char s[16];

		assert_int_equal(utf8_decode(bad[i].s, bad[i].len, &cp, &used), TEXT_EUTF8);
		assert_int_equal(utf8_validate(bad[i].s, bad[i].len), TEXT_EUTF8);
		assert_int_equal(text_nfc(bad[i].s, bad[i].len, &out, NULL), TEXT_EUTF8);
		/* embedded in otherwise good text */
		snprintf(s, sizeof s, "ab%.*scd", (int)bad[i].len, bad[i].s);
		assert_int_equal(utf8_validate(s, strlen(s)), TEXT_EUTF8);
		assert_int_equal(text_fold(s, &out), TEXT_EUTF8);
		assert_int_equal(text_collate_key(s, &key, &klen), TEXT_EUTF8);
		assert_int_equal(text_is_nfc(s), 0);
	}
	/* A cut at every point of a good 4-byte sequence. */
	for (size_t n = 1; n < 4; n++) {
		uint32_t cp;
		size_t used;

		assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", n, &cp, &used), TEXT_EUTF8);
	}
	assert_int_equal(utf8_decode("x", 0, &(uint32_t){0}, &(size_t){0}), TEXT_EUTF8);
}

static void test_utf8_encode_limits(void **state)
{
	char buf[4];

	(void)state;
	assert_int_equal(utf8_encode(0xD800, buf), 0);
	assert_int_equal(utf8_encode(0xDFFF, buf), 0);
	assert_int_equal(utf8_encode(0x110000, buf), 0);
	assert_int_equal(utf8_encode(0xFFFFFFFF, buf), 0);
}

/* Every scalar value survives encode -> decode. */
static void test_utf8_roundtrip_all(void **state)
{
	(void)state;
	for (uint32_t c = 0; c <= 0x10FFFF; c++) {
		char buf[4];
		uint32_t back = 0;
		size_t n = utf8_encode(c, buf), used = 0;

		if (c >= 0xD800 && c <= 0xDFFF) {
			assert_int_equal(n, 0);
			continue;
		}
		assert_int_equal(n, c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4);
		assert_int_equal(utf8_decode(buf, n, &back, &used), 0);
		assert_int_equal(back, c);
		assert_int_equal(used, n);
	}
}

/* ---- NFC of Vietnamese letters ---- */

/* Every precomposed Vietnamese letter (12 vowels x 6 forms, less the 6
 * plain ASCII vowels, plus đ: 67 lower-case, 67 upper-case) and its NFD
 * from UnicodeData.txt (generated with Python's unicodedata). */
static const struct {
	const char *nfc, *nfd;
} vn_letters[] = {
    {"\u00E0", "a\u0300"},       {"\u1EA3", "a\u0309"},       {"\u00E3", "a\u0303"},
    {"\u00E1", "a\u0301"},       {"\u1EA1", "a\u0323"},       {"\u0103", "a\u0306"},
    {"\u1EB1", "a\u0306\u0300"}, {"\u1EB3", "a\u0306\u0309"}, {"\u1EB5", "a\u0306\u0303"},
    {"\u1EAF", "a\u0306\u0301"}, {"\u1EB7", "a\u0323\u0306"}, {"\u00E2", "a\u0302"},
    {"\u1EA7", "a\u0302\u0300"}, {"\u1EA9", "a\u0302\u0309"}, {"\u1EAB", "a\u0302\u0303"},
    {"\u1EA5", "a\u0302\u0301"}, {"\u1EAD", "a\u0323\u0302"}, {"\u00E8", "e\u0300"},
    {"\u1EBB", "e\u0309"},       {"\u1EBD", "e\u0303"},       {"\u00E9", "e\u0301"},
    {"\u1EB9", "e\u0323"},       {"\u00EA", "e\u0302"},       {"\u1EC1", "e\u0302\u0300"},
    {"\u1EC3", "e\u0302\u0309"}, {"\u1EC5", "e\u0302\u0303"}, {"\u1EBF", "e\u0302\u0301"},
    {"\u1EC7", "e\u0323\u0302"}, {"\u00EC", "i\u0300"},       {"\u1EC9", "i\u0309"},
    {"\u0129", "i\u0303"},       {"\u00ED", "i\u0301"},       {"\u1ECB", "i\u0323"},
    {"\u00F2", "o\u0300"},       {"\u1ECF", "o\u0309"},       {"\u00F5", "o\u0303"},
    {"\u00F3", "o\u0301"},       {"\u1ECD", "o\u0323"},       {"\u00F4", "o\u0302"},
    {"\u1ED3", "o\u0302\u0300"}, {"\u1ED5", "o\u0302\u0309"}, {"\u1ED7", "o\u0302\u0303"},
    {"\u1ED1", "o\u0302\u0301"}, {"\u1ED9", "o\u0323\u0302"}, {"\u01A1", "o\u031B"},
    {"\u1EDD", "o\u031B\u0300"}, {"\u1EDF", "o\u031B\u0309"}, {"\u1EE1", "o\u031B\u0303"},
    {"\u1EDB", "o\u031B\u0301"}, {"\u1EE3", "o\u031B\u0323"}, {"\u00F9", "u\u0300"},
    {"\u1EE7", "u\u0309"},       {"\u0169", "u\u0303"},       {"\u00FA", "u\u0301"},
    {"\u1EE5", "u\u0323"},       {"\u01B0", "u\u031B"},       {"\u1EEB", "u\u031B\u0300"},
    {"\u1EED", "u\u031B\u0309"}, {"\u1EEF", "u\u031B\u0303"}, {"\u1EE9", "u\u031B\u0301"},
    {"\u1EF1", "u\u031B\u0323"}, {"\u1EF3", "y\u0300"},       {"\u1EF7", "y\u0309"},
    {"\u1EF9", "y\u0303"},       {"\u00FD", "y\u0301"},       {"\u1EF5", "y\u0323"},
    {"\u0111", "\u0111"},        {"\u00C0", "A\u0300"},       {"\u1EA2", "A\u0309"},
    {"\u00C3", "A\u0303"},       {"\u00C1", "A\u0301"},       {"\u1EA0", "A\u0323"},
    {"\u0102", "A\u0306"},       {"\u1EB0", "A\u0306\u0300"}, {"\u1EB2", "A\u0306\u0309"},
    {"\u1EB4", "A\u0306\u0303"}, {"\u1EAE", "A\u0306\u0301"}, {"\u1EB6", "A\u0323\u0306"},
    {"\u00C2", "A\u0302"},       {"\u1EA6", "A\u0302\u0300"}, {"\u1EA8", "A\u0302\u0309"},
    {"\u1EAA", "A\u0302\u0303"}, {"\u1EA4", "A\u0302\u0301"}, {"\u1EAC", "A\u0323\u0302"},
    {"\u00C8", "E\u0300"},       {"\u1EBA", "E\u0309"},       {"\u1EBC", "E\u0303"},
    {"\u00C9", "E\u0301"},       {"\u1EB8", "E\u0323"},       {"\u00CA", "E\u0302"},
    {"\u1EC0", "E\u0302\u0300"}, {"\u1EC2", "E\u0302\u0309"}, {"\u1EC4", "E\u0302\u0303"},
    {"\u1EBE", "E\u0302\u0301"}, {"\u1EC6", "E\u0323\u0302"}, {"\u00CC", "I\u0300"},
    {"\u1EC8", "I\u0309"},       {"\u0128", "I\u0303"},       {"\u00CD", "I\u0301"},
    {"\u1ECA", "I\u0323"},       {"\u00D2", "O\u0300"},       {"\u1ECE", "O\u0309"},
    {"\u00D5", "O\u0303"},       {"\u00D3", "O\u0301"},       {"\u1ECC", "O\u0323"},
    {"\u00D4", "O\u0302"},       {"\u1ED2", "O\u0302\u0300"}, {"\u1ED4", "O\u0302\u0309"},
    {"\u1ED6", "O\u0302\u0303"}, {"\u1ED0", "O\u0302\u0301"}, {"\u1ED8", "O\u0323\u0302"},
    {"\u01A0", "O\u031B"},       {"\u1EDC", "O\u031B\u0300"}, {"\u1EDE", "O\u031B\u0309"},
    {"\u1EE0", "O\u031B\u0303"}, {"\u1EDA", "O\u031B\u0301"}, {"\u1EE2", "O\u031B\u0323"},
    {"\u00D9", "U\u0300"},       {"\u1EE6", "U\u0309"},       {"\u0168", "U\u0303"},
    {"\u00DA", "U\u0301"},       {"\u1EE4", "U\u0323"},       {"\u01AF", "U\u031B"},
    {"\u1EEA", "U\u031B\u0300"}, {"\u1EEC", "U\u031B\u0309"}, {"\u1EEE", "U\u031B\u0303"},
    {"\u1EE8", "U\u031B\u0301"}, {"\u1EF0", "U\u031B\u0323"}, {"\u1EF2", "Y\u0300"},
    {"\u1EF6", "Y\u0309"},       {"\u1EF8", "Y\u0303"},       {"\u00DD", "Y\u0301"},
    {"\u1EF4", "Y\u0323"},       {"\u0110", "\u0110"},
};
#define N_VN_LETTERS (sizeof vn_letters / sizeof vn_letters[0])

/* The combining classes of the marks Vietnamese uses, written out here so
 * the test does not lean on the tables it checks. */
static int vn_ccc(uint32_t m)
{
	switch (m) {
	case 0x031B: /* horn */
		return 216;
	case 0x0323: /* dot below (nặng) */
		return 220;
	case 0x0300:
	case 0x0301:
	case 0x0302:
	case 0x0303:
	case 0x0306:
	case 0x0309:
		return 230;
	}
	fail_msg("unexpected mark U+%04X", (unsigned)m);
	return -1;
}

static size_t decode_all(const char *s, uint32_t *cps, size_t max)
{
	size_t n = 0, i = 0, used, len = strlen(s);

	while (i < len) {
		assert_true(n < max);
		assert_int_equal(utf8_decode(s + i, len - i, &cps[n], &used), 0);
		n++;
		i += used;
	}
	return n;
}

static void encode_all(const uint32_t *cps, size_t n, char *out)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		w += utf8_encode(cps[i], out + w);
	out[w] = '\0';
}

static void test_nfc_vn_count(void **state)
{
	size_t lower = 0, upper = 0;

	(void)state;
	assert_int_equal(N_VN_LETTERS, 134);
	for (size_t i = 0; i < N_VN_LETTERS; i++) {
		uint32_t cp;
		size_t used;

		/* each is one precomposed code point ... */
		assert_int_equal(
		    utf8_decode(vn_letters[i].nfc, strlen(vn_letters[i].nfc), &cp, &used), 0);
		assert_int_equal(used, strlen(vn_letters[i].nfc));
		if (i < 67)
			lower++;
		else
			upper++;
		/* ... and none repeats */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(vn_letters[i].nfc, vn_letters[j].nfc);
	}
	assert_int_equal(lower, 67);
	assert_int_equal(upper, 67);
}

/* NFC is idempotent on the letters, and their UnicodeData NFD composes
 * back to them. */
static void test_nfc_vn_roundtrip(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_VN_LETTERS; i++) {
		assert_nfc(vn_letters[i].nfc, vn_letters[i].nfc);
		assert_nfc(vn_letters[i].nfd, vn_letters[i].nfc);
		assert_true(text_is_nfc(vn_letters[i].nfc));
		if (strcmp(vn_letters[i].nfc, vn_letters[i].nfd) != 0)
			assert_false(text_is_nfc(vn_letters[i].nfd));
	}
}

/* 1 when the marks in perm[] (indices into the NFD marks) keep the relative
 * order of marks of equal ccc, i.e. the sequence is canonically equivalent. */
static int equivalent(const uint32_t *marks, const size_t *perm, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (vn_ccc(marks[perm[i]]) == vn_ccc(marks[perm[j]]) && perm[i] > perm[j])
				return 0;
	return 1;
}

/* Base + marks in every order: the canonically equivalent orders compose to
 * the letter, from fully decomposed and from partly precomposed input; the
 * others (e.g. a + acute + circumflex, two marks of ccc 230 swapped) must
 * not. */
static void test_nfc_vn_mark_orders(void **state)
{
	static const size_t perms2[][2] = {{0, 1}, {1, 0}};
	size_t equiv = 0, nonequiv = 0;

	(void)state;
	for (size_t i = 0; i < N_VN_LETTERS; i++) {
		uint32_t d[4], seq[4];
		size_t n = decode_all(vn_letters[i].nfd, d, 4), nperm;
		char in[32];

		assert_true(n >= 1 && n <= 3);
		nperm = n == 3 ? 2 : 1;
		for (size_t p = 0; p < nperm; p++) {
			const size_t *perm = perms2[p];
			int eq = n < 3 || equivalent(d + 1, perm, 2);

			seq[0] = d[0];
			for (size_t k = 1; k < n; k++)
				seq[k] = d[1 + perm[k - 1]];
			encode_all(seq, n, in);
			{
				char *got = nfc(in);

				if (eq) {
					assert_string_equal(got, vn_letters[i].nfc);
					equiv++;
				} else {
					assert_string_not_equal(got, vn_letters[i].nfc);
					/* still a fixed point */
					assert_nfc(got, got);
					nonequiv++;
				}
				/* Partly precomposed: compose the base with the
				 * first k marks, then append the rest. */
				for (size_t k = 1; k < n; k++) {
					char head[16], mixed[32], *h;

					encode_all(seq, k + 1, head);
					h = nfc(head);
					snprintf(mixed, sizeof mixed, "%s%s", h, in + strlen(head));
					assert_nfc(mixed, got);
					free(h);
				}
				free(got);
			}
		}
	}
	/* Of the 2 x 30 letters with two marks, 2 x 4 (ặ ậ ệ ộ: 220 vs 230)
	 * and 2 x 10 (ơ ư with a tone: horn is 216) have a second equivalent
	 * order; the other 2 x 16 have two marks of ccc 230. */
	print_message("vn mark orders: %zu equivalent, %zu not equivalent\n", equiv, nonequiv);
	assert_int_equal(nonequiv, 2 * 16);
	assert_int_equal(equiv, N_VN_LETTERS + 2 * (4 + 10));
}

static void test_nfc_examples(void **state)
{
	(void)state;
	/* circumflex then acute is ấ; acute then circumflex is not */
	assert_nfc("a\xCC\x82\xCC\x81", "\xE1\xBA\xA5");
	assert_nfc("a\xCC\x81\xCC\x82", "\xC3\xA1\xCC\x82");
	/* dot below (220) and circumflex (230) commute */
	assert_nfc("a\xCC\xA3\xCC\x82", "\xE1\xBA\xAD");
	assert_nfc("a\xCC\x82\xCC\xA3", "\xE1\xBA\xAD");
	assert_nfc("\xE1\xBA\xA1\xCC\x82", "\xE1\xBA\xAD"); /* ạ + circumflex */
	/* horn (216) and tones commute */
	assert_nfc("o\xCC\x9B\xCC\x81", "\xE1\xBB\x9B");
	assert_nfc("o\xCC\x81\xCC\x9B", "\xE1\xBB\x9B");
	assert_nfc("\xC3\xB3\xCC\x9B", "\xE1\xBB\x9B"); /* ó + horn */
	/* a whole decomposed phrase */
	assert_nfc("Tie\xCC\x82\xCC\x81ng Vie\xCC\xA3\xCC\x82t",
	           "Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t");
	/* things that pass through */
	assert_nfc("", "");
	assert_nfc("abc 123", "abc 123");
	assert_nfc("\xCC\x81x", "\xCC\x81x");                               /* leading mark */
	assert_nfc("\xE4\xB8\xAD\xE6\x96\x87", "\xE4\xB8\xAD\xE6\x96\x87"); /* 中文 */
	assert_nfc("\xE2\x84\xAB", "\xC3\x85"); /* ANGSTROM SIGN -> Å (singleton) */
	assert_nfc("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", "\xED\x95\x9C"); /* Hangul */
	/* embedded NUL is kept when a length is given */
	{
		char *out;
		size_t n;

		assert_int_equal(text_nfc("a\0e\xCC\x82", 5, &out, &n), 0);
		assert_int_equal(n, 4);
		assert_memory_equal(out, "a\0\xC3\xAA", 5);
		free(out);
	}
}

/* A long run of marks in reverse canonical order (hostile input) sorts. */
static void test_nfc_long_run(void **state)
{
	enum { N = 2000 };
	char *in = malloc(1 + N * 2 * 2 + 1), *out;
	size_t w = 0, n;

	(void)state;
	assert_non_null(in);
	in[w++] = 'a';
	for (int i = 0; i < N; i++) {
		memcpy(in + w, "\xCC\x81\xCC\xA3", 4); /* 230, 220 */
		w += 4;
	}
	in[w] = '\0';
	assert_int_equal(text_nfc(in, w, &out, &n), 0);
	/* the dots below (220) sort first; the first composes to ạ, the
	 * rest are blocked */
	assert_memory_equal(out, "\xE1\xBA\xA1", 3);
	assert_int_equal(n, 3 + (N - 1) * 2 + N * 2);
	assert_memory_equal(out + n - 2, "\xCC\x81", 2);
	free(out);
	free(in);
}

/* ---- NormalizationTest.txt ---- */

#define NT_PATH "/usr/share/unicode/NormalizationTest.txt"

/* In the Latin and Vietnamese subset: ASCII, Latin-1, Latin Extended-A/B,
 * combining diacritics, Latin Extended Additional. */
static int latin_cp(uint32_t c)
{
	return c <= 0x24F || (c >= 0x300 && c <= 0x36F) || (c >= 0x1E00 && c <= 0x1EFF);
}

/* Parses one field "0044 0307" into UTF-8; returns 0 on a syntax error. */
static int nt_field(const char *f, const char *end, char *out, size_t cap, int *latin)
{
	size_t w = 0;

	while (f < end) {
		char *e;
		unsigned long c;

		if (*f == ' ') {
			f++;
			continue;
		}
		c = strtoul(f, &e, 16);
		if (e == f || c > 0x10FFFF || w + 5 > cap)
			return 0;
		if (!latin_cp((uint32_t)c))
			*latin = 0;
		w += utf8_encode((uint32_t)c, out + w);
		f = e;
	}
	out[w] = '\0';
	return 1;
}

static void check_eq_nfc(const char *want, const char *in, unsigned long line)
{
	char *got = nfc(in);

	if (strcmp(got, want) != 0)
		fail_msg("NormalizationTest line %lu: NFC mismatch", line);
	free(got);
}

static void test_normalization_file(void **state)
{
	FILE *f = fopen(NT_PATH, "r");
	int piped = 0;
	char line[1024], c[5][256];
	unsigned long lineno = 0, checked = 0, latin_checked = 0;

	(void)state;
	if (!f) {
		/* Debian ships it compressed. */
		f = fopen(NT_PATH ".bz2", "r");
		if (f) {
			fclose(f);
			f = popen("bzcat " NT_PATH ".bz2 2>/dev/null", "r");
			piped = 1;
		}
	}
	if (!f) {
		print_message("SKIP: " NT_PATH "(.bz2) not found (install unicode-data)\n");
		skip_unless_ci("unicode-data missing");
		return;
	}
	while (fgets(line, sizeof line, f)) {
		const char *p = line;
		int latin = 1, ok = 1;

		lineno++;
		if (line[0] == '#' || line[0] == '@' || line[0] == '\n')
			continue;
		for (int k = 0; k < 5 && ok; k++) {
			const char *semi = strchr(p, ';');

			ok = semi && nt_field(p, semi, c[k], sizeof c[k], &latin);
			p = semi ? semi + 1 : p;
		}
		if (!ok)
			fail_msg("NormalizationTest line %lu: cannot parse", lineno);
		/* c2 == NFC(c1) == NFC(c2) == NFC(c3); c4 == NFC(c4) == NFC(c5) */
		check_eq_nfc(c[1], c[0], lineno);
		check_eq_nfc(c[1], c[1], lineno);
		check_eq_nfc(c[1], c[2], lineno);
		check_eq_nfc(c[3], c[3], lineno);
		check_eq_nfc(c[3], c[4], lineno);
		if (!text_is_nfc(c[1]))
			fail_msg("NormalizationTest line %lu: NFC form not recognized", lineno);
		checked++;
		latin_checked += latin;
	}
	if (piped)
		assert_int_equal(pclose(f), 0);
	else
		fclose(f);
	print_message("NormalizationTest: %lu lines checked, %lu of them in the Latin/Vietnamese "
	              "subset\n",
	              checked, latin_checked);
	assert_true(checked > 18000);
	assert_true(latin_checked > 500);
}

/* ---- fold ---- */

static void assert_fold(const char *in, const char *want)
{
	char *got = NULL;

	assert_int_equal(text_fold(in, &got), 0);
	assert_string_equal(got, want);
	free(got);
}

static void test_fold(void **state)
{
	char *k1, *k2;

	(void)state;
	assert_fold("T\xC3\xA2n Tr\xC3\xA0o", "tan trao");            /* Tân Trào */
	assert_fold("\xC4\x90\xE1\xBB\x92NG QU\xC3\x9D", "dong quy"); /* ĐỒNG QUÝ */
	assert_fold("  T\xC3\xA2n  TR\xC3\x80O ", "tan trao");
	assert_fold("Ta\xCC\x82n Tra\xCC\x80o", "tan trao"); /* decomposed */
	assert_fold("\xC4\x90O\xCC\x82\xCC\x80NG QUY\xCC\x81", "dong quy");
	assert_fold("\xC4\x91\xE1\xBA\xB7ng \xC6\xB0\xE1\xBB\x9B"
	            "c \xE1\xBB\xA3",
	            "dang uoc o");
	assert_fold("a\tb\n c\xC2\xA0"
	            "d",
	            "a b c d");
	assert_fold("", "");
	assert_fold(" \t ", "");
	assert_fold("S\xC6\xA0N D\xC6\xAF\xC6\xA0NG", "son duong"); /* SƠN DƯƠNG */
	/* every Vietnamese letter folds to one ASCII letter */
	for (size_t i = 0; i < N_VN_LETTERS; i++) {
		char *a, *b;

		assert_int_equal(text_fold(vn_letters[i].nfc, &a), 0);
		assert_int_equal(text_fold(vn_letters[i].nfd, &b), 0);
		assert_int_equal(strlen(a), 1);
		assert_true(a[0] >= 'a' && a[0] <= 'y');
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	assert_int_equal(text_fold("Vi\xE1\xBB\x87t Nam", &k1), 0);
	assert_int_equal(text_fold("VIE\xCC\xA3\xCC\x82T", &k2), 0);
	assert_true(text_fold_contains(k1, k2));
	assert_true(text_fold_contains(k1, ""));
	assert_false(text_fold_contains(k2, k1));
	assert_false(text_fold_contains(NULL, k1));
	free(k1);
	free(k2);
}

/* ---- collation ---- */

static int cmp_collate(const void *a, const void *b)
{
	return text_collate(*(const char *const *)a, *(const char *const *)b);
}

/* The 31 communes of Sơn Dương (data/units-son-duong-2021.csv, "Xã " and
 * "Thị trấn " removed), in research/domain.md §6.3 order. */
static const char *const communes_sorted[] = {
    "B\xC3\xACnh Y\xC3\xAAn",
    "C\xE1\xBA\xA5p Ti\xE1\xBA\xBFn",
    "Chi Thi\xE1\xBA\xBFt",
    "\xC4\x90\xE1\xBA\xA1i Ph\xC3\xBA",
    "\xC4\x90\xC3\xB4ng L\xE1\xBB\xA3i",
    "\xC4\x90\xC3\xB4ng Th\xE1\xBB\x8D",
    "\xC4\x90\xE1\xBB\x93ng Qu\xC3\xBD",
    "H\xC3\xA0o Ph\xC3\xBA",
    "H\xE1\xBB\x93ng L\xE1\xBA\xA1"
    "c",
    "H\xE1\xBB\xA3p H\xC3\xB2"
    "a",
    "H\xE1\xBB\xA3p Th\xC3\xA0nh",
    "Kh\xC3\xA1ng Nh\xE1\xBA\xADt",
    "L\xC6\xB0\xC6\xA1ng Thi\xE1\xBB\x87n",
    "Minh Thanh",
    "Ninh Lai",
    "Ph\xC3\xBA L\xC6\xB0\xC6\xA1ng",
    "Ph\xC3\xBA"
    "c \xE1\xBB\xA8ng",
    "Quy\xE1\xBA\xBFt Th\xE1\xBA\xAFng",
    "S\xC6\xA1n D\xC6\xB0\xC6\xA1ng",
    "S\xC6\xA1n Nam",
    "Tam \xC4\x90"
    "a",
    "T\xC3\xA2n Thanh",
    "T\xC3\xA2n Tr\xC3\xA0o",
    "Thi\xE1\xBB\x87n K\xE1\xBA\xBF",
    "Th\xC6\xB0\xE1\xBB\xA3ng \xE1\xBA\xA4m",
    "Trung Y\xC3\xAAn",
    "Tr\xC6\xB0\xE1\xBB\x9Dng Sinh",
    "T\xC3\xBA Th\xE1\xBB\x8Bnh",
    "V\xC4\x83n Ph\xC3\xBA",
    "V\xC3\xA2n S\xC6\xA1n",
    "V\xC4\xA9nh L\xE1\xBB\xA3i",
};
#define N_COMMUNES (sizeof communes_sorted / sizeof communes_sorted[0])

static void sort_and_check(const char **v, size_t n, const char *const *want)
{
	qsort(v, n, sizeof *v, cmp_collate);
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], want[i]) != 0)
			fail_msg("position %zu: got \"%s\", want \"%s\"", i, v[i], want[i]);
}

static void test_collate_communes(void **state)
{
	const char *v[N_COMMUNES];
	uint32_t seed = 12345;

	(void)state;
	assert_int_equal(N_COMMUNES, 31);
	for (int round = 0; round < 20; round++) {
		memcpy(v, communes_sorted, sizeof v);
		/* deterministic Fisher-Yates shuffle */
		for (size_t i = N_COMMUNES - 1; i > 0; i--) {
			size_t j;
			const char *t;

			seed = seed * 1103515245u + 12345u;
			j = (seed >> 8) % (i + 1);
			t = v[i];
			v[i] = v[j];
			v[j] = t;
		}
		sort_and_check(v, N_COMMUNES, communes_sorted);
	}
	/* reversed input too */
	for (size_t i = 0; i < N_COMMUNES; i++)
		v[i] = communes_sorted[N_COMMUNES - 1 - i];
	sort_and_check(v, N_COMMUNES, communes_sorted);
}

/* Orders computed with research/telex-and-collation/vicoll.py. */
static void test_collate_cases(void **state)
{
	static const char *const o_want[] = {
	    "o",
	    "ob",
	    "\xC3\xB4",
	    "\xE1\xBB\x93",
	    "\xC3\xB4"
	    "a",
	    "\xE1\xBB\x93"
	    "a",
	};
	static const char *const d_want[] = {
	    "\xC4\x90onz",
	    "\xC4\x90\xC3\xB4ng",
	    "\xC4\x90\xE1\xBB\x93ng",
	};
	static const char *const hoa_want[] = {
	    "hoa",
	    "Hoa",
	    "HOA",
	    "Ho\xC3\xA0",
	    "H\xC3\xB2"
	    "a",
	    "h\xC3\xB3"
	    "a",
	    "H\xC3\xB3"
	    "a",
	};
	static const char *const sp_want[] = {"a", " a", "a b", "a  b", "ab"};
	const char *v[8];

	(void)state;
	/* glibc's vi_VN gives o ồ ồa ob ô ôa; vicoll.py: */
	v[0] = o_want[5];
	v[1] = o_want[2];
	v[2] = o_want[0];
	v[3] = o_want[3];
	v[4] = o_want[1];
	v[5] = o_want[4];
	sort_and_check(v, 6, o_want);
	v[0] = d_want[2];
	v[1] = d_want[0];
	v[2] = d_want[1];
	sort_and_check(v, 3, d_want);
	for (size_t i = 0; i < 7; i++)
		v[i] = hoa_want[6 - i];
	sort_and_check(v, 7, hoa_want);
	for (size_t i = 0; i < 5; i++)
		v[i] = sp_want[(i + 2) % 5];
	sort_and_check(v, 5, sp_want);

	/* Syllable by syllable: tone of the first syllable beats letters of
	 * the second (plain UCA would say Đồng Quý < Đông Thọ). */
	assert_true(text_collate("\xC4\x90\xC3\xB4ng Th\xE1\xBB\x8D",
	                         "\xC4\x90\xE1\xBB\x93ng Qu\xC3\xBD") < 0);
	/* Spaces separate syllables: Phú Lương < Phúc Ứng (glibc says >). */
	assert_true(text_collate("Ph\xC3\xBA L\xC6\xB0\xC6\xA1ng", "Ph\xC3\xBA"
	                                                           "c \xE1\xBB\xA8ng") < 0);
	/* letter order a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y */
	{
		static const char *const alpha[] = {
		    "a",        "\xC4\x83", "\xC3\xA2", "b", "c", "d", "\xC4\x91", "e",
		    "\xC3\xAA", "g",        "h",        "i", "k", "l", "m",        "n",
		    "o",        "\xC3\xB4", "\xC6\xA1", "p", "q", "r", "s",        "t",
		    "u",        "\xC6\xB0", "v",        "x", "y",
		};
		for (size_t i = 1; i < sizeof alpha / sizeof alpha[0]; i++)
			assert_true(text_collate(alpha[i - 1], alpha[i]) < 0);
		/* and after every letter base, other characters */
		assert_true(text_collate("y", "1") < 0);
		assert_true(text_collate("z", "\xC3\xB8") < 0);
	}
	/* tones: none ` ? ~ ´ . on every vowel, before the next letter */
	{
		static const char *const tones[] = {
		    "a", "\xC3\xA0", "\xE1\xBA\xA3", "\xC3\xA3", "\xC3\xA1", "\xE1\xBA\xA1", "ab",
		};
		for (size_t i = 1; i < 7; i++)
			assert_true(text_collate(tones[i - 1], tones[i]) < 0);
	}
	/* case is the last level */
	assert_true(text_collate("an", "An") < 0);
	assert_true(text_collate("An", "\xC3\xA0n") < 0);
	/* decomposed and precomposed are the same string */
	for (size_t i = 0; i < N_VN_LETTERS; i++)
		assert_int_equal(text_collate(vn_letters[i].nfc, vn_letters[i].nfd), 0);
	assert_int_equal(text_collate("", ""), 0);
	assert_true(text_collate("", "a") < 0);
	/* only canonically equivalent strings are equal */
	assert_true(text_collate("c", "\xC3\xA7") != 0);
	/* invalid UTF-8 after valid text, bytes among themselves */
	assert_true(text_collate("\xFF", "zzz") > 0);
	assert_true(text_collate("zzz", "\xFF") < 0);
	assert_true(text_collate("\xFE", "\xFF") < 0);
}

static void test_collate_key_memcmp(void **state)
{
	uint8_t *ka, *kb;
	size_t la, lb;

	(void)state;
	for (size_t i = 1; i < N_COMMUNES; i++) {
		assert_int_equal(text_collate_key(communes_sorted[i - 1], &ka, &la), 0);
		assert_int_equal(text_collate_key(communes_sorted[i], &kb, &lb), 0);
		{
			int r = memcmp(ka, kb, la < lb ? la : lb);

			assert_true(r < 0 || (r == 0 && la < lb));
		}
		free(ka);
		free(kb);
	}
}

/* ---- width and letters ---- */

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t"), 10);
	assert_int_equal(text_width("Tie\xCC\x82\xCC\x81ng Vie\xCC\xA3\xCC\x82t"), 10);
	assert_int_equal(text_width("\xE4\xB8\xAD\xE6\x96\x87"), 4); /* 中文 */
	assert_int_equal(text_width("\xEF\xBC\xA1"), 2);             /* fullwidth A */
	assert_int_equal(text_width("\xED\x95\x9C"), 2);             /* 한 */
	assert_int_equal(text_width("\xCC\x81"), 0);                 /* lone mark */
	assert_int_equal(text_width("a\xE2\x80\x8B"
	                            "b"),
	                 2); /* ZWSP */
	assert_int_equal(text_width("a\xFF\xFE"
	                            "b"),
	                 4);                                 /* invalid: 1 each */
	assert_int_equal(text_width("\xE1\xBB"), 2);         /* cut sequence */
	assert_int_equal(text_width("\xF0\x9F\x98\x80"), 2); /* emoji */
	for (size_t i = 0; i < N_VN_LETTERS; i++) {
		assert_int_equal(text_width(vn_letters[i].nfc), 1);
		assert_int_equal(text_width(vn_letters[i].nfd), 1);
	}
}

static void test_letters(void **state)
{
	/* "Việt" decomposed: V i e+dot+circumflex t */
	const char *d = "Vie\xCC\xA3\xCC\x82t";
	const char *p = "Vi\xE1\xBB\x87t";
	size_t dl = strlen(d), pl = strlen(p);
	static const size_t d_stops[] = {0, 1, 2, 7, 8};
	static const size_t p_stops[] = {0, 1, 2, 5, 6};

	(void)state;
	assert_int_equal(text_letters(d, dl), 4);
	assert_int_equal(text_letters(p, pl), 4);
	for (size_t i = 0; i + 1 < 5; i++) {
		assert_int_equal(text_next_letter(d, dl, d_stops[i]), d_stops[i + 1]);
		assert_int_equal(text_prev_letter(d, dl, d_stops[i + 1]), d_stops[i]);
		assert_int_equal(text_next_letter(p, pl, p_stops[i]), p_stops[i + 1]);
		assert_int_equal(text_prev_letter(p, pl, p_stops[i + 1]), p_stops[i]);
	}
	assert_int_equal(text_next_letter(d, dl, dl), dl);
	assert_int_equal(text_prev_letter(d, dl, 0), 0);
	assert_int_equal(text_next_letter(d, dl, dl + 5), dl);
	assert_int_equal(text_prev_letter(d, dl, dl + 5), 7);
	/* from inside a letter, back goes to its start */
	assert_int_equal(text_prev_letter(d, dl, 5), 2);
	/* leading marks are a letter of their own */
	assert_int_equal(text_next_letter("\xCC\x81\xCC\x82"
	                                  "a",
	                                  5, 0),
	                 4);
	assert_int_equal(text_prev_letter("\xCC\x81\xCC\x82"
	                                  "a",
	                                  5, 4),
	                 0);
	/* invalid bytes are one letter each, and marks after one stand alone */
	{
		const char *s = "a\xFF\xCC\x81"
		                "b\xE1\xBB";
		size_t len = strlen(s);

		assert_int_equal(text_letters(s, len), 6);
		assert_int_equal(text_next_letter(s, len, 1), 2);
		assert_int_equal(text_next_letter(s, len, 2), 4);
		assert_int_equal(text_prev_letter(s, len, 4), 2);
		assert_int_equal(text_prev_letter(s, len, 2), 1);
		assert_int_equal(text_prev_letter(s, len, len), len - 1);
		assert_int_equal(text_prev_letter(s, len, len - 1), len - 2);
	}
	/* a 4-byte character steps whole */
	assert_int_equal(text_next_letter("\xF0\x9F\x98\x80", 4, 0), 4);
	assert_int_equal(text_prev_letter("\xF0\x9F\x98\x80", 4, 4), 0);
	assert_int_equal(text_letters("", 0), 0);
}

/* Stepping forward and back visits the same boundaries on any bytes. */
static void test_letters_agree(void **state)
{
	uint32_t seed = 7;
	static const char *const atoms[] = {
	    "a",    "\xCC\x81", "\xCC\xA3", "\xC3\xAA",         "\xE1\xBB\x87",
	    "\xFF", "\x80",     "\xE1\xBB", "\xF0\x9F\x98\x80", "\xE4\xB8\xAD",
	    " ",
	};

	(void)state;
	for (int round = 0; round < 2000; round++) {
		char s[64];
		size_t len = 0, stops[64], n = 0, pos = 0;

		for (int k = 0; k < 10; k++) {
			const char *a;

			seed = seed * 1103515245u + 12345u;
			a = atoms[(seed >> 8) % (sizeof atoms / sizeof atoms[0])];
			memcpy(s + len, a, strlen(a));
			len += strlen(a);
		}
		s[len] = '\0';
		stops[n++] = 0;
		while (pos < len) {
			pos = text_next_letter(s, len, pos);
			stops[n++] = pos;
		}
		assert_int_equal(n - 1, text_letters(s, len));
		for (size_t i = n - 1; i > 0; i--)
			assert_int_equal(text_prev_letter(s, len, stops[i]), stops[i - 1]);
		/* clip always lands on a stop, and its width fits */
		for (int cols = 0; cols <= 22; cols++) {
			size_t c = text_clip(s, len, cols);
			size_t i;
			char t[64];

			for (i = 0; i < n && stops[i] != c; i++)
				;
			assert_true(i < n);
			memcpy(t, s, c);
			t[c] = '\0';
			assert_true(text_width(t) <= cols);
			if (c < len) { /* the next letter would not fit */
				size_t nx = text_next_letter(s, len, c);

				memcpy(t, s, nx);
				t[nx] = '\0';
				assert_true(text_width(t) > cols);
			}
		}
	}
}

static void test_clip(void **state)
{
	const char *d = "Vie\xCC\xA3\xCC\x82t Nam";
	size_t dl = strlen(d);

	(void)state;
	assert_int_equal(text_clip(d, dl, 0), 0);
	assert_int_equal(text_clip(d, dl, -3), 0);
	assert_int_equal(text_clip(d, dl, 2), 2);
	assert_int_equal(text_clip(d, dl, 3), 7); /* ệ with both marks */
	assert_int_equal(text_clip(d, dl, 4), 8);
	assert_int_equal(text_clip(d, dl, 100), dl);
	/* a wide character is not split across the edge */
	assert_int_equal(text_clip("a\xE4\xB8\xAD"
	                           "b",
	                           5, 2),
	                 1);
	assert_int_equal(text_clip("a\xE4\xB8\xAD"
	                           "b",
	                           5, 3),
	                 4);
	/* trailing marks ride along at the exact width */
	assert_int_equal(text_clip("ab\xCC\x81", 4, 2), 4);
	assert_int_equal(text_clip("ab\xCC\x81", 4, 1), 1);
}

static void test_unsafe(void **state)
{
	(void)state;
	static const uint32_t bad[] = {0x00, 0x1B, 0x7F, 0x85, 0x9B, 0x9C, 0x9D, 0x200B,
				       0x200F, 0x2028, 0x202E, 0x2066, 0x2069, 0xFEFF};
	static const uint32_t good[] = {' ', 'a', 0xA0, 0xE0, 0x1EC7, 0x0303, 0x2013, 0x2026,
					0x20AB, 0x2070};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(text_cp_unsafe(bad[i]), 1);
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(text_cp_unsafe(good[i]), 0);
	char *e = text_escape_unsafe("Tr\xC3\xA2n\x1B[2J\xC2\x9B\xE2\x80\xAEx\ny\xFF", "\n");
	assert_non_null(e);
	assert_string_equal(e, "Tr\xC3\xA2n<U+001B>[2J<U+009B><U+202E>x\ny<FF>");
	free(e);
	e = text_escape_unsafe("a\tb\nc", NULL);
	assert_string_equal(e, "a<U+0009>b<U+000A>c");
	free(e);
	e = text_escape_unsafe("Nguyễn Thị Ánh", NULL);
	assert_string_equal(e, "Nguyễn Thị Ánh");
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_valid),
	    cmocka_unit_test(test_utf8_invalid),
	    cmocka_unit_test(test_utf8_encode_limits),
	    cmocka_unit_test(test_utf8_roundtrip_all),
	    cmocka_unit_test(test_nfc_vn_count),
	    cmocka_unit_test(test_nfc_vn_roundtrip),
	    cmocka_unit_test(test_nfc_vn_mark_orders),
	    cmocka_unit_test(test_nfc_examples),
	    cmocka_unit_test(test_nfc_long_run),
	    cmocka_unit_test(test_normalization_file),
	    cmocka_unit_test(test_fold),
	    cmocka_unit_test(test_collate_communes),
	    cmocka_unit_test(test_collate_cases),
	    cmocka_unit_test(test_collate_key_memcmp),
	    cmocka_unit_test(test_width),
	    cmocka_unit_test(test_letters),
	    cmocka_unit_test(test_letters_agree),
	    cmocka_unit_test(test_clip),
	    cmocka_unit_test(test_unsafe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
