/*
 * tests/index/test_index.c: the record lists (index/index.h) on a real
 * store with the shipped register form: the sort order of the name column
 * in Vietnamese collation (kept, then updated by a save), the fold search
 * (case and diacritics optional, precomposed and decomposed text alike,
 * deleted rows never hit), a save from the command line (index_note_save)
 * that the next open finds current, and a list of 100,000 entries: its
 * order, a page in the middle and a search, each checked value by value
 * against what the entries were made from (index_list, as the UI's list
 * and a district's list of one commune use it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/secret.h"
#include "core/text.h"
#include "forms/forms.h"
#include "index/index.h"
#include "store/store.h"

#define FORM "so-theo-doi-ho-so"
#define COL_NAME 0 /* the form's summary: chu_ho_so ma_ho_so thu_tuc ... */
#define COL_CODE 1

struct fx {
	char dir[256];
	struct store *s;
	struct forms *fs;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	char rec[STORE_RECOVERY_BUF];
	const char *tmp = getenv("TMPDIR"), *dd = getenv("CCHC_DATADIR");
	setenv("CCHC_PWCOST", "min", 1);
	snprintf(x->dir, sizeof x->dir, "%s/cchc-index-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(x->dir));
	assert_int_equal(forms_load(dd && *dd ? dd : ".", NULL, &x->fs), 0);
	strcat(x->dir, "/node");
	assert_int_equal(store_create(x->dir, "qt", "pw", NULL, rec, &x->s), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	char cmd[600];
	store_close(x->s);
	forms_free(x->fs);
	x->dir[strlen(x->dir) - strlen("/node")] = '\0';
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
	assert_int_equal(system(cmd), 0);
	free(x);
	return 0;
}

static void entry(struct store_record *r, const char *name, unsigned i)
{
	char v[64];
	store_record_init(r);
	store_new_id(r->id);
	snprintf(r->form, sizeof r->form, FORM);
	r->form_version = 1;
	r->version = 1;
	snprintf(r->period, sizeof r->period, "2021-Q1");
	snprintf(r->unit, sizeof r->unit, "02545");
	snprintf(r->unit_list, sizeof r->unit_list, "GSO-2021");
	snprintf(v, sizeof v, "HS-%06u", i);
	kv_set(&r->fields, "ma_ho_so", v);
	kv_set(&r->fields, "chu_ho_so", name);
	kv_set(&r->fields, "thu_tuc", "Đăng ký khai sinh");
	kv_set(&r->fields, "ngay_tiep_nhan", "2021-03-01");
	kv_set(&r->fields, "trang_thai", "da_tra");
}

/* Entries that arrive as an import writes them (no outbox entries). */
static void import(struct fx *x, struct store_record *recs, size_t n, uint64_t batch_no)
{
	uint8_t id[32];
	secret_random(id, sizeof id);
	struct store_sync_batch b = {id, "02545", 1, batch_no, 0, recs, n};
	assert_int_equal(store_sync_apply(x->s, &b, NULL), 0);
}

/* The name column of the rows in order ord, joined by '|'. */
static void names_in(struct index *ix, struct iset *s, const uint32_t *ord, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		const uint8_t *d = index_digest(ix, s, ord[i], NULL);
		assert_non_null(d);
		n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "|" : "",
		                      index_dcol(d, COL_NAME));
	}
}

static const char *const scrambled[] = {"Đỗ Hà",  "Ân Lê",  "Bình An", "Ánh Mai",  "Dương Tú",
                                        "Anh Tú", "Ăn Tết", "anh Tú",  "Đinh Lan", "Ba Vì"};
static const char sorted_names[] = "anh Tú|Anh Tú|Ánh Mai|Ăn Tết|Ân Lê|Ba Vì|Bình An|Dương Tú|"
                                   "Đinh Lan|Đỗ Hà";

