/*
 * core/text_width.c: terminal width and letter-wise cursor steps.
 *
 * These run on every redraw, so they never allocate and never consult the
 * locale (wcwidth() depends on LC_CTYPE and on the C library's Unicode
 * version; a table of our own gives the same layout on every machine).
 * Invalid bytes are one letter of width 1 each, so a broken string still
 * draws and the cursor still moves through it.
 */
#include "core/text.h"

#include <string.h>

#include "core/text_tables.h"

static int width_of(uint32_t cp)
{
	if (cp < 0x300)
		return cp == 0 ? 0 : 1;
	if (text_range_val(text_zero_table, text_zero_count, cp))
		return 0;
	if (text_range_val(text_wide_table, text_wide_count, cp))
		return 2;
	return 1;
}

static int is_mark(uint32_t cp)
{
	return cp >= 0x300 && text_range_val(text_mark_table, text_mark_count, cp) != 0;
}

int text_width(const char *s)
{
	size_t len = strlen(s), i = 0, used;
	uint32_t cp;
	int w = 0;

	while (i < len) {
		if (utf8_decode(s + i, len - i, &cp, &used) != 0) {
			w++;
			i++;
			continue;
		}
		w += width_of(cp);
		i += used;
	}
	return w;
}

size_t text_next_letter(const char *s, size_t len, size_t pos)
{
	size_t used;
	uint32_t cp;

	if (pos >= len)
		return len;
	if (utf8_decode(s + pos, len - pos, &cp, &used) != 0)
		return pos + 1;
	pos += used;
	while (pos < len && utf8_decode(s + pos, len - pos, &cp, &used) == 0 && is_mark(cp))
		pos += used;
	return pos;
}

/* Start of the code point (or invalid byte) that ends at end > 0; *valid
 * tells which.  Every byte that is not a continuation byte starts a unit
 * when decoding forward, so looking back to the nearest such byte agrees
 * with the forward decoder. */
static size_t prev_unit(const char *s, size_t end, uint32_t *cp, int *valid)
{
	size_t k, used;

	*valid = 0;
	for (k = 1; k <= 4 && k <= end; k++) {
		if (((unsigned char)s[end - k] & 0xC0) == 0x80)
			continue;
		if (utf8_decode(s + end - k, k, cp, &used) == 0 && used == k) {
			*valid = 1;
			return end - k;
		}
		break;
	}
	return end - 1;
}

size_t text_prev_letter(const char *s, size_t len, size_t pos)
{
	size_t q, r;
	uint32_t cp;
	int valid;

	if (pos > len)
		pos = len;
	if (pos == 0)
		return 0;
	q = prev_unit(s, pos, &cp, &valid);
	if (!valid || !is_mark(cp))
		return q;
	/* Walk back over the marks to their base.  Marks at the start of the
	 * text or after an invalid byte form a letter of their own, as
	 * text_next_letter() sees them. */
	while (q > 0) {
		r = prev_unit(s, q, &cp, &valid);
		if (!valid)
			return q;
		if (!is_mark(cp))
			return r;
		q = r;
	}
	return 0;
}

size_t text_letters(const char *s, size_t len)
{
	size_t n = 0, pos = 0;

	while (pos < len) {
		pos = text_next_letter(s, len, pos);
		n++;
	}
	return n;
}

size_t text_clip(const char *s, size_t len, int cols)
{
	size_t pos = 0;
	int w = 0;

	while (pos < len) {
		size_t next = text_next_letter(s, len, pos), i = pos, used;
		int lw = 0;
		uint32_t cp;

		while (i < next) {
			if (utf8_decode(s + i, next - i, &cp, &used) != 0) {
				lw++;
				i++;
			} else {
				lw += width_of(cp);
				i += used;
			}
		}
		if (w + lw > cols)
			break;
		w += lw;
		pos = next;
	}
	return pos;
}
