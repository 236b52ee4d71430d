/*
 * lookup.c - finding entries, groups and languages in a database.
 */
#include "internal.h"

#include <string.h>

static int check_args(const smtpc_db *db, const void *out, smtpc_error *err)
{
    if (db == NULL || out == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    return 0;
}

/* Binary search of the entries, which are sorted by smtpc_code_key(). */
static const smtpc_entry *find_entry(const smtpc_db *db, const smtpc_code *code)
{
    long key = smtpc_code_key(code);
    size_t lo = 0;
    size_t hi = db->n_entries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        long k = smtpc_code_key(&db->entries[mid].parsed);
        if (k == key)
            return &db->entries[mid];
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int not_found(smtpc_error *err, const smtpc_code *code)
{
    if (err == NULL) /* the reply parser asks for many codes the database lacks */
        return SMTPC_ENOTFOUND;
    char text[SMTPC_CODE_TEXT_SIZE];
    smtpc_code_format(text, code);
    return smtpc_set_error(err, SMTPC_ENOTFOUND, "", 0, 0, "unknown code %s", text);
}

/* RFC 3463 section 2: an unknown detail is read by its subject, an unknown subject by its
 * class; X.S.0 and X.0.0 are the registry's "other or undefined" entries. */
static const smtpc_entry *find_closest(const smtpc_db *db, const smtpc_code *code)
{
    smtpc_code fallback = *code;
    fallback.detail = 0;
    const smtpc_entry *e = find_entry(db, &fallback);
    if (e == NULL) {
        fallback.category = 0;
        e = find_entry(db, &fallback);
    }
    return e;
}

const smtpc_entry *smtpc_find_code(const smtpc_db *db, const smtpc_code *code, int closest)
{
    const smtpc_entry *e = find_entry(db, code);
    if (e == NULL && closest && code->kind == SMTPC_KIND_ENHANCED)
        e = find_closest(db, code);
    return e;
}

/* ---- providers' entries (the public functions are in providers.c) ---- */

const smtpc_provider *smtpc_provider_named(const smtpc_db *db, const char *slug)
{
    size_t lo = 0, hi = db->n_providers;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(db->providers[mid].slug, slug);
        if (c == 0)
            return &db->providers[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int smtpc_provider_entry_compare(const smtpc_entry *a, const smtpc_entry *b)
{
    int c = strcmp(a->provider, b->provider);
    if (c != 0)
        return c;
    long ka = smtpc_code_key(&a->parsed), kb = smtpc_code_key(&b->parsed);
    if (ka != kb)
        return (ka > kb) - (ka < kb);
    if (a->parsed.klass != b->parsed.klass)
        return (a->parsed.klass > b->parsed.klass) - (a->parsed.klass < b->parsed.klass);
    return (a->detail_last > b->detail_last) - (a->detail_last < b->detail_last);
}

static int covers(const smtpc_entry *e, const smtpc_code *code)
{
    return e->parsed.klass == code->klass && e->parsed.category == code->category &&
           e->parsed.detail <= code->detail && code->detail <= e->detail_last;
}

const smtpc_entry *smtpc_find_provider_code(const smtpc_db *db, const smtpc_provider *provider,
                                            const smtpc_code *code)
{
    if (provider == NULL || code->kind != SMTPC_KIND_ENHANCED || code->klass == 0)
        return NULL;
    const smtpc_entry *best = NULL;
    for (size_t i = 0; i < db->n_provider_entries; i++) {
        const smtpc_entry *e = &db->provider_entries[i];
        if (strcmp(e->provider, provider->slug) != 0 || !covers(e, code))
            continue;
        if (best == NULL ||
            e->detail_last - e->parsed.detail < best->detail_last - best->parsed.detail)
            best = e;
    }
    return best;
}

/* The first provider's entry, in the order of provider slugs, that covers a code no standard
 * entry describes. */
static const smtpc_entry *find_any_provider_code(const smtpc_db *db, const smtpc_code *code)
{
    const smtpc_entry *e = NULL;
    for (size_t i = 0; e == NULL && i < db->n_providers; i++)
        e = smtpc_find_provider_code(db, &db->providers[i], code);
    return e;
}

const smtpc_entry *smtpc_resolve_code(const smtpc_db *db, const smtpc_code *code, int closest,
                                      int *exact)
{
    const smtpc_entry *e = find_entry(db, code);
    if (e == NULL)
        e = find_any_provider_code(db, code);
    if (exact != NULL)
        *exact = e != NULL;
    if (e == NULL && closest && code->kind == SMTPC_KIND_ENHANCED)
        e = find_closest(db, code);
    return e;
}

/* Parses `s` and finds its entry as smtpc_resolve_code() does. */
static int lookup_text(const smtpc_entry **out, int *exact, const smtpc_db *db, const char *s,
                       size_t len, int closest, smtpc_error *err)
{
    int rc = check_args(db, out, err);
    if (rc != 0)
        return rc;
    *out = NULL;
    smtpc_code code;
    if ((rc = smtpc_code_parse(&code, s, len, err)) != 0)
        return rc;
    const smtpc_entry *e = smtpc_resolve_code(db, &code, closest, exact);
    if (e == NULL)
        return not_found(err, &code);
    *out = e;
    return 0;
}

int smtpc_lookup_closest(const smtpc_entry **out, int *exact, const smtpc_db *db,
                         const char *s, size_t len, smtpc_error *err)
{
    return lookup_text(out, exact, db, s, len, 1, err);
}

int smtpc_lookup(const smtpc_entry **out, const smtpc_db *db, const char *s, size_t len,
                 smtpc_error *err)
{
    return lookup_text(out, NULL, db, s, len, 0, err);
}

int smtpc_lookup_number(const smtpc_entry **out, const smtpc_db *db, int code,
                        smtpc_error *err)
{
    int rc = check_args(db, out, err);
    if (rc != 0)
        return rc;
    *out = NULL;
    if (code < 200 || code > 599)
        return smtpc_set_error(err, SMTPC_ESYNTAX, "", 0, 0,
                               "%d is not a reply code: expected 200 to 599", code);
    smtpc_code c = smtpc_code_of_number(code);
    const smtpc_entry *e = find_entry(db, &c);
    if (e == NULL)
        return not_found(err, &c);
    *out = e;
    return 0;
}

const smtpc_group *smtpc_group_find(const smtpc_db *db, int kind, int number)
{
    const smtpc_group *groups;
    size_t n;
    switch (kind) {
    case SMTPC_GROUP_CLASS: groups = db->classes; n = db->n_classes; break;
    case SMTPC_GROUP_CATEGORY: groups = db->categories; n = db->n_categories; break;
    case SMTPC_GROUP_SUBJECT: groups = db->subjects; n = db->n_subjects; break;
    default: return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (groups[i].number == number)
            return &groups[i];
    }
    return NULL;
}

const char *smtpc_class_name(const smtpc_db *db, const smtpc_code *code)
{
    if (db == NULL || code == NULL || code->klass == 0)
        return "";
    const smtpc_group *g = smtpc_group_find(db, SMTPC_GROUP_CLASS, code->klass);
    if (g == NULL)
        return "";
    /* RFC 3463 section 2 names the enhanced classes apart ("Persistent Transient Failure"
     * where RFC 5321 section 4.2.1 says "Transient Negative Completion"). */
    return code->kind == SMTPC_KIND_ENHANCED ? g->alt_name : g->name;
}

const char *smtpc_category_name(const smtpc_db *db, const smtpc_code *code)
{
    if (db == NULL || code == NULL)
        return "";
    int kind = code->kind == SMTPC_KIND_BASIC ? SMTPC_GROUP_CATEGORY : SMTPC_GROUP_SUBJECT;
    const smtpc_group *g = smtpc_group_find(db, kind, code->category);
    return g != NULL ? g->name : "";
}

int smtpc_group_lookup(const smtpc_group **out, const smtpc_db *db, int kind, int number,
                       smtpc_error *err)
{
    int rc = check_args(db, out, err);
    if (rc != 0)
        return rc;
    *out = NULL;
    if (kind < SMTPC_GROUP_CLASS || kind > SMTPC_GROUP_SUBJECT)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "unknown group kind %d", kind);
    *out = smtpc_group_find(db, kind, number);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOTFOUND, "", 0, 0, "no %s %d",
                               smtpc_enum_name(SMTPC_ENUM_GROUP, kind), number);
    return 0;
}

/* ---- languages ---- */

size_t smtpc_language_count(const smtpc_db *db)
{
    return db != NULL ? db->n_languages : 0;
}

const char *smtpc_language_tag(const smtpc_db *db, size_t index)
{
    if (db == NULL || index >= db->n_languages)
        return NULL;
    return db->languages[index].tag;
}

static char fold_tag_char(char c)
{
    return c == '_' ? '-' : smtpc_to_lower(c);
}

static const struct smtpc_language *find_exact(const smtpc_db *db, const char *tag, size_t len)
{
    for (size_t i = 0; i < db->n_languages; i++) {
        const char *t = db->languages[i].tag;
        size_t j = 0;
        while (j < len && t[j] != '\0' && fold_tag_char(tag[j]) == t[j])
            j++;
        if (j == len && t[j] == '\0')
            return &db->languages[i];
    }
    return NULL;
}

/* Chinese tags that mean simplified script (BCP 47 regions where it is the norm). */
static int means_simplified_chinese(const char *tag, size_t len)
{
    static const char *const tags[] = {"zh", "zh-cn", "zh-sg", "zh-hans-cn", "zh-hans-sg"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        size_t n = strlen(tags[i]);
        size_t j = 0;
        while (j < n && j < len && fold_tag_char(tag[j]) == tags[i][j])
            j++;
        if (j == n && j == len)
            return 1;
    }
    return 0;
}

const struct smtpc_language *smtpc_language_find(const smtpc_db *db, const char *tag,
                                                 size_t len)
{
    if (tag == NULL)
        return find_exact(db, "en", 2);
    const struct smtpc_language *lang = find_exact(db, tag, len);
    if (lang == NULL && means_simplified_chinese(tag, len))
        lang = find_exact(db, "zh-hans", 7);
    /* Drop subtags from the right ("pt-br" -> "pt"), RFC 4647 section 3.4 lookup. */
    while (lang == NULL && len > 0) {
        while (len > 0 && tag[len - 1] != '-' && tag[len - 1] != '_')
            len--;
        if (len == 0)
            break;
        len--;
        lang = find_exact(db, tag, len);
    }
    return lang;
}

const struct smtpc_language *smtpc_language_require(const smtpc_db *db, const char *tag,
                                                    size_t len, smtpc_error *err)
{
    const struct smtpc_language *lang = smtpc_language_find(db, tag, len);
    if (lang == NULL)
        smtpc_set_error(err, SMTPC_ELANG, "", 0, 0, "unknown language '%.*s'",
                        (int)(len > 64 ? 64 : len), tag != NULL ? tag : "");
    return lang;
}

int smtpc_language_resolve(const char **out, const smtpc_db *db, const char *tag, size_t len,
                           smtpc_error *err)
{
    int rc = check_args(db, out, err);
    if (rc != 0)
        return rc;
    *out = NULL;
    const struct smtpc_language *lang = smtpc_language_require(db, tag, len, err);
    if (lang == NULL)
        return SMTPC_ELANG;
    *out = lang->tag;
    return 0;
}

int smtpc_label(const char **out, const smtpc_db *db, const char *tag, size_t len, int which,
                smtpc_error *err)
{
    int rc = check_args(db, out, err);
    if (rc != 0)
        return rc;
    *out = NULL;
    if (which < 0 || which >= SMTPC_LABEL_COUNT)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "unknown label %d", which);
    const char *canonical;
    if ((rc = smtpc_language_resolve(&canonical, db, tag, len, err)) != 0)
        return rc;
    struct smtpc_words w;
    smtpc_words_init(&w, db, smtpc_language_find(db, canonical, strlen(canonical)));
    size_t id = SMTPC_MESSAGE_LABELS + (size_t)which;
    *out = smtpc_say(&w, id, smtpc_message_english(db, id));
    return 0;
}

/* ---- reasons ---- */

const struct smtpc_reason_def *smtpc_reason_find(const smtpc_db *db, const char *name,
                                                 size_t len)
{
    /* strncmp() below stops at a NUL: a name with one would match a shorter one's prefix */
    if (memchr(name, '\0', len) != NULL)
        return NULL;
    size_t lo = 0;
    size_t hi = db->n_reasons;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *k = db->reasons[mid].name;
        int c = strncmp(k, name, len);
        if (c == 0)
            c = k[len] != '\0';
        if (c == 0)
            return &db->reasons[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* A command token or a reason name: ASCII letters, digits and '-', at least one. */
static size_t word_length(const char *s)
{
    size_t n = 0;
    while (smtpc_is_lower(s[n]) || smtpc_is_upper(s[n]) || smtpc_is_digit(s[n]) || s[n] == '-')
        n++;
    return n;
}

int smtpc_reason_item_next(struct smtpc_reason_item *item, const char **list)
{
    const char *s = *list;
    if (*s == '\0')
        return 0;
    size_t first = word_length(s);
    if (first == 0)
        return -1;
    item->command = NULL;
    item->command_len = 0;
    item->name = s;
    item->name_len = first;
    if (s[first] == ' ') {
        size_t second = word_length(s + first + 1);
        if (second == 0)
            return -1;
        item->command = s;
        item->command_len = first;
        item->name = s + first + 1;
        item->name_len = second;
    }
    s = item->name + item->name_len;
    if (s[0] == ';' && s[1] == ' ' && s[2] != '\0')
        s += 2;
    else if (s[0] != '\0')
        return -1;
    *list = s;
    return 1;
}
