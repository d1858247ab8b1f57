/*
 * store/env.c: the handle and the LMDB environment: opening with checked
 * permissions, growing the map, the retrying transaction runners and the
 * mapping of LMDB and errno codes to STORE_E* codes.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store/store_int.h"

#define MAP_DEFAULT ((size_t)64 << 20)
/* Bounded so that a process seeing endless MDB_MAP_RESIZED (another process
 * growing the map in a loop) still returns. */
#define RESIZED_TRIES 16
#define NEARLY_FULL ((uint64_t)1 << 20)

static const char *const db_names[DB_COUNT] = {"records", "outbox", "audit",
					       "users",   "meta",   "pub"};

const char *store_db_name(int db)
{
	return db_names[db];
}

const char *store_strerror(int err)
{
	switch (err) {
	case STORE_OK:
		return "ok";
	case STORE_ENOTFOUND:
		return "not found";
	case STORE_EEXIST:
		return "already exists";
	case STORE_EDAMAGED:
		return "damaged or altered data";
	case STORE_EIO:
		return "input/output error";
	case STORE_ENOSPC:
		return "the disk is full";
	case STORE_EROFS:
		return "the node is read-only";
	case STORE_ENONODE:
		return "not a cchc node";
	case STORE_EPASSWORD:
		return "wrong name or password";
	case STORE_ELOCKED:
		return "the user is locked";
	case STORE_ENOKEY:
		return "not logged in";
	case STORE_ECONFLICT:
		return "the record was changed meanwhile";
	case STORE_ENOMEM:
		return "out of memory";
	case STORE_EINVAL:
		return "invalid argument";
	case STORE_EBUSY:
		return "the database cannot grow further";
	case STORE_EPERM:
		return "file permissions too open";
	}
	return "unknown error";
}

int store_map_err(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
		return STORE_OK;
	case MDB_NOTFOUND:
		return STORE_ENOTFOUND;
	case MDB_KEYEXIST:
		return STORE_EEXIST;
	case MDB_MAP_FULL:
		return STORE_XMAPFULL;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH:
	case MDB_INCOMPATIBLE:
	case MDB_BAD_VALSIZE:
	/* A transaction goes bad only after an operation in it failed; with
	 * MAP_FULL retried above, what is left is a page LMDB could not use. */
	case MDB_BAD_TXN:
		return STORE_EDAMAGED;
	case MDB_READERS_FULL:
	case MDB_TXN_FULL:
	case MDB_CURSOR_FULL:
	case MDB_PAGE_FULL:
	case MDB_MAP_RESIZED:
		return STORE_EBUSY;
	case ENOMEM:
		return STORE_ENOMEM;
	case ENOSPC:
	case EDQUOT:
		return STORE_ENOSPC;
	case EROFS:
	case EACCES:
	case EPERM:
		return STORE_EROFS;
	case ENOENT:
		return STORE_ENONODE;
	}
	return STORE_EIO;
}

int store_check_perms(const char *dbdir)
{
	static const char *const files[] = {"data.mdb", "lock.mdb"};
	char path[4096];
	struct stat st;
	if (stat(dbdir, &st) != 0 || !S_ISDIR(st.st_mode))
		return STORE_ENONODE;
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return STORE_EPERM;
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dbdir, files[i]) >= sizeof path)
			return STORE_EINVAL;
		if (stat(path, &st) != 0) {
			if (i == 0)
				return STORE_ENONODE;
			continue; /* lock.mdb is remade by LMDB */
		}
		if (st.st_mode & (S_IRWXG | S_IRWXO))
			return STORE_EPERM;
	}
	return STORE_OK;
}

int store_handle_new(const char *dir, const struct store_options *opts, struct store **out)
{
	struct store *s = calloc(1, sizeof *s);
	if (!s)
		return STORE_ENOMEM;
	size_t n = strlen(dir);
	s->dir = strdup(dir);
	s->dbdir = malloc(n + 4);
	if (!s->dir || !s->dbdir)
		goto free_s;
	memcpy(s->dbdir, dir, n);
	memcpy(s->dbdir + n, "/db", 4);
	s->map_size = opts && opts->map_size ? opts->map_size : MAP_DEFAULT;
	s->map_max = opts && opts->map_max ? opts->map_max
		     : sizeof(size_t) >= 8 ? (size_t)64 << 30
					   : (size_t)1 << 30;
	if (s->map_size > s->map_max)
		s->map_size = s->map_max;
	*out = s;
	return STORE_OK;
free_s:
	free(s->dir);
	free(s->dbdir);
	free(s);
	return STORE_ENOMEM;
}

/* > 0 while this process is inside LMDB (opening, a transaction, a copy):
 * see store_fault_in_db(). */
static volatile sig_atomic_t in_db;

int store_fault_in_db(void)
{
	return in_db > 0;
}

