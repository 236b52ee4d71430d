/*
 * test_reason.c - the reasons of failures: smtpc_reason_decide() against
 * tests/vectors/reasons.tsv, the data's patterns and code reasons each exercised by a row, NULL, the
 * enumerations, a data file laid over the built-in reasons, and docs/bounces.md's table, which
 * must list exactly the data's reasons.
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

static const char COLUMNS[] = "code\tenhanced\tcommand\ttext\treason\thard\trule\tevidence";

enum { C_CODE, C_ENHANCED, C_COMMAND, C_TEXT, C_REASON, C_HARD, C_RULE, C_EVIDENCE };

/* A cell, with "-" read as "" (an empty cell). */
static const char *cell(const struct vector_row *row, int column, size_t *len)
{
    int dash = strcmp(row->cells[column], "-") == 0;
    if (len != NULL)
        *len = dash ? 0 : row->len[column];
    return dash ? "" : row->cells[column];
}

static const char *hard_name(int hard)
{
    return hard == 1 ? "hard" : hard == 0 ? "soft" : "none";
}

static void decide_row(smtpc_reason *out, const smtpc_db *db, const struct vector_row *row)
{
    size_t enhanced_len, command_len, text_len;
    const char *enhanced = cell(row, C_ENHANCED, &enhanced_len);
    const char *command = cell(row, C_COMMAND, &command_len);
    const char *text = cell(row, C_TEXT, &text_len);
    int code = atoi(cell(row, C_CODE, NULL));
    smtpc_error err = {0};
    int rc = smtpc_reason_decide(out, db, NULL, code, enhanced, enhanced_len, command, command_len,
                                 text, text_len, &err);
    if (rc != 0)
        fail_msg("reasons.tsv:%lu: status %d: %s", row->line, rc, err.text);
}

static void check_row(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    smtpc_reason r;
    decide_row(&r, NULL, row);
    size_t evidence_len;
    const char *evidence = cell(row, C_EVIDENCE, &evidence_len);
    if (strcmp(r.name, row->cells[C_REASON]) != 0 ||
        strcmp(hard_name(r.hard), row->cells[C_HARD]) != 0 ||
        strcmp(r.rule, row->cells[C_RULE]) != 0 || r.evidence_len != evidence_len ||
        memcmp(r.evidence, evidence, evidence_len) != 0)
        fail_msg("reasons.tsv:%lu: got %s %s %s '%.*s'", row->line, r.name, hard_name(r.hard),
                 r.rule, (int)r.evidence_len, r.evidence);
    /* The evidence of a pattern is the matched part of the text, not a copy. */
    size_t text_len;
    const char *text = cell(row, C_TEXT, &text_len);
    if (strcmp(r.rule, "pattern") == 0)
        assert_true(r.evidence >= text && r.evidence + r.evidence_len <= text + text_len);
}

static void vectors_decide_as_written(void **state)
{
    (void)state;
    assert_true(vector_each("reasons.tsv", COLUMNS, check_row, NULL) > 100);
}

/* ---- every pattern and every code reason of the data is exercised by a row ---- */

struct rows {
    struct vector_row *items;
    size_t n, cap;
};

static void collect_row(const struct vector_row *row, void *ctx)
{
    struct rows *rows = ctx;
    if (rows->n == rows->cap) {
        rows->cap = rows->cap ? rows->cap * 2 : 64;
        rows->items = realloc(rows->items, rows->cap * sizeof *rows->items);
        assert_non_null(rows->items);
    }
    rows->items[rows->n++] = *row;
}

