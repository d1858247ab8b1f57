/*
 * store/digest.c: record digests, the sealed cache behind the UI's lists
 * (store.h, "UI support").
 *
 * Why: a list of 100,000 register entries must open in well under 100 ms
 * and within 16 MiB (SPEC §10).  Decrypting and decoding 100,000 full
 * records costs about a second and touches every page of the database, so
 * the UI keeps a digest of each record (a few columns, chosen by the
 * caller) and the store keeps those digests sealed in the meta database,
 * many entries per value, plus a few named values of the caller's (the
 * UI's sort orders):
 *
 *   .ui2                     u64 LE: the outbox seq the digests reflect
 *   .ui2.SET                 u64 LE: number of entries of SET
 *   .ui2.SET.NNNNNN          chunk NNNNNN: up to STORE_DIGEST_CHUNK entries,
 *                            each id[16], u16 LE length, bytes
 *   .ui2.SET:NAME            a named value of SET
 *
 * Each value is sealed under the data key with its name as associated
 * data, like every meta value: no name, phone or text is on disk in clear
 * (SPEC §8).  A chunk holds entries [k * CHUNK, (k + 1) * CHUNK) of the set.
 * The caller reads chunks on demand and keeps only a few decrypted, so the
 * UI's memory does not grow with the text of 100,000 entries.  (".ui2":
 * the first format kept 1,024 entries per chunk under ".ui"; a node that
 * has it rebuilds once.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "store/store_int.h"

#define HEAD ".ui2"
#define CHUNK STORE_DIGEST_CHUNK

static int set_name_ok(const char *set)
{
	size_t n = strlen(set);
	/* ".ui2." + set + ".NNNNNN" (or ":NAME") must fit a meta name. */
	if (n == 0 || n + 20 >= STORE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (set[i] <= ' ' || set[i] > '~' || set[i] == ':')
			return 0;
	return 1;
}

static int blob_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 8)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return 0;
	return 1;
}

static void chunk_name(const char *set, uint64_t k, char out[STORE_NAME_MAX])
{
	snprintf(out, STORE_NAME_MAX, HEAD ".%s.%06llu", set, (unsigned long long)k);
}

static void put_u64(uint8_t b[8], uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		b[i] = (uint8_t)v;
}

static uint64_t get_u64(const uint8_t b[8])
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

struct get_op {
	const char *name;
	uint8_t *plain;
	size_t len;
};

static int get_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct get_op *op = arg;
	MDB_val k = {strlen(op->name), (void *)op->name}, v;
	int rc = mdb_get(txn, s->dbi[DB_META], &k, &v);
	if (rc)
		return store_map_err(rc);
	rc = store_open_val(s, DB_META, op->name, k.mv_size, &v, &op->plain, &op->len);
	/* The caller keeps what it needs decrypted: give the value's map pages
	 * back, so reading every chunk of a search does not leave 100,000
	 * sealed digests resident.  The map is read-only and shared, so a page
	 * given back is only unmapped: a later read refaults it from the page
	 * cache.  A chunk is an LMDB overflow value (whole pages of its own), so
	 * the pages around it, rounded out, are still inside the map. */
	long pg = sysconf(_SC_PAGESIZE);
	if (pg > 0 && v.mv_size > (size_t)pg) {
		uintptr_t lo = (uintptr_t)v.mv_data & ~((uintptr_t)pg - 1);
		uintptr_t hi = ((uintptr_t)v.mv_data + v.mv_size + (uintptr_t)pg - 1) &
			       ~((uintptr_t)pg - 1);
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
	}
	return rc;
}

static int get_value(struct store *s, const char *name, uint8_t **buf, size_t *len)
{
	struct get_op op = {name, NULL, 0};
	if (!s->dkey)
		return STORE_ENOKEY;
	int rc = store_read(s, get_fn, &op);
	if (rc)
		return rc;
	*buf = op.plain;
	*len = op.len;
	return STORE_OK;
}

/* A sealed u64 by name; *v = 0 when the name is absent. */
static int get_count(struct store *s, const char *name, uint64_t *v)
{
	uint8_t *b;
	size_t len;
	int rc = get_value(s, name, &b, &len);
	if (rc == STORE_ENOTFOUND) {
		*v = 0;
		return STORE_OK;
	}
	if (rc)
		return rc;
	rc = len == 8 ? STORE_OK : STORE_EDAMAGED;
	if (rc == STORE_OK)
		*v = get_u64(b);
	store_plain_free(b, len);
	return rc;
}

struct addr_op {
	const void *p;
};

/* Any value of the map: the meta database's first (a node always has
 * its secrets there), so the map is found while the digests are being
 * built too (no seq then: store_digest_clear_seq). */
