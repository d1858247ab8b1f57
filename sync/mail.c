/*
 * sync/mail.c: messages from the district to one commune, and the stream
 * they travel in with the receipts (home/receipts/<commune>.ccr at the
 * district; a fetch answer).  The stream is items one after another, each
 * told by its magic: a receipt (256 bytes, receipt.c) or a message:
 *
 *   0    8  magic "CCHC-MSG"          64   8  time (unix)
 *   8    2  version 1                 72   8  zero
 *   10   2  kind (1 return, 2 file)   80  32  signer: the district's
 *   12   4  body length L                      signing key
 *   16  16  commune code (recipient)  112  L  body
 *   32  16  district code (sender)    112+L 64 Ed25519 over
 *   48  16  message id                   "CCHC-DISTMSG-V01" ||
 *                                        BLAKE2b-512(bytes [0, 112 + L))
 *
 * A return's body is crypto_box_seal (48 bytes more) to the X25519 form of
 * the commune's enrolled signing key, of
 *   0 16 record id, 16 4 revision, 20 8 returned at, 28 64 by (NUL-padded),
 *   92 2 reason length n (1..1000), 94 n reason (UTF-8), zeros up to a
 *   multiple of 128 bytes (the length shows only a size class)
 * and its id is BLAKE2b-128("CCHC-RETURN-ID" || record id || revision), so
 * the district queues one message per returned revision and nothing in
 * clear names the report.  Integers are big-endian.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/text.h"
#include "sync/sync_int.h"

#define RET_PLAIN_HEAD 94
#define RET_PAD 128
#define RET_BODY_MAX (SX_BOX_OVERHEAD + 9 * RET_PAD) /* 94 + 1000 -> 1152 */

static int all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

int sync_reason_ok(const char *s, size_t n)
{
	if (n == 0 || n > SYNC_REASON_MAX || utf8_validate(s, n) != 0)
		return 0;
	for (size_t i = 0, used; i < n; i += used) {
		uint32_t cp;
		if (utf8_decode(s + i, n - i, &cp, &used) != 0 || (cp != '\n' && text_cp_unsafe(cp)))
			return 0;
	}
	return 1;
}

static size_t body_max(int kind)
{
	return kind == SYNC_MSG_RETURN ? RET_BODY_MAX : kind == SYNC_MSG_FILE ? SYNC_MSG_BODY_MAX : 0;
}

int sx_item_len(const uint8_t *p, size_t n, size_t *len, int *is_msg)
{
	if (is_msg)
		*is_msg = 0;
	if (n >= 8 && memcmp(p, "CCHC-RCP", 8) == 0) {
		if (n < SYNC_RECEIPT_BYTES)
			return SYNC_EFORMAT;
		*len = SYNC_RECEIPT_BYTES;
		return SYNC_OK;
	}
	if (n < SX_MSG_HEAD || memcmp(p, SX_MSG_MAGIC, 8) != 0)
		return SYNC_EFORMAT;
	size_t l = sx_be32(p + 12), max = body_max(sx_be16(p + 10));
	if (l > max || n - SX_MSG_HEAD < SX_SIG || l > n - SX_MSG_HEAD - SX_SIG)
		return SYNC_EFORMAT;
	*len = SX_MSG_HEAD + l + SX_SIG;
	if (is_msg)
		*is_msg = 1;
	return SYNC_OK;
}

/* A NUL-padded code of printable ASCII, 1..16 bytes. */
static int code_get(const uint8_t *p, char out[SYNC_CODE_BUF])
{
	size_t cl = 0;
	while (cl < 16 && p[cl])
		cl++;
	if (cl == 0 || !all_zero(p + cl, 16 - cl))
		return SYNC_EFORMAT;
	for (size_t i = 0; i < cl; i++)
		if (p[i] <= ' ' || p[i] > '~')
			return SYNC_EFORMAT;
	memcpy(out, p, cl);
	out[cl] = '\0';
	return SYNC_OK;
}

int sync_msg_verify(const uint8_t *buf, size_t len, const uint8_t district_pk[32],
		    struct sync_msg *m)
{
	size_t want;
	int is_msg;
	memset(m, 0, sizeof *m);
	if (sx_item_len(buf, len, &want, &is_msg) || !is_msg || want != len)
		return SYNC_EFORMAT;
	int kind = sx_be16(buf + 10);
	if (sx_be16(buf + 8) != 1 || !all_zero(buf + 72, 8) || code_get(buf + 16, m->commune) ||
	    code_get(buf + 32, m->district))
		return SYNC_EFORMAT;
	size_t l = len - SX_MSG_HEAD - SX_SIG;
	if (kind == SYNC_MSG_RETURN && (l < SX_BOX_OVERHEAD + RET_PAD || (l - SX_BOX_OVERHEAD) % RET_PAD))
		return SYNC_EFORMAT;
	if (memcmp(buf + 80, district_pk, 32) != 0 ||
	    sx_verify(SX_CTX_DISTMSG, buf, len - SX_SIG, district_pk, buf + len - SX_SIG) != 0)
		return SYNC_ESIG;
	m->kind = kind;
	memcpy(m->id, buf + 48, 16);
	m->time = (int64_t)sx_be64(buf + 64);
	m->body = buf + SX_MSG_HEAD;
	m->body_len = l;
	return SYNC_OK;
}

