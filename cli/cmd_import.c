/*
 * cli/cmd_import.c: `cchc import [FILE|DIR...]` on a district node, by a
 * logged-in district user (role huyen): the district's X25519 secret key
 * opens the batches, its signing key signs the receipts.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli_sync.h"
#include "core/secret.h"
#include "sync/sync.h"

struct files {
	char **v;
	size_t n, cap;
};

static int add(struct files *f, const char *path)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		char **nv = realloc(f->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		f->v = nv, f->cap = cap;
	}
	if (!(f->v[f->n] = strdup(path)))
		return -1;
	f->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory stands for its *.ccb files (a USB stick from `sync export`). */
static int expand(struct files *f, const char *arg)
{
	struct stat st;
	if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode))
		return add(f, arg);
	DIR *d = opendir(arg);
	if (!d)
		return add(f, arg);
	struct dirent *de;
	size_t first = f->n;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 4, ".ccb") != 0 || de->d_name[0] == '.')
			continue;
		char p[4400];
		snprintf(p, sizeof p, "%s/%s", arg, de->d_name);
		if (add(f, p) != 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	qsort(f->v + first, f->n - first, sizeof *f->v, cmp_str);
	return 0;
}

static void line(void *arg, const struct sync_import_line *l)
{
	struct cli *c = arg;
	unsigned long long no = (unsigned long long)l->batch_no;
	switch (l->outcome) {
	case SYNC_IMPORTED: cli_out(c, MSG_IMPORT_OK, l->commune, no, l->records); break;
	case SYNC_DUPLICATE: cli_out(c, MSG_IMPORT_DUP, l->commune, no); break;
	case SYNC_WAITING:
		cli_out(c, MSG_IMPORT_WAIT, l->commune, no, (unsigned long long)l->waiting_for);
		break;
	case SYNC_CONFLICT:
		cli_out(c, l->kept_before ? MSG_IMPORT_CONFLICT_KEPT : MSG_IMPORT_CONFLICT, l->commune,
			no);
		break;
	default: {
		char who[64];
		if (l->commune[0])
			snprintf(who, sizeof who, "%s #%llu", l->commune, no);
		cli_out(c, MSG_IMPORT_REJECTED, l->commune[0] ? who : (l->file ? l->file : "?"),
			cli_sync_reason(c, l->err));
	}
	}
	fflush(stdout);
}

static int meta_key(struct cli *c, const char *name, size_t len, uint8_t **out)
{
	void *v;
	size_t n;
	int err = store_meta_get(c->store, name, &v, &n);
	if (err)
		return cli_store_fail(c, err);
	if (n != len) {
		secret_free(v);
		return cli_store_fail(c, STORE_EDAMAGED);
	}
	*out = v;
	return 0;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		fputs(cli_msg(c, MSG_USAGE_IMPORT), stdout);
		return 0;
	}
	struct files f = {0};
	uint8_t *sign_sk = NULL, *box_sk = NULL, *box_pk = NULL;
	int rc = EXIT_SOFTWARE;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-') {
			fputs(cli_msg(c, MSG_USAGE_IMPORT), stderr);
			rc = EXIT_USAGE;
			goto out;
		}
		if (expand(&f, argv[i]) != 0)
			goto out;
	}
	if ((rc = cli_login(c, ROLE(STORE_ROLE_HUYEN))))
		goto out;
	if (c->conf.kind != NODE_DISTRICT) {
		cli_err(c, MSG_E_DISTRICT_ONLY, "import");
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = meta_key(c, "sign_sk", 64, &sign_sk)) || (rc = meta_key(c, "box_sk", 32, &box_sk)) ||
	    (rc = meta_key(c, "box_pk", 32, &box_pk)))
		goto out;
	struct sync_import_opts o = {c->home, c->conf.unit, sign_sk + 32, sign_sk, box_pk, box_sk,
				     line, c};
	struct sync_import_summary sum;
	int err = sync_import(c->store, &o, f.v, f.n, &sum);
	if (err == SYNC_EBUSY) {
		cli_err(c, MSG_E_IMPORT_BUSY);
		rc = EXIT_TEMPFAIL;
		goto out;
	}
	if (err == SYNC_EKEY) {
		cli_err(c, MSG_E_NO_COMMUNES, c->home);
		rc = EXIT_CONFIG;
		goto out;
	}
	cli_out(c, MSG_IMPORT_SUMMARY, sum.imported, sum.records, sum.duplicate, sum.waiting,
		sum.rejected, sum.conflict);
	if (sum.imported || sum.duplicate)
		cli_out(c, MSG_IMPORT_RECEIPTS, c->home);
	if (sum.conflict)
		cli_out(c, MSG_IMPORT_CONFLICT_NOTE, sum.conflict, c->home);
	rc = err == 0 ? 0 : err == SYNC_EREFUSED ? EXIT_DATAERR
		       : err == SYNC_ESTORE	 ? cli_store_fail(c, STORE_EIO)
						 : EXIT_IOERR;
out:
	secret_free(sign_sk);
	secret_free(box_sk);
	secret_free(box_pk);
	for (size_t i = 0; i < f.n; i++)
		free(f.v[i]);
	free(f.v);
	return rc;
}
