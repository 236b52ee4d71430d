/*
 * compare.c - two codes side by side: the structure of the page (docs/comparison-page.md).
 *
 * Everything a renderer prints is decided here, once: which code comes first, the intro, the
 * numbered key differences, the usage paragraph and the deduplicated references. The renderers
 * only lay these out.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_DIFFERENCES = 16, MAX_REFERENCES = 32 };

struct side {
    const smtpc_entry *entry;
    smtpc_code code;                  /* as written: keeps the class of "5.7.1" */
    char text[SMTPC_CODE_TEXT_SIZE];  /* "421", "5.7.1" */
    const char *texts[SMTPC_TEXT_COUNT]; /* the entry's texts in the page's language */
    int english[SMTPC_TEXT_COUNT];       /* which of them fell back to English */
};

/* A sentence the page builds, and whether any of its words fell back to English. */
struct said {
    char *text;
    int english;
};

struct difference {
    const char *kind;
    struct said said;
};

struct smtpc_comparison {
    const smtpc_db *db;
    const struct smtpc_language *lang;
    struct smtpc_words words;
    struct side sides[2];
    const char *labels[SMTPC_LABEL_COUNT]; /* in the page's language */
    int label_english[SMTPC_LABEL_COUNT];  /* which fell back to English */
    struct said title, intro, usage;
    struct difference differences[MAX_DIFFERENCES];
    size_t n_differences;
    char *references[MAX_REFERENCES];
    size_t n_references;
    int out_of_memory;
    /* Every string above lives in `arena`, freed at once; each is built in `scratch` first,
     * whose memory is reused from one string to the next. */
    struct smtpc_arena *arena;
    struct smtpc_buf scratch;
    /* the pieces of a sentence built apart before it (lists, the two sides of a contrast) */
    struct smtpc_buf pieces[2];
};

void smtpc_comparison_free(smtpc_comparison *cmp)
{
    if (cmp == NULL)
        return;
    smtpc_arena_free(cmp->arena);
    smtpc_buf_free(&cmp->scratch);
    smtpc_buf_free(&cmp->pieces[0]);
    smtpc_buf_free(&cmp->pieces[1]);
    free(cmp);
}

/* The buffer to build the next string in, emptied, with no word fallen back yet. */
static struct smtpc_buf *scratch(smtpc_comparison *cmp)
{
    cmp->scratch.len = 0;
    cmp->words.fell_back = 0;
    return &cmp->scratch;
}

/* Copies the finished string out of `b` into the comparison's arena, noting a failed
 * allocation in `cmp`. */
static char *finish(smtpc_comparison *cmp, struct smtpc_buf *b)
{
    char *s = b->failed ? NULL : smtpc_arena_strndup(cmp->arena, b->data != NULL ? b->data : "",
                                                     b->len);
    if (s == NULL)
        cmp->out_of_memory = 1;
    return s;
}

/* The same for a sentence, with whether it fell back to English. */
static struct said finish_said(smtpc_comparison *cmp, struct smtpc_buf *b)
{
    struct said said = {finish(cmp, b), cmp->words.fell_back};
    return said;
}

static void add_difference(smtpc_comparison *cmp, const char *kind, struct smtpc_buf *b)
{
    struct said said = finish_said(cmp, b);
    if (said.text == NULL || cmp->n_differences == MAX_DIFFERENCES)
        return;
    cmp->differences[cmp->n_differences].kind = kind;
    cmp->differences[cmp->n_differences].said = said;
    cmp->n_differences++;
}

static int side_class(const struct side *s)
{
    return s->code.klass;
}

static char *class_label(smtpc_comparison *cmp, const struct side *s)
{
    struct smtpc_buf *b = scratch(cmp);
    smtpc_put_class_label(b, &cmp->words, &s->code);
    return finish(cmp, b);
}

/* Whether two codes share a text: the same entry in two classes ("4.2.2", "5.2.2") shares all
 * of them; other texts usually differ from the first byte. */
static int same_text(const char *a, const char *b)
{
    return a == b || (a[0] == b[0] && strcmp(a, b) == 0);
}

/* Appends template `t` with `n` placeholders. */
static void say(smtpc_comparison *cmp, struct smtpc_buf *b, int t, const struct smtpc_arg *args,
                size_t n)
{
    smtpc_put_template(b, &cmp->words, t, args, n);
}

#define ARGS(...) ((const struct smtpc_arg[]){__VA_ARGS__}), \
    sizeof((const struct smtpc_arg[]){__VA_ARGS__}) / sizeof(struct smtpc_arg)

