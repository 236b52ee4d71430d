/*
 * render_pages.c - the documents about codes: the comparison page, the page of one code, the
 * table of codes and the list of languages, each as text, Markdown, HTML and JSON.
 */
#include "render.h"

#include <stdio.h>
#include <string.h>

/* The three sections that every code has: description, when, fix. */
static void put_code_sections(struct page *p, const char *const *labels, const smtpc_entry *e)
{
    smtpc_block_heading(p, labels[SMTPC_LABEL_DESCRIPTION], 3, 1);
    smtpc_block_paragraph(p, e->description);
    smtpc_block_heading(p, labels[SMTPC_LABEL_WHEN], 3, 1);
    smtpc_block_paragraph(p, e->when);
    smtpc_block_heading(p, labels[SMTPC_LABEL_FIX], 3, 1);
    smtpc_block_paragraph(p, e->fix);
}

/* ---- the comparison page ---- */

static void layout_comparison(struct page *p, const void *subject)
{
    const smtpc_comparison *cmp = subject;
    const char *labels[SMTPC_LABEL_COUNT];
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++)
        labels[i] = smtpc_comparison_label(cmp, i);
    smtpc_page_begin(p, "comparison");
    smtpc_block_title(p, smtpc_comparison_part(cmp, SMTPC_PART_TITLE));
    if (p->format != SMTPC_FORMAT_HTML)
        smtpc_buf_putc(p->b, '\n');
    smtpc_block_paragraph(p, smtpc_comparison_part(cmp, SMTPC_PART_INTRO));
    for (int side = 0; side < 2; side++) {
        const smtpc_entry *e = smtpc_comparison_entry(cmp, side);
        /* "421 Service Not Available", escaped a part at a time: a space needs no escape */
        smtpc_heading_begin(p, 2, 0);
        smtpc_put_escaped(p->b, p->format, smtpc_comparison_code(cmp, side));
        smtpc_buf_putc(p->b, ' ');
        smtpc_put_escaped(p->b, p->format, e->name);
        smtpc_heading_end(p, 2);
        put_code_sections(p, labels, e);
    }
    smtpc_block_heading(p, labels[SMTPC_LABEL_DIFFERENCES], 2, 1);
    smtpc_block_list_begin(p, 1);
    for (size_t i = 0; i < smtpc_comparison_difference_count(cmp); i++)
        smtpc_block_list_item(p, 1, smtpc_comparison_difference(cmp, i));
    smtpc_block_list_end(p, 1);
    smtpc_block_heading(p, labels[SMTPC_LABEL_USAGE], 2, 1);
    smtpc_block_paragraph(p, smtpc_comparison_part(cmp, SMTPC_PART_USAGE));
    smtpc_block_heading(p, labels[SMTPC_LABEL_LEARN_MORE], 2, 1);
    smtpc_block_list_begin(p, 0);
    for (size_t i = 0; i < smtpc_comparison_reference_count(cmp); i++)
        smtpc_block_reference(p, smtpc_comparison_reference(cmp, i));
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

static void put_json_provider(struct smtpc_buf *b, const smtpc_db *db, const smtpc_entry *e,
                              const smtpc_code *code)
{
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
        smtpc_json_field(b, "name", meanings[i]->name, 0);
        smtpc_json_field(b, "slug", meanings[i]->slug, 0);
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_putc(b, ']');
}

