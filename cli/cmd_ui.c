/*
 * cli/cmd_ui.c: `cchc` alone: open the default node and run the terminal
 * UI (tui/tui.h).  The UI logs in itself (a login screen), so no --user
 * or password file is needed; --user prefills the name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

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
	if (c->conf.kind != NODE_COMMUNE) {
		cli_err(c, MSG_E_UI_COMMUNE_ONLY);
		return EXIT_USAGE;
	}
	struct tui_config cfg = {
		.store = c->store,
		.forms = c->forms,
		.lang = c->lang,
		.unit = c->conf.unit,
		.unit_list = c->conf.unit_list,
		.home = c->home,
		.district = c->conf.district,
		.user = c->user,
		.keys = o->keys,
		.dump = o->dump,
		.show_keys = o->show_keys,
		.login_hint = getenv("CCHC_LOGIN_HINT"),
		.start_ms = o->start_ms,
		.warn_days = c->conf.warn_days_set ? c->conf.warn_days : CLI_WARN_DAYS_DEFAULT,
	};
	switch (tui_run(&cfg)) {
	case TUI_OK: return 0;
	case TUI_EKEYS: return EXIT_USAGE;
	case TUI_EDUMP: return EXIT_CANTCREAT;
	case TUI_ETERM: return EXIT_UNAVAILABLE;
	default: return EXIT_SOFTWARE;
	}
}
