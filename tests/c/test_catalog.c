/*
 * test_catalog.c - translation catalogs (docs/translation.md): what a catalog translates, what
 * falls back to English, and every way a catalog is refused, at its line and column, with the
 * database left as it was.
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

#define HEADER                                                                                     \
    "msgid \"\"\nmsgstr \"\"\n\"Language: vi\\n\"\n\"Content-Type: text/plain; "                   \
    "charset=UTF-8\\n\"\n\n"

/* A language the built-in database lacks, with its labels and nothing else translated. */
#define ESPERANTO                                                                                  \
    "Language: eo\nLanguage-Name: Esperanto\nDescription-Label: Priskribo\n"                     \
    "When-Label: Kiam ĝi aperas\nFix-Label: Kiel ripari\nDifferences-Label: Ĉefaj diferencoj\n"  \
    "Usage-Label: Kiun uzi\nLearn-More-Label: Pli da informoj\n"

/* A database of its own laid over the built-in one, to read catalogs into. */
static smtpc_db *overlay(const char *data)
{
    smtpc_db *db;
    smtpc_error err;
    if (smtpc_db_load_buffer(&db, data, strlen(data), "test.txt", SMTPC_LOAD_OVERLAY, &err) != 0)
        fail_msg("load: %s", err.text);
    return db;
}

static const smtpc_entry *entry(const smtpc_db *db, const char *code)
{
    const smtpc_entry *e;
    assert_int_equal(smtpc_lookup(&e, db, code, strlen(code), NULL), 0);
    return e;
}

/* Text `text` of `code` in `lang`, and whether it is translated. */
static const char *text_of(const smtpc_db *db, const char *code, int text, const char *lang,
                           int *translated)
{
    const char *out;
    assert_int_equal(
        smtpc_entry_text(&out, translated, db, entry(db, code), text, lang, strlen(lang), NULL), 0);
    return out;
}

static int read_catalog(smtpc_db *db, const char *po, smtpc_error *err)
{
    return smtpc_db_load_catalog_buffer(db, po, strlen(po), "test.po", err);
}

static void translations_and_fallbacks(void **state)
{
    (void)state;
    smtpc_db *db = overlay(ESPERANTO);
    int translated;
    /* Esperanto, which the overlay adds, has its labels only: English, marked as such */
    assert_string_equal(text_of(db, "421", SMTPC_TEXT_NAME, "eo", &translated),
                        "Service Not Available");
    assert_int_equal(translated, 0);
    smtpc_error err;
    const char po[] = "msgid \"\"\nmsgstr \"Language: eo\\n\"\n\n"
                      "msgctxt \"421 name\"\nmsgid \"Service Not Available\"\n"
                      "msgstr \"Service \"\n\"indisponible\"\n\n"
                      "#, fuzzy\nmsgctxt \"421 fix\"\nmsgid \"x\"\nmsgstr \"fuzzy\"\n\n"
                      "msgctxt \"504 name\"\nmsgid \"An English text since edited\"\n"
                      "msgstr \"périmé\"\n\n"
                      "msgctxt \"550 name\"\nmsgid \"Mailbox Unavailable\"\nmsgstr \"\"\n\n"
                      "#~ msgctxt \"421 when\"\n#~ msgid \"gone\"\n#~ msgstr \"obsolete\"\n";
    assert_int_equal(read_catalog(db, po, &err), 0);
    assert_string_equal(text_of(db, "421", SMTPC_TEXT_NAME, "eo", &translated),
                        "Service indisponible");
    assert_int_equal(translated, 1);
    /* fuzzy, stale and empty translations give English */
    const char *fix = text_of(db, "421", SMTPC_TEXT_FIX, "eo", &translated);
    assert_string_equal(fix, entry(db, "421")->fix);
    assert_int_equal(translated, 0);
    assert_string_equal(text_of(db, "504", SMTPC_TEXT_NAME, "eo-XX", &translated),
                        entry(db, "504")->name);
    assert_int_equal(translated, 0);
    assert_int_equal(text_of(db, "550", SMTPC_TEXT_NAME, "eo", &translated)[0], 'M');
    assert_int_equal(translated, 0);
    /* an empty text is nothing to translate */
    assert_string_equal(text_of(db, "421", SMTPC_TEXT_ALIASES, "eo", &translated), "");
    assert_int_equal(translated, 1);
    /* the pages say it, and say what fell back */
    smtpc_comparison *cmp;
    assert_int_equal(smtpc_compare(&cmp, db, "421", 3, "504", 3, "eo", 2, NULL), 0);
    assert_string_equal(smtpc_comparison_text(cmp, 0, SMTPC_TEXT_NAME), "Service indisponible");
    char *fallbacks;
    size_t len;
    assert_int_equal(smtpc_comparison_fallbacks(&fallbacks, &len, cmp, NULL), 0);
    assert_non_null(strstr(fallbacks, "/codes/0/fix\n"));
    assert_null(strstr(fallbacks, "/codes/0/name\n"));
    assert_non_null(strstr(fallbacks, "/codes/1/name\n"));
    assert_null(strstr(fallbacks, "/labels/"));
    smtpc_free(fallbacks);
    smtpc_comparison_free(cmp);
    smtpc_db_free(db);
}

