/*
 * syslog.c - the prefix that syslog puts before a program's words. Three shapes are read:
 *
 *   Nov 23 10:02:11 mx1 postfix/smtp[2201]: ...              RFC 3164 (the day padded to 2)
 *   2024-11-23T10:02:11.123456+01:00 mx1 postfix/smtp[2201]: ...   rsyslog's RFC 3339 time
 *   <22>1 2024-11-23T10:02:11.123Z mx1 postfix/smtp 2201 - - ...   RFC 5424
 *
 * A "<PRI>" before the first two (as a relay receives them) is skipped. Only the shape is
 * checked here; smtpc_log_time() reads the time.
 */
#include "logs_internal.h"

#include "../internal.h"

#include <string.h>

/* The length of the "<PRI>" at the start (RFC 5424 section 6.2.1: 1 to 3 digits), or 0. */
static size_t priority_len(const char *s, size_t len)
{
    if (len < 3 || s[0] != '<')
        return 0;
    size_t n = smtpc_log_digits(s + 1, len - 1);
    return n >= 1 && n <= 3 && 1 + n < len && s[1 + n] == '>' ? n + 2 : 0;
}

/* The length of the word at `s` (up to a space or the end). */
static size_t word_len(const char *s, size_t len)
{
    const char *space = memchr(s, ' ', len);
    return space != NULL ? (size_t)(space - s) : len;
}

/* The length of "Nov 23 10:02:11" at `s`, or 0: three letters, a day of one digit after a
 * space or of two digits, and a clock. */
static size_t traditional_time_len(const char *s, size_t len)
{
    if (len < 16 || !smtpc_is_upper(s[0]) || !smtpc_is_lower(s[1]) || !smtpc_is_lower(s[2]) ||
        s[3] != ' ' || (s[4] != ' ' && !smtpc_is_digit(s[4])) || !smtpc_is_digit(s[5]) ||
        s[6] != ' ' || s[9] != ':' || s[12] != ':' || s[15] != ' ')
        return 0;
    static const size_t digits[] = {7, 8, 10, 11, 13, 14};
    for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++) {
        if (!smtpc_is_digit(s[digits[i]]))
            return 0;
    }
    return 15;
}

/* The length of an RFC 3339 timestamp at `s` ("2024-11-23T10:02:11..." up to the next space),
 * or 0. */
static size_t rfc3339_time_len(const char *s, size_t len)
{
    size_t n = word_len(s, len);
    if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        !smtpc_is_digit(s[0]) || !smtpc_is_digit(s[3]))
        return 0;
    return n;
}

/* "prog[pid]: " or "prog: " at `s`: sets the program and returns the length up to the
 * message, or 0. */
static size_t tag_len(struct smtpc_log_span *program, const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && s[n] != '[' && s[n] != ':' && s[n] != ' ')
        n++;
    if (n == 0 || n == len)
        return 0;
    *program = smtpc_log_span_of(s, n);
    size_t at = n;
    if (s[at] == '[') {
        at += 1 + smtpc_log_digits(s + at + 1, len - at - 1);
        if (at >= len || s[at] != ']')
            return 0;
        at++;
    }
    if (at >= len || s[at] != ':')
        return 0;
    at++;
    return at < len && s[at] == ' ' ? at + 1 : at;
}

/* RFC 5424 section 6: after "<PRI>1 ": TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]. */
static int split_rfc5424(struct smtpc_log_syslog *out, const char *s, size_t len)
{
    struct smtpc_log_span parts[5];
    size_t at = 0;
    for (int i = 0; i < 5; i++) {
        size_t n = word_len(s + at, len - at);
        if (n == 0 || at + n >= len)
            return 0;
        parts[i] = smtpc_log_span_of(s + at, n);
        at += n + 1;
    }
    /* structured data: "-" or "[id param=\"value\" ...]" elements, where "\]" is escaped */
    if (at >= len)
        return 0;
    if (s[at] == '-') {
        at++;
    } else {
        while (at < len && s[at] == '[') {
            at++;
            while (at < len && s[at] != ']')
                at += s[at] == '\\' && at + 1 < len ? 2 : 1;
            if (at >= len)
                return 0;
            at++;
        }
    }
    if (at < len && s[at] != ' ')
        return 0;
    if (at < len)
        at++;
    /* a UTF-8 message may begin with a byte order mark (section 6.4) */
    if (len - at >= 3 && memcmp(s + at, "\xEF\xBB\xBF", 3) == 0)
        at += 3;
    out->time = smtpc_log_is(parts[0], "-") ? smtpc_log_span_of(parts[0].p, 0) : parts[0];
    out->host = parts[1];
    out->program = parts[2];
    out->message = smtpc_log_span_of(s + at, len - at);
    return 1;
}

int smtpc_log_syslog_split(struct smtpc_log_syslog *out, const char *line, size_t len)
{
    size_t at = priority_len(line, len);
    if (at > 0 && len - at >= 2 && line[at] == '1' && line[at + 1] == ' ')
        return split_rfc5424(out, line + at + 2, len - at - 2);
    const char *s = line + at;
    size_t rest = len - at;
    size_t time_len = traditional_time_len(s, rest);
    if (time_len == 0)
        time_len = rfc3339_time_len(s, rest);
    if (time_len == 0 || time_len >= rest)
        return 0;
    size_t host_at = time_len + 1;
    size_t host_len = word_len(s + host_at, rest - host_at);
    if (host_len == 0 || host_at + host_len >= rest)
        return 0;
    size_t tag_at = host_at + host_len + 1;
    struct smtpc_log_span program;
    size_t tag = tag_len(&program, s + tag_at, rest - tag_at);
    if (tag == 0)
        return 0;
    out->time = smtpc_log_span_of(s, time_len);
    out->host = smtpc_log_span_of(s + host_at, host_len);
    out->program = program;
    out->message = smtpc_log_span_of(s + tag_at + tag, rest - tag_at - tag);
    return 1;
}
