/*
 * internal.h - what the core's source files share and the public header keeps opaque.
 */
#ifndef SMTPC_INTERNAL_H
#define SMTPC_INTERNAL_H

#include "smtpcodes.h"
#include "logs/logs.h"
#include "templates.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define SMTPC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
/* For the few functions that must be inlined wherever they are called, even where link-time
 * optimisation would rather call one copy (smtpc_buf_append()). */
#define SMTPC_ALWAYS_INLINE __attribute__((always_inline))
#else
#define SMTPC_PRINTF(fmt, args)
#define SMTPC_ALWAYS_INLINE
#endif

/* A template taken apart once, when its catalog is read (or the build compiles it): its
 * literal runs and its placeholders in order, ended by a piece whose text is NULL. Composing a
 * sentence then copies pieces and values, and parses nothing. */
struct smtpc_piece {
    const char *text;         /* a literal run, or a placeholder's name: SMTPC_NAME_KEY bytes
                                 or more, zero-padded (struct smtpc_arg) */
    unsigned len;             /* its length */
    unsigned char placeholder; /* 1 for a placeholder */
    unsigned char filters;    /* a placeholder's filters: SMTPC_FILTER_* bits */
};

enum { SMTPC_FILTER_CLAUSE = 1, SMTPC_FILTER_SENTENCE = 2, SMTPC_FILTER_CAPITAL = 4,
       SMTPC_FILTER_ARTICLE = 8 };

/* One language (a `Language` record of the data file) and its translations. */
struct smtpc_language {
    const char *tag;
    const char *name;
    /* The section labels as the record writes them: all six for "en", whose labels are the
     * source text of every translation of them; NULL where another record gives none. */
    const char *labels[SMTPC_LABEL_COUNT];
    int direction; /* enum smtpc_direction */
    /* The translation of each message of the database (smtpc_message_count() of them, by
     * message number), NULL where the language has none; NULL for English, the source. */
    const char *const *texts;
    /* Each template taken apart (SMTPC_TEMPLATE_COUNT of them): English's for "en", the
     * language's own where it translates one, else NULL; NULL when it translates none. */
    const struct smtpc_piece *const *templates;
};

/* A reason a delivery failed (a `Reason` record of the data file). */
struct smtpc_reason_def {
    const char *name;        /* "userunknown" */
    int hard;                /* 1 (yes), 0 (no), -1 (none: not a failure) */
    const char *description; /* what it means and what a postmaster does */
};

/* A text that decides a reason (a `Pattern` record of the data file). */
struct smtpc_pattern {
    const char *text;                     /* as the file writes it */
    const char *match;                    /* the same, ASCII letters lower-cased */
    size_t len;                           /* the length of both */
    const struct smtpc_reason_def *reason; /* the record it names, in the same database */
    const char *source;                   /* where the text is seen */
    const smtpc_provider *provider;       /* the provider it is tried for, or NULL for all */
};

/* A database. The built-in one is a static constant generated from the data file; a loaded one
 * keeps every array and string in `arena`, so one call frees it all. Each array is sorted by
 * its key (entries by smtpc_code_key(), groups by number, languages by tag, reasons by name,
 * providers by slug, the providers' entries by smtpc_provider_entry_compare()), except the
 * patterns, which keep the order of the file: the first that matches decides. */
struct smtpc_db {
    const smtpc_entry *entries;
    size_t n_entries;
    const smtpc_group *classes;
    size_t n_classes;
    const smtpc_group *categories;
    size_t n_categories;
    const smtpc_group *subjects;
    size_t n_subjects;
    const struct smtpc_language *languages;
    size_t n_languages;
    const struct smtpc_reason_def *reasons;
    size_t n_reasons;
    const struct smtpc_pattern *patterns;
    size_t n_patterns;
    const smtpc_provider *providers;
    size_t n_providers;
    const smtpc_entry *provider_entries;
    size_t n_provider_entries;
    struct smtpc_arena *arena; /* NULL for the built-in database */
};

/* The built-in database, defined by the generated builtin.c. */
extern const struct smtpc_db smtpc_builtin_db;

/* ---- names (names.c) ---- */

/* The index of `name` (`len` bytes, exact case) in enumeration `which`, or -1. */
int smtpc_enum_find(int which, const char *name, size_t len);
/* The canonical command or phase token `token` (`len` bytes, exact case, as the data file
 * writes it: "RCPT", "DATA-END", "ANY"), or NULL when there is none. */
const char *smtpc_command_find(const char *token, size_t len);

/* One item of a Code entry's `Reason` field: "userunknown" alone (any command), or one pair of
 * "RCPT userunknown; DATA-END mesgtoobig; ANY rejected" (docs/data-format.md). */
struct smtpc_reason_item {
    const char *command; /* the command as written ("RCPT", "ANY"), or NULL for a lone name */
    size_t command_len;
    const char *name; /* the reason's name */
    size_t name_len;
};

/* Reads the item of a `Reason` field at `*list` and moves `*list` past it and its "; ". Returns
 * 1 for an item, 0 at the end of the list, -1 for text that is neither a lone name nor a
 * "COMMAND name" pair (the loader refuses such a field, so a database never holds one). */
int smtpc_reason_item_next(struct smtpc_reason_item *item, const char **list);

/* The reason record named `name` (`len` bytes), or NULL; a binary search of db->reasons. */
const struct smtpc_reason_def *smtpc_reason_find(const smtpc_db *db, const char *name,
                                                 size_t len);

/* smtpc_reason_decide() for arguments already checked: `provider` the provider (NULL for none),
 * `enh` the enhanced code (NULL for none) written as `enh_text` (`enh_len` bytes, its
 * evidence), `answered` the canonical command (NULL when not known), `db` not NULL. Fails only
 * with SMTPC_ENOMEM. */
