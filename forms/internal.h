/*
 * forms/internal.h: private to forms/ files.  The layouts behind the opaque
 * types of forms.h, and the helpers the parsers and checkers share.  Not
 * installed, not included outside forms/.
 */
#ifndef CCHC_FORMS_INTERNAL_H
#define CCHC_FORMS_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "forms/forms.h"

/* ------------------------------------------------------------- errors */

/* Parse context: one file.  Every error is reported, nerr counts them. */
struct perr {
	const struct forms_sink *sink;
	const char *path;
	int nerr;
	int nomem;
};

/* Report "PATH:LINE: message" in the sink's language (vi or en format, the
 * same arguments). */
void perr_at(struct perr *pe, int line, const char *vi, const char *en, ...);
void perr_vat(struct perr *pe, int line, const char *vi, const char *en, va_list ap);
/* Report "PATH: what: reason" for an errno err: vi gets a Vietnamese reason
 * (dir: the path is a directory), en strerror(). */
void perr_errno(struct perr *pe, const char *vi, const char *en, int err, int dir);
/* A directive allowed once per object (or per file).  *first: the line it
 * was first seen on, 0 for never.  Seen before: reports "PATH:LINE: 'kw'
 * given twice (first at line N)" and returns -1, so the caller skips the
 * line (and never overwrites what the first one stored); else notes line
 * in *first and returns 0. */
int perr_once(struct perr *pe, int line, const char *kw, int *first);
/* Cut s back so that it does not end inside a UTF-8 character (after a
 * truncating snprintf). */
void utf8_cut(char *s);

/* The largest integer a form file may write (bounds, constants): values
 * and sums of them stay far from INT64_MAX even when scaled x1000. */
#define FORMS_NUM_LIMIT INT64_C(999999999999999)

/* ---------------------------------------------------------- file lines */

/* A whole file in memory, split into NUL-terminated lines in place. */
struct lines {
	char *buf;
	char **line;
	size_t n;
};

/* Read path (must be valid UTF-8; a BOM is skipped; CR before LF removed).
 * FORMS_EIO / FORMS_EPARSE are reported to pe. */
int lines_read(struct perr *pe, const char *path, struct lines *out);
void lines_free(struct lines *l);

/* Split s in place at the first run of blanks: returns the first word and
 * sets *rest to the trimmed remainder ("" when none). */
char *word_split(char *s, char **rest);
char *trim(char *s);
int is_ident(const char *s);           /* ASCII snake_case: [a-z][a-z0-9_]* */
int is_form_id(const char *s);         /* [a-z0-9][a-z0-9-]* */
char *xstrdup_nfc(const char *s);      /* NFC copy, or NULL (no memory / bad UTF-8) */
int parse_i64(const char *s, int64_t *out);   /* strict "-?[0-9]+" */
/* strict "-?[0-9]+(\.[0-9]{1,3})?"; -1 bad syntax, -2 beyond int64 when x1000 */
int parse_milli(const char *s, int64_t *out);
void fmt_milli(int64_t milli, char *buf, size_t size, char point); /* 62500 -> "62.5" */
int append(void **arr, size_t *n, size_t *cap, size_t size); /* grow by one, zeroed */

/* Names seen so far (ids of fields, rates, sections, options, periods,
 * units), each with an int (its index or line): duplicate checks and
 * look-ups in constant time, so a file of thousands of ids does not cost
 * the square of them.  Keys are copied; an all-zero set is empty. */
struct nameset {
	char **key;
	int *val;
	size_t n, cap; /* cap: 0 or a power of two, at most half full */
};
/* The val of key, or -1 when key is not in s. */
int nameset_get(const struct nameset *s, const char *key);
/* Add key (not yet in s) with val >= 0: 0 or FORMS_ENOMEM. */
int nameset_put(struct nameset *s, const char *key, int val);
void nameset_free(struct nameset *s);

/* -------------------------------------------------------- expressions */

enum term_kind { TERM_INT, TERM_FIELD, TERM_PREV };

struct term {
	int sign; /* +1 or -1 */
	enum term_kind kind;
	int64_t k;    /* TERM_INT */
	char *field;  /* TERM_FIELD, TERM_PREV */
};

/* Sum of signed terms: "a + b - (c - 2)" flattened to a + b - c + 2. */
struct expr {
	struct term *t;
	size_t n, cap;
	char *text;
};

enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

/* Parse an expression (allow_prev: previous.FIELD allowed).  NULL error
 * on success, else a static English/Vietnamese message pair index. */
int expr_parse(const char *s, int allow_prev, struct expr *out, const char **err_vi,
	       const char **err_en);
/* "a <= b + c": the comparison splits the two sides. */
int rule_parse(const char *s, struct expr *lhs, enum cmp_op *op, struct expr *rhs,
	       const char **err_vi, const char **err_en);
void expr_free(struct expr *e);
const char *op_text(enum cmp_op op);
int op_holds(enum cmp_op op, int64_t a, int64_t b);
int op_parse(const char *s, enum cmp_op *op, size_t *len);

/* A condition "field = v1,v2" or "field != v": the field's canonical value
 * is (is not) one of the values.  group: fill lines OR groups. */
