/*
 * store/store.h: the node's database, over LMDB.
 *
 * Map.  A node directory holds `db/` (the LMDB environment: data.mdb,
 * lock.mdb), created 0700 with files 0600 whatever the umask.  store/ is the
 * only code that includes <lmdb.h>.  Named databases, opened once at open:
 *   records  id[16]            -> sealed CBOR record
 *   outbox   seq u64 BE        -> sealed CBOR record state (one per save,
 *                                 written in the same transaction; sync reads it)
 *   audit    seq u64 BE        -> value sealed to the node's audit key,
 *                                 hash-chained (prev BLAKE2b-256 in each entry)
 *   users    slot id[16]       -> key slot (Argon2id salt, cost, wrapped data
 *                                 key, failure count) + sealed profile
 *   meta     ASCII name        -> sealed value (node secrets, counters)
 *   pub      ASCII name        -> public values (audit public key, node salt)
 *
 * Data at rest (SPEC §8).  Every value in records, outbox, meta and the user
 * profiles is sealed with XChaCha20-Poly1305 under the node's random 256-bit
 * data key with its LMDB key (and database name) as associated data, so a
 * changed byte reads as STORE_EDAMAGED, never as a wrong value.  The data key
 * exists on disk only wrapped: once per user (a key from the password by
 * Argon2id, like LUKS slots) and once for the recovery key made at create.
 * Audit entries are sealed to the node's audit public key, so a process
 * without the data key (a failed login) can still append them; reading needs
 * the audit secret key, itself sealed under the data key.  User slot ids are
 * keyed hashes of the NFC, lower-cased name: no name is stored in clear.
 *
 * Transactions are short and never held across calls.  A save is one write
 * transaction: record + outbox + audit.  MDB_MAP_FULL grows the map and
 * retries the whole transaction; an EIO on commit closes and reopens the
 * environment.  Default durable flags (never NOSYNC, NOMETASYNC, WRITEMAP);
 * mdb_reader_check at open; two processes may share one node.
 *
 * Contracts.  Functions return 0 or a negative STORE_E* code
 * (store_strerror()); out-parameters come last.  Strings are NUL-terminated
 * UTF-8, already NFC (the store does not normalize).  struct store is one
 * handle per process per node; it is not thread-safe.  Everything a caller
 * receives is its own copy (nothing borrowed from LMDB escapes).
 */
#ifndef CCHC_STORE_STORE_H
#define CCHC_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/kv.h"

enum {
	STORE_OK = 0,
	STORE_ENOTFOUND = -1,  /* no such record / user / name */
	STORE_EEXIST = -2,     /* already exists (node, user, record id) */
	STORE_EDAMAGED = -3,   /* a sealed value failed authentication, or bad format */
	STORE_EIO = -4,        /* I/O error (the environment was reopened) */
	STORE_ENOSPC = -5,     /* the disk is full */
	STORE_EROFS = -6,      /* the node is read-only (file system or permissions) */
	STORE_ENONODE = -7,    /* the directory is not a cchc node */
	STORE_EPASSWORD = -8,  /* wrong password (counted and audited) */
	STORE_ELOCKED = -9,    /* the user is locked (by an admin, or for 5 minutes after 5 failures) */
	STORE_ENOKEY = -10,    /* needs a logged-in session (the data key) */
	STORE_ECONFLICT = -11, /* the record changed since it was read (version) */
	STORE_ENOMEM = -12,
	STORE_EINVAL = -13,    /* bad argument (name too long, empty password...) */
	STORE_EBUSY = -14,     /* the map could not grow further */
	STORE_EPERM = -15,     /* file permissions too open (key or database readable by others) */
};

const char *store_strerror(int err);

struct store;

struct store_options {
	size_t map_size; /* initial map size in bytes (0: 64 MiB) */
	size_t map_max;  /* growth limit (0: 64 GiB on 64-bit, 1 GiB on 32-bit) */
};

