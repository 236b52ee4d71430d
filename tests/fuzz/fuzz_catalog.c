/*
 * fuzz_catalog.c - the reader of translation catalogs (docs/translation.md).
 *
 * Input: a PO file. It is read into a database laid over the built-in one. A refused catalog
 * must name a place and change nothing: every text of the database reads as before. One that
 * is read must give texts that are valid UTF-8 in every language, and pages that render well
 * in its language, whose templates it may have translated.
 */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

/* A digest of the texts of a few entries in every language: what a refused catalog must not
 * change. */
static uint64_t texts_digest(const smtpc_db *db)
{
    uint64_t digest = 0;
    for (size_t l = 0; l < smtpc_language_count(db); l++) {
        const char *tag = smtpc_language_tag(db, l);
        for (size_t i = 0; i < smtpc_db_count(db); i += 37) {
            for (int text = 0; text < SMTPC_TEXT_COUNT; text++) {
                const char *out;
                int translated;
                FUZZ_CHECK(smtpc_entry_text(&out, &translated, db, smtpc_db_entry(db, i), text, tag,
                                            strlen(tag), NULL) == 0,
                           "entry_text");
                FUZZ_CHECK(utf8_is_valid(out, strlen(out)), "a text that is no UTF-8");
                digest = digest * 1099511628211u + fuzz_hash((const uint8_t *)out, strlen(out)) +
                         (uint64_t)translated;
            }
        }
    }
    return digest;
}

static void render_pages(const smtpc_db *db, uint64_t seed)
{
    struct fuzz_rng rng = {seed};
    size_t n = smtpc_db_count(db);
    const char *tag = smtpc_language_tag(db, fuzz_rng_below(&rng, smtpc_language_count(db)));
    const smtpc_entry *a = smtpc_db_entry(db, fuzz_rng_below(&rng, n));
    const smtpc_entry *b = smtpc_db_entry(db, fuzz_rng_below(&rng, n));
    int format = (int)fuzz_rng_below(&rng, 4);
    char *out = (char *)1;
    size_t len = 0;
    smtpc_error err;
    int rc =
        smtpc_render_code(&out, &len, db, a->code, strlen(a->code), tag, strlen(tag), format, &err);
    fuzz_check_rendered(rc, out, len, format, &err);
    FUZZ_CHECK(rc == 0, "render_code in %s: %s", tag, err.text);
    smtpc_free(out);
    if (a == b)
        return;
    smtpc_comparison *cmp;
    FUZZ_CHECK(smtpc_compare(&cmp, db, a->code, strlen(a->code), b->code, strlen(b->code), tag,
                             strlen(tag), &err) == 0,
               "compare in %s: %s", tag, err.text);
    rc = smtpc_render_comparison(&out, &len, cmp, format, &err);
    fuzz_check_rendered(rc, out, len, format, &err);
    FUZZ_CHECK(rc == 0, "render_comparison in %s", tag);
    smtpc_free(out);
    rc = smtpc_comparison_fallbacks(&out, &len, cmp, &err);
    FUZZ_CHECK(rc == 0 && utf8_is_valid(out, len), "fallbacks");
    smtpc_free(out);
    smtpc_comparison_free(cmp);
}

/* The database inputs are read into, kept while they are refused: laying it over the built-in
 * one costs more than reading most inputs. */
static smtpc_db *db;
static uint64_t before;

static void free_db(void)
{
    smtpc_db_free(db);
    db = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int registered;
    if (!registered) {
        atexit(free_db);
        registered = 1;
    }
    if (db == NULL) {
        FUZZ_CHECK(smtpc_db_load_buffer(&db, "", 0, "empty", SMTPC_LOAD_OVERLAY, NULL) == 0,
                   "an overlay of the built-in database");
        before = texts_digest(db);
    }
    smtpc_error err;
    fuzz_poison_error(&err);
    int rc = smtpc_db_load_catalog_buffer(db, (const char *)data, size, "fuzz.po", &err);
    if (rc != 0) {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(rc == SMTPC_EDATA, "catalog: %d (%s)", rc, err.text);
        FUZZ_CHECK(strcmp(err.source, "fuzz.po") == 0, "error source '%s'", err.source);
        FUZZ_CHECK(texts_digest(db) == before, "a refused catalog changed the database");
        return 0;
    }
    /* a catalog that is read stays in the database: start again from a fresh one */
    texts_digest(db);
    render_pages(db, fuzz_hash(data, size));
    free_db();
    return 0;
}
