/*
 * sync/keys.c: the two files that let the district's receiver run with no
 * password and no data key.
 *
 * keys/receiver.key (0600): the receiver's own Ed25519 key pair, used only
 * to sign "stored" receipts, and the district's signature of its public half
 * (the certificate), so communes trust it through the district key they
 * pinned.  A stolen receiver key can forge "stored" receipts (a commune then
 * stops resending until an "imported" receipt is missing) but can read and
 * sign no batch.
 *
 *   cchc-receiver-key: 1
 *   secret-key: <base64, 64 bytes>
 *   certificate: <base64, 64 bytes>
 *
 * communes.list: the enrolled communes, written by enroll/revoke while an
 * administrator is logged in and signed with the district signing key, so
 * the receiver and import read it with the public key only:
 *
 *   cchc-communes: 1
 *   district: 076
 *   commune: 02545 <base64 sign key> <enrolled unix> <revoked unix or 0>
 *   signature: <base64 Ed25519 over "CCHC-COMMUNES-01" || BLAKE2b-512(lines above)>
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/secret.h"
#include "sync/sync_int.h"

#define LIST_MAX (1u << 20)

static int line_value(const char *text, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, name, nl) == 0 && p[nl] == ':' && p[nl + 1] == ' ') {
			const char *v = p + nl + 2;
			size_t len = strcspn(v, "\n");
			if (len >= cap)
				return SYNC_EFORMAT;
			memcpy(out, v, len);
			out[len] = '\0';
			return SYNC_OK;
		}
	}
	return SYNC_EFORMAT;
}

int sync_receiver_key_make(const char *home, const uint8_t district_sk[64])
{
	char path[4200];
	sx_path(home, "keys/receiver.key", path, sizeof path);
	if (access(path, F_OK) == 0)
		return SYNC_OK;
	struct sync_receiver_key *k = secret_alloc(sizeof *k);
	if (!k)
		return SYNC_ENOMEM;
	secret_sign_keypair(k->pk, k->sk);
	sx_sign(SX_CTX_RCVCERT, k->pk, 32, district_sk, k->cert);
	char sk[SECRET_B64_LEN(64)], cert[SECRET_B64_LEN(64)], buf[512];
	secret_base64(k->sk, 64, sk);
	secret_base64(k->cert, 64, cert);
	int n = snprintf(buf, sizeof buf, "cchc-receiver-key: 1\nsecret-key: %s\ncertificate: %s\n",
			 sk, cert);
	int rc = sx_write_durable(path, buf, (size_t)n, 0600);
	secret_wipe(sk, sizeof sk);
	secret_wipe(buf, sizeof buf);
	secret_free(k);
	return rc;
}

int sync_receiver_key_load(const char *home, const uint8_t district_pk[32],
			   struct sync_receiver_key *out)
{
	char path[4200], v[256];
	uint8_t *buf;
	size_t len, klen;
	sx_path(home, "keys/receiver.key", path, sizeof path);
	struct stat st;
	if (stat(path, &st) != 0)
		return SYNC_EKEY;
	if (st.st_mode & 077)
		return SYNC_EKEY; /* readable by others: refuse, like ssh */
	int rc = sx_read_file(path, 4096, &buf, &len);
	if (rc)
		return SYNC_EKEY;
	char text[4097];
	memcpy(text, buf, len);
	text[len] = '\0';
	secret_wipe(buf, len);
	free(buf);
	rc = SYNC_EKEY;
	if (line_value(text, "cchc-receiver-key", v, sizeof v) || strcmp(v, "1") != 0)
		goto wipe;
	if (line_value(text, "secret-key", v, sizeof v) || secret_unbase64(v, out->sk, 64, &klen) ||
	    klen != 64)
		goto wipe;
	if (line_value(text, "certificate", v, sizeof v) ||
	    secret_unbase64(v, out->cert, 64, &klen) || klen != 64)
		goto wipe;
	memcpy(out->pk, out->sk + 32, 32);
	if (sx_verify(SX_CTX_RCVCERT, out->pk, 32, district_pk, out->cert) != 0)
		goto wipe;
	rc = SYNC_OK;
