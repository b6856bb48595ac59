/*
 * loader.c - finding, checking and loading area plugins: the directory
 * search list, <name>.so resolution, the file and descriptor checks made
 * before a plugin is trusted, and the --list-plugins listing.
 */
#define _GNU_SOURCE         /* O_PATH */
#include "loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "hash.h"

#ifndef KPI_PLUGIN_DEFAULT_DIR
#define KPI_PLUGIN_DEFAULT_DIR "/usr/local/lib/kpirun/plugins"
#endif

#define PLUGIN_SUFFIX ".so"
#define PLUGIN_SUFFIX_LEN (sizeof(PLUGIN_SUFFIX) - 1)

/* The smallest descriptor we can read the ABI version from, and the size
 * of the ABI 1.0 descriptor: every 1.x plugin's is at least that. */
#define DESC_VERSION_SIZE \
	(offsetof(struct kpi_plugin, abi_minor) + sizeof(unsigned))
#define DESC_V1_0_SIZE \
	(offsetof(struct kpi_plugin, shutdown) + sizeof(void (*)(void *)))
/* The ABI 1.0 indicator definition. */
#define IND_V1_0_SIZE \
	(offsetof(struct kpi_indicator_def, decimals) + sizeof(int))

/* True if descriptor d is large enough to hold member m.  Members of the
 * ABI 1.0 descriptor are always present (checked on load); a member
 * appended in a later minor must be read only where DESC_HAS says so. */
#define DESC_HAS(d, m) \
	((d)->size >= offsetof(struct kpi_plugin, m) + sizeof((d)->m))

/* The most static indicators a descriptor may list (a count beyond it
 * is a broken descriptor, not a big area). */
#define KPI_LOADER_MAX_INDICATORS (1 << 20)

/* Appended to a dlopen() failure; the format takes the path. */
#define LOAD_HINT "(hint: check its dependencies with 'ldd %s', " \
	"and that it was linked with -Wl,-z,defs)"

/* ---- small helpers ---------------------------------------------------- */

/* True if s is a non-empty string of [a-z0-9_]. */
static bool is_plain_name(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	}
	return true;
}

static bool is_nonempty(const char *s)
{
	return s && *s;
}

/* "a" + "/" + "b" in a new malloc'd string (no doubled slash), or NULL
 * when out of memory. */
static char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	bool slash = la > 0 && a[la - 1] != '/';
	char *s = malloc(la + slash + lb + 1);

	if (!s)
		return NULL;
	memcpy(s, a, la);
	if (slash)
		s[la] = '/';
	memcpy(s + la + slash, b, lb + 1);
	return s;
}

/* dir/name.so in a new malloc'd string, or NULL when out of memory. */
static char *plugin_file(const char *dir, const char *name)
{
	size_t ln = strlen(name);
	char *file = malloc(ln + PLUGIN_SUFFIX_LEN + 1);
	char *path;

	if (!file)
		return NULL;
	memcpy(file, name, ln);
	memcpy(file + ln, PLUGIN_SUFFIX, PLUGIN_SUFFIX_LEN + 1);
	path = path_join(dir, file);
	free(file);
	return path;
}

/* Remove trailing slashes in place, keeping a lone "/". */
static void strip_slashes(char *s)
{
	size_t n = strlen(s);

	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
}

/* The current directory as a malloc'd string.  NULL with errno set on
 * failure. */
static char *cwd_dup(void)
{
	size_t cap = 256;

	for (;;) {
		char *buf = malloc(cap);

		if (!buf)
			return NULL;
		if (getcwd(buf, cap))
			return buf;
		free(buf);
		if (errno != ERANGE)
			return NULL;
		cap *= 2;
	}
}

/* A new string with the printf-formatted text, or NULL when out of
 * memory. */
static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	int len;
	char *s;

	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0)
		return NULL;
	s = malloc((size_t)len + 1);
	if (s)
		vsnprintf(s, (size_t)len + 1, fmt, ap);
	return s;
}

/* Store a formatted refusal reason in *why (malloc'd, NULL when out of
 * memory; the caller frees it) and return KPI_EPLUGIN. */
static int refuse(char **why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int refuse(char **why, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	free(*why);
	*why = s;
	return KPI_EPLUGIN;
}

static int out_of_memory(void)
{
	kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
	return KPI_ENOMEM;
}

/* ---- the directory list ----------------------------------------------- */

struct dirlist {
	char **v;
	size_t n, cap;
};

/* Append s to the list, taking ownership.  0, or KPI_ENOMEM with s
 * freed. */
static int list_push(struct dirlist *d, char *s)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		char **v = realloc(d->v, cap * sizeof(*v));

		if (!v) {
			free(s);
			return KPI_ENOMEM;
		}
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = s;
	return 0;
}

