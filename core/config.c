/*
 * config.c - reads the year's config into the goal registry: the run,
 * the areas, goals, activities and per-indicator targets.  Every value is
 * parsed strictly and every error names the config file and line.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"
#include "limit.h"
#include "num.h"
#include "registry.h"

static const char *const run_keys[] = {
	"year", "period", "data_dir", "plugin_dir", "lang", "title_sv",
	"title_en", "tolerance", "plugin_timeout", "plugin_memory_limit",
	"plugin_process_limit", "plugin_jobs", "allow_exports_outside_data_dir", "decimal_mark",
	"organisation", "committee", "compare", NULL
};
static const char *const goal_keys[] = {
	"kind", "parent", "title_sv", "title_en", "text_sv", "text_en",
	"indicators", "stated", NULL
};
static const char *const activity_keys[] = {
	"goal", "text_sv", "text_en", "start", "end", "deviation_sv",
	"deviation_en", NULL
};
static const char *const indicator_keys[] = {
	"target", "council_target", "forecast", "tolerance", "stated",
	"name_sv", "name_en", "unit", "decimals", "direction", "baseline",
	"period_label", "subperiods", "council_scope", "breakdown", "compare",
	"accuracy_of", NULL
};

/*
 * Out of memory (docs/errors.md): every allocation here is checked and a
 * failure is returned as KPI_ENOMEM, which wins over any config error met
 * on the way and stops the load; nothing is printed here (kpi_run prints
 * it once).  Whatever was built so far stays reachable from cfg, so
 * kpi_config_free releases it.
 */

/* *dst = a heap copy of s (NULL stays NULL).  Returns 0 or KPI_ENOMEM. */
static int dup_str(char **dst, const char *s)
{
	*dst = NULL;
	if (!s)
		return 0;
	*dst = strdup(s);
	return *dst ? 0 : KPI_ENOMEM;
}

/* Fold the result r of one check into the result so far: out of memory
 * wins, then a config error. */
static int worse(int rc, int r)
{
	if (rc == KPI_ENOMEM || r == KPI_ENOMEM)
		return KPI_ENOMEM;
	return r ? KPI_ECONFIG : rc;
}

int kpi_config_parse_compare(const char *s, int *compare)
{
	if (strcmp(s, "same_period") == 0)
		*compare = KPI_COMPARE_SAME_PERIOD;
	else if (strcmp(s, "previous_year") == 0)
		*compare = KPI_COMPARE_PREVIOUS_YEAR;
	else
		return KPI_ECONFIG;
	return 0;
}

/*
 * Figures written for a period.  A manual forecast and a stated assessment
 * are what a report of one period said: `forecast = 870 @ T2`, `stated =
 * met @ 2011-T2`.  Without '@' a figure belongs to the config's own year
 * and period as the file writes them ([kpirun] year and period), so a
 * config keeps working unchanged; a run of another period (--period) sets
 * it aside with a warning (kpi_config_apply_periods), and kpirun
 * --new-year drops such lines (newyear.c).
 */

/* The year of a period written as "YYYY-..." (4 digits, then '-'), or -1.
 * Range-checked by the caller. */
static int period_year(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	if (s[4] != '-')
		return -1;
	return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	       (s[3] - '0');
}

/* Parse the period after '@': any period --period accepts (T1..T3, Q1..Q4,
 * H1, H2, year, YYYY-MM, YYYY-MM..YYYY-MM) of the config's year, or of
 * another year with the year first: YYYY-T2, YYYY-Q1, YYYY-year.  Returns
 * 0, or KPI_ECONFIG with a message at sec:key. */
static int parse_written_period(const struct kpi_config *cfg, const char *sec,
                                const char *key, const char *v,
                                const char *p, struct kpi_bound *f)
{
	const char *dots = strstr(p, ".."), *why;
	char why_buf[96];
	int y = period_year(dots ? dots + 2 : p);

	if (y < 0) {
		if (kpi_period_parse(p, cfg->year, &f->period, why_buf,
		                     sizeof why_buf, &why) == 0)
			return 0;
	} else if (y < 1900 || y > 2999) {
		return kpi_ini_error(cfg->ini, sec, key, "'%s': year %d is out "
		                     "of range (expected 1900..2999)", v, y);
	} else if (dots || isdigit((unsigned char)p[5])) {
		if (kpi_period_parse(p, y, &f->period, why_buf, sizeof why_buf,
		                     &why) == 0)
			return 0;
	} else if (kpi_period_parse(p + 5, y, &f->period, why_buf,
	                            sizeof why_buf, &why) == 0) {
		return 0;
	}
	return kpi_ini_error(cfg->ini, sec, key, "'%s': '%s' is not a period "
	                     "(expected T1, T2, T3, Q1..Q4, H1, H2, year, "
	                     "YYYY-MM or YYYY-MM..YYYY-MM, optionally with "
	                     "the year first: %d-T2)", v, p, cfg->year);
}

/*
 * Split v ("870 @ T2") into the figure's value, copied into buf (n bytes),
 * and the period it was written for, in *f (with section, key and line);
 * without '@' the config's year and its [kpirun] period.  Returns 0, or
 * KPI_ECONFIG with a message at sec:key.
 */
static int split_written_for(const struct kpi_config *cfg, const char *sec,
                             const char *key, const char *v, char *buf,
                             size_t n, struct kpi_bound *f)
{
	const char *at = strchr(v, '@'), *p;
	size_t len = at ? (size_t)(at - v) : strlen(v);

	memset(f, 0, sizeof *f);
	f->section = sec;
	f->key = key;
	f->line = kpi_ini_line(cfg->ini, sec, key);
	f->period = cfg->period;
	while (len && v[len - 1] == ' ')
		len--;
	if (len >= n)
		return kpi_ini_error(cfg->ini, sec, key, "'%.40s...' is too long",
		                     v);
	memcpy(buf, v, len);
	buf[len] = '\0';
	if (!at)
		return 0;
	f->with_at = 1;
	if (strchr(at + 1, '@'))
		return kpi_ini_error(cfg->ini, sec, key, "'%s': more than one "
		                     "'@' (expected one period: VALUE @ PERIOD)",
		                     v);
	if (len == 0)
		return kpi_ini_error(cfg->ini, sec, key, "'%s': no value before "
		                     "'@'", v);
	for (p = at + 1; *p == ' '; p++)
		;
	if (!*p)
		return kpi_ini_error(cfg->ini, sec, key, "'%s': no period after "
		                     "'@' (expected e.g. '%s @ T2')", v, buf);
	return parse_written_period(cfg, sec, key, v, p, f);
}

