/*
 * sync/mailbox.c: the commune takes what the district sends back (a receipts
 * file from a USB stick, a fetch answer) and, in a logged-in session,
 * applies the messages.
 *
 * Two steps, because taking needs no secret (`sync push` and `sync
 * receipts` run unattended) and applying does (the records are sealed, a
 * return's content is sealed to the commune):
 *   take   every item is verified against the district key pinned at init
 *          before anything changes; receipts go to the sending state,
 *          messages for this commune to outbox/mail (verified, each once),
 *          both under outbox/lock;
 *   apply  sync_session opens each pending message with the node's signing
 *          key, applies it, then empties outbox/mail.  Applying is
 *          idempotent (a return names the revision it returns), so a crash
 *          between the two only applies the same messages again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/secret.h"
#include "forms/forms.h"
#include "sync/sync_int.h"

#define MAIL_MAX (16u << 20)

struct item {
	size_t off, len;
	int is_msg;
	struct sync_receipt r;
	struct sync_msg m;
};

/* Split and verify the whole stream; *items malloc'd. */
static int verify_all(const uint8_t *buf, size_t len, const uint8_t district_pk[32],
		      struct item **items, size_t *n)
{
	size_t cap = len / SYNC_RECEIPT_BYTES + 1, k = 0, il;
	struct item *v = calloc(cap, sizeof *v);
	int rc = SYNC_OK, is_msg;
	if (!v)
		return SYNC_ENOMEM;
	for (size_t off = 0; off < len && rc == 0; off += il) {
		if ((rc = sx_item_len(buf + off, len - off, &il, &is_msg)))
			break;
		if (k == cap) {
			rc = SYNC_EFORMAT; /* cannot happen: every item is >= 176 bytes */
			break;
		}
		struct item *it = &v[k++];
		it->off = off, it->len = il, it->is_msg = is_msg;
		rc = is_msg ? sync_msg_verify(buf + off, il, district_pk, &it->m)
			    : sync_receipt_verify(buf + off, district_pk, &it->r);
	}
	if (rc) {
		free(v);
		return rc;
	}
	*items = v;
	*n = k;
	return SYNC_OK;
}

static int read_pending(const char *home, uint8_t **buf, size_t *len)
{
	char path[4200];
	sx_path(home, "outbox/mail", path, sizeof path);
	*buf = NULL, *len = 0;
	if (access(path, F_OK) != 0)
		return SYNC_OK;
	return sx_read_file(path, MAIL_MAX, buf, len);
}

/* outbox/mail.done: kind (2 bytes) and id (16) of every message applied,
 * so one taken again (the same USB file twice) is not pending again. */
#define DONE_BYTES 18

static int read_done(const char *home, uint8_t **buf, size_t *len)
{
	char path[4200];
	sx_path(home, "outbox/mail.done", path, sizeof path);
	*buf = NULL, *len = 0;
	if (access(path, F_OK) != 0)
		return SYNC_OK;
	int rc = sx_read_file(path, MAIL_MAX, buf, len);
	*len -= *len % DONE_BYTES;
	return rc;
}

static int is_done(const uint8_t *done, size_t dlen, const uint8_t *msg)
{
	for (size_t off = 0; off < dlen; off += DONE_BYTES)
		if (memcmp(done + off, msg + 10, 2) == 0 && memcmp(done + off + 2, msg + 48, 16) == 0)
			return 1;
	return 0;
}

/* Messages not yet in outbox/mail nor applied are appended (once). */
static int pend_messages(const struct sync_node *node, const uint8_t *buf,
			 const struct item *v, size_t n, size_t *nt, size_t *ni)
{
	uint8_t *old, *grown, *done;
	size_t olen, add = 0, dlen;
	int rc = read_pending(node->home, &old, &olen);
	if (rc)
		return rc;
	if ((rc = read_done(node->home, &done, &dlen))) {
		free(old);
		return rc;
	}
	grown = old;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct item *it = &v[i];
		if (!it->is_msg)
			continue;
		int known = strcmp(it->m.commune, node->unit) != 0 ||
			    is_done(done, dlen, buf + it->off);
		size_t il;
		for (size_t off = 0; !known && off < olen + add &&
				     sx_item_len(grown + off, olen + add - off, &il, NULL) == 0;
		     off += il)
			known = il == it->len && memcmp(grown + off, buf + it->off, il) == 0;
		if (known) {
			(*ni)++;
			continue;
		}
		uint8_t *p = realloc(grown, olen + add + it->len);
		if (!p) {
			rc = SYNC_ENOMEM;
			break;
		}
		grown = p;
		memcpy(grown + olen + add, buf + it->off, it->len);
		add += it->len;
		(*nt)++;
	}
	if (rc == 0 && add) {
		char path[4200];
		sx_path(node->home, "outbox/mail", path, sizeof path);
		rc = sx_write_durable(path, grown, olen + add, 0600);
	}
	free(grown);
	free(done);
	return rc;
}

/* Note the messages of buf as applied (to mail.done), then empty the
 * pending file: a crash between the two applies them again, harmlessly. */
