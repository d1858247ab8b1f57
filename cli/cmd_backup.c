/*
 * cli/cmd_backup.c: `cchc backup FILE` and `cchc restore FILE`.
 *
 * A backup is one file holding the whole node directory: the database as
 * of one commit (store_backup_fd: LMDB's compacted copy, taken while the
 * node runs) and every other file of the node (settings, public keys, the
 * receiver key, sealed batches waiting, receipts, the receiver's spool),
 * each whole because every writer renames its files into place.  Format
 * (all integers big-endian):
 *
 *   "CCHC-BACKUP 1\n"                                   14 bytes
 *   per file: 'F', u16 path length, path, u64 size, bytes
 *   'E', u64 number of files, BLAKE2b-256 of every byte before it
 *
 * Paths are relative, of at most 3 components of [A-Za-z0-9._-] (never "."
 * or ".."), so a restore writes nowhere but the node it makes.  Nothing in
 * a backup is in clear that is not in clear in the node itself: records,
 * keys and the audit log are sealed; it needs no password, so a cron job
 * can take it.  Restore checks the whole file first (the hash, every path),
 * writes the node beside the target, opens its database, and only then
 * renames it into place (an existing node is kept aside, never deleted).
 * It leaves SYNC_RESTORED_NOTE, so the restored node seals under a new
 * lineage and the district never sees two histories under one number.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/secret.h"
#include "core/vnfmt.h"
#include "sync/sync.h"

#define MAGIC "CCHC-BACKUP 1\n"
#define MAGIC_LEN 14
#define HASH_LEN 32
#define PATH_MAX_LEN 255
#define DB_PATH "db/data.mdb"

/* ---- writing */

struct bw {
	int fd;
	struct secret_hash_state *h;
	uint64_t files, bytes;
	int err; /* errno of the first failed write */
};

static void bw_put(struct bw *w, const void *p, size_t n)
{
	const char *c = p;
	if (w->err)
		return;
	secret_hash_add(w->h, p, n);
	while (n) {
		ssize_t k = write(w->fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->err = k < 0 ? errno : EIO;
			return;
		}
		c += k, n -= (size_t)k, w->bytes += (uint64_t)k;
	}
}

static void be_put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

/* One file: its header, then its bytes streamed from fd. */
static int bw_file(struct bw *w, const char *rel, int fd)
{
	struct stat st;
	uint8_t hd[3], sz[8], buf[65536];
	size_t plen = strlen(rel);
	if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		return w->err = errno, -1;
	hd[0] = 'F';
	be_put(hd + 1, plen, 2);
	be_put(sz, (uint64_t)st.st_size, 8);
	bw_put(w, hd, 3), bw_put(w, rel, plen), bw_put(w, sz, 8);
	for (off_t left = st.st_size; left > 0 && !w->err;) {
		ssize_t k = read(fd, buf, left < (off_t)sizeof buf ? (size_t)left : sizeof buf);
		if (k <= 0) /* the file shrank under us: the backup would lie */
			return w->err = k < 0 ? errno : EIO, -1;
		bw_put(w, buf, (size_t)k);
		left -= k;
	}
	w->files++;
	return w->err ? -1 : 0;
}

static int skip_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' || (n > 4 && strcmp(name + n - 4, ".tmp") == 0) ||
	       strstr(name, ".tmp.") != NULL || strcmp(name, "lock") == 0;
}

/* Every regular file under home/rel (depth <= 3), db/ left out. */
static int bw_tree(struct bw *w, const char *home, const char *rel, int depth)
{
	char dir[4400];
	snprintf(dir, sizeof dir, "%s%s%s", home, rel[0] ? "/" : "", rel);
	DIR *d = opendir(dir);
	if (!d)
		return w->err = errno, -1;
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d))) {
		char sub[PATH_MAX_LEN + 2], path[4700];
		if (skip_name(de->d_name) || (!rel[0] && strcmp(de->d_name, "db") == 0))
			continue;
		int n = snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
		if (n < 0 || n > PATH_MAX_LEN)
			continue;
		snprintf(path, sizeof path, "%s/%s", home, sub);
		struct stat st;
		if (lstat(path, &st) != 0)
			continue; /* removed meanwhile (a batch receipted) */
		if (S_ISDIR(st.st_mode) && depth < 2) {
			rc = bw_tree(w, home, sub, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			rc = bw_file(w, sub, fd);
			close(fd);
		}
	}
	closedir(d);
	return rc;
}

