/*
 * num.c - strict number and date parsing: the forms docs/inputs.md allows and
 * nothing else, each rejection with a short reason for the diagnostic.
 * Locale-proof: nothing here depends on LC_NUMERIC.
 */
#include "num.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NUM_MAX_DIGITS KPI_MAX_NUMBER_DIGITS
#define NUM_STR_(x) #x
#define NUM_STR(x) NUM_STR_(x)
#define NUM_TOO_LONG "expected a number of at most " \
	NUM_STR(KPI_MAX_NUMBER_DIGITS) " digits"

/* A number taken apart by num_scan: sign and the bare ASCII digits. */
struct num_form {
	int neg;
	int nint;                       /* digits before the separator */
	int nfrac;                      /* digits after it */
	char digits[NUM_MAX_DIGITS];    /* nint + nfrac digits, no separator */
};

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Strip ASCII spaces from both ends of s[0..*len). */
static const char *trim(const char *s, size_t *len)
{
	size_t n = *len;

	while (n > 0 && *s == ' ') {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	*len = n;
	return s;
}

/* Length of the thousands separator at s[i] (' ', U+00A0, U+202F,
 * U+2009), or 0. */
static size_t group_sep(const unsigned char *s, size_t i, size_t len)
{
	if (s[i] == ' ')
		return 1;
	if (s[i] == 0xC2 && i + 1 < len && s[i + 1] == 0xA0)
		return 2;
	if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 &&
	    (s[i + 2] == 0xAF || s[i + 2] == 0x89))
		return 3;
	return 0;
}

/* Case-insensitive: does s[0..len) equal the lowercase word w? */
static int word_is(const unsigned char *s, size_t len, const char *w)
{
	size_t n = strlen(w);
	size_t i;

	if (len != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower(s[i]) != w[i])
			return 0;
	return 1;
}

/* Reason for text that does not start like a number (after the sign). */
static const char *not_a_number(const unsigned char *s, size_t i, size_t len,
                                int marks)
{
	if ((s[i] == '.' && marks != KPI_MARK_COMMA) ||
	    (s[i] == ',' && marks != KPI_MARK_POINT))
		return "expected a digit before the decimal separator";
	if (word_is(s + i, len - i, "inf") ||
	    word_is(s + i, len - i, "infinity") ||
	    word_is(s + i, len - i, "nan"))
		return "expected a number (inf and nan are not numbers)";
	if (s[0] == '(' && s[len - 1] == ')')
		return "expected a number (write a negative number as -123, "
		       "not (123))";
	return "expected a number";
}

/* Checks on the whole text before the grammar: forms that would otherwise
 * get a vaguer message. */
static const char *prescan(const unsigned char *s, size_t len, int marks,
                           int allow_frac)
{
	size_t i, ndot = 0, ncomma = 0;

	i = s[0] == '-' || s[0] == '+' ? 1 : 0;
	if (i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
		return "expected a decimal number (hexadecimal is not allowed)";
	for (i = 0; i < len; i++) {
		if (s[i] == '.')
			ndot++;
		else if (s[i] == ',')
			ncomma++;
		else if ((s[i] == 'e' || s[i] == 'E') && i > 0 &&
		         is_digit(s[i - 1]) && i + 1 < len &&
		         (is_digit(s[i + 1]) || s[i + 1] == '+' ||
		          s[i + 1] == '-'))
			return "scientific notation (precision lost in Excel?)";
	}
	if ((ndot || ncomma) && !allow_frac)
		return "expected a whole number";
	if (ndot && ncomma)
		return "expected one decimal separator, not both '.' and ',' "
		       "(group thousands with spaces)";
	if (ndot + ncomma > 1)
		return "expected at most one decimal separator (group "
		       "thousands with spaces)";
	if (ncomma && marks == KPI_MARK_POINT)
		return "expected '.' as the decimal separator";
	if (ndot && marks == KPI_MARK_COMMA)
		return "expected ',' as the decimal separator";
	return NULL;
}

/* Take s[0..len) apart into f.  allow_frac: a decimal part is allowed.
 * Returns 0, KPI_MISSING (empty) or KPI_EDATA with *why set. */
static int num_scan(const char *text, size_t len, int marks,
                    int allow_frac, struct num_form *f, const char **why)
{
	const unsigned char *s;
	size_t i = 0, run, seplen, nd = 0;
	unsigned sep = 0;
	int ngroups = 0;
	const char *w;

	text = trim(text, &len);
	s = (const unsigned char *)text;
	if (len == 0)
		return KPI_MISSING;
	w = prescan(s, len, marks, allow_frac);
	if (w) {
		*why = w;
		return KPI_EDATA;
	}
	f->neg = 0;
	if (s[0] == '-' || s[0] == '+') {
		f->neg = s[0] == '-';
		i = 1;
	} else if (len >= 3 && s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92) {
		f->neg = 1;                     /* U+2212 MINUS SIGN */
		i = 3;
	}
	if (i == len || !is_digit(s[i])) {
		*why = i == len ? "expected a number" :
		       not_a_number(s, i, len, marks);
		return KPI_EDATA;
	}

	/* Integer part: digits, or groups of three after a first group of
	 * one to three, all with the same separator. */
	for (;;) {
		run = 0;
		while (i < len && is_digit(s[i])) {
			if (nd == NUM_MAX_DIGITS) {
				*why = NUM_TOO_LONG;
				return KPI_EDATA;
			}
			f->digits[nd++] = (char)s[i++];
			run++;
		}
		if (ngroups > 0 && run != 3) {
			*why = "thousands groups must have 3 digits";
			return KPI_EDATA;
		}
		seplen = i < len ? group_sep(s, i, len) : 0;
		if (seplen == 0 || i + seplen >= len ||
		    !is_digit(s[i + seplen]))
			break;
		if (ngroups == 0 && run > 3) {
			*why = "thousands groups must have 3 digits";
			return KPI_EDATA;
		}
		/* The last byte tells the four separators apart. */
		if (sep && sep != s[i + seplen - 1]) {
			*why = "expected the same thousands separator throughout";
			return KPI_EDATA;
		}
		sep = s[i + seplen - 1];
		i += seplen;
		ngroups++;
	}
	f->nint = (int)nd;

	/* Decimal part. */
	f->nfrac = 0;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		if (!allow_frac) {
			*why = "expected a whole number";
			return KPI_EDATA;
		}
		i++;
		if (i == len || !is_digit(s[i])) {
			*why = "expected digits after the decimal separator";
			return KPI_EDATA;
		}
		while (i < len && is_digit(s[i])) {
			if (nd == NUM_MAX_DIGITS) {
				*why = NUM_TOO_LONG;
				return KPI_EDATA;
			}
			f->digits[nd++] = (char)s[i++];
		}
		f->nfrac = (int)nd - f->nint;
	}
	if (i != len) {
		*why = "expected a number, with nothing after it";
		return KPI_EDATA;
	}
	return 0;
}

