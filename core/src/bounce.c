/*
 * bounce.c - what comes back after a message is sent: delivery status notifications (RFC 3464,
 * RFC 6533), feedback reports (RFC 5965) and automatic replies (RFC 3834), each read into one
 * record per recipient with the reason of its failure (smtpc_reason_decide()). The message is
 * read by mime.c; the records' strings live in one arena owned by the smtpc_bounce.
 */
#include "internal.h"
#include "formats/formats.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct smtpc_bounce {
    int kind;
    smtpc_bounce_record *records;
    size_t n_records;
    size_t cap_records;
    struct smtpc_arena *arena;
    const smtpc_db *db; /* that decided the reasons, whose words the records are said in */
};

/* ---- what the walk over the parts finds ---- */

/* The report, the message it belongs to, and the message it returns. */
struct finding {
    int kind;                     /* of the report; 0 before one is found */
    const char *report;           /* its body, decoded */
    size_t report_len;
    const char *report_message;   /* the header of the message that holds the report */
    size_t report_message_len;
    unsigned long report_parent;  /* the part that holds the report */
    unsigned long returned_part;  /* the message/rfc822 part beside it, or SMTPC_MIME_NO_PARENT */
    const char *returned;         /* the header of the returned message, or NULL */
    size_t returned_len;
    const char *top;              /* the header of the message itself */
    size_t top_len;
    int top_is_report;            /* the message itself is a multipart/report */
    struct smtpc_mime_part notification; /* the last text/plain part before the report */
    int has_notification;
    unsigned long attached_part;  /* before a report, the first message/rfc822 part, or
                                     SMTPC_MIME_NO_PARENT */
    const char *attached;         /* the header of the message it holds, or of the first
                                     text/rfc822-headers part, or NULL: the message a bounce
                                     without a report returns as an attachment */
    size_t attached_len;
    struct smtpc_mime_part text;  /* the first text/plain part, else the first text/html */
    int has_text;                 /* 0, 1 for text/html, 2 for text/plain */
    smtpc_error *err;
};

static int part_is(const struct smtpc_mime_part *p, const char *type)
{
    return smtpc_mime_is(p->type, p->type_len, type);
}

/* The kind of report a part is, by its media type, or 0. */
static int report_kind(const struct smtpc_mime_part *p)
{
    if (part_is(p, "message/delivery-status")) /* RFC 3464 section 2.1 */
        return SMTPC_BOUNCE_DSN;
    if (part_is(p, "message/global-delivery-status")) /* RFC 6533 */
        return SMTPC_BOUNCE_GLOBAL_DSN;
    if (part_is(p, "message/feedback-report")) /* RFC 5965 section 3 */
        return SMTPC_BOUNCE_FEEDBACK;
    return 0;
}

/* The third part of a report returns the message, whole or its header only (RFC 6522 section
 * 3; RFC 6533 for the UTF-8 forms). */
static int returns_whole_message(const struct smtpc_mime_part *p)
{
    return part_is(p, "message/rfc822") || part_is(p, "message/global");
}

static int returns_header(const struct smtpc_mime_part *p)
{
    return part_is(p, "text/rfc822-headers") || part_is(p, "message/global-headers");
}

/* The first report of the message, in the order of the text, and the returned message that
 * follows it in the same multipart. */
static int visit_part(void *ctx, struct smtpc_mime *m, const struct smtpc_mime_part *p)
{
    struct finding *f = ctx;
    if (p->index == 0) {
        f->top = p->header;
        f->top_len = p->header_len;
        f->top_is_report = part_is(p, "multipart/report");
    }
    if (f->has_text < 2 && (part_is(p, "text/plain") || (!f->has_text && part_is(p, "text/html")))) {
        f->text = *p;
        f->has_text = part_is(p, "text/plain") ? 2 : 1;
    }
    if (f->kind == 0) {
        f->kind = report_kind(p);
        if (f->kind == 0 && part_is(p, "text/plain")) {
            f->notification = *p;
            f->has_notification = 1;
        }
        if (f->kind == 0) {
            if (f->attached_part == SMTPC_MIME_NO_PARENT && returns_whole_message(p)) {
                f->attached_part = p->index;
            } else if (f->attached == NULL && returns_header(p)) {
                return smtpc_mime_body(&f->attached, &f->attached_len, m, p, f->err);
            } else if (f->attached == NULL && f->attached_part != SMTPC_MIME_NO_PARENT &&
                       p->parent == f->attached_part && p->starts_message) {
                f->attached = p->header;
                f->attached_len = p->header_len;
            }
            return 0;
        }
        /* the notification is the part before the report in its multipart (RFC 6522
         * section 3) */
        f->has_notification &= f->notification.parent == p->parent;
        f->report_parent = p->parent;
        f->report_message = p->message_header;
        f->report_message_len = p->message_header_len;
        return smtpc_mime_body(&f->report, &f->report_len, m, p, f->err);
    }
    if (f->returned != NULL)
        return 0;
    if (p->parent == f->report_parent && returns_whole_message(p)) {
        f->returned_part = p->index;
    } else if (p->parent == f->report_parent && returns_header(p)) {
        return smtpc_mime_body(&f->returned, &f->returned_len, m, p, f->err);
    } else if (p->parent == f->returned_part && p->starts_message) {
        f->returned = p->header;
        f->returned_len = p->header_len;
    }
    return 0;
}

/* ---- keeping values ---- */

/* One message being read: the bounce being filled, the facts of the message as a whole,
 * which every record repeats, and a buffer for the value at hand. */
struct reader {
    smtpc_bounce *bounce;
    const smtpc_db *db;
    smtpc_bounce_record facts;
    const char *sender; /* the address of the bounce's From, or "" */
    struct smtpc_buf value;
    int failed; /* memory ran out */
};

/* A copy of `len` bytes in the bounce's arena, or NULL when there is nothing to copy or no
 * memory (noted). */
static char *copy_of(struct reader *r, const char *s, size_t len)
{
    if (len == 0)
        return NULL;
    char *copy = smtpc_arena_strndup(r->bounce->arena, s, len);
    r->failed |= copy == NULL;
    return copy;
}

static const char *keep(struct reader *r, const char *s, size_t len)
{
    const char *copy = copy_of(r, s, len);
    return copy != NULL ? copy : "";
}

/* Keeps text a reader found in the body as one line of valid UTF-8 without control
 * characters, as a header field's value is kept. */
static const char *keep_text(struct reader *r, const char *s, size_t len)
{
    r->value.len = 0;
    smtpc_mime_put_value(&r->value, s, len, 0);
    r->failed |= r->value.failed;
    return r->value.failed ? "" : keep(r, r->value.data, r->value.len);
}

/* Keeps a word that is case-insensitive (a DSN's types, RFC 3464 section 2.1.2) in lower
 * case, so that it has one spelling. */
static const char *keep_lower(struct reader *r, const char *s, size_t len)
{
    char *copy = copy_of(r, s, len);
    for (size_t i = 0; copy != NULL && i < len; i++)
        copy[i] = smtpc_to_lower(copy[i]);
    return copy != NULL ? copy : "";
}

