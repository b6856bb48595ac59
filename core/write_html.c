/*
 * write_html.c - the report as one self-contained HTML document for
 * people: an embedded stylesheet (screen and A4 print), a summary and a
 * legend at the top, the goals with their tables, notes, activities and
 * an inline SVG chart per indicator with monthly data, then the other
 * indicators and the plugins' tables.  No script and no external
 * resource.  Text is escaped for HTML (escape.h).
 */
#include "writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fmt.h"

/* The chart's geometry in SVG user units (= CSS pixels on screen). */
#define CHART_W 360.0
#define CHART_H 180.0
#define PLOT_LEFT 52.0        /* room for the y-axis labels */
#define PLOT_RIGHT 10.0
#define PLOT_TOP 26.0         /* room for the chart's key */
#define PLOT_BOTTOM 20.0      /* room for the month labels */
#define CHART_TICKS 4         /* about this many y-axis steps */

/* The stylesheet: a system font stack, a comfortable measure, numbers
 * right-aligned in tabular figures, the assessment colours (each with a
 * symbol and its label beside it, so colour is never the only signal),
 * and for print A4 pages with table headers repeated and rows, charts
 * and headings kept whole. */
static const char STYLE[] =
"<style>\n"
":root{--met:#1a7f37;--partial:#9a5b00;--not-met:#c62828;--none:#666;"
"--line:#d0d7de;--head:#f3f5f7}\n"
"body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,"
"\"Noto Sans\",\"Liberation Sans\",\"DejaVu Sans\",Arial,sans-serif;"
"color:#1f2328;background:#fff;line-height:1.45;max-width:68rem;"
"margin:0 auto;padding:1.5rem 1.25rem 3rem;font-size:15px}\n"
"h1{font-size:1.6rem;margin:.2rem 0 .3rem}\n"
"h2{font-size:1.25rem;margin:2rem 0 .4rem;padding-bottom:.2rem;"
"border-bottom:1px solid var(--line)}\n"
"h3{font-size:1.1rem;margin:1.5rem 0 .3rem}\n"
"h4,h5,h6{font-size:1rem;margin:1.2rem 0 .3rem}\n"
"p{margin:.3rem 0 .6rem;max-width:48rem}\n"
".period{color:#444;margin-top:0}\n"
"table{border-collapse:collapse;width:100%;margin:.4rem 0 .8rem;"
"font-size:.92rem}\n"
"th,td{padding:.3rem .5rem;border-bottom:1px solid var(--line);"
"text-align:left;vertical-align:top}\n"
"thead th{background:var(--head);border-bottom:2px solid #8c959f;"
"font-weight:600}\n"
".num{text-align:right;font-variant-numeric:tabular-nums;"
"white-space:nowrap}\n"
"th.num{white-space:normal}\n"
"td.grade,.activities td:nth-child(2),.activities td:nth-child(3)"
"{white-space:nowrap}\n"
".sym{display:inline-block;width:1.1em;text-align:center;"
"font-weight:700}\n"
".met .sym{color:var(--met)}.partial .sym{color:var(--partial)}\n"
".not_met .sym{color:var(--not-met)}"
".not_assessed .sym{color:var(--none)}\n"
".assessment{font-weight:600}\n"
".summary{background:#f8f9fa;border:1px solid var(--line);"
"border-radius:6px;padding:.6rem 1rem .4rem;margin:1rem 0 1.5rem}\n"
".summary h2{margin-top:.3rem;border:0}\n"
".summary table{width:auto;min-width:18rem}\n"
".legend{font-size:.9rem;color:#333}\n"
".legend>span{margin-right:1.2rem;white-space:nowrap}\n"
".alert{border-left:4px solid var(--not-met);background:#fdecea;"
"padding:.4rem .8rem;margin:.6rem 0}\n"
".alert p{margin:.2rem 0}\n"
"ul.notes{margin:.2rem 0 .8rem;padding-left:1.2rem;font-size:.92rem;"
"color:#333}\n"
".charts{display:flex;flex-wrap:wrap;gap:.8rem 1.2rem;margin:.4rem 0 1rem}"
"\n"
"figure.chart{margin:0;width:360px;max-width:100%}\n"
"figure.chart svg{display:block;width:100%;height:auto}\n"
"figcaption{font-size:.85rem;color:#333;margin-bottom:.2rem}\n"
"svg text{font-family:inherit;font-size:10px;fill:#444}\n"
"@media print{\n"
"@page{size:A4;margin:15mm 14mm 16mm}\n"
"body{max-width:none;padding:0;font-size:9.5pt}\n"
"thead{display:table-header-group}\n"
"tr,figure.chart,.summary{break-inside:avoid;page-break-inside:avoid}\n"
"h2,h3,h4,h5,h6,figcaption{break-after:avoid;page-break-after:avoid}\n"
"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
"}\n"
"</style>\n";

