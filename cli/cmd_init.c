/*
 * cli/cmd_init.c: `cchc init commune|district`: create a node.
 *
 * A node is created whole or not at all: the database (with the admin's key
 * slot and the recovery slot), the node's keys (sealed in the database), its
 * identity file, and node.conf, written last, which marks the directory as a
 * node.  On a failure the partial database is removed again.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_sync.h"
#include "core/secret.h"
#include "forms/forms.h"

static int usage_init(struct cli *c, int rc)
{
	fputs(cli_msg(c, MSG_USAGE_INIT), rc ? stderr : stdout);
	fputs(cli_msg(c, MSG_USAGE_INIT_UNITS), rc ? stderr : stdout);
	return rc;
}

/* The node's unit (see cli/unit_pick.c): of the node's tier, valid on
 * --on DATE or today, on --units LIST or the one list that has it. */
static int init_unit(struct cli *c, int tier, const char *unit, const char *list, const char *on,
		     const struct forms_unit **out)
{
	struct vn_date day = cli_today();
	if (!on && getenv("CCHC_INIT_ON") && *getenv("CCHC_INIT_ON"))
		on = getenv("CCHC_INIT_ON"); /* the default for --on (tests, the 2021 demo) */
	int rc = on ? cli_date_opt(c, on, &day) : 0;
	if (rc)
		return rc;
	if ((rc = cli_forms(c)) != 0)
		return rc;
	return cli_pick_unit(c, unit, list, day, tier, out);
}

static int mkdir_private(const char *path)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return -1;
	return chmod(path, 0700);
}

#define INIT_MARK ".init-incomplete"

/* What an init that did not finish (an error, a crash, a power cut) left
 * behind; node.conf is written last, so a node without it is incomplete. */
static void remove_partial(struct cli *c)
{
	static const char *const files[] = {"db/data.mdb", "db/lock.mdb", "keys/node.id",
					    "keys/district.id", "node.conf.tmp", INIT_MARK,
					    "keys/receiver.key", "communes.list"};
	char p[4200];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		node_path(c, files[i], p, sizeof p);
		unlink(p);
	}
	node_path(c, "db", p, sizeof p);
	rmdir(p);
	node_path(c, "keys", p, sizeof p);
	rmdir(p);
}

/* The absolute path of path, which may not exist yet: its directory is
 * resolved (links followed) and its last name kept.  0 ok, -1 not. */
