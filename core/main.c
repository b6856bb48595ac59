/*
 * main.c - the kpirun command line.  Parses options into struct
 * kpi_options and hands over to kpi_run(); nothing else lives here.
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "kpi/plugin.h"
#include "model.h"
#include "report.h"
#include "run.h"

static const char usage_text[] =
"usage: kpirun [options] CONFIG\n"
"       kpirun --list-plugins [CONFIG]\n"
"\n"
"Compute the indicators of CONFIG's areas with their plugins, assess them\n"
"against the goal registry's targets and print the follow-up report.\n"
"\n"
"options:\n"
"  --period P          T1, T2, T3, year or YYYY-MM (overrides the config)\n"
"  --lang sv|en        report language (default: the config's, else sv)\n"
"  --format F          text (default), markdown, html, csv, json or junit\n"
"  --output FILE       write the report to FILE (atomically) instead of stdout\n"
"  --check             validate config, plugins and data; write no report\n"
"  --fail-on WHEN      never (default), not-met or partial: exit 1 when an\n"
"                      indicator's assessment is that or worse\n"
"  --keep-going        a bad export fails only its area; the report is\n"
"                      written and the exit status is still 3\n"
"  --list-plugins      list the plugins found, with version and indicators\n"
"  -v, --verbose       print progress notes\n"
"  --version           print the version and plugin ABI\n"
"  -h, --help          print this help\n"
"\n"
"exit status: 0 success, 1 targets missed (--fail-on), 2 usage or config\n"
"error, 3 data error, 4 plugin failure, 5 report could not be written,\n"
"6 out of memory\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("kpirun: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\ntry 'kpirun --help'\n", stderr);
	return KPI_EXIT_USAGE;
}

/* Value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		return "";
	return argv[++*i];
}

int main(int argc, char **argv)
{
	struct kpi_options o = { .lang = -1 };
	int list = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return KPI_EXIT_OK;
		} else if (strcmp(a, "--version") == 0) {
			printf("kpirun %s (plugin ABI %d.%d)\n", KPI_VERSION,
			       KPI_ABI_MAJOR, KPI_ABI_MINOR);
			return KPI_EXIT_OK;
		} else if (strcmp(a, "--check") == 0) {
			o.check = 1;
		} else if (strcmp(a, "--keep-going") == 0) {
			o.keep_going = 1;
		} else if (strcmp(a, "--list-plugins") == 0) {
			list = 1;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			kpi_diag_set_verbosity(KPI_LOG_INFO);
		} else if ((v = opt_value(argc, argv, &i, "--period"))) {
			if (!*v)
				return usage_error("--period needs a value%s", "");
			o.period = v;
		} else if ((v = opt_value(argc, argv, &i, "--lang"))) {
			if (strcmp(v, "sv") == 0)
				o.lang = KPI_LANG_SV;
			else if (strcmp(v, "en") == 0)
				o.lang = KPI_LANG_EN;
			else
				return usage_error("--lang: '%s' is not sv or en", v);
		} else if ((v = opt_value(argc, argv, &i, "--format"))) {
			if (strcmp(v, "text") == 0)
				o.format = KPI_FORMAT_TEXT;
			else if (strcmp(v, "json") == 0)
				o.format = KPI_FORMAT_JSON;
			else if (strcmp(v, "junit") == 0)
				o.format = KPI_FORMAT_JUNIT;
			else if (strcmp(v, "markdown") == 0)
				o.format = KPI_FORMAT_MARKDOWN;
			else if (strcmp(v, "html") == 0)
				o.format = KPI_FORMAT_HTML;
			else if (strcmp(v, "csv") == 0)
				o.format = KPI_FORMAT_CSV;
			else
				return usage_error("--format: '%s' is not text, "
				                   "markdown, html, csv, json or "
				                   "junit", v);
		} else if ((v = opt_value(argc, argv, &i, "--output"))) {
			if (!*v)
				return usage_error("--output needs a file name%s", "");
			o.output = v;
		} else if ((v = opt_value(argc, argv, &i, "--fail-on"))) {
			if (strcmp(v, "never") == 0)
				o.fail_on = KPI_FAIL_NEVER;
			else if (strcmp(v, "not-met") == 0)
				o.fail_on = KPI_FAIL_NOT_MET;
			else if (strcmp(v, "partial") == 0)
				o.fail_on = KPI_FAIL_PARTIAL;
			else
				return usage_error("--fail-on: '%s' is not never, "
				                   "not-met or partial", v);
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option '%s'", a);
		} else if (o.config) {
			return usage_error("more than one config given ('%s')", a);
		} else {
			o.config = a;
		}
	}
	if (list)
		return kpi_run_list_plugins(o.config);
	if (!o.config)
		return usage_error("no config given%s", "");
	return kpi_run(&o);
}
