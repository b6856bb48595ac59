/*
 * run.c - one kpirun invocation from config to report: load and check the
 * config, load each area's plugin, init, compute, evaluate, then write the
 * report to every output (output.c) or, with --check, nothing.
 */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "eval.h"
#include "host.h"
#include "ini.h"
#include "loader.h"
#include "output.h"
#include "report.h"
#include "sandbox.h"

struct area_rt {
	struct kpi_area *area;
	struct kpi_lib *lib;       /* shared between areas of one plugin */
	int owns_lib;
	int failed;                /* enum kpi_exit of the failure, or 0 */
	char reason[256];
};

/* Load the plugins of every area; one .so is opened once. */
static int load_plugins(struct kpi_config *cfg, struct area_rt *rt)
{
	char **dirs = NULL;
	size_t ndirs = 0;
	int rc = 0;

	if (kpi_loader_dirs(cfg->plugin_dir, NULL, &dirs, &ndirs) != 0)
		return KPI_EXIT_USAGE;
	for (size_t i = 0; i < cfg->n_areas; i++) {
		struct kpi_area *a = &cfg->areas[i];
		char *path = NULL;

		rt[i].area = a;
		for (size_t k = 0; k < i && !rt[i].lib && !rt[i].failed; k++)
			if (strcmp(cfg->areas[k].plugin, a->plugin) == 0) {
				rt[i].lib = rt[k].lib;
				rt[i].failed = rt[k].failed;
				memcpy(rt[i].reason, rt[k].reason, sizeof rt[i].reason);
			}
		if (rt[i].lib || rt[i].failed)
			continue;
		/* a plugin that is not there is a config error; one that is
		 * there but cannot be used is a plugin failure */
		if (kpi_loader_resolve(dirs, ndirs, a->plugin, &path) != 0) {
			kpi_ini_error(cfg->ini, a->section, "plugin",
			              "no plugin '%s' in the plugin directories",
			              a->plugin);
			rt[i].failed = KPI_EXIT_USAGE;
			rc = KPI_EXIT_USAGE;
			continue;
		}
		if (kpi_loader_open(path, a->plugin, &rt[i].lib) != 0) {
			kpi_ini_error(cfg->ini, a->section, "plugin",
			              "plugin '%s' (%s) could not be loaded",
			              a->plugin, path);
			rt[i].failed = KPI_EXIT_PLUGIN;
			snprintf(rt[i].reason, sizeof rt[i].reason,
			         "plugin '%s' could not be loaded", a->plugin);
			free(path);
			continue;
		}
		rt[i].owns_lib = 1;
		free(path);
	}
	kpi_loader_dirs_free(dirs, ndirs);
	for (size_t i = 0; i < cfg->n_areas; i++)
		if (rt[i].lib && !rt[i].failed &&
		    kpi_config_check_area_keys(cfg, rt[i].area,
		                               rt[i].lib->desc->config_keys) != 0)
			rc = KPI_EXIT_USAGE;
	return rc;
}

/* Forget whatever a failed area emitted: its indicators show no data. */
static void clear_area(struct kpi_config *cfg, const char *area)
{
	for (size_t i = 0; i < cfg->n_indicators; i++) {
		struct kpi_indicator *ind = cfg->indicators[i];

		if (strcmp(ind->area, area) != 0)
			continue;
		memset(&ind->main.m, 0, sizeof ind->main.m);
		for (size_t k = 0; k < ind->n_groups; k++)
			memset(&ind->groups[k].m, 0, sizeof ind->groups[k].m);
		ind->has_value = 0;
		ind->has_prev_value = 0;
	}
}

/* Declare each area's static indicators, then run its plugin in a child
 * process (sandbox.c); a failed area keeps no results. */
static void compute_areas(struct kpi_config *cfg, struct area_rt *rt)
{
	for (size_t i = 0; i < cfg->n_areas; i++) {
		struct area_rt *r = &rt[i];
		const struct kpi_plugin *p;
		struct kpi_area_result res;
		int rc = 0;

		if (r->failed)
			continue;
		p = r->lib->desc;
		for (size_t k = 0; k < p->n_indicators && rc == 0; k++) {
			/* stride by the plugin's own struct size (plugin.h) */
			const struct kpi_indicator_def *d = (const void *)
				((const char *)p->indicators + k * p->indicators[0].size);

			rc = kpi_config_declare(cfg, r->area->name, d);
		}
		if (rc != 0) {
			r->failed = KPI_EXIT_PLUGIN;
			snprintf(r->reason, sizeof r->reason, "%s",
			         "declares an invalid indicator");
			continue;
		}
		kpi_sandbox_run(cfg, r->area, p, cfg->plugin_timeout, &res);
		if (res.failed) {
			r->failed = res.failed;
			memcpy(r->reason, res.reason, sizeof r->reason);
			clear_area(cfg, r->area->name);
		}
	}
}

