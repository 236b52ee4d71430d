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
};

struct difference {
    const char *kind;
    char *text;
};

struct smtpc_comparison {
    const smtpc_db *db;
    const struct smtpc_language *lang;
    struct side sides[2];
    char *title;
    char *intro;
    char *usage;
    struct difference differences[MAX_DIFFERENCES];
    size_t n_differences;
    char *references[MAX_REFERENCES];
    size_t n_references;
    int out_of_memory;
    /* Every string above lives in `arena`, freed at once; each is built in `scratch` first,
     * whose memory is reused from one string to the next. */
    struct smtpc_arena *arena;
    struct smtpc_buf scratch;
};

void smtpc_comparison_free(smtpc_comparison *cmp)
{
    if (cmp == NULL)
        return;
    smtpc_arena_free(cmp->arena);
    smtpc_buf_free(&cmp->scratch);
    free(cmp);
}

/* The buffer to build the next string in, emptied. */
static struct smtpc_buf *scratch(smtpc_comparison *cmp)
{
    cmp->scratch.len = 0;
    return &cmp->scratch;
}

/* Copies the finished sentence out of `b` into the comparison's arena, noting a failed
 * allocation in `cmp`. */
static char *finish(smtpc_comparison *cmp, struct smtpc_buf *b)
{
    char *s = b->failed ? NULL : smtpc_arena_strndup(cmp->arena, b->data != NULL ? b->data : "",
                                                     b->len);
    if (s == NULL)
        cmp->out_of_memory = 1;
    return s;
}

static void add_difference(smtpc_comparison *cmp, const char *kind, struct smtpc_buf *b)
{
    char *text = finish(cmp, b);
    if (text == NULL)
        return;
    if (cmp->n_differences == MAX_DIFFERENCES)
        return;
    cmp->differences[cmp->n_differences].kind = kind;
    cmp->differences[cmp->n_differences].text = text;
    cmp->n_differences++;
}

static int side_class(const struct side *s)
{
    return s->code.klass;
}

/* "a" or "an" before a label; class labels start with a digit or "X", read as letters
 * ("an 8", "an X.X.X"). */
static const char *article(const char *label)
{
    return strchr("aeiouAEIOU8X", label[0]) != NULL ? "an" : "a";
}

static char *class_label(smtpc_comparison *cmp, const struct side *s)
{
    struct smtpc_buf *b = scratch(cmp);
    smtpc_put_class_label(b, cmp->db, &s->code);
    return finish(cmp, b);
}

/* Whether two codes share a text: the same entry in two classes ("4.2.2", "5.2.2") shares all
 * of them; other texts usually differ from the first byte. */
static int same_text(const char *a, const char *b)
{
    return a == b || (a[0] == b[0] && strcmp(a, b) == 0);
}

/* Appends `text` and a full stop unless it already ends a sentence. */
static void put_sentence_end(struct smtpc_buf *b)
{
    if (b->len > 0 && strchr(".!?", b->data[b->len - 1]) == NULL)
        smtpc_buf_putc(b, '.');
}

static void build_title(smtpc_comparison *cmp)
{
    const struct side *a = &cmp->sides[0];
    const struct side *b = &cmp->sides[1];
    struct smtpc_buf *t = scratch(cmp);
    smtpc_buf_printf(t, "SMTP %s %s vs %s %s", a->text, a->entry->name, b->text,
                     b->entry->name);
    cmp->title = finish(cmp, t);
}

