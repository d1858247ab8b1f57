/*
 * store/slots.c: key slots and sealed user profiles in the users database.
 *
 * users[slot id] is a CBOR map in clear: kind, failure count, lockout end,
 * Argon2id salt and cost, the data key wrapped under the password key
 * (secret_seal, AD = the slot id) and the profile (name, role, created,
 * locked) sealed under the data key (AD = "users" NUL slot id).
 *
 * The failure count and lockout end are in clear because a failed login,
 * which has no data key, must update them.  That gives nothing away: they
 * say nothing about the data, and anyone who can write this file can
 * already copy it and guess passwords offline, where no lockout applies.
 *
 * The slot id is BLAKE2b-128 of the name keyed with the node's random salt
 * (pub "salt"), so the file holds no name in clear and ids cannot be
 * matched across nodes.  The name is folded to lower case for ASCII letters
 * only; other bytes are kept as they are (names arrive in NFC, so "Tèo" and
 * "tèo" are one user, while "TÈO" is another: a simple rule with no table
 * that can change between versions).
 */
#include <stddef.h>
#include <string.h>

#include "store/store_int.h"

#define F(k, kind, member) {k, kind, sizeof(((struct store_slot *)0)->member), \
			    offsetof(struct store_slot, member), 0}
static const struct store_field slot_fields[] = {
    F(0, SK_INT, kind),  F(1, SK_INT, failures), F(2, SK_I64, locked_until),
    F(3, SK_BYTES, salt), F(4, SK_U64, ops),     F(5, SK_U64, mem),
    {6, SK_VBYTES, STORE_WRAP_BYTES, offsetof(struct store_slot, wrap),
     offsetof(struct store_slot, wrap_len)},
    {7, SK_VBYTES, STORE_PROFILE_MAX, offsetof(struct store_slot, profile),
     offsetof(struct store_slot, profile_len)},
};
#undef F

#define F(k, kind, member) {k, kind, sizeof(((struct store_user *)0)->member), \
			    offsetof(struct store_user, member), 0}
static const struct store_field profile_fields[] = {
    F(0, SK_TEXT, name), F(1, SK_INT, role), F(2, SK_INT, locked), F(3, SK_I64, created_at),
};
#undef F

#define NELEM(a) (sizeof(a) / sizeof *(a))

int store_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n >= STORE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < ' ' || name[i] == 0x7f)
			return 0;
	return 1;
}

