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
	e->vtop = 0;
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

int editline_newline(struct editline *e)
{
	telex_word_reset(&e->tx);
	return replace(e, e->cur, e->cur, "\n", 1);
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

/* Columns of the letter buf[from..to) (a base and its marks). */
static int letter_width(const char *s, size_t from, size_t to)
{
	char tmp[64];
	if (to - from >= sizeof tmp)
		return width_of(s, from, to);
	memcpy(tmp, s + from, to - from);
	tmp[to - from] = '\0';
	return text_width(tmp);
}

size_t editline_line_end(const struct editline *e, size_t start, int cols, size_t *next)
{
	size_t at = start, brk = 0;
	int w = 0;
	if (cols < 1)
		cols = 1;
	while (at < e->len) {
		if (e->buf[at] == '\n') {
			*next = at + 1;
			return at;
		}
		size_t nx = text_next_letter(e->buf, e->len, at);
		int lw = letter_width(e->buf, at, nx);
		if (w + lw > cols && at > start) {
			/* Wrap after the last space that fitted, else before this letter. */
			if (brk) {
				*next = brk;
				return brk;
			}
			*next = at;
			return at;
		}
		w += lw;
		at = nx;
		if (e->buf[at - 1] == ' ')
			brk = at;
	}
	*next = e->len;
	return e->len;
}

/* Visits the visual lines in order: fn returns non-zero to stop. */
static void each_line(const struct editline *e, int cols,
		      int (*fn)(size_t i, size_t start, size_t end, size_t next, int last, void *arg),
		      void *arg)
{
	size_t start = 0, i = 0;
	for (;;) {
		size_t next, end = editline_line_end(e, start, cols, &next);
		/* The last line: the text ends inside it (a final new line opens
		 * one more, empty line). */
		int last = end == e->len;
		if (fn(i, start, end, next, last, arg) || last)
			return;
		start = next;
		i++;
	}
}

struct locate {
	const struct editline *e;
	size_t pos, line;
	int col;
};

static int locate_fn(size_t i, size_t start, size_t end, size_t next, int last, void *arg)
{
	struct locate *l = arg;
	(void)end;
	if (l->pos >= next && !last)
		return 0;
	l->line = i;
	l->col = l->pos > start ? width_of(l->e->buf, start, l->pos) : 0;
	return 1;
}

void editline_locate(const struct editline *e, int cols, size_t pos, size_t *line, int *col)
{
	struct locate l = {e, pos, 0, 0};
	each_line(e, cols, locate_fn, &l);
	*line = l.line;
	*col = l.col;
}

struct vmove {
	const struct editline *e;
	size_t want;  /* target line */
	int col;      /* target column */
	size_t pos;
	int found;
};

static int vmove_fn(size_t i, size_t start, size_t end, size_t next, int last, void *arg)
{
	struct vmove *v = arg;
	if (i != v->want)
		return 0;
	size_t at = start;
	int w = 0;
	while (at < end) {
		size_t nx = text_next_letter(v->e->buf, v->e->len, at);
		int lw = letter_width(v->e->buf, at, nx);
		if (w + lw > v->col)
			break;
		w += lw;
		at = nx;
	}
	/* The end of a wrapped line is the next line's start: stay on this one. */
	if (at == next && !last && at > start)
		at = text_prev_letter(v->e->buf, v->e->len, at);
	v->pos = at;
	v->found = 1;
	return 1;
}

int editline_vmove(struct editline *e, int cols, int dir)
{
	size_t line;
	int col;
	editline_locate(e, cols, e->cur, &line, &col);
	if (dir < 0 && line == 0)
		return ED_IGNORED;
	struct vmove v = {e, dir < 0 ? line - 1 : line + 1, col, 0, 0};
	each_line(e, cols, vmove_fn, &v);
	if (!v.found)
		return ED_IGNORED;
	moved(e, v.pos);
	return ED_MOVED; /* the key was used, even where the column is the same */
}

void editline_area(struct editline *e, int cols, int rows, int *cy, int *cx)
{
	size_t line, last;
	int endcol;
	editline_locate(e, cols, e->cur, &line, cx);
	editline_locate(e, cols, e->len, &last, &endcol);
	if (rows < 1)
		rows = 1;
	if (line < e->vtop)
		e->vtop = line;
	if (line >= e->vtop + (size_t)rows)
		e->vtop = line - (size_t)rows + 1;
	/* Wider after a resize: fill the area rather than leave it half empty. */
	if (last + 1 < e->vtop + (size_t)rows)
		e->vtop = last + 1 > (size_t)rows ? last + 1 - (size_t)rows : 0;
	*cy = (int)(line - e->vtop);
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
