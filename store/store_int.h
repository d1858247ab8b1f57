/*
 * store/store_int.h: what the files of store/ share; only they include it.
 *
 * Files:
 *   env.c     the handle, opening the environment, permissions, map growth,
 *             the retrying transaction runners, error mapping, stat
 *   node.c    store_create (a new node: keys, first user, recovery key)
 *   scan.c    walking a database outside transactions
 *   seal.c    sealed values (AD = database name, NUL, LMDB key)
 *   codec.c   table-driven CBOR maps for every structure stored
 *   records.c records, outbox, ids
 *   slots.c   key slots and sealed user profiles, taking the data key
 *   login.c   store_login, store_login_recovery, the recovery key
 *   users.c   user management
 *   audit.c   the hash-chained audit log and its head
 *   meta.c    sealed meta values and clear pub values
 */
#ifndef CCHC_STORE_STORE_INT_H
#define CCHC_STORE_STORE_INT_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "core/secret.h"
#include "store/store.h"

enum store_db { DB_RECORDS, DB_OUTBOX, DB_AUDIT, DB_USERS, DB_META, DB_PUB, DB_COUNT };
const char *store_db_name(int db);

#define STORE_SALT_BYTES 32
#define STORE_HASH_BYTES 32

/* Count a database call that does not go through store_read/_write
 * (+1 before, -1 after): store_fault_in_db() covers it then. */
void store_fault_enter(int delta);

struct store {
	char *dir;   /* node directory */
	char *dbdir; /* dir/db */
	MDB_env *env;
	MDB_dbi dbi[DB_COUNT];
	size_t map_size, map_max;
	int rdonly; /* opened MDB_RDONLY: the file system or the files refuse writes */
	int creating; /* making the node (until the first commit): no audit head yet */
	uint8_t salt[STORE_SALT_BYTES]; /* node salt: keys the slot ids */
	uint8_t audit_pk[32]; /* from pub at open; checked against audit_sk at login */
	uint8_t *dkey;     /* data key (secret_alloc), NULL when logged out */
	uint8_t *audit_sk; /* audit secret key (secret_alloc), with dkey */
	struct store_user who;
};

/* Internal code (never returned to callers): the map is full, grow and retry. */
#define STORE_XMAPFULL (-100)

/* An LMDB or errno code as a STORE_E* code. */
int store_map_err(int rc);

/* A transaction body.  Writers must be retryable: they change nothing
 * outside the transaction (results go to arg and are applied by the caller
 * after a successful commit). */
typedef int (*store_txn_fn)(struct store *s, MDB_txn *txn, void *arg);
/* Run fn in a write transaction and commit; grows the map and retries on
 * MDB_MAP_FULL, reopens the environment on EIO/MDB_PANIC. */
int store_write(struct store *s, store_txn_fn fn, void *arg);
/* Run fn in a read-only transaction. */
int store_read(struct store *s, store_txn_fn fn, void *arg);

/* env.c: open the environment in s->dbdir (flags 0 or MDB_RDONLY); create
 * the databases when create is set; read the pub values unless create. */
int store_env_open(struct store *s, int create);
void store_env_close(struct store *s);
int store_handle_new(const char *dir, const struct store_options *opts, struct store **out);
int store_check_perms(const char *dbdir);

/* scan.c: call fn for each (key, value) of db from key `from` on (fromlen 0:
 * from the first), in key order.  Entries are copied out in chunks, each
 * read in its own short read transaction, so fn runs outside any
 * transaction and may write; the walk is not one snapshot.  fn returning
 * non-zero stops the walk with that value. */
typedef int (*store_scan_fn)(struct store *s, const uint8_t *key, size_t klen,
			     const uint8_t *val, size_t vlen, void *arg);
int store_scan(struct store *s, int db, const void *from, size_t fromlen, store_scan_fn fn,
	       void *arg);

/* seal.c.  Values sealed under s->dkey with AD = name NUL key. */
int store_seal_put(struct store *s, MDB_txn *txn, int db, const void *key, size_t klen,
		   const void *plain, size_t plen, unsigned flags);
int store_open_val(const struct store *s, int db, const void *key, size_t klen,
		   const MDB_val *val, uint8_t **plain, size_t *plen);
int store_get_open(struct store *s, MDB_txn *txn, int db, const void *key, size_t klen,
		   uint8_t **plain, size_t *plen);
/* AD for a value: writes name NUL key into ad (cap bytes); returns its length. */
size_t store_ad(int db, const void *key, size_t klen, uint8_t *ad, size_t cap);
#define STORE_AD_MAX 96
/* Wipe and free a plaintext buffer (NULL is fine). */
void store_plain_free(uint8_t *p, size_t n);

/* codec.c: a C struct as a CBOR map with small unsigned keys.  Unknown keys
 * are skipped when decoding (newer writers), missing ones stay zero. */