/* docs/comparison-page.md: the two forms of the intro, for different and for shared classes. */
static void build_intro(smtpc_comparison *cmp, const char *label_a, const char *label_b)
{
    const struct side *a = &cmp->sides[0];
    const struct side *b = &cmp->sides[1];
    int same_class = side_class(a) == side_class(b);
    struct smtpc_buf *t = scratch(cmp);
    if (same_class)
        smtpc_buf_printf(t, "Both SMTP %s (%s) and %s (%s) belong to the %s category. ",
                         a->text, a->entry->name, b->text, b->entry->name, label_a);
    else
        smtpc_buf_printf(t, "SMTP %s (%s) is %s %s response, while %s (%s) is %s %s response. ",
                         a->text, a->entry->name, article(label_a), label_a, b->text,
                         b->entry->name, article(label_b), label_b);
    smtpc_buf_printf(t, "%s indicates that ", a->text);
    smtpc_buf_put_clause(t, a->entry->description);
    put_sentence_end(t);
    if (!same_text(a->entry->description, b->entry->description)) {
        smtpc_buf_printf(t, " %s, %s means that ", same_class ? "Meanwhile" : "In contrast",
                         b->text);
        smtpc_buf_put_clause(t, b->entry->description);
        put_sentence_end(t);
    } else if (same_class) {
        smtpc_buf_printf(t, " Meanwhile, %s means the same.", b->text);
    } else {
        /* one enhanced code in two classes ("4.2.2", "5.2.2"): the class is the difference */
        smtpc_buf_printf(t, " In contrast, %s reports the same condition as %s %s.", b->text,
                         article(label_b), label_b);
    }
    cmp->intro = finish(cmp, t);
}

static void add_class_difference(smtpc_comparison *cmp, const char *label_a, const char *label_b)
{
    struct smtpc_buf *t = scratch(cmp);
    smtpc_buf_printf(t, "%s is %s %s response, while %s is %s %s response.",
                     cmp->sides[0].text, article(label_a), label_a, cmp->sides[1].text,
                     article(label_b), label_b);
    add_difference(cmp, "class", t);
}

/* The description and the when-text of each code; a text both codes share (one enhanced code
 * in two classes) is said once, about both. */
static void add_description_differences(smtpc_comparison *cmp)
{
    const struct side *s = cmp->sides;
    if (same_text(s[0].entry->description, s[1].entry->description)) {
        struct smtpc_buf *t = scratch(cmp);
        smtpc_buf_printf(t, "SMTP %s and %s: %s", s[0].text, s[1].text, s[0].entry->description);
        put_sentence_end(t);
        add_difference(cmp, "description", t);
    } else {
        for (int i = 0; i < 2; i++) {
            struct smtpc_buf *t = scratch(cmp);
            smtpc_buf_printf(t, "SMTP %s: %s", s[i].text, s[i].entry->description);
            put_sentence_end(t);
            add_difference(cmp, "description", t);
        }
    }
    if (same_text(s[0].entry->when, s[1].entry->when)) {
        struct smtpc_buf *t = scratch(cmp);
        smtpc_buf_printf(t, "You encounter %s and %s when ", s[0].text, s[1].text);
        smtpc_buf_put_clause(t, s[0].entry->when);
        put_sentence_end(t);
        add_difference(cmp, "when", t);
    } else {
        for (int i = 0; i < 2; i++) {
            struct smtpc_buf *t = scratch(cmp);
            smtpc_buf_printf(t, "You encounter %s when ", s[i].text);
            smtpc_buf_put_clause(t, s[i].entry->when);
            put_sentence_end(t);
            add_difference(cmp, "when", t);
        }
    }
}

/* The retry advice shared by both codes, as a sentence about the two: the verb agrees with
 * a plural subject, and a negation reads "Neither A nor B" rather than "Both A and B ... not". */
static void put_shared_retry(struct smtpc_buf *t, const char *a, const char *b, int retry)
{
    switch (retry) {
    case SMTPC_RETRY_NONE:
        smtpc_buf_printf(t, "Neither %s nor %s needs a retry, because the request succeeded or "
                            "goes on.", a, b);
        break;
    case SMTPC_RETRY_LATER:
        smtpc_buf_printf(t, "Both %s and %s may be retried unchanged later.", a, b);
        break;
    case SMTPC_RETRY_AFTER_FIX:
        smtpc_buf_printf(t, "Both %s and %s should be retried only after their causes are "
                            "corrected.", a, b);
        break;
    case SMTPC_RETRY_NO:
        smtpc_buf_printf(t, "Neither %s nor %s should be retried unchanged.", a, b);
        break;
    default:
        smtpc_buf_printf(t, "Neither %s nor %s carries any retry advice.", a, b);
        break;
    }
}

