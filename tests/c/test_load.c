/*
 * test_load.c - the data-file loader: good files, the folder of broken files, all-or-nothing
 * loading, SMTPCODES_DATA, and the built-in database checked against the data file entry by
 * entry.
 */
#include "smtpcodes.h"
#include "support.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void assert_same_entry(const smtpc_entry *a, const smtpc_entry *b)
{
    const char *fa[] = {a->code, a->name, a->slug, a->classes, a->description, a->when, a->fix,
                        a->references, a->commands, a->enhanced, a->sample, a->associated,
                        a->see, a->note};
    const char *fb[] = {b->code, b->name, b->slug, b->classes, b->description, b->when, b->fix,
                        b->references, b->commands, b->enhanced, b->sample, b->associated,
                        b->see, b->note};
    for (size_t i = 0; i < sizeof fa / sizeof fa[0]; i++) {
        if (strcmp(fa[i], fb[i]) != 0)
            fail_msg("%s: field %zu differs: '%s' vs '%s'", a->code, i, fa[i], fb[i]);
    }
    assert_memory_equal(&a->parsed, &b->parsed, sizeof a->parsed);
    assert_int_equal(a->origin, b->origin);
    assert_int_equal(a->retry, b->retry);
    assert_int_equal(a->connection, b->connection);
}

/* Reads every catalog of core/po into `db`, as the build compiles them in. */
static void load_catalogs(smtpc_db *db)
{
    DIR *dir = opendir(SMTPC_CATALOG_DIR);
    assert_non_null(dir);
    int n = 0;
    for (struct dirent *d = readdir(dir); d != NULL; d = readdir(dir)) {
        size_t len = strlen(d->d_name);
        if (len < 4 || strcmp(d->d_name + len - 3, ".po") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", SMTPC_CATALOG_DIR, d->d_name);
        smtpc_error err;
        if (smtpc_db_load_catalog(db, path, &err) != 0)
            fail_msg("%s:%lu:%lu: %s", err.source, err.line, err.column, err.text);
        n++;
    }
    closedir(dir);
    assert_true(n > 0);
}

/* libpsl's check: the table compiled in and the files parsed now agree entry by entry. */
static void builtin_matches_data_file(void **state)
{
    (void)state;
    smtpc_db *parsed;
    smtpc_error err;
    if (smtpc_db_load(&parsed, SMTPC_DATA_FILE, SMTPC_LOAD_ALONE, &err) != 0)
        fail_msg("%s:%lu:%lu: %s", err.source, err.line, err.column, err.text);
    load_catalogs(parsed);
    const smtpc_db *builtin = smtpc_db_builtin();
    assert_int_equal(smtpc_db_count(parsed), smtpc_db_count(builtin));
    for (size_t i = 0; i < smtpc_db_count(builtin); i++)
        assert_same_entry(smtpc_db_entry(builtin, i), smtpc_db_entry(parsed, i));
    assert_int_equal(smtpc_language_count(parsed), smtpc_language_count(builtin));
    for (size_t i = 0; i < smtpc_language_count(builtin); i++) {
        const char *tag = smtpc_language_tag(builtin, i);
        assert_string_equal(tag, smtpc_language_tag(parsed, i));
        for (int which = 0; which < SMTPC_LABEL_COUNT; which++) {
            const char *a;
            const char *b;
            assert_int_equal(smtpc_label(&a, builtin, tag, strlen(tag), which, NULL), 0);
            assert_int_equal(smtpc_label(&b, parsed, tag, strlen(tag), which, NULL), 0);
            assert_string_equal(a, b);
        }
        /* and every text in every language: the catalogs compiled in are those read now */
        for (size_t e = 0; e < smtpc_db_count(builtin); e++) {
            for (int text = 0; text < SMTPC_TEXT_COUNT; text++) {
                const char *a, *b;
                int ta, tb;
                assert_int_equal(smtpc_entry_text(&a, &ta, builtin, smtpc_db_entry(builtin, e),
                                                  text, tag, strlen(tag), NULL), 0);
                assert_int_equal(smtpc_entry_text(&b, &tb, parsed, smtpc_db_entry(parsed, e),
                                                  text, tag, strlen(tag), NULL), 0);
                assert_string_equal(a, b);
                assert_int_equal(ta, tb);
            }
        }
        size_t done_a, total_a, done_b, total_b;
        assert_int_equal(smtpc_language_completeness(&done_a, &total_a, builtin, tag,
                                                     strlen(tag), NULL), 0);
        assert_int_equal(smtpc_language_completeness(&done_b, &total_b, parsed, tag,
                                                     strlen(tag), NULL), 0);
        assert_int_equal(done_a, done_b);
        assert_int_equal(total_a, total_b);
    }
    for (int kind = SMTPC_GROUP_CLASS; kind <= SMTPC_GROUP_SUBJECT; kind++) {
        for (int n = 0; n < 10; n++) {
            const smtpc_group *a;
            const smtpc_group *b;
            int ra = smtpc_group_lookup(&a, builtin, kind, n, NULL);
            assert_int_equal(ra, smtpc_group_lookup(&b, parsed, kind, n, NULL));
            if (ra == 0) {
                assert_string_equal(a->name, b->name);
                assert_string_equal(a->alt_name, b->alt_name);
                assert_string_equal(a->description, b->description);
            }
        }
    }
    smtpc_db_free(parsed);
}

static void valid_files_load(void **state)
{
    (void)state;
    const char *names[] = {"override-421.txt", "crlf-continuation.txt", "language.txt"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "data/valid/%s", names[i]);
        smtpc_db *db;
        smtpc_error err;
        if (smtpc_db_load(&db, vector_path(rel), SMTPC_LOAD_OVERLAY, &err) != 0)
            fail_msg("%s:%lu:%lu: %s", err.source, err.line, err.column, err.text);
        smtpc_db_free(db);
    }
}

