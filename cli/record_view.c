/*
 * cli/record_view.c: `cchc record show ID [--format json]` and
 * `cchc record list [FORM] [--period P] [--search TEXT] [--format table|csv|json]`.
 *
 * Lists sort in Vietnamese order (core/text collation): reports by period
 * then unit name, register entries by their summary (the first text fields,
 * e.g. the applicant's name).  Search folds case and diacritics ("tan trao"
 * finds "Tân Trào") over every text and choice value and the id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_sync.h"
#include "cli/records.h"
#include "core/text.h"
#include "core/vnfmt.h"
#include "sync/sync.h"

static void json_value(const struct form *f, const char *name, const char *value)
{
	const struct form_field *fl = f ? form_field_find(f, name) : NULL;
	enum form_type t = fl ? form_field_type(fl) : FORM_TEXT;
	if ((t == FORM_INTEGER || t == FORM_DECIMAL) && value[0])
		fputs(value, stdout);
	else
		json_str(stdout, value);
}

static void record_json(struct cli *c, const struct store_record *r)
{
	const struct form *f = forms_find_version(c->forms, r->form, (int)r->form_version);
	char hex[2 * STORE_ID_BYTES + 1], when[VN_ISOTIME_BUF];
	id_hex(r->id, hex);
	vn_time_iso(r->changed_at, when);
	printf("{\"id\":\"%s\",\"form\":", hex);
	json_str(stdout, r->form);
	printf(",\"form_version\":%u,\"unit\":", r->form_version);
	json_str(stdout, r->unit);
	printf(",\"unit_list\":");
	json_str(stdout, r->unit_list);
	printf(",\"period\":");
	json_str(stdout, r->period);
	printf(",\"state\":\"%s\",\"deleted\":%s,\"version\":%u,\"revision\":%u,"
	       "\"changed_at\":\"%s\",\"changed_by\":",
	       form_state_name(r->state), r->deleted ? "true" : "false", r->version, r->revision, when);
	json_str(stdout, r->changed_by);
	printf(",\"fields\":{");
	/* In the form's field order, whatever order they were typed in, so the
	 * output is stable for scripts; names the form does not know last. */
	int n = 0;
	for (size_t i = 0; f && i < form_field_count(f); i++) {
		const char *id = form_field_id(form_field_at(f, i));
		const char *v = kv_get(&r->fields, id);
		if (!v)
			continue;
		printf("%s", n++ ? "," : "");
		json_str(stdout, id);
		putchar(':');
		json_value(f, id, v);
	}
	for (size_t i = 0; i < r->fields.n; i++) {
		if ((f && form_field_find(f, r->fields.v[i].name)) ||
		    strcmp(r->fields.v[i].name, STORE_FIELD_RETURN_REASON) == 0)
			continue;
		printf("%s", n++ ? "," : "");
		json_str(stdout, r->fields.v[i].name);
		putchar(':');
		json_value(f, r->fields.v[i].name, r->fields.v[i].value);
	}
	putchar('}');
	const char *why = rec_return_reason(r);
	if (why) {
		vn_time_iso(r->returned_at, when);
		printf(",\"return_reason\":");
		json_str(stdout, why);
		printf(",\"returned_at\":\"%s\",\"returned_revision\":%u", when,
		       r->returned_revision);
	}
	putchar('}');
}

