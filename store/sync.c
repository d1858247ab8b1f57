/*
 * store/sync.c: what sync needs from the store: records as CBOR for batches,
 * and the district's import state, applied with the records in one write
 * transaction so that an import killed at any point leaves a batch either
 * applied whole or not at all.
 *
 * The import state lives in the meta database, sealed like every value,
 * under binary keys that start with 0x01 (store_meta_put refuses such
 * names, so they can never collide) and stay within 32 bytes (the scan
 * limit):
 *   01 'B' id[24]                 -> commune NUL, epoch, batch_no  (seen)
 *   01 'L' H16(commune,epoch) no  -> batch id[32]                 (lineage)
 *   01 'N' H16(commune,epoch)     -> next batch_no u64 BE
 *   01 'R' record id rev u32 BE   -> the record's CBOR            (revisions)
 *   01 'T' record id rev u32 BE   -> first received, i64 BE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vnfmt.h"
#include "store/store_int.h"

int store_record_to_cbor(const struct store_record *r, uint8_t **buf, size_t *len)
{
	return store_record_encode(r, buf, len);
}

int store_record_from_cbor(const uint8_t *buf, size_t len, struct store_record *r)
{
	return store_record_decode(buf, len, r);
}

#define KEY_MAX 32

static size_t key_seen(uint8_t k[KEY_MAX], const uint8_t id[32])
{
	k[0] = 1, k[1] = 'B';
	memcpy(k + 2, id, 24);
	return 26;
}

static void lineage_hash(const char *commune, uint64_t epoch, uint8_t out[16])
{
	uint8_t buf[64] = {0};
	size_t n = strnlen(commune, 32);
	memcpy(buf, commune, n);
	store_be64_put(buf + 40, epoch);
	secret_hash(buf, 48, NULL, 0, out, 16);
}

static size_t key_lineage(uint8_t k[KEY_MAX], const char *commune, uint64_t epoch, uint64_t no)
{
	k[0] = 1, k[1] = 'L';
	lineage_hash(commune, epoch, k + 2);
	store_be64_put(k + 18, no);
	return 26;
}

static size_t key_next(uint8_t k[KEY_MAX], const char *commune, uint64_t epoch)
{
	k[0] = 1, k[1] = 'N';
	lineage_hash(commune, epoch, k + 2);
	return 18;
}

static size_t key_rev(uint8_t k[KEY_MAX], char tag, const uint8_t id[STORE_ID_BYTES], uint32_t rev)
{
	k[0] = 1, k[1] = (uint8_t)tag;
	memcpy(k + 2, id, STORE_ID_BYTES);
	for (int i = 0; i < 4; i++)
		k[18 + i] = (uint8_t)(rev >> (24 - 8 * i));
	return 22;
}

/* Get and open a sealed meta value; *found 0 when absent. */
static int meta_get(struct store *s, MDB_txn *txn, const uint8_t *k, size_t klen, uint8_t **val,
		    size_t *len, int *found)
{
	int rc = store_get_open(s, txn, DB_META, k, klen, val, len);
	*found = rc == STORE_OK;
	return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

struct q_op {
	const uint8_t *k;
	size_t klen;
	uint8_t *val;
	size_t len;
	int found;
};

static int q_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct q_op *q = arg;
	return meta_get(s, txn, q->k, q->klen, &q->val, &q->len, &q->found);
}

static int query(struct store *s, struct q_op *q)
{
	if (!s->dkey)
		return STORE_ENOKEY;
	return store_read(s, q_fn, q);
}

int store_sync_seen(struct store *s, const uint8_t id[32], int *seen)
{
	uint8_t k[KEY_MAX];
	struct q_op q = {k, key_seen(k, id), NULL, 0, 0};
	int rc = query(s, &q);
	*seen = rc == 0 && q.found;
	store_plain_free(q.val, q.len);
	return rc;
}

