/*
 * sync/seal.c: the batch cryptography, the one file of sync/ that includes
 * <sodium.h> (libsodium 1.0.18 APIs only).
 *
 *   file key   crypto_secretstream_xchacha20poly1305_keygen, fresh per batch,
 *              sealed to the district with crypto_box_seal (ephemeral X25519,
 *              so the commune cannot read what it sent)
 *   payload    sodium_pad to 512 bytes, then secretstream in 64 KiB chunks,
 *              each with the clear header and stanza as associated data, the
 *              last tagged FINAL (truncation shows)
 *   signature  Ed25519 over a 16-byte context || BLAKE2b-512 of the bytes
 *              (libsodium's advice for prehashing), one context per object
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "sync/sync_int.h"

_Static_assert(crypto_box_SEALBYTES + 32 == SX_SEALED_KEY, "sealed key size");
_Static_assert(crypto_secretstream_xchacha20poly1305_HEADERBYTES == SX_STREAM_HEADER, "header");
_Static_assert(crypto_secretstream_xchacha20poly1305_ABYTES == SX_CHUNK_OVERHEAD, "abytes");
_Static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == 32, "key");

void sx_key_id(const uint8_t pk[32], uint8_t id[8])
{
	uint8_t h[32];
	crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
	memcpy(id, h, 8);
}

static void prehash(const char *ctx, const uint8_t *msg, size_t len, uint8_t out[16 + 64])
{
	memcpy(out, ctx, 16);
	crypto_generichash(out + 16, 64, msg, len, NULL, 0);
}

void sx_sign(const char *ctx, const uint8_t *msg, size_t len, const uint8_t sk[64],
	     uint8_t sig[64])
{
	uint8_t m[80];
	prehash(ctx, msg, len, m);
	crypto_sign_detached(sig, NULL, m, sizeof m, sk);
}

int sx_verify(const char *ctx, const uint8_t *msg, size_t len, const uint8_t pk[32],
	      const uint8_t sig[64])
{
	uint8_t m[80];
	prehash(ctx, msg, len, m);
	return crypto_sign_verify_detached(sig, m, sizeof m, pk) == 0 ? SYNC_OK : SYNC_ESIG;
}

void sx_key_free(uint8_t *key)
{
	if (key)
		sodium_free(key);
}

int sx_filekey_new(const uint8_t box_pk[32], uint8_t **key, uint8_t sealed[SX_SEALED_KEY])
{
	uint8_t *k = sodium_malloc(32);
	if (!k)
		return SYNC_ENOMEM;
	crypto_secretstream_xchacha20poly1305_keygen(k);
	if (crypto_box_seal(sealed, k, 32, box_pk) != 0) {
		sodium_free(k);
		return SYNC_EKEY;
	}
	*key = k;
	return SYNC_OK;
}

int sx_filekey_open(const uint8_t sealed[SX_SEALED_KEY], const uint8_t box_pk[32],
		    const uint8_t box_sk[32], uint8_t **key)
{
	uint8_t *k = sodium_malloc(32);
	if (!k)
		return SYNC_ENOMEM;
	if (crypto_box_seal_open(k, sealed, SX_SEALED_KEY, box_pk, box_sk) != 0) {
		sodium_free(k);
		return SYNC_EDECRYPT;
	}
	*key = k;
	return SYNC_OK;
}

static size_t padded_len(size_t plen)
{
	/* sodium_pad always adds at least one byte (ISO/IEC 7816-4). */
	return (plen / SX_PAD_BLOCK + 1) * SX_PAD_BLOCK;
}

uint64_t sx_stream_len(size_t plen)
{
	uint64_t p = padded_len(plen);
	uint64_t chunks = (p + SX_CHUNK - 1) / SX_CHUNK;
	return SX_STREAM_HEADER + p + chunks * SX_CHUNK_OVERHEAD;
}

int sx_stream_encrypt(const uint8_t *key, const uint8_t *ad, size_t adlen, const uint8_t *plain,
		      size_t plen, uint8_t *out)
{
	size_t p = padded_len(plen), got;
	uint8_t *buf = malloc(p);
	if (!buf)
		return SYNC_ENOMEM;
	if (plen)
		memcpy(buf, plain, plen);
	if (sodium_pad(&got, buf, plen, SX_PAD_BLOCK, p) != 0 || got != p) {
		free(buf);
		return SYNC_EFORMAT;
	}
	crypto_secretstream_xchacha20poly1305_state st;
	crypto_secretstream_xchacha20poly1305_init_push(&st, out, key);
	uint8_t *o = out + SX_STREAM_HEADER;
	for (size_t off = 0; off < p; off += SX_CHUNK) {
		size_t n = p - off < SX_CHUNK ? p - off : SX_CHUNK;
		unsigned char tag = off + n == p ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0;
		crypto_secretstream_xchacha20poly1305_push(&st, o, NULL, buf + off, n, ad, adlen, tag);
		o += n + SX_CHUNK_OVERHEAD;
	}
	sodium_memzero(&st, sizeof st);
	sodium_memzero(buf, p);
	free(buf);
	return SYNC_OK;
}

