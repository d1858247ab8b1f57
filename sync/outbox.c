/*
 * sync/outbox.c: the commune side, inside a logged-in session.
 *
 * Seal once, send many: what the store's outbox holds since the last batch
 * is sealed into a batch file once; retries and USB copies send those same
 * bytes.  The order of writes makes every crash point safe:
 *   1. the batch file, durably (temp, fsync, rename, fsync dir);
 *   2. the sealed meta "sync_state" (lineage, next number, outbox position,
 *      reports sent) in one store transaction;
 *   3. the sending-state file, which `sync push` reads.
 * Killed after 1: the file is an orphan (its number is not taken in the
 * store) and is deleted next time; after 2: the next session adds the
 * missing line to the sending state.  A store restored from an old backup
 * shows as sending-state lines beyond the store's next number, or (when the
 * whole node directory was restored) as a restore mark beyond it (fork.c):
 * the node then starts a new random epoch, so no number is ever reused for
 * other bytes.
 *
 * Which saves go out: register entries (every save, deletions as
 * tombstones) and reports in state Đã duyệt (approved); a later revision
 * supersedes an earlier one at the district.  Drafts never leave, nor do the
 * Đã gửi / Đã tiếp nhận marks, which are the commune's own bookkeeping.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/vnfmt.h"
#include "forms/forms.h"
#include "sync/sync_int.h"

#define META_STATE "sync_state"
#define SENT_BYTES 36 /* epoch, batch_no, record id, revision */

struct sent {
	uint64_t epoch, batch_no;
	uint8_t id[STORE_ID_BYTES];
	uint32_t revision;
};

struct lineage {
	uint64_t epoch, next_batch, last_seq;
	uint8_t prev_id[SYNC_ID_BYTES];
	struct sent *sent;
	size_t nsent, capsent;
};

struct session {
	struct store *s;
	const struct sync_node *node;
	struct lineage lin;
	struct sx_state st;
	uint8_t *sign_sk;
	uint8_t box_pk[32];
	int store_err;
	int dirty; /* the lineage or the sending state changed: write both */
	int restored_note; /* SYNC_RESTORED_NOTE was found: remove once saved */
};

static int store_fail(struct session *ss, int err)
{
	ss->store_err = err;
	return SYNC_ESTORE;
}

static int sent_add(struct lineage *l, const struct sent *e)
{
	if (l->nsent == l->capsent) {
		size_t cap = l->capsent ? l->capsent * 2 : 16;
		struct sent *n = realloc(l->sent, cap * sizeof *n);
		if (!n)
			return SYNC_ENOMEM;
		l->sent = n, l->capsent = cap;
	}
	l->sent[l->nsent++] = *e;
	return SYNC_OK;
}

static int lineage_load(struct session *ss)
{
	void *v;
	size_t len;
	struct lineage *l = &ss->lin;
	int err = store_meta_get(ss->s, META_STATE, &v, &len);
	if (err == STORE_ENOTFOUND) {
		memset(l, 0, sizeof *l);
		secret_random(&l->epoch, sizeof l->epoch);
		l->epoch |= 1; /* never 0 */
		l->next_batch = 1;
		ss->dirty = 1;
		return SYNC_OK;
	}
	if (err)
		return store_fail(ss, err);
	const uint8_t *p = v;
	int rc = SYNC_OK;
	if (len < 56 || (len - 56) % SENT_BYTES) {
		rc = store_fail(ss, STORE_EDAMAGED);
		goto free_v;
	}
	l->epoch = sx_be64(p);
	l->next_batch = sx_be64(p + 8);
	l->last_seq = sx_be64(p + 16);
	memcpy(l->prev_id, p + 24, 32);
	for (size_t off = 56; off < len && rc == 0; off += SENT_BYTES) {
		struct sent e = {sx_be64(p + off), sx_be64(p + off + 8), {0}, sx_be32(p + off + 32)};
		memcpy(e.id, p + off + 16, STORE_ID_BYTES);
		rc = sent_add(l, &e);
	}
free_v:
	secret_free(v);
	return rc;
}