int smtpc_reason_of(smtpc_reason *out, const smtpc_db *db, const smtpc_provider *provider,
                    int code, const smtpc_code *enh,
                    const char *enh_text, size_t enh_len, const char *answered, const char *text,
                    size_t text_len, smtpc_error *err);

/* ---- loading (load.c) ---- */

/* Parses `len` bytes of data-file text named `source` and lays the records over `base` (NULL
 * for none) into a new database; see smtpc_db_load_buffer(). */
int smtpc_load_over(smtpc_db **out, const smtpc_db *base, const char *data, size_t len,
                    const char *source, smtpc_error *err);

/* The same for the file at `path`. */
int smtpc_load_file_over(smtpc_db **out, const smtpc_db *base, const char *path,
                         smtpc_error *err);

/* Names an I/O failure (an errno value: "no such file") without strerror(), which need not be
 * thread-safe. */
const char *smtpc_errno_text(int e);

/* ---- errors ---- */

/* Fills `err` (when not NULL) and returns `status`, so that callers can `return set_error(...)`. */
int smtpc_set_error(smtpc_error *err, int status, const char *source, unsigned long line,
                    unsigned long column, const char *fmt, ...)
    SMTPC_PRINTF(6, 7);

/* ---- codes ---- */

/* A total order on codes: basic codes by number, then enhanced codes by subject and detail.
 * The class digit of an enhanced code is not part of the key ("5.7.1" finds "X.7.1"). */
/* Inline: the binary search of every lookup computes it at each probe. */
static inline long smtpc_code_key(const smtpc_code *code)
{
    if (code->kind == SMTPC_KIND_BASIC)
        return code->klass * 100L + code->category * 10L + code->detail;
    return 1000000L + code->category * 1000L + code->detail;
}

/* The reply code `code` (200 to 599) as parsed fields. */
static inline smtpc_code smtpc_code_of_number(int code)
{
    smtpc_code c = {SMTPC_KIND_BASIC, code / 100, code / 10 % 10, code % 10, code / 10 % 10 <= 5};
    return c;
}

/* ---- lookup helpers shared by compare, render and the reply parser ---- */

/* The standard entry of `code`, or NULL; with `closest`, an unknown enhanced code falls back to
 * X.S.0, then X.0.0 (RFC 3463 section 2). No provider's entry: for a caller that has chosen
 * the provider already. No checks and no message: for callers that look up once per reply and
 * have checked the code's syntax already. */
const smtpc_entry *smtpc_find_code(const smtpc_db *db, const smtpc_code *code, int closest);
/* The entry smtpc_lookup() (smtpc_lookup_closest() with `closest`) finds for a parsed code:
 * the standard one, else the first provider's (in slug order) that covers it, else, with
 * `closest`, the fallback. `*exact` (may be NULL) as smtpc_lookup_closest() sets it. */
const smtpc_entry *smtpc_resolve_code(const smtpc_db *db, const smtpc_code *code, int closest,
                                      int *exact);

/* ---- providers (lookup.c, providers.c) ---- */

/* The provider with slug `slug`, or NULL; a binary search of db->providers. */
const smtpc_provider *smtpc_provider_named(const smtpc_db *db, const char *slug);
/* The provider named by the slug `slug` for a caller's argument: NULL in `*out` for NULL or
 * "", else the provider, or SMTPC_EINVAL naming the slug when the database has none. */
int smtpc_provider_argument(const smtpc_provider **out, const smtpc_db *db, const char *slug,
                            smtpc_error *err);

/* The order of the providers' entries: by provider slug, then as smtpc_code_key() orders
 * codes, then by class and by the last detail of the range. */
int smtpc_provider_entry_compare(const smtpc_entry *a, const smtpc_entry *b);
/* The entry of `provider` that covers the enhanced code `code` (with its class): an exact code
 * before a range, a narrower range before a wider one; NULL when it has none. */
const smtpc_entry *smtpc_find_provider_code(const smtpc_db *db, const smtpc_provider *provider,
                                            const smtpc_code *code);
/* The provider of a record, in order: of `remote` (a host the record names), else of
 * `reporting` (the host that wrote the report), else of `recipient`'s domain; each may be NULL
 * or "", and a later one is asked only when the earlier one is absent, as the host that gave a
 * diagnostic is the first one named. */
const smtpc_provider *smtpc_provider_of_record(const smtpc_db *db, const char *remote,
                                               const char *reporting, const char *recipient);

const smtpc_group *smtpc_group_find(const smtpc_db *db, int kind, int number);
/* The language of `tag` (NULL means "en"), resolved as smtpc_language_resolve() says. */
const struct smtpc_language *smtpc_language_find(const smtpc_db *db, const char *tag,
                                                 size_t len);
/* The same, filling `err` (SMTPC_ELANG) when there is no such language. */
const struct smtpc_language *smtpc_language_require(const smtpc_db *db, const char *tag,
                                                    size_t len, smtpc_error *err);

/* ---- translations (messages.c, catalog.c, words.c; docs/translation.md) ---- */

struct smtpc_buf;

/* Every text a reader reads has a message number, its English text (the data file's or a
 * template's) and a context naming it for translators ("421 description", "template title").
 * The numbers run over the templates, the six labels, then the database's records in the order
 * of their arrays: classes, categories, subjects (SMTPC_GROUP_TEXTS each), entries and providers'
 * entries (SMTPC_TEXT_COUNT each), reasons and providers (one each). */
