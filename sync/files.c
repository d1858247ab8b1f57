/*
 * sync/files.c: durable files, locks, and the commune's sending state.
 *
 * Durable means: write a temp file in the same directory, fsync it, rename
 * it over the name, fsync the directory ("rename doesn't sync").  A failed
 * fsync is never retried as if the data were safe: the temp file is
 * removed and the caller sees SYNC_EIO.
 *
 * The sending state (home/outbox/state) is what `sync push` reads and
 * writes with no secret: a short text file, one line per batch, ending in
 * a BLAKE2b-256 of everything before it, so a damaged file is refused
 * instead of misread.  It is only replaced whole, under outbox/lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/vnfmt.h"
#include "sync/sync_int.h"

void sx_hex(const uint8_t *b, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++)
		out[2 * i] = d[b[i] >> 4], out[2 * i + 1] = d[b[i] & 15];
	out[2 * n] = '\0';
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int sx_unhex(const char *s, uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hi < 0 ? -1 : hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return SYNC_EFORMAT;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return s[2 * n] == '\0' || s[2 * n] == ' ' || s[2 * n] == '\n' ? SYNC_OK : SYNC_EFORMAT;
}

void sx_path(const char *home, const char *rel, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s", home, rel);
}

void sx_batch_path(const char *home, uint64_t epoch, uint64_t batch_no, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/outbox/%016" PRIx64 "-%08" PRIu64 ".ccb", home, epoch, batch_no);
}

int sx_mkdir(const char *path)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return SYNC_EIO;
	return SYNC_OK;
}

int sx_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return SYNC_EIO;
	int rc = fsync(fd) == 0 ? SYNC_OK : SYNC_EIO;
	close(fd);
	return rc;
}

int sx_write_durable(const char *path, const void *buf, size_t len, int mode)
{
	char tmp[4200], dir[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return SYNC_EIO;
	const uint8_t *p = buf;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		p += w, left -= (size_t)w;
	}
	int bad = left != 0 || fsync(fd) != 0;
	bad |= close(fd) != 0;
	if (bad || rename(tmp, path) != 0) {
		unlink(tmp);
		return SYNC_EIO;
	}
	return sx_fsync_dir(dir);
}

void sx_stamp_received(const char *path)
{
	int64_t t;
	if (!vn_clock_fixed(&t))
		return;
	struct timespec ts[2] = {{(time_t)t, 0}, {(time_t)t, 0}};
	(void)utimensat(AT_FDCWD, path, ts, 0);
}

int sx_read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return SYNC_EIO;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return SYNC_EIO;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return SYNC_ETOOBIG;
	}
	size_t n = (size_t)st.st_size, got = 0;
	uint8_t *b = malloc(n ? n : 1);
	if (!b) {
		close(fd);
		return SYNC_ENOMEM;
	}
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != n) {
		free(b);
		return SYNC_EIO;
	}
	*buf = b;
	*len = n;
	return SYNC_OK;
}

int sx_lock(const char *path, int nonblock, int *fd)
{
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0)
		return SYNC_EIO;
	while (flock(f, LOCK_EX | (nonblock ? LOCK_NB : 0)) != 0) {
		if (errno == EINTR)
			continue;
		int busy = errno == EWOULDBLOCK;
		close(f);
		return busy ? SYNC_EBUSY : SYNC_EIO;
	}
	*fd = f;
	return SYNC_OK;
}

void sx_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the flock */
}

/* ---- the sending state */

void sx_state_free(struct sx_state *st)
{
	free(st->e);
	memset(st, 0, sizeof *st);
}

int sx_state_add(struct sx_state *st, const struct sx_entry *e)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 16;
		struct sx_entry *ne = realloc(st->e, cap * sizeof *ne);
		if (!ne)
			return SYNC_ENOMEM;
		st->e = ne, st->cap = cap;
	}
	st->e[st->n++] = *e;
	return SYNC_OK;
}

struct sx_entry *sx_state_find(struct sx_state *st, const uint8_t id[SYNC_ID_BYTES])
{
	for (size_t i = 0; i < st->n; i++)
		if (memcmp(st->e[i].id, id, SYNC_ID_BYTES) == 0)
			return &st->e[i];
	return NULL;
}

