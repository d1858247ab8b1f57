/*
 * cli/demo_build.c: building the demo home (layout in README "Demo").
 *
 *   root/district          Huyện Sơn Dương's node (076)
 *   root/communes/CODE     one node per commune of the 2021 list
 *   root/ids/CODE.id       the identity files exchanged at enrolment
 *   root/courier/CODE-P    the batches of commune CODE for period P, carried
 *                          to the district as on a USB stick (sync export)
 *   root/state             the sync restore marks of the demo's nodes
 *                          (XDG_STATE_HOME inside this process), so that
 *                          nothing of the demo lands in the user's own
 *   root/password          the demo password, one line per question
 *                          (CCHC_PASSWORD_FILE inside this process)
 *   root/demo.conf         written last: the demo is complete
 *
 * Every node is made by the commands a person would run (init, user add,
 * key export, enroll, sync export, import, sync receipts), called in this
 * process; the communes are built by a few worker processes at once (each
 * node is its own LMDB environment, so they do not wait for each other's
 * disk flushes), then the district enrolls them and imports their batches
 * in the order it received them, with the clock at each receipt.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_sync.h"
#include "cli/demo.h"
#include "core/secret.h"
#include "core/vnfmt.h"
#include "forms/forms.h"

#ifndef DEMO_WORKERS
#define DEMO_WORKERS 3
#endif
#define DEMO_ARGS 16

void demo_cli_open(struct cli *d, const struct cli *c, const char *home, const char *user)
{
	memset(d, 0, sizeof *d);
	d->lang = c->lang;
	d->datadir = c->datadir;
	d->prog = c->prog;
	d->forms = c->forms;
	d->ui = c->ui;
	d->bulk = 1;
	snprintf(d->home_buf, sizeof d->home_buf, "%s", home);
	d->home = d->home_buf;
	if (user) {
		snprintf(d->user_buf, sizeof d->user_buf, "%s", user);
		d->user = d->user_buf;
	}
}

void demo_cli_close(struct cli *d)
{
	store_close(d->store);
	d->store = NULL;
	if (d->pwfile)
		fclose(d->pwfile);
	d->pwfile = NULL;
	d->forms = NULL; /* the caller's */
}

int demo_run(const struct cli *c, const char *home, const char *user, cli_cmd_fn fn, ...)
{
	char *argv[DEMO_ARGS + 1];
	int argc = 0;
	va_list ap;
	va_start(ap, fn);
	const char *a;
	while ((a = va_arg(ap, const char *)) && argc < DEMO_ARGS)
		argv[argc++] = (char *)a; /* the commands read their argv only */
	va_end(ap);
	argv[argc] = NULL;
	struct cli d;
	demo_cli_open(&d, c, home, user);
	int rc = fn(&d, argc, argv);
	demo_cli_close(&d);
	return rc;
}

int demo_communes(struct cli *c, const char *codes[DEMO_MAX_COMMUNES], size_t *n, size_t *main)
{
	const struct forms_unit *d = forms_unit_find(c->forms, "076", NULL);
	*n = 0;
	*main = 0;
	for (size_t i = 0; d && i < forms_unit_count(c->forms) && *n < DEMO_MAX_COMMUNES; i++) {
		const struct forms_unit *u = forms_unit_at(c->forms, i);
		if (forms_unit_level(u) != FORMS_LEVEL_COMMUNE ||
		    strcmp(forms_unit_parent(u), "076") ||
		    strcmp(forms_unit_list_version(u), forms_unit_list_version(d)))
			continue;
		if (strcmp(forms_unit_code(u), DEMO_MAIN_COMMUNE) == 0)
			*main = *n;
		codes[(*n)++] = forms_unit_code(u);
	}
	if (*n == 0 || strcmp(codes[*main], DEMO_MAIN_COMMUNE) != 0) {
		cli_err(c, MSG_E_DEMO_UNITS, c->datadir);
		return EXIT_CONFIG;
	}
	return 0;
}

static void path2(char *buf, size_t cap, const char *a, const char *b)
{
	snprintf(buf, cap, "%s/%s", a, b);
}

