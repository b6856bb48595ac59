/*
 * confval.c - the typed config services of ABI 1.2 (plugin.h:
 * config_number, config_integer, config_date, config_list): a value of
 * an area's section read with the rules of the CSV reader (core/num.c),
 * every error reported at the key's file:line through the host table's
 * config_error.  Written against a host table, not the core's context,
 * so any host (the core's, a test's) offers the same rules.
 */
#include "confval.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "num.h"

/* The items of one config_list call: an array of pointers into `text`, a
 * copy of the value cut at the commas. */
struct kpi_host_list {
	struct kpi_host_list *next;
	const char **items;
	char *text;
};

/* "<why>, found '<value>'" at the key. */
static int value_error(const struct kpi_host *h, struct kpi_ctx *ctx,
                       const char *key, const char *why, const char *v)
{
	char shown[KPI_CSV_SHOW_SIZE];

	return h->config_error(ctx, key, "%s, found '%s'", why,
	                       kpi_csv_show(v, strlen(v), shown));
}

/* The value of key, or NULL: KPI_MISSING in *rc if optional, else
 * reported as missing (KPI_ECONFIG). */
static const char *value_of(const struct kpi_host *h, struct kpi_ctx *ctx,
                            const char *key, int optional, int *rc)
{
	const char *v = key ? h->config_get(ctx, key) : NULL;

	*rc = 0;
	if (!v)
		*rc = optional ? KPI_MISSING :
		      h->config_error(ctx, key ? key : "", "missing required key");
	return v;
}

/* See confval.h.  The number rules of a config value (core/num.c, decimal
 * comma or point), and the CSV reader's check for a mark that could be
 * either. */
int kpi_host_get_number(const struct kpi_host *h, struct kpi_ctx *ctx,
                        const char *key, int flags, double *out)
{
	const char *v, *why = NULL;
	double d;
	int rc;

	if (!out)
		return KPI_EINVAL;
	v = value_of(h, ctx, key, flags & KPI_NUM_OPTIONAL, &rc);
	if (!v)
		return rc;
	if (kpi_num_ambiguous_mark(v, strlen(v)))
		return value_error(h, ctx, key, "expected a number whose decimal "
		                   "mark is certain (1234, or 1.234 written "
		                   "1,2340)", v);
	rc = kpi_num_parse(v, strlen(v), KPI_MARK_EITHER, &d, &why);
	if (rc == KPI_MISSING)
		why = "expected a number";
	else if (rc == 0 && (flags & KPI_NUM_NONNEG) && d < 0)
		why = "expected a number that is not negative";
	else if (rc == 0 && (flags & KPI_NUM_INTEGER) && floor(d) != d)
		why = "expected a whole number";
	else if (rc == 0)
		why = NULL;
	else if (!why)
		why = "expected a number";
	if (why)
		return value_error(h, ctx, key, why, v);
	*out = d;
	return 0;
}

/* See confval.h. */
int kpi_host_get_integer(const struct kpi_host *h, struct kpi_ctx *ctx,
                         const char *key, int flags, long *out)
{
	const char *v, *why = NULL;
	int64_t n;
	int rc;

	if (!out)
		return KPI_EINVAL;
	v = value_of(h, ctx, key, flags & KPI_NUM_OPTIONAL, &rc);
	if (!v)
		return rc;
	rc = kpi_num_parse_int(v, strlen(v), &n, &why);
	if (rc != 0)
		return value_error(h, ctx, key, rc == KPI_MISSING || !why ||
		                   strcmp(why, "expected a number") == 0 ?
		                   "expected a whole number" : why, v);
	if (n < LONG_MIN || n > LONG_MAX)
		return value_error(h, ctx, key, "expected a whole number in the "
		                   "range of a long", v);
	if ((flags & KPI_NUM_NONNEG) && n < 0)
		return value_error(h, ctx, key, "expected a whole number that is "
		                   "not negative", v);
	*out = (long)n;
	return 0;
}

/* See confval.h. */
int kpi_host_get_date(const struct kpi_host *h, struct kpi_ctx *ctx,
                      const char *key, int flags, struct kpi_date *out)
{
	const char *v, *why = NULL;
	struct kpi_date d;
	int rc;

	if (!out)
		return KPI_EINVAL;
	v = value_of(h, ctx, key, flags & KPI_DATE_OPTIONAL, &rc);
	if (!v)
		return rc;
	rc = kpi_date_parse(v, strlen(v), flags & KPI_DATE_MONTH, &d, &why);
	if (rc != 0)
		return value_error(h, ctx, key, rc == KPI_MISSING || !why ?
		                   (flags & KPI_DATE_MONTH ? "expected a date "
		                    "YYYY-MM-DD or a month YYYY-MM" :
		                    "expected a date YYYY-MM-DD") : why, v);
	*out = d;
	return 0;
}

/* p[0..*len) without the spaces and tabs around it. */
static const char *trim_item(const char *p, size_t *len)
{
	while (*len && (*p == ' ' || *p == '\t')) {
		p++;
		(*len)--;
	}
	while (*len && (p[*len - 1] == ' ' || p[*len - 1] == '\t'))
		(*len)--;
	return p;
}

/* See confval.h. */
int kpi_host_get_list(const struct kpi_host *h, struct kpi_ctx *ctx,
                      struct kpi_host_list **lists, const char *key,
                      size_t *n, const char *const **items)
{
	struct kpi_host_list *l;
	const char *v, *p;
	size_t count = 1, i = 0, vlen;
	int rc;

	if (!n || !items || !lists)
		return KPI_EINVAL;
	*n = 0;
	*items = NULL;
	v = value_of(h, ctx, key, 1, &rc);
	if (!v)
		return rc;
	for (p = v; *p; p++)
		count += *p == ',';
	vlen = strlen(v);
	l = calloc(1, sizeof *l);
	if (!l)
		return KPI_ENOMEM;
	l->text = malloc(vlen + 1);
	l->items = count <= SIZE_MAX / sizeof *l->items ?
	           malloc(count * sizeof *l->items) : NULL;
	if (!l->text || !l->items) {
		free(l->text);
		free(l->items);
		free(l);
		return KPI_ENOMEM;
	}
	memcpy(l->text, v, vlen + 1);
	for (char *q = l->text;; q++) {
		char *comma = strchr(q, ',');
		size_t len = comma ? (size_t)(comma - q) : strlen(q);
		char *item = (char *)trim_item(q, &len);

		if (len == 0) {
			free(l->text);
			free(l->items);
			free(l);
			return value_error(h, ctx, key, "expected a comma-separated "
			                   "list without empty items", v);
		}
		item[len] = '\0';
		l->items[i++] = item;
		if (!comma)
			break;
		q = comma;
	}
	l->next = *lists;
	*lists = l;
	*n = i;
	*items = l->items;
	return 0;
}

/* See confval.h. */
void kpi_host_lists_free(struct kpi_host_list **lists)
{
	while (*lists) {
		struct kpi_host_list *l = *lists;

		*lists = l->next;
		free(l->text);
		free(l->items);
		free(l);
	}
}
