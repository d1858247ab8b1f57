/*
 * tui/keyscript.c: key scripts (--keys FILE), the format shared by the UI
 * tests and the trainers' demos.  One key or one text per line; the whole
 * file is parsed before the terminal starts, so a mistake is reported as
 * "FILE:LINE: ..." on a normal terminal.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/tui_int.h"

static const struct {
	const char *name;
	enum tkind kind;
	uint32_t code;
} names[] = {
	{"Enter", TK_KEY, K_ENTER},         {"Tab", TK_KEY, K_TAB},
	{"S-Tab", TK_KEY, K_BTAB},          {"BTab", TK_KEY, K_BTAB},
	{"Esc", TK_KEY, K_ESC},             {"Escape", TK_KEY, K_ESC},
	{"Up", TK_KEY, K_UP},               {"Down", TK_KEY, K_DOWN},
	{"Left", TK_KEY, K_LEFT},           {"Right", TK_KEY, K_RIGHT},
	{"Home", TK_KEY, K_HOME},           {"End", TK_KEY, K_END},
	{"PgUp", TK_KEY, K_PGUP},           {"PgDn", TK_KEY, K_PGDN},
	{"PageUp", TK_KEY, K_PGUP},         {"PageDown", TK_KEY, K_PGDN},
	{"Backspace", TK_KEY, K_BACKSPACE}, {"BS", TK_KEY, K_BACKSPACE},
	{"DEL", TK_KEY, K_BACKSPACE},       {"Delete", TK_KEY, K_DELETE},
	{"Insert", TK_KEY, K_INSERT},       {"Space", TK_CHAR, ' '},
};

static int add(struct keyscript *ks, struct tkey k)
{
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 64;
		struct tkey *v = realloc(ks->ev, cap * sizeof *v);
		if (!v)
			return -1;
		ks->ev = v;
		ks->cap = cap;
	}
	ks->ev[ks->n++] = k;
	return 0;
}

/* A key name: table names, F1..F12, C-a..C-z. */
static int key_named(const char *w, struct tkey *k)
{
	memset(k, 0, sizeof *k);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(w, names[i].name) == 0) {
			k->kind = names[i].kind;
			k->code = names[i].code;
			return 0;
		}
	}
	if (w[0] == 'F' && isdigit((unsigned char)w[1])) {
		int n = atoi(w + 1);
		if (n >= 1 && n <= 12 && (w[2] == '\0' || (isdigit((unsigned char)w[2]) && !w[3]))) {
			k->kind = TK_KEY;
			k->code = K_F1 + (uint32_t)(n - 1);
			return 0;
		}
	}
	if (w[0] == 'C' && w[1] == '-' && isalpha((unsigned char)w[2]) && !w[3]) {
		k->kind = TK_KEY;
		k->code = K_CTRL_A + (uint32_t)(tolower((unsigned char)w[2]) - 'a');
		if (k->code == K_CTRL('H'))
			k->code = K_BACKSPACE;
		else if (k->code == K_CTRL('I'))
			k->code = K_TAB;
		else if (k->code == K_CTRL('M'))
			k->code = K_ENTER; /* C-j stays Ctrl-J (LF), as from a terminal */
		return 0;
	}
	return -1;
}

static int type_text(struct keyscript *ks, const char *s, size_t len)
{
	size_t at = 0;
	while (at < len) {
		uint32_t cp;
		size_t used;
		if (utf8_decode(s + at, len - at, &cp, &used) != 0)
			return -2;
		struct tkey k = {TK_CHAR, cp, 0, 0};
		if (add(ks, k))
			return -1;
		at += used;
	}
	return 0;
}

