/*
 * sync/serve.c: the district's receiver over libmicrohttpd (SPEC §6).
 *
 * It holds public keys only (the district's, the signed communes list) and
 * its own receipt key: it can check who sent a batch but read none.
 *
 *   PUT /v1/batches/<64 hex id>  201 + receipt (stored), 200 + the same kind
 *                                of receipt (duplicate), 400 malformed or id
 *                                mismatch, 403 unknown/revoked commune, bad
 *                                signature or another district's batch, 409
 *                                another batch under that number, 411 no
 *                                length, 413 too large, 503 busy
 *   GET  /v1/ping                204
 *   GET  /v1/receipts?commune=CODE&after=N
 *                                200 + what the district has for an enrolled
 *                                commune (home/receipts/CODE.ccr: imported
 *                                receipts, messages) from byte N on, whole
 *                                items, at most 256 KiB; X-CCHC-From: the
 *                                offset the body starts at (0 when N is not
 *                                an item boundary), X-CCHC-More: 1 when more
 *                                remain; 400 bad code, 404 not enrolled, 403
 *                                revoked.  Everything in it is signed by the
 *                                district and a return's content is sealed to
 *                                the commune, so it needs no secret to serve
 *                                and tells a stranger only sizes and times.
 *
 * Limits: body size and the memory all bodies may take at once (checked on
 * the headers, before any body is read: an early answer makes MHD discard
 * the body and close), connections in total (1,024) and per address (64),
 * inactivity (MHD), and absolute deadlines per connection from accept (or
 * the end of its previous request): headers within 10 s, the whole request
 * within 120 s (serve_guard.c: MHD's timeout is only an inactivity timeout,
 * so a client trickling one byte a second would outlive it and a few
 * hundred of them would hold every slot).  A batch is
 * stored only from the final body callback, after every check, durably
 * (temp file, fsync, rename, fsync dir), and only then answered: a request
 * cut off, timed out or stopped by SIGTERM stores nothing.
 *
 * Spool: home/inbox/<commune>/<epoch>-<batch_no>.ccb; import moves applied
 * ones to home/inbox/done/<commune>/ under the same name, which still
 * counts for duplicates and conflicts, and forks to home/conflicts/ (fork.c),
 * which counts too.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/vnfmt.h"
#include "sync/serve_guard.h"
#include "sync/sync_int.h"

struct sync_server {
	const struct sync_serve_opts *o;
	pthread_mutex_t mu; /* the fields below */
	struct sync_commune *communes;
	size_t ncommunes;
	struct stat list_st;
	size_t buffered;    /* body bytes reserved by live requests */
	struct sync_receiver_key *key;
	uint8_t box_id[8];
	size_t max_body, budget;
	unsigned deadline;
	struct serve_guard *guard; /* absolute deadlines per connection */
};

struct request {
	uint8_t *buf;
	size_t len, declared;
	time_t start;
	char url[96];
	char addr[64];
	int answered;
};

static void log_line(const struct request *rq, const char *method, const char *url, int status,
		     const char *note)
{
	char when[VN_TIME_BUF];
	vn_time_format(vn_now(), when);
	fprintf(stderr, "%s %s %s %s %d %zu %s\n", when, rq ? rq->addr : "-", method, url, status,
		rq ? rq->len : 0, note);
}

static enum MHD_Result answer(struct MHD_Connection *c, int status, const void *body, size_t len,
			      int retry_after)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				len == SYNC_RECEIPT_BYTES && status < 300 ? "application/octet-stream"
									  : "text/plain; charset=utf-8");
	if (retry_after)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "30");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result text(struct MHD_Connection *c, int status, const char *msg)
{
	return answer(c, status, msg, strlen(msg), status == 503);
}

static void client_addr(struct MHD_Connection *c, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, cap, "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)cap);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  (socklen_t)cap);
}

/* Re-read communes.list when it changed (enroll/revoke take effect without
 * a restart).  Called with mu held. */
