/*
 * stream.c - replies one after another from input that arrives in pieces (a socket, a pipe, a
 * log), with recovery after a faulty line. Every front end reads streams through this file:
 * the CLI's `parse`, Python's ReplyParser and Lua's reply_parser.
 *
 * The stream keeps the input that does not make a complete reply yet in one buffer and hands
 * it to smtpc_reply_parse(), which says how much a reply took or how much more it needs. After
 * a malformed reply the input is dropped through the end of the faulty line: the next line may
 * well start a good reply (a pipelined session goes on after one bad line).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* The shortest reply: a bare code and a line feed ("250\n"). */
enum { SHORTEST_REPLY = 4 };

struct smtpc_reply_stream {
    const smtpc_db *db;
    int flags;
    int closed;
    char *data;         /* input held: data[start..len) is not taken yet */
    size_t start;
    size_t len;
    size_t cap;
    size_t waiting;     /* bytes to be fed before parsing again can succeed */
    size_t needed;      /* what smtpc_reply_stream_needed() reports */
    int dropping;       /* the rest of a faulty line is still to come: drop it */
    unsigned long long line;
    unsigned long long skipped;
    unsigned long long errors;
};

int smtpc_reply_stream_new(smtpc_reply_stream **out, const smtpc_db *db, int flags,
                           smtpc_error *err)
{
    if (out == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    if (flags & ~(SMTPC_REPLY_STRICT_LENGTH | SMTPC_REPLY_EMBEDDED))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "a stream takes only SMTPC_REPLY_STRICT_LENGTH and "
                               "SMTPC_REPLY_EMBEDDED");
    smtpc_reply_stream *st = calloc(1, sizeof *st);
    if (st == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    st->db = db != NULL ? db : smtpc_db_builtin();
    st->flags = flags;
    st->needed = SHORTEST_REPLY;
    *out = st;
    return 0;
}

void smtpc_reply_stream_free(smtpc_reply_stream *stream)
{
    if (stream == NULL)
        return;
    free(stream->data);
    free(stream);
}

/* Makes room for `more` bytes after data[len), moving what is held to the front first. */
static int reserve(smtpc_reply_stream *st, size_t more)
{
    if (st->start > 0) {
        memmove(st->data, st->data + st->start, st->len - st->start);
        st->len -= st->start;
        st->start = 0;
    }
    if (more <= st->cap - st->len)
        return 0;
    size_t cap = st->cap > 0 ? st->cap : 4096;
    while (cap - st->len < more) {
        if (cap > (size_t)-1 / 2)
            return SMTPC_ENOMEM;
        cap *= 2;
    }
    char *data = realloc(st->data, cap);
    if (data == NULL)
        return SMTPC_ENOMEM;
    st->data = data;
    st->cap = cap;
    return 0;
}

int smtpc_reply_stream_feed(smtpc_reply_stream *stream, const char *data, size_t len,
                            smtpc_error *err)
{
    if (stream == NULL || (data == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (stream->closed)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "the stream is closed");
    if (len == 0)
        return 0;
    /* Bytes that a reader has taken are not kept just to be moved: with nothing held, an
     * empty buffer is reused from its start. */
    if (stream->start == stream->len)
        stream->start = stream->len = 0;
    if (reserve(stream, len) != 0)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    memcpy(stream->data + stream->len, data, len);
    stream->len += len;
    stream->waiting = stream->waiting > len ? stream->waiting - len : 0;
    stream->needed = stream->needed > len ? stream->needed - len : 1;
    return 0;
}

void smtpc_reply_stream_close(smtpc_reply_stream *stream)
{
    if (stream != NULL) {
        stream->closed = 1;
        stream->waiting = 0;
        stream->needed = 0;
    }
}

/* The number of line feeds in the `n` bytes at `s`. */
static unsigned long long count_lines(const char *s, size_t n)
{
    unsigned long long lines = 0;
    for (const char *p = s, *end = s + n; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;
         p++)
        lines++;
    return lines;
}

/* Takes `n` bytes of the held input, counting the lines they end (and, once closed, a last
 * line without its line feed). */
static void take(smtpc_reply_stream *st, size_t n)
{
    const char *s = st->data + st->start;
    st->line += count_lines(s, n);
    if (st->closed && n > 0 && st->start + n == st->len && s[n - 1] != '\n')
        st->line++;
    st->start += n;
}

/* Waits for `more` bytes (at least 1) before the next attempt. */
static void wait_for(smtpc_reply_stream *st, size_t more)
{
    st->waiting = more > 0 ? more : 1;
    st->needed = st->waiting;
}

/* Drops the held input through the end of its `lines`th line; when that line is not all there
 * yet, drops what there is and the rest of the line as it comes. */
static void drop_lines(smtpc_reply_stream *st, unsigned long lines)
{
    const char *s = st->data + st->start;
    size_t n = st->len - st->start;
    size_t at = 0;
    for (unsigned long i = 0; i < lines; i++) {
        const char *nl = memchr(s + at, '\n', n - at);
        if (nl == NULL) {
            take(st, n);
            st->dropping = !st->closed;
            return;
        }
        at = (size_t)(nl - s) + 1;
    }
    take(st, at);
}

/* Drops the rest of a faulty line that went on in later input; 0 once it is gone. */
static int finish_dropping(smtpc_reply_stream *st)
{
    const char *s = st->data + st->start;
    size_t n = st->len - st->start;
    const char *nl = memchr(s, '\n', n);
    if (nl == NULL) {
        st->start = st->len; /* the line is still going on: drop it all (no line ends) */
        if (!st->closed)
            return -1;
        st->dropping = 0;
        return 0;
    }
    st->start += (size_t)(nl - s) + 1;
    st->line++;
    st->dropping = 0;
    return 0;
}

/* Skips a blank line at the front of the held input: 1 when one was skipped, 0 when the input
 * does not start with one, -1 when a lone CR at the end may yet be a blank line. */
static int skip_blank_line(smtpc_reply_stream *st)
{
    const char *s = st->data + st->start;
    size_t n = st->len - st->start;
    if (s[0] == '\n') {
        take(st, 1);
        return 1;
    }
    if (s[0] != '\r')
        return 0;
    if (n >= 2 && s[1] == '\n') {
        take(st, 2);
        return 1;
    }
    return n == 1 && !st->closed ? -1 : 0;
}

/* With SMTPC_REPLY_EMBEDDED, a reply is one line of a log: 1 when the line at the front holds
 * none (it is skipped), 0 when it may, -1 when the line is not all there yet. */
static int skip_line_without_reply(smtpc_reply_stream *st)
{
    const char *s = st->data + st->start;
    size_t n = st->len - st->start;
    const char *nl = memchr(s, '\n', n);
    if (nl == NULL && !st->closed && n <= SMTPC_REPLY_HARD_LINE_LIMIT)
        return -1;
    size_t line_len = nl != NULL ? (size_t)(nl - s) : n;
    if (smtpc_find_reply_in_line(s, line_len) != line_len)
        return 0;
    take(st, nl != NULL ? line_len + 1 : line_len);
    st->dropping = nl == NULL && !st->closed; /* a line over the limit: the rest goes too */
    st->skipped++;
    return 1;
}

/* Reports a malformed reply at the front of the held input, with its line in the stream, and
 * drops the input through the end of the faulty line. */
static int report_malformed(smtpc_reply_stream *st, smtpc_error *err, unsigned long line)
{
    unsigned long in_reply = line > 0 ? line : 1;
    if (err != NULL)
        err->line = (unsigned long)st->line + in_reply;
    st->errors++;
    drop_lines(st, in_reply);
    return SMTPC_EREPLY;
}

int smtpc_reply_stream_next(smtpc_reply **out, smtpc_reply_stream *stream, smtpc_error *err)
{
    if (out == NULL || stream == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    smtpc_reply_stream *st = stream;
    if (st->waiting > 0 && !st->closed)
        return 0;
    for (;;) {
        if (st->dropping && finish_dropping(st) != 0) {
            wait_for(st, 1);
            return 0;
        }
        if (st->start == st->len) {
            st->start = st->len = 0;
            st->needed = st->closed ? 0 : SHORTEST_REPLY;
            st->waiting = 0;
            return 0;
        }
        int skipped = skip_blank_line(st);
        if (skipped == 0 && (st->flags & SMTPC_REPLY_EMBEDDED))
            skipped = skip_line_without_reply(st);
        if (skipped < 0) {
            wait_for(st, 1);
            return 0;
        }
        if (skipped > 0)
            continue;
        int flags = st->flags | SMTPC_REPLY_LOG_LINES | (st->closed ? SMTPC_REPLY_COMPLETE : 0);
        size_t used = 0;
        smtpc_error local;
        smtpc_error *e = err != NULL ? err : &local;
        int rc = smtpc_reply_parse(out, &used, st->db, st->data + st->start,
                                   st->len - st->start, flags, e);
        if (rc == 0) {
            take(st, used);
            st->needed = st->closed ? 0 : SHORTEST_REPLY;
            return 0;
        }
        if (rc == SMTPC_EINCOMPLETE) {
            wait_for(st, used);
            return 0;
        }
        if (rc == SMTPC_EREPLY)
            return report_malformed(st, err, e->line);
        return rc;
    }
}

size_t smtpc_reply_stream_needed(const smtpc_reply_stream *stream)
{
    return stream != NULL && !stream->closed ? stream->needed : 0;
}

size_t smtpc_reply_stream_buffered(const smtpc_reply_stream *stream)
{
    return stream != NULL ? stream->len - stream->start : 0;
}

unsigned long long smtpc_reply_stream_line(const smtpc_reply_stream *stream)
{
    return stream != NULL ? stream->line : 0;
}

unsigned long long smtpc_reply_stream_skipped(const smtpc_reply_stream *stream)
{
    return stream != NULL ? stream->skipped : 0;
}

unsigned long long smtpc_reply_stream_errors(const smtpc_reply_stream *stream)
{
    return stream != NULL ? stream->errors : 0;
}