static int64_t at(int y, int m, int d, int hh, int mm)
{
	return vn_date_start((struct vn_date){y, m, d}) + hh * 3600 + mm * 60;
}

/* A commune node made as its administrator would: init, users, identity. */
static int make_commune(struct cli *c, const struct demo_home *h, const char *code, size_t k)
{
	char home[3072], did[3072], cid[3072], tmp[3100];
	snprintf(home, sizeof home, "%s/%s", h->communes, code);
	snprintf(did, sizeof did, "%s/ids/076.id", h->root);
	snprintf(cid, sizeof cid, "%s/ids/%s.id", h->root, code);
	snprintf(tmp, sizeof tmp, "%s.tmp", cid);
	vn_clock_set(at(2020, 12, 1, 8, (int)k));
	int rc = demo_run(c, home, NULL, cmd_init, "init", "commune", "--unit", code,
	                  "--district-key", did, "--admin", "quantri", NULL);
	if (!rc)
		rc = demo_run(c, home, "quantri", cmd_user, "user", "add", "canbo", "--role",
		              "canbo", NULL);
	if (!rc)
		rc = demo_run(c, home, "quantri", cmd_user, "user", "add", "lanhdao", "--role",
		              "lanhdao", NULL);
	/* Exported under a temporary name, then renamed: the district takes
	 * it once it is whole. */
	if (!rc)
		rc = demo_run(c, home, NULL, cmd_key, "key", "export", tmp, NULL);
	if (!rc && rename(tmp, cid) != 0) {
		cli_err(c, MSG_E_WRITE_FILE, cid);
		rc = EXIT_CANTCREAT;
	}
	return rc;
}

/* Commune k's period p: register, report, seal, and its batches copied
 * to root/courier/CODE-P (made whole under a temporary name first). */
static int commune_period(struct cli *c, const struct demo_home *h, const char *const *codes,
                          size_t n, size_t main, size_t k, int p, int *numbered)
{
	char home[3072], dir[3072], tmp[3100];
	snprintf(home, sizeof home, "%s/%s", h->communes, codes[k]);
	snprintf(dir, sizeof dir, "%s/courier/%s-%s", h->root, codes[k], demo_period_ids[p]);
	snprintf(tmp, sizeof tmp, "%s.tmp", dir);
	struct demo_step st;
	demo_plan(c, k, n, main, p, &st);
	struct cli d;
	demo_cli_open(&d, c, home, NULL);
	int rc = demo_fill_period(&d, k, k == main, p, &st, numbered);
	char *argv[] = {"sync", "export", tmp, NULL};
	if (!rc && mkdir(tmp, 0700) != 0) {
		cli_err(c, MSG_E_MKDIR, tmp, strerror(errno));
		rc = EXIT_CANTCREAT;
	}
	if (!rc)
		rc = cmd_sync(&d, 3, argv);
	demo_cli_close(&d);
	if (!rc && rename(tmp, dir) != 0) {
		cli_err(c, MSG_E_MKDIR, dir, strerror(errno));
		rc = EXIT_CANTCREAT;
	}
	return rc;
}

/* The receipts go back to commune k on its next visit, once the district
 * imported its last batch (root/courier/CODE.imported, made by
 * district_side; it waits a bounded time, the parent's own wait ends the
 * build on a failure). */
static int take_receipts(struct cli *c, const struct demo_home *h, const char *const *codes,
                         size_t n, size_t main, size_t k)
{
	char home[3072], rcpt[3072], mark[3072];
	struct demo_step st;
	demo_plan(c, k, n, main, DEMO_NPERIODS - 1, &st);
	snprintf(home, sizeof home, "%s/%s", h->communes, codes[k]);
	snprintf(rcpt, sizeof rcpt, "%s/receipts/%s.ccr", h->district, codes[k]);
	snprintf(mark, sizeof mark, "%s/courier/%s.imported", h->root, codes[k]);
	for (int i = 0; access(mark, F_OK) != 0; i++) {
		if (i == 60000 || getppid() == 1) /* 2 minutes, or the parent is gone */
			return EXIT_SOFTWARE;
		nanosleep(&(struct timespec){0, 2000000}, NULL);
	}
	vn_clock_set(st.recv_at + 86400);
	return access(rcpt, F_OK) != 0
	           ? 0
	           : demo_run(c, home, "canbo", cmd_sync, "sync", "receipts", rcpt, NULL);
}

