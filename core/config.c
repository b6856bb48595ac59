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

#include "diag.h"
#include "limit.h"
#include "num.h"

static const char *const run_keys[] = {
	"year", "period", "data_dir", "plugin_dir", "lang", "title_sv",
	"title_en", "tolerance", "plugin_timeout",
	"allow_exports_outside_data_dir", NULL
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

static char *xstrdup(const char *s)
{
	char *c;

	if (!s)
		return NULL;
	c = strdup(s);
	if (!c) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		abort();
	}
	return c;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		abort();
	}
	return p;
}

/* Append p to a growable pointer array. */
static void push(void ***arr, size_t *n, void *p)
{
	void **a = realloc(*arr, (*n + 1) * sizeof **arr);

	if (!a) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		abort();
	}
	a[(*n)++] = p;
	*arr = a;
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

/* "payroll.payslips_per_admin": two valid names joined by one dot (the
 * lengths are checked by the callers, with their own messages). */
static int valid_indicator_id(const char *s)
{
	const char *dot = strchr(s, '.');
	char area[KPI_MAX_NAME + 1];

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
		t->text_sv = xstrdup("tas fram av nämnden");
		t->text_en = xstrdup("set by committee");
		return 0;
	}
	if (strncmp(v, "text:", 5) == 0) {
		const char *txt = v + 5;

		while (*txt == ' ')
			txt++;
		if (!*txt)
			return kpi_ini_error(ini, sec, key, "empty text target");
		t->kind = KPI_TARGET_TEXT;
		t->text_sv = xstrdup(txt);
		t->text_en = xstrdup(txt);
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
		if (*unit)
			t->unit = xstrdup(unit);
		return 0;
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
	if (*unit)
		t->unit = xstrdup(unit);
	return 0;
}

