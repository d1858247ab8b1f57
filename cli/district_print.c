/*
 * cli/district_print.c: `status` and `summary` on stdout as a table for
 * people (Vietnamese, or English with --lang en), CSV (UTF-8 with a BOM,
 * RFC 4180, cells through core/csv.c) or JSON (shapes of issue 9, stable:
 * fields are added, never renamed).  Times: dd/mm/yyyy HH:MM in tables,
 * ISO 8601 with +07:00 in csv and json, whatever TZ says.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_district.h"
#include "core/text.h"
#include "core/vnfmt.h"

/* s, then spaces up to w display columns (at least one). */
static void cell(const char *s, int w)
{
	int n = text_width(s);
	fputs(s, stdout);
	for (int i = n < 0 ? 0 : n; i < w || i == n; i++)
		putchar(' ');
}

static void json_time(int64_t t)
{
	char buf[VN_ISOTIME_BUF];
	if (!t) {
		fputs("null", stdout);
		return;
	}
	vn_time_iso(t, buf);
	printf("\"%s\"", buf);
}

static void json_fraction(int64_t part, int64_t whole)
{
	if (whole)
		printf("%.15g", district_fraction(part, whole));
	else
		fputs("null", stdout);
}

static void csv_time(int64_t t)
{
	char buf[VN_ISOTIME_BUF];
	if (t) {
		vn_time_iso(t, buf);
		fputs(buf, stdout);
	}
}

static void pct(int64_t part, int64_t whole, char buf[VN_NUM_BUF])
{
	vn_rate_format(part, whole, buf);
}

static void status_json(const struct district_status *st)
{
	char dl[VN_ISOTIME_BUF];
	vn_time_iso(st->deadline, dl);
	printf("{\"period\":");
	json_str(stdout, forms_period_id(st->period));
	printf(",\"deadline\":\"%s\",\"expected\":%zu,\"received\":%zu,\"on_time\":%zu,"
	       "\"late\":%zu,\"returned\":%zu,\"received_rate\":",
	       dl, st->expected, st->received, st->on_time, st->late, st->returned);
	json_fraction((int64_t)st->received, (int64_t)st->expected);
	printf(",\"on_time_rate\":");
	json_fraction((int64_t)st->on_time, (int64_t)st->expected);
	printf(",\"units\":[");
	for (size_t i = 0; i < st->n; i++) {
		const struct district_unit_status *u = &st->units[i];
		printf("%s{\"unit\":", i ? ",\n" : "\n");
		json_str(stdout, forms_unit_code(u->unit));
		printf(",\"name\":");
		json_str(stdout, forms_unit_name(u->unit));
		printf(",\"state\":\"%s\",\"approved_at\":", district_state_name(u->state));
		json_time(u->approved_at);
		printf(",\"received_at\":");
		json_time(u->received_at);
		printf(",\"revisions\":%" PRIu32 ",\"revision_counted\":%" PRIu32
		       ",\"latest_approved_at\":",
		       u->revisions, u->latest_revision);
		json_time(u->latest_approved_at);
		printf(",\"latest_received_at\":");
		json_time(u->latest_received_at);
		printf("}");
	}
	printf("]}\n");
}

static void status_csv(const struct district_status *st)
{
	fputs("\xEF\xBB\xBF"
	      "unit,name,state,approved_at,received_at,revisions,revision_counted,"
	      "latest_approved_at,latest_received_at\r\n",
	      stdout);
	for (size_t i = 0; i < st->n; i++) {
		const struct district_unit_status *u = &st->units[i];
		csv_str(stdout, forms_unit_code(u->unit));
		putchar(',');
		csv_str(stdout, forms_unit_name(u->unit));
		printf(",%s,", district_state_name(u->state));
		csv_time(u->approved_at);
		putchar(',');
		csv_time(u->received_at);
		printf(",%" PRIu32 ",%" PRIu32 ",", u->revisions, u->latest_revision);
		csv_time(u->latest_approved_at);
		putchar(',');
		csv_time(u->latest_received_at);
		fputs("\r\n", stdout);
	}
}

