/*
 * period.h - the months a report is for: T1-T3, Q1-Q4, H1, H2, year,
 * YYYY-MM (year to date) and any range YYYY-MM..YYYY-MM, parsed from the
 * config or --period, named in Swedish and English, and the month
 * arithmetic every other module uses (months as one running number).
 *
 * Pure functions: no I/O, no allocation.  The rules are docs/config.md
 * ("Periods") and docs/evaluation.md ("Period labels").
 */
#ifndef KPI_PERIOD_H
#define KPI_PERIOD_H

#include <stddef.h>

enum kpi_period_kind {
	KPI_PERIOD_TERTIAL = 0,  /* T1, T2, T3: January to April/August/Dec */
	KPI_PERIOD_QUARTER = 1,  /* Q1..Q4: the calendar quarter itself */
	KPI_PERIOD_HALF = 2,     /* H1, H2: the calendar half itself */
	KPI_PERIOD_YEAR = 3,     /* year: January to December */
	KPI_PERIOD_TO_MONTH = 4, /* YYYY-MM: January to that month */
	KPI_PERIOD_RANGE = 5     /* YYYY-MM..YYYY-MM: any run of months */
};

/* Months from_year-from_month .. to_year-to_month (months 1..12), at most
 * KPI_MAX_PERIOD_MONTHS long; to_year is "the run's year". */
struct kpi_period {
	int kind;                /* enum kpi_period_kind */
	int from_year, from_month;
	int to_year, to_month;
};

/* The running number of a month: year * 12 + month - 1, so that months
 * subtract ("a year earlier" is index - 12). */
int kpi_period_index(int year, int month);

/* Year and month (1..12) of a running number (kpi_period_index). */
void kpi_period_split(int index, int *year, int *month);

/* Running numbers of the period's first and last months. */
int kpi_period_first(const struct kpi_period *p);
int kpi_period_last(const struct kpi_period *p);

/* Months in the period (1..KPI_MAX_PERIOD_MONTHS for a parsed one). */
int kpi_period_length(const struct kpi_period *p);

/* True if year-month lies in the period. */
int kpi_period_contains(const struct kpi_period *p, int year, int month);

/* The year to date January..month of year (KPI_PERIOD_TO_MONTH). */
struct kpi_period kpi_period_ytd(int year, int month);

/*
 * Parse s (T1, T2, T3, Q1..Q4, H1, H2, year, YYYY-MM, YYYY-MM..YYYY-MM;
 * the letters in either case) for a run of `year` (the config's year)
 * into *p.  A period with a year in it must end in `year`.  Returns 0,
 * or KPI_ECONFIG with *why a static reason ("ends in 2010, not in the
 * config's year 2011" is written into why_buf of why_n bytes when the
 * reason has figures; *why then points there).  Nothing printed.
 */
int kpi_period_parse(const char *s, int year, struct kpi_period *p,
                     char *why_buf, size_t why_n, const char **why);

/* Write the text naming months from_year-from_month ..
 * to_year-to_month, as the seed writes it: "Tertial 2 2011" (jan-aug),
 * "2011" (jan-dec), "Kvartal 1 2012" (jan-mar, and each calendar
 * quarter), "Halvår 2 2011" (jul-dec, and jan-jun), "sep 2011" (one
 * month), "jan–jul 2011", "aug 2010–jul 2011"; in English "T2 2011",
 * "2011", "Q1 2012", "H2 2011", "Sep 2011", "Jan–Jul 2011", "Aug
 * 2010–Jul 2011".  Empty for from_year 0, months outside 1..12, a range
 * that ends before it starts, or a text that does not fit n (never cut
 * off).  lang is enum kpi_lang.  Returns buf (owned by the caller). */
char *kpi_period_label(char *buf, size_t n, int lang, int from_year,
                       int from_month, int to_year, int to_month);

/* The stable key of an enum kpi_period_kind: "tertial", "quarter",
 * "half", "year", "to_month", "range" (static; "range" for an unknown
 * kind). */
const char *kpi_period_kind_key(int kind);

/* kpi_period_label of a period's months. */
char *kpi_period_name(char *buf, size_t n, int lang,
                      const struct kpi_period *p);

#endif
