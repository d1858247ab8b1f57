/*
 * cli/identity.c: identity files, the public face of a node.
 *
 * A commune sends its identity file to the district (`cchc enroll FILE`);
 * the district's goes to every commune (`init commune --district-key FILE`).
 * It is a short text file, signed by the node's own Ed25519 key so that a
 * damaged or edited file is refused; trust comes from comparing the 30-digit
 * fingerprint by phone, as with SSH host keys.
 *
 *   # comment lines
 *   cchc-identity: 1
 *   kind: commune | district
 *   unit: 02545
 *   name: Xã Tân Trào
 *   sign-key: <base64 Ed25519 public key>
 *   box-key: <base64 X25519 public key>        (district only)
 *   signature: <base64 Ed25519 signature of every byte before this line>
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/secret.h"

#define IDENTITY_MAX 4096

static size_t body(const struct identity *id, char *buf, size_t cap)
{
	char sk[SECRET_B64_LEN(32)], bk[SECRET_B64_LEN(32)];
	secret_base64(id->sign_pk, 32, sk);
	int n = snprintf(buf, cap,
			 "# cchc identity file: the public keys of one node.\n"
			 "# Compare its fingerprint by phone before you trust it: cchc key show\n"
			 "cchc-identity: 1\nkind: %s\nunit: %s\nname: %s\nsign-key: %s\n",
			 id->kind == NODE_DISTRICT ? "district" : "commune", id->unit, id->name, sk);
	if (id->has_box) {
		secret_base64(id->box_pk, 32, bk);
		n += snprintf(buf + n, cap - (size_t)n, "box-key: %s\n", bk);
	}
	return (size_t)n;
}

void identity_fingerprint(const struct identity *id, char out[36])
{
	unsigned char pk[64];
	memcpy(pk, id->sign_pk, 32);
	if (id->has_box)
		memcpy(pk + 32, id->box_pk, 32);
	secret_fingerprint((uint8_t)id->kind, pk, id->has_box ? 64 : 32, out);
}

int identity_write(const char *path, const struct identity *id, const unsigned char *sign_sk)
{
	char buf[IDENTITY_MAX], tmp[4200];
	size_t n = body(id, buf, sizeof buf - 128);
	unsigned char sig[SECRET_SIG];
	secret_sign(sign_sk, buf, n, sig);
	char sigb[SECRET_B64_LEN(SECRET_SIG)];
	secret_base64(sig, sizeof sig, sigb);
	n += (size_t)snprintf(buf + n, sizeof buf - n, "signature: %s\n", sigb);

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	ssize_t w = write(fd, buf, n);
	int bad = w != (ssize_t)n || fsync(fd) != 0;
	bad |= close(fd) != 0;
	if (bad || rename(tmp, path) != 0) {
		int e = errno ? errno : EIO;
		unlink(tmp);
		return -e;
	}
	return 0;
}

static int field(const char *text, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, name, nl) == 0 && p[nl] == ':' && p[nl + 1] == ' ') {
			const char *v = p + nl + 2;
			size_t len = strcspn(v, "\n");
			if (len >= cap)
				return -1;
			memcpy(out, v, len);
			out[len] = '\0';
			return 0;
		}
	}
	return -1;
}

int identity_read(struct cli *c, const char *path, struct identity *out)
{
	char buf[IDENTITY_MAX + 1];
	FILE *f = fopen(path, "r");
	if (!f) {
		cli_err(c, MSG_E_OPEN_FILE, path, strerror(errno));
		return EXIT_NOINPUT;
	}
	size_t n = fread(buf, 1, IDENTITY_MAX, f);
	int big = !feof(f);
	fclose(f);
	buf[n] = '\0';
	if (big || memchr(buf, '\0', n)) {
		cli_err(c, MSG_E_NOT_IDENTITY, path);
		return EXIT_DATAERR;
	}
	struct identity id;
	memset(&id, 0, sizeof id);
	char v[256];
	size_t len;
	if (field(buf, "cchc-identity", v, sizeof v) || strcmp(v, "1") != 0)
		goto not_identity;
	if (field(buf, "kind", v, sizeof v))
		goto not_identity;
	id.kind = strcmp(v, "district") == 0 ? NODE_DISTRICT
		  : strcmp(v, "commune") == 0 ? NODE_COMMUNE
					      : NODE_NONE;
	if (id.kind == NODE_NONE || field(buf, "unit", id.unit, sizeof id.unit) ||
	    field(buf, "name", id.name, sizeof id.name))
		goto not_identity;
	if (field(buf, "sign-key", v, sizeof v) || secret_unbase64(v, id.sign_pk, 32, &len) ||
	    len != 32)
		goto not_identity;
	if (field(buf, "box-key", v, sizeof v) == 0) {
		if (secret_unbase64(v, id.box_pk, 32, &len) || len != 32)
			goto not_identity;
		id.has_box = 1;
	}
	if (id.kind == NODE_DISTRICT && !id.has_box)
		goto not_identity;
	/* The signature covers the canonical body, so comments or reordering
	 * added by hand make the file invalid rather than half-trusted. */
	char *sigline = strstr(buf, "\nsignature: ");
	if (!sigline)
		goto not_identity;
	unsigned char sig[SECRET_SIG];
	if (field(sigline + 1, "signature", v, sizeof v) ||
	    secret_unbase64(v, sig, sizeof sig, &len) || len != SECRET_SIG)
		goto not_identity;
	char canon[IDENTITY_MAX];
	size_t cn = body(&id, canon, sizeof canon);
	size_t signed_len = (size_t)(sigline + 1 - buf);
	if (cn != signed_len || memcmp(canon, buf, cn) != 0 ||
	    secret_verify(id.sign_pk, canon, cn, sig) != 0) {
		cli_err(c, MSG_E_IDENTITY_SIG, path);
		return EXIT_DATAERR;
	}
	*out = id;
	return 0;
not_identity:
	cli_err(c, MSG_E_NOT_IDENTITY, path);
	return EXIT_DATAERR;
}
