/*
 * fuzz_num.c - the number parsers (core/num.c) against a reference model.
 *
 * Input: one option byte (bit 0: decimal comma allowed), then the text.
 * The reference below reads the forms of inputs.md its own way - split at
 * the decimal separator, split the integer part at the thousands
 * separator, check each piece, then strtod on the bare digits - and must
 * agree with kpi_num_parse on every input: both accept with the same value
 * or both refuse.  kpi_num_parse_int is checked the same way with strtoll.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "num.h"

/* The thousands separators inputs.md allows. */
static const char *const separators[] = {
	" ", "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x89", NULL
};

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Append the digits of an integer part s[0..n) to out (at *k), checking
 * its grouping.  Returns 1 if well formed. */
static int ref_integer(const char *s, size_t n, char *out, size_t *k)
{
	const char *sep = NULL;
	size_t first = 0, seplen;

	while (first < n && s[first] >= '0' && s[first] <= '9')
		first++;
	if (first == 0)
		return 0;
	if (first < n) {
		/* grouped: the bytes after the first group up to the next
		 * digit are the separator */
		size_t e = first;

		while (e < n && (s[e] < '0' || s[e] > '9'))
			e++;
		for (const char *const *c = separators; *c; c++)
			if (strlen(*c) == e - first &&
			    memcmp(*c, s + first, e - first) == 0)
				sep = *c;
		if (!sep || first > 3)
			return 0;
	}
	memcpy(out + *k, s, first);
	*k += first;
	if (!sep)
		return 1;
	seplen = strlen(sep);
	for (size_t i = first; i < n; i += seplen + 3) {
		if (n - i < seplen + 3 || memcmp(s + i, sep, seplen) != 0 ||
		    !all_digits(s + i + seplen, 3))
			return 0;
		memcpy(out + *k, s + i + seplen, 3);
		*k += 3;
	}
	return 1;
}

/* The reference parser: 0 and *v, or -1 for a refusal, or KPI_MISSING.
 * `integer`: no decimal part allowed. */
static int ref_parse(const char *s, size_t n, int comma, int integer,
                     char *digits, size_t *ndigits, int *neg, double *v)
{
	char *text;
	const char *sepdot, *sepcomma, *dec = NULL;
	size_t k = 0, nint, nd;

	while (n > 0 && s[0] == ' ') {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0)
		return KPI_MISSING;
	*neg = 0;
	if (s[0] == '-' || s[0] == '+') {
		*neg = s[0] == '-';
		s++;
		n--;
	} else if (n >= 3 && memcmp(s, "\xE2\x88\x92", 3) == 0) {
		*neg = 1;
		s += 3;
		n -= 3;
	}
	sepdot = memchr(s, '.', n);
	sepcomma = memchr(s, ',', n);
	if (sepdot && sepcomma)
		return -1;
	if (sepcomma && !comma)
		return -1;
	dec = sepdot ? sepdot : sepcomma;
	if (dec && integer)
		return -1;
	nint = dec ? (size_t)(dec - s) : n;
	text = malloc(2 * n + 3);
	FUZZ_CHECK(text != NULL, "out of memory");
	if (!ref_integer(s, nint, text, &k))
		goto refuse;
	nd = k;
	if (dec) {
		size_t nf = n - nint - 1;

		if (nf == 0 || !all_digits(dec + 1, nf))
			goto refuse;
		text[k++] = '.';
		memcpy(text + k, dec + 1, nf);
		k += nf;
		nd += nf;
	}
	text[k] = '\0';
	if (nd > KPI_MAX_NUMBER_DIGITS)
		goto refuse;
	memcpy(digits, text, k + 1);
	*ndigits = k;
	errno = 0;
	*v = strtod(text, NULL);
	free(text);
	if (!isfinite(*v))
		return -1;
	if (*neg)
		*v = -*v;
	if (*v == 0)
		*v = 0;         /* no negative zero */
	return 0;

refuse:
	free(text);
	return -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1, *why = NULL;
	size_t n, nd = 0;
	char *digits;
	double v = -12345.5, want = 0;
	int64_t iv = -7;
	int comma, rc, ref, neg = 0;

	if (size < 1)
		return 0;
	comma = data[0] & 1;
	n = size - 1;
	digits = malloc(2 * n + 3);
	FUZZ_CHECK(digits != NULL, "out of memory");

	rc = kpi_num_parse(s, n, comma, &v, &why);
	ref = ref_parse(s, n, comma, 0, digits, &nd, &neg, &want);
	if (ref == 0) {
		FUZZ_CHECK(rc == 0, "'%.*s' (comma %d): refused (%s), reference "
		           "reads %.17g", (int)n, s, comma, why, want);
		FUZZ_CHECK(v == want && !signbit(v) == !signbit(want),
		           "'%.*s': %.17g, reference %.17g", (int)n, s, v, want);
	} else if (ref == KPI_MISSING) {
		FUZZ_CHECK(rc == KPI_MISSING && v == -12345.5, "'%.*s': empty "
		           "field gives %d", (int)n, s, rc);
	} else {
		FUZZ_CHECK(rc == KPI_EDATA, "'%.*s' (comma %d): accepted as "
		           "%.17g, reference refuses", (int)n, s, comma, v);
		FUZZ_CHECK(why && *why && v == -12345.5, "'%.*s': no reason or "
		           "value written", (int)n, s);
	}

	why = NULL;
	rc = kpi_num_parse_int(s, n, &iv, &why);
	ref = ref_parse(s, n, 0, 1, digits, &nd, &neg, &want);
	if (ref == 0) {
		/* strtoll on the bare digits, the sign put back */
		char *txt = malloc(nd + 2);
		long long w;

		FUZZ_CHECK(txt != NULL, "out of memory");
		txt[0] = neg ? '-' : '+';
		memcpy(txt + 1, digits, nd + 1);
		errno = 0;
		w = strtoll(txt, NULL, 10);
		if (errno == ERANGE) {
			FUZZ_CHECK(rc == KPI_EDATA && why, "'%.*s': out of range "
			           "accepted as %lld", (int)n, s, (long long)iv);
		} else {
			FUZZ_CHECK(rc == 0 && iv == w, "'%.*s': int %d %lld, "
			           "reference %lld", (int)n, s, rc,
			           (long long)iv, w);
		}
		free(txt);
	} else if (ref == -1) {
		/* the reference refuses what overflows a double; as an integer
		 * that is out of range as well */
		FUZZ_CHECK(rc == KPI_EDATA && why && *why, "'%.*s': int "
		           "accepted as %lld, reference refuses", (int)n, s,
		           (long long)iv);
	} else {
		FUZZ_CHECK(rc == KPI_MISSING, "'%.*s': empty gives %d", (int)n,
		           s, rc);
	}
	free(digits);
	return 0;
}
