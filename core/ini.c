/*
 * ini.c - the config file: a strict pre-scan that records every section and
 * key with its line and spelling, then iniparser 4.1 for the values.  The
 * pre-scan classifies lines exactly as iniparser does, so that once it
 * passes, iniparser has nothing left to complain about.
 */
#define _GNU_SOURCE     /* memfd_create */
#include "ini.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser.h>

#include "diag.h"
#include "escape.h"
#include "limit.h"

/* The limits (limit.h) under this file's names. */
#define INI_MAX_FILE KPI_MAX_CONFIG_BYTES
#define INI_MAX_LINE KPI_MAX_CONFIG_LINE
#define INI_MAX_LOOKUP KPI_MAX_CONFIG_NAME
#define INI_MAX_ERRORS KPI_MAX_CONFIG_ERRORS
#define INI_MAX_ENTRIES KPI_MAX_CONFIG_ENTRIES
/* Bytes of a bad line quoted in a message. */
#define INI_QUOTE_MAX 60

#define INI_NONE ((size_t)-1)

struct ini_key {
	const char *name;       /* lowercase; in ini->names */
	const char *spelling;   /* as written; in ini->names */
	long line;
	const char *value;      /* owned by ini->dict */
};

struct ini_section {
	const char *name;       /* lowercase; in ini->names */
	const char *spelling;   /* as written, without the brackets */
	long line;
	size_t first_key;       /* its keys are keys[first_key .. +nkeys) */
	size_t nkeys;
};

/* Hash slot: a section (key == INI_NONE) or a key of section `sec`. */
struct ini_slot {
	size_t sec;             /* INI_NONE: empty slot */
	size_t key;
};

struct kpi_ini {
	char *path;
	dictionary *dict;

	char *names;            /* arena for every name, lowercase and spelt */
	size_t names_len;
	size_t names_cap;

	struct ini_section *secs;
	size_t nsecs;
	size_t secs_cap;
	struct ini_key *keys;   /* file order; a section's keys are adjacent */
	size_t nkeys;
	size_t keys_cap;

	struct ini_slot *slots; /* open addressing, power-of-two size */
	size_t nslots;
	size_t nused;
};

/* Pre-scan state. */
struct ini_scan {
	struct kpi_ini *ini;
	unsigned errors;
	size_t cur;             /* current section, or a SCAN_ value */
	int nomem;
	int too_many;           /* INI_MAX_ENTRIES reached and reported */
};

/* No section header seen yet: a key here is an error. */
#define SCAN_NO_SECTION ((size_t)-1)
/* The last header was rejected: its keys are checked but not recorded. */
#define SCAN_BAD_SECTION ((size_t)-2)

/* ---- small helpers ---------------------------------------------------- */

/* iniparser strips with isspace() in the C locale. */
static int ini_isspace(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

/* ASCII lowercase, like iniparser's tolower() in the C locale. */
static unsigned char ini_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* True if bytes a and b are equal ignoring ASCII case. */
static int ini_ceq(char a, char b)
{
	return ini_lower((unsigned char)a) == ini_lower((unsigned char)b);
}

/* True if a and b are equal ignoring ASCII case. */
static int ini_ieq(const char *a, const char *b)
{
	while (*a && ini_ceq(*a, *b)) {
		a++;
		b++;
	}
	return ini_ceq(*a, *b);
}

/* True if the first n bytes of a and b are equal ignoring ASCII case;
 * both must have at least n bytes or end at the same place. */
static int ini_nieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!ini_ceq(a[i], b[i]))
			return 0;
		if (!a[i])
			return 1;
	}
	return 1;
}

