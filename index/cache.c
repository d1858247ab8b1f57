/*
 * index/cache.c: the store's sealed chunks of digests, a few kept
 * decrypted (least recently used).  The chunk format is the store's:
 * store_digest_chunk_parse reads it, store_digest_entry_put writes it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "index/index_int.h"

int index_cache_alloc(struct index *ix)
{
	ix->cache = calloc(INDEX_CACHE, sizeof *ix->cache);
	return ix->cache ? 0 : STORE_ENOMEM;
}

static int slot_reserve(struct index_chunk *c, size_t need)
{
	if (need <= c->cap)
		return 0;
	size_t cap = c->cap ? c->cap : 8192;
	while (cap < need)
		cap *= 2;
	uint8_t *b = malloc(cap);
	if (!b)
		return STORE_ENOMEM;
	if (c->len)
		memcpy(b, c->buf, c->len);
	if (c->buf) {
		secret_wipe(c->buf, c->cap);
		free(c->buf);
	}
	c->buf = b;
	c->cap = cap;
	return 0;
}

size_t index_dirty_chunks(struct index *ix, const struct iset *s, struct store_digest_chunk *v)
{
	size_t nv = 0;
	for (size_t k = 0; k < INDEX_CACHE; k++) {
		struct index_chunk *c = &ix->cache[k];
		if (c->set == s && c->dirty)
			v[nv++] = (struct store_digest_chunk){c->k, c->buf, c->len};
	}
	return nv;
}

int index_flush(struct index *ix)
{
	for (size_t i = 0; i < ix->nsets; i++) {
		struct iset *s = &ix->sets[i];
		struct store_digest_chunk v[INDEX_CACHE];
		size_t nv = index_dirty_chunks(ix, s, v);
		if (!nv && s->stored_n == s->n)
			continue;
		int rc = store_digest_put(ix->st, s->form, v, nv, s->n);
		if (rc)
			return rc;
		for (size_t k = 0; k < INDEX_CACHE; k++)
			if (ix->cache[k].set == s)
				ix->cache[k].dirty = 0;
		s->stored_n = s->n;
	}
	return 0;
}

/* Chunk k of s from the store into c (already emptied), checked: it
 * parses and holds its rows (CHUNK, or what is left for the last). */
static int chunk_load(struct index *ix, struct iset *s, uint64_t k, struct index_chunk *c)
{
	uint8_t *p;
	size_t len;
	int rc = store_digest_get_chunk(ix->st, s->form, k, &p, &len);
	if (rc)
		return rc == STORE_ENOTFOUND ? STORE_EDAMAGED : rc;
	rc = slot_reserve(c, len);
	if (rc == 0)
		memcpy(c->buf, p, len);
	store_digest_free(p, len);
	if (rc)
		return rc;
	c->len = len;
	uint64_t left = s->stored_n - k * INDEX_CHUNK;
	uint64_t want = left < INDEX_CHUNK ? left : INDEX_CHUNK;
	if (store_digest_chunk_parse(c->buf, c->len, c->off, INDEX_CHUNK, &c->count) ||
	    c->count != want) {
		c->count = 0;
		return STORE_EDAMAGED;
	}
	return 0;
}

/* The slot chunk k of s is in, or the one to reuse (least recently used,
 * never a dirty one while hold_dirty); NULL when none may be. */
static struct index_chunk *chunk_slot(struct index *ix, struct iset *s, uint64_t k, int *hit)
{
	struct index_chunk *c = NULL;
	*hit = 0;
	for (size_t i = 0; i < INDEX_CACHE; i++)
		if (ix->cache[i].set == s && ix->cache[i].k == k) {
			*hit = 1;
			return &ix->cache[i];
		}
	for (size_t i = 0; i < INDEX_CACHE; i++) {
		if (ix->hold_dirty && ix->cache[i].dirty)
			continue;
		if (!c || !ix->cache[i].set || (c->set && ix->cache[i].used < c->used))
			c = &ix->cache[i];
	}
	return c;
}

struct index_chunk *index_chunk_get(struct index *ix, struct iset *s, uint64_t k, int create)
{
	int hit;
	ix->tick++;
	struct index_chunk *c = chunk_slot(ix, s, k, &hit);
	if (c && hit) {
		c->used = ix->tick;
		return c;
	}
	if (!c) {
		ix->err = STORE_ENOMEM;
		return NULL;
	}
	if (c->dirty && (ix->err = index_flush(ix)))
		return NULL;
	c->set = NULL;
	c->len = 0;
	c->count = 0;
	if (k * INDEX_CHUNK < s->stored_n) {
		int rc = chunk_load(ix, s, k, c);
		if (rc) {
			ix->err = rc;
			return NULL;
		}
	} else if (!create) {
		ix->err = STORE_EINVAL;
		return NULL;
	}
	c->set = s;
	c->k = k;
	c->dirty = 0;
	c->used = ix->tick;
	return c;
}

const uint8_t *index_digest(struct index *ix, struct iset *s, size_t row, size_t *len)
{
	if (row >= s->n)
		return NULL;
	struct index_chunk *c = index_chunk_get(ix, s, row / INDEX_CHUNK, 0);
	if (!c || row % INDEX_CHUNK >= c->count)
		return NULL;
	const uint8_t *e = c->buf + c->off[row % INDEX_CHUNK];
	if (len)
		*len = store_digest_entry_len(e);
	return store_digest_entry_data(e);
}

void index_drop_cache(struct index *ix, struct iset *s)
{
	for (size_t i = 0; i < INDEX_CACHE; i++)
		if (!s || ix->cache[i].set == s) {
			ix->cache[i].set = NULL;
			ix->cache[i].dirty = 0;
		}
}

int index_row_id(struct index *ix, struct iset *s, size_t row, uint8_t id[16])
{
	if (row >= s->n)
		return STORE_EINVAL;
	struct index_chunk *c = index_chunk_get(ix, s, row / INDEX_CHUNK, 0);
	if (!c || row % INDEX_CHUNK >= c->count)
		return ix->err ? ix->err : STORE_EDAMAGED;
	memcpy(id, c->buf + c->off[row % INDEX_CHUNK], 16);
	return 0;
}

int index_chunk_put(struct index_chunk *c, size_t j, const uint8_t *id, const uint8_t *d,
                    size_t len)
{
	int found = j < c->count;
	if (j > c->count || (!found && c->count == INDEX_CHUNK) || len > STORE_DIGEST_MAX)
		return STORE_EDAMAGED;
	size_t at = found ? c->off[j] : c->len;
	size_t old = found ? STORE_DIGEST_ENTRY_HEAD + store_digest_entry_len(c->buf + at) : 0;
	size_t neu = STORE_DIGEST_ENTRY_HEAD + len;
	if (slot_reserve(c, c->len - old + neu))
		return STORE_ENOMEM;
	memmove(c->buf + at + neu, c->buf + at + old, c->len - at - old);
	store_digest_entry_put(c->buf + at, id, d, len);
	c->len = c->len - old + neu;
	if (found) {
		for (size_t k = j + 1; k < c->count; k++)
			c->off[k] = (uint32_t)(c->off[k] + neu - old);
	} else {
		c->off[c->count++] = (uint32_t)at;
	}
	c->dirty = 1;
	return 0;
}
