/*
 * store/returns.c: the district's returns for correction (store.h), sealed
 * in meta beside the import state of store/sync.c, under a binary key no
 * meta name can take:
 *   01 'X' record id rev u32 BE   -> CBOR {0: at, 1: by, 2: reason}
 * One entry per (report, revision): a revision is returned once, and a
 * resent report is a new revision with none.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/vnfmt.h"
#include "store/store_int.h"

#define F(k, kind, member) {k, kind, sizeof(((struct store_return *)0)->member), \
			    offsetof(struct store_return, member), 0}
static const struct store_field return_fields[] = {
    F(0, SK_I64, at), F(1, SK_TEXT, by), F(2, SK_TEXT, reason),
};
#undef F
#define NFIELDS (sizeof return_fields / sizeof *return_fields)

static size_t key_return(uint8_t k[22], const uint8_t id[STORE_ID_BYTES], uint32_t rev)
{
	k[0] = 1, k[1] = 'X';
	memcpy(k + 2, id, STORE_ID_BYTES);
	for (int i = 0; i < 4; i++)
		k[18 + i] = (uint8_t)(rev >> (24 - 8 * i));
	return 22;
}

struct ret_op {
	const uint8_t *id;
	uint32_t rev;
	struct store_return r;
	int found;
};

static int get_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct ret_op *op = arg;
	uint8_t k[22], *v = NULL;
	size_t len = 0;
	int rc = store_get_open(s, txn, DB_META, k, key_return(k, op->id, op->rev), &v, &len);
	op->found = rc == STORE_OK;
	if (rc == STORE_ENOTFOUND)
		return STORE_OK;
	if (rc == STORE_OK) {
		memset(&op->r, 0, sizeof op->r);
		rc = store_decode(return_fields, NFIELDS, v, len, &op->r);
	}
	store_plain_free(v, len);
	return rc;
}

static int put_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct ret_op *op = arg;
	int rc = get_fn(s, txn, arg);
	if (rc)
		return rc;
	if (op->found)
		return STORE_EEXIST;
	uint8_t k[22], *buf = NULL;
	size_t len = 0;
	struct store_return want = op->r;
	if ((rc = store_encode(return_fields, NFIELDS, &want, &buf, &len)))
		return rc;
	rc = store_seal_put(s, txn, DB_META, k, key_return(k, op->id, op->rev), buf, len, 0);
	store_plain_free(buf, len);
	if (rc)
		return rc;
	struct store_audit a = {.at = want.at};
	snprintf(a.user, sizeof a.user, "%s", want.by);
	snprintf(a.action, sizeof a.action, "return");
	memcpy(a.record, op->id, STORE_ID_BYTES);
	snprintf(a.detail, sizeof a.detail, "rev %u: %.140s", (unsigned)op->rev, want.reason);
	return store_audit_append(s, txn, &a);
}

int store_return_put(struct store *s, const uint8_t id[STORE_ID_BYTES], uint32_t rev,
		     const char *reason, struct store_return *out)
{
	if (!s->dkey)
		return STORE_ENOKEY;
	size_t n = reason ? strnlen(reason, STORE_REASON_MAX) : 0;
	if (n == 0 || n >= STORE_REASON_MAX)
		return STORE_EINVAL;
	struct ret_op op = {id, rev, {vn_now(), "", ""}, 0};
	snprintf(op.r.by, sizeof op.r.by, "%s", store_actor(s));
	memcpy(op.r.reason, reason, n + 1);
	struct store_return keep = op.r;
	int rc = store_write(s, put_fn, &op);
	if (rc == 0 && out)
		*out = keep;
	return rc;
}

int store_return_get(struct store *s, const uint8_t id[STORE_ID_BYTES], uint32_t rev,
		     struct store_return *out)
{
	if (!s->dkey)
		return STORE_ENOKEY;
	struct ret_op op = {id, rev, {0, "", ""}, 0};
	int rc = store_read(s, get_fn, &op);
	if (rc == 0 && !op.found)
		rc = STORE_ENOTFOUND;
	if (rc == 0)
		*out = op.r;
	return rc;
}
