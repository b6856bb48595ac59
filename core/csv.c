/*
 * csv.c - the streaming CSV reader every plugin reads its exports with:
 * the rules of docs/inputs.md, every bad input reported as file:line:col
 * and never repaired (cases in tests/unit/test_csv.c).
 *
 * How it reads.  The file is read(2) in blocks of up to 1 MiB into one
 * buffer of max_record + 1 MiB bytes (smaller caps read smaller blocks),
 * allocated at open and reused: memory does not depend on the file size.
 * A file smaller than that gets a buffer of its own size (plus a little),
 * grown to the full size only if the file turns out longer than fstat
 * said.
 * A record is parsed in place: fields are unquoted inside the buffer and
 * NUL-terminated over their delimiter, so no row or field allocates.  The
 * scan stops only at bytes that matter (a 256-entry class table: the
 * delimiter, LF, CR, '"', NUL and non-ASCII bytes), skipping the others
 * eight at a time; a zero byte after the data is the sentinel that ends
 * every scan.  Every non-ASCII sequence is validated as UTF-8 on the way.  When a record runs past the
 * data read so far, the partial record is moved to the front of the
 * buffer, more is read and the current field is scanned again (fields are
 * only modified once complete, so a rescan sees the bytes of the file).
 *
 * Decisions (where inputs.md leaves a choice):
 *  - Positions: line is the physical line (LF count, so lines after a
 *    multi-line quoted field are right); column is the 1-based CHARACTER
 *    column within that physical line, as editors show it (a UTF-8
 *    sequence is one column, a TAB is one column, a UTF-8 BOM at the file
 *    start is not counted).  A field's column is that of its first byte
 *    (the opening quote for a quoted field).
 *  - Delimiter: a first line "sep=X" (Excel's hint, X one of , ; TAB)
 *    sets it and is skipped; otherwise it is the one of ',' ';' TAB that
 *    occurs most often outside quotes in the header line; none => ','
 *    (one column); a tie between the most frequent is an error (add a
 *    sep= line) rather than a guess.
 *  - Blank lines (empty, or just CRLF) are skipped everywhere, also before
 *    the header.  A line of only delimiters (";;;") is a record.
 *  - A lone CR outside quotes is an error, also a CR at the end of the
 *    file; inside quotes CR and LF are field content, kept as they are.
 *  - Header names: ASCII spaces (only 0x20) trimmed, compared ASCII
 *    case-insensitively (non-ASCII letters must match exactly).  Empty
 *    names are allowed (unnamed columns, never matched, never duplicates).
 *  - Limits: a field's length is its bytes between the delimiters, without
 *    the enclosing quotes (counted before "" is unescaped); a record's is
 *    its bytes without the line end.  0 in kpi_csv_limits = the default.
 *    Reads are min(max_record, 1 MiB) bytes (at least 64).
 *  - After any error (reader, number, date, or kpi_csv_error) kpi_csv_next
 *    returns that error again; the current row stays readable after a
 *    number/date/kpi_csv_error error, not after a reader error.
 *  - The file is read once; if its size or modification time differs at
 *    end of file from what fstat said at open, that is KPI_EIO ("file
 *    changed while it was being read").
 *  - Decimal mark: '.' in a ',' file.  In a ';' or TAB file, where Swedish
 *    Excel writes ',', either mark is read, except a number whose one mark
 *    could as well separate thousands ("1,234", "12.500": a sign, 1-3
 *    digits not starting with 0, the mark, exactly 3 digits), which is a
 *    data error rather than a guess; decimal_mark = comma or point in the
 *    config (kpi_csv_set_decimal_mark) says which mark the file uses, and
 *    the other is then an error.
 */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "diag.h"
#include "limit.h"
#include "months.h"
#include "num.h"
#include "progress.h"
#include "source.h"

#define CSV_BLOCK           ((size_t)1 << 20)  /* largest read(2) */
#define CSV_MIN_BLOCK       64
#define CSV_DEFAULT_FIELD   KPI_MAX_CSV_FIELD
#define CSV_DEFAULT_RECORD  KPI_MAX_CSV_RECORD
#define CSV_SHOW_CHARS      40  /* characters of a field quoted in errors */

/* Byte classes: non-zero bytes stop the scan. */
#define CLS_STOP 1

/* How a field ended. */
enum csv_term { TERM_DELIM, TERM_LF, TERM_CRLF, TERM_EOF };

/* UTF-8 problems. */
enum utf8_fault {
	U8_ANSI,        /* not UTF-8 at all: a legacy code page */
	U8_OVERLONG,
	U8_SURROGATE,
	U8_RANGE,       /* beyond U+10FFFF */
	U8_CUT,         /* sequence cut off by the end of the file */
	U8_BOM          /* U+FEFF after the start of the file */
};

struct csv_field {
	size_t off;     /* content start, from the record start */
	size_t len;     /* content length after unquoting */
	long line;      /* physical line of the field's first byte */
	long col;       /* character column of that byte, 1-based */
};

struct kpi_csv {
	int fd;
	char *path;             /* as shown in diagnostics */
	char *who;              /* diagnostic prefix, or NULL */
	size_t max_field;
	size_t max_record;
	size_t block;           /* largest read */
	int decimal_mark;       /* enum kpi_csv_decimal */

	char *buf;              /* cap + 9 bytes; buf[end] is a 0 sentinel,
	                           the 8 bytes after it are 0 too */
	size_t cap;
	size_t full_cap;        /* cap for a file of any length */
	size_t pos;             /* first byte not yet consumed */
	size_t end;             /* end of the data read */
	int eof;                /* the source returned 0 */
	struct kpi_source src;  /* the file's bytes, plain or gzip */
	struct kpi_progress progress;
	off_t size;             /* st_size at open */
	struct timespec mtime;  /* st_mtim at open */

