/*
 * output.c - writing rendered reports to their destinations: standard
 * output and descriptor links, devices and FIFOs in place, regular files
 * through a temp file renamed into place; the temp files are registered so
 * that a fatal signal removes them (rules in output.h).
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "diag.h"
#include "kpi/plugin.h"

/* Symlinks followed before giving up, as the kernel does (ELOOP). */
#define OUTPUT_MAX_SYMLINKS 40
/* The temp file is ".<name>.XXXXXX" beside its target; a name too long for
 * that uses this one instead. */
#define OUTPUT_TMP_SHORT ".kpirun.XXXXXX"

struct dest {
	const char *name;     /* as given (borrowed) */
	int kind;             /* enum kpi_output_kind */
	int fd;               /* KPI_OUTPUT_FD */
	char *dir;            /* KPI_OUTPUT_FILE: canonical directory */
	char *path;           /* KPI_OUTPUT_FILE: dir + "/" + name replaced */
	int exists;           /* the destination exists (dev, ino valid) */
	int regular;          /* ... and is a regular file */
	dev_t dev;
	ino_t ino;
	char *tmp;            /* KPI_OUTPUT_FILE while staged */
	int written;          /* in place / fd: written; file: renamed */
};

struct kpi_output_set {
	struct dest *d;
	size_t n;
};

/* ---- the temp-file registry, read by the signal handler ----
 * Changed only while the fatal signals are blocked, so the handler always
 * sees a complete list; volatile so it reads what is in memory. */
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static char *volatile *volatile tmp_list;
static volatile size_t tmp_count;
static size_t tmp_cap;

static void on_fatal_signal(int sig)
{
	for (size_t i = 0; i < tmp_count; i++)
		if (tmp_list[i])
			unlink(tmp_list[i]);
	/* SA_RESETHAND restored the default action; the signal is blocked
	 * while we run and ends the process as soon as we return */
	raise(sig);
}

