/*
 * cli/cmd_ui.c: `cchc` alone: open the default node and run the terminal
 * UI (tui/tui.h).  The UI logs in itself (a login screen), so no --user
 * or password file is needed; --user prefills the name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_sync.h"
#include "cli/ui.h"
#include "cli/periods.h"
#include "forms/forms.h"
#include "tui/tui.h"

double ui_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int cmd_ui(struct cli *c, const struct ui_opts *o)
{
	/* Without a terminal (a script, a pipe) and no key script, the UI has
	 * nothing to talk to: say how to use cchc instead. */
	if (!o->keys && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		cli_err(c, MSG_E_UI_NEEDS_TTY);
		return EXIT_USAGE;
	}
	int rc = cli_open(c);
	if (rc || (rc = cli_forms(c)))
		return rc;
	int district = c->conf.kind == NODE_DISTRICT;
	if (c->conf.kind != NODE_COMMUNE && !district) {
		cli_err(c, MSG_E_UI_COMMUNE_ONLY);
		return EXIT_USAGE;
	}
	/* The Đồng bộ screen sends as `cchc sync push` does. */
	uint8_t dpk[32];
	if (!district && (rc = cli_sync_district_key(c, dpk)))
		return rc;
	struct tui_config cfg = {
		.store = c->store,
		.forms = c->forms,
		.lang = c->lang,
		.unit = c->conf.unit,
		.unit_list = c->conf.unit_list,
		.home = c->home,
		.district = district ? NULL : c->conf.district, /* a district seals nothing */
		.user = c->user,
		.keys = o->keys,
		.dump = o->dump,
		.show_keys = o->show_keys,
		.login_hint = o->login_hint, /* only cchc demo shows a password there */
		.start_ms = o->start_ms,
		.demo_nodes = o->node_request != NULL,
		.keys_pos = o->keys_pos,
		.district_node = district,
		.warn_days = c->conf.warn_days_set ? c->conf.warn_days : CLI_WARN_DAYS_DEFAULT,
		.server = c->conf.server,
		.district_pk = district ? NULL : dpk,
	};
	int r = tui_run(&cfg);
	if (o->node_request)
		*o->node_request = r == TUI_NODE_OTHER || r == TUI_NODE_NEXT ? r : 0;
	switch (r) {
	case TUI_OK:
	case TUI_NODE_OTHER:
	case TUI_NODE_NEXT: return 0;
	case TUI_EKEYS: return EXIT_USAGE;
	case TUI_EDUMP: return EXIT_CANTCREAT;
	case TUI_ETERM: return EXIT_UNAVAILABLE;
	default: return EXIT_SOFTWARE;
	}
}