int store_sync_lineage(struct store *s, const char *commune, uint64_t epoch, uint64_t batch_no,
		       uint8_t id[32], int *found)
{
	uint8_t k[KEY_MAX];
	struct q_op q = {k, key_lineage(k, commune, epoch, batch_no), NULL, 0, 0};
	int rc = query(s, &q);
	*found = 0;
	if (rc == 0 && q.found) {
		if (q.len != 32)
			rc = STORE_EDAMAGED;
		else
			memcpy(id, q.val, 32), *found = 1;
	}
	store_plain_free(q.val, q.len);
	return rc;
}

static int next_get(struct store *s, MDB_txn *txn, const char *commune, uint64_t epoch,
		    uint64_t *next)
{
	uint8_t k[KEY_MAX], *v = NULL;
	size_t len = 0;
	int found;
	int rc = meta_get(s, txn, k, key_next(k, commune, epoch), &v, &len, &found);
	*next = 1;
	if (rc == 0 && found) {
		if (len != 8)
			rc = STORE_EDAMAGED;
		else
			*next = store_be64_get(v);
	}
	store_plain_free(v, len);
	return rc;
}

struct next_op {
	const char *commune;
	uint64_t epoch, next;
};

static int next_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct next_op *op = arg;
	return next_get(s, txn, op->commune, op->epoch, &op->next);
}

int store_sync_next(struct store *s, const char *commune, uint64_t epoch, uint64_t *next)
{
	struct next_op op = {commune, epoch, 1};
	if (!s->dkey)
		return STORE_ENOKEY;
	int rc = store_read(s, next_fn, &op);
	*next = op.next;
	return rc;
}

struct apply_op {
	const struct store_sync_batch *b;
	int64_t now;
	size_t applied;
};

/* A report's revision copy and its first-received time. */
static int put_revision(struct store *s, MDB_txn *txn, const struct store_record *r,
			const uint8_t *plain, size_t n, int64_t received)
{
	uint8_t k[KEY_MAX], *old = NULL, tbuf[8];
	size_t klen = key_rev(k, 'R', r->id, r->revision), olen = 0;
	int found, rc = meta_get(s, txn, k, klen, &old, &olen, &found);
	if (rc)
		return rc;
	int newer = 1;
	if (found) {
		struct store_record cur;
		rc = store_record_decode(old, olen, &cur);
		store_plain_free(old, olen);
		if (rc)
			return rc;
		newer = r->version > cur.version;
		store_record_clear(&cur);
	}
	if (newer && (rc = store_seal_put(s, txn, DB_META, k, klen, plain, n, 0)))
		return rc;
	klen = key_rev(k, 'T', r->id, r->revision);
	if ((rc = meta_get(s, txn, k, klen, &old, &olen, &found)))
		return rc;
	store_plain_free(old, olen);
	if (found)
		return STORE_OK;
	store_be64_put(tbuf, (uint64_t)received);
	return store_seal_put(s, txn, DB_META, k, klen, tbuf, sizeof tbuf, 0);
}

static int apply_record(struct store *s, MDB_txn *txn, const struct store_record *r,
			int64_t received, size_t *applied)
{
	uint8_t *plain = NULL, *old = NULL;
	size_t n = 0, olen = 0;
	int rc = store_get_open(s, txn, DB_RECORDS, r->id, STORE_ID_BYTES, &old, &olen);
	int newer = 1;
	if (rc == STORE_OK) {
		struct store_record cur;
		rc = store_record_decode(old, olen, &cur);
		store_plain_free(old, olen);
		if (rc)
			return rc;
		/* The commune's version counts every save of the record, across
		 * revisions, so the highest is the latest. */
		newer = r->version > cur.version;
		/* A record id belongs to one unit: another commune's batch
		 * may not overwrite it. */
		if (strcmp(cur.unit, r->unit) != 0)
			rc = STORE_EINVAL;
		store_record_clear(&cur);
		if (rc)
			return rc;
	} else if (rc != STORE_ENOTFOUND) {
		return rc;
	}
	if ((rc = store_record_encode(r, &plain, &n)))
		return rc;
	if (newer) {
		rc = store_seal_put(s, txn, DB_RECORDS, r->id, STORE_ID_BYTES, plain, n, 0);
		if (rc == 0)
			(*applied)++;
	}
	if (rc == 0 && r->period[0])
		rc = put_revision(s, txn, r, plain, n, received);
	store_plain_free(plain, n);
	return rc;
}