/* Append dir (taking ownership) without its trailing slashes, unless an
 * equal entry is already there, in which case dir is freed.  0 or
 * KPI_ENOMEM (dir freed). */
static int dirs_push(struct dirlist *d, char *dir)
{
	size_t i;

	strip_slashes(dir);
	for (i = 0; i < d->n; i++) {
		if (strcmp(d->v[i], dir) == 0) {
			free(dir);
			return 0;
		}
	}
	return list_push(d, dir);
}

/* Make dir absolute: an absolute dir is copied as given; a relative one is
 * joined to base (itself made absolute against the cwd; NULL = the cwd)
 * and canonicalised with realpath() if it exists.  On success *out is
 * malloc'd.  KPI_ENOMEM, or KPI_EIO if the cwd cannot be read (printed). */
static int make_absolute(const char *dir, const char *base, char **out)
{
	char *cwd = NULL, *root, *joined, *real;

	*out = NULL;
	if (dir[0] == '/') {
		*out = strdup(dir);
		return *out ? 0 : KPI_ENOMEM;
	}
	if (base && base[0] == '/') {
		root = strdup(base);
	} else {
		cwd = cwd_dup();
		if (!cwd && errno != ENOMEM) {
			kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
			         "cannot read the current directory: %s",
			         strerror(errno));
			return KPI_EIO;
		}
		root = cwd && base ? path_join(cwd, base) : cwd;
		if (root != cwd)
			free(cwd);
	}
	if (!root)
		return KPI_ENOMEM;
	joined = path_join(root, dir);
	free(root);
	if (!joined)
		return KPI_ENOMEM;
	real = realpath(joined, NULL);
	if (real) {
		free(joined);
		*out = real;
	} else {
		*out = joined;
	}
	return 0;
}

/* Add dir, made absolute against base, to the list.  0 or an error code
 * (printed). */
static int dirs_add(struct dirlist *d, const char *dir, const char *base)
{
	char *abs;
	int rc = make_absolute(dir, base, &abs);

	if (rc == 0)
		rc = dirs_push(d, abs);
	if (rc == KPI_ENOMEM)
		return out_of_memory();
	return rc;
}

/* Add each non-empty entry of a colon-separated list, relative ones made
 * absolute against the cwd. */
static int dirs_add_pathlist(struct dirlist *d, const char *list)
{
	const char *p = list;

	while (*p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > 0) {
			char *entry = strndup(p, len);
			int rc;

			if (!entry)
				return out_of_memory();
			rc = dirs_add(d, entry, NULL);
			free(entry);
			if (rc)
				return rc;
		}
		p += len;
		if (*p == ':')
			p++;
	}
	return 0;
}

/* The search list (see loader.h): config_dir made absolute against
 * base_dir, each non-empty entry of $KPI_PLUGIN_PATH made absolute against
 * the cwd, then the install default; trailing slashes dropped, a
 * directory named twice kept at its first place.  *out and its strings
 * are the caller's (kpi_loader_dirs_free).  0, KPI_ENOMEM or KPI_EIO
 * (printed). */
int kpi_loader_dirs(const char *config_dir, const char *base_dir,
                    char ***out, size_t *n)
{
	struct dirlist d = { NULL, 0, 0 };
	const char *env = getenv("KPI_PLUGIN_PATH");
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (config_dir && *config_dir)
		rc = dirs_add(&d, config_dir, base_dir);
	if (rc == 0 && env)
		rc = dirs_add_pathlist(&d, env);
	if (rc == 0)
		rc = dirs_add(&d, KPI_PLUGIN_DEFAULT_DIR, NULL);
	if (rc) {
		kpi_loader_dirs_free(d.v, d.n);
		return rc;
	}
	*out = d.v;
	*n = d.n;
	return 0;
}

/* Free a list from kpi_loader_dirs (NULL is fine). */
void kpi_loader_dirs_free(char **dirs, size_t n)
{
	size_t i;

	if (!dirs)
		return;
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
}

/* ---- resolving a name ------------------------------------------------- */

/* "a, b, c" for the not-found message; malloc'd, NULL when out of memory. */
static char *join_dirs(char *const *dirs, size_t n)
{
	size_t i, len = 1;
	char *s, *p;

	for (i = 0; i < n; i++)
		len += strlen(dirs[i]) + 2;
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	*p = '\0';
	for (i = 0; i < n; i++) {
		size_t l = strlen(dirs[i]);

		if (i > 0) {
			memcpy(p, ", ", 2);
			p += 2;
		}
		memcpy(p, dirs[i], l + 1);
		p += l;
	}
	return s;
}

