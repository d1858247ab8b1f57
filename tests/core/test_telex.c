/*
 * tests/core/test_telex.c: the Telex engine.
 *
 * The vectors of research/telex-and-collation/telex_vectors.tsv (copied
 * next to this file), the rules one by one, and a round trip of every
 * syllable of Debian's hunspell-vi word list: each syllable is turned into
 * Telex keys by an inverse written here, independently of the engine, and
 * must come back exactly.
 *
 * About the word list (/usr/share/hunspell/vi_VN.dic, hunspell-vi 2.2.0):
 * the .aff says SET UTF-8; the first line is a count; the 6631 entries
 * carry no /flags and are single syllables (no spaces or hyphens), mostly
 * lower case.  Tone placement is the new style throughout: it has 260
 * syllables like hoà, khoẻ, thuỷ and none like hòa, khỏe, thủy.  So the
 * round trip runs in TELEX_NEW; a syllable that only comes back in
 * TELEX_OLD would be counted as old style (there are none, but the test
 * does not depend on that).  Excluded, counted and printed: entries that
 * are no Vietnamese syllable, judged by the orthography (onset list, one to
 * three vowels, final list), not by the engine.  With hunspell-vi 2.2.0
 * that is 31 of 6631 (6600 tested, all round-trip):
 *   letters outside the alphabet (4): GIF JPEG PDF web
 *   no vowel (11): HCM HK HTML HĐND LHQ PNG TCVN TV Tp VN v
 *   not onset+vowels+final (16): ABC ASCII Telex UBND URL Unicode VIQR
 *     VISCII VNI basoi email gram internet intranet palăng tivi
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

#include "core/telex.h"
#include "core/text.h"

static char *convert(const char *keys, enum telex_style style)
{
	char *out = NULL;

	assert_int_equal(telex_convert(keys, strlen(keys), style, &out), 0);
	assert_non_null(out);
	return out;
}

static void check_style(const char *keys, const char *want, enum telex_style style)
{
	char *got = convert(keys, style);

	if (strcmp(got, want) != 0)
		fail_msg("%s %s: got \"%s\", want \"%s\"", style == TELEX_NEW ? "new" : "old", keys,
		         got, want);
	assert_int_equal(text_is_nfc(got), 1);
	free(got);
}

/* Same result in both styles. */
static void check(const char *keys, const char *want)
{
	check_style(keys, want, TELEX_OLD);
	check_style(keys, want, TELEX_NEW);
}

/* Directory of this source file, where the vectors live. */
static void data_path(char *buf, size_t cap, const char *name)
{
	const char *slash = strrchr(__FILE__, '/');
	int dir = slash ? (int)(slash - __FILE__ + 1) : 0;

	snprintf(buf, cap, "%.*s%s", dir, __FILE__, name);
}

/* ---- the research vectors ---- */

static void test_vectors(void **state)
{
	char path[512], line[512];
	int count = 0;

	(void)state;
	data_path(path, sizeof path, "telex_vectors.tsv");
	FILE *f = fopen(path, "r");
	if (f == NULL)
		fail_msg("%s: cannot open", path);
	assert_non_null(fgets(line, sizeof line, f)); /* header */
	while (fgets(line, sizeof line, f)) {
		char *keys = strtok(line, "\t\n");
		char *expected = strtok(NULL, "\t\n");
		if (keys == NULL || expected == NULL)
			continue;
		/* "hòa [new: hoà]": old style first, then the new one. */
		char old[64], neu[64];
		const char *br = strstr(expected, " [new: ");
		if (br) {
			snprintf(old, sizeof old, "%.*s", (int)(br - expected), expected);
			snprintf(neu, sizeof neu, "%.*s", (int)strcspn(br + 7, "]"), br + 7);
		} else {
			snprintf(old, sizeof old, "%s", expected);
			snprintf(neu, sizeof neu, "%s", expected);
		}
		check_style(keys, old, TELEX_OLD);
		check_style(keys, neu, TELEX_NEW);
		count++;
	}
	fclose(f);
	assert_int_equal(count, 28);
}

/* ---- rules ---- */

