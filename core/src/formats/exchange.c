/*
 * exchange.c - Microsoft Exchange's non-delivery reports when they come without a
 * delivery-status part. Exchange 2000 and later send Internet senders a multipart/report,
 * which is read as RFC 3464; without one come the reports of Exchange 5.5's Internet Mail
 * Service (a multipart/mixed with X-MS-Embedded-Report, the returned message attached), and
 * the text of a later report whose delivery-status part is missing. Two layouts:
 *
 *   Your message                                      (5.5 and 2000/2003: one paragraph per
 *                                                      recipient, "ADDRESS on DATE" and the
 *     To:      bob@example.org                         lines indented under it)
 *     Subject: Budget
 *     Sent:    Sat, 15 Mar 2025 10:00:00 +0100
 *
 *   did not reach the following recipient(s):
 *
 *   bob@example.org on Sat, 15 Mar 2025 10:00:05 +0100
 *       The recipient name is not recognized
 *       MSEXCH:IMS:Example:Office:EXMAIL01 0 (000C05A6) Unknown Recipient
 *
 * Exchange 2003 words it "Your message did not reach some or all of the intended recipients."
 * and "The following recipient(s) could not be reached:", and ends each paragraph with
 * "<SERVER #5.1.1>" (or "<SERVER #5.0.0 smtp;550 ...>"): the server that gave the error and the
 * status, which this reader takes.
 *
 *   Diagnostic information for administrators:        (2007 and later: after the friendly
 *                                                      text, an address alone on its line and
 *   Generating server: exch01.example.com              the reply between "#" and "##", the
 *                                                      remote host before the "#" when another
 *   bob@example.org                                    server refused it)
 *   #550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
 *
 *   Original message headers:
 */
#include "formats.h"

#include "../internal.h"

#include <string.h>

static const char admin_mark[] = "Diagnostic information for administrators:";

static int exchange_recognises(const struct smtpc_format_message *m)
{
    const char *s = m->body;
    size_t len = m->body_len;
    return smtpc_format_has_field(m, "X-MS-Embedded-Report") ||
           smtpc_format_has(s, len, "did not reach the following recipient(s):") ||
           (smtpc_format_has(s, len, "did not reach some or all of the intended recipients") &&
            (smtpc_format_has(s, len, "The following recipient(s) could not be reached:") ||
             smtpc_format_has(s, len, "The following recipient(s) cannot be reached:"))) ||
           (smtpc_format_has(s, len, admin_mark) &&
            smtpc_format_has(s, len, "Generating server:"));
}

/* A line with the white space around it taken off. */
static void trim(const char **line, size_t *len)
{
    while (*len > 0 && smtpc_is_space(**line)) {
        (*line)++;
        (*len)--;
    }
    while (*len > 0 && smtpc_is_space((*line)[*len - 1]))
        (*len)--;
}

/* How far a line is indented. */
static size_t indent(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    return i;
}

/* "<SERVER #5.1.1>" or "<SERVER #5.0.0 smtp;550 ...>": the server and the status. */
static void server_status(struct smtpc_format_finding *f, const char *s, size_t len)
{
    size_t hash = smtpc_format_after(s, len, " #");
    if (hash == len)
        return;
    size_t end = hash;
    while (end < len && s[end] != '>' && !smtpc_is_space(s[end]))
        end++;
    size_t n = smtpc_enhanced_prefix(s + hash, end - hash);
    if (n == 0)
        return;
    f->status = s + hash;
    f->status_len = n;
    size_t name_end = hash - 2; /* where " #" starts */
    size_t i = name_end;
    while (i > 0 && s[i - 1] != '<' && !smtpc_is_space(s[i - 1]))
        i--;
    if (i > 0 && s[i - 1] == '<' && name_end > i) {
        f->host = s + i;
        f->host_len = name_end - i;
    }
}

/* 5.5 and 2003: the paragraphs after "did not reach the following recipient(s):" or "The
 * following recipient(s) could not be reached:". */
