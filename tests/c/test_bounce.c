/*
 * test_bounce.c - the bounce reader: delivery status notifications (RFC 3464, RFC 6533),
 * feedback reports (RFC 5965), automatic replies (RFC 3834), the MIME beneath them, its limits,
 * mbox cutting and the rendering of records. The messages are in tests/vectors/bounces/reader/
 * or built here.
 */
#include "smtpcodes.h"
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- helpers ---- */

static char *read_message(const char *name, size_t *len)
{
    char relative[256];
    snprintf(relative, sizeof relative, "bounces/reader/%s", name);
    char *data = read_file(vector_path(relative), len);
    if (data == NULL)
        fail_msg("cannot read %s", vector_path(relative));
    return data;
}

static smtpc_bounce *parse_ok(const char *msg, size_t len)
{
    smtpc_bounce *b = NULL;
    smtpc_error err = {0};
    int rc = smtpc_bounce_parse(&b, NULL, msg, len, &err);
    if (rc != 0)
        fail_msg("smtpc_bounce_parse: %s (%d)", err.text, rc);
    assert_non_null(b);
    return b;
}

static smtpc_bounce *parse_file(const char *name)
{
    size_t len;
    char *msg = read_message(name, &len);
    smtpc_bounce *b = parse_ok(msg, len);
    free(msg); /* the records own their strings */
    return b;
}

static smtpc_bounce *parse_text(const char *msg)
{
    return parse_ok(msg, strlen(msg));
}

static const smtpc_bounce_record *record(const smtpc_bounce *b, size_t index)
{
    const smtpc_bounce_record *rec = smtpc_bounce_record_at(b, index);
    assert_non_null(rec);
    return rec;
}

/* The same text with every LF made CRLF. */
static char *with_crlf(const char *s, size_t len, size_t *out_len)
{
    char *out = malloc(2 * len + 1);
    assert_non_null(out);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            out[n++] = '\r';
        out[n++] = s[i];
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

/* `s` with its lines ending in a CR alone, as the classic Mac OS saved a message: each LF or
 * CRLF becomes a CR. The length stays within `len`. */
static char *with_cr(const char *s, size_t len, size_t *out_len)
{
    char *out = malloc(len + 1);
    assert_non_null(out);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] != '\r' || i + 1 == len || s[i + 1] != '\n')
            out[n++] = s[i] == '\n' ? '\r' : s[i];
    out[n] = '\0';
    *out_len = n;
    return out;
}

/* A growing message built by the tests. */
struct text {
    char *s;
    size_t len, cap;
};

static void add(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void adds(struct text *t, const char *s)
{
    add(t, s, strlen(s));
}

static void addf(struct text *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof buf);
    add(t, buf, (size_t)n);
}

static const char short_dsn_head[] =
    "From: MAILER-DAEMON@mx.example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n"
    "\n"
    "--r\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.com\n"
    "\n";

/* A DSN whose delivery-status body is `fields`. */
static smtpc_bounce *parse_dsn_fields(const char *fields)
{
    struct text t = {0};
    adds(&t, short_dsn_head);
    adds(&t, fields);
    adds(&t, "\n--r--\n");
    smtpc_bounce *b = parse_ok(t.s, t.len);
    free(t.s);
    return b;
}

/* ---- delivery status notifications (RFC 3464) ---- */

static void check_two_recipients(const smtpc_bounce *b)
{
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_DSN);
    assert_int_equal(smtpc_bounce_count(b), 2);
    assert_null(smtpc_bounce_record_at(b, 2));

    const smtpc_bounce_record *bob = record(b, 0);
    assert_int_equal(bob->kind, SMTPC_BOUNCE_DSN);
    assert_string_equal(bob->recipient, "bob@example.org");
    assert_string_equal(bob->original_recipient, "bob@example.org");
    assert_int_equal(bob->action, SMTPC_DSN_FAILED);
    assert_int_equal(bob->code, 550);
    assert_string_equal(bob->enhanced, "5.1.1");
    assert_string_equal(bob->command, "RCPT");
    /* unfolded: the line break and the indentation of the next line are one space */
    assert_string_equal(bob->diagnostic,
                        "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown "
                        "in local recipient table (in reply to RCPT TO command)");
    assert_string_equal(bob->diagnostic_type, "smtp");
    assert_string_equal(bob->remote_mta, "mx.example.org");
    assert_string_equal(bob->reporting_mta, "mx.example.com");
    assert_string_equal(bob->arrival_date, "Mon,  5 Jan 2026 09:59:58 +0000 (UTC)");
    assert_string_equal(bob->queue_id, "4A1B2C3D");
    /* the Message-ID without its angle brackets */
    assert_string_equal(bob->message_id, "20260105095958.4A1B2C3D@mx.example.com");
    assert_string_equal(bob->original_date, "Mon,  5 Jan 2026 09:59:58 +0000");
    /* the returned message's Return-Path wins over X-Postfix-Sender */
    assert_string_equal(bob->return_path, "alice+verp=example.org@example.com");
    assert_string_equal(bob->subject, "Undelivered Mail Returned to Sender");
    assert_string_equal(bob->feedback_type, "");
    assert_string_equal(bob->will_retry_until, "");
    /* the reason, decided by a text pattern whose evidence is in the diagnostic kept */
    assert_string_equal(bob->reason.name, "userunknown");
    assert_int_equal(bob->reason.hard, 1);
    assert_string_equal(bob->reason.rule, "pattern");
    assert_true(bob->reason.evidence >= bob->diagnostic &&
                bob->reason.evidence + bob->reason.evidence_len <=
                    bob->diagnostic + strlen(bob->diagnostic));
    assert_int_equal(bob->reason.evidence_len, strlen("User unknown"));

    const smtpc_bounce_record *carol = record(b, 1);
    assert_string_equal(carol->recipient, "carol@example.org");
    assert_string_equal(carol->original_recipient, "");
    assert_int_equal(carol->action, SMTPC_DSN_DELAYED);
    /* a multi-line reply flattened onto one line */
    assert_int_equal(carol->code, 452);
    assert_string_equal(carol->enhanced, "4.2.2");
    assert_string_equal(carol->command, "RCPT");
    assert_string_equal(carol->will_retry_until, "Fri,  9 Jan 2026 09:59:58 +0000 (UTC)");
    /* a full mailbox, soft as the class 4 of its reply says */
    assert_string_equal(carol->reason.name, "mailboxfull");
    assert_int_equal(carol->reason.hard, 0);
    /* the facts of the message are repeated in every record */
    assert_string_equal(carol->queue_id, "4A1B2C3D");
    assert_string_equal(carol->message_id, bob->message_id);
    assert_string_equal(carol->subject, bob->subject);
}

static void dsn_with_two_recipients(void **state)
{
    (void)state;
    smtpc_bounce *b = parse_file("dsn-two-recipients.eml");
    check_two_recipients(b);
    smtpc_bounce_free(b);
}

static void crlf_reads_as_lf(void **state)
{
    (void)state;
    size_t len, crlf_len;
    char *msg = read_message("dsn-two-recipients.eml", &len);
    char *crlf = with_crlf(msg, len, &crlf_len);
    smtpc_bounce *b = parse_ok(crlf, crlf_len);
    check_two_recipients(b);
    smtpc_bounce_free(b);
    free(crlf);
    free(msg);
}

static void cr_lines_read_as_lf(void **state)
{
    (void)state;
    size_t len, cr_len;
    char *msg = read_message("dsn-two-recipients.eml", &len);
    char *cr = with_cr(msg, len, &cr_len);
    assert_null(memchr(cr, '\n', cr_len));
    smtpc_bounce *b = parse_ok(cr, cr_len);
    check_two_recipients(b);
    smtpc_bounce_free(b);
    /* one LF in it and the CRs are no line ends: a header of one long line, no report */
    cr[cr_len - 1] = '\n';
    b = parse_ok(cr, cr_len);
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_UNRECOGNISED);
    smtpc_bounce_free(b);
    free(cr);
    free(msg);
}

static void base64_delivery_status(void **state)
{
    (void)state;
    smtpc_bounce *b = parse_file("dsn-base64-status.eml");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_DSN);
    assert_int_equal(smtpc_bounce_count(b), 1);
    const smtpc_bounce_record *dave = record(b, 0);
    assert_string_equal(dave->recipient, "dave@example.org");
    assert_int_equal(dave->code, 552);
    assert_string_equal(dave->enhanced, "5.2.2");
    assert_string_equal(dave->diagnostic,
                        "552 5.2.2 Mailbox full: dave@example.org has exceeded its storage quota");
    assert_string_equal(dave->reporting_mta, "relay.example.net");
    assert_string_equal(dave->arrival_date, "Tue, 6 Jan 2026 08:00:00 +0100");
    /* text/rfc822-headers returns the header alone */
    assert_string_equal(dave->message_id, "b64-original@example.com");
    assert_string_equal(dave->original_date, "Tue, 6 Jan 2026 07:59:00 +0100");
    assert_string_equal(dave->return_path, "");
    assert_string_equal(dave->subject, "Delivery Status Notification (Failure)");
    smtpc_bounce_free(b);
}

static void quoted_printable_parts(void **state)
{
    (void)state;
    smtpc_bounce *b = parse_file("dsn-quoted-printable.eml");
    assert_int_equal(smtpc_bounce_count(b), 1);
    const smtpc_bounce_record *eve = record(b, 0);
    assert_string_equal(eve->recipient, "eve@example.de");
    /* a soft line break joins "c" and "ontains", "=3D" is "=", "=20" a kept space */
    assert_string_equal(eve->diagnostic, "554 5.7.1 Message rejected: the header field Subject "
                                         "contains =?utf-8?= which is not allowed");
    assert_int_equal(eve->code, 554);
    assert_string_equal(eve->enhanced, "5.7.1");
    assert_string_equal(eve->remote_mta, "mx.example.de");
    /* an encoded word in ISO-8859-1, with "=40" for "@" */
    assert_string_equal(eve->subject, "Unzustellbare Nachricht f\xC3\xBCr eve@example.de");
    smtpc_bounce_free(b);
}

