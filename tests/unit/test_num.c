/*
 * test_num.c - the strict number and date parsers (core/num.c): every
 * accepted form with its value, every rejected form with its reason.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "num.h"

/* Parse NUL-terminated s; returns the code, value in *v. */
static int num(const char *s, int decimal_comma, double *v, const char **why)
{
	*why = NULL;
	return kpi_num_parse(s, strlen(s), decimal_comma, v, why);
}

static void accepts(const char *s, int decimal_comma, double want)
{
	const char *why;
	double v = -999;
	int rc = num(s, decimal_comma, &v, &why);

	cr_assert_eq(rc, 0, "'%s' (comma %d): rc %d (%s)", s, decimal_comma,
	             rc, why ? why : "");
	cr_assert(v == want, "'%s': got %.17g, want %.17g", s, v, want);
}

static void rejects(const char *s, int decimal_comma, const char *want_why)
{
	const char *why;
	double v = -999;
	int rc = num(s, decimal_comma, &v, &why);

	cr_assert_eq(rc, KPI_EDATA, "'%s' (comma %d): rc %d, value %g", s,
	             decimal_comma, rc, v);
	cr_assert_str_eq(why, want_why, "'%s'", s);
	cr_assert(v == -999, "'%s': *out written on error", s);
}

Test(num, plain_forms)
{
	accepts("0", 0, 0);
	accepts("42", 0, 42);
	accepts("-12", 0, -12);
	accepts("+7", 0, 7);
	accepts("3.25", 0, 3.25);
	accepts("0.1", 0, 0.1);
	accepts("007", 0, 7);
	accepts("  12  ", 0, 12);
	accepts("-0.5", 1, -0.5);
	accepts("1.5", 1, 1.5);         /* '.' is always a decimal point */
	accepts("1,5", 1, 1.5);
	accepts("123456.789", 0, 123456.789);
}

Test(num, swedish_grouping)
{
	accepts("1 234,56", 1, 1234.56);
	accepts("1 234.56", 0, 1234.56);
	accepts("1 290 191", 0, 1290191);
	accepts("1\xC2\xA0" "234,5", 1, 1234.5);                  /* U+00A0 */
	accepts("1\xE2\x80\xAF" "290\xE2\x80\xAF" "191", 0, 1290191); /* U+202F */
	accepts("12\xE2\x80\x89" "000", 0, 12000);                /* U+2009 */
	accepts("-1 000 000", 0, -1000000);
	accepts("\xE2\x88\x92" "12", 0, -12);                     /* U+2212 */
	accepts("\xE2\x88\x92" "1 234,5", 1, -1234.5);
}

Test(num, length_is_respected)
{
	const char *why = NULL;
	double v = 0;

	cr_assert_eq(kpi_num_parse("123xyz", 3, 0, &v, &why), 0);
	cr_assert(v == 123);
	cr_assert_eq(kpi_num_parse("-5,25;9", 5, 1, &v, &why), 0);
	cr_assert(v == -5.25);
}

Test(num, empty_is_missing)
{
	const char *why = NULL;
	double v = 77;

	cr_assert_eq(kpi_num_parse("", 0, 1, &v, &why), KPI_MISSING);
	cr_assert_eq(kpi_num_parse("   ", 3, 1, &v, &why), KPI_MISSING);
	cr_assert(v == 77, "*out must stay untouched");
}

Test(num, negative_zero_is_zero)
{
	const char *why;
	double v = 1;

	cr_assert_eq(num("-0", 0, &v, &why), 0);
	cr_assert(v == 0 && !signbit(v));
	cr_assert_eq(num("-0,000", 1, &v, &why), 0);
	cr_assert(v == 0 && !signbit(v));
}

Test(num, long_numbers_round_correctly)
{
	/* Beyond the exact fast path: converted by strtod. */
	accepts("12345678901234567890", 0, 12345678901234567890.0);
	accepts("0.1234567890123456789", 0, 0.1234567890123456789);
	accepts("9007199254740993", 0, 9007199254740993.0);
	accepts("1 234 567 890 123 456 789", 0, 1234567890123456789.0);
	accepts("0.0000000000000000000000001", 0, 1e-25);
	accepts("1234567890123456789012345678901234567890123456789012345678901234",
	        0, 1234567890123456789012345678901234567890123456789012345678901234.0);
}