static void test_marks(void **state)
{
	(void)state;
	check("aa", "â");
	check("aw", "ă");
	check("ee", "ê");
	check("oo", "ô");
	check("ow", "ơ");
	check("uw", "ư");
	check("dd", "đ");
	check("w", "ư");
	check("nhwng", "nhưng");
	check("uow", "uơ");
	check("thuowr", "thuở");
	check("huow", "huơ");
	check("huowng", "hương");
	check("nuocsw", "nước");
	check("dduocwj", "được");
	check("muwa", "mưa");
	check("muaw", "mưa");
	check("hoawcj", "hoặc");
	check("quawng", "quăng");
	check("quoawts", "quoắt");
	check("guiwr", "gửi");
	check("cuuws", "cứu");
	check("tieengs", "tiếng");
	check("tienge", "tiêng");
	check("tiengee", "tienge");
	check("dadf", "đà");
	check("xooong", "xoong");
}

static void test_tones(void **state)
{
	(void)state;
	check("as", "á");
	check("af", "à");
	check("ar", "ả");
	check("ax", "ã");
	check("aj", "ạ");
	check("asf", "à");
	check("asz", "a");
	check("toans", "toán");
	check("hoangf", "hoàng");
	check("nguyeenx", "nguyễn");
	check("truwowngf", "trường");
	check("quys", "quý");
	check("gias", "giá");
	check("gif", "gì");
	check("gifn", "gìn");
	check("gifa", "già");
	check("qusy", "quý");
	check("ngoaif", "ngoài");
	check("khuyur", "khuỷu");
	check("muaf", "mùa");
	check("kiaf", "kìa");
	check("nguwowif", "người");
	check("ruwowuj", "rượu");
	check("khuyeens", "khuyến");
	check("hueej", "huệ");
	check("tuaanf", "tuần");
	/* Tone keys after the final consonant move to the right vowel. */
	check("tieesng", "tiếng");
	check("hoafn", "hoàn");
	check("hoanf", "hoàn");
	check("tuowngf", "tường");
}

static void test_undo(void **state)
{
	(void)state;
	check("ass", "as");
	check("aff", "af");
	check("ajj", "aj");
	check("aaa", "aa");
	check("eee", "ee");
	check("ooo", "oo");
	check("ddd", "dd");
	check("oww", "ow");
	check("aww", "aw");
	check("uww", "uw");
	check("ww", "w");
	check("uoww", "uow");
	check("tieengss", "tiêngs");
	check("asss", "ass");
	check("aaaa", "aaa");
	check("dddd", "ddd");
	check("az", "az");
	check("www", "ww");
}

static void test_literal(void **state)
{
	(void)state;
	check("s", "s");
	check("bs", "bs");
	check("xyz", "xyz");
	check("hello", "hello");
	check("web", "ưeb");
	check("abc", "abc");
	check("vieetj nam, 2024!", "việt nam, 2024!");
	check("a1s", "a1s");
	check("mootj-hai", "một-hai");
	check("", "");
	/* Already Vietnamese text passes through and ends the word. */
	check("Việt", "Việt");
	/* Decomposed input comes out NFC; invalid UTF-8 comes out as it came. */
	check("vie\xcc\x82\xcc\xa3t", "việt");
	check("a\xcc\x81 as", "á á");
	char *raw = convert("as \xff", TELEX_OLD);
	assert_string_equal(raw, "á \xff");
	free(raw);
}

static void test_upper(void **state)
{
	(void)state;
	check("DDoongf", "Đồng");
	check("VIEEJT", "VIỆT");
	check("Nawngx", "Nẵng");
	check("DDAF", "ĐÀ");
	check("TRUWOWNGF", "TRƯỜNG");
	check_style("HOAF", "HÒA", TELEX_OLD);
	check("NGUYEENX", "NGUYỄN");
	check("W", "Ư");
	check("AAA", "AA");
	check("Aa", "Â");
	check("aA", "â");
	check("HAf", "HÀ");
	check("QUYS", "QUÝ");
}