static void clear_record(smtpc_bounce_record *rec, int kind)
{
    static const smtpc_bounce_record empty = {
        .recipient = "",         .original_recipient = "", .enhanced = "",
        .reason = {"", -1, "", "", 0},
        .diagnostic = "",        .diagnostic_type = "",    .command = "",
        .remote_mta = "",        .reporting_mta = "",      .arrival_date = "",
        .last_attempt_date = "", .will_retry_until = "",   .queue_id = "",
        .message_id = "",        .original_date = "",      .return_path = "",
        .subject = "",           .feedback_type = "",      .format = "",
        .provider = "",
    };
    *rec = empty;
    rec->kind = kind;
}

/* The string field of a record at `offset`, as the tables below name it. */
static const char **slot(smtpc_bounce_record *rec, size_t offset)
{
    return (const char **)(void *)((char *)rec + offset);
}

/* The white space around text; nothing is left of text that is all white space. */
static void trim(const char **s, size_t *len)
{
    while (*len > 0 && **s == ' ') {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && (*s)[*len - 1] == ' ')
        (*len)--;
}

/* "type; value" (RFC 3464 section 2.1.2): splits off the type, an atom, or "" when there is
 * none ("554 Service unavailable; ..." is a value without a type). */
static void split_type(const char *s, size_t len, const char **type, size_t *type_len,
                       const char **value, size_t *value_len)
{
    const char *semicolon = memchr(s, ';', len);
    *type = s;
    *type_len = semicolon != NULL ? (size_t)(semicolon - s) : 0;
    trim(type, type_len);
    if (memchr(*type, ' ', *type_len) != NULL) {
        *type_len = 0;
        semicolon = NULL;
    }
    *value = semicolon != NULL ? semicolon + 1 : s;
    *value_len = len - (size_t)(*value - s);
    trim(value, value_len);
}

/* The address in "Name <bob@example.org>" or "<bob@example.org>": what the angle brackets
 * hold, when there are some (RFC 5322 section 3.4). */
static void strip_angle_brackets(const char **s, size_t *len)
{
    const char *open = memchr(*s, '<', *len);
    if (open == NULL)
        return;
    const char *close = memchr(open, '>', *len - (size_t)(open - *s));
    size_t end = close != NULL ? (size_t)(close - *s) : *len;
    *len = end - (size_t)(open + 1 - *s);
    *s = open + 1;
    trim(s, len);
}

/* Takes the first address off the list `*list` ("Henry <henry@example.org>, b@example.org",
 * RFC 5322 section 3.4): `*address` is what runs up to the first comma outside quotes and angle
 * brackets, without its display name, and the list goes on after that comma. 0 when the list
 * is empty. */
static int next_address(const char **list, size_t *list_len, const char **address,
                        size_t *address_len)
{
    if (*list_len == 0)
        return 0;
    int quoted = 0, bracketed = 0;
    size_t at = 0;
    for (; at < *list_len && (quoted || bracketed || (*list)[at] != ','); at++) {
        char c = (*list)[at];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '<' || c == '>'))
            bracketed = c == '<';
    }
    *address = *list;
    *address_len = at;
    strip_angle_brackets(address, address_len);
    trim(address, address_len);
    size_t next = at < *list_len ? at + 1 : at;
    *list += next;
    *list_len -= next;
    return 1;
}

/* The first address of a list, as next_address() takes it. */
static void first_address(const char **s, size_t *len)
{
    const char *list = *s;
    size_t list_len = *len;
    if (!next_address(&list, &list_len, s, len))
        *len = 0;
}

/* Keeps an address of type "utf-8" (RFC 6533 section 3) as UTF-8. */
static const char *keep_utf8_address(struct reader *r, const char *s, size_t len)
{
    struct smtpc_buf b;
    smtpc_buf_init(&b);
    smtpc_mime_put_embedded_unicode(&b, s, len);
    const char *kept = b.failed ? "" : keep(r, b.data, b.len);
    r->failed |= b.failed;
    smtpc_buf_free(&b);
    return kept;
}

/* ---- the fields of reports and headers ---- */

/* How a field's value is kept. */
enum value_kind {
    VALUE_TEXT,       /* as written: a date, a queue ID, a Message-ID */
    VALUE_TYPED,      /* "dns; mx.example.org": the value after its type */
    VALUE_ADDRESS,    /* "rfc822; <bob@example.org>": the address alone */
    VALUE_MESSAGE_ID, /* "<id@example.org>": what the angle brackets hold */
    VALUE_DIAGNOSTIC, /* "smtp; 550 ...": the text, and its type in diagnostic_type */
    VALUE_ACTION,     /* "failed": the record's action */
    VALUE_STATUS      /* "5.1.1": the record's enhanced code, when it is one */
};

/* A field a record is read from: its name, where it goes, how; and whether it is about the
 * message as a whole rather than one recipient (RFC 3464 section 2.2). */
struct field_rule {
    const char *name;
    size_t offset;
    enum value_kind kind;
    int per_message;
};

#define AT(field) offsetof(smtpc_bounce_record, field)

/* RFC 3464 section 2.2 (per message) and 2.3 (per recipient); RFC 6533 uses the same
 * fields. X-Postfix-Sender names the envelope sender. */
static const struct field_rule dsn_fields[] = {
    {"Reporting-MTA", AT(reporting_mta), VALUE_TYPED, 1},
    {"Arrival-Date", AT(arrival_date), VALUE_TEXT, 1},
    {"X-Postfix-Queue-ID", AT(queue_id), VALUE_TEXT, 1},
    {"X-Postfix-Sender", AT(return_path), VALUE_ADDRESS, 1},
    {"Original-Recipient", AT(original_recipient), VALUE_ADDRESS, 0},
    {"Final-Recipient", AT(recipient), VALUE_ADDRESS, 0},
    {"Action", AT(action), VALUE_ACTION, 0},
    {"Status", AT(enhanced), VALUE_STATUS, 0},
    {"Remote-MTA", AT(remote_mta), VALUE_TYPED, 0},
    {"Diagnostic-Code", AT(diagnostic), VALUE_DIAGNOSTIC, 0},
    {"Last-Attempt-Date", AT(last_attempt_date), VALUE_TEXT, 0},
    {"Will-Retry-Until", AT(will_retry_until), VALUE_TEXT, 0},
};

/* RFC 5965 section 3; Received-Date is what earlier versions of the format called
 * Arrival-Date. Source-IP, the host that sent the reported message to the reporting MTA, is
 * the other end of that MTA's session: its remote MTA. */
static const struct field_rule feedback_fields[] = {
    {"Feedback-Type", AT(feedback_type), VALUE_TEXT, 1},
    {"Original-Rcpt-To", AT(recipient), VALUE_ADDRESS, 1},
    {"Original-Mail-From", AT(return_path), VALUE_ADDRESS, 1},
    {"Arrival-Date", AT(arrival_date), VALUE_TEXT, 1},
    {"Received-Date", AT(arrival_date), VALUE_TEXT, 1},
    {"Reporting-MTA", AT(reporting_mta), VALUE_TYPED, 1},
    {"Source-IP", AT(remote_mta), VALUE_TEXT, 1},
};

