/*
 * words.c - texts in the reader's language: translations found by message number, and the
 * templates that compose sentences (templates.h, docs/translation.md).
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void smtpc_words_init(struct smtpc_words *w, const smtpc_db *db, const struct smtpc_language *lang)
{
    w->db = db;
    w->lang = lang;
    w->source = strcmp(lang->tag, "en") == 0;
    w->english = w->source ? lang : smtpc_language_find(db, "en", 2);
    w->fell_back = 0;
    memset(w->framed, -1, sizeof w->framed);
}

const char *smtpc_say(struct smtpc_words *w, size_t id, const char *english)
{
    if (w->source || english[0] == '\0')
        return english;
    if (id != SMTPC_NO_MESSAGE && w->lang->texts != NULL && w->lang->texts[id] != NULL)
        return w->lang->texts[id];
    w->fell_back = 1;
    return english;
}

const char *smtpc_say_entry(struct smtpc_words *w, const smtpc_entry *e, int text)
{
    if (w->source) /* the English is the text: no message to look up */
        return smtpc_entry_english(e, text);
    return smtpc_say(w, smtpc_message_of_entry(w->db, e, text), smtpc_entry_english(e, text));
}

const char *smtpc_say_group(struct smtpc_words *w, int kind, const smtpc_group *g, int field)
{
    if (g == NULL)
        return "";
    const char *english = field == SMTPC_GROUP_NAME       ? g->name
                          : field == SMTPC_GROUP_ALT_NAME ? g->alt_name
                                                          : g->description;
    if (w->source)
        return english;
    return smtpc_say(w, smtpc_message_of_group(w->db, kind, g, field), english);
}

const char *smtpc_say_template(struct smtpc_words *w, int t)
{
    return smtpc_say(w, (size_t)t, smtpc_template_english(t));
}

const char *smtpc_say_english(struct smtpc_words *w, const char *english)
{
    for (int t = 0; t < SMTPC_TEMPLATE_COUNT; t++) {
        if (smtpc_template_english(t) == english)
            return smtpc_say_template(w, t);
    }
    return smtpc_say(w, SMTPC_NO_MESSAGE, english);
}

/* ---- placeholders ---- */

static const struct {
    const char *name;
    unsigned bit;
} known_filters[] = {{"clause", SMTPC_FILTER_CLAUSE},
                     {"sentence", SMTPC_FILTER_SENTENCE},
                     {"capital", SMTPC_FILTER_CAPITAL},
                     {"a", SMTPC_FILTER_ARTICLE}};

/* A placeholder as a template writes it: "{name|filter|filter}". */
struct placeholder {
    const char *name;
    size_t name_len;
    unsigned filters;  /* the known filters it names */
    size_t bad_filter; /* the offset of the first unknown filter's "|" from the "{", or 0 */
    size_t len;        /* of the whole, braces included */
};

static int is_name_char(char c)
{
    return smtpc_is_lower(c) || smtpc_is_digit(c) || c == '_';
}

/* The bit of the filter of `len` bytes at `f`, or 0 when it is none. */
static unsigned filter_bit(const char *f, size_t len)
{
    for (size_t k = 0; k < sizeof known_filters / sizeof known_filters[0]; k++) {
        const char *name = known_filters[k].name;
        if (name[0] == f[0] && strncmp(name, f, len) == 0 && name[len] == '\0')
            return known_filters[k].bit;
    }
    return 0;
}

/* Reads the placeholder at `s` (a "{"); 0 when it is not one. */
static int read_placeholder(struct placeholder *ph, const char *s)
{
    size_t i = 1;
    while (is_name_char(s[i]))
        i++;
    if (i == 1)
        return 0;
    ph->name = s + 1;
    ph->name_len = i - 1;
    ph->filters = 0;
    ph->bad_filter = 0;
    while (s[i] == '|') {
        size_t start = ++i;
        while (smtpc_is_lower(s[i]))
            i++;
        unsigned bit = filter_bit(s + start, i - start);
        if (bit == 0 && ph->bad_filter == 0)
            ph->bad_filter = start - 1;
        ph->filters |= bit;
    }
    if (s[i] != '}')
        return 0;
    ph->len = i + 1;
    return 1;
}

/* Whether the NUL-terminated `a` is the `len` bytes at `name`. */
static int same_name(const char *a, const char *name, size_t len)
{
    size_t i = 0;
    while (i < len && a[i] == name[i])
        i++;
    return i == len && a[len] == '\0';
}

