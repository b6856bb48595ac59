/*
 * sandbox.c - one area's plugin loaded and run in a forked child with a
 * deadline and resource limits; its accepted host calls come back over
 * the wire (wire.h) and are replayed here.  A crash, an exit, a hang, a
 * garbled stream or a process left behind fails the area alone.
 */
#define _GNU_SOURCE             /* pipe2 */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "host.h"
#include "loader.h"
#include "progress.h"
#include "run.h"
#include "wire.h"

/* How often the parent looks whether the child has exited while a
 * process it left behind still holds the pipes open (milliseconds). */
#define SANDBOX_POLL_MS 50

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_UNDER_ASAN 1
#endif
#endif

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

/* ---- the child -------------------------------------------------------- */

/* Limits of the area's child; a limit the kernel refuses is reported and
 * the area failed rather than run unbounded. */
static int apply_limits(const struct kpi_sandbox_limits *lim,
                        const struct kpi_area *area)
{
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
#ifndef SANDBOX_UNDER_ASAN
	/* AddressSanitizer reserves terabytes of address space: the memory
	 * limit applies to ordinary builds only */
	if (lim->memory_mb > 0) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)lim->memory_mb << 20;
		if (setrlimit(RLIMIT_AS, &rl) != 0) {
			kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0,
			         "cannot limit memory: %s", strerror(errno));
			return -1;
		}
	}
#endif
	if (lim->processes > 0) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)lim->processes;
		if (setrlimit(RLIMIT_NPROC, &rl) != 0) {
			kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0,
			         "cannot limit processes: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* See sandbox.h.  kpirun calls it only in an area's child. */
void kpi_sandbox_run_here(struct kpi_config *cfg, const struct kpi_area *area,
                          const char *path, const struct kpi_host *host,
                          struct kpi_wire_out *w, struct kpi_lib **libp,
                          struct kpi_area_result *res)
{
	const struct kpi_plugin *p;
	struct kpi_lib *lib = NULL;
	struct kpi_ctx ctx;
	void *state = NULL;
	int rc;

	memset(res, 0, sizeof *res);
	*libp = NULL;
	if (kpi_loader_open(path, area->plugin, &lib) != 0) {
		kpi_ini_error(cfg->ini, area->section, "plugin",
		              "plugin '%s' (%s) could not be loaded",
		              area->plugin, path);
		fail(res, KPI_EXIT_PLUGIN, "plugin '%s' could not be loaded",
		     area->plugin);
		return;
	}
	*libp = lib;
	p = lib->desc;
	if (kpi_config_check_area_keys(cfg, area, p->config_keys) != 0) {
		fail(res, KPI_EXIT_USAGE, "%s", "configuration error");
		return;
	}
	kpi_host_ctx_init(&ctx, cfg, area);
	ctx.rec = w;
	for (size_t k = 0; k < p->n_indicators; k++)
		if (host->declare(&ctx, kpi_loader_indicator(p, k)) != 0) {
			fail(res, KPI_EXIT_PLUGIN, "%s",
			     "declares an invalid indicator");
			return;
		}
	rc = p->init(host, &ctx, &state);
	res->code = rc;
	if (rc != 0) {
		kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0,
		         "init failed: %s", code_name(rc));
		fail(res, rc == KPI_ECONFIG ? KPI_EXIT_USAGE : KPI_EXIT_PLUGIN,
		     "init failed: %s", code_name(rc));
		kpi_host_ctx_release(&ctx);
		return;
	}
	ctx.phase = KPI_PHASE_COMPUTE;
	rc = p->compute(host, &ctx, state);
	ctx.phase = KPI_PHASE_DONE;
	res->code = rc;
	if (rc == KPI_EDATA || rc == KPI_EIO) {
		fail(res, KPI_EXIT_DATA, "%s", code_name(rc));
	} else if (rc == KPI_ECONFIG) {
		fail(res, KPI_EXIT_USAGE, "%s", code_name(rc));
	} else if (rc != 0) {
		kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0,
		         "compute failed: %s", code_name(rc));
		fail(res, KPI_EXIT_PLUGIN, "compute failed: %s", code_name(rc));
	} else if (ctx.bad_calls) {
		res->code = KPI_EPLUGIN;
		fail(res, KPI_EXIT_PLUGIN, "%s", "made invalid calls to the host");
	}
	if (p->shutdown)
		p->shutdown(state);
	kpi_host_ctx_release(&ctx);
	/* never dlclose: the child ends with _exit, so nothing the plugin
	 * registered (atexit, destructors, threads) runs after its code is
	 * unmapped */
}
/* Common set-up of a child: its own process group, default signals, no
 * outliving kpirun, the plugin's stdout into ofd and, when efd >= 0, its
 * stderr into efd (the progress line then keeps the terminal, if stderr
 * was one). */
