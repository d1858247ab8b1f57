/*
 * store/records.c: records and the outbox.  A save is one write
 * transaction: the record, its outbox entry and its audit entry, so the
 * three can never disagree; "Đã lưu" means that transaction committed.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/vnfmt.h"
#include "store/store_int.h"

#define F(k, kind, member) {k, kind, sizeof(((struct store_record *)0)->member), \
			    offsetof(struct store_record, member), 0}
/* The record on disk (CBOR map).  Keys are fixed forever: add, never reuse. */
static const struct store_field record_fields[] = {
    F(0, SK_BYTES, id),       F(1, SK_TEXT, form),          F(2, SK_U32, form_version),
    F(3, SK_TEXT, unit),      F(4, SK_TEXT, unit_list),     F(5, SK_TEXT, period),
    F(6, SK_INT, state),      F(7, SK_INT, deleted),        F(8, SK_U32, version),
    F(9, SK_U32, revision),   F(10, SK_I64, created_at),    F(11, SK_I64, changed_at),
    F(12, SK_TEXT, changed_by), F(13, SK_I64, submitted_at), F(14, SK_I64, approved_at),
    F(15, SK_TEXT, approved_by), {16, SK_KV, 0, offsetof(struct store_record, fields), 0},
    F(17, SK_U32, returned_revision), F(18, SK_I64, returned_at),
};
#undef F
#define NFIELDS (sizeof record_fields / sizeof *record_fields)

uint64_t store_be64_get(const uint8_t b[8])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

void store_be64_put(uint8_t b[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t)v;
}

void store_record_init(struct store_record *r)
{
	memset(r, 0, sizeof *r);
	r->fields = (struct kv)KV_INIT;
}

void store_record_clear(struct store_record *r)
{
	kv_free(&r->fields);
	store_record_init(r);
}

void store_new_id(uint8_t id[STORE_ID_BYTES])
{
	/* The real clock, not vn_now(): ids need only be unique and roughly
	 * ordered, and a fixed CCHC_NOW must not make them collide-prone. */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	for (int i = 5; i >= 0; i--, ms >>= 8)
		id[i] = (uint8_t)ms;
	secret_random(id + 6, STORE_ID_BYTES - 6);
}

int store_record_encode(const struct store_record *r, uint8_t **buf, size_t *len)
{
	return store_encode(record_fields, NFIELDS, r, buf, len);
}

int store_record_decode(const uint8_t *buf, size_t len, struct store_record *r)
{
	store_record_init(r);
	int rc = store_decode(record_fields, NFIELDS, buf, len, r);
	if (rc)
		store_record_clear(r);
	return rc;
}

/* Open and decode a stored record value; the id inside must be the key. */
static int record_from_val(const struct store *s, int db, const uint8_t *key, size_t klen,
			   const MDB_val *v, struct store_record *r)
{
	uint8_t *plain;
	size_t n;
	int rc = store_open_val(s, db, key, klen, v, &plain, &n);
	if (rc)
		return rc;
	rc = store_record_decode(plain, n, r);
	store_plain_free(plain, n);
	if (rc == 0 && db == DB_RECORDS && memcmp(r->id, key, STORE_ID_BYTES) != 0) {
		store_record_clear(r);
		rc = STORE_EDAMAGED;
	}
	return rc;
}

int store_last_seq(struct store *s, MDB_txn *txn, int db, uint64_t *seq)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn, s->dbi[db], &cur);
	if (rc)
		return store_map_err(rc);
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND) {
		*seq = 0;
		return STORE_OK;
	}
	if (rc)
		return store_map_err(rc);
	if (k.mv_size != 8)
		return STORE_EDAMAGED;
	*seq = store_be64_get(k.mv_data);
	return STORE_OK;
}

struct get_op {
	const uint8_t *id;
	struct store_record *r;
};

static int get_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct get_op *op = arg;
	MDB_val k = {STORE_ID_BYTES, (void *)op->id}, v;
	int rc = mdb_get(txn, s->dbi[DB_RECORDS], &k, &v);
	if (rc)
		return store_map_err(rc);
	return record_from_val(s, DB_RECORDS, op->id, STORE_ID_BYTES, &v, op->r);
}

int store_record_get(struct store *s, const uint8_t id[STORE_ID_BYTES], struct store_record *out)
{
	struct store_record r;
	struct get_op op = {id, &r};
	if (!s->dkey)
		return STORE_ENOKEY;
	store_record_init(&r);
	int rc = store_read(s, get_fn, &op);
	if (rc)
		return rc;
	store_record_clear(out);
	*out = r;
	return STORE_OK;
}

struct put_op {
	const struct store_record *r;
	const char *action;
	int64_t now;
	/* results, applied to the caller's record after the commit */
	uint32_t version;
	int64_t created_at;
};

