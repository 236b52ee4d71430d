/*
 * fuzz_load.c - the data-file loader, laid over the built-in database and alone.
 *
 * Input: a data file (docs/data-format.md). It is loaded with both flags. A failed load must
 * leave nothing behind (the leak checker sees to that) and name a place; a database that loads
 * must hold together: entries in code order and found by their own code, strings valid UTF-8,
 * every language resolving to itself, and pages about its entries, comparisons between them,
 * its table and replies parsed against it rendering well in every format.
 */
#include "fuzz_common.h"

#include <string.h>

static long code_order(const smtpc_code *c)
{
    if (c->kind == SMTPC_KIND_BASIC)
        return c->klass * 100 + c->category * 10 + c->detail;
    return 1000 + (long)c->category * 1000 + c->detail;
}

static void check_strings(const smtpc_entry *e)
{
    const char *strings[] = {e->code, e->name, e->slug, e->classes, e->description, e->when,
                             e->fix, e->references, e->commands, e->enhanced, e->sample,
                             e->associated, e->see, e->note};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        FUZZ_CHECK(strings[i] != NULL && utf8_is_valid(strings[i], strlen(strings[i])),
                   "entry %s: string %zu is NULL or not UTF-8", e->code, i);
    FUZZ_CHECK(e->code[0] != '\0' && e->name[0] != '\0' && e->slug[0] != '\0',
               "entry without code, name or slug");
}

static void render_entry(const smtpc_db *db, const smtpc_entry *e, const char *lang, int format)
{
    {
        char *out = (char *)1;
        size_t len = 0;
        smtpc_error err;
        int rc = smtpc_render_code(&out, &len, db, e->code, strlen(e->code), lang, strlen(lang), format, &err);
        fuzz_check_rendered(rc, out, len, format, &err);
        FUZZ_CHECK(rc == 0, "render_entry %s in %s: %s", e->code, lang, err.text);
        smtpc_free(out);
    }
}

static void compare_entries(const smtpc_db *db, const smtpc_entry *a, const smtpc_entry *b,
                            const char *lang, int format)
{
    smtpc_comparison *cmp = (smtpc_comparison *)1;
    smtpc_error err;
    int rc = smtpc_compare(&cmp, db, a->code, strlen(a->code), b->code, strlen(b->code), lang,
                           strlen(lang), &err);
    FUZZ_CHECK(rc == 0, "compare %s %s: %s", a->code, b->code, err.text);
    FUZZ_CHECK(smtpc_comparison_entry(cmp, 0) != NULL && smtpc_comparison_entry(cmp, 1) != NULL,
               "comparison sides");
    {
        char *out = (char *)1;
        size_t len = 0;
        rc = smtpc_render_comparison(&out, &len, cmp, format, &err);
        fuzz_check_rendered(rc, out, len, format, &err);
        FUZZ_CHECK(rc == 0, "render_comparison %s %s: %s", a->code, b->code, err.text);
        smtpc_free(out);
    }
    smtpc_comparison_free(cmp);
}

/* Whether an entry of a loaded database is the built-in one, carried over by an overlay: its
 * strings are the built-in database's own, which the C suites check already. */
static int is_builtin(const smtpc_entry *e)
{
    const smtpc_entry *b;
    return smtpc_lookup(&b, smtpc_db_builtin(), e->code, strlen(e->code), NULL) == 0 &&
           b->name == e->name && b->description == e->description;
}

