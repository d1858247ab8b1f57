/*
 * core/text.h: Vietnamese text in UTF-8.
 *
 * Map: strict UTF-8 decoding and encoding (utf8_*); NFC normalization
 * restricted to what Vietnamese and Latin text need (text_nfc); a search key
 * that folds case and diacritics (text_fold); a Vietnamese collation key
 * compared syllable by syllable (text_collate_key, text_collate); terminal
 * display width and letter-wise cursor steps (text_width, text_next_letter,
 * text_prev_letter).
 *
 * Contracts: functions that return int return 0 or a negative TEXT_E* code
 * (text_strerror() names it).  Functions that return a char ** result
 * allocate it with malloc; the caller frees it.  Input is never assumed
 * valid: overlong forms, surrogates, code points above U+10FFFF and cut
 * sequences are TEXT_EUTF8, never a crash.
 */
#ifndef CCHC_CORE_TEXT_H
#define CCHC_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

enum {
	TEXT_OK = 0,
	TEXT_EUTF8 = -1,  /* invalid UTF-8 */
	TEXT_ENOMEM = -2, /* out of memory */
	TEXT_ESPACE = -3, /* output buffer too small */
};

const char *text_strerror(int err);

/* Decode one code point from s[0..len).  On success *cp is the code point
 * and *used the number of bytes it took (1..4).  */
int utf8_decode(const char *s, size_t len, uint32_t *cp, size_t *used);

/* Encode cp (a valid scalar value) into out; returns the byte count (1..4),
 * or 0 when cp is a surrogate or above U+10FFFF. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* 0 when s[0..len) is valid UTF-8, else TEXT_EUTF8. */
int utf8_validate(const char *s, size_t len);

/* 1 when cp must never be stored in a text field or reach a terminal as it
 * is: C0 controls, DEL, C1 controls (U+0080..U+009F: U+009B is a CSI, U+009D
 * an OSC to many terminals, U+0085 a line break), and the invisible format
 * characters that disguise text: zero-width spaces, joiners and marks
 * (U+200B..U+200F), line and paragraph separators, bidi embeddings,
 * overrides and isolates (U+2028..U+202E, U+2066..U+2069), word joiner and
 * invisible operators (U+2060..U+2064), BOM (U+FEFF).  Newline and tab are
 * C0 too: callers allow them where a text may hold lines. */
int text_cp_unsafe(uint32_t cp);

/* A copy of s safe to print: every unsafe code point not in keep (a string
 * of ASCII bytes allowed as they are, e.g. "\n\t"; NULL for none) is
 * written "<U+XXXX>", every byte of invalid UTF-8 "<XX>".  Safe text comes
 * back unchanged.  malloc'd; NULL on ENOMEM. */
char *text_escape_unsafe(const char *s, const char *keep);

/* Normalize s[0..len) to NFC (canonical reordering of combining marks,
 * then composition).  Every Vietnamese letter, typed decomposed with its
 * marks in any canonically equivalent order, becomes precomposed.
 * *out is a NUL-terminated malloc'd string; *outlen (if not NULL) its length. */
int text_nfc(const char *s, size_t len, char **out, size_t *outlen);

/* 1 when s (NUL-terminated) is valid UTF-8 already in NFC, else 0. */
int text_is_nfc(const char *s);

/* Search key: NFC, lower case, diacritics removed (đ -> d), runs of white
 * space collapsed to one ASCII space, leading/trailing space removed.
 * "  Tân  TRÀO " -> "tan trao".  */
int text_fold(const char *s, char **out);

/* The same key as text_fold written into out (cap bytes, NUL-terminated),
 * with no allocation: for folding many texts in a row (a search over every
 * entry).  m (may be NULL) makes it faster: a map made once by
 * text_fold_map_init from the same rule, for the code points below
 * TEXT_FOLD_MAP_CPS (Latin and Vietnamese letters, their marks).  *outlen
 * (if not NULL) the key's length.  TEXT_EUTF8 stops at invalid UTF-8,
 * TEXT_ESPACE when the key does not fit; either way out holds the key of
 * what came before. */
#define TEXT_FOLD_MAP_CPS 0x2000
struct text_fold_map {
	uint8_t b[TEXT_FOLD_MAP_CPS]; /* the one ASCII byte cp folds to; 0xFF none, ' ' a space */
};
void text_fold_map_init(struct text_fold_map *m);
int text_fold_buf(const struct text_fold_map *m, const char *s, char *out, size_t cap,
		  size_t *outlen);

/* 1 when the folded key of needle occurs in the folded key of haystack. */
int text_fold_contains(const char *haystack_key, const char *needle_key);

/* Vietnamese collation key: comparing two keys with memcmp (shorter first
 * on a common prefix) gives the dictionary order of research/domain.md §6.3:
 * letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, then
 * tone (none ` ? ~ ´ .) within each syllable, then case; syllables compared
 * one by one.  *key is malloc'd (binary, not NUL-terminated).
 * Strings equal at all three levels are ordered by their canonical
 * decomposition, so only canonically equivalent strings get equal keys. */
int text_collate_key(const char *s, uint8_t **key, size_t *keylen);

/* <0, 0, >0 as a sorts before, equal to, after b in Vietnamese order.
 * Invalid UTF-8 sorts after valid text, by bytes. */
int text_collate(const char *a, const char *b);

/* Terminal columns that s (NUL-terminated UTF-8) takes: combining marks 0,
 * East Asian wide 2, others 1; invalid bytes count 1 each.  The width table
 * is built in (scripts/gen-text-tables.py), so the locale does not matter;
 * control characters count 1 (draw them as a visible substitute). */
int text_width(const char *s);

/* Letter steps: the byte offset of the next (previous) letter boundary after
 * (before) pos in s[0..len), where a letter is a base character with all the
 * combining marks that follow it.  Returns len (0) at the ends. */
size_t text_next_letter(const char *s, size_t len, size_t pos);
size_t text_prev_letter(const char *s, size_t len, size_t pos);

/* Number of letters (as above) in s[0..len). */
size_t text_letters(const char *s, size_t len);

/* Byte length of the longest prefix of s[0..len) that fits in cols columns
 * without splitting a letter. */
size_t text_clip(const char *s, size_t len, int cols);

#endif
