/*
 * cli/cmd_user.c: `cchc user add|passwd|list|lock|unlock`.
 *
 * Only an administrator (quantri) manages users; anyone may change their
 * own password with `user passwd` (no NAME).  Roles must fit the node:
 * canbo, lanhdao, quantri on a commune node; huyen, quantri on a district.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/secret.h"
#include "core/text.h"
#include "core/vnfmt.h"

static int usage_user(struct cli *c, int rc)
{
	fputs(cli_msg(c, MSG_USAGE_USER), rc ? stderr : stdout);
	return rc;
}

static int role_fits(const struct cli *c, int role)
{
	if (role == STORE_ROLE_QUANTRI)
		return 1;
	if (c->conf.kind == NODE_DISTRICT)
		return role == STORE_ROLE_HUYEN;
	return role == STORE_ROLE_CANBO || role == STORE_ROLE_LANHDAO;
}

static int valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= STORE_NAME_MAX || utf8_validate(name, n) != 0)
		return 0;
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == ':')
			return 0;
	return 1;
}

static int user_add(struct cli *c, int argc, char **argv)
{
	const char *name = NULL, *roles = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			roles = argv[++i];
		else if (!name && argv[i][0] != '-')
			name = argv[i];
		else
			return usage_user(c, EXIT_USAGE);
	}
	if (!name || !roles)
		return usage_user(c, EXIT_USAGE);
	int role = role_parse(roles);
	if (role < 0) {
		cli_err(c, MSG_E_BAD_ROLE, roles);
		return EXIT_USAGE;
	}
	if (!valid_name(name)) {
		cli_err(c, MSG_E_BAD_USERNAME, name);
		return EXIT_USAGE;
	}
	int rc = cli_login(c, ROLE(STORE_ROLE_QUANTRI));
	if (rc)
		return rc;
	if (!role_fits(c, role)) {
		cli_err(c, MSG_E_ROLE_NODE, roles);
		return EXIT_USAGE;
	}
	char *nfc;
	if (text_nfc(name, strlen(name), &nfc, NULL) != 0)
		return EXIT_SOFTWARE;
	char pw[CLI_PASSWORD_BUF];
	rc = cli_password(c, MSG_PROMPT_USER_PASSWORD, 1, pw, sizeof pw);
	if (rc) {
		free(nfc);
		return rc;
	}
	int err = store_user_add(c->store, nfc, role, pw);
	secret_wipe(pw, sizeof pw);
	if (err == STORE_EEXIST) {
		cli_err(c, MSG_E_USER_EXISTS, nfc);
		free(nfc);
		return EXIT_DATAERR;
	}
	if (err) {
		free(nfc);
		return cli_store_fail(c, err);
	}
	cli_out(c, MSG_USER_ADDED, nfc, role_label(c, role));
	free(nfc);
	return 0;
}

/* `--recovery`: log in with the recovery key printed at init instead of a
 * user's password, for when every administrator password is lost. */
static int login_recovery(struct cli *c)
{
	int rc = cli_open(c);
	if (rc)
		return rc;
	char key[CLI_PASSWORD_BUF];
	rc = cli_password(c, MSG_PROMPT_RECOVERY, 0, key, sizeof key);
	if (rc)
		return rc;
	int err = store_login_recovery(c->store, key);
	secret_wipe(key, sizeof key);
	if (err == STORE_EPASSWORD) {
		cli_err(c, MSG_E_RECOVERY_KEY);
		return EXIT_NOPERM;
	}
	return err ? cli_store_fail(c, err) : 0;
}

static int take_recovery(int *argc, char **argv)
{
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--recovery") == 0) {
			memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof *argv);
			(*argc)--;
			return 1;
		}
	}
	return 0;
}

