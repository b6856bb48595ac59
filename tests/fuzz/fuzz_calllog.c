/*
 * fuzz_calllog.c - the switchboard plugin's rows (call log and summary,
 * told apart by the header) through the real host: see fuzz_plugin.h.
 * Input: the export.
 */
#include "fuzz.h"
#include "fuzz_plugin.h"

FUZZ_PLUGIN_HARNESS("switchboard", "calls.csv",
	"[kpirun]\nyear = 2011\nperiod = T2\ndata_dir = .\n\n"
	"[area switchboard]\nplugin = switchboard\n"
	"file = calls.csv\nservice_level_s = 25\n",
	NULL)
