/*
 * forms/forms.h: form, period and unit definitions; validation, rates, fill.
 *
 * Map.  Everything here is data read at start from a data directory and then
 * immutable: forms (forms/defs/NAME.form, format in cchc-forms(5) and
 * docs/forms.md), reporting periods (forms/defs/NAME.periods: periods, and
 * rules that make them for a range of years, with per-year overrides), the
 * plans' targets per year and unit kind (forms/defs/NAME.targets) and the
 * unit list (data/units/NAME.csv).  forms_load() reads them all into one
 * struct forms; every object reached from it (struct form, form_section, form_field,
 * form_rate, forms_period, forms_unit) is const, owned by the set, and valid
 * until forms_free().  This module knows no storage: records arrive as a
 * struct kv (core/kv.h) of canonical text, and results go back the same way.
 *
 *   load / check      forms_load, forms_free, forms_check_file
 *   forms             forms_find, forms_find_version, forms_count/forms_at,
 *                     form_* accessors, sections, fields, rules, rates
 *   values            form_field_normalize (people's input -> canonical),
 *                     form_field_display (canonical -> people's text),
 *                     form_compute (computed fields)
 *   checks            form_validate in FORMS_CHECK_DRAFT or _SUBMIT mode
 *   rates             form_rate_eval_for (one record), form_rate_sum_for
 *                     (district totals: sum of numerators over sum of
 *                     denominators), both for a year and a unit kind;
 *                     form_rate_target, forms_plan_*: which plan a target is from
 *   periods           forms_period_*: names, deadline, data window, previous,
 *                     state (open/closed/upcoming) at an instant, the periods
 *                     to offer (forms_period_offer); forms_check_periods
 *   units             forms_unit_*: code, name, kind, level, tier, parent,
 *                     validity, predecessors/successor/current (history
 *                     across list versions), forms_units_check_file
 *   fill              form_fill_begin/_add/_end: report dossier statistics
 *                     from register entries, over a period's data window
 *
 * Contracts.  Functions returning int return 0 or a negative FORMS_E* code
 * (forms_strerror() names it); out-parameters come last and are touched only
 * on success unless said otherwise.  Strings returned through char ** are
 * malloc'd and the caller frees them; const char * results are owned by the
 * set (or the object) and live as long as it.  Parse errors go to a
 * struct forms_sink, one "FILE:LINE: message" per problem, every problem in
 * every file, never only the first.  Messages for people come in Vietnamese
 * (FORMS_LANG_VI, with diacritics) or English (FORMS_LANG_EN).
 *
 * Canonical field values (what records store): integer "1234" (ASCII,
 * optional '-'), decimal "62.5" (dot, no grouping), date "2021-03-05",
 * choice: the option code, yesno "1" / "0", text: NFC UTF-8.  An absent
 * name or an empty value means "not filled in".  Computed fields are never
 * stored; form_compute() derives them.
 */
#ifndef CCHC_FORMS_FORMS_H
#define CCHC_FORMS_FORMS_H

#include <stddef.h>
#include <stdint.h>

#include "core/kv.h"
#include "core/vnfmt.h"

enum {
	FORMS_OK = 0,
	FORMS_ENOMEM = -1,    /* out of memory */
	FORMS_EIO = -2,       /* a file or directory cannot be read */
	FORMS_EPARSE = -3,    /* a data file has errors (each one went to the sink) */
	FORMS_ENOTFOUND = -4, /* no such form, field, rate, period or unit */
	FORMS_EINVAL = -5,    /* a value does not fit its field, or a bad argument */
	FORMS_ECHECK = -6,    /* validation found problems (see struct form_problems) */
};

/* A short English description of err ("out of memory", ...). */
const char *forms_strerror(int err);

enum forms_lang {
	FORMS_LANG_VI = 0,
	FORMS_LANG_EN = 1,
};

/* Where parse errors go.  report() is called once per problem with one line
 * "FILE:LINE: message" (no newline) in the sink's language; FILE is the path
 * as opened.  A NULL sink (or a NULL report) drops the messages. */
struct forms_sink {
	void (*report)(void *ctx, const char *msg);
	void *ctx;
	enum forms_lang lang;
};

/* Which targets apply: a commune (Xã, Phường, Thị trấn) or a district
 * (Huyện, Quận, Thị xã, Thành phố).  Some plan targets differ (work files
 * online: 50% commune, 62% district). */
