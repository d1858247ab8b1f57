/*
 * bench_serve: SPEC §10 "receiver under 200 concurrent uploads: < 64 MiB,
 * none lost", measured on the real thing.
 *
 * Setup through the real binary (next to this program's build directory):
 * a district node and COMMUNES commune nodes, initialised, enrolled with
 * `cchc enroll`; each commune saves register entries through the store and
 * seals them with sync_session, as a record command would, into BATCHES
 * batches.  Then, per round, `cchc serve` on 127.0.0.1 (port 0: a free one)
 * and 200 uploads at once through one libcurl multi handle.  A transfer
 * counts as delivered only with a receipt that verifies against the
 * district key and names its batch; anything else (a connection refused by
 * the receiver's limits, a 503) is retried with jittered backoff, like
 * `sync push`, and counted.  After the round the receiver is stopped by its
 * PID and checked: every batch in the spool once, with its own bytes, one
 * 201 per batch in its log.  Its peak RSS is VmHWM from /proc/PID/status.
 *
 * Round 1 lifts the per-address limit (CCHC_SERVE_PER_IP) so that one
 * loopback address stands for 200 communes' addresses: 200 requests are
 * truly in the receiver at once.  Round 2 keeps the defaults (64 per
 * address, 256 in total), as when many communes share one carrier NAT
 * address: the excess is refused and retried.
 */
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/secret.h"
#include "sync/sync_int.h"

#define COMMUNES 25
#define BATCHES 8 /* per commune: 200 uploads */
#define UPLOADS (COMMUNES * BATCHES)
#define ENTRIES 100 /* per batch, but the first of each commune: 1,000 (~70 KiB) */
#define MAX_TRIES 40
#define ROUND_SECONDS 60
#define PASSWORD "bench-admin-password"

/* Communes of district 076 (data/units/son-duong-2021.csv). */
static const char *const communes[COMMUNES] = {
	"02536", "02539", "02542", "02545", "02548", "02551", "02554", "02557", "02560",
	"02563", "02566", "02569", "02572", "02575", "02578", "02584", "02587", "02590",
	"02593", "02596", "02599", "02602", "02605", "02608", "02611"};

struct batch {
	char commune[SYNC_CODE_BUF];
	uint8_t *buf, id[SYNC_ID_BYTES];
	size_t len;
	uint64_t epoch, no;
};

struct xfer {
	struct batch *b;
	CURL *h;
	size_t off;
	uint8_t resp[512];
	size_t rlen;
	int tries, done;
	double retry_at; /* 0: in flight or done */
};

struct result {
	size_t stored, exactly_once, refused_conn, busy, other;
	double seconds, hwm_mib;
	int ok;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "bench_serve: failed: %s\n", cmd);
	return rc;
}

/* Register entries saved through the store, sealed by sync_session, one
 * batch per session. */
