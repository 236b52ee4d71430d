/*
 * load.c - the data-file parser (format: docs/data-format.md).
 *
 * One pass over the lines collects a record's fields; at each blank line (and at the end) the
 * record is checked and stored. Everything lands in the new database's arena, so a failure at
 * any point frees one arena and leaves nothing behind: loading is all or nothing.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_LINE_BYTES = 4096,
    MAX_VALUE_BYTES = 4096,
    MAX_FILE_BYTES = 16 * 1024 * 1024
};

/* ---- the fields and the record types that may hold them ---- */

enum field_id {
    F_CODE, F_NAME, F_SLUG, F_CLASS, F_ORIGIN, F_DESCRIPTION, F_WHEN, F_FIX, F_REFERENCE,
    F_RETRY, F_CONNECTION, F_COMMANDS, F_ENHANCED, F_SAMPLE, F_ASSOCIATED, F_SEE, F_NOTE,
    F_ALIAS, F_EXCEPTION, F_ENHANCED_NAME, F_CATEGORY, F_SUBJECT, F_LANGUAGE, F_LANGUAGE_NAME,
    F_LABEL_DESCRIPTION, F_LABEL_WHEN, F_LABEL_FIX, F_LABEL_DIFFERENCES, F_LABEL_USAGE,
    F_LABEL_LEARN_MORE, F_REASON, F_HARD, F_PATTERN, F_SOURCE, F_PROVIDER, F_HOSTS,
    F_DIRECTION, FIELD_COUNT
};

static const char *const field_names[FIELD_COUNT] = {
    "Code", "Name", "Slug", "Class", "Origin", "Description", "When", "Fix", "Reference",
    "Retry", "Connection", "Commands", "Enhanced", "Sample", "Associated", "See", "Note",
    "Alias", "Exception", "Enhanced-Name", "Category", "Subject", "Language", "Language-Name",
    "Description-Label", "When-Label", "Fix-Label", "Differences-Label", "Usage-Label",
    "Learn-More-Label", "Reason", "Hard", "Pattern", "Source", "Provider", "Hosts",
    "Direction",
};

enum record_type {
    R_NONE, R_CODE, R_CLASS, R_CATEGORY, R_SUBJECT, R_LANGUAGE, R_REASON, R_PATTERN, R_PROVIDER,
    R_PROVIDER_CODE /* a Code record with a Provider field: never the type while reading */
};

static const char *const record_names[] = {"",        "Code",     "Class",  "Category",
                                           "Subject", "Language", "Reason", "Pattern",
                                           "Provider", "provider's Code"};

/* How a field may appear in a record: for basic and for enhanced codes separately (other
 * record types use the basic column). */
enum use { NO = 0, OPT = 1, REQ = 2 };

struct field_rule {
    enum field_id field;
    enum use basic;
    enum use enhanced;
};

static const struct field_rule code_rules[] = {
    {F_CODE, REQ, REQ},        {F_NAME, REQ, REQ},     {F_SLUG, REQ, REQ},
    {F_CLASS, REQ, REQ},       {F_ORIGIN, REQ, REQ},   {F_DESCRIPTION, REQ, REQ},
    {F_WHEN, REQ, REQ},        {F_FIX, REQ, REQ},      {F_REFERENCE, REQ, REQ},
    {F_RETRY, REQ, REQ},       {F_CONNECTION, REQ, OPT}, {F_COMMANDS, REQ, OPT},
    {F_ENHANCED, REQ, OPT},    {F_SAMPLE, NO, REQ},    {F_ASSOCIATED, NO, REQ},
    {F_SEE, OPT, OPT},         {F_NOTE, OPT, OPT},     {F_ALIAS, OPT, OPT},
    {F_EXCEPTION, OPT, OPT},   {F_REASON, OPT, OPT},   {F_PROVIDER, NO, OPT},
};
/* A provider's entry: an enhanced code (or a range of details) with its class digit, whose
 * class is that digit, cited by the provider's documentation rather than the registry. */
static const struct field_rule provider_code_rules[] = {
    {F_CODE, NO, REQ},        {F_PROVIDER, NO, REQ},  {F_NAME, NO, REQ},
    {F_SLUG, NO, REQ},        {F_ORIGIN, NO, REQ},    {F_DESCRIPTION, NO, REQ},
    {F_WHEN, NO, REQ},        {F_FIX, NO, REQ},       {F_REFERENCE, NO, REQ},
    {F_RETRY, NO, REQ},       {F_COMMANDS, NO, OPT},  {F_SAMPLE, NO, OPT},
    {F_SEE, NO, OPT},         {F_NOTE, NO, OPT},      {F_ALIAS, NO, OPT},
    {F_EXCEPTION, NO, OPT},   {F_REASON, NO, OPT},    {F_CLASS, NO, NO},
    {F_CONNECTION, NO, NO},   {F_ENHANCED, NO, NO},   {F_ASSOCIATED, NO, NO},
};
static const struct field_rule class_rules[] = {
    {F_CLASS, REQ, NO}, {F_NAME, REQ, NO}, {F_ENHANCED_NAME, REQ, NO}, {F_DESCRIPTION, REQ, NO},
};
static const struct field_rule category_rules[] = {
    {F_CATEGORY, REQ, NO}, {F_NAME, REQ, NO}, {F_DESCRIPTION, REQ, NO},
};
static const struct field_rule subject_rules[] = {
    {F_SUBJECT, REQ, NO}, {F_NAME, REQ, NO}, {F_DESCRIPTION, REQ, NO},
};
/* The labels are mandatory for "en", the source of their translations (store_language()). */
static const struct field_rule language_rules[] = {
    {F_LANGUAGE, REQ, NO},          {F_LANGUAGE_NAME, REQ, NO},   {F_LABEL_DESCRIPTION, OPT, NO},
    {F_LABEL_WHEN, OPT, NO},        {F_LABEL_FIX, OPT, NO},       {F_LABEL_DIFFERENCES, OPT, NO},
    {F_LABEL_USAGE, OPT, NO},       {F_LABEL_LEARN_MORE, OPT, NO}, {F_DIRECTION, OPT, NO},
};
static const struct field_rule reason_rules[] = {
    {F_REASON, REQ, NO}, {F_HARD, REQ, NO}, {F_DESCRIPTION, REQ, NO},
};
static const struct field_rule pattern_rules[] = {
    {F_PATTERN, REQ, NO}, {F_REASON, REQ, NO}, {F_SOURCE, REQ, NO}, {F_PROVIDER, OPT, NO},
};
static const struct field_rule provider_rules[] = {
    {F_PROVIDER, REQ, NO}, {F_NAME, REQ, NO}, {F_HOSTS, REQ, NO}, {F_REFERENCE, REQ, NO},
    {F_DESCRIPTION, REQ, NO},
};

struct record_schema {
    const struct field_rule *rules;
    size_t n_rules;
};

#define SCHEMA(rules) {rules, sizeof rules / sizeof rules[0]}
static const struct record_schema schemas[] = {
    {NULL, 0},           SCHEMA(code_rules),    SCHEMA(class_rules),
    SCHEMA(category_rules), SCHEMA(subject_rules), SCHEMA(language_rules),
    SCHEMA(reason_rules),   SCHEMA(pattern_rules),  SCHEMA(provider_rules),
    SCHEMA(provider_code_rules),
};

/* ---- parser state ---- */

/* A record read from the file, with the line it started on for later error messages. A Code or
 * Pattern record's `Reason` field names records that may come later in the file (or from the
 * database laid under it), so it is checked once all are read, at the position kept here. */
struct pending {
    unsigned long line;
    union {
        smtpc_entry entry;
        smtpc_group group;
        struct smtpc_language language;
        struct smtpc_reason_def reason;
        struct smtpc_pattern pattern;
        smtpc_provider provider;
    } item;
    const char *reference; /* the Reason field, or NULL */
    unsigned long reference_line, reference_column;
    const char *provider; /* a pattern's or entry's Provider field, or NULL */
    unsigned long provider_line, provider_column;
};

struct pending_list {
    struct pending *items;
    size_t n, cap;
};

/* The lists of struct parser; the group lists are indexed by enum smtpc_group_kind. All but the
 * patterns are sorted by key; the patterns keep the order of the file. */
enum list {
    LIST_ENTRIES = 0,
    LIST_LANGUAGES = 4,
    LIST_REASONS = 5,
    LIST_PROVIDER_ENTRIES = 6,
    LIST_PROVIDERS = 7,
    LIST_SORTED = 8,
    LIST_PATTERNS = 8,
    LIST_COUNT = 9
};

