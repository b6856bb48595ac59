/*
 * test_ini.c - the config reader (core/ini.c): what the pre-scan rejects,
 * with the exact path:line message, and what iniparser's values look like
 * once a file is accepted.  Fixtures are in tests/data/ini/.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "ini.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define KPI_LEAK_CHECK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define KPI_LEAK_CHECK 1
#endif
#endif

#define FIXTURE(name) KPI_SOURCE_DIR "/tests/data/ini/" name

/* ---- helpers ---------------------------------------------------------- */

static FILE *diag_f;
static char *diag_buf;
static size_t diag_len;

/* Memory and temp files of the running test, released in diag_stop so
 * tests can assert freely and ASan still sees a clean process. */
static void **owned;
static size_t nowned;
static char **tmp_files;
static size_t ntmp_files;

/* Take ownership of p (freed when the test ends); returns p. */
static void *own(void *p)
{
	void **n;

	cr_assert_not_null(p);
	n = realloc(owned, (nowned + 1) * sizeof *owned);
	cr_assert_not_null(n);
	owned = n;
	owned[nowned++] = p;
	return p;
}

/* Capture diagnostics of the test in memory. */
static void diag_start(void)
{
	diag_f = open_memstream(&diag_buf, &diag_len);
	cr_assert_not_null(diag_f);
	kpi_diag_set_stream(diag_f);
	kpi_diag_reset();
}

/* Remove the test's temp files and free what it owned. */
static void release(void)
{
	for (size_t i = 0; i < ntmp_files; i++)
		unlink(tmp_files[i]);
	free(tmp_files);
	tmp_files = NULL;
	ntmp_files = 0;
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	owned = NULL;
	nowned = 0;
}

/* Stop capturing and clean up (also after a failed assertion). */
static void diag_stop(void)
{
	kpi_diag_set_stream(NULL);
	fclose(diag_f);
	free(diag_buf);
	diag_buf = NULL;
	release();
}

/* The end of every test body: clean up, and under ASan fail the test if
 * anything leaked (an assertion in .fini would not fail it). */
static void test_end(void)
{
	release();
#ifdef KPI_LEAK_CHECK
	cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked");
#endif
}

