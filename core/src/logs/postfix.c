/*
 * postfix.c - Postfix's log lines (docs/logs.md, "Postfix"). The delivery agents (smtp, lmtp,
 * local, virtual, pipe, error, discard) conclude each attempt with one line per recipient:
 *
 *   QID: to=<r>, [orig_to=<o>,] relay=HOST, delay=..., dsn=X.Y.Z, status=WORD (TEXT)
 *
 * where TEXT is the remote server's reply ("host mx[ip] said: 550 ... (in reply to RCPT TO
 * command)", or the final reply itself after a delivery: "250 2.0.0 Ok: queued as ...") or
 * Postfix's own words. smtpd and cleanup write "reject:" lines for what this server refused
 * while receiving, qmgr the envelope sender ("from=<s>, size=..., nrcpt=...") and the end of a
 * message ("removed").
 */
#include "logs_internal.h"

#include "../internal.h"

#include <string.h>

/* Postfix's queue IDs: short ones are upper-case hexadecimal; long ones (enable_long_queue_ids)
 * use digits and the consonants of both cases, so that no word can be one. */
static size_t queue_id_len(const char *s, size_t len)
{
    static const char long_alphabet[] = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    size_t n = 0; /* upper-case hexadecimal, on every line: no table lookup */
    while (n < len && ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'A' && s[n] <= 'F')))
        n++;
    if (n < 5 || n + 1 >= len || s[n] != ':') {
        n = smtpc_log_run(s, len, long_alphabet);
        if (n < 10)
            return 0;
    }
    return n + 1 < len && s[n] == ':' && s[n + 1] == ' ' ? n : 0;
}

/* The delivery agents that speak SMTP or LMTP, whose texts quote the next hop's replies. */
static int service_speaks_smtp(struct smtpc_log_span service)
{
    return smtpc_log_is(service, "smtp") || smtpc_log_is(service, "lmtp");
}

static enum smtpc_log_outcome outcome_of_status(struct smtpc_log_span word)
{
    if (smtpc_log_is(word, "sent"))
        return SMTPC_LOG_DELIVERED;
    if (smtpc_log_is(word, "deferred"))
        return SMTPC_LOG_DEFERRED;
    /* "expired": the queue lifetime ran out and the message goes back to its sender */
    if (smtpc_log_is(word, "bounced") || smtpc_log_is(word, "expired"))
        return SMTPC_LOG_BOUNCED;
    /* address verification probes ("deliverable", "undeliverable") deliver nothing */
    return SMTPC_LOG_OTHER;
}

/* The text in the parentheses after the status word: what the next hop said, or Postfix's own
 * words. */
static void read_status_text(struct smtpc_log_event *event, struct smtpc_log_span service,
                             struct smtpc_log_span text)
{
    if (service_speaks_smtp(service)) {
        if (smtpc_log_is_reply(text.p, text.len)) {
            event->reply = text;
            return;
        }
        size_t said = smtpc_log_find(text.p, text.len, " said: ");
        if (said < text.len) {
            size_t at = said + 7;
            if (smtpc_log_is_reply(text.p + at, text.len - at)) {
                event->reply = smtpc_log_span_of(text.p + at, text.len - at);
                return;
            }
        }
    }
    event->detail = text;
}

/* "to=<r>, relay=..., dsn=..., status=WORD (TEXT)". */
static void read_delivery(struct smtpc_log_event *event, struct smtpc_log_span service,
                          const char *s, size_t len)
{
    size_t at = smtpc_log_find(s, len, ", status=");
    if (at == len)
        return;
    at += 9;
    size_t word = smtpc_log_run(s + at, len - at, "abcdefghijklmnopqrstuvwxyz");
    event->outcome = outcome_of_status(smtpc_log_span_of(s + at, word));
    if (event->outcome == SMTPC_LOG_OTHER)
        return;
    smtpc_log_field(&event->recipient, s, len, "to", SMTPC_LOG_END_COMMA);
    smtpc_log_field(&event->relay, s, len, "relay", SMTPC_LOG_END_COMMA);
    smtpc_log_field(&event->status, s, len, "dsn", SMTPC_LOG_END_COMMA);
    at += word;
    if (len - at >= 2 && s[at] == ' ' && s[at + 1] == '(') {
        at += 2;
        size_t end = s[len - 1] == ')' ? len - 1 : len;
        if (end > at)
            read_status_text(event, service, smtpc_log_span_of(s + at, end - at));
    }
}

/* The first ": " of `s` outside angle brackets, or `len`. */
static size_t colon_outside_brackets(const char *s, size_t len)
{
    int depth = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] == '<')
            depth++;
        else if (s[i] == '>' && depth > 0)
            depth--;
        else if (depth == 0 && s[i] == ':' && s[i + 1] == ' ')
            return i;
    }
    return len;
}