/* Worker w of nw: its communes (k = w, w + nw, ...) made, then filled
 * period by period, so the district can take every commune's Q1 while
 * the workers are at H1. */
static int worker(struct cli *c, const struct demo_home *h, const char *const *codes, size_t n,
                  size_t main, size_t w, size_t nw)
{
	int numbered[DEMO_MAX_COMMUNES] = {0};
	int rc = 0;
	for (size_t k = w; k < n && !rc; k += nw)
		rc = make_commune(c, h, codes[k], k);
	for (int p = 0; p < DEMO_NPERIODS && !rc; p++)
		for (size_t k = w; k < n && !rc; k += nw)
			rc = commune_period(c, h, codes, n, main, k, p, &numbered[k]);
	for (size_t k = w; k < n && !rc; k += nw)
		rc = take_receipts(c, h, codes, n, main, k);
	return rc;
}

struct pool {
	pid_t pid[DEMO_WORKERS];
	size_t n;
};

static int pool_start(struct pool *pl, struct cli *c, const struct demo_home *h,
                      const char *const *codes, size_t n, size_t main)
{
	pl->n = 0;
	fflush(NULL);
	for (size_t w = 0; w < DEMO_WORKERS; w++) {
		pid_t pid = fork();
		if (pid < 0)
			return EXIT_SOFTWARE;
		if (pid == 0) {
			int rc = worker(c, h, codes, n, main, w, DEMO_WORKERS);
			fflush(NULL);
			_exit(rc);
		}
		pl->pid[pl->n++] = pid;
	}
	return 0;
}

/* Wait for every worker; the first failure's exit code.  With fail set,
 * the parent failed: the workers are stopped first. */
static int pool_wait(struct pool *pl, int fail)
{
	int rc = 0;
	for (size_t i = 0; i < pl->n; i++) {
		int status = 0;
		if (fail)
			kill(pl->pid[i], SIGTERM);
		while (waitpid(pl->pid[i], &status, 0) < 0 && errno == EINTR)
			;
		if (!rc && (!WIFEXITED(status) || WEXITSTATUS(status)))
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_SOFTWARE;
	}
	pl->n = 0;
	return rc;
}

/* Wait (bounded) for path to appear; a worker that ended without making
 * it failed, and said why. */
static int wait_for(struct cli *c, struct pool *pl, const char *path)
{
	for (int i = 0; i < 60000; i++) { /* 2 minutes at most */
		if (access(path, F_OK) == 0)
			return 0;
		for (size_t w = 0; w < pl->n; w++) {
			int status;
			if (waitpid(pl->pid[w], &status, WNOHANG) == pl->pid[w]) {
				pl->pid[w] = pl->pid[--pl->n];
				if (!WIFEXITED(status) || WEXITSTATUS(status))
					return WIFEXITED(status) ? WEXITSTATUS(status)
					                         : EXIT_SOFTWARE;
			}
		}
		nanosleep(&(struct timespec){0, 2000000}, NULL);
	}
	cli_err(c, MSG_E_DEMO_BUILD);
	return EXIT_SOFTWARE;
}

struct delivery {
	int64_t recv_at;
	size_t k;
	int p;
};

static int cmp_delivery(const void *a, const void *b)
{
	const struct delivery *x = a, *y = b;
	return x->recv_at < y->recv_at ? -1 : x->recv_at > y->recv_at;
}

/* The district enrolls each commune, then imports each commune's batches
 * when it received them, with the clock at that time. */
