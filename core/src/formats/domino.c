/*
 * domino.c - the delivery failure report of HCL (formerly IBM, formerly Lotus) Domino when
 * it comes without a delivery-status part: a text part, with the returned message attached as
 * message/rfc822 (bounce.c reads its Message-ID).
 *
 *   Subject: DELIVERY FAILURE: User bob (bob@example.org) not listed in Domino Directory
 *
 *   Your message
 *
 *     Subject: Budget
 *
 *   was not delivered to:
 *
 *     bob@example.org
 *
 *   because:
 *
 *     User bob (bob@example.org) not listed in Domino Directory
 *
 * The block "was not delivered to: ... because: ..." repeats for each further reason; the
 * addresses of one block share its reason. Domino's words are its own ("not listed in Domino
 * Directory", "No route found to domain ..."), or the remote server's reply as it was given.
 * The router names no remote host, and states no status of its own.
 */
#include "formats.h"

#include "../internal.h"

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

/* Whether a line, trimmed, is `words` and nothing else. */
static int line_is(const char *line, size_t len, const char *words)
{
    trim(&line, &len);
    return smtpc_format_starts(line, len, words) && smtpc_format_after(line, len, words) == len;
}

static int domino_recognises(const struct smtpc_format_message *m)
{
    return smtpc_format_has(m->body, m->body_len, "was not delivered to:") &&
           smtpc_format_has(m->body, m->body_len, "because:");
}

static int domino_read(const struct smtpc_format_message *m, struct smtpc_format_findings *out)
{
    const char *s = m->body;
    size_t len = m->body_len;
    const char *line;
    size_t line_len;
    size_t first = out->n; /* the findings of the block, which wait for its reason */
    enum { BEFORE, ADDRESSES, REASON } state = BEFORE;
    for (size_t at = 0; smtpc_format_next_line(s, len, &at, &line, &line_len);) {
        if (line_is(line, line_len, "was not delivered to:")) {
            state = ADDRESSES;
            first = out->n;
            continue;
        }
        if (state == ADDRESSES && line_is(line, line_len, "because:")) {
            state = REASON;
            continue;
        }
        const char *t = line;
        size_t t_len = line_len;
        trim(&t, &t_len);
        if (state == ADDRESSES && t_len > 0) {
            const char *addr;
            size_t addr_len;
            if (!smtpc_format_address(t, t_len, &addr, &addr_len))
                continue;
            struct smtpc_format_finding f = {0};
            f.recipient = addr;
            f.recipient_len = addr_len;
            f.diagnostic = t;
            f.diagnostic_len = 0;
            f.action = SMTPC_DSN_FAILED;
            int rc = smtpc_format_add(out, &f);
            if (rc != 0)
                return rc;
        } else if (state == REASON && t_len > 0) {
            /* the reason: this paragraph */
            size_t start = (size_t)(t - s);
            size_t stop = smtpc_format_paragraph_end(s, len, start);
            while (stop > start && smtpc_is_space(s[stop - 1]))
                stop--;
            for (size_t i = first; i < out->n; i++) {
                out->items[i].diagnostic = s + start;
                out->items[i].diagnostic_len = stop - start;
            }
            at = stop;
            state = BEFORE;
        }
    }
    return 0;
}

const struct smtpc_format_reader smtpc_format_domino = {"domino", domino_recognises,
                                                        domino_read};
