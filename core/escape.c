/*
 * escape.c - text made safe per output (terminal, Markdown, HTML, XML,
 * JSON, CSV) and the UTF-8 decoder they share.  The rules per output are
 * in escape.h; every writer escapes through kpi_escape().
 */
#include "escape.h"

#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

#define REPLACEMENT "\xef\xbf\xbd"   /* U+FFFD */

size_t kpi_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1Fu;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0Fu;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07u;
	} else {
		return 0;   /* continuation byte, C0/C1 overlong lead, > F4 */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3Fu);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

int kpi_utf8_valid(const char *s, size_t n, size_t *bad)
{
	size_t i = 0;
	uint32_t cp;

	while (i < n) {
		size_t k = kpi_utf8_decode(s + i, n - i, &cp);

		if (k == 0) {
			if (bad)
				*bad = i;
			return 0;
		}
		i += k;
	}
	return 1;
}

/* A code point a terminal may act on rather than show: C0, DEL, C1, and
 * the bidirectional overrides and isolates that reorder a line. */
static int is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The visible form of a control code point: \t \n \r, \x1b for other
 * ASCII controls, \u009b above. */
static void visible(FILE *out, uint32_t cp)
{
	switch (cp) {
	case '\t': fputs("\\t", out); return;
	case '\n': fputs("\\n", out); return;
	case '\r': fputs("\\r", out); return;
	default:
		if (cp < 0x80)
			fprintf(out, "\\x%02x", (unsigned)cp);
		else
			fprintf(out, "\\u%04x", (unsigned)cp);
	}
}

static void term_char(FILE *out, const char *s, size_t len, uint32_t cp,
                      int markdown)
{
	if (is_control(cp)) {
		visible(out, cp);
		return;
	}
	if (markdown && cp < 0x80 && strchr("|\\*_<>`[]", (int)cp)) {
		fputc('\\', out);
		fputc((int)cp, out);
		return;
	}
	fwrite(s, 1, len, out);
}

static void markup_char(FILE *out, const char *s, size_t len, uint32_t cp,
                        int xml)
{
	switch (cp) {
	case '<': fputs("&lt;", out); return;
	case '>': fputs("&gt;", out); return;
	case '&': fputs("&amp;", out); return;
	case '"': fputs("&quot;", out); return;
	case '\'': fputs("&#39;", out); return;
	case '\t': fputs(xml ? "&#9;" : "\t", out); return;
	case '\n': fputs(xml ? "&#10;" : "\n", out); return;
	case '\r':
		if (xml) {
			fputs("&#13;", out);
			return;
		}
		break;
	default:
		break;
	}
	if (is_control(cp) || cp == 0xFFFE || cp == 0xFFFF)
		visible(out, cp);
	else
		fwrite(s, 1, len, out);
}

static void json_char(FILE *out, const char *s, size_t len, uint32_t cp)
{
	switch (cp) {
	case '"': fputs("\\\"", out); return;
	case '\\': fputs("\\\\", out); return;
	case '\n': fputs("\\n", out); return;
	case '\r': fputs("\\r", out); return;
	case '\t': fputs("\\t", out); return;
	default:
		if (cp < 0x20 || cp == 0x7F)
			fprintf(out, "\\u%04x", (unsigned)cp);
		else if (cp == 0x2028 || cp == 0x2029)
			/* valid JSON, but not valid JavaScript source */
			fprintf(out, "\\u%04x", (unsigned)cp);
		else
			fwrite(s, 1, len, out);
	}
}

/* A spreadsheet runs a cell starting with these as a formula. */
static int csv_formula_start(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' ||
	       *s == '\t' || *s == '\r';
}

int kpi_escape(FILE *out, int how, const char *s)
{
	size_t n, i = 0;

	if (!s)
		s = "";
	n = strlen(s);
	if (how == KPI_ESC_CSV) {
		fputc('"', out);
		if (csv_formula_start(s))
			fputc('\'', out);
	}
	while (i < n) {
		uint32_t cp;
		size_t k = kpi_utf8_decode(s + i, n - i, &cp);

		if (k == 0) {
			/* an invalid byte: visible where a person reads it,
			 * replaced where a program parses UTF-8 */
			if (how == KPI_ESC_TERM || how == KPI_ESC_MARKDOWN)
				fprintf(out, "\\x%02x", (unsigned char)s[i]);
			else
				fputs(REPLACEMENT, out);
			i++;
			continue;
		}
		switch (how) {
		case KPI_ESC_TERM:
		case KPI_ESC_MARKDOWN:
			term_char(out, s + i, k, cp, how == KPI_ESC_MARKDOWN);
			break;
		case KPI_ESC_HTML:
		case KPI_ESC_XML:
			markup_char(out, s + i, k, cp, how == KPI_ESC_XML);
			break;
		case KPI_ESC_JSON:
			json_char(out, s + i, k, cp);
			break;
		default: /* KPI_ESC_CSV */
			if (cp == '"')
				fputc('"', out);
			fwrite(s + i, 1, k, out);
			break;
		}
		i += k;
	}
	if (how == KPI_ESC_CSV)
		fputc('"', out);
	return ferror(out) ? KPI_EIO : 0;
}

/* True if kpi_escape(how, s) would write s unchanged: a terminal's text
 * of valid UTF-8 without a control code point.  Most cells are, and the
 * text writer escapes thousands of them. */
static int unchanged(int how, const char *s, size_t n)
{
	size_t i = 0;

	if (how != KPI_ESC_TERM)
		return 0;
	while (i < n) {
		uint32_t cp;
		size_t k;

		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F) {
			i++;
			continue;
		}
		k = kpi_utf8_decode(s + i, n - i, &cp);
		if (k == 0 || is_control(cp))
			return 0;
		i += k;
	}
	return 1;
}

char *kpi_escape_dup(int how, const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	if (!s)
		s = "";
	len = strlen(s);
	if (unchanged(how, s, len)) {
		buf = malloc(len + 1);
		if (buf)
			memcpy(buf, s, len + 1);
		return buf;
	}
	len = 0;
	mem = open_memstream(&buf, &len);

	if (!mem)
		return NULL;
	if (kpi_escape(mem, how, s) != 0) {
		fclose(mem);
		free(buf);
		return NULL;
	}
	if (fclose(mem) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *kpi_utf8_fix(const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0, o = 0;
	char *out = malloc(n * 3 + 1);   /* each bad byte becomes 3 */

	if (!out)
		return NULL;
	while (i < n) {
		uint32_t cp;
		size_t k = kpi_utf8_decode(s + i, n - i, &cp);

		if (k == 0) {
			memcpy(out + o, REPLACEMENT, 3);
			o += 3;
			i++;
		} else {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
		}
	}
	out[o] = '\0';
	return out;
}

size_t kpi_escape_term_width(const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0, w = 0;

	while (i < n) {
		uint32_t cp;
		size_t k = kpi_utf8_decode(s + i, n - i, &cp);

		if (k == 0) {
			w += 4;                       /* \xff */
			i++;
			continue;
		}
		if (!is_control(cp))
			w += 1;
		else if (cp == '\t' || cp == '\n' || cp == '\r')
			w += 2;
		else
			w += cp < 0x80 ? 4 : 6;      /* \x1b, \u009b */
		i += k;
	}
	return w;
}
