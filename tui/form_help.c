/*
 * tui/form_help.c: the form editor's help line (the status line when no
 * message is shown): the focused field's full label, which the label
 * column may have cut, and its rule: required, range, length, date format,
 * the options of a choice, the target of the rate it counts in.  Also the
 * name of what the form holds, for the status messages, and the count of
 * changes a discard would lose, for its question.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vnfmt.h"
#include "tui/tui_int.h"

static const struct form_field *focused(const struct form_st *fs)
{
	if (!fs->f || fs->focus >= fs->nrows || fs->rows[fs->focus].kind != FR_FIELD)
		return NULL;
	return form_field_at(fs->f, fs->rows[fs->focus].idx);
}

/* Append "; " (unless first) and the formatted text. */
static void add(char *buf, size_t cap, const char *text)
{
	size_t n = strlen(buf);
	if (n + 3 < cap)
		snprintf(buf + n, cap - n, "%s%s", n && buf[n - 1] != ':' ? "; " : " ", text);
}

static void add_range(struct app *a, const struct form_field *fl, char *buf, size_t cap)
{
	int64_t lo, hi;
	char t[160], l[VN_NUM_BUF], h[VN_NUM_BUF];
	if (form_field_range(fl, &lo, &hi) == 0) {
		vn_int_format(lo, l);
		vn_int_format(hi, h);
		snprintf(t, sizeof t, msg_get(a->lang, MSG_T_RULE_INT), l, h);
	} else {
		snprintf(t, sizeof t, "%s", msg_get(a->lang, MSG_T_RULE_INT_ANY));
	}
	add(buf, cap, t);
}

static void add_choices(struct app *a, const struct form_field *fl, char *buf, size_t cap)
{
	add(buf, cap, msg_get(a->lang, MSG_T_RULE_CHOICE));
	for (size_t i = 0; i < form_field_choice_count(fl); i++) {
		size_t n = strlen(buf);
		if (n + 8 >= cap)
			break;
		snprintf(buf + n, cap - n, "%s%zu %s", i ? " · " : " ", i + 1,
			 form_field_choice_label(fl, i, a->flang));
	}
}

/* The rates the field counts in, with their targets. */
static void add_targets(struct app *a, const struct form_field *fl, char *buf, size_t cap)
{
	const struct form *f = a->form.f;
	for (size_t r = 0; r < form_rate_count(f); r++) {
		const struct form_rate *rt = form_rate_at(f, r);
		const char *target = form_rate_target_text(rt, a->level);
		if (!*target || (strcmp(form_rate_numerator(rt), form_field_id(fl)) != 0 &&
				 strcmp(form_rate_denominator(rt), form_field_id(fl)) != 0))
			continue;
		char t[400];
		snprintf(t, sizeof t, msg_get(a->lang, MSG_T_RULE_TARGET),
			 form_rate_label(rt, a->flang), target);
		add(buf, cap, t);
	}
}

void fv_help(struct app *a, char *buf, size_t cap)
{
	const struct form_field *fl = focused(&a->form);
	char t[64];
	buf[0] = '\0';
	if (!fl || a->form.readonly)
		return;
	snprintf(buf, cap, "%s:", form_field_label(fl, a->flang));
	if (form_field_required(fl) == 1)
		add(buf, cap, msg_get(a->lang, MSG_T_RULE_REQUIRED));
	switch (form_field_type(fl)) {
	case FORM_INTEGER: add_range(a, fl, buf, cap); break;
	case FORM_DECIMAL: add(buf, cap, msg_get(a->lang, MSG_T_RULE_DECIMAL)); break;
	case FORM_DATE: add(buf, cap, msg_get(a->lang, MSG_T_RULE_DATE)); break;
	case FORM_CHOICE: add_choices(a, fl, buf, cap); break;
	case FORM_YESNO: add(buf, cap, msg_get(a->lang, MSG_T_RULE_YESNO)); break;
	case FORM_COMPUTED: add(buf, cap, msg_get(a->lang, MSG_T_RULE_COMPUTED)); break;
	case FORM_TEXT:
		if (form_field_maxlen(fl)) {
			snprintf(t, sizeof t, msg_get(a->lang, MSG_T_RULE_TEXT), form_field_maxlen(fl));
			add(buf, cap, t);
		}
		break;
	default: break;
	}
	add_targets(a, fl, buf, cap);
	size_t n = strlen(buf);
	if (n && buf[n - 1] == ':')
		buf[n - 1] = '\0';
}

const char *fv_subject(struct app *a)
{
	struct form_st *fs = &a->form;
	if (!fs->f)
		return "";
	if (form_kind(fs->f) == FORM_KIND_REPORT) {
		const struct forms_period *p = forms_period_find(a->fs, fs->rec.period);
		return p ? forms_period_name(p, a->flang) : fs->rec.period;
	}
	/* An entry is named by its first required text field (the dossier
	 * code), else by the first field of its summary. */
	for (size_t i = 0; i < form_field_count(fs->f); i++) {
		const struct form_field *fl = form_field_at(fs->f, i);
		if (form_field_type(fl) == FORM_TEXT && form_field_required(fl) == 1) {
			const char *v = kv_get(&fs->rec.fields, form_field_id(fl));
			return v ? v : "";
		}
	}
	const char *v = form_summary_count(fs->f)
				? kv_get(&fs->rec.fields, form_summary_at(fs->f, 0))
				: NULL;
	return v ? v : "";
}

static int same(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

size_t fv_changes(struct app *a)
{
	struct form_st *fs = &a->form;
	size_t n = 0;
	const struct form_field *typing = fs->editing && !fs->readonly ? focused(fs) : NULL;
	for (size_t i = 0; fs->f && i < form_field_count(fs->f); i++) {
		const struct form_field *fl = form_field_at(fs->f, i);
		const char *id = form_field_id(fl), *was = kv_get(&fs->saved, id);
		if (fl == typing && (fs->ed.changed || fs->vals[i].bad)) {
			/* What is typed counts as its value when it is one. */
			char *canon = NULL, *why = NULL;
			int bad = form_field_normalize(fl, fs->ed.buf, a->flang, &canon, &why) != 0;
			n += bad || !same(canon, was);
			free(canon);
			free(why);
			continue;
		}
		n += !same(kv_get(&fs->rec.fields, id), was);
	}
	return n;
}
