/*
 * cli/cmd_demo.c: `cchc demo [--district] [--reset] [--no-ui] [--keys FILE]
 * [--show-keys]`, the trainer's demo (SPEC §9; cli/demo.h).
 *
 * The demo home is $XDG_CACHE_HOME/cchc-demo (~/.cache/cchc-demo): a cache,
 * rebuilt at will, never the user's node ($CCHC_HOME, $XDG_DATA_HOME/cchc,
 * or --home), which the demo neither opens nor writes; a demo home that
 * would be, or be inside, that node is refused.  While the UI is open a
 * receiver (`cchc serve` in a child process) listens on a free port of
 * 127.0.0.1 and the commune's server setting points at it; it is stopped
 * by its PID when the UI ends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_sync.h"
#include "cli/demo.h"
#include "cli/ui.h"
#include "core/vnfmt.h"
#include "tui/tui.h"

static int usage_demo(struct cli *c, int rc)
{
	fputs(cli_msg(c, MSG_USAGE_DEMO), rc ? stderr : stdout);
	return rc;
}

static int demo_paths(struct cli *c, struct demo_home *h)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char base[2048];
	if (x && x[0] == '/')
		snprintf(base, sizeof base, "%s", x);
	else if (home && home[0] == '/')
		snprintf(base, sizeof base, "%s/.cache", home);
	else {
		cli_err(c, MSG_E_DEMO_NOCACHE);
		return EXIT_USAGE;
	}
	/* mkdir -p base (a fresh machine has no ~/.cache yet) */
	for (char *p = base + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char was = *p;
		*p = '\0';
		if (mkdir(base, 0700) != 0 && errno != EEXIST) {
			cli_err(c, MSG_E_MKDIR, base, strerror(errno));
			return EXIT_CANTCREAT;
		}
		*p = was;
		if (!was)
			break;
	}
	char real[PATH_MAX];
	const char *b = realpath(base, real) ? real : base;
	if (strlen(b) > sizeof h->root - 16) {
		cli_err(c, MSG_E_DEMO_NOCACHE);
		return EXIT_USAGE;
	}
	snprintf(h->root, sizeof h->root, "%.2000s/cchc-demo", b);
	snprintf(h->district, sizeof h->district, "%s/district", h->root);
	snprintf(h->communes, sizeof h->communes, "%s/communes", h->root);
	snprintf(h->password, sizeof h->password, "%s/password", h->root);
	snprintf(h->done, sizeof h->done, "%s/demo.conf", h->root);
	return 0;
}

