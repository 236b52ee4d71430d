/*
 * render.h - what the renderers share (render_blocks.c, render_pages.c, render_replies.c).
 *
 * Text, Markdown and HTML share one layout per document, written once against a small set of
 * blocks (title, heading, paragraph, list, fact); each block knows how to spell itself in each
 * of the three formats. JSON is structured data, not a layout, and has its own writers, whose
 * documents are described by docs/schema/smtpcodes.schema.json.
 */
#ifndef SMTPC_RENDER_H
#define SMTPC_RENDER_H

#include "internal.h"

/* ---- escaping ---- */

/* Appends `s`, escaped for `format`. A newline in a value is a paragraph break (see
 * docs/data-format.md), spelt as the format spells one. */
void smtpc_put_escaped(struct smtpc_buf *b, int format, const char *s);
/* Appends `s` as a JSON string, quotes included. */
void smtpc_put_json_string(struct smtpc_buf *b, const char *s);
/* Text that may hold any byte but NUL, made safe for display: bytes that are not UTF-8 become
 * U+FFFD, so that every renderer's output is valid UTF-8 (the reply keeps its bytes). */
void smtpc_put_untrusted(struct smtpc_buf *b, const char *s, size_t len);

/* ---- blocks: the layout of text, Markdown and HTML ---- */

/* A page being drawn: where it goes, in which format, and the state of the list being drawn. */
struct page {
    struct smtpc_buf *b;
    int format;
    const char *lang; /* the tag of the page's language */
    int direction;    /* enum smtpc_direction of the page's language */
    size_t list_index;
    int english; /* the next block's text fell back to English: smtpc_page_english() */
    int foreign; /* the page is in another language than English */
    int in_english; /* the block being written is marked English, left to right */
};

/* Appends `s` as text of the page, escaped for its format (smtpc_put_escaped()); on a
 * right-to-left HTML page each run of left-to-right text in it (a code, "RFC 5321", a URL) is
 * isolated in <bdi dir="ltr">, so that it reads in its own order. */
void smtpc_put_text(struct page *p, const char *s);

/* Opens and closes a document of kind `kind` ("comparison", "entry", ...: HTML's class). */
void smtpc_page_begin(struct page *p, const char *kind);
void smtpc_page_end(struct page *p);
void smtpc_block_title(struct page *p, const char *title);
/* Marks the text of the next block as English when `fell_back` (its translation is missing)
 * and the page is in another language: HTML gives the block lang="en". */
void smtpc_page_english(struct page *p, int fell_back);
/* What comes before and after a heading's text. */
void smtpc_heading_begin(struct page *p, int level);
void smtpc_heading_end(struct page *p, int level);
/* A heading of `level` (2 or 3). */
void smtpc_block_heading(struct page *p, const char *text, int level);
void smtpc_block_paragraph(struct page *p, const char *text);
void smtpc_block_list_begin(struct page *p, int numbered);
void smtpc_block_list_end(struct page *p, int numbered);
void smtpc_block_list_item(struct page *p, int numbered, const char *text);
/* A reference as a link where the format has links, named in the words' language
 * (smtpc_put_reference()). */
void smtpc_block_reference(struct page *p, struct smtpc_words *w, const char *ref);
/* A list of "Name: value" facts. */
void smtpc_block_facts_begin(struct page *p);
void smtpc_block_facts_end(struct page *p);
void smtpc_block_fact(struct page *p, const char *name, const char *value);
/* A fact whose value was built in `value`, which it frees; none when `value` is empty, and the
 * page's buffer fails when building `value` did. */
void smtpc_block_fact_built(struct page *p, const char *name, struct smtpc_buf *value);

/* A fact named by template `name` in the words' language, its value said with the same words:
 * marked English (smtpc_page_english()) when any of them fell back, which resets
 * w->fell_back for the next fact. The second form takes a value built in `value`, as
 * smtpc_block_fact_built() does. */
void smtpc_block_fact_in(struct page *p, struct smtpc_words *w, int name, const char *value);
void smtpc_block_fact_built_in(struct page *p, struct smtpc_words *w, int name,
                               struct smtpc_buf *value);
/* A heading (level 2 or 3) of template `name` in the words' language. */
void smtpc_block_heading_in(struct page *p, struct smtpc_words *w, int name, int level);

/* ---- JSON writers ---- */

/* `"key":`, after a comma unless `first`. */
void smtpc_json_key(struct smtpc_buf *b, const char *key, int first);
/* `"key":"value"`, after a comma unless `first`. */
void smtpc_json_field(struct smtpc_buf *b, const char *key, const char *value, int first);
/* A list joined by `separator`, as a JSON array of strings. */
void smtpc_json_list(struct smtpc_buf *b, const char *key, const char *list,
                     const char *separator);
/* A reference as {"text", "url"}; the url is "" for a reference without a web address. */
void smtpc_json_reference(struct smtpc_buf *b, const char *ref, int first);
/* The references of an entry, joined by "; ", as an array of {"text", "url"}. */
void smtpc_json_references(struct smtpc_buf *b, const char *key, const char *list);
/* The members of a JSON document that fell back to English in a document in another language,
 * as JSON Pointers (RFC 6901), for its "lang" object (docs/json.md). */
struct smtpc_marks {
    struct smtpc_buf pointers; /* each NUL-terminated */
    size_t n;
    int active; /* 0 in an English document: nothing falls back */
};

void smtpc_marks_init(struct smtpc_marks *m, const char *lang);
void smtpc_marks_free(struct smtpc_marks *m);
/* Marks the member at the pointer `fmt` formats when `fell_back`. */
void smtpc_mark(struct smtpc_marks *m, int fell_back, const char *fmt, ...) SMTPC_PRINTF(3, 4);
/* The language of a document's prose: "language", its tag, and "lang", the members that fell
 * back to English ({"/codes/0/fix": "en"}); `marks` may be NULL for none. */
void smtpc_json_language(struct smtpc_buf *b, const char *tag, const struct smtpc_marks *marks);

/* ---- drawing ---- */

/* What one public render call draws: the same subject as JSON or as a page. */
struct drawing {
    void (*json)(struct smtpc_buf *b, const void *subject);
    void (*page)(struct page *p, const void *subject);
    const void *subject;
    const char *lang; /* the tag of the page's language */
    int direction;    /* and its direction */
};

/* The part every render call shares: check the format, draw, hand the string over (owned by
 * the caller, as the public render functions document). */
int smtpc_draw(char **out, size_t *out_len, const struct drawing *d, int format,
               smtpc_error *err);

#endif