static int mark_done(const char *home, const uint8_t *buf, const struct item *v, size_t n)
{
	uint8_t *done, *grown;
	size_t dlen;
	char path[4200];
	int rc = read_done(home, &done, &dlen);
	if (rc)
		return rc;
	grown = realloc(done, dlen + n * DONE_BYTES + 1);
	if (!grown) {
		free(done);
		return SYNC_ENOMEM;
	}
	size_t add = 0;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *m = buf + v[i].off;
		if (is_done(grown, dlen + add, m))
			continue;
		memcpy(grown + dlen + add, m + 10, 2);
		memcpy(grown + dlen + add + 2, m + 48, 16);
		add += DONE_BYTES;
	}
	sx_path(home, "outbox/mail.done", path, sizeof path);
	rc = add ? sx_write_durable(path, grown, dlen + add, 0600) : SYNC_OK;
	free(grown);
	sx_path(home, "outbox/mail", path, sizeof path);
	return rc ? rc : sx_write_durable(path, "", 0, 0600);
}

int sx_mail_take(const struct sync_node *node, const uint8_t district_pk[32],
		 const uint8_t *buf, size_t len, size_t *taken, size_t *ignored)
{
	struct item *v;
	size_t n, nt = 0, ni = 0;
	char lockp[4200];
	int lock, rc = verify_all(buf, len, district_pk, &v, &n);
	if (rc)
		return rc;
	sx_path(node->home, "outbox", lockp, sizeof lockp);
	if ((rc = sx_mkdir(lockp))) /* a node that never sealed has none yet */
		goto free_items;
	sx_path(node->home, "outbox/lock", lockp, sizeof lockp);
	if ((rc = sx_lock(lockp, 0, &lock)))
		goto free_items;
	struct sx_state st;
	if ((rc = sx_state_read(node->home, &st)) == 0) {
		size_t took = 0;
		for (size_t i = 0; i < n; i++) {
			if (v[i].is_msg)
				continue;
			if (sx_state_take_receipt(node->home, &st, &v[i].r))
				took++;
			else
				ni++;
		}
		if (took)
			rc = sx_state_write(node->home, &st);
		nt += took;
		sx_state_free(&st);
	}
	if (rc == 0)
		rc = pend_messages(node, buf, v, n, &nt, &ni);
	sx_unlock(lock);
free_items:
	free(v);
	if (taken)
		*taken = nt;
	if (ignored)
		*ignored = ni;
	return rc;
}

int sync_mail_pending(const struct sync_node *node)
{
	char path[4200];
	struct stat sb;
	sx_path(node->home, "outbox/mail", path, sizeof path);
	return stat(path, &sb) == 0 && sb.st_size > 0;
}

/* One return: 1 when the report changed, 0 when it does not apply, or a
 * negative store code. */
static int apply_return(struct store *s, const struct sync_return *ret)
{
	struct store_record r;
	store_record_init(&r);
	int err = store_record_get(s, ret->record, &r);
	if (err == STORE_ENOTFOUND) {
		store_record_clear(&r);
		return 0;
	}
	int applies = err == 0 && !r.deleted && r.period[0] && r.revision == ret->revision &&
		      (r.state == FORM_STATE_APPROVED || r.state == FORM_STATE_SENT ||
		       r.state == FORM_STATE_RECEIVED);
	if (applies) {
		r.state = FORM_STATE_RETURNED;
		r.returned_revision = ret->revision;
		r.returned_at = ret->at;
		err = kv_set(&r.fields, STORE_FIELD_RETURN_REASON, ret->reason) ? STORE_ENOMEM
			: store_record_put(s, &r, "returned");
	}
	store_record_clear(&r);
	return err ? err : applies;
}

int sx_mail_apply(struct store *s, const struct sync_node *node, size_t *returned,
		  int *store_err)
{
	uint8_t *buf, *sk = NULL;
	size_t len, n = 0, changed = 0, sklen;
	struct item *v = NULL;
	void *kv = NULL;
	int rc = read_pending(node->home, &buf, &len);
	if (returned)
		*returned = 0;
	if (rc || !len)
		goto out;
	int err = store_meta_get(s, "district_sign_pk", &kv, &sklen);
	if (err || sklen != 32) {
		*store_err = err;
		rc = err ? SYNC_ESTORE : SYNC_EKEY;
		goto out;
	}
	uint8_t dpk[32];
	memcpy(dpk, kv, 32);
	secret_free(kv);
	/* Checked again: the file sat on disk since it was taken. */
	if ((rc = verify_all(buf, len, dpk, &v, &n)))
		goto out;
	if ((err = store_meta_get(s, "sign_sk", &kv, &sklen)) || sklen != 64) {
		*store_err = err;
		rc = err ? SYNC_ESTORE : SYNC_EKEY;
		goto out;
	}
	sk = kv;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct sync_return ret;
		struct sync_file file;
		int installed;
		if (v[i].m.kind == SYNC_MSG_FILE) {
			/* A file that fails its checks is left out (never half
			 * installed); the others go on. */
			if (sync_file_open(&v[i].m, &file) == 0 &&
			    sx_file_install(node->home, &file, &installed) == SYNC_EIO)
				rc = SYNC_EIO;
			continue;
		}
		if (v[i].m.kind != SYNC_MSG_RETURN || sync_return_open(&v[i].m, sk, &ret) != 0)
			continue; /* not for this key, or a kind this version does not apply */
		int got = apply_return(s, &ret);
		if (got < 0) {
			*store_err = got;
			rc = SYNC_ESTORE;
		}
		changed += got > 0;
	}
	if (rc == 0)
		rc = mark_done(node->home, buf, v, n);
out:
	secret_free(sk);
	free(v);
	free(buf);
	if (returned)
		*returned = changed;
	return rc;
}
