/*
 * sync/spool.c: what the district's spool holds, for the district UI's
 * inbox (Hộp thư): the batches the receiver (or a USB import) stored and
 * import has not applied yet, and those kept aside with their reason.
 *
 *   home/inbox/<commune>/<epoch>-<number>.ccb          waiting to be imported
 *   home/rejected/<commune>-<epoch>-<number>-<id>.ccb  refused by import (.reason beside)
 *   home/conflicts/<commune>-<epoch>-<number>-<id>.ccb another batch under the number
 *
 * Only names and sizes are read (no key is needed); the reason is the text
 * import wrote, mapped back to its SYNC_E* code so the UI can say it in the
 * user's language.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sync/sync_int.h"

struct ilist {
	struct sync_spool_entry *v;
	size_t n, cap;
};

static int push(struct ilist *l, const struct sync_spool_entry *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct sync_spool_entry *nv = realloc(l->v, cap * sizeof *nv);
		if (!nv)
			return SYNC_ENOMEM;
		l->v = nv, l->cap = cap;
	}
	l->v[l->n++] = *e;
	return SYNC_OK;
}

static void stat_into(const char *path, struct sync_spool_entry *e)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		e->size = (uint64_t)st.st_size;
		e->stored_at = (int64_t)st.st_mtime;
	}
}

/* The reason import wrote (sync_strerror's text): its code, or 0. */
static int reason_code(const char *path)
{
	char buf[256];
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	for (int e = SYNC_EFORMAT; e >= SYNC_EDAMAGED; e--)
		if (strcmp(buf, sync_strerror(e)) == 0)
			return e;
	return 0;
}

static int list_waiting(const char *home, struct ilist *l)
{
	char root[4200];
	snprintf(root, sizeof root, "%s/inbox", home);
	DIR *d = opendir(root);
	if (!d)
		return SYNC_OK;
	struct dirent *de;
	int rc = SYNC_OK;
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "done") == 0 ||
		    strlen(de->d_name) >= SYNC_CODE_BUF)
			continue;
		char sub[4500];
		snprintf(sub, sizeof sub, "%s/%s", root, de->d_name);
		DIR *sd = opendir(sub);
		if (!sd)
			continue;
		struct dirent *fe;
		while (rc == 0 && (fe = readdir(sd))) {
			unsigned long long epoch, no;
			char tail[8], path[4800];
			if (sscanf(fe->d_name, "%16llx-%8llu%7s", &epoch, &no, tail) != 3 ||
			    strcmp(tail, ".ccb") != 0)
				continue;
			struct sync_spool_entry e;
			memset(&e, 0, sizeof e);
			e.kind = SYNC_SPOOL_WAITING;
			memcpy(e.commune, de->d_name, strlen(de->d_name) + 1);
			e.epoch = epoch;
			e.batch_no = no;
			snprintf(path, sizeof path, "%s/%s", sub, fe->d_name);
			stat_into(path, &e);
			rc = push(l, &e);
		}
		closedir(sd);
	}
	closedir(d);
	return rc;
}

/* home/<dir>/<commune>-<epoch>-<number>-<id>.ccb, each with its .reason. */
static int list_aside(const char *home, const char *dir, int kind, struct ilist *l)
{
	char root[4200];
	snprintf(root, sizeof root, "%s/%s", home, dir);
	DIR *d = opendir(root);
	if (!d)
		return SYNC_OK;
	struct dirent *de;
	int rc = SYNC_OK;
	while (rc == 0 && (de = readdir(d))) {
		char code[SYNC_CODE_BUF], idh[17], tail[8], path[4500], rpath[4600];
		unsigned long long epoch, no;
		if (sscanf(de->d_name, "%16[^-]-%16llx-%8llu-%16[0-9a-f]%7s", code, &epoch, &no, idh,
			   tail) != 5 ||
		    strcmp(tail, ".ccb") != 0)
			continue;
		struct sync_spool_entry e;
		memset(&e, 0, sizeof e);
		e.kind = kind;
		if (strcmp(code, "unknown") != 0)
			memcpy(e.commune, code, strlen(code) + 1);
		e.epoch = epoch;
		e.batch_no = no;
		snprintf(path, sizeof path, "%s/%s", root, de->d_name);
		stat_into(path, &e);
		snprintf(rpath, sizeof rpath, "%s.reason", path);
		e.err = kind == SYNC_SPOOL_CONFLICT ? SYNC_ECONFLICT : reason_code(rpath);
		rc = push(l, &e);
	}
	closedir(d);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct sync_spool_entry *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int c = strcmp(x->commune, y->commune);
	if (c)
		return c;
	if (x->epoch != y->epoch)
		return x->epoch < y->epoch ? -1 : 1;
	return x->batch_no < y->batch_no ? -1 : x->batch_no > y->batch_no;
}

int sync_spool_list(const char *home, struct sync_spool_entry **out, size_t *n)
{
	struct ilist l = {NULL, 0, 0};
	int rc = list_waiting(home, &l);
	if (rc == 0)
		rc = list_aside(home, "rejected", SYNC_SPOOL_REJECTED, &l);
	if (rc == 0)
		rc = list_aside(home, "conflicts", SYNC_SPOOL_CONFLICT, &l);
	if (rc) {
		free(l.v);
		*out = NULL;
		*n = 0;
		return rc;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, cmp_entry);
	*out = l.v;
	*n = l.n;
	return SYNC_OK;
}