struct field_value {
    int present;
    unsigned long line;
    unsigned long column; /* of the value's first character */
    struct smtpc_buf text;
};

struct parser {
    const char *source;
    smtpc_error *err;
    struct smtpc_arena *arena;

    /* the record being read */
    enum record_type type;
    unsigned long record_line;
    int record_is_enhanced;
    struct field_value fields[FIELD_COUNT];
    enum field_id last_field;
    int paragraph_break; /* the last continuation line was a lone "." */

    /* what has been read, in file order; indexed by enum list */
    struct pending_list lists[LIST_COUNT];
};

static int fail(struct parser *p, unsigned long line, unsigned long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int fail(struct parser *p, unsigned long line, unsigned long column, const char *fmt, ...)
{
    char text[SMTPC_ERROR_TEXT_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return smtpc_set_error(p->err, SMTPC_EDATA, p->source, line, column, "%s", text);
}

static int fail_field(struct parser *p, enum field_id f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail_field(struct parser *p, enum field_id f, const char *fmt, ...)
{
    char text[SMTPC_ERROR_TEXT_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return smtpc_set_error(p->err, SMTPC_EDATA, p->source, p->fields[f].line,
                           p->fields[f].column, "%s: %s", field_names[f], text);
}

static int out_of_memory(struct parser *p)
{
    return smtpc_set_error(p->err, SMTPC_ENOMEM, p->source, 0, 0, "out of memory");
}

static const char *value(const struct parser *p, enum field_id f)
{
    return p->fields[f].present ? p->fields[f].text.data : NULL;
}

static void reset_record(struct parser *p)
{
    for (int f = 0; f < FIELD_COUNT; f++) {
        p->fields[f].present = 0;
        p->fields[f].text.len = 0;
        if (p->fields[f].text.data != NULL)
            p->fields[f].text.data[0] = '\0';
    }
    p->type = R_NONE;
    p->record_is_enhanced = 0;
    p->paragraph_break = 0;
}

/* Appends a zeroed record to list `which`, started at the current record's line; NULL when
 * memory runs out. */
static struct pending *pending_add(struct parser *p, size_t which)
{
    struct pending_list *list = &p->lists[which];
    if (list->n == list->cap) {
        struct pending *grown = smtpc_array_grow(list->items, &list->cap, sizeof *grown, 64);
        if (grown == NULL)
            return NULL;
        list->items = grown;
    }
    struct pending *item = &list->items[list->n];
    memset(item, 0, sizeof *item);
    item->line = p->record_line;
    return item;
}

/* ---- value checks ---- */


/* Reads a whole decimal number of at most `max_digits` digits without a leading zero. */
static int parse_small_number(const char *s, int max_digits, int *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > (size_t)max_digits || (s[0] == '0' && n > 1))
        return 0;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!smtpc_is_digit(s[i]))
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int is_slug(const char *s)
{
    /* lower-case letters and digits in runs joined by single hyphens */
    if (*s == '\0' || *s == '-')
        return 0;
    for (; *s != '\0'; s++) {
        if (*s == '-' && (s[1] == '-' || s[1] == '\0'))
            return 0;
        if (*s != '-' && !smtpc_is_lower(*s) && !smtpc_is_digit(*s))
            return 0;
    }
    return 1;
}

/* "RFC 5321", "RFC 5321 section 4.2.3" or "IANA registry". */
static int is_reference(const char *s, size_t len)
{
    if (len == 13 && memcmp(s, "IANA registry", 13) == 0)
        return 1;
    if (len < 5 || memcmp(s, "RFC ", 4) != 0 || s[4] < '1' || s[4] > '9')
        return 0;
    size_t i = 4;
    while (i < len && smtpc_is_digit(s[i]))
        i++;
    if (i == len)
        return 1;
    if (len - i < 10 || memcmp(s + i, " section ", 9) != 0)
        return 0;
    i += 9;
    /* 1*digit *("." 1*digit), optionally ending in an appendix letter ("A.1") */
    if (smtpc_is_upper(s[i]) && i + 1 < len && s[i + 1] == '.')
        i += 2;
    for (;;) {
        size_t start = i;
        while (i < len && smtpc_is_digit(s[i]))
            i++;
        if (i == start)
            return 0;
        if (i == len)
            return 1;
        if (s[i] != '.')
            return 0;
        i++;
    }
}

/* The references of a record; a provider's record and entries may also cite URLs of its
 * documentation. */
static int check_references(struct parser *p, const char *list, int urls)
{
    const char *s = list;
    for (;;) {
        const char *end = strstr(s, "; ");
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        if (!is_reference(s, len) && !(urls && smtpc_is_url(s, len)))
            return fail_field(p, F_REFERENCE,
                              urls ? "'%.*s' is not 'RFC N', 'RFC N section S', 'IANA registry' "
                                     "or an https:// URL"
                                   : "'%.*s' is not 'RFC N', 'RFC N section S' or 'IANA registry'",
                              (int)(len > 80 ? 80 : len), s);
        if (end == NULL)
            return 0;
        s = end + 2;
    }
}

/* Calls `check` on each space-separated item of `list`; stops at the first failure. */
static int for_each_item(struct parser *p, enum field_id f, const char *list,
                         int (*check)(struct parser *, enum field_id, const char *, size_t))
{
    const char *s = list;
    while (*s != '\0') {
        size_t len = strcspn(s, " ");
        int rc = check(p, f, s, len);
        if (rc != 0)
            return rc;
        s += len;
        while (*s == ' ')
            s++;
    }
    return 0;
}

static int check_command(struct parser *p, enum field_id f, const char *s, size_t len)
{
    if (smtpc_command_find(s, len) == NULL)
        return fail_field(p, f, "unknown command or phase '%.*s'", (int)(len > 40 ? 40 : len),
                          s);
    return 0;
}

/* An enhanced code listed with a basic code must carry the basic code's class: a 550 reply
 * comes with 5.X.X, never 4.X.X (RFC 3463 section 2). */
static int check_enhanced_item(struct parser *p, enum field_id f, const char *s, size_t len)
{
    smtpc_code code;
    if (smtpc_code_parse(&code, s, len, NULL) != 0 || code.kind != SMTPC_KIND_ENHANCED ||
        code.klass == 0)
        return fail_field(p, f, "'%.*s' is not an enhanced code such as 5.7.1",
                          (int)(len > 40 ? 40 : len), s);
    const char *own = value(p, F_CODE);
    if (!p->record_is_enhanced && code.klass != own[0] - '0')
        return fail_field(p, f, "%.*s does not have the class of %s", (int)len, s, own);
    return 0;
}

/* Reads the keyword `s` (`len` bytes) of field `f` from enumeration `which` into `*out`. */
static int keyword_at(struct parser *p, enum field_id f, int which, const char *s, size_t len,
                      int *out)
{
    int i = smtpc_enum_find(which, s, len);
    if (i < 0) {
        char allowed[160] = "";
        const char *name;
        for (size_t j = 0; smtpc_enum_at(NULL, &name, which, j) == 0; j++) {
            strncat(allowed, j ? ", " : "", sizeof allowed - strlen(allowed) - 1);
            strncat(allowed, name, sizeof allowed - strlen(allowed) - 1);
        }
        return fail_field(p, f, "'%.*s' is not one of %s", (int)(len > 40 ? 40 : len), s,
                          allowed);
    }
    return smtpc_enum_at(out, NULL, which, (size_t)i);
}

static int parse_keyword(struct parser *p, enum field_id f, int which, int *out)
{
    const char *text = value(p, f);
    return keyword_at(p, f, which, text, strlen(text), out);
}

/* The retry advice of an enhanced code depends on its class (RFC 3463 section 2: 4.X.X is a
 * persistent transient failure, 5.X.X a permanent one), so an entry meant for both gives one
 * advice per class, "4 later; 5 after-fix", and one meant for a single class gives one advice.
 * Written with a class it is not meant for, the class decides: 4.X.X may succeed later (RFC
 * 3463 section 2), 5.X.X is not resent unchanged (RFC 5321 section 4.2.1). */
static int parse_enhanced_retry(struct parser *p, smtpc_entry *e, const char *classes)
{
    const char *text = value(p, F_RETRY);
    int transient = strchr(classes, '4') != NULL, permanent = strchr(classes, '5') != NULL;
    if (!transient || !permanent) {
        int advice;
        int rc = parse_keyword(p, F_RETRY, SMTPC_ENUM_RETRY, &advice);
        e->retry_transient = transient ? advice : SMTPC_RETRY_LATER;
        e->retry = transient ? SMTPC_RETRY_AFTER_FIX : advice;
        return rc;
    }
    static const char per_class[] = "expected one advice per class, as '4 later; 5 after-fix'";
    const char *five = strstr(text, "; 5 ");
    if (strncmp(text, "4 ", 2) != 0 || five == NULL)
        return fail_field(p, F_RETRY, per_class);
    int rc = keyword_at(p, F_RETRY, SMTPC_ENUM_RETRY, text + 2, (size_t)(five - text - 2),
                        &e->retry_transient);
    if (rc == 0)
        rc = keyword_at(p, F_RETRY, SMTPC_ENUM_RETRY, five + 4, strlen(five + 4), &e->retry);
    return rc;
}

/* Other names, "; "-separated: each one a non-empty title distinct from the name. */
static int check_aliases(struct parser *p)
{
    const char *s = value(p, F_ALIAS);
    const char *name = value(p, F_NAME);
    for (;;) {
        const char *end = strstr(s, "; ");
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        if (len == 0 || !smtpc_is_upper(s[0]) || s[len - 1] == ';')
            return fail_field(p, F_ALIAS, "expected names starting with a capital letter, "
                                          "separated by '; '");
        if (len == strlen(name) && memcmp(s, name, len) == 0)
            return fail_field(p, F_ALIAS, "'%s' is the name itself", name);
        if (end == NULL)
            return 0;
        s = end + 2;
    }
}

/* Each paragraph names the rule the entry departs from and says why: "paired-retry: ...". */
static int check_exceptions(struct parser *p)
{
    const char *s = value(p, F_EXCEPTION);
    for (;;) {
        size_t rule = 0;
        while (smtpc_is_lower(s[rule]) || (rule > 0 && s[rule] == '-'))
            rule++;
        if (rule == 0 || s[rule - 1] == '-' || s[rule] != ':' || s[rule + 1] != ' ' ||
            s[rule + 2] == '\0' || s[rule + 2] == '\n')
            return fail_field(p, F_EXCEPTION, "expected 'rule-name: why' in each paragraph");
        const char *end = strchr(s, '\n');
        if (end == NULL)
            return 0;
        s = end + 1;
    }
}

/* The first word of prose must allow the sentence to be turned into a clause (the pages
 * lower-case an ordinary first word), so it starts with a capital letter or a digit. */
static int check_prose(struct parser *p, enum field_id f)
{
    const char *s = value(p, f);
    if (s == NULL)
        return 0;
    if (!smtpc_is_upper(s[0]) && !smtpc_is_digit(s[0]))
        return fail_field(p, f, "must start with a capital letter or a digit");
    return 0;
}

/* "You encounter 421 when ..." already says "when" (docs/comparison-page.md). */
static int check_when_text(struct parser *p)
{
    const char *s = value(p, F_WHEN);
    if ((s[0] == 'W' || s[0] == 'w') && strncmp(s + 1, "hen", 3) == 0 &&
        (s[4] == ' ' || s[4] == ','))
        return fail_field(p, F_WHEN, "must not start with 'When': the page already says it");
    return 0;
}

/* Enhanced classes are listed ascending from "2 4 5" (RFC 3463 section 2). */
static int check_enhanced_classes(struct parser *p)
{
    const char *s = value(p, F_CLASS);
    char last = '0';
    for (size_t i = 0; s[i] != '\0'; i++) {
        if (i % 2 == 1) {
            if (s[i] != ' ')
                return fail_field(p, F_CLASS, "expected classes separated by one space");
            continue;
        }
        if ((s[i] != '2' && s[i] != '4' && s[i] != '5') || s[i] <= last)
            return fail_field(p, F_CLASS, "expected classes from '2 4 5' in ascending order");
        last = s[i];
    }
    if (last == '0' || s[strlen(s) - 1] == ' ')
        return fail_field(p, F_CLASS, "expected classes from '2 4 5' in ascending order");
    return 0;
}


/* Copies field `f` into the arena ("" when absent). */
static const char *keep(struct parser *p, enum field_id f)
{
    const char *s = value(p, f);
    if (s == NULL)
        return "";
    return smtpc_arena_strndup(p->arena, s, p->fields[f].text.len);
}

/* Keeps the Reason field of the record being stored, and where it is, for checking the names
 * it gives once every record is read. Returns 0 when memory runs out. */
static int keep_reference(struct parser *p, struct pending *item)
{
    if (value(p, F_REASON) == NULL)
        return 1;
    item->reference = keep(p, F_REASON);
    item->reference_line = p->fields[F_REASON].line;
    item->reference_column = p->fields[F_REASON].column;
    return item->reference != NULL;
}

/* Keeps the Provider field of the record being stored, and where it is, for checking that a
 * Provider record of that slug exists once all are read. */
static int keep_provider(struct parser *p, struct pending *item)
{
    if (value(p, F_PROVIDER) == NULL)
        return 1;
    item->provider = keep(p, F_PROVIDER);
    item->provider_line = p->fields[F_PROVIDER].line;
    item->provider_column = p->fields[F_PROVIDER].column;
    return item->provider != NULL;
}

/* A reason's name: lower-case ASCII letters ("userunknown"). */
static int is_reason_name(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!smtpc_is_lower(s[i]))
            return 0;
    }
    return 1;
}

/* Whether the space-separated `list` holds `word`. */
static int list_has(const char *list, const char *word)
{
    size_t len = strlen(word);
    for (const char *s = list; *s != '\0';) {
        size_t n = strcspn(s, " ");
        if (n == len && memcmp(s, word, len) == 0)
            return 1;
        s += n;
        while (*s == ' ')
            s++;
    }
    return 0;
}

/* A Code entry's Reason field: one name, whatever the code answers, or "COMMAND name" pairs
 * separated by "; " ("RCPT exceedlimit; DATA-END mesgtoobig"), each for a command the code
 * answers (its Commands field, where it has one) and none twice; ANY stands for the commands no
 * pair names. Whether each name has a Reason record is checked once every record is read. */
static int check_code_reason(struct parser *p)
{
    static const char expected[] =
        "expected a reason name, or pairs such as 'RCPT userunknown; ANY rejected'";
    const char *s = value(p, F_REASON);
    const char *commands = value(p, F_COMMANDS);
    const char *seen[32];
    size_t n_seen = 0;
    struct smtpc_reason_item item;
    int rc;
    while ((rc = smtpc_reason_item_next(&item, &s)) == 1) {
        if (!is_reason_name(item.name, item.name_len))
            return fail_field(p, F_REASON, "'%.*s' is not a reason name (lower-case letters)",
                              (int)(item.name_len > 40 ? 40 : item.name_len), item.name);
        if (item.command == NULL) {
            if (n_seen > 0 || *s != '\0')
                return fail_field(p, F_REASON, expected);
            return 0;
        }
        const char *command = smtpc_command_find(item.command, item.command_len);
        if (command == NULL)
            return check_command(p, F_REASON, item.command, item.command_len);
        if (commands != NULL && strcmp(command, "ANY") != 0 && !list_has(commands, "ANY") &&
            !list_has(commands, command))
            return fail_field(p, F_REASON, "%s does not answer %s (Commands: %s)",
                              value(p, F_CODE), command, commands);
        for (size_t i = 0; i < n_seen; i++) {
            if (seen[i] == command)
                return fail_field(p, F_REASON, "%s is given a reason twice", command);
        }
        if (n_seen == sizeof seen / sizeof seen[0])
            return fail_field(p, F_REASON, expected);
        seen[n_seen++] = command;
    }
    return rc < 0 ? fail_field(p, F_REASON, expected) : 0;
}

static int check_code_fields(struct parser *p, smtpc_entry *e)
{
    int rc;
    const char *cls = value(p, F_CLASS);
    int own = value(p, F_PROVIDER) != NULL;
    if (own) {
        /* the class digit of a provider's code is its class */
    } else if (e->parsed.kind == SMTPC_KIND_BASIC) {
        /* RFC 5321 section 4.2.1: the class is the first digit. */
        if (strlen(cls) != 1 || cls[0] != value(p, F_CODE)[0])
            return fail_field(p, F_CLASS, "'%.8s' does not match the first digit of %s", cls,
                              value(p, F_CODE));
    } else if ((rc = check_enhanced_classes(p)) != 0) {
        return rc;
    }
    if (!is_slug(value(p, F_SLUG)))
        return fail_field(p, F_SLUG, "expected lower-case letters and digits joined by '-'");
    if ((rc = parse_keyword(p, F_ORIGIN, SMTPC_ENUM_ORIGIN, &e->origin)) != 0)
        return rc;
    if (own != (e->origin == SMTPC_ORIGIN_PROVIDER))
        return fail_field(p, F_ORIGIN, own ? "a provider's entry has the origin 'provider'"
                                           : "only an entry with a Provider field has the "
                                             "origin 'provider'");
    rc = e->parsed.kind == SMTPC_KIND_BASIC
             ? parse_keyword(p, F_RETRY, SMTPC_ENUM_RETRY, &e->retry)
             : parse_enhanced_retry(p, e, own ? e->classes : cls);
    if (rc != 0)
        return rc;
    if ((value(p, F_ALIAS) != NULL && (rc = check_aliases(p)) != 0) ||
        (value(p, F_EXCEPTION) != NULL && (rc = check_exceptions(p)) != 0))
        return rc;
    e->connection = SMTPC_CONNECTION_UNSPECIFIED;
    if (value(p, F_CONNECTION) != NULL &&
        (rc = parse_keyword(p, F_CONNECTION, SMTPC_ENUM_CONNECTION, &e->connection)) != 0)
        return rc;
    if ((rc = check_references(p, value(p, F_REFERENCE), own)) != 0)
        return rc;
    if (value(p, F_COMMANDS) != NULL &&
        (rc = for_each_item(p, F_COMMANDS, value(p, F_COMMANDS), check_command)) != 0)
        return rc;
    if (value(p, F_REASON) != NULL && (rc = check_code_reason(p)) != 0)
        return rc;
    const char *enhanced = value(p, F_ENHANCED);
    if (enhanced != NULL && strcmp(enhanced, "none") != 0 &&
        (rc = for_each_item(p, F_ENHANCED, enhanced, check_enhanced_item)) != 0)
        return rc;
    smtpc_code see;
    if (value(p, F_SEE) != NULL &&
        smtpc_code_parse(&see, value(p, F_SEE), p->fields[F_SEE].text.len, NULL) != 0)
        return fail_field(p, F_SEE, "'%.40s' is not a code", value(p, F_SEE));
    if ((rc = check_prose(p, F_DESCRIPTION)) != 0 || (rc = check_prose(p, F_WHEN)) != 0 ||
        (rc = check_prose(p, F_FIX)) != 0 || (rc = check_when_text(p)) != 0)
        return rc;
    return 0;
}

/* A provider's code may name a range of details after its own: "4.7.500-699". Reads the code
 * (the range's first) into `e` and the range's last detail into `e->detail_last`. */
static int parse_entry_code(struct parser *p, smtpc_entry *e, int own)
{
    const char *text = value(p, F_CODE);
    size_t len = p->fields[F_CODE].text.len;
    const char *dash = own ? memchr(text, '-', len) : NULL;
    size_t code_len = dash != NULL ? (size_t)(dash - text) : len;
    smtpc_error code_err;
    if (smtpc_code_parse(&e->parsed, text, code_len, &code_err) != 0)
        return fail_field(p, F_CODE, "%s", code_err.text);
    /* One spelling per code, so that a code's text is its key: "X.5.4", never "x.5.4". */
    char canonical[SMTPC_CODE_TEXT_SIZE];
    smtpc_code_format(canonical, &e->parsed);
    if (strlen(canonical) != code_len || memcmp(canonical, text, code_len) != 0)
        return fail_field(p, F_CODE, "write '%.*s' as %s", (int)(code_len > 20 ? 20 : code_len),
                          text, canonical);
    e->detail_last = e->parsed.detail;
    if (own && (e->parsed.kind != SMTPC_KIND_ENHANCED || e->parsed.klass == 0))
        return fail_field(p, F_CODE, "a provider's code is an enhanced code with its class "
                                     "digit, such as 5.7.708");
    if (dash != NULL && (!parse_small_number(dash + 1, 3, &e->detail_last) ||
                         e->detail_last <= e->parsed.detail))
        return fail_field(p, F_CODE, "expected a range of details such as 4.7.500-699, its "
                                     "last detail greater than its first");
    return 0;
}

static int store_code(struct parser *p)
{
    int own = value(p, F_PROVIDER) != NULL;
    struct pending *item = pending_add(p, own ? LIST_PROVIDER_ENTRIES : LIST_ENTRIES);
    if (item == NULL)
        return out_of_memory(p);
    smtpc_entry *e = &item->item.entry;
    int rc = parse_entry_code(p, e, own);
    if (rc != 0)
        return rc;
    char klass[2] = {(char)('0' + e->parsed.klass), '\0'};
    e->classes = own ? smtpc_arena_strndup(p->arena, klass, 1) : keep(p, F_CLASS);
    if (e->classes == NULL)
        return out_of_memory(p);
    if ((rc = check_code_fields(p, e)) != 0)
        return rc;
    const char *enhanced = value(p, F_ENHANCED);
    e->code = keep(p, F_CODE);
    e->name = keep(p, F_NAME);
    e->aliases = keep(p, F_ALIAS);
    e->slug = keep(p, F_SLUG);
    e->description = keep(p, F_DESCRIPTION);
    e->when = keep(p, F_WHEN);
    e->fix = keep(p, F_FIX);
    e->references = keep(p, F_REFERENCE);
    e->commands = keep(p, F_COMMANDS);
    e->enhanced = enhanced != NULL && strcmp(enhanced, "none") == 0 ? "" : keep(p, F_ENHANCED);
    e->sample = keep(p, F_SAMPLE);
    e->associated = keep(p, F_ASSOCIATED);
    e->see = keep(p, F_SEE);
    e->note = keep(p, F_NOTE);
    e->exceptions = keep(p, F_EXCEPTION);
    e->reason = keep(p, F_REASON);
    e->provider = keep(p, F_PROVIDER);
    const char *kept[] = {e->code,    e->name,       e->aliases, e->slug,
                          e->description, e->when,   e->fix,     e->references,
                          e->commands, e->enhanced,  e->sample,  e->associated,
                          e->see,     e->note,       e->exceptions, e->reason, e->provider};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        if (kept[i] == NULL)
            return out_of_memory(p);
    }
    if (!keep_reference(p, item) || !keep_provider(p, item))
        return out_of_memory(p);
    p->lists[own ? LIST_PROVIDER_ENTRIES : LIST_ENTRIES].n++;
    return 0;
}

