/*
 * write_junit.c - the report as JUnit XML for CI (Jenkins, GitLab): one
 * test case per indicator, registry order, and one error case per failed
 * area.  A case fails exactly when its indicator fails the run under
 * --fail-on (kpi_writer_fails, the predicate the exit status uses); the
 * shape is the one tests/junit/junit.xsd describes.  Text is escaped for
 * XML 1.0 (escape.h).
 */
#include "writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "run.h"

/* Longest host name put in the XML (bytes with the NUL). */
#define JUNIT_HOST_MAX 256
/* Latest SOURCE_DATE_EPOCH taken (9999-12-31T23:59:59 UTC): the
 * timestamp keeps four digits of year. */
#define KPI_JUNIT_MAX_EPOCH 253402300799LL

static void put(FILE *out, const char *s)
{
	kpi_escape(out, KPI_ESC_XML, s);
}

/* One labelled line of a body: "Periodens utfall: 78,5 %". */
static void line(FILE *out, int label, const char *value, int lang)
{
	put(out, kpi_label(label, lang));
	fputs(": ", out);
	put(out, value);
	fputs("&#10;", out);
}

/* The figures of an indicator, one labelled line each, for the failure
 * body and <system-out>. */
static void figures(FILE *out, const struct kpi_report_indicator *ri, int lang)
{
	line(out, KPI_L_OUTCOME, KPI_TEXT(ri->outcome.text, lang), lang);
	/* "Föregående år: 4,7 % (2010)", "Samma period föregående år: 836" */
	put(out, KPI_TEXT(ri->compare_label, lang));
	fputs(": ", out);
	put(out, KPI_TEXT(ri->last_year_cell, lang));
	fputs("&#10;", out);
	line(out, KPI_L_FORECAST, KPI_TEXT(ri->forecast.text, lang), lang);
	if (ri->has_chance)
		line(out, KPI_L_CHANCE, KPI_TEXT(ri->chance_text, lang), lang);
	line(out, KPI_L_TARGET, KPI_TEXT(ri->target.display, lang), lang);
	line(out, KPI_L_COUNCIL_TARGET, KPI_TEXT(ri->council.display, lang),
	     lang);
	line(out, KPI_L_BASELINE, KPI_TEXT(ri->baseline.text, lang), lang);
	line(out, KPI_L_PERIOD, KPI_TEXT(ri->period, lang), lang);
	if (ri->pace)
		line(out, KPI_L_PACE, KPI_TEXT(ri->pace_label, lang), lang);
	line(out, KPI_L_ASSESSMENT, KPI_TEXT(ri->assessment.label, lang), lang);
	line(out, KPI_L_RULE, KPI_TEXT(ri->rule.text, lang), lang);
	if (ri->has_interval) {
		put(out, KPI_TEXT(ri->odds_line, lang));
		fputs("&#10;", out);
	}
	for (size_t k = 0; k < ri->n_subperiods; k++) {
		put(out, KPI_TEXT(ri->subperiods[k].line, lang));
		fputs("&#10;", out);
	}
	for (size_t k = 0; ri->breakdown && k < ri->n_groups; k++) {
		put(out, KPI_TEXT(ri->name, lang));
		fputs(", ", out);
		put(out, ri->groups[k].name);
		fputs(": ", out);
		put(out, KPI_TEXT(ri->groups[k].outcome.text, lang));
		fputs("&#10;", out);
	}
	if (ri->differs) {
		fputs("! ", out);
		put(out, KPI_TEXT(ri->note, lang));
		fputs("&#10;", out);
	}
}

/* The failure type of an assessment that fails the run. */
static const char *failure_type(int assessment)
{
	return assessment == KPI_ASSESS_PARTIAL ? "partially-met" : "not-met";
}

/* The error type of a failed area by its exit status. */
static const char *error_type(int status)
{
	switch (status) {
	case KPI_EXIT_USAGE: return "config-error";
	case KPI_EXIT_DATA: return "data-error";
	default: return "plugin-error";
	}
}

static void test_case(FILE *out, const struct kpi_report *r,
                      const struct kpi_report_indicator *ri, int lang,
                      int fail_on)
{
	int a = ri->assessment.value;

	fputs("<testcase classname=\"", out);
	put(out, ri->area);
	fputs("\" name=\"", out);
	put(out, ri->id);
	fputs("\" time=\"0\">", out);
	if (a == KPI_ASSESS_NONE) {
		/* cannot be assessed: no target, or no data */
		fputs("<skipped message=\"", out);
		put(out, KPI_TEXT(ri->rule.text, lang));
		fputs("\"/>", out);
	} else if (kpi_writer_fails(a, fail_on)) {
		fprintf(out, "<failure type=\"%s\" message=\"", failure_type(a));
		put(out, KPI_TEXT(ri->assessment.label, lang));
		fputs(": ", out);
		put(out, KPI_TEXT(ri->rule.text, lang));
		fputs("\">", out);
		put(out, KPI_TEXT(ri->name, lang));
		fputs("&#10;", out);
		figures(out, ri, lang);
		fputs("</failure>", out);
	}
	fputs("<system-out>", out);
	if (!ri->listed) {
		put(out, KPI_TEXT(r->other_heading, lang));
		fputs(": ", out);
	}
	put(out, KPI_TEXT(ri->name, lang));
	fputs("&#10;", out);
	figures(out, ri, lang);
	fputs("</system-out></testcase>\n", out);
}