static int apply_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct apply_op *op = arg;
	const struct store_sync_batch *b = op->b;
	uint8_t k[KEY_MAX], *v = NULL, val[64], nb[8];
	size_t len = 0;
	int found, rc;
	uint64_t next;
	op->applied = 0;
	if ((rc = meta_get(s, txn, k, key_seen(k, b->id), &v, &len, &found)))
		return rc;
	store_plain_free(v, len);
	if (found)
		return STORE_EEXIST;
	if ((rc = next_get(s, txn, b->commune, b->epoch, &next)))
		return rc;
	if (next != b->batch_no)
		return STORE_ECONFLICT;
	for (size_t i = 0; i < b->n; i++)
		if ((rc = apply_record(s, txn, &b->recs[i], b->received_at, &op->applied)))
			return rc;
	/* seen: commune NUL epoch batch_no */
	size_t cl = strnlen(b->commune, 16);
	memset(val, 0, sizeof val);
	memcpy(val, b->commune, cl);
	store_be64_put(val + 17, b->epoch);
	store_be64_put(val + 25, b->batch_no);
	if ((rc = store_seal_put(s, txn, DB_META, k, key_seen(k, b->id), val, 33, 0)))
		return rc;
	if ((rc = store_seal_put(s, txn, DB_META, k, key_lineage(k, b->commune, b->epoch, b->batch_no),
				 b->id, 32, 0)))
		return rc;
	store_be64_put(nb, b->batch_no + 1);
	if ((rc = store_seal_put(s, txn, DB_META, k, key_next(k, b->commune, b->epoch), nb, 8, 0)))
		return rc;
	struct store_audit a = {.at = op->now};
	snprintf(a.user, sizeof a.user, "%s", store_actor(s));
	snprintf(a.action, sizeof a.action, "import");
	snprintf(a.detail, sizeof a.detail, "%s #%llu: %zu/%zu", b->commune,
		 (unsigned long long)b->batch_no, op->applied, b->n);
	return store_audit_append(s, txn, &a);
}

int store_sync_apply(struct store *s, const struct store_sync_batch *b, size_t *applied)
{
	struct apply_op op = {b, vn_now(), 0};
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!b->commune || strnlen(b->commune, 17) > 16)
		return STORE_EINVAL;
	int rc = store_write(s, apply_fn, &op);
	if (rc == 0 && applied)
		*applied = op.applied;
	return rc;
}

int store_sync_revision(struct store *s, const uint8_t id[STORE_ID_BYTES], uint32_t rev,
			struct store_record *out, int64_t *received_at)
{
	uint8_t k[KEY_MAX];
	struct q_op q = {k, key_rev(k, 'R', id, rev), NULL, 0, 0};
	int rc = query(s, &q);
	if (rc == 0 && !q.found)
		rc = STORE_ENOTFOUND;
	if (rc == 0) {
		store_record_clear(out);
		rc = store_record_decode(q.val, q.len, out);
	}
	store_plain_free(q.val, q.len);
	if (rc)
		return rc;
	struct q_op t = {k, key_rev(k, 'T', id, rev), NULL, 0, 0};
	*received_at = 0;
	if (query(s, &t) == 0 && t.found && t.len == 8)
		*received_at = (int64_t)store_be64_get(t.val);
	store_plain_free(t.val, t.len);
	return STORE_OK;
}

/* ---- every report revision, for the district's figures ---- */

#define SCAN_STOP 1 /* the walk left the prefix: not an error */

struct rev_time {
	uint8_t id[STORE_ID_BYTES];
	uint32_t rev;
	int64_t at;
};