int smtpc_arg_name(struct smtpc_arg *arg, const char *name)
{
    size_t len = strlen(name);
    memset(arg->name, 0, sizeof arg->name);
    if (len >= sizeof arg->name)
        return 0;
    memcpy(arg->name, name, len);
    return 1;
}

/* The value of the placeholder whose zero-padded name is `key` (struct smtpc_piece): names
 * compared as two words each. */
static const char *arg_value(const struct smtpc_arg *args, size_t n, const char *key)
{
    uint64_t k0, k1;
    memcpy(&k0, key, 8);
    memcpy(&k1, key + 8, 8);
    for (size_t i = 0; i < n; i++) {
        uint64_t a0, a1;
        memcpy(&a0, args[i].name, 8);
        memcpy(&a1, args[i].name + 8, 8);
        if (((a0 ^ k0) | (a1 ^ k1)) == 0)
            return args[i].value;
    }
    return NULL;
}

/* "a" or "an" before a class label, which starts with a digit or "X" read as letters ("an 8",
 * "an X.X.X"). */
static const char *english_article(const char *value)
{
    return strchr("aeiouAEIOU8X", value[0]) != NULL && value[0] != '\0' ? "an " : "a ";
}

/* Whether `text` ends a sentence already: ".", "!", "?", or the mark that ends one in another
 * script: the ideographic full stop (U+3002), the fullwidth "!" and "?" (U+FF01, U+FF1F), the
 * Devanagari danda (U+0964) and the Arabic question mark (U+061F). */
static int ends_sentence(const char *text, size_t len)
{
    static const char *const marks[] = {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F",
                                        "\xE0\xA5\xA4", "\xD8\x9F"};
    if (len == 0)
        return 0;
    char last = text[len - 1];
    if (last == '.' || last == '!' || last == '?')
        return 1;
    if ((unsigned char)last < 0x80)
        return 0;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        size_t n = strlen(marks[i]);
        if (len >= n && memcmp(text + len - n, marks[i], n) == 0)
            return 1;
    }
    return 0;
}

/* The pieces of template `t` in the words' language, else English's (a fallback). */
static const struct smtpc_piece *pieces_of(struct smtpc_words *w, int t)
{
    if (!w->source && w->lang->templates != NULL && w->lang->templates[t] != NULL)
        return w->lang->templates[t];
    if (!w->source)
        w->fell_back = 1;
    return w->english->templates[t];
}

/* Appends `value` (`len` bytes) as the filters of a placeholder other than "sentence" say. */
static void put_filtered(struct smtpc_buf *b, unsigned filters, const char *value, size_t len)
{
    if (filters & SMTPC_FILTER_ARTICLE)
        smtpc_buf_puts(b, english_article(value));
    size_t start = b->len;
    if ((filters & SMTPC_FILTER_CLAUSE) && len > 0 && smtpc_is_clause_start(value)) {
        /* "The server ..." reads "the server ..." after "indicates that" */
        smtpc_buf_putc(b, smtpc_to_lower(value[0]));
        smtpc_buf_append(b, value + 1, len - 1);
    } else {
        smtpc_buf_append(b, value, len);
    }
    if ((filters & SMTPC_FILTER_CAPITAL) && !b->failed && b->len > start &&
        smtpc_is_lower(b->data[start]))
        b->data[start] = smtpc_to_upper(b->data[start]);
}

static void put_value(struct smtpc_buf *b, struct smtpc_words *w, unsigned filters,
                      const char *value)
{
    size_t len = strlen(value);
    if (!(filters & SMTPC_FILTER_SENTENCE) || ends_sentence(value, len)) {
        put_filtered(b, filters, value, len);
        return;
    }
    /* the value in the language's template "sentence", in place of its {text} */
    for (const struct smtpc_piece *p = pieces_of(w, SMTPC_T_SENTENCE); p->text != NULL; p++) {
        if (p->placeholder)
            put_filtered(b, filters, value, len);
        else
            smtpc_buf_append(b, p->text, p->len);
    }
}

/* A lazy value with its filters: written into place, then capitalised there; the filters
 * that read the whole value first (clause, sentence, the article) see it built apart. */