/* Trim ASCII white space from both ends of [*s, *s + *len). */
static void ini_strip(const char **s, size_t *len)
{
	while (*len > 0 && ini_isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ini_isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* Copy at most INI_QUOTE_MAX bytes of s into out (size outsz) for a
 * message: control bytes become \xNN, a cut is marked "...", and a cut
 * never splits a UTF-8 sequence.  out is always NUL-terminated. */
static void ini_quote(char *out, size_t outsz, const char *s, size_t len)
{
	size_t o = 0, take = len;
	int cut = 0;

	if (take > INI_QUOTE_MAX) {
		take = INI_QUOTE_MAX;
		while (take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
			take--;
		cut = 1;
	}
	for (size_t i = 0; i < take && o + 5 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7F) {
			snprintf(out + o, outsz - o, "\\x%02X", c);
			o += 4;
		} else {
			out[o++] = (char)c;
		}
	}
	if (cut && o + 4 <= outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o < outsz ? o : outsz - 1] = '\0';
}

/* Buffer size for ini_quote: each byte may become 4, plus "..." and NUL. */
#define INI_QUOTE_BUF (INI_QUOTE_MAX * 4 + 8)

/* ---- the section/key index -------------------------------------------- */

/* FNV-1a over the lowercase bytes of s, starting from h. */
static uint64_t ini_hash(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= ini_lower((unsigned char)*s);
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static uint64_t ini_hash_section(const char *name)
{
	return ini_hash(name, UINT64_C(14695981039346656037));
}

static uint64_t ini_hash_key(size_t sec, const char *name)
{
	uint64_t mix = (uint64_t)(sec + 1) * UINT64_C(0x9E3779B97F4A7C15);

	return ini_hash(name, UINT64_C(14695981039346656037) ^ mix);
}

static uint64_t ini_slot_hash(const struct kpi_ini *ini,
                              const struct ini_slot *sl)
{
	if (sl->key == INI_NONE)
		return ini_hash_section(ini->secs[sl->sec].name);
	return ini_hash_key(sl->sec, ini->keys[sl->key].name);
}

/* Index of section `name` (any case), or INI_NONE. */
static size_t ini_find_section(const struct kpi_ini *ini, const char *name)
{
	size_t mask, i;

	if (!ini || !name || ini->nslots == 0)
		return INI_NONE;
	mask = ini->nslots - 1;
	for (i = (size_t)ini_hash_section(name) & mask;
	     ini->slots[i].sec != INI_NONE; i = (i + 1) & mask) {
		const struct ini_slot *sl = &ini->slots[i];

		if (sl->key == INI_NONE &&
		    ini_ieq(ini->secs[sl->sec].name, name))
			return sl->sec;
	}
	return INI_NONE;
}

/* Index (into ini->keys) of key `name` (any case) of section sec, or
 * INI_NONE. */
static size_t ini_find_key(const struct kpi_ini *ini, size_t sec,
                           const char *name)
{
	size_t mask, i;

	if (!ini || !name || sec == INI_NONE || ini->nslots == 0)
		return INI_NONE;
	mask = ini->nslots - 1;
	for (i = (size_t)ini_hash_key(sec, name) & mask;
	     ini->slots[i].sec != INI_NONE; i = (i + 1) & mask) {
		const struct ini_slot *sl = &ini->slots[i];

		if (sl->sec == sec && sl->key != INI_NONE &&
		    ini_ieq(ini->keys[sl->key].name, name))
			return sl->key;
	}
	return INI_NONE;
}

/* Put a slot into a table known to have room. */
static void ini_slot_put(struct ini_slot *slots, size_t nslots, uint64_t h,
                         struct ini_slot sl)
{
	size_t mask = nslots - 1, i = (size_t)h & mask;

	while (slots[i].sec != INI_NONE)
		i = (i + 1) & mask;
	slots[i] = sl;
}

/* Add a slot, growing the table to keep it at most half full.  Returns 0
 * or KPI_ENOMEM. */
static int ini_index_add(struct kpi_ini *ini, size_t sec, size_t key)
{
	struct ini_slot sl = { sec, key };

	if ((ini->nused + 1) * 2 > ini->nslots) {
		size_t n = ini->nslots ? ini->nslots * 2 : 64;
		struct ini_slot *slots = malloc(n * sizeof *slots);

		if (!slots)
			return KPI_ENOMEM;
		for (size_t i = 0; i < n; i++)
			slots[i].sec = INI_NONE;
		for (size_t i = 0; i < ini->nslots; i++)
			if (ini->slots[i].sec != INI_NONE)
				ini_slot_put(slots, n,
				             ini_slot_hash(ini, &ini->slots[i]),
				             ini->slots[i]);
		free(ini->slots);
		ini->slots = slots;
		ini->nslots = n;
	}
	ini_slot_put(ini->slots, ini->nslots, ini_slot_hash(ini, &sl), sl);
	ini->nused++;
	return 0;
}

/* Copy [s, s + len) into the name arena, lowercased if `lower`.  Returns
 * the copy, or NULL if the arena is full (cannot happen: it is sized for
 * two copies of the whole file). */
static const char *ini_name_add(struct kpi_ini *ini, const char *s,
                                size_t len, int lower)
{
	char *dst;

	if (ini->names_cap - ini->names_len < len + 1)
		return NULL;
	dst = ini->names + ini->names_len;
	for (size_t i = 0; i < len; i++)
		dst[i] = lower ? (char)ini_lower((unsigned char)s[i]) : s[i];
	dst[len] = '\0';
	ini->names_len += len + 1;
	return dst;
}

/* Grow an array of elements of size `size` so it holds one more.  Returns
 * 0 or KPI_ENOMEM. */
static int ini_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*arr, c * size);
	if (!p)
		return KPI_ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

/* Record section [s, s + len) at `line`.  Returns its index, or INI_NONE
 * when out of memory. */
static size_t ini_section_add(struct kpi_ini *ini, const char *s, size_t len,
                              long line)
{
	struct ini_section *sec;
	void *arr = ini->secs;

	if (ini_grow(&arr, &ini->secs_cap, ini->nsecs, sizeof *ini->secs))
		return INI_NONE;
	ini->secs = arr;
	sec = &ini->secs[ini->nsecs];
	sec->name = ini_name_add(ini, s, len, 1);
	sec->spelling = ini_name_add(ini, s, len, 0);
	if (!sec->name || !sec->spelling)
		return INI_NONE;
	sec->line = line;
	sec->first_key = ini->nkeys;
	sec->nkeys = 0;
	if (ini_index_add(ini, ini->nsecs, INI_NONE))
		return INI_NONE;
	return ini->nsecs++;
}

/* Record key [s, s + len) of the last section at `line`.  Returns 0 or
 * KPI_ENOMEM. */
static int ini_key_add(struct kpi_ini *ini, size_t sec, const char *s,
                       size_t len, long line)
{
	struct ini_key *key;
	void *arr = ini->keys;

	if (ini_grow(&arr, &ini->keys_cap, ini->nkeys, sizeof *ini->keys))
		return KPI_ENOMEM;
	ini->keys = arr;
	key = &ini->keys[ini->nkeys];
	key->name = ini_name_add(ini, s, len, 1);
	key->spelling = ini_name_add(ini, s, len, 0);
	if (!key->name || !key->spelling)
		return KPI_ENOMEM;
	key->line = line;
	key->value = NULL;
	if (ini_index_add(ini, sec, ini->nkeys))
		return KPI_ENOMEM;
	ini->nkeys++;
	ini->secs[sec].nkeys++;
	return 0;
}

/* ---- reading the file ------------------------------------------------- */

/* Read `path` whole into a new NUL-terminated buffer (*buf, caller frees)
 * of *len bytes.  It must be a regular file of at most INI_MAX_FILE bytes.
 * Returns 0, KPI_ECONFIG (message printed) or KPI_ENOMEM (nothing printed:
 * see ini_parse). */
static int ini_read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	size_t cap, n = 0;
	char *b;
	int fd, rc = KPI_ECONFIG;

	*buf = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "cannot open: %s",
		         strerror(errno));
		return KPI_ECONFIG;
	}
	if (fstat(fd, &st) != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "cannot open: %s",
		         strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "not a regular file");
		goto out_close;
	}
	if (st.st_size > INI_MAX_FILE)
		goto out_too_large;

	/* One spare byte to see the file grow while it is read. */
	cap = (size_t)st.st_size + 1;
	b = malloc(cap + 1);
	if (!b) {
		rc = KPI_ENOMEM;
		goto out_close;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap > (size_t)INI_MAX_FILE) {
				free(b);
				goto out_too_large;
			}
			cap = cap * 2 > (size_t)INI_MAX_FILE + 1 ?
			      (size_t)INI_MAX_FILE + 1 : cap * 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				rc = KPI_ENOMEM;
				goto out_close;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0,
			         "cannot read: %s", strerror(errno));
			free(b);
			goto out_close;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > (size_t)INI_MAX_FILE) {
		free(b);
		goto out_too_large;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	rc = 0;
	goto out_close;

out_too_large:
	kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "file is larger than 1 MiB");
	rc = KPI_ECONFIG;