static void complete_languages_need_nothing_of_english(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    const char *tags[] = {"vi", "tr", "th", "ko", "ar", "de", "es", "fr",
                          "hi", "id", "ja", "pt", "ru", "zh-hans"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        size_t translated, total;
        assert_int_equal(
            smtpc_language_completeness(&translated, &total, db, tags[i], strlen(tags[i]), NULL),
            0);
        assert_int_equal(translated, total);
        assert_true(total > 1000);
        smtpc_comparison *cmp;
        assert_int_equal(
            smtpc_compare(&cmp, db, "4.2.2", 5, "5.2.2", 5, tags[i], strlen(tags[i]), NULL), 0);
        char *fallbacks;
        assert_int_equal(smtpc_comparison_fallbacks(&fallbacks, NULL, cmp, NULL), 0);
        assert_string_equal(fallbacks, "");
        smtpc_free(fallbacks);
        smtpc_comparison_free(cmp);
    }
    size_t translated, total;
    assert_int_equal(smtpc_language_completeness(&translated, &total, db, "en", 2, NULL), 0);
    assert_int_equal(translated, total);
    /* a language a data file adds has what it brings: its labels */
    smtpc_db *eo = overlay(ESPERANTO);
    assert_int_equal(smtpc_language_completeness(&translated, &total, eo, "eo", 2, NULL), 0);
    assert_int_equal(translated, SMTPC_LABEL_COUNT);
    smtpc_db_free(eo);
    assert_int_equal(smtpc_language_completeness(&translated, &total, db, "xx", 2, NULL),
                     SMTPC_ELANG);
    assert_int_equal(smtpc_language_direction(db, "ar", 2), SMTPC_DIRECTION_RTL);
    assert_int_equal(smtpc_language_direction(db, "ar-EG", 5), SMTPC_DIRECTION_RTL);
    assert_int_equal(smtpc_language_direction(db, "ko", 2), SMTPC_DIRECTION_LTR);
}

