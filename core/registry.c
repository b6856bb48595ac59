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

/*
 * Out of memory (docs/errors.md): every allocation here is checked and a
 * failure is returned as KPI_ENOMEM, with nothing printed (kpi_run prints
 * it once).  An object is linked into the registry only when it is whole,
 * or stays reachable from it, so kpi_registry_free releases it.
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

/* Append p to a growable pointer array.  Its capacity is implied by
 * the count (the next power of two, at least 8), so appending n items
 * copies O(n) pointers, not O(n^2).  Returns 0 or KPI_ENOMEM (the array
 * unchanged). */
static int push(void ***arr, size_t *n, void *p)
{
	void **a = *arr;

	if (*n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0))
		a = realloc(*arr, (*n ? *n * 2 : 8) * sizeof **arr);
	if (!a)
		return KPI_ENOMEM;
	a[(*n)++] = p;
	*arr = a;
	return 0;
}

static void indicator_free(struct kpi_indicator *ind);

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
int kpi_registry_indicator_get(struct kpi_config *cfg, const char *id,
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
	ind->scale = 1;
	ind->tolerance = -1;
	ind->stated = -1;
	ind->compare = KPI_COMPARE_DEFAULT;
	ind->aggregation = KPI_AGG_SUM;
	if (!ind->id || !ind->area ||
	    push((void ***)&cfg->indicators, &cfg->n_indicators, ind)) {
		indicator_free(ind);
		return KPI_ENOMEM;
	}
	if (kpi_hash_put(&cfg->indicator_index, ind->id,
	                 cfg->n_indicators - 1) != 0) {
		cfg->n_indicators--;
		indicator_free(ind);
		return KPI_ENOMEM;
	}
	*out = ind;
	return 0;
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

int kpi_registry_add_goal(struct kpi_config *cfg, const char *id,
                          struct kpi_goal **out)
{
	struct kpi_goal *g = calloc(1, sizeof *g);

	*out = NULL;
	if (!g)
		return KPI_ENOMEM;
	g->stated = -1;
	if (dup_str(&g->id, id) || push((void ***)&cfg->goals, &cfg->n_goals, g)) {
		free(g->id);
		free(g);
		return KPI_ENOMEM;
	}
	*out = g;
	return 0;
}

int kpi_registry_add_activity(struct kpi_config *cfg,
                              struct kpi_activity **out)
{
	struct kpi_activity *a = calloc(1, sizeof *a);

	*out = NULL;
	if (!a)
		return KPI_ENOMEM;
	if (push((void ***)&cfg->activities, &cfg->n_activities, a)) {
		free(a);
		return KPI_ENOMEM;
	}
	*out = a;
	return 0;
}

int kpi_registry_goal_add_child(struct kpi_goal *parent,
                                struct kpi_goal *child)
{
	return push((void ***)&parent->children, &parent->n_children, child);
}

int kpi_registry_goal_add_indicator(struct kpi_goal *g,
                                    struct kpi_indicator *ind)
{
	return push((void ***)&g->indicators, &g->n_indicators, ind);
}

int kpi_registry_goal_add_activity(struct kpi_goal *g,
                                   struct kpi_activity *a)
{
	return push((void ***)&g->activities, &g->n_activities, a);
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
	if (kpi_registry_indicator_get(cfg, id, &ind))
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

/* Free everything a stored table owns (NULL arrays and strings allowed,
 * as in a table whose copy stopped half-way). */
static void table_free(struct kpi_area_table *rt)
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

/* See registry.h.  The copy is built aside and appended only when whole. */
int kpi_config_add_table(struct kpi_config *cfg, const char *area,
                         const struct kpi_table *t)
{
	struct kpi_area_table copy, *rt;
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
	free(ind->accuracy_of);
	free(ind->ref_section);
	target_free(&ind->target);
	target_free(&ind->council);
	for (size_t k = 0; k < ind->n_groups; k++)
		free(ind->groups[k].group);
	free(ind->groups);
	kpi_hash_clear(&ind->group_index);
	free(ind);
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
	for (size_t i = 0; i < cfg->n_indicators; i++)
		indicator_free(cfg->indicators[i]);
	free(cfg->indicators);
	kpi_hash_clear(&cfg->indicator_index);
	for (size_t i = 0; i < cfg->n_tables; i++)
		table_free(&cfg->tables[i]);
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