/* Host names of a provider: space-separated domain names in lower case. */
static int check_hosts(struct parser *p)
{
    for (const char *s = value(p, F_HOSTS); *s != '\0';) {
        size_t n = strcspn(s, " ");
        for (size_t i = 0; i < n; i++) {
            char c = s[i];
            int ok = smtpc_is_lower(c) || smtpc_is_digit(c) || c == '-' ||
                     (c == '.' && i > 0 && i + 1 < n && s[i + 1] != '.');
            if (!ok)
                return fail_field(p, F_HOSTS, "'%.*s' is not a lower-case domain name",
                                  (int)(n > 60 ? 60 : n), s);
        }
        s += n;
        while (*s == ' ')
            s++;
    }
    return 0;
}

static int store_provider(struct parser *p)
{
    if (!is_slug(value(p, F_PROVIDER)))
        return fail_field(p, F_PROVIDER, "expected lower-case letters and digits joined by '-'");
    int rc = check_hosts(p);
    if (rc == 0)
        rc = check_references(p, value(p, F_REFERENCE), 1);
    if (rc == 0)
        rc = check_prose(p, F_DESCRIPTION);
    if (rc != 0)
        return rc;
    struct pending *item = pending_add(p, LIST_PROVIDERS);
    if (item == NULL)
        return out_of_memory(p);
    smtpc_provider *provider = &item->item.provider;
    provider->slug = keep(p, F_PROVIDER);
    provider->name = keep(p, F_NAME);
    provider->hosts = keep(p, F_HOSTS);
    provider->description = keep(p, F_DESCRIPTION);
    provider->references = keep(p, F_REFERENCE);
    if (provider->slug == NULL || provider->name == NULL || provider->hosts == NULL ||
        provider->description == NULL || provider->references == NULL)
        return out_of_memory(p);
    p->lists[LIST_PROVIDERS].n++;
    return 0;
}

