/*
 * tui/prompt_text.c: a question with a typed answer on the status line
 * (an export path, a USB directory, a return's reason): Enter answers, Esc
 * cancels.  Any screen may ask one (a->tp); while it is active the
 * screen's act and input hand it their keys.
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "tui/tui_int.h"

void tprompt_start(struct app *a, const char *question, const char *initial, int telex,
		   int (*on_done)(struct app *a, const char *text))
{
	struct tprompt *p = &a->tp;
	p->active = 1;
	snprintf(p->question, sizeof p->question, "%s", question);
	p->on_done = on_done;
	p->telex = telex;
	editline_set(&p->ed, initial ? initial : "", 1000, telex);
	editline_end(&p->ed);
}

static int finish(struct app *a)
{
	struct tprompt *p = &a->tp;
	p->active = 0;
	if (!p->ed.len) {
		app_status(a, ST_NORMAL, MSG_T_CANCELLED);
		return R_DONE;
	}
	return p->on_done(a, p->ed.buf);
}

int tprompt_act(struct app *a, enum action act)
{
	struct tprompt *p = &a->tp;
	switch (act) {
	case ACT_OPEN: return finish(a);
	case ACT_BACK:
	case ACT_QUIT:
		p->active = 0;
		app_status(a, ST_NORMAL, MSG_T_CANCELLED);
		return R_DONE;
	case ACT_D_LEFT: editline_left(&p->ed); return R_DONE;
	case ACT_D_RIGHT: editline_right(&p->ed); return R_DONE;
	case ACT_FIRST: editline_home(&p->ed); return R_DONE;
	case ACT_LAST: editline_end(&p->ed); return R_DONE;
	default: return R_DONE;
	}
}

int tprompt_input(struct app *a, struct tkey k)
{
	struct tprompt *p = &a->tp;
	if (k.kind == TK_CHAR) {
		editline_insert(&p->ed, k.code, a->telex && p->telex, a->tstyle);
		return R_DONE;
	}
	if (k.kind != TK_KEY)
		return R_DONE;
	switch (k.code) {
	case K_ENTER: return finish(a);
	case K_ESC: return tprompt_act(a, ACT_BACK);
	case K_BACKSPACE: editline_backspace(&p->ed); break;
	case K_DELETE: editline_delete(&p->ed); break;
	case K_LEFT: editline_left(&p->ed); break;
	case K_RIGHT: editline_right(&p->ed); break;
	case K_HOME: case K_CTRL('A'): editline_home(&p->ed); break;
	case K_END: case K_CTRL('E'): editline_end(&p->ed); break;
	case K_CTRL('U'): editline_kill_before(&p->ed); break;
	default: break;
	}
	return R_DONE;
}

void tprompt_draw(struct app *a)
{
	struct tprompt *p = &a->tp;
	if (!p->active)
		return;
	int y = a->rows - 2;
	const char *q = p->question;
	term_fill(y, 0, a->cols, ' ', ST_NORMAL);
	int x = term_put(y, 0, a->cols, q, ST_HEAD) + 1;
	int w = a->cols - x - 1;
	if (w < 10)
		return;
	int curcol = 0;
	editline_view(&p->ed, w, &curcol);
	term_fill(y, x, w, ' ', ST_FOCUS);
	term_put(y, x, w, p->ed.buf + p->ed.scroll, ST_FOCUS);
	term_cursor(y, x + curcol);
}
