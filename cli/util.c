/*
 * cli/util.c: messages, passwords, roles and error mapping for the commands.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/secret.h"
#include "core/text.h"
#include "core/vnfmt.h"

const char *cli_msg(const struct cli *c, enum msg_id id)
{
	return msg_get(c->lang, id);
}

/* Messages quote what people typed and what files hold: an ESC or a C1
 * control in an argument must not reach the terminal as it is. */
static void print_safe(FILE *f, const char *fmt, va_list ap)
{
	char *raw = NULL, *safe;
	if (vasprintf(&raw, fmt, ap) < 0)
		return;
	safe = text_escape_unsafe(raw, "\n\t");
	fputs(safe ? safe : raw, f);
	free(safe);
	free(raw);
}

void cli_errv(const struct cli *c, enum msg_id id, va_list ap)
{
	fputs("cchc: ", stderr);
	print_safe(stderr, cli_msg(c, id), ap);
	fputc('\n', stderr);
}

void cli_err(const struct cli *c, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	cli_errv(c, id, ap);
	va_end(ap);
}

void cli_out(const struct cli *c, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	print_safe(stdout, cli_msg(c, id), ap);
	va_end(ap);
}

const char *cli_nfc_name(const char *name, char *buf, size_t cap)
{
	char *nfc;
	size_t n;
	if (!name || text_nfc(name, strlen(name), &nfc, &n) != 0)
		return name;
	if (n >= cap) {
		free(nfc);
		return name;
	}
	memcpy(buf, nfc, n + 1);
	free(nfc);
	return buf;
}

/* Passwords too are compared as NFC: an input method may send a
 * decomposed "ậ" one day and a precomposed one the next. */
static void password_nfc(char *buf, size_t cap)
{
	char *nfc;
	size_t n;
	if (text_nfc(buf, strlen(buf), &nfc, &n) != 0)
		return;
	if (n < cap)
		memcpy(buf, nfc, n + 1);
	secret_wipe(nfc, n);
	free(nfc);
}

int cli_store_fail(struct cli *c, int err)
{
	switch (err) {
	case STORE_ENOTFOUND:
		cli_err(c, MSG_E_NOTFOUND);
		return EXIT_NOINPUT;
	case STORE_EEXIST:
		cli_err(c, MSG_E_EXIST, c->home);
		return EXIT_CANTCREAT;
	case STORE_EDAMAGED:
		cli_err(c, MSG_E_DAMAGED, c->home);
		return EXIT_DATAERR;
	case STORE_EIO:
		cli_err(c, MSG_E_IO, c->home);
		return EXIT_IOERR;
	case STORE_ENOSPC:
	case STORE_EBUSY:
		cli_err(c, MSG_E_NOSPC, c->home);
		return EXIT_IOERR;
	case STORE_EROFS:
		cli_err(c, MSG_E_ROFS, c->home);
		return EXIT_IOERR;
	case STORE_ENONODE:
		cli_err(c, MSG_E_NONODE, c->home);
		return EXIT_NOINPUT;
	case STORE_EPASSWORD:
		cli_err(c, MSG_E_PASSWORD);
		return EXIT_NOPERM;
	case STORE_ELOCKED:
		cli_err(c, MSG_E_LOCKED_ADMIN);
		return EXIT_NOPERM;
	case STORE_ENOKEY:
		cli_err(c, MSG_E_NOKEY);
		return EXIT_NOPERM;
	case STORE_ECONFLICT:
		cli_err(c, MSG_E_CONFLICT);
		return EXIT_TEMPFAIL;
	case STORE_EPERM:
		cli_err(c, MSG_E_PERM, c->home);
		return EXIT_CONFIG;
	case STORE_EINVAL:
		cli_err(c, MSG_E_INVAL);
		return EXIT_USAGE;
	default:
		cli_err(c, MSG_E_INTERNAL, store_strerror(err));
		return EXIT_SOFTWARE;
	}
}

/* One line of a password (file or terminal), without its newline, read
 * byte by byte so that nothing is lost or cut unseen: a NUL inside the line
 * (fgets would stop the string there and accept "password NUL junk" as
 * "password") and a line longer than CLI_PASSWORD_MAX bytes (fgets would
 * leave the rest as the next line) are reported, and the rest of such a
 * line is read and dropped.  0, PWLINE_EOF (nothing before end of file),
 * PWLINE_NUL, PWLINE_LONG. */
enum { PWLINE_EOF = 1, PWLINE_NUL = 2, PWLINE_LONG = 3 };

static int password_line(FILE *f, char *buf, size_t cap)
{
	size_t n = 0;
	int ch, nul = 0, any = 0;
	while ((ch = getc(f)) != EOF && ch != '\n') {
		any = 1;
		if (ch == '\0')
			nul = 1;
		if (n + 1 < cap)
			buf[n] = (char)ch;
		n++;
	}
	if (n > 0 && n < cap && buf[n - 1] == '\r')
		n--;
	buf[n < cap ? n : cap - 1] = '\0';
	if (!any && ch == EOF)
		return PWLINE_EOF;
	if (nul)
		return PWLINE_NUL;
	if (n > CLI_PASSWORD_MAX || n + 1 > cap)
		return PWLINE_LONG;
	return 0;
}

/* Report what password_line found wrong; 0 when nothing. */
static int password_line_fail(struct cli *c, int r)
{
	switch (r) {
	case PWLINE_NUL:
		cli_err(c, MSG_E_PW_NUL);
		return EXIT_DATAERR;
	case PWLINE_LONG:
		cli_err(c, MSG_E_PW_TOO_LONG, CLI_PASSWORD_MAX);
		return EXIT_DATAERR;
	default:
		return 0;
	}
}

