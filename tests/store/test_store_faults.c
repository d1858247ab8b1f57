/* tests/store/test_store_faults.c: damaged bytes in data.mdb, no plaintext
 * on disk, map growth and its limit.
 *
 * This test reads LMDB directly (the one test outside the store module that
 * includes <lmdb.h>) to find where each stored value lies in data.mdb. */
#include <fcntl.h>
#include <limits.h>
#include <lmdb.h>

#include "tests/store/store_test.h"

#define NREC 3

struct span {
	size_t off, len;
	int strict; /* a flip here must be an error (sealed) */
};

struct spans {
	struct span v[512];
	size_t n;
};

/* Where LMDB mapped data.mdb in this process (LMDB does not say: its
 * me_mapaddr is the MDB_FIXEDMAP address, not the map). */
static const char *map_base(const char *path)
{
	char line[1024], *base = NULL;
	FILE *f = fopen("/proc/self/maps", "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, off;
		char *file = strchr(line, '/');
		if (!file)
			continue;
		file[strcspn(file, "\n")] = '\0';
		if (strcmp(file, path) == 0 && sscanf(line, "%lx-%*x %*s %lx", &lo, &off) == 2 &&
		    off == 0)
			base = (char *)lo;
	}
	fclose(f);
	assert_non_null(base);
	return base;
}

/* Every live value of every named database, as file offsets (copies of
 * old pages stay in the file, so searching for the bytes is not enough). */
static void find_values(const char *node, struct spans *sp)
{
	char path[400];
	MDB_env *env;
	MDB_txn *txn;
	static const char *const dbs[] = {"records", "outbox", "audit", "users", "meta"};
	snprintf(path, sizeof path, "%s/db", node);
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 8), 0);
	assert_int_equal(mdb_env_open(env, path, MDB_RDONLY, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	char real[PATH_MAX];
	snprintf(path, sizeof path, "%s/db/data.mdb", node);
	assert_non_null(realpath(path, real));
	const char *base = map_base(real);
	sp->n = 0;
	for (size_t d = 0; d < sizeof dbs / sizeof *dbs; d++) {
		MDB_dbi dbi;
		MDB_cursor *c;
		MDB_val k, v;
		assert_int_equal(mdb_dbi_open(txn, dbs[d], 0, &dbi), 0);
		assert_int_equal(mdb_cursor_open(txn, dbi, &c), 0);
		for (int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
		     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
			assert_true(sp->n < sizeof sp->v / sizeof *sp->v);
			sp->v[sp->n].off = (size_t)((const char *)v.mv_data - base);
			sp->v[sp->n].len = v.mv_size;
			/* Key slots keep their failure count and cost in clear. */
			sp->v[sp->n].strict = strcmp(dbs[d], "users") != 0;
			sp->n++;
		}
		mdb_cursor_close(c);
	}
	mdb_txn_abort(txn);
	mdb_env_close(env);
}

static unsigned char *file_read(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	rewind(f);
	unsigned char *b = malloc(*n);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, *n, f), *n);
	fclose(f);
	return b;
}

static void file_write(const char *path, const unsigned char *b, size_t n)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	close(fd);
}

struct expect {
	uint8_t id[NREC][STORE_ID_BYTES];
};

static int outbox_ok_fn(uint64_t seq, const struct store_record *r, void *arg)
{
	(void)arg;
	return record_number(r) == (int)seq - 1 ? 0 : 1000; /* 1000: a wrong value */
}

/* Everything the node holds, read back.  0 when all reads agree with what
 * was written, a negative STORE_E* code when one failed cleanly; fails the
 * test on a wrong value. */
static int check_all(const char *node, const struct expect *e)
{
	struct store *s;
	int rc = store_open(node, NULL, &s);
	if (rc)
		return rc;
	rc = store_login(s, ADMIN, ADMIN_PW, NULL);
	for (int i = 0; i < NREC && rc == 0; i++) {
		struct store_record r;
		store_record_init(&r);
		rc = store_record_get(s, e->id[i], &r);
		if (rc == 0) {
			assert_int_equal(record_number(&r), i);
			assert_memory_equal(r.id, e->id[i], STORE_ID_BYTES);
			assert_int_equal(r.version, 1);
			assert_string_equal(kv_get(&r.fields, "ten"), "Nguyễn Văn Tèo");
		}
		store_record_clear(&r);
	}
	if (rc == 0) {
		rc = store_outbox_each(s, 0, outbox_ok_fn, NULL);
		assert_int_not_equal(rc, 1000);
	}
	if (rc == 0) {
		void *v;
		size_t n;
		rc = store_meta_get(s, "secret", &v, &n);
		if (rc == 0) {
			assert_int_equal(n, 3);
			assert_memory_equal(v, "abc", 3);
			secret_free(v);
		}
	}
	if (rc == 0) {
		uint64_t n, bad;
		rc = store_audit_verify(s, &n, &bad);
		if (rc)
			assert_true(bad >= 1 && bad <= n + 1);
	}
	store_close(s);
	return rc;
}