static void put_lazy(struct smtpc_buf *b, struct smtpc_words *w, unsigned filters,
                     const struct smtpc_lazy_arg *lazy)
{
    if (filters & ~(unsigned)SMTPC_FILTER_CAPITAL) {
        struct smtpc_buf value;
        smtpc_buf_init(&value);
        lazy->put(&value, w, lazy->ctx);
        smtpc_buf_putc(&value, '\0');
        if (!value.failed)
            put_value(b, w, filters, value.data);
        b->failed |= value.failed;
        smtpc_buf_free(&value);
        return;
    }
    size_t start = b->len;
    lazy->put(b, w, lazy->ctx);
    if ((filters & SMTPC_FILTER_CAPITAL) && !b->failed && b->len > start &&
        smtpc_is_lower(b->data[start]))
        b->data[start] = smtpc_to_upper(b->data[start]);
}

static void expand(struct smtpc_buf *b, struct smtpc_words *w, const struct smtpc_piece *p,
                   const struct smtpc_arg *args, size_t n, const struct smtpc_lazy_arg *lazy,
                   size_t n_lazy)
{
    for (; p->text != NULL; p++) {
        if (!p->placeholder) {
            smtpc_buf_append(b, p->text, p->len);
            continue;
        }
        const char *value = arg_value(args, n, p->text);
        if (value != NULL) {
            if (p->filters == 0)
                smtpc_buf_puts(b, value);
            else
                put_value(b, w, p->filters, value);
            continue;
        }
        for (size_t i = 0; i < n_lazy; i++) {
            if (same_name(lazy[i].name, p->text, p->len)) {
                put_lazy(b, w, p->filters, &lazy[i]);
                break;
            }
        }
    }
}

void smtpc_put_template(struct smtpc_buf *b, struct smtpc_words *w, int t,
                        const struct smtpc_arg *args, size_t n)
{
    expand(b, w, pieces_of(w, t), args, n, NULL, 0);
}

void smtpc_put_template_lazy(struct smtpc_buf *b, struct smtpc_words *w, int t,
                             const struct smtpc_arg *args, size_t n,
                             const struct smtpc_lazy_arg *lazy, size_t n_lazy)
{
    expand(b, w, pieces_of(w, t), args, n, lazy, n_lazy);
}

void smtpc_put_sentence(struct smtpc_buf *b, struct smtpc_words *w, const char *text)
{
    if (ends_sentence(text, strlen(text))) {
        smtpc_buf_puts(b, text);
        return;
    }
    const struct smtpc_arg arg = {"text", text};
    /* the template "sentence" holds a placeholder without filters: no recursion */
    expand(b, w, pieces_of(w, SMTPC_T_SENTENCE), &arg, 1, NULL, 0);
}

/* Whether piece `p` is placeholder `name` without filters. */
static int is_plain_placeholder(const struct smtpc_piece *p, const char *name)
{
    return p->text != NULL && p->placeholder && p->filters == 0 && same_name(name, p->text, p->len);
}

/* smtpc_template_frame() without the words' cache. */
static int find_frame(struct smtpc_words *w, int t, const char *first, const char *second,
                      struct smtpc_frame *f)
{
    const struct smtpc_piece *p = pieces_of(w, t);
    size_t k = 0;
    for (int part = 0; part < 3; part++) {
        f->text[part] = "";
        f->len[part] = 0;
        if (p[k].text != NULL && !p[k].placeholder) {
            f->text[part] = p[k].text;
            f->len[part] = p[k].len;
            k++;
        }
        if (part == 2)
            break;
        if (part == 0)
            f->second_first = is_plain_placeholder(&p[k], second);
        if (!is_plain_placeholder(&p[k], (part == 0) != f->second_first ? first : second))
            return 0;
        k++;
    }
    return p[k].text == NULL;
}

/* The slot of smtpc_words' frames for template `t`, or -1. */
static int frame_slot(int t)
{
    switch (t) {
    case SMTPC_T_LIST_ITEM: return 0;
    case SMTPC_T_LIST_AND: return 1;
    case SMTPC_T_LIST_OR: return 2;
    case SMTPC_T_JOIN_SENTENCES: return 3;
    case SMTPC_T_REFERENCE_SECTION: return 4;
    default: return -1;
    }
}