static void add_retry_difference(smtpc_comparison *cmp)
{
    int ra = smtpc_entry_retry(cmp->sides[0].entry, side_class(&cmp->sides[0]));
    int rb = smtpc_entry_retry(cmp->sides[1].entry, side_class(&cmp->sides[1]));
    struct smtpc_buf *t = scratch(cmp);
    if (ra == rb)
        put_shared_retry(t, cmp->sides[0].text, cmp->sides[1].text, ra);
    else
        smtpc_buf_printf(t, "%s %s, while %s %s.", cmp->sides[0].text, smtpc_retry_phrase(ra),
                         cmp->sides[1].text, smtpc_retry_phrase(rb));
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
    smtpc_buf_printf(t, "After %s %s, while after %s %s.", cmp->sides[0].text,
                     smtpc_connection_phrase(ca), cmp->sides[1].text,
                     smtpc_connection_phrase(cb));
    add_difference(cmp, "connection", t);
}

/* A difference of the form "A <verb> <a's list>, while B <verb> <b's list>.", each list
 * written by `put`. */
static void add_contrast(smtpc_comparison *cmp, const char *kind, const char *verb,
                         void (*put)(struct smtpc_buf *, const char *), const char *a,
                         const char *b)
{
    struct smtpc_buf *t = scratch(cmp);
    smtpc_buf_printf(t, "%s %s ", cmp->sides[0].text, verb);
    put(t, a);
    smtpc_buf_printf(t, ", while %s %s ", cmp->sides[1].text, verb);
    put(t, b);
    smtpc_buf_putc(t, '.');
    add_difference(cmp, kind, t);
}

/* RFC 5321 section 4.3.2 lists which replies each command may get. */
static void add_commands_difference(smtpc_comparison *cmp)
{
    const char *ca = cmp->sides[0].entry->commands;
    const char *cb = cmp->sides[1].entry->commands;
    if (ca[0] == '\0' || cb[0] == '\0' || strcmp(ca, cb) == 0)
        return;
    add_contrast(cmp, "commands", "answers", smtpc_put_commands, ca, cb);
}

/* The second digit (RFC 5321 section 4.2.1) or the subject (RFC 3463 section 3). */
static void add_category_difference(smtpc_comparison *cmp)
{
    const smtpc_code *a = &cmp->sides[0].code;
    const smtpc_code *b = &cmp->sides[1].code;
    if (a->kind == b->kind && a->category == b->category)
        return;
    struct smtpc_buf *t = scratch(cmp);
    smtpc_buf_printf(t, "%s is in ", cmp->sides[0].text);
    smtpc_put_group_label(t, cmp->db, a, 1);
    smtpc_buf_printf(t, ", while %s is in ", cmp->sides[1].text);
    smtpc_put_group_label(t, cmp->db, b, 1);
    smtpc_buf_putc(t, '.');
    add_difference(cmp, "category", t);
}

static void put_plain(struct smtpc_buf *b, const char *s, size_t len)
{
    smtpc_buf_append(b, s, len);
}

/* What usually travels with a code: enhanced codes for a basic code, and the registry's
 * associated basic codes for an enhanced one (RFC 3463 section 3). */
