/*
 * index/search.c: a list's search over every live row, on the folded text
 * of its text columns (core/text.h text_fold_buf: the program's one
 * search key), and a district's rows of one commune.
 */
#include <string.h>

#include "core/text.h"
#include "forms/forms.h"
#include "index/index_int.h"

/* The folded text columns of digest d, each followed by '\n', into buf. */
static void fold_row(const struct text_fold_map *m, const struct iset *s, const uint8_t *d,
                     char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t c = 0; c < s->ncols && n + 2 < cap; c++) {
		size_t len = 0;
		if (form_field_type(s->col[c]) != FORM_TEXT)
			continue;
		/* Invalid or too long: the key of what came before counts. */
		(void)text_fold_buf(m, index_dcol(d, c), buf + n, cap - n - 1, &len);
		n += len;
		buf[n++] = '\n';
		buf[n] = '\0';
	}
}

int index_search(struct index *ix, struct iset *s, const char *needle, uint8_t *hits)
{
	char buf[1024];
	memset(hits, 0, (s->n + 7) / 8);
	for (size_t row = 0; row < s->n; row++) {
		if (s->flag[row] & INDEX_DELETED)
			continue;
		const uint8_t *d = index_digest(ix, s, row, NULL);
		if (!d)
			return ix->err ? ix->err : STORE_EDAMAGED;
		fold_row(ix->fold, s, d, buf, sizeof buf);
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
		if (s->flag[row] & INDEX_DELETED)
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
