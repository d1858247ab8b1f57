/*
 * tui/index.c: the lists' data, from record digests (store.h, "UI
 * support").
 *
 * A digest is what a list needs of a record, and nothing more:
 *   byte 0 format (1), byte 1 workflow state, byte 2 deleted,
 *   the period, NUL, the unit code, NUL (a district lists every commune's
 *   entries), then one value per list column, each NUL-terminated:
 *   text clipped to CLIP bytes at a letter boundary, dates as yyyy-mm-dd,
 *   a choice as its option number (1-based, one byte).
 * A list's columns are the form's `summary` fields, then its first
 * required date and its last required choice (so the register shows
 * applicant, code, procedure, received date, state).
 *
 * Memory (SPEC §10: 100,000 entries within 16 MiB).  Only what every row
 * needs stays in memory: its id, state and deleted flag (21 bytes a row,
 * plus 4 for the id lookup).  The digests themselves stay sealed in the
 * store's chunks of STORE_DIGEST_CHUNK rows; a few chunks are kept
 * decrypted (ICACHE, least recently used), so a page of the list reads at
 * most a page of chunks and a search reads them all in turn.  Rows keep the
 * order they arrived in (new records append), so a save rewrites one chunk.
 *
 * Sort orders.  Sorting 100,000 names in Vietnamese order takes a quarter
 * of a second, far over a key's 10 ms, so the order of each column is
 * kept sealed with the digests once computed (a named value "oC": the seq
 * and row count it reflects, then the rows in order) and brought up to
 * date on each save by moving the rows that changed (a binary search that
 * reads a few digests).  An order that does not match the digests (a
 * rebuild, a crash between writes) is computed again on first use.
 *
 * The digests are a cache: after login they are brought up to date from
 * the outbox, or rebuilt from the records when the outbox no longer has
 * what they miss.  A save by `cchc record` updates them and the orders as
 * a save here does (tui_index_note_save, tui/tui.h), reading only the
 * chunks it needs, so a node filled by the CLI opens without a rebuild;
 * a set's orders start with its first row, so such a node never needs a
 * full sort either.
 */
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "core/text.h"
#include "forms/forms.h"
#include "store/store.h"
#include "tui/tui_int.h"

#define DIGEST_V2 2 /* 2: with the unit; a cache of format 1 is built again */
#define CHUNK STORE_DIGEST_CHUNK
#define ENT_FIXED 18         /* id[16] + u16 length before each digest */
#define TOUCH_MAX 4096       /* more changed rows than this: orders recomputed */
#define ORD_HEAD 16          /* u64 seq, u64 n */
#define KEYP 24              /* collation key bytes kept per row while sorting */

static void put_str_clip(uint8_t *b, size_t *at, const char *v, size_t clip)
{
	size_t len = strlen(v), n = 0;
	/* Clip at a letter boundary: never half a letter in a digest. */
	while (n < len) {
		size_t next = text_next_letter(v, len, n);
		if (next > clip)
			break;
		n = next;
	}
	memcpy(b + *at, v, n);
	b[*at + n] = 0;
	*at += n + 1;
}

static void pick_columns(struct iset *s)
{
	const struct form *f = s->f;
	s->ncols = 0;
	if (form_kind(f) != FORM_KIND_REGISTER)
		return;
	for (size_t i = 0; i < form_summary_count(f) && s->ncols < INDEX_COLS - 2; i++) {
		const struct form_field *fl = form_field_find(f, form_summary_at(f, i));
		if (fl)
			s->col[s->ncols++] = fl;
	}
	const struct form_field *date = NULL, *choice = NULL;
	for (size_t i = 0; i < form_field_count(f); i++) {
		const struct form_field *fl = form_field_at(f, i);
		if (form_field_required(fl) != 1)
			continue;
		if (form_field_type(fl) == FORM_DATE && !date)
			date = fl;
		if (form_field_type(fl) == FORM_CHOICE)
			choice = fl;
	}
	if (date)
		s->col[s->ncols++] = date;
	if (choice)
		s->col[s->ncols++] = choice;
}

