/*
 * cli/cli_sync.h: the sync commands (cmd_sync.c, cmd_serve.c,
 * cmd_import.c) and the hook the record commands call after a save.
 * Private to cli/; main.c includes it for the command table.
 */
#ifndef CCHC_CLI_CLI_SYNC_H
#define CCHC_CLI_CLI_SYNC_H

#include <stdint.h>

#include "cli/cli.h"

int cmd_sync(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);

/* After a record save in a logged-in session on a commune node: seal what
 * waits into batches (sync_session).  A failure only warns: the save stands
 * and the next session seals it. */
void cli_sync_after_save(struct cli *c);
/* Logged in on a commune node: when messages from the district wait
 * (sync_mail_pending), apply them now (a session), so what is shown is
 * current; a failure only warns. */
void cli_sync_take_mail(struct cli *c);

/* District, logged in as an administrator: rewrite communes.list from the
 * enrolled communes in the database, and make the receiver key if missing.
 * 0, or an exit code after a message. */
struct sync_commune;
int cli_sync_publish_communes(struct cli *c, const struct sync_commune *list, size_t n);

/* A commune node: the district's signing key pinned at init
 * (keys/district.id).  0, or an exit code after a message. */
int cli_sync_district_key(struct cli *c, uint8_t pk[32]);

/* A sync error as a reason for people, in the user's language. */
const char *cli_sync_reason(const struct cli *c, int err);

#endif
