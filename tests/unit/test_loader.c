/*
 * test_loader.c - the plugin loader: the search list and its order, name
 * resolution, every refusal (file checks, dlopen, entry symbol, ABI,
 * descriptor) with its exact message, --list-plugins, and that built
 * plugins export nothing but kpi_plugin_entry.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "diag.h"
#include "loader.h"

#ifndef KPI_FIXTURE_DIR
#error "KPI_FIXTURE_DIR is set by tests/fixtures/CMakeLists.txt"
#endif
#ifndef KPI_NM
#define KPI_NM "nm"
#endif

/* ---- helpers ---------------------------------------------------------- */

/* A malloc'd printf-formatted string; the test fails when out of memory. */
static char *xfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xfmt(const char *fmt, ...)
{
	va_list ap;
	int len;
	char *s;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	cr_assert(len >= 0);
	s = malloc((size_t)len + 1);
	cr_assert(s);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Remove path and, if it is a directory, everything under it (symlinks
 * are removed, not followed). */
static void rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	chmod(path, 0700);
	d = opendir(path);
	if (d) {
		while ((de = readdir(d)) != NULL) {
			char *sub;

			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			sub = xfmt("%s/%s", path, de->d_name);
			rm_rf(sub);
			free(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

/* The per-test scratch directory, removed by the suite's fini. */
static char *scratch;

/* Create an empty private directory for this test, named after the test
 * and the process (Criterion runs tests in parallel workers).  Returns
 * its path, owned by the suite (freed in fini). */
static const char *make_scratch(const char *test)
{
	/* not under /tmp: a plugin's every directory must be writable by
	 * nobody but its owner, and /tmp is everybody's */
	mkdir(KPI_BUILD_DIR "/scratch", 0755);
	scratch = xfmt("%s/scratch/kpi-test_loader-%s-%ld", KPI_BUILD_DIR,
	               test, (long)getpid());
	rm_rf(scratch);
	cr_assert_eq(mkdir(scratch, 0700), 0, "mkdir %s: %s", scratch,
	             strerror(errno));
	return scratch;
}

/* mkdir dir/sub with mode 0755 (umask-proof); returns the malloc'd path. */
static char *make_subdir(const char *dir, const char *sub)
{
	char *p = xfmt("%s/%s", dir, sub);

	cr_assert_eq(mkdir(p, 0700), 0, "mkdir %s: %s", p, strerror(errno));
	cr_assert_eq(chmod(p, 0755), 0);
	return p;
}

/* Copy file src to dst with exactly `mode`. */
static void copy_file(const char *src, const char *dst, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in = open(src, O_RDONLY);
	int out;

	cr_assert(in >= 0, "open %s: %s", src, strerror(errno));
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert(out >= 0, "open %s: %s", dst, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(out, buf, (size_t)n), n);
	cr_assert_eq(n, 0);
	cr_assert_eq(fchmod(out, mode), 0);
	cr_assert_eq(close(out), 0);
	close(in);
}

/* Copy fixture `name`.so into dir as <as>.so (mode 0755); returns the
 * malloc'd path of the copy. */
static char *stage_as(const char *dir, const char *name, const char *as)
{
	char *src = xfmt("%s/%s.so", KPI_FIXTURE_DIR, name);
	char *dst = xfmt("%s/%s.so", dir, as);

	copy_file(src, dst, 0755);
	free(src);
	return dst;
}

static char *stage(const char *dir, const char *name)
{
	return stage_as(dir, name, name);
}

/* Diagnostics are captured into a memory stream for the whole test. */
static char *diag_buf;
static size_t diag_len;
static FILE *diag_stream;

static void setup(void)
{
	diag_stream = open_memstream(&diag_buf, &diag_len);
	cr_assert(diag_stream);
	kpi_diag_set_stream(diag_stream);
	kpi_diag_reset();
}

static void teardown(void)
{
	kpi_diag_set_stream(NULL);
	fclose(diag_stream);
	free(diag_buf);
	if (scratch) {
		rm_rf(scratch);
		free(scratch);
		scratch = NULL;
	}
}

/* All diagnostics printed so far in this test. */
static const char *diag(void)
{
	fflush(diag_stream);
	return diag_buf ? diag_buf : "";
}

/* Exactly one diagnostic was printed, an error, and its message (after
 * the prefix diag.c adds) is `msg`. */
static void assert_one_error(const char *msg)
{
	const char *d = diag();
	size_t ld = strlen(d), lm = strlen(msg);
	const char *nl = strchr(d, '\n');

	cr_assert_eq(kpi_diag_errors(), 1, "expected one error, got:\n%s", d);
	cr_assert(nl && nl[1] == '\0', "expected one line, got:\n%s", d);
	cr_assert(ld > lm && strncmp(d + ld - 1 - lm, msg, lm) == 0,
	          "expected message:\n  %s\ngot:\n  %s", msg, d);
}

/* Expect kpi_loader_open(path, expect) to fail with message msg. */
static void assert_refused(const char *path, const char *expect,
                           const char *msg)
{
	struct kpi_lib *lib = (struct kpi_lib *)1;

	cr_assert_eq(kpi_loader_open(path, expect, &lib), KPI_EPLUGIN);
	cr_assert_null(lib);
	assert_one_error(msg);
}

TestSuite(loader, .init = setup, .fini = teardown);

/* Forget the diagnostics printed so far in this test. */
static void reset_diag(void)
{
	kpi_diag_set_stream(NULL);
	fclose(diag_stream);
	free(diag_buf);
	diag_buf = NULL;
	setup();
}

/* Under AddressSanitizer a leak is only printed when a worker exits, and
 * the test still passes; so each test ends with an explicit leak check.
 * Memory still reachable from the fixtures' globals is not a leak. */
static void check_leaks(void)
{
#ifdef __SANITIZE_ADDRESS__
	cr_assert_eq(__lsan_do_recoverable_leak_check(), 0,
	             "memory leaked (see the report above)");
#endif
}

/* A loader test: its body, then the leak check. */
#define LOADER_TEST(name)                                               \
	static void name##_body(void);                                  \
	Test(loader, name)                                              \
	{                                                               \
		name##_body();                                          \
		check_leaks();                                          \
	}                                                               \
	static void name##_body(void)

/* ---- a minimal host table for calling into a loaded plugin ------------ */

struct kpi_ctx {
	char log[512];
	int n_emit;
	char indicator[64];
	int year, month;
	double num;
};

static int t_run_year(struct kpi_ctx *ctx)
{
	(void)ctx;
	return 2011;
}

static int t_run_month(struct kpi_ctx *ctx)
{
	(void)ctx;
	return 8;
}

static const char *t_area(struct kpi_ctx *ctx)
{
	(void)ctx;
	return "test_area";
}

static const char *t_config_get(struct kpi_ctx *ctx, const char *key)
{
	(void)ctx;
	(void)key;
	return NULL;
}

static void t_log(struct kpi_ctx *ctx, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void t_log(struct kpi_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;
	size_t used = strlen(ctx->log);

	(void)level;
	va_start(ap, fmt);
	vsnprintf(ctx->log + used, sizeof(ctx->log) - used, fmt, ap);
	va_end(ap);
}

static int t_emit(struct kpi_ctx *ctx, const struct kpi_measurement *m)
{
	ctx->n_emit++;
	snprintf(ctx->indicator, sizeof(ctx->indicator), "%s", m->indicator);
	ctx->year = m->year;
	ctx->month = m->month;
	ctx->num = m->num;
	return KPI_OK;
}

static const struct kpi_host test_host = {
	.size = sizeof(struct kpi_host),
	.abi_major = KPI_ABI_MAJOR,
	.abi_minor = KPI_ABI_MINOR,
	.run_year = t_run_year,
	.run_month = t_run_month,
	.area = t_area,
	.config_get = t_config_get,
	.log = t_log,
	.emit = t_emit,
};

/* ---- kpi_loader_dirs -------------------------------------------------- */

LOADER_TEST(dirs_order_config_then_env_then_default)
{
	const char *tmp = make_scratch("dirs_order");
	char *conf = make_subdir(tmp, "conf");
	char *plugins = make_subdir(conf, "plugins");
	char *env_dir = make_subdir(tmp, "env");
	char *cwd = getcwd(NULL, 0);
	char *env = xfmt(":%s/::relative/dir:", env_dir);
	char *base = xfmt("%s/../conf/", conf);   /* not canonical on purpose */
	char *rel = xfmt("%s/relative/dir", cwd);
	char *real = realpath(plugins, NULL);    /* TMPDIR may be a symlink */
	char **dirs;
	size_t n;

	cr_assert_not_null(real);
	cr_assert_eq(setenv("KPI_PLUGIN_PATH", env, 1), 0);
	cr_assert_eq(kpi_loader_dirs("plugins", base, &dirs, &n), 0);
	cr_assert_eq(n, 4);
	cr_assert_str_eq(dirs[0], real);         /* canonical */
	cr_assert_str_eq(dirs[1], env_dir);      /* trailing slash gone */
	cr_assert_str_eq(dirs[2], rel);          /* against the cwd */
	cr_assert_str_eq(dirs[3], KPI_TEST_DEFAULT_DIR);
	cr_assert_str_eq(diag(), "");
	kpi_loader_dirs_free(dirs, n);
	free(conf);
	free(plugins);
	free(env_dir);
	free(cwd);
	free(env);
	free(base);
	free(rel);
	free(real);
}

LOADER_TEST(dirs_default_only)
{
	char **dirs;
	size_t n;

	cr_assert_eq(unsetenv("KPI_PLUGIN_PATH"), 0);
	cr_assert_eq(kpi_loader_dirs(NULL, NULL, &dirs, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(dirs[0], KPI_TEST_DEFAULT_DIR);
	kpi_loader_dirs_free(dirs, n);
}

LOADER_TEST(dirs_relative_config_missing_dir_is_made_absolute)
{
	char *cwd = getcwd(NULL, 0);
	char *want_cwd = xfmt("%s/no-such-plugins", cwd);
	char **dirs;
	size_t n;

	cr_assert_eq(setenv("KPI_PLUGIN_PATH", "", 1), 0);
	/* Relative to a given absolute base, not canonicalised (missing). */
	cr_assert_eq(kpi_loader_dirs("no-such-plugins", "/nonexistent/conf",
	                             &dirs, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(dirs[0], "/nonexistent/conf/no-such-plugins");
	kpi_loader_dirs_free(dirs, n);
	/* No base: relative to the cwd.  An absolute dir is kept. */
	cr_assert_eq(kpi_loader_dirs("no-such-plugins", NULL, &dirs, &n), 0);
	cr_assert_str_eq(dirs[0], want_cwd);
	kpi_loader_dirs_free(dirs, n);
	cr_assert_eq(kpi_loader_dirs("/opt/x/", "/base", &dirs, &n), 0);
	cr_assert_str_eq(dirs[0], "/opt/x");
	kpi_loader_dirs_free(dirs, n);
	free(cwd);
	free(want_cwd);
}

LOADER_TEST(dirs_duplicates_listed_once)
{
	char *env = xfmt("/a:/b:/a/:%s", KPI_TEST_DEFAULT_DIR);
	char **dirs;
	size_t n;

	cr_assert_eq(setenv("KPI_PLUGIN_PATH", env, 1), 0);
	cr_assert_eq(kpi_loader_dirs("/b", NULL, &dirs, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(dirs[0], "/b");
	cr_assert_str_eq(dirs[1], "/a");
	cr_assert_str_eq(dirs[2], KPI_TEST_DEFAULT_DIR);
	kpi_loader_dirs_free(dirs, n);
	free(env);
}

/* ---- kpi_loader_resolve ----------------------------------------------- */

LOADER_TEST(resolve_takes_the_first_directory_in_order)
{
	const char *tmp = make_scratch("resolve_order");
	char *d[3] = { make_subdir(tmp, "config"), make_subdir(tmp, "env"),
	               make_subdir(tmp, "default") };
	char *in_env = stage(d[1], "fx_good");
	char *in_default = stage(d[2], "fx_good");
	char *path;
	char *in_config;

	cr_assert_eq(kpi_loader_resolve(d, 3, "fx_good", &path), 0);
	cr_assert_str_eq(path, in_env);
	free(path);
	in_config = stage(d[0], "fx_good");
	cr_assert_eq(kpi_loader_resolve(d, 3, "fx_good", &path), 0);
	cr_assert_str_eq(path, in_config);
	free(path);
	cr_assert_eq(unlink(in_config), 0);
	cr_assert_eq(unlink(in_env), 0);
	cr_assert_eq(kpi_loader_resolve(d, 3, "fx_good", &path), 0);
	cr_assert_str_eq(path, in_default);
	free(path);
	cr_assert_str_eq(diag(), "");
	free(in_config);
	free(in_env);
	free(in_default);
	for (int i = 0; i < 3; i++)
		free(d[i]);
}

LOADER_TEST(resolve_not_found_names_every_directory)
{
	char *d[3] = { "/a", "/b", "/c" };
	char *path = (char *)1;

	cr_assert_eq(kpi_loader_resolve(d, 3, "payroll", &path),
	             KPI_ENOTFOUND);
	cr_assert_null(path);
	assert_one_error("plugin 'payroll' not found "
	                 "(searched: /a, /b, /c)");
}

LOADER_TEST(resolve_rejects_a_name_that_is_not_plain)
{
	char *d[1] = { "/a" };
	char *path;

	cr_assert_eq(kpi_loader_resolve(d, 1, "../evil", &path), KPI_ECONFIG);
	cr_assert_null(path);
	assert_one_error("invalid plugin name '../evil': expected [a-z0-9_]+");
}

/* ---- kpi_loader_open: the good plugin --------------------------------- */

LOADER_TEST(open_good_plugin_and_run_it)
{
	const char *tmp = make_scratch("open_good");
	char *path = stage(tmp, "fx_good");
	struct kpi_lib *lib = NULL;
	const struct kpi_plugin *d;
	struct kpi_ctx ctx = { .n_emit = 0 };
	void *state = NULL;

	cr_assert_eq(kpi_loader_open(path, "fx_good", &lib), 0, "%s", diag());
	cr_assert_str_eq(diag(), "");
	cr_assert_str_eq(lib->path, path);
	cr_assert_not_null(lib->handle);
	d = lib->desc;
	cr_assert_str_eq(d->name, "fx_good");
	cr_assert_str_eq(d->version, "1.2.3");
	cr_assert_eq(d->n_indicators, 1);
	cr_assert_str_eq(d->indicators[0].id, "visits");

	cr_assert_eq(d->init(&test_host, &ctx, &state), KPI_OK);
	cr_assert_not_null(state);
	cr_assert_eq(d->compute(&test_host, &ctx, state), KPI_OK);
	d->shutdown(state);
	cr_assert_eq(ctx.n_emit, 1);
	cr_assert_str_eq(ctx.indicator, "visits");
	cr_assert_eq(ctx.year, 2011);
	cr_assert_eq(ctx.month, 8);
	cr_assert_eq(ctx.num, 42);
	kpi_loader_close(lib);
	free(path);
}

LOADER_TEST(open_good_plugin_without_expected_name)
{
	const char *tmp = make_scratch("open_good_noexpect");
	char *path = stage(tmp, "fx_good");
	struct kpi_lib *lib = NULL;

	cr_assert_eq(kpi_loader_open(path, NULL, &lib), 0, "%s", diag());
	kpi_loader_close(lib);
	kpi_loader_close(NULL);
	free(path);
}

LOADER_TEST(init_failure_is_the_plugins_not_the_loaders)
{
	const char *tmp = make_scratch("init_failure");
	char *path = stage(tmp, "fx_initfail");
	struct kpi_lib *lib = NULL;
	struct kpi_ctx ctx = { .n_emit = 0 };
	void *state = (void *)1;

	cr_assert_eq(kpi_loader_open(path, "fx_initfail", &lib), 0, "%s",
	             diag());
	cr_assert_eq(lib->desc->init(&test_host, &ctx, &state), KPI_EPLUGIN);
	cr_assert_str_eq(ctx.log, "cannot start: no licence key");
	cr_assert_eq(ctx.n_emit, 0);
	kpi_loader_close(lib);
	free(path);
}

/* ---- kpi_loader_open: refusals before dlopen -------------------------- */

LOADER_TEST(refuses_a_symlink)
{
	const char *tmp = make_scratch("symlink");
	char *real = stage_as(tmp, "fx_good", "real");
	char *link = xfmt("%s/fx_good.so", tmp);
	char *msg = xfmt("refusing symlink '%s'", link);

	cr_assert_eq(symlink(real, link), 0);
	assert_refused(link, "fx_good", msg);
	free(real);
	free(link);
	free(msg);
}

LOADER_TEST(refuses_a_group_writable_file)
{
	const char *tmp = make_scratch("group_writable");
	char *path = stage(tmp, "fx_good");
	char *msg = xfmt("refusing '%s': writable by group or others", path);

	cr_assert_eq(chmod(path, 0775), 0);
	assert_refused(path, "fx_good", msg);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_an_other_writable_file)
{
	const char *tmp = make_scratch("other_writable_file");
	char *path = stage(tmp, "fx_good");
	char *msg = xfmt("refusing '%s': writable by group or others", path);

	cr_assert_eq(chmod(path, 0757), 0);
	assert_refused(path, "fx_good", msg);
	free(path);
	free(msg);
}

/* A sticky directory writable by all (/tmp) may be on the way: in it
 * nobody but an entry's owner can replace the entry.  It may not be the
 * plugin's own directory. */
LOADER_TEST(a_sticky_ancestor_is_allowed_but_not_as_the_plugins_directory)
{
	const char *tmp = make_scratch("sticky");
	char *sticky = make_subdir(tmp, "sticky");
	char *dir = make_subdir(sticky, "plugins");
	char *path = stage(dir, "fx_good"), *direct, *msg;
	struct kpi_lib *lib = NULL;

	cr_assert_eq(chmod(sticky, 01777), 0);
	cr_assert_eq(kpi_loader_open(path, "fx_good", &lib), 0, "%s", diag());
	kpi_loader_close(lib);
	direct = stage(sticky, "fx_good");
	msg = xfmt("refusing '%s': directory '%s' is writable by group or "
	           "others", direct, sticky);
	assert_refused(direct, "fx_good", msg);
	/* without the sticky bit, writable by all refuses the ancestor */
	cr_assert_eq(chmod(sticky, 0777), 0);
	free(msg);
	msg = xfmt("refusing '%s': directory '%s' is writable by group or "
	           "others", path, sticky);
	reset_diag();
	assert_refused(path, "fx_good", msg);
	free(msg);
	free(direct);
	free(path);
	free(dir);
	free(sticky);
}

LOADER_TEST(refuses_a_file_in_an_other_writable_directory)
{
	const char *tmp = make_scratch("other_writable_dir");
	char *dir = make_subdir(tmp, "plugins");
	char *path = stage(dir, "fx_good");
	char *msg = xfmt("refusing '%s': directory '%s' is writable by group "
	                 "or others", path, dir);

	cr_assert_eq(chmod(dir, 0757), 0);
	assert_refused(path, "fx_good", msg);
	free(dir);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_a_file_owned_by_someone_else)
{
	const char *tmp;
	char *path, *msg;

	if (geteuid() != 0)
		cr_skip_test("needs root to give a file away");
	tmp = make_scratch("foreign_owner");
	path = stage(tmp, "fx_good");
	msg = xfmt("refusing '%s': owned by uid 4242, neither root nor the "
	           "current user", path);
	cr_assert_eq(chown(path, 4242, (gid_t)-1), 0);
	assert_refused(path, "fx_good", msg);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_what_is_not_a_regular_file)
{
	const char *tmp = make_scratch("not_regular");
	char *path = xfmt("%s/fifo.so", tmp);
	char *msg = xfmt("refusing '%s': not a regular file", path);

	cr_assert_eq(mkfifo(path, 0644), 0);
	assert_refused(path, NULL, msg);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_a_relative_path)
{
	assert_refused("plugins/fx_good.so", NULL,
	               "refusing 'plugins/fx_good.so': not an absolute path");
}

LOADER_TEST(refuses_a_file_not_named_so)
{
	assert_refused("/tmp/fx_good.so.1", NULL,
	               "refusing '/tmp/fx_good.so.1': a plugin file is named "
	               "<name>.so");
}

LOADER_TEST(missing_file)
{
	assert_refused("/nonexistent/fx_good.so", NULL,
	               "cannot load '/nonexistent/fx_good.so': /nonexistent: "
	               "No such file or directory");
}

/* ---- kpi_loader_open: dlopen and the entry symbol --------------------- */

LOADER_TEST(undefined_symbol_gives_dlerror_and_the_hint)
{
	const char *tmp = make_scratch("undefined_symbol");
	char *path = stage(tmp, "fx_undef");
	char *head = xfmt("cannot load '%s': ", path);
	char *hint = xfmt("(hint: check its dependencies with 'ldd %s', and "
	                  "that it was linked with -Wl,-z,defs)\n", path);
	struct kpi_lib *lib = NULL;
	const char *d, *tail;

	cr_assert_eq(kpi_loader_open(path, NULL, &lib), KPI_EPLUGIN);
	cr_assert_null(lib);
	d = diag();
	cr_assert_eq(kpi_diag_errors(), 1);
	cr_assert_not_null(strstr(d, head), "%s", d);
	cr_assert_not_null(strstr(d, "undefined symbol: "
	                          "kpi_fixture_missing_function"), "%s", d);
	tail = d + strlen(d) - strlen(hint);
	cr_assert_str_eq(tail, hint);
	free(path);
	free(head);
	free(hint);
}

LOADER_TEST(not_a_shared_object)
{
	const char *tmp = make_scratch("not_elf");
	char *path = xfmt("%s/junk.so", tmp);
	char *head = xfmt("cannot load '%s': ", path);
	FILE *f = fopen(path, "w");
	struct kpi_lib *lib = NULL;

	cr_assert_not_null(f);
	fputs("this is not an ELF file\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, 0644), 0);
	cr_assert_eq(kpi_loader_open(path, NULL, &lib), KPI_EPLUGIN);
	cr_assert_not_null(strstr(diag(), head), "%s", diag());
	cr_assert_not_null(strstr(diag(), "(hint: check its dependencies"));
	free(path);
	free(head);
}

LOADER_TEST(missing_entry_symbol)
{
	const char *tmp = make_scratch("no_entry");
	char *path = stage(tmp, "fx_noentry");
	char *msg = xfmt("'%s' is not a kpirun plugin: no symbol "
	                 "'kpi_plugin_entry'", path);

	assert_refused(path, "fx_noentry", msg);
	free(path);
	free(msg);
}

LOADER_TEST(entry_returning_null)
{
	const char *tmp = make_scratch("null_desc");
	char *path = stage(tmp, "fx_null");
	char *msg = xfmt("'%s' is not a kpirun plugin: kpi_plugin_entry() "
	                 "returned NULL", path);

	assert_refused(path, NULL, msg);
	free(path);
	free(msg);
}

/* ---- kpi_loader_open: the descriptor ---------------------------------- */

LOADER_TEST(refuses_another_abi_major)
{
	const char *tmp = make_scratch("abi_major");
	char *path = stage(tmp, "fx_abi2");
	char *msg = xfmt("plugin '%s' was built for ABI 2.0, this kpirun has "
	                 "ABI 1.3; rebuild it against kpi/plugin.h 1.3", path);

	assert_refused(path, "fx_abi2", msg);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_a_newer_abi_minor)
{
	const char *tmp = make_scratch("abi_minor");
	char *path = stage(tmp, "fx_minor99");
	char *msg = xfmt("plugin '%s' was built for ABI 1.99, this kpirun has "
	                 "ABI 1.3 (newer minor): upgrade kpirun or rebuild "
	                 "the plugin", path);

	assert_refused(path, "fx_minor99", msg);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_a_name_other_than_expected)
{
	const char *tmp = make_scratch("name_expected");
	char *path = stage(tmp, "fx_mismatch");
	char *msg = xfmt("plugin '%s' is named 'fx_other', expected "
	                 "'fx_mismatch'", path);

	assert_refused(path, "fx_mismatch", msg);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_a_name_other_than_the_file_name)
{
	const char *tmp = make_scratch("name_file");
	char *path = stage(tmp, "fx_mismatch");
	char *msg = xfmt("plugin '%s' is named 'fx_other': a plugin's name "
	                 "must equal its file name without .so", path);

	assert_refused(path, NULL, msg);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_a_copy_under_another_name)
{
	const char *tmp = make_scratch("renamed");
	char *path = stage_as(tmp, "fx_good", "payroll");
	char *msg = xfmt("plugin '%s' is named 'fx_good', expected "
	                 "'payroll'", path);

	assert_refused(path, "payroll", msg);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_an_empty_license)
{
	const char *tmp = make_scratch("no_license");
	char *path = stage(tmp, "fx_nolicense");
	char *msg = xfmt("plugin '%s': mandatory field 'license' is missing "
	                 "or empty", path);

	assert_refused(path, NULL, msg);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_a_bad_indicator)
{
	const char *tmp = make_scratch("bad_indicator");
	char *path = stage(tmp, "fx_badind");
	char *msg = xfmt("plugin '%s': indicator 'share': aggregation 9 is "
	                 "not one of 1..4 (sum, ratio, last, rolling12)", path);

	assert_refused(path, NULL, msg);
	free(path);
	free(msg);
}

LOADER_TEST(refuses_a_descriptor_smaller_than_abi_1_0)
{
	const char *tmp = make_scratch("small_desc");
	char *path = stage(tmp, "fx_small");
	char *msg = xfmt("plugin '%s': its descriptor is %zu bytes, smaller "
	                 "than the ABI 1.0 descriptor (%zu bytes)", path,
	                 offsetof(struct kpi_plugin, init),
	                 offsetof(struct kpi_plugin, shutdown) +
	                 sizeof(void (*)(void *)));

	assert_refused(path, NULL, msg);
	free(path);
	free(msg);
}

/* ---- kpi_loader_list -------------------------------------------------- */

/* Run kpi_loader_list on dirs and return its output (malloc'd). */
static char *list(char **dirs, size_t n, int want_rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(kpi_loader_list(dirs, n, f), want_rc, "%s", diag());
	cr_assert_eq(fclose(f), 0);
	return buf;
}

static void assert_contains(const char *hay, const char *needle)
{
	cr_assert_not_null(strstr(hay, needle), "expected\n  %s\nin:\n%s",
	                   needle, hay);
}

LOADER_TEST(list_shows_good_plugins_and_why_others_failed)
{
	static const char *const fixtures[] = {
		"fx_good", "fx_abi2", "fx_minor99", "fx_noentry", "fx_undef",
		"fx_mismatch", "fx_initfail",
	};
	const char *tmp = make_scratch("list");
	char *dirs[3] = { make_subdir(tmp, "plugins"),
	                  xfmt("%s/missing", tmp), make_subdir(tmp, "more") };
	char *copies[sizeof(fixtures) / sizeof(fixtures[0]) + 1];
	char *out, *s;
	size_t i;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		copies[i] = stage(dirs[0], fixtures[i]);
	copies[i] = stage(dirs[2], "fx_good");  /* shadowed by dirs[0] */
	out = list(dirs, 3, KPI_EPLUGIN);

	/* The good one, in full. */
	s = xfmt("  fx_good.so\n"
	         "    path:        %s/fx_good.so\n"
	         "    name:        fx_good\n"
	         "    version:     1.2.3\n"
	         "    abi:         1.3\n"
	         "    license:     MIT\n"
	         "    description: a well-formed plugin for the loader tests\n"
	         "    indicators:\n"
	         "      visits  sum  higher  st  Visits\n", dirs[0]);
	assert_contains(out, s);
	free(s);
	assert_contains(out, "    name:        fx_initfail\n");
	/* The failing ones, with their reasons. */
	s = xfmt("  fx_abi2.so\n    path:        %s/fx_abi2.so\n"
	         "    error:       plugin '%s/fx_abi2.so' was built for ABI "
	         "2.0, this kpirun has ABI 1.3; rebuild it against "
	         "kpi/plugin.h 1.3\n", dirs[0], dirs[0]);
	assert_contains(out, s);
	free(s);
	assert_contains(out, "(newer minor): upgrade kpirun or rebuild the "
	                "plugin\n");
	assert_contains(out, "is not a kpirun plugin: no symbol "
	                "'kpi_plugin_entry'\n");
	assert_contains(out, "undefined symbol: kpi_fixture_missing_function");
	assert_contains(out, "is named 'fx_other': a plugin's name must equal "
	                "its file name without .so\n");
	/* Directories: one per heading, in order, a missing one noted. */
	s = xfmt("%s\n  fx_abi2.so\n", dirs[0]);
	cr_assert(strncmp(out, s, strlen(s)) == 0, "%s", out);
	free(s);
	s = xfmt("\n%s (not found)\n%s\n  fx_good.so\n", dirs[1], dirs[2]);
	assert_contains(out, s);
	free(s);
	s = xfmt("    note:        not used: %s/fx_good.so comes first\n",
	         dirs[0]);
	assert_contains(out, s);
	free(s);
	/* Sorted by name. */
	cr_assert(strstr(out, "fx_abi2.so") < strstr(out, "fx_good.so"));
	cr_assert(strstr(out, "fx_noentry.so") < strstr(out, "fx_undef.so"));
	assert_one_error("5 of 8 plugins failed to load");

	free(out);
	for (i = 0; i <= sizeof(fixtures) / sizeof(fixtures[0]); i++)
		free(copies[i]);
	for (i = 0; i < 3; i++)
		free(dirs[i]);
}

LOADER_TEST(list_of_good_plugins_succeeds)
{
	const char *tmp = make_scratch("list_good");
	char *dirs[2] = { make_subdir(tmp, "plugins"),
	                  make_subdir(tmp, "empty") };
	char *copy = stage(dirs[0], "fx_good");
	char *out = list(dirs, 2, 0);
	char *s = xfmt("%s (no plugins)\n", dirs[1]);

	assert_contains(out, "    name:        fx_good\n");
	assert_contains(out, s);
	cr_assert_str_eq(diag(), "");
	free(s);
	free(out);
	free(copy);
	free(dirs[0]);
	free(dirs[1]);
}

/* ---- exported symbols ------------------------------------------------- */

/* Symbols some linkers define in every shared object. */
static bool linker_symbol(const char *name)
{
	static const char *const names[] = {
		"_init", "_fini", "_edata", "_end", "__bss_start",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* The dynamic symbols the .so at path defines besides kpi_plugin_entry
 * and the linker's own, as nm prints them (malloc'd; "" when none).
 * *n_entry counts kpi_plugin_entry.  nm -D --defined-only prints
 * "ADDRESS TYPE NAME"; a plugin built with -fvisibility=hidden shows
 * exactly one line, "... T kpi_plugin_entry".  Data symbols count too:
 * plugin.h says a plugin exports exactly one symbol. */
static char *extra_exports(const char *path, int *n_entry)
{
	char *cmd = xfmt("'%s' -D --defined-only '%s' 2>&1", KPI_NM, path);
	char *extra = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&extra, &len);
	FILE *p = popen(cmd, "r");
	char line[1024];

	cr_assert_not_null(out);
	cr_assert_not_null(p, "cannot run %s", cmd);
	*n_entry = 0;
	while (fgets(line, sizeof(line), p)) {
		char addr[64], type[8], name[512];

		if (sscanf(line, "%63s %7s %511s", addr, type, name) != 3) {
			fprintf(out, "unexpected nm output: %s", line);
			continue;
		}
		if (strcmp(name, "kpi_plugin_entry") == 0 &&
		    strchr("TtWwi", type[0]))
			(*n_entry)++;
		else if (!linker_symbol(name))
			fprintf(out, "%s", line);
	}
	cr_assert_eq(pclose(p), 0, "%s failed", cmd);
	cr_assert_eq(fclose(out), 0);
	free(cmd);
	return extra;
}

/* Every plugin built from plugins/ (whatever is in KPI_PLUGIN_BUILD_DIR
 * now) and the good fixture, built the same way, export exactly one
 * symbol: the function kpi_plugin_entry. */
LOADER_TEST(plugins_export_only_the_entry_symbol)
{
	const char *dirs[2] = { KPI_PLUGIN_BUILD_DIR, KPI_FIXTURE_DIR };
	size_t checked = 0;

	for (int i = 0; i < 2; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		if (!d)
			continue;   /* no plugin built yet */
		while ((de = readdir(d)) != NULL) {
			size_t l = strlen(de->d_name);
			char *path, *extra;
			int n_entry;

			if (l < 4 || strcmp(de->d_name + l - 3, ".so") != 0)
				continue;
			if (i == 1 && strcmp(de->d_name, "fx_good.so") != 0)
				continue;
			path = xfmt("%s/%s", dirs[i], de->d_name);
			extra = extra_exports(path, &n_entry);
			cr_expect_eq(n_entry, 1, "%s: kpi_plugin_entry "
			             "exported %d times", path, n_entry);
			cr_expect_str_eq(extra, "", "%s exports more than "
			                 "kpi_plugin_entry:\n%s", path, extra);
			free(extra);
			free(path);
			checked++;
		}
		closedir(d);
	}
	cr_assert(checked >= 1);
}

/* The check above does catch a plugin exporting more: fx_noentry's
 * kpi_plugin_init is such an extra export. */
LOADER_TEST(export_check_sees_extra_symbols)
{
	int n_entry;
	char *extra = extra_exports(KPI_FIXTURE_DIR "/fx_noentry.so", &n_entry);

	cr_assert_eq(n_entry, 0);
	cr_assert_not_null(strstr(extra, " kpi_plugin_init\n"), "%s", extra);
	free(extra);
}
