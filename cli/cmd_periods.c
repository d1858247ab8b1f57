/*
 * cli/cmd_periods.c: `cchc periods list [--year Y] [--format table|json]`,
 * and the period helpers other commands share (cli/periods.h): which
 * periods to offer, the note on a closed period, deadline warnings.
 *
 * Needs no node: the periods are data (forms/defs/NAME.periods), and the state
 * of each is relative to today in Vietnam time (vn_now, CCHC_NOW in test
 * builds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/periods.h"
#include "cli/records.h"
#include "core/text.h"
#include "core/vnfmt.h"
#include "forms/forms.h"

static int usage_periods(struct cli *c, int rc)
{
	fputs(cli_msg(c, MSG_USAGE_PERIODS), rc ? stderr : stdout);
	return rc;
}

/* Print s padded with spaces to w terminal cells. */
static void cell(const char *s, int w)
{
	int pad = w - text_width(s);
	printf("%s%*s", s, pad > 0 ? pad : 0, "");
}

void cli_period_deadline_text(const struct cli *c, const struct forms_period *p, char *buf,
			      size_t cap)
{
	char d[VN_DATE_BUF];
	vn_date_format(forms_period_deadline_date(p), d);
	snprintf(buf, cap,
		 cli_msg(c, forms_period_deadline_inclusive(p) ? MSG_PERIODS_UNTIL : MSG_PERIODS_BEFORE),
		 d);
}

static void row_table(struct cli *c, const struct forms_period *p, int64_t now)
{
	enum forms_lang L = forms_lang(c);
	char a[VN_DATE_BUF], b[VN_DATE_BUF], win[40], dl[64];
	vn_date_format(forms_period_data_from(p), a);
	vn_date_format(forms_period_data_to(p), b);
	snprintf(win, sizeof win, "%s - %s", a, b);
	cli_period_deadline_text(c, p, dl, sizeof dl);
	cell(forms_period_id(p), 9);
	cell(forms_period_name(p, L), 23);
	cell(win, 25);
	cell(dl, 22);
	printf("%s\n", forms_period_state_label(forms_period_state(p, now), L));
}

static void row_json(const struct forms_period *p, int64_t now, int first)
{
	char a[VN_DATE_BUF], b[VN_DATE_BUF], d[VN_DATE_BUF];
	vn_date_iso(forms_period_data_from(p), a);
	vn_date_iso(forms_period_data_to(p), b);
	vn_date_iso(forms_period_deadline_date(p), d);
	printf("%s{\"id\":", first ? "" : ",");
	json_str(stdout, forms_period_id(p));
	printf(",\"year\":%d,\"name\":", forms_period_year(p));
	json_str(stdout, forms_period_name(p, FORMS_LANG_VI));
	printf(",\"name_en\":");
	json_str(stdout, forms_period_name(p, FORMS_LANG_EN));
	printf(",\"data_from\":\"%s\",\"data_to\":\"%s\",\"deadline\":\"%s\",\"deadline_inclusive\":%s",
	       a, b, d, forms_period_deadline_inclusive(p) ? "true" : "false");
	printf(",\"previous\":");
	if (forms_period_previous(p))
		json_str(stdout, forms_period_previous(p));
	else
		printf("null");
	printf(",\"state\":\"%s\",\"generated\":%s,\"overridden\":%s,\"file\":",
	       forms_period_state_name(forms_period_state(p, now)),
	       forms_period_generated(p) ? "true" : "false",
	       forms_period_overridden(p) ? "true" : "false");
	json_str(stdout, forms_period_path(p));
	printf(",\"line\":%d}", forms_period_line(p));
}

static int periods_list(struct cli *c, int argc, char **argv)
{
	int json = 0, year = 0, rc;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--year") && i + 1 < argc) {
			char *end;
			long y = strtol(argv[++i], &end, 10);
			if (*end || y < 1900 || y > 9999) {
				cli_err(c, MSG_E_BAD_YEAR, argv[i]);
				return EXIT_USAGE;
			}
			year = (int)y;
		} else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			const char *f = argv[++i];
			if (!strcmp(f, "json"))
				json = 1;
			else if (strcmp(f, "table") != 0)
				return usage_periods(c, EXIT_USAGE);
		} else {
			return usage_periods(c, EXIT_USAGE);
		}
	}
	if ((rc = cli_forms(c)))
		return rc;
	int64_t now = vn_now();
	size_t shown = 0;
	if (json)
		printf("[");
	else {
		cell(cli_msg(c, MSG_PERIODS_HEAD), 9);
		cell(cli_msg(c, MSG_PERIODS_HEAD_NAME), 23);
		cell(cli_msg(c, MSG_PERIODS_HEAD_WINDOW), 25);
		cell(cli_msg(c, MSG_PERIODS_HEAD_DEADLINE), 22);
		printf("%s\n", cli_msg(c, MSG_PERIODS_HEAD_STATE));
	}
	for (size_t i = 0; i < forms_period_count(c->forms); i++) {
		const struct forms_period *p = forms_period_at(c->forms, i);
		if (year && forms_period_year(p) != year)
			continue;
		if (json)
			row_json(p, now, shown == 0);
		else
			row_table(c, p, now);
		shown++;
	}
	if (json)
		printf("]\n");
	if (year && !shown) {
		cli_err(c, MSG_E_NO_PERIODS_YEAR, year);
		return EXIT_DATAERR;
	}
	return 0;
}