static void test_sort_vietnamese(void **state)
{
	struct fx *x = *state;
	struct store_record recs[10];
	struct index ix;
	uint32_t ord[16];
	char got[512];
	for (unsigned i = 0; i < 10; i++)
		entry(&recs[i], scrambled[i], i);
	import(x, recs, 10, 1);
	assert_int_equal(index_open(&ix, x->s, x->fs), 0);
	struct iset *s = index_set(&ix, FORM);
	assert_non_null(s);
	assert_int_equal(s->n, 10);
	assert_int_equal(ix.rebuilt, 1);
	assert_int_equal(index_order(&ix, s, COL_NAME, ord), 0);
	assert_int_equal(ix.sorted_now, 1);
	names_in(&ix, s, ord, got, sizeof got);
	assert_string_equal(got, sorted_names);
	index_close(&ix);

	/* Kept: the next open reads the order, sorts nothing. */
	assert_int_equal(index_open(&ix, x->s, x->fs), 0);
	s = index_set(&ix, FORM);
	assert_int_equal(ix.rebuilt, 0);
	assert_int_equal(index_order(&ix, s, COL_NAME, ord), 0);
	assert_int_equal(ix.sorted_now, 0);
	names_in(&ix, s, ord, got, sizeof got);
	assert_string_equal(got, sorted_names);

	/* A save moves its row: "Ba Vì" becomes "Yến Nhi", last. */
	struct store_record r;
	store_record_init(&r);
	assert_int_equal(store_record_get(x->s, recs[9].id, &r), 0);
	kv_set(&r.fields, "chu_ho_so", "Yến Nhi");
	assert_int_equal(store_record_put(x->s, &r, "set"), 0);
	assert_int_equal(index_sync(&ix, x->s), 0);
	assert_int_equal(index_order(&ix, s, COL_NAME, ord), 0);
	assert_int_equal(ix.sorted_now, 0);
	names_in(&ix, s, ord, got, sizeof got);
	assert_string_equal(got, "anh Tú|Anh Tú|Ánh Mai|Ăn Tết|Ân Lê|Bình An|Dương Tú|Đinh Lan|"
	                         "Đỗ Hà|Yến Nhi");
	index_close(&ix);
	store_record_clear(&r);
	for (unsigned i = 0; i < 10; i++)
		store_record_clear(&recs[i]);
}

/* The rows hit by needle (folded as the UI folds what is typed), as a
 * '|'-joined list of their names in row order. */
static void hits_for(struct index *ix, struct iset *s, const char *typed, char *out, size_t cap)
{
	uint8_t hits[8];
	char *needle;
	size_t n = 0;
	assert_int_equal(text_fold(typed, &needle), 0);
	assert_int_equal(index_search(ix, s, needle, hits), 0);
	free(needle);
	out[0] = '\0';
	for (size_t row = 0; row < s->n; row++) {
		if (!(hits[row / 8] >> (row % 8) & 1))
			continue;
		const uint8_t *d = index_digest(ix, s, row, NULL);
		assert_non_null(d);
		n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "|" : "",
		                      index_dcol(d, COL_NAME));
	}
}