/* The indicator with this id, created (undeclared) if new. */
static struct kpi_indicator *indicator_get(struct kpi_config *cfg,
                                           const char *id)
{
	struct kpi_indicator *ind = kpi_config_indicator(cfg, id);
	const char *dot;

	if (ind)
		return ind;
	ind = xcalloc(1, sizeof *ind);
	ind->id = xstrdup(id);
	dot = strchr(id, '.');
	ind->area = xcalloc((size_t)(dot - id) + 1, 1);
	memcpy(ind->area, id, (size_t)(dot - id));
	ind->scale = 1;
	ind->tolerance = -1;
	ind->stated = -1;
	ind->aggregation = KPI_AGG_SUM;
	push((void ***)&cfg->indicators, &cfg->n_indicators, ind);
	return ind;
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

/* Resolve a path from the config relative to the config's directory. */
static char *config_path(const struct kpi_config *cfg, const char *p)
{
	size_t n;
	char *out;

	if (p[0] == '/' || !cfg->dir || !*cfg->dir)
		return xstrdup(p);
	n = strlen(cfg->dir) + strlen(p) + 2;
	out = xcalloc(n, 1);
	snprintf(out, n, "%s/%s", cfg->dir, p);
	return out;
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
	else
		cfg->data_dir = config_path(cfg, v);
	v = kpi_ini_get(ini, sec, "plugin_dir");
	if (v && *v)
		cfg->plugin_dir = config_path(cfg, v);
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
	cfg->title_sv = xstrdup(kpi_ini_get(ini, sec, "title_sv"));
	cfg->title_en = xstrdup(kpi_ini_get(ini, sec, "title_en"));
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
	return rc;
}

static int load_area(struct kpi_config *cfg, const char *sec)
{
	const char *name = sec + 5, *plugin;
	struct kpi_area *a;

	if (!valid_name(name))
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
	if (!valid_name(plugin))
		return kpi_ini_error(cfg->ini, sec, "plugin",
		                     "'%s' is not a plugin name (lowercase "
		                     "letters, digits and '_')", plugin);
	a = realloc(cfg->areas, (cfg->n_areas + 1) * sizeof *a);
	if (!a)
		abort();
	cfg->areas = a;
	a = &cfg->areas[cfg->n_areas++];
	a->name = xstrdup(name);
	a->plugin = xstrdup(plugin);
	a->section = xstrdup(sec);
	a->line = kpi_ini_line(cfg->ini, sec, NULL);
	return 0;
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
		if (!valid_indicator_id(id)) {
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
				ind = indicator_get(cfg, id);
				if (!ind->ref_line) {
					ind->ref_line = kpi_ini_line(cfg->ini, sec,
					                             "indicators");
					ind->ref_section = xstrdup(sec);
				}
				push((void ***)&g->indicators, &g->n_indicators, ind);
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
	if (find_goal(cfg, id))
		return kpi_ini_error(ini, sec, NULL, "goal '%s' defined twice", id);
	g = xcalloc(1, sizeof *g);
	g->id = xstrdup(id);
	g->stated = -1;
	g->line = kpi_ini_line(ini, sec, NULL);
	push((void ***)&cfg->goals, &cfg->n_goals, g);
	g->title_sv = xstrdup(kpi_ini_get(ini, sec, "title_sv"));
	g->title_en = xstrdup(kpi_ini_get(ini, sec, "title_en"));
	g->text_sv = xstrdup(kpi_ini_get(ini, sec, "text_sv"));
	g->text_en = xstrdup(kpi_ini_get(ini, sec, "text_en"));
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
		struct kpi_goal *p = find_goal(cfg, v);

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
			g->parent = p;
			push((void ***)&p->children, &p->n_children, g);
		}
	} else if (g->kind != KPI_GOAL_DIRECTION) {
		rc = kpi_ini_error(ini, sec, NULL,
		                   "missing required key 'parent' (only a "
		                   "directional goal stands alone)");
	}
	v = kpi_ini_get(ini, sec, "stated");
	if (v && parse_stated(ini, sec, v, &g->stated) != 0)
		rc = KPI_ECONFIG;
	v = kpi_ini_get(ini, sec, "indicators");
	if (v && goal_indicators(cfg, g, sec, v) != 0)
		rc = KPI_ECONFIG;
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
	a = xcalloc(1, sizeof *a);
	push((void ***)&cfg->activities, &cfg->n_activities, a);
	a->line = kpi_ini_line(ini, sec, NULL);
	v = kpi_ini_get(ini, sec, "goal");
	if (!v)
		return kpi_ini_error(ini, sec, NULL, "missing required key 'goal'");
	a->goal = xstrdup(v);
	g = find_goal(cfg, v);
	if (!g)
		rc = kpi_ini_error(ini, sec, "goal", "no goal '%s'", v);
	else
		push((void ***)&g->activities, &g->n_activities, a);
	a->text_sv = xstrdup(kpi_ini_get(ini, sec, "text_sv"));
	a->text_en = xstrdup(kpi_ini_get(ini, sec, "text_en"));
	a->deviation_sv = xstrdup(kpi_ini_get(ini, sec, "deviation_sv"));
	a->deviation_en = xstrdup(kpi_ini_get(ini, sec, "deviation_en"));
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
	ind = indicator_get(cfg, id);
	ind->line = kpi_ini_line(ini, sec, NULL);
	if ((v = kpi_ini_get(ini, sec, "target")) &&
	    parse_target(ini, sec, "target", v, &ind->target) != 0)
		rc = KPI_ECONFIG;
	if ((v = kpi_ini_get(ini, sec, "council_target")) &&
	    parse_target(ini, sec, "council_target", v, &ind->council) != 0)
		rc = KPI_ECONFIG;
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
		ind->name_sv = xstrdup(v);
		ind->overrides |= KPI_OVR_NAME_SV;
	}
	if ((v = kpi_ini_get(ini, sec, "name_en"))) {
		ind->name_en = xstrdup(v);
		ind->overrides |= KPI_OVR_NAME_EN;
	}
	if ((v = kpi_ini_get(ini, sec, "unit"))) {
		if (strlen(v) > KPI_MAX_UNIT)
			rc = kpi_ini_error(ini, sec, "unit", "'%.40s...' is %zu "
			                   "bytes, limit %d", v, strlen(v),
			                   KPI_MAX_UNIT);
		ind->unit = xstrdup(v);
		ind->overrides |= KPI_OVR_UNIT;
	}
	if ((v = kpi_ini_get(ini, sec, "decimals"))) {
		long d;

		if (parse_int_value(ini, sec, "decimals", v, 0,
		                    KPI_MAX_DECIMALS, &d) != 0)
			rc = KPI_ECONFIG;
		ind->decimals = (int)d;
		ind->overrides |= KPI_OVR_DECIMALS;
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
	if ((v = kpi_ini_get(ini, sec, "period_label")))
		ind->period_label = xstrdup(v);
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
	int rc = load_run(cfg);

	for (size_t i = 0; i < n; i++) {
		const char *sec = kpi_ini_section(ini, i);

		if (strcmp(sec, "kpirun") == 0 || has_prefix(sec, "goal ") ||
		    has_prefix(sec, "activity ") || has_prefix(sec, "indicator "))
			continue;
		if (has_prefix(sec, "area ")) {
			if (load_area(cfg, sec) != 0)
				rc = KPI_ECONFIG;
			continue;
		}
		rc = kpi_ini_error(ini, sec, NULL,
		                   "unknown section [%s] (expected [kpirun], "
		                   "[area NAME], [goal ID], [activity ID] or "
		                   "[indicator AREA.NAME])", sec);
	}
	for (size_t i = 0; i < n; i++) {
		const char *sec = kpi_ini_section(ini, i);

		if (has_prefix(sec, "goal ") && load_goal(cfg, sec) != 0)
			rc = KPI_ECONFIG;
		else if (has_prefix(sec, "activity ") &&
		         load_activity(cfg, sec) != 0)
			rc = KPI_ECONFIG;
	}
	for (size_t i = 0; i < n; i++) {
		const char *sec = kpi_ini_section(ini, i);

		if (has_prefix(sec, "indicator ") && load_indicator(cfg, sec))
			rc = KPI_ECONFIG;
	}
	return rc;
}