static void block_fatal(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void unblock_fatal(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* Hold 0, 1 and 2 open (output.h says why). */
static void hold_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* the lowest free number, so fd itself, the lower ones being
		 * open by now; dup2 only if that ever changes */
		nfd = open("/dev/null", fd == STDOUT_FILENO ? O_RDONLY : O_RDWR);
		if (nfd >= 0 && nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

void kpi_output_init(void)
{
	struct sigaction sa, old;

	hold_std_fds();

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
		sigaddset(&sa.sa_mask, fatal_signals[i]);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++) {
		/* nohup and background jobs ignore some of these: keep that */
		if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(fatal_signals[i], &sa, NULL);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}

/* Create the temp file d->tmp (a mkstemp template) and register it, with
 * the fatal signals blocked so that it never exists unregistered.  Returns
 * the descriptor, or -1 with errno set. */
static int tmp_create(struct dest *d)
{
	sigset_t old;
	int fd = -1, err = 0;

	block_fatal(&old);
	if (tmp_count == tmp_cap) {
		size_t cap = tmp_cap ? 2 * tmp_cap : 8;
		char **list = realloc((char **)tmp_list, cap * sizeof *list);

		if (!list) {
			err = ENOMEM;
			goto out_unblock;
		}
		tmp_list = (char *volatile *)list;
		tmp_cap = cap;
	}
	fd = mkstemp(d->tmp);
	if (fd < 0) {
		err = errno;
		goto out_unblock;
	}
	tmp_list[tmp_count] = d->tmp;
	tmp_count = tmp_count + 1;
out_unblock:
	unblock_fatal(&old);
	errno = err;
	return fd;
}

/* Rename (target non-NULL) or remove the registered temp file of d and
 * take it off the registry, signals blocked.  Returns 0 or -1 with errno
 * set (the temp file stays registered if the rename failed). */
static int tmp_finish(struct dest *d, const char *target)
{
	sigset_t old;
	int rc, err;

	block_fatal(&old);
	rc = target ? rename(d->tmp, target) : unlink(d->tmp);
	err = errno;
	if (rc == 0 || !target)
		for (size_t i = 0; i < tmp_count; i++)
			if (tmp_list[i] == d->tmp)
				tmp_list[i] = NULL;
	unblock_fatal(&old);
	if (rc == 0 || !target) {
		free(d->tmp);
		d->tmp = NULL;
	}
	errno = err;
	return rc;
}

/* ---- resolving a destination ---- */

static char *str_dup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* The directory part of path ("." if none, "/" for "/x"); malloc'd. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return str_dup(".", 1);
	if (slash == path)
		return str_dup("/", 1);
	return str_dup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Where the symlink `link` points, made absolute against its directory if
 * relative; malloc'd, or NULL with errno set. */
static char *follow_link(const char *link)
{
	char *target = NULL, *dir, *joined;
	size_t size = 256, n;
	ssize_t got;

	for (;;) {
		char *t = realloc(target, size);

		if (!t) {
			free(target);
			return NULL;
		}
		target = t;
		got = readlink(link, target, size);
		if (got < 0) {
			free(target);
			return NULL;
		}
		if ((size_t)got < size)
			break;
		size *= 2;
	}
	target[got] = '\0';
	if (target[0] == '/')
		return target;
	dir = dir_of(link);
	if (!dir) {
		free(target);
		return NULL;
	}
	n = strlen(dir) + 1 + (size_t)got + 1;
	joined = malloc(n);
	if (joined)
		snprintf(joined, n, "%s/%s", dir, target);
	free(dir);
	free(target);
	return joined;
}

/* Is the symlink `link` one of /proc's descriptor links?  1 if it is one
 * of this process's own (/proc/self/fd/N, also reached as /dev/fd/N or
 * through /dev/stdout), with *fd set to N; 2 for another link in /proc
 * (opened in place); 0 for an ordinary symlink. */
static int proc_link(const char *link, int *fd)
{
	struct statfs fs;
	struct stat dst, self;
	const char *base = base_of(link), *p;
	char *dir = dir_of(link), *end;
	long n;
	int rc = 0;

	if (!dir)
		return 0;
	if (statfs(dir, &fs) != 0 || fs.f_type != PROC_SUPER_MAGIC)
		goto out_free;
	rc = 2;
	for (p = base; *p >= '0' && *p <= '9'; p++)
		;
	if (p == base || *p != '\0' || stat(dir, &dst) != 0 ||
	    stat("/proc/self/fd", &self) != 0 || dst.st_dev != self.st_dev ||
	    dst.st_ino != self.st_ino)
		goto out_free;
	errno = 0;
	n = strtol(base, &end, 10);
	if (errno == 0 && *end == '\0' && n >= 0 && n <= INT_MAX) {
		*fd = (int)n;
		rc = 1;
	}
out_free:
	free(dir);
	return rc;
}

static int resolve_error(const struct dest *d, const char *what, int err)
{
	if (err == ENOMEM) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		return KPI_ENOMEM;
	}
	kpi_diag(KPI_LOG_ERROR, NULL, d->name, 0, 0, "%s: %s", what,
	         strerror(err));
	return KPI_EIO;
}

/* A regular file or a new name: keep the canonical directory and the name
 * in it, so the temp file goes beside the file that is replaced. */
static int resolve_file(struct dest *d, const char *cur)
{
	char *dir = dir_of(cur), *canon;
	const char *base = base_of(cur);
	size_t n;

	if (!dir)
		return resolve_error(d, "", ENOMEM);
	canon = realpath(dir, NULL);
	if (!canon) {
		int err = errno;

		kpi_diag(KPI_LOG_ERROR, NULL, d->name, 0, 0,
		         "cannot create the report in '%s': %s", dir,
		         strerror(err));
		free(dir);
		return err == ENOMEM ? KPI_ENOMEM : KPI_EIO;
	}
	free(dir);
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		free(canon);
		return resolve_error(d, "cannot write the report", EISDIR);
	}
	n = strlen(canon) + 1 + strlen(base) + 1;
	d->path = malloc(n);
	if (!d->path) {
		free(canon);
		return resolve_error(d, "", ENOMEM);
	}
	snprintf(d->path, n, "%s/%s", strcmp(canon, "/") == 0 ? "" : canon,
	         base);
	d->dir = canon;
	d->kind = KPI_OUTPUT_FILE;
	return 0;
}

/* A descriptor destination: what it is open on, to tell whether another
 * destination is the same file. */
static int resolve_fd(struct dest *d, int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return resolve_error(d, "cannot write the report", errno);
	d->kind = KPI_OUTPUT_FD;
	d->fd = fd;
	d->exists = 1;
	d->regular = S_ISREG(st.st_mode);
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	return 0;
}

/* Decide what d->name is: follow its symlinks one by one, stopping at a
 * /proc descriptor link (written to, never replaced) or at what the chain
 * ends in. */
static int resolve(struct dest *d)
{
	struct stat st;
	char *cur;
	int rc;

	if (strcmp(d->name, "-") == 0)
		return resolve_fd(d, STDOUT_FILENO);
	cur = str_dup(d->name, strlen(d->name));
	if (!cur)
		return resolve_error(d, "", ENOMEM);
	for (int hops = 0;; hops++) {
		char *next;
		int fd = -1;

		if (lstat(cur, &st) != 0) {
			if (errno != ENOENT) {
				rc = resolve_error(d, "cannot write the report",
				                   errno);
				goto out_free;
			}
			rc = resolve_file(d, cur);   /* a new file */
			goto out_free;
		}
		if (!S_ISLNK(st.st_mode))
			break;
		switch (proc_link(cur, &fd)) {
		case 1:
			rc = resolve_fd(d, fd);
			goto out_free;
		case 2:
			if (stat(cur, &st) != 0) {
				rc = resolve_error(d, "cannot write the report",
				                   errno);
				goto out_free;
			}
			d->kind = KPI_OUTPUT_IN_PLACE;
			goto out_exists;
		}
		if (hops == OUTPUT_MAX_SYMLINKS) {
			rc = resolve_error(d, "cannot write the report", ELOOP);
			goto out_free;
		}
		next = follow_link(cur);
		if (!next) {
			rc = resolve_error(d, "cannot write the report", errno);
			goto out_free;
		}
		free(cur);
		cur = next;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = resolve_error(d, "cannot write the report", EISDIR);
		goto out_free;
	}
	if (S_ISREG(st.st_mode)) {
		rc = resolve_file(d, cur);
		if (rc != 0)
			goto out_free;
	} else {
		d->kind = KPI_OUTPUT_IN_PLACE;
	}
out_exists:
	d->exists = 1;
	d->regular = S_ISREG(st.st_mode);
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	rc = 0;
out_free:
	free(cur);
	return rc;
}

/* Two destinations naming one file would overwrite each other: one
 * descriptor twice, one regular file twice (also a file and a descriptor
 * open on it: "-o r.txt >r.txt"), or one new name twice.  Devices and FIFOs
 * may be named twice (a terminal as stdout and as /dev/tty). */
static int same_dest(const struct dest *a, const struct dest *b)
{
	if (a->kind == KPI_OUTPUT_FD && b->kind == KPI_OUTPUT_FD &&
	    a->fd == b->fd)
		return 1;
	if (a->regular && b->regular)
		return a->dev == b->dev && a->ino == b->ino;
	return a->kind == KPI_OUTPUT_FILE && b->kind == KPI_OUTPUT_FILE &&
	       strcmp(a->path, b->path) == 0;
}

int kpi_output_set_new(const char *const *dests, size_t n,
                       struct kpi_output_set **out)
{
	struct kpi_output_set *s;

	*out = NULL;
	s = calloc(1, sizeof *s);
	if (!s || !(s->d = calloc(n ? n : 1, sizeof *s->d))) {
		free(s);
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		return KPI_ENOMEM;
	}
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		int rc;

		s->d[i].name = dests[i];
		rc = resolve(&s->d[i]);
		for (size_t k = 0; rc == 0 && k < i; k++)
			if (same_dest(&s->d[k], &s->d[i])) {
				kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
				         "'%s' and '%s' are the same output",
				         s->d[k].name, s->d[i].name);
				rc = KPI_EIO;
			}
		if (rc != 0) {
			kpi_output_set_free(s);
			return rc;
		}
	}
	*out = s;
	return 0;
}

