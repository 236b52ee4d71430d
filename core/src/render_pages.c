/*
 * render_pages.c - the documents about codes: the comparison page, the page of one code, the
 * table of codes and the list of languages, each as text, Markdown, HTML and JSON.
 */
#include "render.h"

#include <stdio.h>
#include <string.h>

/* The three sections that every code has: description, when, fix, each with its label;
 * `label_english` and `text_english` say which fell back to English. */
static void put_code_sections(struct page *p, const char *const *labels,
                              const int *label_english, const char *const *texts,
                              const int *text_english)
{
    static const int sections[3][2] = {{SMTPC_LABEL_DESCRIPTION, SMTPC_TEXT_DESCRIPTION},
                                       {SMTPC_LABEL_WHEN, SMTPC_TEXT_WHEN},
                                       {SMTPC_LABEL_FIX, SMTPC_TEXT_FIX}};
    for (int i = 0; i < 3; i++) {
        smtpc_page_english(p, label_english[sections[i][0]]);
        smtpc_block_heading(p, labels[sections[i][0]], 3);
        smtpc_page_english(p, text_english[sections[i][1]]);
        smtpc_block_paragraph(p, texts[sections[i][1]]);
    }
}

/* ---- the comparison page ---- */

/* The labels of the comparison's language, and which fell back to English; for a page that is
 * not `foreign`, none is marked (smtpc_page_english()), so none is asked about. */
static void comparison_labels(int foreign, const smtpc_comparison *cmp, const char **labels,
                              int *english)
{
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++) {
        labels[i] = smtpc_comparison_label(cmp, i);
        english[i] = foreign && smtpc_comparison_fell_back(cmp, SMTPC_FELL_BACK_LABEL, (size_t)i);
    }
}

/* The texts of side `side` that a page shows, and which fell back to English. */
static void side_texts(const struct page *p, const smtpc_comparison *cmp, int side,
                       const char **texts, int *english)
{
    static const int shown[] = {SMTPC_TEXT_NAME, SMTPC_TEXT_DESCRIPTION, SMTPC_TEXT_WHEN,
                                SMTPC_TEXT_FIX};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        int t = shown[i];
        texts[t] = smtpc_comparison_text(cmp, side, t);
        english[t] = p->foreign &&
                     smtpc_comparison_fell_back(
                         cmp, side ? SMTPC_FELL_BACK_TEXT_B : SMTPC_FELL_BACK_TEXT_A, (size_t)t);
    }
}

static void layout_comparison(struct page *p, const void *subject)
{
    const smtpc_comparison *cmp = subject;
    const char *labels[SMTPC_LABEL_COUNT];
    int label_english[SMTPC_LABEL_COUNT];
    comparison_labels(p->foreign, cmp, labels, label_english);
    smtpc_page_begin(p, "comparison");
    smtpc_page_english(p, smtpc_comparison_fell_back(cmp, SMTPC_PART_TITLE, 0));
    smtpc_block_title(p, smtpc_comparison_part(cmp, SMTPC_PART_TITLE));
    if (p->format != SMTPC_FORMAT_HTML)
        smtpc_buf_putc(p->b, '\n');
    smtpc_page_english(p, smtpc_comparison_fell_back(cmp, SMTPC_PART_INTRO, 0));
    smtpc_block_paragraph(p, smtpc_comparison_part(cmp, SMTPC_PART_INTRO));
    for (int side = 0; side < 2; side++) {
        const char *texts[SMTPC_TEXT_COUNT];
        int english[SMTPC_TEXT_COUNT];
        side_texts(p, cmp, side, texts, english);
        /* "421 Service Not Available", escaped a part at a time: a space needs no escape */
        smtpc_page_english(p, english[SMTPC_TEXT_NAME]);
        smtpc_heading_begin(p, 2);
        smtpc_put_text(p, smtpc_comparison_code(cmp, side));
        smtpc_buf_putc(p->b, ' ');
        smtpc_put_text(p, texts[SMTPC_TEXT_NAME]);
        smtpc_heading_end(p, 2);
        put_code_sections(p, labels, label_english, texts, english);
    }
    smtpc_page_english(p, label_english[SMTPC_LABEL_DIFFERENCES]);
    smtpc_block_heading(p, labels[SMTPC_LABEL_DIFFERENCES], 2);
    smtpc_block_list_begin(p, 1);
    for (size_t i = 0; i < smtpc_comparison_difference_count(cmp); i++) {
        smtpc_page_english(p, smtpc_comparison_fell_back(cmp, SMTPC_FELL_BACK_DIFFERENCE, i));
        smtpc_block_list_item(p, 1, smtpc_comparison_difference(cmp, i));
    }
    smtpc_block_list_end(p, 1);
    smtpc_page_english(p, label_english[SMTPC_LABEL_USAGE]);
    smtpc_block_heading(p, labels[SMTPC_LABEL_USAGE], 2);
    smtpc_page_english(p, smtpc_comparison_fell_back(cmp, SMTPC_PART_USAGE, 0));
    smtpc_block_paragraph(p, smtpc_comparison_part(cmp, SMTPC_PART_USAGE));
    smtpc_page_english(p, label_english[SMTPC_LABEL_LEARN_MORE]);
    smtpc_block_heading(p, labels[SMTPC_LABEL_LEARN_MORE], 2);
    smtpc_block_list_begin(p, 0);
    struct smtpc_words w;
    smtpc_words_init(&w, smtpc_comparison_db(cmp), smtpc_comparison_language(cmp));
    for (size_t i = 0; i < smtpc_comparison_reference_count(cmp); i++)
        smtpc_block_reference(p, &w, smtpc_comparison_reference(cmp, i));
    smtpc_block_list_end(p, 0);
    smtpc_page_end(p);
}

