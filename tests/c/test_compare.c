/*
 * test_compare.c - the structure of the comparison page (docs/comparison-page.md).
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

static smtpc_comparison *compare(const char *a, const char *b, const char *lang)
{
    smtpc_comparison *cmp;
    smtpc_error err;
    if (smtpc_compare(&cmp, smtpc_db_builtin(), a, strlen(a), b, strlen(b), lang,
                      lang ? strlen(lang) : 0, &err) != 0)
        fail_msg("compare %s %s: %s", a, b, err.text);
    return cmp;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* columns: a b lang first second intro class_item lang_tag */
static void check_compare_row(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    smtpc_comparison *cmp = compare(row->cells[0], row->cells[1], row->cells[2]);
    assert_string_equal(smtpc_comparison_code(cmp, 0), row->cells[3]);
    assert_string_equal(smtpc_comparison_code(cmp, 1), row->cells[4]);
    /* the form of the intro, as English words it (another language words it its own way) */
    smtpc_comparison *english = compare(row->cells[0], row->cells[1], "en");
    const char *intro = smtpc_comparison_part(english, SMTPC_PART_INTRO);
    int same = strcmp(row->cells[5], "same") == 0;
    if (same != starts_with(intro, "Both SMTP "))
        fail_msg("compare.tsv:%lu: intro '%s'", row->line, intro);
    assert_int_equal(same, strstr(intro, " Meanwhile, ") != NULL);
    assert_int_equal(!same, strstr(intro, " In contrast, ") != NULL);
    int class_item = strcmp(smtpc_comparison_difference_kind(cmp, 0), "class") == 0;
    assert_int_equal(class_item, strcmp(row->cells[6], "yes") == 0);
    assert_string_equal(smtpc_comparison_part(cmp, SMTPC_PART_LANG), row->cells[7]);
    smtpc_comparison_free(english);
    smtpc_comparison_free(cmp);
}

static void compare_vectors(void **state)
{
    (void)state;
    assert_true(vector_each("compare.tsv", "a\tb\tlang\tfirst\tsecond\tintro\tclass_item\tlang_tag",
                            check_compare_row, NULL) >= 10);
}

/* columns: a b lang status */
static void check_error_row(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    const char *status = row->cells[3];
    int want = strcmp(status, "same") == 0       ? SMTPC_EINVAL
               : strcmp(status, "syntax") == 0   ? SMTPC_ESYNTAX
               : strcmp(status, "notfound") == 0 ? SMTPC_ENOTFOUND
                                                 : SMTPC_ELANG;
    const char *lang = strcmp(row->cells[2], "-") == 0 ? "" : row->cells[2];
    smtpc_comparison *cmp = (smtpc_comparison *)1;
    smtpc_error err;
    int rc = smtpc_compare(&cmp, smtpc_db_builtin(), row->cells[0], strlen(row->cells[0]),
                           row->cells[1], strlen(row->cells[1]), lang, strlen(lang), &err);
    if (rc != want)
        fail_msg("compare-errors.tsv:%lu: status %d, expected %d", row->line, rc, want);
    assert_null(cmp);
    assert_true(err.text[0] != '\0');
}

static void compare_error_vectors(void **state)
{
    (void)state;
    assert_true(vector_each("compare-errors.tsv", "a\tb\tlang\tstatus", check_error_row, NULL) >=
                5);
}

/* The intro of docs/comparison-page.md, different classes, word for word around the clauses. */
static void intro_for_different_classes(void **state)
{
    (void)state;
    const char *others[] = {"504", "502", "501", "500"};
    for (size_t i = 0; i < 4; i++) {
        smtpc_comparison *cmp = compare(others[i], "421", "en");
        const smtpc_entry *a = smtpc_comparison_entry(cmp, 0);
        const smtpc_entry *b = smtpc_comparison_entry(cmp, 1);
        assert_string_equal(a->code, "421");
        assert_string_equal(b->code, others[i]);
        char expected[512];
        snprintf(expected, sizeof expected,
                 "SMTP 421 (%s) is a 4xx Transient Negative response, while %s (%s) is a 5xx "
                 "Permanent Negative response. 421 indicates that ",
                 a->name, others[i], b->name);
        const char *intro = smtpc_comparison_part(cmp, SMTPC_PART_INTRO);
        if (!starts_with(intro, expected))
            fail_msg("intro: %s", intro);
        snprintf(expected, sizeof expected, " In contrast, %s means that ", others[i]);
        assert_non_null(strstr(intro, expected));
        snprintf(expected, sizeof expected, "SMTP 421 %s vs %s %s", a->name, others[i], b->name);
        assert_string_equal(smtpc_comparison_part(cmp, SMTPC_PART_TITLE), expected);
        /* 1. class, 2-3. descriptions, 4-5. when, then computed differences */
        const char *kinds[] = {"class", "description", "description", "when", "when"};
        for (size_t k = 0; k < 5; k++)
            assert_string_equal(smtpc_comparison_difference_kind(cmp, k), kinds[k]);
        snprintf(expected, sizeof expected,
                 "421 is a 4xx Transient Negative response, while %s is a 5xx Permanent "
                 "Negative response.",
                 others[i]);
        assert_string_equal(smtpc_comparison_difference(cmp, 0), expected);
        smtpc_comparison_free(cmp);
    }
}

