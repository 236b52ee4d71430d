/*
 * catalog.c - gettext catalogs of translations (docs/translation.md), read into a database.
 *
 * A catalog is a PO file (the GNU gettext manual, "The Format of PO Files"): each message has
 * a context naming the text ("421 description"), the English text as its msgid and the
 * translation as its msgstr. A translation counts only while its msgid is the database's
 * English text: an English edit leaves it stale, and the reader gets English, as a fuzzy or
 * empty msgstr gives. The built-in catalogs are read by the generator of the built-in database
 * with this same reader, so a catalog the build accepts is one smtpc_db_load_catalog() accepts.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_CATALOG_BYTES = 16 * 1024 * 1024, MAX_MESSAGE_BYTES = 65536 };

/* One message as the file writes it. */
struct po_message {
    const char *context; /* NULL without msgctxt */
    const char *id;
    const char *str;
    int fuzzy;
    unsigned long line;       /* of its first keyword */
    unsigned long str_line;   /* of its msgstr */
    unsigned long str_column; /* where the msgstr's text starts on that line, when it has one
                                 line and no escape; else 1 */
};

/* Which string continuation lines add to. */
enum po_field { PO_NONE, PO_CONTEXT, PO_ID, PO_STR };

struct po_reader {
    const char *source;
    smtpc_error *err;
    unsigned long line;
    struct smtpc_arena *arena;
    struct po_message *items;
    size_t n, cap;
    /* the message being read */
    struct smtpc_buf strings[3]; /* context, id, str */
    int has[3];
    int fuzzy, next_fuzzy;
    unsigned long first_line, str_line, str_column;
    enum po_field field;
};

static int po_fail(struct po_reader *r, unsigned long column, const char *what)
{
    return smtpc_set_error(r->err, SMTPC_EDATA, r->source, r->line, column, "%s", what);
}

static int po_out_of_memory(struct po_reader *r)
{
    return smtpc_set_error(r->err, SMTPC_ENOMEM, r->source, 0, 0, "out of memory");
}

static const char *keep(struct po_reader *r, const struct smtpc_buf *b)
{
    return smtpc_arena_strndup(r->arena, b->data != NULL ? b->data : "", b->len);
}

/* Ends the message being read, if any; a message needs a msgid and a msgstr. */
static int finish_message(struct po_reader *r)
{
    if (!r->has[PO_CONTEXT - 1] && !r->has[PO_ID - 1] && !r->has[PO_STR - 1])
        return 0;
    if (!r->has[PO_ID - 1] || !r->has[PO_STR - 1]) {
        r->line = r->first_line;
        return po_fail(
            r, 1, r->has[PO_ID - 1] ? "a msgid without a msgstr" : "a message without a msgid");
    }
    if (r->n == r->cap) {
        struct po_message *grown = smtpc_array_grow(r->items, &r->cap, sizeof *grown, 256);
        if (grown == NULL)
            return po_out_of_memory(r);
        r->items = grown;
    }
    struct po_message *m = &r->items[r->n];
    m->context = r->has[PO_CONTEXT - 1] ? keep(r, &r->strings[PO_CONTEXT - 1]) : NULL;
    m->id = keep(r, &r->strings[PO_ID - 1]);
    m->str = keep(r, &r->strings[PO_STR - 1]);
    if ((r->has[PO_CONTEXT - 1] && m->context == NULL) || m->id == NULL || m->str == NULL)
        return po_out_of_memory(r);
    m->fuzzy = r->fuzzy;
    m->line = r->first_line;
    m->str_line = r->str_line;
    m->str_column = r->str_column;
    r->n++;
    for (int i = 0; i < 3; i++) {
        r->strings[i].len = 0;
        r->has[i] = 0;
    }
    r->fuzzy = 0;
    r->field = PO_NONE;
    return 0;
}

static int escape_value(char c)
{
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case '"': return '"';
    case '\\': return '\\';
    default: return -1;
    }
}

