/*
 * store/backup.c: a consistent copy of a running node's database.
 *
 * LMDB copies from one read transaction, so the copy is the database as of
 * one commit, whatever writers do meanwhile; MDB_CP_COMPACT leaves free
 * pages out and renumbers the rest, so a copy is as small as its data.
 */
#include <errno.h>

#include "store/store_int.h"

int store_backup_fd(struct store *s, int fd)
{
	store_fault_enter(1);
	int rc = mdb_env_copyfd2(s->env, fd, MDB_CP_COMPACT);
	store_fault_enter(-1);
	if (rc == 0)
		return STORE_OK;
	return rc == ENOSPC || rc == EDQUOT ? STORE_ENOSPC : STORE_EIO;
}