static void check_db(const smtpc_db *db, uint64_t seed)
{
    size_t n = smtpc_db_count(db);
    FUZZ_CHECK(smtpc_db_entry(db, n) == NULL, "entry past the end");
    const smtpc_entry *fresh[4];
    size_t n_fresh = 0;
    struct fuzz_rng rng = {seed};
    for (size_t i = 0; i < n; i++) {
        const smtpc_entry *e = smtpc_db_entry(db, i);
        FUZZ_CHECK(e != NULL, "entry %zu", i);
        if (i > 0)
            FUZZ_CHECK(code_order(&smtpc_db_entry(db, i - 1)->parsed) < code_order(&e->parsed),
                       "entries out of order at %s", e->code);
        const smtpc_entry *found;
        FUZZ_CHECK(smtpc_lookup(&found, db, e->code, strlen(e->code), NULL) == 0 && found == e,
                   "entry %s is not found by its code", e->code);
        if (is_builtin(e))
            continue;
        check_strings(e);
        char text[SMTPC_CODE_TEXT_SIZE];
        FUZZ_CHECK(smtpc_code_format(text, &e->parsed) == 0 && strcmp(text, e->code) == 0,
                   "entry %s formats as %s", e->code, text);
        FUZZ_CHECK(e->origin >= SMTPC_ORIGIN_RFC && e->origin <= SMTPC_ORIGIN_PROVIDER,
                   "origin");
        FUZZ_CHECK(e->retry >= SMTPC_RETRY_NONE && e->retry <= SMTPC_RETRY_NO, "retry");
        FUZZ_CHECK(e->connection >= SMTPC_CONNECTION_UNSPECIFIED &&
                       e->connection <= SMTPC_CONNECTION_MAY_CLOSE,
                   "connection");
        /* keep a sample of the entries the file brought */
        if (n_fresh < 4)
            fresh[n_fresh++] = e;
        else if (fuzz_rng_below(&rng, 4) == 0)
            fresh[fuzz_rng_below(&rng, 4)] = e;
    }
    /* every provider's entry is found, as its provider means it, by its first code */
    for (size_t i = 0; i < smtpc_provider_entry_count(db); i++) {
        const smtpc_entry *e = smtpc_provider_entry_at(db, i);
        FUZZ_CHECK(smtpc_provider_find(db, e->provider) != NULL, "provider of %s", e->code);
        FUZZ_CHECK(e->detail_last >= e->parsed.detail, "range of %s", e->code);
        char first[SMTPC_CODE_TEXT_SIZE];
        FUZZ_CHECK(smtpc_code_format(first, &e->parsed) == 0, "code of %s", e->code);
        const smtpc_entry *found = NULL;
        FUZZ_CHECK(smtpc_lookup_provider(&found, db, e->provider, first, strlen(first), NULL) ==
                           0 &&
                       strcmp(found->provider, e->provider) == 0,
                   "provider entry %s is not found by its code", e->code);
    }
    size_t n_lang = smtpc_language_count(db);
    FUZZ_CHECK(n_lang >= 1, "no language");
    FUZZ_CHECK(smtpc_language_tag(db, n_lang) == NULL, "language past the end");
    for (size_t i = 0; i < n_lang; i++) {
        const char *tag = smtpc_language_tag(db, i);
        const char *resolved;
        FUZZ_CHECK(tag != NULL &&
                       smtpc_language_resolve(&resolved, db, tag, strlen(tag), NULL) == 0 &&
                       resolved == tag,
                   "language %zu", i);
        for (int which = 0; which < SMTPC_LABEL_COUNT; which++) {
            const char *label;
            FUZZ_CHECK(smtpc_label(&label, db, tag, strlen(tag), which, NULL) == 0 &&
                           utf8_is_valid(label, strlen(label)),
                       "label %d of %s", which, tag);
        }
    }
    for (int kind = SMTPC_GROUP_CLASS; kind <= SMTPC_GROUP_SUBJECT; kind++) {
        for (int number = 0; number <= 9; number++) {
            const smtpc_group *g;
            smtpc_error err;
            int rc = smtpc_group_lookup(&g, db, kind, number, &err);
            if (rc == 0)
                FUZZ_CHECK(g->number == number && g->name != NULL && g->description != NULL &&
                               g->alt_name != NULL,
                           "group %d/%d", kind, number);
            else
                fuzz_check_error(rc, &err);
        }
    }
    /* Pages about the entries the file brought (or one built-in entry when it brought none),
     * in one of its languages and in English, and comparisons between them. */
    const char *lang = smtpc_language_tag(db, fuzz_rng_below(&rng, n_lang));
    const smtpc_entry *picked[4];
    size_t picks = n_fresh;
    memcpy(picked, fresh, n_fresh * sizeof *fresh);
    if (picks == 0 && n > 0)
        picked[picks++] = smtpc_db_entry(db, fuzz_rng_below(&rng, n));
    if (picks < 2 && n > 1) {
        const smtpc_entry *other = smtpc_db_entry(db, fuzz_rng_below(&rng, n));
        if (picks == 0 || other != picked[0])
            picked[picks++] = other;
    }
    /* Rendering costs more than loading: one format for each page, chosen by the input. */
    for (size_t k = 0; k < picks; k++)
        render_entry(db, picked[k], k == 0 ? "en" : lang, (int)fuzz_rng_below(&rng, 4));
    for (size_t k = 0; k + 1 < picks; k++)
        compare_entries(db, picked[k], picked[k + 1], lang, (int)fuzz_rng_below(&rng, 4));
    /* The table: every format for a small database, one class in one format for a big one. */
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        int klass = 0;
        if (n > 40) {
            format = (int)fuzz_rng_below(&rng, 4);
            klass = 2 + (int)fuzz_rng_below(&rng, 4);
        }
        char *out = (char *)1;
        size_t len = 0;
        smtpc_error err;
        int rc = smtpc_render_table(&out, &len, db, klass, 0, format, &err);
        fuzz_check_rendered(rc, out, len, format, &err);
        FUZZ_CHECK(rc == 0, "render_table");
        smtpc_free(out);
        if (n > 40)
            break;
    }
    /* Replies parsed against this database, and a built one. */
    static const char reply[] = "550-5.7.1 first\r\n550 5.7.1 second\r\n";
    smtpc_reply *r;
    size_t used;
    FUZZ_CHECK(smtpc_reply_parse(&r, &used, db, reply, sizeof reply - 1, 0, NULL) == 0,
               "reply against a loaded database");
    char *out;
    size_t len;
    smtpc_error err;
    int rc = smtpc_render_reply(&out, &len, r, "RCPT", 4, SMTPC_FORMAT_JSON, &err);
    fuzz_check_rendered(rc, out, len, SMTPC_FORMAT_JSON, &err);
    smtpc_free(out);
    smtpc_reply_free(r);
    if (picks > 0 && picked[0]->parsed.kind == SMTPC_KIND_BASIC) {
        const smtpc_code *c = &picked[0]->parsed;
        int code = c->klass * 100 + c->category * 10 + c->detail;
        fuzz_poison_error(&err);
        rc = smtpc_reply_build(&out, &len, db, code, NULL, 0, NULL, 0, &err);
        if (rc == 0) {
            FUZZ_CHECK(smtpc_reply_parse(&r, &used, db, out, len, 0, NULL) == 0 && used == len &&
                           smtpc_reply_code(r) == code && smtpc_reply_entry(r) == picked[0],
                           "a built reply does not parse back");
            smtpc_reply_free(r);
            smtpc_free(out);
        } else {
            fuzz_check_error(rc, &err);
            FUZZ_CHECK(rc == SMTPC_EINVAL, "reply_build: %d", rc);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int flags[] = {SMTPC_LOAD_OVERLAY, SMTPC_LOAD_ALONE};
    for (size_t k = 0; k < 2; k++) {
        smtpc_db *db = (smtpc_db *)1;
        smtpc_error err;
        fuzz_poison_error(&err);
        int rc = smtpc_db_load_buffer(&db, (const char *)data, size, "fuzz.txt", flags[k], &err);
        if (rc != 0) {
            FUZZ_CHECK(db == NULL, "a failed load left a database");
            fuzz_check_error(rc, &err);
            FUZZ_CHECK(rc == SMTPC_EDATA, "load: %d (%s)", rc, err.text);
            FUZZ_CHECK(strcmp(err.source, "fuzz.txt") == 0, "error source '%s'", err.source);
            continue;
        }
        FUZZ_CHECK(db != NULL, "no database");
        check_db(db, fuzz_hash(data, size) + k);
        smtpc_db_free(db);
    }
    return 0;
}
