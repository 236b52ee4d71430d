/*
 * test_lookup.c - codes as syntax, lookup (exact and closest), groups and languages.
 */
#include "smtpcodes.h"
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int expected_status(const char *name)
{
    if (strcmp(name, "ok") == 0)
        return 0;
    if (strcmp(name, "syntax") == 0)
        return SMTPC_ESYNTAX;
    if (strcmp(name, "notfound") == 0)
        return SMTPC_ENOTFOUND;
    fail_msg("unknown status '%s'", name);
    return 1;
}

/* columns: input status entry kind class category closest retry column */
static void check_lookup_row(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    const smtpc_db *db = smtpc_db_builtin();
    const char *input = row->cells[0];
    size_t len = row->len[0];
    int want = expected_status(row->cells[1]);
    const smtpc_entry *e = (const smtpc_entry *)1;
    smtpc_error err = {0};
    int rc = smtpc_lookup(&e, db, input, len, &err);
    if (rc != want)
        fail_msg("lookup.tsv:%lu: '%s' gave %d (%s), expected %d", row->line, input, rc,
                 err.text, want);
    if (rc == 0) {
        assert_string_equal(e->code, row->cells[2]);
        /* the retry of the code as written: 4.7.1 is retried later, whatever X.7.1 says */
        smtpc_code written;
        assert_int_equal(smtpc_code_parse(&written, input, len, NULL), 0);
        assert_string_equal(smtpc_enum_name(SMTPC_ENUM_RETRY, smtpc_entry_retry(e, written.klass)),
                            row->cells[7]);
    } else {
        assert_null(e);
        assert_int_equal(err.status, rc);
        assert_true(err.text[0] != '\0');
        if (rc == SMTPC_ESYNTAX && (unsigned long)atol(row->cells[8]) != err.column)
            fail_msg("lookup.tsv:%lu: '%s': column %lu (%s), expected %s", row->line, input,
                     err.column, err.text, row->cells[8]);
    }
    smtpc_code code;
    int parsed = smtpc_code_parse(&code, input, len, NULL);
    if (strcmp(row->cells[3], "-") == 0) {
        assert_int_equal(parsed, SMTPC_ESYNTAX);
    } else {
        assert_int_equal(parsed, 0);
        assert_int_equal(code.kind, strcmp(row->cells[3], "basic") == 0 ? SMTPC_KIND_BASIC
                                                                         : SMTPC_KIND_ENHANCED);
        assert_int_equal(code.klass, atoi(row->cells[4]));
        assert_int_equal(code.category, atoi(row->cells[5]));
    }
    int exact = -1;
    rc = smtpc_lookup_closest(&e, &exact, db, input, len, NULL);
    if (strcmp(row->cells[6], "-") == 0) {
        assert_true(rc < 0);
    } else {
        if (rc != 0)
            fail_msg("lookup.tsv:%lu: closest lookup of '%s' failed", row->line, input);
        assert_string_equal(e->code, row->cells[6]);
        assert_int_equal(exact, want == 0);
    }
}

static void lookup_vectors(void **state)
{
    (void)state;
    assert_true(vector_each("lookup.tsv", "input\tstatus\tentry\tkind\tclass\tcategory\tclosest\tretry\tcolumn",
                            check_lookup_row, NULL) > 20);
}

static void syntax_errors_name_the_column(void **state)
{
    (void)state;
    smtpc_code code;
    smtpc_error err;
    assert_int_equal(smtpc_code_parse(&code, "4x1", 3, &err), SMTPC_ESYNTAX);
    assert_int_equal(err.column, 2);
    assert_non_null(strstr(err.text, "'x'"));
    assert_int_equal(smtpc_code_parse(&code, "621", 3, &err), SMTPC_ESYNTAX);
    assert_int_equal(err.column, 1);
    assert_int_equal(smtpc_code_parse(&code, "42", 2, &err), SMTPC_ESYNTAX);
    assert_non_null(strstr(err.text, "end"));
    assert_int_equal(smtpc_code_parse(&code, "42\x01", 3, &err), SMTPC_ESYNTAX);
    assert_non_null(strstr(err.text, "\\x01"));
}

static void second_digit_above_five_is_tolerated(void **state)
{
    (void)state;
    smtpc_code code;
    assert_int_equal(smtpc_code_parse(&code, "571", 3, NULL), 0);
    assert_int_equal(code.conforming, 0); /* RFC 5321 section 4.2: second digit 0-5 */
    assert_int_equal(smtpc_code_parse(&code, "551", 3, NULL), 0);
    assert_int_equal(code.conforming, 1);
}

