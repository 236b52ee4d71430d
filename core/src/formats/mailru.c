/*
 * mailru.c - the bounce Mail.Ru sends (from mailer-daemon@corp.mail.ru, its Message-Id an Exim
 * queue ID at a mail.ru host, Subject "Ваше сообщение не доставлено. Mail failure."): Exim's
 * report twice, first in Russian, then, after a line of asterisks, in English; then Exim's
 * "------ This is a copy of the message, including all the headers. ------" and the message.
 *
 *   Это письмо создано автоматически сервером Mail.Ru, отвечать на него не нужно.
 *
 *   К сожалению, Ваше письмо не может быть доставлено одному или нескольким получателям:
 *
 *     bob@example.org
 *       SMTP error from remote mail server after RCPT TO:<bob@example.org>:
 *       host mx.example.org [192.0.2.25]: 550 5.1.1 <bob@example.org>: User unknown
 *
 *   **********************
 *
 *   This message was created automatically by mail delivery software.
 *
 *   A message that you sent could not be delivered to one or more of its
 *   recipients. This is a permanent error. The following address(es) failed:
 *
 *     bob@example.org
 *       SMTP error from remote mail server after RCPT TO:<bob@example.org>:
 *       host mx.example.org [192.0.2.25]: 550 5.1.1 <bob@example.org>: User unknown
 *
 * Each recipient is read once, from the English report (from the Russian one when there is no
 * English one): the address indented by two spaces, the reason on the lines indented further.
 * Exim's warning of a delay ("... has not yet been delivered to one or more of its recipients
 * after more than 24 hours on the queue ...") has the same shape and no copy of the message.
 */
#include "formats.h"

#include "../internal.h"

#include <string.h>

/* "сервером Mail.Ru" ("by the Mail.Ru server"), in UTF-8 */
static const char greeting_ru[] =
    "\xd1\x81\xd0\xb5\xd1\x80\xd0\xb2\xd0\xb5\xd1\x80\xd0\xbe\xd0\xbc Mail.Ru";
static const char greeting[] = "This message was created automatically by mail delivery software";
static const char copy_marker[] = "------ This is a copy of the message";

/* Whether the bounce comes from a mailer-daemon at mail.ru or a host under it. */
static int from_mailru_daemon(const struct smtpc_format_message *m)
{
    const char *value, *addr;
    size_t value_len, addr_len;
    if (!smtpc_mime_find_field(&value, &value_len, m->header, m->header_len, "From") ||
        !smtpc_format_address(value, value_len, &addr, &addr_len) ||
        !smtpc_format_starts(addr, addr_len, "mailer-daemon@"))
        return 0;
    const char *domain = addr + sizeof "mailer-daemon@" - 1;
    size_t n = addr_len - (sizeof "mailer-daemon@" - 1);
    static const char mailru[] = ".mail.ru";
    size_t k = sizeof mailru - 1;
    return (n == k - 1 && smtpc_format_starts(domain, n, mailru + 1)) ||
           (n > k && smtpc_format_starts(domain + n - k, k, mailru));
}

static int mailru_recognises(const struct smtpc_format_message *m)
{
    return smtpc_format_has(m->body, m->body_len, greeting_ru) ||
           (from_mailru_daemon(m) && smtpc_format_has(m->body, m->body_len, greeting));
}

/* The indentation of a line: its leading spaces, a tab counting as eight; a line of white
 * space alone has none, as it indents nothing. */
static size_t indentation(const char *line, size_t len)
{
    size_t n = 0, width = 0;
    for (; n < len && (line[n] == ' ' || line[n] == '\t'); n++)
        width += line[n] == '\t' ? 8 : 1;
    return n < len ? width : 0;
}