struct cond {
	char *field;
	int neg;
	char **val;
	size_t nval, capval;
	int group;
};
int cond_parse(const char *s, struct cond *out);
void cond_free(struct cond *c);
int cond_holds(const struct cond *c, const struct kv *values);

/* ---------------------------------------------------------------- form */

struct choice {
	char *code;
	char *label[2];
};

struct form_field {
	char *id;
	enum form_type type;
	char *label[2];
	char *help[2];
	int required; /* 0, 1, 2 (conditional) */
	struct cond req_when;
	int multiline;
	int unique;       /* no two live entries of the form hold one value */
	size_t maxlen;
	int has_range;
	int64_t min, max;
	int max_today;    /* date: "..today", the upper bound is today (Vietnam) */
	struct choice *choice;
	size_t nchoice, capchoice;
	struct expr expr; /* computed */
	int is_decimal;   /* computed: result is a decimal */
	int line;
};

struct form_section {
	char *id;
	char *title[2];
	struct form_field **field;
	size_t nfield, capfield;
	int line;
};

struct target {
	int set;
	int line;
	enum cmp_op op;
	int64_t pct_milli; /* 25% -> 25000 */
	char text[32];
};

struct form_rate {
	const struct form *form; /* the form it belongs to */
	char *id;
	char *label[2];
	char *num, *den;
	struct target tgt[2]; /* [FORMS_LEVEL_COMMUNE], [FORMS_LEVEL_DISTRICT] */
	int line;
};

struct rule {
	struct expr lhs, rhs;
	enum cmp_op op;
	char *text;
	char *msg[2];
	struct cond when;
	int has_when;
	int scope; /* -1 both, else enum forms_level */
	int uses_prev;
	int is_date;
	int is_decimal;
	int line;
};

enum fill_class {
	FILL_CARRIED_OVER,
	FILL_RECEIVED_NEW,
	FILL_RECEIVED,
	FILL_RESOLVED,
	FILL_RESOLVED_EARLY,
	FILL_RESOLVED_ON_TIME,
	FILL_RESOLVED_LATE,
	FILL_PENDING,
	FILL_PENDING_IN_TIME,
	FILL_PENDING_OVERDUE,
	FILL_OVERDUE,
	FILL_NCLASS
};
extern const char *const fill_class_name[FILL_NCLASS];

struct fill_item {
	char *field;
	enum fill_class cls;
	struct cond *cond;
	size_t ncond, capcond;
	int ngroup;
	int line;
};

struct form {
	const struct forms *set; /* the set it was loaded into (targets), or NULL */
	char *id;
	int version;
	char *title[2];
	enum form_kind kind;
	char *path;
	int line;
	struct form_section **section;
	size_t nsection, capsection;
	struct form_field **field;
	size_t nfield, capfield;
	struct nameset field_ix; /* id -> index in field */
	struct rule *rule;
	size_t nrule, caprule;
	struct form_rate **rate;
	size_t nrate, caprate;
	struct nameset rate_ix; /* id -> index in rate */
	/* fill from a register */
	char *fill_source;
	char *fill_date[3]; /* received, due, returned */
	int fill_line;
	struct cond *excl;
	size_t nexcl, capexcl;
	struct cond *paused; /* fill.paused: pending but never overdue */
	size_t npaused, cappaused;
	struct fill_item *fill;
	size_t nfill, capfill;
	/* `summary`: the fields that name an entry in one line of a list */
	char **summary;
	size_t nsummary, capsummary;
	int summary_line;
};

/* Checks that need the whole file: fields named by rules, rates, computed
 * fields and conditions exist and have fitting types (check.c); fill
 * directives (fill.c). */
void form_check_refs(struct perr *pe, struct form *f);
/* filled: the report fields named by `fill` lines so far (one line each). */
void fill_directive(struct perr *pe, int line, struct form *f, struct nameset *filled,
		    const char *kw, char *rest);
void fill_check(struct perr *pe, struct form *f);
/* Across files: the fill source form exists and has the named fields. */
void fill_check_source(struct perr *pe, const struct form *f, const struct form *src);
void cond_check(struct perr *pe, int line, const struct form *f, const struct cond *c);

/* Parse one .form file.  0 and *out, or FORMS_EPARSE (errors reported). */
int form_parse_file(const struct forms_sink *sink, const char *path, struct form **out);
void form_destroy(struct form *f);

/* Results of field_number and expr_eval besides 1 (ok) and 0 (missing). */
enum {
	EVAL_BAD = -1,      /* a value is not a number of its field's type (the
			       value checks of form_validate report it) */
	EVAL_RANGE = -2,    /* a value, a constant or the sum does not fit in 64 bits */
	EVAL_BAD_PREV = -3, /* a value of the previous period's report is not valid */
};
/* The value of a numeric field (integer, decimal x1000 when scaled, date as
 * days, yesno 0/1, computed) from values: 1 found, 0 missing, or EVAL_*. */
int field_number(const struct form *f, const struct form_field *fl, const struct kv *values,
		 int scale_milli, int64_t *out);
