/*
 * test_csv.c - the streaming CSV reader (core/csv.c) against the CSV rows
 * of bad-inputs.md 2b: each case with its values or its exact diagnostic.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "diag.h"

/* Under AddressSanitizer, check for leaks after each test.  A failed
 * assertion in .fini does not fail a Criterion test, but an abort() there
 * makes the runner exit non-zero ("crashed during its setup or teardown")
 * after LeakSanitizer printed the allocation. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LEAK_CHECK() do { \
	if (__lsan_do_recoverable_leak_check()) \
		abort(); \
} while (0)
#else
#define LEAK_CHECK() ((void)0)
#endif

#define FIXTURES KPI_SOURCE_DIR "/tests/data/csv/"

static char *diag_buf;
static size_t diag_len;
static FILE *diag_stream;
static char tmp_paths[8][512];
static int n_tmp;

static void setup(void)
{
	diag_stream = open_memstream(&diag_buf, &diag_len);
	cr_assert(diag_stream);
	kpi_diag_set_stream(diag_stream);
}

static void teardown(void)
{
	int i;

	kpi_diag_set_stream(NULL);
	fclose(diag_stream);
	free(diag_buf);
	for (i = 0; i < n_tmp; i++) {
		unlink(tmp_paths[i]);
		rmdir(tmp_paths[i]);
	}
	LEAK_CHECK();
}

TestSuite(csv, .init = setup, .fini = teardown, .timeout = 60);

/* Everything printed through kpi_diag so far. */
static const char *diag(void)
{
	fflush(diag_stream);
	return diag_buf ? diag_buf : "";
}

/* Forget the diagnostics printed so far. */
static void diag_reset(void)
{
	kpi_diag_set_stream(NULL);
	fclose(diag_stream);
	free(diag_buf);
	diag_buf = NULL;
	setup();
}

/* A temp path unique to this test (tag) and worker process. */
static const char *tmp_path(const char *tag)
{
	const char *dir = getenv("TMPDIR");
	char *path;

	cr_assert(n_tmp < 8);
	path = tmp_paths[n_tmp++];
	snprintf(path, sizeof tmp_paths[0], "%s/kpi_test_csv_%s_%ld",
	         dir && *dir ? dir : "/tmp", tag, (long)getpid());
	return path;
}

static const char *tmp_file(const char *tag, const void *data, size_t len)
{
	const char *path = tmp_path(tag);
	FILE *f = fopen(path, "wb");

	cr_assert(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	return path;
}

/* Open bytes as a file shown as "t.csv". */
static int open_bytes(const char *tag, const void *data, size_t len,
                      const struct kpi_csv_limits *lim, struct kpi_csv **out)
{
	return kpi_csv_open(tmp_file(tag, data, len), "t.csv", NULL, lim, out);
}

static struct kpi_csv *must_open(const char *tag, const char *text)
{
	struct kpi_csv *c = NULL;
	int rc = open_bytes(tag, text, strlen(text), NULL, &c);

	cr_assert_eq(rc, 0, "open: %d: %s", rc, diag());
	cr_assert(c);
	return c;
}

static void expect_diag(const char *want)
{
	cr_assert_str_eq(diag(), want);
}

/* Opening must fail with code and exactly the message want. */
static void open_fails(const char *tag, const void *data, size_t len,
                       int code, const char *want)
{
	struct kpi_csv *c = (struct kpi_csv *)1;

	cr_assert_eq(open_bytes(tag, data, len, NULL, &c), code, "%s", diag());
	cr_assert_null(c);
	expect_diag(want);
}

/* Opening succeeds, the first kpi_csv_next fails with want, and keeps
 * failing without printing again. */
static void next_fails(const char *tag, const void *data, size_t len,
                       const char *want)
{
	struct kpi_csv *c = NULL;

	cr_assert_eq(open_bytes(tag, data, len, NULL, &c), 0, "%s", diag());
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag(want);
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag(want);
	kpi_csv_close(c);
}

#define S(lit) lit, sizeof(lit) - 1     /* bytes of a literal, NULs too */

static void expect_row(struct kpi_csv *c, long line, int n,
                       const char *const *want)
{
	int i;

	cr_assert_eq(kpi_csv_next(c), 1, "line %ld: %s", line, diag());
	cr_assert_eq(kpi_csv_line(c), line);
	cr_assert_eq(kpi_csv_ncolumns(c), n);
	for (i = 0; i < n; i++) {
		size_t len = 99;
		const char *f = kpi_csv_field(c, i, &len);

		cr_assert_not_null(f);
		cr_assert_str_eq(f, want[i], "line %ld field %d", line, i);
		cr_assert_eq(len, strlen(want[i]));
	}
}

#define ROW(c, line, ...) do { \
	const char *const w_[] = { __VA_ARGS__ }; \
	expect_row(c, line, (int)(sizeof w_ / sizeof *w_), w_); \
} while (0)

static void expect_end(struct kpi_csv *c)
{
	cr_assert_eq(kpi_csv_next(c), 0, "%s", diag());
	cr_assert_eq(kpi_csv_next(c), 0);
	cr_assert_null(kpi_csv_field(c, 0, NULL));
}

/* ---- basics, delimiter, sep= ---- */

Test(csv, reads_rows_and_fields)
{
	struct kpi_csv *c = must_open("basic", "a,b,c\n1,2,3\n4,,6\n");

	cr_assert_eq(kpi_csv_delimiter(c), ',');
	cr_assert_eq(kpi_csv_line(c), 1);
	ROW(c, 2, "1", "2", "3");
	ROW(c, 3, "4", "", "6");
	expect_end(c);
	expect_diag("");
	kpi_csv_close(c);
}

Test(csv, detects_semicolon_and_tab)
{
	struct kpi_csv *c = must_open("semi", "a;b;c\n1;2,5;3\n");

	cr_assert_eq(kpi_csv_delimiter(c), ';');
	ROW(c, 2, "1", "2,5", "3");
	kpi_csv_close(c);
	c = must_open("tab", "a\tb\n1\t2\n");
	cr_assert_eq(kpi_csv_delimiter(c), '\t');
	ROW(c, 2, "1", "2");
	kpi_csv_close(c);
	c = must_open("one", "single\nx\n");
	cr_assert_eq(kpi_csv_delimiter(c), ',');
	ROW(c, 2, "x");
	kpi_csv_close(c);
}

Test(csv, most_frequent_delimiter_wins_outside_quotes)
{
	struct kpi_csv *c = must_open("freq", "a;b;c,d\n1;2;3,4\n");

	cr_assert_eq(kpi_csv_delimiter(c), ';');
	ROW(c, 2, "1", "2", "3,4");
	kpi_csv_close(c);
	/* Two ',' inside quotes do not count against one ';'. */
	c = must_open("quoted", "\"x,y,z\";w\n1;2\n");
	cr_assert_eq(kpi_csv_delimiter(c), ';');
	cr_assert_eq(kpi_csv_column(c, "x,y,z", 1), 0);
	cr_assert_eq(kpi_csv_column(c, "w", 1), 1);
	kpi_csv_close(c);
}

Test(csv, delimiter_tie_is_an_error)
{
	open_fails("tie", S("a,b;c\n1,2;3\n"), KPI_EDATA,
	           "t.csv:1: cannot tell the delimiter: the header has as many "
	           "',' as ';' (add a first line sep=; or sep=,)\n");
}