/* Every fact of an entry as the members of a JSON object (without its braces), written as
 * `code`, which keeps a class digit the user gave. The members and their order are those of
 * docs/schema/smtpcodes.schema.json ($defs/code_facts). */
/* The providers' own meanings of the standard entry `e` written as `code`: of that class, or
 * of each class the entry is meant for when `code` has none. Up to `cap` entries go to `out`,
 * without repeats; returns how many. */
static size_t provider_meanings(const smtpc_entry **out, size_t cap, const smtpc_db *db,
                                const smtpc_entry *e, const smtpc_code *code)
{
    size_t n = 0;
    if (e->provider[0] != '\0' || e->parsed.kind != SMTPC_KIND_ENHANCED)
        return 0;
    for (const char *c = e->classes; *c != '\0' && n < cap; c++) {
        int klass = code->klass != 0 ? code->klass : *c - '0';
        if (*c == ' ' || (code->klass != 0 && c != e->classes))
            continue;
        char text[SMTPC_CODE_TEXT_SIZE];
        smtpc_code as_class = e->parsed;
        as_class.klass = klass;
        smtpc_code_format(text, &as_class);
        const smtpc_entry *found[8];
        size_t k = smtpc_provider_meanings(found, 8, db, text, strlen(text));
        for (size_t i = 0; i < k && i < 8 && n < cap; i++) {
            size_t j = 0;
            while (j < n && out[j] != found[i])
                j++;
            if (j == n)
                out[n++] = found[i];
        }
    }
    return n;
}

/* The provider of a provider's entry, by name, for its page. */
static const char *provider_name(const smtpc_db *db, const smtpc_entry *e)
{
    const smtpc_provider *p = smtpc_provider_find(db, e->provider);
    return p != NULL ? p->name : e->provider;
}

/* Where the JSON of an entry is written: the words of its document, the marks of the members
 * that fell back to English, and the JSON Pointer of the entry's object ("/codes/0", ""). */
struct json_entry_at {
    struct smtpc_words *w;
    struct smtpc_marks *marks;
    const char *pointer;
};

/* Member `key` holding `value` from the words, marked when it fell back to English. */
static void put_json_said(struct smtpc_buf *b, const struct json_entry_at *at, const char *key,
                          const char *value)
{
    smtpc_mark(at->marks, at->w->fell_back, "%s/%s", at->pointer, key);
    at->w->fell_back = 0;
    smtpc_json_field(b, key, value, 0);
}

static void put_json_provider(struct smtpc_buf *b, const struct json_entry_at *at,
                              const smtpc_entry *e, const smtpc_code *code)
{
    const smtpc_db *db = at->w->db;
    if (e->provider[0] == '\0')
        smtpc_buf_puts(b, ",\"provider\":null");
    else
        smtpc_json_field(b, "provider", e->provider, 0);
    const smtpc_entry *meanings[16];
    size_t n = provider_meanings(meanings, 16, db, e, code);
    smtpc_json_key(b, "provider_meanings", 0);
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        smtpc_buf_puts(b, i == 0 ? "{" : ",{");
        smtpc_json_field(b, "provider", meanings[i]->provider, 1);
        smtpc_json_field(b, "provider_name", provider_name(db, meanings[i]), 0);
        smtpc_json_field(b, "entry", meanings[i]->code, 0);
        at->w->fell_back = 0;
        const char *name = smtpc_say_entry(at->w, meanings[i], SMTPC_TEXT_NAME);
        smtpc_mark(at->marks, at->w->fell_back, "%s/provider_meanings/%zu/name", at->pointer, i);
        smtpc_json_field(b, "name", name, 0);
        smtpc_json_field(b, "slug", meanings[i]->slug, 0);
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_putc(b, ']');
}

/* The name of the class of `code` as written ("Transient Negative"), in the words' language. */
static const char *class_name(struct smtpc_words *w, const smtpc_code *code)
{
    if (code->kind != SMTPC_KIND_BASIC && code->klass == 0)
        return "";
    const smtpc_group *g = smtpc_group_find(w->db, SMTPC_GROUP_CLASS, code->klass);
    return smtpc_say_group(w, SMTPC_GROUP_CLASS, g,
                           code->kind == SMTPC_KIND_BASIC ? SMTPC_GROUP_NAME
                                                          : SMTPC_GROUP_ALT_NAME);
}

static const char *category_name(struct smtpc_words *w, const smtpc_code *code)
{
    int kind = code->kind == SMTPC_KIND_BASIC ? SMTPC_GROUP_CATEGORY : SMTPC_GROUP_SUBJECT;
    return smtpc_say_group(w, kind, smtpc_group_find(w->db, kind, code->category),
                           SMTPC_GROUP_NAME);
}