#define STORE_ID_BYTES 16
#define STORE_NAME_MAX 64     /* user names, form ids, actions: bytes incl. NUL */
#define STORE_RECOVERY_BUF 80 /* recovery key text: groups of digits/letters */
#define STORE_REASON_MAX 1024 /* a return's reason: bytes incl. NUL (text <= 1000) */
/* The recovery key text: 32 random bytes in RFC 4648 base32 (A-Z, 2-7), 52
 * symbols in 13 groups of 4 separated by spaces, 64 characters, e.g.
 * "MZXW 6YTB ...".  Reading ignores spaces, '-', tabs and case, and takes
 * 0, 1, 8 for O, I, B (common copying mistakes). */

enum store_role {
	STORE_ROLE_CANBO = 1,   /* commune officer */
	STORE_ROLE_LANHDAO = 2, /* commune leader */
	STORE_ROLE_HUYEN = 3,   /* district staff */
	STORE_ROLE_QUANTRI = 4, /* administrator */
};

/* Create a node database in dir/db (dir is created 0700 if missing; an
 * existing database is STORE_EEXIST).  Makes the data key, the audit key
 * pair, the first user (admin, STORE_ROLE_QUANTRI, with password) and a
 * recovery key whose text is written to recovery (the caller shows it and
 * stores it).  On success the returned handle is logged in as admin. */
int store_create(const char *dir, const char *admin, const char *password,
		 const struct store_options *opts, char recovery[STORE_RECOVERY_BUF],
		 struct store **out);

/* Open an existing node (not logged in).  opts may be NULL.  STORE_ENONODE
 * when dir/db holds no node, STORE_EPERM when dir/db or its files are open
 * to group or others.  When the environment cannot be opened for writing
 * (a read-only file system, files not writable: EROFS/EACCES), the node is
 * opened read-only (MDB_RDONLY): reads and logins work, every write returns
 * STORE_EROFS, and failed logins are neither counted nor audited. */
int store_open(const char *dir, const struct store_options *opts, struct store **out);

/* 1 while the calling process is inside a database call (opening the
 * environment, a transaction, a backup copy).  LMDB maps the file and
 * follows its page numbers unchecked, so a damaged page can make it read
 * outside the map: a SIGSEGV or SIGBUS while this is 1 is damage to the
 * data, not a bug of the program, and main() says so (exit 65) instead of
 * crashing.  Async-signal-safe. */
int store_fault_in_db(void);

/* Close and wipe the data key.  NULL is fine. */
void store_close(struct store *s);

struct store_user {
	char name[STORE_NAME_MAX];
	int role;                 /* enum store_role */
	int locked;               /* locked by an administrator: no key slot */
	int failures;             /* consecutive wrong passwords */
	int64_t locked_until;     /* temporary lockout end (unix time), 0 if none */
	int64_t created_at;
};

/* Unwrap the data key with name's password.  Wrong password: the failure is
 * counted and audited, STORE_EPASSWORD; the fifth consecutive failure locks
 * the user for five minutes (STORE_ELOCKED, who->locked_until set, also for
 * attempts during the lockout, which are audited too).  Success resets the
 * count and fills *who (may be NULL). */
/* An unknown name answers STORE_EPASSWORD too (and is audited), after the
 * same Argon2id work at the default cost, so timing does not tell which
 * names exist.  A lock set (by an administrator, or failures in another
 * process) while the password was being checked wins: STORE_ELOCKED, no
 * key, the failure count kept.  A slot asking for more than
 * SECRET_PWCOST_OPS_MAX passes is STORE_EDAMAGED; so is a node whose
 * audit public key no longer matches its sealed secret key.  On
 * STORE_EPASSWORD/STORE_ELOCKED, *who holds only name, failures,
 * locked_until and locked (the profile is sealed).  Names match with ASCII
 * letters folded to lower case; other bytes must be equal (NFC). */
int store_login(struct store *s, const char *name, const char *password, struct store_user *who);
/* Unwrap the data key with the recovery key text (spaces and case ignored).
 * The session then acts as user "(recovery)", role STORE_ROLE_QUANTRI (to
 * reset a password).  A wrong key is STORE_EPASSWORD (audited, no lockout:
 * the key is 256 random bits). */
int store_login_recovery(struct store *s, const char *recovery);
/* The logged-in user, or NULL. */
const struct store_user *store_whoami(const struct store *s);

