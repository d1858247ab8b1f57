/*
 * tui/tui_int.h: what the files of tui/ share (private to tui/ and its
 * unit tests).  tui/tui.h has the map of the module.
 */
#ifndef CCHC_TUI_TUI_INT_H
#define CCHC_TUI_TUI_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/msg.h"
#include "core/telex.h"
#include "forms/forms.h"
#include "store/store.h"
#include "sync/sync.h"
#include "tui/tui.h"

/* ------------------------------------------------------------- input */

/* A typed character and a key never share a number: Vietnamese letters
 * such as ă (U+0103) equal curses key codes (KEY_UP), so input is tagged
 * from the first read (research/aesthetics.md §2, habit 4). */
enum tkind {
	TK_NONE = 0,
	TK_CHAR,   /* code: a Unicode code point (never a control character) */
	TK_KEY,    /* code: enum tkey_code */
	TK_RESIZE, /* rows, cols: the new size */
	TK_DUMP,   /* key scripts only: write the screen to the script's path #code */
	TK_EOF,    /* the key script ended */
	TK_CAPTION, /* key scripts only: show text #code on the status line (a tour's step) */
	TK_PAUSE,   /* key scripts only: wait for a key on the terminal (code: ms, 0: no limit);
		     * handled in term.c, never returned by term_read */
};

enum tkey_code {
	K_UP = 1, K_DOWN, K_LEFT, K_RIGHT, K_HOME, K_END, K_PGUP, K_PGDN,
	K_BACKSPACE, K_DELETE, K_INSERT, K_ENTER, K_TAB, K_BTAB, K_ESC,
	K_F1, K_F2, K_F3, K_F4, K_F5, K_F6, K_F7, K_F8, K_F9, K_F10, K_F11, K_F12,
	K_CTRL_A, /* K_CTRL_A + 0..25 = Ctrl-A..Ctrl-Z (except those above) */
	K_CTRL_Z = K_CTRL_A + 25,
	K_COUNT_
};
#define K_CTRL(c) (K_CTRL_A + ((c) - 'A'))

struct tkey {
	enum tkind kind;
	uint32_t code;
	int rows, cols; /* TK_RESIZE */
};

/* The name of a key for the key bar, help and --show-keys ("F2", "^S",
 * "Enter", "ă"); writes into buf (at least 16 bytes). */
const char *tkey_name(struct tkey k, char *buf, size_t cap);

/* ----------------------------------------------------------- key scripts */

/* A parsed key script: events in order plus the paths of `dump` lines. */
struct keyscript {
	struct tkey *ev;
	size_t n, cap, pos;
	char **paths;
	size_t npaths;
};

/* Parse the text of a key script (format in README.md, "Terminal UI"):
 *   # comment            ignored, as are blank lines
 *   type TEXT            each character of TEXT (UTF-8, any normal form)
 *   Enter, Tab, S-Tab, Esc, Up, Down, Left, Right, Home, End, PgUp, PgDn,
 *   Backspace (0x7F), BS (0x08), Delete, Insert, Space, F1..F12, C-a..C-z
 *                        one key; "KEY xN" repeats it N times
 *   X                    a line of one character types it ("/", "1")
 *   resize COLSxROWS     the terminal changes size
 *   dump FILE            write the screen as text to FILE
 *   caption TEXT         show TEXT on the status line (a tour's step)
 *   pause [MS]           on a terminal, wait for a key (at most MS ms); the
 *                        key only resumes the script (headless: no wait)
 * 0 on success; else -1 and "NAME:LINE: what" in err. */
int keyscript_parse(const char *text, size_t len, const char *name, struct keyscript *ks,
		    char *err, size_t errcap);
int keyscript_load(const char *path, struct keyscript *ks, char *err, size_t errcap);
void keyscript_free(struct keyscript *ks);
/* The next event, or TK_EOF. */
struct tkey keyscript_next(struct keyscript *ks);

/* ------------------------------------------------------ escape sequences */

/* tui/keyseq.c: the sequences terminals send for keys (xterm, rxvt, the
 * Linux console, tmux, screen), whatever terminfo says.  seq holds the
 * bytes read after an ESC. */