void store_fault_enter(int delta)
{
	in_db += delta;
}

/* The DBIs are opened once, in the first transaction, and kept (LMDB: never
 * open them in concurrent transactions).  A read-only transaction is enough
 * to open existing ones; committing it keeps the handles. */
static int open_dbis(struct store *s, int create)
{
	MDB_txn *txn;
	unsigned tflags = create ? 0 : MDB_RDONLY;
	int rc = mdb_txn_begin(s->env, NULL, tflags, &txn);
	if (rc)
		return store_map_err(rc);
	for (int i = 0; i < DB_COUNT; i++) {
		rc = mdb_dbi_open(txn, db_names[i], create ? MDB_CREATE : 0, &s->dbi[i]);
		if (rc)
			goto abort_txn;
	}
	if (!create) {
		char fmt[16] = {0};
		MDB_val k = {6, "format"}, v;
		rc = mdb_get(txn, s->dbi[DB_PUB], &k, &v);
		if (rc)
			goto abort_txn;
		if (v.mv_size >= sizeof fmt)
			goto bad_format;
		memcpy(fmt, v.mv_data, v.mv_size);
		if (strcmp(fmt, "cchc-node-1") != 0)
			goto bad_format;
		rc = store_pub_get(s, txn, "salt", s->salt, sizeof s->salt);
		if (!rc)
			rc = store_pub_get(s, txn, "audit-pk", s->audit_pk, sizeof s->audit_pk);
		if (rc) {
			mdb_txn_abort(txn);
			return rc;
		}
	}
	rc = mdb_txn_commit(txn);
	return store_map_err(rc);
bad_format:
	mdb_txn_abort(txn);
	return STORE_EDAMAGED;
abort_txn:
	mdb_txn_abort(txn);
	/* data.mdb exists (store_check_perms saw it) and a failed create
	 * removes its files, so a missing named database or format mark is a
	 * damaged main page, not "no node here". */
	return rc == MDB_NOTFOUND ? STORE_EDAMAGED : store_map_err(rc);
}

static int env_try(struct store *s, unsigned flags)
{
	int rc = mdb_env_create(&s->env);
	if (rc)
		return rc;
	if ((rc = mdb_env_set_maxdbs(s->env, DB_COUNT)) ||
	    (rc = mdb_env_set_mapsize(s->env, s->map_size)) ||
	    (rc = mdb_env_open(s->env, s->dbdir, flags, 0600))) {
		mdb_env_close(s->env);
		s->env = NULL;
	}
	return rc;
}

int store_env_open(struct store *s, int create)
{
	/* Default (durable) flags only.  The umask cannot make LMDB's files
	 * group- or world-readable: mode 0600 under umask 077 is 0600. */
	mode_t old = umask(077);
	int rc = env_try(s, 0);
	s->rdonly = 0;
	if (!create && (rc == EROFS || rc == EACCES)) {
		/* A read-only file system or files we may not write: open
		 * read-only so the data can still be viewed and exported.  LMDB
		 * then skips the lock file on a read-only file system. */
		rc = env_try(s, MDB_RDONLY);
		s->rdonly = rc == 0;
	}
	umask(old);
	if (rc)
		return store_map_err(rc);
	int dead = 0;
	if (!s->rdonly)
		mdb_reader_check(s->env, &dead); /* slots of readers that died */
	rc = open_dbis(s, create);
	if (rc)
		goto close_env;
	if (create)
		s->creating = 1;
	MDB_envinfo info;
	mdb_env_info(s->env, &info);
	s->map_size = info.me_mapsize;
	return STORE_OK;
close_env:
	mdb_env_close(s->env);
	s->env = NULL;
	return rc;
}

void store_env_close(struct store *s)
{
	if (s->env)
		mdb_env_close(s->env);
	s->env = NULL;
}

/* Fsync errors cannot be retried on the same file descriptors ("fsyncgate"):
 * drop the environment and open it again. */
static int env_reopen(struct store *s)
{
	store_env_close(s);
	return store_env_open(s, 0);
}

/* Only called between transactions: a store handle has no other one open
 * (not thread-safe, one handle per process), as mdb_env_set_mapsize needs. */
static int map_grow(struct store *s)
{
	MDB_envinfo info;
	mdb_env_info(s->env, &info);
	size_t cur = info.me_mapsize;
	if (cur >= s->map_max)
		return STORE_EBUSY;
	size_t next = cur > s->map_max / 2 ? s->map_max : cur * 2;
	int rc = mdb_env_set_mapsize(s->env, next);
	if (rc)
		return store_map_err(rc) == STORE_XMAPFULL ? STORE_EBUSY : store_map_err(rc);
	s->map_size = next;
	return STORE_OK;
}