/* The header of the returned message (RFC 5322 section 3.6). */
static const struct field_rule returned_fields[] = {
    {"Message-ID", AT(message_id), VALUE_MESSAGE_ID, 1},
    {"Date", AT(original_date), VALUE_TEXT, 1},
    {"Return-Path", AT(return_path), VALUE_ADDRESS, 1},
};

/* The facts of the message as a whole, which each of its records repeats. */
static const size_t message_facts[] = {
    AT(reporting_mta), AT(arrival_date), AT(queue_id),    AT(return_path),
    AT(message_id),    AT(original_date), AT(subject),
};

/* An automatic reply names the message it answers (RFC 3834 section 3.1.3). */
static const struct field_rule reply_fields[] = {
    {"In-Reply-To", AT(message_id), VALUE_MESSAGE_ID, 1},
};

#define RULES(table) table, sizeof table / sizeof table[0]

static const struct field_rule queue_id_rule = {"", AT(queue_id), VALUE_TEXT, 1};

/* The rule of field `f`; a queue ID under another MTA's name ("X-Exim-Queue-ID") is one. */
static const struct field_rule *rule_of(const struct field_rule *rules, size_t n,
                                        const struct smtpc_mime_field *f)
{
    for (size_t i = 0; i < n; i++) {
        if (smtpc_mime_is(f->name, f->name_len, rules[i].name))
            return &rules[i];
    }
    static const char suffix[] = "-queue-id";
    size_t sn = sizeof suffix - 1;
    if (rules == dsn_fields && f->name_len > sn &&
        smtpc_mime_is(f->name + f->name_len - sn, sn, suffix))
        return &queue_id_rule;
    return NULL;
}

/* The DSN action named by `s`, or SMTPC_DSN_NONE. */
static int dsn_action(const char *s, size_t len)
{
    const char *token;
    size_t n = smtpc_mime_token(&token, s, len);
    for (size_t i = 0; i < smtpc_enum_count(SMTPC_ENUM_DSN_ACTION); i++) {
        int value;
        const char *name;
        smtpc_enum_at(&value, &name, SMTPC_ENUM_DSN_ACTION, i);
        if (smtpc_mime_is(token, n, name))
            return value;
    }
    return SMTPC_DSN_NONE;
}

/* An enhanced status code with its class (RFC 3463 section 2), in its canonical form, or "". */
static const char *keep_enhanced(struct reader *r, const char *s, size_t len)
{
    smtpc_code code;
    char text[SMTPC_CODE_TEXT_SIZE];
    if (smtpc_code_parse(&code, s, len, NULL) != 0 || code.kind != SMTPC_KIND_ENHANCED ||
        code.klass == 0 || smtpc_code_format(text, &code) != 0)
        return "";
    return keep(r, text, strlen(text));
}

/* Sets the field `rule` names in `rec` from the value of `f`, unless a field before it did. */
static void read_field(struct reader *r, smtpc_bounce_record *rec, const struct field_rule *rule,
                       const struct smtpc_mime_field *f)
{
    if (rule->kind == VALUE_ACTION) {
        if (rec->action == SMTPC_DSN_NONE)
            rec->action = dsn_action(f->value, f->value_len);
        return;
    }
    const char **to = slot(rec, rule->offset);
    if (**to != '\0')
        return;
    r->value.len = 0;
    smtpc_mime_put_value(&r->value, f->value, f->value_len, 0);
    r->failed |= r->value.failed;
    const char *s = r->value.data != NULL ? r->value.data : "";
    size_t len = r->value.len;
    const char *type = "";
    size_t type_len = 0;
    if (rule->kind == VALUE_STATUS) {
        const char *token;
        size_t n = smtpc_mime_token(&token, s, len);
        *to = keep_enhanced(r, token, n);
        return;
    }
    if (rule->kind != VALUE_TEXT && rule->kind != VALUE_MESSAGE_ID)
        split_type(s, len, &type, &type_len, &s, &len);
    if (rule->kind == VALUE_ADDRESS || rule->kind == VALUE_MESSAGE_ID)
        strip_angle_brackets(&s, &len);
    *to = rule->kind == VALUE_ADDRESS && smtpc_mime_is(type, type_len, "utf-8")
              ? keep_utf8_address(r, s, len)
              : keep(r, s, len);
    if (rule->kind == VALUE_DIAGNOSTIC)
        rec->diagnostic_type = keep_lower(r, type, type_len);
}

/* Reads the fields of a header or of a report's blocks that `rules` name into `rec`. */
static void read_fields(struct reader *r, smtpc_bounce_record *rec, const struct field_rule *rules,
                        size_t n, const char *s, size_t len)
{
    struct smtpc_mime_field f;
    for (size_t at = 0; at < len;) {
        if (!smtpc_mime_next_field(&f, s, len, &at))
            continue;
        const struct field_rule *rule = rule_of(rules, n, &f);
        if (rule != NULL)
            read_field(r, rec, rule, &f);
    }
}

/* ---- records ---- */

static int add_record(struct reader *r, size_t *index, int kind, smtpc_error *err)
{
    smtpc_bounce *b = r->bounce;
    if (b->n_records == SMTPC_BOUNCE_MAX_RECIPIENTS)
        return smtpc_set_error(err, SMTPC_ELIMIT, "", 0, 0,
                               "more than %d recipients in one message "
                               "(SMTPC_BOUNCE_MAX_RECIPIENTS)",
                               SMTPC_BOUNCE_MAX_RECIPIENTS);
    if (b->n_records == b->cap_records) {
        smtpc_bounce_record *grown =
            smtpc_array_grow(b->records, &b->cap_records, sizeof *grown, 4);
        if (grown == NULL)
            return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
        b->records = grown;
    }
    *index = b->n_records++;
    clear_record(&b->records[*index], kind);
    return 0;
}

enum { NO_RECORD = -1 };

/* Whether `rule` starts the next recipient inside a block: some reports list recipients
 * without the empty line between them that RFC 3464 section 2.1 asks for. A second
 * Final-Recipient or Original-Recipient starts one; the two come in either order. */
static int starts_recipient(const struct field_rule *rule, smtpc_bounce_record *rec)
{
    if (rule->offset == AT(recipient) || rule->offset == AT(original_recipient))
        return **slot(rec, rule->offset) != '\0';
    return 0;
}

/* Reads a delivery-status body (RFC 3464 section 2.1): a block of per-message fields, then a
 * block per recipient, blocks separated by empty lines. A recipient block without
 * Final-Recipient is named by its Original-Recipient; one with neither is about no recipient
 * and is dropped. */
