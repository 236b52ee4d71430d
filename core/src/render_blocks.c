/*
 * render_blocks.c - the renderers' parts: escaping for each format, the blocks that text,
 * Markdown and HTML pages are laid out with, the JSON writers, and the drawing of one document
 * (render.h).
 */
#include "render.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- escaping ---- */

static const char *html_entity(char c)
{
    return c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;"
                                                                          : "&#39;";
}

/* The bytes that HTML and Markdown spell otherwise; '\n' is a paragraph break in both (and in
 * text, which spells it as itself). */
static const char *special_bytes(int format)
{
    return format == SMTPC_FORMAT_HTML ? "\n&<>\"'" : "\n\\`*_[]<>|#";
}

/* Appends `s`, escaped for `format`. A newline in a value is a paragraph break (see
 * docs/data-format.md), spelt as the format spells one. */
void smtpc_put_escaped(struct smtpc_buf *b, int format, const char *s)
{
    /* Text spells its one special byte, "\n", as itself: the value goes in as it is. */
    if (format == SMTPC_FORMAT_TEXT) {
        smtpc_buf_puts(b, s);
        return;
    }
    const char *special = special_bytes(format);
    for (;;) {
        /* One copy for each run of ordinary bytes: most of a page is plain prose. */
        size_t run = strcspn(s, special);
        smtpc_buf_append(b, s, run);
        s += run;
        char c = *s;
        if (c == '\0')
            return;
        if (c == '\n')
            smtpc_buf_puts(b, format == SMTPC_FORMAT_HTML ? "<br><br>" : "\n\n");
        else if (format == SMTPC_FORMAT_HTML)
            smtpc_buf_puts(b, html_entity(c));
        else {
            /* CommonMark section 2.4: any ASCII punctuation may be backslash-escaped. */
            char escaped[2] = {'\\', c};
            smtpc_buf_append(b, escaped, 2);
        }
        s++;
    }
}

void smtpc_put_json_string(struct smtpc_buf *b, const char *s)
{
    smtpc_buf_putc(b, '"');
    for (;;) {
        const char *run = s;
        while ((unsigned char)*s >= 0x20 && *s != '"' && *s != '\\')
            s++;
        smtpc_buf_append(b, run, (size_t)(s - run));
        unsigned char c = (unsigned char)*s;
        if (c == '\0')
            break;
        if (c == '"' || c == '\\') {
            char escaped[2] = {'\\', (char)c};
            smtpc_buf_append(b, escaped, 2);
        } else if (c == '\n') {
            smtpc_buf_append(b, "\\n", 2);
        } else {
            smtpc_buf_printf(b, "\\u%04x", c); /* RFC 8259 section 7 */
        }
        s++;
    }
    smtpc_buf_putc(b, '"');
}

/* Text that may hold any byte but NUL, made safe for display: bytes that are not UTF-8 become
 * U+FFFD, so that every renderer's output is valid UTF-8 (the reply keeps its bytes). */
void smtpc_put_untrusted(struct smtpc_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = smtpc_utf8_sequence((const unsigned char *)s + i, len - i);
        if (n == 0) {
            smtpc_buf_puts(b, "\xEF\xBF\xBD");
            i++;
        } else if (n == 1 && (unsigned char)s[i] < 0x20 && s[i] != '\n') {
            smtpc_buf_puts(b, "\xEF\xBF\xBD");
            i++;
        } else {
            smtpc_buf_append(b, s + i, n);
            i += n;
        }
    }
}

/* Appends the `len` bytes at `s` escaped for HTML (the bytes of a run need not end there). */
static void put_html_bytes(struct smtpc_buf *b, const char *s, size_t len)
{
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c != '\n' && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'')
            continue;
        smtpc_buf_append(b, s + from, i - from);
        smtpc_buf_puts(b, c == '\n' ? "<br><br>" : html_entity(c));
        from = i + 1;
    }
    smtpc_buf_append(b, s + from, len - from);
}

static int is_ascii_alnum(char c)
{
    return smtpc_is_digit(c) || smtpc_is_lower(c) || smtpc_is_upper(c);
}