static int store_group(struct parser *p, int kind, enum field_id key_field, int max)
{
    int number;
    if (!parse_small_number(value(p, key_field), 3, &number) || number > max)
        return fail_field(p, key_field, "expected a number from 0 to %d", max);
    if (kind == SMTPC_GROUP_CLASS && (number < 2 || number > 5))
        return fail_field(p, key_field, "expected a reply class from 2 to 5");
    struct pending *item = pending_add(p, (size_t)kind);
    if (item == NULL)
        return out_of_memory(p);
    smtpc_group *g = &item->item.group;
    g->number = number;
    g->name = keep(p, F_NAME);
    g->alt_name = keep(p, F_ENHANCED_NAME);
    g->description = keep(p, F_DESCRIPTION);
    if (g->name == NULL || g->alt_name == NULL || g->description == NULL)
        return out_of_memory(p);
    if (strcmp(g->alt_name, "none") == 0)
        g->alt_name = "";
    p->lists[kind].n++;
    return 0;
}

/* A lower-case BCP 47 tag: a 2-3 letter language, then subtags of 2-8 letters or digits. */
static int is_language_tag(const char *s)
{
    size_t i = 0;
    while (smtpc_is_lower(s[i]))
        i++;
    if (i < 2 || i > 3)
        return 0;
    while (s[i] == '-') {
        size_t start = ++i;
        while (smtpc_is_lower(s[i]) || smtpc_is_digit(s[i]))
            i++;
        if (i - start < 2 || i - start > 8)
            return 0;
    }
    return s[i] == '\0';
}

