/*
 * contact_centre.c - the contact_centre area plugin: cases by channel,
 * first-contact resolution, phone calls answered within a minute and the
 * variable revenue (a price per case from a dated price list), in total
 * and per district, from the case log or the case summary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

#define CC_DEFAULT_THRESHOLD 60  /* seconds: "besvaras inom en minut" */
#define CC_MAX_THRESHOLD 3600
#define CC_MAX_DISTRICTS 64
#define CC_MAX_CATEGORIES 64
#define CC_MAX_PRICES 16         /* dated prices per category */
#define CC_NAME_MAX 96           /* bytes of a district or category name,
                                    terminating NUL included */
#define CC_MAX_AMOUNT 1000000.0  /* kr per case */

/* Local indicator ids, in descriptor order. */
#define ID_PHONE    "cases_phone"
#define ID_EMAIL    "cases_email"
#define ID_VISITS   "visits"
#define ID_FCR      "first_contact_resolution"
#define ID_ANSWERED "answered_60s"
#define ID_REVENUE  "variable_revenue"

enum cc_channel { CH_PHONE = 0, CH_EMAIL = 1, CH_VISIT = 2 };

/* A price in effect from `day` (YYYYMMDD) until the next entry. */
struct cc_price {
	long day;
	double amount;
};

/* A case category and its price list (n_prices 0: earns nothing). */
struct cc_category {
	char name[CC_NAME_MAX];  /* lowercase ASCII */
	size_t len;
	int n_prices;
	struct cc_price price[CC_MAX_PRICES];
};

/* One month of one district. */
struct cc_acc {
	double phone, email, visit;  /* cases per channel */
	double resolved;             /* resolved at first contact (all
	                                channels) */
	double within;               /* phone cases answered within threshold */
	double revenue;              /* kr */
};

struct cc_district {
	char name[CC_NAME_MAX];      /* as first seen in the export */
	size_t len;
	int has;                     /* rows in the month being read */
	struct cc_acc m;             /* that month */
	int has_period[12];          /* rows in month m + 1 of the run year */
	struct cc_acc period;        /* January..run_month of the run year,
	                                for the district table */
};

/* Per-area state, owned by the plugin (init allocates, shutdown frees). */
struct cc_state {
	const char *file;            /* owned by the host, until shutdown */
	long threshold;              /* seconds; the case log only */
	int fixed_categories;        /* `categories` given: no others allowed */
	int run_year, run_month;
	int cur_year, cur_month;     /* the month being read, 0 = none yet */
	size_t n_cat;
	struct cc_category cat[CC_MAX_CATEGORIES];
	size_t n_dist;
	struct cc_district dist[CC_MAX_DISTRICTS];
};

/* Column indexes; `extra` is wait_s (log) or answered_60s (summary),
 * `count` is -1 in the log (one case per row). */
struct cc_cols {
	int date, channel, category, district, resolved, extra, count;
};

/* One row, parsed. */
struct cc_row {
	int year, month;             /* month 1..12, of any year */
	long day;                    /* YYYYMMDD the price is taken on */
	int channel;
	double cases, resolved, within;
	struct cc_category *cat;
	struct cc_district *dist;
};

static const struct kpi_indicator_def cc_indicators[] = {
	KPI_SUM(ID_PHONE,
	        "Telefonärenden",
	        "Phone cases",
	        "st", KPI_DIR_NONE, 0),
	KPI_SUM(ID_EMAIL,
	        "E-postärenden",
	        "E-mail cases",
	        "st", KPI_DIR_NONE, 0),
	KPI_SUM(ID_VISITS,
	        "Besök i kundmottagningen",
	        "Visits to the customer reception",
	        "st", KPI_DIR_NONE, 0),
	KPI_RATIO(ID_FCR,
	          "Andel inkommande frågor till kontaktcenterverksamheten som "
	          "löses vid första kontakten",
	          "Share of enquiries to the contact centre resolved at first "
	          "contact",
	          "%", 100, KPI_DIR_HIGHER, 0),
	KPI_RATIO(ID_ANSWERED,
	          "Andel inkommande samtal som besvaras inom en minut",
	          "Share of incoming calls answered within one minute",
	          "%", 100, KPI_DIR_HIGHER, 0),
	KPI_SUM(ID_REVENUE,
	        "Rörliga intäkter (pris per ärende)",
	        "Variable revenue (price per case)",
	        "kr", KPI_DIR_NONE, 0),
};

