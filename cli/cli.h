/*
 * cli/cli.h: what the command files of cli/ share (private to cli/).
 *
 * main.c parses the global options into a struct cli and calls one
 * command function; each command returns a sysexits code.  Helpers here
 * open the node, read passwords, log in with a role check, and map module
 * errors to messages and exit codes, so every command says what went wrong
 * and what to do in the user's language.
 */
#ifndef CCHC_CLI_CLI_H
#define CCHC_CLI_CLI_H

#include <stdarg.h>
#include <stdio.h>

#include "core/msg.h"
#include "core/vnfmt.h"
#include "store/store.h"

/* sysexits(3) */
enum {
	EX_OK_ = 0,
	EXIT_USAGE = 64,
	EXIT_DATAERR = 65,
	EXIT_NOINPUT = 66,
	EXIT_UNAVAILABLE = 69,
	EXIT_SOFTWARE = 70,
	EXIT_CANTCREAT = 73,
	EXIT_IOERR = 74,
	EXIT_TEMPFAIL = 75,
	EXIT_NOPERM = 77,
	EXIT_CONFIG = 78,
};

enum node_kind { NODE_NONE = 0, NODE_COMMUNE = 1, NODE_DISTRICT = 2 };
/* The level of an aggregating node (NODE_DISTRICT): a district of the 2021
 * model or a province of the 2025 model (`init province`); the same kind,
 * so every command a district has works for a province. */
enum node_level { NODE_LEVEL_DISTRICT = 0, NODE_LEVEL_PROVINCE = 1 };

struct node_conf {
	enum node_kind kind;
	char unit[16];      /* this node's unit code */
	char unit_list[32]; /* unit list version */
	char district[16];  /* the district's unit code */
	char server[256];   /* receiver URL (commune) */
	int warn_days;      /* [periods] warn_days: days before a deadline to warn */
	int warn_days_set;  /* 0: not in node.conf (CLI_WARN_DAYS_DEFAULT, cli/periods.h) */
	enum node_level level; /* aggregating node: district or province */
	char lang[4];       /* [ui] lang: vi|en, "" when not set (cli/cmd_config.c) */
	char telex[4];      /* [ui] telex: off|old|new, "" when not set */
	char colour[8];     /* [ui] colour: auto|always|never, "" when not set */
};

/* Settings people change (cli/cmd_config.c): each a node.conf key, a
 * `cchc config set` key and, but for server (sync push --server), a global
 * option that wins over node.conf for one run. */
enum config_key { CONFIG_SERVER, CONFIG_LANG, CONFIG_TELEX, CONFIG_COLOUR, CONFIG_WARN_DAYS,
		  CONFIG_NKEYS };

struct forms;
struct ui_opts;

struct cli {
	enum msg_lang lang;
	const char *home;    /* node directory */
	const char *user;    /* --user */
	const char *datadir; /* forms/ and data/ live here */
	const char *prog;
	struct node_conf conf;
	struct store *store; /* open node, logged in after cli_login */
	struct forms *forms; /* loaded by cli_forms */
	FILE *pwfile;        /* $CCHC_PASSWORD_FILE, read line by line */
	char home_buf[4096];
	char user_buf[256];  /* --user in NFC */
	int bulk;            /* demo builder: no seal or UI digest per save (rec_save) */
	const struct ui_opts *ui; /* --keys, --show-keys, --dump-screen (cli/ui.h) */
	const char *opt[CONFIG_NKEYS]; /* --telex, --colour, --warn-days (cli/cmd_config.c) */
	int lang_fixed;      /* --lang or $CCHC_LANG given: node.conf's lang does not apply */
};

/* A command: argv[0] is the command name. */
typedef int (*cli_cmd_fn)(struct cli *c, int argc, char **argv);

