/*
 * sendmail.c - Sendmail's log lines (docs/logs.md, "Sendmail"):
 *
 *   QID: from=<s>, size=1234, class=0, nrcpts=1, msgid=<...>, proto=ESMTP, relay=...
 *   QID: to=<r>, delay=..., mailer=esmtp, pri=..., relay=mx. [ip], dsn=2.0.0, stat=Sent (...)
 *   QID: to=<r>, ..., dsn=4.7.1, stat=Deferred: 451 4.7.1 Greylisted
 *   ruleset=check_rcpt, arg1=<r>, relay=host [ip], reject=550 5.7.1 <r>... Relaying denied
 *
 * An attempt's outcome is the class of its dsn= (RFC 3463: 2 sent, 4 deferred, 5 bounced).
 */
#include "logs_internal.h"

#include "../internal.h"

#include <string.h>

static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* Sendmail's queue IDs ("wANA2Bc1012345": 8 to 20 letters and digits, among them a digit, so
 * that no word is one), followed by ": ". */
static size_t queue_id_len(const char *s, size_t len)
{
    size_t n = smtpc_log_run(s, len, alnum);
    if (n < 8 || n > 20 || n + 1 >= len || s[n] != ':' || s[n + 1] != ' ')
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (smtpc_is_digit(s[i]))
            return n;
    }
    return 0;
}

/* The first address of a to= or arg1= value: "<a@x>,<b@x>" gives a@x (the finder already took
 * the brackets off the first), "a@x,b@x" gives a@x. */
static struct smtpc_log_span first_address(struct smtpc_log_span value)
{
    const char *comma = memchr(value.p, ',', value.len);
    if (comma != NULL)
        value.len = (size_t)(comma - value.p);
    return smtpc_log_unbracket(value);
}

static enum smtpc_log_outcome outcome_of(struct smtpc_log_span dsn, struct smtpc_log_span stat)
{
    char class = dsn.len > 0 ? dsn.p[0] : '\0';
    if (class == '2' || (class == '\0' && smtpc_log_starts(stat.p, stat.len, "Sent")))
        return SMTPC_LOG_DELIVERED;
    if (class == '4' || (class == '\0' && smtpc_log_starts(stat.p, stat.len, "Deferred")))
        return SMTPC_LOG_DEFERRED;
    if (class == '5')
        return SMTPC_LOG_BOUNCED;
    /* "stat=queued": the message waits in the queue; no attempt was made */
    return SMTPC_LOG_OTHER;
}

/* "to=<r>, ..., relay=..., dsn=X.Y.Z, [reply=NNN ...,] stat=TEXT": stat is the last field and
 * its text may hold commas, so it runs to the end of the line. */
static void read_delivery(struct smtpc_log_event *event, const char *s, size_t len)
{
    size_t at = smtpc_log_find(s, len, ", stat=");
    if (at == len)
        return;
    struct smtpc_log_span stat = smtpc_log_span_of(s + at + 7, len - at - 7);
    struct smtpc_log_span dsn = {s, 0}, reply = {s, 0}, to;
    smtpc_log_field(&dsn, s, at, "dsn", SMTPC_LOG_END_COMMA);
    event->outcome = outcome_of(dsn, stat);
    if (event->outcome == SMTPC_LOG_OTHER)
        return;
    event->status = dsn;
    if (smtpc_log_field(&to, s, at, "to", SMTPC_LOG_END_COMMA))
        event->recipient = first_address(to);
    smtpc_log_field(&event->relay, s, at, "relay", SMTPC_LOG_END_COMMA);
    if (smtpc_log_field(&reply, s, at, "reply", SMTPC_LOG_END_COMMA) &&
        smtpc_log_is_reply(reply.p, reply.len)) {
        event->reply = reply;
    } else if (smtpc_log_starts(stat.p, stat.len, "Deferred: ") &&
               smtpc_log_is_reply(stat.p + 10, stat.len - 10)) {
        event->reply = smtpc_log_span_of(stat.p + 10, stat.len - 10);
    } else {
        event->detail = stat;
    }
}

/* "ruleset=check_rcpt, arg1=<r>, relay=..., reject=550 5.7.1 <r>... Relaying denied", and the
 * milter's "Milter: ..., reject=554 5.7.1 ...": reject= is the reply the client got. */
static void read_reject(struct smtpc_log_event *event, const char *s, size_t len, size_t at)
{
    event->outcome = SMTPC_LOG_REJECTED;
    struct smtpc_log_span ruleset, arg1;
    if (smtpc_log_field(&arg1, s, len, "arg1", SMTPC_LOG_END_COMMA) &&
        smtpc_log_field(&ruleset, s, len, "ruleset", SMTPC_LOG_END_COMMA)) {
        if (smtpc_log_is(ruleset, "check_rcpt"))
            event->recipient = first_address(arg1);
        else if (smtpc_log_is(ruleset, "check_mail"))
            event->sender = first_address(arg1);
    }
    smtpc_log_field(&event->relay, s, len, "relay", SMTPC_LOG_END_COMMA);
    smtpc_log_set_reply_or_detail(event, smtpc_log_span_of(s + at + 7, len - at - 7));
}

void smtpc_log_sendmail(struct smtpc_log_event *event, const char *msg, size_t len)
{
    event->outcome = SMTPC_LOG_OTHER;
    size_t id = queue_id_len(msg, len);
    const char *s = msg;
    if (id > 0) {
        event->queue_id = smtpc_log_span_of(msg, id);
        s = msg + id + 2;
    }
    size_t rest = len - (size_t)(s - msg);
    size_t reject = smtpc_log_find(s, rest, "reject=");
    if (reject < rest && (reject == 0 || s[reject - 1] == ' ')) {
        read_reject(event, s, rest, reject);
    } else if (id == 0) {
        return;
    } else if (smtpc_log_starts(s, rest, "from=")) {
        struct smtpc_log_span from;
        if (!smtpc_log_field(&from, s, rest, "from", SMTPC_LOG_END_COMMA))
            return;
        event->outcome = SMTPC_LOG_SENDER;
        /* the null sender is written "<>", which the finder gives empty */
        event->sender = smtpc_log_unbracket(from);
    } else if (smtpc_log_starts(s, rest, "to=")) {
        read_delivery(event, s, rest);
    }
}
