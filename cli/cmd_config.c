/*
 * cli/cmd_config.c: `cchc config show [KEY]` and `cchc config set KEY VALUE`,
 * the settings an administrator changes in node.conf, and the global
 * options that override them for one run (--telex, --colour, --warn-days).
 *
 * One table names every setting: its node.conf section and key, its global
 * option, the values it takes.  A value is checked by the same function
 * whether it comes from `config set` (exit 65, nothing written), from an
 * option (exit 64) or from node.conf (a damaged line, as before).  node.c
 * reads and writes the file (libinih; write-temp-fsync-rename) and calls
 * config_conf_entry / config_conf_write / config_apply for what lives here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/periods.h"

struct setting {
	const char *name;         /* `config set` key = node.conf key */
	const char *alias;        /* also accepted by `config set`, or NULL */
	const char *section;      /* node.conf section */
	const char *option;       /* global option, or NULL */
	const char *dflt;         /* what applies when node.conf does not say */
	enum msg_id want;         /* the values it takes, for messages */
	const char *const *words; /* the words it takes; NULL: checked in valid() */
};

static const char *const lang_words[] = {"vi", "en", NULL};
static const char *const telex_words[] = {"off", "old", "new", NULL};
static const char *const colour_words[] = {"auto", "always", "never", NULL};

static const struct setting settings[CONFIG_NKEYS] = {
    [CONFIG_SERVER] = {"server", NULL, "sync", NULL, "", MSG_CONFIG_WANT_SERVER, NULL},
    [CONFIG_LANG] = {"lang", "language", "ui", NULL, "vi", MSG_CONFIG_WANT_LANG, lang_words},
    [CONFIG_TELEX] = {"telex", NULL, "ui", "--telex", "off", MSG_CONFIG_WANT_TELEX, telex_words},
    [CONFIG_COLOUR] = {"colour", "color", "ui", "--colour", "auto", MSG_CONFIG_WANT_COLOUR,
                       colour_words},
    [CONFIG_WARN_DAYS] = {"warn_days", "warn-days", "periods", "--warn-days", NULL,
                          MSG_CONFIG_WANT_WARN_DAYS, NULL},
};

/* host[:port] of a URL: a name or IPv4 address of letters, digits, '-' and
 * '.', or an IPv6 address in brackets; a port of 1 to 65535. */
static int host_valid(const char *s, size_t n)
{
	size_t h = n;
	const char *colon = NULL;
	if (n && s[0] == '[') {
		const char *end = memchr(s, ']', n);
		if (!end || end == s + 1)
			return 0;
		for (const char *p = s + 1; p < end; p++)
			if (!strchr("0123456789abcdefABCDEF:.", *p))
				return 0;
		h = (size_t)(end - s) + 1;
		if (h < n && s[h] != ':')
			return 0;
		colon = h < n ? s + h : NULL;
	} else {
		colon = memchr(s, ':', n);
		h = colon ? (size_t)(colon - s) : n;
		if (h == 0)
			return 0;
		for (size_t i = 0; i < h; i++)
			if (!strchr(
			        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.",
			        s[i]))
				return 0;
	}
	if (!colon)
		return 1;
	size_t digits = n - (size_t)(colon - s) - 1;
	long port = 0;
	if (digits == 0 || digits > 5)
		return 0;
	for (size_t i = 1; i <= digits; i++) {
		if (colon[i] < '0' || colon[i] > '9')
			return 0;
		port = port * 10 + (colon[i] - '0');
	}
	return port >= 1 && port <= 65535;
}

/* http:// or https://, a host, an optional port and path; printable ASCII
 * without spaces or quotes, and short enough for node_conf.server. */
static int url_valid(const char *v)
{
	size_t skip = strncmp(v, "http://", 7) == 0 ? 7 : strncmp(v, "https://", 8) == 0 ? 8 : 0;
	if (!skip || strlen(v) >= sizeof((struct node_conf *)0)->server)
		return 0;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || strchr("\"'\\<>", *p))
			return 0;
	const char *host = v + skip;
	return host_valid(host, strcspn(host, "/?#"));
}

