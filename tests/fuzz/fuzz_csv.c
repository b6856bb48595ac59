/*
 * fuzz_csv.c - the CSV reader (core/csv.c) on any bytes, against a
 * reference reader.
 *
 * Input: one option byte, then the file.  Option bits 0-1 pick the limits
 * (the defaults, or caps of a few bytes so that every refill and limit
 * path is reached with small inputs); bit 2 also parses every field as a
 * number and a date.  Properties: no crash, leak or hang; a refused file
 * has a diagnostic; a file read to the end has exactly the records, fields
 * and line numbers a plain RFC 4180 reader (below, written for clarity,
 * not speed) finds in it.
 */
#define _GNU_SOURCE     /* memfd_create */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "csv.h"
#include "diag.h"
#include "fuzz.h"

/* ---- the reference reader --------------------------------------------- */

struct ref_field {
	char *s;                /* unquoted content, NUL-terminated */
	size_t len;
};

struct ref_record {
	struct ref_field *f;
	size_t n, cap;
	long line;              /* physical line of its first byte */
};

static void ref_add(struct ref_record *r, const char *s, size_t len)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		r->f = realloc(r->f, r->cap * sizeof *r->f);
		FUZZ_CHECK(r->f != NULL, "out of memory");
	}
	r->f[r->n].s = malloc(len + 1);
	FUZZ_CHECK(r->f[r->n].s != NULL, "out of memory");
	memcpy(r->f[r->n].s, s, len);
	r->f[r->n].s[len] = '\0';
	r->f[r->n].len = len;
	r->n++;
}

static void ref_clear(struct ref_record *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->f[i].s);
	r->n = 0;
}

/* Lines (LF) in [from, to). */
static long count_lf(const char *from, const char *to)
{
	long n = 0;

	for (; from < to; from++)
		n += *from == '\n';
	return n;
}

/* Read the record at *pp (blank lines skipped) into r.  Returns 1, or 0
 * at the end of the data.  Only used on files the reader accepted, so the
 * quoting is known to be well formed. */
static int ref_next(const char *start, const char **pp, const char *end,
                    char delim, struct ref_record *r)
{
	const char *p = *pp;
	char *buf;
	size_t blen;

	ref_clear(r);
	for (;;) {
		if (p < end && *p == '\n')
			p++;
		else if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
			p += 2;
		else
			break;
	}
	if (p == end)
		return 0;
	r->line = 1 + count_lf(start, p);
	buf = malloc((size_t)(end - p) + 1);
	FUZZ_CHECK(buf != NULL, "out of memory");
	for (;;) {
		blen = 0;
		if (p < end && *p == '"') {
			for (p++; p < end; p++) {
				if (*p == '"' && p + 1 < end && p[1] == '"')
					buf[blen++] = *p++;
				else if (*p == '"')
					break;
				else
					buf[blen++] = *p;
			}
			FUZZ_CHECK(p < end, "unterminated quote accepted");
			p++;
		} else {
			while (p < end && *p != delim && *p != '\n' &&
			       !(*p == '\r' && p + 1 < end && p[1] == '\n'))
				buf[blen++] = *p++;
		}
		ref_add(r, buf, blen);
		if (p < end && *p == delim) {
			p++;
			continue;
		}
		if (p < end && *p == '\n')
			p++;
		else if (p < end)
			p += 2;         /* CRLF */
		break;
	}
	free(buf);
	*pp = p;
	return 1;
}

/* ---- the harness ------------------------------------------------------- */

static int memfd = -1;
static char memfd_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	memfd = memfd_create("fuzz-csv", MFD_CLOEXEC);
	FUZZ_CHECK(memfd >= 0, "memfd_create: %s", strerror(errno));
	snprintf(memfd_path, sizeof memfd_path, "/proc/self/fd/%d", memfd);
	return 0;
}

/* Put the file into the memfd the reader opens by name. */
static void put_file(const uint8_t *data, size_t size)
{
	size_t off = 0;

	FUZZ_CHECK(ftruncate(memfd, 0) == 0, "%s", strerror(errno));
	while (off < size) {
		ssize_t w = pwrite(memfd, data + off, size - off, (off_t)off);

		FUZZ_CHECK(w > 0, "%s", strerror(errno));
		off += (size_t)w;
	}
}

/* Trim ASCII spaces as the reader trims header names. */
static const char *trimmed(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	while (*s == ' ')
		s++;
	return s;
}

/* Every field of the current row parsed as a number and a date, with the
 * flags of the row number; stops at the first refusal (which makes the
 * reader's error sticky).  Returns 0, or the refusal. */
