/*
 * tui/view_sync.c: Đồng bộ, a commune's sync screen (F5 on home).  What
 * waits (sealed batches, changes not sealed yet), what the district holds,
 * the last receipt and the receiver's address; F5 Gửi ngay sends every
 * sealed batch (sync_push) with a bar that moves batch by batch, then
 * fetches the district's receipts and messages (sync_fetch); F6 Xuất ra
 * USB copies the batches to a directory (sync_export); F7 Nhận biên nhận
 * takes a receipts file carried back (sync_receipts_take).  The same sync
 * calls as `cchc sync push|export|receipts`, so nothing differs between
 * the two; the results of each batch are listed under the bar.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/vnfmt.h"
#include "tui/tui_int.h"

/* A message of the command line as a line of the screen: no trailing new
 * line, a capital first letter ("không kết nối ..." -> "Không kết nối"). */
static void line_of(char *buf, size_t cap, const char *text)
{
	snprintf(buf, cap, "%s", text);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (islower((unsigned char)buf[0]))
		buf[0] = (char)toupper((unsigned char)buf[0]);
}

static void sync_log(struct app *a, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void sync_log(struct app *a, int err, const char *fmt, ...)
{
	struct sync_ui *s = &a->sync;
	char raw[sizeof s->log[0]];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	size_t k = s->logged++ % SYNC_UI_LOG;
	line_of(s->log[k], sizeof s->log[k], raw);
	s->log_err[k] = err;
}

static struct sync_node node_of(const struct app *a)
{
	return (struct sync_node){a->cfg->home, a->cfg->unit, a->cfg->district};
}

static void sync_prepare(struct app *a)
{
	struct sync_ui *s = &a->sync;
	if (!s->stale)
		return;
	s->stale = 0;
	uint64_t last = 0;
	struct sync_node n = node_of(a);
	s->st_ok = store_outbox_last(a->st, &last) == 0 && sync_status_read(&n, last, &s->st) == 0;
}

static void draw_bar(struct app *a, int y, int cols)
{
	const struct sync_ui *s = &a->sync;
	char bar[40], buf[256], n1[VN_NUM_BUF], n2[VN_NUM_BUF];
	int w = 30;
	size_t fill = s->total ? s->done * (size_t)w / s->total : 0;
	for (int i = 0; i < w; i++)
		bar[i] = (size_t)i < fill ? '#' : '.';
	bar[w] = '\0';
	vn_int_format((int64_t)(s->running && s->done < s->total ? s->done + 1 : s->done), n1);
	vn_int_format((int64_t)s->total, n2);
	snprintf(buf, sizeof buf, msg_get(a->lang, s->running ? MSG_SY_SENDING : MSG_SY_SENT), n1,
		 n2, bar);
	term_put(y, 3, cols - 4, buf, s->running ? ST_HEAD : ST_NORMAL);
}

static void draw_state(struct app *a, int *y, int cols)
{
	const struct sync_ui *s = &a->sync;
	const struct sync_status *ss = &s->st;
	char buf[512], n1[VN_NUM_BUF], n2[VN_NUM_BUF], n3[VN_NUM_BUF], when[VN_TIME_BUF];
	vn_int_format(s->st_ok ? (int64_t)ss->batches_waiting : 0, n1);
	vn_int_format(s->st_ok ? (int64_t)ss->changes_waiting : 0, n2);
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_WAITING), n1, n2);
	term_put_fit((*y)++, 3, cols - 4, buf, ST_NORMAL);
	vn_int_format(s->st_ok ? (int64_t)ss->batches_stored : 0, n1);
	vn_int_format(s->st_ok ? (int64_t)ss->batches_imported : 0, n2);
	vn_int_format(s->st_ok ? (int64_t)ss->batches_refused : 0, n3);
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_SY_HELD), n1, n2, n3);
	term_put_fit((*y)++, 3, cols - 4, buf, s->st_ok && ss->batches_refused ? ST_ERROR : ST_NORMAL);
	if (s->st_ok && ss->last_receipt_at) {
		vn_time_format(ss->last_receipt_at, when);
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_T_LAST_RECEIPT), when,
			 msg_get(a->lang, ss->last_receipt_status == SYNC_RCPT_IMPORTED    ? MSG_RCPT_IMPORTED
					  : ss->last_receipt_status == SYNC_RCPT_DUPLICATE ? MSG_RCPT_DUPLICATE
											   : MSG_RCPT_STORED));
		term_put_fit((*y)++, 3, cols - 4, buf, ST_NORMAL);
	} else {
		term_put((*y)++, 3, cols - 4, msg_get(a->lang, MSG_T_NO_RECEIPT), ST_DIM);
	}
}

