/*
 * names.c - the one place where the core's enumerations get their names, and where the
 * commands a reply can answer are known. The data file, the renderers and every binding read
 * them from here, so a name cannot be spelt two ways.
 */
#include "internal.h"

#include <string.h>

struct name {
    int value;
    const char *name;
};

static const struct name kind_names[] = {
    {SMTPC_KIND_BASIC, "basic"},
    {SMTPC_KIND_ENHANCED, "enhanced"},
};

static const struct name origin_names[] = {
    {SMTPC_ORIGIN_RFC, "rfc"},
    {SMTPC_ORIGIN_REGISTRY, "registry"},
    {SMTPC_ORIGIN_NONSTANDARD, "nonstandard"},
    {SMTPC_ORIGIN_PROVIDER, "provider"},
};

static const struct name retry_names[] = {
    {SMTPC_RETRY_NONE, "none"},
    {SMTPC_RETRY_LATER, "later"},
    {SMTPC_RETRY_AFTER_FIX, "after-fix"},
    {SMTPC_RETRY_NO, "no"},
};

static const struct name connection_names[] = {
    {SMTPC_CONNECTION_KEPT, "kept"},
    {SMTPC_CONNECTION_CLOSED, "closed"},
    {SMTPC_CONNECTION_MAY_CLOSE, "may-close"},
};

static const struct name action_names[] = {
    {SMTPC_ACTION_DONE, "done"},
    {SMTPC_ACTION_CONTINUE, "continue"},
    {SMTPC_ACTION_RETRY, "retry"},
    {SMTPC_ACTION_GIVE_UP, "give-up"},
};

static const struct name verdict_flag_names[] = {
    {SMTPC_VERDICT_CLASS_MISMATCH, "class-mismatch"},
    {SMTPC_VERDICT_UNKNOWN_CODE, "unknown-code"},
    {SMTPC_VERDICT_CONNECTION_CLOSED, "connection-closed"},
    {SMTPC_VERDICT_OVERRIDDEN, "overridden"},
};

static const struct name warning_names[] = {
    {SMTPC_WARN_CLASS_MISMATCH, "class-mismatch"},
    {SMTPC_WARN_NONCONFORMING, "nonconforming"},
    {SMTPC_WARN_INVALID_UTF8, "invalid-utf8"},
    {SMTPC_WARN_LONG_LINE, "long-line"},
    {SMTPC_WARN_BARE_LF, "bare-lf"},
    {SMTPC_WARN_ENHANCED_VARIES, "enhanced-varies"},
};

static const struct name format_names[] = {
    {SMTPC_FORMAT_TEXT, "text"},
    {SMTPC_FORMAT_MARKDOWN, "markdown"},
    {SMTPC_FORMAT_HTML, "html"},
    {SMTPC_FORMAT_JSON, "json"},
};

static const struct name group_names[] = {
    {SMTPC_GROUP_CLASS, "class"},
    {SMTPC_GROUP_CATEGORY, "category"},
    {SMTPC_GROUP_SUBJECT, "subject"},
};

static const struct name label_names[] = {
    {SMTPC_LABEL_DESCRIPTION, "description"}, {SMTPC_LABEL_WHEN, "when"},
    {SMTPC_LABEL_FIX, "fix"},                 {SMTPC_LABEL_DIFFERENCES, "differences"},
    {SMTPC_LABEL_USAGE, "usage"},             {SMTPC_LABEL_LEARN_MORE, "learn-more"},
};

static const struct name bounce_kind_names[] = {
    {SMTPC_BOUNCE_DSN, "dsn"},
    {SMTPC_BOUNCE_GLOBAL_DSN, "global-dsn"},
    {SMTPC_BOUNCE_FEEDBACK, "feedback"},
    {SMTPC_BOUNCE_AUTO_REPLY, "auto-reply"},
    {SMTPC_BOUNCE_UNRECOGNISED, "unrecognised"},
    {SMTPC_BOUNCE_NONSTANDARD, "nonstandard"},
};

/* RFC 3464 section 2.3.3 spells them so. */
static const struct name dsn_action_names[] = {
    {SMTPC_DSN_FAILED, "failed"},       {SMTPC_DSN_DELAYED, "delayed"},
    {SMTPC_DSN_DELIVERED, "delivered"}, {SMTPC_DSN_RELAYED, "relayed"},
    {SMTPC_DSN_EXPANDED, "expanded"},
};

static const struct name compression_names[] = {
    {SMTPC_COMPRESSION_NONE, "none"}, {SMTPC_COMPRESSION_GZIP, "gzip"},
    {SMTPC_COMPRESSION_XZ, "xz"},     {SMTPC_COMPRESSION_BZIP2, "bzip2"},
    {SMTPC_COMPRESSION_ZSTD, "zstd"},
};

