/*
 * tests/forms/test_forms.c: loading the shipped data, field values
 * (normalize, display), rates, periods and deadlines, units.
 * Data files are found under $CCHC_DATADIR (the repo root; "." if unset).
 */
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

#include "core/vnfmt.h"
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

static const char *datadir(void)
{
	const char *d = getenv("CCHC_DATADIR");
	return d && *d ? d : ".";
}

static int setup(void **state)
{
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};
	struct forms *fs = NULL;
	int rc = forms_load(datadir(), &sink, &fs);
	for (int i = 0; i < m.n; i++)
		fprintf(stderr, "%s\n", m.line[i]);
	if (rc != 0)
		return -1;
	*state = fs;
	return 0;
}

static int teardown(void **state)
{
	forms_free(*state);
	return 0;
}

static void test_load_shipped(void **state)
{
	const struct forms *fs = *state;
	assert_int_equal(forms_count(fs), 2);
	const struct form *r = forms_find(fs, "bao-cao-cchc");
	assert_non_null(r);
	assert_int_equal(form_kind(r), FORM_KIND_REPORT);
	assert_int_equal(form_version(r), 1);
	assert_ptr_equal(forms_find_version(fs, "bao-cao-cchc", 1), r);
	assert_null(forms_find_version(fs, "bao-cao-cchc", 2));
	assert_null(forms_find(fs, "khong-co"));
	assert_string_equal(form_title(r, FORMS_LANG_VI),
			    "Báo cáo kết quả thực hiện công tác cải cách hành chính");
	assert_int_equal(form_section_count(r), 6);
	assert_int_equal(form_rate_count(r), 11);
	assert_string_equal(form_fill_source(r), "so-theo-doi-ho-so");

	const struct form_field *fl = form_field_find(r, "chuc_vu_ky");
	assert_int_equal(form_field_type(fl), FORM_CHOICE);
	assert_int_equal(form_field_choice_count(fl), 3);
	assert_string_equal(form_field_choice_code(fl, 1), "pho_chu_tich");
	assert_string_equal(form_field_choice_label(fl, 1, FORMS_LANG_VI), "Phó Chủ tịch");
	assert_int_equal(form_field_required(fl), 1);
	fl = form_field_find(r, "so_ky_hieu");
	assert_int_equal(form_field_maxlen(fl), 50);
	fl = form_field_find(r, "tiep_nhan_moi");
	assert_int_equal(form_field_type(fl), FORM_COMPUTED);
	assert_string_equal(form_field_expr(fl),
			    "tiep_nhan_truc_tuyen + tiep_nhan_truc_tiep + tiep_nhan_buu_chinh");
	assert_true(form_field_multiline(form_field_find(r, "cai_cach_the_che")));

	const struct form_rate *rt = form_rate_find(r, "ty_le_ho_so_cong_viec");
	assert_string_equal(form_rate_target_text(rt, FORMS_LEVEL_COMMUNE), ">= 50%");
	assert_string_equal(form_rate_target_text(rt, FORMS_LEVEL_DISTRICT), ">= 62%");
	assert_true(form_rate_scoped(rt));
	rt = form_rate_find(r, "ty_le_truc_tuyen");
	assert_string_equal(form_rate_numerator(rt), "tiep_nhan_truc_tuyen");
	assert_string_equal(form_rate_denominator(rt), "tiep_nhan_moi");
	assert_string_equal(form_rate_target_text(rt, FORMS_LEVEL_COMMUNE), ">= 25%");
	assert_false(form_rate_scoped(rt));
	assert_string_equal(form_rate_target_text(form_rate_find(r, "ty_le_mot_cua"),
						  FORMS_LEVEL_COMMUNE), "= 100%");

	const struct form *g = forms_find(fs, "so-theo-doi-ho-so");
	assert_int_equal(form_kind(g), FORM_KIND_REGISTER);
	assert_int_equal(form_check_on_save(g), FORMS_CHECK_SUBMIT);
	assert_int_equal(form_check_on_save(r), FORMS_CHECK_DRAFT);
	assert_int_equal(form_field_required(form_field_find(g, "ngay_hen_moi")), 2);
}

