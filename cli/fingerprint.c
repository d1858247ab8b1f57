/*
 * cli/fingerprint.c: a key is trusted only once its fingerprint was
 * compared with the one its owner reads out (by phone): `init commune`
 * for the district's key, `enroll` for a commune's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* s without spaces, in lower case, into out (cap bytes). */
static void fp_squeeze(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	for (; *s && n < cap - 1; s++)
		if (*s != ' ' && *s != '-' && *s != ':')
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

int cli_confirm_fingerprint(struct cli *c, const char *fp, const char *given, const char *who,
                            enum msg_id mismatch, enum msg_id refused)
{
	if (given) {
		char a[64], b[64];
		fp_squeeze(given, a, sizeof a);
		fp_squeeze(fp, b, sizeof b);
		if (strcmp(a, b) != 0) {
			cli_err(c, mismatch, given, fp, who);
			return EXIT_DATAERR;
		}
		return 0;
	}
	if (getenv("CCHC_PASSWORD_FILE"))
		return 0;
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return 0;
	fprintf(tty, cli_msg(c, MSG_PROMPT_FP_OK), who);
	fflush(tty);
	char ans[16] = "";
	int ok = fgets(ans, sizeof ans, tty) &&
	         (ans[0] == 'c' || ans[0] == 'C' || ans[0] == 'y' || ans[0] == 'Y');
	fclose(tty);
	if (!ok) {
		cli_err(c, refused);
		return EXIT_DATAERR;
	}
	return 0;
}