static int store_language(struct parser *p)
{
    if (!is_language_tag(value(p, F_LANGUAGE)))
        return fail_field(p, F_LANGUAGE, "expected a lower-case language tag such as 'en' or "
                                         "'zh-hans'");
    struct pending *item = pending_add(p, LIST_LANGUAGES);
    if (item == NULL)
        return out_of_memory(p);
    struct smtpc_language *lang = &item->item.language;
    lang->tag = keep(p, F_LANGUAGE);
    lang->name = keep(p, F_LANGUAGE_NAME);
    if (lang->tag == NULL || lang->name == NULL)
        return out_of_memory(p);
    int english = strcmp(lang->tag, "en") == 0;
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++) {
        enum field_id f = (enum field_id)(F_LABEL_DESCRIPTION + i);
        if (value(p, f) == NULL) {
            if (english)
                return fail(p, p->record_line, 1, "Language record 'en': missing field %s "
                            "(the English labels are the source of their translations)",
                            field_names[f]);
            lang->labels[i] = NULL;
            continue;
        }
        if ((lang->labels[i] = keep(p, f)) == NULL)
            return out_of_memory(p);
    }
    const char *direction = value(p, F_DIRECTION);
    lang->direction = SMTPC_DIRECTION_LTR;
    if (direction != NULL) {
        int d = smtpc_enum_find(SMTPC_ENUM_DIRECTION, direction, strlen(direction));
        if (d < 0)
            return fail_field(p, F_DIRECTION, "expected 'ltr' or 'rtl'");
        lang->direction = d;
    }
    lang->texts = NULL;
    p->lists[LIST_LANGUAGES].n++;
    return 0;
}

static int store_reason(struct parser *p)
{
    const char *name = value(p, F_REASON);
    if (!is_reason_name(name, strlen(name)))
        return fail_field(p, F_REASON, "expected a lower-case name such as 'userunknown'");
    static const char *const hard_words[] = {"none", "no", "yes"}; /* hard -1, 0, 1 */
    int hard = 0;
    while (hard < 3 && strcmp(value(p, F_HARD), hard_words[hard]) != 0)
        hard++;
    if (hard == 3)
        return fail_field(p, F_HARD, "'%.40s' is not one of yes, no, none", value(p, F_HARD));
    int rc = check_prose(p, F_DESCRIPTION);
    if (rc != 0)
        return rc;
    struct pending *item = pending_add(p, LIST_REASONS);
    if (item == NULL)
        return out_of_memory(p);
    struct smtpc_reason_def *r = &item->item.reason;
    r->name = keep(p, F_REASON);
    r->hard = hard - 1;
    r->description = keep(p, F_DESCRIPTION);
    if (r->name == NULL || r->description == NULL)
        return out_of_memory(p);
    p->lists[LIST_REASONS].n++;
    return 0;
}

/* A pattern matches ignoring the case of ASCII letters; it is kept lower-cased beside the text
 * as written, as smtpc_reason_decide() lower-cases the diagnostic. */
static int store_pattern(struct parser *p)
{
    const char *reason = value(p, F_REASON);
    if (!is_reason_name(reason, strlen(reason)))
        return fail_field(p, F_REASON, "expected the name of a Reason record");
    struct pending *item = pending_add(p, LIST_PATTERNS);
    if (item == NULL)
        return out_of_memory(p);
    struct smtpc_pattern *pattern = &item->item.pattern;
    pattern->len = p->fields[F_PATTERN].text.len;
    pattern->text = keep(p, F_PATTERN);
    pattern->source = keep(p, F_SOURCE);
    char *match = smtpc_arena_strndup(p->arena, value(p, F_PATTERN), pattern->len);
    if (pattern->text == NULL || pattern->source == NULL || match == NULL ||
        !keep_reference(p, item) || !keep_provider(p, item))
        return out_of_memory(p);
    for (size_t i = 0; i < pattern->len; i++)
        match[i] = smtpc_to_lower(match[i]);
    pattern->match = match;
    p->lists[LIST_PATTERNS].n++;
    return 0;
}

static int check_mandatory_fields(struct parser *p)
{
    enum record_type type =
        p->type == R_CODE && p->fields[F_PROVIDER].present ? R_PROVIDER_CODE : p->type;
    const struct record_schema *schema = &schemas[type];
    for (size_t i = 0; i < schema->n_rules; i++) {
        const struct field_rule *rule = &schema->rules[i];
        enum use use = p->record_is_enhanced ? rule->enhanced : rule->basic;
        if (use == REQ && !p->fields[rule->field].present)
            return fail(p, p->record_line, 1, "%s record '%.40s' lacks the mandatory field %s",
                        record_names[type], p->fields[schema->rules[0].field].text.data,
                        field_names[rule->field]);
        if (use == NO && p->fields[rule->field].present)
            return fail_field(p, rule->field, "not allowed in %s %s record",
                              type == R_PROVIDER_CODE ? "a"
                              : p->record_is_enhanced ? "an enhanced"
                                                      : "a basic",
                              record_names[type]);
        if (p->fields[rule->field].present && p->fields[rule->field].text.len == 0)
            return fail_field(p, rule->field, "empty value");
    }
    return 0;
}

static int end_record(struct parser *p)
{
    if (p->type == R_NONE)
        return 0;
    int rc = check_mandatory_fields(p);
    if (rc == 0) {
        switch (p->type) {
        case R_CODE: rc = store_code(p); break;
        case R_CLASS: rc = store_group(p, SMTPC_GROUP_CLASS, F_CLASS, 5); break;
        case R_CATEGORY: rc = store_group(p, SMTPC_GROUP_CATEGORY, F_CATEGORY, 9); break;
        case R_SUBJECT: rc = store_group(p, SMTPC_GROUP_SUBJECT, F_SUBJECT, 999); break;
        case R_LANGUAGE: rc = store_language(p); break;
        case R_REASON: rc = store_reason(p); break;
        case R_PATTERN: rc = store_pattern(p); break;
        case R_PROVIDER: rc = store_provider(p); break;
        case R_PROVIDER_CODE:
        case R_NONE: break;
        }
    }
    reset_record(p);
    return rc;
}

/* ---- lines ---- */

/* Checks the bytes of one line: valid UTF-8, no control characters but tab. */
static int check_line_bytes(struct parser *p, unsigned long line, const char *s, size_t len)
{
    unsigned long column = 1;
    for (size_t i = 0; i < len; column++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r')
            return fail(p, line, column, "carriage return inside a line");
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return fail(p, line, column, "control character \\x%02X", c);
        size_t n = smtpc_utf8_sequence((const unsigned char *)s + i, len - i);
        if (n == 0)
            return fail(p, line, column, "invalid UTF-8");
        i += n;
    }
    return 0;
}