enum { SMTPC_GROUP_NAME = 0, SMTPC_GROUP_ALT_NAME = 1, SMTPC_GROUP_DESCRIPTION = 2,
       SMTPC_GROUP_TEXTS = 3 };
#define SMTPC_MESSAGE_LABELS ((size_t)SMTPC_TEMPLATE_COUNT)
#define SMTPC_NO_MESSAGE ((size_t)-1)

size_t smtpc_message_count(const smtpc_db *db);
/* The English text of message `id` ("" for an empty field: nothing to translate). */
const char *smtpc_message_english(const smtpc_db *db, size_t id);
/* Appends the context of message `id`. */
void smtpc_message_context(struct smtpc_buf *b, const smtpc_db *db, size_t id);
/* The message of text `text` (enum smtpc_text) of an entry of `db` (a standard or a provider's
 * entry), or SMTPC_NO_MESSAGE for an entry of another database. */
size_t smtpc_message_of_entry(const smtpc_db *db, const smtpc_entry *e, int text);
/* The message of field `field` (SMTPC_GROUP_NAME...) of group `g` of table `kind`. */
size_t smtpc_message_of_group(const smtpc_db *db, int kind, const smtpc_group *g, int field);
size_t smtpc_message_of_reason(const smtpc_db *db, const struct smtpc_reason_def *r);
size_t smtpc_message_of_provider(const smtpc_db *db, const smtpc_provider *p);
/* The text `text` (enum smtpc_text) of entry `e` in English. */
const char *smtpc_entry_english(const smtpc_entry *e, int text);
/* The name ("title") and the English text of template `t` (enum smtpc_template). */
const char *smtpc_template_name(int t);
const char *smtpc_template_english(int t);

/* Gives every language of `db` (a loaded database, whose arena holds what this allocates) the
 * translations of `base` whose context and English text are the same in `db`, then the labels
 * its own records give. Fails only with SMTPC_ENOMEM. */
int smtpc_translations_carry(smtpc_db *db, const smtpc_db *base, smtpc_error *err);

/* Reads a gettext catalog (`len` bytes named `source`) into the translations of its language
 * in `db`, all or nothing; smtpc_db_load_catalog_buffer(). */
int smtpc_catalog_apply(smtpc_db *db, const char *data, size_t len, const char *source,
                        smtpc_error *err);

/* Takes `text`, a template or its translation, apart into pieces allocated in `arena`; NULL
 * when memory runs out. The text must outlive the pieces, which point into it. */
const struct smtpc_piece *smtpc_template_compile(struct smtpc_arena *arena, const char *text);
/* The number of pieces of `text` (without the end), for writing them out. */
size_t smtpc_template_pieces(const char *text, struct smtpc_piece *out, size_t cap);

/* Whether the placeholders of `text` are those of template `t`, each once or more, filters
 * known; 0 and a message in `why` (`size` bytes) with the column (1-based) in `*column`. */
int smtpc_template_check(int t, const char *text, char *why, size_t size, unsigned long *column);

/* A template that is two placeholders, each once and without filters, in literal text:
 * "BEFORE{x}BETWEEN{y}AFTER" (smtpc_template_frame()). `text` holds the three literals ("" where
 * there is none), `second_first` is 1 when the second placeholder asked for comes first. */
struct smtpc_frame {
    const char *text[3];
    size_t len[3];
    int second_first;
};

/* The words of one page in one language: which texts it says, and whether any of them fell
 * back to English because the language has no translation of it. */
struct smtpc_words {
    const smtpc_db *db;
    const struct smtpc_language *lang;
    const struct smtpc_language *english; /* the source, whose templates are the fallback */
    int source;    /* 1 when `lang` is English, the source language */
    int fell_back; /* set by every text given in English for want of a translation */
    /* what smtpc_template_frame() found, once per page, of the templates that pages frame
     * most (list-item, list-and, list-or, join-sentences, reference-section): 1 a frame, 0
     * none, -1 not known yet; the frame; whether the template fell back to English */
    signed char framed[5];
    unsigned char frame_english[5];
    struct smtpc_frame frames[5];
};

void smtpc_words_init(struct smtpc_words *w, const smtpc_db *db,
                      const struct smtpc_language *lang);
/* Message `id` in the words' language, else `english` (noted in w->fell_back). */
const char *smtpc_say(struct smtpc_words *w, size_t id, const char *english);
/* Text `text` (enum smtpc_text) of entry `e` in the words' language. */
const char *smtpc_say_entry(struct smtpc_words *w, const smtpc_entry *e, int text);
/* The name or description (SMTPC_GROUP_NAME...) of group `g` of table `kind`, or "" for NULL. */
const char *smtpc_say_group(struct smtpc_words *w, int kind, const smtpc_group *g, int field);
/* Template `t` in the words' language. */
const char *smtpc_say_template(struct smtpc_words *w, int t);
/* The text `english` in the words' language when it is a template's English (the very string
 * smtpc_template_english() gives: a verdict's explanation), else `english` as a fallback. */
const char *smtpc_say_english(struct smtpc_words *w, const char *english);

/* A value for a template's placeholder. */
/* A placeholder's value. The name is held in 16 bytes, zero-padded (placeholder names are
 * shorter), as compiled placeholders hold theirs (struct smtpc_piece), so that finding a value
 * compares two words rather than two strings. */
enum { SMTPC_NAME_KEY = 16 };
struct smtpc_arg {
    char name[SMTPC_NAME_KEY];
    const char *value;
};

/* Sets the name of `arg` from a runtime string; 0 when it is too long to be a placeholder's. */
int smtpc_arg_name(struct smtpc_arg *arg, const char *name);

/* A value for a placeholder that `put` writes straight into the sentence (a list, a label
 * composed of templates of its own), so that it is not built apart and copied. */
