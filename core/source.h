/*
 * source.h - the bytes of an export as the CSV reader sees them: a
 * regular file read as it is, or a gzip file (RFC 1952, one member or
 * several, as `cat a.gz b.gz` makes) decompressed through zlib.  Which one
 * is decided by the file's first two bytes (the gzip magic 1f 8b), not by
 * its name: a plain CSV file cannot start with them (0x1f is a control
 * character, 0x8b no UTF-8 lead byte).  Positions in messages are those
 * of the decompressed text; damage in the gzip data is reported as such.
 */
#ifndef KPI_SOURCE_H
#define KPI_SOURCE_H

#include <stddef.h>
#include <sys/types.h>

/* Compressed bytes read from a gzip file at a time. */
#define KPI_SOURCE_GZ_BLOCK ((size_t)256 << 10)

struct kpi_source {
	int fd;                       /* not owned */
	int gz;                       /* gzip: decompressed through zlib */
	void *z;                      /* z_stream, when gz */
	unsigned char *in;            /* compressed input, when gz */
	int in_eof;                   /* the file is read to its end */
	int member_end;               /* a gzip member has just ended */
	unsigned long long consumed;  /* bytes of the file read so far */
	char msg[160];                /* the last error, for the reader */
};

/* Set s up to read the open regular file fd from its start (the file
 * offset is not moved to tell the kind).  Returns 0, KPI_EIO (cannot
 * read it) or KPI_ENOMEM, with s->msg saying why. */
int kpi_source_init(struct kpi_source *s, int fd);

/* Read up to n bytes of the text into buf.  Returns the bytes read,
 * 0 at the end of the text, or a negative KPI_E code with s->msg set:
 * KPI_EIO (read error), KPI_EDATA (corrupt or truncated gzip data),
 * KPI_ENOMEM. */
ssize_t kpi_source_read(struct kpi_source *s, char *buf, size_t n);

/* Whether s reads gzip data (a predicate). */
int kpi_source_is_gzip(const struct kpi_source *s);

/* Free what kpi_source_init allocated (not the fd).  Safe on a zeroed
 * or released s. */
void kpi_source_release(struct kpi_source *s);

#endif