/* Append a copy of f to cfg's figures.  Returns 0 or KPI_ENOMEM. */
static int add_figure(struct kpi_config *cfg, const struct kpi_bound *f)
{
	struct kpi_bound *a = realloc(cfg->figures,
	                               (cfg->n_figures + 1) * sizeof *a);

	if (!a)
		return KPI_ENOMEM;
	cfg->figures = a;
	cfg->figures[cfg->n_figures++] = *f;
	return 0;
}

int kpi_config_same_period(const struct kpi_config *cfg,
                           const struct kpi_period *p)
{
	/* the same months, however written (T3 is the year) */
	return kpi_period_first(p) == kpi_period_first(&cfg->period) &&
	       kpi_period_last(p) == kpi_period_last(&cfg->period);
}

void kpi_config_period_name(char *buf, size_t n, const struct kpi_period *p)
{
	if (p->from_year == p->to_year && p->from_month == 1 &&
	    p->to_month == 12)
		snprintf(buf, n, "year %d", p->to_year);
	else
		kpi_period_name(buf, n, KPI_LANG_EN, p);
}

static const char *figure_what(const struct kpi_bound *f)
{
	switch (f->kind) {
	case KPI_BOUND_FORECAST:
		return "forecast";
	case KPI_BOUND_AREA_STATED:
		return "stated figure";
	default:
		return "stated assessment";
	}
}

/* Set f's figure aside: the run goes on as if the file had not given it. */
static void figure_drop(struct kpi_config *cfg, const struct kpi_bound *f)
{
	switch (f->kind) {
	case KPI_BOUND_FORECAST:
		f->ind->forecast_kind = KPI_FORECAST_NONE;
		break;
	case KPI_BOUND_STATED:
		f->ind->stated = -1;
		break;
	case KPI_BOUND_GOAL_STATED:
		f->goal->stated = -1;
		break;
	default:
		kpi_ini_hide(cfg->ini, f->section, f->key);
		break;
	}
}

int kpi_config_apply_periods(struct kpi_config *cfg, FILE *list)
{
	char run[32], written[32];

	kpi_config_period_name(run, sizeof run, &cfg->period);
	if (list && cfg->n_figures)
		fprintf(list, "figures written for a period (this run: %s):\n",
		        run);
	for (size_t i = 0; i < cfg->n_figures; i++) {
		struct kpi_bound *f = &cfg->figures[i];

		f->used = kpi_config_same_period(cfg, &f->period);
		kpi_config_period_name(written, sizeof written, &f->period);
		if (list)
			fprintf(list, "  %s:%ld: [%s] %s: %s, written for %s%s: "
			        "%s\n", cfg->path, f->line, f->section, f->key,
			        figure_what(f), written,
			        f->with_at ? "" : " (the config's period)",
			        f->used ? "used" : "not used");
		if (f->used)
			continue;
		figure_drop(cfg, f);
		if (!list)
			kpi_diag(KPI_LOG_WARN, NULL, cfg->path, f->line, 0,
			         "[%s] %s: %s written for %s, not used in %s",
			         f->section, f->key, figure_what(f), written, run);
	}
	if (list && (fflush(list) != 0 || ferror(list)))
		return KPI_EIO;
	return 0;
}

/* Order of figures: by line. */
static int figure_cmp(const void *a, const void *b)
{
	const struct kpi_bound *x = a, *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

/* The `stated.<figure>` keys of [area NAME]: period-bound figures a
 * plugin reads.  A written period ('@') is cut off the value, so the
 * plugin reads the figure alone.  Returns 0, KPI_ECONFIG or KPI_ENOMEM. */
static int area_figures(struct kpi_config *cfg, const char *sec)
{
	char buf[KPI_MAX_CONFIG_LINE + 1];
	int rc = 0;

	for (size_t i = 0; i < kpi_ini_nkeys(cfg->ini, sec); i++) {
		const char *key = kpi_ini_key(cfg->ini, sec, i);
		const char *v = kpi_ini_get(cfg->ini, sec, key);
		struct kpi_bound f;

		if (strncmp(key, "stated.", 7) != 0 || !v)
			continue;
		if (split_written_for(cfg, sec, key, v, buf, sizeof buf, &f)) {
			rc = KPI_ECONFIG;
			continue;
		}
		f.kind = KPI_BOUND_AREA_STATED;
		if (add_figure(cfg, &f))
			return KPI_ENOMEM;
		kpi_ini_cut_value(cfg->ini, sec, key, strlen(buf));
	}
	return rc;
}

/* A config number: kpi_num_parse with a decimal comma or point. */
static int parse_number(const char *s, double *out, const char **why)
{
	int rc = kpi_num_parse(s, strlen(s), 1, out, why);

	if (rc == KPI_MISSING) {
		*why = "expected a number, found an empty value";
		return KPI_ECONFIG;
	}
	return rc ? KPI_ECONFIG : 0;
}

static int parse_int_value(const struct kpi_ini *ini, const char *sec,
                           const char *key, const char *v, long lo, long hi,
                           long *out)
{
	int64_t n;
	const char *why = NULL;
	int rc = kpi_num_parse_int(v, strlen(v), &n, &why);

	if (rc != 0)
		return kpi_ini_error(ini, sec, key, "'%s' is not a whole number%s%s",
		                     v, why ? ": " : "", why ? why : "");
	if (n < lo || n > hi)
		return kpi_ini_error(ini, sec, key,
		                     "%s is out of range (expected %ld..%ld)",
		                     v, lo, hi);
	*out = (long)n;
	return 0;
}

/* Tolerance: "10 %" relative to the target, or a bare absolute number. */
static int parse_tolerance(const struct kpi_ini *ini, const char *sec,
                           const char *v, double *tol, int *rel)
{
	char buf[64];
	size_t len = strlen(v);
	const char *why = "";

	*rel = 0;
	if (len >= sizeof buf)
		return kpi_ini_error(ini, sec, "tolerance", "'%s' is too long", v);
	memcpy(buf, v, len + 1);
	while (len && buf[len - 1] == ' ')
		buf[--len] = '\0';
	if (len && buf[len - 1] == '%') {
		buf[--len] = '\0';
		*rel = 1;
	}
	if (parse_number(buf, tol, &why) != 0)
		return kpi_ini_error(ini, sec, "tolerance",
		                     "'%s' is not a tolerance (expected e.g. "
		                     "'10 %%' or '0.5'): %s", v, why);
	if (*tol < 0)
		return kpi_ini_error(ini, sec, "tolerance",
		                     "'%s' is negative", v);
	if (*rel)
		*tol /= 100.0;
	return 0;
}

static int parse_stated(const struct kpi_ini *ini, const char *sec,
                        const char *v, int *out)
{
	if (strcmp(v, "met") == 0)
		*out = KPI_ASSESS_MET;
	else if (strcmp(v, "partial") == 0)
		*out = KPI_ASSESS_PARTIAL;
	else if (strcmp(v, "not_met") == 0)
		*out = KPI_ASSESS_NOT_MET;
	else if (strcmp(v, "none") == 0)
		*out = KPI_ASSESS_NONE;
	else
		return kpi_ini_error(ini, sec, "stated",
		                     "'%s' is not an assessment (expected met, "
		                     "partial, not_met or none)", v);
	return 0;
}

/* Count the decimals written in a number ("5,5" -> 1). */
static int written_decimals(const char *s)
{
	const char *sep = NULL;

	for (const char *p = s; *p; p++)
		if (*p == '.' || *p == ',')
			sep = p;
	if (!sep)
		return 0;
	int n = 0;
	for (const char *p = sep + 1; isdigit((unsigned char)*p); p++)
		n++;
	return n;
}

/* Split "300 000 kWh" into the number part and the unit part: the unit
 * starts at the first character that cannot belong to a number. */
static void split_unit(const char *s, char *num, size_t nnum, const char **unit)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	while (*p) {
		if (isdigit(*p) || *p == ' ' || *p == '.' || *p == ',' ||
		    *p == '-' || *p == '+' || *p >= 0x80) {
			/* U+00A0, U+202F, U+2212 are multi-byte; letters such as
			 * 'å' never start a unit after a number in practice */
			if (*p >= 0x80 && !(p[0] == 0xC2 && p[1] == 0xA0) &&
			    !(p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xAF) &&
			    !(p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92))
				break;
			p++;
			continue;
		}
		break;
	}
	len = (size_t)((const char *)p - s);
	/* a unit is set off by a space ("300 000 kWh"), except '%' ("85%") */
	if (*p && *p != '%' && len > 0 && s[len - 1] != ' ') {
		*unit = NULL;
		return;
	}
	if (len >= nnum)
		len = nnum - 1;
	memcpy(num, s, len);
	num[len] = '\0';
	while (len && num[len - 1] == ' ')
		num[--len] = '\0';
	while (*p == ' ')
		p++;
	*unit = (const char *)p;
}