static void forwarded_bounce(void **state)
{
    (void)state;
    smtpc_bounce *b = parse_file("dsn-forwarded.eml");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_DSN);
    assert_int_equal(smtpc_bounce_count(b), 1);
    const smtpc_bounce_record *grace = record(b, 0);
    assert_string_equal(grace->recipient, "grace@example.org");
    assert_int_equal(grace->code, 550);
    assert_string_equal(grace->enhanced, "5.1.2");
    /* types are case-insensitive: "SMTP;" is kept as "smtp", "DNS;" dropped */
    assert_string_equal(grace->diagnostic_type, "smtp");
    assert_string_equal(grace->remote_mta, "example.org");
    assert_string_equal(grace->last_attempt_date, "Wed, 7 Jan 2026 11:00:05 GMT");
    /* the Subject of the bounce itself, not of the message that forwards it */
    assert_string_equal(grace->subject, "Returned mail: see transcript for details");
    /* the message the bounce returns, not the bounce that was forwarded */
    assert_string_equal(grace->message_id, "forwarded-original@example.com");
    assert_string_equal(grace->return_path, "frank@example.com");
    smtpc_bounce_free(b);
}

static void global_dsn_with_utf8_address(void **state)
{
    (void)state;
    smtpc_bounce *b = parse_file("global-dsn.eml");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_GLOBAL_DSN);
    assert_int_equal(smtpc_bounce_count(b), 1);
    const smtpc_bounce_record *rec = record(b, 0);
    assert_int_equal(rec->kind, SMTPC_BOUNCE_GLOBAL_DSN);
    const char *address = "\xE7\x94\xA8\xE6\x88\xB7@\xE4\xBE\x8B\xE5\xAD\x90.example";
    assert_string_equal(rec->recipient, address);
    /* "\x{7528}\x{6237}" (RFC 6533 section 3) is the same address */
    assert_string_equal(rec->original_recipient, address);
    assert_int_equal(rec->code, 550);
    assert_string_equal(rec->enhanced, "5.1.1");
    assert_string_equal(rec->remote_mta, "mx.\xE4\xBE\x8B\xE5\xAD\x90.example");
    assert_string_equal(rec->reason.name, "userunknown");
    assert_string_equal(rec->subject, "\xE9\x80\x80\xE4\xBF\xA1: Hello");
    /* message/global-headers returns the header */
    assert_string_equal(rec->message_id, "global-original@example.com");
    smtpc_bounce_free(b);
}

static void dsn_field_variants(void **state)
{
    (void)state;
    /* two recipients without the empty line between them, Original-Recipient first; a Status
     * with a comment; an action in capitals */
    smtpc_bounce *b = parse_dsn_fields("Original-Recipient: rfc822; a@example.org\n"
                                       "Final-Recipient: rfc822; <A@example.org>\n"
                                       "Action: FAILED\n"
                                       "Status: 5.1.1 (bad destination mailbox)\n"
                                       "Original-Recipient: rfc822; b@example.org\n"
                                       "Final-Recipient: rfc822; b@example.org\n"
                                       "Action: failed\n"
                                       "Status: 5.1\n"
                                       "Diagnostic-Code: 550 5.1.10 no such user\n");
    assert_int_equal(smtpc_bounce_count(b), 2);
    assert_string_equal(record(b, 0)->recipient, "A@example.org");
    assert_string_equal(record(b, 0)->original_recipient, "a@example.org");
    assert_int_equal(record(b, 0)->action, SMTPC_DSN_FAILED);
    assert_string_equal(record(b, 0)->enhanced, "5.1.1");
    assert_string_equal(record(b, 1)->recipient, "b@example.org");
    /* a Status that is no code: the diagnostic's enhanced code; a diagnostic without a type */
    assert_string_equal(record(b, 1)->enhanced, "5.1.10");
    assert_string_equal(record(b, 1)->diagnostic_type, "");
    assert_int_equal(record(b, 1)->code, 550);
    smtpc_bounce_free(b);

    /* a recipient named only by its Original-Recipient; a block with no recipient is dropped;
     * a queue ID under another MTA's name */
    b = parse_dsn_fields("X-Other-Queue-ID: 1vXyZ-0001\n\n"
                         "Original-Recipient: rfc822; only-original@example.org\n"
                         "Action: delayed\n\n"
                         "Action: failed\nStatus: 5.0.0\n");
    assert_int_equal(smtpc_bounce_count(b), 1);
    assert_string_equal(record(b, 0)->recipient, "only-original@example.org");
    assert_string_equal(record(b, 0)->queue_id, "1vXyZ-0001");
    assert_int_equal(record(b, 0)->code, 0);
    smtpc_bounce_free(b);

    /* delivered, relayed, expanded: not a failure */
    b = parse_dsn_fields("Final-Recipient: rfc822; ok@example.org\n"
                         "Action: relayed\nStatus: 2.0.0\n"
                         "Diagnostic-Code: smtp; 250 2.0.0 Ok: queued as 4Q\n");
    const smtpc_bounce_record *ok = record(b, 0);
    assert_int_equal(ok->action, SMTPC_DSN_RELAYED);
    assert_int_equal(ok->code, 250);
    assert_string_equal(ok->reason.name, "delivered");
    assert_int_equal(ok->reason.hard, -1);
    assert_string_equal(ok->reason.rule, "action");
    assert_string_equal(ok->reason.evidence, "relayed");
    smtpc_bounce_free(b);
}

/* The enhanced code of a recipient whose Status is `status` and diagnostic `diagnostic`. */
static void expect_enhanced(const char *status, const char *diagnostic, const char *expected)
{
    char fields[512];
    snprintf(fields, sizeof fields,
             "Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: %s\n"
             "Diagnostic-Code: smtp; %s\n",
             status, diagnostic);
    smtpc_bounce *b = parse_dsn_fields(fields);
    assert_int_equal(smtpc_bounce_count(b), 1);
    assert_string_equal(record(b, 0)->enhanced, expected);
    smtpc_bounce_free(b);
}

static void undefined_status_takes_the_diagnostic_code(void **state)
{
    (void)state;
    expect_enhanced("5.0.0", "550 5.1.1 <a@example.org>... User unknown", "5.1.1");
    expect_enhanced("4.0.0", "451 4.7.1 Greylisted", "4.7.1");
    /* a specific Status stays; a code of another class or X.0.0 says no more */
    expect_enhanced("5.1.1", "550 5.2.2 Mailbox full", "5.1.1");
    expect_enhanced("5.0.0", "450 4.2.2 Mailbox full", "5.0.0");
    expect_enhanced("5.0.0", "550 5.0.0 Rejected", "5.0.0");
    expect_enhanced("5.0.0", "550 Rejected", "5.0.0");
}

static void diagnostic_codes(void **state)
{
    (void)state;
    /* Exim and others put the reply after "said:"; the reply parser finds it */
    smtpc_bounce *b = parse_dsn_fields(
        "Final-Recipient: rfc822; x@example.org\nAction: failed\n"
        "Diagnostic-Code: X-Postfix; host mx.example.org[192.0.2.7] said: 550 5.7.1\n"
        "    Relaying denied (in reply to MAIL FROM command)\n");
    assert_int_equal(record(b, 0)->code, 550);
    assert_string_equal(record(b, 0)->enhanced, "5.7.1");
    assert_string_equal(record(b, 0)->command, "MAIL");
    assert_string_equal(record(b, 0)->diagnostic_type, "x-postfix");
    smtpc_bounce_free(b);

    /* no reply at all: an IP address and a port are no codes */
    b = parse_dsn_fields("Final-Recipient: rfc822; y@example.org\nAction: delayed\n"
                         "Diagnostic-Code: X-Postfix; connect to 192.0.2.9:25: Connection "
                         "refused after 300 seconds\n");
    assert_int_equal(record(b, 0)->code, 0);
    assert_string_equal(record(b, 0)->enhanced, "");
    assert_string_equal(record(b, 0)->command, "");
    smtpc_bounce_free(b);
}

/* A DSN for one recipient whose diagnostic names no command, with `notification` before it. */
static smtpc_bounce *parse_with_notification(const char *notification, const char *diagnostic)
{
    struct text t = {0};
    adds(&t, "Content-Type: multipart/report; report-type=delivery-status; boundary=n\n\n"
             "--n\nContent-Type: text/plain\n\n");
    adds(&t, notification);
    adds(&t, "\n--n\nContent-Type: message/delivery-status\n\n"
             "Final-Recipient: rfc822; rae@example.org\nAction: failed\nDiagnostic-Code: ");
    adds(&t, diagnostic);
    adds(&t, "\n\n--n--\n");
    smtpc_bounce *b = parse_ok(t.s, t.len);
    free(t.s);
    return b;
}

static void commands_in_the_notification(void **state)
{
    (void)state;
    /* Postfix's paragraphs, one per recipient, matched by address, case ignored */
    smtpc_bounce *b = parse_file("dsn-notification-commands.eml");
    assert_int_equal(smtpc_bounce_count(b), 4);
    assert_string_equal(record(b, 0)->command, "RCPT");
    /* a multi-line reply flattened into the paragraph */
    assert_string_equal(record(b, 1)->command, "DATA-END");
    assert_int_equal(record(b, 1)->code, 552);
    assert_string_equal(record(b, 2)->recipient, "PAUL@example.com");
    assert_string_equal(record(b, 2)->command, "CONNECT");
    assert_string_equal(record(b, 3)->command, "");
    smtpc_bounce_free(b);

    /* Exim */
    b = parse_with_notification(
        "The following address(es) failed:\n\n  rae@example.org\n    host mx.example.org "
        "[192.0.2.5]\n    SMTP error from remote mail server after RCPT TO:<rae@example.org>:\n"
        "    550 5.1.1 No such user\n",
        "smtp; 550 5.1.1 No such user");
    assert_string_equal(record(b, 0)->command, "RCPT");
    smtpc_bounce_free(b);
    b = parse_with_notification("  rae@example.org\n    SMTP error from remote mail server after "
                                "pipelined end of data:\n    550 rejected\n",
                                "smtp; 550 rejected");
    assert_string_equal(record(b, 0)->command, "DATA-END");
    smtpc_bounce_free(b);

    /* Sendmail's transcript: the last command sent before the failure received */
    b = parse_with_notification("   ----- Transcript of session follows -----\n"
                                "... while talking to mx.example.org.:\n"
                                ">>> MAIL From:<s@example.com> SIZE=120\n<<< 250 2.1.0 Ok\n"
                                ">>> RCPT To:<rae@example.org>\n<<< 250 2.1.5 Ok\n>>> DATA\n"
                                "<<< 354 Go ahead\n>>> .\n<<< 554 5.7.1 Rejected as spam\n",
                                "smtp; 554 5.7.1 Rejected as spam");
    assert_string_equal(record(b, 0)->command, "DATA-END");
    smtpc_bounce_free(b);

    /* a paragraph about another address lends it nothing; the diagnostic's own command wins */
    b = parse_with_notification("<someone@example.org>: host x said: 550 no (in reply to RCPT TO "
                                "command)\n",
                                "smtp; 550 no");
    assert_string_equal(record(b, 0)->command, "");
    smtpc_bounce_free(b);
    b = parse_with_notification("<rae@example.org>: host x said: 550 no (in reply to RCPT TO "
                                "command)\n",
                                "smtp; 550 no (in reply to MAIL FROM command)");
    assert_string_equal(record(b, 0)->command, "MAIL");
    smtpc_bounce_free(b);
}