enum store_kind {
	SK_U32,   /* uint32_t */
	SK_INT,   /* int (non-negative or negative) */
	SK_I64,   /* int64_t */
	SK_U64,   /* uint64_t */
	SK_TEXT,  /* char[size], NUL-terminated, no NUL inside */
	SK_BYTES, /* uint8_t[size], exactly size bytes */
	SK_VBYTES, /* uint8_t[size], up to size, length in the size_t at lenoff */
	SK_KV,    /* struct kv, text -> text */
};
struct store_field {
	uint8_t key;
	uint8_t kind;
	uint16_t size;
	size_t off;
	size_t lenoff;
};
int store_encode(const struct store_field *f, size_t nf, const void *obj, uint8_t **buf,
		 size_t *len);
/* obj must be zeroed (its SK_KV members empty); STORE_EDAMAGED on bad shape. */
int store_decode(const struct store_field *f, size_t nf, const uint8_t *buf, size_t len,
		 void *obj);

/* records.c */
int store_record_encode(const struct store_record *r, uint8_t **buf, size_t *len);
int store_record_decode(const uint8_t *buf, size_t len, struct store_record *r);
uint64_t store_be64_get(const uint8_t b[8]);
void store_be64_put(uint8_t b[8], uint64_t v);
/* Last key of a database keyed by u64 BE sequence (0 when empty). */
int store_last_seq(struct store *s, MDB_txn *txn, int db, uint64_t *seq);

/* audit.c: append one entry in txn (works without a login); when the data
 * key is there, the sealed chain head follows.  Every write of records,
 * outbox or users must append an entry with the data key in the same
 * transaction: the head records their state (see audit.c). */
int store_audit_append(struct store *s, MDB_txn *txn, const struct store_audit *a);
/* Run by store_write before each logged-in transaction body: the head is
 * there and matches the state it was written with, and pub "audit-pk" is
 * still the key checked at login.  STORE_EDAMAGED if not. */
int store_audit_check_head(struct store *s, MDB_txn *txn);
/* The user name an audit entry should carry. */
const char *store_actor(const struct store *s);

/* slots.c */
void store_slot_id(const struct store *s, const char *name, uint8_t id[STORE_ID_BYTES]);
/* A key slot: the data key wrapped under a key from the password. */
#define STORE_WRAP_BYTES (SECRET_KEY_BYTES + SECRET_SEAL_OVERHEAD)
#define STORE_PROFILE_MAX 256
enum { SLOT_USER = 1, SLOT_RECOVERY = 2 };
struct store_slot {
	int kind;
	int failures;
	int64_t locked_until;
	uint8_t salt[SECRET_SALT_BYTES];
	uint64_t ops, mem;
	uint8_t wrap[STORE_WRAP_BYTES];
	size_t wrap_len; /* 0: no key slot (locked by an administrator) */
	uint8_t profile[STORE_PROFILE_MAX];
	size_t profile_len;
};
int store_slot_get(struct store *s, MDB_txn *txn, const uint8_t id[STORE_ID_BYTES],
		   struct store_slot *slot);
int store_slot_decode(const uint8_t *buf, size_t len, struct store_slot *slot);
int store_slot_put(struct store *s, MDB_txn *txn, const uint8_t id[STORE_ID_BYTES],
		   const struct store_slot *slot, unsigned flags);
/* Wrap s->dkey into slot under key (AD = slot id). */
void store_slot_wrap(const struct store *s, const uint8_t id[STORE_ID_BYTES],
		     const uint8_t key[SECRET_KEY_BYTES], struct store_slot *slot);
/* Make a user slot with a fresh salt and the default cost (Argon2id runs
 * here, outside any transaction). */
int store_slot_make_user(const struct store *s, const uint8_t id[STORE_ID_BYTES],
			 const char *password, struct store_slot *slot);
/* Seal a profile into slot->profile. */
int store_profile_seal(const struct store *s, const uint8_t id[STORE_ID_BYTES],
		       const struct store_user *u, struct store_slot *slot);
int store_profile_open(const struct store *s, const uint8_t id[STORE_ID_BYTES],
		       const struct store_slot *slot, struct store_user *u);
int store_name_ok(const char *name);
/* Take the data key: loads the audit secret key and checks pub "audit-pk"
 * against it (STORE_EDAMAGED when they differ); on success s->dkey,
 * s->audit_sk and s->audit_pk are set (the key is copied). */
int store_take_key(struct store *s, const uint8_t key[SECRET_KEY_BYTES]);
void store_drop_key(struct store *s);

/* login.c */
int store_recovery_make(struct store *s, MDB_txn *txn, const uint8_t rk[SECRET_KEY_BYTES]);
void store_recovery_text(const uint8_t rk[SECRET_KEY_BYTES], char out[STORE_RECOVERY_BUF]);

/* meta.c: internal names start with '.', which store_meta_put refuses. */
int store_meta_put_txn(struct store *s, MDB_txn *txn, const char *name, const void *val,
		       size_t len);
int store_pub_put(struct store *s, MDB_txn *txn, const char *name, const void *val, size_t len);
int store_pub_get(struct store *s, MDB_txn *txn, const char *name, void *val, size_t len);

#endif