static int fill_commune(const char *home, const char *code, int k)
{
	struct store *s;
	if (store_open(home, NULL, &s) || store_login(s, "qt", PASSWORD, NULL))
		return 1;
	struct sync_node node = {home, code, "076"};
	for (int b = 0; b < BATCHES; b++) {
		for (int i = 0; i < (b ? ENTRIES : SYNC_BATCH_RECORDS); i++) {
			struct store_record r;
			char v[64];
			int n = k * 100000 + b * 10000 + i;
			store_record_init(&r);
			store_new_id(r.id);
			snprintf(r.form, sizeof r.form, "so-theo-doi-ho-so");
			r.form_version = 1;
			snprintf(r.unit, sizeof r.unit, "%s", code);
			snprintf(r.unit_list, sizeof r.unit_list, "GSO-2021");
			r.revision = 1;
			snprintf(v, sizeof v, "%d", i + 1);
			kv_set(&r.fields, "so_thu_tu", v);
			snprintf(v, sizeof v, "H59.36-2102%02d-%06d", 1 + i % 28, n);
			kv_set(&r.fields, "ma_ho_so", v);
			kv_set(&r.fields, "thu_tuc", i % 3 ? "Đăng ký khai sinh" : "Chứng thực bản sao");
			kv_set(&r.fields, "linh_vuc", i % 3 ? "Hộ tịch" : "Chứng thực");
			kv_set(&r.fields, "so_luong", "1");
			snprintf(v, sizeof v, "Nguyễn Văn %d", n);
			kv_set(&r.fields, "chu_ho_so", v);
			kv_set(&r.fields, "dia_chi", "Thôn Tân Lập");
			kv_set(&r.fields, "kenh_nop", i % 4 ? "truc_tiep" : "truc_tuyen");
			kv_set(&r.fields, "kenh_tra", "truc_tiep");
			kv_set(&r.fields, "ngay_tiep_nhan", "2021-02-01");
			kv_set(&r.fields, "ngay_hen_tra", "2021-02-05");
			kv_set(&r.fields, "trang_thai", "dang_giai_quyet");
			int err = store_record_put(s, &r, "create");
			store_record_clear(&r);
			if (err)
				return 1;
		}
		size_t sealed = 0;
		if (sync_session(s, &node, &sealed, NULL) || sealed != 1)
			return 1;
	}
	store_close(s);
	return 0;
}

/* Run fill_commune for every commune, four processes at a time (each
 * login is an Argon2id of 64 MiB). */
static int fill_all(const char *dir)
{
	int running = 0, bad = 0, st;
	for (int k = 0; k < COMMUNES; k++) {
		if (running == 4 && wait(&st) > 0)
			running--, bad |= !WIFEXITED(st) || WEXITSTATUS(st);
		pid_t p = fork();
		if (p < 0)
			return 1;
		if (p == 0) {
			char home[300];
			snprintf(home, sizeof home, "%s/c%02d", dir, k);
			_exit(fill_commune(home, communes[k], k));
		}
		running++;
	}
	while (running > 0 && wait(&st) > 0)
		running--, bad |= !WIFEXITED(st) || WEXITSTATUS(st);
	return bad;
}

static int load_batches(const char *dir, struct batch *out)
{
	size_t n = 0;
	for (int k = 0; k < COMMUNES; k++) {
		char od[300];
		snprintf(od, sizeof od, "%s/c%02d/outbox", dir, k);
		DIR *d = opendir(od);
		if (!d)
			return 1;
		struct dirent *de;
		while ((de = readdir(d))) {
			unsigned long long e, no;
			char tail[8], p[600];
			if (sscanf(de->d_name, "%16llx-%8llu%7s", &e, &no, tail) != 3 ||
			    strcmp(tail, ".ccb") || n == UPLOADS)
				continue;
			snprintf(p, sizeof p, "%s/%s", od, de->d_name);
			struct batch *b = &out[n++];
			if (sx_read_file(p, SYNC_BATCH_MAX, &b->buf, &b->len))
				return 1;
			secret_hash(b->buf, b->len, NULL, 0, b->id, SYNC_ID_BYTES);
			snprintf(b->commune, sizeof b->commune, "%s", communes[k]);
			b->epoch = e, b->no = no;
		}
		closedir(d);
	}
	return n == UPLOADS ? 0 : 1;
}

/* The district's signing key from its identity file (keys/node.id). */
static int district_pk(const char *home, uint8_t pk[32])
{
	char p[400], line[256];
	snprintf(p, sizeof p, "%s/keys/node.id", home);
	FILE *f = fopen(p, "r");
	int rc = 1;
	if (!f)
		return 1;
	while (fgets(line, sizeof line, f)) {
		size_t n;
		if (strncmp(line, "sign-key: ", 10) == 0) {
			line[strcspn(line, "\n")] = '\0';
			rc = secret_unbase64(line + 10, pk, 32, &n) != 0 || n != 32;
			break;
		}
	}
	fclose(f);
	return rc;
}

