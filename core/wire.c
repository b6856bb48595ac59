/*
 * wire.c - recording an area's accepted host calls in its child and
 * decoding them in kpirun (see wire.h).  The field tables below are the
 * only description of the structs that cross the process boundary.
 */
#include "wire.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum field_type { F_INT, F_DOUBLE, F_SIZE, F_STR };

struct field {
	size_t off;
	enum field_type type;
};

#define FIELD(s, m, t) { offsetof(struct s, m), t }

/* The members of each struct that travel, in order.  `size` never does:
 * the decoded struct is always the host's own full size. */
static const struct field def_fields[] = {
	FIELD(kpi_indicator_def, id, F_STR),
	FIELD(kpi_indicator_def, name_sv, F_STR),
	FIELD(kpi_indicator_def, name_en, F_STR),
	FIELD(kpi_indicator_def, unit, F_STR),
	FIELD(kpi_indicator_def, aggregation, F_INT),
	FIELD(kpi_indicator_def, scale, F_DOUBLE),
	FIELD(kpi_indicator_def, direction, F_INT),
	FIELD(kpi_indicator_def, decimals, F_INT),
};

static const struct field measurement_fields[] = {
	FIELD(kpi_measurement, indicator, F_STR),
	FIELD(kpi_measurement, year, F_INT),
	FIELD(kpi_measurement, month, F_INT),
	FIELD(kpi_measurement, num, F_DOUBLE),
	FIELD(kpi_measurement, den, F_DOUBLE),
	FIELD(kpi_measurement, group, F_STR),
};

static const struct field value_fields[] = {
	FIELD(kpi_value, indicator, F_STR),
	FIELD(kpi_value, year, F_INT),
	FIELD(kpi_value, month_from, F_INT),
	FIELD(kpi_value, month_to, F_INT),
	FIELD(kpi_value, has_outcome, F_INT),
	FIELD(kpi_value, outcome, F_DOUBLE),
	FIELD(kpi_value, has_forecast, F_INT),
	FIELD(kpi_value, forecast, F_DOUBLE),
};

/* The table's scalar members; its arrays (columns, cells) follow. */
static const struct field table_fields[] = {
	FIELD(kpi_table, id, F_STR),
	FIELD(kpi_table, title_sv, F_STR),
	FIELD(kpi_table, title_en, F_STR),
	FIELD(kpi_table, n_columns, F_SIZE),
	FIELD(kpi_table, n_rows, F_SIZE),
	FIELD(kpi_table, note_sv, F_STR),
	FIELD(kpi_table, note_en, F_STR),
};

static const struct field cell_fields[] = {
	FIELD(kpi_cell, kind, F_INT),
	FIELD(kpi_cell, text, F_STR),
	FIELD(kpi_cell, number, F_DOUBLE),
	FIELD(kpi_cell, decimals, F_INT),
};

#define N_FIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* The smallest encoding of a cell: kind, NULL text, number, decimals. */
#define CELL_MIN_BYTES (4 + 4 + 8 + 4)
/* The most columns a table may have (the host refuses more). */
#define TABLE_MAX_COLUMNS 64

enum tag {
	TAG_DECLARE = 'D',
	TAG_EMIT = 'M',
	TAG_VALUE = 'V',
	TAG_TABLE = 'T',
	TAG_FINAL = 'F',
	TAG_END = 'E'
};

/* ---- recording -------------------------------------------------------- */

void kpi_wire_out_init(struct kpi_wire_out *w, int fd)
{
	memset(w, 0, sizeof *w);
	w->fd = fd;
}

static void flush(struct kpi_wire_out *w)
{
	const char *p = w->buf;
	size_t n = w->n;

	while (n && !w->failed) {
		ssize_t r = write(w->fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			w->failed = 1;
			break;
		}
		p += r;
		n -= (size_t)r;
		w->sent += (size_t)r;
	}
	w->n = 0;
}

static void put(struct kpi_wire_out *w, const void *data, size_t n)
{
	const char *p = data;

	while (n && !w->failed) {
		size_t room = sizeof w->buf - w->n, k = n < room ? n : room;

		memcpy(w->buf + w->n, p, k);
		w->n += k;
		p += k;
		n -= k;
		if (w->n == sizeof w->buf)
			flush(w);
	}
}

