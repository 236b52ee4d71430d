/*
 * test_providers.c - the providers' own meanings of codes: lookups with and without the host a
 * reply came from (tests/vectors/providers.tsv), reasons decided with a provider's patterns and
 * entries (tests/vectors/provider-reasons.tsv), the provider functions' contracts, a data file
 * that brings a provider of its own, classification from a provider's host, and the pages of
 * providers and of codes and replies as a provider means them.
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

/* The provider slug of `host`, or NULL when it belongs to none or is "". */
static const char *provider_of(const char *host)
{
    const smtpc_provider *p = smtpc_provider_of_host(NULL, host, strlen(host));
    return p != NULL ? p->slug : NULL;
}

/* columns: code host expected_code expected_provider expected_name expected_reason */
static void check_lookup_row(const struct vector_row *row, void *ctx)
{
    size_t *n = ctx;
    const char *code = row->cells[0];
    const smtpc_entry *e = NULL;
    smtpc_error err = {0};
    int rc = smtpc_lookup_provider(&e, NULL, provider_of(row->cells[1]), code, strlen(code),
                                   &err);
    if (row->cells[2][0] == '\0') {
        /* nothing describes it: neither the provider nor the standard */
        if (rc != SMTPC_ENOTFOUND || e != NULL)
            fail_msg("providers.tsv:%lu: %s: status %d, expected not found", row->line, code, rc);
        (*n)++;
        return;
    }
    if (rc != 0)
        fail_msg("providers.tsv:%lu: %s: status %d: %s", row->line, code, rc, err.text);
    if (strcmp(e->code, row->cells[2]) != 0 || strcmp(e->provider, row->cells[3]) != 0 ||
        strcmp(e->name, row->cells[4]) != 0 || strcmp(e->reason, row->cells[5]) != 0)
        fail_msg("providers.tsv:%lu: %s at '%s' found %s '%s' %s (%s), expected %s '%s' %s (%s)",
                 row->line, code, row->cells[1], e->code, e->provider, e->name, e->reason,
                 row->cells[2], row->cells[3], row->cells[4], row->cells[5]);
    /* a found code does not fall back: the entry of a reply from the host is the same */
    const smtpc_entry *closest = NULL;
    int exact = 0;
    assert_int_equal(smtpc_lookup_provider_closest(&closest, &exact, NULL,
                                                   provider_of(row->cells[1]), code,
                                                   strlen(code), NULL),
                     0);
    assert_ptr_equal(closest, e);
    assert_int_equal(exact, 1);
    /* without a host, a lookup is smtpc_lookup()'s */
    if (row->cells[1][0] == '\0') {
        const smtpc_entry *plain = NULL;
        assert_int_equal(smtpc_lookup(&plain, smtpc_db_builtin(), code, strlen(code), NULL), 0);
        assert_ptr_equal(plain, e);
    }
    (*n)++;
}

static void shared_lookups(void **state)
{
    (void)state;
    size_t n = 0;
    vector_each("providers.tsv",
                "code\thost\texpected_code\texpected_provider\texpected_name\texpected_reason",
                check_lookup_row, &n);
    assert_true(n >= 40);
}

/* A cell with "-" read as "". */
static const char *cell(const struct vector_row *row, int column, size_t *len)
{
    int dash = strcmp(row->cells[column], "-") == 0;
    *len = dash ? 0 : row->len[column];
    return dash ? "" : row->cells[column];
}

/* columns: host code enhanced command text reason rule hard */
static void check_reason_row(const struct vector_row *row, void *ctx)
{
    size_t *n = ctx;
    size_t enhanced_len, command_len, text_len, code_len;
    const char *code = cell(row, 1, &code_len);
    const char *enhanced = cell(row, 2, &enhanced_len);
    const char *command = cell(row, 3, &command_len);
    const char *text = cell(row, 4, &text_len);
    smtpc_reason r;
    smtpc_error err = {0};
    int rc = smtpc_reason_decide(&r, NULL, provider_of(row->cells[0]), atoi(code), enhanced,
                                 enhanced_len, command, command_len, text, text_len, &err);
    if (rc != 0)
        fail_msg("provider-reasons.tsv:%lu: status %d: %s", row->line, rc, err.text);
    char hard[4];
    snprintf(hard, sizeof hard, "%d", r.hard);
    if (strcmp(r.name, row->cells[5]) != 0 || strcmp(r.rule, row->cells[6]) != 0 ||
        strcmp(hard, row->cells[7]) != 0)
        fail_msg("provider-reasons.tsv:%lu: decided %s by %s (hard %s), expected %s by %s (%s)",
                 row->line, r.name, r.rule, hard, row->cells[5], row->cells[6], row->cells[7]);
    (*n)++;
}

