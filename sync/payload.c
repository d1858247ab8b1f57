/*
 * sync/payload.c: the plaintext of a batch.
 *
 * A CBOR sequence (RFC 8742): first a manifest map, then `count` record
 * maps in the store's own layout (store_record_to_cbor), all compressed as
 * one zstd frame that records its content size.  The manifest repeats the
 * header's ids inside the encryption, so a header rewritten and re-signed by
 * someone else no longer matches what the commune sealed (Davis 2001).
 *
 * Manifest keys: 0 commune, 1 district, 2 epoch, 3 batch_no, 4 prev_id,
 * 5 seq_from, 6 seq_to, 7 count.
 *
 * Decoding trusts nothing: the frame's content size must be declared and at
 * most SYNC_PLAIN_MAX, the frame must fill the input, each item's length is
 * measured before it is parsed, and the count must match what is there.
 */
#include <cbor.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "sync/sync_int.h"

#define ZSTD_LEVEL 9

int sx_cbor_item_len(const uint8_t *p, size_t n, size_t *len)
{
	size_t off = 0, pending = 1;
	while (pending) {
		if (off >= n)
			return SYNC_EFORMAT;
		uint8_t major = p[off] >> 5, ai = p[off] & 31;
		off++;
		pending--;
		uint64_t v = ai;
		if (ai >= 24) {
			if (ai > 27)
				return SYNC_EFORMAT; /* indefinite or reserved */
			size_t w = (size_t)1 << (ai - 24);
			if (n - off < w)
				return SYNC_EFORMAT;
			v = 0;
			for (size_t i = 0; i < w; i++)
				v = v << 8 | p[off + i];
			off += w;
		}
		switch (major) {
		case 2:
		case 3:
			if (v > n - off)
				return SYNC_EFORMAT;
			off += (size_t)v;
			break;
		case 4:
		case 5: {
			uint64_t items = major == 5 ? v * 2 : v;
			/* every item takes at least a byte: bounds the counter */
			if (v > n || items > n - off || pending + items > n)
				return SYNC_EFORMAT;
			pending += (size_t)items;
			break;
		}
		case 6:
			pending++;
			break;
		default:
			break;
		}
	}
	*len = off;
	return SYNC_OK;
}

static cbor_item_t *u64(uint64_t v)
{
	return cbor_build_uint64(v);
}

static int put(cbor_item_t *m, uint8_t key, cbor_item_t *v)
{
	cbor_item_t *k = cbor_build_uint8(key);
	int ok = k && v && cbor_map_add(m, (struct cbor_pair){.key = k, .value = v});
	if (k)
		cbor_decref(&k);
	if (v)
		cbor_decref(&v);
	return ok ? SYNC_OK : SYNC_ENOMEM;
}

static int manifest_encode(const struct sx_manifest *m, uint8_t **out, size_t *len)
{
	cbor_item_t *map = cbor_new_definite_map(8);
	int rc = SYNC_ENOMEM;
	if (!map)
		return rc;
	if ((rc = put(map, 0, cbor_build_string(m->commune))) ||
	    (rc = put(map, 1, cbor_build_string(m->district))) || (rc = put(map, 2, u64(m->epoch))) ||
	    (rc = put(map, 3, u64(m->batch_no))) ||
	    (rc = put(map, 4, cbor_build_bytestring(m->prev_id, SYNC_ID_BYTES))) ||
	    (rc = put(map, 5, u64(m->seq_from))) || (rc = put(map, 6, u64(m->seq_to))) ||
	    (rc = put(map, 7, u64(m->count))))
		goto free_map;
	size_t cap = 0;
	*len = cbor_serialize_alloc(map, out, &cap);
	rc = *len ? SYNC_OK : SYNC_ENOMEM;
free_map:
	cbor_decref(&map);
	return rc;
}

static int get_u64(const cbor_item_t *it, uint64_t *v)
{
	if (!cbor_isa_uint(it))
		return SYNC_EFORMAT;
	*v = cbor_get_int(it);
	return SYNC_OK;
}

static int get_text(const cbor_item_t *it, char *out, size_t cap)
{
	if (!cbor_isa_string(it) || !cbor_string_is_definite(it))
		return SYNC_EFORMAT;
	size_t n = cbor_string_length(it);
	if (n >= cap || (n && memchr(cbor_string_handle(it), 0, n)))
		return SYNC_EFORMAT;
	memcpy(out, cbor_string_handle(it), n);
	out[n] = '\0';
	return SYNC_OK;
}

static int manifest_field(struct sx_manifest *m, uint64_t key, const cbor_item_t *v)
{
	switch (key) {
	case 0: return get_text(v, m->commune, sizeof m->commune);
	case 1: return get_text(v, m->district, sizeof m->district);
	case 2: return get_u64(v, &m->epoch);
	case 3: return get_u64(v, &m->batch_no);
	case 4:
		if (!cbor_isa_bytestring(v) || !cbor_bytestring_is_definite(v) ||
		    cbor_bytestring_length(v) != SYNC_ID_BYTES)
			return SYNC_EFORMAT;
		memcpy(m->prev_id, cbor_bytestring_handle(v), SYNC_ID_BYTES);
		return SYNC_OK;
	case 5: return get_u64(v, &m->seq_from);
	case 6: return get_u64(v, &m->seq_to);
	case 7: return get_u64(v, &m->count);
	default: return SYNC_OK; /* a later writer's field */
	}
}

