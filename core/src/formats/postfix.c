/*
 * postfix.c - Postfix's bounce when it comes as plain text: its notification without the
 * message/delivery-status part Postfix sends with it, as a relay that strips parts, a
 * forwarded copy or a Postfix before 2.3 leaves it. After the introduction, a paragraph per
 * recipient: the address in angle brackets at the start of a line, what it was expanded from,
 * and the error, its lines indented by four spaces (bounce(5), the default templates).
 *
 *   This is the mail system at host mx.example.com.
 *   ...
 *                      The mail system
 *
 *   <bob@example.org>: host mx.example.org[192.0.2.10] said: 550 5.1.1 <bob@example.org>:
 *       Recipient address rejected: User unknown (in reply to RCPT TO command)
 *
 *   <carol@example.org> (expanded from <team@example.org>): connect to
 *       mx.example.org[192.0.2.11]:25: Connection refused
 *
 * Postfix before 2.3 opens with "This is the Postfix program at host". The delay warning has
 * "THIS IS A WARNING ONLY" in a box of "#"; its recipients are delayed. The reply's command is
 * read from "(in reply to RCPT TO command)" as in any diagnostic.
 */
#include "formats.h"

#include "../internal.h"

static int postfix_recognises(const struct smtpc_format_message *m)
{
    return smtpc_format_has(m->body, m->body_len, "This is the mail system at host ") ||
           smtpc_format_has(m->body, m->body_len, "This is the Postfix program at host ");
}

/* The remote host of "host NAME[IP] said:" (or "host NAME said:") or "connect to
 * NAME[IP]:25:", the lines of the text possibly broken after the words; or 0. */
static int remote_host(const char *s, size_t len, const char **host, size_t *host_len)
{
    static const char *const intros[] = {"host", "connect to"};
    for (size_t i = 0; i < sizeof intros / sizeof intros[0]; i++) {
        size_t at = smtpc_format_after(s, len, intros[i]);
        if (at == len || !smtpc_is_space(s[at]))
            continue;
        while (at < len && smtpc_is_space(s[at]))
            at++;
        size_t end = at;
        while (end < len && s[end] != '[' && !smtpc_is_space(s[end]))
            end++;
        int named = end < len && (s[end] == '[' || smtpc_format_starts(s + end, len - end,
                                                                        " said: "));
        if (end > at && named) {
            *host = s + at;
            *host_len = end - at;
            return 1;
        }
    }
    return 0;
}

/* The paragraph s[at..end) of one recipient, "<address>[ (expanded from <...>)]: error":
 * adds its finding. Returns 0 for a paragraph that is none. */
static int read_recipient(const char *s, size_t at, size_t end, int action,
                          struct smtpc_format_findings *out, int *rc)
{
    const char *close = memchr(s + at, '>', end - at);
    if (s[at] != '<' || close == NULL)
        return 0;
    size_t colon = smtpc_format_after(close, (size_t)(s + end - close), ": ");
    if (colon == (size_t)(s + end - close))
        return 0;
    struct smtpc_format_finding f = {0};
    f.action = action;
    f.recipient = s + at + 1;
    f.recipient_len = (size_t)(close - (s + at + 1));
    if (f.recipient_len == 0 || memchr(f.recipient, '@', f.recipient_len) == NULL)
        return 0;
    f.diagnostic = close + colon;
    f.diagnostic_len = (size_t)(s + end - f.diagnostic);
    if (!remote_host(f.diagnostic, f.diagnostic_len, &f.host, &f.host_len))
        f.host = NULL;
    *rc = smtpc_format_add(out, &f);
    return 1;
}

static int postfix_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    int action = smtpc_format_has(s, len, "THIS IS A WARNING ONLY") ? SMTPC_DSN_DELAYED
                                                                    : SMTPC_DSN_FAILED;
    /* the recipients follow the signature "The mail system", when the template has it */
    size_t at = smtpc_format_after(s, len, "The mail system\n");
    if (at == len)
        at = smtpc_format_after(s, len, "The mail system\r\n");
    if (at == len)
        at = 0;
    while (at < len) {
        while (at < len && (s[at] == '\n' || s[at] == '\r'))
            at++;
        size_t end = smtpc_format_paragraph_end(s, len, at);
        int rc = 0;
        if (at < end && read_recipient(s, at, end, action, out, &rc) && rc != 0)
            return rc;
        at = end;
        /* past the empty line */
        while (at < len && s[at] != '\n')
            at++;
    }
    return 0;
}

const struct smtpc_format_reader smtpc_format_postfix = {"postfix", postfix_recognises,
                                                         postfix_read};
