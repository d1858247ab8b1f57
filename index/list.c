/*
 * index/list.c: a list of one form's entries as a front end shows it:
 * which rows (not deleted; one unit's; those a search hits) in which
 * order (newest first, or a column's kept order), and a page of it.
 * The search's and the unit's hits are kept while neither the needle nor
 * the rows change, so sorting a search result reads nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/index_int.h"

/* *bits with room for n bits (and some more, so a growing list does not
 * reallocate on every entry). */
static int bits_reserve(uint8_t **bits, size_t *cap, size_t n)
{
	size_t need = (n + 7) / 8 + 1;
	if (*cap >= need)
		return 0;
	uint8_t *h = realloc(*bits, need + 1024);
	if (!h)
		return STORE_ENOMEM;
	*bits = h;
	*cap = need + 1024;
	return 0;
}

static int search_hits(struct index *ix, struct index_list *l)
{
	if (l->hits && l->hits_gen == ix->gen && strcmp(l->hits_for, l->needle) == 0)
		return 0;
	int err = bits_reserve(&l->hits, &l->hitcap, l->set->n);
	if (err || (err = index_search(ix, l->set, l->needle, l->hits)))
		return err;
	l->hits_gen = ix->gen;
	snprintf(l->hits_for, sizeof l->hits_for, "%s", l->needle);
	return 0;
}

static int unit_hits(struct index *ix, struct index_list *l)
{
	if (!l->unit[0] || (l->uhits && l->uhits_gen == ix->gen + 1))
		return 0;
	int err = bits_reserve(&l->uhits, &l->uhitcap, l->set->n);
	if (err || (err = index_unit_hits(ix, l->set, l->unit, l->uhits)))
		return err;
	l->uhits_gen = ix->gen + 1;
	return 0;
}

static int shown(const struct index_list *l, uint32_t row)
{
	if (l->set->flag[row] & INDEX_DELETED)
		return 0;
	if (l->unit[0] && !(l->uhits[row / 8] >> (row % 8) & 1))
		return 0;
	return !l->needle[0] || (l->hits[row / 8] >> (row % 8) & 1);
}

int index_list_refresh(struct index *ix, struct index_list *l)
{
	struct iset *s = l->set;
	int err = 0;
	if (!s)
		return 0;
	if (l->cap < s->n || !l->order) {
		uint32_t *o = realloc(l->order, (s->n + 1024) * sizeof *o);
		if (!o)
			return STORE_ENOMEM;
		l->order = o;
		l->cap = s->n + 1024;
	}
	l->norder = 0;
	if ((l->needle[0] && (err = search_hits(ix, l))) || (err = unit_hits(ix, l)))
		return err;
	if (l->sort == 0) {
		/* Newest first: rows are in the order they arrived. */
		for (size_t i = s->n; i-- > 0;)
			if (shown(l, (uint32_t)i))
				l->order[l->norder++] = (uint32_t)i;
	} else {
		if ((err = index_order(ix, s, (size_t)l->sort - 1, l->order)))
			return err;
		for (size_t i = 0; i < s->n; i++)
			if (shown(l, l->order[i]))
				l->order[l->norder++] = l->order[i];
	}
	l->live = 0;
	for (size_t i = 0; i < s->n; i++)
		l->live += !(s->flag[i] & INDEX_DELETED);
	return 0;
}

int index_list_page(struct index *ix, const struct index_list *l, size_t top, size_t n,
                    struct index_row *rows, size_t *got)
{
	int err = 0;
	*got = 0;
	for (size_t i = 0; i < n && top + i < l->norder; i++) {
		const uint8_t *d = index_digest(ix, l->set, l->order[top + i], NULL);
		if (!d) {
			err = ix->err ? ix->err : STORE_EDAMAGED;
			break;
		}
		for (size_t c = 0; c < l->set->ncols; c++)
			snprintf(rows[i].col[c], sizeof rows[i].col[c], "%s", index_dcol(d, c));
		snprintf(rows[i].unit, sizeof rows[i].unit, "%s", index_dunit(d));
		++*got;
	}
	index_release(ix);
	return err;
}

void index_list_free(struct index_list *l)
{
	free(l->order);
	free(l->hits);
	free(l->uhits);
	memset(l, 0, sizeof *l);
}