int sx_stream_decrypt(const uint8_t *key, const uint8_t *ad, size_t adlen, const uint8_t *ct,
		      size_t ctlen, uint8_t **plain, size_t *plen)
{
	if (ctlen < SX_STREAM_HEADER + SX_CHUNK_OVERHEAD + SX_PAD_BLOCK)
		return SYNC_EFORMAT;
	size_t body = ctlen - SX_STREAM_HEADER;
	size_t chunks = (body + SX_CHUNK + SX_CHUNK_OVERHEAD - 1) / (SX_CHUNK + SX_CHUNK_OVERHEAD);
	if (body <= chunks * SX_CHUNK_OVERHEAD)
		return SYNC_EFORMAT;
	size_t p = body - chunks * SX_CHUNK_OVERHEAD;
	uint8_t *buf = malloc(p);
	if (!buf)
		return SYNC_ENOMEM;
	crypto_secretstream_xchacha20poly1305_state st;
	int rc = SYNC_EDECRYPT;
	if (crypto_secretstream_xchacha20poly1305_init_pull(&st, ct, key) != 0)
		goto fail;
	const uint8_t *c = ct + SX_STREAM_HEADER;
	size_t off = 0;
	for (size_t i = 0; i < chunks; i++) {
		size_t n = p - off < SX_CHUNK ? p - off : SX_CHUNK;
		unsigned long long mlen;
		unsigned char tag;
		if (crypto_secretstream_xchacha20poly1305_pull(&st, buf + off, &mlen, &tag, c,
							       n + SX_CHUNK_OVERHEAD, ad, adlen) != 0)
			goto fail;
		int last = i + 1 == chunks;
		if (mlen != n || (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) != last ||
		    (!last && tag != 0))
			goto fail;
		c += n + SX_CHUNK_OVERHEAD;
		off += n;
	}
	size_t unpadded;
	if (sodium_unpad(&unpadded, buf, p, SX_PAD_BLOCK) != 0 || p % SX_PAD_BLOCK != 0) {
		rc = SYNC_EFORMAT;
		goto fail;
	}
	sodium_memzero(&st, sizeof st);
	*plain = buf;
	*plen = unpadded;
	return SYNC_OK;
fail:
	sodium_memzero(&st, sizeof st);
	sodium_memzero(buf, p);
	free(buf);
	return rc;
}

/* District messages to one commune (mail.c): sealed to the X25519 form of
 * the commune's Ed25519 signing key, the only key of the commune the
 * district holds (libsodium's documented conversion; the district cannot
 * open what it sealed, the commune opens it in a logged-in session). */
_Static_assert(crypto_box_SEALBYTES == SX_BOX_OVERHEAD, "box overhead");

int sx_box_to_sign_pk(const uint8_t sign_pk[32], const uint8_t *plain, size_t plen, uint8_t *out)
{
	uint8_t xpk[32];
	if (crypto_sign_ed25519_pk_to_curve25519(xpk, sign_pk) != 0)
		return SYNC_EKEY;
	return crypto_box_seal(out, plain, plen, xpk) == 0 ? SYNC_OK : SYNC_EKEY;
}

int sx_box_open_sign_sk(const uint8_t sign_sk[64], const uint8_t *ct, size_t clen,
			uint8_t *plain)
{
	uint8_t xpk[32], *xsk = sodium_malloc(32);
	int rc = SYNC_EDECRYPT;
	if (!xsk)
		return SYNC_ENOMEM;
	if (clen >= SX_BOX_OVERHEAD && crypto_sign_ed25519_pk_to_curve25519(xpk, sign_sk + 32) == 0 &&
	    crypto_sign_ed25519_sk_to_curve25519(xsk, sign_sk) == 0 &&
	    crypto_box_seal_open(plain, ct, clen, xpk, xsk) == 0)
		rc = SYNC_OK;
	sodium_free(xsk);
	return rc;
}