static void close_plugins(struct kpi_config *cfg, struct area_rt *rt)
{
	for (size_t i = 0; rt && i < cfg->n_areas; i++)
		if (rt[i].owns_lib)
			kpi_loader_close(rt[i].lib);
}

static void evaluate(struct kpi_config *cfg)
{
	for (size_t i = 0; i < cfg->n_indicators; i++)
		kpi_eval_indicator(cfg->indicators[i], cfg->year,
		                   cfg->period_month, cfg->tolerance,
		                   cfg->tolerance_rel);
	for (size_t i = 0; i < cfg->n_goals; i++)
		if (!cfg->goals[i]->parent)
			kpi_eval_goal(cfg->goals[i]);
}

static int missed_targets(const struct kpi_config *cfg, int fail_on)
{
	if (fail_on == KPI_FAIL_NEVER)
		return 0;
	for (size_t i = 0; i < cfg->n_indicators; i++) {
		int a = cfg->indicators[i]->res.assessment;

		if (a == KPI_ASSESS_NOT_MET ||
		    (fail_on == KPI_FAIL_PARTIAL && a == KPI_ASSESS_PARTIAL))
			return 1;
	}
	return 0;
}

/* Render the report in `format` into a malloc'd buffer (*buf, owned by
 * the caller, *len bytes).  Returns 0, or KPI_EXIT_OUTPUT after a message. */
static int render(int format, const struct kpi_report_ctx *rc, char **buf,
                  size_t *len)
{
	FILE *mem = open_memstream(buf, len);

	if (!mem) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		return KPI_EXIT_OUTPUT;
	}
	if (kpi_report_write(mem, format, rc) != 0 || fclose(mem) != 0) {
		free(*buf);
		*buf = NULL;
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "cannot format the report");
		return KPI_EXIT_OUTPUT;
	}
	return KPI_EXIT_OK;
}

/* Render each format the outputs ask for once, then write them all
 * (output.c: all or nothing). */
static int emit_report(const struct kpi_options *o, struct kpi_config *cfg,
                       const struct area_rt *rt, struct kpi_output_set *set)
{
	struct kpi_failure fails[64];
	struct kpi_report_ctx rc = { .cfg = cfg };
	size_t n = o->n_outputs;
	char **owned = calloc(n, sizeof *owned);
	const char **bufs = calloc(n, sizeof *bufs);
	size_t *lens = calloc(n, sizeof *lens);
	int status = KPI_EXIT_OK;

	if (!owned || !bufs || !lens) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		status = KPI_EXIT_OUTPUT;
		goto out_free;
	}
	rc.lang = o->lang >= 0 ? o->lang : cfg->lang;
	for (size_t i = 0; i < cfg->n_areas && rc.n_failures < 64; i++)
		if (rt[i].failed) {
			fails[rc.n_failures].area = rt[i].area->name;
			fails[rc.n_failures].reason = rt[i].reason;
			rc.n_failures++;
		}
	rc.failures = fails;
	for (size_t i = 0; i < n && status == KPI_EXIT_OK; i++) {
		size_t k = 0;

		while (k < i && o->outputs[k].format != o->outputs[i].format)
			k++;
		if (k < i) {
			bufs[i] = bufs[k];
			lens[i] = lens[k];
			continue;
		}
		status = render(o->outputs[i].format, &rc, &owned[i], &lens[i]);
		bufs[i] = owned[i];
	}
	if (status == KPI_EXIT_OK && kpi_output_set_write(set, bufs, lens) != 0)
		status = KPI_EXIT_OUTPUT;
out_free:
	for (size_t i = 0; owned && i < n; i++)
		free(owned[i]);
	free(owned);
	free(bufs);
	free(lens);
	return status;
}

/* The worst failure among the areas: config, then data, then plugin. */
static int area_status(const struct kpi_config *cfg, const struct area_rt *rt)
{
	int st = KPI_EXIT_OK;

	for (size_t i = 0; i < cfg->n_areas; i++) {
		int f = rt[i].failed;

		if (f == KPI_EXIT_USAGE ||
		    (f == KPI_EXIT_DATA && st != KPI_EXIT_USAGE) ||
		    (f == KPI_EXIT_PLUGIN && st == KPI_EXIT_OK))
			st = f;
	}
	return st;
}