static int read_delivery_status(struct reader *r, const char *s, size_t len, smtpc_error *err)
{
    smtpc_bounce *b = r->bounce;
    long current = NO_RECORD;
    struct smtpc_mime_field f;
    for (size_t at = 0; at < len;) {
        if (!smtpc_mime_next_field(&f, s, len, &at)) {
            current = NO_RECORD;
            continue;
        }
        const struct field_rule *rule = rule_of(RULES(dsn_fields), &f);
        if (rule == NULL)
            continue;
        if (rule->per_message) {
            read_field(r, &r->facts, rule, &f);
            continue;
        }
        if (current != NO_RECORD && starts_recipient(rule, &b->records[current]))
            current = NO_RECORD;
        if (current == NO_RECORD) {
            size_t index;
            int rc = add_record(r, &index, b->kind, err);
            if (rc != 0)
                return rc;
            current = (long)index;
        }
        read_field(r, &b->records[current], rule, &f);
    }
    size_t kept = 0;
    for (size_t i = 0; i < b->n_records; i++) {
        smtpc_bounce_record *rec = &b->records[i];
        if (rec->recipient[0] == '\0')
            rec->recipient = rec->original_recipient;
        if (rec->recipient[0] != '\0')
            b->records[kept++] = *rec;
    }
    b->n_records = kept;
    return 0;
}

/* ---- automatic replies (RFC 3834) ---- */

/* Whether header field `f` marks an automatic reply: "Auto-Submitted: auto-replied" (RFC 3834
 * section 5.2), or what autoresponders that predate it write: X-Autoreply, X-Autorespond,
 * "Precedence: auto_reply". "auto-generated" is not a reply to anything, and a DSN, which is
 * one, is recognised before this is asked. */
static int marks_auto_reply(const struct smtpc_mime_field *f)
{
    const char *token;
    size_t n = smtpc_mime_token(&token, f->value, f->value_len);
    if (smtpc_mime_is(f->name, f->name_len, "Auto-Submitted"))
        return smtpc_mime_is(token, n, "auto-replied");
    if (smtpc_mime_is(f->name, f->name_len, "Precedence"))
        return smtpc_mime_is(token, n, "auto_reply");
    return smtpc_mime_is(f->name, f->name_len, "X-Autoreply") ||
           smtpc_mime_is(f->name, f->name_len, "X-Autorespond");
}

/* The field, "Name: value", that marks `header` as an automatic reply, kept, or NULL. */
static const char *auto_reply_mark(struct reader *r, const char *header, size_t len)
{
    struct smtpc_mime_field f;
    for (size_t at = 0; smtpc_mime_next_field(&f, header, len, &at);) {
        if (!marks_auto_reply(&f))
            continue;
        r->value.len = 0;
        smtpc_buf_append(&r->value, f.name, f.name_len);
        smtpc_buf_append(&r->value, ": ", 2);
        smtpc_mime_put_value(&r->value, f.value, f.value_len, 0);
        r->failed |= r->value.failed;
        return r->value.failed ? "" : keep(r, r->value.data, r->value.len);
    }
    return NULL;
}

/* The first address of the field `name` of `header` (From, To), or "". */
static const char *address_in(struct reader *r, const char *header, size_t len, const char *name)
{
    const char *value;
    size_t value_len;
    if (header == NULL || !smtpc_mime_find_field(&value, &value_len, header, len, name))
        return "";
    r->value.len = 0;
    smtpc_mime_put_value(&r->value, value, value_len, 1);
    r->failed |= r->value.failed;
    const char *s = r->value.data != NULL ? r->value.data : "";
    size_t n = r->value.len;
    first_address(&s, &n);
    return keep(r, s, n);
}

/* ---- what a diagnostic says ---- */

/* What a diagnostic says: its reply code, enhanced code and the command it answered. */
struct diagnosis {
    int code;
    const char *enhanced; /* kept, or "" */
    const char *command;  /* static, or "" */
};

/* Whether s[i] starts a word: the text before it is no letter, digit or ".". */
static int starts_word(const char *s, size_t i)
{
    char c = i > 0 ? s[i - 1] : ' ';
    return !(smtpc_is_digit(c) || smtpc_is_upper(c) || smtpc_is_lower(c) || c == '.');
}

/* The three digits at s[i] as a number. */
static int code_at(const char *s, size_t i)
{
    return (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
}

/* Whether a failure's reply code, 4yz or 5yz, stands at s[i] as a word of its own, followed by
 * a space, a "-" or the end. */
static int failure_code_at(const char *s, size_t len, size_t i)
{
    return i + 3 <= len && starts_word(s, i) && (s[i] == '4' || s[i] == '5') &&
           smtpc_is_digit(s[i + 1]) && smtpc_is_digit(s[i + 2]) &&
           (i + 3 == len || s[i + 3] == ' ' || s[i + 3] == '-');
}

/* The command the last line of a reply flattened onto one line names: the final line is the
 * last "550 " after a space, and the reply parser reads its "(in reply to ... command)". */
static const char *command_of_last_line(const smtpc_db *db, int code, const char *s, size_t len)
{
    for (size_t i = len; i-- > 0;) {
        int final_line = failure_code_at(s, len, i) && (i == 0 || s[i - 1] == ' ') &&
                         i + 3 < len && s[i + 3] == ' ';
        if (!final_line || code_at(s, i) != code)
            continue;
        smtpc_reply *reply = NULL;
        size_t used;
        const char *command = "";
        if (smtpc_reply_parse(&reply, &used, db, s + i, len - i,
                              SMTPC_REPLY_EMBEDDED | SMTPC_REPLY_COMPLETE, NULL) == 0) {
            const char *name = smtpc_reply_command(reply);
            command = name[0] != '\0' ? smtpc_command_find(name, strlen(name)) : "";
        }
        smtpc_reply_free(reply);
        return command != NULL ? command : "";
    }
    return "";
}

/* A diagnostic the reply parser cannot read, such as a multi-line reply flattened onto one
 * line ("550-5.1.1 a 550-5.1.1 b 550 5.1.1 c"): the first failure code and the first enhanced
 * code that stand as words of their own, and the command of the last line. */
static void read_codes_in_words(struct diagnosis *d, struct reader *r, const char *s,
                                size_t len)
{
    for (size_t i = 0; i < len && (d->code == 0 || d->enhanced[0] == '\0'); i++) {
        if (d->code == 0 && failure_code_at(s, len, i))
            d->code = code_at(s, i);
        size_t n = d->enhanced[0] == '\0' && starts_word(s, i)
                       ? smtpc_enhanced_prefix(s + i, len - i)
                       : 0;
        if (n > 0)
            d->enhanced = keep_enhanced(r, s + i, n);
    }
    if (d->code != 0)
        d->command = command_of_last_line(r->db, d->code, s, len);
}

/* Reads the reply in a diagnostic with the reply parser (in a log or bounce line, after
 * "said: " or at the start), else word by word. */
static int diagnose(struct diagnosis *d, struct reader *r, const char *s, size_t len,
                    smtpc_error *err)
{
    d->code = 0;
    d->enhanced = "";
    d->command = "";
    smtpc_reply *reply = NULL;
    size_t used;
    int rc = smtpc_reply_parse(&reply, &used, r->db, s, len,
                               SMTPC_REPLY_EMBEDDED | SMTPC_REPLY_COMPLETE, NULL);
    if (rc == SMTPC_ENOMEM)
        return smtpc_set_error(err, rc, "", 0, 0, "out of memory");
    if (rc != 0) {
        read_codes_in_words(d, r, s, len);
        return 0;
    }
    const char *enhanced = smtpc_reply_enhanced(reply);
    const char *command = smtpc_reply_command(reply);
    d->code = smtpc_reply_code(reply);
    d->enhanced = keep_enhanced(r, enhanced, strlen(enhanced));
    d->command = command[0] != '\0' ? smtpc_command_find(command, strlen(command)) : "";
    if (d->command == NULL)
        d->command = "";
    smtpc_reply_free(reply);
    return 0;
}

/* ---- the command a notification names ---- */

/* A diagnostic seldom names the command its reply answered; the notification, the text part
 * before the report, often does, in the paragraph about the recipient: Postfix's "said: 550
 * ... (in reply to RCPT TO command)", Exim's "SMTP error from remote mail server after RCPT
 * TO:<a@example.org>:", Sendmail's transcript ">>> RCPT To:<a@example.org>" then "<<< 550".
 * A paragraph that names a command lends it to each address it mentions. */
struct mention {
    const char *address;
    size_t len;
    size_t order;        /* mentions in the order of the text: the first one counts */
    const char *command; /* static */
};

struct mentions {
    struct mention *items;
    size_t n, cap;
};

/* The command sent in `len` bytes of a transcript or of Exim's "after ..."; "." ends the
 * message data (RFC 5321 section 4.1.1.4). NULL for no command. */
static const char *sent_command(const char *s, size_t len)
{
    const char *name = NULL;
    if (len == 1 && s[0] == '.')
        return "DATA-END";
    return smtpc_command_parse(&name, s, len, NULL) == 0 ? name : NULL;
}

/* The command of a transcript: the last line sent (">>> ") before the first failure received
 * ("<<< " and a 4yz or 5yz reply), or NULL. */
static const char *transcript_command(const char *s, size_t len)
{
    const char *sent = NULL;
    size_t sent_len = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(s + at, '\n', len - at);
        size_t end = nl != NULL ? (size_t)(nl - s) : len;
        size_t n = end > at && s[end - 1] == '\r' ? end - 1 - at : end - at;
        if (n > 4 && memcmp(s + at, ">>> ", 4) == 0) {
            sent = s + at + 4;
            sent_len = n - 4;
        } else if (n > 4 && memcmp(s + at, "<<< ", 4) == 0 &&
                   (s[at + 4] == '4' || s[at + 4] == '5')) {
            return sent != NULL ? sent_command(sent, sent_len) : NULL;
        }
        at = end < len ? end + 1 : len;
    }
    return NULL;
}

