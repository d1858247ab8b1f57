/*
 * test_mail: district messages (sync/mail.c): a return round trip; every
 * single-bit flip and every truncation refused; another district's key,
 * the right key id with a wrong signature, another commune's key to open;
 * the sealed body moved under another id; the stream walker (receipts and
 * messages mixed, a damaged tail); the receipts-file append (once per id);
 * the receiver's slice (offsets on and off item boundaries).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/secret.h"
#include "sync/sync_int.h"

static uint8_t d_pk[32], d_sk[64], e_pk[32], e_sk[64]; /* district, another */
static uint8_t c_pk[32], c_sk[64], o_pk[32], o_sk[64]; /* commune, another */

static const char *REASON = "Số liệu mục 2 chưa khớp sổ theo dõi; đề nghị rà soát lại.";

static struct sync_return sample(void)
{
	struct sync_return r;
	memset(&r, 0, sizeof r);
	memset(r.record, 0xab, sizeof r.record);
	r.revision = 3;
	r.at = 1700000000;
	snprintf(r.by, sizeof r.by, "hoa");
	snprintf(r.reason, sizeof r.reason, "%s", REASON);
	return r;
}

static uint8_t *seal(size_t *len)
{
	struct sync_return r = sample();
	uint8_t *buf;
	assert_int_equal(sync_return_seal("076", "02545", c_pk, d_sk, &r, &buf, len), 0);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	assert_int_equal(secret_init(), 0);
	secret_sign_keypair(d_pk, d_sk);
	secret_sign_keypair(e_pk, e_sk);
	secret_sign_keypair(c_pk, c_sk);
	secret_sign_keypair(o_pk, o_sk);
	return 0;
}

static void test_round_trip(void **state)
{
	(void)state;
	size_t len;
	uint8_t *buf = seal(&len);
	assert_int_equal((len - SX_MSG_HEAD - 64 - SX_BOX_OVERHEAD) % 128, 0);
	/* Nothing of the report or the reason in clear. */
	assert_null(memmem(buf, len, "rà soát", strlen("rà soát")));
	uint8_t id[16];
	memset(id, 0xab, sizeof id);
	assert_null(memmem(buf, len, id, sizeof id));
	struct sync_msg m;
	assert_int_equal(sync_msg_verify(buf, len, d_pk, &m), 0);
	assert_int_equal(m.kind, SYNC_MSG_RETURN);
	assert_string_equal(m.commune, "02545");
	assert_string_equal(m.district, "076");
	assert_int_equal(m.time, 1700000000);
	struct sync_return r, want = sample();
	assert_int_equal(sync_return_open(&m, c_sk, &r), 0);
	assert_memory_equal(r.record, want.record, STORE_ID_BYTES);
	assert_int_equal(r.revision, 3);
	assert_int_equal(r.at, 1700000000);
	assert_string_equal(r.by, "hoa");
	assert_string_equal(r.reason, REASON);
	/* Another commune's key does not open it. */
	assert_int_equal(sync_return_open(&m, o_sk, &r), SYNC_EDECRYPT);
	size_t il;
	int is_msg;
	assert_int_equal(sx_item_len(buf, len, &il, &is_msg), 0);
	assert_int_equal(il, len);
	assert_int_equal(is_msg, 1);
	free(buf);
}

static void test_bad_reasons(void **state)
{
	(void)state;
	struct sync_return r = sample();
	uint8_t *buf;
	size_t len;
	r.reason[0] = '\0';
	assert_int_equal(sync_return_seal("076", "02545", c_pk, d_sk, &r, &buf, &len), SYNC_EFORMAT);
	memset(r.reason, 'a', SYNC_REASON_MAX);
	r.reason[SYNC_REASON_MAX] = '\0';
	assert_int_equal(sync_return_seal("076", "02545", c_pk, d_sk, &r, &buf, &len), 0);
	struct sync_msg m;
	struct sync_return back;
	assert_int_equal(sync_msg_verify(buf, len, d_pk, &m), 0);
	assert_int_equal(sync_return_open(&m, c_sk, &back), 0);
	assert_int_equal(strlen(back.reason), SYNC_REASON_MAX);
	free(buf);
	snprintf(r.reason, sizeof r.reason, "\xC3\x28"); /* not UTF-8 */
	assert_int_equal(sync_return_seal("076", "02545", c_pk, d_sk, &r, &buf, &len), SYNC_EFORMAT);
}

static void test_every_flip_and_cut(void **state)
{
	(void)state;
	size_t len;
	uint8_t *buf = seal(&len);
	struct sync_msg m;
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			buf[i] ^= (uint8_t)(1u << bit);
			int rc = sync_msg_verify(buf, len, d_pk, &m);
			buf[i] ^= (uint8_t)(1u << bit);
			if (rc != SYNC_EFORMAT && rc != SYNC_ESIG)
				fail_msg("flip at %zu bit %d: %d", i, bit, rc);
		}
	}
	for (size_t n = 0; n < len; n++)
		assert_int_not_equal(sync_msg_verify(buf, n, d_pk, &m), 0);
	free(buf);
}

