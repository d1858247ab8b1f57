/*
 * cli/cmd_sync.c: `cchc sync status|push|export|receipts` on a commune
 * node, and the seal hook the record commands call after a save.
 *
 * push, export and receipts need no password (SPEC §6.5): they use only the
 * sealed batch files, the sending state and the district's public identity
 * (keys/district.id).  With --user, status and receipts first log in and run
 * a session: seal what waits, mark reports sent or received.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_sync.h"
#include "cli/periods.h"
#include "core/secret.h"
#include "core/vnfmt.h"
#include "sync/sync.h"

static int usage_sync(struct cli *c, int rc)
{
	fputs(cli_msg(c, MSG_USAGE_SYNC), rc ? stderr : stdout);
	fputs(cli_msg(c, MSG_USAGE_SYNC_MAIL), rc ? stderr : stdout);
	return rc;
}

const char *cli_sync_reason(const struct cli *c, int err)
{
	return cli_msg(c, sync_reason(err));
}

static void node_of(const struct cli *c, struct sync_node *n)
{
	n->home = c->home;
	n->unit = c->conf.unit;
	n->district = c->conf.district;
}

/* Common failures of the commands that need no secret. */
static int sync_fail(struct cli *c, int err)
{
	switch (err) {
	case SYNC_EBUSY:
		cli_err(c, MSG_E_SYNC_BUSY);
		return EXIT_TEMPFAIL;
	case SYNC_EDAMAGED:
		cli_err(c, MSG_E_STATE_DAMAGED, c->home);
		return EXIT_DATAERR;
	case SYNC_ENOMEM:
		cli_err(c, MSG_E_NOMEM);
		return EXIT_SOFTWARE;
	default:
		cli_err(c, MSG_E_SYNC_IO, c->home);
		return EXIT_IOERR;
	}
}

static int session(struct cli *c, int quiet)
{
	struct sync_node n;
	size_t sealed = 0;
	int store_err = 0;
	node_of(c, &n);
	int rc = sync_session(c->store, &n, &sealed, &store_err);
	if (rc == SYNC_ESTORE)
		return cli_store_fail(c, store_err);
	if (rc)
		return sync_fail(c, rc);
	if (sealed && !quiet)
		cli_out(c, MSG_SYNC_SEALED, sealed);
	return 0;
}

void cli_sync_after_save(struct cli *c)
{
	if (c->conf.kind != NODE_COMMUNE || !c->store)
		return;
	struct sync_node n;
	size_t sealed = 0;
	int store_err = 0;
	node_of(c, &n);
	int rc = sync_session(c->store, &n, &sealed, &store_err);
	if (rc)
		cli_err(c, MSG_W_SEAL_FAILED,
			rc == SYNC_ESTORE ? store_strerror(store_err) : sync_strerror(rc));
}

void cli_sync_take_mail(struct cli *c)
{
	struct sync_node n;
	if (c->conf.kind != NODE_COMMUNE || !c->store || !store_whoami(c->store))
		return;
	node_of(c, &n);
	if (sync_mail_pending(&n))
		cli_sync_after_save(c);
}

int cli_sync_publish_communes(struct cli *c, const struct sync_commune *list, size_t n)
{
	void *sk;
	size_t len;
	int err = store_meta_get(c->store, "sign_sk", &sk, &len);
	if (err)
		return cli_store_fail(c, err);
	int rc = len == 64 ? sync_communes_write(c->home, c->conf.unit, list, n, sk) : SYNC_EKEY;
	if (rc == 0)
		rc = sync_receiver_key_make(c->home, sk);
	secret_free(sk);
	if (rc) {
		cli_err(c, MSG_E_SYNC_IO, c->home);
		return EXIT_IOERR;
	}
	return 0;
}

static int need_commune(struct cli *c, int login)
{
	int rc = login ? cli_login(c, 0) : node_conf_load(c);
	if (rc)
		return rc;
	if (c->conf.kind != NODE_COMMUNE) {
		cli_err(c, MSG_E_COMMUNE_ONLY);
		return EXIT_USAGE;
	}
	return 0;
}

