/*
 * fuzz_caselog.c - the contact-centre plugin's rows (case log and summary,
 * told apart by the header) through the real host: see fuzz_plugin.h.
 * Input: the export.  The config is the shipped one: three categories,
 * two with dated prices.
 */
#include "fuzz.h"
#include "fuzz_plugin.h"

FUZZ_PLUGIN_HARNESS("contact_centre", "cases.csv",
	"[kpirun]\nyear = 2011\nperiod = T2\ndata_dir = .\n\n"
	"[area contact_centre]\nplugin = contact_centre\n"
	"file = cases.csv\nanswered_s = 60\n"
	"categories = elderly_care, preschool, other\n"
	"price.elderly_care = 2011-01-01:108, 2011-09-01:98\n"
	"price.preschool = 2011-01-01:90, 2011-09-01:80\n",
	NULL)
