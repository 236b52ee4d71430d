/*
 * formats.h - the readers of bounce formats that no RFC defines: the notifications that MTAs
 * and mail services write in their own words instead of an RFC 3464 report (docs/bounces.md,
 * "Formats"). A reader is two pure functions over the text of the message: whether the message
 * is its format, and what it says about each recipient. bounce.c turns the findings into
 * records and decides their codes and reasons, the same way for every format.
 */
#ifndef SMTPC_FORMATS_H
#define SMTPC_FORMATS_H

#include <stddef.h>

/* The message as a reader sees it. */
struct smtpc_format_message {
    const char *header; /* the top header, as it arrived (fields may be folded) */
    size_t header_len;
    const char *body;   /* the first text part, decoded to UTF-8: text/plain, else text/html
                           with its tags, else "" */
    size_t body_len;
};

/* What a reader found about one recipient. Spans point into the message's header or body. */
struct smtpc_format_finding {
    const char *recipient;  /* the address, without angle brackets */
    size_t recipient_len;
    const char *diagnostic; /* the text that says why: the remote server's reply, or the MTA's
                               own words; bounce.c joins its lines and squeezes white space */
    size_t diagnostic_len;
    const char *host;       /* the remote host the text names, or NULL */
    size_t host_len;
    const char *command;    /* the command the reply answered, a static name from
                               smtpc_command_find(), or NULL */
    const char *status;     /* an enhanced code the text states apart from the reply ("(#5.1.1)"),
                               or NULL */
    size_t status_len;
    int code;               /* a reply code the text states apart from a reply the diagnostic
                               holds (Zoho's "ERROR_CODE :550", Yahoo's "550: 5.1.1 ..."), or 0 */
    int action;             /* SMTPC_DSN_FAILED, or SMTPC_DSN_DELAYED for a warning */
};

/* Everything a reader found in one message. */
struct smtpc_format_findings {
    struct smtpc_format_finding *items;
    size_t n, cap;
    const char *returned; /* the header of the returned message when the body quotes it inline,
                             or NULL */
    size_t returned_len;
};

/* Appends a copy of `f`. Returns 0, SMTPC_ENOMEM, or SMTPC_ELIMIT past
 * SMTPC_BOUNCE_MAX_RECIPIENTS. */
int smtpc_format_add(struct smtpc_format_findings *list, const struct smtpc_format_finding *f);

struct smtpc_format_reader {
    const char *name; /* "qmail": the records' `format` */
    /* Whether the message is in this format, decided from its header and text alone. */
    int (*recognises)(const struct smtpc_format_message *m);
    /* Adds a finding per recipient; returns 0 or what smtpc_format_add() returned. */
    int (*read)(const struct smtpc_format_message *m, struct smtpc_format_findings *out);
};

/* Every reader, in the order they are tried: the first that recognises a message reads it
 * (readers.c). Narrow signs (a service's own header) come before broad ones (a phrase that
 * several MTAs share). */
extern const struct smtpc_format_reader *const smtpc_format_readers[];
extern const size_t smtpc_format_reader_count;

/* ---- text helpers shared by the readers (lines.c) ---- */

/* The line of `s` that starts at `*at`: sets `*line` and `*line_len` (without its "\n" or
 * "\r\n") and moves `*at` past it. Returns 0 when `*at` is at the end. */
int smtpc_format_next_line(const char *s, size_t len, size_t *at, const char **line,
                           size_t *line_len);

/* Whether `s` (`len` bytes) starts with `prefix`, ASCII case ignored. */
int smtpc_format_starts(const char *s, size_t len, const char *prefix);

/* Whether `s` (`len` bytes) contains `phrase`, byte for byte: the readers look for each MTA's
 * own spelling. */
int smtpc_format_has(const char *s, size_t len, const char *phrase);

/* The offset just past the first `phrase` in `s` (byte for byte), or `len` when absent. */
size_t smtpc_format_after(const char *s, size_t len, const char *phrase);

/* The first address in `s`: a word holding "@" without the brackets, quotes and punctuation
 * around it. Sets `*addr` and `*addr_len` and returns 1, or returns 0. */
int smtpc_format_address(const char *s, size_t len, const char **addr, size_t *addr_len);

/* Whether the header field `name` of the message contains `phrase`, byte for byte. */
int smtpc_format_field_has(const struct smtpc_format_message *m, const char *name,
                           const char *phrase);

/* Whether the header has a field `name`. */
int smtpc_format_has_field(const struct smtpc_format_message *m, const char *name);

/* The offset of the first line of `s` at or after `from` that is empty or white space alone,
 * or `len`. */
size_t smtpc_format_paragraph_end(const char *s, size_t len, size_t from);

/* The readers (one file each under formats/). */
extern const struct smtpc_format_reader smtpc_format_qmail;
extern const struct smtpc_format_reader smtpc_format_exim;
extern const struct smtpc_format_reader smtpc_format_sendmail;
extern const struct smtpc_format_reader smtpc_format_domino;
extern const struct smtpc_format_reader smtpc_format_exchange;
extern const struct smtpc_format_reader smtpc_format_opensmtpd;
extern const struct smtpc_format_reader smtpc_format_postfix;
extern const struct smtpc_format_reader smtpc_format_dma;
extern const struct smtpc_format_reader smtpc_format_yahoo;
extern const struct smtpc_format_reader smtpc_format_zoho;
extern const struct smtpc_format_reader smtpc_format_gmx;
extern const struct smtpc_format_reader smtpc_format_mailru;

#endif /* SMTPC_FORMATS_H */
