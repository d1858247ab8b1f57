/*
 * cli/periods.h: reporting periods in the commands (cli/cmd_periods.c):
 * `cchc periods list`, the periods `record new` offers, the note on a
 * report made for a closed period, and the deadline warning of
 * `sync status`.  Private to cli/.
 */
#ifndef CCHC_CLI_PERIODS_H
#define CCHC_CLI_PERIODS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
#include "forms/forms.h"

/* Days before a deadline from which it is announced, when node.conf has
 * no `[periods] warn_days`. */
#define CLI_WARN_DAYS_DEFAULT 5

/* "trước 10/03/2026" / "đến hết 10/03/2026" (before / by the end of). */
void cli_period_deadline_text(const struct cli *c, const struct forms_period *p, char *buf,
			      size_t cap);
/* One line per period to offer now (forms_period_offer: open first, then
 * closed, latest first), with its state and deadline, to f. */
void cli_periods_offer(struct cli *c, FILE *f);
/* On stderr: a note when p is closed (the report will be late) or has not
 * begun.  Nothing for an open period. */
void cli_period_note_state(struct cli *c, const struct forms_period *p);
/* The warning for the open period with the soonest deadline when at most
 * `days` days (counting today) are left to send it: 1 and the sentence in
 * buf, else 0.  Logged in, a period whose report is approved (or sent,
 * received) is skipped: nothing is left to do for it. */
int cli_deadline_warning(struct cli *c, const struct forms *fs, int64_t now, int days,
			 char *buf, size_t cap);

/* After "no period ID": for YEAR-Q4, a line saying the annual report
 * YEAR-Y stands for the fourth quarter (when there is one). */
void cli_period_hint(struct cli *c, const char *id);

/* sync status: the warning above on stdout, on its own line, when there
 * is one (days: node.conf's warn_days, else CLI_WARN_DAYS_DEFAULT). */
void cli_print_deadline_warning(struct cli *c);

#endif