/* ---- writing ---- */

/* write(2) until all of buf is written.  Returns 0 or -1 with errno. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync fd if it is a regular file (pipes and devices have nothing to
 * flush).  Returns 0 or -1 with errno. */
static int sync_if_file(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -1;
	return S_ISREG(st.st_mode) ? fsync(fd) : 0;
}

static int write_error(const struct dest *d, const char *what, int err)
{
	if (d->kind == KPI_OUTPUT_FD && d->fd == STDOUT_FILENO &&
	    strcmp(d->name, "-") == 0)
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "%s to standard output: %s", what, strerror(err));
	else
		kpi_diag(KPI_LOG_ERROR, NULL, d->name, 0, 0, "%s: %s", what,
		         strerror(err));
	return KPI_EIO;
}

/* The mode the umask gives a new file: 0666 & ~umask. */
static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

/* Write buf whole to a new temp file beside d->path, with the mode (and,
 * where allowed, the owner) of the file it replaces, synced and closed. */
static int stage_file(struct dest *d, const char *buf, size_t len)
{
	const char *base = base_of(d->path);
	struct stat st;
	mode_t mode;
	size_t n;
	int fd, old;

	n = strlen(d->dir) + 2 + strlen(base) + sizeof ".XXXXXX";
	d->tmp = malloc(n);
	if (!d->tmp) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
		return KPI_ENOMEM;
	}
	if (strlen(base) + sizeof "..XXXXXX" - 1 <= NAME_MAX)
		snprintf(d->tmp, n, "%s/.%s.XXXXXX", d->dir, base);
	else
		snprintf(d->tmp, n, "%s/" OUTPUT_TMP_SHORT, d->dir);
	/* the file as it is now, not as it was when resolved */
	old = stat(d->path, &st) == 0 && S_ISREG(st.st_mode);
	mode = old ? st.st_mode & 07777 : new_file_mode();
	fd = tmp_create(d);
	if (fd < 0) {
		int err = errno;

		free(d->tmp);
		d->tmp = NULL;
		if (err == ENOMEM)
			return kpi_diag_nomem();
		return write_error(d, "cannot create the report", err);
	}
	if (old && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
	    fchown(fd, st.st_uid, st.st_gid) != 0)
		mode &= 0777;   /* no set-id bits for a file we could not give back */
	if (fchmod(fd, mode) != 0 || write_all(fd, buf, len) != 0 ||
	    fsync(fd) != 0) {
		int err = errno;

		close(fd);
		tmp_finish(d, NULL);
		return write_error(d, "cannot write the report", err);
	}
	if (close(fd) != 0) {
		int err = errno;

		tmp_finish(d, NULL);
		return write_error(d, "cannot write the report", err);
	}
	return 0;
}