/* Two sentences one after the other, as the language joins them. */
static void join(smtpc_comparison *cmp, struct smtpc_buf *t, const char *first, const char *next)
{
    say(cmp, t, SMTPC_T_JOIN_SENTENCES, ARGS({"first", first}, {"next", next}));
}

static void build_title(smtpc_comparison *cmp)
{
    const struct side *a = &cmp->sides[0];
    const struct side *b = &cmp->sides[1];
    struct smtpc_buf *t = scratch(cmp);
    say(cmp, t, SMTPC_T_TITLE,
        ARGS({"a", a->text}, {"a_name", a->texts[SMTPC_TEXT_NAME]}, {"b", b->text},
             {"b_name", b->texts[SMTPC_TEXT_NAME]}));
    cmp->title = finish_said(cmp, t);
}

/* The sentence of the intro about the second code. */
static void put_intro_b(smtpc_comparison *cmp, struct smtpc_buf *t, const char *label_b)
{
    const struct side *a = &cmp->sides[0];
    const struct side *b = &cmp->sides[1];
    int same_class = side_class(a) == side_class(b);
    if (!same_text(a->entry->description, b->entry->description))
        say(cmp, t, same_class ? SMTPC_T_INTRO_B_MEANWHILE : SMTPC_T_INTRO_B_CONTRAST,
            ARGS({"b", b->text}, {"b_description", b->texts[SMTPC_TEXT_DESCRIPTION]}));
    else if (same_class)
        say(cmp, t, SMTPC_T_INTRO_B_SAME, ARGS({"b", b->text}));
    else /* one enhanced code in two classes ("4.2.2", "5.2.2"): the class is the difference */
        say(cmp, t, SMTPC_T_INTRO_B_SAME_CONDITION, ARGS({"b", b->text}, {"b_class", label_b}));
}

/* The first sentence of the intro: the codes' classes. */
static void put_intro_classes(smtpc_comparison *cmp, struct smtpc_buf *t, const char *label_a,
                              const char *label_b)
{
    const struct side *a = &cmp->sides[0];
    const struct side *b = &cmp->sides[1];
    if (side_class(a) == side_class(b))
        say(cmp, t, SMTPC_T_INTRO_SHARED_CLASS,
            ARGS({"a", a->text}, {"a_name", a->texts[SMTPC_TEXT_NAME]}, {"b", b->text},
                 {"b_name", b->texts[SMTPC_TEXT_NAME]}, {"class", label_a}));
    else
        say(cmp, t, SMTPC_T_INTRO_CLASSES,
            ARGS({"a", a->text}, {"a_name", a->texts[SMTPC_TEXT_NAME]}, {"a_class", label_a},
                 {"b", b->text}, {"b_name", b->texts[SMTPC_TEXT_NAME]}, {"b_class", label_b}));
}

static void put_intro_a(smtpc_comparison *cmp, struct smtpc_buf *t)
{
    const struct side *a = &cmp->sides[0];
    say(cmp, t, SMTPC_T_INTRO_A_MEANS,
        ARGS({"a", a->text}, {"a_description", a->texts[SMTPC_TEXT_DESCRIPTION]}));
}

/* docs/comparison-page.md: the two forms of the intro, for different and for shared classes;
 * its three sentences are joined as the language joins sentences. */
static void build_intro(smtpc_comparison *cmp, const char *label_a, const char *label_b)
{
    struct smtpc_buf *t = scratch(cmp);
    const char *sep;
    long sep_len = smtpc_template_separator(&cmp->words, SMTPC_T_JOIN_SENTENCES, "first", "next",
                                            &sep);
    if (sep_len >= 0) {
        put_intro_classes(cmp, t, label_a, label_b);
        smtpc_buf_append(t, sep, (size_t)sep_len);
        put_intro_a(cmp, t);
        smtpc_buf_append(t, sep, (size_t)sep_len);
        put_intro_b(cmp, t, label_b);
    } else {
        struct smtpc_buf *pieces = cmp->pieces;
        pieces[0].len = pieces[1].len = 0;
        put_intro_classes(cmp, &pieces[0], label_a, label_b);
        smtpc_buf_putc(&pieces[0], '\0');
        put_intro_a(cmp, &pieces[1]);
        smtpc_buf_putc(&pieces[1], '\0');
        struct smtpc_buf first;
        smtpc_buf_init(&first);
        if (!pieces[0].failed && !pieces[1].failed)
            join(cmp, &first, pieces[0].data, pieces[1].data);
        pieces[0].len = 0;
        put_intro_b(cmp, &pieces[0], label_b);
        smtpc_buf_putc(&pieces[0], '\0');
        if (!first.failed && !pieces[0].failed)
            join(cmp, t, first.data, pieces[0].data);
        t->failed |= first.failed | pieces[0].failed | pieces[1].failed;
        smtpc_buf_free(&first);
    }
    cmp->intro = finish_said(cmp, t);
}