static const char *const cc_config_keys[] = {
	"file",
	"answered_s",
	"categories",
	"price.*",
	NULL
};

static const char *const channel_names[] = { "phone", "email", "visit" };

/* ---- small text helpers ---------------------------------------------- */

/* c lowercased if it is an ASCII capital, else c unchanged. */
static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* True if s[0..len) equals name[0..nlen), ignoring ASCII case. */
static int same_name(const char *s, size_t len, const char *name,
                     size_t nlen)
{
	size_t i;

	if (len != nlen)
		return 0;
	for (i = 0; i < len; i++)
		if (lower((unsigned char)s[i]) != lower((unsigned char)name[i]))
			return 0;
	return 1;
}

/* s[0..*len) without surrounding ASCII spaces and tabs. */
static const char *trim(const char *s, size_t *len)
{
	size_t n = *len;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

/* ---- config ------------------------------------------------------------ */

/* True if c is an ASCII digit. */
static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Value of the n digits at s, or -1 if one is not a digit. */
static long digits(const char *s, int n)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days in month m (1..12) of year y, Gregorian. */
static int days_in_month(long y, long m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
	                              31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Parse exactly "YYYY-MM-DD" from s[0..len) into YYYYMMDD.  Returns 0 or
 * -1 if it is not a calendar date of 1900..2999. */
static int parse_day(const char *s, size_t len, long *day)
{
	long y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	*day = y * 10000 + m * 100 + d;
	return 0;
}

/* Parse an amount in kr from s[0..len): digits, optionally '.' and
 * digits, at most CC_MAX_AMOUNT.  Returns 0 or -1. */
static int parse_amount(const char *s, size_t len, double *out)
{
	char buf[32];
	size_t i = 0;
	char *end;

	if (len == 0 || len >= sizeof buf)
		return -1;
	while (i < len && is_digit(s[i]))
		i++;
	if (i == 0)
		return -1;
	if (i < len && s[i] == '.') {
		size_t f = ++i;

		while (i < len && is_digit(s[i]))
			i++;
		if (i == f)
			return -1;
	}
	if (i != len)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	if (errno != 0 || *end != '\0' || *out > CC_MAX_AMOUNT)
		return -1;
	return 0;
}

/* Parse one price-list entry e[0..len) ("2011-09-01:98", trimmed) into
 * *day (YYYYMMDD) and *amount.  Returns 0, or -1 with a message in msg
 * (the entry quoted by host->quote). */
static int parse_entry(const struct kpi_host *host, const char *e,
                       size_t len, long *day, double *amount, char *msg,
                       size_t msgsz)
{
	const char *colon = memchr(e, ':', len), *a;
	size_t dlen, alen;
	char shown[KPI_QUOTE_SIZE];

	if (!colon) {
		snprintf(msg, msgsz, "expected 'YYYY-MM-DD:amount' entries "
		         "separated by ',', found '%s'",
		         host->quote(e, len, shown));
		return -1;
	}
	a = colon + 1;
	alen = (size_t)((e + len) - a);
	a = trim(a, &alen);
	dlen = (size_t)(colon - e);
	e = trim(e, &dlen);
	if (parse_day(e, dlen, day) != 0) {
		snprintf(msg, msgsz, "expected an effective date YYYY-MM-DD, "
		         "found '%s'", host->quote(e, dlen, shown));
		return -1;
	}
	if (parse_amount(a, alen, amount) != 0) {
		snprintf(msg, msgsz, "expected a price in kr such as 108 or "
		         "97.50, found '%s'", host->quote(a, alen, shown));
		return -1;
	}
	return 0;
}

/* Parse the price list `v` ("2011-01-01:108, 2011-09-01:98") into cat.
 * Entries are "YYYY-MM-DD:amount", comma-separated, effective dates
 * strictly increasing, at most CC_MAX_PRICES.  Returns 0, or -1 with a
 * message in msg. */
static int parse_prices(const struct kpi_host *host, const char *v,
                        struct cc_category *cat, char *msg, size_t msgsz)
{
	const char *p = v;

	cat->n_prices = 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *e = trim(p, &len);
		long day, prev;
		double amount;

		if (parse_entry(host, e, len, &day, &amount, msg, msgsz) != 0)
			return -1;
		prev = cat->n_prices ? cat->price[cat->n_prices - 1].day : 0;
		if (day <= prev) {
			snprintf(msg, msgsz, "expected effective dates in "
			         "increasing order, found %.10s after "
			         "%04ld-%02ld-%02ld", e, prev / 10000,
			         prev / 100 % 100, prev % 100);
			return -1;
		}
		if (cat->n_prices == CC_MAX_PRICES) {
			snprintf(msg, msgsz, "expected at most %d prices, found "
			         "more", CC_MAX_PRICES);
			return -1;
		}
		cat->price[cat->n_prices].day = day;
		cat->price[cat->n_prices].amount = amount;
		cat->n_prices++;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* Add category name[0..len) to the table (lowercased) and read its price
 * key "price.<name>" if there is one.  *out is the new entry.  Returns 0,
 * KPI_ECONFIG (reported, about `price.<name>`, or about `categories` if
 * the name is too long) or KPI_EDATA when the table is full (caller
 * reports). */
static int category_add(const struct kpi_host *host, struct kpi_ctx *ctx,
                        struct cc_state *st, const char *name, size_t len,
                        struct cc_category **out)
{
	struct cc_category *c;
	char key[CC_NAME_MAX + 8], msg[400];
	const char *v;
	size_t i;

	if (st->n_cat == CC_MAX_CATEGORIES)
		return KPI_EDATA;
	c = &st->cat[st->n_cat];
	memset(c, 0, sizeof *c);
	for (i = 0; i < len; i++)
		c->name[i] = (char)lower((unsigned char)name[i]);
	c->name[len] = '\0';
	c->len = len;
	snprintf(key, sizeof key, "price.%s", c->name);
	v = host->config_get(ctx, key);
	if (v && parse_prices(host, v, c, msg, sizeof msg) != 0)
		return host->config_error(ctx, key, "%s", msg);
	st->n_cat++;
	*out = c;
	return 0;
}

/* Read `categories` ("elderly_care, preschool, other", a list the host
 * splits) into st->cat, reading each one's price.  Returns 0, KPI_MISSING
 * if the key is absent, KPI_ENOMEM or KPI_ECONFIG (reported). */
static int read_categories(const struct kpi_host *host, struct kpi_ctx *ctx,
                           struct cc_state *st)
{
	const char *const *names;
	struct cc_category *c;
	char shown[KPI_QUOTE_SIZE];
	size_t n, k;
	int rc = host->config_list(ctx, "categories", &n, &names);

	if (rc != 0)
		return rc;
	for (k = 0; k < n; k++) {
		const char *name = names[k];
		size_t len = strlen(name), i;

		if (len >= CC_NAME_MAX)
			return host->config_error(ctx, "categories", "expected "
				"category names of 1..%d bytes, found '%s'",
				CC_NAME_MAX - 1, host->quote(name, len, shown));
		for (i = 0; i < st->n_cat; i++)
			if (same_name(name, len, st->cat[i].name,
			              st->cat[i].len))
				return host->config_error(ctx, "categories",
					"expected each category once, found "
					"'%s' twice",
					host->quote(name, len, shown));
		rc = category_add(host, ctx, st, name, len, &c);
		if (rc == KPI_EDATA)
			return host->config_error(ctx, "categories", "expected "
				"at most %d categories, found more",
				CC_MAX_CATEGORIES);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* init: read `file` (required), `answered_s` (default 60) and, if given,
 * `categories` with each listed category's price.  On success *state owns
 * a cc_state freed by cc_shutdown. */
static int cc_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                   void **state)
{
	struct cc_state *st;
	long threshold;
	int rc;

	st = calloc(1, sizeof *st);
	if (!st)
		return KPI_ENOMEM;
	st->threshold = CC_DEFAULT_THRESHOLD;
	st->file = host->config_get(ctx, "file");
	if (!st->file || st->file[0] == '\0') {
		rc = host->config_error(ctx, "file", "expected the name of the "
		                        "case log or the case summary, found "
		                        "nothing");
		goto out_free;
	}
	rc = host->config_integer(ctx, "answered_s",
	                          KPI_NUM_OPTIONAL | KPI_NUM_NONNEG, &threshold);
	if (rc == 0 && threshold > CC_MAX_THRESHOLD)
		rc = host->config_error(ctx, "answered_s", "expected a whole "
		                        "number of seconds 0..%d, found %ld",
		                        CC_MAX_THRESHOLD, threshold);
	if (rc == 0)
		st->threshold = threshold;
	else if (rc != KPI_MISSING)
		goto out_free;
	rc = read_categories(host, ctx, st);
	if (rc == 0)
		st->fixed_categories = 1;
	else if (rc != KPI_MISSING)
		goto out_free;
	*state = st;
	return KPI_OK;

out_free:
	free(st);
	return rc;
}

/* ---- reading the exports ----------------------------------------------- */

/* The price of category c on day (YYYYMMDD): the latest entry effective on
 * or before it, or 0 when there is none. */
static double price_on(const struct cc_category *c, long day)
{
	double p = 0;
	int i;

	for (i = 0; i < c->n_prices && c->price[i].day <= day; i++)
		p = c->price[i].amount;
	return p;
}

/* The category of the current row.  Unknown names are added (and their
 * price read) unless `categories` fixed the list.  Returns 0, KPI_EDATA or
 * KPI_ECONFIG (reported). */
static int row_category(const struct kpi_host *host, struct kpi_ctx *ctx,
                        struct kpi_csv *csv, int col, struct cc_state *st,
                        struct cc_category **out)
{
	size_t len, i;
	const char *f = host->csv_field(csv, col, &len);
	int rc;

	f = trim(f, &len);
	for (i = 0; i < st->n_cat; i++)
		if (same_name(f, len, st->cat[i].name, st->cat[i].len)) {
			*out = &st->cat[i];
			return 0;
		}
	if (st->fixed_categories)
		return host->csv_expected(csv, col, "expected a category "
		                          "listed in the config key "
		                          "'categories'");
	if (len == 0 || len >= CC_NAME_MAX)
		return host->csv_expected(csv, col, "expected a category name "
		                          "of 1..95 bytes");
	rc = category_add(host, ctx, st, f, len, out);
	if (rc == KPI_EDATA)
		return host->csv_expected(csv, col, "expected at most 64 "
		                          "different categories (this is one "
		                          "more)");
	return rc;
}

/* The district of the current row, added on first sight.  Returns 0 or
 * KPI_EDATA (reported). */
static int row_district(const struct kpi_host *host, struct kpi_csv *csv,
                        int col, struct cc_state *st,
                        struct cc_district **out)
{
	size_t len, i;
	const char *f = host->csv_field(csv, col, &len);
	struct cc_district *d;

	f = trim(f, &len);
	for (i = 0; i < st->n_dist; i++)
		if (same_name(f, len, st->dist[i].name, st->dist[i].len)) {
			*out = &st->dist[i];
			return 0;
		}
	if (len == 0 || len >= CC_NAME_MAX)
		return host->csv_expected(csv, col, "expected a district name "
		                          "of 1..95 bytes");
	if (st->n_dist == CC_MAX_DISTRICTS)
		return host->csv_expected(csv, col, "expected at most 64 "
		                          "different districts (this is one "
		                          "more)");
	d = &st->dist[st->n_dist++];
	memset(d, 0, sizeof *d);
	memcpy(d->name, f, len);
	d->name[len] = '\0';
	d->len = len;
	*out = d;
	return 0;
}

/* Parse the date column into r->year/month/day, of any year (the host
 * keeps the months the run aggregates).  A month (YYYY-MM) is priced on
 * its 1st.  Returns 0 or KPI_EDATA (reported). */
static int row_date(const struct kpi_host *host, struct kpi_csv *csv,
                    int col, int flags, struct cc_row *r)
{
	struct kpi_date d;
	int rc = host->csv_date(csv, col, flags, &d);

	if (rc < 0)
		return rc;
	if (rc != 0)
		return host->csv_expected(csv, col, "expected a date");
	r->year = d.year;
	r->month = d.month;
	r->day = (long)d.year * 10000 + d.month * 100 + (d.day ? d.day : 1);
	return 0;
}

/* Parse the channel column.  Returns 0 or KPI_EDATA (reported). */
static int row_channel(const struct kpi_host *host, struct kpi_csv *csv,
                       int col, int *channel)
{
	size_t len;
	const char *f = host->csv_field(csv, col, &len);
	int i;

	for (i = 0; i < 3; i++) {
		const char *name = channel_names[i];

		if (same_name(f, len, name, strlen(name))) {
			*channel = i;
			return 0;
		}
	}
	return host->csv_expected(csv, col, "expected 'phone', 'email' or "
	                          "'visit'");
}

/* A count column: a whole number >= 0.  Returns 0 or a negative code. */
static int count(const struct kpi_host *host, struct kpi_csv *csv, int col,
                 double *out)
{
	int rc = host->csv_number(csv, col, KPI_NUM_NONNEG | KPI_NUM_INTEGER,
	                          out);

	return rc > 0 ? host->csv_expected(csv, col, "expected a number") : rc;
}

/* The phone-only column of a row of another channel: empty or 0.
 * Returns 0 or a negative code (reported). */
static int not_for_channel(const struct kpi_host *host, struct kpi_csv *csv,
                           int col, int channel)
{
	double v = 0;
	int rc = host->csv_number(csv, col, KPI_NUM_OPTIONAL | KPI_NUM_NONNEG,
	                          &v);

	if (rc < 0)
		return rc;
	if (v != 0)
		return host->csv_expected(csv, col, "expected empty or 0 for "
		                          "channel '%s'",
		                          channel_names[channel]);
	return 0;
}

/* Read the log-only fields of the current row (one case) into r.
 * Returns 0 or a negative code (reported). */
static int log_fields(const struct kpi_host *host, struct kpi_csv *csv,
                      const struct cc_cols *c, const struct cc_state *st,
                      struct cc_row *r)
{
	double wait;
	int rc;

	rc = count(host, csv, c->resolved, &r->resolved);
	if (rc != 0)
		return rc;
	if (r->resolved > 1)
		return host->csv_expected(csv, c->resolved, "expected 0 or 1");
	r->cases = 1;
	r->within = 0;
	if (r->channel != CH_PHONE)
		return not_for_channel(host, csv, c->extra, r->channel);
	rc = host->csv_number(csv, c->extra, KPI_NUM_NONNEG, &wait);
	if (rc != 0)
		return rc < 0 ? rc
		              : host->csv_expected(csv, c->extra,
		                                   "expected a number");
	r->within = wait <= (double)st->threshold ? 1 : 0;
	return 0;
}

/* Read the summary-only fields of the current row into r.  Returns 0 or
 * a negative code (reported). */
static int sum_fields(const struct kpi_host *host, struct kpi_csv *csv,
                      const struct cc_cols *c, struct cc_row *r)
{
	int rc;

	if ((rc = count(host, csv, c->count, &r->cases)) != 0 ||
	    (rc = count(host, csv, c->resolved, &r->resolved)) != 0)
		return rc;
	if (r->resolved > r->cases)
		return host->csv_expected(csv, c->resolved, "expected at most "
		                          "cases (%.0f)", r->cases);
	r->within = 0;
	if (r->channel != CH_PHONE)
		return not_for_channel(host, csv, c->extra, r->channel);
	if ((rc = count(host, csv, c->extra, &r->within)) != 0)
		return rc;
	if (r->within > r->cases)
		return host->csv_expected(csv, c->extra, "expected at most "
		                          "cases (%.0f)", r->cases);
	return 0;
}

/* Add row r to a. */
static void add_to(struct cc_acc *a, const struct cc_row *r)
{
	if (r->channel == CH_PHONE) {
		a->phone += r->cases;
		a->within += r->within;
	} else if (r->channel == CH_EMAIL) {
		a->email += r->cases;
	} else {
		a->visit += r->cases;
	}
	a->resolved += r->resolved;
	if (r->cat->n_prices > 0)
		a->revenue += r->cases * price_on(r->cat, r->day);
}

/* Add row r to its district's month, and to its period when the row is
 * in January..run_month of the run year (the district table's months). */
static void add_row(const struct cc_state *st, const struct cc_row *r)
{
	r->dist->has = 1;
	add_to(&r->dist->m, r);
	if (r->year == st->run_year && r->month <= st->run_month) {
		r->dist->has_period[r->month - 1] = 1;
		add_to(&r->dist->period, r);
	}
}

static int flush_month(const struct kpi_host *host, struct kpi_ctx *ctx,
                       struct cc_state *st);

/* Read one row of either format.  Returns 0 or a negative code
 * (reported). */
static int read_row(const struct kpi_host *host, struct kpi_ctx *ctx,
                    struct kpi_csv *csv, const struct cc_cols *c,
                    struct cc_state *st)
{
	struct cc_row r;
	int is_log = c->count < 0, rc;

	rc = row_date(host, csv, c->date,
	              is_log ? KPI_DATE_TIME : KPI_DATE_MONTH, &r);
	if (rc == 0)
		rc = row_channel(host, csv, c->channel, &r.channel);
	if (rc == 0)
		rc = row_category(host, ctx, csv, c->category, st, &r.cat);
	if (rc == 0)
		rc = row_district(host, csv, c->district, st, &r.dist);
	if (rc == 0)
		rc = is_log ? log_fields(host, csv, c, st, &r)
		            : sum_fields(host, csv, c, &r);
	/* a row of another month: the one read so far is complete (in an
	 * export sorted by date; otherwise a month is emitted in parts,
	 * which the host adds up) */
	if (rc == 0 && st->cur_month &&
	    (r.year != st->cur_year || r.month != st->cur_month))
		rc = flush_month(host, ctx, st);
	if (rc == 0) {
		st->cur_year = r.year;
		st->cur_month = r.month;
		add_row(st, &r);
	}
	return rc;
}

/* Which format the header announces: 1 = case log, 2 = summary, or a
 * negative code (reported).  A header with one of a format's other
 * columns but not its key column counts as that format, so the missing
 * key column is then reported by name. */
static int detect_format(const struct kpi_host *host, struct kpi_csv *csv)
{
	int is_log = host->csv_column(csv, "opened", 0) >= 0;
	int is_sum = host->csv_column(csv, "cases", 0) >= 0;

	if (is_log && is_sum)
		return host->csv_error(csv, -1, "expected a case log (column "
		                       "'opened') or a summary (column 'cases'), "
		                       "found both columns");
	if (is_log)
		return 1;
	if (is_sum)
		return 2;
	if (host->csv_column(csv, "date", 0) >= 0 ||
	    host->csv_column(csv, "answered_60s", 0) >= 0)
		return 2;
	if (host->csv_column(csv, "wait_s", 0) >= 0)
		return 1;
	return host->csv_error(csv, -1, "expected a case log (column "
	                       "'opened') or a summary (column 'cases'), "
	                       "found neither");
}

/* Required column `name` into *col.  Returns 0 or a negative code
 * (reported). */
static int need(const struct kpi_host *host, struct kpi_csv *csv,
                const char *name, int *col)
{
	*col = host->csv_column(csv, name, 1);
	return *col < 0 ? *col : 0;
}

/* Map the columns of the detected format.  Returns 0 or a negative code
 * (reported). */
static int map_columns(const struct kpi_host *host, struct kpi_csv *csv,
                       int fmt, struct cc_cols *c)
{
	int rc;

	c->count = -1;
	if ((rc = need(host, csv, fmt == 1 ? "opened" : "date", &c->date)) ||
	    (rc = need(host, csv, "channel", &c->channel)) ||
	    (rc = need(host, csv, "category", &c->category)) ||
	    (rc = need(host, csv, "district", &c->district)))
		return rc;
	if (fmt == 2 && (rc = need(host, csv, "cases", &c->count)))
		return rc;
	if ((rc = need(host, csv, "resolved_first_contact", &c->resolved)))
		return rc;
	return need(host, csv, fmt == 1 ? "wait_s" : "answered_60s",
	            &c->extra);
}

/* ---- results ------------------------------------------------------------ */

/* Weight of the byte sequence at s for Swedish order: å, ä, ö (either
 * case) after z in that order, ASCII letters case-folded.  *n is set to
 * the bytes consumed. */
static int sv_weight(const unsigned char *s, size_t *n)
{
	*n = 1;
	if (s[0] == 0xC3 && s[1] != 0) {
		*n = 2;
		switch (s[1]) {
		case 0x85: case 0xA5: return 'z' + 1;  /* Å å */
		case 0x84: case 0xA4: return 'z' + 2;  /* Ä ä */
		case 0x96: case 0xB6: return 'z' + 3;  /* Ö ö */
		default: return 0x100 + s[1];
		}
	}
	if (s[0] >= 0x80)
		return 0x100 + s[0];
	return lower(s[0]);
}

/* strcmp-like comparison of two district names in Swedish order. */
static int sv_compare(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *y) {
		size_t nx, ny;
		int wx = sv_weight(x, &nx), wy = sv_weight(y, &ny);

		if (wx != wy)
			return wx < wy ? -1 : 1;
		x += nx;
		y += ny;
	}
	if (*x || *y)
		return *x ? 1 : -1;
	return strcmp(a, b);
}

/* Emit the six indicators of one month from a: counts and revenue always,
 * a ratio only when its denominator is not 0 (no cases is no data, not
 * 0 %). */
static int put_month(const struct kpi_host *host, struct kpi_ctx *ctx,
                     int year, int month, const struct cc_acc *a,
                     const char *group)
{
	double cases = a->phone + a->email + a->visit;
	int rc;

	if ((rc = kpi_emit(host, ctx, ID_PHONE, year, month, a->phone, 0,
	                   group)) ||
	    (rc = kpi_emit(host, ctx, ID_EMAIL, year, month, a->email, 0,
	                   group)) ||
	    (rc = kpi_emit(host, ctx, ID_VISITS, year, month, a->visit, 0,
	                   group)) ||
	    (rc = kpi_emit(host, ctx, ID_REVENUE, year, month, a->revenue,
	                   0, group)))
		return rc;
	if (cases > 0 && (rc = kpi_emit(host, ctx, ID_FCR, year, month,
	                                a->resolved, cases, group)))
		return rc;
	if (a->phone > 0)
		rc = kpi_emit(host, ctx, ID_ANSWERED, year, month, a->within,
		              a->phone, group);
	return rc;
}

/* Sort district indexes into Swedish alphabetical order (insertion sort;
 * at most CC_MAX_DISTRICTS). */
static void sort_districts(const struct cc_state *st, size_t *order)
{
	size_t i, j;

	for (i = 0; i < st->n_dist; i++)
		order[i] = i;
	for (i = 1; i < st->n_dist; i++) {
		size_t k = order[i];

		for (j = i; j > 0 && sv_compare(st->dist[order[j - 1]].name,
		                                 st->dist[k].name) > 0; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
}

/* Emit the month read so far: its totals, then each district's with rows
 * in it, in Swedish alphabetical order; then start the next month empty.
 * Returns 0 or the host's code. */
static int flush_month(const struct kpi_host *host, struct kpi_ctx *ctx,
                       struct cc_state *st)
{
	struct cc_acc t = { 0, 0, 0, 0, 0, 0 };
	size_t order[CC_MAX_DISTRICTS], i;
	int has = 0, rc;

	for (i = 0; i < st->n_dist; i++) {
		const struct cc_acc *a = &st->dist[i].m;

		if (!st->dist[i].has)
			continue;
		has = 1;
		t.phone += a->phone;
		t.email += a->email;
		t.visit += a->visit;
		t.resolved += a->resolved;
		t.within += a->within;
		t.revenue += a->revenue;
	}
	rc = 0;
	if (has) {
		sort_districts(st, order);
		rc = put_month(host, ctx, st->cur_year, st->cur_month, &t,
		               NULL);
	}
	for (i = 0; rc == 0 && i < st->n_dist; i++) {
		const struct cc_district *d = &st->dist[order[i]];

		if (d->has)
			rc = put_month(host, ctx, st->cur_year, st->cur_month,
			               &d->m, d->name);
	}
	for (i = 0; i < st->n_dist; i++) {
		st->dist[i].has = 0;
		memset(&st->dist[i].m, 0, sizeof st->dist[i].m);
	}
	return rc;
}

/* Add district d's row for January..run_month to cells[4 * row ..], if
 * it has data then; widen *last to its latest month with data.  Returns 1
 * if a row was added, else 0. */
static int table_row(const struct cc_state *st, const struct cc_district *d,
                     struct kpi_cell *c, int *last)
{
	const struct cc_acc t = d->period;
	double cases;
	int m, has = 0;

	for (m = 0; m < st->run_month && m < 12; m++)
		if (d->has_period[m]) {
			has = 1;
			*last = m + 1 > *last ? m + 1 : *last;
		}
	if (!has)
		return 0;
	cases = t.phone + t.email + t.visit;
	c[0] = (struct kpi_cell){ .kind = KPI_CELL_TEXT, .text = d->name };
	c[1] = (struct kpi_cell){ .kind = KPI_CELL_NUMBER, .number = cases };
	c[2] = (struct kpi_cell){ .kind = KPI_CELL_NUMBER,
	                          .number = t.revenue };
	c[3] = (struct kpi_cell){ .kind = KPI_CELL_EMPTY };
	if (cases > 0)
		c[3] = (struct kpi_cell){ .kind = KPI_CELL_NUMBER,
		                          .number = 100 * t.resolved / cases };
	return 1;
}

/* Emit table "districts": per district with cases in January..run_month
 * of the run year, its cases, variable revenue and first-contact
 * resolution (0 decimals).  No table when no district has data in the
 * period. */
static int emit_table(const struct kpi_host *host, struct kpi_ctx *ctx,
                      const struct cc_state *st, const size_t *order)
{
	static const char *const cols_sv[] = {
		"Stadsdelsförvaltning", "Ärenden", "Rörliga intäkter (kr)",
		"Lösningsgrad (%)"
	};
	static const char *const cols_en[] = {
		"District administration", "Cases", "Variable revenue (SEK)",
		"First-contact resolution (%)"
	};
	static const char *const months_sv[] = {
		"januari", "februari", "mars", "april", "maj", "juni", "juli",
		"augusti", "september", "oktober", "november", "december"
	};
	static const char *const months_en[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"
	};
	struct kpi_cell cells[CC_MAX_DISTRICTS * 4];
	char note_sv[200], note_en[200];
	struct kpi_table t = {
		.size = sizeof t,
		.id = "districts",
		.title_sv = "Kontaktcenter: ärenden och rörliga intäkter per "
		            "stadsdelsförvaltning",
		.title_en = "Contact centre: cases and variable revenue per "
		            "district administration",
		.n_columns = 4,
		.columns_sv = cols_sv,
		.columns_en = cols_en,
		.cells = cells,
		.note_sv = note_sv,
		.note_en = note_en,
	};
	size_t i;
	int last = 0;

	for (i = 0; i < st->n_dist; i++)
		t.n_rows += (size_t)table_row(st, &st->dist[order[i]],
		                              &cells[t.n_rows * 4], &last);
	if (t.n_rows == 0)
		return 0;
	snprintf(note_sv, sizeof note_sv, "Ärenden januari–%s %d. Rörlig "
	         "intäkt: varje ärende till kategorins pris den dag ärendet "
	         "öppnades.", months_sv[last - 1], st->run_year);
	snprintf(note_en, sizeof note_en, "Cases January–%s %d. Variable "
	         "revenue: each case at its category's price on the day it "
	         "was opened.", months_en[last - 1], st->run_year);
	return host->emit_table(ctx, &t);
}

/* compute: read the configured export, emitting each month's
 * measurements (totals and per district) of any year as the next month
 * begins, then the district table of the run's period.  The host keeps
 * the months the run aggregates, and discards everything if the area
 * fails. */
static int cc_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                      void *state)
{
	struct cc_state *st = state;
	size_t order[CC_MAX_DISTRICTS];
	struct kpi_csv *csv;
	struct cc_cols cols;
	int fmt, rc;

	st->run_year = host->run_year(ctx);
	st->run_month = host->run_month(ctx);
	st->n_dist = 0;
	st->cur_year = st->cur_month = 0;
	rc = host->csv_open(ctx, st->file, &csv);
	if (rc != 0)
		return rc;
	fmt = detect_format(host, csv);
	rc = fmt < 0 ? fmt : map_columns(host, csv, fmt, &cols);
	while (rc == 0 && (rc = host->csv_next(csv)) == 1)
		rc = read_row(host, ctx, csv, &cols, st);
	if (rc == 0 && st->cur_month)
		rc = flush_month(host, ctx, st);
	host->csv_close(csv);
	if (rc != 0)
		return rc;
	sort_districts(st, order);
	return emit_table(host, ctx, st, order);
}

/* shutdown: free what cc_init allocated. */
static void cc_shutdown(void *state)
{
	free(state);
}

KPI_PLUGIN(cc_indicators,
	.name = "contact_centre",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Contact centre: cases by channel, first-contact "
	               "resolution, calls answered within a minute and "
	               "variable revenue per district, from a case log or a "
	               "summary",
	.config_keys = cc_config_keys,
	.init = cc_init,
	.compute = cc_compute,
	.shutdown = cc_shutdown)