struct smtpc_lazy_arg {
    const char *name;
    void (*put)(struct smtpc_buf *b, struct smtpc_words *w, const void *ctx);
    const void *ctx;
};

/* Appends what separates the items of a list in the words' language (the separator of its
 * template "list-item": ", " in English, "、" in Japanese), for a list of codes. */
void smtpc_put_item_separator(struct smtpc_buf *b, struct smtpc_words *w);

/* Appends template `t` in the words' language with its placeholders filled from `args` (`n`
 * of them; a placeholder without a value is left out). */
void smtpc_put_template(struct smtpc_buf *b, struct smtpc_words *w, int t,
                        const struct smtpc_arg *args, size_t n);
/* The same, with `n_lazy` placeholders written by their `put` (struct smtpc_lazy_arg). */
void smtpc_put_template_lazy(struct smtpc_buf *b, struct smtpc_words *w, int t,
                             const struct smtpc_arg *args, size_t n,
                             const struct smtpc_lazy_arg *lazy, size_t n_lazy);
/* Appends `text` as the language ends a sentence (the template "sentence"), unless it ends
 * with a full stop, "!" or "?" already. */
void smtpc_put_sentence(struct smtpc_buf *b, struct smtpc_words *w, const char *text);
/* Whether template `t` in the words' language is placeholders `first` and `second` framed by
 * literal text, each once, without filters, in either order; then 1, and the frame in `*f`.
 * A page fills such a template by appending its five parts, with no arguments to look up and
 * no value copied twice. */
int smtpc_template_frame(struct smtpc_words *w, int t, const char *first, const char *second,
                         struct smtpc_frame *f);
/* When template `t` in the words' language is exactly "{first}SEP{second}" (those placeholders,
 * without filters, in that order), the length of SEP, pointed to by `*sep`; else -1. A page
 * that joins pieces with such a template appends them with SEP between, copying nothing twice. */
long smtpc_template_separator(struct smtpc_words *w, int t, const char *first,
                              const char *second, const char **sep);
/* Appends the `n` items as the language lists them ("a, b and c"), the last one after the
 * conjunction of template `conjunction` (SMTPC_T_LIST_AND, SMTPC_T_LIST_OR). */
void smtpc_put_joined(struct smtpc_buf *b, struct smtpc_words *w, const char *const *items,
                      size_t n, int conjunction);
/* The same for `n` items written by `put(b, w, ctx, i)` in turn. */
void smtpc_put_joined_with(struct smtpc_buf *b, struct smtpc_words *w, size_t n, int conjunction,
                           void (*put)(struct smtpc_buf *, struct smtpc_words *, const void *,
                                       size_t),
                           const void *ctx);
/* Appends the items of `list` (joined by `separator`, 32 at most) as the language lists them, the last
 * one after the conjunction of template `conjunction` (SMTPC_T_LIST_AND, SMTPC_T_LIST_OR);
 * `put` writes an item. */
void smtpc_put_list_words(struct smtpc_buf *b, struct smtpc_words *w, const char *list,
                          const char *separator, int conjunction,
                          void (*put)(struct smtpc_buf *, struct smtpc_words *, const char *,
                                      size_t));

/* ---- growable strings ---- */

/* A growable NUL-terminated byte string. After an allocation failure `failed` is set and later
 * appends do nothing, so a caller checks once at the end. */
struct smtpc_buf {
    char *data;
    size_t len;
    size_t cap;
    int failed;
};

void smtpc_buf_init(struct smtpc_buf *b);
void smtpc_buf_free(struct smtpc_buf *b);
/* smtpc_buf_append() when the bytes do not fit yet: grows the buffer first. */
void smtpc_buf_append_growing(struct smtpc_buf *b, const char *s, size_t len);

/* Copies `n` bytes, 16 at most, with loads and stores of fixed sizes that overlap rather than
 * a call to memcpy(): pages are built of short pieces (a code, a name, ", while "), for which
 * the call costs more than the copy. */
static inline void smtpc_copy_short(char *to, const char *from, size_t n)
{
    if (n >= 8) {
        uint64_t head, tail;
        memcpy(&head, from, 8);
        memcpy(&tail, from + n - 8, 8);
        memcpy(to, &head, 8);
        memcpy(to + n - 8, &tail, 8);
    } else if (n >= 4) {
        uint32_t head, tail;
        memcpy(&head, from, 4);
        memcpy(&tail, from + n - 4, 4);
        memcpy(to, &head, 4);
        memcpy(to + n - 4, &tail, 4);
    } else if (n > 0) {
        to[0] = from[0];
        to[n / 2] = from[n / 2];
        to[n - 1] = from[n - 1];
    }
}

/* Appends `len` bytes. Always inline, because a page is thousands of short appends that
 * nearly all fit: a call would cost more than the copy, and link-time optimisation, which sees
 * all of them at once, would otherwise make it one. */
static inline SMTPC_ALWAYS_INLINE void smtpc_buf_append(struct smtpc_buf *b, const char *s,
                                                        size_t len)
{
    if (len < b->cap - b->len && !b->failed) { /* room for the bytes and the terminator */
        if (len <= 16)
            smtpc_copy_short(b->data + b->len, s, len);
        else
            memcpy(b->data + b->len, s, len);
        b->len += len;
        b->data[b->len] = '\0';
        return;
    }
    smtpc_buf_append_growing(b, s, len);
}

static inline void smtpc_buf_puts(struct smtpc_buf *b, const char *s)
{
    smtpc_buf_append(b, s, strlen(s));
}