static int backup_write(struct cli *c, const char *file, int out, uint64_t *files, uint64_t *bytes,
			uint64_t *dbsize)
{
	struct bw w = {out, secret_hash_begin(HASH_LEN), 0, 0, 0};
	char tmpl[4200];
	if (!w.h)
		return cli_err(c, MSG_E_INTERNAL, "ENOMEM"), EXIT_SOFTWARE;
	/* The database copy first, into an unnamed file beside the node. */
	snprintf(tmpl, sizeof tmpl, "%s/.backup-XXXXXX", c->home);
	int dbfd = mkstemp(tmpl);
	if (dbfd < 0) {
		cli_err(c, MSG_E_BACKUP_IO, c->home, strerror(errno));
		secret_hash_end(w.h, NULL, 0);
		return errno == ENOSPC ? EXIT_IOERR : EXIT_CANTCREAT;
	}
	unlink(tmpl);
	int err = store_backup_fd(c->store, dbfd);
	struct stat st;
	*dbsize = fstat(dbfd, &st) == 0 ? (uint64_t)st.st_size : 0;
	bw_put(&w, MAGIC, MAGIC_LEN);
	if (err == 0)
		bw_file(&w, DB_PATH, dbfd);
	close(dbfd);
	if (err) {
		secret_hash_end(w.h, NULL, 0);
		return cli_store_fail(c, err);
	}
	if (!w.err)
		bw_tree(&w, c->home, "", 0);
	uint8_t end[9], hash[HASH_LEN];
	end[0] = 'E';
	be_put(end + 1, w.files, 8);
	bw_put(&w, end, 9);
	secret_hash_end(w.h, hash, HASH_LEN);
	w.h = secret_hash_begin(HASH_LEN); /* the hash itself is not hashed */
	bw_put(&w, hash, HASH_LEN);
	secret_hash_end(w.h, NULL, 0);
	*files = w.files, *bytes = w.bytes;
	if (w.err) {
		cli_err(c, w.err == ENOSPC ? MSG_E_BACKUP_FULL : MSG_E_BACKUP_IO, file, strerror(w.err));
		return EXIT_IOERR;
	}
	return 0;
}

static int fsync_parent(const char *path)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		fputs(cli_msg(c, MSG_USAGE_BACKUP), stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-') {
		fputs(cli_msg(c, MSG_USAGE_BACKUP), stderr);
		return EXIT_USAGE;
	}
	int rc = cli_open(c);
	if (rc)
		return rc;
	const char *file = argv[1];
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", file, (long)getpid());
	int out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		cli_err(c, MSG_E_BACKUP_IO, file, strerror(errno));
		return EXIT_CANTCREAT;
	}
	uint64_t files = 0, bytes = 0, dbsize = 0;
	rc = backup_write(c, file, out, &files, &bytes, &dbsize);
	if (rc == 0 && fsync(out) != 0) {
		cli_err(c, errno == ENOSPC ? MSG_E_BACKUP_FULL : MSG_E_BACKUP_IO, file, strerror(errno));
		rc = EXIT_IOERR;
	}
	close(out);
	if (rc == 0 && (rename(tmp, file) != 0 || fsync_parent(file) != 0)) {
		cli_err(c, MSG_E_BACKUP_IO, file, strerror(errno));
		rc = EXIT_IOERR;
	}
	if (rc) {
		unlink(tmp);
		return rc;
	}
	cli_out(c, MSG_BACKUP_DONE, c->home, file, (unsigned long long)files,
		(unsigned long long)bytes, (unsigned long long)dbsize);
	return 0;
}

/* ---- reading */

struct br {
	FILE *f;
	struct secret_hash_state *h;
};

static int br_get(struct br *r, void *p, size_t n)
{
	if (n && fread(p, 1, n, r->f) != n)
		return -1;
	secret_hash_add(r->h, p, n);
	return 0;
}

