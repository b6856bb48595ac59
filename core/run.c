/*
 * run.c - one kpirun invocation from config to report: load and check the
 * config, load each area's plugin, init, compute, evaluate, then write the
 * report atomically (temp file + rename) or, with --check, nothing.
 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "eval.h"
#include "host.h"
#include "ini.h"
#include "loader.h"
#include "report.h"
#include "sandbox.h"

struct area_rt {
	struct kpi_area *area;
	struct kpi_lib *lib;       /* shared between areas of one plugin */
	int owns_lib;
	int failed;                /* enum kpi_exit of the failure, or 0 */
	char reason[256];
};

/* The temp file being written, unlinked if a signal stops the run. */
static volatile sig_atomic_t have_tmp;
static char tmp_path[4096];

static void on_signal(int sig)
{
	if (have_tmp)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Load the plugins of every area; one .so is opened once.  Returns 0,
 * KPI_EXIT_USAGE or KPI_EXIT_NOMEM. */
static int load_plugins(struct kpi_config *cfg, struct area_rt *rt)
{
	char **dirs = NULL;
	size_t ndirs = 0;
	int rc = 0, r;

	r = kpi_loader_dirs(cfg->plugin_dir, NULL, &dirs, &ndirs);
	if (r != 0)
		return r == KPI_ENOMEM ? KPI_EXIT_NOMEM : KPI_EXIT_USAGE;
	for (size_t i = 0; i < cfg->n_areas && rc != KPI_EXIT_NOMEM; i++) {
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
		r = kpi_loader_resolve(dirs, ndirs, a->plugin, &path);
		if (r == KPI_ENOMEM) {
			rc = KPI_EXIT_NOMEM;
			continue;
		}
		if (r != 0) {
			kpi_ini_error(cfg->ini, a->section, "plugin",
			              "no plugin '%s' in the plugin directories",
			              a->plugin);
			rt[i].failed = KPI_EXIT_USAGE;
			rc = KPI_EXIT_USAGE;
			continue;
		}
		r = kpi_loader_open(path, a->plugin, &rt[i].lib);
		if (r == KPI_ENOMEM) {
			free(path);
			rc = KPI_EXIT_NOMEM;
			continue;
		}
		if (r != 0) {
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
	for (size_t i = 0; i < cfg->n_areas && rc != KPI_EXIT_NOMEM; i++) {
		if (!rt[i].lib || rt[i].failed)
			continue;
		r = kpi_config_check_area_keys(cfg, rt[i].area,
		                               rt[i].lib->desc->config_keys);
		if (r == KPI_ENOMEM)
			rc = KPI_EXIT_NOMEM;
		else if (r != 0)
			rc = KPI_EXIT_USAGE;
	}
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
 * process (sandbox.c); a failed area keeps no results.  Returns 0 or
 * KPI_EXIT_NOMEM (the run stops). */
static int compute_areas(struct kpi_config *cfg, struct area_rt *rt)
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
		if (rc == KPI_ENOMEM)
			return KPI_EXIT_NOMEM;
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
	return 0;
}

static void close_plugins(struct kpi_config *cfg, struct area_rt *rt)
{
	for (size_t i = 0; rt && i < cfg->n_areas; i++)
		if (rt[i].owns_lib)
			kpi_loader_close(rt[i].lib);
}

/* Warn about a value an area stated for months beyond the period: it is
 * not used (kpi_eval_value_fits). */
static void warn_unused_value(const struct kpi_config *cfg,
                              const struct kpi_indicator *ind)
{
	const struct kpi_value *v = &ind->value;
	char covers[64], period[64];

	if (!ind->has_value || kpi_eval_value_fits(v, cfg->period_month))
		return;
	kpi_period_label(covers, sizeof covers, KPI_LANG_EN, v->year,
	                 v->month_from, v->year, v->month_to);
	kpi_period_label(period, sizeof period, KPI_LANG_EN, cfg->year, 1,
	                 cfg->year, cfg->period_month);
	kpi_diag(KPI_LOG_WARN, ind->area, NULL, 0, 0,
	         "the value stated for '%s' covers %s, beyond the period %s: "
	         "not used", ind->id, *covers ? covers : "no valid months",
	         period);
}

static void evaluate(struct kpi_config *cfg)
{
	for (size_t i = 0; i < cfg->n_indicators; i++) {
		warn_unused_value(cfg, cfg->indicators[i]);
		kpi_eval_indicator(cfg->indicators[i], cfg->year,
		                   cfg->period_month, cfg->tolerance,
		                   cfg->tolerance_rel);
	}
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

/* Write buf to `path` through a temp file in the same directory, renamed
 * into place only when every byte is on disk. */
static int write_atomically(const char *path, const char *buf, size_t len)
{
	int fd, n;
	FILE *f;

	n = snprintf(tmp_path, sizeof tmp_path, "%s.tmpXXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof tmp_path) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "path is too long");
		return KPI_EXIT_OUTPUT;
	}
	fd = mkstemp(tmp_path);
	if (fd < 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0,
		         "cannot create the report: %s", strerror(errno));
		return KPI_EXIT_OUTPUT;
	}
	have_tmp = 1;
	f = fdopen(fd, "w");
	if (!f && errno == ENOMEM) {
		close(fd);
		unlink(tmp_path);
		have_tmp = 0;
		return KPI_EXIT_NOMEM;
	}
	if (!f || fwrite(buf, 1, len, f) != len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0,
		         "cannot write the report: %s", strerror(errno));
		if (f)
			fclose(f);
		else
			close(fd);
		goto out_unlink;
	}
	if (fclose(f) != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0,
		         "cannot write the report: %s", strerror(errno));
		goto out_unlink;
	}
	if (rename(tmp_path, path) != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0,
		         "cannot replace the report: %s", strerror(errno));
		goto out_unlink;
	}
	have_tmp = 0;
	return KPI_EXIT_OK;
out_unlink:
	unlink(tmp_path);
	have_tmp = 0;
	return KPI_EXIT_OUTPUT;
}