static int lineage_save(struct session *ss)
{
	struct lineage *l = &ss->lin;
	size_t len = 56 + l->nsent * SENT_BYTES;
	uint8_t *p = malloc(len);
	if (!p)
		return SYNC_ENOMEM;
	sx_put_be64(p, l->epoch);
	sx_put_be64(p + 8, l->next_batch);
	sx_put_be64(p + 16, l->last_seq);
	memcpy(p + 24, l->prev_id, 32);
	for (size_t i = 0; i < l->nsent; i++) {
		uint8_t *q = p + 56 + i * SENT_BYTES;
		sx_put_be64(q, l->sent[i].epoch);
		sx_put_be64(q + 8, l->sent[i].batch_no);
		memcpy(q + 16, l->sent[i].id, STORE_ID_BYTES);
		sx_put_be32(q + 32, l->sent[i].revision);
	}
	int err = store_meta_put(ss->s, META_STATE, p, len);
	free(p);
	return err ? store_fail(ss, err) : SYNC_OK;
}

/* Bring the sending state and the files in outbox/ in line with the store
 * (see the crash points above). */
static int reconcile(struct session *ss)
{
	struct lineage *l = &ss->lin;
	struct sx_state *st = &ss->st;
	char dir[4200];
	sx_path(ss->node->home, "outbox", dir, sizeof dir);
	/* Restored from an old backup: the sending state, or the mark kept
	 * outside the node directory (a backup of the whole directory brings
	 * the old state back, not the mark), knows numbers beyond the store's. */
	uint64_t marked = 0;
	int restored = sx_mark_read(ss->node->home, l->epoch, &marked) == 0 &&
		       marked > l->next_batch;
	for (size_t i = 0; i < st->n && !restored; i++)
		restored = st->e[i].epoch == l->epoch && st->e[i].batch_no >= l->next_batch;
	/* `cchc restore` leaves a note: restored from a backup, perhaps onto
	 * a new PC where no mark is: a new lineage all the same. */
	char note[4200];
	sx_path(ss->node->home, SYNC_RESTORED_NOTE, note, sizeof note);
	if (access(note, F_OK) == 0)
		restored = ss->restored_note = 1;
	if (restored) {
		/* A new lineage: no number of the old one is ever sealed twice. */
		secret_random(&l->epoch, sizeof l->epoch);
		l->epoch |= 1;
		l->next_batch = 1;
		memset(l->prev_id, 0, sizeof l->prev_id);
		ss->dirty = 1;
	}
	DIR *d = opendir(dir);
	if (!d)
		return SYNC_EIO;
	struct dirent *de;
	int rc = SYNC_OK;
	while ((de = readdir(d)) && rc == 0) {
		char path[4500];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (strstr(de->d_name, ".tmp.")) {
			unlink(path); /* a write that never finished */
			continue;
		}
		unsigned long long epoch, no;
		char tail[8];
		if (sscanf(de->d_name, "%16llx-%8llu%7s", &epoch, &no, tail) != 3 ||
		    strcmp(tail, ".ccb") != 0)
			continue;
		int known = 0;
		for (size_t i = 0; i < st->n && !known; i++)
			known = st->e[i].epoch == epoch && st->e[i].batch_no == no;
		if (known)
			continue;
		if (epoch == l->epoch && no >= l->next_batch) {
			unlink(path); /* sealed, never committed, never sent */
			sx_fsync_dir(dir);
			continue;
		}
		uint8_t *buf;
		size_t len;
		struct sx_entry e = {epoch, no, {0}, SX_SEALED, 0, 0, 0};
		if (sx_read_file(path, SYNC_BATCH_MAX, &buf, &len) != 0)
			continue;
		secret_hash(buf, len, NULL, 0, e.id, SYNC_ID_BYTES);
		free(buf);
		rc = sx_state_add(st, &e);
		ss->dirty = 1;
	}
	closedir(d);
	if (strcmp(st->commune, ss->node->unit) != 0 || st->epoch != l->epoch ||
	    st->next_batch != l->next_batch || st->last_seq != l->last_seq)
		ss->dirty = 1;
	snprintf(st->commune, sizeof st->commune, "%s", ss->node->unit);
	st->epoch = l->epoch;
	st->next_batch = l->next_batch;
	st->last_seq = l->last_seq;
	return rc;
}

/* The states say what is known, never what is hoped: a report whose batch
 * is only sealed (or exported to a USB stick) stays Đã duyệt (shown "Đã
 * duyệt – chờ gửi"); a receiver's receipt (stored) makes it Đã gửi; the
 * district's import receipt, Đã tiếp nhận.  A report is followed until its
 * batch is imported. */