static int abs_path(const char *path, char out[PATH_MAX])
{
	char dir[PATH_MAX], real[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : dir;
	if (slash == dir)
		snprintf(real, sizeof real, "/");
	else if (slash) {
		*slash = '\0';
		if (!realpath(dir, real))
			return -1;
	} else if (!realpath(".", real))
		return -1;
	if ((size_t)snprintf(out, PATH_MAX, "%s/%s", strcmp(real, "/") ? real : "", base) >= PATH_MAX)
		return -1;
	return 0;
}

/* 1 when path would be inside the node directory (where a thief of the PC
 * would find it next to the database it opens). */
static int inside_home(const struct cli *c, const char *path)
{
	char home[PATH_MAX], file[PATH_MAX];
	if (abs_path(c->home, home) != 0 || abs_path(path, file) != 0)
		return 1; /* cannot tell: do not risk it */
	size_t n = strlen(home);
	return strncmp(file, home, n) == 0 && (file[n] == '\0' || file[n] == '/');
}

static int write_recovery(struct cli *c, const char *recovery, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%s\n%s\n", cli_msg(c, MSG_RECOVERY_FILE_HEAD), recovery);
	int bad = write(fd, buf, (size_t)n) != n || fsync(fd) != 0;
	bad |= close(fd) != 0;
	return bad ? -1 : 0;
}

int cmd_init(struct cli *c, int argc, char **argv)
{
	const char *unit = NULL, *dkey = NULL, *admin = NULL, *fpgiven = NULL, *rfile = NULL;
	const char *ulist = NULL, *on = NULL;
	if (argc < 2)
		return usage_init(c, EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0)
		return usage_init(c, 0);
	int province = strcmp(argv[1], "province") == 0;
	enum node_kind kind = strcmp(argv[1], "commune") == 0			  ? NODE_COMMUNE
			      : strcmp(argv[1], "district") == 0 || province ? NODE_DISTRICT
									      : NODE_NONE;
	if (kind == NODE_NONE) {
		cli_err(c, MSG_E_INIT_KIND, argv[1]);
		return usage_init(c, EXIT_USAGE);
	}
	for (int i = 2; i < argc; i++) {
		const char **dst = strcmp(argv[i], "--unit") == 0	   ? &unit
				   : strcmp(argv[i], "--district-key") == 0 ? &dkey
				   : strcmp(argv[i], "--admin") == 0	   ? &admin
				   : strcmp(argv[i], "--fingerprint") == 0  ? &fpgiven
				   : strcmp(argv[i], "--recovery-file") == 0 ? &rfile
				   : strcmp(argv[i], "--units") == 0	   ? &ulist
				   : strcmp(argv[i], "--on") == 0	   ? &on
									    : NULL;
		if (!dst || i + 1 >= argc) {
			cli_err(c, MSG_E_BAD_ARG, argv[i]);
			return usage_init(c, EXIT_USAGE);
		}
		*dst = argv[++i];
	}
	if (!unit || !admin || (kind == NODE_COMMUNE && !dkey)) {
		cli_err(c, MSG_E_INIT_MISSING);
		return usage_init(c, EXIT_USAGE);
	}
	const struct forms_unit *u = NULL;
	int tier = kind == NODE_COMMUNE ? FORMS_TIER_COMMUNE
		   : province		? FORMS_TIER_PROVINCE
					: FORMS_TIER_DISTRICT;
	int rc = init_unit(c, tier, unit, ulist, on, &u);
	if (rc)
		return rc;
	char conf[4200], mark[4200];
	node_path(c, "node.conf", conf, sizeof conf);
	node_path(c, INIT_MARK, mark, sizeof mark);
	if (access(conf, F_OK) == 0) {
		cli_err(c, MSG_E_NODE_EXISTS, c->home);
		return EXIT_CANTCREAT;
	}
	if (access(mark, F_OK) == 0) {
		/* An earlier init stopped half way: nothing of it was usable. */
		cli_err(c, MSG_INIT_RESUMED, c->home);
		remove_partial(c);
	}
	if (rfile && (access(rfile, F_OK) == 0 || inside_home(c, rfile))) {
		cli_err(c, access(rfile, F_OK) == 0 ? MSG_E_RECOVERY_EXISTS : MSG_E_RECOVERY_INSIDE,
			rfile);
		return EXIT_USAGE;
	}

	struct identity district;
	memset(&district, 0, sizeof district);
	char fp[36];
	if (kind == NODE_COMMUNE) {
		rc = identity_read(c, dkey, &district);
		if (rc)
			return rc;
		if (district.kind != NODE_DISTRICT ||
		    strcmp(district.unit, forms_unit_parent(u)) != 0) {
			cli_err(c, MSG_E_WRONG_AGGREGATOR, dkey, district.unit, forms_unit_parent(u),
				forms_unit_name(u), forms_unit_list_version(u));
			return EXIT_DATAERR;
		}
		identity_fingerprint(&district, fp);
		cli_out(c, MSG_DISTRICT_FP, district.name, district.unit, fp);
		rc = cli_confirm_fingerprint(c, fp, fpgiven, district.name, MSG_E_FP_MISMATCH,
					     MSG_E_FP_REFUSED);
		if (rc)
			return rc;
	}

	char pw[CLI_PASSWORD_BUF];
	rc = cli_password(c, MSG_PROMPT_NEW_PASSWORD, 1, pw, sizeof pw);
	if (rc)
		return rc;
	int markfd = -1;
	if (mkdir_private(c->home) != 0 ||
	    (markfd = open(mark, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		cli_err(c, MSG_E_MKDIR, c->home, strerror(errno));
		return EXIT_CANTCREAT;
	}
	close(markfd);
	char recovery[STORE_RECOVERY_BUF];
	int err = store_create(c->home, admin, pw, NULL, recovery, &c->store);
	secret_wipe(pw, sizeof pw);
	if (err) {
		unlink(mark);
		return cli_store_fail(c, err);
	}

	/* Keys: sealed in the database; the public half goes to node.id. */
	struct identity me;
	memset(&me, 0, sizeof me);
	me.kind = kind;
	snprintf(me.unit, sizeof me.unit, "%s", unit);
	snprintf(me.name, sizeof me.name, "%s", forms_unit_name(u));
	unsigned char *sk = secret_alloc(SECRET_SIGN_SK + 32);
	char keys[4200], path[4200];
	if (!sk)
		goto fail_nomem;
	secret_sign_keypair(me.sign_pk, sk);
	err = store_meta_put(c->store, "sign_sk", sk, SECRET_SIGN_SK);
	if (!err)
		err = store_meta_put(c->store, "sign_pk", me.sign_pk, 32);
	if (!err && kind == NODE_DISTRICT) {
		secret_box_keypair(me.box_pk, sk + SECRET_SIGN_SK);
		me.has_box = 1;
		err = store_meta_put(c->store, "box_sk", sk + SECRET_SIGN_SK, 32);
		if (!err)
			err = store_meta_put(c->store, "box_pk", me.box_pk, 32);
	}
	if (!err && kind == NODE_COMMUNE) {
		err = store_meta_put(c->store, "district_sign_pk", district.sign_pk, 32);
		if (!err)
			err = store_meta_put(c->store, "district_box_pk", district.box_pk, 32);
	}
	if (err)
		goto fail_store;
	node_path(c, "keys", keys, sizeof keys);
	node_path(c, "keys/node.id", path, sizeof path);
	if (mkdir_private(keys) != 0 || identity_write(path, &me, sk) != 0)
		goto fail_io;
	if (kind == NODE_COMMUNE) {
		node_path(c, "keys/district.id", path, sizeof path);
		/* Keep the district's own signed file as received. */
		FILE *in = fopen(dkey, "rb");
		FILE *out = in ? fopen(path, "wb") : NULL;
		char buf[4096];
		size_t n = in ? fread(buf, 1, sizeof buf, in) : 0;
		int bad = !out || fwrite(buf, 1, n, out) != n;
		if (in)
			fclose(in);
		if (out)
			bad |= fclose(out) != 0;
		chmod(path, 0600);
		if (bad)
			goto fail_io;
	}
	if (rfile && write_recovery(c, recovery, rfile) != 0)
		goto fail_io;

	memset(&c->conf, 0, sizeof c->conf);
	c->conf.kind = kind;
	c->conf.level = province ? NODE_LEVEL_PROVINCE : NODE_LEVEL_DISTRICT;
	snprintf(c->conf.unit, sizeof c->conf.unit, "%s", unit);
	snprintf(c->conf.unit_list, sizeof c->conf.unit_list, "%s", forms_unit_list_version(u));
	snprintf(c->conf.district, sizeof c->conf.district, "%s",
		 kind == NODE_DISTRICT ? unit : forms_unit_parent(u));
	snprintf(c->conf.server, sizeof c->conf.server, "http://127.0.0.1:8750");
	/* The receiver's key and the (empty) signed list of enrolled communes,
	 * so that `cchc serve` starts without a password. */
	if (kind == NODE_DISTRICT && (rc = cli_sync_publish_communes(c, NULL, 0)) != 0)
		goto undo;
	if (node_conf_save(c) != 0)
		goto fail_io;
	unlink(mark);
	store_audit_add(c->store, "init", forms_unit_name(u));
	secret_free(sk);

	identity_fingerprint(&me, fp);
	cli_out(c, MSG_INIT_DONE, forms_unit_name(u), c->home, admin, fp);
	cli_out(c, MSG_RECOVERY_SHOW, recovery);
	if (rfile)
		cli_out(c, MSG_RECOVERY_WRITTEN, rfile);
	secret_wipe(recovery, sizeof recovery);
	return 0;

fail_io:
	cli_err(c, MSG_E_WRITE_NODE, c->home, strerror(errno));
	rc = EXIT_CANTCREAT;
	goto undo;
fail_store:
	rc = cli_store_fail(c, err);
	goto undo;
fail_nomem:
	cli_err(c, MSG_E_NOMEM);
	rc = EXIT_SOFTWARE;
undo:
	secret_free(sk);
	store_close(c->store);
	c->store = NULL;
	remove_partial(c);
	return rc;
}