/* ---- feedback reports and automatic replies ---- */

static void feedback_report(void **state)
{
    (void)state;
    smtpc_bounce *b = parse_file("feedback-report.eml");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_FEEDBACK);
    assert_int_equal(smtpc_bounce_count(b), 1);
    const smtpc_bounce_record *rec = record(b, 0);
    assert_int_equal(rec->kind, SMTPC_BOUNCE_FEEDBACK);
    assert_string_equal(rec->recipient, "henry@isp.example");
    assert_string_equal(rec->feedback_type, "abuse");
    assert_string_equal(rec->arrival_date, "Fri, 9 Jan 2026 12:00:00 +0000");
    assert_string_equal(rec->reporting_mta, "mx.isp.example");
    assert_string_equal(rec->remote_mta, "198.51.100.25");
    assert_string_equal(rec->return_path, "bounces+list-42@sender.example");
    assert_string_equal(rec->message_id, "newsletter-2026-01@sender.example");
    assert_string_equal(rec->subject, "Complaint about a message from sender.example");
    assert_int_equal(rec->code, 0);
    assert_int_equal(rec->action, SMTPC_DSN_NONE);
    assert_string_equal(rec->reason.name, "feedback");
    assert_string_equal(rec->reason.rule, "feedback");
    assert_int_equal(rec->reason.hard, -1);
    assert_int_equal(rec->reason.evidence_len, 5);
    assert_memory_equal(rec->reason.evidence, "abuse", 5);
    smtpc_bounce_free(b);

    /* without Original-Rcpt-To, the To of the reported message */
    b = parse_text("Content-Type: multipart/report; report-type=feedback-report; boundary=f\n\n"
                   "--f\nContent-Type: message/feedback-report\n\nFeedback-Type: fraud\n\n"
                   "--f\nContent-Type: text/rfc822-headers\n\n"
                   "To: \"Doe, Jane\" <jane@example.org>, other@example.org\n"
                   "Message-ID: <phish@example.net>\n\n--f--\n");
    assert_string_equal(record(b, 0)->recipient, "jane@example.org");
    assert_string_equal(record(b, 0)->message_id, "phish@example.net");
    assert_string_equal(record(b, 0)->feedback_type, "fraud");
    smtpc_bounce_free(b);
}

static void auto_reply(void **state)
{
    (void)state;
    smtpc_bounce *b = parse_file("auto-reply.eml");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_AUTO_REPLY);
    assert_int_equal(smtpc_bounce_count(b), 1);
    const smtpc_bounce_record *rec = record(b, 0);
    assert_int_equal(rec->kind, SMTPC_BOUNCE_AUTO_REPLY);
    /* the From of the reply, its display name in ISO-8859-1 left out */
    assert_string_equal(rec->recipient, "joerg@example.net");
    /* Windows-1252 quotes (0x93, 0x94) and an umlaut, converted to UTF-8 */
    assert_string_equal(rec->subject,
                        "Abwesend: \xE2\x80\x9CUrlaub\xE2\x80\x9D bis M\xC3\xA4rz");
    assert_string_equal(rec->reason.name, "vacation");
    assert_string_equal(rec->reason.rule, "auto-reply");
    assert_int_equal(rec->reason.hard, -1);
    assert_string_equal(rec->reason.evidence, "Auto-Submitted: auto-replied (vacation)");
    /* the message it answers */
    assert_string_equal(rec->message_id, "question@example.com");
    smtpc_bounce_free(b);
}

static int kind_of(const char *header)
{
    struct text t = {0};
    adds(&t, "From: Someone <someone@example.org>\n");
    adds(&t, header);
    adds(&t, "\nSubject: hello\n\nbody\n");
    smtpc_bounce *b = parse_ok(t.s, t.len);
    int kind = smtpc_bounce_kind(b);
    if (kind == SMTPC_BOUNCE_AUTO_REPLY)
        assert_string_equal(record(b, 0)->recipient, "someone@example.org");
    else
        assert_int_equal(smtpc_bounce_count(b), 0);
    smtpc_bounce_free(b);
    free(t.s);
    return kind;
}

static void auto_reply_marks(void **state)
{
    (void)state;
    assert_int_equal(kind_of("Auto-Submitted: Auto-Replied"), SMTPC_BOUNCE_AUTO_REPLY);
    assert_int_equal(kind_of("X-Autoreply: yes"), SMTPC_BOUNCE_AUTO_REPLY);
    assert_int_equal(kind_of("X-Autorespond: 1"), SMTPC_BOUNCE_AUTO_REPLY);
    assert_int_equal(kind_of("Precedence: auto_reply"), SMTPC_BOUNCE_AUTO_REPLY);
    /* automatic, but no reply (RFC 3834 section 5.2), and what else mailing lists set */
    assert_int_equal(kind_of("Auto-Submitted: auto-generated"), SMTPC_BOUNCE_UNRECOGNISED);
    assert_int_equal(kind_of("Auto-Submitted: no"), SMTPC_BOUNCE_UNRECOGNISED);
    assert_int_equal(kind_of("Precedence: bulk"), SMTPC_BOUNCE_UNRECOGNISED);
}

/* The Subject an automatic reply with `subject` is read with. */
static void expect_subject(const char *subject, const char *expected)
{
    struct text t = {0};
    adds(&t, "From: a@example.org\nAuto-Submitted: auto-replied\nSubject: ");
    adds(&t, subject);
    adds(&t, "\n\nbody\n");
    smtpc_bounce *b = parse_ok(t.s, t.len);
    if (strcmp(record(b, 0)->subject, expected) != 0)
        fail_msg("subject '%s': read '%s', expected '%s'", subject, record(b, 0)->subject,
                 expected);
    smtpc_bounce_free(b);
    free(t.s);
}

static void encoded_words(void **state)
{
    (void)state;
    /* a character split between two words is joined; the space between words goes */
    expect_subject("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=", "caf\xC3\xA9");
    expect_subject("=?utf-8?b?w6k=?=\n =?utf-8?B?w6k=?=", "\xC3\xA9\xC3\xA9");
    /* a space between a word and text stays; "_" is a space in Q */
    expect_subject("=?US-ASCII?Q?a_b?= c", "a b c");
    /* RFC 2231 language; Latin-1 */
    expect_subject("=?iso-8859-1*de?Q?Gr=FC=DFe?=", "Gr\xC3\xBC\xC3\x9F" "e");
    /* a charset without a table: bytes that are no UTF-8 become U+FFFD */
    expect_subject("=?koi8-r?B?8tXT?=", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* no encoded word: kept as written */
    expect_subject("=?utf-8?X?abc?= and =?broken", "=?utf-8?X?abc?= and =?broken");
    expect_subject("=?utf-8?Q?a b?=", "=?utf-8?Q?a b?=");
    /* raw 8-bit UTF-8 (RFC 6532) is kept, other 8-bit bytes become U+FFFD */
    expect_subject("Gr\xC3\xBC\xC3\x9F" "e \xFF", "Gr\xC3\xBC\xC3\x9F" "e \xEF\xBF\xBD");
    /* folding: one space; a tab is a space; a control byte is U+FFFD */
    expect_subject("a\n\t\tb\tc\x01", "a b c\xEF\xBF\xBD");
}

/* A report whose delivery-status part is `status`, with `failed` as X-Failed-Recipients (NULL:
 * none) and `note` as the plain text before it. */
static smtpc_bounce *parse_report_with_failed(const char *failed, const char *note,
                                              const char *status)
{
    struct text t = {0};
    adds(&t, "From: Mail Delivery Subsystem <mailer-daemon@example.com>\n");
    if (failed != NULL)
        addf(&t, "X-Failed-Recipients: %s\n", failed);
    adds(&t, "Content-Type: multipart/report; boundary=r; report-type=delivery-status\n\n"
             "--r\nContent-Type: text/plain\n\n");
    adds(&t, note);
    adds(&t, "\n--r\nContent-Type: message/delivery-status\n\n");
    adds(&t, status);
    adds(&t, "\n--r--\n");
    smtpc_bounce *b = parse_ok(t.s, t.len);
    free(t.s);
    return b;
}

static void empty_report_names_x_failed_recipients(void **state)
{
    (void)state;
    /* the addresses of the field, folded, quoted and bracketed; the reply the text quotes */
    smtpc_bounce *b = parse_report_with_failed(
        "\"Doe, Jo\" <jo@example.org>,\n\t<ann@example.net>, , kim@example.com",
        "It failed.\n\nThe response from the remote server was:\n  550 5.1.1 no\n  such user\n\n"
        "Thanks.\n",
        "");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_DSN);
    assert_int_equal(smtpc_bounce_count(b), 3);
    const char *const expected[] = {"jo@example.org", "ann@example.net", "kim@example.com"};
    for (size_t i = 0; i < 3; i++) {
        const smtpc_bounce_record *rec = record(b, i);
        assert_string_equal(rec->recipient, expected[i]);
        assert_int_equal(rec->action, SMTPC_DSN_FAILED);
        assert_string_equal(rec->diagnostic, "550 5.1.1 no such user");
        assert_int_equal(rec->code, 550);
        assert_string_equal(rec->enhanced, "5.1.1");
        assert_string_equal(rec->reason.name, "userunknown");
        assert_int_equal(rec->reason.hard, 1);
    }
    smtpc_bounce_free(b);

    /* no quoted reply: no diagnostic, undefined, and hard as the MTA gave up */
    b = parse_report_with_failed("jo@example.org", "Something went wrong.\n",
                                 "Reporting-MTA: dns; x\n");
    assert_int_equal(smtpc_bounce_count(b), 1);
    assert_string_equal(record(b, 0)->diagnostic, "");
    assert_string_equal(record(b, 0)->reason.name, "undefined");
    assert_string_equal(record(b, 0)->reason.rule, "none");
    assert_int_equal(record(b, 0)->reason.hard, 1);
    assert_string_equal(record(b, 0)->reporting_mta, "x");
    smtpc_bounce_free(b);

    /* without the field, an empty report names nobody */
    b = parse_report_with_failed(NULL, "The response was:\n\n550 no\n", "");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_DSN);
    assert_int_equal(smtpc_bounce_count(b), 0);
    smtpc_bounce_free(b);

    /* a report that names its recipients is read alone: the field adds nobody */
    b = parse_report_with_failed("other@example.org", "The response was:\n\n550 no\n",
                                 "Final-Recipient: rfc822; jo@example.org\nAction: failed\n"
                                 "Status: 5.2.2\n");
    assert_int_equal(smtpc_bounce_count(b), 1);
    assert_string_equal(record(b, 0)->recipient, "jo@example.org");
    assert_string_equal(record(b, 0)->diagnostic, "");
    smtpc_bounce_free(b);

    /* an empty field, and a quoted reply that runs to the end */
    b = parse_report_with_failed("", "The response was:\n\n550 no", "");
    assert_int_equal(smtpc_bounce_count(b), 0);
    smtpc_bounce_free(b);
    b = parse_report_with_failed("jo@example.org", "The response was:", "");
    assert_int_equal(smtpc_bounce_count(b), 1);
    assert_string_equal(record(b, 0)->diagnostic, "");
    smtpc_bounce_free(b);
}

