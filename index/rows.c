/*
 * index/rows.c: the rows in memory (id order, state, deleted), a record's
 * change to its row, and catching up with the store: the outbox entries
 * after the digests' seq, or a rebuild from the records.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "index/index_int.h"

int index_rows_reserve(struct iset *s, size_t need)
{
	if (need <= s->cap)
		return 0;
	size_t cap = s->cap ? s->cap + s->cap / 4 + 64 : need + 64;
	if (cap < need)
		cap = need;
	void *b = realloc(s->flag, cap * sizeof *s->flag);
	if (b)
		s->flag = b;
	void *c = realloc(s->byid, cap * sizeof *s->byid);
	if (c)
		s->byid = c;
	if (!b || !c)
		return STORE_ENOMEM;
	s->cap = cap;
	return 0;
}

/* Position in byid of id, or where it would go (*found 0).  Ids live in
 * the chunks only; new records come last, so the last row is tried first. */
static int find_id(struct index *ix, struct iset *s, const uint8_t *id, size_t *pos, int *found)
{
	uint8_t at[16];
	size_t lo = 0, hi = s->n;
	int rc;
	*found = 0;
	*pos = s->n;
	if (!s->n)
		return 0;
	if ((rc = index_row_id(ix, s, s->byid[s->n - 1], at)))
		return rc;
	if (memcmp(at, id, 16) < 0)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((rc = index_row_id(ix, s, s->byid[mid], at)))
			return rc;
		int c = memcmp(at, id, 16);
		if (c == 0) {
			*found = 1;
			*pos = mid;
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return 0;
}

static void touch(struct iset *s, size_t row)
{
	if (s->orders_stale)
		return;
	for (size_t i = 0; i < s->ntouched; i++)
		if (s->touched[i] == row)
			return;
	if (s->ntouched == INDEX_TOUCH_MAX) {
		s->orders_stale = 1;
		return;
	}
	if (s->ntouched == s->captouched) {
		size_t cap = s->captouched ? s->captouched * 2 : 16;
		uint32_t *t = realloc(s->touched, cap * sizeof *t);
		if (!t) {
			s->orders_stale = 1;
			return;
		}
		s->touched = t;
		s->captouched = cap;
	}
	s->touched[s->ntouched++] = (uint32_t)row;
}

static int upsert(struct index *ix, struct iset *s, const uint8_t *id, const uint8_t *d, size_t len)
{
	int found;
	size_t pos;
	if (len > STORE_DIGEST_MAX || len < 4)
		return STORE_EDAMAGED;
	int rc = find_id(ix, s, id, &pos, &found);
	if (rc)
		return rc;
	size_t row = found ? s->byid[pos] : s->n;
	if (!found && index_rows_reserve(s, s->n + 1))
		return STORE_ENOMEM;
	struct index_chunk *c = index_chunk_get(ix, s, row / INDEX_CHUNK, !found);
	if (!c)
		return ix->err;
	if ((rc = index_chunk_put(c, row % INDEX_CHUNK, id, d, len)))
		return rc;
	if (!found) {
		memmove(s->byid + pos + 1, s->byid + pos, (s->n - pos) * sizeof *s->byid);
		s->byid[pos] = (uint32_t)row;
		s->n++;
	}
	s->flag[row] = (uint8_t)((d[1] & INDEX_STATE) | (d[2] ? INDEX_DELETED : 0));
	touch(s, row);
	ix->gen++;
	return 0;
}

int index_apply_record(struct index *ix, const struct store_record *r)
{
	struct iset *s = index_set(ix, r->form);
	uint8_t d[INDEX_DIGEST_BUF];
	if (!s)
		return 0; /* a form this build does not know: not listed */
	size_t len = index_make_digest(s, r, d);
	return upsert(ix, s, r->id, d, len);
}

static int rebuild_one(const struct store_record *r, void *arg)
{
	struct index *ix = arg;
	/* Records are read once here: give their map pages back as we go, or
	 * the whole database would count in the UI's memory. */
	if (++ix->walked % 1024 == 0)
		index_release(ix);
	return index_apply_record(ix, r);
}

struct catchup {
	struct index *ix;
	uint64_t expect;
	int gap;
};

static int catch_one(uint64_t seq, const struct store_record *r, void *arg)
{
	struct catchup *c = arg;
	if (seq != c->expect) {
		c->gap = 1;
		return 1;
	}
	c->expect++;
	return index_apply_record(c->ix, r);
}

/* ------------------------------------------------------------- sync */

static int write_back(struct index *ix, struct store *st, uint64_t seq)
{
	int rc = 0;
	uint64_t old_seq = ix->seq;
	for (size_t i = 0; i < ix->nsets && rc == 0; i++) {
		struct iset *s = &ix->sets[i];
		size_t old_n = (size_t)s->stored_n;
		if (s->ntouched || s->orders_stale)
			rc = index_orders_write_back(ix, s, old_seq, old_n, seq);
	}
	if (rc == 0)
		rc = index_flush(ix);
	if (rc == 0)
		rc = store_digest_set_seq(st, seq);
	if (rc == 0) {
		ix->seq = seq;
		ix->have = 1;
	}
	return rc;
}

/* Records that reached the node without an outbox entry (a district
 * import) and no digests yet: the digests must be built from the records. */
static int records_without_digests(struct index *ix, struct store *st)
{
	struct store_stat stat;
	size_t have = 0;
	for (size_t i = 0; i < ix->nsets; i++)
		have += ix->sets[i].n;
	return store_stat(st, &stat) == 0 && stat.records > have;
}

static int rebuild(struct index *ix, struct store *st)
{
	int rc;
	/* A rebuild that stops half way must not look finished. */
	if ((rc = store_digest_clear_seq(st)))
		return rc;
	ix->seq = 0;
	ix->have = 0;
	index_drop_cache(ix, NULL);
	for (size_t i = 0; i < ix->nsets; i++) {
		struct iset *s = &ix->sets[i];
		s->n = 0;
		s->stored_n = 0; /* the store's old chunks are overwritten or dropped */
		s->ntouched = 0;
		s->orders_stale = 1;
	}
	ix->rebuilt = 1;
	ix->gen++;
	rc = store_record_each(st, rebuild_one, ix);
	/* What the walk freed goes back now, not at the list's first sort. */
	index_release(ix);
	malloc_trim(0);
	return rc;
}

int index_sync(struct index *ix, struct store *st)
{
	uint64_t last, from = ix->seq;
	int rc = store_outbox_last(st, &last);
	if (rc)
		return rc;
	/* No digests, or digests of no outbox entry holding fewer rows than
	 * there are records (records imported without outbox entries, or a
	 * build by an older version that stopped half way): built from the
	 * records.  Otherwise the outbox entries after seq are applied. */
	int build = !ix->have || (from == 0 && last == 0 && records_without_digests(ix, st));
	if (!build && last == from)
		return 0;
	struct catchup c = {ix, from + 1, 0};
	if (!build && last > from)
		rc = store_outbox_each(st, from + 1, catch_one, &c);
	if (rc < 0)
		return rc;
	if (!build && from == 0 && !c.gap && records_without_digests(ix, st))
		build = 1;
	if (build || c.gap || last < from) {
		if ((rc = rebuild(ix, st)) < 0)
			return rc;
	}
	return write_back(ix, st, last);
}