/* Reads the quoted string at line[*at] into `b` (appending). */
static int read_string(struct po_reader *r, const char *line, size_t len, size_t at,
                       struct smtpc_buf *b)
{
    while (at < len && (line[at] == ' ' || line[at] == '\t'))
        at++;
    if (at >= len || line[at] != '"')
        return po_fail(r, (unsigned long)at + 1, "expected a string in double quotes");
    for (at++; at < len && line[at] != '"'; at++) {
        char c = line[at];
        if ((unsigned char)c < 0x20)
            return po_fail(r, (unsigned long)at + 1, "a control character in a string");
        if (c == '\\') {
            int v = at + 1 < len ? escape_value(line[at + 1]) : -1;
            if (b == &r->strings[PO_STR - 1])
                r->str_column = 1; /* decoded offsets no longer match the line's */
            if (v < 0)
                return po_fail(r, (unsigned long)at + 1,
                               "an unknown escape: a string may use \\n, \\t, \\\" and \\\\");
            c = (char)v;
            at++;
        }
        smtpc_buf_putc(b, c);
    }
    if (at >= len)
        return po_fail(r, (unsigned long)len + 1, "a string without its closing quote");
    for (at++; at < len; at++) {
        if (line[at] != ' ' && line[at] != '\t')
            return po_fail(r, (unsigned long)at + 1, "text after the closing quote");
    }
    if (b->failed)
        return po_out_of_memory(r);
    if (b->len > MAX_MESSAGE_BYTES)
        return po_fail(r, 1, "a message longer than 65536 bytes");
    return 0;
}

static int starts_with(const char *line, size_t len, const char *word)
{
    size_t n = strlen(word);
    return len >= n && memcmp(line, word, n) == 0 &&
           (len == n || line[n] == ' ' || line[n] == '\t' || line[n] == '"');
}

/* A "#," line: the flags of the next message; only "fuzzy" matters here. */
static void read_flags(struct po_reader *r, const char *line, size_t len)
{
    for (size_t i = 2; i + 5 <= len; i++) {
        if (memcmp(line + i, "fuzzy", 5) == 0 && strchr(" ,", line[i - 1]) != NULL &&
            (i + 5 == len || strchr(" ,", line[i + 5]) != NULL))
            r->next_fuzzy = 1;
    }
}

/* A keyword line: msgctxt, msgid or msgstr and its string. */
static int read_keyword(struct po_reader *r, const char *line, size_t len)
{
    static const char *const keywords[] = {"msgctxt", "msgid", "msgstr"};
    if (starts_with(line, len, "msgid_plural") || (len > 7 && memcmp(line, "msgstr[", 7) == 0))
        return po_fail(r, 1, "a plural form: the texts of smtpcodes have none");
    for (int k = 0; k < 3; k++) {
        if (!starts_with(line, len, keywords[k]))
            continue;
        enum po_field field = (enum po_field)(k + 1);
        /* a msgctxt or msgid after a msgstr starts the next message */
        if (field != PO_STR && r->has[PO_STR - 1]) {
            int rc = finish_message(r);
            if (rc != 0)
                return rc;
        }
        /* a msgctxt or msgid after a msgid without its msgstr: that message is cut short */
        if (field != PO_STR && r->has[PO_ID - 1])
            return finish_message(r);
        if (r->has[field - 1])
            return po_fail(r, 1,
                           field == PO_STR ? "a second msgstr for one msgid"
                                           : "a second msgctxt in one message");
        if (field == PO_CONTEXT && r->has[PO_ID - 1])
            return po_fail(r, 1, "a msgctxt after its msgid: it comes first");
        if (field == PO_STR && !r->has[PO_ID - 1])
            return po_fail(r, 1, "a msgstr without a msgid");
        if (!r->has[0] && !r->has[1] && !r->has[2]) {
            r->first_line = r->line;
            r->fuzzy = r->next_fuzzy;
            r->next_fuzzy = 0;
        }
        if (field == PO_STR) {
            r->str_line = r->line;
            r->str_column = (unsigned long)strlen("msgstr \"") + 1;
        }
        r->has[field - 1] = 1;
        r->field = field;
        return read_string(r, line, len, strlen(keywords[k]), &r->strings[field - 1]);
    }
    return po_fail(r, 1, "expected msgctxt, msgid, msgstr, a string or a # comment");
}