	char delim;
	unsigned char cls[256];   /* outside quotes */
	unsigned char qcls[256];  /* inside quotes */

	long header_line;
	int ncols;
	char **names;           /* ncols trimmed header names */
	char *names_buf;
	struct csv_field *fields;  /* ncols entries, the current row */

	char *rec;              /* current record in buf */
	long line;              /* its first physical line */
	long next_line;         /* line the next record starts on */
	int have_row;
	int done;               /* end of file reached */
	int err;                /* sticky error code, 0 if none */

	/* the run's window (host.c): rows returned, rows already claimed by
	 * a result, rows whose result fell outside it */
	unsigned long long rows;
	unsigned long long claimed;
	unsigned long long outside;
	void *owner;            /* the host's context of the opener, or NULL */

	struct kpi_months *months;  /* months claimed (months.h), or NULL */
};

/* Skipping plain bytes eight at a time (SWAR): a word is loaded and the
 * first byte that MAY stop the scan is flagged with bit tricks (borrows
 * can flag bytes after the first match, never before it): a byte below
 * 0x0E (NUL, TAB, LF, CR), '"', the delimiter, or a byte with the high
 * bit set.  The class table then decides about that byte.
 * The buffer has 8 zeroed bytes of slack after the sentinel so the load
 * never leaves it.  Lowest set bit = first byte, so little-endian only;
 * other targets use the byte loop. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CSV_SWAR 1
#define SWAR_ONES  UINT64_C(0x0101010101010101)
#define SWAR_HIGHS UINT64_C(0x8080808080808080)

/* High bit of the first byte of w equal to the byte repeated in pat (the
 * bits above it may be wrong, the lowest one is right). */
static inline uint64_t swar_eq(uint64_t w, uint64_t pat)
{
	uint64_t x = w ^ pat;

	return (x - SWAR_ONES) & ~x & SWAR_HIGHS;
}

/* Distance from p to the first byte that may stop a scan for '"' and,
 * outside quotes, the delimiter (pd; pass '"' repeated inside quotes). */
static inline size_t swar_skip(const char *p, uint64_t pd)
{
	static const uint64_t pq = SWAR_ONES * '"';
	const char *s = p;
	uint64_t w, m;

	for (;;) {
		memcpy(&w, s, 8);
		m = ((w - SWAR_ONES * 0x0E) & ~w & SWAR_HIGHS) |
		    (w & SWAR_HIGHS) | swar_eq(w, pq) | swar_eq(w, pd);
		if (m)
			return (size_t)(s - p) + ((unsigned)__builtin_ctzll(m) >> 3);
		s += 8;
	}
}
#endif

/* Character column of position p, given the start of its physical line
 * and the UTF-8 continuation bytes between the two. */
#define COL(p, lstart, cont) ((long)((p) - (lstart)) - (cont) + 1)