static int parse_line(struct keyscript *ks, char *line, const char **why)
{
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		line[--len] = '\0';
	if (strncmp(line, "type ", 5) == 0) {
		int rc = type_text(ks, line + 5, len - 5);
		*why = rc == -2 ? "invalid UTF-8" : "out of memory";
		return rc;
	}
	char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	char word[64], arg[4096];
	arg[0] = '\0';
	int nf = sscanf(p, "%63s %4095[^\n]", word, arg);
	if (nf < 1)
		return 0;
	if (strcmp(word, "resize") == 0) {
		int cols, rows;
		char end;
		*why = "resize needs COLSxROWS, e.g. resize 60x20";
		if (sscanf(arg, "%dx%d%c", &cols, &rows, &end) != 2 || cols < 10 || rows < 5 ||
		    cols > 500 || rows > 300)
			return -2;
		struct tkey k = {TK_RESIZE, 0, rows, cols};
		*why = "out of memory";
		return add(ks, k);
	}
	if (strcmp(word, "pause") == 0) {
		int ms = 0;
		char end;
		*why = "pause takes nothing or a time in ms, e.g. pause 1500";
		if (arg[0] && (sscanf(arg, "%d%c", &ms, &end) != 1 || ms < 1 || ms > 3600000))
			return -2;
		struct tkey k = {TK_PAUSE, (uint32_t)ms, 0, 0};
		*why = "out of memory";
		return add(ks, k);
	}
	if (strcmp(word, "caption") == 0) {
		/* The text as written (after "caption "), kept with the dump paths. */
		const char *text = strchr(p, ' ') ? strchr(p, ' ') + 1 : "";
		*why = "a caption must be UTF-8 text without control characters";
		for (size_t at = 0, used; text[at]; at += used) {
			uint32_t cp;
			if (utf8_decode(text + at, strlen(text + at), &cp, &used) != 0 || cp < 0x20 ||
			    (cp >= 0x7f && cp < 0xa0))
				return -2;
		}
		char **v = realloc(ks->paths, (ks->npaths + 1) * sizeof *v);
		*why = "out of memory";
		if (!v)
			return -1;
		ks->paths = v;
		if (!(v[ks->npaths] = strdup(text)))
			return -1;
		struct tkey k = {TK_CAPTION, (uint32_t)ks->npaths++, 0, 0};
		return add(ks, k);
	}
	if (strcmp(word, "dump") == 0) {
		*why = "dump needs a file name";
		if (!arg[0])
			return -2;
		char **v = realloc(ks->paths, (ks->npaths + 1) * sizeof *v);
		*why = "out of memory";
		if (!v)
			return -1;
		ks->paths = v;
		if (!(v[ks->npaths] = strdup(arg)))
			return -1;
		struct tkey k = {TK_DUMP, (uint32_t)ks->npaths++, 0, 0};
		return add(ks, k);
	}
	struct tkey k;
	uint32_t cp;
	size_t used;
	*why = "unknown key (see README.md, Terminal UI, for the names)";
	if (key_named(word, &k) != 0) {
		/* One character alone is that character ("/", "1"). */
		if (utf8_decode(word, strlen(word), &cp, &used) != 0 || word[used] != '\0')
			return -2;
		k.kind = TK_CHAR;
		k.code = cp;
	}
	int times = 1;
	if (arg[0]) {
		char end;
		*why = "a key may be followed only by xN (repeat N times)";
		if (sscanf(arg, "x%d%c", &times, &end) != 1 || times < 1 || times > 10000)
			return -2;
	}
	*why = "out of memory";
	for (int i = 0; i < times; i++)
		if (add(ks, k))
			return -1;
	return 0;
}

int keyscript_parse(const char *text, size_t len, const char *name, struct keyscript *ks,
		    char *err, size_t errcap)
{
	memset(ks, 0, sizeof *ks);
	size_t at = 0;
	int lineno = 0;
	char *line = malloc(len + 1);
	if (!line) {
		snprintf(err, errcap, "%s: out of memory", name);
		return -1;
	}
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		memcpy(line, text + at, n);
		line[n] = '\0';
		lineno++;
		at += n + (nl ? 1 : 0);
		if (memchr(line, '\0', n)) {
			snprintf(err, errcap, "%s:%d: NUL byte in the line", name, lineno);
			goto fail;
		}
		const char *why = "";
		if (parse_line(ks, line, &why) != 0) {
			snprintf(err, errcap, "%s:%d: %s", name, lineno, why);
			goto fail;
		}
	}
	free(line);
	return 0;
fail:
	free(line);
	keyscript_free(ks);
	return -1;
}

int keyscript_load(const char *path, struct keyscript *ks, char *err, size_t errcap)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	char chunk[8192];
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + got > cap) {
			cap = (len + got) * 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				snprintf(err, errcap, "%s: out of memory", path);
				return -1;
			}
			buf = nb;
		}
		memcpy(buf + len, chunk, got);
		len += got;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		snprintf(err, errcap, "%s: read error", path);
		return -1;
	}
	int rc = keyscript_parse(buf ? buf : "", len, path, ks, err, errcap);
	free(buf);
	return rc;
}

void keyscript_free(struct keyscript *ks)
{
	for (size_t i = 0; i < ks->npaths; i++)
		free(ks->paths[i]);
	free(ks->paths);
	free(ks->ev);
	memset(ks, 0, sizeof *ks);
}

struct tkey keyscript_next(struct keyscript *ks)
{
	struct tkey eof = {TK_EOF, 0, 0, 0};
	if (ks->pos >= ks->n)
		return eof;
	return ks->ev[ks->pos++];
}