static int put_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct put_op *op = arg;
	struct store_record rec = *op->r; /* shallow: fields stay the caller's */
	MDB_val k = {STORE_ID_BYTES, (void *)op->r->id}, v;
	uint8_t *plain = NULL, seqkey[8];
	size_t n = 0;
	uint64_t seq;
	int rc = mdb_get(txn, s->dbi[DB_RECORDS], &k, &v);
	if (rc == 0) {
		struct store_record old;
		if (op->r->version == 0)
			return STORE_EEXIST;
		if ((rc = record_from_val(s, DB_RECORDS, op->r->id, STORE_ID_BYTES, &v, &old)))
			return rc;
		rc = old.version != op->r->version ? STORE_ECONFLICT : STORE_OK;
		rec.created_at = old.created_at;
		store_record_clear(&old);
		if (rc)
			return rc;
	} else if (rc == MDB_NOTFOUND) {
		if (op->r->version != 0)
			return STORE_ENOTFOUND;
		rec.created_at = op->now;
	} else {
		return store_map_err(rc);
	}
	rec.version = op->r->version + 1;
	rec.changed_at = op->now;
	memcpy(rec.changed_by, s->who.name, sizeof rec.changed_by);
	if ((rc = store_record_encode(&rec, &plain, &n)))
		return rc;
	if ((rc = store_seal_put(s, txn, DB_RECORDS, rec.id, STORE_ID_BYTES, plain, n, 0)))
		goto free_plain;
	if ((rc = store_last_seq(s, txn, DB_OUTBOX, &seq)))
		goto free_plain;
	store_be64_put(seqkey, seq + 1);
	if ((rc = store_seal_put(s, txn, DB_OUTBOX, seqkey, 8, plain, n, MDB_APPEND)))
		goto free_plain;
	struct store_audit a = {.at = op->now, .old_version = op->r->version,
				.new_version = rec.version};
	memcpy(a.user, s->who.name, sizeof a.user);
	snprintf(a.action, sizeof a.action, "%s", op->action);
	memcpy(a.record, rec.id, STORE_ID_BYTES);
	snprintf(a.detail, sizeof a.detail, "%s %s %s", rec.form, rec.unit, rec.period);
	if ((rc = store_audit_append(s, txn, &a)))
		goto free_plain;
	op->version = rec.version;
	op->created_at = rec.created_at;
free_plain:
	store_plain_free(plain, n);
	return rc;
}

static int text_ok(const char *t, size_t size)
{
	return strnlen(t, size) < size;
}

int store_record_put(struct store *s, struct store_record *r, const char *action)
{
	struct put_op op = {r, action, vn_now(), 0, 0};
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!action || !*action || strlen(action) >= STORE_NAME_MAX || !text_ok(r->form, sizeof r->form) ||
	    !text_ok(r->unit, sizeof r->unit) || !text_ok(r->unit_list, sizeof r->unit_list) ||
	    !text_ok(r->period, sizeof r->period) || !text_ok(r->approved_by, sizeof r->approved_by) ||
	    r->version == UINT32_MAX)
		return STORE_EINVAL;
	int rc = store_write(s, put_fn, &op);
	if (rc)
		return rc;
	r->version = op.version;
	r->created_at = op.created_at;
	r->changed_at = op.now;
	memcpy(r->changed_by, s->who.name, sizeof r->changed_by);
	return STORE_OK;
}

struct each_op {
	int db;
	int (*rec_fn)(const struct store_record *r, void *arg);
	int (*out_fn)(uint64_t seq, const struct store_record *r, void *arg);
	void *arg;
};

static int each_fn(struct store *s, const uint8_t *key, size_t klen, const uint8_t *val,
		   size_t vlen, void *arg)
{
	struct each_op *op = arg;
	struct store_record r;
	MDB_val v = {vlen, (void *)val};
	if (klen != (op->db == DB_RECORDS ? STORE_ID_BYTES : 8))
		return STORE_EDAMAGED;
	int rc = record_from_val(s, op->db, key, klen, &v, &r);
	if (rc)
		return rc;
	rc = op->rec_fn ? op->rec_fn(&r, op->arg) : op->out_fn(store_be64_get(key), &r, op->arg);
	store_record_clear(&r);
	return rc;
}

int store_record_each(struct store *s, int (*fn)(const struct store_record *r, void *arg),
		      void *arg)
{
	struct each_op op = {DB_RECORDS, fn, NULL, arg};
	if (!s->dkey)
		return STORE_ENOKEY;
	return store_scan(s, DB_RECORDS, NULL, 0, each_fn, &op);
}

int store_outbox_each(struct store *s, uint64_t from,
		      int (*fn)(uint64_t seq, const struct store_record *r, void *arg), void *arg)
{
	struct each_op op = {DB_OUTBOX, NULL, fn, arg};
	uint8_t key[8];
	if (!s->dkey)
		return STORE_ENOKEY;
	store_be64_put(key, from);
	return store_scan(s, DB_OUTBOX, key, sizeof key, each_fn, &op);
}

static int last_fn(struct store *s, MDB_txn *txn, void *arg)
{
	return store_last_seq(s, txn, DB_OUTBOX, arg);
}

int store_outbox_last(struct store *s, uint64_t *seq)
{
	return store_read(s, last_fn, seq);
}
