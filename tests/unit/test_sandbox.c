/*
 * test_sandbox.c - plugin code runs only in the area's child: the built
 * kpirun against fixture plugins (tests/fixtures/fx_hostile.c) that
 * misbehave in a constructor, in kpi_plugin_entry() or in their
 * descriptor, leave a process behind, flood stdout, hog memory, emit
 * without end, declare 10^5 indicators and groups; and a directory swap
 * raced against the loader.
 *
 * Every case has a well-behaved second area, site.visitors from
 * tests/data/e2e/data/visitors.csv: 300 + 200 + 250 + 250 = 1 000, which
 * must still be reported whatever the hostile area does.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* AddressSanitizer, as gcc and clang announce it */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#define E2E KPI_SOURCE_DIR "/tests/data/e2e"
#define SCRATCH KPI_BUILD_DIR "/scratch"

struct result {
	int status;
	char *out;
	char *err;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc((size_t)n + 1, 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* This test's scratch directory (not under /tmp: see the loader). */
static char dir[512];

static void make_dir(const char *tag)
{
	mkdir(SCRATCH, 0755);
	snprintf(dir, sizeof dir, SCRATCH "/sandbox-%s-%ld", tag,
	         (long)getpid());
	cr_assert(mkdir(dir, 0755) == 0 || errno == EEXIST, "%s", dir);
	cr_assert_eq(chmod(dir, 0755), 0);
}

/* Write dir/NAME.ini: a hostile area using `plugin` with `keys`, then the
 * well-behaved site area; `run_keys` go into [kpirun].  Returns the
 * path (static buffer). */
static const char *write_config(const char *name, const char *plugin,
                                const char *keys, const char *run_keys)
{
	static char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.ini", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "[kpirun]\nyear = 2011\nperiod = T2\ndata_dir = %s/data\n%s\n"
	        "[area bad]\nplugin = %s\n%s\n"
	        "[area site]\nplugin = measurements\nfile = visitors.csv\n"
	        "indicators = visitors\nvisitors.name_sv = Antal besökare\n\n"
	        "[goal 1]\nkind = direction\ntitle_sv = Mål\n"
	        "indicators = bad.value, site.visitors\n",
	        E2E, run_keys ? run_keys : "", plugin, keys ? keys : "");
	cr_assert_eq(fclose(f), 0);
	return path;
}

/* Run kpirun on config with extra environment `env` and `env2`
 * (NAME=VALUE or NULL) and collect its status, stdout and stderr. */
static struct result run_env2(const char *config, const char *env,
                              const char *env2)
{
	char out_path[600], err_path[600];
	struct result r;
	pid_t pid;
	int st;

	snprintf(out_path, sizeof out_path, "%s/out.%ld", dir, (long)getpid());
	snprintf(err_path, sizeof err_path, "%s/err.%ld", dir, (long)getpid());
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(o, 1);
		dup2(e, 2);
		setenv("KPI_PLUGIN_PATH", KPI_PLUGIN_BUILD_DIR ":" KPI_FIXTURE_DIR
		       ":" KPI_FIXTURE_DIR "/hostile", 1);
		if (env)
			putenv((char *)env);
		if (env2)
			putenv((char *)env2);
		execl(KPIRUN_BIN, KPIRUN_BIN, config, (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "kpirun did not exit normally (signal %d)",
	          WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	r.status = WEXITSTATUS(st);
	r.out = slurp(out_path);
	r.err = slurp(err_path);
	unlink(out_path);
	unlink(err_path);
	return r;
}

static struct result run_env(const char *config, const char *env)
{
	return run_env2(config, env, NULL);
}

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* The well-behaved area's 1 000 visitors are in the report. */
static void assert_site_reported(const struct result *r)
{
	const char *row = strstr(r->out, "Antal besökare ");
	const char *eol = row ? strchr(row, '\n') : NULL;
	const char *val = row ? strstr(row, " 1 000 ") : NULL;

	cr_assert(row && eol && val && val < eol, "%s", r->out);
}

/* The hostile area fails alone: exit 4, `message` on stderr, the area
 * named failed in the report, the other area reported. */
static void expect_area_failure(const char *plugin, const char *keys,
                                const char *run_keys, const char *message)
{
	const char *cfg = write_config(plugin, plugin, keys, run_keys);
	struct result r = run_env(cfg, NULL);

	cr_assert_eq(r.status, 4, "%s: status %d, %s", plugin, r.status, r.err);
	cr_assert(strstr(r.err, message) != NULL, "expected \"%s\" in \"%s\"",
	          message, r.err);
	cr_assert(strstr(r.out, "FEL: området bad kunde inte beräknas") != NULL,
	          "%s", r.out);
	assert_site_reported(&r);
	result_free(&r);
}

/* ---- plugin code before init ----------------------------------------- */

Test(sandbox, constructor_calling_exit_fails_its_area)
{
	make_dir("ctor_exit");
	/* before: exit 0 with no report and no message */
	expect_area_failure("fx_ctor_exit", NULL, NULL,
	                    "bad: exited before finishing (exit status 0)");
}

Test(sandbox, crashing_constructor_fails_its_area)
{
	make_dir("ctor_crash");
	/* under AddressSanitizer the child reports the fault and exits 1 */
	expect_area_failure("fx_ctor_crash", NULL, NULL, "bad: ");
}

Test(sandbox, hanging_constructor_is_killed_at_the_deadline)
{
	make_dir("ctor_hang");
	expect_area_failure("fx_ctor_hang", NULL, "plugin_timeout = 1",
	                    "bad: timed out after 1 s (killed)");
}

Test(sandbox, crashing_entry_point_fails_its_area)
{
	make_dir("entry_crash");
	expect_area_failure("fx_entry_crash", NULL, NULL, "bad: ");
}

Test(sandbox, hanging_entry_point_is_killed_at_the_deadline)
{
	make_dir("entry_hang");
	expect_area_failure("fx_entry_hang", NULL, "plugin_timeout = 1",
	                    "bad: timed out after 1 s (killed)");
}

Test(sandbox, bad_descriptor_fails_its_area)
{
	make_dir("bad_desc");
	/* reading the name crashes the check: in the child, not in kpirun */
	expect_area_failure("fx_bad_desc", NULL, NULL, "bad: ");
}

Test(sandbox, absurd_descriptor_sizes_fail_its_area)
{
	make_dir("absurd");
	/* refused before anything reads past the plugin's array */
	expect_area_failure("fx_absurd", NULL, NULL, "fx_absurd.so': its "
	                    "descriptor is 1073741824 bytes, larger than the ABI");
}

/* ---- processes, output, memory, results ------------------------------ */

/* True if process pid is gone (or a zombie waiting for init). */
static int gone(long pid)
{
	char path[64], *stat;
	int dead;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	stat = slurp(path);
	if (!stat)
		return 1;
	dead = strstr(stat, ") Z ") != NULL || strstr(stat, ") X ") != NULL;
	free(stat);
	return dead;
}

Test(sandbox, a_process_left_behind_neither_fails_the_area_nor_outlives_it)
{
	char keys[700], pidfile[600], *text;
	struct result r;
	long pid;

	make_dir("fork");
	snprintf(pidfile, sizeof pidfile, "%s/helper.pid", dir);
	unlink(pidfile);
	snprintf(keys, sizeof keys, "pidfile = %s", pidfile);
	r = run_env(write_config("fork", "fx_fork", keys, NULL), NULL);
	/* before: "timed out", results dropped, the helper alive */
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "timed out") == NULL, "%s", r.err);
	cr_assert(strstr(r.out, "Värde ") != NULL, "%s", r.out);
	assert_site_reported(&r);
	text = slurp(pidfile);
	cr_assert_not_null(text, "the helper never started");
	pid = strtol(text, NULL, 10);
	cr_assert_gt(pid, 1);
	for (int i = 0; i < 200 && !gone(pid); i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	cr_assert(gone(pid), "helper %ld outlived kpirun", pid);
	free(text);
	/* ended with the area, not when it chose to (kpirun waiting for it) */
	text = slurp(pidfile);
	cr_assert(strstr(text, "finished by itself") == NULL,
	          "kpirun waited for the helper to end");
	free(text);
	result_free(&r);
}

Test(sandbox, a_flood_on_stdout_is_relayed_within_a_bound)
{
	struct result r;
	size_t n;

	make_dir("flood");
	/* 20 480 lines of 1 KiB: 20 MiB */
	r = run_env(write_config("flood", "fx_flood", "count = 20480", NULL),
	            NULL);
	cr_assert_eq(r.status, 0, "%.300s", r.err);
	n = strlen(r.err);
	/* 1 MiB of output, plus "bad: " on each of its 1 024 lines */
	cr_assert_lt(n, (1u << 20) + 1024 * 8 + 1024, "%zu bytes", n);
	cr_assert_gt(n, 1u << 20);
	cr_assert(strstr(r.err, "bad: warning: standard output beyond 1024 KiB "
	                 "dropped") != NULL, "%s", r.err + n - 200);
	assert_site_reported(&r);
	result_free(&r);
}

Test(sandbox, a_memory_hog_is_stopped_by_the_area_limit)
{
#if defined(UNDER_ASAN)
	cr_skip_test("the memory limit is not applied under AddressSanitizer");
#else
	make_dir("hog");
	/* 64 chunks of 64 MiB = 4 GiB against a 256 MiB limit */
	expect_area_failure("fx_hog", "count = 64", "plugin_memory_limit = 256",
	                    "bad: compute failed: out of memory");
#endif
}

Test(sandbox, endless_emits_fail_only_their_area)
{
	make_dir("emits");
	/* 10^7 emits that cannot be merged: more than the wire carries */
	expect_area_failure("fx_emits", "count = 10000000", NULL,
	                    "bad: sent more than 256 MiB of results (killed)");
}

/* Before: 100 000 groups took 77 s and 100 000 static indicators 115 s
 * (quadratic lookups); ctest's timeout for this binary guards it. */
Test(sandbox, a_hundred_thousand_indicators_and_groups)
{
	struct result r;

	make_dir("many");
	r = run_env(write_config("many", "fx_many", "count = 100000", NULL),
	            "FX_MANY_STATIC=100000");
	cr_assert_eq(r.status, 0, "%.500s", r.err);
	/* value: 7 in January, the groups are its breakdown */
	cr_assert(strstr(r.out, "Värde ") != NULL, "%.500s", r.out);
	assert_site_reported(&r);
	result_free(&r);
}

/* The shipped measurements plugin with 30 indicators the config does not
 * reference: before, the result buffer was sized before init declared
 * them (a heap over-read) and the area failed. */
Test(sandbox, measurements_with_thirty_unreferenced_indicators)
{
	char keys[4096] = "file = visitors.csv\nindicators = visitors, value";
	const char *cfg;
	struct result r;
	size_t n = strlen(keys);

	make_dir("thirty");
	for (int i = 0; i < 30; i++)
		n += (size_t)snprintf(keys + n, sizeof keys - n, ", extra%d", i);
	snprintf(keys + n, sizeof keys - n, "\nvisitors.name_sv = Besök");
	cfg = write_config("thirty", "measurements", keys, NULL);
	r = run_env(cfg, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_site_reported(&r);
	result_free(&r);
}

/* ---- the race --------------------------------------------------------- */

/* Swap dir/<a> and dir/<b> through dir/<tmp> until killed. */
static pid_t start_swapper(const char *a, const char *b, const char *tmp)
{
	pid_t pid = fork();

	cr_assert_neq(pid, -1);
	if (pid == 0) {
		/* never outlive the test, even one that fails */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;) {
			rename(a, tmp);
			rename(b, a);
			rename(tmp, b);
		}
	}
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void copy(const char *src, const char *dst)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd, "install -m 0755 '%s' '%s'", src, dst);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* Run kpirun `runs` times on a config whose plugin_dir is `plugins`
 * while something swaps what it points to; the evil file must never be
 * loaded, and every run must be refused (`why` on stderr). */
static void race(const char *plugins, const char *why, int runs)
{
	char keys[800], marker[600], env[700];
	const char *cfg;
	int refused = 0;

	snprintf(marker, sizeof marker, "%s/marker", dir);
	unlink(marker);
	snprintf(env, sizeof env, "FX_MARKER=%s", marker);
	snprintf(keys, sizeof keys, "plugin_dir = %s", plugins);
	cfg = write_config("race", "fx_race", NULL, keys);
	for (int i = 0; i < runs; i++) {
		/* only the plugin_dir has an fx_race.so */
		struct result r = run_env2(cfg, env, "KPI_PLUGIN_PATH="
		                           KPI_PLUGIN_BUILD_DIR);

		cr_assert_eq(access(marker, F_OK), -1,
		             "run %d loaded the swapped-in file", i);
		/* refused (4), or not there at that instant (2) */
		cr_assert(r.status == 4 || r.status == 2, "run %d: status %d: %s",
		          i, r.status, r.err);
		if (r.status == 4)
			refused++;
		cr_assert(r.status == 2 || strstr(r.err, why) != NULL,
		          "run %d: %s", i, r.err);
		result_free(&r);
	}
	cr_assert_gt(refused, runs / 4, "only %d of %d runs found the plugin",
	             refused, runs);
}

Test(sandbox, a_directory_swap_in_a_writable_ancestor_never_loads, .timeout = 120)
{
	char open_dir[600], good[900], evil[700], tmp[700], plugins[700];
	pid_t sw;

	make_dir("race_dir");
	/* dir/open is writable by anyone: whoever can write there can swap
	 * its "plugins" between the good and an evil directory */
	snprintf(open_dir, sizeof open_dir, "%s/open", dir);
	mkdir(open_dir, 0777);
	cr_assert_eq(chmod(open_dir, 0777), 0);
	snprintf(plugins, sizeof plugins, "%s/plugins", open_dir);
	snprintf(evil, sizeof evil, "%s/evil", open_dir);
	snprintf(tmp, sizeof tmp, "%s/tmp", open_dir);
	mkdir(plugins, 0755);
	mkdir(evil, 0755);
	snprintf(good, sizeof good, "%s/fx_race.so", plugins);
	copy(KPI_FIXTURE_DIR "/fx_race.so", good);
	snprintf(good, sizeof good, "%s/fx_race.so", evil);
	copy(KPI_FIXTURE_DIR "/evil/fx_race.so", good);
	sw = start_swapper(plugins, evil, tmp);
	race(plugins, "is writable by group or others", 100);
	stop(sw);
}

Test(sandbox, a_symlink_owned_by_another_user_is_not_followed, .timeout = 120)
{
	char good[700], evil[700], link[700], next[700], so[800];
	pid_t sw;

	if (geteuid() != 0)
		cr_skip_test("needs root to give a symlink to another user");
	make_dir("race_link");
	/* dir/plugins is a symlink owned by uid 4242, who replaces it at
	 * will with one to an evil directory */
	snprintf(good, sizeof good, "%s/good", dir);
	snprintf(evil, sizeof evil, "%s/evil", dir);
	mkdir(good, 0755);
	mkdir(evil, 0755);
	snprintf(so, sizeof so, "%s/fx_race.so", good);
	copy(KPI_FIXTURE_DIR "/fx_race.so", so);
	snprintf(so, sizeof so, "%s/fx_race.so", evil);
	copy(KPI_FIXTURE_DIR "/evil/fx_race.so", so);
	snprintf(link, sizeof link, "%s/plugins", dir);
	snprintf(next, sizeof next, "%s/plugins.next", dir);
	unlink(link);
	cr_assert_eq(symlink("good", link), 0);
	cr_assert_eq(lchown(link, 4242, 4242), 0);
	sw = fork();
	cr_assert_neq(sw, -1);
	if (sw == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (int i = 0;; i++) {
			unlink(next);
			if (symlink(i & 1 ? "good" : "evil", next) == 0 &&
			    lchown(next, 4242, 4242) == 0)
				rename(next, link);
		}
	}
	race(link, "symlink '", 100);
	stop(sw);
}
