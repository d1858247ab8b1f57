/*
 * cli/cmd_distribute.c: `cchc distribute FILE... [--commune CODE]` at the
 * district: send data files (a year's periods or targets, a form version, a
 * unit list) to the enrolled communes as district-signed messages
 * (sync/datafile.c), in each commune's receipts/<commune>.ccr: the commune
 * gets them with `sync push` or by USB with `sync receipts`, and installs
 * them at its next login under its node directory, data/.
 *
 * A file is sent only if it passes `cchc form check` here (by its
 * extension); the commune checks it again before installing.  Sending the
 * same file again sends nothing new (its message id is its content's hash).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/secret.h"
#include "core/vnfmt.h"
#include "forms/forms.h"
#include "sync/sync.h"

static int usage_distribute(struct cli *c, int rc)
{
	fputs(cli_msg(c, MSG_USAGE_DISTRIBUTE), rc ? stderr : stdout);
	return rc;
}

/* Read and check one file: 0, or an exit code after a message. */
static int load_file(struct cli *c, const char *path, const char **name, uint8_t **buf,
		     size_t *len)
{
	const char *slash = strrchr(path, '/');
	*name = slash ? slash + 1 : path;
	if (!sync_file_kind(*name)) {
		cli_err(c, MSG_E_DISTRIBUTE_KIND, path);
		return EXIT_USAGE;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		cli_err(c, MSG_E_DISTRIBUTE_READ, path);
		return EXIT_NOINPUT;
	}
	*buf = malloc(SYNC_MSG_BODY_MAX + 1);
	*len = *buf ? fread(*buf, 1, SYNC_MSG_BODY_MAX + 1, f) : 0;
	int bad = !*buf || ferror(f);
	fclose(f);
	if (bad || *len > SYNC_MSG_BODY_MAX - 80) {
		cli_err(c, MSG_E_DISTRIBUTE_READ, path);
		free(*buf);
		*buf = NULL;
		return bad ? EXIT_IOERR : EXIT_DATAERR;
	}
	struct forms_sink sink = {print_problem, NULL, forms_lang(c)};
	if (forms_check_file(path, &sink) != 0) {
		cli_err(c, MSG_E_DISTRIBUTE_CHECK, path);
		free(*buf);
		*buf = NULL;
		return EXIT_DATAERR;
	}
	return 0;
}

/* Send one file to every commune of list (or only `only`). */
static int send_file(struct cli *c, const char *name, const uint8_t *buf, size_t len,
		     const struct sync_commune *list, size_t n, const char *only, const void *sk)
{
	size_t sent = 0, had = 0;
	int64_t now = vn_now();
	for (size_t i = 0; i < n; i++) {
		if (list[i].revoked_at || (only && strcmp(only, list[i].code) != 0))
			continue;
		uint8_t *msg = NULL;
		size_t mlen;
		int added = 0;
		int rc = sync_file_seal(c->conf.unit, list[i].code, name, buf, len, now, sk, &msg, &mlen);
		if (rc == 0)
			rc = sync_mail_post(c->home, list[i].code, msg, mlen, &added);
		free(msg);
		if (rc) {
			cli_err(c, MSG_E_DISTRIBUTE_SEND, name, list[i].code, sync_strerror(rc));
			return rc == SYNC_EFORMAT ? EXIT_DATAERR : EXIT_IOERR;
		}
		sent += added;
		had += !added;
	}
	if (!sent && !had) {
		cli_err(c, MSG_E_DISTRIBUTE_NOONE, only ? only : "-");
		return EXIT_DATAERR;
	}
	cli_out(c, MSG_DISTRIBUTE_DONE, name, sent, had);
	return 0;
}

int cmd_distribute(struct cli *c, int argc, char **argv)
{
	const char *only = NULL;
	int nfiles = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0)
			return usage_distribute(c, 0);
		if (strcmp(argv[i], "--commune") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (argv[i][0] == '-')
			return usage_distribute(c, EXIT_USAGE);
		else
			nfiles++;
	}
	if (!nfiles)
		return usage_distribute(c, EXIT_USAGE);
	int rc = cli_login(c, ROLE(STORE_ROLE_HUYEN) | ROLE(STORE_ROLE_QUANTRI));
	if (rc)
		return rc;
	if (c->conf.kind != NODE_DISTRICT) {
		cli_err(c, MSG_E_DISTRICT_ONLY, "distribute");
		return EXIT_USAGE;
	}
	void *sk = NULL, *pk = NULL;
	size_t sklen = 0, pklen = 0, n = 0;
	struct sync_commune *list = NULL;
	int err = store_meta_get(c->store, "sign_sk", &sk, &sklen);
	if (!err && (err = store_meta_get(c->store, "sign_pk", &pk, &pklen)) == 0 &&
	    (sklen != 64 || pklen != 32))
		err = STORE_EDAMAGED;
	if (err) {
		rc = cli_store_fail(c, err);
		goto out;
	}
	if (sync_communes_read(c->home, pk, &list, &n) != 0) {
		cli_err(c, MSG_E_DISTRIBUTE_NOONE, only ? only : "-");
		rc = EXIT_DATAERR;
		goto out;
	}
	for (int i = 1; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "--commune") == 0) {
			i++;
			continue;
		}
		const char *name;
		uint8_t *buf = NULL;
		size_t len;
		if ((rc = load_file(c, argv[i], &name, &buf, &len)) == 0)
			rc = send_file(c, name, buf, len, list, n, only, sk);
		free(buf);
	}
	if (rc == 0) {
		char audit[160];
		snprintf(audit, sizeof audit, "%d file(s) to %s", nfiles, only ? only : "all");
		store_audit_add(c->store, "distribute", audit);
	}
out:
	free(list);
	secret_free(sk);
	secret_free(pk);
	return rc;
}
