/*
 * test_output.c - the built kpirun writing its reports (core/output.c) and
 * reading its command line (core/main.c): several -o in one run, '-', a
 * FIFO, /dev/stdout and /dev/full written in place and never replaced,
 * modes, write faults (a full disk, a read-only directory, a closed pipe)
 * and fatal signals while a report is half written, each leaving the old
 * report and no temp file; getopt_long's short options, '--' and the
 * suggestion for a misspelt option.
 *
 * Each test works in its own directory under /tmp and runs kpirun on
 * tests/data/e2e/small.ini (figures checked by hand in test_e2e.c); a file
 * written by a multi-output run must equal what a run with --format writes
 * to standard output, and is read back by its own reader (python3's json
 * and csv modules, xmllint).
 */
#define _GNU_SOURCE     /* unshare, setgroups */
#include <criterion/criterion.h>
#include <dirent.h>
#include <grp.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define E2E KPI_SOURCE_DIR "/tests/data/e2e"
#define SMALL E2E "/small.ini"
#define PYTHON "/usr/bin/python3"
#define XMLLINT "/usr/bin/xmllint"
#define NOBODY 65534

/* ---- running kpirun ---- */

struct spawn_opts {
	int out_fd;          /* >= 0: kpirun's stdout; else captured */
	int umask;           /* >= 0: kpirun's umask */
	int as_nobody;       /* run as uid/gid 65534 (when we are root) */
	int ignore_hup;      /* start with SIGHUP ignored, as nohup does */
	const char *cwd;     /* NULL: this process's */
	int close_stdout;    /* start with descriptor 1 closed */
};

struct result {
	int status;          /* exit status, or -1 if killed */
	int sig;             /* the signal that killed it, or 0 */
	char *out;
	char *err;
};

static char work[64];        /* this test's directory */
static char out_path[128], err_path[128];

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "cannot open %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc((size_t)n + 1, 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "cannot create %s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* work/name, in one of sixteen static buffers (enough for one call). */
static const char *in_work(const char *name)
{
	static char bufs[16][512];
	static int next;
	char *b = bufs[next++ % 16];
	int n = snprintf(b, sizeof bufs[0], "%s/%s", work, name);

	cr_assert(n > 0 && (size_t)n < sizeof bufs[0], "name too long");
	return b;
}

static void make_work(void)
{
	snprintf(work, sizeof work, "/tmp/kpi_output_XXXXXX");
	cr_assert_not_null(mkdtemp(work));
	chmod(work, 0755);
	snprintf(out_path, sizeof out_path, "%s.out", work);
	snprintf(err_path, sizeof err_path, "%s.err", work);
}

/* Remove work and what is in it (flat; tests make no subdirectories). */
static void remove_work(void)
{
	DIR *d = opendir(work);
	struct dirent *e;

	chmod(work, 0755);
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlink(in_work(e->d_name));
	if (d)
		closedir(d);
	rmdir(work);
	unlink(out_path);
	unlink(err_path);
}

/* The names in work, sorted, space-separated (malloc'd). */
static char *listing(void)
{
	struct dirent **names;
	int n = scandir(work, &names, NULL, alphasort);
	size_t size = 4096, used = 0;
	char *s = calloc(size, 1);

	cr_assert_geq(n, 0);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
		    used < size)
			used += (size_t)snprintf(s + used, size - used, "%s%s",
			                         used ? " " : "", name);
		free(names[i]);
	}
	free(names);
	return s;
}

