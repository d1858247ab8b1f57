/*
 * index/index_int.h: shared by the files of index/ only, not part of the module's
 * API (index/index.h is).
 */
#ifndef CCHC_INDEX_INDEX_INT_H
#define CCHC_INDEX_INDEX_INT_H

#include "index/index.h"
#include "store/store.h"

#define INDEX_DIGEST_V2 2 /* 2: with the unit; a cache of format 1 is built again */
#define INDEX_CHUNK STORE_DIGEST_CHUNK
#define INDEX_TOUCH_MAX 4096 /* more changed rows than this: orders recomputed */
#define INDEX_ORD_HEAD 16    /* a kept order: u64 seq, u64 n, then the rows */

/* One decrypted chunk of digests (cache.c). */
struct index_chunk {
	struct iset *set; /* NULL: free */
	uint64_t k;       /* chunk number */
	uint8_t *buf;     /* entries (store.h: the chunk format) */
	size_t len, cap;
	uint32_t off[STORE_DIGEST_CHUNK]; /* where each entry starts */
	size_t count;
	int dirty;     /* changed, not yet written */
	uint64_t used; /* for least-recently-used */
};

/* digest.c */
void index_pick_columns(struct iset *s);
/* The digest of r for set s into b (at least INDEX_DIGEST_BUF bytes). */
size_t index_make_digest(const struct iset *s, const struct store_record *r, uint8_t *b);

/* cache.c */
int index_cache_alloc(struct index *ix);
/* Chunk k of s, decrypted (create: a new, empty last chunk).  NULL on
 * failure, with ix->err set. */
struct index_chunk *index_chunk_get(struct index *ix, struct iset *s, uint64_t k, int create);
/* Entry j of c becomes (id, d[0..len)); j == c->count appends one. */
int index_chunk_put(struct index_chunk *c, size_t j, const uint8_t *id, const uint8_t *d,
                    size_t len);
/* The dirty chunks of s as the store takes them, into v (INDEX_CACHE). */
size_t index_dirty_chunks(struct index *ix, const struct iset *s, struct store_digest_chunk *v);
/* Write every changed chunk, one transaction per set. */
int index_flush(struct index *ix);
void index_drop_cache(struct index *ix, struct iset *s);

/* rows.c */
int index_rows_reserve(struct iset *s, size_t need);
int index_apply_record(struct index *ix, const struct store_record *r);

/* order.c */
void index_ord_name(size_t c, char name[8]);
void index_put64(uint8_t *b, uint64_t v);
int index_cmp_vals(const struct iset *s, size_t c, const char *a, const char *b);
int index_order_load(struct index *ix, struct iset *s, size_t c, uint64_t seq, size_t n,
                     uint8_t **buf, size_t *len);
int index_order_update(struct index *ix, struct iset *s, size_t c, uint32_t *ord, size_t had);
int index_orders_write_back(struct index *ix, struct iset *s, uint64_t old_seq, size_t old_n,
                            uint64_t seq);
/* order_sort.c: a full sort of column c into out (s->n rows). */
int index_order_compute(struct index *ix, struct iset *s, size_t c, uint32_t *out);

#endif