Test(csv, excel_sep_line)
{
	struct kpi_csv *c = must_open("semi", "sep=;\r\na;b,c\r\n1;2,5\r\n");
	double v = 0;

	cr_assert_eq(kpi_csv_delimiter(c), ';');
	cr_assert_eq(kpi_csv_line(c), 2);
	cr_assert_eq(kpi_csv_ncolumns(c), 2);
	ROW(c, 3, "1", "2,5");
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), 0);
	cr_assert(v == 2.5);
	expect_end(c);
	kpi_csv_close(c);

	/* The hint beats detection (which would have seen a tie). */
	c = must_open("comma", "sep=,\na;b,c\n1;2,3\n");
	cr_assert_eq(kpi_csv_delimiter(c), ',');
	ROW(c, 3, "1;2", "3");
	kpi_csv_close(c);

	c = must_open("tab", "SEP=\t\na\tb\n");
	cr_assert_eq(kpi_csv_delimiter(c), '\t');
	cr_assert_eq(kpi_csv_ncolumns(c), 2);
	kpi_csv_close(c);

	/* Not a hint: a header that starts with "sep=". */
	c = must_open("header", "sep=;x\n1;2\n");
	cr_assert_eq(kpi_csv_line(c), 1);
	cr_assert_eq(kpi_csv_column(c, "sep=", 1), 0);
	kpi_csv_close(c);
	expect_diag("");
}

Test(csv, bad_sep_line)
{
	open_fails("pipe", S("sep=|\na|b\n"), KPI_EDATA,
	           "t.csv:1:5: expected ',', ';' or TAB after sep=\n");
}

Test(csv, sep_line_without_header)
{
	open_fails("sep", S("sep=;"), KPI_EDATA,
	           "t.csv:2: expected a header, found end of file\n");
}

/* ---- encodings ---- */

Test(csv, utf8_bom_stripped_at_start)
{
	struct kpi_csv *c = must_open("bom", "\xEF\xBB\xBF" "a,b\n1,x\n");
	double v;

	cr_assert_eq(kpi_csv_column(c, "a", 1), 0);
	ROW(c, 2, "1", "x");
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), KPI_EDATA);
	expect_diag("t.csv:2:3: expected a number, found 'x'\n");
	kpi_csv_close(c);
}

Test(csv, bom_not_counted_in_columns)
{
	open_fails("dup", S("\xEF\xBB\xBF" "a,A\n"), KPI_EDATA,
	           "t.csv:1:3: duplicate column: 'a' (column 1) and 'A' "
	           "(column 2)\n");
}

Test(csv, bom_elsewhere_is_an_error)
{
	next_fails("mid", S("a,b\n1,\xEF\xBB\xBFx\n"),
	           "t.csv:2:3: byte-order mark (U+FEFF) after the start of the "
	           "file\n");
}

Test(csv, second_bom_is_an_error)
{
	open_fails("twice", S("\xEF\xBB\xBF\xEF\xBB\xBF" "a\n"), KPI_EDATA,
	           "t.csv:1:1: byte-order mark (U+FEFF) after the start of "
	           "the file\n");
}

Test(csv, bom_only_file_is_empty)
{
	open_fails("bomonly", S("\xEF\xBB\xBF"), KPI_EDATA,
	           "t.csv:1: file is empty, expected a header\n");
}

Test(csv, utf16_rejected)
{
	struct kpi_csv *c = (struct kpi_csv *)1;

	cr_assert_eq(kpi_csv_open(FIXTURES "utf16le.csv", "utf16le.csv", NULL,
	                          NULL, &c), KPI_EDATA);
	cr_assert_null(c);
	expect_diag("utf16le.csv:1: UTF-16 not supported, export as "
	            "\"CSV UTF-8\"\n");
}

Test(csv, utf16_big_endian_rejected)
{
	open_fails("be", S("\xFE\xFF\0a\0\n"), KPI_EDATA,
	           "t.csv:1: UTF-16 not supported, export as \"CSV UTF-8\"\n");
}

Test(csv, windows1252_rejected)
{
	struct kpi_csv *c = NULL;

	cr_assert_eq(kpi_csv_open(FIXTURES "windows1252.csv", "windows1252.csv",
	                          NULL, NULL, &c), 0);
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag("windows1252.csv:2:2: invalid UTF-8 byte 0xE5 (file saved "
	            "as ANSI/Windows-1252?)\n");
	kpi_csv_close(c);
}

Test(csv, windows1252_in_header)
{
	open_fails("hdr", S("M\xE5nad;antal\n"), KPI_EDATA,
	           "t.csv:1:2: invalid UTF-8 byte 0xE5 (file saved as "
	           "ANSI/Windows-1252?)\n");
}

Test(csv, overlong_utf8)
{
	next_fails("c0", S("a\nx\xC0\xAF\n"),
	           "t.csv:2:2: invalid UTF-8 byte 0xC0 (overlong encoding)\n");
}

Test(csv, overlong_three_bytes)
{
	next_fails("e0", S("a\n\xE0\x80\x80\n"),
	           "t.csv:2:1: invalid UTF-8 byte 0xE0 (overlong encoding)\n");
}

Test(csv, surrogate_utf8)
{
	next_fails("ed", S("a\n\xED\xA0\x80\n"),
	           "t.csv:2:1: invalid UTF-8 byte 0xED (UTF-16 surrogate)\n");
}

Test(csv, beyond_unicode)
{
	next_fails("f4", S("a\n\xF4\x90\x80\x80\n"),
	           "t.csv:2:1: invalid UTF-8 byte 0xF4 (beyond U+10FFFF)\n");
}

Test(csv, stray_continuation_and_bad_leads)
{
	next_fails("cont", S("a\nab\x80\n"),
	           "t.csv:2:3: invalid UTF-8 byte 0x80 (file saved as "
	           "ANSI/Windows-1252?)\n");
}

Test(csv, lead_without_continuation)
{
	next_fails("c3", S("a\n\xC3(\n"),
	           "t.csv:2:1: invalid UTF-8 byte 0xC3 (file saved as "
	           "ANSI/Windows-1252?)\n");
}

Test(csv, truncated_utf8_at_eof)
{
	next_fails("cut", S("a\nx\xE2\x82"),
	           "t.csv:2:2: invalid UTF-8 byte 0xE2 (sequence cut off at end "
	           "of file)\n");
}

Test(csv, invalid_utf8_inside_quotes)
{
	next_fails("quoted", S("a\n\"ok\n\xE5\"\n"),
	           "t.csv:3:1: invalid UTF-8 byte 0xE5 (file saved as "
	           "ANSI/Windows-1252?)\n");
}

Test(csv, columns_count_characters)
{
	/* a-umlaut (2 bytes), euro (3), G clef (4): three characters. */
	struct kpi_csv *c = must_open("wide", "a,b\n\xC3\xA4\xE2\x82\xAC"
	                              "\xF0\x9D\x84\x9E,x\n");
	double v;

	ROW(c, 2, "\xC3\xA4\xE2\x82\xAC\xF0\x9D\x84\x9E", "x");
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), KPI_EDATA);
	expect_diag("t.csv:2:5: expected a number, found 'x'\n");
	kpi_csv_close(c);
}