/* ---- what is no bounce, and broken MIME ---- */

static void unrecognised(void **state)
{
    (void)state;
    smtpc_bounce *b = parse_file("unrecognised.eml");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_UNRECOGNISED);
    assert_int_equal(smtpc_bounce_count(b), 0);
    assert_null(smtpc_bounce_record_at(b, 0));
    smtpc_bounce_free(b);

    b = parse_ok(NULL, 0);
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_UNRECOGNISED);
    smtpc_bounce_free(b);
    b = parse_text("not a message at all");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_UNRECOGNISED);
    smtpc_bounce_free(b);
}

static void broken_mime(void **state)
{
    (void)state;
    /* no close-delimiter, and a base64 delivery-status with junk and no padding */
    smtpc_bounce *b = parse_file("broken-mime.eml");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_DSN);
    assert_int_equal(smtpc_bounce_count(b), 1);
    const smtpc_bounce_record *ivan = record(b, 0);
    assert_string_equal(ivan->recipient, "ivan@example.org");
    assert_int_equal(ivan->code, 421);
    assert_string_equal(ivan->enhanced, "4.4.1");
    assert_string_equal(ivan->last_attempt_date, "Sun, 11 Jan 2026 10:00:00 +0000");
    /* failed with a transient status: the retries ran out */
    assert_string_equal(ivan->reason.name, "expired");
    assert_string_equal(ivan->reason.rule, "action");
    assert_int_equal(ivan->reason.hard, 0);
    assert_string_equal(ivan->reason.evidence, "4.4.1");
    assert_string_equal(ivan->message_id, "unclosed-original@example.com");
    smtpc_bounce_free(b);

    /* a multipart without a boundary has no parts to find, and is no automatic reply for its
     * Auto-Submitted: auto-replied */
    b = parse_file("no-boundary.eml");
    assert_int_equal(smtpc_bounce_kind(b), SMTPC_BOUNCE_UNRECOGNISED);
    assert_int_equal(smtpc_bounce_count(b), 0);
    smtpc_bounce_free(b);
}

static void every_cut_of_a_bounce_reads(void **state)
{
    (void)state;
    size_t len;
    char *msg = read_message("dsn-two-recipients.eml", &len);
    for (size_t cut = 0; cut <= len; cut++) {
        char *part = malloc(cut + 1);
        assert_non_null(part);
        memcpy(part, msg, cut); /* no terminator: the reader must keep to `cut` bytes */
        smtpc_bounce *b = parse_ok(part, cut);
        assert_true(smtpc_bounce_count(b) <= 2);
        if (cut == len)
            assert_int_equal(smtpc_bounce_count(b), 2);
        smtpc_bounce_free(b);
        free(part);
    }
    free(msg);
}

/* ---- the readers of services' own formats (hostile input) ---- */

/* A message of tests/vectors/bounces/ (the shared corpus). */
static char *read_corpus_message(const char *name, size_t *len)
{
    char relative[256];
    snprintf(relative, sizeof relative, "bounces/%s", name);
    char *data = read_file(vector_path(relative), len);
    if (data == NULL)
        fail_msg("cannot read %s", vector_path(relative));
    return data;
}

/* Parses `len` bytes that no terminator follows: the reader must keep to them. Returns the
 * number of records, or -1 for a clean error (SMTPC_ELIMIT, NULL bounce, a message in err). */
static long parse_hostile(const char *msg, size_t len)
{
    char *copy = malloc(len > 0 ? len : 1);
    assert_non_null(copy);
    if (len > 0)
        memcpy(copy, msg, len);
    smtpc_bounce *b = (smtpc_bounce *)1;
    smtpc_error err = {0};
    int rc = smtpc_bounce_parse(&b, NULL, copy, len, &err);
    free(copy);
    if (rc != 0) {
        assert_int_equal(rc, SMTPC_ELIMIT);
        assert_null(b);
        assert_true(err.text[0] != '\0');
        return -1;
    }
    size_t n = smtpc_bounce_count(b);
    for (size_t i = 0; i < n; i++) {
        const smtpc_bounce_record *rec = record(b, i);
        /* what a reader found is an address (a cut that leaves the reader nothing may be
         * read as the automatic reply the header says it is) */
        if (rec->kind == SMTPC_BOUNCE_NONSTANDARD)
            assert_non_null(strchr(rec->recipient, '@'));
    }
    smtpc_bounce_free(b);
    return (long)n;
}

/* Every cut of a sample of `format` reads: no more records than the whole message gives,
 * and the whole message gives its records in that format. */
static void every_cut_of_a_sample_reads(const char *name, const char *format)
{
    size_t len;
    char *msg = read_corpus_message(name, &len);
    smtpc_bounce *whole = parse_ok(msg, len);
    size_t n = smtpc_bounce_count(whole);
    assert_true(n > 0);
    assert_int_equal(smtpc_bounce_kind(whole), SMTPC_BOUNCE_NONSTANDARD);
    assert_string_equal(record(whole, 0)->format, format);
    smtpc_bounce_free(whole);
    for (size_t cut = 0; cut < len; cut++) {
        long got = parse_hostile(msg, cut);
        assert_true(got >= 0 && (size_t)got <= n);
    }
    free(msg);
}

/* A message of `n` recipients built from `head`, a recipient's text made by `line` (the
 * recipient's number in %d, as often as `uses`) and `tail`; read with SMTPC_BOUNCE_MAX_RECIPIENTS
 * recipients it gives them all, with one more it fails with SMTPC_ELIMIT. */
static void recipients_past_the_limit(const char *head, const char *line, int uses,
                                      const char *tail)
{
    for (int extra = 0; extra <= 1; extra++) {
        struct text t = {0};
        adds(&t, head);
        for (int i = 0; i < SMTPC_BOUNCE_MAX_RECIPIENTS + extra; i++) {
            if (uses == 1)
                addf(&t, line, i);
            else
                addf(&t, line, i, i);
        }
        adds(&t, tail);
        smtpc_bounce *b = NULL;
        smtpc_error err = {0};
        int rc = smtpc_bounce_parse(&b, NULL, t.s, t.len, &err);
        if (extra == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(smtpc_bounce_count(b), SMTPC_BOUNCE_MAX_RECIPIENTS);
            assert_string_equal(record(b, SMTPC_BOUNCE_MAX_RECIPIENTS - 1)->recipient,
                                "r9999@example.org");
        } else {
            assert_int_equal(rc, SMTPC_ELIMIT);
            assert_null(b);
            assert_non_null(strstr(err.text, "SMTPC_BOUNCE_MAX_RECIPIENTS"));
        }
        smtpc_bounce_free(b);
        free(t.s);
    }
}

/* Mangled messages: each parses, or fails cleanly, and gives `at_most` records. */
static void mangled_read(const char *const *messages, size_t count, long at_most)
{
    for (size_t i = 0; i < count; i++) {
        long got = parse_hostile(messages[i], strlen(messages[i]));
        if (got < 0 || got > at_most)
            fail_msg("mangled message %zu gave %ld records", i, got);
    }
}

static const char yahoo_head[] = "From: MAILER-DAEMON@yahoo.com\nSubject: Failure Notice\n\n"
                                 "Sorry, we were unable to deliver your message to the "
                                 "following address.\n\n";

