/*
 * core/csv.c: RFC 4180 cells, safe from spreadsheet formula injection.
 */
#include "core/csv.h"

#include <string.h>

int csv_is_number(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

void csv_cell(FILE *f, const char *s)
{
	int risky = strchr("=+-@\t\r", s[0]) && s[0] && !csv_is_number(s);
	if (!risky && !strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (risky)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}
