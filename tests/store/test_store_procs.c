/* tests/store/test_store_procs.c: a writer killed with SIGKILL mid-way
 * loses nothing it reported committed; two processes write one node. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "tests/store/store_test.h"

/* What the child reports after each commit returned: id and number. */
struct report {
	uint8_t id[STORE_ID_BYTES];
	int32_t n;
};

static void writer_child(const char *node, int fd, int start)
{
	struct store *s;
	/* No cmocka asserts in the child: an error is its exit code. */
	if (store_open(node, NULL, &s) != 0 || store_login(s, ADMIN, ADMIN_PW, NULL) != 0)
		_exit(2);
	for (int i = start; i < start + 100000; i++) {
		struct store_record r;
		struct report rep;
		record_fill(&r, i);
		int rc = store_record_put(s, &r, "create");
		memcpy(rep.id, r.id, STORE_ID_BYTES);
		rep.n = i;
		store_record_clear(&r);
		if (rc != 0)
			_exit(3);
		if (write(fd, &rep, sizeof rep) != (ssize_t)sizeof rep)
			_exit(4);
	}
	_exit(0);
}

static void test_killed_writer(void **state)
{
	(void)state;
	struct tdir t;
	struct store *s = node_create(&t, NULL);
	store_close(s); /* never fork with an open environment */
	struct report *got = calloc(200000, sizeof *got);
	size_t ngot = 0;
	assert_non_null(got);
	srand((unsigned)time(NULL));
	for (int cycle = 0; cycle < 8; cycle++) {
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			writer_child(t.node, fds[1], cycle * 100000);
		}
		close(fds[1]);
		/* Let it commit at least a few, then kill it at a random moment. */
		size_t before = ngot;
		while (ngot < before + 20) {
			ssize_t k = read(fds[0], &got[ngot], sizeof *got);
			assert_int_equal(k, (ssize_t)sizeof *got);
			ngot++;
		}
		usleep((useconds_t)(rand() % 30000));
		kill(pid, SIGKILL);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		for (;;) { /* the rest of what it reported */
			ssize_t k = read(fds[0], &got[ngot], sizeof *got);
			if (k == 0)
				break;
			assert_int_equal(k, (ssize_t)sizeof *got);
			ngot++;
		}
		close(fds[0]);

		s = node_login(t.node, NULL);
		for (size_t i = 0; i < ngot; i++) {
			struct store_record r;
			store_record_init(&r);
			assert_int_equal(store_record_get(s, got[i].id, &r), STORE_OK);
			assert_int_equal(record_number(&r), got[i].n);
			assert_int_equal(r.version, 1);
			store_record_clear(&r);
		}
		struct store_stat st;
		assert_int_equal(store_stat(s, &st), STORE_OK);
		/* At most the one commit in flight when killed is not reported. */
		assert_true(st.records >= ngot && st.records <= ngot + cycle + 1);
		assert_int_equal(st.outbox, st.records);
		audit_count(s);
		store_close(s);
	}
	print_message("%zu reported records, all intact after 8 kills\n", ngot);
	free(got);
	tdir_remove(&t);
}

struct seqs {
	uint64_t next;
	int ok;
};

static int seq_fn(uint64_t seq, const struct store_record *r, void *arg)
{
	struct seqs *q = arg;
	(void)r;
	q->ok &= seq == q->next;
	q->next++;
	return 0;
}

static int count_fn(const struct store_record *r, void *arg)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

static void test_two_processes(void **state)
{
	(void)state;
	struct tdir t;
	/* A tiny map, so both processes grow it and see MDB_MAP_RESIZED. */
	struct store_options o = {64 << 10, 0};
	struct store *s = node_create(&t, &o);
	store_close(s);
	enum { N = 600 };
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *c;
		if (store_open(t.node, &o, &c) != 0 || store_login(c, ADMIN, ADMIN_PW, NULL) != 0)
			_exit(2);
		for (int i = 0; i < N; i++) {
			struct store_record r;
			record_fill(&r, 10000 + i);
			int rc = store_record_put(c, &r, "create");
			store_record_clear(&r);
			if (rc)
				_exit(10 - rc);
		}
		store_close(c);
		_exit(0);
	}
	s = node_login(t.node, &o);
	int reads = 0;
	for (int i = 0; i < N; i++) {
		struct store_record r;
		record_fill(&r, i);
		assert_int_equal(store_record_put(s, &r, "create"), STORE_OK);
		/* Read it back, and now and then everything the child wrote too. */
		struct store_record back;
		store_record_init(&back);
		assert_int_equal(store_record_get(s, r.id, &back), STORE_OK);
		assert_int_equal(record_number(&back), i);
		store_record_clear(&back);
		store_record_clear(&r);
		if (i % 100 == 0) {
			int n = 0;
			assert_int_equal(store_record_each(s, count_fn, &n), 0);
			assert_true(n >= i + 1);
			reads++;
		}
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	int n = 0;
	assert_int_equal(store_record_each(s, count_fn, &n), 0);
	assert_int_equal(n, 2 * N);
	struct seqs q = {1, 1};
	assert_int_equal(store_outbox_each(s, 0, seq_fn, &q), 0);
	assert_true(q.ok);
	assert_int_equal(q.next, 2 * N + 1);
	assert_int_equal(audit_count(s), 2 + 2 + 2 * N); /* create, 2 logins, saves */
	store_close(s);
	tdir_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_killed_writer),
	    cmocka_unit_test(test_two_processes),
	};
	return cmocka_run_group_tests(tests, test_cheap_setup, NULL);
}