static void test_fold_search(void **state)
{
	struct fx *x = *state;
	/* Row 1 is typed decomposed (NFD): a + combining circumflex + grave. */
	static const char *const names[] = {"Nguyễn Văn Tân", "Tra\xcc\x82\xcc\x80n Thị Tấn",
	                                    "Lê Văn Đức", "Phạm  Thị   Tần", "Hoàng Văn Tuấn"};
	struct store_record recs[5];
	struct index ix;
	char got[256];
	for (unsigned i = 0; i < 5; i++)
		entry(&recs[i], names[i], i);
	import(x, recs, 5, 1);
	assert_int_equal(index_open(&ix, x->s, x->fs), 0);
	struct iset *s = index_set(&ix, FORM);
	assert_int_equal(s->n, 5);
	/* Rows are in the order the rebuild walked the records: find each. */
	hits_for(&ix, s, "tan", got, sizeof got);
	assert_int_equal(strlen(got), strlen(names[0]) + strlen(names[1]) + strlen(names[3]) + 2);
	hits_for(&ix, s, "TẦN", got, sizeof got); /* diacritics typed: still folded away */
	assert_int_equal(strlen(got), strlen(names[0]) + strlen(names[1]) + strlen(names[3]) + 2);
	hits_for(&ix, s, "tra\xcc\x82\xcc\x80n", got, sizeof got); /* needle in NFD */
	assert_string_equal(got, names[1]);
	hits_for(&ix, s, "Trần", got, sizeof got); /* NFC needle, NFD entry */
	assert_string_equal(got, names[1]);
	hits_for(&ix, s, "duc", got, sizeof got); /* đ folds to d */
	assert_string_equal(got, names[2]);
	hits_for(&ix, s, "  phạm   thị tần ", got, sizeof got); /* white space runs are one */
	assert_string_equal(got, names[3]);
	hits_for(&ix, s, "tuan", got, sizeof got);
	assert_string_equal(got, names[4]);
	hits_for(&ix, s, "hs-000", got, sizeof got); /* the code column is text too */
	assert_int_equal(strlen(got) > 0, 1);
	hits_for(&ix, s, "xyz", got, sizeof got);
	assert_string_equal(got, "");

	/* A deleted row is never a hit. */
	struct store_record r;
	store_record_init(&r);
	assert_int_equal(store_record_get(x->s, recs[2].id, &r), 0);
	r.deleted = 1;
	assert_int_equal(store_record_put(x->s, &r, "delete"), 0);
	assert_int_equal(index_sync(&ix, x->s), 0);
	hits_for(&ix, s, "duc", got, sizeof got);
	assert_string_equal(got, "");
	index_close(&ix);
	store_record_clear(&r);
	for (unsigned i = 0; i < 5; i++)
		store_record_clear(&recs[i]);
}

/* The fold the index searches is core's: text_fold_buf == text_fold,
 * with and without the map, for sample texts and every code point the
 * map covers. */
static void check_fold(const struct text_fold_map *m, const char *in)
{
	char *want, buf[128];
	size_t len;
	assert_int_equal(text_fold(in, &want), 0);
	assert_int_equal(text_fold_buf(m, in, buf, sizeof buf, &len), 0);
	assert_string_equal(buf, want);
	assert_int_equal(len, strlen(want));
	free(want);
}

static void test_fold_buf_is_text_fold(void **state)
{
	(void)state;
	static const char *const in[] = {"  Tân  TRÀO ",
	                                 "Tra\xcc\x82\xcc\x80n",
	                                 "ĐẶNG\tThị\n",
	                                 "Ωmega Σ",
	                                 "",
	                                 "ab\xcc\x81"
	                                 "c",
	                                 "Nguyễn Văn Cường"};
	struct text_fold_map *m = malloc(sizeof *m);
	assert_non_null(m);
	text_fold_map_init(m);
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		check_fold(NULL, in[i]);
		check_fold(m, in[i]);
	}
	for (uint32_t cp = 1; cp < TEXT_FOLD_MAP_CPS; cp++) {
		char one[16] = "x", *p = one + 1;
		size_t n = utf8_encode(cp, p);
		if (n == 0)
			continue;
		memcpy(p + n, " y", 3); /* with a letter either side: spaces show */
		check_fold(m, one);
		check_fold(NULL, one);
	}
	char small[4];
	assert_int_equal(text_fold_buf(m, "Nguyễn", small, sizeof small, NULL), TEXT_ESPACE);
	assert_string_equal(small, "ngu");
	free(m);
}

/* cchc record's path: a save noted with index_note_save is found current
 * by the next open (no rebuild), its row and the kept order with it. */
static void test_note_save(void **state)
{
	struct fx *x = *state;
	struct store_record r;
	struct index ix;
	uint32_t ord[8];
	char got[256];
	entry(&r, "Vũ Minh", 1);
	r.version = 0;
	assert_int_equal(store_record_put(x->s, &r, "create"), 0);
	assert_int_equal(index_note_save(x->s, x->fs, &r), 0);
	store_record_clear(&r);
	entry(&r, "Bùi Lan", 2);
	r.version = 0;
	assert_int_equal(store_record_put(x->s, &r, "create"), 0);
	assert_int_equal(index_note_save(x->s, x->fs, &r), 0);
	kv_set(&r.fields, "chu_ho_so", "Ánh Dương");
	assert_int_equal(store_record_put(x->s, &r, "set"), 0);
	assert_int_equal(index_note_save(x->s, x->fs, &r), 0);
	store_record_clear(&r);
	assert_int_equal(index_open(&ix, x->s, x->fs), 0);
	struct iset *s = index_set(&ix, FORM);
	assert_int_equal(ix.rebuilt, 0);
	assert_int_equal(s->n, 2);
	assert_int_equal(index_order(&ix, s, COL_NAME, ord), 0);
	assert_int_equal(ix.sorted_now, 0);
	names_in(&ix, s, ord, got, sizeof got);
	assert_string_equal(got, "Ánh Dương|Vũ Minh");
	index_close(&ix);
}

