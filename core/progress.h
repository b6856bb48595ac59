/*
 * progress.h - the progress line of a long read: file, MB read, MB/s and
 * the time left, redrawn in place on a terminal and erased when the read
 * ends.  Only on a terminal, only for a file of KPI_PROGRESS_MIN_BYTES or
 * more: never in a pipe, a log file or CI.
 */
#ifndef KPI_PROGRESS_H
#define KPI_PROGRESS_H

/* Files smaller than this (on disk: a .gz counts compressed) read
 * without a progress line. */
#define KPI_PROGRESS_MIN_BYTES ((unsigned long long)64 << 20)
/* Least time between two redraws, seconds. */
#define KPI_PROGRESS_INTERVAL 0.25

struct kpi_progress {
	int on;                     /* a line may be drawn */
	int shown;                  /* a line is on the terminal */
	const char *who, *name;     /* not owned */
	unsigned long long total;   /* the file's size */
	double t0, last;            /* start, last redraw */
};

/* Where progress lines go: fd (not owned; the caller keeps it open), or
 * -1 for nowhere.  Until this is called they go to stderr when stderr is
 * a terminal.  A descriptor that is not a terminal turns them off. */
void kpi_progress_set_fd(int fd);

/* Begin reading `name` (who may be NULL: the diagnostic prefix) of
 * `total` bytes.  The strings must outlive p's use. */
void kpi_progress_start(struct kpi_progress *p, const char *who,
                        const char *name, unsigned long long total);

/* `done` of the total bytes are read: redraw if it is time. */
void kpi_progress_update(struct kpi_progress *p, unsigned long long done);

/* The read ended: erase the line if one was drawn. */
void kpi_progress_end(struct kpi_progress *p);

#endif
