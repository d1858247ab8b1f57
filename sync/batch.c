/*
 * sync/batch.c: the batch file (format version 1, suite 1).
 *
 *   [0, 96)      fixed header (big-endian integers)
 *   [96, 188)    one key stanza: type, reserved, recipient key id, sealed file key
 *   [188, end-64) secretstream header + 64 KiB chunks, AD = bytes [0, 188)
 *   [end-64, end) Ed25519 over "CCHC-BATCH-SIG01" || BLAKE2b-512(bytes [0, end-64))
 *
 * The total length must be exactly 188 + payload_len + 64, so a flipped bit
 * in a length field is caught before any signature work; only the fixed
 * header is read before the signature is checked (research/sync.md §2.7 P7).
 */
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "sync/sync_int.h"

uint64_t sx_be64(const uint8_t *b)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

void sx_put_be64(uint8_t *b, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t)v;
}

uint32_t sx_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

void sx_put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24), b[1] = (uint8_t)(v >> 16), b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

uint16_t sx_be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

void sx_put_be16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8), b[1] = (uint8_t)v;
}

/* A unit code field: printable ASCII, NUL-padded, at least one byte. */
static int code_get(const uint8_t *f, char out[SYNC_CODE_BUF])
{
	size_t n = 0;
	while (n < 16 && f[n])
		n++;
	if (n == 0)
		return SYNC_EFORMAT;
	for (size_t i = 0; i < 16; i++) {
		if (i < n ? (f[i] <= ' ' || f[i] > '~') : f[i] != 0)
			return SYNC_EFORMAT;
	}
	memcpy(out, f, n);
	out[n] = '\0';
	return SYNC_OK;
}

static int code_put(uint8_t *f, const char *code)
{
	size_t n = strlen(code);
	if (n == 0 || n > 16)
		return SYNC_EFORMAT;
	memset(f, 0, 16);
	memcpy(f, code, n);
	return SYNC_OK;
}

int sync_batch_header(const uint8_t *b, size_t len, struct sync_header *h)
{
	memset(h, 0, sizeof *h);
	if (len < SX_AD + SX_STREAM_HEADER + SX_SIG)
		return SYNC_EFORMAT;
	if (len > SYNC_BATCH_MAX)
		return SYNC_ETOOBIG;
	if (memcmp(b, SX_MAGIC, 8) != 0)
		return SYNC_EFORMAT;
	h->version = sx_be16(b + 8);
	h->suite = sx_be16(b + 12);
	/* One version and suite today; the fields let a later format coexist. */
	if (h->version != SX_VERSION || sx_be16(b + 10) != SX_HEADER || h->suite != SX_SUITE ||
	    b[14] != 1 || b[15] != SX_FLAGS)
		return SYNC_EFORMAT;
	if (code_get(b + 16, h->commune) || code_get(b + 32, h->district))
		return SYNC_EFORMAT;
	memcpy(h->signer_key_id, b + 48, 8);
	h->epoch = sx_be64(b + 56);
	h->batch_no = sx_be64(b + 64);
	h->created = (int64_t)sx_be64(b + 72);
	h->payload_len = sx_be64(b + 80);
	if (h->epoch == 0 || h->batch_no == 0 || sx_be32(b + 88) != SX_CHUNK || sx_be32(b + 92) != 0)
		return SYNC_EFORMAT;
	const uint8_t *st = b + SX_HEADER;
	if (sx_be16(st) != 1 || sx_be16(st + 2) != 0)
		return SYNC_EFORMAT;
	memcpy(h->recipient_key_id, st + 4, 8);
	if (h->payload_len > len || h->payload_len != len - SX_AD - SX_SIG ||
	    h->payload_len < SX_STREAM_HEADER + SX_CHUNK_OVERHEAD + SX_PAD_BLOCK)
		return SYNC_EFORMAT;
	return SYNC_OK;
}

int sync_batch_verify(const uint8_t *buf, size_t len, const uint8_t sign_pk[32],
		      struct sync_header *h, uint8_t id[SYNC_ID_BYTES])
{
	int rc = sync_batch_header(buf, len, h);
	if (rc)
		return rc;
	uint8_t kid[8];
	sx_key_id(sign_pk, kid);
	/* The key id first (minisign): a batch naming another signer is refused
	 * before any signature work. */
	if (memcmp(kid, h->signer_key_id, 8) != 0)
		return SYNC_ESIG;
	if ((rc = sx_verify(SX_CTX_BATCH, buf, len - SX_SIG, sign_pk, buf + len - SX_SIG)))
		return rc;
	if (id)
		secret_hash(buf, len, NULL, 0, id, SYNC_ID_BYTES);
	return SYNC_OK;
}