#define KEYSEQ_MAX 32
enum keyseq_result {
	KS_MORE,    /* a sequence so far: read another byte */
	KS_KEY,     /* *out is the key (a TK_KEY, or a keypad TK_CHAR) */
	KS_SWALLOW, /* a whole sequence that names no key here: drop it all */
	KS_BROKEN,  /* the last byte cannot be in a sequence: drop the others,
		     * read the last one again as input of its own */
	KS_NOTSEQ,  /* seq[0] starts no sequence */
};
enum keyseq_result keyseq_decode(const uint8_t *seq, size_t len, struct tkey *out);

/* -------------------------------------------------------------- terminal */

/* Looks, independent of colour: the focus is reverse video so it shows on
 * monochrome terminals and TERM=linux (no underline needed). */
enum tstyle {
	ST_NORMAL = 0,
	ST_BAR,     /* title and key bar */
	ST_BARKEY,  /* a key name on the key bar */
	ST_FOCUS,   /* the focused field or row */
	ST_HEAD,    /* section titles, column heads */
	ST_ERROR,   /* messages about a problem */
	ST_OK,      /* "Đã lưu" */
	ST_DIM,     /* help lines, read-only values */
	ST_FIELD,   /* a field's value area */
	ST_WARN,    /* late (yellow); the letter beside it carries the meaning */
	ST_NOTE,    /* returned for correction (magenta); likewise */
	ST_COUNT_
};

struct term_opts {
	const char *script; /* key script path or NULL */
	int headless;       /* no terminal: draw into a virtual screen */
	size_t script_from; /* start the script at this event (a demo's next node) */
};

/* Start curses (setlocale(LC_CTYPE) falls back to C.UTF-8 when the
 * locale is not UTF-8).  Registers term_stop() with atexit and on crash
 * signals.  0 or TUI_ETERM / TUI_EKEYS (message already in err). */
int term_start(const struct term_opts *o, char *err, size_t errcap);
/* Restore the terminal; safe to call more than once, and from a signal. */
void term_stop(void);
/* The key script's next event (to go on from there in a later run). */
size_t term_script_pos(void);
void term_size(int *rows, int *cols);
/* Wait for the next input event (script, or terminal with Esc-digit =
 * F-key, 0x08 and 0x7F = Backspace). */
struct tkey term_read(void);
/* Path of a TK_DUMP event. */
const char *term_dump_path(uint32_t idx);
/* The text of a key script's caption #idx (TK_CAPTION), or NULL. */
const char *term_caption(uint32_t idx);

void term_erase(void);
/* Draw s (UTF-8) at (y, x) in at most cols columns, clipped by letter;
 * control characters show as '?'.  Returns the columns used. */
int term_put(int y, int x, int cols, const char *s, enum tstyle st);
/* As term_put, but a text wider than cols ends in "…" (never cut
 * without a mark). */
int term_put_fit(int y, int x, int cols, const char *s, enum tstyle st);
/* cols blanks (or ch) in style st. */
void term_fill(int y, int x, int cols, char ch, enum tstyle st);
/* A horizontal line (ACS, or '-' where the terminal lacks line drawing). */
void term_hline(int y, int x, int cols);
/* Show the cursor at (y, x), or hide it (y < 0). */
void term_cursor(int y, int x);
/* One doupdate() for the whole turn. */
void term_flush(void);
/* Write the screen as UTF-8 text, trailing blanks cut, one line per row
 * (line drawing as ASCII, so dumps compare across TERM values). */
int term_dump(const char *path);
/* Reset the key-bar count (the key bar draws keys from the left). */

/* -------------------------------------------------------- line editor */

#define EDIT_CAP 16384 /* bytes: 4000 letters of up to 4 bytes */

struct editline {
	char buf[EDIT_CAP]; /* NFC UTF-8, NUL-terminated */
	size_t len, cur;    /* bytes; cur is always at a letter boundary */
	size_t maxletters;  /* 0: no limit */
	size_t scroll;      /* first byte shown in a narrow field */
	size_t vtop;        /* first visual line shown in a multi-line area */
	int telex_ok;       /* Telex applies here (not in numbers and dates) */
	int changed;
	struct telex tx;
};

enum {
	ED_IGNORED = 0,
	ED_CHANGED = 1,
	ED_MOVED = 2,
	ED_FULL = 4, /* refused: over the limit; the caller says so */
};

void editline_set(struct editline *e, const char *text, size_t maxletters, int telex_ok);
/* Insert a code point (combining marks compose: the text stays NFC);
 * telex: run ASCII letters through the Telex engine. */
