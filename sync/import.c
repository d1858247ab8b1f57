/*
 * sync/import.c: the district applies batches (SPEC §7), run by a logged-in
 * district user (it needs the district's X25519 secret key).
 *
 * Everything goes through the receiver's spool, home/inbox/<commune>/: a
 * file given on the command line (a USB stick) is verified and copied in
 * first, so the USB path and the network path end the same.  Then each
 * lineage (commune, epoch) is applied in batch order:
 *   seen before (by id)          -> duplicate, moved to inbox/done/
 *   the number already applied,  -> conflict: both copies kept in
 *     or already in conflict,       home/conflicts/ for a person (a copied
 *     with other bytes              node, or one restored without its mark,
 *                                   fork.c); never merged, and a number kept
 *                                   there is never applied later
 *   beyond the next expected     -> waits in the inbox for the gap to fill
 *   the next expected            -> verified, decrypted, applied in one
 *                                   store transaction, moved to inbox/done/
 *   anything that fails          -> moved to home/rejected/ with a .reason
 * An import killed anywhere leaves each batch applied whole or not at all;
 * the next run sees an applied batch as a duplicate (the file move comes
 * after the commit).  Receipts ("imported", signed with the district key)
 * go to home/receipts/<commune>.ccr, one per batch, for the USB trip back.
 * Revoked communes: nothing more of theirs is imported (re-enroll to allow).
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/vnfmt.h"
#include "sync/sync_int.h"

struct imp {
	struct store *s;
	const struct sync_import_opts *o;
	struct sync_import_summary *sum;
	struct sync_commune *communes;
	size_t ncommunes;
	uint8_t box_id[8];
	int failed; /* a rejection or conflict: the exit code says so */
};

struct spooled {
	char commune[SYNC_CODE_BUF];
	uint64_t epoch, batch_no;
};

static void report_line(struct imp *im, const char *file, const struct sync_header *h,
			int outcome, int err, size_t records, uint64_t waiting_for, int kept_before)
{
	struct sync_import_line l;
	memset(&l, 0, sizeof l);
	l.kept_before = kept_before;
	l.file = file;
	if (h) {
		memcpy(l.commune, h->commune, sizeof l.commune);
		l.epoch = h->epoch;
		l.batch_no = h->batch_no;
	}
	l.outcome = outcome;
	l.err = err;
	l.records = records;
	l.waiting_for = waiting_for;
	switch (outcome) {
	case SYNC_IMPORTED: im->sum->imported++, im->sum->records += records; break;
	case SYNC_DUPLICATE: im->sum->duplicate++; break;
	case SYNC_WAITING: im->sum->waiting++; break;
	case SYNC_REJECTED: im->sum->rejected++, im->failed = 1; break;
	default: im->sum->conflict++, im->failed = 1; break;
	}
	if (im->o->line)
		im->o->line(im->o->ctx, &l);
}

static void report(struct imp *im, const char *file, const struct sync_header *h, int outcome,
		   int err, size_t records, uint64_t waiting_for)
{
	report_line(im, file, h, outcome, err, records, waiting_for, 0);
}

static const struct sync_commune *commune_find(const struct imp *im, const char *code)
{
	for (size_t i = 0; i < im->ncommunes; i++)
		if (strcmp(im->communes[i].code, code) == 0)
			return &im->communes[i];
	return NULL;
}

/* The public checks: header, district, enrolled and not revoked, signature. */
static int check(struct imp *im, const uint8_t *buf, size_t len, struct sync_header *h,
		 uint8_t id[32], const struct sync_commune **who)
{
	int rc = sync_batch_header(buf, len, h);
	if (rc)
		return rc;
	if (strcmp(h->district, im->o->district) != 0 || memcmp(h->recipient_key_id, im->box_id, 8))
		return SYNC_EOTHERKEY;
	const struct sync_commune *c = commune_find(im, h->commune);
	if (!c)
		return SYNC_EUNKNOWN;
	if (c->revoked_at)
		return SYNC_EREVOKED;
	*who = c;
	return sync_batch_verify(buf, len, c->sign_pk, h, id);
}