static void show_text(struct cli *c, const struct store_record *r, const struct form *f)
{
	enum forms_lang L = forms_lang(c);
	char hex[2 * STORE_ID_BYTES + 1], when[VN_TIME_BUF];
	id_hex(r->id, hex);
	vn_time_format(r->changed_at, when);
	const struct forms_unit *u = forms_unit_find(c->forms, r->unit, r->unit_list);
	const struct forms_period *p = r->period[0] ? forms_period_find(c->forms, r->period) : NULL;
	printf("%s (%s v%u)\n", form_title(f, L), r->form, r->form_version);
	cli_out(c, MSG_SHOW_ID, hex);
	cli_out(c, MSG_SHOW_UNIT, u ? forms_unit_name(u) : r->unit, r->unit);
	const struct forms_unit *now = u ? forms_unit_current(c->forms, u, cli_today()) : NULL;
	if (now && now != u)
		cli_out(c, MSG_SHOW_UNIT_NOW, forms_unit_name(now), forms_unit_code(now),
			forms_unit_list_version(now));
	if (p)
		cli_out(c, MSG_SHOW_PERIOD, forms_period_name(p, L), r->period);
	if (form_kind(f) == FORM_KIND_REPORT)
		cli_out(c, MSG_SHOW_STATE, form_state_label(r->state, forms_lang(c)), r->revision);
	const char *why = rec_return_reason(r);
	if (why) {
		char at[VN_TIME_BUF];
		vn_time_format(r->returned_at, at);
		cli_out(c, MSG_SHOW_RETURNED, at, r->returned_revision, why);
	}
	if (r->deleted)
		cli_out(c, MSG_SHOW_DELETED);
	cli_out(c, MSG_SHOW_CHANGED, r->version, when, r->changed_by);

	struct kv computed = KV_INIT;
	form_compute(f, &r->fields, &computed);
	for (size_t s = 0; s < form_section_count(f); s++) {
		const struct form_section *sec = form_section_at(f, s);
		printf("\n%s\n", form_section_title(sec, L));
		for (size_t i = 0; i < form_section_field_count(sec); i++) {
			const struct form_field *fl = form_section_field_at(sec, i);
			const char *v = kv_get(&r->fields, form_field_id(fl));
			if (!v)
				v = kv_get(&computed, form_field_id(fl));
			char *shown = NULL;
			if (v && v[0])
				form_field_display(fl, v, L, &shown);
			const char *label = form_field_label(fl, L);
			int pad = 48 - text_width(label);
			/* Stored text came from people and other nodes: no control
			 * or bidi character reaches the terminal as it is. */
			char *safe = text_escape_unsafe(shown ? shown : (v && v[0] ? v : "—"), "\n");
			printf("  %s%*s %s\n", label, pad > 0 ? pad : 1, "", safe ? safe : "?");
			free(safe);
			free(shown);
		}
	}
	kv_free(&computed);
	if (form_rate_count(f)) {
		printf("\n%s\n", cli_msg(c, MSG_RATES_HEAD));
		for (size_t i = 0; i < form_rate_count(f); i++) {
			struct form_rate_value rv;
			const struct form_rate *rt = form_rate_at(f, i);
			if (form_rate_eval(f, rt, &r->fields, rec_level(c), &rv) != 0)
				continue;
			const char *label = form_rate_label(rt, L);
			int pad = 48 - text_width(label);
			char counts[64] = "";
			if (rv.has_counts)
				snprintf(counts, sizeof counts, "(%lld/%lld)", (long long)rv.num,
					 (long long)rv.den);
			int tpad = 7 - text_width(rv.text);
			printf("  %s%*s %s%*s %-12s %-8s %s\n", label, pad > 0 ? pad : 1, "", rv.text,
			       tpad > 0 ? tpad : 0, "", counts, rv.target, form_met_label(rv.met, L));
		}
	}
}

int rec_show(struct cli *c, int argc, char **argv)
{
	int json = 0;
	const char *idtext = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			const char *fmt = argv[++i];
			if (strcmp(fmt, "json") == 0)
				json = 1;
			else if (strcmp(fmt, "text") != 0 && strcmp(fmt, "table") != 0)
				goto usage;
		} else if (!idtext) {
			idtext = argv[i];
		} else {
			goto usage;
		}
	}
	if (!idtext)
		goto usage;
	int rc;
	if ((rc = cli_forms(c)) || (rc = cli_login(c, 0)))
		return rc;
	cli_sync_take_mail(c);
	struct store_record r;
	store_record_init(&r);
	if ((rc = rec_find(c, idtext, &r)) == 0 && (rc = rec_return_overlay(c, &r)) != 0)
		rc = cli_store_fail(c, rc);
	if (rc == 0) {
		const struct form *f = rec_form(c, &r);
		if (!f) {
			rc = EXIT_DATAERR;
		} else if (json) {
			record_json(c, &r);
			putchar('\n');
		} else {
			show_text(c, &r, f);
		}
	}
	store_record_clear(&r);
	return rc;
