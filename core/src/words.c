/*
 * words.c - texts in the reader's language: translations found by message number, and the
 * templates that compose sentences (templates.h, docs/translation.md).
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

void smtpc_words_init(struct smtpc_words *w, const smtpc_db *db,
                      const struct smtpc_language *lang)
{
    w->db = db;
    w->lang = lang;
    w->source = strcmp(lang->tag, "en") == 0;
    w->fell_back = 0;
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
    return smtpc_say(w, smtpc_message_of_entry(w->db, e, text), smtpc_entry_english(e, text));
}

const char *smtpc_say_group(struct smtpc_words *w, int kind, const smtpc_group *g, int field)
{
    if (g == NULL)
        return "";
    const char *english = field == SMTPC_GROUP_NAME       ? g->name
                          : field == SMTPC_GROUP_ALT_NAME ? g->alt_name
                                                          : g->description;
    return smtpc_say(w, smtpc_message_of_group(w->db, kind, g, field), english);
}

const char *smtpc_say_template(struct smtpc_words *w, int t)
{
    return smtpc_say(w, (size_t)t, smtpc_template_english(t));
}

/* ---- placeholders ---- */

/* A placeholder as a template writes it: "{name|filter|filter}". */
struct placeholder {
    const char *name;
    size_t name_len;
    const char *filters; /* "|clause|sentence", or "" */
    size_t filters_len;
    size_t len; /* of the whole, braces included */
};

static int is_name_char(char c)
{
    return smtpc_is_lower(c) || smtpc_is_digit(c) || c == '_';
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
    size_t filters = i;
    while (s[i] == '|' || smtpc_is_lower(s[i]))
        i++;
    if (s[i] != '}')
        return 0;
    ph->filters = s + filters;
    ph->filters_len = i - filters;
    ph->len = i + 1;
    return 1;
}

static int has_filter(const struct placeholder *ph, const char *filter)
{
    size_t n = strlen(filter);
    for (const char *f = ph->filters; f < ph->filters + ph->filters_len;) {
        const char *end = memchr(f + 1, '|', (size_t)(ph->filters + ph->filters_len - f - 1));
        size_t len = (size_t)((end != NULL ? end : ph->filters + ph->filters_len) - f - 1);
        if (len == n && memcmp(f + 1, filter, n) == 0)
            return 1;
        f += len + 1;
    }
    return 0;
}

static const char *const known_filters[] = {"clause", "sentence", "capital", "a"};

/* The first filter of `ph` that is not known, as its offset in the placeholder, or 0. */
static size_t unknown_filter(const struct placeholder *ph)
{
    for (const char *f = ph->filters; f < ph->filters + ph->filters_len;) {
        const char *end = memchr(f + 1, '|', (size_t)(ph->filters + ph->filters_len - f - 1));
        size_t len = (size_t)((end != NULL ? end : ph->filters + ph->filters_len) - f - 1);
        int known = 0;
        for (size_t k = 0; k < sizeof known_filters / sizeof known_filters[0]; k++)
            known |= strlen(known_filters[k]) == len && memcmp(f + 1, known_filters[k], len) == 0;
        if (!known)
            return (size_t)(f - (ph->name - 1));
        f += len + 1;
    }
    return 0;
}