void store_slot_id(const struct store *s, const char *name, uint8_t id[STORE_ID_BYTES])
{
	char low[STORE_NAME_MAX];
	size_t n = strnlen(name, sizeof low - 1);
	for (size_t i = 0; i < n; i++)
		low[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
	secret_hash(low, n, s->salt, sizeof s->salt, id, STORE_ID_BYTES);
}

int store_slot_get(struct store *s, MDB_txn *txn, const uint8_t id[STORE_ID_BYTES],
		   struct store_slot *slot)
{
	MDB_val k = {STORE_ID_BYTES, (void *)id}, v;
	int rc = mdb_get(txn, s->dbi[DB_USERS], &k, &v);
	if (rc)
		return store_map_err(rc);
	return store_slot_decode(v.mv_data, v.mv_size, slot);
}

int store_slot_decode(const uint8_t *buf, size_t len, struct store_slot *slot)
{
	memset(slot, 0, sizeof *slot);
	int rc = store_decode(slot_fields, NELEM(slot_fields), buf, len, slot);
	if (rc == 0 && slot->kind != SLOT_USER && slot->kind != SLOT_RECOVERY)
		rc = STORE_EDAMAGED;
	return rc;
}

int store_slot_put(struct store *s, MDB_txn *txn, const uint8_t id[STORE_ID_BYTES],
		   const struct store_slot *slot, unsigned flags)
{
	uint8_t *buf;
	size_t n;
	int rc = store_encode(slot_fields, NELEM(slot_fields), slot, &buf, &n);
	if (rc)
		return rc;
	MDB_val k = {STORE_ID_BYTES, (void *)id}, v = {n, buf};
	rc = store_map_err(mdb_put(txn, s->dbi[DB_USERS], &k, &v, flags));
	store_plain_free(buf, n);
	return rc;
}

void store_slot_wrap(const struct store *s, const uint8_t id[STORE_ID_BYTES],
		     const uint8_t key[SECRET_KEY_BYTES], struct store_slot *slot)
{
	secret_seal(key, id, STORE_ID_BYTES, s->dkey, SECRET_KEY_BYTES, slot->wrap);
	slot->wrap_len = STORE_WRAP_BYTES;
}

int store_slot_make_user(const struct store *s, const uint8_t id[STORE_ID_BYTES],
			 const char *password, struct store_slot *slot)
{
	uint8_t key[SECRET_KEY_BYTES];
	struct secret_pwcost cost = secret_pwcost_default();
	slot->kind = SLOT_USER;
	slot->failures = 0;
	slot->locked_until = 0;
	slot->ops = cost.ops;
	slot->mem = cost.mem;
	secret_random(slot->salt, sizeof slot->salt);
	int rc = secret_password_key(password, slot->salt, cost, key);
	if (rc)
		return rc == SECRET_ENOMEM ? STORE_ENOMEM : STORE_EINVAL;
	store_slot_wrap(s, id, key, slot);
	secret_wipe(key, sizeof key);
	return STORE_OK;
}

int store_profile_seal(const struct store *s, const uint8_t id[STORE_ID_BYTES],
		       const struct store_user *u, struct store_slot *slot)
{
	uint8_t *plain, ad[STORE_AD_MAX];
	size_t n, adlen = store_ad(DB_USERS, id, STORE_ID_BYTES, ad, sizeof ad);
	int rc = store_encode(profile_fields, NELEM(profile_fields), u, &plain, &n);
	if (rc)
		return rc;
	if (n + SECRET_SEAL_OVERHEAD > STORE_PROFILE_MAX) {
		rc = STORE_EINVAL;
	} else {
		secret_seal(s->dkey, ad, adlen, plain, n, slot->profile);
		slot->profile_len = n + SECRET_SEAL_OVERHEAD;
	}
	store_plain_free(plain, n);
	return rc;
}

/* The profile of a user slot, with the clear failure count and lockout. */
int store_profile_open(const struct store *s, const uint8_t id[STORE_ID_BYTES],
		       const struct store_slot *slot, struct store_user *u)
{
	MDB_val v = {slot->profile_len, (void *)slot->profile};
	uint8_t *plain;
	size_t n;
	int rc = store_open_val(s, DB_USERS, id, STORE_ID_BYTES, &v, &plain, &n);
	if (rc)
		return rc;
	memset(u, 0, sizeof *u);
	rc = store_decode(profile_fields, NELEM(profile_fields), plain, n, u);
	store_plain_free(plain, n);
	if (rc)
		return rc;
	u->failures = slot->failures;
	u->locked_until = slot->locked_until;
	/* The profile says locked; a slot without a wrapped key is the proof. */
	if (slot->wrap_len == 0)
		u->locked = 1;
	return STORE_OK;
}

/* The audit secret key, and the public one checked against it: pub is not
 * sealed, and a public key swapped there would seal the entries of refused
 * logins to someone else. */
static int audit_sk_fn(struct store *s, MDB_txn *txn, void *arg)
{
	(void)arg;
	uint8_t *plain, pk[32], derived[32];
	size_t n;
	int rc = store_get_open(s, txn, DB_META, ".audit-sk", 9, &plain, &n);
	if (rc)
		return rc == STORE_ENOTFOUND ? STORE_EDAMAGED : rc;
	if (n == 32)
		memcpy(s->audit_sk, plain, 32);
	else
		rc = STORE_EDAMAGED;
	store_plain_free(plain, n);
	if (rc == 0)
		rc = store_pub_get(s, txn, "audit-pk", pk, sizeof pk);
	if (rc == 0 && (secret_box_public(s->audit_sk, derived) != 0 ||
			memcmp(derived, pk, sizeof pk) != 0))
		rc = STORE_EDAMAGED;
	if (rc == 0)
		memcpy(s->audit_pk, derived, sizeof derived);
	return rc;
}

int store_take_key(struct store *s, const uint8_t key[SECRET_KEY_BYTES])
{
	store_drop_key(s);
	s->dkey = secret_alloc(SECRET_KEY_BYTES);
	s->audit_sk = secret_alloc(32);
	if (!s->dkey || !s->audit_sk) {
		store_drop_key(s);
		return STORE_ENOMEM;
	}
	memcpy(s->dkey, key, SECRET_KEY_BYTES);
	int rc = store_read(s, audit_sk_fn, NULL);
	if (rc)
		store_drop_key(s);
	return rc;
}

void store_drop_key(struct store *s)
{
	secret_free(s->dkey);
	secret_free(s->audit_sk);
	s->dkey = NULL;
	s->audit_sk = NULL;
	memset(&s->who, 0, sizeof s->who);
}

const struct store_user *store_whoami(const struct store *s)
{
	return s->dkey ? &s->who : NULL;
}