static void test_units(void **state)
{
	const struct forms *fs = *state;
	/* 31 communes, the district and (since the lists record parents) the province. */
	assert_int_equal(forms_unit_count(fs), 33);
	assert_string_equal(forms_unit_short_name(forms_unit_at(fs, 0)), "Bình Yên");
	assert_string_equal(forms_unit_short_name(forms_unit_at(fs, 4)), "Đông Lợi");
	assert_string_equal(forms_unit_short_name(forms_unit_at(fs, 5)), "Đông Thọ");
	assert_string_equal(forms_unit_short_name(forms_unit_at(fs, 6)), "Đồng Quý");
	assert_string_equal(forms_unit_short_name(forms_unit_at(fs, 29)), "Tuyên Quang");
	assert_string_equal(forms_unit_short_name(forms_unit_at(fs, 32)), "Vĩnh Lợi");
	const struct forms_unit *u = forms_unit_find(fs, "02545", NULL);
	assert_non_null(u);
	assert_string_equal(forms_unit_name(u), "Xã Tân Trào");
	assert_string_equal(forms_unit_kind(u), "Xã");
	assert_string_equal(forms_unit_parent(u), "076");
	assert_string_equal(forms_unit_list_version(u), "GSO-2021");
	assert_int_equal(forms_unit_level(u), FORMS_LEVEL_COMMUNE);
	assert_int_equal(forms_unit_valid_from(u).y, 2020);
	/* Ended with the 2025 reform (no district level from 01/07/2025). */
	assert_int_equal(forms_unit_valid_to(u).y, 2025);
	assert_int_equal(forms_unit_valid_to(u).m, 6);
	assert_int_equal(forms_unit_valid_to(u).d, 30);
	u = forms_unit_find(fs, "076", "GSO-2021");
	assert_string_equal(forms_unit_name(u), "Huyện Sơn Dương");
	assert_int_equal(forms_unit_level(u), FORMS_LEVEL_DISTRICT);
	assert_string_equal(forms_unit_kind(forms_unit_find(fs, "02536", NULL)), "Thị trấn");
	assert_null(forms_unit_find(fs, "02545", "GSO-2025"));
	assert_null(forms_unit_find(fs, "99999", NULL));
}

static void test_periods(void **state)
{
	const struct forms *fs = *state;
	assert_int_equal(forms_period_count(fs), 4);
	assert_string_equal(forms_period_id(forms_period_at(fs, 0)), "2021-Q1");
	const struct forms_period *p = forms_period_find(fs, "2021-H1");
	assert_string_equal(forms_period_name(p, FORMS_LANG_VI), "6 tháng đầu năm 2021");
	assert_string_equal(forms_period_name(p, FORMS_LANG_EN), "First half of 2021");
	struct vn_date d = forms_period_data_from(p);
	assert_true(d.y == 2020 && d.m == 12 && d.d == 15);
	d = forms_period_data_to(p);
	assert_true(d.y == 2021 && d.m == 6 && d.d == 14);
	assert_string_equal(forms_period_previous(p), "2020-Y");
	p = forms_period_find(fs, "2021-Q3");
	assert_string_equal(forms_period_name(p, FORMS_LANG_VI), "Quý III năm 2021");
	assert_string_equal(forms_period_previous(p), "2021-H1");
	d = forms_period_data_from(p);
	assert_true(d.y == 2021 && d.m == 6 && d.d == 15);
	p = forms_period_find(fs, "2021-Y");
	d = forms_period_deadline_date(p);
	assert_true(d.y == 2021 && d.m == 12 && d.d == 10);
	assert_null(forms_period_find(fs, "2021-Q2"));
}

static void test_deadline_edge(void **state)
{
	const struct forms *fs = *state;
	const struct forms_period *q1 = forms_period_find(fs, "2021-Q1");
	/* 00:00 on 10/03/2021 in Vietnam is 17:00 UTC on 09/03/2021. */
	int64_t midnight = 1615309200;
	assert_int_equal(vn_date_start((struct vn_date){2021, 3, 10}), midnight);
	assert_int_equal(forms_period_deadline(q1), midnight);
	assert_false(forms_period_deadline_inclusive(q1));
	assert_true(forms_period_on_time(q1, midnight - 60));  /* 23:59 on the 9th */
	assert_true(forms_period_on_time(q1, midnight - 1));
	assert_false(forms_period_on_time(q1, midnight));     /* 00:00 on the 10th */
	assert_false(forms_period_on_time(q1, midnight + 3600));
}

