/*
 * tui/dexport.c: Xuất (export) from the district screens: the path is
 * asked on the status line (an XLSX file, or CSV when it ends in .csv),
 * then the period in view is written with the desk's writers
 * (district_export_xlsx / _csv: write-temp-fsync-rename, so a failure
 * leaves no file) and the result is said.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/vnfmt.h"
#include "tui/district_int.h"

static const struct forms_period *export_period(struct app *a)
{
	size_t n = forms_period_count(a->fs);
	if (!n)
		return NULL;
	if (a->dui->period >= n)
		a->dui->period = 0;
	return forms_period_at(a->fs, a->dui->period);
}

const char *dist_total_name(struct app *a, char *buf, size_t cap)
{
	/* "Toàn huyện", "Toàn tỉnh": the node's unit kind, its first letter small. */
	const struct forms_unit *u = forms_unit_find(a->fs, a->cfg->unit, a->cfg->unit_list);
	char kind[64];
	snprintf(kind, sizeof kind, "%s", u ? forms_unit_kind(u) : "");
	if (kind[0] >= 'A' && kind[0] <= 'Z')
		kind[0] = (char)(kind[0] - 'A' + 'a');
	snprintf(buf, cap, msg_get(a->lang, MSG_DT_EXPORT_TOTAL), kind);
	return buf;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcasecmp(s + n - t, tail) == 0;
}

/* Why a file could not be written, in the user's language. */
static const char *errno_text(struct app *a, int e)
{
	switch (e) {
	case ENOENT: case ENOTDIR: return msg_get(a->lang, MSG_DT_ERRNO_NODIR);
	case EACCES: case EPERM: return msg_get(a->lang, MSG_DT_ERRNO_ACCESS);
	case ENOSPC: case EDQUOT: return msg_get(a->lang, MSG_DT_ERRNO_NOSPC);
	case EROFS: return msg_get(a->lang, MSG_DT_ERRNO_ROFS);
	default: return strerror(e ? e : EIO);
	}
}

static int write_export(struct app *a, const char *path)
{
	struct district *desk = dist_desk(a);
	const struct forms_period *p = export_period(a);
	struct district_status st;
	struct district_summary sm;
	if (!desk || !p)
		return R_DONE;
	const char *pid = forms_period_id(p);
	int err = district_status(desk, pid, NULL, &st);
	if (err) {
		app_status(a, ST_ERROR, MSG_DT_E_DESK, district_strerror(err));
		return R_DONE;
	}
	if ((err = district_summary(desk, pid, NULL, &sm))) {
		district_status_free(&st);
		app_status(a, ST_ERROR, MSG_DT_E_DESK, district_strerror(err));
		return R_DONE;
	}
	const struct forms_unit *u = district_unit(desk);
	char title[400], total[300];
	const char *uname = u ? forms_unit_name(u) : a->cfg->unit;
	/* The same title and total row as `cchc export` (cli/cmd_district.c). */
	snprintf(title, sizeof title, "%s – %s", uname, forms_period_name(p, a->flang));
	snprintf(total, sizeof total, "%s (%s)", msg_get(a->lang, MSG_D_X_TOTAL), uname);
	struct district_export ex = {a->flang, title, total};
	int csv = ends_with(path, ".csv");
	errno = 0;
	err = csv ? district_export_csv(&st, &sm, &ex, path) : district_export_xlsx(&st, &sm, &ex, path);
	int saved = errno;
	char n[VN_NUM_BUF];
	vn_int_format((int64_t)st.n, n);
	if (err == 0)
		app_status(a, ST_OK, MSG_DT_EXPORTED, pid, n, csv ? "CSV" : "XLSX", path);
	else if (err == DISTRICT_EIO)
		app_status(a, ST_ERROR, MSG_DT_E_EXPORT_IO, path, errno_text(a, saved));
	else
		app_status(a, ST_ERROR, MSG_DT_E_EXPORT, path, district_strerror(err));
	district_summary_free(&sm);
	district_status_free(&st);
	return R_DONE;
}

int dist_export_ask(struct app *a)
{
	const struct forms_period *p = export_period(a);
	char path[128], q[256];
	if (!p)
		return R_DONE;
	snprintf(path, sizeof path, "cchc-%s.xlsx", forms_period_id(p));
	snprintf(q, sizeof q, msg_get(a->lang, MSG_DT_EXPORT_ASK), forms_period_id(p));
	tprompt_start(a, q, path, 0, write_export);
	app_status(a, ST_NORMAL, MSG_T_EMPTY);
	return R_DONE;
}
