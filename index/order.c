/*
 * index/order.c: the kept sort order of each list column (index/index.h,
 * "Sort orders"): loaded when it reflects the digests, brought up to date
 * on a save by moving the rows that changed, computed again
 * (order_sort.c) and kept when it does not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "forms/forms.h"
#include "index/index_int.h"

void index_ord_name(size_t c, char name[8])
{
	name[0] = 'o';
	name[1] = (char)('0' + c % INDEX_COLS);
	name[2] = '\0';
}

/* Value of column c of row into out (INDEX_CLIP + 1 bytes); -1 on failure. */
static int col_copy(struct index *ix, struct iset *s, size_t row, size_t c, char *out)
{
	const uint8_t *d = index_digest(ix, s, row, NULL);
	if (!d)
		return -1;
	snprintf(out, INDEX_CLIP + 1, "%s", index_dcol(d, c));
	return 0;
}

int index_cmp_vals(const struct iset *s, size_t c, const char *a, const char *b)
{
	if (form_field_type(s->col[c]) == FORM_TEXT)
		return text_collate(a, b);
	return strcmp(a, b);
}

/* Move the rows that changed to their places in order ord (n rows, of
 * which the first `had` were in it before).  The rows not touched are in
 * order, so a binary search among them finds each place. */
int index_order_update(struct index *ix, struct iset *s, size_t c, uint32_t *ord, size_t had)
{
	char v[INDEX_CLIP + 1], w[INDEX_CLIP + 1];
	size_t len = had;
	/* Take every touched row out first, then put each back. */
	for (size_t t = 0; t < s->ntouched; t++) {
		uint32_t r = s->touched[t];
		if (r >= had)
			continue;
		for (size_t i = 0; i < len; i++)
			if (ord[i] == r) {
				memmove(ord + i, ord + i + 1, (len - i - 1) * sizeof *ord);
				len--;
				break;
			}
	}
	for (size_t t = 0; t < s->ntouched; t++) {
		uint32_t r = s->touched[t];
		if (col_copy(ix, s, r, c, v))
			return ix->err ? ix->err : STORE_EDAMAGED;
		size_t lo = 0, hi = len;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (col_copy(ix, s, ord[mid], c, w))
				return ix->err ? ix->err : STORE_EDAMAGED;
			int k = index_cmp_vals(s, c, w, v);
			if (k == 0)
				k = ord[mid] < r ? -1 : 1;
			if (k < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		memmove(ord + lo + 1, ord + lo, (len - lo) * sizeof *ord);
		ord[lo] = r;
		len++;
	}
	return len == s->n ? 0 : STORE_EDAMAGED;
}

void index_put64(uint8_t *b, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		b[i] = (uint8_t)v;
}

static uint64_t get64(const uint8_t *b)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* Stored order c of s when it reflects (seq, n): *buf holds it (header
 * first); else NULL. */
int index_order_load(struct index *ix, struct iset *s, size_t c, uint64_t seq, size_t n,
                     uint8_t **buf, size_t *len)
{
	char name[8];
	index_ord_name(c, name);
	*buf = NULL;
	int rc = store_digest_get_blob(ix->st, s->form, name, buf, len);
	if (rc == STORE_ENOTFOUND || rc == STORE_EDAMAGED)
		return 0;
	if (rc)
		return rc;
	if (*len != INDEX_ORD_HEAD + 4 * n || get64(*buf) != seq || get64(*buf + 8) != n) {
		store_digest_free(*buf, *len);
		*buf = NULL;
	}
	return 0;
}

/* Bring the stored orders of s up to date with the rows touched since the
 * digests reflected old_seq (old_n rows); they then reflect seq. */
int index_orders_write_back(struct index *ix, struct iset *s, uint64_t old_seq, size_t old_n,
                            uint64_t seq)
{
	char name[8];
	for (size_t c = 0; c < s->ncols; c++) {
		uint8_t *old = NULL;
		size_t len = 0;
		int rc =
		    s->orders_stale ? 0 : index_order_load(ix, s, c, old_seq, old_n, &old, &len);
		index_ord_name(c, name);
		if (rc)
			return rc;
		/* A set that had no rows starts its orders (empty), so a node
		 * filled from its first entry never needs a full sort. */
		if (!old && (s->orders_stale || old_n != 0)) {
			/* Nothing to update: a stale order must not survive. */
			if ((rc = store_digest_put_blob(ix->st, s->form, name, NULL, 0)) &&
			    rc != STORE_ENOTFOUND)
				return rc;
			continue;
		}
		size_t nlen = INDEX_ORD_HEAD + 4 * s->n;
		uint8_t *b = malloc(nlen);
		if (!b) {
			if (old)
				store_digest_free(old, len);
			return STORE_ENOMEM;
		}
		if (old) {
			memcpy(b, old, len);
			store_digest_free(old, len);
		}
		index_put64(b, seq);
		index_put64(b + 8, s->n);
		uint32_t *ord = (uint32_t *)(void *)(b + INDEX_ORD_HEAD);
		rc = index_order_update(ix, s, c, ord, old_n);
		if (rc == 0)
			rc = store_digest_put_blob(ix->st, s->form, name, b, nlen);
		else if (rc == STORE_EDAMAGED)
			rc = store_digest_put_blob(ix->st, s->form, name, NULL, 0);
		free(b);
		if (rc && rc != STORE_ENOTFOUND)
			return rc;
	}
	s->ntouched = 0;
	s->orders_stale = 0;
	return 0;
}

int index_order(struct index *ix, struct iset *s, size_t c, uint32_t *out)
{
	uint8_t *b;
	size_t len;
	char name[8];
	if (c >= s->ncols)
		return STORE_EINVAL;
	int rc = index_order_load(ix, s, c, ix->seq, s->n, &b, &len);
	if (rc)
		return rc;
	if (b) {
		memcpy(out, b + INDEX_ORD_HEAD, 4 * s->n);
		store_digest_free(b, len);
		index_release(ix);
		for (size_t i = 0; i < s->n; i++)
			if (out[i] >= s->n)
				return STORE_EDAMAGED;
		return 0;
	}
	rc = index_order_compute(ix, s, c, out);
	index_release(ix);
	if (rc)
		return rc;
	ix->sorted_now = 1;
	len = INDEX_ORD_HEAD + 4 * s->n;
	if (!(b = malloc(len)))
		return 0; /* sorted; only not kept */
	index_put64(b, ix->seq);
	index_put64(b + 8, s->n);
	memcpy(b + INDEX_ORD_HEAD, out, 4 * s->n);
	index_ord_name(c, name);
	rc = store_digest_put_blob(ix->st, s->form, name, b, len);
	free(b);
	return rc;
}