static int txn_begin(struct store *s, unsigned flags, MDB_txn **txn)
{
	/* A reopen after an I/O error failed: try again now, or keep failing. */
	if (!s->env && store_env_open(s, 0) != 0)
		return STORE_EIO;
	for (int i = 0; i < RESIZED_TRIES; i++) {
		int rc = mdb_txn_begin(s->env, NULL, flags, txn);
		if (rc == MDB_MAP_RESIZED) {
			/* Another process grew the map: adopt its size. */
			rc = mdb_env_set_mapsize(s->env, 0);
			if (rc)
				return store_map_err(rc);
			continue;
		}
		if (rc == MDB_PANIC && i == 0) {
			rc = env_reopen(s);
			if (rc)
				return rc;
			continue;
		}
		return store_map_err(rc);
	}
	return STORE_EBUSY;
}

/* LMDB reports a short write as EIO, and a write that fills the disk is
 * often short: with little space left, say "disk full", which the user can
 * act on.  (The environment was reopened either way.) */
static int disk_nearly_full(const struct store *s)
{
	struct statvfs st;
	if (statvfs(s->dbdir, &st) != 0)
		return 0;
	return (uint64_t)st.f_bavail * st.f_frsize < NEARLY_FULL;
}

static int write_txns(struct store *s, store_txn_fn fn, void *arg);

int store_write(struct store *s, store_txn_fn fn, void *arg)
{
	in_db++;
	int rc = write_txns(s, fn, arg);
	in_db--;
	return rc;
}

static int write_txns(struct store *s, store_txn_fn fn, void *arg)
{
	if (s->rdonly)
		return STORE_EROFS;
	for (;;) {
		MDB_txn *txn;
		int rc = txn_begin(s, 0, &txn);
		if (rc)
			return rc;
		/* A logged-in writer first checks that the audit head still
		 * matches the state, so its own entry cannot paper over a cut. */
		rc = s->dkey ? store_audit_check_head(s, txn) : STORE_OK;
		if (rc == 0)
			rc = fn(s, txn, arg);
		if (rc) {
			mdb_txn_abort(txn);
			if (rc != STORE_XMAPFULL)
				return rc;
			if ((rc = map_grow(s)) != 0)
				return rc;
			continue;
		}
		rc = mdb_txn_commit(txn);
		switch (rc) {
		case MDB_SUCCESS:
			s->creating = 0; /* the node is made: it has its head */
			return STORE_OK;
		case MDB_MAP_FULL:
			if ((rc = map_grow(s)) != 0)
				return rc;
			continue;
		case EIO:
		case MDB_PANIC:
			env_reopen(s);
			return disk_nearly_full(s) ? STORE_ENOSPC : STORE_EIO;
		}
		return store_map_err(rc);
	}
}

int store_read(struct store *s, store_txn_fn fn, void *arg)
{
	MDB_txn *txn;
	in_db++;
	int rc = txn_begin(s, MDB_RDONLY, &txn);
#ifdef CCHC_TEST_HOOKS
	/* Test builds: a memory fault inside a read transaction, as a damaged
	 * page gives (tests/cli/test_damage.sh checks main's handler). */
	const char *fault = getenv("CCHC_TEST_FAULT");
	if (rc == 0 && fault && strcmp(fault, "in-db") == 0)
		raise(SIGSEGV);
#endif
	if (rc == 0) {
		rc = fn(s, txn, arg);
		mdb_txn_abort(txn);
	}
	in_db--;
	return rc;
}

int store_open(const char *dir, const struct store_options *opts, struct store **out)
{
	struct store *s;
	int rc = secret_init();
	if (rc)
		return STORE_ENOMEM;
	if ((rc = store_handle_new(dir, opts, &s)) != 0)
		return rc;
	if ((rc = store_check_perms(s->dbdir)) != 0)
		goto free_s;
	in_db++;
	rc = store_env_open(s, 0);
	in_db--;
	if (rc != 0)
		goto free_s;
	*out = s;
	return STORE_OK;
free_s:
	store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	store_drop_key(s);
	store_env_close(s);
	free(s->dir);
	free(s->dbdir);
	secret_wipe(s, sizeof *s);
	free(s);
}

static int stat_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct store_stat *st = arg;
	MDB_stat ms;
	uint64_t *dst[] = {&st->records, &st->outbox, &st->audit, &st->users};
	for (int i = 0; i < 4; i++) {
		int rc = mdb_stat(txn, s->dbi[i], &ms);
		if (rc)
			return store_map_err(rc);
		*dst[i] = ms.ms_entries;
	}
	/* The users database also holds the recovery slot. */
	if (st->users)
		st->users--;
	MDB_envinfo info;
	mdb_env_info(s->env, &info);
	mdb_env_stat(s->env, &ms);
	st->map_size = info.me_mapsize;
	st->used_bytes = ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize;
	return STORE_OK;
}

int store_stat(struct store *s, struct store_stat *out)
{
	memset(out, 0, sizeof *out);
	return store_read(s, stat_fn, out);
}
