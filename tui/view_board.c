/* placeholder */
#include "tui/district_int.h"
int board_open(struct app *a) { (void)a; return R_DONE; }
int indic_open(struct app *a) { (void)a; return R_DONE; }
void dist_board_free(struct app *a) { (void)a; }
void dist_indic_free(struct app *a) { (void)a; }
void dist_data_stale(struct app *a) { (void)a; }
int dist_export_ask(struct app *a) { (void)a; return R_DONE; }
static void nodraw(struct app *a, int t, int r, int c) { (void)a; (void)t; (void)r; (void)c; }
static int noin(struct app *a, struct tkey k) { (void)k; app_go(a, SCR_HOME); return R_DONE; }
static int noact(struct app *a, enum action x) { (void)x; app_go(a, SCR_HOME); return R_DONE; }
const struct view view_board = {NULL, nodraw, noin, noact};
const struct view view_indic = {NULL, nodraw, noin, noact};
const struct view view_report = {NULL, nodraw, noin, noact};
