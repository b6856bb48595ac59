/*
 * output.h - putting rendered reports where the command line says: standard
 * output, an open descriptor, a device or FIFO written in place, or a
 * regular file replaced atomically (temp file, fsync, rename, mode kept).
 *
 * A set of outputs is all or nothing: every regular file is first written
 * whole to a temp file beside it, then the in-place destinations are
 * written, and only when all of that succeeded are the temp files renamed
 * over their targets.  If anything fails no report file is replaced (what
 * already went to a stream cannot be taken back) and every temp file is
 * removed.  A fatal signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) removes the
 * temp files too and then ends the process with that signal.
 */
#ifndef KPI_OUTPUT_H
#define KPI_OUTPUT_H

#include <stddef.h>

/* What a destination turns out to be (kpi_output_set_new decides). */
enum kpi_output_kind {
	KPI_OUTPUT_FD = 0,       /* "-", or a /proc descriptor link of ours
	                            (/dev/stdout, /dev/fd/N): that descriptor */
	KPI_OUTPUT_IN_PLACE = 1, /* exists and is not a regular file (after
	                            following symlinks): opened and written */
	KPI_OUTPUT_FILE = 2      /* a regular file or a new name: replaced
	                            atomically (symlinks followed: the link
	                            stays, the file it names is replaced) */
};

struct kpi_output_set;

/* Prepare the process for writing reports; call once, first thing.
 * Signals: SIGINT, SIGTERM, SIGHUP and SIGQUIT remove the registered temp
 * files and re-raise (a signal inherited as ignored stays ignored); SIGPIPE
 * is ignored, so a closed pipe is a write error (EPIPE) reported like any
 * other.  Descriptors: a closed standard input or error is reopened on
 * /dev/null and a closed standard output on /dev/null read-only, so no file
 * kpirun opens can take their numbers, and writing to "-" then fails
 * (EBADF) instead of landing in that file. */
void kpi_output_init(void);

/* Find out what each of dests[0..n) is (nothing is opened, created or
 * written yet).  "-" is standard output.  On success *out is owned by the
 * caller (kpi_output_set_free); the strings must outlive it.  Returns 0, or
 * KPI_EIO with a message naming the destination (a directory, a loop of
 * symlinks, two names for one file), or KPI_ENOMEM. */
int kpi_output_set_new(const char *const *dests, size_t n,
                       struct kpi_output_set **out);

/* Write bufs[i] (lens[i] bytes, borrowed) to destination i for every i,
 * all or nothing as described at the top.  Every write, fsync and close is
 * checked.  Returns 0, or KPI_EIO after printing which destination failed
 * and why and, if some were already written, which. */
int kpi_output_set_write(struct kpi_output_set *s, const char *const *bufs,
                         const size_t *lens);

/* kpi_output_set_write with one more step that can still stop it:
 * before_replace(arg), when not NULL, is called after every temp file and
 * stream is written and before any file is replaced; if it returns
 * non-zero (after printing why), no file is replaced, the temp files are
 * removed and its code is returned (KPI_ENOMEM included). */
int kpi_output_set_write_hook(struct kpi_output_set *s,
                              const char *const *bufs, const size_t *lens,
                              int (*before_replace)(void *), void *arg);

/* Free the set, removing any temp file still registered. */
void kpi_output_set_free(struct kpi_output_set *s);

#endif
