/*
 * messages.c - the texts a reader reads, numbered, with their English and their contexts.
 *
 * A translation is found by number at run time and matched by context and English text when a
 * catalog is read (docs/translation.md). The numbers follow from the database's arrays, so they
 * need no table of their own: see the layout in internal.h.
 */
#include "internal.h"

#include <string.h>

static const char *const template_names[SMTPC_TEMPLATE_COUNT] = {
#define SMTPC_TEMPLATE_NAME(id, name, english) name,
    SMTPC_TEMPLATE_LIST(SMTPC_TEMPLATE_NAME)
#undef SMTPC_TEMPLATE_NAME
};

static const char *const template_english[SMTPC_TEMPLATE_COUNT] = {
#define SMTPC_TEMPLATE_ENGLISH(id, name, english) english,
    SMTPC_TEMPLATE_LIST(SMTPC_TEMPLATE_ENGLISH)
#undef SMTPC_TEMPLATE_ENGLISH
};

const char *smtpc_template_name(int t)
{
    return t >= 0 && t < SMTPC_TEMPLATE_COUNT ? template_names[t] : "";
}

const char *smtpc_template_english(int t)
{
    return t >= 0 && t < SMTPC_TEMPLATE_COUNT ? template_english[t] : "";
}

/* The blocks of message numbers, in order. */
enum block {
    B_TEMPLATES,
    B_LABELS,
    B_CLASSES,
    B_CATEGORIES,
    B_SUBJECTS,
    B_ENTRIES,
    B_PROVIDER_ENTRIES,
    B_REASONS,
    B_PROVIDERS,
    B_COUNT
};

/* The messages of block `which`: records times texts per record. */
static size_t block_size(const smtpc_db *db, int which)
{
    switch (which) {
    case B_TEMPLATES: return SMTPC_TEMPLATE_COUNT;
    case B_LABELS: return SMTPC_LABEL_COUNT;
    case B_CLASSES: return db->n_classes * SMTPC_GROUP_TEXTS;
    case B_CATEGORIES: return db->n_categories * SMTPC_GROUP_TEXTS;
    case B_SUBJECTS: return db->n_subjects * SMTPC_GROUP_TEXTS;
    case B_ENTRIES: return db->n_entries * SMTPC_TEXT_COUNT;
    case B_PROVIDER_ENTRIES: return db->n_provider_entries * SMTPC_TEXT_COUNT;
    case B_REASONS: return db->n_reasons;
    case B_PROVIDERS: return db->n_providers;
    default: return 0;
    }
}

static size_t block_start(const smtpc_db *db, int which)
{
    size_t start = 0;
    for (int b = 0; b < which; b++)
        start += block_size(db, b);
    return start;
}

size_t smtpc_message_count(const smtpc_db *db)
{
    return block_start(db, B_COUNT);
}

/* The block of message `id`, and its offset in the block. */
static int block_of(const smtpc_db *db, size_t id, size_t *offset)
{
    for (int b = 0; b < B_COUNT; b++) {
        size_t n = block_size(db, b);
        if (id < n) {
            *offset = id;
            return b;
        }
        id -= n;
    }
    return B_COUNT;
}

const char *smtpc_entry_english(const smtpc_entry *e, int text)
{
    switch (text) {
    case SMTPC_TEXT_NAME: return e->name;
    case SMTPC_TEXT_ALIASES: return e->aliases;
    case SMTPC_TEXT_DESCRIPTION: return e->description;
    case SMTPC_TEXT_WHEN: return e->when;
    case SMTPC_TEXT_FIX: return e->fix;
    case SMTPC_TEXT_NOTE: return e->note;
    default: return "";
    }
}

static const char *group_english(const smtpc_group *g, size_t field)
{
    switch (field) {
    case SMTPC_GROUP_NAME: return g->name;
    case SMTPC_GROUP_ALT_NAME: return g->alt_name;
    default: return g->description;
    }
}

static const smtpc_group *group_table(const smtpc_db *db, int block)
{
    return block == B_CLASSES ? db->classes : block == B_CATEGORIES ? db->categories : db->subjects;
}

static const char *label_english(const smtpc_db *db, size_t which)
{
    const struct smtpc_language *en = smtpc_language_find(db, "en", 2);
    return en != NULL && en->labels[which] != NULL ? en->labels[which] : "";
}

