/*
 * cli/cmd_telex.c: `cchc telex [--new-style]`: Telex keystrokes on stdin,
 * Vietnamese on stdout, through the same engine the UI's Telex mode uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/telex.h"

int cmd_telex(struct cli *c, int argc, char **argv)
{
	enum telex_style style = TELEX_OLD;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--new-style") == 0) {
			style = TELEX_NEW;
		} else if (strcmp(argv[i], "--old-style") == 0) {
			style = TELEX_OLD;
		} else if (strcmp(argv[i], "--help") == 0) {
			fputs(cli_msg(c, MSG_USAGE_TELEX), stdout);
			return 0;
		} else {
			fputs(cli_msg(c, MSG_USAGE_TELEX), stderr);
			return EXIT_USAGE;
		}
	}
	/* Line by line, so the filter works interactively in a pipe too. */
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		char *out;
		if (telex_convert(line, (size_t)n, style, &out) != 0) {
			cli_err(c, MSG_E_NOMEM);
			rc = EXIT_SOFTWARE;
			break;
		}
		fputs(out, stdout);
		free(out);
		fflush(stdout);
	}
	free(line);
	if (ferror(stdout)) {
		cli_err(c, MSG_E_WRITE_FILE, "stdout");
		rc = EXIT_IOERR;
	}
	return rc;
}
