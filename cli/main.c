/*
 * cli/main.c: the cchc program: global options, then one command.
 *
 * Global options may stand anywhere before "--": --home DIR, --lang vi|en,
 * --user NAME, --help, --version, and for the terminal UI (`cchc` with no
 * command) --keys FILE, --dump-screen FILE, --show-keys; the settings'
 * --telex, --colour (--color) and --warn-days (cli/cmd_config.c).  They are taken
 * out of argv first, so each command parses only its own arguments.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_district.h"
#include "cli/cli_sync.h"
#include "cli/ui.h"
#include "core/secret.h"
#include "forms/forms.h"

struct command {
	const char *name;
	cli_cmd_fn fn;
	enum msg_id help;
};

static const struct command commands[] = {
	{"init", cmd_init, MSG_HELP_INIT},       {"key", cmd_key, MSG_HELP_KEY},
	{"enroll", cmd_enroll, MSG_HELP_ENROLL}, {"revoke", cmd_revoke, MSG_HELP_REVOKE},
	{"user", cmd_user, MSG_HELP_USER},       {"form", cmd_form, MSG_HELP_FORM},
	{"record", cmd_record, MSG_HELP_RECORD}, {"audit", cmd_audit, MSG_HELP_AUDIT},
	{"telex", cmd_telex, MSG_HELP_TELEX},       {"sync", cmd_sync, MSG_HELP_SYNC},
	{"serve", cmd_serve, MSG_HELP_SERVE},       {"import", cmd_import, MSG_HELP_IMPORT},
	{"demo", cmd_demo, MSG_HELP_DEMO},
	{"periods", cmd_periods, MSG_HELP_PERIODS},
	{"status", cmd_status, MSG_D_HELP_STATUS},    {"summary", cmd_summary, MSG_D_HELP_SUMMARY},
	{"export", cmd_export, MSG_D_HELP_EXPORT},
	{"distribute", cmd_distribute, MSG_HELP_DISTRIBUTE},
	{"units", cmd_units, MSG_HELP_UNITS},
	{"backup", cmd_backup, MSG_HELP_BACKUP},
	{"restore", cmd_restore, MSG_HELP_RESTORE},
	{"config", cmd_config, MSG_HELP_CONFIG},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(const struct cli *c, FILE *f)
{
	fputs(cli_msg(c, MSG_USAGE), f);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, cli_msg(c, commands[i].help));
	fputs(cli_msg(c, MSG_HELP_UI), f);
	fputs(cli_msg(c, MSG_USAGE_TAIL), f);
}

/* Take the value of option `name` at argv[*i] ("--name V" or "--name=V"). */
static int take_opt(char **argv, int argc, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

/* The options of the settings (cli/cmd_config.c: --telex, --colour,
 * --warn-days) at argv[*i], as take_opt. */
static int take_config_opt(struct cli *c, char **argv, int argc, int *i)
{
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		const char *name = config_option(k);
		int r = name ? take_opt(argv, argc, i, name, &c->opt[k]) : 0;
		if (!r && k == CONFIG_COLOUR)
			r = take_opt(argv, argc, i, "--color", &c->opt[k]);
		if (r)
			return r;
	}
	return 0;
}

static void default_home(struct cli *c)
{
	const char *h = getenv("CCHC_HOME");
	if (h && *h) {
		c->home = h;
		return;
	}
	const char *x = getenv("XDG_DATA_HOME");
	if (x && *x)
		snprintf(c->home_buf, sizeof c->home_buf, "%s/cchc", x);
	else
		snprintf(c->home_buf, sizeof c->home_buf, "%s/.local/share/cchc",
			 getenv("HOME") ? getenv("HOME") : ".");
	c->home = c->home_buf;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* forms/ and data/ are found in $CCHC_DATADIR; else beside the program: the
 * source tree when it runs from build/ (so `make demo` works uninstalled),
 * PREFIX/share/cchc when installed (so an installed tree can move); else
 * in the CCHC_DATADIR the build was configured with. */
static void default_datadir(struct cli *c, char *buf, size_t cap)
{
	const char *d = getenv("CCHC_DATADIR");
	if (d && *d) {
		c->datadir = d;
		return;
	}
	c->datadir = CCHC_DATADIR;
	char exe[2048], probe[2200];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	static const char *const rel[] = {"/..", "/../share/cchc"};
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		snprintf(probe, sizeof probe, "%s%s/forms/defs", exe, rel[i]);
		if (is_dir(probe)) {
			snprintf(buf, cap, "%s%s", exe, rel[i]);
			c->datadir = buf;
			return;
		}
	}
}

/* LMDB maps the database file and trusts its page numbers; a damaged page
 * that points past the end of the file makes the mapping fault with
 * SIGBUS, and one whose offsets point elsewhere makes LMDB read outside the
 * map with SIGSEGV.  That is damage to the data, not a bug to dump core
 * on: say so as every other damage is said, and exit 65.  A SIGSEGV only
 * counts while the store is inside LMDB (store_fault_in_db): elsewhere it
 * stays a crash, so real bugs are not disguised.  Under AddressSanitizer
 * its own handler stays (it reports where a fault came from). */
static const char *damage_msg = "";

