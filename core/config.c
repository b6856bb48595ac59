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
#include "num.h"

static const char *const run_keys[] = {
	"year", "period", "data_dir", "plugin_dir", "lang", "title_sv",
	"title_en", "tolerance", "plugin_timeout", "decimal_mark", NULL
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
	"period_label", "subperiods", "council_scope", NULL
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

/* Append p to a growable pointer array.  Returns 0 or KPI_ENOMEM (the
 * array unchanged). */
static int push(void ***arr, size_t *n, void *p)
{
	void **a = realloc(*arr, (*n + 1) * sizeof **arr);

	if (!a)
		return KPI_ENOMEM;
	a[(*n)++] = p;
	*arr = a;
	return 0;
}

/* Fold the result r of one check into the result so far: out of memory
 * wins, then a config error. */
static int worse(int rc, int r)
{
	if (rc == KPI_ENOMEM || r == KPI_ENOMEM)
		return KPI_ENOMEM;
	return r ? KPI_ECONFIG : rc;
}

static int is_id_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!is_id_char((unsigned char)*s))
			return 0;
	return 1;
}

/* "payroll.payslips_per_admin": two valid names joined by one dot. */
static int valid_indicator_id(const char *s)
{
	const char *dot = strchr(s, '.');
	char area[128];

	if (!dot || (size_t)(dot - s) >= sizeof area || strchr(dot + 1, '.'))
		return 0;
	memcpy(area, s, (size_t)(dot - s));
	area[dot - s] = '\0';
	return valid_name(area) && valid_name(dot + 1);
}