static void format_round_trips(void **state)
{
    (void)state;
    const char *codes[] = {"421", "5.7.1", "X.7.1", "2.0.0", "4.999.999", "599"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        smtpc_code code;
        char text[SMTPC_CODE_TEXT_SIZE];
        assert_int_equal(smtpc_code_parse(&code, codes[i], strlen(codes[i]), NULL), 0);
        assert_int_equal(smtpc_code_format(text, &code), 0);
        assert_string_equal(text, codes[i]);
    }
    smtpc_code bad = {SMTPC_KIND_BASIC, 7, 0, 0, 1};
    char text[SMTPC_CODE_TEXT_SIZE];
    assert_int_equal(smtpc_code_format(text, &bad), SMTPC_EINVAL);
}

static void lookup_by_number(void **state)
{
    (void)state;
    const smtpc_entry *e;
    assert_int_equal(smtpc_lookup_number(&e, smtpc_db_builtin(), 421, NULL), 0);
    const smtpc_entry *by_text;
    assert_int_equal(smtpc_lookup(&by_text, smtpc_db_builtin(), "421", 3, NULL), 0);
    assert_ptr_equal(e, by_text);
    smtpc_error err;
    assert_int_equal(smtpc_lookup_number(&e, smtpc_db_builtin(), 42, &err), SMTPC_ESYNTAX);
    assert_null(e);
    assert_int_equal(smtpc_lookup_number(&e, smtpc_db_builtin(), 600, NULL), SMTPC_ESYNTAX);
    assert_int_equal(smtpc_lookup_number(&e, smtpc_db_builtin(), -421, NULL), SMTPC_ESYNTAX);
    assert_int_equal(smtpc_lookup_number(&e, smtpc_db_builtin(), 299, &err), SMTPC_ENOTFOUND);
    assert_non_null(strstr(err.text, "299"));
}

static void entries_are_in_code_order(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    size_t n = smtpc_db_count(db);
    assert_true(n > 100);
    int seen_enhanced = 0;
    for (size_t i = 0; i < n; i++) {
        const smtpc_entry *e = smtpc_db_entry(db, i);
        assert_non_null(e);
        if (e->parsed.kind == SMTPC_KIND_ENHANCED)
            seen_enhanced = 1;
        else
            assert_false(seen_enhanced);
        if (i > 0) {
            const smtpc_entry *prev = smtpc_db_entry(db, i - 1);
            if (prev->parsed.kind == e->parsed.kind) {
                long a = prev->parsed.category * 1000L + prev->parsed.detail +
                         prev->parsed.klass * 1000000L;
                long b = e->parsed.category * 1000L + e->parsed.detail + e->parsed.klass * 1000000L;
                assert_true(a < b);
            }
        }
        /* every entry can be found again by its own code */
        const smtpc_entry *again;
        assert_int_equal(smtpc_lookup(&again, db, e->code, strlen(e->code), NULL), 0);
        assert_ptr_equal(again, e);
    }
    assert_null(smtpc_db_entry(db, n));
    assert_true(seen_enhanced);
}

static void every_entry_is_complete(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    for (size_t i = 0; i < smtpc_db_count(db); i++) {
        const smtpc_entry *e = smtpc_db_entry(db, i);
        const char *mandatory[] = {e->code, e->name, e->slug, e->classes, e->description,
                                   e->when, e->fix, e->references};
        for (size_t k = 0; k < sizeof mandatory / sizeof mandatory[0]; k++) {
            if (mandatory[k] == NULL || mandatory[k][0] == '\0')
                fail_msg("%s: mandatory field %zu is empty", e->code, k);
        }
        assert_true(e->origin >= SMTPC_ORIGIN_RFC && e->origin <= SMTPC_ORIGIN_PROVIDER);
        assert_true(e->retry >= SMTPC_RETRY_NONE && e->retry <= SMTPC_RETRY_NO);
        if (e->parsed.kind == SMTPC_KIND_BASIC) {
            assert_int_equal(e->classes[0] - '0', e->parsed.klass);
            assert_int_not_equal(e->connection, SMTPC_CONNECTION_UNSPECIFIED);
            assert_true(e->commands[0] != '\0');
            assert_string_equal(e->sample, "");
        } else {
            assert_int_equal(e->parsed.klass, 0);
            assert_true(e->sample[0] != '\0');
            assert_true(e->associated[0] != '\0');
        }
    }
}

static void groups(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    const smtpc_group *g;
    for (int klass = 2; klass <= 5; klass++) {
        assert_int_equal(smtpc_group_lookup(&g, db, SMTPC_GROUP_CLASS, klass, NULL), 0);
        assert_int_equal(g->number, klass);
        assert_true(g->name[0] != '\0');
    }
    assert_int_equal(smtpc_group_lookup(&g, db, SMTPC_GROUP_CLASS, 3, NULL), 0);
    assert_string_equal(g->alt_name, ""); /* RFC 3463 has no 3.X.X class */
    for (int category = 0; category <= 5; category++)
        assert_int_equal(smtpc_group_lookup(&g, db, SMTPC_GROUP_CATEGORY, category, NULL), 0);
    assert_int_equal(smtpc_group_lookup(&g, db, SMTPC_GROUP_CATEGORY, 7, NULL), SMTPC_ENOTFOUND);
    assert_null(g);
    for (int subject = 0; subject <= 7; subject++)
        assert_int_equal(smtpc_group_lookup(&g, db, SMTPC_GROUP_SUBJECT, subject, NULL), 0);
    assert_int_equal(smtpc_group_lookup(&g, db, SMTPC_GROUP_SUBJECT, 8, NULL), SMTPC_ENOTFOUND);
    assert_int_equal(smtpc_group_lookup(&g, db, 9, 1, NULL), SMTPC_EINVAL);
}