static void add_class_difference(smtpc_comparison *cmp, const char *label_a, const char *label_b)
{
    struct smtpc_buf *t = scratch(cmp);
    say(cmp, t, SMTPC_T_DIFF_CLASS,
        ARGS({"a", cmp->sides[0].text}, {"a_class", label_a}, {"b", cmp->sides[1].text},
             {"b_class", label_b}));
    add_difference(cmp, "class", t);
}

/* The description and the when-text of each code; a text both codes share (one enhanced code
 * in two classes) is said once, about both. */
static void add_description_differences(smtpc_comparison *cmp)
{
    const struct side *s = cmp->sides;
    if (same_text(s[0].entry->description, s[1].entry->description)) {
        struct smtpc_buf *t = scratch(cmp);
        say(cmp, t, SMTPC_T_DIFF_DESCRIPTION_BOTH,
            ARGS({"a", s[0].text}, {"b", s[1].text},
                 {"description", s[0].texts[SMTPC_TEXT_DESCRIPTION]}));
        add_difference(cmp, "description", t);
    } else {
        for (int i = 0; i < 2; i++) {
            struct smtpc_buf *t = scratch(cmp);
            say(cmp, t, SMTPC_T_DIFF_DESCRIPTION,
                ARGS({"code", s[i].text}, {"description", s[i].texts[SMTPC_TEXT_DESCRIPTION]}));
            add_difference(cmp, "description", t);
        }
    }
    if (same_text(s[0].entry->when, s[1].entry->when)) {
        struct smtpc_buf *t = scratch(cmp);
        say(cmp, t, SMTPC_T_DIFF_WHEN_BOTH,
            ARGS({"a", s[0].text}, {"b", s[1].text}, {"when", s[0].texts[SMTPC_TEXT_WHEN]}));
        add_difference(cmp, "when", t);
    } else {
        for (int i = 0; i < 2; i++) {
            struct smtpc_buf *t = scratch(cmp);
            say(cmp, t, SMTPC_T_DIFF_WHEN,
                ARGS({"code", s[i].text}, {"when", s[i].texts[SMTPC_TEXT_WHEN]}));
            add_difference(cmp, "when", t);
        }
    }
}

/* The retry advice shared by both codes, as a sentence about the two: the verb agrees with
 * a plural subject, and a negation reads "Neither A nor B" rather than "Both A and B ... not". */
static int shared_retry_template(int retry)
{
    switch (retry) {
    case SMTPC_RETRY_NONE: return SMTPC_T_DIFF_RETRY_BOTH_NONE;
    case SMTPC_RETRY_LATER: return SMTPC_T_DIFF_RETRY_BOTH_LATER;
    case SMTPC_RETRY_AFTER_FIX: return SMTPC_T_DIFF_RETRY_BOTH_AFTER_FIX;
    case SMTPC_RETRY_NO: return SMTPC_T_DIFF_RETRY_BOTH_NO;
    default: return SMTPC_T_DIFF_RETRY_BOTH_UNKNOWN;
    }
}

static void add_retry_difference(smtpc_comparison *cmp)
{
    int ra = smtpc_entry_retry(cmp->sides[0].entry, side_class(&cmp->sides[0]));
    int rb = smtpc_entry_retry(cmp->sides[1].entry, side_class(&cmp->sides[1]));
    struct smtpc_buf *t = scratch(cmp);
    if (ra == rb)
        say(cmp, t, shared_retry_template(ra),
            ARGS({"a", cmp->sides[0].text}, {"b", cmp->sides[1].text}));
    else
        say(cmp, t, SMTPC_T_DIFF_RETRY,
            ARGS({"a", cmp->sides[0].text}, {"a_retry", smtpc_retry_phrase(&cmp->words, ra)},
                 {"b", cmp->sides[1].text}, {"b_retry", smtpc_retry_phrase(&cmp->words, rb)}));
    add_difference(cmp, "retry", t);
}

/* RFC 5321 section 3.8: only some replies end the session; say so when the two differ. */
static void add_connection_difference(smtpc_comparison *cmp)
{
    int ca = cmp->sides[0].entry->connection;
    int cb = cmp->sides[1].entry->connection;
    if (ca == cb || ca == SMTPC_CONNECTION_UNSPECIFIED || cb == SMTPC_CONNECTION_UNSPECIFIED)
        return;
    struct smtpc_buf *t = scratch(cmp);
    say(cmp, t, SMTPC_T_DIFF_CONNECTION,
        ARGS({"a", cmp->sides[0].text}, {"a_connection", smtpc_connection_phrase(&cmp->words, ca)},
             {"b", cmp->sides[1].text},
             {"b_connection", smtpc_connection_phrase(&cmp->words, cb)}));
    add_difference(cmp, "connection", t);
}

