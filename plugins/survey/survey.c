/*
 * survey.c - the survey area plugin: yearly satisfaction shares and index
 * surveys (NMI) from survey.csv, one indicator per question the config
 * declares.  Format, formulas and config keys: README.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

#define SV_MAX_QUESTIONS 32
#define SV_MAX_YEARS     16    /* distinct years kept per question */
#define SV_ID_MAX        32    /* bytes of a question id, NUL included */
#define SV_MIN_YEAR      1900
#define SV_MAX_YEAR      2100
#define SV_MAX_COUNT     1e12  /* respondents per row, so sums stay exact */

enum sv_kind { KIND_SHARE, KIND_INDEX };

static const char *const survey_config_keys[] = {
	"file", "questions", "*.area", "*.question", "*.name_sv",
	"*.name_en", "*.kind", NULL,
};

/* Columns of survey.csv, all required in the header. */
enum { COL_YEAR, COL_AREA, COL_QUESTION, COL_RESPONDENTS, COL_SATISFIED,
       COL_INDEX, N_COLS };

static const char *const survey_columns[N_COLS] = {
	"year", "area", "question", "respondents", "satisfied", "index",
};

/* One year of one question: the sums of a share, or the index. */
struct sv_year {
	int year;
	long line;               /* first row of the year */
	int64_t respondents, satisfied;
	double index;
};

/* A configured question.  The strings are config values, owned by the
 * host until shutdown. */
struct sv_question {
	char id[SV_ID_MAX];
	const char *area, *question, *name_sv, *name_en;
	int kind;                /* enum sv_kind */
	struct sv_year years[SV_MAX_YEARS];
	size_t n_years;
};

/* Per-area state, allocated by init and freed by shutdown. */
struct survey_state {
	const char *file;
	struct sv_question q[SV_MAX_QUESTIONS];
	size_t n_q;
};

/* True if s[0..len) is an id: one or more of [a-z0-9_]. */
static int is_id(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* ------------------------------------------------------------------ */
/* init                                                                */

/* The value of "<q>.<field>", required and non-empty.  Returns 0 with
 * *out set, or KPI_ECONFIG (reported). */
static int question_key(const struct kpi_host *host, struct kpi_ctx *ctx,
                        const char *q, const char *field, const char **out)
{
	char key[SV_ID_MAX + 16];

	snprintf(key, sizeof key, "%s.%s", q, field);
	*out = host->config_get(ctx, key);
	if (!*out || !**out)
		return host->config_error(ctx, key, "question '%s' (listed in "
		                          "questions) needs %s", q, key);
	return KPI_OK;
}

/* Read the keys of question q->id into q.  Returns 0 or KPI_ECONFIG
 * (reported). */
static int read_question(const struct kpi_host *host, struct kpi_ctx *ctx,
                         struct sv_question *q)
{
	char key[SV_ID_MAX + 16];
	const char *kind;
	int rc;

	rc = question_key(host, ctx, q->id, "area", &q->area);
	if (!rc)
		rc = question_key(host, ctx, q->id, "question", &q->question);
	if (!rc)
		rc = question_key(host, ctx, q->id, "name_sv", &q->name_sv);
	if (!rc)
		rc = question_key(host, ctx, q->id, "name_en", &q->name_en);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "%s.kind", q->id);
	kind = host->config_get(ctx, key);
	if (!kind || strcmp(kind, "share") == 0)
		q->kind = KIND_SHARE;
	else if (strcmp(kind, "index") == 0)
		q->kind = KIND_INDEX;
	else
		return host->config_error(ctx, key, "expected 'share' or "
		                          "'index', found '%s'", kind);
	return KPI_OK;
}

/* Parse `questions` ("nmi, cc_customers") into st->q, checking ids and
 * duplicates.  Returns 0 or KPI_ECONFIG (reported). */
static int read_questions(const struct kpi_host *host, struct kpi_ctx *ctx,
                          struct survey_state *st)
{
	const char *s = host->config_get(ctx, "questions");
	const char *p = s, *e;

