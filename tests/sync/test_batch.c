/*
 * test_batch: the batch format (sync/batch.c, payload.c, seal.c): round
 * trip, every refusal, single-bit flips spread over header, key stanza,
 * payload and signature, every truncation, re-signing by another commune,
 * another district's key, size and decompression bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include <cmocka.h>

#include "core/secret.h"
#include "forms/forms.h"
#include "sync/sync_int.h"

struct keys {
	uint8_t a_pk[32], a_sk[64]; /* commune A */
	uint8_t b_pk[32], b_sk[64]; /* commune B */
	uint8_t d_pk[32], d_sk[32]; /* district box */
	uint8_t e_pk[32], e_sk[32]; /* another district's box */
};
static struct keys K;

static void make_record(struct store_record *r, int i, const char *unit, int report)
{
	char v[64];
	store_record_init(r);
	store_new_id(r->id);
	snprintf(r->form, sizeof r->form, report ? "bao-cao-cchc" : "so-theo-doi-ho-so");
	r->form_version = 1;
	snprintf(r->unit, sizeof r->unit, "%s", unit);
	snprintf(r->unit_list, sizeof r->unit_list, "GSO-2021");
	if (report)
		snprintf(r->period, sizeof r->period, "2021-Q1");
	r->state = report ? FORM_STATE_APPROVED : FORM_STATE_DRAFT;
	r->version = (uint32_t)(i + 1);
	r->revision = 1;
	snprintf(v, sizeof v, "000.00.00.H59-210315-%04d", i);
	kv_set(&r->fields, "ma_ho_so", v);
	kv_set(&r->fields, "nguoi_nop", "Nguyễn Văn Thành");
	kv_set(&r->fields, "ngay_nhan", "2021-03-01");
}

static uint8_t *build(const char *commune, const uint8_t *sk, const uint8_t *box, size_t n,
		      size_t *len, uint8_t id[32], struct store_record **out)
{
	struct store_record *recs = calloc(n ? n : 1, sizeof *recs);
	for (size_t i = 0; i < n; i++)
		make_record(&recs[i], (int)i, commune, i == 0);
	struct sync_batch_info info = {commune, "076", 0x1234, 7, 1700000000, {0}, 10, 20};
	uint8_t *buf;
	assert_int_equal(sync_batch_build(&info, recs, n, sk, box, &buf, len, id), 0);
	if (out) {
		*out = recs;
	} else {
		for (size_t i = 0; i < n; i++)
			store_record_clear(&recs[i]);
		free(recs);
	}
	return buf;
}

static int open_a(const uint8_t *buf, size_t len)
{
	struct sync_batch *b = NULL;
	int rc = sync_batch_open(buf, len, K.a_pk, K.d_pk, K.d_sk, &b);
	sync_batch_free(b);
	return rc;
}

static void test_round_trip(void **state)
{
	(void)state;
	size_t len;
	uint8_t id[32], id2[32];
	struct store_record *recs;
	uint8_t *buf = build("02545", K.a_sk, K.d_pk, 3, &len, id, &recs);
	secret_hash(buf, len, NULL, 0, id2, 32);
	assert_memory_equal(id, id2, 32);
	struct sync_batch *b;
	assert_int_equal(sync_batch_open(buf, len, K.a_pk, K.d_pk, K.d_sk, &b), 0);
	assert_string_equal(b->h.commune, "02545");
	assert_string_equal(b->h.district, "076");
	assert_int_equal(b->h.epoch, 0x1234);
	assert_int_equal(b->h.batch_no, 7);
	assert_int_equal(b->seq_from, 10);
	assert_int_equal(b->seq_to, 20);
	assert_int_equal(b->n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_memory_equal(b->recs[i].id, recs[i].id, 16);
		assert_string_equal(b->recs[i].form, recs[i].form);
		assert_string_equal(b->recs[i].period, recs[i].period);
		assert_int_equal(b->recs[i].version, recs[i].version);
		assert_string_equal(kv_get(&b->recs[i].fields, "nguoi_nop"), "Nguyễn Văn Thành");
		store_record_clear(&recs[i]);
	}
	free(recs);
	sync_batch_free(b);
	/* Seal once: a second seal of the same records is other bytes. */
	uint8_t *again = build("02545", K.a_sk, K.d_pk, 0, &len, id2, NULL);
	assert_memory_not_equal(id, id2, 32);
	assert_int_equal(open_a(again, len), 0);
	free(again);
	free(buf);
}

static void test_bit_flips(void **state)
{
	(void)state;
	size_t len;
	uint8_t id[32];
	uint8_t *buf = build("02545", K.a_sk, K.d_pk, 50, &len, id, NULL);
	/* Positions spread over the four parts: every byte of the header and
	 * stanza, then an even spread over payload and signature. */
	size_t tried = 0, accepted = 0;
	for (size_t pos = 0; pos < len; pos++) {
		int in_head = pos < SX_AD, in_sig = pos >= len - SX_SIG;
		if (!in_head && !in_sig && pos % 7 != 0)
			continue;
		int bit = (int)(pos % 8);
		buf[pos] ^= (uint8_t)(1 << bit);
		struct sync_header h;
		int v = sync_batch_verify(buf, len, K.a_pk, &h, NULL);
		int o = open_a(buf, len);
		buf[pos] ^= (uint8_t)(1 << bit);
		tried++;
		accepted += v == 0 || o == 0;
	}
	assert_true(tried >= 200);
	assert_int_equal(accepted, 0);
	assert_int_equal(open_a(buf, len), 0);
	/* Every truncation, and one byte more. */
	for (size_t cut = 0; cut < len; cut += (cut < SX_AD + 64 ? 1 : 13))
		assert_int_not_equal(open_a(buf, cut), 0);
	uint8_t *longer = malloc(len + 1);
	memcpy(longer, buf, len);
	longer[len] = 0;
	assert_int_equal(open_a(longer, len + 1), SYNC_EFORMAT);
	free(longer);
	free(buf);
}

