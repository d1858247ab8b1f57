/*
 * cli/ui.h: `cchc` with no command opens the terminal UI (private to cli/).
 */
#ifndef CCHC_CLI_UI_H
#define CCHC_CLI_UI_H

#include "cli/cli.h"

struct ui_opts {
	const char *keys;   /* --keys FILE */
	const char *dump;   /* --dump-screen FILE */
	int show_keys;      /* --show-keys */
	double start_ms;    /* when main() began (CLOCK_MONOTONIC ms) */
	const char *login_hint; /* `cchc demo`: the demo's users and password */
	int *node_request;      /* `cchc demo`: set to TUI_NODE_* when asked (else 0) */
	size_t *keys_pos;       /* `cchc demo`: the key script goes on across nodes */
};

/* Open the node in c->home and run the UI; a sysexits code. */
int cmd_ui(struct cli *c, const struct ui_opts *o);
/* CLOCK_MONOTONIC in milliseconds. */
double ui_clock_ms(void);

#endif