/* A catalog written by smtpc_render_catalog() reads back into the same translations. */
static void catalogs_round_trip(void **state)
{
    (void)state;
    char *po;
    size_t len;
    const smtpc_db *builtin = smtpc_db_builtin();
    assert_int_equal(smtpc_render_catalog(&po, &len, builtin, "ko", 2, NULL), 0);
    smtpc_db *db = overlay("");
    /* forget what the overlay carried over: a catalog of English texts only */
    smtpc_error err;
    assert_int_equal(smtpc_db_load_catalog_buffer(db, po, len, "ko.po", &err), 0);
    for (size_t i = 0; i < smtpc_db_count(db); i++) {
        for (int text = 0; text < SMTPC_TEXT_COUNT; text++) {
            const char *a, *b;
            assert_int_equal(smtpc_entry_text(&a, NULL, builtin, smtpc_db_entry(builtin, i), text,
                                              "ko", 2, NULL),
                             0);
            assert_int_equal(
                smtpc_entry_text(&b, NULL, db, smtpc_db_entry(db, i), text, "ko", 2, NULL), 0);
            assert_string_equal(a, b);
        }
    }
    smtpc_free(po);
    /* the template names every text, untranslated */
    assert_int_equal(smtpc_render_catalog(&po, &len, builtin, NULL, 0, NULL), 0);
    assert_non_null(strstr(po, "msgctxt \"template intro-classes\"\n"));
    assert_non_null(strstr(po, "msgctxt \"X.7.1 description\"\nmsgid \""));
    assert_null(strstr(po, "msgstr \"\xEC"));
    size_t messages = 0;
    for (const char *s = strstr(po, "msgctxt"); s != NULL; s = strstr(s + 1, "msgctxt"))
        messages++;
    size_t translated, total;
    assert_int_equal(smtpc_language_completeness(&translated, &total, builtin, "en", 2, NULL), 0);
    assert_int_equal(messages, total);
    smtpc_free(po);
    assert_int_equal(smtpc_render_catalog(&po, &len, builtin, "xx", 2, &err), SMTPC_ELANG);
    assert_null(po);
    smtpc_db_free(db);
}

/* An overlay that edits an English text leaves that text's translations stale: English, while
 * every other text keeps its translation. A Language record's labels translate them. */
static void edited_english_falls_back(void **state)
{
    (void)state;
    smtpc_db *db = overlay("Code: 421\nName: Service Unavailable For Now\nSlug: s-421\n"
                           "Class: 4\nOrigin: rfc\nDescription: The server is busy.\n"
                           "When: It is.\nFix: Wait.\nReference: RFC 5321\nRetry: later\n"
                           "Connection: closed\nCommands: ANY\nEnhanced: none\n\n"
                           "Language: fr\nLanguage-Name: Français\nFix-Label: Que faire\n");
    int translated;
    assert_string_equal(text_of(db, "421", SMTPC_TEXT_NAME, "vi", &translated),
                        "Service Unavailable For Now");
    assert_int_equal(translated, 0);
    const char *vi = text_of(db, "504", SMTPC_TEXT_NAME, "vi", &translated);
    assert_int_equal(translated, 1);
    assert_string_equal(vi, text_of(smtpc_db_builtin(), "504", SMTPC_TEXT_NAME, "vi", NULL));
    const char *label;
    assert_int_equal(smtpc_label(&label, db, "fr", 2, SMTPC_LABEL_FIX, NULL), 0);
    assert_string_equal(label, "Que faire");
    assert_int_equal(smtpc_label(&label, db, "fr", 2, SMTPC_LABEL_WHEN, NULL), 0);
    assert_string_equal(label, "Quand ce code apparaît");
    smtpc_db_free(db);
}

/* A refused catalog names the place and changes nothing. */
struct refusal {
    const char *what;
    const char *po;
    unsigned long line;
    unsigned long column;
    const char *says;
};

