/*
 * cli/records.h: record helpers shared by the record commands (private to cli/).
 */
#ifndef CCHC_CLI_RECORDS_H
#define CCHC_CLI_RECORDS_H

#include "cli/cli.h"
#include "forms/forms.h"

/* Find a record by its id or a unique prefix of 8+ hex digits.  0, or an
 * exit code after a message.  *out must be initialized. */
int rec_find(struct cli *c, const char *idtext, struct store_record *out);

/* The live (not deleted) report of form/unit/period, if any: 1 found, 0 not,
 * <0 a store error. */
int rec_find_report(struct cli *c, const char *form, const char *unit, const char *period,
		    struct store_record *out);

/* The level of this node's unit (commune or district targets). */
enum forms_level rec_level(struct cli *c);

/* Parse "F=V" arguments into canonical values in *vals (empty V clears:
 * stored as ""), reporting every unknown field and bad value.  0 or an
 * exit code after the messages. */
int rec_parse_sets(struct cli *c, const struct form *f, char **args, int n, struct kv *vals);

/* Validate in mode and print every problem; 0 or EXIT_DATAERR. */
int rec_validate(struct cli *c, const struct form *f, const struct store_record *r,
		 enum forms_check mode);

/* The form version a record was made with (older versions stay readable). */
const struct form *rec_form(struct cli *c, const struct store_record *r);

int rec_show(struct cli *c, int argc, char **argv);
/* `record return ID --reason TEXT` (cmd_return.c). */
int rec_return(struct cli *c, int argc, char **argv);
/* At the district: a report whose revision r->revision was returned shows
 * as FORM_STATE_RETURNED with its reason (field STORE_FIELD_RETURN_REASON)
 * and returned_at; otherwise as received, without what the commune's copy
 * says of an earlier return.  Elsewhere r is left alone.  0 or a store
 * error. */
int rec_return_overlay(struct cli *c, struct store_record *r);
/* The district's reason to show with r, or NULL: while r is returned, and
 * while the next revision is corrected (a draft or submitted); not once
 * the corrected report is approved. */
const char *rec_return_reason(const struct store_record *r);
int rec_list(struct cli *c, int argc, char **argv);

#endif
