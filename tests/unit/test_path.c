/*
 * test_path.c - exports confined to data_dir (core/path.c): every way out
 * refused with its reason, every way that stays inside allowed, and the
 * opt-out; then the same through kpirun, where a refusal names the config
 * key's file:line and exits 2 without a report.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpi/plugin.h"
#include "kpirun_exec.h"
#include "path.h"

/* A tree per test in $TMPDIR:
 *   <t>/data/in.csv, <t>/data/sub/x.csv, <t>/outside.csv,
 *   <t>/data/link_in -> in.csv, <t>/data/link_out -> ../outside.csv,
 *   <t>/data/dir_out -> .. (the tree's root), <t>/data_link -> data */
static char root[PATH_MAX], data[PATH_MAX + 8];

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_geq(fputs(text, f), 0);
	cr_assert_eq(fclose(f), 0);
}

static const char *at(const char *rel)
{
	static char buf[4][PATH_MAX + 64];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", root, rel);
	return buf[i];
}

static void make_tree(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(root, sizeof root, "%s/kpi_test_path_XXXXXX",
	         tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(root));
	snprintf(data, sizeof data, "%s/data", root);
	cr_assert_eq(mkdir(data, 0700), 0);
	cr_assert_eq(mkdir(at("data/sub"), 0700), 0);
	put(at("data/in.csv"), "indicator,month,value,denominator\n"
	    "visitors,2011-01,1,\n");
	put(at("data/sub/x.csv"), "x\n");
	put(at("outside.csv"), "indicator,month,value,denominator\n"
	    "visitors,2011-01,2,\n");
	cr_assert_eq(symlink("in.csv", at("data/link_in")), 0);
	cr_assert_eq(symlink("../outside.csv", at("data/link_out")), 0);
	cr_assert_eq(symlink("..", at("data/dir_out")), 0);
	cr_assert_eq(symlink("data", at("data_link")), 0);
}

static void remove_tree(void)
{
	static const char *const files[] = {
		"data/link_in", "data/link_out", "data/dir_out", "data_link",
		"data/in.csv", "data/sub/x.csv", "outside.csv", "report.txt",
		"conf.ini", NULL
	};

	for (const char *const *f = files; *f; f++)
		unlink(at(*f));
	rmdir(at("data/sub"));
	rmdir(data);
	rmdir(root);
}

TestSuite(path, .init = make_tree, .fini = remove_tree);

/* Resolve rel against base; expect success and the path `want`. */
static void allowed(const char *base, const char *rel, int confine,
                    const char *want)
{
	char *out = NULL;
	const char *why = NULL;
	int rc = kpi_path_resolve(base, rel, confine, &out, &why);

	cr_assert_eq(rc, 0, "'%s' (confine %d): %d, %s", rel, confine, rc,
	             why ? why : "");
	cr_assert_str_eq(out, want, "'%s'", rel);
	free(out);
}

/* Expect rel to be refused for `want_why`; a link's target in `target`. */
static void refused(const char *rel, const char *want_why, const char *target)
{
	char *out = (char *)1;
	const char *why = NULL;

	cr_assert_eq(kpi_path_resolve(data, rel, 1, &out, &why), KPI_ECONFIG,
	             "'%s' was not refused", rel);
	cr_assert_str_eq(why, want_why, "'%s'", rel);
	if (target)
		cr_assert_str_eq(out, target, "'%s'", rel);
	else
		cr_assert_null(out, "'%s'", rel);
	free(out);
}

/* The real path of `rel` under the tree. */
static const char *real(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	cr_assert_not_null(realpath(at(rel), buf[i]), "%s", rel);
	return buf[i];
}

Test(path, files_inside_are_allowed)
{
	allowed(data, "in.csv", 1, real("data/in.csv"));
	allowed(data, "sub/x.csv", 1, real("data/sub/x.csv"));
	allowed(data, "./sub//x.csv", 1, real("data/sub/x.csv"));
	/* ".." that stays inside */
	allowed(data, "sub/../in.csv", 1, real("data/in.csv"));
	/* a link that stays inside, and a data_dir reached through one */
	allowed(data, "link_in", 1, real("data/in.csv"));
	allowed(at("data_link"), "in.csv", 1, real("data/in.csv"));
}

Test(path, a_missing_file_is_left_to_the_open)
{
	char want[PATH_MAX + 32];

	snprintf(want, sizeof want, "%s/missing.csv", data);
	allowed(data, "missing.csv", 1, want);
}

Test(path, ways_out_are_refused)
{
	refused("../outside.csv", "('..' leads out of it)", NULL);
	refused("sub/../../outside.csv", "('..' leads out of it)", NULL);
	/* refused on the text even when the file does not exist */
	refused("../../etc/passwd", "('..' leads out of it)", NULL);
	refused("/etc/passwd", "(an absolute path)", NULL);
	refused("link_out", "(a symbolic link leads out of it)",
	        real("outside.csv"));
	refused("dir_out/outside.csv", "(a symbolic link leads out of it)",
	        real("outside.csv"));
}