static void refused(void **state)
{
    (void)state;
    static const struct refusal cases[] = {
        {"unterminated", HEADER "msgctxt \"421 name\"\nmsgid \"Service\n", 7, 15, "closing quote"},
        {"escape", HEADER "msgctxt \"421 name\"\nmsgid \"a\\qb\"\nmsgstr \"\"\n", 7, 9,
         "unknown escape"},
        {"after the quote", HEADER "msgctxt \"421 name\" x\n", 6, 20, "after the closing quote"},
        {"keyword", HEADER "msgtext \"x\"\n", 6, 1, "expected msgctxt"},
        {"lone string", HEADER "\"x\"\n", 6, 1, "continues no keyword"},
        {"no msgstr",
         HEADER "msgctxt \"421 name\"\nmsgid \"Service Not Available\"\n\n"
                "msgctxt \"504 name\"\nmsgid \"x\"\nmsgstr \"y\"\n",
         6, 1, "without a msgstr"},
        {"msgstr first", HEADER "msgstr \"x\"\n", 6, 1, "without a msgid"},
        {"two msgids", HEADER "msgid \"a\"\nmsgid \"b\"\n", 6, 1, "without a msgstr"},
        {"two msgctxts", HEADER "msgctxt \"a\"\nmsgctxt \"b\"\n", 7, 1, "second msgctxt"},
        {"two msgstrs", HEADER "msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", 8, 1, "second msgstr"},
        {"plural", HEADER "msgid \"a\"\nmsgid_plural \"b\"\n", 7, 1, "plural form"},
        {"plural msgstr", HEADER "msgid \"a\"\nmsgstr[0] \"b\"\n", 7, 1, "plural form"},
        {"no context", HEADER "msgid \"Service Not Available\"\nmsgstr \"x\"\n", 6, 1,
         "without a msgctxt"},
        {"unknown context", HEADER "msgctxt \"999 name\"\nmsgid \"x\"\nmsgstr \"y\"\n", 6, 1,
         "names no text"},
        {"context twice",
         HEADER "msgctxt \"421 name\"\nmsgid \"x\"\nmsgstr \"y\"\n\n"
                "msgctxt \"421 name\"\nmsgid \"x\"\nmsgstr \"z\"\n",
         10, 1, "second message with this msgctxt"},
        {"placeholder",
         HEADER "msgctxt \"template title\"\n"
                "msgid \"SMTP {a} {a_name} vs {b} {b_name}\"\n"
                "msgstr \"{a} {a_name} {b} {c}\"\n",
         8, 26, "{c} is not one of the template's"},
        {"missing placeholder",
         HEADER "msgctxt \"template title\"\n"
                "msgid \"SMTP {a} {a_name} vs {b} {b_name}\"\n"
                "msgstr \"{a} {a_name} {b}\"\n",
         8, 9, "{b_name} of the English is missing"},
        {"filter",
         HEADER "msgctxt \"template title\"\n"
                "msgid \"SMTP {a} {a_name} vs {b} {b_name}\"\n"
                "msgstr \"{a} {a_name|loud} {b} {b_name}\"\n",
         8, 20, "unknown filter"},
        {"brace",
         HEADER "msgctxt \"template title\"\n"
                "msgid \"SMTP {a} {a_name} vs {b} {b_name}\"\n"
                "msgstr \"{a} {a_name} {b} {b_name} {\"\n",
         8, 35, "starts no placeholder"},
        {"control",
         HEADER "msgctxt \"421 name\"\nmsgid \"Service Not Available\"\n"
                "msgstr \"a\\tb\"\n",
         8, 1, "control character"},
        {"no header", "msgctxt \"421 name\"\nmsgid \"x\"\nmsgstr \"y\"\n", 1, 1, "no Language"},
        {"english", "msgid \"\"\nmsgstr \"Language: en\\n\"\n", 2, 1, "source language"},
        {"unknown language", "msgid \"\"\nmsgstr \"Language: tlh\\n\"\n", 2, 1,
         "not a language of the database"},
        {"charset",
         "msgid \"\"\nmsgstr \"Language: vi\\nContent-Type: text/plain; "
         "charset=ISO-8859-1\\n\"\n",
         2, 1, "charset must be UTF-8"},
        {"utf-8", HEADER "msgctxt \"421 name\"\nmsgid \"a\xFF\"\n", 7, 9, "not UTF-8"},
        {"nul", HEADER "msgctxt \"421 name\"\n\0", 7, 1, "not UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct refusal *c = &cases[i];
        smtpc_db *db = overlay("");
        int before;
        const char *name_before = text_of(db, "421", SMTPC_TEXT_NAME, "vi", &before);
        size_t len = strcmp(c->what, "nul") == 0 ? strlen(c->po) + 1 : strlen(c->po);
        smtpc_error err;
        int rc = smtpc_db_load_catalog_buffer(db, c->po, len, "test.po", &err);
        if (rc != SMTPC_EDATA || err.line != c->line || err.column != c->column ||
            strstr(err.text, c->says) == NULL || strcmp(err.source, "test.po") != 0)
            fail_msg("%s: %d %s:%lu:%lu: %s", c->what, rc, err.source, err.line, err.column,
                     err.text);
        int after;
        assert_string_equal(text_of(db, "421", SMTPC_TEXT_NAME, "vi", &after), name_before);
        assert_int_equal(after, before);
        smtpc_db_free(db);
    }
}

/* All or nothing: a good message before a bad one is not read either. */
static void all_or_nothing(void **state)
{
    (void)state;
    smtpc_db *db = overlay(ESPERANTO);
    const char po[] = "msgid \"\"\nmsgstr \"Language: eo\\n\"\n\n"
                      "msgctxt \"421 name\"\nmsgid \"Service Not Available\"\n"
                      "msgstr \"Servo ne disponebla\"\n\n"
                      "msgctxt \"nothing\"\nmsgid \"x\"\nmsgstr \"y\"\n";
    smtpc_error err;
    assert_int_equal(read_catalog(db, po, &err), SMTPC_EDATA);
    assert_int_equal(err.line, 8);
    int translated;
    assert_string_equal(text_of(db, "421", SMTPC_TEXT_NAME, "eo", &translated),
                        "Service Not Available");
    assert_int_equal(translated, 0);
    smtpc_db_free(db);
}

static void misuse(void **state)
{
    (void)state;
    smtpc_error err;
    const char po[] = HEADER;
    assert_int_equal(
        smtpc_db_load_catalog_buffer((smtpc_db *)smtpc_db_builtin(), po, strlen(po), "x.po", &err),
        SMTPC_EINVAL);
    assert_non_null(strstr(err.text, "immutable"));
    assert_int_equal(smtpc_db_load_catalog_buffer(NULL, po, strlen(po), "x.po", &err),
                     SMTPC_EINVAL);
    smtpc_db *db = overlay("");
    assert_int_equal(smtpc_db_load_catalog(db, "/nonexistent/vi.po", &err), SMTPC_EIO);
    assert_string_equal(err.source, "/nonexistent/vi.po");
    const char *out;
    assert_int_equal(
        smtpc_entry_text(&out, NULL, db, entry(db, "421"), SMTPC_TEXT_COUNT, "vi", 2, &err),
        SMTPC_EINVAL);
    /* an entry of the overlay is not one of the built-in database */
    assert_int_equal(smtpc_entry_text(&out, NULL, smtpc_db_builtin(), entry(db, "421"),
                                      SMTPC_TEXT_NAME, "vi", 2, &err),
                     SMTPC_EINVAL);
    assert_non_null(strstr(err.text, "not one of this database's"));
    assert_int_equal(
        smtpc_entry_text(&out, NULL, db, entry(db, "421"), SMTPC_TEXT_NAME, "xx", 2, &err),
        SMTPC_ELANG);
    smtpc_db_free(db);
}

/* A catalog of `lang` with the translations of `messages` (context, English, translation, ...,
 * NULL), read into `db`. */
static void translate(smtpc_db *db, const char *lang, const char *const *messages)
{
    char po[4096];
    int n = snprintf(po, sizeof po,
                     "msgid \"\"\nmsgstr \"\"\n\"Language: %s\\n\"\n\"Content-Type: text/plain; "
                     "charset=UTF-8\\n\"\n",
                     lang);
    for (size_t i = 0; messages[i] != NULL; i += 3)
        n += snprintf(po + n, sizeof po - (size_t)n, "\nmsgctxt \"%s\"\nmsgid \"%s\"\nmsgstr \"%s\"\n",
                      messages[i], messages[i + 1], messages[i + 2]);
    assert_true(n > 0 && (size_t)n < sizeof po);
    smtpc_error err;
    if (read_catalog(db, po, &err) != 0)
        fail_msg("catalog: %s (%lu:%lu)", err.text, err.line, err.column);
}

/* The columns a terminal draws `len` bytes of UTF-8 in, for the scripts of these tests: two
 * for CJK ideographs, kana and fullwidth forms, one for any other character. */
static size_t columns_of(const char *s, size_t len)
{
    size_t columns = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80)
            continue;
        if (c == 0xE3 || c == 0xE4 || c == 0xE5 || c == 0xE6 || c == 0xE7 || c == 0xE8 ||
            c == 0xE9 || (c == 0xEF && i + 1 < len && (unsigned char)s[i + 1] == 0xBC))
            columns += 2; /* U+3000-U+9FFF, U+FF00-U+FF3F */
        else
            columns++;
    }
    return columns;
}