static int parse_line(struct sx_state *st, const char *line)
{
	char idhex[80];
	unsigned long long epoch, no, rat;
	int state, http;
	unsigned attempts;
	long long t;
	if (sscanf(line, "commune %16s", st->commune) == 1)
		return SYNC_OK;
	if (sscanf(line, "epoch %llx", &epoch) == 1)
		return st->epoch = epoch, SYNC_OK;
	if (sscanf(line, "next-batch %llu", &no) == 1)
		return st->next_batch = no, SYNC_OK;
	if (sscanf(line, "last-seq %llu", &no) == 1)
		return st->last_seq = no, SYNC_OK;
	if (sscanf(line, "last-receipt %lld %d", &t, &state) == 2) {
		st->last_receipt_at = t;
		st->last_receipt_status = state;
		return SYNC_OK;
	}
	if (sscanf(line, "batch %llx %llu %79s %d %u %llu %d", &epoch, &no, idhex, &state,
		   &attempts, &rat, &http) == 7) {
		struct sx_entry e = {epoch, no, {0}, state, attempts, (int64_t)rat, http};
		if (strlen(idhex) != 64 || sx_unhex(idhex, e.id, 32) || state < 0 || state > 3)
			return SYNC_EDAMAGED;
		return sx_state_add(st, &e);
	}
	return strncmp(line, "cchc-outbox 1", 13) == 0 ? SYNC_OK : SYNC_EDAMAGED;
}

int sx_state_read(const char *home, struct sx_state *st)
{
	char path[4200];
	uint8_t *buf;
	size_t len;
	memset(st, 0, sizeof *st);
	sx_path(home, "outbox/state", path, sizeof path);
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return SYNC_OK;
	int rc = sx_read_file(path, 64u << 20, &buf, &len);
	if (rc)
		return rc == SYNC_ETOOBIG ? SYNC_EDAMAGED : rc;
	/* The last line is "check <hex of BLAKE2b-256 of everything before>". */
	rc = SYNC_EDAMAGED;
	char *text = realloc(buf, len + 1);
	if (!text) {
		free(buf);
		return SYNC_ENOMEM;
	}
	text[len] = '\0';
	char *chk = len >= 71 ? text + len - 71 : NULL;
	uint8_t want[32], got[32];
	if (!chk || memcmp(chk, "check ", 6) != 0 || text[len - 1] != '\n' ||
	    (chk != text && chk[-1] != '\n') || sx_unhex(chk + 6, want, 32))
		goto free_text;
	secret_hash(text, (size_t)(chk - text), NULL, 0, got, 32);
	if (memcmp(want, got, 32) != 0)
		goto free_text;
	*chk = '\0';
	rc = SYNC_OK;
	for (char *line = text, *nl; rc == 0 && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		rc = parse_line(st, line);
	}
free_text:
	free(text);
	if (rc)
		sx_state_free(st);
	return rc;
}

int sx_state_write(const char *home, const struct sx_state *st)
{
	size_t cap = 512 + st->n * 160, n = 0;
	char *b = malloc(cap);
	if (!b)
		return SYNC_ENOMEM;
	n += (size_t)snprintf(b + n, cap - n,
			      "cchc-outbox 1\ncommune %s\nepoch %016" PRIx64 "\nnext-batch %" PRIu64
			      "\nlast-seq %" PRIu64 "\nlast-receipt %lld %d\n",
			      st->commune[0] ? st->commune : "-", st->epoch, st->next_batch,
			      st->last_seq, (long long)st->last_receipt_at, st->last_receipt_status);
	for (size_t i = 0; i < st->n; i++) {
		const struct sx_entry *e = &st->e[i];
		char idhex[65];
		sx_hex(e->id, 32, idhex);
		n += (size_t)snprintf(b + n, cap - n,
				      "batch %016" PRIx64 " %" PRIu64 " %s %d %u %lld %d\n", e->epoch,
				      e->batch_no, idhex, e->state, e->attempts,
				      (long long)e->receipt_at, e->http);
	}
	uint8_t h[32];
	char hex[65];
	secret_hash(b, n, NULL, 0, h, 32);
	sx_hex(h, 32, hex);
	n += (size_t)snprintf(b + n, cap - n, "check %s\n", hex);
	char path[4200];
	sx_path(home, "outbox/state", path, sizeof path);
	int rc = sx_write_durable(path, b, n, 0600);
	free(b);
	return rc;
}

int sx_state_take_receipt(const char *home, struct sx_state *st, const struct sync_receipt *r)
{
	struct sx_entry *e = sx_state_find(st, r->batch_id);
	if (!e || strcmp(r->commune, st->commune) != 0)
		return 0;
	int to = r->status == SYNC_RCPT_IMPORTED ? SX_IMPORTED : SX_STORED;
	if (to > e->state || e->state == SX_REFUSED)
		e->state = to;
	if (r->time > e->receipt_at)
		e->receipt_at = r->time;
	if (r->time >= st->last_receipt_at) {
		st->last_receipt_at = r->time;
		st->last_receipt_status = r->status;
	}
	/* Imported: the district has it for good, the file may go (SPEC §6.4). */
	if (e->state == SX_IMPORTED) {
		char path[4200];
		sx_batch_path(home, e->epoch, e->batch_no, path, sizeof path);
		unlink(path);
	}
	return 1;
}