out_close:
	close(fd);
	return rc;
}

/* ---- the pre-scan ----------------------------------------------------- */

/* Report a pre-scan problem at `line`; past INI_MAX_ERRORS it is only
 * counted. */
__attribute__((format(printf, 3, 4)))
static void scan_error(struct ini_scan *sc, long line, const char *fmt, ...)
{
	va_list ap;

	if (++sc->errors > INI_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	kpi_diagv(KPI_LOG_ERROR, NULL, sc->ini->path, line, 0, fmt, ap);
	va_end(ap);
}

/* True (and reported once) if no more sections or keys may be added. */
static int scan_full(struct ini_scan *sc, long line)
{
	if (sc->ini->nsecs + sc->ini->nkeys < INI_MAX_ENTRIES)
		return 0;
	if (!sc->too_many)
		scan_error(sc, line, "too many sections and keys, limit %d",
		           INI_MAX_ENTRIES);
	sc->too_many = 1;
	return 1;
}

/* A "[name]" line (s starts with '[' and is stripped, len >= 1). */
static void scan_section(struct ini_scan *sc, long line, const char *s,
                         size_t len)
{
	char q[INI_QUOTE_BUF];
	const char *name = s + 1;
	size_t nlen, first;

	sc->cur = SCAN_BAD_SECTION;
	ini_quote(q, sizeof q, s, len);
	if (len < 2 || s[len - 1] != ']') {
		scan_error(sc, line, "expected ']' at the end of the section "
		           "header, found '%s'", q);
		return;
	}
	nlen = len - 2;
	ini_strip(&name, &nlen);
	if (nlen == 0) {
		scan_error(sc, line, "empty section name");
		return;
	}
	if (memchr(name, '[', nlen) || memchr(name, ']', nlen)) {
		scan_error(sc, line, "expected '[section]' with no '[' or ']' "
		           "inside the name, found '%s'", q);
		return;
	}
	if (memchr(name, ':', nlen)) {
		scan_error(sc, line, "':' is not allowed in a section name, "
		           "found '%s'", q);
		return;
	}
	/* Look up a NUL-terminated lowercase copy: put it in the arena
	 * tentatively and take it back if the section is new. */
	{
		size_t mark = sc->ini->names_len;
		const char *tmp = ini_name_add(sc->ini, name, nlen, 1);

		if (!tmp) {
			sc->nomem = 1;
			return;
		}
		first = ini_find_section(sc->ini, tmp);
		sc->ini->names_len = mark;
	}
	if (first != INI_NONE) {
		scan_error(sc, line, "section [%.*s] repeated (first at line "
		           "%ld)", (int)nlen, name, sc->ini->secs[first].line);
		return;
	}
	if (scan_full(sc, line))
		return;
	sc->cur = ini_section_add(sc->ini, name, nlen, line);
	if (sc->cur == INI_NONE) {
		sc->nomem = 1;
		sc->cur = SCAN_BAD_SECTION;
	}
}

/* A "key = value" line (stripped, len >= 1, eq points at the first '='). */
static void scan_key(struct ini_scan *sc, long line, const char *s,
                     size_t len, const char *eq)
{
	struct kpi_ini *ini = sc->ini;
	const char *key = s;
	size_t klen = (size_t)(eq - s), dup;
	char q[INI_QUOTE_BUF];

	ini_strip(&key, &klen);
	if (klen == 0) {
		ini_quote(q, sizeof q, s, len);
		scan_error(sc, line, "expected a key before '=', found '%s'",
		           q);
		return;
	}
	if (memchr(key, ':', klen)) {
		ini_quote(q, sizeof q, key, klen);
		scan_error(sc, line, "':' is not allowed in a key, found "
		           "'%s'", q);
		return;
	}
	if (sc->cur == SCAN_NO_SECTION) {
		scan_error(sc, line, "key outside any section");
		return;
	}
	if (sc->cur == SCAN_BAD_SECTION)
		return;
	if (strlen(ini->secs[sc->cur].name) + 1 + klen > INI_MAX_LOOKUP) {
		scan_error(sc, line, "[%s] %.*s: section and key names are %zu "
		           "bytes together, limit %d",
		           ini->secs[sc->cur].spelling, (int)klen, key,
		           strlen(ini->secs[sc->cur].name) + klen,
		           INI_MAX_LOOKUP - 1);
		return;
	}
	{
		size_t mark = ini->names_len;
		const char *tmp = ini_name_add(ini, key, klen, 1);

		if (!tmp) {
			sc->nomem = 1;
			return;
		}
		dup = ini_find_key(ini, sc->cur, tmp);
		ini->names_len = mark;
	}
	if (dup != INI_NONE) {
		scan_error(sc, line, "duplicate key '%.*s' in [%s] (first at "
		           "line %ld)", (int)klen, key,
		           ini->secs[sc->cur].spelling, ini->keys[dup].line);
		return;
	}
	if (scan_full(sc, line))
		return;
	if (ini_key_add(ini, sc->cur, key, klen, line))
		sc->nomem = 1;
}

/* Classify one logical line (continuations joined) the way iniparser 4.1
 * does: blank, comment, section, key = value, or a syntax error. */
static void scan_line(struct ini_scan *sc, long line, const char *s,
                      size_t len)
{
	const char *eq;
	char q[INI_QUOTE_BUF];

	ini_strip(&s, &len);
	if (len == 0 || s[0] == ';' || s[0] == '#')
		return;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		scan_error(sc, line, "UTF-8 byte-order mark inside the file "
		           "(allowed only at its start)");
		if (len > 3 && s[3] == '[')
			sc->cur = SCAN_BAD_SECTION;
		return;
	}
	if (s[0] == '[') {
		scan_section(sc, line, s, len);
		return;
	}
	eq = memchr(s, '=', len);
	if (!eq) {
		ini_quote(q, sizeof q, s, len);
		scan_error(sc, line, "expected 'key = value' or '[section]', "
		           "found '%s'", q);
		return;
	}
	scan_key(sc, line, s, len, eq);
}

