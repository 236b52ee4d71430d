/*
 * phrases.c - the words that the comparison page and the entry page share: class and group
 * labels, what retry and connection facts mean, commands in prose, reference addresses.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

void smtpc_put_class_label(struct smtpc_buf *b, struct smtpc_words *w, const smtpc_code *code)
{
    if (code->kind != SMTPC_KIND_BASIC && code->klass == 0) {
        smtpc_buf_puts(b, smtpc_say_template(w, SMTPC_T_CLASS_LABEL_NONE));
        return;
    }
    /* RFC 3463 names the enhanced classes apart: "5.X.X Permanent Failure" */
    const smtpc_group *g = smtpc_group_find(w->db, SMTPC_GROUP_CLASS, code->klass);
    int field = code->kind == SMTPC_KIND_BASIC ? SMTPC_GROUP_NAME : SMTPC_GROUP_ALT_NAME;
    const char *name = smtpc_say_group(w, SMTPC_GROUP_CLASS, g, field);
    /* docs/comparison-page.md: "4xx ...", "5.X.X ..." */
    char digits[8] = {(char)('0' + code->klass), 'x', 'x', '\0'};
    if (code->kind != SMTPC_KIND_BASIC)
        memcpy(digits + 1, ".X.X", 5);
    smtpc_buf_puts(b, digits);
    if (name[0] != '\0') {
        smtpc_buf_putc(b, ' ');
        smtpc_buf_puts(b, name);
    }
}

/* The digits of a group: "x2x" for a basic code's category, "X.7" for a subject. */
static void put_group_digits(struct smtpc_buf *b, struct smtpc_words *w, const void *ctx)
{
    (void)w;
    const smtpc_code *code = ctx;
    char digits[4] = {'x', (char)('0' + code->category), 'x', '\0'};
    if (code->kind == SMTPC_KIND_BASIC) {
        smtpc_buf_append(b, digits, 3);
    } else {
        smtpc_buf_append(b, "X.", 2);
        smtpc_buf_append(b, digits + 1, 1);
    }
}

/* "category x2x" or "subject X.7". */
static void put_group_kind(struct smtpc_buf *b, struct smtpc_words *w, const void *ctx)
{
    const smtpc_code *code = ctx;
    int basic = code->kind == SMTPC_KIND_BASIC;
    const struct smtpc_lazy_arg digits = {basic ? "category" : "subject", put_group_digits, code};
    smtpc_put_template_lazy(b, w, basic ? SMTPC_T_CATEGORY : SMTPC_T_SUBJECT, NULL, 0, &digits, 1);
}