static void test_styles(void **state)
{
	(void)state;
	check_style("hoaf", "hòa", TELEX_OLD);
	check_style("hoaf", "hoà", TELEX_NEW);
	check_style("thuyr", "thủy", TELEX_OLD);
	check_style("thuyr", "thuỷ", TELEX_NEW);
	check_style("khoer", "khỏe", TELEX_OLD);
	check_style("khoer", "khoẻ", TELEX_NEW);
	check_style("hoas", "hóa", TELEX_OLD);
	check_style("hoas", "hoá", TELEX_NEW);
	check_style("HOAF", "HOÀ", TELEX_NEW);
	/* Where both styles agree. */
	check("hoangf", "hoàng");
	check("quys", "quý");
	check("hoafn", "hoàn");
	check("ngoaif", "ngoài");
	check("muaf", "mùa");
	check("cuar", "của");
	check("huyeenj", "huyện");
	check("quaf", "quà");
}

/* ---- the key API the line editor uses ---- */

static void test_key_api(void **state)
{
	struct telex t = {.style = TELEX_OLD, .word_flags = 0};
	char out[TELEX_WORD_MAX + 1];
	size_t n = 0;

	(void)state;
	assert_int_equal(telex_key(&t, "hoa", 3, 'f', out, &n), TELEX_HANDLED);
	assert_string_equal(out, "hòa");
	assert_int_equal(n, strlen("hòa"));
	assert_int_equal(telex_key(&t, "hòa", strlen("hòa"), 'n', out, &n), TELEX_HANDLED);
	assert_string_equal(out, "hoàn");
	/* A plain append is the caller's job. */
	assert_int_equal(telex_key(&t, "ho", 2, 'a', out, &n), TELEX_LITERAL);
	assert_int_equal(telex_key(&t, "", 0, 's', out, &n), TELEX_LITERAL);
	assert_int_equal(telex_key(&t, "a", 1, '1', out, &n), TELEX_LITERAL);
	assert_int_equal(telex_key(&t, "a", 1, ' ', out, &n), TELEX_LITERAL);
	/* Not a syllable, or not UTF-8: literal. */
	assert_int_equal(telex_key(&t, "hel", 3, 's', out, &n), TELEX_LITERAL);
	assert_int_equal(telex_key(&t, "\xff", 1, 's', out, &n), TELEX_LITERAL);
	assert_int_equal(telex_key(&t, "a\xcc", 2, 's', out, &n), TELEX_LITERAL);
	/* A word typed elsewhere (decomposed is not NFC: literal). */
	assert_int_equal(telex_key(&t, "hòa", strlen("hòa"), 'z', out, &n), TELEX_HANDLED);
	assert_string_equal(out, "hoa");
	assert_int_equal(telex_key(&t, "ho\314\200a", 5, 'z', out, &n), TELEX_LITERAL);
	/* The style can change between keys. */
	t.style = TELEX_NEW;
	assert_int_equal(telex_key(&t, "hòa", strlen("hòa"), 'r', out, &n), TELEX_HANDLED);
	assert_string_equal(out, "hoả");
	/* Lone w memory: "uw" + w undoes to uw unless the flag says lone. */
	telex_word_reset(&t);
	assert_int_equal(telex_key(&t, "ư", strlen("ư"), 'w', out, &n), TELEX_HANDLED);
	assert_string_equal(out, "uw");
	assert_int_equal(telex_key(&t, "", 0, 'w', out, &n), TELEX_HANDLED);
	assert_string_equal(out, "ư");
	assert_int_equal(telex_key(&t, "ư", strlen("ư"), 'w', out, &n), TELEX_HANDLED);
	assert_string_equal(out, "w");
	/* Too long to be a syllable. */
	char longw[TELEX_WORD_MAX + 2];
	memset(longw, 'a', sizeof longw - 1);
	longw[sizeof longw - 1] = '\0';
	assert_int_equal(telex_key(&t, longw, strlen(longw), 's', out, &n), TELEX_LITERAL);
}

static void test_word_begin(void **state)
{
	const char *s = "nói: Việt";

	(void)state;
	assert_int_equal(telex_word_begin(s, strlen(s)), strlen("nói: "));
	assert_int_equal(telex_word_begin(s, strlen("nói")), 0);
	assert_int_equal(telex_word_begin(s, strlen("nói:")), strlen("nói:"));
	assert_int_equal(telex_word_begin("", 0), 0);
	assert_int_equal(telex_word_begin("đ", 2), 0);
	assert_int_equal(telex_word_begin("a\x80", 2), 2);
	assert_string_equal(telex_strerror(TELEX_ENOMEM), "out of memory");
}

/* Random keys (a fixed LCG, so runs repeat) must give NFC text and never
 * trip the sanitizers. */