/* What a lazy list of a contrast writes: one code's list, by `put`. */
struct contrast_list {
    void (*put)(struct smtpc_buf *, struct smtpc_words *, const char *);
    const char *list;
};

static void put_contrast_list(struct smtpc_buf *b, struct smtpc_words *w, const void *ctx)
{
    const struct contrast_list *c = ctx;
    c->put(b, w, c->list);
}

/* A difference of template `t` about a list of each code ({a_<name>}, {b_<name>}), each
 * written by `put` straight into the sentence. */
static void add_contrast(smtpc_comparison *cmp, const char *kind, int template_id,
                         const char *names[2],
                         void (*put)(struct smtpc_buf *, struct smtpc_words *, const char *),
                         const char *a, const char *b)
{
    const struct contrast_list lists[2] = {{put, a}, {put, b}};
    const struct smtpc_lazy_arg lazy[2] = {{names[0], put_contrast_list, &lists[0]},
                                           {names[1], put_contrast_list, &lists[1]}};
    struct smtpc_buf *t = scratch(cmp);
    const struct smtpc_arg args[] = {{"a", cmp->sides[0].text}, {"b", cmp->sides[1].text}};
    smtpc_put_template_lazy(t, &cmp->words, template_id, args, 2, lazy, 2);
    add_difference(cmp, kind, t);
}

/* RFC 5321 section 4.3.2 lists which replies each command may get. */
static void add_commands_difference(smtpc_comparison *cmp)
{
    const char *ca = cmp->sides[0].entry->commands;
    const char *cb = cmp->sides[1].entry->commands;
    if (ca[0] == '\0' || cb[0] == '\0' || strcmp(ca, cb) == 0)
        return;
    const char *names[2] = {"a_commands", "b_commands"};
    add_contrast(cmp, "commands", SMTPC_T_DIFF_COMMANDS, names, smtpc_put_commands, ca, cb);
}

static void put_group_of(struct smtpc_buf *b, struct smtpc_words *w, const void *code)
{
    smtpc_put_group_label(b, w, code, 1);
}

/* The second digit (RFC 5321 section 4.2.1) or the subject (RFC 3463 section 3). */
static void add_category_difference(smtpc_comparison *cmp)
{
    const smtpc_code *a = &cmp->sides[0].code;
    const smtpc_code *b = &cmp->sides[1].code;
    if (a->kind == b->kind && a->category == b->category)
        return;
    const struct smtpc_lazy_arg lazy[2] = {{"a_group", put_group_of, a},
                                           {"b_group", put_group_of, b}};
    const struct smtpc_arg args[] = {{"a", cmp->sides[0].text}, {"b", cmp->sides[1].text}};
    struct smtpc_buf *t = scratch(cmp);
    smtpc_put_template_lazy(t, &cmp->words, SMTPC_T_DIFF_CATEGORY, args, 2, lazy, 2);
    add_difference(cmp, "category", t);
}

static void put_code_item(struct smtpc_buf *b, struct smtpc_words *w, const char *s, size_t len)
{
    (void)w;
    smtpc_buf_append(b, s, len);
}

/* Whether the registry's associated codes name one basic code: "550", "552 (other 4XX ...)". */
static int one_associated_code(const char *a)
{
    return smtpc_is_digit(a[1]) && smtpc_is_digit(a[2]) &&
           (a[3] == '\0' || (a[3] == ' ' && a[4] == '('));
}

/* "4.3.2 or 4.4.5": a basic code's usual enhanced codes (space-separated) as a list. */
static void put_enhanced_list(struct smtpc_buf *b, struct smtpc_words *w, const void *list)
{
    smtpc_put_list_words(b, w, list, " ", SMTPC_T_LIST_OR, put_code_item);
}

/* What usually travels with a code: enhanced codes for a basic code, and the registry's
 * associated basic codes for an enhanced one (RFC 3463 section 3). */