static void test_deadline_inclusive_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/forms-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/p.periods", dir);
	FILE *fp = fopen(path, "w");
	fputs("period 2021-Q1\n name Quý I\n data 2020-12-15 2021-03-14\n"
	      " deadline 10/03/2021 inclusive\n", fp);
	fclose(fp);
	assert_int_equal(forms_check_file(path, NULL), 0);
	/* Loaded from a data directory of its own: the 10th itself counts. */
	char sub[300];
	snprintf(sub, sizeof sub, "%s/forms", dir);
	mkdir(sub, 0700);
	snprintf(sub, sizeof sub, "%s/forms/defs", dir);
	mkdir(sub, 0700);
	snprintf(sub, sizeof sub, "%s/data", dir);
	mkdir(sub, 0700);
	snprintf(sub, sizeof sub, "%s/data/units", dir);
	mkdir(sub, 0700);
	snprintf(sub, sizeof sub, "%s/forms/defs/p.periods", dir);
	assert_int_equal(rename(path, sub), 0);
	struct forms *fs;
	assert_int_equal(forms_load(dir, NULL, &fs), 0);
	const struct forms_period *q1 = forms_period_find(fs, "2021-Q1");
	assert_true(forms_period_deadline_inclusive(q1));
	assert_int_equal(forms_period_deadline(q1), 1615309200 + 86400);
	assert_true(forms_period_on_time(q1, 1615309200 + 86399)); /* 23:59:59 on the 10th */
	assert_false(forms_period_on_time(q1, 1615309200 + 86400));
	assert_null(forms_period_previous(q1));
	forms_free(fs);
	remove(sub);
	snprintf(sub, sizeof sub, "%s/forms/defs", dir);
	rmdir(sub);
	snprintf(sub, sizeof sub, "%s/forms", dir);
	rmdir(sub);
	snprintf(sub, sizeof sub, "%s/data/units", dir);
	rmdir(sub);
	snprintf(sub, sizeof sub, "%s/data", dir);
	rmdir(sub);
	/* Bad lines: each one reported with its line. */
	fp = fopen(path, "w");
	fputs("period 2021-Q1\n name Quý I\n data 2021-03-14 2020-12-15\n"
	      " deadline 31/02/2021\n colour red\n", fp);
	fclose(fp);
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};
	assert_int_equal(forms_check_file(path, &sink), FORMS_EPARSE);
	assert_int_equal(m.n, 5);
	char want[512];
	snprintf(want, sizeof want,
		 "%s:3: bad data window '2021-03-14 2020-12-15' (write: data 15/12/2020 14/03/2021)",
		 path);
	assert_string_equal(m.line[0], want);
	snprintf(want, sizeof want,
		 "%s:4: bad deadline '31/02/2021' (write: deadline 10/03/2021 exclusive|inclusive)",
		 path);
	assert_string_equal(m.line[1], want);
	snprintf(want, sizeof want, "%s:5: unknown directive 'colour'", path);
	assert_string_equal(m.line[2], want);
	snprintf(want, sizeof want, "%s:1: period '2021-Q1' has no 'data FROM TO'", path);
	assert_string_equal(m.line[3], want);
	remove(path);
	remove(dir);
}

/* normalize(field, input) -> canonical, or NULL for an error whose English
 * text must contain err. */
static void norm_ok(const struct form_field *fl, const char *in, const char *want)
{
	char *canon = NULL, *err = NULL;
	int rc = form_field_normalize(fl, in, FORMS_LANG_VI, &canon, &err);
	if (rc != 0)
		fail_msg("normalize(%s, \"%s\"): %s", form_field_id(fl), in, err ? err : "?");
	assert_string_equal(canon, want);
	free(canon);
}

static void norm_bad(const struct form_field *fl, const char *in, const char *vi, const char *en)
{
	char *canon = NULL, *err = NULL;
	assert_int_equal(form_field_normalize(fl, in, FORMS_LANG_VI, &canon, &err), FORMS_EINVAL);
	assert_null(canon);
	assert_string_equal(err, vi);
	free(err);
	err = NULL;
	assert_int_equal(form_field_normalize(fl, in, FORMS_LANG_EN, &canon, &err), FORMS_EINVAL);
	assert_string_equal(err, en);
	free(err);
}

