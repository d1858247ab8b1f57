/*
 * tests/forms/test_form_rules.c: broken form files (exact FILE:LINE
 * messages), every rule of the shipped forms passing and failing, draft
 * versus submit, and filling a report from a small register.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "forms/forms.h"

struct msgs {
	char line[64][512];
	int n;
};

static void collect(void *ctx, const char *msg)
{
	struct msgs *m = ctx;
	if (m->n < 64)
		snprintf(m->line[m->n++], sizeof m->line[0], "%s", msg);
}

static int setup(void **state)
{
	const char *d = getenv("CCHC_DATADIR");
	struct forms *fs;
	if (forms_load(d && *d ? d : ".", NULL, &fs) != 0)
		return -1;
	*state = fs;
	return 0;
}

static int teardown(void **state)
{
	forms_free(*state);
	return 0;
}

/* ------------------------------------------------------- broken files */

static const char *head = "form x\nversion 1\ntitle X\nsection s Chung\n"; /* lines 1-4 */

/* Check body (after head) and compare the English messages with want
 * (NULL-terminated, each without the "PATH:" prefix). */
static void expect_errors(const char *body, const char *const *want)
{
	char path[] = "/tmp/forms-bad-XXXXXX.form";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	fputs(head, fp);
	fputs(body, fp);
	fclose(fp);
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};
	int rc = forms_check_file(path, &sink);
	int n = 0;
	while (want[n])
		n++;
	for (int i = 0; i < m.n; i++)
		fprintf(stderr, "got: %s\n", m.line[i]);
	assert_int_equal(rc, n ? FORMS_EPARSE : 0);
	assert_int_equal(m.n, n);
	for (int i = 0; i < n; i++) {
		char full[600];
		snprintf(full, sizeof full, "%s:%s", path, want[i]);
		assert_string_equal(m.line[i], full);
	}
	unlink(path);
}

static void test_bad_type(void **state)
{
	(void)state;
	expect_errors("field a integer\n  label A\nfield b number\n  label B\n  required\n",
		      (const char *const[]){"7: unknown field type 'number' (text, integer, decimal, "
					    "date, choice, yesno, computed)", NULL});
}

static void test_bad_range(void **state)
{
	(void)state;
	expect_errors("field a integer 10..5\n  label A\nfield b integer 1-5\n  label B\n"
		      "field c text 0\n  label C\n",
		      (const char *const[]){"5: bad range '10..5': MIN is greater than MAX",
					    "7: bad range '1-5' (write MIN..MAX)",
					    "9: bad maximum length '0' (1..100000)", NULL});
}

static void test_unknown_field_in_rule(void **state)
{
	(void)state;
	expect_errors("field a integer\n  label A\nrule a <= zz + 1\n  message A quá lớn\n"
		      "rule a * 2 = 4\n",
		      (const char *const[]){"9: bad rule 'a * 2 = 4': unexpected character in "
					    "expression (use numbers, field ids, + - and a comparison)",
					    "7: unknown field 'zz' in rule", NULL});
}

static void test_duplicate_id(void **state)
{
	(void)state;
	expect_errors("field a integer\n  label A\nfield a text\n  label A2\n"
		      "field c choice\n  label C\n  option x X\n  option x Y\n",
		      (const char *const[]){"7: duplicate field id 'a' (first at line 5)",
					    "12: duplicate option code 'x'", NULL});
}

static void test_bad_target(void **state)
{
	(void)state;
	expect_errors("field a integer\n  label A\nfield b integer\n  label B\n"
		      "rate r a / b\n  label R\n  target >= 25\n  target.district = 125%\n"
		      "rate q a / nope\n  label Q\n  target >= 25%\n",
		      (const char *const[]){"11: bad target '>= 25' (write e.g. >= 25%)",
					    "12: bad target '= 125%' (write e.g. >= 25%)",
					    "13: unknown field 'nope' in rate 'q'", NULL});
}

