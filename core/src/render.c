/*
 * render.c - the comparison page and the entry page as text, Markdown, HTML and JSON.
 *
 * Text, Markdown and HTML share one layout, written once against a small set of blocks
 * (title, heading, paragraph, list, fact); each block knows how to spell itself in each of the
 * three formats. JSON is structured data, not a layout, and has its own writers.
 */
#include "internal.h"

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
static void put_escaped(struct smtpc_buf *b, int format, const char *s)
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

static void put_json_string(struct smtpc_buf *b, const char *s)
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
static void put_untrusted(struct smtpc_buf *b, const char *s, size_t len)
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

/* ---- the block layout shared by text, Markdown and HTML ---- */

struct page {
    struct smtpc_buf *b;
    int format;
    const char *lang; /* the tag of the labels; the rest of the page is English */
    size_t list_index;
};

static void page_begin(struct page *p, const char *kind)
{
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_printf(p->b,
                         "<article class=\"smtpcodes smtpcodes-%s\" lang=\"en\" "
                         "style=\"font-family: system-ui, sans-serif; line-height: 1.5; "
                         "max-width: 60em\">\n",
                         kind);
}

static void page_end(struct page *p)
{
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "</article>\n");
}

static void block_title(struct page *p, const char *title)
{
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN: smtpc_buf_puts(p->b, "# "); break;
    case SMTPC_FORMAT_HTML: smtpc_buf_puts(p->b, "<h2 style=\"margin: 0 0 0.5em\">"); break;
    default: break;
    }
    put_escaped(p->b, p->format, title);
    smtpc_buf_puts(p->b, p->format == SMTPC_FORMAT_HTML ? "</h2>\n" : "\n");
}

/* What comes before and after a heading's text; `translated` headings carry the page's
 * language so that browsers, screen readers and right-to-left scripts (ar) treat them right. */
static void heading_begin(struct page *p, int level, int translated)
{
    struct smtpc_buf *b = p->b;
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN: smtpc_buf_puts(b, level == 2 ? "\n## " : "\n### "); break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_printf(b, "<h%d style=\"margin: 1em 0 0.25em\"", level + 1);
        if (translated)
            smtpc_buf_printf(b, " lang=\"%s\" dir=\"auto\"", p->lang);
        smtpc_buf_putc(b, '>');
        break;
    default:
        if (level == 2)
            smtpc_buf_putc(b, '\n');
        break;
    }
}

static void heading_end(struct page *p, int level)
{
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN: smtpc_buf_puts(p->b, "\n\n"); break;
    case SMTPC_FORMAT_HTML: smtpc_buf_printf(p->b, "</h%d>\n", level + 1); break;
    default: smtpc_buf_putc(p->b, '\n'); break;
    }
}

static void block_heading(struct page *p, const char *text, int level, int translated)
{
    heading_begin(p, level, translated);
    put_escaped(p->b, p->format, text);
    heading_end(p, level);
}

static void block_paragraph(struct page *p, const char *text)
{
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "<p style=\"margin: 0.25em 0\">");
    put_escaped(p->b, p->format, text);
    smtpc_buf_puts(p->b, p->format == SMTPC_FORMAT_HTML ? "</p>\n" : "\n");
}

static void block_list_begin(struct page *p, int numbered)
{
    p->list_index = 0;
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, numbered ? "<ol>\n" : "<ul>\n");
}

static void block_list_end(struct page *p, int numbered)
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

static void block_list_item(struct page *p, int numbered, const char *text)
{
    p->list_index++;
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "<li>");
    else if (numbered)
        put_item_number(p->b, p->list_index);
    else
        smtpc_buf_puts(p->b, "- ");
    put_escaped(p->b, p->format, text);
    smtpc_buf_puts(p->b, p->format == SMTPC_FORMAT_HTML ? "</li>\n" : "\n");
}

/* A reference as a link where the format has links. */
static void block_reference(struct page *p, const char *ref)
{
    char url[256];
    size_t n = smtpc_reference_url(url, sizeof url, ref, strlen(ref));
    struct smtpc_buf *b = p->b;
    p->list_index++;
    if (n == 0 || n >= sizeof url) {
        block_list_item(p, 0, ref);
        return;
    }
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN:
        smtpc_buf_puts(b, "- [");
        put_escaped(b, p->format, ref);
        smtpc_buf_printf(b, "](%s)\n", url);
        break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_printf(b, "<li><a href=\"%s\">", url);
        put_escaped(b, p->format, ref);
        smtpc_buf_puts(b, "</a></li>\n");
        break;
    default:
        smtpc_buf_append(b, "- ", 2);
        smtpc_buf_puts(b, ref);
        smtpc_buf_append(b, " <", 2);
        smtpc_buf_append(b, url, n);
        smtpc_buf_append(b, ">\n", 2);
        break;
    }
}