int kpi_config_load(const char *path, struct kpi_config **out)
{
	struct kpi_config *cfg;
	const char *slash;
	int rc;

	*out = NULL;
	cfg = xcalloc(1, sizeof *cfg);
	cfg->path = xstrdup(path);
	slash = strrchr(path, '/');
	if (slash) {
		cfg->dir = xcalloc((size_t)(slash - path) + 2, 1);
		memcpy(cfg->dir, path, slash == path ? 1 : (size_t)(slash - path));
	} else {
		cfg->dir = xstrdup(".");
	}
	rc = kpi_ini_load(path, &cfg->ini);
	if (rc != 0) {
		kpi_config_free(cfg);
		return KPI_ECONFIG;
	}
	rc = load_sections(cfg);
	if (rc != 0) {
		kpi_config_free(cfg);
		return KPI_ECONFIG;
	}
	*out = cfg;
	return 0;
}

int kpi_config_declare(struct kpi_config *cfg, const char *area,
                       const struct kpi_indicator_def *given)
{
	char id[KPI_MAX_ID + 1];
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
	    def->decimals > KPI_MAX_DECIMALS) {
		kpi_diag(KPI_LOG_ERROR, area, NULL, 0, 0,
		         "indicator '%s': aggregation, direction, scale or "
		         "decimals out of range", def->id);
		return KPI_EINVAL;
	}
	if (strlen(area) + 1 + strlen(def->id) > KPI_MAX_ID) {
		kpi_diag(KPI_LOG_ERROR, area, NULL, 0, 0,
		         "indicator '%.40s...': its id '%s.<id>' is %zu bytes, "
		         "limit %d", def->id, area,
		         strlen(area) + 1 + strlen(def->id), KPI_MAX_ID);
		return KPI_EINVAL;
	}
	if (def->unit && strlen(def->unit) > KPI_MAX_UNIT) {
		kpi_diag(KPI_LOG_ERROR, area, NULL, 0, 0,
		         "indicator '%s': unit '%.40s...' is %zu bytes, limit %d",
		         def->id, def->unit, strlen(def->unit), KPI_MAX_UNIT);
		return KPI_EINVAL;
	}
	memcpy(id, area, strlen(area));         /* lengths checked above */
	id[strlen(area)] = '.';
	memcpy(id + strlen(area) + 1, def->id, strlen(def->id) + 1);
	ind = indicator_get(cfg, id);
	if (ind->declared) {
		kpi_diag(KPI_LOG_ERROR, area, NULL, 0, 0,
		         "indicator '%s' declared twice", def->id);
		return KPI_EINVAL;
	}
	ind->declared = 1;
	ind->aggregation = def->aggregation;
	ind->scale = def->scale > 0 ? def->scale : 1;
	if (!(ind->overrides & KPI_OVR_NAME_SV))
		ind->name_sv = xstrdup(def->name_sv ? def->name_sv : def->id);
	if (!(ind->overrides & KPI_OVR_NAME_EN))
		ind->name_en = xstrdup(def->name_en ? def->name_en : def->id);
	if (!(ind->overrides & KPI_OVR_UNIT))
		ind->unit = xstrdup(def->unit ? def->unit : "");
	if (!(ind->overrides & KPI_OVR_DECIMALS))
		ind->decimals = def->decimals;
	if (!(ind->overrides & KPI_OVR_DIRECTION))
		ind->direction = def->direction;
	return 0;
}