int cli_sync_district_key(struct cli *c, uint8_t pk[32])
{
	char path[4200];
	struct identity id;
	node_path(c, "keys/district.id", path, sizeof path);
	int rc = identity_read(c, path, &id);
	if (rc)
		return rc;
	memcpy(pk, id.sign_pk, 32);
	return 0;
}

/* "Chỉ tiêu năm 2026 đã cập nhật" for what the district's files changed. */
static void print_file_changes(struct cli *c)
{
	struct sync_file_change ch[5];
	size_t n = 0;
	if (sync_file_changes(c->home, ch, 5, &n) != 0 || !n)
		return;
	cli_out(c, MSG_SYNC_FILES_HEAD);
	for (size_t i = 0; i < n; i++) {
		static const enum msg_id plain[] = {MSG_FILE_UNITS, MSG_FILE_FORM, MSG_FILE_PERIODS,
						    MSG_FILE_TARGETS, MSG_FILE_UNITS};
		const char *year = NULL;
		for (const char *p = ch[i].name; *p && !year; p++)
			if (p[0] == '2' && p[1] == '0' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
			    p[3] <= '9')
				year = p;
		char what[160], when[VN_TIME_BUF];
		int k = ch[i].kind >= SYNC_FILE_FORM && ch[i].kind <= SYNC_FILE_UNITS ? ch[i].kind : 0;
		if (year && k == SYNC_FILE_TARGETS)
			snprintf(what, sizeof what, cli_msg(c, MSG_FILE_TARGETS_YEAR), year);
		else if (year && k == SYNC_FILE_PERIODS)
			snprintf(what, sizeof what, cli_msg(c, MSG_FILE_PERIODS_YEAR), year);
		else
			snprintf(what, sizeof what, "%s", cli_msg(c, plain[k]));
		vn_time_format(ch[i].time, when);
		cli_out(c, MSG_SYNC_FILE_LINE, when, what, ch[i].name);
	}
}

static int sync_status(struct cli *c)
{
	int rc = need_commune(c, c->user != NULL);
	if (rc || (c->user && (rc = session(c, 0))))
		return rc;
	if ((rc = cli_open(c)))
		return rc;
	uint64_t last = 0;
	int err = store_outbox_last(c->store, &last);
	if (err)
		return cli_store_fail(c, err);
	struct sync_node n;
	struct sync_status st;
	node_of(c, &n);
	if ((rc = sync_status_read(&n, last, &st)))
		return sync_fail(c, rc);
	cli_out(c, MSG_SYNC_STATUS, (unsigned long long)st.changes_waiting, st.batches_waiting,
		st.batches_stored, st.batches_imported, st.batches_refused);
	if (st.last_receipt_at) {
		char when[VN_TIME_BUF];
		vn_time_format(st.last_receipt_at, when);
		cli_out(c, MSG_SYNC_LAST_RECEIPT, when,
			cli_msg(c, st.last_receipt_status == SYNC_RCPT_IMPORTED	? MSG_RCPT_IMPORTED
				   : st.last_receipt_status == SYNC_RCPT_DUPLICATE ? MSG_RCPT_DUPLICATE
										   : MSG_RCPT_STORED));
	} else {
		cli_out(c, MSG_SYNC_NO_RECEIPT);
	}
	cli_print_deadline_warning(c);
	print_file_changes(c);
	return 0;
}

struct push_ctx {
	struct cli *c;
	int tty;
	size_t forbidden, badreceipt;
};