static void overlay_replaces_and_adds(void **state)
{
    (void)state;
    smtpc_db *db;
    assert_int_equal(
        smtpc_db_load(&db, vector_path("data/valid/override-421.txt"), SMTPC_LOAD_OVERLAY, NULL),
        0);
    assert_int_equal(smtpc_db_count(db), smtpc_db_count(smtpc_db_builtin()) + 1);
    const smtpc_entry *e;
    assert_int_equal(smtpc_lookup(&e, db, "421", 3, NULL), 0);
    assert_non_null(strstr(e->description, "gateway"));
    assert_int_equal(smtpc_lookup(&e, db, "299", 3, NULL), 0);
    assert_int_equal(e->origin, SMTPC_ORIGIN_NONSTANDARD);
    /* the built-in database is untouched */
    assert_int_equal(smtpc_lookup(&e, smtpc_db_builtin(), "421", 3, NULL), 0);
    assert_null(strstr(e->description, "gateway"));
    assert_int_equal(smtpc_lookup(&e, smtpc_db_builtin(), "299", 3, NULL), SMTPC_ENOTFOUND);
    smtpc_db_free(db);
}

static void folding_and_crlf(void **state)
{
    (void)state;
    smtpc_db *db;
    assert_int_equal(smtpc_db_load(&db, vector_path("data/valid/crlf-continuation.txt"),
                                   SMTPC_LOAD_OVERLAY, NULL),
                     0);
    const smtpc_entry *e;
    assert_int_equal(smtpc_lookup(&e, db, "298", 3, NULL), 0);
    assert_string_equal(e->description, "The first line of the description continues here.\n"
                                        "A second paragraph follows.");
    assert_string_equal(e->references, "RFC 5321 section 4.2; IANA registry");
    assert_string_equal(e->enhanced, "2.0.0 2.1.5");
    smtpc_db_free(db);
}

static void alone_has_only_the_file(void **state)
{
    (void)state;
    smtpc_db *db;
    smtpc_error err;
    /* a file without an "en" language cannot stand alone */
    assert_int_equal(smtpc_db_load(&db, vector_path("data/valid/override-421.txt"),
                                   SMTPC_LOAD_ALONE, &err),
                     SMTPC_EDATA);
    assert_non_null(strstr(err.text, "'en'"));
    assert_null(db);
    assert_int_equal(smtpc_db_load(&db, "x", 7, &err), SMTPC_EINVAL);
}

/* Each broken file fails with the position and message its first line names. */
static void check_invalid_file(const char *name)
{
    char rel[512];
    snprintf(rel, sizeof rel, "data/invalid/%s", name);
    char *path = strdup(vector_path(rel));
    assert_non_null(path);
    char expect_path[600];
    snprintf(expect_path, sizeof expect_path, "%s", path);
    char *dot = strrchr(expect_path, '.');
    strcpy(dot, ".error");
    char *expect = read_file(expect_path, NULL);
    if (expect == NULL)
        expect = read_file(path, NULL);
    assert_non_null(expect);
    unsigned long line = 0;
    unsigned long column = 0;
    int offset = 0;
    if (sscanf(expect, "# error: %lu:%lu: %n", &line, &column, &offset) != 2 || offset == 0)
        fail_msg("%s: first line must be '# error: LINE:COLUMN: TEXT'", name);
    char *text = expect + offset;
    text[strcspn(text, "\r\n")] = '\0';

    smtpc_db *db = (smtpc_db *)1;
    smtpc_error err;
    memset(&err, 0, sizeof err);
    int rc = smtpc_db_load(&db, path, SMTPC_LOAD_OVERLAY, &err);
    if (rc != SMTPC_EDATA)
        fail_msg("%s: loaded with status %d, expected a data error", name, rc);
    assert_null(db);
    if (err.line != line || err.column != column || strstr(err.text, text) == NULL)
        fail_msg("%s: got %lu:%lu: %s\nexpected %lu:%lu: %s", name, err.line, err.column,
                 err.text, line, column, text);
    assert_string_equal(err.source, path);
    free(expect);
    free(path);
}

