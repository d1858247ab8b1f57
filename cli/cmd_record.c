/*
 * cli/cmd_record.c: `cchc record new|set|delete|submit|approve|reopen|fill`
 * (and show/list, in record_view.c).
 *
 * Roles (SPEC §1, §4.5): a commune officer (canbo) creates, edits, deletes,
 * submits and fills; a commune leader (lanhdao) approves and reopens; anyone
 * logged in may show and list.  Every change is one store_record_put: the
 * record, its outbox entry and its audit entry commit together, and nothing
 * is written when a check fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_sync.h"
#include "cli/periods.h"
#include "cli/records.h"
#include "core/text.h"
#include "core/vnfmt.h"
#include "index/index.h"

#define OFFICER ROLE(STORE_ROLE_CANBO)
#define LEADER ROLE(STORE_ROLE_LANHDAO)

static int usage_record(struct cli *c, int rc)
{
	fputs(cli_msg(c, MSG_USAGE_RECORD), rc ? stderr : stdout);
	fputs(cli_msg(c, MSG_USAGE_RECORD_RETURN), rc ? stderr : stdout);
	return rc;
}

static int need_commune(struct cli *c)
{
	if (c->conf.kind != NODE_COMMUNE) {
		cli_err(c, MSG_E_COMMUNE_ONLY);
		return EXIT_USAGE;
	}
	return 0;
}

/* The periods open now first, then the past ones (cli/periods.h). */
static void list_periods(struct cli *c)
{
	cli_periods_offer(c, stderr);
}

static void apply_sets(struct store_record *r, const struct kv *sets)
{
	for (size_t i = 0; i < sets->n; i++) {
		if (sets->v[i].value[0])
			kv_set(&r->fields, sets->v[i].name, sets->v[i].value);
		else
			kv_del(&r->fields, sets->v[i].name);
	}
}

int rec_save(struct cli *c, struct store_record *r, const char *action)
{
	int err = store_record_put(c->store, r, action);
	if (err)
		return cli_store_fail(c, err);
	/* The demo builder (c->bulk) saves thousands of entries in one
	 * session: it seals once at the session's end, and leaves the UI's
	 * digests to the UI's first login, which builds them from the records
	 * (one transaction instead of one more per save). */
	if (c->bulk)
		return 0;
	/* Keep the record lists current (index/index.h), so the UI's next
	 * login need not rebuild them.  The record is saved whatever this
	 * says: on a failure the UI's login catches up from the outbox. */
	(void)index_note_save(c->store, c->forms, r);
	/* Seal what the district should get now (SPEC §8: batches are
	 * sealed inside a logged-in session). */
	cli_sync_after_save(c);
	return 0;
}

static int record_new(struct cli *c, int argc, char **argv)
{
	const char *formid = NULL, *period = NULL;
	char **sets = calloc((size_t)argc, sizeof *sets);
	int nsets = 0, rc;
	if (!sets)
		return EXIT_SOFTWARE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--period") == 0 && i + 1 < argc)
			period = argv[++i];
		else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc)
			sets[nsets++] = argv[++i];
		else if (!formid && argv[i][0] != '-')
			formid = argv[i];
		else {
			free(sets);
			return usage_record(c, EXIT_USAGE);
		}
	}
	if (!formid) {
		free(sets);
		return usage_record(c, EXIT_USAGE);
	}
	struct store_record r;
	store_record_init(&r);
	if ((rc = cli_forms(c)) || (rc = cli_login(c, OFFICER)) || (rc = need_commune(c)))
		goto out;
	const struct form *f = cli_find_form(c, formid);
	rc = EXIT_DATAERR;
	if (!f || (rc = rec_create(c, f, period, sets, nsets, &r)))
		goto out;
	if (period) /* a report for a closed period is made, with a note */
		cli_period_note_state(c, forms_period_find(c->forms, period));
	char hex[2 * STORE_ID_BYTES + 1];
	id_hex(r.id, hex);
	printf("%s\n", hex);
out:
	store_record_clear(&r);
	free(sets);
	return rc;
}