usage:
	fputs(cli_msg(c, MSG_USAGE_RECORD), stderr);
	return EXIT_USAGE;
}

/* One row of a list: a copy of the record and its sort key. */
struct row {
	struct store_record r;
	char *summary;
	uint8_t *key;
	size_t keylen;
};

struct list_query {
	struct cli *c;
	const char *form, *period;
	char *needle; /* folded search text, or NULL */
	int all;
	struct row *rows;
	size_t n, cap;
	int err;
};

/* The form's summary fields ("Nguyễn Văn A — HS-001 — Đăng ký khai sinh"),
 * or its first three filled one-line text fields.  Built whole (values may
 * be long Vietnamese text): a cut inside a letter would not be UTF-8. */
static char *summary_of(const struct form *f, const struct store_record *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return NULL;
	int taken = 0;
	size_t count = f ? form_summary_count(f) : 0;
	size_t total = count ? count : f ? form_field_count(f) : 0;
	for (size_t i = 0; i < total && (count || taken < 3); i++) {
		const char *id;
		if (count) {
			id = form_summary_at(f, i);
		} else {
			const struct form_field *fl = form_field_at(f, i);
			if (form_field_type(fl) != FORM_TEXT || form_field_multiline(fl))
				continue;
			id = form_field_id(fl);
		}
		const char *v = kv_get(&r->fields, id);
		if (!v || !v[0])
			continue;
		fprintf(m, "%s%s", taken ? " — " : "", v);
		taken++;
	}
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* 1 when the folded text contains the folded needle. */
static int text_hit(const char *text, const char *needle)
{
	char *folded;
	if (!text || text_fold(text, &folded) != 0)
		return 0;
	int hit = text_fold_contains(folded, needle);
	free(folded);
	return hit;
}

/* The search looks where people look: every value as shown (choice labels
 * in both languages, dates as dd/mm/yyyy), the stored codes, the unit's
 * and the period's names, and the id. */
static int matches(struct list_query *q, const struct store_record *r)
{
	if (!q->needle)
		return 1;
	char hex[2 * STORE_ID_BYTES + 1];
	id_hex(r->id, hex);
	if (strncmp(hex, q->needle, strlen(q->needle)) == 0)
		return 1;
	const struct forms *fs = q->c->forms;
	const struct forms_unit *u = forms_unit_find(fs, r->unit, r->unit_list);
	const struct forms_period *p = r->period[0] ? forms_period_find(fs, r->period) : NULL;
	if ((u && text_hit(forms_unit_name(u), q->needle)) ||
	    (p && (text_hit(forms_period_name(p, FORMS_LANG_VI), q->needle) ||
		   text_hit(forms_period_name(p, FORMS_LANG_EN), q->needle))))
		return 1;
	const struct form *f = forms_find_version(fs, r->form, (int)r->form_version);
	for (size_t i = 0; i < r->fields.n; i++) {
		const char *v = r->fields.v[i].value;
		if (text_hit(v, q->needle))
			return 1;
		const struct form_field *fl = f ? form_field_find(f, r->fields.v[i].name) : NULL;
		if (!fl || form_field_type(fl) == FORM_TEXT)
			continue;
		for (int lang = FORMS_LANG_VI; lang <= FORMS_LANG_EN; lang++) {
			char *shown = NULL;
			int hit = form_field_display(fl, v, (enum forms_lang)lang, &shown) == 0 &&
				  text_hit(shown, q->needle);
			free(shown);
			if (hit)
				return 1;
		}
	}
	return 0;
}

static int collect(const struct store_record *r, void *arg)
{
	struct list_query *q = arg;
	if ((r->deleted && !q->all) || (q->form && strcmp(r->form, q->form)) ||
	    (q->period && strcmp(r->period, q->period)) || !matches(q, r))
		return 0;
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct row *rows = realloc(q->rows, cap * sizeof *rows);
		if (!rows)
			goto nomem;
		q->rows = rows;
		q->cap = cap;
	}
	struct row *w = &q->rows[q->n];
	memset(w, 0, sizeof *w);
	w->r = *r;
	w->r.fields = (struct kv)KV_INIT;
	if (kv_copy(&w->r.fields, &r->fields) != 0)
		goto nomem;
	int err = rec_return_overlay(q->c, &w->r);
	if (err) {
		kv_free(&w->r.fields);
		q->err = err;
		return 1;
	}
	const struct form *f = forms_find_version(q->c->forms, r->form, (int)r->form_version);
	w->summary = summary_of(f, r);
	const struct forms_unit *u = forms_unit_find(q->c->forms, r->unit, r->unit_list);
	char *sortable = NULL;
	if (w->summary && asprintf(&sortable, "%s %s %s %s", r->form, r->period,
				   u ? forms_unit_short_name(u) : r->unit, w->summary) < 0)
		sortable = NULL;
	int bad = !sortable || text_collate_key(sortable, &w->key, &w->keylen) != 0;
	free(sortable);
	if (bad) {
		kv_free(&w->r.fields);
		free(w->summary);
		goto nomem;
	}
	q->n++;
	return 0;
nomem:
	q->err = STORE_ENOMEM;
	return 1;
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int d = memcmp(x->key, y->key, n);
	if (d)
		return d;
	if (x->keylen != y->keylen)
		return x->keylen < y->keylen ? -1 : 1;
	return memcmp(x->r.id, y->r.id, STORE_ID_BYTES);
}