static int communes_refresh(struct sync_server *sv)
{
	char path[4200];
	struct stat st;
	sx_path(sv->o->home, "communes.list", path, sizeof path);
	if (stat(path, &st) != 0)
		return SYNC_EKEY;
	if (sv->communes && st.st_ino == sv->list_st.st_ino && st.st_size == sv->list_st.st_size &&
	    st.st_mtim.tv_sec == sv->list_st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == sv->list_st.st_mtim.tv_nsec)
		return SYNC_OK;
	struct sync_commune *l;
	size_t n;
	int rc = sync_communes_read(sv->o->home, sv->o->district_pk, &l, &n);
	if (rc)
		return rc;
	free(sv->communes);
	sv->communes = l;
	sv->ncommunes = n;
	sv->list_st = st;
	return SYNC_OK;
}

static int commune_key(struct sync_server *sv, const char *code, uint8_t pk[32])
{
	pthread_mutex_lock(&sv->mu);
	int rc = communes_refresh(sv);
	if (rc == 0) {
		rc = SYNC_EUNKNOWN;
		for (size_t i = 0; i < sv->ncommunes; i++) {
			if (strcmp(sv->communes[i].code, code) != 0)
				continue;
			memcpy(pk, sv->communes[i].sign_pk, 32);
			rc = sv->communes[i].revoked_at ? SYNC_EREVOKED : SYNC_OK;
		}
	}
	pthread_mutex_unlock(&sv->mu);
	return rc;
}

/* Existing copy of this (commune, epoch, batch_no) in the spool or kept
 * aside in conflicts/ (import moves both copies of a fork there; storing a
 * third would let it be applied): 0 none, 1 the same bytes, 2 other bytes. */
static int existing(const char *home, const struct sync_header *h, const uint8_t id[32])
{
	size_t kept;
	int has;
	if (sx_conflicts_find(home, h, id, &kept, &has) != 0 || kept)
		return has ? 1 : 2;
	const char *dirs[] = {"inbox", "inbox/done"};
	for (int i = 0; i < 2; i++) {
		char path[4400];
		snprintf(path, sizeof path, "%s/%s/%s/%016" PRIx64 "-%08" PRIu64 ".ccb", home,
			 dirs[i], h->commune, h->epoch, h->batch_no);
		uint8_t *buf, got[32];
		size_t len;
		if (access(path, F_OK) != 0)
			continue;
		if (sx_read_file(path, SYNC_BATCH_MAX, &buf, &len) != 0)
			return 2;
		secret_hash(buf, len, NULL, 0, got, 32);
		free(buf);
		return memcmp(got, id, 32) == 0 ? 1 : 2;
	}
	return 0;
}

/* temp file, fsync, then (under mu, so two uploads of one number cannot
 * both win) check again, rename, fsync the directory. */
static int spool(struct sync_server *sv, const struct sync_header *h, const uint8_t id[32],
		 const uint8_t *buf, size_t len, int *dup)
{
	char dir[4200], tmp[4300], path[4400];
	uint8_t rnd[8];
	char rhex[17];
	snprintf(dir, sizeof dir, "%s/inbox/%s", sv->o->home, h->commune);
	if (sx_mkdir(dir) != 0)
		return SYNC_EIO;
	secret_random(rnd, sizeof rnd);
	sx_hex(rnd, sizeof rnd, rhex);
	snprintf(tmp, sizeof tmp, "%s/inbox/.tmp/%s", sv->o->home, rhex);
	snprintf(path, sizeof path, "%s/%016" PRIx64 "-%08" PRIu64 ".ccb", dir, h->epoch,
		 h->batch_no);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return SYNC_EIO;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int bad = off != len || fsync(fd) != 0;
	bad |= close(fd) != 0;
	if (bad) {
		unlink(tmp); /* never retry a failed fsync as if it had worked */
		return SYNC_EIO;
	}
	pthread_mutex_lock(&sv->mu);
	int rc = SYNC_OK;
	int ex = existing(sv->o->home, h, id);
	if (ex) {
		*dup = ex == 1;
		rc = ex == 1 ? SYNC_OK : SYNC_ECONFLICT;
		unlink(tmp);
	} else if (rename(tmp, path) != 0 || sx_fsync_dir(dir) != 0) {
		unlink(tmp);
		rc = SYNC_EIO;
	}
	pthread_mutex_unlock(&sv->mu);
	return rc;
}