static int district_side(struct cli *c, const struct demo_home *h, const char *const *codes,
                         size_t n, size_t main, struct pool *pl)
{
	struct delivery dv[DEMO_MAX_COMMUNES * DEMO_NPERIODS];
	size_t nd = 0;
	char path[3072];
	int rc = 0;
	for (size_t k = 0; k < n && !rc; k++) {
		snprintf(path, sizeof path, "%s/ids/%s.id", h->root, codes[k]);
		vn_clock_set(at(2020, 12, 1, 9, (int)k));
		if (!(rc = wait_for(c, pl, path)))
			rc = demo_run(c, h->district, "quantri", cmd_enroll, "enroll", path, NULL);
	}
	for (size_t k = 0; k < n; k++) {
		for (int p = 0; p < DEMO_NPERIODS; p++) {
			struct demo_step st;
			demo_plan(c, k, n, main, p, &st);
			dv[nd++] = (struct delivery){st.recv_at, k, p};
		}
	}
	qsort(dv, nd, sizeof *dv, cmp_delivery);
	for (size_t i = 0; i < nd && !rc; i++) {
		snprintf(path, sizeof path, "%s/courier/%s-%s", h->root, codes[dv[i].k],
		         demo_period_ids[dv[i].p]);
		vn_clock_set(dv[i].recv_at);
		if (!(rc = wait_for(c, pl, path)))
			rc = demo_run(c, h->district, "huyen", cmd_import, "import", path, NULL);
		int fd = -1;
		if (!rc && dv[i].p == DEMO_NPERIODS - 1) {
			/* Its last batch is in: the commune may take its receipts. */
			snprintf(path, sizeof path, "%s/courier/%s.imported", h->root,
			         codes[dv[i].k]);
			if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0) {
				cli_err(c, MSG_E_WRITE_FILE, path);
				rc = EXIT_CANTCREAT;
			}
			if (fd >= 0)
				close(fd);
		}
	}
	return rc;
}

static int write_password_file(const char *path)
{
	char tmp[3072];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	/* One line per question the build asks (logins, new passwords). */
	for (int i = 0; i < 256; i++)
		fputs(DEMO_PASSWORD "\n", f);
	int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		remove(tmp);
		return -1;
	}
	return chmod(path, 0600);
}

static int make_dirs(struct cli *c, const struct demo_home *h)
{
	static const char *const sub[] = {"", "/communes", "/ids", "/courier", "/state"};
	char p[3072];
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		snprintf(p, sizeof p, "%s%s", h->root, sub[i]);
		if (mkdir(p, 0700) != 0 && (i == 0 || errno != EEXIST)) {
			cli_err(c, MSG_E_MKDIR, p, strerror(errno));
			return EXIT_CANTCREAT;
		}
	}
	if (write_password_file(h->password) != 0) {
		cli_err(c, MSG_E_WRITE_FILE, h->password);
		return EXIT_CANTCREAT;
	}
	path2(p, sizeof p, h->root, "state");
	/* This process's sync restore marks and password answers: the demo's. */
	setenv("XDG_STATE_HOME", p, 1);
	setenv("CCHC_PASSWORD_FILE", h->password, 1);
	return 0;
}

int demo_build(struct cli *c, const struct demo_home *h)
{
	const char *codes[DEMO_MAX_COMMUNES];
	size_t n, main;
	char did[3072];
	struct pool pl = {.n = 0};
	int rc = demo_communes(c, codes, &n, &main);
	if (rc || (rc = make_dirs(c, h)))
		return rc;
	secret_pwcost_use_min(1);
	snprintf(did, sizeof did, "%s/ids/076.id", h->root);
	vn_clock_set(at(2020, 11, 30, 8, 0));
	rc = demo_run(c, h->district, NULL, cmd_init, "init", "district", "--unit", "076",
	              "--admin", "quantri", NULL);
	if (!rc)
		rc = demo_run(c, h->district, "quantri", cmd_user, "user", "add", "huyen", "--role",
		              "huyen", NULL);
	if (!rc)
		rc = demo_run(c, h->district, NULL, cmd_key, "key", "export", did, NULL);
	if (!rc && !(rc = pool_start(&pl, c, h, codes, n, main))) {
		rc = district_side(c, h, codes, n, main, &pl);
		int wrc = pool_wait(&pl, rc != 0);
		rc = rc ? rc : wrc;
	}
	vn_clock_release();
	secret_pwcost_use_min(0);
	return rc;
}
