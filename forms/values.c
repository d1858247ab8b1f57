/*
 * forms/values.c: a field's value between people and records.
 *
 * normalize: what a person typed -> canonical text (forms.h lists the
 * forms); display: canonical text -> what a person reads; compute: the
 * computed fields of a record.  Parsing of Vietnamese numbers and dates is
 * core/vnfmt's; this file only decides what each field type accepts.
 */
#include "forms/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/vnfmt.h"

#define L(vi, en) (lang == FORMS_LANG_EN ? (en) : (vi))

/* Set *err to a malloc'd message; FORMS_EINVAL, or FORMS_ENOMEM. */
static int say(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int say(char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(err, fmt, ap);
	va_end(ap);
	if (n < 0) {
		*err = NULL;
		return FORMS_ENOMEM;
	}
	return FORMS_EINVAL;
}

static char *trim_all(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* milli as people read it, with only the decimals it needs: 62500 ->
 * "62,5", 1234000 -> "1.234". */
static void fmt_decimal(int64_t milli, char buf[VN_NUM_BUF])
{
	int64_t frac = milli % 1000;
	int decimals = frac == 0 ? 0 : frac % 100 == 0 ? 1 : frac % 10 == 0 ? 2 : 3;
	vn_decimal_format(milli, decimals, buf);
}

int64_t field_date_max(const struct form_field *fl)
{
	return fl->max_today ? vn_date_days(vn_date_of(vn_now())) : fl->max;
}

/* Bounds are formatted as they are: never scaled, so nothing overflows. */
static int range_msg(const struct form_field *fl, enum forms_lang lang, char **err)
{
	char a[VN_NUM_BUF], b[VN_NUM_BUF];
	if (fl->type == FORM_DATE && fl->max_today) {
		vn_date_format(vn_date_from_days((int32_t)field_date_max(fl)), b);
		vn_date_format(vn_date_from_days((int32_t)fl->min), a);
		return say(err, L("Ngày phải từ %s đến hôm nay (%s)",
				  "The date must be between %s and today (%s)"), a, b);
	}
	if (fl->type == FORM_DATE) {
		vn_date_format(vn_date_from_days((int32_t)fl->min), a);
		vn_date_format(vn_date_from_days((int32_t)fl->max), b);
	} else if (fl->type == FORM_DECIMAL) {
		fmt_decimal(fl->min, a);
		fmt_decimal(fl->max, b);
	} else {
		vn_int_format(fl->min, a);
		vn_int_format(fl->max, b);
	}
	return say(err, L("Giá trị phải từ %s đến %s", "The value must be between %s and %s"), a, b);
}

/* More marks on one letter than any language writes: a length limit in
 * letters must not let megabytes through as "one letter". */
#define MAX_MARKS 4

static int too_many_marks(const char *s)
{
	size_t len = strlen(s), pos = 0;
	while (pos < len) {
		size_t next = text_next_letter(s, len, pos), cps = 0;
		for (size_t i = pos; i < next; i++)
			cps += ((unsigned char)s[i] & 0xC0) != 0x80;
		if (cps > 1 + MAX_MARKS)
			return 1;
		pos = next;
	}
	return 0;
}

static int norm_text(const struct form_field *fl, char *s, enum forms_lang lang, char **canon,
		     char **err)
{
	size_t len = strlen(s), used;
	for (size_t i = 0; i < len; i += used) {
		uint32_t cp;
		if (utf8_decode(s + i, len - i, &cp, &used) != 0)
			return say(err, L("Không phải văn bản UTF-8 hợp lệ", "Not valid UTF-8 text"));
		if (text_cp_unsafe(cp) && !(fl->multiline && (cp == '\n' || cp == '\t')))
			return say(err, L("Có ký tự điều khiển hoặc ký tự ẩn không hợp lệ (U+%04X); "
					  "hãy gõ lại đoạn đó",
					  "The text contains a control or invisible character (U+%04X); "
					  "type that part again"),
				   (unsigned)cp);
	}
	if (too_many_marks(s))
		return say(err, L("Có chữ mang quá nhiều dấu (tối đa 4 dấu trên một chữ)",
				  "A letter carries too many marks (at most 4 per letter)"));
	size_t n = text_letters(s, strlen(s));
	if (n > fl->maxlen)
		return say(err, L("Quá dài: %zu ký tự, tối đa %zu", "Too long: %zu letters, at most %zu"),
			   n, fl->maxlen);
	*canon = strdup(s);
	return *canon ? 0 : FORMS_ENOMEM;
}

static int norm_number(const struct form_field *fl, const char *s, enum forms_lang lang,
		       char **canon, char **err)
{
	int64_t v;
	char buf[48];
	int rc;

	if (fl->type == FORM_INTEGER) {
		rc = vn_int_parse(s, &v);
		if (rc == VNFMT_ESYNTAX)
			return say(err, L("Không phải số nguyên: \"%s\"", "Not a whole number: \"%s\""), s);
	} else {
		rc = vn_decimal_parse(s, &v);
		if (rc == VNFMT_ESYNTAX)
			return say(err, L("Không phải số: \"%s\"", "Not a number: \"%s\""), s);
	}
	if (rc != 0)
		return say(err, L("Số quá lớn: \"%s\"", "Number too large: \"%s\""), s);
	if (fl->has_range && (v < fl->min || v > fl->max))
		return range_msg(fl, lang, err);
	if (fl->type == FORM_INTEGER)
		snprintf(buf, sizeof buf, "%lld", (long long)v);
	else
		fmt_milli(v, buf, sizeof buf, '.');
	*canon = strdup(buf);
	return *canon ? 0 : FORMS_ENOMEM;
}

static int norm_date(const struct form_field *fl, const char *s, enum forms_lang lang,
		     char **canon, char **err)
{
	struct vn_date d;
	char buf[VN_DATE_BUF];
	int rc = vn_date_parse(s, &d);

	if (rc == VNFMT_ERANGE)
		return say(err, L("Ngày không tồn tại: %s", "No such date: %s"), s);
	if (rc != 0)
		return say(err, L("Ngày không hợp lệ: \"%s\" (nhập dd/mm/yyyy)",
				  "Not a date: \"%s\" (enter dd/mm/yyyy)"), s);
	if (fl->has_range && fl->max_today && vn_date_days(d) > field_date_max(fl)) {
		vn_date_format(vn_date_from_days((int32_t)field_date_max(fl)), buf);
		return say(err, L("Ngày này không thể sau hôm nay (%s)",
				  "This date cannot be after today (%s)"), buf);
	}
	if (fl->has_range && (vn_date_days(d) < fl->min || vn_date_days(d) > field_date_max(fl)))
		return range_msg(fl, lang, err);
	vn_date_iso(d, buf);
	*canon = strdup(buf);
	return *canon ? 0 : FORMS_ENOMEM;
}

static int norm_choice(const struct form_field *fl, const char *s, enum forms_lang lang,
		       char **canon, char **err)
{
	char *key = NULL, *lk = NULL;
	size_t found = (size_t)-1;
	int many = 0;

	for (size_t i = 0; i < fl->nchoice; i++)
		if (strcmp(fl->choice[i].code, s) == 0) {
			*canon = strdup(s);
			return *canon ? 0 : FORMS_ENOMEM;
		}
	if (text_fold(s, &key) != 0)
		return FORMS_ENOMEM;
	for (size_t i = 0; i < fl->nchoice; i++)
		for (int l = 0; l < 2; l++) {
			if (!fl->choice[i].label[l] || text_fold(fl->choice[i].label[l], &lk) != 0)
				continue;
			if (strcmp(lk, key) == 0 && found != i) {
				many |= found != (size_t)-1;
				found = i;
			}
			free(lk);
		}
	free(key);
	if (found != (size_t)-1 && !many) {
		*canon = strdup(fl->choice[found].code);
		return *canon ? 0 : FORMS_ENOMEM;
	}
	char list[512] = "";
	size_t used = 0;
	for (size_t i = 0; i < fl->nchoice && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
					 fl->choice[i].code);
	return say(err, L("Không có lựa chọn \"%s\" (chọn một trong: %s)",
			  "No option \"%s\" (choose one of: %s)"), s, list);
}

static int norm_yesno(const char *s, enum forms_lang lang, char **canon, char **err)
{
	static const char *const yes[] = {"co", "c", "yes", "y", "1", "true", "x"};
	static const char *const no[] = {"khong", "k", "no", "n", "0", "false"};
	char *key;
	const char *v = NULL;

	if (text_fold(s, &key) != 0)
		return FORMS_ENOMEM;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcmp(key, yes[i]) == 0)
			v = "1";
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcmp(key, no[i]) == 0)
			v = "0";
	free(key);
	if (!v)
		return say(err, L("Nhập Có hoặc Không (\"%s\")", "Enter yes or no (\"%s\")"), s);
	*canon = strdup(v);
	return *canon ? 0 : FORMS_ENOMEM;
}

