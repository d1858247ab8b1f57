/*
 * bench_district_ui: the district screens' keys (budget: feels instant,
 * < 100 ms, like the UI's other keys of SPEC §10) on a district node
 * holding 31 communes' reports for 4 periods (a fifth sent twice), then
 * 1,000 communes (a province after 2025, with room).  The real cchc runs
 * a key script headless (--keys) and writes each key's time, handling
 * plus drawing, to $CCHC_TUI_TIMES: F3 opens the board (the desk reads
 * every report revision, then the status of each period), End scrolls it
 * to the last commune, F5 (in a run that opens them first, so that it
 * reads the desk too) opens the indicators (the summary of a period),
 * Enter its first bar chart.  The login before (Argon2id at the node's
 * real cost) is not in these figures.  Medians of RUNS runs.  The nodes
 * are made with the store API (reports arrive through store_sync_apply,
 * as an import writes them), without register entries: the desk reads
 * report revisions only (store_sync_revision_each).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/secret.h"
#include "store/store.h"

#define RUNS 5
#define BUDGET_MS 100.0

static const char *const periods[4] = {"2021-Q1", "2021-H1", "2021-Q3", "2021-Y"};
static const char *const keys_measured[] = {"F3 dhome board", "End board board",
					    "F5 dhome indic", "Enter indic indic"};
#define NKEYS (sizeof keys_measured / sizeof keys_measured[0])

static void set(struct store_record *r, const char *k, long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%ld", v);
	kv_set(&r->fields, k, buf);
}

static void report(struct store_record *r, const uint8_t id[16], const char *unit,
		   const char *period, unsigned rev, unsigned k)
{
	store_record_init(r);
	memcpy(r->id, id, 16);
	snprintf(r->form, sizeof r->form, "bao-cao-cchc");
	r->form_version = 1;
	snprintf(r->unit, sizeof r->unit, "%s", unit);
	snprintf(r->unit_list, sizeof r->unit_list, "GSO-2021");
	snprintf(r->period, sizeof r->period, "%s", period);
	r->state = 2; /* approved */
	r->revision = rev;
	r->version = 3 * rev;
	r->approved_at = 1615000000 + k * 60;
	long on = 20 + k % 17, off = 60 + k % 23, post = 5 + k % 7, carried = 10;
	long total = carried + on + off + post, pending = 15 + k % 5;
	set(r, "tong_tiep_nhan", total), set(r, "ton_ky_truoc", carried);
	set(r, "tiep_nhan_truc_tuyen", on), set(r, "tiep_nhan_truc_tiep", off);
	set(r, "tiep_nhan_buu_chinh", post), set(r, "da_giai_quyet", total - pending);
	set(r, "dang_giai_quyet", pending), set(r, "tthc_mot_cua_tu", 50);
	set(r, "tthc_mot_cua_mau", 50 - (long)(k % 3)), set(r, "ho_so_dien_tu_tu", total - 3);
	set(r, "van_ban_dien_tu_tu", 90 + k % 10), set(r, "van_ban_dien_tu_mau", 100);
	set(r, "ho_so_cong_viec_tu", 40 + k % 20), set(r, "ho_so_cong_viec_mau", 100);
	set(r, "dvc_muc_3_4_tu", 30), set(r, "dvc_muc_3_4_mau", 50), set(r, "dvc_tich_hop_tu", 13);
	set(r, "buu_chinh_tu", post + 10), set(r, "hai_long_tu", 90), set(r, "hai_long_mau", 100);
	set(r, "xin_loi_tu", 3), set(r, "xin_loi_mau", 3);
}

static int apply(struct store *s, const char *unit, uint64_t no, struct store_record *recs,
		 size_t n, int64_t at)
{
	uint8_t id[32];
	secret_random(id, sizeof id);
	struct store_sync_batch b = {id, unit, 1, no, at, recs, n};
	int rc = store_sync_apply(s, &b, NULL);
	for (size_t i = 0; i < n; i++)
		store_record_clear(&recs[i]);
	return rc;
}

/* A district node: every commune's four reports (some after the deadline
 * of 10/03/2021), a fifth of 2021-Q1 sent twice; every seventh commune
 * sent nothing. */
