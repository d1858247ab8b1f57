/*
 * cli/output.c: quoting for the machine formats (JSON, RFC 8259; CSV,
 * RFC 4180).  Text is already valid UTF-8 in NFC when it gets here.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/csv.h"

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Every CSV cell of the program goes through core/csv.c (quoting and the
 * OWASP formula-injection rule in one place). */
void csv_str(FILE *f, const char *s)
{
	csv_cell(f, s);
}
