/*
 * test_source.c - gzip exports through the CSV reader (source.c): the
 * same rows as the plain file, several members, positions of errors in
 * the decompressed text, and a truncated or corrupt file as a clear
 * error naming the file.  The .gz files are written here with zlib's
 * gzip writer (a second implementation of the format, gzwrite).
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "csv.h"
#include "diag.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LEAK_CHECK() do { \
	if (__lsan_do_recoverable_leak_check()) \
		abort(); \
} while (0)
#else
#define LEAK_CHECK() ((void)0)
#endif

static char *diag_buf;
static size_t diag_len;
static FILE *diag_stream;
static char path[256];

static void setup(void)
{
	diag_stream = open_memstream(&diag_buf, &diag_len);
	cr_assert(diag_stream);
	kpi_diag_set_stream(diag_stream);
	snprintf(path, sizeof path, "/tmp/kpi-source-%ld.csv.gz",
	         (long)getpid());
}

static void teardown(void)
{
	kpi_diag_set_stream(NULL);
	fclose(diag_stream);
	free(diag_buf);
	unlink(path);
	LEAK_CHECK();
}

TestSuite(source, .init = setup, .fini = teardown, .timeout = 60);

static const char *diag(void)
{
	fflush(diag_stream);
	return diag_buf ? diag_buf : "";
}

/* Append text as one gzip member to path ("ab" mode: a second call
 * makes a second member). */
static void gz_member(const char *text, const char *mode)
{
	gzFile g = gzopen(path, mode);

	cr_assert(g);
	cr_assert_eq(gzwrite(g, text, (unsigned)strlen(text)),
	             (int)strlen(text));
	cr_assert_eq(gzclose(g), Z_OK);
}

/* Sum the column "n" over the file's rows; the rows in *rows. */
static double sum_n(long *rows)
{
	struct kpi_csv *c;
	double sum = 0, v;
	int col, rc;

	cr_assert_eq(kpi_csv_open(path, NULL, NULL, NULL, &c), 0, "%s", diag());
	col = kpi_csv_column(c, "n", 1);
	cr_assert_geq(col, 0);
	*rows = 0;
	while ((rc = kpi_csv_next(c)) == 1) {
		cr_assert_eq(kpi_csv_number(c, col, 0, &v), 0, "%s", diag());
		sum += v;
		(*rows)++;
	}
	cr_assert_eq(rc, 0, "%s", diag());
	kpi_csv_close(c);
	return sum;
}

Test(source, gzip_file_reads_as_its_text)
{
	long rows;

	/* 1 + 2 + 3.5 = 6.5 over three rows */
	gz_member("month,n\n2011-01,1\n2011-02,2\n2011-03,3.5\n", "wb");
	cr_assert_float_eq(sum_n(&rows), 6.5, 1e-12);
	cr_assert_eq(rows, 3);
}

/* Append printf-style text at buf[*n] (cap bytes in all); the test
 * fails if it does not fit. */