/* The axes and outcomes of delivery attempts (docs/logs.md). */
static const struct name scan_axis_names[] = {
    {SMTPC_SCAN_BY_DOMAIN, "domain"}, {SMTPC_SCAN_BY_RELAY, "relay"},
    {SMTPC_SCAN_BY_REASON, "reason"}, {SMTPC_SCAN_BY_SENDER_DOMAIN, "sender-domain"},
    {SMTPC_SCAN_BY_TIME, "time"},     {SMTPC_SCAN_BY_CODE, "code"},
    {SMTPC_SCAN_BY_MTA, "mta"},
};

static const struct name scan_outcome_names[] = {
    {SMTPC_SCAN_DELIVERED, "delivered"},
    {SMTPC_SCAN_DEFERRED, "deferred"},
    {SMTPC_SCAN_BOUNCED, "bounced"},
    {SMTPC_SCAN_REJECTED, "rejected"},
};

/* The texts of an entry, as the contexts of translations name them (docs/translation.md). */
static const struct name text_names[] = {
    {SMTPC_TEXT_NAME, "name"}, {SMTPC_TEXT_ALIASES, "aliases"},
    {SMTPC_TEXT_DESCRIPTION, "description"}, {SMTPC_TEXT_WHEN, "when"},
    {SMTPC_TEXT_FIX, "fix"}, {SMTPC_TEXT_NOTE, "note"},
};

/* HTML's values of `dir` (HTML section 3.2.6.4). */
static const struct name direction_names[] = {
    {SMTPC_DIRECTION_LTR, "ltr"},
    {SMTPC_DIRECTION_RTL, "rtl"},
};

#define TABLE(names) {names, sizeof names / sizeof names[0]}

static const struct table {
    const struct name *names;
    size_t count;
} tables[] = {
    [SMTPC_ENUM_KIND] = TABLE(kind_names),
    [SMTPC_ENUM_ORIGIN] = TABLE(origin_names),
    [SMTPC_ENUM_RETRY] = TABLE(retry_names),
    [SMTPC_ENUM_CONNECTION] = TABLE(connection_names),
    [SMTPC_ENUM_ACTION] = TABLE(action_names),
    [SMTPC_ENUM_VERDICT_FLAG] = TABLE(verdict_flag_names),
    [SMTPC_ENUM_WARNING] = TABLE(warning_names),
    [SMTPC_ENUM_FORMAT] = TABLE(format_names),
    [SMTPC_ENUM_GROUP] = TABLE(group_names),
    [SMTPC_ENUM_LABEL] = TABLE(label_names),
    [SMTPC_ENUM_BOUNCE_KIND] = TABLE(bounce_kind_names),
    [SMTPC_ENUM_DSN_ACTION] = TABLE(dsn_action_names),
    [SMTPC_ENUM_SCAN_AXIS] = TABLE(scan_axis_names),
    [SMTPC_ENUM_SCAN_OUTCOME] = TABLE(scan_outcome_names),
    [SMTPC_ENUM_COMPRESSION] = TABLE(compression_names),
    [SMTPC_ENUM_TEXT] = TABLE(text_names),
    [SMTPC_ENUM_DIRECTION] = TABLE(direction_names),
};

static const struct table *table_of(int which)
{
    if (which <= 0 || (size_t)which >= sizeof tables / sizeof tables[0])
        return NULL;
    return &tables[which];
}

const char *smtpc_enum_name(int which, int value)
{
    const struct table *t = table_of(which);
    for (size_t i = 0; t != NULL && i < t->count; i++) {
        if (t->names[i].value == value)
            return t->names[i].name;
    }
    return "";
}

size_t smtpc_enum_count(int which)
{
    const struct table *t = table_of(which);
    return t != NULL ? t->count : 0;
}

int smtpc_enum_at(int *value, const char **name, int which, size_t index)
{
    const struct table *t = table_of(which);
    if (t == NULL || index >= t->count)
        return SMTPC_ERANGE;
    if (value != NULL)
        *value = t->names[index].value;
    if (name != NULL)
        *name = t->names[index].name;
    return 0;
}

int smtpc_enum_find(int which, const char *name, size_t len)
{
    const struct table *t = table_of(which);
    for (size_t i = 0; t != NULL && i < t->count; i++) {
        if (strlen(t->names[i].name) == len && memcmp(t->names[i].name, name, len) == 0)
            return (int)i;
    }
    return -1;
}

