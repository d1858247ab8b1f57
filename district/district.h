/*
 * district/district.h: the district desk's figures, for the CLI
 * (`cchc status`, `summary`, `export`) and the district screens alike.
 *
 * Map.  An aggregating node (a district in the 2021 model, a province in
 * the 2025 one) receives the communes' periodic reports.  This module reads
 * what the district holds of them and computes, per period:
 *   status      completeness (DHIS2 reporting rates): one row per expected
 *               unit with its state (missing / on time / late / returned),
 *               the commune's approval time, the district's first receipt,
 *               the revision count; totals expected, received, on time.
 *   summary     every rate of the report form per unit and in total (sum of
 *               numerators over sum of denominators, forms/form_rate_sum),
 *               against the plan's targets, and the cross-period warnings.
 *   export      the two as an XLSX workbook (libxlsxwriter; only this
 *               module includes it) or one CSV table (UTF-8 BOM, RFC 4180,
 *               cells made safe from spreadsheet formulas).
 *
 * Which units are expected: every unit of the loaded unit list whose parent
 * is the aggregating unit's code and that is valid on the last day a report
 * is on time (the day before forms_period_deadline(), Vietnam time; a zero
 * validity date is open).  Nothing here knows "huyện" or a code: only
 * parent and validity.  Units come in the list's Vietnamese order.
 *
 * Which report counts: every revision of a report the district received is
 * kept by the store (store_sync_revision_each, read without decrypting a
 * single register entry).  Per unit and period the latest revision counts
 * for the figures (SPEC §4.5).  On time or late is decided by the first
 * receipt of the first revision received (the first approved report to
 * arrive): a correction sent after the deadline does not make a report that
 * came in time late (DHIS2: "received by the deadline").
 *
 * Contracts.  Functions return 0 or a negative code: STORE_E* codes from the
 * store pass through unchanged (-1..-99), DISTRICT_E* are this module's
 * (district_strerror() names both).  Out-parameters come last.  A struct
 * district holds a snapshot read at district_open(); results borrow its
 * units, forms and periods (const pointers owned by the struct forms the
 * desk was opened with) and are valid until their own *_free() and while
 * the forms set lives.  Times are Unix seconds, 0 for "none".  Not
 * thread-safe; one desk per thread.
 */
#ifndef CCHC_DISTRICT_DISTRICT_H
#define CCHC_DISTRICT_DISTRICT_H

#include <stddef.h>
#include <stdint.h>

#include "forms/forms.h"
#include "store/store.h"

enum {
	DISTRICT_OK = 0,
	DISTRICT_ENOMEM = -40,
	DISTRICT_ENOPERIOD = -41, /* no such period in the loaded periods */
	DISTRICT_ENOUNIT = -42,   /* the unit is not one this node expects in that period */
	DISTRICT_ENOFORM = -43,   /* no report form (or not the one named) */
	DISTRICT_EIO = -44,       /* the output file cannot be written (errno kept) */
	DISTRICT_EXLSX = -45,     /* libxlsxwriter failed */
};

/* English text for a DISTRICT_E* or STORE_E* code (for logs; people get
 * messages from core/msg.h). */
const char *district_strerror(int err);

/* ------------------------------------------------------------- the desk */

struct district;

/* Read every report revision this node holds (store logged in, any role
 * that may read).  unit: the aggregating unit's code (node.conf unit).
 * form_id: the report form, or NULL for the first form of kind report.
 * DISTRICT_ENOFORM when there is none.  Store errors pass through. */
int district_open(struct store *s, const struct forms *fs, const char *unit, const char *form_id,
		  struct district **out);
void district_free(struct district *d);

/* The report form used (its highest version) and the aggregating unit (NULL
 * when its code is not in the unit list). */
const struct form *district_form(const struct district *d);
const struct forms_unit *district_unit(const struct district *d);

/* The units expected to report for period p, in the list's (Vietnamese)
 * order; *units is malloc'd (free()), *n may be 0. */
int district_expected(const struct district *d, const struct forms_period *p,
		      const struct forms_unit ***units, size_t *n);

/* ---------------------------------------------------------- completeness */

enum district_state {
	DISTRICT_MISSING = 0,  /* chưa gửi: nothing received */
	DISTRICT_ON_TIME = 1,  /* đúng hạn: first received before the deadline */
	DISTRICT_LATE = 2,     /* gửi muộn: first received after it */
	DISTRICT_RETURNED = 3, /* đã trả lại: returned for correction, not resent */
};
#define DISTRICT_STATE_COUNT 4

/* "missing", "on_time", "late", "returned" (csv, json). */
const char *district_state_name(enum district_state st);
/* "chưa gửi", "đúng hạn", "gửi muộn", "đã trả lại" / "missing", "on time",
 * "late", "returned". */
const char *district_state_label(enum district_state st, enum forms_lang lang);
/* One letter for a board cell, readable in monochrome: "C", "Đ", "M", "T"
 * (Vietnamese) / "-", "O", "L", "R" (English).  UTF-8, one column wide. */
const char *district_state_letter(enum district_state st, enum forms_lang lang);