static void test_damage(void **state)
{
	(void)state;
	struct tdir t;
	struct expect e;
	struct store *s = node_create(&t, NULL);
	for (int i = 0; i < NREC; i++) {
		struct store_record r;
		record_fill(&r, i);
		assert_int_equal(kv_set(&r.fields, "ten", "Nguyễn Văn Tèo"), 0);
		assert_int_equal(store_record_put(s, &r, "create"), STORE_OK);
		memcpy(e.id[i], r.id, STORE_ID_BYTES);
		store_record_clear(&r);
	}
	assert_int_equal(store_meta_put(s, "secret", "abc", 3), STORE_OK);
	store_close(s);
	assert_int_equal(check_all(t.node, &e), 0);

	char path[400];
	size_t n;
	snprintf(path, sizeof path, "%s/db/data.mdb", t.node);
	unsigned char *pristine = file_read(path, &n);
	struct spans sp;
	find_values(t.node, &sp);
	assert_true(sp.n >= NREC * 2 + 3);
	size_t flips = 0, errors = 0;
	for (size_t i = 0; i < sp.n; i++) {
		for (size_t j = 0; j < sp.v[i].len; j++) {
			size_t at = sp.v[i].off + j;
			assert_true(at < n);
			/* Alternate a one-bit flip and a whole-byte change. */
			pristine[at] ^= (unsigned char)(j % 2 ? 0xff : 1u << (j % 8));
			file_write(path, pristine, n);
			pristine[at] ^= (unsigned char)(j % 2 ? 0xff : 1u << (j % 8));
			int rc = check_all(t.node, &e);
			flips++;
			if (rc) {
				errors++;
				assert_true(rc == STORE_EDAMAGED || rc == STORE_EPASSWORD ||
					    rc == STORE_ELOCKED || rc == STORE_ENOMEM);
			} else if (sp.v[i].strict) {
				fail_msg("flip at %zu (value %zu byte %zu) went unnoticed", at, i,
					 j);
			}
		}
	}
	print_message("%zu flips in %zu values, %zu detected\n", flips, sp.n, errors);
	assert_true(errors > flips * 9 / 10);
	file_write(path, pristine, n);
	assert_int_equal(check_all(t.node, &e), 0);
	free(pristine);
	tdir_remove(&t);
}

/* Remove audit entry seq (LMDB directly, as an attacker with the file). */
static void audit_remove(const char *node, uint64_t seq)
{
	char path[400];
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	uint8_t key[8];
	for (int i = 7; i >= 0; i--, seq >>= 8)
		key[i] = (uint8_t)seq;
	MDB_val k = {8, key};
	snprintf(path, sizeof path, "%s/db", node);
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 8), 0);
	assert_int_equal(mdb_env_open(env, path, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "audit", 0, &dbi), 0);
	assert_int_equal(mdb_del(txn, dbi, &k, NULL), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

static void test_audit_removed(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	for (int i = 0; i < 5; i++)
		assert_int_equal(store_audit_add(s, "note", "x"), STORE_OK);
	uint64_t n, bad;
	assert_int_equal(audit_count(s), 7);
	store_close(s);
	/* The tail: the head still names entry 7, the next login writes 8. */
	audit_remove(t.node, 7);
	s = node_login(t.node, NULL);
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_EDAMAGED);
	assert_int_equal(bad, 7);
	assert_int_equal(n, 6);
	store_close(s);
	/* One in the middle. */
	audit_remove(t.node, 3);
	s = node_login(t.node, NULL);
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_EDAMAGED);
	assert_int_equal(bad, 3);
	assert_int_equal(n, 2);
	store_close(s);
	tdir_remove(&t);
}

