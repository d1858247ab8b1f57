/*
 * tui/app.c: tui_run and the loop.
 *
 * Each turn: read one input event, give it to the screen (through the
 * action table when a binding claims it, else as typed input), then draw
 * the whole screen from state and call doupdate once.  A resize only
 * changes the size the next draw uses; below 80x24 the screen says so and
 * keys are held: none is applied there, and when the terminal is 80x24
 * again they are applied in the order typed.  Past HELD_MAX held keys the
 * rest are refused, which the small screen and then the status line say.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/text.h"
#include "forms/forms.h"
#include "store/store.h"
#include "tui/district_int.h" /* and tui/tui_int.h */

#define MIN_ROWS 24
#define MIN_COLS 80

static const struct view *const views[SCR_COUNT_] = {
	[SCR_LOGIN] = &view_login, [SCR_HOME] = &view_home, [SCR_FORM] = &view_form,
	[SCR_LIST] = &view_list,   [SCR_HELP] = &view_help,   [SCR_SYNC] = &view_sync,
	[SCR_DHOME] = &view_dhome, [SCR_INBOX] = &view_inbox, [SCR_BOARD] = &view_board,
	[SCR_INDIC] = &view_indic, [SCR_REPORT] = &view_report,
};

const char *tui_strerror(int err)
{
	switch (err) {
	case TUI_OK: return "ok";
	case TUI_ETERM: return "the terminal cannot be used";
	case TUI_EKEYS: return "bad key script";
	case TUI_EDUMP: return "cannot write the screen dump";
	case TUI_ENOMEM: return "out of memory";
	case TUI_ESTORE: return "the node failed";
	default: return "unknown error";
	}
}

double app_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void app_statusf(struct app *a, enum tstyle st, const char *text)
{
	snprintf(a->status, sizeof a->status, "%s", text);
	a->status_st = st;
}

void app_status(struct app *a, enum tstyle st, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	vsnprintf(a->status, sizeof a->status, msg_get(a->lang, id), ap);
	va_end(ap);
	a->status_st = st;
}

const char *app_store_err(struct app *a, int err)
{
	enum msg_id id;
	switch (err) {
	case STORE_ENOSPC: case STORE_EBUSY: id = MSG_TE_NOSPC; break;
	case STORE_EROFS: id = MSG_TE_ROFS; break;
	case STORE_ECONFLICT: id = MSG_TE_CONFLICT; break;
	case STORE_EDAMAGED: id = MSG_TE_DAMAGED; break;
	case STORE_EIO: id = MSG_TE_IO; break;
	default: id = MSG_TE_STORE; break;
	}
	return msg_get(a->lang, id);
}

void app_go(struct app *a, enum tscreen s)
{
	/* A district node's home is its own screen. */
	a->scr = s == SCR_HOME && a->dui ? SCR_DHOME : s;
}

enum form_actor app_actor(const struct app *a)
{
	const struct store_user *u = store_whoami(a->st);
	if (u && u->role == STORE_ROLE_CANBO)
		return FORM_ACTOR_OFFICER;
	if (u && u->role == STORE_ROLE_LANHDAO)
		return FORM_ACTOR_LEADER;
	return FORM_ACTOR_OTHER;
}

void app_seal(struct app *a)
{
	size_t sealed = 0;
	int store_err = 0;
	if (!a->logged_in || !a->cfg->home || !a->cfg->district)
		return;
	struct sync_node node = {a->cfg->home, a->cfg->unit, a->cfg->district};
	int rc = sync_session(a->st, &node, &sealed, &store_err);
	a->sealed_ms = app_ms();
	if (rc)
		app_status(a, ST_ERROR, MSG_T_SEAL_FAILED,
			   rc == SYNC_ESTORE ? app_store_err(a, store_err) : sync_strerror(rc));
	a->home.stale = 1;
	if (a->index_ok && (rc = index_sync(&a->ix, a->st)))
		app_status(a, ST_ERROR, MSG_T_INDEX_FAILED, app_store_err(a, rc));
}

/* ---------------------------------------------------------------- draw */