/* A failed area: its reason as the message (the first error printed, so
 * file:line:col for a data error), its config section in the body. */
static void error_case(FILE *out, const struct kpi_report_failure *f,
                       int lang)
{
	fputs("<testcase classname=\"", out);
	put(out, f->area);
	fputs("\" name=\"[area ", out);
	put(out, f->area);
	fprintf(out, "]\" time=\"0\"><error type=\"%s\" message=\"",
	        error_type(f->status));
	put(out, f->reason);
	fputs("\">", out);
	put(out, f->config);
	if (f->line > 0)
		fprintf(out, ":%ld", f->line);
	fputs(": [area ", out);
	put(out, f->area);
	fputs("] plugin '", out);
	put(out, f->plugin);
	fprintf(out, "': %s (exit status %d)&#10;", error_type(f->status),
	        f->status);
	put(out, f->reason);
	fputs("&#10;", out);
	put(out, KPI_TEXT(f->text, lang));
	fputs("&#10;</error></testcase>\n", out);
}

/* Indicators in JUnit: each one the report shows, once. */
static int shown(const struct kpi_report_indicator *ri)
{
	return ri->listed || ri->declared;
}

static const char *fail_on_name(int fail_on)
{
	return fail_on == KPI_FAIL_NOT_MET ? "not-met"
	       : fail_on == KPI_FAIL_PARTIAL ? "partial" : "never";
}

static void property(FILE *out, const char *name, const char *value)
{
	fprintf(out, "<property name=\"%s\" value=\"", name);
	put(out, value);
	fputs("\"/>\n", out);
}

/* The suite's timestamp and host ("localhost" when it has no name).  The
 * time is now, local, without a zone as Ant writes it; with
 * SOURCE_DATE_EPOCH set (seconds since 1970, the reproducible-builds
 * convention) it is that time in UTC, so two runs give the same bytes. */
static void run_context(char *when, size_t n, char *host)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm, *ok;
	char *end;

	if (epoch && *epoch) {
		long long v;

		errno = 0;
		v = strtoll(epoch, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0 &&
		    v <= KPI_JUNIT_MAX_EPOCH)
			t = (time_t)v;
		else
			epoch = NULL;
	}
	ok = epoch && *epoch ? gmtime_r(&t, &tm) : localtime_r(&t, &tm);
	if (t == (time_t)-1 || !ok ||
	    strftime(when, n, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(when, n, "%s", "1970-01-01T00:00:00");
	if (gethostname(host, JUNIT_HOST_MAX) != 0 || !host[0])
		snprintf(host, JUNIT_HOST_MAX, "%s", "localhost");
	host[JUNIT_HOST_MAX - 1] = '\0';
}

int kpi_write_junit(FILE *out, const struct kpi_report *r,
                    const struct kpi_writer_opts *opts)
{
	int lang = opts->lang, fo = opts->fail_on;
	size_t tests = r->n_failures, failures = 0, skipped = 0;
	char when[32], host[JUNIT_HOST_MAX], counts[160];

	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct kpi_report_indicator *ri = &r->indicators[i];

		if (!shown(ri))
			continue;
		tests++;
		if (ri->assessment.value == KPI_ASSESS_NONE)
			skipped++;
		else if (kpi_writer_fails(ri->assessment.value, fo))
			failures++;
	}
	run_context(when, sizeof when, host);
	snprintf(counts, sizeof counts, "tests=\"%zu\" failures=\"%zu\" "
	         "errors=\"%zu\" skipped=\"%zu\" time=\"0\"", tests, failures,
	         r->n_failures, skipped);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	             "<testsuites name=\"kpirun\" %s>\n<testsuite name=\"",
	        counts);
	put(out, KPI_TEXT(r->title, lang));
	fprintf(out, "\" %s timestamp=\"%s\" hostname=\"", counts, when);
	put(out, host);
	fputs("\">\n<properties>\n", out);
	property(out, "generator", r->generator);
	property(out, "version", r->version);
	property(out, "period", KPI_TEXT(r->period.label, lang));
	property(out, "fail-on", fail_on_name(fo));
	fputs("</properties>\n", out);
	for (size_t i = 0; i < r->n_indicators; i++)
		if (shown(&r->indicators[i]))
			test_case(out, r, &r->indicators[i], lang, fo);
	for (size_t i = 0; i < r->n_failures; i++)
		error_case(out, &r->failures[i], lang);
	fputs("</testsuite>\n</testsuites>\n", out);
	return ferror(out) ? KPI_EIO : 0;
}