static int addr_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct addr_op *op = arg;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn, s->dbi[DB_META], &cur);
	if (rc)
		return store_map_err(rc);
	rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	mdb_cursor_close(cur);
	if (rc)
		return store_map_err(rc);
	op->p = v.mv_data;
	return STORE_OK;
}

void store_digest_release(struct store *s)
{
	struct addr_op op = {NULL};
	char line[512];
	if (!s->dkey || store_read(s, addr_fn, &op) != STORE_OK || !op.p)
		return;
	/* The map's bounds: the mapping that holds a value read from it. */
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if ((uintptr_t)op.p < lo || (uintptr_t)op.p >= hi)
			continue;
		/* Only a read-only shared file map (never the heap by mistake). */
		if (perms[0] == 'r' && perms[1] == '-' && perms[3] == 's')
			madvise((void *)lo, hi - lo, MADV_DONTNEED);
		break;
	}
	if (f)
		fclose(f);
}

void store_digest_free(uint8_t *buf, size_t len)
{
	store_plain_free(buf, len);
}

int store_digest_seq(struct store *s, uint64_t *seq)
{
	uint8_t *b;
	size_t len;
	*seq = 0;
	if (!s->dkey)
		return STORE_ENOKEY;
	int rc = get_value(s, HEAD, &b, &len);
	if (rc)
		return rc;
	rc = len == 8 ? STORE_OK : STORE_EDAMAGED;
	if (rc == STORE_OK)
		*seq = get_u64(b);
	store_plain_free(b, len);
	return rc;
}

struct seq_op {
	uint64_t seq;
};

static int seq_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct seq_op *op = arg;
	uint8_t b[8];
	put_u64(b, op->seq);
	return store_meta_put_txn(s, txn, HEAD, b, sizeof b);
}

int store_digest_set_seq(struct store *s, uint64_t seq)
{
	struct seq_op op = {seq};
	if (!s->dkey)
		return STORE_ENOKEY;
	return store_write(s, seq_fn, &op);
}

static int clear_fn(struct store *s, MDB_txn *txn, void *arg)
{
	MDB_val key = {strlen(HEAD), (void *)HEAD};
	(void)arg;
	int rc = mdb_del(txn, s->dbi[DB_META], &key, NULL);
	return rc && rc != MDB_NOTFOUND ? store_map_err(rc) : STORE_OK;
}

int store_digest_clear_seq(struct store *s)
{
	if (!s->dkey)
		return STORE_ENOKEY;
	return store_write(s, clear_fn, NULL);
}

int store_digest_count(struct store *s, const char *set, uint64_t *n)
{
	char name[STORE_NAME_MAX];
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!set_name_ok(set))
		return STORE_EINVAL;
	snprintf(name, sizeof name, HEAD ".%s", set);
	return get_count(s, name, n);
}

int store_digest_get_chunk(struct store *s, const char *set, uint64_t k, uint8_t **buf, size_t *len)
{
	char name[STORE_NAME_MAX];
	if (!set_name_ok(set))
		return STORE_EINVAL;
	chunk_name(set, k, name);
	return get_value(s, name, buf, len);
}

int store_digest_get_blob(struct store *s, const char *set, const char *blob, uint8_t **buf,
		      size_t *len)
{
	char name[STORE_NAME_MAX];
	if (!set_name_ok(set) || !blob_name_ok(blob))
		return STORE_EINVAL;
	snprintf(name, sizeof name, HEAD ".%s:%s", set, blob);
	return get_value(s, name, buf, len);
}

struct blob_op {
	const char *name;
	const uint8_t *buf;
	size_t len;
};

static int blob_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct blob_op *op = arg;
	if (op->buf)
		return store_meta_put_txn(s, txn, op->name, op->buf, op->len);
	MDB_val key = {strlen(op->name), (void *)op->name};
	int rc = mdb_del(txn, s->dbi[DB_META], &key, NULL);
	return rc && rc != MDB_NOTFOUND ? store_map_err(rc) : STORE_OK;
}

int store_digest_put_blob(struct store *s, const char *set, const char *blob, const uint8_t *buf,
			  size_t len)
{
	char name[STORE_NAME_MAX];
	struct blob_op op = {name, buf, len};
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!set_name_ok(set) || !blob_name_ok(blob))
		return STORE_EINVAL;
	snprintf(name, sizeof name, HEAD ".%s:%s", set, blob);
	return store_write(s, blob_fn, &op);
}

struct put_op {
	const char *set;
	const struct store_digest_chunk *v;
	size_t nv;
	uint64_t n, old_n;
	const struct store_digest_blob *b; /* store_digest_commit: named values ... */
	size_t nb;
	uint64_t seq;                      /* ... and the seq (0: left as it is) */
};

