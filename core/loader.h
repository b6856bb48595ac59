/*
 * loader.h - finding, checking and loading area plugins.
 *
 * A plugin is <name>.so in one of the plugin directories, searched in
 * order: the config's plugin_dir, each directory of $KPI_PLUGIN_PATH
 * (colon-separated), then the install default.  It is opened by absolute
 * path with RTLD_NOW | RTLD_LOCAL after checks: not a symlink, a regular
 * file, neither it nor its directory writable by group or others, owned
 * by root or the current user.  Its descriptor must carry our ABI major and
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

/* Print every plugin found in dirs (--list-plugins): path, name, version,
 * ABI, licence, indicators; plugins that fail to load are listed with the
 * reason.  Returns 0, or KPI_EPLUGIN if any plugin failed to load. */
int kpi_loader_list(char *const *dirs, size_t n, FILE *out);

#endif