int rec_create(struct cli *c, const struct form *f, const char *period, char **sets, int nsets,
	       struct store_record *out)
{
	const char *formid = form_id(f);
	struct store_record r;
	struct kv vals = KV_INIT;
	int rc = EXIT_DATAERR;
	store_record_init(&r);
	if (form_kind(f) == FORM_KIND_REPORT) {
		if (!period || !forms_period_find(c->forms, period)) {
			if (period)
				cli_err(c, MSG_E_UNKNOWN_PERIOD, period);
			else
				cli_err(c, MSG_E_NEED_PERIOD, formid);
			list_periods(c);
			if (period)
				cli_period_hint(c, period);
			goto out;
		}
		if ((rc = rec_unit_open_for(c, forms_period_find(c->forms, period))) != 0)
			goto out;
		rc = EXIT_DATAERR;
		int found = rec_find_report(c, formid, c->conf.unit, period, &r);
		if (found < 0) {
			rc = cli_store_fail(c, found);
			goto out;
		}
		if (found) {
			char hex[2 * STORE_ID_BYTES + 1];
			id_hex(r.id, hex);
			cli_err(c, MSG_E_REPORT_EXISTS, period, hex);
			goto out;
		}
		store_record_clear(&r);
		store_record_init(&r);
	} else if (period) {
		cli_err(c, MSG_E_NO_PERIOD_FOR_REGISTER, formid);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = rec_parse_sets(c, f, sets, nsets, &vals)))
		goto out;
	store_new_id(r.id);
	snprintf(r.form, sizeof r.form, "%s", form_id(f));
	r.form_version = (uint32_t)form_version(f);
	snprintf(r.unit, sizeof r.unit, "%s", c->conf.unit);
	snprintf(r.unit_list, sizeof r.unit_list, "%s", c->conf.unit_list);
	snprintf(r.period, sizeof r.period, "%s", period ? period : "");
	r.state = FORM_STATE_DRAFT;
	r.revision = 1;
	apply_sets(&r, &vals);
	if ((rc = rec_validate(c, f, &r, form_check_on_save(f))))
		goto out;
	if ((rc = rec_save(c, &r, "create")))
		goto out;
	store_record_clear(out);
	*out = r;
	store_record_init(&r);
out:
	kv_free(&vals);
	store_record_clear(&r);
	return rc;
}

static enum form_actor actor_of(struct cli *c)
{
	const struct store_user *u = store_whoami(c->store);
	if (u && u->role == STORE_ROLE_CANBO)
		return FORM_ACTOR_OFFICER;
	if (u && u->role == STORE_ROLE_LANHDAO)
		return FORM_ACTOR_LEADER;
	return FORM_ACTOR_OTHER;
}

static unsigned step_roles(enum form_step step)
{
	return step == FORM_STEP_APPROVE || step == FORM_STEP_REOPEN ? LEADER : OFFICER;
}

/* Load ID for step: log in with a role that may take it, refuse deleted
 * records and steps the workflow does not allow from the record's state.
 * *next is the state after the step. */
static int load_for_step(struct cli *c, const char *idtext, enum form_step step,
			 struct store_record *r, const struct form **f, int *next)
{
	int rc;
	if ((rc = cli_forms(c)) || (rc = cli_login(c, step_roles(step))) || (rc = need_commune(c)))
		return rc;
	if ((rc = rec_find(c, idtext, r)))
		return rc;
	if (r->deleted) {
		cli_err(c, MSG_E_DELETED, idtext);
		return EXIT_DATAERR;
	}
	if (!(*f = rec_form(c, r)))
		return EXIT_DATAERR;
	return rec_step_check(c, *f, r, step, next);
}

int rec_step_check(struct cli *c, const struct form *f, const struct store_record *r,
		   enum form_step step, int *next)
{
	int need = 0;
	int err = form_step_check(f, r->state, step, actor_of(c), next, &need);
	enum forms_lang L = forms_lang(c);
	switch (err) {
	case FORMS_OK:
		return 0;
	case FORMS_EKIND:
		cli_err(c, MSG_E_NOT_REPORT, form_id(f));
		return EXIT_DATAERR;
	case FORMS_EROLE:
		cli_err(c, MSG_E_NOKEY);
		return EXIT_NOPERM;
	default:
		if ((step == FORM_STEP_SAVE || step == FORM_STEP_DELETE) &&
		    r->state >= FORM_STATE_APPROVED)
			cli_err(c, MSG_E_REPORT_LOCKED, form_state_label(r->state, L));
		else
			cli_err(c, MSG_E_STATE, form_state_label(r->state, L),
				form_state_label(need, L));
		return EXIT_DATAERR;
	}
}