/* The digest of r for set s into b (at least INDEX_DIGEST_BUF bytes). */
static size_t make_digest(const struct iset *s, const struct store_record *r, uint8_t *b)
{
	size_t at = 3;
	b[0] = DIGEST_V2;
	b[1] = (uint8_t)r->state;
	b[2] = (uint8_t)(r->deleted != 0);
	put_str_clip(b, &at, r->period, 15);
	put_str_clip(b, &at, r->unit, 15);
	for (size_t c = 0; c < s->ncols; c++) {
		const char *v = kv_get(&r->fields, form_field_id(s->col[c]));
		if (!v)
			v = "";
		if (form_field_type(s->col[c]) == FORM_CHOICE) {
			size_t k = 0, nk = form_field_choice_count(s->col[c]);
			while (k < nk && strcmp(form_field_choice_code(s->col[c], k), v) != 0)
				k++;
			char one[2] = {(char)(k < nk && k < 250 ? k + 1 : 0), 0};
			put_str_clip(b, &at, one, 1);
		} else {
			put_str_clip(b, &at, v, INDEX_CLIP);
		}
	}
	return at;
}

struct iset *index_set(struct index *ix, const char *form)
{
	for (size_t i = 0; i < ix->nsets; i++)
		if (strcmp(ix->sets[i].form, form) == 0)
			return &ix->sets[i];
	return NULL;
}

static const char *skip(const char *p)
{
	return p + strlen(p) + 1;
}

const char *index_dperiod(const uint8_t *d)
{
	return (const char *)d + 3;
}

const char *index_dunit(const uint8_t *d)
{
	return skip(index_dperiod(d));
}

const char *index_dcol(const uint8_t *d, size_t c)
{
	const char *p = skip(index_dunit(d));
	for (size_t i = 0; i < c; i++)
		p = skip(p);
	return p;
}

/* ------------------------------------------------------------ chunks */

static void slot_parse_count(struct ichunk *c)
{
	size_t at = 0;
	c->count = 0;
	while (at + ENT_FIXED <= c->len && c->count < CHUNK) {
		size_t len = (size_t)c->buf[at + 16] | (size_t)c->buf[at + 17] << 8;
		if (c->len - at - ENT_FIXED < len)
			break;
		c->off[c->count++] = (uint32_t)at;
		at += ENT_FIXED + len;
	}
	if (at != c->len)
		c->count = SIZE_MAX; /* damaged */
}

static int slot_reserve(struct ichunk *c, size_t need)
{
	if (need <= c->cap)
		return 0;
	size_t cap = c->cap ? c->cap : 8192;
	while (cap < need)
		cap *= 2;
	uint8_t *b = malloc(cap);
	if (!b)
		return STORE_ENOMEM;
	if (c->len)
		memcpy(b, c->buf, c->len);
	if (c->buf) {
		secret_wipe(c->buf, c->cap);
		free(c->buf);
	}
	c->buf = b;
	c->cap = cap;
	return 0;
}

/* Write every changed chunk, one transaction per set. */
static int flush(struct index *ix)
{
	for (size_t i = 0; i < ix->nsets; i++) {
		struct iset *s = &ix->sets[i];
		struct store_digest_chunk v[ICACHE];
		size_t nv = 0;
		for (size_t k = 0; k < ICACHE; k++) {
			struct ichunk *c = &ix->cache[k];
			if (c->set == s && c->dirty)
				v[nv++] = (struct store_digest_chunk){c->k, c->buf, c->len};
		}
		if (!nv && s->stored_n == s->n)
			continue;
		int rc = store_digest_put(ix->st, s->form, v, nv, s->n);
		if (rc)
			return rc;
		for (size_t k = 0; k < ICACHE; k++)
			if (ix->cache[k].set == s)
				ix->cache[k].dirty = 0;
		s->stored_n = s->n;
	}
	return 0;
}

/* Chunk k of s, decrypted (create: a new, empty last chunk).  NULL on
 * failure, with ix->err set. */