/* The end of the run of left-to-right text that starts at `s` (an ASCII letter or digit):
 * words of printable ASCII ("5.7.1", "RFC", "https://...") joined by single spaces, without
 * the punctuation that ends it, which belongs to the sentence around it. */
static const char *ltr_run_end(const char *s)
{
    const char *end = s;
    for (;;) {
        while (*end > ' ' && *end < 0x7F)
            end++;
        if (end[0] != ' ' || !is_ascii_alnum(end[1]))
            break;
        end++;
    }
    while (end > s && strchr(".,;:!?)]}\"'", end[-1]) != NULL)
        end--;
    return end;
}

/* HTML for a right-to-left page: each run of left-to-right text (a code, "RFC 5321", a URL, a
 * command, a quoted English reply) isolated in <bdi dir="ltr">, so that the bidirectional
 * algorithm (UAX #9) keeps its digits, dots and words in their order and its neighbours' order
 * untouched. */
static void put_isolated_runs(struct smtpc_buf *b, const char *s)
{
    for (;;) {
        const char *run = s;
        while (*run != '\0' && !is_ascii_alnum(*run))
            run++;
        put_html_bytes(b, s, (size_t)(run - s));
        if (*run == '\0')
            return;
        const char *end = ltr_run_end(run);
        smtpc_buf_puts(b, "<bdi dir=\"ltr\">");
        put_html_bytes(b, run, (size_t)(end - run));
        smtpc_buf_puts(b, "</bdi>");
        s = end;
    }
}

void smtpc_put_text(struct page *p, const char *s)
{
    /* a block marked English is left to right as a whole already */
    if (p->format == SMTPC_FORMAT_HTML && p->direction == SMTPC_DIRECTION_RTL && !p->in_english)
        put_isolated_runs(p->b, s);
    else
        smtpc_put_escaped(p->b, p->format, s);
}

/* ---- the block layout shared by text, Markdown and HTML ---- */

void smtpc_page_begin(struct page *p, const char *kind)
{
    if (p->format != SMTPC_FORMAT_HTML)
        return;
    smtpc_buf_printf(p->b, "<article class=\"smtpcodes smtpcodes-%s\" lang=\"%s\"", kind,
                     p->lang);
    if (p->direction == SMTPC_DIRECTION_RTL)
        smtpc_buf_puts(p->b, " dir=\"rtl\"");
    smtpc_buf_puts(p->b, " style=\"font-family: system-ui, sans-serif; line-height: 1.5; "
                         "max-width: 60em\">\n");
}

void smtpc_page_english(struct page *p, int fell_back)
{
    p->english = fell_back && p->foreign;
}

/* The attributes of an HTML element whose text fell back to English on a page in another
 * language (smtpc_page_english()), so that browsers, screen readers and hyphenation treat it
 * as English, left to right inside a right-to-left page; the mark holds for one block. */
static void put_lang_mark(struct page *p)
{
    p->in_english = p->english;
    if (!p->english)
        return;
    smtpc_buf_puts(p->b, " lang=\"en\"");
    if (p->direction == SMTPC_DIRECTION_RTL)
        smtpc_buf_puts(p->b, " dir=\"ltr\"");
    p->english = 0;
}

void smtpc_page_end(struct page *p)
{
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "</article>\n");
}

void smtpc_block_title(struct page *p, const char *title)
{
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN: smtpc_buf_puts(p->b, "# "); break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_puts(p->b, "<h2 style=\"margin: 0 0 0.5em\"");
        put_lang_mark(p);
        smtpc_buf_putc(p->b, '>');
        break;
    default: break;
    }
    p->english = 0;
    smtpc_put_text(p, title);
    smtpc_buf_puts(p->b, p->format == SMTPC_FORMAT_HTML ? "</h2>\n" : "\n");
    p->in_english = 0;
}

void smtpc_heading_begin(struct page *p, int level)
{
    struct smtpc_buf *b = p->b;
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN: smtpc_buf_puts(b, level == 2 ? "\n## " : "\n### "); break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_printf(b, "<h%d style=\"margin: 1em 0 0.25em\"", level + 1);
        put_lang_mark(p);
        smtpc_buf_putc(b, '>');
        break;
    default:
        if (level == 2)
            smtpc_buf_putc(b, '\n');
        break;
    }
    p->english = 0;
}

