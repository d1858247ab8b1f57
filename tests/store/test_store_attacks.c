/*
 * tests/store/test_store_attacks.c: what someone who can write data.mdb (but
 * holds no password) tries, and the races of a login: a cut or rolled-back
 * audit log, a swapped audit public key, hostile CBOR in clear values, a
 * crafted Argon2id cost, a lock set while a login runs, name probing.
 *
 * White box: the attacker's writes go straight to LMDB through the handle's
 * own environment (store/store_int.h), so no second environment is opened
 * in the process.  This program defines crypto_pwhash() itself (the static
 * core/secret.o resolves to it; the real one is found with dlsym), to count
 * Argon2id runs and to act in the middle of a login.
 */
#include <dlfcn.h>
#include <lmdb.h>

#include "core/vnfmt.h"
#include "store/store_int.h"
#include "tests/store/store_test.h"

/* ---- crypto_pwhash, interposed ---- */

static int pwhash_calls;
static unsigned long long pwhash_ops;
static size_t pwhash_mem;
static void (*pwhash_hook)(void); /* runs once, at the next call */

int crypto_pwhash(unsigned char *const out, unsigned long long outlen, const char *const passwd,
                  unsigned long long passwdlen, const unsigned char *const salt,
                  unsigned long long opslimit, size_t memlimit, int alg);
int crypto_pwhash(unsigned char *const out, unsigned long long outlen, const char *const passwd,
                  unsigned long long passwdlen, const unsigned char *const salt,
                  unsigned long long opslimit, size_t memlimit, int alg)
{
	typedef int (*pwhash_fn)(unsigned char *const, unsigned long long, const char *const,
	                         unsigned long long, const unsigned char *const, unsigned long long,
	                         size_t, int);
	pwhash_calls++;
	pwhash_ops = opslimit;
	pwhash_mem = memlimit;
	if (pwhash_hook) {
		void (*hook)(void) = pwhash_hook;
		pwhash_hook = NULL;
		hook();
	}
	if (opslimit > 64)
		return -1; /* a crafted cost: do not hang the test */
	pwhash_fn real = (pwhash_fn)dlsym(RTLD_NEXT, "crypto_pwhash");
	return real ? real(out, outlen, passwd, passwdlen, salt, opslimit, memlimit, alg) : -1;
}

/* ---- the attacker's raw access ---- */

static MDB_txn *raw_begin(struct store *s)
{
	MDB_txn *txn;
	assert_int_equal(mdb_txn_begin(s->env, NULL, 0, &txn), 0);
	return txn;
}

