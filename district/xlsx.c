/*
 * district/xlsx.c: the export as an XLSX workbook (libxlsxwriter; the only
 * file of the program that includes it).
 *
 * Two sheets, completeness and indicators.  Headers bold on a grey fill,
 * frozen (with the code and name columns), widths from the longest text of
 * each column; counts are number cells ("#,##0", Excel shows them in the
 * reader's locale), rates number cells with a "0.0%" format (the fraction
 * itself, 0.625), times Excel date-times in Vietnam time.  A zero
 * denominator is the text "–".  Totals are values, the very figures of
 * `summary`, on bold rows.  The indicator sheet has two header rows: a
 * rate's label merged over its four columns, then the columns.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/msg.h"
#include "core/text.h"
#include "core/vnfmt.h"
#include "district/export.h"

enum { F_HEAD, F_TEXT, F_INT, F_PCT, F_TIME, F_DASH, F_NKIND };

struct xlsx_sink {
	struct xsink x;
	lxw_workbook *wb;
	lxw_worksheet *ws[2];
	lxw_format *fmt[F_NKIND][2]; /* [kind][bold] */
	lxw_row_t row[2];
	lxw_col_t col[2];
	int heads[2];            /* header rows of the sheet (1 or 2) */
	double *width[2];        /* per column */
	size_t ncols[2];
	const char *group;       /* the merge under way on the indicator sheet */
	lxw_col_t group_from;
	int err;
};

static lxw_format *make_fmt(lxw_workbook *wb, const char *num, int bold, int head)
{
	lxw_format *f = workbook_add_format(wb);
	if (num)
		format_set_num_format(f, num);
	if (bold)
		format_set_bold(f);
	if (head) {
		format_set_text_wrap(f);
		format_set_align(f, LXW_ALIGN_CENTER);
		format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
		format_set_bg_color(f, 0xDDDDDD);
		format_set_border(f, LXW_BORDER_THIN);
	}
	return f;
}

static void make_formats(struct xlsx_sink *s)
{
	for (int b = 0; b < 2; b++) {
		s->fmt[F_HEAD][b] = make_fmt(s->wb, NULL, 1, 1);
		s->fmt[F_TEXT][b] = make_fmt(s->wb, NULL, b, 0);
		s->fmt[F_INT][b] = make_fmt(s->wb, "#,##0", b, 0);
		s->fmt[F_PCT][b] = make_fmt(s->wb, "0.0%", b, 0);
		s->fmt[F_TIME][b] = make_fmt(s->wb, "dd/mm/yyyy hh:mm", b, 0);
		s->fmt[F_DASH][b] = make_fmt(s->wb, NULL, b, 0);
		format_set_align(s->fmt[F_DASH][b], LXW_ALIGN_RIGHT);
	}
}

/* Remember the widest cell of a column (in characters). */
static void fit(struct xlsx_sink *s, int sheet, lxw_col_t col, double w)
{
	if (col >= s->ncols[sheet]) {
		size_t n = (size_t)col + 16;
		double *nw = realloc(s->width[sheet], n * sizeof *nw);
		if (!nw) {
			s->err = DISTRICT_ENOMEM;
			return;
		}
		for (size_t i = s->ncols[sheet]; i < n; i++)
			nw[i] = 0;
		s->width[sheet] = nw, s->ncols[sheet] = n;
	}
	if (w > s->width[sheet][col])
		s->width[sheet][col] = w;
}

static int check(struct xlsx_sink *s, lxw_error e)
{
	if (e != LXW_NO_ERROR && !s->err)
		s->err = DISTRICT_EXLSX;
	return s->err;
}

static void close_group(struct xlsx_sink *s)
{
	lxw_col_t last = s->col[1] - 1;
	if (!s->group)
		return;
	if (last > s->group_from)
		check(s, worksheet_merge_range(s->ws[1], 0, s->group_from, 0, last, s->group,
					       s->fmt[F_HEAD][1]));
	else
		check(s, worksheet_write_string(s->ws[1], 0, s->group_from, s->group,
						s->fmt[F_HEAD][1]));
	s->group = NULL;
}

static int x_head(struct xsink *x, int sheet, const struct xhead *h)
{
	struct xlsx_sink *s = (struct xlsx_sink *)x;
	lxw_row_t row = (lxw_row_t)(s->heads[sheet] - 1);
	lxw_col_t col = s->col[sheet];
	if (sheet == 1 && (!h->group || !s->group || strcmp(h->group, s->group) != 0)) {
		close_group(s);
		if (h->group)
			s->group = h->group, s->group_from = col;
	}
	if (sheet == 1 && !h->group) /* code, name: one cell over both header rows */
		check(s, worksheet_merge_range(s->ws[1], 0, col, row, col, h->label,
					       s->fmt[F_HEAD][1]));
	else
		check(s, worksheet_write_string(s->ws[sheet], row, col, h->label,
						s->fmt[F_HEAD][1]));
	/* Headers wrap: half their length is enough, a long one not past 24. */
	double w = text_width(h->label) * (h->group ? 1.0 : 0.6) + 2;
	fit(s, sheet, col, w > 24 ? 24 : w);
	s->col[sheet]++;
	return s->err;
}