static void block_facts_begin(struct page *p)
{
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "<table style=\"border-collapse: collapse; margin: 0.5em 0\">\n");
    else if (p->format == SMTPC_FORMAT_MARKDOWN)
        smtpc_buf_putc(p->b, '\n');
}

static void block_facts_end(struct page *p)
{
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "</table>\n");
    else if (p->format == SMTPC_FORMAT_TEXT)
        smtpc_buf_putc(p->b, '\n');
}

static void block_fact(struct page *p, const char *name, const char *value)
{
    struct smtpc_buf *b = p->b;
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN: smtpc_buf_printf(b, "- **%s:** ", name); break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_printf(b, "<tr><th style=\"text-align: left; padding: 0 1em 0 0; "
                            "vertical-align: top\">%s</th><td>",
                         name);
        break;
    default: smtpc_buf_printf(b, "%s: ", name); break;
    }
    put_escaped(b, p->format, value);
    smtpc_buf_puts(b, p->format == SMTPC_FORMAT_HTML ? "</td></tr>\n" : "\n");
}

/* The three sections that every code has: description, when, fix. */
static void put_code_sections(struct page *p, const char *const *labels, const smtpc_entry *e)
{
    block_heading(p, labels[SMTPC_LABEL_DESCRIPTION], 3, 1);
    block_paragraph(p, e->description);
    block_heading(p, labels[SMTPC_LABEL_WHEN], 3, 1);
    block_paragraph(p, e->when);
    block_heading(p, labels[SMTPC_LABEL_FIX], 3, 1);
    block_paragraph(p, e->fix);
}

/* ---- the comparison page ---- */

static void layout_comparison(struct page *p, const void *subject)
{
    const smtpc_comparison *cmp = subject;
    const char *labels[SMTPC_LABEL_COUNT];
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++)
        labels[i] = smtpc_comparison_label(cmp, i);
    page_begin(p, "comparison");
    block_title(p, smtpc_comparison_part(cmp, SMTPC_PART_TITLE));
    if (p->format != SMTPC_FORMAT_HTML)
        smtpc_buf_putc(p->b, '\n');
    block_paragraph(p, smtpc_comparison_part(cmp, SMTPC_PART_INTRO));
    for (int side = 0; side < 2; side++) {
        const smtpc_entry *e = smtpc_comparison_entry(cmp, side);
        /* "421 Service Not Available", escaped a part at a time: a space needs no escape */
        heading_begin(p, 2, 0);
        put_escaped(p->b, p->format, smtpc_comparison_code(cmp, side));
        smtpc_buf_putc(p->b, ' ');
        put_escaped(p->b, p->format, e->name);
        heading_end(p, 2);
        put_code_sections(p, labels, e);
    }
    block_heading(p, labels[SMTPC_LABEL_DIFFERENCES], 2, 1);
    block_list_begin(p, 1);
    for (size_t i = 0; i < smtpc_comparison_difference_count(cmp); i++)
        block_list_item(p, 1, smtpc_comparison_difference(cmp, i));
    block_list_end(p, 1);
    block_heading(p, labels[SMTPC_LABEL_USAGE], 2, 1);
    block_paragraph(p, smtpc_comparison_part(cmp, SMTPC_PART_USAGE));
    block_heading(p, labels[SMTPC_LABEL_LEARN_MORE], 2, 1);
    block_list_begin(p, 0);
    for (size_t i = 0; i < smtpc_comparison_reference_count(cmp); i++)
        block_reference(p, smtpc_comparison_reference(cmp, i));
    block_list_end(p, 0);
    page_end(p);
}

static void put_json_key(struct smtpc_buf *b, const char *key, int first)
{
    if (!first)
        smtpc_buf_putc(b, ',');
    put_json_string(b, key);
    smtpc_buf_putc(b, ':');
}

static void put_json_field(struct smtpc_buf *b, const char *key, const char *value, int first)
{
    put_json_key(b, key, first);
    put_json_string(b, value);
}