static void put_json_entry_members(struct smtpc_buf *b, const struct json_entry_at *at,
                                   const smtpc_entry *e, const smtpc_code *code,
                                   const char *code_text)
{
    struct smtpc_words *w = at->w;
    smtpc_json_field(b, "code", code_text, 1);
    smtpc_json_field(b, "entry", e->code, 0);
    smtpc_json_field(b, "kind", smtpc_enum_name(SMTPC_ENUM_KIND, e->parsed.kind), 0);
    w->fell_back = 0;
    put_json_said(b, at, "name", smtpc_say_entry(w, e, SMTPC_TEXT_NAME));
    const char *aliases = smtpc_say_entry(w, e, SMTPC_TEXT_ALIASES);
    smtpc_mark(at->marks, w->fell_back, "%s/aliases", at->pointer);
    w->fell_back = 0;
    smtpc_json_list(b, "aliases", aliases, "; ");
    smtpc_json_field(b, "slug", e->slug, 0);
    smtpc_buf_printf(b, ",\"class\":%d", code->klass);
    put_json_said(b, at, "class_name", class_name(w, code));
    smtpc_buf_printf(b, ",\"category\":%d", code->category);
    put_json_said(b, at, "category_name", category_name(w, code));
    smtpc_buf_printf(b, ",\"detail\":%d,\"conforming\":%s", code->detail,
                     code->conforming ? "true" : "false");
    smtpc_json_key(b, "classes", 0);
    smtpc_buf_putc(b, '[');
    for (const char *c = e->classes; *c != '\0'; c++) {
        if (*c != ' ')
            smtpc_buf_printf(b, "%s%c", c == e->classes ? "" : ",", *c);
    }
    smtpc_buf_putc(b, ']');
    smtpc_json_field(b, "origin", smtpc_enum_name(SMTPC_ENUM_ORIGIN, e->origin), 0);
    put_json_said(b, at, "description", smtpc_say_entry(w, e, SMTPC_TEXT_DESCRIPTION));
    put_json_said(b, at, "when", smtpc_say_entry(w, e, SMTPC_TEXT_WHEN));
    put_json_said(b, at, "fix", smtpc_say_entry(w, e, SMTPC_TEXT_FIX));
    smtpc_json_field(b, "retry",
                   smtpc_enum_name(SMTPC_ENUM_RETRY, smtpc_entry_retry(e, code->klass)), 0);
    if (e->connection == SMTPC_CONNECTION_UNSPECIFIED)
        smtpc_buf_puts(b, ",\"connection\":null");
    else
        smtpc_json_field(b, "connection", smtpc_enum_name(SMTPC_ENUM_CONNECTION, e->connection),
                       0);
    smtpc_json_list(b, "commands", e->commands, " ");
    smtpc_json_list(b, "enhanced", e->enhanced, " ");
    smtpc_json_field(b, "sample", e->sample, 0);
    smtpc_json_field(b, "associated", e->associated, 0);
    smtpc_json_field(b, "see", e->see, 0);
    put_json_said(b, at, "note", smtpc_say_entry(w, e, SMTPC_TEXT_NOTE));
    smtpc_json_list(b, "exceptions", e->exceptions, "\n");
    smtpc_json_references(b, "references", e->references);
    put_json_provider(b, at, e, code);
}

static void put_json_labels(struct smtpc_buf *b, const char *const *labels,
                            const int *english, struct smtpc_marks *marks)
{
    static const char *const keys[SMTPC_LABEL_COUNT] = {
        "description", "when", "fix", "differences", "usage", "learn_more"};
    smtpc_json_key(b, "labels", 0);
    smtpc_buf_putc(b, '{');
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++) {
        smtpc_mark(marks, english[i], "/labels/%s", keys[i]);
        smtpc_json_field(b, keys[i], labels[i], i == 0);
    }
    smtpc_buf_putc(b, '}');
}

