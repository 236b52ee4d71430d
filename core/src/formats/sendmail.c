/*
 * sendmail.c - Sendmail's bounce and warning without MIME (SendMimeErrors off, or a
 * Sendmail older than 8.7): sections under lines of dashes, in this order.
 *
 *   The original message was received at Sat, 15 Mar 2025 10:00:01 +0100
 *   from client.example.com [192.0.2.5]
 *
 *      ----- The following addresses had permanent fatal errors -----
 *   <bob@example.org>
 *       (reason: 550 5.1.1 <bob@example.org>... User unknown)
 *
 *      ----- Transcript of session follows -----
 *   ... while talking to mx.example.org.:
 *   >>> RCPT To:<bob@example.org>
 *   <<< 550 5.1.1 <bob@example.org>... User unknown
 *   550 5.1.1 <bob@example.org>... User unknown
 *
 *      ----- Original message follows -----
 *
 * A warning ("Warning: could not send message for past 4 hours") lists its addresses under
 * "had transient non-fatal errors". The "(reason: ...)" line is Sendmail 8.9's; without it
 * (and for its own errors, "Host unknown", which have none) the error is the transcript's line
 * "550 5.1.2 <address>... text". The transcript names the host ("... while talking to HOST.:")
 * and the command (">>> RCPT To:<...>") before the reply ("<<< ...") that names the address.
 * The copy follows "Original message follows", "Message header follows" (the header only) or
 * the older "Unsent message follows".
 */
#include "formats.h"

#include "../internal.h"

#include <string.h>

static const char fatal_mark[] = "----- The following addresses had permanent fatal errors -----";
static const char transient_mark[] =
    "----- The following addresses had transient non-fatal errors -----";
static const char transcript_mark[] = "----- Transcript of session follows -----";

static int sendmail_recognises(const struct smtpc_format_message *m)
{
    return smtpc_format_has(m->body, m->body_len, fatal_mark) ||
           smtpc_format_has(m->body, m->body_len, transient_mark) ||
           smtpc_format_has(m->body, m->body_len, transcript_mark);
}

/* A line with its leading white space skipped. */
static void trim_start(const char **line, size_t *len)
{
    while (*len > 0 && smtpc_is_space(**line)) {
        (*line)++;
        (*len)--;
    }
}

/* Whether a line is a section's title ("   ----- ... -----"). */
static int is_title(const char *line, size_t len)
{
    trim_start(&line, &len);
    return smtpc_format_starts(line, len, "-----");
}

/* The offset of the first line of the copy's title, or `len`. */
static size_t copy_start(const char *s, size_t len)
{
    static const char *const titles[] = {
        "----- Original message follows -----", "----- Message header follows -----",
        "----- Unsent message follows -----", "----- Message body suppressed -----",
    };
    const char *line;
    size_t line_len;
    for (size_t at = 0, start = 0; smtpc_format_next_line(s, len, &at, &line, &line_len);
         start = at) {
        trim_start(&line, &line_len);
        for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
            if (smtpc_format_starts(line, line_len, titles[i]))
                return start;
        }
    }
    return len;
}

/* The transcript's lines that name an address: the reply ("<<< ..."), with the host and the
 * command before it, and Sendmail's own line ("550 5.1.2 <addr>... Host unknown"). */
struct mention {
    const char *reply, *own, *host, *command;
    size_t reply_len, own_len, host_len;
    const char *own_host, *own_command; /* in force at Sendmail's own line */
    size_t own_host_len;
};

/* The command of a line ">>> RCPT To:<...>", or NULL. */
static const char *transcript_command(const char *line, size_t len)
{
    line += 3;
    len -= 3;
    trim_start(&line, &len);
    if (len >= 1 && line[0] == '.' && (len == 1 || smtpc_is_space(line[1])))
        return "DATA-END";
    size_t n = 0;
    while (n < len && !smtpc_is_space(line[n]) && line[n] != ':')
        n++;
    return smtpc_command_find(line, n);
}

/* The host of "... while talking to HOST.:". */
static void transcript_host(const char *line, size_t len, const char **host, size_t *host_len)
{
    size_t at = smtpc_format_after(line, len, "while talking to ");
    size_t end = at;
    while (end < len && !smtpc_is_space(line[end]))
        end++;
    while (end > at && (line[end - 1] == ':' || line[end - 1] == '.'))
        end--;
    *host = end > at ? line + at : NULL;
    *host_len = end - at;
}