static void put_json_entry_members(struct smtpc_buf *b, const smtpc_db *db, const smtpc_entry *e,
                                   const smtpc_code *code, const char *code_text)
{
    smtpc_json_field(b, "code", code_text, 1);
    smtpc_json_field(b, "entry", e->code, 0);
    smtpc_json_field(b, "kind", smtpc_enum_name(SMTPC_ENUM_KIND, e->parsed.kind), 0);
    smtpc_json_field(b, "name", e->name, 0);
    smtpc_json_list(b, "aliases", e->aliases, "; ");
    smtpc_json_field(b, "slug", e->slug, 0);
    smtpc_buf_printf(b, ",\"class\":%d", code->klass);
    smtpc_json_field(b, "class_name", smtpc_class_name(db, code), 0);
    smtpc_buf_printf(b, ",\"category\":%d", code->category);
    smtpc_json_field(b, "category_name", smtpc_category_name(db, code), 0);
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
    smtpc_json_field(b, "description", e->description, 0);
    smtpc_json_field(b, "when", e->when, 0);
    smtpc_json_field(b, "fix", e->fix, 0);
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
    smtpc_json_field(b, "note", e->note, 0);
    smtpc_json_list(b, "exceptions", e->exceptions, "\n");
    smtpc_json_references(b, "references", e->references);
    put_json_provider(b, db, e, code);
}

static void put_json_labels(struct smtpc_buf *b, const char *const *labels)
{
    static const char *const keys[SMTPC_LABEL_COUNT] = {
        "description", "when", "fix", "differences", "usage", "learn_more"};
    smtpc_json_key(b, "labels", 0);
    smtpc_buf_putc(b, '{');
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++)
        smtpc_json_field(b, keys[i], labels[i], i == 0);
    smtpc_buf_putc(b, '}');
}

static void json_comparison(struct smtpc_buf *b, const void *subject)
{
    const smtpc_comparison *cmp = subject;
    const char *labels[SMTPC_LABEL_COUNT];
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++)
        labels[i] = smtpc_comparison_label(cmp, i);
    smtpc_buf_putc(b, '{');
    smtpc_json_field(b, "title", smtpc_comparison_part(cmp, SMTPC_PART_TITLE), 1);
    smtpc_json_field(b, "intro", smtpc_comparison_part(cmp, SMTPC_PART_INTRO), 0);
    put_json_labels(b, labels);
    smtpc_json_key(b, "codes", 0);
    smtpc_buf_putc(b, '[');
    for (int side = 0; side < 2; side++) {
        smtpc_buf_puts(b, side ? ",{" : "{");
        put_json_entry_members(b, smtpc_comparison_db(cmp), smtpc_comparison_entry(cmp, side),
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
        smtpc_json_field(b, "text", smtpc_comparison_difference(cmp, i), 0);
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_putc(b, ']');
    smtpc_json_field(b, "usage", smtpc_comparison_part(cmp, SMTPC_PART_USAGE), 0);
    smtpc_json_key(b, "learn_more", 0);
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < smtpc_comparison_reference_count(cmp); i++)
        smtpc_json_reference(b, smtpc_comparison_reference(cmp, i), i == 0);
    smtpc_buf_putc(b, ']');
    smtpc_json_language(b, smtpc_comparison_part(cmp, SMTPC_PART_LANG));
    smtpc_buf_puts(b, "}\n");
}