/* The JSON of the comparison, whose members that fell back to English go to `marks`. */
static void json_comparison_marked(struct smtpc_buf *b, const smtpc_comparison *cmp,
                                   struct smtpc_marks *marks)
{
    const struct smtpc_language *lang = smtpc_comparison_language(cmp);
    const char *labels[SMTPC_LABEL_COUNT];
    int label_english[SMTPC_LABEL_COUNT];
    comparison_labels(1, cmp, labels, label_english);
    struct smtpc_words w;
    smtpc_words_init(&w, smtpc_comparison_db(cmp), lang);
    smtpc_buf_putc(b, '{');
    smtpc_mark(marks, smtpc_comparison_fell_back(cmp, SMTPC_PART_TITLE, 0), "/title");
    smtpc_json_field(b, "title", smtpc_comparison_part(cmp, SMTPC_PART_TITLE), 1);
    smtpc_mark(marks, smtpc_comparison_fell_back(cmp, SMTPC_PART_INTRO, 0), "/intro");
    smtpc_json_field(b, "intro", smtpc_comparison_part(cmp, SMTPC_PART_INTRO), 0);
    put_json_labels(b, labels, label_english, marks);
    smtpc_json_key(b, "codes", 0);
    smtpc_buf_putc(b, '[');
    for (int side = 0; side < 2; side++) {
        char pointer[16];
        snprintf(pointer, sizeof pointer, "/codes/%d", side);
        const struct json_entry_at at = {&w, marks, pointer};
        smtpc_buf_puts(b, side ? ",{" : "{");
        put_json_entry_members(b, &at, smtpc_comparison_entry(cmp, side),
                               smtpc_comparison_parsed(cmp, side),
                               smtpc_comparison_code(cmp, side));
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_putc(b, ']');
    smtpc_json_key(b, "differences", 0);
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < smtpc_comparison_difference_count(cmp); i++) {
        smtpc_buf_puts(b, i ? ",{" : "{");
        smtpc_json_field(b, "kind", smtpc_comparison_difference_kind(cmp, i), 1);
        smtpc_mark(marks, smtpc_comparison_fell_back(cmp, SMTPC_FELL_BACK_DIFFERENCE, i),
                   "/differences/%zu/text", i);
        smtpc_json_field(b, "text", smtpc_comparison_difference(cmp, i), 0);
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_putc(b, ']');
    smtpc_mark(marks, smtpc_comparison_fell_back(cmp, SMTPC_PART_USAGE, 0), "/usage");
    smtpc_json_field(b, "usage", smtpc_comparison_part(cmp, SMTPC_PART_USAGE), 0);
    smtpc_json_key(b, "learn_more", 0);
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < smtpc_comparison_reference_count(cmp); i++)
        smtpc_json_reference(b, smtpc_comparison_reference(cmp, i), i == 0);
    smtpc_buf_putc(b, ']');
    smtpc_json_language(b, lang->tag, marks);
    smtpc_buf_puts(b, "}\n");
}

static void json_comparison(struct smtpc_buf *b, const void *subject)
{
    const smtpc_comparison *cmp = subject;
    struct smtpc_marks marks;
    smtpc_marks_init(&marks, smtpc_comparison_language(cmp)->tag);
    json_comparison_marked(b, cmp, &marks);
    smtpc_marks_free(&marks);
}

int smtpc_comparison_fallbacks(char **out, size_t *out_len, const smtpc_comparison *cmp,
                               smtpc_error *err)
{
    if (out == NULL || cmp == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    struct smtpc_marks marks;
    smtpc_marks_init(&marks, smtpc_comparison_language(cmp)->tag);
    struct smtpc_buf json, list;
    smtpc_buf_init(&json);
    smtpc_buf_init(&list);
    json_comparison_marked(&json, cmp, &marks);
    const char *pointer = marks.pointers.data;
    for (size_t i = 0; i < marks.n && !marks.pointers.failed; i++) {
        smtpc_buf_printf(&list, "%s\n", pointer);
        pointer += strlen(pointer) + 1;
    }
    list.failed |= json.failed | marks.pointers.failed;
    smtpc_buf_putc(&list, '\0'); /* "" when nothing fell back */
    list.len--;
    smtpc_buf_free(&json);
    smtpc_marks_free(&marks);
    *out = smtpc_buf_take(&list, out_len);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}



int smtpc_render_comparison(char **out, size_t *out_len, const smtpc_comparison *cmp,
                            int format, smtpc_error *err)
{
    if (out == NULL || cmp == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    const struct smtpc_language *lang = smtpc_comparison_language(cmp);
    struct drawing d = {json_comparison, layout_comparison, cmp, lang->tag, lang->direction};
    return smtpc_draw(out, out_len, &d, format, err);
}

/* ---- the entry page ---- */

/* Whether the space- or comma-separated `list` holds the token `word`. */
static int list_has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *s = strstr(list, word); s != NULL; s = strstr(s + 1, word)) {
        int starts = s == list || strchr(" ,/", s[-1]) != NULL;
        int ends = s[n] == '\0' || strchr(" ,/", s[n]) != NULL;
        if (starts && ends)
            return 1;
    }
    return 0;
}

/* The registered enhanced codes whose registry row names basic code `e` (RFC 3463 section 3
 * and the IANA registry's "associated basic status code" column), as "X.1.1, X.7.1": separated
 * as the words' language separates list items, or by ", " without words (JSON). */
static void put_registry_companions(struct smtpc_buf *b, struct smtpc_words *w, const smtpc_db *db,
                                    const smtpc_entry *e)
{
    int first = 1;
    for (size_t i = 0; i < db->n_entries; i++) {
        const smtpc_entry *other = &db->entries[i];
        if (other->parsed.kind == SMTPC_KIND_ENHANCED && list_has_word(other->associated, e->code)) {
            if (!first && w != NULL)
                smtpc_put_item_separator(b, w);
            else if (!first)
                smtpc_buf_puts(b, ", ");
            smtpc_buf_puts(b, other->code);
            first = 0;
        }
    }
}

/* The retry advice of `e` written as `code`; an enhanced code written without its class and
 * meant for both failure classes gives each class's advice. */