static void status_table(struct cli *c, const struct district_status *st)
{
	char a[VN_TIME_BUF], b[VN_TIME_BUF], p1[VN_NUM_BUF], p2[VN_NUM_BUF];
	vn_time_format(st->deadline, a);
	cli_out(c, MSG_D_ST_TITLE, forms_period_name(st->period, forms_lang(c)),
		forms_period_id(st->period), a);
	cell(cli_msg(c, MSG_D_X_COL_CODE), 10);
	cell(cli_msg(c, MSG_D_X_COL_NAME), 24);
	cell(cli_msg(c, MSG_D_X_COL_STATE), 12);
	cell(cli_msg(c, MSG_D_X_COL_APPROVED), 17);
	cell(cli_msg(c, MSG_D_X_COL_RECEIVED), 19);
	printf("%s\n", cli_msg(c, MSG_D_X_COL_REVS));
	for (size_t i = 0; i < st->n; i++) {
		const struct district_unit_status *u = &st->units[i];
		a[0] = b[0] = '\0';
		if (u->approved_at)
			vn_time_format(u->approved_at, a);
		if (u->received_at)
			vn_time_format(u->received_at, b);
		cell(forms_unit_code(u->unit), 10);
		cell(forms_unit_name(u->unit), 24);
		cell(district_state_label(u->state, forms_lang(c)), 12);
		cell(a, 17);
		cell(b, 19);
		printf("%" PRIu32 "\n", u->revisions);
	}
	pct((int64_t)st->received, (int64_t)st->expected, p1);
	pct((int64_t)st->on_time, (int64_t)st->expected, p2);
	cli_out(c, MSG_D_ST_TOTAL, st->expected, st->received, p1, st->on_time, p2, st->late,
		st->returned);
}

void print_status(struct cli *c, const struct desk_args *a, const struct district_status *st)
{
	if (strcmp(a->format, "json") == 0)
		status_json(st);
	else if (strcmp(a->format, "csv") == 0)
		status_csv(st);
	else
		status_table(c, st);
}

/* ---- summary */

static void rate_json(const struct form_rate_value *v)
{
	printf("{\"id\":");
	json_str(stdout, form_rate_id(v->rate));
	if (v->has_counts)
		printf(",\"num\":%" PRId64 ",\"den\":%" PRId64 ",\"rate\":", v->num, v->den);
	else
		printf(",\"num\":null,\"den\":null,\"rate\":");
	json_fraction(v->num, v->has_counts ? v->den : 0);
	printf(",\"text\":");
	json_str(stdout, v->text);
	printf(",\"target\":");
	if (v->target && v->target[0])
		json_str(stdout, v->target);
	else
		fputs("null", stdout);
	printf(",\"met\":%s}", v->met == FORM_MET_YES ? "true" : v->met == FORM_MET_NO ? "false" : "null");
}

static void warnings_json(const struct district_summary *sm)
{
	printf(",\"warnings\":[");
	for (size_t i = 0; i < sm->n_warnings; i++) {
		const struct district_warning *w = &sm->warnings[i];
		printf("%s{\"kind\":\"%s\",\"unit\":", i ? "," : "",
		       w->kind == DISTRICT_W_CARRIED_OVER ? "carried_over" : "balance");
		json_str(stdout, forms_unit_code(w->unit));
		printf(",\"value\":%" PRId64 ",\"other\":%" PRId64, w->value, w->other);
		if (w->kind == DISTRICT_W_CARRIED_OVER) {
			printf(",\"other_period\":");
			json_str(stdout, w->other_period);
		} else {
			printf(",\"resolved\":%" PRId64 ",\"pending\":%" PRId64, w->resolved,
			       w->pending);
		}
		printf("}");
	}
	printf("]");
}

static void summary_json(const struct district_summary *sm)
{
	printf("{\"period\":");
	json_str(stdout, forms_period_id(sm->period));
	printf(",\"form\":");
	json_str(stdout, form_id(sm->form));
	printf(",\"expected\":%zu,\"reported\":%zu,\"units\":[", sm->n, sm->reported);
	for (size_t i = 0; i < sm->n; i++) {
		const struct district_unit_summary *u = &sm->units[i];
		printf("%s{\"unit\":", i ? ",\n" : "\n");
		json_str(stdout, forms_unit_code(u->unit));
		printf(",\"name\":");
		json_str(stdout, forms_unit_name(u->unit));
		printf(",\"state\":\"%s\",\"revision\":%" PRIu32 ",\"rates\":[",
		       district_state_name(u->state), u->revision);
		for (size_t k = 0; k < sm->n_rates; k++) {
			printf("%s", k ? "," : "");
			rate_json(&u->rates[k]);
		}
		printf("]}");
	}
	printf("],\n\"total\":{\"level\":\"%s\",\"rates\":[",
	       sm->total_level == FORMS_LEVEL_DISTRICT ? "district" : "commune");
	for (size_t k = 0; k < sm->n_rates; k++) {
		printf("%s", k ? "," : "");
		rate_json(&sm->total[k]);
	}
	printf("]}");
	warnings_json(sm);
	printf("}\n");
}

