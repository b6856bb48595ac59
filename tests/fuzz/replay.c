/*
 * replay.c - main() for a harness built without libFuzzer (any compiler):
 * feeds every file named on the command line, and every file in every
 * directory named, once to LLVMFuzzerTestOneInput, in name order.  This
 * is how ctest replays the committed corpora in every build.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Harnesses without an LLVMFuzzerInitialize leave this weak one NULL. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Largest input replayed: the corpora hold small files. */
#define REPLAY_MAX_INPUT ((size_t)16 << 20)

static unsigned long replayed;

/* Feed file `path` to the harness, in a buffer of exactly its size so
 * that a read past the end is caught.  Returns 0, or -1 if it cannot be
 * read (message printed). */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	size_t n;

	if (!f || fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (st.st_size < 0 || (size_t)st.st_size > REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: larger than %zu bytes\n", path,
		        REPLAY_MAX_INPUT);
		fclose(f);
		return -1;
	}
	n = (size_t)st.st_size;
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != n) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	replayed++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Feed every regular file of directory `path`, in name order. */
static int replay_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		char **nn;

		if (de->d_name[0] == '.')
			continue;
		nn = realloc(names, (n + 1) * sizeof *names);
		if (!nn || !(nn[n] = malloc(strlen(path) +
		                            strlen(de->d_name) + 2))) {
			names = nn ? nn : names;
			rc = -1;
			break;
		}
		names = nn;
		snprintf(names[n], strlen(path) + strlen(de->d_name) + 2,
		         "%s/%s", path, de->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			rc = replay_file(names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc && rc == 0; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			        strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = replay_dir(argv[i]);
		} else {
			rc = replay_file(argv[i]);
		}
	}
	printf("replayed %lu inputs\n", replayed);
	return rc == 0 && replayed > 0 ? 0 : 1;
}