static int csv_fail(struct kpi_csv *c, int code, long line, long col,
                    const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Print an error at line:col (0 = omit) and make it sticky. */
static int csv_fail(struct kpi_csv *c, int code, long line, long col,
                    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kpi_diagv(KPI_LOG_ERROR, c->who, c->path, line, col, fmt, ap);
	va_end(ap);
	c->err = code;
	return code;
}

/* Read more data after buf[pos..end), which is first moved to the front.
 * Returns 1 (data added), 0 (end of file) or KPI_EIO. */
static int refill(struct kpi_csv *c)
{
	size_t keep = c->end - c->pos, room;
	struct stat st;
	ssize_t n;

	if (c->pos > 0) {
		memmove(c->buf, c->buf + c->pos, keep);
		c->pos = 0;
		c->end = keep;
	}
	if (c->eof)
		return 0;
	if (c->end == c->cap && c->cap < c->full_cap) {
		/* the file is longer than it was at open */
		char *nb = realloc(c->buf, c->full_cap + 1 + 8);

		if (!nb)
			return csv_fail(c, KPI_ENOMEM, 0, 0, "out of memory");
		c->buf = nb;
		c->cap = c->full_cap;
	}
	room = c->cap - c->end;
	if (room > c->block)
		room = c->block;
	if (room == 0)          /* callers check the record cap first */
		return csv_fail(c, KPI_EDATA, c->next_line, 0,
		                "record exceeds limit of %zu bytes",
		                c->max_record);
	n = kpi_source_read(&c->src, c->buf + c->end, room);
	if (n < 0)
		return csv_fail(c, (int)n, 0, 0, "%s", c->src.msg);
	c->end += (size_t)n;
	memset(c->buf + c->end, 0, 1 + 8);     /* sentinel, SWAR slack */
	kpi_progress_update(&c->progress, c->src.consumed);
	if (n > 0)
		return 1;
	c->eof = 1;
	kpi_progress_end(&c->progress);
	if (fstat(c->fd, &st) != 0 || st.st_size != c->size ||
	    c->src.consumed != (unsigned long long)c->size ||
	    st.st_mtim.tv_sec != c->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != c->mtime.tv_nsec)
		return csv_fail(c, KPI_EIO, 0, 0,
		                "file changed while it was being read");
	return 0;
}

/* Check the UTF-8 sequence starting with the non-ASCII byte at p.
 * Returns its length (2..4), 0 if invalid (*fault set), or -1 if it runs
 * into `end` and more data is needed to tell. */
static int utf8_seq(const unsigned char *p, const unsigned char *end,
                    int *fault)
{
	unsigned lead = p[0], lo = 0x80, hi = 0xBF;
	int n, i;

	if (lead >= 0xC2 && lead <= 0xDF) {
		n = 2;
	} else if (lead >= 0xE0 && lead <= 0xEF) {
		n = 3;
		if (lead == 0xE0)
			lo = 0xA0;
		else if (lead == 0xED)
			hi = 0x9F;
	} else if (lead >= 0xF0 && lead <= 0xF4) {
		n = 4;
		if (lead == 0xF0)
			lo = 0x90;
		else if (lead == 0xF4)
			hi = 0x8F;
	} else if (lead == 0xC0 || lead == 0xC1) {
		if (p + 1 == end)
			return -1;
		*fault = p[1] >= 0x80 && p[1] <= 0xBF ? U8_OVERLONG : U8_ANSI;
		return 0;
	} else {
		*fault = U8_ANSI;       /* stray continuation, F5..FF */
		return 0;
	}
	if (p + 1 == end)
		return -1;
	if (p[1] < 0x80 || p[1] > 0xBF) {
		*fault = U8_ANSI;
		return 0;
	}
	if (p[1] < lo || p[1] > hi) {
		*fault = lead == 0xED ? U8_SURROGATE :
		         lead == 0xF4 ? U8_RANGE : U8_OVERLONG;
		return 0;
	}
	for (i = 2; i < n; i++) {
		if (p + i == end)
			return -1;
		if (p[i] < 0x80 || p[i] > 0xBF) {
			*fault = U8_ANSI;
			return 0;
		}
	}
	if (n == 3 && lead == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		*fault = U8_BOM;
		return 0;
	}
	return n;
}

static int utf8_fail(struct kpi_csv *c, long line, long col, unsigned byte,
                     int fault)
{
	static const char *const hint[] = {
		[U8_ANSI] = "file saved as ANSI/Windows-1252?",
		[U8_OVERLONG] = "overlong encoding",
		[U8_SURROGATE] = "UTF-16 surrogate",
		[U8_RANGE] = "beyond U+10FFFF",
		[U8_CUT] = "sequence cut off at end of file",
	};

	if (fault == U8_BOM)
		return csv_fail(c, KPI_EDATA, line, col,
		                "byte-order mark (U+FEFF) after the start of "
		                "the file");
	return csv_fail(c, KPI_EDATA, line, col,
	                "invalid UTF-8 byte 0x%02X (%s)", byte, hint[fault]);
}

/* Skip blank lines.  Returns 1 when a record starts at pos, 0 at end of
 * file, or an error. */
static int skip_blank(struct kpi_csv *c)
{
	int rc;

	for (;;) {
		char *p = c->buf + c->pos;
		size_t avail = c->end - c->pos;

		if (avail > 0 && *p == '\n') {
			c->pos++;
			c->next_line++;
		} else if (avail > 1 && *p == '\r' && p[1] == '\n') {
			c->pos += 2;
			c->next_line++;
		} else if (avail == 0 || (avail == 1 && *p == '\r')) {
			if (c->eof)
				return avail > 0;  /* a last lone CR: an error */
			rc = refill(c);
			if (rc < 0)
				return rc;
		} else {
			return 1;
		}
	}
}

/* Parse the next record at pos into c->fields (the first c->ncols
 * fields; the rest are only counted).  Returns 1, 0 at end of file, or an
 * error code with the diagnostic printed. */
static int read_record(struct kpi_csv *c)
{
	const unsigned char *cls = c->cls, *qcls = c->qcls;
	const char delim = c->delim;
#ifdef CSV_SWAR
	const uint64_t pd = SWAR_ONES * (unsigned char)delim;
#endif
	char *rec, *end, *p, *fs, *lstart, *f_lstart, *cstart, *cend;
	long line, f_line, rec_line, cont, f_cont;
	int nf = 0, term, dq, rc, n, fault;
	size_t shift, lshift;
	unsigned char ch;

	c->have_row = 0;
	rc = skip_blank(c);
	if (rc <= 0)
		return rc;
	rec = c->buf + c->pos;
	end = c->buf + c->end;
	rec_line = line = c->next_line;
	lstart = rec;
	cont = 0;
	p = rec;
	for (;;) {
		fs = p;
		f_line = line;
		f_lstart = lstart;
		f_cont = cont;
again:          /* rescan the field after more data was read */
		dq = 0;
		if (*p == '"') {
			p++;
			for (;;) {
#ifdef CSV_SWAR
				p += swar_skip(p, SWAR_ONES * '"');
				if (!qcls[(unsigned char)*p]) {
					p++;
					continue;
				}
#else
				while (!qcls[(unsigned char)*p])
					p++;
#endif
				ch = (unsigned char)*p;
				if (ch == '"') {
					if (p + 1 == end && !c->eof)
						goto need;
					if (p[1] == '"') {
						dq = 1;
						p += 2;
						continue;
					}
					break;
				}
				if (ch == '\n') {
					line++;
					lstart = ++p;
					cont = 0;
					continue;
				}
				if (ch == 0) {
					if (p < end)
						return csv_fail(c, KPI_EDATA, line,
						                COL(p, lstart, cont),
						                "NUL byte");
					if (!c->eof)
						goto need;
					return csv_fail(c, KPI_EDATA, f_line,
					                COL(fs, f_lstart, f_cont),
					                "unterminated quoted field");
				}
				n = utf8_seq((unsigned char *)p,
				             (unsigned char *)end, &fault);
				if (n > 0) {
					cont += n - 1;
					p += n;
					continue;
				}
				if (n < 0 && !c->eof)
					goto need;
				return utf8_fail(c, line, COL(p, lstart, cont),
				                 ch, n < 0 ? U8_CUT : fault);
			}
			cstart = fs + 1;
			cend = p++;
			ch = (unsigned char)*p;
			if (ch == (unsigned char)delim) {
				term = TERM_DELIM;
			} else if (ch == '\n') {
				term = TERM_LF;
			} else if (ch == '\r') {
				if (p + 1 == end && !c->eof)
					goto need;
				if (p[1] != '\n')
					goto lone_cr;
				term = TERM_CRLF;
			} else if (ch == 0 && p == end) {
				if (!c->eof)
					goto need;
				term = TERM_EOF;
			} else if (ch == 0) {
				return csv_fail(c, KPI_EDATA, line,
				                COL(p, lstart, cont), "NUL byte");
			} else {
				return csv_fail(c, KPI_EDATA, line,
				                COL(p, lstart, cont),
				                "expected a delimiter or end of "
				                "line after a closing quote");
			}
		} else {
			for (;;) {
#ifdef CSV_SWAR
				p += swar_skip(p, pd);
				if (!cls[(unsigned char)*p]) {
					p++;
					continue;
				}
#else
				while (!cls[(unsigned char)*p])
					p++;
#endif
				ch = (unsigned char)*p;
				if (ch == (unsigned char)delim) {
					term = TERM_DELIM;
					break;
				}
				if (ch == '\n') {
					term = TERM_LF;
					break;
				}
				if (ch == '\r') {
					if (p + 1 == end && !c->eof)
						goto need;
					if (p[1] != '\n')
						goto lone_cr;
					term = TERM_CRLF;
					break;
				}
				if (ch == 0) {
					if (p < end)
						return csv_fail(c, KPI_EDATA, line,
						                COL(p, lstart, cont),
						                "NUL byte");
					if (!c->eof)
						goto need;
					term = TERM_EOF;
					break;
				}
				if (ch == '"')
					return csv_fail(c, KPI_EDATA, line,
					                COL(p, lstart, cont),
					                "unexpected '\"' in an unquoted "
					                "field (quote the whole field "
					                "and double the '\"')");
				n = utf8_seq((unsigned char *)p,
				             (unsigned char *)end, &fault);
				if (n > 0) {
					cont += n - 1;
					p += n;
					continue;
				}
				if (n < 0 && !c->eof)
					goto need;
				return utf8_fail(c, line, COL(p, lstart, cont),
				                 ch, n < 0 ? U8_CUT : fault);
			}
			cstart = fs;
			cend = p;
		}

		/* p is at the terminator; the field is complete. */
		if ((size_t)(cend - cstart) > c->max_field)
			return csv_fail(c, KPI_EDATA, f_line,
			                COL(fs, f_lstart, f_cont),
			                "field exceeds limit of %zu bytes",
			                c->max_field);
		if (nf < c->ncols) {
			struct csv_field *f = &c->fields[nf];

			if (dq) {
				char *r = cstart, *w = cstart, *q;

				while ((q = memchr(r, '"', (size_t)(cend - r)))) {
					memmove(w, r, (size_t)(q - r) + 1);
					w += q - r + 1;
					r = q + 2;
				}
				memmove(w, r, (size_t)(cend - r));
				cend = w + (cend - r);
			}
			*cend = '\0';
			f->off = (size_t)(cstart - rec);
			f->len = (size_t)(cend - cstart);
			f->line = f_line;
			f->col = COL(fs, f_lstart, f_cont);
		}
		nf++;
		if (term != TERM_DELIM)
			break;
		p++;
	}

	if ((size_t)(p - rec) > c->max_record)
		return csv_fail(c, KPI_EDATA, rec_line, 0,
		                "record exceeds limit of %zu bytes",
		                c->max_record);
	if (term == TERM_LF) {
		p += 1;
		line++;
	} else if (term == TERM_CRLF) {
		p += 2;
		line++;
	}
	c->pos = (size_t)(p - c->buf);
	c->rec = rec;
	c->line = rec_line;
	c->next_line = line;
	if (nf != c->ncols)
		return csv_fail(c, KPI_EDATA, rec_line, 0,
		                "expected %d fields, found %d", c->ncols, nf);
	c->have_row = 1;
	return 1;

need:   /* the field runs past the data read: read more, rescan it */
	if ((size_t)(end - fs) > c->max_field + 2)
		return csv_fail(c, KPI_EDATA, f_line, COL(fs, f_lstart, f_cont),
		                "field exceeds limit of %zu bytes",
		                c->max_field);
	if ((size_t)(end - rec) > c->max_record + 1)
		return csv_fail(c, KPI_EDATA, rec_line, 0,
		                "record exceeds limit of %zu bytes",
		                c->max_record);
	/* refill moves the record to the front of the buffer (which it may
	 * also grow): keep offsets from the record's start */
	shift = (size_t)(fs - rec);
	lshift = (size_t)(f_lstart - rec);
	c->pos = (size_t)(rec - c->buf);
	rc = refill(c);
	if (rc < 0)
		return rc;
	rec = c->buf;
	fs = rec + shift;
	f_lstart = rec + lshift;
	end = c->buf + c->end;
	p = fs;
	line = f_line;
	lstart = f_lstart;
	cont = f_cont;
	goto again;

lone_cr:
	return csv_fail(c, KPI_EDATA, line, COL(p, lstart, cont),
	                "carriage return without line feed (expected LF or "
	                "CRLF line endings)");
}

static void set_delimiter(struct kpi_csv *c, char delim)
{
	int i;

	c->delim = delim;
	memset(c->cls, 0, sizeof c->cls);
	memset(c->qcls, 0, sizeof c->qcls);
	for (i = 0x80; i < 0x100; i++)
		c->cls[i] = c->qcls[i] = CLS_STOP;
	c->cls[0] = c->qcls[0] = CLS_STOP;
	c->cls['"'] = c->qcls['"'] = CLS_STOP;
	c->cls['\n'] = c->qcls['\n'] = CLS_STOP;
	c->cls['\r'] = CLS_STOP;
	c->cls[(unsigned char)delim] = CLS_STOP;
}

static const char *delim_name(char d)
{
	return d == ',' ? "','" : d == ';' ? "';'" : "TAB";
}

/* Count ',' ';' TAB outside quotes in the header line at pos (reading
 * until the whole line is in the buffer), choose the delimiter unless a
 * sep= line gave it, and set the number of columns. */
static int scan_header(struct kpi_csv *c, int choose)
{
	static const char cand[3] = { ',', ';', '\t' };
	size_t count[3], best = 0;
	int i, nbest = 0, rc;
	char d = ',';

	for (;;) {
		const char *p = c->buf + c->pos, *end = c->buf + c->end;
		int inq = 0;

		count[0] = count[1] = count[2] = 0;
		for (; p < end; p++) {
			if (*p == '"')
				inq = !inq;
			else if (inq)
				continue;
			else if (*p == '\n')
				break;
			else if (*p == ',')
				count[0]++;
			else if (*p == ';')
				count[1]++;
			else if (*p == '\t')
				count[2]++;
		}
		if (p < end || c->eof)
			break;
		if (c->end - c->pos > c->max_record + 1)
			return csv_fail(c, KPI_EDATA, c->next_line, 0,
			                "record exceeds limit of %zu bytes",
			                c->max_record);
		rc = refill(c);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < 3; i++) {
		if (count[i] > best) {
			best = count[i];
			d = cand[i];
			nbest = 1;
		} else if (count[i] == best && best > 0) {
			nbest++;
		}
	}
	if (!choose) {
		d = c->delim;
		nbest = 1;
	}
	if (nbest > 1) {
		char a = 0, b = 0;

		for (i = 0; i < 3; i++) {
			if (count[i] != best)
				continue;
			if (!a)
				a = cand[i];
			else if (!b)
				b = cand[i];
		}
		return csv_fail(c, KPI_EDATA, c->next_line, 0,
		                "cannot tell the delimiter: the header has as "
		                "many %s as %s (add a first line sep=; or "
		                "sep=,)", delim_name(a), delim_name(b));
	}
	set_delimiter(c, d);
	for (i = 0; i < 3; i++)
		if (cand[i] == d)
			best = count[i];
	if (best >= INT32_MAX)
		return csv_fail(c, KPI_EDATA, c->next_line, 0,
		                "too many columns");
	c->ncols = (int)best + 1;
	return 0;
}

/* If the first line is Excel's "sep=X", use X and skip the line.
 * Needs the first 16 bytes (or the whole file) in the buffer. */
static int sep_line(struct kpi_csv *c, int *found)
{
	const char *b = c->buf + c->pos;
	size_t n = c->end - c->pos, k;

	*found = 0;
	if (n < 5 || (b[0] != 's' && b[0] != 'S') ||
	    (b[1] != 'e' && b[1] != 'E') || (b[2] != 'p' && b[2] != 'P') ||
	    b[3] != '=')
		return 0;
	if (n == 5)
		k = 5;
	else if (b[5] == '\n')
		k = 6;
	else if (b[5] == '\r' && n > 6 && b[6] == '\n')
		k = 7;
	else
		return 0;               /* a header that starts with "sep=" */
	if (b[4] != ',' && b[4] != ';' && b[4] != '\t')
		return csv_fail(c, KPI_EDATA, 1, 5,
		                "expected ',', ';' or TAB after sep=");
	set_delimiter(c, b[4]);
	c->pos += k;
	c->next_line = 2;
	*found = 1;
	return 0;
}

static int ascii_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

/* strcmp, ASCII letters folded. */
static int name_cmp(const char *a, const char *b)
{
	while (*a && ascii_lower((unsigned char)*a) ==
	             ascii_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return ascii_lower((unsigned char)*a) - ascii_lower((unsigned char)*b);
}

struct name_ref {
	const char *name;
	int idx;
};

static int name_ref_cmp(const void *x, const void *y)
{
	const struct name_ref *a = x, *b = y;
	int r = name_cmp(a->name, b->name);

	return r ? r : a->idx - b->idx;
}

/* Copy the header names out of the buffer and reject duplicates.  Sorting
 * keeps this O(n log n) for absurdly wide headers. */
static int take_names(struct kpi_csv *c)
{
	struct name_ref *ref;
	size_t total = 0, n = (unsigned)c->ncols;
	char *w;
	int i, dup_a = -1, dup_b = -1;

	for (i = 0; i < c->ncols; i++)
		total += c->fields[i].len + 1;
	c->names = calloc(n, sizeof *c->names);
	c->names_buf = malloc(total);
	ref = calloc(n, sizeof *ref);
	if (!c->names || !c->names_buf || !ref) {
		free(ref);
		return csv_fail(c, KPI_ENOMEM, 0, 0, "out of memory");
	}
	w = c->names_buf;
	for (i = 0; i < c->ncols; i++) {
		const char *s = c->rec + c->fields[i].off;
		size_t len = c->fields[i].len;

		while (len > 0 && *s == ' ') {
			s++;
			len--;
		}
		while (len > 0 && s[len - 1] == ' ')
			len--;
		memcpy(w, s, len);
		w[len] = '\0';
		c->names[i] = w;
		ref[i].name = w;
		ref[i].idx = i;
		w += len + 1;
	}
	qsort(ref, n, sizeof *ref, name_ref_cmp);
	for (i = 1; i < c->ncols; i++) {
		if (!*ref[i].name || name_cmp(ref[i - 1].name, ref[i].name))
			continue;
		if (i >= 2 && !name_cmp(ref[i - 2].name, ref[i].name))
			continue;       /* a third one: the first two count */
		if (dup_b < 0 || ref[i].idx < dup_b) {
			dup_a = ref[i - 1].idx;
			dup_b = ref[i].idx;
		}
	}
	free(ref);
	if (dup_b >= 0)
		return csv_fail(c, KPI_EDATA, c->fields[dup_b].line,
		                c->fields[dup_b].col,
		                "duplicate column: '%s' (column %d) and '%s' "
		                "(column %d)", c->names[dup_a], dup_a + 1,
		                c->names[dup_b], dup_b + 1);
	return 0;
}

/* BOM, UTF-16, sep= line, delimiter, header record, names. */
static int read_header(struct kpi_csv *c)
{
	const unsigned char *b;
	size_t n;
	int rc, found;

	while (!c->eof && c->end - c->pos < 16) {
		rc = refill(c);
		if (rc < 0)
			return rc;
	}
	b = (const unsigned char *)c->buf + c->pos;
	n = c->end - c->pos;
	c->next_line = 1;
	if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) ||
	               (b[0] == 0xFE && b[1] == 0xFF)))
		return csv_fail(c, KPI_EDATA, 1, 0, "UTF-16 not supported, "
		                "export as \"CSV UTF-8\"");
	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		c->pos += 3;
		n -= 3;
	}
	if (n == 0)
		return csv_fail(c, KPI_EDATA, 1, 0,
		                "file is empty, expected a header");
	set_delimiter(c, ',');
	rc = sep_line(c, &found);
	if (rc < 0)
		return rc;
	rc = skip_blank(c);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return csv_fail(c, KPI_EDATA, c->next_line, 0,
		                "expected a header, found end of file");
	rc = scan_header(c, !found);
	if (rc < 0)
		return rc;
	c->fields = calloc((unsigned)c->ncols, sizeof *c->fields);
	if (!c->fields)
		return csv_fail(c, KPI_ENOMEM, 0, 0, "out of memory");
	c->header_line = c->next_line;
	rc = read_record(c);
	if (rc < 0)
		return rc;
	rc = take_names(c);
	c->have_row = 0;
	return rc < 0 ? rc : 0;
}

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* See csv.h.  Opened O_NONBLOCK so that a FIFO cannot block the open; the
 * file must then be a regular file (symbolic links are followed). */