/* Exact powers of ten a double holds. */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* The double nearest to the number in f. */
static double num_value(const struct num_form *f)
{
	char text[NUM_MAX_DIGITS + 4];
	uint64_t m = 0;
	int i, n = f->nint + f->nfrac, big = 0;
	size_t k = 0;
	double v;

	for (i = 0; i < n; i++) {
		if (m > (UINT64_C(1) << 53) / 10) {
			big = 1;
			break;
		}
		m = m * 10 + (uint64_t)(f->digits[i] - '0');
	}
	if (!big && m <= (UINT64_C(1) << 53) && f->nfrac <= 22) {
		/* Both operands exact, so the one rounding of the division
		 * gives the correctly rounded result. */
		v = (double)m / pow10_exact[f->nfrac];
	} else {
		/* Validated "[-]digits[.digits]": strtod is exact here, and
		 * the process never changes LC_NUMERIC from "C". */
		memcpy(text + k, f->digits, (size_t)f->nint);
		k += (size_t)f->nint;
		if (f->nfrac) {
			text[k++] = '.';
			memcpy(text + k, f->digits + f->nint, (size_t)f->nfrac);
			k += (size_t)f->nfrac;
		}
		text[k] = '\0';
		v = strtod(text, NULL);
	}
	if (v == 0)
		return 0;               /* no negative zero */
	return f->neg ? -v : v;
}

/* See num.h. */
int kpi_num_parse(const char *s, size_t len, int marks, double *out,
                  const char **why)
{
	struct num_form f;
	uint64_t m = 0;
	size_t i;
	double v;
	int rc;

	/* Fast path: up to 15 plain digits, the common case, exact. */
	if (len > 0 && len <= 15) {
		for (i = 0; i < len; i++) {
			unsigned d = (unsigned)((unsigned char)s[i] - '0');

			if (d > 9)
				break;
			m = m * 10 + d;
		}
		if (i == len) {
			*out = (double)m;
			return 0;
		}
	}
	rc = num_scan(s, len, marks, 1, &f, why);
	if (rc != 0)
		return rc;
	v = num_value(&f);
	if (!isfinite(v)) {
		*why = "expected a number no larger than 1.8e308 (the largest "
		       "a double holds)";
		return KPI_EDATA;
	}
	*out = v;
	return 0;
}

/* See num.h. */
int kpi_num_ambiguous_mark(const char *text, size_t len)
{
	const unsigned char *s;
	size_t i = 0, lead;

	text = trim(text, &len);
	s = (const unsigned char *)text;
	if (len > 0 && (s[0] == '-' || s[0] == '+'))
		i = 1;
	else if (len >= 3 && s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92)
		i = 3;                          /* U+2212 MINUS SIGN */
	for (lead = 0; i + lead < len && is_digit(s[i + lead]); lead++)
		;
	if (lead < 1 || lead > 3 || s[i] == '0' || i + lead + 4 != len ||
	    (s[i + lead] != '.' && s[i + lead] != ','))
		return 0;
	return is_digit(s[len - 3]) && is_digit(s[len - 2]) &&
	       is_digit(s[len - 1]);
}

