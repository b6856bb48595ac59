/*
 * sandbox.c - one area's plugin run in a forked child with a deadline.
 * The child sends back what it declared and emitted as a stream of plain
 * records; a crash, an exit, a hang or a garbled stream fails the area
 * alone.
 *
 * Stream: records of one tag byte and their fields; numbers as
 * native-endian int32 / double (parent and child are the same binary),
 * strings as int32 length (-1 = NULL) and bytes.  'D' declaration, 'S'
 * series, 'V' period value, 'T' table, 'F' final status, 'E' end.
 */
#include "sandbox.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "host.h"
#include "run.h"

#define SANDBOX_MAX_STREAM (256u << 20)   /* what a child may send */

struct buf {
	char *p;
	size_t n, cap;
	int oom;
};

static void put(struct buf *b, const void *data, size_t n)
{
	if (b->oom || n == 0)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->n + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, n);
	b->n += n;
}

static void put_i32(struct buf *b, int32_t v) { put(b, &v, sizeof v); }
static void put_f64(struct buf *b, double v) { put(b, &v, sizeof v); }
static void put_tag(struct buf *b, char t) { put(b, &t, 1); }

static void put_str(struct buf *b, const char *s)
{
	int32_t n = s ? (int32_t)strlen(s) : -1;

	put_i32(b, n);
	if (s)
		put(b, s, (size_t)n);
}

struct cursor {
	const char *p, *end;
	int bad;
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

static double get_f64(struct cursor *c)
{
	double v;

	get(c, &v, sizeof v);
	return v;
}

/* A string of the stream, malloc'd (NULL for a NULL string or on error). */
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
	s = malloc((size_t)n + 1);
	if (!s) {
		c->bad = 1;
		return NULL;
	}
	memcpy(s, c->p, (size_t)n);
	s[n] = '\0';
	c->p += n;
	return s;
}

static const char *code_name(int rc)
{
	switch (rc) {
	case KPI_ENOMEM: return "out of memory";
	case KPI_ECONFIG: return "configuration error";
	case KPI_EDATA: return "data error";
	case KPI_EIO: return "cannot read its input";
	case KPI_EPLUGIN: return "plugin error";
	case KPI_EINVAL: return "invalid call to a host service";
	case KPI_ENOTFOUND: return "not found";
	default: return "unknown error code";
	}
}

static void fail(struct kpi_area_result *res, int status, const char *fmt,
                 const char *arg)
{
	res->failed = status;
	snprintf(res->reason, sizeof res->reason, fmt, arg);
}

/* Init, compute and shutdown in this process; the outcome in *res. */
static void run_here(struct kpi_config *cfg, const struct kpi_area *area,
                     const struct kpi_plugin *p, struct kpi_area_result *res)
{
	const struct kpi_host *host = kpi_host_table();
	struct kpi_ctx ctx;
	void *state = NULL;
	int rc;

	kpi_host_ctx_init(&ctx, cfg, area);
	rc = p->init(host, &ctx, &state);
	if (rc != 0) {
		kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0,
		         "init failed: %s", code_name(rc));
		fail(res, rc == KPI_ECONFIG ? KPI_EXIT_USAGE : KPI_EXIT_PLUGIN,
		     "init failed: %s", code_name(rc));
		return;
	}
	ctx.phase = KPI_PHASE_COMPUTE;
	rc = p->compute(host, &ctx, state);
	ctx.phase = KPI_PHASE_DONE;
	if (rc == KPI_EDATA || rc == KPI_EIO) {
		fail(res, KPI_EXIT_DATA, "%s", code_name(rc));
	} else if (rc == KPI_ECONFIG) {
		fail(res, KPI_EXIT_USAGE, "%s", code_name(rc));
	} else if (rc != 0) {
		kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0,
		         "compute failed: %s", code_name(rc));
		fail(res, KPI_EXIT_PLUGIN, "compute failed: %s", code_name(rc));
	} else if (ctx.bad_calls) {
		fail(res, KPI_EXIT_PLUGIN, "%s", "made invalid calls to the host");
	}
	if (p->shutdown)
		p->shutdown(state);
}

static void put_value(struct buf *b, const char *local, int prev,
                      const struct kpi_value *v)
{
	put_tag(b, 'V');
	put_str(b, local);
	put_i32(b, prev);
	put_i32(b, v->year);
	put_i32(b, v->month_from);
	put_i32(b, v->month_to);
	put_i32(b, v->has_outcome);
	put_f64(b, v->outcome);
	put_i32(b, v->has_forecast);
	put_f64(b, v->forecast);
}

static void put_series(struct buf *b, const char *local,
                       const struct kpi_series *s)
{
	put_tag(b, 'S');
	put_str(b, local);
	put_str(b, s->group);
	for (int y = 0; y < 2; y++)
		for (int m = 0; m < 12; m++) {
			put_i32(b, s->m[y][m].has);
			put_f64(b, s->m[y][m].num);
			put_f64(b, s->m[y][m].den);
		}
}

