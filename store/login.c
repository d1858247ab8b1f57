/*
 * store/login.c: unwrapping the data key with a password or the recovery
 * key; failure counting, lockout and the audit of every attempt.
 *
 * Recovery key: 32 random bytes written as RFC 4648 base32 (A-Z, 2-7), 52
 * symbols in 13 groups of 4 separated by spaces (64 characters).  Reading
 * ignores spaces, '-' and case, and takes 0, 1 and 8 for O, I and B, which
 * is what a hand copy gets wrong.  Its slot key is BLAKE2b-256 of the bytes
 * (a random 256-bit key needs no Argon2id and no lockout).
 */
#include <stdio.h>
#include <string.h>

#include "core/vnfmt.h"
#include "store/store_int.h"

#define MAX_FAILURES 5
#define LOCKOUT_SECONDS 300
#define RECOVERY_SYMBOLS 52

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const uint8_t recovery_label[16] = "cchc-recovery-1";

static void recovery_slot_id(const struct store *s, uint8_t id[STORE_ID_BYTES])
{
	/* A control character cannot occur in a user name: no clash. */
	secret_hash("\001recovery", 9, s->salt, sizeof s->salt, id, STORE_ID_BYTES);
}

static void recovery_key(const uint8_t rk[SECRET_KEY_BYTES], uint8_t key[SECRET_KEY_BYTES])
{
	secret_hash(rk, SECRET_KEY_BYTES, recovery_label, sizeof recovery_label, key,
		    SECRET_KEY_BYTES);
}

void store_recovery_text(const uint8_t rk[SECRET_KEY_BYTES], char out[STORE_RECOVERY_BUF])
{
	char *p = out;
	for (int i = 0; i < RECOVERY_SYMBOLS; i++) {
		unsigned v = 0;
		for (int b = 0; b < 5; b++) {
			int bit = i * 5 + b;
			v = v << 1 | (bit < 256 ? (rk[bit / 8] >> (7 - bit % 8)) & 1u : 0u);
		}
		if (i && i % 4 == 0)
			*p++ = ' ';
		*p++ = b32[v];
	}
	*p = '\0';
}

static int recovery_parse(const char *text, uint8_t rk[SECRET_KEY_BYTES])
{
	int n = 0;
	secret_wipe(rk, SECRET_KEY_BYTES);
	for (const char *t = text; *t; t++) {
		char c = *t;
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		c = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
		c = c == '0' ? 'O' : c == '1' ? 'I' : c == '8' ? 'B' : c;
		const char *q = c ? strchr(b32, c) : NULL;
		if (!q || n == RECOVERY_SYMBOLS)
			return STORE_EPASSWORD;
		unsigned v = (unsigned)(q - b32);
		for (int b = 0; b < 5; b++) {
			int bit = n * 5 + b, one = (v >> (4 - b)) & 1;
			if (bit >= 256) {
				if (one)
					return STORE_EPASSWORD; /* the padding bits are zero */
				continue;
			}
			rk[bit / 8] |= (uint8_t)(one << (7 - bit % 8));
		}
		n++;
	}
	return n == RECOVERY_SYMBOLS ? STORE_OK : STORE_EPASSWORD;
}

int store_recovery_make(struct store *s, MDB_txn *txn, const uint8_t rk[SECRET_KEY_BYTES])
{
	struct store_slot slot = {.kind = SLOT_RECOVERY};
	uint8_t id[STORE_ID_BYTES], key[SECRET_KEY_BYTES];
	recovery_slot_id(s, id);
	recovery_key(rk, key);
	store_slot_wrap(s, id, key, &slot);
	secret_wipe(key, sizeof key);
	return store_slot_put(s, txn, id, &slot, 0);
}

enum attempt_mode {
	ATTEMPT_FAILED,  /* a wrong password: count it, maybe lock out */
	ATTEMPT_REFUSED, /* refused before trying (locked): the slot stays */
	ATTEMPT_OK,      /* a success: the count starts again */
};