int editline_insert(struct editline *e, uint32_t cp, int telex, enum telex_style style);
/* Insert a whole UTF-8 string (a burst from an input method). */
int editline_insert_text(struct editline *e, const char *s, int telex, enum telex_style style);
int editline_backspace(struct editline *e);
int editline_delete(struct editline *e);
int editline_left(struct editline *e);
int editline_right(struct editline *e);
int editline_home(struct editline *e);
int editline_end(struct editline *e);
int editline_kill_before(struct editline *e); /* Ctrl-U */
/* A new line at the cursor (multi-line areas only; counts as a letter). */
int editline_newline(struct editline *e);
size_t editline_letters(const struct editline *e);
/* Horizontal scroll for a field cols wide: updates e->scroll so the
 * cursor shows; *curcol = the cursor's column within the field. */
void editline_view(struct editline *e, int cols, int *curcol);

/* Multi-line areas (long narrative fields).  The text wraps into visual
 * lines of at most cols columns: after the last space that fits, else
 * before the letter that does not (never inside a letter); a new line in
 * the text always ends one.  A line is [start, end); the next starts at
 * *next (after the space or new line that ended it). */
size_t editline_line_end(const struct editline *e, size_t start, int cols, size_t *next);
/* The visual line (0-based) and column of byte position pos. */
void editline_locate(const struct editline *e, int cols, size_t pos, size_t *line, int *col);
/* Cursor one visual line up (dir -1) or down (+1), keeping its column as
 * near as the line allows: ED_MOVED, or ED_IGNORED on the first / last line
 * (the caller moves to another field). */
int editline_vmove(struct editline *e, int cols, int dir);
/* Vertical scroll for an area rows high: updates e->vtop so the cursor's
 * line shows; *cy, *cx = the cursor within the area. */
void editline_area(struct editline *e, int cols, int rows, int *cy, int *cx);

/* -------------------------------------------------------------- actions */

enum action {
#define A(id, scopes, bar) ACT_##id,
#include "tui/actions.def"
#undef A
	ACT_COUNT_
};

/* Screens, also the scopes of actions (a bit each). */
enum tscreen {
	SCR_LOGIN = 0,
	SCR_HOME,
	SCR_FORM,
	SCR_LIST,
	SCR_HELP,
	SCR_SYNC,   /* Đồng bộ: what waits, send now, USB export, receipts */
	/* A district node's screens (tui/district_int.h). */
	SCR_DHOME,  /* home: the node, the user, the district's screens */
	SCR_INBOX,  /* Hộp thư: what the receiver stored; import with progress */
	SCR_BOARD,  /* Bảng tiến độ: communes x periods */
	SCR_INDIC,  /* Chỉ tiêu: the summary table and bar charts */
	SCR_REPORT, /* one commune's report: its revisions, read-only */
	SCR_COUNT_
};
#define SC(s) (1u << (s))
#define SC_DISTRICT (SC(SCR_DHOME) | SC(SCR_INBOX) | SC(SCR_BOARD) | SC(SCR_INDIC) | SC(SCR_REPORT))
#define SC_D_OPEN (SC(SCR_BOARD) | SC(SCR_INDIC) | SC(SCR_REPORT)) /* Enter on the key bar */
#define SC_D_BACK (SC(SCR_INBOX) | SC(SCR_BOARD) | SC(SCR_INDIC) | SC(SCR_REPORT))   /* Esc: back */
#define SC_ALL \
	(SC(SCR_LOGIN) | SC(SCR_HOME) | SC(SCR_FORM) | SC(SCR_LIST) | SC(SCR_HELP) | SC(SCR_SYNC) | SC_DISTRICT)

/* The action key k means on screen scr, or -1 (a character to type). */
int action_for(enum tscreen scr, struct tkey k);
/* Help line of an action in lang, and its keys as text ("^S F2"). */
const char *action_help(enum action a, enum msg_lang lang);
const char *action_label(enum action a, enum msg_lang lang);
void action_keys(enum action a, char *buf, size_t cap);
/* Does a show on the key bar of scr? */
int action_on_bar(enum action a, enum tscreen scr);
int action_in_scope(enum action a, enum tscreen scr);
/* The key table of README.md ("Terminal UI"), from the same tables as the
 * key bar and F1: one row per action (its keys, screens, help in lang).
 * tests/tui/test_keytable.c checks README against it. */
