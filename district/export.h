/*
 * district/export.h: the export's layout, written once for both formats
 * (private to district/).  layout.c says which cells a sheet holds, row by
 * row; a backend (xlsx.c, csv.c) puts them in its file.  The XLSX has two
 * sheets; the CSV puts each unit's two rows side by side as one line.
 */
#ifndef CCHC_DISTRICT_EXPORT_H
#define CCHC_DISTRICT_EXPORT_H

#include "district/internal.h"

enum xcell_kind {
	XC_EMPTY = 0,
	XC_TEXT,  /* text (codes too: kept as text, leading zeros and all) */
	XC_INT,   /* a count */
	XC_RATE,  /* num / den as a fraction, percent-formatted; den 0: "–" */
	XC_TIME,  /* an instant, shown in Vietnam time; 0: empty */
};

struct xcell {
	enum xcell_kind kind;
	const char *text;   /* XC_TEXT */
	int64_t num, den;   /* XC_INT: num; XC_RATE */
	int64_t time;       /* XC_TIME */
	int bold;
};

/* A header cell: group (a rate's label over its columns, or NULL) and the
 * column's own label. */
struct xhead {
	const char *group;
	const char *label;
};

struct xsink {
	/* sheet 0: completeness, 1: indicators.  Cells of a row come left to
	 * right, then row_end. */
	int (*head)(struct xsink *x, int sheet, const struct xhead *h);
	int (*cell)(struct xsink *x, int sheet, const struct xcell *c);
	int (*row_end)(struct xsink *x, int sheet);
};

/* The rows of the export.  The layout calls the sink; a non-zero return
 * stops it and is returned. */
struct xlayout {
	const struct district_status *st;
	const struct district_summary *sm;
	const struct district_export *ex;
	char buf[256]; /* a formatted header or cell text, valid during the call */
};

int layout_heads(struct xlayout *l, struct xsink *x, int sheet, int skip_names);
/* Row i of the units (0 <= i < st->n), sheet 0 or 1.  On sheet 1 with
 * skip_names the code and name columns are left out (the CSV line has them
 * already from sheet 0). */
int layout_unit(struct xlayout *l, struct xsink *x, int sheet, size_t i, int skip_names);
/* The total rows: k = 0 the sums, k = 1 the completeness rates. */
int layout_total(struct xlayout *l, struct xsink *x, int sheet, int k, int skip_names);
#define LAYOUT_TOTAL_ROWS 2

/* The backends (csv.c, xlsx.c) drive the layout; l is set up by them. */
int export_csv_write(FILE *f, struct xlayout *l);

#endif
