/*
 * cli/cmd_form.c: `cchc form list|show ID [--format json]|check FILE...`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/text.h"
#include "forms/forms.h"

static int usage_form(struct cli *c, int rc)
{
	fputs(cli_msg(c, MSG_USAGE_FORM), rc ? stderr : stdout);
	fputs(cli_msg(c, MSG_USAGE_FORM_YEAR), rc ? stderr : stdout);
	fputs(cli_msg(c, MSG_USAGE_FORM_CHECK), rc ? stderr : stdout);
	return rc;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && strcmp(s + a - b, suffix) == 0;
}

static void list_forms(struct cli *c, FILE *f)
{
	enum forms_lang L = forms_lang(c);
	for (size_t i = 0; i < forms_count(c->forms); i++) {
		const struct form *fm = forms_at(c->forms, i);
		int pad = 20 - text_width(form_id(fm));
		fprintf(f, "  %s%*s v%-3d %-9s %s\n", form_id(fm), pad > 0 ? pad : 0, "",
			form_version(fm), form_kind_name(form_kind(fm)), form_title(fm, L));
	}
}

const struct form *cli_find_form(struct cli *c, const char *id)
{
	const struct form *f = forms_find(c->forms, id);
	if (!f) {
		cli_err(c, MSG_E_UNKNOWN_FORM, id);
		list_forms(c, stderr);
	}
	return f;
}

static void field_json(struct cli *c, const struct form_field *fl, const char *section)
{
	enum forms_lang L = forms_lang(c);
	printf("{\"id\":");
	json_str(stdout, form_field_id(fl));
	printf(",\"type\":\"%s\",\"label\":", form_type_name(form_field_type(fl)));
	json_str(stdout, form_field_label(fl, L));
	printf(",\"required\":%s,\"section\":", form_field_required(fl) == 1 ? "true" : "false");
	json_str(stdout, section);
	int64_t lo, hi;
	if (form_field_range(fl, &lo, &hi) == 0 && form_field_type(fl) == FORM_INTEGER)
		printf(",\"min\":%lld,\"max\":%lld", (long long)lo, (long long)hi);
	if (form_field_type(fl) == FORM_TEXT && form_field_maxlen(fl))
		printf(",\"maxlen\":%zu", form_field_maxlen(fl));
	if (form_field_type(fl) == FORM_CHOICE) {
		printf(",\"choices\":[");
		for (size_t k = 0; k < form_field_choice_count(fl); k++) {
			printf("%s{\"code\":", k ? "," : "");
			json_str(stdout, form_field_choice_code(fl, k));
			printf(",\"label\":");
			json_str(stdout, form_field_choice_label(fl, k, L));
			printf("}");
		}
		printf("]");
	}
	if (form_field_expr(fl)) {
		printf(",\"expr\":");
		json_str(stdout, form_field_expr(fl));
	}
	printf("}");
}

static void show_json(struct cli *c, const struct form *f, int year)
{
	enum forms_lang L = forms_lang(c);
	printf("{\"id\":");
	json_str(stdout, form_id(f));
	printf(",\"version\":%d,\"title\":", form_version(f));
	json_str(stdout, form_title(f, L));
	printf(",\"kind\":\"%s\",\"fields\":[", form_kind_name(form_kind(f)));
	int first = 1;
	for (size_t s = 0; s < form_section_count(f); s++) {
		const struct form_section *sec = form_section_at(f, s);
		for (size_t i = 0; i < form_section_field_count(sec); i++) {
			printf("%s", first ? "" : ",");
			first = 0;
			field_json(c, form_section_field_at(sec, i), form_section_id(sec));
		}
	}
	printf("],\"rates\":[");
	for (size_t i = 0; i < form_rate_count(f); i++) {
		const struct form_rate *r = form_rate_at(f, i);
		printf("%s{\"id\":", i ? "," : "");
		json_str(stdout, form_rate_id(r));
		printf(",\"label\":");
		json_str(stdout, form_rate_label(r, L));
		printf(",\"numerator\":");
		json_str(stdout, form_rate_numerator(r));
		printf(",\"denominator\":");
		json_str(stdout, form_rate_denominator(r));
		struct forms_target t;
		char src[256];
		form_rate_target(r, year, FORMS_KIND_DISTRICT, &t);
		struct forms_target tc;
		form_rate_target(r, year, FORMS_KIND_COMMUNE, &tc);
		printf(",\"target_commune\":");
		json_str(stdout, tc.text);
		printf(",\"target_district\":");
		json_str(stdout, t.text);
		t = tc;
		forms_target_source(&t, L, src, sizeof src);
		printf(",\"plan_year\":");
		if (t.plan)
			printf("%d", forms_plan_year(t.plan));
		else
			printf("null");
		printf(",\"plan\":");
		json_str(stdout, src);
		printf("}");
	}
	printf("],\"rules\":[");
	for (size_t i = 0; i < form_rule_count(f); i++) {
		printf("%s", i ? "," : "");
		json_str(stdout, form_rule_expr(f, i));
	}
	printf("]}\n");
}

static void show_text(struct cli *c, const struct form *f, int year)
{
	enum forms_lang L = forms_lang(c);
	printf("%s (%s v%d, %s)\n", form_title(f, L), form_id(f), form_version(f),
	       form_kind_name(form_kind(f)));
	for (size_t s = 0; s < form_section_count(f); s++) {
		const struct form_section *sec = form_section_at(f, s);
		printf("\n%s\n", form_section_title(sec, L));
		for (size_t i = 0; i < form_section_field_count(sec); i++) {
			const struct form_field *fl = form_section_field_at(sec, i);
			int pad = 26 - text_width(form_field_id(fl));
			printf("  %s%*s %-8s %s%s\n", form_field_id(fl), pad > 0 ? pad : 0, "",
			       form_type_name(form_field_type(fl)), form_field_label(fl, L),
			       form_field_required(fl) == 1 ? " *" : "");
		}
	}
	if (form_rate_count(f)) {
		printf("\n%s\n", cli_msg(c, MSG_RATES_HEAD));
		for (size_t i = 0; i < form_rate_count(f); i++) {
			const struct form_rate *r = form_rate_at(f, i);
			struct forms_target tc, td;
			form_rate_target(r, year, FORMS_KIND_COMMUNE, &tc);
			form_rate_target(r, year, FORMS_KIND_DISTRICT, &td);
			printf("  %s: %s / %s  %s", form_rate_label(r, L), form_rate_numerator(r),
			       form_rate_denominator(r), tc.text);
			if (strcmp(tc.text, td.text) != 0)
				printf(" (%s %s)", cli_msg(c, MSG_TARGET_DISTRICT), td.text);
			printf("\n");
		}
		/* Where the targets come from: the newest plan (`periods` and
		 * .targets files, docs/forms.md). */
		struct forms_target t;
		char src[256];
		form_rate_target(form_rate_at(f, 0), year, FORMS_KIND_COMMUNE, &t);
		if (forms_target_source(&t, L, src, sizeof src))
			printf("  (%s: %s)\n", cli_msg(c, MSG_TARGET_FROM_FILE), src);
	}
	if (form_rule_count(f)) {
		printf("\n%s\n", cli_msg(c, MSG_RULES_HEAD));
		for (size_t i = 0; i < form_rule_count(f); i++)
			printf("  %s\n", form_rule_expr(f, i));
	}
}

