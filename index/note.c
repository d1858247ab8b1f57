/*
 * index/note.c: a save outside the index's owner (`cchc record`) keeps
 * the digests and the kept orders current (index_note_save), reading only
 * the chunks it needs, so the next index_open needs no rebuild.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/forms.h"
#include "index/index_int.h"

/* Row of id in s without the rows in memory: rows are in id order unless
 * the clock was set back, so a binary search over the chunks, then (not
 * found) every chunk in turn.  *row = s->n when id has no row. */
static int note_find(struct index *ix, struct iset *s, const uint8_t *id, size_t *row)
{
	uint8_t at[16];
	size_t lo = 0, hi = s->n;
	int rc;
	*row = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((rc = index_row_id(ix, s, mid, at)))
			return rc;
		int c = memcmp(at, id, 16);
		if (c == 0) {
			*row = mid;
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = 0; k * INDEX_CHUNK < s->n; k++) {
		struct index_chunk *c = index_chunk_get(ix, s, k, 0);
		if (!c)
			return ix->err;
		for (size_t j = 0; j < c->count; j++)
			if (memcmp(c->buf + c->off[j], id, 16) == 0) {
				*row = k * INDEX_CHUNK + j;
				return 0;
			}
	}
	return 0;
}

/* The sort orders of s after row changed: each kept order that reflects
 * (seq, old_n) is updated as a UI save updates it; any other is dropped.
 * b[] gets one value per column (buffers malloc'd, freed by the caller). */
static int note_orders(struct index *ix, struct iset *s, size_t row, uint64_t seq, size_t old_n,
                       uint64_t new_seq, struct store_digest_blob *b, char names[][8])
{
	uint32_t touched = (uint32_t)row;
	s->touched = &touched;
	s->ntouched = 1;
	int rc = 0;
	for (size_t c = 0; c < s->ncols && rc == 0; c++) {
		uint8_t *old = NULL, *nb = NULL;
		size_t len = 0, nlen = INDEX_ORD_HEAD + 4 * s->n;
		index_ord_name(c, names[c]);
		b[c] = (struct store_digest_blob){names[c], NULL, 0};
		/* As orders_write_back: a set with no rows starts its orders. */
		if ((rc = index_order_load(ix, s, c, seq, old_n, &old, &len)) || (!old && old_n))
			continue;
		if ((nb = malloc(nlen))) {
			if (old)
				memcpy(nb, old, len);
			index_put64(nb, new_seq);
			index_put64(nb + 8, s->n);
		}
		if (old)
			store_digest_free(old, len);
		if (!nb) {
			rc = STORE_ENOMEM;
			continue;
		}
		rc = index_order_update(ix, s, c, (uint32_t *)(void *)(nb + INDEX_ORD_HEAD), old_n);
		if (rc == 0)
			b[c] = (struct store_digest_blob){names[c], nb, nlen};
		else
			free(nb);
		if (rc == STORE_EDAMAGED)
			rc = 0; /* dropped: computed again on first use */
	}
	s->touched = NULL;
	s->ntouched = 0;
	return rc;
}

/* 1 when the digests reflect everything before this save (seq, and the
 * outbox's last entry is this save's); *have_seq says they exist.  At seq
 * 0 they must hold a row for every record but a new one; with none yet,
 * the node's one record must be this one. */
static int note_current(struct store *st, const struct forms *fs, const struct store_record *r,
                        uint64_t *seq, uint64_t *last, int *current)
{
	uint64_t n, total = 0, created = r->version == 1;
	struct store_stat stat;
	int rc = store_digest_seq(st, seq), have = rc == 0;
	*current = 0;
	if ((rc && rc != STORE_ENOTFOUND) || (rc = store_outbox_last(st, last)))
		return rc;
	if (*last != *seq + 1)
		return 0;
	if (have && *seq != 0) {
		*current = 1;
		return 0;
	}
	for (size_t i = 0; have && i < forms_count(fs); i++) {
		const char *id = form_id(forms_at(fs, i));
		if (i && strcmp(id, form_id(forms_at(fs, i - 1))) == 0)
			continue;
		if ((rc = store_digest_count(st, id, &n)))
			return rc;
		total += n;
	}
	if ((rc = store_stat(st, &stat)))
		return rc;
	*current = stat.records == total + created;
	return 0;
}

/* The change itself, in ix (one set s): the row, the orders (b, names),
 * then one commit of the chunks, the orders and the seq. */
static int note_apply(struct index *ix, struct iset *s, const struct store_record *r, uint64_t last,
                      struct store_digest_blob *b, char names[][8])
{
	uint8_t d[INDEX_DIGEST_BUF];
	uint64_t n;
	size_t row = 0;
	int rc = store_digest_count(ix->st, s->form, &n);
	if (rc == 0 && n > UINT32_MAX / 2)
		rc = STORE_EDAMAGED;
	if (rc)
		return rc;
	s->n = (size_t)n;
	s->stored_n = n;
	/* A new record's id is new: its row is a new last row. */
	if (r->version > 1 && (rc = note_find(ix, s, r->id, &row)))
		return rc;
	if (r->version <= 1)
		row = s->n;
	struct index_chunk *c = index_chunk_get(ix, s, row / INDEX_CHUNK, row >= s->n);
	if (!c)
		return ix->err;
	if ((rc = index_chunk_put(c, row % INDEX_CHUNK, r->id, d, index_make_digest(s, r, d))))
		return rc;
	if (row >= s->n)
		s->n++;
	if ((rc = note_orders(ix, s, row, ix->seq, (size_t)n, last, b, names)))
		return rc;
	struct store_digest_chunk v[INDEX_CACHE];
	size_t nv = index_dirty_chunks(ix, s, v);
	return store_digest_commit(ix->st, s->form, v, nv, s->n, b, s->ncols, last);
}

int index_note_save(struct store *st, const struct forms *fs, const struct store_record *r)
{
	uint64_t seq, last;
	int current;
	int rc = note_current(st, fs, r, &seq, &last, &current);
	if (rc || !current)
		return rc;
	const struct form *f = forms_find(fs, r->form);
	if (!f)
		return store_digest_set_seq(st, last); /* a form not listed */
	struct index ix = {0};
	struct iset *s = calloc(1, sizeof *s);
	struct store_digest_blob b[INDEX_COLS];
	char names[INDEX_COLS][8];
	ix.sets = s;
	if (!s || index_cache_alloc(&ix)) {
		index_close(&ix);
		return STORE_ENOMEM;
	}
	ix.st = st;
	ix.seq = seq;
	ix.hold_dirty = 1;
	ix.nsets = 1;
	snprintf(s->form, sizeof s->form, "%s", r->form);
	s->f = f;
	index_pick_columns(s);
	memset(b, 0, sizeof b);
	rc = note_apply(&ix, s, r, last, b, names);
	for (size_t c = 0; c < INDEX_COLS; c++)
		free((void *)b[c].buf);
	index_close(&ix);
	return rc;
}
