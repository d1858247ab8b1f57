/*
 * tui/term.c: the only code that talks to curses (ncursesw).
 *
 * Input is tagged at the first read (get_wch's OK vs KEY_CODE_YES) and
 * never mixed: a typed 'ă' (U+0103) is TK_CHAR even though it equals
 * KEY_UP.  Raw mode: Ctrl-S, Ctrl-Z, Ctrl-C arrive as keys, not signals.
 * Both 0x08 and 0x7F are Backspace (input methods such as Unikey send a
 * backspace and the corrected letter in one burst; get_wch hands the burst
 * over in order).  CR is Enter, LF (Ctrl-J) a key of its own.  Esc followed by a digit within a moment is F1..F10
 * (Esc 0 = F10), for terminals that send F-keys badly.
 *
 * Escape sequences curses does not know (terminfo describing another
 * terminal than the one in use, as under tmux) are decoded by
 * tui/keyseq.c: an ESC is never taken for the Esc key while the rest of a
 * sequence follows it, and an unknown sequence is dropped whole.
 *
 * Headless mode (a key script with no terminal on stdout) draws into a
 * curses screen whose output goes to /dev/null; dumps read that screen,
 * so tests need no terminal.
 */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>
#include <wchar.h>

#include "core/text.h"
#include "tui/tui_int.h"

/* The curses singleton is global by nature; this is its one home. */
static struct {
	SCREEN *scr;
	FILE *out, *in;
	int active;
	int ascii_lines;
	int colour;
	int esc_ms;
	int seq_ms; /* the wait for each further byte of an escape sequence */
	struct keyscript ks;
	int scripted;
	int headless;
	struct tkey pending;
} T;

enum { PAIR_BAR = 1, PAIR_ERROR, PAIR_OK, PAIR_HEAD, PAIR_FOCUS, PAIR_WARN, PAIR_NOTE };

static attr_t style_attr(enum tstyle st)
{
	attr_t a = A_NORMAL;
	short pair = 0;
	switch (st) {
	case ST_BAR: a = A_REVERSE; pair = PAIR_BAR; break;
	case ST_BARKEY: a = A_REVERSE | A_BOLD; pair = PAIR_BAR; break;
	case ST_FOCUS: a = A_REVERSE; break;
	case ST_HEAD: a = A_BOLD; pair = PAIR_HEAD; break;
	case ST_ERROR: a = A_BOLD; pair = PAIR_ERROR; break;
	case ST_OK: a = A_BOLD; pair = PAIR_OK; break;
	case ST_DIM: a = T.colour ? A_DIM : A_NORMAL; break;
	case ST_WARN: a = A_BOLD; pair = PAIR_WARN; break;
	case ST_NOTE: a = A_BOLD; pair = PAIR_NOTE; break;
	default: break;
	}
	if (T.colour && pair)
		a |= COLOR_PAIR(pair);
	return a;
}

void term_stop(void)
{
	if (!T.active)
		return;
	T.active = 0;
	endwin();
	if (T.scr)
		delscreen(T.scr);
	T.scr = NULL;
	if (T.out && T.out != stdout)
		fclose(T.out);
	if (T.in && T.in != stdin)
		fclose(T.in);
	T.out = T.in = NULL;
	keyscript_free(&T.ks);
}

static const int fatal_sigs[] = {SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
#define N_FATAL (sizeof fatal_sigs / sizeof fatal_sigs[0])
/* What was installed before the UI: the program's own handler (cli/main.c
 * reports SIGBUS from a damaged database) runs after the terminal is back. */
static struct sigaction fatal_prev[N_FATAL];

static void on_fatal(int sig)
{
	term_stop();
	for (size_t i = 0; i < N_FATAL; i++)
		if (fatal_sigs[i] == sig)
			sigaction(sig, &fatal_prev[i], NULL);
	raise(sig);
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_FATAL; i++)
		sigaction(fatal_sigs[i], &sa, &fatal_prev[i]);
}

static int env_int(const char *name, int dflt)
{
	const char *v = getenv(name);
	return v && *v ? atoi(v) : dflt;
}