static int read_line(struct po_reader *r, const char *line, size_t len)
{
    size_t blank = 0;
    while (blank < len && (line[blank] == ' ' || line[blank] == '\t'))
        blank++;
    if (blank == len)
        return r->has[PO_STR - 1] ? finish_message(r) : 0;
    if (line[0] == '#') {
        /* a comment ends a message, and "#~" obsolete messages are not read at all */
        int rc = r->has[PO_STR - 1] ? finish_message(r) : 0;
        if (rc == 0 && len >= 2 && line[1] == ',')
            read_flags(r, line, len);
        return rc;
    }
    if (line[blank] == '"') {
        if (r->field == PO_NONE)
            return po_fail(r, (unsigned long)blank + 1, "a string that continues no keyword");
        if (r->field == PO_STR)
            r->str_column = 1; /* the text spans lines: point at the msgstr */
        return read_string(r, line, len, blank, &r->strings[r->field - 1]);
    }
    return read_keyword(r, line, len);
}

/* Where the first byte of `data` that is no UTF-8 is, as a line and column; 0 when all is. */
static int find_bad_utf8(const char *data, size_t len, unsigned long *line, unsigned long *column)
{
    *line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < len;) {
        size_t n = smtpc_utf8_sequence((const unsigned char *)data + i, len - i);
        if (n == 0 || data[i] == '\0') {
            *column = (unsigned long)(i - line_start) + 1;
            return 1;
        }
        if (data[i] == '\n') {
            (*line)++;
            line_start = i + 1;
        }
        i += n;
    }
    return 0;
}

static void free_reader(struct po_reader *r)
{
    for (int i = 0; i < 3; i++)
        smtpc_buf_free(&r->strings[i]);
    free(r->items);
    smtpc_arena_free(r->arena);
}

static int read_catalog(struct po_reader *r, const char *data, size_t len)
{
    unsigned long line, column;
    if (len > MAX_CATALOG_BYTES)
        return smtpc_set_error(r->err, SMTPC_EDATA, r->source, 0, 0,
                               "larger than the 16 MiB a catalog may hold");
    if (find_bad_utf8(data, len, &line, &column))
        return smtpc_set_error(r->err, SMTPC_EDATA, r->source, line, column,
                               "not UTF-8 (a catalog is UTF-8 throughout)");
    r->arena = smtpc_arena_new();
    if (r->arena == NULL)
        return po_out_of_memory(r);
    for (size_t at = 0; at < len;) {
        const char *end = memchr(data + at, '\n', len - at);
        size_t n = end != NULL ? (size_t)(end - (data + at)) : len - at;
        r->line++;
        int rc = read_line(r, data + at, n > 0 && data[at + n - 1] == '\r' ? n - 1 : n);
        if (rc != 0)
            return rc;
        at += n + (end != NULL);
    }
    r->line++;
    return finish_message(r);
}

/* ---- the header ---- */

/* The value of header field `name` of the header's msgstr, into `out` (`size` bytes). */
static int header_field(const char *header, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    for (const char *s = header; *s != '\0';) {
        const char *end = strchr(s, '\n');
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        if (len > n + 1 && memcmp(s, name, n) == 0 && s[n] == ':') {
            const char *v = s + n + 1;
            while (*v == ' ')
                v++;
            size_t vlen = len - (size_t)(v - s);
            while (vlen > 0 && v[vlen - 1] == ' ')
                vlen--;
            snprintf(out, size, "%.*s", (int)(vlen < size ? vlen : size - 1), v);
            return 1;
        }
        s += len + (end != NULL);
    }
    return 0;
}

/* The language of the catalog from its header (msgid ""), which must name one the database
 * has, and a charset of UTF-8 when it names one. */