enum forms_level {
	FORMS_LEVEL_COMMUNE = 0,
	FORMS_LEVEL_DISTRICT = 1,
};

/* The kind of unit a target applies to (.targets files, docs/forms.md):
 * the commune-level kinds, and the aggregating units that report too. */
enum forms_unit_kind {
	FORMS_KIND_COMMUNE = 0,  /* Xã                        (file word: xa) */
	FORMS_KIND_WARD = 1,     /* Phường                    (phuong) */
	FORMS_KIND_TOWN = 2,     /* Thị trấn                  (thi_tran) */
	FORMS_KIND_SPECIAL = 3,  /* Đặc khu                   (dac_khu) */
	FORMS_KIND_DISTRICT = 4, /* Huyện, Quận, Thị xã, ...  (huyen) */
	FORMS_KIND_PROVINCE = 5, /* Tỉnh, Thành phố trực thuộc trung ương (tinh) */
	FORMS_KIND_COUNT
};

struct forms;
struct forms_plan;
struct form;
struct form_section;
struct form_field;
struct form_rate;
struct forms_period;
struct forms_unit;

/* ---------------------------------------------------------------- load */

/* Read every datadir/forms/defs/NAME.form, datadir/forms/defs/NAME.periods and
 * datadir/data/units/NAME.csv (in name order), then the checks that span files
 * (duplicate form id+version, a fill source form or field that does not
 * exist, a period's "previous" format).  Any damaged file: nothing is
 * returned, every problem went to sink, result FORMS_EPARSE (FORMS_EIO when
 * a directory or file cannot be read, also reported to the sink).  On
 * success *out is the set; free it with forms_free(). */
int forms_load(const char *datadir, const struct forms_sink *sink, struct forms **out);

void forms_free(struct forms *fs);

/* `cchc form check FILE`: parse one file by its extension (.form,
 * .periods, .csv for a unit list) and report every problem to sink.
 * Checks that need other files (a fill source form) are done only by
 * forms_load.  0 when the file is good, else FORMS_EPARSE / FORMS_EIO /
 * FORMS_EINVAL (unknown extension). */
int forms_check_file(const char *path, const struct forms_sink *sink);

/* `cchc form check FILE.periods` on a node: the file checked as it would be
 * loaded, after datadir's other .periods files (a file of the same name in
 * datadir is the one it replaces and is skipped), so a year's override file
 * is checked against the rules it overrides.  datadir NULL: the file alone.
 * Besides syntax, the checks of meaning, each at its line: a deadline
 * before its data window starts, a previous period that does not exist (one
 * in the year before the first year there is, like 2021-Q1's 2020-Y, may be
 * missing) or does not end the day before, windows that overlap or leave a
 * gap within a year, a year with no window ending in one of its quarters.
 * 0, FORMS_EPARSE, FORMS_EIO, FORMS_ENOMEM. */
int forms_check_periods(const char *path, const char *datadir, const struct forms_sink *sink);

/* `cchc form check FILE.targets` on a node: the file's syntax, then (datadir
 * not NULL) that the form it names is installed there and has every rate it
 * names.  0, FORMS_EPARSE, FORMS_EIO, FORMS_ENOMEM. */
int forms_check_targets(const char *path, const char *datadir, const struct forms_sink *sink);

/* --------------------------------------------------------------- forms */

enum form_kind {
	FORM_KIND_REPORT = 0,   /* one record per unit and period, with a workflow */
	FORM_KIND_REGISTER = 1, /* many entries (one per dossier), synced on save */
};

/* Forms sorted by id, then version ascending.  i < forms_count(). */
size_t forms_count(const struct forms *fs);
const struct form *forms_at(const struct forms *fs, size_t i);

/* The highest version of form id, or NULL. */
const struct form *forms_find(const struct forms *fs, const char *id);
/* Exactly (id, version), or NULL: records keep the version they were made with. */
const struct form *forms_find_version(const struct forms *fs, const char *id, int version);

const char *form_id(const struct form *f);
int form_version(const struct form *f);
const char *form_title(const struct form *f, enum forms_lang lang);
enum form_kind form_kind(const struct form *f);
/* "report" / "register": the names used in form files and JSON. */
const char *form_kind_name(enum form_kind k);
/* The file and line the form was read from (for messages). */
const char *form_path(const struct form *f);