/* True if [s, s + len) is only white space. */
static int ini_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!ini_isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Scan text (n bytes, BOM removed) line by line, recording sections and
 * keys in ini and printing every problem.  A line whose last non-blank
 * byte is '\' is joined with the next, as iniparser does; a joined line
 * takes the number of its first non-blank physical line.  Returns 0,
 * KPI_ECONFIG or KPI_ENOMEM. */
static int ini_prescan(struct kpi_ini *ini, const char *text, size_t n)
{
	struct ini_scan sc = { ini, 0, SCAN_NO_SECTION, 0, 0 };
	char *logical;
	size_t pos = 0, plen = 0, bad = 0;
	long lineno = 0, start = 0;
	int pending = 0;

	/* Each name is at most its logical line, so two copies of every name
	 * with their NULs fit in 2 * (n + 1) bytes. */
	ini->names_cap = 2 * (n + 1);
	ini->names = malloc(ini->names_cap);
	logical = malloc(n + 1);
	if (!ini->names || !logical) {
		free(logical);
		return KPI_ENOMEM;
	}
	while (pos < n && !sc.nomem) {
		const char *p = text + pos;
		const char *nl = memchr(p, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - p) : n - pos, total, t;

		pos += len + (nl != NULL);
		lineno++;
		if (!pending || ini_blank(logical, plen))
			start = lineno;
		if (memchr(p, '\0', len)) {
			scan_error(&sc, lineno, "NUL byte");
			pending = 0;
			plen = 0;
			continue;
		}
		if (!kpi_utf8_valid(p, len, &bad)) {
			scan_error(&sc, lineno, "invalid UTF-8: byte 0x%02x at "
			           "column %zu (save the file as UTF-8)",
			           (unsigned char)p[bad], bad + 1);
			pending = 0;
			plen = 0;
			continue;
		}
		total = plen + len;
		if (total > INI_MAX_LINE && pending && start != lineno)
			scan_error(&sc, lineno, "line is %zu bytes joined with "
			           "the lines it continues (from line %ld), "
			           "limit %d", total, start, INI_MAX_LINE);
		else if (total > INI_MAX_LINE)
			scan_error(&sc, lineno, "line is %zu bytes, limit %d",
			           total, INI_MAX_LINE);
		memcpy(logical + plen, p, len);
		t = total;
		while (t > 0 && ini_isspace((unsigned char)logical[t - 1]))
			t--;
		if (t > 0 && logical[t - 1] == '\\') {
			plen = t - 1;
			pending = 1;
			if (pos >= n)
				scan_error(&sc, lineno, "'\\' at the end of "
				           "the last line continues it past "
				           "the end of the file");
			continue;
		}
		pending = 0;
		plen = 0;
		scan_line(&sc, start, logical, t);
	}
	free(logical);
	if (sc.nomem)
		return KPI_ENOMEM;
	if (sc.errors > INI_MAX_ERRORS)
		kpi_diag(KPI_LOG_ERROR, NULL, ini->path, 0, 0,
		         "%u more problems not shown",
		         sc.errors - INI_MAX_ERRORS);
	return sc.errors ? KPI_ECONFIG : 0;
}