static void child_setup(int ofd, int efd, pid_t parent)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };

	setpgid(0, 0);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	/* never outlive kpirun (Ctrl-C, SIGTERM, a crash of the parent) */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(72);
	/* the plugin's stdout goes to the parent, which passes it on to
	 * stderr: it can never mix with the report */
	if (dup2(ofd, STDOUT_FILENO) < 0)
		dup2(STDERR_FILENO, STDOUT_FILENO);
	close(ofd);
	if (efd >= 0) {
		kpi_progress_set_fd(isatty(STDERR_FILENO) ?
		                    dup(STDERR_FILENO) : -1);
		dup2(efd, STDERR_FILENO);
		close(efd);
	}
}

static void child(int fd, int ofd, int efd, pid_t parent,
                  struct kpi_config *cfg, const struct kpi_area *area,
                  const char *path, const struct kpi_sandbox_limits *lim)
{
	struct kpi_area_result res = { 0, 0, 0, "" };
	struct kpi_wire_out *w = malloc(sizeof *w);
	struct kpi_lib *lib;

	child_setup(ofd, efd, parent);
	if (!w)
		_exit(70);
	kpi_wire_out_init(w, fd);
	kpi_diag_reset();       /* the parent's errors are not this area's */
	if (apply_limits(lim, area) != 0)
		fail(&res, KPI_EXIT_PLUGIN, "%s", "cannot set its resource limits");
	else
		kpi_sandbox_run_here(cfg, area, path, kpi_host_table(), w,
		                     &lib, &res);
	/* the first error printed names the cause (file:line:col for data) */
	if (res.failed && kpi_diag_first_error())
		fail(&res, res.failed, "%s", kpi_diag_first_error());
	fflush(stdout);
	fflush(stderr);
	if (kpi_wire_finish(w, res.failed, res.reason) != 0)
		_exit(71);
	_exit(0);
}

/* ---- the parent ------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A growing buffer for the child's result stream and held output. */
struct buf {
	char *p;
	size_t n, cap;
};

/* Append to b.  Returns 0, KPI_EINVAL past KPI_WIRE_MAX_STREAM, or
 * KPI_ENOMEM. */
static int buf_put(struct buf *b, const char *data, size_t n)
{
	if (n > KPI_WIRE_MAX_STREAM - b->n)
		return KPI_EINVAL;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		char *p;

		while (cap < b->n + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return KPI_ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, n);
	b->n += n;
	return 0;
}

/* What a child writes on stderr (its stderr as it is, its stdout with
 * every line prefixed by the area's name, at most KPI_SANDBOX_MAX_RELAY
 * bytes of stdout): straight to kpirun's stderr while the area is the
 * first unfinished one in config order, else held until it is. */
struct relay {
	const char *who;
	int at_line_start;
	size_t passed;
	int dropped;
	struct buf *hold;        /* NULL: pass on to stderr now */
	int nomem;               /* holding failed for lack of memory */
};

static void pass_on(struct relay *rl, const char *p, size_t n)
{
	if (!rl->hold) {
		fwrite(p, 1, n, stderr);
		return;
	}
	if (!rl->nomem && buf_put(rl->hold, p, n) == KPI_ENOMEM)
		rl->nomem = 1;
}

