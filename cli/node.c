/*
 * cli/node.c: the node directory: node.conf (INI, read with libinih), the
 * store, and logging in with a role check.
 *
 * node.conf holds only what is neither secret nor personal and is needed
 * before a login: the node's kind and unit, the district, the receiver URL.
 */
#include <errno.h>
#include <pwd.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/secret.h"
#include "core/vnfmt.h"
#include "forms/forms.h"

void node_path(const struct cli *c, const char *rel, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s", c->home, rel);
}

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

static int conf_entry(void *user, const char *section, const char *name, const char *value)
{
	struct node_conf *nc = user;
	if (strcmp(section, "node") == 0) {
		if (strcmp(name, "kind") == 0)
			nc->kind = strcmp(value, "district") == 0  ? NODE_DISTRICT
				   : strcmp(value, "commune") == 0 ? NODE_COMMUNE
								   : NODE_NONE;
		else if (strcmp(name, "unit") == 0)
			copy(nc->unit, sizeof nc->unit, value);
		else if (strcmp(name, "unit_list") == 0)
			copy(nc->unit_list, sizeof nc->unit_list, value);
		else if (strcmp(name, "district") == 0)
			copy(nc->district, sizeof nc->district, value);
		else if (strcmp(name, "level") == 0)
			nc->level = strcmp(value, "province") == 0 ? NODE_LEVEL_PROVINCE
								    : NODE_LEVEL_DISTRICT;
	} else if (strcmp(section, "sync") == 0) {
		if (strcmp(name, "server") == 0)
			copy(nc->server, sizeof nc->server, value);
	} else {
		/* The settings of cli/cmd_config.c; a bad value is a bad line:
		 * node_conf_load says so. */
		return config_conf_entry(nc, section, name, value) != 0;
	}
	return 1;
}

int node_conf_load(struct cli *c)
{
	char path[4200];
	node_path(c, "node.conf", path, sizeof path);
	memset(&c->conf, 0, sizeof c->conf);
	FILE *f = fopen(path, "r");
	if (!f && (errno == EACCES || errno == EPERM)) {
		/* The node is there but belongs to another user (a service's
		 * node in /var/lib/cchc): say so, not "not a node". */
		struct stat st;
		struct passwd *pw = stat(c->home, &st) == 0 ? getpwuid(st.st_uid) : NULL;
		cli_err(c, MSG_E_NODE_ACCESS, c->home, pw ? pw->pw_name : "?");
		return EXIT_NOPERM;
	}
	if (!f) {
		cli_err(c, MSG_E_NONODE, c->home);
		return EXIT_NOINPUT;
	}
	int line = ini_parse_file(f, conf_entry, &c->conf);
	fclose(f);
	if (line != 0 || c->conf.kind == NODE_NONE || !c->conf.unit[0]) {
		cli_err(c, MSG_E_BAD_CONF, path, line);
		return EXIT_CONFIG;
	}
	config_apply(c);
	return 0;
}

int node_conf_save(const struct cli *c)
{
	char path[4200], tmp[4300];
	node_path(c, "node.conf", path, sizeof path);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f,
		"# cchc node settings (no secrets here; keys and records are in db/, sealed)\n"
		"[node]\nkind = %s\nunit = %s\nunit_list = %s\ndistrict = %s\n%s\n"
		"[sync]\nserver = %s\n",
		c->conf.kind == NODE_DISTRICT ? "district" : "commune", c->conf.unit,
		c->conf.unit_list, c->conf.district,
		c->conf.kind != NODE_DISTRICT		   ? ""
		: c->conf.level == NODE_LEVEL_PROVINCE ? "level = province\n"
							 : "level = district\n",
		c->conf.server);
	if (c->conf.warn_days_set)
		fprintf(f, "\n[periods]\nwarn_days = %d\n", c->conf.warn_days);
	config_conf_write(f, &c->conf);
	int bad = ferror(f);
	bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		remove(tmp);
		return -1;
	}
	chmod(path, 0600);
	return 0;
}

int cli_open(struct cli *c)
{
	if (c->store)
		return 0;
	int rc = node_conf_load(c);
	if (rc)
		return rc;
	int err = store_open(c->home, NULL, &c->store);
	if (err)
		return cli_store_fail(c, err);
	return 0;
}

static void roles_allowed(const struct cli *c, unsigned mask, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int r = STORE_ROLE_CANBO; r <= STORE_ROLE_QUANTRI; r++) {
		if (!(mask & ROLE(r)))
			continue;
		n += (size_t)snprintf(buf + n, cap > n ? cap - n : 0, "%s%s (%s)", n ? ", " : "",
				      role_label(c, r), role_name(r));
	}
}

int cli_login(struct cli *c, unsigned role_mask)
{
	int rc = cli_open(c);
	if (rc)
		return rc;
	if (!c->user || !*c->user) {
		cli_err(c, MSG_E_NEED_USER);
		return EXIT_USAGE;
	}
	char pw[CLI_PASSWORD_BUF];
	rc = cli_password(c, MSG_PROMPT_PASSWORD, 0, pw, sizeof pw);
	if (rc)
		return rc;
	struct store_user who;
	memset(&who, 0, sizeof who);
	int err = store_login(c->store, c->user, pw, &who);
	secret_wipe(pw, sizeof pw);
	if (err == STORE_EPASSWORD) {
		cli_err(c, MSG_E_LOGIN_FAILED, c->user);
		return EXIT_NOPERM;
	}
	if (err == STORE_ELOCKED) {
		if (who.locked_until > 0) {
			char when[VN_TIME_BUF];
			vn_time_format(who.locked_until, when);
			cli_err(c, MSG_E_LOCKED_UNTIL, c->user, when);
		} else {
			cli_err(c, MSG_E_LOCKED_ADMIN_USER, c->user);
		}
		return EXIT_NOPERM;
	}
	if (err == STORE_ENOTFOUND) {
		cli_err(c, MSG_E_NO_USER, c->user);
		return EXIT_NOPERM;
	}
	if (err)
		return cli_store_fail(c, err);
	if (role_mask && !(role_mask & ROLE(who.role))) {
		char allowed[256];
		roles_allowed(c, role_mask, allowed, sizeof allowed);
		cli_err(c, MSG_E_ROLE, c->user, role_label(c, who.role), allowed);
		return EXIT_NOPERM;
	}
	return 0;
}

void print_problem(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

int cli_forms(struct cli *c)
{
	if (c->forms)
		return 0;
	struct forms_sink sink = {print_problem, NULL, forms_lang(c)};
	char units[4096];
	cli_units_dir(units, sizeof units);
	int err = forms_load_units(c->datadir, units, &sink, &c->forms);
	if (err) {
		cli_err(c, MSG_E_FORMS_DAMAGED, c->datadir);
		return EXIT_CONFIG;
	}
	return 0;
}