	if (!s || !*s)
		return host->config_error(ctx, "questions", "expected the "
		                          "questions to report, e.g. 'nmi, "
		                          "cc_customers'");
	while (*p) {
		size_t len;

		while (*p == ' ')
			p++;
		e = p;
		while (*e && *e != ',')
			e++;
		len = (size_t)(e - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (!is_id(p, len) || len >= SV_ID_MAX)
			return host->config_error(ctx, "questions", "expected "
			                          "ids of [a-z0-9_] (at most %d "
			                          "bytes) separated by commas, "
			                          "found '%.*s'", SV_ID_MAX - 1,
			                          (int)len, p);
		for (size_t i = 0; i < st->n_q; i++)
			if (strlen(st->q[i].id) == len &&
			    memcmp(st->q[i].id, p, len) == 0)
				return host->config_error(ctx, "questions",
				                          "'%.*s' listed twice",
				                          (int)len, p);
		if (st->n_q == SV_MAX_QUESTIONS)
			return host->config_error(ctx, "questions", "expected "
			                          "at most %d questions",
			                          SV_MAX_QUESTIONS);
		memcpy(st->q[st->n_q].id, p, len);
		st->q[st->n_q++].id[len] = '\0';
		p = *e ? e + 1 : e;
	}
	return KPI_OK;
}

/* Declare question q as indicator "<area>.<q>": a share in % or an index,
 * higher is better, no decimals.  Returns the host's code. */
static int declare_question(const struct kpi_host *host, struct kpi_ctx *ctx,
                            const struct sv_question *q)
{
	struct kpi_indicator_def d = KPI_LAST(q->id, q->name_sv, q->name_en,
	                                      q->kind == KIND_SHARE ? "%" : "",
	                                      1, KPI_DIR_HIGHER, 0);

	return host->declare(ctx, &d);
}

/* init: read the config and declare one indicator per question.  On
 * success *state owns a struct survey_state freed by survey_shutdown; on
 * failure nothing is left allocated. */
static int survey_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                       void **state)
{
	struct survey_state *st = calloc(1, sizeof *st);
	int rc;

	if (!st)
		return KPI_ENOMEM;
	rc = host->config_file(ctx, "file", "survey.csv", &st->file);
	if (!rc)
		rc = read_questions(host, ctx, st);
	for (size_t i = 0; !rc && i < st->n_q; i++)
		rc = read_question(host, ctx, &st->q[i]);
	for (size_t i = 0; !rc && i < st->n_q; i++)
		rc = declare_question(host, ctx, &st->q[i]);
	if (rc)
		goto out_free;
	*state = st;
	return KPI_OK;
out_free:
	free(st);
	return rc;
}

/* ------------------------------------------------------------------ */
/* compute                                                             */

/* One row of survey.csv as read. */
struct sv_row {
	int year;
	const char *area, *question;
	int has_respondents, has_satisfied, has_index;
	double respondents, satisfied, index;
};

/* Read an optional non-negative number (integer when `integer`) from col
 * into *out and *has.  Returns 0 or a negative code (reported). */
static int read_opt(const struct kpi_host *host, struct kpi_csv *csv,
                    int col, int integer, double *out, int *has)
{
	int flags = KPI_NUM_OPTIONAL | KPI_NUM_NONNEG |
	            (integer ? KPI_NUM_INTEGER : 0);
	int rc = host->csv_number(csv, col, flags, out);

	if (rc < 0)
		return rc;
	*has = rc == KPI_OK;
	return KPI_OK;
}

/*
 * Parse the current row into r: a year in SV_MIN_YEAR..SV_MAX_YEAR, area
 * and question text, optional respondents and satisfied (non-negative
 * integers, satisfied at most respondents and only with them) and an
 * optional index.  Returns 0 or a negative code (reported).
 */
