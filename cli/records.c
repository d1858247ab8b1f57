/*
 * cli/records.c: finding, parsing and validating records for the commands.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/records.h"

struct prefix_search {
	char prefix[2 * STORE_ID_BYTES + 1];
	size_t len;
	int matches;
	unsigned char id[STORE_ID_BYTES];
};

static int match_prefix(const struct store_record *r, void *arg)
{
	struct prefix_search *ps = arg;
	char hex[2 * STORE_ID_BYTES + 1];
	id_hex(r->id, hex);
	if (strncmp(hex, ps->prefix, ps->len) == 0) {
		if (ps->matches++ == 0)
			memcpy(ps->id, r->id, STORE_ID_BYTES);
	}
	return 0;
}

int rec_find(struct cli *c, const char *idtext, struct store_record *out)
{
	struct prefix_search ps;
	memset(&ps, 0, sizeof ps);
	ps.len = strlen(idtext);
	if (ps.len < 8 || ps.len > 2 * STORE_ID_BYTES)
		goto bad_id;
	for (size_t i = 0; i < ps.len; i++) {
		if (!isxdigit((unsigned char)idtext[i]))
			goto bad_id;
		ps.prefix[i] = (char)tolower((unsigned char)idtext[i]);
	}
	int err;
	if (ps.len == 2 * STORE_ID_BYTES) {
		for (size_t i = 0; i < STORE_ID_BYTES; i++) {
			unsigned v;
			sscanf(ps.prefix + 2 * i, "%2x", &v);
			ps.id[i] = (unsigned char)v;
		}
		ps.matches = 1;
	} else {
		err = store_record_each(c->store, match_prefix, &ps);
		if (err)
			return cli_store_fail(c, err);
	}
	if (ps.matches == 0) {
		cli_err(c, MSG_E_NO_RECORD, idtext);
		return EXIT_NOINPUT;
	}
	if (ps.matches > 1) {
		cli_err(c, MSG_E_AMBIGUOUS_ID, idtext, ps.matches);
		return EXIT_USAGE;
	}
	err = store_record_get(c->store, ps.id, out);
	if (err == STORE_ENOTFOUND) {
		cli_err(c, MSG_E_NO_RECORD, idtext);
		return EXIT_NOINPUT;
	}
	return err ? cli_store_fail(c, err) : 0;
bad_id:
	cli_err(c, MSG_E_BAD_ID, idtext);
	return EXIT_USAGE;
}

struct report_search {
	const char *form, *unit, *period;
	struct store_record *out;
	int found;
};

static int match_report(const struct store_record *r, void *arg)
{
	struct report_search *rs = arg;
	if (r->deleted || strcmp(r->form, rs->form) || strcmp(r->unit, rs->unit) ||
	    strcmp(r->period, rs->period))
		return 0;
	/* Copy the scalar part, then the fields (the record is borrowed). */
	struct kv fields = rs->out->fields;
	kv_free(&fields);
	*rs->out = *r;
	rs->out->fields = (struct kv)KV_INIT;
	if (kv_copy(&rs->out->fields, &r->fields) != 0)
		return STORE_ENOMEM;
	rs->found = 1;
	return 1;
}

int rec_find_report(struct cli *c, const char *form, const char *unit, const char *period,
		    struct store_record *out)
{
	struct report_search rs = {form, unit, period, out, 0};
	int err = store_record_each(c->store, match_report, &rs);
	if (err < 0)
		return err;
	return rs.found;
}

enum forms_level rec_level(struct cli *c)
{
	const struct forms_unit *u = forms_unit_find(c->forms, c->conf.unit, c->conf.unit_list);
	return u ? forms_unit_level(u) : FORMS_LEVEL_COMMUNE;
}

static void list_fields(struct cli *c, const struct form *f)
{
	enum forms_lang L = forms_lang(c);
	for (size_t i = 0; i < form_field_count(f); i++) {
		const struct form_field *fl = form_field_at(f, i);
		if (form_field_type(fl) == FORM_COMPUTED)
			continue;
		fprintf(stderr, "  %-28s %s\n", form_field_id(fl), form_field_label(fl, L));
	}
}