static int parse_target(const struct kpi_ini *ini, const char *sec,
                        const char *key, const char *v,
                        struct kpi_target *t)
{
	char num[KPI_MAX_CONFIG_LINE + 1];   /* a value is shorter than its line */
	const char *unit, *why = "";
	const char *pm;

	memset(t, 0, sizeof *t);
	t->line = kpi_ini_line(ini, sec, key);
	if (!*v || strcmp(v, "none") == 0) {
		t->kind = KPI_TARGET_NONE;
		return 0;
	}
	if (strcmp(v, "increase") == 0) {
		t->kind = KPI_TARGET_INCREASE;
		return 0;
	}
	if (strcmp(v, "decrease") == 0) {
		t->kind = KPI_TARGET_DECREASE;
		return 0;
	}
	if (strcmp(v, "set_by_committee") == 0) {
		t->kind = KPI_TARGET_TEXT;
		t->to_be_set = 1;
		if (dup_str(&t->text_sv, "tas fram av nämnden") ||
		    dup_str(&t->text_en, "set by committee"))
			return KPI_ENOMEM;
		return 0;
	}
	if (strncmp(v, "text:", 5) == 0) {
		const char *txt = v + 5;

		while (*txt == ' ')
			txt++;
		if (!*txt)
			return kpi_ini_error(ini, sec, key, "empty text target");
		t->kind = KPI_TARGET_TEXT;
		/* the words set_by_committee stands for, written out */
		t->to_be_set = strcmp(txt, "tas fram av nämnden") == 0 ||
		               strcmp(txt, "set by committee") == 0;
		if (dup_str(&t->text_sv, txt) || dup_str(&t->text_en, txt))
			return KPI_ENOMEM;
		return 0;
	}
	pm = strstr(v, "+/-");
	if (pm) {
		char centre[KPI_MAX_CONFIG_LINE + 1];
		size_t clen = (size_t)(pm - v);

		if (clen >= sizeof centre)
			return kpi_ini_error(ini, sec, key, "'%s' is too long", v);
		memcpy(centre, v, clen);
		centre[clen] = '\0';
		if (parse_number(centre, &t->value, &why) != 0)
			return kpi_ini_error(ini, sec, key,
			                     "'%s': the centre of a range must be "
			                     "a number (%s)", v, why);
		split_unit(pm + 3, num, sizeof num, &unit);
		if (!unit || parse_number(num, &t->width, &why) != 0 ||
		    t->width < 0)
			return kpi_ini_error(ini, sec, key,
			                     "'%s': the width of a range must be a "
			                     "non-negative number", v);
		t->kind = KPI_TARGET_RANGE;
		t->decimals = written_decimals(centre);
		return *unit ? dup_str(&t->unit, unit) : 0;
	}
	split_unit(v, num, sizeof num, &unit);
	if (!unit || parse_number(num, &t->value, &why) != 0)
		return kpi_ini_error(ini, sec, key,
		                     "'%s' is not a target (expected a number "
		                     "with an optional unit, increase, decrease, "
		                     "'N +/- M', set_by_committee, text:..., "
		                     "none)", v);
	t->kind = KPI_TARGET_NUMBER;
	t->decimals = written_decimals(num);
	return *unit ? dup_str(&t->unit, unit) : 0;
}


static const struct kpi_area *find_area(const struct kpi_config *cfg,
                                        const char *name)
{
	for (size_t i = 0; i < cfg->n_areas; i++)
		if (strcmp(cfg->areas[i].name, name) == 0)
			return &cfg->areas[i];
	return NULL;
}


/* Resolve a path from the config relative to the config's directory into
 * *out (malloc'd).  Returns 0 or KPI_ENOMEM. */
static int config_path(const struct kpi_config *cfg, const char *p,
                       char **out)
{
	size_t n;

	if (p[0] == '/' || !cfg->dir || !*cfg->dir)
		return dup_str(out, p);
	n = strlen(cfg->dir) + strlen(p) + 2;
	*out = malloc(n);
	if (!*out)
		return KPI_ENOMEM;
	snprintf(*out, n, "%s/%s", cfg->dir, p);
	return 0;
}

/* decimal_mark = comma | point (enum kpi_csv_decimal) of section sec, if
 * given; *out is left alone otherwise.  Returns 0 or KPI_ECONFIG. */
static int parse_decimal_mark(const struct kpi_ini *ini, const char *sec,
                              int *out)
{
	const char *v = kpi_ini_get(ini, sec, "decimal_mark");

	if (!v)
		return 0;
	if (strcmp(v, "comma") == 0)
		*out = KPI_CSV_DECIMAL_COMMA;
	else if (strcmp(v, "point") == 0)
		*out = KPI_CSV_DECIMAL_POINT;
	else
		return kpi_ini_error(ini, sec, "decimal_mark",
		                     "'%s' is not a decimal mark (expected comma "
		                     "or point)", v);
	return 0;
}