/* ---- iniparser -------------------------------------------------------- */

/* Where iniparser's messages come from while iniparser_load runs: the
 * name of the in-memory copy it reads and the file the user named. */
static const char *errback_copy;
static const char *errback_path;
/* Set when iniparser reports a failed allocation (its "memory allocation
 * failure", or fopen failing with ENOMEM); such a message is not printed. */
static int errback_nomem;

/* iniparser's error callback: route its message through kpi_diag, naming
 * the user's file and line instead of the in-memory copy.  Its messages
 * look like "iniparser: syntax error in FILE (LINE):\n-> TEXT\n". */
__attribute__((format(printf, 1, 2)))
static int ini_errback(const char *fmt, ...)
{
	char msg[2 * INI_MAX_LOOKUP + 256], out[sizeof msg];
	const char *file = errback_path;
	long line = 0;
	size_t o = 0;
	va_list ap;
	char *at, *p;
	int err = errno;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof msg, fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	if (strstr(msg, "memory allocation") ||
	    (strstr(msg, "cannot open") && err == ENOMEM)) {
		errback_nomem = 1;
		return 0;
	}

	p = msg;
	if (strncmp(p, "iniparser: ", 11) == 0)
		p += 11;
	at = errback_copy ? strstr(p, errback_copy) : NULL;
	if (at) {
		char *rest = at + strlen(errback_copy), *end;

		/* Drop " in FILE" and take " (LINE)" as the line. */
		if (at - p >= 4 && strncmp(at - 4, " in ", 4) == 0)
			at -= 4;
		if (rest[0] == ' ' && rest[1] == '(') {
			errno = 0;
			line = strtol(rest + 2, &end, 10);
			if (errno == 0 && end != rest + 2 && *end == ')')
				rest = end + 1;
			else
				line = 0;
		}
		memmove(at, rest, strlen(rest) + 1);
	}
	/* One line: "\n-> " becomes ": ", other newlines are dropped. */
	for (; *p && o + 1 < sizeof out; p++) {
		if (p[0] == ':' && p[1] == '\n')
			continue;
		if (p[0] == '\n' && p[1] == '-' && p[2] == '>' && p[3] == ' ') {
			if (o + 3 >= sizeof out)
				break;
			memcpy(out + o, ": ", 2);
			o += 2;
			p += 3;
			continue;
		}
		if (*p == '\n')
			continue;
		out[o++] = *p;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	kpi_diag(KPI_LOG_ERROR, NULL, file, line, 0, "iniparser: %s", out);
	return 0;
}

/* Put text into a new anonymous in-memory file (memfd) and write in name
 * (size namesz) a path iniparser can open it by: iniparser 4.1 only reads
 * a named file, and this way no temporary file is written anywhere, so
 * $TMPDIR does not matter.  On success *fd is the memfd (the caller closes
 * it after iniparser_load).  Returns 0 or KPI_EIO (message printed). */
static int ini_memory_copy(const struct kpi_ini *ini, const char *text,
                           size_t n, int *fd, char *name, size_t namesz)
{
	size_t off = 0;
	int len;

	*fd = memfd_create("kpirun-config", MFD_CLOEXEC);
	if (*fd < 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, ini->path, 0, 0, "cannot make "
		         "an in-memory copy for iniparser: memfd_create: %s",
		         strerror(errno));
		return KPI_EIO;
	}
	while (off < n) {
		ssize_t w = write(*fd, text + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w == 0)
			errno = EIO;
		if (w <= 0) {
			kpi_diag(KPI_LOG_ERROR, NULL, ini->path, 0, 0, "cannot "
			         "make an in-memory copy for iniparser: %s",
			         strerror(errno));
			goto out_close;
		}
		off += (size_t)w;
	}
	len = snprintf(name, namesz, "/proc/self/fd/%d", *fd);
	if (len < 0 || (size_t)len >= namesz)
		goto out_close;
	if (access(name, R_OK) != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, ini->path, 0, 0, "cannot make "
		         "an in-memory copy for iniparser: %s: %s (is /proc "
		         "mounted?)", name, strerror(errno));
		goto out_close;
	}
	return 0;

