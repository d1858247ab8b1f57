/*
 * core/secret.c: the one file of core/ over libsodium (see secret.h).
 *
 * Nothing here keeps state: libsodium's own initialization is the only
 * global, and sodium_init() is idempotent and thread-safe.
 */
#include "core/secret.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

const char *secret_strerror(int err)
{
	switch (err) {
	case SECRET_OK:
		return "ok";
	case SECRET_EDAMAGED:
		return "authentication failed (damaged, altered or wrong key)";
	case SECRET_ENOMEM:
		return "out of memory";
	case SECRET_EINIT:
		return "libsodium could not start";
	case SECRET_EINVAL:
		return "bad length or encoding";
	}
	return "unknown error";
}

int secret_init(void)
{
	return sodium_init() < 0 ? SECRET_EINIT : SECRET_OK;
}

void *secret_alloc(size_t n)
{
	return sodium_malloc(n);
}

void secret_free(void *p)
{
	if (p)
		sodium_free(p);
}

void secret_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

int secret_harden_process(void)
{
	struct rlimit none = {0, 0};
	int rc = setrlimit(RLIMIT_CORE, &none);
#if !defined(__SANITIZE_ADDRESS__)
	/* Not under AddressSanitizer: its leak checker attaches to the process
	 * with ptrace at exit, which a non-dumpable process refuses. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		rc = -1;
#endif
	return rc == 0 ? 0 : -1;
}

void secret_random(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

uint32_t secret_uniform(uint32_t upper)
{
	return upper < 2 ? 0 : randombytes_uniform(upper);
}

#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES

_Static_assert(NONCE_BYTES + TAG_BYTES == SECRET_SEAL_OVERHEAD, "seal layout");
_Static_assert(crypto_box_PUBLICKEYBYTES + SECRET_SEAL_OVERHEAD == SECRET_SEAL_TO_OVERHEAD,
	       "seal_to layout");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == SECRET_KEY_BYTES, "key size");

int secret_seal(const uint8_t key[SECRET_KEY_BYTES], const void *ad, size_t adlen,
		const void *msg, size_t len, uint8_t *out)
{
	unsigned long long clen;
	randombytes_buf(out, NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + NONCE_BYTES, &clen, msg, len, ad, adlen,
						   NULL, out, key);
	return SECRET_OK;
}

int secret_open(const uint8_t key[SECRET_KEY_BYTES], const void *ad, size_t adlen,
		const uint8_t *in, size_t inlen, uint8_t *out)
{
	unsigned long long mlen;
	if (inlen < SECRET_SEAL_OVERHEAD)
		return SECRET_EDAMAGED;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &mlen, NULL, in + NONCE_BYTES,
						       inlen - NONCE_BYTES, ad, adlen, in,
						       key) != 0)
		return SECRET_EDAMAGED;
	return SECRET_OK;
}

/* The one-time key binds the agreement to both public keys, so the same
 * shared point can never give the same key for another recipient. */
static int seal_to_key(const uint8_t shared[crypto_scalarmult_BYTES], const uint8_t epk[32],
		       const uint8_t pk[32], uint8_t key[SECRET_KEY_BYTES])
{
	crypto_generichash_state st;
	if (crypto_generichash_init(&st, NULL, 0, SECRET_KEY_BYTES) != 0)
		return SECRET_EINIT;
	crypto_generichash_update(&st, shared, crypto_scalarmult_BYTES);
	crypto_generichash_update(&st, epk, 32);
	crypto_generichash_update(&st, pk, 32);
	crypto_generichash_final(&st, key, SECRET_KEY_BYTES);
	sodium_memzero(&st, sizeof st);
	return SECRET_OK;
}

int secret_seal_to(const uint8_t pk[32], const void *ad, size_t adlen, const void *msg,
		   size_t len, uint8_t *out)
{
	uint8_t esk[32], shared[crypto_scalarmult_BYTES], key[SECRET_KEY_BYTES];
	int rc = SECRET_EINVAL;
	crypto_box_keypair(out, esk);
	if (crypto_scalarmult(shared, esk, pk) != 0)
		goto wipe; /* pk is a low-order point: not a usable key */
	rc = seal_to_key(shared, out, pk, key);
	if (rc == SECRET_OK)
		rc = secret_seal(key, ad, adlen, msg, len, out + 32);
wipe:
	sodium_memzero(esk, sizeof esk);
	sodium_memzero(shared, sizeof shared);
	sodium_memzero(key, sizeof key);
	return rc;
}

int secret_open_from(const uint8_t pk[32], const uint8_t sk[32], const void *ad, size_t adlen,
		     const uint8_t *in, size_t inlen, uint8_t *out)
{
	uint8_t shared[crypto_scalarmult_BYTES], key[SECRET_KEY_BYTES];
	int rc = SECRET_EDAMAGED;
	if (inlen < SECRET_SEAL_TO_OVERHEAD)
		return SECRET_EDAMAGED;
	if (crypto_scalarmult(shared, sk, in) != 0)
		goto wipe;
	rc = seal_to_key(shared, in, pk, key);
	if (rc == SECRET_OK)
		rc = secret_open(key, ad, adlen, in + 32, inlen - 32, out);
wipe:
	sodium_memzero(shared, sizeof shared);
	sodium_memzero(key, sizeof key);
	return rc;
}

struct secret_pwcost secret_pwcost_default(void)
{
	struct secret_pwcost c = {crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE};
#ifdef CCHC_TEST_HOOKS
	/* Test builds only (make check): a cheap cost keeps hundreds of logins
	 * fast.  A real build ignores it, so no one makes weak key slots. */
	const char *env = getenv("CCHC_PWCOST");
	if (env && strcmp(env, "min") == 0) {
		c.ops = crypto_pwhash_OPSLIMIT_MIN;
		c.mem = crypto_pwhash_MEMLIMIT_MIN;
	}
#endif
	return c;
}

int secret_password_key(const char *password, const uint8_t salt[SECRET_SALT_BYTES],
			struct secret_pwcost cost, uint8_t key[SECRET_KEY_BYTES])
{
	_Static_assert(crypto_pwhash_SALTBYTES == SECRET_SALT_BYTES, "salt size");
	/* A stored cost comes from the disk: refuse silly values instead of
	 * letting a damaged slot ask for terabytes. */
	if (cost.ops < crypto_pwhash_OPSLIMIT_MIN || cost.ops > SECRET_PWCOST_OPS_MAX ||
	    cost.mem < crypto_pwhash_MEMLIMIT_MIN || cost.mem > SECRET_PWCOST_MEM_MAX)
		return SECRET_EINVAL;
	if (crypto_pwhash(key, SECRET_KEY_BYTES, password, strlen(password), salt,
			  (unsigned long long)cost.ops, (size_t)cost.mem,
			  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return SECRET_ENOMEM;
	return SECRET_OK;
}

void secret_hash(const void *msg, size_t len, const uint8_t *key, size_t keylen, uint8_t *out,
		 size_t outlen)
{
	crypto_generichash(out, outlen, msg, len, key, key ? keylen : 0);
}

struct secret_hash_state {
	crypto_generichash_state st;
};

struct secret_hash_state *secret_hash_begin(size_t outlen)
{
	struct secret_hash_state *h = secret_alloc(sizeof *h);
	if (h)
		crypto_generichash_init(&h->st, NULL, 0, outlen);
	return h;
}

void secret_hash_add(struct secret_hash_state *h, const void *p, size_t n)
{
	crypto_generichash_update(&h->st, p, n);
}

void secret_hash_end(struct secret_hash_state *h, uint8_t *out, size_t outlen)
{
	if (!h)
		return;
	if (out)
		crypto_generichash_final(&h->st, out, outlen);
	secret_free(h);
}

int secret_sign_keypair(uint8_t pk[SECRET_SIGN_PK], uint8_t sk[SECRET_SIGN_SK])
{
	return crypto_sign_keypair(pk, sk) == 0 ? SECRET_OK : SECRET_EINIT;
}

void secret_sign(const uint8_t sk[SECRET_SIGN_SK], const void *msg, size_t len,
		 uint8_t sig[SECRET_SIG])
{
	crypto_sign_detached(sig, NULL, msg, len, sk);
}

int secret_verify(const uint8_t pk[SECRET_SIGN_PK], const void *msg, size_t len,
		  const uint8_t sig[SECRET_SIG])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? SECRET_OK : SECRET_EDAMAGED;
}

int secret_box_keypair(uint8_t pk[32], uint8_t sk[32])
{
	return crypto_box_keypair(pk, sk) == 0 ? SECRET_OK : SECRET_EINIT;
}

int secret_box_public(const uint8_t sk[32], uint8_t pk[32])
{
	return crypto_scalarmult_base(pk, sk) == 0 ? SECRET_OK : SECRET_EINVAL;
}

void secret_fingerprint(uint8_t key_type, const uint8_t *pk, size_t pklen,
			char out[SECRET_FP_BUF])
{
	static const char tag[] = "CCHC-FP-v1";
	crypto_generichash_state st;
	uint8_t h[32];
	char *p = out;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const uint8_t *)tag, sizeof tag - 1);
	crypto_generichash_update(&st, &key_type, 1);
	crypto_generichash_update(&st, pk, pklen);
	crypto_generichash_final(&st, h, sizeof h);
	for (int g = 0; g < 6; g++) {
		uint64_t v = 0;
		for (int i = 0; i < 5; i++)
			v = v << 8 | h[g * 5 + i];
		if (g)
			*p++ = ' ';
		unsigned d = (unsigned)(v % 100000);
		for (int i = 4; i >= 0; i--, d /= 10)
			p[i] = (char)('0' + d % 10);
		p += 5;
	}
	*p = '\0';
}

void secret_base64(const uint8_t *bin, size_t len, char *out)
{
	sodium_bin2base64(out, SECRET_B64_LEN(len), bin, len, sodium_base64_VARIANT_ORIGINAL);
}

int secret_unbase64(const char *text, uint8_t *out, size_t cap, size_t *outlen)
{
	size_t n = 0;
	/* No end pointer: libsodium then rejects any character outside the
	 * alphabet (and missing padding) instead of stopping there. */
	if (sodium_base642bin(out, cap, text, strlen(text), NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return SECRET_EINVAL;
	*outlen = n;
	return SECRET_OK;
}