static inline void smtpc_buf_putc(struct smtpc_buf *b, char c)
{
    if (!b->failed && b->len + 2 <= b->cap) { /* room for the byte and the terminator */
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return;
    }
    smtpc_buf_append_growing(b, &c, 1);
}

void smtpc_buf_printf(struct smtpc_buf *b, const char *fmt, ...)
    SMTPC_PRINTF(2, 3);
/* Hands the string over to the caller (free with smtpc_free) and resets `b`. Returns NULL and
 * frees the buffer when an earlier append failed. */
char *smtpc_buf_take(struct smtpc_buf *b, size_t *len);

/* ---- text tables (columns.c) ---- */

/* How many columns a terminal draws the `len` bytes of UTF-8 at `s` in: two for a wide
 * character (East Asian Width W or F, UAX #11), none for a combining mark or a format
 * character, one for any other (and for a byte that is not UTF-8). */
size_t smtpc_text_columns(const char *s, size_t len);

/* A column of a text table. */
struct smtpc_column {
    unsigned width; /* in terminal columns */
    unsigned gap;   /* the spaces after it */
    int right;      /* 1 to align its cells right (counts) */
};

/* Writes one row of a text table, `n` cells under `columns`: each cell but the last wrapped to
 * its column's width (at spaces, and beside wide characters where Chinese and Japanese break
 * lines) and padded by the columns it takes, not its bytes; the last cell follows on the row's
 * first line as it is. A cell's further lines go on lines of their own, blank elsewhere. */
void smtpc_put_row(struct smtpc_buf *b, const struct smtpc_column *columns, size_t n,
                   const char *const *cells);

/* ---- growable arrays ---- */

/* Doubles the capacity of the array `items` of `*cap` elements of `size` bytes (to `first`
 * when it has none). Returns the new array and updates `*cap`, or returns NULL on overflow or
 * when memory runs out, leaving `items` and `*cap` as they were. */
void *smtpc_array_grow(void *items, size_t *cap, size_t size, size_t first);

/* ---- arenas ---- */

/* Bump allocation for a loaded database: everything is freed at once. */
struct smtpc_arena;

struct smtpc_arena *smtpc_arena_new(void);
/* An arena whose blocks hold `block_size` bytes (smtpc_arena_new: 64 KiB, for databases). */
struct smtpc_arena *smtpc_arena_new_sized(size_t block_size);
void smtpc_arena_free(struct smtpc_arena *a);
void *smtpc_arena_alloc(struct smtpc_arena *a, size_t size);
char *smtpc_arena_strndup(struct smtpc_arena *a, const char *s, size_t len);

/* ---- text ---- */

/* ASCII character classes, independent of the C locale (isdigit() and toupper() follow it). */
static inline int smtpc_is_digit(char c) { return c >= '0' && c <= '9'; }
static inline int smtpc_is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static inline int smtpc_is_lower(char c) { return c >= 'a' && c <= 'z'; }
/* Space, tab, CR or LF: the white space around a code or a command. */
static inline int smtpc_is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static inline char smtpc_to_upper(char c) { return smtpc_is_lower(c) ? (char)(c - 'a' + 'A') : c; }
static inline char smtpc_to_lower(char c) { return smtpc_is_upper(c) ? (char)(c - 'A' + 'a') : c; }

/* Length of the valid UTF-8 sequence at `s` (at most `len` bytes), or 0 when it is invalid
 * (overlong forms, surrogates and code points above U+10FFFF are invalid, RFC 3629 section 4). */
size_t smtpc_utf8_sequence(const unsigned char *s, size_t len);
/* Where the `n` bytes of `phrase` first occur in the `len` bytes at `s` (case matters), or
 * `len`; time linear in `len`, fast for a phrase of words. */
size_t smtpc_find_phrase(const char *s, size_t len, const char *phrase, size_t n);
/* Whether `len` bytes at `s` are a provider's documentation address as the data file may cite
 * it: "https://", then printable ASCII without spaces, 200 bytes at most (so that it fits the
 * renderers' link buffers). */
int smtpc_is_url(const char *s, size_t len);

/* Whether `sentence` reads as a clause once its first word is lower-cased: the word is an
 * ordinary word (one capital followed by lower-case letters, or a lone "A"), not an acronym
 * or a name with inner capitals ("SMTP", "STARTTLS", "IPv6"), which stay as written. */
int smtpc_is_clause_start(const char *sentence);

/* ---- comparison internals for the renderers (compare.c) ---- */

/* The code of a side as written, taken apart; the database the comparison reads. */
const smtpc_code *smtpc_comparison_parsed(const smtpc_comparison *cmp, int side);
const smtpc_db *smtpc_comparison_db(const smtpc_comparison *cmp);
const struct smtpc_language *smtpc_comparison_language(const smtpc_comparison *cmp);
/* Whether a string of the page fell back to English: a part (SMTPC_PART_TITLE, _INTRO,
 * _USAGE), difference `index`, text `index` (enum smtpc_text) of side 0 or 1, or label
 * `index`. */
enum { SMTPC_FELL_BACK_DIFFERENCE = 100, SMTPC_FELL_BACK_TEXT_A, SMTPC_FELL_BACK_TEXT_B,
       SMTPC_FELL_BACK_LABEL };
int smtpc_comparison_fell_back(const smtpc_comparison *cmp, int what, size_t index);

/* ---- shared wording (phrases.c) ---- */

/* "4xx Transient Negative", "5.X.X Permanent Failure" for a code as written. */
void smtpc_put_class_label(struct smtpc_buf *b, struct smtpc_words *w, const smtpc_code *code);
/* "category x2x (Connections)" or "subject X.1 (Addressing Status)"; without the first word
 * when `with_kind` is 0. */