void smtpc_heading_end(struct page *p, int level)
{
    p->in_english = 0;
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN: smtpc_buf_puts(p->b, "\n\n"); break;
    case SMTPC_FORMAT_HTML: smtpc_buf_printf(p->b, "</h%d>\n", level + 1); break;
    default: smtpc_buf_putc(p->b, '\n'); break;
    }
}

void smtpc_block_heading(struct page *p, const char *text, int level)
{
    smtpc_heading_begin(p, level);
    smtpc_put_text(p, text);
    smtpc_heading_end(p, level);
}

void smtpc_block_paragraph(struct page *p, const char *text)
{
    if (p->format == SMTPC_FORMAT_HTML) {
        smtpc_buf_puts(p->b, "<p style=\"margin: 0.25em 0\"");
        put_lang_mark(p);
        smtpc_buf_putc(p->b, '>');
    }
    p->english = 0;
    smtpc_put_text(p, text);
    smtpc_buf_puts(p->b, p->format == SMTPC_FORMAT_HTML ? "</p>\n" : "\n");
    p->in_english = 0;
}

void smtpc_block_list_begin(struct page *p, int numbered)
{
    p->list_index = 0;
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, numbered ? "<ol>\n" : "<ul>\n");
}

void smtpc_block_list_end(struct page *p, int numbered)
{
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, numbered ? "</ol>\n" : "</ul>\n");
}

/* "12. ", before an item of a numbered list. */
static void put_item_number(struct smtpc_buf *b, size_t n)
{
    char digits[24];
    size_t at = sizeof digits;
    digits[--at] = ' ';
    digits[--at] = '.';
    do {
        digits[--at] = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    smtpc_buf_append(b, digits + at, sizeof digits - at);
}

void smtpc_block_list_item(struct page *p, int numbered, const char *text)
{
    p->list_index++;
    if (p->format == SMTPC_FORMAT_HTML) {
        smtpc_buf_puts(p->b, "<li");
        put_lang_mark(p);
        smtpc_buf_putc(p->b, '>');
    } else if (numbered)
        put_item_number(p->b, p->list_index);
    else
        smtpc_buf_puts(p->b, "- ");
    p->english = 0;
    smtpc_put_text(p, text);
    smtpc_buf_puts(p->b, p->format == SMTPC_FORMAT_HTML ? "</li>\n" : "\n");
    p->in_english = 0;
}

/* A reference in plain text: its name, then its address unless the name is the address (a
 * provider's page, cited by its address, is said once). Text needs no escaping: the name goes
 * straight onto the page. */
static void put_text_reference(struct page *p, struct smtpc_words *w, const char *ref,
                               const char *url, size_t url_len)
{
    struct smtpc_buf *b = p->b;
    smtpc_buf_append(b, "- ", 2);
    smtpc_put_reference(b, w, ref, strlen(ref));
    if (url_len > 0 && strcmp(ref, url) != 0) {
        smtpc_buf_append(b, " <", 2);
        smtpc_buf_append(b, url, url_len);
        smtpc_buf_append(b, ">", 1);
    }
    smtpc_buf_append(b, "\n", 1);
    p->list_index++;
    p->english = 0;
}

/* A reference as a link where the format has links, its name in the words' language. */
void smtpc_block_reference(struct page *p, struct smtpc_words *w, const char *ref)
{
    char url[256];
    size_t n = smtpc_reference_url(url, sizeof url, ref, strlen(ref));
    if (n >= sizeof url)
        n = 0;
    if (p->format == SMTPC_FORMAT_TEXT) {
        put_text_reference(p, w, ref, url, n);
        return;
    }
    struct smtpc_buf said;
    smtpc_buf_init(&said);
    w->fell_back = 0;
    smtpc_put_reference(&said, w, ref, strlen(ref));
    smtpc_buf_putc(&said, '\0');
    smtpc_page_english(p, w->fell_back);
    w->fell_back = 0;
    const char *name = said.failed ? ref : said.data;
    p->b->failed |= said.failed;
    if (n == 0) {
        smtpc_block_list_item(p, 0, name);
        smtpc_buf_free(&said);
        return;
    }
    struct smtpc_buf *b = p->b;
    p->list_index++;
    if (p->format == SMTPC_FORMAT_MARKDOWN) {
        smtpc_buf_puts(b, "- [");
        smtpc_put_text(p, name);
        smtpc_buf_printf(b, "](%s)\n", url);
    } else {
        smtpc_buf_puts(b, "<li");
        put_lang_mark(p);
        smtpc_buf_puts(b, "><a href=\"");
        smtpc_put_escaped(b, p->format, url); /* an attribute: no markup */
        smtpc_buf_puts(b, "\">");
        smtpc_put_text(p, name);
        smtpc_buf_puts(b, "</a></li>\n");
        p->in_english = 0;
    }
    p->english = 0;
    smtpc_buf_free(&said);
}

void smtpc_block_facts_begin(struct page *p)
{
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "<table style=\"border-collapse: collapse; margin: 0.5em 0\">\n");
    else if (p->format == SMTPC_FORMAT_MARKDOWN)
        smtpc_buf_putc(p->b, '\n');
}