/* The first dirs[i]/name.so that exists (anything lstat sees: the checks
 * are kpi_loader_open's).  *path is the caller's.  0, KPI_ECONFIG for a
 * name not of the form [a-z0-9_]+, KPI_ENOTFOUND or KPI_ENOMEM; every
 * failure is printed. */
int kpi_loader_resolve(char *const *dirs, size_t n, const char *name,
                       char **path)
{
	struct stat st;
	char *searched;
	size_t i;

	*path = NULL;
	if (!is_plain_name(name)) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "invalid plugin name '%s': expected [a-z0-9_]+",
		         name ? name : "");
		return KPI_ECONFIG;
	}
	for (i = 0; i < n; i++) {
		char *p = plugin_file(dirs[i], name);

		if (!p)
			return out_of_memory();
		/* lstat: a symlink counts as found, so that kpi_loader_open
		 * refuses it rather than a later directory silently winning. */
		if (lstat(p, &st) == 0) {
			*path = p;
			return 0;
		}
		free(p);
	}
	searched = join_dirs(dirs, n);
	if (!searched)
		return out_of_memory();
	kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
	         "plugin '%s' not found (searched: %s)", name,
	         n ? searched : "no directories");
	free(searched);
	return KPI_ENOTFOUND;
}

/* ---- checking and opening --------------------------------------------- */