int form_field_normalize(const struct form_field *fl, const char *input, enum forms_lang lang,
			 char **canon, char **err)
{
	char *nfc = NULL, *out = NULL, *msg = NULL;
	int rc;

	if (fl->type == FORM_COMPUTED) {
		rc = say(&msg, L("\"%s\" được tính tự động, không nhập được",
				 "\"%s\" is computed; it takes no input"), form_field_label(fl, lang));
		goto done;
	}
	rc = text_nfc(input, strlen(input), &nfc, NULL);
	if (rc == TEXT_EUTF8) {
		rc = say(&msg, L("Văn bản không phải UTF-8 hợp lệ", "The text is not valid UTF-8"));
		goto done;
	}
	if (rc != 0)
		return FORMS_ENOMEM;
	char *s = trim_all(nfc);
	if (!*s) {
		out = strdup("");
		rc = out ? 0 : FORMS_ENOMEM;
		goto done;
	}
	switch (fl->type) {
	case FORM_TEXT: rc = norm_text(fl, s, lang, &out, &msg); break;
	case FORM_INTEGER:
	case FORM_DECIMAL: rc = norm_number(fl, s, lang, &out, &msg); break;
	case FORM_DATE: rc = norm_date(fl, s, lang, &out, &msg); break;
	case FORM_CHOICE: rc = norm_choice(fl, s, lang, &out, &msg); break;
	case FORM_YESNO: rc = norm_yesno(s, lang, &out, &msg); break;
	default: rc = FORMS_EINVAL;
	}
done:
	free(nfc);
	if (rc == 0)
		*canon = out;
	else if (rc == FORMS_EINVAL && msg)
		*err = msg;
	else
		free(msg);
	return rc == FORMS_EINVAL && !msg ? FORMS_ENOMEM : rc;
}

