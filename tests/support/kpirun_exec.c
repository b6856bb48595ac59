/*
 * kpirun_exec.c - see kpirun_exec.h.  Output goes through two temporary
 * files named after the test process, removed before returning.
 */
#include "kpirun_exec.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The whole file at path, NUL-terminated; the caller frees. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	cr_assert_not_null(f, "cannot open %s", path);
	for (;;) {
		size_t r;

		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 8192;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

void kpirun_exec(const char *const *args, struct kpirun_result *r)
{
	const char *tmp = getenv("TMPDIR");
	char out_path[4096], err_path[4096];
	const char *argv[64];
	int n = 0, st;
	pid_t pid;

	if (!tmp || !*tmp || access(tmp, W_OK) != 0)
		tmp = "/tmp";
	snprintf(out_path, sizeof out_path, "%s/kpirun_exec_out_%ld", tmp,
	         (long)getpid());
	snprintf(err_path, sizeof err_path, "%s/kpirun_exec_err_%ld", tmp,
	         (long)getpid());
	argv[n++] = KPIRUN_BIN;
	while (*args && n < 63)
		argv[n++] = *args++;
	argv[n] = NULL;
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		setenv("KPI_PLUGIN_PATH", KPI_PLUGIN_BUILD_DIR, 1);
		execv(KPIRUN_BIN, (char *const *)argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "kpirun did not exit normally");
	r->status = WEXITSTATUS(st);
	r->out = slurp(out_path);
	r->err = slurp(err_path);
	unlink(out_path);
	unlink(err_path);
}

void kpirun_result_free(struct kpirun_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}