static pid_t start_receiver(const char *cchc, const char *home, const char *log,
			    const char *per_ip, unsigned *port)
{
	pid_t p = fork();
	if (p == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			_exit(70);
		dup2(fd, 2);
		if (per_ip)
			setenv("CCHC_SERVE_PER_IP", per_ip, 1);
		else
			unsetenv("CCHC_SERVE_PER_IP");
		execl(cchc, cchc, "--home", home, "serve", "--listen", "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && p > 0; i++) {
		char line[512];
		FILE *f = fopen(log, "r");
		while (f && fgets(line, sizeof line, f)) {
			char *u = strstr(line, "http://127.0.0.1:");
			if (u && sscanf(u + 17, "%u", port) == 1) {
				fclose(f);
				return p;
			}
		}
		if (f)
			fclose(f);
		usleep(50000);
	}
	fprintf(stderr, "bench_serve: the receiver did not start (see %s)\n", log);
	if (p > 0) {
		kill(p, SIGTERM);
		waitpid(p, NULL, 0);
	}
	return -1;
}

static size_t read_cb(char *dst, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t want = size * n, left = x->b->len - x->off;
	if (want > left)
		want = left;
	memcpy(dst, x->b->buf + x->off, want);
	x->off += want;
	return want;
}

static size_t write_cb(char *src, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t got = size * n, room = sizeof x->resp - x->rlen;
	memcpy(x->resp + x->rlen, src, got < room ? got : room);
	x->rlen += got < room ? got : room;
	return got;
}

static void xfer_start(CURLM *m, struct xfer *x, unsigned port)
{
	char url[200], hex[65];
	sx_hex(x->b->id, SYNC_ID_BYTES, hex);
	snprintf(url, sizeof url, "http://127.0.0.1:%u/v1/batches/%s", port, hex);
	if (!x->h)
		x->h = curl_easy_init();
	curl_easy_reset(x->h);
	x->off = x->rlen = 0;
	x->retry_at = 0;
	x->tries++;
	curl_easy_setopt(x->h, CURLOPT_URL, url);
	curl_easy_setopt(x->h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(x->h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)x->b->len);
	curl_easy_setopt(x->h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(x->h, CURLOPT_READDATA, x);
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(x->h, CURLOPT_FORBID_REUSE, 1L); /* one commune, one connection */
	curl_multi_add_handle(m, x->h);
}

/* One finished transfer: 1 delivered, 0 to retry (counted in r). */
static int xfer_done(struct xfer *x, CURLcode cc, const uint8_t dpk[32], struct result *r)
{
	long http = 0;
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &http);
	if (cc != CURLE_OK) {
		r->refused_conn++; /* closed by the receiver's connection limits */
		return 0;
	}
	if (http == 503) {
		r->busy++;
		return 0;
	}
	struct sync_receipt rc;
	if ((http == 201 || http == 200) && x->rlen == SYNC_RECEIPT_BYTES &&
	    sync_receipt_verify(x->resp, dpk, &rc) == 0 &&
	    memcmp(rc.batch_id, x->b->id, SYNC_ID_BYTES) == 0)
		return 1;
	r->other++;
	return 0;
}

static void upload_all(struct batch *bs, unsigned port, const uint8_t dpk[32], struct result *r)
{
	static struct xfer xs[UPLOADS];
	CURLM *m = curl_multi_init();
	size_t left = UPLOADS;
	double t0 = now_s();
	memset(xs, 0, sizeof xs);
	for (int i = 0; i < UPLOADS; i++) {
		xs[i].b = &bs[i];
		xfer_start(m, &xs[i], port);
	}
	while (left && now_s() - t0 < ROUND_SECONDS) {
		int running, q;
		curl_multi_perform(m, &running);
		CURLMsg *msg;
		while ((msg = curl_multi_info_read(m, &q))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct xfer *x;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			CURLcode cc = msg->data.result;
			curl_multi_remove_handle(m, x->h);
			if (xfer_done(x, cc, dpk, r)) {
				x->done = 1;
				left--;
			} else if (x->tries >= MAX_TRIES) {
				x->done = -1;
				left--;
			} else {
				/* Full jitter, as sync push: up to 0.1 s doubling, at most 2 s. */
				double cap = 0.1 * (double)(1u << (x->tries < 5 ? x->tries : 5));
				cap = cap > 2 ? 2 : cap;
				x->retry_at = now_s() + cap * (double)secret_uniform(1000) / 1000.0;
			}
		}
		double t = now_s();
		for (int i = 0; i < UPLOADS; i++)
			if (!xs[i].done && xs[i].retry_at > 0 && xs[i].retry_at <= t)
				xfer_start(m, &xs[i], port);
		curl_multi_poll(m, NULL, 0, 20, NULL);
	}
	r->seconds = now_s() - t0;
	for (int i = 0; i < UPLOADS; i++) {
		if (xs[i].h) {
			curl_multi_remove_handle(m, xs[i].h);
			curl_easy_cleanup(xs[i].h);
		}
	}
	curl_multi_cleanup(m);
}

static double vm_hwm_mib(pid_t p)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)p);
	FILE *f = fopen(path, "r");
	double kib = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %lf kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib / 1024.0;
}