int kpi_csv_open(const char *path, const char *display, const char *who,
                 const struct kpi_csv_limits *limits, struct kpi_csv **out)
{
	struct kpi_csv *c;
	struct stat st;
	int rc;

	if (!out)
		return KPI_EINVAL;
	*out = NULL;
	if (!path)
		return KPI_EINVAL;
	c = calloc(1, sizeof *c);
	if (!c)
		goto out_nomem;
	c->fd = -1;
	c->path = strdup(display ? display : path);
	c->who = who ? strdup(who) : NULL;
	if (!c->path || (who && !c->who))
		goto out_nomem;
	c->max_field = limits && limits->max_field ? limits->max_field :
	               CSV_DEFAULT_FIELD;
	c->max_record = limits && limits->max_record ? limits->max_record :
	                CSV_DEFAULT_RECORD;
	c->block = c->max_record < CSV_MIN_BLOCK ? CSV_MIN_BLOCK :
	           c->max_record > CSV_BLOCK ? CSV_BLOCK : c->max_record;

	c->fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (c->fd < 0) {
		rc = csv_fail(c, KPI_EIO, 0, 0, "cannot open: %s",
		              strerror(errno));
		goto out_free;
	}
	if (fstat(c->fd, &st) != 0) {
		rc = csv_fail(c, KPI_EIO, 0, 0, "cannot stat: %s",
		              strerror(errno));
		goto out_free;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = csv_fail(c, KPI_EIO, 0, 0,
		              "expected a regular file, found %s",
		              file_kind(st.st_mode));
		goto out_free;
	}
	c->size = st.st_size;
	c->mtime = st.st_mtim;
	rc = kpi_source_init(&c->src, c->fd);
	if (rc != 0) {
		csv_fail(c, rc, 0, 0, "%s", c->src.msg);
		goto out_free;
	}

	c->full_cap = c->max_record + 2 + c->block;
	c->cap = c->full_cap;
	if (!kpi_source_is_gzip(&c->src) && st.st_size >= 0 &&
	    (size_t)st.st_size < c->full_cap - CSV_MIN_BLOCK)
		c->cap = (size_t)st.st_size + CSV_MIN_BLOCK;
	c->buf = calloc(c->cap + 1 + 8, 1);    /* sentinel, SWAR slack */
	if (!c->buf)
		goto out_nomem;
	kpi_progress_start(&c->progress, c->who, c->path,
	                   (unsigned long long)st.st_size);
	rc = read_header(c);
	if (rc < 0)
		goto out_free;
	*out = c;
	return 0;

out_nomem:
	/* the caller's strings: c->who or c->path may be what failed */
	kpi_diag(KPI_LOG_ERROR, who, display ? display : path, 0, 0,
	         "out of memory");
	rc = KPI_ENOMEM;
out_free:
	kpi_csv_close(c);
	return rc;
}