/* The offset of `word` in s[0..len), or `len` when it is not there. */
static size_t find(const char *s, size_t len, const char *word)
{
    return smtpc_find_phrase(s, len, word, strlen(word));
}

/* The command a paragraph, unfolded, names in words, or NULL. */
static const char *worded_command(const smtpc_db *db, const char *s, size_t len)
{
    /* Postfix: the reply after "said: " ends in "(in reply to ... command)", which the reply
     * parser reads */
    smtpc_reply *reply = NULL;
    size_t used;
    const char *command = NULL;
    if (smtpc_reply_parse(&reply, &used, db, s, len, SMTPC_REPLY_EMBEDDED | SMTPC_REPLY_COMPLETE,
                          NULL) == 0) {
        const char *name = smtpc_reply_command(reply);
        command = name[0] != '\0' ? smtpc_command_find(name, strlen(name)) : NULL;
    }
    smtpc_reply_free(reply);
    /* a multi-line reply flattened into the paragraph: the command of its last line */
    for (size_t i = 0; command == NULL && i < len; i++) {
        if (failure_code_at(s, len, i))
            command = command_of_last_line(db, code_at(s, i), s, len);
    }
    if (command != NULL && command[0] != '\0')
        return command;
    /* a refused greeting, as Postfix and Exim word it */
    if (find(s, len, "refused to talk to me") < len ||
        find(s, len, "after initial connection") < len)
        return "CONNECT";
    /* Exim: "after RCPT TO:<a@example.org>: 550 ...", "after end of data: 550 ..." */
    static const char after[] = "error from remote mail server after ";
    size_t at = find(s, len, after);
    if (at == len)
        return NULL;
    at += sizeof after - 1;
    if (len - at > 10 && memcmp(s + at, "pipelined ", 10) == 0)
        at += 10;
    return sent_command(s + at, find(s + at, len - at, ": "));
}

/* Adds the addresses a paragraph mentions with `command`: its words that hold an "@", without
 * the brackets and punctuation around them. */
/* Whether `c` ends an address in running text. */
static int ends_address(char c)
{
    switch (c) {
    case ' ': case '\t': case '\r': case '\n': case '<': case '>': case '(': case ')': case '[':
    case ']': case ',': case ';': case ':': case '"': case '\'': case '\0':
        return 1;
    default:
        return 0;
    }
}

static int add_mentions(struct mentions *list, const char *s, size_t len, const char *command)
{
    for (size_t at = 0; at < len; at++) {
        size_t start = at;
        while (at < len && !ends_address(s[at]))
            at++;
        size_t end = at;
        while (end > start && s[end - 1] == '.')
            end--;
        if (end == start || memchr(s + start, '@', end - start) == NULL)
            continue;
        if (list->n == list->cap) {
            struct mention *grown = smtpc_array_grow(list->items, &list->cap, sizeof *grown, 16);
            if (grown == NULL)
                return SMTPC_ENOMEM;
            list->items = grown;
        }
        struct mention m = {s + start, end - start, list->n, command};
        list->items[list->n++] = m;
    }
    return 0;
}

static int read_paragraph(struct reader *r, struct mentions *list, const char *s, size_t len)
{
    if (memchr(s, '@', len) == NULL)
        return 0; /* it mentions no address: its command would go to no record */
    const char *command = transcript_command(s, len);
    if (command == NULL) {
        r->value.len = 0;
        smtpc_mime_put_value(&r->value, s, len, 0);
        r->failed |= r->value.failed;
        if (r->value.len > 0 && !r->value.failed)
            command = worded_command(r->db, r->value.data, r->value.len);
    }
    return command != NULL ? add_mentions(list, s, len, command) : 0;
}

static int is_white_line(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (!smtpc_is_space(s[i]))
            return 0;
    }
    return 1;
}

/* Case-insensitive order of two texts (domains are case-insensitive, RFC 5321 section 2.4). */
static int compare_text(const char *a, size_t a_len, const char *b, size_t b_len)
{
    for (size_t i = 0; i < a_len && i < b_len; i++) {
        int d = (unsigned char)smtpc_to_lower(a[i]) - (unsigned char)smtpc_to_lower(b[i]);
        if (d != 0)
            return d;
    }
    return a_len < b_len ? -1 : a_len > b_len;
}

static int compare_mentions(const void *a, const void *b)
{
    const struct mention *x = a, *y = b;
    int d = compare_text(x->address, x->len, y->address, y->len);
    return d != 0 ? d : x->order < y->order ? -1 : x->order > y->order;
}

/* Reads the notification paragraph by paragraph (they end at lines that are empty or white
 * space alone), then sorts what it mentions by address. */
