/*
 * tui/dprompt.c: the district screens' shared state (open, close, unit
 * names).
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
