/*
 * main.c - the kpirun command line.  Parses options (getopt_long) into
 * struct kpi_options, picks each output's format and hands over to
 * kpi_run(); nothing else lives here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "formats.h"
#include "history.h"
#include "ini.h"
#include "kpi/plugin.h"
#include "model.h"
#include "newyear.h"
#include "output.h"
#include "run.h"
#include "writer.h"

#ifndef KPI_PLUGIN_DEFAULT_DIR
#define KPI_PLUGIN_DEFAULT_DIR "/usr/local/lib/kpirun/plugins"
#endif

static const char usage_text[] =
"usage: kpirun [options] CONFIG\n"
"       kpirun --list-plugins [CONFIG]\n"
"       kpirun --new-year CONFIG [-o FILE]\n"
"       kpirun --history FILE --show ID [--format text|json]\n"
"\n"
"Compute the indicators of CONFIG's areas with their plugins, assess them\n"
"against the goal registry's targets and print the follow-up report.\n"
"\n"
"options:\n"
"  -o, --output FILE   write the report to FILE; give it again for more\n"
"                      reports in one run (-o r.html -o r.json); '-' is\n"
"                      standard output (the default).  A regular file is\n"
"                      replaced atomically, a device or FIFO written in place\n"
"  -f, --format F      text, markdown, html, csv, json, junit or xlsx, for\n"
"                      every output; without it each file's extension\n"
"                      decides (.txt .md .html .htm .csv .json .xml .xlsx),\n"
"                      else text\n"
"  -p, --period P      overrides the config's period: T1, T2, T3 (January\n"
"                      to April, August, December), Q1..Q4, H1, H2, year,\n"
"                      YYYY-MM (January to that month) or YYYY-MM..YYYY-MM\n"
"                      (any months, at most 24, ending in the config's year);\n"
"                      figures written for another period are not used\n"
"  -l, --lang sv|en    report language (default: the config's, else sv)\n"
"      --check         validate config, plugins and data; write no report;\n"
"                      list the figures written for a period (forecast =\n"
"                      870 @ T2) and whether this run uses them\n"
"      --fail-on WHEN  never (default), not-met or partial: exit 1 when an\n"
"                      indicator's assessment is that or worse\n"
"      --keep-going    a bad export fails only its area; the report is\n"
"                      written and the exit status is still 3\n"
"      --list-plugins  list the plugins found, with version and indicators\n"
"      --new-year      write next year's config from CONFIG (to -o FILE or\n"
"                      standard output): year + 1, its manual forecasts,\n"
"                      stated assessments and figures, baselines and\n"
"                      period labels dropped, all else kept as written\n"
"      --history FILE  record the run's results in the SQLite history FILE\n"
"                      (created if missing; a re-run of a period replaces\n"
"                      its rows) and take baselines and forecast accuracy\n"
"                      from it\n"
"      --show ID       with --history: print indicator ID's recorded\n"
"                      results across periods and years (no CONFIG)\n"
"  -v, --verbose       print progress notes and the rows of each export\n"
"                      outside the run's months (read, not aggregated)\n"
"  -V, --version       print the version and plugin ABI\n"
"  -h, --help          print this help\n"
"  --                  end of options (a CONFIG named '-x.ini' follows)\n"
"\n"
"plugins are searched in the config's plugin_dir, then each directory of\n"
"$KPI_PLUGIN_PATH (colon-separated), then " KPI_PLUGIN_DEFAULT_DIR "\n"
"\n"
"exit status: 0 success, 1 targets missed (--fail-on), 2 usage or config\n"
"error, 3 data error, 4 plugin failure, 5 report or history could not be\n"
"written (no report file replaced), e.g. a closed pipe or a full disk,\n"
"6 out of memory\n"
"\n"
"see kpirun(1) and kpirun.ini(5)\n";

enum {
	OPT_CHECK = 256,
	OPT_FAIL_ON,
	OPT_KEEP_GOING,
	OPT_LIST_PLUGINS,
	OPT_NEW_YEAR,
	OPT_HISTORY,
	OPT_SHOW
};

static const struct option long_options[] = {
	{ "output",       required_argument, NULL, 'o' },
	{ "format",       required_argument, NULL, 'f' },
	{ "period",       required_argument, NULL, 'p' },
	{ "lang",         required_argument, NULL, 'l' },
	{ "check",        no_argument,       NULL, OPT_CHECK },
	{ "fail-on",      required_argument, NULL, OPT_FAIL_ON },
	{ "keep-going",   no_argument,       NULL, OPT_KEEP_GOING },
	{ "list-plugins", no_argument,       NULL, OPT_LIST_PLUGINS },
	{ "new-year",     no_argument,       NULL, OPT_NEW_YEAR },
	{ "history",      required_argument, NULL, OPT_HISTORY },
	{ "show",         required_argument, NULL, OPT_SHOW },
	{ "verbose",      no_argument,       NULL, 'v' },
	{ "version",      no_argument,       NULL, 'V' },
	{ "help",         no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* ':' first: a missing value returns ':' instead of '?', and no message
 * from getopt itself (opterr = 0); we word our own. */