/* See plugin.h (csv_column).  Names are compared ASCII case-insensitively
 * with the trimmed header names. */
int kpi_csv_column(struct kpi_csv *c, const char *name, int required)
{
	int i;

	if (!c || !name)
		return KPI_EINVAL;
	for (i = 0; i < c->ncols; i++)
		if (c->names[i][0] && name_cmp(c->names[i], name) == 0)
			return i;
	if (!required)
		return KPI_ENOTFOUND;
	return csv_fail(c, KPI_EDATA, c->header_line, 0,
	                "missing required column '%s'", name);
}

/* See plugin.h (csv_next).  After an error, returns it again. */
int kpi_csv_next(struct kpi_csv *c)
{
	int rc;

	if (!c)
		return KPI_EINVAL;
	if (c->err)
		return c->err;
	if (c->done)
		return 0;
	rc = read_record(c);
	if (rc == 0) {
		c->done = 1;
		c->have_row = 0;
	} else if (rc < 0) {
		c->have_row = 0;
	} else {
		c->rows++;
	}
	return rc;
}

/* The current row's field col, or NULL (no row, col out of range). */
static const struct csv_field *field_at(const struct kpi_csv *c, int col)
{
	if (!c || !c->have_row || col < 0 || col >= c->ncols)
		return NULL;
	return &c->fields[col];
}

