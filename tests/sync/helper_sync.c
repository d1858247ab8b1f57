/*
 * helper_sync: what the sync command tests need faster or nastier than the
 * CLI gives it.  Built by `make test` next to the unit tests.
 *
 *   helper_sync fill HOME UNIT DISTRICT USER PASSWORD N [FROM]
 *       N register entries saved straight through the store (the CLI
 *       costs ~20 ms each), then one sync_session, as the CLI would run
 *   helper_sync resign IN OUT HOME USER PASSWORD [own]
 *       re-sign batch IN with HOME's node key (another enrolled commune);
 *       with "own", also rewrite the header to name HOME's unit and key
 *   helper_sync flips IN OUTDIR N
 *       N copies of IN, each with one bit flipped, spread over header,
 *       key stanza, payload and signature
 *   helper_sync seal HOME UNIT DISTRICT USER PASSWORD
 *       one sync_session (SIGKILL tests start it with many changes waiting;
 *       fill with HELPER_NOSEAL=1 leaves them waiting)
 *   helper_sync put URL FILE...
 *       PUT each file to URL/v1/batches/<its id>, print "<status> <file>"
 *   helper_sync halfput PORT FILE NBYTES SECONDS
 *       send the request headers and NBYTES of the body, wait SECONDS, close
 *   helper_sync slow PORT N NADDR SECONDS
 *       slowloris: N connections from 127.0.0.2 .. 127.0.0.(NADDR+1), each
 *       sending request headers one byte a second, reconnecting when the
 *       server cuts one, for SECONDS (or until SIGTERM); then prints
 *       "open O cut C refused R" (O open at the end, C cut by the server
 *       after 5 s or more, R closed sooner: refused at a connection cap)
 *   helper_sync raw PORT FILE
 *       send FILE's bytes as they are to 127.0.0.1:PORT, half-close, wait
 *       (at most 5 s) for the answer; print its status code, or "closed"
 *       when the server closed without one
 *   helper_sync blackhole PORTFILE
 *       listen on 127.0.0.1, write the port, accept and never read
 *   helper_sync revisions HOME USER PASSWORD ID
 *       each revision of report ID the district keeps: "N returned REASON"
 *       or "N kept"
 *   helper_sync forge-return OUT IN
 *       the last message of receipts file IN, signed again with a fresh
 *       key (another district's), written to OUT
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "sync/sync_int.h"

static int die(const char *what, int err)
{
	fprintf(stderr, "helper_sync: %s: %d\n", what, err);
	return 1;
}

static int login(const char *home, const char *user, const char *pw, struct store **s)
{
	int err = store_open(home, NULL, s);
	if (err)
		return die("open", err);
	if ((err = store_login(*s, user, pw, NULL)))
		return die("login", err);
	return 0;
}

static int fill(char **a)
{
	struct store *s;
	int n = atoi(a[5]), from = a[6] ? atoi(a[6]) : 1;
	if (login(a[0], a[3], a[4], &s))
		return 1;
	for (int i = from; i < from + n; i++) {
		struct store_record r;
		char v[64];
		store_record_init(&r);
		store_new_id(r.id);
		snprintf(r.form, sizeof r.form, "so-theo-doi-ho-so");
		r.form_version = 1;
		snprintf(r.unit, sizeof r.unit, "%s", a[1]);
		snprintf(r.unit_list, sizeof r.unit_list, "GSO-2021");
		r.revision = 1;
		snprintf(v, sizeof v, "%d", i);
		kv_set(&r.fields, "so_thu_tu", v);
		snprintf(v, sizeof v, "H59.36-210104-%d", i);
		kv_set(&r.fields, "ma_ho_so", v);
		kv_set(&r.fields, "thu_tuc", "Đăng ký khai sinh");
		kv_set(&r.fields, "linh_vuc", "Hộ tịch");
		kv_set(&r.fields, "so_luong", "1");
		snprintf(v, sizeof v, "Nguyễn Văn %d", i);
		kv_set(&r.fields, "chu_ho_so", v);
		kv_set(&r.fields, "dia_chi", "Thôn Tân Lập");
		kv_set(&r.fields, "kenh_nop", i % 3 ? "truc_tiep" : "truc_tuyen");
		kv_set(&r.fields, "kenh_tra", "truc_tiep");
		kv_set(&r.fields, "ngay_tiep_nhan", "2021-02-01");
		kv_set(&r.fields, "ngay_hen_tra", "2021-02-05");
		kv_set(&r.fields, "trang_thai", "dang_giai_quyet");
		int err = store_record_put(s, &r, "create");
		store_record_clear(&r);
		if (err)
			return die("put", err);
	}
	struct sync_node node = {a[0], a[1], a[2]};
	size_t sealed = 0;
	int store_err = 0;
	int rc = getenv("HELPER_NOSEAL") ? 0 : sync_session(s, &node, &sealed, &store_err);
	store_close(s);
	if (rc)
		return die("session", rc == SYNC_ESTORE ? store_err : rc);
	printf("%zu\n", sealed);
	return 0;
}

static int resign(char **a, int own)
{
	uint8_t *buf;
	size_t len;
	struct store *s;
	void *sk;
	size_t sklen;
	if (sx_read_file(a[0], SYNC_BATCH_MAX, &buf, &len) || len < SX_AD + SX_SIG)
		return die("read", 0);
	if (login(a[2], a[3], a[4], &s))
		return 1;
	if (store_meta_get(s, "sign_sk", &sk, &sklen) || sklen != 64)
		return die("sign_sk", 0);
	if (own) {
		char unit[17] = {0};
		FILE *f;
		char conf[4200], line[256];
		snprintf(conf, sizeof conf, "%s/node.conf", a[2]);
		if (!(f = fopen(conf, "r")))
			return die("node.conf", 0);
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "unit = %16s", unit) == 1)
				break;
		fclose(f);
		memset(buf + 16, 0, 16);
		memcpy(buf + 16, unit, strlen(unit));
		sx_key_id((uint8_t *)sk + 32, buf + 48);
	}
	sx_sign(SX_CTX_BATCH, buf, len - SX_SIG, sk, buf + len - SX_SIG);
	secret_free(sk);
	store_close(s);
	int rc = sx_write_durable(a[1], buf, len, 0644);
	free(buf);
	return rc ? die("write", rc) : 0;
}

static int flips(char **a)
{
	uint8_t *buf;
	size_t len;
	int n = atoi(a[2]);
	if (sx_read_file(a[0], SYNC_BATCH_MAX, &buf, &len) || n < 4)
		return die("read", 0);
	/* A quarter of the positions in each part. */
	size_t parts[4][2] = {{0, SX_HEADER},
			      {SX_HEADER, SX_AD},
			      {SX_AD, len - SX_SIG},
			      {len - SX_SIG, len}};
	for (int i = 0; i < n; i++) {
		size_t *p = parts[i % 4];
		size_t pos = p[0] + (size_t)(i / 4) * (p[1] - p[0]) / (size_t)((n + 3) / 4);
		char out[4200];
		buf[pos] ^= (uint8_t)(1u << (i % 8));
		snprintf(out, sizeof out, "%s/flip-%04d-%zu.ccb", a[1], i, pos);
		int rc = sx_write_durable(out, buf, len, 0644);
		buf[pos] ^= (uint8_t)(1u << (i % 8));
		if (rc)
			return die("write", rc);
	}
	free(buf);
	return 0;
}