/* Sections in file order; each field belongs to exactly one section. */
size_t form_section_count(const struct form *f);
const struct form_section *form_section_at(const struct form *f, size_t i);
const char *form_section_id(const struct form_section *s);
const char *form_section_title(const struct form_section *s, enum forms_lang lang);
size_t form_section_field_count(const struct form_section *s);
const struct form_field *form_section_field_at(const struct form_section *s, size_t i);

/* All fields of the form in file order; find by id (NULL if none). */
size_t form_field_count(const struct form *f);
const struct form_field *form_field_at(const struct form *f, size_t i);
const struct form_field *form_field_find(const struct form *f, const char *id);

enum form_type {
	FORM_TEXT = 0,
	FORM_INTEGER,
	FORM_DECIMAL,
	FORM_DATE,
	FORM_CHOICE,
	FORM_YESNO,
	FORM_COMPUTED,
};
/* "text", "integer", "decimal", "date", "choice", "yesno", "computed". */
const char *form_type_name(enum form_type t);

const char *form_field_id(const struct form_field *fl);
enum form_type form_field_type(const struct form_field *fl);
const char *form_field_label(const struct form_field *fl, enum forms_lang lang);
/* Optional help line shown under the field, or NULL. */
const char *form_field_help(const struct form_field *fl, enum forms_lang lang);
/* 1 when the field is required on submit without condition; 2 when it is
 * required only under a `when` condition (form_validate decides); 0 else. */
int form_field_required(const struct form_field *fl);
/* 1 for long narrative text (the editor shows several lines). */
int form_field_multiline(const struct form_field *fl);
/* 1 for a field no two live entries of the form may share (`unique`: the
 * dossier code).  forms/ knows no storage: the caller looks for another
 * entry holding canon (a deleted one does not count) and, when it finds
 * one, refuses with form_unique_message's sentence (malloc'd, 0 or
 * FORMS_ENOMEM). */
int form_field_unique(const struct form_field *fl);
int form_unique_message(const struct form_field *fl, const char *canon, enum forms_lang lang,
			char **msg);
/* Text: maximum length in letters (a letter with its marks counts once). */
size_t form_field_maxlen(const struct form_field *fl);
/* Integer: the bounds, inclusive.  Decimal: the bounds x 1000.  Date: days
 * since 1970-01-01 (vn_date_days).  0 and both set when the field has a
 * range, FORMS_ENOTFOUND when it has none (a type without one).  A date
 * range written "MIN..today" ends at today's date in Vietnam (vn_now), so
 * a received date cannot be in the future. */
int form_field_range(const struct form_field *fl, int64_t *min, int64_t *max);
/* Choice: options in file order. */
size_t form_field_choice_count(const struct form_field *fl);
const char *form_field_choice_code(const struct form_field *fl, size_t i);
const char *form_field_choice_label(const struct form_field *fl, size_t i, enum forms_lang lang);
/* Computed: the expression as written in the file ("a + b - c"), else NULL. */
const char *form_field_expr(const struct form_field *fl);

/* The fields that name one entry in a list (`summary` directive), in
 * order; 0 when the form gives none (lists then use its first text fields). */
size_t form_summary_count(const struct form *f);
const char *form_summary_at(const struct form *f, size_t i);

/* Cross-field rules in file order: the expression as written
 * ("ho_so_truc_tuyen <= ho_so_tiep_nhan") and its message (or NULL when
 * the file gave none and messages are generated from the labels). */
size_t form_rule_count(const struct form *f);
const char *form_rule_expr(const struct form *f, size_t i);
const char *form_rule_message(const struct form *f, size_t i, enum forms_lang lang);

/* --------------------------------------------------------------- values */

/* Turn what a person typed into the field's canonical text (*canon,
 * malloc'd): "1.234" -> "1234"; "05/03/2021" or "2021-03-05" ->
 * "2021-03-05"; a choice by code or by its exact label in either language;
 * yesno from có/không/c/k/yes/no/y/n/1/0 (any case, with or without
 * diacritics); text -> NFC with surrounding spaces trimmed.  Empty or
 * all-space input gives "" (no value).  Checks the type and the range/length.
 * FORMS_EINVAL when invalid: *err (malloc'd, in lang) says why, e.g.
 * "Ngày không tồn tại: 31/02/2021"; *canon untouched.  Computed fields take
 * no input: FORMS_EINVAL.  On FORMS_ENOMEM neither out-parameter is set. */
