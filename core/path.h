/*
 * path.h - file paths a config or a plugin names, resolved against the
 * directory they are relative to and, unless the config allows otherwise,
 * confined to it: no absolute path, no ".." out of it, no symbolic link
 * out of it.
 */
#ifndef KPI_PATH_H
#define KPI_PATH_H

/* Resolve `rel` against directory `base` for reading.
 *
 * With confine set, the file must lie inside base: `rel` must be relative,
 * its ".." components must not climb above base, and the real path of the
 * file (every symbolic link followed, realpath(3)) must be inside the real
 * path of base.  A symbolic link that stays inside base is fine.  A file
 * that does not exist (or cannot be resolved) passes, unresolved: opening
 * it reports the problem.
 *
 * On success *out (owned by the caller, free()) is the path to open: the
 * real path when it could be resolved, else base/rel (rel itself when it
 * is absolute and confine is off).  On refusal *why is a static reason to
 * put after "outside DIR " ("is an absolute path", "('..' leads out of
 * it)", ...) and, when a symbolic link leads out, *out is the real path it
 * leads to (caller frees; else NULL).  Returns 0, KPI_ECONFIG (refused) or
 * KPI_ENOMEM. */
int kpi_path_resolve(const char *base, const char *rel, int confine,
                     char **out, const char **why);

#endif