static bool owner_ok(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* The most symlinks followed while walking one plugin path. */
#define SAFE_MAX_LINKS 40

/* Refuse `what` (a directory, symlink or file on the way to path) unless
 * it is owned by root or us and, for anything but a symlink, not writable
 * by group or others.  With sticky_ok a directory writable by others but
 * sticky (/tmp) passes: in it nobody but an entry's owner can rename,
 * remove or replace the entry, and the entry the walk steps into must be
 * owned by root or us itself.  The plugin's own directory never gets
 * that exception (safe_open). */
static int check_component(const char *path, const char *what,
                           const struct stat *st, int sticky_ok, char **why)
{
	const char *kind = S_ISLNK(st->st_mode) ? "symlink" :
	                   S_ISDIR(st->st_mode) ? "directory" : "file";

	if (strcmp(path, what) == 0) {
		if (st->st_mode & (S_IWGRP | S_IWOTH))
			return refuse(why, "refusing '%s': writable by group or "
			              "others", path);
		if (!owner_ok(st->st_uid))
			return refuse(why, "refusing '%s': owned by uid %ld, "
			              "neither root nor the current user", path,
			              (long)st->st_uid);
		return 0;
	}
	if (!S_ISLNK(st->st_mode) && (st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    !(sticky_ok && S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
		return refuse(why, "refusing '%s': %s '%s' is writable by group "
		              "or others", path, kind, what);
	if (!owner_ok(st->st_uid))
		return refuse(why, "refusing '%s': %s '%s' is owned by uid %ld, "
		              "neither root nor the current user", path, kind,
		              what, (long)st->st_uid);
	return 0;
}

/* "cannot load PATH: [WHAT: ]ERROR" for a failed step of the walk. */
static int refuse_errno(char **why, const char *path, const char *what)
{
	const char *err = strerror(errno);

	if (strcmp(path, what) == 0)
		return refuse(why, "cannot load '%s': %s", path, err);
	return refuse(why, "cannot load '%s': %s: %s", path, what, err);
}

/* The path walked so far plus "/" and comp, for messages (malloc'd). */
static char *walked_join(const char *walked, const char *comp)
{
	return path_join(*walked ? walked : "/", comp);
}

/* Open `path` (absolute) for loading, checking it the way OpenSSH's
 * safe_path does, but on open descriptors so that nothing can change
 * between the check and the use: from "/" each component is opened with
 * O_NOFOLLOW relative to the directory before it and checked with fstat;
 * every directory must be owned by root or us and not writable by group
 * or others (so nobody else can rename or replace what it holds); a
 * symlink on the way is followed only if owned by root or us, its target
 * walked the same way; the file itself must be a regular file, not a
 * symlink, under the same rules.  On success *fd is open O_RDONLY on
 * exactly the file that was checked.  0, KPI_EPLUGIN with *why set, or
 * KPI_ENOMEM. */
static int safe_open(const char *path, int *fd, char **why)
{
	char *todo = strdup(path), *walked = strdup("");
	int dirfd = -1, links = 0, rc = 0, sticky_dir = 0;
	struct stat st;

	*fd = -1;
	if (!todo || !walked) {
		rc = KPI_ENOMEM;
		goto out;
	}
restart:
	if (dirfd >= 0)
		close(dirfd);
	walked[0] = '\0';
	dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || fstat(dirfd, &st) != 0) {
		rc = refuse(why, "cannot load '%s': /: %s", path, strerror(errno));
		goto out;
	}
	sticky_dir = 0;
	if ((rc = check_component(path, "/", &st, 1, why)) != 0)
		goto out;
	for (char *p = todo;;) {
		char *comp, *next, *what, *rest;
		int last, nfd;
		struct stat lst;

		while (*p == '/')
			p++;
		if (!*p) {
			rc = refuse(why, "refusing '%s': not a file", path);
			goto out;
		}
		comp = p;
		next = strchr(p, '/');
		if (next)
			*next++ = '\0';
		rest = next ? next : p + strlen(p);
		while (*rest == '/')
			rest++;
		last = *rest == '\0';
		if (strcmp(comp, ".") == 0 && !last) {
			p = rest;
			continue;
		}
		what = walked_join(walked, comp);
		if (!what) {
			rc = KPI_ENOMEM;
			goto out;
		}
		if (fstatat(dirfd, comp, &lst, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = refuse_errno(why, path, what);
			free(what);
			goto out;
		}
		if (S_ISLNK(lst.st_mode)) {
			char target[4096], *joined;
			ssize_t n;

			if (last) {
				free(what);
				rc = refuse(why, "refusing symlink '%s'", path);
				goto out;
			}
			if ((rc = check_component(path, what, &lst, 0, why)) != 0 ||
			    ++links > SAFE_MAX_LINKS) {
				if (!rc)
					rc = refuse(why, "refusing '%s': too many "
					            "symlinks", path);
				free(what);
				goto out;
			}
			n = readlinkat(dirfd, comp, target, sizeof target - 1);
			free(what);
			if (n <= 0 || (size_t)n >= sizeof target - 1) {
				rc = refuse(why, "cannot load '%s': unreadable "
				            "symlink", path);
				goto out;
			}
			target[n] = '\0';
			joined = path_join(target, rest);
			if (!joined) {
				rc = KPI_ENOMEM;
				goto out;
			}
			free(todo);
			todo = joined;
			if (target[0] == '/')
				goto restart;
			p = todo;
			continue;
		}
		/* O_NONBLOCK: a FIFO put in the plugin's place must not
		 * block the open; it is refused below */
		nfd = openat(dirfd, comp, (last ? O_RDONLY | O_NONBLOCK :
		                           O_PATH | O_DIRECTORY) |
		                          O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 || fstat(nfd, &st) != 0) {
			rc = refuse_errno(why, path, what);
			if (nfd >= 0)
				close(nfd);
			free(what);
			goto out;
		}
		if (last && !S_ISREG(st.st_mode))
			rc = refuse(why, "refusing '%s': not a regular file", path);
		else if (last && sticky_dir)
			/* where the plugin lies, only its owner may write */
			rc = refuse(why, "refusing '%s': directory '%s' is "
			            "writable by group or others", path,
			            *walked ? walked : "/");
		else
			rc = check_component(path, what, &st, !last, why);
		if (!last)
			sticky_dir = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
		free(what);
		if (rc) {
			close(nfd);
			goto out;
		}
		close(dirfd);
		dirfd = -1;
		if (last) {
			*fd = nfd;
			goto out;
		}
		dirfd = nfd;
		{
			char *w = walked_join(walked, comp);

			if (!w) {
				rc = KPI_ENOMEM;
				goto out;
			}
			free(walked);
			walked = w;
		}
		p = rest;
	}
out:
	if (dirfd >= 0)
		close(dirfd);
	free(todo);
	free(walked);
	return rc;
}

/* Check the name before anything is opened: absolute, <name>.so.  0 or
 * KPI_EPLUGIN with *why set. */
static int check_name(const char *path, char **why)
{
	size_t len = strlen(path);

	if (path[0] != '/')
		return refuse(why, "refusing '%s': not an absolute path", path);
	if (len <= PLUGIN_SUFFIX_LEN ||
	    strcmp(path + len - PLUGIN_SUFFIX_LEN, PLUGIN_SUFFIX) != 0)
		return refuse(why, "refusing '%s': a plugin file is named "
		              "<name>" PLUGIN_SUFFIX, path);
	return 0;
}

/* Indicator i of the descriptor's static array.  The array is stepped by
 * the plugin's own sizeof(struct kpi_indicator_def), taken from the first
 * element's size, so that a plugin built against an older minor (smaller
 * struct) is read correctly by a newer host. */
const struct kpi_indicator_def *
kpi_loader_indicator(const struct kpi_plugin *d, size_t i)
{
	size_t stride = d->indicators[0].size;

	return (const struct kpi_indicator_def *)(const void *)
		((const char *)d->indicators + i * stride);
}

static const char *aggregation_name(int agg)
{
	switch (agg) {
	case KPI_AGG_SUM: return "sum";
	case KPI_AGG_RATIO: return "ratio";
	case KPI_AGG_LAST: return "last";
	case KPI_AGG_ROLLING12: return "rolling12";
	default: return "?";
	}
}

static const char *direction_name(int dir)
{
	switch (dir) {
	case KPI_DIR_NONE: return "none";
	case KPI_DIR_HIGHER: return "higher";
	case KPI_DIR_LOWER: return "lower";
	default: return "?";
	}
}

/* Validate the static indicators.  0 or KPI_EPLUGIN with *why set. */
static int check_indicators_in(const char *path, const struct kpi_plugin *d,
                               char **why, struct kpi_hash *seenp)
{
#define seen (*seenp)
	size_t i, j, stride;

	if (d->n_indicators == 0)
		return 0;
	if (!d->indicators)
		return refuse(why, "plugin '%s': n_indicators is %zu but "
		              "indicators is NULL", path, d->n_indicators);
	stride = d->indicators[0].size;
	if (stride < IND_V1_0_SIZE ||
	    stride % _Alignof(struct kpi_indicator_def) != 0)
		return refuse(why, "plugin '%s': indicators[0]: size %zu is "
		              "not a valid sizeof(struct kpi_indicator_def) "
		              "(ABI 1.0: %zu)", path, stride,
		              (size_t)IND_V1_0_SIZE);
	for (i = 0; i < d->n_indicators; i++) {
		const struct kpi_indicator_def *def = kpi_loader_indicator(d, i);

		if (def->size != stride)
			return refuse(why, "plugin '%s': indicators[%zu]: size "
			              "%zu differs from indicators[0]'s %zu",
			              path, i, def->size, stride);
		if (!is_plain_name(def->id))
			return refuse(why, "plugin '%s': indicators[%zu]: id "
			              "'%s' is not of the form [a-z0-9_]+",
			              path, i, def->id ? def->id : "");
		if (def->aggregation < KPI_AGG_SUM ||
		    def->aggregation > KPI_AGG_ROLLING12)
			return refuse(why, "plugin '%s': indicator '%s': "
			              "aggregation %d is not one of 1..4 "
			              "(sum, ratio, last, rolling12)", path,
			              def->id, def->aggregation);
		if (def->direction < KPI_DIR_NONE ||
		    def->direction > KPI_DIR_LOWER)
			return refuse(why, "plugin '%s': indicator '%s': "
			              "direction %d is not one of 0..2 "
			              "(none, higher, lower)", path, def->id,
			              def->direction);
		if (!def->name_sv || !def->name_en)
			return refuse(why, "plugin '%s': indicator '%s': %s is "
			              "NULL", path, def->id,
			              def->name_sv ? "name_en" : "name_sv");
		if (!def->unit)
			return refuse(why, "plugin '%s': indicator '%s': unit "
			              "is NULL (use \"\" for none)", path,
			              def->id);
		if (kpi_hash_get(&seen, def->id, &j))
			return refuse(why, "plugin '%s': indicator '%s' is "
			              "declared twice", path, def->id);
		if (kpi_hash_put(&seen, def->id, i) != 0)
			return KPI_ENOMEM;
	}
	return 0;
#undef seen
}

/* Validate the static indicators: each well-formed, no id twice (an
 * index keeps that linear).  0, KPI_EPLUGIN with *why set, or
 * KPI_ENOMEM. */
static int check_indicators(const char *path, const struct kpi_plugin *d,
                            char **why)
{
	struct kpi_hash seen = { NULL, 0, 0 };
	int rc = check_indicators_in(path, d, why, &seen);

	kpi_hash_clear(&seen);
	return rc;
}

/* Validate a descriptor returned by the entry point of `path`, never
 * reading past its size.  0 or KPI_EPLUGIN with *why set. */
static int check_desc(const char *path, const struct kpi_plugin *d,
                      const char *expect_name, char **why)
{
	const char *base = strrchr(path, '/') + 1;
	size_t base_len = strlen(base) - PLUGIN_SUFFIX_LEN;

	if (!d)
		return refuse(why, "'%s' is not a kpirun plugin: %s() "
		              "returned NULL", path, KPI_PLUGIN_ENTRY_SYMBOL);
	if (d->size < DESC_VERSION_SIZE)
		return refuse(why, "'%s' is not a kpirun plugin: its "
		              "descriptor is %zu bytes, too small to hold an "
		              "ABI version", path, d->size);
	if (d->abi_major != KPI_ABI_MAJOR)
		return refuse(why, "plugin '%s' was built for ABI %u.%u, this "
		              "kpirun has ABI %d.%d; rebuild it against "
		              "kpi/plugin.h %d.%d", path, d->abi_major,
		              d->abi_minor, KPI_ABI_MAJOR, KPI_ABI_MINOR,
		              KPI_ABI_MAJOR, KPI_ABI_MINOR);
	if (d->abi_minor > KPI_ABI_MINOR)
		return refuse(why, "plugin '%s' was built for ABI %u.%u, this "
		              "kpirun has ABI %d.%d (newer minor): upgrade "
		              "kpirun or rebuild the plugin", path,
		              d->abi_major, d->abi_minor, KPI_ABI_MAJOR,
		              KPI_ABI_MINOR);
	if (d->size < DESC_V1_0_SIZE)
		return refuse(why, "plugin '%s': its descriptor is %zu bytes, "
		              "smaller than the ABI 1.0 descriptor (%zu bytes)",
		              path, d->size, (size_t)DESC_V1_0_SIZE);
	/* built for our minor or an older one: never bigger than ours */
	if (d->size > sizeof(struct kpi_plugin))
		return refuse(why, "plugin '%s': its descriptor is %zu bytes, "
		              "larger than the ABI %d.%d descriptor (%zu bytes)",
		              path, d->size, KPI_ABI_MAJOR, KPI_ABI_MINOR,
		              sizeof(struct kpi_plugin));
	if (d->n_indicators > KPI_LOADER_MAX_INDICATORS)
		return refuse(why, "plugin '%s': n_indicators is %zu, more than "
		              "the %d static indicators a plugin may declare",
		              path, d->n_indicators, KPI_LOADER_MAX_INDICATORS);
	/* From here on every ABI 1.0 member is within d->size. */
	if (!is_nonempty(d->name))
		return refuse(why, "plugin '%s': mandatory field 'name' is "
		              "missing or empty", path);
	if (!is_nonempty(d->version))
		return refuse(why, "plugin '%s': mandatory field 'version' is "
		              "missing or empty", path);
	if (!is_nonempty(d->license))
		return refuse(why, "plugin '%s': mandatory field 'license' is "
		              "missing or empty", path);
	if (expect_name && strcmp(d->name, expect_name) != 0)
		return refuse(why, "plugin '%s' is named '%s', expected '%s'",
		              path, d->name, expect_name);
	if (strlen(d->name) != base_len ||
	    strncmp(d->name, base, base_len) != 0)
		return refuse(why, "plugin '%s' is named '%s': a plugin's name "
		              "must equal its file name without " PLUGIN_SUFFIX,
		              path, d->name);
	if (!d->init)
		return refuse(why, "plugin '%s': mandatory function 'init' is "
		              "NULL", path);
	if (!d->compute)
		return refuse(why, "plugin '%s': mandatory function 'compute' "
		              "is NULL", path);
	return check_indicators(path, d, why);
}

/* kpi_loader_open without printing: on refusal returns KPI_EPLUGIN and
 * sets *why (malloc'd, may be NULL when out of memory) for the caller to
 * print or list; KPI_ENOMEM when out of memory. */
static int lib_open(const char *path, const char *expect_name,
                    struct kpi_lib **out, char **why)
{
	union {
		void *obj;
		const struct kpi_plugin *(*fn)(void);
	} entry;
	const struct kpi_plugin *desc;
	struct kpi_lib *lib;
	char by_fd[64];
	void *handle;
	const char *err;
	int rc, fd;

	*out = NULL;
	rc = check_name(path, why);
	if (rc == 0)
		rc = safe_open(path, &fd, why);
	if (rc)
		return rc;

	/* Loaded from the descriptor that was checked, so what was checked
	 * is what is loaded, whatever happens to the path meanwhile. */
	snprintf(by_fd, sizeof by_fd, "/proc/self/fd/%d", fd);
	dlerror();
	handle = dlopen(by_fd, RTLD_NOW | RTLD_LOCAL);
	close(fd);
	if (!handle) {
		size_t lb = strlen(by_fd);

		err = dlerror();
		/* the message names the descriptor's path: name the file */
		if (err && strncmp(err, by_fd, lb) == 0 && err[lb] == ':')
			err += lb + (err[lb + 1] == ' ' ? 2 : 1);
		return refuse(why, "cannot load '%s': %s " LOAD_HINT, path,
		              err ? err : "unknown error", path);
	}

	dlerror();
	entry.obj = dlsym(handle, KPI_PLUGIN_ENTRY_SYMBOL);
	if (!entry.obj) {
		rc = refuse(why, "'%s' is not a kpirun plugin: no symbol '%s'",
		            path, KPI_PLUGIN_ENTRY_SYMBOL);
		goto out_close;
	}
	desc = entry.fn();
	rc = check_desc(path, desc, expect_name, why);
	if (rc)
		goto out_close;

	lib = malloc(sizeof(*lib));
	if (!lib) {
		rc = KPI_ENOMEM;
		goto out_close;
	}
	lib->path = strdup(path);
	if (!lib->path) {
		free(lib);
		rc = KPI_ENOMEM;
		goto out_close;
	}
	lib->handle = handle;
	lib->desc = desc;
	*out = lib;
	return 0;

out_close:
	dlclose(handle);
	return rc;
}

/* Check, load and validate the plugin at path (see loader.h).  On
 * success *out is the caller's (kpi_loader_close); on failure *out is
 * NULL, the reason is printed, nothing stays loaded, and the result is
 * KPI_EPLUGIN (KPI_ENOMEM when out of memory). */
int kpi_loader_open(const char *path, const char *expect_name,
                    struct kpi_lib **out)
{
	char *why = NULL;
	int rc = lib_open(path, expect_name, out, &why);

	if (rc == KPI_ENOMEM || (rc && !why)) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "cannot load '%s': out of memory", path);
		rc = KPI_ENOMEM;
	} else if (rc) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "%s", why);
	}
	free(why);
	return rc;
}