static void put_i32(struct kpi_wire_out *w, int32_t v) { put(w, &v, sizeof v); }

static void put_str(struct kpi_wire_out *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > INT32_MAX) {
		w->failed = 1;
		return;
	}
	put_i32(w, s ? (int32_t)n : -1);
	if (s)
		put(w, s, n);
}

static void put_fields(struct kpi_wire_out *w, const void *obj,
                       const struct field *f, size_t nf)
{
	const char *base = obj;

	for (size_t i = 0; i < nf; i++) {
		const void *p = base + f[i].off;

		switch (f[i].type) {
		case F_INT: {
			int v;

			memcpy(&v, p, sizeof v);
			put_i32(w, v);
			break;
		}
		case F_DOUBLE:
			put(w, p, sizeof(double));
			break;
		case F_SIZE: {
			size_t s;
			uint64_t v;

			memcpy(&s, p, sizeof s);
			v = s;
			put(w, &v, sizeof v);
			break;
		}
		case F_STR: {
			const char *s;

			memcpy(&s, p, sizeof s);
			put_str(w, s);
			break;
		}
		}
	}
}

static void put_tag(struct kpi_wire_out *w, char tag) { put(w, &tag, 1); }

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Send what is held back, oldest slot first. */
static void put_pending(struct kpi_wire_out *w)
{
	for (size_t i = 0; i < KPI_WIRE_PENDING; i++) {
		struct kpi_wire_pending *p = &w->pending[i];

		if (!p->used)
			continue;
		put_tag(w, TAG_EMIT);
		put_fields(w, &p->m, measurement_fields,
		           N_FIELDS(measurement_fields));
		p->used = 0;
	}
}

void kpi_wire_declare(struct kpi_wire_out *w,
                      const struct kpi_indicator_def *d)
{
	put_pending(w);
	put_tag(w, TAG_DECLARE);
	put_fields(w, d, def_fields, N_FIELDS(def_fields));
}

static char *dup_or_null(const char *s, int *failed)
{
	char *c;

	if (!s)
		return NULL;
	c = strdup(s);
	if (!c)
		*failed = 1;
	return c;
}

/* Held back until the slots are full (or another kind of record comes):
 * the sum of the emits to one indicator, month and group, in the order
 * they came, is what the host adds up anyway.  A plugin that emits a few
 * indicators per row of an export sorted by month sends one record per
 * indicator and month. */
void kpi_wire_emit(struct kpi_wire_out *w, const struct kpi_measurement *m)
{
	struct kpi_wire_pending *p = NULL;
	size_t i;

	for (i = 0; i < KPI_WIRE_PENDING; i++) {
		struct kpi_wire_pending *q = &w->pending[i];

		if (q->used && q->m.year == m->year && q->m.month == m->month &&
		    same_str(q->ind, m->indicator) &&
		    same_str(q->group, m->group)) {
			q->m.num += m->num;
			q->m.den += m->den;
			return;
		}
		if (!q->used && !p)
			p = q;
	}
	if (!p) {
		put_pending(w);
		p = &w->pending[0];
	}
	if (!same_str(p->ind, m->indicator)) {
		free(p->ind);
		p->ind = dup_or_null(m->indicator, &w->failed);
	}
	if (!same_str(p->group, m->group)) {
		free(p->group);
		p->group = dup_or_null(m->group, &w->failed);
	}
	p->m = *m;
	p->m.indicator = p->ind;
	p->m.group = p->group;
	/* start from 0 as the host's month does: 0 + a is a, bit for bit */
	p->m.num = 0.0 + m->num;
	p->m.den = 0.0 + m->den;
	p->used = 1;
}

void kpi_wire_emit_value(struct kpi_wire_out *w, const struct kpi_value *v)
{
	put_pending(w);
	put_tag(w, TAG_VALUE);
	put_fields(w, v, value_fields, N_FIELDS(value_fields));
}

static void put_cells(struct kpi_wire_out *w, const struct kpi_cell *cells,
                      size_t n)
{
	put_i32(w, cells != NULL);
	for (size_t i = 0; cells && i < n; i++)
		put_fields(w, &cells[i], cell_fields, N_FIELDS(cell_fields));
}

