/*
 * fuzz.c - the helpers of fuzz.h: quiet diagnostics, the scratch
 * directory and its files, and the failure report.
 */
#include "fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

#define FUZZ_MAX_FILES 8

static char dir[4096];
static struct {
	char name[64];
	char path[4096 + 64];
} files[FUZZ_MAX_FILES];
static int nfiles;

void fuzz_fail(const char *file, int line, const char *cond,
               const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: property broken: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void fuzz_quiet(void)
{
	static FILE *null;

	if (getenv("KPI_FUZZ_VERBOSE"))
		return;
	if (!null)
		null = fopen("/dev/null", "w");
	FUZZ_CHECK(null != NULL, "/dev/null: %s", strerror(errno));
	kpi_diag_set_stream(null);
}

static void remove_dir(void)
{
	for (int i = 0; i < nfiles; i++)
		unlink(files[i].path);
	if (dir[0])
		rmdir(dir);
}

const char *fuzz_dir(void)
{
	const char *tmp = getenv("KPI_FUZZ_TMPDIR");
	int n;

	if (dir[0])
		return dir;
	/* a file per input: in memory (tmpfs) rather than on a disk */
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NULL;
	if (!tmp)
		tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	n = snprintf(dir, sizeof dir, "%s/kpi-fuzz-XXXXXX", tmp);
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof dir, "TMPDIR too long");
	FUZZ_CHECK(mkdtemp(dir) != NULL, "mkdtemp %s: %s", dir,
	           strerror(errno));
	atexit(remove_dir);
	return dir;
}

const char *fuzz_path(const char *name)
{
	int i;

	for (i = 0; i < nfiles; i++)
		if (strcmp(files[i].name, name) == 0)
			return files[i].path;
	FUZZ_CHECK(nfiles < FUZZ_MAX_FILES, "more than %d files",
	           FUZZ_MAX_FILES);
	FUZZ_CHECK(strlen(name) < sizeof files[i].name && !strchr(name, '/'),
	           "bad file name '%s'", name);
	memcpy(files[i].name, name, strlen(name) + 1);
	snprintf(files[i].path, sizeof files[i].path, "%s/%s", fuzz_dir(),
	         name);
	nfiles++;
	return files[i].path;
}

const char *fuzz_file(const char *name, const void *data, size_t size)
{
	const char *path = fuzz_path(name);
	size_t off = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	FUZZ_CHECK(fd >= 0, "%s: %s", path, strerror(errno));
	while (off < size) {
		ssize_t w = write(fd, (const char *)data + off, size - off);

		if (w < 0 && errno == EINTR)
			continue;
		FUZZ_CHECK(w > 0, "%s: %s", path, strerror(errno));
		off += (size_t)w;
	}
	FUZZ_CHECK(close(fd) == 0, "%s: %s", path, strerror(errno));
	return path;
}