const char *smtpc_message_english(const smtpc_db *db, size_t id)
{
    size_t k;
    int block = block_of(db, id, &k);
    switch (block) {
    case B_TEMPLATES: return template_english[k];
    case B_LABELS: return label_english(db, k);
    case B_CLASSES:
    case B_CATEGORIES:
    case B_SUBJECTS:
        return group_english(&group_table(db, block)[k / SMTPC_GROUP_TEXTS], k % SMTPC_GROUP_TEXTS);
    case B_ENTRIES:
        return smtpc_entry_english(&db->entries[k / SMTPC_TEXT_COUNT], (int)(k % SMTPC_TEXT_COUNT));
    case B_PROVIDER_ENTRIES:
        return smtpc_entry_english(&db->provider_entries[k / SMTPC_TEXT_COUNT],
                                   (int)(k % SMTPC_TEXT_COUNT));
    case B_REASONS: return db->reasons[k].description;
    case B_PROVIDERS: return db->providers[k].description;
    default: return "";
    }
}

static const char *const group_fields[SMTPC_GROUP_TEXTS] = {"name", "enhanced-name", "description"};

void smtpc_message_context(struct smtpc_buf *b, const smtpc_db *db, size_t id)
{
    size_t k;
    int block = block_of(db, id, &k);
    switch (block) {
    case B_TEMPLATES: smtpc_buf_printf(b, "template %s", template_names[k]); break;
    case B_LABELS:
        smtpc_buf_printf(b, "label %s", smtpc_enum_name(SMTPC_ENUM_LABEL, (int)k));
        break;
    case B_CLASSES:
    case B_CATEGORIES:
    case B_SUBJECTS:
        smtpc_buf_printf(b, "%s %d %s",
                         block == B_CLASSES      ? "class"
                         : block == B_CATEGORIES ? "category"
                                                 : "subject",
                         group_table(db, block)[k / SMTPC_GROUP_TEXTS].number,
                         group_fields[k % SMTPC_GROUP_TEXTS]);
        break;
    case B_ENTRIES:
        smtpc_buf_printf(b, "%s %s", db->entries[k / SMTPC_TEXT_COUNT].code,
                         smtpc_enum_name(SMTPC_ENUM_TEXT, (int)(k % SMTPC_TEXT_COUNT)));
        break;
    case B_PROVIDER_ENTRIES: {
        const smtpc_entry *e = &db->provider_entries[k / SMTPC_TEXT_COUNT];
        smtpc_buf_printf(b, "%s %s %s", e->provider, e->code,
                         smtpc_enum_name(SMTPC_ENUM_TEXT, (int)(k % SMTPC_TEXT_COUNT)));
        break;
    }
    case B_REASONS: smtpc_buf_printf(b, "reason %s description", db->reasons[k].name); break;
    case B_PROVIDERS: smtpc_buf_printf(b, "provider %s description", db->providers[k].slug); break;
    default: break;
    }
}

size_t smtpc_message_of_entry(const smtpc_db *db, const smtpc_entry *e, int text)
{
    if (e >= db->entries && e < db->entries + db->n_entries)
        /* asked for every text of every page: the blocks before are counted directly */
        return SMTPC_TEMPLATE_COUNT + SMTPC_LABEL_COUNT +
               (db->n_classes + db->n_categories + db->n_subjects) * SMTPC_GROUP_TEXTS +
               (size_t)(e - db->entries) * SMTPC_TEXT_COUNT + (size_t)text;
    if (e >= db->provider_entries && e < db->provider_entries + db->n_provider_entries)
        return block_start(db, B_PROVIDER_ENTRIES) +
               (size_t)(e - db->provider_entries) * SMTPC_TEXT_COUNT + (size_t)text;
    return SMTPC_NO_MESSAGE;
}

size_t smtpc_message_of_group(const smtpc_db *db, int kind, const smtpc_group *g, int field)
{
    int block = kind == SMTPC_GROUP_CLASS      ? B_CLASSES
                : kind == SMTPC_GROUP_CATEGORY ? B_CATEGORIES
                                               : B_SUBJECTS;
    const smtpc_group *table = group_table(db, block);
    size_t n = block_size(db, block) / SMTPC_GROUP_TEXTS;
    if (g < table || g >= table + n)
        return SMTPC_NO_MESSAGE;
    return block_start(db, block) + (size_t)(g - table) * SMTPC_GROUP_TEXTS + (size_t)field;
}

size_t smtpc_message_of_reason(const smtpc_db *db, const struct smtpc_reason_def *r)
{
    if (r < db->reasons || r >= db->reasons + db->n_reasons)
        return SMTPC_NO_MESSAGE;
    return block_start(db, B_REASONS) + (size_t)(r - db->reasons);
}

size_t smtpc_message_of_provider(const smtpc_db *db, const smtpc_provider *p)
{
    if (p < db->providers || p >= db->providers + db->n_providers)
        return SMTPC_NO_MESSAGE;
    return block_start(db, B_PROVIDERS) + (size_t)(p - db->providers);
}
