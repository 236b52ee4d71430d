/*
 * zoho.c - the bounce Zoho Mail sends (header X-ZohoMail, "X-Mailer: Zoho Mail"; its text
 * often quoted-printable): Exim's opening sentence, then one line per recipient: the address,
 * Zoho's label of the failure and the remote server's reply split into "ERROR_CODE :" items
 * (the reply code, then the rest of the reply), or, for a message given up after a host
 * stayed unreachable, a bracketed status line. The copy of the message follows, from its
 * first header line "Received: from mail.zoho.com by mx.zohomail.com ...".
 *
 *   This message was created automatically by mail delivery software.
 *   A message that you sent could not be delivered to one or more of its recipients. This is
 *   a permanent error.
 *
 *   bob@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <bob@example.org>...
 *   User unknown
 *   [Status: Error, Address: <ann@example.net>, ResponseCode 421, , Host not reachable.]
 *
 * (each recipient on one line). No host or command is named.
 */
#include "formats.h"

#include "../internal.h"

#include <string.h>

static int zoho_recognises(const struct smtpc_format_message *m)
{
    int zoho = smtpc_format_has_field(m, "X-ZohoMail") ||
               smtpc_format_field_has(m, "X-Mailer", "Zoho Mail");
    return zoho &&
           smtpc_format_has(m->body, m->body_len,
                            "This message was created automatically by mail delivery") &&
           (smtpc_format_has(m->body, m->body_len, "ERROR_CODE :") ||
            smtpc_format_has(m->body, m->body_len, "[Status: "));
}

/* The three digits at `s` as a reply code of a failure, or 0. */
static int code_at(const char *s, size_t len)
{
    if (len < 3 || (s[0] != '4' && s[0] != '5') || !smtpc_is_digit(s[1]) ||
        !smtpc_is_digit(s[2]) || (len > 3 && smtpc_is_digit(s[3])))
        return 0;
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/* The reply code after `label` in `s` ("ERROR_CODE :550", "ResponseCode 421"), or 0. */
static int code_after(const char *s, size_t len, const char *label)
{
    size_t at = smtpc_format_after(s, len, label);
    return at < len ? code_at(s + at, len - at) : 0;
}

/* "bob@example.org Invalid Address, ERROR_CODE :550, ...": the address is the first word. */
static int read_error_line(struct smtpc_format_finding *f, const char *line, size_t len)
{
    size_t word = 0;
    while (word < len && !smtpc_is_space(line[word]))
        word++;
    if (word == 0 || memchr(line, '@', word) == NULL ||
        !smtpc_format_has(line + word, len - word, "ERROR_CODE :"))
        return 0;
    if (!smtpc_format_address(line, word, &f->recipient, &f->recipient_len))
        return 0;
    size_t at = word;
    while (at < len && smtpc_is_space(line[at]))
        at++;
    f->diagnostic = line + at;
    f->diagnostic_len = len - at;
    f->code = code_after(f->diagnostic, f->diagnostic_len, "ERROR_CODE :");
    return 1;
}

/* "[Status: Error, Address: <ann@example.net>, ResponseCode 421, , Host not reachable.]" */
static int read_status_line(struct smtpc_format_finding *f, const char *line, size_t len)
{
    if (!smtpc_format_starts(line, len, "[Status: "))
        return 0;
    size_t at = smtpc_format_after(line, len, "Address: ");
    if (at == len || !smtpc_format_address(line + at, len - at, &f->recipient, &f->recipient_len))
        return 0;
    f->diagnostic = line;
    f->diagnostic_len = len;
    f->code = code_after(line, len, "ResponseCode ");
    return 1;
}

static int zoho_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    size_t start = smtpc_format_after(s, len, "This message was created automatically by mail");
    const char *line;
    size_t line_len;
    for (size_t at = start; smtpc_format_next_line(s, len, &at, &line, &line_len);) {
        if (smtpc_format_starts(line, line_len, "Received: from mail.zoho.com")) {
            out->returned = line;
            out->returned_len = len - (size_t)(line - s);
            break;
        }
        struct smtpc_format_finding f = {0};
        f.action = SMTPC_DSN_FAILED;
        if (!read_error_line(&f, line, line_len) && !read_status_line(&f, line, line_len))
            continue;
        int rc = smtpc_format_add(out, &f);
        if (rc != 0)
            return rc;
    }
    return 0;
}

const struct smtpc_format_reader smtpc_format_zoho = {"zoho", zoho_recognises, zoho_read};