static void yahoo_reader_hostile_input(void **state)
{
    (void)state;
    every_cut_of_a_sample_reads("yahoo-userunknown.eml", "yahoo");
    every_cut_of_a_sample_reads("yahoo-remote-host-said-two-recipients.eml", "yahoo");
    every_cut_of_a_sample_reads("yahoo-dd-no-account-crlf.eml", "yahoo");
    static const char *const mangled[] = {
        /* recipient lines without an address */
        "From: MAILER-DAEMON@yahoo.com\n\nSorry, we were unable to deliver your message to the "
        "following address.\n\n<>:\n550: no\n\n<nobody>:\n550: no\n",
        /* a recipient and nothing after it */
        "From: MAILER-DAEMON@yahoo.com\n\nSorry, we were unable to deliver your message to the "
        "following address.\n\n<a@example.org>:",
        /* a diagnostic cut in its code */
        "From: MAILER-DAEMON@yahoo.com\n\nSorry, we were unable to deliver your message to the "
        "following address.\n\n<a@example.org>:\n55",
        /* the marker before any recipient, then a recipient in the copy */
        "From: MAILER-DAEMON@yahoo.com\n\nSorry, we were unable to deliver your message to the "
        "following address.\n--- Below this line is a copy of the message.\n<a@example.org>:\n",
        "From: MAILER-DAEMON@yahoo.com\n\nSorry, we were unable to deliver your message to the "
        "following address.\n\n<a@example.org>:\nRemote host said: [RCPT_TO",
    };
    mangled_read(mangled, sizeof mangled / sizeof mangled[0], 1);
    recipients_past_the_limit(yahoo_head, "<r%d@example.org>:\n550: 5.1.1 no user r%d\n\n", 2,
                              "--- Below this line is a copy of the message.\n");
}

static const char zoho_head[] =
    "From: mailer-daemon@zohomail.com\nX-ZohoMail: Si\n\n"
    "This message was created automatically by mail delivery software.\n"
    "A message that you sent could not be delivered to one or more of its recipients.\n\n";

static void zoho_reader_hostile_input(void **state)
{
    (void)state;
    every_cut_of_a_sample_reads("zoho-invalid-address.eml", "zoho");
    every_cut_of_a_sample_reads("zoho-two-recipients-crlf.eml", "zoho");
    every_cut_of_a_sample_reads("zoho-host-not-reachable.eml", "zoho");
    static const char *const mangled[] = {
        /* a first word with an "@" that is no address, and a status line without one */
        "X-ZohoMail: Si\n\nThis message was created automatically by mail delivery software.\n"
        "@ Invalid Address, ERROR_CODE :550\n[Status: Error, Address: <>, ResponseCode 421]\n",
        /* codes cut short, or longer than a reply code */
        "X-ZohoMail: Si\n\nThis message was created automatically by mail delivery software.\n"
        "a@example.org Invalid Address, ERROR_CODE :5\n"
        "b@example.org Invalid Address, ERROR_CODE :5500, ERROR_CODE :\n"
        "[Status: Error, Address: <c@example.org>, ResponseCode 4",
        /* the copy's first line and nothing after it */
        "X-ZohoMail: Si\n\nThis message was created automatically by mail delivery software.\n"
        "ERROR_CODE :\nReceived: from mail.zoho.com",
        /* a status line cut after its label */
        "X-ZohoMail: Si\n\nThis message was created automatically by mail delivery software.\n"
        "[Status: Error, Address: ",
    };
    mangled_read(mangled, sizeof mangled / sizeof mangled[0], 3);
    recipients_past_the_limit(zoho_head,
                              "r%d@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 "
                              "<r%d@example.org>... User unknown\n",
                              2, "\nReceived: from mail.zoho.com by mx.zohomail.com\n");
}

static const char gmx_head[] =
    "From: \"GMX Mailer Daemon\" <mailer-daemon@gmx.net>\n\n"
    "This message was created automatically by mail delivery software.\n\n"
    "A message that you sent could not be delivered to one or more of\n"
    "its recipients. This is a permanent error. The following address(es)\nfailed:\n\n";

static void gmx_reader_hostile_input(void **state)
{
    (void)state;
    every_cut_of_a_sample_reads("gmx-userunknown-gmail.eml", "gmx");
    every_cut_of_a_sample_reads("gmx-two-recipients-web-de.eml", "gmx");
    every_cut_of_a_sample_reads("gmx-expired-crlf.eml", "gmx");
    static const char *const mangled[] = {
        /* recipient lines without an address */
        "\nThis message was created automatically by mail delivery software.\n\n\"\":\n<>\n@:\n"
        "--- The header of the original message is following. ---\n",
        /* a recipient, then an SMTP error cut before its command, and a host at the end */
        "\nThis message was created automatically by mail delivery software.\n\na@example.org:\n"
        "SMTP error from remote server for RCPT\n\nb@example.org:\nSMTP error from remote "
        "server after \n\nc@example.org:\nhost: \n"
        "--- The header of the original message is following. ---",
        /* the marker first, the greeting after it */
        "\n--- The header of the original message is following. ---\n"
        "This message was created automatically by mail delivery software.\na@example.org:\n",
        /* a recipient as the last bytes */
        "\nThis message was created automatically by mail delivery software.\n"
        "--- The header of the original message is following. ---\n\n<a@example.org>",
    };
    mangled_read(mangled, sizeof mangled / sizeof mangled[0], 3);
    recipients_past_the_limit(gmx_head,
                              "r%d@example.org:\nSMTP error from remote server for RCPT TO "
                              "command, host: mx.example.org (192.0.2.25) reason: 550 5.1.1 "
                              "<r%d@example.org>: User unknown\n\n",
                              2, "--- The header of the original message is following. ---\n");
}

static const char mailru_head[] =
    "From: mailer-daemon@corp.mail.ru\n\n"
    "This message was created automatically by mail delivery software.\n\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n\n";

static void mailru_reader_hostile_input(void **state)
{
    (void)state;
    every_cut_of_a_sample_reads("mailru-userunknown.eml", "mailru");
    every_cut_of_a_sample_reads("mailru-two-recipients-base64.eml", "mailru");
    every_cut_of_a_sample_reads("mailru-delayed-crlf.eml", "mailru");
    static const char *const mangled[] = {
        /* recipient lines without an address, or with more than one word */
        "From: mailer-daemon@corp.mail.ru\n\n"
        "This message was created automatically by mail delivery software.\n\n  @\n  a@ b\n"
        "    host x [192.0.2.1]: 550 no\n",
        /* a reason cut in its command, its host and its reply */
        "From: mailer-daemon@corp.mail.ru\n\n"
        "This message was created automatically by mail delivery software.\n\n  a@example.org\n"
        "    SMTP error from remote mail server after \n  b@example.org\n"
        "    SMTP error from remote mail server after RCPT TO:<b@example.org>\n"
        "  c@example.org\n    host mx.example.org",
        /* only the Russian greeting, and a recipient as the last bytes */
        "\n\xd0\xad\xd1\x82\xd0\xbe \xd1\x81\xd0\xb5\xd1\x80\xd0\xb2\xd0\xb5\xd1\x80\xd0\xbe\xd0"
        "\xbc Mail.Ru\n  a@example.org",
        /* the copy's marker before the report */
        "From: mailer-daemon@corp.mail.ru\n\n------ This is a copy of the message, including all "
        "the headers. ------\nThis message was created automatically by mail delivery "
        "software.\n\n  a@example.org\n    host x [192.0.2.1]: 550 no\n",
    };
    mangled_read(mangled, sizeof mangled / sizeof mangled[0], 3);
    recipients_past_the_limit(mailru_head,
                              "  r%d@example.org\n    SMTP error from remote mail server after "
                              "RCPT TO:<r%d@example.org>:\n    host mx.example.org [192.0.2.25]: "
                              "550 5.1.1 User unknown\n",
                              2,
                              "\n------ This is a copy of the message, including all the "
                              "headers. ------\n");
}

/* ---- limits ---- */

/* A DSN wrapped in `wraps` message/rfc822 parts: its delivery-status part is wraps + 1 deep. */
static void build_wrapped_dsn(struct text *t, int wraps, int multipart)
{
    for (int i = 0; i < wraps; i++) {
        if (multipart)
            addf(t, "Content-Type: multipart/mixed; boundary=\"level%d\"\n\n--level%d\n", i, i);
        else
            adds(t, "Content-Type: message/rfc822\n\n");
    }
    adds(t, short_dsn_head);
    adds(t, "Final-Recipient: rfc822; deep@example.org\nAction: failed\nStatus: 5.1.1\n");
    adds(t, "\n--r--\n");
}

static int parse_wrapped(int wraps, int multipart, smtpc_error *err)
{
    struct text t = {0};
    build_wrapped_dsn(&t, wraps, multipart);
    smtpc_bounce *b = (smtpc_bounce *)1;
    int rc = smtpc_bounce_parse(&b, NULL, t.s, t.len, err);
    if (rc == 0) {
        assert_int_equal(smtpc_bounce_count(b), 1);
        assert_string_equal(record(b, 0)->recipient, "deep@example.org");
    } else {
        assert_null(b);
    }
    smtpc_bounce_free(b);
    free(t.s);
    return rc;
}

static void depth_limit(void **state)
{
    (void)state;
    for (int multipart = 0; multipart <= 1; multipart++) {
        smtpc_error err = {0};
        /* the delivery-status part SMTPC_BOUNCE_MAX_DEPTH deep is read */
        assert_int_equal(parse_wrapped(SMTPC_BOUNCE_MAX_DEPTH - 1, multipart, &err), 0);
        /* one deeper, 17, fails and says why */
        assert_int_equal(parse_wrapped(SMTPC_BOUNCE_MAX_DEPTH, multipart, &err), SMTPC_ELIMIT);
        assert_int_equal(err.status, SMTPC_ELIMIT);
        assert_non_null(strstr(err.text, "16"));
        assert_non_null(strstr(err.text, "SMTPC_BOUNCE_MAX_DEPTH"));
    }
    /* far deeper: refused, not a stack overflow */
    smtpc_error err = {0};
    assert_int_equal(parse_wrapped(100000, 0, &err), SMTPC_ELIMIT);
}

