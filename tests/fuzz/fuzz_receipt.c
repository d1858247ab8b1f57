/*
 * fuzz_receipt: the receipt parser (what `sync receipts FILE` and `sync
 * push` read from outside), and the sending-state and communes-list
 * readers, which read files an attacker with the USB stick or the disk may
 * have changed.  First byte picks which; the rest is the input.
 * With CCHC_FUZZ_SEEDS=DIR it writes valid inputs there and exits.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "sync/sync_int.h"

static uint8_t d_pk[32], d_sk[64];
static struct sync_receiver_key rk;
static char home[64];

static void cleanup(void)
{
	char p[128];
	snprintf(p, sizeof p, "%s/outbox/state", home);
	unlink(p);
	snprintf(p, sizeof p, "%s/outbox", home);
	rmdir(p);
	rmdir(home);
}

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
	memset(seed, 4, sizeof seed);
	crypto_sign_seed_keypair(rk.pk, rk.sk, seed);
	sx_sign(SX_CTX_RCVCERT, rk.pk, 32, d_sk, rk.cert);
	snprintf(home, sizeof home, "/tmp/cchc-fuzz-receipt.%ld", (long)getpid());
	char p[128];
	sx_mkdir(home);
	snprintf(p, sizeof p, "%s/outbox", home);
	sx_mkdir(p);
	atexit(cleanup);
	const char *dir = getenv("CCHC_FUZZ_SEEDS");
	if (dir) {
		struct sync_receipt r = {SYNC_RCPT_STORED, {1}, "02545", 5, 1, 1700000000};
		uint8_t b[SYNC_RECEIPT_BYTES];
		sync_receipt_sign(&r, &rk, NULL, b);
		write_seed(dir, "stored", 0, b, sizeof b);
		r.status = SYNC_RCPT_IMPORTED;
		sync_receipt_sign(&r, NULL, d_sk, b);
		write_seed(dir, "imported", 0, b, sizeof b);
		const char *st = "cchc-outbox 1\ncommune 02545\nepoch 0000000000000005\n"
				 "next-batch 2\nlast-seq 3\nlast-receipt 0 0\nbatch 0000000000000005 1 "
				 "0101010101010101010101010101010101010101010101010101010101010101 0 0 0 0\n";
		write_seed(dir, "state", 3, st, strlen(st));
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
		uint8_t b[SYNC_RECEIPT_BYTES] = {0};
		struct sync_receipt r;
		memcpy(b, data + 1, size - 1 < sizeof b ? size - 1 : sizeof b);
		sync_receipt_verify(b, d_pk, &r);
	} else {
		/* The sending state: with and without a valid check line. */
		char path[128];
		snprintf(path, sizeof path, "%s/outbox/state", home);
		size_t n = size - 1;
		char *text = malloc(n + 72);
		uint8_t h[32];
		char hex[65];
		memcpy(text, data + 1, n);
		secret_hash(text, n, NULL, 0, h, 32);
		sx_hex(h, 32, hex);
		int with = data[0] & 2;
		if (with)
			n += (size_t)sprintf(text + n, "check %s\n", hex);
		FILE *f = fopen(path, "wb");
		if (f) {
			fwrite(text, 1, n, f);
			fclose(f);
			struct sx_state st;
			if (sx_state_read(home, &st) == 0)
				sx_state_free(&st);
		}
		free(text);
	}
	return 0;
}
