/*
 * test_fmt.c - numbers as the report prints them: Swedish and English
 * marks and groups, rounding half away from zero on the decimal the data
 * meant, negative zero, non-finite values and short buffers.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

#define SV KPI_LANG_SV
#define EN KPI_LANG_EN

static const char *num(double v, int decimals, int lang, int group)
{
	static char buf[600];

	return kpi_fmt_number(buf, sizeof buf, v, decimals, lang, group);
}

static const char *val(double v, int decimals, const char *unit, int lang)
{
	static char buf[600];

	return kpi_fmt_value(buf, sizeof buf, v, decimals, unit, lang);
}

Test(number, seed_figures_swedish)
{
	cr_assert_str_eq(num(1290191, 0, SV, 1), "1 290 191");
	cr_assert_str_eq(num(5.5, 1, SV, 1), "5,5");
	cr_assert_str_eq(num(4164, 0, SV, 1), "4 164");
	cr_assert_str_eq(num(300000, 0, SV, 1), "300 000");
	cr_assert_str_eq(num(-2.6, 1, SV, 1), "-2,6");
	cr_assert_str_eq(num(38549828.67, 2, SV, 1), "38 549 828,67");
	cr_assert_str_eq(num(-41018403.52, 2, SV, 1), "-41 018 403,52");
	cr_assert_str_eq(num(847, 0, SV, 1), "847");
}

Test(number, seed_figures_english)
{
	cr_assert_str_eq(num(1290191, 0, EN, 1), "1,290,191");
	cr_assert_str_eq(num(5.5, 1, EN, 1), "5.5");
	cr_assert_str_eq(num(4164, 0, EN, 1), "4,164");
	cr_assert_str_eq(num(44076696.94, 2, EN, 1), "44,076,696.94");
}

Test(number, grouping)
{
	cr_assert_str_eq(num(0, 0, SV, 1), "0");
	cr_assert_str_eq(num(999, 0, SV, 1), "999");
	cr_assert_str_eq(num(1000, 0, SV, 1), "1 000");
	cr_assert_str_eq(num(12345.5, 1, SV, 1), "12 345,5");
	cr_assert_str_eq(num(123456, 0, SV, 1), "123 456");
	cr_assert_str_eq(num(1290191, 0, SV, 0), "1290191");
	cr_assert_str_eq(num(1290191, 0, EN, 0), "1290191");
	cr_assert_str_eq(num(-1000, 0, EN, 1), "-1,000");
	cr_assert_str_eq(num(1e15, 0, SV, 1), "1 000 000 000 000 000");
	cr_assert_str_eq(num(0.25, 2, SV, 1), "0,25");
}

Test(number, decimals_are_padded)
{
	cr_assert_str_eq(num(5, 1, SV, 1), "5,0");
	cr_assert_str_eq(num(0, 2, EN, 1), "0.00");
	cr_assert_str_eq(num(0.001, 3, SV, 1), "0,001");
}

Test(number, rounding_half_away_from_zero)
{
	cr_assert_str_eq(num(0.5, 0, SV, 1), "1");
	cr_assert_str_eq(num(1.5, 0, SV, 1), "2");
	cr_assert_str_eq(num(2.5, 0, SV, 1), "3");      /* not to even */
	cr_assert_str_eq(num(-0.5, 0, SV, 1), "-1");
	cr_assert_str_eq(num(-2.5, 0, SV, 1), "-3");
	cr_assert_str_eq(num(847.5, 0, SV, 1), "848");
	cr_assert_str_eq(num(-847.5, 0, SV, 1), "-848");
	cr_assert_str_eq(num(0.05, 1, SV, 1), "0,1");
	cr_assert_str_eq(num(-0.05, 1, SV, 1), "-0,1");
}