/* A list joined by `separator`, as a JSON array of strings. */
static void put_json_list(struct smtpc_buf *b, const char *key, const char *list,
                          const char *separator)
{
    put_json_key(b, key, 0);
    smtpc_buf_putc(b, '[');
    size_t sep_len = strlen(separator);
    for (const char *s = list; *s != '\0';) {
        const char *end = strstr(s, separator);
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        if (s != list)
            smtpc_buf_putc(b, ',');
        struct smtpc_buf item;
        smtpc_buf_init(&item);
        smtpc_buf_append(&item, s, len);
        put_json_string(b, item.failed ? "" : item.data);
        smtpc_buf_free(&item);
        s += len + (end != NULL ? sep_len : 0);
    }
    smtpc_buf_putc(b, ']');
}

/* A reference as {"text", "url"}; the url is "" for a reference without a web address. */
static void put_json_reference(struct smtpc_buf *b, const char *ref, int first)
{
    char url[256];
    size_t n = smtpc_reference_url(url, sizeof url, ref, strlen(ref));
    if (!first)
        smtpc_buf_putc(b, ',');
    smtpc_buf_putc(b, '{');
    put_json_field(b, "text", ref, 1);
    put_json_field(b, "url", n > 0 && n < sizeof url ? url : "", 0);
    smtpc_buf_putc(b, '}');
}

/* The references of an entry, joined by "; ", as an array of {"text", "url"}. */
static void put_json_references(struct smtpc_buf *b, const char *key, const char *list)
{
    put_json_key(b, key, 0);
    smtpc_buf_putc(b, '[');
    for (const char *s = list; *s != '\0';) {
        const char *end = strstr(s, "; ");
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        struct smtpc_buf ref;
        smtpc_buf_init(&ref);
        smtpc_buf_append(&ref, s, len);
        put_json_reference(b, ref.failed ? "" : ref.data, s == list);
        b->failed |= ref.failed;
        smtpc_buf_free(&ref);
        s += len + (end != NULL ? 2 : 0);
    }
    smtpc_buf_putc(b, ']');
}

/* Every fact of an entry as the members of a JSON object (without its braces), written as
 * `code`, which keeps a class digit the user gave. The members and their order are those of
 * docs/schema/smtpcodes.schema.json ($defs/code_facts). */
static void put_json_entry_members(struct smtpc_buf *b, const smtpc_db *db, const smtpc_entry *e,
                                   const smtpc_code *code, const char *code_text)
{
    put_json_field(b, "code", code_text, 1);
    put_json_field(b, "entry", e->code, 0);
    put_json_field(b, "kind", smtpc_enum_name(SMTPC_ENUM_KIND, e->parsed.kind), 0);
    put_json_field(b, "name", e->name, 0);
    put_json_field(b, "slug", e->slug, 0);
    smtpc_buf_printf(b, ",\"class\":%d", code->klass);
    put_json_field(b, "class_name", smtpc_class_name(db, code), 0);
    smtpc_buf_printf(b, ",\"category\":%d", code->category);
    put_json_field(b, "category_name", smtpc_category_name(db, code), 0);
    smtpc_buf_printf(b, ",\"detail\":%d,\"conforming\":%s", code->detail,
                     code->conforming ? "true" : "false");
    put_json_key(b, "classes", 0);
    smtpc_buf_putc(b, '[');
    for (const char *c = e->classes; *c != '\0'; c++) {
        if (*c != ' ')
            smtpc_buf_printf(b, "%s%c", c == e->classes ? "" : ",", *c);
    }
    smtpc_buf_putc(b, ']');
    put_json_field(b, "origin", smtpc_enum_name(SMTPC_ENUM_ORIGIN, e->origin), 0);
    put_json_field(b, "description", e->description, 0);
    put_json_field(b, "when", e->when, 0);
    put_json_field(b, "fix", e->fix, 0);
    put_json_field(b, "retry",
                   smtpc_enum_name(SMTPC_ENUM_RETRY, smtpc_entry_retry(e, code->klass)), 0);
    if (e->connection == SMTPC_CONNECTION_UNSPECIFIED)
        smtpc_buf_puts(b, ",\"connection\":null");
    else
        put_json_field(b, "connection", smtpc_enum_name(SMTPC_ENUM_CONNECTION, e->connection),
                       0);
    put_json_list(b, "commands", e->commands, " ");
    put_json_list(b, "enhanced", e->enhanced, " ");
    put_json_field(b, "sample", e->sample, 0);
    put_json_field(b, "associated", e->associated, 0);
    put_json_field(b, "see", e->see, 0);
    put_json_field(b, "note", e->note, 0);
    put_json_references(b, "references", e->references);
}