static void shared_reasons(void **state)
{
    (void)state;
    size_t n = 0;
    vector_each("provider-reasons.tsv", "host\tcode\tenhanced\tcommand\ttext\treason\trule\thard",
                check_reason_row, &n);
    assert_true(n >= 25);
}

/* Every provider's pattern is decided by a row of provider-reasons.tsv from its provider. */
struct pattern_search {
    const char *text;
    const char *provider;
    int found;
};

static int contains_ignoring_case(const char *hay, const char *needle)
{
    size_t n = strlen(needle), len = strlen(hay);
    for (size_t i = 0; n <= len && i <= len - n; i++) {
        size_t k = 0;
        while (k < n && (hay[i + k] | 0x20) == (needle[k] | 0x20))
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

static void find_pattern_row(const struct vector_row *row, void *ctx)
{
    struct pattern_search *s = ctx;
    const char *slug = provider_of(row->cells[0]);
    s->found |= slug != NULL && strcmp(slug, s->provider) == 0 &&
                strcmp(row->cells[6], "pattern") == 0 && contains_ignoring_case(row->cells[4], s->text);
}

static void every_provider_pattern_has_a_row(void **state)
{
    (void)state;
    size_t scoped = 0;
    for (size_t i = 0; i < smtpc_reason_pattern_count(NULL); i++) {
        struct pattern_search s = {NULL, NULL, 0};
        assert_int_equal(smtpc_reason_pattern_at(&s.text, NULL, NULL, &s.provider, NULL, i), 0);
        if (s.provider[0] == '\0')
            continue;
        assert_non_null(smtpc_provider_find(NULL, s.provider));
        vector_each("provider-reasons.tsv",
                    "host\tcode\tenhanced\tcommand\ttext\treason\trule\thard", find_pattern_row,
                    &s);
        if (!s.found)
            fail_msg("no row of provider-reasons.tsv decides by %s's pattern '%s'", s.provider,
                     s.text);
        scoped++;
    }
    assert_true(scoped >= 10);
}

static void providers_are_listed_by_slug(void **state)
{
    (void)state;
    size_t n = smtpc_provider_count(NULL);
    assert_true(n >= 3);
    for (size_t i = 0; i < n; i++) {
        const smtpc_provider *p = smtpc_provider_at(NULL, i);
        assert_non_null(p);
        assert_ptr_equal(smtpc_provider_find(NULL, p->slug), p);
        assert_true(p->name[0] != '\0' && p->hosts[0] != '\0');
        assert_true(strncmp(p->references, "https://", 8) == 0);
        if (i > 0)
            assert_true(strcmp(smtpc_provider_at(NULL, i - 1)->slug, p->slug) < 0);
    }
    assert_null(smtpc_provider_at(NULL, n));
    assert_null(smtpc_provider_find(NULL, "no-such-provider"));
    assert_null(smtpc_provider_find(NULL, NULL));
}

static void hosts_are_matched_by_domain(void **state)
{
    (void)state;
    static const struct {
        const char *host;
        const char *provider; /* NULL: none */
    } cases[] = {
        {"contoso-com.mail.protection.outlook.com", "microsoft"},
        {"OUTLOOK.COM", "microsoft"},
        {"outlook.com.", "microsoft"},
        {"dns; mx1.hotmail.com", "microsoft"},
        {"dns; gmail-smtp-in.l.google.com. (2001:db8::1a, the server for the domain gmail.com.)",
         "gmail"},
        {"dns; mx.example.org (192.0.2.1, the server for the domain gmail.com.)", NULL},
        {"bob@hotmail.com", "microsoft"},
        {"<bob@Gmail.com>", "gmail"},
        {"gmail-smtp-in.l.google.com", "gmail"},
        {"mta7.am0.yahoodns.net", "yahoo"},
        {"notoutlook.com", NULL},
        {"outlook.com.example.net", NULL},
        {"[192.0.2.1]", NULL},
        {"", NULL},
        {"@", NULL},
        {".", NULL},
        {"mx.example.org", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = provider_of(cases[i].host);
        if ((got == NULL) != (cases[i].provider == NULL) ||
            (got != NULL && strcmp(got, cases[i].provider) != 0))
            fail_msg("'%s' belongs to %s, expected %s", cases[i].host, got ? got : "none",
                     cases[i].provider ? cases[i].provider : "none");
    }
    assert_null(smtpc_provider_of_host(NULL, NULL, 0));
}

/* Every provider entry is reachable: by its code (its range's first and last detail) as its
 * provider means it, and a standard entry names the providers' meanings of its code. */
static void every_provider_entry_is_reachable(void **state)
{
    (void)state;
    size_t n = smtpc_provider_entry_count(NULL);
    assert_true(n >= 40);
    for (size_t i = 0; i < n; i++) {
        const smtpc_entry *e = smtpc_provider_entry_at(NULL, i);
        assert_int_equal(e->origin, SMTPC_ORIGIN_PROVIDER);
        assert_true(e->parsed.klass == 4 || e->parsed.klass == 5);
        int ends[2] = {e->parsed.detail, e->detail_last};
        for (int k = 0; k < 2; k++) {
            char code[16];
            snprintf(code, sizeof code, "%d.%d.%d", e->parsed.klass, e->parsed.category, ends[k]);
            const smtpc_entry *found = NULL;
            assert_int_equal(smtpc_lookup_provider(&found, NULL, e->provider, code, strlen(code),
                                                   NULL),
                             0);
            /* an exact code inside a range is its own entry */
            if (found != e && !(found->provider == e->provider ||
                                strcmp(found->provider, e->provider) == 0))
                fail_msg("%s %s: %s finds %s", e->provider, e->code, code, found->code);
            const smtpc_entry *meanings[8];
            size_t m = smtpc_provider_meanings(meanings, 8, NULL, code, strlen(code));
            int listed = 0;
            for (size_t j = 0; j < m && j < 8; j++)
                listed |= strcmp(meanings[j]->provider, e->provider) == 0;
            assert_true(listed);
        }
    }
    assert_null(smtpc_provider_entry_at(NULL, n));
    /* the standard entries are counted apart */
    for (size_t i = 0; i < smtpc_db_count(NULL); i++)
        assert_string_equal(smtpc_db_entry(NULL, i)->provider, "");
}

static void lookup_names_the_providers_meanings(void **state)
{
    (void)state;
    const smtpc_entry *e = NULL;
    /* a registry code keeps its registry meaning, and the provider's is one call away */
    assert_int_equal(smtpc_lookup(&e, smtpc_db_builtin(), "5.7.29", 6, NULL), 0);
    assert_string_equal(e->code, "X.7.29");
    assert_string_equal(e->provider, "");
    const smtpc_entry *meanings[4];
    assert_int_equal(smtpc_provider_meanings(meanings, 4, NULL, "5.7.29", 6), 1);
    assert_string_equal(meanings[0]->provider, "gmail");
    assert_int_equal(smtpc_provider_meanings(NULL, 0, NULL, "5.7.29", 6), 1);
    assert_int_equal(smtpc_provider_meanings(meanings, 4, NULL, "X.7.29", 6), 0);
    assert_int_equal(smtpc_provider_meanings(meanings, 4, NULL, "not a code", 10), 0);
    assert_int_equal(smtpc_provider_meanings(meanings, 4, NULL, "550", 3), 0);
    /* a code only a provider describes */
    assert_int_equal(smtpc_lookup(&e, smtpc_db_builtin(), "5.7.708", 7, NULL), 0);
    assert_string_equal(e->provider, "microsoft");
    int exact = 0;
    assert_int_equal(smtpc_lookup_closest(&e, &exact, smtpc_db_builtin(), "4.7.650", 7, NULL), 0);
    assert_int_equal(exact, 1);
    assert_string_equal(e->code, "4.7.500-699");
    /* past the range: the standard fallback of RFC 3463 section 2 */
    assert_int_equal(smtpc_lookup_closest(&e, &exact, smtpc_db_builtin(), "4.7.720", 7, NULL), 0);
    assert_int_equal(exact, 0);
    assert_string_equal(e->code, "X.7.0");
    smtpc_error err = {0};
    assert_int_equal(smtpc_lookup(&e, smtpc_db_builtin(), "4.7.720", 7, &err), SMTPC_ENOTFOUND);
    assert_null(e);
    assert_int_equal(smtpc_lookup_provider(&e, NULL, "nosuch", "5.7.1", 5, &err), SMTPC_EINVAL);
    assert_non_null(strstr(err.text, "nosuch"));
    assert_null(e);
    assert_int_equal(smtpc_lookup_provider(&e, NULL, "gmail", "5.7", 3, &err), SMTPC_ESYNTAX);
    assert_int_equal(smtpc_lookup_provider(NULL, NULL, "gmail", "5.7.1", 5, &err), SMTPC_EINVAL);
    /* with the fallback: the provider's entry, else smtpc_lookup_closest()'s */
    assert_int_equal(smtpc_lookup_provider_closest(&e, &exact, NULL, "gmail", "4.7.720", 7, &err),
                     0);
    assert_int_equal(exact, 0);
    assert_string_equal(e->code, "X.7.0");
    assert_int_equal(smtpc_lookup_provider_closest(&e, &exact, NULL, "gmail", "5.7.29", 6, &err),
                     0);
    assert_int_equal(exact, 1);
    assert_string_equal(e->provider, "gmail");
    assert_int_equal(smtpc_lookup_provider_closest(&e, NULL, NULL, NULL, "5.7.29", 6, &err), 0);
    assert_string_equal(e->code, "X.7.29");
    assert_int_equal(smtpc_lookup_provider_closest(&e, NULL, NULL, "nosuch", "5.7.1", 5, &err),
                     SMTPC_EINVAL);
    assert_null(e);
    assert_int_equal(smtpc_lookup_provider_closest(&e, NULL, NULL, "gmail", "2.0.050", 7, &err),
                     SMTPC_ESYNTAX);
    assert_null(e);
    assert_int_equal(smtpc_lookup_provider_closest(NULL, NULL, NULL, NULL, "5.7.1", 5, &err),
                     SMTPC_EINVAL);
    /* a provider without a meaning for the code: the standard entry */
    assert_int_equal(smtpc_lookup_provider(&e, NULL, "gmail", "5.7.708", 7, NULL), 0);
    assert_string_equal(e->provider, "microsoft");
    assert_int_equal(smtpc_lookup_provider(&e, NULL, "gmail", "5.1.1", 5, NULL), 0);
    assert_string_equal(e->code, "X.1.1");
}

static void reason_refuses_an_unknown_provider(void **state)
{
    (void)state;
    smtpc_reason r;
    smtpc_error err = {0};
    assert_int_equal(smtpc_reason_decide(&r, NULL, "nosuch", 550, NULL, 0, NULL, 0, NULL, 0,
                                         &err),
                     SMTPC_EINVAL);
    assert_non_null(strstr(err.text, "nosuch"));
    /* "" is no provider */
    assert_int_equal(smtpc_reason_decide(&r, NULL, "", 550, "5.1.1", 5, NULL, 0, NULL, 0, &err),
                     0);
    assert_string_equal(r.name, "userunknown");
}

/* A data file brings its own provider: its entries, ranges and patterns work as the built-in
 * ones, and a pattern of that provider decides nothing for another host. */
static void a_data_file_brings_its_provider(void **state)
{
    (void)state;
    smtpc_db *db = NULL;
    smtpc_error err = {0};
    if (smtpc_db_load(&db, vector_path("data/valid/provider.txt"), SMTPC_LOAD_OVERLAY, &err) != 0)
        fail_msg("%s", err.text);
    assert_int_equal(smtpc_provider_count(db), smtpc_provider_count(NULL) + 1);
    const smtpc_provider *p = smtpc_provider_of_host(db, "mx.mail.provider.example", 24);
    assert_non_null(p);
    assert_string_equal(p->slug, "testprov");
    const smtpc_entry *e = NULL;
    assert_int_equal(smtpc_lookup(&e, db, "5.7.901", 7, NULL), 0);
    assert_string_equal(e->name, "Test Provider Code");
    assert_int_equal(smtpc_lookup(&e, db, "5.7.949", 7, NULL), 0);
    assert_string_equal(e->code, "5.7.900-949");
    assert_int_equal(e->detail_last, 949);
    /* the built-in providers are still there, their patterns pointing at the new database */
    assert_int_equal(smtpc_lookup_provider(&e, db, "microsoft", "5.7.708", 7, NULL), 0);
    smtpc_reason r;
    static const char text[] = "550 5.7.1 access denied";
    assert_int_equal(smtpc_reason_decide(&r, db, "testprov", 550, "5.7.1", 5, NULL, 0, text,
                                         sizeof text - 1, NULL),
                     0);
    assert_string_equal(r.name, "userunknown");
    assert_string_equal(r.rule, "pattern");
    assert_int_equal(smtpc_reason_decide(&r, db, "gmail", 550, "5.7.1", 5, NULL, 0, text,
                                         sizeof text - 1, NULL),
                     0);
    assert_string_not_equal(r.rule, "pattern");
    /* the provider's entry decides by its Reason */
    assert_int_equal(smtpc_reason_decide(&r, db, "testprov", 550, "5.7.901", 7, NULL, 0, NULL, 0,
                                         NULL),
                     0);
    assert_string_equal(r.name, "blocked");
    assert_string_equal(r.rule, "enhanced");
    size_t scoped = 0;
    for (size_t i = 0; i < smtpc_reason_pattern_count(db); i++) {
        const char *provider;
        assert_int_equal(smtpc_reason_pattern_at(NULL, NULL, NULL, &provider, db, i), 0);
        if (provider[0] != '\0')
            assert_non_null(smtpc_provider_find(db, provider));
        scoped += provider[0] != '\0';
    }
    assert_true(scoped > 1);
    smtpc_db_free(db);
}

static void classification_takes_the_providers_meaning(void **state)
{
    (void)state;
    static const char wire[] = "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily "
                               "deferred due to unexpected volume or user complaints\r\n";
    smtpc_reply *reply = NULL;
    size_t used;
    assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, wire, sizeof wire - 1, 0, NULL), 0);
    smtpc_verdict plain, from_yahoo;
    assert_int_equal(smtpc_classify(&plain, reply, "RCPT", 4, NULL), 0);
    assert_int_equal(smtpc_classify_host(&from_yahoo, reply, "RCPT", 4, "mta6.am0.yahoodns.net",
                                         21, NULL),
                     0);
    assert_string_equal(from_yahoo.reason, "speeding");
    assert_string_not_equal(plain.reason, "speeding");
    assert_int_equal(plain.action, from_yahoo.action);
    smtpc_error err = {0};
    assert_int_equal(smtpc_classify_host(&plain, reply, NULL, 0, NULL, 3, &err), SMTPC_EINVAL);
    smtpc_reply_free(reply);
}

/* smtpc_classify_parts(): the reason of a reply's parts, with its text and provider, as the
 * classification of the parsed reply from the provider's host decides it. */
static void classification_of_parts_takes_the_provider(void **state)
{
    (void)state;
    static const char text[] = "[TSS04] Messages from 192.0.2.1 temporarily deferred";
    smtpc_verdict v, code_only;
    smtpc_error err = {0};
    assert_int_equal(smtpc_classify_parts(&v, NULL, "yahoo", 421, "4.7.0", 5, "MAIL", 4, text,
                                          sizeof text - 1, &err),
                     0);
    assert_string_equal(v.reason, "speeding");
    assert_int_equal(v.action, SMTPC_ACTION_RETRY);
    assert_int_equal(smtpc_classify_parts(&v, NULL, NULL, 421, "4.7.0", 5, "MAIL", 4, text,
                                          sizeof text - 1, &err),
                     0);
    assert_string_not_equal(v.reason, "speeding");
    /* without text and provider: smtpc_classify_code() */
    assert_int_equal(smtpc_classify_parts(&v, NULL, "", 550, "5.1.1", 5, NULL, 0, NULL, 0, &err),
                     0);
    assert_int_equal(smtpc_classify_code(&code_only, NULL, 550, "5.1.1", 5, NULL, 0, &err), 0);
    assert_string_equal(v.reason, code_only.reason);
    assert_string_equal(v.rule, code_only.rule);
    /* a provider's meaning of an enhanced code decides without text */
    assert_int_equal(smtpc_classify_parts(&v, NULL, "gmail", 550, "5.7.29", 6, NULL, 0, NULL, 0,
                                          &err),
                     0);
    assert_string_equal(v.reason, "securityerror");
    assert_int_equal(smtpc_classify_parts(&v, NULL, "nosuch", 550, NULL, 0, NULL, 0, NULL, 0,
                                          &err),
                     SMTPC_EINVAL);
    assert_non_null(strstr(err.text, "nosuch"));
    assert_int_equal(smtpc_classify_parts(&v, NULL, NULL, 650, NULL, 0, NULL, 0, NULL, 0, &err),
                     SMTPC_EINVAL);
    assert_int_equal(smtpc_classify_parts(&v, NULL, NULL, 550, "X.7.1", 5, NULL, 0, NULL, 0,
                                          &err),
                     SMTPC_ESYNTAX);
    assert_int_equal(smtpc_classify_parts(&v, NULL, NULL, 550, NULL, 0, "FOO", 3, NULL, 0, &err),
                     SMTPC_ECOMMAND);
    assert_int_equal(smtpc_classify_parts(&v, NULL, NULL, 550, NULL, 0, NULL, 0, NULL, 3, &err),
                     SMTPC_EINVAL);
}

/* The pages: the providers, one provider's codes, a code and a reply as a provider means them. */
static void pages_of_providers(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    char *out = NULL;
    size_t len = 0;
    smtpc_error err = {0};
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        assert_int_equal(smtpc_render_providers(&out, &len, db, NULL, format, &err), 0);
        assert_int_equal(strlen(out), len);
        for (size_t i = 0; i < smtpc_provider_count(db); i++)
            assert_non_null(strstr(out, smtpc_provider_at(db, i)->slug));
        smtpc_free(out);
        assert_int_equal(smtpc_render_providers(&out, &len, db, "microsoft", format, &err), 0);
        for (size_t i = 0; i < smtpc_provider_entry_count(db); i++) {
            const smtpc_entry *e = smtpc_provider_entry_at(db, i);
            if (strcmp(e->provider, "microsoft") == 0)
                assert_non_null(strstr(out, e->code));
            else
                assert_null(strstr(out, e->slug));
        }
        smtpc_free(out);
    }
    assert_int_equal(smtpc_render_providers(&out, &len, db, "", SMTPC_FORMAT_JSON, &err), 0);
    assert_true(out[0] == '[');
    smtpc_free(out);
    assert_int_equal(smtpc_render_providers(&out, &len, db, "nosuch", 0, &err), SMTPC_EINVAL);
    assert_null(out);
    assert_non_null(strstr(err.text, "nosuch"));
    assert_int_equal(smtpc_render_providers(&out, &len, db, NULL, 9, &err), SMTPC_EFORMAT);
    assert_int_equal(smtpc_render_providers(&out, &len, NULL, NULL, 0, &err), SMTPC_EINVAL);

    /* a code as the provider means it, its range's code as written */
    assert_int_equal(smtpc_render_code_provider(&out, &len, db, "gmail", "5.7.29", 6, NULL, 0,
                                                SMTPC_FORMAT_TEXT, &err),
                     0);
    assert_non_null(strstr(out, "SMTP 5.7.29 No TLS, Blocked\n"));
    smtpc_free(out);
    assert_int_equal(smtpc_render_code_provider(&out, &len, db, NULL, "5.7.29", 6, NULL, 0,
                                                SMTPC_FORMAT_TEXT, &err),
                     0);
    assert_non_null(strstr(out, "SMTP 5.7.29 ARC Validation Failure\n"));
    smtpc_free(out);
    assert_int_equal(smtpc_render_code_provider(&out, &len, db, "microsoft", "4.7.650", 7, "fr",
                                                2, SMTPC_FORMAT_JSON, &err),
                     0);
    assert_non_null(strstr(out, "\"code\":\"4.7.650\",\"entry\":\"4.7.500-699\""));
    assert_non_null(strstr(out, "\"exact\":true"));
    smtpc_free(out);
    /* a provider without a meaning of the code: the standard page, the closest one too */
    assert_int_equal(smtpc_render_code_provider(&out, &len, db, "gmail", "4.7.720", 7, NULL, 0,
                                                SMTPC_FORMAT_JSON, &err),
                     0);
    assert_non_null(strstr(out, "\"entry\":\"X.7.0\""));
    assert_non_null(strstr(out, "\"exact\":false"));
    smtpc_free(out);
    assert_int_equal(smtpc_render_code_provider(&out, &len, db, "nosuch", "5.7.29", 6, NULL, 0,
                                                SMTPC_FORMAT_TEXT, &err),
                     SMTPC_EINVAL);
    assert_null(out);

    /* a reply from a provider's server: its reason, and its meaning of the enhanced code */
    static const char wire[] = "550 5.7.29 This message was blocked\r\n";
    smtpc_reply *reply = NULL;
    size_t used;
    assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, wire, sizeof wire - 1, 0, NULL), 0);
    assert_int_equal(smtpc_render_reply_provider(&out, &len, reply, NULL, 0, "gmail",
                                                 SMTPC_FORMAT_JSON, &err),
                     0);
    assert_non_null(strstr(out, "\"enhanced_entry\":\"5.7.29\""));
    assert_non_null(strstr(out, "\"reason\":\"securityerror\""));
    smtpc_free(out);
    assert_int_equal(smtpc_render_reply_provider(&out, &len, reply, NULL, 0, NULL,
                                                 SMTPC_FORMAT_JSON, &err),
                     0);
    assert_non_null(strstr(out, "\"enhanced_entry\":\"X.7.29\""));
    assert_non_null(strstr(out, "\"reason\":\"authfailure\""));
    smtpc_free(out);

    /* a code only a provider gives: the reply's entry is the one smtpc_lookup_closest() finds */
    static const char tenant[] = "550 5.7.705 Tenant has exceeded threshold\r\n";
    smtpc_reply *from_tenant = NULL;
    assert_int_equal(smtpc_reply_parse(&from_tenant, &used, NULL, tenant, sizeof tenant - 1, 0,
                                       NULL),
                     0);
    const smtpc_entry *looked_up = NULL;
    assert_int_equal(smtpc_lookup_closest(&looked_up, NULL, db, "5.7.705", 7, NULL), 0);
    assert_string_equal(looked_up->provider, "microsoft");
    assert_ptr_equal(smtpc_reply_enhanced_entry(from_tenant), looked_up);
    smtpc_reply_free(from_tenant);
    assert_int_equal(smtpc_render_reply_provider(&out, &len, reply, NULL, 0, "nosuch",
                                                 SMTPC_FORMAT_TEXT, &err),
                     SMTPC_EINVAL);
    assert_null(out);
    smtpc_reply_free(reply);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shared_lookups),
        cmocka_unit_test(shared_reasons),
        cmocka_unit_test(every_provider_pattern_has_a_row),
        cmocka_unit_test(providers_are_listed_by_slug),
        cmocka_unit_test(hosts_are_matched_by_domain),
        cmocka_unit_test(every_provider_entry_is_reachable),
        cmocka_unit_test(lookup_names_the_providers_meanings),
        cmocka_unit_test(reason_refuses_an_unknown_provider),
        cmocka_unit_test(a_data_file_brings_its_provider),
        cmocka_unit_test(classification_takes_the_providers_meaning),
        cmocka_unit_test(classification_of_parts_takes_the_provider),
        cmocka_unit_test(pages_of_providers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