static int read_mentions(struct reader *r, struct mentions *list, const char *s, size_t len)
{
    size_t paragraph = 0;
    for (size_t at = 0;;) {
        const char *nl = at < len ? memchr(s + at, '\n', len - at) : NULL;
        size_t end = nl != NULL ? (size_t)(nl - s) : len;
        if (at >= len || is_white_line(s + at, end - at)) {
            int rc = at > paragraph ? read_paragraph(r, list, s + paragraph, at - paragraph) : 0;
            if (rc != 0 || at >= len) {
                if (rc == 0 && list->n > 1)
                    qsort(list->items, list->n, sizeof *list->items, compare_mentions);
                return rc;
            }
            paragraph = end < len ? end + 1 : len;
        }
        at = end < len ? end + 1 : len;
    }
}

/* The command the notification lends `address`, or NULL. */
static const char *mentioned_command(const struct mentions *list, const char *address)
{
    size_t len = strlen(address);
    size_t low = 0, high = list->n;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        const struct mention *m = &list->items[mid];
        if (compare_text(m->address, m->len, address, len) < 0)
            low = mid + 1;
        else
            high = mid;
    }
    if (len == 0 || low == list->n)
        return NULL;
    const struct mention *m = &list->items[low];
    return compare_text(m->address, m->len, address, len) == 0 ? m->command : NULL;
}

/* ---- reasons ---- */

/* A reason the reader decides itself, from the kind of the message or a DSN's action. */
static smtpc_reason reason_of(const char *name, int hard, const char *rule, const char *evidence)
{
    smtpc_reason reason = {name, hard, rule, evidence, strlen(evidence)};
    return reason;
}

/* Whether the enhanced code `found` in a diagnostic says more than the status `stated`: a
 * Status of X.0.0, "other undefined status" (RFC 3463 section 3.1), that some servers write for
 * any failure ("5.0.0" with "550 5.1.1 User unknown"), and a code of the same class that is not
 * X.0.0 itself. */
static int refines_undefined_status(const char *stated, const char *found)
{
    return found[0] == stated[0] && strcmp(found + 1, ".0.0") != 0 &&
           strcmp(stated + 1, ".0.0") == 0;
}

/* The reply code, enhanced code, command and reason of a recipient: the Status field (or the
 * status a format states) is its enhanced code, else the diagnostic's (RFC 3464 section
 * 2.3.4), which also refines a Status of X.0.0; the reply code is the diagnostic's, else the
 * one a format states (already in `rec->code`); the command is the diagnostic's, else `named`,
 * the one the notification names for the recipient. The action decides first (RFC 3464
 * section 2.3.3): a recipient that was delivered, relayed or expanded did not fail, and one
 * that failed with a transient status (or, without any status, a transient reply) failed
 * because the retries ran out: "expired", soft like its status, when the database has that
 * reason. */
static int decide_record(struct reader *r, smtpc_bounce_record *rec, const char *named,
                         smtpc_error *err)
{
    struct diagnosis d;
    int rc = diagnose(&d, r, rec->diagnostic, strlen(rec->diagnostic), err);
    if (rc != 0)
        return rc;
    if (d.command[0] == '\0' && named != NULL)
        d.command = named;
    if (d.code != 0)
        rec->code = d.code;
    rec->command = d.command;
    if (rec->enhanced[0] == '\0' || refines_undefined_status(rec->enhanced, d.enhanced))
        rec->enhanced = d.enhanced;
    /* The host that gave the diagnostic: the remote one, else the one that wrote the report
     * (its Reporting-MTA, else the domain of the bounce's From) */
    const smtpc_provider *provider = smtpc_provider_of_record(
        r->db, rec->remote_mta, rec->reporting_mta[0] != '\0' ? rec->reporting_mta : r->sender,
        rec->recipient);
    rec->provider = provider != NULL ? provider->slug : "";
    if (rec->action >= SMTPC_DSN_DELIVERED) {
        rec->reason = reason_of("delivered", -1, "action",
                                smtpc_enum_name(SMTPC_ENUM_DSN_ACTION, rec->action));
        return 0;
    }
    /* what tells a transient failure: the enhanced code, else the reply code (the formats
     * that state no status) */
    char reply[8] = "";
    if (rec->enhanced[0] == '\0' && rec->code >= 400 && rec->code < 500)
        snprintf(reply, sizeof reply, "%d", rec->code);
    const char *transient =
        rec->enhanced[0] != '\0' ? rec->enhanced : keep(r, reply, strlen(reply));
    if (rec->action == SMTPC_DSN_FAILED && transient[0] == '4' &&
        smtpc_reason_definition(r->db, "expired") != NULL) {
        rec->reason = reason_of("expired", 0, "action", transient);
        return 0;
    }
    rc = smtpc_reason_decide(&rec->reason, r->db, rec->provider, rec->code, rec->enhanced,
                             strlen(rec->enhanced), rec->command, strlen(rec->command),
                             rec->diagnostic, strlen(rec->diagnostic), err);
    /* Nothing decided and no code gives a class, but "failed" says the reporting MTA gave up
     * (RFC 3464 section 2.3.3): the failure is permanent, so hard. */
    if (rc == 0 && strcmp(rec->reason.rule, "none") == 0 && rec->action == SMTPC_DSN_FAILED)
        rec->reason.hard = 1;
    return rc;
}

/* A DSN's recipient, with the command the notification names for it. */
static int decide_dsn_record(struct reader *r, smtpc_bounce_record *rec,
                             const struct mentions *mentions, smtpc_error *err)
{
    const char *named = mentioned_command(mentions, rec->recipient);
    if (named == NULL)
        named = mentioned_command(mentions, rec->original_recipient);
    return decide_record(r, rec, named, err);
}

/* ---- reading a message ---- */

/* The facts of the message as a whole: the returned message's header, the bounce's own
 * Subject (its encoded words decoded, RFC 2047). */
static void read_message_facts(struct reader *r, const struct finding *f, const char *header,
                               size_t header_len)
{
    if (f->returned != NULL)
        read_fields(r, &r->facts, RULES(returned_fields), f->returned, f->returned_len);
    const char *value;
    size_t value_len;
    if (smtpc_mime_find_field(&value, &value_len, header, header_len, "Subject")) {
        r->value.len = 0;
        smtpc_mime_put_value(&r->value, value, value_len, 1);
        r->failed |= r->value.failed;
        r->facts.subject = r->value.failed ? "" : keep(r, r->value.data, r->value.len);
    }
}

/* Each record repeats the facts of its message that it does not state itself. */
static void repeat_message_facts(struct reader *r)
{
    for (size_t i = 0; i < r->bounce->n_records; i++) {
        smtpc_bounce_record *rec = &r->bounce->records[i];
        for (size_t k = 0; k < sizeof message_facts / sizeof message_facts[0]; k++) {
            if (**slot(rec, message_facts[k]) == '\0')
                *slot(rec, message_facts[k]) = *slot(&r->facts, message_facts[k]);
        }
    }
}

/* The reply a notification quotes after the words "The response was:" or "The response from
 * the remote server was:" (Gmail's), its lines joined, or "". */