/* ------------------------------------------------ 100,000 entries */

#define BIG 100000
#define PER_BATCH 2000
static const char *const ho[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ",   "Đặng",
                                 "Bùi",    "Đỗ",   "Hồ", "Ngô",  "Dương", "Lý",   "Đinh", "Ma"};
static const char *const dem[] = {"Văn", "Thị", "Đức", "Ngọc", "Minh", "Thu", "Quang", "Hữu"};
static const char *const ten[] = {"An",   "Bình", "Cường", "Dũng",  "Giang",  "Hà",
                                  "Hải",  "Hạnh", "Hoa",   "Hùng",  "Lan",    "Linh",
                                  "Long", "Mai",  "Nam",   "Nga",   "Phương", "Quân",
                                  "Sơn",  "Tâm",  "Thảo",  "Trang", "Tuấn",   "Yến"};
#define N(a) (sizeof a / sizeof a[0])
#define NAMES (N(ho) * N(dem) * N(ten))

static unsigned big_combo(unsigned i)
{
	unsigned h = (i * 2654435761u) >> 7;
	return (h % N(ho)) * N(dem) * N(ten) + ((h / 16) % N(dem)) * N(ten) + (h / 128) % N(ten);
}

static void combo_name(unsigned k, char *v, size_t cap)
{
	snprintf(v, cap, "%s %s %s", ho[k / (N(dem) * N(ten))], dem[(k / N(ten)) % N(dem)],
	         ten[k % N(ten)]);
}

static void big_name(unsigned i, char *v, size_t cap)
{
	combo_name(big_combo(i), v, cap);
}

struct name_count {
	char name[64];
	unsigned combo;
	size_t n;
};

static int cmp_name(const void *a, const void *b)
{
	return text_collate(((const struct name_count *)a)->name,
	                    ((const struct name_count *)b)->name);
}

/* The name at each place of the sorted list, from the generator alone:
 * each distinct name (NAMES of them) sorted by text_collate, with how
 * many entries carry it. */
static struct name_count *expected_names(size_t *nd)
{
	struct name_count *v = calloc(NAMES, sizeof *v);
	size_t *place = calloc(NAMES, sizeof *place);
	assert_non_null(v);
	assert_non_null(place);
	for (unsigned k = 0; k < NAMES; k++) {
		combo_name(k, v[k].name, sizeof v[k].name);
		v[k].combo = k;
	}
	qsort(v, NAMES, sizeof *v, cmp_name);
	for (size_t i = 0; i < NAMES; i++)
		place[v[i].combo] = i;
	for (unsigned i = 0; i < BIG; i++)
		v[place[big_combo(i)]].n++;
	free(place);
	*nd = NAMES;
	return v;
}

static const char *name_at(const struct name_count *v, size_t nd, size_t place)
{
	for (size_t i = 0; i < nd; i++) {
		if (place < v[i].n)
			return v[i].name;
		place -= v[i].n;
	}
	return NULL;
}

static void fill_big(struct fx *x)
{
	struct store_record *recs = calloc(PER_BATCH, sizeof *recs);
	char name[64];
	assert_non_null(recs);
	for (unsigned b = 0; b * PER_BATCH < BIG; b++) {
		for (unsigned k = 0; k < PER_BATCH; k++) {
			big_name(b * PER_BATCH + k, name, sizeof name);
			entry(&recs[k], name, b * PER_BATCH + k);
		}
		import(x, recs, PER_BATCH, b + 1);
		for (unsigned k = 0; k < PER_BATCH; k++)
			store_record_clear(&recs[k]);
	}
	free(recs);
}