/* Write buf to a destination that is not replaced: a descriptor, or the
 * device, FIFO or socket the name is (a FIFO waits for its reader). */
static int write_in_place(struct dest *d, const char *buf, size_t len)
{
	int fd = d->fd;

	if (d->kind == KPI_OUTPUT_IN_PLACE) {
		fd = open(d->name, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			return write_error(d, "cannot open the report", errno);
	} else if (fd == STDOUT_FILENO && fflush(stdout) != 0) {
		return write_error(d, "cannot write the report", errno);
	}
	if (write_all(fd, buf, len) != 0 || sync_if_file(fd) != 0) {
		int err = errno;

		if (d->kind == KPI_OUTPUT_IN_PLACE)
			close(fd);
		return write_error(d, "cannot write the report", err);
	}
	if (d->kind == KPI_OUTPUT_IN_PLACE && close(fd) != 0)
		return write_error(d, "cannot write the report", errno);
	d->written = 1;
	return 0;
}

/* After a failure: say what the user is left with. */
static void tell_what_was_kept(const struct kpi_output_set *s)
{
	size_t files = 0, replaced = 0;

	if (s->n < 2)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (s->d[i].kind == KPI_OUTPUT_FILE) {
			files++;
			replaced += (size_t)s->d[i].written;
		}
	if (files > 0 && replaced == 0)
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "no report file was replaced");
	for (size_t i = 0; i < s->n; i++)
		if (s->d[i].written)
			kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
			         "'%s' was written before the failure",
			         s->d[i].name);
}

/* fsync a directory after a rename in it, so the new name is on disk.
 * Some file systems cannot (EINVAL): then there is nothing more to do. */
static void sync_dir(const struct dest *d)
{
	int fd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
		kpi_diag(KPI_LOG_WARN, NULL, d->name, 0, 0,
		         "written, but its directory could not be synced: %s",
		         strerror(errno));
	close(fd);
}

int kpi_output_set_write(struct kpi_output_set *s, const char *const *bufs,
                         const size_t *lens)
{
	return kpi_output_set_write_hook(s, bufs, lens, NULL, NULL);
}

int kpi_output_set_write_hook(struct kpi_output_set *s,
                              const char *const *bufs, const size_t *lens,
                              int (*before_replace)(void *), void *arg)
{
	int rc = 0;

	/* 1: every regular file to its temp file */
	for (size_t i = 0; i < s->n && rc == 0; i++)
		if (s->d[i].kind == KPI_OUTPUT_FILE)
			rc = stage_file(&s->d[i], bufs[i], lens[i]);
	/* 2: the streams, in the order given */
	for (size_t i = 0; i < s->n && rc == 0; i++)
		if (s->d[i].kind != KPI_OUTPUT_FILE)
			rc = write_in_place(&s->d[i], bufs[i], lens[i]);
	/* the caller's last step that may still fail (the history's commit) */
	if (rc == 0 && before_replace)
		rc = before_replace(arg);
	/* 3: replace the files */
	for (size_t i = 0; i < s->n && rc == 0; i++) {
		struct dest *d = &s->d[i];

		if (d->kind != KPI_OUTPUT_FILE)
			continue;
		if (tmp_finish(d, d->path) != 0) {
			rc = write_error(d, "cannot replace the report", errno);
			break;
		}
		d->written = 1;
		sync_dir(d);
	}
	if (rc != 0) {
		for (size_t i = 0; i < s->n; i++)
			if (s->d[i].tmp)
				tmp_finish(&s->d[i], NULL);
		tell_what_was_kept(s);
	}
	return rc;
}

void kpi_output_set_free(struct kpi_output_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		if (s->d[i].tmp)
			tmp_finish(&s->d[i], NULL);
		free(s->d[i].dir);
		free(s->d[i].path);
	}
	free(s->d);
	free(s);
}
