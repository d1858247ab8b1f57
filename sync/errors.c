/*
 * sync/errors.c: sync_strerror.  Short English texts for logs and the
 * reasons kept beside rejected batches; people see the CLI's messages.
 */
#include "sync/sync.h"

const char *sync_strerror(int err)
{
	switch (err) {
	case SYNC_OK: return "ok";
	case SYNC_EFORMAT: return "not a cchc batch or receipt, or truncated or damaged";
	case SYNC_ESIG: return "signature does not verify with the sender's enrolled key";
	case SYNC_EUNKNOWN: return "the commune is not enrolled";
	case SYNC_EREVOKED: return "the commune's key was revoked";
	case SYNC_EOTHERKEY: return "sealed for another district's key";
	case SYNC_EDECRYPT: return "payload does not open: altered, or re-signed by someone else";
	case SYNC_ETOOBIG: return "over the size limit";
	case SYNC_ECONFLICT: return "another batch has the same sequence number";
	case SYNC_ENOMEM: return "out of memory";
	case SYNC_EIO: return "a file could not be read or written";
	case SYNC_ENET: return "the server cannot be reached";
	case SYNC_ETEMP: return "the link stalled or the server is busy; try again later";
	case SYNC_EBUSY: return "another sync is running on this node";
	case SYNC_ESTORE: return "the node's database failed";
	case SYNC_EKEY: return "a key file or the communes list is missing or damaged";
	case SYNC_EREFUSED: return "refused";
	case SYNC_EDAMAGED: return "the sending-state file is damaged";
	default: return "unknown sync error";
	}
}
