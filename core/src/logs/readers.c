/*
 * readers.c - which reader a log line goes to (docs/logs.md): a syslog line by the program
 * that wrote it, Exim's own main log by its timestamp and message ID, and the rows of
 * Microsoft's CSV logs by the header the reader has seen.
 */
#include "logs_internal.h"

#include "../internal.h"

#include <string.h>

void smtpc_log_reader_init(struct smtpc_log_reader *reader)
{
    if (reader != NULL)
        memset(reader, 0, sizeof *reader);
}

/* Postfix names itself "postfix/DAEMON", or with its syslog_name for a second instance or a
 * service of its own ("postfix-out/smtp", "postfix/submission/smtpd"). */
static int is_postfix(struct smtpc_log_span program)
{
    return smtpc_log_starts(program.p, program.len, "postfix") &&
           memchr(program.p, '/', program.len) != NULL;
}

/* Reads the message of a syslog line by its program. Returns 0 for a program of no MTA. */
static int read_program(struct smtpc_log_event *event, const struct smtpc_log_syslog *line)
{
    struct smtpc_log_span program = line->program;
    const char *msg = line->message.p;
    size_t len = line->message.len;
    if (is_postfix(program)) {
        event->mta = "postfix";
        smtpc_log_postfix(event, program, msg, len);
    } else if (smtpc_log_is(program, "exim") || smtpc_log_is(program, "exim4")) {
        event->mta = "exim";
        smtpc_log_exim(event, msg, len);
    } else if (smtpc_log_is(program, "sendmail") || smtpc_log_is(program, "sm-mta") ||
               smtpc_log_is(program, "sm-msp-queue")) {
        event->mta = "sendmail";
        smtpc_log_sendmail(event, msg, len);
    } else if (smtpc_log_is(program, "smtpd")) {
        /* Postfix's smtpd is "postfix/smtpd": a bare "smtpd" is OpenSMTPD's */
        event->mta = "opensmtpd";
        smtpc_log_opensmtpd(event, msg, len);
    } else if (smtpc_log_is(program, "dovecot")) {
        event->mta = "dovecot";
        smtpc_log_dovecot(event, msg, len);
    } else {
        return 0;
    }
    return 1;
}

/* A line that concludes nothing keeps only where it was written and its message's ID. */
static void keep_other(struct smtpc_log_event *event)
{
    if (event->outcome != SMTPC_LOG_OTHER)
        return;
    struct smtpc_log_event other = {0};
    other.mta = event->mta;
    other.time = event->time;
    other.queue_id = event->queue_id;
    *event = other;
}

int smtpc_log_read_line(struct smtpc_log_reader *reader, struct smtpc_log_event *event,
                        const char *line, size_t len)
{
    if (reader == NULL || event == NULL || line == NULL || len == 0)
        return 0;
    struct smtpc_log_event ev = {0};
    struct smtpc_log_syslog parts;
    int known;
    if (smtpc_log_syslog_split(&parts, line, len)) {
        ev.time = parts.time;
        known = read_program(&ev, &parts);
    } else {
        known = smtpc_log_exim_main(&ev, line, len) ||
                smtpc_log_csv_header(reader, &ev, line, len) ||
                smtpc_log_csv_row(reader, &ev, line, len);
    }
    if (!known)
        return 0;
    keep_other(&ev);
    *event = ev;
    return 1;
}
