/*
 * scan_range.c - scanning one byte range of a log file (smtpc_scanner_feed_file_range()), so
 * that a log cut into ranges is scanned by many workers, each reading its own part with the
 * core, and only the summaries travel to be merged.
 *
 * The rule that makes any cut work: a line belongs to the range in which its first byte lies.
 * Reading starts one byte before the range: when that byte is an LF a line starts exactly at
 * `start`; otherwise the bytes up to the first LF finish a line of the range before. Reading
 * ends with the LF of the line that holds the byte before `end` (that line started in the
 * range), or at the end of the file.
 */
#define _POSIX_C_SOURCE 200809L /* fseeko and a 64-bit off_t */
#define _FILE_OFFSET_BITS 64

#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

enum { RANGE_CHUNK = 1 << 20 }; /* bytes read at a time, as the Python facade feeds a file */

/* Where a range reads, in offsets of the file. */
struct range_read {
    unsigned long long at;  /* the offset of the next chunk */
    unsigned long long end; /* the range's end */
    int in_first_line;      /* still in a line that began before the range */
    int done;               /* the range's last line has been fed */
};

/* Whether `f` is a directory, which opens like a file on some systems: its size says nothing
 * of what a read would find, so it must be refused before ranges are measured against it. */
static int is_directory(FILE *f)
{
#if defined(_WIN32)
    (void)f;
    return 0; /* a directory does not open */
#else
    struct stat st;
    return fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode);
#endif
}

/* Goes to `offset` to read from there; sets `*past_end` instead when the file ends before
 * it (the system may refuse to seek that far). */
static int seek_to(FILE *f, unsigned long long offset, int *past_end)
{
#if defined(_WIN32)
    if (_fseeki64(f, 0, SEEK_END) != 0)
        return -1;
    long long size = _ftelli64(f);
#else
    if (fseeko(f, 0, SEEK_END) != 0)
        return -1;
    long long size = (long long)ftello(f);
#endif
    if (size < 0)
        return -1;
    *past_end = offset >= (unsigned long long)size;
    if (*past_end)
        return 0;
#if defined(_WIN32)
    return _fseeki64(f, (long long)offset, SEEK_SET);
#else
    return fseeko(f, (off_t)offset, SEEK_SET);
#endif
}

/* Feeds the part of `chunk` (read at offset r->at) that belongs to the range's lines. */
static int feed_chunk(smtpc_scanner *s, struct range_read *r, const char *chunk, size_t n,
                      smtpc_error *err)
{
    size_t from = 0;
    if (r->in_first_line) {
        const char *lf = memchr(chunk, '\n', n);
        if (lf == NULL)
            return 0;
        from = (size_t)(lf - chunk) + 1;
        r->in_first_line = 0;
        if (r->at + from >= r->end) {
            /* the first line that starts here starts at or after `end`: the next range's */
            r->done = 1;
            return 0;
        }
    }
    /* The range's last line is the one that holds its last byte: feed up to that line's LF. */
    unsigned long long last = r->end - 1;
    size_t search = from;
    if (last > r->at + from)
        search = last - r->at < n ? (size_t)(last - r->at) : n;
    const char *lf = search < n ? memchr(chunk + search, '\n', n - search) : NULL;
    size_t to = n;
    if (lf != NULL) {
        to = (size_t)(lf - chunk) + 1;
        r->done = 1;
    }
    return to > from ? smtpc_scanner_feed(s, chunk + from, to - from, err) : 0;
}

int smtpc_scanner_feed_file_range(smtpc_scanner *scanner, const char *path,
                                  unsigned long long start, unsigned long long end,
                                  smtpc_error *err)
{
    if (scanner == NULL || path == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (start > end)
        return smtpc_set_error(err, SMTPC_EINVAL, path, 0, 0,
                               "the range's start (%llu) is after its end (%llu)", start, end);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return smtpc_set_error(err, SMTPC_EIO, path, 0, 0, "cannot open: %s",
                               smtpc_errno_text(errno));
    struct range_read r = {start > 0 ? start - 1 : 0, end, start > 0, start == end};
    int rc = 0;
    if (is_directory(f))
        rc = smtpc_set_error(err, SMTPC_EIO, path, 0, 0, "cannot read: %s",
                             smtpc_errno_text(EISDIR));
    if (rc == 0 && !r.done && r.at > 0 && seek_to(f, r.at, &r.done) != 0)
        rc = smtpc_set_error(err, SMTPC_EIO, path, 0, 0, "cannot go to byte %llu: %s", r.at,
                             smtpc_errno_text(errno));
    char *chunk = rc == 0 && !r.done ? malloc(RANGE_CHUNK) : NULL;
    if (rc == 0 && !r.done && chunk == NULL)
        rc = smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    while (rc == 0 && !r.done) {
        size_t n = fread(chunk, 1, RANGE_CHUNK, f);
        if (n == 0) {
            if (ferror(f))
                rc = smtpc_set_error(err, SMTPC_EIO, path, 0, 0, "cannot read: %s",
                                     smtpc_errno_text(errno));
            break;
        }
        rc = feed_chunk(scanner, &r, chunk, n, err);
        r.at += n;
    }
    free(chunk);
    fclose(f);
    return rc;
}
