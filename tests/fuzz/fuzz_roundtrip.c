/*
 * fuzz_roundtrip.c - what the report prints parses back (core/fmt.c then
 * core/num.c).
 *
 * Input: 8 bytes of a double, then one byte of decimals (0..15) and one of
 * style (bit 0: English, bit 1: grouped).  The number is formatted as the
 * report formats it and parsed as an export is parsed (Swedish: decimal
 * comma, grouped with spaces; English: decimal point, ungrouped - an
 * English comma group is not an input form).  Properties: the text parses,
 * unless rounding took it past the largest double; the value read is
 * within half a unit of the last decimal (plus the 15 significant digits
 * the formatter keeps) of the number written; and formatting the value
 * read gives the same text.  The JSON form (kpi_fmt_roundtrip) reads back
 * with strtod to exactly the same double, and in its plain range also
 * with kpi_num_parse.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "fuzz.h"
#include "num.h"

/* kpi_fmt_roundtrip's text reads back to v itself. */
static void check_json(double v)
{
	char text[600], *end;
	const char *why = NULL;
	double w;

	kpi_fmt_roundtrip(text, sizeof text, v);
	FUZZ_CHECK(text[0] != '\0', "%.17g: no JSON text", v);
	w = strtod(text, &end);
	FUZZ_CHECK(*end == '\0' && w == v, "%.17g is JSON '%s', read back as "
	           "%.17g", v, text, w);
	if (fabs(v) >= 1e-6 && fabs(v) < 1e21) {
		FUZZ_CHECK(strpbrk(text, "eE") == NULL, "%.17g: exponent in '%s'",
		           v, text);
		FUZZ_CHECK(kpi_num_parse(text, strlen(text), 0, &w, &why) == 0 &&
		           w == (v == 0 ? 0 : v), "%.17g is JSON '%s', which the "
		           "number parser reads as %.17g (%s)", v, text, w,
		           why ? why : "");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[600], again[600];
	const char *why = NULL;
	double v, w = 0, bound;
	int decimals, en, group, rc;

	if (size < 10)
		return 0;
	memcpy(&v, data, sizeof v);
	decimals = data[8] % 16;
	en = data[9] & 1;
	group = en ? 0 : (data[9] >> 1) & 1;
	if (!isfinite(v))
		return 0;
	check_json(v);
	kpi_fmt_number(text, sizeof text, v, decimals,
	               en ? KPI_LANG_EN : KPI_LANG_SV, group);
	FUZZ_CHECK(text[0] != '\0', "%.17g with %d decimals: no text", v,
	           decimals);
	rc = kpi_num_parse(text, strlen(text), !en, &w, &why);
	if (rc != 0) {
		/* only a number rounded past the largest double may fail */
		FUZZ_CHECK(fabs(v) > 1.7976931348623e308, "%.17g with %d "
		           "decimals is '%s', refused: %s", v, decimals, text,
		           why);
		return 0;
	}
	bound = 0.5 * pow(10, -decimals) * (1 + 1e-9) + fabs(v) * 1e-14 +
	        DBL_MIN;
	FUZZ_CHECK(fabs(w - v) <= bound, "%.17g with %d decimals is '%s', "
	           "read back as %.17g", v, decimals, text, w);
	kpi_fmt_number(again, sizeof again, w, decimals,
	               en ? KPI_LANG_EN : KPI_LANG_SV, group);
	FUZZ_CHECK(strcmp(text, again) == 0, "%.17g with %d decimals is '%s', "
	           "read back as %.17g, which is '%s'", v, decimals, text, w,
	           again);
	return 0;
}