static const char short_options[] = ":o:f:p:l:vVh";

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kpirun: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\ntry 'kpirun --help'\n", stderr);
	return KPI_EXIT_USAGE;
}

/* The long option whose val is `val`, or NULL. */
static const struct option *option_by_val(int val)
{
	for (const struct option *op = long_options; op->name; op++)
		if (op->val == val)
			return op;
	return NULL;
}

/* An option getopt_long did not accept.  optopt_val is getopt's optopt:
 * the letter of an unknown short option, the value of a long option given
 * a value it does not take ("--check=yes"), or 0 for an unknown or
 * ambiguous long option, whose text as typed ("--perod=T1") is `text`. */
static int bad_option(const char *text, int optopt_val)
{
	const char *names[sizeof long_options / sizeof long_options[0]];
	const char *hint, *eq;
	char word[64];
	size_t len, n = 0, matches = 0;

	if (optopt_val > 0 && optopt_val < 256 &&
	    !strchr(short_options + 1, optopt_val))
		return usage_error("unknown option '-%c'", optopt_val);
	if (optopt_val != 0) {
		const struct option *op = option_by_val(optopt_val);

		return usage_error("option '--%s' takes no value",
		                   op ? op->name : "?");
	}
	if (strncmp(text, "--", 2) != 0)
		return usage_error("unknown option '%s'", text);
	text += 2;
	eq = strchr(text, '=');
	len = eq ? (size_t)(eq - text) : strlen(text);
	for (const struct option *op = long_options; op->name; op++) {
		names[n++] = op->name;
		matches += len > 0 && strncmp(op->name, text, len) == 0;
	}
	names[n] = NULL;
	if (matches > 1) {
		size_t k = 0;

		fprintf(stderr, "kpirun: option '--%.*s' is ambiguous; it could "
		        "be", (int)len, text);
		for (const struct option *op = long_options; op->name; op++)
			if (strncmp(op->name, text, len) == 0)
				fprintf(stderr, "%s '--%s'", k++ == 0 ? "" :
				        k == matches ? " or" : ",", op->name);
		fputs("\ntry 'kpirun --help'\n", stderr);
		return KPI_EXIT_USAGE;
	}
	if (len >= sizeof word)
		len = sizeof word - 1;
	memcpy(word, text, len);
	word[len] = '\0';
	hint = len > 0 ? kpi_suggest(word, names) : NULL;
	if (hint)
		return usage_error("unknown option '--%s' (did you mean "
		                   "'--%s'?)", word, hint);
	return usage_error("unknown option '--%s'", word);
}

/* The option that lacks its value, as the user would write it. */
static int missing_value(const char *text, int val)
{
	const struct option *op = option_by_val(val);

	if (strncmp(text, "--", 2) != 0 && val > 0 && val < 256)
		return usage_error("option '-%c' needs a value", val);
	return usage_error("option '--%s' needs a value",
	                   op ? op->name : text);
}

/* The format of the output `dest` when --format did not name one:
 * standard output and names without an extension are text; a known
 * extension decides; an unknown one is refused rather than guessed. */