/* Every batch in the spool once, with its own bytes, and nothing else;
 * one 201 per batch in the receiver's log. */
static size_t check_spool(const char *home, const char *log, struct batch *bs)
{
	size_t good = 0, files = 0;
	char p[4400];
	static unsigned created[UPLOADS];
	memset(created, 0, sizeof created);
	FILE *f = fopen(log, "r");
	char line[512];
	while (f && fgets(line, sizeof line, f)) {
		char *u = strstr(line, "/v1/batches/");
		uint8_t id[SYNC_ID_BYTES];
		if (!u || !strstr(u, " 201 ") || sx_unhex(u + 12, id, SYNC_ID_BYTES) != 0)
			continue;
		for (int i = 0; i < UPLOADS; i++)
			if (memcmp(bs[i].id, id, SYNC_ID_BYTES) == 0)
				created[i]++;
	}
	if (f)
		fclose(f);
	snprintf(p, sizeof p, "%s/inbox", home);
	DIR *d = opendir(p);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "done") == 0)
			continue;
		char sub[4800];
		snprintf(sub, sizeof sub, "%s/%s", p, de->d_name);
		DIR *sd = opendir(sub);
		struct dirent *fe;
		while (sd && (fe = readdir(sd)))
			files += fe->d_name[0] != '.';
		if (sd)
			closedir(sd);
	}
	if (d)
		closedir(d);
	for (int i = 0; i < UPLOADS; i++) {
		uint8_t *buf, h[SYNC_ID_BYTES];
		size_t len;
		snprintf(p, sizeof p, "%.300s/inbox/%.16s/%016" PRIx64 "-%08" PRIu64 ".ccb", home,
			 bs[i].commune, bs[i].epoch, bs[i].no);
		if (sx_read_file(p, SYNC_BATCH_MAX, &buf, &len) != 0)
			continue;
		secret_hash(buf, len, NULL, 0, h, sizeof h);
		free(buf);
		good += memcmp(h, bs[i].id, SYNC_ID_BYTES) == 0 && created[i] == 1;
	}
	return files == UPLOADS ? good : 0;
}

static int round_run(const char *cchc, const char *dir, struct batch *bs, const uint8_t dpk[32],
		     const char *per_ip, struct result *r)
{
	char home[300], log[300];
	unsigned port = 0;
	memset(r, 0, sizeof *r);
	snprintf(home, sizeof home, "%s/district", dir);
	snprintf(log, sizeof log, "%s/serve-%s.log", dir, per_ip ? "lifted" : "default");
	if (sh("rm -rf '%s/inbox'", home))
		return 1;
	pid_t p = start_receiver(cchc, home, log, per_ip, &port);
	if (p < 0)
		return 1;
	struct result u = {0};
	upload_all(bs, port, dpk, &u);
	r->hwm_mib = vm_hwm_mib(p);
	kill(p, SIGTERM);
	waitpid(p, NULL, 0);
	r->refused_conn = u.refused_conn, r->busy = u.busy, r->other = u.other;
	r->seconds = u.seconds;
	r->exactly_once = check_spool(home, log, bs);
	r->ok = r->exactly_once == UPLOADS && r->hwm_mib > 0 && r->hwm_mib < 64;
	return 0;
}

