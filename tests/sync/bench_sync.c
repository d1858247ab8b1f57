/*
 * bench_sync: SPEC §10 sync figures, measured in one run.
 *
 *   1. bytes on the wire per register entry, batches of 1,000 (budget
 *      <= 110), beside the uncompressed CBOR size of the same records;
 *   2. district import of 100,000 entries in 100 batches (store_sync_apply
 *      after sync_batch_open: verify, decrypt, decompress, parse, seal,
 *      LMDB) against the raw ceiling in this process: the same verify +
 *      decrypt + decompress, then a bare LMDB put of each record's CBOR, one
 *      durable commit per batch (target: import >= 50% of the ceiling).
 *
 * Entries vary like real ones (names, codes, dates, channels), so the
 * compression figure is not flattered by identical records.
 */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/secret.h"
#include "sync/sync_int.h"

#define PER_BATCH 1000
#define BATCHES 100

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"};
static const char *const middle[] = {"Văn", "Thị", "Đức", "Minh", "Thu", "Quang"};
static const char *const given[] = {"An", "Bình", "Cường", "Dung", "Giang", "Hạnh", "Khánh",
				    "Lan", "Mai", "Nam", "Phúc", "Quyên", "Sơn", "Trang"};
static const char *const proc[] = {"Đăng ký khai sinh", "Chứng thực bản sao",
				   "Đăng ký kết hôn", "Cấp giấy xác nhận tình trạng hôn nhân",
				   "Đăng ký khai tử"};
static const char *const field[] = {"Hộ tịch", "Chứng thực", "Hộ tịch", "Hộ tịch", "Hộ tịch"};
static const char *const villages[] = {"Thôn Tân Lập", "Thôn Cả", "Thôn Mới", "Thôn Cầu Xe",
				       "Thôn Bòng"};

static void entry(struct store_record *r, uint32_t i)
{
	char v[96];
	uint32_t x = i * 2654435761u;
	store_record_init(r);
	store_new_id(r->id);
	snprintf(r->form, sizeof r->form, "so-theo-doi-ho-so");
	r->form_version = 1;
	snprintf(r->unit, sizeof r->unit, "02545");
	snprintf(r->unit_list, sizeof r->unit_list, "GSO-2021");
	r->version = 1 + x % 3;
	r->revision = 1;
	r->created_at = r->changed_at = 1614556800 + (int64_t)i * 137;
	snprintf(r->changed_by, sizeof r->changed_by, "lan");
	snprintf(v, sizeof v, "%u", i + 1);
	kv_set(&r->fields, "so_thu_tu", v);
	snprintf(v, sizeof v, "H59.36-21%02u%02u-%04u", 1 + x % 12, 1 + x % 28, i % 10000);
	kv_set(&r->fields, "ma_ho_so", v);
	kv_set(&r->fields, "thu_tuc", proc[x % 5]);
	kv_set(&r->fields, "linh_vuc", field[x % 5]);
	kv_set(&r->fields, "so_luong", "1");
	snprintf(v, sizeof v, "%s %s %s", family[x % 8], middle[(x >> 3) % 6], given[(x >> 6) % 14]);
	kv_set(&r->fields, "chu_ho_so", v);
	kv_set(&r->fields, "dia_chi", villages[(x >> 9) % 5]);
	snprintf(v, sizeof v, "09%08u", x % 100000000u);
	kv_set(&r->fields, "dien_thoai", v);
	kv_set(&r->fields, "kenh_nop", (x >> 4) % 3 == 0 ? "truc_tuyen" : "truc_tiep");
	kv_set(&r->fields, "kenh_tra", "truc_tiep");
	snprintf(v, sizeof v, "2021-%02u-%02u", 1 + x % 12, 1 + x % 28);
	kv_set(&r->fields, "ngay_tiep_nhan", v);
	snprintf(v, sizeof v, "2021-%02u-%02u", 1 + x % 12, 1 + (x + 3) % 28);
	kv_set(&r->fields, "ngay_hen_tra", v);
	kv_set(&r->fields, "trang_thai", (x >> 5) % 4 ? "da_tra" : "dang_giai_quyet");
	kv_set(&r->fields, "danh_gia", (x >> 7) % 10 ? "hai_long" : "chap_nhan");
}

struct bench {
	uint8_t c_pk[32], c_sk[64], d_box_pk[32], d_box_sk[32];
	uint8_t *files[BATCHES];
	size_t lens[BATCHES];
};