/* ---- line endings, blank lines ---- */

Test(csv, crlf_lf_and_mixed)
{
	struct kpi_csv *c = must_open("mixed", "a,b\r\n1,2\n3,4\r\n5,6");

	ROW(c, 2, "1", "2");
	ROW(c, 3, "3", "4");
	ROW(c, 4, "5", "6");
	expect_end(c);
	kpi_csv_close(c);
}

Test(csv, lone_cr_in_header)
{
	open_fails("hdr", S("a,b\r1,2\n"), KPI_EDATA,
	           "t.csv:1:4: carriage return without line feed (expected LF "
	           "or CRLF line endings)\n");
}

Test(csv, lone_cr_in_row)
{
	next_fails("row", S("a,b\n1\r,2\n"),
	           "t.csv:2:2: carriage return without line feed (expected LF "
	           "or CRLF line endings)\n");
}

Test(csv, cr_at_end_of_file)
{
	next_fails("eof", S("a,b\n1,2\r"),
	           "t.csv:2:4: carriage return without line feed (expected LF "
	           "or CRLF line endings)\n");
}

Test(csv, cr_after_closing_quote)
{
	next_fails("quote", S("a,b\n\"1\"\r2,3\n"),
	           "t.csv:2:4: carriage return without line feed (expected LF "
	           "or CRLF line endings)\n");
}

Test(csv, cr_inside_quotes_is_content)
{
	struct kpi_csv *c = must_open("content", "a,b\n\"x\ry\",\"p\r\nq\"\n");

	ROW(c, 2, "x\ry", "p\r\nq");
	expect_end(c);
	kpi_csv_close(c);
}

Test(csv, blank_lines_skipped)
{
	struct kpi_csv *c = must_open("blank",
	                              "\n\na,b\n\n1,2\r\n\r\n3,4\n\n");

	cr_assert_eq(kpi_csv_line(c), 3);
	ROW(c, 5, "1", "2");
	ROW(c, 7, "3", "4");
	expect_end(c);
	cr_assert_eq(kpi_csv_column(c, "c", 1), KPI_EDATA);
	expect_diag("t.csv:3: missing required column 'c'\n");
	kpi_csv_close(c);
}

/* ---- header ---- */

Test(csv, header_matched_by_name)
{
	struct kpi_csv *c = must_open("names", "  Month , PAYSLIPS,extra\n"
	                              "2011-01,5,x\n");

	cr_assert_eq(kpi_csv_column(c, "payslips", 1), 1);
	cr_assert_eq(kpi_csv_column(c, "month", 1), 0);
	cr_assert_eq(kpi_csv_column(c, "MONTH", 1), 0);
	cr_assert_eq(kpi_csv_column(c, "administrator_fte", 0), KPI_ENOTFOUND);
	expect_diag("");
	ROW(c, 2, "2011-01", "5", "x");
	kpi_csv_close(c);
}

Test(csv, missing_required_column)
{
	struct kpi_csv *c = must_open("missing", "month,payslips\n2011-01,5\n");

	cr_assert_eq(kpi_csv_column(c, "administrator_fte", 1), KPI_EDATA);
	expect_diag("t.csv:1: missing required column 'administrator_fte'\n");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	kpi_csv_close(c);
}

Test(csv, only_ascii_spaces_trimmed)
{
	struct kpi_csv *c = must_open("nbsp", "a\xC2\xA0;b\t;c\n1;2;3\n");

	cr_assert_eq(kpi_csv_column(c, "a", 0), KPI_ENOTFOUND);
	cr_assert_eq(kpi_csv_column(c, "a\xC2\xA0", 0), 0);
	cr_assert_eq(kpi_csv_column(c, "b", 0), KPI_ENOTFOUND);
	cr_assert_eq(kpi_csv_column(c, "c", 0), 2);
	kpi_csv_close(c);
}

Test(csv, duplicate_column)
{
	open_fails("dup", S("month,Month\n"), KPI_EDATA,
	           "t.csv:1:7: duplicate column: 'month' (column 1) and "
	           "'Month' (column 2)\n");
}

Test(csv, duplicate_column_after_trimming)
{
	open_fails("trim", S("a, b ,B,b\n"), KPI_EDATA,
	           "t.csv:1:7: duplicate column: 'b' (column 2) and 'B' "
	           "(column 3)\n");
}

Test(csv, first_duplicate_in_file_order)
{
	open_fails("order", S("x,y,z,y,x\n"), KPI_EDATA,
	           "t.csv:1:7: duplicate column: 'y' (column 2) and 'y' "
	           "(column 4)\n");
}

Test(csv, empty_column_names_allowed)
{
	struct kpi_csv *c = must_open("empty", "a,,b,\n1,2,3,4\n");

	cr_assert_eq(kpi_csv_ncolumns(c), 4);
	cr_assert_eq(kpi_csv_column(c, "", 0), KPI_ENOTFOUND);
	cr_assert_eq(kpi_csv_column(c, "b", 1), 2);
	ROW(c, 2, "1", "2", "3", "4");
	kpi_csv_close(c);
}

Test(csv, empty_file)
{
	open_fails("zero", "", 0, KPI_EDATA,
	           "t.csv:1: file is empty, expected a header\n");
}

Test(csv, blank_lines_only)
{
	open_fails("blank", S("\n\r\n"), KPI_EDATA,
	           "t.csv:3: expected a header, found end of file\n");
}

Test(csv, header_only)
{
	struct kpi_csv *c = must_open("nl", "a,b\n");

	expect_end(c);
	kpi_csv_close(c);
	c = must_open("nonl", "a,b");
	cr_assert_eq(kpi_csv_ncolumns(c), 2);
	expect_end(c);
	kpi_csv_close(c);
	c = must_open("blank", "a,b\r\n\r\n\n");
	expect_end(c);
	kpi_csv_close(c);
	expect_diag("");
}

/* ---- records ---- */

Test(csv, ragged_row_too_few)
{
	struct kpi_csv *c = must_open("few", "a,b,c,d,e,f,g\n1,2,3,4,5,6,7\n"
	                              "1,2,3,4,5,6\n");

	ROW(c, 2, "1", "2", "3", "4", "5", "6", "7");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag("t.csv:3: expected 7 fields, found 6\n");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	cr_assert_null(kpi_csv_field(c, 0, NULL));
	expect_diag("t.csv:3: expected 7 fields, found 6\n");
	kpi_csv_close(c);
}

Test(csv, ragged_row_too_many)
{
	next_fails("many", S("a,b\n1,2,3\n"),
	           "t.csv:2: expected 2 fields, found 3\n");
}

Test(csv, excel_trailing_delimiter)
{
	next_fails("trail", S("a;b\n1;2;\n"),
	           "t.csv:2: expected 2 fields, found 3\n");
}

Test(csv, ragged_fixture)
{
	struct kpi_csv *c = NULL;

	cr_assert_eq(kpi_csv_open(FIXTURES "ragged.csv", "ragged.csv",
	                          "payroll", NULL, &c), 0);
	ROW(c, 2, "2011-01", "1200", "900", "3");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag("payroll: ragged.csv:3: expected 4 fields, found 3\n");
	kpi_csv_close(c);
}