static void print_round(const char *what, const struct result *r)
{
	printf("sync: receiver, %d concurrent uploads (%s): stored exactly once %zu/%d; retries %zu "
	       "(%zu connections refused, %zu busy 503, %zu other); %.1f s; peak RSS %.1f MiB "
	       "(budget < 64 MiB, none lost) %s\n",
	       UPLOADS, what, r->exactly_once, UPLOADS, r->refused_conn + r->busy + r->other,
	       r->refused_conn, r->busy, r->other, r->seconds, r->hwm_mib, r->ok ? "ok" : "OVER");
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/cchc-bench-serve-XXXXXX", cchc[4096], pw[300];
	static struct batch bs[UPLOADS];
	uint8_t dpk[32];
	(void)argc;
	const char *t = strstr(argv[0], "/tests/sync/");
	if (!t || !mkdtemp(dir) || secret_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT))
		return 1;
	snprintf(cchc, sizeof cchc, "%.*s/cchc", (int)(t - argv[0]), argv[0]);
	snprintf(pw, sizeof pw, "%s/pw", dir);
	FILE *f = fopen(pw, "w");
	if (!f)
		return 1;
	fprintf(f, "%s\n", PASSWORD);
	fclose(f);
	setenv("CCHC_PASSWORD_FILE", pw, 1);
	int bad = sh("'%s' --home '%s/district' init district --unit 076 --on 2021-06-01 --admin qt >/dev/null && "
		     "'%s' --home '%s/district' key export '%s/district.id' >/dev/null",
		     cchc, dir, cchc, dir, dir);
	for (int k = 0; k < COMMUNES && !bad; k++)
		bad = sh("'%s' --home '%s/c%02d' init commune --unit %s --on 2021-06-01 --district-key '%s/district.id' "
			 "--admin qt >/dev/null && '%s' --home '%s/c%02d' key export '%s/c%02d.id' "
			 ">/dev/null && '%s' --home '%s/district' --user qt enroll '%s/c%02d.id' >/dev/null",
			 cchc, dir, k, communes[k], dir, cchc, dir, k, dir, k, cchc, dir, dir, k);
	char home[300];
	snprintf(home, sizeof home, "%s/district", dir);
	if (bad || fill_all(dir) || load_batches(dir, bs) || district_pk(home, dpk)) {
		fprintf(stderr, "bench_serve: setup failed (%s)\n", dir);
		return 1;
	}
	size_t bytes = 0;
	for (int i = 0; i < UPLOADS; i++)
		bytes += bs[i].len;
	struct result r1, r2;
	if (round_run(cchc, dir, bs, dpk, "256", &r1) || round_run(cchc, dir, bs, dpk, NULL, &r2))
		return 1;
	char what[200];
	snprintf(what, sizeof what,
		 "%d communes x %d batches, 1 of %d entries and %d of %d, %.1f KiB on average; "
		 "per-address limit lifted, one address standing for 200",
		 COMMUNES, BATCHES, SYNC_BATCH_RECORDS, BATCHES - 1, ENTRIES,
		 (double)bytes / UPLOADS / 1024.0);
	print_round(what, &r1);
	print_round("the same from one address, default limits: 64 per address, 256 in total", &r2);
	for (int i = 0; i < UPLOADS; i++)
		free(bs[i].buf);
	curl_global_cleanup();
	int ok = r1.ok && r2.ok;
	if (ok)
		sh("rm -rf '%s'", dir);
	else
		fprintf(stderr, "bench_serve: kept %s for a look\n", dir);
	return ok ? 0 : 1;
}