static int manifest_decode(const uint8_t *p, size_t n, struct sx_manifest *m)
{
	struct cbor_load_result res;
	cbor_item_t *map = cbor_load(p, n, &res);
	int rc = SYNC_EFORMAT;
	memset(m, 0, sizeof *m);
	if (!map)
		return res.error.code == CBOR_ERR_MEMERROR ? SYNC_ENOMEM : SYNC_EFORMAT;
	if (res.read != n || !cbor_isa_map(map) || !cbor_map_is_definite(map))
		goto free_map;
	struct cbor_pair *pairs = cbor_map_handle(map);
	unsigned seen = 0;
	for (size_t i = 0; i < cbor_map_size(map); i++) {
		uint64_t key;
		if (get_u64(pairs[i].key, &key) || manifest_field(m, key, pairs[i].value))
			goto free_map;
		if (key < 8) {
			if (seen & (1u << key))
				goto free_map; /* a duplicate key */
			seen |= 1u << key;
		}
	}
	rc = seen == 0xff ? SYNC_OK : SYNC_EFORMAT;
free_map:
	cbor_decref(&map);
	return rc;
}

int sx_payload_encode(const struct sx_manifest *m, const struct store_record *recs, size_t n,
		      uint8_t **out, size_t *outlen)
{
	uint8_t *plain = NULL, *z = NULL, *mb = NULL;
	size_t len = 0, cap = 0, mlen = 0;
	int rc = manifest_encode(m, &mb, &mlen);
	if (rc)
		return rc;
	cap = mlen + 1024;
	rc = SYNC_ENOMEM;
	if (!(plain = malloc(cap)))
		goto free_all;
	memcpy(plain, mb, mlen);
	len = mlen;
	for (size_t i = 0; i < n; i++) {
		uint8_t *rb;
		size_t rl;
		if (store_record_to_cbor(&recs[i], &rb, &rl) != 0)
			goto free_all;
		if (len + rl > cap) {
			size_t ncap = (len + rl) * 2;
			uint8_t *np = realloc(plain, ncap);
			if (!np) {
				free(rb);
				goto free_all;
			}
			plain = np, cap = ncap;
		}
		memcpy(plain + len, rb, rl);
		len += rl;
		free(rb);
	}
	rc = SYNC_ETOOBIG;
	if (len > SYNC_PLAIN_MAX)
		goto free_all;
	size_t zcap = ZSTD_compressBound(len);
	rc = SYNC_ENOMEM;
	if (!(z = malloc(zcap)))
		goto free_all;
	size_t zn = ZSTD_compress(z, zcap, plain, len, ZSTD_LEVEL);
	if (ZSTD_isError(zn)) {
		free(z);
		goto free_all;
	}
	*out = z;
	*outlen = zn;
	rc = SYNC_OK;
free_all:
	free(mb);
	free(plain);
	return rc;
}

static void free_recs(struct store_record *recs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_record_clear(&recs[i]);
	free(recs);
}

int sx_payload_decode(const uint8_t *z, size_t zlen, struct sx_manifest *m,
		      struct store_record **recs, size_t *n)
{
	unsigned long long size = ZSTD_getFrameContentSize(z, zlen);
	if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR)
		return SYNC_EFORMAT;
	if (size > SYNC_PLAIN_MAX)
		return SYNC_ETOOBIG;
	if (ZSTD_findFrameCompressedSize(z, zlen) != zlen)
		return SYNC_EFORMAT;
	uint8_t *p = malloc(size ? size : 1);
	struct store_record *r = NULL;
	size_t got = 0, off, len;
	if (!p)
		return SYNC_ENOMEM;
	size_t dn = ZSTD_decompress(p, size, z, zlen);
	int rc = SYNC_EFORMAT;
	if (ZSTD_isError(dn) || dn != size)
		goto fail;
	if ((rc = sx_cbor_item_len(p, size, &len)) || (rc = manifest_decode(p, len, m)))
		goto fail;
	off = len;
	/* Each record is at least a few bytes: a count beyond what is left is a lie. */
	rc = SYNC_EFORMAT;
	if (m->count > (size - off) / 8 + 1 || m->count > SYNC_PLAIN_MAX)
		goto fail;
	rc = SYNC_ENOMEM;
	if (!(r = calloc(m->count ? (size_t)m->count : 1, sizeof *r)))
		goto fail;
	for (got = 0; got < m->count; got++) {
		if ((rc = sx_cbor_item_len(p + off, size - off, &len)))
			goto fail;
		int err = store_record_from_cbor(p + off, len, &r[got]);
		if (err) {
			rc = err == STORE_ENOMEM ? SYNC_ENOMEM : SYNC_EFORMAT;
			goto fail;
		}
		off += len;
	}
	rc = SYNC_EFORMAT;
	if (off != size)
		goto fail;
	free(p);
	*recs = r;
	*n = got;
	return SYNC_OK;
fail:
	free_recs(r, got);
	free(p);
	return rc;
}
