/* tests/core/test_secret.c: core/secret round trips and rejections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/secret.h"

static int setup(void **state)
{
	(void)state;
	setenv("CCHC_PWCOST", "min", 1);
	return secret_init();
}

static void test_seal_roundtrip(void **state)
{
	(void)state;
	uint8_t key[SECRET_KEY_BYTES], key2[SECRET_KEY_BYTES];
	const char msg[] = "Nguyễn Văn Tèo 0912345678";
	const char ad[] = "records\0id";
	uint8_t sealed[sizeof msg + SECRET_SEAL_OVERHEAD], back[sizeof msg];
	secret_random(key, sizeof key);
	memcpy(key2, key, sizeof key);
	key2[31] ^= 1;
	assert_int_equal(secret_seal(key, ad, sizeof ad, msg, sizeof msg, sealed), 0);
	assert_null(memmem(sealed, sizeof sealed, "Tèo", 4));
	assert_int_equal(secret_open(key, ad, sizeof ad, sealed, sizeof sealed, back), 0);
	assert_memory_equal(back, msg, sizeof msg);
	assert_int_equal(secret_open(key2, ad, sizeof ad, sealed, sizeof sealed, back),
			 SECRET_EDAMAGED);
	assert_int_equal(secret_open(key, ad, sizeof ad - 1, sealed, sizeof sealed, back),
			 SECRET_EDAMAGED);
	assert_int_equal(secret_open(key, ad, sizeof ad, sealed, SECRET_SEAL_OVERHEAD - 1, back),
			 SECRET_EDAMAGED);
	/* Every single flipped bit of the value and of its AD is rejected. */
	for (size_t i = 0; i < sizeof sealed * 8; i++) {
		sealed[i / 8] ^= (uint8_t)(1u << (i % 8));
		assert_int_equal(secret_open(key, ad, sizeof ad, sealed, sizeof sealed, back),
				 SECRET_EDAMAGED);
		sealed[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
	char ad2[sizeof ad];
	memcpy(ad2, ad, sizeof ad);
	for (size_t i = 0; i < sizeof ad * 8; i++) {
		ad2[i / 8] ^= (char)(1u << (i % 8));
		assert_int_equal(secret_open(key, ad2, sizeof ad2, sealed, sizeof sealed, back),
				 SECRET_EDAMAGED);
		ad2[i / 8] ^= (char)(1u << (i % 8));
	}
	assert_int_equal(secret_open(key, ad2, sizeof ad2, sealed, sizeof sealed, back), 0);
	/* Empty messages seal too. */
	uint8_t empty[SECRET_SEAL_OVERHEAD];
	assert_int_equal(secret_seal(key, NULL, 0, "", 0, empty), 0);
	assert_int_equal(secret_open(key, NULL, 0, empty, sizeof empty, back), 0);
}

static void test_seal_to_roundtrip(void **state)
{
	(void)state;
	uint8_t pk[32], sk[32], pk2[32], sk2[32];
	const char msg[] = "audit entry";
	const char ad[] = "audit\0\0\0\0\0\0\0\0\1";
	uint8_t sealed[sizeof msg + SECRET_SEAL_TO_OVERHEAD], back[sizeof msg];
	assert_int_equal(secret_box_keypair(pk, sk), 0);
	assert_int_equal(secret_box_keypair(pk2, sk2), 0);
	assert_int_equal(secret_seal_to(pk, ad, sizeof ad, msg, sizeof msg, sealed), 0);
	assert_int_equal(secret_open_from(pk, sk, ad, sizeof ad, sealed, sizeof sealed, back), 0);
	assert_memory_equal(back, msg, sizeof msg);
	assert_int_equal(secret_open_from(pk2, sk2, ad, sizeof ad, sealed, sizeof sealed, back),
			 SECRET_EDAMAGED);
	for (size_t i = 0; i < sizeof sealed * 8; i++) {
		sealed[i / 8] ^= (uint8_t)(1u << (i % 8));
		assert_int_not_equal(
		    secret_open_from(pk, sk, ad, sizeof ad, sealed, sizeof sealed, back), 0);
		sealed[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
	char ad2[sizeof ad];
	memcpy(ad2, ad, sizeof ad);
	for (size_t i = 0; i < sizeof ad * 8; i++) {
		ad2[i / 8] ^= (char)(1u << (i % 8));
		assert_int_equal(
		    secret_open_from(pk, sk, ad2, sizeof ad2, sealed, sizeof sealed, back),
		    SECRET_EDAMAGED);
		ad2[i / 8] ^= (char)(1u << (i % 8));
	}
	/* A low-order public key (all zero) is refused when sealing. */
	uint8_t zero[32] = {0};
	assert_int_equal(secret_seal_to(zero, NULL, 0, msg, sizeof msg, sealed), SECRET_EINVAL);
}

static void test_password_key(void **state)
{
	(void)state;
	uint8_t salt[SECRET_SALT_BYTES], k1[32], k2[32], k3[32];
	struct secret_pwcost c = secret_pwcost_default();
	assert_true(c.ops >= 1 && c.mem >= 8192);
	secret_random(salt, sizeof salt);
	assert_int_equal(secret_password_key("mật khẩu", salt, c, k1), 0);
	assert_int_equal(secret_password_key("mật khẩu", salt, c, k2), 0);
	assert_memory_equal(k1, k2, 32);
	assert_int_equal(secret_password_key("mật khẩU", salt, c, k3), 0);
	assert_memory_not_equal(k1, k3, 32);
	salt[0] ^= 1;
	assert_int_equal(secret_password_key("mật khẩu", salt, c, k3), 0);
	assert_memory_not_equal(k1, k3, 32);
	struct secret_pwcost bad = {0, 0};
	assert_int_equal(secret_password_key("x", salt, bad, k3), SECRET_EINVAL);
	/* A cost from a crafted slot: too many passes would make a login hang. */
	struct secret_pwcost slow = {SECRET_PWCOST_OPS_MAX + 1, c.mem};
	assert_int_equal(secret_password_key("x", salt, slow, k3), SECRET_EINVAL);
	slow.ops = UINT32_MAX;
	assert_int_equal(secret_password_key("x", salt, slow, k3), SECRET_EINVAL);
	slow.ops = SECRET_PWCOST_OPS_MAX;
	assert_int_equal(secret_password_key("x", salt, slow, k3), 0);
	struct secret_pwcost big = {c.ops, SECRET_PWCOST_MEM_MAX + 1};
	assert_int_equal(secret_password_key("x", salt, big, k3), SECRET_EINVAL);
	unsetenv("CCHC_PWCOST");
	struct secret_pwcost d = secret_pwcost_default();
	assert_true(d.mem == 64u << 20 && d.ops == 2);
	setenv("CCHC_PWCOST", "min", 1);
}

/* The public key of a box secret key is the one the key pair came with. */
static void test_box_public(void **state)
{
	(void)state;
	uint8_t pk[32], sk[32], pk2[32], other[32], osk[32];
	assert_int_equal(secret_box_keypair(pk, sk), 0);
	assert_int_equal(secret_box_public(sk, pk2), 0);
	assert_memory_equal(pk, pk2, 32);
	assert_int_equal(secret_box_keypair(other, osk), 0);
	assert_memory_not_equal(other, pk2, 32);
}

static void test_hash_sign(void **state)
{
	(void)state;
	uint8_t h1[32], h2[32], hk[16], key[16] = {1};
	secret_hash("abc", 3, NULL, 0, h1, sizeof h1);
	/* BLAKE2b-256("abc"), RFC 7693 test vector for the 256-bit variant. */
	static const uint8_t want[32] = {
	    0xbd, 0xdd, 0x81, 0x3c, 0x63, 0x42, 0x39, 0x72, 0x31, 0x71, 0xef,
	    0x3f, 0xee, 0x98, 0x57, 0x9b, 0x94, 0x96, 0x4e, 0x3b, 0xb1, 0xcb,
	    0x3e, 0x42, 0x72, 0x62, 0xc8, 0xc0, 0x68, 0xd5, 0x23, 0x19};
	assert_memory_equal(h1, want, 32);
	secret_hash("abc", 3, key, sizeof key, h2, sizeof h2);
	assert_memory_not_equal(h1, h2, 32);
	secret_hash("abc", 3, key, sizeof key, hk, sizeof hk);

	uint8_t pk[SECRET_SIGN_PK], sk[SECRET_SIGN_SK], sig[SECRET_SIG];
	assert_int_equal(secret_sign_keypair(pk, sk), 0);
	secret_sign(sk, "batch", 5, sig);
	assert_int_equal(secret_verify(pk, "batch", 5, sig), 0);
	assert_int_equal(secret_verify(pk, "batcH", 5, sig), SECRET_EDAMAGED);
	sig[0] ^= 1;
	assert_int_equal(secret_verify(pk, "batch", 5, sig), SECRET_EDAMAGED);
}

static void test_fingerprint(void **state)
{
	(void)state;
	uint8_t pk[32];
	char fp[SECRET_FP_BUF], fp2[SECRET_FP_BUF];
	for (int i = 0; i < 32; i++)
		pk[i] = (uint8_t)i;
	secret_fingerprint(1, pk, sizeof pk, fp);
	assert_int_equal(strlen(fp), 35);
	for (int i = 0; i < 35; i++) {
		if (i % 6 == 5)
			assert_int_equal(fp[i], ' ');
		else
			assert_true(fp[i] >= '0' && fp[i] <= '9');
	}
	secret_fingerprint(1, pk, sizeof pk, fp2);
	assert_string_equal(fp, fp2);
	secret_fingerprint(2, pk, sizeof pk, fp2);
	assert_string_not_equal(fp, fp2);
	pk[0] ^= 1;
	secret_fingerprint(1, pk, sizeof pk, fp2);
	assert_string_not_equal(fp, fp2);
}

static void test_base64(void **state)
{
	(void)state;
	uint8_t bin[40], back[40];
	char text[SECRET_B64_LEN(40)];
	size_t n;
	for (size_t len = 0; len <= sizeof bin; len++) {
		secret_random(bin, len);
		secret_base64(bin, len, text);
		assert_int_equal(strlen(text), SECRET_B64_LEN(len) - 1);
		assert_int_equal(secret_unbase64(text, back, sizeof back, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(back, bin, len);
	}
	secret_base64((const uint8_t *)"foob", 4, text);
	assert_string_equal(text, "Zm9vYg==");
	assert_int_equal(secret_unbase64("Zm9vYg==", back, sizeof back, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(secret_unbase64("Zm9vYg=", back, sizeof back, &n), SECRET_EINVAL);
	assert_int_equal(secret_unbase64("Zm9vYg", back, sizeof back, &n), SECRET_EINVAL);
	assert_int_equal(secret_unbase64("Zm9v*g==", back, sizeof back, &n), SECRET_EINVAL);
	assert_int_equal(secret_unbase64("Zm9vYg==x", back, sizeof back, &n), SECRET_EINVAL);
	assert_int_equal(secret_unbase64("Zm9v_w==", back, sizeof back, &n), SECRET_EINVAL);
	assert_int_equal(secret_unbase64("Zm9vYg==", back, 3, &n), SECRET_EINVAL);
}

static void test_misc(void **state)
{
	(void)state;
	assert_int_equal(secret_init(), 0);
	uint8_t *p = secret_alloc(32);
	assert_non_null(p);
	memset(p, 0xAA, 32);
	secret_wipe(p, 32);
	for (int i = 0; i < 32; i++)
		assert_int_equal(p[i], 0);
	secret_free(p);
	secret_free(NULL);
	for (int i = 0; i < 1000; i++)
		assert_true(secret_uniform(7) < 7);
	assert_int_equal(secret_uniform(1), 0);
	assert_string_equal(secret_strerror(SECRET_OK), "ok");
	assert_non_null(secret_strerror(12345));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seal_roundtrip), cmocka_unit_test(test_seal_to_roundtrip),
	    cmocka_unit_test(test_password_key),   cmocka_unit_test(test_hash_sign),
	    cmocka_unit_test(test_fingerprint),    cmocka_unit_test(test_base64),
	    cmocka_unit_test(test_misc),           cmocka_unit_test(test_box_public),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