static int make_node(const char *home, const char *agg, char (*units)[8], size_t nu)
{
	char rec[STORE_RECOVERY_BUF], path[600], conf[300];
	struct store *s;
	struct store_record recs[4];
	if (store_create(home, "admin", "bench-admin-pw", NULL, rec, &s) != 0)
		return -1;
	int rc = 0;
	for (size_t c = 0; c < nu && rc == 0; c++) {
		if (c % 7 == 3)
			continue;
		uint8_t ids[4][16];
		for (int p = 0; p < 4; p++) {
			store_new_id(ids[p]);
			report(&recs[p], ids[p], units[c], periods[p], 1, (unsigned)c);
		}
		rc = apply(s, units[c], 1, recs, 4, 1615300000 + (int64_t)c * 300);
		if (rc == 0 && c % 5 == 0) {
			report(&recs[0], ids[0], units[c], periods[0], 2, (unsigned)c + 1);
			rc = apply(s, units[c], 2, recs, 1, 1615400000);
		}
	}
	store_close(s);
	snprintf(path, sizeof path, "%s/node.conf", home);
	snprintf(conf, sizeof conf,
		 "[node]\nkind = district\nunit = %s\nunit_list = GSO-2021\ndistrict = %s\n"
		 "\n[sync]\nserver =\n", agg, agg);
	FILE *f = fopen(path, "w");
	if (!f || fputs(conf, f) < 0 || fclose(f) != 0)
		return -1;
	chmod(path, 0600);
	return rc ? -1 : 0;
}

/* A data directory with the shipped forms and periods and a generated
 * unit list of n communes under a unit "99". */
static int make_datadir(const char *dir, const char *src, size_t n, char (*units)[8])
{
	static const char *const a[] = {"An", "Bình", "Cát", "Đông", "Hòa", "Lạc", "Minh", "Phú",
					"Quang", "Sơn", "Tân", "Thượng", "Trung", "Vĩnh", "Yên"};
	static const char *const sub[] = {"", "/data", "/data/units", "/forms"};
	char path[700], target[700];
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		snprintf(path, sizeof path, "%s%s", dir, sub[i]);
		if (mkdir(path, 0700))
			return -1;
	}
	snprintf(target, sizeof target, "%s/forms/defs", src);
	snprintf(path, sizeof path, "%s/forms/defs", dir);
	if (symlink(target, path))
		return -1;
	snprintf(path, sizeof path, "%s/data/units/bench.csv", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "code,name,kind,parent,valid_from,valid_to,list_version\n"
		   "99,Huyện Thử Nghiệm,Huyện,98,2020-01-01,,GSO-2021\n");
	for (size_t i = 0; i < n; i++) {
		snprintf(units[i], 8, "%05zu", 90000 + i);
		fprintf(f, "%s,Xã %s %s %zu,Xã,99,2020-01-01,,GSO-2021\n", units[i], a[i % 15],
			a[(i / 15) % 15], i / 225);
	}
	return fclose(f);
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* One run of the key script; ms[k] = the time of keys_measured[k]. */
static int run_ui(const char *cchc, const char *home, const char *datadir, const char *keys,
		  const char *times, double ms[NKEYS])
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		setenv("CCHC_TUI_TIMES", times, 1);
		setenv("COLUMNS", "80", 1);
		setenv("LINES", "24", 1);
		if (datadir)
			setenv("CCHC_DATADIR", datadir, 1);
		if (!freopen("/dev/null", "w", stdout))
			_exit(70);
		execl(cchc, cchc, "--home", home, "--keys", keys, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	for (size_t k = 0; k < NKEYS; k++)
		ms[k] = -1;
	char line[256];
	FILE *f = fopen(times, "r");
	while (f && fgets(line, sizeof line, f))
		for (size_t k = 0; k < NKEYS; k++) {
			size_t n = strlen(keys_measured[k]);
			if (strncmp(line, "key ", 4) == 0 && strncmp(line + 4, keys_measured[k], n) == 0 &&
			    line[4 + n] == ' ' && ms[k] < 0)
				ms[k] = atof(line + 4 + n + 1);
		}
	if (f)
		fclose(f);
	for (size_t k = 0; k < NKEYS; k++)
		if (ms[k] < 0)
			return -1;
	return 0;
}

