/*
 * sync/errors.c: sync_strerror.  Short English texts for logs and the
 * reasons kept beside rejected batches; people see sync_reason's
 * messages (Vietnamese, or English with --lang en).
 */
#include "sync/sync.h"

enum msg_id sync_reason(int err)
{
	switch (err) {
	case SYNC_EFORMAT: return MSG_R_FORMAT;
	case SYNC_ESIG: return MSG_R_SIG;
	case SYNC_EUNKNOWN: return MSG_R_UNKNOWN;
	case SYNC_EREVOKED: return MSG_R_REVOKED;
	case SYNC_EOTHERKEY: return MSG_R_OTHERKEY;
	case SYNC_EDECRYPT: return MSG_R_DECRYPT;
	case SYNC_ETOOBIG: return MSG_R_TOOBIG;
	case SYNC_EIO: return MSG_R_IO;
	case SYNC_ENET: return MSG_R_NET;
	case SYNC_ETEMP: return MSG_R_TEMP;
	default: return MSG_R_OTHER;
	}
}

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