static int seal(char **a)
{
	struct store *s;
	if (login(a[0], a[3], a[4], &s))
		return 1;
	struct sync_node node = {a[0], a[1], a[2]};
	size_t sealed = 0;
	int store_err = 0;
	int rc = sync_session(s, &node, &sealed, &store_err);
	store_close(s);
	printf("%zu\n", sealed);
	return rc ? die("session", rc) : 0;
}

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
	(void)p, (void)arg;
	return size * n;
}

static int put(int argc, char **argv)
{
	CURL *h = curl_easy_init();
	for (int i = 3; i < argc; i++) {
		uint8_t *buf, id[32];
		size_t len;
		char hex[65], url[600];
		long code = 0;
		if (sx_read_file(argv[i], 64u << 20, &buf, &len))
			return die("read", 0);
		secret_hash(buf, len, NULL, 0, id, 32);
		sx_hex(id, 32, hex);
		snprintf(url, sizeof url, "%s/v1/batches/%s", argv[2], hex);
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, (char *)buf);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
		CURLcode cc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		printf("%ld %s\n", cc == CURLE_OK ? code : -1L, argv[i]);
		free(buf);
	}
	curl_easy_cleanup(h);
	return 0;
}

static int halfput(char **a)
{
	uint8_t *buf, id[32];
	size_t len, n = (size_t)atol(a[2]);
	char hex[65], head[512];
	if (sx_read_file(a[1], SYNC_BATCH_MAX, &buf, &len) || n > len)
		return die("read", 0);
	secret_hash(buf, len, NULL, 0, id, 32);
	sx_hex(id, 32, hex);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(a[0]))};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		return die("connect", 0);
	int hn = snprintf(head, sizeof head,
			  "PUT /v1/batches/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %zu\r\n\r\n",
			  hex, len);
	if (write(fd, head, (size_t)hn) != hn || write(fd, buf, n) != (ssize_t)n)
		return die("write", 0);
	printf("sent %zu of %zu\n", n, len);
	fflush(stdout);
	sleep((unsigned)atoi(a[3]));
	close(fd);
	free(buf);
	return 0;
}

