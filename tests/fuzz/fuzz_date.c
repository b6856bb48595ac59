/*
 * fuzz_date.c - the date parser (core/num.c) against a reference model.
 *
 * Input: one option byte (bits 0-1: KPI_DATE_MONTH, KPI_DATE_TIME), then
 * the text.  The reference matches the text against the patterns of
 * inputs.md character by character, reads the numbers with sscanf, and
 * lets the C library's timegm() judge the calendar (a date that does not
 * exist comes back normalised to another); kpi_date_parse must agree on
 * every input, and kpi_date_days must agree with timegm.
 */
#define _DEFAULT_SOURCE /* timegm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "num.h"

/* Does s (NUL-terminated) match pattern: 'd' a digit, other bytes
 * themselves? */
static int matches(const char *s, const char *pattern)
{
	for (; *pattern; s++, pattern++) {
		if (*pattern == 'd' ? !(*s >= '0' && *s <= '9') : *s != *pattern)
			return 0;
	}
	return *s == '\0';
}

/* 0 and *d, KPI_MISSING, or -1 for a refusal. */
static int ref_date(const char *text, size_t n, int flags, struct kpi_date *d)
{
	char buf[32], sepc;
	struct tm tm;
	time_t t;
	int ok;

	while (n > 0 && *text == ' ') {
		text++;
		n--;
	}
	while (n > 0 && text[n - 1] == ' ')
		n--;
	if (n == 0)
		return KPI_MISSING;
	if (n >= sizeof buf || memchr(text, '\0', n))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	memset(d, 0, sizeof *d);
	if (matches(buf, "dddd-dd-dd"))
		ok = sscanf(buf, "%4d-%2d-%2d", &d->year, &d->month,
		            &d->day) == 3;
	else if ((flags & KPI_DATE_MONTH) && matches(buf, "dddd-dd"))
		ok = sscanf(buf, "%4d-%2d", &d->year, &d->month) == 2;
	else if ((flags & KPI_DATE_TIME) &&
	         (matches(buf, "dddd-dd-dd dd:dd:dd") ||
	          matches(buf, "dddd-dd-ddTdd:dd:dd")))
		ok = sscanf(buf, "%4d-%2d-%2d%c%2d:%2d:%2d", &d->year,
		            &d->month, &d->day, &sepc, &d->hour, &d->min,
		            &d->sec) == 7;
	else if ((flags & KPI_DATE_TIME) &&
	         (matches(buf, "dddd-dd-dd dd:dd") ||
	          matches(buf, "dddd-dd-ddTdd:dd")))
		ok = sscanf(buf, "%4d-%2d-%2d%c%2d:%2d", &d->year, &d->month,
		            &d->day, &sepc, &d->hour, &d->min) == 6;
	else
		return -1;
	if (!ok || d->year < 1900 || d->year > 2999 || d->month < 1 ||
	    d->month > 12 || d->hour > 23 || d->min > 59 || d->sec > 59)
		return -1;
	/* a month alone is day 0; a written day 00 does not exist */
	if (n > 7 && d->day == 0)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = d->year - 1900;
	tm.tm_mon = d->month - 1;
	tm.tm_mday = d->day ? d->day : 1;
	t = timegm(&tm);
	if (tm.tm_mday != (d->day ? d->day : 1) || tm.tm_mon != d->month - 1 ||
	    t == (time_t)-1)
		return -1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1, *why = NULL;
	struct kpi_date got, want;
	int flags, rc, ref;
	size_t n;

	if (size < 1)
		return 0;
	flags = data[0] & (KPI_DATE_MONTH | KPI_DATE_TIME);
	n = size - 1;
	memset(&got, 0x5A, sizeof got);
	rc = kpi_date_parse(s, n, flags, &got, &why);
	ref = ref_date(s, n, flags, &want);
	if (ref == 0) {
		struct tm tm;

		FUZZ_CHECK(rc == 0, "'%.*s' (flags %d): refused (%s)", (int)n, s,
		           flags, why);
		FUZZ_CHECK(got.year == want.year && got.month == want.month &&
		           got.day == want.day && got.hour == want.hour &&
		           got.min == want.min && got.sec == want.sec,
		           "'%.*s': %d-%d-%d %d:%d:%d", (int)n, s, got.year,
		           got.month, got.day, got.hour, got.min, got.sec);
		memset(&tm, 0, sizeof tm);
		tm.tm_year = want.year - 1900;
		tm.tm_mon = want.month - 1;
		tm.tm_mday = want.day ? want.day : 1;
		FUZZ_CHECK(kpi_date_days(&got) == (long)(timegm(&tm) / 86400),
		           "'%.*s': day %ld", (int)n, s, kpi_date_days(&got));
	} else if (ref == KPI_MISSING) {
		FUZZ_CHECK(rc == KPI_MISSING, "'%.*s': empty gives %d", (int)n, s,
		           rc);
	} else {
		FUZZ_CHECK(rc == KPI_EDATA && why && *why, "'%.*s' (flags %d): "
		           "accepted, reference refuses", (int)n, s, flags);
		FUZZ_CHECK(got.year == 0x5A5A5A5A, "'%.*s': written on error",
		           (int)n, s);
	}
	return 0;
}