int kpi_config_check_declared(const struct kpi_config *cfg,
                              const char *const *skip, size_t n_skip)
{
	const char **ids = xcalloc(cfg->n_indicators + 1, sizeof *ids);
	size_t n_ids = 0;
	int rc = 0;

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
			char sec[KPI_MAX_ID + 16];

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
	known = xcalloc(n + 2, sizeof *known);
	known[0] = "plugin";
	for (size_t i = 0; i < n; i++)
		known[i + 1] = config_keys[i];
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

int kpi_config_add_table(struct kpi_config *cfg, const char *area,
                         const struct kpi_table *t)
{
	struct kpi_report_table *rt;
	size_t ncells = t->n_rows * t->n_columns;
	const char **csv, **cen;
	struct kpi_cell *cells;

	rt = realloc(cfg->tables, (cfg->n_tables + 1) * sizeof *rt);
	if (!rt)
		return KPI_ENOMEM;
	cfg->tables = rt;
	rt = &cfg->tables[cfg->n_tables++];
	memset(rt, 0, sizeof *rt);
	rt->area = xstrdup(area);
	rt->t.size = sizeof rt->t;
	rt->t.id = xstrdup(t->id);
	rt->t.title_sv = xstrdup(t->title_sv);
	rt->t.title_en = xstrdup(t->title_en);
	rt->t.note_sv = xstrdup(t->note_sv);
	rt->t.note_en = xstrdup(t->note_en);
	rt->t.n_columns = t->n_columns;
	rt->t.n_rows = t->n_rows;
	csv = xcalloc(t->n_columns + 1, sizeof *csv);
	cen = xcalloc(t->n_columns + 1, sizeof *cen);
	cells = xcalloc(ncells + 1, sizeof *cells);
	for (size_t i = 0; i < t->n_columns; i++) {
		csv[i] = xstrdup(t->columns_sv ? t->columns_sv[i] : NULL);
		cen[i] = xstrdup(t->columns_en ? t->columns_en[i] : NULL);
	}
	for (size_t i = 0; i < ncells; i++) {
		cells[i] = t->cells[i];
		cells[i].text = xstrdup(t->cells[i].text);
		if (cells[i].kind == KPI_CELL_NUMBER && !isfinite(cells[i].number))
			cells[i].kind = KPI_CELL_EMPTY;
	}
	rt->t.columns_sv = csv;
	rt->t.columns_en = cen;
	rt->t.cells = cells;
	if (t->size >= offsetof(struct kpi_table, cells_en) + sizeof t->cells_en &&
	    t->cells_en) {
		struct kpi_cell *en = xcalloc(ncells + 1, sizeof *en);

		for (size_t i = 0; i < ncells; i++) {
			en[i] = t->cells_en[i];
			en[i].text = xstrdup(t->cells_en[i].text);
			if (en[i].kind == KPI_CELL_NUMBER && !isfinite(en[i].number))
				en[i].kind = KPI_CELL_EMPTY;
		}
		rt->t.cells_en = en;
	}
	return 0;
}

static void target_free(struct kpi_target *t)
{
	free(t->unit);
	free(t->text_sv);
	free(t->text_en);
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
	for (size_t i = 0; i < cfg->n_indicators; i++) {
		struct kpi_indicator *ind = cfg->indicators[i];

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
	free(cfg->indicators);
	for (size_t i = 0; i < cfg->n_tables; i++) {
		struct kpi_report_table *rt = &cfg->tables[i];
		size_t ncells = rt->t.n_rows * rt->t.n_columns;

		free(rt->area);
		free((char *)rt->t.id);
		free((char *)rt->t.title_sv);
		free((char *)rt->t.title_en);
		free((char *)rt->t.note_sv);
		free((char *)rt->t.note_en);
		for (size_t k = 0; k < rt->t.n_columns; k++) {
			free((char *)rt->t.columns_sv[k]);
			free((char *)rt->t.columns_en[k]);
		}
		for (size_t k = 0; k < ncells; k++) {
			free((char *)rt->t.cells[k].text);
			if (rt->t.cells_en)
				free((char *)rt->t.cells_en[k].text);
		}
		free((void *)rt->t.cells_en);
		free((void *)rt->t.columns_sv);
		free((void *)rt->t.columns_en);
		free((void *)rt->t.cells);
	}
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