static void push_event(void *arg, const struct sync_event *ev)
{
	struct push_ctx *p = arg;
	struct cli *c = p->c;
	unsigned long long no = (unsigned long long)ev->batch_no;
	if (p->tty)
		fprintf(stderr, "\r%60s\r", "");
	if (ev->err == 0 && strcmp(ev->what, "sent") == 0)
		cli_out(c, MSG_PUSH_SENT, no);
	else if (ev->err == 0)
		cli_out(c, MSG_PUSH_DUP, no);
	else if (ev->err == SYNC_EREFUSED && ev->http == 409)
		cli_out(c, MSG_PUSH_CONFLICT, no);
	else if (ev->err == SYNC_EREFUSED)
		cli_out(c, MSG_PUSH_REFUSED, no, ev->http);
	else
		cli_out(c, MSG_PUSH_FAILED, no, sync_strerror(ev->err));
	p->forbidden += ev->err == SYNC_EREFUSED && ev->http == 403;
	p->badreceipt += ev->err == SYNC_ESIG;
	if (p->tty && ev->done < ev->total) {
		fprintf(stderr, cli_msg(c, MSG_PUSH_PROGRESS), ev->done + 1, ev->total);
		fflush(stderr);
	}
	fflush(stdout);
}

/* After the batches: fetch what the district has for this commune
 * (receipts, returns); with --user, apply the messages at once.  rc_push
 * is the push's exit code, kept when the fetch goes well. */
static int fetch_cmd(struct cli *c, const struct sync_node *n, const uint8_t pk[32],
		     const struct sync_push_opts *o, int rc_push)
{
	size_t taken = 0, ignored = 0;
	int rc = sync_fetch(n, pk, o, &taken, &ignored);
	if (taken || ignored)
		cli_out(c, MSG_FETCH_DONE, taken, ignored);
	switch (rc) {
	case SYNC_OK:
		break;
	case SYNC_ESIG:
	case SYNC_EFORMAT:
	case SYNC_ETOOBIG:
		cli_err(c, MSG_E_FETCH_SIG);
		return EXIT_DATAERR;
	case SYNC_EREFUSED:
		cli_err(c, MSG_E_FETCH_REFUSED);
		return EXIT_NOPERM;
	case SYNC_ENET:
	case SYNC_ETEMP:
		cli_err(c, MSG_E_FETCH_FAILED, sync_strerror(rc));
		return rc_push ? rc_push : rc == SYNC_ENET ? EXIT_UNAVAILABLE : EXIT_TEMPFAIL;
	default:
		return sync_fail(c, rc);
	}
	if (sync_mail_pending(n)) {
		if (!c->user)
			cli_out(c, MSG_FETCH_PENDING);
		else if ((rc = cli_login(c, 0)) || (rc = session(c, 0)))
			return rc;
	}
	return rc_push;
}

static int sync_push_cmd(struct cli *c, int argc, char **argv)
{
	struct sync_push_opts o = {0};
	const char *server = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--server") == 0 && i + 1 < argc)
			server = argv[++i];
		else if (strcmp(argv[i], "--retries") == 0 && i + 1 < argc)
			o.retries = atoi(argv[++i]);
		else
			return usage_sync(c, EXIT_USAGE);
	}
	uint8_t pk[32];
	int rc = need_commune(c, 0);
	if (rc || (rc = cli_sync_district_key(c, pk)))
		return rc;
	o.url = server ? server : c->conf.server;
	if (!o.url || !*o.url) {
		cli_err(c, MSG_E_NO_SERVER);
		return EXIT_USAGE;
	}
	/* Test hooks: a short stall limit makes "the link stalled" quick to test. */
	const char *stall = getenv("CCHC_SYNC_STALL");
	o.stall_seconds = stall ? atol(stall) : 0;
	struct push_ctx p = {c, isatty(2), 0, 0};
	o.event = push_event;
	o.ctx = &p;
	struct sync_node n;
	node_of(c, &n);
	struct sync_status st;
	if ((rc = sync_status_read(&n, 0, &st)))
		return sync_fail(c, rc);
	if (st.batches_waiting + st.batches_refused == 0) {
		cli_out(c, MSG_PUSH_NOTHING);
		return fetch_cmd(c, &n, pk, &o, 0);
	}
	if (p.tty) {
		fprintf(stderr, cli_msg(c, MSG_PUSH_PROGRESS), (size_t)1,
			st.batches_waiting + st.batches_refused);
		fflush(stderr);
	}
	rc = sync_push(&n, pk, &o);
	if (p.tty)
		fprintf(stderr, "\r%60s\r", "");
	switch (rc) {
	case SYNC_OK:
		cli_out(c, MSG_PUSH_DONE);
		return fetch_cmd(c, &n, pk, &o, 0);
	case SYNC_ENET:
		cli_err(c, MSG_E_PUSH_NET, o.url);
		return EXIT_UNAVAILABLE;
	case SYNC_ETEMP:
		cli_err(c, MSG_E_PUSH_TEMP);
		return EXIT_TEMPFAIL;
	case SYNC_EREFUSED:
		if (p.badreceipt) {
			cli_err(c, MSG_E_BAD_RECEIPT_SERVER);
			return EXIT_DATAERR;
		}
		if (p.forbidden) {
			cli_err(c, MSG_E_PUSH_FORBIDDEN);
			return EXIT_NOPERM;
		}
		cli_err(c, MSG_E_PUSH_REFUSED);
		return fetch_cmd(c, &n, pk, &o, EXIT_DATAERR);
	default:
		return sync_fail(c, rc);
	}
}

