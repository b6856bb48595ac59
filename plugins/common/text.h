/*
 * text.h - text helpers shared by area plugins: quoting a value for a
 * message the way the CSV reader quotes fields and matching a word.
 * Config values are read with the host's typed services (config_integer
 * and the others of kpi/plugin.h).
 */
#ifndef KPI_PC_TEXT_H
#define KPI_PC_TEXT_H

/* Compiled into each plugin that uses it (kpi_add_plugin(x x.c
 * ../common/text.c)); hidden by -fvisibility=hidden like export.h.  A CSV
 * field is quoted by the host itself (host->csv_expected): kpi_pc_quote is
 * for what the host cannot quote, such as config values. */

#include <stddef.h>

/* Characters of a value quoted in a message, as the CSV reader's; and the
 * size of the buffer kpi_pc_quote writes (an escaped character takes up
 * to 4 bytes). */
#define KPI_PC_QUOTE_CHARS 40
#define KPI_PC_QUOTE_SIZE (4 * KPI_PC_QUOTE_CHARS + 8)

/*
 * Write s[0..len) into out (KPI_PC_QUOTE_SIZE bytes, caller's) for quoting
 * in a message, as the CSV reader quotes fields: at most
 * KPI_PC_QUOTE_CHARS characters (a longer value is cut to
 * KPI_PC_QUOTE_CHARS - 3 and ends in "..."), LF, CR and TAB written as \n,
 * \r and \t, other control characters as '?'.  Returns out.
 */
const char *kpi_pc_quote(const char *s, size_t len, char *out);

/* True if s[0..len) equals the lowercase ASCII word w, ignoring the ASCII
 * case of s. */
int kpi_pc_word_is(const char *s, size_t len, const char *w);

#endif /* KPI_PC_TEXT_H */