static void put_retry_fact(struct smtpc_buf *b, struct smtpc_words *w, const smtpc_entry *e,
                           const smtpc_code *code)
{
    int both = strchr(e->classes, '4') != NULL && strchr(e->classes, '5') != NULL;
    if (code->kind != SMTPC_KIND_ENHANCED || code->klass != 0 || !both) {
        smtpc_buf_puts(b, smtpc_retry_phrase(w, smtpc_entry_retry(e, code->klass)));
        return;
    }
    const struct smtpc_arg args[] = {
        {"transient", smtpc_retry_phrase(w, smtpc_entry_retry(e, 4))},
        {"permanent", smtpc_retry_phrase(w, smtpc_entry_retry(e, 5))}};
    smtpc_put_template(b, w, SMTPC_T_RETRY_BY_CLASS, args, 2);
}

/* "Gmail: 5.7.26 Unauthenticated Email; Microsoft 365 and Outlook.com: ..." */
static void put_provider_meanings(struct smtpc_buf *v, struct smtpc_words *w,
                                  const smtpc_entry *e, const smtpc_code *code)
{
    const smtpc_entry *meanings[16];
    size_t n = provider_meanings(meanings, 16, w->db, e, code);
    for (size_t i = 0; i < n; i++)
        smtpc_buf_printf(v, "%s%s: %s %s", i == 0 ? "" : "; ", provider_name(w->db, meanings[i]),
                         meanings[i]->code, smtpc_say_entry(w, meanings[i], SMTPC_TEXT_NAME));
}

/* The class of `e` written as `code`: of that class, or of each class the entry is meant for. */
static void put_class_fact(struct smtpc_buf *v, struct smtpc_words *w, const smtpc_entry *e,
                           const smtpc_code *code)
{
    if (code->klass != 0) {
        smtpc_put_class_label(v, w, code);
        return;
    }
    for (const char *c = e->classes; *c != '\0'; c++) {
        if (*c == ' ')
            continue;
        smtpc_code as_class = e->parsed;
        as_class.klass = *c - '0';
        if (c != e->classes)
            smtpc_put_item_separator(v, w);
        smtpc_put_class_label(v, w, &as_class);
    }
}

/* The facts of `e` written as `code`, which keeps a class digit the user gave. */
static void put_entry_facts(struct page *p, struct smtpc_words *w, const smtpc_entry *e,
                            const smtpc_code *code)
{
    const smtpc_db *db = w->db;
    struct smtpc_buf v;
    smtpc_block_facts_begin(p);
    w->fell_back = 0;
    if (e->aliases[0] != '\0')
        smtpc_block_fact_in(p, w, SMTPC_T_FACT_ALIASES, smtpc_say_entry(w, e, SMTPC_TEXT_ALIASES));
    smtpc_buf_init(&v);
    put_class_fact(&v, w, e, code);
    smtpc_block_fact_built_in(p, w, SMTPC_T_FACT_CLASS, &v);
    smtpc_buf_init(&v);
    smtpc_put_group_label(&v, w, &e->parsed, 0);
    smtpc_block_fact_built_in(p, w,
                   e->parsed.kind == SMTPC_KIND_BASIC ? SMTPC_T_FACT_CATEGORY
                                                      : SMTPC_T_FACT_SUBJECT,
                   &v);
    smtpc_block_fact_in(p, w, SMTPC_T_FACT_ORIGIN, smtpc_origin_phrase(w, e->origin, 1));
    if (e->provider[0] != '\0')
        smtpc_block_fact_in(p, w, SMTPC_T_FACT_PROVIDER, provider_name(db, e));
    if (e->sample[0] != '\0')
        smtpc_block_fact_in(p, w,
                 e->provider[0] != '\0' ? SMTPC_T_FACT_PROVIDER_TEXT : SMTPC_T_FACT_REGISTRY_TEXT,
                 e->sample);
    if (e->associated[0] != '\0')
        smtpc_block_fact_in(p, w, SMTPC_T_FACT_ASSOCIATED, e->associated);
    smtpc_buf_init(&v);
    put_retry_fact(&v, w, e, code);
    smtpc_block_fact_built_in(p, w, SMTPC_T_FACT_RETRY, &v);
    if (e->connection != SMTPC_CONNECTION_UNSPECIFIED)
        smtpc_block_fact_in(p, w, SMTPC_T_FACT_CONNECTION, smtpc_connection_phrase(w, e->connection));
    smtpc_buf_init(&v);
    smtpc_put_commands(&v, w, e->commands);
    smtpc_block_fact_built_in(p, w, SMTPC_T_FACT_ANSWERS, &v);
    if (e->enhanced[0] != '\0')
        smtpc_block_fact_in(p, w, SMTPC_T_FACT_ENHANCED, e->enhanced);
    if (e->parsed.kind == SMTPC_KIND_BASIC) {
        smtpc_buf_init(&v);
        put_registry_companions(&v, w, db, e);
        smtpc_block_fact_built_in(p, w, SMTPC_T_FACT_REGISTERED, &v);
    }
    if (e->see[0] != '\0')
        smtpc_block_fact_in(p, w, SMTPC_T_FACT_SEE, e->see);
    smtpc_buf_init(&v);
    put_provider_meanings(&v, w, e, code);
    smtpc_block_fact_built_in(p, w, SMTPC_T_FACT_PROVIDER_MEANINGS, &v);
    if (e->note[0] != '\0')
        smtpc_block_fact_in(p, w, SMTPC_T_FACT_NOTE, smtpc_say_entry(w, e, SMTPC_TEXT_NOTE));
    smtpc_block_facts_end(p);
}

