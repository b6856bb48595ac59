/*
 * fmt.c - numbers as the report prints them: rounded half away from zero
 * on the decimal the data meant, grouped by thousands, with the decimal
 * mark of the language.  The rounding rule is in docs/evaluation.md.
 */
#include "fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

/* Significant digits a double carries for any decimal number: writing a
 * double to this many digits gives back the decimal it was computed from
 * and drops the binary noise (2.675 is stored as 2.67499999999999982...). */
#define FMT_SIG 15
/* Most decimals printed; a larger request prints this many. */
#define FMT_MAX_DECIMALS 15
/* Longest text kpi_fmt_number makes (limit.h). */
#define FMT_MAX_LEN KPI_MAX_NUMBER_TEXT
/* Integer digits of the largest double, plus one for a carry. */
#define FMT_MAX_INT 310

/* Every number written here parses back with kpi_num_parse. */
_Static_assert(FMT_MAX_INT + FMT_MAX_DECIMALS <= KPI_MAX_NUMBER_DIGITS,
               "kpi_num_parse must accept the longest number formatted");

/* Copy src into buf if it fits with its NUL, else make buf empty: a number
 * cut short would be a wrong number. */
static void put(char *buf, size_t n, const char *src, size_t len)
{
	if (len >= n) {
		buf[0] = '\0';
		return;
	}
	memcpy(buf, src, len);
	buf[len] = '\0';
}

/*
 * Split |v| (finite) into FMT_SIG significant decimal digits dig[] (values
 * 0..9) and the power of ten of the first one: |v| = d0.d1d2... x 10^e10.
 * Returns 0, or -1 if the C library wrote something unexpected.
 */
static int sig_digits(double v, int dig[FMT_SIG], int *e10)
{
	char tmp[64];
	int len, i, j, e = 0, neg = 0;

	len = snprintf(tmp, sizeof tmp, "%.*e", FMT_SIG - 1, fabs(v));
	if (len < FMT_SIG + 3 || (size_t)len >= sizeof tmp)
		return -1;
	/* "d.dddddddddddddde+XX" */
	for (i = 0, j = 0; i < len && tmp[i] != 'e'; i++) {
		if (tmp[i] == '.')
			continue;
		if (tmp[i] < '0' || tmp[i] > '9' || j >= FMT_SIG)
			return -1;
		dig[j++] = tmp[i] - '0';
	}
	if (j != FMT_SIG || i + 2 >= len)
		return -1;
	i++;
	if (tmp[i] == '-' || tmp[i] == '+')
		neg = tmp[i++] == '-';
	for (; i < len; i++) {
		if (tmp[i] < '0' || tmp[i] > '9' || e > 1000)
			return -1;
		e = e * 10 + (tmp[i] - '0');
	}
	*e10 = neg ? -e : e;
	return 0;
}

/*
 * Format v rounded half away from zero to `decimals` places (clamped to
 * 0..FMT_MAX_DECIMALS).  The rounding works on v written to FMT_SIG
 * significant digits, so 2.675 gives "2,68" and 847.49999999 gives "847".
 * A result that rounds to zero has no minus sign.  Groups of three digits
 * in the integer part are separated by ' ' (sv) or ',' (en) when group is
 * set; the decimal mark is ',' (sv) or '.' (en).  buf receives the text,
 * NUL-terminated, or the empty string if v is not finite or the text does
 * not fit in n bytes; nothing is written when n is 0.  Returns buf.
 */
