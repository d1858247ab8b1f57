#include "core/msg.h"

#include <string.h>

static const char *const table[MSG_COUNT_][2] = {
#define M(id, vi, en) [MSG_##id] = {vi, en},
#include "core/messages.def"
#include "core/messages_sync.def"
#include "core/messages_tui.def"
#include "core/messages_demo.def"
#include "core/messages_district_tui.def"
#include "core/messages_periods.def"
#include "core/messages_returns.def"
#include "core/messages_district.def"
#include "core/messages_units.def"
#include "core/messages_backup.def"
#include "core/messages_ui_safety.def"
#include "core/messages_sync_ui.def"
#undef M
};

const char *msg_get(enum msg_lang lang, enum msg_id id)
{
	if ((unsigned)id >= MSG_COUNT_)
		return "?";
	return table[id][lang == LANG_EN ? 1 : 0];
}

int msg_lang_parse(const char *s)
{
	if (!s)
		return -1;
	if (strncmp(s, "vi", 2) == 0)
		return LANG_VI;
	if (strncmp(s, "en", 2) == 0)
		return LANG_EN;
	return -1;
}