Test(csv, row_of_delimiters_is_a_record)
{
	struct kpi_csv *c = must_open("empty", "a;b;c\n;;\n");

	ROW(c, 2, "", "", "");
	expect_end(c);
	kpi_csv_close(c);
}

/* ---- quoting ---- */

Test(csv, rfc4180_quoting)
{
	struct kpi_csv *c = must_open("quotes",
	                              "name;note\n\"Smith; J\";\"say \"\"hi\"\"\"\n"
	                              "\"\";\"\"\"\"\n");

	ROW(c, 2, "Smith; J", "say \"hi\"");
	ROW(c, 3, "", "\"");
	expect_end(c);
	kpi_csv_close(c);
}

Test(csv, multiline_fields_and_line_numbers)
{
	struct kpi_csv *c = NULL;
	double v = 0;

	cr_assert_eq(kpi_csv_open(FIXTURES "multiline.csv", "multiline.csv",
	                          NULL, NULL, &c), 0);
	ROW(c, 2, "2011-03-01 08:00:12", "vaxel", "answered", "12",
	    "first line\nsecond line");
	ROW(c, 4, "2011-03-01 08:00:40", "ekonomi, lon", "abandoned", "7", "");
	ROW(c, 5, "2011-03-01 08:01:02", "hr", "answered", "3,5",
	    "a\n\"quoted\"\nnote");
	cr_assert_eq(kpi_csv_number(c, 3, 0, &v), KPI_EDATA);
	expect_diag("multiline.csv:5:33: expected '.' as the decimal separator, "
	            "found '3,5'\n");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	kpi_csv_close(c);
}

Test(csv, positions_after_a_multiline_field)
{
	struct kpi_csv *c = must_open("pos", "a,b,c\n\"x\ny\",\xC3\xA9,z\n"
	                              "1,2\n");

	ROW(c, 2, "x\ny", "\xC3\xA9", "z");
	cr_assert_eq(kpi_csv_error(c, 2, "unknown code '%s'", "z"), KPI_EDATA);
	cr_assert_eq(kpi_csv_error(c, 1, "bad"), KPI_EDATA);
	cr_assert_eq(kpi_csv_error(c, 0, "first"), KPI_EDATA);
	cr_assert_eq(kpi_csv_error(c, -1, "whole row"), KPI_EDATA);
	expect_diag("t.csv:3:6: unknown code 'z'\n"
	            "t.csv:3:4: bad\n"
	            "t.csv:2:1: first\n"
	            "t.csv:2: whole row\n");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	kpi_csv_close(c);
}

Test(csv, ragged_row_after_multiline_field)
{
	struct kpi_csv *c = must_open("ragged", "a,b\n\"1\n2\n3\",4\n5\n");

	ROW(c, 2, "1\n2\n3", "4");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag("t.csv:5: expected 2 fields, found 1\n");
	kpi_csv_close(c);
}

Test(csv, unterminated_quote)
{
	next_fails("eof", S("a,b\n1,\"abc\n2,3\n"),
	           "t.csv:2:3: unterminated quoted field\n");
}

Test(csv, unterminated_quote_in_header)
{
	open_fails("hdr", S("\"a,b\n"), KPI_EDATA,
	           "t.csv:1:1: unterminated quoted field\n");
}

Test(csv, bare_quote)
{
	next_fails("bare", S("a,b\n1,ab\"c\n"),
	           "t.csv:2:5: unexpected '\"' in an unquoted field (quote the "
	           "whole field and double the '\"')\n");
}

Test(csv, space_before_quote_is_a_bare_quote)
{
	next_fails("space", S("a,b\n1, \"x\"\n"),
	           "t.csv:2:4: unexpected '\"' in an unquoted field (quote the "
	           "whole field and double the '\"')\n");
}

Test(csv, text_after_closing_quote)
{
	next_fails("after", S("a,b\n1,\"ab\"c\n"),
	           "t.csv:2:7: expected a delimiter or end of line after a "
	           "closing quote\n");
}

Test(csv, space_after_closing_quote)
{
	next_fails("space", S("a,b\n\"x\" ,1\n"),
	           "t.csv:2:4: expected a delimiter or end of line after a "
	           "closing quote\n");
}

/* ---- NUL, limits ---- */

Test(csv, nul_byte)
{
	next_fails("row", S("a,b\n1,x\0y\n"), "t.csv:2:4: NUL byte\n");
}

Test(csv, nul_byte_in_quotes)
{
	next_fails("quoted", S("a\n\"x\0\"\n"), "t.csv:2:3: NUL byte\n");
}

Test(csv, nul_byte_after_closing_quote)
{
	next_fails("after", S("a,b\n\"x\"\0,1\n"), "t.csv:2:4: NUL byte\n");
}

Test(csv, nul_byte_in_header)
{
	open_fails("hdr", S("a\0,b\n"), KPI_EDATA, "t.csv:1:2: NUL byte\n");
}

Test(csv, field_limit)
{
	static const struct kpi_csv_limits lim = { 8, 32 };
	const char *text = "a,b\n12345678,\"abcdefgh\"\n123456789,1\n";
	struct kpi_csv *c = NULL;

	cr_assert_eq(open_bytes("field", text, strlen(text), &lim, &c), 0);
	ROW(c, 2, "12345678", "abcdefgh");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag("t.csv:3:1: field exceeds limit of 8 bytes\n");
	kpi_csv_close(c);
}

Test(csv, record_limit)
{
	static const struct kpi_csv_limits lim = { 8, 32 };
	const char *text = "a,b,c,d\n1234567,1234567,1234567,1234567\n"
	                   "12345678,12345678,12345678,123456\n";
	struct kpi_csv *c = NULL;

	cr_assert_eq(open_bytes("record", text, strlen(text), &lim, &c), 0);
	ROW(c, 2, "1234567", "1234567", "1234567", "1234567");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag("t.csv:3: record exceeds limit of 32 bytes\n");
	kpi_csv_close(c);
}

/* Peak RSS of this worker, bytes. */
static long peak_rss(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss * 1024L;
}

/* Write header + `size` bytes of 'x' without a newline. */
static const char *endless_line(const char *tag, size_t size)
{
	const char *path = tmp_path(tag);
	FILE *f = fopen(path, "wb");
	char chunk[4096];
	size_t i;

	cr_assert(f);
	memset(chunk, 'x', sizeof chunk);
	fputs("a\n", f);
	for (i = 0; i < size; i += sizeof chunk)
		fwrite(chunk, 1, sizeof chunk, f);
	cr_assert_eq(fclose(f), 0);
	return path;
}

Test(csv, endless_line_hits_field_limit)
{
	struct kpi_csv *c = NULL;
	long before = peak_rss();

	cr_assert_eq(kpi_csv_open(endless_line("field", 16 << 20), "t.csv",
	                          NULL, NULL, &c), 0);
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag("t.csv:2:1: field exceeds limit of 65536 bytes\n");
	kpi_csv_close(c);
	cr_assert_lt(peak_rss() - before, 8L << 20);
}

Test(csv, endless_line_hits_record_limit)
{
	static const struct kpi_csv_limits lim = { (size_t)64 << 20, 0 };
	struct kpi_csv *c = NULL;
	long before = peak_rss();

	cr_assert_eq(kpi_csv_open(endless_line("record", 16 << 20), "t.csv",
	                          NULL, &lim, &c), 0);
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag("t.csv:2: record exceeds limit of 1048576 bytes\n");
	kpi_csv_close(c);
	cr_assert_lt(peak_rss() - before, 8L << 20);
}

