/*
 * cli/cmd_district.c: the district desk's commands, on an aggregating node
 * (district or province), for roles huyen and quantri:
 *   cchc status  --period P [--unit CODE] [--format table|csv|json]
 *   cchc summary --period P [--unit CODE] [--format table|csv|json]
 *   cchc export  --period P --format xlsx|csv --out FILE [--unit CODE]
 * The figures come from district/ (the same ones the district screens
 * show); this file parses, prints and maps errors to exit codes.
 * Printing the three formats is in cli/district_print.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_district.h"

static void list_periods(struct cli *c)
{
	for (size_t i = 0; i < forms_period_count(c->forms); i++) {
		const struct forms_period *p = forms_period_at(c->forms, i);
		fprintf(stderr, "  %-10s %s\n", forms_period_id(p), forms_period_name(p, forms_lang(c)));
	}
}

/* Parse the options; 0 or an exit code (after the usage text). */
static int parse(struct cli *c, int argc, char **argv, enum msg_id usage, struct desk_args *a)
{
	memset(a, 0, sizeof *a);
	a->format = "table";
	for (int i = 1; i < argc; i++) {
		const char **slot = NULL;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(cli_msg(c, usage), stdout);
			return -1;
		}
		if (strcmp(argv[i], "--period") == 0)
			slot = &a->period;
		else if (strcmp(argv[i], "--unit") == 0)
			slot = &a->unit;
		else if (strcmp(argv[i], "--format") == 0)
			slot = &a->format;
		else if (strcmp(argv[i], "--out") == 0 && usage == MSG_D_USAGE_EXPORT)
			slot = &a->out;
		if (!slot || i + 1 >= argc) {
			if (slot)
				cli_err(c, MSG_OPT_NEEDS_VALUE, argv[i]);
			fputs(cli_msg(c, usage), stderr);
			return EXIT_USAGE;
		}
		*slot = argv[++i];
	}
	if (!a->period) {
		fputs(cli_msg(c, usage), stderr);
		return EXIT_USAGE;
	}
	return 0;
}

/* Map a district/ error to a message and an exit code. */
static int desk_fail(struct cli *c, const struct desk_args *a, int err)
{
	switch (err) {
	case DISTRICT_ENOPERIOD:
		cli_err(c, MSG_E_UNKNOWN_PERIOD, a->period);
		list_periods(c);
		return EXIT_DATAERR;
	case DISTRICT_ENOUNIT:
		cli_err(c, MSG_D_E_NOT_EXPECTED, a->unit, a->period, c->conf.unit, a->period);
		return EXIT_DATAERR;
	case DISTRICT_ENOFORM:
		cli_err(c, MSG_D_E_NO_REPORT_FORM);
		return EXIT_CONFIG;
	case DISTRICT_ENOMEM:
		cli_err(c, MSG_D_E_EXPORT_WRITE, "-", strerror(ENOMEM));
		return EXIT_SOFTWARE;
	default:
		return cli_store_fail(c, err);
	}
}

/* Log in (huyen or quantri) on an aggregating node and read the desk. */
static int open_desk(struct cli *c, const char *cmd, struct district **d)
{
	int rc;
	if ((rc = cli_forms(c)) ||
	    (rc = cli_login(c, ROLE(STORE_ROLE_HUYEN) | ROLE(STORE_ROLE_QUANTRI))))
		return rc;
	if (c->conf.kind == NODE_COMMUNE) {
		cli_err(c, MSG_E_DISTRICT_ONLY, cmd);
		return EXIT_USAGE;
	}
	int err = district_open(c->store, c->forms, c->conf.unit, NULL, d);
	if (err) {
		struct desk_args none = {0};
		return desk_fail(c, &none, err);
	}
	return 0;
}

static int format_ok(const char *f)
{
	return !strcmp(f, "table") || !strcmp(f, "csv") || !strcmp(f, "json");
}