/*
 * "reject: RCPT from CLIENT: TEXT; from=<s> to=<r> proto=ESMTP helo=<h>" (smtpd),
 * "milter-reject: END-OF-MESSAGE from CLIENT: TEXT; from=<s> to=<r> ..." (smtpd's milters), and
 * cleanup's header and body checks, where the checked text comes first and may say anything:
 * "reject: header Subject: VALUE from CLIENT; from=<s> to=<r> proto=ESMTP helo=<h>: TEXT".
 * The envelope is the last "; from=<" of the line, since a quoted header cannot follow it.
 */
static void read_reject(struct smtpc_log_event *event, const char *s, size_t len)
{
    event->outcome = SMTPC_LOG_REJECTED;
    size_t envelope = smtpc_log_find_last(s, len, "; from=<");
    if (envelope == len)
        envelope = smtpc_log_find_last(s, len, "; proto=");
    const char *tail = envelope < len ? s + envelope + 2 : s + len;
    size_t tail_len = envelope < len ? len - envelope - 2 : 0;
    smtpc_log_field(&event->sender, tail, tail_len, "from", SMTPC_LOG_END_SPACE);
    smtpc_log_field(&event->recipient, tail, tail_len, "to", SMTPC_LOG_END_SPACE);
    struct smtpc_log_span text;
    if (smtpc_log_starts(s, len, "header ") || smtpc_log_starts(s, len, "body ")) {
        size_t from = smtpc_log_find_last(s, envelope, " from ");
        if (from < envelope)
            event->relay = smtpc_log_span_of(s + from + 6, envelope - from - 6);
        size_t colon = colon_outside_brackets(tail, tail_len);
        if (colon == tail_len)
            return;
        text = smtpc_log_span_of(tail + colon + 2, tail_len - colon - 2);
    } else {
        size_t from = smtpc_log_find(s, envelope, " from ");
        if (from == envelope)
            return;
        const char *client = s + from + 6;
        size_t client_room = envelope - from - 6;
        const char *bracket = memchr(client, ']', client_room);
        size_t client_len = bracket != NULL ? (size_t)(bracket - client) + 1
                                            : smtpc_log_find(client, client_room, ": ");
        event->relay = smtpc_log_span_of(client, client_len);
        size_t at = client_len;
        if (client_room - at < 2 || client[at] != ':' || client[at + 1] != ' ')
            return;
        text = smtpc_log_span_of(client + at + 2, client_room - at - 2);
    }
    smtpc_log_set_reply_or_detail(event, text);
}

void smtpc_log_postfix(struct smtpc_log_event *event, struct smtpc_log_span program,
                       const char *msg, size_t len)
{
    const char *slash = memchr(program.p, '/', program.len);
    while (slash != NULL) {
        const char *next = memchr(slash + 1, '/', program.len - (size_t)(slash + 1 - program.p));
        if (next == NULL)
            break;
        slash = next;
    }
    struct smtpc_log_span service =
        slash != NULL ? smtpc_log_span_of(slash + 1, program.len - (size_t)(slash + 1 - program.p))
                      : program;
    event->outcome = SMTPC_LOG_OTHER;
    const char *rest;
    size_t rest_len;
    if (smtpc_log_starts(msg, len, "NOQUEUE: ")) {
        rest = msg + 9;
        rest_len = len - 9;
    } else {
        size_t id = queue_id_len(msg, len);
        if (id == 0)
            return;
        event->queue_id = smtpc_log_span_of(msg, id);
        rest = msg + id + 2;
        rest_len = len - id - 2;
    }
    if (smtpc_log_starts(rest, rest_len, "reject: ")) {
        read_reject(event, rest + 8, rest_len - 8);
    } else if (smtpc_log_starts(rest, rest_len, "milter-reject: ")) {
        read_reject(event, rest + 15, rest_len - 15);
    } else if (event->queue_id.len == 0) {
        return;
    } else if (smtpc_log_starts(rest, rest_len, "to=<")) {
        read_delivery(event, service, rest, rest_len);
    } else if (smtpc_log_is(service, "qmgr") && smtpc_log_starts(rest, rest_len, "from=<") &&
               smtpc_log_find(rest, rest_len, ", status=") == rest_len) {
        /* "from=<s>, status=expired, returned to sender" is the notice of a bounce whose
         * recipients' lines count; the plain one names the sender */
        event->outcome = SMTPC_LOG_SENDER;
        smtpc_log_field(&event->sender, rest, rest_len, "from", SMTPC_LOG_END_COMMA);
    } else if (rest_len == 7 && memcmp(rest, "removed", 7) == 0) {
        event->outcome = SMTPC_LOG_REMOVED;
    }
}
