/*
 * hash.c - the string-keyed index of hash.h.  Linear probing in a table
 * kept at most half full.
 */
#include "hash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

#define HASH_MIN_CAP 16

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 14695981039346656037u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return h;
}

/* The slot of key, or the empty slot where it would go. */
static struct kpi_hash_slot *find(const struct kpi_hash_slot *slots,
                                  size_t cap, const char *key)
{
	size_t i = (size_t)fnv1a(key) & (cap - 1);

	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return (struct kpi_hash_slot *)&slots[i];
}

static int grow(struct kpi_hash *h)
{
	size_t cap = h->cap ? h->cap * 2 : HASH_MIN_CAP;
	struct kpi_hash_slot *slots;

	if (cap < h->cap || cap > SIZE_MAX / sizeof *slots)
		return KPI_ENOMEM;
	slots = calloc(cap, sizeof *slots);
	if (!slots)
		return KPI_ENOMEM;
	for (size_t i = 0; i < h->cap; i++)
		if (h->slots[i].key)
			*find(slots, cap, h->slots[i].key) = h->slots[i];
	free(h->slots);
	h->slots = slots;
	h->cap = cap;
	return 0;
}

int kpi_hash_put(struct kpi_hash *h, const char *key, size_t value)
{
	struct kpi_hash_slot *s;

	if ((h->n + 1) * 2 > h->cap && grow(h) != 0)
		return KPI_ENOMEM;
	s = find(h->slots, h->cap, key);
	if (!s->key)
		h->n++;
	s->key = key;
	s->value = value;
	return 0;
}

int kpi_hash_get(const struct kpi_hash *h, const char *key, size_t *value)
{
	const struct kpi_hash_slot *s;

	if (!h->cap)
		return 0;
	s = find(h->slots, h->cap, key);
	if (!s->key)
		return 0;
	*value = s->value;
	return 1;
}

void kpi_hash_clear(struct kpi_hash *h)
{
	free(h->slots);
	h->slots = NULL;
	h->cap = h->n = 0;
}
