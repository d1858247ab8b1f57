/*
 * store/audit.c: the append-only audit log.
 *
 * Entry seq (key: u64 BE, from 1) is a CBOR map sealed to the node's audit
 * public key (secret_seal_to, AD = "audit" NUL key), so a process without
 * the data key (a failed login) can append.  Each entry carries
 * BLAKE2b-256 of the previous entry's stored bytes: an altered, removed or
 * reordered entry breaks the chain at the next one.
 *
 * The chain alone cannot show a removed tail.  So every writer holding the
 * data key also updates the head, meta ".audit-head" = seq (u64 BE) ||
 * BLAKE2b-256 of that entry's stored bytes, sealed under the data key, in
 * the same transaction, and never reuses a sequence number the head has
 * seen, so a removed tail stays a gap in the keys.  Limits: entries appended without the data key
 * (failed logins) after the last logged-in write are not covered by the
 * head until the next logged-in write; and someone who replaces the whole
 * database with an older copy of itself rolls back log and head together
 * (only the district's copy, through sync, can show that).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vnfmt.h"
#include "store/store_int.h"

struct audit_wire {
	struct store_audit a;
	uint8_t prev[STORE_HASH_BYTES];
};

#define F(k, kind, member) {k, kind, sizeof(((struct audit_wire *)0)->member), \
			    offsetof(struct audit_wire, member), 0}
static const struct store_field audit_fields[] = {
    F(0, SK_U64, a.seq),         F(1, SK_I64, a.at),          F(2, SK_TEXT, a.user),
    F(3, SK_TEXT, a.action),     F(4, SK_BYTES, a.record),    F(5, SK_U32, a.old_version),
    F(6, SK_U32, a.new_version), F(7, SK_TEXT, a.detail),     F(8, SK_BYTES, prev),
};
#undef F
#define NFIELDS (sizeof audit_fields / sizeof *audit_fields)

#define HEAD_NAME ".audit-head"
#define HEAD_BYTES (8 + STORE_HASH_BYTES)

const char *store_actor(const struct store *s)
{
	return s->dkey ? s->who.name : "";
}

/* The head as last written by a logged-in writer (seq 0: none yet). */
static int head_get(struct store *s, MDB_txn *txn, uint64_t *seq, uint8_t hash[STORE_HASH_BYTES])
{
	uint8_t *plain;
	size_t n;
	int rc = store_get_open(s, txn, DB_META, HEAD_NAME, strlen(HEAD_NAME), &plain, &n);
	*seq = 0;
	if (rc == STORE_ENOTFOUND)
		return STORE_OK;
	if (rc)
		return rc;
	if (n == HEAD_BYTES) {
		*seq = store_be64_get(plain);
		memcpy(hash, plain + 8, STORE_HASH_BYTES);
	} else {
		rc = STORE_EDAMAGED;
	}
	store_plain_free(plain, n);
	return rc;
}

int store_audit_append(struct store *s, MDB_txn *txn, const struct store_audit *a)
{
	struct audit_wire w;
	uint8_t key[8], ad[STORE_AD_MAX], *plain = NULL, head[HEAD_BYTES];
	uint64_t head_seq = 0;
	size_t n = 0;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;
	/* A logged-in writer never reuses a number the head has seen: after a
	 * removed tail the keys keep a gap, which verify reports.  A damaged
	 * head stops the write rather than being papered over. */
	if (s->dkey && (rc = head_get(s, txn, &head_seq, head + 8)))
		return rc;
	if ((rc = mdb_cursor_open(txn, s->dbi[DB_AUDIT], &cur)))
		return store_map_err(rc);
	w.a = *a;
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == MDB_NOTFOUND) {
		w.a.seq = 1;
		memset(w.prev, 0, sizeof w.prev);
	} else if (rc == 0 && k.mv_size == 8) {
		w.a.seq = store_be64_get(k.mv_data) + 1;
		secret_hash(v.mv_data, v.mv_size, NULL, 0, w.prev, sizeof w.prev);
	}
	mdb_cursor_close(cur);
	if (rc && rc != MDB_NOTFOUND)
		return store_map_err(rc);
	if (rc == 0 && k.mv_size != 8)
		return STORE_EDAMAGED;
	if (head_seq >= w.a.seq)
		w.a.seq = head_seq + 1;
	if ((rc = store_encode(audit_fields, NFIELDS, &w, &plain, &n)))
		return rc;
	store_be64_put(key, w.a.seq);
	size_t adlen = store_ad(DB_AUDIT, key, sizeof key, ad, sizeof ad);
	k = (MDB_val){sizeof key, key};
	v = (MDB_val){n + SECRET_SEAL_TO_OVERHEAD, NULL};
	rc = mdb_put(txn, s->dbi[DB_AUDIT], &k, &v, MDB_APPEND | MDB_RESERVE);
	if (rc) {
		rc = store_map_err(rc);
		goto free_plain;
	}
	if (secret_seal_to(s->audit_pk, ad, adlen, plain, n, v.mv_data) != 0) {
		rc = STORE_EDAMAGED; /* a low-order audit key: the pub value is bad */
		goto free_plain;
	}
	if (s->dkey) {
		store_be64_put(head, w.a.seq);
		secret_hash(v.mv_data, v.mv_size, NULL, 0, head + 8, STORE_HASH_BYTES);
		rc = store_meta_put_txn(s, txn, HEAD_NAME, head, sizeof head);
	}