out_close:
	close(*fd);
	*fd = -1;
	return KPI_EIO;
}

/*
 * Let iniparser parse the pre-scanned text (through an in-memory copy, so
 * it sees exactly the bytes checked, BOM removed), then fetch every
 * recorded key's value with iniparser_getstring.  Returns 0, KPI_ECONFIG,
 * KPI_EIO or KPI_ENOMEM.
 *
 * iniparser 4.1 and memory.  iniparser_load does not check every
 * allocation.  A failed strdup in dictionary_set leaves a section or key
 * silently unstored; a failed fopen or dictionary growth makes it call the
 * error callback and return NULL; a failed calloc inside dictionary_new
 * makes it crash, which nothing outside iniparser can prevent (see
 * docs/errors.md).  So errno is cleared before the load: a refusal, or a
 * section or key the pre-scan recorded and iniparser did not store, with
 * errno ENOMEM afterwards is an allocation that failed inside iniparser
 * and is reported as KPI_ENOMEM, not as a config error.
 */
static int ini_parse(struct kpi_ini *ini, const char *text, size_t n)
{
	char name[64];
	char lookup[2 * INI_MAX_LOOKUP + 2];
	int rc, fd, lost;

	rc = ini_memory_copy(ini, text, n, &fd, name, sizeof name);
	if (rc)
		return rc;
	errback_copy = name;
	errback_path = ini->path;
	errback_nomem = 0;
	iniparser_set_error_callback(ini_errback);
	errno = 0;
	ini->dict = iniparser_load(name);
	lost = errno == ENOMEM || errback_nomem;
	close(fd);
	errback_copy = NULL;
	errback_path = NULL;
	if (!ini->dict) {
		if (lost)
			return KPI_ENOMEM;
		kpi_diag(KPI_LOG_ERROR, NULL, ini->path, 0, 0,
		         "iniparser could not load the file");
		return KPI_ECONFIG;
	}
	if (iniparser_getnsec(ini->dict) < 0 ||
	    (size_t)iniparser_getnsec(ini->dict) != ini->nsecs) {
		if (lost)
			return KPI_ENOMEM;
		kpi_diag(KPI_LOG_ERROR, NULL, ini->path, 0, 0,
		         "iniparser found %d sections, expected %zu",
		         iniparser_getnsec(ini->dict), ini->nsecs);
		return KPI_ECONFIG;
	}
	for (size_t s = 0; s < ini->nsecs; s++) {
		const struct ini_section *sec = &ini->secs[s];

		for (size_t k = sec->first_key; k < sec->first_key + sec->nkeys;
		     k++) {
			struct ini_key *key = &ini->keys[k];
			int len = snprintf(lookup, sizeof lookup, "%s:%s",
			                   sec->name, key->name);

			if (len > 0 && (size_t)len < sizeof lookup)
				key->value = iniparser_getstring(ini->dict,
				                                 lookup, NULL);
			if (key->value)
				continue;
			if (lost)
				return KPI_ENOMEM;
			kpi_diag(KPI_LOG_ERROR, NULL, ini->path, key->line, 0,
			         "[%s] %s: iniparser did not store this key",
			         sec->spelling, key->spelling);
			rc = KPI_ECONFIG;
		}
	}
	return rc;
}

/* ---- public API ------------------------------------------------------- */

/* Load `path` (see ini.h).  On success *out owns everything; on failure
 * *out is NULL and every problem has been printed.  Returns 0,
 * KPI_ECONFIG, KPI_ENOMEM, KPI_EIO (in-memory copy) or KPI_EINVAL. */
int kpi_ini_load(const char *path, struct kpi_ini **out)
{
	struct kpi_ini *ini;
	char *buf;
	const char *text;
	size_t n;
	int rc;

	if (!out)
		return KPI_EINVAL;
	*out = NULL;
	if (!path)
		return KPI_EINVAL;
	rc = ini_read_file(path, &buf, &n);
	if (rc)
		return rc;
	ini = calloc(1, sizeof *ini);
	if (ini)
		ini->path = strdup(path);
	if (!ini || !ini->path) {
		free(ini);
		free(buf);
		return KPI_ENOMEM;
	}
	text = buf;
	if (n >= 2 && (memcmp(buf, "\xFF\xFE", 2) == 0 ||
	               memcmp(buf, "\xFE\xFF", 2) == 0)) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 1, 0, "UTF-16 is not "
		         "supported, save the file as UTF-8");
		rc = KPI_ECONFIG;
		goto out_fail;
	}
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		n -= 3;
	}
	rc = ini_prescan(ini, text, n);
	if (rc)
		goto out_fail;
	rc = ini_parse(ini, text, n);
	if (rc)
		goto out_fail;
	free(buf);
	*out = ini;
	return 0;

