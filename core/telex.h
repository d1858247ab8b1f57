/*
 * core/telex.h: the built-in Telex input engine.
 *
 * Map: the line editor drives telex_key() once per typed ASCII key, giving
 * it the word before the cursor; the engine answers with the new word or
 * says "insert the key literally".  telex_word_begin() finds where that word
 * starts.  telex_convert() runs a whole keystroke string through the same
 * engine (the `cchc telex` filter).  The engine is pure: no I/O, no curses,
 * no allocation on the key path, no global state.
 *
 * Rules (research/ecosystem.md §2.3):
 *   aa â   aw ă   ee ê   oo ô   ow ơ   uw ư   dd đ
 *   w after "uo" gives ươ (uơ in an open syllable: thuở, huơ; it becomes
 *   ươ as soon as a final letter follows: "thuowng" -> thương); a lone w
 *   after an onset (or at the start) gives ư.
 *   s f r x j: sắc huyền hỏi ngã nặng; z removes the tone.  A tone or mark
 *   key may come anywhere after its vowel ("tieesng" = "tieengs" = tiếng),
 *   and the tone moves as letters are typed ("hoafn" -> hoàn).
 *   Pressing a key whose mark is already there removes the mark and inserts
 *   the key: "ass" -> as, "aaa" -> aa, "ddd" -> dd, "oww" -> ow.
 *   Tone placement: qu and gi are onsets; a vowel with a diacritic takes
 *   the tone (ơ in ươ); else with a final consonant the last vowel; else of
 *   three vowels the middle; of two the first, except that TELEX_NEW puts
 *   it on the second of oa, oe, uy (hoà, khoẻ, thuỷ; TELEX_OLD: hòa, khỏe,
 *   thủy).
 *   A key is inserted literally when the word is not a Vietnamese syllable
 *   (or the start of one), or the key cannot apply (a tone with no vowel).
 *   Only ASCII letters are keys: Unikey's [ -> ơ and ] -> ư stay off, as
 *   research §2.3 advises for a forms program.
 *   Letter case is kept: the case of a vowel is its own, whatever the case
 *   of the mark key; "DDoongf" -> Đồng, "VIEEJT" -> VIỆT.
 *
 * Output is always precomposed (NFC) for the letters the engine writes.
 */
#ifndef CCHC_CORE_TELEX_H
#define CCHC_CORE_TELEX_H

#include <stddef.h>

enum telex_style {
	TELEX_OLD = 0, /* hòa, thủy, khỏe: the default */
	TELEX_NEW = 1, /* hoà, thuỷ, khoẻ */
};

enum {
	TELEX_LITERAL = 0, /* telex_key: not handled, insert the key as typed */
	TELEX_HANDLED = 1, /* telex_key: replace the word with out */
	TELEX_ENOMEM = -1, /* out of memory */
};

/* Longest word (bytes) the engine rewrites; a longer word is no Vietnamese
 * syllable, so keys after it are literal.  out buffers hold this plus NUL. */
#define TELEX_WORD_MAX 48

/* One engine per edit session.  style may change between keys.  word_flags
 * is the engine's memory about the current word (whether its ư came from a
 * lone w, so that "ww" gives w but "uww" gives uw); set it to 0 with
 * telex_word_reset() whenever the cursor starts a new word or the word
 * changed by other means.  Zero-initializing the struct is valid. */
struct telex {
	enum telex_style style;
	unsigned word_flags;
};

const char *telex_strerror(int err);

/* Forget what the engine knew about the current word. */
void telex_word_reset(struct telex *t);

/* Apply key (an ASCII byte) to word[0..len), UTF-8 in NFC, the letters
 * before the cursor as found by telex_word_begin().  Returns TELEX_HANDLED
 * with the new word in out (NUL-terminated, *outlen bytes, at most
 * TELEX_WORD_MAX): the caller replaces word by it.  Returns TELEX_LITERAL
 * when the caller should insert key itself (out is then undefined).  Never
 * fails; invalid UTF-8 in word just makes every key literal. */
int telex_key(struct telex *t, const char *word, size_t len, char key, char out[TELEX_WORD_MAX + 1],
              size_t *outlen);

/* Byte offset in s[0..pos) where the run of letters (ASCII or Vietnamese,
 * NFC) ending at pos begins; pos itself when s[pos-1] is no letter. */
size_t telex_word_begin(const char *s, size_t pos);

/* Convert the keystroke string keys[0..len) to Vietnamese text: every run
 * of ASCII letters is fed key by key to the engine; everything else (digits,
 * punctuation, space, bytes >= 0x80) passes through and ends the word.
 * The result is NFC when it is valid UTF-8 (invalid bytes pass through).
 * *out is a NUL-terminated malloc'd string the caller frees.  Returns 0 or
 * TELEX_ENOMEM (*out untouched). */
int telex_convert(const char *keys, size_t len, enum telex_style style, char **out);

#endif