static void draw_title(struct app *a)
{
	char buf[512];
	const struct forms_unit *u = forms_unit_find(a->fs, a->cfg->unit, a->cfg->unit_list);
	const struct store_user *who = store_whoami(a->st);
	term_fill(0, 0, a->cols, ' ', ST_BAR);
	snprintf(buf, sizeof buf, " CCHC · %s", u ? forms_unit_name(u) : a->cfg->unit);
	term_put(0, 0, a->cols, buf, ST_BAR);
	size_t n = 0;
	buf[0] = '\0';
	if (a->telex)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "[%s] ",
				      msg_get(a->lang, a->tstyle == TELEX_NEW ? MSG_T_TELEX_NEW
										: MSG_T_TELEX));
	if (who && a->logged_in)
		snprintf(buf + n, sizeof buf - n, "%s ", who->name);
	int width = text_width(buf);
	if (width < a->cols)
		term_put(0, a->cols - width, width, buf, ST_BAR);
}

int app_action_live(const struct app *a, enum action act)
{
	return (act != ACT_NODE && act != ACT_NEXT_COMMUNE) || a->cfg->demo_nodes;
}

/* The form's bar shows the steps of the user's role only. */
static int bar_wanted(struct app *a, enum action act)
{
	if (a->dui && act == ACT_NEW)
		return 0; /* a district reads the communes' entries, never adds one */
	if (a->scr != SCR_FORM)
		return 1;
	enum form_actor who = app_actor(a);
	if (a->form.f && form_kind(a->form.f) == FORM_KIND_REGISTER &&
	    (act == ACT_SUBMIT || act == ACT_APPROVE || act == ACT_FILL))
		return 0;
	/* The new-line key shows while a long narrative has the focus; the
	 * fill key (F1 still lists it) gives it the room on an 80-column bar. */
	if (act == ACT_NEWLINE)
		return fv_in_area(a) && !a->form.readonly;
	if (act == ACT_FILL && fv_in_area(a))
		return 0;
	if (act == ACT_REOPEN)
		return !a->dui && who == FORM_ACTOR_LEADER && a->form.readonly && !a->form.is_new &&
		       form_kind(a->form.f) == FORM_KIND_REPORT &&
		       a->form.rec.state >= FORM_STATE_APPROVED;
	if (act == ACT_DELETE)
		return !a->dui && who == FORM_ACTOR_OFFICER && !a->form.is_new &&
		       form_kind(a->form.f) == FORM_KIND_REGISTER;
	if (act == ACT_APPROVE)
		return who == FORM_ACTOR_LEADER;
	if (act == ACT_SAVE || act == ACT_SUBMIT || act == ACT_FILL)
		return who == FORM_ACTOR_OFFICER && !a->form.readonly;
	if (act == ACT_TELEX)
		return !a->form.readonly;
	return 1;
}

static void draw_keybar(struct app *a, enum tscreen scr)
{
	int x = 0, y = a->rows - 1;
	term_fill(y, 0, a->cols, ' ', ST_NORMAL);
	if (a->asking) {
		prompt_draw_bar(a, y);
		return;
	}
	for (int i = 0; i < ACT_COUNT_ && x < a->cols; i++) {
		if (!action_on_bar((enum action)i, scr))
			continue;
		char keys[64], *sp;
		action_keys((enum action)i, keys, sizeof keys);
		if ((sp = strchr(keys, ' ')))
			*sp = '\0';
		const char *label = action_label((enum action)i, a->lang);
		if (!bar_wanted(a, (enum action)i) || !app_action_live(a, (enum action)i))
			continue;
		/* Whole entries only: a clipped label helps nobody. */
		if (x + text_width(keys) + 1 + text_width(label) > a->cols)
			break;
		x += term_put(y, x, a->cols - x, keys, ST_BARKEY);
		x += 1;
		x += term_put(y, x, a->cols - x, label, ST_NORMAL);
		x += 2;
	}
}

/* The status text, or with none, a help line for where the focus is. */
static const char *status_text(struct app *a, char *buf, size_t cap, enum tstyle *st)
{
	*st = a->status_st;
	if (a->status[0])
		return a->status;
	*st = ST_DIM;
	buf[0] = '\0';
	if (a->scr == SCR_FORM && a->form.f)
		fv_help(a, buf, cap);
	else if (a->scr == SCR_LIST && a->list.searching)
		snprintf(buf, cap, "%s", msg_get(a->lang, MSG_T_SEARCH_HELP));
	return buf;
}

/* Where a text too wide for cols breaks: after the last space that fits
 * (else at the last letter that does). */