int smtpc_template_frame(struct smtpc_words *w, int t, const char *first, const char *second,
                         struct smtpc_frame *f)
{
    int slot = frame_slot(t);
    if (slot < 0)
        return find_frame(w, t, first, second, f);
    if (w->framed[slot] < 0) {
        int before = w->fell_back;
        w->fell_back = 0;
        w->framed[slot] = (signed char)find_frame(w, t, first, second, &w->frames[slot]);
        w->frame_english[slot] = (unsigned char)w->fell_back;
        w->fell_back = before;
    }
    w->fell_back |= w->frame_english[slot];
    *f = w->frames[slot];
    return w->framed[slot];
}

long smtpc_template_separator(struct smtpc_words *w, int t, const char *first, const char *second,
                              const char **sep)
{
    struct smtpc_frame f;
    if (!smtpc_template_frame(w, t, first, second, &f) || f.second_first || f.len[0] != 0 ||
        f.len[2] != 0)
        return -1;
    *sep = f.text[1];
    return (long)f.len[1];
}

void smtpc_put_item_separator(struct smtpc_buf *b, struct smtpc_words *w)
{
    const char *sep;
    long len = smtpc_template_separator(w, SMTPC_T_LIST_ITEM, "list", "item", &sep);
    if (len >= 0)
        smtpc_buf_append(b, sep, (size_t)len);
    else
        smtpc_buf_puts(b, ", ");
}

void smtpc_put_joined(struct smtpc_buf *b, struct smtpc_words *w, const char *const *items,
                      size_t n, int conjunction)
{
    /* a language's lists are nearly always "a, b and c": items between two separators */
    const char *mid, *last;
    long mid_len = smtpc_template_separator(w, SMTPC_T_LIST_ITEM, "list", "item", &mid);
    long last_len = smtpc_template_separator(w, conjunction, "list", "last", &last);
    if (mid_len >= 0 && last_len >= 0) {
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                smtpc_buf_append(b, i + 1 == n ? last : mid,
                                 (size_t)(i + 1 == n ? last_len : mid_len));
            smtpc_buf_puts(b, items[i]);
        }
        return;
    }
    /* else the list so far goes into the next template as {list} */
    struct smtpc_buf so_far, next;
    smtpc_buf_init(&so_far);
    smtpc_buf_init(&next);
    for (size_t i = 0; i < n; i++) {
        if (i == 0) {
            smtpc_buf_puts(&so_far, items[0]);
            continue;
        }
        const struct smtpc_arg args[] = {{"list", so_far.data != NULL ? so_far.data : ""},
                                         {"item", items[i]},
                                         {"last", items[i]}};
        next.len = 0;
        smtpc_put_template(&next, w, i + 1 == n ? conjunction : SMTPC_T_LIST_ITEM, args, 3);
        so_far.len = 0;
        smtpc_buf_append(&so_far, next.data != NULL ? next.data : "", next.len);
    }
    smtpc_buf_append(b, so_far.data != NULL ? so_far.data : "", so_far.len);
    b->failed |= so_far.failed | next.failed;
    smtpc_buf_free(&so_far);
    smtpc_buf_free(&next);
}

void smtpc_put_joined_with(struct smtpc_buf *b, struct smtpc_words *w, size_t n, int conjunction,
                           void (*put)(struct smtpc_buf *, struct smtpc_words *, const void *,
                                       size_t),
                           const void *ctx)
{
    const char *mid, *last;
    long mid_len = smtpc_template_separator(w, SMTPC_T_LIST_ITEM, "list", "item", &mid);
    long last_len = smtpc_template_separator(w, conjunction, "list", "last", &last);
    if (mid_len >= 0 && last_len >= 0) {
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                smtpc_buf_append(b, i + 1 == n ? last : mid,
                                 (size_t)(i + 1 == n ? last_len : mid_len));
            put(b, w, ctx, i);
        }
        return;
    }
    /* the items apart, then joined by the templates */
    enum { MAX_ITEMS = 32 };
    struct smtpc_buf text;
    smtpc_buf_init(&text);
    size_t ends[MAX_ITEMS];
    if (n > MAX_ITEMS)
        n = MAX_ITEMS;
    for (size_t i = 0; i < n; i++) {
        put(&text, w, ctx, i);
        smtpc_buf_putc(&text, '\0');
        ends[i] = text.len;
    }
    const char *items[MAX_ITEMS];
    for (size_t i = 0; i < n && !text.failed; i++)
        items[i] = text.data + (i == 0 ? 0 : ends[i - 1]);
    if (!text.failed)
        smtpc_put_joined(b, w, items, n, conjunction);
    b->failed |= text.failed;
    smtpc_buf_free(&text);
}