static void sync_draw(struct app *a, int top, int rows, int cols)
{
	const struct sync_ui *s = &a->sync;
	char buf[512];
	int y = top + 1;
	const struct forms_unit *up = forms_unit_find(a->fs, a->cfg->district, a->cfg->unit_list);
	snprintf(buf, sizeof buf, msg_get(a->lang, MSG_SY_TITLE),
		 up ? forms_unit_name(up) : a->cfg->district, a->cfg->district);
	term_put_fit(y++, 1, cols - 2, buf, ST_HEAD);
	if (a->cfg->server && *a->cfg->server)
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_SY_SERVER), a->cfg->server);
	else
		snprintf(buf, sizeof buf, "%s", msg_get(a->lang, MSG_SY_NO_SERVER));
	term_put_fit(y++, 3, cols - 4, buf, a->cfg->server && *a->cfg->server ? ST_NORMAL : ST_ERROR);
	y++;
	draw_state(a, &y, cols);
	y++;
	term_hline(y++, 1, cols - 2);
	if (s->running || s->total)
		draw_bar(a, y++, cols);
	/* The last results, oldest first. */
	size_t n = s->logged < SYNC_UI_LOG ? s->logged : SYNC_UI_LOG;
	size_t room = top + rows > y ? (size_t)(top + rows - y) : 0;
	size_t show = n < room ? n : room;
	for (size_t i = 0; i < show; i++) {
		size_t k = (s->logged - show + i) % SYNC_UI_LOG;
		term_put_fit(y++, 3, cols - 4, s->log[k], s->log_err[k] ? ST_ERROR : ST_NORMAL);
	}
	if (!s->logged && !s->running && y < top + rows)
		term_put_fit(y, 3, cols - 4, msg_get(a->lang, MSG_SY_HINT), ST_DIM);
	tprompt_draw(a);
}

/* One batch of a send: its result under the bar, and the bar moves. */
static void push_event(void *ctx, const struct sync_event *ev)
{
	struct app *a = ctx;
	struct sync_ui *s = &a->sync;
	unsigned long long no = (unsigned long long)ev->batch_no;
	if (ev->err == 0 && strcmp(ev->what, "sent") == 0)
		sync_log(a, 0, msg_get(a->lang, MSG_PUSH_SENT), no);
	else if (ev->err == 0)
		sync_log(a, 0, msg_get(a->lang, MSG_PUSH_DUP), no);
	else if (ev->err == SYNC_EREFUSED && ev->http == 409)
		sync_log(a, 1, msg_get(a->lang, MSG_PUSH_CONFLICT), no);
	else if (ev->err == SYNC_EREFUSED)
		sync_log(a, 1, msg_get(a->lang, MSG_PUSH_REFUSED), no, ev->http);
	else
		sync_log(a, 1, msg_get(a->lang, MSG_PUSH_FAILED), no,
			 msg_get(a->lang, sync_reason(ev->err)));
	s->forbidden += ev->err == SYNC_EREFUSED && ev->http == 403;
	s->badreceipt += ev->err == SYNC_ESIG;
	s->done += ev->err == 0; /* the bar counts what the receiver has */
	if (ev->total > s->total)
		s->total = ev->total;
	app_redraw(a);
}

/* The status line after a send that stopped. */
static void push_failed(struct app *a, int rc)
{
	char buf[512];
	const char *m = rc == SYNC_ENET	     ? msg_get(a->lang, MSG_E_PUSH_NET)
			: rc == SYNC_ETEMP   ? msg_get(a->lang, MSG_E_PUSH_TEMP)
			: a->sync.badreceipt ? msg_get(a->lang, MSG_E_BAD_RECEIPT_SERVER)
			: a->sync.forbidden  ? msg_get(a->lang, MSG_E_PUSH_FORBIDDEN)
			: rc == SYNC_EREFUSED ? msg_get(a->lang, MSG_E_PUSH_REFUSED)
					      : NULL;
	if (m) {
		char text[512];
		snprintf(text, sizeof text, m, a->cfg->server);
		line_of(buf, sizeof buf, text);
	} else {
		snprintf(buf, sizeof buf, msg_get(a->lang, MSG_SY_E_FAILED),
			 msg_get(a->lang, sync_reason(rc)));
	}
	app_statusf(a, ST_ERROR, buf);
}

/* After the batches: what the district has for this commune. */
static void fetch(struct app *a, const struct sync_push_opts *o)
{
	struct sync_node n = node_of(a);
	size_t taken = 0, ignored = 0;
	int rc = sync_fetch(&n, a->cfg->district_pk, o, &taken, &ignored);
	if (taken || ignored)
		sync_log(a, 0, msg_get(a->lang, MSG_FETCH_DONE), taken, ignored);
	if (rc == SYNC_ESIG || rc == SYNC_EFORMAT || rc == SYNC_ETOOBIG)
		sync_log(a, 1, "%s", msg_get(a->lang, MSG_E_FETCH_SIG));
	else if (rc == SYNC_EREFUSED)
		sync_log(a, 1, "%s", msg_get(a->lang, MSG_E_FETCH_REFUSED));
	else if (rc)
		sync_log(a, 1, msg_get(a->lang, MSG_E_FETCH_FAILED),
			 msg_get(a->lang, sync_reason(rc)));
	/* The receipts mark the reports, a return applies: in this session. */
	app_seal(a);
}

