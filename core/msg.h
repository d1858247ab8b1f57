/*
 * core/msg.h: every string shown to people, in Vietnamese and English.
 *
 * The table is core/messages.def, one X-macro line per message:
 *   M(ID, "Vietnamese", "English")
 * so ids and strings cannot drift.  Strings that take arguments are printf
 * formats; their argument lists are the same in both languages.  The CLI and
 * the UI both print from here; Vietnamese is the default (--lang en).
 */
#ifndef CCHC_CORE_MSG_H
#define CCHC_CORE_MSG_H

enum msg_lang { LANG_VI = 0, LANG_EN = 1 };

enum msg_id {
#define M(id, vi, en) MSG_##id,
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
	MSG_COUNT_
};

/* The string of id in lang (never NULL). */
const char *msg_get(enum msg_lang lang, enum msg_id id);

/* "vi" / "en" (also "vi_VN..." and "en_..."); -1 when unknown. */
int msg_lang_parse(const char *s);

#endif
