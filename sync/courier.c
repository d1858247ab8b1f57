/*
 * sync/courier.c: what a commune does with sealed batches without any
 * secret: show the sending state, copy batches to a USB stick, take the
 * receipts that come back.  Each holds outbox/lock while it changes the
 * sending state, so a session sealing at the same time waits a moment.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "sync/sync_int.h"

int sync_status_read(const struct sync_node *node, uint64_t outbox_last, struct sync_status *out)
{
	struct sx_state st;
	memset(out, 0, sizeof *out);
	int rc = sx_state_read(node->home, &st);
	if (rc)
		return rc;
	out->changes_waiting = outbox_last > st.last_seq ? outbox_last - st.last_seq : 0;
	for (size_t i = 0; i < st.n; i++) {
		switch (st.e[i].state) {
		case SX_SEALED: out->batches_waiting++; break;
		case SX_STORED: out->batches_stored++; break;
		case SX_IMPORTED: out->batches_imported++; break;
		default: out->batches_refused++; break;
		}
	}
	out->last_receipt_at = st.last_receipt_at;
	out->last_receipt_status = st.last_receipt_status;
	sx_state_free(&st);
	return SYNC_OK;
}

/* Copy one batch to dir/name: write, sync, rename, then read it back and
 * compare its hash (USB sticks lie, FAT write-behind loses data). */
static int export_one(const char *src, const char *dir, const char *name,
		      const uint8_t id[SYNC_ID_BYTES])
{
	uint8_t *buf, *back, h[SYNC_ID_BYTES];
	size_t len, blen;
	char dst[4400];
	int rc = sx_read_file(src, SYNC_BATCH_MAX, &buf, &len);
	if (rc)
		return rc;
	secret_hash(buf, len, NULL, 0, h, sizeof h);
	if (memcmp(h, id, sizeof h) != 0) {
		free(buf);
		return SYNC_EDAMAGED; /* our own file changed on disk */
	}
	snprintf(dst, sizeof dst, "%s/%s", dir, name);
	rc = sx_write_durable(dst, buf, len, 0644);
	free(buf);
	if (rc)
		return rc;
	if ((rc = sx_read_file(dst, SYNC_BATCH_MAX, &back, &blen)))
		return SYNC_EIO;
	secret_hash(back, blen, NULL, 0, h, sizeof h);
	free(back);
	if (memcmp(h, id, sizeof h) != 0) {
		unlink(dst);
		return SYNC_EIO;
	}
	return SYNC_OK;
}

int sync_export(const struct sync_node *node, const char *dir, sync_event_fn ev, void *ctx,
		size_t *count)
{
	struct sx_state st;
	char lockp[4200];
	int lock, rc;
	*count = 0;
	sx_path(node->home, "outbox/lock", lockp, sizeof lockp);
	if ((rc = sx_lock(lockp, 0, &lock)))
		return rc;
	if ((rc = sx_state_read(node->home, &st)))
		goto unlock;
	size_t total = 0;
	for (size_t i = 0; i < st.n; i++)
		total += st.e[i].state != SX_IMPORTED;
	for (size_t i = 0; i < st.n && rc == 0; i++) {
		struct sx_entry *e = &st.e[i];
		if (e->state == SX_IMPORTED)
			continue;
		char src[4200], name[128];
		sx_batch_path(node->home, e->epoch, e->batch_no, src, sizeof src);
		snprintf(name, sizeof name, "cchc-%s-%016" PRIx64 "-%08" PRIu64 ".ccb", st.commune,
			 e->epoch, e->batch_no);
		rc = export_one(src, dir, name, e->id);
		struct sync_event v = {"exported", e->epoch, e->batch_no, *count + 1, total, 0, rc};
		if (ev)
			ev(ctx, &v);
		if (rc == 0)
			(*count)++;
	}
	sx_state_free(&st);
unlock:
	sx_unlock(lock);
	return rc;
}

int sync_receipts_take(const struct sync_node *node, const uint8_t district_pk[32],
		       const char *path, size_t *taken, size_t *ignored)
{
	uint8_t *buf;
	size_t len;
	if (taken)
		*taken = 0;
	if (ignored)
		*ignored = 0;
	int rc = sx_read_file(path, 64u << 20, &buf, &len);
	if (rc)
		return rc;
	/* Receipts and messages and nothing else; a bad one refuses the file. */
	rc = len ? sx_mail_take(node, district_pk, buf, len, taken, ignored) : SYNC_EFORMAT;
	free(buf);
	return rc;
}