/* Whether the `len` bytes at `s` are `text`, ignoring the case of ASCII letters. */
static int equals_ignoring_case(const char *s, size_t len, const char *text)
{
    if (strlen(text) != len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (smtpc_to_lower(s[i]) != smtpc_to_lower(text[i]))
            return 0;
    }
    return 1;
}

int smtpc_format_parse(int *out, const char *name, size_t len, smtpc_error *err)
{
    if (out == NULL || (name == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    /* "md" is the file extension people type for Markdown. */
    if (equals_ignoring_case(name, len, "md")) {
        *out = SMTPC_FORMAT_MARKDOWN;
        return 0;
    }
    const struct table *t = table_of(SMTPC_ENUM_FORMAT);
    for (size_t i = 0; i < t->count; i++) {
        if (equals_ignoring_case(name, len, t->names[i].name)) {
            *out = t->names[i].value;
            return 0;
        }
    }
    char known[64] = "";
    for (size_t i = 0; i < t->count; i++) {
        strncat(known, i == 0 ? "" : i + 1 == t->count ? " or " : ", ",
                sizeof known - strlen(known) - 1);
        strncat(known, t->names[i].name, sizeof known - strlen(known) - 1);
    }
    return smtpc_set_error(err, SMTPC_EFORMAT, "", 0, 0, "unknown format '%.*s': expected %s",
                           (int)(len > 32 ? 32 : len), name != NULL ? name : "", known);
}

/* ---- commands ---- */

/* The commands and phases a reply can answer, as the data file writes them: RFC 5321 section
 * 4.3.2 lists the replies of each command; CONNECT is the greeting (section 4.3.1), DATA-END
 * the end of the message data (section 4.1.1.4), ANY "whatever command came" (data file only).
 * Extensions: BDAT (RFC 3030), AUTH (RFC 4954), STARTTLS (RFC 3207), ETRN (RFC 1985), ATRN
 * (RFC 2645), LHLO (RFC 2033). */
static const char *const commands[] = {
    "CONNECT", "HELO",     "EHLO", "LHLO", "MAIL", "RCPT", "DATA", "DATA-END", "BDAT", "RSET",
    "VRFY",    "EXPN",     "HELP", "NOOP", "QUIT", "AUTH", "STARTTLS", "ETRN", "ATRN", "ANY",
};

const char *smtpc_command_find(const char *token, size_t len)
{
    /* The common case: smtpc_classify() asks for the command a reply names, mostly none. */
    if (len == 0)
        return NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strlen(commands[i]) == len && memcmp(commands[i], token, len) == 0)
            return commands[i];
    }
    return NULL;
}

static int unknown_command(smtpc_error *err, const char *s, size_t start, size_t len)
{
    if (start == len)
        return smtpc_set_error(err, SMTPC_ECOMMAND, "", 0, 0, "empty command");
    char known[160] = "";
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i], "ANY") != 0) {
            strncat(known, i > 0 ? ", " : "", sizeof known - strlen(known) - 1);
            strncat(known, commands[i], sizeof known - strlen(known) - 1);
        }
    }
    return smtpc_set_error(err, SMTPC_ECOMMAND, "", 0, start + 1,
                           "unknown SMTP command '%.*s': expected one of %s",
                           (int)(len - start > 40 ? 40 : len - start), s + start, known);
}

int smtpc_command_parse(const char **out, const char *s, size_t len, smtpc_error *err)
{
    if (out == NULL || (s == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    size_t start = 0;
    while (start < len && smtpc_is_space(s[start]))
        start++;
    while (len > start && smtpc_is_space(s[len - 1]))
        len--;
    /* Postfix's logs say "end of DATA" for the reply to the message data. */
    if (equals_ignoring_case(s + start, len - start, "END OF DATA")) {
        *out = "DATA-END";
        return 0;
    }
    /* The verb ends at a space or a colon ("RCPT TO:<a@b>", "MAIL FROM:<>", "AUTH PLAIN"). */
    char verb[16];
    size_t n = 0;
    while (start + n < len && !smtpc_is_space(s[start + n]) && s[start + n] != ':' &&
           n < sizeof verb - 1) {
        verb[n] = smtpc_to_upper(s[start + n]);
        n++;
    }
    const char *found = NULL;
    if (n > 0 && (start + n == len || smtpc_is_space(s[start + n]) || s[start + n] == ':'))
        found = smtpc_command_find(verb, n);
    /* ANY stands for every command in the data file; a reply never answers "ANY". */
    if (found == NULL || strcmp(found, "ANY") == 0)
        return unknown_command(err, s, start, len);
    *out = found;
    return 0;
}
