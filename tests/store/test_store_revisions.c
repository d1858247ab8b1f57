/*
 * tests/store/test_store_revisions.c: store_sync_revision_each, the walk
 * over the report revisions a district keeps (for the district desk):
 * every revision once, in (record id, revision) order, with its first
 * receipt time; register entries never passed; the caller can stop it;
 * no login, no walk.
 */
#include "tests/store/store_test.h"

struct seen {
	int n;
	uint8_t ids[8][STORE_ID_BYTES];
	uint32_t revs[8];
	int64_t at[8];
	uint32_t version[8];
	int stop_after;
};

static int collect(const struct store_record *r, int64_t at, void *arg)
{
	struct seen *s = arg;
	assert_true(s->n < 8);
	memcpy(s->ids[s->n], r->id, STORE_ID_BYTES);
	s->revs[s->n] = r->revision;
	s->at[s->n] = at;
	s->version[s->n] = r->version;
	s->n++;
	return s->stop_after && s->n == s->stop_after ? 42 : 0;
}

static void rec(struct store_record *r, uint8_t idb, const char *period, uint32_t rev,
                uint32_t version)
{
	store_record_init(r);
	memset(r->id, idb, STORE_ID_BYTES);
	snprintf(r->form, sizeof r->form, "%s", period[0] ? "bao-cao-cchc" : "so-theo-doi-ho-so");
	snprintf(r->unit, sizeof r->unit, "02545");
	snprintf(r->period, sizeof r->period, "%s", period);
	r->revision = rev;
	r->version = version;
	kv_set(&r->fields, "tong_tiep_nhan", "120");
}

static void apply(struct store *s, uint64_t no, struct store_record *r, size_t n, int64_t at)
{
	uint8_t id[32];
	memset(id, (int)no, sizeof id);
	struct store_sync_batch b = {id, "02545", 1, no, at, r, n};
	assert_int_equal(store_sync_apply(s, &b, NULL), STORE_OK);
	for (size_t i = 0; i < n; i++)
		store_record_clear(&r[i]);
}

static void test_walk(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	struct store_record r[3];
	rec(&r[0], 0x20, "2021-Q1", 1, 2);
	rec(&r[1], 0x10, "", 0, 1); /* a register entry: never walked */
	rec(&r[2], 0x30, "2021-H1", 1, 2);
	apply(s, 1, r, 3, 1000);
	rec(&r[0], 0x20, "2021-Q1", 2, 5);
	apply(s, 2, r, 1, 2000);
	/* The same revision again with a higher version: kept, first time stays. */
	rec(&r[0], 0x20, "2021-Q1", 2, 6);
	apply(s, 3, r, 1, 3000);
	struct seen sn = {0};
	assert_int_equal(store_sync_revision_each(s, collect, &sn), 0);
	assert_int_equal(sn.n, 3);
	assert_int_equal(sn.ids[0][0], 0x20);
	assert_int_equal(sn.revs[0], 1);
	assert_int_equal(sn.at[0], 1000);
	assert_int_equal(sn.revs[1], 2);
	assert_int_equal(sn.at[1], 2000);
	assert_int_equal(sn.version[1], 6);
	assert_int_equal(sn.ids[2][0], 0x30);
	assert_int_equal(sn.at[2], 1000);
	struct seen stop = {.stop_after = 2};
	assert_int_equal(store_sync_revision_each(s, collect, &stop), 42);
	assert_int_equal(stop.n, 2);
	store_logout(s);
	struct seen none = {0};
	assert_int_equal(store_sync_revision_each(s, collect, &none), STORE_ENOKEY);
	assert_int_equal(none.n, 0);
	store_close(s);
	tdir_remove(&t);
}

static void test_empty(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	struct seen sn = {0};
	assert_int_equal(store_sync_revision_each(s, collect, &sn), 0);
	assert_int_equal(sn.n, 0);
	store_close(s);
	tdir_remove(&t);
}

int main(void)
{
	if (secret_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_walk, test_cheap_setup),
	    cmocka_unit_test_setup(test_empty, test_cheap_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
