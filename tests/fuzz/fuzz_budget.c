/*
 * fuzz_budget.c - the budget plugin's rows of the budget export through
 * the real host: see fuzz_plugin.h.  Input: budget.csv; balance.csv is the
 * plugin tests' valid one.  The config is the shipped one.
 */
#include "fuzz.h"
#include "fuzz_plugin.h"

static const char *const fixtures[] = {
	"balance.csv", "plugins/budget/tests/data/balance.csv", NULL
};

static int ready;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ready = 1;
	fuzz_plugin_setup(
		"[kpirun]\nyear = 2011\nperiod = T2\ndata_dir = .\n\n"
		"[area budget]\nplugin = budget\nfile = budget.csv\n"
		"balance_file = balance.csv\nunit = mnkr\nfund_in = 7,6\n"
		"fund_used = 2,0\n"
		"capital_costs = depreciation, internal_interest\n"
		"name.committee = Nämnd och administration | Committee and "
		"administration\n"
		"name.payroll = Löneadministration | Payroll administration\n"
		"name.contact_centre.aldre_direkt = Äldre Direkt | Äldre "
		"Direkt\n"
		"name.depreciation = Avskrivningar | Depreciation\n"
		"stated.net_result_previous = 13,3\n", fixtures);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready)
		LLVMFuzzerInitialize(NULL, NULL);
	fuzz_plugin_run(kpi_plugin_entry(), "budget", "budget.csv", data,
	                size);
	return 0;
}
