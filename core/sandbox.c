/*
 * sandbox.c - one area's plugin loaded and run in a forked child with a
 * deadline and resource limits; its accepted host calls come back over
 * the wire (wire.h) and are replayed here.  A crash, an exit, a hang, a
 * garbled stream or a process left behind fails the area alone.
 */
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "host.h"
#include "loader.h"
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
 * outliving kpirun, the plugin's stdout into ofd. */
static void child_setup(int ofd, pid_t parent)
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
}

static void child(int fd, int ofd, pid_t parent, struct kpi_config *cfg,
                  const struct kpi_area *area, const char *path,
                  const struct kpi_sandbox_limits *lim)
{
	struct kpi_area_result res = { 0, 0, 0, "" };
	struct kpi_wire_out *w = malloc(sizeof *w);
	struct kpi_lib *lib;

	child_setup(ofd, parent);
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

/* The plugin's standard output, passed on to stderr in blocks with every
 * line prefixed by the area's name, at most KPI_SANDBOX_MAX_RELAY bytes. */
struct relay {
	const char *who;
	int at_line_start;
	size_t passed;
	int dropped;
};

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

		if (rl->at_line_start)
			fprintf(stderr, "%s: ", rl->who);
		fwrite(p, 1, k, stderr);
		rl->at_line_start = nl != NULL;
		p += k;
		n -= k;
	}
	fflush(stderr);
}

static void relay_end(struct relay *rl)
{
	if (!rl->at_line_start)
		relay_out(rl, "\n", 1);
	if (rl->dropped)
		kpi_diag(KPI_LOG_WARN, rl->who, NULL, 0, 0,
		         "standard output beyond %u KiB dropped",
		         KPI_SANDBOX_MAX_RELAY >> 10);
}

/* A growing buffer for the child's result stream. */
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

/* How the child's run ended, as the parent saw it. */
struct watch {
	pid_t pid;
	int reaped, status;
	int timed_out;
	int overflow;            /* stream too big, or out of memory */
	int nomem;               /* out of memory (overflow is set too) */
};

/* Read one ready descriptor: 1 if it is still open, 0 at EOF or error. */
static int drain(int fd, struct buf *b, struct relay *rl, struct watch *wt)
{
	char chunk[65536];

	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (r <= 0)
			return 0;
		if (rl) {
			relay_out(rl, chunk, (size_t)r);
		} else if (!wt->overflow) {
			int rc = buf_put(b, chunk, (size_t)r);

			if (rc != 0) {
				wt->overflow = 1;
				wt->nomem = rc == KPI_ENOMEM;
				return 0;
			}
		}
	}
}

/* Collect the child's stream (fd) and relay its stdout (ofd) until both
 * are closed or the child has exited and nothing more is ready (a process
 * it left behind may hold them open), or the deadline passes. */
static void collect(int fd, int ofd, struct relay *rl, struct buf *b,
                    struct watch *wt, int timeout_s)
{
	double deadline = now() + timeout_s;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(ofd, F_SETFL, fcntl(ofd, F_GETFL) | O_NONBLOCK);
	while (fd >= 0 || ofd >= 0 || !wt->reaped) {
		struct pollfd pfd[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = ofd, .events = POLLIN },
		};
		double left = deadline - now();
		int ms, pr;

		if (!wt->reaped && waitpid(wt->pid, &wt->status, WNOHANG) ==
		                   wt->pid)
			wt->reaped = 1;
		if (left <= 0) {
			wt->timed_out = !wt->reaped;
			break;
		}
		ms = wt->reaped ? 0 : (int)(left * 1000) + 1;
		if (ms > SANDBOX_POLL_MS && !wt->reaped)
			ms = SANDBOX_POLL_MS;
		pr = poll(pfd, 2, ms);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			break;
		if (pr == 0 && wt->reaped)
			break;          /* the child is gone and all is read */
		if (fd >= 0 && pfd[0].revents && !drain(fd, b, NULL, wt))
			fd = -1;
		if (ofd >= 0 && pfd[1].revents && !drain(ofd, NULL, rl, wt))
			ofd = -1;
		if (wt->overflow)
			break;
	}
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

/* Fork a child with the pipes set up: in the parent its ends are *fd
 * (results) and *ofd (the plugin's stdout), in the child the other ends.
 * The child's pid in the parent, 0 in the child, or -1 (printed). */