static void vn_datetime(int64_t t, lxw_datetime *dt)
{
	int64_t local = t + VN_UTC_OFFSET;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t secs = local - days * 86400;
	struct vn_date d = vn_date_from_days((int32_t)days);
	dt->year = d.y, dt->month = d.m, dt->day = d.d;
	dt->hour = (int)(secs / 3600), dt->min = (int)(secs / 60 % 60), dt->sec = (double)(secs % 60);
}

static int x_cell(struct xsink *x, int sheet, const struct xcell *c)
{
	struct xlsx_sink *s = (struct xlsx_sink *)x;
	lxw_worksheet *ws = s->ws[sheet];
	lxw_row_t r = s->row[sheet];
	lxw_col_t col = s->col[sheet]++;
	int b = c->bold != 0;
	char buf[VN_NUM_BUF];
	lxw_datetime dt;
	switch (c->kind) {
	case XC_TEXT:
		check(s, worksheet_write_string(ws, r, col, c->text, s->fmt[F_TEXT][b]));
		fit(s, sheet, col, text_width(c->text) + 2);
		break;
	case XC_INT:
		check(s, worksheet_write_number(ws, r, col, (double)c->num, s->fmt[F_INT][b]));
		fit(s, sheet, col, (double)vn_int_format(c->num, buf) + 2);
		break;
	case XC_RATE:
		if (c->den)
			check(s, worksheet_write_number(ws, r, col, (double)c->num / (double)c->den,
							s->fmt[F_PCT][b]));
		else
			check(s, worksheet_write_string(ws, r, col, "–", s->fmt[F_DASH][b]));
		fit(s, sheet, col, 8);
		break;
	case XC_TIME:
		vn_datetime(c->time, &dt);
		check(s, worksheet_write_datetime(ws, r, col, &dt, s->fmt[F_TIME][b]));
		fit(s, sheet, col, 17);
		break;
	default:
		if (b)
			check(s, worksheet_write_blank(ws, r, col, s->fmt[F_TEXT][b]));
		break;
	}
	return s->err;
}

static int x_end(struct xsink *x, int sheet)
{
	struct xlsx_sink *s = (struct xlsx_sink *)x;
	if (sheet == 1 && s->row[1] < (lxw_row_t)s->heads[1])
		close_group(s);
	s->row[sheet]++;
	s->col[sheet] = 0;
	return s->err;
}

static void set_widths(struct xlsx_sink *s)
{
	for (int sh = 0; sh < 2; sh++)
		for (size_t i = 0; i < s->ncols[sh] && s->width[sh][i] > 0; i++)
			check(s, worksheet_set_column(s->ws[sh], (lxw_col_t)i, (lxw_col_t)i,
						      s->width[sh][i], NULL));
}

static int fill(struct xlayout *l, struct xlsx_sink *s)
{
	struct xsink *x = &s->x;
	for (int sh = 0; sh < 2; sh++) {
		if (layout_heads(l, x, sh, 0) || x_end(x, sh))
			return s->err;
		s->row[sh] = (lxw_row_t)s->heads[sh];
		for (size_t i = 0; i < l->st->n; i++)
			if (layout_unit(l, x, sh, i, 0) || x_end(x, sh))
				return s->err;
		for (int k = 0; k < (sh == 0 ? LAYOUT_TOTAL_ROWS : 1); k++)
			if (layout_total(l, x, sh, k, 0) || x_end(x, sh))
				return s->err;
		worksheet_freeze_panes(s->ws[sh], (lxw_row_t)s->heads[sh], 2);
	}
	set_widths(s);
	return s->err;
}

static int write_book(struct xlayout *l, const char *tmp)
{
	enum msg_lang ml = l->ex->lang == FORMS_LANG_EN ? LANG_EN : LANG_VI;
	struct xlsx_sink s;
	memset(&s, 0, sizeof s);
	s.x = (struct xsink){x_head, x_cell, x_end};
	s.heads[0] = 1, s.heads[1] = 2;
	if (!(s.wb = workbook_new(tmp)))
		return DISTRICT_EIO;
	make_formats(&s);
	s.ws[0] = workbook_add_worksheet(s.wb, msg_get(ml, MSG_D_X_SHEET_STATUS));
	s.ws[1] = workbook_add_worksheet(s.wb, msg_get(ml, MSG_D_X_SHEET_RATES));
	if (!s.ws[0] || !s.ws[1])
		s.err = DISTRICT_EXLSX;
	if (!s.err && l->ex->title) {
		lxw_doc_properties props = {.title = (char *)l->ex->title};
		check(&s, workbook_set_properties(s.wb, &props));
	}
	if (!s.err)
		fill(l, &s);
	lxw_error e = workbook_close(s.wb);
	if (!s.err && e != LXW_NO_ERROR)
		s.err = e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE
				? DISTRICT_EIO
				: DISTRICT_EXLSX;
	free(s.width[0]);
	free(s.width[1]);
	return s.err;
}

int district_export_xlsx(const struct district_status *st, const struct district_summary *sm,
			 const struct district_export *ex, const char *path)
{
	struct xlayout l;
	char tmp[4200];
	memset(&l, 0, sizeof l);
	l.st = st, l.sm = sm, l.ex = ex;
	int rc = outfile_temp_path(path, tmp, sizeof tmp);
	if (rc)
		return rc;
	/* libxlsxwriter writes the file by name at workbook_close; it goes to
	 * the temp name and is renamed only when whole and synced. */
	if ((rc = write_book(&l, tmp))) {
		unlink(tmp);
		return rc;
	}
	return outfile_commit(tmp, path);
}