int sx_msg_frame(int kind, const char *district, const char *commune, const uint8_t id[16],
		     int64_t time, const uint8_t district_sk[64], uint8_t *out, size_t blen)
{
	size_t dl = strlen(district), cl = strlen(commune);
	if (!dl || dl > 16 || !cl || cl > 16 || blen > body_max(kind))
		return SYNC_EFORMAT;
	memset(out, 0, SX_MSG_HEAD);
	memcpy(out, SX_MSG_MAGIC, 8);
	sx_put_be16(out + 8, 1);
	sx_put_be16(out + 10, (uint16_t)kind);
	sx_put_be32(out + 12, (uint32_t)blen);
	memcpy(out + 16, commune, cl);
	memcpy(out + 32, district, dl);
	memcpy(out + 48, id, 16);
	sx_put_be64(out + 64, (uint64_t)time);
	memcpy(out + 80, district_sk + 32, 32);
	sx_sign(SX_CTX_DISTMSG, out, SX_MSG_HEAD + blen, district_sk, out + SX_MSG_HEAD + blen);
	return SYNC_OK;
}

static void return_id(const uint8_t record[STORE_ID_BYTES], uint32_t rev, uint8_t id[16])
{
	uint8_t b[14 + STORE_ID_BYTES + 4];
	memcpy(b, "CCHC-RETURN-ID", 14);
	memcpy(b + 14, record, STORE_ID_BYTES);
	sx_put_be32(b + 14 + STORE_ID_BYTES, rev);
	secret_hash(b, sizeof b, NULL, 0, id, 16);
}

int sync_return_seal(const char *district, const char *commune, const uint8_t commune_pk[32],
		     const uint8_t district_sk[64], const struct sync_return *r, uint8_t **out,
		     size_t *outlen)
{
	size_t n = strnlen(r->reason, sizeof r->reason), bl = strnlen(r->by, sizeof r->by);
	if (!sync_reason_ok(r->reason, n) || bl >= 64)
		return SYNC_EFORMAT;
	size_t plen = (RET_PLAIN_HEAD + n + RET_PAD - 1) / RET_PAD * RET_PAD;
	size_t blen = plen + SX_BOX_OVERHEAD, total = SX_MSG_HEAD + blen + SX_SIG;
	uint8_t *plain = calloc(1, plen), *buf = malloc(total), id[16];
	int rc = SYNC_ENOMEM;
	if (!plain || !buf)
		goto fail;
	memcpy(plain, r->record, STORE_ID_BYTES);
	sx_put_be32(plain + 16, r->revision);
	sx_put_be64(plain + 20, (uint64_t)r->at);
	memcpy(plain + 28, r->by, bl);
	sx_put_be16(plain + 92, (uint16_t)n);
	memcpy(plain + RET_PLAIN_HEAD, r->reason, n);
	if ((rc = sx_box_to_sign_pk(commune_pk, plain, plen, buf + SX_MSG_HEAD)))
		goto fail;
	return_id(r->record, r->revision, id);
	if ((rc = sx_msg_frame(SYNC_MSG_RETURN, district, commune, id, r->at, district_sk, buf, blen)))
		goto fail;
	secret_wipe(plain, plen);
	free(plain);
	*out = buf;
	*outlen = total;
	return SYNC_OK;
fail:
	if (plain)
		secret_wipe(plain, plen);
	free(plain);
	free(buf);
	return rc;
}

int sx_return_parse(const uint8_t *plain, size_t plen, const uint8_t msg_id[16],
		    struct sync_return *r)
{
	uint8_t id[16];
	memset(r, 0, sizeof *r);
	if (plen < RET_PLAIN_HEAD)
		return SYNC_EFORMAT;
	size_t n = sx_be16(plain + 92), bl = strnlen((const char *)plain + 28, 64);
	if (n == 0 || n > SYNC_REASON_MAX || n > plen - RET_PLAIN_HEAD || bl == 64 ||
	    !all_zero(plain + 28 + bl, 64 - bl) ||
	    !all_zero(plain + RET_PLAIN_HEAD + n, plen - RET_PLAIN_HEAD - n) ||
	    !sync_reason_ok((const char *)plain + RET_PLAIN_HEAD, n))
		return SYNC_EFORMAT;
	memcpy(r->record, plain, STORE_ID_BYTES);
	r->revision = sx_be32(plain + 16);
	/* The id in clear must be this return's: a message cannot be made to
	 * stand for another report by moving its sealed body. */
	return_id(r->record, r->revision, id);
	if (memcmp(id, msg_id, 16) != 0) {
		memset(r, 0, sizeof *r);
		return SYNC_EFORMAT;
	}
	r->at = (int64_t)sx_be64(plain + 20);
	memcpy(r->by, plain + 28, bl);
	memcpy(r->reason, plain + RET_PLAIN_HEAD, n);
	return SYNC_OK;
}