static void print_table(struct cli *c, struct list_query *q)
{
	enum forms_lang L = forms_lang(c);
	cli_out(c, MSG_LIST_HEAD);
	for (size_t i = 0; i < q->n; i++) {
		const struct store_record *r = &q->rows[i].r;
		char hex[2 * STORE_ID_BYTES + 1], when[VN_TIME_BUF];
		id_hex(r->id, hex);
		hex[12] = '\0';
		vn_time_format(r->changed_at, when);
		when[10] = '\0';
		const struct form *f = forms_find_version(c->forms, r->form, (int)r->form_version);
		const char *state = r->deleted ? cli_msg(c, MSG_STATE_DELETED)
				    : f && form_kind(f) == FORM_KIND_REPORT ? form_state_label(r->state, forms_lang(c))
									      : cli_msg(c, MSG_STATE_SAVED);
		const struct forms_unit *u = forms_unit_find(c->forms, r->unit, r->unit_list);
		const char *what = q->rows[i].summary[0] ? q->rows[i].summary
				   : u			 ? forms_unit_name(u)
							 : r->unit;
		const char *why = rec_return_reason(r);
		char whybuf[SYNC_REASON_MAX + 64];
		if (why && r->state == FORM_STATE_RETURNED) {
			snprintf(whybuf, sizeof whybuf, cli_msg(c, MSG_LIST_RETURNED), why);
			what = whybuf;
		}
		int spad = 13 - text_width(state);
		printf("%s  %-18s %-8s %s%*s %3u  %s  ", hex, r->form, r->period[0] ? r->period : "-",
		       state, spad > 0 ? spad : 0, "", r->version, when);
		char *safe = text_escape_unsafe(what, NULL);
		const char *w = safe ? safe : "?";
		size_t clip = text_clip(w, strlen(w), 60);
		printf("%.*s\n", (int)clip, w);
		free(safe);
	}
	cli_out(c, MSG_LIST_COUNT, q->n);
	(void)L;
}

