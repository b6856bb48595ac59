/*
 * fuzz_plugin.h - running an area plugin over a fuzzed export through the
 * real host (core/host.c, core/csv.c, core/config.c), in this process:
 * the plugin's source is compiled into the harness, no fork, no dlopen.
 */
#ifndef KPI_FUZZ_PLUGIN_H
#define KPI_FUZZ_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "kpi/plugin.h"

/* Write the config `ini` (its [kpirun] data_dir is the scratch directory,
 * write "data_dir = ." in it) and copy the fixture files named in
 * `fixtures` (NULL-terminated pairs: name in the data directory, path
 * relative to the source tree) into the scratch directory.  Call once. */
void fuzz_plugin_setup(const char *ini, const char *const *fixtures);

/* One run: the input becomes export `name`; the config is loaded, the
 * area `area` served by plugin p is initialised and computed, its
 * indicators evaluated, everything freed.  Properties checked: the fixed
 * config loads and init succeeds; compute either succeeds without a
 * refused host call, or fails with a data error (KPI_EDATA, KPI_EIO) that
 * printed a diagnostic. */
void fuzz_plugin_run(const struct kpi_plugin *p, const char *area,
                     const char *name, const uint8_t *data, size_t size);

/* The whole of a plugin harness: the libFuzzer entry points over one
 * area.  The input becomes export FILE of [area AREA] in the config INI;
 * FIXTURES as for fuzz_plugin_setup (or NULL). */
#define FUZZ_PLUGIN_HARNESS(AREA, FILE, INI, FIXTURES)                     \
	static int fuzz_ready;                                             \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                  \
	{                                                                  \
		(void)argc;                                                \
		(void)argv;                                                \
		fuzz_ready = 1;                                            \
		fuzz_plugin_setup(INI, FIXTURES);                          \
		return 0;                                                  \
	}                                                                  \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)       \
	{                                                                  \
		if (!fuzz_ready)                                           \
			LLVMFuzzerInitialize(NULL, NULL);                  \
		fuzz_plugin_run(kpi_plugin_entry(), AREA, FILE, data,      \
		                size);                                     \
		return 0;                                                  \
	}

#endif
