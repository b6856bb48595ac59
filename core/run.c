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
#include "writer.h"

struct area_rt {
	struct kpi_area *area;
	char *path;                /* the plugin file found for it */
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

/* Find each area's plugin file.  Nothing is opened here: every step
 * that runs plugin code (loading included) happens in the area's child
 * (sandbox.c). */
static int find_plugins(struct kpi_config *cfg, struct area_rt *rt)
{
	char **dirs = NULL;
	size_t ndirs = 0;
	int rc = 0;

	if (kpi_loader_dirs(cfg->plugin_dir, NULL, &dirs, &ndirs) != 0)
		return KPI_EXIT_USAGE;
	for (size_t i = 0; i < cfg->n_areas; i++) {
		struct kpi_area *a = &cfg->areas[i];

		rt[i].area = a;
		/* a plugin that is not there is a config error; one that is
		 * there but cannot be used is a plugin failure */
		if (kpi_loader_resolve(dirs, ndirs, a->plugin, &rt[i].path) != 0) {
			kpi_ini_error(cfg->ini, a->section, "plugin",
			              "no plugin '%s' in the plugin directories",
			              a->plugin);
			rt[i].failed = KPI_EXIT_USAGE;
			rc = KPI_EXIT_USAGE;
		}
	}
	kpi_loader_dirs_free(dirs, ndirs);
	return rc;
}

/* Run each area's plugin in its own child process (sandbox.c); a failed
 * area keeps its declarations but no results. */
static void compute_areas(struct kpi_config *cfg, struct area_rt *rt)
{
	struct kpi_sandbox_limits lim = {
		cfg->plugin_timeout, cfg->plugin_memory_mb, cfg->plugin_processes
	};

	for (size_t i = 0; i < cfg->n_areas; i++) {
		struct area_rt *r = &rt[i];
		struct kpi_area_result res;

		if (r->failed)
			continue;
		kpi_sandbox_run(cfg, r->area, r->path, &lim, &res);
		if (res.failed) {
			r->failed = res.failed;
			memcpy(r->reason, res.reason, sizeof r->reason);
		}
	}
}

static void free_plugins(struct kpi_config *cfg, struct area_rt *rt)
{
	for (size_t i = 0; rt && i < cfg->n_areas; i++)
		free(rt[i].path);
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

static int emit_report(const struct kpi_options *o, struct kpi_config *cfg,
                       const struct area_rt *rt)
{
	struct kpi_failure *fails;
	struct kpi_report *rep = NULL;
	struct kpi_writer_opts wo;
	const struct kpi_writer *w = kpi_writer_by_format(o->format);
	size_t n_fails = 0, len = 0;
	char *buf = NULL;
	FILE *mem;
	int status;

	wo.lang = o->lang >= 0 ? o->lang : cfg->lang;
	wo.fail_on = o->fail_on;
	fails = calloc(cfg->n_areas + 1, sizeof *fails);
	if (!fails) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		return KPI_EXIT_OUTPUT;
	}
	for (size_t i = 0; i < cfg->n_areas; i++)
		if (rt[i].failed) {
			fails[n_fails].area = rt[i].area->name;
			fails[n_fails].reason = rt[i].reason;
			fails[n_fails].status = rt[i].failed;
			n_fails++;
		}
	status = kpi_report_build(cfg, wo.lang, fails, n_fails, &rep);
	free(fails);
	if (status != 0)
		return KPI_EXIT_OUTPUT;
	mem = open_memstream(&buf, &len);
	if (!mem) {
		kpi_report_free(rep);
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		return KPI_EXIT_OUTPUT;
	}
	status = w->write(mem, rep, &wo);
	kpi_report_free(rep);
	if (fclose(mem) != 0 || status != 0) {
		free(buf);
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "cannot format the report");
		return KPI_EXIT_OUTPUT;
	}
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
	if (kpi_config_load(o->config, &cfg) != 0)
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
		status = KPI_EXIT_PLUGIN;
		goto out_free_config;
	}
	if (find_plugins(cfg, rt) != 0) {
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
	status = emit_report(o, cfg, rt);
	if (status == KPI_EXIT_OK)
		status = st;
	if (status == KPI_EXIT_OK && missed_targets(cfg, o->fail_on))
		status = KPI_EXIT_MISSED;

out_close:
	free_plugins(cfg, rt);
out_free_config:
	free(rt);
	free(skip);
	kpi_config_free(cfg);
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
		rc = kpi_loader_list_with(dirs, ndirs, stdout,
		                          kpi_sandbox_describe);
	kpi_loader_dirs_free(dirs, ndirs);
	kpi_config_free(cfg);
	if (fflush(stdout) != 0)
		return KPI_EXIT_OUTPUT;
	return rc == 0 ? KPI_EXIT_OK : KPI_EXIT_PLUGIN;
}