/* One expected unit in one period. */
struct district_unit_status {
	const struct forms_unit *unit;
	enum district_state state;
	uint8_t record[STORE_ID_BYTES]; /* the report's id; zero when missing */
	uint32_t revisions;             /* revisions received (0 when missing) */
	uint32_t first_revision;        /* the one whose receipt decides the state */
	uint32_t latest_revision;       /* the one that counts for the figures */
	int64_t approved_at;            /* the commune's (signed) approval of first_revision */
	int64_t received_at;            /* the district's first receipt of first_revision */
	int64_t latest_approved_at;     /* approval of latest_revision */
	int64_t latest_received_at;     /* first receipt of latest_revision */
};

struct district_status {
	const struct forms_period *period;
	int64_t deadline; /* forms_period_deadline(): the first late instant */
	/* DHIS2: expected = units expected; received = reports received (any
	 * state but missing: late and returned ones too); on_time = received
	 * by the deadline.  Rates are received / expected and on_time /
	 * expected (district_pct); over the rows shown (--unit: one). */
	size_t expected, received, on_time, late, returned;
	struct district_unit_status *units; /* expected units, list order */
	size_t n;
};

/* Completeness of period (an id, "2021-Q1").  unit: one expected unit's
 * code, or NULL for all.  DISTRICT_ENOPERIOD, DISTRICT_ENOUNIT. */
int district_status(const struct district *d, const char *period, const char *unit,
		    struct district_status *out);
void district_status_free(struct district_status *st);

/* ---------------------------------------------------------------- rates */

/* One unit's rates in one period. */
struct district_unit_summary {
	const struct forms_unit *unit;
	enum district_state state;
	uint32_t revision;              /* the revision counted; 0 when none */
	const struct form *form;        /* the version it was made with, NULL when none */
	struct form_rate_value *rates;  /* n_rates, in district_form()'s rate order;
					 * has_counts 0 when missing */
};

enum district_warning_kind {
	/* ton_ky_truoc (carried over) differs from the previous period's
	 * dang_giai_quyet (pending) of the same unit: value = carried over,
	 * other = previous pending, other_period = the previous period. */
	DISTRICT_W_CARRIED_OVER = 1,
	/* da_giai_quyet + dang_giai_quyet (resolved + pending) differs from
	 * tong_tiep_nhan (received): value = resolved + pending, other =
	 * received; resolved and pending are kept apart too. */
	DISTRICT_W_BALANCE = 2,
};

struct district_warning {
	enum district_warning_kind kind;
	const struct forms_unit *unit;
	int64_t value, other;
	int64_t resolved, pending;   /* DISTRICT_W_BALANCE */
	const char *other_period;    /* DISTRICT_W_CARRIED_OVER: owned by the period set */
};

struct district_summary {
	const struct forms_period *period;
	const struct form *form;   /* district_form() */
	size_t n_rates;            /* form_rate_count(form) */
	struct district_unit_summary *units; /* expected units, list order */
	size_t n;
	size_t reported;           /* units whose report counts (not missing) */
	/* Totals over the units shown: sum of numerators over sum of
	 * denominators of the units with a report, judged against the target
	 * of the units' level (the communes' target: the total is theirs). */
	enum forms_level total_level;
	struct form_rate_value *total; /* n_rates */
	struct district_warning *warnings; /* in unit order */
	size_t n_warnings;
};

/* Indicators of period for all expected units, or one (unit != NULL).
 * Zero denominators give has_counts 1, den 0, met FORM_MET_NA ("–"). */
int district_summary(const struct district *d, const char *period, const char *unit,
		     struct district_summary *out);
void district_summary_free(struct district_summary *sm);

/* part / whole as a fraction for json (0.625); -1 when whole is 0. */
double district_fraction(int64_t part, int64_t whole);

/* --------------------------------------------------------------- export */

/* What the export writers print around the figures.  Labels come from the
 * caller (core/msg.h is the CLI's and the UI's table). */
struct district_export {
	enum forms_lang lang;
	const char *title;          /* e.g. "Huyện Sơn Dương – Quý I năm 2021" */
	const char *total_name;     /* the total row's name: "Toàn huyện" */
};

/* Write the completeness sheet and the indicator sheet of st and sm (the
 * same period) to path as XLSX, by write-temp-fsync-rename: a failure leaves
 * no file (and no temp file).  Sheets "Tiến độ"/"Completeness" and "Chỉ
 * tiêu"/"Indicators"; headers in lang; frozen header rows; numbers,
 * percentages and times as real cells; a bold total row.  DISTRICT_EIO
 * (errno set), DISTRICT_EXLSX, DISTRICT_ENOMEM. */
int district_export_xlsx(const struct district_status *st, const struct district_summary *sm,
			 const struct district_export *ex, const char *path);

/* The same figures as one CSV table, a row per unit and a total row:
 * UTF-8 with a BOM, CRLF, RFC 4180 quoting, every cell passed through
 * csv_cell() of core/csv.h (codes kept as text with their leading zeros;
 * nothing starts a formula).  Same file discipline as the XLSX. */
int district_export_csv(const struct district_status *st, const struct district_summary *sm,
			const struct district_export *ex, const char *path);

#endif