wipe:
	secret_wipe(text, sizeof text);
	secret_wipe(v, sizeof v);
	return rc;
}

int sync_communes_write(const char *home, const char *district,
			const struct sync_commune *list, size_t n, const uint8_t district_sk[64])
{
	size_t cap = 256 + n * 128, len = 0;
	char *b = malloc(cap);
	if (!b)
		return SYNC_ENOMEM;
	len += (size_t)snprintf(b, cap, "cchc-communes: 1\ndistrict: %s\n", district);
	for (size_t i = 0; i < n; i++) {
		char pk[SECRET_B64_LEN(32)];
		secret_base64(list[i].sign_pk, 32, pk);
		len += (size_t)snprintf(b + len, cap - len, "commune: %s %s %lld %lld\n",
					list[i].code, pk, (long long)list[i].enrolled_at,
					(long long)list[i].revoked_at);
	}
	uint8_t sig[64];
	char sigb[SECRET_B64_LEN(64)];
	sx_sign(SX_CTX_COMMUNES, (const uint8_t *)b, len, district_sk, sig);
	secret_base64(sig, 64, sigb);
	len += (size_t)snprintf(b + len, cap - len, "signature: %s\n", sigb);
	char path[4200];
	sx_path(home, "communes.list", path, sizeof path);
	int rc = sx_write_durable(path, b, len, 0644);
	free(b);
	return rc;
}

static int parse_commune(const char *line, struct sync_commune *c)
{
	char pk[64];
	long long en, rv;
	size_t klen;
	memset(c, 0, sizeof *c);
	if (sscanf(line, "commune: %16s %63s %lld %lld", c->code, pk, &en, &rv) != 4 ||
	    secret_unbase64(pk, c->sign_pk, 32, &klen) || klen != 32)
		return SYNC_EKEY;
	c->enrolled_at = en;
	c->revoked_at = rv;
	return SYNC_OK;
}

int sync_communes_read(const char *home, const uint8_t district_pk[32],
		       struct sync_commune **list, size_t *n)
{
	char path[4200], v[128];
	uint8_t *buf, sig[64];
	size_t len, slen;
	sx_path(home, "communes.list", path, sizeof path);
	*list = NULL;
	*n = 0;
	if (sx_read_file(path, LIST_MAX, &buf, &len) != 0)
		return SYNC_EKEY;
	char *text = realloc(buf, len + 1);
	if (!text) {
		free(buf);
		return SYNC_ENOMEM;
	}
	text[len] = '\0';
	int rc = SYNC_EKEY;
	char *sl = strstr(text, "\nsignature: ");
	if (!sl || memchr(text, '\0', len))
		goto free_text;
	sl++;
	if (line_value(sl, "signature", v, sizeof v) || secret_unbase64(v, sig, 64, &slen) ||
	    slen != 64 ||
	    sx_verify(SX_CTX_COMMUNES, (const uint8_t *)text, (size_t)(sl - text), district_pk,
		      sig) != 0)
		goto free_text;
	*sl = '\0';
	if (line_value(text, "cchc-communes", v, sizeof v) || strcmp(v, "1") != 0)
		goto free_text;
	size_t cap = 0;
	struct sync_commune *l = NULL;
	for (char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "commune: ", 9) != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			struct sync_commune *nl = realloc(l, cap * sizeof *nl);
			if (!nl) {
				free(l);
				rc = SYNC_ENOMEM;
				goto free_text;
			}
			l = nl;
		}
		if (parse_commune(p, &l[*n]) != 0) {
			free(l);
			*n = 0;
			goto free_text;
		}
		(*n)++;
	}
	*list = l;
	rc = SYNC_OK;
free_text:
	free(text);
	return rc;
}