/* An entry page: the entry, the code as written and its text, the database, and the
 * page's language. */
struct entry_page {
    const smtpc_db *db;
    const smtpc_entry *e;
    smtpc_code code;
    char code_text[SMTPC_CODE_TEXT_SIZE];
    int exact;
    const struct smtpc_language *lang;
};

/* "SMTP 421 Service Not Available" in the words' language. */
static void put_entry_title(struct smtpc_buf *b, struct smtpc_words *w,
                            const struct entry_page *page)
{
    const struct smtpc_arg args[] = {{"code", page->code_text},
                                     {"name", smtpc_say_entry(w, page->e, SMTPC_TEXT_NAME)}};
    smtpc_put_template(b, w, SMTPC_T_ENTRY_TITLE, args, 2);
}

/* The six labels in the words' language, and which fell back to English. */
static void say_labels(struct smtpc_words *w, const char **labels, int *english)
{
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++) {
        w->fell_back = 0;
        size_t id = SMTPC_MESSAGE_LABELS + (size_t)i;
        labels[i] = smtpc_say(w, id, smtpc_message_english(w->db, id));
        english[i] = w->fell_back;
    }
}

static void layout_entry(struct page *p, const void *subject)
{
    const struct entry_page *page = subject;
    const smtpc_entry *e = page->e;
    struct smtpc_words w;
    smtpc_words_init(&w, page->db, page->lang);
    struct smtpc_buf title;
    smtpc_buf_init(&title);
    put_entry_title(&title, &w, page);
    smtpc_page_begin(p, "entry");
    smtpc_page_english(p, w.fell_back);
    smtpc_block_title(p, title.failed ? e->name : title.data);
    smtpc_buf_free(&title);
    put_entry_facts(p, &w, e, &page->code);
    const char *labels[SMTPC_LABEL_COUNT];
    int label_english[SMTPC_LABEL_COUNT];
    say_labels(&w, labels, label_english);
    const char *texts[SMTPC_TEXT_COUNT];
    int text_english[SMTPC_TEXT_COUNT];
    for (int t = 0; t < SMTPC_TEXT_COUNT; t++) {
        w.fell_back = 0;
        texts[t] = smtpc_say_entry(&w, e, t);
        text_english[t] = w.fell_back;
    }
    put_code_sections(p, labels, label_english, texts, text_english);
    smtpc_page_english(p, label_english[SMTPC_LABEL_LEARN_MORE]);
    smtpc_block_heading(p, labels[SMTPC_LABEL_LEARN_MORE], 2);
    smtpc_block_list_begin(p, 0);
    for (const char *s = e->references; *s != '\0';) {
        size_t len = smtpc_list_item_len(s, "; ", 2);
        struct smtpc_buf ref;
        smtpc_buf_init(&ref);
        smtpc_buf_append(&ref, s, len);
        if (ref.failed)
            p->b->failed = 1;
        else
            smtpc_block_reference(p, &w, ref.data);
        smtpc_buf_free(&ref);
        s = smtpc_list_next(s, len, 2);
    }
    smtpc_block_list_end(p, 0);
    smtpc_page_end(p);
}

static void json_entry(struct smtpc_buf *b, const void *subject)
{
    const struct entry_page *page = subject;
    const smtpc_db *db = page->db;
    const smtpc_entry *e = page->e;
    struct smtpc_words w;
    smtpc_words_init(&w, db, page->lang);
    struct smtpc_marks marks;
    smtpc_marks_init(&marks, page->lang->tag);
    const struct json_entry_at at = {&w, &marks, ""};
    /* the entry's own fields, then what the page adds: labels and registry companions */
    smtpc_buf_putc(b, '{');
    put_json_entry_members(b, &at, e, &page->code, page->code_text);
    smtpc_json_key(b, "exact", 0);
    smtpc_buf_puts(b, page->exact ? "true" : "false");
    struct smtpc_buf title;
    smtpc_buf_init(&title);
    w.fell_back = 0;
    put_entry_title(&title, &w, page);
    smtpc_mark(&marks, w.fell_back, "/title");
    smtpc_json_field(b, "title", title.failed ? "" : title.data, 0);
    b->failed |= title.failed;
    smtpc_buf_free(&title);
    const char *labels[SMTPC_LABEL_COUNT];
    int label_english[SMTPC_LABEL_COUNT];
    say_labels(&w, labels, label_english);
    struct smtpc_buf labels_json;
    smtpc_buf_init(&labels_json);
    put_json_labels(&labels_json, labels, label_english, &marks);
    smtpc_json_language(b, page->lang->tag, &marks);
    smtpc_buf_append(b, labels_json.data != NULL ? labels_json.data : "", labels_json.len);
    b->failed |= labels_json.failed;
    smtpc_buf_free(&labels_json);
    smtpc_marks_free(&marks);
    struct smtpc_buf v;
    smtpc_buf_init(&v);
    if (e->parsed.kind == SMTPC_KIND_BASIC)
        put_registry_companions(&v, NULL, db, e);
    smtpc_json_list(b, "registered_enhanced", v.failed ? "" : (v.data ? v.data : ""), ", ");
    smtpc_buf_free(&v);
    smtpc_buf_puts(b, "}\n");
}

