/*
 * test_render.c - the renderers, and the defect scan: every pair of codes in every language
 * and format, checked for the defects of the reference pages (docs/comparison-page.md).
 */
#include "smtpcodes.h"
#include "support.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static char *render_pair(const smtpc_db *db, const char *a, const char *b, const char *lang,
                         int format, size_t *len)
{
    smtpc_comparison *cmp;
    smtpc_error err;
    if (smtpc_compare(&cmp, db, a, strlen(a), b, strlen(b), lang, strlen(lang), &err) != 0)
        fail_msg("compare %s %s %s: %s", a, b, lang, err.text);
    char *out;
    if (smtpc_render_comparison(&out, len, cmp, format, &err) != 0)
        fail_msg("render %s %s: %s", a, b, err.text);
    smtpc_comparison_free(cmp);
    return out;
}

/* Asserts that `needles` appear in `page` in this order. */
static void assert_in_order(const char *page, const char *const *needles, size_t n)
{
    const char *at = page;
    for (size_t i = 0; i < n; i++) {
        const char *found = strstr(at, needles[i]);
        if (found == NULL)
            fail_msg("'%s' missing or out of order in:\n%s", needles[i], page);
        at = found + strlen(needles[i]);
    }
}

static void text_layout(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    const smtpc_entry *a;
    const smtpc_entry *b;
    smtpc_lookup(&a, db, "421", 3, NULL);
    smtpc_lookup(&b, db, "504", 3, NULL);
    size_t len;
    char *page = render_pair(db, "504", "421", "en", SMTPC_FORMAT_TEXT, &len);
    assert_int_equal(strlen(page), len);
    char title[256];
    snprintf(title, sizeof title, "SMTP 421 %s vs 504 %s\n", a->name, b->name);
    assert_true(strncmp(page, title, strlen(title)) == 0);
    const char *order[] = {"SMTP 421 (", "Description\n", a->description, "When You See It\n",
                           a->when, "How to Fix\n", a->fix, "Description\n", b->description,
                           "When You See It\n", b->when, "How to Fix\n", b->fix,
                           "Key Differences\n1. 421 is a 4xx", "\n2. SMTP 421: ", "\n3. SMTP 504: ",
                           "\n4. You encounter 421 when ", "\n5. You encounter 504 when ",
                           "When to Use Which\nFor 421 (", "For 504 (", "Learn More\n- RFC 5321"};
    assert_in_order(page, order, sizeof order / sizeof order[0]);
    smtpc_free(page);
}

static void markdown_layout(void **state)
{
    (void)state;
    char *page = render_pair(smtpc_db_builtin(), "421", "455", "ko", SMTPC_FORMAT_MARKDOWN, NULL);
    const char *order[] = {"# SMTP 421 ", "\n## 421 ", "\n### 설명\n", "\n## 455 ",
                           "\n## 주요 차이점\n\n1. ", "\n## 언제 어떤 것을 사용할지\n",
                           /* a reference named in the page's language */
                           "\n## 더 알아보기\n\n- [RFC 5321(3.8절)]",
                           "(https://www.rfc-editor.org/rfc/rfc5321#section-3.8)"};
    assert_in_order(page, order, sizeof order / sizeof order[0]);
    smtpc_free(page);
}