int form_field_display(const struct form_field *fl, const char *canon, enum forms_lang lang,
		       char **out)
{
	char buf[64];
	const char *show = canon;
	int64_t v;
	struct vn_date d;

	switch (fl->type) {
	case FORM_INTEGER:
		if (parse_i64(canon, &v) == 0) {
			vn_int_format(v, buf);
			show = buf;
		}
		break;
	case FORM_DECIMAL:
	case FORM_COMPUTED:
		if (parse_milli(canon, &v) == 0) {
			fmt_decimal(v, buf);
			show = buf;
		}
		break;
	case FORM_DATE:
		if (strlen(canon) == 10 && canon[4] == '-' && vn_date_parse(canon, &d) == 0) {
			vn_date_format(d, buf);
			show = buf;
		}
		break;
	case FORM_CHOICE:
		for (size_t i = 0; i < fl->nchoice; i++)
			if (strcmp(fl->choice[i].code, canon) == 0)
				show = form_field_choice_label(fl, i, lang);
		break;
	case FORM_YESNO:
		if (strcmp(canon, "1") == 0)
			show = L("Có", "Yes");
		else if (strcmp(canon, "0") == 0)
			show = L("Không", "No");
		break;
	default:
		break;
	}
	*out = strdup(show);
	return *out ? 0 : FORMS_ENOMEM;
}

int form_compute(const struct form *f, const struct kv *values, struct kv *out)
{
	for (size_t i = 0; i < f->nfield; i++) {
		const struct form_field *fl = f->field[i];
		int64_t v;
		char buf[48];
		if (fl->type != FORM_COMPUTED)
			continue;
		if (expr_eval(f, &fl->expr, values, NULL, fl->is_decimal, &v) != 1) {
			kv_del(out, fl->id);
			continue;
		}
		if (fl->is_decimal)
			fmt_milli(v, buf, sizeof buf, '.');
		else
			snprintf(buf, sizeof buf, "%lld", (long long)v);
		if (kv_set(out, fl->id, buf) != 0)
			return FORMS_ENOMEM;
	}
	return 0;
}

int form_unique_message(const struct form_field *fl, const char *canon, enum forms_lang lang,
			char **msg)
{
	const char *label = fl->label[lang == FORMS_LANG_EN && fl->label[1] ? 1 : 0];
	say(msg, L("Đã có hồ sơ khác với %s \"%s\"; mỗi hồ sơ một mã riêng",
		   "Another entry already has %s \"%s\"; each entry needs its own"),
	    label, canon);
	return *msg ? 0 : FORMS_ENOMEM;
}