/* Words only the HTML report uses, [lang]. */
enum html_word {
	W_LEGEND, W_COUNT, W_TOTAL, W_DIFFERS, W_FAILED, W_NOT_MET,
	W_PER_MONTH, W_CUMULATIVE, W_COMPARED, W_MONTHS,
	W_COUNT_WORDS
};

static const char *const WORDS[W_COUNT_WORDS][2] = {
	[W_LEGEND] = { "Teckenförklaring", "Legend" },
	[W_COUNT] = { "Antal", "Count" },
	[W_TOTAL] = { "Totalt", "Total" },
	[W_DIFFERS] = { "angiven bedömning skiljer sig från beräknad",
	                "the stated assessment differs from the computed one" },
	[W_FAILED] = { "Områden som inte kunde beräknas",
	               "Areas that could not be computed" },
	[W_NOT_MET] = { "Indikatorer som inte uppfylls",
	                "Indicators not met" },
	[W_PER_MONTH] = { "per månad", "per month" },
	[W_CUMULATIVE] = { "ackumulerat", "cumulative" },
	[W_COMPARED] = { "jämfört med", "compared with" },
	[W_MONTHS] = { "månader med data", "months with data" },
};

static const char *const MONTHS[2][12] = {
	{ "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep",
	  "okt", "nov", "dec" },
	{ "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
	  "Oct", "Nov", "Dec" },
};

static const char *word(int w, int lang)
{
	return WORDS[w][lang == KPI_LANG_EN];
}

/* The symbol of an assessment key: each differs in shape, not only in
 * colour. */
static const char *symbol(const char *key)
{
	if (!strcmp(key, "met"))
		return "\xe2\x97\x8f";          /* U+25CF BLACK CIRCLE */
	if (!strcmp(key, "partial"))
		return "\xe2\x97\x90";          /* U+25D0 CIRCLE, LEFT HALF BLACK */
	if (!strcmp(key, "not_met"))
		return "\xe2\x9c\x95";          /* U+2715 MULTIPLICATION X */
	return "\xe2\x80\x93";                  /* U+2013 EN DASH */
}

static void put(FILE *out, const char *s)
{
	kpi_escape(out, KPI_ESC_HTML, s);
}

static void heading(FILE *out, int level, const char *id, const char *title)
{
	fprintf(out, "<h%d", level);
	if (id)
		fprintf(out, " id=\"%s\"", id);
	fputc('>', out);
	put(out, title);
	fprintf(out, "</h%d>\n", level);
}

static void paragraph(FILE *out, const char *cls, const char *text)
{
	fputs(cls ? "<p class=\"" : "<p>", out);
	if (cls) {
		fputs(cls, out);
		fputs("\">", out);
	}
	put(out, text);
	fputs("</p>\n", out);
}

/* The symbol and the label of an assessment; `label` may carry the
 * " !" mark of a stated assessment that differs. */
static void grade(FILE *out, const char *key, const char *label)
{
	fprintf(out, "<span class=\"sym\" aria-hidden=\"true\">%s</span> ",
	        symbol(key));
	put(out, label);
}

/* ---- tables ------------------------------------------------------- */

/* What a table's cell is: text, a right-aligned number, or an
 * assessment (grades[row] is its key). */
struct table_spec {
	size_t ncols, nrows;                 /* nrows counts the header */
	const char *const *cells;            /* [row * ncols + col] */
	unsigned long numeric;               /* a bit per column, col 0 the
	                                        lowest */
	long grade_col;                      /* -1 for none */
	const char *const *grades;           /* key per row (row 0 unused) */
	const char *const *row_ids;          /* id per row or NULL */
	const char *cls;                     /* the table's class or NULL */
};

static int is_numeric(const struct table_spec *t, size_t c)
{
	return c < 8 * sizeof t->numeric && (t->numeric >> c & 1u);
}

