/*
 * index/order_sort.c: a full sort of one list column, in Vietnamese order
 * for text (core/text.h collation keys), when no kept order reflects the
 * digests (a rebuilt node's first sort by that column).
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "forms/forms.h"
#include "index/index_int.h"

#define KEYP 24 /* collation key bytes kept per row while sorting */

/* A full sort of column c: a short prefix of each row's collation key in
 * memory (KEYP bytes), the column's text only for rows whose key is
 * longer, compared in full only when prefixes tie.  The texts are kept in
 * blocks of TBLOCK bytes, never copied as they grow; the rows themselves
 * (out, four bytes each) are what is sorted, so the sort's own buffer
 * (glibc's qsort_r merges through a copy) is the size of out, not of the
 * keys (with 100,000 names: about 4.5 MiB at its peak, was 8), and all of
 * it is given back to the system at once (malloc_trim).  Still, a first
 * sort of 100,000 rows peaks at about 16.5 MiB, over the UI's 16 (README,
 * Terminal UI): only nodes whose digests were rebuilt ever need one. */
#define TBLOCK 65536
struct skey {
	uint8_t k[KEYP];
	uint32_t text; /* place in the texts; UINT32_MAX: the prefix is the whole key */
};

struct texts {
	char **b;
	size_t nb, cap, used; /* blocks, their array's size, bytes used in the last */
};

static const char *text_at(const struct texts *t, uint32_t off)
{
	return t->b[off / TBLOCK] + off % TBLOCK;
}

static int text_add(struct texts *t, const char *v, size_t vl, uint32_t *off)
{
	if (!t->nb || t->used + vl + 1 > TBLOCK) {
		if (t->nb == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 16;
			char **b = realloc(t->b, cap * sizeof *b);
			if (!b)
				return STORE_ENOMEM;
			t->b = b;
			t->cap = cap;
		}
		if (t->nb >= UINT32_MAX / TBLOCK - 1 || !(t->b[t->nb] = malloc(TBLOCK)))
			return STORE_ENOMEM;
		t->nb++;
		t->used = 0;
	}
	memcpy(t->b[t->nb - 1] + t->used, v, vl + 1);
	*off = (uint32_t)((t->nb - 1) * TBLOCK + t->used);
	t->used += vl + 1;
	return 0;
}

static void texts_free(struct texts *t)
{
	for (size_t i = 0; i < t->nb; i++)
		free(t->b[i]);
	free(t->b);
}

struct sortctx {
	const struct iset *s;
	size_t c;
	const struct skey *keys; /* by row */
	const struct texts *texts;
};

static int cmp_row(const void *x, const void *y, void *arg)
{
	const struct sortctx *ctx = arg;
	uint32_t ra = *(const uint32_t *)x, rb = *(const uint32_t *)y;
	const struct skey *a = &ctx->keys[ra], *b = &ctx->keys[rb];
	int r = memcmp(a->k, b->k, KEYP);
	if (r == 0 && a->text != UINT32_MAX && b->text != UINT32_MAX)
		r = index_cmp_vals(ctx->s, ctx->c, text_at(ctx->texts, a->text),
		                   text_at(ctx->texts, b->text));
	return r ? r : (ra > rb) - (ra < rb);
}

int index_order_compute(struct index *ix, struct iset *s, size_t c, uint32_t *out)
{
	struct skey *keys = malloc((s->n ? s->n : 1) * sizeof *keys);
	struct texts texts = {NULL, 0, 0, 0};
	int rc = 0;
	if (!keys)
		return STORE_ENOMEM;
	int text = form_field_type(s->col[c]) == FORM_TEXT;
	for (size_t row = 0; row < s->n; row++) {
		const uint8_t *d = index_digest(ix, s, row, NULL);
		if (!d) {
			rc = ix->err ? ix->err : STORE_EDAMAGED;
			goto out;
		}
		const char *v = index_dcol(d, c);
		struct skey *k = &keys[row];
		memset(k->k, 0, KEYP);
		k->text = UINT32_MAX;
		out[row] = (uint32_t)row;
		size_t vl = strlen(v);
		if (!text) {
			memcpy(k->k, v, vl < KEYP ? vl : KEYP);
			continue;
		}
		uint8_t *key = NULL;
		size_t kl = 0;
		if (text_collate_key(v, &key, &kl) == 0)
			memcpy(k->k, key, kl < KEYP ? kl : KEYP);
		free(key);
		if (kl >= KEYP && (rc = text_add(&texts, v, vl, &k->text)))
			goto out;
	}
	struct sortctx ctx = {s, c, keys, &texts};
	qsort_r(out, s->n, sizeof *out, cmp_row, &ctx);
out:
	free(keys);
	texts_free(&texts);
	malloc_trim(0);
	return rc;
}
