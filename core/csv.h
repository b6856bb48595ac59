/*
 * csv.h - the streaming CSV reader offered to every plugin.
 *
 * Implements the common rules of the export formats: UTF-8 with optional
 * BOM, LF or CRLF, delimiter detected from the header (',' ';' TAB),
 * RFC 4180 quoting, columns by name.  Reads in large blocks into one
 * buffer that is reused; no allocation per row or field, memory bounded by
 * the record cap.  Errors are printed through diag as file:line:col.
 *
 * The functions after kpi_csv_open have exactly the signatures of the
 * matching struct kpi_host members, so the host table points at them.
 */
#ifndef KPI_CSV_H
#define KPI_CSV_H

#include <stddef.h>

#include "kpi/plugin.h"

/* The decimal mark of a file whose delimiter is ';' or TAB, where both
 * ',' and '.' can be one (a ',' file always has '.'): the config's
 * decimal_mark (docs/config.md). */
enum kpi_csv_decimal {
	KPI_CSV_DECIMAL_EITHER = 0,  /* either; "1,234" and "1.234" are errors */
	KPI_CSV_DECIMAL_COMMA = 1,   /* ',' only */
	KPI_CSV_DECIMAL_POINT = 2    /* '.' only */
};

struct kpi_csv_limits {
	size_t max_field;   /* bytes per field, default 64 KiB */
	size_t max_record;  /* bytes per record, default 1 MiB */
};

/* Open `path` (printed as `display` in diagnostics; NULL = path) and read
 * its header.  `who` (may be NULL) prefixes every diagnostic, e.g. the
 * plugin's area.  limits may be NULL for the defaults.  The strings are
 * copied.  On success *out owns an open reader the caller frees with
 * kpi_csv_close.  Returns 0, KPI_EIO (cannot open / not a regular file) or
 * KPI_EDATA (bad header, encoding), with the diagnostic printed. */
int kpi_csv_open(const char *path, const char *display, const char *who,
                 const struct kpi_csv_limits *limits, struct kpi_csv **out);

int kpi_csv_column(struct kpi_csv *csv, const char *name, int required);
int kpi_csv_next(struct kpi_csv *csv);
const char *kpi_csv_field(struct kpi_csv *csv, int col, size_t *len);
int kpi_csv_number(struct kpi_csv *csv, int col, int flags, double *out);
int kpi_csv_date(struct kpi_csv *csv, int col, int flags,
                 struct kpi_date *out);
int kpi_csv_error(struct kpi_csv *csv, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kpi_csv_expected(struct kpi_csv *csv, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
long kpi_csv_line(struct kpi_csv *csv);
void kpi_csv_close(struct kpi_csv *csv);

/* Set the decimal mark of c's numbers (enum kpi_csv_decimal; the default
 * after kpi_csv_open is KPI_CSV_DECIMAL_EITHER).  Matters only when the
 * delimiter is not ','. */
void kpi_csv_set_decimal_mark(struct kpi_csv *csv, int decimal_mark);

/* Number of header columns, and the delimiter detected. */
int kpi_csv_ncolumns(const struct kpi_csv *csv);
char kpi_csv_delimiter(const struct kpi_csv *csv);

/* Rows outside the run's window (host.c).  kpi_csv_claim_rows gives the
 * rows returned since the last claim (the current one included) to the
 * result being emitted, counted outside if `outside`; a row emitting
 * several results counts once.  kpi_csv_rows returns the rows
 * kpi_csv_next returned so far and the rows counted outside in *outside
 * (may be NULL). */
void kpi_csv_claim_rows(struct kpi_csv *csv, int outside);
unsigned long long kpi_csv_rows(const struct kpi_csv *csv,
                                unsigned long long *outside);

/* The host's context of the area that opened csv (not owned, not used by
 * the reader), NULL until set. */
void kpi_csv_set_owner(struct kpi_csv *csv, void *owner);
void *kpi_csv_owner(const struct kpi_csv *csv);

/* The months csv's rows claimed (months.h): owned by csv, NULL until the
 * first claim, freed by kpi_csv_close. */
struct kpi_months;
struct kpi_months **kpi_csv_months(struct kpi_csv *csv);

/* The path as diagnostics show it; owned by csv. */
const char *kpi_csv_path(const struct kpi_csv *csv);

/* Write s[0..len) into out (KPI_CSV_SHOW_SIZE bytes, the caller's) as
 * the reader quotes a field in its messages: control characters escaped,
 * a long value cut with "...".  Returns out. */
#define KPI_CSV_SHOW_SIZE (4 * 40 + 8)
const char *kpi_csv_show(const char *s, size_t len, char *out);

#endif
