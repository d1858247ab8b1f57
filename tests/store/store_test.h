/* tests/store/store_test.h: helpers shared by the store test programs
 * (static: each program is one translation unit). */
#ifndef CCHC_TESTS_STORE_TEST_H
#define CCHC_TESTS_STORE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/kv.h"
#include "core/secret.h"
#include "store/store.h"

#define ADMIN "admin"
#define ADMIN_PW "Mật khẩu 1"

static inline int test_cheap_setup(void **state)
{
	(void)state;
	setenv("CCHC_PWCOST", "min", 1);
	unsetenv("CCHC_NOW");
	return 0;
}

/* A fresh temporary directory under $TMPDIR; the node goes in dir/node. */
struct tdir {
	char root[256];
	char node[300];
};

static inline void tdir_make(struct tdir *t)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(t->root, sizeof t->root, "%s/cchc-store-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(t->root));
	snprintf(t->node, sizeof t->node, "%s/node", t->root);
}

static inline void tdir_remove(struct tdir *t)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->root);
	assert_int_equal(system(cmd), 0);
}

static inline struct store *node_create(struct tdir *t, const struct store_options *o)
{
	struct store *s = NULL;
	char rec[STORE_RECOVERY_BUF];
	tdir_make(t);
	assert_int_equal(store_create(t->node, ADMIN, ADMIN_PW, o, rec, &s), STORE_OK);
	return s;
}

static inline struct store *node_login(const char *dir, const struct store_options *o)
{
	struct store *s = NULL;
	assert_int_equal(store_open(dir, o, &s), STORE_OK);
	assert_int_equal(store_login(s, ADMIN, ADMIN_PW, NULL), STORE_OK);
	return s;
}

/* A register-like record numbered i, with text worth finding. */
static inline void record_fill(struct store_record *r, int i)
{
	char v[64];
	store_record_init(r);
	store_new_id(r->id);
	snprintf(r->form, sizeof r->form, "so-theo-doi-ho-so");
	r->form_version = 1;
	snprintf(r->unit, sizeof r->unit, "02545");
	snprintf(r->unit_list, sizeof r->unit_list, "GSO-2021");
	snprintf(v, sizeof v, "%d", i);
	assert_int_equal(kv_set(&r->fields, "so", v), 0);
	snprintf(v, sizeof v, "Người nộp số %d", i);
	assert_int_equal(kv_set(&r->fields, "nguoi_nop", v), 0);
}

static inline int record_number(const struct store_record *r)
{
	const char *v = kv_get(&r->fields, "so");
	return v ? atoi(v) : -1;
}

static inline uint64_t audit_count(struct store *s)
{
	uint64_t n = 0, bad = 0;
	assert_int_equal(store_audit_verify(s, &n, &bad), STORE_OK);
	assert_int_equal(bad, 0);
	return n;
}

#endif
