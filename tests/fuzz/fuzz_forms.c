/*
 * fuzz_forms: the form, period and unit-list parsers (what `cchc form check`
 * and every start read; a district edits these files by hand).  The first
 * byte picks the kind of file; the rest is its content, written to a temp
 * file because the parsers read files by path, as the program does.
 * With CCHC_FUZZ_SEEDS=DIR it copies the shipped files there and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forms/forms.h"

static char dir[64];
static const char *const ext[] = {".form", ".periods", ".csv"};

static void drop(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

static void cleanup(void)
{
	char p[128];
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/x%s", dir, ext[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void seed(const char *out, const char *src, unsigned char tag, int n)
{
	FILE *in = fopen(src, "rb");
	if (!in)
		return;
	char path[4200], buf[65536];
	size_t len = fread(buf, 1, sizeof buf, in);
	fclose(in);
	snprintf(path, sizeof path, "%s/shipped-%d", out, n);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fputc(tag, f);
	fwrite(buf, 1, len, f);
	fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	const char *seeds = getenv("CCHC_FUZZ_SEEDS");
	if (seeds) {
		seed(seeds, "forms/defs/bao-cao-cchc.form", 0, 0);
		seed(seeds, "forms/defs/so-theo-doi-ho-so.form", 0, 1);
		seed(seeds, "forms/defs/ky-bao-cao-2021.periods", 1, 2);
		seed(seeds, "data/units/son-duong-2021.csv", 2, 3);
		exit(0);
	}
	snprintf(dir, sizeof dir, "/tmp/cchc-fuzz-forms-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size < 1)
		return 0;
	char path[128];
	snprintf(path, sizeof path, "%s/x%s", dir, ext[data[0] % 3]);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	struct forms_sink sink = {drop, NULL, data[0] & 4 ? FORMS_LANG_EN : FORMS_LANG_VI};
	forms_check_file(path, &sink);
	if (data[0] % 3 == 2) /* a unit list: the meaning checks too (parents, overlaps) */
		forms_units_check_file(path, NULL, NULL, &sink);
	return 0;
}