int smtpc_render_comparison(char **out, size_t *out_len, const smtpc_comparison *cmp,
                            int format, smtpc_error *err)
{
    if (out == NULL || cmp == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    struct drawing d = {json_comparison, layout_comparison, cmp,
                        smtpc_comparison_part(cmp, SMTPC_PART_LANG)};
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
 * and the IANA registry's "associated basic status code" column), as "X.1.1, X.7.1". */
static void put_registry_companions(struct smtpc_buf *b, const smtpc_db *db, const smtpc_entry *e)
{
    int first = 1;
    for (size_t i = 0; i < db->n_entries; i++) {
        const smtpc_entry *other = &db->entries[i];
        if (other->parsed.kind == SMTPC_KIND_ENHANCED && list_has_word(other->associated, e->code)) {
            smtpc_buf_printf(b, "%s%s", first ? "" : ", ", other->code);
            first = 0;
        }
    }
}

/* The retry advice of `e` written as `code`; an enhanced code written without its class and
 * meant for both failure classes gives each class's advice. */
static void put_retry_fact(struct smtpc_buf *b, const smtpc_entry *e, const smtpc_code *code)
{
    int both = strchr(e->classes, '4') != NULL && strchr(e->classes, '5') != NULL;
    if (code->kind != SMTPC_KIND_ENHANCED || code->klass != 0 || !both) {
        smtpc_buf_puts(b, smtpc_retry_phrase(smtpc_entry_retry(e, code->klass)));
        return;
    }
    smtpc_buf_printf(b, "as 4.X.X, %s; as 5.X.X, %s", smtpc_retry_phrase(smtpc_entry_retry(e, 4)),
                     smtpc_retry_phrase(smtpc_entry_retry(e, 5)));
}

/* "Gmail: 5.7.26 Unauthenticated Email; Microsoft 365 and Outlook.com: ..." */
static void put_provider_meanings(struct smtpc_buf *v, const smtpc_db *db, const smtpc_entry *e,
                                  const smtpc_code *code)
{
    const smtpc_entry *meanings[16];
    size_t n = provider_meanings(meanings, 16, db, e, code);
    for (size_t i = 0; i < n; i++)
        smtpc_buf_printf(v, "%s%s: %s %s", i == 0 ? "" : "; ", provider_name(db, meanings[i]),
                         meanings[i]->code, meanings[i]->name);
}

/* The facts of `e` written as `code`, which keeps a class digit the user gave. */
static void put_entry_facts(struct page *p, const smtpc_db *db, const smtpc_entry *e,
                            const smtpc_code *code)
{
    struct smtpc_buf v;
    smtpc_block_facts_begin(p);
    if (e->aliases[0] != '\0')
        smtpc_block_fact(p, "Also known as", e->aliases);
    smtpc_buf_init(&v);
    if (code->klass != 0) {
        smtpc_put_class_label(&v, db, code);
    } else {
        for (const char *c = e->classes; *c != '\0'; c++) {
            if (*c == ' ')
                continue;
            smtpc_code as_class = e->parsed;
            as_class.klass = *c - '0';
            if (c != e->classes)
                smtpc_buf_puts(&v, ", ");
            smtpc_put_class_label(&v, db, &as_class);
        }
    }
    smtpc_block_fact_built(p, "Class", &v);
    smtpc_buf_init(&v);
    smtpc_put_group_label(&v, db, &e->parsed, 0);
    smtpc_block_fact_built(p, e->parsed.kind == SMTPC_KIND_BASIC ? "Category" : "Subject", &v);
    smtpc_buf_init(&v);
    smtpc_buf_puts(&v, smtpc_origin_phrase(e->origin) + 3); /* drop "is " */
    smtpc_block_fact_built(p, "Origin", &v);
    if (e->provider[0] != '\0')
        smtpc_block_fact(p, "Provider", provider_name(db, e));
    if (e->sample[0] != '\0')
        smtpc_block_fact(p, e->provider[0] != '\0' ? "Provider's text" : "Registry text",
                         e->sample);
    if (e->associated[0] != '\0')
        smtpc_block_fact(p, "Associated basic codes", e->associated);
    smtpc_buf_init(&v);
    put_retry_fact(&v, e, code);
    smtpc_block_fact_built(p, "Retry", &v);
    if (e->connection != SMTPC_CONNECTION_UNSPECIFIED)
        smtpc_block_fact(p, "Connection", smtpc_connection_phrase(e->connection));
    smtpc_buf_init(&v);
    smtpc_put_commands(&v, e->commands);
    smtpc_block_fact_built(p, "Answers", &v);
    if (e->enhanced[0] != '\0')
        smtpc_block_fact(p, "Usual enhanced codes", e->enhanced);
    if (e->parsed.kind == SMTPC_KIND_BASIC) {
        smtpc_buf_init(&v);
        put_registry_companions(&v, db, e);
        smtpc_block_fact_built(p, "Registered enhanced codes", &v);
    }
    if (e->see[0] != '\0')
        smtpc_block_fact(p, "See also", e->see);
    smtpc_buf_init(&v);
    put_provider_meanings(&v, db, e, code);
    smtpc_block_fact_built(p, "Providers' meanings", &v);
    if (e->note[0] != '\0')
        smtpc_block_fact(p, "Note", e->note);
    smtpc_block_facts_end(p);
}

/* An entry page: the entry, the code as written and its text, the database, and the
 * language of the labels. */
struct entry_page {
    const smtpc_db *db;
    const smtpc_entry *e;
    smtpc_code code;
    char code_text[SMTPC_CODE_TEXT_SIZE];
    int exact;
    const struct smtpc_language *lang;
};

static void layout_entry(struct page *p, const void *subject)
{
    const struct entry_page *page = subject;
    const smtpc_db *db = page->db;
    const smtpc_entry *e = page->e;
    const struct smtpc_language *lang = page->lang;
    struct smtpc_buf title;
    smtpc_buf_init(&title);
    smtpc_buf_printf(&title, "SMTP %s %s", page->code_text, e->name);
    smtpc_page_begin(p, "entry");
    smtpc_block_title(p, title.failed ? e->name : title.data);
    smtpc_buf_free(&title);
    put_entry_facts(p, db, e, &page->code);
    put_code_sections(p, lang->labels, e);
    smtpc_block_heading(p, lang->labels[SMTPC_LABEL_LEARN_MORE], 2, 1);
    smtpc_block_list_begin(p, 0);
    for (const char *s = e->references; *s != '\0';) {
        const char *end = strstr(s, "; ");
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        struct smtpc_buf ref;
        smtpc_buf_init(&ref);
        smtpc_buf_append(&ref, s, len);
        if (ref.failed)
            p->b->failed = 1;
        else
            smtpc_block_reference(p, ref.data);
        smtpc_buf_free(&ref);
        s += len + (end != NULL ? 2 : 0);
    }
    smtpc_block_list_end(p, 0);
    smtpc_page_end(p);
}

static void json_entry(struct smtpc_buf *b, const void *subject)
{
    const struct entry_page *page = subject;
    const smtpc_db *db = page->db;
    const smtpc_entry *e = page->e;
    const struct smtpc_language *lang = page->lang;
    /* the entry's own fields, then what the page adds: labels and registry companions */
    smtpc_buf_putc(b, '{');
    put_json_entry_members(b, db, e, &page->code, page->code_text);
    smtpc_json_key(b, "exact", 0);
    smtpc_buf_puts(b, page->exact ? "true" : "false");
    struct smtpc_buf title;
    smtpc_buf_init(&title);
    smtpc_buf_printf(&title, "SMTP %s %s", page->code_text, e->name);
    smtpc_json_field(b, "title", title.failed ? "" : title.data, 0);
    b->failed |= title.failed;
    smtpc_buf_free(&title);
    smtpc_json_language(b, lang->tag);
    put_json_labels(b, lang->labels);
    struct smtpc_buf v;
    smtpc_buf_init(&v);
    if (e->parsed.kind == SMTPC_KIND_BASIC)
        put_registry_companions(&v, db, e);
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
    struct drawing d = {json_entry, layout_entry, &page, page.lang->tag};
    return smtpc_draw(out, out_len, &d, format, err);
}

/* ---- the table of codes ---- */

static int entry_in_class(const smtpc_entry *e, int klass)
{
    if (klass == 0)
        return 1;
    return strchr(e->classes, '0' + klass) != NULL;
}

static void table_row(struct page *p, const smtpc_db *db, const smtpc_entry *e, int header)
{
    struct smtpc_buf cls;
    smtpc_buf_init(&cls);
    if (!header)
        smtpc_put_class_label(&cls, db, &e->parsed);
    const char *cells[4] = {header ? "Code" : e->code, header ? "Name" : e->name,
                            header ? "Class" : (cls.failed ? "" : cls.data),
                            header ? "Origin" : smtpc_enum_name(SMTPC_ENUM_ORIGIN, e->origin)};
    struct smtpc_buf *b = p->b;
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN:
        for (int i = 0; i < 4; i++) {
            smtpc_buf_puts(b, "| ");
            smtpc_put_escaped(b, p->format, cells[i]);
            smtpc_buf_putc(b, ' ');
        }
        smtpc_buf_puts(b, header ? "|\n|---|---|---|---|\n" : "|\n");
        break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_puts(b, "<tr>");
        for (int i = 0; i < 4; i++) {
            smtpc_buf_puts(b, header ? "<th style=\"text-align: left\">" : "<td>");
            smtpc_put_escaped(b, p->format, cells[i]);
            smtpc_buf_puts(b, header ? "</th>" : "</td>");
        }
        smtpc_buf_puts(b, "</tr>\n");
        break;
    default:
        smtpc_buf_printf(b, "%-7s  %-45s  %-30s  %s\n", cells[0], cells[1], cells[2], cells[3]);
        break;
    }
    if (cls.failed)
        b->failed = 1;
    smtpc_buf_free(&cls);
}

/* The entries of one class and kind (0 for all). */
struct table_page {
    const smtpc_db *db;
    int klass;
    int kind;
};

static int in_table(const struct table_page *t, const smtpc_entry *e)
{
    return (t->kind == 0 || e->parsed.kind == t->kind) && entry_in_class(e, t->klass);
}

static void layout_table(struct page *p, const void *subject)
{
    const struct table_page *t = subject;
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "<table class=\"smtpcodes smtpcodes-table\">\n");
    table_row(p, t->db, NULL, 1);
    for (size_t i = 0; i < t->db->n_entries; i++) {
        if (in_table(t, &t->db->entries[i]))
            table_row(p, t->db, &t->db->entries[i], 0);
    }
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "</table>\n");
}