static const char *quoted_response(struct reader *r, const char *text, size_t len)
{
    static const char *const intros[] = {"The response was:",
                                         "The response from the remote server was:"};
    for (size_t i = 0; i < sizeof intros / sizeof intros[0]; i++) {
        size_t at = find(text, len, intros[i]);
        if (at == len)
            continue;
        at += strlen(intros[i]);
        while (at < len && smtpc_is_space(text[at]))
            at++;
        size_t end = find(text + at, len - at, "\n\n");
        size_t crlf_end = find(text + at, len - at, "\r\n\r\n");
        return keep_text(r, text + at, end < crlf_end ? end : crlf_end);
    }
    return "";
}

/* A DSN whose report names no recipient, as Gmail sends for a message that failed before any
 * SMTP transaction (a misconfigured "Send mail as" account): each address of the bounce's
 * X-Failed-Recipients field, the one Exim and Gmail add, is a recipient that failed, with the
 * response the message's first plain text quotes as its diagnostic. */
static int read_failed_recipients(struct reader *r, struct smtpc_mime *m,
                                  const struct finding *f, smtpc_error *err)
{
    const char *value;
    size_t value_len;
    if (!smtpc_mime_find_field(&value, &value_len, f->top, f->top_len, "X-Failed-Recipients"))
        return 0;
    const char *text = NULL;
    size_t text_len = 0;
    int rc = f->has_text == 2 ? smtpc_mime_body(&text, &text_len, m, &f->text, err) : 0;
    if (rc != 0)
        return rc;
    r->value.len = 0;
    smtpc_mime_put_value(&r->value, value, value_len, 0);
    r->failed |= r->value.failed;
    const char *list = r->value.failed ? "" : keep(r, r->value.data, r->value.len);
    size_t list_len = strlen(list);
    const char *diagnostic = text != NULL ? quoted_response(r, text, text_len) : "";
    const char *address;
    size_t address_len;
    while (next_address(&list, &list_len, &address, &address_len)) {
        if (address_len == 0)
            continue;
        size_t index;
        if ((rc = add_record(r, &index, r->bounce->kind, err)) != 0)
            return rc;
        smtpc_bounce_record *rec = &r->bounce->records[index];
        rec->recipient = keep(r, address, address_len);
        rec->action = SMTPC_DSN_FAILED;
        rec->diagnostic = diagnostic;
    }
    return 0;
}

/* A DSN of message `m`: the delivery-status body, with the notification `note` (NULL when
 * there is none). */
static int read_dsn(struct reader *r, struct smtpc_mime *m, const struct finding *f,
                    const char *note, size_t note_len, smtpc_error *err)
{
    int rc = read_delivery_status(r, f->report, f->report_len, err);
    if (rc == 0 && r->bounce->n_records == 0)
        rc = read_failed_recipients(r, m, f, err);
    if (rc != 0)
        return rc;
    repeat_message_facts(r);
    struct mentions mentions = {NULL, 0, 0};
    if (note != NULL && read_mentions(r, &mentions, note, note_len) != 0)
        rc = smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    for (size_t i = 0; rc == 0 && i < r->bounce->n_records; i++)
        rc = decide_dsn_record(r, &r->bounce->records[i], &mentions, err);
    free(mentions.items);
    return rc;
}

/* A feedback report is about one message, and gives one record (RFC 5965 section 3). */
static int read_feedback(struct reader *r, const struct finding *f, smtpc_error *err)
{
    read_fields(r, &r->facts, RULES(feedback_fields), f->report, f->report_len);
    size_t index;
    int rc = add_record(r, &index, SMTPC_BOUNCE_FEEDBACK, err);
    if (rc != 0)
        return rc;
    smtpc_bounce_record *rec = &r->bounce->records[index];
    *rec = r->facts;
    rec->kind = SMTPC_BOUNCE_FEEDBACK;
    /* without Original-Rcpt-To, the reported message says whom it was sent to */
    if (rec->recipient[0] == '\0')
        rec->recipient = address_in(r, f->returned, f->returned_len, "To");
    rec->reason = reason_of("feedback", -1, "feedback", rec->feedback_type);
    return 0;
}

/* An automatic reply gives one record: its recipient is the From of the reply, as an
 * autoresponder answers from the address the message it answers was sent to, and the message
 * it answers is its In-Reply-To, when it returns none. */
static int read_auto_reply(struct reader *r, const char *mark, const struct finding *f,
                           smtpc_error *err)
{
    read_fields(r, &r->facts, RULES(reply_fields), f->top, f->top_len);
    size_t index;
    int rc = add_record(r, &index, SMTPC_BOUNCE_AUTO_REPLY, err);
    if (rc != 0)
        return rc;
    smtpc_bounce_record *rec = &r->bounce->records[index];
    *rec = r->facts;
    rec->kind = SMTPC_BOUNCE_AUTO_REPLY;
    rec->recipient = address_in(r, f->top, f->top_len, "From");
    rec->reason = reason_of("vacation", -1, "auto-reply", mark);
    return 0;
}

/* ---- formats that no RFC defines (formats/) ---- */

/* The header at the start of `s`: up to its first empty line. */
static size_t header_length(const char *s, size_t len)
{
    const char *line;
    size_t line_len;
    for (size_t at = 0, start = 0; smtpc_format_next_line(s, len, &at, &line, &line_len);
         start = at) {
        if (line_len == 0)
            return start;
    }
    return len;
}

/* A record for what a format's reader found about one recipient. */
static int read_finding(struct reader *r, const char *format, const struct smtpc_format_finding *f,
                        smtpc_error *err)
{
    size_t index;
    int rc = add_record(r, &index, SMTPC_BOUNCE_NONSTANDARD, err);
    if (rc != 0)
        return rc;
    smtpc_bounce_record *rec = &r->bounce->records[index];
    *rec = r->facts;
    rec->kind = SMTPC_BOUNCE_NONSTANDARD;
    rec->format = format;
    rec->recipient = keep_text(r, f->recipient, f->recipient_len);
    if (rec->recipient[0] == '\0') {
        r->bounce->n_records--; /* a finding about no address is about no recipient */
        return 0;
    }
    rec->diagnostic = keep_text(r, f->diagnostic, f->diagnostic_len);
    rec->remote_mta = f->host != NULL ? keep_text(r, f->host, f->host_len) : "";
    rec->enhanced = f->status != NULL ? keep_enhanced(r, f->status, f->status_len) : "";
    rec->code = f->code;
    rec->action = f->action;
    return decide_record(r, rec, f->command, err);
}

/* The records of a reader's findings; the facts of the message come first, as each record
 * repeats them. */
static int read_findings(struct reader *r, const struct finding *f, const char *format,
                         const struct smtpc_format_findings *list, smtpc_error *err)
{
    r->bounce->kind = SMTPC_BOUNCE_NONSTANDARD;
    read_message_facts(r, f, f->top, f->top_len);
    if (list->returned != NULL)
        read_fields(r, &r->facts, RULES(returned_fields), list->returned,
                    header_length(list->returned, list->returned_len));
    else if (f->attached != NULL)
        read_fields(r, &r->facts, RULES(returned_fields), f->attached, f->attached_len);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < list->n; i++)
        rc = read_finding(r, format, &list->items[i], err);
    return rc;
}

/* Reads the message with the first format reader that recognises it. Sets `*read` to 1 when
 * that reader found a recipient. */
