/*
 * forms/rates.c: rates from their two stored counts.
 *
 * A rate is never stored as a percentage: one record gives num/den, and the
 * district total is the sum of numerators over the sum of denominators, not
 * an average of percentages.  Comparison with the target is exact integer
 * arithmetic (num * 100000 against pct_milli * den), so 62.4996% never
 * rounds up to meet a 62.5% target.
 */
#include "forms/internal.h"

#include <string.h>

#include "core/vnfmt.h"

const char *form_met_label(enum form_met met, enum forms_lang lang)
{
	switch (met) {
	case FORM_MET_YES: return lang == FORMS_LANG_EN ? "Met" : "Đạt";
	case FORM_MET_NO: return lang == FORMS_LANG_EN ? "Not met" : "Không đạt";
	default: return "–";
	}
}

/* Whether a shown figure of d tenths of a percent meets t. */
static int shown_meets(const struct target *t, __int128 d)
{
	__int128 a = d * 100, b = t->pct_milli;
	return op_holds(t->op, a < b ? -1 : a > b, 0);
}

/* The text of num/den (den > 0, num >= 0) rounded to one decimal; when
 * plain rounding would show a figure on the other side of the target than
 * the exact verdict (1999/2000 = 99,95% shows "100,0%" against "= 100%"),
 * round toward the verdict's side instead ("99,9%"). */
static void rate_text(const struct target *t, int met, int64_t num, int64_t den, char *out)
{
	__int128 n = (__int128)num * 1000;
	__int128 lo = n / den, hi = lo + (n % den != 0), half = (2 * n + den) / (2 * den);
	int dir = 0;
	if (shown_meets(t, half) != met) {
		if (shown_meets(t, lo) == met)
			dir = -1;
		else if (shown_meets(t, hi) == met)
			dir = 1;
	}
	vn_rate_format_toward(num, den, dir, out);
}

static void finish(const struct form_rate *r, int year, enum forms_unit_kind kind, int has,
		   int64_t num, int64_t den, struct form_rate_value *out)
{
	memset(out, 0, sizeof *out);
	const struct target *t = target_for(r, year, kind, &out->source.plan, &out->source.carried);
	out->source.text = t ? t->text : "";
	out->rate = r;
	out->has_counts = has;
	out->num = has ? num : 0;
	out->den = has ? den : 0;
	out->target = out->source.text;
	out->met = FORM_MET_NA;
	if (!has) {
		strcpy(out->text, "–");
		return;
	}
	if (!t || den <= 0 || num < 0) {
		vn_rate_format(num, den, out->text);
		return;
	}
	__int128 a = (__int128)num * 100000, b = (__int128)t->pct_milli * den;
	int64_t c = a < b ? -1 : a > b;
	int met = op_holds(t->op, c, 0);
	out->met = met ? FORM_MET_YES : FORM_MET_NO;
	rate_text(t, met, num, den, out->text);
}

static enum forms_unit_kind kind_of_level(enum forms_level level)
{
	return level == FORMS_LEVEL_DISTRICT ? FORMS_KIND_DISTRICT : FORMS_KIND_COMMUNE;
}

int form_rate_eval_for(const struct form *f, const struct form_rate *r, const struct kv *values,
		       int year, enum forms_unit_kind kind, struct form_rate_value *out)
{
	int64_t num = 0, den = 0;
	int has = field_number(f, form_field_find(f, r->num), values, 0, &num) == 1 &&
		  field_number(f, form_field_find(f, r->den), values, 0, &den) == 1;
	finish(r, year, kind, has, num, den, out);
	return 0;
}

int form_rate_eval(const struct form *f, const struct form_rate *r, const struct kv *values,
		   enum forms_level level, struct form_rate_value *out)
{
	return form_rate_eval_for(f, r, values, 0, kind_of_level(level), out);
}

int form_rate_sum_for(const struct form *f, const struct form_rate *r,
		      const struct kv *const *records, size_t n, int year,
		      enum forms_unit_kind kind, struct form_rate_value *out, size_t *skipped)
{
	int64_t sn = 0, sd = 0;
	size_t skip = 0, used = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t num, den, tn, td;
		if (field_number(f, form_field_find(f, r->num), records[i], 0, &num) != 1 ||
		    field_number(f, form_field_find(f, r->den), records[i], 0, &den) != 1 ||
		    __builtin_add_overflow(sn, num, &tn) || __builtin_add_overflow(sd, den, &td)) {
			skip++;
			continue;
		}
		sn = tn;
		sd = td;
		used++;
	}
	finish(r, year, kind, used > 0, sn, sd, out);
	if (skipped)
		*skipped = skip;
	return 0;
}

int form_rate_sum(const struct form *f, const struct form_rate *r,
		  const struct kv *const *records, size_t n, enum forms_level level,
		  struct form_rate_value *out, size_t *skipped)
{
	return form_rate_sum_for(f, r, records, n, 0, kind_of_level(level), out, skipped);
}