static size_t break_at(const char *s, int cols)
{
	size_t n = text_clip(s, strlen(s), cols);
	if (!s[n])
		return n;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == ' ')
			return i;
	return n;
}

/* Lines the status needs: 2 when its text (or the question and its
 * buttons) is wider than the screen, never cut without a mark. */
static int status_lines(struct app *a)
{
	char buf[512];
	enum tstyle st;
	if (a->asking) {
		int w = text_width(a->question) + 4 + text_width(msg_get(a->lang, a->ask_keep)) + 6 +
			text_width(msg_get(a->lang, a->ask_act)) + 4;
		return w > a->cols ? 2 : 1;
	}
	int right = a->cfg->show_keys && a->lastkey[0] ? (int)strlen(a->lastkey) + 3 : 1;
	return text_width(status_text(a, buf, sizeof buf, &st)) > a->cols - right ? 2 : 1;
}

/* Text over the lines y0.. (at most n), wrapped at spaces; the last line
 * ends in "…" if it still does not fit. */
static void put_wrapped(int y0, int n, int cols, const char *s, enum tstyle st)
{
	for (int i = 0; i < n && *s; i++) {
		if (i == n - 1) {
			term_put_fit(y0 + i, 0, cols, s, st);
			break;
		}
		size_t at = break_at(s, cols);
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)at, s);
		term_put(y0 + i, 0, cols, line, st);
		s += at;
	}
}

static void draw_status(struct app *a, int lines)
{
	int y = a->rows - 2;
	for (int i = 0; i < lines; i++)
		term_fill(y - i, 0, a->cols, ' ', ST_NORMAL);
	if (a->asking) {
		prompt_draw(a, y, lines);
		return;
	}
	int right = 0;
	if (a->cfg->show_keys && a->lastkey[0]) {
		char k[48];
		snprintf(k, sizeof k, "[%s]", a->lastkey);
		right = (int)strlen(k);
		if (right < a->cols)
			term_put(y, a->cols - right, right, k, ST_BARKEY);
	}
	char buf[512];
	enum tstyle st;
	const char *text = status_text(a, buf, sizeof buf, &st);
	put_wrapped(y - (lines - 1), lines, a->cols - right - 1, text, st);
}

static int too_small(const struct app *a)
{
	return a->rows < MIN_ROWS || a->cols < MIN_COLS;
}

static void draw_small(struct app *a)
{
	char buf[256];
	term_erase();
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_TOO_SMALL), a->cols, a->rows, MIN_COLS,
		 MIN_ROWS);
	term_put(a->rows / 2 > 0 ? a->rows / 2 - 1 : 0, 0, a->cols, buf, ST_ERROR);
	term_put(a->rows / 2, 0, a->cols, msg_get(a->lang, MSG_T_TOO_SMALL2), ST_NORMAL);
	if (a->nheld) {
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_TOO_SMALL_HELD), a->nheld);
		term_put(a->rows / 2 + 1, 0, a->cols, buf, ST_NORMAL);
	}
	if (a->refused) {
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_TOO_SMALL_REFUSED), a->refused,
			 HELD_MAX);
		term_put(a->rows / 2 + 2, 0, a->cols, buf, ST_ERROR);
	}
	term_cursor(-1, -1);
}

static void draw(struct app *a)
{
	if (too_small(a)) {
		draw_small(a);
		term_flush();
		return;
	}
	term_erase();
	term_cursor(-1, -1);
	draw_title(a);
	int lines = status_lines(a);
	draw_status(a, lines);
	draw_keybar(a, a->scr);
	/* The screen draws last so that it can place the cursor. */
	views[a->scr]->draw(a, 1, a->rows - 2 - lines, a->cols);
	term_flush();
}

void app_redraw(struct app *a)
{
	draw(a);
}

/* The screen's prepare step (reads the store, may allocate), then the
 * draw (neither). */
static void show(struct app *a)
{
	if (views[a->scr]->prepare)
		views[a->scr]->prepare(a);
	draw(a);
}

/* ---------------------------------------------------------------- keys */