static void raw_put(struct store *s, int db, const void *key, size_t klen, const void *val,
                    size_t vlen)
{
	MDB_txn *txn = raw_begin(s);
	MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
	assert_int_equal(mdb_put(txn, s->dbi[db], &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

/* A copy of a stored value (malloc'd). */
static uint8_t *raw_get(struct store *s, int db, const void *key, size_t klen, size_t *vlen)
{
	MDB_txn *txn = raw_begin(s);
	MDB_val k = {klen, (void *)key}, v;
	assert_int_equal(mdb_get(txn, s->dbi[db], &k, &v), 0);
	uint8_t *copy = malloc(v.mv_size);
	assert_non_null(copy);
	memcpy(copy, v.mv_data, v.mv_size);
	*vlen = v.mv_size;
	mdb_txn_abort(txn);
	return copy;
}

static void raw_del(struct store *s, int db, const void *key, size_t klen)
{
	MDB_txn *txn = raw_begin(s);
	MDB_val k = {klen, (void *)key};
	assert_int_equal(mdb_del(txn, s->dbi[db], &k, NULL), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

/* Remove audit entries from seq `from` on. */
static void audit_cut(struct store *s, uint64_t from)
{
	MDB_txn *txn = raw_begin(s);
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t key[8];
	store_be64_put(key, from);
	k = (MDB_val){8, key};
	assert_int_equal(mdb_cursor_open(txn, s->dbi[DB_AUDIT], &c), 0);
	for (int rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
		assert_int_equal(mdb_cursor_del(c, 0), 0);
	mdb_cursor_close(c);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

#define HEAD ".audit-head"

/* Change name's key slot as a raw writer would. */
static void slot_edit(struct store *s, const char *name, void (*edit)(struct store_slot *))
{
	uint8_t id[STORE_ID_BYTES];
	struct store_slot slot;
	store_slot_id(s, name, id);
	MDB_txn *txn = raw_begin(s);
	assert_int_equal(store_slot_get(s, txn, id, &slot), 0);
	edit(&slot);
	assert_int_equal(store_slot_put(s, txn, id, &slot, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

struct last_entry {
	struct store_audit a;
	uint64_t n;
};

static int last_fn(const struct store_audit *a, void *arg)
{
	struct last_entry *l = arg;
	l->a = *a;
	l->n++;
	return 0;
}

static struct last_entry audit_last(struct store *s)
{
	struct last_entry l;
	memset(&l, 0, sizeof l);
	assert_int_equal(store_audit_each(s, last_fn, &l), 0);
	return l;
}

static void save_one(struct store *s, int i)
{
	struct store_record r;
	record_fill(&r, i);
	assert_int_equal(store_record_put(s, &r, "create"), STORE_OK);
	store_record_clear(&r);
}

/* ---- finding: the audit head ---- */

/* A node always has a head: without it the log could be cut or rewritten
 * by anyone (the entries are sealed to a public key). */
static void test_head_missing(void **state)
{
	(void)state;
	struct tdir t;
	uint64_t n, bad;
	struct store *s = node_create(&t, NULL);
	assert_int_equal(store_audit_add(s, "note", "x"), STORE_OK);
	raw_del(s, DB_META, HEAD, strlen(HEAD));
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_EDAMAGED);
	assert_int_equal(bad, 1);
	/* A logged-in write does not start a new head over the cut. */
	assert_int_equal(store_audit_add(s, "note", "y"), STORE_EDAMAGED);
	struct store_record r;
	record_fill(&r, 1);
	assert_int_equal(store_record_put(s, &r, "create"), STORE_EDAMAGED);
	store_record_clear(&r);
	store_close(s);
	s = NULL;
	assert_int_equal(store_open(t.node, NULL, &s), STORE_OK);
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_EDAMAGED);
	store_close(s);
	tdir_remove(&t);

	/* The whole log and the head gone: not an empty, intact log. */
	s = node_create(&t, NULL);
	audit_cut(s, 1);
	raw_del(s, DB_META, HEAD, strlen(HEAD));
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_EDAMAGED);
	assert_int_equal(bad, 1);
	assert_int_equal(store_audit_add(s, "note", "z"), STORE_EDAMAGED);
	store_close(s);
	tdir_remove(&t);
}

/* An older sealed head copied back, with the log cut to match it. */
static void test_head_rolled_back(void **state)
{
	(void)state;
	struct tdir t;
	uint64_t n, bad;
	size_t hlen;
	struct store *s = node_create(&t, NULL); /* audit 1, 2 */
	uint8_t *old = raw_get(s, DB_META, HEAD, strlen(HEAD), &hlen);
	save_one(s, 1);                                              /* audit 3 */
	assert_int_equal(store_audit_add(s, "note", "x"), STORE_OK); /* 4 */
	assert_int_equal(audit_count(s), 4);
	raw_put(s, DB_META, HEAD, strlen(HEAD), old, hlen);
	audit_cut(s, 3);
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_EDAMAGED);
	assert_int_equal(n, 2);
	assert_int_equal(bad, 3);
	/* The next logged-in write would hide it: it is refused. */
	assert_int_equal(store_audit_add(s, "note", "y"), STORE_EDAMAGED);
	store_close(s);
	tdir_remove(&t);

	/* The old head back, the log left whole: what follows the head is not
	 * only refused logins. */
	s = node_create(&t, NULL);
	old = (free(old), raw_get(s, DB_META, HEAD, strlen(HEAD), &hlen));
	assert_int_equal(store_audit_add(s, "note", "x"), STORE_OK);            /* 3 */
	assert_int_equal(store_login(s, "nobody", "x", NULL), STORE_EPASSWORD); /* 4 */
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_OK);      /* 5 */
	raw_put(s, DB_META, HEAD, strlen(HEAD), old, hlen);
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_EDAMAGED);
	assert_int_equal(bad, 3);
	store_close(s);
	tdir_remove(&t);

	/* A user added since, log cut: the key slots counted in the head. */
	s = node_create(&t, NULL);
	old = (free(old), raw_get(s, DB_META, HEAD, strlen(HEAD), &hlen));
	assert_int_equal(store_user_add(s, "teo", STORE_ROLE_CANBO, "pw"), STORE_OK);
	raw_put(s, DB_META, HEAD, strlen(HEAD), old, hlen);
	audit_cut(s, 3);
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_EDAMAGED);
	assert_int_equal(bad, 3);
	free(old);
	store_close(s);
	tdir_remove(&t);
}

/* An outbox entry without its audit entry (a writer that skipped the log:
 * the head is rewritten by an unrelated entry). */
static void test_outbox_unaudited(void **state)
{
	(void)state;
	struct tdir t;
	uint64_t n, bad;
	struct store *s = node_create(&t, NULL);
	struct store_record r;
	record_fill(&r, 1);
	assert_int_equal(store_record_put(s, &r, "create"), STORE_OK);
	assert_int_equal(audit_count(s), 3);
	r.version = 7;
	uint8_t *plain, key[8];
	size_t len;
	assert_int_equal(store_record_encode(&r, &plain, &len), 0);
	store_record_clear(&r);
	store_be64_put(key, 2);
	MDB_txn *txn = raw_begin(s);
	assert_int_equal(store_seal_put(s, txn, DB_OUTBOX, key, 8, plain, len, 0), 0);
	struct store_audit a = {.at = 1};
	snprintf(a.action, sizeof a.action, "note");
	assert_int_equal(store_audit_append(s, txn, &a), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	store_plain_free(plain, len);
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_EDAMAGED);
	assert_int_equal(n, 4);
	assert_int_equal(bad, 5);
	store_close(s);
	tdir_remove(&t);
}

/* ---- finding: the audit public key in pub ---- */

static void test_audit_pk_swapped(void **state)
{
	(void)state;
	struct tdir t;
	uint8_t pk[32], sk[32];
	struct store *s = node_create(&t, NULL);
	store_close(s);
	assert_int_equal(secret_box_keypair(pk, sk), 0);
	assert_int_equal(store_open(t.node, NULL, &s), STORE_OK);
	raw_put(s, DB_PUB, "audit-pk", 8, pk, sizeof pk);
	store_close(s);
	/* A refused login now seals its entry to the attacker's key; the next
	 * login finds the swap. */
	assert_int_equal(store_open(t.node, NULL, &s), STORE_OK);
	assert_int_equal(store_login(s, "nobody", "x", NULL), STORE_EPASSWORD);
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_EDAMAGED);
	assert_null(store_whoami(s));
	store_close(s);
	tdir_remove(&t);

	/* Swapped during a session: the next logged-in write stops. */
	s = node_create(&t, NULL);
	uint8_t good[32];
	memcpy(good, s->audit_pk, sizeof good);
	raw_put(s, DB_PUB, "audit-pk", 8, pk, sizeof pk);
	assert_int_equal(store_audit_add(s, "note", "x"), STORE_EDAMAGED);
	raw_put(s, DB_PUB, "audit-pk", 8, good, sizeof good);
	assert_int_equal(store_audit_add(s, "note", "x"), STORE_OK);
	store_close(s);
	tdir_remove(&t);
}

/* ---- finding: a lock set while a login runs Argon2id ---- */

static struct store *hook_store;

static void edit_admin_lock(struct store_slot *slot)
{
	secret_wipe(slot->wrap, sizeof slot->wrap);
	slot->wrap_len = 0;
}

static void edit_lockout(struct store_slot *slot)
{
	slot->failures = 5;
	slot->locked_until = vn_now() + 300;
}

static void hook_admin_lock(void)
{
	slot_edit(hook_store, "teo", edit_admin_lock);
}

static void hook_lockout(void)
{
	slot_edit(hook_store, "teo", edit_lockout);
}

static void lock_during_login(void (*hook)(void), int admin_lock)
{
	struct tdir t;
	struct store_user who, u;
	struct store *s = node_create(&t, NULL);
	assert_int_equal(store_user_add(s, "teo", STORE_ROLE_CANBO, "pw-teo"), STORE_OK);
	hook_store = s;
	pwhash_hook = hook;
	assert_int_equal(store_login(s, "teo", "pw-teo", &who), STORE_ELOCKED);
	assert_null(pwhash_hook);
	assert_null(store_whoami(s));
	assert_int_equal(who.locked, admin_lock);
	/* The refusal is audited, the lock and the failure count stay. */
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_OK);
	assert_int_equal(store_user_get(s, "teo", &u), STORE_OK);
	assert_int_equal(u.locked, admin_lock);
	if (!admin_lock) {
		assert_int_equal(u.failures, 5);
		assert_true(u.locked_until > 0);
	}
	struct last_entry l = audit_last(s);
	assert_int_equal(l.n, 5); /* node-create, user-add x2, login-locked, login */
	assert_int_equal(audit_count(s), 5);
	store_close(s);
	tdir_remove(&t);
}

static void test_lock_during_login(void **state)
{
	(void)state;
	lock_during_login(hook_admin_lock, 1);
	lock_during_login(hook_lockout, 0);
}

/* ---- finding: hostile CBOR where values are in clear ---- */

static void hostile_slot(struct store *s, const char *name, const uint8_t *v, size_t n)
{
	uint8_t id[STORE_ID_BYTES];
	store_slot_id(s, name, id);
	raw_put(s, DB_USERS, id, sizeof id, v, n);
}

static void test_hostile_cbor(void **state)
{
	(void)state;
	struct tdir t;
	enum { DEEP = 3000 };
	uint8_t deep[DEEP + 1];
	memset(deep, 0x81, DEEP); /* arrays of one, nested past libcbor's stack */
	deep[DEEP] = 0;
	/* A map declaring 2^60 pairs; one declaring 3 billion (48 GB for
	 * libcbor, which allocates them before reading any). */
	static const uint8_t huge[] = {0xbb, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t big[] = {0xba, 0xb4, 0xc8, 0x3d, 0x64, 0, 0, 0, 0};
	struct store *s = node_create(&t, NULL);
	hostile_slot(s, "deep", deep, sizeof deep);
	hostile_slot(s, "huge", huge, sizeof huge);
	hostile_slot(s, "big", big, sizeof big);
	struct store_user *users;
	size_t n;
	assert_int_equal(store_user_list(s, &users, &n), STORE_EDAMAGED);
	assert_int_equal(store_login(s, "deep", "x", NULL), STORE_EDAMAGED);
	assert_int_equal(store_login(s, "huge", "x", NULL), STORE_EDAMAGED);
	assert_int_equal(store_login(s, "big", "x", NULL), STORE_EDAMAGED);
	store_close(s);
	tdir_remove(&t);

	/* An audit entry anyone can append (sealed to the public key, chained
	 * to the stored bytes of the last one). */
	s = node_create(&t, NULL);
	uint8_t key[8], ad[STORE_AD_MAX], sealed[DEEP + 1 + SECRET_SEAL_TO_OVERHEAD];
	store_be64_put(key, 3);
	size_t adlen = store_ad(DB_AUDIT, key, 8, ad, sizeof ad);
	assert_int_equal(secret_seal_to(s->audit_pk, ad, adlen, deep, sizeof deep, sealed), 0);
	raw_put(s, DB_AUDIT, key, 8, sealed, sizeof sealed);
	struct last_entry l;
	memset(&l, 0, sizeof l);
	assert_int_equal(store_audit_each(s, last_fn, &l), STORE_EDAMAGED);
	assert_int_equal(l.n, 2);
	store_close(s);
	tdir_remove(&t);
}

/* ---- finding: a crafted Argon2id cost in a slot ---- */

static void edit_slow(struct store_slot *slot)
{
	slot->ops = 1000000;
}

static void test_slot_cost(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	assert_int_equal(store_user_add(s, "teo", STORE_ROLE_CANBO, "pw-teo"), STORE_OK);
	slot_edit(s, "teo", edit_slow);
	pwhash_calls = 0;
	assert_int_equal(store_login(s, "teo", "pw-teo", NULL), STORE_EDAMAGED);
	assert_int_equal(pwhash_calls, 0); /* refused before Argon2id */
	store_close(s);
	tdir_remove(&t);
}

/* ---- finding: unknown names answer as slowly as known ones ---- */

static void test_unknown_name_timing(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	struct secret_pwcost cost = secret_pwcost_default();
	pwhash_calls = 0;
	assert_int_equal(store_login(s, "nobody", "x", NULL), STORE_EPASSWORD);
	assert_int_equal(pwhash_calls, 1);
	assert_int_equal(pwhash_ops, cost.ops);
	assert_int_equal(pwhash_mem, cost.mem);
	pwhash_calls = 0;
	assert_int_equal(store_login(s, ADMIN, "wrong", NULL), STORE_EPASSWORD);
	assert_int_equal(pwhash_calls, 1);
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_OK);
	struct last_entry l = audit_last(s);
	assert_int_equal(l.n, 5);
	assert_int_equal(audit_count(s), 5);
	store_close(s);
	tdir_remove(&t);
}

/* ---- finding: locking oneself under another letter case ---- */

static void test_self_lock_case(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	assert_int_equal(store_user_lock(s, ADMIN), STORE_EINVAL);
	assert_int_equal(store_user_lock(s, "ADMIN"), STORE_EINVAL);
	assert_int_equal(store_user_lock(s, "Admin"), STORE_EINVAL);
	store_close(s);
	s = node_login(t.node, NULL);
	store_close(s);
	tdir_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_head_missing),      cmocka_unit_test(test_head_rolled_back),
	    cmocka_unit_test(test_outbox_unaudited),  cmocka_unit_test(test_audit_pk_swapped),
	    cmocka_unit_test(test_lock_during_login), cmocka_unit_test(test_hostile_cbor),
	    cmocka_unit_test(test_slot_cost),         cmocka_unit_test(test_unknown_name_timing),
	    cmocka_unit_test(test_self_lock_case),
	};
	return cmocka_run_group_tests(tests, test_cheap_setup, NULL);
}
