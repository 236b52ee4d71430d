/*
 * fuzz_loglines.c - the readers of MTA log lines (core/src/logs/): the input is cut into lines
 * that one reader reads in order, as `smtpcodes scan` would, so that CSV headers set columns
 * for the rows after them. Each line is copied into a buffer of its own exact size (a read
 * past it shows under ASan), and every span of an event must lie inside its line; a line that
 * is no MTA's leaves the event untouched; a timestamp that is read is read again alike.
 *
 * Input: byte 0 chooses the year given for syslog's timestamps, the rest is the log.
 */
#include "fuzz_common.h"
#include "logs/logs.h"

#include <stdlib.h>
#include <string.h>

static void check_span(struct smtpc_log_span s, const char *line, size_t len, const char *what)
{
    if (s.len == 0)
        return;
    FUZZ_CHECK(s.p != NULL && s.p >= line && s.len <= len && s.p <= line + (len - s.len),
               "%s: span of %zu bytes outside the line of %zu", what, s.len, len);
}

static void check_event(const struct smtpc_log_event *e, const char *line, size_t len, int year)
{
    FUZZ_CHECK(e->outcome >= SMTPC_LOG_OTHER && e->outcome <= SMTPC_LOG_REMOVED, "outcome %d",
               (int)e->outcome);
    FUZZ_CHECK(e->mta != NULL, "no mta");
    check_span(e->time, line, len, "time");
    check_span(e->queue_id, line, len, "queue_id");
    check_span(e->sender, line, len, "sender");
    check_span(e->recipient, line, len, "recipient");
    check_span(e->relay, line, len, "relay");
    check_span(e->reply, line, len, "reply");
    check_span(e->status, line, len, "status");
    check_span(e->detail, line, len, "detail");
    /* a line that concludes nothing gives no reply (logs.h) */
    FUZZ_CHECK(e->outcome != SMTPC_LOG_OTHER || e->reply.len == 0, "a reply on an OTHER line");
    if (e->time.len > 0) {
        long long a = 0, b = 1;
        int ra = smtpc_log_time(&a, e->time.p, e->time.len, year);
        int rb = smtpc_log_time(&b, e->time.p, e->time.len, year);
        FUZZ_CHECK(ra == rb && (ra != 0 || a == b), "the time is read two ways");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int year = 1970 + data[0];
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    struct smtpc_log_reader reader;
    smtpc_log_reader_init(&reader);
    for (size_t at = 0; at <= len;) {
        const char *nl = memchr(s + at, '\n', len - at);
        size_t end = nl != NULL ? (size_t)(nl - s) : len;
        size_t line_len = end - at;
        char *line = malloc(line_len > 0 ? line_len : 1);
        FUZZ_CHECK(line != NULL, "malloc");
        memcpy(line, s + at, line_len);
        struct smtpc_log_event e, untouched;
        memset(&e, 0x5A, sizeof e);
        untouched = e;
        if (smtpc_log_read_line(&reader, &e, line, line_len))
            check_event(&e, line, line_len, year);
        else
            FUZZ_CHECK(memcmp(&e, &untouched, sizeof e) == 0, "event touched by an unread line");
        FUZZ_CHECK(reader.n_columns <= SMTPC_LOG_MAX_COLUMNS, "columns %zu", reader.n_columns);
        free(line);
        if (nl == NULL)
            break;
        at = end + 1;
    }
    /* any bytes as a timestamp: read or refused, never a crash */
    long long t;
    (void)smtpc_log_time(&t, s, len < 64 ? len : 64, year);
    return 0;
}