/* Unload a plugin and free lib (NULL is fine).  The caller must have
 * called desc->shutdown for every successful init before closing: after
 * dlclose the plugin's code and its descriptor are gone, and anything it
 * registered (atexit handlers, threads) would call into unmapped memory. */
void kpi_loader_close(struct kpi_lib *lib)
{
	if (!lib)
		return;
	dlclose(lib->handle);
	free(lib->path);
	free(lib);
}

/* ---- --list-plugins --------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.so names in dir, sorted, as a malloc'd array of malloc'd strings.
 * Returns 0, 1 with errno set if the directory cannot be read, or
 * KPI_ENOMEM. */
static int scan_dir(const char *dir, char ***names, size_t *n)
{
	DIR *dh = opendir(dir);
	struct dirent *de;
	struct dirlist d = { NULL, 0, 0 };

	*names = NULL;
	*n = 0;
	if (!dh)
		return 1;
	while ((de = readdir(dh)) != NULL) {
		size_t len = strlen(de->d_name);
		char *copy;

		if (de->d_name[0] == '.' || len <= PLUGIN_SUFFIX_LEN ||
		    strcmp(de->d_name + len - PLUGIN_SUFFIX_LEN,
		           PLUGIN_SUFFIX) != 0)
			continue;
		copy = strdup(de->d_name);
		if (!copy || list_push(&d, copy)) {
			closedir(dh);
			kpi_loader_dirs_free(d.v, d.n);
			return KPI_ENOMEM;
		}
	}
	closedir(dh);
	if (d.n > 1)
		qsort(d.v, d.n, sizeof(*d.v), cmp_names);
	*names = d.v;
	*n = d.n;
	return 0;
}