static void export_event(void *arg, const struct sync_event *ev)
{
	struct cli *c = arg;
	if (ev->err == 0)
		cli_out(c, MSG_EXPORT_ONE, (unsigned long long)ev->batch_no);
}

static int sync_export_cmd(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return usage_sync(c, EXIT_USAGE);
	int rc = need_commune(c, 0);
	if (rc)
		return rc;
	struct sync_node n;
	size_t count = 0;
	node_of(c, &n);
	rc = sync_export(&n, argv[1], export_event, c, &count);
	if (rc == SYNC_EBUSY || rc == SYNC_EDAMAGED || rc == SYNC_ENOMEM)
		return sync_fail(c, rc);
	if (rc) {
		cli_err(c, MSG_E_EXPORT, argv[1], sync_strerror(rc));
		return EXIT_CANTCREAT;
	}
	cli_out(c, MSG_EXPORT_DONE, count, argv[1]);
	return 0;
}

static int sync_receipts_cmd(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_sync(c, EXIT_USAGE);
	uint8_t pk[32];
	int rc = need_commune(c, c->user != NULL);
	if (rc || (rc = cli_sync_district_key(c, pk)))
		return rc;
	struct sync_node n;
	node_of(c, &n);
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		size_t taken = 0, ignored = 0;
		rc = sync_receipts_take(&n, pk, argv[i], &taken, &ignored);
		if (rc == SYNC_EFORMAT || rc == SYNC_ESIG || rc == SYNC_EIO || rc == SYNC_ETOOBIG) {
			cli_err(c, MSG_E_RECEIPT_BAD, argv[i],
				rc == SYNC_ESIG      ? cli_msg(c, MSG_R_MAIL_SIG)
				: rc == SYNC_EFORMAT ? cli_msg(c, MSG_R_MAIL_FORMAT)
						     : cli_sync_reason(c, rc));
			bad = rc == SYNC_EIO ? EXIT_NOINPUT : EXIT_DATAERR;
			continue;
		}
		if (rc)
			return sync_fail(c, rc);
		cli_out(c, MSG_RECEIPTS_DONE, argv[i], taken, ignored);
	}
	if (c->user && (rc = session(c, 0)))
		return rc;
	if (!c->user && sync_mail_pending(&n))
		cli_out(c, MSG_FETCH_PENDING);
	return bad;
}

int cmd_sync(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_sync(c, EXIT_USAGE);
	const char *sub = argv[1];
	argc--, argv++;
	if (strcmp(sub, "--help") == 0)
		return usage_sync(c, 0);
	if (strcmp(sub, "status") == 0 && argc == 1)
		return sync_status(c);
	if (strcmp(sub, "push") == 0)
		return sync_push_cmd(c, argc, argv);
	if (strcmp(sub, "export") == 0)
		return sync_export_cmd(c, argc, argv);
	if (strcmp(sub, "receipts") == 0)
		return sync_receipts_cmd(c, argc, argv);
	cli_err(c, MSG_E_BAD_ARG, sub);
	return usage_sync(c, EXIT_USAGE);
}