static const char *arg_value(const struct smtpc_arg *args, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (strlen(args[i].name) == len && memcmp(args[i].name, name, len) == 0)
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

static void put_value(struct smtpc_buf *b, struct smtpc_words *w, const struct placeholder *ph,
                      const char *value)
{
    if (has_filter(ph, "a"))
        smtpc_buf_puts(b, english_article(value));
    size_t start = b->len;
    if (has_filter(ph, "clause"))
        smtpc_buf_put_clause(b, value);
    else
        smtpc_buf_puts(b, value);
    if (has_filter(ph, "capital") && !b->failed && b->len > start &&
        smtpc_is_lower(b->data[start]))
        b->data[start] = smtpc_to_upper(b->data[start]);
    if (has_filter(ph, "sentence") && !b->failed) {
        /* end it as the language ends a sentence: the text goes into the template */
        struct smtpc_buf said;
        smtpc_buf_init(&said);
        smtpc_buf_append(&said, b->data + start, b->len - start);
        b->len = start;
        smtpc_put_sentence(b, w, said.failed ? "" : said.data);
        b->failed |= said.failed;
        smtpc_buf_free(&said);
    }
}

static void expand(struct smtpc_buf *b, struct smtpc_words *w, const char *text,
                   const struct smtpc_arg *args, size_t n)
{
    for (const char *s = text; *s != '\0';) {
        const char *brace = strchr(s, '{');
        struct placeholder ph;
        if (brace == NULL) {
            smtpc_buf_puts(b, s);
            return;
        }
        smtpc_buf_append(b, s, (size_t)(brace - s));
        if (!read_placeholder(&ph, brace)) {
            smtpc_buf_putc(b, '{');
            s = brace + 1;
            continue;
        }
        const char *value = arg_value(args, n, ph.name, ph.name_len);
        if (value != NULL)
            put_value(b, w, &ph, value);
        s = brace + ph.len;
    }
}

void smtpc_put_template(struct smtpc_buf *b, struct smtpc_words *w, int t,
                        const struct smtpc_arg *args, size_t n)
{
    expand(b, w, smtpc_say_template(w, t), args, n);
}

/* Whether `text` ends a sentence already: ".", "!", "?", or the ideographic full stop. */
static int ends_sentence(const char *text, size_t len)
{
    if (len == 0)
        return 0;
    if (strchr(".!?", text[len - 1]) != NULL)
        return 1;
    return len >= 3 && memcmp(text + len - 3, "\xE3\x80\x82", 3) == 0; /* U+3002 */
}

void smtpc_put_sentence(struct smtpc_buf *b, struct smtpc_words *w, const char *text)
{
    if (ends_sentence(text, strlen(text))) {
        smtpc_buf_puts(b, text);
        return;
    }
    const struct smtpc_arg arg = {"text", text};
    /* the template "sentence" holds a placeholder without filters: no recursion */
    expand(b, w, smtpc_say_template(w, SMTPC_T_SENTENCE), &arg, 1);
}

size_t smtpc_list_count(const char *list, const char *separator)
{
    if (*list == '\0')
        return 0;
    size_t n = 1;
    size_t sep_len = strlen(separator);
    for (const char *s = strstr(list, separator); s != NULL; s = strstr(s + sep_len, separator))
        n++;
    return n;
}

void smtpc_put_joined(struct smtpc_buf *b, struct smtpc_words *w, const char *const *items,
                      size_t n, int conjunction)
{
    /* "a, b and c": the list so far goes into the next template as {list} */
    struct smtpc_buf so_far, next;
    smtpc_buf_init(&so_far);
    smtpc_buf_init(&next);
    for (size_t i = 0; i < n; i++) {
        if (i == 0) {
            smtpc_buf_puts(&so_far, items[0]);
            continue;
        }
        const struct smtpc_arg args[] = {
            {"list", so_far.data != NULL ? so_far.data : ""}, {"item", items[i]}, {"last", items[i]}};
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

void smtpc_put_list_words(struct smtpc_buf *b, struct smtpc_words *w, const char *list,
                          const char *separator, int conjunction,
                          void (*put)(struct smtpc_buf *, struct smtpc_words *, const char *,
                                      size_t))
{
    enum { MAX_ITEMS = 32 };
    struct smtpc_buf text;
    smtpc_buf_init(&text);
    size_t ends[MAX_ITEMS], n = 0;
    size_t sep_len = strlen(separator);
    for (const char *s = list; *s != '\0' && n < MAX_ITEMS;) {
        const char *end = strstr(s, separator);
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        put(&text, w, s, len);
        smtpc_buf_putc(&text, '\0');
        ends[n++] = text.len;
        s += len + (end != NULL ? sep_len : 0);
    }
    const char *items[MAX_ITEMS];
    for (size_t i = 0; i < n && !text.failed; i++)
        items[i] = text.data + (i == 0 ? 0 : ends[i - 1]);
    if (!text.failed)
        smtpc_put_joined(b, w, items, n, conjunction);
    b->failed |= text.failed;
    smtpc_buf_free(&text);
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
        size_t bad = unknown_filter(&ph);
        if (bad != 0) {
            *column = (unsigned long)(s - text) + 1 + bad;
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