static enum record_type record_type_of(enum field_id f)
{
    switch (f) {
    case F_CODE: return R_CODE;
    case F_CLASS: return R_CLASS;
    case F_CATEGORY: return R_CATEGORY;
    case F_SUBJECT: return R_SUBJECT;
    case F_LANGUAGE: return R_LANGUAGE;
    case F_REASON: return R_REASON;
    case F_PATTERN: return R_PATTERN;
    case F_PROVIDER: return R_PROVIDER;
    default: return R_NONE;
    }
}

static int field_allowed(enum record_type type, enum field_id f)
{
    const struct record_schema *schema = &schemas[type];
    for (size_t i = 0; i < schema->n_rules; i++) {
        if (schema->rules[i].field == f)
            return 1;
    }
    return 0;
}

static int append_value(struct parser *p, unsigned long line, const char *s, size_t len)
{
    struct field_value *v = &p->fields[p->last_field];
    smtpc_buf_append(&v->text, s, len);
    if (v->text.failed)
        return out_of_memory(p);
    if (v->text.len > MAX_VALUE_BYTES)
        return fail(p, line, 1, "the value of %s is longer than %d bytes",
                    field_names[p->last_field], MAX_VALUE_BYTES);
    return 0;
}

static size_t trim_right(const char *s, size_t len)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return len;
}

static int read_continuation(struct parser *p, unsigned long line, const char *s, size_t len)
{
    if (p->type == R_NONE)
        return fail(p, line, 1, "continuation line without a field to continue");
    size_t start = 0;
    while (start < len && (s[start] == ' ' || s[start] == '\t'))
        start++;
    if (len - start == 1 && s[start] == '.') {
        p->paragraph_break = 1;
        return append_value(p, line, "\n", 1);
    }
    if (!p->paragraph_break && p->fields[p->last_field].text.len > 0) {
        int rc = append_value(p, line, " ", 1);
        if (rc != 0)
            return rc;
    }
    p->paragraph_break = 0;
    return append_value(p, line, s + start, len - start);
}

/* Counts the characters (not bytes) of s[0..len) to turn a byte offset into a column. */
static unsigned long column_of(const char *s, size_t len)
{
    unsigned long column = 1;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            column++;
    }
    return column;
}

static int read_field(struct parser *p, unsigned long line, const char *s, size_t len)
{
    size_t name_len = 0;
    while (name_len < len && (smtpc_is_lower(s[name_len]) || smtpc_is_upper(s[name_len]) ||
                              s[name_len] == '-'))
        name_len++;
    if (name_len == 0 || name_len == len || s[name_len] != ':')
        return fail(p, line, column_of(s, name_len), "expected 'Field: value'");
    int f = 0;
    while (f < FIELD_COUNT &&
           !(strlen(field_names[f]) == name_len && memcmp(field_names[f], s, name_len) == 0))
        f++;
    if (f == FIELD_COUNT)
        return fail(p, line, 1, "unknown field '%.*s'", (int)(name_len > 40 ? 40 : name_len),
                    s);
    if (p->type == R_NONE) {
        p->type = record_type_of((enum field_id)f);
        if (p->type == R_NONE)
            return fail(p, line, 1,
                        "a record starts with Code, Class, Category, Subject, Language, "
                        "Reason, Pattern or Provider, not %s",
                        field_names[f]);
        p->record_line = line;
    } else if (!field_allowed(p->type, (enum field_id)f)) {
        return fail(p, line, 1, "field %s is not allowed in a %s record", field_names[f],
                    record_names[p->type]);
    } else if (p->fields[f].present) {
        return fail(p, line, 1, "repeated field %s (first at line %lu)", field_names[f],
                    p->fields[f].line);
    }
    size_t start = name_len + 1;
    while (start < len && (s[start] == ' ' || s[start] == '\t'))
        start++;
    struct field_value *v = &p->fields[f];
    v->present = 1;
    v->line = line;
    v->column = column_of(s, start);
    v->text.len = 0;
    p->last_field = (enum field_id)f;
    p->paragraph_break = 0;
    int rc = append_value(p, line, s + start, len - start);
    if (rc != 0)
        return rc;
    if (f == F_CODE)
        p->record_is_enhanced = len - start > 1 && s[start + 1] == '.';
    return 0;
}

static int read_line(struct parser *p, unsigned long line, const char *s, size_t len)
{
    if (len > MAX_LINE_BYTES)
        return fail(p, line, column_of(s, MAX_LINE_BYTES) , "line longer than %d bytes",
                    MAX_LINE_BYTES);
    int rc = check_line_bytes(p, line, s, len);
    if (rc != 0)
        return rc;
    if (len > 0 && s[0] == '#')
        return 0;
    len = trim_right(s, len);
    if (len == 0)
        return end_record(p);
    if (s[0] == ' ' || s[0] == '\t')
        return read_continuation(p, line, s, len);
    return read_field(p, line, s, len);
}

static int read_lines(struct parser *p, const char *data, size_t len)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        return fail(p, 1, 1, "byte order mark: save the file as UTF-8 without one");
    unsigned long line = 1;
    size_t at = 0;
    while (at < len) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t end = nl != NULL ? (size_t)(nl - data) : len;
        size_t line_len = end - at;
        if (line_len > 0 && data[end - 1] == '\r' && nl != NULL)
            line_len--;
        int rc = read_line(p, line, data + at, line_len);
        if (rc != 0)
            return rc;
        at = end + 1;
        line++;
    }
    return end_record(p);
}

/* ---- building the database ---- */

static int compare_entries(const void *a, const void *b)
{
    long ka = smtpc_code_key(&((const smtpc_entry *)a)->parsed);
    long kb = smtpc_code_key(&((const smtpc_entry *)b)->parsed);
    return (ka > kb) - (ka < kb);
}

static int compare_provider_entries(const void *a, const void *b)
{
    return smtpc_provider_entry_compare(a, b);
}

static int compare_providers(const void *a, const void *b)
{
    return strcmp(((const smtpc_provider *)a)->slug, ((const smtpc_provider *)b)->slug);
}

static int compare_groups(const void *a, const void *b)
{
    int na = ((const smtpc_group *)a)->number;
    int nb = ((const smtpc_group *)b)->number;
    return (na > nb) - (na < nb);
}

static int compare_languages(const void *a, const void *b)
{
    return strcmp(((const struct smtpc_language *)a)->tag,
                  ((const struct smtpc_language *)b)->tag);
}

static int compare_reasons(const void *a, const void *b)
{
    return strcmp(((const struct smtpc_reason_def *)a)->name,
                  ((const struct smtpc_reason_def *)b)->name);
}

/* Orders pending records by key, then by line, so that duplicates sit side by side with the
 * first definition first. */
static int compare_pending_with(const void *a, const void *b,
                                int (*compare_items)(const void *, const void *))
{
    const struct pending *pa = a;
    const struct pending *pb = b;
    int c = compare_items(&pa->item, &pb->item);
    if (c != 0)
        return c;
    return (pa->line > pb->line) - (pa->line < pb->line);
}

static int compare_pending_entries(const void *a, const void *b)
{
    return compare_pending_with(a, b, compare_entries);
}

static int compare_pending_provider_entries(const void *a, const void *b)
{
    return compare_pending_with(a, b, compare_provider_entries);
}

static int compare_pending_providers(const void *a, const void *b)
{
    return compare_pending_with(a, b, compare_providers);
}

static int compare_pending_groups(const void *a, const void *b)
{
    return compare_pending_with(a, b, compare_groups);
}

static int compare_pending_languages(const void *a, const void *b)
{
    return compare_pending_with(a, b, compare_languages);
}

static int compare_pending_reasons(const void *a, const void *b)
{
    return compare_pending_with(a, b, compare_reasons);
}

/* How each list orders and names its records. */
struct list_kind {
    int (*compare)(const void *, const void *);
    int (*compare_pending)(const void *, const void *);
    size_t size;
    const char *what;
};

static const struct list_kind list_kinds[LIST_SORTED] = {
    {compare_entries, compare_pending_entries, sizeof(smtpc_entry), "code"},
    {compare_groups, compare_pending_groups, sizeof(smtpc_group), "Class record"},
    {compare_groups, compare_pending_groups, sizeof(smtpc_group), "Category record"},
    {compare_groups, compare_pending_groups, sizeof(smtpc_group), "Subject record"},
    {compare_languages, compare_pending_languages, sizeof(struct smtpc_language),
     "Language record"},
    {compare_reasons, compare_pending_reasons, sizeof(struct smtpc_reason_def),
     "Reason record"},
    {compare_provider_entries, compare_pending_provider_entries, sizeof(smtpc_entry),
     "provider's code"},
    {compare_providers, compare_pending_providers, sizeof(smtpc_provider), "Provider record"},
};

