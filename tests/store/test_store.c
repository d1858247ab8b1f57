/* tests/store/test_store.c: create, open, login, users, recovery, records,
 * the atomic record + outbox + audit write, meta, permissions. */
#include "tests/store/store_test.h"

static void test_create_open_login(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	const struct store_user *me = store_whoami(s);
	assert_non_null(me);
	assert_string_equal(me->name, ADMIN);
	assert_int_equal(me->role, STORE_ROLE_QUANTRI);
	store_close(s);

	/* A second create in the same place is refused. */
	char rec[STORE_RECOVERY_BUF];
	assert_int_equal(store_create(t.node, ADMIN, ADMIN_PW, NULL, rec, &s), STORE_EEXIST);

	/* Modes: 0700 directories, 0600 files, whatever the umask. */
	char p[400];
	struct stat st;
	snprintf(p, sizeof p, "%s/db", t.node);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(t.node, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(p, sizeof p, "%s/db/data.mdb", t.node);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(store_open(t.node, NULL, &s), STORE_OK);
	assert_null(store_whoami(s));
	struct store_record r;
	uint8_t id[STORE_ID_BYTES] = {0};
	store_record_init(&r);
	assert_int_equal(store_record_get(s, id, &r), STORE_ENOKEY);
	struct store_user who;
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, &who), STORE_OK);
	assert_string_equal(who.name, ADMIN);
	assert_int_equal(who.failures, 0);
	/* Names fold ASCII case only. */
	assert_int_equal(store_login(s, "ADMIN", ADMIN_PW, NULL), STORE_OK);
	assert_string_equal(store_whoami(s)->name, ADMIN);
	assert_int_equal(store_record_get(s, id, &r), STORE_ENOTFOUND);
	store_close(s);

	assert_int_equal(store_open(t.root, NULL, &s), STORE_ENONODE);
	snprintf(p, sizeof p, "%s/nothing", t.root);
	assert_int_equal(store_open(p, NULL, &s), STORE_ENONODE);
	tdir_remove(&t);
}

static void test_create_umask(void **state)
{
	(void)state;
	struct tdir t;
	mode_t old = umask(0);
	struct store *s = node_create(&t, NULL);
	umask(old);
	store_close(s);
	char p[400];
	struct stat st;
	snprintf(p, sizeof p, "%s/db/lock.mdb", t.node);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(p, sizeof p, "%s/db/data.mdb", t.node);
	assert_int_equal(chmod(p, 0640), 0);
	assert_int_equal(store_open(t.node, NULL, &s), STORE_EPERM);
	assert_int_equal(chmod(p, 0604), 0);
	assert_int_equal(store_open(t.node, NULL, &s), STORE_EPERM);
	assert_int_equal(chmod(p, 0600), 0);
	snprintf(p, sizeof p, "%s/db", t.node);
	assert_int_equal(chmod(p, 0755), 0);
	assert_int_equal(store_open(t.node, NULL, &s), STORE_EPERM);
	assert_int_equal(chmod(p, 0700), 0);
	assert_int_equal(store_open(t.node, NULL, &s), STORE_OK);
	store_close(s);
	tdir_remove(&t);
}