static void put_columns(struct kpi_wire_out *w, const char *const *cols,
                        size_t n)
{
	put_i32(w, cols != NULL);
	for (size_t i = 0; cols && i < n; i++)
		put_str(w, cols[i]);
}

void kpi_wire_emit_table(struct kpi_wire_out *w, const struct kpi_table *t)
{
	size_t n = t->n_rows * t->n_columns;

	put_pending(w);
	put_tag(w, TAG_TABLE);
	put_fields(w, t, table_fields, N_FIELDS(table_fields));
	put_columns(w, t->columns_sv, t->n_columns);
	put_columns(w, t->columns_en, t->n_columns);
	put_cells(w, t->cells, n);
	put_cells(w, t->cells_en, n);
}

int kpi_wire_finish(struct kpi_wire_out *w, int failed, const char *reason)
{
	put_pending(w);
	for (size_t i = 0; i < KPI_WIRE_PENDING; i++) {
		free(w->pending[i].ind);
		free(w->pending[i].group);
		w->pending[i].ind = w->pending[i].group = NULL;
	}
	put_tag(w, TAG_FINAL);
	put_i32(w, failed);
	put_str(w, reason);
	put_tag(w, TAG_END);
	flush(w);
	return w->failed ? -1 : 0;
}

/* ---- decoding --------------------------------------------------------- */

struct cursor {
	const char *p, *end;
	int bad;
	int nomem;               /* an allocation failed (bad is set too) */
	/* strings decoded for the current record, freed after it */
	char **strs;
	size_t n_strs, cap_strs;
};

static void get(struct cursor *c, void *out, size_t n)
{
	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = 1;
		memset(out, 0, n);
		return;
	}
	memcpy(out, c->p, n);
	c->p += n;
}

static int32_t get_i32(struct cursor *c)
{
	int32_t v;

	get(c, &v, sizeof v);
	return v;
}

static void *keep(struct cursor *c, void *p)
{
	if (!p) {
		c->bad = 1;
		c->nomem = 1;
		return NULL;
	}
	if (c->n_strs == c->cap_strs) {
		size_t cap = c->cap_strs ? c->cap_strs * 2 : 16;
		char **v = realloc(c->strs, cap * sizeof *v);

		if (!v) {
			free(p);
			c->bad = 1;
			c->nomem = 1;
			return NULL;
		}
		c->strs = v;
		c->cap_strs = cap;
	}
	c->strs[c->n_strs++] = p;
	return p;
}

static void release(struct cursor *c)
{
	for (size_t i = 0; i < c->n_strs; i++)
		free(c->strs[i]);
	c->n_strs = 0;
}

/* A string of the stream (NULL for a NULL string or on error); freed by
 * release(). */
static char *get_str(struct cursor *c)
{
	int32_t n = get_i32(c);
	char *s;

	if (c->bad || n < 0)
		return NULL;
	if ((size_t)(c->end - c->p) < (size_t)n) {
		c->bad = 1;
		return NULL;
	}
	s = keep(c, malloc((size_t)n + 1));
	if (!s)
		return NULL;
	memcpy(s, c->p, (size_t)n);
	s[n] = '\0';
	c->p += n;
	return s;
}

static void get_fields(struct cursor *c, void *obj, const struct field *f,
                       size_t nf)
{
	char *base = obj;

	for (size_t i = 0; i < nf; i++) {
		void *p = base + f[i].off;

		switch (f[i].type) {
		case F_INT: {
			int v = get_i32(c);

			memcpy(p, &v, sizeof v);
			break;
		}
		case F_DOUBLE:
			get(c, p, sizeof(double));
			break;
		case F_SIZE: {
			uint64_t v;
			size_t s;

			get(c, &v, sizeof v);
			if (v > SIZE_MAX)
				c->bad = 1;
			s = (size_t)v;
			memcpy(p, &s, sizeof s);
			break;
		}
		case F_STR: {
			const char *s = get_str(c);

			memcpy(p, &s, sizeof s);
			break;
		}
		}
	}
}