static void spool_name(const char *home, const char *sub, const struct sync_header *h,
		       char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s/%s/%016" PRIx64 "-%08" PRIu64 ".ccb", home, sub, h->commune,
		 h->epoch, h->batch_no);
}

static int same_file(const char *path, const uint8_t id[32])
{
	uint8_t *buf, h[32];
	size_t len;
	if (sx_read_file(path, SYNC_BATCH_MAX, &buf, &len) != 0)
		return -1;
	secret_hash(buf, len, NULL, 0, h, 32);
	free(buf);
	return memcmp(h, id, 32) == 0;
}

/* Keep a copy aside with its reason: home/<dir>/<commune>-<epoch>-<no>-<id8>.ccb */
static void set_aside(const char *home, const char *dir, const struct sync_header *h,
		      const uint8_t *buf, size_t len, const uint8_t id[32], const char *reason)
{
	char d[4200], p[4500], idh[65];
	snprintf(d, sizeof d, "%s/%s", home, dir);
	sx_mkdir(d);
	sx_hex(id, 32, idh);
	idh[16] = '\0';
	snprintf(p, sizeof p, "%s/%s-%016" PRIx64 "-%08" PRIu64 "-%s.ccb", d,
		 h && h->commune[0] ? h->commune : "unknown", h ? h->epoch : 0,
		 h ? h->batch_no : 0, idh);
	if (sx_write_durable(p, buf, len, 0600) != 0)
		return;
	strcat(p, ".reason");
	sx_write_durable(p, reason, strlen(reason), 0600);
}

/* A batch whose number is already in conflicts/: keep this one there too
 * (if it is not yet) and apply nothing; 1 when so, reported. */
static int kept_aside(struct imp *im, const char *file, const struct sync_header *h,
		      const uint8_t *buf, size_t len, const uint8_t id[32])
{
	size_t kept;
	int has;
	sx_conflicts_find(im->o->home, h, id, &kept, &has);
	if (!kept)
		return 0;
	if (!has)
		set_aside(im->o->home, "conflicts", h, buf, len, id,
			  "another batch with this number is kept here; compare them\n");
	report_line(im, file, h, SYNC_CONFLICT, SYNC_ECONFLICT, 0, 0, has);
	return 1;
}