Test(number, rounding_the_decimal_not_the_binary)
{
	/* stored as 2.67499999999999982236431605997495353221893310546875 */
	cr_assert_str_eq(num(2.675, 2, SV, 1), "2,68");
	cr_assert_str_eq(num(1.005, 2, SV, 1), "1,01");
	cr_assert_str_eq(num(2.665, 2, EN, 1), "2.67");
	cr_assert_str_eq(num(78.45, 1, SV, 1), "78,5");
	cr_assert_str_eq(num(0.785 * 100, 1, SV, 1), "78,5");
	cr_assert_str_eq(num(0.785 * 100, 0, SV, 1), "79");
	cr_assert_str_eq(num(785.0 / 1000.0 * 100.0, 1, SV, 1), "78,5");
	cr_assert_str_eq(num(0.1 + 0.2, 17, SV, 1), "0,300000000000000");
	/* the seed's switchboard share, Jan-Aug */
	cr_assert_str_eq(num(1010000.0 / 1287261.0 * 100.0, 1, SV, 1),
	                 "78,5");
}

Test(number, just_below_half_stays_down)
{
	cr_assert_str_eq(num(847.49999999, 0, SV, 1), "847");
	cr_assert_str_eq(num(847.4999999999, 0, SV, 1), "847");
	cr_assert_str_eq(num(2.67499999, 2, SV, 1), "2,67");
	cr_assert_str_eq(num(0.0499999, 1, SV, 1), "0,0");
}

Test(number, carry_through_groups)
{
	cr_assert_str_eq(num(999.96, 1, SV, 1), "1 000,0");
	cr_assert_str_eq(num(999999.5, 0, SV, 1), "1 000 000");
	cr_assert_str_eq(num(9.995, 2, EN, 1), "10.00");
	cr_assert_str_eq(num(-99.95, 1, SV, 1), "-100,0");
}

Test(number, no_negative_zero)
{
	cr_assert_str_eq(num(-0.04, 1, SV, 1), "0,0");
	cr_assert_str_eq(num(-0.04, 1, EN, 1), "0.0");
	cr_assert_str_eq(num(-0.0, 0, SV, 1), "0");
	cr_assert_str_eq(num(-0.0, 2, SV, 1), "0,00");
	cr_assert_str_eq(num(-0.4, 0, SV, 1), "0");
	cr_assert_str_eq(num(-1e-300, 2, SV, 1), "0,00");
	cr_assert_str_eq(num(-0.004, 2, SV, 1), "0,00");
}

Test(number, small_and_large)
{
	char expect[600];
	const char *s;
	size_t i;

	cr_assert_str_eq(num(1e-320, 2, SV, 1), "0,00");
	cr_assert_str_eq(num(0.00049, 3, SV, 1), "0,000");
	cr_assert_str_eq(num(0.0005, 3, SV, 1), "0,001");
	cr_assert_str_eq(num(123456789012345678.0, 0, SV, 0),
	                 "123456789012346000");

	/* DBL_MAX: 309 digits, 15 of them significant */
	s = num(1.7976931348623157e308, 2, EN, 0);
	memset(expect, 0, sizeof expect);
	memcpy(expect, "179769313486232", 15);
	for (i = 15; i < 309; i++)
		expect[i] = '0';
	memcpy(expect + 309, ".00", 3);
	cr_assert_str_eq(s, expect);
	s = num(-1.7976931348623157e308, 0, SV, 1);
	cr_assert_eq(strlen(s), 1 + 309 + 102);
	cr_assert_eq(strncmp(s, "-179 769 313 486 232 000", 24), 0);
}

Test(number, decimals_clamped)
{
	cr_assert_str_eq(num(5.5, -1, SV, 1), "6");
	cr_assert_str_eq(num(1.0 / 3.0, 40, SV, 1), "0,333333333333333");
}

Test(number, not_finite_is_empty)
{
	cr_assert_str_eq(num(NAN, 1, SV, 1), "");
	cr_assert_str_eq(num(INFINITY, 1, SV, 1), "");
	cr_assert_str_eq(num(-INFINITY, 0, EN, 1), "");
}