static void decoded_bytes_limit(void **state)
{
    (void)state;
    /* The same 5 MB body in 15 quoted-printable message/rfc822 parts nested in each other:
     * each level decodes it again, 75 MB in all, past SMTPC_BOUNCE_MAX_DECODED. */
    struct text t = {0};
    for (int i = 0; i < 15; i++)
        adds(&t, "Content-Type: message/rfc822\nContent-Transfer-Encoding: quoted-printable\n\n");
    adds(&t, "Subject: filler\n\n");
    char line[80];
    memset(line, 'q', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    for (size_t n = 0; n < 5u * 1000 * 1000; n += sizeof line)
        add(&t, line, sizeof line);
    smtpc_bounce *b = (smtpc_bounce *)1;
    smtpc_error err = {0};
    assert_int_equal(smtpc_bounce_parse(&b, NULL, t.s, t.len, &err), SMTPC_ELIMIT);
    assert_null(b);
    assert_non_null(strstr(err.text, "SMTPC_BOUNCE_MAX_DECODED"));
    free(t.s);
}

static void recipients_limit(void **state)
{
    (void)state;
    for (int extra = 0; extra <= 1; extra++) {
        struct text t = {0};
        adds(&t, short_dsn_head);
        for (int i = 0; i < SMTPC_BOUNCE_MAX_RECIPIENTS + extra; i++)
            addf(&t, "Final-Recipient: rfc822; r%d@example.org\nAction: failed\n\n", i);
        smtpc_bounce *b = NULL;
        smtpc_error err = {0};
        int rc = smtpc_bounce_parse(&b, NULL, t.s, t.len, &err);
        if (extra == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(smtpc_bounce_count(b), SMTPC_BOUNCE_MAX_RECIPIENTS);
            assert_string_equal(record(b, SMTPC_BOUNCE_MAX_RECIPIENTS - 1)->recipient,
                                "r9999@example.org");
        } else {
            assert_int_equal(rc, SMTPC_ELIMIT);
            assert_non_null(strstr(err.text, "SMTPC_BOUNCE_MAX_RECIPIENTS"));
        }
        smtpc_bounce_free(b);
        free(t.s);
    }
}

static void large_attachment(void **state)
{
    (void)state;
    /* The returned message carries a 15 MB attachment, in base64 lines of 76 characters. */
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    struct text t = {0};
    adds(&t, "From: MAILER-DAEMON@mx.example.com\nSubject: Undelivered Mail\n"
             "Content-Type: multipart/report; report-type=delivery-status; boundary=\"big\"\n\n"
             "--big\nContent-Type: message/delivery-status\n\n"
             "Reporting-MTA: dns; mx.example.com\n\n"
             "Final-Recipient: rfc822; large@example.org\nAction: failed\nStatus: 5.3.4\n"
             "Diagnostic-Code: smtp; 552 5.3.4 Message size exceeds fixed limit\n\n"
             "--big\nContent-Type: message/rfc822\n\n"
             "Message-ID: <large-original@example.com>\nDate: Mon, 12 Jan 2026 10:00:00 +0000\n"
             "Content-Type: multipart/mixed; boundary=\"attach\"\n\n"
             "--attach\nContent-Type: text/plain\n\nThe report is attached.\n"
             "--attach\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n");
    char line[77];
    uint32_t x = 12345;
    for (size_t bytes = 0; bytes < 15u * 1000 * 1000; bytes += 57) {
        for (int i = 0; i < 76; i++) {
            x = x * 1103515245u + 12345u;
            line[i] = alphabet[(x >> 16) & 63];
        }
        line[76] = '\n';
        add(&t, line, sizeof line);
    }
    adds(&t, "--attach--\n\n--big--\n");
    assert_true(t.len > 20u * 1000 * 1000);
    smtpc_bounce *b = parse_ok(t.s, t.len);
    assert_int_equal(smtpc_bounce_count(b), 1);
    const smtpc_bounce_record *rec = record(b, 0);
    assert_string_equal(rec->recipient, "large@example.org");
    assert_int_equal(rec->code, 552);
    assert_string_equal(rec->enhanced, "5.3.4");
    assert_string_equal(rec->message_id, "large-original@example.com");
    assert_string_equal(rec->original_date, "Mon, 12 Jan 2026 10:00:00 +0000");
    smtpc_bounce_free(b);
    free(t.s);
}

/* ---- mailboxes ---- */

static void mbox_cutting(void **state)
{
    (void)state;
    size_t len;
    char *box = read_message("three-messages.mbox", &len);
    size_t offset = 0, start, n;
    const char *expected_ends[] = {"--m1--\n", "not a separator.\n", "Just a message.\n"};
    const int kinds[] = {SMTPC_BOUNCE_DSN, SMTPC_BOUNCE_AUTO_REPLY, SMTPC_BOUNCE_UNRECOGNISED};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(smtpc_mbox_next(box, len, &offset, &start, &n), 1);
        /* the message starts with its header, after the "From " line */
        assert_memory_equal(box + start, "From: ", 6);
        /* and ends before the empty line that precedes the next "From " line */
        size_t end_len = strlen(expected_ends[i]);
        assert_true(n >= end_len);
        assert_memory_equal(box + start + n - end_len, expected_ends[i], end_len);
        smtpc_bounce *b = parse_ok(box + start, n);
        assert_int_equal(smtpc_bounce_kind(b), kinds[i]);
        smtpc_bounce_free(b);
    }
    /* a ">From " line and a "From " line right after text are the body of the second */
    assert_int_equal(smtpc_mbox_next(box, len, &offset, &start, &n), 0);
    assert_int_equal(offset, len);

    /* a single message: one, whole */
    const char *single = "Subject: one\n\nFrom the start of a line\n";
    offset = 0;
    assert_int_equal(smtpc_mbox_next(single, strlen(single), &offset, &start, &n), 1);
    assert_int_equal(start, 0);
    assert_int_equal(n, strlen(single));
    assert_int_equal(smtpc_mbox_next(single, strlen(single), &offset, &start, &n), 0);

    /* CRLF; an empty message; nothing */
    const char *crlf = "From a\r\nSubject: 1\r\n\r\nx\r\n\r\nFrom b\r\n\r\nFrom c\r\ny";
    offset = 0;
    assert_int_equal(smtpc_mbox_next(crlf, strlen(crlf), &offset, &start, &n), 1);
    assert_int_equal(n, strlen("Subject: 1\r\n\r\nx\r\n"));
    assert_int_equal(smtpc_mbox_next(crlf, strlen(crlf), &offset, &start, &n), 1);
    assert_int_equal(n, 0);
    assert_int_equal(smtpc_mbox_next(crlf, strlen(crlf), &offset, &start, &n), 1);
    assert_memory_equal(crlf + start, "y", 1);
    assert_int_equal(n, 1);
    assert_int_equal(smtpc_mbox_next(crlf, strlen(crlf), &offset, &start, &n), 0);
    /* CR lines, as the classic Mac OS saved a mailbox: the "From " line tells */
    const char *cr = "From a\rSubject: 1\r\rx\r\rFrom b\r\rFrom c\ry";
    offset = 0;
    assert_int_equal(smtpc_mbox_next(cr, strlen(cr), &offset, &start, &n), 1);
    assert_int_equal(n, strlen("Subject: 1\r\rx\r"));
    assert_int_equal(smtpc_mbox_next(cr, strlen(cr), &offset, &start, &n), 1);
    assert_int_equal(n, 0);
    assert_int_equal(smtpc_mbox_next(cr, strlen(cr), &offset, &start, &n), 1);
    assert_memory_equal(cr + start, "y", 1);
    assert_int_equal(smtpc_mbox_next(cr, strlen(cr), &offset, &start, &n), 0);
    size_t cr_len;
    char *cr_box = with_cr(box, len, &cr_len);
    offset = 0;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(smtpc_mbox_next(cr_box, cr_len, &offset, &start, &n), 1);
        smtpc_bounce *b = parse_ok(cr_box + start, n);
        assert_int_equal(smtpc_bounce_kind(b), kinds[i]);
        smtpc_bounce_free(b);
    }
    assert_int_equal(smtpc_mbox_next(cr_box, cr_len, &offset, &start, &n), 0);
    free(cr_box);
    free(box);
    /* a "From " line that ends the data with a CR */
    offset = 0;
    assert_int_equal(smtpc_mbox_next("From a\r", 7, &offset, &start, &n), 1);
    assert_int_equal(n, 0);

    offset = 0;
    assert_int_equal(smtpc_mbox_next("", 0, &offset, &start, &n), 0);
    assert_int_equal(smtpc_mbox_next(NULL, 5, &offset, &start, &n), 0);
}

/* ---- rendering ---- */

static char *render(const smtpc_bounce *const *bounces, const char *const *files, size_t n,
                    int format)
{
    char *out = NULL;
    size_t out_len = 0;
    smtpc_error err = {0};
    int rc = smtpc_render_bounces(&out, &out_len, bounces, files, n, format, &err);
    if (rc != 0)
        fail_msg("smtpc_render_bounces: %s", err.text);
    assert_non_null(out);
    assert_int_equal(strlen(out), out_len);
    assert_true(utf8_is_valid(out, out_len));
    if (format == SMTPC_FORMAT_JSON)
        assert_true(json_is_valid(out, out_len));
    return out;
}