/* A file from the command line: check it and copy it into the spool. */
static void take_file(struct imp *im, const char *file)
{
	uint8_t *buf, id[32];
	size_t len;
	struct sync_header h;
	const struct sync_commune *who;
	int rc = sx_read_file(file, SYNC_BATCH_MAX, &buf, &len);
	if (rc) {
		report(im, file, NULL, SYNC_REJECTED, rc == SYNC_ETOOBIG ? rc : SYNC_EIO, 0, 0);
		return;
	}
	if ((rc = check(im, buf, len, &h, id, &who))) {
		report(im, file, rc == SYNC_EFORMAT || rc == SYNC_ETOOBIG ? NULL : &h, SYNC_REJECTED,
		       rc, 0, 0);
		goto free_buf;
	}
	int seen;
	if (store_sync_seen(im->s, id, &seen) == 0 && seen) {
		report(im, file, &h, SYNC_DUPLICATE, 0, 0, 0);
		goto free_buf;
	}
	if (kept_aside(im, file, &h, buf, len, id))
		goto free_buf;
	char dir[4200], in[4400], done[4400];
	spool_name(im->o->home, "inbox", &h, in, sizeof in);
	spool_name(im->o->home, "inbox/done", &h, done, sizeof done);
	int a = access(in, F_OK) == 0 ? same_file(in, id) : -2;
	int b = access(done, F_OK) == 0 ? same_file(done, id) : -2;
	if (a == 1 || b == 1) {
		if (b == 1)
			report(im, file, &h, SYNC_DUPLICATE, 0, 0, 0);
		goto free_buf; /* already waiting in the spool: handled below */
	}
	if (a != -2 || b != -2) {
		set_aside(im->o->home, "conflicts", &h, buf, len, id,
			  "another batch with this number came first; compare both\n");
		uint8_t *obuf, oid[32];
		size_t olen;
		if (a != -2 && sx_read_file(in, SYNC_BATCH_MAX, &obuf, &olen) == 0) {
			/* Neither is applied: a person decides which is right.  The
			 * copy aside is durable before the spool's goes. */
			secret_hash(obuf, olen, NULL, 0, oid, 32);
			set_aside(im->o->home, "conflicts", &h, obuf, olen, oid,
				  "another batch came with this number; compare both\n");
			free(obuf);
			unlink(in);
		} else if (b != -2 && sx_read_file(done, SYNC_BATCH_MAX, &obuf, &olen) == 0) {
			/* Applied before the other came: it stays applied, and a copy
			 * sits beside the other for the comparison. */
			secret_hash(obuf, olen, NULL, 0, oid, 32);
			set_aside(im->o->home, "conflicts", &h, obuf, olen, oid,
				  "imported; another batch came with this number\n");
			free(obuf);
		}
		report(im, file, &h, SYNC_CONFLICT, SYNC_ECONFLICT, 0, 0);
		goto free_buf;
	}
	snprintf(dir, sizeof dir, "%s/inbox/%s", im->o->home, h.commune);
	if (sx_mkdir(dir) || (rc = sx_write_durable(in, buf, len, 0600)))
		report(im, file, &h, SYNC_REJECTED, SYNC_EIO, 0, 0);
free_buf:
	free(buf);
}

static int cmp_spooled(const void *a, const void *b)
{
	const struct spooled *x = a, *y = b;
	int c = strcmp(x->commune, y->commune);
	if (c)
		return c;
	if (x->epoch != y->epoch)
		return x->epoch < y->epoch ? -1 : 1;
	return x->batch_no < y->batch_no ? -1 : x->batch_no > y->batch_no;
}

/* Every batch file in home/inbox/<commune>/, sorted by lineage and number. */
static int list_spool(const char *home, struct spooled **out, size_t *n)
{
	char root[4200];
	size_t cap = 0;
	struct spooled *l = NULL;
	*n = 0;
	snprintf(root, sizeof root, "%s/inbox", home);
	DIR *d = opendir(root);
	if (!d)
		return SYNC_OK;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "done") == 0 ||
		    strlen(de->d_name) >= SYNC_CODE_BUF)
			continue;
		char sub[4500];
		snprintf(sub, sizeof sub, "%s/%s", root, de->d_name);
		DIR *sd = opendir(sub);
		if (!sd)
			continue;
		struct dirent *fe;
		while ((fe = readdir(sd))) {
			unsigned long long epoch, no;
			char tail[8];
			if (sscanf(fe->d_name, "%16llx-%8llu%7s", &epoch, &no, tail) != 3 ||
			    strcmp(tail, ".ccb") != 0)
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				struct spooled *nl = realloc(l, cap * sizeof *nl);
				if (!nl) {
					closedir(sd);
					closedir(d);
					free(l);
					return SYNC_ENOMEM;
				}
				l = nl;
			}
			memcpy(l[*n].commune, de->d_name, strlen(de->d_name) + 1); /* < 17, checked */
			l[*n].epoch = epoch;
			l[*n].batch_no = no;
			(*n)++;
		}
		closedir(sd);
	}
	closedir(d);
	if (*n)
		qsort(l, *n, sizeof *l, cmp_spooled);
	*out = l;
	return SYNC_OK;
}

