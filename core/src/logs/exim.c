/*
 * exim.c - Exim's main log (docs/logs.md, "Exim"), from its own file or through syslog:
 *
 *   2024-11-23 10:00:05 [+0100] [[pid]] ID <= sender H=host [ip] P=esmtps S=1234
 *   ... ID => recipient R=router T=transport H=host [ip] C="250 2.0.0 OK"
 *   ... ID ** recipient R=... T=... H=host [ip]: SMTP error from remote mail server after
 *       RCPT TO:<r>: 550 5.1.1 ...
 *   ... ID == recipient R=... T=... defer (111): Connection refused
 *   ... ID Completed
 *   ... H=host [ip] F=<sender> rejected RCPT <recipient>: text
 *
 * "->" is a further address delivered in the same delivery as the "=>" before it. A reply of
 * several lines is folded into one with a literal backslash and "n" between its lines.
 */
#include "logs_internal.h"

#include "../internal.h"

#include <string.h>

static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* An Exim message ID at `s`, followed by a space or the end: "1tEbcd-0001AB-Cd" (6-6-2), or
 * the longer form of Exim 4.97 and later, "1tEbcd-000000001AB-CdEf" (6-11-4). */
static size_t message_id_len(const char *s, size_t len)
{
    static const size_t widths[3][2] = {{6, 6}, {6, 11}, {2, 4}};
    size_t at = 0;
    for (int part = 0; part < 3; part++) {
        size_t n = smtpc_log_run(s + at, len - at, alnum);
        if (n != widths[part][0] && n != widths[part][1])
            return 0;
        at += n;
        if (part < 2) {
            if (at >= len || s[at] != '-')
                return 0;
            at++;
        }
    }
    return at == len || s[at] == ' ' ? at : 0;
}

/* The length of Exim's timestamp at `s`: "2024-11-23 10:00:05", with milliseconds
 * (+millisec) and the zone (log_timezone, "+0100") when they are logged; 0 when there is none. */
static size_t timestamp_len(const char *s, size_t len)
{
    static const char shape[] = "dddd-dd-dd dd:dd:dd";
    if (len < sizeof shape - 1)
        return 0;
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        if (shape[i] == 'd' ? !smtpc_is_digit(s[i]) : s[i] != shape[i])
            return 0;
    }
    size_t at = sizeof shape - 1;
    if (at < len && s[at] == '.')
        at += 1 + smtpc_log_digits(s + at + 1, len - at - 1);
    if (len - at >= 6 && s[at] == ' ' && (s[at + 1] == '+' || s[at + 1] == '-') &&
        smtpc_log_digits(s + at + 2, 4) == 4 && (len - at == 6 || s[at + 6] == ' '))
        at += 6;
    return at;
}

/* Skips the "[pid] " that log_selector +pid puts after the time. */
static size_t pid_len(const char *s, size_t len)
{
    if (len < 3 || s[0] != '[')
        return 0;
    size_t n = smtpc_log_digits(s + 1, len - 1);
    return n > 0 && n + 2 < len && s[n + 1] == ']' && s[n + 2] == ' ' ? n + 3 : 0;
}

/* The host of "H=": "mx.example.org [203.0.113.30]" with the port when it is logged, or
 * "(helo) [ip]", or the bare name. */
static void read_host(struct smtpc_log_event *event, const char *s, size_t len)
{
    struct smtpc_log_span word;
    if (!smtpc_log_field(&word, s, len, "H", SMTPC_LOG_END_SPACE))
        return;
    size_t start = (size_t)(word.p - s);
    size_t end = start + word.len;
    size_t at = end;
    /* "host (helo) [ip]": the name the client gave, then its address */
    if (len - at >= 2 && s[at] == ' ' && s[at + 1] == '(') {
        const char *close = memchr(s + at, ')', len - at);
        if (close != NULL)
            at = (size_t)(close - s) + 1;
    }
    if (len - at >= 2 && s[at] == ' ' && s[at + 1] == '[') {
        const char *close = memchr(s + at, ']', len - at);
        if (close != NULL) {
            end = (size_t)(close - s) + 1;
            size_t port =
                end < len && s[end] == ':' ? smtpc_log_digits(s + end + 1, len - end - 1) : 0;
            if (port > 0)
                end += 1 + port;
        }
    }
    event->relay = smtpc_log_span_of(s + start, end - start);
}

