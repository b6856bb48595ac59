/*
 * ini.h - the config file: iniparser wrapped, with the line numbers and
 * checks iniparser lacks.
 *
 * A pre-scan reads the file once (regular file, at most 1 MiB) and records
 * every section and key with its line, rejecting what iniparser would
 * mishandle: NUL bytes, lines of 1023 bytes or more, keys outside a
 * section, duplicate keys and repeated sections, syntax errors.  A UTF-8
 * BOM is accepted (stripped before iniparser sees the text).  Values are
 * then read with iniparser_getstring only.  Section and key names are
 * compared lowercase; diagnostics show the spelling of the file.
 */
#ifndef KPI_INI_H
#define KPI_INI_H

#include <stddef.h>

#include "kpi/plugin.h"

struct kpi_ini;

/* Load `path`.  On success *out owns the parsed file (kpi_ini_free).
 * Returns 0 or KPI_ECONFIG with every problem printed as path:line: ... */
int kpi_ini_load(const char *path, struct kpi_ini **out);
void kpi_ini_free(struct kpi_ini *ini);

/* The bytes of the config file `path` as kpi_ini_load reads them (a
 * regular file of at most 1 MiB), NUL-terminated, in *buf (malloc'd, the
 * caller frees) and *len.  Returns 0, KPI_ECONFIG with a message naming
 * the file, or KPI_ENOMEM. */
int kpi_ini_read_file(const char *path, char **buf, size_t *len);

const char *kpi_ini_path(const struct kpi_ini *ini);

/* Sections in file order, names lowercase ("area payroll"). */
size_t kpi_ini_nsections(const struct kpi_ini *ini);
const char *kpi_ini_section(const struct kpi_ini *ini, size_t i);
/* True if the section exists. */
int kpi_ini_has_section(const struct kpi_ini *ini, const char *section);
/* Keys of a section in file order, lowercase. */
size_t kpi_ini_nkeys(const struct kpi_ini *ini, const char *section);
const char *kpi_ini_key(const struct kpi_ini *ini, const char *section,
                        size_t i);

/* Value of section:key (the value as iniparser returns it: trimmed,
 * quotes removed, comments stripped), or NULL if absent.  Owned by ini. */
const char *kpi_ini_get(const struct kpi_ini *ini, const char *section,
                        const char *key);

/* Cut the value of section:key to its first len bytes (a suffix the core
 * has read, such as the " @ T2" of a plugin's key); from then on
 * kpi_ini_get returns the shorter value.  Nothing happens if the key is
 * absent or len is not shorter. */
void kpi_ini_cut_value(struct kpi_ini *ini, const char *section,
                       const char *key, size_t len);

/* From now on kpi_ini_get returns NULL for section:key, as for an absent
 * key; the key is still listed (kpi_ini_key) and keeps its line. */
void kpi_ini_hide(struct kpi_ini *ini, const char *section, const char *key);

/* Line of section:key, or of the section header when key is NULL; 0 if
 * unknown. */
long kpi_ini_line(const struct kpi_ini *ini, const char *section,
                  const char *key);

/* Print "path:line: [section] key: message" (line of the key, or of the
 * section if key is NULL or absent).  Returns KPI_ECONFIG. */
int kpi_ini_error(const struct kpi_ini *ini, const char *section,
                  const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Reject keys of `section` that match none of `known` (NULL-terminated;
 * patterns as struct kpi_plugin.config_keys: trailing '*', leading "*.").
 * Each unknown key is reported with the closest known key as a suggestion
 * ("did you mean 'target'?").  Returns 0 or KPI_ECONFIG. */
int kpi_ini_check_keys(const struct kpi_ini *ini, const char *section,
                       const char *const *known);

/* True if key matches pattern (rules above). */
int kpi_key_matches(const char *pattern, const char *key);

/* The candidate closest to word by edit distance, or NULL if none is
 * within a third of the word's length (at least 2). */
const char *kpi_suggest(const char *word, const char *const *candidates);

#endif
