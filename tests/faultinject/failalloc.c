/*
 * failalloc.c - an LD_PRELOAD allocator shim for the fault-injection test
 * (tests/faultinject/run_all.sh): counts the allocations of a kpirun run
 * and makes the Nth one fail, the way SQLite tests out-of-memory paths.
 *
 * Environment:
 *   KPI_FAIL_ALLOC=N         the Nth allocation (1-based) returns NULL with
 *                            errno ENOMEM; the others succeed
 *   KPI_FAIL_ALLOC_PERSIST=1 every allocation from the Nth on fails
 *   KPI_COUNT_ALLOC=FILE     at exit, write the number of allocations made
 *                            (and "failed" if one was made to fail) to FILE
 *   KPI_FAIL_ALLOC_CHILD=N   in each forked child, the Nth allocation
 *                            after the fork fails (children only)
 *   KPI_FAIL_ALLOC_WHERE=FILE at the injected failure, write the call
 *                            stack to FILE, a line "module +0xOFFSET" per
 *                            frame (return addresses, for addr2line)
 *   KPI_FAIL_ALLOC_PROGRAM=NAME only a program of that name (its argv[0]
 *                            without the directory) counts and fails;
 *                            others that load the shim (timeout, env,
 *                            valgrind's launcher) are left alone
 *   KPI_FAIL_ALLOC_TRAP=1    raise SIGTRAP at the injected failure (to stop
 *                            there under gdb)
 *
 * What counts: every call of malloc, calloc and realloc (realloc(p, 0)
 * included) in the process that loaded the shim, whoever makes it: kpirun,
 * iniparser, the C library (strdup, stdio, open_memstream, dlopen).  A
 * forked child (an area's plugin) neither counts nor fails unless
 * KPI_FAIL_ALLOC_CHILD is set; then it counts from 0 after the fork, its
 * own sequence, and KPI_FAIL_ALLOC and KPI_COUNT_ALLOC stay the parent's.
 * Frees are not counted.  Not for ASan builds: ASan interposes the same
 * functions.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unwind.h>

/* dlsym itself may allocate (calloc for its error state) before the real
 * functions are known: those few requests come from this arena and are
 * never freed. */
#define BOOT_ARENA 4096

/* The interposed functions must be exported whatever -fvisibility says. */
#define EXPORT __attribute__((visibility("default")))

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

static _Alignas(max_align_t) char boot[BOOT_ARENA];
static size_t boot_used;
static int resolving;

static unsigned long fail_at;       /* 0: never */
static int persist;
static int trap;
static unsigned long child_fail_at; /* 0: children never fail */
static const char *count_file;
static const char *where_file;

static unsigned long count;         /* allocations in this process */
static int injected;                /* a failure was made */
static int in_child;
static int passive;                 /* not the program under test */

static void *boot_alloc(size_t n)
{
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (n > BOOT_ARENA - boot_used)
		return NULL;
	p = boot + boot_used;
	boot_used += n;
	return p;
}

static int from_boot(const void *p)
{
	return (const char *)p >= boot && (const char *)p < boot + BOOT_ARENA;
}

static unsigned long env_count(const char *name)
{
	const char *v = getenv(name);
	unsigned long n = 0;

	if (!v)
		return 0;
	for (; *v >= '0' && *v <= '9'; v++)
		n = n * 10 + (unsigned long)(*v - '0');
	return n;
}

/* The next definition of `name` after this object, as a function pointer
 * stored in *fp (memcpy: ISO C has no object-to-function conversion). */
static void next_symbol(const char *name, void *fp, size_t size)
{
	void *sym = dlsym(RTLD_NEXT, name);

	memcpy(fp, &sym, size);
}

static void resolve(void)
{
	if (real_malloc || resolving)
		return;
	resolving = 1;
	next_symbol("calloc", &real_calloc, sizeof real_calloc);
	next_symbol("realloc", &real_realloc, sizeof real_realloc);
	next_symbol("free", &real_free, sizeof real_free);
	next_symbol("malloc", &real_malloc, sizeof real_malloc);
	resolving = 0;
}

static void on_fork_child(void)
{
	in_child = 1;
	count = 0;
	injected = 0;
}

