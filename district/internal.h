/*
 * district/internal.h: what the files of district/ share; only they include it.
 *
 *   desk.c     district_open: one walk over the report revisions, grouped
 *              into one report per (unit, period); expected units; errors
 *   status.c   completeness per period and the state of one report
 *   summary.c  rates per unit and in total, cross-period warnings
 *   xlsx.c     the XLSX workbook (the only file that includes xlsxwriter.h)
 *   csv.c      the CSV table
 *   outfile.c  write-temp-fsync-rename for the export files
 */
#ifndef CCHC_DISTRICT_INTERNAL_H
#define CCHC_DISTRICT_INTERNAL_H

#include <stdio.h>

#include "core/kv.h"
#include "district/district.h"

/* One report (one record id) as the district holds it: its revisions
 * folded into what the figures need.  Reports of other forms and
 * tombstones are left out at open. */
struct desk_report {
	uint8_t id[STORE_ID_BYTES];
	char unit[16];
	char period[16];
	char form[STORE_NAME_MAX];
	uint32_t form_version;
	uint32_t revisions;
	uint32_t first_rev, latest_rev;
	int64_t first_received, first_approved;
	int64_t latest_received, latest_approved;
	uint32_t latest_version; /* the commune's save counter of latest_rev */
	int latest_state;        /* enum form_state of latest_rev */
	int deleted;             /* the latest copy is a tombstone */
	int latest_returned;     /* latest_rev was returned for correction
				  * (store_return_get), not resent since */
	struct kv fields;        /* latest_rev's fields */
};

struct district {
	const struct forms *fs;
	const struct form *form;
	const struct forms_unit *unit; /* may be NULL */
	char unit_code[16];
	struct desk_report *r; /* sorted by (period, unit, latest_received) */
	size_t n, cap;
};

/* The report that counts for (unit, period), or NULL. */
const struct desk_report *desk_find(const struct district *d, const char *unit,
				    const char *period);

/* The expected units of p, optionally only `unit` (DISTRICT_ENOUNIT when it
 * is not one of them). */
int desk_units(const struct district *d, const struct forms_period *p, const char *unit,
	       const struct forms_unit ***units, size_t *n);

/* The state of one expected unit's report (NULL: nothing received). */
enum district_state desk_state(const struct forms_period *p, const struct desk_report *r);

/* outfile.c: open a temp file beside path (0644), write with fn, flush,
 * fsync, rename over path, fsync the directory.  On any failure the temp
 * file is removed and path is untouched.  fn returns 0 or a DISTRICT_E*
 * code.  The xlsx writer needs a path, not a FILE: outfile_temp_path and
 * outfile_commit do the same for a file written by name. */
int outfile_write(const char *path, int (*fn)(FILE *f, void *arg), void *arg);
int outfile_temp_path(const char *path, char *tmp, size_t cap);
int outfile_commit(const char *tmp, const char *path);

#endif
