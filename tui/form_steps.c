/*
 * tui/form_steps.c: the form editor's two steps that undo something,
 * each asked first on buttons (Enter and Esc keep; Tab to the act button
 * and Enter, or the same F-key again, acts):
 *   F3 Mở lại (leader): an approved, sent, received or returned report
 *      becomes a new draft revision (as `cchc record reopen`); the
 *      district counts the revision approved after it.
 *   F8 Xóa (officer): a register entry is marked deleted, a tombstone
 *      kept in its history and sent to the district (as `record delete`).
 */
#include <stdio.h>

#include "tui/tui_int.h"

static int reopen_now(struct app *a)
{
	struct form_st *fs = &a->form;
	int next;
	if (!fo_step_ok(a, FORM_STEP_REOPEN, &next))
		return R_DONE;
	struct store_record keep = fs->rec;
	fs->rec.revision++;
	fs->rec.submitted_at = fs->rec.approved_at = 0;
	fs->rec.approved_by[0] = '\0';
	if (fo_put(a, next, "reopen", MSG_T_REOPENED_REPORT)) {
		fs->rec.revision = keep.revision;
		fs->rec.submitted_at = keep.submitted_at;
		fs->rec.approved_at = keep.approved_at;
		snprintf(fs->rec.approved_by, sizeof fs->rec.approved_by, "%s", keep.approved_by);
		return R_DONE;
	}
	/* The status names the revision: "... thành bản nháp lần 2". */
	app_status(a, ST_OK, MSG_T_REOPENED_REPORT, fv_subject(a), fs->rec.revision);
	return R_DONE;
}

static int kept(struct app *a)
{
	app_status(a, ST_NORMAL, MSG_T_NOTHING_CHANGED);
	return R_DONE;
}

int fo_reopen(struct app *a)
{
	struct form_st *fs = &a->form;
	int next;
	if (fs->is_new || !fo_step_ok(a, FORM_STEP_REOPEN, &next))
		return R_DONE;
	char q[256];
	snprintf(q, sizeof q, msg_get(a->lang, MSG_T_ASK_REOPEN), fv_subject(a),
		 fs->rec.revision + 1);
	struct ask ask = {q, MSG_T_BTN_KEEP_REPORT, MSG_T_BTN_REOPEN, K_F3, reopen_now, kept};
	app_ask_with(a, &ask);
	return R_DONE;
}

static int delete_now(struct app *a)
{
	struct form_st *fs = &a->form;
	int next;
	if (!fo_step_ok(a, FORM_STEP_DELETE, &next))
		return R_DONE;
	char what[128];
	snprintf(what, sizeof what, "%s", fv_subject(a));
	/* The saved fields go with the tombstone, not what was typed since. */
	kv_free(&fs->rec.fields);
	kv_copy(&fs->rec.fields, &fs->saved);
	fs->rec.deleted = 1;
	if (fo_put(a, next, "delete", MSG_T_DELETED_ENTRY)) {
		fs->rec.deleted = 0;
		return R_DONE;
	}
	enum tscreen back = fs->back;
	form_close(a);
	a->home.stale = 1;
	app_go(a, back);
	if (back == SCR_LIST)
		list_refresh(a);
	app_status(a, ST_OK, MSG_T_DELETED_ENTRY, what);
	return R_DONE;
}

int fo_delete(struct app *a)
{
	struct form_st *fs = &a->form;
	int next;
	if (fs->is_new) {
		app_status(a, ST_ERROR, MSG_T_DELETE_UNSAVED);
		return R_DONE;
	}
	if (!fo_step_ok(a, FORM_STEP_DELETE, &next))
		return R_DONE;
	char q[256];
	snprintf(q, sizeof q, msg_get(a->lang, MSG_T_ASK_DELETE), fv_subject(a));
	struct ask ask = {q, MSG_T_BTN_KEEP_ENTRY, MSG_T_BTN_DELETE, K_F8, delete_now, kept};
	app_ask_with(a, &ask);
	return R_DONE;
}