static void test_random_keys(void **state)
{
	static const char alphabet[] = "aeiouyAEOUdDwWsfrxjzSFRXJZqgnhtcmpkl -1";
	uint32_t seed = 12345;
	char keys[32];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		seed = seed * 1103515245u + 12345u;
		size_t n = (seed >> 16) % sizeof keys;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			keys[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		keys[n] = '\0';
		char *got = convert(keys, round & 1 ? TELEX_NEW : TELEX_OLD);
		if (!text_is_nfc(got))
			fail_msg("%s -> not NFC", keys);
		free(got);
	}
}

/* ---- hunspell-vi round trip ---- */

/* The inverse of Telex, written from the alphabet and not from the engine:
 * each row is a base vowel with its tones in key order (none s f r x j),
 * in both cases, and the keys that type its mark. */
static const struct {
	const char *forms[2]; /* 6 letters each, lower and upper case, UTF-8 */
	const char *keys;     /* keys after the base letter */
} vowels[] = {
    {{"aáàảãạ", "AÁÀẢÃẠ"}, ""}, {{"ăắằẳẵặ", "ĂẮẰẲẴẶ"}, "w"}, {{"âấầẩẫậ", "ÂẤẦẨẪẬ"}, "a"},
    {{"eéèẻẽẹ", "EÉÈẺẼẸ"}, ""}, {{"êếềểễệ", "ÊẾỀỂỄỆ"}, "e"}, {{"iíìỉĩị", "IÍÌỈĨỊ"}, ""},
    {{"oóòỏõọ", "OÓÒỎÕỌ"}, ""}, {{"ôốồổỗộ", "ÔỐỒỔỖỘ"}, "o"}, {{"ơớờởỡợ", "ƠỚỜỞỠỢ"}, "w"},
    {{"uúùủũụ", "UÚÙỦŨỤ"}, ""}, {{"ưứừửữự", "ƯỨỪỬỮỰ"}, "w"}, {{"yýỳỷỹỵ", "YÝỲỶỸỴ"}, ""},
};

static const char *const onset_list[] = {
    "",   "b",   "c",  "ch", "d",  "đ", "g",  "gh", "gi", "h", "k",  "kh", "l", "m", "n",
    "ng", "ngh", "nh", "p",  "ph", "q", "qu", "r",  "s",  "t", "th", "tr", "v", "x",
};
static const char *const final_list[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};

struct tletter {
	char base; /* ASCII lower case, 'D' for đ */
	int vowel; /* row in vowels[], or -1 */
	int tone;  /* 0..5 */
	int upper;
};

/* Next UTF-8 character of s copied into buf (at most 4 bytes + NUL). */
static size_t next_char(const char *s, char *buf)
{
	size_t k = 1;

	while (k < 4 && s[k] != '\0' && ((unsigned char)s[k] & 0xC0) == 0x80)
		k++;
	memcpy(buf, s, k);
	buf[k] = '\0';
	return k;
}

/* Find one NFC character in the vowel table. */
static int find_vowel(const char *ch, struct tletter *c)
{
	char buf[8];

	for (int r = 0; r < 12; r++)
		for (int u = 0; u < 2; u++) {
			const char *p = vowels[r].forms[u];
			for (int t = 0; t < 6; t++) {
				p += next_char(p, buf);
				if (strcmp(buf, ch) == 0) {
					c->vowel = r, c->tone = t, c->upper = u;
					c->base = "aaaeeiooouuy"[r];
					return 1;
				}
			}
		}
	return 0;
}

/* Letters of an NFC syllable; 0 when one is outside the Vietnamese
 * alphabet (f j w z, digits, other accents). */
static int decode_syllable(const char *s, struct tletter *l, size_t cap, size_t *n)
{
	char ch[8];

	*n = 0;
	while (*s) {
		if (*n == cap)
			return 0;
		struct tletter *c = &l[(*n)++];
		s += next_char(s, ch);
		c->vowel = -1, c->tone = 0, c->upper = 0;
		if (find_vowel(ch, c))
			continue;
		if (strcmp(ch, "đ") == 0 || strcmp(ch, "Đ") == 0) {
			c->base = 'D';
			c->upper = ch[1] == '\x90';
			continue;
		}
		char a = ch[0];
		c->upper = a >= 'A' && a <= 'Z';
		if (c->upper)
			a = (char)(a - 'A' + 'a');
		if (ch[1] != '\0' || a < 'a' || a > 'z' || strchr("fjwz", a))
			return 0;
		c->base = a;
	}
	return 1;
}