static void test_more_errors(void **state)
{
	(void)state;
	/* Types in rules, computed order, attributes out of place, bad ids. */
	expect_errors("field t text\n  label T\nfield d date\n  label D\nfield n integer\n  label N\n"
		      "field k computed n + later\n  label K\nfield later integer\n  label L\n"
		      "rule t = 1\nrule d < n\nrequired\nfield Bad integer\nfrobnicate\n"
		      "field q yesno\n  label Q\n  required when n = 1\n",
		      (const char *const[]){"17: 'required' must follow a field",
					    "18: bad field id 'Bad' (use lower-case ASCII letters, "
					    "digits and '_')",
					    "19: unknown directive 'frobnicate'",
					    "11: computed field 'k' may only use fields declared above "
					    "it ('later')",
					    "15: field 't' of type text cannot be used in arithmetic",
					    "16: rule mixes dates and numbers", NULL});
}

static void test_good_minimal(void **state)
{
	(void)state;
	expect_errors("field a integer\n  label A\n# a comment\n\n  # indented comment\n",
		      (const char *const[]){NULL});
}

static void test_missing_header(void **state)
{
	(void)state;
	char path[] = "/tmp/forms-bad-XXXXXX.form";
	int fd = mkstemps(path, 5);
	FILE *fp = fdopen(fd, "w");
	fputs("section s S\nfield a integer\n label A\n", fp);
	fclose(fp);
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_VI};
	assert_int_equal(forms_check_file(path, &sink), FORMS_EPARSE);
	assert_int_equal(m.n, 3);
	char want[600];
	snprintf(want, sizeof want, "%s:1: thiếu dòng 'form MÃ'", path);
	assert_string_equal(m.line[0], want);
	unlink(path);
}

/* ------------------------------------------------- the report's rules */

static void set(struct kv *kv, const char *n, const char *v)
{
	assert_int_equal(kv_set(kv, n, v), 0);
}