int action_table_markdown(enum msg_lang lang, FILE *out);

/* --------------------------------------------------------------- app */

struct app;

/* Handler results: the loop redraws every turn, so only these matter. */
enum {
	R_DONE = 0,
	R_QUIT = 1,
};

struct view {
	/* Before each draw (may be NULL): bring what the screen shows up to
	 * date from state (reads the store), so that draw only draws. */
	void (*prepare)(struct app *a);
	void (*draw)(struct app *a, int top, int rows, int cols);
	/* k is a key the action table did not claim (typed text, editing keys). */
	int (*input)(struct app *a, struct tkey k);
	int (*act)(struct app *a, enum action act);
};

extern const struct view view_login, view_home, view_form, view_list, view_help, view_sync;
extern const struct view view_dhome, view_inbox, view_board, view_indic, view_report;

#endif

/* ------------------------------------------------------------ index */

#define INDEX_COLS 6
#define INDEX_CLIP 64  /* bytes of a text column kept in a digest */
#define INDEX_DIGEST_BUF (3 + 16 + 16 + INDEX_COLS * (INDEX_CLIP + 1))
#define ICACHE 8       /* decrypted digest chunks kept (about 30 KB each) */
#define IF_STATE 0x7F  /* iset.flag: the workflow state ... */
#define IF_DELETED 0x80 /* ... and the deleted mark */

/* One decrypted chunk of digests (index.c). */
struct ichunk {
	struct iset *set;  /* NULL: free */
	uint64_t k;        /* chunk number */
	uint8_t *buf;      /* entries: id[16], u16 LE length, digest */
	size_t len, cap;
	uint32_t off[STORE_DIGEST_CHUNK]; /* where each entry starts */
	size_t count;
	int dirty;         /* changed, not yet written */
	uint64_t used;     /* for least-recently-used */
};

/* A form's rows, in the order they arrived (5 bytes a row in memory). */
struct iset {
	char form[64];
	const struct form *f; /* the newest version: its columns */
	const struct form_field *col[INDEX_COLS];
	size_t ncols;
	size_t n, cap;
	uint8_t *flag;        /* IF_STATE | IF_DELETED */
	uint32_t *byid;       /* rows by ascending id */
	uint64_t stored_n;    /* rows the store's chunks hold */
	uint32_t *touched;    /* rows changed since the orders were written */
	size_t ntouched, captouched;
	int orders_stale;     /* too many changes: orders computed again on use */
};

struct index {
	struct store *st;
	struct iset *sets;
	size_t nsets;
	uint64_t seq;         /* outbox seq reflected ... */
	int have;             /* ... when there are digests (else they are built) */
	uint64_t gen;         /* bumps on every change: lists recompute */
	uint64_t tick;
	int err;              /* store code of the last failed chunk read */
	int rebuilt;          /* the last sync rebuilt from the records */
	int sorted_now;       /* index_order had to sort (not kept yet) */
	uint64_t walked;      /* records read by a rebuild */
	int hold_dirty;       /* tui_index_note_save: changed chunks stay until one commit */
	struct ichunk cache[ICACHE];
	uint8_t fold[0x2000]; /* code point -> ASCII fold byte, 0 keep, 0xFF drop */
};

struct forms;
struct store_record;
/* Load the digests and bring them up to date with the outbox (or rebuild
 * from the records).  0 or a STORE_E* code. */
int index_open(struct index *ix, struct store *st, const struct forms *fs);
/* Bring up to date after a save (reads the outbox entries after seq). */
int index_sync(struct index *ix, struct store *st);
void index_close(struct index *ix);
struct iset *index_set(struct index *ix, const char *form);
/* The digest of row (*len its length, may be NULL): valid until the next
 * index_* call.  NULL on failure (ix->err says why). */
const uint8_t *index_digest(struct index *ix, struct iset *s, size_t row, size_t *len);
/* The record id of row. */
int index_row_id(struct index *ix, struct iset *s, size_t row, uint8_t id[16]);
/* Column c (0-based) of a digest as stored: text (clipped), ISO date, or a
 * choice index byte (1-based) followed by NUL; "" when empty. */
const char *index_dcol(const uint8_t *d, size_t c);
const char *index_dperiod(const uint8_t *d);
const char *index_dunit(const uint8_t *d); /* the record's unit code */
/* Every row (s->n) in the order of column c (Vietnamese order for text,
 * then by row) into out: the kept order, or sorted now and kept. */