static void test_normalize(void **state)
{
	const struct forms *fs = *state;
	const struct form *r = forms_find(fs, "bao-cao-cchc");
	const struct form *g = forms_find(fs, "so-theo-doi-ho-so");
	const struct form_field *n = form_field_find(r, "tong_tiep_nhan");
	norm_ok(n, "1.234", "1234");
	norm_ok(n, " 1234 ", "1234");
	norm_ok(n, "0", "0");
	norm_ok(n, "", "");
	norm_ok(n, "   ", "");
	norm_bad(n, "12a", "Không phải số nguyên: \"12a\"", "Not a whole number: \"12a\"");
	norm_bad(n, "mười", "Không phải số nguyên: \"mười\"", "Not a whole number: \"mười\"");
	norm_bad(n, "-3", "Giá trị phải từ 0 đến 999.999.999.999",
		 "The value must be between 0 and 999.999.999.999");
	const struct form_field *so = form_field_find(g, "so_luong");
	norm_bad(so, "101", "Giá trị phải từ 1 đến 100", "The value must be between 1 and 100");

	const struct form_field *d = form_field_find(r, "ngay_bao_cao");
	norm_ok(d, "05/03/2021", "2021-03-05");
	norm_ok(d, "5/3/2021", "2021-03-05");
	norm_ok(d, "2021-03-05", "2021-03-05");
	norm_bad(d, "31/02/2021", "Ngày không tồn tại: 31/02/2021", "No such date: 31/02/2021");
	norm_bad(d, "hôm qua", "Ngày không hợp lệ: \"hôm qua\" (nhập dd/mm/yyyy)",
		 "Not a date: \"hôm qua\" (enter dd/mm/yyyy)");
	norm_bad(d, "01/01/2100", "Giá trị phải từ 01/01/2020 đến 31/12/2099",
		 "The value must be between 01/01/2020 and 31/12/2099");

	const struct form_field *c = form_field_find(g, "kenh_nop");
	norm_ok(c, "truc_tuyen", "truc_tuyen");
	norm_ok(c, "Trực tuyến", "truc_tuyen");
	norm_ok(c, "trực tuyến", "truc_tuyen");
	norm_ok(c, "Online", "truc_tuyen");
	norm_bad(c, "fax", "Không có lựa chọn \"fax\" (chọn một trong: truc_tiep, truc_tuyen, buu_chinh)",
		 "No option \"fax\" (choose one of: truc_tiep, truc_tuyen, buu_chinh)");

	const struct form_field *y = form_field_find(g, "xin_loi");
	norm_ok(y, "có", "1");
	norm_ok(y, "Có", "1");
	norm_ok(y, "co", "1");
	norm_ok(y, "yes", "1");
	norm_ok(y, "1", "1");
	norm_ok(y, "không", "0");
	norm_ok(y, "KHÔNG", "0");
	norm_ok(y, "no", "0");
	norm_ok(y, "0", "0");
	norm_bad(y, "có lẽ", "Nhập Có hoặc Không (\"có lẽ\")", "Enter yes or no (\"có lẽ\")");

	const struct form_field *t = form_field_find(g, "chu_ho_so");
	/* "Nguyễn" typed decomposed: e + U+0302 + U+0303 -> precomposed U+1EC5. */
	norm_ok(t, "  Nguye\xcc\x82\xcc\x83n Va\xcc\x86n A ", "Nguyễn Văn A");
	const struct form_field *ph = form_field_find(g, "dien_thoai");
	norm_ok(ph, "0912 345 678", "0912 345 678");
	norm_bad(ph, "0912 345 678 999 888 77", "Quá dài: 23 ký tự, tối đa 20",
		 "Too long: 23 letters, at most 20");
	/* 20 Vietnamese letters are 20, however many bytes they take. */
	norm_ok(ph, "ỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡ", "ỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡỡ");
	norm_bad(t, "a\x01" "b",
		 "Có ký tự điều khiển hoặc ký tự ẩn không hợp lệ (U+0001); hãy gõ lại đoạn đó",
		 "The text contains a control or invisible character (U+0001); type that part again");
	/* C1 controls (a CSI to many terminals) and bidi overrides too. */
	norm_bad(t, "a\xC2\x9B" "31m",
		 "Có ký tự điều khiển hoặc ký tự ẩn không hợp lệ (U+009B); hãy gõ lại đoạn đó",
		 "The text contains a control or invisible character (U+009B); type that part again");
	norm_bad(t, "a\xE2\x80\xAE" "b",
		 "Có ký tự điều khiển hoặc ký tự ẩn không hợp lệ (U+202E); hãy gõ lại đoạn đó",
		 "The text contains a control or invisible character (U+202E); type that part again");

	norm_bad(form_field_find(r, "tiep_nhan_moi"), "5",
		 "\"Số hồ sơ mới tiếp nhận trong kỳ\" được tính tự động, không nhập được",
		 "\"New dossiers received in the period\" is computed; it takes no input");
}