static int load_run(struct kpi_config *cfg)
{
	struct kpi_ini *ini = cfg->ini;
	const char *sec = "kpirun", *v, *why;
	char why_buf[128];
	long year;
	int rc = 0;

	if (!kpi_ini_has_section(ini, sec)) {
		kpi_diag(KPI_LOG_ERROR, NULL, cfg->path, 1, 0,
		         "no [kpirun] section (expected year, period and "
		         "data_dir there)");
		return KPI_ECONFIG;
	}
	if (kpi_ini_check_keys(ini, sec, run_keys) != 0)
		rc = KPI_ECONFIG;
	v = kpi_ini_get(ini, sec, "year");
	if (!v) {
		kpi_ini_error(ini, sec, NULL, "missing required key 'year'");
		return KPI_ECONFIG;
	}
	if (parse_int_value(ini, sec, "year", v, 1900, 2999, &year) != 0)
		return KPI_ECONFIG;
	cfg->year = (int)year;
	v = kpi_ini_get(ini, sec, "period");
	if (!v)
		rc = kpi_ini_error(ini, sec, NULL, "missing required key 'period'");
	else if (kpi_period_parse(v, cfg->year, &cfg->period, why_buf,
	                          sizeof why_buf, &why))
		rc = kpi_ini_error(ini, sec, "period", "'%s' is not a period: %s",
		                   v, why);
	v = kpi_ini_get(ini, sec, "compare");
	if (v && kpi_config_parse_compare(v, &cfg->compare))
		rc = kpi_ini_error(ini, sec, "compare", "'%s' is not a "
		                   "comparison (expected same_period or "
		                   "previous_year)", v);
	v = kpi_ini_get(ini, sec, "data_dir");
	if (!v || !*v)
		rc = kpi_ini_error(ini, sec, NULL,
		                   "missing required key 'data_dir'");
	else if (config_path(cfg, v, &cfg->data_dir))
		return KPI_ENOMEM;
	v = kpi_ini_get(ini, sec, "plugin_dir");
	if (v && *v && config_path(cfg, v, &cfg->plugin_dir))
		return KPI_ENOMEM;
	v = kpi_ini_get(ini, sec, "allow_exports_outside_data_dir");
	if (v && strcmp(v, "yes") == 0)
		cfg->exports_anywhere = 1;
	else if (v && strcmp(v, "no") != 0)
		rc = kpi_ini_error(ini, sec, "allow_exports_outside_data_dir",
		                   "'%s' is not yes or no", v);
	v = kpi_ini_get(ini, sec, "lang");
	if (v) {
		if (strcmp(v, "sv") == 0)
			cfg->lang = KPI_LANG_SV;
		else if (strcmp(v, "en") == 0)
			cfg->lang = KPI_LANG_EN;
		else
			rc = kpi_ini_error(ini, sec, "lang",
			                   "'%s' is not a language (expected sv "
			                   "or en)", v);
	}
	if (dup_str(&cfg->title_sv, kpi_ini_get(ini, sec, "title_sv")) ||
	    dup_str(&cfg->title_en, kpi_ini_get(ini, sec, "title_en")) ||
	    dup_str(&cfg->organisation, kpi_ini_get(ini, sec, "organisation")) ||
	    dup_str(&cfg->committee, kpi_ini_get(ini, sec, "committee")))
		return KPI_ENOMEM;
	cfg->tolerance = 0.10;
	cfg->tolerance_rel = 1;
	cfg->plugin_timeout = 300;
	v = kpi_ini_get(ini, sec, "plugin_timeout");
	if (v) {
		long t;

		if (parse_int_value(ini, sec, "plugin_timeout", v, 1, 86400, &t))
			rc = KPI_ECONFIG;
		else
			cfg->plugin_timeout = (int)t;
	}
	cfg->plugin_memory_mb = KPI_DEFAULT_PLUGIN_MEMORY_MB;
	v = kpi_ini_get(ini, sec, "plugin_memory_limit");
	if (v && parse_int_value(ini, sec, "plugin_memory_limit", v, 0,
	                         1L << 30, &cfg->plugin_memory_mb))
		rc = KPI_ECONFIG;
	cfg->plugin_processes = KPI_DEFAULT_PLUGIN_PROCESSES;
	v = kpi_ini_get(ini, sec, "plugin_process_limit");
	if (v && parse_int_value(ini, sec, "plugin_process_limit", v, 0,
	                         1L << 20, &cfg->plugin_processes))
		rc = KPI_ECONFIG;
	v = kpi_ini_get(ini, sec, "plugin_jobs");
	if (v && parse_int_value(ini, sec, "plugin_jobs", v, 0, 64,
	                         &cfg->plugin_jobs))
		rc = KPI_ECONFIG;
	v = kpi_ini_get(ini, sec, "tolerance");
	if (v && parse_tolerance(ini, sec, v, &cfg->tolerance,
	                         &cfg->tolerance_rel) != 0)
		rc = KPI_ECONFIG;
	if (parse_decimal_mark(ini, sec, &cfg->decimal_mark) != 0)
		rc = KPI_ECONFIG;
	return rc;
}

static int load_area(struct kpi_config *cfg, const char *sec)
{
	const char *name = sec + 5, *plugin;
	struct kpi_area *a;
	int rc = 0;

	if (!kpi_registry_valid_name(name))
		return kpi_ini_error(cfg->ini, sec, NULL,
		                     "area name '%s' must be lowercase letters, "
		                     "digits and '_'", name);
	if (strlen(name) > KPI_MAX_NAME)
		return kpi_ini_error(cfg->ini, sec, NULL, "area name is %zu "
		                     "bytes, limit %d", strlen(name),
		                     KPI_MAX_NAME);
	plugin = kpi_ini_get(cfg->ini, sec, "plugin");
	if (!plugin || !*plugin)
		return kpi_ini_error(cfg->ini, sec, NULL,
		                     "missing required key 'plugin'");
	if (!kpi_registry_valid_name(plugin))
		return kpi_ini_error(cfg->ini, sec, "plugin",
		                     "'%s' is not a plugin name (lowercase "
		                     "letters, digits and '_')", plugin);
	a = realloc(cfg->areas, (cfg->n_areas + 1) * sizeof *a);
	if (!a)
		return KPI_ENOMEM;
	cfg->areas = a;
	a = &cfg->areas[cfg->n_areas++];
	memset(a, 0, sizeof *a);
	a->line = kpi_ini_line(cfg->ini, sec, NULL);
	a->decimal_mark = cfg->decimal_mark;
	if (parse_decimal_mark(cfg->ini, sec, &a->decimal_mark) != 0)
		rc = KPI_ECONFIG;
	if (dup_str(&a->name, name) || dup_str(&a->plugin, plugin) ||
	    dup_str(&a->section, sec))
		return KPI_ENOMEM;
	return rc;
}