Test(csv, memory_does_not_grow_with_the_file)
{
	static const char row[] = "2011-03-01 08:00:12,vaxel,answered,12,180\n";
	const char *path = tmp_path("big");
	FILE *f = fopen(path, "wb");
	struct kpi_csv *c = NULL;
	long before, rows = 0, n = 1000000;   /* 42 MB */
	double v, sum = 0;
	int rc, i;

	cr_assert(f);
	fputs("call_start,queue,result,wait_s,talk_s\n", f);
	for (i = 0; i < n; i++)
		fputs(row, f);
	cr_assert_eq(fclose(f), 0);
	before = peak_rss();
	cr_assert_eq(kpi_csv_open(path, NULL, NULL, NULL, &c), 0);
	while ((rc = kpi_csv_next(c)) == 1) {
		cr_assert_eq(kpi_csv_number(c, 3, 0, &v), 0);
		sum += v;
		rows++;
	}
	cr_assert_eq(rc, 0, "%s", diag());
	kpi_csv_close(c);
	cr_assert_eq(rows, n);
	cr_assert(sum == 12.0 * n);
	cr_assert_lt(peak_rss() - before, 8L << 20);
}

/* ---- numbers ---- */

Test(csv, swedish_excel_export)
{
	struct kpi_csv *c = NULL;
	struct kpi_date d;
	double v = 42;

	cr_assert_eq(kpi_csv_open(FIXTURES "swedish_excel.csv",
	                          "swedish_excel.csv", NULL, NULL, &c), 0);
	cr_assert_eq(kpi_csv_delimiter(c), ';');
	cr_assert_eq(kpi_csv_line(c), 2);
	cr_assert_eq(kpi_csv_column(c, "m\xC3\xA5nad", 1), 0);
	cr_assert_eq(kpi_csv_column(c, "kostnad", 1), 1);
	cr_assert_eq(kpi_csv_column(c, "antal", 1), 2);
	cr_assert_eq(kpi_csv_column(c, "kommentar", 1), 3);

	ROW(c, 3, "2011-01", "1\xC2\xA0" "234,50", "12", "");
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), 0);
	cr_assert(v == 1234.5);
	cr_assert_eq(kpi_csv_number(c, 2, KPI_NUM_INTEGER | KPI_NUM_NONNEG,
	                            &v), 0);
	cr_assert(v == 12);

	ROW(c, 4, "2011-02", "\xE2\x88\x92" "250,25", "7", "Rabatt; se avtal");
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), 0);
	cr_assert(v == -250.25);

	ROW(c, 6, "2011-03", "", "3", "Sa \"nej\"");
	v = 42;
	cr_assert_eq(kpi_csv_number(c, 1, KPI_NUM_OPTIONAL, &v), KPI_MISSING);
	cr_assert(v == 42);
	cr_assert_eq(kpi_csv_date(c, 0, KPI_DATE_MONTH, &d), 0);
	cr_assert(d.year == 2011 && d.month == 3 && d.day == 0);
	expect_diag("");
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), KPI_EDATA);
	expect_diag("swedish_excel.csv:6:9: expected a number, found an empty "
	            "field\n");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	kpi_csv_close(c);
}

Test(csv, decimal_comma_only_without_comma_delimiter)
{
	struct kpi_csv *c = must_open("comma", "a,b\n1,\"2,5\"\n");
	double v;

	ROW(c, 2, "1", "2,5");
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), KPI_EDATA);
	expect_diag("t.csv:2:3: expected '.' as the decimal separator, found "
	            "'2,5'\n");
	kpi_csv_close(c);
	c = must_open("tab", "a\tb\n1\t2,5\n");
	ROW(c, 2, "1", "2,5");
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), 0);
	cr_assert(v == 2.5);
	kpi_csv_close(c);
}

/* The number in a ';' file's second column, as "x;<field>". */
static void number_fails(const char *field, const char *want)
{
	char text[256], msg[512];
	struct kpi_csv *c = NULL;
	double v = 42;

	snprintf(text, sizeof text, "x;n\nrow;%s\n", field);
	cr_assert_eq(open_bytes("num", text, strlen(text), NULL, &c), 0);
	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), KPI_EDATA, "'%s'", field);
	cr_assert(v == 42);
	snprintf(msg, sizeof msg, "t.csv:2:5: %s\n", want);
	expect_diag(msg);
	kpi_csv_close(c);
	diag_reset();                   /* the next case starts afresh */
	n_tmp--;
	unlink(tmp_paths[n_tmp]);
}

Test(csv, rejected_number_forms)
{
	number_fails("1.234,56", "expected one decimal separator, not both "
	             "'.' and ',' (group thousands with spaces), found "
	             "'1.234,56'");
	number_fails("1,234.56", "expected one decimal separator, not both "
	             "'.' and ',' (group thousands with spaces), found "
	             "'1,234.56'");
	number_fails("12,3,4", "expected at most one decimal separator (group "
	             "thousands with spaces), found '12,3,4'");
	number_fails(",5", "expected a digit before the decimal separator, "
	             "found ',5'");
	number_fails("5,", "expected digits after the decimal separator, found "
	             "'5,'");
	number_fails("1E+05", "scientific notation (precision lost in Excel?), "
	             "found '1E+05'");
	number_fails("1,23457E+11", "scientific notation (precision lost in "
	             "Excel?), found '1,23457E+11'");
	number_fails("12 %", "expected a number, with nothing after it, found "
	             "'12 %'");
	number_fails("1 234 kr", "expected a number, with nothing after it, "
	             "found '1 234 kr'");
	number_fails("1 23", "thousands groups must have 3 digits, found "
	             "'1 23'");
	number_fails("(123)", "expected a number (write a negative number as "
	             "-123, not (123)), found '(123)'");
	number_fails("nan", "expected a number (inf and nan are not numbers), "
	             "found 'nan'");
	number_fails("inf", "expected a number (inf and nan are not numbers), "
	             "found 'inf'");
	number_fails("0x1p3", "expected a decimal number (hexadecimal is not "
	             "allowed), found '0x1p3'");
}

Test(csv, excel_error_values)
{
	static const char *const errors[] = {
		"#SAKNAS!", "#V\xC3\x84RDEFEL!", "#DIVISION/0!", "#REFERENS!",
		"#N/A", "#VALUE!", "#DIV/0!", "#REF!", "#NAME?", "#NUM!",
		"#NULL!", "#NAMN?",
	};
	char msg[128];
	size_t i;

	for (i = 0; i < sizeof errors / sizeof *errors; i++) {
		snprintf(msg, sizeof msg, "cell contains Excel error %s",
		         errors[i]);
		number_fails(errors[i], msg);
	}
	number_fails(" #DIV/0! ", "cell contains Excel error #DIV/0!");
}

Test(csv, excel_error_in_date_column)
{
	struct kpi_csv *c = must_open("date", "d;n\n#SAKNAS!;1\n");
	struct kpi_date d;

	ROW(c, 2, "#SAKNAS!", "1");
	cr_assert_eq(kpi_csv_date(c, 0, 0, &d), KPI_EDATA);
	expect_diag("t.csv:2:1: cell contains Excel error #SAKNAS!\n");
	kpi_csv_close(c);
}