int cmd_periods(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_periods(c, EXIT_USAGE);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage_periods(c, 0);
	if (!strcmp(argv[1], "list")) {
		for (int i = 2; i < argc; i++)
			if (!strcmp(argv[i], "--help"))
				return usage_periods(c, 0);
		return periods_list(c, argc, argv);
	}
	return usage_periods(c, EXIT_USAGE);
}

/* ------------------------------------------------- shared with record new */

void cli_periods_offer(struct cli *c, FILE *f)
{
	enum forms_lang L = forms_lang(c);
	const struct forms_period *v[64];
	int64_t now = vn_now();
	size_t n = forms_period_offer(c->forms, now, v, 64);
	for (size_t i = 0; i < n && i < 64; i++) {
		char d[VN_DATE_BUF], note[128];
		vn_date_format(forms_period_deadline_date(v[i]), d);
		if (forms_period_state(v[i], now) == FORMS_PERIOD_OPEN)
			snprintf(note, sizeof note,
				 cli_msg(c, forms_period_deadline_inclusive(v[i]) ? MSG_OFFER_OPEN_INCL
										  : MSG_OFFER_OPEN),
				 d);
		else
			snprintf(note, sizeof note, cli_msg(c, MSG_OFFER_CLOSED), d);
		fprintf(f, "  %-10s ", forms_period_id(v[i]));
		int pad = 24 - text_width(forms_period_name(v[i], L));
		fprintf(f, "%s%*s %s\n", forms_period_name(v[i], L), pad > 0 ? pad : 0, "", note);
	}
}

void cli_period_note_state(struct cli *c, const struct forms_period *p)
{
	int64_t now = vn_now();
	char d[VN_DATE_BUF], dl[64];
	switch (forms_period_state(p, now)) {
	case FORMS_PERIOD_CLOSED:
		cli_period_deadline_text(c, p, dl, sizeof dl);
		cli_err(c, MSG_W_PERIOD_CLOSED, forms_period_id(p), dl);
		break;
	case FORMS_PERIOD_UPCOMING:
		vn_date_format(forms_period_data_from(p), d);
		cli_err(c, MSG_W_PERIOD_UPCOMING, forms_period_id(p), d);
		break;
	default:
		break;
	}
}

/* Logged in (sync status --user): 1 when this unit's report of p is
 * approved or further along, so no warning is due. */
static int report_done(struct cli *c, const struct forms_period *p)
{
	if (!c->store || !c->user || !store_whoami(c->store))
		return 0;
	int done = 0;
	for (size_t i = 0; i < forms_count(c->forms) && !done; i++) {
		const struct form *f = forms_at(c->forms, i);
		if (form_kind(f) != FORM_KIND_REPORT)
			continue;
		struct store_record r;
		store_record_init(&r);
		if (rec_find_report(c, form_id(f), c->conf.unit, forms_period_id(p), &r) == 1)
			done = r.state >= FORM_STATE_APPROVED;
		store_record_clear(&r);
	}
	return done;
}

int cli_deadline_warning(struct cli *c, const struct forms *fs, int64_t now, int days,
			 char *buf, size_t cap)
{
	enum forms_lang L = forms_lang(c);
	const struct forms_period *v[8];
	size_t n = forms_period_offer(fs, now, v, 8);
	for (size_t i = 0; i < n && i < 8; i++) {
		const struct forms_period *p = v[i];
		if (forms_period_state(p, now) != FORMS_PERIOD_OPEN)
			break;
		int left = forms_period_days_left(p, now);
		if (left > days)
			break;
		if (report_done(c, p))
			continue;
		char d[VN_DATE_BUF];
		vn_date_format(forms_period_deadline_date(p), d);
		if (left <= 1)
			snprintf(buf, cap, cli_msg(c, MSG_W_DEADLINE_TODAY), forms_period_name(p, L), d);
		else
			snprintf(buf, cap, cli_msg(c, MSG_W_DEADLINE_SOON), forms_period_name(p, L), d,
				 left);
		return 1;
	}
	return 0;
}

void cli_print_deadline_warning(struct cli *c)
{
	char buf[512];
	int days = c->conf.warn_days_set ? c->conf.warn_days : CLI_WARN_DAYS_DEFAULT;
	if (days <= 0 || cli_forms(c) != 0)
		return;
	if (cli_deadline_warning(c, c->forms, vn_now(), days, buf, sizeof buf))
		printf("%s\n", buf);
}

void cli_period_hint(struct cli *c, const char *id)
{
	char y[16];
	size_t n = strlen(id);
	if (n < 4 || n >= sizeof y || strcmp(id + n - 3, "-Q4") != 0)
		return;
	snprintf(y, sizeof y, "%.*s-Y", (int)(n - 3), id);
	if (cli_forms(c) == 0 && forms_period_find(c->forms, y))
		cli_err(c, MSG_E_NO_Q4, y);
}
