/*
 * fuzz_budget.c - the budget plugin's rows through the real host: see
 * fuzz_plugin.h.  Built twice: fuzz_budget fuzzes the budget export
 * (balance.csv is the plugin tests' valid one), fuzz_balance
 * (-DFUZZ_BALANCE) the balance export (budget.csv the valid one).  The
 * config is the shipped one.
 */
#include "fuzz.h"
#include "fuzz_plugin.h"

#ifdef FUZZ_BALANCE
#define FUZZED "balance.csv"
#define VALID "budget.csv"
#else
#define FUZZED "budget.csv"
#define VALID "balance.csv"
#endif

static const char *const fixtures[] = {
	VALID, "plugins/budget/tests/data/" VALID, NULL
};

FUZZ_PLUGIN_HARNESS("budget", FUZZED,
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
	"stated.net_result_previous = 13,3\n",
	fixtures)