/* The first ": " of `s` outside brackets ("[2001:db8::1]", "<r>"), or `len`. */
static size_t separator(const char *s, size_t len)
{
    int depth = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] == '[' || s[i] == '<')
            depth++;
        else if ((s[i] == ']' || s[i] == '>') && depth > 0)
            depth--;
        else if (depth == 0 && s[i] == ':' && s[i + 1] == ' ')
            return i;
    }
    return len;
}

/* The recipient after the flag: "bob@example.org", or for "bob <bob@example.org>" (a local
 * part after routing, then the address it came from) the address. Returns where it ends. */
static size_t read_recipient(struct smtpc_log_event *event, const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && s[n] != ' ' && !(s[n] == ':' && n + 1 < len && s[n + 1] == ' '))
        n++;
    if (n == len && n > 0 && s[n - 1] == ':')
        n--;
    event->recipient = smtpc_log_span_of(s, n);
    if (memchr(s, '@', n) == NULL && n + 1 < len && s[n] == ' ' && s[n + 1] == '<') {
        const char *close = memchr(s + n + 1, '>', len - n - 1);
        if (close != NULL) {
            event->recipient = smtpc_log_span_of(s + n + 2, (size_t)(close - s) - n - 2);
            return (size_t)(close - s) + 1;
        }
    }
    return n;
}

/* The text after the fields of a "**" or "==" line: the remote server's reply when Exim says
 * it came from one, else Exim's words. */
static void read_error(struct smtpc_log_event *event, const char *s, size_t len)
{
    size_t sep = separator(s, len);
    if (sep == len)
        return;
    struct smtpc_log_span text = smtpc_log_span_of(s + sep + 2, len - sep - 2);
    if (smtpc_log_starts(text.p, text.len, "SMTP error from remote mail")) {
        for (size_t at = 0; at + 2 < text.len; at++) {
            if (text.p[at] == ':' && text.p[at + 1] == ' ' &&
                smtpc_log_is_reply(text.p + at + 2, text.len - at - 2)) {
                event->reply = smtpc_log_span_of(text.p + at + 2, text.len - at - 2);
                return;
            }
        }
    }
    event->detail = text;
}

/* "H=host [ip] F=<sender> rejected RCPT <recipient>: text", "... rejected MAIL <s>: text",
 * "... rejected after DATA: text": what this server refused while receiving. */
static void read_reject(struct smtpc_log_event *event, const char *s, size_t len)
{
    size_t at = smtpc_log_find(s, len, " rejected ");
    if (at == len && smtpc_log_starts(s, len, "rejected "))
        at = 0;
    else if (at < len)
        at++;
    else
        return;
    size_t after = at + 9;
    const char *verb = s + after;
    size_t verb_room = len - after;
    if (!smtpc_log_starts(verb, verb_room, "RCPT ") &&
        !smtpc_log_starts(verb, verb_room, "MAIL ") &&
        !smtpc_log_starts(verb, verb_room, "after DATA"))
        return;
    event->outcome = SMTPC_LOG_REJECTED;
    read_host(event, s, at);
    smtpc_log_field(&event->sender, s, at, "F", SMTPC_LOG_END_SPACE);
    if (smtpc_log_starts(verb, verb_room, "RCPT <")) {
        const char *close = memchr(verb + 6, '>', verb_room - 6);
        if (close != NULL)
            event->recipient = smtpc_log_span_of(verb + 6, (size_t)(close - verb) - 6);
    } else if (smtpc_log_starts(verb, verb_room, "MAIL <")) {
        const char *close = memchr(verb + 6, '>', verb_room - 6);
        if (close != NULL)
            event->sender = smtpc_log_span_of(verb + 6, (size_t)(close - verb) - 6);
    }
    size_t sep = separator(verb, verb_room);
    if (sep < verb_room)
        smtpc_log_set_reply_or_detail(event,
                                      smtpc_log_span_of(verb + sep + 2, verb_room - sep - 2));
}

