/*
 * tui/editline.c: the line editor model (no curses).
 *
 * The text is NFC UTF-8 at all times: a combining mark typed after its
 * letter (a decomposed input method, the Linux console's vn layout)
 * composes with it, so "e" + U+0302 + U+0303 is one letter, ễ.  The cursor
 * moves and deletes by letter (a base with its marks).  A field's limit
 * counts letters; input past it is refused (ED_FULL) so the caller can say
 * why, never dropped silently.  Telex (core/telex.h) rewrites the word
 * before the cursor as ASCII letters arrive.
 */
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/tui_int.h"

void editline_set(struct editline *e, const char *text, size_t maxletters, int telex_ok)
{
	size_t n = text ? strlen(text) : 0;
	if (n >= EDIT_CAP)
		n = text_prev_letter(text, n, EDIT_CAP - 1);
	if (n)
		memcpy(e->buf, text, n);
	e->buf[n] = '\0';
	e->len = e->cur = n;
	e->maxletters = maxletters;
	e->scroll = 0;
	e->telex_ok = telex_ok;
	e->changed = 0;
	telex_word_reset(&e->tx);
}

size_t editline_letters(const struct editline *e)
{
	return text_letters(e->buf, e->len);
}

/* Replace buf[from..to) by rep[0..n), normalize the part before the new
 * cursor (marks compose with the letter before them), check the limit.
 * The cursor ends after rep. */
static int replace(struct editline *e, size_t from, size_t to, const char *rep, size_t n)
{
	char head[EDIT_CAP];
	size_t hl = from + n;
	if (hl >= EDIT_CAP || hl + (e->len - to) >= EDIT_CAP)
		return ED_FULL;
	memcpy(head, e->buf, from);
	memcpy(head + from, rep, n);
	char *nfc = NULL;
	size_t nl = 0;
	if (text_nfc(head, hl, &nfc, &nl) != 0)
		return ED_IGNORED;
	size_t tail = e->len - to;
	if (nl + tail >= EDIT_CAP) {
		free(nfc);
		return ED_FULL;
	}
	char out[EDIT_CAP];
	memcpy(out, nfc, nl);
	memcpy(out + nl, e->buf + to, tail);
	free(nfc);
	if (e->maxletters && text_letters(out, nl + tail) > e->maxletters &&
	    text_letters(out, nl + tail) > editline_letters(e))
		return ED_FULL;
	memcpy(e->buf, out, nl + tail);
	e->len = nl + tail;
	e->buf[e->len] = '\0';
	e->cur = nl;
	e->changed = 1;
	return ED_CHANGED;
}

static int is_ascii_letter(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

int editline_insert(struct editline *e, uint32_t cp, int telex, enum telex_style style)
{
	char enc[4];
	size_t n = utf8_encode(cp, enc);
	if (n == 0 || cp < 0x20)
		return ED_IGNORED;
	if (telex && e->telex_ok && is_ascii_letter(cp)) {
		size_t wb = telex_word_begin(e->buf, e->cur);
		char out[TELEX_WORD_MAX + 1];
		size_t outlen = 0;
		e->tx.style = style;
		if (telex_key(&e->tx, e->buf + wb, e->cur - wb, (char)cp, out, &outlen) ==
		    TELEX_HANDLED)
			return replace(e, wb, e->cur, out, outlen);
	} else if (!is_ascii_letter(cp)) {
		telex_word_reset(&e->tx);
	}
	return replace(e, e->cur, e->cur, enc, n);
}

int editline_insert_text(struct editline *e, const char *s, int telex, enum telex_style style)
{
	int r = ED_IGNORED;
	size_t at = 0, len = strlen(s);
	while (at < len) {
		uint32_t cp;
		size_t used;
		if (utf8_decode(s + at, len - at, &cp, &used) != 0)
			return r | ED_IGNORED;
		int one = editline_insert(e, cp, telex, style);
		r |= one;
		if (one & ED_FULL)
			return r;
		at += used;
	}
	return r;
}

static int moved(struct editline *e, size_t to)
{
	if (to == e->cur)
		return ED_IGNORED;
	e->cur = to;
	telex_word_reset(&e->tx);
	return ED_MOVED;
}

int editline_backspace(struct editline *e)
{
	if (e->cur == 0)
		return ED_IGNORED;
	size_t from = text_prev_letter(e->buf, e->len, e->cur);
	memmove(e->buf + from, e->buf + e->cur, e->len - e->cur + 1);
	e->len -= e->cur - from;
	e->cur = from;
	e->changed = 1;
	telex_word_reset(&e->tx);
	return ED_CHANGED;
}

int editline_delete(struct editline *e)
{
	if (e->cur >= e->len)
		return ED_IGNORED;
	size_t to = text_next_letter(e->buf, e->len, e->cur);
	memmove(e->buf + e->cur, e->buf + to, e->len - to + 1);
	e->len -= to - e->cur;
	e->changed = 1;
	telex_word_reset(&e->tx);
	return ED_CHANGED;
}

int editline_left(struct editline *e)
{
	return moved(e, text_prev_letter(e->buf, e->len, e->cur));
}

int editline_right(struct editline *e)
{
	return moved(e, text_next_letter(e->buf, e->len, e->cur));
}

int editline_home(struct editline *e)
{
	return moved(e, 0);
}

int editline_end(struct editline *e)
{
	return moved(e, e->len);
}

int editline_kill_before(struct editline *e)
{
	if (e->cur == 0)
		return ED_IGNORED;
	memmove(e->buf, e->buf + e->cur, e->len - e->cur + 1);
	e->len -= e->cur;
	e->cur = 0;
	e->changed = 1;
	telex_word_reset(&e->tx);
	return ED_CHANGED;
}

/* Columns of buf[from..to). */
static int width_of(const char *s, size_t from, size_t to)
{
	char tmp[EDIT_CAP];
	memcpy(tmp, s + from, to - from);
	tmp[to - from] = '\0';
	return text_width(tmp);
}

void editline_view(struct editline *e, int cols, int *curcol)
{
	if (cols < 2)
		cols = 2;
	if (e->scroll > e->cur)
		e->scroll = e->cur;
	/* Keep the cursor inside, with one column to spare for it at the end. */
	while (e->scroll < e->cur && width_of(e->buf, e->scroll, e->cur) > cols - 1)
		e->scroll = text_next_letter(e->buf, e->len, e->scroll);
	*curcol = width_of(e->buf, e->scroll, e->cur);
}