static int warn_days_parse(const char *v, int *out)
{
	char *end;
	if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 3)
		return 0;
	long n = strtol(v, &end, 10);
	if (n < 0 || n > 366)
		return 0;
	*out = (int)n;
	return 1;
}

static int valid(int k, const char *v)
{
	int days;
	if (k == CONFIG_SERVER)
		return url_valid(v);
	if (k == CONFIG_WARN_DAYS)
		return warn_days_parse(v, &days);
	for (const char *const *w = settings[k].words; *w; w++)
		if (strcmp(v, *w) == 0)
			return 1;
	return 0;
}

/* The text field of nc that holds key k, for the settings kept as text. */
static char *text_field(struct node_conf *nc, int k, size_t *cap)
{
	switch (k) {
	case CONFIG_SERVER:
		*cap = sizeof nc->server;
		return nc->server;
	case CONFIG_LANG:
		*cap = sizeof nc->lang;
		return nc->lang;
	case CONFIG_TELEX:
		*cap = sizeof nc->telex;
		return nc->telex;
	case CONFIG_COLOUR:
		*cap = sizeof nc->colour;
		return nc->colour;
	default:
		*cap = 0;
		return NULL;
	}
}

/* Set k to v (already valid) in nc. */
static void setting_put(struct node_conf *nc, int k, const char *v)
{
	size_t cap;
	char *f = text_field(nc, k, &cap);
	if (f) {
		snprintf(f, cap, "%s", v);
	} else if (warn_days_parse(v, &nc->warn_days)) {
		nc->warn_days_set = 1;
	}
}

/* k's value in nc as text; 1 when node.conf does not set it (the default). */
static int setting_get(struct node_conf *nc, int k, char *buf, size_t cap)
{
	size_t fcap;
	const char *f = text_field(nc, k, &fcap);
	if (k == CONFIG_WARN_DAYS) {
		snprintf(buf, cap, "%d", nc->warn_days_set ? nc->warn_days : CLI_WARN_DAYS_DEFAULT);
		return !nc->warn_days_set;
	}
	snprintf(buf, cap, "%s", f && *f ? f : settings[k].dflt);
	return !f || !*f;
}

int config_conf_entry(struct node_conf *nc, const char *section, const char *name,
                      const char *value)
{
	for (int k = CONFIG_LANG; k < CONFIG_NKEYS; k++) {
		if (strcmp(section, settings[k].section) != 0 ||
		    strcmp(name, settings[k].name) != 0)
			continue;
		if (!valid(k, value))
			return 0;
		setting_put(nc, k, value);
		return 1;
	}
	return -1;
}

void config_conf_write(FILE *f, const struct node_conf *nc)
{
	if (!nc->lang[0] && !nc->telex[0] && !nc->colour[0])
		return;
	fputs("\n[ui]\n", f);
	if (nc->lang[0])
		fprintf(f, "lang = %s\n", nc->lang);
	if (nc->telex[0])
		fprintf(f, "telex = %s\n", nc->telex);
	if (nc->colour[0])
		fprintf(f, "colour = %s\n", nc->colour);
}

const char *config_option(int k)
{
	return k >= 0 && k < CONFIG_NKEYS ? settings[k].option : NULL;
}

int config_check_value(const struct cli *c, int k, const char *option, const char *value)
{
	if (valid(k, value))
		return 0;
	cli_err(c, MSG_E_CONFIG_OPT, value, option, cli_msg(c, settings[k].want));
	return EXIT_USAGE;
}

