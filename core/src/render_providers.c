/*
 * render_providers.c - the documents about providers (smtpc_render_providers()): the list of
 * the providers of a database, and the page of one provider with the entries of its own codes,
 * each as text, Markdown, HTML and JSON (the schema's "providers").
 */
#include "render.h"

#include <string.h>

/* What is drawn: every provider (`provider` NULL), or one; in which language. */
struct providers_page {
    const smtpc_db *db;
    const smtpc_provider *provider;
    const struct smtpc_language *lang;
};

/* ---- text, Markdown, HTML ---- */

/* The references of a provider: the addresses of its documentation, as links where the format
 * has them; plain text writes each address once. */
static void put_references(struct page *p, struct smtpc_words *w, const char *list)
{
    if (p->format == SMTPC_FORMAT_TEXT) {
        smtpc_block_fact_in(p, w, SMTPC_T_FACT_REFERENCES, list);
        return;
    }
    smtpc_block_list_begin(p, 0);
    for (const char *s = list; *s != '\0';) {
        size_t len = smtpc_list_item_len(s, "; ", 2);
        struct smtpc_buf ref;
        smtpc_buf_init(&ref);
        smtpc_buf_append(&ref, s, len);
        if (ref.failed)
            p->b->failed = 1;
        else
            smtpc_block_reference(p, w, ref.data);
        smtpc_buf_free(&ref);
        s = smtpc_list_next(s, len, 2);
    }
    smtpc_block_list_end(p, 0);
}

/* A provider's facts: slug and hosts, then (text) its references. */
static void put_provider_facts(struct page *p, struct smtpc_words *w,
                               const smtpc_provider *provider)
{
    smtpc_block_facts_begin(p);
    smtpc_block_fact_in(p, w, SMTPC_T_FACT_SLUG, provider->slug);
    smtpc_block_fact_in(p, w, SMTPC_T_FACT_HOSTS, provider->hosts);
    if (p->format == SMTPC_FORMAT_TEXT)
        put_references(p, w, provider->references);
    smtpc_block_facts_end(p);
    /* CommonMark: a paragraph right after the list of facts would continue its last item */
    if (p->format == SMTPC_FORMAT_MARKDOWN)
        smtpc_buf_putc(p->b, '\n');
}

/* One row of the table of a provider's entries: code, name, reason, retry (the header when
 * `e` is NULL). */
/* The columns of the text table of a provider's codes: code, name, reason, retry. */
static const struct smtpc_column entry_columns[4] = {{13, 2, 0}, {45, 2, 0}, {24, 2, 0}, {0, 0, 0}};

static void entry_row(struct page *p, struct smtpc_words *w, const smtpc_entry *e)
{
    const char *cells[4] = {smtpc_say_template(w, SMTPC_T_COLUMN_CODE),
                            smtpc_say_template(w, SMTPC_T_COLUMN_NAME),
                            smtpc_say_template(w, SMTPC_T_COLUMN_REASON),
                            smtpc_say_template(w, SMTPC_T_COLUMN_RETRY)};
    if (e != NULL) {
        cells[0] = e->code;
        cells[1] = smtpc_say_entry(w, e, SMTPC_TEXT_NAME);
        cells[2] = e->reason;
        cells[3] = smtpc_enum_name(SMTPC_ENUM_RETRY, smtpc_entry_retry(e, e->parsed.klass));
    }
    struct smtpc_buf *b = p->b;
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN:
        for (int i = 0; i < 4; i++) {
            smtpc_buf_puts(b, "| ");
            smtpc_put_text(p, cells[i]);
            smtpc_buf_putc(b, ' ');
        }
        smtpc_buf_puts(b, e == NULL ? "|\n|---|---|---|---|\n" : "|\n");
        break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_puts(b, "<tr>");
        for (int i = 0; i < 4; i++) {
            smtpc_buf_puts(b, e == NULL ? "<th style=\"text-align: left\">" : "<td>");
            smtpc_put_text(p, cells[i]);
            smtpc_buf_puts(b, e == NULL ? "</th>" : "</td>");
        }
        smtpc_buf_puts(b, "</tr>\n");
        break;
    default:
        smtpc_put_row(b, entry_columns, 4, cells);
        break;
    }
}

/* A provider's description in the words' language, marked English when it fell back. */
static void put_description(struct page *p, struct smtpc_words *w, const smtpc_provider *provider)
{
    w->fell_back = 0;
    const char *text =
        smtpc_say(w, smtpc_message_of_provider(w->db, provider), provider->description);
    smtpc_page_english(p, w->fell_back);
    smtpc_block_paragraph(p, text);
}

