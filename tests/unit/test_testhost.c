/*
 * test_testhost.c - the plugin tests' host (tests/support/testhost.c) is
 * kpirun's: a plugin that makes a call the core refuses fails its test
 * with the core's message, where a host of the tests' own once accepted
 * the call.  The plugin is tests/fixtures/fx_rude.c, its `mode` the
 * misbehaviour.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "plugintest.h"

#define FIXTURES KPI_BUILD_DIR "/tests/fixtures/plugins"

/* Run fx_rude as area "rude" of a T2 2011 run in `mode`; the caller
 * frees the host. */
static struct test_host *rude(const char *mode, int *rc)
{
	struct test_host *th = test_host_new("rude", 2011, 8, NULL);
	const struct kpi_plugin *p;

	test_host_set(th, "mode", mode);
	p = test_host_load_from(th, FIXTURES, "fx_rude");
	cr_assert_not_null(p, "fx_rude.so did not load");
	*rc = test_host_run(th, p);
	return th;
}

/* A well-behaved run: 7 for January 2011, accepted and recorded. */
Test(testhost, polite_run)
{
	double num, den;
	int rc;
	struct test_host *th = rude("polite", &rc);

	cr_expect_eq(rc, KPI_OK, "%s", test_host_diag(th));
	cr_expect_str_eq(test_host_diag(th), "");
	cr_expect_eq(test_host_sum(th, "value", NULL, 2011, 1, 12, &num, &den),
	             1);
	cr_expect_eq(num, 7);
	plugin_test_free(th);
}

Test(testhost, undeclared_indicator_fails)
{
	double num, den;
	int rc;
	struct test_host *th = rude("undeclared", &rc);

	/* the plugin passes the host's KPI_EINVAL up */
	cr_expect_eq(rc, KPI_EINVAL);
	cr_expect_str_eq(test_host_diag(th), "rude: emitted a result for "
	                 "undeclared indicator 'other'\n"
	                 "rude: compute failed: invalid call to a host "
	                 "service\n");
	cr_expect_eq(test_host_sum(th, "other", NULL, 2011, 1, 12, &num, &den),
	             0);
	plugin_test_free(th);
}

Test(testhost, nan_fails)
{
	double num, den;
	int rc;
	struct test_host *th = rude("nan", &rc);

	cr_expect_eq(rc, KPI_EINVAL);
	cr_expect_str_eq(test_host_diag(th), "rude: emit() with a value that "
	                 "is not a finite number\n"
	                 "rude: compute failed: invalid call to a host "
	                 "service\n");
	cr_expect_eq(test_host_sum(th, "value", NULL, 2011, 1, 12, &num, &den),
	             0);
	plugin_test_free(th);
}

/* declare() at compute is refused; the emit after it is still accepted,
 * but the area fails for the refused call. */
Test(testhost, wrong_phase_fails)
{
	double num, den;
	int rc;
	struct test_host *th = rude("phase", &rc);

	cr_expect_eq(rc, KPI_EPLUGIN);
	cr_expect_str_eq(test_host_diag(th), "rude: declare() called outside "
	                 "init\n");
	cr_expect_eq(test_host_ndeclared(th), 0);
	cr_expect_eq(test_host_sum(th, "value", NULL, 2011, 1, 12, &num, &den),
	             1);
	plugin_test_free(th);
}

/* A key the descriptor does not list is refused before the plugin runs,
 * at its line of the run's config. */
Test(testhost, unknown_key_fails)
{
	struct test_host *th = test_host_new("rude", 2011, 8, NULL);
	const struct kpi_plugin *p;
	char want[1024];

	test_host_set(th, "mode", "polite");
	test_host_set(th, "colour", "blue");
	p = test_host_load_from(th, FIXTURES, "fx_rude");
	cr_assert_not_null(p);
	cr_expect_eq(test_host_run(th, p), KPI_ECONFIG);
	/* "<config>:<line>: [area rude] colour" less its key */
	snprintf(want, sizeof want, "%.*s unknown key 'colour'\n",
	         (int)(strlen(test_host_where(th, "colour")) - strlen(" colour")),
	         test_host_where(th, "colour"));
	cr_expect(strncmp(test_host_diag(th), want, strlen(want)) == 0,
	          "%s", test_host_diag(th));
	plugin_test_free(th);
}
