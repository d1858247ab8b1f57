/*
 * tui/prompt.c: the questions that guard a loss (app_ask_with): a
 * question naming what is at stake on the status line, two buttons (the
 * one that keeps things focused first) and the key bar of the question.
 * Enter presses the focused button, Esc keeps, Left / Right / Tab move,
 * the F-key that asked acts; typed characters answer nothing, since the
 * next letter typed may be meant for the field under the question.
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "tui/tui_int.h"

void app_ask_with(struct app *a, const struct ask *q)
{
	a->asking = 1;
	snprintf(a->question, sizeof a->question, "%s", q->question);
	a->on_yes = q->on_yes;
	a->on_no = q->on_no;
	a->ask_focus = 0;
	a->ask_key = q->key;
	a->ask_keep = q->keep;
	a->ask_act = q->act;
}

void app_ask(struct app *a, enum msg_id question, int (*on_yes)(struct app *a))
{
	struct ask q = {msg_get(a->lang, question), MSG_T_BTN_NO, MSG_T_BTN_YES, 0, on_yes, NULL};
	app_ask_with(a, &q);
}

/* While a question is asked, the bar names its keys only. */
void prompt_draw_bar(struct app *a, int y)
{
	char f[8] = "";
	const char *keys[4] = {"Enter", "Tab", "Esc", f};
	const char *labels[4] = {msg_get(a->lang, MSG_T_PROMPT_PRESS),
				 msg_get(a->lang, MSG_T_PROMPT_MOVE), msg_get(a->lang, a->ask_keep),
				 msg_get(a->lang, a->ask_act)};
	if (a->ask_key >= K_F1 && a->ask_key <= K_F12)
		snprintf(f, sizeof f, "F%u", (unsigned)(a->ask_key - K_F1 + 1));
	int x = 0;
	for (int i = 0; i < 4 && keys[i][0]; i++) {
		if (x + text_width(keys[i]) + 1 + text_width(labels[i]) > a->cols)
			break;
		x += term_put(y, x, a->cols - x, keys[i], ST_BARKEY);
		x += 1;
		x += term_put(y, x, a->cols - x, labels[i], ST_NORMAL);
		x += 2;
	}
}

/* The question, then its buttons on the same line, or on the line below
 * when both do not fit. */
void prompt_draw(struct app *a, int y, int lines)
{
	char b1[96], b2[96];
	snprintf(b1, sizeof b1, "[ %s ]", msg_get(a->lang, a->ask_keep));
	snprintf(b2, sizeof b2, "[ %s ]", msg_get(a->lang, a->ask_act));
	int x = 0;
	if (lines == 1)
		x = term_put(y, 0, a->cols, a->question, ST_ERROR) + 2;
	else
		term_put_fit(y - 1, 0, a->cols, a->question, ST_ERROR);
	x += term_put(y, x, a->cols - x, b1, a->ask_focus == 0 ? ST_FOCUS : ST_NORMAL) + 2;
	term_put(y, x, a->cols - x, b2, a->ask_focus == 1 ? ST_FOCUS : ST_NORMAL);
}

static int keep(struct app *a)
{
	a->asking = 0;
	a->status[0] = '\0';
	if (a->on_no)
		return a->on_no(a);
	app_status(a, ST_NORMAL, MSG_T_KEPT);
	return R_DONE;
}

/* A question guards a loss: typed characters (perhaps meant for the field
 * under it) answer nothing; Enter and Esc keep; acting takes moving to the
 * act button and Enter, or the F-key that asked. */
int prompt_answer(struct app *a, struct tkey k)
{
	if (k.kind != TK_KEY)
		return R_DONE;
	switch (k.code) {
	case K_LEFT: case K_RIGHT: case K_TAB: case K_BTAB:
		a->ask_focus = !a->ask_focus;
		return R_DONE;
	case K_ESC:
		return keep(a);
	case K_ENTER:
		if (!a->ask_focus)
			return keep(a);
		break;
	default:
		if (!a->ask_key || k.code != a->ask_key)
			return R_DONE;
		break;
	}
	a->asking = 0;
	a->status[0] = '\0';
	return a->on_yes(a);
}