const char *cli_msg(const struct cli *c, enum msg_id id);
/* Print "cchc: <formatted message>\n" to stderr. */
void cli_err(const struct cli *c, enum msg_id id, ...);
void cli_errv(const struct cli *c, enum msg_id id, va_list ap);
/* Print a formatted message to stdout. */
void cli_out(const struct cli *c, enum msg_id id, ...);

/* name in NFC in buf (cap bytes); names are stored in NFC, so a decomposed
 * name typed on the command line must match.  Returns buf, or name itself
 * when it is not valid UTF-8 or does not fit. */
const char *cli_nfc_name(const char *name, char *buf, size_t cap);

/* Map a store error to a message on stderr and an exit code. */
int cli_store_fail(struct cli *c, int err);

/* Read a password: from $CCHC_PASSWORD_FILE (next line) when set, else from
 * the terminal with echo off; confirm asks twice on a terminal.  0 or an
 * exit code (after a message). */
int cli_password(struct cli *c, enum msg_id prompt, int confirm, char *buf, size_t cap);
/* Passwords are at most CLI_PASSWORD_MAX bytes of UTF-8 (after NFC: a
 * longer one, a NUL byte or invalid UTF-8 is refused with its own message,
 * never cut); buffers for them are CLI_PASSWORD_BUF bytes. */
#define CLI_PASSWORD_MAX 1024
#define CLI_PASSWORD_BUF (CLI_PASSWORD_MAX + 2)

/* Node files. */
int node_conf_load(struct cli *c);  /* 0, or an exit code after a message */
int node_conf_save(const struct cli *c);
void node_path(const struct cli *c, const char *rel, char *buf, size_t cap);

/* Open the node (config + store) without logging in. */
int cli_open(struct cli *c);
/* Open and log in as --user; role_mask is a bit set of (1 << STORE_ROLE_*),
 * 0 for any role.  The message for a wrong role names the roles allowed. */
int cli_login(struct cli *c, unsigned role_mask);
#define ROLE(r) (1u << (r))

/* Load the forms, periods and units (refuses to start on a damaged file). */
int cli_forms(struct cli *c);
/* A forms_sink report function: one "FILE:LINE: message" line to stderr. */
void print_problem(void *ctx, const char *msg);
#define forms_lang(c) ((c)->lang == LANG_EN ? FORMS_LANG_EN : FORMS_LANG_VI)

const char *role_name(int role);
int role_parse(const char *s);
const char *role_label(const struct cli *c, int role);

/* Ids are shown as 32 hex digits; commands accept any unique prefix of 8+. */
void id_hex(const unsigned char id[STORE_ID_BYTES], char out[2 * STORE_ID_BYTES + 1]);

/* Identity files (public keys of a node). */
struct identity {
	enum node_kind kind;
	char unit[16];
	char name[128];
	unsigned char sign_pk[32];
	unsigned char box_pk[32]; /* district only */
	int has_box;
};
int identity_write(const char *path, const struct identity *id, const unsigned char *sign_sk);
/* 0, or an exit code after a message naming path and what is wrong. */
int identity_read(struct cli *c, const char *path, struct identity *out);
void identity_fingerprint(const struct identity *id, char out[36]);

/* JSON and CSV output (UTF-8, stable for scripts). */
void json_str(FILE *f, const char *s);
void csv_str(FILE *f, const char *s);

/* The form named by id, or NULL after a message listing the forms there are. */
struct form;
const struct form *cli_find_form(struct cli *c, const char *id);

/* Unit lists (cli/cmd_units.c).  The directory `cchc units import`
 * installs lists into and cli_forms also reads: $XDG_DATA_HOME/cchc/units
 * (~/.local/share/cchc/units). */
void cli_units_dir(char *buf, size_t cap);
/* "tỉnh" / "huyện" ("province" / "district") for this aggregating node,
 * "xã" for a commune: what messages call the node. */
const char *cli_level_word(const struct cli *c);
/* The unit init makes a node for: code (on list, NULL for any) of tier,
 * valid on day; asks on the terminal when several lists apply.  0 and *out,
 * or an exit code after a message. */