static void put_companions(struct smtpc_buf *t, const struct side *s)
{
    const smtpc_entry *e = s->entry;
    if (e->parsed.kind == SMTPC_KIND_BASIC) {
        if (e->enhanced[0] == '\0') {
            smtpc_buf_printf(t, "%s usually comes without an enhanced status code", s->text);
        } else {
            smtpc_buf_printf(t, "%s usually comes with ", s->text);
            smtpc_put_list_prose(t, e->enhanced, " ", " or ", put_plain);
        }
    } else if (e->associated[0] >= '0' && e->associated[0] <= '9') {
        /* the registry's text, verbatim: "550", "451, 550", "5XX", "552 (other 4XX ...)" */
        const char *a = e->associated;
        int one = a[1] >= '0' && a[1] <= '9' && a[2] >= '0' && a[2] <= '9' &&
                  (a[3] == '\0' || (a[3] == ' ' && a[4] == '('));
        smtpc_buf_printf(t, "the registry pairs %s with the basic code%s %s", s->text,
                         one ? "" : "s", a);
    } else if (strcmp(e->associated, "Any") == 0) {
        smtpc_buf_printf(t, "the registry pairs %s with any basic code", s->text);
    } else {
        smtpc_buf_printf(t, "the registry names no particular basic code for %s", s->text);
    }
}

static void add_enhanced_difference(smtpc_comparison *cmp)
{
    const smtpc_entry *a = cmp->sides[0].entry;
    const smtpc_entry *b = cmp->sides[1].entry;
    if (a->parsed.kind == b->parsed.kind && strcmp(a->enhanced, b->enhanced) == 0 &&
        strcmp(a->associated, b->associated) == 0)
        return;
    struct smtpc_buf *t = scratch(cmp);
    put_companions(t, &cmp->sides[0]);
    smtpc_buf_puts(t, ", while ");
    put_companions(t, &cmp->sides[1]);
    put_sentence_end(t);
    /* the second half may start with "the registry": capitalise the sentence as a whole */
    if (t->len > 0 && t->data[0] >= 'a' && t->data[0] <= 'z')
        t->data[0] = (char)(t->data[0] - 'a' + 'A');
    add_difference(cmp, "enhanced", t);
}

static void add_origin_difference(smtpc_comparison *cmp)
{
    int oa = cmp->sides[0].entry->origin;
    int ob = cmp->sides[1].entry->origin;
    if (oa == ob)
        return;
    struct smtpc_buf *t = scratch(cmp);
    smtpc_buf_printf(t, "%s %s, while %s %s.", cmp->sides[0].text, smtpc_origin_phrase(oa),
                     cmp->sides[1].text, smtpc_origin_phrase(ob));
    add_difference(cmp, "origin", t);
}

/* One item of a "; "-separated reference list, split into document and section. */
struct reference_item {
    const char *text;
    size_t len;
    size_t doc_len; /* "RFC 5321" of "RFC 5321 section 4.2.3" */
    int written;
};

static size_t split_references(struct reference_item *items, const char *refs)
{
    size_t n = 0;
    for (const char *s = refs; *s != '\0' && n < MAX_REFERENCES;) {
        const char *end = strstr(s, "; ");
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        const char *section = strstr(s, " section ");
        items[n].text = s;
        items[n].len = len;
        items[n].doc_len =
            section != NULL && (size_t)(section - s) < len ? (size_t)(section - s) : len;
        items[n].written = 0;
        n++;
        s += len + (end != NULL ? 2 : 0);
    }
    return n;
}

static int same_document(const struct reference_item *a, const struct reference_item *b)
{
    return a->doc_len == b->doc_len && memcmp(a->text, b->text, a->doc_len) == 0;
}

static size_t count_documents(const struct reference_item *items, size_t n)
{
    size_t documents = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && !same_document(&items[j], &items[i]))
            j++;
        documents += j == i;
    }
    return documents;
}

/* Writes the sections of the document of items[first] ("(sections 4.2.2 and 4.2.3)") and
 * marks its items written. */
static void put_sections_of(struct smtpc_buf *t, struct reference_item *items, size_t n,
                            size_t first)
{
    size_t sections = 0;
    for (size_t j = first; j < n; j++)
        sections += same_document(&items[j], &items[first]) && items[j].len > items[j].doc_len;
    if (sections > 0)
        smtpc_buf_puts(t, sections == 1 ? " (section " : " (sections ");
    size_t listed = 0;
    for (size_t j = first; j < n; j++) {
        if (!same_document(&items[j], &items[first]))
            continue;
        items[j].written = 1;
        if (items[j].len == items[j].doc_len)
            continue;
        if (listed > 0)
            smtpc_buf_puts(t, listed + 1 == sections ? " and " : ", ");
        size_t skip = items[j].doc_len + strlen(" section ");
        smtpc_buf_append(t, items[j].text + skip, items[j].len - skip);
        listed++;
    }
    if (sections > 0)
        smtpc_buf_putc(t, ')');
}

