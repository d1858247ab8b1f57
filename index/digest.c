/*
 * index/digest.c: what a list needs of a record (index/index.h has the
 * digest's layout) and which fields of a form are a list's columns.
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "forms/forms.h"
#include "index/index_int.h"

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

void index_pick_columns(struct iset *s)
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

size_t index_make_digest(const struct iset *s, const struct store_record *r, uint8_t *b)
{
	size_t at = 3;
	b[0] = INDEX_DIGEST_V2;
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