char *kpi_fmt_number(char *buf, size_t n, double v, int decimals, int lang,
                     int group)
{
	/* fixed[0] is room for a carry; then the integer digits from the
	 * highest position down to 10^0, then the decimals. */
	int fixed[1 + FMT_MAX_INT + FMT_MAX_DECIMALS];
	int dig[FMT_SIG];
	char out[FMT_MAX_LEN];
	int e10, n_int, total, i, k, start, nonzero = 0;
	size_t len = 0;

	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	if (!isfinite(v) || sig_digits(v, dig, &e10))
		return buf;
	if (decimals < 0)
		decimals = 0;
	if (decimals > FMT_MAX_DECIMALS)
		decimals = FMT_MAX_DECIMALS;

	/* Place the digits at positions 10^(n_int-1) .. 10^-decimals. */
	n_int = e10 >= 0 ? e10 + 1 : 1;
	if (n_int > FMT_MAX_INT - 1)
		return buf;
	total = n_int + decimals;
	fixed[0] = 0;
	for (i = 1; i <= total; i++) {
		int p = n_int - i;      /* the power of ten of fixed[i] */

		k = e10 - p;            /* its index in dig[] */
		fixed[i] = k >= 0 && k < FMT_SIG ? dig[k] : 0;
	}
	/* The first digit dropped decides: 5 or more rounds away from 0. */
	k = e10 + decimals + 1;
	if (k >= 0 && k < FMT_SIG && dig[k] >= 5) {
		for (i = total; i >= 0; i--) {
			if (++fixed[i] < 10)
				break;
			fixed[i] = 0;
		}
	}

	for (i = 0; i <= total; i++)
		nonzero |= fixed[i];
	if (v < 0 && nonzero)
		out[len++] = '-';

	/* Integer part without leading zeros, but at least one digit. */
	start = 0;
	while (start < n_int && fixed[start] == 0)
		start++;
	for (i = start; i <= n_int; i++) {
		out[len++] = (char)('0' + fixed[i]);
		if (group && i < n_int && (n_int - i) % 3 == 0)
			out[len++] = lang == KPI_LANG_EN ? ',' : ' ';
	}
	if (decimals > 0) {
		out[len++] = lang == KPI_LANG_EN ? '.' : ',';
		for (i = n_int + 1; i <= total; i++)
			out[len++] = (char)('0' + fixed[i]);
	}
	out[len] = '\0';
	put(buf, n, out, len);
	return buf;
}

/*
 * Format v as kpi_fmt_number does, always grouped, followed by a space
 * and `unit` unless unit is NULL or empty ("5,5 %", "300 000 kWh").  buf
 * receives the empty string if v is not finite or the whole text does not
 * fit in n bytes; nothing is written when n is 0.  Returns buf.
 */
char *kpi_fmt_value(char *buf, size_t n, double v, int decimals,
                    const char *unit, int lang)
{
	char num[FMT_MAX_LEN];
	int len;

	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	kpi_fmt_number(num, sizeof num, v, decimals, lang, 1);
	if (num[0] == '\0')
		return buf;
	if (unit && unit[0])
		len = snprintf(buf, n, "%s %s", num, unit);
	else
		len = snprintf(buf, n, "%s", num);
	if (len < 0 || (size_t)len >= n)
		buf[0] = '\0';
	return buf;
}

/* Range in which kpi_fmt_roundtrip writes plain positional digits. */
#define FMT_PLAIN_MIN 1e-6
#define FMT_PLAIN_MAX 1e21

char *kpi_fmt_roundtrip(char *buf, size_t n, double v)
{
	char tmp[40], digits[24], out[FMT_MAX_LEN];
	int prec, len, e10, nd = 0, o = 0, i;
	const char *p;
	char *end;

	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	if (!isfinite(v))
		return buf;
	if (v == 0) {
		put(buf, n, "0", 1);
		return buf;
	}
	/* the fewest significant digits that read back to v */
	for (prec = 15; prec <= 17; prec++) {
		len = snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
		if (len < 0 || (size_t)len >= sizeof tmp)
			return buf;
		if (strtod(tmp, &end) == v && *end == '\0')
			break;
	}
	if (fabs(v) < FMT_PLAIN_MIN || fabs(v) >= FMT_PLAIN_MAX) {
		/* far from ordinary amounts: %g's exponent form, valid JSON */
		len = snprintf(tmp, sizeof tmp, "%.*g", prec > 17 ? 17 : prec, v);
		if (len > 0)
			put(buf, n, tmp, (size_t)len);
		return buf;
	}
	/* "-d.ddde+XX": digits without trailing zeros, then the exponent */
	p = tmp;
	if (*p == '-')
		out[o++] = *p++;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9' && nd < (int)sizeof digits)
			digits[nd++] = *p;
	if (*p != 'e')
		return buf;
	e10 = (int)strtol(p + 1, &end, 10);
	if (end == p + 1 || *end != '\0')
		return buf;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (e10 < 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = -1; i > e10; i--)
			out[o++] = '0';
		for (i = 0; i < nd; i++)
			out[o++] = digits[i];
	} else {
		for (i = 0; i <= e10 || i < nd; i++) {
			if (i == e10 + 1)
				out[o++] = '.';
			out[o++] = i < nd ? digits[i] : '0';
		}
	}
	put(buf, n, out, (size_t)o);
	return buf;
}
