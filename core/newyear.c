/*
 * newyear.c - kpirun --new-year: next year's config from this year's.  The
 * config is loaded and checked first (config.c), so the loader's own index
 * of keys and lines says which lines hold what; the file's text is then
 * copied line by line, grouped into logical lines by the loader's rule for
 * continuation lines (ini.c), dropping or rewriting only the lines that
 * belong to last year (newyear.h says which).
 */
#include "newyear.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "ini.h"
#include "output.h"
#include "run.h"

/* What becomes of a logical line (marked at its first physical line). */
enum {
	LINE_KEEP = 0,
	LINE_DROP = 1,   /* left out, with its continuation lines */
	LINE_YEAR = 2    /* the year, where it stands as a number, goes up */
};

/* [kpirun] keys whose values write the year ("2011-08", "../data/2011",
 * "Tertialrapport 2 2011"); "year" must. */
static const char *const year_keys[] = {
	"year", "period", "data_dir", "title_sv", "title_en", NULL
};

/* [indicator ...] keys that hold last year's figures or texts: the
 * baseline is last year's outcome, the period label names the period. */
static const char *const indicator_year_keys[] = {
	"baseline", "period_label", NULL
};

/* iniparser's white space (ini.c's ini_isspace). */
static int ny_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

static int ny_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!ny_space((unsigned char)s[i]))
			return 0;
	return 1;
}

static int ny_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Mark the logical line starting at `line` (1-based; 0 = none). */
static void mark(unsigned char *marks, long nlines, long line, int what)
{
	if (line > 0 && line <= nlines)
		marks[line] = (unsigned char)what;
}

/* Replace, in [s, s + len), every 4-digit number equal to `from` (not part
 * of a longer number) by `to` (also 4 digits).  Returns how many. */
static int replace_year(char *s, size_t len, const char *from, const char *to)
{
	int n = 0;

	for (size_t i = 0; i + 4 <= len; i++) {
		if (memcmp(s + i, from, 4) != 0 || (i > 0 && ny_digit(s[i - 1])) ||
		    (i + 4 < len && ny_digit(s[i + 4])))
			continue;
		memcpy(s + i, to, 4);
		n++;
		i += 3;
	}
	return n;
}

/* Mark what goes and what changes.  The figures that stay are those
 * written for a period of next year ("@ 2012-T1"). */
static void plan(const struct kpi_config *cfg, unsigned char *marks,
                 long nlines)
{
	const struct kpi_ini *ini = cfg->ini;
	char written[32];

	for (size_t i = 0; i < cfg->n_figures; i++) {
		const struct kpi_bound *f = &cfg->figures[i];

		if (f->with_at && f->period.to_year == cfg->year + 1)
			continue;
		kpi_config_period_name(written, sizeof written, &f->period);
		kpi_diag(KPI_LOG_INFO, NULL, cfg->path, f->line, 0, "dropped "
		         "[%s] %s, written for %s", f->section, f->key, written);
		mark(marks, nlines, f->line, LINE_DROP);
	}
	for (size_t s = 0; s < kpi_ini_nsections(ini); s++) {
		const char *sec = kpi_ini_section(ini, s);

		if (strncmp(sec, "indicator ", 10) != 0)
			continue;
		for (size_t k = 0; indicator_year_keys[k]; k++) {
			long line = kpi_ini_line(ini, sec, indicator_year_keys[k]);

			if (!line)
				continue;
			kpi_diag(KPI_LOG_INFO, NULL, cfg->path, line, 0,
			         "dropped [%s] %s, a figure of %d", sec,
			         indicator_year_keys[k], cfg->year);
			mark(marks, nlines, line, LINE_DROP);
		}
	}
	for (size_t k = 0; year_keys[k]; k++)
		mark(marks, nlines, kpi_ini_line(ini, "kpirun", year_keys[k]),
		     LINE_YEAR);
	for (size_t i = 0; i < cfg->n_activities; i++) {
		const struct kpi_activity *a = cfg->activities[i];

		if (a->end.year <= cfg->year)
			kpi_diag(KPI_LOG_INFO, NULL, cfg->path, a->line, 0,
			         "kept an activity that ended %04d-%02d-%02d; "
			         "edit or remove it", a->end.year, a->end.month,
			         a->end.day);
	}
}