static void table(FILE *out, const struct table_spec *t)
{
	if (t->cls)
		fprintf(out, "<table class=\"%s\">\n<thead>\n<tr>", t->cls);
	else
		fputs("<table>\n<thead>\n<tr>", out);
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(is_numeric(t, c) ? "<th scope=\"col\" class=\"num\">" :
		      "<th scope=\"col\">", out);
		put(out, t->cells[c]);
		fputs("</th>", out);
	}
	fputs("</tr>\n</thead>\n<tbody>\n", out);
	for (size_t r = 1; r < t->nrows; r++) {
		const char *const *row = &t->cells[r * t->ncols];

		if (t->row_ids && t->row_ids[r])
			fprintf(out, "<tr id=\"%s\">", t->row_ids[r]);
		else
			fputs("<tr>", out);
		for (size_t c = 0; c < t->ncols; c++) {
			if ((long)c == t->grade_col) {
				fprintf(out, "<td class=\"grade %s\">", t->grades[r]);
				grade(out, t->grades[r], row[c]);
			} else {
				fputs(is_numeric(t, c) ? "<td class=\"num\">" : "<td>",
				      out);
				put(out, row[c]);
			}
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

/* ---- the chart ---------------------------------------------------- */

/* The value plotted for month i (0..23) of s: the month's own value, or
 * for a summed indicator the running total of its year so far (so the
 * line meets the yearly target and the forecast at December).  Returns
 * 0 when the month has no value. */
static int plotted(const struct kpi_report_indicator *ri, int i, double *v)
{
	const struct kpi_report_month *m = ri->series.m;

	if (!m[i].has_value)
		return 0;
	if (ri->aggregation != KPI_AGG_SUM) {
		*v = m[i].value;
		return 1;
	}
	*v = 0;
	for (int k = i - i % 12; k <= i; k++)
		if (m[k].has_value)
			*v += m[k].value;
	return 1;
}

/* Predicate: the run year has a month to draw. */
static int has_chart(const struct kpi_report_indicator *ri)
{
	for (int i = 12; i < 24; i++)
		if (ri->series.m[i].has_value && isfinite(ri->series.m[i].value))
			return 1;
	return 0;
}

/* A step of 1, 2, 2.5 or 5 times a power of ten, at least span/ticks. */
static double nice_step(double span, int ticks)
{
	double raw = span / ticks, p = pow(10.0, floor(log10(raw)));
	double f = raw / p;

	return p * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10);
}

struct scale {
	double lo, hi, step;
	int decimals;                  /* of the tick labels */
};

static double sx(int month0)            /* month0: 0 = January */
{
	double pw = CHART_W - PLOT_LEFT - PLOT_RIGHT;

	return PLOT_LEFT + (month0 + 0.5) * pw / 12.0;
}

static double sy(const struct scale *s, double v)
{
	double ph = CHART_H - PLOT_TOP - PLOT_BOTTOM;

	return PLOT_TOP + ph - (v - s->lo) / (s->hi - s->lo) * ph;
}

static void widen(double *lo, double *hi, double v)
{
	if (!isfinite(v))
		return;
	if (v < *lo)
		*lo = v;
	if (v > *hi)
		*hi = v;
}

/* The y axis: from 0 (or below, for negative values) to a round number
 * above every value, target and forecast. */
static struct scale chart_scale(const struct kpi_report_indicator *ri)
{
	const struct kpi_report_target *t = &ri->target;
	struct scale s = { 0, 0, 1, 0 };
	double v;

	for (int i = 0; i < 24; i++)
		if (plotted(ri, i, &v))
			widen(&s.lo, &s.hi, v);
	if (t->has_value)
		widen(&s.lo, &s.hi, t->value + (t->has_width ? t->width : 0));
	if (ri->forecast.has)
		widen(&s.lo, &s.hi, ri->forecast.value);
	if (s.hi - s.lo <= 0)
		s.hi = s.lo + 1;
	s.step = nice_step(s.hi - s.lo, CHART_TICKS);
	s.lo = floor(s.lo / s.step) * s.step;
	s.hi = ceil(s.hi / s.step - 1e-9) * s.step;
	if (s.hi <= s.lo)
		s.hi = s.lo + s.step;
	for (double st = s.step; st < 1 - 1e-9 && s.decimals < 6; st *= 10)
		s.decimals++;
	if (s.step != floor(s.step) && s.decimals == 0)
		s.decimals = 1;                 /* 2.5 */
	return s;
}

/* One year's line as a path, broken where a month has no value. */
static void series_path(FILE *out, const struct kpi_report_indicator *ri,
                        const struct scale *s, int first, const char *cls)
{
	int open = 0, drawn = 0;
	double v;

	for (int i = first; i < first + 12; i++) {
		if (!plotted(ri, i, &v) || !isfinite(v)) {
			open = 0;
			continue;
		}
		if (!drawn++)
			fprintf(out, "<path class=\"%s\" d=\"", cls);
		fprintf(out, "%s%.1f %.1f", open ? " L" : (drawn > 1 ? " M" : "M"),
		        sx(i - first), sy(s, v));
		open = 1;
	}
	if (drawn)
		fputs("\"/>\n", out);
}

/* The chart's description, read by a screen reader and shown as the
 * tooltip: what is drawn, with the target and forecast as the report
 * prints them. */
static void chart_description(FILE *out, const struct kpi_report_indicator *ri,
                              int year, int lang)
{
	size_t months = 0;

	for (int i = 12; i < 24; i++)
		months += ri->series.m[i].has_value != 0;
	put(out, KPI_TEXT(ri->name, lang));
	fprintf(out, ", %d %s %s %d", year,
	        word(ri->aggregation == KPI_AGG_SUM ? W_CUMULATIVE : W_PER_MONTH,
	             lang),
	        word(W_COMPARED, lang), year - 1);
	fprintf(out, "; %s: ", kpi_label(KPI_L_TARGET, lang));
	put(out, KPI_TEXT(ri->target.display, lang));
	if (ri->forecast.has) {
		fprintf(out, "; %s: ", kpi_label(KPI_L_FORECAST, lang));
		put(out, KPI_TEXT(ri->forecast.text, lang));
	}
	fprintf(out, "; %s: ", kpi_label(KPI_L_OUTCOME, lang));
	put(out, KPI_TEXT(ri->outcome.text, lang));
	fprintf(out, " (%d: %zu %s)", year, months, word(W_MONTHS, lang));
}

/* The key above the plot: a swatch and a word per thing drawn. */
static void chart_key(FILE *out, const struct kpi_report_indicator *ri,
                      int year, int lang, int has_prev, int has_target)
{
	double x = PLOT_LEFT;

	fprintf(out, "<g class=\"key\" aria-hidden=\"true\">\n"
	             "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"10\" "
	             "stroke=\"#1f5fa8\" stroke-width=\"2.5\"/>"
	             "<text x=\"%.1f\" y=\"13\">%d</text>\n",
	        x, x + 16, x + 20, year);
	x += 52;
	if (has_prev) {
		fprintf(out, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"10\" "
		             "stroke=\"#9aa0a6\" stroke-width=\"1.5\"/>"
		             "<text x=\"%.1f\" y=\"13\">%d</text>\n",
		        x, x + 16, x + 20, year - 1);
		x += 52;
	}
	if (has_target) {
		fprintf(out, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"10\" "
		             "stroke=\"#1a7f37\" stroke-width=\"1.5\" "
		             "stroke-dasharray=\"6 3\"/>"
		             "<text x=\"%.1f\" y=\"13\">%s</text>\n",
		        x, x + 16, x + 20, kpi_label(KPI_L_TARGET, lang));
		x += 70;
	}
	if (ri->forecast.has)
		fprintf(out, "<circle cx=\"%.1f\" cy=\"10\" r=\"3.5\" fill=\"#fff\" "
		             "stroke=\"#1f5fa8\" stroke-width=\"2\"/>"
		             "<text x=\"%.1f\" y=\"13\">%s</text>\n",
		        x + 6, x + 14, kpi_label(KPI_L_FORECAST, lang));
	fputs("</g>\n", out);
}

static void chart(FILE *out, const struct kpi_report_indicator *ri,
                  int year, int lang)
{
	const struct kpi_report_target *t = &ri->target;
	struct scale s = chart_scale(ri);
	double x0 = PLOT_LEFT, x1 = CHART_W - PLOT_RIGHT;
	double yb = CHART_H - PLOT_BOTTOM, v, last_v = 0;
	int has_prev = 0, last = -1;
	char num[64];

	for (int i = 0; i < 12; i++)
		if (plotted(ri, i, &v) && isfinite(v))
			has_prev = 1;
	for (int i = 12; i < 24; i++)
		if (plotted(ri, i, &v) && isfinite(v)) {
			last = i - 12;
			last_v = v;
		}

	fputs("<figure class=\"chart\">\n<figcaption>", out);
	put(out, KPI_TEXT(ri->name, lang));
	fprintf(out, " (%s)</figcaption>\n",
	        word(ri->aggregation == KPI_AGG_SUM ? W_CUMULATIVE : W_PER_MONTH,
	             lang));
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	             "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
	             "role=\"img\" aria-label=\"", CHART_W, CHART_H, CHART_W,
	        CHART_H);
	chart_description(out, ri, year, lang);
	fputs("\">\n<title>", out);
	chart_description(out, ri, year, lang);
	fputs("</title>\n", out);
	chart_key(out, ri, year, lang, has_prev, t->has_value);

	/* grid and y-axis labels */
	fputs("<g class=\"axis\">\n", out);
	for (long k = 0; k <= lround((s.hi - s.lo) / s.step); k++) {
		double g = s.lo + (double)k * s.step, y = sy(&s, g);

		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		             "stroke=\"%s\" stroke-width=\"1\"/>", x0, y, x1, y,
		        fabs(g) < s.step / 2 ? "#8c959f" : "#e1e4e8");
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
		        x0 - 5, y + 3.5);
		put(out, kpi_fmt_number(num, sizeof num, g, s.decimals, lang, 1));
		fputs("</text>\n", out);
	}
	for (int m = 0; m < 12; m++)
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
		             "%s</text>", sx(m), yb + 14, MONTHS[lang == KPI_LANG_EN][m]);
	fputs("\n</g>\n", out);

	/* the target: a band for a range, a dashed line at its value */
	if (t->has_value && t->has_width && t->width > 0) {
		double ylo = sy(&s, t->value - t->width);
		double yhi = sy(&s, t->value + t->width);

		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		             "height=\"%.1f\" fill=\"#1a7f37\" fill-opacity=\"0.12\"/>\n",
		        x0, yhi, x1 - x0, ylo - yhi);
	}
	if (t->has_value)
		fprintf(out, "<line class=\"target\" x1=\"%.1f\" y1=\"%.1f\" "
		             "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1a7f37\" "
		             "stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>\n",
		        x0, sy(&s, t->value), x1, sy(&s, t->value));

	/* the previous year, then the run year on top */
	fputs("<g fill=\"none\" stroke-linejoin=\"round\" "
	      "stroke-linecap=\"round\">\n", out);
	if (has_prev) {
		fputs("<g stroke=\"#9aa0a6\" stroke-width=\"1.5\">\n", out);
		series_path(out, ri, &s, 0, "previous");
		fputs("</g>\n", out);
	}
	fputs("<g stroke=\"#1f5fa8\" stroke-width=\"2.5\">\n", out);
	series_path(out, ri, &s, 12, "current");
	fputs("</g>\n", out);
	/* the forecast: dashed from the last month to December */
	if (ri->forecast.has && isfinite(ri->forecast.value) && last >= 0) {
		double fy = sy(&s, ri->forecast.value);

		if (last < 11)
			fprintf(out, "<path class=\"forecast\" d=\"M%.1f %.1f L%.1f %.1f\" "
			             "stroke=\"#1f5fa8\" stroke-width=\"1.5\" "
			             "stroke-dasharray=\"3 3\"/>\n",
			        sx(last), sy(&s, last_v), sx(11), fy);
		fprintf(out, "<circle class=\"forecast\" cx=\"%.1f\" cy=\"%.1f\" "
		             "r=\"4\" fill=\"#fff\" stroke=\"#1f5fa8\" "
		             "stroke-width=\"2\"/>\n", sx(11), fy);
	}
	fputs("</g>\n", out);
	/* a dot per month, so a month alone is seen too */
	fputs("<g fill=\"#9aa0a6\">", out);
	for (int i = 0; i < 12; i++)
		if (plotted(ri, i, &v) && isfinite(v))
			fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.8\"/>",
			        sx(i), sy(&s, v));
	fputs("</g>\n<g class=\"current\" fill=\"#1f5fa8\">", out);
	for (int i = 12; i < 24; i++)
		if (plotted(ri, i, &v) && isfinite(v))
			fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>",
			        sx(i - 12), sy(&s, v));
	fputs("</g>\n</svg>\n</figure>\n", out);
}

