/*
 * progress.c - the progress line of a long read (progress.h).  Written
 * with write(2) straight to the terminal's descriptor, so it never sits
 * in stdio's buffer of stderr between two diagnostics: each redraw is
 * "\r", the text, and "erase to end of line"; the end erases it.
 */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* -2: not set, use stderr if it is a terminal */
static int progress_fd = -2;

void kpi_progress_set_fd(int fd)
{
	progress_fd = fd >= 0 && isatty(fd) ? fd : -1;
}

static int line_fd(void)
{
	if (progress_fd == -2)
		progress_fd = isatty(STDERR_FILENO) ? STDERR_FILENO : -1;
	return progress_fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void kpi_progress_start(struct kpi_progress *p, const char *who,
                        const char *name, unsigned long long total)
{
	p->on = total >= KPI_PROGRESS_MIN_BYTES && line_fd() >= 0;
	p->shown = 0;
	p->who = who;
	p->name = name;
	p->total = total;
	p->t0 = p->on ? now() : 0;
	p->last = 0;
}

static void put(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(progress_fd, s, n);

		if (w <= 0)
			return;     /* a progress line is never worth an error */
		s += w;
		n -= (size_t)w;
	}
}

/* The line: "who: name: 120 of 831 MB, 410 MB/s, 2 s left" (MB = 10^6
 * bytes; the rate and time left once a tenth of a second has passed). */
void kpi_progress_update(struct kpi_progress *p, unsigned long long done)
{
	char line[512];
	double t, secs, rate;
	int n;

	if (!p->on)
		return;
	t = now();
	if (p->shown && t - p->last < KPI_PROGRESS_INTERVAL)
		return;
	secs = t - p->t0;
	n = snprintf(line, sizeof line, "\r%s%s%s: %.0f of %.0f MB",
	             p->who ? p->who : "", p->who ? ": " : "", p->name,
	             (double)done / 1e6, (double)p->total / 1e6);
	if (secs >= 0.1 && n > 0 && (size_t)n < sizeof line) {
		rate = (double)done / secs;
		n += snprintf(line + n, sizeof line - (size_t)n,
		              ", %.0f MB/s, %.0f s left", rate / 1e6,
		              rate > 0 && p->total > done ?
		              (double)(p->total - done) / rate : 0.0);
	}
	if (n <= 0 || (size_t)n >= sizeof line - 4)
		return;
	put(line, (size_t)n);
	put("\033[K", 3);
	p->shown = 1;
	p->last = t;
}

void kpi_progress_end(struct kpi_progress *p)
{
	if (p->on && p->shown)
		put("\r\033[K", 4);
	p->shown = 0;
	p->on = 0;
}
