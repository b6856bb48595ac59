/*
 * fmt.h - numbers as the report prints them.
 *
 * Swedish: decimal comma, thin groups of three separated by a space
 * ("1 290 191", "5,5"); English: decimal point, comma groups
 * ("1,290,191", "5.5").  Never prints nan or inf.
 */
#ifndef KPI_FMT_H
#define KPI_FMT_H

#include <stddef.h>

#include "model.h"

/* Format v rounded half away from zero to `decimals` places, grouped by
 * thousands when group is set.  Returns buf (empty string if v is not
 * finite).  The Swedish grouping character is a plain space. */
char *kpi_fmt_number(char *buf, size_t n, double v, int decimals, int lang,
                     int group);

/* Format v with its unit as the report shows it: "5,5 %", "847",
 * "300 000 kWh": the number grouped, then a space and the unit unless the
 * unit is empty. */
char *kpi_fmt_value(char *buf, size_t n, double v, int decimals,
                    const char *unit, int lang);

/* Format v for programs (JSON): the shortest of 15, 16 or 17 significant
 * digits that strtod reads back to the same double, decimal point,
 * no grouping, no exponent for 1e-6 <= |v| < 1e21 ("12345678901.23",
 * "0.000001", "78.5"); %g's exponent form outside that.  Empty for a
 * value that is not finite.  Returns buf. */
char *kpi_fmt_roundtrip(char *buf, size_t n, double v);

#endif