int smtpc_render_code(char **out, size_t *out_len, const smtpc_db *db, const char *code,
                      size_t code_len, const char *lang, size_t lang_len, int format,
                      smtpc_error *err)
{
    return smtpc_render_code_provider(out, out_len, db, NULL, code, code_len, lang, lang_len,
                                      format, err);
}

int smtpc_render_code_provider(char **out, size_t *out_len, const smtpc_db *db,
                               const char *provider, const char *code, size_t code_len,
                               const char *lang, size_t lang_len, int format, smtpc_error *err)
{
    if (out == NULL || db == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    const smtpc_provider *p;
    int rc = smtpc_provider_argument(&p, db, provider, err);
    if (rc != 0)
        return rc;
    struct entry_page page;
    smtpc_code written;
    int parsed = smtpc_code_parse(&written, code, code_len, NULL) == 0;
    /* The provider's own meaning first (smtpc_lookup_provider()), else the entry that
     * smtpc_lookup_closest() finds. */
    page.e = p != NULL && parsed ? smtpc_find_provider_code(db, p, &written) : NULL;
    page.exact = 1;
    if (page.e == NULL) {
        rc = smtpc_lookup_closest(&page.e, &page.exact, db, code, code_len, err);
        if (rc != 0)
            return rc;
    }
    /* The code as written when its entry describes it: "4.7.1" for X.7.1, "4.7.650" for a
     * provider's range 4.7.500-699; else the closest entry with the class digit as written,
     * "5.7.0" for an unregistered "5.7.99". */
    if (page.exact) {
        page.code = written;
    } else {
        page.code = page.e->parsed;
        if (written.kind == SMTPC_KIND_ENHANCED)
            page.code.klass = written.klass;
    }
    smtpc_code_format(page.code_text, &page.code);
    page.db = db;
    page.lang = smtpc_language_require(db, lang, lang_len, err);
    if (page.lang == NULL)
        return SMTPC_ELANG;
    struct drawing d = {json_entry, layout_entry, &page, page.lang->tag, page.lang->direction};
    return smtpc_draw(out, out_len, &d, format, err);
}

/* ---- the table of codes ---- */

static int entry_in_class(const smtpc_entry *e, int klass)
{
    if (klass == 0)
        return 1;
    return strchr(e->classes, '0' + klass) != NULL;
}

/* The columns of the text table of codes: code, name, class, origin. */
static const struct smtpc_column table_columns[4] = {{7, 2, 0}, {45, 2, 0}, {40, 2, 0}, {0, 0, 0}};

static void table_row(struct page *p, struct smtpc_words *w, const smtpc_entry *e, int header)
{
    struct smtpc_buf cls;
    smtpc_buf_init(&cls);
    if (!header)
        smtpc_put_class_label(&cls, w, &e->parsed);
    const char *cells[4] = {
        header ? smtpc_say_template(w, SMTPC_T_COLUMN_CODE) : e->code,
        header ? smtpc_say_template(w, SMTPC_T_COLUMN_NAME) : smtpc_say_entry(w, e, SMTPC_TEXT_NAME),
        header ? smtpc_say_template(w, SMTPC_T_COLUMN_CLASS) : (cls.failed ? "" : cls.data),
        header ? smtpc_say_template(w, SMTPC_T_COLUMN_ORIGIN)
               : smtpc_enum_name(SMTPC_ENUM_ORIGIN, e->origin)};
    struct smtpc_buf *b = p->b;
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN:
        for (int i = 0; i < 4; i++) {
            smtpc_buf_puts(b, "| ");
            smtpc_put_text(p, cells[i]);
            smtpc_buf_putc(b, ' ');
        }
        smtpc_buf_puts(b, header ? "|\n|---|---|---|---|\n" : "|\n");
        break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_puts(b, "<tr>");
        for (int i = 0; i < 4; i++) {
            smtpc_buf_puts(b, header ? "<th style=\"text-align: left\">" : "<td>");
            smtpc_put_text(p, cells[i]);
            smtpc_buf_puts(b, header ? "</th>" : "</td>");
        }
        smtpc_buf_puts(b, "</tr>\n");
        break;
    default:
        smtpc_put_row(b, table_columns, 4, cells);
        break;
    }
    if (cls.failed)
        b->failed = 1;
    smtpc_buf_free(&cls);
}

/* The entries of one class and kind (0 for all), in one language. */
struct table_page {
    const smtpc_db *db;
    int klass;
    int kind;
    const struct smtpc_language *lang;
};

static int in_table(const struct table_page *t, const smtpc_entry *e)
{
    return (t->kind == 0 || e->parsed.kind == t->kind) && entry_in_class(e, t->klass);
}

