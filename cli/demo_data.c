/*
 * cli/demo_data.c: what the demo holds, made from a fixed seed (so
 * `cchc demo --reset` twice gives the same counts), and entered through
 * the steps of `cchc record` (cli/records.h): forms normalize and check
 * every value, reports are filled from the register, submitted by the
 * officer and approved by the leader.
 *
 * Time line of a commune in period p (all Vietnam time, 2021):
 *   register entries received in [seg_from, seg_to), each saved with the
 *   clock at its last event (receipt, or return of the result), every
 *   date of it before the report is filled;
 *   fill_at: the officer makes the report, fills it from the register and
 *   writes the indicators and the narrative, then submits it;
 *   approve_at: the leader approves it; seal_at: the session seals it;
 *   recv_at: the district receives the batch (imported in demo_build.c).
 * The next segment starts the day after the period's data window, so no
 * entry dated inside a window is made after that window's report: each
 * report's figures equal its commune's register counts for the window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_sync.h"
#include "cli/demo.h"
#include "cli/records.h"
#include "core/vnfmt.h"
#include "forms/forms.h"

const char *const demo_period_ids[DEMO_NPERIODS] = {"2021-Q1", "2021-H1", "2021-Q3"};

/* Reports per period that never reach the district, and that come late
 * (Tân Trào's 2021-Q3 is one of the missing: the trainer makes it). */
static const int n_missing[DEMO_NPERIODS] = {2, 2, 3};
static const int n_late[DEMO_NPERIODS] = {5, 4, 6};

/* splitmix64: small, fast, and the same on every machine. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *r, uint32_t upper)
{
	r->s = mix(r->s);
	return upper ? (uint32_t)(r->s % upper) : 0;
}

static int64_t at_day(int32_t day, int hour, int minute)
{
	return vn_date_start(vn_date_from_days(day)) + hour * 3600 + minute * 60;
}

static int32_t day_of(struct vn_date d)
{
	return vn_date_days(d);
}

static int weekday(int32_t day) /* 0 Sunday .. 6 Saturday */
{
	return (int)(((day % 7) + 11) % 7);
}

/* Commune k's outcome in period p: the communes ranked by a seeded key,
 * the first missing, the next late; Tân Trào on time but its 2021-Q3
 * missing.  *key: k's key (the seed of its times). */
static int plan_outcome(size_t k, size_t n, size_t main, int p, uint64_t *key)
{
	uint64_t v[DEMO_MAX_COMMUNES];
	for (size_t i = 0; i < n; i++)
		v[i] = mix(DEMO_SEED ^ ((uint64_t)(p + 1) << 40) ^ i);
	v[main] = p == DEMO_NPERIODS - 1 ? 0 : UINT64_MAX;
	int rank = 0;
	for (size_t i = 0; i < n; i++)
		rank += v[i] < v[k] || (v[i] == v[k] && i < k);
	*key = v[k];
	return rank < n_missing[p]               ? DEMO_MISSING
	       : rank < n_missing[p] + n_late[p] ? DEMO_LATE
	                                         : DEMO_ON_TIME;
}

