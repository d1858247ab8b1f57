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
 * data key also updates the head, meta ".audit-head", sealed under the data
 * key in the same transaction: seq and BLAKE2b-256 of that entry's stored
 * bytes, then the state the head was written with (the outbox's last seq,
 * the number of records and of key slots, u64 BE each).  A logged-in writer
 * never reuses a sequence number the head has seen, so a removed tail stays
 * a gap in the keys.  A node has a head from its first transaction on: a
 * missing head is damage (only the handle that makes the node starts one).
 *
 * Only logged-in writers change records, outbox and users, each with an
 * audit entry in the same transaction, so the state always equals the
 * head's.  store_write checks that before each logged-in transaction, and
 * verify checks it too, so an older sealed head copied back (with the log
 * cut to match) shows once anything was saved or a user added since.
 * Verify also requires that every entry after the head's is one a process
 * without the data key writes (a refused login), and that every outbox
 * entry (record id, version) has its audit entry.
 *
 * Limits: entries appended without the data key (refused logins) after the
 * last logged-in write are covered by the chain only until the next
 * logged-in write; an older head copied back with the log cut to match
 * goes unnoticed when only audit-only events (notes, logins, password
 * changes) happened since; and someone who replaces the whole database
 * with an older copy of itself rolls back log, head and state together
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
#define HEAD_STATE 3 /* outbox last seq, records, key slots */
#define HEAD_BYTES (8 + STORE_HASH_BYTES + HEAD_STATE * 8)

struct head {
	uint64_t seq; /* 0: none yet (the node is being made) */
	uint8_t hash[STORE_HASH_BYTES];
	uint64_t state[HEAD_STATE];
};

const char *store_actor(const struct store *s)
{
	return s->dkey ? s->who.name : "";
}

/* What the head binds.  Only logged-in writers change it, each appending
 * an audit entry (and so a new head) in the same transaction. */
static int state_get(struct store *s, MDB_txn *txn, uint64_t state[HEAD_STATE])
{
	MDB_stat ms;
	int rc = store_last_seq(s, txn, DB_OUTBOX, &state[0]);
	if (rc)
		return rc;
	if ((rc = mdb_stat(txn, s->dbi[DB_RECORDS], &ms)))
		return store_map_err(rc);
	state[1] = ms.ms_entries;
	if ((rc = mdb_stat(txn, s->dbi[DB_USERS], &ms)))
		return store_map_err(rc);
	state[2] = ms.ms_entries;
	return STORE_OK;
}

/* The head as last written by a logged-in writer.  A missing head is damage
 * (someone removed it to cut the log), except in the handle that makes the
 * node, before its first entry (h->seq 0). */
static int head_get(struct store *s, MDB_txn *txn, struct head *h)
{
	uint8_t *plain;
	size_t n;
	MDB_stat ms;
	memset(h, 0, sizeof *h);
	int rc = store_get_open(s, txn, DB_META, HEAD_NAME, strlen(HEAD_NAME), &plain, &n);
	if (rc == STORE_ENOTFOUND) {
		if ((rc = mdb_stat(txn, s->dbi[DB_AUDIT], &ms)))
			return store_map_err(rc);
		return s->creating && ms.ms_entries == 0 ? STORE_OK : STORE_EDAMAGED;
	}
	if (rc)
		return rc;
	if (n == HEAD_BYTES) {
		h->seq = store_be64_get(plain);
		memcpy(h->hash, plain + 8, STORE_HASH_BYTES);
		for (int i = 0; i < HEAD_STATE; i++)
			h->state[i] = store_be64_get(plain + 8 + STORE_HASH_BYTES + 8 * i);
		if (h->seq == 0)
			rc = STORE_EDAMAGED;
	} else {
		rc = STORE_EDAMAGED;
	}
	store_plain_free(plain, n);
	return rc;
}

static int head_put(struct store *s, MDB_txn *txn, uint64_t seq, const MDB_val *entry)
{
	uint8_t head[HEAD_BYTES];
	uint64_t state[HEAD_STATE];
	int rc = state_get(s, txn, state);
	if (rc)
		return rc;
	store_be64_put(head, seq);
	secret_hash(entry->mv_data, entry->mv_size, NULL, 0, head + 8, STORE_HASH_BYTES);
	for (int i = 0; i < HEAD_STATE; i++)
		store_be64_put(head + 8 + STORE_HASH_BYTES + 8 * i, state[i]);
	return store_meta_put_txn(s, txn, HEAD_NAME, head, sizeof head);
}

int store_audit_check_head(struct store *s, MDB_txn *txn)
{
	struct head h;
	uint64_t state[HEAD_STATE];
	uint8_t pk[32];
	int rc = head_get(s, txn, &h);
	if (rc || h.seq == 0)
		return rc;
	if ((rc = state_get(s, txn, state)))
		return rc;
	if (memcmp(state, h.state, sizeof state) != 0)
		return STORE_EDAMAGED; /* an older head copied back */
	/* A key swapped in pub since the login would let its owner read the
	 * entries of refused logins: stop at the next logged-in write. */
	if ((rc = store_pub_get(s, txn, "audit-pk", pk, sizeof pk)))
		return rc;
	return memcmp(pk, s->audit_pk, sizeof pk) == 0 ? STORE_OK : STORE_EDAMAGED;
}