static int move_done(const char *home, const struct sync_header *h)
{
	char from[4400], to[4400], dir[4200];
	spool_name(home, "inbox", h, from, sizeof from);
	spool_name(home, "inbox/done", h, to, sizeof to);
	snprintf(dir, sizeof dir, "%s/inbox/done", home);
	sx_mkdir(dir);
	snprintf(dir, sizeof dir, "%s/inbox/done/%s", home, h->commune);
	sx_mkdir(dir);
	if (rename(from, to) != 0)
		return SYNC_EIO;
	sx_fsync_dir(dir);
	snprintf(dir, sizeof dir, "%s/inbox/%s", home, h->commune);
	return sx_fsync_dir(dir);
}

/* Append a receipt to home/receipts/<commune>.ccr unless that batch has
 * one (the file also carries the district's messages, mail.c). */
static int add_receipt(struct imp *im, const struct sync_header *h, const uint8_t id[32])
{
	uint8_t buf[SYNC_RECEIPT_BYTES];
	int added;
	struct sync_receipt r = {SYNC_RCPT_IMPORTED, {0}, {0}, h->epoch, h->batch_no, vn_now()};
	memcpy(r.batch_id, id, 32);
	memcpy(r.commune, h->commune, sizeof r.commune);
	sync_receipt_sign(&r, NULL, im->o->district_sk, buf);
	return sx_ccr_append(im->o->home, h->commune, buf, sizeof buf, &added);
}

static const char *reason_text(int err)
{
	return sync_strerror(err);
}

/* Apply one spooled batch that is the next of its lineage.  0, or 1 when
 * it was not applied (reported) and the lineage stops here. */
static int apply_one(struct imp *im, const struct spooled *sp, uint64_t *next)
{
	char path[4400];
	struct sync_header h;
	uint8_t *buf = NULL, id[32];
	size_t len;
	const struct sync_commune *who = NULL;
	struct stat st;
	snprintf(path, sizeof path, "%s/inbox/%s/%016" PRIx64 "-%08" PRIu64 ".ccb", im->o->home,
		 sp->commune, sp->epoch, sp->batch_no);
	int rc = sx_read_file(path, SYNC_BATCH_MAX, &buf, &len);
	if (rc == 0)
		rc = check(im, buf, len, &h, id, &who);
	if (rc == 0 && (strcmp(h.commune, sp->commune) || h.epoch != sp->epoch ||
			h.batch_no != sp->batch_no))
		rc = SYNC_EFORMAT; /* a file renamed in the spool */
	if (rc)
		goto reject;
	int seen;
	int err = store_sync_seen(im->s, id, &seen);
	if (err)
		goto store_failed;
	if (seen) {
		add_receipt(im, &h, id);
		move_done(im->o->home, &h);
		report(im, path, &h, SYNC_DUPLICATE, 0, 0, 0);
		free(buf);
		return 0;
	}
	if (kept_aside(im, path, &h, buf, len, id)) {
		/* Came in through the receiver while its number was in conflict:
		 * it waits for a person with the others, and so does the rest of
		 * its lineage. */
		unlink(path);
		free(buf);
		return h.batch_no == *next;
	}
	if (h.batch_no < *next) {
		uint8_t other[32];
		int found;
		if ((err = store_sync_lineage(im->s, h.commune, h.epoch, h.batch_no, other, &found)))
			goto store_failed;
		set_aside(im->o->home, "conflicts", &h, buf, len, id,
			  "another batch with this number was imported; compare both\n");
		char done[4400];
		spool_name(im->o->home, "inbox/done", &h, done, sizeof done);
		uint8_t *dbuf;
		size_t dlen;
		if (found && sx_read_file(done, SYNC_BATCH_MAX, &dbuf, &dlen) == 0) {
			set_aside(im->o->home, "conflicts", &h, dbuf, dlen, other,
				  "imported; another batch came with this number\n");
			free(dbuf);
		}
		unlink(path);
		report(im, path, &h, SYNC_CONFLICT, SYNC_ECONFLICT, 0, 0);
		free(buf);
		return 0;
	}
	if (h.batch_no > *next) {
		report(im, path, &h, SYNC_WAITING, 0, 0, *next);
		free(buf);
		return 1;
	}
	struct sync_batch *b;
	if ((rc = sync_batch_open(buf, len, who->sign_pk, im->o->box_pk, im->o->box_sk, &b)))
		goto reject;
	struct store_sync_batch sb = {b->id, h.commune, h.epoch, h.batch_no,
				      stat(path, &st) == 0 ? (int64_t)st.st_mtime : vn_now(),
				      b->recs, b->n};
	size_t applied = 0;
	err = store_sync_apply(im->s, &sb, &applied);
	size_t nrec = b->n;
	sync_batch_free(b);
	if (err == STORE_EINVAL) {
		rc = SYNC_EFORMAT; /* a record of another commune's unit */
		goto reject;
	}
	if (err)
		goto store_failed;
	add_receipt(im, &h, id);
	move_done(im->o->home, &h);
	report(im, path, &h, SYNC_IMPORTED, 0, nrec, 0);
	(*next)++;
	free(buf);
	return 0;
reject:
	if (buf) {
		char reason[160];
		snprintf(reason, sizeof reason, "%s\n", reason_text(rc));
		set_aside(im->o->home, "rejected", rc == SYNC_EFORMAT ? NULL : &h, buf, len, id, reason);
		unlink(path);
	}
	report(im, path, rc == SYNC_EFORMAT ? NULL : &h, SYNC_REJECTED, rc, 0, 0);
	free(buf);
	return 1;
store_failed:
	free(buf);
	return -1000 + err; /* a store failure stops the import */
}