out_fail:
	free(buf);
	kpi_ini_free(ini);
	return rc;
}

int kpi_ini_read_file(const char *path, char **buf, size_t *len)
{
	return ini_read_file(path, buf, len);
}

/* Free ini and everything it owns (values, names).  NULL is ignored. */
void kpi_ini_free(struct kpi_ini *ini)
{
	if (!ini)
		return;
	if (ini->dict)
		iniparser_freedict(ini->dict);
	free(ini->slots);
	free(ini->keys);
	free(ini->secs);
	free(ini->names);
	free(ini->path);
	free(ini);
}

/* The path as given to kpi_ini_load; owned by ini. */
const char *kpi_ini_path(const struct kpi_ini *ini)
{
	return ini ? ini->path : NULL;
}

/* Number of sections. */
size_t kpi_ini_nsections(const struct kpi_ini *ini)
{
	return ini ? ini->nsecs : 0;
}

/* Lowercase name of section i in file order, or NULL past the end; owned
 * by ini. */
const char *kpi_ini_section(const struct kpi_ini *ini, size_t i)
{
	return ini && i < ini->nsecs ? ini->secs[i].name : NULL;
}

/* True if section (any case) exists. */
int kpi_ini_has_section(const struct kpi_ini *ini, const char *section)
{
	return ini_find_section(ini, section) != INI_NONE;
}

/* Number of keys of section (any case); 0 if it does not exist. */
size_t kpi_ini_nkeys(const struct kpi_ini *ini, const char *section)
{
	size_t s = ini_find_section(ini, section);

	return s == INI_NONE ? 0 : ini->secs[s].nkeys;
}

/* Lowercase name of key i of section in file order, or NULL; owned by
 * ini. */
const char *kpi_ini_key(const struct kpi_ini *ini, const char *section,
                        size_t i)
{
	size_t s = ini_find_section(ini, section);

	if (s == INI_NONE || i >= ini->secs[s].nkeys)
		return NULL;
	return ini->keys[ini->secs[s].first_key + i].name;
}

/* Value of section:key (any case) as iniparser_getstring returned it at
 * load, or NULL if either is absent or NULL.  Owned by ini. */
const char *kpi_ini_get(const struct kpi_ini *ini, const char *section,
                        const char *key)
{
	size_t k = ini_find_key(ini, ini_find_section(ini, section), key);

	return k == INI_NONE ? NULL : ini->keys[k].value;
}

void kpi_ini_cut_value(struct kpi_ini *ini, const char *section,
                       const char *key, size_t len)
{
	size_t k = ini_find_key(ini, ini_find_section(ini, section), key);
	char *v;

	if (k == INI_NONE || !ini->keys[k].value)
		return;
	/* the value is iniparser's own heap copy, which ini owns */
	v = (char *)(uintptr_t)ini->keys[k].value;
	if (len < strlen(v))
		v[len] = '\0';
}

void kpi_ini_hide(struct kpi_ini *ini, const char *section, const char *key)
{
	size_t k = ini_find_key(ini, ini_find_section(ini, section), key);

	if (k != INI_NONE)
		ini->keys[k].value = NULL;
}

/* Line of section:key, of the section's header if key is NULL, or 0 if
 * absent. */
long kpi_ini_line(const struct kpi_ini *ini, const char *section,
                  const char *key)
{
	size_t s = ini_find_section(ini, section), k;

	if (s == INI_NONE)
		return 0;
	if (!key)
		return ini->secs[s].line;
	k = ini_find_key(ini, s, key);
	return k == INI_NONE ? 0 : ini->keys[k].line;
}

/* Print "path:line: [section] key: message" with the file's spelling of
 * section and key (the caller's when absent), at the key's line, else the
 * section's, else none.  key NULL drops "key: "; section NULL drops
 * "[section] ".  Returns KPI_ECONFIG. */
int kpi_ini_error(const struct kpi_ini *ini, const char *section,
                  const char *key, const char *fmt, ...)
{
	char small[512], *msg = small;
	const char *sp = section, *kp = key;
	size_t s = ini_find_section(ini, section), k = INI_NONE;
	long line = 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		small[0] = '\0';
	} else if ((size_t)n >= sizeof small) {
		char *big = malloc((size_t)n + 1);

		if (big) {
			va_start(ap, fmt);
			vsnprintf(big, (size_t)n + 1, fmt, ap);
			va_end(ap);
			msg = big;
		}
	}
	if (s != INI_NONE) {
		sp = ini->secs[s].spelling;
		line = ini->secs[s].line;
		k = ini_find_key(ini, s, key);
	}
	if (k != INI_NONE) {
		kp = ini->keys[k].spelling;
		line = ini->keys[k].line;
	}
	if (sp && kp)
		kpi_diag(KPI_LOG_ERROR, NULL, kpi_ini_path(ini), line, 0,
		         "[%s] %s: %s", sp, kp, msg);
	else if (sp)
		kpi_diag(KPI_LOG_ERROR, NULL, kpi_ini_path(ini), line, 0,
		         "[%s] %s", sp, msg);
	else if (kp)
		kpi_diag(KPI_LOG_ERROR, NULL, kpi_ini_path(ini), line, 0,
		         "%s: %s", kp, msg);
	else
		kpi_diag(KPI_LOG_ERROR, NULL, kpi_ini_path(ini), line, 0,
		         "%s", msg);
	if (msg != small)
		free(msg);
	return KPI_ECONFIG;
}