__attribute__((constructor))
static void failalloc_init(void)
{
	const char *prog = getenv("KPI_FAIL_ALLOC_PROGRAM");

	resolve();
	if (prog && strcmp(prog, program_invocation_short_name) != 0) {
		passive = 1;
		return;
	}
	fail_at = env_count("KPI_FAIL_ALLOC");
	persist = env_count("KPI_FAIL_ALLOC_PERSIST") != 0;
	trap = env_count("KPI_FAIL_ALLOC_TRAP") != 0;
	child_fail_at = env_count("KPI_FAIL_ALLOC_CHILD");
	count_file = getenv("KPI_COUNT_ALLOC");
	where_file = getenv("KPI_FAIL_ALLOC_WHERE");
	pthread_atfork(NULL, NULL, on_fork_child);
	count = 0;   /* the constructors before this one are not kpirun's */
}

__attribute__((destructor))
static void failalloc_fini(void)
{
	char line[64];
	int fd, n;

	if (passive || in_child || !count_file)
		return;
	n = snprintf(line, sizeof line, "%lu%s\n", count,
	             injected ? " failed" : "");
	fd = open(count_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (n > 0 && write(fd, line, (size_t)n) != n)
		n = -1;
	close(fd);
}

struct frames {
	uintptr_t pc[64];
	int n;
};

static _Unwind_Reason_Code one_frame(struct _Unwind_Context *uc, void *arg)
{
	struct frames *f = arg;

	if (f->n == 64)
		return _URC_END_OF_STACK;
	f->pc[f->n++] = (uintptr_t)_Unwind_GetIP(uc);
	return _URC_NO_REASON;
}

/* Append "module +0xOFFSET\n" for pc to line (size >= 4200); 0 if pc is
 * in no loaded object. */
static size_t frame_line(char *line, uintptr_t pc)
{
	Dl_info info;
	size_t k, len;
	uintptr_t off;
	char hex[2 * sizeof off + 1];
	int h = (int)sizeof hex - 1;

	if (!dladdr((void *)pc, &info) || !info.dli_fname)
		return 0;
	len = strlen(info.dli_fname);
	if (len > 4096)
		len = 4096;
	memcpy(line, info.dli_fname, len);
	k = len;
	memcpy(line + k, " +0x", 4);
	k += 4;
	off = pc - (uintptr_t)info.dli_fbase;
	hex[h] = '\0';
	do {
		hex[--h] = "0123456789abcdef"[off & 15];
		off >>= 4;
	} while (off && h > 0);
	memcpy(line + k, hex + h, strlen(hex + h));
	k += strlen(hex + h);
	line[k++] = '\n';
	return k;
}

/* Write the call stack of the failing allocation to where_file.  The
 * unwinder is libgcc's, linked in, so nothing is loaded or allocated
 * here. */
static void record_where(void)
{
	static struct frames f;
	static char line[4200];
	int fd;

	if (!where_file)
		return;
	f.n = 0;
	_Unwind_Backtrace(one_frame, &f);
	fd = open(where_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	for (int i = 1; i < f.n; i++) {
		size_t k = frame_line(line, f.pc[i]);

		if (k && write(fd, line, k) != (ssize_t)k)
			break;
	}
	close(fd);
}

/* Count one allocation; true if it is to fail. */
static int should_fail(void)
{
	unsigned long at = in_child ? child_fail_at : fail_at;

	if (passive)
		return 0;
	count++;
	if (at == 0 || count < at || (count > at && !persist))
		return 0;
	injected = 1;
	if (count == at) {
		record_where();
		if (trap)
			raise(SIGTRAP);
	}
	errno = ENOMEM;
	return 1;
}

EXPORT void *malloc(size_t n)
{
	if (!real_malloc) {
		resolve();
		if (!real_malloc)
			return boot_alloc(n);
	}
	if (should_fail())
		return NULL;
	return real_malloc(n);
}

EXPORT void *calloc(size_t n, size_t size)
{
	if (!real_calloc) {
		void *p;

		resolve();
		if (real_calloc)
			return calloc(n, size);
		if (size && n > SIZE_MAX / size)
			return NULL;
		p = boot_alloc(n * size);   /* the arena is zeroed */
		return p;
	}
	if (should_fail())
		return NULL;
	return real_calloc(n, size);
}

EXPORT void *realloc(void *p, size_t n)
{
	if (from_boot(p)) {
		/* never happens in practice; copy out of the arena */
		void *q = malloc(n);

		size_t have = (size_t)(boot + BOOT_ARENA - (char *)p);

		if (q)
			memcpy(q, p, n < have ? n : have);
		return q;
	}
	if (!real_realloc) {
		resolve();
		if (!real_realloc)
			return NULL;
	}
	if (should_fail())
		return NULL;
	return real_realloc(p, n);
}

EXPORT void free(void *p)
{
	if (!p || from_boot(p))
		return;
	if (!real_free)
		resolve();
	if (real_free)
		real_free(p);
}