static int format_of(const char *dest, const struct kpi_writer **out)
{
	int has_ext;

	*out = NULL;
	if (strcmp(dest, "-") == 0)
		return 0;
	*out = kpi_format_by_extension(dest, &has_ext);
	if (!*out && has_ext)
		return usage_error("'%s': no format is known for its extension "
		                   "(known: %s); name one with --format", dest,
		                   kpi_format_extensions());
	return 0;
}

/* Every output with its format (a new array the caller frees). */
static int plan_outputs(const char **dests, size_t n,
                        const struct kpi_writer *forced,
                        struct kpi_output_spec **out)
{
	static const char *const std_out[] = { "-" };
	struct kpi_output_spec *specs;

	if (n == 0) {
		dests = (const char **)std_out;
		n = 1;
	}
	specs = calloc(n, sizeof *specs);
	if (!specs) {
		kpi_diag_nomem();
		return KPI_EXIT_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct kpi_writer *f = forced;

		if (!f && format_of(dests[i], &f) != 0)
			goto out_free;
		specs[i].dest = dests[i];
		specs[i].format = f ? f->format : KPI_FORMAT_TEXT;
	}
	*out = specs;
	return 0;
out_free:
	free(specs);
	return KPI_EXIT_USAGE;
}

static int parse_lang(const char *v, int *lang)
{
	if (strcmp(v, "sv") == 0)
		*lang = KPI_LANG_SV;
	else if (strcmp(v, "en") == 0)
		*lang = KPI_LANG_EN;
	else
		return usage_error("--lang: '%s' is not sv or en", v);
	return 0;
}

static int parse_fail_on(const char *v, int *fail_on)
{
	if (strcmp(v, "never") == 0)
		*fail_on = KPI_FAIL_NEVER;
	else if (strcmp(v, "not-met") == 0)
		*fail_on = KPI_FAIL_NOT_MET;
	else if (strcmp(v, "partial") == 0)
		*fail_on = KPI_FAIL_PARTIAL;
	else
		return usage_error("--fail-on: '%s' is not never, not-met or "
		                   "partial", v);
	return 0;
}

static int parse_format(const char *v, const struct kpi_writer **f)
{
	*f = kpi_format_by_name(v);
	if (!*f)
		return usage_error("--format: '%s' is not %s", v,
		                   kpi_format_names());
	return 0;
}

/* --show: the history's rows of one indicator on standard output. */
static int show_history(const char *history, const char *id,
                        const struct kpi_writer *forced)
{
	int rc;

	if (!history)
		return usage_error("--show needs --history FILE");
	if (forced && forced->format != KPI_FORMAT_TEXT &&
	    forced->format != KPI_FORMAT_JSON)
		return usage_error("--show prints text or json, not %s",
		                   forced->name);
	rc = kpi_history_show(history, id, forced &&
	                      forced->format == KPI_FORMAT_JSON, stdout);
	if (rc == KPI_ENOMEM) {
		kpi_diag_nomem();
		return KPI_EXIT_NOMEM;
	}
	if (rc == KPI_ECONFIG || rc == KPI_ENOTFOUND)
		return KPI_EXIT_USAGE;
	if (rc != 0)
		return KPI_EXIT_OUTPUT;
	return KPI_EXIT_OK;
}

/* After printing `what` to stdout: KPI_EXIT_OK, or KPI_EXIT_OUTPUT with a
 * message if it could not be written (a closed pipe, a full disk). */
static int flush_stdout(const char *what)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return KPI_EXIT_OK;
	kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
	         "cannot write %s to standard output: %s", what,
	         strerror(errno));
	return KPI_EXIT_OUTPUT;
}

/* --new-year CONFIG [-o FILE]: the options of a report run do not apply,
 * and the new config goes to one destination. */
static int new_year(const struct kpi_options *o, const char **dests,
                    size_t n_dests, int report_opts)
{
	if (report_opts)
		return usage_error("--new-year takes only CONFIG and -o FILE "
		                   "(no --format, --period, --lang, --check, "
		                   "--fail-on or --keep-going)");
	if (n_dests > 1)
		return usage_error("--new-year writes one file; '-o' given %zu "
		                   "times", n_dests);
	if (!o->config)
		return usage_error("--new-year: no config given");
	return kpi_newyear_run(o->config, n_dests ? dests[0] : NULL);
}