static void relay_out(struct relay *rl, const char *p, size_t n)
{
	if (rl->passed >= KPI_SANDBOX_MAX_RELAY) {
		rl->dropped = 1;
		return;
	}
	if (n > KPI_SANDBOX_MAX_RELAY - rl->passed) {
		n = KPI_SANDBOX_MAX_RELAY - rl->passed;
		rl->dropped = 1;
	}
	rl->passed += n;
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) + 1 : n;

		if (rl->at_line_start) {
			pass_on(rl, rl->who, strlen(rl->who));
			pass_on(rl, ": ", 2);
		}
		pass_on(rl, p, k);
		rl->at_line_start = nl != NULL;
		p += k;
		n -= k;
	}
	if (!rl->hold)
		fflush(stderr);
}

/* The area is now first in line: what it held goes out, the rest will
 * follow as it comes. */
static void relay_release(struct relay *rl)
{
	struct buf *h = rl->hold;

	if (!h)
		return;
	rl->hold = NULL;
	if (h->n)
		fwrite(h->p, 1, h->n, stderr);
	fflush(stderr);
	free(h->p);
	h->p = NULL;
	h->n = h->cap = 0;
}

static void relay_end(struct relay *rl)
{
	relay_release(rl);
	if (!rl->at_line_start)
		relay_out(rl, "\n", 1);
	if (rl->dropped)
		kpi_diag(KPI_LOG_WARN, rl->who, NULL, 0, 0,
		         "standard output beyond %u KiB dropped",
		         KPI_SANDBOX_MAX_RELAY >> 10);
}

/* How the child's run ended, as the parent saw it. */
struct watch {
	pid_t pid;
	int reaped, status;
	int timed_out;
	int overflow;            /* stream too big, or out of memory */
	int nomem;               /* out of memory (overflow is set too) */
};

/* What a descriptor carries. */
enum { FD_RESULTS, FD_STDOUT, FD_STDERR, FD_EXIT, FD_N };

/* One child being watched: its descriptors in the parent (-1 once
 * closed; FD_EXIT is a pidfd, readable when the child has exited, or -1
 * where the kernel has none), what it sent, its deadline. */
struct child_rt {
	struct watch wt;
	int fds[FD_N];
	struct buf b;            /* the result stream */
	struct buf held;         /* stderr text held back */
	struct relay rl;
	double deadline;
	int running;             /* forked, not yet ended */
	char spawn_error[128];   /* why it could not start, or "" */
};

/* Read one ready descriptor: 1 if it is still open, 0 at EOF or error. */
static int drain(struct child_rt *c, int which)
{
	char chunk[65536];

	for (;;) {
		ssize_t r = read(c->fds[which], chunk, sizeof chunk);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (r <= 0)
			return 0;
		if (which == FD_STDOUT) {
			relay_out(&c->rl, chunk, (size_t)r);
		} else if (which == FD_STDERR) {
			pass_on(&c->rl, chunk, (size_t)r);
		} else if (!c->wt.overflow) {
			int rc = buf_put(&c->b, chunk, (size_t)r);

			if (rc != 0) {
				c->wt.overflow = 1;
				c->wt.nomem = rc == KPI_ENOMEM;
				return 0;
			}
		}
		if (c->rl.nomem) {
			c->wt.overflow = c->wt.nomem = 1;
			return 0;
		}
	}
}

/* Predicate: c holds back so much that its output is not read until it
 * is first in line (its pipes fill and it waits). */
static int held_full(const struct child_rt *c)
{
	return c->rl.hold && c->held.n >= KPI_SANDBOX_MAX_HOLD &&
	       !c->wt.reaped;
}

