/*
 * sync/push.c: send sealed batches to the receiver with libcurl; needs no
 * secret (SPEC §6.5).
 *
 * One PUT per batch, the same bytes every time, to /v1/batches/<id>.  A
 * batch counts as delivered only with a receipt that verifies against the
 * district key pinned at init (a bare 201 proves nothing).  Stalled links
 * are abandoned (CURLOPT_LOW_SPEED_*: curl's own advice over a fixed total
 * time), and the run stops at the first network failure; the next run (the
 * systemd timer) retries.  Within a run a failed transfer is retried a few
 * times with "full jitter" backoff.  One push at a time per node
 * (outbox/push.lock); the sending state is changed only under outbox/lock,
 * held for a moment per batch, so the UI can seal meanwhile.
 */
#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "sync/sync_int.h"

struct upload {
	const uint8_t *buf;
	size_t len, off;
	uint8_t resp[1024];
	size_t rlen;
};

static size_t read_cb(char *dst, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t want = size * n, left = u->len - u->off;
	if (want > left)
		want = left;
	memcpy(dst, u->buf + u->off, want);
	u->off += want;
	return want;
}

static size_t write_cb(char *src, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t got = size * n, room = sizeof u->resp - u->rlen;
	memcpy(u->resp + u->rlen, src, got < room ? got : room);
	u->rlen += got < room ? got : room;
	return got;
}

/* One attempt: 0 with *http set, or SYNC_ENET / SYNC_ETEMP. */
void sx_curl_link(void *curl, const struct sync_push_opts *o)
{
	CURL *h = curl;
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->connect_seconds ? o->connect_seconds : 30L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 100L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o->stall_seconds ? o->stall_seconds : 60L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
}

static int put_once(CURL *h, const struct sync_push_opts *o, const uint8_t id[SYNC_ID_BYTES],
		    struct upload *u, long *http)
{
	char url[600], hex[65];
	sx_hex(id, SYNC_ID_BYTES, hex);
	snprintf(url, sizeof url, "%s/v1/batches/%s", o->url, hex);
	size_t n = strlen(o->url);
	if (n && o->url[n - 1] == '/')
		snprintf(url, sizeof url, "%.*sv1/batches/%s", (int)n, o->url, hex);
	u->off = 0;
	u->rlen = 0;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->len);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, u);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, u);
	sx_curl_link(h, o);
	/* A backstop on the whole request, generous for GPRS (2 KiB/s). */
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)(120 + u->len / 2048));
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	CURLcode cc = curl_easy_perform(h);
	if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
	    cc == CURLE_COULDNT_RESOLVE_PROXY || cc == CURLE_URL_MALFORMAT ||
	    cc == CURLE_UNSUPPORTED_PROTOCOL)
		return SYNC_ENET;
	if (cc != CURLE_OK)
		return SYNC_ETEMP;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, http);
	return SYNC_OK;
}

/* Record the outcome of one batch in the sending state. */
static int state_update(const struct sync_node *node, const uint8_t id[SYNC_ID_BYTES], int state,
			int http, const struct sync_receipt *r)
{
	char lockp[4200];
	int lock, rc;
	sx_path(node->home, "outbox/lock", lockp, sizeof lockp);
	if ((rc = sx_lock(lockp, 0, &lock)))
		return rc;
	struct sx_state st;
	if ((rc = sx_state_read(node->home, &st)) == 0) {
		struct sx_entry *e = sx_state_find(&st, id);
		if (e) {
			e->attempts++;
			e->http = http;
			if (r)
				sx_state_take_receipt(node->home, &st, r);
			else if (state >= 0)
				e->state = state;
			rc = sx_state_write(node->home, &st);
		}
		sx_state_free(&st);
	}
	sx_unlock(lock);
	return rc;
}

static void jitter_sleep(int attempt)
{
	unsigned cap = attempt < 5 ? 1u << attempt : 30u;
	usleep((useconds_t)secret_uniform(cap * 1000u) * 1000u);
}