int main(int argc, char **argv)
{
	struct kpi_options o = { .lang = -1 };
	const struct kpi_writer *forced = NULL;
	struct kpi_output_spec *specs = NULL;
	const char **dests;
	size_t n_dests = 0;
	const char *show = NULL;
	int list = 0, newyear = 0, report_opts = 0, c, status;

	kpi_output_init();
	dests = calloc((size_t)argc, sizeof *dests);
	if (!dests) {
		kpi_diag_nomem();
		return KPI_EXIT_NOMEM;
	}
	opterr = 0;
	status = -1;
	while (status < 0 &&
	       (c = getopt_long(argc, argv, short_options, long_options,
	                        NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			status = flush_stdout("the help");
			break;
		case 'V':
			printf("kpirun %s (plugin ABI %d.%d)\n", KPI_VERSION,
			       KPI_ABI_MAJOR, KPI_ABI_MINOR);
			status = flush_stdout("the version");
			break;
		case 'v':
			kpi_diag_set_verbosity(KPI_LOG_INFO);
			break;
		case 'o':
			if (!*optarg)
				status = usage_error("option '--output' needs a "
				                     "file name ('-' for standard "
				                     "output)");
			else
				dests[n_dests++] = optarg;
			break;
		case 'f':
			report_opts++;
			if (parse_format(optarg, &forced) != 0)
				status = KPI_EXIT_USAGE;
			break;
		case 'p':
			report_opts++;
			if (!*optarg)
				status = missing_value("--period", 'p');
			o.period = optarg;
			break;
		case 'l':
			report_opts++;
			if (parse_lang(optarg, &o.lang) != 0)
				status = KPI_EXIT_USAGE;
			break;
		case OPT_FAIL_ON:
			report_opts++;
			if (parse_fail_on(optarg, &o.fail_on) != 0)
				status = KPI_EXIT_USAGE;
			break;
		case OPT_CHECK:
			report_opts++;
			o.check = 1;
			break;
		case OPT_KEEP_GOING:
			report_opts++;
			o.keep_going = 1;
			break;
		case OPT_LIST_PLUGINS:
			list = 1;
			break;
		case OPT_NEW_YEAR:
			newyear = 1;
			break;
		case OPT_HISTORY:
			if (!*optarg)
				status = missing_value("--history", OPT_HISTORY);
			o.history = optarg;
			report_opts++;
			break;
		case OPT_SHOW:
			if (!*optarg)
				status = missing_value("--show", OPT_SHOW);
			show = optarg;
			break;
		case ':':
			status = missing_value(argv[optind - 1], optopt);
			break;
		default:
			status = bad_option(argv[optind - 1], optopt);
			break;
		}
	}
	if (status >= 0)
		goto out_free;
	if (optind < argc)
		o.config = argv[optind++];
	if (optind < argc) {
		status = usage_error("more than one config given ('%s')",
		                     argv[optind]);
		goto out_free;
	}
	if (list && newyear) {
		status = usage_error("--new-year and --list-plugins cannot be "
		                     "combined");
		goto out_free;
	}
	if (list) {
		status = kpi_run_list_plugins(o.config);
		goto out_free;
	}
	if (newyear) {
		status = new_year(&o, dests, n_dests, report_opts);
		goto out_free;
	}
	if (show) {
		if (o.config)
			status = usage_error("--show reads only the history; no "
			                     "CONFIG ('%s')", o.config);
		else {
			status = show_history(o.history, show, forced);
			if (status == KPI_EXIT_OK)
				status = flush_stdout("the history");
		}
		goto out_free;
	}
	if (!o.config) {
		status = usage_error("no config given");
		goto out_free;
	}
	status = plan_outputs(dests, n_dests, forced, &specs);
	if (status != 0)
		goto out_free;
	o.outputs = specs;
	o.n_outputs = n_dests ? n_dests : 1;
	status = kpi_run(&o);
out_free:
	free(specs);
	free(dests);
	return status;
}