static void test_paging_100k(void **state)
{
	struct fx *x = *state;
	struct index ix;
	size_t nd;
	fill_big(x);
	struct name_count *want = expected_names(&nd);
	assert_int_equal(index_open(&ix, x->s, x->fs), 0);
	struct iset *s = index_set(&ix, FORM);
	assert_int_equal(s->n, BIG);
	uint32_t *ord = malloc(BIG * sizeof *ord);
	uint8_t *seen = calloc(BIG, 1);
	assert_non_null(ord);
	assert_non_null(seen);
	assert_int_equal(index_order(&ix, s, COL_NAME, ord), 0);
	for (size_t i = 0; i < BIG; i++) { /* a permutation of the rows */
		assert_true(ord[i] < BIG);
		assert_int_equal(seen[ord[i]]++, 0);
	}
	/* The list by name: pages at the top, in the middle and at the end;
	 * each row's name is the one the sorted generator puts there, and the
	 * name its code (HS-i) was made with. */
	struct index_list l = {0};
	struct index_row page[20];
	size_t got;
	l.set = s;
	l.sort = COL_NAME + 1;
	assert_int_equal(index_list_refresh(&ix, &l), 0);
	assert_int_equal(l.norder, BIG);
	assert_int_equal(l.live, BIG);
	const size_t tops[] = {0, 50000, BIG - 20};
	for (size_t t = 0; t < 3; t++) {
		assert_int_equal(index_list_page(&ix, &l, tops[t], 20, page, &got), 0);
		assert_int_equal(got, 20);
		for (size_t i = 0; i < 20; i++) {
			char made[64];
			unsigned code;
			assert_string_equal(page[i].col[COL_NAME], name_at(want, nd, tops[t] + i));
			assert_int_equal(sscanf(page[i].col[COL_CODE], "HS-%u", &code), 1);
			big_name(code, made, sizeof made);
			assert_string_equal(page[i].col[COL_NAME], made);
			assert_string_equal(page[i].unit, "02545");
		}
	}
	assert_int_equal(index_list_page(&ix, &l, BIG - 5, 20, page, &got), 0);
	assert_int_equal(got, 5); /* the last page is short */
	/* A search over all of them: as many hits as names with "Đức". */
	uint8_t *hits = calloc(BIG / 8 + 1, 1);
	size_t n = 0, expect = 0;
	for (unsigned i = 0; i < BIG; i++) {
		char name[64];
		big_name(i, name, sizeof name);
		expect += strstr(name, "Đức") != NULL;
	}
	assert_int_equal(index_search(&ix, s, "duc", hits), 0);
	for (size_t r = 0; r < BIG; r++)
		n += hits[r / 8] >> (r % 8) & 1;
	assert_int_equal(n, expect);
	assert_true(expect > BIG / 10);
	/* ... and as a list, sorted: its pages hold only "Đức" names, in order. */
	snprintf(l.needle, sizeof l.needle, "duc");
	assert_int_equal(index_list_refresh(&ix, &l), 0);
	assert_int_equal(l.norder, expect);
	assert_int_equal(index_list_page(&ix, &l, expect / 2, 20, page, &got), 0);
	assert_int_equal(got, 20);
	for (size_t i = 0; i < 20; i++) {
		assert_non_null(strstr(page[i].col[COL_NAME], "Đức"));
		if (i)
			assert_true(
			    text_collate(page[i - 1].col[COL_NAME], page[i].col[COL_NAME]) <= 0);
	}
	/* One unit's rows (a district's list of one commune). */
	snprintf(l.unit, sizeof l.unit, "99999");
	assert_int_equal(index_list_refresh(&ix, &l), 0);
	assert_int_equal(l.norder, 0);
	index_list_free(&l);
	free(hits);
	free(seen);
	free(ord);
	free(want);
	index_close(&ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sort_vietnamese, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fold_search, setup, teardown),
	    cmocka_unit_test(test_fold_buf_is_text_fold),
	    cmocka_unit_test_setup_teardown(test_note_save, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_paging_100k, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