static void appendf(char *buf, size_t cap, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void appendf(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	cr_assert(*n < cap);
	va_start(ap, fmt);
	w = vsnprintf(buf + *n, cap - *n, fmt, ap);
	va_end(ap);
	cr_assert(w >= 0 && (size_t)w < cap - *n, "text buffer too small");
	*n += (size_t)w;
}

Test(source, a_large_file_crosses_every_buffer)
{
	/* 300 000 rows of "2011-01,k" (k = i % 10): 30 000 x (0+..+9) =
	 * 1 350 000, about 3 MB of text, more than the reader's block and
	 * the compressed input's block */
	const size_t cap = 11 * 300000 + 16;
	char *text = malloc(cap);
	size_t n = 0;
	long rows;

	cr_assert(text);
	appendf(text, cap, &n, "month,n\n");
	for (int i = 0; i < 300000; i++)
		appendf(text, cap, &n, "2011-01,%d\n", i % 10);
	gz_member(text, "wb");
	free(text);
	cr_assert_float_eq(sum_n(&rows), 1350000.0, 1e-6);
	cr_assert_eq(rows, 300000);
}

Test(source, members_are_read_one_after_another)
{
	long rows;

	/* cat a.gz b.gz: 1 + 2 + 40 = 43 */
	gz_member("month,n\n2011-01,1\n2011-02,", "wb");
	gz_member("2\n2011-03,40\n", "ab");
	cr_assert_float_eq(sum_n(&rows), 43.0, 1e-12);
	cr_assert_eq(rows, 3);
}

Test(source, errors_name_the_position_in_the_text)
{
	struct kpi_csv *c;
	double v;
	char want[320];

	gz_member("month,n\n2011-01,1\n2011-02,x2\n", "wb");
	cr_assert_eq(kpi_csv_open(path, NULL, NULL, NULL, &c), 0);
	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_eq(kpi_csv_number(c, 1, 0, &v), KPI_EDATA);
	kpi_csv_close(c);
	/* line 3, the field after "2011-02," starts at column 9 */
	snprintf(want, sizeof want, "%s:3:9:", path);
	cr_assert(strstr(diag(), want), "%s", diag());
	cr_assert(strstr(diag(), "'x2'"), "%s", diag());
}

/* Read the whole file; the first error code. */
static int read_all(void)
{
	struct kpi_csv *c;
	int rc;

	rc = kpi_csv_open(path, NULL, NULL, NULL, &c);
	if (rc != 0)
		return rc;
	while ((rc = kpi_csv_next(c)) == 1)
		;
	kpi_csv_close(c);
	return rc;
}

/* Write the gzip bytes of text, cut to `keep` bytes (0: all) and with
 * byte `flip` (if >= 0) inverted. */
static void gz_damaged(const char *text, long keep, long flip)
{
	FILE *f;
	char *data;
	long n;

	gz_member(text, "wb");
	f = fopen(path, "rb");
	cr_assert(f);
	data = malloc(1 << 20);
	n = (long)fread(data, 1, 1 << 20, f);
	fclose(f);
	if (keep > 0 && keep < n)
		n = keep;
	if (flip >= 0 && flip < n)
		data[flip] = (char)~data[flip];
	f = fopen(path, "wb");
	cr_assert(f);
	cr_assert_eq((long)fwrite(data, 1, (size_t)n, f), n);
	fclose(f);
	free(data);
}

static const char *rows_text(void);

/* Write rows_text() as one gzip member at path; its size in bytes. */
static long gz_rows_size(void)
{
	struct stat sb;

	gz_member(rows_text(), "wb");
	cr_assert_eq(stat(path, &sb), 0);
	return (long)sb.st_size;
}

static const char *rows_text(void)
{
	static char text[64 * 1000 + 16];
	size_t n = 0;

	appendf(text, sizeof text, &n, "month,n\n");
	for (int i = 0; i < 1000; i++)
		appendf(text, sizeof text, &n, "2011-%02d,%d\n", 1 + i % 12,
		        i * 7919 % 1000);
	return text;
}

Test(source, a_truncated_file_is_an_error_naming_it)
{
	char want[320];

	gz_damaged(rows_text(), 500, -1);
	cr_assert_eq(read_all(), KPI_EDATA);
	snprintf(want, sizeof want, "%s: truncated gzip data", path);
	cr_assert(strstr(diag(), want), "%s", diag());
}

Test(source, a_file_cut_before_its_trailer_is_truncated)
{
	/* all the compressed data but the last 4 bytes (the length) */
	long n = gz_rows_size();

	cr_assert_eq(truncate(path, n - 4), 0);
	cr_assert_eq(read_all(), KPI_EDATA);
	cr_assert(strstr(diag(), "truncated gzip data"), "%s", diag());
}

Test(source, a_corrupt_file_is_an_error_naming_it)
{
	char want[320];

	/* a byte inside the deflate data (after the 10-byte header) */
	gz_damaged(rows_text(), 0, 40);
	cr_assert_eq(read_all(), KPI_EDATA);
	snprintf(want, sizeof want, "%s: corrupt gzip data", path);
	cr_assert(strstr(diag(), want), "%s", diag());
}

Test(source, a_wrong_checksum_is_corrupt)
{
	/* the CRC-32 of the trailer (8 bytes from the end) */
	long n = gz_rows_size();

	gz_damaged(rows_text(), 0, n - 8);
	cr_assert_eq(read_all(), KPI_EDATA);
	cr_assert(strstr(diag(), "corrupt gzip data (incorrect data check)"),
	          "%s", diag());
}
