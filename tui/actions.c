/*
 * tui/actions.c: the action table (tui/actions.def) and its key bindings.
 * Looking up a key, drawing the key bar and writing the F1 help all read
 * these two tables, so a binding is changed in one place.
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "tui/tui_int.h"

static const struct {
	unsigned scopes, bar;
	enum msg_id label, help;
} actions[ACT_COUNT_] = {
#define A(id, sc, b) [ACT_##id] = {sc, b, MSG_A_##id, MSG_AH_##id},
#include "tui/actions.def"
#undef A
};

/* Keys, in the order they are shown (the first one goes on the key bar). */
static const struct {
	enum action act;
	enum tkind kind;
	uint32_t code;
} bindings[] = {
	{ACT_HELP, TK_KEY, K_F1},
	{ACT_SAVE, TK_KEY, K_CTRL('S')},   {ACT_SAVE, TK_KEY, K_F2},
	{ACT_SUBMIT, TK_KEY, K_F5},
	{ACT_APPROVE, TK_KEY, K_F6},
	{ACT_FILL, TK_KEY, K_F7},
	{ACT_REOPEN, TK_KEY, K_F3},
	{ACT_DELETE, TK_KEY, K_F8},
	{ACT_LOGIN, TK_KEY, K_ENTER},
	{ACT_OPEN, TK_KEY, K_ENTER},
	{ACT_NEW, TK_KEY, K_F3},           {ACT_NEW, TK_KEY, K_INSERT},
	{ACT_SEARCH, TK_CHAR, '/'},        {ACT_SEARCH, TK_KEY, K_F7},
	{ACT_SORT, TK_KEY, K_F6},
	{ACT_REGISTER, TK_KEY, K_F4},
	{ACT_LOGOUT, TK_KEY, K_F8},
	{ACT_SYNC, TK_KEY, K_F5},
	{ACT_S_SEND, TK_KEY, K_F5},
	{ACT_S_EXPORT, TK_KEY, K_F6},
	{ACT_S_RECEIPTS, TK_KEY, K_F7},
	{ACT_TELEX, TK_KEY, K_F9},         {ACT_TELEX, TK_KEY, K_CTRL('T')},
	{ACT_NEXT, TK_KEY, K_TAB},         {ACT_NEXT, TK_KEY, K_ENTER},
	{ACT_NEWLINE, TK_KEY, K_CTRL('J')},
	{ACT_PREV, TK_KEY, K_BTAB},
	{ACT_UP, TK_KEY, K_UP},            {ACT_DOWN, TK_KEY, K_DOWN},
	{ACT_PGUP, TK_KEY, K_PGUP},        {ACT_PGDN, TK_KEY, K_PGDN},
	{ACT_FIRST, TK_KEY, K_HOME},       {ACT_LAST, TK_KEY, K_END},
	{ACT_CHOICE, TK_CHAR, ' '},
	{ACT_UNDO, TK_KEY, K_CTRL('Z')},
	{ACT_ED_LEFT, TK_KEY, K_LEFT},     {ACT_ED_RIGHT, TK_KEY, K_RIGHT},
	{ACT_ED_HOME, TK_KEY, K_HOME},     {ACT_ED_HOME, TK_KEY, K_CTRL('A')},
	{ACT_ED_END, TK_KEY, K_END},       {ACT_ED_END, TK_KEY, K_CTRL('E')},
	{ACT_ED_BS, TK_KEY, K_BACKSPACE},  {ACT_ED_DEL, TK_KEY, K_DELETE},
	{ACT_ED_KILL, TK_KEY, K_CTRL('U')},
	{ACT_BACK, TK_KEY, K_ESC},
	{ACT_D_INBOX, TK_KEY, K_F2},
	{ACT_D_BOARD, TK_KEY, K_F3},
	{ACT_D_INDIC, TK_KEY, K_F5},
	{ACT_D_IMPORT, TK_KEY, K_F5},
	{ACT_D_PERIOD, TK_KEY, K_F3},
	{ACT_D_SORT, TK_KEY, K_F6},
	{ACT_D_RETURN, TK_KEY, K_F6},
	{ACT_D_EXPORT, TK_KEY, K_F7},
	{ACT_D_LEFT, TK_KEY, K_LEFT},      {ACT_D_RIGHT, TK_KEY, K_RIGHT},
	{ACT_QUIT, TK_KEY, K_F10},         {ACT_QUIT, TK_KEY, K_CTRL('Q')},
	{ACT_QUIT, TK_KEY, K_CTRL('C')},
	{ACT_NODE, TK_KEY, K_F12},         {ACT_NEXT_COMMUNE, TK_KEY, K_CTRL('N')},
};
#define N_BINDINGS (sizeof bindings / sizeof bindings[0])