static void find_mention(struct mention *mn, const char *s, size_t len, const char *addr,
                         size_t addr_len)
{
    const char *host = NULL, *command = NULL;
    size_t host_len = 0;
    const char *line;
    size_t line_len;
    for (size_t at = 0; smtpc_format_next_line(s, len, &at, &line, &line_len);) {
        if (smtpc_format_has(line, line_len, "while talking to ")) {
            transcript_host(line, line_len, &host, &host_len);
            command = NULL;
        } else if (smtpc_format_starts(line, line_len, ">>>")) {
            command = transcript_command(line, line_len);
        } else if (smtpc_find_phrase(line, line_len, addr, addr_len) < line_len) {
            if (smtpc_format_starts(line, line_len, "<<<")) {
                if (mn->reply == NULL) {
                    mn->reply = line + 3;
                    mn->reply_len = line_len - 3;
                    mn->host = host;
                    mn->host_len = host_len;
                    mn->command = command;
                }
            } else if (mn->own == NULL) {
                mn->own = line;
                mn->own_len = line_len;
                mn->own_host = host;
                mn->own_host_len = host_len;
                mn->own_command = command;
            }
        }
    }
}

/* The span inside "(reason: ...)" on the lines under an address, or 0. */
static int reason_of(const char *s, size_t len, const char **text, size_t *text_len)
{
    size_t at = smtpc_format_after(s, len, "(reason: ");
    if (at == len)
        return 0;
    const char *close = memchr(s + at, '\n', len - at);
    size_t end = close != NULL ? (size_t)(close - s) : len;
    while (end > at && smtpc_is_space(s[end - 1]))
        end--;
    if (end > at && s[end - 1] == ')')
        end--;
    *text = s + at;
    *text_len = end - at;
    return 1;
}

/* Adds a finding per address of the section that starts after its title at `at`. */
/* The transcript, and how many more of its bytes may be searched for addresses: each address
 * searches all of it, so a budget proportional to the message keeps the reading linear. */
struct transcript {
    const char *s;
    size_t len, budget;
};

static int read_section(const char *s, size_t len, size_t at, int action, struct transcript *tr,
                        struct smtpc_format_findings *out)
{
    const char *line;
    size_t line_len;
    while (smtpc_format_next_line(s, len, &at, &line, &line_len)) {
        const char *t = line;
        size_t t_len = line_len;
        trim_start(&t, &t_len);
        if (t_len == 0 || is_title(line, line_len))
            break;
        if (smtpc_is_space(line[0]))
            continue; /* "(reason: ...)", "(expanded from: ...)" */
        const char *addr;
        size_t addr_len;
        if (!smtpc_format_address(line, line_len, &addr, &addr_len))
            continue; /* a program or a file */
        /* the lines under it, up to the next address */
        size_t under = at, under_end = at;
        const char *next;
        size_t next_len;
        for (size_t peek = at; smtpc_format_next_line(s, len, &peek, &next, &next_len);) {
            if (next_len == 0 || !smtpc_is_space(next[0]) || is_title(next, next_len))
                break;
            under_end = peek;
        }
        struct smtpc_format_finding f = {0};
        f.recipient = addr;
        f.recipient_len = addr_len;
        f.action = action;
        struct mention mn;
        memset(&mn, 0, sizeof mn);
        if (tr->len <= tr->budget) {
            tr->budget -= tr->len;
            find_mention(&mn, tr->s, tr->len, addr, addr_len);
        }
        if (!reason_of(s + under, under_end - under, &f.diagnostic, &f.diagnostic_len)) {
            f.diagnostic = mn.own != NULL ? mn.own : mn.reply != NULL ? mn.reply : line;
            f.diagnostic_len = mn.own != NULL ? mn.own_len : mn.reply != NULL ? mn.reply_len : 0;
        }
        if (mn.reply != NULL) {
            f.host = mn.host;
            f.host_len = mn.host != NULL ? mn.host_len : 0;
            f.command = mn.command;
        } else if (mn.own != NULL) {
            /* "<addr>... Deferred: 421 ..." repeats the reply to the last command */
            f.host = mn.own_host;
            f.host_len = mn.own_host != NULL ? mn.own_host_len : 0;
            f.command = mn.own_command;
        }
        int rc = smtpc_format_add(out, &f);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int sendmail_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    size_t end = copy_start(s, len);
    size_t transcript = smtpc_format_after(s, end, transcript_mark);
    struct transcript tr = {s + transcript, end - transcript, 16 * len + 65536};
    /* each section of addresses, in the order of the text */
    const char *line;
    size_t line_len;
    for (size_t at = 0; smtpc_format_next_line(s, end, &at, &line, &line_len);) {
        int action = 0;
        if (smtpc_format_has(line, line_len, fatal_mark))
            action = SMTPC_DSN_FAILED;
        else if (smtpc_format_has(line, line_len, transient_mark))
            action = SMTPC_DSN_DELAYED;
        if (action == 0)
            continue;
        int rc = read_section(s, end, at, action, &tr, out);
        if (rc != 0)
            return rc;
    }
    if (end < len) {
        size_t at = end;
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

const struct smtpc_format_reader smtpc_format_sendmail = {"sendmail", sendmail_recognises,
                                                          sendmail_read};
