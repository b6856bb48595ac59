/*
 * fuzz.h - what the fuzz harnesses (tests/fuzz/fuzz_*.c) share: the
 * libFuzzer entry points, quiet diagnostics, a scratch directory and
 * files written from an input, and a check that fails loudly.
 */
#ifndef KPI_FUZZ_H
#define KPI_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Each harness defines the first; the second is optional. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Send diagnostics to /dev/null (they are still formatted), unless
 * $KPI_FUZZ_VERBOSE is set: then they go to stderr, to see why an input
 * was refused. */
void fuzz_quiet(void);

/* A directory made once per process and removed, with the files
 * fuzz_file made in it, at exit: under $KPI_FUZZ_TMPDIR, else /dev/shm
 * (a file is written per input: memory is faster than a disk), else
 * $TMPDIR, else /tmp.  Owned by this module. */
const char *fuzz_dir(void);

/* The path of `name` in fuzz_dir(), in a buffer owned by this module
 * (one per name, valid until exit).  name must be a plain file name. */
const char *fuzz_path(const char *name);

/* Replace file `name` in fuzz_dir() with data[0..size); returns its path
 * (as fuzz_path).  Aborts if it cannot be written. */
const char *fuzz_file(const char *name, const void *data, size_t size);

/* Abort with a message naming the harness's broken property: libFuzzer
 * then keeps the input as a crash. */
#define FUZZ_CHECK(cond, ...) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__))
void fuzz_fail(const char *file, int line, const char *cond,
               const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));

#endif