/* Counts "<tag" openings and "</tag>" closings; they must match in a fragment. */
static void assert_balanced(const char *html, const char *tag)
{
    char open[16];
    char close[16];
    snprintf(open, sizeof open, "<%s", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    int opened = 0;
    int closed = 0;
    for (const char *s = strstr(html, open); s != NULL; s = strstr(s + 1, open)) {
        char next = s[strlen(open)];
        opened += next == '>' || next == ' ';
    }
    for (const char *s = strstr(html, close); s != NULL; s = strstr(s + 1, close))
        closed++;
    if (opened != closed)
        fail_msg("<%s>: %d opened, %d closed", tag, opened, closed);
}

static void html_fragment(void **state)
{
    (void)state;
    char *page = render_pair(smtpc_db_builtin(), "504", "421", "ar", SMTPC_FORMAT_HTML, NULL);
    assert_true(strncmp(page, "<article class=\"smtpcodes smtpcodes-comparison\"", 47) == 0);
    const char *tags[] = {"article", "h2", "h3", "h4", "p", "ol", "ul", "li", "a"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        assert_balanced(page, tags[i]);
    /* the page says its language and direction once; a text in English says so itself */
    assert_non_null(strstr(page, "smtpcodes-comparison\" lang=\"ar\" dir=\"rtl\" style="));
    assert_non_null(strstr(page, ">الوصف</h4>"));
    /* Arabic is complete: nothing in English, and codes read left to right in isolates */
    assert_null(strstr(page, "lang=\"en\""));
    assert_non_null(strstr(page, "<bdi dir=\"ltr\">421</bdi>"));
    assert_non_null(strstr(page, "<a href=\"https://www.rfc-editor.org/rfc/rfc5321#section-"));
    smtpc_free(page);
}

static const char hostile[] = "Code: 297\n"
                              "Name: Tags <b>&amp; *stars* _under_ [link](x) `code` | pipe\n"
                              "Slug: hostile-297\n"
                              "Class: 2\n"
                              "Origin: nonstandard\n"
                              "Description: The <script>alert(\"x\")</script> & \\ \"quoted\" text.\n"
                              "When: A # heading * and _ appear.\n"
                              "Fix: Nothing < needs > fixing.\n"
                              "Reference: RFC 5321 section 4.2\n"
                              "Retry: none\n"
                              "Connection: kept\n"
                              "Commands: ANY\n"
                              "Enhanced: none\n";

static void escaping(void **state)
{
    (void)state;
    smtpc_db *db;
    assert_int_equal(smtpc_db_load_buffer(&db, hostile, strlen(hostile), "hostile", 0, NULL), 0);
    char *html = render_pair(db, "297", "421", "en", SMTPC_FORMAT_HTML, NULL);
    assert_null(strstr(html, "<script>"));
    assert_null(strstr(html, "<b>"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; \\"));
    assert_balanced(html, "p");
    char *md = render_pair(db, "297", "421", "en", SMTPC_FORMAT_MARKDOWN, NULL);
    assert_non_null(strstr(md, "Tags \\<b\\>&amp; \\*stars\\* \\_under\\_ \\[link\\](x) \\`code\\` \\| pipe"));
    size_t len;
    char *json = render_pair(db, "297", "421", "en", SMTPC_FORMAT_JSON, &len);
    assert_true(json_is_valid(json, len));
    assert_non_null(strstr(json, "\\\"quoted\\\" text."));
    assert_non_null(strstr(json, "& \\\\ "));
    smtpc_free(html);
    smtpc_free(md);
    smtpc_free(json);
    smtpc_db_free(db);
}

static void json_structure(void **state)
{
    (void)state;
    size_t len;
    /* Esperanto, which a data file adds with its labels alone, says the rest in English:
     * marked */
    static const char esperanto[] = "Language: eo\nLanguage-Name: Esperanto\n"
                                    "Description-Label: Priskribo\nWhen-Label: Kiam ĝi aperas\n"
                                    "Fix-Label: Kiel ripari\nDifferences-Label: Ĉefaj diferencoj\n"
                                    "Usage-Label: Kiun uzi\nLearn-More-Label: Pli da informoj\n";
    smtpc_db *db;
    assert_int_equal(smtpc_db_load_buffer(&db, esperanto, strlen(esperanto), "eo.txt",
                                          SMTPC_LOAD_OVERLAY, NULL),
                     0);
    char *json = render_pair(db, "504", "421", "eo", SMTPC_FORMAT_JSON, &len);
    assert_true(json_is_valid(json, len));
    const char *keys[] = {"{\"title\":", "\"intro\":", "\"labels\":{",
                          "\"when\":\"Kiam ĝi aperas\"", "\"codes\":[{\"code\":\"421\"",
                          "\"class\":4,\"class_name\":\"Transient Negative\"",
                          "\"category\":2,\"category_name\":\"Connections\"",
                          "\"references\":[{\"text\":\"RFC 5321",
                          "{\"code\":\"504\"", "\"differences\":[{\"kind\":\"class\"",
                          "\"usage\":", "\"learn_more\":[{\"text\":\"RFC 5321",
                          "\"language\":\"eo\",\"lang\":{\"/title\":\"en\",\"/intro\":\"en\"",
                          "\"/codes/0/name\":\"en\"", "\"/codes/1/fix\":\"en\"",
                          "\"/differences/0/text\":\"en\"", "\"/usage\":\"en\"}}"};
    assert_in_order(json, keys, sizeof keys / sizeof keys[0]);
    assert_null(strstr(json, "\"/labels/when\""));
    assert_null(strstr(json, "_label\""));
    smtpc_free(json);
    smtpc_db_free(db);
}

static char *render_one_code(const char *code, int format)
{
    char *out;
    smtpc_error err;
    if (smtpc_render_code(&out, NULL, smtpc_db_builtin(), code, strlen(code), "en", 2, format,
                          &err) != 0)
        fail_msg("render %s: %s", code, err.text);
    return out;
}

/* The fields of docs/schema/smtpcodes.schema.json that the C API decides: names of classes and
 * categories, codes as strings, connection null when unspecified, the reserved members. */
static void json_fields(void **state)
{
    (void)state;
    char *page = render_one_code("4.7.1", SMTPC_FORMAT_JSON);
    assert_true(json_is_valid(page, strlen(page)));
    const char *keys[] = {"{\"code\":\"4.7.1\",\"entry\":\"X.7.1\"",
                          "\"class\":4,\"class_name\":\"Persistent Transient Failure\"",
                          "\"category\":7,\"category_name\":\"Security or Policy Status\"",
                          "\"detail\":1,\"conforming\":true", "\"connection\":null",
                          "\"references\":[{\"text\":\"RFC 3463 section 3.8\",\"url\":\"https://",
                          "\"exact\":true", "\"language\":\"en\",\"lang\":{}",
                          "\"registered_enhanced\":[]}"};
    assert_in_order(page, keys, sizeof keys / sizeof keys[0]);
    smtpc_free(page);
    page = render_one_code("X.7.1", SMTPC_FORMAT_JSON);
    assert_non_null(strstr(page, "\"class\":0,\"class_name\":\"\""));
    smtpc_free(page);
    page = render_one_code("571", SMTPC_FORMAT_JSON);
    assert_non_null(strstr(page, "\"conforming\":false"));
    assert_non_null(strstr(page, "\"category_name\":\"\""));
    smtpc_free(page);

    smtpc_reply *reply;
    size_t consumed;
    const char wire[] = "554 4.4.7 Message expired\r\n";
    assert_int_equal(smtpc_reply_parse(&reply, &consumed, NULL, wire, sizeof wire - 1,
                                       SMTPC_REPLY_COMPLETE, NULL),
                     0);
    char *out;
    size_t len;
    assert_int_equal(smtpc_render_reply(&out, &len, reply, NULL, 0, SMTPC_FORMAT_JSON, NULL), 0);
    assert_true(json_is_valid(out, len));
    const char *reply_keys[] = {"{\"code\":\"554\",\"enhanced\":\"4.4.7\",\"class\":5",
                                "\"action\":\"give-up\",\"flags\":[\"class-mismatch\"]",
                                "\"explanation\":", "\"reason\":\"expired\"",
                                "\"language\":\"en\",\"lang\":{}}\n"};
    assert_in_order(out, reply_keys, sizeof reply_keys / sizeof reply_keys[0]);
    smtpc_free(out);
    smtpc_reply_free(reply);

    smtpc_scanner *scanner;
    assert_int_equal(smtpc_scanner_new(&scanner, NULL, NULL), 0);
    const char log[] = "host said: 550 5.7.1 Relaying denied\n";
    assert_int_equal(smtpc_scanner_feed(scanner, log, sizeof log - 1, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(scanner, NULL), 0);
    assert_int_equal(smtpc_render_scan(&out, &len, scanner, SMTPC_FORMAT_JSON, NULL), 0);
    assert_true(json_is_valid(out, len));
    assert_non_null(strstr(out, "\"rows\":[{\"count\":1,\"code\":\"550\""));
    assert_non_null(strstr(out, "\"action\":\"give-up\",\"reason\":\"norelaying\""));
    smtpc_free(out);
    smtpc_scanner_free(scanner);
}

static void languages(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    char *out;
    size_t len;
    assert_int_equal(smtpc_render_languages(&out, &len, db, SMTPC_FORMAT_TEXT, NULL), 0);
    /* one line per language: tag, name and how much it says in its own words */
    size_t at = 0;
    for (size_t i = 0; i < smtpc_language_count(db); i++) {
        const char *tag = smtpc_language_tag(db, i);
        assert_true(strncmp(out + at, tag, strlen(tag)) == 0 && out[at + strlen(tag)] == '\t');
        at = (size_t)(strchr(out + at, '\n') - out) + 1;
    }
    assert_int_equal(at, len);
    assert_non_null(strstr(out, "en\tEnglish\t100%\n"));
    smtpc_free(out);
    assert_int_equal(smtpc_render_languages(&out, &len, db, SMTPC_FORMAT_JSON, NULL), 0);
    assert_true(json_is_valid(out, len));
    const char *keys[] = {"[{\"tag\":\"ar\",\"name\":\"", "\"direction\":\"rtl\"",
                          "{\"tag\":\"en\",\"name\":\"English\",\"direction\":\"ltr\",\"translated\":",
                          "{\"tag\":\"fr\",\"name\":\"Français\",\"direction\":\"ltr\"", "}]\n"};
    assert_in_order(out, keys, sizeof keys / sizeof keys[0]);
    smtpc_free(out);
    assert_int_equal(smtpc_render_languages(&out, &len, db, SMTPC_FORMAT_HTML, NULL), 0);
    assert_non_null(strstr(out, "<li>fr (Français): 100%</li>"));
    smtpc_free(out);
    smtpc_error err;
    assert_int_equal(smtpc_render_languages(&out, &len, db, 9, &err), SMTPC_EFORMAT);
    assert_null(out);
    assert_int_equal(smtpc_render_languages(&out, &len, NULL, SMTPC_FORMAT_TEXT, &err),
                     SMTPC_EINVAL);
}

static void formats(void **state)
{
    (void)state;
    int format;
    const char *names[] = {"text", "markdown", "md", "html", "json", "JSON", "Html"};
    const int want[] = {SMTPC_FORMAT_TEXT, SMTPC_FORMAT_MARKDOWN, SMTPC_FORMAT_MARKDOWN,
                        SMTPC_FORMAT_HTML, SMTPC_FORMAT_JSON,     SMTPC_FORMAT_JSON,
                        SMTPC_FORMAT_HTML};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_int_equal(smtpc_format_parse(&format, names[i], strlen(names[i]), NULL), 0);
        assert_int_equal(format, want[i]);
    }
    smtpc_error err;
    assert_int_equal(smtpc_format_parse(&format, "pdf", 3, &err), SMTPC_EFORMAT);
    assert_non_null(strstr(err.text, "'pdf'"));
    assert_int_equal(smtpc_format_parse(&format, "jsonx", 5, NULL), SMTPC_EFORMAT);
    assert_int_equal(smtpc_format_parse(&format, "", 0, NULL), SMTPC_EFORMAT);
    smtpc_comparison *cmp;
    assert_int_equal(smtpc_compare(&cmp, smtpc_db_builtin(), "421", 3, "504", 3, NULL, 0, NULL), 0);
    char *out = (char *)1;
    assert_int_equal(smtpc_render_comparison(&out, NULL, cmp, 9, NULL), SMTPC_EFORMAT);
    assert_null(out);
    assert_int_equal(smtpc_render_comparison(&out, NULL, NULL, 0, NULL), SMTPC_EINVAL);
    smtpc_comparison_free(cmp);
}

static void entry_pages(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    for (size_t i = 0; i < smtpc_db_count(db); i++) {
        const smtpc_entry *e = smtpc_db_entry(db, i);
        for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
            char *out;
            size_t len;
            smtpc_error err;
            if (smtpc_render_code(&out, &len, db, e->code, strlen(e->code), "en", 2, format, &err) != 0)
                fail_msg("%s: %s", e->code, err.text);
            if (format == SMTPC_FORMAT_JSON && !json_is_valid(out, len))
                fail_msg("%s: invalid JSON:\n%s", e->code, out);
            if (format != SMTPC_FORMAT_JSON && strstr(out, e->description) == NULL &&
                format == SMTPC_FORMAT_TEXT)
                fail_msg("%s: description missing", e->code);
            smtpc_free(out);
        }
    }
    /* a basic page lists the registered enhanced codes that name it, and vice versa */
    const smtpc_entry *e;
    char *out;
    smtpc_lookup(&e, db, "552", 3, NULL);
    assert_int_equal(smtpc_render_code(&out, NULL, db, e->code, strlen(e->code), NULL, 0, SMTPC_FORMAT_TEXT, NULL), 0);
    assert_non_null(strstr(out, "Registered enhanced codes: "));
    assert_non_null(strstr(out, "X.2.2"));
    smtpc_free(out);
    smtpc_lookup(&e, db, "X.2.2", 5, NULL);
    assert_int_equal(smtpc_render_code(&out, NULL, db, e->code, strlen(e->code), NULL, 0, SMTPC_FORMAT_TEXT, NULL), 0);
    assert_non_null(strstr(out, "Associated basic codes: 552"));
    smtpc_free(out);
    smtpc_error err;
    assert_int_equal(smtpc_render_code(&out, NULL, db, e->code, strlen(e->code), "xx", 2, 0, &err), SMTPC_ELANG);
    assert_int_equal(smtpc_render_code(&out, NULL, NULL, "421", 3, "en", 2, 0, &err), SMTPC_EINVAL);
}

static void tables(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        for (int klass = 0; klass <= 5; klass = klass ? klass + 1 : 2) {
            char *out;
            size_t len;
            assert_int_equal(smtpc_render_table(&out, &len, db, klass, 0, format, NULL), 0);
            if (format == SMTPC_FORMAT_JSON)
                assert_true(json_is_valid(out, len));
            smtpc_free(out);
        }
    }
    char *out;
    assert_int_equal(smtpc_render_table(&out, NULL, db, 4, SMTPC_KIND_BASIC, 0, NULL), 0);
    assert_non_null(strstr(out, "\n421 "));
    assert_null(strstr(out, "\n550 "));
    assert_null(strstr(out, "X.7.1"));
    smtpc_free(out);
    assert_int_equal(smtpc_render_table(&out, NULL, db, 6, 0, 0, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_render_table(&out, NULL, db, 0, 7, 0, NULL), SMTPC_EINVAL);
}

/* ---- the defect scan ---- */

/* Verbs that make a description's first sentence a clause rather than a noun phrase. */
static int has_finite_verb(const char *sentence, size_t len)
{
    static const char *const verbs[] = {
        "is", "are", "was", "were", "has", "have", "had", "can", "cannot", "could", "will",
        "would", "may", "might", "must", "should", "does", "did", "do", "needs", "accepts",
        "refuses", "reports", "breaks", "prevents", "lacks", "knows", "wants", "asks", "holds"};
    size_t i = 0;
    while (i < len) {
        while (i < len && !isalpha((unsigned char)sentence[i]))
            i++;
        size_t start = i;
        while (i < len && (isalpha((unsigned char)sentence[i]) || sentence[i] == '\''))
            i++;
        size_t n = i - start;
        if (n > 3 && strncmp(sentence + i - 2, "ed", 2) == 0)
            return 1;
        for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++) {
            if (strlen(verbs[k]) == n && strncasecmp(sentence + start, verbs[k], n) == 0)
                return 1;
        }
    }
    return 0;
}

static size_t first_word_length(const char *s)
{
    return strcspn(s, " ,;:.'");
}

/* A word with two capitals is an acronym or a name ("SMTP", "IPv6"): it must stay as written
 * after "indicates that", "means that" and "when". */
static int is_acronym(const char *s, size_t len)
{
    int capitals = 0;
    for (size_t i = 0; i < len; i++)
        capitals += isupper((unsigned char)s[i]) != 0;
    return capitals >= 2 || (len == 1 && s[0] == 'I');
}

static void check_clause_after(const char *page, const char *lead, const char *source,
                               const char *where)
{
    const char *at = strstr(page, lead);
    if (at == NULL)
        fail_msg("%s: '%s' missing", where, lead);
    at += strlen(lead);
    size_t n = first_word_length(source);
    if (is_acronym(source, n)) {
        if (strncmp(at, source, n) != 0)
            fail_msg("%s: acronym lower-cased after '%s': %.40s", where, lead, at);
    } else if (strncmp(at + 1, source + 1, n - 1) != 0 || tolower((unsigned char)source[0]) != (unsigned char)at[0]) {
        fail_msg("%s: clause after '%s' is '%.40s'", where, lead, at);
    }
}

static int ends_a_sentence(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && strchr(".!?", s[n - 1]) != NULL;
}

static void check_entry_text(const smtpc_entry *e)
{
    const char *texts[] = {e->description, e->when, e->fix};
    for (size_t i = 0; i < 3; i++) {
        if (!ends_a_sentence(texts[i]))
            fail_msg("%s: text cut short: '%s'", e->code, texts[i]);
    }
    size_t first = strcspn(e->description, ".");
    if (!has_finite_verb(e->description, first))
        fail_msg("%s: description reads as a noun phrase: '%.*s'", e->code, (int)first,
                 e->description);
    if (strncasecmp(e->when, "when ", 5) == 0)
        fail_msg("%s: when-text starts with 'when'", e->code);
}

/* ---- the gates of a translated page (docs/translation.md) ---- */

/* Whether `s` is inside a "quoted" span of `page`: a server's words, which stay as sent. */
static int in_quotes(const char *page, const char *s)
{
    int open = 0;
    for (const char *c = page; c < s; c++)
        open ^= *c == '"';
    return open;
}

/* The first run of `n` English words (lower-case ASCII words separated by single spaces)
 * outside quotes, or NULL. */
static const char *english_run(const char *page, int n)
{
    for (const char *s = page; *s != '\0'; s++) {
        if (!islower((unsigned char)*s) || (s > page && isalpha((unsigned char)s[-1])))
            continue;
        const char *c = s;
        int words = 0;
        while (islower((unsigned char)*c)) {
            while (islower((unsigned char)*c))
                c++;
            words++;
            if (*c != ' ' || !islower((unsigned char)c[1]))
                break;
            c++;
        }
        if (words >= n && !in_quotes(page, s))
            return s;
    }
    return NULL;
}

/* An English function word of a sentence, outside quotes, for the Latin-script languages. */
static const char *english_stop_word(const char *page)
{
    static const char *const words[] = {" the ", " and ", " is ", " of ", " that ", " when ",
                                        " with ", " which ", " should ", " will "};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        for (const char *s = strstr(page, words[i]); s != NULL; s = strstr(s + 1, words[i])) {
            if (!in_quotes(page, s))
                return s;
        }
    }
    return NULL;
}

static int is_latin_script(const char *lang)
{
    return strchr("ar hi ja ko ru th zh", lang[0]) == NULL ||
           strncmp(lang, "id", 2) == 0 || strncmp(lang, "tr", 2) == 0;
}

/* A page in a complete language says everything in it: nothing fell back (JSON), no
 * placeholder is left, and no English sentence (a run of English words in another script, an
 * English function word in a Latin one). Every language's page leaves no placeholder. */
static void check_translated_page(const char *out, const char *lang, int complete, int format,
                                  const char *where)
{
    for (const char *s = strchr(out, '{'); s != NULL; s = strchr(s + 1, '{')) {
        if (islower((unsigned char)s[1]) && format != SMTPC_FORMAT_JSON)
            fail_msg("%s: a placeholder left: %.30s", where, s);
    }
    if (!complete)
        return;
    if (format == SMTPC_FORMAT_JSON) {
        if (strstr(out, "\"lang\":{}") == NULL)
            fail_msg("%s: a text fell back to English: %s", where, strstr(out, "\"lang\":"));
        return;
    }
    if (format != SMTPC_FORMAT_TEXT)
        return;
    const char *english = is_latin_script(lang) ? english_stop_word(out) : english_run(out, 4);
    if (english != NULL)
        fail_msg("%s: English left: '%.60s'", where, english);
}

struct scan_totals {
    unsigned long pages;
    unsigned long json_documents;
};

static void check_english_sentences(const smtpc_comparison *cmp, const char *intro,
                                    const char *where);
static void check_sections(const smtpc_comparison *cmp, const char *out, const char *where);

static void scan_pair(const smtpc_db *db, const smtpc_entry *a, const smtpc_entry *b,
                      const char *lang, struct scan_totals *totals)
{
    smtpc_comparison *cmp;
    if (smtpc_compare(&cmp, db, a->code, strlen(a->code), b->code, strlen(b->code), lang,
                      strlen(lang), NULL) != 0)
        fail_msg("compare %s %s %s failed", a->code, b->code, lang);
    char where[64];
    snprintf(where, sizeof where, "%s vs %s [%s]", a->code, b->code, lang);
    const char *intro = smtpc_comparison_part(cmp, SMTPC_PART_INTRO);
    char lead[64];
    snprintf(lead, sizeof lead, "%s indicates that ", smtpc_comparison_code(cmp, 0));
    /* the English sentences, where the language has translated neither them nor the texts */
    if (strstr(intro, lead) != NULL && smtpc_comparison_text(cmp, 0, SMTPC_TEXT_WHEN) ==
                                           smtpc_comparison_entry(cmp, 0)->when)
        check_english_sentences(cmp, intro, where);
    else if (strcmp(lang, "en") == 0)
        fail_msg("%s: '%s' missing", where, lead);
    size_t translated, total;
    assert_int_equal(smtpc_language_completeness(&translated, &total, db, lang, strlen(lang),
                                                 NULL), 0);
    int complete = translated == total && strcmp(lang, "en") != 0;
    for (size_t k = 0; k < smtpc_comparison_difference_count(cmp); k++) {
        if (strcmp(lang, "en") == 0 && !ends_a_sentence(smtpc_comparison_difference(cmp, k)))
            fail_msg("%s: difference %zu cut short", where, k + 1);
    }
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        char *out;
        size_t len;
        if (smtpc_render_comparison(&out, &len, cmp, format, NULL) != 0)
            fail_msg("%s: render failed", where);
        if (strcasestr(out, "when when") != NULL)
            fail_msg("%s: 'when when' in format %d", where, format);
        check_translated_page(out, lang, complete, format, where);
        if (format == SMTPC_FORMAT_JSON) {
            if (!json_is_valid(out, len))
                fail_msg("%s: invalid JSON:\n%s", where, out);
            totals->json_documents++;
        } else {
            check_sections(cmp, out, where);
        }
        smtpc_free(out);
        totals->pages++;
    }
    smtpc_comparison_free(cmp);
}