int kpi_config_parse_period(const char *s, int year, int *month)
{
	char *end;
	long y, m;

	if (strcmp(s, "T1") == 0 || strcmp(s, "t1") == 0) {
		*month = 4;
		return 0;
	}
	if (strcmp(s, "T2") == 0 || strcmp(s, "t2") == 0) {
		*month = 8;
		return 0;
	}
	if (strcmp(s, "T3") == 0 || strcmp(s, "t3") == 0 ||
	    strcmp(s, "year") == 0) {
		*month = 12;
		return 0;
	}
	if (strlen(s) != 7 || s[4] != '-')
		return KPI_ECONFIG;
	for (int i = 0; i < 7; i++)
		if (i != 4 && !isdigit((unsigned char)s[i]))
			return KPI_ECONFIG;
	errno = 0;
	y = strtol(s, &end, 10);
	if (errno || end != s + 4)
		return KPI_ECONFIG;
	m = strtol(s + 5, &end, 10);
	if (errno || *end || m < 1 || m > 12 || y != year)
		return KPI_ECONFIG;
	*month = (int)m;
	return 0;
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
	char num[128];
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
		if (dup_str(&t->text_sv, txt) || dup_str(&t->text_en, txt))
			return KPI_ENOMEM;
		return 0;
	}
	pm = strstr(v, "+/-");
	if (pm) {
		char centre[128];
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

static void indicator_free(struct kpi_indicator *ind);

/* The indicator with this id ("area.name"), created (undeclared) if new,
 * in *out (owned by cfg).  Returns 0 or KPI_ENOMEM. */
static int indicator_get(struct kpi_config *cfg, const char *id,
                         struct kpi_indicator **out)
{
	struct kpi_indicator *ind = kpi_config_indicator(cfg, id);
	const char *dot = strchr(id, '.');

	*out = ind;
	if (ind)
		return 0;
	ind = calloc(1, sizeof *ind);
	if (!ind)
		return KPI_ENOMEM;
	ind->id = strdup(id);
	ind->area = strndup(id, (size_t)(dot - id));
	if (!ind->id || !ind->area ||
	    push((void ***)&cfg->indicators, &cfg->n_indicators, ind)) {
		indicator_free(ind);
		return KPI_ENOMEM;
	}
	ind->scale = 1;
	ind->tolerance = -1;
	ind->stated = -1;
	ind->aggregation = KPI_AGG_SUM;
	*out = ind;
	return 0;
}

struct kpi_indicator *kpi_config_indicator(const struct kpi_config *cfg,
                                           const char *id)
{
	for (size_t i = 0; i < cfg->n_indicators; i++)
		if (strcmp(cfg->indicators[i]->id, id) == 0)
			return cfg->indicators[i];
	return NULL;
}

static const struct kpi_area *find_area(const struct kpi_config *cfg,
                                        const char *name)
{
	for (size_t i = 0; i < cfg->n_areas; i++)
		if (strcmp(cfg->areas[i].name, name) == 0)
			return &cfg->areas[i];
	return NULL;
}

static struct kpi_goal *find_goal(const struct kpi_config *cfg,
                                  const char *id)
{
	for (size_t i = 0; i < cfg->n_goals; i++)
		if (strcmp(cfg->goals[i]->id, id) == 0)
			return cfg->goals[i];
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

static int load_run(struct kpi_config *cfg)
{
	struct kpi_ini *ini = cfg->ini;
	const char *sec = "kpirun", *v;
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
	else if (kpi_config_parse_period(v, cfg->year, &cfg->period_month))
		rc = kpi_ini_error(ini, sec, "period",
		                   "'%s' is not a period (expected T1, T2, T3, "
		                   "year or %d-MM)", v, cfg->year);
	v = kpi_ini_get(ini, sec, "data_dir");
	if (!v || !*v)
		rc = kpi_ini_error(ini, sec, NULL,
		                   "missing required key 'data_dir'");
	else if (config_path(cfg, v, &cfg->data_dir))
		return KPI_ENOMEM;
	v = kpi_ini_get(ini, sec, "plugin_dir");
	if (v && *v && config_path(cfg, v, &cfg->plugin_dir))
		return KPI_ENOMEM;
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
	    dup_str(&cfg->title_en, kpi_ini_get(ini, sec, "title_en")))
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

	if (!valid_name(name))
		return kpi_ini_error(cfg->ini, sec, NULL,
		                     "area name '%s' must be lowercase letters, "
		                     "digits and '_'", name);
	plugin = kpi_ini_get(cfg->ini, sec, "plugin");
	if (!plugin || !*plugin)
		return kpi_ini_error(cfg->ini, sec, NULL,
		                     "missing required key 'plugin'");
	if (!valid_name(plugin))
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
		char id[256];
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
		if (len == 0 || len >= sizeof id) {
			rc = kpi_ini_error(cfg->ini, sec, "indicators",
			                   "empty or overlong entry in the list");
			break;
		}
		memcpy(id, p, len);
		id[len] = '\0';
		if (!valid_indicator_id(id)) {
			rc = kpi_ini_error(cfg->ini, sec, "indicators",
			                   "'%s' is not an indicator id (expected "
			                   "area.name)", id);
		} else {
			const char *dot = strchr(id, '.');
			char area[128];

			memcpy(area, id, (size_t)(dot - id));
			area[dot - id] = '\0';
			if (!find_area(cfg, area)) {
				rc = kpi_ini_error(cfg->ini, sec, "indicators",
				                   "'%s': no [area %s] in this config",
				                   id, area);
			} else {
				if (indicator_get(cfg, id, &ind))
					return KPI_ENOMEM;
				if (!ind->ref_line) {
					ind->ref_line = kpi_ini_line(cfg->ini, sec,
					                             "indicators");
					if (dup_str(&ind->ref_section, sec))
						return KPI_ENOMEM;
				}
				if (push((void ***)&g->indicators,
				         &g->n_indicators, ind))
					return KPI_ENOMEM;
			}
		}
		p = *end ? end + 1 : end;
	}
	return rc;
}

