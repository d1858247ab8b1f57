/*
 * core/secret.h: the cryptography every module shares, over libsodium.
 *
 * Map: core/secret.c is the one file of core/ that includes <sodium.h>
 * (sync/seal.c, the batch format, is the only other).  It gives:
 *   - secure memory (secret_alloc/secret_free wipe on free) and randomness;
 *   - sealing of stored values: XChaCha20-Poly1305 with the storage key as
 *     associated data (secret_seal/secret_open), and the same to a public
 *     X25519 key, for writers who hold no secret (secret_seal_to/_open_from);
 *   - password keys (Argon2id) for key slots;
 *   - BLAKE2b hashing, Ed25519 signing, X25519 key pairs;
 *   - 30-digit fingerprints in six groups, and base64 for text files.
 *
 * Contracts: int functions return 0 or a negative SECRET_E* code
 * (secret_strerror()).  Output buffers are the caller's, sized by the macros
 * given.  secret_init() must be called once before anything else (it is
 * idempotent and thread-safe).
 */
#ifndef CCHC_CORE_SECRET_H
#define CCHC_CORE_SECRET_H

#include <stddef.h>
#include <stdint.h>

enum {
	SECRET_OK = 0,
	SECRET_EDAMAGED = -1, /* authentication failed: altered, damaged or wrong key */
	SECRET_ENOMEM = -2,
	SECRET_EINIT = -3,    /* libsodium could not start */
	SECRET_EINVAL = -4,   /* bad length or encoding */
};

const char *secret_strerror(int err);
int secret_init(void);

/* Guarded memory for keys; secret_free wipes before freeing (NULL is fine). */
void *secret_alloc(size_t n);
void secret_free(void *p);
void secret_wipe(void *p, size_t n);

/* Keep this process's memory (keys, passwords, decrypted records) out of
 * core files and away from other processes of the same user: core file
 * size limit 0 (soft and hard) and not dumpable (no core, no ptrace attach
 * without CAP_SYS_PTRACE, /proc/PID/mem closed).  Called once at start by
 * every process of the program, before any secret is read.  0, or -1 when
 * the system refused (the caller goes on: a weaker process, not a broken
 * one). */
int secret_harden_process(void);

void secret_random(void *buf, size_t n);
/* Uniform in [0, upper). */
uint32_t secret_uniform(uint32_t upper);

#define SECRET_KEY_BYTES 32
/* Sealed value = nonce (24) || ciphertext || tag (16). */
#define SECRET_SEAL_OVERHEAD 40
int secret_seal(const uint8_t key[SECRET_KEY_BYTES], const void *ad, size_t adlen,
		const void *msg, size_t len, uint8_t *out /* len + SECRET_SEAL_OVERHEAD */);
int secret_open(const uint8_t key[SECRET_KEY_BYTES], const void *ad, size_t adlen,
		const uint8_t *in, size_t inlen, uint8_t *out /* inlen - SECRET_SEAL_OVERHEAD */);

/* Sealing to a public key: an ephemeral X25519 key agreement gives a one-
 * time key for XChaCha20-Poly1305 with ad.  Anyone with pk can write;
 * only the holder of sk can read.  Layout: epk (32) || nonce (24) || ct || tag. */
#define SECRET_SEAL_TO_OVERHEAD 72
int secret_seal_to(const uint8_t pk[32], const void *ad, size_t adlen, const void *msg,
		   size_t len, uint8_t *out /* len + SECRET_SEAL_TO_OVERHEAD */);
int secret_open_from(const uint8_t pk[32], const uint8_t sk[32], const void *ad, size_t adlen,
		     const uint8_t *in, size_t inlen, uint8_t *out /* inlen - OVERHEAD */);

/* Argon2id key from a password, for a key slot.  Cost parameters are stored
 * with the slot so they can be raised later. */
#define SECRET_SALT_BYTES 16
struct secret_pwcost {
	uint64_t ops;
	uint64_t mem; /* bytes */
};
/* The default cost (libsodium's INTERACTIVE: 2 passes, 64 MiB; $CCHC_PWCOST=min
 * selects the minimum, for the test suites only).  secret_password_key
 * refuses (SECRET_EINVAL) a cost above SECRET_PWCOST_OPS_MAX passes or
 * SECRET_PWCOST_MEM_MAX bytes: a cost read from a damaged or crafted slot
 * must not make a login run for hours or ask for terabytes. */
#define SECRET_PWCOST_OPS_MAX 16
#define SECRET_PWCOST_MEM_MAX ((uint64_t)4 << 30)
struct secret_pwcost secret_pwcost_default(void);
int secret_password_key(const char *password, const uint8_t salt[SECRET_SALT_BYTES],
			struct secret_pwcost cost, uint8_t key[SECRET_KEY_BYTES]);

/* BLAKE2b, outlen 16..64; key may be NULL. */
void secret_hash(const void *msg, size_t len, const uint8_t *key, size_t keylen, uint8_t *out,
		 size_t outlen);

/* BLAKE2b over data given in pieces (a file streamed through): begin
 * (outlen 16..64; NULL on ENOMEM), add any number of times, end writes
 * the hash and frees the state (end with out NULL only frees it). */
struct secret_hash_state;
struct secret_hash_state *secret_hash_begin(size_t outlen);
void secret_hash_add(struct secret_hash_state *h, const void *p, size_t n);
void secret_hash_end(struct secret_hash_state *h, uint8_t *out, size_t outlen);

/* Ed25519. */
#define SECRET_SIGN_PK 32
#define SECRET_SIGN_SK 64
#define SECRET_SIG 64
int secret_sign_keypair(uint8_t pk[SECRET_SIGN_PK], uint8_t sk[SECRET_SIGN_SK]);
void secret_sign(const uint8_t sk[SECRET_SIGN_SK], const void *msg, size_t len,
		 uint8_t sig[SECRET_SIG]);
/* 0 when sig is pk's signature of msg, else SECRET_EDAMAGED. */
int secret_verify(const uint8_t pk[SECRET_SIGN_PK], const void *msg, size_t len,
		  const uint8_t sig[SECRET_SIG]);

/* X25519 (crypto_box) key pair. */
int secret_box_keypair(uint8_t pk[32], uint8_t sk[32]);
/* The public key of an X25519 secret key (to check a stored public key
 * against the sealed secret one).  SECRET_EINVAL for a secret key whose
 * public key would be the identity point. */
int secret_box_public(const uint8_t sk[32], uint8_t pk[32]);

/* Fingerprint of a public key: BLAKE2b-256("CCHC-FP-v1" || type || pk);
 * six 5-byte big-endian chunks, each mod 100000, printed as
 * "12345 67890 12345 67890 12345 67890" (35 chars + NUL). */
#define SECRET_FP_BUF 36
void secret_fingerprint(uint8_t key_type, const uint8_t *pk, size_t pklen,
			char out[SECRET_FP_BUF]);

/* Base64 (standard alphabet, padded). */
#define SECRET_B64_LEN(n) ((((n) + 2) / 3) * 4 + 1)
void secret_base64(const uint8_t *bin, size_t len, char *out /* SECRET_B64_LEN(len) */);
/* Decodes exactly: 0 ok and *outlen set, SECRET_EINVAL on bad text or if it
 * does not fit in cap. */
int secret_unbase64(const char *text, uint8_t *out, size_t cap, size_t *outlen);

#endif