static pid_t spawn(const struct spawn_opts *so, const char *const *args)
{
	const char *argv[40];
	int n = 0;
	pid_t pid;

	argv[n++] = KPIRUN_BIN;
	while (*args && n < 39)
		argv[n++] = *args++;
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int o = so->out_fd >= 0 ? so->out_fd :
		        open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
		sigset_t none;

		dup2(o, 1);
		dup2(e, 2);
		if (so->close_stdout)
			close(1);
		for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
			signal(sigs[i], SIG_DFL);
		if (so->ignore_hup)
			signal(SIGHUP, SIG_IGN);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* SIGQUIT's default action dumps core: not here */
		setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
		if (so->umask >= 0)
			umask((mode_t)so->umask);
		if (so->cwd && chdir(so->cwd) != 0)
			_exit(125);
		if (so->as_nobody && geteuid() == 0 &&
		    (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
		     setuid(NOBODY) != 0))
			_exit(126);
		setenv("KPI_PLUGIN_PATH", KPI_PLUGIN_BUILD_DIR, 1);
		/* the JUnit timestamp: the same in runs compared byte for byte */
		setenv("SOURCE_DATE_EPOCH", "1314835200", 1);
		alarm(60);   /* kept across exec: no kpirun outlives a test */
		execv(KPIRUN_BIN, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static struct result finish(const struct spawn_opts *so, pid_t pid)
{
	struct result r = { 0 };
	int st;

	cr_assert_eq(waitpid(pid, &st, 0), pid);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r.sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	r.out = so->out_fd >= 0 ? strdup("") : slurp(out_path);
	r.err = slurp(err_path);
	return r;
}

static struct result run_with(const struct spawn_opts *so,
                              const char *const *args)
{
	return finish(so, spawn(so, args));
}

static const struct spawn_opts plain = { .out_fd = -1, .umask = -1 };

#define RUN(...) run_with(&plain, (const char *const[]){ __VA_ARGS__, NULL })
#define RUN_WITH(so, ...) run_with(so, (const char *const[]){ __VA_ARGS__, NULL })

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* Run a checker (NULL-terminated argv); its exit status, output quiet. */
static int check_with(const char *const *argv)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define CHECK(...) check_with((const char *const[]){ __VA_ARGS__, NULL })

/* What `kpirun --format F SMALL` prints (malloc'd). */
static char *single_run(const char *format)
{
	struct result r = RUN("--format", format, SMALL);
	char *out = r.out;

	cr_assert_eq(r.status, 0, "--format %s: %s", format, r.err);
	free(r.err);
	return out;
}

static void assert_file_is(const char *path, const char *want)
{
	char *got = slurp(path);

	cr_assert_str_eq(got, want, "%s", path);
	free(got);
}

/* A test that fails while kpirun waits on a FIFO must not hang CI. */
TestSuite(output, .timeout = 60);

/* ---- several outputs, '-', formats by extension ---- */

Test(output, several_outputs_each_in_the_format_of_its_extension,
     .init = make_work, .fini = remove_work)
{
	static const char *const fmts[][2] = {
		{ "r.txt", "text" }, { "r.md", "markdown" }, { "r.html", "html" },
		{ "r.htm", "html" }, { "r.csv", "csv" }, { "r.json", "json" },
		{ "r.xml", "junit" },
	};
	struct result r = RUN("-o", in_work("r.txt"), "-o", in_work("r.md"),
	                      "--output", in_work("r.html"), "-o",
	                      in_work("r.htm"), "--output=" "/dev/null", "-o",
	                      in_work("r.csv"), "-o", in_work("r.json"), "-o",
	                      in_work("r.xml"), SMALL);
	char *ls;

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "", "nothing goes to stdout when -o is given");
	ls = listing();
	cr_assert_str_eq(ls, "r.csv r.htm r.html r.json r.md r.txt r.xml");
	free(ls);
	for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++) {
		char *want = single_run(fmts[i][1]);

		assert_file_is(in_work(fmts[i][0]), want);
		free(want);
	}
	/* and each read back by a program that reads the format */
	cr_assert_eq(CHECK(PYTHON, "-c", "import json, sys\n"
	                   "def strings(v):\n"
	                   "    if isinstance(v, dict): v = list(v.values())\n"
	                   "    if isinstance(v, list):\n"
	                   "        for x in v: yield from strings(x)\n"
	                   "    elif isinstance(v, str): yield v\n"
	                   "r = json.load(open(sys.argv[1], encoding='utf-8'))\n"
	                   "sys.exit(0 if 'site.satisfaction' in strings(r) "
	                   "else 3)", in_work("r.json")), 0);
	cr_assert_eq(CHECK(XMLLINT, "--noout", in_work("r.xml")), 0);
	cr_assert_eq(CHECK(PYTHON, "-c", "import csv, sys\n"
	                   "text = open(sys.argv[1], encoding='utf-8-sig', "
	                   "newline='').read()\n"
	                   "d = csv.Sniffer().sniff(text[:4096], ',;')\n"
	                   "rows = list(csv.reader(text.splitlines(), d))\n"
	                   "cells = [c for r in rows for c in r]\n"
	                   "sys.exit(0 if 'site.satisfaction' in cells else 3)",
	                   in_work("r.csv")), 0);
	result_free(&r);
}

Test(output, format_option_applies_to_every_output,
     .init = make_work, .fini = remove_work)
{
	struct result r = RUN("-f", "json", "-o", in_work("a.txt"), "-o",
	                      in_work("b.html"), "-o", in_work("noext"), SMALL);
	char *want = single_run("json");

	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_file_is(in_work("a.txt"), want);
	assert_file_is(in_work("b.html"), want);
	assert_file_is(in_work("noext"), want);
	free(want);
	result_free(&r);
}

Test(output, dash_is_standard_output_and_no_extension_is_text,
     .init = make_work, .fini = remove_work)
{
	struct result r = RUN("-o", "-", "-o", in_work("report"), SMALL);
	char *want = slurp(E2E "/small.sv.expected");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, want);
	assert_file_is(in_work("report"), want);
	free(want);
	result_free(&r);
	r = RUN("-o", "-", "-o", "/dev/stdout", SMALL);
	cr_assert_eq(r.status, 5, "%s", r.err);
	cr_assert(strstr(r.err, "kpirun: '-' and '/dev/stdout' are the same "
	                 "output") != NULL, "%s", r.err);
	result_free(&r);
}