/* In the text table of codes, every class starts in the same column (7 + 2 + 45 + 2), whatever
 * the script of the names before it, and a name wider than its column goes on below it. */
static void tables_line_up_in_every_script(void **state)
{
    (void)state;
    smtpc_db *db = overlay("");
    static const char *const ja[] = {
        "421 name", "Service Not Available", "サービス利用不可", "450 name",
        "Mailbox Unavailable",
        "要求されたメールボックスの操作は一時的に実行できません（メールボックス使用不可）", NULL};
    static const char *const fr[] = {"421 name", "Service Not Available",
                                     "Service indisponible é à ç", NULL};
    translate(db, "ja", ja);
    translate(db, "fr", fr);
    static const char *const langs[] = {"ja", "fr"};
    for (size_t l = 0; l < 2; l++) {
        char *out;
        size_t len;
        assert_int_equal(smtpc_render_table_in(&out, &len, db, 4, SMTPC_KIND_BASIC, langs[l], 2,
                                               SMTPC_FORMAT_TEXT, NULL),
                         0);
        size_t rows = 0, continued = 0;
        for (char *line = out; *line != '\0';) {
            char *end = strchr(line, '\n');
            assert_non_null(end);
            if (line != out && *line != ' ') {
                const char *cls = strstr(line, "4xx ");
                assert_true(cls != NULL && cls < end);
                assert_int_equal(columns_of(line, (size_t)(cls - line)), 56);
                rows++;
            } else if (*line == ' ') {
                /* a name's next line, in the name's column, no wider than it */
                assert_int_equal(strspn(line, " "), 9);
                assert_true(columns_of(line + 9, (size_t)(end - line - 9)) <= 45);
                continued++;
            }
            line = end + 1;
        }
        assert_true(rows > 10);
        assert_true(continued >= (l == 0 ? 1u : 0u)); /* the long name at least */
        smtpc_free(out);
    }
    smtpc_db_free(db);
}