/* Users (need a login).  The store does not check roles: cli/ and tui/
 * decide who may call these.  Each change is audited.  user_passwd on a
 * locked user is STORE_ELOCKED (use unlock); locking oneself (under any
 * ASCII letter case) is STORE_EINVAL; unlock also ends a temporary lockout. */
int store_user_add(struct store *s, const char *name, int role, const char *password);
int store_user_passwd(struct store *s, const char *name, const char *password);
/* Lock removes the user's key slot; unlock makes a new one with password. */
int store_user_lock(struct store *s, const char *name);
int store_user_unlock(struct store *s, const char *name, const char *password);
int store_user_get(struct store *s, const char *name, struct store_user *out);
/* *users is malloc'd (free()), sorted by name bytes. */
int store_user_list(struct store *s, struct store_user **users, size_t *n);

/* Records. */
struct store_record {
	uint8_t id[STORE_ID_BYTES];
	char form[STORE_NAME_MAX];
	uint32_t form_version;
	char unit[16];       /* unit code, e.g. "02545" */
	char unit_list[32];  /* unit list version, e.g. "GSO-2021" */
	char period[16];     /* "2021-Q1"; "" for register entries */
	int state;           /* workflow state, owned by the caller's rules */
	int deleted;         /* a tombstone (kept, synced) */
	uint32_t version;    /* 0 before the first save; +1 per save */
	uint32_t revision;   /* report revision (reopen makes the next) */
	int64_t created_at;
	int64_t changed_at;
	char changed_by[STORE_NAME_MAX];
	int64_t submitted_at, approved_at;
	char approved_by[STORE_NAME_MAX];
	struct kv fields;    /* field id -> canonical text */
	/* The district's return for correction (a commune's copy, set when its
	 * signed message is applied; kept until the corrected report is
	 * approved): which revision and when (0 when none); the reason is the
	 * field STORE_FIELD_RETURN_REASON, which no form field can be named
	 * (kept in fields so a record stays small to copy). */
	uint32_t returned_revision;
	int64_t returned_at;
};
#define STORE_FIELD_RETURN_REASON "cchc:return_reason"

/* A zeroed record with empty fields; store_record_clear frees the fields. */
void store_record_init(struct store_record *r);
void store_record_clear(struct store_record *r);

/* A new id: 48 bits of milliseconds since the epoch, big-endian, then 80
 * random bits (like UUIDv7), so ids sort by creation and writes stay local,
 * and no restored backup can make an id repeat. */
void store_new_id(uint8_t id[STORE_ID_BYTES]);

/* Read one record into *out (initialized by the caller; previous fields are
 * freed).  STORE_ENOTFOUND, STORE_EDAMAGED.  Records, outbox and meta need
 * a login (STORE_ENOKEY). */
int store_record_get(struct store *s, const uint8_t id[STORE_ID_BYTES], struct store_record *out);

/* Save r in one durable write transaction with its outbox entry and an audit
 * entry (action: "create", "set", "submit", "approve", "reopen", "delete",
 * ...).  r->version == 0 creates (STORE_EEXIST if the id is taken); otherwise
 * the stored version must equal r->version (else STORE_ECONFLICT).  On
 * success r->version, changed_at, changed_by (the logged-in user) and, on
 * create, created_at are updated.  On any error nothing is written.  A
 * version != 0 for an id not stored is STORE_ENOTFOUND.  A full disk is
 * STORE_ENOSPC (also when LMDB saw a short write on a nearly full disk),
 * a map at map_max STORE_EBUSY. */
int store_record_put(struct store *s, struct store_record *r, const char *action);

/* Call fn for every record in id order (creation order) until fn returns
 * non-zero (that value is returned).  The record passed is valid only during
 * the call.  A damaged record stops the walk with STORE_EDAMAGED.  The walk
 * reads in chunks of short transactions (none is open while fn runs, so fn
 * may save); it is not one snapshot: records saved meanwhile may show. */
int store_record_each(struct store *s, int (*fn)(const struct store_record *r, void *arg),
		      void *arg);

/* Outbox: every saved state, in commit order, from seq `from` on. */
int store_outbox_each(struct store *s, uint64_t from,
		      int (*fn)(uint64_t seq, const struct store_record *r, void *arg), void *arg);