struct rev_walk {
	struct rev_time *t;
	size_t n, cap;
	int (*fn)(const struct store_record *r, int64_t received_at, void *arg);
	void *arg;
	int rc; /* what fn returned (non-zero stops the walk) */
};

static uint32_t rev_of(const uint8_t *key)
{
	return (uint32_t)key[18] << 24 | (uint32_t)key[19] << 16 | (uint32_t)key[20] << 8 | key[21];
}

static int times_fn(struct store *s, const uint8_t *key, size_t klen, const uint8_t *val,
		    size_t vlen, void *arg)
{
	struct rev_walk *w = arg;
	if (klen != 22 || key[0] != 1 || key[1] != 'T')
		return SCAN_STOP;
	uint8_t *p = NULL;
	size_t n = 0;
	MDB_val v = {vlen, (void *)val};
	int rc = store_open_val(s, DB_META, key, klen, &v, &p, &n);
	if (rc)
		return rc;
	if (n != 8) {
		store_plain_free(p, n);
		return STORE_EDAMAGED;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		struct rev_time *nt = realloc(w->t, cap * sizeof *nt);
		if (!nt) {
			store_plain_free(p, n);
			return STORE_ENOMEM;
		}
		w->t = nt, w->cap = cap;
	}
	struct rev_time *t = &w->t[w->n++];
	memcpy(t->id, key + 2, STORE_ID_BYTES);
	t->rev = rev_of(key);
	t->at = (int64_t)store_be64_get(p);
	store_plain_free(p, n);
	return 0;
}

static int64_t time_find(const struct rev_walk *w, const uint8_t *id, uint32_t rev)
{
	size_t lo = 0, hi = w->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(w->t[mid].id, id, STORE_ID_BYTES);
		if (c == 0)
			c = w->t[mid].rev < rev ? -1 : w->t[mid].rev > rev;
		if (c == 0)
			return w->t[mid].at;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int revs_fn(struct store *s, const uint8_t *key, size_t klen, const uint8_t *val,
		   size_t vlen, void *arg)
{
	struct rev_walk *w = arg;
	if (klen != 22 || key[0] != 1 || key[1] != 'R')
		return SCAN_STOP;
	uint8_t *p = NULL;
	size_t n = 0;
	MDB_val v = {vlen, (void *)val};
	int rc = store_open_val(s, DB_META, key, klen, &v, &p, &n);
	if (rc)
		return rc;
	struct store_record r;
	rc = store_record_decode(p, n, &r);
	store_plain_free(p, n);
	if (rc)
		return rc;
	/* The key names the record and revision the value must be (a value
	 * moved under another key does not open: the key is its AD). */
	if (memcmp(r.id, key + 2, STORE_ID_BYTES) != 0 || r.revision != rev_of(key)) {
		store_record_clear(&r);
		return STORE_EDAMAGED;
	}
	w->rc = w->fn(&r, time_find(w, r.id, r.revision), w->arg);
	store_record_clear(&r);
	return w->rc ? SCAN_STOP : 0;
}

int store_sync_revision_each(struct store *s,
			     int (*fn)(const struct store_record *r, int64_t received_at, void *arg),
			     void *arg)
{
	struct rev_walk w = {NULL, 0, 0, fn, arg, 0};
	const uint8_t tkey[2] = {1, 'T'}, rkey[2] = {1, 'R'};
	if (!s->dkey)
		return STORE_ENOKEY;
	/* Both ranges are in (record id, revision) order; the times are few
	 * (one per revision) and read first, so each revision finds its time
	 * by a binary search. */
	int rc = store_scan(s, DB_META, tkey, sizeof tkey, times_fn, &w);
	if (rc == SCAN_STOP || rc == 0)
		rc = store_scan(s, DB_META, rkey, sizeof rkey, revs_fn, &w);
	if (rc == SCAN_STOP)
		rc = w.rc;
	free(w.t);
	return rc;
}
