/*
 * cli/unit_pick.c: which unit, on which list, `cchc init` makes a node for.
 *
 * A code alone does not say: 02536 is Thị trấn Sơn Dương on GSO-2021 (until
 * 30/06/2025) and Xã Sơn Dương on a 2025 list.  The unit must be valid on
 * the node's day (today, or --on DATE for a node entering past data) and of
 * the tier the node is (commune, district, province).  When several lists
 * have it valid that day, init asks on the terminal, or refuses in a script
 * and names --units.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "forms/forms.h"

#define MAX_CAND 16

static enum msg_id tier_msg(int tier)
{
	return tier == FORMS_TIER_PROVINCE   ? MSG_TIER_PROVINCE
	       : tier == FORMS_TIER_DISTRICT ? MSG_TIER_DISTRICT
					     : MSG_TIER_COMMUNE;
}

static const char *tier_cmd(int tier)
{
	return tier == FORMS_TIER_PROVINCE ? "province" : tier == FORMS_TIER_DISTRICT ? "district"
										      : "commune";
}

static void range_text(const struct forms_unit *u, char *buf, size_t cap)
{
	char a[VN_DATE_BUF] = "…", b[VN_DATE_BUF] = "…";
	if (forms_unit_valid_from(u).y)
		vn_date_format(forms_unit_valid_from(u), a);
	if (forms_unit_valid_to(u).y)
		vn_date_format(forms_unit_valid_to(u), b);
	snprintf(buf, cap, "%s–%s", a, b);
}

/* The units of tier valid on day, for the message of an unknown code. */
static void list_valid(struct cli *c, int tier, struct vn_date day)
{
	for (size_t i = 0; i < forms_unit_count(c->forms); i++) {
		const struct forms_unit *x = forms_unit_at(c->forms, i);
		if ((int)forms_unit_tier(x) == tier && forms_unit_valid_on(x, day))
			fprintf(stderr, "  %s  %s  (%s)\n", forms_unit_code(x), forms_unit_name(x),
				forms_unit_list_version(x));
	}
}

/* Ask which of the n candidates on the terminal: 0 and *out, or -1. */
static int ask(struct cli *c, const char *code, const char *when,
	       const struct forms_unit *const *cand, size_t n, const struct forms_unit **out)
{
	if (getenv("CCHC_PASSWORD_FILE"))
		return -1;
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return -1;
	fprintf(tty, cli_msg(c, MSG_PROMPT_UNIT_LIST), code, when);
	for (size_t i = 0; i < n; i++)
		fprintf(tty, "  %zu) %s  %s  (%s)\n", i + 1, forms_unit_list_version(cand[i]),
			forms_unit_name(cand[i]), forms_unit_path(cand[i]));
	fprintf(tty, cli_msg(c, MSG_PROMPT_UNIT_PICK), n);
	fflush(tty);
	char ans[32] = "";
	int ok = fgets(ans, sizeof ans, tty) != NULL;
	fclose(tty);
	long k = ok ? strtol(ans, NULL, 10) : 0;
	if (k < 1 || (size_t)k > n)
		return -1;
	*out = cand[k - 1];
	return 0;
}

/* A unit with code exists but none valid on day (or of the tier). */
static int refuse(struct cli *c, const struct forms_unit *u, int tier, struct vn_date day)
{
	char when[VN_DATE_BUF], r[48];
	vn_date_format(day, when);
	if ((int)forms_unit_tier(u) != tier) {
		cli_err(c, MSG_E_UNIT_WRONG_TIER, forms_unit_name(u), forms_unit_code(u),
			forms_unit_list_version(u), cli_msg(c, tier_msg((int)forms_unit_tier(u))),
			cli_msg(c, tier_msg(tier)), tier_cmd((int)forms_unit_tier(u)),
			forms_unit_code(u));
		return EXIT_DATAERR;
	}
	range_text(u, r, sizeof r);
	cli_err(c, MSG_E_UNIT_NOT_VALID, forms_unit_name(u), forms_unit_code(u),
		forms_unit_list_version(u), r, when);
	cli_err(c, MSG_E_UNIT_NOT_VALID_HINT, when);
	return EXIT_DATAERR;
}

int cli_pick_unit(struct cli *c, const char *code, const char *list, struct vn_date day, int tier,
		  const struct forms_unit **out)
{
	const struct forms_unit *cand[MAX_CAND], *any = NULL, *any_tier = NULL;
	size_t n = 0;
	char when[VN_DATE_BUF];
	vn_date_format(day, when);
	for (size_t i = 0; i < forms_unit_count(c->forms); i++) {
		const struct forms_unit *u = forms_unit_at(c->forms, i);
		if (strcmp(forms_unit_code(u), code) != 0 ||
		    (list && strcmp(forms_unit_list_version(u), list) != 0))
			continue;
		if (!any)
			any = u;
		if ((int)forms_unit_tier(u) != tier)
			continue;
		/* The newest list first, for the messages. */
		if (!any_tier || strcmp(forms_unit_list_version(u), forms_unit_list_version(any_tier)) > 0)
			any_tier = u;
		if (forms_unit_valid_on(u, day) && n < MAX_CAND)
			cand[n++] = u;
	}
	if (!any) {
		cli_err(c, MSG_E_UNKNOWN_UNIT, code);
		list_valid(c, tier, day);
		return EXIT_DATAERR;
	}
	if (n == 0)
		return refuse(c, any_tier ? any_tier : any, tier, day);
	if (n == 1) {
		*out = cand[0];
		return 0;
	}
	if (ask(c, code, when, cand, n, out) == 0)
		return 0;
	cli_err(c, MSG_E_UNIT_SEVERAL, code, when);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  --units %s   %s  (%s)\n", forms_unit_list_version(cand[i]),
			forms_unit_name(cand[i]), forms_unit_path(cand[i]));
	return EXIT_USAGE;
}

int rec_unit_open_for(struct cli *c, const struct forms_period *p)
{
	const struct forms_unit *u = forms_unit_find(c->forms, c->conf.unit, c->conf.unit_list);
	if (!u || !p)
		return 0;
	struct vn_date from = forms_period_data_from(p), to = forms_period_data_to(p);
	if (forms_unit_valid_during(u, from, to))
		return 0;
	char r[48], a[VN_DATE_BUF], b[VN_DATE_BUF];
	range_text(u, r, sizeof r);
	vn_date_format(from, a);
	vn_date_format(to, b);
	cli_err(c, MSG_E_UNIT_ENDED_PERIOD, forms_unit_name(u), forms_unit_list_version(u), r,
		forms_period_name(p, forms_lang(c)), a, b);
	return EXIT_DATAERR;
}
