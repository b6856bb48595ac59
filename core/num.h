/*
 * num.h - strict number and date parsing for config values and CSV fields.
 *
 * Never strtod alone: these accept exactly the forms inputs.md allows and
 * reject everything else (inf, nan, hex, exponents, 1.234,56, ",5", ...)
 * with a short reason the caller puts in its diagnostic.
 */
#ifndef KPI_NUM_H
#define KPI_NUM_H

#include <stddef.h>
#include <stdint.h>

#include "kpi/plugin.h"
#include "limit.h"

/* Which characters may be the decimal mark (kpi_num_parse's `marks`). */
enum kpi_num_marks {
	KPI_MARK_POINT = 0,      /* '.' only (a ',' file, or decimal_mark = point) */
	KPI_MARK_EITHER = 1,     /* '.' or ',' (config values, ';' and TAB files) */
	KPI_MARK_COMMA = 2       /* ',' only (decimal_mark = comma) */
};

/* Parse a number from s[0..len): optional sign ('-', '+', U+2212), digits
 * optionally grouped by three with ' ', U+00A0, U+202F or U+2009, an
 * optional decimal part after a mark `marks` allows (enum kpi_num_marks).
 * Surrounding ASCII spaces are ignored.  On success stores the value and
 * returns 0; on failure returns KPI_EDATA and points *why at a static
 * description ("expected a number", "thousands groups must have 3 digits",
 * "scientific notation (precision lost in Excel?)", ...); more than
 * KPI_MAX_NUMBER_DIGITS digits and a magnitude beyond the largest double
 * are refused too.  An empty field is
 * KPI_MISSING with *out untouched. */
int kpi_num_parse(const char *s, size_t len, int marks, double *out,
                  const char **why);

/* True if s[0..len) is a number whose one mark could be a thousands
 * separator as well as a decimal mark: an optional sign, 1 to 3 digits not
 * starting with 0, one '.' or ',', exactly 3 digits ("1,234", "-12.500").
 * "0,123", "1234,567", "1 234,567" and "1,23" are not ambiguous. */
int kpi_num_ambiguous_mark(const char *s, size_t len);

/* Parse an integer with the same rules and no decimal part, range-checked
 * into int64_t. */
int kpi_num_parse_int(const char *s, size_t len, int64_t *out,
                      const char **why);

/* Parse an ISO date (flags: KPI_DATE_MONTH accepts "YYYY-MM" with day 0,
 * KPI_DATE_TIME accepts "YYYY-MM-DD HH:MM:SS" and "YYYY-MM-DDTHH:MM:SS").
 * Validates the calendar (2011-02-30 is an error).  Returns 0,
 * KPI_MISSING for an empty field, or KPI_EDATA with *why set. */
int kpi_date_parse(const char *s, size_t len, int flags,
                   struct kpi_date *out, const char **why);

/* Days since 1970-01-01 of a valid date (day 0 counts as day 1). */
long kpi_date_days(const struct kpi_date *d);

#endif