/* See plugin.h (csv_field).  Returns NULL (and *len 0) when there is no
 * current row or col is not a column index. */
const char *kpi_csv_field(struct kpi_csv *c, int col, size_t *len)
{
	const struct csv_field *f = field_at(c, col);

	if (len)
		*len = f ? f->len : 0;
	return f ? c->rec + f->off : NULL;
}

/* Write s[0..len) for a message into out (size >= 4 * CSV_SHOW_CHARS +
 * 8): control characters escaped, at most CSV_SHOW_CHARS characters, a
 * longer field cut to fewer with "..." after it. */
static const char *show(const char *s, size_t len, char *out)
{
	size_t i = 0, chars = 0, k = 0, total = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			total++;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch & 0xC0) != 0x80) {
			if (total > CSV_SHOW_CHARS && chars == CSV_SHOW_CHARS - 3)
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

/* True if s[0..len) is an Excel error value: #N/A, or '#', capitals,
 * digits, '/', '_' or non-ASCII letters, and a final '!' or '?' (#DIV/0!,
 * #VALUE!, #NAME?, the Swedish #SAKNAS!, #VÄRDEFEL!, #DIVISION/0!,
 * #REFERENS!, #NAMN? ...). */
static int excel_error(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || (*s != '#' && *s != ' '))
		return 0;
	while (len > 0 && *s == ' ') {
		s++;
		len--;
	}
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 4 && memcmp(s, "#N/A", 4) == 0)
		return 1;
	if (len < 3 || len > 32 || s[0] != '#' ||
	    (s[len - 1] != '!' && s[len - 1] != '?'))
		return 0;
	for (i = 1; i < len - 1; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '/' || ch == '_' || ch >= 0x80))
			return 0;
	}
	return 1;
}

