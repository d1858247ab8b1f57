/*
 * cli/cmd_audit.c: `cchc audit list` and `cchc audit verify` (administrators).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/vnfmt.h"

static int print_entry(const struct store_audit *a, void *arg)
{
	(void)arg;
	char when[VN_TIME_BUF], id[2 * STORE_ID_BYTES + 1] = "-";
	static const unsigned char zero[STORE_ID_BYTES];
	vn_time_format(a->at, when);
	if (memcmp(a->record, zero, sizeof zero) != 0) {
		id_hex(a->record, id);
		id[8] = '\0';
	}
	printf("%6llu  %s  %-12s %-14s %-8s %u->%u  %s\n", (unsigned long long)a->seq, when,
	       a->user[0] ? a->user : "-", a->action, id, a->old_version, a->new_version, a->detail);
	return 0;
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "--help") == 0) {
		fputs(cli_msg(c, MSG_USAGE_AUDIT), argc == 2 ? stdout : stderr);
		return argc == 2 ? 0 : EXIT_USAGE;
	}
	int list = strcmp(argv[1], "list") == 0;
	if (!list && strcmp(argv[1], "verify") != 0) {
		fputs(cli_msg(c, MSG_USAGE_AUDIT), stderr);
		return EXIT_USAGE;
	}
	int rc = cli_login(c, ROLE(STORE_ROLE_QUANTRI));
	if (rc)
		return rc;
	if (list) {
		cli_out(c, MSG_AUDIT_HEAD);
		int err = store_audit_each(c->store, print_entry, NULL);
		return err ? cli_store_fail(c, err) : 0;
	}
	uint64_t count = 0, bad = 0;
	int err = store_audit_verify(c->store, &count, &bad);
	if (err == STORE_EDAMAGED) {
		cli_err(c, MSG_AUDIT_BROKEN, (unsigned long long)bad, (unsigned long long)count);
		return EXIT_DATAERR;
	}
	if (err)
		return cli_store_fail(c, err);
	cli_out(c, MSG_AUDIT_OK, (unsigned long long)count);
	return 0;
}