void smtpc_block_facts_end(struct page *p)
{
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "</table>\n");
    else if (p->format == SMTPC_FORMAT_TEXT)
        smtpc_buf_putc(p->b, '\n');
}

void smtpc_block_fact(struct page *p, const char *name, const char *value)
{
    struct smtpc_buf *b = p->b;
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN: smtpc_buf_puts(b, "- **"); break;
    case SMTPC_FORMAT_HTML:
        /* the row: its name and value are said with the same words */
        smtpc_buf_puts(b, "<tr");
        put_lang_mark(p);
        smtpc_buf_puts(b, "><th style=\"text-align: left; padding: 0 1em 0 0; "
                          "vertical-align: top\">");
        break;
    default: break;
    }
    smtpc_put_text(p, name);
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN: smtpc_buf_puts(b, ":** "); break;
    case SMTPC_FORMAT_HTML: smtpc_buf_puts(b, "</th><td>"); break;
    default: smtpc_buf_puts(b, ": "); break;
    }
    p->english = 0;
    smtpc_put_text(p, value);
    smtpc_buf_puts(b, p->format == SMTPC_FORMAT_HTML ? "</td></tr>\n" : "\n");
    p->in_english = 0;
}

void smtpc_block_fact_built(struct page *p, const char *name, struct smtpc_buf *value)
{
    if (value->failed)
        p->b->failed = 1;
    else if (value->len > 0)
        smtpc_block_fact(p, name, value->data);
    smtpc_buf_free(value);
}

void smtpc_block_fact_built_in(struct page *p, struct smtpc_words *w, int name,
                               struct smtpc_buf *value)
{
    const char *label = smtpc_say_template(w, name);
    smtpc_page_english(p, w->fell_back);
    w->fell_back = 0;
    smtpc_block_fact_built(p, label, value);
}

void smtpc_block_fact_in(struct page *p, struct smtpc_words *w, int name, const char *value)
{
    struct smtpc_buf v;
    smtpc_buf_init(&v);
    smtpc_buf_puts(&v, value);
    smtpc_block_fact_built_in(p, w, name, &v);
}

void smtpc_block_heading_in(struct page *p, struct smtpc_words *w, int name, int level)
{
    w->fell_back = 0;
    const char *text = smtpc_say_template(w, name);
    smtpc_page_english(p, w->fell_back);
    smtpc_block_heading(p, text, level);
}

/* ---- JSON writers ---- */

void smtpc_json_key(struct smtpc_buf *b, const char *key, int first)
{
    if (!first)
        smtpc_buf_putc(b, ',');
    smtpc_put_json_string(b, key);
    smtpc_buf_putc(b, ':');
}

void smtpc_json_field(struct smtpc_buf *b, const char *key, const char *value, int first)
{
    smtpc_json_key(b, key, first);
    smtpc_put_json_string(b, value);
}