static int read_row(const struct kpi_host *host, struct kpi_csv *csv,
                    const int cols[N_COLS], struct sv_row *r)
{
	double y;
	int rc;

	rc = host->csv_number(csv, cols[COL_YEAR],
	                      KPI_NUM_NONNEG | KPI_NUM_INTEGER, &y);
	if (rc)
		return rc;
	if (y < SV_MIN_YEAR || y > SV_MAX_YEAR)
		return host->csv_expected(csv, cols[COL_YEAR], "expected a "
		                          "year in %d..%d", SV_MIN_YEAR,
		                          SV_MAX_YEAR);
	r->year = (int)y;
	r->area = host->csv_field(csv, cols[COL_AREA], NULL);
	r->question = host->csv_field(csv, cols[COL_QUESTION], NULL);
	rc = read_opt(host, csv, cols[COL_RESPONDENTS], 1, &r->respondents,
	              &r->has_respondents);
	if (!rc)
		rc = read_opt(host, csv, cols[COL_SATISFIED], 1, &r->satisfied,
		              &r->has_satisfied);
	if (!rc)
		rc = read_opt(host, csv, cols[COL_INDEX], 0, &r->index,
		              &r->has_index);
	if (rc)
		return rc;
	if (r->has_respondents && r->respondents > SV_MAX_COUNT)
		return host->csv_expected(csv, cols[COL_RESPONDENTS],
		                          "expected at most %.0f respondents",
		                          SV_MAX_COUNT);
	if (r->has_satisfied && !r->has_respondents)
		return host->csv_error(csv, cols[COL_RESPONDENTS], "expected "
		                       "the number of respondents with "
		                       "satisfied, found ''");
	if (r->has_satisfied && r->satisfied > r->respondents)
		return host->csv_expected(csv, cols[COL_SATISFIED],
		                          "expected at most respondents (%.0f)",
		                          r->respondents);
	return KPI_OK;
}

/* The slot of `year` in q (appended if new; line = the row's line), or
 * NULL when q already holds SV_MAX_YEARS years. */
static struct sv_year *year_slot(struct sv_question *q, int year, long line,
                                 int *is_new)
{
	struct sv_year *y;

	*is_new = 0;
	for (size_t i = 0; i < q->n_years; i++)
		if (q->years[i].year == year)
			return &q->years[i];
	if (q->n_years == SV_MAX_YEARS)
		return NULL;
	y = &q->years[q->n_years++];
	memset(y, 0, sizeof *y);
	y->year = year;
	y->line = line;
	*is_new = 1;
	return y;
}

/*
 * Add row r to question q: a share question sums respondents and
 * satisfied (both required on its rows), an index question takes the
 * index (required; one row per year).  Returns 0 or KPI_EDATA (reported).
 */
static int add_row(const struct kpi_host *host, struct kpi_csv *csv,
                   const int cols[N_COLS], struct sv_question *q,
                   const struct sv_row *r)
{
	struct sv_year *y;
	int is_new;

	if (q->kind == KIND_SHARE && !r->has_satisfied)
		return host->csv_error(csv, cols[r->has_respondents ?
		                       COL_SATISFIED : COL_RESPONDENTS],
		                       "expected respondents and satisfied "
		                       "for share question '%s', found ''",
		                       q->id);
	if (q->kind == KIND_INDEX && !r->has_index)
		return host->csv_error(csv, cols[COL_INDEX], "expected the "
		                       "index for index question '%s', found "
		                       "''", q->id);
	y = year_slot(q, r->year, host->csv_line(csv), &is_new);
	if (!y)
		return host->csv_error(csv, cols[COL_YEAR], "expected at most "
		                       "%d years for question '%s'",
		                       SV_MAX_YEARS, q->id);
	if (q->kind == KIND_INDEX) {
		if (!is_new)
			return host->csv_error(csv, cols[COL_YEAR], "duplicate "
			                       "index for question '%s' in %d "
			                       "(first at line %ld)", q->id,
			                       r->year, y->line);
		y->index = r->index;
	} else {
		if (y->respondents > INT64_MAX - (int64_t)r->respondents)
			return host->csv_error(csv, cols[COL_RESPONDENTS],
			                       "the respondents of question "
			                       "'%s' in %d add up to more than "
			                       "%lld", q->id, r->year,
			                       (long long)INT64_MAX);
		y->respondents += (int64_t)r->respondents;
		y->satisfied += (int64_t)r->satisfied;
	}
	return KPI_OK;
}

