/*
 * registry.c - the goal registry: creating, finding, linking and freeing
 * goals, indicators, activities and tables (storage in struct kpi_config,
 * see registry.h), and the plugins' declarations landing in it.
 */
#include "registry.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "ini.h"
#include "limit.h"

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

/* Append p to a growable pointer array.  Its capacity is implied by
 * the count (the next power of two, at least 8), so appending n items
 * copies O(n) pointers, not O(n^2). */
static void push(void ***arr, size_t *n, void *p)
{
	void **a = *arr;

	if (*n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0))
		a = realloc(*arr, (*n ? *n * 2 : 8) * sizeof **arr);
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

int kpi_registry_valid_name(const char *s)
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
int kpi_registry_valid_indicator_id(const char *s)
{
	const char *dot = strchr(s, '.');
	char area[KPI_MAX_NAME + 1];

	if (!dot || (size_t)(dot - s) >= sizeof area || strchr(dot + 1, '.'))
		return 0;
	memcpy(area, s, (size_t)(dot - s));
	area[dot - s] = '\0';
	return kpi_registry_valid_name(area) && kpi_registry_valid_name(dot + 1);
}

/* The indicator with this id, created (undeclared) if new. */
struct kpi_indicator *kpi_registry_indicator_get(struct kpi_config *cfg,
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
	if (kpi_hash_put(&cfg->indicator_index, ind->id,
	                 cfg->n_indicators - 1) != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		abort();
	}
	return ind;
}

struct kpi_indicator *kpi_config_indicator(const struct kpi_config *cfg,
                                           const char *id)
{
	size_t i;

	if (kpi_hash_get(&cfg->indicator_index, id, &i))
		return cfg->indicators[i];
	return NULL;
}

struct kpi_goal *kpi_registry_goal(const struct kpi_config *cfg,
                                   const char *id)
{
	for (size_t i = 0; i < cfg->n_goals; i++)
		if (strcmp(cfg->goals[i]->id, id) == 0)
			return cfg->goals[i];
	return NULL;
}

struct kpi_goal *kpi_registry_add_goal(struct kpi_config *cfg, const char *id)
{
	struct kpi_goal *g = xcalloc(1, sizeof *g);

	g->id = xstrdup(id);
	g->stated = -1;
	push((void ***)&cfg->goals, &cfg->n_goals, g);
	return g;
}

struct kpi_activity *kpi_registry_add_activity(struct kpi_config *cfg)
{
	struct kpi_activity *a = xcalloc(1, sizeof *a);

	push((void ***)&cfg->activities, &cfg->n_activities, a);
	return a;
}

void kpi_registry_goal_add_child(struct kpi_goal *parent,
                                 struct kpi_goal *child)
{
	push((void ***)&parent->children, &parent->n_children, child);
}

void kpi_registry_goal_add_indicator(struct kpi_goal *g,
                                     struct kpi_indicator *ind)
{
	push((void ***)&g->indicators, &g->n_indicators, ind);
}

void kpi_registry_goal_add_activity(struct kpi_goal *g,
                                    struct kpi_activity *a)
{
	push((void ***)&g->activities, &g->n_activities, a);
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

	if (!def || !def->id || !kpi_registry_valid_name(def->id)) {
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
	ind = kpi_registry_indicator_get(cfg, id);
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

int kpi_config_add_table(struct kpi_config *cfg, const char *area,
                         const struct kpi_table *t)
{
	struct kpi_area_table *rt;
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

void kpi_registry_free(struct kpi_config *cfg)
{
	if (!cfg)
		return;
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
		kpi_hash_clear(&ind->group_index);
		free(ind);
	}
	free(cfg->indicators);
	kpi_hash_clear(&cfg->indicator_index);
	for (size_t i = 0; i < cfg->n_tables; i++) {
		struct kpi_area_table *rt = &cfg->tables[i];
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
	cfg->goals = NULL;
	cfg->n_goals = 0;
	cfg->activities = NULL;
	cfg->n_activities = 0;
	cfg->indicators = NULL;
	cfg->n_indicators = 0;
	cfg->tables = NULL;
	cfg->n_tables = 0;
}