static void test_wrong_password_lockout(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	assert_int_equal(store_user_add(s, "canbo", STORE_ROLE_CANBO, "pw-canbo"), STORE_OK);
	store_close(s);
	setenv("CCHC_NOW", "1700000000", 1);
	assert_int_equal(store_open(t.node, NULL, &s), STORE_OK);
	struct store_user who;
	for (int i = 1; i <= 4; i++) {
		assert_int_equal(store_login(s, "canbo", "sai", &who), STORE_EPASSWORD);
		assert_int_equal(who.failures, i);
		assert_int_equal(who.locked_until, 0);
		assert_null(store_whoami(s));
	}
	assert_int_equal(store_login(s, "canbo", "sai", &who), STORE_ELOCKED);
	assert_int_equal(who.locked_until, 1700000000 + 300);
	/* During the lockout even the right password is refused (and audited). */
	assert_int_equal(store_login(s, "canbo", "pw-canbo", &who), STORE_ELOCKED);
	assert_int_equal(who.locked_until, 1700000300);
	setenv("CCHC_NOW", "1700000299", 1);
	assert_int_equal(store_login(s, "canbo", "pw-canbo", &who), STORE_ELOCKED);
	/* Other users are not affected. */
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_OK);
	struct store_user u;
	assert_int_equal(store_user_get(s, "canbo", &u), STORE_OK);
	assert_int_equal(u.failures, 5);
	assert_int_equal(u.locked_until, 1700000300);
	assert_int_equal(u.locked, 0);
	setenv("CCHC_NOW", "1700000300", 1);
	assert_int_equal(store_login(s, "canbo", "pw-canbo", &who), STORE_OK);
	assert_int_equal(who.failures, 0);
	assert_int_equal(who.role, STORE_ROLE_CANBO);
	/* The count restarts after a success. */
	assert_int_equal(store_login(s, "canbo", "sai", &who), STORE_EPASSWORD);
	assert_int_equal(who.failures, 1);
	/* An unknown name reads as a wrong password. */
	assert_int_equal(store_login(s, "khong-co", "x", &who), STORE_EPASSWORD);
	assert_int_equal(store_login(s, "", "x", &who), STORE_EINVAL);
	assert_int_equal(store_login(s, "canbo", "", &who), STORE_EINVAL);

	/* 3 at create and user-add, 5 + 1 failures, 2 locked, 3 logins. */
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_OK);
	assert_int_equal(audit_count(s), 3 + 6 + 2 + 3 + 1);
	store_close(s);
	unsetenv("CCHC_NOW");
	tdir_remove(&t);
}

struct audit_tally {
	int failed, locked, login;
};

static int tally_fn(const struct store_audit *a, void *arg)
{
	struct audit_tally *t = arg;
	t->failed += strcmp(a->action, "login-failed") == 0;
	t->locked += strcmp(a->action, "login-locked") == 0;
	t->login += strcmp(a->action, "login") == 0;
	return 0;
}

static void test_failed_logins_audited(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	store_close(s);
	assert_int_equal(store_open(t.node, NULL, &s), STORE_OK);
	for (int i = 0; i < 6; i++)
		assert_int_not_equal(store_login(s, ADMIN, "wrong", NULL), STORE_OK);
	assert_int_equal(store_login(s, "nobody", "wrong", NULL), STORE_EPASSWORD);
	setenv("CCHC_NOW", "9999999999", 1);
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_OK);
	unsetenv("CCHC_NOW");
	struct audit_tally tl = {0, 0, 0};
	assert_int_equal(store_audit_each(s, tally_fn, &tl), 0);
	assert_int_equal(tl.failed, 6); /* 5 wrong + the unknown name */
	assert_int_equal(tl.locked, 1);
	assert_int_equal(tl.login, 1);
	assert_int_equal(audit_count(s), 2 + 8);
	store_close(s);
	tdir_remove(&t);
}