int sync_import(struct store *s, const struct sync_import_opts *o, char *const *files,
		size_t nfiles, struct sync_import_summary *sum)
{
	struct imp im = {s, o, sum, NULL, 0, {0}, 0};
	char path[4200];
	int lock, rc;
	memset(sum, 0, sizeof *sum);
	sx_key_id(o->box_pk, im.box_id);
	sx_path(o->home, "inbox", path, sizeof path);
	if ((rc = sx_mkdir(path)))
		return rc;
	sx_path(o->home, "inbox/.import.lock", path, sizeof path);
	if ((rc = sx_lock(path, 1, &lock)))
		return rc;
	if ((rc = sync_communes_read(o->home, o->district_pk, &im.communes, &im.ncommunes)))
		goto unlock;
	for (size_t i = 0; i < nfiles; i++)
		take_file(&im, files[i]);
	struct spooled *sp = NULL;
	size_t n = 0;
	if ((rc = list_spool(o->home, &sp, &n)))
		goto free_communes;
	for (size_t i = 0; i < n && rc == 0;) {
		size_t j = i;
		while (j < n && strcmp(sp[j].commune, sp[i].commune) == 0 && sp[j].epoch == sp[i].epoch)
			j++;
		uint64_t next;
		int err = store_sync_next(s, sp[i].commune, sp[i].epoch, &next);
		if (err) {
			rc = SYNC_ESTORE;
			break;
		}
		for (size_t k = i; k < j; k++) {
			int r = apply_one(&im, &sp[k], &next);
			if (r < 0) {
				rc = SYNC_ESTORE;
				break;
			}
			if (r > 0) {
				/* The rest of this lineage waits behind the gap. */
				for (size_t w = k + 1; w < j; w++) {
					struct sync_header h;
					memset(&h, 0, sizeof h);
					memcpy(h.commune, sp[w].commune, sizeof h.commune);
					h.epoch = sp[w].epoch;
					h.batch_no = sp[w].batch_no;
					report(&im, NULL, &h, SYNC_WAITING, 0, 0, next);
				}
				break;
			}
		}
		i = j;
	}
	free(sp);
	if (rc == 0 && im.failed)
		rc = SYNC_EREFUSED;
free_communes:
	free(im.communes);
unlock:
	sx_unlock(lock);
	return rc;
}