static struct rows read_rows(void)
{
    struct rows rows = {NULL, 0, 0};
    vector_each("reasons.tsv", COLUMNS, collect_row, &rows);
    return rows;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether `needle` occurs in `hay` (`hay_len` bytes), ASCII case ignored. */
static int contains_ignoring_case(const char *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= hay_len && i <= hay_len - n; i++) {
        size_t k = 0;
        while (k < n && lower(hay[i + k]) == lower(needle[k]))
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

static void every_pattern_has_a_row(void **state)
{
    (void)state;
    struct rows rows = read_rows();
    size_t n = smtpc_reason_pattern_count(NULL);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const char *text, *provider;
        assert_int_equal(smtpc_reason_pattern_at(&text, NULL, NULL, &provider, NULL, i), 0);
        if (provider[0] != '\0')
            continue; /* a provider's pattern has its rows in provider-reasons.tsv (test_providers) */
        int found = 0;
        for (size_t r = 0; r < rows.n && !found; r++) {
            size_t len;
            const char *row_text = cell(&rows.items[r], C_TEXT, &len);
            found = strcmp(rows.items[r].cells[C_RULE], "pattern") == 0 &&
                    contains_ignoring_case(row_text, len, text);
        }
        if (!found)
            fail_msg("no row of reasons.tsv decides by the pattern '%s'", text);
    }
    free(rows.items);
}

/* No pattern is hidden by one before it: alone, its text is decided by itself (a provider's, for
 * a reply from that provider). */
static void every_pattern_decides_its_own_text(void **state)
{
    (void)state;
    for (size_t i = 0; i < smtpc_reason_pattern_count(NULL); i++) {
        const char *text;
        const char *reason;
        const char *source;
        const char *provider;
        assert_int_equal(smtpc_reason_pattern_at(&text, &reason, &source, &provider, NULL, i), 0);
        assert_true(source[0] != '\0');
        assert_non_null(smtpc_reason_definition(NULL, reason));
        smtpc_reason r;
        assert_int_equal(smtpc_reason_decide(&r, NULL, provider, 550, NULL, 0, NULL, 0, text,
                                             strlen(text), NULL),
                         0);
        if (strcmp(r.rule, "pattern") != 0 || r.evidence_len != strlen(text) ||
            strcmp(r.name, reason) != 0)
            fail_msg("the pattern '%s' (%s) is decided as %s by '%.*s'", text, reason, r.name,
                     (int)r.evidence_len, r.evidence);
    }
}

/* The command a row stands for when it decides by a pair of `entry`: its canonical name, "" for
 * none. */
static const char *row_command(const struct vector_row *row)
{
    size_t len;
    const char *command = cell(row, C_COMMAND, &len);
    const char *canonical = "";
    if (len > 0)
        assert_int_equal(smtpc_command_parse(&canonical, command, len, NULL), 0);
    return canonical;
}

/* Whether a row decides by `entry`'s reason for `command` ("ANY": a row without a command). */
static int row_decides_by(const struct vector_row *row, const smtpc_entry *entry,
                          const char *command, size_t command_len, const char *name,
                          size_t name_len)
{
    const char *rule = entry->parsed.kind == SMTPC_KIND_BASIC ? "code" : "enhanced";
    if (strcmp(row->cells[C_RULE], rule) != 0 || strlen(row->cells[C_REASON]) != name_len ||
        memcmp(row->cells[C_REASON], name, name_len) != 0)
        return 0;
    const smtpc_entry *decider = NULL;
    const char *code = entry->parsed.kind == SMTPC_KIND_BASIC ? cell(row, C_CODE, NULL)
                                                              : cell(row, C_ENHANCED, NULL);
    if (smtpc_lookup(&decider, smtpc_db_builtin(), code, strlen(code), NULL) != 0 ||
        decider != entry)
        return 0;
    const char *given = row_command(row);
    if (command_len == 3 && memcmp(command, "ANY", 3) == 0)
        return given[0] == '\0';
    return strlen(given) == command_len && memcmp(given, command, command_len) == 0;
}

static void every_code_reason_has_a_row(void **state)
{
    (void)state;
    struct rows rows = read_rows();
    size_t checked = 0;
    for (size_t i = 0; i < smtpc_db_count(smtpc_db_builtin()); i++) {
        const smtpc_entry *entry = smtpc_db_entry(smtpc_db_builtin(), i);
        const char *s = entry->reason;
        while (*s != '\0') {
            /* "name" or "COMMAND name", separated by "; " */
            size_t item = strcspn(s, ";");
            const char *space = memchr(s, ' ', item);
            const char *command = space != NULL ? s : "ANY";
            size_t command_len = space != NULL ? (size_t)(space - s) : 3;
            const char *name = space != NULL ? space + 1 : s;
            size_t name_len = (size_t)(s + item - name);
            int found = 0;
            for (size_t r = 0; r < rows.n && !found; r++)
                found = row_decides_by(&rows.items[r], entry, command, command_len, name,
                                       name_len);
            if (!found)
                fail_msg("no row of reasons.tsv decides %s %.*s by its reason %.*s", entry->code,
                         (int)command_len, command, (int)name_len, name);
            checked++;
            s += item;
            s += *s == ';' ? 2 : 0;
        }
    }
    assert_true(checked > 100);
    free(rows.items);
}

/* ---- arguments and failures ---- */

static void arguments_are_checked(void **state)
{
    (void)state;
    smtpc_reason r;
    smtpc_error err = {0};
    assert_int_equal(smtpc_reason_decide(NULL, NULL, NULL, 550, NULL, 0, NULL, 0, NULL, 0, &err),
                     SMTPC_EINVAL);
    assert_int_equal(smtpc_reason_decide(&r, NULL, NULL, 550, NULL, 1, NULL, 0, NULL, 0, NULL),
                     SMTPC_EINVAL);
    assert_int_equal(smtpc_reason_decide(&r, NULL, NULL, 550, NULL, 0, NULL, 1, NULL, 0, NULL),
                     SMTPC_EINVAL);
    assert_int_equal(smtpc_reason_decide(&r, NULL, NULL, 550, NULL, 0, NULL, 0, NULL, 1, NULL),
                     SMTPC_EINVAL);
    assert_int_equal(smtpc_reason_decide(&r, NULL, NULL, 199, NULL, 0, NULL, 0, NULL, 0, &err),
                     SMTPC_EINVAL);
    assert_non_null(strstr(err.text, "199"));
    assert_int_equal(smtpc_reason_decide(&r, NULL, NULL, 600, NULL, 0, NULL, 0, NULL, 0, NULL),
                     SMTPC_EINVAL);
    static const char *const not_enhanced[] = {"550", "5.1", "X.1.1", "5.1.1.1", " "};
    for (size_t i = 0; i < sizeof not_enhanced / sizeof not_enhanced[0]; i++)
        assert_int_equal(smtpc_reason_decide(&r, NULL, NULL, 550, not_enhanced[i],
                                             strlen(not_enhanced[i]), NULL, 0, NULL, 0, &err),
                         SMTPC_ESYNTAX);
    assert_int_equal(smtpc_reason_decide(&r, NULL, NULL, 550, "5.1.1", 5, "RCTP", 4, NULL, 0, &err),
                     SMTPC_ECOMMAND);
}

/* A diagnostic longer than the stack buffer is lower-cased on the heap, and a pattern at its end
 * is found with the evidence pointing there. */
static void long_texts_are_searched_to_the_end(void **state)
{
    (void)state;
    size_t len = 100000;
    char *text = malloc(len);
    assert_non_null(text);
    memset(text, 'A', len);
    memcpy(text + len - 12, "USER UNKNOWN", 12);
    smtpc_reason r;
    assert_int_equal(smtpc_reason_decide(&r, NULL, NULL, 550, NULL, 0, NULL, 0, text, len, NULL), 0);
    assert_string_equal(r.name, "userunknown");
    assert_ptr_equal(r.evidence, text + len - 12);
    assert_int_equal(r.evidence_len, 12);
    memcpy(text + len - 12, "USER UNKNOWX", 12);
    assert_int_equal(smtpc_reason_decide(&r, NULL, NULL, 550, NULL, 0, NULL, 0, text, len, NULL), 0);
    assert_string_equal(r.rule, "class");
    free(text);
}

/* ---- the enumerations and definitions ---- */

static void reasons_are_listed_by_name(void **state)
{
    (void)state;
    size_t n = smtpc_reason_count(NULL);
    assert_int_equal(n, 32);
    const char *previous = "";
    for (size_t i = 0; i < n; i++) {
        const char *name;
        int hard;
        assert_int_equal(smtpc_reason_at(&name, &hard, NULL, i), 0);
        assert_true(strcmp(previous, name) < 0);
        assert_true(hard >= -1 && hard <= 1);
        const char *definition = smtpc_reason_definition(NULL, name);
        assert_non_null(definition);
        assert_true(definition[0] >= 'A' && definition[0] <= 'Z');
        previous = name;
    }
    assert_int_equal(smtpc_reason_at(NULL, NULL, NULL, n), SMTPC_ERANGE);
    assert_int_equal(smtpc_reason_at(NULL, NULL, smtpc_db_builtin(), 0), 0);
    assert_null(smtpc_reason_definition(NULL, "nosuchreason"));
    assert_null(smtpc_reason_definition(NULL, NULL));
    assert_null(smtpc_reason_definition(NULL, ""));
    assert_int_equal(smtpc_reason_pattern_at(NULL, NULL, NULL, NULL, NULL,
                                             smtpc_reason_pattern_count(NULL)),
                     SMTPC_ERANGE);
    /* The names the decision itself gives. */
    assert_non_null(smtpc_reason_definition(NULL, "undefined"));
    assert_non_null(smtpc_reason_definition(NULL, "delivered"));
}

/* ---- a data file laid over the built-in reasons ---- */

static smtpc_db *load_valid(const char *name, int flags)
{
    char rel[256];
    snprintf(rel, sizeof rel, "data/valid/%s", name);
    smtpc_db *db = NULL;
    smtpc_error err = {0};
    if (smtpc_db_load(&db, vector_path(rel), flags, &err) != 0)
        fail_msg("%s: %s", name, err.text);
    return db;
}

static void an_overlay_decides_first(void **state)
{
    (void)state;
    smtpc_db *db = load_valid("reasons.txt", SMTPC_LOAD_OVERLAY);
    assert_int_equal(smtpc_reason_count(db), smtpc_reason_count(NULL) + 1);
    /* the file's patterns come first, in its order, and replace the built-in one they repeat */
    assert_int_equal(smtpc_reason_pattern_count(db), smtpc_reason_pattern_count(NULL) + 1);
    const char *text;
    const char *reason;
    assert_int_equal(smtpc_reason_pattern_at(&text, &reason, NULL, NULL, db, 0), 0);
    assert_string_equal(text, "held for review");
    assert_string_equal(reason, "sitequarantine");
    assert_int_equal(smtpc_reason_pattern_at(&text, &reason, NULL, NULL, db, 1), 0);
    assert_string_equal(text, "RELAY ACCESS DENIED");
    assert_string_equal(reason, "blocked");
    smtpc_reason r;
    static const char held[] = "451 4.7.1 Message held for review";
    assert_int_equal(smtpc_reason_decide(&r, db, NULL, 451, "4.7.1", 5, NULL, 0, held, strlen(held),
                                         NULL),
                     0);
    assert_string_equal(r.name, "sitequarantine");
    static const char relay[] = "<bob@example.org>: Relay access denied";
    assert_int_equal(smtpc_reason_decide(&r, db, NULL, 554, NULL, 0, "RCPT", 4, relay, strlen(relay),
                                         NULL),
                     0);
    assert_string_equal(r.name, "blocked");
    assert_int_equal(smtpc_reason_decide(&r, NULL, NULL, 554, NULL, 0, "RCPT", 4, relay,
                                         strlen(relay), NULL),
                     0);
    assert_string_equal(r.name, "norelaying");
    /* the built-in patterns still decide after the file's */
    static const char full[] = "mailbox is full";
    assert_int_equal(smtpc_reason_decide(&r, db, NULL, 552, NULL, 0, NULL, 0, full, strlen(full), NULL),
                     0);
    assert_string_equal(r.name, "mailboxfull");
    smtpc_db_free(db);
}

/* A file that replaces a built-in reason changes what the built-in patterns decide with it. */
static void a_replaced_reason_is_what_patterns_give(void **state)
{
    (void)state;
    static const char data[] = "Reason: blocked\nHard: yes\nDescription: Blocked for good.\n";
    smtpc_db *db = NULL;
    assert_int_equal(smtpc_db_load_buffer(&db, data, strlen(data), NULL, SMTPC_LOAD_OVERLAY,
                                          NULL),
                     0);
    static const char text[] = "Client host [192.0.2.1] blocked using zen.spamhaus.org";
    smtpc_reason r;
    assert_int_equal(smtpc_reason_decide(&r, db, NULL, 554, NULL, 0, NULL, 0, text, strlen(text), NULL),
                     0);
    assert_string_equal(r.name, "blocked");
    assert_int_equal(r.hard, 1);
    assert_string_equal(smtpc_reason_definition(db, "blocked"), "Blocked for good.");
    smtpc_db_free(db);
}

/* A file alone needs no reasons; the class still decides. A code's reason may name a record
 * that comes later in the file. */
static void a_file_alone_decides_by_its_own_records(void **state)
{
    (void)state;
    static const char data[] =
        "Code: 550\nName: Mailbox Unavailable\nSlug: mailbox-unavailable\nClass: 5\n"
        "Origin: rfc\nDescription: The test passes.\nWhen: A test runs.\nFix: Nothing.\n"
        "Reference: RFC 5321 section 4.2.2\nRetry: no\nConnection: kept\nCommands: RCPT\n"
        "Enhanced: none\nReason: RCPT gone\n\n"
        "Reason: gone\nHard: yes\nDescription: Gone for good.\n\n"
        "Language: en\nLanguage-Name: English\nDescription-Label: D\nWhen-Label: W\n"
        "Fix-Label: F\nDifferences-Label: K\nUsage-Label: U\nLearn-More-Label: L\n";
    smtpc_db *db = NULL;
    smtpc_error err = {0};
    if (smtpc_db_load_buffer(&db, data, strlen(data), NULL, SMTPC_LOAD_ALONE, &err) != 0)
        fail_msg("%lu:%lu: %s", err.line, err.column, err.text);
    assert_int_equal(smtpc_reason_count(db), 1);
    assert_int_equal(smtpc_reason_pattern_count(db), 0);
    smtpc_reason r;
    assert_int_equal(smtpc_reason_decide(&r, db, NULL, 550, NULL, 0, "RCPT", 4, "User unknown", 12,
                                         NULL),
                     0);
    assert_string_equal(r.name, "gone");
    assert_string_equal(r.rule, "code");
    assert_string_equal(smtpc_db_entry(db, 0)->reason, "RCPT gone");
    assert_int_equal(smtpc_reason_decide(&r, db, NULL, 450, NULL, 0, NULL, 0, NULL, 0, NULL), 0);
    assert_string_equal(r.name, "undefined");
    assert_int_equal(r.hard, 0);
    smtpc_db_free(db);
}

/* ---- docs/bounces.md lists exactly the reasons of the data, with their Hard ---- */

static void the_documented_table_is_the_data(void **state)
{
    (void)state;
    char *doc = read_file(vector_path("../../docs/bounces.md"), NULL);
    assert_non_null(doc);
    char *section = strstr(doc, "\n## Reasons\n");
    assert_non_null(section);
    char *end = strstr(section + 1, "\n## ");
    if (end != NULL)
        *end = '\0';
    size_t listed = 0;
    static const char *const hard_words[] = {"none", "no", "yes"};
    for (char *line = section; (line = strstr(line, "\n| `")) != NULL; line++) {
        char name[64];
        char hard[16];
        if (sscanf(line, "\n| `%63[a-z]` | %15[a-z] |", name, hard) != 2)
            fail_msg("docs/bounces.md: a table row that is no '| `name` | hard |': %.40s",
                     line + 1);
        int expected = -2;
        for (size_t i = 0; i < smtpc_reason_count(NULL); i++) {
            const char *known;
            int known_hard;
            smtpc_reason_at(&known, &known_hard, NULL, i);
            if (strcmp(known, name) == 0)
                expected = known_hard;
        }
        if (expected == -2)
            fail_msg("docs/bounces.md lists '%s', which the data does not define", name);
        if (strcmp(hard, hard_words[expected + 1]) != 0)
            fail_msg("docs/bounces.md gives %s Hard '%s', the data '%s'", name, hard,
                     hard_words[expected + 1]);
        listed++;
    }
    if (listed != smtpc_reason_count(NULL))
        fail_msg("docs/bounces.md lists %zu reasons, the data defines %zu", listed,
                 smtpc_reason_count(NULL));
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vectors_decide_as_written),
        cmocka_unit_test(every_pattern_has_a_row),
        cmocka_unit_test(every_pattern_decides_its_own_text),
        cmocka_unit_test(every_code_reason_has_a_row),
        cmocka_unit_test(arguments_are_checked),
        cmocka_unit_test(long_texts_are_searched_to_the_end),
        cmocka_unit_test(reasons_are_listed_by_name),
        cmocka_unit_test(an_overlay_decides_first),
        cmocka_unit_test(a_replaced_reason_is_what_patterns_give),
        cmocka_unit_test(a_file_alone_decides_by_its_own_records),
        cmocka_unit_test(the_documented_table_is_the_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
