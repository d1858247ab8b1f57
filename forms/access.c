/*
 * forms/access.c: the read-only accessors of forms.h for forms, sections,
 * fields, rules and rates.  An English text that the file left out falls
 * back to the Vietnamese one, so callers never get NULL for a label.
 */
#include "forms/internal.h"

#include <string.h>

static const char *pick(char *const t[2], enum forms_lang lang)
{
	return lang == FORMS_LANG_EN && t[1] ? t[1] : t[0];
}

size_t forms_count(const struct forms *fs) { return fs->nform; }

const struct form *forms_at(const struct forms *fs, size_t i)
{
	return i < fs->nform ? fs->form[i] : NULL;
}

const struct form *forms_find(const struct forms *fs, const char *id)
{
	const struct form *best = NULL;
	for (size_t i = 0; i < fs->nform; i++)
		if (strcmp(fs->form[i]->id, id) == 0 &&
		    (!best || fs->form[i]->version > best->version))
			best = fs->form[i];
	return best;
}

const struct form *forms_find_version(const struct forms *fs, const char *id, int version)
{
	for (size_t i = 0; i < fs->nform; i++)
		if (strcmp(fs->form[i]->id, id) == 0 && fs->form[i]->version == version)
			return fs->form[i];
	return NULL;
}

const char *form_id(const struct form *f) { return f->id; }
int form_version(const struct form *f) { return f->version; }
const char *form_title(const struct form *f, enum forms_lang lang) { return pick(f->title, lang); }
enum form_kind form_kind(const struct form *f) { return f->kind; }
const char *form_path(const struct form *f) { return f->path; }

const char *form_kind_name(enum form_kind k)
{
	return k == FORM_KIND_REGISTER ? "register" : "report";
}

enum forms_check form_check_on_save(const struct form *f)
{
	return f->kind == FORM_KIND_REGISTER ? FORMS_CHECK_SUBMIT : FORMS_CHECK_DRAFT;
}

size_t form_section_count(const struct form *f) { return f->nsection; }

const struct form_section *form_section_at(const struct form *f, size_t i)
{
	return i < f->nsection ? f->section[i] : NULL;
}

const char *form_section_id(const struct form_section *s) { return s->id; }

const char *form_section_title(const struct form_section *s, enum forms_lang lang)
{
	return pick(s->title, lang);
}

size_t form_section_field_count(const struct form_section *s) { return s->nfield; }

const struct form_field *form_section_field_at(const struct form_section *s, size_t i)
{
	return i < s->nfield ? s->field[i] : NULL;
}

size_t form_field_count(const struct form *f) { return f->nfield; }

const struct form_field *form_field_at(const struct form *f, size_t i)
{
	return i < f->nfield ? f->field[i] : NULL;
}

const struct form_field *form_field_find(const struct form *f, const char *id)
{
	int i = nameset_get(&f->field_ix, id);
	return i < 0 ? NULL : f->field[i];
}

const char *form_field_id(const struct form_field *fl) { return fl->id; }
enum form_type form_field_type(const struct form_field *fl) { return fl->type; }

const char *form_field_label(const struct form_field *fl, enum forms_lang lang)
{
	return pick(fl->label, lang);
}

const char *form_field_help(const struct form_field *fl, enum forms_lang lang)
{
	return pick(fl->help, lang);
}

int form_field_required(const struct form_field *fl) { return fl->required; }
int form_field_multiline(const struct form_field *fl) { return fl->multiline; }
int form_field_unique(const struct form_field *fl) { return fl->unique; }
size_t form_field_maxlen(const struct form_field *fl) { return fl->maxlen; }

int form_field_range(const struct form_field *fl, int64_t *min, int64_t *max)
{
	if (!fl->has_range)
		return FORMS_ENOTFOUND;
	*min = fl->min;
	*max = fl->type == FORM_DATE ? field_date_max(fl) : fl->max;
	return 0;
}

size_t form_field_choice_count(const struct form_field *fl) { return fl->nchoice; }

const char *form_field_choice_code(const struct form_field *fl, size_t i)
{
	return i < fl->nchoice ? fl->choice[i].code : NULL;
}

const char *form_field_choice_label(const struct form_field *fl, size_t i, enum forms_lang lang)
{
	return i < fl->nchoice ? pick(fl->choice[i].label, lang) : NULL;
}

const char *form_field_expr(const struct form_field *fl)
{
	return fl->type == FORM_COMPUTED ? fl->expr.text : NULL;
}

size_t form_rule_count(const struct form *f) { return f->nrule; }

const char *form_rule_expr(const struct form *f, size_t i)
{
	return i < f->nrule ? f->rule[i].text : NULL;
}

const char *form_rule_message(const struct form *f, size_t i, enum forms_lang lang)
{
	return i < f->nrule ? pick(f->rule[i].msg, lang) : NULL;
}

size_t form_rate_count(const struct form *f) { return f->nrate; }

const struct form_rate *form_rate_at(const struct form *f, size_t i)
{
	return i < f->nrate ? f->rate[i] : NULL;
}

const struct form_rate *form_rate_find(const struct form *f, const char *id)
{
	int i = nameset_get(&f->rate_ix, id);
	return i < 0 ? NULL : f->rate[i];
}

const char *form_rate_id(const struct form_rate *r) { return r->id; }

const char *form_rate_label(const struct form_rate *r, enum forms_lang lang)
{
	return pick(r->label, lang);
}

const char *form_rate_numerator(const struct form_rate *r) { return r->num; }
const char *form_rate_denominator(const struct form_rate *r) { return r->den; }

const char *form_rate_target_text(const struct form_rate *r, enum forms_level level)
{
	struct forms_target t;
	form_rate_target(r, 0, level == FORMS_LEVEL_DISTRICT ? FORMS_KIND_DISTRICT : FORMS_KIND_COMMUNE,
			 &t);
	return t.text;
}

int form_rate_scoped(const struct form_rate *r)
{
	return strcmp(form_rate_target_text(r, FORMS_LEVEL_COMMUNE),
		      form_rate_target_text(r, FORMS_LEVEL_DISTRICT)) != 0;
}

size_t form_summary_count(const struct form *f)
{
	return f->nsummary;
}

const char *form_summary_at(const struct form *f, size_t i)
{
	return i < f->nsummary ? f->summary[i] : NULL;
}