static int in_tlist(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

enum verdict { V_OK, V_LETTERS, V_NOVOWEL, V_SHAPE };

/* Onset + 1..3 vowels + final, from the lists of the orthography. */
static enum verdict classify(const struct tletter *l, size_t n)
{
	char on[16] = "", fin[16] = "";
	size_t i = 0, k = 0;

	while (i < n && l[i].vowel < 0) {
		if (k + 3 > sizeof on)
			return V_SHAPE;
		if (l[i].base == 'D')
			on[k++] = (char)0xC4, on[k++] = (char)0x91;
		else
			on[k++] = l[i].base;
		on[k] = '\0';
		i++;
	}
	size_t v0 = i;
	while (i < n && l[i].vowel >= 0)
		i++;
	if (i == v0)
		return V_NOVOWEL;
	if (i - v0 > 3)
		return V_SHAPE;
	for (k = 0; i < n; i++) {
		if (l[i].vowel >= 0 || k + 2 > sizeof fin || l[i].base == 'D')
			return V_SHAPE;
		fin[k++] = l[i].base;
		fin[k] = '\0';
	}
	if (!in_tlist(on, onset_list, sizeof onset_list / sizeof onset_list[0]) ||
	    !in_tlist(fin, final_list, sizeof final_list / sizeof final_list[0]))
		return V_SHAPE;
	return V_OK;
}

static void put_key(char *keys, size_t *k, char c, int upper)
{
	keys[(*k)++] = upper && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	keys[*k] = '\0';
}

/* Telex keys for a syllable: marks as doubled or w keys right after their
 * letter, đ as dd, the tone key at the end of the syllable, or with
 * tone_early right after the letter that carries it (both are common
 * habits; the engine must move the tone either way).  A plain vowel after
 * the same plain vowel (xoong) is typed three times: the third key undoes
 * the circumflex the second one made. */
static void to_keys(const struct tletter *l, size_t n, int tone_early, char *keys)
{
	size_t k = 0;
	int tone = 0;

	keys[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct tletter *c = &l[i];
		if (c->base == 'D') {
			put_key(keys, &k, 'd', c->upper);
			put_key(keys, &k, 'd', c->upper);
			continue;
		}
		put_key(keys, &k, c->base, c->upper);
		if (c->vowel < 0)
			continue;
		for (const char *m = vowels[c->vowel].keys; *m; m++)
			put_key(keys, &k, *m, c->upper);
		if (i > 0 && l[i - 1].vowel == c->vowel && vowels[c->vowel].keys[0] == '\0' &&
		    strchr("aeo", c->base))
			put_key(keys, &k, c->base, c->upper);
		if (c->tone && tone_early)
			put_key(keys, &k, "\0sfrxj"[c->tone], 0);
		else if (c->tone)
			tone = c->tone;
	}
	if (tone)
		put_key(keys, &k, "\0sfrxj"[tone], 0);
}

/* 1 when keys type want in TELEX_NEW (or, failing that, in TELEX_OLD,
 * which *old_style counts); else prints the failure and returns 0. */
static int round_trip(const char *want, const char *keys, size_t *old_style)
{
	char *got = convert(keys, TELEX_NEW);
	int ok = strcmp(got, want) == 0;

	if (!ok) {
		char *old = convert(keys, TELEX_OLD);
		ok = strcmp(old, want) == 0;
		*old_style += (size_t)ok;
		free(old);
	}
	if (!ok)
		print_message("round trip: %s -> %s -> %s\n", want, keys, got);
	free(got);
	return ok;
}

/* The old-style spelling of a new-style syllable: an open oa, oe or uy
 * (not quy) with the tone on its second vowel takes it on the first
 * (hoà -> hòa, khoẻ -> khỏe, thuỷ -> thủy).  0 when both styles agree. */
static int old_spelling(struct tletter *l, size_t n)
{
	if (n < 2 || l[n - 1].vowel < 0 || l[n - 2].vowel < 0 || l[n - 1].tone == 0)
		return 0;
	if (n >= 3 && (l[n - 3].vowel >= 0 || (l[n - 3].base == 'q' && l[n - 2].base == 'u')))
		return 0;
	char p = l[n - 2].base, q = l[n - 1].base;
	int plain =
	    vowels[l[n - 2].vowel].keys[0] == '\0' && vowels[l[n - 1].vowel].keys[0] == '\0';
	if (!plain || !((p == 'o' && (q == 'a' || q == 'e')) || (p == 'u' && q == 'y')))
		return 0;
	l[n - 2].tone = l[n - 1].tone;
	l[n - 1].tone = 0;
	return 1;
}

static void encode_syllable(const struct tletter *l, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	char ch[8];

	for (size_t i = 0; i < n; i++) {
		if (l[i].base == 'D') {
			snprintf(ch, sizeof ch, "%s", l[i].upper ? "Đ" : "đ");
		} else if (l[i].vowel >= 0) {
			const char *p = vowels[l[i].vowel].forms[l[i].upper];
			for (int t = 0; t <= l[i].tone; t++)
				p += next_char(p, ch);
		} else {
			ch[0] = l[i].upper ? (char)(l[i].base - 'a' + 'A') : l[i].base;
			ch[1] = '\0';
		}
		k += (size_t)snprintf(out + k, cap - k, "%s", ch);
	}
}

static void test_hunspell_round_trip(void **state)
{
	const char *dic = "/usr/share/hunspell/vi_VN.dic";
	char line[256];
	size_t tested = 0, old_style = 0, old_early = 0, failed = 0, total = 0, styled = 0;
	size_t excl[4] = {0};

	(void)state;
	FILE *f = fopen(dic, "r");
	if (f == NULL) {
		print_message("%s missing (package hunspell-vi): skipped\n", dic);
		skip_unless_ci("hunspell-vi missing");
	}
	assert_non_null(fgets(line, sizeof line, f)); /* the count */
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "/\r\n")] = '\0';
		for (char *save = NULL, *syl = strtok_r(line, " -", &save); syl;
		     syl = strtok_r(NULL, " -", &save)) {
			char *norm = NULL;
			struct tletter l[32];
			size_t n;
			char keys[128];

			total++;
			assert_int_equal(text_nfc(syl, strlen(syl), &norm, NULL), 0);
			enum verdict v =
			    decode_syllable(norm, l, 32, &n) ? classify(l, n) : V_LETTERS;
			if (v != V_OK) {
				excl[v]++;
				free(norm);
				continue;
			}
			tested++;
			to_keys(l, n, 0, keys);
			failed += !round_trip(norm, keys, &old_style);
			to_keys(l, n, 1, keys);
			failed += !round_trip(norm, keys, &old_early);
			/* The same keys in TELEX_OLD: the old spelling. */
			char want[64];
			styled += (size_t)old_spelling(l, n);
			encode_syllable(l, n, want, sizeof want);
			char *got = convert(keys, TELEX_OLD);
			if (strcmp(got, want) != 0) {
				print_message("old style: %s -> %s, want %s\n", keys, got, want);
				failed++;
			}
			free(got);
			free(norm);
		}
	}
	fclose(f);
	print_message("hunspell-vi: %zu syllables, %zu tested (%zu old style, %zu spelt "
	              "differently in the old style), %zu excluded: "
	              "%zu letters outside Vietnamese, %zu without a vowel, %zu not "
	              "onset+vowels+final\n",
	              total, tested, old_style, styled,
	              excl[V_LETTERS] + excl[V_NOVOWEL] + excl[V_SHAPE], excl[V_LETTERS],
	              excl[V_NOVOWEL], excl[V_SHAPE]);
	assert_true(total > 6000);
	assert_true(tested * 100 >= total * 98);
	assert_int_equal(old_style, old_early);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_marks),
	    cmocka_unit_test(test_tones),
	    cmocka_unit_test(test_undo),
	    cmocka_unit_test(test_literal),
	    cmocka_unit_test(test_upper),
	    cmocka_unit_test(test_styles),
	    cmocka_unit_test(test_key_api),
	    cmocka_unit_test(test_word_begin),
	    cmocka_unit_test(test_random_keys),
	    cmocka_unit_test(test_hunspell_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
