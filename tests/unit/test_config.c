/*
 * test_config.c - the config module: the run section, the goal hierarchy,
 * activities, every target form, tolerances, and the errors that name
 * file:line.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"

static char path[256];
static char *diag_buf;
static size_t diag_len;
static FILE *diag_mem;

/* Write text to a per-test config file and start capturing diagnostics. */
static void write_config(const char *name, const char *text)
{
	FILE *f;

	snprintf(path, sizeof path, "/tmp/kpi_cfg_%s_%d.ini", name, getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	diag_mem = open_memstream(&diag_buf, &diag_len);
	kpi_diag_set_stream(diag_mem);
}

static const char *diag_text(void)
{
	fflush(diag_mem);
	return diag_buf ? diag_buf : "";
}

static void done(void)
{
	kpi_diag_set_stream(NULL);
	fclose(diag_mem);
	free(diag_buf);
	diag_buf = NULL;
	unlink(path);
}

#define RUN_HEAD \
	"[kpirun]\nyear = 2011\nperiod = T2\ndata_dir = data\n" \
	"[area pay]\nplugin = payroll\n"

Test(config, run_section_and_paths)
{
	struct kpi_config *cfg;

	write_config("run", "[kpirun]\nyear = 2011\nperiod = 2011-07\n"
	             "data_dir = ../data\nplugin_dir = /opt/p\nlang = en\n"
	             "tolerance = 0,5\n");
	cr_assert_eq(kpi_config_load(path, &cfg), 0, "%s", diag_text());
	cr_assert_eq(cfg->year, 2011);
	cr_assert_eq(cfg->period.kind, KPI_PERIOD_TO_MONTH);
	cr_assert_eq(cfg->period.from_month, 1);
	cr_assert_eq(cfg->period.to_month, 7);
	cr_assert_eq(cfg->compare, KPI_COMPARE_SAME_PERIOD);
	cr_assert_eq(cfg->lang, KPI_LANG_EN);
	cr_assert_str_eq(cfg->data_dir, "/tmp/../data");
	cr_assert_str_eq(cfg->plugin_dir, "/opt/p");
	cr_assert_float_eq(cfg->tolerance, 0.5, 1e-12);
	cr_assert_eq(cfg->tolerance_rel, 0);
	kpi_config_free(cfg);
	done();
}

/* The period across New Year and the comparison keys, read into the
 * config (kpi_period_parse itself: test_period.c). */
Test(config, period_range_and_compare)
{
	struct kpi_config *cfg;

	write_config("range", "[kpirun]\nyear = 2011\n"
	             "period = 2010-08..2011-07\ndata_dir = d\n"
	             "compare = previous_year\n[area pay]\nplugin = payroll\n"
	             "[indicator pay.a]\ncompare = same_period\n"
	             "[indicator pay.b]\n");
	cr_assert_eq(kpi_config_load(path, &cfg), 0, "%s", diag_text());
	cr_assert_eq(cfg->period.kind, KPI_PERIOD_RANGE);
	cr_assert_eq(cfg->period.from_year, 2010);
	cr_assert_eq(cfg->period.from_month, 8);
	cr_assert_eq(cfg->period.to_year, 2011);
	cr_assert_eq(cfg->period.to_month, 7);
	cr_assert_eq(cfg->compare, KPI_COMPARE_PREVIOUS_YEAR);
	cr_assert_eq(cfg->n_indicators, 2);
	cr_assert_eq(cfg->indicators[0]->compare, KPI_COMPARE_SAME_PERIOD);
	cr_assert_eq(cfg->indicators[1]->compare, KPI_COMPARE_DEFAULT);
	kpi_config_free(cfg);
	done();
}

Test(config, goal_hierarchy_in_file_order)
{
	struct kpi_config *cfg;

	write_config("goals", RUN_HEAD
	             "[goal 1]\nkind = direction\ntitle_sv = Ett\n"
	             "[goal 1.2]\nkind = council\nparent = 1\ntitle_sv = B\n"
	             "[goal 1.1]\nkind = council\nparent = 1\ntitle_sv = A\n"
	             "indicators = pay.a, pay.b\nstated = partial\n"
	             "[goal c]\nkind = committee\nparent = 1.1\ntitle_en = C\n"
	             "[activity x]\ngoal = 1.1\ntext_sv = Gör\nstart = 2011-01-01\n"
	             "end = 2011-12-31\n");
	cr_assert_eq(kpi_config_load(path, &cfg), 0, "%s", diag_text());
	cr_assert_eq(cfg->n_goals, 4);
	cr_assert_str_eq(cfg->goals[0]->id, "1");
	cr_assert_eq(cfg->goals[0]->n_children, 2);
	cr_assert_str_eq(cfg->goals[0]->children[0]->id, "1.2");
	cr_assert_str_eq(cfg->goals[0]->children[1]->id, "1.1");
	cr_assert_eq(cfg->goals[2]->n_indicators, 2);
	cr_assert_str_eq(cfg->goals[2]->indicators[1]->id, "pay.b");
	cr_assert_eq(cfg->goals[2]->stated, KPI_ASSESS_PARTIAL);
	cr_assert_eq(cfg->goals[2]->n_children, 1);
	cr_assert_eq(cfg->goals[3]->kind, KPI_GOAL_COMMITTEE);
	cr_assert_eq(cfg->goals[2]->n_activities, 1);
	cr_assert_eq(cfg->goals[2]->activities[0]->end.month, 12);
	cr_assert_eq(cfg->n_indicators, 2);
	cr_assert_eq(cfg->indicators[0]->declared, 0);
	kpi_config_free(cfg);
	done();
}

Test(config, every_target_form)
{
	struct kpi_config *cfg;
	struct kpi_indicator *ind;

	write_config("targets", RUN_HEAD
	             "[indicator pay.a]\ntarget = 4 300\ncouncil_target = 35 %\n"
	             "forecast = 4 300\nstated = met\ntolerance = 5 %\n"
	             "[indicator pay.b]\ntarget = 300 000 kWh\n"
	             "council_target = 100 +/- 1 %\nforecast = seasonal\n"
	             "tolerance = 2\n"
	             "[indicator pay.c]\ntarget = increase\n"
	             "council_target = decrease\nforecast = linear\n"
	             "[indicator pay.d]\ntarget = set_by_committee\n"
	             "council_target = text:enligt plan\n"
	             "[indicator pay.e]\ntarget = 5,5 %\nbaseline = 4,7\n"
	             "subperiods = 1-4, 5-8\ncouncil_scope = city\n");
	cr_assert_eq(kpi_config_load(path, &cfg), 0, "%s", diag_text());
	ind = kpi_config_indicator(cfg, "pay.a");
	cr_assert_eq(ind->target.kind, KPI_TARGET_NUMBER);
	cr_assert_float_eq(ind->target.value, 4300.0, 1e-9);
	cr_assert_null(ind->target.unit);
	cr_assert_str_eq(ind->council.unit, "%");
	cr_assert_float_eq(ind->council.value, 35.0, 1e-9);
	cr_assert_eq(ind->forecast_kind, KPI_FORECAST_MANUAL);
	cr_assert_float_eq(ind->forecast_value, 4300.0, 1e-9);
	cr_assert_eq(ind->stated, KPI_ASSESS_MET);
	cr_assert_float_eq(ind->tolerance, 0.05, 1e-12);
	cr_assert_eq(ind->tolerance_relative, 1);
	ind = kpi_config_indicator(cfg, "pay.b");
	cr_assert_float_eq(ind->target.value, 300000.0, 1e-9);
	cr_assert_str_eq(ind->target.unit, "kWh");
	cr_assert_eq(ind->council.kind, KPI_TARGET_RANGE);
	cr_assert_float_eq(ind->council.value, 100.0, 1e-9);
	cr_assert_float_eq(ind->council.width, 1.0, 1e-9);
	cr_assert_str_eq(ind->council.unit, "%");
	cr_assert_eq(ind->forecast_kind, KPI_FORECAST_SEASONAL);
	cr_assert_float_eq(ind->tolerance, 2.0, 1e-12);
	cr_assert_eq(ind->tolerance_relative, 0);
	ind = kpi_config_indicator(cfg, "pay.c");
	cr_assert_eq(ind->target.kind, KPI_TARGET_INCREASE);
	cr_assert_eq(ind->council.kind, KPI_TARGET_DECREASE);
	cr_assert_eq(ind->forecast_kind, KPI_FORECAST_LINEAR);
	ind = kpi_config_indicator(cfg, "pay.d");
	cr_assert_eq(ind->target.kind, KPI_TARGET_TEXT);
	cr_assert_str_eq(ind->target.text_sv, "tas fram av nämnden");
	cr_assert_str_eq(ind->target.text_en, "set by committee");
	cr_assert_str_eq(ind->council.text_sv, "enligt plan");
	ind = kpi_config_indicator(cfg, "pay.e");
	cr_assert_float_eq(ind->target.value, 5.5, 1e-12);
	cr_assert_eq(ind->target.decimals, 1);
	cr_assert_float_eq(ind->baseline_cfg, 4.7, 1e-12);
	cr_assert_eq(ind->n_subperiods, 2);
	cr_assert_eq(ind->subperiods[1][0], 5);
	cr_assert_eq(ind->subperiods[1][1], 8);
	cr_assert_eq(ind->council_citywide, 1);
	kpi_config_free(cfg);
	done();
}

/* Load text and expect KPI_ECONFIG with `message` (after the path). */
static void expect_error(const char *name, const char *text,
                         const char *message)
{
	struct kpi_config *cfg = NULL;
	char want[512];

	write_config(name, text);
	cr_assert_eq(kpi_config_load(path, &cfg), KPI_ECONFIG);
	cr_assert_null(cfg);
	snprintf(want, sizeof want, "%s%s", path, message);
	cr_assert(strstr(diag_text(), want) != NULL, "expected \"%s\" in \"%s\"",
	          want, diag_text());
	done();
}

Test(config, errors_name_file_and_line)
{
	expect_error("empty", "", ":1: no [kpirun] section");
	expect_error("noyear", "[kpirun]\nperiod = T2\ndata_dir = d\n",
	             ":1: [kpirun] missing required key 'year'");
	expect_error("badyear", "[kpirun]\nyear = 2011x\nperiod = T2\n"
	             "data_dir = d\n", ":2: [kpirun] year: '2011x' is not a "
	             "whole number");
	expect_error("section", RUN_HEAD "[goals 1]\nkind = direction\n",
	             ":7: [goals 1] unknown section [goals 1]");
	expect_error("parent", RUN_HEAD "[goal 1.1]\nkind = council\n"
	             "parent = 1\ntitle_sv = A\n",
	             ":9: [goal 1.1] parent: no goal '1' defined above");
	expect_error("kind", RUN_HEAD "[goal 1]\nkind = board\ntitle_sv = A\n",
	             ":8: [goal 1] kind: 'board' is not a goal kind");
	expect_error("area", RUN_HEAD "[goal 1]\nkind = direction\n"
	             "title_sv = A\nindicators = hr.sick_leave\n",
	             ":10: [goal 1] indicators: 'hr.sick_leave': no [area hr]");
	expect_error("stated", RUN_HEAD "[indicator pay.a]\nstated = yes\n",
	             ":8: [indicator pay.a] stated: 'yes' is not an assessment");
	expect_error("dates", RUN_HEAD "[goal 1]\nkind = direction\n"
	             "title_sv = A\n[activity a]\ngoal = 1\ntext_sv = x\n"
	             "start = 2011-12-31\nend = 2011-01-01\n",
	             ":14: [activity a] end: ends before it starts");
	expect_error("date", RUN_HEAD "[goal 1]\nkind = direction\n"
	             "title_sv = A\n[activity a]\ngoal = 1\ntext_sv = x\n"
	             "start = 2011-02-30\nend = 2011-03-01\n",
	             ":13: [activity a] start: '2011-02-30' is not a date");
	expect_error("forecast", RUN_HEAD "[indicator pay.a]\nforecast = guess\n",
	             ":8: [indicator pay.a] forecast: 'guess' is not a forecast");
	expect_error("tol", RUN_HEAD "[indicator pay.a]\ntolerance = -1\n",
	             ":8: [indicator pay.a] tolerance: '-1' is negative");
	expect_error("range", RUN_HEAD "[indicator pay.a]\ntarget = 100 +/- x\n",
	             ":8: [indicator pay.a] target: '100 +/- x': the width");
	expect_error("cmp", RUN_HEAD "[indicator pay.a]\ncompare = last\n",
	             ":8: [indicator pay.a] compare: 'last' is not a comparison "
	             "(expected same_period or previous_year)");
	expect_error("runcmp", "[kpirun]\nyear = 2011\nperiod = T2\n"
	             "data_dir = d\ncompare = 2010\n",
	             ":5: [kpirun] compare: '2010' is not a comparison");
	expect_error("pyear", "[kpirun]\nyear = 2011\nperiod = 2010-01..2010-12\n"
	             "data_dir = d\n",
	             ":3: [kpirun] period: '2010-01..2010-12' is not a period: it "
	             "ends in 2010, not in the config's year 2011");
	expect_error("plong", "[kpirun]\nyear = 2011\nperiod = 2009-01..2011-12\n"
	             "data_dir = d\n",
	             ":3: [kpirun] period: '2009-01..2011-12' is not a period: it "
	             "is 36 months long, limit 24");
	expect_error("sub", RUN_HEAD "[indicator pay.a]\nsubperiods = 5-3\n",
	             ":8: [indicator pay.a] subperiods: '5-3' is not a list");
	expect_error("typo", RUN_HEAD "[indicator pay.a]\ncouncil_targt = 5\n",
	             ":8: [indicator pay.a] unknown key 'council_targt' (did you "
	             "mean 'council_target'?)");
}

Test(config, declared_indicators_take_plugin_fields_unless_overridden)
{
	struct kpi_config *cfg;
	struct kpi_indicator *ind;
	struct kpi_indicator_def d = {
		.size = sizeof d, .id = "a", .name_sv = "Svenska",
		.name_en = "English", .unit = "st", .aggregation = KPI_AGG_RATIO,
		.scale = 100, .direction = KPI_DIR_HIGHER, .decimals = 1,
	};

	write_config("declare", RUN_HEAD "[goal 1]\nkind = direction\n"
	             "title_sv = A\nindicators = pay.a, pay.zz\n"
	             "[indicator pay.a]\nname_sv = Eget namn\ndecimals = 0\n");
	cr_assert_eq(kpi_config_load(path, &cfg), 0, "%s", diag_text());
	cr_assert_eq(kpi_config_declare(cfg, "pay", &d), 0);
	ind = kpi_config_indicator(cfg, "pay.a");
	cr_assert_str_eq(ind->name_sv, "Eget namn");
	cr_assert_str_eq(ind->name_en, "English");
	cr_assert_eq(ind->decimals, 0);
	cr_assert_eq(ind->aggregation, KPI_AGG_RATIO);
	cr_assert_float_eq(ind->scale, 100.0, 1e-12);
	/* declaring twice is refused */
	cr_assert_eq(kpi_config_declare(cfg, "pay", &d), KPI_EINVAL);
	/* pay.zz is referenced but nobody declared it */
	cr_assert_eq(kpi_config_check_declared(cfg, NULL, 0), KPI_ECONFIG);
	cr_assert(strstr(diag_text(), ":10: [goal 1] indicators: no plugin "
	                 "computes 'pay.zz'") != NULL, "%s", diag_text());
	/* unless its area's plugin failed */
	{
		const char *skip[] = { "pay" };

		cr_assert_eq(kpi_config_check_declared(cfg, skip, 1), 0);
	}
	kpi_config_free(cfg);
	done();
}

Test(config, check_targets_compares_same_unit_and_direction)
{
	struct kpi_config *cfg;
	struct kpi_indicator_def d = {
		.size = sizeof d, .id = "sick", .unit = "%",
		.aggregation = KPI_AGG_ROLLING12, .scale = 100,
		.direction = KPI_DIR_LOWER,
	};
	struct kpi_indicator_def e = d;

	e.id = "el";
	e.unit = "kWh";
	write_config("check", RUN_HEAD
	             "[indicator pay.sick]\ntarget = 5 %\ncouncil_target = 4,8 %\n"
	             "[indicator pay.el]\ntarget = 300 000 kWh\n"
	             "council_target = 680 GWh\n");
	cr_assert_eq(kpi_config_load(path, &cfg), 0, "%s", diag_text());
	cr_assert_eq(kpi_config_declare(cfg, "pay", &d), 0);
	cr_assert_eq(kpi_config_declare(cfg, "pay", &e), 0);
	cr_assert_eq(kpi_config_check_targets(cfg), KPI_ECONFIG);
	cr_assert(strstr(diag_text(), ":8: [indicator pay.sick] target: "
	                 "committee target 5 is less ambitious than the "
	                 "council's target 4.8 (lower is better)") != NULL, "%s",
	          diag_text());
	/* the electricity targets are in different units: not compared */
	cr_assert(strstr(diag_text(), "pay.el") == NULL, "%s", diag_text());
	kpi_config_free(cfg);
	done();
}