static enum MHD_Result finish(struct sync_server *sv, struct MHD_Connection *c, struct request *rq)
{
	struct sync_header h;
	uint8_t id[32], want[32], pk[32], rcpt[SYNC_RECEIPT_BYTES];
	char note[160];
	rq->answered = 1;
	if (rq->len != rq->declared) {
		log_line(rq, "PUT", rq->url, 400, "short body");
		return text(c, 400, "short body\n");
	}
	int rc = sync_batch_header(rq->buf, rq->len, &h);
	if (rc) {
		log_line(rq, "PUT", rq->url, rc == SYNC_ETOOBIG ? 413 : 400, "not a batch");
		return text(c, rc == SYNC_ETOOBIG ? 413 : 400, "not a cchc batch\n");
	}
	snprintf(note, sizeof note, "%s #%" PRIu64, h.commune, h.batch_no);
	if (strcmp(h.district, sv->o->district) != 0 || memcmp(h.recipient_key_id, sv->box_id, 8)) {
		log_line(rq, "PUT", rq->url, 403, "another district's batch");
		return text(c, 403, "sealed for another district\n");
	}
	if ((rc = commune_key(sv, h.commune, pk))) {
		log_line(rq, "PUT", rq->url, rc == SYNC_EKEY ? 503 : 403,
			 rc == SYNC_EREVOKED ? "revoked" : rc == SYNC_EKEY ? "no communes list" : "unknown");
		return text(c, rc == SYNC_EKEY ? 503 : 403,
			    rc == SYNC_EREVOKED ? "commune revoked\n" : "commune not enrolled\n");
	}
	if (sync_batch_verify(rq->buf, rq->len, pk, &h, id) != 0) {
		log_line(rq, "PUT", rq->url, 403, "bad signature");
		return text(c, 403, "signature does not verify\n");
	}
	if (sx_unhex(rq->url + 12, want, 32) != 0 || memcmp(want, id, 32) != 0) {
		log_line(rq, "PUT", rq->url, 400, "id mismatch");
		return text(c, 400, "batch id does not match the URL\n");
	}
	int dup = 0;
	rc = spool(sv, &h, id, rq->buf, rq->len, &dup);
	if (rc == SYNC_ECONFLICT) {
		log_line(rq, "PUT", rq->url, 409, note);
		return text(c, 409, "another batch has this number\n");
	}
	if (rc) {
		log_line(rq, "PUT", rq->url, 503, "cannot store");
		return text(c, 503, "cannot store now\n");
	}
	struct sync_receipt r = {dup ? SYNC_RCPT_DUPLICATE : SYNC_RCPT_STORED, {0}, {0},
				 h.epoch, h.batch_no, vn_now()};
	memcpy(r.batch_id, id, 32);
	memcpy(r.commune, h.commune, sizeof r.commune);
	sync_receipt_sign(&r, sv->key, NULL, rcpt);
	log_line(rq, "PUT", rq->url, dup ? 200 : 201, note);
	return answer(c, dup ? 200 : 201, rcpt, sizeof rcpt, 0);
}

#define MAIL_ANSWER_MAX (256u << 10)

static int code_ok(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n == 0 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= '0' && code[i] <= '9') || (code[i] >= 'A' && code[i] <= 'Z') ||
		      (code[i] >= 'a' && code[i] <= 'z')))
			return 0;
	return 1;
}

/* GET /v1/receipts?commune=CODE&after=N (see the top of this file). */
static enum MHD_Result mail_get(struct sync_server *sv, struct MHD_Connection *c,
				const struct request *probe)
{
	const char *code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "commune");
	const char *after = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
	const char *url = "/v1/receipts";
	char *end = NULL;
	errno = 0;
	unsigned long long n = after ? strtoull(after, &end, 10) : 0;
	if (!code_ok(code) || (after && (errno || *end || !after[0] || after[0] == '-'))) {
		log_line(probe, "GET", url, 400, "bad commune or offset");
		return text(c, 400, "commune=CODE&after=N expected\n");
	}
	uint8_t pk[32];
	int rc = commune_key(sv, code, pk);
	if (rc) {
		int st = rc == SYNC_EKEY ? 503 : rc == SYNC_EREVOKED ? 403 : 404;
		log_line(probe, "GET", url, st, rc == SYNC_EREVOKED ? "revoked" : "unknown");
		return text(c, st, rc == SYNC_EREVOKED ? "commune revoked\n" : "commune not enrolled\n");
	}
	uint8_t *body;
	size_t len;
	uint64_t from;
	int more;
	size_t max = sv->o->mail_answer_max ? sv->o->mail_answer_max : MAIL_ANSWER_MAX;
	if (sx_ccr_slice(sv->o->home, code, n, max, &body, &len, &from, &more)) {
		log_line(probe, "GET", url, 503, "cannot read");
		return text(c, 503, "cannot read now\n");
	}
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, body ? body : (void *)"", MHD_RESPMEM_MUST_COPY);
	free(body);
	if (!r)
		return MHD_NO;
	char hv[32], note[64];
	snprintf(hv, sizeof hv, "%" PRIu64, from);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
	MHD_add_response_header(r, "X-CCHC-From", hv);
	MHD_add_response_header(r, "X-CCHC-More", more ? "1" : "0");
	snprintf(note, sizeof note, "%s from %" PRIu64 ": %zu bytes", code, from, len);
	log_line(probe, "GET", url, 200, note);
	enum MHD_Result ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

