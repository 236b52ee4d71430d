/*
 * dma.c - the bounce of the DragonFly Mail Agent (dma), the small MTA of DragonFly BSD that
 * Debian packages too: plain text, one recipient per bounce, the error as dma wrote it, then
 * the returned message's header (or the whole message when dma is configured to say so).
 *
 *   This is the DragonFly Mail Agent v0.13 at mail.example.com.
 *
 *   There was an error delivering your mail to <bob@example.org>.
 *
 *   mx.example.org [192.0.2.10] did not like our RCPT TO:
 *   550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown
 *
 *   Message headers follow.
 *
 * The error names the command whose reply failed ("MAIL FROM", "RCPT TO", "DATA", "final DATA"
 * for the end of the data, "EHLO", "connect" for the greeting), or is dma's own ("DNS lookup
 * failure: host example.org not found", "SMTP login to mx.example.org failed"). dma bounces
 * only what failed for good; what may succeed later stays in its queue.
 */
#include "formats.h"

#include "../internal.h"

static const char intro[] = "There was an error delivering your mail to <";

/* Where the line that ends the error starts, or `len`; `*after` is where the returned message
 * starts. */
static size_t copy_marker(const char *s, size_t len, size_t *after)
{
    static const char *const markers[] = {"Message headers follow.", "Original message follows."};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        if (smtpc_format_has(s, len, markers[i])) {
            *after = smtpc_format_after(s, len, markers[i]);
            return *after - strlen(markers[i]);
        }
    }
    *after = len;
    return len;
}

static int dma_recognises(const struct smtpc_format_message *m)
{
    size_t after;
    return smtpc_format_has(m->body, m->body_len, intro) &&
           copy_marker(m->body, m->body_len, &after) < m->body_len;
}

/* The command of "did not like our COMMAND:", or NULL. */
static const char *dma_command(const char *s, size_t len)
{
    static const struct {
        const char *words, *command;
    } commands[] = {
        {"did not like our final DATA:", "DATA-END"}, {"did not like our DATA:", "DATA"},
        {"did not like our RCPT TO:", "RCPT"},        {"did not like our MAIL FROM:", "MAIL"},
        {"did not like our EHLO:", "EHLO"},           {"did not like our connect:", "CONNECT"},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (smtpc_format_has(s, len, commands[i].words))
            return commands[i].command;
    }
    return NULL;
}

/* The host of "NAME [IP] did not like our ...", or 0. */
static int dma_host(const char *s, size_t len, const char **host, size_t *host_len)
{
    size_t at = 0;
    while (at < len && smtpc_is_space(s[at]))
        at++;
    size_t end = at;
    while (end < len && !smtpc_is_space(s[end]))
        end++;
    if (end == at || end + 2 >= len || s[end + 1] != '[' ||
        !smtpc_format_has(s + end, len - end, "] did not like our "))
        return 0;
    *host = s + at;
    *host_len = end - at;
    return 1;
}

static int dma_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    size_t returned;
    size_t end = copy_marker(s, len, &returned);
    size_t at = smtpc_format_after(s, end, intro);
    const char *close = at < end ? memchr(s + at, '>', end - at) : NULL;
    if (close == NULL)
        return 0;
    struct smtpc_format_finding f = {0};
    f.action = SMTPC_DSN_FAILED;
    f.recipient = s + at;
    f.recipient_len = (size_t)(close - (s + at));
    /* the error: from the line after the recipient's to the marker */
    const char *nl = memchr(close, '\n', (size_t)(s + end - close));
    f.diagnostic = nl != NULL ? nl + 1 : s + end;
    f.diagnostic_len = (size_t)(s + end - f.diagnostic);
    f.command = dma_command(f.diagnostic, f.diagnostic_len);
    if (!dma_host(f.diagnostic, f.diagnostic_len, &f.host, &f.host_len))
        f.host = NULL;
    while (returned < len && smtpc_is_space(s[returned]))
        returned++;
    if (returned < len) {
        out->returned = s + returned;
        out->returned_len = len - returned;
    }
    return f.recipient_len > 0 ? smtpc_format_add(out, &f) : 0;
}

const struct smtpc_format_reader smtpc_format_dma = {"dma", dma_recognises, dma_read};
