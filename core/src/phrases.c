/*
 * phrases.c - the words that the comparison page and the entry page share: class and group
 * labels, what retry and connection facts mean, commands in prose, reference addresses.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

void smtpc_put_class_label(struct smtpc_buf *b, const smtpc_db *db, const smtpc_code *code)
{
    const char *name = smtpc_class_name(db, code);
    if (code->kind == SMTPC_KIND_BASIC)
        smtpc_buf_printf(b, "%dxx", code->klass); /* docs/comparison-page.md: "4xx ..." */
    else if (code->klass != 0)
        smtpc_buf_printf(b, "%d.X.X", code->klass); /* RFC 3463: "5.X.X Permanent Failure" */
    else
        smtpc_buf_puts(b, "X.X.X enhanced status (class not given)");
    if (name[0] != '\0')
        smtpc_buf_printf(b, " %s", name);
}

void smtpc_put_group_label(struct smtpc_buf *b, const smtpc_db *db, const smtpc_code *code,
                           int with_kind)
{
    if (code->kind == SMTPC_KIND_BASIC) {
        const smtpc_group *g = smtpc_group_find(db, SMTPC_GROUP_CATEGORY, code->category);
        smtpc_buf_printf(b, "%sx%dx", with_kind ? "category " : "", code->category);
        if (g != NULL)
            smtpc_buf_printf(b, " (%s)", g->name);
        else
            smtpc_buf_puts(b, " (not defined by RFC 5321)");
    } else {
        const smtpc_group *g = smtpc_group_find(db, SMTPC_GROUP_SUBJECT, code->category);
        smtpc_buf_printf(b, "%sX.%d", with_kind ? "subject " : "", code->category);
        if (g != NULL)
            smtpc_buf_printf(b, " (%s)", g->name);
        else
            smtpc_buf_puts(b, " (not defined by RFC 3463)");
    }
}

int smtpc_entry_retry(const smtpc_entry *entry, int klass)
{
    if (entry == NULL)
        return 0;
    if (entry->parsed.kind == SMTPC_KIND_BASIC)
        return entry->retry;
    if (klass == 2)
        return SMTPC_RETRY_NONE;
    /* Without a class, the advice of the most severe class the entry is meant for. */
    if (klass == 0)
        klass = strchr(entry->classes, '5') == NULL && strchr(entry->classes, '4') != NULL ? 4 : 5;
    return klass == 4 ? entry->retry_transient : entry->retry;
}

const char *smtpc_retry_phrase(int retry)
{
    switch (retry) {
    case SMTPC_RETRY_NONE: return "needs no retry, because the request succeeded or goes on";
    case SMTPC_RETRY_LATER: return "may be retried unchanged later";
    case SMTPC_RETRY_AFTER_FIX: return "should be retried only after its cause is corrected";
    case SMTPC_RETRY_NO: return "should not be retried unchanged";
    default: return "carries no retry advice";
    }
}

const char *smtpc_connection_phrase(int connection)
{
    switch (connection) {
    case SMTPC_CONNECTION_KEPT: return "the session stays open";
    case SMTPC_CONNECTION_CLOSED: return "the server closes the connection";
    case SMTPC_CONNECTION_MAY_CLOSE: return "the server may close the connection";
    default: return "";
    }
}

const char *smtpc_origin_phrase(int origin)
{
    switch (origin) {
    case SMTPC_ORIGIN_RFC: return "is defined by an RFC";
    case SMTPC_ORIGIN_REGISTRY: return "is cited only by the IANA enhanced status code registry";
    case SMTPC_ORIGIN_NONSTANDARD: return "is not defined by any standard";
    case SMTPC_ORIGIN_PROVIDER: return "is one provider's own meaning, from its documentation";
    default: return "is of no recorded origin";
    }
}

/* A command or phase token of the data file, in prose. */
static void put_command(struct smtpc_buf *b, const char *token, size_t len)
{
    if (len == 7 && memcmp(token, "CONNECT", 7) == 0)
        smtpc_buf_puts(b, "the connection greeting");
    else if (len == 8 && memcmp(token, "DATA-END", 8) == 0)
        smtpc_buf_puts(b, "the end of the message data");
    else if (len == 3 && memcmp(token, "ANY", 3) == 0)
        smtpc_buf_puts(b, "any command");
    else
        smtpc_buf_append(b, token, len);
}