static void intro_for_same_class(void **state)
{
    (void)state;
    smtpc_comparison *cmp = compare("455", "421", NULL);
    const char *intro = smtpc_comparison_part(cmp, SMTPC_PART_INTRO);
    char expected[256];
    snprintf(expected, sizeof expected,
             "Both SMTP 421 (%s) and 455 (%s) belong to the 4xx Transient Negative category. "
             "421 indicates that ",
             smtpc_comparison_entry(cmp, 0)->name, smtpc_comparison_entry(cmp, 1)->name);
    if (!starts_with(intro, expected))
        fail_msg("intro: %s", intro);
    assert_non_null(strstr(intro, " Meanwhile, 455 means that "));
    for (size_t k = 0; k < smtpc_comparison_difference_count(cmp); k++)
        assert_string_not_equal(smtpc_comparison_difference_kind(cmp, k), "class");
    assert_string_equal(smtpc_comparison_difference_kind(cmp, 0), "description");
    smtpc_comparison_free(cmp);
}

static int has_kind(const smtpc_comparison *cmp, const char *kind)
{
    for (size_t k = 0; k < smtpc_comparison_difference_count(cmp); k++) {
        if (strcmp(smtpc_comparison_difference_kind(cmp, k), kind) == 0)
            return 1;
    }
    return 0;
}

static const char *difference_of_kind(const smtpc_comparison *cmp, const char *kind)
{
    for (size_t k = 0; k < smtpc_comparison_difference_count(cmp); k++) {
        if (strcmp(smtpc_comparison_difference_kind(cmp, k), kind) == 0)
            return smtpc_comparison_difference(cmp, k);
    }
    fail_msg("no difference of kind %s", kind);
    return NULL;
}

/* The computed differences follow the data: 421 closes the channel and is retried later,
 * 504 keeps it and wants a corrected command. */
static void computed_differences(void **state)
{
    (void)state;
    smtpc_comparison *cmp = compare("421", "504", "en");
    const smtpc_entry *a = smtpc_comparison_entry(cmp, 0);
    const smtpc_entry *b = smtpc_comparison_entry(cmp, 1);
    assert_int_equal(a->connection, SMTPC_CONNECTION_CLOSED);
    assert_int_equal(b->connection, SMTPC_CONNECTION_KEPT);
    assert_non_null(strstr(difference_of_kind(cmp, "connection"),
                           "After 421 the server closes the connection"));
    assert_non_null(strstr(difference_of_kind(cmp, "retry"), "421 may be retried unchanged later"));
    assert_non_null(strstr(difference_of_kind(cmp, "category"), "category x2x (Connections)"));
    assert_non_null(strstr(difference_of_kind(cmp, "category"), "category x0x (Syntax)"));
    assert_true(has_kind(cmp, "commands"));
    assert_true(has_kind(cmp, "enhanced"));
    assert_false(has_kind(cmp, "origin"));
    smtpc_comparison_free(cmp);

    cmp = compare("446", "421", "en");
    assert_non_null(strstr(difference_of_kind(cmp, "origin"), "is not defined by any standard"));
    smtpc_comparison_free(cmp);

    /* enhanced codes keep the class they were written with */
    cmp = compare("5.1.1", "4.1.1", "en");
    assert_string_equal(smtpc_comparison_code(cmp, 0), "4.1.1");
    assert_non_null(strstr(difference_of_kind(cmp, "retry"),
                           "4.1.1 may be retried unchanged later, while 5.1.1 should"));
    assert_non_null(strstr(smtpc_comparison_part(cmp, SMTPC_PART_INTRO),
                           "is a 5.X.X Permanent Failure response"));
    assert_false(has_kind(cmp, "enhanced"));
    smtpc_comparison_free(cmp);
}