/* The items of a list joined by a separator, for smtpc_put_joined_with(): where each starts
 * and how long it is. */
struct list_items {
    const char *start[32];
    size_t len[32];
    void (*put)(struct smtpc_buf *, struct smtpc_words *, const char *, size_t);
};

static void put_list_item(struct smtpc_buf *b, struct smtpc_words *w, const void *ctx, size_t i)
{
    const struct list_items *items = ctx;
    items->put(b, w, items->start[i], items->len[i]);
}

void smtpc_put_list_words(struct smtpc_buf *b, struct smtpc_words *w, const char *list,
                          const char *separator, int conjunction,
                          void (*put)(struct smtpc_buf *, struct smtpc_words *, const char *,
                                      size_t))
{
    struct list_items items;
    items.put = put;
    size_t n = 0, sep_len = strlen(separator);
    for (const char *s = list; *s != '\0' && n < 32; n++) {
        items.start[n] = s;
        items.len[n] = smtpc_list_item_len(s, separator, sep_len);
        s = smtpc_list_next(s, items.len[n], sep_len);
    }
    smtpc_put_joined_with(b, w, n, conjunction, put_list_item, &items);
}

/* ---- taking templates apart ---- */

size_t smtpc_template_pieces(const char *text, struct smtpc_piece *out, size_t cap)
{
    size_t n = 0;
    const char *literal = text;
    for (const char *s = text;; s++) {
        struct placeholder ph;
        int at_end = *s == '\0';
        if (!at_end && (*s != '{' || !read_placeholder(&ph, s)))
            continue;
        if (s > literal) {
            if (n < cap)
                out[n] = (struct smtpc_piece){literal, (unsigned)(s - literal), 0, 0};
            n++;
        }
        if (at_end)
            return n;
        if (n < cap)
            out[n] =
                (struct smtpc_piece){ph.name, (unsigned)ph.name_len, 1, (unsigned char)ph.filters};
        n++;
        s += ph.len - 1;
        literal = s + 1;
    }
}

const struct smtpc_piece *smtpc_template_compile(struct smtpc_arena *arena, const char *text)
{
    size_t n = smtpc_template_pieces(text, NULL, 0);
    struct smtpc_piece *pieces = smtpc_arena_alloc(arena, (n + 1) * sizeof *pieces);
    if (pieces == NULL)
        return NULL;
    smtpc_template_pieces(text, pieces, n);
    for (size_t i = 0; i < n; i++) {
        if (!pieces[i].placeholder)
            continue;
        /* the name zero-padded, as struct smtpc_arg holds it */
        size_t size = pieces[i].len < SMTPC_NAME_KEY ? SMTPC_NAME_KEY : pieces[i].len + 1;
        char *key = smtpc_arena_alloc(arena, size);
        if (key == NULL)
            return NULL;
        memset(key, 0, size);
        memcpy(key, pieces[i].text, pieces[i].len);
        pieces[i].text = key;
    }
    pieces[n] = (struct smtpc_piece){NULL, 0, 0, 0};
    return pieces;
}

/* ---- checking a translation of a template ---- */

/* Whether every placeholder of the translation `have` is one of the English `want`. */
static int names_within(const char *have, const char *want, char *why, size_t size,
                        unsigned long *column)
{
    for (const char *s = strchr(have, '{'); s != NULL; s = strchr(s + 1, '{')) {
        struct placeholder ph, other;
        if (!read_placeholder(&ph, s))
            continue;
        int found = 0;
        for (const char *o = strchr(want, '{'); o != NULL && !found; o = strchr(o + 1, '{'))
            found = read_placeholder(&other, o) && other.name_len == ph.name_len &&
                    memcmp(other.name, ph.name, ph.name_len) == 0;
        if (!found) {
            *column = (unsigned long)(s - have) + 1;
            snprintf(why, size, "the placeholder {%.*s} is not one of the template's",
                     (int)ph.name_len, ph.name);
            return 0;
        }
    }
    return 1;
}

