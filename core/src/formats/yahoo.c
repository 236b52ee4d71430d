/*
 * yahoo.c - the bounce Yahoo Mail sends (from MAILER-DAEMON@yahoo.com, Subject "Failure Notice";
 * AOL's mail, which Yahoo runs, sends the same): a single text part, an introduction, then one
 * paragraph per recipient that starts with the line "<address>:", then "--- Below this line is
 * a copy of the message." and the message itself, quoted whole.
 *
 *   Sorry, we were unable to deliver your message to the following address.
 *
 *   <bob@example.org>:
 *   550: 5.1.1 <bob@example.org>: Recipient address rejected: User unknown
 *
 *   --- Below this line is a copy of the message.
 *
 * The diagnostic is the remote server's reply with a colon after its code ("550: 5.1.1 ...",
 * "554: delivery error: dd ...") or, in older bounces, "Remote host said: 550 5.1.1 ... [RCPT_TO]"
 * with the command the reply answered in brackets at its end. No host is named.
 */
#include "formats.h"

#include "../internal.h"

#include <string.h>

static const char copy_marker[] = "--- Below this line is a copy of the message.";

static int yahoo_recognises(const struct smtpc_format_message *m)
{
    return smtpc_format_has(m->body, m->body_len,
                            "Sorry, we were unable to deliver your message to the following");
}

/* Whether a line is "<address>:", which opens a recipient's paragraph. */
static int opens_recipient(const char *line, size_t len)
{
    return len > 4 && line[0] == '<' && line[len - 1] == ':' && line[len - 2] == '>' &&
           memchr(line, '@', len) != NULL;
}

/* The reply code of "550: ..." at the start of the diagnostic: Yahoo writes a colon after it,
 * which no reply has (RFC 5321 section 4.2), so the code is taken here. */
static int stated_code(const char *s, size_t len)
{
    if (len < 4 || (s[0] != '4' && s[0] != '5') || !smtpc_is_digit(s[1]) ||
        !smtpc_is_digit(s[2]) || s[3] != ':')
        return 0;
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/* The command in brackets at the end of "Remote host said: ... [RCPT_TO]", or NULL. */
static const char *bracketed_command(const char *s, size_t len)
{
    if (smtpc_format_has(s, len, "[RCPT_TO]"))
        return "RCPT";
    if (smtpc_format_has(s, len, "[MAIL_FROM]"))
        return "MAIL";
    return NULL;
}

static int yahoo_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    size_t end = smtpc_find_phrase(s, len, copy_marker, sizeof copy_marker - 1);
    size_t copy = end < len ? end + sizeof copy_marker - 1 : len;
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
        f.code = stated_code(f.diagnostic, f.diagnostic_len);
        f.command = bracketed_command(f.diagnostic, f.diagnostic_len);
        int rc = smtpc_format_add(out, &f);
        if (rc != 0)
            return rc;
        at = stop;
    }
    if (end < len) {
        size_t at = copy;
        while (at < len && (s[at] == '\r' || s[at] == '\n'))
            at++;
        out->returned = s + at;
        out->returned_len = len - at;
    }
    return 0;
}

const struct smtpc_format_reader smtpc_format_yahoo = {"yahoo", yahoo_recognises, yahoo_read};
