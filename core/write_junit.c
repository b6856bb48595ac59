/*
 * write_junit.c - the report as JUnit XML for CI: one test case per
 * indicator (goal order, then the other indicators), one error case per
 * failed area.  A case fails when its assessment fails the run under
 * --fail-on (with "never", a partially met or missed target still shows
 * as a failure, so CI can see it); each case's <system-out> carries its
 * figures.  Text is escaped for XML 1.0 (escape.h).
 */
#include "writer.h"

#include "escape.h"
#include "run.h"

static void put(FILE *out, const char *s)
{
	kpi_escape(out, KPI_ESC_XML, s);
}

/* Which run-failing level the test cases use. */
static int case_fail_on(int fail_on)
{
	return fail_on == KPI_FAIL_NEVER ? KPI_FAIL_PARTIAL : fail_on;
}

/* "Outcome: 78.5 %" lines of an indicator, for <system-out> and the
 * failure body. */
static void figures(FILE *out, const struct kpi_report_indicator *ri, int lang)
{
	put(out, kpi_label(KPI_L_OUTCOME, lang));
	fputs(": ", out);
	put(out, KPI_TEXT(ri->outcome.text, lang));
	fputs("&#10;", out);
	put(out, kpi_label(KPI_L_FORECAST, lang));
	fputs(": ", out);
	put(out, KPI_TEXT(ri->forecast.text, lang));
	fputs("&#10;", out);
	put(out, kpi_label(KPI_L_TARGET, lang));
	fputs(": ", out);
	put(out, KPI_TEXT(ri->target.display, lang));
	fputs("&#10;", out);
	put(out, kpi_label(KPI_L_COUNCIL_TARGET, lang));
	fputs(": ", out);
	put(out, KPI_TEXT(ri->council.display, lang));
	fputs("&#10;", out);
	put(out, kpi_label(KPI_L_BASELINE, lang));
	fputs(": ", out);
	put(out, KPI_TEXT(ri->baseline.text, lang));
	fputs("&#10;", out);
	put(out, kpi_label(KPI_L_PERIOD, lang));
	fputs(": ", out);
	put(out, KPI_TEXT(ri->period, lang));
	fputs("&#10;", out);
	put(out, kpi_label(KPI_L_ASSESSMENT, lang));
	fputs(": ", out);
	put(out, KPI_TEXT(ri->assessment.label, lang));
	fputs("&#10;", out);
	put(out, kpi_label(KPI_L_RULE, lang));
	fputs(": ", out);
	put(out, KPI_TEXT(ri->rule.text, lang));
	fputs("&#10;", out);
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

static void test_case(FILE *out, const struct kpi_report *r,
                      const struct kpi_report_indicator *ri, int lang,
                      int fail_on)
{
	int a = ri->assessment.value;
	const struct kpi_figure *v = ri->forecast.has ? &ri->forecast
	                                              : &ri->outcome;

	fputs("<testcase classname=\"", out);
	put(out, ri->area);
	fputs("\" name=\"", out);
	put(out, ri->id);
	fputs("\">", out);
	if (a == KPI_ASSESS_NONE) {
		fputs("<skipped message=\"", out);
		put(out, KPI_TEXT(ri->rule.text, lang));
		fputs("\"/>", out);
	} else if (kpi_writer_fails(a, case_fail_on(fail_on))) {
		fprintf(out, "<failure type=\"%s\" message=\"%s: ",
		        ri->assessment.key, ri->assessment.key);
		put(out, KPI_TEXT(v->text, KPI_LANG_EN));
		fputs(" against target ", out);
		put(out, KPI_TEXT(ri->target.display, KPI_LANG_EN));
		fputs("\">", out);
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

/* Indicators in JUnit: each shown indicator once, registry order. */
static int shown(const struct kpi_report_indicator *ri)
{
	return ri->listed || ri->declared;
}

int kpi_write_junit(FILE *out, const struct kpi_report *r,
                    const struct kpi_writer_opts *opts)
{
	int lang = opts->lang, fo = case_fail_on(opts->fail_on);
	size_t total = r->n_failures, failures = 0, skipped = 0;

	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct kpi_report_indicator *ri = &r->indicators[i];

		if (!shown(ri))
			continue;
		total++;
		if (ri->assessment.value == KPI_ASSESS_NONE)
			skipped++;
		else if (kpi_writer_fails(ri->assessment.value, fo))
			failures++;
	}
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>"
	             "<testsuite name=\"kpirun %d\" tests=\"%zu\" "
	             "failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
	        r->year, total, failures, r->n_failures, skipped);
	for (size_t i = 0; i < r->n_indicators; i++)
		if (shown(&r->indicators[i]))
			test_case(out, r, &r->indicators[i], lang, opts->fail_on);
	for (size_t i = 0; i < r->n_failures; i++) {
		fputs("<testcase classname=\"plugin\" name=\"", out);
		put(out, r->failures[i].area);
		fputs("\"><error type=\"plugin\" message=\"", out);
		put(out, r->failures[i].reason);
		fputs("\">", out);
		put(out, KPI_TEXT(r->failures[i].text, lang));
		fputs("</error></testcase>\n", out);
	}
	fputs("</testsuite></testsuites>\n", out);
	return ferror(out) ? KPI_EIO : 0;
}