/* "1", then nint - 1 zeros, a '.' and nfrac zeros (no '.' if nfrac is 0),
 * in a static buffer. */
static const char *power_of_ten(size_t nint, size_t nfrac)
{
	static char buf[1024];
	size_t n = 0;

	cr_assert_lt(nint + nfrac + 2, sizeof buf);
	buf[n++] = '1';
	memset(buf + n, '0', nint - 1);
	n += nint - 1;
	if (nfrac) {
		buf[n++] = '.';
		memset(buf + n, '0', nfrac);
		n += nfrac;
	}
	buf[n] = '\0';
	return buf;
}

Test(num, as_many_digits_as_the_formatter_writes)
{
	/* 301 integer digits and 24 decimals: 325 digits, 10^300 */
	accepts(power_of_ten(301, 24), 0, 1e300);
	rejects(power_of_ten(301, 25), 0,
	        "expected a number of at most 325 digits");
	/* 10^308 is a double, 10^309 is not */
	accepts(power_of_ten(309, 0), 0, 1e308);
	rejects(power_of_ten(310, 0), 0, "expected a number no larger than "
	        "1.8e308 (the largest a double holds)");
}

/* Found by the round-trip fuzzer (tests/fuzz/fuzz_num.c): a large amount
 * formatted with 15 decimals has 65 digits, which the parser refused
 * ("at most 64 digits").  Whatever kpi_fmt_number writes parses back to
 * the number it was written from. */
Test(num, parses_back_what_the_formatter_writes)
{
	char buf[600];
	const char *why;
	double v = 0;

	kpi_fmt_number(buf, sizeof buf, 7.7e49, 15, KPI_LANG_SV, 1);
	cr_assert_str_eq(buf, "77 000 000 000 000 000 000 000 000 000 000 000 "
	                 "000 000 000 000 000,000000000000000");
	cr_assert_eq(kpi_num_parse(buf, strlen(buf), 1, &v, &why), 0, "%s",
	             why);
	cr_assert(v == 7.7e49, "%.17g", v);
	kpi_fmt_number(buf, sizeof buf, -7.7e49, 15, KPI_LANG_EN, 0);
	cr_assert_eq(kpi_num_parse(buf, strlen(buf), 0, &v, &why), 0, "%s",
	             why);
	cr_assert(v == -7.7e49, "%.17g", v);
	/* the largest double, rounded to 15 significant digits, is beyond
	 * it: refused as too large, not read as infinity */
	kpi_fmt_number(buf, sizeof buf, 1.7976931348623157e308, 15,
	               KPI_LANG_EN, 0);
	cr_assert_eq(strlen(buf), 309 + 1 + 15);
	why = NULL;
	cr_assert_eq(kpi_num_parse(buf, strlen(buf), 0, &v, &why), KPI_EDATA);
	cr_assert_str_eq(why, "expected a number no larger than 1.8e308 "
	                 "(the largest a double holds)");
}

Test(num, rejects_foreign_separators)
{
	const char *both = "expected one decimal separator, not both '.' and "
	                   "',' (group thousands with spaces)";
	const char *several = "expected at most one decimal separator (group "
	                      "thousands with spaces)";

	rejects("1.234,56", 1, both);
	rejects("1,234.56", 1, both);
	rejects("1,234.56", 0, both);
	rejects("12,3,4", 1, several);
	rejects("1.234.567", 0, several);
	rejects("1,5", 0, "expected '.' as the decimal separator");
	rejects(",5", 1, "expected a digit before the decimal separator");
	rejects(".5", 0, "expected a digit before the decimal separator");
	rejects("-,5", 1, "expected a digit before the decimal separator");
	rejects("5,", 1, "expected digits after the decimal separator");
	rejects("5.", 0, "expected digits after the decimal separator");
}

Test(num, rejects_bad_grouping)
{
	const char *groups = "thousands groups must have 3 digits";

	rejects("1 23", 0, groups);
	rejects("1234 567", 0, groups);
	rejects("1 2345", 0, groups);
	rejects("12 345 67", 0, groups);
	rejects("1 234\xC2\xA0" "567", 0,
	        "expected the same thousands separator throughout");
	rejects("12  345", 0, "expected a number, with nothing after it");
	rejects("1 234,567 8", 1, "expected a number, with nothing after it");
}