static int catalog_language(struct po_reader *r, const smtpc_db *db,
                            const struct smtpc_language **out)
{
    const struct po_message *header = NULL;
    for (size_t i = 0; i < r->n && header == NULL; i++) {
        if (r->items[i].context == NULL && r->items[i].id[0] == '\0')
            header = &r->items[i];
    }
    char value[128];
    r->line = header != NULL ? header->str_line : 1;
    if (header == NULL || !header_field(header->str, "Language", value, sizeof value) ||
        value[0] == '\0')
        return po_fail(r, 1, "the header (msgid \"\") names no Language");
    *out = smtpc_language_find(db, value, strlen(value));
    if (*out == NULL) {
        char what[200];
        snprintf(what, sizeof what,
                 "Language: '%s' is not a language of the database (a "
                 "data file adds one with a Language record)",
                 value);
        return po_fail(r, 1, what);
    }
    if (strcmp((*out)->tag, "en") == 0)
        return po_fail(r, 1,
                       "Language: 'en' is the source language: its texts are the data "
                       "file's and the templates'");
    char type[128];
    if (header_field(header->str, "Content-Type", type, sizeof type)) {
        const char *charset = strstr(type, "charset=");
        if (charset != NULL && strcmp(charset + 8, "UTF-8") != 0 &&
            strcmp(charset + 8, "utf-8") != 0)
            return po_fail(r, 1, "Content-Type: the charset must be UTF-8");
    }
    return 0;
}

/* ---- contexts to message numbers ---- */

/* A message's context and number, for finding a message by its context. */
struct context_item {
    const char *context;
    size_t id;
};

/* Every context of a database, sorted. */
struct context_index {
    struct smtpc_buf text; /* the contexts, each NUL-terminated */
    struct context_item *items;
    size_t n;
};

static int compare_items(const void *a, const void *b)
{
    return strcmp(((const struct context_item *)a)->context,
                  ((const struct context_item *)b)->context);
}

static void free_index(struct context_index *x)
{
    smtpc_buf_free(&x->text);
    free(x->items);
}

static int build_index(struct context_index *x, const smtpc_db *db)
{
    x->n = smtpc_message_count(db);
    smtpc_buf_init(&x->text);
    x->items = malloc((x->n + 1) * sizeof *x->items);
    if (x->items == NULL)
        return SMTPC_ENOMEM;
    /* offsets first: the text moves as it grows */
    for (size_t id = 0; id < x->n; id++) {
        x->items[id].id = x->text.len;
        smtpc_message_context(&x->text, db, id);
        smtpc_buf_putc(&x->text, '\0');
    }
    if (x->text.failed) {
        free_index(x);
        return SMTPC_ENOMEM;
    }
    for (size_t id = 0; id < x->n; id++) {
        x->items[id].context = x->text.data + x->items[id].id;
        x->items[id].id = id;
    }
    qsort(x->items, x->n, sizeof *x->items, compare_items);
    return 0;
}

/* The message whose context is `context`, or SMTPC_NO_MESSAGE. */
static size_t find_context(const struct context_index *x, const char *context)
{
    struct context_item key = {context, 0};
    const struct context_item *found =
        x->n > 0 ? bsearch(&key, x->items, x->n, sizeof *x->items, compare_items) : NULL;
    return found != NULL ? found->id : SMTPC_NO_MESSAGE;
}

/* ---- applying a catalog ---- */

/* Whether a translation is fit to show: no control character but the paragraph break. */
static int has_control(const char *s)
{
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s < 0x20 && *s != '\n')
            return 1;
    }
    return 0;
}

/* Checks message `m` of the catalog against message `id` of the database and, when it is a
 * translation to use (neither fuzzy nor empty nor stale), stores it in `texts`. */
static int take_message(struct po_reader *r, const smtpc_db *db, const struct po_message *m,
                        size_t id, const char **texts)
{
    r->line = m->str_line;
    if (has_control(m->str))
        return po_fail(r, 1, "a control character other than \\n in the translation");
    if (m->fuzzy || m->str[0] == '\0' || strcmp(m->id, smtpc_message_english(db, id)) != 0)
        return 0;
    if (id < SMTPC_TEMPLATE_COUNT) {
        char why[160];
        unsigned long column = 1;
        if (!smtpc_template_check((int)id, m->str, why, sizeof why, &column))
            return po_fail(r, m->str_column > 1 ? m->str_column + column - 1 : 1, why);
    }
    texts[id] = m->str;
    return 0;
}

/* Reads the messages of `r` into a new array of translations of `lang`, on top of what it
 * has; the strings are copied into the database's arena. */