static int record_set(struct cli *c, int argc, char **argv)
{
	if (argc < 3)
		return usage_record(c, EXIT_USAGE);
	struct store_record r;
	const struct form *f = NULL;
	int next;
	store_record_init(&r);
	int rc = load_for_step(c, argv[1], FORM_STEP_SAVE, &r, &f, &next);
	if (rc || (rc = rec_set_fields(c, f, &r, next, argv + 2, argc - 2)))
		goto out;
	cli_out(c, MSG_SAVED, r.version);
out:
	store_record_clear(&r);
	return rc;
}

int rec_set_fields(struct cli *c, const struct form *f, struct store_record *r, int next,
		   char **sets, int nsets)
{
	struct kv vals = KV_INIT;
	int rc = rec_parse_sets(c, f, sets, nsets, &vals);
	if (rc)
		goto out;
	apply_sets(r, &vals);
	r->state = next;
	if ((rc = rec_validate(c, f, r, form_step_checks(f, FORM_STEP_SAVE))))
		goto out;
	rc = rec_save(c, r, "set");
out:
	kv_free(&vals);
	return rc;
}

static int record_delete(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return usage_record(c, EXIT_USAGE);
	struct store_record r;
	const struct form *f = NULL;
	int next;
	store_record_init(&r);
	int rc = load_for_step(c, argv[1], FORM_STEP_DELETE, &r, &f, &next);
	if (rc)
		goto out;
	r.deleted = 1;
	if ((rc = rec_save(c, &r, "delete")))
		goto out;
	cli_out(c, MSG_DELETED, argv[1]);
out:
	store_record_clear(&r);
	return rc;
}

static int record_step(struct cli *c, int argc, char **argv, enum form_step step)
{
	if (argc != 2)
		return usage_record(c, EXIT_USAGE);
	struct store_record r;
	const struct form *f = NULL;
	int next;
	store_record_init(&r);
	int rc = load_for_step(c, argv[1], step, &r, &f, &next);
	if (rc || (rc = rec_step_take(c, f, &r, step, next)))
		goto out;
	cli_out(c, step == FORM_STEP_SUBMIT    ? MSG_SUBMITTED
		   : step == FORM_STEP_APPROVE ? MSG_APPROVED
					       : MSG_REOPENED,
		r.revision);
out:
	store_record_clear(&r);
	return rc;
}

int rec_step_take(struct cli *c, const struct form *f, struct store_record *r,
		  enum form_step step, int next)
{
	int rc, mode = form_step_checks(f, step);
	if (mode >= 0 && (rc = rec_validate(c, f, r, (enum forms_check)mode)))
		return rc;
	int64_t now = vn_now();
	const char *action;
	r->state = next;
	if (step == FORM_STEP_SUBMIT) {
		r->submitted_at = now;
		action = "submit";
	} else if (step == FORM_STEP_APPROVE) {
		r->approved_at = now;
		snprintf(r->approved_by, sizeof r->approved_by, "%s", c->user);
		action = "approve";
	} else {
		r->revision++;
		r->submitted_at = r->approved_at = 0;
		r->approved_by[0] = '\0';
		action = "reopen";
	}
	return rec_save(c, r, action);
}

struct fill_walk {
	struct form_fill *fill;
	const char *source, *unit;
	int err;
	size_t entries;
};

static int fill_one(const struct store_record *r, void *arg)
{
	struct fill_walk *w = arg;
	if (r->deleted || strcmp(r->form, w->source) || strcmp(r->unit, w->unit))
		return 0;
	w->entries++;
	w->err = form_fill_add(w->fill, &r->fields);
	return w->err ? 1 : 0;
}

