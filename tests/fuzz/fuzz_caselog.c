/*
 * fuzz_caselog.c - the contact-centre plugin's rows (case log and summary,
 * told apart by the header) through the real host: see fuzz_plugin.h.
 * Input: the export.  The config is the shipped one: three categories,
 * two with dated prices.
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
		"[area contact_centre]\nplugin = contact_centre\n"
		"file = cases.csv\nanswered_s = 60\n"
		"categories = elderly_care, preschool, other\n"
		"price.elderly_care = 2011-01-01:108, 2011-09-01:98\n"
		"price.preschool = 2011-01-01:90, 2011-09-01:80\n", NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready)
		LLVMFuzzerInitialize(NULL, NULL);
	fuzz_plugin_run(kpi_plugin_entry(), "contact_centre", "cases.csv",
	                data, size);
	return 0;
}