/* A list joined by `separator`, as a JSON array of strings. */
void smtpc_json_list(struct smtpc_buf *b, const char *key, const char *list,
                     const char *separator)
{
    smtpc_json_key(b, key, 0);
    smtpc_buf_putc(b, '[');
    size_t sep_len = strlen(separator);
    for (const char *s = list; *s != '\0';) {
        size_t len = smtpc_list_item_len(s, separator, sep_len);
        if (s != list)
            smtpc_buf_putc(b, ',');
        struct smtpc_buf item;
        smtpc_buf_init(&item);
        smtpc_buf_append(&item, s, len);
        smtpc_put_json_string(b, item.failed ? "" : item.data);
        smtpc_buf_free(&item);
        s = smtpc_list_next(s, len, sep_len);
    }
    smtpc_buf_putc(b, ']');
}

/* A reference as {"text", "url"}; the url is "" for a reference without a web address. */
void smtpc_json_reference(struct smtpc_buf *b, const char *ref, int first)
{
    char url[256];
    size_t n = smtpc_reference_url(url, sizeof url, ref, strlen(ref));
    if (!first)
        smtpc_buf_putc(b, ',');
    smtpc_buf_putc(b, '{');
    smtpc_json_field(b, "text", ref, 1);
    smtpc_json_field(b, "url", n > 0 && n < sizeof url ? url : "", 0);
    smtpc_buf_putc(b, '}');
}

/* The references of an entry, joined by "; ", as an array of {"text", "url"}. */
void smtpc_json_references(struct smtpc_buf *b, const char *key, const char *list)
{
    smtpc_json_key(b, key, 0);
    smtpc_buf_putc(b, '[');
    for (const char *s = list; *s != '\0';) {
        size_t len = smtpc_list_item_len(s, "; ", 2);
        struct smtpc_buf ref;
        smtpc_buf_init(&ref);
        smtpc_buf_append(&ref, s, len);
        smtpc_json_reference(b, ref.failed ? "" : ref.data, s == list);
        b->failed |= ref.failed;
        smtpc_buf_free(&ref);
        s = smtpc_list_next(s, len, 2);
    }
    smtpc_buf_putc(b, ']');
}

/* The language of a document's prose: its tag, and the per-field marks, reserved (empty). */
void smtpc_marks_init(struct smtpc_marks *m, const char *lang)
{
    smtpc_buf_init(&m->pointers);
    m->n = 0;
    m->active = strcmp(lang, "en") != 0;
}

void smtpc_marks_free(struct smtpc_marks *m)
{
    smtpc_buf_free(&m->pointers);
}

void smtpc_mark(struct smtpc_marks *m, int fell_back, const char *fmt, ...)
{
    if (!fell_back || !m->active)
        return;
    va_list ap;
    va_start(ap, fmt);
    char pointer[128];
    vsnprintf(pointer, sizeof pointer, fmt, ap);
    va_end(ap);
    smtpc_buf_append(&m->pointers, pointer, strlen(pointer) + 1);
    m->n++;
}

void smtpc_json_language(struct smtpc_buf *b, const char *tag, const struct smtpc_marks *marks)
{
    smtpc_json_field(b, "language", tag, 0);
    smtpc_buf_puts(b, ",\"lang\":{");
    const char *pointer = marks != NULL ? marks->pointers.data : NULL;
    for (size_t i = 0; marks != NULL && i < marks->n && !marks->pointers.failed; i++) {
        smtpc_json_field(b, pointer, "en", i == 0);
        pointer += strlen(pointer) + 1;
    }
    b->failed |= marks != NULL && marks->pointers.failed;
    smtpc_buf_putc(b, '}');
}
/* ---- drawing ---- */

static int check_format(int format, smtpc_error *err)
{
    if (format < SMTPC_FORMAT_TEXT || format > SMTPC_FORMAT_JSON)
        return smtpc_set_error(err, SMTPC_EFORMAT, "", 0, 0, "unknown format %d", format);
    return 0;
}

int smtpc_draw(char **out, size_t *out_len, const struct drawing *d, int format,
               smtpc_error *err)
{
    *out = NULL;
    int rc = check_format(format, err);
    if (rc != 0)
        return rc;
    struct smtpc_buf b;
    smtpc_buf_init(&b);
    if (format == SMTPC_FORMAT_JSON) {
        d->json(&b, d->subject);
    } else {
        struct page p = {&b, format, d->lang, d->direction, 0, 0, strcmp(d->lang, "en") != 0, 0};
        d->page(&p, d->subject);
    }
    *out = smtpc_buf_take(&b, out_len);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}