/* End the child's whole process group, reap it, close what is left. */
static void finish(struct child_rt *c)
{
	kill(-c->wt.pid, SIGKILL);
	if (!c->wt.reaped) {
		while (waitpid(c->wt.pid, &c->wt.status, 0) < 0 &&
		       errno == EINTR)
			;
		c->wt.reaped = 1;
	}
	for (int k = 0; k < FD_N; k++)
		if (c->fds[k] >= 0) {
			close(c->fds[k]);
			c->fds[k] = -1;
		}
	c->running = 0;
}

/* One round of watching the running children of cs[0..n): wait until a
 * descriptor is ready, a child exits or a deadline passes (at most
 * SANDBOX_POLL_MS), read what is there.  A child is over when it has
 * exited and nothing more is ready (a process it left behind may hold
 * its pipes open), when everything is closed and it is reaped, when its
 * deadline passed, or when its stream overflowed; it is then finished
 * (finish).  Returns how many children ended. */
static size_t watch_round(struct child_rt *cs, size_t n)
{
	struct pollfd pfd[64 * FD_N];
	size_t slot[64 * FD_N], np = 0, ended = 0;
	double t = now();
	int ms = SANDBOX_POLL_MS, pr;

	for (size_t i = 0; i < n && np + FD_N <= sizeof pfd / sizeof pfd[0];
	     i++) {
		struct child_rt *c = &cs[i];
		int open_fds = 0;

		if (!c->running)
			continue;
		if (!c->wt.reaped && waitpid(c->wt.pid, &c->wt.status,
		                             WNOHANG) == c->wt.pid) {
			c->wt.reaped = 1;
			if (c->fds[FD_EXIT] >= 0) {
				close(c->fds[FD_EXIT]);
				c->fds[FD_EXIT] = -1;
			}
		}
		if (c->deadline - t <= 0) {
			c->wt.timed_out = !c->wt.reaped;
			finish(c);
			ended++;
			continue;
		}
		for (int k = 0; k < FD_N; k++) {
			if (c->fds[k] < 0)
				continue;
			if (k != FD_EXIT)
				open_fds++;
			if ((k == FD_STDOUT || k == FD_STDERR) && held_full(c))
				continue;
			pfd[np].fd = c->fds[k];
			pfd[np].events = POLLIN;
			pfd[np].revents = 0;
			slot[np++] = i * FD_N + (size_t)k;
		}
		if (c->wt.reaped && !open_fds) {
			finish(c);
			ended++;
			continue;
		}
		if (c->wt.reaped)
			ms = 0;
		else if (c->fds[FD_EXIT] < 0 && !open_fds)
			ms = ms > 1 ? 1 : ms;   /* no pidfd: look again soon */
		if ((c->deadline - t) * 1000 + 1 < ms)
			ms = (int)((c->deadline - t) * 1000) + 1;
	}
	if (ended)
		return ended;
	pr = poll(pfd, (nfds_t)np, ms);
	if (pr < 0 && errno != EINTR)
		pr = 0;
	for (size_t i = 0; i < n; i++) {
		struct child_rt *c = &cs[i];
		int ready = 0;

		if (!c->running)
			continue;
		for (size_t j = 0; pr > 0 && j < np; j++) {
			int k = (int)(slot[j] % FD_N);

			if (slot[j] / FD_N != i || !pfd[j].revents)
				continue;
			ready = 1;
			if (k == FD_EXIT) {
				if (waitpid(c->wt.pid, &c->wt.status, WNOHANG) ==
				    c->wt.pid)
					c->wt.reaped = 1;
				close(c->fds[k]);
				c->fds[k] = -1;
			} else if (!drain(c, k)) {
				close(c->fds[k]);
				c->fds[k] = -1;
			}
		}
		if (c->wt.overflow || (c->wt.reaped && !ready && pr >= 0)) {
			finish(c);
			ended++;
		}
	}
	return ended;
}

/* Replaying the child's calls into the parent's registry. */
static int sink_declare(void *arg, const struct kpi_indicator_def *d)
{
	struct kpi_ctx *ctx = arg;

	ctx->phase = KPI_PHASE_INIT;
	return kpi_host_table()->declare(ctx, d);
}

