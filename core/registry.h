/*
 * registry.h - the goal registry: goals, indicators, activities and the
 * plugins' tables of one run (types in model.h), and the only code that
 * creates, finds and frees them.
 *
 * The registry lives in the registry fields of struct kpi_config
 * (config.h: goals, indicators, activities, tables); config.c fills it
 * from the config file, plugins add to it through the host (declare,
 * emit, add table), eval computes results in it and report.c builds the
 * evaluated report from it.  Every object is owned by the registry and
 * freed by kpi_registry_free() (called by kpi_config_free()).  An
 * allocation failure is returned as KPI_ENOMEM with nothing printed and
 * the registry consistent (docs/errors.md); the caller passes it up.
 */
#ifndef KPI_REGISTRY_H
#define KPI_REGISTRY_H

#include <stddef.h>

#include "model.h"

struct kpi_config;

/* A name of an area, plugin or indicator: [a-z0-9_]+.  Predicate. */
int kpi_registry_valid_name(const char *s);

/* "area.name": two valid names joined by one dot.  Predicate. */
int kpi_registry_valid_indicator_id(const char *s);

/* The indicator with this full id, or NULL.  Owned by the registry. */
struct kpi_indicator *kpi_config_indicator(const struct kpi_config *cfg,
                                           const char *id);

/* The indicator with this full id (which must be valid), created
 * undeclared with the run's defaults if it is new, in *out (owned by the
 * registry).  Returns 0 or KPI_ENOMEM (nothing added). */
int kpi_registry_indicator_get(struct kpi_config *cfg, const char *id,
                               struct kpi_indicator **out);

/* The goal with this id, or NULL.  Owned by the registry. */
struct kpi_goal *kpi_registry_goal(const struct kpi_config *cfg,
                                   const char *id);

/* A new goal with this id appended to the registry (the caller checks
 * for duplicates first), stated = -1, in *out (owned by the registry).
 * Returns 0 or KPI_ENOMEM (nothing added, *out NULL). */
int kpi_registry_add_goal(struct kpi_config *cfg, const char *id,
                          struct kpi_goal **out);

/* A new, zeroed activity appended to the registry, in *out (owned by the
 * registry; attach it to its goal with kpi_registry_goal_add_activity).
 * Returns 0 or KPI_ENOMEM (nothing added, *out NULL). */
int kpi_registry_add_activity(struct kpi_config *cfg,
                              struct kpi_activity **out);

/* Links inside the registry: a sub-goal under its parent, an indicator
 * or an activity listed by a goal (in call order).  Nothing is copied.
 * Each returns 0 or KPI_ENOMEM (the link not made). */
int kpi_registry_goal_add_child(struct kpi_goal *parent,
                                struct kpi_goal *child);
int kpi_registry_goal_add_indicator(struct kpi_goal *g,
                                    struct kpi_indicator *ind);
int kpi_registry_goal_add_activity(struct kpi_goal *g,
                                   struct kpi_activity *a);

/* A plugin of `area` declares an indicator: create it or fill in the
 * fields the config did not override.  Reads no further than def->size.
 * Returns 0, KPI_EINVAL for a bad definition (printed), or KPI_ENOMEM
 * (not printed). */
int kpi_config_declare(struct kpi_config *cfg, const char *area,
                       const struct kpi_indicator_def *def);

/* Report every indicator referenced in the config that no plugin
 * declared, skipping areas listed in `skip` (n_skip names: areas whose
 * plugin failed).  Returns 0, KPI_ECONFIG (each printed as
 * file:line) or KPI_ENOMEM (nothing printed). */
int kpi_config_check_declared(const struct kpi_config *cfg,
                              const char *const *skip, size_t n_skip);

/* Store a deep copy of a plugin's table (t is not kept).  Returns 0 or
 * KPI_ENOMEM (nothing stored). */
int kpi_config_add_table(struct kpi_config *cfg, const char *area,
                         const struct kpi_table *t);

/* Free every goal, indicator, activity and table of the registry and
 * empty its fields.  cfg itself stays. */
void kpi_registry_free(struct kpi_config *cfg);

#endif
