/*
 * opensmtpd.c - OpenSMTPD's log lines (docs/logs.md, "OpenSMTPD"), from smtpd(8) 6.x and
 * later. Each names the session first:
 *
 *   SID mta delivery evpid=MSGID00000001 from=<s> to=<r> rcpt=<-> source="ip"
 *       relay="mx.example.org (mx.example.org) [ip]" delay=2s result="Ok" stat="250 2.0.0 Ok"
 *   SID mda delivery evpid=... from=<s> to=<r> rcpt=<r> user=bob delay=0s result="Ok"
 *       stat="Delivered"
 *   SID smtp failed-command command="RCPT TO:<r>" result="550 Invalid recipient: <r>"
 *
 * result is Ok, TempFail, PermFail or Loop; stat is the next hop's reply or smtpd's words.
 * The envelope ID's first 8 hexadecimal digits are the message's ID, the queue ID here.
 */
#include "logs_internal.h"

#include "../internal.h"

#include <string.h>

static const char hex[] = "0123456789abcdefABCDEF";

static enum smtpc_log_outcome outcome_of(struct smtpc_log_span result)
{
    if (smtpc_log_is(result, "Ok"))
        return SMTPC_LOG_DELIVERED;
    if (smtpc_log_is(result, "TempFail"))
        return SMTPC_LOG_DEFERRED;
    /* a loop is not retried: the message goes back to its sender */
    if (smtpc_log_is(result, "PermFail") || smtpc_log_is(result, "Loop"))
        return SMTPC_LOG_BOUNCED;
    return SMTPC_LOG_OTHER;
}

static void read_delivery(struct smtpc_log_event *event, const char *s, size_t len)
{
    struct smtpc_log_span result, evpid, stat;
    if (!smtpc_log_field(&result, s, len, "result", SMTPC_LOG_END_SPACE))
        return;
    event->outcome = outcome_of(result);
    if (event->outcome == SMTPC_LOG_OTHER)
        return;
    if (smtpc_log_field(&evpid, s, len, "evpid", SMTPC_LOG_END_SPACE)) {
        if (smtpc_log_starts(evpid.p, evpid.len, "0x"))
            evpid = smtpc_log_span_of(evpid.p + 2, evpid.len - 2);
        if (evpid.len == 16 && smtpc_log_run(evpid.p, 16, hex) == 16)
            event->queue_id = smtpc_log_span_of(evpid.p, 8);
    }
    smtpc_log_field(&event->sender, s, len, "from", SMTPC_LOG_END_SPACE);
    smtpc_log_field(&event->recipient, s, len, "to", SMTPC_LOG_END_SPACE);
    smtpc_log_field(&event->relay, s, len, "relay", SMTPC_LOG_END_SPACE);
    if (smtpc_log_field(&stat, s, len, "stat", SMTPC_LOG_END_SPACE) && stat.len > 0) {
        if (smtpc_log_is_reply(stat.p, stat.len))
            event->reply = stat;
        else
            event->detail = stat;
    }
}

/* command="RCPT TO:<r>" result="550 ...": a command this server refused. */
static void read_failed_command(struct smtpc_log_event *event, const char *s, size_t len)
{
    struct smtpc_log_span command, result;
    if (!smtpc_log_field(&result, s, len, "result", SMTPC_LOG_END_SPACE))
        return;
    event->outcome = SMTPC_LOG_REJECTED;
    if (smtpc_log_field(&command, s, len, "command", SMTPC_LOG_END_SPACE)) {
        const char *open = memchr(command.p, '<', command.len);
        const char *close =
            open != NULL ? memchr(open, '>', command.len - (size_t)(open - command.p)) : NULL;
        if (close != NULL) {
            struct smtpc_log_span address = smtpc_log_span_of(open + 1, (size_t)(close - open) - 1);
            if (smtpc_log_starts(command.p, command.len, "RCPT") ||
                smtpc_log_starts(command.p, command.len, "rcpt"))
                event->recipient = address;
            else
                event->sender = address;
        }
    }
    if (smtpc_log_is_reply(result.p, result.len))
        event->reply = result;
    else
        event->detail = result;
}

void smtpc_log_opensmtpd(struct smtpc_log_event *event, const char *msg, size_t len)
{
    event->outcome = SMTPC_LOG_OTHER;
    size_t sid = smtpc_log_run(msg, len, hex);
    if (sid == 0 || sid >= len || msg[sid] != ' ')
        return;
    const char *s = msg + sid + 1;
    size_t rest = len - sid - 1;
    if (smtpc_log_starts(s, rest, "mta delivery ") || smtpc_log_starts(s, rest, "mda delivery "))
        read_delivery(event, s + 13, rest - 13);
    else if (smtpc_log_starts(s, rest, "smtp failed-command "))
        read_failed_command(event, s + 20, rest - 20);
}