static void charts(FILE *out, int year, int lang,
                   struct kpi_report_indicator *const *inds, size_t n)
{
	int open = 0;

	for (size_t i = 0; i < n; i++) {
		if (!has_chart(inds[i]))
			continue;
		if (!open++)
			fputs("<div class=\"charts\">\n", out);
		chart(out, inds[i], year, lang);
	}
	if (open)
		fputs("</div>\n", out);
}

/* ---- the report's parts ------------------------------------------- */

/* What one render keeps: which indicators already carry their anchor
 * (an indicator listed by two goals is anchored once). */
struct html {
	FILE *out;
	const struct kpi_report *r;
	int lang;
	unsigned char *anchored;       /* [r->n_indicators] */
};

/* The id attribute value of ri's row ("ind-<index>"), or NULL when an
 * earlier row has it.  Written into buf. */
static const char *anchor(struct html *h,
                          const struct kpi_report_indicator *ri, char *buf,
                          size_t n)
{
	size_t k = (size_t)(ri - h->r->indicators);

	if (k >= h->r->n_indicators || h->anchored[k])
		return NULL;
	h->anchored[k] = 1;
	snprintf(buf, n, "ind-%zu", k);
	return buf;
}

static void notes(FILE *out, int lang, struct kpi_report_indicator *const *inds,
                  size_t n)
{
	int open = 0;

	for (size_t i = 0; i < n; i++) {
		const struct kpi_report_indicator *ri = inds[i];

		for (size_t k = 0; k < ri->n_subperiods; k++) {
			fputs(open++ ? "<li>" : "<ul class=\"notes\">\n<li>", out);
			put(out, KPI_TEXT(ri->subperiods[k].line, lang));
			fputs("</li>\n", out);
		}
		if (ri->has_interval) {
			fputs(open++ ? "<li>" : "<ul class=\"notes\">\n<li>", out);
			put(out, KPI_TEXT(ri->odds_line, lang));
			fputs("</li>\n", out);
		}
		for (size_t k = 0; ri->breakdown && k < ri->n_groups; k++) {
			fputs(open++ ? "<li>" : "<ul class=\"notes\">\n<li>", out);
			put(out, KPI_TEXT(ri->name, lang));
			fputs(", ", out);
			put(out, ri->groups[k].name);
			fputs(": ", out);
			put(out, KPI_TEXT(ri->groups[k].outcome.text, lang));
			fputs("</li>\n", out);
		}
		if (ri->differs) {
			fputs(open++ ? "<li>! " : "<ul class=\"notes\">\n<li>! ", out);
			put(out, KPI_TEXT(ri->note, lang));
			fputs("</li>\n", out);
		}
	}
	if (open)
		fputs("</ul>\n", out);
}