/* An xlsx file is a zip archive (its content is read back by LibreOffice
 * and openpyxl in tests/report/test_spreadsheet.py). */
Test(output, xlsx_by_extension_and_by_name, .init = make_work,
     .fini = remove_work)
{
	struct result r = RUN("-o", in_work("r.xlsx"), SMALL);
	char *got;

	cr_assert_eq(r.status, 0, "%s", r.err);
	result_free(&r);
	got = slurp(in_work("r.xlsx"));
	cr_assert(memcmp(got, "PK\x03\x04", 4) == 0, "not a zip archive");
	free(got);
	r = RUN("--format", "xlsx", "-o", in_work("r.out"), SMALL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	result_free(&r);
	got = slurp(in_work("r.out"));
	cr_assert(memcmp(got, "PK\x03\x04", 4) == 0, "not a zip archive");
	free(got);
}

Test(output, unknown_formats_are_usage_errors,
     .init = make_work, .fini = remove_work)
{
	struct result r = RUN("-o", in_work("r.pdf"), SMALL);
	char *ls;

	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "r.pdf': no format is known for its extension "
	                 "(known: .txt, .md") != NULL, "%s", r.err);
	result_free(&r);
	r = RUN("--format", "pdf", SMALL);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--format: 'pdf' is not text, markdown, html, "
	                 "csv, json, junit or xlsx") != NULL, "%s", r.err);
	result_free(&r);
	ls = listing();
	cr_assert_str_eq(ls, "", "a usage error writes nothing");
	free(ls);
}

/* ---- destinations that are not replaced ---- */