/* The first of dirs[0..upto) holding `file`, or NULL. */
static const char *shadowing_dir(char *const *dirs, size_t upto,
                                 const char *file)
{
	struct stat st;
	size_t i;

	for (i = 0; i < upto; i++) {
		char *p = path_join(dirs[i], file);
		bool found = p && lstat(p, &st) == 0;

		free(p);
		if (found)
			return dirs[i];
	}
	return NULL;
}

/* "ratio x100" (the kind and its scale, if any) into buf; its length. */
static size_t format_aggregation(const struct kpi_indicator_def *def,
                                 char *buf, size_t size)
{
	int len;

	if (def->scale != 0 && def->scale != 1)
		len = snprintf(buf, size, "%s x%g",
		               aggregation_name(def->aggregation), def->scale);
	else
		len = snprintf(buf, size, "%s",
		               aggregation_name(def->aggregation));
	return len < 0 ? 0 : strlen(buf);
}

/* One line per static indicator: id, aggregation, direction, unit and
 * English name, in aligned columns. */
static void list_indicators(const struct kpi_plugin *d, FILE *out)
{
	size_t i, w_id = 0, w_agg = 0, w_unit = 0;
	char agg[64];

	if (d->n_indicators == 0) {
		fputs("    indicators:  none (declared at init)\n", out);
		return;
	}
	fputs("    indicators:\n", out);
	for (i = 0; i < d->n_indicators; i++) {
		const struct kpi_indicator_def *def = kpi_loader_indicator(d, i);
		size_t l = strlen(def->id);

		w_id = l > w_id ? l : w_id;
		l = *def->unit ? strlen(def->unit) : 1;
		w_unit = l > w_unit ? l : w_unit;
		l = format_aggregation(def, agg, sizeof(agg));
		w_agg = l > w_agg ? l : w_agg;
	}
	for (i = 0; i < d->n_indicators; i++) {
		const struct kpi_indicator_def *def = kpi_loader_indicator(d, i);

		format_aggregation(def, agg, sizeof(agg));
		fprintf(out, "      %-*s  %-*s  %-6s  %-*s  %s\n", (int)w_id,
		        def->id, (int)w_agg, agg,
		        direction_name(def->direction), (int)w_unit,
		        *def->unit ? def->unit : "-", def->name_en);
	}
}