int smtpc_template_check(int t, const char *text, char *why, size_t size, unsigned long *column)
{
    const char *english = smtpc_template_english(t);
    for (const char *s = strchr(text, '{'); s != NULL; s = strchr(s + 1, '{')) {
        struct placeholder ph;
        if (!read_placeholder(&ph, s)) {
            *column = (unsigned long)(s - text) + 1;
            snprintf(why, size, "a '{' that starts no placeholder {name} or {name|filter}");
            return 0;
        }
        if (ph.bad_filter != 0) {
            *column = (unsigned long)(s - text) + 1 + ph.bad_filter;
            snprintf(why, size, "an unknown filter (clause, sentence, capital, a)");
            return 0;
        }
    }
    if (!names_within(text, english, why, size, column))
        return 0;
    /* and every placeholder of the English is there */
    for (const char *s = strchr(english, '{'); s != NULL; s = strchr(s + 1, '{')) {
        struct placeholder ph, other;
        if (!read_placeholder(&ph, s))
            continue;
        int found = 0;
        for (const char *o = strchr(text, '{'); o != NULL && !found; o = strchr(o + 1, '{'))
            found = read_placeholder(&other, o) && other.name_len == ph.name_len &&
                    memcmp(other.name, ph.name, ph.name_len) == 0;
        if (!found) {
            *column = 1;
            snprintf(why, size, "the placeholder {%.*s} of the English is missing",
                     (int)ph.name_len, ph.name);
            return 0;
        }
    }
    return 1;
}

/* ---- the public calls ---- */

int smtpc_language_direction(const smtpc_db *db, const char *tag, size_t len)
{
    const struct smtpc_language *lang = db != NULL ? smtpc_language_find(db, tag, len) : NULL;
    return lang != NULL ? lang->direction : SMTPC_DIRECTION_LTR;
}

int smtpc_language_completeness(size_t *translated, size_t *total, const smtpc_db *db,
                                const char *tag, size_t len, smtpc_error *err)
{
    if (translated == NULL || total == NULL || db == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    const struct smtpc_language *lang = smtpc_language_require(db, tag, len, err);
    if (lang == NULL)
        return SMTPC_ELANG;
    int source = strcmp(lang->tag, "en") == 0;
    size_t n = smtpc_message_count(db);
    *translated = *total = 0;
    for (size_t id = 0; id < n; id++) {
        if (smtpc_message_english(db, id)[0] == '\0')
            continue;
        (*total)++;
        *translated += source || (lang->texts != NULL && lang->texts[id] != NULL);
    }
    return 0;
}

int smtpc_entry_text(const char **out, int *translated, const smtpc_db *db,
                     const smtpc_entry *entry, int text, const char *lang, size_t lang_len,
                     smtpc_error *err)
{
    if (out == NULL || db == NULL || entry == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    if (text < 0 || text >= SMTPC_TEXT_COUNT)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "unknown text %d", text);
    if (smtpc_message_of_entry(db, entry, text) == SMTPC_NO_MESSAGE)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "entry %s is not one of this database's", entry->code);
    const struct smtpc_language *language = smtpc_language_require(db, lang, lang_len, err);
    if (language == NULL)
        return SMTPC_ELANG;
    struct smtpc_words w;
    smtpc_words_init(&w, db, language);
    *out = smtpc_say_entry(&w, entry, text);
    if (translated != NULL)
        *translated = !w.fell_back;
    return 0;
}

int smtpc_render_message(char **out, size_t *out_len, const smtpc_db *db, const char *lang,
                         size_t lang_len, const char *name, const char *const *names,
                         const char *const *values, size_t n, smtpc_error *err)
{
    if (out == NULL || db == NULL || name == NULL || (n > 0 && (names == NULL || values == NULL)))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    int t = 0;
    while (t < SMTPC_TEMPLATE_COUNT && strcmp(smtpc_template_name(t), name) != 0)
        t++;
    if (t == SMTPC_TEMPLATE_COUNT)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "no message is named '%.60s'", name);
    const struct smtpc_language *language = smtpc_language_require(db, lang, lang_len, err);
    if (language == NULL)
        return SMTPC_ELANG;
    enum { MAX_ARGS = 16 };
    struct smtpc_arg args[MAX_ARGS];
    size_t k = 0;
    for (size_t i = 0; i < n && k < MAX_ARGS; i++) {
        if (names[i] != NULL && values[i] != NULL && smtpc_arg_name(&args[k], names[i])) {
            args[k].value = values[i];
            k++;
        }
    }
    struct smtpc_words w;
    smtpc_words_init(&w, db, language);
    struct smtpc_buf b;
    smtpc_buf_init(&b);
    smtpc_put_template(&b, &w, t, args, k);
    smtpc_buf_putc(&b, '\0');
    b.len--;
    *out = smtpc_buf_take(&b, out_len);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}