static void put_companions(struct smtpc_buf *t, struct smtpc_words *w, const struct side *s)
{
    const smtpc_entry *e = s->entry;
    if (e->parsed.kind == SMTPC_KIND_BASIC && e->enhanced[0] == '\0') {
        smtpc_put_template(t, w, SMTPC_T_COMPANIONS_NONE, ARGS({"code", s->text}));
    } else if (e->parsed.kind == SMTPC_KIND_BASIC) {
        const struct smtpc_lazy_arg codes = {"codes", put_enhanced_list, e->enhanced};
        const struct smtpc_arg code = {"code", s->text};
        smtpc_put_template_lazy(t, w, SMTPC_T_COMPANIONS, &code, 1, &codes, 1);
    } else if (smtpc_is_digit(e->associated[0])) {
        /* the registry's text, verbatim: "550", "451, 550", "5XX", "552 (other 4XX ...)" */
        smtpc_put_template(t, w,
                           one_associated_code(e->associated) ? SMTPC_T_COMPANIONS_REGISTRY_ONE
                                                              : SMTPC_T_COMPANIONS_REGISTRY,
                           ARGS({"code", s->text}, {"codes", e->associated}));
    } else if (strcmp(e->associated, "Any") == 0) {
        smtpc_put_template(t, w, SMTPC_T_COMPANIONS_REGISTRY_ANY, ARGS({"code", s->text}));
    } else {
        smtpc_put_template(t, w, SMTPC_T_COMPANIONS_REGISTRY_NONE, ARGS({"code", s->text}));
    }
}

static void put_companions_of(struct smtpc_buf *b, struct smtpc_words *w, const void *side)
{
    put_companions(b, w, side);
}

static void add_enhanced_difference(smtpc_comparison *cmp)
{
    const smtpc_entry *a = cmp->sides[0].entry;
    const smtpc_entry *b = cmp->sides[1].entry;
    if (a->parsed.kind == b->parsed.kind && strcmp(a->enhanced, b->enhanced) == 0 &&
        strcmp(a->associated, b->associated) == 0)
        return;
    const struct smtpc_lazy_arg lazy[2] = {{"a_companions", put_companions_of, &cmp->sides[0]},
                                           {"b_companions", put_companions_of, &cmp->sides[1]}};
    struct smtpc_buf *t = scratch(cmp);
    smtpc_put_template_lazy(t, &cmp->words, SMTPC_T_DIFF_ENHANCED, NULL, 0, lazy, 2);
    add_difference(cmp, "enhanced", t);
}

static void add_origin_difference(smtpc_comparison *cmp)
{
    int oa = cmp->sides[0].entry->origin;
    int ob = cmp->sides[1].entry->origin;
    if (oa == ob)
        return;
    struct smtpc_buf *t = scratch(cmp);
    say(cmp, t, SMTPC_T_DIFF_ORIGIN,
        ARGS({"a", cmp->sides[0].text}, {"a_origin", smtpc_origin_phrase(&cmp->words, oa, 0)},
             {"b", cmp->sides[1].text}, {"b_origin", smtpc_origin_phrase(&cmp->words, ob, 0)}));
    add_difference(cmp, "origin", t);
}

/* One item of a "; "-separated reference list, split into document and section. */
struct reference_item {
    const char *text;
    size_t len;
    size_t doc_len; /* "RFC 5321" of "RFC 5321 section 4.2.3" */
};

static size_t split_references(struct reference_item *items, const char *refs)
{
    size_t n = 0;
    for (const char *s = refs; *s != '\0' && n < MAX_REFERENCES;) {
        size_t len = smtpc_list_item_len(s, "; ", 2);
        size_t doc_len = smtpc_list_item_len(s, " section ", 9);
        items[n].text = s;
        items[n].len = len;
        items[n].doc_len = doc_len < len ? doc_len : len;
        n++;
        s = smtpc_list_next(s, len, 2);
    }
    return n;
}

static int same_document(const struct reference_item *a, const struct reference_item *b)
{
    return a->doc_len == b->doc_len && memcmp(a->text, b->text, a->doc_len) == 0;
}

/* The references of one code taken apart: each document's first item, in order. */
struct reference_list {
    struct reference_item items[MAX_REFERENCES];
    size_t n;
    size_t first[MAX_REFERENCES];
    size_t documents;
};

/* The sections of one document of a reference list. */
struct document_sections {
    const struct reference_item *items;
    size_t of[MAX_REFERENCES]; /* the items with a section */
    size_t n;
};

static void put_section(struct smtpc_buf *b, struct smtpc_words *w, const void *ctx, size_t i)
{
    (void)w;
    const struct document_sections *d = ctx;
    const struct reference_item *item = &d->items[d->of[i]];
    size_t skip = item->doc_len + strlen(" section ");
    smtpc_buf_append(b, item->text + skip, item->len - skip);
}

static void put_sections(struct smtpc_buf *b, struct smtpc_words *w, const void *ctx)
{
    const struct document_sections *d = ctx;
    smtpc_put_joined_with(b, w, d->n, SMTPC_T_LIST_AND, put_section, d);
}