/* Test(ini, name) with test_end() run after the body. */
#define INI_TEST(name)                                                  \
	static void name##_body(void);                                  \
	Test(ini, name) { name##_body(); test_end(); }                  \
	static void name##_body(void)

/* Forget what was captured so far. */
static void diag_restart(void)
{
	kpi_diag_set_stream(NULL);
	fclose(diag_f);
	free(diag_buf);
	diag_buf = NULL;
	diag_start();
}

/* Everything printed through kpi_diag so far in this test. */
static const char *diag_text(void)
{
	fflush(diag_f);
	return diag_buf ? diag_buf : "";
}

/* A formatted string, owned by the test. */
__attribute__((format(printf, 1, 2)))
static char *fmt(const char *f, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	cr_assert_geq(n, 0);
	s = own(malloc((size_t)n + 1));
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

static const char *tmp_dir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d ? d : "/tmp";
}

/* A path unique to this test and worker, <tmp>/kpi_test_ini_<test>_<pid>.ini,
 * unlinked when the test ends. */
static char *tmp_path(const char *test)
{
	char *p = fmt("%s/kpi_test_ini_%s_%ld.ini", tmp_dir(), test,
	              (long)getpid());
	char **n = realloc(tmp_files, (ntmp_files + 1) * sizeof *tmp_files);

	cr_assert_not_null(n);
	tmp_files = n;
	tmp_files[ntmp_files++] = p;
	return p;
}

/* Write len bytes to this test's temp file; returns its path. */
static char *write_tmp(const char *test, const void *data, size_t len)
{
	char *p = tmp_path(test);
	FILE *f = fopen(p, "wb");

	cr_assert_not_null(f, "cannot create %s: %s", p, strerror(errno));
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	return p;
}

static char *write_tmp_str(const char *test, const char *text)
{
	return write_tmp(test, text, strlen(text));
}

/* Load `path`, expecting KPI_ECONFIG, nothing returned, and exactly
 * `want` printed. */
static void expect_reject(const char *path, const char *want)
{
	struct kpi_ini *ini = (struct kpi_ini *)1;

	cr_assert_eq(kpi_ini_load(path, &ini), KPI_ECONFIG);
	cr_assert_null(ini);
	cr_assert_str_eq(diag_text(), want);
}

/* Load `path`, expecting success with nothing printed. */
static struct kpi_ini *expect_load(const char *path)
{
	struct kpi_ini *ini = NULL;

	cr_assert_eq(kpi_ini_load(path, &ini), 0, "%s", diag_text());
	cr_assert_not_null(ini);
	cr_assert_str_eq(diag_text(), "");
	return ini;
}

/* n copies of byte c, NUL-terminated, owned by the test. */
static char *repeat(char c, size_t n)
{
	char *s = own(malloc(n + 1));

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

TestSuite(ini, .init = diag_start, .fini = diag_stop, .timeout = 20);

/* ---- accepted files --------------------------------------------------- */

INI_TEST(valid_values)
{
	struct kpi_ini *ini = expect_load(FIXTURE("valid.ini"));
	const char *sec = "indicator payroll.payslips_per_admin";

	cr_assert_str_eq(kpi_ini_path(ini), FIXTURE("valid.ini"));
	cr_assert_str_eq(kpi_ini_get(ini, "kpirun", "year"), "2011");
	cr_assert_str_eq(kpi_ini_get(ini, "kpirun", "title_sv"),
	                 "Nämndens årsrapport");
	cr_assert_str_eq(kpi_ini_get(ini, "area payroll", "plugin"), "payroll");
	cr_assert_str_eq(kpi_ini_get(ini, "area payroll", "payslips.target"), "5");
	cr_assert_str_eq(kpi_ini_get(ini, sec, "target"), "95");
	cr_assert_str_eq(kpi_ini_get(ini, sec, "council_target"), "x ; y");
	cr_assert_str_eq(kpi_ini_get(ini, sec, "colour"), "");
	cr_assert_str_eq(kpi_ini_get(ini, sec, "single"), "a # b");
	cr_assert_str_eq(kpi_ini_get(ini, sec, "empty"), "");
	cr_assert_str_eq(kpi_ini_get(ini, sec, "long_text"),
	                 "first part   second part");
	cr_assert_str_eq(kpi_ini_get(ini, sec, "after"), "1");
	cr_assert_str_eq(kpi_ini_get(ini, sec, "indented"), "yes");
	cr_assert_null(kpi_ini_get(ini, sec, "missing"));
	cr_assert_null(kpi_ini_get(ini, "nosuch", "target"));
	kpi_ini_free(ini);
}

INI_TEST(file_order_of_sections_and_keys)
{
	struct kpi_ini *ini = expect_load(FIXTURE("valid.ini"));
	const char *sec = "indicator payroll.payslips_per_admin";
	static const char *const want[] = {
		"target", "council_target", "colour", "single", "empty",
		"long_text", "after", "indented"
	};

	cr_assert_eq(kpi_ini_nsections(ini), 3);
	cr_assert_str_eq(kpi_ini_section(ini, 0), "kpirun");
	cr_assert_str_eq(kpi_ini_section(ini, 1), "area payroll");
	cr_assert_str_eq(kpi_ini_section(ini, 2), sec);
	cr_assert_null(kpi_ini_section(ini, 3));

	cr_assert_eq(kpi_ini_nkeys(ini, "kpirun"), 2);
	cr_assert_str_eq(kpi_ini_key(ini, "kpirun", 0), "year");
	cr_assert_str_eq(kpi_ini_key(ini, "kpirun", 1), "title_sv");
	cr_assert_null(kpi_ini_key(ini, "kpirun", 2));
	cr_assert_eq(kpi_ini_nkeys(ini, "area payroll"), 3);
	cr_assert_str_eq(kpi_ini_key(ini, "area payroll", 0), "plugin");
	cr_assert_str_eq(kpi_ini_key(ini, "area payroll", 1), "threshold_low");
	cr_assert_str_eq(kpi_ini_key(ini, "area payroll", 2), "payslips.target");
	cr_assert_eq(kpi_ini_nkeys(ini, sec), 8);
	for (size_t i = 0; i < 8; i++)
		cr_assert_str_eq(kpi_ini_key(ini, sec, i), want[i]);
	cr_assert_eq(kpi_ini_nkeys(ini, "nosuch"), 0);
	cr_assert_null(kpi_ini_key(ini, "nosuch", 0));
	kpi_ini_free(ini);
}

INI_TEST(line_lookup)
{
	struct kpi_ini *ini = expect_load(FIXTURE("valid.ini"));
	const char *sec = "indicator payroll.payslips_per_admin";

	cr_assert_eq(kpi_ini_line(ini, "kpirun", NULL), 4);
	cr_assert_eq(kpi_ini_line(ini, "kpirun", "year"), 5);
	cr_assert_eq(kpi_ini_line(ini, "kpirun", "title_sv"), 6);
	cr_assert_eq(kpi_ini_line(ini, "area payroll", NULL), 8);
	cr_assert_eq(kpi_ini_line(ini, "area payroll", "plugin"), 9);
	cr_assert_eq(kpi_ini_line(ini, sec, NULL), 13);
	cr_assert_eq(kpi_ini_line(ini, sec, "target"), 14);
	cr_assert_eq(kpi_ini_line(ini, sec, "long_text"), 19);
	cr_assert_eq(kpi_ini_line(ini, sec, "after"), 21);
	cr_assert_eq(kpi_ini_line(ini, sec, "indented"), 22);
	cr_assert_eq(kpi_ini_line(ini, sec, "missing"), 0);
	cr_assert_eq(kpi_ini_line(ini, "nosuch", NULL), 0);
	cr_assert_eq(kpi_ini_line(ini, "nosuch", "target"), 0);
	cr_assert_eq(kpi_ini_line(ini, NULL, NULL), 0);
	kpi_ini_free(ini);
}

INI_TEST(mixed_case_lookups_and_spelling)
{
	struct kpi_ini *ini = expect_load(FIXTURE("valid.ini"));
	const char *p = FIXTURE("valid.ini");

	cr_assert(kpi_ini_has_section(ini, "area payroll"));
	cr_assert(kpi_ini_has_section(ini, "AREA PAYROLL"));
	cr_assert(kpi_ini_has_section(ini, "Indicator Payroll.Payslips_Per_Admin"));
	cr_assert_not(kpi_ini_has_section(ini, "area"));
	cr_assert_not(kpi_ini_has_section(ini, NULL));
	cr_assert_str_eq(kpi_ini_get(ini, "Area Payroll", "PLUGIN"), "payroll");
	cr_assert_str_eq(kpi_ini_get(ini, "KPIRUN", "Title_Sv"),
	                 "Nämndens årsrapport");
	cr_assert_eq(kpi_ini_line(ini, "AREA payroll", "Plugin"), 9);

	cr_assert_eq(kpi_ini_error(ini, "area payroll", "plugin",
	                           "'%s' is not installed", "payroll"),
	             KPI_ECONFIG);
	cr_assert_eq(kpi_ini_error(ini, "kpirun", "title_sv", "too long"),
	             KPI_ECONFIG);
	cr_assert_str_eq(diag_text(), fmt(
		"%s:9: [Area Payroll] Plugin: 'payroll' is not installed\n"
		"%s:6: [kpirun] Title_SV: too long\n", p, p));
	kpi_ini_free(ini);
}

INI_TEST(inline_comments_and_quotes)
{
	char *p = write_tmp_str("inline_comments_and_quotes",
		"[s]\n"
		"a = 95 ; percent\n"
		"b = \"x ; y\"\n"
		"c = #FF0000\n"
		"d = \"\"\n"
		"e = '  padded  '\n"
		"f = 1 # one\n"
		"g = x=y\n");
	struct kpi_ini *ini = expect_load(p);

	cr_assert_str_eq(kpi_ini_get(ini, "s", "a"), "95");
	cr_assert_str_eq(kpi_ini_get(ini, "s", "b"), "x ; y");
	cr_assert_str_eq(kpi_ini_get(ini, "s", "c"), "");
	cr_assert_str_eq(kpi_ini_get(ini, "s", "d"), "");
	cr_assert_str_eq(kpi_ini_get(ini, "s", "e"), "  padded  ");
	cr_assert_str_eq(kpi_ini_get(ini, "s", "f"), "1");
	cr_assert_str_eq(kpi_ini_get(ini, "s", "g"), "x=y");
	kpi_ini_free(ini);
}

INI_TEST(continuation_lines)
{
	char *p = write_tmp_str("continuation_lines",
		"[s]\n"                  /* 1 */
		"a = one \\\n"           /* 2 */
		" two \\   \n"           /* 3: blanks after the '\' */
		" three\n"               /* 4 */
		"b = 2\n"                /* 5 */
		"; comment \\\n"         /* 6: continues into line 7 */
		"c = swallowed\n"        /* 7 */
		"\\\n"                   /* 8: only a '\' */
		"d = 4\n"                /* 9 */
		"e = 5\n");              /* 10 */
	struct kpi_ini *ini = expect_load(p);

	cr_assert_str_eq(kpi_ini_get(ini, "s", "a"), "one  two  three");
	cr_assert_eq(kpi_ini_line(ini, "s", "a"), 2);
	cr_assert_str_eq(kpi_ini_get(ini, "s", "b"), "2");
	cr_assert_eq(kpi_ini_line(ini, "s", "b"), 5);
	cr_assert_null(kpi_ini_get(ini, "s", "c"));
	cr_assert_str_eq(kpi_ini_get(ini, "s", "d"), "4");
	cr_assert_eq(kpi_ini_line(ini, "s", "d"), 9);
	cr_assert_eq(kpi_ini_line(ini, "s", "e"), 10);
	cr_assert_eq(kpi_ini_nkeys(ini, "s"), 4);
	kpi_ini_free(ini);
}

INI_TEST(continuation_past_end_of_file)
{
	char *p = write_tmp_str("continuation_past_end_of_file",
	                        "[s]\na = 1\nb = 2 \\\n");

	expect_reject(p, fmt("%s:3: '\\' at the end of the last line "
	                     "continues it past the end of the file\n", p));
}

INI_TEST(crlf_line_ends)
{
	char *p = write_tmp_str("crlf_line_ends",
	                        "[S]\r\nk = v\r\n\r\nj = \"q\"\r\n");
	struct kpi_ini *ini = expect_load(p);

	cr_assert_str_eq(kpi_ini_get(ini, "s", "k"), "v");
	cr_assert_str_eq(kpi_ini_get(ini, "s", "j"), "q");
	cr_assert_eq(kpi_ini_line(ini, "s", "j"), 4);
	kpi_ini_free(ini);
}

INI_TEST(bom_accepted)
{
	const char *p = FIXTURE("bom.ini");
	struct kpi_ini *ini = expect_load(p);

	cr_assert_eq(kpi_ini_nsections(ini), 2);
	cr_assert_str_eq(kpi_ini_section(ini, 0), "kpirun");
	cr_assert_str_eq(kpi_ini_get(ini, "kpirun", "year"), "2011");
	cr_assert_str_eq(kpi_ini_get(ini, "area payroll", "plugin"), "payroll");
	cr_assert_eq(kpi_ini_line(ini, "kpirun", NULL), 1);
	cr_assert_eq(kpi_ini_line(ini, "kpirun", "year"), 2);
	cr_assert_eq(kpi_ini_line(ini, "area payroll", "plugin"), 5);
	kpi_ini_error(ini, "kpirun", "year", "'%s' is not a year", "2011");
	cr_assert_str_eq(diag_text(),
	                 fmt("%s:2: [kpirun] year: '2011' is not a year\n", p));
	kpi_ini_free(ini);
}

INI_TEST(bom_keeps_error_lines)
{
	char *p = write_tmp_str("bom_keeps_error_lines",
	                        "\xEF\xBB\xBF[s]\nk = 1\nbad\n");

	expect_reject(p, fmt("%s:3: expected 'key = value' or '[section]', "
	                     "found 'bad'\n", p));
}

INI_TEST(bom_inside_file)
{
	char *p = write_tmp_str("bom_inside_file",
	                        "[s]\n\xEF\xBB\xBFk = 1\n");

	expect_reject(p, fmt("%s:2: UTF-8 byte-order mark inside the file "
	                     "(allowed only at its start)\n", p));
}

INI_TEST(utf16_rejected)
{
	static const char text[] = "\xFF\xFE[\0s\0]\0\n\0";
	char *p = write_tmp("utf16_rejected", text, sizeof text - 1);

	expect_reject(p, fmt("%s:1: UTF-16 is not supported, save the file "
	                     "as UTF-8\n", p));
}

INI_TEST(empty_file)
{
	char *p = write_tmp("empty_file", "", 0);
	struct kpi_ini *ini = expect_load(p);

	cr_assert_eq(kpi_ini_nsections(ini), 0);
	cr_assert_null(kpi_ini_section(ini, 0));
	cr_assert_not(kpi_ini_has_section(ini, "kpirun"));
	cr_assert_null(kpi_ini_get(ini, "kpirun", "year"));
	cr_assert_eq(kpi_ini_line(ini, "kpirun", NULL), 0);
	cr_assert_eq(kpi_ini_nkeys(ini, "kpirun"), 0);
	/* The caller reports what is missing: no line, no key spelling. */
	kpi_ini_error(ini, "kpirun", NULL, "section missing");
	cr_assert_str_eq(diag_text(), fmt("%s: [kpirun] section missing\n", p));
	kpi_ini_free(ini);
}

INI_TEST(comments_and_blanks_only)
{
	char *p = write_tmp_str("comments_and_blanks_only",
	                        "; one\n\n   # two\n \t \n");
	struct kpi_ini *ini = expect_load(p);

	cr_assert_eq(kpi_ini_nsections(ini), 0);
	kpi_ini_free(ini);
}

INI_TEST(nothing_printed_raw)
{
	struct kpi_ini *ini;

	cr_redirect_stderr();
	ini = expect_load(FIXTURE("valid.ini"));
	kpi_ini_free(ini);
	fflush(stderr);
	cr_assert_stderr_eq_str("");
}

INI_TEST(temp_copy_removed)
{
	char *dir = fmt("%s/kpi_test_ini_temp_copy_removed_%ld", tmp_dir(),
	                (long)getpid());
	struct kpi_ini *ini;
	struct dirent *de;
	DIR *d;
	int n = 0;

	cr_assert_eq(mkdir(dir, 0700), 0, "%s", strerror(errno));
	cr_assert_eq(setenv("TMPDIR", dir, 1), 0);
	ini = expect_load(FIXTURE("bom.ini"));
	cr_assert_str_eq(kpi_ini_get(ini, "kpirun", "year"), "2011");
	kpi_ini_free(ini);
	d = opendir(dir);
	cr_assert_not_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	rmdir(dir);
	cr_assert_eq(n, 0, "temporary copy left behind");
}

INI_TEST(temp_dir_unusable)
{
	/* The config reaches iniparser through memory, not a temporary
	 * file: an unusable $TMPDIR does not matter. */
	const char *p = FIXTURE("valid.ini");
	struct kpi_ini *ini;

	cr_assert_eq(setenv("TMPDIR", "/nonexistent/kpi_test_ini", 1), 0);
	ini = expect_load(p);
	cr_assert_str_eq(kpi_ini_get(ini, "kpirun", "year"), "2011");
	kpi_ini_free(ini);
	cr_assert_str_eq(diag_text(), "");
}

/* ---- line length, NUL ------------------------------------------------- */

INI_TEST(line_of_1022_bytes_accepted)
{
	char *v = repeat('v', 1020);
	char *text = fmt("[s]\nk=%s\nj=%s", v, v);   /* last without '\n' */
	char *p = write_tmp_str("line_of_1022_bytes_accepted", text);
	struct kpi_ini *ini = expect_load(p);

	cr_assert_str_eq(kpi_ini_get(ini, "s", "k"), v);
	cr_assert_str_eq(kpi_ini_get(ini, "s", "j"), v);
	kpi_ini_free(ini);
}

INI_TEST(line_of_1023_bytes_rejected)
{
	char *v = repeat('v', 1021);
	char *text = fmt("[s]\nk=%s\n", v);
	char *p = write_tmp_str("line_of_1023_bytes_rejected", text);

	expect_reject(p, fmt("%s:2: line is 1023 bytes, limit 1022\n", p));
}

INI_TEST(line_of_2004_bytes_rejected)
{
	char *v = repeat('x', 1999);
	char *text = fmt("[kpirun]\nyear = 2011\n\n; note\n[area payroll]\n"
	                 "plugin = payroll\ntext=%s\nafter = 1\nafter = 2\n", v);
	char *p = write_tmp_str("line_of_2004_bytes_rejected", text);

	/* The long line is reported and scanning goes on. */
	expect_reject(p, fmt("%s:7: line is 2004 bytes, limit 1022\n"
	                     "%s:9: duplicate key 'after' in [area payroll] "
	                     "(first at line 8)\n", p, p));
}

INI_TEST(crlf_counts_toward_the_limit)
{
	char *v = repeat('v', 1020);
	char *text = fmt("[s]\r\nk=%s\r\n", v);
	char *p = write_tmp_str("crlf_counts_toward_the_limit", text);

	expect_reject(p, fmt("%s:2: line is 1023 bytes, limit 1022\n", p));
}

INI_TEST(joined_line_limit)
{
	char *a = repeat('a', 500), *b = repeat('b', 520), *c = repeat('c', 521);
	char *ok = fmt("[s]\nk=%s\\\n%s\n", a, b);         /* 502 + 520 */
	char *bad = fmt("[s]\nk=%s\\\n%s\n", a, c);        /* 502 + 521 */
	char *p = write_tmp_str("joined_line_limit", ok);
	struct kpi_ini *ini = expect_load(p);

	cr_assert_eq(strlen(kpi_ini_get(ini, "s", "k")), 1020);
	kpi_ini_free(ini);
	p = write_tmp_str("joined_line_limit", bad);
	expect_reject(p, fmt("%s:3: line is 1023 bytes joined with the lines it "
	                     "continues (from line 2), limit 1022\n", p));
}

INI_TEST(nul_byte)
{
	static const char text[] = "[s]\nk=1\0\nj=2\n[t]\n\0\nm=3\n";
	char *p = write_tmp("nul_byte", text, sizeof text - 1);

	expect_reject(p, fmt("%s:2: NUL byte\n%s:5: NUL byte\n", p, p));
}

/* Invalid UTF-8 never reaches the report (a JSON or XML reader would
 * reject it): a Latin-1 'ä' (0xE4), a lone continuation byte and an
 * overlong '/' are each named by line and column; valid UTF-8 ('å',
 * U+2013) on the other lines passes. */
INI_TEST(invalid_utf8_named_by_line_and_column)
{
	static const char text[] = "[kpirun]\ntitle_sv = N\xe4mnden\n"
	                           "a = \xc3\xa5 \xe2\x80\x93 ok\n"
	                           "b = x\x80\nc = \xc0\xaf\n";
	char *p = write_tmp("invalid_utf8", text, sizeof text - 1);

	expect_reject(p, fmt("%s:2: invalid UTF-8: byte 0xe4 at column 13 "
	                     "(save the file as UTF-8)\n"
	                     "%s:4: invalid UTF-8: byte 0x80 at column 6 "
	                     "(save the file as UTF-8)\n"
	                     "%s:5: invalid UTF-8: byte 0xc0 at column 5 "
	                     "(save the file as UTF-8)\n", p, p, p));
}

/* ---- what is passed as the config ------------------------------------- */

INI_TEST(directory_rejected)
{
	const char *p = KPI_SOURCE_DIR "/tests/data/ini";

	expect_reject(p, fmt("%s: not a regular file\n", p));
}

INI_TEST(fifo_rejected)
{
	char *p = tmp_path("fifo_rejected");

	unlink(p);
	cr_assert_eq(mkfifo(p, 0600), 0, "%s", strerror(errno));
	/* Must neither block waiting for a writer nor read it. */
	expect_reject(p, fmt("%s: not a regular file\n", p));
}

INI_TEST(missing_file)
{
	char *p = tmp_path("missing_file");

	unlink(p);
	expect_reject(p, fmt("%s: cannot open: No such file or directory\n", p));
}

INI_TEST(size_limit)
{
	size_t cap = 1024 * 1024;
	char *big = repeat(';', cap + 1);
	char *p;
	struct kpi_ini *ini;

	/* Comment lines of 1000 bytes; exactly 1 MiB is accepted. */
	for (size_t i = 1000; i < cap; i += 1001)
		big[i] = '\n';
	p = write_tmp("size_limit", big, cap);
	ini = expect_load(p);
	cr_assert_eq(kpi_ini_nsections(ini), 0);
	kpi_ini_free(ini);
	p = write_tmp("size_limit", big, cap + 1);
	expect_reject(p, fmt("%s: file is larger than 1 MiB\n", p));
}

/* ---- syntax ----------------------------------------------------------- */

INI_TEST(syntax_errors_all_reported)
{
	const char *p = FIXTURE("syntax.ini");

	expect_reject(p, fmt(
		"%s:3: expected 'key = value' or '[section]', found 'this line "
		"has no equals sign'\n"
		"%s:4: expected ']' at the end of the section header, found "
		"'[area payroll'\n"
		"%s:6: empty section name\n"
		"%s:8: expected a key before '=', found '= nothing'\n",
		p, p, p, p));
}

INI_TEST(duplicate_key_and_repeated_section)
{
	const char *p = FIXTURE("dup.ini");

	expect_reject(p, fmt(
		"%s:6: duplicate key 'Target' in [indicator x] (first at line 4)\n"
		"%s:10: section [Indicator X] repeated (first at line 1)\n",
		p, p));
}

INI_TEST(key_outside_section)
{
	const char *p = FIXTURE("outside.ini");

	expect_reject(p, fmt("%s:2: key outside any section\n", p));
}

INI_TEST(bad_section_headers)
{
	char *p = write_tmp_str("bad_section_headers",
		"[ok]\n"           /* 1 */
		"[]\n"             /* 2 */
		"[   ]\n"          /* 3 */
		"[a]b]\n"          /* 4 */
		"[a] ; note\n"     /* 5 */
		"[a] = 5\n"        /* 6 */
		"[\n"              /* 7 */
		"[x:y]\n"          /* 8 */
		"k = 1\n");        /* 9: under a rejected header: not reported */

	expect_reject(p, fmt(
		"%s:2: empty section name\n"
		"%s:3: empty section name\n"
		"%s:4: expected '[section]' with no '[' or ']' inside the name, "
		"found '[a]b]'\n"
		"%s:5: expected ']' at the end of the section header, found "
		"'[a] ; note'\n"
		"%s:6: expected ']' at the end of the section header, found "
		"'[a] = 5'\n"
		"%s:7: expected ']' at the end of the section header, found '['\n"
		"%s:8: ':' is not allowed in a section name, found '[x:y]'\n",
		p, p, p, p, p, p, p));
}

INI_TEST(colon_in_key)
{
	char *p = write_tmp_str("colon_in_key", "[s]\na:b = 1\n");

	expect_reject(p, fmt("%s:2: ':' is not allowed in a key, found 'a:b'\n",
	                     p));
}

INI_TEST(section_and_key_too_long_together)
{
	char *s = repeat('s', 600), *k1 = repeat('k', 423), *k2 = repeat('q', 424);
	char *text = fmt("[%s]\n%s = 1\n%s = 2\n", s, k1, k2);
	char *p = write_tmp_str("section_and_key_too_long_together", text);

	/* iniparser_getstring truncates "section:key" at 1024 bytes. */
	expect_reject(p, fmt("%s:3: [%s] %s: section and key names are 1024 "
	                     "bytes together, limit 1023\n", p, s, k2));
	diag_restart();
	p = write_tmp_str("section_and_key_too_long_together",
	                  fmt("[%s]\n%s = 1\n", s, k1));
	{
		struct kpi_ini *ini = expect_load(p);

		cr_assert_str_eq(kpi_ini_get(ini, s, k1), "1");
		kpi_ini_free(ini);
	}
}

INI_TEST(long_line_quoted_briefly)
{
	char *v = repeat('z', 100);
	char *p = write_tmp_str("long_line_quoted_briefly",
	                        fmt("[s]\n%s\n\tä\x01\n", v));

	expect_reject(p, fmt(
		"%s:2: expected 'key = value' or '[section]', found '%.60s...'\n"
		"%s:3: expected 'key = value' or '[section]', found 'ä\\x01'\n",
		p, v, p));
}

INI_TEST(error_count_capped)
{
	size_t n = 150;
	char *text = own(malloc(n * 4 + 5));
	char *p, *want, *w;

	memcpy(text, "[s]\n", 4);
	for (size_t i = 0; i < n; i++)
		memcpy(text + 4 + i * 4, "bad\n", 4);
	p = write_tmp("error_count_capped", text, 4 + n * 4);
	want = fmt("%s", "");
	for (size_t i = 0; i < 100; i++) {
		want = fmt("%s%s:%zu: expected 'key = value' or '[section]', "
		           "found 'bad'\n", want, p, i + 2);
	}
	w = fmt("%s%s: 50 more problems not shown\n", want, p);
	expect_reject(p, w);
}

INI_TEST(entry_limit)
{
	/* 1 section and 9999 keys are accepted; one more key is not. */
	char *text = own(malloc(4 + 10000 * 8 + 1)), *p;
	size_t len = 4;
	struct kpi_ini *ini;

	memcpy(text, "[s]\n", 4);
	for (int i = 0; i < 10000; i++) {
		int n = snprintf(text + len, 9, "k%05d=\n", i);

		cr_assert_eq(n, 8);
		len += 8;
	}
	p = write_tmp("entry_limit", text, len - 8);
	ini = expect_load(p);
	cr_assert_eq(kpi_ini_nkeys(ini, "s"), 9999);
	cr_assert_str_eq(kpi_ini_get(ini, "s", "k09998"), "");
	kpi_ini_free(ini);
	p = write_tmp("entry_limit", text, len);
	expect_reject(p, fmt("%s:10001: too many sections and keys, limit "
	                     "10000\n", p));
}

/* ---- lookups that must not crash -------------------------------------- */

INI_TEST(section_name_used_as_key)
{
	struct kpi_ini *ini = expect_load(FIXTURE("valid.ini"));

	cr_assert_null(kpi_ini_get(ini, "area payroll", NULL));
	cr_assert_null(kpi_ini_get(ini, "area payroll", "area payroll"));
	cr_assert_null(kpi_ini_get(ini, "kpirun", "kpirun"));
	cr_assert_null(kpi_ini_get(ini, NULL, "area payroll"));
	cr_assert_null(kpi_ini_get(ini, "area payroll:plugin", NULL));
	cr_assert_null(kpi_ini_get(ini, "area payroll:plugin", ""));
	cr_assert_null(kpi_ini_get(ini, "", ""));
	cr_assert_null(kpi_ini_get(NULL, "area payroll", "plugin"));
	cr_assert_eq(kpi_ini_line(ini, "area payroll", "area payroll"), 0);
	cr_assert_str_eq(kpi_ini_get(ini, "area payroll", "plugin"), "payroll");
	kpi_ini_free(ini);
}

INI_TEST(null_arguments)
{
	struct kpi_ini *ini = (struct kpi_ini *)1;

	kpi_ini_free(NULL);
	cr_assert_eq(kpi_ini_load(NULL, &ini), KPI_EINVAL);
	cr_assert_null(ini);
	cr_assert_eq(kpi_ini_load("x", NULL), KPI_EINVAL);
	cr_assert_null(kpi_ini_path(NULL));
	cr_assert_eq(kpi_ini_nsections(NULL), 0);
	cr_assert_null(kpi_ini_section(NULL, 0));
	cr_assert_eq(kpi_ini_nkeys(NULL, "s"), 0);
	cr_assert_null(kpi_ini_key(NULL, "s", 0));
	cr_assert_eq(kpi_ini_line(NULL, "s", "k"), 0);
	cr_assert_eq(kpi_ini_check_keys(NULL, "s", NULL), 0);
	cr_assert_str_eq(diag_text(), "");
}

/* ---- kpi_ini_error ---------------------------------------------------- */

INI_TEST(error_message_forms)
{
	const char *p = FIXTURE("valid.ini");
	struct kpi_ini *ini = expect_load(p);
	char *longmsg = repeat('m', 700);

	/* key present: its line; absent: the section's line and the
	 * caller's spelling; NULL key; absent section; no section. */
	kpi_ini_error(ini, "AREA PAYROLL", "threshold_low", "'%s' is not a "
	              "number", "x12");
	kpi_ini_error(ini, "kpirun", "period", "required key missing");
	kpi_ini_error(ini, "area payroll", NULL, "no plugin serves it");
	kpi_ini_error(ini, "goal g1", "kind", "missing");
	kpi_ini_error(ini, NULL, NULL, "no areas");
	kpi_ini_error(ini, "kpirun", "year", "%s", longmsg);
	cr_assert_str_eq(diag_text(), fmt(
		"%s:10: [Area Payroll] threshold_low: 'x12' is not a number\n"
		"%s:4: [kpirun] period: required key missing\n"
		"%s:8: [Area Payroll] no plugin serves it\n"
		"%s: [goal g1] kind: missing\n"
		"%s: no areas\n"
		"%s:5: [kpirun] year: %s\n", p, p, p, p, p, p, longmsg));
	cr_assert_eq(kpi_diag_errors(), 6);
	kpi_ini_free(ini);
}

/* ---- unknown keys, patterns, suggestions ------------------------------ */

INI_TEST(unknown_keys_with_and_without_suggestion)
{
	const char *p = FIXTURE("area.ini");
	struct kpi_ini *ini = expect_load(p);
	static const char *const known[] = {
		"plugin", "target", "*.target", "title_*", NULL
	};

	cr_assert_eq(kpi_ini_check_keys(ini, "area payroll", known), KPI_ECONFIG);
	cr_assert_str_eq(diag_text(), fmt(
		"%s:3: [area payroll] unknown key 'targte' (did you mean "
		"'target'?)\n"
		"%s:4: [area payroll] unknown key 'zzzzzz'\n"
		"%s:7: [area payroll] unknown key 'threshold'\n", p, p, p));
	kpi_ini_free(ini);
}

INI_TEST(known_keys_accepted)
{
	const char *p = FIXTURE("area.ini");
	struct kpi_ini *ini = expect_load(p);
	static const char *const known[] = {
		"plugin", "targte", "zzzzzz", "*.target", "title_*", "threshold",
		NULL
	};

	cr_assert_eq(kpi_ini_check_keys(ini, "Area Payroll", known), 0);
	cr_assert_eq(kpi_ini_check_keys(ini, "no such section", known), 0);
	cr_assert_str_eq(diag_text(), "");
	kpi_ini_free(ini);
}

INI_TEST(suggestion_ignores_patterns)
{
	char *p = write_tmp_str("suggestion_ignores_patterns",
	                        "[s]\ntitle_ = 1\nTitel_sv = 2\n");
	struct kpi_ini *ini = expect_load(p);
	static const char *const known[] = { "title_*", "*.title", NULL };

	/* "title_" matches "title_*" (an empty suffix); "titel_sv" matches
	 * nothing, and patterns are never offered as a spelling. */
	cr_assert_eq(kpi_ini_check_keys(ini, "s", known), KPI_ECONFIG);
	cr_assert_str_eq(diag_text(),
	                 fmt("%s:3: [s] unknown key 'Titel_sv'\n", p));
	kpi_ini_free(ini);
}

INI_TEST(key_patterns)
{
	/* exact */
	cr_assert(kpi_key_matches("target", "target"));
	cr_assert(kpi_key_matches("target", "TARGET"));
	cr_assert_not(kpi_key_matches("target", "target2"));
	cr_assert_not(kpi_key_matches("target", "targe"));
	cr_assert_not(kpi_key_matches("target", ""));
	/* trailing '*' */
	cr_assert(kpi_key_matches("title_*", "title_sv"));
	cr_assert(kpi_key_matches("title_*", "title_"));
	cr_assert(kpi_key_matches("title_*", "Title_EN"));
	cr_assert_not(kpi_key_matches("title_*", "title"));
	cr_assert_not(kpi_key_matches("title_*", "subtitle_sv"));
	cr_assert(kpi_key_matches("*", "anything"));
	/* leading "*." */
	cr_assert(kpi_key_matches("*.target", "payslips.target"));
	cr_assert(kpi_key_matches("*.target", "x.TARGET"));
	cr_assert_not(kpi_key_matches("*.target", ".target"));
	cr_assert_not(kpi_key_matches("*.target", "target"));
	cr_assert_not(kpi_key_matches("*.target", "a.b.target"));
	cr_assert_not(kpi_key_matches("*.target", "payslips.target2"));
	/* both */
	cr_assert(kpi_key_matches("*.name_*", "payslips.name_sv"));
	cr_assert_not(kpi_key_matches("*.name_*", "payslips.unit"));
	/* '*' elsewhere is literal */
	cr_assert(kpi_key_matches("a*b", "a*b"));
	cr_assert_not(kpi_key_matches("a*b", "axb"));
	cr_assert_not(kpi_key_matches(NULL, "x"));
	cr_assert_not(kpi_key_matches("x", NULL));
}

INI_TEST(suggest)
{
	static const char *const c[] = {
		"plugin", "target", "council_target", "tolerance", "", NULL
	};
	static const char *const tie[] = { "cat", "cut", NULL };

	cr_assert_str_eq(kpi_suggest("targte", c), "target");
	cr_assert_str_eq(kpi_suggest("TARGET", c), "target");
	cr_assert_str_eq(kpi_suggest("plgin", c), "plugin");
	cr_assert_str_eq(kpi_suggest("councl_targt", c), "council_target");
	cr_assert_str_eq(kpi_suggest("tolerence", c), "tolerance");
	/* limit: max(2, len / 3) */
	cr_assert_str_eq(kpi_suggest("ab", tie), "cat");      /* distance 2 */
	cr_assert_null(kpi_suggest("zzzzzz", c));
	cr_assert_null(kpi_suggest("tgt", c));                /* distance 3 */
	/* ties go to the first */
	cr_assert_str_eq(kpi_suggest("cot", tie), "cat");
	cr_assert_null(kpi_suggest("x", NULL));
	cr_assert_null(kpi_suggest(NULL, c));
}

INI_TEST(suggest_long_words)
{
	char *w = repeat('a', 300), *cand = repeat('a', 301);
	const char *c[] = { cand, NULL };

	cr_assert_eq(kpi_suggest(w, c), cand);
}