static int handle(struct app *a, struct tkey k)
{
	if (a->asking)
		return prompt_answer(a, k);
	/* A message says what the last action did: the next one clears it. */
	a->status[0] = '\0';
	a->status_st = ST_NORMAL;
	int act = action_for(a->scr, k);
	if (act >= 0 && !app_action_live(a, (enum action)act))
		act = -1;
	if (act == ACT_HELP && a->scr != SCR_HELP) {
		a->help_from = a->scr;
		a->help_top = 0;
		app_go(a, SCR_HELP);
		return R_DONE;
	}
	if (act == ACT_TELEX) {
		a->telex = !a->telex;
		app_status(a, ST_NORMAL, a->telex ? MSG_T_TELEX_ON : MSG_T_TELEX_OFF);
		return R_DONE;
	}
	if (act >= 0)
		return views[a->scr]->act(a, (enum action)act);
	return views[a->scr]->input(a, k);
}

static void dump(struct app *a, const char *path)
{
	if (path && term_dump(path) != TUI_OK)
		app_status(a, ST_ERROR, MSG_T_DUMP_FAILED, path);
}

/* Figures for make bench ($CCHC_TUI_TIMES); nothing is measured without it. */
struct timing {
	FILE *f;
	double first_frame;
	int drawn;
};

static void timing_key(struct timing *t, struct tkey k, enum tscreen from, enum tscreen to,
		       double ms)
{
	static const char *const names[SCR_COUNT_] = {"login", "home",	"form",	 "list",  "help",  "sync",
						     "dhome", "inbox", "board", "indic", "report"};
	char name[32];
	if (t->f)
		fprintf(t->f, "key %s %s %s %.3f\n", tkey_name(k, name, sizeof name), names[from],
			names[to], ms);
}

long app_hwm_kib(int reset)
{
	char line[256];
	long kib = 0;
	FILE *st = fopen("/proc/self/status", "r");
	while (st && fgets(line, sizeof line, st))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	if (st)
		fclose(st);
	if (reset) {
		/* "5" resets the peak to the present size (proc(5), clear_refs). */
		FILE *cr = fopen("/proc/self/clear_refs", "w");
		if (cr) {
			fputs("5", cr);
			fclose(cr);
		}
	}
	return kib;
}

/* The UI's peak leaves out the login's Argon2id (its 64 MiB are freed
 * before the lists load); both are written, so nothing is hidden. */
static void timing_end(struct app *a, struct timing *t)
{
	if (!t->f)
		return;
	long now = app_hwm_kib(0);
	if (a->kdf_ms > 0) {
		fprintf(t->f, "login_kdf_ms %.3f\n", a->kdf_ms);
		fprintf(t->f, "login_kdf_peak_rss_kib %ld\n", a->hwm_login_kib);
	}
	fprintf(t->f, "peak_rss_kib %ld\n", now > a->hwm_before_kib ? now : a->hwm_before_kib);
	if (a->index_ok) {
		/* Whether the login had to build the digests from the records
		 * (tests read it: a node filled by the CLI must not). */
		fprintf(t->f, "index_rebuilt %d\n", a->ix.rebuilt);
		fprintf(t->f, "index_records_read %llu\n", (unsigned long long)a->ix.walked);
		fprintf(t->f, "index_sorted_now %d\n", a->ix.sorted_now);
		fprintf(t->f, "index_peak_rss_kib %ld\n", a->hwm_index_kib);
	}
	fclose(t->f);
}

/* A key on the "too small" screen: quitting works when nothing would be
 * lost; any other key is held (or refused when HELD_MAX are). */
static int hold(struct app *a, struct tkey k)
{
	if (action_for(a->scr, k) == ACT_QUIT && !a->form.dirty && !a->nheld &&
	    !(a->scr == SCR_FORM && a->form.editing && a->form.ed.changed))
		return R_QUIT;
	if (a->nheld < HELD_MAX)
		a->held[a->nheld++] = k;
	else
		a->refused++;
	return R_DONE;
}

/* Back to 80x24: the held keys, in the order typed. */
static int replay(struct app *a)
{
	size_t n = a->nheld, refused = a->refused;
	a->nheld = a->refused = 0;
	for (size_t i = 0; i < n; i++) {
		if (views[a->scr]->prepare)
			views[a->scr]->prepare(a);
		if (handle(a, a->held[i]) == R_QUIT)
			return R_QUIT;
	}
	if (refused)
		app_status(a, ST_ERROR, MSG_T_HELD_REFUSED, refused);
	return R_DONE;
}