/* Parse "id, id, ..." into the goal's indicator list. */
static int goal_indicators(struct kpi_config *cfg, struct kpi_goal *g,
                           const char *sec, const char *list)
{
	const char *p = list;
	int rc = 0;

	while (*p) {
		char id[KPI_MAX_ID + 1];
		size_t len;
		const char *end = strchr(p, ',');
		struct kpi_indicator *ind;

		if (!end)
			end = p + strlen(p);
		while (p < end && *p == ' ')
			p++;
		len = (size_t)(end - p);
		while (len && p[len - 1] == ' ')
			len--;
		if (len == 0) {
			rc = kpi_ini_error(cfg->ini, sec, "indicators",
			                   "empty entry in the list");
			break;
		}
		if (len > KPI_MAX_ID) {
			rc = kpi_ini_error(cfg->ini, sec, "indicators",
			                   "'%.40s...' is %zu bytes, limit %d",
			                   p, len, KPI_MAX_ID);
			break;
		}
		memcpy(id, p, len);
		id[len] = '\0';
		if (!kpi_registry_valid_indicator_id(id)) {
			rc = kpi_ini_error(cfg->ini, sec, "indicators",
			                   "'%s' is not an indicator id (expected "
			                   "area.name)", id);
		} else {
			const char *dot = strchr(id, '.');
			char area[KPI_MAX_NAME + 1];

			memcpy(area, id, (size_t)(dot - id));
			area[dot - id] = '\0';
			if (!find_area(cfg, area)) {
				rc = kpi_ini_error(cfg->ini, sec, "indicators",
				                   "'%s': no [area %s] in this config",
				                   id, area);
			} else {
				if (kpi_registry_indicator_get(cfg, id, &ind))
					return KPI_ENOMEM;
				if (!ind->ref_line) {
					ind->ref_line = kpi_ini_line(cfg->ini, sec,
					                             "indicators");
					if (dup_str(&ind->ref_section, sec))
						return KPI_ENOMEM;
				}
				if (kpi_registry_goal_add_indicator(g, ind))
					return KPI_ENOMEM;
			}
		}
		p = *end ? end + 1 : end;
	}
	return rc;
}

/* Levels above g: 0 for a goal without a parent.  load_goal only makes a
 * goal defined above another its parent, so the chain has no cycle. */
static int goal_depth(const struct kpi_goal *g)
{
	int d = 0;

	for (g = g->parent; g; g = g->parent)
		d++;
	return d;
}

static int load_goal(struct kpi_config *cfg, const char *sec)
{
	struct kpi_ini *ini = cfg->ini;
	const char *id = sec + 5, *v;
	struct kpi_goal *g;
	int rc = 0;

	if (kpi_ini_check_keys(ini, sec, goal_keys) != 0)
		rc = KPI_ECONFIG;
	if (kpi_registry_goal(cfg, id))
		return kpi_ini_error(ini, sec, NULL, "goal '%s' defined twice", id);
	if (kpi_registry_add_goal(cfg, id, &g))
		return KPI_ENOMEM;
	g->line = kpi_ini_line(ini, sec, NULL);
	if (dup_str(&g->title_sv, kpi_ini_get(ini, sec, "title_sv")) ||
	    dup_str(&g->title_en, kpi_ini_get(ini, sec, "title_en")) ||
	    dup_str(&g->text_sv, kpi_ini_get(ini, sec, "text_sv")) ||
	    dup_str(&g->text_en, kpi_ini_get(ini, sec, "text_en")))
		return KPI_ENOMEM;
	if (!g->title_sv && !g->title_en)
		rc = kpi_ini_error(ini, sec, NULL,
		                   "missing required key 'title_sv' or 'title_en'");
	v = kpi_ini_get(ini, sec, "kind");
	if (!v)
		rc = kpi_ini_error(ini, sec, NULL, "missing required key 'kind'");
	else if (strcmp(v, "direction") == 0)
		g->kind = KPI_GOAL_DIRECTION;
	else if (strcmp(v, "council") == 0)
		g->kind = KPI_GOAL_COUNCIL;
	else if (strcmp(v, "committee") == 0)
		g->kind = KPI_GOAL_COMMITTEE;
	else
		rc = kpi_ini_error(ini, sec, "kind",
		                   "'%s' is not a goal kind (expected direction, "
		                   "council or committee)", v);
	v = kpi_ini_get(ini, sec, "parent");
	if (v && *v) {
		struct kpi_goal *p = kpi_registry_goal(cfg, v);

		/* only a goal above this one becomes a parent: no cycles */
		if (!p || p == g) {
			rc = kpi_ini_error(ini, sec, "parent",
			                   "no goal '%s' defined above this one", v);
		} else if (goal_depth(p) + 1 > KPI_MAX_GOAL_DEPTH) {
			rc = kpi_ini_error(ini, sec, "parent",
			                   "goal '%s' would be %d levels deep, "
			                   "limit %d", id, goal_depth(p) + 1,
			                   KPI_MAX_GOAL_DEPTH);
		} else {
			if (kpi_registry_goal_add_child(p, g))
				return KPI_ENOMEM;
			g->parent = p;
		}
	} else if (g->kind != KPI_GOAL_DIRECTION) {
		rc = kpi_ini_error(ini, sec, NULL,
		                   "missing required key 'parent' (only a "
		                   "directional goal stands alone)");
	}
	v = kpi_ini_get(ini, sec, "stated");
	if (v) {
		char buf[KPI_MAX_CONFIG_LINE + 1];
		struct kpi_bound f;

		if (split_written_for(cfg, sec, "stated", v, buf, sizeof buf, &f) ||
		    parse_stated(ini, sec, buf, &g->stated) != 0) {
			rc = KPI_ECONFIG;
		} else {
			f.kind = KPI_BOUND_GOAL_STATED;
			f.goal = g;
			if (add_figure(cfg, &f))
				return KPI_ENOMEM;
		}
	}
	v = kpi_ini_get(ini, sec, "indicators");
	if (v)
		rc = worse(rc, goal_indicators(cfg, g, sec, v));
	return rc;
}

static int parse_day(const struct kpi_ini *ini, const char *sec,
                     const char *key, struct kpi_date *d)
{
	const char *v = kpi_ini_get(ini, sec, key), *why = "";

	if (!v)
		return kpi_ini_error(ini, sec, NULL, "missing required key '%s'",
		                     key);
	if (kpi_date_parse(v, strlen(v), 0, d, &why) != 0)
		return kpi_ini_error(ini, sec, key,
		                     "'%s' is not a date (expected YYYY-MM-DD): %s",
		                     v, why ? why : "");
	return 0;
}