static void put_document_name(struct smtpc_buf *b, struct smtpc_words *w, const void *ctx)
{
    const struct reference_item *item = ctx;
    smtpc_put_reference(b, w, item->text, item->doc_len);
}

/* Writes document `d` with its sections ("RFC 5321 (sections 4.2.2 and 4.2.3)"). */
static void put_document(struct smtpc_buf *b, struct smtpc_words *w, const void *ctx, size_t d)
{
    const struct reference_list *r = ctx;
    const struct reference_item *first = &r->items[r->first[d]];
    struct document_sections sections;
    sections.items = r->items;
    sections.n = 0;
    for (size_t j = r->first[d]; j < r->n; j++) {
        if (same_document(&r->items[j], first) && r->items[j].len > r->items[j].doc_len)
            sections.of[sections.n++] = j;
    }
    if (sections.n == 0) {
        smtpc_put_reference(b, w, first->text, first->doc_len);
        return;
    }
    const struct smtpc_lazy_arg lazy[2] = {
        {"document", put_document_name, first},
        {sections.n == 1 ? "section" : "sections", put_sections, &sections}};
    smtpc_put_template_lazy(b, w, sections.n == 1 ? SMTPC_T_REFERENCE_SECTION
                                                  : SMTPC_T_REFERENCE_SECTIONS,
                            NULL, 0, lazy, 2);
}

/* Writes "RFC 5321 (sections 4.2.2 and 4.2.3) and RFC 1870 (section 6)": the sections of each
 * document grouped, documents in the order of their first mention. */
static void put_reference_list(struct smtpc_buf *t, struct smtpc_words *w, const char *refs)
{
    struct reference_list r;
    r.n = split_references(r.items, refs);
    r.documents = 0;
    for (size_t i = 0; i < r.n; i++) {
        size_t j = 0;
        while (j < i && !same_document(&r.items[j], &r.items[i]))
            j++;
        if (j == i)
            r.first[r.documents++] = i;
    }
    smtpc_put_joined_with(t, w, r.documents, SMTPC_T_LIST_AND, put_document, &r);
}

static void add_references_difference(smtpc_comparison *cmp)
{
    const char *ra = cmp->sides[0].entry->references;
    const char *rb = cmp->sides[1].entry->references;
    if (strcmp(ra, rb) == 0)
        return;
    const char *names[2] = {"a_references", "b_references"};
    add_contrast(cmp, "references", SMTPC_T_DIFF_REFERENCES, names, put_reference_list, ra, rb);
}

static void build_usage(smtpc_comparison *cmp)
{
    struct smtpc_buf *t = scratch(cmp);
    const struct side *a = &cmp->sides[0];
    const struct side *b = &cmp->sides[1];
    if (same_text(a->entry->fix, b->entry->fix)) {
        /* the same advice for both is given once */
        if (same_text(a->entry->name, b->entry->name))
            say(cmp, t, SMTPC_T_USAGE_SHARED_NAME,
                ARGS({"a", a->text}, {"b", b->text}, {"name", a->texts[SMTPC_TEXT_NAME]},
                     {"fix", a->texts[SMTPC_TEXT_FIX]}));
        else
            say(cmp, t, SMTPC_T_USAGE_SHARED,
                ARGS({"a", a->text}, {"a_name", a->texts[SMTPC_TEXT_NAME]}, {"b", b->text},
                     {"b_name", b->texts[SMTPC_TEXT_NAME]}, {"fix", a->texts[SMTPC_TEXT_FIX]}));
        cmp->usage = finish_said(cmp, t);
        return;
    }
    const char *sep;
    long sep_len = smtpc_template_separator(&cmp->words, SMTPC_T_JOIN_SENTENCES, "first", "next",
                                            &sep);
    struct smtpc_buf *each = cmp->pieces;
    for (int i = 0; i < 2; i++) {
        const struct side *s = &cmp->sides[i];
        /* straight into the paragraph when the language joins sentences with a separator */
        struct smtpc_buf *into = sep_len >= 0 ? t : &each[i];
        if (sep_len >= 0 && i > 0)
            smtpc_buf_append(t, sep, (size_t)sep_len);
        into->len = sep_len >= 0 ? into->len : 0;
        say(cmp, into, SMTPC_T_USAGE,
            ARGS({"code", s->text}, {"name", s->texts[SMTPC_TEXT_NAME]},
                 {"fix", s->texts[SMTPC_TEXT_FIX]}));
        if (sep_len < 0)
            smtpc_buf_putc(&each[i], '\0');
    }
    if (sep_len < 0 && !each[0].failed && !each[1].failed)
        join(cmp, t, each[0].data, each[1].data);
    t->failed |= each[0].failed | each[1].failed;
    cmp->usage = finish_said(cmp, t);
}

