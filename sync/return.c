/*
 * sync/return.c: the district returns a report for correction (sync.h
 * sync_return_report), one function for `cchc record return` and the
 * district UI's Trả lại.
 *
 * Three steps, each safe to repeat:
 *   1. store_return_put: who, when, why, sealed in the district's store
 *      with an audit entry (STORE_EEXIST when that revision was returned:
 *      the first reason stands);
 *   2. sync_return_seal: the message, signed with the district key and
 *      sealed to the commune's enrolled key;
 *   3. sync_mail_post: appended to receipts/<commune>.ccr (once per
 *      returned revision: repeating sends nothing twice and fills in a
 *      message a failed write lost).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "sync/sync_int.h"

/* The commune's enrolled signing key (not revoked). */
static int commune_pk(const char *home, const char *code, const uint8_t dpk[32], uint8_t pk[32])
{
	struct sync_commune *list = NULL;
	size_t n = 0;
	int rc = sync_communes_read(home, dpk, &list, &n);
	if (rc)
		return rc;
	rc = SYNC_EKEY; /* not enrolled: no key to seal to */
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].code, code) == 0)
			rc = list[i].revoked_at ? SYNC_EREVOKED : (memcpy(pk, list[i].sign_pk, 32), 0);
	free(list);
	return rc;
}

static int send_message(struct store *s, const char *home, const char *district,
			const struct store_record *r, const struct store_return *sr, int *store_err)
{
	void *sk = NULL, *pkv = NULL;
	size_t sklen = 0, pklen = 0, mlen = 0;
	uint8_t cpk[32], *msg = NULL;
	int rc, added, err = store_meta_get(s, "sign_sk", &sk, &sklen);
	if (!err && (err = store_meta_get(s, "sign_pk", &pkv, &pklen)) == 0 &&
	    (sklen != 64 || pklen != 32))
		err = STORE_EDAMAGED;
	if (err) {
		*store_err = err;
		rc = SYNC_ESTORE;
		goto out;
	}
	if ((rc = commune_pk(home, r->unit, pkv, cpk)))
		goto out;
	struct sync_return ret;
	memset(&ret, 0, sizeof ret);
	memcpy(ret.record, r->id, STORE_ID_BYTES);
	ret.revision = r->revision;
	ret.at = sr->at;
	snprintf(ret.by, sizeof ret.by, "%s", sr->by);
	memcpy(ret.reason, sr->reason, strnlen(sr->reason, SYNC_REASON_MAX));
	if ((rc = sync_return_seal(district, r->unit, cpk, sk, &ret, &msg, &mlen)) == 0)
		rc = sync_mail_post(home, r->unit, msg, mlen, &added);
out:
	free(msg);
	secret_free(sk);
	secret_free(pkv);
	return rc;
}

int sync_return_report(struct store *s, const char *home, const char *district,
		       const struct store_record *r, const char *reason, struct store_return *out,
		       int *again, int *store_err)
{
	struct store_record rev;
	int64_t received = 0;
	*again = 0;
	*store_err = 0;
	if (!sync_reason_ok(reason, strlen(reason)))
		return SYNC_EFORMAT;
	/* Only a commune's report that came in a batch (its revision is kept). */
	store_record_init(&rev);
	int err = r->period[0] && !r->deleted && strcmp(r->unit, district) != 0
			  ? store_sync_revision(s, r->id, r->revision, &rev, &received)
			  : STORE_ENOTFOUND;
	store_record_clear(&rev);
	if (err == STORE_ENOTFOUND)
		return SYNC_EUNKNOWN;
	if (!err && (err = store_return_put(s, r->id, r->revision, reason, out)) == STORE_EEXIST) {
		*again = 1;
		err = store_return_get(s, r->id, r->revision, out);
	}
	if (err) {
		*store_err = err;
		return SYNC_ESTORE;
	}
	return send_message(s, home, district, r, out, store_err);
}
