/*
 * tui/keyseq.c: the escape sequences terminals send for keys, decoded
 * whatever terminfo says (no curses here; tui/term.c feeds the bytes).
 *
 * Why: TERM often names another terminal than the one in front of the
 * user.  Under tmux or screen with TERM=xterm-256color, Home and End come
 * as ESC [ 1 ~ and ESC [ 4 ~, which the xterm entry does not list, so
 * curses hands over a bare ESC and then "[1~" as typed text: the ESC
 * opened the discard prompt and the next letters answered it.  So every
 * sequence the common terminals send is known here, and a sequence that
 * is not is still recognised as one by its shape (ECMA-48: CSI, then
 * parameter bytes 0x30-0x3F, intermediates 0x20-0x2F, one final byte
 * 0x40-0x7E) and dropped whole: none of its bytes acts as a key.
 *
 * Known (the byte after ESC first):
 *   [ n ~        xterm, vt220, rxvt, linux, tmux, screen: 1 Home, 2 Insert,
 *                3 Delete, 4 End, 5 PgUp, 6 PgDn, 7 Home, 8 End (rxvt),
 *                11-15 F1-F5, 17-21 F6-F10, 23-24 F11-F12; "n;m~" (with
 *                modifiers) and rxvt's "n$", "n^", "n@" are the same key
 *                for the editing keys, and dropped for function keys
 *   [ A..D H F Z arrows, Home, End, Shift-Tab ("1;5A": modifiers ignored)
 *   [ 1;mP..S    F1-F4 with modifiers: dropped
 *   [ [ A..E     linux console F1-F5
 *   [ a..d       rxvt Shift-arrows: the arrows
 *   O A..D H F   application cursor mode; O P..S F1-F4; O a..d rxvt
 *                Ctrl-arrows; O M keypad Enter; O p..y, O j k l m n o X
 *                the application keypad's 0-9 * + , - . / = (typed)
 */
#include <string.h>

#include "tui/tui_int.h"

static struct tkey key(uint32_t code)
{
	struct tkey k = {TK_KEY, code, 0, 0};
	return k;
}

static struct tkey ch(uint32_t cp)
{
	struct tkey k = {TK_CHAR, cp, 0, 0};
	return k;
}

/* The key of a cursor-style final byte (CSI or SS3), or 0. */
static uint32_t cursor_final(uint8_t f)
{
	switch (f) {
	case 'A': case 'a': return K_UP;
	case 'B': case 'b': return K_DOWN;
	case 'C': case 'c': return K_RIGHT;
	case 'D': case 'd': return K_LEFT;
	case 'H': return K_HOME;
	case 'F': return K_END;
	default: return 0;
	}
}

/* "n~": the vt220-style number of the key, or 0. */
static uint32_t tilde_key(unsigned n)
{
	static const uint32_t edit[] = {0,     K_HOME, K_INSERT, K_DELETE, K_END,
					K_PGUP, K_PGDN, K_HOME,  K_END};
	if (n < sizeof edit / sizeof edit[0])
		return edit[n];
	if (n >= 11 && n <= 15)
		return K_F1 + (n - 11);
	if (n >= 17 && n <= 21)
		return K_F6 + (n - 17);
	if (n == 23 || n == 24)
		return K_F11 + (n - 23);
	return 0;
}

static int is_fkey(uint32_t code)
{
	return code >= K_F1 && code <= K_F12;
}

/* The keypad in application mode sends ESC O and a letter for each key;
 * they type what is printed on them. */
static uint32_t keypad_char(uint8_t f)
{
	if (f >= 'p' && f <= 'y')
		return '0' + (uint32_t)(f - 'p');
	switch (f) {
	case 'j': return '*';
	case 'k': return '+';
	case 'l': return ',';
	case 'm': return '-';
	case 'n': return '.';
	case 'o': return '/';
	case 'X': return '=';
	default: return 0;
	}
}