/* The raw ceiling: the same crypto and decompression, then bare puts. */
static double raw_ceiling(struct bench *b, const char *dir)
{
	MDB_env *env;
	MDB_dbi dbi;
	MDB_txn *txn;
	mdb_env_create(&env);
	mdb_env_set_mapsize(env, (size_t)1 << 30);
	if (mdb_env_open(env, dir, 0, 0600) != 0)
		return 0;
	double t0 = now_s();
	for (int i = 0; i < BATCHES; i++) {
		struct sync_batch *bt;
		if (sync_batch_open(b->files[i], b->lens[i], b->c_pk, b->d_box_pk, b->d_box_sk, &bt))
			return 0;
		mdb_txn_begin(env, NULL, 0, &txn);
		if (i == 0)
			mdb_dbi_open(txn, NULL, 0, &dbi);
		for (size_t k = 0; k < bt->n; k++) {
			uint8_t *cb;
			size_t cl;
			store_record_to_cbor(&bt->recs[k], &cb, &cl);
			MDB_val key = {16, bt->recs[k].id}, val = {cl, cb};
			mdb_put(txn, dbi, &key, &val, 0);
			free(cb);
		}
		mdb_txn_commit(txn);
		sync_batch_free(bt);
	}
	double t = now_s() - t0;
	mdb_env_close(env);
	return t;
}

static double district_import(struct bench *b, const char *dir)
{
	struct store *s;
	char rec[STORE_RECOVERY_BUF];
	if (store_create(dir, "admin", "benchmark-pw", NULL, rec, &s) != 0)
		return 0;
	double t0 = now_s();
	for (int i = 0; i < BATCHES; i++) {
		struct sync_batch *bt;
		if (sync_batch_open(b->files[i], b->lens[i], b->c_pk, b->d_box_pk, b->d_box_sk, &bt))
			return 0;
		struct store_sync_batch sb = {bt->id, "02545", bt->h.epoch, bt->h.batch_no,
					      0, bt->recs, bt->n};
		int err = store_sync_apply(s, &sb, NULL);
		sync_batch_free(bt);
		if (err) {
			fprintf(stderr, "bench_sync: apply: %s\n", store_strerror(err));
			return 0;
		}
	}
	double t = now_s() - t0;
	store_close(s);
	return t;
}

int main(void)
{
	char dir[] = "/tmp/cchc-bench-sync-XXXXXX", p1[256], p2[256];
	static struct bench b;
	if (!mkdtemp(dir))
		return 1;
	setenv("CCHC_PWCOST", "min", 1);
	if (secret_init() != 0)
		return 1;
	secret_sign_keypair(b.c_pk, b.c_sk);
	secret_box_keypair(b.d_box_pk, b.d_box_sk);

	size_t raw_bytes = 0, wire = 0;
	struct store_record *recs = calloc(PER_BATCH, sizeof *recs);
	uint8_t prev[32] = {0};
	for (int i = 0; i < BATCHES; i++) {
		for (uint32_t k = 0; k < PER_BATCH; k++) {
			entry(&recs[k], (uint32_t)i * PER_BATCH + k);
			if (i == 0) {
				uint8_t *cb;
				size_t cl;
				store_record_to_cbor(&recs[k], &cb, &cl);
				raw_bytes += cl;
				free(cb);
			}
		}
		struct sync_batch_info info = {"02545", "076", 42, (uint64_t)i + 1, 0, {0},
					       (uint64_t)i * PER_BATCH + 1, (uint64_t)(i + 1) * PER_BATCH};
		memcpy(info.prev_id, prev, 32);
		if (sync_batch_build(&info, recs, PER_BATCH, b.c_sk, b.d_box_pk, &b.files[i], &b.lens[i],
				     prev) != 0)
			return 1;
		if (i == 0)
			wire = b.lens[0];
		for (uint32_t k = 0; k < PER_BATCH; k++)
			store_record_clear(&recs[k]);
	}
	free(recs);
	printf("sync: batch bytes per register entry (batches of 1,000): %.1f B  "
	       "(uncompressed CBOR %.1f B; budget <= 110) %s\n",
	       (double)wire / PER_BATCH, (double)raw_bytes / PER_BATCH,
	       wire <= 110 * PER_BATCH ? "ok" : "OVER");

	snprintf(p1, sizeof p1, "%s/raw", dir);
	snprintf(p2, sizeof p2, "%s/district", dir);
	mkdir(p1, 0700);
	double raw = raw_ceiling(&b, p1), imp = district_import(&b, p2);
	if (raw <= 0 || imp <= 0) {
		fprintf(stderr, "bench_sync: a run failed\n");
		return 1;
	}
	double n = (double)BATCHES * PER_BATCH;
	printf("sync: district import, 100,000 entries in 100 batches: %.0f records/s; raw ceiling "
	       "(verify+decrypt+decompress+LMDB put) %.0f records/s: %.0f%% (target >= 50%%) %s\n",
	       n / imp, n / raw, 100.0 * raw / imp, raw / imp >= 0.5 ? "ok" : "UNDER");
	for (int i = 0; i < BATCHES; i++)
		free(b.files[i]);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