/* A complete, consistent report. */
static void good_report(struct kv *kv)
{
	static const char *const f[][2] = {
		{"so_ky_hieu", "15/BC-UBND"},	{"ngay_bao_cao", "2021-03-05"},
		{"nguoi_ky", "Nguyễn Văn A"},	 {"chuc_vu_ky", "chu_tich"},
		{"tong_tiep_nhan", "120"},	 {"ton_ky_truoc", "20"},
		{"tiep_nhan_truc_tuyen", "30"},	 {"tiep_nhan_truc_tiep", "60"},
		{"tiep_nhan_buu_chinh", "10"},	 {"da_giai_quyet", "100"},
		{"giai_quyet_truoc_han", "50"},	 {"giai_quyet_dung_han", "45"},
		{"giai_quyet_qua_han", "5"},	 {"dang_giai_quyet", "20"},
		{"dang_trong_han", "18"},	 {"dang_qua_han", "2"},
		{"so_phieu_xin_loi", "7"},	 {"tthc_mot_cua_tu", "50"},
		{"tthc_mot_cua_mau", "50"},	 {"ho_so_dien_tu_tu", "120"},
		{"tthc_cong_khai_tu", "50"},	 {"tthc_cong_khai_mau", "50"},
		{"van_ban_dien_tu_tu", "95"},	 {"van_ban_dien_tu_mau", "100"},
		{"ho_so_cong_viec_tu", "5"},	 {"ho_so_cong_viec_mau", "8"},
		{"dvc_muc_3_4_tu", "13"},	 {"dvc_muc_3_4_mau", "20"},
		{"dvc_tich_hop_tu", "6"},	 {"buu_chinh_tu", "20"},
		{"hai_long_tu", "90"},		 {"hai_long_mau", "95"},
		{"xin_loi_tu", "7"},		 {"xin_loi_mau", "7"},
		{"cai_cach_the_che", "Rà soát 3 văn bản."},
		{"cai_cach_tthc", "Công khai 100% TTHC."},
		{"cai_cach_bo_may", "Ổn định."},
		{"cai_cach_cong_vu", "Không có vi phạm."},
		{"cai_cach_tai_chinh", "Thực hiện tự chủ."},
		{"chinh_quyen_dien_tu", "Dùng chữ ký số."},
		{"chi_dao_dieu_hanh", "Ban hành kế hoạch."},
		{"ton_tai_han_che", "Hạ tầng mạng yếu."},
		{"phuong_huong", "Đẩy mạnh dịch vụ công trực tuyến."},
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		set(kv, f[i][0], f[i][1]);
}

/* Validate and expect exactly one problem, on field, with this vi text. */
static void expect_one(const struct form *fm, const struct kv *kv, const struct kv *prev,
		       enum forms_level lvl, const char *field, const char *vi)
{
	struct form_problems p = FORM_PROBLEMS_INIT;
	int rc = form_validate(fm, kv, prev, lvl, FORMS_CHECK_SUBMIT, &p);
	for (size_t i = 0; i < p.n; i++)
		fprintf(stderr, "problem: %s | %s\n", p.v[i].vi, p.v[i].en);
	assert_int_equal(rc, FORMS_ECHECK);
	assert_int_equal(p.n, 1);
	if (field)
		assert_string_equal(p.v[0].field, field);
	else
		assert_null(p.v[0].field);
	assert_string_equal(p.v[0].vi, vi);
	assert_non_null(p.v[0].en);
	form_problems_free(&p);
}

static void expect_ok(const struct form *fm, const struct kv *kv, const struct kv *prev,
		      enum forms_check mode)
{
	struct form_problems p = FORM_PROBLEMS_INIT;
	int rc = form_validate(fm, kv, prev, FORMS_LEVEL_COMMUNE, mode, &p);
	for (size_t i = 0; i < p.n; i++)
		fprintf(stderr, "problem: %s\n", p.v[i].vi);
	assert_int_equal(rc, 0);
	assert_int_equal(p.n, 0);
	form_problems_free(&p);
}

static void test_report_rules(void **state)
{
	const struct form *r = forms_find(*state, "bao-cao-cchc");
	struct kv kv = KV_INIT, prev = KV_INIT;
	good_report(&kv);
	expect_ok(r, &kv, NULL, FORMS_CHECK_SUBMIT);

	/* total = carried over + new */
	set(&kv, "ton_ky_truoc", "18");
	expect_one(r, &kv, NULL, FORMS_LEVEL_COMMUNE, "tong_tiep_nhan",
		   "Tổng số hồ sơ tiếp nhận (120) phải bằng số từ kỳ trước chuyển sang cộng số mới "
		   "tiếp nhận (118)");
	kv_free(&kv);
	good_report(&kv);
	/* received = resolved + pending */
	set(&kv, "da_giai_quyet", "99");
	set(&kv, "giai_quyet_dung_han", "44");
	expect_one(r, &kv, NULL, FORMS_LEVEL_COMMUNE, "tong_tiep_nhan",
		   "Tổng số hồ sơ tiếp nhận (120) phải bằng số đã giải quyết cộng số đang giải quyết "
		   "(119)");
	kv_free(&kv);
	good_report(&kv);
	/* resolved = early + on time + late */
	set(&kv, "giai_quyet_truoc_han", "1.000");
	struct form_problems p = FORM_PROBLEMS_INIT;
	assert_int_equal(form_validate(r, &kv, NULL, FORMS_LEVEL_COMMUNE, FORMS_CHECK_SUBMIT, &p),
			 FORMS_ECHECK);
	assert_int_equal(p.n, 1); /* "1.000" is not canonical; the rule is skipped */
	assert_string_equal(p.v[0].en, "Resolved early: value \"1.000\" is not in canonical form "
				       "(\"1000\")");
	form_problems_free(&p);
	set(&kv, "giai_quyet_truoc_han", "1000");
	expect_one(r, &kv, NULL, FORMS_LEVEL_COMMUNE, "da_giai_quyet",
		   "Số hồ sơ đã giải quyết (100) phải bằng trước hạn cộng đúng hạn cộng quá hạn "
		   "(1.050)");
	kv_free(&kv);
	good_report(&kv);
	/* pending = in time + overdue */
	set(&kv, "dang_qua_han", "3");
	set(&kv, "xin_loi_mau", "8");
	set(&kv, "xin_loi_tu", "8");
	expect_one(r, &kv, NULL, FORMS_LEVEL_COMMUNE, "dang_giai_quyet",
		   "Số hồ sơ đang giải quyết (20) phải bằng còn trong hạn cộng đã quá hạn (21)");
	kv_free(&kv);
	good_report(&kv);
	/* late base = resolved late + pending overdue */
	set(&kv, "xin_loi_mau", "8");
	expect_one(r, &kv, NULL, FORMS_LEVEL_COMMUNE, "xin_loi_mau",
		   "Số hồ sơ quá hạn (8) phải bằng đã giải quyết quá hạn cộng đang quá hạn (7)");
	kv_free(&kv);
	good_report(&kv);
	/* e-one-stop dossiers <= received (a rate: numerator <= denominator) */
	set(&kv, "ho_so_dien_tu_tu", "121");
	expect_one(r, &kv, NULL, FORMS_LEVEL_COMMUNE, "ho_so_dien_tu_tu",
		   "Tỷ lệ hồ sơ tiếp nhận, giải quyết trên Hệ thống một cửa điện tử: tử số (121) "
		   "không được lớn hơn mẫu số (120)");
	kv_free(&kv);
	good_report(&kv);
	/* integrated <= level 3/4 */
	set(&kv, "dvc_tich_hop_tu", "14");
	expect_one(r, &kv, NULL, FORMS_LEVEL_COMMUNE, "dvc_tich_hop_tu",
		   "Tỷ lệ dịch vụ công trực tuyến mức độ 3, 4 tích hợp Cổng Dịch vụ công quốc gia: "
		   "tử số (14) không được lớn hơn mẫu số (13)");
	kv_free(&kv);
	good_report(&kv);
	/* postal (either way) >= received by post */
	set(&kv, "buu_chinh_tu", "9");
	expect_one(r, &kv, NULL, FORMS_LEVEL_COMMUNE, "buu_chinh_tu",
		   "Số hồ sơ qua bưu chính công ích (9) không được nhỏ hơn số mới tiếp nhận qua "
		   "bưu chính (10)");
	kv_free(&kv);
	good_report(&kv);
	/* numerator <= denominator, for every rate */
	set(&kv, "hai_long_tu", "96");
	expect_one(r, &kv, NULL, FORMS_LEVEL_COMMUNE, "hai_long_tu",
		   "Tỷ lệ hài lòng của người dân, tổ chức: tử số (96) không được lớn hơn mẫu số (95)");
	kv_free(&kv);
	good_report(&kv);
	/* carried over = previous period's pending, only with a previous report */
	set(&prev, "dang_giai_quyet", "20");
	expect_ok(r, &kv, &prev, FORMS_CHECK_SUBMIT);
	set(&prev, "dang_giai_quyet", "25");
	expect_one(r, &kv, &prev, FORMS_LEVEL_COMMUNE, "ton_ky_truoc",
		   "Số hồ sơ từ kỳ trước chuyển sang (20) phải bằng số hồ sơ đang giải quyết của "
		   "báo cáo kỳ trước (25)");
	expect_ok(r, &kv, NULL, FORMS_CHECK_SUBMIT);
	kv_free(&prev);
	kv_free(&kv);
}

static void test_draft_vs_submit(void **state)
{
	const struct form *r = forms_find(*state, "bao-cao-cchc");
	struct kv kv = KV_INIT;
	struct form_problems p = FORM_PROBLEMS_INIT;

	/* Half-filled and inconsistent: fine for a draft. */
	set(&kv, "so_ky_hieu", "15/BC-UBND");
	set(&kv, "tong_tiep_nhan", "5");
	set(&kv, "ton_ky_truoc", "9");
	set(&kv, "tiep_nhan_truc_tuyen", "0");
	set(&kv, "tiep_nhan_truc_tiep", "0");
	set(&kv, "tiep_nhan_buu_chinh", "0");
	expect_ok(r, &kv, NULL, FORMS_CHECK_DRAFT);
	/* A bad value is refused even in a draft. */
	set(&kv, "ngay_bao_cao", "2021-02-31");
	set(&kv, "bogus", "1");
	assert_int_equal(form_validate(r, &kv, NULL, FORMS_LEVEL_COMMUNE, FORMS_CHECK_DRAFT, &p),
			 FORMS_ECHECK);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].vi, "Ngày báo cáo: Ngày không tồn tại: 2021-02-31");
	assert_string_equal(p.v[0].en, "Report date: No such date: 2021-02-31");
	assert_null(p.v[1].field);
	assert_string_equal(p.v[1].en, "The form has no field \"bogus\"");
	form_problems_free(&p);
	kv_del(&kv, "ngay_bao_cao");
	kv_del(&kv, "bogus");
	/* On submit: every missing required field, and the failing sum. */
	assert_int_equal(form_validate(r, &kv, NULL, FORMS_LEVEL_COMMUNE, FORMS_CHECK_SUBMIT, &p),
			 FORMS_ECHECK);
	assert_string_equal(p.v[0].field, "ngay_bao_cao");
	assert_string_equal(p.v[0].vi, "Vui lòng nhập Ngày báo cáo");
	assert_string_equal(p.v[0].en, "Please fill in Report date");
	size_t req = 0, rules = 0;
	for (size_t i = 0; i < p.n; i++) {
		req += strncmp(p.v[i].en, "Please fill in", 14) == 0;
		rules += strstr(p.v[i].en, "must equal") != NULL;
	}
	assert_int_equal(req, p.n - 1);
	assert_int_equal(rules, 1);
	form_problems_free(&p);
	kv_free(&kv);
}

