/*
 * tui/view_login.c: the login screen.  A wrong password or an unknown name
 * get the same message (five wrong passwords lock the account for five
 * minutes: store_login); the typed name stays, the password is wiped.
 */
#include <stdio.h>
#include <string.h>

#include "core/secret.h"
#include "core/vnfmt.h"
#include "tui/tui_int.h"

static struct editline *focused(struct app *a)
{
	return a->login.focus ? &a->login.pass : &a->login.user;
}

static void draw_field(struct app *a, int y, int x, int w, enum msg_id label,
		       struct editline *e, int mask, int focus)
{
	term_put(y, x, 18, msg_get(a->lang, label), ST_NORMAL);
	term_fill(y, x + 18, w, '_', focus ? ST_FOCUS : ST_FIELD);
	char shown[EDIT_CAP];
	int curcol = 0;
	if (mask) {
		size_t n = editline_letters(e);
		if (n > (size_t)w - 1)
			n = (size_t)w - 1;
		memset(shown, '*', n);
		shown[n] = '\0';
		curcol = (int)n;
	} else {
		editline_view(e, w, &curcol);
		snprintf(shown, sizeof shown, "%s", e->buf + e->scroll);
	}
	term_put(y, x + 18, w, shown, focus ? ST_FOCUS : ST_FIELD);
	if (focus)
		term_cursor(y, x + 18 + curcol);
}

static void login_draw(struct app *a, int top, int rows, int cols)
{
	const struct forms_unit *u = forms_unit_find(a->fs, a->cfg->unit, a->cfg->unit_list);
	int x = cols > 60 ? (cols - 56) / 2 : 2, y = top + rows / 2 - 5;
	term_put_fit(y, x, 56, msg_get(a->lang, MSG_T_LOGIN_TITLE), ST_HEAD);
	term_put_fit(y + 1, x, 56, u ? forms_unit_name(u) : a->cfg->unit, ST_NORMAL);
	term_hline(y + 2, x, 56);
	int uy = y + 4, py = y + 6;
	if (a->cfg->login_hint)
		term_put_fit(y + 9, x, 56, a->cfg->login_hint, ST_DIM);
	/* The focused field last, so the cursor ends there. */
	if (a->login.focus) {
		draw_field(a, uy, x, 36, MSG_T_USER, &a->login.user, 0, 0);
		draw_field(a, py, x, 36, MSG_T_PASSWORD, &a->login.pass, 1, 1);
	} else {
		draw_field(a, py, x, 36, MSG_T_PASSWORD, &a->login.pass, 1, 0);
		draw_field(a, uy, x, 36, MSG_T_USER, &a->login.user, 0, 1);
	}
}

static int try_login(struct app *a)
{
	struct store_user who;
	memset(&who, 0, sizeof who);
	if (!a->login.user.len) {
		a->login.focus = 0;
		app_status(a, ST_ERROR, MSG_T_NEED_USER);
		return R_DONE;
	}
	if (!a->login.pass.len) {
		a->login.focus = 1;
		app_status(a, ST_ERROR, MSG_T_NEED_PASSWORD);
		return R_DONE;
	}
	double t0 = app_ms();
	if (a->timed)
		a->hwm_before_kib = app_hwm_kib(0);
	int err = store_login(a->st, a->login.user.buf, a->login.pass.buf, &who);
	if (a->timed) {
		a->kdf_ms = app_ms() - t0;
		a->hwm_login_kib = app_hwm_kib(1);
	}
	secret_wipe(a->login.pass.buf, sizeof a->login.pass.buf);
	editline_set(&a->login.pass, "", 128, 0);
	/* An unknown name and a wrong password say the same (store_login
	 * takes as long for both): no count, which would tell that the name
	 * exists.  A name the store refuses outright is one more unknown name. */
	if (err == STORE_EPASSWORD || err == STORE_EINVAL) {
		app_status(a, ST_ERROR, MSG_T_BAD_LOGIN);
		return R_DONE;
	}
	if (err == STORE_ELOCKED) {
		char when[VN_TIME_BUF];
		if (who.locked_until > 0) {
			vn_time_format(who.locked_until, when);
			app_status(a, ST_ERROR, MSG_T_LOCKED_UNTIL, when);
		} else {
			app_status(a, ST_ERROR, MSG_T_LOCKED_ADMIN);
		}
		return R_DONE;
	}
	if (err) {
		app_statusf(a, ST_ERROR, app_store_err(a, err));
		return R_DONE;
	}
	a->logged_in = 1;
	if (!a->index_ok) {
		err = index_open(&a->ix, a->st, a->fs);
		if (err) {
			app_statusf(a, ST_ERROR, app_store_err(a, err));
			return R_DONE;
		}
		a->index_ok = 1;
		if (a->timed)
			a->hwm_index_kib = app_hwm_kib(0);
	}
	/* Receipts a push took since the last session (an unattended `sync
	 * push`) make the states current before home shows them. */
	app_seal(a);
	a->home.sel = 0;
	a->home.stale = 1;
	app_go(a, SCR_HOME);
	app_status(a, ST_OK, MSG_T_WELCOME, who.name);
	return R_DONE;
}

static int login_act(struct app *a, enum action act)
{
	struct editline *e = focused(a);
	switch (act) {
	case ACT_LOGIN:
		if (a->login.focus == 0) {
			a->login.focus = 1;
			return R_DONE;
		}
		return try_login(a);
	case ACT_NEXT:
	case ACT_PREV:
	case ACT_UP:
	case ACT_DOWN:
		a->login.focus = !a->login.focus;
		return R_DONE;
	case ACT_ED_LEFT: editline_left(e); return R_DONE;
	case ACT_ED_RIGHT: editline_right(e); return R_DONE;
	case ACT_ED_HOME: editline_home(e); return R_DONE;
	case ACT_ED_END: editline_end(e); return R_DONE;
	case ACT_ED_BS: editline_backspace(e); return R_DONE;
	case ACT_ED_DEL: editline_delete(e); return R_DONE;
	case ACT_ED_KILL: editline_kill_before(e); return R_DONE;
	case ACT_QUIT: return R_QUIT;
	default: return R_DONE;
	}
}

static int login_input(struct app *a, struct tkey k)
{
	if (k.kind != TK_CHAR)
		return R_DONE;
	struct editline *e = focused(a);
	/* Passwords are typed as they are: no Telex there. */
	if (editline_insert(e, k.code, a->telex && !a->login.focus, a->tstyle) & ED_FULL)
		app_status(a, ST_ERROR, MSG_T_TOO_LONG, e->maxletters);
	return R_DONE;
}

const struct view view_login = {NULL, login_draw, login_input, login_act};
