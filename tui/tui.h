/*
 * tui/tui.h: the commune's terminal UI (SPEC §5).
 *
 * Map.  tui_run() takes an open node and loaded forms, shows the login
 * screen and runs until the user quits.  Inside (private, tui/tui_int.h):
 *
 *   term.c       the only curses code: start/stop, typed input
 *                ({char, code point} / {key} / {resize}), drawing by
 *                letter, screen dumps; restores the terminal on every exit
 *   keyscript.c  the --keys format (one key or text per line), parsed
 *                before the terminal starts
 *   editline.c   the line editor model: NFC text, letter steps, limits,
 *                built-in Telex (core/telex.h); no curses
 *   actions.c    every action once (name, keys, Vietnamese/English help):
 *                key lookup, the key bar and the F1 help come from it
 *   app.c        the loop: read a key, let the screen handle it, draw the
 *                whole screen from state, one doupdate per turn
 *   index.c      record digests (store.h "UI support"): the lists and the
 *                home screen without decrypting every record
 *   view_*.c     one screen each (login, home, form editor, register list,
 *                help, too small): key handlers and a draw function
 *   view_d*.c, view_inbox.c, view_board.c, view_indic.c, view_report.c
 *                a district node's screens (tui/district_int.h): its home,
 *                the inbox and import, the completeness board, the
 *                indicators, a commune's report read-only
 *
 * Contract.  The caller owns store and forms; they outlive tui_run().  The
 * store must be open and not logged in; tui_run() logs in and stays logged
 * in until it returns.  Inside the session it seals what waits into batches
 * for the district (sync_session, SPEC §8): after each save, submit and
 * approval, on logging out and on leaving.  Everything the UI shows comes from core/msg.h
 * (core/messages_tui.def) in cfg->lang.
 */
#ifndef CCHC_TUI_TUI_H
#define CCHC_TUI_TUI_H

#include <stdint.h>

#include "core/msg.h"

struct store;
struct forms;

enum {
	TUI_OK = 0,
	TUI_ETERM = -1,   /* the terminal cannot be used (not a terminal, no terminfo) */
	TUI_EKEYS = -2,   /* the key script cannot be read or has errors (message printed) */
	TUI_EDUMP = -3,   /* the screen dump cannot be written */
	TUI_ENOMEM = -4,
	TUI_ESTORE = -5,  /* the node failed (message printed after the terminal closed) */
	/* cchc demo (demo_nodes set): the user asked on the home screen for
	 * the demo's other node (the district, or back to the commune) or for
	 * the next commune; the session was sealed and ended. */
	TUI_NODE_OTHER = 1,
	TUI_NODE_NEXT = 2,
};

const char *tui_strerror(int err);

struct tui_config {
	struct store *store;        /* open, not logged in */
	const struct forms *forms;
	enum msg_lang lang;
	const char *unit;           /* this node's unit code */
	const char *unit_list;      /* its unit list version */
	const char *home;           /* the node's directory (batches go to home/outbox/) */
	const char *district;       /* its district's code; NULL: nothing is sealed */
	const char *user;           /* prefilled user name, or NULL */
	const char *keys;           /* --keys FILE: read keys from it, or NULL */
	const char *dump;           /* --dump-screen FILE: the last screen as text, or NULL */
	int show_keys;              /* --show-keys: name each key on the status line */
	const char *login_hint;     /* a line under the login form (the demo's users), or NULL */
	double start_ms;            /* CLOCK_MONOTONIC ms when the program started (0: unknown) */
	int demo_nodes;             /* cchc demo: F12 / Ctrl-N on home switch node (TUI_NODE_*) */
	size_t *keys_pos;           /* cchc demo: in/out, where the key script goes on, or NULL */
	int district_node;          /* a district node: its screens (inbox, board, indicators) */
	int warn_days;              /* home: warn this many days before a deadline; 0: never */
	const char *server;         /* the receiver's URL (Đồng bộ, F5), or NULL */
	const uint8_t *district_pk; /* the district's signing key (32 bytes), or NULL */
};

/* Timing (make bench): with $CCHC_TUI_TIMES naming a file, tui_run writes
 * to it, one figure per line: "first_frame_ms X" (from start_ms to the
 * first frame on screen), "key NAME FROM TO MS" per key (screens before
 * and after, handling plus drawing), "peak_rss_kib N" (VmHWM at the end);
 * after a login also "index_rebuilt 0|1" (the digests were built from the
 * records), "index_records_read N" (records read to build them),
 * "index_sorted_now 0|1" (a sort order had to be computed, not kept) and
 * "index_peak_rss_kib N" (VmHWM once the digests were loaded). */

/* Run the UI.  With cfg->keys and no terminal on stdout it runs headless
 * (a virtual screen of $COLUMNS x $LINES, default 80x24), so tests and
 * trainers' scripts need no terminal.  Returns TUI_OK when the user quit
 * (or the script ended), else a TUI_E* code after the terminal is restored
 * and a message was printed to stderr. */
int tui_run(const struct tui_config *cfg);

struct store_record;
/* After a save outside the UI (cchc record ...): r as store_record_put left
 * it, with the store still logged in.  Updates the UI's sealed digests (its
 * register list, tui/index.c) and kept sort orders as a save in the UI
 * does, in one more transaction, so the next login opens the list without
 * rebuilding it.  It reads the record's chunk and a few others (a binary
 * search by id; every chunk only when the rows are out of id order) and
 * the form's kept orders, whatever the node's size.  When the digests did
 * not reflect everything before this save (none yet on a node with other
 * records, or another writer's save not applied), it leaves them for the
 * UI's login to bring up to date, as before.  0 or a STORE_E* code; on
 * error nothing is written (the UI catches up from the outbox). */
int tui_index_note_save(struct store *st, const struct forms *fs, const struct store_record *r);

#endif