static int load_goal(struct kpi_config *cfg, const char *sec)
{
	struct kpi_ini *ini = cfg->ini;
	const char *id = sec + 5, *v;
	struct kpi_goal *g;
	int rc = 0;

	if (kpi_ini_check_keys(ini, sec, goal_keys) != 0)
		rc = KPI_ECONFIG;
	if (find_goal(cfg, id))
		return kpi_ini_error(ini, sec, NULL, "goal '%s' defined twice", id);
	g = calloc(1, sizeof *g);
	if (!g)
		return KPI_ENOMEM;
	if (dup_str(&g->id, id) ||
	    push((void ***)&cfg->goals, &cfg->n_goals, g)) {
		free(g->id);
		free(g);
		return KPI_ENOMEM;
	}
	g->stated = -1;
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
		g->parent = find_goal(cfg, v);
		if (!g->parent || g->parent == g)
			rc = kpi_ini_error(ini, sec, "parent",
			                   "no goal '%s' defined above this one", v);
		else if (push((void ***)&g->parent->children,
		              &g->parent->n_children, g))
			return KPI_ENOMEM;
	} else if (g->kind != KPI_GOAL_DIRECTION) {
		rc = kpi_ini_error(ini, sec, NULL,
		                   "missing required key 'parent' (only a "
		                   "directional goal stands alone)");
	}
	v = kpi_ini_get(ini, sec, "stated");
	if (v && parse_stated(ini, sec, v, &g->stated) != 0)
		rc = KPI_ECONFIG;
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
	a = calloc(1, sizeof *a);
	if (!a)
		return KPI_ENOMEM;
	if (push((void ***)&cfg->activities, &cfg->n_activities, a)) {
		free(a);
		return KPI_ENOMEM;
	}
	a->line = kpi_ini_line(ini, sec, NULL);
	v = kpi_ini_get(ini, sec, "goal");
	if (!v)
		return kpi_ini_error(ini, sec, NULL, "missing required key 'goal'");
	if (dup_str(&a->goal, v))
		return KPI_ENOMEM;
	g = find_goal(cfg, v);
	if (!g)
		rc = kpi_ini_error(ini, sec, "goal", "no goal '%s'", v);
	else if (push((void ***)&g->activities, &g->n_activities, a))
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
		if (ind->n_subperiods == 6)
			return kpi_ini_error(ini, sec, "subperiods",
			                     "at most 6 sub-periods");
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