static int bench(const char *cchc, const char *dir, const char *datadir, const char *agg,
		 char (*units)[8], size_t nu)
{
	char home[400], keys[400], times[400];
	snprintf(home, sizeof home, "%s/node-%zu", dir, nu);
	snprintf(keys, sizeof keys, "%s/keys", dir);
	snprintf(times, sizeof times, "%s/times", dir);
	if (make_node(home, agg, units, nu))
		return -1;
	FILE *f = fopen(keys, "w");
	if (!f)
		return -1;
	fputs("type admin\nEnter\ntype bench-admin-pw\nEnter\nF3\nEnd\nEsc\nF5\nEnter\nEsc\nEsc\nF10\n", f);
	fclose(f);
	/* The indicators first too, so that their F5 also reads the desk. */
	char keys2[420];
	snprintf(keys2, sizeof keys2, "%s2", keys);
	if (!(f = fopen(keys2, "w")))
		return -1;
	fputs("type admin\nEnter\ntype bench-admin-pw\nEnter\nF5\nEnter\nEsc\nEsc\nF3\nEnd\nEsc\nF10\n", f);
	fclose(f);
	double v[NKEYS][RUNS], ms[NKEYS], ms2[NKEYS];
	for (int r = 0; r < RUNS; r++) {
		if (run_ui(cchc, home, datadir, keys, times, ms) ||
		    run_ui(cchc, home, datadir, keys2, times, ms2)) {
			fprintf(stderr, "bench_district_ui: the UI run failed (%zu communes)\n", nu);
			return -1;
		}
		for (size_t k = 0; k < NKEYS; k++)
			v[k][r] = k == 2 ? ms2[k] : ms[k];
	}
	static const char *const what[NKEYS] = {
		"F3: open the board (desk read, 4 periods' status)",
		"End: scroll the board to the last commune",
		"F5 first: open the indicators (desk read, summary)",
		"Enter: a rate's bar chart across communes"};
	printf("district UI: %4zu communes x 4 periods\n", nu);
	for (size_t k = 0; k < NKEYS; k++) {
		qsort(v[k], RUNS, sizeof v[k][0], cmp_d);
		double m = v[k][RUNS / 2];
		printf("district UI:   %-52s %7.1f ms%s\n", what[k], m,
		       nu > 31 ? " (no budget)" : m < BUDGET_MS ? " ok (budget < 100)" : " OVER (budget < 100)");
	}
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/cchc-bench-dui-XXXXXX", cchc[4096], dd[600], cmd[700], src[600];
	static char units31[31][8], units1000[1000][8];
	if (!mkdtemp(dir) || secret_init() != 0)
		return 1;
	ssize_t n = readlink("/proc/self/exe", cchc, sizeof cchc - 32);
	if (n <= 0)
		return 1;
	cchc[n] = '\0';
	for (int up = 0; up < 3; up++) /* build/tests/tui/bench_district_ui -> build/cchc */
		*strrchr(cchc, '/') = '\0';
	strcat(cchc, "/cchc");
	FILE *f = fopen("data/units/son-duong-2021.csv", "r");
	char line[256];
	size_t k = 0;
	while (f && fgets(line, sizeof line, f) && k < 31)
		if (strstr(line, ",076,") && strlen(line) > 5 && line[5] == ',')
			memcpy(units31[k], line, 5), units31[k++][5] = '\0';
	if (f)
		fclose(f);
	if (k != 31) {
		fprintf(stderr, "bench_district_ui: run from the source tree (found %zu units)\n", k);
		return 1;
	}
	snprintf(dd, sizeof dd, "%s/data1000", dir);
	if (!getcwd(src, sizeof src) || make_datadir(dd, src, 1000, units1000))
		return 1;
	int rc = bench(cchc, dir, NULL, "076", units31, 31) ||
		 bench(cchc, dir, dd, "99", units1000, 1000);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
