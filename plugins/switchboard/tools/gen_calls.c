/*
 * gen_calls.c - writes a synthetic switchboard call log
 * (call_start,queue,result,wait_s,talk_s) of N rows to stdout, spread
 * evenly over January-August 2011, for bench/switchboard_bench.sh.
 *
 * Usage: gen_calls ROWS > switchboard_calls.csv
 * Deterministic (a fixed-seed generator), so every run writes the same
 * file; about 93 % of the calls are answered, about 79 % within 25 s.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECONDS (243L * 86400L)   /* 2011-01-01 .. 2011-08-31 */

static uint64_t rng_state = 0x2011082500000001ULL;

/* The next pseudo-random 32 bits (xorshift64*). */
static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* Write v (0 <= v < 10^width) as exactly `width` digits at p; returns the
 * position after them. */
static char *put_fixed(char *p, unsigned v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* Write v without leading zeros at p; returns the position after it. */
static char *put_uint(char *p, unsigned v)
{
	char tmp[12];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Month (1..12) and day (1..31) of day-of-year `yday` (0-based) in 2011. */
static void month_day(long yday, unsigned *month, unsigned *day)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30,
	                             31, 31, 30, 31, 30, 31 };
	unsigned m = 0;

	while (yday >= len[m]) {
		yday -= len[m];
		m++;
	}
	*month = m + 1;
	*day = (unsigned)yday + 1;
}

/* Parse the row count: digits only, 1..10^10.  Returns 0 or -1. */
static int parse_rows(const char *s, long long *rows)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*rows = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || *rows < 1 || *rows > 10000000000LL)
		return -1;
	return 0;
}

/* Write the header and ROWS rows to stdout in 1 MiB blocks.  Exit status
 * 0, 1 (write error) or 2 (usage). */
int main(int argc, char **argv)
{
	static const char *const queue[] = { "stad", "bolag", "engelska" };
	static char buf[1 << 20];
	const char *header = "call_start,queue,result,wait_s,talk_s\n";
	long long rows, i;
	size_t used;

	if (argc != 2 || parse_rows(argv[1], &rows) != 0) {
		fprintf(stderr, "usage: gen_calls ROWS (1..10000000000)\n");
		return 2;
	}
	used = strlen(header);
	memcpy(buf, header, used);
	for (i = 0; i < rows; i++) {
		long t = (long)(i * (long long)SECONDS / rows);
		unsigned month, day, r = rng(), q = r % 100;
		unsigned answered = ((r >> 16) % 100) < 93;
		unsigned wait = (r >> 8) % 100 < 79 ? (r >> 10) % 26
		                                    : 26 + (r >> 10) % 95;
		char *p;

		if (sizeof buf - used < 128) {
			if (fwrite(buf, 1, used, stdout) != used)
				goto out_write;
			used = 0;
		}
		p = buf + used;
		month_day(t / 86400, &month, &day);
		memcpy(p, "2011-", 5);
		p = put_fixed(p + 5, month, 2);
		*p++ = '-';
		p = put_fixed(p, day, 2);
		*p++ = ' ';
		p = put_fixed(p, (unsigned)(t % 86400 / 3600), 2);
		*p++ = ':';
		p = put_fixed(p, (unsigned)(t % 3600 / 60), 2);
		*p++ = ':';
		p = put_fixed(p, (unsigned)(t % 60), 2);
		*p++ = ',';
		q = q < 74 ? 0 : q < 94 ? 1 : 2;
		memcpy(p, queue[q], strlen(queue[q]));
		p += strlen(queue[q]);
		if (answered) {
			memcpy(p, ",answered,", 10);
			p = put_uint(p + 10, wait);
			*p++ = ',';
			p = put_uint(p, 10 + (r >> 24) % 110);
		} else {
			memcpy(p, ",abandoned,", 11);
			p = put_uint(p + 11, wait);
			*p++ = ',';
		}
		*p++ = '\n';
		used = (size_t)(p - buf);
	}
	if (fwrite(buf, 1, used, stdout) != used || fflush(stdout) != 0)
		goto out_write;
	return 0;

out_write:
	perror("gen_calls: write");
	return 1;
}