int form_field_normalize(const struct form_field *fl, const char *input, enum forms_lang lang,
			 char **canon, char **err);

/* The canonical value as people read it (*out malloc'd): "1.234",
 * "05/03/2021", "62,5", the choice label, "Có"/"Không" ("Yes"/"No"), text
 * as is.  A value that is not canonical for the field is shown unchanged. */
int form_field_display(const struct form_field *fl, const char *canon, enum forms_lang lang,
		       char **out);

/* Set into *out (an existing kv, other names left alone) the canonical value
 * of every computed field of f that can be computed from values; a computed
 * field whose inputs are missing is removed from *out. */
int form_compute(const struct form *f, const struct kv *values, struct kv *out);

/* --------------------------------------------------------------- checks */

/* Which checks run.  DRAFT (saving a report draft): every value present
 * must have its field's type, range and length, so a half-filled draft
 * saves.  SUBMIT (a report going to Hoàn thành, and every save of a
 * register entry, see form_check_on_save): DRAFT's checks, then required
 * fields, conditional requirements, every cross-field rule, numerator <=
 * denominator for each rate, and the rules that compare with the previous
 * period (only when previous != NULL). */
enum forms_check {
	FORMS_CHECK_DRAFT = 0,
	FORMS_CHECK_SUBMIT = 1,
};

/* The mode to use on a plain save: DRAFT for reports, SUBMIT for
 * register entries (they have no submit step). */
enum forms_check form_check_on_save(const struct form *f);

/* One failing check.  field: the field the problem belongs to (the first
 * field of a rule's left side), NULL for a problem of the whole record;
 * vi, en: a sentence for people, e.g. "Tổng số hồ sơ tiếp nhận (120) phải
 * bằng Số hồ sơ từ kỳ trước chuyển sang + Số hồ sơ tiếp nhận mới (118)". */
struct form_problem {
	const char *field; /* owned by the form */
	char *vi;
	char *en;
};

struct form_problems {
	struct form_problem *v;
	size_t n, cap;
};

#define FORM_PROBLEMS_INIT {NULL, 0, 0}

void form_problems_free(struct form_problems *p);

/* Check values (a record's fields) against f.  previous: the fields of the
 * same unit's report for the period forms_period_previous() names, or NULL
 * when there is none (rules using previous.* are then skipped).  level
 * selects rules scoped to communes or districts.  Names in values that are
 * not fields of f are reported as problems, except names with a ':' (no
 * field id has one): the application's own notes kept beside the values,
 * such as a district's reason for returning a report.  Problems are appended to *out
 * (every one, in form order).  0 when nothing failed, FORMS_ECHECK when
 * out->n grew, FORMS_ENOMEM. */
int form_validate(const struct form *f, const struct kv *values, const struct kv *previous,
		  enum forms_level level, enum forms_check mode, struct form_problems *out);

/* ---------------------------------------------------------------- rates */

size_t form_rate_count(const struct form *f);
const struct form_rate *form_rate_at(const struct form *f, size_t i);
const struct form_rate *form_rate_find(const struct form *f, const char *id);
const char *form_rate_id(const struct form_rate *r);
const char *form_rate_label(const struct form_rate *r, enum forms_lang lang);
const char *form_rate_numerator(const struct form_rate *r);   /* a field id */
const char *form_rate_denominator(const struct form_rate *r); /* a field id */
/* The target for level as text (">= 25%", "= 100%", "> 62,5%"), "" if none:
 * the newest plan's (form_rate_target with year 0), else the form's own. */
const char *form_rate_target_text(const struct form_rate *r, enum forms_level level);
/* 1 when the rate has a target for one level that differs from the other. */
int form_rate_scoped(const struct form_rate *r);

enum form_met {
	FORM_MET_NA = -1, /* denominator 0, counts missing, or no target */
	FORM_MET_NO = 0,
	FORM_MET_YES = 1,
};
/* "Đạt" / "Không đạt" / "–" ("Met" / "Not met" / "–"). */
const char *form_met_label(enum form_met met, enum forms_lang lang);

/* Where a target comes from.  Targets live in forms/defs/NAME.targets, one
 * file per form and year (a plan); a year with no plan of its own takes
 * the newest earlier year's, marked carried over ("kế thừa từ kế hoạch
 * 2021") until a district loads its own; a rate the chosen plan does not
 * name has no target that year.  A form no plan names (or a year before its
 * first plan) keeps the form's own `target` lines (plan NULL). */
