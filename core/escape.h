/*
 * escape.h - the one place text is made safe for an output: the terminal,
 * Markdown, HTML, XML, JSON and CSV, and the UTF-8 check behind them.
 *
 * Text from data (a plugin's table cells, group keys, failure reasons)
 * may hold anything: ESC sequences, CR, invalid UTF-8.  What each output
 * does with it:
 *   terminal, Markdown  control characters (C0, DEL, C1) and bidi
 *                       overrides shown as visible escapes (\x1b, \r, \t,
 *                       \u009b, \u202e); invalid bytes as \xff;
 *   HTML, XML           markup characters as entities; TAB/LF/CR as
 *                       character references (XML) or kept (HTML LF);
 *                       other controls as visible escapes; invalid bytes
 *                       as U+FFFD, so the file is well-formed UTF-8;
 *   JSON                " \ and controls as JSON escapes; invalid bytes as
 *                       U+FFFD: always valid UTF-8;
 *   CSV                 an RFC 4180 quoted field, "" for ", a leading
 *                       apostrophe on text a spreadsheet would run as a
 *                       formula (= + - @ TAB CR); invalid bytes U+FFFD.
 * Valid printable UTF-8 passes unchanged except for the characters each
 * syntax needs escaped.
 */
#ifndef KPI_ESCAPE_H
#define KPI_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum kpi_escape {
	KPI_ESC_TERM = 0,        /* text for a terminal */
	KPI_ESC_MARKDOWN = 1,    /* Markdown inline text and table cells */
	KPI_ESC_HTML = 2,        /* HTML text and attribute values */
	KPI_ESC_XML = 3,         /* XML 1.0 text and attribute values */
	KPI_ESC_JSON = 4,        /* the inside of a JSON string */
	KPI_ESC_CSV = 5          /* a whole quoted CSV field */
};

/* Write s (NULL = "") escaped for `how` to out.  Returns 0 or KPI_EIO. */
int kpi_escape(FILE *out, int how, const char *s);

/* s escaped for `how` as a new string, owned by the caller (free).
 * Returns NULL only when out of memory. */
char *kpi_escape_dup(int how, const char *s);

/* Decode one UTF-8 sequence at s (n bytes available): the code point in
 * *cp and its length 1..4, or 0 for an invalid, overlong, surrogate or
 * truncated sequence (then the first byte is the bad one). */
size_t kpi_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Predicate: s[0..n) is valid UTF-8.  On 0, *bad (if not NULL) is the
 * offset of the first invalid byte. */
int kpi_utf8_valid(const char *s, size_t n, size_t *bad);

/* A copy of s with every invalid byte replaced by U+FFFD, owned by the
 * caller (free).  NULL only when out of memory. */
char *kpi_utf8_fix(const char *s);

/* Display width of s as kpi_escape(KPI_ESC_TERM) would print it, in
 * columns (one per code point; the report has no wide characters). */
size_t kpi_escape_term_width(const char *s);

#endif
