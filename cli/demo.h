/*
 * cli/demo.h: `cchc demo`, the trainer's demo (SPEC §9); private to cli/.
 *
 *   cmd_demo.c    the command: where the demo home is, --reset, --no-ui,
 *                 the receiver it starts on 127.0.0.1, opening the UI
 *   demo_build.c  building the demo home: one district node and the 31
 *                 commune nodes, through the same commands a person runs
 *                 (init, user add, key export, enroll, sync export, import,
 *                 sync receipts) called in this process, communes built by
 *                 a few worker processes at once
 *   demo_data.c   what the demo holds, from a fixed seed: which report is on
 *                 time, late or missing, when each step happened, and the
 *                 register entries and report figures, all entered through
 *                 cli/records.h (the steps of `cchc record`)
 *
 * The 2021 history is made with the demo builder's clock (vn_clock_set in
 * core/vnfmt.h) set to each step's time, so receipts are on time or late
 * by the same rule real ones are.  The demo's key slots use the minimum
 * Argon2id cost (secret_pwcost_use_min), recorded in each slot: the
 * password is shown on the login screen anyway.
 */
#ifndef CCHC_CLI_DEMO_H
#define CCHC_CLI_DEMO_H

#include <stdint.h>

#include "cli/cli.h"

#define DEMO_PASSWORD "demo1234"
#define DEMO_SEED 20210310u
/* demo.conf's format: a demo home made by another version is made again. */
#define DEMO_FORMAT 1
#define DEMO_MAIN_COMMUNE "02545" /* Xã Tân Trào */
#define DEMO_NPERIODS 3
#define DEMO_MAX_COMMUNES 64

/* The demo's periods, in order. */
extern const char *const demo_period_ids[DEMO_NPERIODS];

enum demo_outcome { DEMO_ON_TIME = 0, DEMO_LATE = 1, DEMO_MISSING = 2 };

/* One commune's report for one period, as the plan decides it. */
struct demo_step {
	int outcome;      /* enum demo_outcome */
	int32_t seg_from; /* register entries received in [seg_from, seg_to) (days) */
	int32_t seg_to;
	int64_t fill_at; /* report made and filled (not for DEMO_MISSING) */
	int64_t approve_at;
	int64_t seal_at; /* the session that seals its batch */
	int64_t recv_at; /* the district receives the batch (import) */
};

struct demo_home {
	char root[2048];
	char district[2304];
	char communes[2304]; /* root/communes: one node per unit code */
	char password[2304]; /* the password file (CCHC_PASSWORD_FILE) */
	char done[2304];     /* root/demo.conf: written last, the demo is complete */
};

/* The commune units of the district (the 2021 list), in list order; *main
 * is the index of Xã Tân Trào.  0, or an exit code after a message. */
int demo_communes(struct cli *c, const char *codes[DEMO_MAX_COMMUNES], size_t *n, size_t *main);

/* The plan for commune k of n (main: Tân Trào's index) in period p. */
void demo_plan(const struct cli *c, size_t k, size_t n, size_t main, int p, struct demo_step *out);

/* Commune k's register entries of period p's segment and its report,
 * entered in c (a commune node, open, its users made), then sealed;
 * *numbered: the register's last entry number (0 before the first).  0 or
 * an exit code after a message. */
int demo_fill_period(struct cli *c, size_t k, int is_main, int p, const struct demo_step *st,
                     int *numbered);

/* Build the demo in h (the directory must not exist).  0 or an exit code. */
int demo_build(struct cli *c, const struct demo_home *h);

/* A command of cli/ run in this process on node home as user (NULL: none),
 * argv NULL-terminated.  The caller's c gives the language and forms. */
int demo_run(const struct cli *c, const char *home, const char *user, cli_cmd_fn fn, ...);

/* A fresh struct cli on home, sharing c's forms and language. */
void demo_cli_open(struct cli *d, const struct cli *c, const char *home, const char *user);
void demo_cli_close(struct cli *d);

#endif