/* 1 when a is b or inside it (both absolute, no trailing slash). */
static int within(const char *a, const char *b)
{
	size_t n = strlen(b);
	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

/* The user's real node must not be, hold, or lie in the demo home. */
static int check_apart(struct cli *c, const struct demo_home *h)
{
	char real[PATH_MAX], cwd[PATH_MAX];
	if (!c->home || !*c->home)
		return 0;
	if (!realpath(c->home, real)) {
		/* No node there yet: its path as it would be. */
		if (c->home[0] == '/' || !getcwd(cwd, sizeof cwd))
			snprintf(real, sizeof real, "%s", c->home);
		else
			snprintf(real, sizeof real, "%.2000s/%.2000s", cwd, c->home);
		for (size_t n = strlen(real); n > 1 && real[n - 1] == '/'; n--)
			real[n - 1] = '\0';
	}
	if (within(real, h->root) || within(h->root, real)) {
		cli_err(c, MSG_E_DEMO_INSIDE, h->root, real);
		return EXIT_USAGE;
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

static int remove_demo(struct cli *c, const struct demo_home *h)
{
	if (access(h->root, F_OK) != 0)
		return 0;
	if (nftw(h->root, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
		cli_err(c, MSG_E_DEMO_REMOVE, h->root, strerror(errno));
		return EXIT_CANTCREAT;
	}
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* demo.conf, written last (temp, fsync, rename): the demo is complete. */
static int write_done(struct cli *c, const struct demo_home *h)
{
	char tmp[3072];
	snprintf(tmp, sizeof tmp, "%s.tmp", h->done);
	FILE *f = fopen(tmp, "w");
	if (!f)
		goto fail;
	fprintf(f,
	        "# cchc demo home, made by `cchc demo`; `cchc demo --reset` makes it again.\n"
	        "[demo]\nformat = %d\nseed = %u\ndistrict = %s\ncommune = %s/%s\n",
	        DEMO_FORMAT, DEMO_SEED, h->district, h->communes, DEMO_MAIN_COMMUNE);
	int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (!bad && rename(tmp, h->done) == 0)
		return 0;
	remove(tmp);
fail:
	cli_err(c, MSG_E_WRITE_FILE, h->done);
	return EXIT_CANTCREAT;
}

/* 1 when root/demo.conf says a complete demo of this version is there. */
static int demo_ready(const struct demo_home *h)
{
	FILE *f = fopen(h->done, "r");
	char line[256], want[64];
	int ok = 0;
	snprintf(want, sizeof want, "format = %d\n", DEMO_FORMAT);
	while (f && !ok && fgets(line, sizeof line, f))
		ok = strcmp(line, want) == 0;
	if (f)
		fclose(f);
	return ok;
}

static int build(struct cli *c, const struct demo_home *h)
{
	int rc = remove_demo(c, h);
	if (rc)
		return rc;
	fprintf(stderr, cli_msg(c, MSG_DEMO_BUILDING), h->root);
	double t0 = now_ms();
	/* The commands it runs print what they did; the demo prints its own
	 * summary instead. */
	fflush(stdout);
	int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0)
		dup2(null, STDOUT_FILENO);
	rc = demo_build(c, h);
	fflush(stdout);
	if (saved >= 0) {
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	if (null >= 0)
		close(null);
	if (!rc)
		rc = write_done(c, h);
	if (rc) {
		cli_err(c, MSG_E_DEMO_BUILD);
		return rc;
	}
	fprintf(stderr, cli_msg(c, MSG_DEMO_BUILT), (now_ms() - t0) / 1e3);
	return 0;
}

static void print_summary(const struct demo_home *h)
{
	printf("district=%s\ncommune=%s/%s\npassword=%s\n", h->district, h->communes,
	       DEMO_MAIN_COMMUNE, DEMO_PASSWORD);
	static const char *const roles[] = {"canbo", "lanhdao", "huyen", "quantri"};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		printf("user.%s=%s\n", roles[i], roles[i]);
}

/* ---- the receiver */

static int free_port(unsigned *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	int bad = fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	          getsockname(fd, (struct sockaddr *)&a, &len) != 0;
	if (fd >= 0)
		close(fd);
	*port = ntohs(a.sin_port);
	return bad ? -1 : 0;
}

static int port_open(unsigned port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static void stop_receiver(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (int i = 0; i < 200; i++) { /* 2 s at most */
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		nanosleep(&(struct timespec){0, 10000000}, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* `cchc serve` on the district node, in a child, its lines to
 * root/receiver.log; the PID, or -1 after a message. */
static pid_t start_receiver(struct cli *c, const struct demo_home *h, unsigned *port)
{
	char log[3072], listen[64];
	snprintf(log, sizeof log, "%s/receiver.log", h->root);
	if (free_port(port) != 0)
		goto fail;
	snprintf(listen, sizeof listen, "127.0.0.1:%u", *port);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		/* A demo killed outright must not leave its receiver behind. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		_exit(demo_run(c, h->district, NULL, cmd_serve, "serve", "--listen", listen, NULL));
	}
	for (int i = 0; i < 300; i++) { /* 3 s at most */
		if (port_open(*port))
			return pid;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			break;
		nanosleep(&(struct timespec){0, 10000000}, NULL);
	}
	stop_receiver(pid);
fail:
	cli_err(c, MSG_E_DEMO_RECEIVER, log);
	return -1;
}

/* Point the node's server setting at the demo's receiver. */
static void set_server(const struct cli *c, const char *home, unsigned port)
{
	struct cli d;
	demo_cli_open(&d, c, home, NULL);
	if (node_conf_load(&d) == 0 && d.conf.kind == NODE_COMMUNE) {
		snprintf(d.conf.server, sizeof d.conf.server, "http://127.0.0.1:%u", port);
		(void)node_conf_save(&d);
	}
	demo_cli_close(&d);
}

/* One node in the UI; *req: the node the user asked for next (TUI_NODE_*). */
static int open_node(struct cli *c, const char *home, int district, int *req, size_t *pos)
{
	char hint[256];
	snprintf(hint, sizeof hint, cli_msg(c, MSG_DEMO_LOGIN_HINT),
	         district ? "huyen, quantri" : "canbo, lanhdao, quantri", DEMO_PASSWORD);
	struct ui_opts o = {NULL, NULL, 0, ui_clock_ms(), NULL, NULL, NULL};
	if (c->ui)
		o = *c->ui;
	o.login_hint = hint;
	o.node_request = req;
	o.keys_pos = pos;
	*req = 0;
	struct cli d;
	demo_cli_open(&d, c, home, c->user);
	d.bulk = 0;
	int rc = cmd_ui(&d, &o);
	demo_cli_close(&d);
	return rc;
}

/* The UI on the demo's nodes, the receiver running meanwhile.  F12 on a
 * home screen goes from a commune to the district and back, Ctrl-N to the
 * next commune of the list; F10 ends the demo. */
static int open_ui(struct cli *c, const struct demo_home *h, int district)
{
	const char *codes[DEMO_MAX_COMMUNES];
	size_t n, cur;
	int rc = demo_communes(c, codes, &n, &cur);
	if (rc)
		return rc;
	char state[3072], home[3072];
	snprintf(state, sizeof state, "%s/state", h->root);
	setenv("XDG_STATE_HOME", state, 1);
	/* The demo's own time window: 09/09/2021 08:00 (Vietnam), the day
	 * before Q3 2021's deadline, running on from there; the receiver
	 * (forked below) inherits it.  The home offers 2021's periods, and
	 * Tân Trào's missing Q3 report sent now is received on time. */
	vn_clock_from(vn_date_start((struct vn_date){2021, 9, 9}) + 8 * 3600);
	unsigned port = 0;
	pid_t rx = start_receiver(c, h, &port);
	size_t pos = 0; /* a key script goes on from node to node */
	for (;;) {
		int req;
		if (!district) {
			snprintf(home, sizeof home, "%s/%s", h->communes, codes[cur]);
			if (rx > 0)
				set_server(c, home, port);
		}
		rc = open_node(c, district ? h->district : home, district, &req, &pos);
		if (rc || req == 0)
			break;
		if (req == TUI_NODE_NEXT)
			cur = (cur + 1) % n, district = 0;
		else
			district = !district;
	}
	stop_receiver(rx);
	return rc;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	int district = 0, reset = 0, no_ui = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0)
			return usage_demo(c, 0);
		else if (strcmp(argv[i], "--district") == 0)
			district = 1;
		else if (strcmp(argv[i], "--reset") == 0)
			reset = 1;
		else if (strcmp(argv[i], "--no-ui") == 0)
			no_ui = 1;
		else {
			cli_err(c, MSG_E_BAD_ARG, argv[i]);
			return usage_demo(c, EXIT_USAGE);
		}
	}
	struct demo_home h;
	int rc = demo_paths(c, &h);
	if (rc || (rc = check_apart(c, &h)) || (rc = cli_forms(c)))
		return rc;
	if ((reset || !demo_ready(&h)) && (rc = build(c, &h)))
		return rc;
	if (no_ui) {
		print_summary(&h);
		return 0;
	}
	return open_ui(c, &h, district);
}
