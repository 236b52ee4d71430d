/*
 * exim.c - Exim's bounce and delay warning when they come as plain text, without the
 * message/delivery-status part that Exim adds when it is built with DSN support: an
 * introduction, then each address indented by two spaces with the error indented by four
 * under it, then the copy of the message after a line of dashes.
 *
 *   This message was created automatically by mail delivery software.
 *
 *   A message that you sent could not be delivered to one or more of its
 *   recipients. This is a permanent error. The following address(es) failed:
 *
 *     bob@example.org
 *       host mx.example.org [192.0.2.10]
 *       SMTP error from remote mail server after RCPT TO:<bob@example.org>:
 *       550 5.1.1 <bob@example.org>: Recipient address rejected
 *
 *   ------ This is a copy of the message, including all the headers. ------
 *
 * Exim before 4.87 writes "SMTP error from remote mail server after RCPT TO:<...>:" first and
 * "host NAME [IP]: 550 ..." on the line under it. The warning ("Warning: message ID delayed
 * 24 hours") says "has not yet been delivered to one or more of its recipients", puts
 * "Delay reason: " before the error, and returns no copy. The bounce names the failed addresses
 * again in its X-Failed-Recipients field; the text is read, as it holds the errors.
 */
#include "formats.h"

#include "../internal.h"

static int exim_recognises(const struct smtpc_format_message *m)
{
    if (!smtpc_format_has(m->body, m->body_len,
                          "This message was created automatically by mail delivery software."))
        return 0;
    return smtpc_format_has_field(m, "X-Failed-Recipients") ||
           smtpc_format_has(m->body, m->body_len, "could not be delivered to one or more of its") ||
           smtpc_format_has(m->body, m->body_len, "has not yet been delivered to one or more of") ||
           smtpc_format_has(m->body, m->body_len, "The following address(es) failed");
}

/* The command Exim's words say the reply answered ("after RCPT TO:<...>"), or NULL. */
static const char *exim_command(const char *s, size_t len)
{
    if (smtpc_format_has(s, len, "after RCPT TO"))
        return "RCPT";
    if (smtpc_format_has(s, len, "after MAIL FROM"))
        return "MAIL";
    if (smtpc_format_has(s, len, "after end of data") ||
        smtpc_format_has(s, len, "after pipelined end of data"))
        return "DATA-END";
    if (smtpc_format_has(s, len, "after DATA") || smtpc_format_has(s, len, "after pipelined DATA"))
        return "DATA";
    if (smtpc_format_has(s, len, "after initial connection"))
        return "CONNECT";
    if (smtpc_format_has(s, len, "after EHLO"))
        return "EHLO";
    if (smtpc_format_has(s, len, "after HELO"))
        return "HELO";
    return NULL;
}

/* The host of "host NAME [IP]": a word after "host " that a bracket follows. */
static void exim_host(struct smtpc_format_finding *f, const char *s, size_t len)
{
    for (size_t at = 0; at < len;) {
        size_t start = at + smtpc_format_after(s + at, len - at, "host ");
        if (start >= len)
            return;
        size_t end = start;
        while (end < len && !smtpc_is_space(s[end]))
            end++;
        if (end > start && end + 1 < len && s[end] == ' ' && s[end + 1] == '[' &&
            (start == 5 || smtpc_is_space(s[start - 6]))) {
            f->host = s + start;
            f->host_len = end - start;
            return;
        }
        at = start;
    }
}

/* How far a line is indented: its leading spaces, or 8 when a tab is among them. */
static size_t indent(const char *line, size_t len)
{
    size_t i = 0;
    int tab = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) {
        tab |= line[i] == '\t';
        i++;
    }
    return tab ? 8 : i;
}

/* Whether a line opens an address: two spaces, then a word that holds "@". Sets the span of
 * the address and where the text after "address:" starts on the line (`len` when none). */
static int opens_address(const char *line, size_t len, size_t *start, size_t *end,
                         size_t *rest)
{
    if (len < 5 || line[0] != ' ' || line[1] != ' ' || smtpc_is_space(line[2]))
        return 0;
    size_t e = 2;
    while (e < len && !smtpc_is_space(line[e]) && line[e] != ':')
        e++;
    const char *addr;
    size_t addr_len;
    if (!smtpc_format_address(line + 2, e - 2, &addr, &addr_len))
        return 0;
    *start = (size_t)(addr - line);
    *end = *start + addr_len;
    /* "  address: error" keeps the error on the address's line */
    size_t r = e;
    if (r < len && line[r] == ':') {
        r++;
        while (r < len && line[r] == ' ')
            r++;
    } else {
        r = len;
    }
    *rest = r;
    return 1;
}

/* The offset of the first line of the copy's marker ("------ This is a copy of ..."), or
 * `len`. */
static size_t copy_marker(const char *s, size_t len)
{
    const char *line;
    size_t line_len;
    for (size_t at = 0, start = 0; smtpc_format_next_line(s, len, &at, &line, &line_len);
         start = at) {
        if (smtpc_format_starts(line, line_len, "------ This is a copy of") ||
            smtpc_format_starts(line, line_len, "------ The body of the message is"))
            return start;
    }
    return len;
}

static int exim_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    size_t end = copy_marker(s, len);
    int action = smtpc_format_has(s, end, "has not yet been delivered to one or more of")
                     ? SMTPC_DSN_DELAYED
                     : SMTPC_DSN_FAILED;
    const char *line;
    size_t line_len;
    size_t at = 0;
    while (smtpc_format_next_line(s, end, &at, &line, &line_len)) {
        size_t a_start, a_end, rest;
        if (!opens_address(line, line_len, &a_start, &a_end, &rest))
            continue;
        struct smtpc_format_finding f = {0};
        f.recipient = line + a_start;
        f.recipient_len = a_end - a_start;
        f.action = action;
        /* the error: the rest of the line, then the lines indented deeper than two */
        size_t d_start = rest < line_len ? (size_t)(line - s) + rest : at;
        size_t d_end = rest < line_len ? (size_t)(line - s) + line_len : at;
        const char *next;
        size_t next_len;
        for (size_t peek = at; smtpc_format_next_line(s, end, &peek, &next, &next_len);) {
            if (next_len == 0 || indent(next, next_len) < 4)
                break;
            d_end = (size_t)(next - s) + next_len;
            at = peek;
        }
        if (d_end < d_start)
            d_end = d_start;
        f.diagnostic = s + d_start;
        f.diagnostic_len = d_end - d_start;
        f.command = exim_command(f.diagnostic, f.diagnostic_len);
        exim_host(&f, f.diagnostic, f.diagnostic_len);
        int rc = smtpc_format_add(out, &f);
        if (rc != 0)
            return rc;
    }
    if (end < len) {
        /* the copy starts on the line after the marker */
        at = end;
        smtpc_format_next_line(s, len, &at, &line, &line_len);
        while (at < len && (s[at] == '\r' || s[at] == '\n'))
            at++;
        if (at < len) {
            out->returned = s + at;
            out->returned_len = len - at;
        }
    }
    return 0;
}

const struct smtpc_format_reader smtpc_format_exim = {"exim", exim_recognises, exim_read};
