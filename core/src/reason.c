/*
 * reason.c - why a delivery failed: the reason of a failure, decided from its reply code,
 * enhanced code, command and diagnostic text by the data file's Reason, Pattern and Code
 * records (docs/bounces.md, section "Reasons"). The order of the evidence is documented at
 * smtpc_reason_decide() in smtpcodes.h.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Diagnostics up to this size are lower-cased on the stack; longer ones on the heap. */
enum { LOWER_ON_STACK = 1024 };

static void decided(smtpc_reason *out, const char *name, int hard, const char *rule,
                    const char *evidence, size_t evidence_len)
{
    out->name = name;
    out->hard = hard;
    out->rule = rule;
    out->evidence = evidence;
    out->evidence_len = evidence_len;
}

/* A reason's hardness for a failure of class `klass` (0 when no code gives one): a transient
 * class makes a failure soft, as the same request may succeed later (RFC 3463 section 2, RFC
 * 5321 section 4.2.1). */
static int hardness(int hard, int klass)
{
    return klass == 4 && hard == 1 ? 0 : hard;
}

/* The first pattern of `provider` (NULL: the patterns for all), in the database's order, found
 * in the diagnostic `lower` (lower-cased, `len` bytes); `*at` receives where. One search of the
 * text per pattern: memchr() finds each
 * place the pattern's first byte occurs and memcmp() compares the rest, so the cost is at most
 * the text's length times the patterns' total length, and about the text's length times their
 * number for text that is not built against them. */
static const struct smtpc_pattern *find_pattern(const smtpc_db *db,
                                                const smtpc_provider *provider,
                                                const char *lower, size_t len, size_t *at)
{
    for (size_t i = 0; i < db->n_patterns; i++) {
        const struct smtpc_pattern *pattern = &db->patterns[i];
        if (pattern->provider != provider || pattern->len == 0 || pattern->len > len)
            continue;
        const char *s = lower;
        const char *last = lower + (len - pattern->len);
        while (s <= last &&
               (s = memchr(s, pattern->match[0], (size_t)(last - s) + 1)) != NULL) {
            if (memcmp(s, pattern->match, pattern->len) == 0) {
                *at = (size_t)(s - lower);
                return pattern;
            }
            s++;
        }
    }
    return NULL;
}

/* Decides by the text patterns, the provider's first; returns 1 when one matched, 0 when none
 * did, or SMTPC_ENOMEM. */