static int parse_fields(struct kpi_csv *c, int ncols, long row)
{
	static const int nflags[4] = { 0, KPI_NUM_OPTIONAL,
		KPI_NUM_OPTIONAL | KPI_NUM_NONNEG, KPI_NUM_INTEGER };
	static const int dflags[4] = { 0, KPI_DATE_OPTIONAL, KPI_DATE_MONTH,
		KPI_DATE_TIME | KPI_DATE_MONTH | KPI_DATE_OPTIONAL };

	for (int k = 0; k < ncols; k++) {
		double v = 0;
		struct kpi_date d;
		int rc = kpi_csv_number(c, k, nflags[row & 3], &v);

		if (rc < 0)
			return rc;
		FUZZ_CHECK(rc == KPI_MISSING || isfinite(v), "value %g", v);
		rc = kpi_csv_date(c, k, dflags[(row >> 2) & 3], &d);
		if (rc < 0)
			return rc;
		FUZZ_CHECK(rc == KPI_MISSING || (d.month >= 1 && d.month <= 12),
		           "month %d", d.month);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kpi_csv_limits caps[4] = {
		{ 0, 0 }, { 8, 64 }, { 64, 64 }, { 1, 1 },
	};
	struct ref_record ref = { NULL, 0, 0, 0 };
	struct kpi_csv *c = NULL;
	const char *text, *p, *end;
	unsigned errors;
	int opt, rc, ncols, parse;
	long row = 0;

	if (size < 1)
		return 0;
	if (memfd < 0)
		LLVMFuzzerInitialize(NULL, NULL);
	opt = data[0];
	parse = opt & 4;
	put_file(data + 1, size - 1);
	errors = kpi_diag_errors();
	rc = kpi_csv_open(memfd_path, "fuzz.csv", "fuzz", &caps[opt & 3], &c);
	if (rc != 0) {
		FUZZ_CHECK(c == NULL, "reader returned on failure");
		FUZZ_CHECK(rc == KPI_EDATA || rc == KPI_EIO, "rc %d", rc);
		FUZZ_CHECK(kpi_diag_errors() > errors, "refused silently");
		return 0;
	}
	ncols = kpi_csv_ncolumns(c);
	FUZZ_CHECK(ncols >= 1, "%d columns", ncols);

	/* The reference reads the same bytes: BOM and sep= line skipped. */
	text = (const char *)data + 1;
	end = text + (size - 1);
	if (end - text >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3;
	p = text;
	if (end - p >= 5 && strncasecmp(p, "sep=", 4) == 0 &&
	    (end - p == 5 || p[5] == '\n' || (p[5] == '\r' && end - p > 6 &&
	                                      p[6] == '\n')))
		p += end - p == 5 ? 5 : p[5] == '\n' ? 6 : 7;
	FUZZ_CHECK(ref_next(text, &p, end, kpi_csv_delimiter(c), &ref),
	           "reader found a header in an empty file");
	FUZZ_CHECK(ref.n == (size_t)ncols, "header: %d columns, reference %zu",
	           ncols, ref.n);
	for (int k = 0; k < ncols; k++) {
		const char *name = trimmed(ref.f[k].s);

		if (!*name)
			continue;       /* unnamed: never matched */
		rc = kpi_csv_column(c, name, 0);
		FUZZ_CHECK(rc == k, "column '%s' at %d, reference %d", name, rc,
		           k);
	}

	while ((rc = kpi_csv_next(c)) == 1) {
		row++;
		FUZZ_CHECK(ref_next(text, &p, end, kpi_csv_delimiter(c), &ref),
		           "row %ld: reference has no more records", row);
		FUZZ_CHECK(ref.n == (size_t)ncols, "row %ld: %zu fields", row,
		           ref.n);
		FUZZ_CHECK(kpi_csv_line(c) == ref.line, "row %ld: line %ld, "
		           "reference %ld", row, kpi_csv_line(c), ref.line);
		for (int k = 0; k < ncols; k++) {
			size_t len = 99;
			const char *f = kpi_csv_field(c, k, &len);

			FUZZ_CHECK(f && len == ref.f[k].len &&
			           memcmp(f, ref.f[k].s, len) == 0 && f[len] == 0,
			           "row %ld field %d differs", row, k);
		}
		FUZZ_CHECK(kpi_csv_field(c, ncols, NULL) == NULL, "field past "
		           "the end");
		if (parse && parse_fields(c, ncols, row) != 0)
			break;
	}
	if (rc == 0)
		FUZZ_CHECK(!ref_next(text, &p, end, kpi_csv_delimiter(c), &ref),
		           "reader ended before the reference");
	else
		FUZZ_CHECK(kpi_diag_errors() > errors, "refused silently");
	ref_clear(&ref);
	free(ref.f);
	kpi_csv_close(c);
	return 0;
}
