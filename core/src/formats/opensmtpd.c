/*
 * opensmtpd.c - OpenSMTPD's bounce as its 5.x releases wrote it, in plain text: an indented
 * greeting, one line "address: error" per recipient, then the message itself inline.
 *
 *       Hi!
 *
 *       This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.
 *
 *       An error has occurred while attempting to deliver a message for
 *       the following list of recipients:
 *
 *   bob@example.org: 550 5.1.1 <bob@example.org>: Recipient address rejected
 *
 *       Below is a copy of the original message:
 *
 * The warning says "A message is delayed for more than 4 hours for the following list of
 * recipients:". Later releases send the same text as the first part of a multipart/mixed with a
 * message/delivery-status part, which is read as RFC 3464; the first releases (2012) wrote
 * "Recipient: address" and "Reason: error" lines, which are read too. The error is the remote
 * server's reply or OpenSMTPD's own words ("Domain does not exist"); no host or command is named.
 */
#include "formats.h"

#include "../internal.h"

static int opensmtpd_recognises(const struct smtpc_format_message *m)
{
    return smtpc_format_has(m->body, m->body_len,
                            "This is the MAILER-DAEMON, please DO NOT REPLY to this");
}

/* Adds the finding of "address: error", or of "Recipient: address" and the "Reason: error"
 * line after it (`next`, or NULL). Returns 0 for a line that is neither. */
static int read_line(const char *line, size_t len, const char *next, size_t next_len,
                     int action, struct smtpc_format_findings *out, int *rc)
{
    struct smtpc_format_finding f = {0};
    f.action = action;
    if (smtpc_format_starts(line, len, "Recipient: ")) {
        if (!smtpc_format_address(line + 11, len - 11, &f.recipient, &f.recipient_len))
            return 0;
        f.diagnostic = line + len;
        if (next != NULL && smtpc_format_starts(next, next_len, "Reason: ")) {
            f.diagnostic = next + 8;
            f.diagnostic_len = next_len - 8;
        }
    } else {
        size_t colon = smtpc_format_after(line, len, ": ");
        if (colon == len || smtpc_is_space(line[0]) ||
            !smtpc_format_address(line, colon - 2, &f.recipient, &f.recipient_len) ||
            f.recipient != line)
            return 0;
        f.diagnostic = line + colon;
        f.diagnostic_len = len - colon;
    }
    *rc = smtpc_format_add(out, &f);
    return 1;
}

static int opensmtpd_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    size_t copy = smtpc_format_after(s, len, "Below is a copy of the original message:");
    size_t end = copy < len ? copy : len;
    int action = smtpc_format_has(s, end, "A message is delayed for more than")
                     ? SMTPC_DSN_DELAYED
                     : SMTPC_DSN_FAILED;
    const char *line, *next = NULL;
    size_t line_len, next_len = 0;
    for (size_t at = 0; smtpc_format_next_line(s, end, &at, &line, &line_len);) {
        size_t peek = at;
        int has_next = smtpc_format_next_line(s, end, &peek, &next, &next_len);
        int rc = 0;
        if (read_line(line, line_len, has_next ? next : NULL, next_len, action, out, &rc) &&
            rc != 0)
            return rc;
    }
    if (copy < len) {
        size_t at = copy;
        while (at < len && smtpc_is_space(s[at]))
            at++;
        if (at < len) {
            out->returned = s + at;
            out->returned_len = len - at;
        }
    }
    return 0;
}

const struct smtpc_format_reader smtpc_format_opensmtpd = {"opensmtpd", opensmtpd_recognises,
                                                           opensmtpd_read};