/* B takes A's batch and signs it: with A's header, or with its own. */
static void test_resigned(void **state)
{
	(void)state;
	size_t len;
	uint8_t id[32];
	uint8_t *buf = build("02545", K.a_sk, K.d_pk, 5, &len, id, NULL);
	struct sync_header h;
	sx_sign(SX_CTX_BATCH, buf, len - SX_SIG, K.b_sk, buf + len - SX_SIG);
	assert_int_equal(sync_batch_verify(buf, len, K.a_pk, &h, NULL), SYNC_ESIG);
	assert_int_equal(sync_batch_verify(buf, len, K.b_pk, &h, NULL), SYNC_ESIG);
	/* Own header: the receiver (public keys) accepts it as B's, the
	 * importer cannot open it (the header is the payload's AD). */
	memset(buf + 16, 0, 16);
	memcpy(buf + 16, "02548", 5);
	sx_key_id(K.b_pk, buf + 48);
	sx_sign(SX_CTX_BATCH, buf, len - SX_SIG, K.b_sk, buf + len - SX_SIG);
	assert_int_equal(sync_batch_verify(buf, len, K.b_pk, &h, NULL), 0);
	struct sync_batch *b = NULL;
	assert_int_equal(sync_batch_open(buf, len, K.b_pk, K.d_pk, K.d_sk, &b), SYNC_EDECRYPT);
	free(buf);
	/* B seals a batch claiming A's unit inside: refused on open. */
	struct store_record r;
	make_record(&r, 1, "02545", 0);
	struct sync_batch_info info = {"02548", "076", 9, 1, 0, {0}, 1, 1};
	assert_int_equal(sync_batch_build(&info, &r, 1, K.b_sk, K.d_pk, &buf, &len, id), 0);
	assert_int_equal(sync_batch_open(buf, len, K.b_pk, K.d_pk, K.d_sk, &b), SYNC_EDECRYPT);
	store_record_clear(&r);
	free(buf);
}

static void test_other_district(void **state)
{
	(void)state;
	size_t len;
	uint8_t id[32];
	uint8_t *buf = build("02545", K.a_sk, K.e_pk, 2, &len, id, NULL);
	struct sync_batch *b = NULL;
	assert_int_equal(sync_batch_open(buf, len, K.a_pk, K.d_pk, K.d_sk, &b), SYNC_EOTHERKEY);
	assert_int_equal(sync_batch_open(buf, len, K.a_pk, K.e_pk, K.e_sk, &b), 0);
	sync_batch_free(b);
	free(buf);
}

static void test_not_a_batch(void **state)
{
	(void)state;
	struct sync_header h;
	const char *text = "Báo cáo CCHC quý I năm 2021\n";
	assert_int_equal(sync_batch_header((const uint8_t *)text, strlen(text), &h), SYNC_EFORMAT);
	uint8_t *zero = calloc(1, 4096);
	assert_int_equal(sync_batch_header(zero, 4096, &h), SYNC_EFORMAT);
	assert_int_equal(sync_batch_header(zero, SYNC_BATCH_MAX + 1, &h), SYNC_ETOOBIG);
	free(zero);
	assert_int_equal(sync_batch_header(NULL, 0, &h), SYNC_EFORMAT);
}

/* A stolen key can sign a bomb: decompression is bounded all the same. */
static void test_bounds(void **state)
{
	(void)state;
	size_t big = SYNC_PLAIN_MAX + 1;
	uint8_t *zeros = calloc(1, big);
	size_t zcap = ZSTD_compressBound(big);
	uint8_t *z = malloc(zcap);
	size_t zn = ZSTD_compress(z, zcap, zeros, big, 1);
	assert_false(ZSTD_isError(zn));
	struct sx_manifest m;
	struct store_record *recs;
	size_t n;
	assert_int_equal(sx_payload_decode(z, zn, &m, &recs, &n), SYNC_ETOOBIG);
	/* A frame without its size, and trailing garbage, are refused. */
	assert_int_not_equal(sx_payload_decode(z, zn / 2, &m, &recs, &n), 0);
	free(zeros);
	free(z);
	/* CBOR lengths that lie. */
	size_t len;
	const uint8_t huge_arr[] = {0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	assert_int_equal(sx_cbor_item_len(huge_arr, sizeof huge_arr, &len), SYNC_EFORMAT);
	const uint8_t huge_str[] = {0x5a, 0x7f, 0xff, 0xff, 0xff, 0x00};
	assert_int_equal(sx_cbor_item_len(huge_str, sizeof huge_str, &len), SYNC_EFORMAT);
	const uint8_t indef[] = {0x9f, 0x01, 0xff};
	assert_int_equal(sx_cbor_item_len(indef, sizeof indef, &len), SYNC_EFORMAT);
	const uint8_t ok[] = {0xa1, 0x01, 0x82, 0x02, 0x63, 'a', 'b', 'c'};
	assert_int_equal(sx_cbor_item_len(ok, sizeof ok, &len), 0);
	assert_int_equal(len, sizeof ok);
}

int main(void)
{
	setenv("CCHC_PWCOST", "min", 1);
	if (secret_init() != 0)
		return 1;
	secret_sign_keypair(K.a_pk, K.a_sk);
	secret_sign_keypair(K.b_pk, K.b_sk);
	secret_box_keypair(K.d_pk, K.d_sk);
	secret_box_keypair(K.e_pk, K.e_sk);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip), cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_resigned),   cmocka_unit_test(test_other_district),
		cmocka_unit_test(test_not_a_batch), cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
