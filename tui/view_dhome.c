/*
 * tui/view_dhome.c: a district node's home: which node and who, then the
 * district's screens, each with its key (Enter opens the selected one).
 */
#include <stdio.h>
#include <string.h>

#include "core/vnfmt.h"
#include "tui/district_int.h"

enum { ROW_INBOX, ROW_BOARD, ROW_INDIC, ROW_REGISTER, ROW_EXPORT, N_ROWS };

static const enum action row_act[N_ROWS] = {ACT_D_INBOX, ACT_D_BOARD, ACT_D_INDIC, ACT_REGISTER,
					    ACT_D_EXPORT};
static const enum msg_id row_label[N_ROWS] = {MSG_DT_HOME_INBOX, MSG_DT_HOME_BOARD,
					      MSG_DT_HOME_INDIC, MSG_DT_HOME_REGISTER,
					      MSG_DT_HOME_EXPORT};

static void dhome_prepare(struct app *a)
{
	if (a->dui->inbox.stale)
		inbox_read(a);
	if (a->home.stale) {
		a->home.stale = 0;
		struct iset *r = a->registry ? index_set(&a->ix, form_id(a->registry)) : NULL;
		a->home.live = 0;
		for (size_t i = 0; r && i < r->n; i++)
			a->home.live += !(r->flag[i] & IF_DELETED);
	}
}

static const char *role_name(struct app *a, int role)
{
	switch (role) {
	case STORE_ROLE_CANBO: return msg_get(a->lang, MSG_ROLE_CANBO);
	case STORE_ROLE_LANHDAO: return msg_get(a->lang, MSG_ROLE_LANHDAO);
	case STORE_ROLE_HUYEN: return msg_get(a->lang, MSG_ROLE_HUYEN);
	default: return msg_get(a->lang, MSG_ROLE_QUANTRI);
	}
}

/* What each row says beside its name. */
static void row_detail(struct app *a, int r, char *buf, size_t cap)
{
	char n1[VN_NUM_BUF], n2[VN_NUM_BUF];
	const struct inbox_st *in = &a->dui->inbox;
	switch (r) {
	case ROW_INBOX:
		vn_int_format((int64_t)in->nwaiting, n1);
		vn_int_format((int64_t)(in->n - in->nwaiting), n2);
		snprintf(buf, cap, msg_get(a->lang, MSG_DT_HOME_INBOX_N), n1, n2);
		break;
	case ROW_REGISTER:
		vn_int_format((int64_t)a->home.live, n1);
		snprintf(buf, cap, msg_get(a->lang, MSG_DT_HOME_REGISTER_N), n1);
		break;
	case ROW_BOARD: snprintf(buf, cap, "%s", msg_get(a->lang, MSG_DT_HOME_BOARD_D)); break;
	case ROW_INDIC: snprintf(buf, cap, "%s", msg_get(a->lang, MSG_DT_HOME_INDIC_D)); break;
	default: snprintf(buf, cap, "%s", msg_get(a->lang, MSG_DT_HOME_EXPORT_D)); break;
	}
}

static void dhome_draw(struct app *a, int top, int rows, int cols)
{
	char buf[512];
	const struct forms_unit *u = forms_unit_find(a->fs, a->cfg->unit, a->cfg->unit_list);
	const struct store_user *who = store_whoami(a->st);
	int y = top + 1;
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_HOME_NODE),
		 u ? forms_unit_name(u) : a->cfg->unit, a->cfg->unit);
	term_put(y++, 3, cols - 4, buf, ST_HEAD);
	if (who) {
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_DT_HOME_USER), who->name,
			 role_name(a, who->role));
		term_put(y++, 3, cols - 4, buf, ST_NORMAL);
	}
	y++;
	term_hline(y++, 1, cols - 2);
	y++;
	for (int r = 0; r < N_ROWS && y < top + rows; r++, y++) {
		int focus = a->dui->home_sel == r;
		enum tstyle st = focus ? ST_FOCUS : ST_NORMAL;
		char keys[64], *sp;
		action_keys(row_act[r], keys, sizeof keys);
		if ((sp = strchr(keys, ' ')))
			*sp = '\0';
		term_fill(y, 1, cols - 2, ' ', st);
		term_put(y, 3, 5, keys, focus ? ST_FOCUS : ST_BARKEY);
		term_put(y, 9, 25, msg_get(a->lang, row_label[r]), st);
		row_detail(a, r, buf, sizeof buf);
		term_put(y, 35, cols - 36, buf, st);
	}
	tprompt_draw(a);
}

static int dhome_act(struct app *a, enum action act)
{
	struct district_ui *d = a->dui;
	if (a->tp.active)
		return tprompt_act(a, act);
	switch (act) {
	case ACT_UP:
		if (d->home_sel > 0)
			d->home_sel--;
		return R_DONE;
	case ACT_DOWN:
		if (d->home_sel + 1 < N_ROWS)
			d->home_sel++;
		return R_DONE;
	case ACT_FIRST: d->home_sel = 0; return R_DONE;
	case ACT_LAST: d->home_sel = N_ROWS - 1; return R_DONE;
	case ACT_OPEN: return dhome_act(a, row_act[d->home_sel]);
	case ACT_D_INBOX:
		d->inbox.stale = 1;
		app_go(a, SCR_INBOX);
		app_status(a, ST_NORMAL, MSG_T_EMPTY);
		return R_DONE;
	case ACT_D_BOARD: return board_open(a);
	case ACT_D_INDIC: return indic_open(a);
	case ACT_D_EXPORT: return dist_export_ask(a);
	case ACT_REGISTER:
		if (a->registry)
			list_open(a, a->registry);
		return R_DONE;
	case ACT_LOGOUT:
		/* What was read of the communes' reports goes with the session. */
		dist_board_free(a);
		dist_indic_free(a);
		dist_data_stale(a);
		memset(&d->report, 0, sizeof d->report);
		store_logout(a->st);
		a->logged_in = 0;
		app_go(a, SCR_LOGIN);
		app_status(a, ST_NORMAL, MSG_T_LOGGED_OUT);
		return R_DONE;
	case ACT_QUIT: return R_QUIT;
	case ACT_NODE:
		/* cchc demo: back to the commune the demo came from. */
		dist_board_free(a);
		dist_indic_free(a);
		a->node_request = TUI_NODE_OTHER;
		return R_QUIT;
	default: return R_DONE;
	}
}

static int dhome_input(struct app *a, struct tkey k)
{
	if (a->tp.active)
		return tprompt_input(a, k);
	return R_DONE;
}

const struct view view_dhome = {dhome_prepare, dhome_draw, dhome_input, dhome_act};