static void test_other_keys(void **state)
{
	(void)state;
	size_t len;
	uint8_t *buf = seal(&len);
	struct sync_msg m;
	/* Another district: its own key in the signer field, its signature. */
	memcpy(buf + 80, e_pk, 32);
	sx_sign(SX_CTX_DISTMSG, buf, len - 64, e_sk, buf + len - 64);
	assert_int_equal(sync_msg_verify(buf, len, d_pk, &m), SYNC_ESIG);
	/* The pinned key in the signer field, another key's signature. */
	memcpy(buf + 80, d_pk, 32);
	assert_int_equal(sync_msg_verify(buf, len, d_pk, &m), SYNC_ESIG);
	/* Signed with a receipt's context: not a message. */
	sx_sign(SX_CTX_RECEIPT, buf, len - 64, d_sk, buf + len - 64);
	assert_int_equal(sync_msg_verify(buf, len, d_pk, &m), SYNC_ESIG);
	free(buf);
}

static void test_body_under_other_id(void **state)
{
	(void)state;
	size_t len;
	uint8_t *buf = seal(&len);
	struct sync_msg m;
	struct sync_return r;
	/* The district re-signs after a change of id: the signature holds, but
	 * the sealed content names another report and revision. */
	buf[48] ^= 1;
	sx_sign(SX_CTX_DISTMSG, buf, len - 64, d_sk, buf + len - 64);
	assert_int_equal(sync_msg_verify(buf, len, d_pk, &m), 0);
	assert_int_equal(sync_return_open(&m, c_sk, &r), SYNC_EFORMAT);
	free(buf);
}

static void test_stream(void **state)
{
	(void)state;
	size_t mlen;
	uint8_t *msg = seal(&mlen), rc[SYNC_RECEIPT_BYTES];
	struct sync_receipt r = {SYNC_RCPT_IMPORTED, {7}, "02545", 5, 1, 1700000000};
	assert_int_equal(sync_receipt_sign(&r, NULL, d_sk, rc), 0);
	char home[64];
	snprintf(home, sizeof home, "/tmp/cchc-test-mail.%ld", (long)getpid());
	sx_mkdir(home);
	int added;
	assert_int_equal(sx_ccr_append(home, "02545", rc, sizeof rc, &added), 0);
	assert_int_equal(added, 1);
	assert_int_equal(sync_mail_post(home, "02545", msg, mlen, &added), 0);
	assert_int_equal(added, 1);
	/* Once per id and once per batch receipt. */
	assert_int_equal(sync_mail_post(home, "02545", msg, mlen, &added), 0);
	assert_int_equal(added, 0);
	assert_int_equal(sx_ccr_append(home, "02545", rc, sizeof rc, &added), 0);
	assert_int_equal(added, 0);
	assert_int_equal(sync_mail_post(home, "02545", rc, sizeof rc, &added), SYNC_EFORMAT);
	uint8_t *out;
	size_t len;
	uint64_t from;
	int more;
	assert_int_equal(sx_ccr_slice(home, "02545", 0, 1 << 20, &out, &len, &from, &more), 0);
	assert_int_equal(len, sizeof rc + mlen);
	assert_int_equal(from, 0);
	assert_int_equal(more, 0);
	assert_memory_equal(out + sizeof rc, msg, mlen);
	free(out);
	/* On a boundary: from there; a small limit: one item and "more". */
	assert_int_equal(sx_ccr_slice(home, "02545", 0, 10, &out, &len, &from, &more), 0);
	assert_int_equal(len, sizeof rc);
	assert_int_equal(more, 1);
	free(out);
	assert_int_equal(sx_ccr_slice(home, "02545", sizeof rc, 1 << 20, &out, &len, &from, &more), 0);
	assert_int_equal(from, sizeof rc);
	assert_int_equal(len, mlen);
	free(out);
	/* At the end: nothing; off a boundary or beyond: from 0. */
	assert_int_equal(sx_ccr_slice(home, "02545", sizeof rc + mlen, 1 << 20, &out, &len, &from,
				      &more), 0);
	assert_null(out);
	assert_int_equal(from, sizeof rc + mlen);
	assert_int_equal(sx_ccr_slice(home, "02545", 5, 1 << 20, &out, &len, &from, &more), 0);
	assert_int_equal(from, 0);
	free(out);
	assert_int_equal(sx_ccr_slice(home, "02545", 1u << 30, 1 << 20, &out, &len, &from, &more), 0);
	assert_int_equal(from, 0);
	free(out);
	assert_int_equal(sx_ccr_slice(home, "09999", 0, 1 << 20, &out, &len, &from, &more), 0);
	assert_null(out);
	char p[128];
	snprintf(p, sizeof p, "%s/receipts/02545.ccr", home);
	unlink(p);
	snprintf(p, sizeof p, "%s/receipts", home);
	rmdir(p);
	rmdir(home);
	/* A receipt then a truncated message: the walker stops at the cut. */
	uint8_t both[SYNC_RECEIPT_BYTES + 200];
	memcpy(both, rc, sizeof rc);
	memcpy(both + sizeof rc, msg, 200);
	size_t il;
	assert_int_equal(sx_item_len(both, sizeof both, &il, NULL), 0);
	assert_int_equal(il, SYNC_RECEIPT_BYTES);
	assert_int_equal(sx_item_len(both + il, sizeof both - il, &il, NULL), SYNC_EFORMAT);
	free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_reasons),
		cmocka_unit_test(test_every_flip_and_cut),
		cmocka_unit_test(test_other_keys),
		cmocka_unit_test(test_body_under_other_id),
		cmocka_unit_test(test_stream),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
