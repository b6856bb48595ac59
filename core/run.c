/*
 * run.c - one kpirun invocation from config to report: load and check the
 * config, load each area's plugin, init, compute, evaluate, then write the
 * report to every output (output.c) or, with --check, nothing.
 */
#define _GNU_SOURCE             /* fopencookie: render() */
#include "run.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "eval.h"
#include "history.h"
#include "host.h"
#include "ini.h"
#include "loader.h"
#include "output.h"
#include "report.h"
#include "sandbox.h"
#include "writer.h"

struct area_rt {
	struct kpi_area *area;
	char *path;                /* the plugin file found for it */
	int failed;                /* enum kpi_exit of the failure, or 0 */
	char reason[256];
};

/* Find each area's plugin file.  Nothing is opened here: every step
 * that runs plugin code (loading included) happens in the area's child
 * (sandbox.c).  Returns 0, KPI_EXIT_USAGE or KPI_EXIT_NOMEM. */
static int find_plugins(struct kpi_config *cfg, struct area_rt *rt)
{
	char **dirs = NULL;
	size_t ndirs = 0;
	int rc = 0, r;

	r = kpi_loader_dirs(cfg->plugin_dir, NULL, &dirs, &ndirs);
	if (r != 0)
		return r == KPI_ENOMEM ? KPI_EXIT_NOMEM : KPI_EXIT_USAGE;
	for (size_t i = 0; i < cfg->n_areas && rc != KPI_EXIT_NOMEM; i++) {
		struct kpi_area *a = &cfg->areas[i];

		rt[i].area = a;
		/* a plugin that is not there is a config error; one that is
		 * there but cannot be used is a plugin failure */
		r = kpi_loader_resolve(dirs, ndirs, a->plugin, &rt[i].path);
		if (r == KPI_ENOMEM) {
			rc = KPI_EXIT_NOMEM;
		} else if (r != 0) {
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

/* How many areas' children run at once: plugin_jobs, else the number of
 * online CPUs, at most the number of areas. */
static int jobs_at_once(const struct kpi_config *cfg)
{
	long n = cfg->plugin_jobs;

	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	if ((size_t)n > cfg->n_areas)
		n = (long)cfg->n_areas;
	return n > KPI_SANDBOX_MAX_JOBS ? KPI_SANDBOX_MAX_JOBS : (int)n;
}

/* Run each area's plugin in its own child process, several at once
 * (sandbox.c); a failed area keeps its declarations but no results.
 * Returns 0, or KPI_EXIT_NOMEM when memory ran out in kpirun itself
 * while it took in an area's results (the run stops). */
static int compute_areas(struct kpi_config *cfg, struct area_rt *rt)
{
	struct kpi_sandbox_limits lim = {
		cfg->plugin_timeout, cfg->plugin_memory_mb, cfg->plugin_processes
	};
	struct kpi_sandbox_area *sa;
	int rc = 0;

	if (cfg->n_areas == 0)
		return 0;
	sa = calloc(cfg->n_areas, sizeof *sa);
	if (!sa)
		return KPI_EXIT_NOMEM;
	for (size_t i = 0; i < cfg->n_areas; i++) {
		sa[i].area = rt[i].area;
		sa[i].path = rt[i].failed ? NULL : rt[i].path;
	}
	kpi_sandbox_run_areas(cfg, sa, cfg->n_areas, &lim, jobs_at_once(cfg));
	for (size_t i = 0; i < cfg->n_areas && !rc; i++) {
		if (sa[i].res.nomem)
			rc = KPI_EXIT_NOMEM;
		else if (sa[i].res.failed) {
			rt[i].failed = sa[i].res.failed;
			memcpy(rt[i].reason, sa[i].res.reason,
			       sizeof rt[i].reason);
		}
	}
	free(sa);
	return rc;
}

static void free_plugins(struct kpi_config *cfg, struct area_rt *rt)
{
	for (size_t i = 0; rt && i < cfg->n_areas; i++)
		free(rt[i].path);
}

/* Warn about a value an area stated for months outside the period: it
 * is not the outcome (kpi_eval_value_fits). */
static void warn_unused_value(const struct kpi_config *cfg,
                              const struct kpi_indicator *ind)
{
	const struct kpi_value *v = &ind->value;
	char covers[64], period[64];

	if (!ind->has_value || kpi_eval_value_fits(v, &cfg->period))
		return;
	kpi_period_label(covers, sizeof covers, KPI_LANG_EN, v->year,
	                 v->month_from, v->year, v->month_to);
	kpi_period_name(period, sizeof period, KPI_LANG_EN, &cfg->period);
	kpi_diag(KPI_LOG_WARN, ind->area, NULL, 0, 0,
	         "the value stated for '%s' covers %s, %s the period %s: "
	         "not used", ind->id, *covers ? covers : "no valid months",
	         v->year == cfg->period.to_year &&
	         v->month_to > cfg->period.to_month ? "beyond" : "outside",
	         period);
}

/* A history.h error code as an exit status. */
static int history_status(int rc)
{
	if (rc == 0)
		return KPI_EXIT_OK;
	if (rc == KPI_ENOMEM)
		return KPI_EXIT_NOMEM;
	return rc == KPI_ECONFIG ? KPI_EXIT_USAGE : KPI_EXIT_OUTPUT;
}

/* Evaluate every indicator, then the forecast accuracies from the
 * results history (hist may be NULL), then the goals.  Returns an enum
 * kpi_exit: not OK only when the history could not be read. */
static int evaluate(struct kpi_config *cfg, struct kpi_history *hist)
{
	int st;

	for (size_t i = 0; i < cfg->n_indicators; i++) {
		warn_unused_value(cfg, cfg->indicators[i]);
		kpi_eval_indicator(cfg->indicators[i], &cfg->period,
		                   cfg->tolerance, cfg->tolerance_rel,
		                   cfg->compare);
	}
	st = history_status(kpi_history_accuracy(hist, cfg));
	for (size_t i = 0; i < cfg->n_goals; i++)
		if (!cfg->goals[i]->parent)
			kpi_eval_goal(cfg->goals[i]);
	return st;
}

/* output.c's last step before the report files replace the old ones:
 * the staged run is committed to the history, so that both land or
 * neither (docs/history.md). */
static int commit_history(void *hist)
{
	return kpi_history_commit(hist);
}

/* Predicate: some indicator fails the run under fail_on, decided as the
 * JUnit cases are (kpi_writer_fails). */
static int missed_targets(const struct kpi_config *cfg, int fail_on)
{
	for (size_t i = 0; i < cfg->n_indicators; i++)
		if (kpi_writer_fails(cfg->indicators[i]->res.assessment, fail_on))
			return 1;
	return 0;
}

/* The memory a report is rendered into.  glibc's open_memstream drops
 * the bytes of a write whose buffer cannot grow without setting the
 * stream's error flag, so a report could lose text silently; this one
 * remembers the failure (and a short write sets the stream's error). */
struct render_buf {
	char *p;
	size_t len, cap;
	int failed;
};

static ssize_t render_write(void *cookie, const char *data, size_t n)
{
	struct render_buf *b = cookie;

	if (b->failed)
		return 0;
	if (n > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap - b->len < n) {
			if (cap > ((size_t)-1) / 2) {
				b->failed = 1;
				return 0;
			}
			cap *= 2;
		}
		p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return 0;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return (ssize_t)n;
}

/* Render the report in `format` into a malloc'd buffer (*buf, owned by
 * the caller, *len bytes).  Every format but xlsx is written into an
 * open_memstream, which fails only for lack of memory, so any failure
 * there is out of memory; xlsx goes through a temporary file and is out
 * of memory only when errno says so.  Returns 0, KPI_EXIT_NOMEM (nothing
 * printed), or KPI_EXIT_OUTPUT after a message. */
static int render(int format, const struct kpi_report *rep,
                  const struct kpi_writer_opts *wo, char **buf, size_t *len)
{
	const struct kpi_writer *w = kpi_writer_by_format(format);
	cookie_io_functions_t io = { .write = render_write };
	struct render_buf b = { 0 };
	FILE *mem;
	int rc, closed;

	*buf = NULL;
	*len = 0;
	mem = fopencookie(&b, "w", io);
	if (!mem)
		return KPI_EXIT_NOMEM;
	errno = 0;
	rc = w ? w->write(mem, rep, wo) : KPI_EINVAL;
	if (rc == KPI_EIO && format == KPI_FORMAT_XLSX && errno != ENOMEM &&
	    !ferror(mem))
		rc = KPI_EPLUGIN;       /* the temporary file, not memory */
	closed = fclose(mem);
	if (closed == 0 && rc == 0 && !b.failed) {
		/* an empty report is a buffer of its own, never NULL */
		*buf = b.p ? b.p : malloc(1);
		*len = b.len;
		if (*buf)
			return KPI_EXIT_OK;
	}
	free(b.p);
	*buf = NULL;
	*len = 0;
	if (rc == KPI_EINVAL || rc == KPI_EPLUGIN) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "cannot format the report");
		return KPI_EXIT_OUTPUT;
	}
	return KPI_EXIT_NOMEM;
}

/* Render each format the outputs ask for once, then write them all
 * (output.c: all or nothing), recording the run in the history `hist`
 * when not NULL: staged before the outputs are written, committed after
 * every temp file and stream is written and before the files are
 * replaced.  Returns an enum kpi_exit: KPI_EXIT_NOMEM (nothing written,
 * nothing printed) when memory ran out. */
static int emit_report(const struct kpi_options *o, struct kpi_config *cfg,
                       const struct area_rt *rt, struct kpi_output_set *set,
                       struct kpi_history *hist)
{
	struct kpi_failure *fails;
	struct kpi_report *rep = NULL;
	struct kpi_writer_opts wo;
	size_t n = o->n_outputs, n_fails = 0;
	char **owned = calloc(n + 1, sizeof *owned);
	const char **bufs = calloc(n + 1, sizeof *bufs);
	size_t *lens = calloc(n + 1, sizeof *lens);
	int status = KPI_EXIT_OK, rc;

	wo.lang = o->lang >= 0 ? o->lang : cfg->lang;
	wo.fail_on = o->fail_on;
	fails = calloc(cfg->n_areas + 1, sizeof *fails);
	if (!owned || !bufs || !lens || !fails) {
		status = KPI_EXIT_NOMEM;
		goto out_free;
	}
	/* every failed area is listed, however many */
	for (size_t i = 0; i < cfg->n_areas; i++)
		if (rt[i].failed) {
			fails[n_fails].area = rt[i].area->name;
			fails[n_fails].plugin = rt[i].area->plugin;
			fails[n_fails].line = rt[i].area->line;
			fails[n_fails].reason = rt[i].reason;
			fails[n_fails].status = rt[i].failed;
			n_fails++;
		}
	/* evaluated once; each format renders the same report */
	rc = kpi_report_build(cfg, wo.lang, fails, n_fails, &rep);
	if (rc != 0) {
		status = rc == KPI_ENOMEM ? KPI_EXIT_NOMEM : KPI_EXIT_OUTPUT;
		goto out_free;
	}
	for (size_t i = 0; i < n && status == KPI_EXIT_OK; i++) {
		size_t k = 0;

		while (k < i && o->outputs[k].format != o->outputs[i].format)
			k++;
		if (k < i) {
			bufs[i] = bufs[k];
			lens[i] = lens[k];
			continue;
		}
		status = render(o->outputs[i].format, rep, &wo, &owned[i],
		                &lens[i]);
		bufs[i] = owned[i];
	}
	if (status == KPI_EXIT_OK && hist)
		status = history_status(kpi_history_stage(hist, cfg, rep));
	if (status == KPI_EXIT_OK) {
		rc = kpi_output_set_write_hook(set, bufs, lens,
		                               hist ? commit_history : NULL,
		                               hist);
		if (rc == KPI_ENOMEM)
			status = KPI_EXIT_NOMEM;
		else if (rc == KPI_ECONFIG)
			status = KPI_EXIT_USAGE;
		else if (rc != 0)
			status = KPI_EXIT_OUTPUT;
	}
	kpi_history_rollback(hist);     /* nothing if committed */
out_free:
	kpi_report_free(rep);
	free(fails);
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
	const char **dests = calloc(o->n_outputs + 1, sizeof *dests);
	int rc;

	if (!dests)
		return KPI_ENOMEM;
	for (size_t i = 0; i < o->n_outputs; i++)
		dests[i] = o->outputs[i].dest;
	rc = kpi_output_set_new(dests, o->n_outputs, set);
	free(dests);
	return rc;
}

/* When an area's config or data error stops the run, the JUnit outputs
 * are still written, with the error cases, so CI can show the cause;
 * every other output is left alone.  Returns 0 (also when no output is
 * JUnit), KPI_EXIT_NOMEM, or KPI_EXIT_OUTPUT after a message. */
static int emit_junit_only(const struct kpi_options *o, struct kpi_config *cfg,
                           const struct area_rt *rt)
{
	struct kpi_output_spec *specs = calloc(o->n_outputs + 1, sizeof *specs);
	struct kpi_output_set *set = NULL;
	struct kpi_options jo = *o;
	int status = KPI_EXIT_OK, rc;

	if (!specs)
		return KPI_EXIT_NOMEM;
	jo.n_outputs = 0;
	for (size_t i = 0; i < o->n_outputs; i++)
		if (o->outputs[i].format == KPI_FORMAT_JUNIT)
			specs[jo.n_outputs++] = o->outputs[i];
	jo.outputs = specs;
	rc = jo.n_outputs ? open_outputs(&jo, &set) : 0;
	if (rc != 0)
		status = rc == KPI_ENOMEM ? KPI_EXIT_NOMEM : KPI_EXIT_OUTPUT;
	else if (jo.n_outputs)
		status = emit_report(&jo, cfg, rt, set, NULL);
	kpi_output_set_free(set);
	free(specs);
	return status;
}

/* True if path `in` (a directory) contains or is `path` (both real). */
static int path_within(const char *path, const char *in)
{
	size_t n = strlen(in);

	return strncmp(path, in, n) == 0 &&
	       (path[n] == '/' || path[n] == '\0' || (n == 1 && in[0] == '/'));
}

/* Refuse an output that is an input of the run: the config itself, or a
 * file inside data_dir, where the exports are (an atomic write would
 * replace it).  0, KPI_EXIT_USAGE (printed) or KPI_EXIT_NOMEM (not
 * printed). */
static int refuse_inputs_as_outputs(const struct kpi_options *o,
                                    const struct kpi_config *cfg)
{
	char *data;
	struct stat conf, out;
	int rc = 0, have_conf = stat(cfg->path, &conf) == 0;

	errno = 0;
	data = realpath(cfg->data_dir, NULL);
	if (!data && errno == ENOMEM)
		return KPI_EXIT_NOMEM;

	for (size_t i = 0; i < o->n_outputs && rc == 0; i++) {
		const char *dest = o->outputs[i].dest;
		char *copy, *dir, *real;

		if (strcmp(dest, "-") == 0)
			continue;
		if (stat(dest, &out) == 0 && !S_ISREG(out.st_mode))
			continue;       /* a device or a FIFO: written in place */
		if (have_conf && stat(dest, &out) == 0 &&
		    out.st_dev == conf.st_dev && out.st_ino == conf.st_ino) {
			kpi_diag(KPI_LOG_ERROR, NULL, dest, 0, 0, "refusing to "
			         "write the report over the config '%s'", cfg->path);
			rc = KPI_EXIT_USAGE;
			break;
		}
		copy = strdup(dest);
		if (!copy) {
			rc = KPI_EXIT_NOMEM;
			break;
		}
		dir = dirname(copy);
		errno = 0;
		real = data ? realpath(dir, NULL) : NULL;
		if (data && !real && errno == ENOMEM)
			rc = KPI_EXIT_NOMEM;
		else if (real && path_within(real, data)) {
			kpi_diag(KPI_LOG_ERROR, NULL, dest, 0, 0, "refusing to "
			         "write the report inside data_dir '%s', where the "
			         "run's exports are", cfg->data_dir);
			rc = KPI_EXIT_USAGE;
		}
		free(real);
		free(copy);
	}
	free(data);
	return rc;
}

/* Refuse a --history that is also a report output (-o): the atomic
 * replace would destroy it.  0 or KPI_EXIT_USAGE (printed). */
static int refuse_history_as_output(const struct kpi_options *o)
{
	struct stat hs, os;
	int have = stat(o->history, &hs) == 0;

	for (size_t i = 0; i < o->n_outputs; i++) {
		const char *dest = o->outputs[i].dest;

		if (strcmp(dest, o->history) == 0 ||
		    (have && stat(dest, &os) == 0 && os.st_dev == hs.st_dev &&
		     os.st_ino == hs.st_ino)) {
			kpi_diag(KPI_LOG_ERROR, NULL, dest, 0, 0, "refusing to "
			         "write the report over the results history");
			return KPI_EXIT_USAGE;
		}
	}
	return KPI_EXIT_OK;
}

int kpi_run(const struct kpi_options *o)
{
	struct kpi_config *cfg = NULL;
	struct kpi_output_set *set = NULL;
	struct kpi_history *hist = NULL;
	struct area_rt *rt = NULL;
	const char **skip = NULL, *why;
	char why_buf[128];
	size_t n_skip = 0;
	int status = KPI_EXIT_OK, st;

	st = o->check ? 0 : open_outputs(o, &set);
	if (st != 0) {
		if (st != KPI_ENOMEM)
			return KPI_EXIT_OUTPUT;
		kpi_diag_nomem();
		return KPI_EXIT_NOMEM;
	}
	st = kpi_config_load(o->config, &cfg);
	if (st != 0) {
		kpi_output_set_free(set);
		if (st != KPI_ENOMEM)
			return KPI_EXIT_USAGE;
		kpi_diag_nomem();
		return KPI_EXIT_NOMEM;
	}
	if (!o->check) {
		status = refuse_inputs_as_outputs(o, cfg);
		if (status != KPI_EXIT_OK)
			goto out_free_config;
	}
	if (o->period && kpi_period_parse(o->period, cfg->year, &cfg->period,
	                                  why_buf, sizeof why_buf, &why) != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "--period: '%s' is not a period: %s", o->period, why);
		status = KPI_EXIT_USAGE;
		goto out_free_config;
	}
	/* figures written for another period are set aside; --check lists
	 * them all on standard error, with the other diagnostics (a failed
	 * write there fails no run) */
	(void)kpi_config_apply_periods(cfg, o->check ? stderr : NULL);
	if (o->history) {
		status = refuse_history_as_output(o);
		if (status == KPI_EXIT_OK)
			status = history_status(kpi_history_open(o->history,
			                                         o->check, &hist));
		if (status != KPI_EXIT_OK)
			goto out_free_config;
	}
	rt = calloc(cfg->n_areas + 1, sizeof *rt);
	skip = calloc(cfg->n_areas + 1, sizeof *skip);
	if (!rt || !skip) {
		status = KPI_EXIT_NOMEM;
		goto out_free_config;
	}
	status = find_plugins(cfg, rt);
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
	if (status == KPI_EXIT_OK && (st == KPI_EXIT_USAGE ||
	                              (st == KPI_EXIT_DATA && !o->keep_going))) {
		/* an area's error stops the run: only JUnit is written */
		if (!o->check) {
			if (evaluate(cfg, hist) == KPI_EXIT_NOMEM)
				st = KPI_EXIT_NOMEM;
			/* a failed write is named; the status stays the
			 * area's, the cause, unless memory ran out */
			if (emit_junit_only(o, cfg, rt) == KPI_EXIT_NOMEM)
				st = KPI_EXIT_NOMEM;
		}
		status = st;
	}
	if (status != KPI_EXIT_OK)
		goto out_close;
	status = history_status(kpi_history_apply(hist, cfg));
	if (status == KPI_EXIT_OK)
		status = evaluate(cfg, hist);
	if (status != KPI_EXIT_OK)
		goto out_close;
	if (o->check) {
		status = st;
		if (status == KPI_EXIT_OK)
			kpi_diag(KPI_LOG_INFO, NULL, NULL, 0, 0,
			         "%s: config, plugins and data are valid",
			         cfg->path);
		goto out_close;
	}
	if (hist && st != KPI_EXIT_OK)
		kpi_diag(KPI_LOG_WARN, NULL, o->history, 0, 0, "this run is not "
		         "recorded in the results history: an area failed");
	status = emit_report(o, cfg, rt, set,
	                     st == KPI_EXIT_OK ? hist : NULL);
	if (status == KPI_EXIT_OK)
		status = st;
	if (status == KPI_EXIT_OK && missed_targets(cfg, o->fail_on))
		status = KPI_EXIT_MISSED;

out_close:
	free_plugins(cfg, rt);
out_free_config:
	free(rt);
	free(skip);
	kpi_history_close(hist);
	kpi_config_free(cfg);
	kpi_output_set_free(set);
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
		rc = kpi_loader_list_with(dirs, ndirs, stdout,
		                          kpi_sandbox_describe);
	kpi_loader_dirs_free(dirs, ndirs);
	kpi_config_free(cfg);
	if (rc == KPI_ENOMEM) {
		kpi_diag_nomem();
		return KPI_EXIT_NOMEM;
	}
	/* kpi_loader_list reports its own write error (KPI_EIO) */
	if (rc == KPI_EIO || fflush(stdout) != 0 || ferror(stdout))
		return KPI_EXIT_OUTPUT;
	return rc == 0 ? KPI_EXIT_OK : KPI_EXIT_PLUGIN;
}