static void references_are_deduplicated(void **state)
{
    (void)state;
    smtpc_comparison *cmp = compare("421", "455", "en");
    size_t n = smtpc_comparison_reference_count(cmp);
    assert_true(n >= 2);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(smtpc_comparison_reference(cmp, i),
                                    smtpc_comparison_reference(cmp, j));
        char url[256];
        const char *ref = smtpc_comparison_reference(cmp, i);
        assert_true(smtpc_reference_url(url, sizeof url, ref, strlen(ref)) > 0);
        assert_true(starts_with(url, "https://"));
    }
    assert_null(smtpc_comparison_reference(cmp, n));
    smtpc_comparison_free(cmp);
    char url[128];
    assert_int_equal(smtpc_reference_url(url, sizeof url, "RFC 5321 section 4.2.3", 22),
                     strlen("https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3"));
    assert_string_equal(url, "https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3");
    assert_int_equal(smtpc_reference_url(url, sizeof url, "RFC 3463", 8),
                     strlen("https://www.rfc-editor.org/rfc/rfc3463"));
    assert_int_equal(smtpc_reference_url(url, sizeof url, "see the RFC", 11), 0);
    assert_string_equal(url, "");
}

static void labels_follow_the_language(void **state)
{
    (void)state;
    smtpc_comparison *cmp = compare("421", "504", "vi");
    const char *label;
    for (int which = 0; which < SMTPC_LABEL_COUNT; which++) {
        assert_int_equal(smtpc_label(&label, smtpc_db_builtin(), "vi", 2, which, NULL), 0);
        assert_string_equal(smtpc_comparison_label(cmp, which), label);
    }
    assert_null(smtpc_comparison_label(cmp, SMTPC_LABEL_COUNT));
    assert_null(smtpc_comparison_label(cmp, -1));
    assert_null(smtpc_comparison_part(cmp, 99));
    assert_null(smtpc_comparison_entry(cmp, 2));
    assert_null(smtpc_comparison_code(cmp, -1));
    assert_null(smtpc_comparison_difference(cmp, 99));
    assert_null(smtpc_comparison_difference_kind(cmp, 99));
    /* Vietnamese says the whole page in its own words */
    assert_true(starts_with(smtpc_comparison_part(cmp, SMTPC_PART_INTRO), "Mã SMTP 421 ("));
    assert_null(strstr(smtpc_comparison_part(cmp, SMTPC_PART_INTRO), " indicates that "));
    const char *text = smtpc_comparison_text(cmp, 0, SMTPC_TEXT_NAME);
    const char *english;
    int translated;
    assert_int_equal(smtpc_entry_text(&english, &translated, smtpc_db_builtin(),
                                      smtpc_comparison_entry(cmp, 0), SMTPC_TEXT_NAME, "vi", 2,
                                      NULL),
                     0);
    assert_string_equal(text, english);
    assert_int_equal(translated, 1);
    assert_string_not_equal(text, smtpc_comparison_entry(cmp, 0)->name);
    assert_null(smtpc_comparison_text(cmp, 2, SMTPC_TEXT_NAME));
    assert_null(smtpc_comparison_text(cmp, 0, SMTPC_TEXT_COUNT));
    smtpc_comparison_free(cmp);
    smtpc_comparison_free(NULL);
}

static void comparisons_on_a_loaded_database(void **state)
{
    (void)state;
    smtpc_db *db;
    assert_int_equal(
        smtpc_db_load(&db, vector_path("data/valid/override-421.txt"), SMTPC_LOAD_OVERLAY, NULL),
        0);
    smtpc_comparison *cmp;
    assert_int_equal(smtpc_compare(&cmp, db, "299", 3, "421", 3, "en", 2, NULL), 0);
    assert_string_equal(smtpc_comparison_code(cmp, 0), "299");
    assert_non_null(strstr(smtpc_comparison_part(cmp, SMTPC_PART_INTRO), "gateway"));
    smtpc_comparison_free(cmp);
    smtpc_db_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compare_vectors),
        cmocka_unit_test(compare_error_vectors),
        cmocka_unit_test(intro_for_different_classes),
        cmocka_unit_test(intro_for_same_class),
        cmocka_unit_test(computed_differences),
        cmocka_unit_test(references_are_deduplicated),
        cmocka_unit_test(labels_follow_the_language),
        cmocka_unit_test(comparisons_on_a_loaded_database),
    };
    return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