int rec_parse_sets(struct cli *c, const struct form *f, char **args, int n, struct kv *vals)
{
	enum forms_lang L = forms_lang(c);
	int bad = 0, unknown = 0;
	for (int i = 0; i < n; i++) {
		char *eq = strchr(args[i], '=');
		if (!eq || eq == args[i]) {
			cli_err(c, MSG_E_BAD_SET, args[i]);
			bad = 1;
			continue;
		}
		*eq = '\0';
		const char *name = args[i], *input = eq + 1;
		const struct form_field *fl = form_field_find(f, name);
		if (!fl) {
			cli_err(c, MSG_E_UNKNOWN_FIELD, name, form_id(f));
			bad = unknown = 1;
			continue;
		}
		char *canon = NULL, *why = NULL;
		int err = form_field_normalize(fl, input, L, &canon, &why);
		if (err) {
			cli_err(c, MSG_E_FIELD_VALUE, name, form_field_label(fl, L),
				why ? why : forms_strerror(err));
			free(why);
			bad = 1;
			continue;
		}
		if (kv_set(vals, name, canon) != 0)
			bad = 1;
		free(canon);
	}
	if (unknown) {
		fprintf(stderr, cli_msg(c, MSG_FIELDS_ARE), form_id(f));
		list_fields(c, f);
	}
	return bad ? EXIT_DATAERR : 0;
}

/* Values as the validator sees them: empty means absent. */
static void present_values(const struct kv *in, struct kv *out)
{
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].value[0])
			kv_set(out, in->v[i].name, in->v[i].value);
}

/* A `unique` field (the dossier code): no other live entry of the form
 * may hold the same value.  The rule is the form's (form_field_unique);
 * the UI applies it at the field. */
struct unique_walk {
	const struct store_record *self;
	const char *field, *value;
	int found;
};

static int unique_one(const struct store_record *r, void *arg)
{
	struct unique_walk *w = arg;
	if (r->deleted || strcmp(r->form, w->self->form) != 0 ||
	    memcmp(r->id, w->self->id, STORE_ID_BYTES) == 0)
		return 0;
	const char *v = kv_get(&r->fields, w->field);
	w->found = v && strcmp(v, w->value) == 0;
	return w->found;
}

static int unique_ok(struct cli *c, const struct form *f, const struct store_record *r)
{
	for (size_t i = 0; i < form_field_count(f); i++) {
		const struct form_field *fl = form_field_at(f, i);
		const char *v = kv_get(&r->fields, form_field_id(fl));
		if (!form_field_unique(fl) || !v || !*v)
			continue;
		struct unique_walk w = {r, form_field_id(fl), v, 0};
		int err = store_record_each(c->store, unique_one, &w);
		if (err < 0)
			return 0; /* the save reports the store's problem */
		if (w.found) {
			char *msg = NULL;
			form_unique_message(fl, v, forms_lang(c), &msg);
			fprintf(stderr, "cchc: %s: %s\n", form_field_id(fl), msg ? msg : v);
			free(msg);
			return 0;
		}
	}
	return 1;
}

int rec_validate(struct cli *c, const struct form *f, const struct store_record *r,
		 enum forms_check mode)
{
	struct kv vals = KV_INIT, prevvals = KV_INIT;
	const struct kv *prev = NULL;
	present_values(&r->fields, &vals);
	if (form_kind(f) == FORM_KIND_REPORT && mode == FORMS_CHECK_SUBMIT) {
		const struct forms_period *p = forms_period_find(c->forms, r->period);
		const char *pp = p ? forms_period_previous(p) : NULL;
		struct store_record pr;
		store_record_init(&pr);
		if (pp && rec_find_report(c, r->form, r->unit, pp, &pr) == 1) {
			present_values(&pr.fields, &prevvals);
			prev = &prevvals;
		}
		store_record_clear(&pr);
	}
	struct form_problems probs = FORM_PROBLEMS_INIT;
	int err = form_validate(f, &vals, prev, rec_level(c), mode, &probs);
	for (size_t i = 0; i < probs.n; i++) {
		const char *text = c->lang == LANG_EN ? probs.v[i].en : probs.v[i].vi;
		if (probs.v[i].field)
			fprintf(stderr, "cchc: %s: %s\n", probs.v[i].field, text);
		else
			fprintf(stderr, "cchc: %s\n", text);
	}
	int n = (int)probs.n;
	form_problems_free(&probs);
	kv_free(&vals);
	kv_free(&prevvals);
	if (err == FORMS_ECHECK) {
		cli_err(c, MSG_E_CHECKS_FAILED, n);
		return EXIT_DATAERR;
	}
	if (err) {
		cli_err(c, MSG_E_INTERNAL, forms_strerror(err));
		return EXIT_SOFTWARE;
	}
	if (form_kind(f) == FORM_KIND_REGISTER && !r->deleted && !unique_ok(c, f, r)) {
		cli_err(c, MSG_E_CHECKS_FAILED, 1);
		return EXIT_DATAERR;
	}
	return 0;
}

const struct form *rec_form(struct cli *c, const struct store_record *r)
{
	const struct form *f = forms_find_version(c->forms, r->form, (int)r->form_version);
	if (!f)
		cli_err(c, MSG_E_FORM_VERSION_GONE, r->form, r->form_version);
	return f;
}