/* List one plugin file.  Returns true if it loaded. */
static bool list_plugin(char *const *dirs, size_t idx, const char *file,
                        FILE *out, kpi_describe_fn describe)
{
	const char *shadow = shadowing_dir(dirs, idx, file);
	char *path = path_join(dirs[idx], file);
	int rc;

	fprintf(out, "  %s\n", file);
	if (!path) {
		fputs("    error:       out of memory\n", out);
		return false;
	}
	fprintf(out, "    path:        %s\n", path);
	if (shadow)
		fprintf(out, "    note:        not used: %s/%s comes first\n",
		        shadow, file);
	rc = describe(path, out);
	free(path);
	return rc == 0;
}

int kpi_loader_describe(const char *path, FILE *out)
{
	struct kpi_lib *lib = NULL;
	const struct kpi_plugin *d;
	char *why = NULL;
	int rc = lib_open(path, NULL, &lib, &why);

	if (rc) {
		fprintf(out, "    error:       %s\n",
		        why ? why : "out of memory");
		free(why);
		return rc == KPI_ENOMEM ? rc : KPI_EPLUGIN;
	}
	d = lib->desc;
	fprintf(out, "    name:        %s\n", d->name);
	fprintf(out, "    version:     %s\n", d->version);
	fprintf(out, "    abi:         %u.%u\n", d->abi_major, d->abi_minor);
	fprintf(out, "    license:     %s\n", d->license);
	fprintf(out, "    description: %s\n",
	        is_nonempty(d->description) ? d->description : "-");
	list_indicators(d, out);
	kpi_loader_close(lib);
	return 0;
}

