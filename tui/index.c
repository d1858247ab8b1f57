/*
 * tui/index.c: the lists' data, from record digests (store.h, "UI
 * support").
 *
 * A digest is what a list needs of a record, and nothing more:
 *   byte 0 format (1), byte 1 workflow state, byte 2 deleted,
 *   the period, NUL, then one value per list column, each NUL-terminated:
 *   text clipped to CLIP bytes at a letter boundary, dates as yyyy-mm-dd,
 *   a choice as its option number (1-based, one byte).
 * A list's columns are the form's `summary` fields, then its first
 * required date and its last required choice (so the register shows
 * applicant, code, procedure, received date, state).  The digests are
 * a cache: after login they are brought up to date from the outbox, or
 * rebuilt from the records when the outbox no longer has what they miss.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "forms/forms.h"
#include "store/store.h"
#include "tui/tui_int.h"

#define CLIP 64
#define DIGEST_V1 1

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

static size_t put_str(uint8_t *b, size_t at, const char *v, size_t clip)
{
	size_t len = strlen(v), n = 0;
	/* Clip at a letter boundary: never half a letter in a digest. */
	while (n < len) {
		size_t next = text_next_letter(v, len, n);
		if (next > clip)
			break;
		n = next;
	}
	memcpy(b + at, v, n);
	b[at + n] = 0;
	return at + n + 1;
}