static void languages(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    assert_int_equal(smtpc_language_count(db), 15);
    const char *tag;
    struct {
        const char *given;
        const char *canonical;
    } cases[] = {{"en", "en"},       {"EN", "en"},      {"pt-BR", "pt"},      {"pt_br", "pt"},
                 {"zh", "zh-hans"},  {"zh-CN", "zh-hans"}, {"zh-Hans", "zh-hans"},
                 {"zh_Hans_CN", "zh-hans"}, {"de-AT-1996", "de"}, {"th", "th"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (smtpc_language_resolve(&tag, db, cases[i].given, strlen(cases[i].given), NULL) != 0)
            fail_msg("language '%s' did not resolve", cases[i].given);
        assert_string_equal(tag, cases[i].canonical);
    }
    smtpc_error err;
    const char *bad[] = {"", "xx", "-", "e", "english", "zh-TW-x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (smtpc_language_resolve(&tag, db, bad[i], strlen(bad[i]), &err) != SMTPC_ELANG)
            fail_msg("language '%s' should not resolve", bad[i]);
    }
    for (size_t i = 0; i < smtpc_language_count(db); i++) {
        const char *t = smtpc_language_tag(db, i);
        for (int which = 0; which < SMTPC_LABEL_COUNT; which++) {
            const char *label;
            assert_int_equal(smtpc_label(&label, db, t, strlen(t), which, NULL), 0);
            assert_true(label[0] != '\0');
        }
    }
    const char *label;
    assert_int_equal(smtpc_label(&label, db, "vi", 2, SMTPC_LABEL_DESCRIPTION, NULL), 0);
    assert_string_equal(label, "Mô tả");
    assert_int_equal(smtpc_label(&label, db, "vi", 2, SMTPC_LABEL_COUNT, NULL), SMTPC_EINVAL);
    assert_null(smtpc_language_tag(db, 15));
}

static void null_arguments_are_refused(void **state)
{
    (void)state;
    const smtpc_entry *e;
    assert_int_equal(smtpc_lookup(NULL, smtpc_db_builtin(), "421", 3, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_lookup(&e, NULL, "421", 3, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_lookup(&e, smtpc_db_builtin(), NULL, 3, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_lookup(&e, smtpc_db_builtin(), NULL, 0, NULL), SMTPC_ESYNTAX);
    assert_int_equal(smtpc_db_count(NULL), 0);
    assert_null(smtpc_db_entry(NULL, 0));
}

static void strerror_and_version(void **state)
{
    (void)state;
    for (int status = 0; status >= -12; status--)
        assert_non_null(smtpc_strerror(status));
    assert_string_equal(smtpc_strerror(12345), "unknown status");
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", SMTPC_VERSION_MAJOR, SMTPC_VERSION_MINOR,
             SMTPC_VERSION_PATCH);
    assert_string_equal(smtpc_version(), expected);
    assert_int_equal(smtpc_version_number(), SMTPC_VERSION_NUMBER);
}

static void error_format(void **state)
{
    (void)state;
    smtpc_error err = {SMTPC_EDATA, 3, 7, "f.txt", "bad"};
    char buf[64];
    assert_int_equal(smtpc_error_format(buf, sizeof buf, &err), strlen("f.txt:3:7: bad"));
    assert_string_equal(buf, "f.txt:3:7: bad");
    char tiny[4];
    assert_int_equal(smtpc_error_format(tiny, sizeof tiny, &err), 14);
    assert_string_equal(tiny, "f.t");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookup_vectors),
        cmocka_unit_test(syntax_errors_name_the_column),
        cmocka_unit_test(second_digit_above_five_is_tolerated),
        cmocka_unit_test(format_round_trips),
        cmocka_unit_test(lookup_by_number),
        cmocka_unit_test(entries_are_in_code_order),
        cmocka_unit_test(every_entry_is_complete),
        cmocka_unit_test(groups),
        cmocka_unit_test(languages),
        cmocka_unit_test(null_arguments_are_refused),
        cmocka_unit_test(strerror_and_version),
        cmocka_unit_test(error_format),
    };
    return cmocka_run_group_tests_name("lookup", tests, NULL, NULL);
}
