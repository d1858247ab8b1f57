/*
 * cli/cmd_key.c: `cchc key show|export`, `cchc enroll FILE`, `cchc revoke CODE`.
 *
 * Enrolled communes live in the district's database as sealed meta values
 * "commune:<code>" (sign key, name, enrolment and revocation times), with
 * "communes" listing the codes, so the receiver and import (sync issue) can
 * check a batch's signer with public keys only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_sync.h"
#include "core/secret.h"
#include "core/vnfmt.h"
#include "forms/forms.h"
#include "sync/sync.h"

static int read_node_identity(struct cli *c, struct identity *id)
{
	int rc = node_conf_load(c);
	if (rc)
		return rc;
	char path[4200];
	node_path(c, "keys/node.id", path, sizeof path);
	return identity_read(c, path, id);
}

int cmd_key(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs(cli_msg(c, MSG_USAGE_KEY), argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	struct identity id;
	char fp[36];
	if (strcmp(argv[1], "show") == 0 && argc == 2) {
		int rc = read_node_identity(c, &id);
		if (rc)
			return rc;
		identity_fingerprint(&id, fp);
		cli_out(c, MSG_KEY_SHOW, id.name, id.unit,
			cli_msg(c, id.kind != NODE_DISTRICT		    ? MSG_KIND_COMMUNE
				   : c->conf.level == NODE_LEVEL_PROVINCE ? MSG_KIND_PROVINCE
									   : MSG_KIND_DISTRICT),
			fp);
		return 0;
	}
	if (strcmp(argv[1], "export") == 0 && argc == 3) {
		int rc = read_node_identity(c, &id);
		if (rc)
			return rc;
		char path[4200];
		node_path(c, "keys/node.id", path, sizeof path);
		FILE *in = fopen(path, "rb"), *out = fopen(argv[2], "wb");
		char buf[4096];
		size_t n = in ? fread(buf, 1, sizeof buf, in) : 0;
		int bad = !in || !out || fwrite(buf, 1, n, out) != n;
		if (in)
			fclose(in);
		if (out)
			bad |= fclose(out) != 0;
		if (bad) {
			cli_err(c, MSG_E_WRITE_FILE, argv[2]);
			return EXIT_CANTCREAT;
		}
		identity_fingerprint(&id, fp);
		cli_out(c, MSG_KEY_EXPORTED, argv[2], fp);
		return 0;
	}
	fputs(cli_msg(c, MSG_USAGE_KEY), stderr);
	return EXIT_USAGE;
}

/* Enrolment record, sealed in meta: "<b64 sign key>\n<enrolled>\n<revoked>\n<name>". */
struct enrolled {
	unsigned char sign_pk[32];
	long long enrolled_at, revoked_at;
	char name[128];
};

static int enrolled_get(struct cli *c, const char *code, struct enrolled *e)
{
	char name[64];
	snprintf(name, sizeof name, "commune:%s", code);
	void *val;
	size_t len;
	int err = store_meta_get(c->store, name, &val, &len);
	if (err)
		return err;
	char text[512];
	size_t n = len < sizeof text - 1 ? len : sizeof text - 1;
	memcpy(text, val, n);
	text[n] = '\0';
	secret_free(val);
	char b64[64];
	size_t klen;
	memset(e, 0, sizeof *e);
	if (sscanf(text, "%63s\n%lld\n%lld\n", b64, &e->enrolled_at, &e->revoked_at) != 3 ||
	    secret_unbase64(b64, e->sign_pk, 32, &klen) || klen != 32)
		return STORE_EDAMAGED;
	const char *nm = text;
	for (int i = 0; i < 3 && nm; i++)
		nm = strchr(nm, '\n'), nm = nm ? nm + 1 : NULL;
	snprintf(e->name, sizeof e->name, "%s", nm ? nm : "");
	return 0;
}

