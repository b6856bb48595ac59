/*
 * hello_area.c - a small area plugin written only from kpi/plugin.h and
 * built out of tree against the installed SDK (tests/sdk_test.sh): it
 * reads a monthly CSV of visitor counts and emits one SUM indicator.
 *
 * Config:  [area NAME]  plugin = hello_area,  file = visitors.csv
 * Export:  month,visitors   (month YYYY-MM, visitors a count)
 */
#include <stdlib.h>

#include <kpi/plugin.h>

static const struct kpi_indicator_def hello_indicators[] = {
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = "visitors",
		.name_sv = "Besökare i servicecentret",
		.name_en = "Visitors to the service centre",
		.unit = "st",
		.aggregation = KPI_AGG_SUM,
		.direction = KPI_DIR_HIGHER,
		.decimals = 0,
	},
};

static const char *const hello_keys[] = { "file", NULL };

struct hello {
	const char *file;   /* from config_get: valid until shutdown */
};

/* Remember which file to read (default visitors.csv). */
static int hello_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                      void **state)
{
	struct hello *h = malloc(sizeof(*h));

	if (!h)
		return KPI_ENOMEM;
	h->file = host->config_get(ctx, "file");
	if (!h->file)
		h->file = "visitors.csv";
	*state = h;
	return KPI_OK;
}

/* One measurement per row: the month's visitor count. */
static int hello_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                         void *state)
{
	const struct hello *h = state;
	struct kpi_csv *csv;
	int rc, c_month, c_visitors;

	rc = host->csv_open(ctx, h->file, &csv);
	if (rc < 0)
		return rc;
	rc = c_month = host->csv_column(csv, "month", 1);
	if (rc < 0)
		goto out;
	rc = c_visitors = host->csv_column(csv, "visitors", 1);
	if (rc < 0)
		goto out;
	while ((rc = host->csv_next(csv)) == 1) {
		struct kpi_measurement m = { .size = sizeof(m) };
		struct kpi_date date;
		double visitors;

		rc = host->csv_date(csv, c_month, KPI_DATE_MONTH, &date);
		if (rc < 0)
			goto out;
		rc = host->csv_number(csv, c_visitors,
		                      KPI_NUM_NONNEG | KPI_NUM_INTEGER,
		                      &visitors);
		if (rc < 0)
			goto out;
		m.indicator = "visitors";
		m.year = date.year;
		m.month = date.month;
		m.num = visitors;
		rc = host->emit(ctx, &m);
		if (rc < 0)
			goto out;
	}
out:
	host->csv_close(csv);
	return rc < 0 ? rc : KPI_OK;
}

static void hello_shutdown(void *state)
{
	free(state);
}

static const struct kpi_plugin hello_plugin = {
	KPI_PLUGIN_HEADER,
	.name = "hello_area",
	.version = "1.0.0",
	.license = "MIT",
	.description = "visitors per month, the SDK example",
	.indicators = hello_indicators,
	.n_indicators = sizeof(hello_indicators) / sizeof(hello_indicators[0]),
	.config_keys = hello_keys,
	.init = hello_init,
	.compute = hello_compute,
	.shutdown = hello_shutdown,
};

const struct kpi_plugin *kpi_plugin_entry(void)
{
	return &hello_plugin;
}