static const char *const *get_columns(struct cursor *c, size_t n)
{
	char **cols;

	if (!get_i32(c) || c->bad)
		return NULL;
	cols = keep(c, calloc(n + 1, sizeof *cols));
	for (size_t i = 0; cols && i < n && !c->bad; i++)
		cols[i] = get_str(c);
	return (const char *const *)cols;
}

static const struct kpi_cell *get_cells(struct cursor *c, size_t n)
{
	struct kpi_cell *cells;

	if (!get_i32(c) || c->bad)
		return NULL;
	/* never allocate more than the rest of the stream could fill */
	if (n > (size_t)(c->end - c->p) / CELL_MIN_BYTES) {
		c->bad = 1;
		return NULL;
	}
	cells = keep(c, calloc(n + 1, sizeof *cells));
	for (size_t i = 0; cells && i < n && !c->bad; i++)
		get_fields(c, &cells[i], cell_fields, N_FIELDS(cell_fields));
	return cells;
}

static int replay_table(struct cursor *c, const struct kpi_wire_sink *s,
                        int call)
{
	struct kpi_table t;
	size_t n;

	memset(&t, 0, sizeof t);
	t.size = sizeof t;
	get_fields(c, &t, table_fields, N_FIELDS(table_fields));
	if (c->bad || t.n_columns > TABLE_MAX_COLUMNS ||
	    (t.n_columns && t.n_rows > SIZE_MAX / t.n_columns))
		return KPI_EINVAL;
	n = t.n_rows * t.n_columns;
	t.columns_sv = get_columns(c, t.n_columns);
	t.columns_en = get_columns(c, t.n_columns);
	t.cells = get_cells(c, n);
	t.cells_en = get_cells(c, n);
	if (c->bad)
		return KPI_EINVAL;
	return call ? s->emit_table(s->arg, &t) : 0;
}

int kpi_wire_replay(const char *p, size_t n, int what,
                    const struct kpi_wire_sink *sink, int *failed,
                    char *reason, size_t reason_size)
{
	/* an empty stream (the child sent nothing) may come as NULL */
	struct cursor c = { p, p ? p + n : p, 0, 0, NULL, 0, 0 };
	int have_final = 0, rc = KPI_EINVAL;

	*failed = 0;
	if (reason_size)
		reason[0] = '\0';
	while (!c.bad && c.p < c.end) {
		char tag;
		int r = 0;

		get(&c, &tag, 1);
		switch (tag) {
		case TAG_DECLARE: {
			struct kpi_indicator_def d;

			memset(&d, 0, sizeof d);
			d.size = sizeof d;
			get_fields(&c, &d, def_fields, N_FIELDS(def_fields));
			if (!c.bad && (what & KPI_WIRE_DECLARATIONS))
				r = sink->declare(sink->arg, &d);
			break;
		}
		case TAG_EMIT: {
			struct kpi_measurement m;

			memset(&m, 0, sizeof m);
			m.size = sizeof m;
			get_fields(&c, &m, measurement_fields,
			           N_FIELDS(measurement_fields));
			if (!c.bad && (what & KPI_WIRE_RESULTS))
				r = sink->emit(sink->arg, &m);
			break;
		}
		case TAG_VALUE: {
			struct kpi_value v;

			memset(&v, 0, sizeof v);
			v.size = sizeof v;
			get_fields(&c, &v, value_fields, N_FIELDS(value_fields));
			if (!c.bad && (what & KPI_WIRE_RESULTS))
				r = sink->emit_value(sink->arg, &v);
			break;
		}
		case TAG_TABLE:
			r = replay_table(&c, sink, what & KPI_WIRE_RESULTS);
			break;
		case TAG_FINAL: {
			const char *why;

			*failed = get_i32(&c);
			why = get_str(&c);
			if (reason_size)
				snprintf(reason, reason_size, "%s", why ? why : "");
			have_final = 1;
			break;
		}
		case TAG_END:
			if (have_final && c.p == c.end)
				rc = 0;
			goto out;
		default:
			c.bad = 1;
		}
		if (r == KPI_ENOMEM)
			c.nomem = 1;
		if (r != 0)
			c.bad = 1;
		release(&c);
	}
out:
	release(&c);
	free(c.strs);
	if (c.nomem)
		return KPI_ENOMEM;
	return c.bad ? KPI_EINVAL : rc;
}