Test(csv, empty_numeric_cells)
{
	struct kpi_csv *c = must_open("empty", "a;n;m\nx;;  \n");
	double v = 42;

	ROW(c, 2, "x", "", "  ");
	cr_assert_eq(kpi_csv_number(c, 1, KPI_NUM_OPTIONAL, &v), KPI_MISSING);
	cr_assert_eq(kpi_csv_number(c, 2, KPI_NUM_OPTIONAL, &v), KPI_MISSING);
	cr_assert(v == 42);
	expect_diag("");
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), KPI_EDATA);
	cr_assert_eq(kpi_csv_number(c, 2, KPI_NUM_NONNEG, &v), KPI_EDATA);
	expect_diag("t.csv:2:3: expected a number, found an empty field\n"
	            "t.csv:2:4: expected a number, found an empty field\n");
	cr_assert(v == 42);
	kpi_csv_close(c);
}

Test(csv, number_flags)
{
	struct kpi_csv *c = must_open("flags", "a;b;c;d\n-5;2,5;3,0;"
	                              "\xE2\x88\x92" "0\n");
	double v = 42;

	ROW(c, 2, "-5", "2,5", "3,0", "\xE2\x88\x92" "0");
	cr_assert_eq(kpi_csv_number(c, 0, 0, &v), 0);
	cr_assert(v == -5);
	cr_assert_eq(kpi_csv_number(c, 2, KPI_NUM_INTEGER, &v), 0);
	cr_assert(v == 3);
	cr_assert_eq(kpi_csv_number(c, 3, KPI_NUM_NONNEG, &v), 0);
	cr_assert(v == 0);
	expect_diag("");
	v = 42;
	cr_assert_eq(kpi_csv_number(c, 0, KPI_NUM_NONNEG, &v), KPI_EDATA);
	cr_assert_eq(kpi_csv_number(c, 1, KPI_NUM_INTEGER, &v), KPI_EDATA);
	cr_assert(v == 42);
	expect_diag("t.csv:2:1: expected a number that is not negative, found "
	            "'-5'\n"
	            "t.csv:2:4: expected a whole number, found '2,5'\n");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	kpi_csv_close(c);
}

Test(csv, long_field_shortened_in_message)
{
	struct kpi_csv *c = must_open("long", "a\n"
	                              "abcdefghijabcdefghijabcdefghijabcdefghij"
	                              "abcdefghijabcdefghij\n");
	double v;

	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_eq(kpi_csv_number(c, 0, 0, &v), KPI_EDATA);
	expect_diag("t.csv:2:1: expected a number, found "
	            "'abcdefghijabcdefghijabcdefghijabcdefg...'\n");
	kpi_csv_close(c);
}

Test(csv, control_characters_escaped_in_message)
{
	struct kpi_csv *c = must_open("ctl", "a\n\"1\n2\"\n");
	double v;

	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_eq(kpi_csv_number(c, 0, 0, &v), KPI_EDATA);
	expect_diag("t.csv:2:1: expected a number, with nothing after it, "
	            "found '1\\n2'\n");
	kpi_csv_close(c);
}

Test(csv, forty_characters_shown_whole)
{
	/* 40 a-umlauts: 80 bytes, 40 characters. */
	char text[256] = "a\n", want[256];
	struct kpi_csv *c;
	double v;
	int i;

	for (i = 0; i < 40; i++)
		memcpy(text + 2 + 2 * i, "\xC3\xA4", 2);
	memcpy(text + 82, "\n", 2);
	c = must_open("forty", text);
	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_eq(kpi_csv_number(c, 0, 0, &v), KPI_EDATA);
	snprintf(want, sizeof want, "t.csv:2:1: expected a number, found "
	         "'%.80s'\n", text + 2);
	expect_diag(want);
	kpi_csv_close(c);
}

/* ---- dates ---- */

Test(csv, date_forms)
{
	struct kpi_csv *c = must_open("dates", "a;b;c;d;e\n2011-03-31;"
	                              "2011-03-31 00:00;31/03/2011;2011-02-30;\n");
	struct kpi_date d;

	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_eq(kpi_csv_date(c, 0, 0, &d), 0);
	cr_assert(d.year == 2011 && d.month == 3 && d.day == 31);
	cr_assert_eq(kpi_csv_date(c, 1, KPI_DATE_TIME, &d), 0);
	cr_assert(d.year == 2011 && d.month == 3 && d.day == 31 &&
	          d.hour == 0 && d.min == 0 && d.sec == 0);
	d.year = 7;
	cr_assert_eq(kpi_csv_date(c, 4, KPI_DATE_OPTIONAL, &d), KPI_MISSING);
	cr_assert_eq(d.year, 7);
	expect_diag("");
	cr_assert_eq(kpi_csv_date(c, 1, 0, &d), KPI_EDATA);
	cr_assert_eq(kpi_csv_date(c, 2, 0, &d), KPI_EDATA);
	cr_assert_eq(kpi_csv_date(c, 3, 0, &d), KPI_EDATA);
	cr_assert_eq(kpi_csv_date(c, 4, 0, &d), KPI_EDATA);
	expect_diag("t.csv:2:12: expected a date YYYY-MM-DD, found "
	            "'2011-03-31 00:00'\n"
	            "t.csv:2:29: expected a date YYYY-MM-DD, found "
	            "'31/03/2011'\n"
	            "t.csv:2:40: expected a day that exists in that month, "
	            "found '2011-02-30'\n"
	            "t.csv:2:51: expected a date, found an empty field\n");
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	kpi_csv_close(c);
}

/* ---- files that are not regular files ---- */

Test(csv, missing_file)
{
	struct kpi_csv *c = (struct kpi_csv *)1;

	cr_assert_eq(kpi_csv_open("/nonexistent/dir/payroll.csv", "payroll.csv",
	                          "payroll", NULL, &c), KPI_EIO);
	cr_assert_null(c);
	expect_diag("payroll: payroll.csv: cannot open: No such file or "
	            "directory\n");
}

Test(csv, directory_rejected)
{
	const char *dir = tmp_path("dir");
	struct kpi_csv *c = (struct kpi_csv *)1;
	char want[600];

	cr_assert_eq(mkdir(dir, 0700), 0);
	cr_assert_eq(kpi_csv_open(dir, NULL, NULL, NULL, &c), KPI_EIO);
	cr_assert_null(c);
	snprintf(want, sizeof want,
	         "%s: expected a regular file, found a directory\n", dir);
	expect_diag(want);
}

Test(csv, fifo_rejected_without_blocking)
{
	const char *fifo = tmp_path("fifo");
	struct kpi_csv *c = (struct kpi_csv *)1;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_assert_eq(kpi_csv_open(fifo, "calls.csv", NULL, NULL, &c), KPI_EIO);
	cr_assert_null(c);
	expect_diag("calls.csv: expected a regular file, found a FIFO\n");
}

Test(csv, dev_zero_rejected)
{
	struct kpi_csv *c = (struct kpi_csv *)1;

	cr_assert_eq(kpi_csv_open("/dev/zero", NULL, NULL, NULL, &c), KPI_EIO);
	cr_assert_null(c);
	expect_diag("/dev/zero: expected a regular file, found a character "
	            "device\n");
}

