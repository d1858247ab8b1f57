/*
 * cli/cmd_serve.c: `cchc serve [--listen ADDR:PORT]`, the district's
 * receiver.  It runs with no password: it reads only public files (the
 * district identity keys/node.id, the signed communes.list) and its own
 * receipt key keys/receiver.key (see sync/keys.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_sync.h"
#include "sync/sync.h"

struct listen_addr {
	char host[64];
	unsigned port;
};

/* "127.0.0.1:8750", "[::1]:8750", "::1" is refused (ambiguous). */
static int parse_listen(const char *s, struct listen_addr *a)
{
	const char *colon;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		if (!end || end[1] != ':' || (size_t)(end - s - 1) >= sizeof a->host)
			return -1;
		memcpy(a->host, s + 1, (size_t)(end - s - 1));
		a->host[end - s - 1] = '\0';
		colon = end + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof a->host || memchr(s, ':', (size_t)(colon - s)))
			return -1;
		memcpy(a->host, s, (size_t)(colon - s));
		a->host[colon - s] = '\0';
	}
	char *end;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (*end || colon[1] == '\0' || p > 65535)
		return -1;
	a->port = (unsigned)p;
	return 0;
}

struct ready_ctx {
	struct cli *c;
	const char *host;
};

static void ready(void *arg, unsigned port)
{
	struct ready_ctx *r = arg;
	char host[80];
	/* The line shows the URL to give `sync push --server`: an IPv6
	 * address goes in brackets there (RFC 3986). */
	snprintf(host, sizeof host, strchr(r->host, ':') ? "[%s]" : "%s", r->host);
	fprintf(stderr, cli_msg(r->c, MSG_SERVE_LISTEN), host, port);
	fflush(stderr);
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	struct listen_addr a = {"127.0.0.1", 8750};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(cli_msg(c, MSG_USAGE_SERVE), stdout);
			return 0;
		}
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			if (parse_listen(argv[++i], &a) != 0) {
				cli_err(c, MSG_E_BAD_LISTEN, argv[i]);
				return EXIT_USAGE;
			}
			continue;
		}
		fputs(cli_msg(c, MSG_USAGE_SERVE), stderr);
		return EXIT_USAGE;
	}
	int rc = node_conf_load(c);
	if (rc)
		return rc;
	if (c->conf.kind != NODE_DISTRICT) {
		cli_err(c, MSG_E_DISTRICT_ONLY, "serve");
		return EXIT_USAGE;
	}
	char path[4200];
	struct identity me;
	node_path(c, "keys/node.id", path, sizeof path);
	if ((rc = identity_read(c, path, &me)))
		return rc;
	struct ready_ctx rctx = {c, a.host};
	const char *per_ip = getenv("CCHC_SERVE_PER_IP");
	/* The most bytes of one GET /v1/receipts answer (tests page with it). */
	const char *mail_max = getenv("CCHC_SERVE_MAIL_MAX");
	struct sync_serve_opts o = {
		.home = c->home, .addr = a.host, .port = a.port, .district = c->conf.unit,
		.district_pk = me.sign_pk, .box_pk = me.box_pk,
		.max_per_ip = per_ip ? (unsigned)atoi(per_ip) : 0,
		.mail_answer_max = mail_max ? (size_t)atol(mail_max) : 0,
		.ready = ready, .ready_ctx = &rctx,
	};
	rc = sync_serve(&o);
	switch (rc) {
	case SYNC_OK:
		fputs(cli_msg(c, MSG_SERVE_STOPPED), stderr);
		return 0;
	case SYNC_EKEY:
		cli_err(c, MSG_E_SERVE_KEYS, c->home);
		return EXIT_CONFIG;
	case SYNC_ENET:
		cli_err(c, MSG_E_SERVE_LISTEN, a.host, a.port);
		return EXIT_UNAVAILABLE;
	default:
		cli_err(c, MSG_E_SYNC_IO, c->home);
		return EXIT_IOERR;
	}
}
