/*
 * tests/forms/test_workflow.c: the report workflow table (SPEC §4.5) and
 * the summary directive, on the shipped forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forms/forms.h"

static int setup(void **state)
{
	const char *d = getenv("CCHC_DATADIR");
	struct forms *fs = NULL;
	if (forms_load(d && *d ? d : ".", NULL, &fs) != 0)
		return -1;
	*state = fs;
	return 0;
}

static int teardown(void **state)
{
	forms_free(*state);
	return 0;
}

static void test_report_steps(void **state)
{
	const struct form *f = forms_find(*state, "bao-cao-cchc");
	int next = -1, need = -1;
	assert_non_null(f);
	/* The officer saves and submits a draft. */
	assert_int_equal(form_step_check(f, FORM_STATE_DRAFT, FORM_STEP_SAVE, FORM_ACTOR_OFFICER,
					 &next, NULL), 0);
	assert_int_equal(next, FORM_STATE_DRAFT);
	assert_int_equal(form_step_check(f, FORM_STATE_DRAFT, FORM_STEP_SUBMIT, FORM_ACTOR_OFFICER,
					 &next, NULL), 0);
	assert_int_equal(next, FORM_STATE_SUBMITTED);
	/* Changing a submitted report makes it a draft again. */
	assert_int_equal(form_step_check(f, FORM_STATE_SUBMITTED, FORM_STEP_SAVE,
					 FORM_ACTOR_OFFICER, &next, NULL), 0);
	assert_int_equal(next, FORM_STATE_DRAFT);
	/* Only the leader approves, and only a submitted report. */
	assert_int_equal(form_step_check(f, FORM_STATE_SUBMITTED, FORM_STEP_APPROVE,
					 FORM_ACTOR_OFFICER, &next, NULL), FORMS_EROLE);
	assert_int_equal(form_step_check(f, FORM_STATE_DRAFT, FORM_STEP_APPROVE, FORM_ACTOR_LEADER,
					 &next, &need), FORMS_ESTATE);
	assert_int_equal(need, FORM_STATE_SUBMITTED);
	assert_int_equal(form_step_check(f, FORM_STATE_SUBMITTED, FORM_STEP_APPROVE,
					 FORM_ACTOR_LEADER, &next, NULL), 0);
	assert_int_equal(next, FORM_STATE_APPROVED);
	/* Approved, sent, received and returned reports are locked ... */
	for (int st = FORM_STATE_APPROVED; st <= FORM_STATE_RETURNED; st++) {
		assert_int_equal(form_step_check(f, st, FORM_STEP_SAVE, FORM_ACTOR_OFFICER, &next,
						 NULL), FORMS_ESTATE);
		assert_int_equal(form_step_check(f, st, FORM_STEP_DELETE, FORM_ACTOR_OFFICER, &next,
						 NULL), FORMS_ESTATE);
		/* ... until the leader reopens them as a draft. */
		assert_int_equal(form_step_check(f, st, FORM_STEP_REOPEN, FORM_ACTOR_LEADER, &next,
						 NULL), 0);
		assert_int_equal(next, FORM_STATE_DRAFT);
	}
	assert_int_equal(form_step_check(f, FORM_STATE_DRAFT, FORM_STEP_REOPEN, FORM_ACTOR_LEADER,
					 &next, NULL), FORMS_ESTATE);
	assert_int_equal(form_step_check(f, FORM_STATE_DRAFT, FORM_STEP_SAVE, FORM_ACTOR_OTHER,
					 &next, NULL), FORMS_EROLE);
	assert_int_equal(form_step_checks(f, FORM_STEP_SAVE), FORMS_CHECK_DRAFT);
	assert_int_equal(form_step_checks(f, FORM_STEP_SUBMIT), FORMS_CHECK_SUBMIT);
	assert_int_equal(form_step_checks(f, FORM_STEP_REOPEN), -1);
	assert_string_equal(form_state_label(FORM_STATE_APPROVED, FORMS_LANG_VI), "Đã duyệt – chờ gửi");
	assert_string_equal(form_state_name(FORM_STATE_RECEIVED), "received");
	assert_string_equal(form_state_name(FORM_STATE_RETURNED), "returned");
	assert_string_equal(form_state_label(FORM_STATE_RETURNED, FORMS_LANG_VI), "Bị trả lại");
	assert_string_equal(form_state_name(FORM_STATE_RETURNED + 1), "?");
	/* Only the leader reopens a returned report. */
	assert_int_equal(form_step_check(f, FORM_STATE_RETURNED, FORM_STEP_REOPEN,
					 FORM_ACTOR_OFFICER, &next, NULL), FORMS_EROLE);
	assert_int_equal(form_step_check(f, FORM_STATE_RETURNED, FORM_STEP_SUBMIT,
					 FORM_ACTOR_OFFICER, &next, NULL), FORMS_ESTATE);
}

static void test_register_steps(void **state)
{
	const struct form *f = forms_find(*state, "so-theo-doi-ho-so");
	int next = -1;
	assert_non_null(f);
	assert_int_equal(form_step_check(f, FORM_STATE_DRAFT, FORM_STEP_SUBMIT, FORM_ACTOR_OFFICER,
					 &next, NULL), FORMS_EKIND);
	assert_int_equal(form_step_check(f, FORM_STATE_DRAFT, FORM_STEP_SAVE, FORM_ACTOR_OFFICER,
					 &next, NULL), 0);
	assert_int_equal(form_step_check(f, FORM_STATE_DRAFT, FORM_STEP_SAVE, FORM_ACTOR_LEADER,
					 &next, NULL), FORMS_EROLE);
	/* Register entries are fully checked on every save. */
	assert_int_equal(form_step_checks(f, FORM_STEP_SAVE), FORMS_CHECK_SUBMIT);
	assert_int_equal(form_summary_count(f), 3);
	assert_string_equal(form_summary_at(f, 0), "chu_ho_so");
	assert_null(form_summary_at(f, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_steps),
		cmocka_unit_test(test_register_steps),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