struct attempt {
	const uint8_t *id;
	const char *name;
	int64_t now;
	int mode;           /* what the attempt does to the slot: enum attempt_mode */
	const char *action; /* audit action */
	/* results */
	int failures;
	int64_t locked_until;
	int locked;
};

/* One attempt: the audit entry, and for a counted failure the new count
 * and maybe a lockout.  The slot is read again inside the transaction, so
 * two processes failing at once both count. */
static int attempt_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct attempt *at = arg;
	struct store_slot slot;
	struct store_audit a = {.at = at->now};
	int rc = at->id ? store_slot_get(s, txn, at->id, &slot) : STORE_ENOTFOUND;
	if (rc && rc != STORE_ENOTFOUND)
		return rc;
	snprintf(a.user, sizeof a.user, "%s", at->name);
	snprintf(a.action, sizeof a.action, "%s", at->action);
	if (rc == 0 && slot.kind == SLOT_USER) {
		if (at->mode == ATTEMPT_FAILED && slot.locked_until <= at->now && slot.wrap_len) {
			if (slot.locked_until) { /* a lockout ended: count anew */
				slot.failures = 0;
				slot.locked_until = 0;
			}
			if (++slot.failures >= MAX_FAILURES) {
				slot.locked_until = at->now + LOCKOUT_SECONDS;
				snprintf(a.detail, sizeof a.detail, "locked for %d s",
					 LOCKOUT_SECONDS);
			}
			if ((rc = store_slot_put(s, txn, at->id, &slot, 0)))
				return rc;
		} else if (at->mode == ATTEMPT_OK &&
			   (slot.wrap_len == 0 || slot.locked_until > at->now)) {
			/* Locked (by an administrator, or failures elsewhere)
			 * while this login ran Argon2id: the lock wins. */
			return STORE_ELOCKED;
		} else if (at->mode == ATTEMPT_OK && (slot.failures || slot.locked_until)) {
			slot.failures = 0; /* a success */
			slot.locked_until = 0;
			if ((rc = store_slot_put(s, txn, at->id, &slot, 0)))
				return rc;
		}
		at->failures = slot.failures;
		at->locked_until = slot.locked_until > at->now ? slot.locked_until : 0;
		at->locked = slot.wrap_len == 0;
	}
	return store_audit_append(s, txn, &a);
}

/* Argon2id at the default cost on a salt made from the slot id: what a
 * login with a known name costs.  The result is thrown away. */
static void unknown_name_delay(const uint8_t id[STORE_ID_BYTES], const char *password)
{
	static const uint8_t label[16] = "cchc-no-user-1";
	uint8_t salt[SECRET_SALT_BYTES], key[SECRET_KEY_BYTES];
	secret_hash(id, STORE_ID_BYTES, label, sizeof label, salt, sizeof salt);
	(void)secret_password_key(password, salt, secret_pwcost_default(), key);
	secret_wipe(key, sizeof key);
}

struct slot_read {
	const uint8_t *id;
	struct store_slot *slot;
};

static int slot_read_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct slot_read *r = arg;
	return store_slot_get(s, txn, r->id, r->slot);
}

/* Record a refused attempt (a read-only node cannot: it only says no). */
static int refuse(struct store *s, struct attempt *at, struct store_user *who)
{
	int rc = s->rdonly ? STORE_OK : store_write(s, attempt_fn, at);
	if (rc)
		return rc;
	if (who) {
		memset(who, 0, sizeof *who);
		snprintf(who->name, sizeof who->name, "%s", at->name);
		who->failures = at->failures;
		who->locked_until = at->locked_until;
		who->locked = at->locked;
	}
	return at->locked || at->locked_until ? STORE_ELOCKED : STORE_EPASSWORD;
}