void smtpc_put_group_label(struct smtpc_buf *b, struct smtpc_words *w, const smtpc_code *code,
                           int with_kind);
/* What a retry advice, a connection fact and an origin mean, as predicates ("may be retried
 * unchanged later"); an origin `as_fact` without its verb ("defined by an RFC"). */
const char *smtpc_retry_phrase(struct smtpc_words *w, int retry);
const char *smtpc_connection_phrase(struct smtpc_words *w, int connection);
const char *smtpc_origin_phrase(struct smtpc_words *w, int origin, int as_fact);
/* "the connection greeting, EHLO and any command" from "CONNECT EHLO ANY". */
void smtpc_put_commands(struct smtpc_buf *b, struct smtpc_words *w, const char *commands);
/* Appends the reference `ref` (`len` bytes: "RFC 5321", "RFC 5321 section 4.2.3", "IANA
 * registry" or an address) as the words' language names it: "RFC 5321 (section 4.2.3)". */
void smtpc_put_reference(struct smtpc_buf *b, struct smtpc_words *w, const char *ref, size_t len);
/* The length of the item that starts at `s` in a list joined by `sep` (`sep_len` bytes, one or
 * more: "; " between references, " " between commands): up to the next separator, else to the
 * end. s[len] is then the separator's first byte, or '\0' after the last item. The separator
 * is found by its first byte, then compared: these searches are short, and strstr()'s set-up
 * cost more than they do. */
static inline size_t smtpc_list_item_len(const char *s, const char *sep, size_t sep_len)
{
    const char *end = s;
    while ((end = strchr(end, sep[0])) != NULL && strncmp(end + 1, sep + 1, sep_len - 1) != 0)
        end++;
    return end != NULL ? (size_t)(end - s) : strlen(s);
}
/* The start of the item after the one of `len` bytes at `s` (smtpc_list_item_len()), or the
 * terminating '\0' after the last. */
static inline const char *smtpc_list_next(const char *s, size_t len, size_t sep_len)
{
    return s[len] != '\0' ? s + len + sep_len : s + len;
}

/* ---- replies (reply.c) ---- */

/* Length of an RFC 3463 enhanced code at `s` followed by a space or the end, else 0. */
size_t smtpc_enhanced_prefix(const char *s, size_t len);
/* The database a reply was parsed with. */
const smtpc_db *smtpc_reply_db(const smtpc_reply *reply);
/* Offset of the reply inside a log or bounce line, or `len` when there is none. */
size_t smtpc_find_embedded_reply(const char *s, size_t len);
/* A flag of smtpc_reply_parse() for the reply stream alone: embedded replies come from a log,
 * one line each, so a line that starts with white space does not go on with the one before. */
#define SMTPC_REPLY_LOG_LINES 0x100
/* As smtpc_find_embedded_reply(), and else a reply quoted after a space ("returned '550 ..."). */
size_t smtpc_find_reply_in_line(const char *s, size_t len);
/* Whether that reply can start at s[i] of the line `s` (`len` bytes, without its line end): a
 * digit 2-5 at the line's start or after "(", ": " or "; ", with the rest of a reply code. */
int smtpc_reply_starts_at(const char *s, size_t len, size_t i);
/* The verdict for a code, an enhanced code ("" for none), the canonical name of the command it
 * answered (NULL when not known) and the reply's text (`text_len` bytes, for its reason). Fails
 * only with SMTPC_ENOMEM. */
int smtpc_classify_decide(smtpc_verdict *out, const smtpc_db *db, const smtpc_provider *provider,
                          int code, const char *enhanced, const char *command, const char *text,
                          size_t text_len, smtpc_error *err);
/* smtpc_classify_host() for a provider already found (NULL for none). */
int smtpc_classify_reply(smtpc_verdict *out, const smtpc_reply *reply, const char *command,
                         size_t command_len, const smtpc_provider *provider, smtpc_error *err);

/* ---- delivery attempts, grouped by axes (scan_groups.c) ---- */

/* One delivery attempt, as scan.c counts it: from a line of an MTA's log (logs/logs.h) or a
 * recipient of a bounce message. Spans are not NUL-terminated. */
struct smtpc_scan_attempt {
    int outcome;                   /* enum smtpc_scan_outcome */
    const char *mta;               /* static, "" for a bounce message */
    struct smtpc_log_span recipient, sender, relay, queue_id, time;
    int code;                      /* 0 when the attempt has no reply */
    const char *enhanced;          /* NUL-terminated, "" for none */
    const char *reason;            /* decided, "" when delivered */
    const char *sample;
    size_t sample_len;
};

/* A queue ID's sender domain, remembered from the MTA's line that named it. Two generations of
 * at most SMTPC_SENDERS_GENERATION entries: when one fills, the older is dropped, so memory is
 * bounded by the messages in flight even for an MTA that never logs a message's removal. */
struct smtpc_sender_table {
    struct smtpc_sender *items;
    size_t size, live, used; /* slots, entries, entries and removed ones */
};
struct smtpc_senders {
    struct smtpc_sender_table current, older;
};

struct smtpc_scan_groups {
    int axes[SMTPC_SCAN_MAX_AXES];
    size_t n_axes;
    long long bucket; /* seconds */
    int year;         /* of timestamps without one */
    unsigned long long attempts, outcomes[SMTPC_SCAN_OUTCOMES];
    struct smtpc_scan_group_item *items;
    size_t n, cap;
    size_t *table; /* open addressing: item index + 1, 0 for empty */
    size_t table_size;
    struct smtpc_senders senders;
};

