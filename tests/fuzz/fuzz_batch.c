/*
 * fuzz_batch: the batch parser, as an importer meets it.
 *
 * First byte even: the rest is a batch file, checked and opened with fixed
 * keys (header, lengths, key ids, signature, stanza, stream, payload).
 * First byte odd: the rest is a decrypted payload (zstd frame of the CBOR
 * sequence), which real inputs reach only after signature and AEAD checks.
 * With CCHC_FUZZ_SEEDS=DIR it writes valid inputs of both kinds there and
 * exits (scripts/fuzz.sh).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "sync/sync_int.h"

static uint8_t sign_pk[32], sign_sk[64], box_pk[32], box_sk[32];

static void keys(void)
{
	uint8_t seed[32];
	memset(seed, 7, sizeof seed);
	crypto_sign_seed_keypair(sign_pk, sign_sk, seed);
	memset(seed, 9, sizeof seed);
	crypto_box_seed_keypair(box_pk, box_sk, seed);
}

static void write_seed(const char *dir, const char *name, uint8_t tag, const uint8_t *b, size_t n)
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

static void seeds(const char *dir)
{
	struct store_record r[3];
	for (int i = 0; i < 3; i++) {
		store_record_init(&r[i]);
		memset(r[i].id, i + 1, 16);
		snprintf(r[i].form, sizeof r[i].form, "so-theo-doi-ho-so");
		snprintf(r[i].unit, sizeof r[i].unit, "02545");
		r[i].version = 1;
		kv_set(&r[i].fields, "ma_ho_so", "H59.36-1");
		kv_set(&r[i].fields, "chu_ho_so", "Nguyễn Văn An");
	}
	struct sync_batch_info info = {"02545", "076", 5, 1, 0, {0}, 1, 3};
	uint8_t *buf, id[32];
	size_t len;
	if (sync_batch_build(&info, r, 3, sign_sk, box_pk, &buf, &len, id) == 0) {
		write_seed(dir, "batch3", 0, buf, len);
		free(buf);
	}
	struct sx_manifest m = {"02545", "076", 5, 1, 1, 3, 3, {0}};
	if (sx_payload_encode(&m, r, 3, &buf, &len) == 0) {
		write_seed(dir, "payload3", 1, buf, len);
		free(buf);
	}
	for (int i = 0; i < 3; i++)
		store_record_clear(&r[i]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (secret_init() != 0)
		abort();
	keys();
	const char *dir = getenv("CCHC_FUZZ_SEEDS");
	if (dir) {
		seeds(dir);
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] % 2 == 0) {
		struct sync_batch *b = NULL;
		struct sync_header h;
		sync_batch_header(data + 1, size - 1, &h);
		if (sync_batch_open(data + 1, size - 1, sign_pk, box_pk, box_sk, &b) == 0)
			sync_batch_free(b);
	} else {
		struct sx_manifest m;
		struct store_record *r = NULL;
		size_t n = 0, len;
		sx_cbor_item_len(data + 1, size - 1, &len);
		if (sx_payload_decode(data + 1, size - 1, &m, &r, &n) == 0) {
			for (size_t i = 0; i < n; i++)
				store_record_clear(&r[i]);
			free(r);
		}
	}
	return 0;
}