/* The language of a document's prose: its tag, and the per-field marks, reserved (empty). */
static void put_json_language(struct smtpc_buf *b, const char *tag)
{
    put_json_field(b, "language", tag, 0);
    smtpc_buf_puts(b, ",\"lang\":{}");
}

static void put_json_labels(struct smtpc_buf *b, const char *const *labels)
{
    static const char *const keys[SMTPC_LABEL_COUNT] = {
        "description", "when", "fix", "differences", "usage", "learn_more"};
    put_json_key(b, "labels", 0);
    smtpc_buf_putc(b, '{');
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++)
        put_json_field(b, keys[i], labels[i], i == 0);
    smtpc_buf_putc(b, '}');
}

static void json_comparison(struct smtpc_buf *b, const void *subject)
{
    const smtpc_comparison *cmp = subject;
    const char *labels[SMTPC_LABEL_COUNT];
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++)
        labels[i] = smtpc_comparison_label(cmp, i);
    smtpc_buf_putc(b, '{');
    put_json_field(b, "title", smtpc_comparison_part(cmp, SMTPC_PART_TITLE), 1);
    put_json_field(b, "intro", smtpc_comparison_part(cmp, SMTPC_PART_INTRO), 0);
    put_json_labels(b, labels);
    put_json_key(b, "codes", 0);
    smtpc_buf_putc(b, '[');
    for (int side = 0; side < 2; side++) {
        smtpc_buf_puts(b, side ? ",{" : "{");
        put_json_entry_members(b, smtpc_comparison_db(cmp), smtpc_comparison_entry(cmp, side),
                               smtpc_comparison_parsed(cmp, side),
                               smtpc_comparison_code(cmp, side));
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_putc(b, ']');
    put_json_key(b, "differences", 0);
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < smtpc_comparison_difference_count(cmp); i++) {
        smtpc_buf_puts(b, i ? ",{" : "{");
        put_json_field(b, "kind", smtpc_comparison_difference_kind(cmp, i), 1);
        put_json_field(b, "text", smtpc_comparison_difference(cmp, i), 0);
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_putc(b, ']');
    put_json_field(b, "usage", smtpc_comparison_part(cmp, SMTPC_PART_USAGE), 0);
    put_json_key(b, "learn_more", 0);
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < smtpc_comparison_reference_count(cmp); i++)
        put_json_reference(b, smtpc_comparison_reference(cmp, i), i == 0);
    smtpc_buf_putc(b, ']');
    put_json_language(b, smtpc_comparison_part(cmp, SMTPC_PART_LANG));
    smtpc_buf_puts(b, "}\n");
}

int smtpc_format_parse(int *out, const char *name, size_t len, smtpc_error *err)
{
    static const struct {
        const char *name;
        int format;
    } names[] = {{"text", SMTPC_FORMAT_TEXT},         {"markdown", SMTPC_FORMAT_MARKDOWN},
                 {"md", SMTPC_FORMAT_MARKDOWN},       {"html", SMTPC_FORMAT_HTML},
                 {"json", SMTPC_FORMAT_JSON}};
    if (out == NULL || (name == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i].name);
        size_t j = 0;
        while (j < n && j < len && (name[j] | 0x20) == names[i].name[j])
            j++;
        if (j == n && len == n) {
            *out = names[i].format;
            return 0;
        }
    }
    return smtpc_set_error(err, SMTPC_EFORMAT, "", 0, 0,
                           "unknown format '%.*s': expected text, markdown, html or json",
                           (int)(len > 32 ? 32 : len), name != NULL ? name : "");
}

static int check_format(int format, smtpc_error *err)
{
    if (format < SMTPC_FORMAT_TEXT || format > SMTPC_FORMAT_JSON)
        return smtpc_set_error(err, SMTPC_EFORMAT, "", 0, 0, "unknown format %d", format);
    return 0;
}

/* What one public render call draws: the same subject as JSON or as a page. */
struct drawing {
    void (*json)(struct smtpc_buf *b, const void *subject);
    void (*page)(struct page *p, const void *subject);
    const void *subject;
    const char *lang; /* the tag of the page's labels */
};

/* The part every render call shares: check the format, draw, hand the string over. */
static int draw(char **out, size_t *out_len, const struct drawing *d, int format,
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
        struct page p = {&b, format, d->lang, 0};
        d->page(&p, d->subject);
    }
    *out = smtpc_buf_take(&b, out_len);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}