void smtpc_put_list_prose(struct smtpc_buf *b, const char *list, const char *separator,
                          const char *conjunction,
                          void (*put)(struct smtpc_buf *, const char *, size_t))
{
    size_t total = smtpc_list_count(list, separator);
    size_t index = 0;
    const char *s = list;
    size_t sep_len = strlen(separator);
    while (*s != '\0') {
        const char *end = strstr(s, separator);
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        if (index > 0)
            smtpc_buf_puts(b, index + 1 == total ? conjunction : ", ");
        put(b, s, len);
        index++;
        s += len;
        if (end != NULL)
            s += sep_len;
    }
}

size_t smtpc_list_count(const char *list, const char *separator)
{
    if (*list == '\0')
        return 0;
    size_t n = 1;
    size_t sep_len = strlen(separator);
    for (const char *s = strstr(list, separator); s != NULL; s = strstr(s + sep_len, separator))
        n++;
    return n;
}

void smtpc_put_commands(struct smtpc_buf *b, const char *commands)
{
    smtpc_put_list_prose(b, commands, " ", " and ", put_command);
}

static int is_section_number(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((s[i] < '0' || s[i] > '9') && (s[i] < 'A' || s[i] > 'Z') && s[i] != '.')
            return 0;
    }
    return 1;
}

/* Copies `n` pieces one after another into `buf` of `size` bytes as snprintf() would: cut to
 * fit, always terminated when size > 0. Returns the length of the whole. Pages ask for a link
 * for every reference; snprintf's stdio machinery cost more than building the page around it. */
static size_t put_pieces(char *buf, size_t size, const char *const *piece, const size_t *piece_len,
                         int n)
{
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        if (at < size) {
            size_t room = size - 1 - at;
            memcpy(buf + at, piece[i], piece_len[i] < room ? piece_len[i] : room);
        }
        at += piece_len[i];
    }
    if (size > 0)
        buf[at < size ? at : size - 1] = '\0';
    return at;
}

size_t smtpc_reference_url(char *buf, size_t size, const char *ref, size_t len)
{
    static const char iana[] = "https://www.iana.org/assignments/smtp-enhanced-status-codes/"
                               "smtp-enhanced-status-codes.xhtml";
    static const char rfc[] = "https://www.rfc-editor.org/rfc/rfc";
    if (size > 0)
        buf[0] = '\0';
    if (ref == NULL)
        return 0;
    if (smtpc_is_url(ref, len)) {
        /* a provider's documentation is cited by its address */
        const char *piece[] = {ref};
        const size_t piece_len[] = {len};
        return put_pieces(buf, size, piece, piece_len, 1);
    }
    if (len == 13 && memcmp(ref, "IANA registry", 13) == 0) {
        const char *piece[] = {iana};
        const size_t piece_len[] = {sizeof iana - 1};
        return put_pieces(buf, size, piece, piece_len, 1);
    }
    if (len < 5 || memcmp(ref, "RFC ", 4) != 0)
        return 0;
    size_t digits = 4;
    while (digits < len && ref[digits] >= '0' && ref[digits] <= '9')
        digits++;
    if (digits == 4 || digits - 4 > 5)
        return 0;
    if (digits == len) {
        const char *piece[] = {rfc, ref + 4};
        const size_t piece_len[] = {sizeof rfc - 1, digits - 4};
        return put_pieces(buf, size, piece, piece_len, 2);
    }
    if (len - digits > 9 && memcmp(ref + digits, " section ", 9) == 0 &&
        len - digits - 9 < 32 && is_section_number(ref + digits + 9, len - digits - 9)) {
        /* The RFC Editor's HTML names section anchors "section-4.2.3" (appendices
         * "appendix-A.1"). */
        const char *s = ref + digits + 9;
        const char *anchor = s[0] >= 'A' && s[0] <= 'Z' ? "#appendix-" : "#section-";
        const char *piece[] = {rfc, ref + 4, anchor, s};
        const size_t piece_len[] = {sizeof rfc - 1, digits - 4, strlen(anchor),
                                    len - digits - 9};
        return put_pieces(buf, size, piece, piece_len, 4);
    }
    return 0;
}