size_t store_digest_entry_len(const uint8_t *e)
{
	return (size_t)e[STORE_ID_BYTES] | (size_t)e[STORE_ID_BYTES + 1] << 8;
}

const uint8_t *store_digest_entry_data(const uint8_t *e)
{
	return e + STORE_DIGEST_ENTRY_HEAD;
}

void store_digest_entry_put(uint8_t *e, const uint8_t id[STORE_ID_BYTES], const uint8_t *d,
			    size_t len)
{
	memcpy(e, id, STORE_ID_BYTES);
	e[STORE_ID_BYTES] = (uint8_t)len;
	e[STORE_ID_BYTES + 1] = (uint8_t)(len >> 8);
	memcpy(e + STORE_DIGEST_ENTRY_HEAD, d, len);
}

int store_digest_chunk_parse(const uint8_t *data, size_t len, uint32_t *off, size_t max,
			     size_t *count)
{
	size_t at = 0, n = 0;
	*count = 0;
	while (at < len) {
		if (len - at < STORE_DIGEST_ENTRY_HEAD || n == max || len > UINT32_MAX)
			return STORE_EDAMAGED;
		size_t el = store_digest_entry_len(data + at);
		if (el > STORE_DIGEST_MAX || len - at - STORE_DIGEST_ENTRY_HEAD < el)
			return STORE_EDAMAGED;
		if (off)
			off[n] = (uint32_t)at;
		n++;
		at += STORE_DIGEST_ENTRY_HEAD + el;
	}
	*count = n;
	return STORE_OK;
}

/* A chunk's entries must parse and number CHUNK (the last: what is left). */
static int chunk_ok(const struct store_digest_chunk *c, uint64_t n)
{
	size_t count;
	if (c->k * CHUNK >= n)
		return 0;
	uint64_t want = n - c->k * CHUNK < CHUNK ? n - c->k * CHUNK : CHUNK;
	return store_digest_chunk_parse(c->data, c->len, NULL, CHUNK, &count) == STORE_OK &&
	       count == want;
}

static int put_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct put_op *op = arg;
	char name[STORE_NAME_MAX];
	uint8_t b[8];
	int rc;
	for (size_t i = 0; i < op->nv; i++) {
		chunk_name(op->set, op->v[i].k, name);
		if ((rc = store_meta_put_txn(s, txn, name, op->v[i].data, op->v[i].len)))
			return rc;
	}
	uint64_t chunks = (op->n + CHUNK - 1) / CHUNK, old = (op->old_n + CHUNK - 1) / CHUNK;
	for (uint64_t k = chunks; k < old; k++) {
		chunk_name(op->set, k, name);
		MDB_val key = {strlen(name), name};
		rc = mdb_del(txn, s->dbi[DB_META], &key, NULL);
		if (rc && rc != MDB_NOTFOUND)
			return store_map_err(rc);
	}
	snprintf(name, sizeof name, HEAD ".%s", op->set);
	put_u64(b, op->n);
	if ((rc = store_meta_put_txn(s, txn, name, b, sizeof b)))
		return rc;
	for (size_t i = 0; i < op->nb; i++) {
		struct blob_op bo = {name, op->b[i].buf, op->b[i].len};
		snprintf(name, sizeof name, HEAD ".%s:%s", op->set, op->b[i].name);
		if ((rc = blob_fn(s, txn, &bo)))
			return rc;
	}
	if (!op->seq)
		return STORE_OK;
	put_u64(b, op->seq);
	return store_meta_put_txn(s, txn, HEAD, b, sizeof b);
}

static int put_checked(struct store *s, struct put_op *op)
{
	char name[STORE_NAME_MAX];
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!set_name_ok(op->set))
		return STORE_EINVAL;
	for (size_t i = 0; i < op->nv; i++)
		if (!chunk_ok(&op->v[i], op->n))
			return STORE_EINVAL;
	for (size_t i = 0; i < op->nb; i++)
		if (!blob_name_ok(op->b[i].name))
			return STORE_EINVAL;
	snprintf(name, sizeof name, HEAD ".%s", op->set);
	int rc = get_count(s, name, &op->old_n);
	if (rc)
		return rc;
	return store_write(s, put_fn, op);
}

int store_digest_put(struct store *s, const char *set, const struct store_digest_chunk *v,
		     size_t nv, uint64_t n)
{
	struct put_op op = {set, v, nv, n, 0, NULL, 0, 0};
	return put_checked(s, &op);
}

int store_digest_commit(struct store *s, const char *set, const struct store_digest_chunk *v,
			size_t nv, uint64_t n, const struct store_digest_blob *b, size_t nb,
			uint64_t seq)
{
	struct put_op op = {set, v, nv, n, 0, b, nb, seq};
	if (!seq)
		return STORE_EINVAL;
	return put_checked(s, &op);
}