static pid_t spawn(const char *who, int *fd, int *ofd)
{
	int fds[2], ofds[2];
	pid_t pid;

	if (pipe(fds) != 0) {
		kpi_diag(KPI_LOG_ERROR, who, NULL, 0, 0,
		         "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe(ofds) != 0) {
		kpi_diag(KPI_LOG_ERROR, who, NULL, 0, 0,
		         "cannot create a pipe: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		kpi_diag(KPI_LOG_ERROR, who, NULL, 0, 0, "cannot fork: %s",
		         strerror(errno));
		close(fds[0]);
		close(fds[1]);
		close(ofds[0]);
		close(ofds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		close(ofds[0]);
		*fd = fds[1];
		*ofd = ofds[1];
		return 0;
	}
	/* also here: the group must exist before it is killed */
	setpgid(pid, pid);
	close(fds[1]);
	close(ofds[1]);
	*fd = fds[0];
	*ofd = ofds[0];
	return pid;
}

/* End the child's whole process group and reap the child. */
static void finish(struct watch *wt)
{
	kill(-wt->pid, SIGKILL);
	if (!wt->reaped) {
		while (waitpid(wt->pid, &wt->status, 0) < 0 && errno == EINTR)
			;
		wt->reaped = 1;
	}
}

void kpi_sandbox_run(struct kpi_config *cfg, const struct kpi_area *area,
                     const char *path, const struct kpi_sandbox_limits *lim,
                     struct kpi_area_result *res)
{
	struct buf b = { NULL, 0, 0 };
	struct relay rl = { area->name, 1, 0, 0 };
	struct watch wt = { 0, 0, 0, 0, 0, 0 };
	struct kpi_ctx ctx;
	struct kpi_wire_sink sink = { &ctx, sink_declare, sink_emit,
	                              sink_emit_value, sink_emit_table };
	pid_t self = getpid();
	int fd, ofd, st, child_failed, complete, rc;
	char child_reason[sizeof res->reason];

	memset(res, 0, sizeof *res);
	wt.pid = spawn(area->name, &fd, &ofd);
	if (wt.pid < 0) {
		fail(res, KPI_EXIT_PLUGIN, "%s", "cannot start the plugin");
		return;
	}
	if (wt.pid == 0)
		child(fd, ofd, self, cfg, area, path, lim);
	collect(fd, ofd, &rl, &b, &wt, lim->timeout_s);
	close(fd);
	close(ofd);
	finish(&wt);
	relay_end(&rl);
	st = wt.status;
	kpi_host_ctx_init(&ctx, cfg, area);
	/* the declarations come first: whatever happened after them, the
	 * area's indicators keep their names */
	rc = wt.overflow ? KPI_EINVAL :
	     kpi_wire_replay(b.p, b.n, KPI_WIRE_DECLARATIONS, &sink,
	                     &child_failed, child_reason, sizeof child_reason);
	complete = rc == 0;
	if (wt.nomem || rc == KPI_ENOMEM)
		goto out_nomem;
	if (wt.timed_out)
		snprintf(res->reason, sizeof res->reason,
		         "timed out after %d s (killed)", lim->timeout_s);
	else if (wt.overflow)
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
		goto out;
	} else if ((rc = kpi_wire_replay(b.p, b.n, KPI_WIRE_RESULTS, &sink,
	                                 &child_failed, child_reason,
	                                 sizeof child_reason)) == KPI_ENOMEM)
		goto out_nomem;
	else if (rc != 0)
		snprintf(res->reason, sizeof res->reason, "%s",
		         "sent results the host refused");
	else
		goto out;
	/* the parent saw the failure: the child could not report it */
	res->failed = KPI_EXIT_PLUGIN;
	kpi_diag(KPI_LOG_ERROR, area->name, NULL, 0, 0, "%s", res->reason);
	goto out;
out_nomem:
	/* the parent, not the plugin, ran out: the run stops (run.c) */
	res->failed = KPI_EXIT_NOMEM;
	res->nomem = 1;
	snprintf(res->reason, sizeof res->reason, "%s", "out of memory");
out:
	free(b.p);
}

int kpi_sandbox_describe(const char *path, FILE *out)
{
	struct buf b = { NULL, 0, 0 };
	struct relay rl = { "plugin", 1, 0, 0 };
	struct watch wt = { 0, 0, 0, 0, 0, 0 };
	const char *name = strrchr(path, '/');
	pid_t self = getpid();
	int fd, ofd, rc = KPI_EPLUGIN;

	wt.pid = spawn(name ? name + 1 : path, &fd, &ofd);
	if (wt.pid < 0) {
		fputs("    error:       cannot start a process to load it\n", out);
		return KPI_EPLUGIN;
	}
	if (wt.pid == 0) {
		char *text = NULL;
		size_t len = 0;
		FILE *mem;
		int r;

		child_setup(ofd, self);
		mem = open_memstream(&text, &len);
		if (!mem)
			_exit(70);
		r = kpi_loader_describe(path, mem);
		if (fclose(mem) != 0)
			_exit(70);
		for (size_t off = 0; off < len;) {
			ssize_t w = write(fd, text + off, len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				_exit(71);
			off += (size_t)w;
		}
		_exit(r == 0 ? 0 : 1);
	}
	collect(fd, ofd, &rl, &b, &wt, KPI_SANDBOX_LIST_TIMEOUT);
	close(fd);
	close(ofd);
	finish(&wt);
	relay_end(&rl);
	if (b.n)
		fwrite(b.p, 1, b.n, out);
	if (wt.timed_out)
		fprintf(out, "    error:       timed out after %d s (killed)\n",
		        KPI_SANDBOX_LIST_TIMEOUT);
	else if (WIFSIGNALED(wt.status))
		fprintf(out, "    error:       crashed (%s)\n",
		        strsignal(WTERMSIG(wt.status)));
	else if (WIFEXITED(wt.status) && WEXITSTATUS(wt.status) == 0)
		rc = 0;
	else if (!b.n)
		fprintf(out, "    error:       exited before finishing (exit "
		        "status %d)\n", WIFEXITED(wt.status) ?
		        WEXITSTATUS(wt.status) : -1);
	free(b.p);
	return rc;
}