int action_in_scope(enum action a, enum tscreen scr)
{
	return (actions[a].scopes & SC(scr)) != 0;
}

int action_on_bar(enum action a, enum tscreen scr)
{
	return (actions[a].bar & SC(scr)) != 0;
}

int action_for(enum tscreen scr, struct tkey k)
{
	for (size_t i = 0; i < N_BINDINGS; i++)
		if (bindings[i].kind == k.kind && bindings[i].code == k.code &&
		    action_in_scope(bindings[i].act, scr))
			return (int)bindings[i].act;
	return -1;
}

const char *action_label(enum action a, enum msg_lang lang)
{
	return msg_get(lang, actions[a].label);
}

const char *action_help(enum action a, enum msg_lang lang)
{
	return msg_get(lang, actions[a].help);
}

void action_keys(enum action a, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < N_BINDINGS; i++) {
		if (bindings[i].act != a)
			continue;
		char name[16];
		struct tkey k = {bindings[i].kind, bindings[i].code, 0, 0};
		n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? " " : "",
				      tkey_name(k, name, sizeof name));
		if (n >= cap)
			break;
	}
}

static const char *const key_names[K_COUNT_] = {
	[K_UP] = "Up", [K_DOWN] = "Down", [K_LEFT] = "Left", [K_RIGHT] = "Right",
	[K_HOME] = "Home", [K_END] = "End", [K_PGUP] = "PgUp", [K_PGDN] = "PgDn",
	[K_BACKSPACE] = "Backspace", [K_DELETE] = "Delete", [K_INSERT] = "Insert",
	[K_ENTER] = "Enter", [K_TAB] = "Tab", [K_BTAB] = "S-Tab", [K_ESC] = "Esc",
};

const char *tkey_name(struct tkey k, char *buf, size_t cap)
{
	switch (k.kind) {
	case TK_CHAR:
		if (k.code == ' ')
			snprintf(buf, cap, "Space");
		else {
			char enc[5] = {0};
			utf8_encode(k.code, enc);
			snprintf(buf, cap, "%s", enc);
		}
		return buf;
	case TK_KEY:
		if (k.code >= K_F1 && k.code <= K_F12)
			snprintf(buf, cap, "F%u", (unsigned)(k.code - K_F1 + 1));
		else if (k.code >= K_CTRL_A && k.code <= K_CTRL_Z)
			snprintf(buf, cap, "^%c", (char)('A' + (k.code - K_CTRL_A)));
		else
			snprintf(buf, cap, "%s", k.code < K_COUNT_ && key_names[k.code] ?
							key_names[k.code] : "?");
		return buf;
	case TK_RESIZE:
		snprintf(buf, cap, "%dx%d", k.cols, k.rows);
		return buf;
	default:
		snprintf(buf, cap, "?");
		return buf;
	}
}

/* The screens of a scope, by name ("all" for every one). */
static void scope_names(unsigned scopes, char *buf, size_t cap)
{
	static const char *const names[SCR_COUNT_] = {
		[SCR_LOGIN] = "login",	       [SCR_HOME] = "home",	   [SCR_FORM] = "form",
		[SCR_LIST] = "list",	       [SCR_HELP] = "help",	   [SCR_SYNC] = "sync",
		[SCR_DHOME] = "district home",
		[SCR_INBOX] = "inbox",	       [SCR_BOARD] = "board",	   [SCR_INDIC] = "indicators",
		[SCR_REPORT] = "district report",
	};
	size_t n = 0;
	buf[0] = '\0';
	if ((scopes & SC_ALL) == SC_ALL) {
		snprintf(buf, cap, "all");
		return;
	}
	for (int s = 0; s < SCR_COUNT_; s++)
		if (scopes & SC(s))
			n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "",
					      names[s]);
}

int action_table_markdown(enum msg_lang lang, FILE *out)
{
	fprintf(out, "| keys | screens | action |\n|---|---|---|\n");
	for (int i = 0; i < ACT_COUNT_; i++) {
		char keys[64], where[160];
		action_keys((enum action)i, keys, sizeof keys);
		scope_names(actions[i].scopes, where, sizeof where);
		fprintf(out, "| %s | %s | %s |\n", keys, where, action_help((enum action)i, lang));
	}
	return ferror(out) ? -1 : 0;
}
