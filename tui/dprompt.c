/*
 * tui/dprompt.c: the district screens' shared state (open, close, unit
 * names) and a one-line question on the status line (the export path, a
 * return's reason): Enter answers, Esc cancels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/district_int.h"

int district_ui_open(struct app *a)
{
	a->dui = calloc(1, sizeof *a->dui);
	if (!a->dui)
		return -1;
	a->dui->inbox.stale = 1;
	return 0;
}

void district_ui_close(struct app *a)
{
	if (!a->dui)
		return;
	dist_board_free(a);
	dist_indic_free(a);
	district_free(a->dui->desk);
	free(a->dui->inbox.rows);
	free(a->dui);
	a->dui = NULL;
}

const char *dist_unit_name(struct app *a, const char *code)
{
	const struct forms_unit *u = forms_unit_find(a->fs, code, a->cfg->unit_list);
	return u ? forms_unit_name(u) : code;
}

void dprompt_start(struct app *a, const char *question, const char *initial, int telex,
		   int (*on_done)(struct app *a, const char *text))
{
	struct dprompt *p = &a->dui->prompt;
	p->active = 1;
	snprintf(p->question, sizeof p->question, "%s", question);
	p->on_done = on_done;
	p->telex = telex;
	editline_set(&p->ed, initial ? initial : "", 1000, telex);
	editline_end(&p->ed);
}

static int finish(struct app *a)
{
	struct dprompt *p = &a->dui->prompt;
	p->active = 0;
	if (!p->ed.len) {
		app_status(a, ST_NORMAL, MSG_T_CANCELLED);
		return R_DONE;
	}
	return p->on_done(a, p->ed.buf);
}

int dprompt_act(struct app *a, enum action act)
{
	struct dprompt *p = &a->dui->prompt;
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

int dprompt_input(struct app *a, struct tkey k)
{
	struct dprompt *p = &a->dui->prompt;
	if (k.kind == TK_CHAR) {
		editline_insert(&p->ed, k.code, a->telex && p->telex, a->tstyle);
		return R_DONE;
	}
	if (k.kind != TK_KEY)
		return R_DONE;
	switch (k.code) {
	case K_ENTER: return finish(a);
	case K_ESC: return dprompt_act(a, ACT_BACK);
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

void dprompt_draw(struct app *a)
{
	struct dprompt *p = &a->dui->prompt;
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
