/*
 * sync/datafile.c: data files from the district to its communes (issue
 * 12): a year's periods or targets, a new form version, a unit list, sent
 * as a district-signed message (kind 2, mail.c) over the channel of the
 * receipts, and installed by the commune under its node directory.
 *
 * Body of a kind-2 message (in clear: these are public data; the signature
 * is what matters):
 *   0  1  file kind: 1 form (.form), 2 periods (.periods), 3 targets
 *         (.targets), 4 unit list (.csv)
 *   1  1  name length n (1..64): [a-z0-9._-], the kind's extension, no
 *         leading '.'
 *   2  n  name
 *   2+n 4 content length m (the rest of the body)
 *   6+n m content (UTF-8 text)
 * The message id is BLAKE2b-128("CCHC-FILE-ID" || name || content): the
 * same file sent twice is one message; a new content under the same name is
 * another, and the newer (by the message time) wins at the commune.
 *
 * The commune installs into home/data/<forms|periods|targets|units>/NAME
 * (write-temp-fsync-rename), after the file passes `cchc form check`'s
 * checks (forms_check_file; a kind this version cannot check is kept for a
 * newer one).  A form file is never replaced by other bytes: records made
 * under a version must stay readable, so a new version comes under a new
 * name.  Every install is noted in home/data/changes ("time kind name"),
 * which `sync status` shows; home/data/installed keeps name, time and hash
 * of what is there, so an older copy arriving late changes nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/text.h"
#include "forms/forms.h"
#include "sync/sync_int.h"

static const struct {
	const char *dir, *ext;
} kinds[] = {
	[SYNC_FILE_FORM] = {"forms", ".form"},
	[SYNC_FILE_PERIODS] = {"periods", ".periods"},
	[SYNC_FILE_TARGETS] = {"targets", ".targets"},
	[SYNC_FILE_UNITS] = {"units", ".csv"},
};

int sync_file_kind(const char *name)
{
	size_t n = strlen(name);
	for (int k = SYNC_FILE_FORM; k <= SYNC_FILE_UNITS; k++) {
		size_t e = strlen(kinds[k].ext);
		if (n > e && strcmp(name + n - e, kinds[k].ext) == 0)
			return k;
	}
	return 0;
}

const char *sync_file_dir(int kind)
{
	return kind >= SYNC_FILE_FORM && kind <= SYNC_FILE_UNITS ? kinds[kind].dir : NULL;
}

static int name_ok(const char *name, size_t n, int kind)
{
	if (n == 0 || n > 64 || name[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		      ch == '-'))
			return 0;
	}
	char buf[65];
	memcpy(buf, name, n);
	buf[n] = '\0';
	return sync_file_kind(buf) == kind;
}

static void file_id(const char *name, const uint8_t *data, size_t len, uint8_t id[16])
{
	uint8_t *b = malloc(12 + 65 + len);
	size_t n = strlen(name);
	memset(id, 0, 16);
	if (!b)
		return;
	memcpy(b, "CCHC-FILE-ID", 12);
	memcpy(b + 12, name, n + 1);
	memcpy(b + 12 + n + 1, data, len);
	secret_hash(b, 12 + n + 1 + len, NULL, 0, id, 16);
	free(b);
}

int sync_file_seal(const char *district, const char *commune, const char *name,
		   const uint8_t *data, size_t len, int64_t time, const uint8_t district_sk[64],
		   uint8_t **out, size_t *outlen)
{
	size_t n = strlen(name);
	int kind = sync_file_kind(name);
	if (!kind || !name_ok(name, n, kind) || len > SYNC_MSG_BODY_MAX - 6 - n ||
	    utf8_validate((const char *)data, len) != 0)
		return SYNC_EFORMAT;
	size_t blen = 6 + n + len, total = SX_MSG_HEAD + blen + SX_SIG;
	uint8_t *buf = malloc(total), id[16];
	if (!buf)
		return SYNC_ENOMEM;
	uint8_t *b = buf + SX_MSG_HEAD;
	b[0] = (uint8_t)kind;
	b[1] = (uint8_t)n;
	memcpy(b + 2, name, n);
	sx_put_be32(b + 2 + n, (uint32_t)len);
	memcpy(b + 6 + n, data, len);
	file_id(name, data, len, id);
	int rc = sx_msg_frame(SYNC_MSG_FILE, district, commune, id, time, district_sk, buf, blen);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*outlen = total;
	return SYNC_OK;
}

int sync_file_open(const struct sync_msg *m, struct sync_file *f)
{
	memset(f, 0, sizeof *f);
	const uint8_t *b = m->body;
	if (m->kind != SYNC_MSG_FILE || m->body_len < 6)
		return SYNC_EFORMAT;
	size_t n = b[1];
	if (n == 0 || n > 64 || m->body_len < 6 + n || !name_ok((const char *)b + 2, n, b[0]))
		return SYNC_EFORMAT;
	size_t len = sx_be32(b + 2 + n);
	if (len != m->body_len - 6 - n || utf8_validate((const char *)b + 6 + n, len) != 0)
		return SYNC_EFORMAT;
	f->kind = b[0];
	memcpy(f->name, b + 2, n);
	f->name[n] = '\0';
	f->data = b + 6 + n;
	f->len = len;
	f->time = m->time;
	uint8_t id[16];
	file_id(f->name, f->data, len, id);
	return memcmp(id, m->id, 16) == 0 ? SYNC_OK : SYNC_EFORMAT;
}

/* home/data/installed: "NAME TIME HASH" per line.  *time 0 when absent. */
static int installed_get(const char *home, const char *name, int64_t *time, char hash[65])
{
	char path[4200], line[256], n[80], h[80];
	long long t;
	*time = 0;
	hash[0] = '\0';
	snprintf(path, sizeof path, "%s/data/installed", home);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 0;
	while (fgets(line, sizeof line, fp))
		if (sscanf(line, "%79s %lld %79s", n, &t, h) == 3 && strcmp(n, name) == 0 &&
		    strlen(h) == 64)
			*time = t, memcpy(hash, h, 65);
	fclose(fp);
	return 0;
}