Test(csv, file_changed_while_reading)
{
	static const struct kpi_csv_limits lim = { 0, 64 };  /* 64-byte reads */
	const char *path = tmp_path("grow");
	FILE *f = fopen(path, "wb");
	struct kpi_csv *c = NULL;
	int i, rc, rows = 0;

	cr_assert(f);
	fputs("a,b\n", f);
	for (i = 0; i < 100; i++)
		fputs("1,2\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(kpi_csv_open(path, "t.csv", NULL, &lim, &c), 0);
	f = fopen(path, "ab");
	cr_assert(f);
	fputs("3,4\n", f);
	cr_assert_eq(fclose(f), 0);
	while ((rc = kpi_csv_next(c)) == 1)
		rows++;
	cr_assert_eq(rc, KPI_EIO);
	cr_assert_eq(rows, 101);
	expect_diag("t.csv: file changed while it was being read\n");
	kpi_csv_close(c);
}

/* ---- API edges ---- */

Test(csv, misuse_is_reported)
{
	struct kpi_csv *c = must_open("misuse", "a,b\n1,2\n");
	size_t len = 9;
	double v;

	cr_assert_null(kpi_csv_field(c, 0, &len));      /* no row yet */
	cr_assert_eq(len, 0);
	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_null(kpi_csv_field(c, 2, NULL));
	cr_assert_null(kpi_csv_field(c, -7, NULL));
	cr_assert_eq(kpi_csv_number(c, 5, 0, &v), KPI_EINVAL);
	expect_diag("t.csv:2: column index 5 out of range 0..1\n");
	cr_assert_eq(kpi_csv_column(NULL, "a", 1), KPI_EINVAL);
	cr_assert_eq(kpi_csv_next(NULL), KPI_EINVAL);
	kpi_csv_close(c);
	kpi_csv_close(NULL);
}

Test(csv, who_prefixes_every_message)
{
	const char *text = "a,b\n1\n";
	struct kpi_csv *c = NULL;

	cr_assert_eq(kpi_csv_open(tmp_file("who", text, strlen(text)),
	                          "data/calls.csv", "switchboard", NULL, &c), 0);
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	expect_diag("switchboard: data/calls.csv:2: expected 2 fields, found "
	            "1\n");
	kpi_csv_close(c);
}

/* ---- block boundaries ---- */

#define GEN_ROWS 400
#define GEN_COLS 4

/* Field (r, c) of a generated table mixing every construct. */
static void gen_field(int r, int c, char *out, size_t size)
{
	switch ((r * 7 + c * 3) % 10) {
	case 0: snprintf(out, size, "%d", r * 31 + c); break;
	case 1: out[0] = '\0'; break;
	case 2: snprintf(out, size, "q\"%d\"\"x", r); break;
	case 3: snprintf(out, size, "l%d\nnext", r); break;
	case 4: snprintf(out, size, "v\xC3\xA4xel-%d", c); break;
	case 5: snprintf(out, size, "a;b,%d", r); break;
	case 6: snprintf(out, size, "\xE2\x82\xAC%d\r\nz", r); break;
	case 7: snprintf(out, size, "\xF0\x9D\x84\x9E%d", r); break;
	case 8: snprintf(out, size, "%.*s", 1 + r % 12, "abcdefghijkl"); break;
	default: snprintf(out, size, "\"\""); break;
	}
}

/* Write the generated table; lines[r] gets the line each row starts on,
 * lines[GEN_ROWS] the line of the bare quote in the last, broken record.
 * Returns the longest record in bytes. */
static size_t gen_file(FILE *f, long *lines)
{
	char field[64];
	long line = 2;
	size_t longest = 0;
	int r, c;

	fputs("c0;c1;c2;c3\n", f);
	for (r = 0; r < GEN_ROWS; r++) {
		size_t len = 0;

		if (r % 13 == 5) {
			fputs(r % 2 ? "\r\n" : "\n", f);
			line++;
		}
		lines[r] = line;
		for (c = 0; c < GEN_COLS; c++) {
			const char *s;

			gen_field(r, c, field, sizeof field);
			if (c > 0) {
				fputc(';', f);
				len++;
			}
			if (strpbrk(field, ";\"\r\n") == NULL) {
				fputs(field, f);
				len += strlen(field);
				continue;
			}
			fputc('"', f);
			for (s = field; *s; s++) {
				if (*s == '"') {
					fputc('"', f);
					len++;
				}
				if (*s == '\n')
					line++;
				fputc(*s, f);
			}
			fputc('"', f);
			len += strlen(field) + 2;
		}
		fputs(r % 3 ? "\n" : "\r\n", f);
		line++;
		if (len > longest)
			longest = len;
	}
	/* The bare quote is character 7 of the second physical line. */
	fputs("\xC3\xA4\xE2\x82\xAC;\"p\nq\xF0\x9D\x84\x9E\";r\xC3\xA4\"s;x\n", f);
	lines[GEN_ROWS] = line + 1;
	return longest;
}


static void read_generated(const char *path, const struct kpi_csv_limits *lim,
                           const long *lines)
{
	struct kpi_csv *c = NULL;
	char want[128];
	int r, i;

	diag_reset();
	cr_assert_eq(kpi_csv_open(path, "gen.csv", NULL, lim, &c), 0, "%s",
	             diag());
	for (r = 0; r < GEN_ROWS; r++) {
		cr_assert_eq(kpi_csv_next(c), 1, "row %d, record limit %zu: %s",
		             r, lim ? lim->max_record : 0, diag());
		cr_assert_eq(kpi_csv_line(c), lines[r], "row %d", r);
		for (i = 0; i < GEN_COLS; i++) {
			size_t len;
			const char *s = kpi_csv_field(c, i, &len);

			gen_field(r, i, want, sizeof want);
			cr_assert_str_eq(s, want, "row %d col %d limit %zu", r,
			                 i, lim ? lim->max_record : 0);
			cr_assert_eq(len, strlen(want));
		}
	}
	cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
	snprintf(want, sizeof want, "gen.csv:%ld:7: unexpected '\"' in an "
	         "unquoted field (quote the whole field and double the "
	         "'\"')\n", lines[GEN_ROWS]);
	cr_assert_str_eq(diag(), want, "record limit %zu",
	                 lim ? lim->max_record : 0);
	kpi_csv_close(c);
}

Test(csv, every_block_boundary)
{
	const char *path = tmp_path("gen");
	FILE *f = fopen(path, "wb");
	static long lines[GEN_ROWS + 1];
	struct kpi_csv_limits lim = { 0, 0 };
	size_t longest;

	cr_assert(f);
	longest = gen_file(f, lines);
	cr_assert_eq(fclose(f), 0);
	cr_assert_lt(longest, 80);
	read_generated(path, NULL, lines);
	/* Reads of max_record bytes: boundaries fall everywhere. */
	for (lim.max_record = 80; lim.max_record < 240; lim.max_record++)
		read_generated(path, &lim, lines);
}

/* Open `pad` blank lines, a header and `row`, read with 80-byte reads, so
 * that as pad grows every byte of row is once the last one read. */
static struct kpi_csv *open_padded(int pad, const char *row)
{
	static const struct kpi_csv_limits lim = { 0, 80 };
	static char text[512];
	struct kpi_csv *c = NULL;
	size_t n = 0;

	memset(text, '\n', (size_t)pad);
	n = (size_t)pad;
	memcpy(text + n, "a;b;c\n", 6);
	n += 6;
	memcpy(text + n, row, strlen(row));
	n += strlen(row);
	diag_reset();
	if (n_tmp > 0)
		unlink(tmp_paths[--n_tmp]);
	cr_assert_eq(open_bytes("pad", text, n, &lim, &c), 0, "%s", diag());
	return c;
}

Test(csv, error_positions_at_every_read_boundary)
{
	char want[256];
	double v;
	int pad;

	for (pad = 0; pad < 170; pad++) {
		/* A bare quote after a multi-line field and 4-byte UTF-8. */
		struct kpi_csv *c = open_padded(pad, "\xC3\xA4\xE2\x82\xAC;\"p\nq"
		                                "\xF0\x9D\x84\x9E\";r\xC3\xA4\"s\n");

		cr_assert_eq(kpi_csv_next(c), KPI_EDATA);
		snprintf(want, sizeof want, "t.csv:%d:7: unexpected '\"' in an "
		         "unquoted field (quote the whole field and double the "
		         "'\"')\n", pad + 3);
		cr_assert_str_eq(diag(), want, "pad %d", pad);
		kpi_csv_close(c);

		/* The same row, valid: a field's own column. */
		c = open_padded(pad, "\xC3\xA4\xE2\x82\xAC;\"p\nq\xF0\x9D\x84\x9E"
		                "\";r\xC3\xA4\r\n");
		cr_assert_eq(kpi_csv_next(c), 1, "pad %d: %s", pad, diag());
		cr_assert_eq(kpi_csv_line(c), pad + 2);
		cr_assert_str_eq(kpi_csv_field(c, 1, NULL),
		                 "p\nq\xF0\x9D\x84\x9E");
		cr_assert_eq(kpi_csv_number(c, 2, 0, &v), KPI_EDATA);
		snprintf(want, sizeof want, "t.csv:%d:5: expected a number, "
		         "found 'r\xC3\xA4'\n", pad + 3);
		cr_assert_str_eq(diag(), want, "pad %d", pad);
		kpi_csv_close(c);
	}
}

/* ---- decimal marks in ';' and TAB files (docs/config.md decimal_mark) ---- */

/* Open "x<delim>n\nrow<delim><field>\n" with decimal mark `mark`, read the
 * number in column 2: returns the code and the value in *v. */
static int mark_number(char delim, int mark, const char *field, double *v)
{
	char text[256];
	struct kpi_csv *c = NULL;
	int rc;

	snprintf(text, sizeof text, "x%cn\nrow%c%s\n", delim, delim, field);
	cr_assert_eq(open_bytes("mark", text, strlen(text), NULL, &c), 0);
	kpi_csv_set_decimal_mark(c, mark);
	cr_assert_eq(kpi_csv_next(c), 1);
	rc = kpi_csv_number(c, 1, 0, v);
	kpi_csv_close(c);
	n_tmp--;                        /* one temporary file at a time */
	unlink(tmp_paths[n_tmp]);
	return rc;
}

Test(csv, ambiguous_decimal_mark_is_a_data_error)
{
	static const char want[] = "t.csv:2:5: expected a number whose "
		"decimal mark is certain: a thousands separator or a decimal "
		"mark? (say which with decimal_mark = comma or point in the "
		"config), found '%s'\n";
	static const char *const fields[] = { "1,234", "1.234", "-12,500",
	                                      "250.000" };
	char msg[512];
	double v = 42;

	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		cr_assert_eq(mark_number(';', KPI_CSV_DECIMAL_EITHER, fields[i],
		                         &v), KPI_EDATA, "%s", fields[i]);
		snprintf(msg, sizeof msg, want, fields[i]);
		expect_diag(msg);
		diag_reset();
		cr_assert_eq(mark_number('\t', KPI_CSV_DECIMAL_EITHER,
		                         fields[i], &v), KPI_EDATA);
		expect_diag(msg);
		diag_reset();
	}
	cr_assert(v == 42);
	/* not ambiguous: read as before */
	cr_assert_eq(mark_number(';', KPI_CSV_DECIMAL_EITHER, "0,125", &v), 0);
	cr_assert(v == 0.125);
	cr_assert_eq(mark_number(';', KPI_CSV_DECIMAL_EITHER, "1 234,5", &v),
	             0);
	cr_assert(v == 1234.5);
	cr_assert_eq(mark_number(';', KPI_CSV_DECIMAL_EITHER, "12,25", &v), 0);
	cr_assert(v == 12.25);
	cr_assert_eq(mark_number(';', KPI_CSV_DECIMAL_EITHER, "4.5", &v), 0);
	cr_assert(v == 4.5);
	/* a ',' file has only '.': 1.234 is one and a quarter-ish */
	cr_assert_eq(mark_number(',', KPI_CSV_DECIMAL_EITHER, "1.234", &v), 0);
	cr_assert(v == 1.234);
	expect_diag("");
}

