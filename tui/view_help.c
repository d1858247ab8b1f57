/*
 * tui/view_help.c: F1, the help of the screen it was pressed on,
 * generated from the action table (tui/actions.def): every action of that
 * screen with its keys and a sentence.
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "tui/tui_int.h"

static void help_draw(struct app *a, int top, int rows, int cols)
{
	static const enum msg_id titles[SCR_COUNT_] = {
		[SCR_LOGIN] = MSG_T_HELP_LOGIN, [SCR_HOME] = MSG_T_HELP_HOME,
		[SCR_FORM] = MSG_T_HELP_FORM,   [SCR_LIST] = MSG_T_HELP_LIST,
		[SCR_HELP] = MSG_T_HELP_LOGIN,  [SCR_SYNC] = MSG_SY_HELP,
		[SCR_DHOME] = MSG_DT_HELP_DHOME,
		[SCR_INBOX] = MSG_DT_HELP_INBOX, [SCR_BOARD] = MSG_DT_HELP_BOARD,
		[SCR_INDIC] = MSG_DT_HELP_INDIC, [SCR_REPORT] = MSG_DT_HELP_REPORT,
	};
	term_put(top, 1, cols - 2, msg_get(a->lang, titles[a->help_from]), ST_HEAD);
	int y = top + 2;
	size_t line = 0;
	int i;
	for (i = 0; i < ACT_COUNT_ && y < top + rows - 1; i++) {
		if (!action_in_scope((enum action)i, a->help_from) ||
		    !app_action_live(a, (enum action)i))
			continue;
		if (line++ < a->help_top)
			continue;
		char keys[64];
		action_keys((enum action)i, keys, sizeof keys);
		term_put_fit(y, 2, 22, keys, ST_HEAD);
		/* A long help wraps at a space onto a second line, never cut. */
		const char *h = action_help((enum action)i, a->lang);
		int w = cols - 26;
		size_t n = text_clip(h, strlen(h), w);
		if (h[n] && y + 1 < top + rows) {
			size_t at = n;
			while (at > 0 && h[at - 1] != ' ')
				at--;
			if (at == 0)
				at = n;
			char part[512];
			snprintf(part, sizeof part, "%.*s", (int)at, h);
			term_put(y++, 25, w, part, ST_NORMAL);
			h += at;
		}
		term_put_fit(y, 25, w, h, ST_NORMAL);
		y++;
	}
	/* What did not fit is said, not cut silently. */
	size_t more = 0;
	for (; i < ACT_COUNT_; i++)
		more += action_in_scope((enum action)i, a->help_from) != 0;
	if (more) {
		char buf[256];
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_HELP_MORE), more);
		term_put_fit(y, 2, cols - 4, buf, ST_DIM);
		return;
	}
	if (y < top + rows - 1 && (a->help_from == SCR_FORM || a->help_from == SCR_LOGIN))
		term_put(top + rows - 1, 2, cols - 4, msg_get(a->lang, MSG_T_HELP_TELEX), ST_DIM);
}

static int help_act(struct app *a, enum action act)
{
	switch (act) {
	case ACT_DOWN: case ACT_PGDN: a->help_top++; return R_DONE;
	case ACT_UP: case ACT_PGUP: if (a->help_top) a->help_top--; return R_DONE;
	case ACT_QUIT:
	case ACT_BACK:
	case ACT_HELP:
		app_go(a, a->help_from);
		return R_DONE;
	default: return R_DONE;
	}
}

static int help_input(struct app *a, struct tkey k)
{
	(void)k;
	app_go(a, a->help_from);
	return R_DONE;
}

const struct view view_help = {NULL, help_draw, help_input, help_act};