/* Append a line to home/data/NAME (read, add, write durably). */
static int append_line(const char *home, const char *file, const char *text)
{
	char path[4200];
	uint8_t *old = NULL;
	size_t olen = 0, n = strlen(text);
	snprintf(path, sizeof path, "%s/data/%s", home, file);
	if (access(path, F_OK) == 0 && sx_read_file(path, 8u << 20, &old, &olen) != 0)
		return SYNC_EIO;
	uint8_t *buf = realloc(old, olen + n);
	if (!buf) {
		free(old);
		return SYNC_ENOMEM;
	}
	memcpy(buf + olen, text, n);
	int rc = sx_write_durable(path, buf, olen + n, 0600);
	free(buf);
	return rc;
}

static void quiet(void *ctx, const char *msg)
{
	(void)ctx, (void)msg;
}

int sx_file_install(const char *home, const struct sync_file *f, int *installed)
{
	char dir[4200], path[4400], tmp[4500], hex[65], old[65], line[256];
	uint8_t h[32];
	int64_t when;
	*installed = 0;
	secret_hash(f->data, f->len, NULL, 0, h, 32);
	sx_hex(h, 32, hex);
	installed_get(home, f->name, &when, old);
	if (strcmp(old, hex) == 0 || (when && f->time <= when))
		return SYNC_OK; /* the same, or older than what is there */
	if (f->kind == SYNC_FILE_FORM && old[0])
		return SYNC_EFORMAT; /* a form version never changes under its name */
	snprintf(dir, sizeof dir, "%s/data", home);
	if (sx_mkdir(dir))
		return SYNC_EIO;
	snprintf(dir, sizeof dir, "%s/data/%s", home, sync_file_dir(f->kind));
	if (sx_mkdir(dir))
		return SYNC_EIO;
	/* Checked as `cchc form check` would, under its own extension. */
	snprintf(tmp, sizeof tmp, "%s/.check-%s", dir, f->name);
	int rc = sx_write_durable(tmp, f->data, f->len, 0600);
	if (rc)
		return rc;
	struct forms_sink sink = {quiet, NULL, FORMS_LANG_VI};
	int chk = forms_check_file(tmp, &sink);
	unlink(tmp);
	if (chk != 0 && chk != FORMS_EINVAL)
		return SYNC_EFORMAT;
	snprintf(path, sizeof path, "%s/%s", dir, f->name);
	if ((rc = sx_write_durable(path, f->data, f->len, 0644)))
		return rc;
	snprintf(line, sizeof line, "%s %" PRId64 " %s\n", f->name, f->time, hex);
	if ((rc = append_line(home, "installed", line)))
		return rc;
	snprintf(line, sizeof line, "%" PRId64 " %s %s\n", f->time, sync_file_dir(f->kind), f->name);
	if ((rc = append_line(home, "changes", line)))
		return rc;
	*installed = 1;
	return SYNC_OK;
}

int sync_file_changes(const char *home, struct sync_file_change *out, size_t cap, size_t *n)
{
	char path[4200], line[256], kind[32], name[65];
	long long t;
	*n = 0;
	snprintf(path, sizeof path, "%s/data/changes", home);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return SYNC_OK;
	if (cap > 16)
		cap = 16;
	/* The last cap lines, oldest first. */
	size_t seen = 0;
	while (fgets(line, sizeof line, fp)) {
		if (sscanf(line, "%lld %31s %64s", &t, kind, name) != 3)
			continue;
		struct sync_file_change *c = &out[seen % cap];
		c->time = t;
		c->kind = 0;
		for (int k = SYNC_FILE_FORM; k <= SYNC_FILE_UNITS; k++)
			if (strcmp(kind, kinds[k].dir) == 0)
				c->kind = k;
		snprintf(c->name, sizeof c->name, "%s", name);
		seen++;
	}
	fclose(fp);
	if (seen > cap) {
		/* Rotate so the oldest kept comes first. */
		struct sync_file_change tmp[16];
		size_t k = cap < 16 ? cap : 16, start = seen % cap;
		for (size_t i = 0; i < k; i++)
			tmp[i] = out[(start + i) % cap];
		memcpy(out, tmp, k * sizeof *tmp);
		*n = k;
	} else {
		*n = seen;
	}
	return SYNC_OK;
}