Test(num, rejects_scientific_hex_inf_nan)
{
	const char *sci = "scientific notation (precision lost in Excel?)";

	rejects("1E+05", 0, sci);
	rejects("1,23457E+11", 1, sci);
	rejects("1,23457E+11", 0, sci);
	rejects("1e5", 0, sci);
	rejects("2.5e-3", 0, sci);
	rejects("0x1p3", 0, "expected a decimal number (hexadecimal is not "
	        "allowed)");
	rejects("-0X10", 0, "expected a decimal number (hexadecimal is not "
	        "allowed)");
	rejects("nan", 0, "expected a number (inf and nan are not numbers)");
	rejects("NaN", 0, "expected a number (inf and nan are not numbers)");
	rejects("inf", 0, "expected a number (inf and nan are not numbers)");
	rejects("-Infinity", 0, "expected a number (inf and nan are not "
	        "numbers)");
}

Test(num, rejects_garbage)
{
	rejects("12 %", 0, "expected a number, with nothing after it");
	rejects("12%", 0, "expected a number, with nothing after it");
	rejects("1 234 kr", 0, "expected a number, with nothing after it");
	rejects("12abc", 0, "expected a number, with nothing after it");
	rejects("5-", 0, "expected a number, with nothing after it");
	rejects("abc", 0, "expected a number");
	rejects("kr 12", 0, "expected a number");
	rejects("-", 0, "expected a number");
	rejects("+", 0, "expected a number");
	rejects("--5", 0, "expected a number");
	rejects("- 5", 0, "expected a number");
	rejects("\xC2\xA0" "5", 0, "expected a number");
	rejects("(123)", 0, "expected a number (write a negative number as "
	        "-123, not (123))");
}

static void int_accepts(const char *s, int64_t want)
{
	const char *why = NULL;
	int64_t v = -1;

	cr_assert_eq(kpi_num_parse_int(s, strlen(s), &v, &why), 0, "'%s': %s",
	             s, why ? why : "");
	cr_assert_eq(v, want, "'%s'", s);
}

static void int_rejects(const char *s, const char *want_why)
{
	const char *why = NULL;
	int64_t v = -1;

	cr_assert_eq(kpi_num_parse_int(s, strlen(s), &v, &why), KPI_EDATA,
	             "'%s'", s);
	cr_assert_str_eq(why, want_why, "'%s'", s);
	cr_assert_eq(v, -1);
}

Test(num, integers)
{
	const char *range = "expected an integer between "
	                    "-9223372036854775808 and 9223372036854775807";
	const char *why = NULL;
	int64_t v = 5;

	int_accepts("0", 0);
	int_accepts("-17", -17);
	int_accepts("1 000 000", 1000000);
	int_accepts("\xE2\x88\x92" "5", -5);
	int_accepts("9223372036854775807", INT64_MAX);
	int_accepts("-9223372036854775808", INT64_MIN);
	int_accepts("9 223 372 036 854 775 807", INT64_MAX);
	int_rejects("9223372036854775808", range);
	int_rejects("-9223372036854775809", range);
	int_rejects("99999999999999999999", range);
	int_rejects("1.5", "expected a whole number");
	int_rejects("1,0", "expected a whole number");
	int_rejects("1e3", "scientific notation (precision lost in Excel?)");
	int_rejects("12 3", "thousands groups must have 3 digits");
	int_rejects("x", "expected a number");
	cr_assert_eq(kpi_num_parse_int("  ", 2, &v, &why), KPI_MISSING);
	cr_assert_eq(v, 5);
}

static void date_accepts(const char *s, int flags, int y, int m, int d,
                         int hh, int mm, int ss)
{
	struct kpi_date dt = { -1, -1, -1, -1, -1, -1 };
	const char *why = NULL;

	cr_assert_eq(kpi_date_parse(s, strlen(s), flags, &dt, &why), 0,
	             "'%s': %s", s, why ? why : "");
	cr_assert(dt.year == y && dt.month == m && dt.day == d &&
	          dt.hour == hh && dt.min == mm && dt.sec == ss,
	          "'%s': %d-%d-%d %d:%d:%d", s, dt.year, dt.month, dt.day,
	          dt.hour, dt.min, dt.sec);
}