static void describe_key(char *buf, size_t size, size_t which, const struct pending *item)
{
    if (which == LIST_ENTRIES)
        snprintf(buf, size, "%s", item->item.entry.code);
    else if (which == LIST_PROVIDER_ENTRIES)
        snprintf(buf, size, "%.40s %s", item->item.entry.provider, item->item.entry.code);
    else if (which == LIST_PROVIDERS)
        snprintf(buf, size, "%.60s", item->item.provider.slug);
    else if (which == LIST_LANGUAGES)
        snprintf(buf, size, "%s", item->item.language.tag);
    else if (which == LIST_REASONS)
        snprintf(buf, size, "%.60s", item->item.reason.name);
    else
        snprintf(buf, size, "%d", item->item.group.number);
}

/* Sorts list `which` and refuses a key the file defines twice. */
static int sort_unique(struct parser *p, size_t which)
{
    struct pending_list *list = &p->lists[which];
    if (list->n > 1)
        qsort(list->items, list->n, sizeof *list->items, list_kinds[which].compare_pending);
    for (size_t i = 1; i < list->n; i++) {
        if (list_kinds[which].compare(&list->items[i - 1].item, &list->items[i].item) == 0) {
            char key[SMTPC_CODE_TEXT_SIZE + 64];
            describe_key(key, sizeof key, which, &list->items[i]);
            return fail(p, list->items[i].line, 1, "duplicate %s %s (first at line %lu)",
                        list_kinds[which].what, key, list->items[i - 1].line);
        }
    }
    return 0;
}

/* Merges sorted `base` and the sorted records of list `which` into one sorted arena array; a
 * record of the file replaces the base record with the same key. NULL when memory runs out. */
static void *merge(struct parser *p, size_t which, const void *base, size_t n_base,
                   size_t *n_out)
{
    const struct pending_list *list = &p->lists[which];
    const size_t size = list_kinds[which].size;
    int (*cmp)(const void *, const void *) = list_kinds[which].compare;
    unsigned char *out = smtpc_arena_alloc(p->arena, (n_base + list->n) * size + 1);
    if (out == NULL)
        return NULL;
    size_t i = 0;
    size_t j = 0;
    size_t n = 0;
    while (i < n_base || j < list->n) {
        const void *from_base = i < n_base ? (const unsigned char *)base + i * size : NULL;
        const void *from_file = j < list->n ? (const void *)&list->items[j].item : NULL;
        int c = from_base == NULL ? 1 : from_file == NULL ? -1 : cmp(from_base, from_file);
        if (c < 0) {
            memcpy(out + n++ * size, from_base, size);
            i++;
        } else {
            memcpy(out + n++ * size, from_file, size);
            i += c == 0;
            j++;
        }
    }
    *n_out = n;
    return out;
}

struct slug_owner {
    const char *slug;
    const char *code;
    unsigned long line; /* 0 for a record of the base database */
};

static int compare_slug_owners(const void *a, const void *b)
{
    const struct slug_owner *sa = a;
    const struct slug_owner *sb = b;
    int c = strcmp(sa->slug, sb->slug);
    return c != 0 ? c : (sa->line > sb->line) - (sa->line < sb->line);
}

/* The line of the file record that defined `e`, or 0 when it comes from the base. */
static unsigned long line_of_entry(const struct parser *p, const smtpc_entry *e)
{
    int own = e->provider[0] != '\0';
    const struct pending_list *list = &p->lists[own ? LIST_PROVIDER_ENTRIES : LIST_ENTRIES];
    int (*compare)(const void *, const void *) = own ? compare_provider_entries : compare_entries;
    size_t lo = 0;
    size_t hi = list->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare(&list->items[mid].item.entry, e);
        if (c == 0)
            return list->items[mid].item.entry.slug == e->slug ? list->items[mid].line : 0;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Slugs name pages, so they are unique across the merged database, the providers' entries
 * included. */
static int check_unique_slugs(struct parser *p, const smtpc_db *db)
{
    size_t n = db->n_entries + db->n_provider_entries;
    if (n < 2)
        return 0;
    struct slug_owner *owners = malloc(n * sizeof *owners);
    if (owners == NULL)
        return out_of_memory(p);
    for (size_t i = 0; i < n; i++) {
        const smtpc_entry *e = i < db->n_entries ? &db->entries[i]
                                                 : &db->provider_entries[i - db->n_entries];
        owners[i].slug = e->slug;
        owners[i].code = e->code;
        owners[i].line = line_of_entry(p, e);
    }
    qsort(owners, n, sizeof *owners, compare_slug_owners);
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++) {
        if (strcmp(owners[i - 1].slug, owners[i].slug) == 0)
            rc = fail(p, owners[i].line, 1, "slug '%s' of %s is already used by %s",
                      owners[i].slug, owners[i].code, owners[i - 1].code);
    }
    free(owners);
    return rc;
}

/* A pattern's key: its provider ("" for all) and its lower-cased text. */
static int compare_pattern_keys(const char *provider_a, const char *match_a,
                                const char *provider_b, const char *match_b)
{
    int c = strcmp(provider_a, provider_b);
    return c != 0 ? c : strcmp(match_a, match_b);
}

static const char *pending_provider(const struct pending *item)
{
    return item->provider != NULL ? item->provider : "";
}

/* The file's patterns ordered by their key, then by line. */
static int compare_pattern_records(const void *a, const void *b)
{
    const struct pending *pa = *(const struct pending *const *)a;
    const struct pending *pb = *(const struct pending *const *)b;
    int c = compare_pattern_keys(pending_provider(pa), pa->item.pattern.match,
                                 pending_provider(pb), pb->item.pattern.match);
    return c != 0 ? c : (pa->line > pb->line) - (pa->line < pb->line);
}