static void test_users(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	assert_int_equal(store_user_add(s, "Trần Thị Bưởi", STORE_ROLE_LANHDAO, "pw1"), STORE_OK);
	assert_int_equal(store_user_add(s, "canbo", STORE_ROLE_CANBO, "pw2"), STORE_OK);
	assert_int_equal(store_user_add(s, "CANBO", STORE_ROLE_CANBO, "pw3"), STORE_EEXIST);
	assert_int_equal(store_user_add(s, "x", 9, "pw3"), STORE_EINVAL);
	assert_int_equal(store_user_add(s, "x", STORE_ROLE_CANBO, ""), STORE_EINVAL);
	assert_int_equal(store_user_add(s, "a\nb", STORE_ROLE_CANBO, "p"), STORE_EINVAL);
	struct store_user *v;
	size_t n;
	assert_int_equal(store_user_list(s, &v, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].name, "Trần Thị Bưởi");
	assert_string_equal(v[1].name, "admin");
	assert_string_equal(v[2].name, "canbo");
	assert_int_equal(v[0].role, STORE_ROLE_LANHDAO);
	assert_int_equal(v[2].role, STORE_ROLE_CANBO);
	free(v);

	assert_int_equal(store_user_passwd(s, "canbo", "new"), STORE_OK);
	assert_int_equal(store_user_passwd(s, "nobody", "new"), STORE_ENOTFOUND);
	assert_int_equal(store_user_lock(s, "canbo"), STORE_OK);
	assert_int_equal(store_user_lock(s, ADMIN), STORE_EINVAL);
	struct store_user u;
	assert_int_equal(store_user_get(s, "canbo", &u), STORE_OK);
	assert_int_equal(u.locked, 1);
	assert_int_equal(store_user_passwd(s, "canbo", "again"), STORE_ELOCKED);
	store_close(s);

	assert_int_equal(store_open(t.node, NULL, &s), STORE_OK);
	assert_int_equal(store_login(s, "canbo", "pw2", &u), STORE_ELOCKED);
	assert_int_equal(u.locked, 1);
	assert_int_equal(store_login(s, "canbo", "new", &u), STORE_ELOCKED);
	assert_int_equal(store_login(s, "Trần Thị Bưởi", "pw1", &u), STORE_OK);
	assert_int_equal(u.role, STORE_ROLE_LANHDAO);
	assert_int_equal(store_user_unlock(s, "canbo", "mo-khoa"), STORE_OK);
	assert_int_equal(store_login(s, "canbo", "new", NULL), STORE_EPASSWORD);
	assert_int_equal(store_login(s, "canbo", "mo-khoa", &u), STORE_OK);
	assert_int_equal(u.locked, 0);
	assert_string_equal(store_whoami(s)->name, "canbo");
	assert_int_equal(store_user_list(s, &v, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(v[2].locked, 0);
	free(v);
	struct store_stat st;
	assert_int_equal(store_stat(s, &st), STORE_OK);
	assert_int_equal(st.users, 3);
	audit_count(s);
	store_close(s);
	tdir_remove(&t);
}

static void test_recovery(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = NULL;
	char rec[STORE_RECOVERY_BUF];
	tdir_make(&t);
	assert_int_equal(store_create(t.node, ADMIN, ADMIN_PW, NULL, rec, &s), STORE_OK);
	store_close(s);
	/* 13 groups of 4 base32 symbols. */
	assert_int_equal(strlen(rec), 64);
	for (int i = 0; i < 64; i++)
		assert_true(i % 5 == 4 ? rec[i] == ' '
				       : (rec[i] >= 'A' && rec[i] <= 'Z') ||
					     (rec[i] >= '2' && rec[i] <= '7'));
	assert_int_equal(store_open(t.node, NULL, &s), STORE_OK);
	char bad[STORE_RECOVERY_BUF];
	memcpy(bad, rec, sizeof rec);
	bad[0] = bad[0] == 'A' ? 'C' : 'A';
	assert_int_equal(store_login_recovery(s, bad), STORE_EPASSWORD);
	assert_int_equal(store_login_recovery(s, "ABCD"), STORE_EPASSWORD);
	assert_null(store_whoami(s));
	/* Lower case, no spaces, dashes: the same key. */
	char loose[STORE_RECOVERY_BUF * 2];
	size_t j = 0;
	for (int i = 0; rec[i]; i++) {
		if (rec[i] == ' ') {
			loose[j++] = '-';
			continue;
		}
		loose[j++] = rec[i] >= 'A' && rec[i] <= 'Z' ? (char)(rec[i] + 32) : rec[i];
	}
	loose[j] = '\0';
	assert_int_equal(store_login_recovery(s, loose), STORE_OK);
	assert_non_null(store_whoami(s));
	assert_int_equal(store_whoami(s)->role, STORE_ROLE_QUANTRI);
	/* The recovery session can reset the admin password. */
	assert_int_equal(store_user_passwd(s, ADMIN, "moi"), STORE_OK);
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_EPASSWORD);
	assert_int_equal(store_login(s, ADMIN, "moi", NULL), STORE_OK);
	audit_count(s);
	store_close(s);
	tdir_remove(&t);
}

struct seen {
	int n;
	int last;
	int ordered;
};

static int seen_fn(const struct store_record *r, void *arg)
{
	struct seen *sn = arg;
	int k = record_number(r);
	sn->ordered &= k > sn->last;
	sn->last = k;
	sn->n++;
	return 0;
}

static int outbox_fn(uint64_t seq, const struct store_record *r, void *arg)
{
	struct seen *sn = arg;
	(void)r;
	sn->ordered &= (int)seq == sn->last + 1;
	sn->last = (int)seq;
	sn->n++;
	return 0;
}

static int stop_fn(const struct store_record *r, void *arg)
{
	(void)r;
	return ++*(int *)arg == 3 ? 42 : 0;
}

static void test_records(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	uint64_t a0 = audit_count(s);
	struct store_record r, back;
	enum { N = 200 };
	uint8_t ids[N][STORE_ID_BYTES];
	for (int i = 0; i < N; i++) {
		record_fill(&r, i);
		assert_int_equal(store_record_put(s, &r, "create"), STORE_OK);
		assert_int_equal(r.version, 1);
		assert_string_equal(r.changed_by, ADMIN);
		assert_true(r.created_at > 0 && r.changed_at == r.created_at);
		memcpy(ids[i], r.id, STORE_ID_BYTES);
		store_record_clear(&r);
		usleep(i % 50 == 0 ? 2000 : 0); /* a few distinct milliseconds */
	}
	store_record_init(&back);
	assert_int_equal(store_record_get(s, ids[7], &back), STORE_OK);
	assert_int_equal(record_number(&back), 7);
	assert_string_equal(kv_get(&back.fields, "nguoi_nop"), "Người nộp số 7");
	assert_string_equal(back.unit, "02545");
	assert_string_equal(back.form, "so-theo-doi-ho-so");
	assert_int_equal(back.version, 1);

	/* An update with the version read succeeds; a stale one conflicts and
	 * writes nothing (no record, outbox or audit entry). */
	struct store_record stale;
	store_record_init(&stale);
	assert_int_equal(store_record_get(s, ids[7], &stale), STORE_OK);
	assert_int_equal(kv_set(&back.fields, "nguoi_nop", "Nguyễn Văn Tèo"), 0);
	back.state = 2;
	assert_int_equal(store_record_put(s, &back, "submit"), STORE_OK);
	assert_int_equal(back.version, 2);
	uint64_t ob, au = audit_count(s);
	assert_int_equal(store_outbox_last(s, &ob), STORE_OK);
	assert_int_equal(ob, N + 1);
	assert_int_equal(au, a0 + N + 1);
	assert_int_equal(kv_set(&stale.fields, "nguoi_nop", "khác"), 0);
	assert_int_equal(store_record_put(s, &stale, "set"), STORE_ECONFLICT);
	assert_int_equal(stale.version, 1);
	stale.version = 0;
	assert_int_equal(store_record_put(s, &stale, "create"), STORE_EEXIST);
	stale.version = 1;
	store_new_id(stale.id);
	assert_int_equal(store_record_put(s, &stale, "set"), STORE_ENOTFOUND);
	assert_int_equal(store_record_put(s, &stale, ""), STORE_EINVAL);
	assert_int_equal(store_outbox_last(s, &ob), STORE_OK);
	assert_int_equal(ob, N + 1);
	assert_int_equal(audit_count(s), au);
	store_record_clear(&back);
	assert_int_equal(store_record_get(s, ids[7], &back), STORE_OK);
	assert_string_equal(kv_get(&back.fields, "nguoi_nop"), "Nguyễn Văn Tèo");
	assert_int_equal(back.state, 2);
	assert_int_equal(back.version, 2);
	store_record_clear(&back);
	store_record_clear(&stale);

	struct seen sn = {0, -1, 1};
	assert_int_equal(store_record_each(s, seen_fn, &sn), 0);
	assert_int_equal(sn.n, N);
	int stop = 0;
	assert_int_equal(store_record_each(s, stop_fn, &stop), 42);
	struct seen so = {0, 0, 1};
	assert_int_equal(store_outbox_each(s, 1, outbox_fn, &so), 0);
	assert_int_equal(so.n, N + 1);
	assert_true(so.ordered);
	struct seen s2 = {0, 99, 1};
	assert_int_equal(store_outbox_each(s, 100, outbox_fn, &s2), 0);
	assert_int_equal(s2.n, N + 1 - 99);

	struct store_stat st;
	assert_int_equal(store_stat(s, &st), STORE_OK);
	assert_int_equal(st.records, N);
	assert_int_equal(st.outbox, N + 1);
	assert_int_equal(st.audit, au);
	assert_int_equal(st.users, 1);
	assert_true(st.used_bytes > 0 && st.used_bytes <= st.map_size);
	store_close(s);

	/* All of it survives a reopen. */
	s = node_login(t.node, NULL);
	sn = (struct seen){0, -1, 1};
	assert_int_equal(store_record_each(s, seen_fn, &sn), 0);
	assert_int_equal(sn.n, N);
	assert_int_equal(audit_count(s), au + 1); /* + the login */
	store_close(s);
	tdir_remove(&t);
}

static void test_new_id(void **state)
{
	(void)state;
	uint8_t a[STORE_ID_BYTES], b[STORE_ID_BYTES];
	store_new_id(a);
	usleep(2000);
	store_new_id(b);
	assert_true(memcmp(a, b, 6) < 0);
	assert_memory_not_equal(a + 6, b + 6, 10);
}

static void test_meta_audit(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	void *v;
	size_t n;
	assert_int_equal(store_meta_put(s, "batch-no", "\x01\x02", 2), STORE_OK);
	assert_int_equal(store_meta_get(s, "batch-no", &v, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_memory_equal(v, "\x01\x02", 2);
	secret_free(v);
	assert_int_equal(store_meta_put(s, "empty", "", 0), STORE_OK);
	assert_int_equal(store_meta_get(s, "empty", &v, &n), STORE_OK);
	assert_int_equal(n, 0);
	secret_free(v);
	assert_int_equal(store_meta_put(s, ".audit-sk", "x", 1), STORE_EINVAL);
	assert_int_equal(store_meta_get(s, ".audit-sk", &v, &n), STORE_EINVAL);
	assert_int_equal(store_meta_del(s, "batch-no"), STORE_OK);
	assert_int_equal(store_meta_get(s, "batch-no", &v, &n), STORE_ENOTFOUND);
	assert_int_equal(store_meta_del(s, "batch-no"), STORE_ENOTFOUND);
	assert_int_equal(store_audit_add(s, "key-export", "khóa công khai"), STORE_OK);
	uint64_t c = audit_count(s);
	assert_int_equal(c, 3);
	store_close(s);
	assert_int_equal(store_open(t.node, NULL, &s), STORE_OK);
	assert_int_equal(store_meta_get(s, "empty", &v, &n), STORE_ENOKEY);
	assert_int_equal(store_audit_add(s, "x", ""), STORE_ENOKEY);
	uint64_t bad;
	assert_int_equal(store_audit_verify(s, &c, &bad), STORE_ENOKEY);
	store_close(s);
	tdir_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_open_login),
	    cmocka_unit_test(test_create_umask),
	    cmocka_unit_test(test_wrong_password_lockout),
	    cmocka_unit_test(test_failed_logins_audited),
	    cmocka_unit_test(test_users),
	    cmocka_unit_test(test_recovery),
	    cmocka_unit_test(test_records),
	    cmocka_unit_test(test_new_id),
	    cmocka_unit_test(test_meta_audit),
	};
	return cmocka_run_group_tests(tests, test_cheap_setup, NULL);
}
