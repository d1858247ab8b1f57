/*
 * tests/store/test_store_eio.c: an I/O error while LMDB commits.
 *
 * This program defines fdatasync() and fsync() itself; liblmdb's calls
 * resolve to these (an executable's definition of a symbol a shared library
 * uses takes precedence), so the test can make the disk fail the flush that
 * makes a commit durable.  The store must report STORE_EIO, close and
 * reopen the environment rather than carry on, keep everything committed
 * before, and work again once the disk does.
 */
#include <dlfcn.h>
#include <errno.h>

#include "store_test.h"

static int fail_flushes; /* > 0: the next flushes fail with EIO */
static int flushes_failed;

static int fake_flush(const char *name, int fd)
{
	if (fail_flushes > 0) {
		fail_flushes--;
		flushes_failed++;
		errno = EIO;
		return -1;
	}
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, name);
	return real ? real(fd) : 0;
}

int fdatasync(int fd);
int fdatasync(int fd)
{
	return fake_flush("fdatasync", fd);
}

int fsync(int fd);
int fsync(int fd)
{
	return fake_flush("fsync", fd);
}

static void save(struct store *s, int i, uint8_t id[STORE_ID_BYTES], int want)
{
	struct store_record r;
	record_fill(&r, i);
	assert_int_equal(store_record_put(s, &r, "create"), want);
	memcpy(id, r.id, STORE_ID_BYTES);
	store_record_clear(&r);
}

static void test_eio_on_commit(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	uint8_t ids[4][STORE_ID_BYTES];
	save(s, 0, ids[0], STORE_OK);
	save(s, 1, ids[1], STORE_OK);

	/* The flush of the next commit fails: STORE_EIO, and nothing of that
	 * save is visible (record, outbox and audit entry go together). */
	uint64_t outbox_before, outbox_after;
	assert_int_equal(store_outbox_last(s, &outbox_before), STORE_OK);
	fail_flushes = 1;
	save(s, 2, ids[2], STORE_EIO);
	assert_true(flushes_failed >= 1);
	fail_flushes = 0;

	/* The handle was reopened and goes on working: earlier records read
	 * back, the failed one is either absent or whole, new saves work. */
	struct store_record r;
	store_record_init(&r);
	assert_int_equal(store_record_get(s, ids[0], &r), STORE_OK);
	assert_int_equal(record_number(&r), 0);
	int rc = store_record_get(s, ids[2], &r);
	assert_true(rc == STORE_OK || rc == STORE_ENOTFOUND);
	if (rc == STORE_OK)
		assert_int_equal(record_number(&r), 2);
	store_record_clear(&r);
	save(s, 3, ids[3], STORE_OK);
	assert_int_equal(store_outbox_last(s, &outbox_after), STORE_OK);
	assert_true(outbox_after > outbox_before);
	uint64_t n = audit_count(s);
	assert_true(n >= 3);
	store_close(s);

	/* A fresh open sees the same. */
	s = node_login(t.node, NULL);
	store_record_init(&r);
	assert_int_equal(store_record_get(s, ids[1], &r), STORE_OK);
	assert_int_equal(record_number(&r), 1);
	assert_int_equal(store_record_get(s, ids[3], &r), STORE_OK);
	assert_int_equal(record_number(&r), 3);
	store_record_clear(&r);
	audit_count(s);
	store_close(s);
	tdir_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eio_on_commit),
	};
	return cmocka_run_group_tests(tests, test_cheap_setup, NULL);
}