void smtpc_put_group_label(struct smtpc_buf *b, struct smtpc_words *w, const smtpc_code *code,
                           int with_kind)
{
    int basic = code->kind == SMTPC_KIND_BASIC;
    int kind = basic ? SMTPC_GROUP_CATEGORY : SMTPC_GROUP_SUBJECT;
    const smtpc_group *g = smtpc_group_find(w->db, kind, code->category);
    const struct smtpc_lazy_arg group = {"group", with_kind ? put_group_kind : put_group_digits,
                                         code};
    const struct smtpc_arg name = {"name", smtpc_say_group(w, kind, g, SMTPC_GROUP_NAME)};
    int t = g != NULL ? SMTPC_T_GROUP_NAMED
            : basic   ? SMTPC_T_CATEGORY_UNDEFINED
                      : SMTPC_T_SUBJECT_UNDEFINED;
    smtpc_put_template_lazy(b, w, t, &name, 1, &group, 1);
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

const char *smtpc_retry_phrase(struct smtpc_words *w, int retry)
{
    switch (retry) {
    case SMTPC_RETRY_NONE: return smtpc_say_template(w, SMTPC_T_RETRY_NONE);
    case SMTPC_RETRY_LATER: return smtpc_say_template(w, SMTPC_T_RETRY_LATER);
    case SMTPC_RETRY_AFTER_FIX: return smtpc_say_template(w, SMTPC_T_RETRY_AFTER_FIX);
    case SMTPC_RETRY_NO: return smtpc_say_template(w, SMTPC_T_RETRY_NO);
    default: return smtpc_say_template(w, SMTPC_T_RETRY_UNKNOWN);
    }
}

const char *smtpc_connection_phrase(struct smtpc_words *w, int connection)
{
    switch (connection) {
    case SMTPC_CONNECTION_KEPT: return smtpc_say_template(w, SMTPC_T_CONNECTION_KEPT);
    case SMTPC_CONNECTION_CLOSED: return smtpc_say_template(w, SMTPC_T_CONNECTION_CLOSED);
    case SMTPC_CONNECTION_MAY_CLOSE: return smtpc_say_template(w, SMTPC_T_CONNECTION_MAY_CLOSE);
    default: return "";
    }
}

const char *smtpc_origin_phrase(struct smtpc_words *w, int origin, int as_fact)
{
    switch (origin) {
    case SMTPC_ORIGIN_RFC:
        return smtpc_say_template(w, as_fact ? SMTPC_T_ORIGIN_FACT_RFC : SMTPC_T_ORIGIN_RFC);
    case SMTPC_ORIGIN_REGISTRY:
        return smtpc_say_template(w, as_fact ? SMTPC_T_ORIGIN_FACT_REGISTRY
                                             : SMTPC_T_ORIGIN_REGISTRY);
    case SMTPC_ORIGIN_NONSTANDARD:
        return smtpc_say_template(w, as_fact ? SMTPC_T_ORIGIN_FACT_NONSTANDARD
                                             : SMTPC_T_ORIGIN_NONSTANDARD);
    case SMTPC_ORIGIN_PROVIDER:
        return smtpc_say_template(w, as_fact ? SMTPC_T_ORIGIN_FACT_PROVIDER
                                             : SMTPC_T_ORIGIN_PROVIDER);
    default: return smtpc_say_template(w, SMTPC_T_ORIGIN_UNKNOWN);
    }
}

/* A command or phase token of the data file, in prose. */
static void put_command(struct smtpc_buf *b, struct smtpc_words *w, const char *token,
                        size_t len)
{
    if (len == 7 && memcmp(token, "CONNECT", 7) == 0)
        smtpc_buf_puts(b, smtpc_say_template(w, SMTPC_T_COMMAND_CONNECT));
    else if (len == 8 && memcmp(token, "DATA-END", 8) == 0)
        smtpc_buf_puts(b, smtpc_say_template(w, SMTPC_T_COMMAND_DATA_END));
    else if (len == 3 && memcmp(token, "ANY", 3) == 0)
        smtpc_buf_puts(b, smtpc_say_template(w, SMTPC_T_COMMAND_ANY));
    else
        smtpc_buf_append(b, token, len);
}

void smtpc_put_commands(struct smtpc_buf *b, struct smtpc_words *w, const char *commands)
{
    smtpc_put_list_words(b, w, commands, " ", SMTPC_T_LIST_AND, put_command);
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

void smtpc_put_reference(struct smtpc_buf *b, struct smtpc_words *w, const char *ref, size_t len)
{
    static const char section[] = " section ";
    const size_t section_len = sizeof section - 1;
    if (len == 13 && memcmp(ref, "IANA registry", 13) == 0) {
        smtpc_buf_puts(b, smtpc_say_template(w, SMTPC_T_DOCUMENT_IANA));
        return;
    }
    /* "RFC 5321 section 4.2.3" (the data file's form, docs/data-format.md): the document and
     * its section, as the language says them */
    size_t at = 4;
    while (at < len && smtpc_is_digit(ref[at]))
        at++;
    char document[16], number[32];
    if (len <= 4 || memcmp(ref, "RFC ", 4) != 0 || at == 4 || at >= sizeof document ||
        len - at <= section_len || len - at - section_len >= sizeof number ||
        memcmp(ref + at, section, section_len) != 0) {
        smtpc_buf_append(b, ref, len);
        return;
    }
    size_t n = len - at - section_len;
    struct smtpc_frame f;
    if (smtpc_template_frame(w, SMTPC_T_REFERENCE_SECTION, "document", "section", &f)) {
        /* nearly every language: the two parts of the reference with words around them */
        const char *part[2] = {ref, ref + at + section_len};
        size_t part_len[2] = {at, n};
        smtpc_buf_append(b, f.text[0], f.len[0]);
        smtpc_buf_append(b, part[f.second_first], part_len[f.second_first]);
        smtpc_buf_append(b, f.text[1], f.len[1]);
        smtpc_buf_append(b, part[!f.second_first], part_len[!f.second_first]);
        smtpc_buf_append(b, f.text[2], f.len[2]);
        return;
    }
    memcpy(document, ref, at);
    document[at] = '\0';
    memcpy(number, ref + at + section_len, n);
    number[n] = '\0';
    const struct smtpc_arg args[] = {{"document", document}, {"section", number}};
    smtpc_put_template(b, w, SMTPC_T_REFERENCE_SECTION, args, 2);
}
