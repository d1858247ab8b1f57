/*
 * core/text_tables.h: Unicode data behind core/text.c (private to core/).
 *
 * The tables are generated into core/text_tables.c by
 * scripts/gen-text-tables.py from Debian's UnicodeData.txt and friends.
 * Every table is sorted by code point so text.c can binary-search it.
 */
#ifndef CCHC_CORE_TEXT_TABLES_H
#define CCHC_CORE_TEXT_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* Longest full canonical decomposition in the table (U+1F84 and kin). */
#define TEXT_DECOMP_MAX 4

/* Full canonical decomposition of cp: text_decomp_pool[off .. off+len). */
struct text_decomp {
	uint32_t cp;
	uint16_t off;
	uint8_t len;
};

/* Primary composite: a + b -> c (composition exclusions already removed);
 * sorted by (a, b). */
struct text_comp {
	uint32_t a, b, c;
};

/* Code points first..last share val (a ccc, a mark kind, or 1 for a
 * plain membership table); val is never 0. */
struct text_range {
	uint32_t first, last;
	uint8_t val;
};

struct text_pair {
	uint32_t from, to;
};

extern const struct text_decomp text_decomp_table[];
extern const size_t text_decomp_count;
extern const uint32_t text_decomp_pool[];
extern const struct text_comp text_comp_table[];
extern const size_t text_comp_count;
extern const struct text_range text_ccc_table[]; /* canonical combining class */
extern const size_t text_ccc_count;
extern const struct text_range text_mark_table[]; /* 1 Mn/Me, 2 Mc */
extern const size_t text_mark_count;
extern const struct text_range text_zero_table[]; /* zero display width */
extern const size_t text_zero_count;
extern const struct text_range text_wide_table[]; /* East Asian wide/fullwidth */
extern const size_t text_wide_count;
extern const struct text_pair text_lower_table[]; /* simple lower case */
extern const size_t text_lower_count;

/* Shared by core/text*.c only, not part of the module's API. */

/* The val of the range holding cp, or 0 when no range holds it. */
int text_range_val(const struct text_range *t, size_t n, uint32_t cp);

/* Validate s[0..len) and return its canonical decomposition (NFD, marks in
 * canonical order) as a malloc'd array of *n code points (never NULL on
 * success, even when *n is 0).  0, TEXT_EUTF8 or TEXT_ENOMEM. */
int text_nfd_cps(const char *s, size_t len, uint32_t **cps, size_t *n);

/* The full canonical decomposition of cp into out (TEXT_DECOMP_MAX code
 * points, or NULL to count); its length, 1 when cp does not decompose. */
size_t text_decompose_cp(uint32_t cp, uint32_t *out);

#endif