/* True if key matches pattern, ignoring ASCII case: a leading "*." stands
 * for one non-empty word without '.' followed by '.', a trailing '*' for
 * any suffix (empty included); otherwise the two must be equal. */
int kpi_key_matches(const char *pattern, const char *key)
{
	size_t plen;

	if (!pattern || !key)
		return 0;
	if (pattern[0] == '*' && pattern[1] == '.') {
		const char *dot = strchr(key, '.');

		if (!dot || dot == key)
			return 0;
		pattern += 2;
		key = dot + 1;
	}
	plen = strlen(pattern);
	if (plen > 0 && pattern[plen - 1] == '*')
		return strlen(key) >= plen - 1 &&
		       ini_nieq(pattern, key, plen - 1);
	return ini_ieq(pattern, key);
}

/* Edit distance (insert, delete, substitute one byte; ASCII case
 * ignored) between a (alen bytes) and b (blen bytes), using row
 * (blen + 1 entries) as scratch. */
static size_t ini_distance(const char *a, size_t alen, const char *b,
                           size_t blen, size_t *row)
{
	for (size_t j = 0; j <= blen; j++)
		row[j] = j;
	for (size_t i = 1; i <= alen; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= blen; j++) {
			size_t up = row[j], best;
			int same = ini_lower((unsigned char)a[i - 1]) ==
			           ini_lower((unsigned char)b[j - 1]);

			best = diag + !same;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[blen];
}

/* kpi_suggest, skipping patterns (entries containing '*') if asked. */
static const char *ini_suggest(const char *word,
                               const char *const *candidates,
                               int skip_patterns)
{
	size_t wlen, limit, best_d = (size_t)-1, stack_row[128];
	const char *best = NULL;

	if (!word || !candidates)
		return NULL;
	wlen = strlen(word);
	limit = wlen / 3 > 2 ? wlen / 3 : 2;
	for (const char *const *c = candidates; *c; c++) {
		size_t clen = strlen(*c), d, *row = stack_row;

		if (clen == 0 || (skip_patterns && strchr(*c, '*')))
			continue;
		if ((clen > wlen ? clen - wlen : wlen - clen) > limit)
			continue;
		if (clen + 1 > sizeof stack_row / sizeof stack_row[0]) {
			row = malloc((clen + 1) * sizeof *row);
			if (!row)
				continue;
		}
		d = ini_distance(word, wlen, *c, clen, row);
		if (row != stack_row)
			free(row);
		if (d <= limit && d < best_d) {
			best = *c;
			best_d = d;
		}
	}
	return best;
}

/* The first candidate at the smallest edit distance from word, if that
 * distance is at most max(2, strlen(word) / 3); else NULL.  Empty
 * candidates are skipped.  Returns a pointer from candidates. */
const char *kpi_suggest(const char *word, const char *const *candidates)
{
	return ini_suggest(word, candidates, 0);
}

/* Report each key of section that matches no pattern in known, in file
 * order, with the nearest non-pattern entry of known as a suggestion.  A
 * missing section has no keys to reject.  Returns 0 or KPI_ECONFIG. */
int kpi_ini_check_keys(const struct kpi_ini *ini, const char *section,
                       const char *const *known)
{
	static const char *const none[] = { NULL };
	size_t s = ini_find_section(ini, section);
	int rc = 0;

	if (s == INI_NONE)
		return 0;
	if (!known)
		known = none;
	for (size_t i = 0; i < ini->secs[s].nkeys; i++) {
		const struct ini_key *key =
			&ini->keys[ini->secs[s].first_key + i];
		const char *hint;
		const char *const *p;

		for (p = known; *p; p++)
			if (kpi_key_matches(*p, key->name))
				break;
		if (*p)
			continue;
		hint = ini_suggest(key->name, known, 1);
		if (hint)
			kpi_diag(KPI_LOG_ERROR, NULL, ini->path, key->line, 0,
			         "[%s] unknown key '%s' (did you mean '%s'?)",
			         ini->secs[s].spelling, key->spelling, hint);
		else
			kpi_diag(KPI_LOG_ERROR, NULL, ini->path, key->line, 0,
			         "[%s] unknown key '%s'",
			         ini->secs[s].spelling, key->spelling);
		rc = KPI_ECONFIG;
	}
	return rc;
}