struct forms_unit;
int cli_pick_unit(struct cli *c, const char *code, const char *list, struct vn_date day,
		  int tier, const struct forms_unit **out);
/* Parse a date option (dd/mm/yyyy or yyyy-mm-dd): 0, or EXIT_USAGE after a
 * message. */
int cli_date_opt(struct cli *c, const char *s, struct vn_date *out);
/* Today in Vietnam (CCHC_NOW in test builds). */
struct vn_date cli_today(void);
/* valid_to enforced: 0 when this node's unit is valid during period p's
 * data window (records may be made for it), else EXIT_DATAERR after a
 * message (a unit that ended takes no report for a later period; the
 * older ones stay readable).  A unit not on the loaded lists: 0. */
struct forms_period;
int rec_unit_open_for(struct cli *c, const struct forms_period *p);
int cmd_units(struct cli *c, int argc, char **argv);

/* Commands. */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_key(struct cli *c, int argc, char **argv);
int cmd_enroll(struct cli *c, int argc, char **argv);
int cmd_distribute(struct cli *c, int argc, char **argv);
int cmd_revoke(struct cli *c, int argc, char **argv);
int cmd_user(struct cli *c, int argc, char **argv);
int cmd_form(struct cli *c, int argc, char **argv);
int cmd_record(struct cli *c, int argc, char **argv);
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_telex(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_periods(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);

/* cli/cmd_config.c, for node.c and main.c.  config_conf_entry: a node.conf
 * line of a setting kept as text ([ui]): 1 taken, 0 a bad value, -1 not
 * one of these.  config_conf_write: the [ui] section of what is set.
 * config_apply: after node.conf is read, the global options over it and
 * node.conf's lang unless c->lang_fixed.  config_option: the global option
 * of key k ("--telex"), NULL for none.  config_check_options: 0, or
 * EXIT_USAGE after a message naming the option and the values it takes. */
int config_conf_entry(struct node_conf *nc, const char *section, const char *name,
		      const char *value);
void config_conf_write(FILE *f, const struct node_conf *nc);
void config_apply(struct cli *c);
const char *config_option(int k);
int config_check_options(const struct cli *c);
/* value checked as config key k's (a command's own option, e.g. sync push
 * --server): 0, or EXIT_USAGE after a message naming option. */
int config_check_value(const struct cli *c, int k, const char *option, const char *value);

/* cli/opts.c: a command's options, one table for getopt_long and --help
 * (ends with a NULL name).  cli_opts_parse: vals[i] is opts[i]'s value
 * ("" for an option without one; NULL when not given), *first the index of
 * the first operand; permute: options may follow operands (argv is
 * reordered, operands last), else they end at the first operand.  0, or
 * EXIT_USAGE after a message naming the option.  cli_opts_help: the
 * option lines. */
struct cli_opt {
	const char *name;     /* without "--" */
	int arg;              /* 1: takes a value */
	enum msg_id arg_name; /* the value's name in --help (if arg) */
	enum msg_id help;     /* what it does, one line */
};
int cli_opts_parse(struct cli *c, const struct cli_opt *opts, int permute, int argc, char **argv,
		   const char **vals, int *first);
void cli_opts_help(const struct cli *c, const struct cli_opt *opts, FILE *f);

/* cli/fingerprint.c: have the fingerprint fp of who's key (a district's, a
 * commune's; already shown) confirmed: compared with given (--fingerprint,
 * spaces and case ignored; a mismatch is EXIT_DATAERR after message
 * mismatch(given, fp, who)), or asked on the terminal (no: EXIT_DATAERR
 * after message refused).  Without a terminal, or under $CCHC_PASSWORD_FILE
 * (a script), it goes on: the fingerprint is on stdout for the record. */
int cli_confirm_fingerprint(struct cli *c, const char *fp, const char *given, const char *who,
			    enum msg_id mismatch, enum msg_id refused);

#endif