static int read_nonstandard(struct reader *r, struct smtpc_mime *m, const struct finding *f,
                            int *read, smtpc_error *err)
{
    struct smtpc_format_message msg = {f->top, f->top_len, "", 0};
    int rc = f->has_text ? smtpc_mime_body(&msg.body, &msg.body_len, m, &f->text, err) : 0;
    *read = 0;
    for (size_t i = 0; rc == 0 && i < smtpc_format_reader_count; i++) {
        const struct smtpc_format_reader *reader = smtpc_format_readers[i];
        if (!reader->recognises(&msg))
            continue;
        struct smtpc_format_findings list;
        memset(&list, 0, sizeof list);
        rc = reader->read(&msg, &list);
        if (rc == SMTPC_ENOMEM)
            rc = smtpc_set_error(err, rc, "", 0, 0, "out of memory");
        else if (rc == SMTPC_ELIMIT)
            rc = smtpc_set_error(err, rc, "", 0, 0,
                                 "more than %d recipients in one message "
                                 "(SMTPC_BOUNCE_MAX_RECIPIENTS)",
                                 SMTPC_BOUNCE_MAX_RECIPIENTS);
        else if (list.n > 0)
            rc = read_findings(r, f, reader->name, &list, err);
        *read = rc == 0 && r->bounce->n_records > 0;
        free(list.items);
        break;
    }
    return rc;
}

/* The format name of a report or automatic reply, by the RFC that defines it. */
static const char *rfc_format(int kind)
{
    switch (kind) {
    case SMTPC_BOUNCE_DSN: return "rfc3464";
    case SMTPC_BOUNCE_GLOBAL_DSN: return "rfc6533";
    case SMTPC_BOUNCE_FEEDBACK: return "rfc5965";
    case SMTPC_BOUNCE_AUTO_REPLY: return "rfc3834";
    default: return "";
    }
}

/* Reads the message into `b`: a report found anywhere in it, else a format that a reader of
 * formats/ recognises (a multipart/report without its report part too: Postfix's notification
 * left alone), else an automatic reply. A multipart/report whose report cannot be read is no
 * automatic reply, though a DSN says it is one (Auto-Submitted: auto-replied). */
static int read_message(struct reader *r, const char *msg, size_t len, smtpc_error *err)
{
    struct smtpc_mime m;
    if (smtpc_mime_init(&m) != 0)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    struct finding f;
    memset(&f, 0, sizeof f);
    f.returned_part = SMTPC_MIME_NO_PARENT;
    f.attached_part = SMTPC_MIME_NO_PARENT;
    f.err = err;
    int rc = smtpc_mime_walk(&m, msg, len, visit_part, &f, err);
    if (rc == 0)
        r->sender = address_in(r, f.top, f.top_len, "From");
    const char *mark = NULL;
    const char *note = NULL;
    size_t note_len = 0;
    int read = 0;
    if (rc == 0 && f.kind != 0 && f.has_notification)
        rc = smtpc_mime_body(&note, &note_len, &m, &f.notification, err);
    if (rc == 0 && f.kind != 0) {
        r->bounce->kind = f.kind;
        read_message_facts(r, &f, f.report_message, f.report_message_len);
        rc = f.kind == SMTPC_BOUNCE_FEEDBACK ? read_feedback(r, &f, err)
                                             : read_dsn(r, &m, &f, note, note_len, err);
    } else if (rc == 0 && ((rc = read_nonstandard(r, &m, &f, &read, err)) != 0 || read)) {
        /* read by the reader of its format (an Exim bounce is also marked auto-replied) */
    } else if (rc == 0 && !f.top_is_report &&
               (mark = auto_reply_mark(r, f.top, f.top_len)) != NULL) {
        r->bounce->kind = SMTPC_BOUNCE_AUTO_REPLY;
        read_message_facts(r, &f, f.top, f.top_len);
        rc = read_auto_reply(r, mark, &f, err);
    } else if (rc == 0) {
        r->bounce->kind = SMTPC_BOUNCE_UNRECOGNISED;
    }
    for (size_t i = 0; rc == 0 && i < r->bounce->n_records; i++) {
        smtpc_bounce_record *rec = &r->bounce->records[i];
        if (rec->format[0] == '\0')
            rec->format = rfc_format(rec->kind);
    }
    smtpc_mime_free(&m);
    if (rc == 0 && (r->failed || r->value.failed))
        rc = smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return rc;
}

/* Whether the lines of `msg` end in a CR alone, as the classic Mac OS saved them: it has a CR
 * and no LF. */
static int has_cr_lines(const char *msg, size_t len)
{
    return len > 0 && memchr(msg, '\n', len) == NULL && memchr(msg, '\r', len) != NULL;
}

/* Reads the message as read_message() does, a message of CR lines from a copy of it in LF
 * lines, the form the MIME reader takes (records keep copies, so the copy goes with the call). */
static int read_in_lf_lines(struct reader *r, const char *msg, size_t len, smtpc_error *err)
{
    if (!has_cr_lines(msg, len))
        return read_message(r, msg, len, err);
    char *lf = malloc(len);
    if (lf == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    for (size_t i = 0; i < len; i++)
        lf[i] = msg[i] == '\r' ? '\n' : msg[i];
    int rc = read_message(r, lf, len, err);
    free(lf);
    return rc;
}

/* ---- the public functions ---- */

void smtpc_bounce_free(smtpc_bounce *bounce)
{
    if (bounce == NULL)
        return;
    free(bounce->records);
    smtpc_arena_free(bounce->arena);
    free(bounce);
}

int smtpc_bounce_parse(smtpc_bounce **out, const smtpc_db *db, const char *msg, size_t len,
                       smtpc_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || (msg == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    smtpc_bounce *b = calloc(1, sizeof *b);
    /* A record's strings take well under a kilobyte: a small first block keeps a mailbox of
     * many bounces small, and the arena grows for the rare large one. */
    if (b == NULL || (b->arena = smtpc_arena_new_sized(2 * 1024)) == NULL) {
        free(b);
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    }
    struct reader r;
    memset(&r, 0, sizeof r);
    r.bounce = b;
    r.db = db != NULL ? db : smtpc_db_builtin();
    b->db = r.db;
    r.sender = "";
    clear_record(&r.facts, 0);
    smtpc_buf_init(&r.value);
    int rc = read_in_lf_lines(&r, msg != NULL ? msg : "", len, err);
    smtpc_buf_free(&r.value);
    if (rc != 0) {
        smtpc_bounce_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

int smtpc_bounce_kind(const smtpc_bounce *bounce)
{
    return bounce != NULL ? bounce->kind : 0;
}

const smtpc_db *smtpc_bounce_db(const smtpc_bounce *bounce)
{
    return bounce->db;
}

size_t smtpc_bounce_count(const smtpc_bounce *bounce)
{
    return bounce != NULL ? bounce->n_records : 0;
}

const smtpc_bounce_record *smtpc_bounce_record_at(const smtpc_bounce *bounce, size_t index)
{
    if (bounce == NULL || index >= bounce->n_records)
        return NULL;
    return &bounce->records[index];
}