static void json_table(struct smtpc_buf *b, const void *subject)
{
    const struct table_page *t = subject;
    const smtpc_db *db = t->db;
    int first = 1;
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < db->n_entries; i++) {
        const smtpc_entry *e = &db->entries[i];
        if (!in_table(t, e))
            continue;
        smtpc_buf_puts(b, first ? "{" : ",{");
        put_json_entry_members(b, db, e, &e->parsed, e->code);
        smtpc_buf_putc(b, '}');
        first = 0;
    }
    smtpc_buf_puts(b, "]\n");
}

int smtpc_render_table(char **out, size_t *out_len, const smtpc_db *db, int klass, int kind,
                       int format, smtpc_error *err)
{
    if (out == NULL || db == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    if (klass != 0 && (klass < 2 || klass > 5))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "class %d: expected 2 to 5", klass);
    if (kind != 0 && kind != SMTPC_KIND_BASIC && kind != SMTPC_KIND_ENHANCED)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "unknown kind %d", kind);
    struct table_page t = {db, klass, kind};
    struct drawing d = {json_table, layout_table, &t, "en"};
    return smtpc_draw(out, out_len, &d, format, err);
}

/* ---- the languages ---- */

static void layout_languages(struct page *p, const void *subject)
{
    const smtpc_db *db = subject;
    if (p->format == SMTPC_FORMAT_TEXT) {
        for (size_t i = 0; i < db->n_languages; i++)
            smtpc_buf_printf(p->b, "%s\n", db->languages[i].tag);
        return;
    }
    smtpc_block_list_begin(p, 0);
    for (size_t i = 0; i < db->n_languages; i++) {
        const struct smtpc_language *l = &db->languages[i];
        struct smtpc_buf item;
        smtpc_buf_init(&item);
        smtpc_buf_puts(&item, l->tag);
        if (l->name != NULL && l->name[0] != '\0')
            smtpc_buf_printf(&item, " (%s)", l->name);
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
        smtpc_buf_puts(b, i ? ",{" : "{");
        smtpc_json_field(b, "tag", l->tag, 1);
        smtpc_json_field(b, "name", l->name != NULL ? l->name : "", 0);
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_puts(b, "]\n");
}

int smtpc_render_languages(char **out, size_t *out_len, const smtpc_db *db, int format,
                           smtpc_error *err)
{
    if (out == NULL || db == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    struct drawing d = {json_languages, layout_languages, db, "en"};
    return smtpc_draw(out, out_len, &d, format, err);
}