static void on_fault(int sig)
{
	if (sig == SIGSEGV && !store_fault_in_db()) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
		return;
	}
	ssize_t w = write(STDERR_FILENO, damage_msg, strlen(damage_msg));
	(void)w;
	_exit(EXIT_DATAERR);
}

static void catch_damage(const struct cli *c)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "cchc: %s\n", cli_msg(c, MSG_E_DAMAGED_MAP));
	damage_msg = buf;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
#if !defined(__SANITIZE_ADDRESS__)
	sigaction(SIGSEGV, &sa, NULL);
#endif
}

int main(int argc, char **argv)
{
	struct cli c;
	memset(&c, 0, sizeof c);
	c.prog = "cchc";
	setlocale(LC_CTYPE, "");
	int lang = msg_lang_parse(getenv("CCHC_LANG"));
	c.lang = lang < 0 ? LANG_VI : (enum msg_lang)lang;
	const char *home = NULL, *langs = NULL;
	int want_help = 0, want_version = 0, rc;
	struct ui_opts ui = {NULL, NULL, 0, ui_clock_ms(), NULL, NULL, NULL};

	/* Pull the global options out of argv. */
	int out = 1;
	int i;
	for (i = 1; i < argc; i++) {
		const char *v;
		int r;
		if (strcmp(argv[i], "--") == 0)
			break;
		if ((r = take_opt(argv, argc, &i, "--home", &v)) != 0) {
			if (r < 0)
				goto missing;
			home = v;
		} else if ((r = take_opt(argv, argc, &i, "--lang", &v)) != 0) {
			if (r < 0)
				goto missing;
			langs = v;
		} else if ((r = take_opt(argv, argc, &i, "--user", &v)) != 0) {
			if (r < 0)
				goto missing;
			c.user = v;
		} else if ((r = take_opt(argv, argc, &i, "--keys", &v)) != 0) {
			if (r < 0)
				goto missing;
			ui.keys = v;
		} else if ((r = take_opt(argv, argc, &i, "--dump-screen", &v)) != 0) {
			if (r < 0)
				goto missing;
			ui.dump = v;
		} else if ((r = take_config_opt(&c, argv, argc, &i)) != 0) {
			if (r < 0)
				goto missing;
		} else if (strcmp(argv[i], "--show-keys") == 0) {
			ui.show_keys = 1;
		} else if (strcmp(argv[i], "--version") == 0) {
			want_version = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			want_help = 1;
		} else {
			argv[out++] = argv[i];
		}
	}
	for (; i < argc; i++)
		argv[out++] = argv[i];
	argc = out;
	argv[argc] = NULL;

	if (langs) {
		lang = msg_lang_parse(langs);
		if (lang < 0) {
			cli_err(&c, MSG_BAD_LANG, langs);
			return EXIT_USAGE;
		}
		c.lang = (enum msg_lang)lang;
	}
	c.lang_fixed = langs || lang >= 0; /* node.conf's [ui] lang applies otherwise */
	if ((rc = config_check_options(&c)) != 0)
		return rc;
	if (c.user)
		c.user = cli_nfc_name(c.user, c.user_buf, sizeof c.user_buf);
	if (want_version) {
		printf("cchc %s\n", CCHC_VERSION);
		fputs(cli_msg(&c, MSG_VERSION_TAIL), stdout);
		return 0;
	}
	if (home)
		c.home = home;
	else
		default_home(&c);
	char dbuf[4096];
	default_datadir(&c, dbuf, sizeof dbuf);
	catch_damage(&c);
#ifdef CCHC_TEST_HOOKS
	/* Test builds: a fault outside the database stays a crash. */
	const char *fault = getenv("CCHC_TEST_FAULT");
	if (fault && strcmp(fault, "outside") == 0)
		raise(SIGSEGV);
#endif
	secret_harden_process();
	if (secret_init() != 0) {
		cli_err(&c, MSG_NO_CRYPTO);
		return EXIT_SOFTWARE;
	}

	if (argc < 2) {
		if (want_help) {
			usage(&c, stdout);
			return 0;
		}
		int urc = cmd_ui(&c, &ui);
		if (c.store)
			store_close(c.store);
		if (c.forms)
			forms_free(c.forms);
		return urc;
	}
	rc = -1;
	c.ui = &ui;
	for (size_t k = 0; k < N_COMMANDS; k++) {
		if (strcmp(argv[1], commands[k].name) != 0)
			continue;
		if (want_help) {
			/* "--help" was taken out of argv; commands print their own. */
			char *hargv[] = {argv[1], "--help", NULL};
			rc = commands[k].fn(&c, 2, hargv);
		} else {
			rc = commands[k].fn(&c, argc - 1, argv + 1);
		}
		break;
	}
	if (rc < 0) {
		cli_err(&c, MSG_UNKNOWN_COMMAND, argv[1]);
		usage(&c, stderr);
		rc = EXIT_USAGE;
	}
	if (c.store)
		store_close(c.store);
	if (c.forms)
		forms_free(c.forms);
	if (c.pwfile)
		fclose(c.pwfile);
	return rc;
missing:
	cli_err(&c, MSG_OPT_NEEDS_VALUE, argv[i]);
	return EXIT_USAGE;
}