static int sink_emit(void *arg, const struct kpi_measurement *m)
{
	struct kpi_ctx *ctx = arg;

	ctx->phase = KPI_PHASE_COMPUTE;
	return kpi_host_table()->emit(ctx, m);
}

static int sink_emit_value(void *arg, const struct kpi_value *v)
{
	struct kpi_ctx *ctx = arg;

	ctx->phase = KPI_PHASE_COMPUTE;
	return kpi_host_table()->emit_value(ctx, v);
}

static int sink_emit_table(void *arg, const struct kpi_table *t)
{
	struct kpi_ctx *ctx = arg;

	ctx->phase = KPI_PHASE_COMPUTE;
	return kpi_host_table()->emit_table(ctx, t);
}

/* Open a pipe, both ends close-on-exec. */
static int open_pipe(int p[2], char *why, size_t whylen)
{
	if (pipe2(p, O_CLOEXEC) == 0)
		return 0;
	snprintf(why, whylen, "cannot create a pipe: %s", strerror(errno));
	return -1;
}

/* Fork a child with the pipes set up: in the parent its ends are c->fds
 * (results, the plugin's stdout, with_stderr its stderr, and a pidfd),
 * in the child the other ends, returned in cfd[].  The child's pid in the
 * parent, 0 in the child, or -1 with c->spawn_error set.  In the child,
 * the parent's descriptors of others[0..nothers) are closed: no plugin
 * can read another area's pipes. */
static pid_t spawn(struct child_rt *c, int with_stderr, int cfd[3],
                   struct child_rt *others, size_t nothers)
{
	int p[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } };
	int np = with_stderr ? 3 : 2, k;
	pid_t pid;

	for (k = 0; k < FD_N; k++)
		c->fds[k] = -1;
	for (k = 0; k < np; k++)
		if (open_pipe(p[k], c->spawn_error, sizeof c->spawn_error))
			goto out_close;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		snprintf(c->spawn_error, sizeof c->spawn_error,
		         "cannot fork: %s", strerror(errno));
		goto out_close;
	}
	if (pid == 0) {
		for (size_t i = 0; i < nothers; i++)
			for (int j = 0; j < FD_N; j++)
				if (others[i].running && others[i].fds[j] >= 0)
					close(others[i].fds[j]);
		for (k = 0; k < 3; k++) {
			if (k < np)
				close(p[k][0]);
			cfd[k] = p[k][1];
		}
		return 0;
	}
	/* also here: the group must exist before it is killed */
	setpgid(pid, pid);
	for (k = 0; k < np; k++) {
		close(p[k][1]);
		c->fds[k] = p[k][0];
		fcntl(p[k][0], F_SETFL, fcntl(p[k][0], F_GETFL) | O_NONBLOCK);
	}
	c->fds[FD_EXIT] = (int)syscall(SYS_pidfd_open, pid, 0);
	c->wt.pid = pid;
	c->running = 1;
	return pid;

out_close:
	for (k = 0; k < np; k++) {
		if (p[k][0] >= 0)
			close(p[k][0]);
		if (p[k][1] >= 0)
			close(p[k][1]);
	}
	return -1;
}

/* Start area a's child into c; an area that cannot start has
 * c->spawn_error set and is not running. */
static void start_area(struct kpi_config *cfg, struct kpi_sandbox_area *a,
                       const struct kpi_sandbox_limits *lim,
                       struct child_rt *c, int hold,
                       struct child_rt *others, size_t nothers)
{
	pid_t self = getpid();
	int cfd[3];

	c->rl.who = a->area->name;
	c->rl.at_line_start = 1;
	c->rl.hold = hold ? &c->held : NULL;
	c->deadline = now() + lim->timeout_s;
	if (spawn(c, 1, cfd, others, nothers) == 0)
		child(cfd[0], cfd[1], cfd[2], self, cfg, a->area, a->path, lim);
}

