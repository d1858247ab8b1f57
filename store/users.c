/*
 * store/users.c: user management (needs a login).  Roles are enforced by
 * the callers (cli/, tui/), which know what each role may do; the store
 * only needs the data key, which any logged-in user holds anyway.
 *
 * Argon2id runs before the write transaction, never inside it: a write
 * transaction blocks every other writer of the node.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vnfmt.h"
#include "store/store_int.h"

enum user_op_kind { OP_ADD, OP_PASSWD, OP_LOCK, OP_UNLOCK };

struct user_op {
	int kind;
	const char *name;
	uint8_t id[STORE_ID_BYTES];
	struct store_slot fresh; /* OP_ADD, OP_PASSWD, OP_UNLOCK: new salt and wrap */
	struct store_user profile; /* OP_ADD */
};

static const char *const op_action[] = {"user-add", "user-passwd", "user-lock", "user-unlock"};

static int user_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct user_op *op = arg;
	struct store_slot slot;
	struct store_user u;
	unsigned flags = 0;
	int rc;
	if (op->kind == OP_ADD) {
		slot = op->fresh;
		u = op->profile;
		flags = MDB_NOOVERWRITE;
	} else {
		if ((rc = store_slot_get(s, txn, op->id, &slot)))
			return rc;
		if (slot.kind != SLOT_USER)
			return STORE_ENOTFOUND;
		if ((rc = store_profile_open(s, op->id, &slot, &u)))
			return rc;
		if (op->kind == OP_PASSWD && slot.wrap_len == 0)
			return STORE_ELOCKED; /* a locked user gets a password by unlock */
		if (op->kind != OP_LOCK) {
			memcpy(slot.salt, op->fresh.salt, sizeof slot.salt);
			slot.ops = op->fresh.ops;
			slot.mem = op->fresh.mem;
			memcpy(slot.wrap, op->fresh.wrap, sizeof slot.wrap);
			slot.wrap_len = op->fresh.wrap_len;
		} else {
			/* No wrapped key left: no password can open this slot. */
			secret_wipe(slot.wrap, sizeof slot.wrap);
			slot.wrap_len = 0;
		}
		slot.failures = 0;
		slot.locked_until = 0;
		u.locked = op->kind == OP_LOCK;
		u.failures = 0;
		u.locked_until = 0;
	}
	if ((rc = store_profile_seal(s, op->id, &u, &slot)))
		return rc;
	if ((rc = store_slot_put(s, txn, op->id, &slot, flags)))
		return rc;
	struct store_audit a = {.at = vn_now()};
	snprintf(a.user, sizeof a.user, "%s", store_actor(s));
	snprintf(a.action, sizeof a.action, "%s", op_action[op->kind]);
	snprintf(a.detail, sizeof a.detail, "%s", op->name);
	return store_audit_append(s, txn, &a);
}

static int user_change(struct store *s, int kind, const char *name, int role,
		       const char *password)
{
	struct user_op *op;
	int rc;
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!store_name_ok(name) || (kind != OP_LOCK && (!password || !*password)))
		return STORE_EINVAL;
	if (kind == OP_ADD && (role < STORE_ROLE_CANBO || role > STORE_ROLE_QUANTRI))
		return STORE_EINVAL;
	if (!(op = calloc(1, sizeof *op)))
		return STORE_ENOMEM;
	op->kind = kind;
	op->name = name;
	store_slot_id(s, name, op->id);
	/* Locking oneself out of the session one holds makes no sense.  Slot
	 * ids, not names, say who is who ("Admin" is "admin"). */
	if (kind == OP_LOCK) {
		uint8_t self[STORE_ID_BYTES];
		store_slot_id(s, s->who.name, self);
		if (memcmp(self, op->id, sizeof self) == 0) {
			rc = STORE_EINVAL;
			goto free_op;
		}
	}
	if (kind != OP_LOCK && (rc = store_slot_make_user(s, op->id, password, &op->fresh)))
		goto free_op;
	if (kind == OP_ADD) {
		snprintf(op->profile.name, sizeof op->profile.name, "%s", name);
		op->profile.role = role;
		op->profile.created_at = vn_now();
	}
	rc = store_write(s, user_fn, op);
	/* A user who changed their own password keeps the session. */
free_op:
	secret_wipe(op, sizeof *op);
	free(op);
	return rc;
}

int store_user_add(struct store *s, const char *name, int role, const char *password)
{
	return user_change(s, OP_ADD, name, role, password);
}

int store_user_passwd(struct store *s, const char *name, const char *password)
{
	return user_change(s, OP_PASSWD, name, 0, password);
}

int store_user_lock(struct store *s, const char *name)
{
	return user_change(s, OP_LOCK, name, 0, NULL);
}

int store_user_unlock(struct store *s, const char *name, const char *password)
{
	return user_change(s, OP_UNLOCK, name, 0, password);
}

struct get_op {
	uint8_t id[STORE_ID_BYTES];
	struct store_user *out;
};

static int get_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct get_op *op = arg;
	struct store_slot slot;
	int rc = store_slot_get(s, txn, op->id, &slot);
	if (rc)
		return rc;
	if (slot.kind != SLOT_USER)
		return STORE_ENOTFOUND;
	return store_profile_open(s, op->id, &slot, op->out);
}

int store_user_get(struct store *s, const char *name, struct store_user *out)
{
	struct get_op op;
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!store_name_ok(name))
		return STORE_EINVAL;
	store_slot_id(s, name, op.id);
	op.out = out;
	return store_read(s, get_fn, &op);
}

struct list_op {
	struct store_user *v;
	size_t n, cap;
};

static int list_fn(struct store *s, const uint8_t *key, size_t klen, const uint8_t *val,
		   size_t vlen, void *arg)
{
	struct list_op *op = arg;
	struct store_slot slot;
	if (klen != STORE_ID_BYTES)
		return STORE_EDAMAGED;
	int rc = store_slot_decode(val, vlen, &slot);
	if (rc)
		return rc;
	if (slot.kind != SLOT_USER)
		return 0;
	if (op->n == op->cap) {
		size_t cap = op->cap ? op->cap * 2 : 16;
		struct store_user *nv = realloc(op->v, cap * sizeof *nv);
		if (!nv)
			return STORE_ENOMEM;
		op->v = nv;
		op->cap = cap;
	}
	rc = store_profile_open(s, key, &slot, &op->v[op->n]);
	if (rc == 0)
		op->n++;
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct store_user *)a)->name, ((const struct store_user *)b)->name);
}

int store_user_list(struct store *s, struct store_user **users, size_t *n)
{
	struct list_op op = {NULL, 0, 0};
	if (!s->dkey)
		return STORE_ENOKEY;
	int rc = store_scan(s, DB_USERS, NULL, 0, list_fn, &op);
	if (rc) {
		free(op.v);
		return rc;
	}
	if (op.n)
		qsort(op.v, op.n, sizeof *op.v, by_name);
	*users = op.v;
	*n = op.n;
	return STORE_OK;
}