int index_order(struct index *ix, struct iset *s, size_t c, uint32_t *out);
/* Bit r of hits (s->n bits) set when a live row's folded text columns
 * contain needle (already folded). */
int index_search(struct index *ix, struct iset *s, const char *needle, uint8_t *hits);
/* Bit r of hits (s->n bits) set when a live row's unit is unit (a district
 * listing one commune's entries). */
int index_unit_hits(struct index *ix, struct iset *s, const char *unit, uint8_t *hits);
/* Give back the database pages read for digests (store_digest_release);
 * after a page of rows or anything that read many chunks. */
void index_release(struct index *ix);
/* Fold s (NFC UTF-8) for search into out (cap bytes), like text_fold. */
size_t index_fold(const struct index *ix, const char *s, char *out, size_t cap);

/* --------------------------------------------------------- app state */

struct login_st {
	struct editline user, pass;
	int focus; /* 0 user, 1 password */
};

#define HOME_PERIODS 32

/* A question with a typed answer on the status line (tui/prompt_text.c):
 * Enter calls on_done with the text, Esc cancels. */
struct tprompt {
	int active;
	char question[256];
	struct editline ed;
	int (*on_done)(struct app *a, const char *text);
	int telex;
};

/* Đồng bộ (tui/view_sync.c): the sending state and the last results. */
#define SYNC_UI_LOG 8
struct sync_ui {
	int stale;                /* read the sending state before drawing */
	struct sync_status st;
	int st_ok;
	int running;              /* a send is under way: the bar moves */
	size_t done, total;       /* batches of the send under way, or the last one */
	char log[SYNC_UI_LOG][200]; /* the last results, a ring */
	int log_err[SYNC_UI_LOG];
	size_t logged;
	size_t forbidden, badreceipt;
};

struct home_st {
	int sel;
	int stale;          /* refresh the figures below before drawing */
	struct sync_status sync; /* what waits to be sent, the last receipt */
	int sync_ok;
	size_t live;        /* register entries not deleted */
	size_t report_row[HOME_PERIODS]; /* each period's report row, or SIZE_MAX */
	uint8_t report_state[HOME_PERIODS];
	/* The periods shown, in the order offered (open first, then past;
	 * forms_period_offer), at most HOME_PERIODS; read with the figures.
	 * top: the first one on screen when they do not all fit. */
	const struct forms_period *period[HOME_PERIODS];
	size_t nperiod, top;
	char warn[256]; /* a deadline soon (cfg->warn_days), or "" */
	/* The first report the district returned for correction: its period
	 * (index, or -1 when none) and the reason, read before drawing. */
	int returned_period;
	char returned_reason[SYNC_REASON_MAX + 1];
};

/* One line of the form editor's layout. */
enum frow_kind { FR_SECTION, FR_FIELD, FR_RATE };
struct frow {
	uint8_t kind;
	uint16_t idx; /* section, field or rate index */
};

struct fval {
	char *text; /* what the field shows: the display text, or what was typed when it failed */
	char *err;  /* the check's message at the field, or NULL */
	int bad;    /* text is not a valid value (kept as typed until fixed) */
};

/* One figure of a fill: the field, the register's value, and both as
 * shown (made before drawing: the draw path allocates nothing). */
struct ffrow {
	uint16_t field;
	int differs;            /* replaces a typed value */
	char canon[32];         /* the register's figure */
	char shown_old[32], shown_new[32];
};

struct form_st {
	const struct form *f;
	struct store_record rec;
	int is_new, dirty, readonly;
	struct fval *vals;         /* per field index */
	struct frow *rows;
	size_t nrows;
	size_t focus;              /* row index (a FR_FIELD row that takes input) */
	size_t top;                /* first row on screen */
	int editing;               /* ed holds the focused field's text */
	struct editline ed;
	struct form_rate_value *rates;
	char (*computed)[32];      /* computed fields shown */
	enum tscreen back;
	struct kv saved;           /* the fields as last saved (or opened): what a discard loses */
	/* F7 over typed figures (form_fill.c): the register's figures wait
	 * for an answer (fill_ask), shown beside the typed ones; after a fill,
	 * the figures it replaced, for Ctrl-Z until the record is saved. */
	struct ffrow *fill_rows;
	size_t fill_n, fill_entries;
	struct kv fill_old;
	int fill_ask, fill_undo;
};

