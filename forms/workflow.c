/*
 * forms/workflow.c: the report workflow of SPEC §4.5 as one table of
 * steps: who may take each, from which states, and where it leads.
 */
#include "forms/forms.h"
#include "forms/internal.h"

struct step_rule {
	unsigned actors;     /* bit set of (1 << enum form_actor) */
	unsigned from;       /* bit set of (1 << enum form_state) */
	int to;              /* -1: stays (save of a draft), -2: draft again */
	int need;            /* the state to name in a refusal */
};

#define A(a) (1u << (a))
#define S(s) (1u << (s))

static const struct step_rule report_rules[] = {
	[FORM_STEP_SAVE] = {A(FORM_ACTOR_OFFICER), S(FORM_STATE_DRAFT) | S(FORM_STATE_SUBMITTED),
			    FORM_STATE_DRAFT, FORM_STATE_DRAFT},
	[FORM_STEP_DELETE] = {A(FORM_ACTOR_OFFICER), S(FORM_STATE_DRAFT) | S(FORM_STATE_SUBMITTED),
			      -1, FORM_STATE_DRAFT},
	[FORM_STEP_SUBMIT] = {A(FORM_ACTOR_OFFICER), S(FORM_STATE_DRAFT), FORM_STATE_SUBMITTED,
			      FORM_STATE_DRAFT},
	[FORM_STEP_APPROVE] = {A(FORM_ACTOR_LEADER), S(FORM_STATE_SUBMITTED), FORM_STATE_APPROVED,
			       FORM_STATE_SUBMITTED},
	[FORM_STEP_REOPEN] = {A(FORM_ACTOR_LEADER),
			      S(FORM_STATE_APPROVED) | S(FORM_STATE_SENT) | S(FORM_STATE_RECEIVED) |
				  S(FORM_STATE_RETURNED),
			      FORM_STATE_DRAFT, FORM_STATE_APPROVED},
};

int form_step_check(const struct form *f, int state, enum form_step step, enum form_actor actor,
		    int *next, int *need_state)
{
	if ((unsigned)step > FORM_STEP_REOPEN)
		return FORMS_EINVAL;
	if (f->kind == FORM_KIND_REGISTER) {
		if (step != FORM_STEP_SAVE && step != FORM_STEP_DELETE)
			return FORMS_EKIND;
		if (actor != FORM_ACTOR_OFFICER)
			return FORMS_EROLE;
		*next = FORM_STATE_DRAFT;
		return FORMS_OK;
	}
	const struct step_rule *r = &report_rules[step];
	if (need_state)
		*need_state = r->need;
	if (!(r->actors & A(actor)))
		return FORMS_EROLE;
	if (state < 0 || state > FORM_STATE_RETURNED || !(r->from & S(state)))
		return FORMS_ESTATE;
	*next = r->to < 0 ? state : r->to;
	return FORMS_OK;
}

int form_step_checks(const struct form *f, enum form_step step)
{
	switch (step) {
	case FORM_STEP_SAVE:
		return form_check_on_save(f);
	case FORM_STEP_SUBMIT:
	case FORM_STEP_APPROVE:
		return FORMS_CHECK_SUBMIT;
	default:
		return -1;
	}
}

static const char *const state_labels[][2] = {
	{"Nháp", "Draft"},
	{"Hoàn thành", "Submitted"},
	{"Đã duyệt – chờ gửi", "Approved – not sent yet"},
	{"Đã gửi", "Sent"},
	{"Đã tiếp nhận", "Received"},
	{"Bị trả lại", "Returned"},
};
static const char *const state_names[] = {"draft", "submitted", "approved", "sent", "received",
						  "returned"};

const char *form_state_label(int state, enum forms_lang lang)
{
	if (state < 0 || state > FORM_STATE_RETURNED)
		return "?";
	return state_labels[state][lang == FORMS_LANG_EN];
}

const char *form_state_name(int state)
{
	if (state < 0 || state > FORM_STATE_RETURNED)
		return "?";
	return state_names[state];
}