/* An indicator table, its notes and its charts.  Returns 0 or KPI_EIO. */
static int indicators(struct html *h, int first,
                      struct kpi_report_indicator *const *inds, size_t n)
{
	int lang = h->lang;
	const char **cells = calloc((n + 1) * KPI_ROW_COLUMNS, sizeof *cells);
	const char **keys = calloc(n + 1, sizeof *keys);
	const char **ids = calloc(n + 1, sizeof *ids);
	char (*marks)[128] = calloc(n + 1, sizeof *marks);
	char (*idbuf)[32] = calloc(n + 1, sizeof *idbuf);
	int cols[KPI_ROW_COLUMNS], rc = KPI_EIO;
	unsigned long numeric = 0;
	size_t nc;

	if (!cells || !keys || !ids || !marks || !idbuf)
		goto out_free;
	kpi_writer_row_header(first, lang, cells);
	for (size_t i = 0; i < n; i++) {
		kpi_writer_row(inds[i], lang, &cells[(i + 1) * KPI_ROW_COLUMNS],
		               marks[i], sizeof marks[i]);
		keys[i + 1] = inds[i]->assessment.key;
		ids[i + 1] = anchor(h, inds[i], idbuf[i], sizeof idbuf[i]);
	}
	nc = kpi_writer_row_columns(inds, n, cols);
	kpi_writer_rows_pick(cells, n + 1, cols, nc);
	for (size_t j = 0; j < nc; j++)
		if (cols[j] >= 1 && cols[j] <= 6)  /* outcome .. council */
			numeric |= 1ul << j;
	table(h->out, &(struct table_spec){
		.ncols = nc, .nrows = n + 1, .cells = cells,
		.numeric = numeric, .grade_col = (long)nc - 1,
		.grades = keys, .row_ids = ids, .cls = "indicators" });
	notes(h->out, lang, inds, n);
	charts(h->out, h->r->year, lang, inds, n);
	rc = 0;
out_free:
	free(cells);
	free(keys);
	free(ids);
	free(marks);
	free(idbuf);
	return rc;
}