/* Highest outbox sequence number (0 when empty). */
int store_outbox_last(struct store *s, uint64_t *seq);

/* Sealed named values (node secrets, settings).  *val is allocated with
 * secret_alloc (free with secret_free).  Names are printable ASCII without
 * spaces, 1..63 bytes; names starting with '.' are the store's own
 * (STORE_EINVAL). */
int store_meta_put(struct store *s, const char *name, const void *val, size_t len);
int store_meta_get(struct store *s, const char *name, void **val, size_t *len);
int store_meta_del(struct store *s, const char *name);

/* Audit. */
struct store_audit {
	uint64_t seq;
	int64_t at;
	char user[STORE_NAME_MAX];
	char action[STORE_NAME_MAX]; /* "login-failed", "user-add", "create", ... */
	uint8_t record[STORE_ID_BYTES]; /* zero when not about a record */
	uint32_t old_version, new_version;
	char detail[160];
};
/* Append an event that is not a record save (user changes, key export...). */
int store_audit_add(struct store *s, const char *action, const char *detail);
int store_audit_each(struct store *s, int (*fn)(const struct store_audit *a, void *arg),
		     void *arg);
/* Check the whole chain: *count entries, *first_bad the first broken seq
 * (0 when intact).  Returns 0 when intact, STORE_EDAMAGED when not.
 * When broken, *count is the number of intact entries before first_bad.
 * Reading the audit needs a login (STORE_ENOKEY).
 * Besides the chain, logged-in writers keep a sealed head (last seq, its
 * hash, and the state written with it: the outbox's last seq, the numbers
 * of records and of key slots) and never reuse a seq it has seen, so a
 * removed tail shows as a gap.  Verify also requires the head (a node has
 * one from store_create on: missing is damage, *first_bad 1), the state to
 * match it, only refused logins after it, and an audit entry for every
 * outbox entry (record id, version); when only those fail, *first_bad is
 * *count + 1 (entries removed after the last intact one, or an older head
 * copied back).  A missing, damaged or outdated head also makes every
 * logged-in write, a login included, fail with STORE_EDAMAGED, so no new
 * entry papers over it.
 * Limits: entries appended without a login (refused logins, sealed to the
 * public key in pub, which a login checks against the sealed secret key)
 * after the last logged-in write are covered by the chain only, and their
 * public key only from the next login or logged-in write on; an older head
 * copied back with the log cut to match goes unnoticed when nothing but
 * audit-only events (notes, logins, password changes, meta) happened since;
 * replacing the whole database with an older copy is not detectable here
 * (sync's job). */
int store_audit_verify(struct store *s, uint64_t *count, uint64_t *first_bad);

struct store_stat {
	uint64_t records, outbox, audit, users; /* users: without the recovery slot */
	uint64_t map_size, used_bytes;
};
int store_stat(struct store *s, struct store_stat *out);

/* Backup (store/backup.c): write a consistent copy of the database (the
 * data.mdb of one read snapshot, compacted: free pages left out) to fd,
 * while this and other processes go on writing (mdb_env_copyfd2 with
 * MDB_CP_COMPACT).  Needs no login: every value in it is sealed as it is
 * on disk.  The caller fsyncs fd.  STORE_EIO, STORE_ENOSPC. */
int store_backup_fd(struct store *s, int fd);

/* ---- UI support ---- */
/*
 * Digests (store/digest.c): a sealed cache of one small summary per record,
 * so that the UI's lists (100,000 register entries) open without decrypting
 * every record (SPEC §10).  The caller chooses what a digest holds (at most
 * STORE_DIGEST_MAX bytes: a few columns) and keeps the entries of each set
 * (a form id) in an order of its choice; the store keeps them in chunks of
 * STORE_DIGEST_CHUNK entries, each chunk one sealed meta value, so nothing
 * is on disk in clear (SPEC §8), and a set may also keep a few named sealed
 * values (the UI's sort orders).  Digests are a cache, never the truth:
 * store_digest_seq() says up to which outbox entry they reflect; a caller
 * that finds them behind store_outbox_last() brings them up to date from the
 * outbox (or rebuilds them from the records when the outbox no longer holds
 * the entries it needs) and then calls store_digest_set_seq().  All need a
 * login (STORE_ENOKEY).  Buffers handed out are the caller's: free them with
 * store_digest_free (they are wiped).
 */