static struct ichunk *chunk_get(struct index *ix, struct iset *s, uint64_t k, int create)
{
	struct ichunk *c = NULL;
	ix->tick++;
	for (size_t i = 0; i < ICACHE; i++)
		if (ix->cache[i].set == s && ix->cache[i].k == k) {
			ix->cache[i].used = ix->tick;
			return &ix->cache[i];
		}
	for (size_t i = 0; i < ICACHE; i++) {
		if (ix->hold_dirty && ix->cache[i].dirty)
			continue;
		if (!c || !ix->cache[i].set || (c->set && ix->cache[i].used < c->used))
			c = &ix->cache[i];
	}
	if (!c) {
		ix->err = STORE_ENOMEM;
		return NULL;
	}
	if (c->dirty && (ix->err = flush(ix)))
		return NULL;
	c->set = NULL;
	c->len = 0;
	c->count = 0;
	if (k * CHUNK < s->stored_n) {
		uint8_t *p;
		size_t len;
		int rc = store_digest_get_chunk(ix->st, s->form, k, &p, &len);
		if (rc) {
			ix->err = rc == STORE_ENOTFOUND ? STORE_EDAMAGED : rc;
			return NULL;
		}
		rc = slot_reserve(c, len);
		if (rc == 0)
			memcpy(c->buf, p, len);
		store_digest_free(p, len);
		if (rc) {
			ix->err = rc;
			return NULL;
		}
		c->len = len;
		slot_parse_count(c);
		uint64_t want = s->stored_n - k * CHUNK < CHUNK ? s->stored_n - k * CHUNK : CHUNK;
		if (c->count != want) {
			ix->err = STORE_EDAMAGED;
			return NULL;
		}
	} else if (!create) {
		ix->err = STORE_EINVAL;
		return NULL;
	}
	c->set = s;
	c->k = k;
	c->dirty = 0;
	c->used = ix->tick;
	return c;
}

const uint8_t *index_digest(struct index *ix, struct iset *s, size_t row, size_t *len)
{
	if (row >= s->n)
		return NULL;
	struct ichunk *c = chunk_get(ix, s, row / CHUNK, 0);
	if (!c || row % CHUNK >= c->count)
		return NULL;
	const uint8_t *e = c->buf + c->off[row % CHUNK];
	if (len)
		*len = (size_t)e[16] | (size_t)e[17] << 8;
	return e + ENT_FIXED;
}

static void drop_cache(struct index *ix, struct iset *s)
{
	for (size_t i = 0; i < ICACHE; i++)
		if (!s || ix->cache[i].set == s) {
			ix->cache[i].set = NULL;
			ix->cache[i].dirty = 0;
		}
}

/* ------------------------------------------------------------- rows */

static int rows_reserve(struct iset *s, size_t need)
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