static void rate_csv(const char *code, const char *name, const struct form_rate_value *v)
{
	csv_str(stdout, code);
	putchar(',');
	csv_str(stdout, name);
	putchar(',');
	csv_str(stdout, form_rate_id(v->rate));
	if (v->has_counts)
		printf(",%" PRId64 ",%" PRId64 ",", v->num, v->den);
	else
		printf(",,,");
	if (v->has_counts && v->den)
		printf("%.15g", district_fraction(v->num, v->den));
	putchar(',');
	csv_str(stdout, v->target ? v->target : "");
	printf(",%s\r\n", v->met == FORM_MET_YES ? "1" : v->met == FORM_MET_NO ? "0" : "");
}

/* One line per unit and rate, then the total's lines under the
 * aggregating unit's own code. */
static void summary_csv(const struct forms_unit *agg, const struct district_summary *sm,
			const char *total_name)
{
	fputs("\xEF\xBB\xBFunit,name,rate,num,den,value,target,met\r\n", stdout);
	for (size_t i = 0; i < sm->n; i++)
		for (size_t k = 0; k < sm->n_rates; k++)
			rate_csv(forms_unit_code(sm->units[i].unit), forms_unit_name(sm->units[i].unit),
				 &sm->units[i].rates[k]);
	for (size_t k = 0; k < sm->n_rates; k++)
		rate_csv(agg ? forms_unit_code(agg) : "", total_name, &sm->total[k]);
}

static void rate_row(struct cli *c, const char *code, const char *name,
		     const struct form_rate_value *v)
{
	char n[VN_NUM_BUF] = "", d[VN_NUM_BUF] = "";
	if (v->has_counts)
		vn_int_format(v->num, n), vn_int_format(v->den, d);
	printf("  ");
	cell(code, 8);
	cell(name, 24);
	printf("%10s %10s  ", n, d);
	cell(v->text, 8);
	printf("%s\n", form_met_label(v->met, forms_lang(c)));
}

static void summary_table(struct cli *c, const struct district_summary *sm,
			  const char *total_name)
{
	enum forms_lang L = forms_lang(c);
	cli_out(c, MSG_D_SM_TITLE, forms_period_name(sm->period, L), forms_period_id(sm->period),
		sm->reported, sm->n);
	for (size_t k = 0; k < sm->n_rates; k++) {
		const struct form_rate *r = form_rate_at(sm->form, k);
		const char *t = form_rate_target_text(r, sm->total_level);
		printf("\n%s (%s)%s%s%s\n", form_rate_label(r, L), form_rate_id(r), t[0] ? " [" : "",
		       t, t[0] ? "]" : "");
		for (size_t i = 0; i < sm->n; i++)
			rate_row(c, forms_unit_code(sm->units[i].unit),
				 forms_unit_short_name(sm->units[i].unit), &sm->units[i].rates[k]);
		rate_row(c, "", total_name, &sm->total[k]);
	}
}

void print_summary(struct cli *c, const struct desk_args *a, const struct forms_unit *agg,
		   const struct district_summary *sm)
{
	const char *total = cli_msg(c, MSG_D_X_TOTAL);
	if (strcmp(a->format, "json") == 0)
		summary_json(sm);
	else if (strcmp(a->format, "csv") == 0)
		summary_csv(agg, sm, agg ? forms_unit_name(agg) : total);
	else
		summary_table(c, sm, total);
}

void print_warnings(struct cli *c, const struct district_summary *sm)
{
	for (size_t i = 0; i < sm->n_warnings; i++) {
		const struct district_warning *w = &sm->warnings[i];
		char v[VN_NUM_BUF], o[VN_NUM_BUF], r[VN_NUM_BUF], p[VN_NUM_BUF];
		vn_int_format(w->value, v);
		vn_int_format(w->other, o);
		const char *name = forms_unit_name(w->unit), *code = forms_unit_code(w->unit);
		if (w->kind == DISTRICT_W_CARRIED_OVER) {
			cli_err(c, MSG_D_W_CARRIED_OVER, name, code, v, w->other_period, o);
		} else {
			vn_int_format(w->resolved, r);
			vn_int_format(w->pending, p);
			cli_err(c, MSG_D_W_BALANCE, name, code, r, p, v, o);
		}
	}
}
