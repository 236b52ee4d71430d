/*
 * logs.h - reading the lines that mail servers write about deliveries (docs/logs.md): Postfix,
 * Exim, Sendmail, OpenSMTPD, Exchange and Microsoft 365 message tracking exports, Dovecot's
 * LMTP and LDA. A reader turns one line into what it says happened to one recipient of one
 * message; scan.c counts the events, the same way for every MTA.
 *
 * One delivery attempt for one recipient is one event, however many lines an MTA writes about
 * it: a reader makes the line that concludes the attempt (Postfix's "status=", Exim's "**",
 * "==" and "=>", Sendmail's "stat=") the event, and every other line of a known MTA, even one
 * that quotes the same reply, LOG_OTHER.
 */
#ifndef SMTPC_LOGS_H
#define SMTPC_LOGS_H

#include <stddef.h>

/* What a line says happened. */
enum smtpc_log_outcome {
    SMTPC_LOG_OTHER = 0,  /* a line of a known MTA that concludes no delivery attempt: counted
                             as a line, its text never as a reply */
    SMTPC_LOG_DELIVERED,  /* the next hop accepted the message, or it was put in the mailbox */
    SMTPC_LOG_DEFERRED,   /* a temporary failure: the MTA tries again later */
    SMTPC_LOG_BOUNCED,    /* a permanent failure (or the queue lifetime ran out): the message
                             goes back to its sender */
    SMTPC_LOG_REJECTED,   /* this server refused the message or a recipient while receiving
                             it (Postfix "NOQUEUE: reject", Exim "rejected RCPT") */
    SMTPC_LOG_SENDER,     /* the line names the envelope sender of a queued message */
    SMTPC_LOG_REMOVED     /* the queued message is gone: its queue ID will not come back */
};

/* Bytes of the line: not NUL-terminated; len 0 when the line does not give it. */
struct smtpc_log_span {
    const char *p;
    size_t len;
};

struct smtpc_log_event {
    enum smtpc_log_outcome outcome;
    const char *mta;                 /* static: "postfix", "exim", "sendmail", "opensmtpd",
                                        "exchange", "microsoft365", "dovecot" */
    struct smtpc_log_span time;      /* the timestamp as written: "Nov 23 10:02:11",
                                        "2024-11-23 10:00:05", "2024-11-23T10:00:05.123+01:00" */
    struct smtpc_log_span queue_id;  /* "7C1A2B3C4D", "1tEbcd-0001AB-Cd"; NOQUEUE gives none */
    struct smtpc_log_span sender;    /* the envelope sender, without angle brackets ("" for
                                        the null sender <> is len 0 too) */
    struct smtpc_log_span recipient; /* the recipient, without angle brackets */
    struct smtpc_log_span relay;     /* the host the attempt went to or came from, as written
                                        ("mx.example.com[203.0.113.25]:25") */
    struct smtpc_log_span reply;     /* the SMTP reply the line quotes, from its code to its end
                                        ("550 5.1.1 <bob@example.org>: ... rejected"), without
                                        the MTA's own wrapping ("(in reply to RCPT TO command)"
                                        stays: it names the command); a reply folded by Exim
                                        with a literal "\n" is given whole */
    struct smtpc_log_span status;    /* the enhanced status code the MTA states itself
                                        (Postfix and Sendmail "dsn=4.4.1") */
    struct smtpc_log_span detail;    /* the MTA's own words when there is no reply ("connect to
                                        mx.example.com[203.0.113.9]:25: Connection timed out",
                                        "User unknown", "Quota exceeded (mailbox for user is
                                        full)") */
};

/* The state a reader keeps from line to line: the columns of a CSV export, named by its header
 * line. Zero it (smtpc_log_reader_init()) before the first line. */
enum { SMTPC_LOG_MAX_COLUMNS = 64 };
struct smtpc_log_reader {
    int csv;                                          /* 0, or which export the header named */
    unsigned char columns[SMTPC_LOG_MAX_COLUMNS];     /* what each column holds */
    size_t n_columns;
};

void smtpc_log_reader_init(struct smtpc_log_reader *reader);

/*
 * Reads one line (`len` bytes, without its "\n"; a "\r" before it already removed). Returns 1
 * when the line is one of a known MTA (the event filled in, SMTPC_LOG_OTHER when it concludes
 * nothing), 0 when it is not (the event untouched; a CSV header line is 1 with
 * SMTPC_LOG_OTHER). Never reads outside the line; never allocates.
 */
int smtpc_log_read_line(struct smtpc_log_reader *reader, struct smtpc_log_event *event,
                        const char *line, size_t len);

/*
 * The time of a timestamp as a reader gives it (smtpc_log_event.time), in seconds since
 * 1970-01-01 UTC: syslog's "Nov 23 10:02:11" (no year: `year` is used; no zone: UTC),
 * "2024-11-23 10:00:05" (Exim, Sendmail's newer form; UTC, or the offset that follows),
 * RFC 3339 "2024-11-23T10:00:05.123456+01:00" or "...Z" (fractions dropped), and the exports'
 * "2024-11-23T10:00:05.123Z" and "11/23/2024 10:00:05 AM". Returns 0, or -1 for a timestamp it
 * cannot read (then `*out` is untouched).
 */
int smtpc_log_time(long long *out, const char *p, size_t len, int year);

#endif
