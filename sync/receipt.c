/*
 * sync/receipt.c: receipts, 256 bytes each, so a file of them is a plain
 * concatenation (USB) and an HTTP answer is one.
 *
 *   0   8  magic "CCHC-RCP"          88  1  signer: 1 receiver key, 2 district key
 *   8   2  version 1                 89  7  zero
 *   10  2  status (1 stored,         96  32 signer public key
 *          2 duplicate, 5 imported)  128 64 certificate: district signature of
 *   12  4  zero                              "CCHC-RCVCERT-V01" || signer key
 *   16  32 batch id                          (zero when the signer is the district)
 *   48  16 commune code              192 64 Ed25519 over "CCHC-RECEIPT-V01" ||
 *   64  8  epoch                             BLAKE2b-512(bytes [0, 192))
 *   72  8  batch number
 *   80  8  time (unix)
 *
 * A commune trusts a receipt only through the district key it pinned at
 * init: directly, or through the certificate of the receiver's key.
 */
#include <string.h>

#include "sync/sync_int.h"

#define R_MAGIC "CCHC-RCP"
#define R_SIGNED 192

int sync_receipt_sign(const struct sync_receipt *r, const struct sync_receiver_key *rk,
		      const uint8_t *district_sk, uint8_t out[SYNC_RECEIPT_BYTES])
{
	size_t cl = strlen(r->commune);
	if (cl == 0 || cl > 16 || (!rk && !district_sk))
		return SYNC_EFORMAT;
	memset(out, 0, SYNC_RECEIPT_BYTES);
	memcpy(out, R_MAGIC, 8);
	sx_put_be16(out + 8, 1);
	sx_put_be16(out + 10, (uint16_t)r->status);
	memcpy(out + 16, r->batch_id, SYNC_ID_BYTES);
	memcpy(out + 48, r->commune, cl);
	sx_put_be64(out + 64, r->epoch);
	sx_put_be64(out + 72, r->batch_no);
	sx_put_be64(out + 80, (uint64_t)r->time);
	if (rk) {
		out[88] = 1;
		memcpy(out + 96, rk->pk, 32);
		memcpy(out + 128, rk->cert, 64);
		sx_sign(SX_CTX_RECEIPT, out, R_SIGNED, rk->sk, out + R_SIGNED);
	} else {
		out[88] = 2;
		memcpy(out + 96, district_sk + 32, 32);
		sx_sign(SX_CTX_RECEIPT, out, R_SIGNED, district_sk, out + R_SIGNED);
	}
	return SYNC_OK;
}

static int all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

int sync_receipt_verify(const uint8_t in[SYNC_RECEIPT_BYTES], const uint8_t district_pk[32],
			struct sync_receipt *r)
{
	memset(r, 0, sizeof *r);
	if (memcmp(in, R_MAGIC, 8) != 0 || sx_be16(in + 8) != 1 || !all_zero(in + 12, 4) ||
	    !all_zero(in + 89, 7))
		return SYNC_EFORMAT;
	int st = sx_be16(in + 10);
	if (st != SYNC_RCPT_STORED && st != SYNC_RCPT_DUPLICATE && st != SYNC_RCPT_IMPORTED)
		return SYNC_EFORMAT;
	size_t cl = 0;
	while (cl < 16 && in[48 + cl])
		cl++;
	if (cl == 0 || !all_zero(in + 48 + cl, 16 - cl))
		return SYNC_EFORMAT;
	for (size_t i = 0; i < cl; i++)
		if (in[48 + i] <= ' ' || in[48 + i] > '~')
			return SYNC_EFORMAT;
	const uint8_t *signer = in + 96;
	if (in[88] == 2) {
		if (memcmp(signer, district_pk, 32) != 0 || !all_zero(in + 128, 64))
			return SYNC_ESIG;
	} else if (in[88] == 1) {
		if (sx_verify(SX_CTX_RCVCERT, signer, 32, district_pk, in + 128) != 0)
			return SYNC_ESIG;
	} else {
		return SYNC_EFORMAT;
	}
	if (sx_verify(SX_CTX_RECEIPT, in, R_SIGNED, signer, in + R_SIGNED) != 0)
		return SYNC_ESIG;
	r->status = st;
	memcpy(r->batch_id, in + 16, SYNC_ID_BYTES);
	memcpy(r->commune, in + 48, cl);
	r->commune[cl] = '\0';
	r->epoch = sx_be64(in + 64);
	r->batch_no = sx_be64(in + 72);
	r->time = (int64_t)sx_be64(in + 80);
	return SYNC_OK;
}