static int enrolled_put(struct cli *c, const char *code, const struct enrolled *e)
{
	char name[64], b64[SECRET_B64_LEN(32)], text[512];
	snprintf(name, sizeof name, "commune:%s", code);
	secret_base64(e->sign_pk, 32, b64);
	int n = snprintf(text, sizeof text, "%s\n%lld\n%lld\n%s", b64, e->enrolled_at,
			 e->revoked_at, e->name);
	int err = store_meta_put(c->store, name, text, (size_t)n);
	if (err)
		return err;
	/* The list of enrolled codes, for `status` and the receiver. */
	void *val = NULL;
	size_t len = 0;
	char list[4096] = "";
	if (store_meta_get(c->store, "communes", &val, &len) == 0) {
		size_t k = len < sizeof list - 1 ? len : sizeof list - 1;
		memcpy(list, val, k);
		list[k] = '\0';
		secret_free(val);
	}
	char needle[32];
	snprintf(needle, sizeof needle, "%s\n", code);
	if (strstr(list, needle))
		return 0;
	strncat(list, needle, sizeof list - strlen(list) - 1);
	return store_meta_put(c->store, "communes", list, strlen(list));
}

/* Publish the enrolled communes as the signed communes.list that the
 * receiver and import read with public keys only (sync/keys.c). */
static int publish(struct cli *c)
{
	void *val = NULL;
	size_t len = 0, n = 0;
	char list[4096] = "";
	int err = store_meta_get(c->store, "communes", &val, &len);
	if (err && err != STORE_ENOTFOUND)
		return cli_store_fail(c, err);
	if (!err) {
		size_t k = len < sizeof list - 1 ? len : sizeof list - 1;
		memcpy(list, val, k);
		list[k] = '\0';
		secret_free(val);
	}
	struct sync_commune out[256];
	for (char *p = list, *nl; *p && n < 256; p = nl + 1) {
		if (!(nl = strchr(p, '\n')))
			break;
		*nl = '\0';
		struct enrolled e;
		if ((err = enrolled_get(c, p, &e)))
			return cli_store_fail(c, err);
		memset(&out[n], 0, sizeof out[n]);
		if (strlen(p) >= sizeof out[n].code)
			return cli_store_fail(c, STORE_EDAMAGED);
		memcpy(out[n].code, p, strlen(p) + 1);
		memcpy(out[n].sign_pk, e.sign_pk, 32);
		out[n].enrolled_at = e.enrolled_at;
		out[n].revoked_at = e.revoked_at;
		n++;
	}
	return cli_sync_publish_communes(c, out, n);
}

static const struct cli_opt enroll_opts[] = {
	{"replace", 0, MSG_OPT_ARG_NUMBER, MSG_OPT_ENROLL_REPLACE},
	{"fingerprint", 1, MSG_OPT_ARG_NUMBER, MSG_OPT_ENROLL_FP},
	{"help", 0, MSG_OPT_ARG_NUMBER, MSG_OPT_HELP},
	{NULL, 0, MSG_OPT_ARG_NUMBER, MSG_OPT_HELP},
};
enum { ENROLL_REPLACE, ENROLL_FP, ENROLL_HELP, ENROLL_NOPTS };

static int usage_enroll(struct cli *c, int rc)
{
	FILE *f = rc ? stderr : stdout;
	fputs(cli_msg(c, MSG_USAGE_ENROLL), f);
	cli_opts_help(c, enroll_opts, f);
	return rc;
}

