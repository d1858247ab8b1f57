/*
 * tui/dreturn.c: Trả lại, a district officer (role huyen) returns the
 * report in view for correction, with a reason asked on the status line.
 * The same three steps as `cchc record return` (cli/cmd_return.c), each
 * safe to repeat: store_return_put (who, when, why; audited), the message
 * signed with the district key and sealed to the commune's enrolled key
 * (sync_return_seal), appended to receipts/<commune>.ccr (sync_mail_post),
 * which the commune's next `sync push` fetches or a USB stick carries.
 * The latest revision the district received is the one returned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "core/text.h"
#include "tui/district_int.h"

/* The reason in NFC, 1..SYNC_REASON_MAX bytes, no control characters. */
static int reason_clean(const char *in, char out[SYNC_REASON_MAX + 1])
{
	char *nfc = NULL;
	size_t n = 0;
	if (utf8_validate(in, strlen(in)) != 0 || text_nfc(in, strlen(in), &nfc, &n) != 0)
		return -1;
	int ok = n > 0 && n <= SYNC_REASON_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = (unsigned char)nfc[i] >= 0x20 && nfc[i] != 0x7f;
	if (ok)
		memcpy(out, nfc, n + 1);
	free(nfc);
	return ok ? 0 : -1;
}

/* The commune's enrolled, not revoked, signing key: 0 or -1. */
static int commune_pk(struct app *a, const char *code, const uint8_t dpk[32], uint8_t pk[32])
{
	struct sync_commune *list = NULL;
	size_t n = 0;
	int found = 0;
	if (sync_communes_read(a->cfg->home, dpk, &list, &n) == 0)
		for (size_t i = 0; i < n; i++)
			if (strcmp(list[i].code, code) == 0 && !list[i].revoked_at)
				memcpy(pk, list[i].sign_pk, 32), found = 1;
	free(list);
	return found ? 0 : -1;
}

/* Seal the message of sr and post it for the commune: 0, or a message id. */
static int send_return(struct app *a, const struct report_st *r, const struct store_return *sr)
{
	void *sk = NULL, *pk = NULL;
	size_t sklen = 0, pklen = 0, mlen = 0;
	uint8_t cpk[32], *msg = NULL;
	const char *code = forms_unit_code(r->unit);
	int rc = 0, err = store_meta_get(a->st, "sign_sk", &sk, &sklen);
	if (!err && (err = store_meta_get(a->st, "sign_pk", &pk, &pklen)) == 0 &&
	    (sklen != 64 || pklen != 32))
		err = STORE_EDAMAGED;
	if (err) {
		app_statusf(a, ST_ERROR, app_store_err(a, err));
		rc = -1;
		goto out;
	}
	if (commune_pk(a, code, pk, cpk)) {
		app_status(a, ST_ERROR, MSG_E_RETURN_COMMUNE, code);
		rc = -1;
		goto out;
	}
	struct sync_return ret;
	memset(&ret, 0, sizeof ret);
	memcpy(ret.record, r->us.record, STORE_ID_BYTES);
	ret.revision = r->us.latest_revision;
	ret.at = sr->at;
	snprintf(ret.by, sizeof ret.by, "%s", sr->by);
	size_t rl = strnlen(sr->reason, sizeof ret.reason - 1);
	memcpy(ret.reason, sr->reason, rl); /* <= SYNC_REASON_MAX when put */
	int added, src = sync_return_seal(a->cfg->unit, code, cpk, sk, &ret, &msg, &mlen);
	if (src == 0)
		src = sync_mail_post(a->cfg->home, code, msg, mlen, &added);
	if (src) {
		char path[4200];
		snprintf(path, sizeof path, "%s/receipts/%s.ccr", a->cfg->home, code);
		app_status(a, ST_ERROR, MSG_E_RETURN_SEND, path, sync_strerror(src));
		rc = -1;
	}
out:
	free(msg);
	secret_free(sk);
	secret_free(pk);
	return rc;
}

static int do_return(struct app *a, const char *text)
{
	struct report_st *r = &a->dui->report;
	char reason[SYNC_REASON_MAX + 1];
	if (reason_clean(text, reason)) {
		app_status(a, ST_ERROR, MSG_DT_RETURN_BAD_REASON, SYNC_REASON_MAX);
		return R_DONE;
	}
	struct store_return sr;
	uint32_t rev = r->us.latest_revision;
	int err = store_return_put(a->st, r->us.record, rev, reason, &sr);
	int again = err == STORE_EEXIST;
	if (again)
		err = store_return_get(a->st, r->us.record, rev, &sr);
	if (err) {
		app_statusf(a, ST_ERROR, app_store_err(a, err));
		return R_DONE;
	}
	if (send_return(a, r, &sr))
		return R_DONE;
	/* The board, the indicators and this view read the desk again. */
	const struct forms_unit *unit = r->unit;
	const struct forms_period *p = r->period;
	enum tscreen back = r->back;
	dist_data_stale(a);
	report_open(a, unit, p, back);
	app_status(a, ST_OK, again ? MSG_DT_RETURN_AGAIN : MSG_DT_RETURNED, forms_unit_name(unit), rev);
	return R_DONE;
}

int dist_return_ask(struct app *a)
{
	struct report_st *r = &a->dui->report;
	const struct store_user *who = store_whoami(a->st);
	char q[256];
	if (!who || who->role != STORE_ROLE_HUYEN) {
		app_status(a, ST_ERROR, MSG_DT_RETURN_ROLE);
		return R_DONE;
	}
	if (r->us.state == DISTRICT_MISSING || !r->nrev) {
		app_status(a, ST_ERROR, MSG_DT_RETURN_NONE);
		return R_DONE;
	}
	if (r->us.state == DISTRICT_RETURNED) {
		app_status(a, ST_NORMAL, MSG_DT_RETURN_ALREADY, r->us.latest_revision);
		return R_DONE;
	}
	snprintf(q, sizeof q, msg_get(a->lang, MSG_DT_RETURN_ASK), r->us.latest_revision);
	tprompt_start(a, q, "", 1, do_return);
	app_status(a, ST_NORMAL, MSG_T_EMPTY);
	return R_DONE;
}