static uint64_t be_get(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* A path a backup may hold: relative, 1..3 components of [A-Za-z0-9._-],
 * none "." or "..". */
static int path_ok(const char *p)
{
	int parts = 0;
	while (*p) {
		const char *e = p;
		while (*e && *e != '/') {
			char ch = *e;
			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
				return 0;
			e++;
		}
		size_t n = (size_t)(e - p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (++parts > 3)
			return 0;
		p = *e ? e + 1 : e;
		if (*e && !*p)
			return 0; /* a trailing slash */
	}
	return parts > 0;
}

/* Make the parent directories of dir/rel (0700). */
static int make_parents(const char *dir, const char *rel)
{
	char path[4500];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

/* What restore_pass found. */
enum { BK_OK = 0, BK_NOT, BK_CUT, BK_DAMAGED, BK_IO };

static const enum msg_id bk_msg[] = {
	[BK_NOT] = MSG_E_BACKUP_NOT,
	[BK_CUT] = MSG_E_BACKUP_CUT,
	[BK_DAMAGED] = MSG_E_BACKUP_DAMAGED,
	[BK_IO] = MSG_E_BACKUP_IO,
};

/* Read every entry; with dest, write each file under dest (0600, fsynced).
 * BK_OK, or what is wrong (*bad_errno for BK_IO). */
static int restore_pass(FILE *f, const char *dest, uint64_t *files, int *bad_errno)
{
	struct br r = {f, secret_hash_begin(HASH_LEN)};
	char magic[MAGIC_LEN];
	uint8_t hd[3], sz[8], buf[65536], want[HASH_LEN], got[HASH_LEN];
	int rc = 0, has_db = 0;
	*files = 0;
	*bad_errno = 0;
	if (!r.h)
		return BK_NOT;
	rewind(f);
	if (br_get(&r, magic, MAGIC_LEN) || memcmp(magic, MAGIC, MAGIC_LEN) != 0) {
		rc = BK_NOT;
		goto out;
	}
	for (;;) {
		if (br_get(&r, hd, 1)) {
			rc = BK_CUT;
			goto out;
		}
		if (hd[0] == 'E')
			break;
		char path[PATH_MAX_LEN + 1];
		size_t plen;
		if (hd[0] != 'F' || br_get(&r, hd + 1, 2) || (plen = be_get(hd + 1, 2)) > PATH_MAX_LEN ||
		    br_get(&r, path, plen) || br_get(&r, sz, 8)) {
			rc = hd[0] != 'F' ? BK_DAMAGED : BK_CUT;
			goto out;
		}
		path[plen] = '\0';
		if (memchr(path, '\0', plen) || !path_ok(path)) {
			rc = BK_DAMAGED;
			goto out;
		}
		has_db |= strcmp(path, DB_PATH) == 0;
		int fd = -1;
		if (dest) {
			char full[4500];
			snprintf(full, sizeof full, "%s/%s", dest, path);
			if (make_parents(dest, path) != 0 ||
			    (fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
				*bad_errno = errno;
				rc = BK_IO;
				goto out;
			}
		}
		for (uint64_t left = be_get(sz, 8); left > 0;) {
			size_t k = left < sizeof buf ? (size_t)left : sizeof buf;
			if (br_get(&r, buf, k)) {
				rc = BK_CUT;
				break;
			}
			if (fd >= 0 && write(fd, buf, k) != (ssize_t)k) {
				*bad_errno = errno ? errno : EIO;
				rc = BK_IO;
				break;
			}
			left -= k;
		}
		if (fd >= 0 && rc == 0 && fsync(fd) != 0) {
			*bad_errno = errno;
			rc = BK_IO;
		}
		if (fd >= 0)
			close(fd);
		if (rc)
			goto out;
		++*files;
	}
	if (br_get(&r, sz, 8) || be_get(sz, 8) != *files) {
		rc = BK_CUT;
		goto out;
	}
	secret_hash_end(r.h, got, HASH_LEN);
	r.h = NULL;
	if (fread(want, 1, HASH_LEN, f) != HASH_LEN || fgetc(f) != EOF)
		rc = BK_CUT;
	else if (memcmp(want, got, HASH_LEN) != 0 || !has_db)
		rc = BK_DAMAGED;
out:
	secret_hash_end(r.h, NULL, 0);
	return rc;
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char p[4600];
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* Open what was written: a node whose database opens and counts. */
static int restore_check(struct cli *c, const char *dir, struct store_stat *st)
{
	struct store *s;
	int err = store_open(dir, NULL, &s);
	if (err == 0) {
		err = store_stat(s, st);
		store_close(s);
	}
	if (err) {
		cli_err(c, MSG_E_BACKUP_DAMAGED, dir, store_strerror(err));
		return EXIT_DATAERR;
	}
	char note[4300];
	snprintf(note, sizeof note, "%s/%s", dir, SYNC_RESTORED_NOTE);
	char when[VN_TIME_BUF];
	vn_time_format(vn_now(), when);
	FILE *f = fopen(note, "w");
	if (!f || fprintf(f, "restored %s\n", when) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		if (f)
			fclose(f);
		cli_err(c, MSG_E_BACKUP_IO, note, strerror(errno));
		return EXIT_IOERR;
	}
	fclose(f);
	return 0;
}

/* Put the written node in place; an existing one moves aside (kept). */
static int restore_swap(struct cli *c, const char *tmp, int replace, char *aside, size_t cap)
{
	struct stat st;
	aside[0] = '\0';
	if (stat(c->home, &st) == 0) {
		if (!replace) {
			cli_err(c, MSG_E_RESTORE_EXISTS, c->home);
			return EXIT_CANTCREAT;
		}
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		snprintf(aside, cap, "%s.before-restore-%04d%02d%02d-%02d%02d%02d", c->home,
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (rename(c->home, aside) != 0) {
			cli_err(c, MSG_E_BACKUP_IO, c->home, strerror(errno));
			return EXIT_IOERR;
		}
	}
	if (rename(tmp, c->home) != 0 || fsync_parent(c->home) != 0) {
		int e = errno;
		if (aside[0])
			rename(aside, c->home);
		cli_err(c, MSG_E_BACKUP_IO, c->home, strerror(e));
		return EXIT_IOERR;
	}
	return 0;
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
	int replace = 0;
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(cli_msg(c, MSG_USAGE_RESTORE), stdout);
			return 0;
		} else if (strcmp(argv[i], "--replace") == 0) {
			replace = 1;
		} else if (argv[i][0] != '-' && !file) {
			file = argv[i];
		} else {
			fputs(cli_msg(c, MSG_USAGE_RESTORE), stderr);
			return EXIT_USAGE;
		}
	}
	if (!file) {
		fputs(cli_msg(c, MSG_USAGE_RESTORE), stderr);
		return EXIT_USAGE;
	}
	FILE *f = fopen(file, "rb");
	if (!f) {
		cli_err(c, MSG_E_BACKUP_IO, file, strerror(errno));
		return EXIT_NOINPUT;
	}
	uint64_t files;
	int bad_errno, rc = 0;
	int bad = restore_pass(f, NULL, &files, &bad_errno);
	if (bad) {
		fclose(f);
		cli_err(c, bk_msg[bad], file, strerror(bad_errno));
		return bad == BK_IO ? EXIT_IOERR : EXIT_DATAERR;
	}
	char tmp[4200], aside[4300];
	snprintf(tmp, sizeof tmp, "%s.restore-%ld", c->home, (long)getpid());
	if (mkdir(tmp, 0700) != 0) {
		fclose(f);
		cli_err(c, MSG_E_BACKUP_IO, tmp, strerror(errno));
		return EXIT_CANTCREAT;
	}
	bad = restore_pass(f, tmp, &files, &bad_errno);
	fclose(f);
	struct store_stat st;
	if (bad) {
		cli_err(c, bad_errno == ENOSPC ? MSG_E_BACKUP_FULL : bk_msg[bad], bad == BK_IO ? tmp : file,
			strerror(bad_errno));
		rc = bad_errno == ENOSPC ? EXIT_IOERR : bad == BK_IO ? EXIT_CANTCREAT : EXIT_DATAERR;
	}
	if (rc == 0 && (rc = restore_check(c, tmp, &st)) == 0)
		rc = restore_swap(c, tmp, replace, aside, sizeof aside);
	if (rc) {
		remove_tree(tmp);
		return rc;
	}
	cli_out(c, MSG_RESTORE_DONE, file, c->home, (unsigned long long)files,
		(unsigned long long)st.records, (unsigned long long)st.audit);
	if (aside[0])
		cli_out(c, MSG_RESTORE_ASIDE, aside);
	return 0;
}
