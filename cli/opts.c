/*
 * cli/opts.c: a command's options as one table that feeds both getopt_long
 * (so `--opt VALUE` and `--opt=VALUE` both work, in any order with the
 * operands) and the option lines of the command's --help.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define OPTS_MAX 16

int cli_opts_parse(struct cli *c, const struct cli_opt *opts, int permute, int argc, char **argv,
                   const char **vals, int *first)
{
	struct option lo[OPTS_MAX + 1];
	size_t n = 0;
	for (; opts[n].name && n < OPTS_MAX; n++) {
		lo[n] = (struct option){opts[n].name, opts[n].arg ? required_argument : no_argument,
		                        NULL, (int)n + 1};
		vals[n] = NULL;
	}
	lo[n] = (struct option){NULL, 0, NULL, 0};
	/* optind = 0: getopt starts afresh (a process may run several
	 * commands: cchc demo); ":": a missing value is ':', not '?'; "+":
	 * options end at the first operand (so a value may start with '-'). */
	optind = 0;
	opterr = 0;
	int r;
	while ((r = getopt_long(argc, argv, permute ? ":" : "+:", lo, NULL)) != -1) {
		if (r == '?' || r == ':') {
			cli_err(c, r == ':' ? MSG_OPT_NEEDS_VALUE : MSG_E_BAD_ARG,
			        argv[optind - 1]);
			return EXIT_USAGE;
		}
		vals[r - 1] = opts[r - 1].arg ? optarg : "";
	}
	*first = optind;
	return 0;
}

void cli_opts_help(const struct cli *c, const struct cli_opt *opts, FILE *f)
{
	fputs(cli_msg(c, MSG_OPTS_HEAD), f);
	for (size_t i = 0; opts[i].name; i++) {
		char left[64];
		snprintf(left, sizeof left, "--%s%s%s", opts[i].name, opts[i].arg ? " " : "",
		         opts[i].arg ? cli_msg(c, opts[i].arg_name) : "");
		fprintf(f, "  %-24s %s\n", left, cli_msg(c, opts[i].help));
	}
}
