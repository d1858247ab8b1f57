/*
 * district/csv.c: the export as one CSV table for Excel and scripts: UTF-8
 * with a BOM, CRLF line ends, RFC 4180 quoting through core/csv.c (no cell
 * can start a formula; codes stay text with their leading zeros).  Each
 * line is a unit's completeness then its indicators; the two total lines
 * close it.  Counts are plain integers, rates fractions with a '.'
 * (0.625, 15 digits, as in `summary --format json`), "–" for a zero denominator,
 * times ISO 8601 with +07:00.
 */
#include <inttypes.h>
#include <string.h>

#include "core/csv.h"
#include "core/vnfmt.h"
#include "district/export.h"

struct csv_sink {
	struct xsink x;
	FILE *f;
	int first; /* no comma before the first cell of a line */
};

static void sep(struct csv_sink *c)
{
	if (!c->first)
		fputc(',', c->f);
	c->first = 0;
}

static int csv_head(struct xsink *x, int sheet, const struct xhead *h)
{
	struct csv_sink *c = (struct csv_sink *)x;
	char buf[400];
	(void)sheet;
	sep(c);
	if (h->group)
		snprintf(buf, sizeof buf, "%s – %s", h->group, h->label);
	else
		snprintf(buf, sizeof buf, "%s", h->label);
	csv_cell(c->f, buf);
	return 0;
}

static int csv_put(struct xsink *x, int sheet, const struct xcell *cell)
{
	struct csv_sink *c = (struct csv_sink *)x;
	char buf[64];
	(void)sheet;
	sep(c);
	switch (cell->kind) {
	case XC_TEXT: csv_cell(c->f, cell->text); break;
	case XC_INT: fprintf(c->f, "%" PRId64, cell->num); break;
	case XC_RATE:
		if (cell->den)
			fprintf(c->f, "%.15g", (double)cell->num / (double)cell->den);
		else
			fputs("–", c->f);
		break;
	case XC_TIME:
		vn_time_iso(cell->time, buf);
		fputs(buf, c->f);
		break;
	default: break;
	}
	return 0;
}

static int csv_end(struct xsink *x, int sheet)
{
	(void)x, (void)sheet;
	return 0;
}

static void line_end(struct csv_sink *c)
{
	fputs("\r\n", c->f);
	c->first = 1;
}

int export_csv_write(FILE *f, struct xlayout *l)
{
	struct csv_sink c = {{csv_head, csv_put, csv_end}, f, 1};
	int rc;
	fputs("\xEF\xBB\xBF", f);
	if ((rc = layout_heads(l, &c.x, 0, 0)) || (rc = layout_heads(l, &c.x, 1, 1)))
		return rc;
	line_end(&c);
	for (size_t i = 0; i < l->st->n; i++) {
		if ((rc = layout_unit(l, &c.x, 0, i, 0)) || (rc = layout_unit(l, &c.x, 1, i, 1)))
			return rc;
		line_end(&c);
	}
	for (int k = 0; k < LAYOUT_TOTAL_ROWS; k++) {
		if ((rc = layout_total(l, &c.x, 0, k, 0)) || (rc = layout_total(l, &c.x, 1, k, 1)))
			return rc;
		line_end(&c);
	}
	return ferror(f) ? DISTRICT_EIO : 0;
}

static int write_fn(FILE *f, void *arg)
{
	return export_csv_write(f, arg);
}

int district_export_csv(const struct district_status *st, const struct district_summary *sm,
			const struct district_export *ex, const char *path)
{
	struct xlayout l;
	memset(&l, 0, sizeof l);
	l.st = st, l.sm = sm, l.ex = ex;
	return outfile_write(path, write_fn, &l);
}
