/*
 * cli/cmd_units.c: `cchc units check FILE... | import FILE | list`.
 *
 * Unit lists ship in DATADIR/data/units; a province loads its official
 * list (or a trainer a sample) with `units import`, which checks it and
 * installs a copy in $XDG_DATA_HOME/cchc/units, where cli_forms reads it
 * beside the shipped ones.  Installing is write-temp-fsync-rename: a failed
 * import leaves the lists as they were.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/text.h"
#include "forms/forms.h"

void cli_units_dir(char *buf, size_t cap)
{
	const char *x = getenv("XDG_DATA_HOME");
	if (x && *x)
		snprintf(buf, cap, "%s/cchc/units", x);
	else
		snprintf(buf, cap, "%s/.local/share/cchc/units", getenv("HOME") ? getenv("HOME") : ".");
}

const char *cli_level_word(const struct cli *c)
{
	if (c->conf.kind != NODE_DISTRICT)
		return cli_msg(c, MSG_TIER_COMMUNE);
	return cli_msg(c, c->conf.level == NODE_LEVEL_PROVINCE ? MSG_TIER_PROVINCE : MSG_TIER_DISTRICT);
}

struct vn_date cli_today(void) { return vn_date_of(vn_now()); }

int cli_date_opt(struct cli *c, const char *s, struct vn_date *out)
{
	if (vn_date_parse(s, out) != 0) {
		cli_err(c, MSG_E_BAD_DATE_OPT, s);
		return EXIT_USAGE;
	}
	return 0;
}

static int usage_units(struct cli *c, int rc)
{
	char dir[4096];
	cli_units_dir(dir, sizeof dir);
	fprintf(rc ? stderr : stdout, cli_msg(c, MSG_USAGE_UNITS), dir);
	return rc;
}

static int ends_csv(const char *p)
{
	size_t n = strlen(p);
	return n > 4 && strcmp(p + n - 4, ".csv") == 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static int units_check(struct cli *c, int argc, char **argv)
{
	struct forms_sink sink = {print_problem, NULL, forms_lang(c)};
	char dir[4096], dest[4400];
	int rc = 0;
	if (argc < 3)
		return usage_units(c, EXIT_USAGE);
	/* Against the lists loaded (parents in them count); without them when
	 * they do not load, so a broken installation can still be checked. */
	struct forms_sink quiet = {NULL, NULL, forms_lang(c)};
	if (!c->forms) {
		cli_units_dir(dir, sizeof dir);
		if (forms_load_units(c->datadir, dir, &quiet, &c->forms) != 0)
			c->forms = NULL;
	}
	cli_units_dir(dir, sizeof dir);
	for (int i = 2; i < argc; i++) {
		snprintf(dest, sizeof dest, "%s/%s", dir, base_name(argv[i]));
		int err = forms_units_check_file(argv[i], c->forms, dest, &sink);
		if (err == FORMS_ENOMEM) {
			cli_err(c, MSG_E_NOMEM);
			return EXIT_SOFTWARE;
		}
		if (err) {
			cli_err(c, MSG_E_UNITS_CHECK_BAD, argv[i]);
			rc = err == FORMS_EIO ? EXIT_NOINPUT : EXIT_DATAERR;
		} else {
			cli_out(c, MSG_UNITS_CHECK_OK, argv[i]);
		}
	}
	return rc;
}

/* Copy src to dest by dest.tmp, fsync, rename, fsync of the directory. */
static int install_copy(const char *src, const char *dir, const char *dest)
{
	char tmp[4500], buf[65536];
	snprintf(tmp, sizeof tmp, "%s.tmp", dest);
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int bad = out < 0;
	ssize_t n;
	while (!bad && (n = read(in, buf, sizeof buf)) != 0)
		bad = n < 0 || write(out, buf, (size_t)n) != n;
	int saved = errno;
	close(in);
	if (out >= 0) {
		bad |= fsync(out) != 0;
		bad |= close(out) != 0;
	}
	if (!bad && rename(tmp, dest) != 0)
		bad = 1;
	if (bad) {
		saved = errno ? errno : saved;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d >= 0) {
		fsync(d);
		close(d);
	}
	return 0;
}