static int decide_by_pattern(smtpc_reason *out, const smtpc_db *db,
                             const smtpc_provider *provider, int klass, const char *text,
                             size_t len, smtpc_error *err)
{
    if (len == 0 || db->n_patterns == 0)
        return 0;
    char on_stack[LOWER_ON_STACK];
    char *lower = len <= sizeof on_stack ? on_stack : malloc(len);
    if (lower == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    for (size_t i = 0; i < len; i++)
        lower[i] = smtpc_to_lower(text[i]);
    size_t at = 0;
    const struct smtpc_pattern *pattern =
        provider != NULL ? find_pattern(db, provider, lower, len, &at) : NULL;
    if (pattern == NULL)
        pattern = find_pattern(db, NULL, lower, len, &at);
    if (lower != on_stack)
        free(lower);
    if (pattern == NULL)
        return 0;
    decided(out, pattern->reason->name, hardness(pattern->reason->hard, klass), "pattern",
            text + at, pattern->len);
    return 1;
}

/* The reason an entry's Reason field gives a failure answering `command` (a canonical name, or
 * NULL when not known): the pair of that command, else the ANY pair or the lone name; NULL when
 * the field gives none. */
static const struct smtpc_reason_def *entry_reason(const smtpc_db *db, const smtpc_entry *entry,
                                                   const char *command)
{
    const struct smtpc_reason_def *any = NULL;
    const char *s = entry->reason;
    struct smtpc_reason_item item;
    while (smtpc_reason_item_next(&item, &s) == 1) {
        const struct smtpc_reason_def *def = smtpc_reason_find(db, item.name, item.name_len);
        if (item.command == NULL || (item.command_len == 3 && memcmp(item.command, "ANY", 3) == 0))
            any = def;
        else if (command != NULL && strlen(command) == item.command_len &&
                 memcmp(command, item.command, item.command_len) == 0)
            return def;
    }
    return any;
}

/* The enhanced code in `s` (`len` bytes, white space around it allowed): `*out` and the span of
 * the code itself, which is the evidence when its entry decides. */
static int parse_enhanced(smtpc_code *out, const char **span, size_t *span_len, const char *s,
                          size_t len, smtpc_error *err)
{
    int rc = smtpc_code_parse(out, s, len, err);
    if (rc != 0)
        return rc;
    if (out->kind != SMTPC_KIND_ENHANCED || out->klass == 0)
        return smtpc_set_error(err, SMTPC_ESYNTAX, "", 0, 1,
                               "expected an enhanced code with a class, such as 5.1.1");
    while (smtpc_is_space(*s)) {
        s++;
        len--;
    }
    while (smtpc_is_space(s[len - 1]))
        len--;
    *span = s;
    *span_len = len;
    return 0;
}

static int check_arguments(const smtpc_reason *out, int code, const char *enhanced,
                           size_t enhanced_len, const char *command, size_t command_len,
                           const char *text, size_t text_len, smtpc_error *err)
{
    if (out == NULL || (enhanced == NULL && enhanced_len > 0) ||
        (command == NULL && command_len > 0) || (text == NULL && text_len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (code != 0 && (code < 200 || code > 599))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "%d is not a reply code: expected 200 to 599, or 0 for none",
                               code);
    return 0;
}

int smtpc_reason_of(smtpc_reason *out, const smtpc_db *db, const smtpc_provider *provider,
                    int code, const smtpc_code *enh,
                    const char *enh_text, size_t enh_len, const char *answered, const char *text,
                    size_t text_len, smtpc_error *err)
{
    /* The reply code's class decides the hardness; without one, the enhanced code's does. */
    int klass = code != 0 ? code / 100 : enh != NULL ? enh->klass : 0;
    /* A success or an intermediate reply is no failure, whatever its text says (RFC 5321
     * section 4.2.1, RFC 3463 section 2). */
    if (klass == 2 || klass == 3) {
        decided(out, klass == 2 ? "delivered" : "undefined", -1, "class", "", 0);
        return 0;
    }
    int rc = decide_by_pattern(out, db, provider, klass, text, text_len, err);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    if (enh != NULL) {
        /* The provider's own meaning first; an unregistered detail falls back to its subject
         * (RFC 3463 section 2). */
        const smtpc_entry *entry = smtpc_find_provider_code(db, provider, enh);
        if (entry == NULL || entry->reason[0] == '\0')
            entry = smtpc_find_code(db, enh, 1);
        const struct smtpc_reason_def *def = entry != NULL ? entry_reason(db, entry, answered)
                                                           : NULL;
        if (def != NULL) {
            decided(out, def->name, hardness(def->hard, klass), "enhanced", enh_text, enh_len);
            return 0;
        }
    }
    if (code != 0) {
        smtpc_code parsed = smtpc_code_of_number(code);
        const smtpc_entry *entry = smtpc_find_code(db, &parsed, 0);
        const struct smtpc_reason_def *def = entry != NULL ? entry_reason(db, entry, answered)
                                                           : NULL;
        if (def != NULL) {
            decided(out, def->name, hardness(def->hard, klass), "code", entry->code,
                    strlen(entry->code));
            return 0;
        }
    }
    if (klass == 0)
        decided(out, "undefined", -1, "none", "", 0);
    else
        decided(out, "undefined", hardness(1, klass), "class", "", 0);
    return 0;
}

int smtpc_reason_decide(smtpc_reason *out, const smtpc_db *db, const char *provider, int code,
                        const char *enhanced, size_t enhanced_len, const char *command,
                        size_t command_len, const char *text, size_t text_len,
                        smtpc_error *err)
{
    int rc = check_arguments(out, code, enhanced, enhanced_len, command, command_len, text,
                             text_len, err);
    if (rc != 0)
        return rc;
    if (db == NULL)
        db = smtpc_db_builtin();
    const smtpc_provider *p = NULL;
    if (provider != NULL && provider[0] != '\0' && (p = smtpc_provider_named(db, provider)) == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "unknown provider '%.40s'",
                               provider);
    smtpc_code enh;
    const char *enh_text = "";
    size_t enh_len = 0;
    if (enhanced_len > 0 &&
        (rc = parse_enhanced(&enh, &enh_text, &enh_len, enhanced, enhanced_len, err)) != 0)
        return rc;
    const char *answered = NULL;
    if (command_len > 0 && (rc = smtpc_command_parse(&answered, command, command_len, err)) != 0)
        return rc;
    return smtpc_reason_of(out, db, p, code, enh_len > 0 ? &enh : NULL, enh_text, enh_len, answered, text,
                           text_len, err);
}

const char *smtpc_reason_definition(const smtpc_db *db, const char *name)
{
    if (name == NULL)
        return NULL;
    const struct smtpc_reason_def *def =
        smtpc_reason_find(db != NULL ? db : smtpc_db_builtin(), name, strlen(name));
    return def != NULL ? def->description : NULL;
}

size_t smtpc_reason_count(const smtpc_db *db)
{
    return (db != NULL ? db : smtpc_db_builtin())->n_reasons;
}

int smtpc_reason_at(const char **name, int *hard, const smtpc_db *db, size_t index)
{
    if (db == NULL)
        db = smtpc_db_builtin();
    if (index >= db->n_reasons)
        return SMTPC_ERANGE;
    if (name != NULL)
        *name = db->reasons[index].name;
    if (hard != NULL)
        *hard = db->reasons[index].hard;
    return 0;
}

size_t smtpc_reason_pattern_count(const smtpc_db *db)
{
    return (db != NULL ? db : smtpc_db_builtin())->n_patterns;
}

int smtpc_reason_pattern_at(const char **text, const char **reason, const char **source,
                            const char **provider, const smtpc_db *db, size_t index)
{
    if (db == NULL)
        db = smtpc_db_builtin();
    if (index >= db->n_patterns)
        return SMTPC_ERANGE;
    if (text != NULL)
        *text = db->patterns[index].text;
    if (reason != NULL)
        *reason = db->patterns[index].reason->name;
    if (source != NULL)
        *source = db->patterns[index].source;
    if (provider != NULL)
        *provider = db->patterns[index].provider != NULL ? db->patterns[index].provider->slug : "";
    return 0;
}