int smtpc_render_comparison(char **out, size_t *out_len, const smtpc_comparison *cmp,
                            int format, smtpc_error *err)
{
    if (out == NULL || cmp == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    struct drawing d = {json_comparison, layout_comparison, cmp,
                        smtpc_comparison_part(cmp, SMTPC_PART_LANG)};
    return draw(out, out_len, &d, format, err);
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

static void fact_built(struct page *p, const char *name, struct smtpc_buf *value)
{
    if (value->failed)
        p->b->failed = 1;
    else if (value->len > 0)
        block_fact(p, name, value->data);
    smtpc_buf_free(value);
}

/* The facts of `e` written as `code`, which keeps a class digit the user gave. */
static void put_entry_facts(struct page *p, const smtpc_db *db, const smtpc_entry *e,
                            const smtpc_code *code)
{
    struct smtpc_buf v;
    block_facts_begin(p);
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
    fact_built(p, "Class", &v);
    smtpc_buf_init(&v);
    smtpc_put_group_label(&v, db, &e->parsed, 0);
    fact_built(p, e->parsed.kind == SMTPC_KIND_BASIC ? "Category" : "Subject", &v);
    smtpc_buf_init(&v);
    smtpc_buf_puts(&v, smtpc_origin_phrase(e->origin) + 3); /* drop "is " */
    fact_built(p, "Origin", &v);
    if (e->sample[0] != '\0')
        block_fact(p, "Registry text", e->sample);
    if (e->associated[0] != '\0')
        block_fact(p, "Associated basic codes", e->associated);
    smtpc_buf_init(&v);
    smtpc_buf_puts(&v, smtpc_retry_phrase(smtpc_entry_retry(e, code->klass)));
    if (code->kind == SMTPC_KIND_ENHANCED && code->klass == 0)
        smtpc_buf_puts(&v, " (as 5.x.x; as 4.x.x it may be retried later)");
    fact_built(p, "Retry", &v);
    if (e->connection != SMTPC_CONNECTION_UNSPECIFIED)
        block_fact(p, "Connection", smtpc_connection_phrase(e->connection));
    smtpc_buf_init(&v);
    smtpc_put_commands(&v, e->commands);
    fact_built(p, "Answers", &v);
    if (e->enhanced[0] != '\0')
        block_fact(p, "Usual enhanced codes", e->enhanced);
    if (e->parsed.kind == SMTPC_KIND_BASIC) {
        smtpc_buf_init(&v);
        put_registry_companions(&v, db, e);
        fact_built(p, "Registered enhanced codes", &v);
    }
    if (e->see[0] != '\0')
        block_fact(p, "See also", e->see);
    if (e->note[0] != '\0')
        block_fact(p, "Note", e->note);
    block_facts_end(p);
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
    page_begin(p, "entry");
    block_title(p, title.failed ? e->name : title.data);
    smtpc_buf_free(&title);
    put_entry_facts(p, db, e, &page->code);
    put_code_sections(p, lang->labels, e);
    block_heading(p, lang->labels[SMTPC_LABEL_LEARN_MORE], 2, 1);
    block_list_begin(p, 0);
    for (const char *s = e->references; *s != '\0';) {
        const char *end = strstr(s, "; ");
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        struct smtpc_buf ref;
        smtpc_buf_init(&ref);
        smtpc_buf_append(&ref, s, len);
        if (ref.failed)
            p->b->failed = 1;
        else
            block_reference(p, ref.data);
        smtpc_buf_free(&ref);
        s += len + (end != NULL ? 2 : 0);
    }
    block_list_end(p, 0);
    page_end(p);
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
    put_json_key(b, "exact", 0);
    smtpc_buf_puts(b, page->exact ? "true" : "false");
    struct smtpc_buf title;
    smtpc_buf_init(&title);
    smtpc_buf_printf(&title, "SMTP %s %s", page->code_text, e->name);
    put_json_field(b, "title", title.failed ? "" : title.data, 0);
    b->failed |= title.failed;
    smtpc_buf_free(&title);
    put_json_language(b, lang->tag);
    put_json_labels(b, lang->labels);
    struct smtpc_buf v;
    smtpc_buf_init(&v);
    if (e->parsed.kind == SMTPC_KIND_BASIC)
        put_registry_companions(&v, db, e);
    put_json_list(b, "registered_enhanced", v.failed ? "" : (v.data ? v.data : ""), ", ");
    smtpc_buf_free(&v);
    smtpc_buf_puts(b, "}\n");
}

int smtpc_render_code(char **out, size_t *out_len, const smtpc_db *db, const char *code,
                      size_t code_len, const char *lang, size_t lang_len, int format,
                      smtpc_error *err)
{
    if (out == NULL || db == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    struct entry_page page;
    int rc = smtpc_lookup_closest(&page.e, &page.exact, db, code, code_len, err);
    if (rc != 0)
        return rc;
    /* The entry's code with the class digit as written: "4.7.1" for X.7.1, and for an
     * unregistered "5.7.99" the closest entry, "5.7.0". */
    smtpc_code written;
    smtpc_code_parse(&written, code, code_len, NULL);
    page.code = page.e->parsed;
    if (written.kind == SMTPC_KIND_ENHANCED)
        page.code.klass = written.klass;
    smtpc_code_format(page.code_text, &page.code);
    page.db = db;
    page.lang = smtpc_language_require(db, lang, lang_len, err);
    if (page.lang == NULL)
        return SMTPC_ELANG;
    struct drawing d = {json_entry, layout_entry, &page, page.lang->tag};
    return draw(out, out_len, &d, format, err);
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
            put_escaped(b, p->format, cells[i]);
            smtpc_buf_putc(b, ' ');
        }
        smtpc_buf_puts(b, header ? "|\n|---|---|---|---|\n" : "|\n");
        break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_puts(b, "<tr>");
        for (int i = 0; i < 4; i++) {
            smtpc_buf_puts(b, header ? "<th style=\"text-align: left\">" : "<td>");
            put_escaped(b, p->format, cells[i]);
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
    return draw(out, out_len, &d, format, err);
}

/* ---- the scan summary ---- */

static void scan_row_cells(const smtpc_scan_row *row, char count[24], char code[8],
                           const char **name)
{
    snprintf(count, 24, "%llu", row->count);
    snprintf(code, 8, "%d", row->code);
    *name = row->entry != NULL ? row->entry->name : "(unknown code)";
}

static void table_scan_row(struct page *p, const smtpc_scan_row *row)
{
    char count[24];
    char code[8];
    const char *name;
    scan_row_cells(row, count, code, &name);
    const char *enhanced_name = row->enhanced_entry != NULL ? row->enhanced_entry->name : "";
    struct smtpc_buf sample;
    smtpc_buf_init(&sample);
    put_untrusted(&sample, row->sample, strlen(row->sample));
    const char *safe_sample = sample.failed || sample.data == NULL ? "" : sample.data;
    const char *cells[7] = {count, code, name, row->enhanced, enhanced_name,
                            smtpc_enum_name(SMTPC_ENUM_ACTION, row->action), safe_sample};
    struct smtpc_buf *b = p->b;
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN:
        for (int i = 0; i < 7; i++) {
            smtpc_buf_puts(b, "| ");
            put_escaped(b, p->format, cells[i]);
            smtpc_buf_putc(b, ' ');
        }
        smtpc_buf_puts(b, "|\n");
        break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_puts(b, "<tr>");
        for (int i = 0; i < 7; i++) {
            smtpc_buf_puts(b, "<td>");
            put_escaped(b, p->format, cells[i]);
            smtpc_buf_puts(b, "</td>");
        }
        smtpc_buf_puts(b, "</tr>\n");
        break;
    default:
        smtpc_buf_printf(b, "%10s  %-4s %-32s %-7s %-9s %s\n", count, code, name,
                         row->enhanced[0] ? row->enhanced : "-", cells[5], safe_sample);
        break;
    }
    b->failed |= sample.failed;
    smtpc_buf_free(&sample);
}

static void json_scan(struct smtpc_buf *b, const void *subject)
{
    const smtpc_scanner *s = subject;
    smtpc_buf_printf(b, "{\"lines\":%llu,\"replies\":%llu,\"skipped\":%llu,\"rows\":[",
                     smtpc_scanner_lines(s), smtpc_scanner_replies(s), smtpc_scanner_skipped(s));
    for (size_t i = 0; i < smtpc_scanner_row_count(s); i++) {
        const smtpc_scan_row *row = smtpc_scanner_row(s, i);
        smtpc_buf_printf(b, "%s{\"count\":%llu,\"code\":\"%d\"", i ? "," : "", row->count,
                         row->code);
        put_json_field(b, "name", row->entry != NULL ? row->entry->name : "", 0);
        put_json_field(b, "enhanced", row->enhanced, 0);
        put_json_field(b, "enhanced_entry",
                       row->enhanced_entry != NULL ? row->enhanced_entry->code : "", 0);
        put_json_field(b, "enhanced_name",
                       row->enhanced_entry != NULL ? row->enhanced_entry->name : "", 0);
        put_json_field(b, "action", smtpc_enum_name(SMTPC_ENUM_ACTION, row->action), 0);
        struct smtpc_buf sample;
        smtpc_buf_init(&sample);
        put_untrusted(&sample, row->sample, strlen(row->sample));
        put_json_field(b, "sample", sample.failed || sample.data == NULL ? "" : sample.data, 0);
        b->failed |= sample.failed;
        smtpc_buf_free(&sample);
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_puts(b, "]}\n");
}

static void layout_scan(struct page *p, const void *subject)
{
    const smtpc_scanner *s = subject;
    int format = p->format;
    static const char *const heads[7] = {"Count", "Code", "Name", "Enhanced",
                                         "Meaning", "Action", "Sample"};
    if (format == SMTPC_FORMAT_HTML) {
        smtpc_buf_puts(p->b, "<table class=\"smtpcodes smtpcodes-scan\">\n<tr>");
        for (int i = 0; i < 7; i++)
            smtpc_buf_printf(p->b, "<th style=\"text-align: left\">%s</th>", heads[i]);
        smtpc_buf_puts(p->b, "</tr>\n");
    } else if (format == SMTPC_FORMAT_MARKDOWN) {
        smtpc_buf_puts(p->b, "| Count | Code | Name | Enhanced | Meaning | Action | Sample |\n"
                           "|---:|---|---|---|---|---|---|\n");
    } else {
        smtpc_buf_printf(p->b, "%10s  %-4s %-32s %-7s %-9s %s\n", "Count", "Code", "Name",
                         "Enh.", "Action", "Sample");
    }
    for (size_t i = 0; i < smtpc_scanner_row_count(s); i++)
        table_scan_row(p, smtpc_scanner_row(s, i));
    if (format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(p->b, "</table>\n");
    else if (format == SMTPC_FORMAT_TEXT)
        smtpc_buf_printf(p->b, "%llu lines, %llu replies, %zu distinct, %llu skipped\n",
                         smtpc_scanner_lines(s), smtpc_scanner_replies(s),
                         smtpc_scanner_row_count(s), smtpc_scanner_skipped(s));
}

int smtpc_render_scan(char **out, size_t *out_len, const smtpc_scanner *s, int format,
                      smtpc_error *err)
{
    if (out == NULL || s == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    struct drawing d = {json_scan, layout_scan, s, "en"};
    return draw(out, out_len, &d, format, err);
}

/* ---- a parsed reply ---- */

static void put_warning_list(struct smtpc_buf *b, int warnings, const char *separator,
                             int quoted)
{
    int first = 1;
    for (int bit = 1; bit <= SMTPC_WARN_ENHANCED_VARIES; bit <<= 1) {
        if (!(warnings & bit))
            continue;
        smtpc_buf_puts(b, first ? "" : separator);
        smtpc_buf_printf(b, quoted ? "\"%s\"" : "%s", smtpc_enum_name(SMTPC_ENUM_WARNING, bit));
        first = 0;
    }
}

/* A reply with the verdict on it. */
struct reply_page {
    const smtpc_reply *r;
    smtpc_verdict v;
};

static void json_reply(struct smtpc_buf *b, const void *subject)
{
    const smtpc_reply *r = ((const struct reply_page *)subject)->r;
    const smtpc_verdict *v = &((const struct reply_page *)subject)->v;
    const smtpc_entry *e = smtpc_reply_entry(r);
    const smtpc_entry *x = smtpc_reply_enhanced_entry(r);
    smtpc_buf_printf(b, "{\"code\":\"%d\"", smtpc_reply_code(r));
    put_json_field(b, "enhanced", smtpc_reply_enhanced(r), 0);
    smtpc_buf_printf(b, ",\"class\":%d", smtpc_reply_code(r) / 100);
    put_json_key(b, "lines", 0);
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < smtpc_reply_line_count(r); i++) {
        size_t len;
        const char *line = smtpc_reply_line(r, i, &len);
        struct smtpc_buf safe;
        smtpc_buf_init(&safe);
        put_untrusted(&safe, line, len);
        smtpc_buf_puts(b, i ? "," : "");
        put_json_string(b, safe.failed || safe.data == NULL ? "" : safe.data);
        b->failed |= safe.failed;
        smtpc_buf_free(&safe);
    }
    smtpc_buf_puts(b, "],\"warnings\":[");
    put_warning_list(b, smtpc_reply_warnings(r), ",", 1);
    smtpc_buf_putc(b, ']');
    put_json_field(b, "command", smtpc_reply_command(r), 0);
    put_json_field(b, "name", e != NULL ? e->name : "", 0);
    put_json_field(b, "entry", e != NULL ? e->code : "", 0);
    put_json_field(b, "enhanced_entry", x != NULL ? x->code : "", 0);
    put_json_field(b, "enhanced_name", x != NULL ? x->name : "", 0);
    /* the verdict: action, flags, rule, explanation and the reserved failure reason */
    put_json_field(b, "action", smtpc_enum_name(SMTPC_ENUM_ACTION, v->action), 0);
    put_json_key(b, "flags", 0);
    smtpc_buf_putc(b, '[');
    for (int bit = 1, first = 1; bit <= SMTPC_VERDICT_OVERRIDDEN; bit <<= 1) {
        if (v->flags & bit) {
            smtpc_buf_printf(b, "%s\"%s\"", first ? "" : ",",
                             smtpc_enum_name(SMTPC_ENUM_VERDICT_FLAG, bit));
            first = 0;
        }
    }
    smtpc_buf_putc(b, ']');
    put_json_field(b, "rule", v->rule, 0);
    put_json_field(b, "explanation", v->explanation, 0);
    smtpc_buf_puts(b, ",\"reason\":null");
    put_json_language(b, "en");
    smtpc_buf_puts(b, "}\n");
}

static void layout_reply(struct page *p, const void *subject)
{
    const smtpc_reply *r = ((const struct reply_page *)subject)->r;
    const smtpc_verdict *v = &((const struct reply_page *)subject)->v;
    const smtpc_entry *e = smtpc_reply_entry(r);
    const smtpc_entry *x = smtpc_reply_enhanced_entry(r);
    struct smtpc_buf v_text;
    page_begin(p, "reply");
    block_facts_begin(p);
    smtpc_buf_init(&v_text);
    smtpc_buf_printf(&v_text, "%d %s", smtpc_reply_code(r), e != NULL ? e->name : "(unknown code)");
    fact_built(p, "Reply", &v_text);
    if (smtpc_reply_enhanced(r)[0] != '\0') {
        smtpc_buf_init(&v_text);
        smtpc_buf_printf(&v_text, "%s %s%s", smtpc_reply_enhanced(r), x != NULL ? x->name : "",
                         x != NULL && strcmp(x->code + 1, smtpc_reply_enhanced(r) + 1) != 0
                             ? " (closest registered entry)"
                             : "");
        fact_built(p, "Enhanced", &v_text);
    }
    smtpc_buf_init(&v_text);
    for (size_t i = 0; i < smtpc_reply_line_count(r); i++) {
        size_t len;
        const char *line = smtpc_reply_line(r, i, &len);
        smtpc_buf_puts(&v_text, i ? " | " : "");
        put_untrusted(&v_text, line, len);
    }
    fact_built(p, "Text", &v_text);
    smtpc_buf_init(&v_text);
    put_warning_list(&v_text, smtpc_reply_warnings(r), ", ", 0);
    fact_built(p, "Warnings", &v_text);
    if (smtpc_reply_command(r)[0] != '\0')
        block_fact(p, "In reply to", smtpc_reply_command(r));
    block_fact(p, "Action", smtpc_enum_name(SMTPC_ENUM_ACTION, v->action));
    block_fact(p, "Explanation", v->explanation);
    block_facts_end(p);
    page_end(p);
}

int smtpc_render_reply(char **out, size_t *out_len, const smtpc_reply *reply,
                       const char *command, size_t command_len, int format, smtpc_error *err)
{
    if (out == NULL || reply == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    struct reply_page page = {reply, {0, 0, "", ""}};
    int rc = smtpc_classify(&page.v, reply, command, command_len, err);
    if (rc != 0)
        return rc;
    struct drawing d = {json_reply, layout_reply, &page, "en"};
    return draw(out, out_len, &d, format, err);
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
    block_list_begin(p, 0);
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
            block_list_item(p, 0, item.data);
        smtpc_buf_free(&item);
    }
    block_list_end(p, 0);
}

static void json_languages(struct smtpc_buf *b, const void *subject)
{
    const smtpc_db *db = subject;
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < db->n_languages; i++) {
        const struct smtpc_language *l = &db->languages[i];
        smtpc_buf_puts(b, i ? ",{" : "{");
        put_json_field(b, "tag", l->tag, 1);
        put_json_field(b, "name", l->name != NULL ? l->name : "", 0);
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
    return draw(out, out_len, &d, format, err);
}
