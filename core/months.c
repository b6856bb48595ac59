/*
 * months.c - the set of months a reader's rows claimed (contracts in
 * months.h): open addressing over a power-of-two table, kept at most half
 * full.  A ten-year export of one group holds 120 entries, whatever its
 * number of rows.
 */
#include "months.h"

#include <stdint.h>
#include <stdlib.h>

#include "kpi/plugin.h"

#define MONTHS_FIRST_CAP 32
#define MONTHS_YEAR_MAX  9999

struct month_slot {
	uint64_t key;           /* (group << 32 | year * 12 + month - 1) + 1,
	                           0 for an empty slot */
	long line;
};

struct kpi_months {
	struct month_slot *slot;
	size_t cap;             /* a power of two */
	size_t n;
};

/* The slot of key in a table of cap slots: its own, or the empty one
 * where it would go. */
static struct month_slot *find(struct month_slot *slot, size_t cap,
                               uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15u) >> 32) & (cap - 1);

	while (slot[i].key != 0 && slot[i].key != key)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

/* Double the table of s.  Returns 0 or KPI_ENOMEM (s unchanged). */
static int grow(struct kpi_months *s)
{
	size_t cap = s->cap * 2;
	struct month_slot *slot;

	if (cap > SIZE_MAX / sizeof *slot)
		return KPI_ENOMEM;
	slot = calloc(cap, sizeof *slot);
	if (!slot)
		return KPI_ENOMEM;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slot[i].key != 0)
			*find(slot, cap, s->slot[i].key) = s->slot[i];
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	return KPI_OK;
}

/* A new, empty set, or NULL. */
static struct kpi_months *months_new(void)
{
	struct kpi_months *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->slot = calloc(MONTHS_FIRST_CAP, sizeof *s->slot);
	if (!s->slot) {
		free(s);
		return NULL;
	}
	s->cap = MONTHS_FIRST_CAP;
	return s;
}

/* See months.h. */
long kpi_months_claim(struct kpi_months **set, int group, int year,
                      int month, long line)
{
	struct month_slot *slot;
	uint64_t key;

	if (group < 0 || year < 1 || year > MONTHS_YEAR_MAX || month < 1 ||
	    month > 12 || line < 1)
		return KPI_EINVAL;
	if (!*set && !(*set = months_new()))
		return KPI_ENOMEM;
	key = ((uint64_t)(unsigned)group << 32 |
	       (uint64_t)(year * 12 + month - 1)) + 1;
	slot = find((*set)->slot, (*set)->cap, key);
	if (slot->key == key)
		return slot->line;
	if ((*set)->n + 1 > (*set)->cap / 2) {
		if (grow(*set) != KPI_OK)
			return KPI_ENOMEM;
		slot = find((*set)->slot, (*set)->cap, key);
	}
	slot->key = key;
	slot->line = line;
	(*set)->n++;
	return 0;
}

/* See months.h. */
void kpi_months_free(struct kpi_months **set)
{
	if (!*set)
		return;
	free((*set)->slot);
	free(*set);
	*set = NULL;
}