/* Report `what` about field f: "what, found '<field>'". */
static int field_fail(struct kpi_csv *c, const struct csv_field *f,
                      const char *what)
{
	char shown[4 * CSV_SHOW_CHARS + 8];
	const char *s = c->rec + f->off;
	size_t len = f->len;

	if (excel_error(s, len)) {
		while (*s == ' ') {
			s++;
			len--;
		}
		while (s[len - 1] == ' ')
			len--;
		return csv_fail(c, KPI_EDATA, f->line, f->col,
		                "cell contains Excel error %s",
		                show(s, len, shown));
	}
	return csv_fail(c, KPI_EDATA, f->line, f->col, "%s, found '%s'", what,
	                show(s, len, shown));
}

static int bad_column(struct kpi_csv *c, int col)
{
	if (!c)
		return KPI_EINVAL;
	if (!c->have_row)
		kpi_diag(KPI_LOG_ERROR, c->who, c->path, c->line, 0,
		         "no current row (call csv_next first)");
	else
		kpi_diag(KPI_LOG_ERROR, c->who, c->path, c->line, 0,
		         "column index %d out of range 0..%d", col,
		         c->ncols - 1);
	return KPI_EINVAL;
}

/* The marks a number of c may use (enum kpi_num_marks), see the head. */
static int number_marks(const struct kpi_csv *c)
{
	if (c->delim == ',')
		return KPI_MARK_POINT;
	switch (c->decimal_mark) {
	case KPI_CSV_DECIMAL_COMMA:
		return KPI_MARK_COMMA;
	case KPI_CSV_DECIMAL_POINT:
		return KPI_MARK_POINT;
	default:
		return KPI_MARK_EITHER;
	}
}

/* See plugin.h (csv_number).  A decimal comma is accepted unless the
 * delimiter is ',' (or the config says decimal_mark = point); a mark that
 * could be a thousands separator is an error unless the config says which
 * it is (see the head).  KPI_NUM_INTEGER accepts a whole value written with
 * a zero decimal part ("3,0").  On KPI_MISSING *out is untouched. */
int kpi_csv_number(struct kpi_csv *c, int col, int flags, double *out)
{
	const struct csv_field *f = field_at(c, col);
	const char *why = NULL;
	double v = 0;
	int rc, marks;

	if (!f || !out)
		return bad_column(c, col);
	if (excel_error(c->rec + f->off, f->len))
		return field_fail(c, f, NULL);
	marks = number_marks(c);
	if (marks == KPI_MARK_EITHER &&
	    kpi_num_ambiguous_mark(c->rec + f->off, f->len))
		return field_fail(c, f, "expected a number whose decimal mark is "
		                  "certain: a thousands separator or a decimal "
		                  "mark? (say which with decimal_mark = comma or "
		                  "point in the config)");
	rc = kpi_num_parse(c->rec + f->off, f->len, marks, &v, &why);
	if (rc == KPI_MISSING) {
		if (flags & KPI_NUM_OPTIONAL)
			return KPI_MISSING;
		return csv_fail(c, KPI_EDATA, f->line, f->col,
		                "expected a number, found an empty field");
	}
	if (rc != 0)
		return field_fail(c, f, why);
	if ((flags & KPI_NUM_NONNEG) && v < 0)
		return field_fail(c, f, "expected a number that is not "
		                  "negative");
	if ((flags & KPI_NUM_INTEGER) && floor(v) != v)
		return field_fail(c, f, "expected a whole number");
	*out = v;
	return 0;
}