/* One row of the list as shown: its columns, copied from the digest by
 * the list's prepare step so that drawing reads no store. */
struct lrow {
	char col[INDEX_COLS][INDEX_CLIP + 1];
	char unit[16]; /* the record's unit (a district's list shows the commune) */
};

struct list_st {
	struct iset *set;
	uint32_t *order;           /* rows shown, in order */
	size_t norder, cap;
	uint64_t order_gen;        /* bumps when order changes */
	uint8_t *hits;             /* search result (a bit per row) for hits_for */
	size_t hitcap;
	uint64_t hits_gen;         /* index gen the hits are for */
	char hits_for[256];
	size_t sel, top;
	int sort;                  /* 0 newest first, c + 1 column c */
	int searching;             /* the search line has the keys */
	struct editline q;
	char needle[256];          /* the folded filter in force */
	double last_ms;            /* time of the last search or sort (status line) */
	size_t live;               /* rows not deleted */
	struct lrow *page;         /* the rows on screen, from top */
	size_t npage, pagecap;
	size_t page_top;
	uint64_t page_gen;         /* order_gen the page shows */
	int page_rows, page_ok;
	/* A district's list: only one commune's entries (unit "" all), and
	 * where Esc goes back to. */
	char unit[16];
	uint8_t *uhits;            /* a bit per row: of that unit */
	size_t uhitcap;
	uint64_t uhits_gen;        /* index gen + 1 the bits are for (0: none) */
	enum tscreen back;
};

struct app {
	const struct tui_config *cfg;
	struct store *st;
	const struct forms *fs;
	enum msg_lang lang;
	enum forms_lang flang;
	enum forms_level level;
	const struct form *report;   /* the periodic report form shown on home */
	const struct form *registry; /* the register form */
	enum tscreen scr, help_from;
	int rows, cols;
	int logged_in;
	char status[512];
	enum tstyle status_st;
	char lastkey[32];
	int telex;
	enum telex_style tstyle;
	/* A question on the status line with two buttons (app_ask_with):
	 * keep (focused first) and act.  Enter presses the focused one, Esc
	 * keeps, Left / Right / Tab move, ask_key (an F-key) acts; typed
	 * characters answer nothing. */
	int asking;
	char question[256];
	int (*on_yes)(struct app *a);
	int (*on_no)(struct app *a);   /* NULL: "nothing dropped" */
	int ask_focus;                 /* 0 keep, 1 act */
	uint32_t ask_key;              /* K_F* acting as the act button, or 0 */
	enum msg_id ask_keep, ask_act; /* the buttons' labels */
	size_t help_top;
	/* Keys typed on the "too small" screen, applied in order once the
	 * terminal is 80x24 again; past HELD_MAX they are refused (counted and
	 * said).  16 bytes a key. */
#define HELD_MAX 1024
	struct tkey held[HELD_MAX];
	size_t nheld, refused;
	struct login_st login;
	struct home_st home;
	struct form_st form;
	struct list_st list;
	struct index ix;
	int index_ok;
	struct tprompt tp;           /* a typed answer asked on the status line */
	struct sync_ui sync;         /* the Đồng bộ screen */
	struct district_ui *dui;     /* a district node's screens (tui/district_int.h), or NULL */
	/* make bench ($CCHC_TUI_TIMES): the login's key derivation apart */
	int timed;
	double kdf_ms;
	long hwm_before_kib, hwm_login_kib;
	long hwm_index_kib;         /* VmHWM once the digests are loaded (timed runs) */
	int node_request;           /* cchc demo: TUI_NODE_* asked on home, else 0 */
	double sealed_ms;           /* app_ms() of the last seal (0: none yet) */
};
/* tui/prompt_text.c.  telex: the built-in Telex (F9) may apply to the
 * answer (a reason; not a path). */
void tprompt_start(struct app *a, const char *question, const char *initial, int telex,
		   int (*on_done)(struct app *a, const char *text));
/* A key while the prompt is active (a->tp.active). */
int tprompt_act(struct app *a, enum action act);
int tprompt_input(struct app *a, struct tkey k);
/* Draw the prompt on the status line (over the status). */
void tprompt_draw(struct app *a);

/* 0 for an action this run does not offer (the demo's node keys outside
 * the demo): not on the key bar or in F1, and its keys do nothing. */
