/*
 * forms/load.c: forms_load, forms_free, forms_check_file.
 *
 * Every file is parsed even after one fails, so a clerk sees every problem
 * in one run; the set is returned only when all of them are good, since a
 * half-loaded form list would let records be made against the wrong form.
 */
#include "forms/internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && strcmp(s + a - b, suffix) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Paths dir/NAME for every NAME ending in suffix, sorted; *out NULL-free
 * array of n malloc'd strings. */
static int list_dir(struct perr *pe, const char *dir, const char *suffix, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *e;

	*out = NULL;
	*n = 0;
	if (!d) {
		pe->path = dir;
		perr_errno(pe, "không mở được thư mục", "cannot open directory", errno, 1);
		return FORMS_EIO;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !ends_with(e->d_name, suffix))
			continue;
		if (append((void **)&v, &cnt, &cap, sizeof *v) != 0 ||
		    asprintf(&v[cnt - 1], "%s/%s", dir, e->d_name) < 0) {
			if (cnt)
				v[cnt - 1] = NULL;
			for (size_t i = 0; i < cnt; i++)
				free(v[i]);
			free(v);
			closedir(d);
			return FORMS_ENOMEM;
		}
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof *v, cmp_str);
	*out = v;
	*n = cnt;
	return 0;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void forms_free(struct forms *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->nform; i++)
		form_destroy(fs->form[i]);
	free(fs->form);
	periods_free(&fs->periods);
	units_free(&fs->units);
	free(fs);
}

static int cmp_form(const void *pa, const void *pb)
{
	const struct form *a = *(const struct form *const *)pa, *b = *(const struct form *const *)pb;
	int c = strcmp(a->id, b->id);
	return c ? c : (a->version > b->version) - (a->version < b->version);
}

/* Checks across form files: (id, version) unique, fill sources exist. */
static void cross_check(const struct forms_sink *sink, struct forms *fs, int *bad)
{
	for (size_t i = 0; i < fs->nform; i++) {
		const struct form *f = fs->form[i];
		struct perr pe = {sink, f->path, 0, 0};
		for (size_t k = 0; k < i; k++)
			if (!strcmp(fs->form[k]->id, f->id) && fs->form[k]->version == f->version)
				perr_at(&pe, f->line, "trùng biểu mẫu '%s' phiên bản %d (đã có trong %s)",
					"duplicate form '%s' version %d (also in %s)", f->id, f->version,
					fs->form[k]->path);
		if (f->nfill && f->fill_source) {
			const struct form *src = forms_find(fs, f->fill_source);
			fill_check_source(&pe, f, src);
		}
		*bad |= pe.nerr != 0;
	}
}

static int load_forms(const char *dir, const struct forms_sink *sink, struct forms *fs, int *bad)
{
	struct perr pe = {sink, dir, 0, 0};
	char **paths;
	size_t n;
	int rc = list_dir(&pe, dir, ".form", &paths, &n);

	if (rc != 0)
		return rc;
	for (size_t i = 0; i < n && rc != FORMS_ENOMEM; i++) {
		struct form *f;
		rc = form_parse_file(sink, paths[i], &f);
		if (rc == 0 && append((void **)&fs->form, &fs->nform, &fs->capform, sizeof f) != 0) {
			form_destroy(f);
			rc = FORMS_ENOMEM;
		} else if (rc == 0) {
			fs->form[fs->nform - 1] = f;
		} else if (rc != FORMS_ENOMEM) {
			*bad = 1;
		}
	}
	if (rc != FORMS_ENOMEM)
		rc = 0;
	free_list(paths, n);
	return rc;
}

typedef int parse_fn(const struct forms_sink *, const char *, void *);

static int parse_periods(const struct forms_sink *s, const char *p, void *into)
{
	return periods_parse_file(s, p, into);
}

static int parse_units(const struct forms_sink *s, const char *p, void *into)
{
	return units_parse_file(s, p, into);
}

static int load_each(const char *dir, const char *suffix, const struct forms_sink *sink,
		     parse_fn *fn, void *into, int *bad)
{
	struct perr pe = {sink, dir, 0, 0};
	char **paths;
	size_t n;
	int rc = list_dir(&pe, dir, suffix, &paths, &n);

	if (rc != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		rc = fn(sink, paths[i], into);
		if (rc == FORMS_ENOMEM)
			break;
		*bad |= rc != 0;
		rc = 0;
	}
	free_list(paths, n);
	return rc;
}

int forms_load(const char *datadir, const struct forms_sink *sink, struct forms **out)
{
	return forms_load_units(datadir, NULL, sink, out);
}

/* The installed unit lists of dir, when it exists. */
static int load_installed(const char *dir, const struct forms_sink *sink, struct forms *fs,
			  int *bad)
{
	struct stat st;
	if (!dir || stat(dir, &st) != 0)
		return 0;
	return load_each(dir, ".csv", sink, parse_units, &fs->units, bad);
}

int forms_load_units(const char *datadir, const char *units_dir, const struct forms_sink *sink,
		     struct forms **out)
{
	struct forms *fs = calloc(1, sizeof *fs);
	char *defs = NULL, *units = NULL;
	int bad = 0, rc = FORMS_ENOMEM;

	if (!fs || asprintf(&defs, "%s/forms/defs", datadir) < 0)
		goto fail;
	if (asprintf(&units, "%s/data/units", datadir) < 0) {
		units = NULL;
		goto fail;
	}
	rc = load_forms(defs, sink, fs, &bad);
	if (rc == 0)
		rc = load_each(defs, ".periods", sink, parse_periods, &fs->periods, &bad);
	if (rc == 0)
		rc = load_each(units, ".csv", sink, parse_units, &fs->units, &bad);
	if (rc == 0)
		rc = load_installed(units_dir, sink, fs, &bad);
	if (rc == 0)
		rc = units_sort(&fs->units);
	if (rc != 0)
		goto fail;
	if (fs->nform)
		qsort(fs->form, fs->nform, sizeof *fs->form, cmp_form);
	cross_check(sink, fs, &bad);
	if (bad) {
		rc = FORMS_EPARSE;
		goto fail;
	}
	free(defs);
	free(units);
	*out = fs;
	return 0;
fail:
	free(defs);
	free(units);
	forms_free(fs);
	return rc;
}

int forms_check_file(const char *path, const struct forms_sink *sink)
{
	int rc;
	if (ends_with(path, ".form")) {
		struct form *f;
		rc = form_parse_file(sink, path, &f);
		if (rc == 0)
			form_destroy(f);
	} else if (ends_with(path, ".periods")) {
		struct period_list pl = {0};
		rc = periods_parse_file(sink, path, &pl);
		periods_free(&pl);
	} else if (ends_with(path, ".csv")) {
		struct unit_list ul = {0};
		rc = units_parse_file(sink, path, &ul);
		units_free(&ul);
	} else {
		struct perr pe = {sink, path, 0, 0};
		perr_at(&pe, 0, "không biết loại tệp (cần .form, .periods hoặc .csv)",
			"unknown kind of file (expected .form, .periods or .csv)");
		rc = FORMS_EINVAL;
	}
	return rc;
}
