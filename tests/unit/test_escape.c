/*
 * test_escape.c - core/escape.c: what each output makes of control
 * characters, markup and invalid UTF-8, and the UTF-8 decoder; plus the
 * writer table's lookups (core/writer.c).  Expected strings written out
 * by hand from the rules in escape.h.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "writer.h"

/* kpi_escape_dup(how, in) must equal want. */
static void expect(int how, const char *in, const char *want)
{
	char *got = kpi_escape_dup(how, in);

	cr_assert_not_null(got);
	cr_assert_str_eq(got, want, "escape %d of '%s'", how, in);
	free(got);
}

/* An ANSI colour sequence, a CR that would overwrite the line, an
 * invalid byte and a C1 CSI (U+009B, bytes C2 9B). */
static const char hostile[] = "a\x1b[31mred\rb\xff c\xc2\x9b" "2J";

Test(escape, terminal_shows_controls_and_bad_bytes)
{
	expect(KPI_ESC_TERM, hostile, "a\\x1b[31mred\\rb\\xff c\\u009b2J");
	expect(KPI_ESC_TERM, "tab\there\nnl\x7f", "tab\\there\\nnl\\x7f");
	/* bidi override U+202E (E2 80 AE) would reverse the line */
	expect(KPI_ESC_TERM, "x\xe2\x80\xaey", "x\\u202ey");
	/* ordinary UTF-8 passes as it is */
	expect(KPI_ESC_TERM, "Sjukfrånvaro – 5,5 %", "Sjukfrånvaro – 5,5 %");
	/* the unchanged fast path must still see a control or a bad byte
	 * after text it copies */
	expect(KPI_ESC_TERM, "Sjukfrånvaro – 5,5 %\x1b", "Sjukfrånvaro – 5,5 %\\x1b");
	expect(KPI_ESC_TERM, "Sjukfrånvaro\xc3", "Sjukfrånvaro\\xc3");
	expect(KPI_ESC_TERM, "", "");
}

Test(escape, markdown_escapes_markup_and_controls)
{
	expect(KPI_ESC_MARKDOWN, hostile, "a\\x1b\\[31mred\\rb\\xff c\\u009b2J");
	expect(KPI_ESC_MARKDOWN, "a|b*c_d`e<f>[g]\\",
	       "a\\|b\\*c\\_d\\`e\\<f\\>\\[g\\]\\\\");
}

Test(escape, html_and_xml_are_well_formed)
{
	expect(KPI_ESC_HTML, "<b>&\"'", "&lt;b&gt;&amp;&quot;&#39;");
	/* invalid byte -> U+FFFD (EF BF BD); controls visible; HTML keeps LF */
	expect(KPI_ESC_HTML, hostile,
	       "a\\x1b[31mred\\rb\xef\xbf\xbd c\\u009b2J");
	expect(KPI_ESC_HTML, "l1\nl2", "l1\nl2");
	/* XML 1.0: TAB LF CR as references (kept in attributes too) */
	expect(KPI_ESC_XML, "a\tb\nc\rd\x01", "a&#9;b&#10;c&#13;d\\x01");
	expect(KPI_ESC_XML, "\xef\xbf\xbe", "\\ufffe");
}

Test(escape, json_is_valid_utf8)
{
	expect(KPI_ESC_JSON, "q\"b\\s/\n\r\t\x01\x1b",
	       "q\\\"b\\\\s/\\n\\r\\t\\u0001\\u001b");
	expect(KPI_ESC_JSON, "x\xffy\xe2\x80\xa8", "x\xef\xbf\xbdy\\u2028");
	expect(KPI_ESC_JSON, "Årsmål", "Årsmål");
}

Test(escape, csv_quotes_and_neutralises_formulas)
{
	expect(KPI_ESC_CSV, "a \"b\", c", "\"a \"\"b\"\", c\"");
	expect(KPI_ESC_CSV, "=1+2", "\"'=1+2\"");
	expect(KPI_ESC_CSV, "-3", "\"'-3\"");
	expect(KPI_ESC_CSV, "@SUM", "\"'@SUM\"");
	expect(KPI_ESC_CSV, "\rx", "\"'\rx\"");
	expect(KPI_ESC_CSV, "ok\xff", "\"ok\xef\xbf\xbd\"");
	expect(KPI_ESC_CSV, NULL, "\"\"");
}

Test(escape, utf8_decoder_rejects_what_rfc3629_forbids)
{
	uint32_t cp = 0;
	size_t bad = 99;

	cr_assert_eq(kpi_utf8_decode("\xc3\xa5", 2, &cp), 2);
	cr_assert_eq(cp, 0xE5);                                 /* å */
	cr_assert_eq(kpi_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	cr_assert_eq(cp, 0x1F600);
	cr_assert_eq(kpi_utf8_decode("\xc0\xaf", 2, &cp), 0);   /* overlong */
	cr_assert_eq(kpi_utf8_decode("\xe0\x80\xaf", 3, &cp), 0);
	cr_assert_eq(kpi_utf8_decode("\xed\xa0\x80", 3, &cp), 0); /* D800 */
	cr_assert_eq(kpi_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	cr_assert_eq(kpi_utf8_decode("\xe2\x80", 2, &cp), 0);   /* truncated */
	cr_assert_eq(kpi_utf8_decode("\x80", 1, &cp), 0);
	cr_assert(kpi_utf8_valid("Nämnd – ok", strlen("Nämnd – ok"), &bad));
	cr_assert_not(kpi_utf8_valid("ab\xe4" "c", 4, &bad));
	cr_assert_eq(bad, 2);
}

Test(escape, utf8_fix_replaces_each_bad_byte)
{
	char *s = kpi_utf8_fix("a\xff\xfe" "b\xc3\xa5");

	cr_assert_str_eq(s, "a\xef\xbf\xbd\xef\xbf\xbd" "b\xc3\xa5");
	free(s);
}

Test(escape, terminal_width_counts_what_is_printed)
{
	/* "a" 1 + "\x1b" 4 + "é" 1 + "\r" 2 + "\xff" 4 + "\u009b" 6 */
	cr_assert_eq(kpi_escape_term_width("a\x1b\xc3\xa9\r\xff\xc2\x9b"), 18);
}

Test(writer, lookup_by_name_extension_and_format)
{
	cr_assert_str_eq(kpi_writer_by_name("junit")->exts[0], "xml");
	cr_assert_str_eq(kpi_writer_by_extension("r.XLSX")->name, "xlsx");
	cr_assert_str_eq(kpi_writer_by_extension("out/r.HTML")->name, "html");
	cr_assert_str_eq(kpi_writer_by_extension("r.htm")->name, "html");
	cr_assert_str_eq(kpi_writer_by_extension("junit.xml")->name, "junit");
	cr_assert_str_eq(kpi_writer_by_extension("a.b/report.md")->name,
	                 "markdown");
	cr_assert_null(kpi_writer_by_extension("a.d/report"));
	cr_assert_null(kpi_writer_by_extension("report."));
	cr_assert_str_eq(kpi_writer_by_format(KPI_FORMAT_CSV)->name, "csv");
	cr_assert_str_eq(kpi_writer_by_format(99)->name, "text");
}