static void date_rejects(const char *s, int flags, const char *want_why)
{
	struct kpi_date dt = { -1, -1, -1, -1, -1, -1 };
	const char *why = NULL;

	cr_assert_eq(kpi_date_parse(s, strlen(s), flags, &dt, &why), KPI_EDATA,
	             "'%s'", s);
	cr_assert_str_eq(why, want_why, "'%s'", s);
	cr_assert_eq(dt.year, -1, "'%s': *out written on error", s);
}

Test(date, iso_dates)
{
	date_accepts("2011-03-31", 0, 2011, 3, 31, 0, 0, 0);
	date_accepts(" 2011-01-01 ", 0, 2011, 1, 1, 0, 0, 0);
	date_accepts("2012-02-29", 0, 2012, 2, 29, 0, 0, 0);   /* leap */
	date_accepts("2000-02-29", 0, 2000, 2, 29, 0, 0, 0);   /* 400 rule */
	date_accepts("1900-01-01", 0, 1900, 1, 1, 0, 0, 0);
	date_accepts("2999-12-31", 0, 2999, 12, 31, 0, 0, 0);
}

Test(date, calendar_is_validated)
{
	const char *day = "expected a day that exists in that month";

	date_rejects("2011-02-30", 0, day);
	date_rejects("2011-02-29", 0, day);
	date_rejects("1900-02-29", 0, day);                  /* 100 rule */
	date_rejects("2011-04-31", 0, day);
	date_rejects("2011-01-00", 0, day);
	date_rejects("2011-01-32", 0, day);
	date_rejects("2011-13-01", 0, "expected a month between 01 and 12");
	date_rejects("2011-00-10", 0, "expected a month between 01 and 12");
	date_rejects("1899-12-31", 0, "expected a year between 1900 and 2999");
	date_rejects("3000-01-01", 0, "expected a year between 1900 and 2999");
}

Test(date, other_forms_rejected)
{
	const char *iso = "expected a date YYYY-MM-DD";

	date_rejects("31/03/2011", 0, iso);
	date_rejects("2011-3-31", 0, iso);
	date_rejects("2011/03/31", 0, iso);
	date_rejects("20110331", 0, iso);
	date_rejects("2011-03-31x", 0, iso);
	date_rejects("2011-03", 0, iso);
	date_rejects("2011-03-31 00:00", 0, iso);
	date_rejects("2011-03-31T12:00:00", 0, iso);
	date_rejects("+011-03-31", 0, iso);
}

Test(date, months)
{
	date_accepts("2011-03", KPI_DATE_MONTH, 2011, 3, 0, 0, 0, 0);
	date_accepts("2011-03-31", KPI_DATE_MONTH, 2011, 3, 31, 0, 0, 0);
	date_rejects("2011-3", KPI_DATE_MONTH,
	             "expected a date YYYY-MM-DD or a month YYYY-MM");
	date_rejects("2011-13", KPI_DATE_MONTH,
	             "expected a month between 01 and 12");
}

Test(date, timestamps)
{
	const char *ts = "expected a date YYYY-MM-DD or a time stamp "
	                 "YYYY-MM-DD HH:MM:SS";

	date_accepts("2011-03-31 12:34:56", KPI_DATE_TIME, 2011, 3, 31, 12, 34,
	             56);
	date_accepts("2011-03-31T23:59:59", KPI_DATE_TIME, 2011, 3, 31, 23, 59,
	             59);
	date_accepts("2011-03-31 00:00", KPI_DATE_TIME, 2011, 3, 31, 0, 0, 0);
	date_accepts("2011-03-31", KPI_DATE_TIME, 2011, 3, 31, 0, 0, 0);
	date_rejects("2011-03-31 24:00:00", KPI_DATE_TIME,
	             "expected a time between 00:00:00 and 23:59:59");
	date_rejects("2011-03-31 12:60", KPI_DATE_TIME,
	             "expected a time between 00:00:00 and 23:59:59");
	date_rejects("2011-03-31 12:00:60", KPI_DATE_TIME,
	             "expected a time between 00:00:00 and 23:59:59");
	date_rejects("2011-03-31 1:00:00", KPI_DATE_TIME, ts);
	date_rejects("2011-03-31 12:00:00.5", KPI_DATE_TIME, ts);
	date_rejects("2011-03-31 12:00:00Z", KPI_DATE_TIME, ts);
	date_rejects("2011-03-31_12:00:00", KPI_DATE_TIME, ts);
	date_rejects("2011-02-30 12:00:00", KPI_DATE_TIME,
	             "expected a day that exists in that month");
	date_rejects("2011-03", KPI_DATE_TIME, ts);
	date_rejects("2011-03-31 12", KPI_DATE_MONTH | KPI_DATE_TIME,
	             "expected a date YYYY-MM-DD, a month YYYY-MM or a time "
	             "stamp YYYY-MM-DD HH:MM:SS");
}