int store_audit_append(struct store *s, MDB_txn *txn, const struct store_audit *a)
{
	struct audit_wire w;
	struct head h = {0};
	uint8_t key[8], ad[STORE_AD_MAX], *plain = NULL;
	size_t n = 0;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;
	/* A logged-in writer never reuses a number the head has seen: after a
	 * removed tail the keys keep a gap, which verify reports.  A damaged
	 * or missing head stops the write rather than being papered over. */
	if (s->dkey && (rc = head_get(s, txn, &h)))
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
	if (h.seq >= w.a.seq)
		w.a.seq = h.seq + 1;
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
	if (s->dkey)
		rc = head_put(s, txn, w.a.seq, &v);
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

/* The actions a process without the data key appends (store/login.c):
 * the only ones that may follow the head. */
static int keyless_action(const char *action)
{
	static const char *const ok[] = {"login-failed", "login-locked", "login-recovery-failed"};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (strcmp(action, ok[i]) == 0)
			return 1;
	return 0;
}

struct saved {
	uint8_t id[STORE_ID_BYTES];
	uint32_t version;
};

static int saved_cmp(const void *a, const void *b)
{
	const struct saved *x = a, *y = b;
	int c = memcmp(x->id, y->id, sizeof x->id);
	return c ? c : (x->version > y->version) - (x->version < y->version);
}

struct verify_op {
	uint64_t next; /* the seq expected next */
	uint8_t prev[STORE_HASH_BYTES];
	/* One snapshot: the head, the state and the last seq it saw. */
	struct head head;
	uint64_t state[HEAD_STATE];
	uint64_t last;
	uint64_t first_bad;
	int mismatch; /* the log disagrees with the head's state or the outbox */
	/* (record, version) of every save entry up to last, for the outbox */
	struct saved *saved;
	size_t nsaved, cap;
};

static int saved_add(struct verify_op *op, const struct store_audit *a)
{
	static const uint8_t zero[STORE_ID_BYTES];
	if (memcmp(a->record, zero, sizeof zero) == 0)
		return STORE_OK;
	if (op->nsaved == op->cap) {
		size_t cap = op->cap ? op->cap * 2 : 256;
		struct saved *v = realloc(op->saved, cap * sizeof *v);
		if (!v)
			return STORE_ENOMEM;
		op->saved = v;
		op->cap = cap;
	}
	memcpy(op->saved[op->nsaved].id, a->record, STORE_ID_BYTES);
	op->saved[op->nsaved++].version = a->new_version;
	return STORE_OK;
}

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
	if (op->next == op->head.seq && memcmp(h, op->head.hash, sizeof h) != 0) {
		op->first_bad = op->next;
		return 1;
	}
	/* Past the head only refused logins (entries written after the
	 * snapshot are not judged: their head is newer than ours). */
	if (op->next > op->head.seq && op->next <= op->last && !keyless_action(w.a.action)) {
		op->first_bad = op->next;
		return 1;
	}
	if (op->next <= op->last) {
		int rc = saved_add(op, &w.a);
		if (rc)
			return rc;
	}
	memcpy(op->prev, h, sizeof h);
	op->next++;
	return 0;
}

static int head_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct verify_op *op = arg;
	int rc = head_get(s, txn, &op->head);
	if (rc == 0)
		rc = state_get(s, txn, op->state);
	if (rc == 0)
		rc = store_last_seq(s, txn, DB_AUDIT, &op->last);
	return rc;
}

/* Every outbox entry up to the snapshot has its audit entry. */
static int outbox_fn(uint64_t seq, const struct store_record *r, void *arg)
{
	struct verify_op *op = arg;
	struct saved key;
	if (seq > op->state[0])
		return 1;
	memcpy(key.id, r->id, sizeof key.id);
	key.version = r->version;
	if (!op->nsaved || !bsearch(&key, op->saved, op->nsaved, sizeof key, saved_cmp)) {
		op->mismatch = 1;
		return 1;
	}
	return 0;
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
		*first_bad = 1; /* the head is damaged or missing: trust nothing */
		return rc;
	}
	if (rc)
		return rc;
	rc = store_scan(s, DB_AUDIT, NULL, 0, verify_fn, &op);
	if (rc < 0)
		goto free_saved;
	*count = op.next - 1;
	if (!op.first_bad) {
		if (memcmp(op.state, op.head.state, sizeof op.state) != 0)
			op.mismatch = 1; /* an older head copied back */
		if (!op.mismatch) {
			if (op.nsaved)
				qsort(op.saved, op.nsaved, sizeof *op.saved, saved_cmp);
			rc = store_outbox_each(s, 1, outbox_fn, &op);
			if (rc < 0)
				goto free_saved;
		}
		/* Entries after the last intact one were removed, or the log
		 * was rolled back. */
		if (op.head.seq > *count || op.mismatch)
			op.first_bad = *count + 1;
	}
	*first_bad = op.first_bad;
	rc = op.first_bad ? STORE_EDAMAGED : STORE_OK;
free_saved:
	free(op.saved);
	return rc;
}