static int url_ok(const char *url)
{
	if (strncmp(url, "/v1/batches/", 12) != 0 || strlen(url + 12) != 64)
		return 0;
	for (const char *p = url + 12; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *size, void **con_cls)
{
	struct sync_server *sv = cls;
	struct request *rq = *con_cls;
	(void)version;
	if (!rq) {
		struct request probe = {0};
		serve_guard_headers_done(sv->guard, c);
		client_addr(c, probe.addr, sizeof probe.addr);
		if (strcmp(method, "GET") == 0 && strcmp(url, "/v1/ping") == 0) {
			log_line(&probe, method, url, 204, "ping");
			return answer(c, 204, "", 0, 0);
		}
		if (strcmp(method, "GET") == 0 && strcmp(url, "/v1/receipts") == 0)
			return mail_get(sv, c, &probe);
		if (strcmp(method, "PUT") != 0 || !url_ok(url)) {
			int st = strcmp(method, "PUT") == 0 || strcmp(method, "GET") == 0 ? 404 : 405;
			log_line(&probe, method, "-", st, "no such resource");
			return text(c, st, "no such resource\n");
		}
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		char *end;
		errno = 0;
		unsigned long long n = cl ? strtoull(cl, &end, 10) : 0;
		if (!cl || errno || *end || cl[0] == '-') {
			log_line(&probe, method, url, 411, "no length");
			return text(c, 411, "Content-Length required\n");
		}
		if (n > sv->max_body) {
			log_line(&probe, method, url, 413, "too large");
			return text(c, 413, "batch too large\n");
		}
		pthread_mutex_lock(&sv->mu);
		int busy = sv->buffered + n > sv->budget;
		if (!busy)
			sv->buffered += n;
		pthread_mutex_unlock(&sv->mu);
		if (busy) {
			log_line(&probe, method, url, 503, "busy");
			return text(c, 503, "busy, try again later\n");
		}
		rq = calloc(1, sizeof *rq);
		if (rq)
			rq->buf = malloc(n ? n : 1);
		if (!rq || !rq->buf) {
			pthread_mutex_lock(&sv->mu);
			sv->buffered -= n;
			pthread_mutex_unlock(&sv->mu);
			if (rq)
				free(rq);
			return text(c, 503, "busy, try again later\n");
		}
		*rq = (struct request){rq->buf, 0, n, time(NULL), "", "", 0};
		snprintf(rq->url, sizeof rq->url, "%s", url);
		memcpy(rq->addr, probe.addr, sizeof rq->addr);
		*con_cls = rq;
		return MHD_YES;
	}
	if (*size) {
		/* No answer may be queued while the body is coming: drop instead. */
		if (time(NULL) - rq->start > (time_t)sv->deadline || *size > rq->declared - rq->len)
			return MHD_NO;
		memcpy(rq->buf + rq->len, data, *size);
		rq->len += *size;
		*size = 0;
		return MHD_YES;
	}
	if (rq->answered)
		return MHD_YES;
	return finish(sv, c, rq);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode why)
{
	struct sync_server *sv = cls;
	struct request *rq = *con_cls;
	serve_guard_request_done(sv->guard, c);
	if (!rq)
		return;
	if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK && !rq->answered)
		log_line(rq, "PUT", rq->url, 0, "dropped, nothing stored");
	pthread_mutex_lock(&sv->mu);
	sv->buffered -= rq->declared;
	pthread_mutex_unlock(&sv->mu);
	free(rq->buf);
	free(rq);
	*con_cls = NULL;
}