static int read_paragraphs(const char *s, size_t len, size_t at,
                           struct smtpc_format_findings *out)
{
    const char *line;
    size_t line_len;
    struct smtpc_format_finding f = {0};
    size_t depth = 0; /* the indentation of the open recipient's line */
    int open = 0;
    while (smtpc_format_next_line(s, len, &at, &line, &line_len)) {
        const char *t = line;
        size_t t_len = line_len;
        trim(&t, &t_len);
        size_t on = smtpc_format_after(t, t_len, " on ");
        const char *addr;
        size_t addr_len;
        int opens = on < t_len && smtpc_format_address(t, on - 4, &addr, &addr_len) &&
                    addr == t && (!open || indent(line, line_len) <= depth);
        if (open && (opens || t_len == 0)) {
            int rc = smtpc_format_add(out, &f);
            if (rc != 0)
                return rc;
            open = 0;
        }
        if (opens) {
            memset(&f, 0, sizeof f);
            f.recipient = addr;
            f.recipient_len = addr_len;
            f.action = SMTPC_DSN_FAILED;
            f.diagnostic = line + line_len;
            depth = indent(line, line_len);
            open = 1;
        } else if (open) {
            if (f.diagnostic_len == 0)
                f.diagnostic = t;
            f.diagnostic_len = (size_t)(t + t_len - f.diagnostic);
            if (t_len > 0 && t[0] == '<' && t[t_len - 1] == '>')
                server_status(&f, t, t_len);
        } else if (t_len > 0 && out->n > 0) {
            break; /* the paragraphs are over */
        }
    }
    return open ? smtpc_format_add(out, &f) : 0;
}

/* 2007 and later: the address alone on its line, then "#550 5.1.1 ... ##", "HOST #550 ...
 * ##" or "Remote Server returned '550 ...'". */
static int read_administrators(const char *s, size_t len, size_t at,
                               struct smtpc_format_findings *out)
{
    const char *line;
    size_t line_len;
    struct smtpc_format_finding f = {0};
    int open = 0;
    while (smtpc_format_next_line(s, len, &at, &line, &line_len)) {
        const char *t = line;
        size_t t_len = line_len;
        trim(&t, &t_len);
        const char *addr;
        size_t addr_len;
        if (smtpc_format_address(t, t_len, &addr, &addr_len) && addr == t &&
            addr_len == t_len) {
            if (open) {
                int rc = smtpc_format_add(out, &f);
                if (rc != 0)
                    return rc;
            }
            memset(&f, 0, sizeof f);
            f.recipient = addr;
            f.recipient_len = addr_len;
            f.diagnostic = t + t_len;
            f.action = SMTPC_DSN_FAILED;
            open = 1;
            continue;
        }
        if (!open || t_len == 0 || f.diagnostic_len > 0)
            continue;
        const char *hash = memchr(t, '#', t_len);
        if (hash != NULL) {
            size_t from = (size_t)(hash - t) + 1;
            size_t to = from + smtpc_find_phrase(t + from, t_len - from, "##", 2);
            while (to > from && smtpc_is_space(t[to - 1]))
                to--;
            f.diagnostic = t + from;
            f.diagnostic_len = to - from;
            size_t h = (size_t)(hash - t);
            while (h > 0 && smtpc_is_space(t[h - 1]))
                h--;
            if (h > 0 && memchr(t, ' ', h) == NULL) {
                f.host = t;
                f.host_len = h;
            }
        } else if (smtpc_format_has(t, t_len, "Remote Server returned")) {
            f.diagnostic = t;
            f.diagnostic_len = t_len;
        }
    }
    return open ? smtpc_format_add(out, &f) : 0;
}

static int exchange_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    size_t copy = smtpc_format_after(s, len, "Original message headers:");
    size_t end = copy;
    if (copy < len)
        end -= strlen("Original message headers:");
    size_t admin = smtpc_format_after(s, end, admin_mark);
    int rc = 0;
    if (admin < end) {
        rc = read_administrators(s, end, admin, out);
    } else {
        size_t at = smtpc_format_after(s, end, "did not reach the following recipient(s):");
        if (at == end)
            at = smtpc_format_after(s, end, "recipient(s) could not be reached:");
        if (at == end)
            at = smtpc_format_after(s, end, "recipient(s) cannot be reached:");
        if (at < end)
            rc = read_paragraphs(s, end, at, out);
    }
    if (rc == 0 && copy < len) {
        size_t at = copy;
        while (at < len && smtpc_is_space(s[at]))
            at++;
        if (at < len) {
            out->returned = s + at;
            out->returned_len = len - at;
        }
    }
    return rc;
}

const struct smtpc_format_reader smtpc_format_exchange = {"exchange", exchange_recognises,
                                                          exchange_read};