static void invalid_files_fail_where_they_say(void **state)
{
    (void)state;
    DIR *dir = opendir(vector_path("data/invalid"));
    assert_non_null(dir);
    int n = 0;
    struct dirent *ent;
    while ((ent = readdir(dir)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (len > 4 && strcmp(ent->d_name + len - 4, ".txt") == 0) {
            check_invalid_file(ent->d_name);
            n++;
        }
    }
    closedir(dir);
    assert_true(n >= 20);
}

static void io_errors(void **state)
{
    (void)state;
    smtpc_db *db;
    smtpc_error err;
    assert_int_equal(smtpc_db_load(&db, "/nonexistent/smtpcodes.txt", 0, &err), SMTPC_EIO);
    assert_null(db);
    assert_string_equal(err.source, "/nonexistent/smtpcodes.txt");
    assert_non_null(strstr(err.text, "no such file"));
    assert_int_equal(smtpc_db_load(&db, vector_path("data"), 0, &err), SMTPC_EIO);
    assert_int_equal(smtpc_db_load(&db, NULL, 0, &err), SMTPC_EINVAL);
}

static void buffers_with_nul_and_truncation(void **state)
{
    (void)state;
    smtpc_db *db;
    smtpc_error err;
    static const char with_nul[] = "Code: 297\nName: A\0B\n";
    assert_int_equal(smtpc_db_load_buffer(&db, with_nul, sizeof with_nul - 1, "mem", 0, &err),
                     SMTPC_EDATA);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 8);
    assert_string_equal(err.source, "mem");
    /* every prefix of a good file either loads or fails cleanly, never crashes or leaks */
    size_t len;
    char *good = read_file(vector_path("data/valid/override-421.txt"), &len);
    assert_non_null(good);
    int loaded = 0;
    for (size_t cut = 0; cut <= len; cut++) {
        if (smtpc_db_load_buffer(&db, good, cut, NULL, 0, &err) == 0) {
            smtpc_db_free(db);
            loaded++;
        } else {
            assert_null(db);
            assert_int_equal(err.status, SMTPC_EDATA);
            assert_string_equal(err.source, "<buffer>");
        }
    }
    assert_true(loaded >= 2); /* the empty prefix, and the whole file */
    free(good);
    assert_int_equal(smtpc_db_load_buffer(&db, "", 0, NULL, 0, NULL), 0);
    assert_int_equal(smtpc_db_count(db), smtpc_db_count(smtpc_db_builtin()));
    smtpc_db_free(db);
}

static void too_large_is_refused(void **state)
{
    (void)state;
    size_t len = 16 * 1024 * 1024 + 1;
    char *big = malloc(len);
    assert_non_null(big);
    memset(big, '#', len);
    smtpc_db *db;
    smtpc_error err;
    assert_int_equal(smtpc_db_load_buffer(&db, big, len, "big", 0, &err), SMTPC_EDATA);
    assert_non_null(strstr(err.text, "16 MiB"));
    free(big);
}

static void environment_variable(void **state)
{
    (void)state;
    const smtpc_db *db;
    unsetenv("SMTPCODES_DATA");
    assert_int_equal(smtpc_db_from_env(&db, NULL), 0);
    assert_ptr_equal(db, smtpc_db_builtin());
    smtpc_db_free(db);
    setenv("SMTPCODES_DATA", vector_path("data/valid/override-421.txt"), 1);
    assert_int_equal(smtpc_db_from_env(&db, NULL), 0);
    const smtpc_entry *e;
    assert_int_equal(smtpc_lookup(&e, db, "299", 3, NULL), 0);
    smtpc_db_free(db);
    setenv("SMTPCODES_DATA", vector_path("data/invalid/bad-code.txt"), 1);
    smtpc_error err;
    assert_int_equal(smtpc_db_from_env(&db, &err), SMTPC_EDATA);
    assert_null(db);
    assert_int_equal(err.line, 2);
    setenv("SMTPCODES_DATA", "", 1);
    assert_int_equal(smtpc_db_from_env(&db, NULL), 0);
    assert_ptr_equal(db, smtpc_db_builtin());
    unsetenv("SMTPCODES_DATA");
    smtpc_db_free(NULL);
    smtpc_db_free(smtpc_db_builtin());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtin_matches_data_file),
        cmocka_unit_test(valid_files_load),
        cmocka_unit_test(overlay_replaces_and_adds),
        cmocka_unit_test(folding_and_crlf),
        cmocka_unit_test(alone_has_only_the_file),
        cmocka_unit_test(invalid_files_fail_where_they_say),
        cmocka_unit_test(io_errors),
        cmocka_unit_test(buffers_with_nul_and_truncation),
        cmocka_unit_test(too_large_is_refused),
        cmocka_unit_test(environment_variable),
    };
    return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
