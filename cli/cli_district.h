/*
 * cli/cli_district.h: the district desk's commands (cmd_district.c) and
 * their printing (district_print.c).  Private to cli/; main.c includes it
 * for the command table.
 */
#ifndef CCHC_CLI_CLI_DISTRICT_H
#define CCHC_CLI_CLI_DISTRICT_H

#include "cli/cli.h"
#include "district/district.h"

int cmd_status(struct cli *c, int argc, char **argv);
int cmd_summary(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);

struct desk_args {
	const char *period, *unit, *format, *out;
};

/* stdout in a->format (table, csv, json). */
void print_status(struct cli *c, const struct desk_args *a, const struct district_status *st);
void print_summary(struct cli *c, const struct desk_args *a, const struct forms_unit *agg,
		   const struct district_summary *sm);
/* Each warning of sm as one line on stderr, in the user's language. */
void print_warnings(struct cli *c, const struct district_summary *sm);

#endif