/* A line about one message: "ID FLAG ...". */
static void read_message_line(struct smtpc_log_event *event, const char *s, size_t len)
{
    if (smtpc_log_starts(s, len, "<= ")) {
        event->outcome = SMTPC_LOG_SENDER;
        size_t n = 3;
        while (n < len && s[n] != ' ')
            n++;
        struct smtpc_log_span sender = smtpc_log_span_of(s + 3, n - 3);
        event->sender = smtpc_log_is(sender, "<>") ? smtpc_log_span_of(s + 3, 0) : sender;
        read_host(event, s + n, len - n);
        return;
    }
    int delivered = smtpc_log_starts(s, len, "=> ") || smtpc_log_starts(s, len, "-> ");
    int bounced = smtpc_log_starts(s, len, "** ");
    int deferred = smtpc_log_starts(s, len, "== ");
    if (delivered || bounced || deferred) {
        event->outcome = delivered ? SMTPC_LOG_DELIVERED
                         : bounced ? SMTPC_LOG_BOUNCED
                                   : SMTPC_LOG_DEFERRED;
        size_t at = 3 + read_recipient(event, s + 3, len - 3);
        read_host(event, s + at, len - at);
        if (delivered) {
            struct smtpc_log_span confirmation;
            if (smtpc_log_field(&confirmation, s + at, len - at, "C", SMTPC_LOG_END_SPACE) &&
                smtpc_log_is_reply(confirmation.p, confirmation.len))
                event->reply = confirmation;
        } else {
            read_error(event, s + at, len - at);
        }
        return;
    }
    if (smtpc_log_starts(s, len, "Completed")) {
        event->outcome = SMTPC_LOG_REMOVED;
        return;
    }
    if (smtpc_log_starts(s, len, "H=") || smtpc_log_find(s, len, " rejected ") < len)
        read_reject(event, s, len);
}

/* What Exim's lines without a message ID start with, besides the rejects. */
static int starts_exim_notice(const char *s, size_t len)
{
    static const char *const notices[] = {
        "H=",
        "SMTP ",
        "Start queue run",
        "End queue run",
        "exim ",
        "TLS error",
        "no host name found",
        "no IP address found",
        "rejected ",
        "unexpected disconnection",
        "Connection from ",
        "U=",
    };
    for (size_t i = 0; i < sizeof notices / sizeof notices[0]; i++) {
        if (smtpc_log_starts(s, len, notices[i]))
            return 1;
    }
    return 0;
}

/* The body after the time and pid: returns 0 when it is no Exim line. */
static int read_body(struct smtpc_log_event *event, const char *s, size_t len)
{
    size_t id = message_id_len(s, len);
    if (id > 0) {
        event->queue_id = smtpc_log_span_of(s, id);
        if (id < len)
            read_message_line(event, s + id + 1, len - id - 1);
        return 1;
    }
    if (!starts_exim_notice(s, len))
        return 0;
    read_reject(event, s, len);
    return 1;
}

void smtpc_log_exim(struct smtpc_log_event *event, const char *msg, size_t len)
{
    event->outcome = SMTPC_LOG_OTHER;
    /* syslog_timestamp (the default) repeats Exim's own time inside the syslog line */
    size_t at = timestamp_len(msg, len);
    if (at > 0 && at < len && msg[at] == ' ')
        at++;
    at += pid_len(msg + at, len - at);
    read_body(event, msg + at, len - at);
}

int smtpc_log_exim_main(struct smtpc_log_event *event, const char *line, size_t len)
{
    size_t time = timestamp_len(line, len);
    if (time == 0 || time >= len || line[time] != ' ')
        return 0;
    size_t at = time + 1;
    at += pid_len(line + at, len - at);
    struct smtpc_log_event ev = {0};
    ev.mta = "exim";
    ev.time = smtpc_log_span_of(line, time);
    if (!read_body(&ev, line + at, len - at))
        return 0;
    *event = ev;
    return 1;
}
