/*
 * cli/output.c: quoting for the machine formats (JSON, RFC 8259; CSV,
 * RFC 4180).  Text is already valid UTF-8 in NFC when it gets here.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/csv.h"
#include "core/text.h"

/* C1 controls and the invisible format characters (text_cp_unsafe) are
 * valid in JSON strings, but a script that prints a value would send them
 * to its terminal: write them as \uXXXX (lossless).  json_unsafe: 1 when
 * the code point at p is one; json_escape_cp writes it and returns the
 * bytes it took less one. */
static int json_unsafe(const unsigned char *p)
{
	uint32_t cp;
	size_t used;
	if (*p < 0x80 || utf8_decode((const char *)p, strnlen((const char *)p, 4), &cp, &used) != 0)
		return 0;
	return text_cp_unsafe(cp);
}

static size_t json_escape_cp(FILE *f, const unsigned char *p)
{
	uint32_t cp;
	size_t used;
	utf8_decode((const char *)p, strnlen((const char *)p, 4), &cp, &used);
	fprintf(f, "\\u%04x", (unsigned)cp);
	return used - 1;
}

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
			else if (json_unsafe(p))
				p += json_escape_cp(f, p);
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