static volatile sig_atomic_t slow_stop;
static void slow_term(int sig)
{
	(void)sig;
	slow_stop = 1;
}

static int slow_open(int port, int i, int naddr)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char src[32];
	struct sockaddr_in me = {.sin_family = AF_INET};
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	snprintf(src, sizeof src, "127.0.0.%d", 2 + i % naddr);
	inet_pton(AF_INET, src, &me.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof me) ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int slow(char **a)
{
	static const char head[] = "PUT /v1/batches/0123456789abcdef HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				   "X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	int port = atoi(a[0]), n = atoi(a[1]), naddr = atoi(a[2]), secs = atoi(a[3]);
	int *fd = calloc((size_t)n, sizeof *fd);
	size_t *at = calloc((size_t)n, sizeof *at);
	time_t *born = calloc((size_t)n, sizeof *born);
	unsigned long cut = 0, refused = 0;
	signal(SIGTERM, slow_term);
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < n; i++) {
		fd[i] = slow_open(port, i, naddr);
		born[i] = time(NULL);
	}
	printf("started\n");
	fflush(stdout);
	time_t end = time(NULL) + secs;
	while (!slow_stop && time(NULL) < end) {
		for (int i = 0; i < n; i++) {
			char b;
			struct pollfd p = {fd[i], POLLIN, 0};
			int gone = fd[i] < 0 || (poll(&p, 1, 0) == 1 && recv(fd[i], &b, 1, MSG_DONTWAIT) <= 0) ||
				   send(fd[i], head + at[i] % (sizeof head - 1), 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1;
			at[i]++;
			if (gone) {
				if (fd[i] >= 0)
					close(fd[i]);
				if (time(NULL) - born[i] >= 5)
					cut++;
				else
					refused++;
				fd[i] = slow_open(port, i, naddr);
				born[i] = time(NULL);
				at[i] = 0;
			}
		}
		struct timespec t = {1, 0};
		nanosleep(&t, NULL);
	}
	int open_n = 0;
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0) {
			open_n++;
			close(fd[i]);
		}
	printf("open %d cut %lu refused %lu\n", open_n, cut, refused);
	free(born);
	free(fd);
	free(at);
	return 0;
}