int sync_return_open(const struct sync_msg *m, const uint8_t sign_sk[64], struct sync_return *r)
{
	memset(r, 0, sizeof *r);
	if (m->kind != SYNC_MSG_RETURN || m->body_len < SX_BOX_OVERHEAD + RET_PAD)
		return SYNC_EFORMAT;
	size_t plen = m->body_len - SX_BOX_OVERHEAD;
	uint8_t *plain = malloc(plen);
	if (!plain)
		return SYNC_ENOMEM;
	int rc = sx_box_open_sign_sk(sign_sk, m->body, m->body_len, plain);
	if (rc == 0)
		rc = sx_return_parse(plain, plen, m->id, r);
	secret_wipe(plain, plen);
	free(plain);
	return rc;
}

int sx_ccr_append(const char *home, const char *commune, const uint8_t *item, size_t len,
		  int *added)
{
	char dir[4200], path[4400];
	int is_new, rc;
	if (sx_item_len(item, len, &(size_t){0}, &is_new))
		return SYNC_EFORMAT;
	*added = 0;
	snprintf(dir, sizeof dir, "%s/receipts", home);
	if (sx_mkdir(dir))
		return SYNC_EIO;
	snprintf(path, sizeof path, "%s/%s.ccr", dir, commune);
	uint8_t *old = NULL, *buf;
	size_t olen = 0, il, off = 0;
	if (access(path, F_OK) == 0 && (rc = sx_read_file(path, 64u << 20, &old, &olen)))
		return rc;
	/* The same item is there: a receipt for the same batch id (and
	 * status), a message with the same kind and id.  An unreadable tail
	 * (never written by us: every write is whole) is dropped. */
	for (int is_msg; off < olen && sx_item_len(old + off, olen - off, &il, &is_msg) == 0;
	     off += il) {
		const uint8_t *o = old + off;
		int same = is_msg == is_new &&
			   (is_msg ? memcmp(o + 10, item + 10, 2) == 0 && memcmp(o + 48, item + 48, 16) == 0
				   : memcmp(o + 10, item + 10, 2) == 0 && memcmp(o + 16, item + 16, 32) == 0);
		if (same) {
			free(old);
			return SYNC_OK;
		}
	}
	if (!(buf = realloc(old, off + len))) {
		free(old);
		return SYNC_ENOMEM;
	}
	memcpy(buf + off, item, len);
	rc = sx_write_durable(path, buf, off + len, 0644);
	free(buf);
	*added = rc == 0;
	return rc;
}

int sync_mail_post(const char *home, const char *commune, const uint8_t *msg, size_t len,
		   int *added)
{
	int is_msg;
	if (sx_item_len(msg, len, &(size_t){0}, &is_msg) || !is_msg)
		return SYNC_EFORMAT;
	return sx_ccr_append(home, commune, msg, len, added);
}

int sx_ccr_slice(const char *home, const char *commune, uint64_t after, size_t max,
		 uint8_t **out, size_t *len, uint64_t *from, int *more)
{
	char path[4400];
	uint8_t *buf = NULL;
	size_t n = 0, il, off = 0;
	*out = NULL, *len = 0, *from = 0, *more = 0;
	snprintf(path, sizeof path, "%s/receipts/%s.ccr", home, commune);
	if (access(path, F_OK) != 0)
		return SYNC_OK; /* nothing yet */
	int rc = sx_read_file(path, 64u << 20, &buf, &n);
	if (rc)
		return rc;
	/* after must fall on an item boundary within the file; anything else
	 * (a file replaced, a client's stale offset) starts again from 0:
	 * taking an item twice is harmless. */
	while (off < after && off < n && sx_item_len(buf + off, n - off, &il, NULL) == 0)
		off += il;
	size_t start = off == after ? off : 0, end = start;
	while (end < n && sx_item_len(buf + end, n - end, &il, NULL) == 0 &&
	       (end == start || end - start + il <= max))
		end += il;
	*more = end < n && sx_item_len(buf + end, n - end, &il, NULL) == 0;
	if (end > start) {
		memmove(buf, buf + start, end - start);
		*out = buf;
		*len = end - start;
		buf = NULL;
	}
	*from = start;
	free(buf);
	return SYNC_OK;
}