static void add_reference(smtpc_comparison *cmp, const char *ref, size_t len)
{
    for (size_t i = 0; i < cmp->n_references; i++) {
        if (strlen(cmp->references[i]) == len && memcmp(cmp->references[i], ref, len) == 0)
            return;
    }
    if (cmp->n_references == MAX_REFERENCES)
        return;
    struct smtpc_buf *t = scratch(cmp);
    smtpc_buf_append(t, ref, len);
    char *copy = finish(cmp, t);
    if (copy != NULL)
        cmp->references[cmp->n_references++] = copy;
}

static void collect_references(smtpc_comparison *cmp)
{
    for (int i = 0; i < 2; i++) {
        const char *s = cmp->sides[i].entry->references;
        while (*s != '\0') {
            size_t len = smtpc_list_item_len(s, "; ", 2);
            add_reference(cmp, s, len);
            s = smtpc_list_next(s, len, 2);
        }
    }
}

/* The labels and the texts of each code in the page's language. */
static void say_sides(smtpc_comparison *cmp)
{
    const struct smtpc_language *en = cmp->words.english;
    for (int i = 0; i < SMTPC_LABEL_COUNT; i++) {
        cmp->words.fell_back = 0;
        cmp->labels[i] = smtpc_say(&cmp->words, SMTPC_MESSAGE_LABELS + (size_t)i, en->labels[i]);
        cmp->label_english[i] = cmp->words.fell_back;
    }
    for (int i = 0; i < 2; i++) {
        struct side *s = &cmp->sides[i];
        for (int text = 0; text < SMTPC_TEXT_COUNT; text++) {
            cmp->words.fell_back = 0;
            s->texts[text] = smtpc_say_entry(&cmp->words, s->entry, text);
            s->english[text] = cmp->words.fell_back;
        }
    }
}

static void build_page(smtpc_comparison *cmp)
{
    say_sides(cmp);
    char *label_a = class_label(cmp, &cmp->sides[0]);
    char *label_b = class_label(cmp, &cmp->sides[1]);
    if (label_a != NULL && label_b != NULL) {
        build_title(cmp);
        build_intro(cmp, label_a, label_b);
        if (side_class(&cmp->sides[0]) != side_class(&cmp->sides[1]))
            add_class_difference(cmp, label_a, label_b);
        add_description_differences(cmp);
        add_retry_difference(cmp);
        add_connection_difference(cmp);
        add_commands_difference(cmp);
        add_category_difference(cmp);
        add_enhanced_difference(cmp);
        add_origin_difference(cmp);
        add_references_difference(cmp);
        build_usage(cmp);
        collect_references(cmp);
    }
}

static int resolve_side(struct side *s, const smtpc_db *db, const char *text, size_t len,
                        smtpc_error *err)
{
    int rc = smtpc_lookup(&s->entry, db, text, len, err);
    if (rc != 0)
        return rc;
    smtpc_code_parse(&s->code, text, len, NULL);
    smtpc_code_format(s->text, &s->code);
    return 0;
}

/* The same entry with the same class, or with a class not given on one side ("X.7.1" and
 * "5.7.1"); "4.2.2" and "5.2.2" differ in class and compare well. */
static int same_code(const struct side *a, const struct side *b)
{
    return a->entry == b->entry &&
           (a->code.klass == b->code.klass || a->code.klass == 0 || b->code.klass == 0);
}

/* Lower code first (docs/comparison-page.md): basic before enhanced, then by number; the same
 * enhanced code with and without a class ("X.7.1", "5.7.1") orders by class. */
static int side_order(const struct side *a, const struct side *b)
{
    long ka = smtpc_code_key(&a->code);
    long kb = smtpc_code_key(&b->code);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    return (a->code.klass > b->code.klass) - (a->code.klass < b->code.klass);
}