int kpi_newyear_text(const struct kpi_config *cfg, const char *text, size_t n,
                     char **out, size_t *out_len, size_t *dropped)
{
	const char *body = text;
	char *res, *logical = NULL;
	unsigned char *marks;
	char from[16], to[16];
	size_t bn = n, pos = 0, len = 0, plen = 0;
	long nlines = 1, lineno = 0, start = 0;
	long year_line = kpi_ini_line(cfg->ini, "kpirun", "year");
	int pending = 0, year_seen = 0;

	*out = NULL;
	*out_len = 0;
	*dropped = 0;
	/* the loader's lines are counted after a byte-order mark */
	if (bn >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
		body += 3;
		bn -= 3;
	}
	for (size_t i = 0; i < bn; i++)
		nlines += body[i] == '\n';
	marks = calloc((size_t)nlines + 1, 1);
	res = malloc(n + 1);       /* next year has as many digits */
	logical = malloc(bn + 1);
	if (!marks || !res || !logical)
		goto out_nomem;
	plan(cfg, marks, nlines);
	snprintf(from, sizeof from, "%04d", cfg->year);
	snprintf(to, sizeof to, "%04d", cfg->year + 1);
	memcpy(res, text, (size_t)(body - text));
	len = (size_t)(body - text);

	/* ini.c's ini_prescan: a line whose last non-blank byte is '\' is
	 * joined with the next; a joined line takes the number of its first
	 * non-blank physical line */
	while (pos < bn) {
		const char *p = body + pos;
		const char *nl = memchr(p, '\n', bn - pos);
		size_t plen_line = nl ? (size_t)(nl - p) : bn - pos;
		size_t whole = plen_line + (nl != NULL), t;
		int what;

		pos += whole;
		lineno++;
		if (!pending || ny_blank(logical, plen))
			start = lineno;
		memcpy(logical + plen, p, plen_line);
		t = plen + plen_line;
		while (t > 0 && ny_space((unsigned char)logical[t - 1]))
			t--;
		if (t > 0 && logical[t - 1] == '\\') {
			plen = t - 1;
			pending = 1;
		} else {
			pending = 0;
			plen = 0;
		}
		what = marks[start];
		if (what == LINE_DROP) {
			(*dropped)++;
			continue;
		}
		memcpy(res + len, p, whole);
		if (what == LINE_YEAR) {
			/* on the key's own line, only after its '=' */
			const char *eq = start == lineno ?
			                 memchr(p, '=', plen_line) : NULL;
			size_t off = eq ? (size_t)(eq - p) + 1 : 0;
			int k = replace_year(res + len + off, plen_line - off,
			                     from, to);

			if (start == year_line)
				year_seen += k;
			if (k)
				kpi_diag(KPI_LOG_INFO, NULL, cfg->path, lineno, 0,
				         "%s became %s", from, to);
		}
		len += whole;
	}
	res[len] = '\0';
	if (!year_seen) {
		kpi_diag(KPI_LOG_ERROR, NULL, cfg->path, year_line, 0,
		         "[kpirun] year: cannot find %s as a number on the "
		         "key's line to write %s (write 'year = %s' on one "
		         "line)", from, to, from);
		free(res);
		free(marks);
		free(logical);
		return KPI_ECONFIG;
	}
	free(marks);
	free(logical);
	*out = res;
	*out_len = len;
	return 0;

out_nomem:
	free(marks);
	free(res);
	free(logical);
	return KPI_ENOMEM;
}

/* True (with a message) if dest names the file at `path`. */
static int is_input(const char *dest, const char *path)
{
	struct stat a, b;

	if (strcmp(dest, "-") == 0 || stat(dest, &a) != 0 ||
	    stat(path, &b) != 0)
		return 0;
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return 0;
	kpi_diag(KPI_LOG_ERROR, NULL, dest, 0, 0, "refusing to write next "
	         "year's config over the config it is made from ('%s')", path);
	return 1;
}

int kpi_newyear_run(const char *config, const char *dest)
{
	struct kpi_config *cfg = NULL;
	struct kpi_output_set *set = NULL;
	char *text = NULL, *next = NULL;
	const char *bufs[1];
	size_t n, next_len, dropped;
	int rc, status = KPI_EXIT_OK;

	if (!dest)
		dest = "-";
	rc = kpi_config_load(config, &cfg);
	if (rc == 0)
		rc = kpi_ini_read_file(config, &text, &n);
	if (rc == 0 && is_input(dest, config))
		rc = KPI_ECONFIG;
	if (rc == 0)
		rc = kpi_newyear_text(cfg, text, n, &next, &next_len, &dropped);
	if (rc == 0) {
		rc = kpi_output_set_new(&dest, 1, &set);
		if (rc == 0) {
			bufs[0] = next;
			rc = kpi_output_set_write(set, bufs, &next_len);
		}
		if (rc != 0 && rc != KPI_ENOMEM)
			status = KPI_EXIT_OUTPUT;
	} else if (rc != KPI_ENOMEM) {
		status = KPI_EXIT_USAGE;
	}
	if (rc == KPI_ENOMEM) {
		status = KPI_EXIT_NOMEM;
		kpi_diag_nomem();
	}
	if (status == KPI_EXIT_OK)
		kpi_diag(KPI_LOG_INFO, NULL, config, 0, 0, "next year's config "
		         "(%d) written to %s, %zu lines dropped", cfg->year + 1,
		         strcmp(dest, "-") == 0 ? "standard output" : dest,
		         dropped);
	kpi_output_set_free(set);
	free(next);
	free(text);
	kpi_config_free(cfg);
	return status;
}
