/*
 * cli/cmd_return.c: `cchc record return ID --reason TEXT` at the district
 * (role huyen), and how a returned report shows at the district.
 *
 * A return is about the latest revision the district received of a
 * commune's report; sync_return_report (sync/return.c) records it and
 * queues the signed message in receipts/<commune>.ccr, which the receiver
 * hands to the commune's `sync push` and which a USB stick carries.
 * The district keeps every revision (store/sync.c); a resent report is the
 * next revision, which has no return, so the report counts again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/records.h"
#include "core/secret.h"
#include "core/text.h"
#include "core/vnfmt.h"
#include "sync/sync.h"

/* The reason in NFC, 1..SYNC_REASON_MAX bytes, no control or invisible
 * format characters but new lines (sync_reason_ok): 0, or -1. */
static int reason_clean(const char *in, char out[SYNC_REASON_MAX + 1])
{
	char *nfc = NULL;
	size_t n = 0;
	if (!in || utf8_validate(in, strlen(in)) != 0 || text_nfc(in, strlen(in), &nfc, &n) != 0)
		return -1;
	int ok = sync_reason_ok(nfc, n);
	if (ok)
		memcpy(out, nfc, n + 1);
	free(nfc);
	return ok ? 0 : -1;
}

static int return_args(struct cli *c, int argc, char **argv, const char **id, char *reason)
{
	const char *text = NULL;
	*id = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc)
			text = argv[++i];
		else if (!*id && argv[i][0] != '-')
			*id = argv[i];
		else
			*id = NULL, i = argc;
	}
	if (!*id) {
		fputs(cli_msg(c, MSG_USAGE_RECORD_RETURN), stderr);
		return EXIT_USAGE;
	}
	if (reason_clean(text, reason) != 0) {
		cli_err(c, MSG_E_RETURN_REASON);
		return EXIT_USAGE;
	}
	return 0;
}

int rec_return(struct cli *c, int argc, char **argv)
{
	const char *idtext;
	char reason[SYNC_REASON_MAX + 1], hex[2 * STORE_ID_BYTES + 1], path[4200];
	int rc = return_args(c, argc, argv, &idtext, reason);
	if (rc || (rc = cli_forms(c)) || (rc = cli_login(c, ROLE(STORE_ROLE_HUYEN))))
		return rc;
	if (c->conf.kind != NODE_DISTRICT) {
		cli_err(c, MSG_E_DISTRICT_ONLY, "record return");
		return EXIT_USAGE;
	}
	struct store_record r;
	store_record_init(&r);
	if ((rc = rec_find(c, idtext, &r)))
		goto out;
	id_hex(r.id, hex);
	snprintf(path, sizeof path, "%s/receipts/%s.ccr", c->home, r.unit);
	struct store_return sr;
	int again, store_err;
	int err = sync_return_report(c->store, c->home, c->conf.unit, &r, reason, &sr, &again,
				     &store_err);
	switch (err) {
	case SYNC_OK:
		break;
	case SYNC_EUNKNOWN:
		cli_err(c, MSG_E_RETURN_NOT_REPORT, idtext);
		rc = EXIT_DATAERR;
		goto out;
	case SYNC_EKEY:
	case SYNC_EREVOKED:
		cli_err(c, MSG_E_RETURN_COMMUNE, r.unit);
		rc = EXIT_DATAERR;
		goto out;
	case SYNC_ESTORE:
		rc = cli_store_fail(c, store_err);
		goto out;
	default:
		cli_err(c, MSG_E_RETURN_SEND, path, sync_strerror(err));
		rc = EXIT_IOERR;
		goto out;
	}
	if (again) {
		char when[VN_TIME_BUF];
		vn_time_format(sr.at, when);
		cli_out(c, MSG_RETURN_ALREADY, hex, r.revision, when, sr.by, sr.reason, path);
	} else {
		cli_out(c, MSG_RETURN_DONE, hex, r.revision, r.unit, sr.reason, path);
	}
out:
	store_record_clear(&r);
	return rc;
}

int rec_return_overlay(struct cli *c, struct store_record *r)
{
	if (c->conf.kind != NODE_DISTRICT || !r->period[0] || r->deleted)
		return 0;
	struct store_return sr;
	int err = store_return_get(c->store, r->id, r->revision, &sr);
	/* What the commune's copy said about an earlier return is not the
	 * district's word about this revision. */
	kv_del(&r->fields, STORE_FIELD_RETURN_REASON);
	r->returned_revision = 0;
	r->returned_at = 0;
	if (err == STORE_ENOTFOUND)
		return 0;
	if (err)
		return err;
	r->state = FORM_STATE_RETURNED;
	r->returned_revision = r->revision;
	r->returned_at = sr.at;
	return kv_set(&r->fields, STORE_FIELD_RETURN_REASON, sr.reason) ? STORE_ENOMEM : 0;
}

const char *rec_return_reason(const struct store_record *r)
{
	const char *why = kv_get(&r->fields, STORE_FIELD_RETURN_REASON);
	if (!why || r->deleted)
		return NULL;
	if (r->state == FORM_STATE_RETURNED)
		return why;
	/* Being corrected: the revision after the returned one, not yet
	 * approved.  Once approved the return is history (kept in the record
	 * and its saves, not shown). */
	int correcting = r->state == FORM_STATE_DRAFT || r->state == FORM_STATE_SUBMITTED;
	return correcting && r->revision == r->returned_revision + 1 ? why : NULL;
}