Test(number, short_buffer_gives_empty_never_a_cut_number)
{
	char buf[16];

	memset(buf, 'x', sizeof buf);
	/* "1 290 191" is 9 characters and its NUL */
	cr_assert_str_eq(kpi_fmt_number(buf, 9, 1290191, 0, SV, 1), "");
	cr_assert_str_eq(kpi_fmt_number(buf, 10, 1290191, 0, SV, 1),
	                 "1 290 191");
	cr_assert_str_eq(kpi_fmt_number(buf, 1, 5, 0, SV, 1), "");
	buf[0] = 'x';
	cr_assert_eq(kpi_fmt_number(buf, 0, 5, 0, SV, 1), buf);
	cr_assert_eq(buf[0], 'x');
	cr_assert_null(kpi_fmt_number(NULL, 10, 5, 0, SV, 1));
}

Test(value, with_unit)
{
	cr_assert_str_eq(val(5.5, 1, "%", SV), "5,5 %");
	cr_assert_str_eq(val(5.5, 1, "%", EN), "5.5 %");
	cr_assert_str_eq(val(300000, 0, "kWh", SV), "300 000 kWh");
	cr_assert_str_eq(val(52, 0, "kWh/m\xc2\xb2", SV),
	                 "52 kWh/m\xc2\xb2");
	cr_assert_str_eq(val(78.45, 1, "%", SV), "78,5 %");
	cr_assert_str_eq(val(-0.04, 1, "%", SV), "0,0 %");
}

Test(value, without_unit)
{
	cr_assert_str_eq(val(847, 0, NULL, SV), "847");
	cr_assert_str_eq(val(4164, 0, "", SV), "4 164");
	cr_assert_str_eq(val(1290191, 0, NULL, EN), "1,290,191");
}

Test(value, not_finite_and_short_buffer)
{
	char buf[8];

	cr_assert_str_eq(val(NAN, 1, "%", SV), "");
	cr_assert_str_eq(val(INFINITY, 0, "kr", EN), "");
	/* "5,5 %" needs 6 bytes */
	memset(buf, 'x', sizeof buf);
	cr_assert_str_eq(kpi_fmt_value(buf, 5, 5.5, 1, "%", SV), "");
	cr_assert_str_eq(kpi_fmt_value(buf, 6, 5.5, 1, "%", SV), "5,5 %");
	buf[0] = 'x';
	kpi_fmt_value(buf, 0, 5.5, 1, "%", SV);
	cr_assert_eq(buf[0], 'x');
}

/* kpi_fmt_roundtrip(v) must print want, and want must read back to v. */
static void expect_rt(double v, const char *want)
{
	char buf[64];

	kpi_fmt_roundtrip(buf, sizeof buf, v);
	cr_assert_str_eq(buf, want, "%.17g", v);
	cr_assert(strtod(buf, NULL) == v, "%s does not read back", buf);
}

/* Worked out by hand: 12345678901.23 needs 13 significant digits, which
 * %.15g already reads back (the old %.10g gave 1.23456789e+10); 0.1 + 0.2
 * is 0.30000000000000004 and needs 17; 78.5 and 5.5 are exact. */
Test(roundtrip, shortest_decimal_without_exponent)
{
	expect_rt(12345678901.23, "12345678901.23");
	expect_rt(78.5, "78.5");
	expect_rt(5.5, "5.5");
	expect_rt(0.1 + 0.2, "0.30000000000000004");
	expect_rt(100.0 / 120.0 * 100.0, "83.33333333333334");
	expect_rt(1290191, "1290191");
	expect_rt(-2.0, "-2");
	expect_rt(0, "0");
	expect_rt(1e20, "100000000000000000000");
	expect_rt(0.000001, "0.000001");
	expect_rt(-0.00012, "-0.00012");
	expect_rt(160e6, "160000000");
}

Test(roundtrip, far_from_ordinary_amounts_uses_an_exponent)
{
	char buf[64];

	expect_rt(1e21, "1e+21");
	expect_rt(1.5e-7, "1.5e-07");
	cr_assert_str_eq(kpi_fmt_roundtrip(buf, sizeof buf, NAN), "");
	cr_assert_str_eq(kpi_fmt_roundtrip(buf, sizeof buf, INFINITY), "");
	/* a buffer too small gives nothing rather than a cut number */
	cr_assert_str_eq(kpi_fmt_roundtrip(buf, 4, 12345.5), "");
}