free_plain:
	store_plain_free(plain, n);
	return rc;
}

static int audit_open(const struct store *s, const uint8_t *key, size_t klen, const uint8_t *val,
		      size_t vlen, struct audit_wire *w)
{
	uint8_t ad[STORE_AD_MAX];
	size_t adlen = store_ad(DB_AUDIT, key, klen, ad, sizeof ad);
	if (klen != 8 || vlen < SECRET_SEAL_TO_OVERHEAD)
		return STORE_EDAMAGED;
	size_t n = vlen - SECRET_SEAL_TO_OVERHEAD;
	uint8_t *plain = malloc(n ? n : 1);
	if (!plain)
		return STORE_ENOMEM;
	int rc = secret_open_from(s->audit_pk, s->audit_sk, ad, adlen, val, vlen, plain);
	if (rc == 0) {
		memset(w, 0, sizeof *w);
		rc = store_decode(audit_fields, NFIELDS, plain, n, w);
		if (rc == 0 && w->a.seq != store_be64_get(key))
			rc = STORE_EDAMAGED;
	} else {
		rc = STORE_EDAMAGED;
	}
	store_plain_free(plain, n);
	return rc;
}

struct add_op {
	const char *action, *detail;
};

static int add_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct add_op *op = arg;
	struct store_audit a = {.at = vn_now()};
	snprintf(a.user, sizeof a.user, "%s", store_actor(s));
	snprintf(a.action, sizeof a.action, "%s", op->action);
	snprintf(a.detail, sizeof a.detail, "%s", op->detail ? op->detail : "");
	return store_audit_append(s, txn, &a);
}

int store_audit_add(struct store *s, const char *action, const char *detail)
{
	struct add_op op = {action, detail};
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!action || !*action || strlen(action) >= STORE_NAME_MAX)
		return STORE_EINVAL;
	return store_write(s, add_fn, &op);
}

struct each_op {
	int (*fn)(const struct store_audit *a, void *arg);
	void *arg;
};

static int each_fn(struct store *s, const uint8_t *key, size_t klen, const uint8_t *val,
		   size_t vlen, void *arg)
{
	struct each_op *op = arg;
	struct audit_wire w;
	int rc = audit_open(s, key, klen, val, vlen, &w);
	return rc ? rc : op->fn(&w.a, op->arg);
}

int store_audit_each(struct store *s, int (*fn)(const struct store_audit *a, void *arg),
		     void *arg)
{
	struct each_op op = {fn, arg};
	if (!s->audit_sk)
		return STORE_ENOKEY;
	return store_scan(s, DB_AUDIT, NULL, 0, each_fn, &op);
}

struct verify_op {
	uint64_t next; /* the seq expected next */
	uint8_t prev[STORE_HASH_BYTES];
	uint64_t head_seq; /* 0: no head */
	uint8_t head_hash[STORE_HASH_BYTES];
	uint64_t first_bad;
};

static int verify_fn(struct store *s, const uint8_t *key, size_t klen, const uint8_t *val,
		     size_t vlen, void *arg)
{
	struct verify_op *op = arg;
	struct audit_wire w;
	uint8_t h[STORE_HASH_BYTES];
	/* A gap in the keys: the expected entry was removed. */
	if (klen != 8 || store_be64_get(key) != op->next ||
	    audit_open(s, key, klen, val, vlen, &w) != 0 ||
	    memcmp(w.prev, op->prev, sizeof w.prev) != 0) {
		op->first_bad = op->next;
		return 1;
	}
	secret_hash(val, vlen, NULL, 0, h, sizeof h);
	if (op->next == op->head_seq && memcmp(h, op->head_hash, sizeof h) != 0) {
		op->first_bad = op->next;
		return 1;
	}
	memcpy(op->prev, h, sizeof h);
	op->next++;
	return 0;
}

static int head_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct verify_op *op = arg;
	return head_get(s, txn, &op->head_seq, op->head_hash);
}

int store_audit_verify(struct store *s, uint64_t *count, uint64_t *first_bad)
{
	struct verify_op op = {.next = 1};
	*count = 0;
	*first_bad = 0;
	if (!s->audit_sk)
		return STORE_ENOKEY;
	/* The head first: it only moves forward, so the walk that follows sees
	 * at least the entry it names. */
	int rc = store_read(s, head_fn, &op);
	if (rc == STORE_EDAMAGED) {
		*first_bad = 1; /* the head itself is damaged: trust nothing */
		return rc;
	}
	if (rc)
		return rc;
	rc = store_scan(s, DB_AUDIT, NULL, 0, verify_fn, &op);
	if (rc < 0)
		return rc;
	*count = op.next - 1;
	if (!op.first_bad && op.head_seq > *count)
		op.first_bad = *count + 1; /* entries after the last one were removed */
	*first_bad = op.first_bad;
	return op.first_bad ? STORE_EDAMAGED : STORE_OK;
}
