/*
 * sync/fetch.c: the commune fetches what the district has for it (imported
 * receipts, returns for correction, data files) from the receiver, with
 * libcurl; needs no secret, like push.
 *
 * GET /v1/receipts?commune=CODE&after=N answers whole items from byte N of
 * the district's receipts/CODE.ccr; the offset reached is kept in
 * outbox/fetched (text), so each run asks only for what is new.  A lost or
 * damaged offset file only means asking from 0 again: every item is taken
 * once whatever arrives twice (mailbox.c).  Nothing is trusted for coming
 * from the receiver: each item is verified against the district key pinned
 * at init, and one that fails refuses the whole answer.
 */
#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sync/sync_int.h"

#define FETCH_MAX (1u << 20) /* a bigger answer than the receiver ever sends */
#define FETCH_ROUNDS 256

struct answer {
	uint8_t *buf;
	size_t len;
	int too_big;
	uint64_t from;
	int more, has_from;
};

static size_t body_cb(char *src, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t got = size * n;
	if (a->len + got > FETCH_MAX) {
		a->too_big = 1;
		return 0; /* aborts the transfer */
	}
	uint8_t *p = realloc(a->buf, a->len + got);
	if (!p)
		return 0;
	memcpy(p + a->len, src, got);
	a->buf = p;
	a->len += got;
	return got;
}

static size_t header_cb(char *src, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t got = size * n;
	char line[128];
	if (got >= sizeof line)
		return got;
	memcpy(line, src, got);
	line[got] = '\0';
	unsigned long long v;
	if (strncasecmp(line, "X-CCHC-From:", 12) == 0 && sscanf(line + 12, "%llu", &v) == 1)
		a->from = v, a->has_from = 1;
	else if (strncasecmp(line, "X-CCHC-More:", 12) == 0 && sscanf(line + 12, "%llu", &v) == 1)
		a->more = v == 1;
	return got;
}

static uint64_t offset_read(const char *home)
{
	char path[4200];
	uint8_t *buf;
	size_t len;
	unsigned long long v = 0;
	sx_path(home, "outbox/fetched", path, sizeof path);
	if (sx_read_file(path, 64, &buf, &len) != 0)
		return 0;
	char text[65];
	memcpy(text, buf, len);
	text[len] = '\0';
	free(buf);
	return sscanf(text, "%llu", &v) == 1 ? v : 0;
}

static int offset_write(const char *home, uint64_t off)
{
	char path[4200], text[32];
	sx_path(home, "outbox/fetched", path, sizeof path);
	int n = snprintf(text, sizeof text, "%" PRIu64 "\n", off);
	return sx_write_durable(path, text, (size_t)n, 0600);
}

/* One GET: 0 with *http and a (the body), or SYNC_ENET / SYNC_ETEMP. */
static int get_once(CURL *h, const struct sync_push_opts *o, const char *code, uint64_t after,
		    struct answer *a, long *http)
{
	char url[700];
	size_t n = strlen(o->url);
	snprintf(url, sizeof url, "%.*s/v1/receipts?commune=%s&after=%" PRIu64,
		 (int)(n && o->url[n - 1] == '/' ? n - 1 : n), o->url, code, after);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->connect_seconds ? o->connect_seconds : 30L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 100L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o->stall_seconds ? o->stall_seconds : 60L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode cc = curl_easy_perform(h);
	if (a->too_big)
		return SYNC_ETOOBIG;
	if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
	    cc == CURLE_COULDNT_RESOLVE_PROXY || cc == CURLE_URL_MALFORMAT ||
	    cc == CURLE_UNSUPPORTED_PROTOCOL)
		return SYNC_ENET;
	if (cc != CURLE_OK)
		return SYNC_ETEMP;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, http);
	return SYNC_OK;
}

int sync_fetch(const struct sync_node *node, const uint8_t district_pk[32],
	       const struct sync_push_opts *o, size_t *taken, size_t *ignored)
{
	size_t nt = 0, ni = 0;
	uint64_t off = offset_read(node->home);
	char dir[4200];
	sx_path(node->home, "outbox", dir, sizeof dir);
	if (sx_mkdir(dir))
		return SYNC_EIO;
	CURL *h = curl_easy_init();
	int rc = h ? SYNC_OK : SYNC_ENOMEM;
	for (int round = 0; rc == 0 && round < FETCH_ROUNDS; round++) {
		struct answer a = {0};
		long http = 0;
		curl_easy_reset(h);
		rc = get_once(h, o, node->unit, off, &a, &http);
		if (rc == 0 && (http == 403 || http == 404))
			rc = SYNC_EREFUSED;
		else if (rc == 0 && http != 200)
			rc = http >= 500 || http == 429 ? SYNC_ETEMP : SYNC_EREFUSED;
		else if (rc == 0 && !a.has_from)
			rc = SYNC_EFORMAT;
		if (rc == 0 && a.len) {
			size_t t = 0, i = 0;
			rc = sx_mail_take(node, district_pk, a.buf, a.len, &t, &i);
			nt += t, ni += i;
		}
		free(a.buf);
		if (rc)
			break;
		if (a.from + a.len != off && (rc = offset_write(node->home, a.from + a.len)))
			break;
		off = a.from + a.len;
		if (!a.more || !a.len)
			break;
	}
	if (h)
		curl_easy_cleanup(h);
	if (taken)
		*taken = nt;
	if (ignored)
		*ignored = ni;
	return rc;
}