static int loop(struct app *a, struct timing *t)
{
	term_size(&a->rows, &a->cols);
	for (;;) {
		show(a);
		if (!t->drawn++ && t->f && a->cfg->start_ms > 0)
			fprintf(t->f, "first_frame_ms %.3f\n", app_ms() - a->cfg->start_ms);
		struct tkey k = term_read();
		double t0 = app_ms();
		enum tscreen from = a->scr;
		if (k.kind == TK_EOF)
			return R_DONE;
		if (k.kind == TK_DUMP) {
			dump(a, term_dump_path(k.code));
			continue;
		}
		if (k.kind == TK_CAPTION) {
			const char *text = term_caption(k.code);
			app_statusf(a, ST_HEAD, text ? text : "");
			continue;
		}
		if (k.kind == TK_RESIZE) {
			a->rows = k.rows;
			a->cols = k.cols;
			if (!too_small(a) && (a->nheld || a->refused) && replay(a) == R_QUIT)
				return R_QUIT;
			continue;
		}
		tkey_name(k, a->lastkey, sizeof a->lastkey);
		if (too_small(a)) {
			if (hold(a, k) == R_QUIT)
				return R_QUIT;
			continue;
		}
		int r = handle(a, k);
		if (t->f && r != R_QUIT) {
			show(a);
			timing_key(t, k, from, a->scr, app_ms() - t0);
		}
		if (r == R_QUIT)
			return R_QUIT;
	}
}

int tui_run(const struct tui_config *cfg)
{
	struct app *a = calloc(1, sizeof *a);
	char err[512];
	if (!a)
		return TUI_ENOMEM;
	a->cfg = cfg;
	a->st = cfg->store;
	a->fs = cfg->forms;
	a->lang = cfg->lang;
	a->flang = cfg->lang == LANG_EN ? FORMS_LANG_EN : FORMS_LANG_VI;
	const struct forms_unit *u = forms_unit_find(a->fs, cfg->unit, cfg->unit_list);
	a->level = u ? forms_unit_level(u) : FORMS_LEVEL_COMMUNE;
	for (size_t i = 0; i < forms_count(a->fs); i++) {
		const struct form *f = forms_at(a->fs, i);
		if (form_kind(f) == FORM_KIND_REPORT)
			a->report = forms_find(a->fs, form_id(f));
		else
			a->registry = forms_find(a->fs, form_id(f));
	}
	const char *ts = getenv("CCHC_TELEX_STYLE");
	a->tstyle = ts && strcmp(ts, "new") == 0 ? TELEX_NEW : TELEX_OLD;
	editline_set(&a->login.user, cfg->user, 64, 0);
	editline_set(&a->login.pass, "", 128, 0);
	a->login.focus = cfg->user && *cfg->user ? 1 : 0;
	if (cfg->district_node && district_ui_open(a) != 0) {
		free(a);
		return TUI_ENOMEM;
	}
	app_status(a, ST_NORMAL, MSG_T_LOGIN_HELLO);
	struct term_opts o = {cfg->keys, cfg->keys && !isatty(STDOUT_FILENO),
			      cfg->keys_pos ? *cfg->keys_pos : 0};
	int rc = term_start(&o, err, sizeof err);
	if (rc) {
		fprintf(stderr, "cchc: %s\n", err);
		district_ui_close(a);
		free(a);
		return rc;
	}
	struct timing t = {NULL, 0, 0};
	const char *tf = getenv("CCHC_TUI_TIMES");
	if (tf && *tf)
		t.f = fopen(tf, "w");
	a->timed = t.f != NULL;
	loop(a, &t);
	timing_end(a, &t);
	app_seal(a); /* leaving: seal what waits (SPEC §8) */
	if (cfg->keys_pos)
		*cfg->keys_pos = term_script_pos();
	if (cfg->dump && term_dump(cfg->dump) != TUI_OK)
		rc = TUI_EDUMP;
	term_stop();
	form_close(a);
	list_close(a);
	district_ui_close(a);
	if (a->index_ok)
		index_close(&a->ix);
	if (rc == TUI_OK)
		rc = a->node_request;
	free(a);
	if (rc == TUI_EDUMP)
		fprintf(stderr, "cchc: %s: %s\n", cfg->dump, tui_strerror(rc));
	return rc;
}