static int raw(char **a)
{
	uint8_t *buf;
	size_t len;
	char ans[64] = "";
	if (sx_read_file(a[1], 1u << 20, &buf, &len))
		return die("read", 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(a[0]))};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	signal(SIGPIPE, SIG_IGN);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		return die("connect", 0);
	ssize_t w = send(fd, buf, len, MSG_NOSIGNAL);
	(void)w;
	shutdown(fd, SHUT_WR);
	struct pollfd p = {fd, POLLIN, 0};
	size_t got = 0;
	while (got < sizeof ans - 1 && poll(&p, 1, 5000) == 1) {
		ssize_t r = recv(fd, ans + got, sizeof ans - 1 - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	ans[got] = 0;
	int code;
	if (sscanf(ans, "HTTP/1.%*d %d", &code) == 1)
		printf("%d\n", code);
	else
		printf("closed\n");
	close(fd);
	free(buf);
	return 0;
}

static int blackhole(char **a)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
	socklen_t sl = sizeof sa;
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl))
		return die("listen", 0);
	FILE *f = fopen(a[0], "w");
	fprintf(f, "%d\n", ntohs(sa.sin_port));
	fclose(f);
	for (;;) {
		int c = accept(fd, NULL, NULL);
		(void)c; /* kept open, never read: a stalled link */
	}
}

static int revisions(char **a)
{
	struct store *s;
	uint8_t id[STORE_ID_BYTES];
	if (login(a[0], a[1], a[2], &s))
		return 1;
	if (sx_unhex(a[3], id, sizeof id))
		return die("id", 0);
	for (uint32_t rev = 1; rev < 20; rev++) {
		struct store_record r;
		struct store_return ret;
		int64_t at;
		store_record_init(&r);
		int err = store_sync_revision(s, id, rev, &r, &at);
		store_record_clear(&r);
		if (err)
			continue;
		if (store_return_get(s, id, rev, &ret) == 0)
			printf("%u returned %s\n", rev, ret.reason);
		else
			printf("%u kept\n", rev);
	}
	store_close(s);
	return 0;
}

static int forge_return(char **a)
{
	uint8_t *buf, pk[32], sk[64];
	size_t len, il, last = 0, lastlen = 0;
	int is_msg;
	if (sx_read_file(a[1], 1u << 24, &buf, &len))
		return die("read", 0);
	for (size_t off = 0; off < len && sx_item_len(buf + off, len - off, &il, &is_msg) == 0;
	     off += il)
		if (is_msg)
			last = off, lastlen = il;
	if (!lastlen) {
		free(buf);
		return die("no message", 0);
	}
	secret_sign_keypair(pk, sk);
	uint8_t *m = buf + last;
	memcpy(m + 80, pk, 32);
	sx_sign(SX_CTX_DISTMSG, m, lastlen - 64, sk, m + lastlen - 64);
	int rc = sx_write_durable(a[0], m, lastlen, 0644);
	free(buf);
	return rc ? die("write", rc) : 0;
}

int main(int argc, char **argv)
{
	if (secret_init() != 0)
		return 1;
	if (argc >= 8 && strcmp(argv[1], "fill") == 0)
		return fill(argv + 2);
	if (argc >= 7 && strcmp(argv[1], "resign") == 0)
		return resign(argv + 2, argc > 7 && strcmp(argv[7], "own") == 0);
	if (argc == 5 && strcmp(argv[1], "flips") == 0)
		return flips(argv + 2);
	if (argc == 7 && strcmp(argv[1], "seal") == 0)
		return seal(argv + 2);
	if (argc >= 4 && strcmp(argv[1], "put") == 0)
		return put(argc, argv);
	if (argc == 6 && strcmp(argv[1], "halfput") == 0)
		return halfput(argv + 2);
	if (argc == 4 && strcmp(argv[1], "raw") == 0)
		return raw(argv + 2);
	if (argc == 6 && strcmp(argv[1], "slow") == 0)
		return slow(argv + 2);
	if (argc == 3 && strcmp(argv[1], "blackhole") == 0)
		return blackhole(argv + 2);
	if (argc == 6 && strcmp(argv[1], "revisions") == 0)
		return revisions(argv + 2);
	if (argc == 4 && strcmp(argv[1], "forge-return") == 0)
		return forge_return(argv + 2);
	fprintf(stderr, "usage: see tests/sync/helper_sync.c\n");
	return 64;
}