static int record_fill(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return usage_record(c, EXIT_USAGE);
	struct store_record r;
	struct kv figures = KV_INIT;
	const struct form *f = NULL;
	store_record_init(&r);
	int next;
	int rc = load_for_step(c, argv[1], FORM_STEP_SAVE, &r, &f, &next);
	if (rc)
		goto out;
	size_t entries = 0;
	if ((rc = rec_fill(c, f, &r, next, &figures, &entries)))
		goto out;
	const struct forms_period *p = forms_period_find(c->forms, r.period);
	char from[VN_DATE_BUF], to[VN_DATE_BUF];
	vn_date_format(forms_period_data_from(p), from);
	vn_date_format(forms_period_data_to(p), to);
	cli_out(c, MSG_FILLED, entries, from, to);
	for (size_t i = 0; i < figures.n; i++) {
		const struct form_field *fl = form_field_find(f, figures.v[i].name);
		char *shown = NULL;
		form_field_display(fl, figures.v[i].value, forms_lang(c), &shown);
		const char *label = fl ? form_field_label(fl, forms_lang(c)) : figures.v[i].name;
		int pad = 56 - text_width(label);
		printf("  %s%*s %s\n", label, pad > 0 ? pad : 1, "",
		       shown ? shown : figures.v[i].value);
		free(shown);
	}
out:
	kv_free(&figures);
	store_record_clear(&r);
	return rc;
}

int rec_fill(struct cli *c, const struct form *f, struct store_record *r, int next,
	     struct kv *figures, size_t *entries)
{
	struct form_fill *fill = NULL;
	int rc = EXIT_DATAERR;
	const struct forms_period *p = forms_period_find(c->forms, r->period);
	const char *source = form_fill_source(f);
	if (form_kind(f) != FORM_KIND_REPORT || !source || !p) {
		cli_err(c, MSG_E_NO_FILL, form_id(f));
		goto out;
	}
	if (form_fill_begin(f, p, &fill) != 0)
		goto out;
	struct fill_walk w = {fill, source, r->unit, 0, 0};
	int err = store_record_each(c->store, fill_one, &w);
	if (err < 0) {
		rc = cli_store_fail(c, err);
		goto out;
	}
	if (w.err || form_fill_end(fill, figures) != 0) {
		cli_err(c, MSG_E_INTERNAL, forms_strerror(w.err));
		rc = EXIT_SOFTWARE;
		goto out;
	}
	for (size_t i = 0; i < figures->n; i++)
		kv_set(&r->fields, figures->v[i].name, figures->v[i].value);
	r->state = next;
	if ((rc = rec_validate(c, f, r, FORMS_CHECK_DRAFT)) || (rc = rec_save(c, r, "fill")))
		goto out;
	*entries = w.entries;
out:
	form_fill_free(fill);
	return rc;
}

int cmd_record(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_record(c, EXIT_USAGE);
	const char *sub = argv[1];
	argc--, argv++;
	if (strcmp(sub, "--help") == 0) {
		/* The help lists the periods to report on: open ones first. */
		usage_record(c, 0);
		if (cli_forms(c) == 0) {
			fputs(cli_msg(c, MSG_OFFER_HEAD), stdout);
			cli_periods_offer(c, stdout);
		}
		return 0;
	}
	if (strcmp(sub, "new") == 0)
		return record_new(c, argc, argv);
	if (strcmp(sub, "set") == 0)
		return record_set(c, argc, argv);
	if (strcmp(sub, "show") == 0)
		return rec_show(c, argc, argv);
	if (strcmp(sub, "list") == 0)
		return rec_list(c, argc, argv);
	if (strcmp(sub, "delete") == 0)
		return record_delete(c, argc, argv);
	if (strcmp(sub, "submit") == 0)
		return record_step(c, argc, argv, FORM_STEP_SUBMIT);
	if (strcmp(sub, "approve") == 0)
		return record_step(c, argc, argv, FORM_STEP_APPROVE);
	if (strcmp(sub, "reopen") == 0)
		return record_step(c, argc, argv, FORM_STEP_REOPEN);
	if (strcmp(sub, "fill") == 0)
		return record_fill(c, argc, argv);
	if (strcmp(sub, "return") == 0)
		return rec_return(c, argc, argv);
	cli_err(c, MSG_E_BAD_ARG, sub);
	return usage_record(c, EXIT_USAGE);
}