static int password_from_file(struct cli *c, char *buf, size_t cap)
{
	const char *path = getenv("CCHC_PASSWORD_FILE");
	if (!c->pwfile) {
		c->pwfile = fopen(path, "r");
		if (!c->pwfile) {
			cli_err(c, MSG_E_PWFILE, path, strerror(errno));
			return EXIT_NOINPUT;
		}
		/* Unbuffered: no copy of the other lines lingers in a stdio buffer. */
		setvbuf(c->pwfile, NULL, _IONBF, 0);
	}
	int r = password_line(c->pwfile, buf, cap);
	if (r == PWLINE_EOF) {
		cli_err(c, MSG_E_PWFILE_SHORT, path);
		return EXIT_NOINPUT;
	}
	return password_line_fail(c, r);
}

/* Echo is off while a password is typed; Ctrl-C or a hang-up then must
 * still give the terminal back as it was.  A signal handler can reach only
 * static state: the one terminal being read and its saved mode. */
static struct termios tty_saved;
static volatile sig_atomic_t tty_fd = -1;

static void tty_restore_and_die(int sig)
{
	if (tty_fd >= 0)
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int password_from_tty(struct cli *c, FILE *tty, const char *prompt, char *buf, size_t cap)
{
	struct termios quiet;
	int fd = fileno(tty);
	fprintf(tty, "%s", prompt);
	fflush(tty);
	if (tcgetattr(fd, &tty_saved) != 0)
		return EXIT_NOINPUT;
	quiet = tty_saved;
	quiet.c_lflag &= (tcflag_t) ~(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	void (*old_handlers[4])(int);
	tty_fd = fd;
	for (int i = 0; i < 4; i++)
		old_handlers[i] = signal(sigs[i], tty_restore_and_die);
	tcsetattr(fd, TCSAFLUSH, &quiet);
	int r = password_line(tty, buf, cap);
	tcsetattr(fd, TCSAFLUSH, &tty_saved);
	tty_fd = -1;
	for (int i = 0; i < 4; i++)
		signal(sigs[i], old_handlers[i]);
	fputc('\n', tty);
	if (r == PWLINE_EOF) {
		cli_err(c, MSG_E_NO_PASSWORD);
		return EXIT_NOINPUT;
	}
	return password_line_fail(c, r);
}

int cli_password(struct cli *c, enum msg_id prompt, int confirm, char *buf, size_t cap)
{
	int rc;
	const char *path = getenv("CCHC_PASSWORD_FILE");
	if (path && *path) {
		rc = password_from_file(c, buf, cap);
		goto check;
	}
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty) {
		cli_err(c, MSG_E_NO_TTY);
		return EXIT_USAGE;
	}
	setvbuf(tty, NULL, _IONBF, 0);
	rc = password_from_tty(c, tty, cli_msg(c, prompt), buf, cap);
	if (rc == 0 && confirm) {
		char again[CLI_PASSWORD_BUF];
		rc = password_from_tty(c, tty, cli_msg(c, MSG_PROMPT_AGAIN), again, sizeof again);
		if (rc == 0 && strcmp(again, buf) != 0) {
			cli_err(c, MSG_E_PW_MISMATCH);
			rc = EXIT_USAGE;
		}
		secret_wipe(again, sizeof again);
	}
	fclose(tty);
check:
	if (rc == 0 && utf8_validate(buf, strlen(buf)) != 0) {
		cli_err(c, MSG_E_PW_UTF8);
		rc = EXIT_DATAERR;
	}
	if (rc == 0)
		password_nfc(buf, cap);
	if (rc == 0 && buf[0] == '\0') {
		cli_err(c, MSG_E_EMPTY_PASSWORD);
		rc = EXIT_USAGE;
	}
	if (rc == 0 && confirm && strlen(buf) < 8) {
		cli_err(c, MSG_E_SHORT_PASSWORD);
		rc = EXIT_USAGE;
	}
	return rc;
}

static const char *const role_names[] = {
	[STORE_ROLE_CANBO] = "canbo",
	[STORE_ROLE_LANHDAO] = "lanhdao",
	[STORE_ROLE_HUYEN] = "huyen",
	[STORE_ROLE_QUANTRI] = "quantri",
};
static const enum msg_id role_labels[] = {
	[STORE_ROLE_CANBO] = MSG_ROLE_CANBO,
	[STORE_ROLE_LANHDAO] = MSG_ROLE_LANHDAO,
	[STORE_ROLE_HUYEN] = MSG_ROLE_HUYEN,
	[STORE_ROLE_QUANTRI] = MSG_ROLE_QUANTRI,
};

const char *role_name(int role)
{
	if (role < STORE_ROLE_CANBO || role > STORE_ROLE_QUANTRI)
		return "?";
	return role_names[role];
}

const char *role_label(const struct cli *c, int role)
{
	if (role < STORE_ROLE_CANBO || role > STORE_ROLE_QUANTRI)
		return "?";
	if (role == STORE_ROLE_HUYEN && c->conf.kind == NODE_DISTRICT &&
	    c->conf.level == NODE_LEVEL_PROVINCE)
		return cli_msg(c, MSG_ROLE_TINH); /* the same role on a province node */
	return cli_msg(c, role_labels[role]);
}

int role_parse(const char *s)
{
	for (int r = STORE_ROLE_CANBO; r <= STORE_ROLE_QUANTRI; r++)
		if (strcmp(s, role_names[r]) == 0)
			return r;
	return -1;
}

void id_hex(const unsigned char id[STORE_ID_BYTES], char out[2 * STORE_ID_BYTES + 1])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < STORE_ID_BYTES; i++) {
		out[2 * i] = hex[id[i] >> 4];
		out[2 * i + 1] = hex[id[i] & 15];
	}
	out[2 * STORE_ID_BYTES] = '\0';
}