static int file_has_pattern(struct pending *const *sorted, size_t n,
                            const struct smtpc_pattern *pattern)
{
    const char *provider = pattern->provider != NULL ? pattern->provider->slug : "";
    size_t lo = 0;
    size_t hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_pattern_keys(pending_provider(sorted[mid]), sorted[mid]->item.pattern.match,
                                     provider, pattern->match);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The patterns decide in order, the first that matches winning: the file's come first, in the
 * order it writes them, then those of `base` that the file does not write again (ignoring case,
 * as they match). Two patterns of the file with the same text are refused. */
static int merge_patterns(struct parser *p, const smtpc_db *base, smtpc_db *db)
{
    const struct pending_list *list = &p->lists[LIST_PATTERNS];
    struct pending **sorted = malloc((list->n + 1) * sizeof *sorted);
    struct smtpc_pattern *out =
        smtpc_arena_alloc(p->arena, (list->n + base->n_patterns + 1) * sizeof *out);
    if (sorted == NULL || out == NULL) {
        free(sorted);
        return out_of_memory(p);
    }
    for (size_t i = 0; i < list->n; i++)
        sorted[i] = &list->items[i];
    qsort(sorted, list->n, sizeof *sorted, compare_pattern_records);
    for (size_t i = 1; i < list->n; i++) {
        if (compare_pattern_keys(pending_provider(sorted[i - 1]), sorted[i - 1]->item.pattern.match,
                                 pending_provider(sorted[i]), sorted[i]->item.pattern.match) == 0) {
            int rc = fail(p, sorted[i]->line, 1, "duplicate Pattern '%.60s' (first at line %lu)",
                          sorted[i]->item.pattern.text, sorted[i - 1]->line);
            free(sorted);
            return rc;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        out[n++] = list->items[i].item.pattern;
    for (size_t i = 0; i < base->n_patterns; i++) {
        if (!file_has_pattern(sorted, list->n, &base->patterns[i]))
            out[n++] = base->patterns[i];
    }
    free(sorted);
    db->patterns = out;
    db->n_patterns = n;
    return 0;
}

/* The reason named by the Reason field of file record `item`, or an error at that field. */
static int find_reason(struct parser *p, const smtpc_db *db, const struct pending *item,
                       const char *name, size_t len, const struct smtpc_reason_def **out)
{
    *out = smtpc_reason_find(db, name, len);
    if (*out != NULL)
        return 0;
    return fail(p, item->reference_line, item->reference_column,
                "Reason: no Reason record named '%.*s'", (int)(len > 40 ? 40 : len), name);
}

/* Every reason a Code or Pattern record of the file names must have a record, in the file or
 * in the database under it; the patterns of that database are pointed at the merged reasons,
 * which the file may have replaced. */
static int resolve_reasons(struct parser *p, smtpc_db *db)
{
    const struct pending_list *patterns = &p->lists[LIST_PATTERNS];
    const struct smtpc_reason_def *def;
    static const size_t entry_lists[] = {LIST_ENTRIES, LIST_PROVIDER_ENTRIES};
    for (size_t k = 0; k < sizeof entry_lists / sizeof entry_lists[0]; k++) {
        const struct pending_list *entries = &p->lists[entry_lists[k]];
        for (size_t i = 0; i < entries->n; i++) {
            const char *s = entries->items[i].reference;
            struct smtpc_reason_item item;
            while (s != NULL && smtpc_reason_item_next(&item, &s) == 1) {
                int rc = find_reason(p, db, &entries->items[i], item.name, item.name_len, &def);
                if (rc != 0)
                    return rc;
            }
        }
    }
    struct smtpc_pattern *merged = (struct smtpc_pattern *)db->patterns;
    for (size_t i = 0; i < db->n_patterns; i++) {
        if (i < patterns->n) {
            const struct pending *item = &patterns->items[i];
            int rc = find_reason(p, db, item, item->reference, strlen(item->reference), &def);
            if (rc != 0)
                return rc;
        } else {
            def = smtpc_reason_find(db, merged[i].reason->name, strlen(merged[i].reason->name));
        }
        merged[i].reason = def;
    }
    return 0;
}

/* The provider named by the Provider field of file record `item`, or an error at that field. */
static int find_provider(struct parser *p, const smtpc_db *db, const struct pending *item,
                         const smtpc_provider **out)
{
    *out = smtpc_provider_named(db, item->provider);
    if (*out != NULL)
        return 0;
    return fail(p, item->provider_line, item->provider_column,
                "Provider: no Provider record named '%.40s'", item->provider);
}

/* Every provider an entry or a pattern of the file names must have a record, in the file or
 * in the database under it; each pattern points at the merged provider record, which the file
 * may have replaced. */
static int resolve_providers(struct parser *p, smtpc_db *db)
{
    const struct pending_list *entries = &p->lists[LIST_PROVIDER_ENTRIES];
    const struct pending_list *patterns = &p->lists[LIST_PATTERNS];
    const smtpc_provider *provider;
    for (size_t i = 0; i < entries->n; i++) {
        int rc = find_provider(p, db, &entries->items[i], &provider);
        if (rc != 0)
            return rc;
    }
    struct smtpc_pattern *merged = (struct smtpc_pattern *)db->patterns;
    for (size_t i = 0; i < db->n_patterns; i++) {
        provider = NULL;
        if (i < patterns->n && patterns->items[i].provider != NULL) {
            int rc = find_provider(p, db, &patterns->items[i], &provider);
            if (rc != 0)
                return rc;
        } else if (i >= patterns->n && merged[i].provider != NULL) {
            provider = smtpc_provider_named(db, merged[i].provider->slug);
        }
        merged[i].provider = provider;
    }
    return 0;
}

static int build_db(struct parser *p, const smtpc_db *base, smtpc_db *db)
{
    const smtpc_db empty = {0};
    if (base == NULL)
        base = &empty;
    for (size_t which = 0; which < LIST_SORTED; which++) {
        int rc = sort_unique(p, which);
        if (rc != 0)
            return rc;
    }
    db->entries = merge(p, LIST_ENTRIES, base->entries, base->n_entries, &db->n_entries);
    db->classes = merge(p, SMTPC_GROUP_CLASS, base->classes, base->n_classes, &db->n_classes);
    db->categories =
        merge(p, SMTPC_GROUP_CATEGORY, base->categories, base->n_categories, &db->n_categories);
    db->subjects = merge(p, SMTPC_GROUP_SUBJECT, base->subjects, base->n_subjects, &db->n_subjects);
    db->languages =
        merge(p, LIST_LANGUAGES, base->languages, base->n_languages, &db->n_languages);
    db->reasons = merge(p, LIST_REASONS, base->reasons, base->n_reasons, &db->n_reasons);
    db->provider_entries = merge(p, LIST_PROVIDER_ENTRIES, base->provider_entries,
                                 base->n_provider_entries, &db->n_provider_entries);
    db->providers = merge(p, LIST_PROVIDERS, base->providers, base->n_providers, &db->n_providers);
    if (db->entries == NULL || db->classes == NULL || db->categories == NULL ||
        db->subjects == NULL || db->languages == NULL || db->reasons == NULL ||
        db->provider_entries == NULL || db->providers == NULL)
        return out_of_memory(p);
    int rc = merge_patterns(p, base, db);
    if (rc == 0)
        rc = resolve_reasons(p, db);
    if (rc == 0)
        rc = resolve_providers(p, db);
    if (rc == 0)
        rc = check_unique_slugs(p, db);
    if (rc != 0)
        return rc;
    if (smtpc_language_find(db, "en", 2) == NULL)
        return fail(p, 0, 0, "no Language record for 'en', which every page falls back to");
    return 0;
}

static void free_parser(struct parser *p)
{
    for (int f = 0; f < FIELD_COUNT; f++)
        smtpc_buf_free(&p->fields[f].text);
    for (size_t which = 0; which < LIST_COUNT; which++)
        free(p->lists[which].items);
}

int smtpc_load_over(smtpc_db **out, const smtpc_db *base, const char *data, size_t len,
                    const char *source, smtpc_error *err)
{
    if (out == NULL || (data == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, source, 0, 0, "NULL argument");
    *out = NULL;
    if (source == NULL)
        source = "<buffer>";
    if (len > MAX_FILE_BYTES)
        return smtpc_set_error(err, SMTPC_EDATA, source, 0, 0,
                               "larger than the %d MiB a data file may hold",
                               MAX_FILE_BYTES / (1024 * 1024));
    struct parser p;
    memset(&p, 0, sizeof p);
    p.source = source;
    p.err = err;
    p.arena = smtpc_arena_new();
    if (p.arena == NULL)
        return out_of_memory(&p);
    smtpc_db *db = smtpc_arena_alloc(p.arena, sizeof *db);
    int rc = db == NULL ? out_of_memory(&p) : read_lines(&p, data != NULL ? data : "", len);
    if (rc == 0) {
        memset(db, 0, sizeof *db);
        rc = build_db(&p, base, db);
    }
    if (rc == 0) {
        db->arena = p.arena;
        rc = smtpc_translations_carry(db, base, err);
    }
    if (rc == 0) {
        *out = db;
    } else {
        smtpc_arena_free(p.arena);
    }
    free_parser(&p);
    return rc;
}

const char *smtpc_errno_text(int e)
{
    switch (e) {
    case ENOENT: return "no such file";
    case EACCES: return "permission denied";
    case EISDIR: return "is a directory";
    case ENOMEM: return "out of memory";
    case ELOOP: return "too many symbolic links";
    case ENAMETOOLONG: return "file name too long";
    case ENOTDIR: return "a component of the path is not a directory";
    default: return "read error";
    }
}

int smtpc_load_file_over(smtpc_db **out, const smtpc_db *base, const char *path,
                         smtpc_error *err)
{
    if (out == NULL || path == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return smtpc_set_error(err, SMTPC_EIO, path, 0, 0, "cannot open: %s",
                               smtpc_errno_text(errno));
    struct smtpc_buf buf;
    smtpc_buf_init(&buf);
    char chunk[65536];
    size_t n;
    int too_big = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        smtpc_buf_append(&buf, chunk, n);
        if (buf.len > MAX_FILE_BYTES) {
            too_big = 1;
            break;
        }
    }
    int read_failed = ferror(f);
    int saved_errno = errno;
    fclose(f);
    int rc;
    if (buf.failed)
        rc = smtpc_set_error(err, SMTPC_ENOMEM, path, 0, 0, "out of memory");
    else if (too_big)
        rc = smtpc_set_error(err, SMTPC_EDATA, path, 0, 0,
                             "larger than the %d MiB a data file may hold",
                             MAX_FILE_BYTES / (1024 * 1024));
    else if (read_failed)
        rc = smtpc_set_error(err, SMTPC_EIO, path, 0, 0, "cannot read: %s",
                             smtpc_errno_text(saved_errno));
    else
        rc = smtpc_load_over(out, base, buf.data, buf.len, path, err);
    smtpc_buf_free(&buf);
    return rc;
}