static void put_cells(struct buf *b, const struct kpi_cell *cells, size_t n)
{
	put_i32(b, cells != NULL);
	for (size_t i = 0; cells && i < n; i++) {
		put_i32(b, cells[i].kind);
		put_str(b, cells[i].text);
		put_f64(b, cells[i].number);
		put_i32(b, cells[i].decimals);
	}
}

static void put_table(struct buf *b, const struct kpi_table *t)
{
	size_t n = t->n_rows * t->n_columns;

	put_tag(b, 'T');
	put_str(b, t->id);
	put_str(b, t->title_sv);
	put_str(b, t->title_en);
	put_str(b, t->note_sv);
	put_str(b, t->note_en);
	put_i32(b, (int32_t)t->n_columns);
	put_i32(b, (int32_t)t->n_rows);
	for (size_t c = 0; c < t->n_columns; c++) {
		put_str(b, t->columns_sv ? t->columns_sv[c] : NULL);
		put_str(b, t->columns_en ? t->columns_en[c] : NULL);
	}
	put_cells(b, t->cells, n);
	put_cells(b, t->cells_en, n);
}

/* Everything the area produced, from the child's registry. */
static void serialize(struct buf *b, const struct kpi_config *cfg,
                      const struct kpi_area *area, const char *was_declared,
                      const struct kpi_area_result *res)
{
	size_t alen = strlen(area->name);

	for (size_t i = 0; i < cfg->n_indicators; i++) {
		const struct kpi_indicator *ind = cfg->indicators[i];
		const char *local = ind->id + alen + 1;

		if (strcmp(ind->area, area->name) != 0 || !ind->declared)
			continue;
		if (!was_declared[i]) {
			put_tag(b, 'D');
			put_str(b, local);
			put_str(b, ind->name_sv);
			put_str(b, ind->name_en);
			put_str(b, ind->unit);
			put_i32(b, ind->aggregation);
			put_f64(b, ind->scale);
			put_i32(b, ind->direction);
			put_i32(b, ind->decimals);
		}
		put_series(b, local, &ind->main);
		for (size_t k = 0; k < ind->n_groups; k++)
			put_series(b, local, &ind->groups[k]);
		if (ind->has_value)
			put_value(b, local, 0, &ind->value);
		if (ind->has_prev_value)
			put_value(b, local, 1, &ind->prev_value);
	}
	for (size_t i = 0; i < cfg->n_tables; i++)
		if (strcmp(cfg->tables[i].area, area->name) == 0)
			put_table(b, &cfg->tables[i].t);
	put_tag(b, 'F');
	put_i32(b, res->failed);
	put_str(b, res->reason);
	put_tag(b, 'E');
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The child: run the area, send the results, leave without running the
 * parent's exit handlers. */
static void child(int fd, int ofd, pid_t parent, struct kpi_config *cfg,
                  const struct kpi_area *area, const struct kpi_plugin *p)
{
	struct kpi_area_result res = { 0 };
	struct buf b = { 0 };
	char *was = calloc(cfg->n_indicators + 1, 1);

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* never outlive kpirun (Ctrl-C, SIGTERM, a crash of the parent) */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(72);
	/* the plugin's stdout goes to the parent, which passes it on to
	 * stderr: it can never mix with the report */
	if (dup2(ofd, STDOUT_FILENO) < 0)
		dup2(STDERR_FILENO, STDOUT_FILENO);
	close(ofd);
	if (!was)
		_exit(70);
	for (size_t i = 0; i < cfg->n_indicators; i++)
		was[i] = (char)cfg->indicators[i]->declared;
	run_here(cfg, area, p, &res);
	fflush(stdout);
	fflush(stderr);
	serialize(&b, cfg, area, was, &res);
	free(was);
	if (b.oom || write_all(fd, b.p, b.n) != 0)
		_exit(71);
	free(b.p);
	_exit(0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the plugin printed on its standard output, passed on to stderr
 * with every line prefixed by the area's name. */
struct relay {
	const char *who;
	int at_line_start;
};

static void relay_out(struct relay *rl, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (rl->at_line_start)
			fprintf(stderr, "%s: ", rl->who);
		fputc(p[i], stderr);
		rl->at_line_start = p[i] == '\n';
	}
	fflush(stderr);
}

/* Read the child's result stream (fd) until EOF or the deadline, relaying
 * its standard output (ofd) meanwhile.  Returns 0 at EOF, 1 on timeout,
 * -1 on error or an oversized stream. */
static int read_stream(int fd, int ofd, struct relay *rl, struct buf *b,
                       int timeout_s)
{
	double deadline = now() + timeout_s;
	char chunk[65536];
	int done = 0;

	while (!done || ofd >= 0) {
		struct pollfd pfd[2] = {
			{ .fd = done ? -1 : fd, .events = POLLIN },
			{ .fd = ofd, .events = POLLIN },
		};
		double left = deadline - now();
		ssize_t r;
		int pr;

		if (left <= 0)
			return 1;
		pr = poll(pfd, 2, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -1;
		if (ofd >= 0 && pfd[1].revents) {
			r = read(ofd, chunk, sizeof chunk);
			if (r > 0)
				relay_out(rl, chunk, (size_t)r);
			else if (r == 0 || errno != EINTR)
				ofd = -1;
		}
		if (!done && pfd[0].revents) {
			r = read(fd, chunk, sizeof chunk);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return -1;
			if (r == 0) {
				done = 1;
				continue;
			}
			put(b, chunk, (size_t)r);
			if (b->oom || b->n > SANDBOX_MAX_STREAM)
				return -1;
		}
	}
	if (!rl->at_line_start)
		relay_out(rl, "\n", 1);
	return 0;
}

static struct kpi_indicator *area_indicator(struct kpi_config *cfg,
                                            const struct kpi_area *area,
                                            const char *local)
{
	char id[256];

	snprintf(id, sizeof id, "%s.%s", area->name, local ? local : "");
	return kpi_config_indicator(cfg, id);
}

static void apply_decl(struct cursor *c, struct kpi_config *cfg,
                       const struct kpi_area *area)
{
	struct kpi_indicator_def d = { .size = sizeof d };
	char *id = get_str(c), *sv = get_str(c), *en = get_str(c),
	     *unit = get_str(c);

	d.id = id;
	d.name_sv = sv;
	d.name_en = en;
	d.unit = unit;
	d.aggregation = get_i32(c);
	d.scale = get_f64(c);
	d.direction = get_i32(c);
	d.decimals = get_i32(c);
	if (!c->bad && kpi_config_declare(cfg, area->name, &d) != 0)
		c->bad = 1;
	free(id);
	free(sv);
	free(en);
	free(unit);
}

static void apply_series(struct cursor *c, struct kpi_config *cfg,
                         const struct kpi_area *area)
{
	char *local = get_str(c), *group = get_str(c);
	struct kpi_indicator *ind = area_indicator(cfg, area, local);
	struct kpi_series tmp, *s;

	for (int y = 0; y < 2; y++)
		for (int m = 0; m < 12; m++) {
			tmp.m[y][m].has = get_i32(c);
			tmp.m[y][m].num = get_f64(c);
			tmp.m[y][m].den = get_f64(c);
		}
	if (!c->bad && (!ind || !ind->declared))
		c->bad = 1;
	if (!c->bad) {
		s = kpi_host_series(ind, group);
		if (s)
			memcpy(s->m, tmp.m, sizeof s->m);
		else
			c->bad = 1;
	}
	free(local);
	free(group);
}

static void apply_value(struct cursor *c, struct kpi_config *cfg,
                        const struct kpi_area *area)
{
	char *local = get_str(c);
	struct kpi_indicator *ind = area_indicator(cfg, area, local);
	int prev = get_i32(c);
	struct kpi_value v = { .size = sizeof v };

	v.year = get_i32(c);
	v.month_from = get_i32(c);
	v.month_to = get_i32(c);
	v.has_outcome = get_i32(c);
	v.outcome = get_f64(c);
	v.has_forecast = get_i32(c);
	v.forecast = get_f64(c);
	if (!c->bad && (!ind || !ind->declared))
		c->bad = 1;
	if (!c->bad && prev) {
		ind->prev_value = v;
		ind->has_prev_value = 1;
	} else if (!c->bad) {
		ind->value = v;
		ind->has_value = 1;
	}
	free(local);
}

static struct kpi_cell *get_cells(struct cursor *c, size_t n)
{
	struct kpi_cell *cells;

	if (!get_i32(c))
		return NULL;
	cells = calloc(n + 1, sizeof *cells);
	if (!cells) {
		c->bad = 1;
		return NULL;
	}
	for (size_t i = 0; i < n && !c->bad; i++) {
		cells[i].kind = get_i32(c);
		cells[i].text = get_str(c);
		cells[i].number = get_f64(c);
		cells[i].decimals = get_i32(c);
	}
	return cells;
}

static void free_cells(struct kpi_cell *cells, size_t n)
{
	for (size_t i = 0; cells && i < n; i++)
		free((char *)cells[i].text);
	free(cells);
}

static void apply_table(struct cursor *c, struct kpi_config *cfg,
                        const struct kpi_area *area)
{
	struct kpi_table t = { .size = sizeof t };
	char **csv = NULL, **cen = NULL;
	struct kpi_cell *cells = NULL, *cells_en = NULL;
	int32_t nc, nr;
	size_t n = 0;

	t.id = get_str(c);
	t.title_sv = get_str(c);
	t.title_en = get_str(c);
	t.note_sv = get_str(c);
	t.note_en = get_str(c);
	nc = get_i32(c);
	nr = get_i32(c);
	if (c->bad || nc < 0 || nc > 64 || nr < 0 || nr > 1000000) {
		c->bad = 1;
		goto out;
	}
	n = (size_t)nc * (size_t)nr;
	csv = calloc((size_t)nc + 1, sizeof *csv);
	cen = calloc((size_t)nc + 1, sizeof *cen);
	if (!csv || !cen) {
		c->bad = 1;
		goto out;
	}
	for (int32_t i = 0; i < nc; i++) {
		csv[i] = get_str(c);
		cen[i] = get_str(c);
	}
	cells = get_cells(c, n);
	cells_en = get_cells(c, n);
	if (c->bad || (n && !cells))
		goto out_bad;
	t.n_columns = (size_t)nc;
	t.n_rows = (size_t)nr;
	t.columns_sv = (const char *const *)csv;
	t.columns_en = (const char *const *)cen;
	t.cells = cells;
	t.cells_en = cells_en;
	if (kpi_config_add_table(cfg, area->name, &t) != 0)
		goto out_bad;
	goto out;
out_bad:
	c->bad = 1;
out:
	for (int32_t i = 0; csv && i < nc; i++) {
		free(csv[i]);
		free(cen[i]);
	}
	free(csv);
	free(cen);
	free_cells(cells, n);
	free_cells(cells_en, n);
	free((char *)t.id);
	free((char *)t.title_sv);
	free((char *)t.title_en);
	free((char *)t.note_sv);
	free((char *)t.note_en);
}

/* Apply the stream; returns 1 if it ended with 'E' after an 'F'. */
static int apply(const struct buf *b, struct kpi_config *cfg,
                 const struct kpi_area *area, struct kpi_area_result *res)
{
	struct cursor c = { b->p, b->p + b->n, 0 };
	int have_final = 0;

	while (!c.bad && c.p < c.end) {
		char tag;

		get(&c, &tag, 1);
		switch (tag) {
		case 'D':
			apply_decl(&c, cfg, area);
			break;
		case 'S':
			apply_series(&c, cfg, area);
			break;
		case 'V':
			apply_value(&c, cfg, area);
			break;
		case 'T':
			apply_table(&c, cfg, area);
			break;
		case 'F': {
			char *reason;

			res->failed = get_i32(&c);
			reason = get_str(&c);
			snprintf(res->reason, sizeof res->reason, "%s",
			         reason ? reason : "");
			free(reason);
			have_final = 1;
			break;
		}
		case 'E':
			return have_final && c.p == c.end;
		default:
			c.bad = 1;
		}
	}
	return 0;
}

void kpi_sandbox_run(struct kpi_config *cfg, const struct kpi_area *area,
                     const struct kpi_plugin *p, int timeout_s,
                     struct kpi_area_result *res)
{
	struct buf b = { 0 };
	struct relay rl = { area->name, 1 };
	int fds[2], ofds[2], st = 0, rd;
	pid_t pid, self = getpid();

	memset(res, 0, sizeof *res);
	if (pipe(fds) != 0) {
		kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0,
		         "cannot create a pipe: %s", strerror(errno));
		fail(res, KPI_EXIT_PLUGIN, "%s", "cannot start the plugin");
		return;
	}
	if (pipe(ofds) != 0) {
		kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0,
		         "cannot create a pipe: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		fail(res, KPI_EXIT_PLUGIN, "%s", "cannot start the plugin");
		return;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0,
		         "cannot fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		close(ofds[0]);
		close(ofds[1]);
		fail(res, KPI_EXIT_PLUGIN, "%s", "cannot start the plugin");
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		close(ofds[0]);
		child(fds[1], ofds[1], self, cfg, area, p);
	}
	close(fds[1]);
	close(ofds[1]);
	rd = read_stream(fds[0], ofds[0], &rl, &b, timeout_s);
	close(fds[0]);
	close(ofds[0]);
	if (rd == 1)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (rd == 1)
		snprintf(res->reason, sizeof res->reason,
		         "timed out after %d s (killed)", timeout_s);
	else if (WIFSIGNALED(st))
		snprintf(res->reason, sizeof res->reason, "crashed (%s)",
		         strsignal(WTERMSIG(st)));
	else if (rd != 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 ||
	         !apply(&b, cfg, area, res))
		snprintf(res->reason, sizeof res->reason,
		         "exited before finishing (exit status %d)",
		         WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	else
		goto out;      /* the child's own outcome is in *res */
	/* the parent saw the failure: the child could not report it */
	res->failed = KPI_EXIT_PLUGIN;
	kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0, "%s", res->reason);
out:
	free(b.p);
}
