/*
 * dovecot.c - Dovecot's deliveries into mailboxes (docs/logs.md, "Dovecot"): its LMTP server
 * and its LDA (dovecot-lda, formerly "deliver") log each message they store or fail to store:
 *
 *   lmtp(bob@example.org)<12345><AbCdEf>: msgid=<id@example.com>: saved mail to INBOX
 *   lmtp(bob@example.org)<12345><AbCdEf>: msgid=<...>: save failed to INBOX: Quota exceeded
 *       (mailbox for user is full)
 *   lda(bob): msgid=<...>: rejected: Quota exceeded (mailbox for user is full)
 *   lda(bob): sieve: msgid=<...>: stored mail into mailbox 'INBOX'
 *
 * Older releases wrote "lmtp(12345, bob@example.org): ...". Every other line of Dovecot
 * (imap and pop3 logins, auth) is no delivery.
 */
#include "logs_internal.h"

#include "../internal.h"

#include <string.h>

/* Skips "Info: ", "Error: " ...: the level Dovecot writes into its own log files. */
static size_t level_len(const char *s, size_t len)
{
    static const char *const levels[] = {"Info: ", "Warning: ", "Error: ", "Fatal: ", "Debug: "};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        if (smtpc_log_starts(s, len, levels[i]))
            return strlen(levels[i]);
    }
    return 0;
}

/* The user of "lmtp(USER)" or "lmtp(PID, USER)", as the recipient when it is an address. */
static void read_user(struct smtpc_log_event *event, const char *s, size_t len)
{
    const char *comma = memchr(s, ',', len);
    if (comma != NULL && comma + 1 < s + len && comma[1] == ' ') {
        len -= (size_t)(comma + 2 - s);
        s = comma + 2;
    }
    if (len > 0 && memchr(s, '@', len) != NULL)
        event->recipient = smtpc_log_span_of(s, len);
}

/* "save failed to MAILBOX: TEXT": a full mailbox is refused for good unless Dovecot was told
 * to fail temporarily (quota_full_tempfail), and other storage errors are temporary. */
static enum smtpc_log_outcome save_failure(struct smtpc_log_span text)
{
    int quota = smtpc_log_find(text.p, text.len, "Quota exceeded") < text.len ||
                smtpc_log_find(text.p, text.len, "quota") < text.len;
    int tempfail = smtpc_log_find(text.p, text.len, "tempfail") < text.len;
    return quota && !tempfail ? SMTPC_LOG_BOUNCED : SMTPC_LOG_DEFERRED;
}

void smtpc_log_dovecot(struct smtpc_log_event *event, const char *msg, size_t len)
{
    event->outcome = SMTPC_LOG_OTHER;
    int lmtp = smtpc_log_starts(msg, len, "lmtp(");
    int lda = smtpc_log_starts(msg, len, "lda(") || smtpc_log_starts(msg, len, "deliver(");
    if (!lmtp && !lda)
        return;
    const char *open = memchr(msg, '(', len);
    const char *close = memchr(open, ')', len - (size_t)(open - msg));
    if (close == NULL)
        return;
    struct smtpc_log_span user = smtpc_log_span_of(open + 1, (size_t)(close - open) - 1);
    size_t at = smtpc_log_find(close, len - (size_t)(close - msg), ": ");
    if (at == len - (size_t)(close - msg))
        return;
    const char *s = close + at + 2;
    size_t rest = len - (size_t)(s - msg);
    size_t skip = level_len(s, rest);
    s += skip;
    rest -= skip;
    if (smtpc_log_starts(s, rest, "sieve: ")) {
        s += 7;
        rest -= 7;
    }
    if (smtpc_log_starts(s, rest, "msgid=")) {
        /* the Message-ID is in brackets and holds no ": "; an absent one is "unspecified" */
        size_t end = smtpc_log_find(s, rest, ": ");
        if (end == rest)
            return;
        s += end + 2;
        rest -= end + 2;
    }
    struct smtpc_log_span text = smtpc_log_span_of(s, rest);
    if (smtpc_log_starts(s, rest, "saved mail to ") ||
        smtpc_log_starts(s, rest, "stored mail into mailbox ")) {
        event->outcome = SMTPC_LOG_DELIVERED;
    } else if (smtpc_log_starts(s, rest, "rejected: ")) {
        /* the LDA sent a rejection to the sender: the message is refused for good */
        event->outcome = SMTPC_LOG_BOUNCED;
        text = smtpc_log_span_of(s + 10, rest - 10);
    } else if (lmtp && smtpc_log_starts(s, rest, "save failed to ")) {
        /* the LMTP server answers its client with this failure, so the line concludes the
         * attempt; the LDA goes on to reject or to fail temporarily, which its next line says */
        size_t colon = smtpc_log_find(s + 15, rest - 15, ": ");
        if (colon == rest - 15)
            return;
        text = smtpc_log_span_of(s + 15 + colon + 2, rest - 15 - colon - 2);
        event->outcome = save_failure(text);
    } else {
        return;
    }
    read_user(event, user.p, user.len);
    event->detail = text;
}
