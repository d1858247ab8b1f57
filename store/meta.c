/*
 * store/meta.c: sealed named values (meta) and the few public ones (pub:
 * the format tag, the node salt, the audit public key), which a process
 * needs before anyone logs in.
 */
#include <string.h>

#include "store/store_int.h"

/* Names are short printable ASCII; a leading '.' is kept for the store's
 * own values (the audit secret key, the audit chain head). */
static int meta_name_ok(const char *name, int internal)
{
	size_t n = strlen(name);
	if (n == 0 || n >= STORE_NAME_MAX || (name[0] == '.') != internal)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return 0;
	return 1;
}

int store_meta_put_txn(struct store *s, MDB_txn *txn, const char *name, const void *val,
		       size_t len)
{
	return store_seal_put(s, txn, DB_META, name, strlen(name), val, len, 0);
}

struct meta_op {
	const char *name;
	const void *val;
	size_t len;
	uint8_t *out;
	size_t outlen;
};

static int meta_put_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct meta_op *op = arg;
	return store_meta_put_txn(s, txn, op->name, op->val, op->len);
}

int store_meta_put(struct store *s, const char *name, const void *val, size_t len)
{
	struct meta_op op = {name, val, len, NULL, 0};
	if (!meta_name_ok(name, 0))
		return STORE_EINVAL;
	if (!s->dkey)
		return STORE_ENOKEY;
	return store_write(s, meta_put_fn, &op);
}

static int meta_get_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct meta_op *op = arg;
	return store_get_open(s, txn, DB_META, op->name, strlen(op->name), &op->out,
			      &op->outlen);
}

int store_meta_get(struct store *s, const char *name, void **val, size_t *len)
{
	struct meta_op op = {name, NULL, 0, NULL, 0};
	if (!meta_name_ok(name, 0))
		return STORE_EINVAL;
	if (!s->dkey)
		return STORE_ENOKEY;
	int rc = store_read(s, meta_get_fn, &op);
	if (rc)
		return rc;
	/* Hand the caller guarded memory: meta values are node secrets. */
	void *p = secret_alloc(op.outlen ? op.outlen : 1);
	if (!p) {
		store_plain_free(op.out, op.outlen);
		return STORE_ENOMEM;
	}
	if (op.outlen)
		memcpy(p, op.out, op.outlen);
	store_plain_free(op.out, op.outlen);
	*val = p;
	*len = op.outlen;
	return STORE_OK;
}

static int meta_del_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct meta_op *op = arg;
	MDB_val k = {strlen(op->name), (void *)op->name};
	return store_map_err(mdb_del(txn, s->dbi[DB_META], &k, NULL));
}

int store_meta_del(struct store *s, const char *name)
{
	struct meta_op op = {name, NULL, 0, NULL, 0};
	if (!meta_name_ok(name, 0))
		return STORE_EINVAL;
	if (!s->dkey)
		return STORE_ENOKEY;
	return store_write(s, meta_del_fn, &op);
}

int store_pub_put(struct store *s, MDB_txn *txn, const char *name, const void *val, size_t len)
{
	MDB_val k = {strlen(name), (void *)name}, v = {len, (void *)val};
	return store_map_err(mdb_put(txn, s->dbi[DB_PUB], &k, &v, 0));
}

int store_pub_get(struct store *s, MDB_txn *txn, const char *name, void *val, size_t len)
{
	MDB_val k = {strlen(name), (void *)name}, v;
	int rc = mdb_get(txn, s->dbi[DB_PUB], &k, &v);
	if (rc)
		return rc == MDB_NOTFOUND ? STORE_EDAMAGED : store_map_err(rc);
	if (v.mv_size != len)
		return STORE_EDAMAGED;
	memcpy(val, v.mv_data, len);
	return STORE_OK;
}