static void layout_one(struct page *p, struct smtpc_words *w, const smtpc_provider *provider)
{
    const smtpc_db *db = w->db;
    smtpc_block_title(p, provider->name);
    put_provider_facts(p, w, provider);
    put_description(p, w, provider);
    smtpc_block_heading_in(p, w, SMTPC_T_PROVIDER_CODES, 2);
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "<table class=\"smtpcodes smtpcodes-table\">\n");
    entry_row(p, w, NULL);
    for (size_t i = 0; i < smtpc_provider_entry_count(db); i++) {
        const smtpc_entry *e = smtpc_provider_entry_at(db, i);
        if (strcmp(e->provider, provider->slug) == 0)
            entry_row(p, w, e);
    }
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "</table>\n");
    if (p->format != SMTPC_FORMAT_TEXT) {
        smtpc_block_heading_in(p, w, SMTPC_T_FACT_REFERENCES, 2);
        put_references(p, w, provider->references);
    }
}

static void layout_providers(struct page *p, const void *subject)
{
    const struct providers_page *page = subject;
    struct smtpc_words w;
    smtpc_words_init(&w, page->db, page->lang);
    smtpc_page_begin(p, "providers");
    if (page->provider != NULL) {
        layout_one(p, &w, page->provider);
        smtpc_page_end(p);
        return;
    }
    w.fell_back = 0;
    const char *title = smtpc_say_template(&w, SMTPC_T_PROVIDERS_TITLE);
    smtpc_page_english(p, w.fell_back);
    smtpc_block_title(p, title);
    for (size_t i = 0; i < smtpc_provider_count(page->db); i++) {
        const smtpc_provider *provider = smtpc_provider_at(page->db, i);
        smtpc_block_heading(p, provider->name, 2);
        put_provider_facts(p, &w, provider);
        put_description(p, &w, provider);
        if (p->format == SMTPC_FORMAT_MARKDOWN)
            smtpc_buf_putc(p->b, '\n');
        if (p->format != SMTPC_FORMAT_TEXT)
            put_references(p, &w, provider->references);
    }
    smtpc_page_end(p);
}

/* ---- JSON ---- */

/* The members of a provider's object, without its braces (the schema's provider_facts). */
static void put_json_provider(struct smtpc_buf *b, const smtpc_provider *provider)
{
    smtpc_json_field(b, "slug", provider->slug, 1);
    smtpc_json_field(b, "name", provider->name, 0);
    smtpc_json_list(b, "hosts", provider->hosts, " ");
    smtpc_json_field(b, "description", provider->description, 0);
    smtpc_json_references(b, "references", provider->references);
}

static void put_json_entry(struct smtpc_buf *b, const smtpc_entry *e)
{
    smtpc_buf_putc(b, '{');
    smtpc_json_field(b, "code", e->code, 1);
    smtpc_json_field(b, "name", e->name, 0);
    smtpc_json_field(b, "slug", e->slug, 0);
    smtpc_buf_printf(b, ",\"class\":%d", e->parsed.klass);
    smtpc_json_field(b, "reason", e->reason, 0);
    smtpc_json_field(b, "retry",
                     smtpc_enum_name(SMTPC_ENUM_RETRY, smtpc_entry_retry(e, e->parsed.klass)), 0);
    smtpc_json_field(b, "sample", e->sample, 0);
    smtpc_json_field(b, "description", e->description, 0);
    smtpc_json_references(b, "references", e->references);
    smtpc_buf_putc(b, '}');
}

static void json_providers(struct smtpc_buf *b, const void *subject)
{
    const struct providers_page *page = subject;
    if (page->provider != NULL) {
        smtpc_buf_putc(b, '{');
        put_json_provider(b, page->provider);
        smtpc_json_key(b, "entries", 0);
        smtpc_buf_putc(b, '[');
        int first = 1;
        for (size_t i = 0; i < smtpc_provider_entry_count(page->db); i++) {
            const smtpc_entry *e = smtpc_provider_entry_at(page->db, i);
            if (strcmp(e->provider, page->provider->slug) != 0)
                continue;
            if (!first)
                smtpc_buf_putc(b, ',');
            put_json_entry(b, e);
            first = 0;
        }
        smtpc_buf_puts(b, "]}\n");
        return;
    }
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < smtpc_provider_count(page->db); i++) {
        smtpc_buf_puts(b, i ? ",{" : "{");
        put_json_provider(b, smtpc_provider_at(page->db, i));
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_puts(b, "]\n");
}

int smtpc_render_providers(char **out, size_t *out_len, const smtpc_db *db, const char *slug,
                           int format, smtpc_error *err)
{
    return smtpc_render_providers_in(out, out_len, db, slug, NULL, 0, format, err);
}

int smtpc_render_providers_in(char **out, size_t *out_len, const smtpc_db *db, const char *slug,
                              const char *lang, size_t lang_len, int format, smtpc_error *err)
{
    if (out == NULL || db == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    struct providers_page page = {db, NULL, NULL};
    int rc = smtpc_provider_argument(&page.provider, db, slug, err);
    if (rc != 0)
        return rc;
    if ((page.lang = smtpc_language_require(db, lang, lang_len, err)) == NULL)
        return SMTPC_ELANG;
    struct drawing d = {json_providers, layout_providers, &page, page.lang->tag,
                        page.lang->direction};
    return smtpc_draw(out, out_len, &d, format, err);
}