int index_row_id(struct index *ix, struct iset *s, size_t row, uint8_t id[16])
{
	if (row >= s->n)
		return STORE_EINVAL;
	struct ichunk *c = chunk_get(ix, s, row / CHUNK, 0);
	if (!c || row % CHUNK >= c->count)
		return ix->err ? ix->err : STORE_EDAMAGED;
	memcpy(id, c->buf + c->off[row % CHUNK], 16);
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
	if (s->ntouched == TOUCH_MAX) {
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
	if (!found && rows_reserve(s, s->n + 1))
		return STORE_ENOMEM;
	struct ichunk *c = chunk_get(ix, s, row / CHUNK, !found);
	if (!c)
		return ix->err;
	size_t j = row % CHUNK, at = found ? c->off[j] : c->len;
	size_t old = found ? ENT_FIXED + ((size_t)c->buf[at + 16] | (size_t)c->buf[at + 17] << 8)
			   : 0;
	size_t neu = ENT_FIXED + len;
	if (slot_reserve(c, c->len - old + neu))
		return STORE_ENOMEM;
	memmove(c->buf + at + neu, c->buf + at + old, c->len - at - old);
	memcpy(c->buf + at, id, 16);
	c->buf[at + 16] = (uint8_t)len;
	c->buf[at + 17] = (uint8_t)(len >> 8);
	memcpy(c->buf + at + ENT_FIXED, d, len);
	c->len = c->len - old + neu;
	if (found) {
		for (size_t k = j + 1; k < c->count; k++)
			c->off[k] = (uint32_t)(c->off[k] + neu - old);
	} else {
		if (c->count != j)
			return STORE_EDAMAGED;
		c->off[c->count++] = (uint32_t)at;
		memmove(s->byid + pos + 1, s->byid + pos, (s->n - pos) * sizeof *s->byid);
		s->byid[pos] = (uint32_t)row;
		s->n++;
	}
	c->dirty = 1;
	s->flag[row] = (uint8_t)((d[1] & IF_STATE) | (d[2] ? IF_DELETED : 0));
	touch(s, row);
	ix->gen++;
	return 0;
}

static int apply_record(struct index *ix, const struct store_record *r)
{
	struct iset *s = index_set(ix, r->form);
	uint8_t d[INDEX_DIGEST_BUF];
	if (!s)
		return 0; /* a form this build does not know: not listed */
	size_t len = make_digest(s, r, d);
	return upsert(ix, s, r->id, d, len);
}

static int rebuild_one(const struct store_record *r, void *arg)
{
	struct index *ix = arg;
	/* Records are read once here: give their map pages back as we go, or
	 * the whole database would count in the UI's memory. */
	if (++ix->walked % 1024 == 0)
		index_release(ix);
	return apply_record(ix, r);
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
	return apply_record(c->ix, r);
}

/* ------------------------------------------------------------ orders */

static void ord_name(size_t c, char name[8])
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

static int cmp_vals(const struct iset *s, size_t c, const char *a, const char *b)
{
	if (form_field_type(s->col[c]) == FORM_TEXT)
		return text_collate(a, b);
	return strcmp(a, b);
}

/* Move the rows that changed to their places in order ord (n rows, of
 * which the first `had` were in it before).  The rows not touched are in
 * order, so a binary search among them finds each place. */
static int order_update(struct index *ix, struct iset *s, size_t c, uint32_t *ord, size_t had)
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
			int k = cmp_vals(s, c, w, v);
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

static void put64(uint8_t *b, uint64_t v)
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
static int order_load(struct index *ix, struct iset *s, size_t c, uint64_t seq, size_t n,
		      uint8_t **buf, size_t *len)
{
	char name[8];
	ord_name(c, name);
	*buf = NULL;
	int rc = store_digest_get_blob(ix->st, s->form, name, buf, len);
	if (rc == STORE_ENOTFOUND || rc == STORE_EDAMAGED)
		return 0;
	if (rc)
		return rc;
	if (*len != ORD_HEAD + 4 * n || get64(*buf) != seq || get64(*buf + 8) != n) {
		store_digest_free(*buf, *len);
		*buf = NULL;
	}
	return 0;
}

/* Bring the stored orders of s up to date with the rows touched since the
 * digests reflected old_seq (old_n rows); they then reflect seq. */
static int orders_write_back(struct index *ix, struct iset *s, uint64_t old_seq, size_t old_n,
			     uint64_t seq)
{
	char name[8];
	for (size_t c = 0; c < s->ncols; c++) {
		uint8_t *old = NULL;
		size_t len = 0;
		int rc = s->orders_stale ? 0 : order_load(ix, s, c, old_seq, old_n, &old, &len);
		ord_name(c, name);
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
		size_t nlen = ORD_HEAD + 4 * s->n;
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
		put64(b, seq);
		put64(b + 8, s->n);
		uint32_t *ord = (uint32_t *)(void *)(b + ORD_HEAD);
		rc = order_update(ix, s, c, ord, old_n);
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
		r = cmp_vals(ctx->s, ctx->c, text_at(ctx->texts, a->text),
			     text_at(ctx->texts, b->text));
	return r ? r : (ra > rb) - (ra < rb);
}

static int order_compute(struct index *ix, struct iset *s, size_t c, uint32_t *out)
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

int index_order(struct index *ix, struct iset *s, size_t c, uint32_t *out)
{
	uint8_t *b;
	size_t len;
	char name[8];
	if (c >= s->ncols)
		return STORE_EINVAL;
	int rc = order_load(ix, s, c, ix->seq, s->n, &b, &len);
	if (rc)
		return rc;
	if (b) {
		memcpy(out, b + ORD_HEAD, 4 * s->n);
		store_digest_free(b, len);
		index_release(ix);
		for (size_t i = 0; i < s->n; i++)
			if (out[i] >= s->n)
				return STORE_EDAMAGED;
		return 0;
	}
	rc = order_compute(ix, s, c, out);
	index_release(ix);
	if (rc)
		return rc;
	ix->sorted_now = 1;
	len = ORD_HEAD + 4 * s->n;
	if (!(b = malloc(len)))
		return 0; /* sorted; only not kept */
	put64(b, ix->seq);
	put64(b + 8, s->n);
	memcpy(b + ORD_HEAD, out, 4 * s->n);
	ord_name(c, name);
	rc = store_digest_put_blob(ix->st, s->form, name, b, len);
	free(b);
	return rc;
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
			rc = orders_write_back(ix, s, old_seq, old_n, seq);
	}
	if (rc == 0)
		rc = flush(ix);
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
	drop_cache(ix, NULL);
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

/* ------------------------------------------------ a save elsewhere */

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
	for (size_t k = 0; k * CHUNK < s->n; k++) {
		struct ichunk *c = chunk_get(ix, s, k, 0);
		if (!c)
			return ix->err;
		for (size_t j = 0; j < c->count; j++)
			if (memcmp(c->buf + c->off[j], id, 16) == 0) {
				*row = k * CHUNK + j;
				return 0;
			}
	}
	return 0;
}

/* Row `row` of s (s->n: a new last row) becomes digest d, in the cache. */
static int note_put(struct index *ix, struct iset *s, size_t row, const uint8_t *id,
		    const uint8_t *d, size_t len)
{
	int found = row < s->n;
	struct ichunk *c = chunk_get(ix, s, row / CHUNK, !found);
	if (!c)
		return ix->err;
	size_t j = row % CHUNK, at = found ? c->off[j] : c->len;
	size_t old = found ? ENT_FIXED + ((size_t)c->buf[at + 16] | (size_t)c->buf[at + 17] << 8)
			   : 0;
	size_t neu = ENT_FIXED + len;
	if (!found && c->count != j)
		return STORE_EDAMAGED;
	if (slot_reserve(c, c->len - old + neu))
		return STORE_ENOMEM;
	memmove(c->buf + at + neu, c->buf + at + old, c->len - at - old);
	memcpy(c->buf + at, id, 16);
	c->buf[at + 16] = (uint8_t)len;
	c->buf[at + 17] = (uint8_t)(len >> 8);
	memcpy(c->buf + at + ENT_FIXED, d, len);
	c->len = c->len - old + neu;
	if (found) {
		for (size_t k = j + 1; k < c->count; k++)
			c->off[k] = (uint32_t)(c->off[k] + neu - old);
	} else {
		c->off[c->count++] = (uint32_t)at;
		s->n++;
	}
	c->dirty = 1;
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
		size_t len = 0, nlen = ORD_HEAD + 4 * s->n;
		ord_name(c, names[c]);
		b[c] = (struct store_digest_blob){names[c], NULL, 0};
		/* As orders_write_back: a set with no rows starts its orders. */
		if ((rc = order_load(ix, s, c, seq, old_n, &old, &len)) || (!old && old_n))
			continue;
		if ((nb = malloc(nlen))) {
			if (old)
				memcpy(nb, old, len);
			put64(nb, new_seq);
			put64(nb + 8, s->n);
		}
		if (old)
			store_digest_free(old, len);
		if (!nb) {
			rc = STORE_ENOMEM;
			continue;
		}
		rc = order_update(ix, s, c, (uint32_t *)(void *)(nb + ORD_HEAD), old_n);
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

int tui_index_note_save(struct store *st, const struct forms *fs, const struct store_record *r)
{
	uint64_t seq, last, n;
	struct store_stat stat;
	int rc;
	int have = (rc = store_digest_seq(st, &seq)) == 0;
	if ((rc && rc != STORE_ENOTFOUND) || (rc = store_outbox_last(st, &last)))
		return rc;
	/* Only when the digests reflect everything before this save: else the
	 * UI's login catches up from the outbox (or rebuilds) as before.  At
	 * seq 0 they must hold a row for every record but a new one; with
	 * none yet, the node's one record must be this one. */
	if (last != seq + 1)
		return 0;
	if (!have || seq == 0) {
		uint64_t total = 0, created = r->version == 1;
		for (size_t i = 0; have && rc == 0 && i < forms_count(fs); i++) {
			const char *id = form_id(forms_at(fs, i));
			if (i && strcmp(id, form_id(forms_at(fs, i - 1))) == 0)
				continue;
			rc = store_digest_count(st, id, &n);
			total += n;
		}
		if (rc || (rc = store_stat(st, &stat)))
			return rc;
		if (stat.records != total + created)
			return 0;
	}
	const struct form *f = forms_find(fs, r->form);
	if (!f)
		return store_digest_set_seq(st, last); /* a form not listed */
	struct index *ix = calloc(1, sizeof *ix);
	struct iset *s = calloc(1, sizeof *s);
	struct store_digest_blob b[INDEX_COLS];
	char names[INDEX_COLS][8];
	uint8_t d[INDEX_DIGEST_BUF];
	size_t row = 0;
	if (!ix || !s) {
		free(ix);
		free(s);
		return STORE_ENOMEM;
	}
	ix->st = st;
	ix->seq = seq;
	ix->hold_dirty = 1;
	ix->sets = s;
	ix->nsets = 1;
	snprintf(s->form, sizeof s->form, "%s", r->form);
	s->f = f;
	pick_columns(s);
	memset(b, 0, sizeof b);
	if ((rc = store_digest_count(st, s->form, &n)) == 0 && n > UINT32_MAX / 2)
		rc = STORE_EDAMAGED;
	if (rc == 0) {
		s->n = (size_t)n;
		s->stored_n = n;
		/* A new record's id is new: its row is a new last row. */
		if (r->version > 1)
			rc = note_find(ix, s, r->id, &row);
		else
			row = s->n;
	}
	if (rc == 0)
		rc = note_put(ix, s, row, r->id, d, make_digest(s, r, d));
	if (rc == 0)
		rc = note_orders(ix, s, row, seq, (size_t)n, last, b, names);
	if (rc == 0) {
		struct store_digest_chunk v[ICACHE];
		size_t nv = 0;
		for (size_t k = 0; k < ICACHE; k++)
			if (ix->cache[k].set == s && ix->cache[k].dirty)
				v[nv++] = (struct store_digest_chunk){ix->cache[k].k, ix->cache[k].buf,
								      ix->cache[k].len};
		rc = store_digest_commit(st, s->form, v, nv, s->n, b, s->ncols, last);
	}
	for (size_t c = 0; c < INDEX_COLS; c++)
		free((void *)b[c].buf);
	index_close(ix);
	free(ix);
	return rc;
}

/* ------------------------------------------------------------ search */

static void build_fold(struct index *ix)
{
	for (uint32_t cp = 0; cp < 0x2000; cp++) {
		char enc[5] = {0}, *f = NULL;
		ix->fold[cp] = 0;
		if (cp < 0x80) {
			ix->fold[cp] = (uint8_t)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
			if (cp < 0x20 && cp != '\t' && cp != '\n')
				ix->fold[cp] = 0;
			if (cp == '\t' || cp == '\n')
				ix->fold[cp] = ' ';
			continue;
		}
		if (cp < 0xA0 || utf8_encode(cp, enc) == 0 || text_fold(enc, &f) != 0)
			continue;
		if (f[0] == '\0')
			ix->fold[cp] = 0xFF;
		else if (f[1] == '\0' && (unsigned char)f[0] < 0x80)
			ix->fold[cp] = (uint8_t)f[0];
		free(f);
	}
}

size_t index_fold(const struct index *ix, const char *s, char *out, size_t cap)
{
	size_t n = 0, at = 0, len = strlen(s);
	int space = 1; /* drop leading space, collapse runs */
	while (at < len && n + 5 < cap) {
		uint32_t cp;
		size_t used;
		if (utf8_decode(s + at, len - at, &cp, &used) != 0) {
			at++;
			continue;
		}
		at += used;
		uint8_t f = cp < 0x2000 ? ix->fold[cp] : 0;
		if (f == 0xFF)
			continue;
		if (f == ' ' || cp == 0xA0) {
			if (!space)
				out[n++] = ' ';
			space = 1;
			continue;
		}
		space = 0;
		if (f)
			out[n++] = (char)f;
		else
			n += utf8_encode(cp, out + n);
	}
	if (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return n;
}

int index_search(struct index *ix, struct iset *s, const char *needle, uint8_t *hits)
{
	char buf[1024];
	memset(hits, 0, (s->n + 7) / 8);
	for (size_t row = 0; row < s->n; row++) {
		if (s->flag[row] & IF_DELETED)
			continue;
		const uint8_t *d = index_digest(ix, s, row, NULL);
		if (!d)
			return ix->err ? ix->err : STORE_EDAMAGED;
		size_t n = 0;
		for (size_t c = 0; c < s->ncols; c++) {
			if (form_field_type(s->col[c]) != FORM_TEXT)
				continue;
			n += index_fold(ix, index_dcol(d, c), buf + n, sizeof buf - n - 1);
			buf[n++] = '\n';
			buf[n] = '\0';
		}
		if (strstr(buf, needle))
			hits[row / 8] |= (uint8_t)(1u << (row % 8));
	}
	index_release(ix);
	return 0;
}

int index_unit_hits(struct index *ix, struct iset *s, const char *unit, uint8_t *hits)
{
	memset(hits, 0, (s->n + 7) / 8);
	for (size_t row = 0; row < s->n; row++) {
		if (s->flag[row] & IF_DELETED)
			continue;
		const uint8_t *d = index_digest(ix, s, row, NULL);
		if (!d)
			return ix->err ? ix->err : STORE_EDAMAGED;
		if (strcmp(index_dunit(d), unit) == 0)
			hits[row / 8] |= (uint8_t)(1u << (row % 8));
	}
	index_release(ix);
	return 0;
}

/* -------------------------------------------------------- open/close */

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
	if ((rc = rows_reserve(s, (size_t)n)))
		return rc;
	int sorted = 1;
	for (uint64_t k = 0; k * CHUNK < n; k++) {
		struct ichunk *c = chunk_get(ix, s, k, 0);
		if (!c)
			return ix->err;
		for (size_t j = 0; j < c->count; j++) {
			const uint8_t *e = c->buf + c->off[j];
			size_t len = (size_t)e[16] | (size_t)e[17] << 8;
			if (len < 5 || e[ENT_FIXED] != DIGEST_V2)
				return STORE_EDAMAGED;
			s->flag[s->n] = (uint8_t)((e[ENT_FIXED + 1] & IF_STATE) |
						  (e[ENT_FIXED + 2] ? IF_DELETED : 0));
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
	build_fold(ix);
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
		pick_columns(&ix->sets[i]);
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
	for (size_t i = 0; i < ICACHE; i++) {
		struct ichunk *c = &ix->cache[i];
		if (c->buf)
			secret_wipe(c->buf, c->cap);
		free(c->buf);
	}
	for (size_t i = 0; i < ix->nsets; i++) {
		free(ix->sets[i].flag);
		free(ix->sets[i].byid);
		free(ix->sets[i].touched);
	}
	free(ix->sets);
	memset(ix, 0, sizeof *ix);
}