int cmd_form(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_form(c, EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0)
		return usage_form(c, 0);
	if (strcmp(argv[1], "check") == 0) {
		if (argc < 3)
			return usage_form(c, EXIT_USAGE);
		struct forms_sink sink = {print_problem, NULL, forms_lang(c)};
		int bad = 0, alone = 0;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--alone") == 0) {
				alone = 1;
				continue;
			}
			/* A period file is checked as it will be loaded: after the
			 * installed ones, whose rules its overrides change. */
			const char *dd = alone ? NULL : c->datadir;
			int err = ends_with(argv[i], ".periods")   ? forms_check_periods(argv[i], dd, &sink)
				  : ends_with(argv[i], ".targets") ? forms_check_targets(argv[i], dd, &sink)
								   : forms_check_file(argv[i], &sink);
			/* The sink has said what is wrong, with FILE:LINE. */
			if (err == FORMS_EIO) {
				bad = bad ? bad : EXIT_NOINPUT;
			} else if (err) {
				bad = EXIT_DATAERR;
			} else {
				cli_out(c, MSG_FORM_FILE_OK, argv[i]);
			}
		}
		return bad;
	}
	int rc = cli_forms(c);
	if (rc)
		return rc;
	if (strcmp(argv[1], "list") == 0 && argc == 2) {
		list_forms(c, stdout);
		return 0;
	}
	if (strcmp(argv[1], "show") == 0 && argc >= 3) {
		int json = 0, year = 0;
		const char *id = NULL;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--year") == 0 && i + 1 < argc) {
				char *end;
				long y = strtol(argv[++i], &end, 10);
				if (*end || y < 1900 || y > 9999) {
					cli_err(c, MSG_E_BAD_YEAR, argv[i]);
					return EXIT_USAGE;
				}
				year = (int)y;
			} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
				const char *fmt = argv[++i];
				if (strcmp(fmt, "json") == 0)
					json = 1;
				else if (strcmp(fmt, "text") != 0 && strcmp(fmt, "table") != 0)
					return usage_form(c, EXIT_USAGE);
			} else if (!id && argv[i][0] != '-') {
				id = argv[i];
			} else {
				return usage_form(c, EXIT_USAGE);
			}
		}
		if (!id)
			return usage_form(c, EXIT_USAGE);
		const struct form *f = cli_find_form(c, id);
		if (!f)
			return EXIT_DATAERR;
		if (json)
			show_json(c, f, year);
		else
			show_text(c, f, year);
		return 0;
	}
	return usage_form(c, EXIT_USAGE);
}