/* The checks of a page in English: descriptions and when-texts read as clauses after their
 * lead-ins. */
static void check_english_sentences(const smtpc_comparison *cmp, const char *intro,
                                    const char *where)
{
    char lead[64];
    snprintf(lead, sizeof lead, "%s indicates that ", smtpc_comparison_code(cmp, 0));
    check_clause_after(intro, lead, smtpc_comparison_text(cmp, 0, SMTPC_TEXT_DESCRIPTION), where);
    snprintf(lead, sizeof lead, "%s means that ", smtpc_comparison_code(cmp, 1));
    check_clause_after(intro, lead, smtpc_comparison_text(cmp, 1, SMTPC_TEXT_DESCRIPTION), where);
    for (int side = 0; side < 2; side++) {
        snprintf(lead, sizeof lead, "You encounter %s when ", smtpc_comparison_code(cmp, side));
        const char *item = smtpc_comparison_difference(cmp, side == 0 ? 3 : 4);
        if (smtpc_comparison_difference_count(cmp) > 0 &&
            strcmp(smtpc_comparison_difference_kind(cmp, 0), "class") != 0)
            item = smtpc_comparison_difference(cmp, side == 0 ? 2 : 3);
        check_clause_after(item, lead, smtpc_comparison_text(cmp, side, SMTPC_TEXT_WHEN), where);
    }
}