Test(date, empty_is_missing)
{
	struct kpi_date dt = { 1, 2, 3, 4, 5, 6 };
	const char *why = NULL;

	cr_assert_eq(kpi_date_parse("", 0, 0, &dt, &why), KPI_MISSING);
	cr_assert_eq(kpi_date_parse("  ", 2, KPI_DATE_MONTH, &dt, &why),
	             KPI_MISSING);
	cr_assert_eq(dt.year, 1);
}

Test(date, days_since_epoch)
{
	struct kpi_date d = { 1970, 1, 1, 0, 0, 0 };

	cr_assert_eq(kpi_date_days(&d), 0);
	d = (struct kpi_date){ 2011, 1, 1, 0, 0, 0 };
	cr_assert_eq(kpi_date_days(&d), 41 * 365 + 10);       /* 14975 */
	d = (struct kpi_date){ 2011, 3, 1, 0, 0, 0 };
	cr_assert_eq(kpi_date_days(&d), 14975 + 31 + 28);
	d = (struct kpi_date){ 2011, 3, 0, 0, 0, 0 };         /* a month */
	cr_assert_eq(kpi_date_days(&d), 15034);
	d = (struct kpi_date){ 2011, 12, 31, 23, 59, 59 };
	cr_assert_eq(kpi_date_days(&d), 14975 + 364);
	d = (struct kpi_date){ 2000, 3, 1, 0, 0, 0 };
	cr_assert_eq(kpi_date_days(&d), 30 * 365 + 7 + 31 + 29);
	d = (struct kpi_date){ 1900, 1, 1, 0, 0, 0 };
	cr_assert_eq(kpi_date_days(&d), -(70 * 365 + 17));
}

/* ---- decimal marks: which, and when one is ambiguous ---- */

static int ambiguous(const char *s)
{
	return kpi_num_ambiguous_mark(s, strlen(s));
}

Test(num, ambiguous_marks)
{
	/* a sign, 1-3 digits not starting with 0, one mark, exactly 3
	 * digits: 1 234 or 1,234? */
	cr_assert(ambiguous("1,234"));
	cr_assert(ambiguous("1.234"));
	cr_assert(ambiguous("12,345"));
	cr_assert(ambiguous("123.456"));
	cr_assert(ambiguous("-1,500"));
	cr_assert(ambiguous("+1.500"));
	cr_assert(ambiguous("\xE2\x88\x92" "1,500"));      /* U+2212 */
	cr_assert(ambiguous("  7,000 "));
	/* a thousands group never starts with 0 or has 4 digits, spaces
	 * already group thousands, and only 3 decimals can be a group */
	cr_assert_not(ambiguous("0,123"));
	cr_assert_not(ambiguous("-0.500"));
	cr_assert_not(ambiguous("1234,567"));
	cr_assert_not(ambiguous("1 234,567"));
	cr_assert_not(ambiguous("1,23"));
	cr_assert_not(ambiguous("1,2345"));
	cr_assert_not(ambiguous("1234"));
	cr_assert_not(ambiguous("1,234,567"));
	cr_assert_not(ambiguous(",234"));
	cr_assert_not(ambiguous(""));
	cr_assert_not(ambiguous("-"));
	cr_assert_not(ambiguous("a,bcd"));
}

Test(num, one_decimal_mark_only)
{
	accepts("1,234", KPI_MARK_COMMA, 1.234);
	accepts("1 234,5", KPI_MARK_COMMA, 1234.5);
	rejects("1.234", KPI_MARK_COMMA, "expected ',' as the decimal separator");
	rejects(".5", KPI_MARK_COMMA, "expected ',' as the decimal separator");
	accepts("1.234", KPI_MARK_POINT, 1.234);
	rejects("1,234", KPI_MARK_POINT, "expected '.' as the decimal separator");
	accepts("1,234", KPI_MARK_EITHER, 1.234);
	accepts("1.234", KPI_MARK_EITHER, 1.234);
}