/* The text page of 421 and 504 in Esperanto, with `reference_section` as the language's
 * template "reference-section". */
static char *esperanto_page(const char *reference_section)
{
    smtpc_db *db = overlay(ESPERANTO);
    const char *const eo[] = {"template reference-section", "{document} (section {section})",
                              reference_section, NULL};
    translate(db, "eo", eo);
    smtpc_comparison *cmp;
    char *out;
    size_t len;
    assert_int_equal(smtpc_compare(&cmp, db, "421", 3, "504", 3, "eo", 2, NULL), 0);
    assert_int_equal(smtpc_render_comparison(&out, &len, cmp, SMTPC_FORMAT_TEXT, NULL), 0);
    smtpc_comparison_free(cmp);
    smtpc_db_free(db);
    return out;
}

/* A reference with a section is said as the language's template says it, whatever the order of
 * its parts, the words around them and the filters of its placeholders: in the references
 * sentence and in each "Learn more" item. */
static void references_in_the_language_order(void **state)
{
    (void)state;
    char *out = esperanto_page("sekcio {section} de {document}");
    assert_non_null(strstr(out, "- sekcio 3.8 de RFC 5321 <https://www.rfc-editor.org/rfc/"
                                "rfc5321#section-3.8>\n"));
    assert_non_null(strstr(out, "sekcio 4 de RFC 4954"));
    assert_null(strstr(out, "(section "));
    smtpc_free(out);
    out = esperanto_page("[{document}] {section}");
    assert_non_null(strstr(out, "- [RFC 5321] 4.2.1 <"));
    smtpc_free(out);
    /* a placeholder with a filter is filled by the template itself */
    out = esperanto_page("{section}: {document|a}");
    assert_non_null(strstr(out, "- 4: a RFC 4954 <"));
    smtpc_free(out);
}