static void test_no_plaintext(void **state)
{
	(void)state;
	static const char *const needles[] = {
	    "Nguyễn Văn Tèo", "Tèo", "0912345678", "Trần Thị Bưởi", "nguyenvanteo",
	    "so-theo-doi-ho-so", "ho_ten", "02545", "GSO-2021", "create", "Mật khẩu"};
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	assert_int_equal(store_user_add(s, "Trần Thị Bưởi", STORE_ROLE_LANHDAO, "x1"), 0);
	assert_int_equal(store_user_add(s, "nguyenvanteo", STORE_ROLE_CANBO, "x2"), 0);
	assert_int_equal(store_login(s, "nguyenvanteo", "x2", NULL), 0);
	for (int i = 0; i < 50; i++) {
		struct store_record r;
		record_fill(&r, i);
		assert_int_equal(kv_set(&r.fields, "ho_ten", "Nguyễn Văn Tèo"), 0);
		assert_int_equal(kv_set(&r.fields, "dien_thoai", "0912345678"), 0);
		assert_int_equal(store_record_put(s, &r, "create"), STORE_OK);
		assert_int_equal(store_record_put(s, &r, "set"), STORE_OK);
		store_record_clear(&r);
	}
	assert_int_equal(store_meta_put(s, "note", "0912345678", 10), STORE_OK);
	assert_int_equal(store_audit_add(s, "note", "Nguyễn Văn Tèo 0912345678"), STORE_OK);
	store_close(s);
	static const char *const files[] = {"data.mdb", "lock.mdb"};
	for (int f = 0; f < 2; f++) {
		char path[400];
		size_t n;
		snprintf(path, sizeof path, "%s/db/%s", t.node, files[f]);
		unsigned char *b = file_read(path, &n);
		for (size_t i = 0; i < sizeof needles / sizeof *needles; i++)
			if (memmem(b, n, needles[i], strlen(needles[i])))
				fail_msg("%s holds \"%s\" in clear", files[f], needles[i]);
		free(b);
	}
	tdir_remove(&t);
}

struct count {
	int n;
	unsigned char seen[4000];
};

static int count_fn(const struct store_record *r, void *arg)
{
	struct count *c = arg;
	int k = record_number(r);
	assert_true(k >= 0 && k < 4000);
	assert_int_equal(c->seen[k], 0);
	c->seen[k] = 1;
	c->n++;
	return 0;
}

static void test_map_growth(void **state)
{
	(void)state;
	struct tdir t;
	struct store_options o = {64 << 10, 0};
	struct store *s = node_create(&t, &o);
	struct store_stat st;
	assert_int_equal(store_stat(s, &st), STORE_OK);
	size_t first = st.map_size;
	enum { N = 3000 };
	for (int i = 0; i < N; i++) {
		struct store_record r;
		record_fill(&r, i);
		assert_int_equal(kv_set(&r.fields, "ghi_chu", "Hồ sơ đã trả kết quả đúng hạn"), 0);
		assert_int_equal(store_record_put(s, &r, "create"), STORE_OK);
		store_record_clear(&r);
	}
	assert_int_equal(store_stat(s, &st), STORE_OK);
	assert_true(st.map_size > first);
	assert_int_equal(st.records, N);
	store_close(s);
	s = node_login(t.node, &o);
	struct count *c = calloc(1, sizeof *c);
	assert_non_null(c);
	assert_int_equal(store_record_each(s, count_fn, c), 0);
	assert_int_equal(c->n, N);
	free(c);
	assert_int_equal(audit_count(s), N + 3);
	store_close(s);
	tdir_remove(&t);
}

static void test_map_limit(void **state)
{
	(void)state;
	struct tdir t;
	struct store_options o = {64 << 10, 256 << 10};
	struct store *s = node_create(&t, &o);
	int rc = 0, saved = 0;
	for (int i = 0; i < 4000 && rc == 0; i++) {
		struct store_record r;
		record_fill(&r, i);
		rc = store_record_put(s, &r, "create");
		saved += rc == 0;
		store_record_clear(&r);
	}
	assert_int_equal(rc, STORE_EBUSY);
	assert_true(saved > 100);
	/* The failed save wrote nothing; what was saved reads back. */
	struct store_stat st;
	assert_int_equal(store_stat(s, &st), STORE_OK);
	assert_int_equal(st.records, (uint64_t)saved);
	assert_int_equal(st.outbox, (uint64_t)saved);
	store_close(s);
	s = node_login(t.node, &o);
	struct count *c = calloc(1, sizeof *c);
	assert_non_null(c);
	assert_int_equal(store_record_each(s, count_fn, c), 0);
	assert_int_equal(c->n, saved);
	free(c);
	store_close(s);
	/* A larger limit lets the same node grow again. */
	o.map_max = 0;
	s = node_login(t.node, &o);
	struct store_record r;
	record_fill(&r, 3999);
	assert_int_equal(store_record_put(s, &r, "create"), STORE_OK);
	store_record_clear(&r);
	store_close(s);
	tdir_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_damage),
	    cmocka_unit_test(test_audit_removed),
	    cmocka_unit_test(test_no_plaintext),
	    cmocka_unit_test(test_map_growth),
	    cmocka_unit_test(test_map_limit),
	};
	return cmocka_run_group_tests(tests, test_cheap_setup, NULL);
}