#define STORE_DIGEST_MAX 512
#define STORE_DIGEST_CHUNK 256

/* The outbox seq the digests reflect (0: none of the outbox, as on a node
 * filled only by imports).  STORE_ENOTFOUND (*seq 0) when there are no
 * digests: never built, or a build under way (store_digest_clear_seq). */
int store_digest_seq(struct store *s, uint64_t *seq);
int store_digest_set_seq(struct store *s, uint64_t seq);
/* There are no digests now (a rebuild starts: one that stops half way
 * must not look finished); the chunks stay until overwritten. */
int store_digest_clear_seq(struct store *s);
/* *n = the number of entries of set (0 when it has none). */
int store_digest_count(struct store *s, const char *set, uint64_t *n);
/* Chunk k of set, decrypted: entries [k * CHUNK, ...), each id[16], a u16
 * LE length, then that many bytes.  STORE_ENOTFOUND when absent. */
int store_digest_get_chunk(struct store *s, const char *set, uint64_t k, uint8_t **buf, size_t *len);
/* The chunk format, parsed and written only here: an entry is its id, a
 * u16 LE length and that many bytes (at most STORE_DIGEST_MAX). */
#define STORE_DIGEST_ENTRY_HEAD (STORE_ID_BYTES + 2)
/* Where each entry of chunk bytes data[0..len) starts, into off (room for
 * max entries; NULL: only count them), and *count.  STORE_EDAMAGED when
 * the bytes are not whole entries or hold more than max. */
int store_digest_chunk_parse(const uint8_t *data, size_t len, uint32_t *off, size_t max,
			     size_t *count);
/* The length of the digest of the entry at e, and the digest itself. */
size_t store_digest_entry_len(const uint8_t *e);
const uint8_t *store_digest_entry_data(const uint8_t *e);
/* Write the entry (id, d[0..len)) at e: STORE_DIGEST_ENTRY_HEAD + len bytes. */
void store_digest_entry_put(uint8_t *e, const uint8_t id[STORE_ID_BYTES], const uint8_t *d,
			    size_t len);
struct store_digest_chunk {
	uint64_t k;          /* chunk number */
	const uint8_t *data; /* entries as store_digest_get_chunk hands them out */
	size_t len;
};
/* Write chunks v[0..nv) and make n the set's count, in one transaction;
 * chunks past the new count are dropped.  Every chunk must hold exactly its
 * entries (CHUNK, or what is left for the last): else STORE_EINVAL. */
int store_digest_put(struct store *s, const char *set, const struct store_digest_chunk *v,
		     size_t nv, uint64_t n);
/* A named value of set (name: 1..8 printable ASCII bytes); put with buf NULL
 * deletes it.  STORE_ENOTFOUND when absent. */
int store_digest_get_blob(struct store *s, const char *set, const char *name, uint8_t **buf,
		      size_t *len);
int store_digest_put_blob(struct store *s, const char *set, const char *name, const uint8_t *buf,
			  size_t len);
void store_digest_free(uint8_t *buf, size_t len);
/* One save's whole change in one transaction (a command line save keeps
 * the digests current without the UI, index/index.h): chunks v[0..nv) of set
 * and its count n as store_digest_put, named values b[0..nb) as
 * store_digest_put_blob (buf NULL deletes), then the digests' seq. */
struct store_digest_blob {
	const char *name;
	const uint8_t *buf;
	size_t len;
};
int store_digest_commit(struct store *s, const char *set, const struct store_digest_chunk *v,
			size_t nv, uint64_t n, const struct store_digest_blob *b, size_t nb,
			uint64_t seq);
/* Give back the database pages that reading digests mapped into this
 * process (the map is read-only and shared: they stay in the page cache and
 * a later read maps them again).  For the UI after a page, a search or a
 * sort, so the pages read once do not stay counted in its memory. */
void store_digest_release(struct store *s);

/* End the session (store/session.c): the data key is wiped and
 * store_whoami() answers NULL until the next login; the node stays open. */
void store_logout(struct store *s);