static void rendered_records(void **state)
{
    (void)state;
    smtpc_bounce *dsn = parse_file("dsn-two-recipients.eml");
    smtpc_bounce *feedback = parse_file("feedback-report.eml");
    smtpc_bounce *none = parse_file("unrecognised.eml");
    const smtpc_bounce *all[] = {dsn, feedback, none};
    const char *files[] = {"dsn.eml", NULL, "plain.eml"};

    char *json = render(all, files, 3, SMTPC_FORMAT_JSON);
    const char *head = "[{\"file\":\"dsn.eml\",\"kind\":\"dsn\",\"recipient\":\"bob@example.org\"";
    assert_memory_equal(json, head, strlen(head));
    assert_non_null(strstr(json, "\"code\":550,\"enhanced\":\"5.1.1\",\"action\":\"failed\""));
    assert_non_null(strstr(json, "\"command\":\"RCPT\""));
    /* the feedback record: no file, no code, no enhanced code, no action, not a failure */
    assert_non_null(strstr(json, "},{\"kind\":\"feedback\",\"recipient\":\"henry@isp.example\""));
    assert_non_null(strstr(json, "\"code\":null,\"enhanced\":null,\"action\":null,"
                                 "\"reason\":\"feedback\",\"hard\":null,\"rule\":\"feedback\","
                                 "\"evidence\":\"abuse\""));
    assert_null(strstr(json, "plain.eml")); /* a message without records adds none */
    assert_string_equal(json + strlen(json) - 2, "]\n");
    smtpc_free(json);

    json = render(all + 2, NULL, 1, SMTPC_FORMAT_JSON);
    assert_string_equal(json, "[]\n");
    smtpc_free(json);

    char *text = render(all, files, 3, SMTPC_FORMAT_TEXT);
    assert_non_null(strstr(text, "bob@example.org\n"));
    assert_non_null(strstr(text, "File: dsn.eml\n"));
    assert_non_null(strstr(text, "Action: failed\n"));
    assert_non_null(strstr(text, "Reply code: 550\n"));
    assert_non_null(strstr(text, "Diagnostic: smtp; 550 5.1.1 <bob@example.org>"));
    assert_non_null(strstr(text, "Feedback type: abuse\n"));
    assert_non_null(strstr(text, "plain.eml: no delivery status notification"));
    smtpc_free(text);

    char *html = render(all, files, 3, SMTPC_FORMAT_HTML);
    head = "<article class=\"smtpcodes smtpcodes-bounces\"";
    assert_memory_equal(html, head, strlen(head));
    assert_non_null(strstr(html, "smtp; 550 5.1.1 &lt;bob@example.org&gt;"));
    assert_null(strstr(html, "<bob@"));
    smtpc_free(html);

    char *markdown = render(all, files, 3, SMTPC_FORMAT_MARKDOWN);
    assert_non_null(strstr(markdown, "## bob@example.org\n"));
    assert_non_null(strstr(markdown, "- **Reply code:** 550\n"));
    assert_non_null(strstr(markdown, "\\<bob@example.org\\>"));
    smtpc_free(markdown);

    char *out = (char *)1;
    smtpc_error err = {0};
    assert_int_equal(smtpc_render_bounces(&out, NULL, all, files, 3, 9, &err), SMTPC_EFORMAT);
    assert_null(out);
    assert_int_equal(smtpc_render_bounces(NULL, NULL, all, files, 3, 0, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_render_bounces(&out, NULL, NULL, NULL, 1, 0, &err), SMTPC_EINVAL);
    const smtpc_bounce *with_null[] = {dsn, NULL};
    assert_int_equal(smtpc_render_bounces(&out, NULL, with_null, NULL, 2, 0, &err),
                     SMTPC_EINVAL);
    smtpc_bounce_free(dsn);
    smtpc_bounce_free(feedback);
    smtpc_bounce_free(none);
}

static void api_edges(void **state)
{
    (void)state;
    smtpc_bounce *b = (smtpc_bounce *)1;
    smtpc_error err = {0};
    assert_int_equal(smtpc_bounce_parse(NULL, NULL, "x", 1, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_bounce_parse(&b, NULL, NULL, 1, &err), SMTPC_EINVAL);
    assert_null(b);
    smtpc_bounce_free(NULL);
    assert_int_equal(smtpc_bounce_kind(NULL), 0);
    assert_int_equal(smtpc_bounce_count(NULL), 0);
    assert_null(smtpc_bounce_record_at(NULL, 0));
    assert_string_equal(smtpc_strerror(SMTPC_ELIMIT), "past a limit");
}

/* ---- the readers of formats no RFC defines: hostile input ---- */

/* A format's reader, its samples in tests/vectors/bounces/, and a message built in its shape:
 * `head`, then `each` (with "%d" for a recipient's number) once per recipient, then `tail`;
 * `no_address` is the shape with a recipient's line that holds no address. */
struct format_case {
    const char *name;
    const char *samples[5];
    const char *head, *each, *tail;
    const char *no_address;
};

static const struct format_case format_cases[] = {
    {"qmail",
     {"qmail-plain-text-bounce.eml", "qmail-vpopmail-three-recipients.eml",
      "qmail-netqmail-expired-mailboxfull-crlf.eml", "qmail-sender-rejected.eml", NULL},
     "Subject: failure notice\n\nHi. This is the qmail-send program at mx.example.com.\n"
     "I'm afraid I wasn't able to deliver your message to the following addresses.\n\n",
     "<r%d@example.org>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n",
     "--- Below this line is a copy of the message.\n\nMessage-ID: <m@example.com>\n",
     "Subject: failure notice\n\nHi. This is the qmail-send program at mx.example.com.\n\n"
     "<>:\n(#5.1.1\n<\n<:\n"},
    {"exim",
     {"exim-text-userunknown.eml", "exim-text-two-recipients.eml",
      "exim-text-delayed-gmail-rate-limited.eml", NULL, NULL},
     "X-Failed-Recipients: r0@example.org\nSubject: Mail delivery failed\n\n"
     "This message was created automatically by mail delivery software.\n\n"
     "A message that you sent could not be delivered to one or more of its\n"
     "recipients. This is a permanent error. The following address(es) failed:\n\n",
     "  r%d@example.org\n    host mx.example.org [192.0.2.10]\n    SMTP error from remote mail "
     "server after RCPT TO:<r%d@example.org>:\n    550 5.1.1 User unknown\n",
     "\n------ This is a copy of the message, including all the headers. ------\n",
     "X-Failed-Recipients: x\n\n"
     "This message was created automatically by mail delivery software.\n\n"
     "  nobody-here\n    host \n    host x [\n  @\n  a@:\n    after RCPT TO\n"
     "------ This is a copy of the message, including all the headers. ------"},
    {"sendmail",
     {"sendmail-text-userunknown.eml", "sendmail-text-two-recipients.eml",
      "sendmail-text-warning-4-hours.eml", NULL, NULL},
     "Subject: Returned mail: see transcript for details\n\n"
     "   ----- The following addresses had permanent fatal errors -----\n",
     "<r%d@example.org>\n    (reason: 550 5.1.1 <r%d@example.org>... User unknown)\n",
     "\n   ----- Transcript of session follows -----\n... while talking to mx.example.org.:\n"
     ">>> RCPT To:<r1@example.org>\n<<< 550 5.1.1 <r1@example.org>... User unknown\n"
     "\n   ----- Original message follows -----\n\nMessage-ID: <m@example.com>\n",
     "\n   ----- The following addresses had permanent fatal errors -----\n<>\n\"|/bin/x\"\n"
     "    (reason: \n<a@b>\n    (reason: )\n   ----- Transcript of session follows -----\n"
     "... while talking to \n>>>\n>>> .\n<<<\n<<< a@b\n   ----- Original message follows -----"},
    {"domino",
     {"domino-text-userunknown.eml", "domino-text-two-reasons-quoted-printable.eml", NULL, NULL,
      NULL},
     "Subject: DELIVERY FAILURE: User not listed in Domino Directory\n\nYour message\n\n"
     "  Subject: Budget\n\nwas not delivered to:\n\n",
     "  r%d@example.org\n",
     "\nbecause:\n\n  User r0 (r0@example.org) not listed in Domino Directory\n",
     "Subject: DELIVERY FAILURE\n\nwas not delivered to:\n\n  nobody\n\nbecause:\n\n"
     "was not delivered to:\nbecause:\n  "},
    {"exchange",
     {"exchange-ims-userunknown.eml", "exchange-2003-text-two-recipients-quoted-printable.eml",
      "exchange-2007-text-two-recipients-base64.eml", NULL, NULL},
     "X-MS-Embedded-Report: \nSubject: Undeliverable: Budget\n\nYour message\n\n"
     "did not reach the following recipient(s):\n\n",
     "r%d@example.org on Sat, 15 Mar 2025 10:00:05 +0100\n    The recipient name is not "
     "recognized\n    <mx.example.com #5.1.1>\n",
     "\n",
     "X-MS-Embedded-Report: \n\ndid not reach the following recipient(s):\n\n on \n"
     "nobody on Sat\n    < #>\n    <#5.1.1>\n    < #5.1.1\nDiagnostic information for "
     "administrators:\nGenerating server:\n#\n##\na@b\n#\nOriginal message headers:"},
    {"opensmtpd",
     {"opensmtpd-text-two-recipients-crlf.eml", "opensmtpd-text-delayed-too-many-connections.eml",
      NULL, NULL, NULL},
     "Subject: Delivery status notification: error\n\n    Hi!\n\n"
     "    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.\n\n"
     "    An error has occurred while attempting to deliver a message for\n"
     "    the following list of recipients:\n\n",
     "r%d@example.org: 550 5.1.1 <r%d@example.org>: User unknown\n",
     "\n    Below is a copy of the original message:\n\nMessage-ID: <m@example.com>\n",
     "\nThis is the MAILER-DAEMON, please DO NOT REPLY to this\n: 550\nnobody: 550\n"
     "Recipient: \nRecipient: nobody\nReason: \nRecipient: a@b\nReason:"},
    {"postfix",
     {"postfix-text-report-without-delivery-status.eml", NULL, NULL, NULL, NULL},
     "Subject: Undelivered Mail Returned to Sender\n\n"
     "This is the mail system at host mx.example.com.\n\n                   The mail system\n\n",
     "<r%d@example.org>: host mx.example.org[192.0.2.10] said: 550 5.1.1 <r%d@example.org>:\n"
     "    User unknown (in reply to RCPT TO command)\n\n",
     "",
     "\nThis is the mail system at host x.\n\n                   The mail system\n\n<>: host \n\n"
     "<nobody>: x\n\n<a@b> (expanded from <\n\n<a@b>\n\n<: \n\nhost [\n\n<a@b>: host\n\n"
     "<a@b>: connect to"},
    /* one recipient per bounce: no shape of many */
    {"dma",
     {"dma-final-data-rejected.eml", NULL, NULL, NULL, NULL},
     NULL, NULL, NULL,
     "\nThere was an error delivering your mail to <>.\n x [ did not like our \n\n"
     "There was an error delivering your mail to <\nMessage headers follow."},
};

/* Parses `len` bytes copied to a buffer of their own (the reader must keep to them). */
static int parse_copy(smtpc_bounce **b, const char *msg, size_t len, smtpc_error *err)
{
    char *part = malloc(len + 1);
    assert_non_null(part);
    memcpy(part, msg, len);
    int rc = smtpc_bounce_parse(b, NULL, part, len, err);
    free(part);
    return rc;
}

/* Every 7th cut of each sample of the format, and the whole of it, reads without an error and
 * gives no more records than the whole; a reply cut within its line is one of them. */
static void cuts_of_samples(const struct format_case *fc)
{
    for (size_t i = 0; i < 5 && fc->samples[i] != NULL; i++) {
        char relative[128];
        snprintf(relative, sizeof relative, "bounces/%s", fc->samples[i]);
        size_t len;
        char *msg = read_file(vector_path(relative), &len);
        if (msg == NULL)
            fail_msg("cannot read %s", vector_path(relative));
        smtpc_bounce *whole = parse_ok(msg, len);
        size_t n = smtpc_bounce_count(whole);
        assert_true(n > 0);
        assert_string_equal(record(whole, 0)->format, fc->name);
        smtpc_bounce_free(whole);
        for (size_t cut = 0;; cut += 7) {
            if (cut > len)
                cut = len;
            smtpc_bounce *b = NULL;
            smtpc_error err = {0};
            int rc = parse_copy(&b, msg, cut, &err);
            if (rc != 0)
                fail_msg("%s cut at %zu: %s (%d)", fc->samples[i], cut, err.text, rc);
            assert_true(smtpc_bounce_count(b) <= n);
            smtpc_bounce_free(b);
            if (cut == len)
                break;
        }
        free(msg);
    }
}

/* The format's shape with `count` recipients. */
static void build_format(struct text *t, const struct format_case *fc, int count)
{
    adds(t, fc->head);
    for (int i = 0; i < count; i++)
        addf(t, fc->each, i, i);
    adds(t, fc->tail);
}

static void format_hostile_input(const char *name)
{
    const struct format_case *fc = NULL;
    for (size_t i = 0; i < sizeof format_cases / sizeof format_cases[0]; i++) {
        if (strcmp(format_cases[i].name, name) == 0)
            fc = &format_cases[i];
    }
    assert_non_null(fc);
    cuts_of_samples(fc);

    /* a recipient's line with no address, markers with nothing after them */
    smtpc_bounce *b = NULL;
    smtpc_error err = {0};
    assert_int_equal(parse_copy(&b, fc->no_address, strlen(fc->no_address), &err), 0);
    for (size_t i = 0; i < smtpc_bounce_count(b); i++)
        assert_non_null(strchr(record(b, i)->recipient, '@'));
    smtpc_bounce_free(b);

    /* as many recipients as a message may have, and one more */
    for (int extra = 0; fc->each != NULL && extra <= 1; extra++) {
        struct text t = {0};
        build_format(&t, fc, SMTPC_BOUNCE_MAX_RECIPIENTS + extra);
        b = NULL;
        memset(&err, 0, sizeof err);
        int rc = parse_copy(&b, t.s, t.len, &err);
        if (extra == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(smtpc_bounce_count(b), SMTPC_BOUNCE_MAX_RECIPIENTS);
            assert_string_equal(record(b, 0)->format, fc->name);
            assert_string_equal(record(b, SMTPC_BOUNCE_MAX_RECIPIENTS - 1)->recipient,
                                "r9999@example.org");
        } else {
            assert_int_equal(rc, SMTPC_ELIMIT);
            assert_null(b);
            assert_non_null(strstr(err.text, "SMTPC_BOUNCE_MAX_RECIPIENTS"));
        }
        smtpc_bounce_free(b);
        free(t.s);
    }
}

static void qmail_hostile_input(void **state)
{
    (void)state;
    format_hostile_input("qmail");
}

static void exim_hostile_input(void **state)
{
    (void)state;
    format_hostile_input("exim");
}

static void postfix_hostile_input(void **state)
{
    (void)state;
    format_hostile_input("postfix");
}

static void dma_hostile_input(void **state)
{
    (void)state;
    format_hostile_input("dma");
}

static void sendmail_hostile_input(void **state)
{
    (void)state;
    format_hostile_input("sendmail");
}

static void domino_hostile_input(void **state)
{
    (void)state;
    format_hostile_input("domino");
}

static void exchange_hostile_input(void **state)
{
    (void)state;
    format_hostile_input("exchange");
}

static void opensmtpd_hostile_input(void **state)
{
    (void)state;
    format_hostile_input("opensmtpd");
}

/* ---- the shared corpus: tests/vectors/bounces/expected.tsv ---- */

/* The message whose rows are being read, parsed once, and how many of its records the rows
 * have named so far. */
struct corpus_state {
    char file[VECTOR_MAX_CELL];
    smtpc_bounce *bounce;
    size_t next;
    int messages;
    int cr_lines; /* each message is read with its lines ending in CR (with_cr()) */
};

static void finish_message(struct corpus_state *st)
{
    if (st->bounce != NULL && smtpc_bounce_count(st->bounce) != st->next)
        fail_msg("bounces/%s: %zu records, the vectors name %zu", st->file,
                 smtpc_bounce_count(st->bounce), st->next);
    smtpc_bounce_free(st->bounce);
    st->bounce = NULL;
    st->next = 0;
}

/* A cell of expected.tsv for `text` ("-" for none). */
static void expect_cell(const struct vector_row *row, int column, const char *text,
                        const char *what)
{
    const char *want = row->cells[column];
    const char *got = text != NULL && text[0] != '\0' ? text : "-";
    if (strcmp(want, got) != 0)
        fail_msg("expected.tsv:%lu: %s is '%s', expected '%s'", row->line, what, got, want);
}

/* columns: file kind recipient code enhanced action reason hard command message_id format
 * provider */
static void check_corpus_row(const struct vector_row *row, void *ctx)
{
    struct corpus_state *st = ctx;
    if (strcmp(st->file, row->cells[0]) != 0) {
        finish_message(st);
        snprintf(st->file, sizeof st->file, "%s", row->cells[0]);
        char relative[VECTOR_MAX_CELL + 16];
        snprintf(relative, sizeof relative, "bounces/%s", st->file);
        size_t len;
        char *msg = read_file(vector_path(relative), &len);
        if (msg == NULL)
            fail_msg("cannot read %s", vector_path(relative));
        if (st->cr_lines) {
            size_t cr_len;
            char *cr = with_cr(msg, len, &cr_len);
            free(msg);
            msg = cr;
            len = cr_len;
        }
        st->bounce = parse_ok(msg, len);
        free(msg);
        st->messages++;
    }
    if (strcmp(row->cells[1], "unrecognised") == 0) {
        assert_int_equal(smtpc_bounce_kind(st->bounce), SMTPC_BOUNCE_UNRECOGNISED);
        return;
    }
    const smtpc_bounce_record *r = smtpc_bounce_record_at(st->bounce, st->next++);
    if (r == NULL)
        fail_msg("expected.tsv:%lu: %s has no record %zu", row->line, st->file, st->next);
    char code[8] = "";
    if (r->code != 0)
        snprintf(code, sizeof code, "%d", r->code);
    const char *hard = r->reason.hard < 0 ? "-" : r->reason.hard ? "yes" : "no";
    expect_cell(row, 1, smtpc_enum_name(SMTPC_ENUM_BOUNCE_KIND, r->kind), "kind");
    expect_cell(row, 2, r->recipient, "recipient");
    expect_cell(row, 3, code, "code");
    expect_cell(row, 4, r->enhanced, "enhanced");
    expect_cell(row, 5, r->action != SMTPC_DSN_NONE
                            ? smtpc_enum_name(SMTPC_ENUM_DSN_ACTION, r->action) : "",
                "action");
    expect_cell(row, 6, r->reason.name, "reason");
    expect_cell(row, 7, hard, "hard");
    expect_cell(row, 8, r->command, "command");
    expect_cell(row, 9, r->message_id, "message_id");
    expect_cell(row, 10, r->format, "format");
    expect_cell(row, 11, r->provider, "provider");
}

static void read_corpus(int cr_lines)
{
    struct corpus_state st = {"", NULL, 0, 0, cr_lines};
    int rows = vector_each("bounces/expected.tsv",
                           "file\tkind\trecipient\tcode\tenhanced\taction\treason\thard\t"
                           "command\tmessage_id\tformat\tprovider",
                           check_corpus_row, &st);
    finish_message(&st);
    assert_true(rows >= 50);
    assert_true(st.messages >= 50);
}

static void shared_corpus(void **state)
{
    (void)state;
    read_corpus(0);
}

/* Every message of the corpus gives the same records with its lines ending in CR. */
static void shared_corpus_in_cr_lines(void **state)
{
    (void)state;
    read_corpus(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dsn_with_two_recipients),
        cmocka_unit_test(crlf_reads_as_lf),
        cmocka_unit_test(cr_lines_read_as_lf),
        cmocka_unit_test(base64_delivery_status),
        cmocka_unit_test(quoted_printable_parts),
        cmocka_unit_test(forwarded_bounce),
        cmocka_unit_test(global_dsn_with_utf8_address),
        cmocka_unit_test(dsn_field_variants),
        cmocka_unit_test(undefined_status_takes_the_diagnostic_code),
        cmocka_unit_test(diagnostic_codes),
        cmocka_unit_test(commands_in_the_notification),
        cmocka_unit_test(feedback_report),
        cmocka_unit_test(auto_reply),
        cmocka_unit_test(auto_reply_marks),
        cmocka_unit_test(encoded_words),
        cmocka_unit_test(empty_report_names_x_failed_recipients),
        cmocka_unit_test(unrecognised),
        cmocka_unit_test(broken_mime),
        cmocka_unit_test(every_cut_of_a_bounce_reads),
        cmocka_unit_test(yahoo_reader_hostile_input),
        cmocka_unit_test(zoho_reader_hostile_input),
        cmocka_unit_test(gmx_reader_hostile_input),
        cmocka_unit_test(mailru_reader_hostile_input),
        cmocka_unit_test(depth_limit),
        cmocka_unit_test(decoded_bytes_limit),
        cmocka_unit_test(recipients_limit),
        cmocka_unit_test(large_attachment),
        cmocka_unit_test(mbox_cutting),
        cmocka_unit_test(rendered_records),
        cmocka_unit_test(api_edges),
        cmocka_unit_test(qmail_hostile_input),
        cmocka_unit_test(exim_hostile_input),
        cmocka_unit_test(sendmail_hostile_input),
        cmocka_unit_test(postfix_hostile_input),
        cmocka_unit_test(dma_hostile_input),
        cmocka_unit_test(domino_hostile_input),
        cmocka_unit_test(exchange_hostile_input),
        cmocka_unit_test(opensmtpd_hostile_input),
        cmocka_unit_test(shared_corpus),
        cmocka_unit_test(shared_corpus_in_cr_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
