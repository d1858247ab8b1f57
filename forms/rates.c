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

static void finish(const struct form_rate *r, enum forms_level level, int has, int64_t num,
		   int64_t den, struct form_rate_value *out)
{
	const struct target *t = &r->tgt[level];

	memset(out, 0, sizeof *out);
	out->rate = r;
	out->has_counts = has;
	out->num = has ? num : 0;
	out->den = has ? den : 0;
	out->target = form_rate_target_text(r, level);
	out->met = FORM_MET_NA;
	if (!has) {
		strcpy(out->text, "–");
		return;
	}
	vn_rate_format(num, den, out->text);
	if (!t->set || den <= 0 || num < 0)
		return;
	__int128 a = (__int128)num * 100000, b = (__int128)t->pct_milli * den;
	int64_t c = a < b ? -1 : a > b;
	out->met = op_holds(t->op, c, 0) ? FORM_MET_YES : FORM_MET_NO;
}

int form_rate_eval(const struct form *f, const struct form_rate *r, const struct kv *values,
		   enum forms_level level, struct form_rate_value *out)
{
	int64_t num = 0, den = 0;
	int has = field_number(f, form_field_find(f, r->num), values, 0, &num) == 1 &&
		  field_number(f, form_field_find(f, r->den), values, 0, &den) == 1;
	finish(r, level, has, num, den, out);
	return 0;
}

int form_rate_sum(const struct form *f, const struct form_rate *r,
		  const struct kv *const *records, size_t n, enum forms_level level,
		  struct form_rate_value *out, size_t *skipped)
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
	finish(r, level, used > 0, sn, sd, out);
	if (skipped)
		*skipped = skip;
	return 0;
}