/* The digest of r for set s into b (at least 3 + 16 + INDEX_COLS * (CLIP + 1)). */
static size_t make_digest(const struct iset *s, const struct store_record *r, uint8_t *b)
{
	size_t at = 3;
	b[0] = DIGEST_V1;
	b[1] = (uint8_t)r->state;
	b[2] = (uint8_t)(r->deleted != 0);
	at = put_str(b, at, r->period, 15);
	for (size_t c = 0; c < s->ncols; c++) {
		const char *v = kv_get(&r->fields, form_field_id(s->col[c]));
		if (!v)
			v = "";
		if (form_field_type(s->col[c]) == FORM_CHOICE) {
			size_t k = 0, nk = form_field_choice_count(s->col[c]);
			while (k < nk && strcmp(form_field_choice_code(s->col[c], k), v) != 0)
				k++;
			char one[2] = {(char)(k < nk && k < 250 ? k + 1 : 0), 0};
			at = put_str(b, at, one, 1);
		} else {
			at = put_str(b, at, v, CLIP);
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

const char *index_period(const struct iset *s, const struct irow *r)
{
	return (const char *)s->arena + r->off + 3;
}

const char *index_col(const struct iset *s, const struct irow *r, size_t c)
{
	const char *p = skip(index_period(s, r));
	for (size_t i = 0; i < c; i++)
		p = skip(p);
	return p;
}

static int arena_add(struct iset *s, const uint8_t *d, size_t len, uint32_t *off)
{
	if (s->alen + len > s->acap) {
		size_t cap = s->acap ? s->acap : 4096;
		while (cap < s->alen + len)
			cap = cap * 3 / 2;
		uint8_t *a = realloc(s->arena, cap);
		if (!a)
			return STORE_ENOMEM;
		s->arena = a;
		s->acap = cap;
	}
	memcpy(s->arena + s->alen, d, len);
	*off = (uint32_t)s->alen;
	s->alen += len;
	return 0;
}

/* Binary search: the row index of id, or where it would go (*found 0). */
static size_t find_row(const struct iset *s, const uint8_t *id, int *found)
{
	size_t lo = 0, hi = s->n;
	if (s->n && memcmp(s->rows[s->n - 1].id, id, 16) < 0) {
		*found = 0;
		return s->n;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(s->rows[mid].id, id, 16);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static void mark(struct iset *s, size_t i)
{
	if (s->dirty_from >= s->dirty_to) {
		s->dirty_from = i;
		s->dirty_to = i + 1;
		return;
	}
	if (i < s->dirty_from)
		s->dirty_from = i;
	if (i + 1 > s->dirty_to)
		s->dirty_to = i + 1;
}

static int upsert(struct iset *s, const uint8_t *id, const uint8_t *d, size_t len)
{
	int found;
	size_t i = find_row(s, id, &found);
	uint32_t off;
	if (len > STORE_DIGEST_MAX || len < 4)
		return STORE_EDAMAGED;
	if (arena_add(s, d, len, &off))
		return STORE_ENOMEM;
	if (!found) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 256;
			struct irow *v = realloc(s->rows, cap * sizeof *v);
			if (!v)
				return STORE_ENOMEM;
			s->rows = v;
			s->cap = cap;
		}
		memmove(s->rows + i + 1, s->rows + i, (s->n - i) * sizeof *s->rows);
		s->n++;
		memcpy(s->rows[i].id, id, 16);
		/* Rows after an insert shift: they all go back to the store. */
		mark(s, s->n - 1);
	} else {
		s->garbage += s->rows[i].len;
	}
	s->rows[i].off = off;
	s->rows[i].len = (uint16_t)len;
	s->rows[i].state = d[1];
	s->rows[i].deleted = d[2];
	mark(s, i);
	return 0;
}

static int load_one(void *arg, const uint8_t *id, const uint8_t *data, size_t len)
{
	struct iset *s = arg;
	uint32_t off;
	if (!s->cap && s->want) {
		/* The count is known: one allocation, no doubling peak. */
		s->rows = malloc(s->want * sizeof *s->rows);
		s->cap = s->rows ? s->want : 0;
		s->arena = malloc(s->want * 64);
		s->acap = s->arena ? s->want * 64 : 0;
	}
	if (len < 4 || data[0] != DIGEST_V1)
		return STORE_EDAMAGED;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct irow *v = realloc(s->rows, cap * sizeof *v);
		if (!v)
			return STORE_ENOMEM;
		s->rows = v;
		s->cap = cap;
	}
	if (arena_add(s, data, len, &off))
		return STORE_ENOMEM;
	struct irow *r = &s->rows[s->n++];
	memcpy(r->id, id, 16);
	r->off = off;
	r->len = (uint16_t)len;
	r->state = data[1];
	r->deleted = data[2];
	return 0;
}

static int apply_record(struct index *ix, const struct store_record *r)
{
	struct iset *s = index_set(ix, r->form);
	uint8_t d[3 + 16 + INDEX_COLS * (CLIP + 1)];
	if (!s)
		return 0; /* a form this build does not know: not listed */
	size_t len = make_digest(s, r, d);
	return upsert(s, r->id, d, len);
}

static int rebuild_one(const struct store_record *r, void *arg)
{
	return apply_record(arg, r);
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

static void reset_sets(struct index *ix)
{
	for (size_t i = 0; i < ix->nsets; i++) {
		struct iset *s = &ix->sets[i];
		s->n = s->alen = s->garbage = 0;
		s->dirty_from = s->dirty_to = 0;
	}
}

/* Compact an arena that is mostly garbage (old digests of changed rows). */
static void compact(struct iset *s)
{
	if (s->garbage < 65536 || s->garbage < s->alen / 2)
		return;
	uint8_t *a = malloc(s->alen - s->garbage + 1);
	if (!a)
		return;
	size_t at = 0;
	for (size_t i = 0; i < s->n; i++) {
		memcpy(a + at, s->arena + s->rows[i].off, s->rows[i].len);
		s->rows[i].off = (uint32_t)at;
		at += s->rows[i].len;
	}
	free(s->arena);
	s->arena = a;
	s->alen = s->acap = at;
	s->garbage = 0;
}

static int write_back(struct index *ix, struct store *st, uint64_t seq)
{
	int rc = 0;
	for (size_t i = 0; i < ix->nsets && rc == 0; i++) {
		struct iset *s = &ix->sets[i];
		if (s->dirty_from >= s->dirty_to)
			continue;
		struct store_digest *v = malloc((s->n ? s->n : 1) * sizeof *v);
		if (!v)
			return STORE_ENOMEM;
		size_t from = s->dirty_from / STORE_DIGEST_CHUNK * STORE_DIGEST_CHUNK;
		for (size_t k = from; k < s->n; k++) {
			memcpy(v[k].id, s->rows[k].id, 16);
			v[k].len = s->rows[k].len;
			v[k].data = s->arena + s->rows[k].off;
		}
		rc = store_digest_write(st, s->form, v, s->n, s->dirty_from, s->dirty_to);
		free(v);
		s->dirty_from = s->dirty_to = 0;
		compact(s);
	}
	if (rc == 0)
		rc = store_digest_set_seq(st, seq);
	if (rc == 0)
		ix->seq = seq;
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

int index_sync(struct index *ix, struct store *st)
{
	uint64_t last;
	int rc = store_outbox_last(st, &last);
	if (rc)
		return rc;
	if (last == ix->seq && (ix->seq || !records_without_digests(ix, st)))
		return 0;
	struct catchup c = {ix, ix->seq + 1, 0};
	if (ix->seq && last > ix->seq)
		rc = store_outbox_each(st, ix->seq + 1, catch_one, &c);
	if (rc < 0)
		return rc;
	if (!ix->seq || c.gap || last < ix->seq) {
		reset_sets(ix);
		ix->rebuilt = 1;
		if ((rc = store_record_each(st, rebuild_one, ix)) < 0)
			return rc;
		for (size_t i = 0; i < ix->nsets; i++)
			if (ix->sets[i].n) {
				ix->sets[i].dirty_from = 0;
				ix->sets[i].dirty_to = ix->sets[i].n;
			}
	}
	return write_back(ix, st, last);
}

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

int index_open(struct index *ix, struct store *st, const struct forms *fs)
{
	memset(ix, 0, sizeof *ix);
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
	for (size_t i = 0; rc == 0 && i < ix->nsets; i++) {
		pick_columns(&ix->sets[i]);
		rc = store_digest_load(st, ix->sets[i].form, &ix->sets[i].want, load_one, &ix->sets[i]);
	}
	if (rc == STORE_EDAMAGED) {
		/* A damaged cache is rebuilt from the records, which are checked. */
		ix->seq = 0;
		rc = 0;
	}
	if (rc)
		return rc;
	return index_sync(ix, st);
}

void index_close(struct index *ix)
{
	for (size_t i = 0; i < ix->nsets; i++) {
		free(ix->sets[i].rows);
		free(ix->sets[i].arena);
	}
	free(ix->sets);
	ix->sets = NULL;
	ix->nsets = 0;
}
