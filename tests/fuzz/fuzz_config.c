/*
 * fuzz_config.c - the config load (core/ini.c, core/config.c through
 * kpi_config_load on a file) on any bytes.  Input: the config file.
 * Properties: no crash, leak or hang; a refused config printed a
 * diagnostic; a loaded one passes through the checks run.c makes after
 * loading (declared indicators, --check's target rules) without crashing.
 */
#include "config.h"
#include "diag.h"
#include "fuzz.h"

static int ready;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ready = 1;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kpi_config *cfg = NULL;
	const char *path;
	unsigned errors;
	int rc;

	if (!ready)
		LLVMFuzzerInitialize(NULL, NULL);
	path = fuzz_file("fuzz.ini", data, size);
	errors = kpi_diag_errors();
	rc = kpi_config_load(path, &cfg);
	if (rc != 0) {
		FUZZ_CHECK(cfg == NULL, "config returned on failure");
		FUZZ_CHECK(kpi_diag_errors() > errors, "refused silently");
		return 0;
	}
	FUZZ_CHECK(cfg != NULL, "no config");
	kpi_config_check_declared(cfg, NULL, 0);
	kpi_config_check_targets(cfg);
	kpi_config_free(cfg);
	return 0;
}