struct forms_target {
	const char *text;               /* ">= 25%", "" when there is none */
	const struct forms_plan *plan;  /* NULL: the form's own target */
	int carried;                    /* the plan is an earlier year's */
};
struct form_rate_value {
	const struct form_rate *rate;
	int has_counts;     /* both counts present and numeric */
	int64_t num, den;   /* 0 when !has_counts */
	char text[32];      /* "62,5%", "–" when den == 0 or !has_counts */
	const char *target; /* the target's text ("" when none) */
	enum form_met met;
	struct forms_target source; /* where the target came from */
};

/* The rate r of one record (numerator and denominator read from values;
 * computed fields are computed), against the target of the plan for year
 * (see form_rate_target) and unit kind.  The verdict compares the exact
 * fraction num/den with the target (integers, no rounding); the text is
 * rounded to one decimal, toward the verdict's side when plain rounding
 * would contradict it (1999/2000 against "= 100%" shows "99,9%", never
 * "100,0%" beside Không đạt). */
int form_rate_eval_for(const struct form *f, const struct form_rate *r, const struct kv *values,
		       int year, enum forms_unit_kind kind, struct form_rate_value *out);

/* District totals: sum of numerators over sum of denominators of the n
 * records (records missing a count are left out and counted in *skipped if
 * skipped != NULL), against the target for year and kind (the aggregating
 * unit's: FORMS_KIND_DISTRICT or _PROVINCE). */
int form_rate_sum_for(const struct form *f, const struct form_rate *r,
		      const struct kv *const *records, size_t n, int year,
		      enum forms_unit_kind kind, struct form_rate_value *out, size_t *skipped);

/* The old calls, kept for callers that know no period: the newest plan's
 * target (year 0) for level's kind (COMMUNE -> FORMS_KIND_COMMUNE,
 * DISTRICT -> FORMS_KIND_DISTRICT). */
int form_rate_eval(const struct form *f, const struct form_rate *r, const struct kv *values,
		   enum forms_level level, struct form_rate_value *out);
int form_rate_sum(const struct form *f, const struct form_rate *r,
		  const struct kv *const *records, size_t n, enum forms_level level,
		  struct form_rate_value *out, size_t *skipped);

/* The target of r for a report of year (forms_period_year; 0: the newest
 * plan) by a unit of kind, and where it comes from.  Never fails; out->text
 * is "" when there is none.  Pointers live as long as the set. */
void form_rate_target(const struct form_rate *r, int year, enum forms_unit_kind kind,
		      struct forms_target *out);
/* The plan's year, its name ("Kế hoạch CCHC huyện Sơn Dương năm 2021"),
 * the file it was read from. */
int forms_plan_year(const struct forms_plan *p);
const char *forms_plan_name(const struct forms_plan *p, enum forms_lang lang);
const char *forms_plan_path(const struct forms_plan *p);
/* For people, into buf: "Kế hoạch CCHC huyện Sơn Dương năm 2021", or
 * "kế thừa từ kế hoạch 2021" when carried, or "" for the form's own. */
size_t forms_target_source(const struct forms_target *t, enum forms_lang lang, char *buf,
			   size_t cap);
/* Plans loaded, in (form, year) order. */
size_t forms_plan_count(const struct forms *fs);
const struct forms_plan *forms_plan_at(const struct forms *fs, size_t i);
/* The target kind of a unit from its kind word ("Xã", "Phường", "Thị
 * trấn", "Đặc khu", "Huyện", "Tỉnh", ...); by its tier otherwise. */
enum forms_unit_kind forms_unit_target_kind(const struct forms_unit *u);
/* "xa", "phuong", ... (the file words). */
const char *forms_unit_kind_word(enum forms_unit_kind k);

/* -------------------------------------------------------------- periods */

/* Periods in date order: by the last day of the data window, a shorter
 * window first (2021-Q1, 2021-H1, 2021-Q3, 2021-Y, 2022-Q1, ...). */
size_t forms_period_count(const struct forms *fs);
const struct forms_period *forms_period_at(const struct forms *fs, size_t i);
const struct forms_period *forms_period_find(const struct forms *fs, const char *id);

const char *forms_period_id(const struct forms_period *p); /* "2021-Q1" */
const char *forms_period_name(const struct forms_period *p, enum forms_lang lang);
/* The deadline day as written ("before 10/03/2021"), and whether that day
 * itself counts (inclusive) or the report must arrive before it begins. */