static int take_messages(struct po_reader *r, smtpc_db *db, const struct smtpc_language *lang,
                         const char ***out)
{
    struct context_index x;
    if (build_index(&x, db) != 0)
        return po_out_of_memory(r);
    size_t n = x.n;
    const char **texts = calloc(n + 1, sizeof *texts);
    char *seen = calloc(n + 1, 1);
    int rc = texts == NULL || seen == NULL ? po_out_of_memory(r) : 0;
    for (size_t i = 0; i < n && rc == 0 && lang->texts != NULL; i++)
        texts[i] = lang->texts[i];
    for (size_t i = 0; i < r->n && rc == 0; i++) {
        const struct po_message *m = &r->items[i];
        if (m->context == NULL) {
            r->line = m->line;
            if (m->id[0] != '\0')
                rc = po_fail(r, 1,
                             "a message without a msgctxt: every text of smtpcodes is "
                             "named by one (\"421 description\")");
            continue;
        }
        size_t id = find_context(&x, m->context);
        r->line = m->line;
        if (id == SMTPC_NO_MESSAGE) {
            char what[200];
            snprintf(what, sizeof what, "msgctxt \"%.80s\" names no text of the database",
                     m->context);
            rc = po_fail(r, 1, what);
        } else if (seen[id]) {
            rc = po_fail(r, 1, "a second message with this msgctxt");
        } else {
            seen[id] = 1;
            rc = take_message(r, db, m, id, texts);
        }
    }
    /* the strings move from the reader's arena to the database's */
    for (size_t i = 0; i < n && rc == 0; i++) {
        int own = texts[i] != NULL && (lang->texts == NULL || texts[i] != lang->texts[i]);
        if (own && (texts[i] = smtpc_arena_strndup(db->arena, texts[i], strlen(texts[i]))) == NULL)
            rc = po_out_of_memory(r);
    }
    const char **kept = NULL;
    if (rc == 0 && (kept = smtpc_arena_alloc(db->arena, (n + 1) * sizeof *kept)) == NULL)
        rc = po_out_of_memory(r);
    if (rc == 0) {
        memcpy(kept, texts, (n + 1) * sizeof *kept);
        *out = kept;
    }
    free(texts);
    free(seen);
    free_index(&x);
    return rc;
}

/* The templates of language `lang` taken apart, for its translations `texts`: the pieces it
 * has already where a translation is the same string, else new ones in the arena. */
