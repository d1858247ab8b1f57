/*
 * store/scan.c: walking a database in chunks of short read transactions
 * (LMDB: never hold a transaction across a caller's code, which may wait
 * for a key press or write).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define CHUNK 64
#define SCAN_KEY_MAX 32

struct scan_item {
	uint8_t key[SCAN_KEY_MAX];
	size_t klen;
	uint8_t *val;
	size_t vlen;
};

struct scan_chunk {
	int db;
	int started;               /* after the first chunk: skip the key itself */
	uint8_t from[SCAN_KEY_MAX];
	size_t fromlen;
	struct scan_item items[CHUNK];
	size_t n;
};

static int chunk_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct scan_chunk *c = arg;
	MDB_cursor *cur;
	MDB_val k = {c->fromlen, c->from}, v;
	int rc = mdb_cursor_open(txn, s->dbi[c->db], &cur);
	if (rc)
		return store_map_err(rc);
	rc = mdb_cursor_get(cur, &k, &v, c->fromlen ? MDB_SET_RANGE : MDB_FIRST);
	if (rc == 0 && c->started && k.mv_size == c->fromlen &&
	    memcmp(k.mv_data, c->from, c->fromlen) == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	for (c->n = 0; rc == 0 && c->n < CHUNK; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		struct scan_item *it = &c->items[c->n];
		if (k.mv_size > SCAN_KEY_MAX) {
			rc = MDB_CORRUPTED;
			break;
		}
		it->val = malloc(v.mv_size ? v.mv_size : 1);
		if (!it->val) {
			rc = ENOMEM;
			break;
		}
		memcpy(it->key, k.mv_data, k.mv_size);
		it->klen = k.mv_size;
		memcpy(it->val, v.mv_data, v.mv_size);
		it->vlen = v.mv_size;
		c->n++;
	}
	mdb_cursor_close(cur);
	return rc == 0 || rc == MDB_NOTFOUND ? STORE_OK : store_map_err(rc);
}

static void chunk_free(struct scan_chunk *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].val);
	c->n = 0;
}

int store_scan(struct store *s, int db, const void *from, size_t fromlen, store_scan_fn fn,
	       void *arg)
{
	struct scan_chunk *c = calloc(1, sizeof *c);
	int rc = STORE_OK;
	if (!c)
		return STORE_ENOMEM;
	if (fromlen > SCAN_KEY_MAX) {
		free(c);
		return STORE_EINVAL;
	}
	c->db = db;
	if (fromlen)
		memcpy(c->from, from, fromlen);
	c->fromlen = fromlen;
	for (;;) {
		rc = store_read(s, chunk_fn, c);
		if (rc) {
			chunk_free(c);
			break;
		}
		size_t n = c->n;
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = fn(s, c->items[i].key, c->items[i].klen, c->items[i].val,
				c->items[i].vlen, arg);
		if (n) {
			memcpy(c->from, c->items[n - 1].key, c->items[n - 1].klen);
			c->fromlen = c->items[n - 1].klen;
			c->started = 1;
		}
		chunk_free(c);
		if (rc || n < CHUNK)
			break;
	}
	free(c);
	return rc;
}
