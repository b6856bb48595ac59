/*
 * newyear.h - kpirun --new-year: next year's config written from this
 * year's, as text, so that a controller starts the new year from a file
 * that cannot assess with last year's figures.
 *
 * The [kpirun] year goes up by one (and that year, where period, data_dir
 * and the titles write it, with it); every figure written for a period of
 * this year (manual forecasts, stated assessments, an area's
 * stated.<figure>; config.h, struct kpi_bound) and every indicator's
 * baseline and period_label are dropped, whole lines with their
 * continuation lines; every other byte (targets, comments, blank lines,
 * order, line ends, a byte-order mark) is kept as it was.
 */
#ifndef KPI_NEWYEAR_H
#define KPI_NEWYEAR_H

#include <stddef.h>

#include "config.h"

/* Next year's text of cfg, whose file holds `text` (n bytes, as
 * kpi_ini_read_file read it).  On success *out (malloc'd, the caller
 * frees; NUL-terminated) holds *out_len bytes and *dropped the number of
 * physical lines left out; each dropped or rewritten line is a note at
 * KPI_LOG_INFO naming file:line.  Returns 0, KPI_ECONFIG (the year is not
 * on its line as a number, e.g. it is split by a continuation; printed)
 * or KPI_ENOMEM (nothing printed). */
int kpi_newyear_text(const struct kpi_config *cfg, const char *text, size_t n,
                     char **out, size_t *out_len, size_t *dropped);

/* kpirun --new-year CONFIG [-o DEST]: load and check CONFIG, then write
 * next year's config to DEST ("-" or NULL: standard output) through
 * output.h (a file replaced atomically; never CONFIG itself).  Returns an
 * exit status (enum kpi_exit: 0, 2 config error, 5 output, 6 out of
 * memory), every error printed. */
int kpi_newyear_run(const char *config, const char *dest);

#endif