struct vn_date forms_period_deadline_date(const struct forms_period *p);
int forms_period_deadline_inclusive(const struct forms_period *p);
/* The first instant (Unix seconds) at which a receipt is late: 00:00
 * Vietnam time of the deadline day, or of the next day when inclusive. */
int64_t forms_period_deadline(const struct forms_period *p);
/* 1 when a report first received at instant t is on time, else 0. */
int forms_period_on_time(const struct forms_period *p, int64_t t);
/* The data window (Decree 09/2019), both days inclusive. */
struct vn_date forms_period_data_from(const struct forms_period *p);
struct vn_date forms_period_data_to(const struct forms_period *p);
/* The period whose pending dossiers this one carries over ("2020-Y" for
 * 2021-Q1), or NULL.  It may name a period not in the set. */
const char *forms_period_previous(const struct forms_period *p);
/* 2021 for "2021-Q1"; 0 when the id does not start with a year. */
int forms_period_year(const struct forms_period *p);
/* 1 when a `rule` made it (then forms_period_overridden says whether a
 * `period` block changed it); the file and line it was made at. */
int forms_period_generated(const struct forms_period *p);
int forms_period_overridden(const struct forms_period *p);
const char *forms_period_path(const struct forms_period *p);
int forms_period_line(const struct forms_period *p);

/* Relative to instant t (vn_now()): UPCOMING before the first day of the
 * data window, OPEN from then until the deadline (forms_period_deadline),
 * CLOSED after.  A report may still be made for a closed period (late). */
enum forms_period_state {
	FORMS_PERIOD_UPCOMING = 0,
	FORMS_PERIOD_OPEN = 1,
	FORMS_PERIOD_CLOSED = 2,
};
enum forms_period_state forms_period_state(const struct forms_period *p, int64_t t);
/* "upcoming" / "open" / "closed" (json); "chưa đến" / "đang mở" / "đã hết hạn". */
const char *forms_period_state_name(enum forms_period_state s);
const char *forms_period_state_label(enum forms_period_state s, enum forms_lang lang);
/* Days, counting today, on which a report is still on time: 1 on the
 * last day, 0 or less once the deadline has passed. */
int forms_period_days_left(const struct forms_period *p, int64_t t);
/* The periods to offer at instant t: the open ones, soonest deadline
 * first, then the closed ones, latest first; upcoming ones are left out.
 * Up to cap go to out; returns how many there are (may exceed cap). */
size_t forms_period_offer(const struct forms *fs, int64_t t, const struct forms_period **out,
			  size_t cap);

/* ---------------------------------------------------------------- units */

/* Units sorted in Vietnamese order (text_collate) of their name without
 * the kind word ("Bình Yên" before "Cấp Tiến"), then by code. */
size_t forms_unit_count(const struct forms *fs);
const struct forms_unit *forms_unit_at(const struct forms *fs, size_t i);
/* By code in list_version, or with list_version NULL in the newest list
 * that has the code (codes were reused after 2025: keep the version). */
const struct forms_unit *forms_unit_find(const struct forms *fs, const char *code,
					 const char *list_version);

const char *forms_unit_code(const struct forms_unit *u);         /* "02545" */
const char *forms_unit_name(const struct forms_unit *u);         /* "Xã Tân Trào" */
const char *forms_unit_short_name(const struct forms_unit *u);   /* "Tân Trào" */
const char *forms_unit_kind(const struct forms_unit *u);         /* "Xã" */
enum forms_level forms_unit_level(const struct forms_unit *u);
const char *forms_unit_parent(const struct forms_unit *u);       /* "076", "" if none */
const char *forms_unit_list_version(const struct forms_unit *u); /* "GSO-2021" */
/* Validity; a zero date (y == 0) for an open end. */
struct vn_date forms_unit_valid_from(const struct forms_unit *u);
struct vn_date forms_unit_valid_to(const struct forms_unit *u);

/* Where a unit stands in the administrative tree.  Two models: 2021 (Tỉnh >
 * Huyện/Quận/Thị xã/Thành phố > Xã/Phường/Thị trấn) and, from 1 July 2025,
 * no district (Tỉnh/Thành phố trực thuộc trung ương > Xã/Phường/Đặc khu).
 * forms_unit_level() stays the targets' level: COMMUNE for the commune
 * tier, DISTRICT for the aggregating tiers (district and province). */