/* ------------------------------------------------ the register's rules */

static void good_entry(struct kv *kv)
{
	set(kv, "ma_ho_so", "000.00.21.H59-210305-0001");
	set(kv, "thu_tuc", "Đăng ký khai sinh");
	set(kv, "linh_vuc", "Hộ tịch");
	set(kv, "chu_ho_so", "Nguyễn Văn A");
	set(kv, "kenh_nop", "truc_tiep");
	set(kv, "ngay_tiep_nhan", "2021-03-05");
	set(kv, "ngay_hen_tra", "2021-03-08");
	set(kv, "trang_thai", "dang_giai_quyet");
}

static void test_register_rules(void **state)
{
	const struct form *g = forms_find(*state, "so-theo-doi-ho-so");
	struct kv kv = KV_INIT;
	good_entry(&kv);
	expect_ok(g, &kv, NULL, FORMS_CHECK_SUBMIT);

	set(&kv, "ngay_hen_tra", "2021-03-04");
	expect_one(g, &kv, NULL, FORMS_LEVEL_COMMUNE, "ngay_hen_tra",
		   "Ngày hẹn trả (04/03/2021) không được trước ngày tiếp nhận (05/03/2021)");
	set(&kv, "ngay_hen_tra", "2021-03-05");
	expect_ok(g, &kv, NULL, FORMS_CHECK_SUBMIT);

	set(&kv, "trang_thai", "da_tra");
	expect_one(g, &kv, NULL, FORMS_LEVEL_COMMUNE, "ngay_tra_ket_qua",
		   "Vui lòng nhập Ngày trả kết quả");
	set(&kv, "ngay_tra_ket_qua", "2021-03-01");
	expect_one(g, &kv, NULL, FORMS_LEVEL_COMMUNE, "ngay_tra_ket_qua",
		   "Ngày trả kết quả (01/03/2021) không được trước ngày tiếp nhận (05/03/2021)");
	set(&kv, "ngay_tra_ket_qua", "2021-03-10");
	expect_ok(g, &kv, NULL, FORMS_CHECK_SUBMIT);

	set(&kv, "xin_loi", "1");
	expect_one(g, &kv, NULL, FORMS_LEVEL_COMMUNE, "ngay_hen_moi", "Vui lòng nhập Ngày hẹn trả mới");
	set(&kv, "ngay_hen_moi", "2021-03-05");
	expect_one(g, &kv, NULL, FORMS_LEVEL_COMMUNE, "ngay_hen_moi",
		   "Ngày hẹn trả mới (05/03/2021) phải sau ngày hẹn trả cũ (05/03/2021)");
	set(&kv, "ngay_hen_moi", "2021-03-09");
	expect_ok(g, &kv, NULL, FORMS_CHECK_SUBMIT);
	/* Without an apology the new date is not checked. */
	set(&kv, "xin_loi", "0");
	set(&kv, "ngay_hen_moi", "2021-03-01");
	expect_ok(g, &kv, NULL, FORMS_CHECK_SUBMIT);

	kv_del(&kv, "chu_ho_so");
	expect_one(g, &kv, NULL, FORMS_LEVEL_COMMUNE, "chu_ho_so",
		   "Vui lòng nhập Tên tổ chức, cá nhân");
	set(&kv, "chu_ho_so", "Trần Thị B");
	set(&kv, "kenh_nop", "fax");
	expect_one(g, &kv, NULL, FORMS_LEVEL_COMMUNE, "kenh_nop",
		   "Hình thức nộp hồ sơ: Không có lựa chọn \"fax\" (chọn một trong: truc_tiep, "
		   "truc_tuyen, buu_chinh)");
	kv_free(&kv);
}

