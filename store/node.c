/*
 * store/node.c: making a node.  Everything a node starts with (format tag,
 * node salt, audit key pair, the first user, the recovery slot and the
 * first audit entries) is written in one transaction: a node either exists
 * whole or not at all.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/vnfmt.h"
#include "store/store_int.h"

#define FORMAT "cchc-node-1"

struct init_op {
	uint8_t admin_id[STORE_ID_BYTES];
	struct store_slot admin;
	uint8_t rk[SECRET_KEY_BYTES];
	int64_t now;
};

static int init_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct init_op *op = arg;
	int rc;
	if ((rc = store_pub_put(s, txn, "format", FORMAT, strlen(FORMAT))) ||
	    (rc = store_pub_put(s, txn, "salt", s->salt, sizeof s->salt)) ||
	    (rc = store_pub_put(s, txn, "audit-pk", s->audit_pk, sizeof s->audit_pk)) ||
	    (rc = store_meta_put_txn(s, txn, ".audit-sk", s->audit_sk, 32)) ||
	    (rc = store_slot_put(s, txn, op->admin_id, &op->admin, MDB_NOOVERWRITE)) ||
	    (rc = store_recovery_make(s, txn, op->rk)))
		return rc;
	struct store_audit a = {.at = op->now};
	snprintf(a.user, sizeof a.user, "%s", s->who.name);
	snprintf(a.action, sizeof a.action, "node-create");
	if ((rc = store_audit_append(s, txn, &a)))
		return rc;
	snprintf(a.action, sizeof a.action, "user-add");
	snprintf(a.detail, sizeof a.detail, "%s", s->who.name);
	return store_audit_append(s, txn, &a);
}

/* dir (if missing) and dir/db, 0700 whatever the umask; an existing
 * database is STORE_EEXIST. */
static int make_dirs(struct store *s)
{
	char path[4096];
	struct stat st;
	mode_t old = umask(077);
	int rc = STORE_OK;
	if (mkdir(s->dir, 0700) != 0 && errno != EEXIST)
		rc = store_map_err(errno) == STORE_ENONODE ? STORE_EINVAL : store_map_err(errno);
	else if (mkdir(s->dbdir, 0700) != 0 && errno != EEXIST)
		rc = store_map_err(errno);
	umask(old);
	if (rc)
		return rc;
	if ((size_t)snprintf(path, sizeof path, "%s/data.mdb", s->dbdir) >= sizeof path)
		return STORE_EINVAL;
	if (stat(path, &st) == 0)
		return STORE_EEXIST;
	if (chmod(s->dbdir, 0700) != 0)
		return store_map_err(errno);
	return STORE_OK;
}

/* A failed create leaves no half node behind (data.mdb would make the next
 * create say STORE_EEXIST and open say STORE_ENONODE). */
static void remove_files(const struct store *s)
{
	char path[4096];
	static const char *const files[] = {"data.mdb", "lock.mdb"};
	for (size_t i = 0; i < 2; i++)
		if ((size_t)snprintf(path, sizeof path, "%s/%s", s->dbdir, files[i]) < sizeof path)
			unlink(path);
}

int store_create(const char *dir, const char *admin, const char *password,
		 const struct store_options *opts, char recovery[STORE_RECOVERY_BUF],
		 struct store **out)
{
	struct store *s;
	struct init_op op = {.now = 0};
	uint8_t dkey[SECRET_KEY_BYTES];
	int rc;
	if (!store_name_ok(admin) || !password || !*password)
		return STORE_EINVAL;
	if (secret_init() != 0)
		return STORE_ENOMEM;
	if ((rc = store_handle_new(dir, opts, &s)))
		return rc;
	if ((rc = make_dirs(s)))
		goto close_store;
	if ((rc = store_env_open(s, 1)))
		goto close_store;
	/* The keys, in guarded memory from here on. */
	s->dkey = secret_alloc(SECRET_KEY_BYTES);
	s->audit_sk = secret_alloc(32);
	if (!s->dkey || !s->audit_sk) {
		rc = STORE_ENOMEM;
		goto remove_files;
	}
	secret_random(dkey, sizeof dkey);
	memcpy(s->dkey, dkey, sizeof dkey);
	secret_wipe(dkey, sizeof dkey);
	secret_random(s->salt, sizeof s->salt);
	secret_box_keypair(s->audit_pk, s->audit_sk);
	secret_random(op.rk, sizeof op.rk);
	op.now = vn_now();
	snprintf(s->who.name, sizeof s->who.name, "%s", admin);
	s->who.role = STORE_ROLE_QUANTRI;
	s->who.created_at = op.now;
	store_slot_id(s, admin, op.admin_id);
	if ((rc = store_slot_make_user(s, op.admin_id, password, &op.admin)) ||
	    (rc = store_profile_seal(s, op.admin_id, &s->who, &op.admin)) ||
	    (rc = store_write(s, init_fn, &op)))
		goto remove_files;
	store_recovery_text(op.rk, recovery);
	secret_wipe(&op, sizeof op);
	*out = s;
	return STORE_OK;
remove_files:
	remove_files(s);
close_store:
	secret_wipe(&op, sizeof op);
	store_close(s);
	return rc;
}