static int mkdirs(const char *path)
{
	char p[4096];
	snprintf(p, sizeof p, "%s", path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static int units_import(struct cli *c, int argc, char **argv)
{
	struct forms_sink sink = {print_problem, NULL, forms_lang(c)};
	char dir[4096], dest[4400];
	if (argc != 3)
		return usage_units(c, EXIT_USAGE);
	const char *src = argv[2];
	if (!ends_csv(src)) {
		cli_err(c, MSG_E_UNITS_NOT_CSV, src);
		return EXIT_USAGE;
	}
	int rc = cli_forms(c);
	if (rc)
		return rc;
	cli_units_dir(dir, sizeof dir);
	snprintf(dest, sizeof dest, "%s/%s", dir, base_name(src));
	int err = forms_units_check_file(src, c->forms, dest, &sink);
	if (err == FORMS_ENOMEM) {
		cli_err(c, MSG_E_NOMEM);
		return EXIT_SOFTWARE;
	}
	if (err) {
		cli_err(c, MSG_E_UNITS_IMPORT_BAD, src);
		return err == FORMS_EIO ? EXIT_NOINPUT : EXIT_DATAERR;
	}
	int replaced = access(dest, F_OK) == 0;
	if (mkdirs(dir) != 0 || install_copy(src, dir, dest) != 0) {
		cli_err(c, MSG_E_UNITS_INSTALL, src, dir, strerror(errno));
		return EXIT_CANTCREAT;
	}
	/* Read back through the loader: what init will see. */
	forms_free(c->forms);
	c->forms = NULL;
	if ((rc = cli_forms(c)) != 0)
		return rc;
	size_t n = 0;
	const char *version = "";
	for (size_t i = 0; i < forms_unit_count(c->forms); i++) {
		const struct forms_unit *u = forms_unit_at(c->forms, i);
		if (strcmp(forms_unit_path(u), dest) == 0) {
			n++;
			version = forms_unit_list_version(u);
		}
	}
	cli_out(c, MSG_UNITS_INSTALLED, version, n, dest, version);
	if (replaced)
		cli_out(c, MSG_UNITS_REPLACED);
	return 0;
}

/* ------------------------------------------------------------------ list */

enum ufmt { UF_TABLE, UF_CSV, UF_JSON };

static void date_iso(struct vn_date d, char buf[VN_DATE_BUF])
{
	if (d.y)
		vn_date_iso(d, buf);
	else
		buf[0] = '\0';
}

static void preds_text(const struct forms_unit *u, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < forms_unit_predecessor_count(u); i++)
		n += (size_t)snprintf(buf + n, cap > n ? cap - n : 0, "%s%s", i ? " " : "",
				      forms_unit_predecessor_code(u, i));
}

static void pad(const char *s, int width)
{
	int w = text_width(s);
	fputs(s, stdout);
	for (; w < width; w++)
		putchar(' ');
	putchar(' ');
}

static void list_one(const struct forms_unit *u, enum ufmt fmt, int first)
{
	char from[VN_DATE_BUF], to[VN_DATE_BUF], preds[512];
	date_iso(forms_unit_valid_from(u), from);
	date_iso(forms_unit_valid_to(u), to);
	preds_text(u, preds, sizeof preds);
	const char *col[8] = {forms_unit_code(u), forms_unit_name(u), forms_unit_kind(u),
			      forms_unit_parent(u), from, to, forms_unit_list_version(u), preds};
	static const char *const names[8] = {"code",	 "name",	 "kind",
					     "parent",	 "valid_from",	 "valid_to",
					     "list_version", "predecessors"};
	if (fmt == UF_CSV) {
		for (int k = 0; k < 8; k++) {
			if (k)
				putchar(',');
			csv_str(stdout, col[k]);
		}
		putchar('\n');
	} else if (fmt == UF_JSON) {
		printf("%s\n {", first ? "" : ",");
		for (int k = 0; k < 8; k++) {
			printf("%s\"%s\":", k ? "," : "", names[k]);
			json_str(stdout, col[k]);
		}
		putchar('}');
	} else {
		char a[VN_DATE_BUF] = "…", b[VN_DATE_BUF] = "…", r[40];
		if (forms_unit_valid_from(u).y)
			vn_date_format(forms_unit_valid_from(u), a);
		if (forms_unit_valid_to(u).y)
			vn_date_format(forms_unit_valid_to(u), b);
		snprintf(r, sizeof r, "%s–%s", a, b);
		pad(col[0], 8);
		pad(col[1], 32);
		pad(col[2], 11);
		pad(col[3], 9);
		pad(r, 24);
		fputs(col[6], stdout);
		if (*preds)
			printf("  ← %s", preds);
		putchar('\n');
	}
}

static int known_list(struct cli *c, const char *list)
{
	for (size_t i = 0; i < forms_unit_list_count(c->forms); i++)
		if (strcmp(forms_unit_list_at(c->forms, i), list) == 0)
			return 1;
	cli_err(c, MSG_E_UNKNOWN_LIST, list);
	for (size_t i = 0; i < forms_unit_list_count(c->forms); i++)
		fprintf(stderr, "  %s\n", forms_unit_list_at(c->forms, i));
	return 0;
}

static int units_list(struct cli *c, int argc, char **argv)
{
	const char *on = NULL, *fmts = "table", *list = NULL;
	for (int i = 2; i < argc; i++) {
		const char **dst = strcmp(argv[i], "--on") == 0	      ? &on
				   : strcmp(argv[i], "--format") == 0 ? &fmts
				   : strcmp(argv[i], "--units") == 0  ? &list
								      : NULL;
		if (!dst || i + 1 >= argc) {
			cli_err(c, MSG_E_BAD_ARG, argv[i]);
			return usage_units(c, EXIT_USAGE);
		}
		*dst = argv[++i];
	}
	struct vn_date day = {0, 0, 0};
	if (on && cli_date_opt(c, on, &day) != 0)
		return EXIT_USAGE;
	enum ufmt fmt = strcmp(fmts, "table") == 0 ? UF_TABLE
			: strcmp(fmts, "csv") == 0 ? UF_CSV
			: strcmp(fmts, "json") == 0 ? UF_JSON
						    : (enum ufmt)-1;
	if ((int)fmt < 0) {
		cli_err(c, MSG_E_BAD_FORMAT_OPT, fmts);
		return EXIT_USAGE;
	}
	int rc = cli_forms(c);
	if (rc)
		return rc;
	if (list && !known_list(c, list))
		return EXIT_DATAERR;
	if (fmt == UF_CSV)
		puts("code,name,kind,parent,valid_from,valid_to,list_version,predecessors");
	else if (fmt == UF_JSON)
		putchar('[');
	else
		fputs(cli_msg(c, MSG_UNITS_HEAD), stdout);
	size_t shown = 0;
	for (size_t l = 0; l < forms_unit_list_count(c->forms); l++) {
		const char *lv = forms_unit_list_at(c->forms, l);
		if (list && strcmp(lv, list) != 0)
			continue;
		for (size_t i = 0; i < forms_unit_count(c->forms); i++) {
			const struct forms_unit *u = forms_unit_at(c->forms, i);
			if (strcmp(forms_unit_list_version(u), lv) != 0 ||
			    (on && !forms_unit_valid_on(u, day)))
				continue;
			list_one(u, fmt, shown++ == 0);
		}
	}
	if (fmt == UF_JSON)
		puts(shown ? "\n]" : "]");
	else if (fmt == UF_TABLE && !shown)
		fputs(cli_msg(c, MSG_UNITS_NONE), stdout);
	return 0;
}

int cmd_units(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_units(c, EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0)
		return usage_units(c, 0);
	if (strcmp(argv[1], "check") == 0)
		return units_check(c, argc, argv);
	if (strcmp(argv[1], "import") == 0)
		return units_import(c, argc, argv);
	if (strcmp(argv[1], "list") == 0)
		return units_list(c, argc, argv);
	cli_err(c, MSG_E_BAD_ARG, argv[1]);
	return usage_units(c, EXIT_USAGE);
}