enum forms_tier {
	FORMS_TIER_COMMUNE = 0,  /* Xã, Phường, Thị trấn, Đặc khu */
	FORMS_TIER_DISTRICT = 1, /* Huyện, Quận, Thị xã, Thành phố (2021 model) */
	FORMS_TIER_PROVINCE = 2, /* Tỉnh, Thành phố trực thuộc trung ương */
};
enum forms_tier forms_unit_tier(const struct forms_unit *u);
/* The file (as opened) and line the unit was read from. */
const char *forms_unit_path(const struct forms_unit *u);
int forms_unit_line(const struct forms_unit *u);

/* 1 when u is valid on day d (valid_from <= d <= valid_to, open ends
 * open), else 0. */
int forms_unit_valid_on(const struct forms_unit *u, struct vn_date d);
/* 1 when u's validity shares at least one day with [from, to] (a period's
 * data window): records for such a period may be made; 0 when the unit
 * ended before from or began after to. */
int forms_unit_valid_during(const struct forms_unit *u, struct vn_date from, struct vn_date to);

/* 1 when u is one of the units the aggregating unit agg collects from
 * over [from, to] (a period's data window): u is on agg's list version,
 * its parent is agg's code, and it is valid during the window.  The
 * expected communes of a district (2021) or a province (2025) node. */
int forms_unit_reports_to(const struct forms_unit *u, const struct forms_unit *agg,
			  struct vn_date from, struct vn_date to);

/* Predecessors: the codes of the units u was formed from, in file order
 * ("02536 02566 02569 02560" for the new Xã Sơn Dương). */
size_t forms_unit_predecessor_count(const struct forms_unit *u);
const char *forms_unit_predecessor_code(const struct forms_unit *u, size_t i);
/* The predecessor i as a unit: the unit with that code, in another list,
 * whose validity ended before u's began (the latest such), or NULL when no
 * loaded list has it.  Codes were reused, so the code alone never says. */
const struct forms_unit *forms_unit_predecessor(const struct forms *fs,
						const struct forms_unit *u, size_t i);
/* The unit formed from u (u among its resolved predecessors), or NULL. */
const struct forms_unit *forms_unit_successor(const struct forms *fs,
					      const struct forms_unit *u);
/* Today's unit of u: u itself when valid on d, else its successor, the
 * successor's successor..., the first valid on d; NULL when none is.  A
 * province view groups a 2021 record of Xã Hợp Thành under Xã Sơn Dương. */
const struct forms_unit *forms_unit_current(const struct forms *fs, const struct forms_unit *u,
					    struct vn_date d);

/* The loaded list versions ("GSO-2021", ...), sorted, each once. */
size_t forms_unit_list_count(const struct forms *fs);
const char *forms_unit_list_at(const struct forms *fs, size_t i);

/* Every unit with code in any list that is valid on d, up to max of them
 * in *out (by list version); returns how many there are (may be > max). */
size_t forms_unit_find_valid(const struct forms *fs, const char *code, struct vn_date d,
			     const struct forms_unit **out, size_t max);

/* `cchc units check FILE`: everything forms_check_file checks, then the
 * meaning of the list: a parent that does not exist in the unit's list
 * version (in the file, or in known), a kind not allowed under its parent's
 * kind (a Thị trấn under a province, a Huyện under a Huyện ...), a commune
 * or district without a parent, a predecessor code that is not digits, and
 * for one code, validity that overlaps another version's in the same file
 * (the code 02536 cannot be Thị trấn Sơn Dương and Xã Sơn Dương on the same
 * day; lists in different files may overlap: init asks which to use).  known (may be NULL): the loaded lists; its units read
 * from the file named replacing (may be NULL: the installed file this one
 * replaces) are left out, and (code, list_version) pairs in known from
 * other files are duplicates.  Each problem "FILE:LINE: message" to sink;
 * 0 good, FORMS_EPARSE, FORMS_EIO, FORMS_ENOMEM. */
int forms_units_check_file(const char *path, const struct forms *known, const char *replacing,
			   const struct forms_sink *sink);

/* forms_load, also reading every NAME.csv in units_dir (the lists people
 * installed with `cchc units import`, e.g. $XDG_DATA_HOME/cchc/units);
 * units_dir NULL or missing: none. */