static void utf8_locale(void)
{
	setlocale(LC_CTYPE, "");
	const char *cs = nl_langinfo(CODESET);
	if (!cs || strcmp(cs, "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

int term_start(const struct term_opts *o, char *err, size_t errcap)
{
	memset(&T, 0, sizeof T);
	utf8_locale();
	if (o->script) {
		if (keyscript_load(o->script, &T.ks, err, errcap) != 0)
			return TUI_EKEYS;
		T.scripted = 1;
		T.ks.pos = o->script_from < T.ks.n ? o->script_from : T.ks.n;
	}
	T.headless = o->headless;
	const char *term = getenv("TERM");
	if (!term || !*term)
		term = "xterm";
	if (o->headless) {
		T.out = fopen("/dev/null", "w");
		T.in = fopen("/dev/null", "r");
	} else {
		T.out = stdout;
		T.in = stdin;
	}
	if (!T.out || !T.in)
		goto fail;
	T.scr = newterm(term, T.out, T.in);
	if (!T.scr && o->headless)
		T.scr = newterm("xterm", T.out, T.in);
	if (!T.scr)
		goto fail;
	set_term(T.scr);
	T.active = 1;
	atexit(term_stop);
	catch_signals();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	T.seq_ms = env_int("ESCDELAY", 50);
	if (T.seq_ms < 1 || T.seq_ms > 1000)
		T.seq_ms = 50;
	set_escdelay(T.seq_ms);
	T.esc_ms = env_int("CCHC_ESC_MS", 600);
	const char *acsc = tigetstr("acsc");
	T.ascii_lines = getenv("CCHC_ASCII") || !acsc || acsc == (char *)-1 || !*acsc;
	int want_colour = o->colour == 1 || (o->colour == 0 && !getenv("NO_COLOR"));
	if (has_colors() && want_colour && start_color() == OK) {
		use_default_colors();
		T.colour = 1;
		init_pair(PAIR_BAR, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_HEAD, COLOR_CYAN, -1);
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_NOTE, COLOR_MAGENTA, -1);
	}
	if (o->headless) {
		int rows = env_int("LINES", 24), cols = env_int("COLUMNS", 80);
		resizeterm(rows > 0 ? rows : 24, cols > 0 ? cols : 80);
	}
	return TUI_OK;
fail:
	snprintf(err, errcap, "cannot start the terminal (TERM=%s)", term);
	if (T.out && T.out != stdout)
		fclose(T.out);
	if (T.in && T.in != stdin)
		fclose(T.in);
	T.out = T.in = NULL;
	keyscript_free(&T.ks);
	return TUI_ETERM;
}

void term_size(int *rows, int *cols)
{
	*rows = LINES;
	*cols = COLS;
}

size_t term_script_pos(void)
{
	return T.ks.pos;
}

const char *term_caption(uint32_t idx)
{
	return term_dump_path(idx); /* one table of a script's texts */
}

const char *term_dump_path(uint32_t idx)
{
	return idx < T.ks.npaths ? T.ks.paths[idx] : NULL;
}

static struct tkey mk(enum tkind kind, uint32_t code)
{
	struct tkey k = {kind, code, 0, 0};
	return k;
}

static struct tkey map_curses_key(wint_t c)
{
	if (c >= (wint_t)KEY_F(1) && c <= (wint_t)KEY_F(12))
		return mk(TK_KEY, K_F1 + (uint32_t)(c - KEY_F(1)));
	switch (c) {
	case KEY_UP: return mk(TK_KEY, K_UP);
	case KEY_DOWN: return mk(TK_KEY, K_DOWN);
	case KEY_LEFT: return mk(TK_KEY, K_LEFT);
	case KEY_RIGHT: return mk(TK_KEY, K_RIGHT);
	/* vt220 names Home and End Find and Select (same bytes: ESC [ 1 ~,
	 * ESC [ 4 ~); the keypad's corners are Home, PgUp, End, PgDn. */
	case KEY_HOME: case KEY_FIND: case KEY_A1: case KEY_SHOME: return mk(TK_KEY, K_HOME);
	case KEY_END: case KEY_SELECT: case KEY_C1: case KEY_SEND: return mk(TK_KEY, K_END);
	case KEY_A3: return mk(TK_KEY, K_PGUP);
	case KEY_C3: return mk(TK_KEY, K_PGDN);
	case KEY_SLEFT: return mk(TK_KEY, K_LEFT);
	case KEY_SRIGHT: return mk(TK_KEY, K_RIGHT);
	case KEY_PPAGE: return mk(TK_KEY, K_PGUP);
	case KEY_NPAGE: return mk(TK_KEY, K_PGDN);
	case KEY_BACKSPACE: return mk(TK_KEY, K_BACKSPACE);
	case KEY_DC: return mk(TK_KEY, K_DELETE);
	case KEY_IC: return mk(TK_KEY, K_INSERT);
	case KEY_ENTER: return mk(TK_KEY, K_ENTER);
	case KEY_BTAB: return mk(TK_KEY, K_BTAB);
	case KEY_RESIZE: {
		struct tkey k = mk(TK_RESIZE, 0);
		k.rows = LINES;
		k.cols = COLS;
		return k;
	}
	default: return mk(TK_NONE, 0);
	}
}

/* A control or printable character read as OK from get_wch. */
static struct tkey map_char(wint_t c)
{
	if (c == 0x08 || c == 0x7F)
		return mk(TK_KEY, K_BACKSPACE);
	/* Enter sends CR in raw mode; LF is Ctrl-J (a new line in a long
	 * narrative field, the next field elsewhere, as Enter). */
	if (c == '\r')
		return mk(TK_KEY, K_ENTER);
	if (c == '\t')
		return mk(TK_KEY, K_TAB);
	if (c == 0x1B)
		return mk(TK_KEY, K_ESC);
	if (c >= 1 && c <= 26)
		return mk(TK_KEY, K_CTRL_A + (uint32_t)(c - 1));
	if (c < 0x20 || (c >= 0x80 && c < 0xA0))
		return mk(TK_NONE, 0);
	return mk(TK_CHAR, (uint32_t)c);
}

/* After an ESC: a key's escape sequence, read byte by byte, each within
 * the escape delay (a terminal sends a sequence in one burst; curses has
 * already waited that long for the first byte).  Returns the key, K_ESC
 * (nothing followed: the Esc key), or TK_NONE (a sequence dropped whole,
 * or Alt with a letter, which names nothing here).  Esc then a digit in
 * the same burst is the F-key already (Alt-1 is F1, as Esc 1). */
static struct tkey read_escape(void)
{
	uint8_t seq[KEYSEQ_MAX];
	size_t n = 0;
	for (;;) {
		wint_t c;
		timeout(T.seq_ms);
		int r = get_wch(&c);
		if (r == ERR)
			return n ? mk(TK_NONE, 0) : mk(TK_KEY, K_ESC);
		if (r == KEY_CODE_YES) /* a key curses knew: Alt with it is the key */
			return map_curses_key(c);
		if (n == 0 && c >= '0' && c <= '9')
			return mk(TK_KEY, c == '0' ? K_F10 : K_F1 + (uint32_t)(c - '1'));
		if (n == 0 && c == 0x1B) {
			unget_wch(0x1B); /* Esc twice: one Esc now, then the other */
			return mk(TK_KEY, K_ESC);
		}
		if (c > 0x7E || (c < 0x20 && n > 0)) { /* cannot be in a sequence */
			unget_wch((wchar_t)c);
			return n ? mk(TK_NONE, 0) : mk(TK_KEY, K_ESC);
		}
		seq[n++] = (uint8_t)c;
		struct tkey k = {TK_NONE, 0, 0, 0};
		switch (keyseq_decode(seq, n, &k)) {
		case KS_MORE: continue;
		case KS_KEY: return k;
		case KS_SWALLOW: return mk(TK_NONE, 0);
		case KS_BROKEN:
			unget_wch((wchar_t)c);
			return mk(TK_NONE, 0);
		case KS_NOTSEQ:
			if (c < 0x20) { /* Esc then Ctrl-x: both keys */
				unget_wch((wchar_t)c);
				return mk(TK_KEY, K_ESC);
			}
			return mk(TK_NONE, 0); /* Alt-x */
		}
	}
}

static struct tkey read_tty(int wait_ms)
{
	wint_t c;
	timeout(wait_ms);
	int r = get_wch(&c);
	if (r == KEY_CODE_YES)
		return map_curses_key(c);
	if (r == OK && c == 0x1B)
		return read_escape();
	if (r == OK)
		return map_char(c);
	return mk(TK_NONE, 0);
}

static struct tkey read_raw(int wait_ms)
{
	if (T.pending.kind != TK_NONE) {
		struct tkey k = T.pending;
		T.pending.kind = TK_NONE;
		return k;
	}
	if (T.scripted) {
		struct tkey k = keyscript_next(&T.ks);
		while (k.kind == TK_PAUSE) {
			/* A self-paced tour: the trainer's key goes on (the screen
			 * is drawn: the loop draws before it reads). */
			if (!T.headless)
				(void)read_tty(k.code ? (int)k.code : -1);
			k = keyscript_next(&T.ks);
		}
		if (k.kind == TK_RESIZE) {
			resizeterm(k.rows, k.cols);
			k.rows = LINES;
			k.cols = COLS;
		}
		return k;
	}
	return read_tty(wait_ms);
}

struct tkey term_read(void)
{
	for (;;) {
		struct tkey k = read_raw(-1);
		if (k.kind == TK_NONE)
			continue;
		if (k.kind != TK_KEY || k.code != K_ESC)
			return k;
		/* Esc then a digit is a function key (Esc 0 = F10). */
		struct tkey next = read_raw(T.esc_ms);
		if (next.kind == TK_CHAR && next.code >= '0' && next.code <= '9')
			return mk(TK_KEY, next.code == '0' ? K_F10 : K_F1 + (next.code - '1'));
		T.pending = next;
		return k;
	}
}

void term_erase(void)
{
	erase();
}

int term_put(int y, int x, int cols, const char *s, enum tstyle st)
{
	wchar_t w[512];
	char tmp[2048];
	if (cols <= 0 || !s)
		return 0;
	if (cols > 500)
		cols = 500;
	size_t len = strlen(s);
	size_t n = text_clip(s, len, cols);
	size_t nw = 0, at = 0;
	while (at < n && nw < sizeof w / sizeof w[0] - 1) {
		uint32_t cp;
		size_t used;
		if (utf8_decode(s + at, n - at, &cp, &used) != 0) {
			cp = '?';
			used = 1;
		}
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			cp = '?';
		w[nw++] = (wchar_t)cp;
		at += used;
	}
	w[nw] = 0;
	attrset(style_attr(st));
	mvaddnwstr(y, x, w, (int)nw);
	attrset(A_NORMAL);
	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return text_width(tmp);
}

int term_put_fit(int y, int x, int cols, const char *s, enum tstyle st)
{
	if (cols <= 0 || !s)
		return 0;
	size_t len = strlen(s);
	size_t n = text_clip(s, len, cols);
	if (n == len)
		return term_put(y, x, cols, s, st);
	char tmp[2048];
	n = text_clip(s, len, cols - 1);
	if (n >= sizeof tmp - 4)
		n = text_clip(s, sizeof tmp - 4, cols - 1);
	memcpy(tmp, s, n);
	memcpy(tmp + n, "\xe2\x80\xa6", 4); /* … and its NUL */
	return term_put(y, x, cols, tmp, st);
}

void term_fill(int y, int x, int cols, char ch, enum tstyle st)
{
	attrset(style_attr(st));
	for (int i = 0; i < cols; i++)
		mvaddch(y, x + i, (chtype)(unsigned char)ch);
	attrset(A_NORMAL);
}

void term_hline(int y, int x, int cols)
{
	if (T.ascii_lines)
		term_fill(y, x, cols, '-', ST_NORMAL);
	else
		mvhline(y, x, ACS_HLINE, cols);
}

void term_cursor(int y, int x)
{
	if (y < 0) {
		curs_set(0);
		return;
	}
	curs_set(1);
	move(y, x);
}

void term_flush(void)
{
	wnoutrefresh(stdscr);
	doupdate();
}

/* Line-drawing characters as ASCII, so dumps compare across terminals. */
static wchar_t acs_ascii(wchar_t c)
{
	switch (c) {
	case 'q': return '-';
	case 'x': return '|';
	case 'l': case 'k': case 'm': case 'j': case 'n': case 't': case 'u': case 'v': case 'w':
		return '+';
	default: return c;
	}
}

int term_dump(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return TUI_EDUMP;
	char line[4096];
	for (int y = 0; y < LINES; y++) {
		size_t n = 0, keep = 0;
		for (int x = 0; x < COLS && n + 16 < sizeof line; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t at;
			short pair;
			if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wch, &at, &pair, NULL) == ERR)
				continue;
			for (int i = 0; wch[i] && i < CCHARW_MAX; i++) {
				wchar_t c = (at & A_ALTCHARSET) ? acs_ascii(wch[i]) : wch[i];
				if (c == 0x2500 || c == 0x2502)
					c = c == 0x2500 ? '-' : '|';
				n += utf8_encode((uint32_t)c, line + n);
			}
			if (wch[0] != L' ')
				keep = n;
		}
		line[keep] = '\0';
		fprintf(f, "%s\n", line);
	}
	return fclose(f) == 0 ? TUI_OK : TUI_EDUMP;
}