int config_check_options(const struct cli *c)
{
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		int rc = c->opt[k] ? config_check_value(c, k, settings[k].option, c->opt[k]) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

void config_apply(struct cli *c)
{
	for (int k = 0; k < CONFIG_NKEYS; k++)
		if (c->opt[k])
			setting_put(&c->conf, k, c->opt[k]);
	int lang = msg_lang_parse(c->conf.lang[0] ? c->conf.lang : NULL);
	if (!c->lang_fixed && lang >= 0)
		c->lang = (enum msg_lang)lang;
}

static int find_setting(const struct cli *c, const char *name)
{
	for (int k = 0; k < CONFIG_NKEYS; k++)
		if (strcmp(name, settings[k].name) == 0 ||
		    (settings[k].alias && strcmp(name, settings[k].alias) == 0))
			return k;
	cli_err(c, MSG_E_CONFIG_KEY, name);
	return -1;
}

static const struct cli_opt config_opts[] = {
    {"help", 0, MSG_OPT_ARG_NUMBER, MSG_OPT_HELP},
    {NULL, 0, MSG_OPT_ARG_NUMBER, MSG_OPT_HELP},
};

static int usage_config(struct cli *c, int rc)
{
	FILE *f = rc ? stderr : stdout;
	fputs(cli_msg(c, MSG_USAGE_CONFIG), f);
	cli_opts_help(c, config_opts, f);
	return rc;
}

/* `config show`: every setting as "key = value" (a default marked so);
 * `config show KEY`: the value alone, for scripts. */
static int config_show(struct cli *c, const char *key)
{
	int rc = node_conf_load(c);
	if (rc)
		return rc;
	int one = key ? find_setting(c, key) : 0;
	if (one < 0)
		return EXIT_USAGE;
	char v[300];
	if (key) {
		setting_get(&c->conf, one, v, sizeof v);
		printf("%s\n", v);
		return 0;
	}
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		int dflt = setting_get(&c->conf, k, v, sizeof v);
		printf("%-9s = %s%s%s%s\n", settings[k].name, v, dflt ? (*v ? "  (" : "(") : "",
		       dflt ? cli_msg(c, MSG_CONFIG_DEFAULT) : "", dflt ? ")" : "");
	}
	return 0;
}

static int config_set(struct cli *c, const char *key, const char *value)
{
	int rc = node_conf_load(c); /* first: its messages speak node.conf's language */
	if (rc)
		return rc;
	int k = find_setting(c, key);
	if (k < 0)
		return EXIT_USAGE;
	if (!valid(k, value)) {
		cli_err(c, MSG_E_CONFIG_VALUE, value, settings[k].name,
		        cli_msg(c, settings[k].want));
		return EXIT_DATAERR;
	}
	setting_put(&c->conf, k, value);
	char path[4200];
	node_path(c, "node.conf", path, sizeof path);
	if (node_conf_save(c) != 0) {
		cli_err(c, MSG_E_WRITE_FILE, path);
		return EXIT_CANTCREAT;
	}
	if (k == CONFIG_LANG && !c->lang_fixed)
		c->lang = (enum msg_lang)msg_lang_parse(value);
	cli_out(c, MSG_CONFIG_SET_DONE, settings[k].name, value, path);
	return 0;
}

int cmd_config(struct cli *c, int argc, char **argv)
{
	const char *help;
	int i;
	/* Options end at the subcommand: `config set warn_days -1` is a bad
	 * value (65), not an unknown option. */
	if (cli_opts_parse(c, config_opts, 0, argc, argv, &help, &i) != 0)
		return usage_config(c, EXIT_USAGE);
	if (help)
		return usage_config(c, 0);
	argc -= i - 1;
	argv += i - 1;
	int show = argc >= 2 && strcmp(argv[1], "show") == 0 && argc <= 3;
	int set = argc >= 2 && strcmp(argv[1], "set") == 0 && argc == 4;
	if (!show && !set)
		return usage_config(c, EXIT_USAGE);
	/* node.conf as it is on disk: the one-run options are not settings
	 * to show or to write back. */
	memset(c->opt, 0, sizeof c->opt);
	return show ? config_show(c, argc == 3 ? argv[2] : NULL) : config_set(c, argv[2], argv[3]);
}
