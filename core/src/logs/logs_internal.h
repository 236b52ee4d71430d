/*
 * logs_internal.h - what the log readers share (docs/logs.md): the parts of a syslog line, text
 * helpers over spans, and the finders of "key=value" fields. Every helper takes the bytes it
 * may read as (pointer, length) and never reads past them: a log line is not NUL-terminated.
 */
#ifndef SMTPC_LOGS_INTERNAL_H
#define SMTPC_LOGS_INTERNAL_H

#include "logs.h"

#include <stddef.h>
#include <string.h>

static inline struct smtpc_log_span smtpc_log_span_of(const char *p, size_t len)
{
    struct smtpc_log_span s = {p, len};
    return s;
}

/* ---- syslog (syslog.c) ---- */

/* A line as syslog writes it: "TIME HOST PROGRAM[PID]: MESSAGE". */
struct smtpc_log_syslog {
    struct smtpc_log_span time; /* "Nov 23 10:02:11" or "2024-11-23T10:02:11.123456+01:00" */
    struct smtpc_log_span host;
    struct smtpc_log_span program; /* "postfix/smtp", "exim", "sm-mta" */
    struct smtpc_log_span message; /* what the program wrote */
};

/* Splits a line of the three forms syslog daemons write: the traditional one of RFC 3164
 * ("Nov 23 10:02:11 host prog[pid]: msg", the day padded with a space), rsyslog's with an RFC
 * 3339 timestamp, and RFC 5424's ("<22>1 2024-11-23T10:02:11Z host prog pid - - msg"). A
 * leading "<PRI>" is skipped. Returns 1, or 0 when the line has none of these shapes. */
int smtpc_log_syslog_split(struct smtpc_log_syslog *out, const char *line, size_t len);

/* ---- text helpers (fields.c) ---- */

/* Whether `s` starts with `prefix`, byte for byte. Inline: the readers call it with literals
 * on every line, whose lengths the compiler then knows. */
static inline int smtpc_log_starts(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return n <= len && memcmp(s, prefix, n) == 0;
}

/* Whether the span is `word`, byte for byte. */
static inline int smtpc_log_is(struct smtpc_log_span s, const char *word)
{
    return s.len == strlen(word) && (s.len == 0 || memcmp(s.p, word, s.len) == 0);
}

/* The length of the run of decimal digits at the start of `s`. */
static inline size_t smtpc_log_digits(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

/* The offset of the first `phrase` in `s`, or `len` when absent. */
size_t smtpc_log_find(const char *s, size_t len, const char *phrase);

/* The offset of the last `phrase` in `s`, or `len` when absent. */
size_t smtpc_log_find_last(const char *s, size_t len, const char *phrase);

/* The length of the run of characters of `set` at the start of `s`. */
size_t smtpc_log_run(const char *s, size_t len, const char *set);

/* Whether `s` starts with an SMTP reply: a code 2xx to 5xx followed by a space, a hyphen or the
 * end (RFC 5321 section 4.2). */
int smtpc_log_is_reply(const char *s, size_t len);

/* The length of the enhanced status code "class.subject.detail" at the start of `s` (RFC 3463
 * section 2: class 2, 4 or 5, one to three digits after each dot), followed by a space or the
 * end; 0 when there is none. */
size_t smtpc_log_enhanced_len(const char *s, size_t len);

/* The span without the spaces at either end. */
struct smtpc_log_span smtpc_log_trim(struct smtpc_log_span s);

/* The span without its angle brackets when it is "<...>". */
struct smtpc_log_span smtpc_log_unbracket(struct smtpc_log_span s);

/* How a field's value ends when it is not in brackets or quotes. */
enum smtpc_log_value_end {
    SMTPC_LOG_END_SPACE, /* at the next space (OpenSMTPD, Exim) */
    SMTPC_LOG_END_COMMA  /* at the next ", " that starts another "key=" (Postfix, Sendmail),
                            so that a value may hold a comma of its own */
};

/*
 * Finds the field "key=value" in `s`: `key` must start the text or follow a space or a comma.
 * The value is "<...>" (given without the brackets), "\"...\"" (without the quotes; a
 * backslash escapes the next byte, and the escapes stay as written) or a run that ends as
 * `end` says. Returns 1 with `*out` set, or 0 when the field is absent.
 */
int smtpc_log_field(struct smtpc_log_span *out, const char *s, size_t len, const char *key,
                    enum smtpc_log_value_end end);

/* Sets `reply` when `text` starts with a reply, else `status` and `detail` when it starts with
 * an enhanced code (Postfix's "5.7.1 Message content rejected"), else `detail`. */
void smtpc_log_set_reply_or_detail(struct smtpc_log_event *event, struct smtpc_log_span text);

/* ---- the readers of each MTA's messages (one file each) ---- */

/* Postfix: `program` is its syslog name ("postfix/smtp", "postfix-out/smtp"). */
void smtpc_log_postfix(struct smtpc_log_event *event, struct smtpc_log_span program,
                       const char *msg, size_t len);
void smtpc_log_exim(struct smtpc_log_event *event, const char *msg, size_t len);
/* Exim's own main log: "2024-11-23 10:00:05 [+0100] ...". Returns 0 for a line of another
 * shape (the event untouched). */
int smtpc_log_exim_main(struct smtpc_log_event *event, const char *line, size_t len);
void smtpc_log_sendmail(struct smtpc_log_event *event, const char *msg, size_t len);
void smtpc_log_opensmtpd(struct smtpc_log_event *event, const char *msg, size_t len);
void smtpc_log_dovecot(struct smtpc_log_event *event, const char *msg, size_t len);

/* Exchange's message tracking log and Microsoft 365's message trace exports (exchange.c):
 * header lines set the reader's columns; rows are read by them. Both return 0 for a line they
 * do not take (the event untouched). */
int smtpc_log_csv_header(struct smtpc_log_reader *reader, struct smtpc_log_event *event,
                         const char *line, size_t len);
int smtpc_log_csv_row(const struct smtpc_log_reader *reader, struct smtpc_log_event *event,
                      const char *line, size_t len);

#endif