/* Read the whole export into the questions' years.  Rows of questions
 * not configured are checked, not kept.  Returns 0 or a negative code
 * (reported); the reader is closed on every path. */
static int read_survey(const struct kpi_host *host, struct kpi_ctx *ctx,
                       struct survey_state *st)
{
	struct kpi_csv *csv = NULL;
	int cols[N_COLS];
	struct sv_row r;
	int rc;

	rc = host->csv_open_export(ctx, st->file, survey_columns, N_COLS,
	                           cols, &csv);
	if (rc)
		return rc;
	while ((rc = host->csv_next(csv)) == 1) {
		rc = read_row(host, csv, cols, &r);
		for (size_t i = 0; !rc && i < st->n_q; i++)
			if (r.area && r.question &&
			    strcmp(r.area, st->q[i].area) == 0 &&
			    strcmp(r.question, st->q[i].question) == 0)
				rc = add_row(host, csv, cols, &st->q[i], &r);
		if (rc)
			goto out_close;
	}
out_close:
	host->csv_close(csv);
	return rc;
}

/* Sort q's years ascending (insertion sort; at most SV_MAX_YEARS). */
static void sort_years(struct sv_question *q)
{
	for (size_t i = 1; i < q->n_years; i++) {
		struct sv_year y = q->years[i];
		size_t j = i;

		for (; j > 0 && q->years[j - 1].year > y.year; j--)
			q->years[j] = q->years[j - 1];
		q->years[j] = y;
	}
}

/* Emit question q's value for every year read, oldest first (the host
 * keeps the years the run needs): the index, or 100 * satisfied / respondents.  A share with no
 * respondents is skipped with a warning.  Returns the host's first error. */
static int emit_question(const struct kpi_host *host, struct kpi_ctx *ctx,
                         struct sv_question *q)
{
	sort_years(q);
	for (size_t i = 0; i < q->n_years; i++) {
		const struct sv_year *y = &q->years[i];
		struct kpi_value v = {
			.size = sizeof v,
			.indicator = q->id,
			.year = y->year,
			.month_from = 1,
			.month_to = 12,
			.has_outcome = 1,
		};
		int rc;

		if (q->kind == KIND_INDEX) {
			v.outcome = y->index;
		} else if (y->respondents == 0) {
			host->log(ctx, KPI_LOG_WARN, "%s: no respondents for "
			          "question '%s' in %d", q->id, q->question,
			          y->year);
			continue;
		} else {
			v.outcome = 100.0 * (double)y->satisfied /
			            (double)y->respondents;
		}
		rc = host->emit_value(ctx, &v);
		if (rc)
			return rc;
	}
	return KPI_OK;
}

/* compute: read survey.csv and emit a value per question and year.  A
 * year without rows (the run year before the autumn surveys) emits
 * nothing, so the report shows an empty outcome. */
static int survey_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                          void *state)
{
	struct survey_state *st = state;
	int rc;

	for (size_t i = 0; i < st->n_q; i++)
		st->q[i].n_years = 0;
	rc = read_survey(host, ctx, st);
	for (size_t i = 0; !rc && i < st->n_q; i++)
		rc = emit_question(host, ctx, &st->q[i]);
	return rc;
}

/* shutdown: free what survey_init allocated. */
static void survey_shutdown(void *state)
{
	free(state);
}

KPI_PLUGIN_DEFINE(
	.name = "survey",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Yearly surveys: share of satisfied respondents or an "
	               "index (NMI) per configured question, from survey.csv",
	.config_keys = survey_config_keys,
	.init = survey_init,
	.compute = survey_compute,
	.shutdown = survey_shutdown)