static int activities(struct html *h, const struct kpi_report_goal *g)
{
	int lang = h->lang;
	size_t n = g->n_activities;
	const char **cells = calloc((n + 1) * 4, sizeof *cells);

	if (!cells)
		return KPI_EIO;
	cells[0] = kpi_label(g->kind == KPI_GOAL_COMMITTEE ?
	                     KPI_L_COMMITTEE_ACTIVITIES :
	                     KPI_L_COUNCIL_ACTIVITIES, lang);
	cells[1] = kpi_label(KPI_L_START, lang);
	cells[2] = kpi_label(KPI_L_END, lang);
	cells[3] = kpi_label(KPI_L_DEVIATION, lang);
	for (size_t i = 0; i < n; i++) {
		const struct kpi_report_activity *a = &g->activities[i];

		cells[(i + 1) * 4] = KPI_TEXT(a->text, lang);
		cells[(i + 1) * 4 + 1] = a->start_text;
		cells[(i + 1) * 4 + 2] = a->end_text;
		cells[(i + 1) * 4 + 3] = KPI_TEXT(a->deviation, lang);
	}
	table(h->out, &(struct table_spec){
		.ncols = 4, .nrows = n + 1, .cells = cells, .grade_col = -1,
		.cls = "activities" });
	free(cells);
	return 0;
}

