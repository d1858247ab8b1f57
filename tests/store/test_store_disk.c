/* tests/store/test_store_disk.c: a full disk and a read-only file system,
 * on a small tmpfs (needs root; skipped otherwise).
 *
 * Read-only: store_open falls back to MDB_RDONLY when the environment
 * cannot be opened for writing (EROFS, EACCES), so the data can still be
 * read and exported; every write then returns STORE_EROFS without trying,
 * and a login on such a node cannot count failures. */
#include <errno.h>
#include <sys/mount.h>

#include "tests/store/store_test.h"
#include "tests/skip.h"

struct mnt {
	struct tdir t;
	int mounted;
};

static int mnt_setup(void **state)
{
	static struct mnt m;
	test_cheap_setup(state);
	memset(&m, 0, sizeof m);
	*state = &m;
	if (geteuid() != 0) {
		print_message("skipped: needs root to mount a tmpfs\n");
		return 0;
	}
	tdir_make(&m.t);
	if (mount("tmpfs", m.t.root, "tmpfs", 0, "size=2m,mode=0700") != 0) {
		print_message("skipped: mount tmpfs: %s\n", strerror(errno));
		rmdir(m.t.root);
		return 0;
	}
	m.mounted = 1;
	return 0;
}

static int mnt_teardown(void **state)
{
	struct mnt *m = *state;
	if (m->mounted) {
		umount2(m->t.root, MNT_DETACH);
		rmdir(m->t.root);
	}
	return 0;
}

static void test_full_then_readonly(void **state)
{
	struct mnt *m = *state;
	if (!m->mounted) {
		skip_unless_ci("needs root to mount a tmpfs");
		return;
	}
	struct store_options o = {64 << 10, 0};
	struct store *s = NULL;
	char rec[STORE_RECOVERY_BUF];
	assert_int_equal(store_create(m->t.node, ADMIN, ADMIN_PW, &o, rec, &s), STORE_OK);
	enum { MAX = 100000 };
	uint8_t(*ids)[STORE_ID_BYTES] = calloc(MAX, STORE_ID_BYTES);
	assert_non_null(ids);
	int saved = 0, rc = 0;
	char big[600];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	while (rc == 0 && saved < MAX) {
		struct store_record r;
		record_fill(&r, saved);
		assert_int_equal(kv_set(&r.fields, "ghi_chu", big), 0);
		rc = store_record_put(s, &r, "create");
		if (rc == 0)
			memcpy(ids[saved++], r.id, STORE_ID_BYTES);
		store_record_clear(&r);
	}
	print_message("%d records saved before: %s\n", saved, store_strerror(rc));
	assert_true(rc == STORE_ENOSPC || rc == STORE_EBUSY);
	assert_true(saved > 100);
	/* The handle stays usable: reads work, and another save either fails
	 * the same clean way or, if it fits in the pages the aborted
	 * transaction gave back, succeeds and is kept like the others. */
	struct store_record r;
	store_record_init(&r);
	assert_int_equal(store_record_get(s, ids[0], &r), STORE_OK);
	store_record_clear(&r);
	record_fill(&r, saved);
	rc = store_record_put(s, &r, "create");
	print_message("a second, smaller save on the full disk: %s\n", store_strerror(rc));
	assert_true(rc == STORE_OK || rc == STORE_ENOSPC || rc == STORE_EBUSY);
	if (rc == STORE_OK)
		memcpy(ids[saved++], r.id, STORE_ID_BYTES);
	store_record_clear(&r);
	store_close(s);

	/* Reopen: everything saved before is there, the chain verifies. */
	s = node_login(m->t.node, &o);
	for (int i = 0; i < saved; i++) {
		store_record_init(&r);
		assert_int_equal(store_record_get(s, ids[i], &r), STORE_OK);
		assert_int_equal(record_number(&r), i);
		store_record_clear(&r);
	}
	uint64_t n, bad;
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_OK);
	store_close(s);

	/* Read-only: opens read-only, reads, refuses writes. */
	assert_int_equal(mount("tmpfs", m->t.root, "tmpfs", MS_REMOUNT | MS_RDONLY, "size=2m"),
			 0);
	assert_int_equal(store_open(m->t.node, &o, &s), STORE_OK);
	assert_int_equal(store_login(s, ADMIN, "wrong", NULL), STORE_EPASSWORD);
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_OK);
	for (int i = 0; i < saved; i += 97) {
		store_record_init(&r);
		assert_int_equal(store_record_get(s, ids[i], &r), STORE_OK);
		assert_int_equal(record_number(&r), i);
		store_record_clear(&r);
	}
	record_fill(&r, -2);
	assert_int_equal(store_record_put(s, &r, "create"), STORE_EROFS);
	store_record_clear(&r);
	assert_int_equal(store_meta_put(s, "x", "y", 1), STORE_EROFS);
	assert_int_equal(store_user_add(s, "moi", STORE_ROLE_CANBO, "pw"), STORE_EROFS);
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_OK);
	store_close(s);
	free(ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_full_then_readonly, mnt_setup, mnt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
