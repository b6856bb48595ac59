/*
 * wire.h - the one channel between an area's child process and kpirun.
 *
 * The child runs the plugin against the ordinary host table; every call
 * the host accepted (declare, emit, emit_value, emit_table) is recorded
 * here, followed by the area's final status.  The parent decodes the
 * records and replays them through the same host functions into its own
 * registry.  Each recorded struct is described once, by a field table in
 * wire.c: a field appended to a plugin.h struct is added there and
 * nowhere else.
 *
 * Encoding (parent and child are the same binary, so native byte order):
 * a tag byte, then the struct's fields in table order; int as int32,
 * double as 8 bytes, size_t as uint64, a string as int32 length (-1 for
 * NULL) and its bytes.
 */
#ifndef KPI_WIRE_H
#define KPI_WIRE_H

#include <stddef.h>

#include "kpi/plugin.h"

/* Most a child may send (results, not its standard output). */
#define KPI_WIRE_MAX_STREAM (256u << 20)

/* Measurements held back at once (kpi_wire_emit). */
#define KPI_WIRE_PENDING 8

/* The recording side: buffered, flushed to fd as it fills. */
struct kpi_wire_out {
	int fd;
	char buf[65536];
	size_t n;
	size_t sent;             /* bytes written to fd so far */
	int failed;              /* a write failed */
	/* the last measurements, held back so that emits to the same
	 * indicator, month and group travel as one (their sum is the same)
	 * while a plugin emits several indicators per row */
	struct kpi_wire_pending {
		int used;
		struct kpi_measurement m;
		char *ind, *group;
	} pending[KPI_WIRE_PENDING];
};

void kpi_wire_out_init(struct kpi_wire_out *w, int fd);

/* Record one accepted call.  The structs are full-size copies made by
 * the host (never a plugin's own, possibly smaller, struct).  Failures
 * are sticky in w->failed. */
void kpi_wire_declare(struct kpi_wire_out *w,
                      const struct kpi_indicator_def *d);
void kpi_wire_emit(struct kpi_wire_out *w, const struct kpi_measurement *m);
void kpi_wire_emit_value(struct kpi_wire_out *w, const struct kpi_value *v);
void kpi_wire_emit_table(struct kpi_wire_out *w, const struct kpi_table *t);

/* The area's outcome (enum kpi_exit, 0 = ok) and reason, then the end
 * mark; everything is flushed.  Returns 0, or -1 if a write failed (the
 * parent stopped reading: it enforces KPI_WIRE_MAX_STREAM). */
int kpi_wire_finish(struct kpi_wire_out *w, int failed, const char *reason);

/* What the replaying side does with each decoded record.  The structs
 * and their strings live until the callback returns. */
struct kpi_wire_sink {
	void *arg;
	int (*declare)(void *arg, const struct kpi_indicator_def *d);
	int (*emit)(void *arg, const struct kpi_measurement *m);
	int (*emit_value)(void *arg, const struct kpi_value *v);
	int (*emit_table)(void *arg, const struct kpi_table *t);
};

/* What kpi_wire_replay passes on. */
#define KPI_WIRE_DECLARATIONS 0x1   /* declare records */
#define KPI_WIRE_RESULTS      0x2   /* emit, emit_value, emit_table */

/* Decode a stream, passing on the records `what` selects (an area that
 * failed keeps the declarations read before the failure, but no
 * results).  On a well-formed stream stores the final
 * status and reason (reason_size bytes) and returns 0; KPI_ENOMEM if an
 * allocation failed while decoding or a callback returned KPI_ENOMEM
 * (the replaying process is out of memory); KPI_EINVAL if the stream is
 * garbled, truncated or a callback failed otherwise. */
int kpi_wire_replay(const char *p, size_t n, int what,
                    const struct kpi_wire_sink *sink, int *failed,
                    char *reason, size_t reason_size);

#endif