static void disp(const struct form_field *fl, const char *canon, enum forms_lang lang,
		 const char *want)
{
	char *out = NULL;
	assert_int_equal(form_field_display(fl, canon, lang, &out), 0);
	assert_string_equal(out, want);
	free(out);
}

static void test_display(void **state)
{
	const struct forms *fs = *state;
	const struct form *r = forms_find(fs, "bao-cao-cchc");
	const struct form *g = forms_find(fs, "so-theo-doi-ho-so");
	disp(form_field_find(r, "tong_tiep_nhan"), "1234567", FORMS_LANG_VI, "1.234.567");
	disp(form_field_find(r, "tong_tiep_nhan"), "12", FORMS_LANG_VI, "12");
	disp(form_field_find(r, "ngay_bao_cao"), "2021-03-05", FORMS_LANG_VI, "05/03/2021");
	disp(form_field_find(g, "kenh_nop"), "buu_chinh", FORMS_LANG_VI,
	     "Qua dịch vụ bưu chính công ích");
	disp(form_field_find(g, "kenh_nop"), "buu_chinh", FORMS_LANG_EN, "By public postal service");
	disp(form_field_find(g, "xin_loi"), "1", FORMS_LANG_VI, "Có");
	disp(form_field_find(g, "xin_loi"), "0", FORMS_LANG_VI, "Không");
	disp(form_field_find(g, "xin_loi"), "0", FORMS_LANG_EN, "No");
	disp(form_field_find(g, "ghi_chu"), "Tân Trào", FORMS_LANG_VI, "Tân Trào");
	disp(form_field_find(r, "tong_tiep_nhan"), "abc", FORMS_LANG_VI, "abc");
}

static void set(struct kv *kv, const char *n, const char *v)
{
	assert_int_equal(kv_set(kv, n, v), 0);
}