int sync_batch_build(const struct sync_batch_info *info, const struct store_record *recs,
		     size_t n, const uint8_t sign_sk[64], const uint8_t box_pk[32], uint8_t **out,
		     size_t *outlen, uint8_t id[SYNC_ID_BYTES])
{
	struct sx_manifest m;
	memset(&m, 0, sizeof m);
	if (strlen(info->commune) >= SYNC_CODE_BUF || strlen(info->district) >= SYNC_CODE_BUF ||
	    info->epoch == 0 || info->batch_no == 0)
		return SYNC_EFORMAT;
	strcpy(m.commune, info->commune);
	strcpy(m.district, info->district);
	m.epoch = info->epoch;
	m.batch_no = info->batch_no;
	memcpy(m.prev_id, info->prev_id, SYNC_ID_BYTES);
	m.seq_from = info->seq_from;
	m.seq_to = info->seq_to;
	m.count = n;
	uint8_t *z = NULL, *key = NULL, *b = NULL;
	size_t zlen;
	int rc = sx_payload_encode(&m, recs, n, &z, &zlen);
	if (rc)
		return rc;
	uint64_t plen = sx_stream_len(zlen);
	size_t total = SX_AD + (size_t)plen + SX_SIG;
	rc = SYNC_ETOOBIG;
	if (total > SYNC_BATCH_MAX)
		goto free_z;
	rc = SYNC_ENOMEM;
	if (!(b = calloc(1, total)))
		goto free_z;
	memcpy(b, SX_MAGIC, 8);
	sx_put_be16(b + 8, SX_VERSION);
	sx_put_be16(b + 10, SX_HEADER);
	sx_put_be16(b + 12, SX_SUITE);
	b[14] = 1;
	b[15] = SX_FLAGS;
	if ((rc = code_put(b + 16, info->commune)) || (rc = code_put(b + 32, info->district)))
		goto free_b;
	uint8_t pk[32];
	memcpy(pk, sign_sk + 32, 32); /* an Ed25519 secret key ends with its public key */
	sx_key_id(pk, b + 48);
	sx_put_be64(b + 56, info->epoch);
	sx_put_be64(b + 64, info->batch_no);
	sx_put_be64(b + 72, (uint64_t)info->created);
	sx_put_be64(b + 80, plen);
	sx_put_be32(b + 88, SX_CHUNK);
	uint8_t *st = b + SX_HEADER;
	sx_put_be16(st, 1);
	sx_key_id(box_pk, st + 4);
	if ((rc = sx_filekey_new(box_pk, &key, st + 12)))
		goto free_b;
	rc = sx_stream_encrypt(key, b, SX_AD, z, zlen, b + SX_AD);
	sx_key_free(key);
	if (rc)
		goto free_b;
	sx_sign(SX_CTX_BATCH, b, total - SX_SIG, sign_sk, b + total - SX_SIG);
	secret_hash(b, total, NULL, 0, id, SYNC_ID_BYTES);
	*out = b;
	*outlen = total;
	free(z);
	return SYNC_OK;
free_b:
	free(b);
free_z:
	free(z);
	return rc;
}

void sync_batch_free(struct sync_batch *bt)
{
	if (!bt)
		return;
	for (size_t i = 0; i < bt->n; i++)
		store_record_clear(&bt->recs[i]);
	free(bt->recs);
	free(bt);
}

int sync_batch_open(const uint8_t *buf, size_t len, const uint8_t sign_pk[32],
		    const uint8_t box_pk[32], const uint8_t box_sk[32], struct sync_batch **out)
{
	struct sync_batch *bt = calloc(1, sizeof *bt);
	uint8_t *key = NULL, *z = NULL, kid[8];
	size_t zlen = 0;
	if (!bt)
		return SYNC_ENOMEM;
	int rc = sync_batch_verify(buf, len, sign_pk, &bt->h, bt->id);
	if (rc)
		goto fail;
	sx_key_id(box_pk, kid);
	rc = SYNC_EOTHERKEY;
	if (memcmp(kid, bt->h.recipient_key_id, 8) != 0)
		goto fail;
	if ((rc = sx_filekey_open(buf + SX_HEADER + 12, box_pk, box_sk, &key)))
		goto fail;
	rc = sx_stream_decrypt(key, buf, SX_AD, buf + SX_AD, (size_t)bt->h.payload_len, &z, &zlen);
	sx_key_free(key);
	if (rc)
		goto fail;
	struct sx_manifest m;
	rc = sx_payload_decode(z, zlen, &m, &bt->recs, &bt->n);
	free(z);
	if (rc)
		goto fail;
	/* The sealed manifest must say what the signed header says. */
	rc = SYNC_EDECRYPT;
	if (strcmp(m.commune, bt->h.commune) || strcmp(m.district, bt->h.district) ||
	    m.epoch != bt->h.epoch || m.batch_no != bt->h.batch_no)
		goto fail;
	/* A commune speaks only for its own unit. */
	for (size_t i = 0; i < bt->n; i++)
		if (strcmp(bt->recs[i].unit, bt->h.commune) != 0)
			goto fail;
	memcpy(bt->prev_id, m.prev_id, SYNC_ID_BYTES);
	bt->seq_from = m.seq_from;
	bt->seq_to = m.seq_to;
	*out = bt;
	return SYNC_OK;
fail:
	sync_batch_free(bt);
	return rc;
}