static int compile_translated(smtpc_db *db, const struct smtpc_language *lang, const char **texts,
                              const struct smtpc_piece ***out, smtpc_error *err)
{
    const struct smtpc_piece **templates =
        smtpc_arena_alloc(db->arena, SMTPC_TEMPLATE_COUNT * sizeof *templates);
    if (templates == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    for (size_t t = 0; t < SMTPC_TEMPLATE_COUNT; t++) {
        int same = lang->texts != NULL && lang->templates != NULL && texts[t] == lang->texts[t];
        templates[t] = same ? lang->templates[t] : NULL;
        if (!same && texts[t] != NULL &&
            (templates[t] = smtpc_template_compile(db->arena, texts[t])) == NULL)
            return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    }
    *out = templates;
    return 0;
}

int smtpc_catalog_apply(smtpc_db *db, const char *data, size_t len, const char *source,
                        smtpc_error *err)
{
    if (db == NULL || (data == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (db->arena == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "the built-in database is immutable: load a data file over it "
                               "(smtpc_db_load) and give that one the catalog");
    struct po_reader r;
    memset(&r, 0, sizeof r);
    r.source = source != NULL ? source : "<buffer>";
    r.err = err;
    const struct smtpc_language *lang = NULL;
    const char **texts = NULL;
    int rc = read_catalog(&r, data != NULL ? data : "", len);
    if (rc == 0)
        rc = catalog_language(&r, db, &lang);
    if (rc == 0)
        rc = take_messages(&r, db, lang, &texts);
    const struct smtpc_piece **templates = NULL;
    if (rc == 0 && (rc = compile_translated(db, lang, texts, &templates, err)) == 0) {
        /* the loaded database's own arrays: nothing is changed before all is read */
        struct smtpc_language *changed = (struct smtpc_language *)lang;
        changed->texts = texts;
        changed->templates = templates;
    }
    free_reader(&r);
    return rc;
}

/* ---- translations carried over to a database laid over another ---- */

/* The translations of `base_lang` (of `base`, indexed by `base_index`) whose context and
 * English text are the same in `db`, into `texts`; strings of a loaded base are copied. */
static int carry_language(smtpc_db *db, const smtpc_db *base,
                          const struct context_index *base_index,
                          const struct smtpc_language *base_lang, const char **texts)
{
    struct smtpc_buf context;
    smtpc_buf_init(&context);
    size_t n = smtpc_message_count(db);
    for (size_t id = 0; id < n; id++) {
        context.len = 0;
        smtpc_message_context(&context, db, id);
        smtpc_buf_putc(&context, '\0');
        if (context.failed)
            break;
        size_t from = find_context(base_index, context.data);
        if (from == SMTPC_NO_MESSAGE || base_lang->texts[from] == NULL ||
            strcmp(smtpc_message_english(base, from), smtpc_message_english(db, id)) != 0)
            continue;
        const char *t = base_lang->texts[from];
        texts[id] = base->arena == NULL ? t : smtpc_arena_strndup(db->arena, t, strlen(t));
        if (texts[id] == NULL)
            context.failed = 1;
    }
    int failed = context.failed;
    smtpc_buf_free(&context);
    return failed ? SMTPC_ENOMEM : 0;
}

/* The English templates taken apart, in the database's arena. */
static const struct smtpc_piece *const *compile_english(smtpc_db *db)
{
    const struct smtpc_piece **templates =
        smtpc_arena_alloc(db->arena, SMTPC_TEMPLATE_COUNT * sizeof *templates);
    for (int t = 0; templates != NULL && t < SMTPC_TEMPLATE_COUNT; t++) {
        if ((templates[t] = smtpc_template_compile(db->arena, smtpc_template_english(t))) == NULL)
            return NULL;
    }
    return templates;
}

int smtpc_translations_carry(smtpc_db *db, const smtpc_db *base, smtpc_error *err)
{
    struct context_index base_index = {0};
    int indexed = 0;
    size_t n = smtpc_message_count(db);
    int rc = 0;
    for (size_t i = 0; i < db->n_languages && rc == 0; i++) {
        struct smtpc_language *lang = (struct smtpc_language *)&db->languages[i];
        if (strcmp(lang->tag, "en") == 0) {
            lang->texts = NULL;
            const struct smtpc_language *base_en =
                base != NULL && base->arena == NULL ? smtpc_language_find(base, "en", 2) : NULL;
            if (base_en != NULL)
                lang->templates = base_en->templates;
            else if ((lang->templates = compile_english(db)) == NULL)
                rc = SMTPC_ENOMEM;
            continue;
        }
        const struct smtpc_language *base_lang =
            base != NULL ? smtpc_language_find(base, lang->tag, strlen(lang->tag)) : NULL;
        if (base_lang != NULL && strcmp(base_lang->tag, lang->tag) != 0)
            base_lang = NULL;
        const char **texts = smtpc_arena_alloc(db->arena, (n + 1) * sizeof *texts);
        if (texts == NULL) {
            rc = SMTPC_ENOMEM;
            break;
        }
        memset(texts, 0, (n + 1) * sizeof *texts);
        if (base_lang != NULL && base_lang->texts != NULL) {
            if (!indexed && (rc = build_index(&base_index, base)) == 0)
                indexed = 1;
            if (rc == 0)
                rc = carry_language(db, base, &base_index, base_lang, texts);
        }
        /* the labels a record gives are its language's translation of them */
        for (int k = 0; k < SMTPC_LABEL_COUNT; k++) {
            if (lang->labels[k] != NULL)
                texts[SMTPC_MESSAGE_LABELS + (size_t)k] = lang->labels[k];
        }
        lang->texts = texts;
        /* the built-in database's pieces serve as they are; a loaded base's are its own */
        if (base_lang != NULL && base->arena == NULL) {
            lang->templates = base_lang->templates;
        } else {
            lang->templates = NULL;
            const struct smtpc_piece **templates = NULL;
            if (rc == 0 && compile_translated(db, lang, texts, &templates, NULL) != 0)
                rc = SMTPC_ENOMEM;
            lang->templates = templates;
        }
    }
    if (indexed)
        free_index(&base_index);
    return rc == 0 ? 0 : smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
}

/* ---- the public calls ---- */

int smtpc_db_load_catalog_buffer(smtpc_db *db, const char *data, size_t len, const char *source,
                                 smtpc_error *err)
{
    return smtpc_catalog_apply(db, data, len, source, err);
}

int smtpc_db_load_catalog(smtpc_db *db, const char *path, smtpc_error *err)
{
    if (db == NULL || path == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return smtpc_set_error(err, SMTPC_EIO, path, 0, 0, "cannot open: %s",
                               smtpc_errno_text(errno));
    struct smtpc_buf buf;
    smtpc_buf_init(&buf);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && buf.len <= MAX_CATALOG_BYTES)
        smtpc_buf_append(&buf, chunk, got);
    int read_failed = ferror(f);
    int saved_errno = errno;
    fclose(f);
    int rc;
    if (buf.failed)
        rc = smtpc_set_error(err, SMTPC_ENOMEM, path, 0, 0, "out of memory");
    else if (read_failed)
        rc = smtpc_set_error(err, SMTPC_EIO, path, 0, 0, "cannot read: %s",
                             smtpc_errno_text(saved_errno));
    else
        rc = smtpc_catalog_apply(db, buf.data, buf.len, path, err);
    smtpc_buf_free(&buf);
    return rc;
}

/* ---- writing a catalog ---- */

/* Appends `s` as the body of a PO string: escaped, split after each paragraph break. */
static void put_po_string(struct smtpc_buf *b, const char *keyword, const char *s)
{
    smtpc_buf_printf(b, "%s ", keyword);
    if (strchr(s, '\n') != NULL)
        smtpc_buf_puts(b, "\"\"\n");
    smtpc_buf_putc(b, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') {
            smtpc_buf_putc(b, '\\');
            smtpc_buf_putc(b, *s);
        } else if (*s == '\n') {
            smtpc_buf_puts(b, s[1] != '\0' ? "\\n\"\n\"" : "\\n");
        } else if (*s == '\t') {
            smtpc_buf_puts(b, "\\t");
        } else {
            smtpc_buf_putc(b, *s);
        }
    }
    smtpc_buf_puts(b, "\"\n");
}

int smtpc_render_catalog(char **out, size_t *out_len, const smtpc_db *db, const char *lang,
                         size_t lang_len, smtpc_error *err)
{
    if (out == NULL || db == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    const struct smtpc_language *language = NULL;
    if (lang != NULL && (language = smtpc_language_require(db, lang, lang_len, err)) == NULL)
        return SMTPC_ELANG;
    struct smtpc_buf b;
    smtpc_buf_init(&b);
    smtpc_buf_printf(&b,
                     "# The texts of smtpcodes %s, for translators: docs/translation.md.\n"
                     "msgid \"\"\nmsgstr \"\"\n"
                     "\"Project-Id-Version: smtpcodes %s\\n\"\n"
                     "\"Language: %s\\n\"\n"
                     "\"MIME-Version: 1.0\\n\"\n"
                     "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                     "\"Content-Transfer-Encoding: 8bit\\n\"\n",
                     smtpc_version(), smtpc_version(), language != NULL ? language->tag : "");
    size_t n = smtpc_message_count(db);
    for (size_t id = 0; id < n; id++) {
        const char *english = smtpc_message_english(db, id);
        if (english[0] == '\0')
            continue;
        const char *translation =
            language != NULL && language->texts != NULL && language->texts[id] != NULL
                ? language->texts[id]
                : "";
        smtpc_buf_puts(&b, "\n");
        if (id < SMTPC_TEMPLATE_COUNT)
            smtpc_buf_puts(&b, "#. a template: keep its {placeholders}; docs/translation.md\n");
        smtpc_buf_puts(&b, "msgctxt \"");
        smtpc_message_context(&b, db, id);
        smtpc_buf_puts(&b, "\"\n");
        put_po_string(&b, "msgid", english);
        put_po_string(&b, "msgstr", translation);
    }
    *out = smtpc_buf_take(&b, out_len);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}