/* ---- sync support ---- */
/* (store/sync.c)  Records travel in batches as the same CBOR map they are
 * stored as (RFC 8949; keys in store/records.c), so any language can read a
 * decrypted batch.  *buf is malloc'd. */
int store_record_to_cbor(const struct store_record *r, uint8_t **buf, size_t *len);
/* r is initialized here; on error it is left empty.  STORE_EDAMAGED on a bad shape. */
int store_record_from_cbor(const uint8_t *buf, size_t len, struct store_record *r);

/* District import state, sealed in meta under binary keys that no meta name
 * can take: batch ids seen, (commune, epoch, batch_no) -> batch id, the next
 * batch number expected per (commune, epoch), every report revision, and the
 * time the district first received each revision.  All need a login. */
struct store_sync_batch {
	const uint8_t *id;          /* 32-byte batch id */
	const char *commune;        /* sender's unit code */
	uint64_t epoch, batch_no;
	int64_t received_at;        /* when the district received it */
	const struct store_record *recs;
	size_t n;
};
/* *seen: 1 when a batch with this id was applied. */
int store_sync_seen(struct store *s, const uint8_t id[32], int *seen);
/* The id applied under (commune, epoch, batch_no): *found 0 when none. */
int store_sync_lineage(struct store *s, const char *commune, uint64_t epoch, uint64_t batch_no,
		       uint8_t id[32], int *found);
/* The next batch number expected from (commune, epoch): 1 for a new lineage. */
int store_sync_next(struct store *s, const char *commune, uint64_t epoch, uint64_t *next);
/* Apply a batch in one write transaction: each record replaces the stored
 * one when its version is higher (a report's every revision is also kept,
 * under its revision number); the batch is marked seen, its lineage entry
 * written and the lineage's next number set to batch_no + 1; one audit entry
 * ("import").  STORE_EEXIST when the id was seen, STORE_ECONFLICT when
 * batch_no is not the next expected (nothing written).  *applied (may be
 * NULL) counts records that changed the store. */
int store_sync_apply(struct store *s, const struct store_sync_batch *b, size_t *applied);
/* Revision rev of a report as the district received it, and when it first
 * came (0 if unknown).  STORE_ENOTFOUND when that revision never arrived. */
int store_sync_revision(struct store *s, const uint8_t id[STORE_ID_BYTES], uint32_t rev,
			struct store_record *out, int64_t *received_at);

/* Returns for correction (store/returns.c), at the district: revision rev
 * of report id was returned to its commune, by whom, when and why.  Sealed
 * in meta under 01 'X' id rev, next to the revisions; kept for good (the
 * district keeps every revision and what it said about each).  A report is
 * "returned" when its latest received revision has one; a resent report
 * (the next revision) no longer is.  Both need a login. */
struct store_return {
	int64_t at;
	char by[STORE_NAME_MAX];
	char reason[STORE_REASON_MAX];
};
/* Record it (by: the logged-in user, at: now) with an audit entry
 * ("return", the record and the revision), in one transaction.
 * STORE_EEXIST when that revision was already returned (nothing written),
 * STORE_EINVAL for an empty or too long reason.  *out (may be NULL) gets
 * what was stored. */
int store_return_put(struct store *s, const uint8_t id[STORE_ID_BYTES], uint32_t rev,
		     const char *reason, struct store_return *out);
/* STORE_ENOTFOUND when revision rev of id was not returned. */
int store_return_get(struct store *s, const uint8_t id[STORE_ID_BYTES], uint32_t rev,
		     struct store_return *out);

/* Every report revision the district holds (the copies store_sync_apply
 * keeps), in (record id, revision) order, with the time the district first
 * received it (0 if unknown): fn(r, received_at, arg) until it returns
 * non-zero (that value is returned).  Only the revision copies are read and
 * opened, never the records database, so 100,000 register entries cost
 * nothing here.  r is valid during the call only; fn runs outside any
 * transaction.  The walk is not one snapshot (an import meanwhile may show).
 * STORE_ENOKEY without a login, STORE_EDAMAGED for a damaged copy. */
int store_sync_revision_each(struct store *s,
			     int (*fn)(const struct store_record *r, int64_t received_at, void *arg),
			     void *arg);

#endif