int cmd_status(struct cli *c, int argc, char **argv)
{
	struct desk_args a;
	struct district *d = NULL;
	struct district_status st;
	int rc = parse(c, argc, argv, MSG_D_USAGE_STATUS, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!format_ok(a.format)) {
		fputs(cli_msg(c, MSG_D_USAGE_STATUS), stderr);
		return EXIT_USAGE;
	}
	if ((rc = open_desk(c, "status", &d)))
		return rc;
	int err = district_status(d, a.period, a.unit, &st);
	if (err)
		rc = desk_fail(c, &a, err);
	else
		print_status(c, &a, &st);
	if (!err)
		district_status_free(&st);
	district_free(d);
	return rc;
}

int cmd_summary(struct cli *c, int argc, char **argv)
{
	struct desk_args a;
	struct district *d = NULL;
	struct district_summary sm;
	int rc = parse(c, argc, argv, MSG_D_USAGE_SUMMARY, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!format_ok(a.format)) {
		fputs(cli_msg(c, MSG_D_USAGE_SUMMARY), stderr);
		return EXIT_USAGE;
	}
	if ((rc = open_desk(c, "summary", &d)))
		return rc;
	int err = district_summary(d, a.period, a.unit, &sm);
	if (err)
		rc = desk_fail(c, &a, err);
	else {
		print_summary(c, &a, district_unit(d), &sm);
		print_warnings(c, &sm);
		district_summary_free(&sm);
	}
	district_free(d);
	return rc;
}

static int export_write(struct cli *c, const struct desk_args *a, const struct district *d,
			const struct district_status *st, const struct district_summary *sm)
{
	const struct forms_unit *u = district_unit(d);
	char title[400], total[300];
	const char *uname = u ? forms_unit_name(u) : c->conf.unit;
	snprintf(title, sizeof title, "%s – %s", uname,
		 forms_period_name(st->period, forms_lang(c)));
	snprintf(total, sizeof total, "%s (%s)", cli_msg(c, MSG_D_X_TOTAL), uname);
	struct district_export ex = {forms_lang(c), title, total};
	int err = strcmp(a->format, "xlsx") == 0 ? district_export_xlsx(st, sm, &ex, a->out)
						 : district_export_csv(st, sm, &ex, a->out);
	if (err == DISTRICT_EIO || err == DISTRICT_EXLSX) {
		cli_err(c, MSG_D_E_EXPORT_WRITE, a->out, err == DISTRICT_EIO ? strerror(errno)
									 : district_strerror(err));
		return err == DISTRICT_EIO ? EXIT_CANTCREAT : EXIT_SOFTWARE;
	}
	if (err)
		return desk_fail(c, a, err);
	cli_out(c, MSG_D_EXPORT_DONE, a->out, st->n, sm->n_rates, forms_period_id(st->period));
	return 0;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	struct desk_args a;
	struct district *d = NULL;
	struct district_status st;
	struct district_summary sm;
	int rc = parse(c, argc, argv, MSG_D_USAGE_EXPORT, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!a.out || (strcmp(a.format, "xlsx") && strcmp(a.format, "csv"))) {
		cli_err(c, MSG_D_E_EXPORT_NEEDS);
		fputs(cli_msg(c, MSG_D_USAGE_EXPORT), stderr);
		return EXIT_USAGE;
	}
	if ((rc = open_desk(c, "export", &d)))
		return rc;
	int err = district_status(d, a.period, a.unit, &st);
	if (err) {
		rc = desk_fail(c, &a, err);
		goto out;
	}
	if ((err = district_summary(d, a.period, a.unit, &sm))) {
		rc = desk_fail(c, &a, err);
		district_status_free(&st);
		goto out;
	}
	rc = export_write(c, &a, d, &st, &sm);
	print_warnings(c, &sm);
	district_summary_free(&sm);
	district_status_free(&st);
out:
	district_free(d);
	return rc;
}