static int write_stdout(const char *buf, size_t len)
{
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "cannot write the report to standard output: %s",
		         strerror(errno));
		return KPI_EXIT_OUTPUT;
	}
	return KPI_EXIT_OK;
}

/* Format the report in memory, then write it out whole.  Every failed
 * area is listed, however many.  The report is formatted into an
 * open_memstream, which fails only for lack of memory: any failure there
 * is KPI_EXIT_NOMEM and nothing is written. */
static int emit_report(const struct kpi_options *o, struct kpi_config *cfg,
                       const struct area_rt *rt)
{
	struct kpi_failure *fails;
	struct kpi_report_ctx rc = { .cfg = cfg };
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int status, w;

	rc.lang = o->lang >= 0 ? o->lang : cfg->lang;
	fails = calloc(cfg->n_areas + 1, sizeof *fails);
	if (!fails)
		return KPI_EXIT_NOMEM;
	for (size_t i = 0; i < cfg->n_areas; i++)
		if (rt[i].failed) {
			fails[rc.n_failures].area = rt[i].area->name;
			fails[rc.n_failures].reason = rt[i].reason;
			rc.n_failures++;
		}
	rc.failures = fails;
	mem = open_memstream(&buf, &len);
	if (!mem) {
		free(fails);
		return KPI_EXIT_NOMEM;
	}
	w = kpi_report_write(mem, o->format, &rc);
	/* glibc's fclose of a memstream returns 0 even when its last realloc
	 * fails; the buffer is then NULL */
	if (fclose(mem) != 0 || w != 0 || !buf) {
		free(buf);
		free(fails);
		return KPI_EXIT_NOMEM;
	}
	free(fails);
	status = o->output ? write_atomically(o->output, buf, len) :
	                     write_stdout(buf, len);
	free(buf);
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

int kpi_run(const struct kpi_options *o)
{
	struct kpi_config *cfg = NULL;
	struct area_rt *rt = NULL;
	const char **skip = NULL;
	size_t n_skip = 0;
	int status = KPI_EXIT_OK, st;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	st = kpi_config_load(o->config, &cfg);
	if (st == KPI_ENOMEM) {
		kpi_diag_nomem();
		return KPI_EXIT_NOMEM;
	}
	if (st != 0)
		return KPI_EXIT_USAGE;
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
		status = KPI_EXIT_NOMEM;
		goto out_free_config;
	}
	status = load_plugins(cfg, rt);
	if (status != KPI_EXIT_OK)
		goto out_close;
	status = compute_areas(cfg, rt);
	if (status != KPI_EXIT_OK)
		goto out_close;
	for (size_t i = 0; i < cfg->n_areas; i++)
		if (rt[i].failed)
			skip[n_skip++] = rt[i].area->name;
	st = kpi_config_check_declared(cfg, skip, n_skip);
	if (st == KPI_ENOMEM) {
		status = KPI_EXIT_NOMEM;
		goto out_close;
	}
	if (st != 0)
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
	status = emit_report(o, cfg, rt);
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
	if (status == KPI_EXIT_NOMEM)
		kpi_diag_nomem();
	return status;
}

int kpi_run_list_plugins(const char *config)
{
	struct kpi_config *cfg = NULL;
	char **dirs = NULL;
	size_t ndirs = 0;
	int rc;

	rc = config ? kpi_config_load(config, &cfg) : 0;
	if (rc == KPI_ENOMEM) {
		kpi_diag_nomem();
		return KPI_EXIT_NOMEM;
	}
	if (rc != 0)
		return KPI_EXIT_USAGE;
	rc = kpi_loader_dirs(cfg ? cfg->plugin_dir : NULL, NULL, &dirs, &ndirs);
	if (rc == 0)
		rc = kpi_loader_list(dirs, ndirs, stdout);
	kpi_loader_dirs_free(dirs, ndirs);
	kpi_config_free(cfg);
	if (rc == KPI_ENOMEM) {
		kpi_diag_nomem();
		return KPI_EXIT_NOMEM;
	}
	if (fflush(stdout) != 0)
		return KPI_EXIT_OUTPUT;
	return rc == 0 ? KPI_EXIT_OK : KPI_EXIT_PLUGIN;
}
