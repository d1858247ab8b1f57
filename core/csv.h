/*
 * core/csv.h: one CSV cell (RFC 4180) that a spreadsheet will not run.
 *
 * Every `--format csv` output and the district's CSV export write their
 * cells through csv_cell, so the quoting and the formula-injection rule
 * (OWASP "CSV Injection") live in one place.
 */
#ifndef CCHC_CORE_CSV_H
#define CCHC_CORE_CSV_H

#include <stdio.h>

/* Write s as one CSV cell to f.  A cell that starts with = + - @, TAB or CR
 * (which Excel, LibreOffice and Google Sheets read as a formula) gets a
 * leading apostrophe, unless the whole cell is a plain number ("-5",
 * "-0.25": no formula can hide in one).  A cell holding , " CR or LF, or
 * one made safe, is quoted with "" for each quote inside.  Text such as
 * "02545" is written as is (its leading zero kept). */
void csv_cell(FILE *f, const char *s);

/* 1 when s is [-]digits[.digits] (a number csv_cell leaves alone). */
int csv_is_number(const char *s);

#endif