/* No empty section: every label is followed by content. */
static void check_sections(const smtpc_comparison *cmp, const char *out, const char *where)
{
    for (int label = 0; label < SMTPC_LABEL_COUNT; label++) {
        const char *text = smtpc_comparison_label(cmp, label);
        const char *at = strstr(out, text);
        if (at == NULL)
            fail_msg("%s: label %d missing", where, label);
        at += strlen(text);
        while (*at != '\0' && strchr("\n <>/h1234#", *at) != NULL)
            at++;
        if (*at == '\0')
            fail_msg("%s: section %d is empty", where, label);
    }
}

static void every_pair_in_every_language_and_format(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    size_t n = smtpc_db_count(db);
    for (size_t i = 0; i < n; i++)
        check_entry_text(smtpc_db_entry(db, i));
    /* SMTPC_TEST_QUICK=1 (valgrind): every 7th pair, still in every language and format. */
    const char *quick = getenv("SMTPC_TEST_QUICK");
    size_t every = quick != NULL && quick[0] != '\0' && strcmp(quick, "0") != 0 ? 7 : 1;
    struct scan_totals totals = {0, 0};
    for (size_t l = 0; l < smtpc_language_count(db); l++) {
        const char *lang = smtpc_language_tag(db, l);
        size_t pair = 0;
        for (size_t i = 0; i < n; i++) {
            for (size_t j = i + 1; j < n; j++, pair++) {
                if (pair % every == 0)
                    scan_pair(db, smtpc_db_entry(db, i), smtpc_db_entry(db, j), lang, &totals);
            }
        }
    }
    size_t pairs = (n * (n - 1) / 2 + every - 1) / every;
    assert_int_equal(totals.pages, pairs * smtpc_language_count(db) * 4);
    print_message("defect scan: %zu codes, %zu pairs%s, %zu languages, %lu pages, %lu JSON "
                  "documents\n",
                  n, pairs, every > 1 ? " (every 7th: SMTPC_TEST_QUICK)" : "",
                  smtpc_language_count(db), totals.pages, totals.json_documents);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_layout),
        cmocka_unit_test(markdown_layout),
        cmocka_unit_test(html_fragment),
        cmocka_unit_test(escaping),
        cmocka_unit_test(json_structure),
        cmocka_unit_test(json_fields),
        cmocka_unit_test(languages),
        cmocka_unit_test(formats),
        cmocka_unit_test(entry_pages),
        cmocka_unit_test(tables),
        cmocka_unit_test(every_pair_in_every_language_and_format),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
