/*
 * gmx.c - the bounce of the mail platform of United Internet: GMX ("GMX Mailer Daemon"
 * <mailer-daemon@gmx.net>), WEB.DE and 1&1 / IONOS ("Mail Delivery System"), Subject "Mail
 * delivery failed: returning message to sender". It opens with Exim's sentences, but in its own
 * shape: the recipient alone on a line ("bob@example.org:", "\"bob@example.org\":" or
 * "<bob@example.org>"), then the reason on the lines below, down to the next recipient; then
 * "--- The header of the original message is following. ---" and the returned header.
 *
 *   This message was created automatically by mail delivery software.
 *
 *   A message that you sent could not be delivered to one or more of
 *   its recipients. This is a permanent error. The following address(es)
 *   failed:
 *
 *   bob@example.org:
 *   SMTP error from remote server for RCPT TO command, host: mx.example.org (192.0.2.25)
 *   reason: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown
 *
 *   --- The header of the original message is following. ---
 *
 * (the SMTP error is one line). The command is "RCPT TO", "MAIL FROM" or "TEXT", the message's
 * text, whose reply comes after its end; older bounces write "SMTP error from remote server
 * after RCPT command:" and "host: NAME" on lines of their own. A message given up after its
 * retries says "Reason:" and "delivery retry timeout exceeded" below the recipient.
 */
#include "formats.h"

#include "../internal.h"

#include <string.h>

static const char header_marker[] = "--- The header of the original message is following. ---";
static const char greeting[] = "This message was created automatically by mail delivery software";

static int gmx_recognises(const struct smtpc_format_message *m)
{
    return smtpc_format_has(m->body, m->body_len, header_marker) &&
           smtpc_format_has(m->body, m->body_len, greeting);
}

/* Whether a line is a recipient alone: "bob@example.org:", "\"bob@example.org\":",
 * "<bob@example.org>", with white space around it. Sets the address. */
static int recipient_line(struct smtpc_format_finding *f, const char *line, size_t len)
{
    while (len > 0 && smtpc_is_space(line[len - 1]))
        len--;
    while (len > 0 && smtpc_is_space(line[0])) {
        line++;
        len--;
    }
    if (len > 0 && line[len - 1] == ':')
        len--;
    if (len > 2 && ((line[0] == '<' && line[len - 1] == '>') ||
                    (line[0] == '"' && line[len - 1] == '"'))) {
        line++;
        len -= 2;
    }
    if (len < 3 || memchr(line, '@', len) == NULL)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (smtpc_is_space(line[i]) || line[i] == '<' || line[i] == '>' || line[i] == '"')
            return 0;
    }
    f->recipient = line;
    f->recipient_len = len;
    return 1;
}

/* The command of "SMTP error from remote server for RCPT TO command" (or "after RCPT
 * command:"): the words before " command"; TEXT is the message's text, answered at its end. */
static const char *gmx_command(const char *s, size_t len)
{
    size_t at = smtpc_format_after(s, len, "SMTP error from remote server ");
    if (at == len)
        return NULL;
    if (smtpc_format_starts(s + at, len - at, "for "))
        at += 4;
    else if (smtpc_format_starts(s + at, len - at, "after "))
        at += 6;
    else
        return NULL;
    size_t n = smtpc_find_phrase(s + at, len - at, " command", sizeof " command" - 1);
    if (n == len - at)
        return NULL;
    if (n == 4 && smtpc_format_starts(s + at, n, "TEXT"))
        return "DATA-END";
    const char *name = NULL;
    return smtpc_command_parse(&name, s + at, n, NULL) == 0 ? name : NULL;
}

/* The host of "host: mx.example.org (192.0.2.25) reason: ...". */
static void gmx_host(struct smtpc_format_finding *f, const char *s, size_t len)
{
    size_t at = smtpc_format_after(s, len, "host: ");
    while (at < len && s[at] == ' ')
        at++;
    size_t end = at;
    while (end < len && !smtpc_is_space(s[end]) && s[end] != '(' && s[end] != ',')
        end++;
    if (end > at) {
        f->host = s + at;
        f->host_len = end - at;
    }
}

/* Finishes the finding whose diagnostic runs from `from` to `to`, blank lines at its ends
 * left out, and adds it. */
static int finish(struct smtpc_format_findings *out, struct smtpc_format_finding *f,
                  const char *s, size_t from, size_t to)
{
    while (from < to && smtpc_is_space(s[from]))
        from++;
    while (to > from && smtpc_is_space(s[to - 1]))
        to--;
    f->diagnostic = s + from;
    f->diagnostic_len = to - from;
    f->command = gmx_command(f->diagnostic, f->diagnostic_len);
    gmx_host(f, f->diagnostic, f->diagnostic_len);
    return smtpc_format_add(out, f);
}

static int gmx_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    size_t end = smtpc_find_phrase(s, len, header_marker, sizeof header_marker - 1);
    size_t copy = end < len ? end + sizeof header_marker - 1 : len;
    size_t start = smtpc_format_after(s, end, greeting);
    struct smtpc_format_finding f = {0};
    int open = 0;
    size_t from = 0;
    const char *line;
    size_t line_len;
    for (size_t at = start < end ? start : 0, line_start = at;
         smtpc_format_next_line(s, end, &at, &line, &line_len); line_start = at) {
        struct smtpc_format_finding next = {0};
        if (!recipient_line(&next, line, line_len))
            continue;
        if (open) {
            int rc = finish(out, &f, s, from, line_start);
            if (rc != 0)
                return rc;
        }
        f = next;
        f.action = SMTPC_DSN_FAILED;
        from = at;
        open = 1;
    }
    if (open) {
        int rc = finish(out, &f, s, from, end);
        if (rc != 0)
            return rc;
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

const struct smtpc_format_reader smtpc_format_gmx = {"gmx", gmx_recognises, gmx_read};
