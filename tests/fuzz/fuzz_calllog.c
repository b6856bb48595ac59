/*
 * fuzz_calllog.c - the switchboard plugin's rows (call log and summary,
 * told apart by the header) through the real host: see fuzz_plugin.h.
 * Input: the export.
 */
#include "fuzz.h"
#include "fuzz_plugin.h"

static int ready;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ready = 1;
	fuzz_plugin_setup(
		"[kpirun]\nyear = 2011\nperiod = T2\ndata_dir = .\n\n"
		"[area switchboard]\nplugin = switchboard\n"
		"file = calls.csv\nservice_level_s = 25\n", NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready)
		LLVMFuzzerInitialize(NULL, NULL);
	fuzz_plugin_run(kpi_plugin_entry(), "switchboard", "calls.csv", data,
	                size);
	return 0;
}