static void clean_tmp(const char *home)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/inbox/.tmp", home);
	sx_mkdir(dir);
	/* Half-written temp files of a receiver that was killed. */
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char p[4500];
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
}

/* The total connection cap: o->max_conns or 1,024 (a slow connection costs
 * a socket and an untouched 64 KiB pool), within the descriptors the
 * process may open (raised to the hard limit), keeping 64 for the rest. */
static unsigned conn_limit(const struct sync_serve_opts *o)
{
	unsigned want = o->max_conns ? o->max_conns : 1024u;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return want < 192u ? want : 192u;
	if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < (rlim_t)want + 64) {
		rlim_t old = rl.rlim_cur;
		rl.rlim_cur = rl.rlim_max < (rlim_t)want + 64 ? rl.rlim_max : (rlim_t)want + 64;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			rl.rlim_cur = old;
	}
	if (rl.rlim_cur < 128)
		return 64u;
	return rl.rlim_cur - 64 < (rlim_t)want ? (unsigned)(rl.rlim_cur - 64) : want;
}

int sync_serve(const struct sync_serve_opts *o)
{
	struct sync_server sv;
	memset(&sv, 0, sizeof sv);
	sv.o = o;
	sv.max_body = o->max_body ? o->max_body : SYNC_BATCH_MAX;
	sv.budget = o->memory_budget ? o->memory_budget : (40u << 20);
	sv.deadline = o->request_seconds ? o->request_seconds : 120;
	sx_key_id(o->box_pk, sv.box_id);
	char path[4200];
	sx_path(o->home, "inbox", path, sizeof path);
	if (sx_mkdir(path) != 0)
		return SYNC_EIO;
	clean_tmp(o->home);
	sv.key = secret_alloc(sizeof *sv.key);
	if (!sv.key)
		return SYNC_ENOMEM;
	int rc = sync_receiver_key_load(o->home, o->district_pk, sv.key);
	if (rc)
		goto free_key;
	pthread_mutex_init(&sv.mu, NULL);
	pthread_mutex_lock(&sv.mu);
	rc = communes_refresh(&sv);
	pthread_mutex_unlock(&sv.mu);
	if (rc)
		goto free_mu;

	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	memset(&a4, 0, sizeof a4);
	memset(&a6, 0, sizeof a6);
	if (inet_pton(AF_INET, o->addr, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)o->port);
		sa = (struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, o->addr, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)o->port);
		sa = (struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		rc = SYNC_ENET;
		goto free_mu;
	}
	/* SIGTERM and SIGINT are taken by sigwait below; block them before the
	 * server's threads start, so they inherit the mask. */
	sigset_t sigs, old;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);
	if ((rc = serve_guard_start(o->header_seconds ? o->header_seconds : 10u, sv.deadline,
				    &sv.guard))) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		goto free_mu;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)o->port, NULL, NULL, handle, &sv, MHD_OPTION_SOCK_ADDR, sa,
		MHD_OPTION_THREAD_POOL_SIZE, 4u, MHD_OPTION_CONNECTION_LIMIT, conn_limit(o),
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_per_ip ? o->max_per_ip : 64u,
		MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)65536, MHD_OPTION_NOTIFY_COMPLETED, completed, &sv,
		MHD_OPTION_NOTIFY_CONNECTION, serve_guard_notify, sv.guard, MHD_OPTION_END);
	if (!d) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		serve_guard_stop(sv.guard);
		rc = SYNC_ENET;
		goto free_mu;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (o->ready)
		o->ready(o->ready_ctx, di ? di->port : o->port);
	int sig;
	sigwait(&sigs, &sig);
	/* Requests in flight are cut off; none of them was stored. */
	MHD_stop_daemon(d);
	serve_guard_stop(sv.guard);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	rc = SYNC_OK;
free_mu:
	pthread_mutex_destroy(&sv.mu);
	free(sv.communes);
free_key:
	secret_free(sv.key);
	return rc;
}
