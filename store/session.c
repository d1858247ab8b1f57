/*
 * store/session.c: ending a session without closing the node (store.h,
 * "UI support"): the UI's "log out" returns to its login screen, and the
 * data key must not stay in memory meanwhile.
 */
#include <string.h>

#include "store/store_int.h"

void store_logout(struct store *s)
{
	if (!s)
		return;
	store_drop_key(s);
	memset(&s->who, 0, sizeof s->who);
}
