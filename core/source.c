/*
 * source.c - an export's bytes, plain or gzip (source.h).  A gzip file is
 * inflated with zlib straight into the reader's buffer: the compressed
 * input is read KPI_SOURCE_GZ_BLOCK bytes at a time, the CRC and length
 * of every member are checked by zlib at its end, and a file that ends
 * inside a member is "truncated", not a short text.
 */
#include "source.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "kpi/plugin.h"

/* zlib's windowBits for a gzip wrapper only (no zlib or raw stream) */
#define SOURCE_GZ_WBITS (16 + MAX_WBITS)

int kpi_source_init(struct kpi_source *s, int fd)
{
	unsigned char magic[2];
	ssize_t n;
	z_stream *z;

	memset(s, 0, sizeof *s);
	s->fd = fd;
	do
		n = pread(fd, magic, sizeof magic, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		snprintf(s->msg, sizeof s->msg, "read error: %s", strerror(errno));
		return KPI_EIO;
	}
	if (n < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
		return 0;
	s->gz = 1;
	z = calloc(1, sizeof *z);
	s->in = malloc(KPI_SOURCE_GZ_BLOCK);
	if (!z || !s->in) {
		free(z);
		goto out_nomem;
	}
	if (inflateInit2(z, SOURCE_GZ_WBITS) != Z_OK) {
		free(z);
		goto out_nomem;
	}
	s->z = z;
	return 0;

out_nomem:
	free(s->in);
	s->in = NULL;
	snprintf(s->msg, sizeof s->msg, "out of memory");
	return KPI_ENOMEM;
}

int kpi_source_is_gzip(const struct kpi_source *s)
{
	return s->gz;
}

static ssize_t read_plain(struct kpi_source *s, char *buf, size_t n)
{
	ssize_t r;

	do
		r = read(s->fd, buf, n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		snprintf(s->msg, sizeof s->msg, "read error: %s", strerror(errno));
		return KPI_EIO;
	}
	s->consumed += (unsigned long long)r;
	return r;
}

/* More compressed input when zlib has used all it had.  0 or KPI_EIO. */
static int fill_in(struct kpi_source *s, z_stream *z)
{
	ssize_t r;

	if (z->avail_in > 0 || s->in_eof)
		return 0;
	r = read_plain(s, (char *)s->in, KPI_SOURCE_GZ_BLOCK);
	if (r < 0)
		return (int)r;
	if (r == 0)
		s->in_eof = 1;
	z->next_in = s->in;
	z->avail_in = (uInt)r;
	return 0;
}

static ssize_t read_gz(struct kpi_source *s, char *buf, size_t n)
{
	z_stream *z = s->z;
	int ret;

	if (n > UINT_MAX)
		n = UINT_MAX;
	for (;;) {
		size_t made;

		if (fill_in(s, z) != 0)
			return KPI_EIO;
		if (s->member_end) {
			/* after a member: the end of the file, or another */
			if (z->avail_in == 0)
				return 0;   /* in_eof: fill_in found nothing more */
			if (inflateReset(z) != Z_OK)
				goto out_corrupt;
			s->member_end = 0;
		}
		z->next_out = (unsigned char *)buf;
		z->avail_out = (uInt)n;
		ret = inflate(z, Z_NO_FLUSH);
		made = n - z->avail_out;
		if (ret == Z_STREAM_END)
			s->member_end = 1;
		else if (ret == Z_MEM_ERROR) {
			snprintf(s->msg, sizeof s->msg, "out of memory");
			return KPI_ENOMEM;
		} else if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT ||
		           ret == Z_STREAM_ERROR)
			goto out_corrupt;
		else if (made == 0 && z->avail_in == 0 && s->in_eof) {
			snprintf(s->msg, sizeof s->msg,
			         "truncated gzip data: the file ends inside "
			         "compressed data (after %llu bytes)",
			         s->consumed);
			return KPI_EDATA;
		}
		if (made > 0)
			return (ssize_t)made;
	}

out_corrupt:
	snprintf(s->msg, sizeof s->msg, "corrupt gzip data (%s) near byte "
	         "%llu of the file", z->msg ? z->msg : "invalid stream",
	         s->consumed - z->avail_in);
	return KPI_EDATA;
}

ssize_t kpi_source_read(struct kpi_source *s, char *buf, size_t n)
{
	return s->gz ? read_gz(s, buf, n) : read_plain(s, buf, n);
}

void kpi_source_release(struct kpi_source *s)
{
	if (s->z) {
		inflateEnd(s->z);
		free(s->z);
		s->z = NULL;
	}
	free(s->in);
	s->in = NULL;
}