/* Send one batch; 0 delivered, SYNC_EREFUSED, or a network failure. */
static int send_one(CURL *h, const struct sync_node *node, const uint8_t district_pk[32],
		    const struct sync_push_opts *o, const struct sx_entry *e, struct sync_event *ev)
{
	char path[4200];
	uint8_t *buf;
	size_t len;
	sx_batch_path(node->home, e->epoch, e->batch_no, path, sizeof path);
	int rc = sx_read_file(path, SYNC_BATCH_MAX, &buf, &len);
	if (rc)
		return rc;
	struct upload u = {buf, len, 0, {0}, 0};
	long http = 0;
	for (int attempt = 0;; attempt++) {
		rc = put_once(h, o, e->id, &u, &http);
		if (rc == 0 && (http == 503 || http == 429 || http >= 500))
			rc = SYNC_ETEMP;
		if (rc == 0 || attempt >= o->retries)
			break;
		jitter_sleep(attempt + 1);
	}
	free(buf);
	ev->http = (int)http;
	if (rc)
		return rc;
	if (http == 200 || http == 201) {
		struct sync_receipt r;
		if (u.rlen != SYNC_RECEIPT_BYTES || sync_receipt_verify(u.resp, district_pk, &r) ||
		    memcmp(r.batch_id, e->id, SYNC_ID_BYTES) != 0)
			return SYNC_ESIG; /* no valid receipt: not delivered */
		ev->what = http == 201 ? "sent" : "duplicate";
		return state_update(node, e->id, -1, (int)http, &r);
	}
	ev->what = "refused";
	rc = state_update(node, e->id, SX_REFUSED, (int)http, NULL);
	return rc ? rc : SYNC_EREFUSED;
}

int sync_push(const struct sync_node *node, const uint8_t district_pk[32],
	      const struct sync_push_opts *o)
{
	char lockp[4200];
	int plock, lock, rc;
	struct sx_state st;
	sx_path(node->home, "outbox/push.lock", lockp, sizeof lockp);
	if ((rc = sx_lock(lockp, 1, &plock)))
		return rc;
	sx_path(node->home, "outbox/lock", lockp, sizeof lockp);
	if ((rc = sx_lock(lockp, 0, &lock)))
		goto unlock_push;
	rc = sx_state_read(node->home, &st);
	sx_unlock(lock);
	if (rc)
		goto unlock_push;
	size_t total = 0, done = 0;
	for (size_t i = 0; i < st.n; i++)
		total += st.e[i].state == SX_SEALED || st.e[i].state == SX_REFUSED;
	CURL *h = total ? curl_easy_init() : NULL;
	if (total && !h) {
		rc = SYNC_ENOMEM;
		goto free_state;
	}
	int refused = 0;
	for (size_t i = 0; i < st.n; i++) {
		struct sx_entry *e = &st.e[i];
		if (e->state != SX_SEALED && e->state != SX_REFUSED)
			continue;
		struct sync_event ev = {"failed", e->epoch, e->batch_no, ++done, total, 0, 0};
		rc = send_one(h, node, district_pk, o, e, &ev);
		ev.err = rc;
		if (o->event)
			o->event(o->ctx, &ev);
		if (rc == SYNC_EREFUSED) {
			refused = 1;
			continue;
		}
		if (rc == SYNC_ESIG || rc == SYNC_EIO) {
			refused = 1; /* this batch only; try the others */
			continue;
		}
		if (rc)
			break;
	}
	if (rc == 0 || rc == SYNC_EREFUSED || rc == SYNC_ESIG || rc == SYNC_EIO)
		rc = refused ? SYNC_EREFUSED : SYNC_OK;
	if (h)
		curl_easy_cleanup(h);
free_state:
	sx_state_free(&st);
unlock_push:
	sx_unlock(plock);
	return rc;
}