static int send_now(struct app *a)
{
	struct sync_ui *s = &a->sync;
	if (!a->cfg->server || !*a->cfg->server || !a->cfg->district_pk) {
		app_status(a, ST_ERROR, MSG_SY_NO_SERVER);
		return R_DONE;
	}
	app_seal(a); /* what was saved since the last seal goes too */
	s->stale = 1;
	sync_prepare(a);
	struct sync_push_opts o = {.url = a->cfg->server, .event = push_event, .ctx = a};
	s->done = 0;
	s->total = s->st_ok ? s->st.batches_waiting + s->st.batches_refused : 0;
	s->forbidden = s->badreceipt = 0;
	int rc = 0;
	if (s->total == 0) {
		sync_log(a, 0, "%s", msg_get(a->lang, MSG_PUSH_NOTHING));
	} else {
		s->running = 1;
		app_redraw(a);
		struct sync_node n = node_of(a);
		rc = sync_push(&n, a->cfg->district_pk, &o);
		s->running = 0;
	}
	if (rc == 0 || rc == SYNC_EREFUSED)
		fetch(a, &o);
	if (rc)
		push_failed(a, rc);
	else if (s->total)
		app_status(a, ST_OK, MSG_SY_DONE, s->total);
	s->stale = 1;
	a->home.stale = 1;
	return R_DONE;
}

static void export_event(void *ctx, const struct sync_event *ev)
{
	struct app *a = ctx;
	if (ev->err == 0)
		sync_log(a, 0, msg_get(a->lang, MSG_EXPORT_ONE), (unsigned long long)ev->batch_no);
}

static int do_export(struct app *a, const char *dir)
{
	struct sync_node n = node_of(a);
	size_t count = 0;
	app_seal(a);
	int rc = sync_export(&n, dir, export_event, a, &count);
	if (rc) {
		app_status(a, ST_ERROR, MSG_SY_E_EXPORT, dir, msg_get(a->lang, sync_reason(rc)));
		return R_DONE;
	}
	app_status(a, ST_OK, MSG_SY_EXPORTED, count);
	a->sync.stale = 1;
	return R_DONE;
}

static int do_receipts(struct app *a, const char *path)
{
	struct sync_node n = node_of(a);
	size_t taken = 0, ignored = 0;
	if (!a->cfg->district_pk) {
		app_status(a, ST_ERROR, MSG_SY_E_RECEIPTS, path, msg_get(a->lang, MSG_R_OTHER));
		return R_DONE;
	}
	int rc = sync_receipts_take(&n, a->cfg->district_pk, path, &taken, &ignored);
	if (rc) {
		app_status(a, ST_ERROR, MSG_SY_E_RECEIPTS, path,
			   msg_get(a->lang, rc == SYNC_ESIG	 ? MSG_R_MAIL_SIG
					    : rc == SYNC_EFORMAT ? MSG_R_MAIL_FORMAT
								 : sync_reason(rc)));
		return R_DONE;
	}
	sync_log(a, 0, msg_get(a->lang, MSG_SY_RECEIPTS_DONE), taken, ignored);
	app_seal(a); /* the receipts mark the reports, a return applies */
	app_status(a, ST_OK, MSG_SY_TAKEN, taken);
	a->sync.stale = 1;
	a->home.stale = 1;
	return R_DONE;
}

static int sync_act(struct app *a, enum action act)
{
	if (a->tp.active)
		return tprompt_act(a, act);
	switch (act) {
	case ACT_S_SEND: return send_now(a);
	case ACT_S_EXPORT:
		tprompt_start(a, msg_get(a->lang, MSG_SY_ASK_DIR), "", 0, do_export);
		return R_DONE;
	case ACT_S_RECEIPTS:
		tprompt_start(a, msg_get(a->lang, MSG_SY_ASK_FILE), "", 0, do_receipts);
		return R_DONE;
	case ACT_BACK:
		a->home.stale = 1;
		app_go(a, SCR_HOME);
		return R_DONE;
	case ACT_QUIT: return R_QUIT;
	default: return R_DONE;
	}
}

static int sync_input(struct app *a, struct tkey k)
{
	if (a->tp.active)
		return tprompt_input(a, k);
	return R_DONE;
}

const struct view view_sync = {sync_prepare, sync_draw, sync_input, sync_act};