/* See num.h. */
int kpi_num_parse_int(const char *s, size_t len, int64_t *out,
                      const char **why)
{
	struct num_form f;
	uint64_t m = 0, limit;
	int i, rc = num_scan(s, len, 0, 0, &f, why);

	if (rc != 0)
		return rc;
	limit = f.neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (i = 0; i < f.nint; i++) {
		unsigned d = (unsigned)(f.digits[i] - '0');

		if (m > (limit - d) / 10) {
			*why = "expected an integer between "
			       "-9223372036854775808 and 9223372036854775807";
			return KPI_EDATA;
		}
		m = m * 10 + d;
	}
	if (f.neg)
		*out = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
	else
		*out = (int64_t)m;
	return 0;
}

/* Value of n ASCII digits at s, or -1 if any is not a digit. */
static int digits_at(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
	                              31, 31, 30, 31, 30, 31 };

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* What a date field should look like, given the flags. */
static const char *date_expected(int flags)
{
	switch (flags & (KPI_DATE_MONTH | KPI_DATE_TIME)) {
	case KPI_DATE_MONTH:
		return "expected a date YYYY-MM-DD or a month YYYY-MM";
	case KPI_DATE_TIME:
		return "expected a date YYYY-MM-DD or a time stamp "
		       "YYYY-MM-DD HH:MM:SS";
	case KPI_DATE_MONTH | KPI_DATE_TIME:
		return "expected a date YYYY-MM-DD, a month YYYY-MM or a "
		       "time stamp YYYY-MM-DD HH:MM:SS";
	default:
		return "expected a date YYYY-MM-DD";
	}
}

/* Parse "HH:MM" or "HH:MM:SS" (len 5 or 8) into d. */
static int time_parse(const char *s, size_t len, struct kpi_date *d,
                      int flags, const char **why)
{
	int h, mi, se = 0;

	if ((len != 5 && len != 8) || s[2] != ':' ||
	    (len == 8 && s[5] != ':')) {
		*why = date_expected(flags);
		return KPI_EDATA;
	}
	h = digits_at(s, 2);
	mi = digits_at(s + 3, 2);
	if (len == 8)
		se = digits_at(s + 6, 2);
	if (h < 0 || mi < 0 || se < 0) {
		*why = date_expected(flags);
		return KPI_EDATA;
	}
	if (h > 23 || mi > 59 || se > 59) {
		*why = "expected a time between 00:00:00 and 23:59:59";
		return KPI_EDATA;
	}
	d->hour = h;
	d->min = mi;
	d->sec = se;
	return 0;
}

/* See num.h.  Surrounding ASCII spaces are ignored, as for numbers.  With
 * KPI_DATE_TIME a plain date (time 00:00:00) and "HH:MM" without seconds
 * (Swedish Excel's default date-time format) are accepted too. */
int kpi_date_parse(const char *s, size_t len, int flags,
                   struct kpi_date *out, const char **why)
{
	struct kpi_date d = { 0, 0, 0, 0, 0, 0 };

	s = trim(s, &len);
	if (len == 0)
		return KPI_MISSING;
	if (len < 7 || s[4] != '-' ||
	    (len == 7 && !(flags & KPI_DATE_MONTH)) ||
	    (len > 7 && (len < 10 || s[7] != '-')) ||
	    (len > 10 && !(flags & KPI_DATE_TIME))) {
		*why = date_expected(flags);
		return KPI_EDATA;
	}
	d.year = digits_at(s, 4);
	d.month = digits_at(s + 5, 2);
	d.day = len >= 10 ? digits_at(s + 8, 2) : 0;
	if (d.year < 0 || d.month < 0 || d.day < 0) {
		*why = date_expected(flags);
		return KPI_EDATA;
	}
	if (d.year < 1900 || d.year > 2999) {
		*why = "expected a year between 1900 and 2999";
		return KPI_EDATA;
	}
	if (d.month < 1 || d.month > 12) {
		*why = "expected a month between 01 and 12";
		return KPI_EDATA;
	}
	if (len >= 10 && (d.day < 1 || d.day > days_in_month(d.year, d.month))) {
		*why = "expected a day that exists in that month";
		return KPI_EDATA;
	}
	if (len > 10) {
		if (s[10] != ' ' && s[10] != 'T') {
			*why = date_expected(flags);
			return KPI_EDATA;
		}
		if (time_parse(s + 11, len - 11, &d, flags, why) != 0)
			return KPI_EDATA;
	}
	*out = d;
	return 0;
}

/* See num.h.  The proleptic Gregorian calendar, by Howard Hinnant's
 * days_from_civil. */
long kpi_date_days(const struct kpi_date *d)
{
	long y = d->year - (d->month <= 2);
	long m = d->month;
	long day = d->day > 0 ? d->day : 1;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}
