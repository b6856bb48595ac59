/*
 * loader.h - finding, checking and loading area plugins.
 *
 * A plugin is <name>.so in one of the plugin directories, searched in
 * order: the config's plugin_dir, each directory of $KPI_PLUGIN_PATH
 * (colon-separated), then the install default.  Its path is walked from
 * "/" on open descriptors (OpenSSH's safe_path rules: every directory
 * owned by root or the current user and not writable by group or others,
 * except that a sticky one such as /tmp may be on the way, not hold it;
 * a symlink on the way only if owned by root or the current user, the
 * file itself a regular file, not a symlink, under the same rules), and
 * it is loaded with RTLD_NOW | RTLD_LOCAL from the descriptor that was
 * checked (/proc/self/fd/N).  Its descriptor must carry our ABI major and
 * a minor no newer than ours, and the mandatory fields.
 */
#ifndef KPI_LOADER_H
#define KPI_LOADER_H

#include <stddef.h>
#include <stdio.h>

#include "kpi/plugin.h"

struct kpi_lib {
	char *path;                   /* absolute path */
	void *handle;                 /* dlopen handle */
	const struct kpi_plugin *desc;
};

/* The search list: config_dir (may be NULL; made absolute against
 * base_dir if relative, base_dir may be NULL = cwd), then $KPI_PLUGIN_PATH,
 * then KPI_PLUGIN_DEFAULT_DIR.  *out is a malloc'd array of malloc'd
 * strings the caller frees with kpi_loader_dirs_free. */
int kpi_loader_dirs(const char *config_dir, const char *base_dir,
                    char ***out, size_t *n);
void kpi_loader_dirs_free(char **dirs, size_t n);

/* The first <name>.so found in dirs.  On success *path is a malloc'd
 * absolute path owned by the caller.  KPI_ENOTFOUND (message printed,
 * naming the directories searched) if none. */
int kpi_loader_resolve(char *const *dirs, size_t n, const char *name,
                       char **path);

/* Check and dlopen `path`, call its entry symbol and validate the
 * descriptor.  expect_name (may be NULL) must equal the descriptor's name.
 * On success *out is owned by the caller (kpi_loader_close).  Returns
 * KPI_EPLUGIN with a message naming the path and the reason (dlerror() plus
 * a hint, or the ABI versions of both sides). */
int kpi_loader_open(const char *path, const char *expect_name,
                    struct kpi_lib **out);
void kpi_loader_close(struct kpi_lib *lib);

/* Static indicator i of a checked descriptor, stepped by the plugin's own
 * sizeof(struct kpi_indicator_def) (indicators[0].size), so a plugin built
 * against an older minor is read correctly.  Points into the plugin. */
const struct kpi_indicator_def *
kpi_loader_indicator(const struct kpi_plugin *d, size_t i);

/* Load the plugin at path in THIS process and print its --list-plugins
 * lines (name, version, ABI, licence, indicators), or an "error:" line
 * with the reason it was refused.  0 if it loaded, KPI_EPLUGIN or
 * KPI_ENOMEM.  kpirun calls it only inside an area's child (sandbox.c). */
int kpi_loader_describe(const char *path, FILE *out);

typedef int (*kpi_describe_fn)(const char *path, FILE *out);

/* Print every plugin found in dirs (--list-plugins): path, name, version,
 * ABI, licence, indicators; plugins that fail to load are listed with the
 * reason.  Returns 0, or KPI_EPLUGIN if any plugin failed to load. */
int kpi_loader_list(char *const *dirs, size_t n, FILE *out);

/* kpi_loader_list with each plugin described by `describe` (kpirun passes
 * kpi_sandbox_describe, which loads it in a child process). */
int kpi_loader_list_with(char *const *dirs, size_t n, FILE *out,
                         kpi_describe_fn describe);

#endif
