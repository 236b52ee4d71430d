/*
 * qmail.c - qmail-send's bounce (and the netqmail, s/qmail and notqmail forms of it): an
 * introduction, then one paragraph per recipient that starts with the line "<address>:",
 * then "--- Below this line is a copy of the message." and the message itself.
 *
 *   Hi. This is the qmail-send program at mx.example.com.
 *   I'm afraid I wasn't able to deliver your message to the following addresses.
 *   This is a permanent error; I've given up. Sorry it didn't work out.
 *
 *   <bob@example.org>:
 *   192.0.2.25 does not like recipient.
 *   Remote host said: 550 5.1.1 <bob@example.org>: Recipient address rejected
 *   Giving up on 192.0.2.25.
 */
#include "formats.h"

#include "../internal.h"

static int qmail_recognises(const struct smtpc_format_message *m)
{
    return smtpc_format_has(m->body, m->body_len, "This is the qmail-send program at") ||
           smtpc_format_has(m->body, m->body_len,
                            "I wasn't able to deliver your message to the following addresses");
}

/* The command qmail-remote's words say the reply answered, or NULL. */
static const char *qmail_command(const char *s, size_t len)
{
    if (smtpc_format_has(s, len, "does not like recipient"))
        return "RCPT";
    if (smtpc_format_has(s, len, "sender was rejected"))
        return "MAIL";
    if (smtpc_format_has(s, len, "failed on DATA command"))
        return "DATA";
    if (smtpc_format_has(s, len, "failed after I sent the message"))
        return "DATA-END";
    if (smtpc_format_has(s, len, "greeting"))
        return "CONNECT";
    return NULL;
}

/* The host qmail-remote names: the first word of "Connected to HOST but ..." or of "HOST does
 * not like recipient.", else "Giving up on HOST.". */
static void qmail_host(struct smtpc_format_finding *f, const char *s, size_t len)
{
    size_t at = smtpc_format_after(s, len, "Connected to ");
    if (at == len)
        at = smtpc_format_after(s, len, "Giving up on ");
    if (at == len && smtpc_format_has(s, len, " does not like "))
        at = 0;
    if (at == len)
        return;
    size_t end = at;
    while (end < len && !smtpc_is_space(s[end]))
        end++;
    while (end > at && s[end - 1] == '.')
        end--;
    if (end > at) {
        f->host = s + at;
        f->host_len = end - at;
    }
}

/* qmail's own status in "(#5.1.1)", or nothing. */
static void qmail_status(struct smtpc_format_finding *f, const char *s, size_t len)
{
    size_t at = smtpc_format_after(s, len, "(#");
    size_t end = at;
    while (end < len && s[end] != ')')
        end++;
    size_t n = end < len ? smtpc_enhanced_prefix(s + at, end - at) : 0;
    if (n > 0) {
        f->status = s + at;
        f->status_len = n;
    }
}

/* Whether a line is "<address>:", which opens a recipient's paragraph. */
static int opens_recipient(const char *line, size_t len)
{
    return len > 4 && line[0] == '<' && line[len - 1] == ':' && line[len - 2] == '>';
}

static int qmail_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    size_t copy = smtpc_format_after(s, len, "--- Below this line is a copy of the message.");
    if (copy == len)
        copy = smtpc_format_after(s, len, "--- Enclosed are the original headers of the message.");
    size_t end = copy < len ? copy : len;
    const char *line;
    size_t line_len;
    for (size_t at = 0; smtpc_format_next_line(s, end, &at, &line, &line_len);) {
        if (!opens_recipient(line, line_len))
            continue;
        struct smtpc_format_finding f = {0};
        f.recipient = line + 1;
        f.recipient_len = line_len - 3;
        f.action = SMTPC_DSN_FAILED;
        size_t stop = smtpc_format_paragraph_end(s, end, at);
        f.diagnostic = s + at;
        f.diagnostic_len = stop - at;
        f.command = qmail_command(f.diagnostic, f.diagnostic_len);
        qmail_host(&f, f.diagnostic, f.diagnostic_len);
        qmail_status(&f, f.diagnostic, f.diagnostic_len);
        int rc = smtpc_format_add(out, &f);
        if (rc != 0)
            return rc;
        at = stop;
    }
    if (copy < len) {
        /* the copy starts after an empty line */
        size_t at = copy;
        while (at < len && (s[at] == '\r' || s[at] == '\n'))
            at++;
        out->returned = s + at;
        out->returned_len = len - at;
    }
    return 0;
}

const struct smtpc_format_reader smtpc_format_qmail = {"qmail", qmail_recognises, qmail_read};