/* --------------------------------------------------------------- fill */

struct entry {
	const char *kenh_nop, *kenh_tra, *rec, *due, *ret, *state, *apology, *rating;
};

static void test_fill(void **state)
{
	const struct forms *fs = *state;
	const struct form *r = forms_find(fs, "bao-cao-cchc");
	const struct forms_period *q1 = forms_period_find(fs, "2021-Q1"); /* 15/12/2020-14/03/2021 */
	static const struct entry e[] = {
		/* carried over, returned early in the window, postal back */
		{"truc_tiep", "buu_chinh", "2020-12-01", "2020-12-20", "2020-12-18", "da_tra", "0", "hai_long"},
		/* returned before the window: not counted at all */
		{"truc_tiep", NULL, "2020-12-01", "2020-12-10", "2020-12-09", "da_tra", "0", NULL},
		/* new online, on time, very satisfied */
		{"truc_tuyen", NULL, "2021-01-04", "2021-01-08", "2021-01-08", "da_tra", "0", "rat_hai_long"},
		/* new in person, late, with apology, not satisfied */
		{"truc_tiep", NULL, "2021-02-01", "2021-02-05", "2021-02-10", "da_tra", "1", "khong_hai_long"},
		/* new by post, pending, overdue (due before 14/03), no apology */
		{"buu_chinh", NULL, "2021-03-01", "2021-03-05", NULL, "dang_giai_quyet", "0", NULL},
		/* new in person, pending, due on the last day: in time */
		{"truc_tiep", NULL, "2021-03-10", "2021-03-14", NULL, "dang_giai_quyet", "0", NULL},
		/* returned after the window: pending at its end, overdue, apology */
		{"truc_tuyen", NULL, "2021-03-01", "2021-03-03", "2021-03-20", "da_tra", "1", NULL},
		/* received after the window: not counted */
		{"truc_tiep", NULL, "2021-03-15", "2021-03-20", NULL, "moi_tiep_nhan", "0", NULL},
		/* refused at the desk and withdrawn: not counted */
		{"truc_tiep", NULL, "2021-01-05", "2021-01-06", NULL, "tu_choi", "0", NULL},
		{"truc_tiep", NULL, "2021-01-05", "2021-01-06", NULL, "rut_ho_so", "0", NULL},
		/* carried over, still pending, in time */
		{"truc_tiep", NULL, "2020-12-14", "2021-06-30", NULL, "cho_bo_sung", "0", NULL},
	};
	enum { N = sizeof e / sizeof e[0] };
	struct kv kv[N];
	const struct kv *ptr[N];
	for (size_t i = 0; i < N; i++) {
		kv[i] = (struct kv)KV_INIT;
		set(&kv[i], "kenh_nop", e[i].kenh_nop);
		if (e[i].kenh_tra)
			set(&kv[i], "kenh_tra", e[i].kenh_tra);
		set(&kv[i], "ngay_tiep_nhan", e[i].rec);
		set(&kv[i], "ngay_hen_tra", e[i].due);
		if (e[i].ret)
			set(&kv[i], "ngay_tra_ket_qua", e[i].ret);
		set(&kv[i], "trang_thai", e[i].state);
		set(&kv[i], "xin_loi", e[i].apology);
		if (e[i].rating)
			set(&kv[i], "danh_gia", e[i].rating);
		ptr[i] = &kv[i];
	}
	struct kv out = KV_INIT;
	set(&out, "so_ky_hieu", "15/BC-UBND");
	assert_int_equal(form_fill(r, q1, ptr, N, &out), 0);
	static const char *const want[][2] = {
		{"tong_tiep_nhan", "7"},     {"ton_ky_truoc", "2"},	   {"tiep_nhan_truc_tuyen", "2"},
		{"tiep_nhan_truc_tiep", "2"}, {"tiep_nhan_buu_chinh", "1"}, {"da_giai_quyet", "3"},
		{"giai_quyet_truoc_han", "1"}, {"giai_quyet_dung_han", "1"}, {"giai_quyet_qua_han", "1"},
		{"dang_giai_quyet", "4"},     {"dang_trong_han", "2"},	   {"dang_qua_han", "2"},
		{"so_phieu_xin_loi", "2"},    {"xin_loi_tu", "2"},	   {"xin_loi_mau", "3"},
		{"buu_chinh_tu", "1"},	      {"hai_long_tu", "2"},	   {"hai_long_mau", "3"},
		{"so_ky_hieu", "15/BC-UBND"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *got = kv_get(&out, want[i][0]);
		if (!got || strcmp(got, want[i][1]) != 0)
			fail_msg("%s: got %s, want %s", want[i][0], got ? got : "(none)", want[i][1]);
	}
	/* The filled figures pass the report's own sums. */
	struct form_problems p = FORM_PROBLEMS_INIT;
	form_validate(r, &out, NULL, FORMS_LEVEL_COMMUNE, FORMS_CHECK_SUBMIT, &p);
	for (size_t i = 0; i < p.n; i++)
		assert_non_null(strstr(p.v[i].en, "Please fill in"));
	form_problems_free(&p);

	/* Streaming gives the same, and a form without fill says so. */
	struct form_fill *fill;
	struct kv out2 = KV_INIT;
	assert_int_equal(form_fill_begin(r, q1, &fill), 0);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(form_fill_add(fill, ptr[i]), 0);
	assert_int_equal(form_fill_end(fill, &out2), 0);
	form_fill_free(fill);
	assert_string_equal(kv_get(&out2, "dang_qua_han"), "2");
	assert_int_equal(form_fill_begin(forms_find(fs, "so-theo-doi-ho-so"), q1, &fill),
			 FORMS_EINVAL);
	assert_null(form_fill_source(forms_find(fs, "so-theo-doi-ho-so")));

	/* Q3 (15/06-14/09): only the four dossiers never returned are in
	 * scope, all carried over; three are overdue by 14/09, the one
	 * waiting for a supplement (fill.paused) is in time. */
	struct kv out3 = KV_INIT;
	assert_int_equal(form_fill(r, forms_period_find(fs, "2021-Q3"), ptr, N, &out3), 0);
	assert_string_equal(kv_get(&out3, "tong_tiep_nhan"), "4");
	assert_string_equal(kv_get(&out3, "ton_ky_truoc"), "4");
	assert_string_equal(kv_get(&out3, "dang_qua_han"), "3");
	assert_string_equal(kv_get(&out3, "dang_trong_han"), "1");
	assert_string_equal(kv_get(&out3, "xin_loi_mau"), "3");
	kv_free(&out3);

	kv_free(&out);
	kv_free(&out2);
	for (size_t i = 0; i < N; i++)
		kv_free(&kv[i]);
}

/* A pending dossier waiting for a supplement (Chờ bổ sung) past its due
 * date counts as in time, not overdue, and not in the apology base. */
static void test_fill_paused(void **state)
{
	const struct forms *fs = *state;
	const struct form *r = forms_find(fs, "bao-cao-cchc");
	const struct forms_period *q1 = forms_period_find(fs, "2021-Q1");
	struct kv e1 = KV_INIT, e2 = KV_INIT, out = KV_INIT;
	set(&e1, "kenh_nop", "truc_tiep");
	set(&e1, "ngay_tiep_nhan", "2021-03-01");
	set(&e1, "ngay_hen_tra", "2021-03-05");
	set(&e1, "trang_thai", "cho_bo_sung");
	set(&e1, "xin_loi", "0");
	/* The same dossier being processed is overdue. */
	set(&e2, "kenh_nop", "truc_tiep");
	set(&e2, "ngay_tiep_nhan", "2021-03-01");
	set(&e2, "ngay_hen_tra", "2021-03-05");
	set(&e2, "trang_thai", "dang_giai_quyet");
	set(&e2, "xin_loi", "0");
	const struct kv *ptr[2] = {&e1, &e2};
	assert_int_equal(form_fill(r, q1, ptr, 2, &out), 0);
	assert_string_equal(kv_get(&out, "dang_giai_quyet"), "2");
	assert_string_equal(kv_get(&out, "dang_trong_han"), "1");
	assert_string_equal(kv_get(&out, "dang_qua_han"), "1");
	assert_string_equal(kv_get(&out, "xin_loi_mau"), "1");
	kv_free(&out);
	kv_free(&e1);
	kv_free(&e2);
}

static void test_fill_paused_bad(void **state)
{
	(void)state;
	expect_errors("field a integer\n  label A\nfill.source so-theo-doi-ho-so\n"
		      "fill.dates received=a due=a returned=a\nfill.paused trang_thai\n"
		      "fill a pending\n",
		      (const char *const[]){"9: bad condition 'trang_thai'", NULL});
}

/* "MIN..today": a received date after today (Vietnam time, $CCHC_NOW in
 * test builds) is refused with a sentence naming today; today itself and
 * earlier days pass, and the bound moves with the clock. */
static void test_date_not_after_today(void **state)
{
	const struct form *f = forms_find(*state, "so-theo-doi-ho-so");
	assert_non_null(f);
	const struct form_field *fl = form_field_find(f, "ngay_tiep_nhan");
	assert_non_null(fl);
	char *canon = NULL, *why = NULL;
	setenv("CCHC_NOW", "2021-03-10T23:30", 1);
	assert_int_equal(form_field_normalize(fl, "10/03/2021", FORMS_LANG_VI, &canon, &why), 0);
	assert_string_equal(canon, "2021-03-10");
	free(canon);
	canon = NULL;
	assert_int_not_equal(form_field_normalize(fl, "11/03/2021", FORMS_LANG_VI, &canon, &why), 0);
	assert_null(canon);
	assert_non_null(strstr(why, "sau hôm nay (10/03/2021)"));
	free(why);
	why = NULL;
	int64_t lo, hi;
	assert_int_equal(form_field_range(fl, &lo, &hi), 0);
	setenv("CCHC_NOW", "2021-03-11T00:10", 1);
	int64_t lo2, hi2;
	assert_int_equal(form_field_range(fl, &lo2, &hi2), 0);
	assert_int_equal(hi2, hi + 1);
	assert_int_equal(form_field_normalize(fl, "11/03/2021", FORMS_LANG_EN, &canon, &why), 0);
	free(canon);
	unsetenv("CCHC_NOW");
	/* The due date keeps its fixed range. */
	const struct form_field *due = form_field_find(f, "ngay_hen_tra");
	canon = NULL;
	assert_int_equal(form_field_normalize(due, "31/12/2099", FORMS_LANG_VI, &canon, &why), 0);
	free(canon);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_type),
		cmocka_unit_test(test_bad_range),
		cmocka_unit_test(test_unknown_field_in_rule),
		cmocka_unit_test(test_duplicate_id),
		cmocka_unit_test(test_bad_target),
		cmocka_unit_test(test_more_errors),
		cmocka_unit_test(test_good_minimal),
		cmocka_unit_test(test_missing_header),
		cmocka_unit_test(test_report_rules),
		cmocka_unit_test(test_draft_vs_submit),
		cmocka_unit_test(test_register_rules),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_fill_paused),
		cmocka_unit_test(test_fill_paused_bad),
		cmocka_unit_test(test_date_not_after_today),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