int app_action_live(const struct app *a, enum action act);

void app_status(struct app *a, enum tstyle st, enum msg_id id, ...);
void app_statusf(struct app *a, enum tstyle st, const char *text);
void app_ask(struct app *a, enum msg_id question, int (*on_yes)(struct app *a));
/* A question that guards a loss (a discard, an overwrite, a lock): never
 * answered by one letter that may be the next character typed. */
struct ask {
	const char *question;           /* formatted, naming what is at stake */
	enum msg_id keep, act;          /* the two buttons */
	uint32_t key;                   /* K_F* that acts too (the key that asked), or 0 */
	int (*on_yes)(struct app *a);
	int (*on_no)(struct app *a);    /* NULL: say the changes are kept */
};
void app_ask_with(struct app *a, const struct ask *q);
/* tui/prompt.c: the question's line(s) ending at row y, its key bar at row
 * y, and a key while it is asked. */
void prompt_draw(struct app *a, int y, int nlines);
void prompt_draw_bar(struct app *a, int y);
int prompt_answer(struct app *a, struct tkey k);
/* The focused field's full label and rule for the help line (view_form.c). */
void fv_help(struct app *a, char *buf, size_t cap);
/* A store error as a sentence in the user's language. */
const char *app_store_err(struct app *a, int err);
void app_go(struct app *a, enum tscreen s);
/* Draw the screen now, without its prepare step (progress during a long
 * step, such as an import's per-batch callback). */
void app_redraw(struct app *a);
enum form_actor app_actor(const struct app *a);
/* Open the form editor on a record (copied), or a new one (r == NULL). */
int form_open(struct app *a, const struct form *f, const struct store_record *r,
	      const char *period, enum tscreen back);
void form_close(struct app *a);
int list_open(struct app *a, const struct form *f);
void list_close(struct app *a);
void list_refresh(struct app *a);
/* tui/form_ops.c: the form editor's steps (save, submit, approve, fill)
 * and the helpers they share with view_form.c. */
int fo_commit(struct app *a);            /* 0, or -1: the focused field is wrong */
void fo_recompute(struct app *a);        /* computed fields and rates */
void fo_set_text(struct app *a, size_t field, const char *canon);
int fo_save(struct app *a);
int fo_submit(struct app *a);
int fo_approve(struct app *a);
int fo_fill(struct app *a);
/* May the user take step?  Says why not on the status line. */
int fo_step_ok(struct app *a, enum form_step step, int *next);
/* Save the form's record in state next (audit action), say done; seals an
 * approval at once.  0, or -1 after a message (the record unchanged). */
int fo_put(struct app *a, int next, const char *action, enum msg_id done);
/* tui/form_steps.c: reopen a report (leader, F3) and delete a register
 * entry (F8), each asked first on buttons. */
int fo_reopen(struct app *a);
int fo_delete(struct app *a);
/* tui/form_fill.c: F7's comparison of typed and register figures. */
void ff_draw(struct app *a, int top, int rows, int cols);
int ff_undo(struct app *a);     /* Ctrl-Z after a fill: 1 if it undid one */
void ff_forget(struct app *a);  /* saved or closed: no more undo */
/* Changes a discard would lose: fields unlike the saved ones, and the
 * field being typed. */
size_t fv_changes(struct app *a);
/* The name of what the form holds, for messages: a report's period, an
 * entry's code ("000123"); "" if none. */
const char *fv_subject(struct app *a);
int fo_editable(const struct form_field *fl);
/* The focused field edits in a multi-line area (a long narrative field). */
int fv_in_area(const struct app *a);
/* Focus layout row r (a field): its text goes into the editor. */
void fv_focus(struct app *a, size_t r);
/* Seal what waits into batches for the district (sync_session), inside
 * the logged-in session; a failure only says so (the next session seals
 * it).  Brings the lists up to date (sealing marks reports sent). */
void app_seal(struct app *a);
/* VmHWM in KiB; reset: then start the peak again from the present size. */
long app_hwm_kib(int reset);
/* Milliseconds since an arbitrary start (for the figures on the status line). */
double app_ms(void);
/* Saves in the UI accumulate: a save seals at once only an approval, or
 * when the last seal is this old; leaving, logging out and Đồng bộ seal
 * what waits (SPEC §6: bounded batches, not one per save). */
#define APP_SEAL_EVERY_MS (5 * 60 * 1000.0)
