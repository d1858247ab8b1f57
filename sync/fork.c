/*
 * sync/fork.c: when a commune's lineage forks.
 *
 * Two different batches under one (commune, epoch, number) mean that the
 * commune's history split: its node directory was copied and both copies
 * ran, or it was restored from an old backup and sealed again.
 *
 *   District: every batch of such a number is kept in home/conflicts/,
 *   named <commune>-<epoch>-<number>-<id prefix>.ccb, and none that was not
 *   applied already is applied: only a person can tell which copy is right.
 *   The receiver and import both look here, so a copy kept aside can never
 *   come back in through the spool and be applied after all.
 *
 *   Commune: a node restored in place tells by itself, before it seals,
 *   from a mark kept outside its node directory, because a backup is a copy
 *   of that directory and would bring an old mark back with it.  The mark
 *   holds, per epoch, the next batch number this node had committed; a store
 *   behind its mark was restored, and the node starts a new epoch so that
 *   no number is sealed twice (README "Sync").  A copy run from another
 *   directory or machine has no mark: its batches conflict at the district,
 *   which is the safe outcome for two live copies.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/secret.h"
#include "sync/sync_int.h"

#define MARK_EPOCHS 64 /* older epochs are dropped: a restore goes back weeks, not years */

int sx_conflicts_find(const char *home, const struct sync_header *h, const uint8_t id[32],
		      size_t *n, int *has)
{
	char dir[4200], prefix[80];
	*n = 0;
	*has = 0;
	snprintf(dir, sizeof dir, "%s/conflicts", home);
	int plen = snprintf(prefix, sizeof prefix, "%s-%016" PRIx64 "-%08" PRIu64 "-", h->commune,
			    h->epoch, h->batch_no);
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? SYNC_OK : SYNC_EIO;
	struct dirent *de;
	int rc = SYNC_OK;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (strncmp(de->d_name, prefix, (size_t)plen) != 0 || len < 4 ||
		    strcmp(de->d_name + len - 4, ".ccb") != 0)
			continue;
		char path[4500];
		uint8_t *buf, got[32];
		size_t blen;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (sx_read_file(path, SYNC_BATCH_MAX, &buf, &blen) != 0) {
			rc = SYNC_EIO; /* counted all the same: the number stays in conflict */
			(*n)++;
			continue;
		}
		secret_hash(buf, blen, NULL, 0, got, sizeof got);
		free(buf);
		(*n)++;
		*has |= memcmp(got, id, 32) == 0;
	}
	closedir(d);
	return rc;
}

/* $XDG_STATE_HOME/cchc (or ~/.local/state/cchc), made if missing. */
static int mark_dir(char *buf, size_t cap, int make)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (xdg && xdg[0] == '/')
		snprintf(buf, cap, "%s/cchc", xdg);
	else if (home && home[0] == '/')
		snprintf(buf, cap, "%s/.local/state/cchc", home);
	else
		return SYNC_EIO;
	if (!make)
		return SYNC_OK;
	/* mkdir -p: ~/.local/state may not exist yet. */
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int bad = mkdir(buf, 0700) != 0 && errno != EEXIST;
		*p = '/';
		if (bad)
			return SYNC_EIO;
	}
	return sx_mkdir(buf);
}

/* The mark's file: one per node directory, named by a hash of its real
 * path (a restore puts the directory back where it was). */
static int mark_path(const char *home, char *buf, size_t cap, int make)
{
	char real[PATH_MAX], dir[4096], hex[17];
	uint8_t h[8];
	if (!realpath(home, real) || mark_dir(dir, sizeof dir, make) != 0)
		return SYNC_EIO;
	secret_hash(real, strlen(real), NULL, 0, h, sizeof h);
	sx_hex(h, sizeof h, hex);
	snprintf(buf, cap, "%s/hwm-%s", dir, hex);
	return SYNC_OK;
}

struct mark_line {
	uint64_t epoch, next;
};

/* Every "<epoch hex> <next>" line of the mark; a line that does not parse
 * is skipped (the mark only ever starts a new epoch, never loses data). */
static size_t mark_load(const char *path, struct mark_line *l, size_t cap)
{
	uint8_t *buf;
	size_t len, n = 0;
	if (sx_read_file(path, 64u << 10, &buf, &len) != 0)
		return 0;
	char *text = malloc(len + 1);
	if (!text) {
		free(buf);
		return 0;
	}
	memcpy(text, buf, len);
	text[len] = '\0';
	free(buf);
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line && n < cap;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long e, x;
		if (sscanf(line, "%16llx %llu", &e, &x) == 2)
			l[n++] = (struct mark_line){e, x};
	}
	free(text);
	return n;
}

int sx_mark_read(const char *home, uint64_t epoch, uint64_t *next)
{
	char path[4400];
	struct mark_line l[MARK_EPOCHS];
	*next = 0;
	int rc = mark_path(home, path, sizeof path, 0);
	if (rc)
		return rc;
	size_t n = mark_load(path, l, MARK_EPOCHS);
	for (size_t i = 0; i < n; i++)
		if (l[i].epoch == epoch && l[i].next > *next)
			*next = l[i].next;
	return SYNC_OK;
}

int sx_mark_write(const char *home, uint64_t epoch, uint64_t next)
{
	char path[4400], text[MARK_EPOCHS * 40];
	struct mark_line l[MARK_EPOCHS + 1];
	int rc = mark_path(home, path, sizeof path, 1);
	if (rc)
		return rc;
	size_t n = mark_load(path, l, MARK_EPOCHS), i;
	for (i = 0; i < n && l[i].epoch != epoch; i++)
		;
	if (i == n)
		l[n++] = (struct mark_line){epoch, next};
	else if (l[i].next < next)
		l[i].next = next;
	size_t first = n > MARK_EPOCHS ? n - MARK_EPOCHS : 0, off = 0;
	for (i = first; i < n; i++)
		off += (size_t)snprintf(text + off, sizeof text - off, "%016" PRIx64 " %" PRIu64 "\n",
					l[i].epoch, l[i].next);
	return sx_write_durable(path, text, off, 0600);
}
