/*
 * store/digest.c: record digests, the sealed cache behind the UI's lists
 * (store.h, "UI support").
 *
 * Why: a list of 100,000 register entries must open in well under 100 ms
 * and within 16 MiB (SPEC §10).  Decrypting and decoding 100,000 full
 * records costs about half a second and touches every page of the
 * database, so the UI keeps a digest of each record (a few columns, chosen
 * by the caller) and the store keeps those digests sealed in the meta
 * database, many entries per value:
 *
 *   .ui                      u64 LE: the outbox seq the digests reflect
 *   .ui.SET                  u64 LE: number of entries of SET
 *   .ui.SET.NNNNNN           chunk NNNNNN: up to STORE_DIGEST_CHUNK entries,
 *                            each id[16], u16 LE length, bytes
 *
 * Each value is sealed under the data key with its name as associated
 * data, like every meta value: no name, phone or text is on disk in clear
 * (SPEC §8).  A chunk holds entries [k * CHUNK, (k + 1) * CHUNK) of the set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "store/store_int.h"

#define HEAD ".ui"
#define CHUNK STORE_DIGEST_CHUNK
#define ENTRY_FIXED (STORE_ID_BYTES + 2)

static int set_name_ok(const char *set)
{
	size_t n = strlen(set);
	/* ".ui." + set + ".NNNNNN" must fit a meta name. */
	if (n == 0 || n + 11 >= STORE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (set[i] <= ' ' || set[i] > '~')
			return 0;
	return 1;
}

static void chunk_name(const char *set, size_t k, char out[STORE_NAME_MAX])
{
	snprintf(out, STORE_NAME_MAX, HEAD ".%s.%06zu", set, k);
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
	/* A chunk is read once, then lives decrypted in the UI: give its map
	 * pages back (the read-only map refaults them from the page cache if
	 * ever needed), so 100,000 digests do not count twice in the UI's
	 * memory.  Whole pages inside the value only. */
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)v.mv_data + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
	uintptr_t hi = ((uintptr_t)v.mv_data + v.mv_size) & ~((uintptr_t)pg - 1);
	if (pg > 0 && hi > lo)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
	return rc;
}

/* A sealed u64 by name; *v = 0 when the name is absent. */
static int get_count(struct store *s, const char *name, uint64_t *v)
{
	struct get_op op = {name, NULL, 0};
	int rc = store_read(s, get_fn, &op);
	if (rc == STORE_ENOTFOUND) {
		*v = 0;
		return STORE_OK;
	}
	if (rc)
		return rc;
	rc = op.len == 8 ? STORE_OK : STORE_EDAMAGED;
	if (rc == STORE_OK)
		*v = get_u64(op.plain);
	store_plain_free(op.plain, op.len);
	return rc;
}

int store_digest_seq(struct store *s, uint64_t *seq)
{
	if (!s->dkey)
		return STORE_ENOKEY;
	return get_count(s, HEAD, seq);
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

int store_digest_load(struct store *s, const char *set, size_t *n,
		      int (*fn)(void *arg, const uint8_t *id, const uint8_t *data, size_t len),
		      void *arg)
{
	char name[STORE_NAME_MAX];
	uint64_t count;
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!set_name_ok(set))
		return STORE_EINVAL;
	snprintf(name, sizeof name, HEAD ".%s", set);
	int rc = get_count(s, name, &count);
	if (rc)
		return rc;
	*n = (size_t)count;
	size_t seen = 0;
	for (size_t k = 0; seen < count; k++) {
		char cname[STORE_NAME_MAX];
		struct get_op op = {cname, NULL, 0};
		chunk_name(set, k, cname);
		if ((rc = store_read(s, get_fn, &op)))
			return rc == STORE_ENOTFOUND ? STORE_EDAMAGED : rc;
		size_t at = 0, in_chunk = 0;
		while (rc == 0 && at < op.len) {
			if (op.len - at < ENTRY_FIXED) {
				rc = STORE_EDAMAGED;
				break;
			}
			size_t len = (size_t)op.plain[at + STORE_ID_BYTES] |
				     (size_t)op.plain[at + STORE_ID_BYTES + 1] << 8;
			if (op.len - at - ENTRY_FIXED < len) {
				rc = STORE_EDAMAGED;
				break;
			}
			rc = fn(arg, op.plain + at, op.plain + at + ENTRY_FIXED, len);
			at += ENTRY_FIXED + len;
			in_chunk++;
		}
		store_plain_free(op.plain, op.len);
		if (rc)
			return rc;
		if (in_chunk != CHUNK && seen + in_chunk != count)
			return STORE_EDAMAGED;
		seen += in_chunk;
	}
	return STORE_OK;
}