/* What each output is, found before any work so that a bad destination
 * (a directory, a missing directory, one file named twice) stops the run
 * at once.  Nothing is created yet. */
static int open_outputs(const struct kpi_options *o,
                        struct kpi_output_set **set)
{
	const char **dests = calloc(o->n_outputs, sizeof *dests);
	int rc;

	if (!dests) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		return KPI_ENOMEM;
	}
	for (size_t i = 0; i < o->n_outputs; i++)
		dests[i] = o->outputs[i].dest;
	rc = kpi_output_set_new(dests, o->n_outputs, set);
	free(dests);
	return rc;
}

int kpi_run(const struct kpi_options *o)
{
	struct kpi_config *cfg = NULL;
	struct kpi_output_set *set = NULL;
	struct area_rt *rt = NULL;
	const char **skip = NULL;
	size_t n_skip = 0;
	int status = KPI_EXIT_OK, st;

	if (!o->check && open_outputs(o, &set) != 0)
		return KPI_EXIT_OUTPUT;
	if (kpi_config_load(o->config, &cfg) != 0) {
		kpi_output_set_free(set);
		return KPI_EXIT_USAGE;
	}
	if (o->period && kpi_config_parse_period(o->period, cfg->year,
	                                         &cfg->period_month) != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "--period: '%s' is not a period (expected T1, T2, T3, "
		         "year or %d-MM)", o->period, cfg->year);
		status = KPI_EXIT_USAGE;
		goto out_free_config;
	}
	rt = calloc(cfg->n_areas + 1, sizeof *rt);
	skip = calloc(cfg->n_areas + 1, sizeof *skip);
	if (!rt || !skip) {
		status = KPI_EXIT_PLUGIN;
		goto out_free_config;
	}
	if (load_plugins(cfg, rt) != 0) {
		status = KPI_EXIT_USAGE;
		goto out_close;
	}
	compute_areas(cfg, rt);
	for (size_t i = 0; i < cfg->n_areas; i++)
		if (rt[i].failed)
			skip[n_skip++] = rt[i].area->name;
	if (kpi_config_check_declared(cfg, skip, n_skip) != 0)
		status = KPI_EXIT_USAGE;
	if (o->check && kpi_config_check_targets(cfg) != 0)
		status = KPI_EXIT_USAGE;
	st = area_status(cfg, rt);
	if (st == KPI_EXIT_USAGE || (st == KPI_EXIT_DATA && !o->keep_going))
		status = st;
	if (status != KPI_EXIT_OK)
		goto out_close;
	evaluate(cfg);
	if (o->check) {
		status = st;
		if (status == KPI_EXIT_OK)
			kpi_diag(KPI_LOG_INFO, NULL, NULL, 0, 0,
			         "%s: config, plugins and data are valid",
			         cfg->path);
		goto out_close;
	}
	status = emit_report(o, cfg, rt, set);
	if (status == KPI_EXIT_OK)
		status = st;
	if (status == KPI_EXIT_OK && missed_targets(cfg, o->fail_on))
		status = KPI_EXIT_MISSED;

out_close:
	close_plugins(cfg, rt);
out_free_config:
	free(rt);
	free(skip);
	kpi_config_free(cfg);
	kpi_output_set_free(set);
	return status;
}

int kpi_run_list_plugins(const char *config)
{
	struct kpi_config *cfg = NULL;
	char **dirs = NULL;
	size_t ndirs = 0;
	int rc;

	if (config && kpi_config_load(config, &cfg) != 0)
		return KPI_EXIT_USAGE;
	rc = kpi_loader_dirs(cfg ? cfg->plugin_dir : NULL, NULL, &dirs, &ndirs);
	if (rc == 0)
		rc = kpi_loader_list(dirs, ndirs, stdout);
	kpi_loader_dirs_free(dirs, ndirs);
	kpi_config_free(cfg);
	/* kpi_loader_list reports its own write error (KPI_EIO) */
	if (rc == KPI_EIO || fflush(stdout) != 0 || ferror(stdout))
		return KPI_EXIT_OUTPUT;
	return rc == 0 ? KPI_EXIT_OK : KPI_EXIT_PLUGIN;
}