static void layout_table(struct page *p, const void *subject)
{
    const struct table_page *t = subject;
    struct smtpc_words w;
    smtpc_words_init(&w, t->db, t->lang);
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "<table class=\"smtpcodes smtpcodes-table\">\n");
    table_row(p, &w, NULL, 1);
    for (size_t i = 0; i < t->db->n_entries; i++) {
        if (in_table(t, &t->db->entries[i]))
            table_row(p, &w, &t->db->entries[i], 0);
    }
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "</table>\n");
}

static void json_table(struct smtpc_buf *b, const void *subject)
{
    const struct table_page *t = subject;
    const smtpc_db *db = t->db;
    int first = 1;
    /* the table is English, and so marks nothing */
    struct smtpc_words w;
    smtpc_words_init(&w, db, smtpc_language_find(db, "en", 2));
    struct smtpc_marks marks;
    smtpc_marks_init(&marks, "en");
    const struct json_entry_at at = {&w, &marks, ""};
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < db->n_entries; i++) {
        const smtpc_entry *e = &db->entries[i];
        if (!in_table(t, e))
            continue;
        smtpc_buf_puts(b, first ? "{" : ",{");
        put_json_entry_members(b, &at, e, &e->parsed, e->code);
        smtpc_buf_putc(b, '}');
        first = 0;
    }
    smtpc_marks_free(&marks);
    smtpc_buf_puts(b, "]\n");
}

int smtpc_render_table(char **out, size_t *out_len, const smtpc_db *db, int klass, int kind,
                       int format, smtpc_error *err)
{
    return smtpc_render_table_in(out, out_len, db, klass, kind, NULL, 0, format, err);
}

int smtpc_render_table_in(char **out, size_t *out_len, const smtpc_db *db, int klass, int kind,
                          const char *lang, size_t lang_len, int format, smtpc_error *err)
{
    if (out == NULL || db == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    if (klass != 0 && (klass < 2 || klass > 5))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "class %d: expected 2 to 5", klass);
    if (kind != 0 && kind != SMTPC_KIND_BASIC && kind != SMTPC_KIND_ENHANCED)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "unknown kind %d", kind);
    const struct smtpc_language *language = smtpc_language_require(db, lang, lang_len, err);
    if (language == NULL)
        return SMTPC_ELANG;
    struct table_page t = {db, klass, kind, language};
    /* the JSON table is data, in English; the pages are in the language */
    struct drawing d = {json_table, layout_table, &t, language->tag, language->direction};
    return smtpc_draw(out, out_len, &d, format, err);
}

/* ---- the languages ---- */

/* "vi (Tiếng Việt): 100%": a language with how much of the database it says in its own words;
 * a part done rounds down, so that only a complete language shows 100%. */
static void put_language_item(struct smtpc_buf *b, const smtpc_db *db,
                              const struct smtpc_language *l, const char *name_sep,
                              const char *percent_sep)
{
    size_t translated = 0, total = 0;
    smtpc_language_completeness(&translated, &total, db, l->tag, strlen(l->tag), NULL);
    smtpc_buf_printf(b, "%s%s%s%s%zu%%", l->tag, name_sep, l->name, percent_sep,
                     total == 0 ? 100 : translated * 100 / total);
}

static void layout_languages(struct page *p, const void *subject)
{
    const smtpc_db *db = subject;
    if (p->format == SMTPC_FORMAT_TEXT) {
        /* tab-separated: tag, name, completeness */
        for (size_t i = 0; i < db->n_languages; i++) {
            put_language_item(p->b, db, &db->languages[i], "\t", "\t");
            smtpc_buf_putc(p->b, '\n');
        }
        return;
    }
    smtpc_block_list_begin(p, 0);
    for (size_t i = 0; i < db->n_languages; i++) {
        struct smtpc_buf item;
        smtpc_buf_init(&item);
        put_language_item(&item, db, &db->languages[i], " (", "): ");
        if (item.failed)
            p->b->failed = 1;
        else
            smtpc_block_list_item(p, 0, item.data);
        smtpc_buf_free(&item);
    }
    smtpc_block_list_end(p, 0);
}

static void json_languages(struct smtpc_buf *b, const void *subject)
{
    const smtpc_db *db = subject;
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < db->n_languages; i++) {
        const struct smtpc_language *l = &db->languages[i];
        size_t translated = 0, total = 0;
        smtpc_language_completeness(&translated, &total, db, l->tag, strlen(l->tag), NULL);
        smtpc_buf_puts(b, i ? ",{" : "{");
        smtpc_json_field(b, "tag", l->tag, 1);
        smtpc_json_field(b, "name", l->name, 0);
        smtpc_json_field(b, "direction", smtpc_enum_name(SMTPC_ENUM_DIRECTION, l->direction), 0);
        smtpc_buf_printf(b, ",\"translated\":%zu,\"total\":%zu}", translated, total);
    }
    smtpc_buf_puts(b, "]\n");
}

int smtpc_render_languages(char **out, size_t *out_len, const smtpc_db *db, int format,
                           smtpc_error *err)
{
    if (out == NULL || db == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    struct drawing d = {json_languages, layout_languages, db, "en", SMTPC_DIRECTION_LTR};
    return smtpc_draw(out, out_len, &d, format, err);
}
