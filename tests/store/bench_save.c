/*
 * bench_save: SPEC §10 "saving one record (seal + record + outbox + audit,
 * durable commit) <= 3x a bare durable LMDB commit".
 *
 * Both run in this process on the same file system, interleaved in rounds
 * so that the disk's flush time (which varies 30-fold from hour to hour on
 * these machines) hits both alike; the figure that counts is the ratio of
 * the medians.
 */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/secret.h"
#include "store/store.h"

#define ROUNDS 40
#define PER_ROUND 5

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void fill_entry(struct store_record *r, int i)
{
	char v[64];
	store_new_id(r->id);
	snprintf(r->form, sizeof r->form, "so-theo-doi-ho-so");
	r->form_version = 1;
	snprintf(r->unit, sizeof r->unit, "02545");
	snprintf(r->unit_list, sizeof r->unit_list, "GSO-2021");
	snprintf(v, sizeof v, "000.00.00.H59-210315-%04d", i);
	kv_set(&r->fields, "ma_ho_so", v);
	kv_set(&r->fields, "thu_tuc", "Đăng ký khai sinh");
	kv_set(&r->fields, "linh_vuc", "ho_tich");
	kv_set(&r->fields, "nguoi_nop", "Nguyễn Văn Thành");
	kv_set(&r->fields, "dia_chi", "Thôn Tân Lập, xã Tân Trào");
	kv_set(&r->fields, "dien_thoai", "0912345678");
	kv_set(&r->fields, "kenh_nop", "truc_tiep");
	kv_set(&r->fields, "kenh_tra", "truc_tiep");
	kv_set(&r->fields, "ngay_nhan", "2021-03-01");
	kv_set(&r->fields, "ngay_hen_tra", "2021-03-03");
	kv_set(&r->fields, "ngay_tra", "2021-03-02");
	kv_set(&r->fields, "trang_thai", "da_tra");
	kv_set(&r->fields, "xin_loi", "0");
	kv_set(&r->fields, "hai_long", "hai_long");
}

int main(void)
{
	char dir[] = "/tmp/cchc-bench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	setenv("CCHC_PWCOST", "min", 1);
	if (secret_init() != 0)
		return 1;
	char node[256], raw[256];
	snprintf(node, sizeof node, "%s/node", dir);
	snprintf(raw, sizeof raw, "%s/raw", dir);
	mkdir(raw, 0700);

	struct store *s;
	char recovery[STORE_RECOVERY_BUF];
	if (store_create(node, "admin", "benchmark-pw", NULL, recovery, &s) != 0) {
		fprintf(stderr, "bench_save: cannot create a node in %s\n", node);
		return 1;
	}
	MDB_env *env;
	MDB_dbi dbi;
	MDB_txn *txn;
	mdb_env_create(&env);
	mdb_env_set_mapsize(env, 64u << 20);
	if (mdb_env_open(env, raw, 0, 0600) != 0)
		return 1;
	mdb_txn_begin(env, NULL, 0, &txn);
	mdb_dbi_open(txn, NULL, 0, &dbi);
	mdb_txn_commit(txn);

	double save[ROUNDS], bare[ROUNDS];
	unsigned char value[600];
	secret_random(value, sizeof value);
	int n = 0;
	for (int round = 0; round < ROUNDS; round++) {
		double t0 = now_ms();
		for (int k = 0; k < PER_ROUND; k++) {
			struct store_record r;
			store_record_init(&r);
			fill_entry(&r, n++);
			if (store_record_put(s, &r, "create") != 0) {
				fprintf(stderr, "bench_save: save failed\n");
				return 1;
			}
			store_record_clear(&r);
		}
		double t1 = now_ms();
		for (int k = 0; k < PER_ROUND; k++) {
			unsigned char key[16];
			secret_random(key, sizeof key);
			MDB_val mk = {sizeof key, key}, mv = {sizeof value, value};
			mdb_txn_begin(env, NULL, 0, &txn);
			mdb_put(txn, dbi, &mk, &mv, 0);
			if (mdb_txn_commit(txn) != 0)
				return 1;
		}
		double t2 = now_ms();
		save[round] = (t1 - t0) / PER_ROUND;
		bare[round] = (t2 - t1) / PER_ROUND;
	}
	qsort(save, ROUNDS, sizeof save[0], cmp_double);
	qsort(bare, ROUNDS, sizeof bare[0], cmp_double);
	double ms = save[ROUNDS / 2], mb = bare[ROUNDS / 2];
	printf("save one record (seal + record + outbox + audit, durable): %.3f ms median; "
	       "bare durable LMDB commit: %.3f ms; ratio %.2fx (budget <= 3x) %s\n",
	       ms, mb, ms / mb, ms / mb <= 3.0 ? "OK" : "OVER BUDGET");
	store_close(s);
	mdb_env_close(env);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return 0;
}