/* --list-plugins: for each directory, its *.so files in name order, each
 * loaded, described and closed again; a plugin that fails is listed with
 * its reason.  0, KPI_EPLUGIN if any failed (a summary is printed),
 * KPI_EIO if `out` could not be written, KPI_ENOMEM. */
int kpi_loader_list(char *const *dirs, size_t n, FILE *out)
{
	return kpi_loader_list_with(dirs, n, out, kpi_loader_describe);
}

int kpi_loader_list_with(char *const *dirs, size_t n, FILE *out,
                         kpi_describe_fn describe)
{
	size_t i, j, total = 0, failed = 0;

	for (i = 0; i < n; i++) {
		char **names;
		size_t n_names;
		int rc = scan_dir(dirs[i], &names, &n_names);

		if (rc == KPI_ENOMEM)
			return out_of_memory();
		if (rc) {
			fprintf(out, "%s (%s)\n", dirs[i],
			        errno == ENOENT ? "not found" : strerror(errno));
			continue;
		}
		fprintf(out, "%s%s\n", dirs[i],
		        n_names ? "" : " (no plugins)");
		for (j = 0; j < n_names; j++) {
			total++;
			if (!list_plugin(dirs, i, names[j], out, describe))
				failed++;
		}
		kpi_loader_dirs_free(names, n_names);
	}
	if (fflush(out) != 0 || ferror(out)) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "cannot write the plugin list: %s", strerror(errno));
		return KPI_EIO;
	}
	if (failed) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "%zu of %zu plugins failed to load", failed, total);
		return KPI_EPLUGIN;
	}
	return 0;
}
