/*
 * cli/cmd_return.c: `cchc record return ID --reason TEXT` at the district
 * (role huyen), and how a returned report shows at the district.
 *
 * A return is about the latest revision the district received of a
 * commune's report.  Three steps, each safe to repeat:
 *   1. store_return_put: who, when, why, sealed in the district's store
 *      with an audit entry (STORE_EEXIST when that revision was returned:
 *      the first reason stands);
 *   2. sync_return_seal: the message, signed with the district key and
 *      sealed to the commune's enrolled key;
 *   3. sync_mail_post: appended to receipts/<commune>.ccr, which the
 *      receiver hands to the commune's `sync push` and which a USB stick
 *      carries (once per returned revision: repeating the command sends
 *      nothing twice and fills in a message a failed write lost).
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

/* The reason in NFC, 1..SYNC_REASON_MAX bytes, no control characters but
 * new lines: 0, or -1. */
static int reason_clean(const char *in, char out[SYNC_REASON_MAX + 1])
{
	char *nfc = NULL;
	size_t n = 0;
	if (!in || utf8_validate(in, strlen(in)) != 0 || text_nfc(in, strlen(in), &nfc, &n) != 0)
		return -1;
	int ok = n > 0 && n <= SYNC_REASON_MAX;
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char ch = (unsigned char)nfc[i];
		ok = ch == '\n' || (ch >= 0x20 && ch != 0x7f);
	}
	if (ok)
		memcpy(out, nfc, n + 1);
	free(nfc);
	return ok ? 0 : -1;
}

/* The commune's enrolled signing key (not revoked): 0, or an exit code. */
static int commune_pk(struct cli *c, const char *code, const uint8_t dpk[32], uint8_t pk[32])
{
	struct sync_commune *list = NULL;
	size_t n = 0;
	int found = 0;
	if (sync_communes_read(c->home, dpk, &list, &n) == 0)
		for (size_t i = 0; i < n; i++)
			if (strcmp(list[i].code, code) == 0 && !list[i].revoked_at)
				memcpy(pk, list[i].sign_pk, 32), found = 1;
	free(list);
	if (!found) {
		cli_err(c, MSG_E_RETURN_COMMUNE, code);
		return EXIT_DATAERR;
	}
	return 0;
}

/* Steps 2 and 3. */
static int send_return(struct cli *c, const struct store_record *r, const struct store_return *sr,
		       const char *path)
{
	void *sk = NULL, *pkv = NULL;
	size_t sklen = 0, pklen = 0;
	uint8_t cpk[32], *msg = NULL;
	size_t mlen = 0;
	int err = store_meta_get(c->store, "sign_sk", &sk, &sklen);
	if (!err && (err = store_meta_get(c->store, "sign_pk", &pkv, &pklen)) == 0 &&
	    (sklen != 64 || pklen != 32))
		err = STORE_EDAMAGED;
	int rc = err ? cli_store_fail(c, err) : commune_pk(c, r->unit, pkv, cpk);
	if (rc)
		goto out;
	struct sync_return ret;
	memset(&ret, 0, sizeof ret);
	memcpy(ret.record, r->id, STORE_ID_BYTES);
	ret.revision = r->revision;
	ret.at = sr->at;
	snprintf(ret.by, sizeof ret.by, "%s", sr->by);
	size_t rl = strnlen(sr->reason, sizeof ret.reason - 1);
	memcpy(ret.reason, sr->reason, rl); /* <= SYNC_REASON_MAX when put */
	int added, src = sync_return_seal(c->conf.unit, r->unit, cpk, sk, &ret, &msg, &mlen);
	if (src == 0)
		src = sync_mail_post(c->home, r->unit, msg, mlen, &added);
	if (src) {
		cli_err(c, MSG_E_RETURN_SEND, path, sync_strerror(src));
		rc = EXIT_IOERR;
	}
out:
	free(msg);
	secret_free(sk);
	secret_free(pkv);
	return rc;
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
	struct store_record r, rev;
	store_record_init(&r);
	store_record_init(&rev);
	if ((rc = rec_find(c, idtext, &r)))
		goto out;
	id_hex(r.id, hex);
	int64_t received = 0;
	/* Only a commune's report that came in a batch (its revision is kept). */
	if (!r.period[0] || r.deleted || strcmp(r.unit, c->conf.unit) == 0 ||
	    store_sync_revision(c->store, r.id, r.revision, &rev, &received) != 0) {
		cli_err(c, MSG_E_RETURN_NOT_REPORT, idtext);
		rc = EXIT_DATAERR;
		goto out;
	}
	snprintf(path, sizeof path, "%s/receipts/%s.ccr", c->home, r.unit);
	struct store_return sr;
	int err = store_return_put(c->store, r.id, r.revision, reason, &sr);
	int again = err == STORE_EEXIST;
	if (again)
		err = store_return_get(c->store, r.id, r.revision, &sr);
	if (err) {
		rc = cli_store_fail(c, err);
		goto out;
	}
	if ((rc = send_return(c, &r, &sr, path)))
		goto out;
	if (again) {
		char when[VN_TIME_BUF];
		vn_time_format(sr.at, when);
		cli_out(c, MSG_RETURN_ALREADY, hex, r.revision, when, sr.by, sr.reason, path);
	} else {
		cli_out(c, MSG_RETURN_DONE, hex, r.revision, r.unit, sr.reason, path);
	}
out:
	store_record_clear(&rev);
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