void demo_plan(const struct cli *c, size_t k, size_t n, size_t main, int p, struct demo_step *out)
{
	const struct forms_period *per = forms_period_find(c->forms, demo_period_ids[p]);
	uint64_t key;
	out->outcome = plan_outcome(k, n, main, p, &key);
	struct rng r = {key ^ 0x5eedull};
	/* The deadline is 00:00 of its day (exclusive) or of the next. */
	int32_t dl = (int32_t)((forms_period_deadline(per) + VN_UTC_OFFSET) / 86400);
	int32_t win_to = day_of(forms_period_data_to(per));
	/* Q1 and Q3 start with their windows; H1's entries start the day
	 * after Q1's window (the earlier ones are Q1's). */
	if (p == 1)
		out->seg_from =
		    day_of(forms_period_data_to(forms_period_find(c->forms, demo_period_ids[0]))) +
		    1;
	else
		out->seg_from = day_of(forms_period_data_from(per));
	int32_t fill;
	if (out->outcome == DEMO_ON_TIME) {
		fill = dl - 9 + (int32_t)rnd(&r, 6);
		out->fill_at = at_day(fill, 8, (int)rnd(&r, 50));
		int32_t appr = fill + (int32_t)rnd(&r, 2);
		out->approve_at = at_day(appr, 15, (int)rnd(&r, 50));
		/* Sent that afternoon or within two working days, in office hours. */
		int32_t recv = appr + (int32_t)rnd(&r, 3);
		out->recv_at = recv == appr ? out->approve_at + 1800 + 60 * (int64_t)rnd(&r, 40)
		                            : at_day(recv, 8 + (int)rnd(&r, 8), (int)rnd(&r, 60));
		if (out->recv_at >= at_day(dl, 0, 0))
			out->recv_at = at_day(dl - 1, 16, 30 + (int)rnd(&r, 20));
	} else if (out->outcome == DEMO_LATE) {
		fill = dl - 4 + (int32_t)rnd(&r, 6);
		int32_t recv = dl + (int32_t)rnd(&r, 7);
		int32_t appr = fill + (int32_t)rnd(&r, 2);
		if (appr > recv)
			appr = recv;
		out->fill_at = at_day(fill, 8, (int)rnd(&r, 50));
		out->approve_at = at_day(appr, 14, (int)rnd(&r, 50));
		out->recv_at = at_day(recv, 16, 10 + (int)rnd(&r, 40));
	} else {
		fill = dl + 4;
		out->fill_at = out->approve_at = at_day(fill, 16, 0);
		out->recv_at = at_day(fill + 1, 10, (int)rnd(&r, 50));
	}
	if (fill > win_to + 1)
		fill = win_to + 1;
	out->seg_to = fill;
	out->seal_at = out->approve_at + 300;
}

/* ---- register entries */