/* Whether a line is an address alone, indented less than its reason: "  bob@example.org". */
static int recipient_line(struct smtpc_format_finding *f, const char *line, size_t len)
{
    size_t indent = indentation(line, len);
    if (indent == 0 || indent >= 4)
        return 0;
    const char *word = line + indent;
    size_t n = len - indent;
    while (n > 0 && smtpc_is_space(word[n - 1]))
        n--;
    if (n < 3 || memchr(word, '@', n) == NULL)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (smtpc_is_space(word[i]))
            return 0;
    }
    return smtpc_format_address(word, n, &f->recipient, &f->recipient_len);
}

/* The command of Exim's "SMTP error from remote mail server after RCPT TO:<a@b>:" (or "after
 * end of data:", "after pipelined ...", "after initial connection:"), or NULL. */
static const char *exim_command(const char *s, size_t len)
{
    size_t at = smtpc_format_after(s, len, "SMTP error from remote mail server after ");
    if (at == len)
        at = smtpc_format_after(s, len, "SMTP error from remote mailer after ");
    if (at == len)
        return NULL;
    if (smtpc_format_starts(s + at, len - at, "pipelined "))
        at += sizeof "pipelined " - 1;
    if (smtpc_format_starts(s + at, len - at, "initial connection"))
        return "CONNECT";
    /* the command ends at a colon before white space ("RCPT TO:<a@b>:", "end of data:") */
    size_t n = 0;
    while (at + n < len &&
           !(s[at + n] == ':' && (at + n + 1 == len || smtpc_is_space(s[at + n + 1]))))
        n++;
    const char *name = NULL;
    return smtpc_command_parse(&name, s + at, n, NULL) == 0 ? name : NULL;
}

/* The host of Exim's "host mx.example.org [192.0.2.25]: ...". */
static void exim_host(struct smtpc_format_finding *f, const char *s, size_t len)
{
    for (size_t from = 0; from < len;) {
        size_t at = smtpc_find_phrase(s + from, len - from, "host ", 5);
        if (at == len - from)
            return;
        at += from + 5;
        size_t end = at;
        while (end < len && !smtpc_is_space(s[end]) && s[end] != '[' && s[end] != ':')
            end++;
        if (end > at && end + 1 < len && s[end] == ' ' && s[end + 1] == '[') {
            f->host = s + at;
            f->host_len = end - at;
            return;
        }
        from = at;
    }
}

static int mailru_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    size_t end = smtpc_find_phrase(s, len, copy_marker, sizeof copy_marker - 1);
    size_t start = smtpc_find_phrase(s, end, greeting, sizeof greeting - 1);
    if (start == end)
        start = 0;
    int action = smtpc_format_has(s + start, end - start, "has not yet been delivered")
                     ? SMTPC_DSN_DELAYED
                     : SMTPC_DSN_FAILED;
    const char *line;
    size_t line_len;
    for (size_t at = start; smtpc_format_next_line(s, end, &at, &line, &line_len);) {
        struct smtpc_format_finding f = {0};
        if (!recipient_line(&f, line, line_len))
            continue;
        f.action = action;
        /* the reason: the lines below indented further, up to the first that is not */
        size_t from = at, stop = at;
        for (size_t next = at; smtpc_format_next_line(s, end, &next, &line, &line_len);) {
            if (indentation(line, line_len) < 4)
                break;
            stop = next;
        }
        while (stop > from && smtpc_is_space(s[stop - 1]))
            stop--;
        while (from < stop && smtpc_is_space(s[from]))
            from++;
        f.diagnostic = s + from;
        f.diagnostic_len = stop - from;
        f.command = exim_command(f.diagnostic, f.diagnostic_len);
        exim_host(&f, f.diagnostic, f.diagnostic_len);
        int rc = smtpc_format_add(out, &f);
        if (rc != 0)
            return rc;
        at = stop > at ? stop : at;
    }
    if (end < len) {
        /* the copy starts on the line after the marker */
        size_t at = end;
        while (at < len && s[at] != '\n')
            at++;
        while (at < len && (s[at] == '\r' || s[at] == '\n'))
            at++;
        out->returned = s + at;
        out->returned_len = len - at;
    }
    return 0;
}

const struct smtpc_format_reader smtpc_format_mailru = {"mailru", mailru_recognises, mailru_read};