void smtpc_groups_init(struct smtpc_scan_groups *g);
void smtpc_groups_free(struct smtpc_scan_groups *g);
/* Reads "domain,reason" into the axes; SMTPC_EINVAL naming the column of what is wrong. */
int smtpc_groups_set_axes(struct smtpc_scan_groups *g, const char *axes, smtpc_error *err);
/* Counts an attempt in its group (and the totals). 0 or SMTPC_ENOMEM. */
int smtpc_groups_count(struct smtpc_scan_groups *g, const struct smtpc_scan_attempt *a);
/* Remembers the sender of a queue ID, and forgets it when the message is gone. */
int smtpc_groups_remember_sender(struct smtpc_scan_groups *g, struct smtpc_log_span queue_id,
                                 struct smtpc_log_span sender);
void smtpc_groups_forget_sender(struct smtpc_scan_groups *g, struct smtpc_log_span queue_id);
/* Puts the groups in their order (smtpc_scanner_group()). */
void smtpc_groups_sort(struct smtpc_scan_groups *g);
const smtpc_scan_group *smtpc_groups_at(const struct smtpc_scan_groups *g, size_t index);
/* Whether attempts of the two can be added up: the same axes and buckets. */
int smtpc_groups_same_shape(const struct smtpc_scan_groups *a, const struct smtpc_scan_groups *b);
/* Adds `from` into `into` (same shape), all or nothing; 0 or SMTPC_ENOMEM. */
int smtpc_groups_merge(struct smtpc_scan_groups *into, const struct smtpc_scan_groups *from);
/* Adds a group read from a saved summary: `values` one per axis (`lens` their lengths); fails
 * with SMTPC_EINVAL when the group is there already, or SMTPC_ENOMEM. */
int smtpc_groups_add(struct smtpc_scan_groups *g, const char *const *values, const size_t *lens,
                     unsigned long long count, const unsigned long long *outcomes,
                     const char *sample, size_t sample_len);
/* Adds attempts read from a saved summary to the totals. */
void smtpc_groups_add_totals(struct smtpc_scan_groups *g, unsigned long long attempts,
                             const unsigned long long *outcomes);
/* The order of two groups of one scanner (negative, 0, positive). */
int smtpc_groups_order(const struct smtpc_scan_groups *g, const smtpc_scan_group *a,
                       const smtpc_scan_group *b);
/* Of two lines, the one a row or group shows: the least of their first SMTPC_SCAN_SAMPLE_MAX
 * bytes, a prefix first. Negative when `a` comes first. */
int smtpc_sample_order(const char *a, size_t a_len, const char *b, size_t b_len);

/* ---- scan summaries (scan.c), as scan_saved.c saves and loads them ---- */

/* Whether the scanner holds the start of a line that its next feed or finish will end. */
int smtpc_scanner_holds_line(const smtpc_scanner *s);
const smtpc_db *smtpc_scanner_db(const smtpc_scanner *s);
/* What smtpc_scan_state_record() needs of a scanner: the first bytes of its text, and the
 * length of its text up to its last line end; returns whether the scan is finished. */
int smtpc_scanner_input(const smtpc_scanner *s, const char **head, size_t *head_len,
                        unsigned long long *read_to);
/* The bytes of text a scan of the input whose text starts with `head` (`len` bytes) skips:
 * what `state` says was read of it, or 0 when it does not know it (scan_state.c). */
unsigned long long smtpc_scan_state_offset(const smtpc_scan_state *state, const char *head,
                                           size_t len);
/* The scanner's groups of attempts, for saving and loading them. */
struct smtpc_scan_groups *smtpc_scanner_groups(smtpc_scanner *s);

/* The order of the rows: by code, then by enhanced code (the numbers, not the text as
 * written); 0 for none. */
uint64_t smtpc_scan_key(int code, const char *enhanced, size_t enhanced_len);
void smtpc_scanner_add_counts(smtpc_scanner *s, unsigned long long lines,
                              unsigned long long replies, unsigned long long skipped);
/* Appends a row as `row` gives it (code, enhanced code of `enhanced_len` bytes, count, sample,
 * action, reason), its entries looked up in the scanner's database, its sample copied. The
 * caller appends in the order of smtpc_scan_key(), each pair once. Fails only with
 * SMTPC_ENOMEM, and then adds nothing. */
int smtpc_scanner_append_row(smtpc_scanner *s, const smtpc_scan_row *row, size_t enhanced_len);

/* ---- what the scanner reads before text (decompress.c) ---- */

/* The scanner's input on its way to the text scan: its format found from its first bytes,
 * decoded as it streams in when compressed, and refused when it is no text (the contract of
 * smtpc_scanner_feed()). One per scanner. */
struct smtpc_decoder;

/* Scans `len` bytes of text into `s` (scan.c's feed of text). */
typedef int (*smtpc_text_scan)(smtpc_scanner *s, const char *text, size_t len, smtpc_error *err);

/* A new decoder, or NULL when memory runs out. Free it with smtpc_decoder_free(). */
struct smtpc_decoder *smtpc_decoder_new(void);
void smtpc_decoder_free(struct smtpc_decoder *d);

/* Takes `len` bytes of the input and hands the text they decode to to `scan` for `s`: none yet
 * from the first bytes while they may begin a magic number, and none past the decoder's
 * buffer. Returns 0, what `scan` returned, or SMTPC_EINPUT or SMTPC_ENOMEM of a decoder (filling
 * `err`), which it returns again for every call until smtpc_decoder_finish(). */
int smtpc_decoder_feed(struct smtpc_decoder *d, const char *data, size_t len, smtpc_scanner *s,
                       smtpc_text_scan scan, smtpc_error *err);

/* Ends the input: the text still held goes to `scan`, and input that ends inside a compressed
 * stream fails with SMTPC_EINPUT. The decoder is then ready for a new input, and keeps the
 * format of this one until the new one's is known. */