Test(output, fifo_is_written_in_place, .init = make_work, .fini = remove_work)
{
	const char *fifo = in_work("pipe");
	struct stat st;
	struct result r;
	char *got, *want;
	pid_t reader;

	cr_assert_eq(mkfifo(fifo, 0644), 0);
	reader = fork();
	cr_assert_neq(reader, -1);
	if (reader == 0) {
		/* a reader that copies what comes through the FIFO */
		char buf[4096];
		int in = open(fifo, O_RDONLY);
		int out = open(in_work("got"), O_WRONLY | O_CREAT | O_TRUNC,
		               0644);
		ssize_t n;

		alarm(60);
		while ((n = read(in, buf, sizeof buf)) > 0)
			if (write(out, buf, (size_t)n) != n)
				_exit(1);
		_exit(n == 0 && close(out) == 0 ? 0 : 1);
	}
	r = RUN("-o", fifo, "-o", in_work("r.json"), SMALL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(waitpid(reader, &(int){ 0 }, 0), reader);
	cr_assert_eq(lstat(fifo, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced");
	got = slurp(in_work("got"));
	want = slurp(E2E "/small.sv.expected");
	cr_assert_str_eq(got, want);
	free(got);
	free(want);
	want = single_run("json");
	assert_file_is(in_work("r.json"), want);
	free(want);
	result_free(&r);
}

Test(output, dev_stdout_is_the_descriptor_not_replaced,
     .init = make_work, .fini = remove_work)
{
	const char *path = in_work("stdout.txt");
	struct spawn_opts so = plain;
	char *got, *want = slurp(E2E "/small.sv.expected"), link[64];
	struct result r;
	struct stat st;
	ssize_t n;

	/* stdout is a regular file opened for appending, as ">>" opens it:
	 * the report goes after what is there, through the descriptor */
	put(path, "before\n");
	so.out_fd = open(path, O_WRONLY | O_APPEND);
	cr_assert_geq(so.out_fd, 0);
	r = RUN_WITH(&so, "-o", "/dev/stdout", SMALL);
	close(so.out_fd);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(lstat("/dev/stdout", &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "/dev/stdout is no longer a link");
	n = readlink("/dev/stdout", link, sizeof link - 1);
	cr_assert_gt(n, 0);
	link[n] = '\0';
	cr_assert_str_eq(link, "/proc/self/fd/1");
	got = slurp(path);
	cr_assert_str_eq(got + strlen("before\n"), want);
	cr_assert_eq(strncmp(got, "before\n", 7), 0);
	free(got);
	result_free(&r);

	/* /proc/self/fd/1 itself and /dev/fd/1: the same descriptor */
	so.out_fd = open(path, O_WRONLY | O_TRUNC);
	r = RUN_WITH(&so, "-o", "/proc/self/fd/1", SMALL);
	close(so.out_fd);
	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_file_is(path, want);
	result_free(&r);
	so.out_fd = open(path, O_WRONLY | O_TRUNC);
	r = RUN_WITH(&so, "--output", "/dev/fd/1", SMALL);
	close(so.out_fd);
	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_file_is(path, want);
	result_free(&r);
	free(want);
}

Test(output, dev_full_exits_5_and_keeps_the_old_report,
     .init = make_work, .fini = remove_work)
{
	struct result r;
	struct stat st;
	char *ls;

	put(in_work("old.html"), "old report\n");
	r = RUN("-o", in_work("old.html"), "-o", "/dev/full", SMALL);
	cr_assert_eq(r.status, 5, "%s", r.err);
	cr_assert(strstr(r.err, "/dev/full: cannot write the report: No space "
	                 "left on device\n") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "kpirun: no report file was replaced\n") != NULL,
	          "%s", r.err);
	assert_file_is(in_work("old.html"), "old report\n");
	ls = listing();
	cr_assert_str_eq(ls, "old.html", "a temp file was left: %s", ls);
	free(ls);
	cr_assert_eq(stat("/dev/full", &st), 0);
	cr_assert(S_ISCHR(st.st_mode), "/dev/full was replaced");
	result_free(&r);
}

/* ---- modes and links ---- */

Test(output, new_file_mode_follows_the_umask,
     .init = make_work, .fini = remove_work)
{
	struct spawn_opts so = plain;
	struct result r;
	struct stat st;

	so.umask = 022;
	r = RUN_WITH(&so, "-o", in_work("a.txt"), SMALL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(stat(in_work("a.txt"), &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0644, "mode %o", st.st_mode & 07777);
	result_free(&r);
	so.umask = 077;
	r = RUN_WITH(&so, "-o", in_work("b.txt"), SMALL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(stat(in_work("b.txt"), &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "mode %o", st.st_mode & 07777);
	result_free(&r);
	so.umask = 0;
	r = RUN_WITH(&so, "-o", in_work("c.txt"), SMALL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(stat(in_work("c.txt"), &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0666, "mode %o", st.st_mode & 07777);
	result_free(&r);
}

Test(output, replaced_file_keeps_its_mode_and_owner,
     .init = make_work, .fini = remove_work)
{
	const char *path = in_work("kept.txt");
	struct spawn_opts so = plain;
	char *want = slurp(E2E "/small.sv.expected");
	struct result r;
	struct stat st;

	put(path, "old report\n");
	cr_assert_eq(chmod(path, 0640), 0);
	if (geteuid() == 0)
		cr_assert_eq(chown(path, NOBODY, NOBODY), 0);
	so.umask = 077;     /* the umask is for new files only */
	r = RUN_WITH(&so, "-o", path, SMALL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_file_is(path, want);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0640, "mode %o", st.st_mode & 07777);
	if (geteuid() == 0)
		cr_assert(st.st_uid == NOBODY && st.st_gid == NOBODY,
		          "owner %d:%d", (int)st.st_uid, (int)st.st_gid);
	free(want);
	result_free(&r);
}

Test(output, symlink_stays_and_the_file_it_names_is_replaced,
     .init = make_work, .fini = remove_work)
{
	char *want = slurp(E2E "/small.sv.expected");
	struct result r;
	struct stat st;
	char *ls;

	put(in_work("real.txt"), "old report\n");
	cr_assert_eq(symlink("real.txt", in_work("link.txt")), 0);
	cr_assert_eq(symlink("new.txt", in_work("dangling.txt")), 0);
	r = RUN("-o", in_work("link.txt"), "-o", in_work("dangling.txt"),
	        SMALL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(lstat(in_work("link.txt"), &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the link was replaced");
	cr_assert_eq(lstat(in_work("dangling.txt"), &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the dangling link was replaced");
	assert_file_is(in_work("real.txt"), want);
	assert_file_is(in_work("new.txt"), want);
	ls = listing();
	cr_assert_str_eq(ls, "dangling.txt link.txt new.txt real.txt");
	free(ls);
	free(want);
	result_free(&r);
	/* a link and its target named together are one output */
	r = RUN("-o", in_work("real.txt"), "-o", in_work("link.txt"), SMALL);
	cr_assert_eq(r.status, 5);
	cr_assert(strstr(r.err, "real.txt' and '") != NULL, "%s", r.err);
	result_free(&r);
}

/* A name too long for ".NAME.XXXXXX" within NAME_MAX (255) still gets
 * its temp file beside it, under a short name. */
Test(output, longest_file_name_is_written, .init = make_work,
     .fini = remove_work)
{
	char name[256], *want = slurp(E2E "/small.sv.expected"), *ls;
	struct result r;

	memset(name, 'a', 251);
	memcpy(name + 251, ".txt", 5);   /* 255 bytes and the NUL */
	r = RUN("-o", in_work(name), SMALL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_file_is(in_work(name), want);
	ls = listing();
	cr_assert_str_eq(ls, name);
	free(ls);
	free(want);
	result_free(&r);
}

Test(output, bad_destinations_exit_5_before_any_work,
     .init = make_work, .fini = remove_work)
{
	struct result r = RUN("-o", work, SMALL);

	cr_assert_eq(r.status, 5);
	cr_assert(strstr(r.err, ": cannot write the report: Is a directory") !=
	          NULL, "%s", r.err);
	result_free(&r);
	r = RUN("-o", in_work("no/such/dir/r.txt"), SMALL);
	cr_assert_eq(r.status, 5);
	cr_assert(strstr(r.err, "r.txt: cannot create the report in '") != NULL,
	          "%s", r.err);
	cr_assert(strstr(r.err, "No such file or directory") != NULL, "%s",
	          r.err);
	result_free(&r);
	r = RUN("-o", in_work("r.txt"), "-o", in_work("./r.txt"), SMALL);
	cr_assert_eq(r.status, 5);
	cr_assert(strstr(r.err, "are the same output") != NULL, "%s", r.err);
	result_free(&r);
	/* a file and the descriptor open on it ("-o r.txt -o - >r.txt") */
	{
		struct spawn_opts so = plain;

		put(in_work("r.txt"), "old report\n");
		so.out_fd = open(in_work("r.txt"), O_WRONLY | O_APPEND);
		r = RUN_WITH(&so, "-o", in_work("r.txt"), "-o", "-", SMALL);
		close(so.out_fd);
		cr_assert_eq(r.status, 5);
		cr_assert(strstr(r.err, "r.txt' and '-' are the same output") !=
		          NULL, "%s", r.err);
		assert_file_is(in_work("r.txt"), "old report\n");
		result_free(&r);
		/* a device may be named twice: /dev/null as stdout and as -o */
		so.out_fd = open("/dev/null", O_WRONLY);
		r = RUN_WITH(&so, "-o", "/dev/null", "-o", "-", SMALL);
		close(so.out_fd);
		cr_assert_eq(r.status, 0, "%s", r.err);
		result_free(&r);
	}
	/* --check writes nothing, so its outputs are not looked at */
	r = RUN("--check", "-o", work, SMALL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	result_free(&r);
}

/* ---- write faults: a full file system, a read-only one, no permission,
 * a closed pipe ---- */

/* A private mount namespace for this test's worker, so a tmpfs mounted on
 * work is seen only here and goes with the worker; skipped where mounting
 * is not allowed. */
static void mount_tmpfs_on_work(const char *options)
{
	if (unshare(CLONE_NEWNS) != 0)
		cr_skip_test("cannot make a mount namespace (%s): the full and "
		             "read-only file system cases need CAP_SYS_ADMIN",
		             strerror(errno));
	cr_assert_eq(mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL), 0,
	             "%s", strerror(errno));
	if (mount("kpitest", work, "tmpfs", 0, options) != 0)
		cr_skip_test("cannot mount a tmpfs (%s)", strerror(errno));
}

static void unmount_work(void)
{
	umount2(work, MNT_DETACH);
	remove_work();
}

Test(output, full_file_system_exits_5_and_keeps_the_old_report,
     .init = make_work, .fini = unmount_work)
{
	static char block[4096];
	struct result r;
	char *ls;
	FILE *f;

	mount_tmpfs_on_work("size=64k,mode=0755");
	put(in_work("old.json"), "old report\n");
	/* fill what is left */
	f = fopen(in_work("filler"), "w");
	cr_assert_not_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	while (fwrite(block, 1, sizeof block, f) == sizeof block)
		;
	cr_assert_eq(errno, ENOSPC);
	fclose(f);
	r = RUN("-o", in_work("old.json"), SMALL);
	cr_assert_eq(r.status, 5, "%s", r.err);
	cr_assert(strstr(r.err, "old.json: cannot write the report: No space "
	                 "left on device") != NULL, "%s", r.err);
	assert_file_is(in_work("old.json"), "old report\n");
	ls = listing();
	cr_assert_str_eq(ls, "filler old.json", "a temp file was left: %s", ls);
	free(ls);
	result_free(&r);
}

Test(output, read_only_file_system_exits_5_and_keeps_the_old_report,
     .init = make_work, .fini = unmount_work)
{
	struct result r;
	char *ls;

	mount_tmpfs_on_work("size=1m,mode=0755");
	put(in_work("old.md"), "old report\n");
	cr_assert_eq(mount(NULL, work, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0,
	             "%s", strerror(errno));
	r = RUN("-o", in_work("old.md"), SMALL);
	cr_assert_eq(r.status, 5, "%s", r.err);
	cr_assert(strstr(r.err, "old.md: cannot create the report: Read-only "
	                 "file system") != NULL, "%s", r.err);
	assert_file_is(in_work("old.md"), "old report\n");
	ls = listing();
	cr_assert_str_eq(ls, "old.md");
	free(ls);
	result_free(&r);
}

/* A directory kpirun may not write to.  Root may write anywhere, so as
 * root kpirun runs as nobody (the config and plugins are world-readable). */
Test(output, unwritable_directory_exits_5_and_keeps_the_old_report,
     .init = make_work, .fini = remove_work)
{
	struct spawn_opts so = plain;
	struct result r;
	char *ls;

	put(in_work("old.csv"), "old report\n");
	cr_assert_eq(chmod(work, 0555), 0);
	so.as_nobody = 1;
	r = RUN_WITH(&so, "-o", in_work("old.csv"), SMALL);
	cr_assert_neq(r.status, 126, "could not become nobody");
	cr_assert_eq(r.status, 5, "%s", r.err);
	cr_assert(strstr(r.err, "old.csv: cannot create the report: Permission "
	                 "denied") != NULL, "%s", r.err);
	assert_file_is(in_work("old.csv"), "old report\n");
	ls = listing();
	cr_assert_str_eq(ls, "old.csv");
	free(ls);
	result_free(&r);
}

/* A reader that went away before kpirun wrote: EPIPE is a write error,
 * exit 5 with a message, not death by SIGPIPE. */
Test(output, closed_pipe_exits_5_not_by_sigpipe,
     .init = make_work, .fini = remove_work)
{
	struct spawn_opts so = plain;
	struct result r;
	int p[2];

	cr_assert_eq(pipe(p), 0);
	close(p[0]);
	so.out_fd = p[1];
	put(in_work("old.txt"), "old report\n");
	r = RUN_WITH(&so, "-o", in_work("old.txt"), "-o", "-", SMALL);
	close(p[1]);
	cr_assert_eq(r.sig, 0, "killed by signal %d", r.sig);
	cr_assert_eq(r.status, 5, "%s", r.err);
	cr_assert(strstr(r.err, "kpirun: cannot write the report to standard "
	                 "output: Broken pipe\n") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "kpirun: no report file was replaced\n") != NULL,
	          "%s", r.err);
	assert_file_is(in_work("old.txt"), "old report\n");
	result_free(&r);
}

/* A closed standard output: "-" fails with EBADF, and a file written
 * meanwhile cannot land on descriptor 1 by accident. */
Test(output, closed_stdout_exits_5_and_files_still_work,
     .init = make_work, .fini = remove_work)
{
	struct spawn_opts so = plain;
	char *want = slurp(E2E "/small.sv.expected");
	struct result r;

	so.close_stdout = 1;
	r = RUN_WITH(&so, SMALL);
	cr_assert_eq(r.status, 5, "%s", r.err);
	cr_assert(strstr(r.err, "kpirun: cannot write the report to standard "
	                 "output: Bad file descriptor\n") != NULL, "%s", r.err);
	result_free(&r);
	r = RUN_WITH(&so, "-o", in_work("r.txt"), SMALL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_file_is(in_work("r.txt"), want);
	free(want);
	result_free(&r);
}

/* The other things kpirun prints check their writes too. */
Test(output, help_version_and_plugin_list_to_a_full_disk_exit_5,
     .init = make_work, .fini = remove_work)
{
	static const char *const args[][2] = {
		{ "--help", "kpirun: cannot write the help to standard output: "
		            "No space left on device\n" },
		{ "-V", "kpirun: cannot write the version to standard output: "
		        "No space left on device\n" },
		{ "--list-plugins", "kpirun: cannot write the plugin list: No "
		                    "space left on device\n" },
	};
	struct spawn_opts so = plain;

	so.out_fd = open("/dev/full", O_WRONLY);
	cr_assert_geq(so.out_fd, 0);
	for (size_t i = 0; i < sizeof args / sizeof *args; i++) {
		struct result r = RUN_WITH(&so, args[i][0]);

		cr_assert_eq(r.status, 5, "%s: %d %s", args[i][0], r.status,
		             r.err);
		cr_assert(strstr(r.err, args[i][1]) != NULL, "%s", r.err);
		result_free(&r);
	}
	close(so.out_fd);
}

/* ---- fatal signals while the report is being written ---- */

/* Wait until kpirun (pid) sits in open() of a FIFO nobody reads, with the
 * temp file of `report` written beside it: the kernel shows the wait as
 * "wait_for_partner" in /proc/PID/wchan; where wchan is hidden, the temp
 * file having appeared plus a moment must do. */
static void wait_blocked_on_fifo(pid_t pid, const char *report)
{
	char wchan_path[64], wchan[64] = "", prefix[128];
	int seen_tmp = 0;

	snprintf(wchan_path, sizeof wchan_path, "/proc/%d/wchan", (int)pid);
	snprintf(prefix, sizeof prefix, ".%s.", report);
	for (int i = 0; i < 2000; i++) {
		FILE *f = fopen(wchan_path, "r");
		char *ls = listing();
		DIR *d = opendir(work);
		struct dirent *e;

		if (f) {
			if (!fgets(wchan, sizeof wchan, f))
				wchan[0] = '\0';
			fclose(f);
		}
		while (d && (e = readdir(d)))
			seen_tmp |= strncmp(e->d_name, prefix, strlen(prefix)) == 0;
		if (d)
			closedir(d);
		free(ls);
		if (seen_tmp && strcmp(wchan, "wait_for_partner") == 0)
			return;
		if (seen_tmp && (wchan[0] == '\0' || strcmp(wchan, "0") == 0)) {
			nanosleep(&(struct timespec){ .tv_nsec = 200000000 }, NULL);
			return;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
	}
	cr_assert_fail("kpirun never blocked on the FIFO (wchan '%s', temp "
	               "file %s)", wchan, seen_tmp ? "seen" : "not seen");
}

/* For each format and each fatal signal: the old report is kept and the
 * temp file holding the new one is removed. */
Test(output, fatal_signal_while_writing_leaves_the_old_report,
     .init = make_work, .fini = remove_work)
{
	static const char *const exts[] = { "txt", "md", "html", "csv", "json",
	                                    "xml" };
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

	cr_assert_eq(mkfifo(in_work("nobody-reads"), 0644), 0);
	for (size_t e = 0; e < sizeof exts / sizeof *exts; e++)
		for (size_t s = 0; s < sizeof sigs / sizeof *sigs; s++) {
			char report[32], want[64], *ls;
			struct result r;
			pid_t pid;

			snprintf(report, sizeof report, "old.%s", exts[e]);
			put(in_work(report), "old report\n");
			pid = spawn(&plain, (const char *const[]){
				"-o", in_work(report), "-o",
				in_work("nobody-reads"), SMALL, NULL });
			wait_blocked_on_fifo(pid, report);
			cr_assert_eq(kill(pid, sigs[s]), 0);
			r = finish(&plain, pid);
			cr_assert_eq(r.sig, sigs[s], "%s, signal %d: status %d, "
			             "signal %d: %s", report, sigs[s], r.status,
			             r.sig, r.err);
			assert_file_is(in_work(report), "old report\n");
			ls = listing();
			snprintf(want, sizeof want, "nobody-reads %s", report);
			cr_assert_str_eq(ls, want, "%s, signal %d: a temp file "
			                 "was left", report, sigs[s]);
			free(ls);
			unlink(in_work(report));
			result_free(&r);
		}
}

/* nohup: a SIGHUP that was ignored when kpirun started stays ignored, and
 * the run completes once the FIFO's reader comes. */
Test(output, ignored_sighup_stays_ignored, .init = make_work,
     .fini = remove_work)
{
	struct spawn_opts so = plain;
	char buf[4096];
	struct result r;
	pid_t pid;
	int fd;

	so.ignore_hup = 1;
	cr_assert_eq(mkfifo(in_work("fifo"), 0644), 0);
	pid = spawn(&so, (const char *const[]){ "-o", in_work("r.txt"), "-o",
	                                        in_work("fifo"), SMALL, NULL });
	wait_blocked_on_fifo(pid, "r.txt");
	cr_assert_eq(kill(pid, SIGHUP), 0);
	fd = open(in_work("fifo"), O_RDONLY);
	cr_assert_geq(fd, 0);
	while (read(fd, buf, sizeof buf) > 0)
		;
	close(fd);
	r = finish(&so, pid);
	cr_assert_eq(r.sig, 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	result_free(&r);
}

/* ---- the command line ---- */

TestSuite(cmdline, .init = make_work, .fini = remove_work, .timeout = 60);

static void expect_usage(const char *const *args, const char *message)
{
	struct result r = run_with(&plain, args);

	cr_assert_eq(r.status, 2, "status %d for \"%s\": %s", r.status,
	             message, r.err);
	cr_assert(strstr(r.err, message) != NULL, "expected \"%s\" in \"%s\"",
	          message, r.err);
	cr_assert(strstr(r.err, "try 'kpirun --help'") != NULL, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	result_free(&r);
}

#define USAGE(msg, ...) expect_usage((const char *const[]){ __VA_ARGS__, NULL }, msg)

Test(cmdline, short_long_and_attached_forms_agree)
{
	const char *const *forms[] = {
		(const char *const[]){ "-l", "en", "-p", "T1", SMALL, NULL },
		(const char *const[]){ "--lang=en", "--period=T1", SMALL, NULL },
		(const char *const[]){ "--lang", "en", "--period", "T1", SMALL,
		                       NULL },
		(const char *const[]){ "-len", "-pT1", SMALL, NULL },
		/* GNU order: options may follow the config */
		(const char *const[]){ SMALL, "-l", "en", "--per", "T1", NULL },
	};
	struct result first = run_with(&plain, forms[0]);

	cr_assert_eq(first.status, 0, "%s", first.err);
	cr_assert(strstr(first.out, "Test committee – Four-month report 2, "
	                 "2011\nPeriod: T1 2011\n") != NULL, "%s", first.out);
	for (size_t i = 1; i < sizeof forms / sizeof *forms; i++) {
		struct result r = run_with(&plain, forms[i]);

		cr_assert_eq(r.status, 0, "form %zu: %s", i, r.err);
		cr_assert_str_eq(r.out, first.out, "form %zu", i);
		result_free(&r);
	}
	result_free(&first);
}

Test(cmdline, double_dash_ends_the_options)
{
	struct spawn_opts so = plain;
	char *ini = slurp(SMALL), *at = strstr(ini, "data_dir = data\n");
	struct result r;
	FILE *f;

	/* a config whose name starts with '-', its data named absolutely */
	cr_assert_not_null(at);
	f = fopen(in_work("-odd.ini"), "w");
	cr_assert_not_null(f);
	fprintf(f, "%.*sdata_dir = %s/data\n%s", (int)(at - ini), ini, E2E,
	        at + strlen("data_dir = data\n"));
	cr_assert_eq(fclose(f), 0);
	free(ini);
	so.cwd = work;
	r = RUN_WITH(&so, "--lang", "en", "--", "-odd.ini");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "Period: T2 2011\n") != NULL, "%s", r.out);
	result_free(&r);
	/* without "--" it is -o with the value "dd.ini", and no config */
	r = RUN_WITH(&so, "-odd.ini");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "kpirun: no config given") != NULL, "%s", r.err);
	result_free(&r);
	/* after "--" an option is an operand */
	r = RUN_WITH(&so, "--", "-odd.ini", "--lang");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "more than one config given ('--lang')") != NULL,
	          "%s", r.err);
	result_free(&r);
}

Test(cmdline, misspelt_options_get_a_suggestion)
{
	USAGE("kpirun: unknown option '--perod' (did you mean '--period'?)\n",
	      "--perod", "T1", SMALL);
	USAGE("kpirun: unknown option '--fromat' (did you mean '--format'?)\n",
	      "--fromat=json", SMALL);
	USAGE("kpirun: unknown option '--keepgoing' (did you mean "
	      "'--keep-going'?)\n", "--keepgoing", SMALL);
	USAGE("kpirun: unknown option '--frobnicate'\n", "--frobnicate", SMALL);
	USAGE("kpirun: option '--l' is ambiguous; it could be '--lang' or "
	      "'--list-plugins'\n", "--l", "en", SMALL);
	USAGE("kpirun: unknown option '-x'\n", "-x", SMALL);
	USAGE("kpirun: unknown option '-x'\n", "-vx", SMALL);
}

Test(cmdline, values_missing_or_unwanted)
{
	USAGE("kpirun: option '--period' needs a value\n", SMALL, "--period");
	USAGE("kpirun: option '-p' needs a value\n", SMALL, "-p");
	USAGE("kpirun: option '--output' needs a value\n", SMALL, "--output");
	USAGE("kpirun: option '--output' needs a file name ('-' for standard "
	      "output)\n", "-o", "", SMALL);
	USAGE("kpirun: option '--period' needs a value\n", "--period=", SMALL);
	USAGE("kpirun: option '--check' takes no value\n", "--check=yes", SMALL);
	USAGE("kpirun: --lang: 'de' is not sv or en\n", "-l", "de", SMALL);
	USAGE("kpirun: --fail-on: 'always' is not never, not-met or partial\n",
	      "--fail-on", "always", SMALL);
	USAGE("kpirun: more than one config given ('b.ini')\n", "a.ini",
	      "b.ini");
}

Test(cmdline, help_names_the_plugin_search_path)
{
	struct result r = RUN("--help"), s = RUN("-h");

	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "$KPI_PLUGIN_PATH") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, KPI_TEST_DEFAULT_DIR "\n") != NULL,
	          "the installed plugin directory " KPI_TEST_DEFAULT_DIR
	          " is not named: %s", r.out);
	cr_assert(strstr(r.out, "  -o, --output FILE") != NULL, "%s", r.out);
	cr_assert_str_eq(s.out, r.out);
	result_free(&r);
	result_free(&s);
	r = RUN("-V");
	s = RUN("--version");
	cr_assert_eq(r.status, 0);
	cr_assert(strncmp(r.out, "kpirun ", 7) == 0, "%s", r.out);
	cr_assert_str_eq(s.out, r.out);
	result_free(&r);
	result_free(&s);
}

/* ---- an output that is an input of the run ---- */

Test(output, the_config_is_never_an_output, .init = make_work,
     .fini = remove_work)
{
	char *conf = slurp(SMALL), *text, *after;
	struct result r;

	/* a copy of small.ini: refused as soon as it is read */
	text = strdup(conf);
	cr_assert_not_null(text);
	put(in_work("conf.ini"), text);
	r = RUN("--format", "text", "-o", in_work("conf.ini"),
	        in_work("conf.ini"));
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "refusing to write the report over the config")
	          != NULL, "%s", r.err);
	after = slurp(in_work("conf.ini"));
	cr_assert_str_eq(after, text, "the config was changed");
	free(after);
	free(text);
	free(conf);
	result_free(&r);
}

Test(output, no_report_inside_data_dir, .init = make_work,
     .fini = remove_work)
{
	char path[512];
	struct result r;

	/* small.ini reads tests/data/e2e/data */
	snprintf(path, sizeof path, "%s/tests/data/e2e/data/report.txt",
	         KPI_SOURCE_DIR);
	r = RUN("-o", path, SMALL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "refusing to write the report inside data_dir")
	          != NULL, "%s", r.err);
	cr_assert_eq(access(path, F_OK), -1, "a report was written: %s", path);
	result_free(&r);
}