Test(csv, decimal_mark_from_the_config_says_which)
{
	double v = 0;

	cr_assert_eq(mark_number(';', KPI_CSV_DECIMAL_COMMA, "1,234", &v), 0);
	cr_assert(v == 1.234);
	cr_assert_eq(mark_number(';', KPI_CSV_DECIMAL_COMMA, "1.234", &v),
	             KPI_EDATA);
	expect_diag("t.csv:2:5: expected ',' as the decimal separator, found "
	            "'1.234'\n");
	diag_reset();
	cr_assert_eq(mark_number('\t', KPI_CSV_DECIMAL_POINT, "1.234", &v), 0);
	cr_assert(v == 1.234);
	cr_assert_eq(mark_number(';', KPI_CSV_DECIMAL_POINT, "1,234", &v),
	             KPI_EDATA);
	expect_diag("t.csv:2:5: expected '.' as the decimal separator, found "
	            "'1,234'\n");
}

/* The rows a result claims (host.c's window): rows since the last claim,
 * counted outside when the result was dropped.  By hand: rows 1-2 claimed
 * outside (2), row 3 inside, rows 4-5 outside (4; the second claim of row
 * 5 adds nothing), a claim before any new row adds nothing. */
Test(csv, claims_rows_since_the_last_result)
{
	struct kpi_csv *c = must_open("claim", "a\n1\n2\n3\n4\n5\n");
	unsigned long long outside = 99;

	cr_assert_eq(kpi_csv_rows(c, &outside), 0);
	cr_assert_eq(outside, 0);
	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_eq(kpi_csv_next(c), 1);
	kpi_csv_claim_rows(c, 1);
	cr_assert_eq(kpi_csv_next(c), 1);
	kpi_csv_claim_rows(c, 0);
	kpi_csv_claim_rows(c, 1);
	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_eq(kpi_csv_next(c), 1);
	kpi_csv_claim_rows(c, 1);
	kpi_csv_claim_rows(c, 1);
	cr_assert_eq(kpi_csv_next(c), 0);
	cr_assert_eq(kpi_csv_rows(c, &outside), 5);
	cr_assert_eq(outside, 4);
	kpi_csv_claim_rows(NULL, 1);
	cr_assert_eq(kpi_csv_rows(NULL, &outside), 0);
	kpi_csv_close(c);
}