int smtpc_decoder_finish(struct smtpc_decoder *d, smtpc_scanner *s, smtpc_text_scan scan,
                         smtpc_error *err);

/* Whether the decoder holds the first bytes of the input, not yet known to begin a magic
 * number or not, and so not scanned yet. */
int smtpc_decoder_holds_input(const struct smtpc_decoder *d);

/* The format of the input, once known (SMTPC_COMPRESSION_NONE before). */
enum smtpc_compression smtpc_decoder_compression(const struct smtpc_decoder *d);

/* The database `bounce` was parsed with (smtpc_bounce_parse()). */
const smtpc_db *smtpc_bounce_db(const smtpc_bounce *bounce);

/* ---- MIME (mime.c): the message reader behind smtpc_bounce_parse() ---- */

/* Whether the `len` bytes at `s` are the NUL-terminated `word`, ASCII case ignored: media
 * types and parameter names are case-insensitive (RFC 2045 section 5.1), and so are field
 * names and the tokens of a report. */
int smtpc_mime_is(const char *s, size_t len, const char *word);

/* One header field as written: its name, and its value after the ":", still folded. */
struct smtpc_mime_field {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};

/* Reads the field that starts at s[*at] into `f` and moves `*at` past it; lines that are no
 * field (an mbox "From " line) are skipped. Returns 0 at an empty line, with `*at` past it,
 * which ends a header or a block of fields (a delivery-status body is several blocks), and at
 * the end of `s`. */
int smtpc_mime_next_field(struct smtpc_mime_field *f, const char *s, size_t len, size_t *at);

/* The folded value of the first field `name` of `header`: 1, or 0 when it has none. */
int smtpc_mime_find_field(const char **value, size_t *value_len, const char *header,
                          size_t header_len, const char *name);

/* Appends a field value unfolded (a line break and the white space around it are one space),
 * trimmed, and as valid UTF-8 without control characters (bytes that are no UTF-8 become
 * U+FFFD); with `words`, its RFC 2047 encoded words are decoded (UTF-8, US-ASCII, ISO-8859-1
 * and Windows-1252 converted, any other charset read as UTF-8). */
void smtpc_mime_put_value(struct smtpc_buf *b, const char *value, size_t len, int words);

/* Appends text whose characters may be written "\x{HEXPOINT}" (RFC 6533 section 3: the
 * "utf-8" address type) with those characters as UTF-8. */
void smtpc_mime_put_embedded_unicode(struct smtpc_buf *b, const char *s, size_t len);

/* The first token of a structured value, after white space and comments: a media type
 * "type/subtype", "base64", "failed". Returns its length. */
size_t smtpc_mime_token(const char **token, const char *value, size_t len);

/* Appends the value of parameter `name` of a Content-Type value (quoted strings unquoted) and
 * returns 1, or returns 0 when it has no such parameter. */
int smtpc_mime_param(struct smtpc_buf *out, const char *value, size_t len, const char *name);

/* The parent of the message itself. */
#define SMTPC_MIME_NO_PARENT ((unsigned long)-1)

/* A part of a message, as the walk hands it to its visitor: valid until the reader is freed.
 * The message itself is the first part; a multipart's body parts and the message of a
 * message/rfc822 or message/global part are its children. */
struct smtpc_mime_part {
    const char *header;         /* its header, folded, without the empty line after it */
    size_t header_len;
    const char *body;           /* its body, in `encoding` (containers are decoded already) */
    size_t body_len;
    int encoding;               /* the transfer encoding still on `body`; smtpc_mime_body() */
    const char *type;           /* the media type as written ("multipart/report"), or the
                                   default (RFC 2045 section 5.2) */
    size_t type_len;
    const char *content_type;   /* the whole Content-Type value, for its parameters, or "" */
    size_t content_type_len;
    const char *message_header; /* the header of the message this part belongs to */
    size_t message_header_len;
    unsigned long index;        /* the parts walked before it */
    unsigned long parent;       /* the index of its container, or SMTPC_MIME_NO_PARENT */
    int depth;                  /* its containers: 0 for the message itself */
    int starts_message;         /* 1 for the message itself and the message of a
                                   message/rfc822 part */
};

/* A reader: where decoded bodies live, and how many bytes have been decoded. */
struct smtpc_mime {
    struct smtpc_arena *arena;
    size_t decoded;
};

/* Called for each part, in the order of the text (a container before its children); a
 * non-zero return stops the walk and is returned by smtpc_mime_walk(). */
typedef int (*smtpc_mime_visit)(void *ctx, struct smtpc_mime *m,
                                const struct smtpc_mime_part *part);

int smtpc_mime_init(struct smtpc_mime *m);
void smtpc_mime_free(struct smtpc_mime *m);

/* Walks the parts of the message in `msg` (`len` bytes, LF or CRLF). Fails with SMTPC_ELIMIT
 * for parts nested deeper than SMTPC_BOUNCE_MAX_DEPTH or more than SMTPC_BOUNCE_MAX_DECODED
 * bytes decoded, SMTPC_ENOMEM, or what the visitor returns. */
int smtpc_mime_walk(struct smtpc_mime *m, const char *msg, size_t len, smtpc_mime_visit visit,
                    void *ctx, smtpc_error *err);

/* The body of `part` without its transfer encoding (base64, quoted-printable), decoded into
 * the reader's arena and counted against SMTPC_BOUNCE_MAX_DECODED. */
int smtpc_mime_body(const char **body, size_t *len, struct smtpc_mime *m,
                    const struct smtpc_mime_part *part, smtpc_error *err);

#endif