static const struct proc {
	const char *name, *field;
	int due_days; /* working days; 0: the same day */
	int weight;
} procs[] = {
    {"Đăng ký khai sinh", "Hộ tịch", 0, 14},
    {"Đăng ký khai tử", "Hộ tịch", 0, 5},
    {"Đăng ký kết hôn", "Hộ tịch", 0, 6},
    {"Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 3, 8},
    {"Đăng ký nhận cha, mẹ, con", "Hộ tịch", 3, 1},
    {"Cấp bản sao trích lục hộ tịch", "Hộ tịch", 0, 4},
    {"Thay đổi, cải chính, bổ sung thông tin hộ tịch", "Hộ tịch", 3, 2},
    {"Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực", 0, 18},
    {"Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", 0, 6},
    {"Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", "Chứng thực", 2, 3},
    {"Chứng thực văn bản thỏa thuận phân chia di sản", "Chứng thực", 3, 2},
    {"Đăng ký đất đai, tài sản gắn liền với đất lần đầu", "Đất đai", 20, 4},
    {"Xác nhận hiện trạng sử dụng đất", "Đất đai", 5, 3},
    {"Hòa giải tranh chấp đất đai", "Đất đai", 30, 1},
    {"Đăng ký thường trú", "Cư trú", 7, 6},
    {"Đăng ký tạm trú", "Cư trú", 3, 4},
    {"Khai báo tạm vắng", "Cư trú", 1, 2},
    {"Trợ cấp xã hội hằng tháng đối với người cao tuổi", "Bảo trợ xã hội", 15, 2},
    {"Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Bảo trợ xã hội", 5, 1},
    {"Xác nhận đơn đề nghị hỗ trợ sản xuất nông nghiệp", "Nông nghiệp", 5, 2},
};
#define N_PROCS (sizeof procs / sizeof procs[0])

static const char *const surnames[] = {"Nguyễn", "Trần", "Lê",   "Phạm", "Hoàng", "Vũ",
                                       "Đặng",   "Bùi",  "Đỗ",   "Hà",   "Ma",    "Lý",
                                       "Triệu",  "Nông", "Đinh", "Dương"};
static const char *const given[] = {"Văn An",   "Thị Bình",  "Văn Cường", "Thị Dung",  "Văn Đức",
                                    "Thị Hoà",  "Văn Giang", "Thị Hạnh",  "Văn Khánh", "Thị Lan",
                                    "Văn Minh", "Thị Nga",   "Văn Phúc",  "Thị Quỳnh", "Văn Sơn",
                                    "Thị Thuỷ", "Đức Thắng", "Thị Yến",   "Quang Huy", "Thu Trang",
                                    "Văn Tuấn", "Thị Mai",   "Minh Hiếu", "Thị Ánh"};
static const char *const villages_main[] = {"Tân Lập",    "Cả",        "Mới",  "Bòng",
                                            "Vĩnh Tân",   "Lũng Búng", "Thia", "Cây Xi",
                                            "Khuôn Pồng", "Tiền Phong"};
static const char *const villages[] = {"Đồng Tâm",   "Tân Thành",  "Làng Hào", "Cầu Trắng",
                                       "Gia Nghĩa",  "Đồng Bừa",   "Khuân Lù", "Hợp Hòa",
                                       "Liên Thành", "Quyết Thắng"};
#define LEN(a) (sizeof a / sizeof a[0])

static int32_t add_workdays(int32_t day, int n)
{
	while (n > 0) {
		day++;
		if (weekday(day) != 0 && weekday(day) != 6)
			n--;
	}
	return day;
}

/* "F=V" texts of one entry, in buf (each sets[i] points into it). */
struct sets {
	char *v[24];
	int n;
	char buf[2048];
	size_t used;
};

static void put(struct sets *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sets *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(s->buf + s->used, sizeof s->buf - s->used, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= sizeof s->buf - s->used || s->n == (int)LEN(s->v))
		return;
	s->v[s->n++] = s->buf + s->used;
	s->used += (size_t)w + 1;
}

static void put_date(struct sets *s, const char *field, int32_t day)
{
	char d[VN_DATE_BUF];
	vn_date_iso(vn_date_from_days(day), d);
	put(s, "%s=%s", field, d);
}

static const struct proc *pick_proc(struct rng *r)
{
	int total = 0;
	for (size_t i = 0; i < N_PROCS; i++)
		total += procs[i].weight;
	int x = (int)rnd(r, (uint32_t)total);
	for (size_t i = 0; i < N_PROCS; i++)
		if ((x -= procs[i].weight) < 0)
			return &procs[i];
	return &procs[0];
}

/* One dossier received on day recv, entered before day cutoff: its fields
 * in *s, and the clock it is saved with in *at. */
static void make_entry(struct rng *r, const struct cli *c, int is_main, int32_t recv,
                       int32_t cutoff, int no, struct sets *s, int64_t *at)
{
	const struct proc *pr = pick_proc(r);
	struct vn_date rd = vn_date_from_days(recv);
	int32_t due = add_workdays(recv, pr->due_days);
	put(s, "so_thu_tu=%d", no);
	put(s, "ma_ho_so=H59.36.%s-%02d%02d%02d-%04d", c->conf.unit, rd.y % 100, rd.m, rd.d, no);
	put(s, "thu_tuc=%s", pr->name);
	put(s, "linh_vuc=%s", pr->field);
	put(s, "so_luong=%d", rnd(r, 10) == 0 ? 2 : 1);
	put(s, "chu_ho_so=%s %s", surnames[rnd(r, LEN(surnames))], given[rnd(r, LEN(given))]);
	if (is_main)
		put(s, "dia_chi=Thôn %s, xã Tân Trào", villages_main[rnd(r, LEN(villages_main))]);
	else
		put(s, "dia_chi=Thôn %s", villages[rnd(r, LEN(villages))]);
	put(s, "dien_thoai=09%08u", rnd(r, 100000000));
	uint32_t ch = rnd(r, 100);
	const char *in = ch < 30 ? "truc_tuyen" : ch < 42 ? "buu_chinh" : "truc_tiep";
	uint32_t co = rnd(r, 100);
	put(s, "kenh_nop=%s", in);
	put(s, "kenh_tra=%s", co < 10 ? "buu_chinh" : co < 18 ? "truc_tuyen" : "truc_tiep");
	put_date(s, "ngay_tiep_nhan", recv);
	put_date(s, "ngay_hen_tra", due);
	uint32_t fate = rnd(r, 100);
	int32_t ret;
	if (fate < 9)
		ret = due + 1 + (int32_t)rnd(r, 5); /* late */
	else if (fate < 40 || pr->due_days == 0)
		ret = due;
	else
		ret = due - 1 - (int32_t)rnd(r, (uint32_t)(pr->due_days < 4 ? pr->due_days : 4));
	if (ret < recv)
		ret = recv;
	int late = ret > due;
	*at = at_day(recv, 7 + (int)rnd(r, 9), (int)rnd(r, 60));
	if (fate == 99) {
		put(s, "trang_thai=tu_choi");
		put(s, "ghi_chu=Hồ sơ không thuộc thẩm quyền giải quyết của xã; đã hướng dẫn công "
		       "dân");
		return;
	}
	if (ret < cutoff) {
		put(s, "trang_thai=%s", fate == 98 ? "khong_giai_quyet" : "da_tra");
		put_date(s, "ngay_tra_ket_qua", ret);
		uint32_t sat = rnd(r, 100);
		if (sat < 70)
			put(s, "danh_gia=%s",
			    sat < 22   ? "rat_hai_long"
			    : sat < 66 ? "hai_long"
			               : "khong_hai_long");
		*at = at_day(ret, 8 + (int)rnd(r, 8), (int)rnd(r, 60));
	} else {
		uint32_t st = rnd(r, 10);
		put(s, "trang_thai=%s",
		    st == 0   ? "cho_bo_sung"
		    : st == 1 ? "cho_tra"
		              : "dang_giai_quyet");
		late = due < cutoff - 1;
	}
	if (late && rnd(r, 10) < 7) {
		put(s, "xin_loi=1");
		put_date(s, "ngay_hen_moi", (ret > due ? ret : due) + 1 + (int32_t)rnd(r, 3));
	}
}

/* Entries per working day: Tân Trào's register is the one a trainer
 * opens, so it is fuller. */
static int entries_on(struct rng *r, int is_main, int32_t day)
{
	int wd = weekday(day);
	if (wd == 0 || (wd == 6 && rnd(r, 3)))
		return 0;
	int x = (int)rnd(r, 100);
	return is_main ? (x < 15 ? 0 : x < 55 ? 1 : x < 85 ? 2 : 3) : (x < 64 ? 0 : x < 96 ? 1 : 2);
}

struct order {
	int64_t at;
	int32_t recv;
	int no;
	uint64_t seed;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

static int enter_register(struct cli *c, const struct form *reg, int is_main, int p,
                          const struct demo_step *st, struct rng *r, int *no)
{
	size_t cap = (size_t)(st->seg_to - st->seg_from) * 4 + 4, n = 0;
	struct order *o = calloc(cap, sizeof *o);
	if (!o)
		return EXIT_SOFTWARE;
	/* Numbered in order of receipt, saved in order of the clock. */
	for (int32_t day = st->seg_from; day < st->seg_to; day++) {
		for (int e = entries_on(r, is_main, day); e > 0 && n < cap; e--) {
			o[n] =
			    (struct order){0, day, ++*no, mix(r->s ^ (uint64_t)*no ^ (uint64_t)p)};
			struct rng er = {o[n].seed};
			struct sets s = {.n = 0};
			make_entry(&er, c, is_main, day, st->seg_to, o[n].no, &s, &o[n].at);
			n++;
		}
	}
	qsort(o, n, sizeof *o, cmp_order);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct rng er = {o[i].seed};
		struct sets s = {.n = 0};
		int64_t at;
		make_entry(&er, c, is_main, o[i].recv, st->seg_to, o[i].no, &s, &at);
		vn_clock_set(at);
		struct store_record rec;
		store_record_init(&rec);
		rc = rec_create(c, reg, NULL, s.v, s.n, &rec);
		store_record_clear(&rec);
	}
	free(o);
	return rc;
}

/* ---- reports */

static int login_as(struct cli *c, const char *user, int role)
{
	if (c->store)
		store_logout(c->store);
	c->user = user;
	return cli_login(c, ROLE(role));
}

/* The report's own figures (the plan's indicators) and narrative. */
static void report_sets(struct rng *r, const struct cli *c, int p, long received, struct sets *s)
{
	int mc = 96 + (int)rnd(r, 24), ck = mc, vb = 150 + (int)rnd(r, 120);
	int hs = 60 + (int)rnd(r, 50), dv = 80 + (int)rnd(r, 16);
	int dv_tu = dv * (60 + (int)rnd(r, 25)) / 100;
	put(s, "tthc_mot_cua_mau=%d", mc);
	put(s, "tthc_mot_cua_tu=%d", rnd(r, 8) ? mc : mc - 1 - (int)rnd(r, 3));
	put(s, "tthc_cong_khai_mau=%d", ck);
	put(s, "tthc_cong_khai_tu=%d", rnd(r, 6) ? ck : ck - 1 - (int)rnd(r, 4));
	put(s, "ho_so_dien_tu_tu=%ld",
	    received - (long)(rnd(r, 4) ? 0 : rnd(r, 3) % (received + 1)));
	put(s, "van_ban_dien_tu_mau=%d", vb);
	put(s, "van_ban_dien_tu_tu=%d", vb * (90 + (int)rnd(r, 10)) / 100);
	put(s, "ho_so_cong_viec_mau=%d", hs);
	put(s, "ho_so_cong_viec_tu=%d", hs * (38 + (int)rnd(r, 30)) / 100);
	put(s, "dvc_muc_3_4_mau=%d", dv);
	put(s, "dvc_muc_3_4_tu=%d", dv_tu);
	put(s, "dvc_tich_hop_tu=%d", dv_tu * (30 + (int)rnd(r, 25)) / 100);
	put(s,
	    "cai_cach_the_che=Rà soát %d văn bản quy phạm pháp luật do xã ban hành; không có "
	    "văn bản trái pháp luật.",
	    3 + (int)rnd(r, 8));
	put(s,
	    "cai_cach_tthc=Niêm yết công khai %d thủ tục hành chính tại Bộ phận Một cửa và trên "
	    "Cổng thông tin điện tử.",
	    ck);
	put(s,
	    "cai_cach_bo_may=Kiện toàn Bộ phận Một cửa; phân công %d công chức trực tiếp nhận "
	    "hồ sơ.",
	    2 + (int)rnd(r, 3));
	put(s, "cai_cach_cong_vu=Cử %d lượt cán bộ, công chức tham gia bồi dưỡng kỹ năng số.",
	    2 + (int)rnd(r, 6));
	put(s, "cai_cach_tai_chinh=Thực hiện tự chủ kinh phí quản lý hành chính theo quy định.");
	put(s, "chinh_quyen_dien_tu=Văn bản đi được ký số và gửi trên môi trường điện tử; sử dụng "
	       "hệ thống thông tin một cửa điện tử của tỉnh.");
	put(s,
	    "chi_dao_dieu_hanh=Ban hành Kế hoạch cải cách hành chính năm 2021 và báo cáo %s "
	    "đúng quy định.",
	    p == 0   ? "quý I"
	    : p == 1 ? "6 tháng"
	             : "quý III");
	put(s, "ton_tai_han_che=Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng chưa đạt chỉ "
	       "tiêu; đường truyền còn chậm.");
	put(s, "nguyen_nhan=Máy tính cũ; một số cán bộ chưa thành thạo phần mềm.");
	put(s, "phuong_huong=Đẩy mạnh tiếp nhận hồ sơ trực tuyến mức độ 3, 4; hướng dẫn người "
	       "dân nộp hồ sơ qua bưu chính công ích.");
	put(s, "kien_nghi=Đề nghị huyện hỗ trợ nâng cấp đường truyền cho xã %s.", c->conf.unit);
}

static int make_report(struct cli *c, const struct form *f, int p, const struct demo_step *st,
                       struct rng *r)
{
	struct store_record rec;
	struct kv figures = KV_INIT;
	struct sets s = {.n = 0};
	struct vn_date fd = vn_date_of(st->fill_at);
	int next, rc;
	size_t entries;
	store_record_init(&rec);
	vn_clock_set(st->fill_at);
	put(&s, "so_ky_hieu=%d/BC-UBND", 8 + p * 30 + (int)rnd(r, 20));
	put(&s, "ngay_bao_cao=%04d-%02d-%02d", fd.y, fd.m, fd.d);
	put(&s, "nguoi_lap=%s %s", surnames[rnd(r, LEN(surnames))], given[rnd(r, LEN(given))]);
	put(&s, "nguoi_ky=%s %s", surnames[rnd(r, LEN(surnames))], given[rnd(r, LEN(given))]);
	put(&s, "chuc_vu_ky=%s", rnd(r, 4) ? "chu_tich" : "pho_chu_tich");
	if ((rc = rec_create(c, f, demo_period_ids[p], s.v, s.n, &rec)) ||
	    (rc = rec_step_check(c, f, &rec, FORM_STEP_SAVE, &next)))
		goto out;
	vn_clock_set(st->fill_at + 600);
	if ((rc = rec_fill(c, f, &rec, next, &figures, &entries)))
		goto out;
	const char *tot = kv_get(&rec.fields, "tong_tiep_nhan");
	struct sets ind = {.n = 0};
	report_sets(r, c, p, tot ? atol(tot) : 0, &ind);
	vn_clock_set(st->fill_at + 5400);
	if ((rc = rec_set_fields(c, f, &rec, next, ind.v, ind.n)))
		goto out;
	vn_clock_set(st->fill_at + 7200);
	if ((rc = rec_step_check(c, f, &rec, FORM_STEP_SUBMIT, &next)) ||
	    (rc = rec_step_take(c, f, &rec, FORM_STEP_SUBMIT, next)))
		goto out;
	vn_clock_set(st->approve_at);
	if ((rc = login_as(c, "lanhdao", STORE_ROLE_LANHDAO)) ||
	    (rc = rec_step_check(c, f, &rec, FORM_STEP_APPROVE, &next)) ||
	    (rc = rec_step_take(c, f, &rec, FORM_STEP_APPROVE, next)))
		goto out;
out:
	kv_free(&figures);
	store_record_clear(&rec);
	return rc;
}

int demo_fill_period(struct cli *c, size_t k, int is_main, int p, const struct demo_step *st,
                     int *numbered)
{
	struct rng r = {mix(DEMO_SEED ^ ((uint64_t)k << 20) ^ (uint64_t)p)};
	const struct form *reg = forms_find(c->forms, "so-theo-doi-ho-so");
	const struct form *rep = forms_find(c->forms, "bao-cao-cchc");
	if (!reg || !rep) {
		cli_err(c, MSG_E_FORMS_DAMAGED, c->datadir);
		return EXIT_CONFIG;
	}
	vn_clock_set(at_day(st->seg_from, 7, 30));
	int rc = login_as(c, "canbo", STORE_ROLE_CANBO);
	if (!rc)
		rc = enter_register(c, reg, is_main, p, st, &r, numbered);
	if (!rc && st->outcome != DEMO_MISSING)
		rc = make_report(c, rep, p, st, &r);
	if (rc)
		return rc;
	/* Leaving the session seals what waits (SPEC §8). */
	vn_clock_set(st->seal_at);
	cli_sync_after_save(c);
	return 0;
}