/* A right-to-left page reads right to left, its codes, RFC numbers and URLs left to right: each
 * in an isolate of its own, in its order. */
static void right_to_left_keeps_codes_left_to_right(void **state)
{
    (void)state;
    char *out;
    size_t len;
    /* Arabic, complete: isolates, and nothing marked English */
    assert_int_equal(smtpc_render_code(&out, &len, smtpc_db_builtin(), "5.7.1", 5, "ar", 2,
                                       SMTPC_FORMAT_HTML, NULL),
                     0);
    assert_non_null(strstr(out, "lang=\"ar\" dir=\"rtl\""));
    assert_non_null(strstr(out, "<bdi dir=\"ltr\">SMTP 5.7.1</bdi>"));
    assert_non_null(strstr(out, "<bdi dir=\"ltr\">RFC 3463</bdi>"));
    assert_null(strstr(out, "lang=\"en\""));
    smtpc_free(out);
    /* Persian, which a data file adds with a few translations: the rest falls back */
    smtpc_db *db = overlay("Language: fa\nLanguage-Name: فارسی\nDirection: rtl\n");
    static const char *const fa[] = {
        "template entry-title", "SMTP {code} {name}", "SMTP {code} {name}",
        "421 name", "Service Not Available", "سرویس در دسترس نیست",
        "421 description",
        "The server cannot serve the client at the moment and is closing the transmission channel.",
        "سرور کانال را می‌بندد، ببینید RFC 5321 بخش 4.2.3 و https://example.org/a?b=1.", NULL};
    translate(db, "fa", fa);
    assert_int_equal(smtpc_render_code(&out, &len, db, "421", 3, "fa", 2, SMTPC_FORMAT_HTML, NULL),
                     0);
    assert_non_null(strstr(out, "lang=\"fa\" dir=\"rtl\""));
    assert_non_null(strstr(out, "<bdi dir=\"ltr\">SMTP 421</bdi> سرویس در دسترس نیست"));
    assert_non_null(strstr(out, "ببینید <bdi dir=\"ltr\">RFC 5321</bdi> بخش "
                                "<bdi dir=\"ltr\">4.2.3</bdi> و "
                                "<bdi dir=\"ltr\">https://example.org/a?b=1</bdi>."));
    /* a text that fell back to English is marked so as a whole, without isolates inside */
    const char *when = strstr(out, "<p style=\"margin: 0.25em 0\" lang=\"en\" dir=\"ltr\">");
    assert_non_null(when);
    assert_true(strstr(when, "<bdi") == NULL || strstr(when, "<bdi") > strstr(when, "</p>"));
    smtpc_free(out);
    /* other formats and left-to-right pages have no isolates */
    assert_int_equal(smtpc_render_code(&out, &len, db, "421", 3, "fa", 2, SMTPC_FORMAT_TEXT, NULL),
                     0);
    assert_null(strstr(out, "bdi"));
    smtpc_free(out);
    assert_int_equal(smtpc_render_code(&out, &len, db, "421", 3, "fr", 2, SMTPC_FORMAT_HTML, NULL),
                     0);
    assert_null(strstr(out, "bdi"));
    smtpc_free(out);
    smtpc_db_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(translations_and_fallbacks),
        cmocka_unit_test(complete_languages_need_nothing_of_english),
        cmocka_unit_test(catalogs_round_trip),
        cmocka_unit_test(edited_english_falls_back),
        cmocka_unit_test(refused),
        cmocka_unit_test(all_or_nothing),
        cmocka_unit_test(misuse),
        cmocka_unit_test(tables_line_up_in_every_script),
        cmocka_unit_test(right_to_left_keeps_codes_left_to_right),
        cmocka_unit_test(references_in_the_language_order),
    };
    return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
