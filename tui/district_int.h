/*
 * tui/district_int.h: a district node's screens (private to tui/).
 *
 *   view_dhome.c   home: the node and the user; the screens, each with its
 *                  key (F2 inbox, F3 board, F5 indicators, F4 register,
 *                  F7 export)
 *   view_inbox.c   Hộp thư: the batches the receiver stored and import has
 *                  not applied (sync_spool_list), by commune; F5 imports
 *                  them (sync_import) with a progress bar redrawn per batch;
 *                  refused batches stay listed with their reason
 *   view_board.c   Bảng tiến độ: communes x periods, a colour and a letter
 *                  per cell (Đ M C T), totals, legend
 *   view_indic.c   Chỉ tiêu: the summary table of a period; per indicator a
 *                  bar chart across communes with the target marked
 *   view_report.c  one commune's report for a period: its revisions (the
 *                  latest counts), each opened read-only in the form view;
 *                  its register entries
 *   dprompt.c      the district screens' state (open, close, unit names)
 *
 * The state lives in struct district_ui (app->dui), made at start on a
 * district node only; the prepare step of each screen reads what it shows
 * (files, store) so that draw only draws.
 */
#ifndef CCHC_TUI_DISTRICT_INT_H
#define CCHC_TUI_DISTRICT_INT_H

#include "district/district.h"
#include "tui/tui_int.h"

/* ------------------------------------------------------------ inbox */

#define INBOX_LOG 64 /* outcome lines of the last import kept on screen */

struct inbox_row {
	struct sync_spool_entry e;
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

/* ------------------------------------------------------------ board */

#define DIST_PERIODS 32

struct board_st {
	int stale;                  /* read the desk's status again */
	size_t np;                  /* periods (columns) */
	const struct forms_period *p[DIST_PERIODS];
	struct district_status st[DIST_PERIODS];
	const struct forms_unit **units; /* rows: every unit expected in some period, list order */
	size_t nunits;
	int32_t *cell;              /* nunits x np: index into st[p].units, -1 not expected */
	size_t row, col, top, left; /* selection and scroll */
	double ms;                  /* time to read and lay out (CCHC_TUI_TIMES) */
};

/* ------------------------------------------------------- indicators */

struct indic_st {
	int stale;
	int have;                   /* sm holds the summary of period */
	struct district_summary sm;
	int chart;                  /* 0: the table of rates; 1: one rate across communes */
	size_t rate;                /* selected rate (table row, chart) */
	size_t sel, top;            /* chart: selected row of order[] */
	int by_name;                /* chart order: 0 by value (highest first), 1 by name */
	size_t *order;              /* chart rows: indexes into sm.units */
	size_t norder;
	double ms;
};

/* --------------------------------------------------- a commune's report */

#define REPORT_REVS 32

struct report_rev {
	uint32_t revision;
	int state;
	int64_t approved_at, received_at;
};

struct report_st {
	const struct forms_unit *unit;
	const struct forms_period *period;
	struct district_unit_status us; /* its line of the status */
	struct report_rev rev[REPORT_REVS];
	size_t nrev, sel;
	enum tscreen back;
	char reason[STORE_REASON_MAX]; /* a return's reason, when returned */
};

struct district_ui {
	int home_sel;
	struct inbox_st inbox;
	struct district *desk;      /* the desk (district/district.h), read on first use */
	size_t period;              /* the period in view (board column, indicators, export) */
	struct board_st board;
	struct indic_st indic;
	struct report_st report;
};

/* The desk, opened on first use (reads every report revision once); NULL
 * after a failure (said on the status line). */
struct district *dist_desk(struct app *a);
/* Open the read-only view of unit's report for period (from back). */
int report_open(struct app *a, const struct forms_unit *unit, const struct forms_period *p,
		enum tscreen back);
/* The register list of one commune's entries (Esc: back to back). */
int dist_list_open(struct app *a, const struct forms_unit *unit, enum tscreen back);
/* Trả lại: ask the reason, then return the report in view (view_report.c). */
int dist_return_ask(struct app *a);
/* The target's percentage of a rate value as thousandths (">= 62,5%": 62500), or -1. */
int64_t dist_target_milli(const char *target);

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
/* "Toàn huyện" / "Toàn tỉnh": the total row's name for this node. */
const char *dist_total_name(struct app *a, char *buf, size_t cap);
int dist_export_ask(struct app *a);

int district_ui_open(struct app *a);
void district_ui_close(struct app *a);

/* The Vietnamese (or English) name of a commune code, or the code. */
const char *dist_unit_name(struct app *a, const char *code);


#endif