/* Parameters: the first number and whether more (modifiers) follow. */
static void params(const uint8_t *p, size_t n, unsigned *first, int *more)
{
	*first = 0;
	*more = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9' && !*more) {
			if (*first < 1000)
				*first = *first * 10 + (unsigned)(p[i] - '0');
		} else if (p[i] == ';' || p[i] == ':') {
			*more = 1;
		}
	}
}

/* A complete CSI sequence: seq[0] == '[', seq[n - 1] its final byte. */
static enum keyseq_result csi_key(const uint8_t *seq, size_t n, struct tkey *out)
{
	uint8_t f = seq[n - 1];
	unsigned num;
	int mods;
	params(seq + 1, n - 2, &num, &mods);
	uint32_t code = 0;
	if (f == '~' || f == '$' || f == '^' || f == '@') {
		code = tilde_key(num);
		/* A function key with Shift or Ctrl is another key: F6 with an
		 * unmeant Ctrl must not approve a report. */
		if (is_fkey(code) && (mods || f != '~'))
			code = 0;
	} else if (f == 'Z') {
		code = K_BTAB;
	} else if ((f >= 'a' && f <= 'd') && n == 2) {
		code = cursor_final(f);
	} else if (f >= 'A' && f <= 'Z') {
		code = cursor_final(f);
	}
	if (!code)
		return KS_SWALLOW;
	*out = key(code);
	return KS_KEY;
}

static enum keyseq_result csi(const uint8_t *seq, size_t len, struct tkey *out)
{
	if (len == 1)
		return KS_MORE;
	if (seq[1] == '[') { /* the linux console's F1-F5: ESC [ [ A..E */
		if (len == 2)
			return KS_MORE;
		if (seq[2] >= 'A' && seq[2] <= 'E') {
			*out = key(K_F1 + (uint32_t)(seq[2] - 'A'));
			return KS_KEY;
		}
		return seq[2] >= 0x20 && seq[2] < 0x7F ? KS_SWALLOW : KS_BROKEN;
	}
	uint8_t c = seq[len - 1];
	/* rxvt ends a modified key with '$' (an intermediate elsewhere): a
	 * final byte after a number. */
	if (c == '$' && len > 2 && seq[len - 2] >= '0' && seq[len - 2] <= '9')
		return csi_key(seq, len, out);
	if (c >= 0x40 && c <= 0x7E)
		return csi_key(seq, len, out);
	if (c >= 0x20 && c <= 0x3F)
		return len >= KEYSEQ_MAX ? KS_SWALLOW : KS_MORE;
	return KS_BROKEN;
}

static enum keyseq_result ss3(const uint8_t *seq, size_t len, struct tkey *out)
{
	if (len == 1)
		return KS_MORE;
	uint8_t c = seq[len - 1];
	/* Old xterms put modifiers here too: ESC O 5 A. */
	if (c >= 0x30 && c <= 0x3F)
		return len >= KEYSEQ_MAX ? KS_SWALLOW : KS_MORE;
	if (c < 0x40 || c > 0x7E)
		return KS_BROKEN;
	int mods = len > 2;
	uint32_t code = cursor_final(c);
	if (!code && c >= 'P' && c <= 'S' && !mods)
		code = K_F1 + (uint32_t)(c - 'P');
	if (!code && c == 'M')
		code = K_ENTER;
	if (code) {
		*out = key(code);
		return KS_KEY;
	}
	uint32_t cp = mods ? 0 : keypad_char(c);
	if (cp) {
		*out = ch(cp);
		return KS_KEY;
	}
	return KS_SWALLOW;
}

enum keyseq_result keyseq_decode(const uint8_t *seq, size_t len, struct tkey *out)
{
	if (len == 0)
		return KS_MORE;
	if (seq[0] == '[')
		return csi(seq, len, out);
	if (seq[0] == 'O')
		return ss3(seq, len, out);
	return KS_NOTSEQ;
}