static int mark_reports(struct session *ss)
{
	struct lineage *l = &ss->lin;
	size_t keep = 0;
	int changed = 0;
	for (size_t i = 0; i < l->nsent; i++) {
		struct sent *e = &l->sent[i];
		int stored = 0, imported = 0, known = 0;
		for (size_t j = 0; j < ss->st.n; j++) {
			struct sx_entry *b = &ss->st.e[j];
			if (b->epoch == e->epoch && b->batch_no == e->batch_no) {
				known = 1;
				stored = b->state == SX_STORED;
				imported = b->state == SX_IMPORTED;
			}
		}
		struct store_record r;
		store_record_init(&r);
		int err = store_record_get(ss->s, e->id, &r);
		int want = imported ? FORM_STATE_RECEIVED : FORM_STATE_SENT;
		if (err == 0 && (stored || imported) && !r.deleted && r.revision == e->revision &&
		    (r.state == FORM_STATE_APPROVED || r.state == FORM_STATE_SENT) && r.state != want) {
			r.state = want;
			err = store_record_put(ss->s, &r, imported ? "received" : "sent");
		}
		store_record_clear(&r);
		if (err && err != STORE_ENOTFOUND)
			return store_fail(ss, err);
		if (imported || !known)
			changed = 1; /* done with it (or its batch is gone) */
		else
			l->sent[keep++] = *e;
	}
	l->nsent = keep;
	return changed ? lineage_save(ss) : SYNC_OK;
}

struct window {
	struct store_record *recs;
	size_t n;
	uint64_t first_seq, last_seq;
};

static int goes_out(const struct store_record *r)
{
	if (!r->period[0])
		return 1; /* a register entry: every save */
	if (r->deleted)
		return r->revision > 1; /* an earlier revision reached the district */
	return r->state == FORM_STATE_APPROVED;
}

static int window_add(uint64_t seq, const struct store_record *r, void *arg)
{
	struct window *w = arg;
	if (!w->first_seq)
		w->first_seq = seq;
	w->last_seq = seq;
	if (!goes_out(r))
		return 0;
	size_t i;
	for (i = 0; i < w->n; i++)
		if (memcmp(w->recs[i].id, r->id, STORE_ID_BYTES) == 0)
			break;
	struct store_record *dst = &w->recs[i];
	if (i < w->n)
		kv_free(&dst->fields);
	*dst = *r;
	dst->fields = (struct kv)KV_INIT;
	if (kv_copy(&dst->fields, &r->fields) != 0)
		return 2; /* out of memory */
	if (i == w->n)
		w->n++;
	return w->n == SYNC_BATCH_RECORDS ? 1 : 0;
}

static int seal_window(struct session *ss, struct window *w)
{
	struct lineage *l = &ss->lin;
	struct sync_batch_info info = {ss->node->unit, ss->node->district, l->epoch, l->next_batch,
				       vn_now(), {0}, w->first_seq, w->last_seq};
	memcpy(info.prev_id, l->prev_id, SYNC_ID_BYTES);
	uint8_t *buf, id[SYNC_ID_BYTES];
	size_t len;
	char path[4200];
	int rc = sync_batch_build(&info, w->recs, w->n, ss->sign_sk, ss->box_pk, &buf, &len, id);
	if (rc)
		return rc;
	sx_batch_path(ss->node->home, l->epoch, l->next_batch, path, sizeof path);
	rc = sx_write_durable(path, buf, len, 0600);
	free(buf);
	if (rc)
		return rc;
	struct sx_entry e = {l->epoch, l->next_batch, {0}, SX_SEALED, 0, 0, 0};
	memcpy(e.id, id, SYNC_ID_BYTES);
	size_t nsent_before = l->nsent;
	for (size_t i = 0; i < w->n && rc == 0; i++) {
		if (!w->recs[i].period[0] || w->recs[i].deleted)
			continue;
		struct sent s = {l->epoch, l->next_batch, {0}, w->recs[i].revision};
		memcpy(s.id, w->recs[i].id, STORE_ID_BYTES);
		rc = sent_add(l, &s);
	}
	l->next_batch++;
	l->last_seq = w->last_seq;
	memcpy(l->prev_id, id, SYNC_ID_BYTES);
	if (rc || (rc = lineage_save(ss))) {
		/* Not committed: the file must not stay to be sent. */
		l->next_batch--;
		l->nsent = nsent_before;
		unlink(path);
		return rc;
	}
	/* Only after the commit, so the mark is never ahead of the store; a
	 * failure only loses the restore check, never data. */
	sx_mark_write(ss->node->home, l->epoch, l->next_batch);
	ss->st.next_batch = l->next_batch;
	ss->st.last_seq = l->last_seq;
	if ((rc = sx_state_add(&ss->st, &e)))
		return rc;
	return sx_state_write(ss->node->home, &ss->st);
}