static int load_activity(struct kpi_config *cfg, const char *sec)
{
	struct kpi_ini *ini = cfg->ini;
	struct kpi_activity *a;
	struct kpi_goal *g;
	const char *v;
	int rc = 0;

	if (kpi_ini_check_keys(ini, sec, activity_keys) != 0)
		rc = KPI_ECONFIG;
	if (kpi_registry_add_activity(cfg, &a))
		return KPI_ENOMEM;
	a->line = kpi_ini_line(ini, sec, NULL);
	v = kpi_ini_get(ini, sec, "goal");
	if (!v)
		return kpi_ini_error(ini, sec, NULL, "missing required key 'goal'");
	if (dup_str(&a->goal, v))
		return KPI_ENOMEM;
	g = kpi_registry_goal(cfg, v);
	if (!g)
		rc = kpi_ini_error(ini, sec, "goal", "no goal '%s'", v);
	else if (kpi_registry_goal_add_activity(g, a))
		return KPI_ENOMEM;
	if (dup_str(&a->text_sv, kpi_ini_get(ini, sec, "text_sv")) ||
	    dup_str(&a->text_en, kpi_ini_get(ini, sec, "text_en")) ||
	    dup_str(&a->deviation_sv, kpi_ini_get(ini, sec, "deviation_sv")) ||
	    dup_str(&a->deviation_en, kpi_ini_get(ini, sec, "deviation_en")))
		return KPI_ENOMEM;
	if (!a->text_sv && !a->text_en)
		rc = kpi_ini_error(ini, sec, NULL,
		                   "missing required key 'text_sv' or 'text_en'");
	if (parse_day(ini, sec, "start", &a->start) != 0)
		rc = KPI_ECONFIG;
	if (parse_day(ini, sec, "end", &a->end) != 0)
		rc = KPI_ECONFIG;
	if (rc == 0 && kpi_date_days(&a->end) < kpi_date_days(&a->start))
		rc = kpi_ini_error(ini, sec, "end", "ends before it starts");
	return rc;
}

/* "1-4, 5-8" */
static int parse_subperiods(const struct kpi_ini *ini, const char *sec,
                            const char *v, struct kpi_indicator *ind)
{
	const char *p = v;

	ind->n_subperiods = 0;
	while (*p) {
		char *end;
		long a, b;

		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		errno = 0;
		a = strtol(p, &end, 10);
		if (errno || end == p || *end != '-')
			goto bad;
		p = end + 1;
		b = strtol(p, &end, 10);
		if (errno || end == p || a < 1 || b > 12 || a > b)
			goto bad;
		if (ind->n_subperiods == KPI_MAX_SUBPERIODS)
			return kpi_ini_error(ini, sec, "subperiods",
			                     "at most %d sub-periods",
			                     KPI_MAX_SUBPERIODS);
		ind->subperiods[ind->n_subperiods][0] = (int)a;
		ind->subperiods[ind->n_subperiods][1] = (int)b;
		ind->n_subperiods++;
		p = end;
		while (*p == ' ')
			p++;
		if (*p && *p != ',')
			goto bad;
	}
	return 0;
bad:
	return kpi_ini_error(ini, sec, "subperiods",
	                     "'%s' is not a list of month ranges (expected "
	                     "e.g. '1-4, 5-8')", v);
}

/* forecast = none | linear | seasonal | NUMBER [@ PERIOD]: a number is the
 * controller's forecast for one period (a figure, kpi_config_apply_periods);
 * the methods hold for any period ('@' is refused there).  Returns 0,
 * KPI_ECONFIG or KPI_ENOMEM. */
static int load_forecast(struct kpi_config *cfg, const char *sec,
                         const char *v, struct kpi_indicator *ind)
{
	char buf[KPI_MAX_CONFIG_LINE + 1];
	const char *why = "";
	struct kpi_bound f;

	if (split_written_for(cfg, sec, "forecast", v, buf, sizeof buf, &f))
		return KPI_ECONFIG;
	if (strcmp(buf, "none") == 0 || strcmp(buf, "linear") == 0 ||
	    strcmp(buf, "seasonal") == 0) {
		if (f.with_at)
			return kpi_ini_error(cfg->ini, sec, "forecast", "'%s': "
			                     "only a number is written for a "
			                     "period; %s holds for every period",
			                     v, buf);
		ind->forecast_kind = buf[0] == 'n' ? KPI_FORECAST_NONE :
		                     buf[0] == 'l' ? KPI_FORECAST_LINEAR :
		                     KPI_FORECAST_SEASONAL;
		return 0;
	}
	if (parse_number(buf, &ind->forecast_value, &why) != 0)
		return kpi_ini_error(cfg->ini, sec, "forecast",
		                     "'%s' is not a forecast (expected none, "
		                     "linear, seasonal or a number, optionally "
		                     "'@ PERIOD')", v);
	ind->forecast_kind = KPI_FORECAST_MANUAL;
	ind->forecast_decimals = written_decimals(buf);
	f.kind = KPI_BOUND_FORECAST;
	f.ind = ind;
	return add_figure(cfg, &f);
}

/* stated = met | partial | not_met | none [@ PERIOD] of an indicator.
 * Returns 0, KPI_ECONFIG or KPI_ENOMEM. */
static int load_indicator_stated(struct kpi_config *cfg, const char *sec,
                                 const char *v, struct kpi_indicator *ind)
{
	char buf[KPI_MAX_CONFIG_LINE + 1];
	struct kpi_bound f;

	if (split_written_for(cfg, sec, "stated", v, buf, sizeof buf, &f) ||
	    parse_stated(cfg->ini, sec, buf, &ind->stated) != 0)
		return KPI_ECONFIG;
	f.kind = KPI_BOUND_STATED;
	f.ind = ind;
	return add_figure(cfg, &f);
}

/* accuracy_of = AREA.NAME @ PERIOD: ind is the forecast accuracy of that
 * indicator's forecast at PERIOD (a year to date before December: T1, T2
 * or YYYY-MM of the run year),
 * computed from the results history (history.c).  No plugin computes
 * ind, so it counts as declared.  Returns 0, KPI_ECONFIG (printed) or
 * KPI_ENOMEM. */
