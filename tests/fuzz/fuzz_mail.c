/*
 * fuzz_mail: what comes back from the district (sync/mail.c): the stream
 * walker and the message verifier over a whole receipts file or fetch
 * answer (first byte 0 mod 3), the parser of a return's opened content
 * (1 mod 3: the rest is the content, checked against the id of the sample
 * return) and of a data file's body (2 mod 3).  With CCHC_FUZZ_SEEDS=DIR it writes valid inputs there
 * and exits.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "sync/sync_int.h"

static uint8_t d_pk[32], d_sk[64], c_pk[32], c_sk[64];
static uint8_t sample_id[16];

static void write_seed(const char *dir, const char *name, uint8_t tag, const void *b, size_t n)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fputc(tag, f);
	fwrite(b, 1, n, f);
	fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	uint8_t seed[32];
	if (secret_init() != 0)
		abort();
	memset(seed, 3, sizeof seed);
	crypto_sign_seed_keypair(d_pk, d_sk, seed);
	memset(seed, 5, sizeof seed);
	crypto_sign_seed_keypair(c_pk, c_sk, seed);
	struct sync_return r;
	memset(&r, 0, sizeof r);
	memset(r.record, 0xab, sizeof r.record);
	r.revision = 2;
	r.at = 1700000000;
	snprintf(r.by, sizeof r.by, "hoa");
	snprintf(r.reason, sizeof r.reason, "Thiếu số liệu mục 2.");
	uint8_t *msg;
	size_t len;
	if (sync_return_seal("076", "02545", c_pk, d_sk, &r, &msg, &len) != 0)
		abort();
	memcpy(sample_id, msg + 48, 16);
	const char *dir = getenv("CCHC_FUZZ_SEEDS");
	if (dir) {
		struct sync_receipt rc = {SYNC_RCPT_IMPORTED, {1}, "02545", 5, 1, 1700000000};
		uint8_t *both = malloc(SYNC_RECEIPT_BYTES + len);
		sync_receipt_sign(&rc, NULL, d_sk, both);
		memcpy(both + SYNC_RECEIPT_BYTES, msg, len);
		write_seed(dir, "stream", 0, both, SYNC_RECEIPT_BYTES + len);
		write_seed(dir, "return", 0, msg, len);
		uint8_t *fm;
		size_t flen;
		const char *txt = "period 2026-Q1\n  name Quý I năm 2026\n";
		if (sync_file_seal("076", "02545", "ky-bao-cao-2026.periods", (const uint8_t *)txt,
				   strlen(txt), 1700000000, d_sk, &fm, &flen) == 0) {
			write_seed(dir, "file", 0, fm, flen);
			write_seed(dir, "file-body", 2, fm + SX_MSG_HEAD, flen - SX_MSG_HEAD - 64);
			free(fm);
		}
		struct sync_msg m;
		uint8_t *plain = malloc(len);
		if (sync_msg_verify(msg, len, d_pk, &m) == 0 &&
		    sx_box_open_sign_sk(c_sk, m.body, m.body_len, plain) == 0)
			write_seed(dir, "content", 1, plain, m.body_len - SX_BOX_OVERHEAD);
		free(plain);
		free(both);
		free(msg);
		exit(0);
	}
	free(msg);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const uint8_t *p = data + 1;
	size_t n = size - 1, il;
	if (data[0] % 3 == 2) {
		struct sync_msg m = {SYNC_MSG_FILE, "02545", "076", {0}, 1700000000, p, n};
		struct sync_file f;
		sync_file_open(&m, &f);
		return 0;
	}
	if (data[0] % 3 == 0) {
		int is_msg;
		for (size_t off = 0; off < n && sx_item_len(p + off, n - off, &il, &is_msg) == 0;
		     off += il) {
			struct sync_msg m;
			struct sync_receipt r;
			struct sync_return ret;
			if (!is_msg)
				sync_receipt_verify(p + off, d_pk, &r);
			else if (sync_msg_verify(p + off, il, d_pk, &m) == 0) {
				struct sync_file f;
				sync_return_open(&m, c_sk, &ret);
				sync_file_open(&m, &f);
			}
		}
	} else {
		struct sync_return ret;
		sx_return_parse(p, n, sample_id, &ret);
	}
	return 0;
}