/* Evaluate e against values (previous for TERM_PREV): 1 ok, 0 a value is
 * missing, or EVAL_* (RANGE before BAD_PREV before BAD before missing). */
int expr_eval(const struct form *f, const struct expr *e, const struct kv *values,
	      const struct kv *previous, int scale_milli, int64_t *out);

/* --------------------------------------------------------- periods, units */

/* Where a period's attribute was written: an override's line, or the line
 * of the rule that made it.  path is owned by the period_list. */
struct psrc {
	const char *path;
	int line;
};

enum { PS_NAME = 1, PS_NAME_EN = 2, PS_DATA = 4, PS_DEADLINE = 8, PS_PREVIOUS = 16 };

struct forms_period {
	char *id;
	char *name[2];
	struct vn_date deadline;
	int inclusive;
	struct vn_date from, to;
	char *previous;
	int line;            /* its `period` line, or its rule's */
	const char *path;    /* the file of that line (owned by the list) */
	struct psrc src_data, src_deadline, src_previous;
	unsigned set;        /* PS_*: the attributes given */
	int year;            /* 2021 for "2021-Q1"; 0 when the id starts with no year */
	int generated;       /* made by a `rule` for one of its `years` */
	int overridden;      /* a `period` block changed some of it */
};

struct period_list {
	struct forms_period *v;
	size_t n, cap;
	char **paths; /* every file read, for psrc */
	size_t npath, cappath;
};
/* Parse one file: its `period` blocks and the periods its rules make are
 * appended to pl (not yet resolved). */
int periods_parse_file(const struct forms_sink *sink, const char *path, struct period_list *pl);
/* After every file: merge each `period` block into the rule-made period of
 * its id (an override), refuse duplicates and incomplete periods, sort by
 * date, then the checks of meaning (periods_check.c), skipped when a
 * file had errors already (parse_failed) since half-read periods would only
 * give false alarms.  0 or FORMS_EPARSE
 * (every problem went to sink) or FORMS_ENOMEM. */
int periods_resolve(const struct forms_sink *sink, struct period_list *pl, int parse_failed);
/* The checks of meaning on a resolved, date-sorted list: a deadline before
 * its window, a previous that does not exist or does not end the day before,
 * windows overlapping or leaving a gap within a year, a missing quarter.
 * Returns the number of problems reported. */
int periods_check_meaning(const struct forms_sink *sink, const struct period_list *pl);
void periods_free(struct period_list *pl);

struct forms_unit {
	char *code, *name, *short_name, *kind, *parent, *list_version;
	enum forms_level level;
	enum forms_tier tier;
	struct vn_date from, to;
	uint8_t *key; /* collation key of short_name */
	size_t keylen;
	char **pred; /* predecessor codes (formed from), npred of them */
	size_t npred;
	char *path; /* the file it was read from, and its line */
	int line;
};

struct unit_list {
	struct forms_unit *v;
	size_t n, cap;
	char **lists; /* distinct list versions, sorted (built by units_sort) */
	size_t nlists;
};
int units_parse_file(const struct forms_sink *sink, const char *path, struct unit_list *ul);
void units_free(struct unit_list *ul);
/* Sort the units (forms.h order) and build ul->lists: 0 or FORMS_ENOMEM. */
int units_sort(struct unit_list *ul);
/* The tier a parent of kind must have (FORMS_TIER_* bit set: 1 << tier),
 * 0 when the kind takes no parent (a province). */
unsigned units_parent_tiers(const char *kind);

/* ------------------------------------------------------------- targets */

/* One `target` line of a .targets file: which rate, for which unit kinds
 * (a bit per enum forms_unit_kind), and the target itself. */
struct plan_target {
	char *rate;
	unsigned kinds;
	int specific; /* 2 named one kind, 1 a group word, 0 none: the higher wins */
	struct target t;
};

/* One .targets file: the targets of one form for one year. */
struct forms_plan {
	char *path;
	char *form;
	int year;
	char *name[2];
	int line; /* of `year` */
	struct plan_target *v;
	size_t n, cap;
};

/* Append one .targets file to fs->plans; after every file (and the forms),
 * targets_finish sorts them, checks them against the forms and links each
 * form to the set. */
int targets_parse_file(const struct forms_sink *sink, const char *path, struct forms *fs);
void targets_finish(const struct forms_sink *sink, struct forms *fs, int *bad);
int targets_check_file(const char *path, const struct forms_sink *sink);
void plans_free(struct forms *fs);
/* The target of r for (year, kind): from the year's plan, an earlier
 * year's carried over, or the form's own; *plan and *carried say which. */
const struct target *target_for(const struct form_rate *r, int year, enum forms_unit_kind kind,
				const struct forms_plan **plan, int *carried);
/* "OP N%" -> target; 0 ok (parse.c). */
int target_parse(const char *s, struct target *t);

struct forms {
	struct form **form;
	size_t nform, capform;
	struct period_list periods;
	struct unit_list units;
	struct forms_plan *plans;
	size_t nplan, capplan;
};

/* A date field's upper bound in days: today's date when the form says
 * "..today" (values.c). */
int64_t field_date_max(const struct form_field *fl);

#endif