static int parse_accuracy_of(struct kpi_config *cfg, const char *sec,
                             const char *v, struct kpi_indicator *ind)
{
	char id[KPI_MAX_ID + 1], period[16], area[KPI_MAX_NAME + 1];
	const char *at = strchr(v, '@'), *s, *e;
	size_t n;
	struct kpi_period when;
	char why_buf[96];
	const char *why;

	if (!at)
		goto bad;
	for (s = v; *s == ' ' || *s == '\t'; s++)
		;
	for (e = at; e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	n = (size_t)(e - s);
	if (n == 0 || n > KPI_MAX_ID)
		goto bad;
	memcpy(id, s, n);
	id[n] = '\0';
	for (s = at + 1; *s == ' ' || *s == '\t'; s++)
		;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof period)
		goto bad;
	memcpy(period, s, n);
	period[n] = '\0';
	if (!kpi_registry_valid_indicator_id(id))
		goto bad;
	n = (size_t)(strchr(id, '.') - id);
	if (n > KPI_MAX_NAME)
		goto bad;
	memcpy(area, id, n);
	area[n] = '\0';
	if (!find_area(cfg, area))
		return kpi_ini_error(cfg->ini, sec, "accuracy_of", "'%s': no "
		                     "[area %s] in this config", id, area);
	if (strcmp(id, ind->id) == 0)
		return kpi_ini_error(cfg->ini, sec, "accuracy_of", "'%s' is the "
		                     "forecast accuracy of itself", ind->id);
	if (kpi_period_parse(period, cfg->year, &when, why_buf,
	                     sizeof why_buf, &why) != 0 ||
	    when.from_year != cfg->year || when.from_month != 1 ||
	    when.to_month == 12)
		return kpi_ini_error(cfg->ini, sec, "accuracy_of", "'%s' is not "
		                     "a period before the year's end (expected "
		                     "T1, T2, T3 or %d-MM before December)",
		                     period, cfg->year);
	if (dup_str(&ind->accuracy_of, id))
		return KPI_ENOMEM;
	ind->accuracy_month = when.to_month;
	ind->declared = 1;
	return 0;
bad:
	return kpi_ini_error(cfg->ini, sec, "accuracy_of", "'%s' is not an "
	                     "indicator and a period (expected e.g. "
	                     "'budget.net_result_before @ T2')", v);
}

static int load_indicator(struct kpi_config *cfg, const char *sec)
{
	struct kpi_ini *ini = cfg->ini;
	const char *id = sec + 10, *v, *why = "";
	struct kpi_indicator *ind;
	char area[KPI_MAX_NAME + 1];
	const char *dot;
	int rc = 0;

	if (strlen(id) > KPI_MAX_ID)
		return kpi_ini_error(ini, sec, NULL, "indicator id is %zu "
		                     "bytes, limit %d", strlen(id), KPI_MAX_ID);
	if (!kpi_registry_valid_indicator_id(id))
		return kpi_ini_error(ini, sec, NULL,
		                     "'%s' is not an indicator id (expected "
		                     "area.name)", id);
	dot = strchr(id, '.');
	memcpy(area, id, (size_t)(dot - id));
	area[dot - id] = '\0';
	if (!find_area(cfg, area))
		return kpi_ini_error(ini, sec, NULL, "no [area %s] in this config",
		                     area);
	if (kpi_ini_check_keys(ini, sec, indicator_keys) != 0)
		rc = KPI_ECONFIG;
	if (kpi_registry_indicator_get(cfg, id, &ind))
		return KPI_ENOMEM;
	ind->line = kpi_ini_line(ini, sec, NULL);
	if ((v = kpi_ini_get(ini, sec, "target")))
		rc = worse(rc, parse_target(ini, sec, "target", v, &ind->target));
	if ((v = kpi_ini_get(ini, sec, "council_target")))
		rc = worse(rc, parse_target(ini, sec, "council_target", v,
		                            &ind->council));
	if (rc == KPI_ENOMEM)
		return rc;
	if ((v = kpi_ini_get(ini, sec, "forecast")))
		rc = worse(rc, load_forecast(cfg, sec, v, ind));
	if ((v = kpi_ini_get(ini, sec, "tolerance")) &&
	    parse_tolerance(ini, sec, v, &ind->tolerance,
	                    &ind->tolerance_relative) != 0)
		rc = KPI_ECONFIG;
	if ((v = kpi_ini_get(ini, sec, "stated")))
		rc = worse(rc, load_indicator_stated(cfg, sec, v, ind));
	if (rc == KPI_ENOMEM)
		return rc;
	if ((v = kpi_ini_get(ini, sec, "name_sv"))) {
		if (dup_str(&ind->name_sv, v))
			return KPI_ENOMEM;
		ind->overrides |= KPI_OVR_NAME_SV;
	}
	if ((v = kpi_ini_get(ini, sec, "name_en"))) {
		if (dup_str(&ind->name_en, v))
			return KPI_ENOMEM;
		ind->overrides |= KPI_OVR_NAME_EN;
	}
	if ((v = kpi_ini_get(ini, sec, "unit"))) {
		if (strlen(v) > KPI_MAX_UNIT)
			rc = kpi_ini_error(ini, sec, "unit", "'%.40s...' is %zu "
			                   "bytes, limit %d", v, strlen(v),
			                   KPI_MAX_UNIT);
		if (dup_str(&ind->unit, v))
			return KPI_ENOMEM;
		ind->overrides |= KPI_OVR_UNIT;
	}
	if ((v = kpi_ini_get(ini, sec, "decimals"))) {
		long d;

		if (parse_int_value(ini, sec, "decimals", v, 0,
		                    KPI_MAX_DECIMALS, &d) != 0) {
			rc = KPI_ECONFIG;        /* d is set only when it parses */
		} else {
			ind->decimals = (int)d;
			ind->overrides |= KPI_OVR_DECIMALS;
		}
	}
	if ((v = kpi_ini_get(ini, sec, "direction"))) {
		if (strcmp(v, "higher") == 0)
			ind->direction = KPI_DIR_HIGHER;
		else if (strcmp(v, "lower") == 0)
			ind->direction = KPI_DIR_LOWER;
		else
			rc = kpi_ini_error(ini, sec, "direction",
			                   "'%s' is not a direction (expected "
			                   "higher or lower)", v);
		ind->overrides |= KPI_OVR_DIRECTION;
	}
	if ((v = kpi_ini_get(ini, sec, "baseline"))) {
		if (parse_number(v, &ind->baseline_cfg, &why) != 0)
			rc = kpi_ini_error(ini, sec, "baseline",
			                   "'%s' is not a number: %s", v, why);
		else {
			ind->has_baseline_cfg = 1;
			ind->baseline_source = KPI_BASELINE_CONFIG;
		}
	}
	if ((v = kpi_ini_get(ini, sec, "council_scope"))) {
		if (strcmp(v, "city") == 0)
			ind->council_citywide = 1;
		else if (strcmp(v, "committee") != 0)
			rc = kpi_ini_error(ini, sec, "council_scope",
			                   "'%s' is not a scope (expected city or "
			                   "committee)", v);
	}
	if ((v = kpi_ini_get(ini, sec, "period_label")) &&
	    dup_str(&ind->period_label, v))
		return KPI_ENOMEM;
	if ((v = kpi_ini_get(ini, sec, "breakdown"))) {
		if (strcmp(v, "yes") == 0)
			ind->breakdown = 1;
		else if (strcmp(v, "no") != 0)
			rc = kpi_ini_error(ini, sec, "breakdown",
			                   "'%s' is not yes or no", v);
	}
	if ((v = kpi_ini_get(ini, sec, "subperiods")) &&
	    parse_subperiods(ini, sec, v, ind) != 0)
		rc = KPI_ECONFIG;
	if ((v = kpi_ini_get(ini, sec, "accuracy_of")))
		rc = worse(rc, parse_accuracy_of(cfg, sec, v, ind));
	if ((v = kpi_ini_get(ini, sec, "compare")) &&
	    kpi_config_parse_compare(v, &ind->compare))
		rc = kpi_ini_error(ini, sec, "compare", "'%s' is not a "
		                   "comparison (expected same_period or "
		                   "previous_year)", v);
	return rc;
}

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Pass 1: the run and the areas (goals refer to areas); pass 2: goals and
 * activities in file order; pass 3: indicator sections. */