static int user_passwd(struct cli *c, int argc, char **argv)
{
	int recovery = take_recovery(&argc, argv);
	if (argc > 3 || (recovery && argc != 3))
		return usage_user(c, EXIT_USAGE);
	char tbuf[256];
	const char *target = argc == 3 ? cli_nfc_name(argv[2], tbuf, sizeof tbuf) : c->user;
	int self = !c->user || strcmp(target ? target : "", c->user) == 0;
	int rc = recovery ? login_recovery(c) : cli_login(c, self ? 0 : ROLE(STORE_ROLE_QUANTRI));
	if (rc)
		return rc;
	char pw[CLI_PASSWORD_BUF];
	rc = cli_password(c, MSG_PROMPT_NEW_PASSWORD, 1, pw, sizeof pw);
	if (rc)
		return rc;
	int err = store_user_passwd(c->store, target, pw);
	secret_wipe(pw, sizeof pw);
	if (err == STORE_ENOTFOUND) {
		cli_err(c, MSG_E_NO_USER, target);
		return EXIT_DATAERR;
	}
	if (err == STORE_ELOCKED) {
		cli_err(c, MSG_E_PASSWD_LOCKED, target);
		return EXIT_DATAERR;
	}
	if (err)
		return cli_store_fail(c, err);
	cli_out(c, MSG_PASSWD_DONE, target);
	return 0;
}

static int user_list(struct cli *c)
{
	int rc = cli_login(c, ROLE(STORE_ROLE_QUANTRI));
	if (rc)
		return rc;
	struct store_user *users;
	size_t n;
	int err = store_user_list(c->store, &users, &n);
	if (err)
		return cli_store_fail(c, err);
	cli_out(c, MSG_USER_LIST_HEAD);
	int64_t now = vn_now();
	for (size_t i = 0; i < n; i++) {
		const char *state = cli_msg(c, users[i].locked ? MSG_USER_LOCKED
					       : users[i].locked_until > now ? MSG_USER_LOCKED_TEMP
									     : MSG_USER_ACTIVE);
		const char *label = role_label(c, users[i].role);
		int pad = 20 - text_width(users[i].name), lpad = 18 - text_width(label);
		printf("%s%*s %-8s %s%*s %s\n", users[i].name, pad > 0 ? pad : 0, "",
		       role_name(users[i].role), label, lpad > 0 ? lpad : 0, "", state);
	}
	free(users);
	return 0;
}

static int user_lock(struct cli *c, int argc, char **argv, int lock)
{
	int recovery = !lock && take_recovery(&argc, argv);
	if (argc != 3)
		return usage_user(c, EXIT_USAGE);
	char tbuf[256];
	const char *target = cli_nfc_name(argv[2], tbuf, sizeof tbuf);
	int rc = recovery ? login_recovery(c) : cli_login(c, ROLE(STORE_ROLE_QUANTRI));
	if (rc)
		return rc;
	if (lock && strcmp(target, c->user) == 0) {
		cli_err(c, MSG_E_LOCK_SELF);
		return EXIT_USAGE;
	}
	int err;
	if (lock) {
		err = store_user_lock(c->store, target);
	} else {
		char pw[CLI_PASSWORD_BUF];
		rc = cli_password(c, MSG_PROMPT_USER_PASSWORD, 1, pw, sizeof pw);
		if (rc)
			return rc;
		err = store_user_unlock(c->store, target, pw);
		secret_wipe(pw, sizeof pw);
	}
	if (err == STORE_ENOTFOUND) {
		cli_err(c, MSG_E_NO_USER, target);
		return EXIT_DATAERR;
	}
	if (lock && err == STORE_EINVAL) { /* the same user, spelt in another case */
		cli_err(c, MSG_E_LOCK_SELF);
		return EXIT_USAGE;
	}
	if (err)
		return cli_store_fail(c, err);
	cli_out(c, lock ? MSG_USER_LOCK_DONE : MSG_USER_UNLOCK_DONE, target);
	return 0;
}

int cmd_user(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_user(c, EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0)
		return usage_user(c, 0);
	if (strcmp(argv[1], "add") == 0)
		return user_add(c, argc, argv);
	if (strcmp(argv[1], "passwd") == 0)
		return user_passwd(c, argc, argv);
	if (strcmp(argv[1], "list") == 0 && argc == 2)
		return user_list(c);
	if (strcmp(argv[1], "lock") == 0)
		return user_lock(c, argc, argv, 1);
	if (strcmp(argv[1], "unlock") == 0)
		return user_lock(c, argc, argv, 0);
	return usage_user(c, EXIT_USAGE);
}