static void window_clear(struct window *w)
{
	for (size_t i = 0; i < w->n; i++)
		store_record_clear(&w->recs[i]);
	w->n = 0;
	w->first_seq = w->last_seq = 0;
}

static int seal_pending(struct session *ss, size_t *sealed)
{
	uint64_t last;
	int err = store_outbox_last(ss->s, &last);
	if (err)
		return store_fail(ss, err);
	if (last <= ss->lin.last_seq)
		return SYNC_OK;
	struct window w = {calloc(SYNC_BATCH_RECORDS, sizeof(struct store_record)), 0, 0, 0};
	if (!w.recs)
		return SYNC_ENOMEM;
	int rc = SYNC_OK;
	while (rc == 0 && ss->lin.last_seq < last) {
		err = store_outbox_each(ss->s, ss->lin.last_seq + 1, window_add, &w);
		if (err == 2 || err < 0) {
			rc = err == 2 ? SYNC_ENOMEM : store_fail(ss, err);
			break;
		}
		if (!w.last_seq)
			break;
		if (w.n) {
			rc = seal_window(ss, &w);
			if (rc == 0)
				(*sealed)++;
		} else {
			/* Only drafts: nothing to send, move on. */
			ss->lin.last_seq = w.last_seq;
			ss->st.last_seq = w.last_seq;
			if ((rc = lineage_save(ss)) == 0)
				rc = sx_state_write(ss->node->home, &ss->st);
		}
		window_clear(&w);
	}
	window_clear(&w);
	free(w.recs);
	return rc;
}

int sync_session(struct store *s, const struct sync_node *node, size_t *sealed, int *store_err)
{
	struct session ss;
	char path[4200];
	size_t nsealed = 0;
	int lock = -1, rc;
	void *v = NULL;
	size_t len;
	memset(&ss, 0, sizeof ss);
	ss.s = s;
	ss.node = node;
	sx_path(node->home, "outbox", path, sizeof path);
	if ((rc = sx_mkdir(path)))
		return rc;
	sx_path(node->home, "outbox/lock", path, sizeof path);
	if ((rc = sx_lock(path, 0, &lock)))
		return rc;
	int err = store_meta_get(s, "sign_sk", &v, &len);
	if (err || len != 64) {
		rc = err ? store_fail(&ss, err) : SYNC_EKEY;
		goto out;
	}
	ss.sign_sk = v;
	err = store_meta_get(s, "district_box_pk", &v, &len);
	if (err || len != 32) {
		rc = err ? store_fail(&ss, err) : SYNC_EKEY;
		goto out;
	}
	memcpy(ss.box_pk, v, 32);
	secret_free(v);
	if ((rc = sx_mail_apply(s, node, NULL, &ss.store_err)) || (rc = lineage_load(&ss)))
		goto out;
	rc = sx_state_read(node->home, &ss.st);
	if (rc == SYNC_EDAMAGED) {
		/* Rebuilt from the files: at worst a stored batch is sent again. */
		sx_state_free(&ss.st);
		rc = SYNC_OK;
	}
	if (rc == 0 && (rc = reconcile(&ss)) == 0 && ss.dirty &&
	    (rc = sx_state_write(node->home, &ss.st)) == 0)
		rc = lineage_save(&ss);
	if (rc == 0 && ss.restored_note) {
		/* The new lineage is saved: the note has done its work. */
		sx_path(node->home, SYNC_RESTORED_NOTE, path, sizeof path);
		unlink(path);
	}
	if (rc || (rc = mark_reports(&ss)) ||
	    (rc = seal_pending(&ss, &nsealed)) || (rc = mark_reports(&ss)))
		goto out;
out:
	if (sealed)
		*sealed = nsealed;
	if (store_err)
		*store_err = ss.store_err;
	secret_free(ss.sign_sk);
	free(ss.lin.sent);
	sx_state_free(&ss.st);
	sx_unlock(lock);
	return rc;
}