static void print_csv(struct cli *c, struct list_query *q)
{
	const struct form *f = q->form ? forms_find(c->forms, q->form) : NULL;
	fputs("\xEF\xBB\xBF", stdout); /* BOM: Excel opens UTF-8 CSV correctly */
	printf("id,form,form_version,unit,period,state,deleted,version,revision,changed_at,"
	       "changed_by");
	for (size_t k = 0; f && k < form_field_count(f); k++)
		if (form_field_type(form_field_at(f, k)) != FORM_COMPUTED)
			printf(",%s", form_field_id(form_field_at(f, k)));
	printf("\r\n");
	for (size_t i = 0; i < q->n; i++) {
		const struct store_record *r = &q->rows[i].r;
		char hex[2 * STORE_ID_BYTES + 1], when[VN_ISOTIME_BUF];
		id_hex(r->id, hex);
		vn_time_iso(r->changed_at, when);
		printf("%s,", hex);
		csv_str(stdout, r->form);
		printf(",%u,%s,%s,%s,%d,%u,%u,%s,", r->form_version, r->unit, r->period,
		       form_state_name(r->state), r->deleted, r->version, r->revision, when);
		csv_str(stdout, r->changed_by);
		for (size_t k = 0; f && k < form_field_count(f); k++) {
			const struct form_field *fl = form_field_at(f, k);
			if (form_field_type(fl) == FORM_COMPUTED)
				continue;
			const char *v = kv_get(&r->fields, form_field_id(fl));
			putchar(',');
			csv_str(stdout, v ? v : "");
		}
		printf("\r\n");
	}
}

int rec_list(struct cli *c, int argc, char **argv)
{
	struct list_query q;
	memset(&q, 0, sizeof q);
	q.c = c;
	const char *fmt = "table", *search = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--period") == 0 && i + 1 < argc)
			q.period = argv[++i];
		else if (strcmp(argv[i], "--search") == 0 && i + 1 < argc)
			search = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			fmt = argv[++i];
		else if (strcmp(argv[i], "--all") == 0)
			q.all = 1;
		else if (!q.form && argv[i][0] != '-')
			q.form = argv[i];
		else
			goto usage;
	}
	if (strcmp(fmt, "table") && strcmp(fmt, "csv") && strcmp(fmt, "json"))
		goto usage;
	int rc;
	if ((rc = cli_forms(c)) || (rc = cli_login(c, 0)))
		return rc;
	cli_sync_take_mail(c);
	if (q.form && !cli_find_form(c, q.form))
		return EXIT_DATAERR;
	if (q.period && !forms_period_find(c->forms, q.period)) {
		cli_err(c, MSG_E_UNKNOWN_PERIOD, q.period);
		return EXIT_DATAERR;
	}
	if (search && text_fold(search, &q.needle) != 0) {
		cli_err(c, MSG_E_BAD_TEXT);
		return EXIT_DATAERR;
	}
	int err = store_record_each(c->store, collect, &q);
	if (err < 0 || q.err)
		rc = cli_store_fail(c, q.err ? q.err : err);
	else {
		if (q.n)
			qsort(q.rows, q.n, sizeof *q.rows, row_cmp);
		if (strcmp(fmt, "json") == 0) {
			putchar('[');
			for (size_t i = 0; i < q.n; i++) {
				printf("%s", i ? ",\n" : "");
				record_json(c, &q.rows[i].r);
			}
			printf("]\n");
		} else if (strcmp(fmt, "csv") == 0) {
			print_csv(c, &q);
		} else {
			print_table(c, &q);
		}
	}
	for (size_t i = 0; i < q.n; i++) {
		store_record_clear(&q.rows[i].r);
		free(q.rows[i].summary);
		free(q.rows[i].key);
	}
	free(q.rows);
	free(q.needle);
	return rc;
usage:
	fputs(cli_msg(c, MSG_USAGE_RECORD), stderr);
	return EXIT_USAGE;
}