/* Writes "RFC 5321 (sections 4.2.2 and 4.2.3) and RFC 1870 (section 6)": the sections of each
 * document grouped, documents in the order of their first mention. */
static void put_reference_list(struct smtpc_buf *t, const char *refs)
{
    struct reference_item items[MAX_REFERENCES];
    size_t n = split_references(items, refs);
    size_t documents = count_documents(items, n);
    size_t written = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].written)
            continue;
        if (written > 0)
            smtpc_buf_puts(t, written + 1 == documents ? " and " : ", ");
        written++;
        smtpc_buf_append(t, items[i].text, items[i].doc_len);
        put_sections_of(t, items, n, i);
    }
}

static void add_references_difference(smtpc_comparison *cmp)
{
    const char *ra = cmp->sides[0].entry->references;
    const char *rb = cmp->sides[1].entry->references;
    if (strcmp(ra, rb) == 0)
        return;
    add_contrast(cmp, "references", "is specified in", put_reference_list, ra, rb);
}

static void build_usage(smtpc_comparison *cmp)
{
    struct smtpc_buf *t = scratch(cmp);
    const struct side *a = &cmp->sides[0];
    const struct side *b = &cmp->sides[1];
    if (same_text(a->entry->fix, b->entry->fix)) {
        /* the same advice for both is given once */
        if (same_text(a->entry->name, b->entry->name))
            smtpc_buf_printf(t, "For %s and %s (%s): %s", a->text, b->text, a->entry->name,
                             a->entry->fix);
        else
            smtpc_buf_printf(t, "For %s (%s) and %s (%s): %s", a->text, a->entry->name, b->text,
                             b->entry->name, a->entry->fix);
        put_sentence_end(t);
        cmp->usage = finish(cmp, t);
        return;
    }
    for (int i = 0; i < 2; i++) {
        const struct side *s = &cmp->sides[i];
        smtpc_buf_printf(t, "%sFor %s (%s): %s", i ? " " : "", s->text, s->entry->name,
                         s->entry->fix);
        put_sentence_end(t);
    }
    cmp->usage = finish(cmp, t);
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
            const char *end = strstr(s, "; ");
            size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
            add_reference(cmp, s, len);
            s += len;
            if (end != NULL)
                s += 2;
        }
    }
}

static void build_page(smtpc_comparison *cmp)
{
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
    int swap = side_order(&sides[0], &sides[1]) > 0;
    cmp->sides[0] = sides[swap];
    cmp->sides[1] = sides[!swap];
    build_page(cmp);
    if (cmp->out_of_memory || cmp->title == NULL || cmp->intro == NULL || cmp->usage == NULL) {
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
    case SMTPC_PART_TITLE: return cmp->title;
    case SMTPC_PART_INTRO: return cmp->intro;
    case SMTPC_PART_USAGE: return cmp->usage;
    case SMTPC_PART_LANG: return cmp->lang->tag;
    default: return NULL;
    }
}

const char *smtpc_comparison_label(const smtpc_comparison *cmp, int which)
{
    if (cmp == NULL || which < 0 || which >= SMTPC_LABEL_COUNT)
        return NULL;
    return cmp->lang->labels[which];
}

size_t smtpc_comparison_difference_count(const smtpc_comparison *cmp)
{
    return cmp != NULL ? cmp->n_differences : 0;
}

const char *smtpc_comparison_difference(const smtpc_comparison *cmp, size_t index)
{
    if (cmp == NULL || index >= cmp->n_differences)
        return NULL;
    return cmp->differences[index].text;
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