static int load_indicator(struct kpi_config *cfg, const char *sec)
{
	struct kpi_ini *ini = cfg->ini;
	const char *id = sec + 10, *v, *why = "";
	struct kpi_indicator *ind;
	char area[128];
	const char *dot;
	int rc = 0;

	if (!valid_indicator_id(id))
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
	if (indicator_get(cfg, id, &ind))
		return KPI_ENOMEM;
	ind->line = kpi_ini_line(ini, sec, NULL);
	if ((v = kpi_ini_get(ini, sec, "target")))
		rc = worse(rc, parse_target(ini, sec, "target", v, &ind->target));
	if ((v = kpi_ini_get(ini, sec, "council_target")))
		rc = worse(rc, parse_target(ini, sec, "council_target", v,
		                            &ind->council));
	if (rc == KPI_ENOMEM)
		return rc;
	if ((v = kpi_ini_get(ini, sec, "forecast"))) {
		if (strcmp(v, "none") == 0)
			ind->forecast_kind = KPI_FORECAST_NONE;
		else if (strcmp(v, "linear") == 0)
			ind->forecast_kind = KPI_FORECAST_LINEAR;
		else if (strcmp(v, "seasonal") == 0)
			ind->forecast_kind = KPI_FORECAST_SEASONAL;
		else if (parse_number(v, &ind->forecast_value, &why) == 0) {
			ind->forecast_kind = KPI_FORECAST_MANUAL;
			ind->forecast_decimals = written_decimals(v);
		}
		else
			rc = kpi_ini_error(ini, sec, "forecast",
			                   "'%s' is not a forecast (expected none, "
			                   "linear, seasonal or a number)", v);
	}
	if ((v = kpi_ini_get(ini, sec, "tolerance")) &&
	    parse_tolerance(ini, sec, v, &ind->tolerance,
	                    &ind->tolerance_relative) != 0)
		rc = KPI_ECONFIG;
	if ((v = kpi_ini_get(ini, sec, "stated")) &&
	    parse_stated(ini, sec, v, &ind->stated) != 0)
		rc = KPI_ECONFIG;
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
		if (dup_str(&ind->unit, v))
			return KPI_ENOMEM;
		ind->overrides |= KPI_OVR_UNIT;
	}
	if ((v = kpi_ini_get(ini, sec, "decimals"))) {
		long d;

		/* d is set only when the value parses */
		if (parse_int_value(ini, sec, "decimals", v, 0, 6, &d) != 0) {
			rc = KPI_ECONFIG;
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
		else
			ind->has_baseline_cfg = 1;
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
	if ((v = kpi_ini_get(ini, sec, "subperiods")) &&
	    parse_subperiods(ini, sec, v, ind) != 0)
		rc = KPI_ECONFIG;
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

int kpi_config_declare(struct kpi_config *cfg, const char *area,
                       const struct kpi_indicator_def *given)
{
	char id[256];
	struct kpi_indicator *ind;
	struct kpi_indicator_def copy, *def = NULL;

	/* read no further than the plugin's struct; later fields stay 0 */
	if (given && given->size >= offsetof(struct kpi_indicator_def, id) +
	                            sizeof given->id) {
		memset(&copy, 0, sizeof copy);
		memcpy(&copy, given, given->size < sizeof copy ? given->size :
		                                               sizeof copy);
		def = &copy;
	}

	if (!def || !def->id || !valid_name(def->id)) {
		kpi_diag(KPI_LOG_ERROR, area, NULL, 0, 0,
		         "declared an indicator with an invalid id '%s'",
		         def && def->id ? def->id : "(null)");
		return KPI_EINVAL;
	}
	if (def->aggregation < KPI_AGG_SUM || def->aggregation > KPI_AGG_ROLLING12 ||
	    def->direction < KPI_DIR_NONE || def->direction > KPI_DIR_LOWER ||
	    !(def->scale >= 0) || !isfinite(def->scale) || def->decimals < 0 ||
	    def->decimals > 6) {
		kpi_diag(KPI_LOG_ERROR, area, NULL, 0, 0,
		         "indicator '%s': aggregation, direction, scale or "
		         "decimals out of range", def->id);
		return KPI_EINVAL;
	}
	snprintf(id, sizeof id, "%s.%s", area, def->id);
	if (indicator_get(cfg, id, &ind))
		return KPI_ENOMEM;
	if (ind->declared) {
		kpi_diag(KPI_LOG_ERROR, area, NULL, 0, 0,
		         "indicator '%s' declared twice", def->id);
		return KPI_EINVAL;
	}
	if ((!(ind->overrides & KPI_OVR_NAME_SV) &&
	     dup_str(&ind->name_sv, def->name_sv ? def->name_sv : def->id)) ||
	    (!(ind->overrides & KPI_OVR_NAME_EN) &&
	     dup_str(&ind->name_en, def->name_en ? def->name_en : def->id)) ||
	    (!(ind->overrides & KPI_OVR_UNIT) &&
	     dup_str(&ind->unit, def->unit ? def->unit : "")))
		return KPI_ENOMEM;
	ind->declared = 1;
	ind->aggregation = def->aggregation;
	ind->scale = def->scale > 0 ? def->scale : 1;
	if (!(ind->overrides & KPI_OVR_DECIMALS))
		ind->decimals = def->decimals;
	if (!(ind->overrides & KPI_OVR_DIRECTION))
		ind->direction = def->direction;
	return 0;
}

int kpi_config_check_declared(const struct kpi_config *cfg,
                              const char *const *skip, size_t n_skip)
{
	const char **ids = calloc(cfg->n_indicators + 1, sizeof *ids);
	size_t n_ids = 0;
	int rc = 0;

	if (!ids)
		return KPI_ENOMEM;
	for (size_t i = 0; i < cfg->n_indicators; i++)
		if (cfg->indicators[i]->declared)
			ids[n_ids++] = cfg->indicators[i]->id;
	for (size_t i = 0; i < cfg->n_indicators; i++) {
		const struct kpi_indicator *ind = cfg->indicators[i];
		const char *hint;
		int skipped = 0;

		if (ind->declared)
			continue;
		for (size_t k = 0; k < n_skip; k++)
			if (strcmp(skip[k], ind->area) == 0)
				skipped = 1;
		if (skipped)
			continue;
		hint = kpi_suggest(ind->id, ids);
		if (ind->ref_line)
			kpi_ini_error(cfg->ini, ind->ref_section, "indicators",
			              "no plugin computes '%s'%s%s%s", ind->id,
			              hint ? " (did you mean '" : "",
			              hint ? hint : "", hint ? "'?)" : "");
		else {
			char sec[300];

			snprintf(sec, sizeof sec, "indicator %s", ind->id);
			kpi_ini_error(cfg->ini, sec, NULL,
			              "no plugin computes '%s'%s%s%s", ind->id,
			              hint ? " (did you mean '" : "",
			              hint ? hint : "", hint ? "'?)" : "");
		}
		rc = KPI_ECONFIG;
	}
	free(ids);
	return rc;
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
		char sec[300];
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

/* Free everything a stored table owns (NULL arrays and strings allowed,
 * as in a table whose copy stopped half-way). */
static void table_free(struct kpi_report_table *rt)
{
	size_t ncells = rt->t.n_rows * rt->t.n_columns;

	free(rt->area);
	free((char *)rt->t.id);
	free((char *)rt->t.title_sv);
	free((char *)rt->t.title_en);
	free((char *)rt->t.note_sv);
	free((char *)rt->t.note_en);
	for (size_t k = 0; k < rt->t.n_columns; k++) {
		if (rt->t.columns_sv)
			free((char *)rt->t.columns_sv[k]);
		if (rt->t.columns_en)
			free((char *)rt->t.columns_en[k]);
	}
	for (size_t k = 0; k < ncells; k++) {
		if (rt->t.cells)
			free((char *)rt->t.cells[k].text);
		if (rt->t.cells_en)
			free((char *)rt->t.cells_en[k].text);
	}
	free((void *)rt->t.cells_en);
	free((void *)rt->t.columns_sv);
	free((void *)rt->t.columns_en);
	free((void *)rt->t.cells);
}

/* Copy n cells from src into a new array *out (texts copied, numbers that
 * are not finite made empty).  Returns 0 or KPI_ENOMEM (*out then holds
 * what was copied, for table_free). */
static int copy_cells(const struct kpi_cell *src, size_t n,
                      const struct kpi_cell **out)
{
	struct kpi_cell *cells = calloc(n + 1, sizeof *cells);

	*out = cells;
	if (!cells)
		return KPI_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char *text;

		if (dup_str(&text, src[i].text))
			return KPI_ENOMEM;
		cells[i] = src[i];
		cells[i].text = text;
		if (cells[i].kind == KPI_CELL_NUMBER && !isfinite(cells[i].number))
			cells[i].kind = KPI_CELL_EMPTY;
	}
	return 0;
}

/* Copy n column names (src may be NULL: all NULL) into a new array. */
static int copy_names(const char *const *src, size_t n,
                      const char *const **out)
{
	const char **names = calloc(n + 1, sizeof *names);

	*out = names;
	if (!names)
		return KPI_ENOMEM;
	for (size_t i = 0; i < n && src; i++) {
		char *c;

		if (dup_str(&c, src[i]))
			return KPI_ENOMEM;
		names[i] = c;
	}
	return 0;
}

/* See config.h.  The copy is built aside and appended only when whole. */
int kpi_config_add_table(struct kpi_config *cfg, const char *area,
                         const struct kpi_table *t)
{
	struct kpi_report_table copy, *rt;
	size_t ncells = t->n_rows * t->n_columns;
	char *id, *tsv, *ten, *nsv, *nen;
	int rc;

	memset(&copy, 0, sizeof copy);
	copy.t.size = sizeof copy.t;
	copy.t.n_columns = t->n_columns;
	copy.t.n_rows = t->n_rows;
	rc = dup_str(&copy.area, area);
	rc = rc ? rc : dup_str(&id, t->id);
	copy.t.id = rc ? NULL : id;
	rc = rc ? rc : dup_str(&tsv, t->title_sv);
	copy.t.title_sv = rc ? NULL : tsv;
	rc = rc ? rc : dup_str(&ten, t->title_en);
	copy.t.title_en = rc ? NULL : ten;
	rc = rc ? rc : dup_str(&nsv, t->note_sv);
	copy.t.note_sv = rc ? NULL : nsv;
	rc = rc ? rc : dup_str(&nen, t->note_en);
	copy.t.note_en = rc ? NULL : nen;
	rc = rc ? rc : copy_names(t->columns_sv, t->n_columns, &copy.t.columns_sv);
	rc = rc ? rc : copy_names(t->columns_en, t->n_columns, &copy.t.columns_en);
	rc = rc ? rc : copy_cells(t->cells, ncells, &copy.t.cells);
	if (rc == 0 && t->size >= offsetof(struct kpi_table, cells_en) +
	                           sizeof t->cells_en && t->cells_en)
		rc = copy_cells(t->cells_en, ncells, &copy.t.cells_en);
	if (rc == 0) {
		rt = realloc(cfg->tables, (cfg->n_tables + 1) * sizeof *rt);
		if (rt) {
			cfg->tables = rt;
			cfg->tables[cfg->n_tables++] = copy;
			return 0;
		}
	}
	table_free(&copy);
	return KPI_ENOMEM;
}

static void target_free(struct kpi_target *t)
{
	free(t->unit);
	free(t->text_sv);
	free(t->text_en);
}

static void indicator_free(struct kpi_indicator *ind)
{
	free(ind->id);
	free(ind->area);
	free(ind->name_sv);
	free(ind->name_en);
	free(ind->unit);
	free(ind->period_label);
	free(ind->ref_section);
	target_free(&ind->target);
	target_free(&ind->council);
	for (size_t k = 0; k < ind->n_groups; k++)
		free(ind->groups[k].group);
	free(ind->groups);
	free(ind);
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
	for (size_t i = 0; i < cfg->n_goals; i++) {
		struct kpi_goal *g = cfg->goals[i];

		free(g->id);
		free(g->title_sv);
		free(g->title_en);
		free(g->text_sv);
		free(g->text_en);
		free(g->children);
		free(g->indicators);
		free(g->activities);
		free(g);
	}
	free(cfg->goals);
	for (size_t i = 0; i < cfg->n_activities; i++) {
		struct kpi_activity *a = cfg->activities[i];

		free(a->goal);
		free(a->text_sv);
		free(a->text_en);
		free(a->deviation_sv);
		free(a->deviation_en);
		free(a);
	}
	free(cfg->activities);
	for (size_t i = 0; i < cfg->n_indicators; i++)
		indicator_free(cfg->indicators[i]);
	free(cfg->indicators);
	for (size_t i = 0; i < cfg->n_tables; i++)
		table_free(&cfg->tables[i]);
	free(cfg->tables);
	kpi_ini_free(cfg->ini);
	free(cfg->path);
	free(cfg->dir);
	free(cfg->data_dir);
	free(cfg->plugin_dir);
	free(cfg->title_sv);
	free(cfg->title_en);
	free(cfg);
}
