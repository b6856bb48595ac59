/*
 * period.c - the report's period: parsing the config's and --period's
 * spelling, naming months as the seed does, and month arithmetic on
 * running numbers (year * 12 + month - 1).  See period.h.
 */
#include "period.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "kpi/plugin.h"
#include "limit.h"
#include "model.h"

#define EN_DASH "\xe2\x80\x93"  /* U+2013, between the ends of a range */

static const char *const month_sv[12] = {
	"jan", "feb", "mar", "apr", "maj", "jun",
	"jul", "aug", "sep", "okt", "nov", "dec"
};
static const char *const month_en[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static int month_valid(int m)
{
	return m >= 1 && m <= 12;
}

int kpi_period_index(int year, int month)
{
	return year * 12 + month - 1;
}

/* Running numbers of real periods are positive (years 1900..2999), but
 * a floor division keeps any int meaningful. */
void kpi_period_split(int index, int *year, int *month)
{
	int y = index >= 0 ? index / 12 : -((-index + 11) / 12);

	*year = y;
	*month = index - y * 12 + 1;
}

int kpi_period_first(const struct kpi_period *p)
{
	return kpi_period_index(p->from_year, p->from_month);
}

int kpi_period_last(const struct kpi_period *p)
{
	return kpi_period_index(p->to_year, p->to_month);
}

int kpi_period_length(const struct kpi_period *p)
{
	return kpi_period_last(p) - kpi_period_first(p) + 1;
}

int kpi_period_contains(const struct kpi_period *p, int year, int month)
{
	int i;

	if (!month_valid(month))
		return 0;
	i = kpi_period_index(year, month);
	return i >= kpi_period_first(p) && i <= kpi_period_last(p);
}

struct kpi_period kpi_period_ytd(int year, int month)
{
	struct kpi_period p = { KPI_PERIOD_TO_MONTH, year, 1, year, month };

	return p;
}

/* "YYYY-MM" at s (exactly 7 characters, four digits, '-', two digits,
 * month 1..12).  Returns 0 or -1. */
static int parse_month(const char *s, int *year, int *month)
{
	for (int i = 0; i < 7; i++)
		if (i == 4 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return -1;
	*year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	        (s[2] - '0') * 10 + (s[3] - '0');
	*month = (s[5] - '0') * 10 + (s[6] - '0');
	return month_valid(*month) ? 0 : -1;
}

static void set(struct kpi_period *p, int kind, int year, int from, int to)
{
	p->kind = kind;
	p->from_year = p->to_year = year;
	p->from_month = from;
	p->to_month = to;
}

/* The named kinds: T1..T3, Q1..Q4, H1, H2, year.  Returns 0 or -1. */
static int parse_name(const char *s, int year, struct kpi_period *p)
{
	size_t len = strlen(s);
	char c;
	int n;

	if (len == 4 && (s[0] == 'y' || s[0] == 'Y') &&
	    (s[1] == 'e' || s[1] == 'E') && (s[2] == 'a' || s[2] == 'A') &&
	    (s[3] == 'r' || s[3] == 'R')) {
		set(p, KPI_PERIOD_YEAR, year, 1, 12);
		return 0;
	}
	if (len != 2)
		return -1;
	c = (char)toupper((unsigned char)s[0]);
	n = s[1] - '0';
	if (c == 'T' && n >= 1 && n <= 3)
		set(p, KPI_PERIOD_TERTIAL, year, 1, n * 4);
	else if (c == 'Q' && n >= 1 && n <= 4)
		set(p, KPI_PERIOD_QUARTER, year, n * 3 - 2, n * 3);
	else if (c == 'H' && n >= 1 && n <= 2)
		set(p, KPI_PERIOD_HALF, year, n * 6 - 5, n * 6);
	else
		return -1;
	return 0;
}

int kpi_period_parse(const char *s, int year, struct kpi_period *p,
                     char *why_buf, size_t why_n, const char **why)
{
	static const char expected[] = "expected T1, T2, T3, Q1..Q4, H1, H2, "
	                               "year, YYYY-MM or YYYY-MM..YYYY-MM";
	struct kpi_period q;
	size_t len = s ? strlen(s) : 0;
	int n;

	*why = expected;
	if (!s)
		return KPI_ECONFIG;
	if (parse_name(s, year, &q) == 0)
		goto out_ok;
	if (len == 7 && parse_month(s, &q.to_year, &q.to_month) == 0) {
		q.kind = KPI_PERIOD_TO_MONTH;
		q.from_year = q.to_year;
		q.from_month = 1;
	} else if (len == 16 && s[7] == '.' && s[8] == '.' &&
	           parse_month(s, &q.from_year, &q.from_month) == 0 &&
	           parse_month(s + 9, &q.to_year, &q.to_month) == 0) {
		q.kind = KPI_PERIOD_RANGE;
	} else {
		return KPI_ECONFIG;
	}
	if (q.to_year != year) {
		if (why_buf && why_n) {
			snprintf(why_buf, why_n, "it ends in %d, not in the "
			         "config's year %d", q.to_year, year);
			*why = why_buf;
		}
		return KPI_ECONFIG;
	}
	n = kpi_period_length(&q);
	if (n < 1) {
		*why = "it ends before it starts";
		return KPI_ECONFIG;
	}
	if (n > KPI_MAX_PERIOD_MONTHS) {
		if (why_buf && why_n) {
			snprintf(why_buf, why_n, "it is %d months long, limit %d",
			         n, KPI_MAX_PERIOD_MONTHS);
			*why = why_buf;
		}
		return KPI_ECONFIG;
	}
out_ok:
	*p = q;
	*why = NULL;
	return 0;
}

/* The seed's name of months from..to of one year, or NULL when they have
 * none (then the months are written out). */
static const char *named(int lang, int from, int to, int *number)
{
	int en = lang == KPI_LANG_EN;

	*number = 0;
	if (from == 1 && to == 12)
		return "";                       /* the year alone */
	if (from == 1 && (to == 4 || to == 8)) {
		*number = to / 4;
		return en ? "T" : "Tertial ";
	}
	if (from % 3 == 1 && to == from + 2) {
		*number = to / 3;
		return en ? "Q" : "Kvartal ";
	}
	if (from % 6 == 1 && to == from + 5) {
		*number = to / 6;
		return en ? "H" : "Halvår ";
	}
	return NULL;
}

char *kpi_period_label(char *buf, size_t n, int lang, int from_year,
                       int from_month, int to_year, int to_month)
{
	const char *const *mon = lang == KPI_LANG_EN ? month_en : month_sv;
	const char *name;
	int len, number;

	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	if (from_year == 0 || !month_valid(from_month) ||
	    !month_valid(to_month) || to_year < from_year ||
	    (to_year == from_year && to_month < from_month))
		return buf;

	if (from_year != to_year)
		len = snprintf(buf, n, "%s %d" EN_DASH "%s %d",
		               mon[from_month - 1], from_year,
		               mon[to_month - 1], to_year);
	else if ((name = named(lang, from_month, to_month, &number)) &&
	         number)
		len = snprintf(buf, n, "%s%d %d", name, number, from_year);
	else if (name)
		len = snprintf(buf, n, "%d", from_year);
	else if (from_month == to_month)
		len = snprintf(buf, n, "%s %d", mon[from_month - 1],
		               from_year);
	else
		len = snprintf(buf, n, "%s" EN_DASH "%s %d",
		               mon[from_month - 1], mon[to_month - 1],
		               from_year);

	if (len < 0 || (size_t)len >= n)
		buf[0] = '\0';
	return buf;
}

const char *kpi_period_kind_key(int kind)
{
	static const char *const keys[] = { "tertial", "quarter", "half",
	                                    "year", "to_month", "range" };

	return kind >= 0 && kind <= KPI_PERIOD_RANGE ? keys[kind] : "range";
}

char *kpi_period_name(char *buf, size_t n, int lang,
                      const struct kpi_period *p)
{
	return kpi_period_label(buf, n, lang, p->from_year, p->from_month,
	                        p->to_year, p->to_month);
}