/* See plugin.h (csv_date) and kpi_date_parse.  On KPI_MISSING *out is
 * untouched. */
int kpi_csv_date(struct kpi_csv *c, int col, int flags, struct kpi_date *out)
{
	const struct csv_field *f = field_at(c, col);
	const char *why = NULL;
	int rc;

	if (!f || !out)
		return bad_column(c, col);
	if (excel_error(c->rec + f->off, f->len))
		return field_fail(c, f, NULL);
	rc = kpi_date_parse(c->rec + f->off, f->len, flags, out, &why);
	if (rc == KPI_MISSING) {
		if (flags & KPI_DATE_OPTIONAL)
			return KPI_MISSING;
		return csv_fail(c, KPI_EDATA, f->line, f->col,
		                "expected a date, found an empty field");
	}
	if (rc != 0)
		return field_fail(c, f, why);
	return 0;
}

/* See plugin.h (csv_error).  col < 0, or no current row: file:line of the
 * current record (the header before the first row). */
int kpi_csv_error(struct kpi_csv *c, int col, const char *fmt, ...)
{
	const struct csv_field *f = col >= 0 ? field_at(c, col) : NULL;
	va_list ap;

	if (!c || !fmt)
		return KPI_EINVAL;
	va_start(ap, fmt);
	kpi_diagv(KPI_LOG_ERROR, c->who, c->path, f ? f->line : c->line,
	          f ? f->col : 0, fmt, ap);
	va_end(ap);
	c->err = KPI_EDATA;
	return KPI_EDATA;
}

/* See plugin.h (csv_expected): "what, found '<field>'" at the field, the
 * field quoted as every reader message quotes it. */
int kpi_csv_expected(struct kpi_csv *c, int col, const char *fmt, ...)
{
	const struct csv_field *f = field_at(c, col);
	char small[512], *what = small;
	va_list ap;
	int n, rc;

	if (!c || !fmt)
		return KPI_EINVAL;
	if (!f)
		return bad_column(c, col);
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		small[0] = '\0';
	} else if ((size_t)n >= sizeof small) {
		/* the plugin's text whole; as far as it fits without memory */
		what = malloc((size_t)n + 1);
		if (what) {
			va_start(ap, fmt);
			vsnprintf(what, (size_t)n + 1, fmt, ap);
			va_end(ap);
		} else {
			what = small;
		}
	}
	rc = field_fail(c, f, what);
	if (what != small)
		free(what);
	return rc;
}

/* See plugin.h (csv_line): the first physical line of the current row
 * (the header line before the first row). */
long kpi_csv_line(struct kpi_csv *c)
{
	return c ? c->line : 0;
}

/* See plugin.h (csv_close).  NULL is allowed. */
void kpi_csv_close(struct kpi_csv *c)
{
	if (!c)
		return;
	kpi_progress_end(&c->progress);
	kpi_source_release(&c->src);
	if (c->fd >= 0)
		close(c->fd);
	free(c->fields);
	free(c->names);
	free(c->names_buf);
	free(c->buf);
	free(c->path);
	free(c->who);
	kpi_months_free(&c->months);
	free(c);
}

/* See csv.h. */
struct kpi_months **kpi_csv_months(struct kpi_csv *c)
{
	return &c->months;
}

/* See csv.h. */
void kpi_csv_set_decimal_mark(struct kpi_csv *c, int decimal_mark)
{
	if (c)
		c->decimal_mark = decimal_mark;
}

/* Number of header columns (0 if c is NULL). */
int kpi_csv_ncolumns(const struct kpi_csv *c)
{
	return c ? c->ncols : 0;
}

/* The delimiter in use: ',', ';' or '\t'. */
char kpi_csv_delimiter(const struct kpi_csv *c)
{
	return c ? c->delim : 0;
}

/* See csv.h. */
void kpi_csv_claim_rows(struct kpi_csv *c, int outside)
{
	if (!c)
		return;
	if (outside)
		c->outside += c->rows - c->claimed;
	c->claimed = c->rows;
}

/* See csv.h. */
unsigned long long kpi_csv_rows(const struct kpi_csv *c,
                                unsigned long long *outside)
{
	if (outside)
		*outside = c ? c->outside : 0;
	return c ? c->rows : 0;
}

/* See csv.h. */
void kpi_csv_set_owner(struct kpi_csv *c, void *owner)
{
	if (c)
		c->owner = owner;
}

/* See csv.h. */
void *kpi_csv_owner(const struct kpi_csv *c)
{
	return c ? c->owner : NULL;
}

/* See csv.h. */
const char *kpi_csv_path(const struct kpi_csv *c)
{
	return c ? c->path : NULL;
}

/* See csv.h. */
_Static_assert(KPI_CSV_SHOW_SIZE == 4 * CSV_SHOW_CHARS + 8,
               "KPI_CSV_SHOW_SIZE is the size show() writes");
const char *kpi_csv_show(const char *s, size_t len, char *out)
{
	return show(s, len, out);
}
