/*
 * store/seal.c: values sealed under the data key.  The associated data is
 * the database name, a NUL and the LMDB key, so a value moved to another
 * key or another database fails to open like a changed byte does.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

size_t store_ad(int db, const void *key, size_t klen, uint8_t *ad, size_t cap)
{
	const char *name = store_db_name(db);
	size_t n = strlen(name) + 1;
	if (n + klen > cap)
		return 0;
	memcpy(ad, name, n);
	memcpy(ad + n, key, klen);
	return n + klen;
}

void store_plain_free(uint8_t *p, size_t n)
{
	if (!p)
		return;
	secret_wipe(p, n);
	free(p);
}

int store_seal_put(struct store *s, MDB_txn *txn, int db, const void *key, size_t klen,
		   const void *plain, size_t plen, unsigned flags)
{
	uint8_t ad[STORE_AD_MAX];
	size_t adlen = store_ad(db, key, klen, ad, sizeof ad);
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!adlen)
		return STORE_EINVAL;
	/* MDB_RESERVE: seal straight into the page, no copy of the ciphertext. */
	MDB_val k = {klen, (void *)key}, v = {plen + SECRET_SEAL_OVERHEAD, NULL};
	int rc = mdb_put(txn, s->dbi[db], &k, &v, flags | MDB_RESERVE);
	if (rc)
		return store_map_err(rc);
	secret_seal(s->dkey, ad, adlen, plain, plen, v.mv_data);
	return STORE_OK;
}

int store_open_val(const struct store *s, int db, const void *key, size_t klen,
		   const MDB_val *val, uint8_t **plain, size_t *plen)
{
	uint8_t ad[STORE_AD_MAX];
	size_t adlen = store_ad(db, key, klen, ad, sizeof ad);
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!adlen)
		return STORE_EINVAL;
	if (val->mv_size < SECRET_SEAL_OVERHEAD)
		return STORE_EDAMAGED;
	size_t n = val->mv_size - SECRET_SEAL_OVERHEAD;
	uint8_t *p = malloc(n ? n : 1);
	if (!p)
		return STORE_ENOMEM;
	if (secret_open(s->dkey, ad, adlen, val->mv_data, val->mv_size, p) != 0) {
		free(p);
		return STORE_EDAMAGED;
	}
	*plain = p;
	*plen = n;
	return STORE_OK;
}

int store_get_open(struct store *s, MDB_txn *txn, int db, const void *key, size_t klen,
		   uint8_t **plain, size_t *plen)
{
	MDB_val k = {klen, (void *)key}, v;
	int rc = mdb_get(txn, s->dbi[db], &k, &v);
	if (rc)
		return store_map_err(rc);
	return store_open_val(s, db, key, klen, &v, plain, plen);
}