static int load_sections(struct kpi_config *cfg)
{
	struct kpi_ini *ini = cfg->ini;
	size_t n = kpi_ini_nsections(ini);
	int rc = worse(0, load_run(cfg));

	for (size_t i = 0; i < n && rc != KPI_ENOMEM; i++) {
		const char *sec = kpi_ini_section(ini, i);

		if (strcmp(sec, "kpirun") == 0 || has_prefix(sec, "goal ") ||
		    has_prefix(sec, "activity ") || has_prefix(sec, "indicator "))
			continue;
		if (has_prefix(sec, "area ")) {
			rc = worse(rc, load_area(cfg, sec));
			if (rc != KPI_ENOMEM)
				rc = worse(rc, area_figures(cfg, sec));
			continue;
		}
		rc = kpi_ini_error(ini, sec, NULL,
		                   "unknown section [%s] (expected [kpirun], "
		                   "[area NAME], [goal ID], [activity ID] or "
		                   "[indicator AREA.NAME])", sec);
	}
	for (size_t i = 0; i < n && rc != KPI_ENOMEM; i++) {
		const char *sec = kpi_ini_section(ini, i);

		if (has_prefix(sec, "goal "))
			rc = worse(rc, load_goal(cfg, sec));
		else if (has_prefix(sec, "activity "))
			rc = worse(rc, load_activity(cfg, sec));
	}
	for (size_t i = 0; i < n && rc != KPI_ENOMEM; i++) {
		const char *sec = kpi_ini_section(ini, i);

		if (has_prefix(sec, "indicator "))
			rc = worse(rc, load_indicator(cfg, sec));
	}
	if (cfg->n_figures > 1)
		qsort(cfg->figures, cfg->n_figures, sizeof *cfg->figures,
		      figure_cmp);
	return rc;
}

int kpi_config_load(const char *path, struct kpi_config **out)
{
	struct kpi_config *cfg;
	const char *slash;
	int rc;

	*out = NULL;
	cfg = calloc(1, sizeof *cfg);
	if (!cfg)
		return KPI_ENOMEM;
	slash = strrchr(path, '/');
	if (slash)
		cfg->dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	else
		cfg->dir = strdup(".");
	if (!cfg->dir || dup_str(&cfg->path, path)) {
		rc = KPI_ENOMEM;
		goto out_free;
	}
	rc = kpi_ini_load(path, &cfg->ini);
	if (rc == 0)
		rc = load_sections(cfg);
	if (rc != 0)
		goto out_free;
	*out = cfg;
	return 0;

out_free:
	kpi_config_free(cfg);
	return rc == KPI_ENOMEM ? KPI_ENOMEM : KPI_ECONFIG;
}


int kpi_config_check_area_keys(const struct kpi_config *cfg,
                               const struct kpi_area *area,
                               const char *const *config_keys)
{
	size_t n = 0;
	const char **known;
	int rc;

	while (config_keys && config_keys[n])
		n++;
	known = calloc(n + 3, sizeof *known);
	if (!known)
		return KPI_ENOMEM;
	known[0] = "plugin";
	known[1] = "decimal_mark";
	for (size_t i = 0; i < n; i++)
		known[i + 2] = config_keys[i];
	rc = kpi_ini_check_keys(cfg->ini, area->section, known);
	free(known);
	return rc;
}

/* Compare the committee target with the council's in the indicator's
 * direction: a committee target that asks for less is an error. */
int kpi_config_check_targets(const struct kpi_config *cfg)
{
	int rc = 0;

	for (size_t i = 0; i < cfg->n_indicators; i++) {
		const struct kpi_indicator *ind = cfg->indicators[i];
		const struct kpi_target *t = &ind->target, *c = &ind->council;
		char sec[KPI_MAX_ID + 16];
		int weaker;

		if (t->kind != KPI_TARGET_NUMBER || c->kind != KPI_TARGET_NUMBER ||
		    ind->council_citywide)
			continue;
		/* differently written units (kWh vs GWh) are not compared; a
		 * target without a unit is in the indicator's unit */
		const char *tu = t->unit ? t->unit : ind->unit;
		const char *cu = c->unit ? c->unit : ind->unit;
		if ((tu || cu) && (!tu || !cu || strcmp(tu, cu) != 0))
			continue;
		if (ind->direction == KPI_DIR_HIGHER)
			weaker = t->value < c->value;
		else if (ind->direction == KPI_DIR_LOWER)
			weaker = t->value > c->value;
		else
			continue;
		if (!weaker)
			continue;
		snprintf(sec, sizeof sec, "indicator %s", ind->id);
		kpi_ini_error(cfg->ini, sec, "target",
		              "committee target %g is less ambitious than the "
		              "council's target %g (%s is better)", t->value,
		              c->value,
		              ind->direction == KPI_DIR_HIGHER ? "higher" : "lower");
		rc = KPI_ECONFIG;
	}
	return rc;
}


void kpi_config_free(struct kpi_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_areas; i++) {
		free(cfg->areas[i].name);
		free(cfg->areas[i].plugin);
		free(cfg->areas[i].section);
	}
	free(cfg->areas);
	free(cfg->figures);
	kpi_registry_free(cfg);
	kpi_ini_free(cfg->ini);
	free(cfg->path);
	free(cfg->dir);
	free(cfg->data_dir);
	free(cfg->plugin_dir);
	free(cfg->title_sv);
	free(cfg->title_en);
	free(cfg->organisation);
	free(cfg->committee);
	free(cfg);
}