Test(path, without_confinement_anything_goes)
{
	char want[PATH_MAX + 32];

	allowed(data, "/etc/passwd", 0, "/etc/passwd");
	snprintf(want, sizeof want, "%s/../outside.csv", data);
	allowed(data, "../outside.csv", 0, want);
	snprintf(want, sizeof want, "%s/link_out", data);
	allowed(data, "link_out", 0, want);
}

/* ---- through kpirun -------------------------------------------------- */

/* A config over the tree: the measurements plugin reads `file` (line 9);
 * `extra` goes into [kpirun] (line 6). */
static const char *config(const char *file, const char *extra)
{
	char text[2048];

	snprintf(text, sizeof text,
	         "; confinement test\n"
	         "[kpirun]\n"
	         "year = 2011\n"
	         "period = T1\n"
	         "data_dir = data\n"
	         "%s\n"
	         "[area site]\n"
	         "plugin = measurements\n"
	         "file = %s\n"
	         "indicators = visitors\n"
	         "\n"
	         "[goal 1]\n"
	         "kind = direction\n"
	         "title_sv = Mål\n"
	         "indicators = site.visitors\n", extra, file);
	put(at("conf.ini"), text);
	return at("conf.ini");
}

/* The whole file at path (a report), NUL-terminated; the caller frees. */
static void slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t k;

	cr_assert_not_null(f, "%s", path);
	k = fread(buf, 1, n - 1, f);
	buf[k] = '\0';
	fclose(f);
}

/* Run kpirun on conf with `--output report.txt`. */
static void run(const char *conf, struct kpirun_result *r)
{
	KPIRUN(r, "--output", at("report.txt"), conf);
}

/* kpirun refuses conf: status 2, the message `want` (after "conf:9: "),
 * and no report. */
static void kpirun_refuses(const char *file, const char *want)
{
	struct kpirun_result r;
	char expect[4096];
	const char *conf = config(file, "");

	run(conf, &r);
	cr_assert_eq(r.status, 2, "'%s': status %d: %s", file, r.status, r.err);
	cr_assert_lt(snprintf(expect, sizeof expect, "%s:9: [area site] file: "
	             "'%s' is outside data_dir '%s/data' %s; set "
	             "allow_exports_outside_data_dir = yes in [kpirun] to read "
	             "it\n", conf, file, root, want), (int)sizeof expect);
	cr_assert(strstr(r.err, expect) != NULL, "expected\n%s\nin\n%s",
	          expect, r.err);
	cr_assert_eq(access(at("report.txt"), F_OK), -1, "a report was "
	             "written");
	kpirun_result_free(&r);
}

Test(path, kpirun_refuses_dotdot_to_etc_passwd)
{
	kpirun_refuses("../../etc/passwd", "('..' leads out of it)");
}

Test(path, kpirun_refuses_an_absolute_path)
{
	kpirun_refuses("/etc/passwd", "(an absolute path)");
}

Test(path, kpirun_refuses_a_symbolic_link_out)
{
	char want[PATH_MAX + 64];

	snprintf(want, sizeof want, "(a symbolic link leads out of it): %s",
	         real("outside.csv"));
	kpirun_refuses("link_out", want);
}

/* Run conf and expect the report's row "visitors  <outcome>  ...":
 * January's visitors are 1 in data/in.csv and 2 in outside.csv. */
static void expect_visitors(const char *conf, const char *outcome)
{
	struct kpirun_result r;
	static char report[8192];
	const char *row;
	size_t n;

	run(conf, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	slurp(at("report.txt"), report, sizeof report);
	row = strstr(report, "\nvisitors ");
	cr_assert_not_null(row, "%s", report);
	row += strlen("\nvisitors ");
	row += strspn(row, " ");
	n = strcspn(row, " ");
	cr_assert(n == strlen(outcome) && strncmp(row, outcome, n) == 0,
	          "outcome '%.*s', expected '%s'", (int)n, row, outcome);
	kpirun_result_free(&r);
}

Test(path, kpirun_follows_a_symbolic_link_inside)
{
	expect_visitors(config("link_in", ""), "1");
}

Test(path, the_opt_out_key_reads_outside)
{
	expect_visitors(config("../outside.csv",
	                       "allow_exports_outside_data_dir = yes"), "2");
	expect_visitors(config("link_out",
	                       "allow_exports_outside_data_dir = yes"), "2");
}

Test(path, the_opt_out_key_takes_yes_or_no)
{
	struct kpirun_result r;
	const char *conf = config("in.csv", "allow_exports_outside_data_dir = "
	                          "maybe");
	char expect[4096];

	run(conf, &r);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_lt(snprintf(expect, sizeof expect, "%s:6: [kpirun] "
	             "allow_exports_outside_data_dir: 'maybe' is not yes or "
	             "no\n", conf), (int)sizeof expect);
	cr_assert(strstr(r.err, expect) != NULL, "%s", r.err);
	kpirun_result_free(&r);
}