static void test_rates(void **state)
{
	const struct forms *fs = *state;
	const struct form *r = forms_find(fs, "bao-cao-cchc");
	struct form_rate_value v;
	struct kv a = KV_INIT, b = KV_INIT, c = KV_INIT;

	const struct form_rate *cv = form_rate_find(r, "ty_le_ho_so_cong_viec");
	set(&a, "ho_so_cong_viec_tu", "5");
	set(&a, "ho_so_cong_viec_mau", "8");
	assert_int_equal(form_rate_eval(r, cv, &a, FORMS_LEVEL_COMMUNE, &v), 0);
	assert_true(v.has_counts);
	assert_int_equal(v.num, 5);
	assert_int_equal(v.den, 8);
	assert_string_equal(v.text, "62,5%");
	assert_string_equal(v.target, ">= 50%");
	assert_int_equal(v.met, FORM_MET_YES);
	assert_string_equal(form_met_label(v.met, FORMS_LANG_VI), "Đạt");
	/* The same 62.5% misses the district target only just: 62.5 >= 62. */
	form_rate_eval(r, cv, &a, FORMS_LEVEL_DISTRICT, &v);
	assert_int_equal(v.met, FORM_MET_YES);
	set(&a, "ho_so_cong_viec_tu", "61");
	set(&a, "ho_so_cong_viec_mau", "100");
	form_rate_eval(r, cv, &a, FORMS_LEVEL_COMMUNE, &v);
	assert_int_equal(v.met, FORM_MET_YES);
	form_rate_eval(r, cv, &a, FORMS_LEVEL_DISTRICT, &v);
	assert_int_equal(v.met, FORM_MET_NO);
	assert_string_equal(form_met_label(v.met, FORMS_LANG_VI), "Không đạt");
	assert_string_equal(form_met_label(v.met, FORMS_LANG_EN), "Not met");

	/* Denominator 0: no rate, no verdict. */
	set(&a, "ho_so_cong_viec_tu", "0");
	set(&a, "ho_so_cong_viec_mau", "0");
	form_rate_eval(r, cv, &a, FORMS_LEVEL_COMMUNE, &v);
	assert_true(v.has_counts);
	assert_string_equal(v.text, "–");
	assert_int_equal(v.met, FORM_MET_NA);
	/* Counts missing. */
	kv_del(&a, "ho_so_cong_viec_tu");
	form_rate_eval(r, cv, &a, FORMS_LEVEL_COMMUNE, &v);
	assert_false(v.has_counts);
	assert_int_equal(v.met, FORM_MET_NA);

	/* "= 100%": 99/100 is not met, 7/7 is. */
	const struct form_rate *mc = form_rate_find(r, "ty_le_mot_cua");
	set(&b, "tthc_mot_cua_tu", "99");
	set(&b, "tthc_mot_cua_mau", "100");
	form_rate_eval(r, mc, &b, FORMS_LEVEL_COMMUNE, &v);
	assert_string_equal(v.text, "99,0%");
	assert_int_equal(v.met, FORM_MET_NO);
	set(&b, "tthc_mot_cua_tu", "7");
	set(&b, "tthc_mot_cua_mau", "7");
	form_rate_eval(r, mc, &b, FORMS_LEVEL_COMMUNE, &v);
	assert_int_equal(v.met, FORM_MET_YES);

	/* A rate over a computed denominator. */
	const struct form_rate *tt = form_rate_find(r, "ty_le_truc_tuyen");
	set(&c, "tiep_nhan_truc_tuyen", "10");
	set(&c, "tiep_nhan_truc_tiep", "25");
	set(&c, "tiep_nhan_buu_chinh", "5");
	form_rate_eval(r, tt, &c, FORMS_LEVEL_COMMUNE, &v);
	assert_int_equal(v.den, 40);
	assert_string_equal(v.text, "25,0%");
	assert_int_equal(v.met, FORM_MET_YES);

	/* District totals: (1 + 30) / (10 + 40) = 62%, not the mean of 10% and 75%. */
	struct kv x = KV_INIT, y = KV_INIT, z = KV_INIT;
	set(&x, "ho_so_cong_viec_tu", "1");
	set(&x, "ho_so_cong_viec_mau", "10");
	set(&y, "ho_so_cong_viec_tu", "30");
	set(&y, "ho_so_cong_viec_mau", "40");
	set(&z, "so_ky_hieu", "1/BC-UBND"); /* a draft with no counts yet */
	const struct kv *recs[] = {&x, &y, &z};
	size_t skipped = 99;
	assert_int_equal(form_rate_sum(r, cv, recs, 3, FORMS_LEVEL_DISTRICT, &v, &skipped), 0);
	assert_int_equal(skipped, 1);
	assert_int_equal(v.num, 31);
	assert_int_equal(v.den, 50);
	assert_string_equal(v.text, "62,0%");
	assert_int_equal(v.met, FORM_MET_YES);
	form_rate_sum(r, cv, recs, 1, FORMS_LEVEL_DISTRICT, &v, NULL);
	assert_int_equal(v.met, FORM_MET_NO);
	form_rate_sum(r, cv, recs + 2, 1, FORMS_LEVEL_DISTRICT, &v, NULL);
	assert_false(v.has_counts);

	kv_free(&a);
	kv_free(&b);
	kv_free(&c);
	kv_free(&x);
	kv_free(&y);
	kv_free(&z);
}

static void test_compute(void **state)
{
	const struct form *r = forms_find(*state, "bao-cao-cchc");
	struct kv in = KV_INIT, out = KV_INIT;
	set(&in, "tiep_nhan_truc_tuyen", "10");
	set(&in, "tiep_nhan_truc_tiep", "25");
	assert_int_equal(form_compute(r, &in, &out), 0);
	assert_null(kv_get(&out, "tiep_nhan_moi"));
	set(&in, "tiep_nhan_buu_chinh", "5");
	assert_int_equal(form_compute(r, &in, &out), 0);
	assert_string_equal(kv_get(&out, "tiep_nhan_moi"), "40");
	kv_free(&in);
	kv_free(&out);
}

static void test_load_errors(void **state)
{
	(void)state;
	struct msgs m = {0};
	struct forms_sink sink = {collect, &m, FORMS_LANG_EN};
	struct forms *fs = (struct forms *)&m;
	assert_int_equal(forms_load("/nonexistent-cchc", &sink, &fs), FORMS_EIO);
	assert_ptr_equal(fs, (struct forms *)&m); /* untouched */
	assert_true(m.n >= 1);
	assert_string_equal(m.line[0],
			    "/nonexistent-cchc/forms/defs: cannot open directory: No such file or directory");
	assert_string_equal(forms_strerror(FORMS_EPARSE), "a data file has errors");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_shipped),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_deadline_edge),
		cmocka_unit_test(test_deadline_inclusive_file),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_compute),
		cmocka_unit_test(test_load_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