static int goal(struct html *h, const struct kpi_report_goal *g, int level)
{
	FILE *out = h->out;
	int lang = h->lang, rc = 0;
	const char *text = KPI_TEXT(g->text, lang);

	fputs("<section class=\"goal\">\n", out);
	heading(out, level, NULL, KPI_TEXT(g->heading, lang));
	fprintf(out, "<p class=\"assessment %s\">%s: ", g->assessment.key,
	        kpi_label(KPI_L_ASSESSMENT, lang));
	grade(out, g->assessment.key, KPI_TEXT(g->assessment.label, lang));
	if (g->differs) {
		fputs(" (", out);
		put(out, KPI_TEXT(g->note, lang));
		fputc(')', out);
	}
	fputs("</p>\n", out);
	if (*text)
		paragraph(out, NULL, text);
	if (g->n_indicators)
		rc = indicators(h, g->kind == KPI_GOAL_COMMITTEE ?
		                KPI_L_COMMITTEE_INDICATORS :
		                KPI_L_COUNCIL_INDICATORS,
		                g->indicators, g->n_indicators);
	if (g->n_activities && !rc)
		rc = activities(h, g);
	for (size_t i = 0; i < g->n_children && !rc; i++)
		rc = goal(h, g->children[i], level < 6 ? level + 1 : 6);
	fputs("</section>\n", out);
	return rc;
}

static int plugin_table(struct html *h, const struct kpi_report_table *t)
{
	int lang = h->lang, en = lang == KPI_LANG_EN;
	size_t nc = t->n_columns, nr = t->n_rows + 1;
	const char *note = KPI_TEXT(t->note, lang);
	const char **cells;
	unsigned long numeric = 0;

	if (nc == 0)
		return 0;
	fputs("<section class=\"table\">\n", h->out);
	heading(h->out, 2, NULL, KPI_TEXT(t->title, lang));
	cells = calloc(nc * nr, sizeof *cells);
	if (!cells)
		return KPI_EIO;
	for (size_t c = 0; c < nc; c++) {
		/* a column whose cells are all numbers is right-aligned */
		int num = t->n_rows > 0;

		cells[c] = KPI_TEXT(t->columns[c], lang);
		for (size_t r = 0; r < t->n_rows; r++)
			if (t->cells[en][r * nc + c].kind == KPI_CELL_TEXT)
				num = 0;
		if (num && c < 8 * sizeof numeric)
			numeric |= 1ul << c;
	}
	for (size_t i = 0; i < t->n_rows * nc; i++)
		cells[nc + i] = t->cells[en][i].text;
	table(h->out, &(struct table_spec){
		.ncols = nc, .nrows = nr, .cells = cells, .numeric = numeric,
		.grade_col = -1 });
	free(cells);
	if (*note)
		paragraph(h->out, NULL, note);
	fputs("</section>\n", h->out);
	return 0;
}

/* The summary at the top: the period, failed areas, the counts per
 * assessment, the indicators not met (linked to their rows) and the
 * legend. */