int store_login(struct store *s, const char *name, const char *password, struct store_user *who)
{
	struct store_slot slot;
	uint8_t id[STORE_ID_BYTES], key[SECRET_KEY_BYTES], dkey[SECRET_KEY_BYTES];
	struct slot_read r = {id, &slot};
	struct attempt at = {id, name, vn_now(), ATTEMPT_FAILED, "login-failed", 0, 0, 0};
	if (!store_name_ok(name) || !password || !*password)
		return STORE_EINVAL;
	store_drop_key(s);
	store_slot_id(s, name, id);
	int rc = store_read(s, slot_read_fn, &r);
	if (rc == STORE_ENOTFOUND || (rc == 0 && slot.kind != SLOT_USER)) {
		/* An unknown name: audited, answered like a wrong password, and
		 * as slowly, so timing does not tell which names exist. */
		at.id = NULL;
		unknown_name_delay(id, password);
		return refuse(s, &at, who);
	}
	if (rc)
		return rc;
	if (slot.wrap_len == 0 || slot.locked_until > at.now) {
		at.mode = ATTEMPT_REFUSED;
		at.action = "login-locked";
		/* What a read-only node answers (a writable one reads it again). */
		at.failures = slot.failures;
		at.locked_until = slot.locked_until > at.now ? slot.locked_until : 0;
		at.locked = slot.wrap_len == 0;
		return refuse(s, &at, who);
	}
	struct secret_pwcost cost = {slot.ops, slot.mem};
	rc = secret_password_key(password, slot.salt, cost, key);
	if (rc)
		return rc == SECRET_ENOMEM ? STORE_ENOMEM : STORE_EDAMAGED;
	rc = slot.wrap_len == STORE_WRAP_BYTES
		 ? secret_open(key, id, STORE_ID_BYTES, slot.wrap, slot.wrap_len, dkey)
		 : SECRET_EDAMAGED;
	secret_wipe(key, sizeof key);
	if (rc)
		return refuse(s, &at, who);
	rc = store_take_key(s, dkey);
	secret_wipe(dkey, sizeof dkey);
	if (rc)
		return rc;
	struct store_user u;
	if ((rc = store_profile_open(s, id, &slot, &u)))
		goto drop_key;
	u.failures = 0;
	u.locked_until = 0;
	s->who = u;
	at.mode = ATTEMPT_OK;
	at.action = "login";
	if (!s->rdonly && (rc = store_write(s, attempt_fn, &at)))
		goto drop_key;
	if (who)
		*who = s->who;
	return STORE_OK;
drop_key:
	store_drop_key(s);
	if (rc != STORE_ELOCKED)
		return rc;
	/* Locked meanwhile: audited as a refused attempt, without the key. */
	at.mode = ATTEMPT_REFUSED;
	at.action = "login-locked";
	rc = refuse(s, &at, who);
	return rc == STORE_EPASSWORD ? STORE_ELOCKED : rc;
}

int store_login_recovery(struct store *s, const char *recovery)
{
	struct store_slot slot;
	uint8_t id[STORE_ID_BYTES], rk[SECRET_KEY_BYTES], key[SECRET_KEY_BYTES];
	uint8_t dkey[SECRET_KEY_BYTES];
	struct slot_read r = {id, &slot};
	struct attempt at = {NULL, "(recovery)", vn_now(), ATTEMPT_FAILED, "login-recovery-failed",
			     0, 0, 0};
	store_drop_key(s);
	recovery_slot_id(s, id);
	int rc = store_read(s, slot_read_fn, &r);
	if (rc)
		return rc == STORE_ENOTFOUND ? STORE_EDAMAGED : rc;
	if (!recovery || recovery_parse(recovery, rk) != 0 || slot.kind != SLOT_RECOVERY ||
	    slot.wrap_len != STORE_WRAP_BYTES)
		return refuse(s, &at, NULL);
	recovery_key(rk, key);
	rc = secret_open(key, id, STORE_ID_BYTES, slot.wrap, slot.wrap_len, dkey);
	secret_wipe(rk, sizeof rk);
	secret_wipe(key, sizeof key);
	if (rc)
		return refuse(s, &at, NULL);
	rc = store_take_key(s, dkey);
	secret_wipe(dkey, sizeof dkey);
	if (rc)
		return rc;
	snprintf(s->who.name, sizeof s->who.name, "%s", at.name);
	s->who.role = STORE_ROLE_QUANTRI;
	at.action = "login-recovery";
	if (!s->rdonly && (rc = store_write(s, attempt_fn, &at)))
		store_drop_key(s);
	return rc;
}
