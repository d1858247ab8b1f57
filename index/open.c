/*
 * index/open.c: opening the index (the rows of every form from the kept
 * digests, then catching up with the store), releasing what reads mapped,
 * and closing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "core/text.h"
#include "forms/forms.h"
#include "index/index_int.h"

struct byid_ctx {
	const uint8_t (*id)[16];
};

static int cmp_byid(const void *x, const void *y, void *arg)
{
	const struct byid_ctx *c = arg;
	return memcmp(c->id[*(const uint32_t *)x], c->id[*(const uint32_t *)y], 16);
}

/* Rows that arrived out of id order (a clock set back): sort byid, with
 * every id in memory for that moment only. */
static int sort_byid(struct index *ix, struct iset *s)
{
	uint8_t(*id)[16] = malloc((s->n ? s->n : 1) * sizeof *id);
	int rc = 0;
	if (!id)
		return STORE_ENOMEM;
	for (size_t r = 0; r < s->n && rc == 0; r++)
		rc = index_row_id(ix, s, r, id[r]);
	if (rc == 0) {
		struct byid_ctx c = {(const uint8_t(*)[16])id};
		qsort_r(s->byid, s->n, sizeof *s->byid, cmp_byid, &c);
	}
	free(id);
	return rc;
}

static int load_set(struct index *ix, struct iset *s)
{
	uint64_t n;
	uint8_t last[16];
	int rc = store_digest_count(ix->st, s->form, &n);
	if (rc)
		return rc;
	if (n > UINT32_MAX / 2)
		return STORE_EDAMAGED;
	s->stored_n = n;
	s->n = 0;
	if ((rc = index_rows_reserve(s, (size_t)n)))
		return rc;
	int sorted = 1;
	for (uint64_t k = 0; k * INDEX_CHUNK < n; k++) {
		struct index_chunk *c = index_chunk_get(ix, s, k, 0);
		if (!c)
			return ix->err;
		for (size_t j = 0; j < c->count; j++) {
			const uint8_t *e = c->buf + c->off[j];
			const uint8_t *d = store_digest_entry_data(e);
			if (store_digest_entry_len(e) < 5 || d[0] != INDEX_DIGEST_V2)
				return STORE_EDAMAGED;
			s->flag[s->n] =
			    (uint8_t)((d[1] & INDEX_STATE) | (d[2] ? INDEX_DELETED : 0));
			s->byid[s->n] = (uint32_t)s->n;
			if (s->n && memcmp(last, e, 16) >= 0)
				sorted = 0;
			memcpy(last, e, 16);
			s->n++;
		}
	}
	if (s->n != n)
		return STORE_EDAMAGED;
	return sorted ? 0 : sort_byid(ix, s);
}

int index_open(struct index *ix, struct store *st, const struct forms *fs)
{
	memset(ix, 0, sizeof *ix);
	ix->st = st;
	if (index_cache_alloc(ix) || !(ix->fold = malloc(sizeof *ix->fold)))
		return STORE_ENOMEM;
	text_fold_map_init(ix->fold);
	size_t nf = forms_count(fs);
	ix->sets = calloc(nf ? nf : 1, sizeof *ix->sets);
	if (!ix->sets)
		return STORE_ENOMEM;
	for (size_t i = 0; i < nf; i++) {
		const struct form *f = forms_at(fs, i);
		struct iset *s = index_set(ix, form_id(f));
		if (!s) {
			s = &ix->sets[ix->nsets++];
			snprintf(s->form, sizeof s->form, "%s", form_id(f));
		}
		s->f = f; /* forms_at is by version ascending: the last is newest */
	}
	int rc = store_digest_seq(st, &ix->seq);
	ix->have = rc == 0;
	if (rc == STORE_ENOTFOUND)
		rc = 0;
	for (size_t i = 0; rc == 0 && i < ix->nsets; i++) {
		index_pick_columns(&ix->sets[i]);
		rc = load_set(ix, &ix->sets[i]);
	}
	if (rc == STORE_EDAMAGED) {
		/* A damaged cache is rebuilt from the records, which are checked. */
		ix->seq = 0;
		ix->have = 0;
		rc = 0;
	}
	if (rc == 0)
		rc = index_sync(ix, st);
	store_digest_release(st);
	return rc;
}

void index_release(struct index *ix)
{
	store_digest_release(ix->st);
}

void index_close(struct index *ix)
{
	for (size_t i = 0; ix->cache && i < INDEX_CACHE; i++) {
		struct index_chunk *c = &ix->cache[i];
		if (c->buf)
			secret_wipe(c->buf, c->cap);
		free(c->buf);
	}
	free(ix->cache);
	free(ix->fold);
	for (size_t i = 0; i < ix->nsets; i++) {
		free(ix->sets[i].flag);
		free(ix->sets[i].byid);
		free(ix->sets[i].touched);
	}
	free(ix->sets);
	memset(ix, 0, sizeof *ix);
}