struct write_op {
	const char *set;
	const struct store_digest *v;
	size_t n, from, to;
	uint64_t old_n;
	uint8_t *buf;
	size_t cap;
};

static int write_chunk(struct store *s, MDB_txn *txn, struct write_op *op, size_t k)
{
	size_t lo = k * CHUNK, hi = lo + CHUNK < op->n ? lo + CHUNK : op->n, len = 0;
	for (size_t i = lo; i < hi; i++) {
		const struct store_digest *d = &op->v[i];
		memcpy(op->buf + len, d->id, STORE_ID_BYTES);
		op->buf[len + STORE_ID_BYTES] = (uint8_t)d->len;
		op->buf[len + STORE_ID_BYTES + 1] = (uint8_t)(d->len >> 8);
		memcpy(op->buf + len + ENTRY_FIXED, d->data, d->len);
		len += ENTRY_FIXED + d->len;
	}
	char name[STORE_NAME_MAX];
	chunk_name(op->set, k, name);
	return store_meta_put_txn(s, txn, name, op->buf, len);
}

static int write_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct write_op *op = arg;
	char name[STORE_NAME_MAX];
	uint8_t b[8];
	int rc;
	size_t chunks = (op->n + CHUNK - 1) / CHUNK;
	size_t old_chunks = (size_t)((op->old_n + CHUNK - 1) / CHUNK);
	size_t first = op->from / CHUNK;
	size_t last = op->to ? (op->to - 1) / CHUNK + 1 : first;
	/* A set that grew or shrank also rewrites its new last chunk. */
	if (op->n != op->old_n && chunks && last < chunks)
		last = chunks;
	for (size_t k = first; k < last && k < chunks; k++)
		if ((rc = write_chunk(s, txn, op, k)))
			return rc;
	for (size_t k = chunks; k < old_chunks; k++) {
		chunk_name(op->set, k, name);
		MDB_val key = {strlen(name), name};
		rc = mdb_del(txn, s->dbi[DB_META], &key, NULL);
		if (rc && rc != MDB_NOTFOUND)
			return store_map_err(rc);
	}
	snprintf(name, sizeof name, HEAD ".%s", op->set);
	put_u64(b, op->n);
	return store_meta_put_txn(s, txn, name, b, sizeof b);
}

int store_digest_write(struct store *s, const char *set, const struct store_digest *v, size_t n,
		       size_t from, size_t to)
{
	struct write_op op = {set, v, n, from, to, 0, NULL, 0};
	char name[STORE_NAME_MAX];
	if (!s->dkey)
		return STORE_ENOKEY;
	if (!set_name_ok(set) || from > to || to > n)
		return STORE_EINVAL;
	for (size_t i = from / CHUNK * CHUNK; i < n; i++)
		if (v[i].len > STORE_DIGEST_MAX)
			return STORE_EINVAL;
	snprintf(name, sizeof name, HEAD ".%s", set);
	int rc = get_count(s, name, &op.old_n);
	if (rc)
		return rc;
	op.cap = (size_t)CHUNK * (ENTRY_FIXED + STORE_DIGEST_MAX);
	op.buf = malloc(op.cap);
	if (!op.buf)
		return STORE_ENOMEM;
	rc = store_write(s, write_fn, &op);
	secret_wipe(op.buf, op.cap);
	free(op.buf);
	return rc;
}