/* The area's child has ended (or never started): pass on what it wrote,
 * replay what it sent into cfg and set a->res.  Runs in config order. */
static void conclude_area(struct kpi_config *cfg, struct kpi_sandbox_area *a,
                          const struct kpi_sandbox_limits *lim,
                          struct child_rt *c)
{
	struct kpi_area_result *res = &a->res;
	struct kpi_ctx ctx;
	struct kpi_wire_sink sink = { &ctx, sink_declare, sink_emit,
	                              sink_emit_value, sink_emit_table };
	int st, child_failed, complete, rc;
	char child_reason[sizeof res->reason];

	memset(res, 0, sizeof *res);
	if (c->spawn_error[0]) {
		kpi_diag(KPI_LOG_ERROR, a->area->name, NULL, 0, 0, "%s",
		         c->spawn_error);
		fail(res, KPI_EXIT_PLUGIN, "%s", "cannot start the plugin");
		return;
	}
	relay_end(&c->rl);
	st = c->wt.status;
	kpi_host_ctx_init(&ctx, cfg, a->area);
	/* the declarations come first: whatever happened after them, the
	 * area's indicators keep their names */
	rc = c->wt.overflow ? KPI_EINVAL :
	     kpi_wire_replay(c->b.p, c->b.n, KPI_WIRE_DECLARATIONS, &sink,
	                     &child_failed, child_reason, sizeof child_reason);
	complete = rc == 0;
	if (c->wt.nomem || rc == KPI_ENOMEM)
		goto out_nomem;
	if (c->wt.timed_out)
		snprintf(res->reason, sizeof res->reason,
		         "timed out after %d s (killed)", lim->timeout_s);
	else if (c->wt.overflow)
		snprintf(res->reason, sizeof res->reason,
		         "sent more than %u MiB of results (killed)",
		         KPI_WIRE_MAX_STREAM >> 20);
	else if (WIFSIGNALED(st))
		snprintf(res->reason, sizeof res->reason, "crashed (%s)",
		         strsignal(WTERMSIG(st)));
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || !complete)
		snprintf(res->reason, sizeof res->reason,
		         "exited before finishing (exit status %d)",
		         WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	else if (child_failed) {
		/* the child's own outcome, already reported by it */
		res->failed = child_failed;
		memcpy(res->reason, child_reason, sizeof res->reason);
		return;
	} else if ((rc = kpi_wire_replay(c->b.p, c->b.n, KPI_WIRE_RESULTS,
	                                 &sink, &child_failed, child_reason,
	                                 sizeof child_reason)) == KPI_ENOMEM)
		goto out_nomem;
	else if (rc != 0)
		snprintf(res->reason, sizeof res->reason, "%s",
		         "sent results the host refused");
	else
		return;
	/* the parent saw the failure: the child could not report it */
	res->failed = KPI_EXIT_PLUGIN;
	kpi_diag(KPI_LOG_ERROR, a->area->name, NULL, 0, 0, "%s", res->reason);
	return;
out_nomem:
	/* the parent, not the plugin, ran out: the run stops (run.c) */
	res->failed = KPI_EXIT_NOMEM;
	res->nomem = 1;
	snprintf(res->reason, sizeof res->reason, "%s", "out of memory");
}

static void child_rt_free(struct child_rt *c)
{
	if (c->running)
		finish(c);
	free(c->b.p);
	free(c->held.p);
	c->b.p = c->held.p = NULL;
}

/* See sandbox.h.  Areas are started in order while fewer than at_once
 * run; the first unfinished area (in order) passes its output on as it
 * comes, the others hold theirs; an area is concluded (its output, its
 * replay, its messages) only after every area before it. */
