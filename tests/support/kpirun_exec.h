/*
 * kpirun_exec.h - run the built kpirun binary from a test: arguments in,
 * exit status, standard output and standard error out, with the build's
 * plugin directory on KPI_PLUGIN_PATH.
 */
#ifndef KPI_KPIRUN_EXEC_H
#define KPI_KPIRUN_EXEC_H

struct kpirun_result {
	int status;     /* exit status; the test fails if kpirun did not exit */
	char *out;      /* standard output, NUL-terminated */
	char *err;      /* standard error, NUL-terminated */
};

/* Run kpirun with args (NULL-terminated, without argv[0]).  The strings
 * of *r are the caller's to release with kpirun_result_free. */
void kpirun_exec(const char *const *args, struct kpirun_result *r);
void kpirun_result_free(struct kpirun_result *r);

#define KPIRUN(r, ...) kpirun_exec((const char *const[]){ __VA_ARGS__, NULL }, r)

#endif
