/*
 * fuzz_plugin.c - see fuzz_plugin.h.  The run mirrors core/run.c and
 * core/sandbox.c (declare, init, compute, shutdown) without the child.
 */
#include "fuzz_plugin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "eval.h"
#include "fuzz.h"
#include "host.h"

static const char *ini_path;

/* Copy source-tree file `rel` to `name` in the scratch directory. */
static void copy_fixture(const char *name, const char *rel)
{
	char path[4096], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/%s", KPI_SOURCE_DIR, rel);
	f = fopen(path, "rb");
	FUZZ_CHECK(f != NULL, "%s: %s", path, strerror(errno));
	FUZZ_CHECK(fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	           fseek(f, 0, SEEK_SET) == 0, "%s: cannot size", path);
	buf = malloc((size_t)n + 1);
	FUZZ_CHECK(buf && fread(buf, 1, (size_t)n, f) == (size_t)n, "%s: "
	           "cannot read", path);
	fclose(f);
	fuzz_file(name, buf, (size_t)n);
	free(buf);
}

void fuzz_plugin_setup(const char *ini, const char *const *fixtures)
{
	fuzz_quiet();
	ini_path = fuzz_file("area.ini", ini, strlen(ini));
	for (; fixtures && fixtures[0]; fixtures += 2)
		copy_fixture(fixtures[0], fixtures[1]);
}

void fuzz_plugin_run(const struct kpi_plugin *p, const char *area_name,
                     const char *name, const uint8_t *data, size_t size)
{
	const struct kpi_host *host = kpi_host_table();
	struct kpi_config *cfg = NULL;
	const struct kpi_area *area = NULL;
	struct kpi_ctx ctx;
	void *state = NULL;
	unsigned errors;
	int rc;

	FUZZ_CHECK(ini_path != NULL, "fuzz_plugin_setup not called");
	fuzz_file(name, data, size);
	rc = kpi_config_load(ini_path, &cfg);
	FUZZ_CHECK(rc == 0, "the harness's config does not load");
	for (size_t i = 0; i < cfg->n_areas; i++)
		if (strcmp(cfg->areas[i].name, area_name) == 0)
			area = &cfg->areas[i];
	FUZZ_CHECK(area != NULL, "no [area %s]", area_name);
	FUZZ_CHECK(kpi_config_check_area_keys(cfg, area, p->config_keys) == 0,
	           "the harness's area keys are refused");
	for (size_t k = 0; k < p->n_indicators; k++) {
		const struct kpi_indicator_def *d = (const void *)
			((const char *)p->indicators + k * p->indicators[0].size);

		FUZZ_CHECK(kpi_config_declare(cfg, area->name, d) == 0,
		           "static indicator %zu refused", k);
	}
	kpi_host_ctx_init(&ctx, cfg, area);
	rc = p->init(host, &ctx, &state);
	FUZZ_CHECK(rc == 0, "init failed: %d", rc);
	ctx.phase = KPI_PHASE_COMPUTE;
	errors = kpi_diag_errors();
	rc = p->compute(host, &ctx, state);
	ctx.phase = KPI_PHASE_DONE;
	if (rc == 0) {
		FUZZ_CHECK(ctx.bad_calls == 0, "compute succeeded after %d "
		           "refused host calls", ctx.bad_calls);
		for (size_t i = 0; i < cfg->n_indicators; i++)
			kpi_eval_indicator(cfg->indicators[i], &cfg->period,
			                   cfg->tolerance, cfg->tolerance_rel,
			                   cfg->compare);
	} else {
		FUZZ_CHECK(rc == KPI_EDATA || rc == KPI_EIO, "compute returned "
		           "%d, not a data error", rc);
		FUZZ_CHECK(kpi_diag_errors() > errors, "compute failed "
		           "silently");
	}
	if (p->shutdown)
		p->shutdown(state);
	kpi_host_ctx_release(&ctx);
	kpi_config_free(cfg);
}