void kpi_sandbox_run_areas(struct kpi_config *cfg,
                           struct kpi_sandbox_area *areas, size_t n,
                           const struct kpi_sandbox_limits *lim, int at_once)
{
	struct child_rt *cs;
	size_t started = 0, done = 0, running = 0;

	if (n == 0)
		return;
	if (at_once < 1)
		at_once = 1;
	if (at_once > KPI_SANDBOX_MAX_JOBS)
		at_once = KPI_SANDBOX_MAX_JOBS;
	cs = calloc(n, sizeof *cs);
	if (!cs) {
		memset(&areas[0].res, 0, sizeof areas[0].res);
		areas[0].res.failed = KPI_EXIT_NOMEM;
		areas[0].res.nomem = 1;
		return;
	}
	while (done < n) {
		struct child_rt *head = &cs[done];

		for (; started < n && running < (size_t)at_once; started++) {
			memset(&areas[started].res, 0, sizeof areas[started].res);
			if (!areas[started].path)
				continue;
			start_area(cfg, &areas[started], lim, &cs[started],
			           started > done, cs + done, started - done);
			running += cs[started].running;
		}
		if (head->running) {
			relay_release(&head->rl);
			running -= watch_round(head, started - done);
			continue;
		}
		if (areas[done].path) {
			conclude_area(cfg, &areas[done], lim, head);
			child_rt_free(head);
			if (areas[done].res.nomem)
				break;  /* the areas after it are not run */
		}
		done++;
	}
	for (size_t i = done; i < n; i++)
		child_rt_free(&cs[i]);
	free(cs);
}

void kpi_sandbox_run(struct kpi_config *cfg, const struct kpi_area *area,
                     const char *path, const struct kpi_sandbox_limits *lim,
                     struct kpi_area_result *res)
{
	struct kpi_sandbox_area a = { .area = area, .path = path };

	kpi_sandbox_run_areas(cfg, &a, 1, lim, 1);
	*res = a.res;
}

int kpi_sandbox_describe(const char *path, FILE *out)
{
	struct child_rt c;
	const char *name = strrchr(path, '/');
	pid_t self = getpid();
	int cfd[3], rc = KPI_EPLUGIN;

	memset(&c, 0, sizeof c);
	c.rl.who = "plugin";
	c.rl.at_line_start = 1;
	c.deadline = now() + KPI_SANDBOX_LIST_TIMEOUT;
	if (spawn(&c, 0, cfd, NULL, 0) < 0) {
		kpi_diag(KPI_LOG_ERROR, name ? name + 1 : path, NULL, 0, 0, "%s",
		         c.spawn_error);
		fputs("    error:       cannot start a process to load it\n", out);
		return KPI_EPLUGIN;
	}
	if (c.wt.pid == 0) {
		char *text = NULL;
		size_t len = 0;
		FILE *mem;
		int r;

		child_setup(cfd[1], -1, self);
		mem = open_memstream(&text, &len);
		if (!mem)
			_exit(70);
		r = kpi_loader_describe(path, mem);
		if (fclose(mem) != 0)
			_exit(70);
		for (size_t off = 0; off < len;) {
			ssize_t w = write(cfd[0], text + off, len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				_exit(71);
			off += (size_t)w;
		}
		_exit(r == 0 ? 0 : 1);
	}
	while (c.running)
		watch_round(&c, 1);
	relay_end(&c.rl);
	if (c.b.n)
		fwrite(c.b.p, 1, c.b.n, out);
	if (c.wt.timed_out)
		fprintf(out, "    error:       timed out after %d s (killed)\n",
		        KPI_SANDBOX_LIST_TIMEOUT);
	else if (WIFSIGNALED(c.wt.status))
		fprintf(out, "    error:       crashed (%s)\n",
		        strsignal(WTERMSIG(c.wt.status)));
	else if (WIFEXITED(c.wt.status) && WEXITSTATUS(c.wt.status) == 0)
		rc = 0;
	else if (!c.b.n)
		fprintf(out, "    error:       exited before finishing (exit "
		        "status %d)\n", WIFEXITED(c.wt.status) ?
		        WEXITSTATUS(c.wt.status) : -1);
	free(c.b.p);
	return rc;
}
