/*
 * tui/district_int.h: a district node's screens (private to tui/).
 *
 *   view_dhome.c   home: the node and the user; the screens, each with its
 *                  key (F2 inbox, F3 board, F5 indicators, F4 register,
 *                  F7 export)
 *   view_inbox.c   Hộp thư: the batches the receiver stored and import has
 *                  not applied (sync_inbox_list), by commune; F5 imports
 *                  them (sync_import) with a progress bar redrawn per batch;
 *                  refused batches stay listed with their reason
 *   view_board.c   Bảng tiến độ: communes x periods, a colour and a letter
 *                  per cell (Đ M C T), totals, legend
 *   view_indic.c   Chỉ tiêu: the summary table of a period; per indicator a
 *                  bar chart across communes with the target marked
 *   view_report.c  one commune's report for a period: its revisions (the
 *                  latest counts), each opened read-only in the form view;
 *                  its register entries
 *   dprompt.c      a one-line question on the status line (the export path)
 *
 * The state lives in struct district_ui (app->dui), made at start on a
 * district node only; the prepare step of each screen reads what it shows
 * (files, store) so that draw only draws.
 */
#ifndef CCHC_TUI_DISTRICT_INT_H
#define CCHC_TUI_DISTRICT_INT_H

#include "tui/tui_int.h"

/* ------------------------------------------------------------ inbox */

#define INBOX_LOG 64 /* outcome lines of the last import kept on screen */

struct inbox_row {
	struct sync_inbox_entry e;
	char name[64]; /* the commune's Vietnamese name, or its code */
};

struct inbox_line {
	char name[64];
	uint64_t batch_no;
	int outcome;     /* enum sync_outcome */
	int err;
	size_t records;
	uint64_t waiting_for;
};

struct inbox_st {
	int stale;              /* read the spool again before drawing */
	struct inbox_row *rows; /* waiting first, then set aside; by name, number */
	size_t n, nwaiting;
	size_t sel, top;
	/* the import under way, or the last one */
	int running, ran;
	size_t done, total, records;
	struct sync_import_summary sum;
	struct inbox_line log[INBOX_LOG];
	size_t nlog;            /* lines in the ring (the last INBOX_LOG) */
	size_t logged;          /* lines ever */
	double ms;              /* how long it took */
};

/* ----------------------------------------------------------- prompt */

/* A question with a typed answer on the status line: Enter calls on_done
 * with the text, Esc cancels. */
struct dprompt {
	int active;
	enum msg_id question;
	struct editline ed;
	int (*on_done)(struct app *a, const char *text);
};

struct district_ui {
	int home_sel;
	struct inbox_st inbox;
	struct dprompt prompt;
};

/* view_inbox.c */
void inbox_read(struct app *a);
/* A refusal's reason (SYNC_E*) as a sentence in the user's language. */
const char *dist_reason(struct app *a, int err);

/* view_board.c, view_indic.c: open the screen (reads what it shows). */
int board_open(struct app *a);
int indic_open(struct app *a);
void dist_board_free(struct app *a);
void dist_indic_free(struct app *a);
/* Records changed (an import): the board and indicators read them again. */
void dist_data_stale(struct app *a);
/* dexport.c: ask the path, then write the period's export. */
int dist_export_ask(struct app *a);

int district_ui_open(struct app *a);
void district_ui_close(struct app *a);

/* The Vietnamese (or English) name of a commune code, or the code. */
const char *dist_unit_name(struct app *a, const char *code);

void dprompt_start(struct app *a, enum msg_id question, const char *initial,
		   int (*on_done)(struct app *a, const char *text));
/* A key while the prompt is active: 1 when it took it. */
int dprompt_act(struct app *a, enum action act);
int dprompt_input(struct app *a, struct tkey k);
/* Draw the prompt on the status line (over the status). */
void dprompt_draw(struct app *a);

#endif