static int summary(struct html *h)
{
	static const int order[4] = { KPI_ASSESS_MET, KPI_ASSESS_PARTIAL,
	                              KPI_ASSESS_NOT_MET, KPI_ASSESS_NONE };
	const struct kpi_report *r = h->r;
	const struct kpi_report_summary *s = &r->summary;
	size_t count[4] = { s->met, s->partial, s->not_met, s->not_assessed };
	FILE *out = h->out;
	int lang = h->lang, listed = 0;
	char nums[5][32];
	const char *cells[6 * 2], *keys[6];

	fputs("<section class=\"summary\" aria-labelledby=\"summary\">\n", out);
	heading(out, 2, "summary", kpi_label(KPI_L_SUMMARY, lang));
	fprintf(out, "<p class=\"period\">%s: ", kpi_label(KPI_L_PERIOD, lang));
	put(out, KPI_TEXT(r->period.label, lang));
	fputs("</p>\n", out);
	if (r->n_failures) {
		fputs("<div class=\"alert\" role=\"alert\">\n", out);
		fprintf(out, "<p><strong>%s</strong></p>\n", word(W_FAILED, lang));
		for (size_t i = 0; i < r->n_failures; i++)
			paragraph(out, NULL, KPI_TEXT(r->failures[i].text, lang));
		fputs("</div>\n", out);
	}

	cells[0] = kpi_label(KPI_L_ASSESSMENT, lang);
	cells[1] = word(W_COUNT, lang);
	for (int k = 0; k < 4; k++) {
		keys[k + 1] = kpi_assessment_key(order[k]);
		cells[(k + 1) * 2] = kpi_assessment_label(order[k], lang);
		snprintf(nums[k], sizeof nums[k], "%zu", count[k]);
		cells[(k + 1) * 2 + 1] = nums[k];
	}
	table(out, &(struct table_spec){
		.ncols = 2, .nrows = 5, .cells = cells, .numeric = 0x2ul,
		.grade_col = 0, .grades = keys, .cls = "counts" });
	paragraph(out, NULL, KPI_TEXT(s->text, lang));
	if (s->differ)
		paragraph(out, NULL, KPI_TEXT(s->differ_text, lang));

	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct kpi_report_indicator *ri = &r->indicators[i];

		/* a listed indicator has its row under a goal, a declared
		 * one no goal lists under the other indicators */
		if (ri->assessment.value != KPI_ASSESS_NOT_MET ||
		    (!ri->listed && !ri->declared))
			continue;
		if (!listed++)
			fprintf(out, "<p class=\"not-met\">%s: ",
			        word(W_NOT_MET, lang));
		else
			fputs(", ", out);
		fprintf(out, "<a href=\"#ind-%zu\">", i);
		put(out, KPI_TEXT(ri->name, lang));
		fputs("</a>", out);
	}
	if (listed)
		fputs("</p>\n", out);

	fprintf(out, "<p class=\"legend\"><strong>%s:</strong> ",
	        word(W_LEGEND, lang));
	for (int k = 0; k < 4; k++) {
		const char *key = kpi_assessment_key(order[k]);

		fprintf(out, "<span class=\"%s\">", key);
		grade(out, key, kpi_assessment_label(order[k], lang));
		fputs("</span>", out);
	}
	fputs("<span>! ", out);
	put(out, word(W_DIFFERS, lang));
	fputs("</span></p>\n</section>\n", out);
	return 0;
}

int kpi_write_html(FILE *out, const struct kpi_report *r,
                   const struct kpi_writer_opts *opts)
{
	struct html h = { out, r, opts->lang, NULL };
	int lang = opts->lang, rc = 0;
	const char *period = KPI_TEXT(r->period.label, lang);

	h.anchored = calloc(r->n_indicators + 1, 1);
	if (!h.anchored)
		return KPI_EIO;
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	             "<meta charset=\"utf-8\"/>\n"
	             "<meta name=\"viewport\" content=\"width=device-width, "
	             "initial-scale=1\"/>\n"
	             "<meta name=\"generator\" content=\"%s %s\"/>\n<title>",
	        lang == KPI_LANG_EN ? "en" : "sv", r->generator, r->version);
	put(out, KPI_TEXT(r->title, lang));
	if (*period) {
		fputs(" \xe2\x80\x93 ", out);
		put(out, period);
	}
	fputs("</title>\n", out);
	fputs(STYLE, out);
	fputs("</head>\n<body>\n<header>\n", out);
	heading(out, 1, NULL, KPI_TEXT(r->title, lang));
	fputs("</header>\n<main>\n", out);
	rc = summary(&h);
	for (size_t i = 0; i < r->n_roots && !rc; i++)
		rc = goal(&h, r->roots[i], 2);
	if (r->n_other && !rc) {
		fputs("<section class=\"other\">\n", out);
		heading(out, 2, NULL, KPI_TEXT(r->other_heading, lang));
		rc = indicators(&h, KPI_L_INDICATOR, r->other, r->n_other);
		fputs("</section>\n", out);
	}
	for (size_t i = 0; i < r->n_tables && !rc; i++)
		rc = plugin_table(&h, &r->tables[i]);
	fputs("</main>\n</body>\n</html>\n", out);
	free(h.anchored);
	return rc || ferror(out) ? KPI_EIO : 0;
}