int cmd_enroll(struct cli *c, int argc, char **argv)
{
	const char *v[ENROLL_NOPTS];
	int first;
	if (cli_opts_parse(c, enroll_opts, 1, argc, argv, v, &first) != 0)
		return usage_enroll(c, EXIT_USAGE);
	if (v[ENROLL_HELP])
		return usage_enroll(c, 0);
	if (first != argc - 1)
		return usage_enroll(c, EXIT_USAGE);
	int replace = v[ENROLL_REPLACE] != NULL;
	const char *file = argv[first], *fpgiven = v[ENROLL_FP];
	int rc = cli_login(c, ROLE(STORE_ROLE_QUANTRI));
	if (rc)
		return rc;
	if (c->conf.kind != NODE_DISTRICT) {
		cli_err(c, MSG_E_DISTRICT_ONLY, "enroll");
		return EXIT_USAGE;
	}
	struct identity id;
	rc = identity_read(c, file, &id);
	if (rc)
		return rc;
	rc = cli_forms(c);
	if (rc)
		return rc;
	const struct forms_unit *u = forms_unit_find(c->forms, id.unit, c->conf.unit_list);
	if (id.kind != NODE_COMMUNE || !u || strcmp(forms_unit_parent(u), c->conf.unit) != 0) {
		cli_err(c, MSG_E_NOT_OUR_COMMUNE, file, id.unit, cli_level_word(c), c->conf.unit_list);
		return EXIT_DATAERR;
	}
	char fp[36];
	identity_fingerprint(&id, fp);
	/* Checked before anything is written: a commune's key is trusted only
	 * once its fingerprint matches the one the commune reads out. */
	cli_out(c, MSG_ENROLL_FP, forms_unit_name(u), id.unit, fp);
	rc = cli_confirm_fingerprint(c, fp, fpgiven, forms_unit_name(u), MSG_E_FP_MISMATCH_ENROLL,
				     MSG_E_FP_REFUSED_ENROLL);
	if (rc)
		return rc;
	struct enrolled old, e;
	int err = enrolled_get(c, id.unit, &old);
	if (err == 0 && memcmp(old.sign_pk, id.sign_pk, 32) != 0 && !replace) {
		cli_err(c, MSG_E_ENROLLED_OTHER_KEY, id.unit, forms_unit_name(u));
		return EXIT_DATAERR;
	}
	/* A revoked key stays revoked: enrolling the same identity file again
	 * must not quietly undo a revocation (a stolen PC's key, say).  The
	 * commune comes back with a new key, and --replace. */
	if (err == 0 && old.revoked_at && memcmp(old.sign_pk, id.sign_pk, 32) == 0) {
		cli_err(c, MSG_E_ENROLL_REVOKED_KEY, id.unit, forms_unit_name(u));
		return EXIT_DATAERR;
	}
	if (err && err != STORE_ENOTFOUND)
		return cli_store_fail(c, err);
	memset(&e, 0, sizeof e);
	memcpy(e.sign_pk, id.sign_pk, 32);
	e.enrolled_at = vn_now();
	snprintf(e.name, sizeof e.name, "%s", forms_unit_name(u));
	err = enrolled_put(c, id.unit, &e);
	if (err)
		return cli_store_fail(c, err);
	if ((rc = publish(c)))
		return rc;
	char detail[160];
	snprintf(detail, sizeof detail, "%s %s", id.unit, fp);
	store_audit_add(c->store, "enroll", detail);
	cli_out(c, MSG_ENROLLED, forms_unit_name(u), id.unit, fp);
	return 0;
}

int cmd_revoke(struct cli *c, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		fputs(cli_msg(c, MSG_USAGE_REVOKE), stdout);
		return 0;
	}
	if (argc != 2) {
		fputs(cli_msg(c, MSG_USAGE_REVOKE), stderr);
		return EXIT_USAGE;
	}
	int rc = cli_login(c, ROLE(STORE_ROLE_QUANTRI));
	if (rc)
		return rc;
	if (c->conf.kind != NODE_DISTRICT) {
		cli_err(c, MSG_E_DISTRICT_ONLY, "revoke");
		return EXIT_USAGE;
	}
	struct enrolled e;
	int err = enrolled_get(c, argv[1], &e);
	if (err == STORE_ENOTFOUND) {
		cli_err(c, MSG_E_NOT_ENROLLED, argv[1]);
		return EXIT_DATAERR;
	}
	if (err)
		return cli_store_fail(c, err);
	if (!e.revoked_at) {
		e.revoked_at = vn_now();
		err = enrolled_put(c, argv[1], &e);
		if (err)
			return cli_store_fail(c, err);
		store_audit_add(c->store, "revoke", argv[1]);
	}
	if ((rc = publish(c)))
		return rc;
	char when[VN_TIME_BUF];
	vn_time_format(e.revoked_at, when);
	cli_out(c, MSG_REVOKED, e.name, argv[1], when);
	return 0;
}
