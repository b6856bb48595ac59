/*
 * text.c - the helpers of text.h, shared by area plugins (contracts in
 * text.h).  kpi_pc_quote must keep quoting as core/csv.c does.
 */
#include <string.h>

#include "text.h"

/* See text.h.  Characters are counted as UTF-8 lead bytes. */
const char *kpi_pc_quote(const char *s, size_t len, char *out)
{
	size_t i, k = 0, chars = 0, total = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			total++;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch & 0xC0) != 0x80) {
			if (total > KPI_PC_QUOTE_CHARS &&
			    chars == KPI_PC_QUOTE_CHARS - 3)
				break;
			chars++;
		}
		if (ch == '\n' || ch == '\r' || ch == '\t') {
			out[k++] = '\\';
			out[k++] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : 't';
		} else if (ch < 0x20 || ch == 0x7F) {
			out[k++] = '?';
		} else {
			out[k++] = (char)ch;
		}
	}
	if (i < len) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
	return out;
}

/* See text.h. */
int kpi_pc_word_is(const char *s, size_t len, const char *w)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (w[i] == '\0' || c != (unsigned char)w[i])
			return 0;
	}
	return w[len] == '\0';
}