int smtpc_compare(smtpc_comparison **out, const smtpc_db *db, const char *a, size_t a_len,
                  const char *b, size_t b_len, const char *lang, size_t lang_len,
                  smtpc_error *err)
{
    if (out == NULL || db == NULL || (a == NULL && a_len) || (b == NULL && b_len))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    const struct smtpc_language *language = smtpc_language_require(db, lang, lang_len, err);
    if (language == NULL)
        return SMTPC_ELANG;
    struct side sides[2];
    int rc;
    if ((rc = resolve_side(&sides[0], db, a, a_len, err)) != 0 ||
        (rc = resolve_side(&sides[1], db, b, b_len, err)) != 0)
        return rc;
    if (same_code(&sides[0], &sides[1]))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "%s and %s are the same code: there is nothing to compare",
                               sides[0].text, sides[1].text);
    smtpc_comparison *cmp = calloc(1, sizeof *cmp);
    if (cmp == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    /* A page's strings come to a few KiB: one block holds them all. */
    cmp->arena = smtpc_arena_new_sized(4096);
    if (cmp->arena == NULL) {
        free(cmp);
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    }
    cmp->db = db;
    cmp->lang = language;
    smtpc_words_init(&cmp->words, db, language);
    int swap = side_order(&sides[0], &sides[1]) > 0;
    cmp->sides[0] = sides[swap];
    cmp->sides[1] = sides[!swap];
    build_page(cmp);
    if (cmp->out_of_memory || cmp->title.text == NULL || cmp->intro.text == NULL ||
        cmp->usage.text == NULL) {
        smtpc_comparison_free(cmp);
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    }
    *out = cmp;
    return 0;
}

const smtpc_entry *smtpc_comparison_entry(const smtpc_comparison *cmp, int side)
{
    if (cmp == NULL || side < 0 || side > 1)
        return NULL;
    return cmp->sides[side].entry;
}

const char *smtpc_comparison_code(const smtpc_comparison *cmp, int side)
{
    if (cmp == NULL || side < 0 || side > 1)
        return NULL;
    return cmp->sides[side].text;
}

const smtpc_code *smtpc_comparison_parsed(const smtpc_comparison *cmp, int side)
{
    if (cmp == NULL || side < 0 || side > 1)
        return NULL;
    return &cmp->sides[side].code;
}

const smtpc_db *smtpc_comparison_db(const smtpc_comparison *cmp)
{
    return cmp->db;
}

const char *smtpc_comparison_part(const smtpc_comparison *cmp, int which)
{
    if (cmp == NULL)
        return NULL;
    switch (which) {
    case SMTPC_PART_TITLE: return cmp->title.text;
    case SMTPC_PART_INTRO: return cmp->intro.text;
    case SMTPC_PART_USAGE: return cmp->usage.text;
    case SMTPC_PART_LANG: return cmp->lang->tag;
    default: return NULL;
    }
}

const char *smtpc_comparison_label(const smtpc_comparison *cmp, int which)
{
    if (cmp == NULL || which < 0 || which >= SMTPC_LABEL_COUNT)
        return NULL;
    return cmp->labels[which];
}

size_t smtpc_comparison_difference_count(const smtpc_comparison *cmp)
{
    return cmp != NULL ? cmp->n_differences : 0;
}

const char *smtpc_comparison_difference(const smtpc_comparison *cmp, size_t index)
{
    if (cmp == NULL || index >= cmp->n_differences)
        return NULL;
    return cmp->differences[index].said.text;
}

const char *smtpc_comparison_difference_kind(const smtpc_comparison *cmp, size_t index)
{
    if (cmp == NULL || index >= cmp->n_differences)
        return NULL;
    return cmp->differences[index].kind;
}

size_t smtpc_comparison_reference_count(const smtpc_comparison *cmp)
{
    return cmp != NULL ? cmp->n_references : 0;
}

const char *smtpc_comparison_reference(const smtpc_comparison *cmp, size_t index)
{
    if (cmp == NULL || index >= cmp->n_references)
        return NULL;
    return cmp->references[index];
}

const char *smtpc_comparison_text(const smtpc_comparison *cmp, int side, int text)
{
    if (cmp == NULL || side < 0 || side > 1 || text < 0 || text >= SMTPC_TEXT_COUNT)
        return NULL;
    return cmp->sides[side].texts[text];
}

const struct smtpc_language *smtpc_comparison_language(const smtpc_comparison *cmp)
{
    return cmp->lang;
}

int smtpc_comparison_fell_back(const smtpc_comparison *cmp, int what, size_t index)
{
    switch (what) {
    case SMTPC_PART_TITLE: return cmp->title.english;
    case SMTPC_PART_INTRO: return cmp->intro.english;
    case SMTPC_PART_USAGE: return cmp->usage.english;
    case SMTPC_FELL_BACK_DIFFERENCE:
        return index < cmp->n_differences && cmp->differences[index].said.english;
    case SMTPC_FELL_BACK_TEXT_A:
    case SMTPC_FELL_BACK_TEXT_B:
        return index < SMTPC_TEXT_COUNT &&
               cmp->sides[what == SMTPC_FELL_BACK_TEXT_B].english[index];
    case SMTPC_FELL_BACK_LABEL: return index < SMTPC_LABEL_COUNT && cmp->label_english[index];
    default: return 0;
    }
}