int forms_load_units(const char *datadir, const char *units_dir, const struct forms_sink *sink,
		     struct forms **out);

/* ----------------------------------------------------------------- fill */

/* Fill a report's dossier statistics from register entries.  The report
 * form's `fill` directives say which register form feeds it, which of its
 * fields hold the received / due / returned dates, which entries are left
 * out (refused, withdrawn), and which class of entry (carried over, received
 * in the window, resolved early/on time/late, pending in time/overdue, late
 * or overdue) with which field codes each report field counts.  The rules
 * (OpenCPS-style, research/domain.md §2.3) are in docs/forms.md, "Fill".
 *
 * Usage: form_fill_begin(); form_fill_add() once per register entry (the
 * caller streams them from storage, any order, entries of other forms are
 * ignored by the caller); form_fill_end() sets every filled report field in
 * *out as canonical integers (other names in *out are left alone);
 * form_fill_free() always.  FORMS_EINVAL from begin when the report form
 * has no fill directives. */
struct form_fill;

/* The register form id the report is filled from, or NULL. */
const char *form_fill_source(const struct form *report);

int form_fill_begin(const struct form *report, const struct forms_period *p,
		    struct form_fill **out);
int form_fill_add(struct form_fill *fill, const struct kv *entry);
int form_fill_end(struct form_fill *fill, struct kv *out);
void form_fill_free(struct form_fill *fill);

/* All of the above for an array of entries. */
int form_fill(const struct form *report, const struct forms_period *p,
	      const struct kv *const *entries, size_t n, struct kv *out);

/* ------------------------------------------------------------- workflow */

/* A periodic report moves Nháp -> Hoàn thành -> Đã duyệt -> Đã gửi -> Đã
 * tiếp nhận (SPEC §4.5); a register entry stays FORM_STATE_DRAFT and is
 * sent on every save.  The rules live here once, for the CLI and the UI. */
enum form_state {
	FORM_STATE_DRAFT = 0,     /* Nháp */
	FORM_STATE_SUBMITTED = 1, /* Hoàn thành: checks passed, waits for approval */
	FORM_STATE_APPROVED = 2,  /* Đã duyệt – chờ gửi: locked, queued (perhaps sealed) */
	FORM_STATE_SENT = 3,      /* Đã gửi: a receiver's receipt says it has the batch */
	FORM_STATE_RECEIVED = 4,  /* Đã tiếp nhận: the district's receipt came back */
	FORM_STATE_RETURNED = 5,  /* Bị trả lại: the district returned it for
				   * correction (its signed message came back);
				   * the leader reopens it as the next revision */
};

enum form_step {
	FORM_STEP_SAVE,    /* create or change fields (also fill) */
	FORM_STEP_DELETE,
	FORM_STEP_SUBMIT,  /* officer: draft -> submitted */
	FORM_STEP_APPROVE, /* leader: submitted -> approved */
	FORM_STEP_REOPEN,  /* leader: approved/sent/received -> a new draft revision */
};

/* Who acts; the caller maps its user roles onto these. */
enum form_actor {
	FORM_ACTOR_OFFICER = 0, /* cán bộ xã */
	FORM_ACTOR_LEADER = 1,  /* lãnh đạo xã */
	FORM_ACTOR_OTHER = 2,   /* anyone else: may only read */
};

enum {
	FORMS_EROLE = -20,  /* this actor may not take this step */
	FORMS_ESTATE = -21, /* not in a state this step starts from */
	FORMS_EKIND = -22,  /* the step does not apply to this kind of form */
};

/* May actor take step on a record of f in state?  0 and *next (the state
 * after the step; a SAVE of a submitted report makes it a draft again, as it
 * must be checked and submitted anew) or FORMS_EROLE / FORMS_ESTATE /
 * FORMS_EKIND; *need_state (may be NULL) names the state the step needs. */
int form_step_check(const struct form *f, int state, enum form_step step, enum form_actor actor,
		    int *next, int *need_state);

/* The checks a step runs before it is taken: DRAFT checks for saving a
 * report, SUBMIT checks for submitting, approving and saving a register
 * entry; -1 when the step runs none (delete, reopen). */
int form_step_checks(const struct form *f, enum form_step step);

/* "Nháp" / "Draft" ...; "draft", "submitted", ... for csv and json. */
const char *form_state_label(int state, enum forms_lang lang);
const char *form_state_name(int state);

#endif
