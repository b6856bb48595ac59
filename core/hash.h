/*
 * hash.h - a string-keyed index (open addressing, FNV-1a): name -> position
 * in an array, so that lookups by id or group stay constant time however
 * many a plugin declares or emits.
 */
#ifndef KPI_HASH_H
#define KPI_HASH_H

#include <stddef.h>

struct kpi_hash_slot {
	const char *key;         /* not owned: must outlive the index */
	size_t value;
};

struct kpi_hash {
	struct kpi_hash_slot *slots;
	size_t cap;              /* 0 or a power of two */
	size_t n;
};

/* Add or replace key -> value.  The key string is not copied.  Returns 0
 * or KPI_ENOMEM (the index is unchanged). */
int kpi_hash_put(struct kpi_hash *h, const char *key, size_t value);

/* 1 and *value if key is present, else 0. */
int kpi_hash_get(const struct kpi_hash *h, const char *key, size_t *value);

/* Free the slots (not the keys); the index is empty again. */
void kpi_hash_clear(struct kpi_hash *h);

#endif
