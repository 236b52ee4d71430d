/*
 * test_english.c - the English of the comparison pages: every pair of codes the built-in
 * database knows (basic codes, and enhanced codes without a class and in each class they are
 * meant for) is compared and read for grammar and consistency defects.
 *
 * The checks read the text only, so that each can be shown to fail on a bad sentence:
 *  - agreement after "Both A and B": no singular verb, no "its" / "it is" for the two;
 *  - no negation after "Both A and B" ("Neither A nor B" says it), and a singular verb after
 *    "Neither A nor B";
 *  - no sentence said twice within the intro, the key differences or one code's advice in the
 *    usage, and not the same advice for both codes twice (codes and the connectives "indicates
 *    that", "In contrast, ... means that" do not make two sentences different); the intro
 *    repeats the descriptions of the key differences by design (docs/comparison-page.md);
 *  - no code that the page calls permanent, or says must not be retried, and also says may be
 *    retried unchanged;
 *  - no doubled word ("the the"), no "You encounter 421 when when";
 *  - "an" before a code label read with a vowel sound ("an X.X.X"), "a" before the others;
 *    "the basic code 550" but "the basic codes 451, 550".
 */
#include "smtpcodes.h"
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum { MAX_SENTENCES = 128, MAX_DIFFERENCES = 32, WHY_SIZE = 512, NORMAL_POOL = 1 << 17 };

/* ---- the checker ---- */

struct slice {
    const char *s;
    size_t n;
};

/* What a page says, as the checks read it. `text` (the rendered page) may be NULL. */
struct page {
    const char *codes[2];
    const char *intro;
    const char *differences[MAX_DIFFERENCES];
    size_t n_differences;
    const char *usage;
    const char *text;
};

static int defect(char *why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, WHY_SIZE, fmt, ap);
    va_end(ap);
    return 1;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Splits `text` into sentences: one ends at '.', '!' or '?' before white space and a capital
 * or a digit, at a line break, or at the end of the text. */
static size_t split_sentences(const char *text, struct slice *out, size_t max)
{
    size_t count = 0;
    const char *s = text;
    while (*s != '\0' && count < max) {
        while (*s == ' ' || *s == '\n')
            s++;
        if (*s == '\0')
            break;
        const char *e = s;
        while (*e != '\0' && *e != '\n') {
            if ((*e == '.' || *e == '!' || *e == '?') &&
                (e[1] == '\0' || e[1] == '\n' ||
                 (e[1] == ' ' && ((e[2] >= 'A' && e[2] <= 'Z') || is_digit(e[2]))))) {
                e++;
                break;
            }
            e++;
        }
        out[count].s = s;
        out[count].n = (size_t)(e - s);
        count++;
        s = e;
    }
    return count;
}

static int starts(const char *s, size_t n, const char *prefix)
{
    size_t len = strlen(prefix);
    return n >= len && memcmp(s, prefix, len) == 0;
}

/* The length of the code at s ("421", "5.7.1", "X.7.1"), 0 if there is none. */
static size_t code_length(const char *s, size_t n)
{
    if (n == 0 || !(is_digit(s[0]) || s[0] == 'X'))
        return 0;
    size_t i = 1;
    while (i < n && (is_digit(s[i]) || (s[i] == '.' && i + 1 < n && is_digit(s[i + 1]))))
        i++;
    if (i < n && (is_alpha(s[i]) || is_digit(s[i])))
        return 0;
    return i >= 3 ? i : 0;
}

/* Reads "[SMTP ]CODE[ (Name)]" at s; returns its length, 0 if s does not start with one. */
static size_t subject_length(const char *s, size_t n, struct slice *code)
{
    size_t i = starts(s, n, "SMTP ") ? 5 : 0;
    size_t c = code_length(s + i, n - i);
    if (c == 0)
        return 0;
    code->s = s + i;
    code->n = c;
    i += c;
    if (i + 1 < n && s[i] == ' ' && s[i + 1] == '(') {
        int depth = 0;
        for (size_t j = i + 1; j < n; j++) {
            depth += s[j] == '(';
            if (s[j] == ')' && --depth == 0)
                return j + 1;
        }
    }
    return i;
}

/* A statement about one code or both: "421 is ...", "Both A and B may ...", "Neither A nor
 * B should ...". */
struct claim {
    char quantifier; /* '1' one code, 'B' both, 'N' neither */
    struct slice code[2];
    struct slice predicate;
};

/* Skips the connectives that open the second code's sentence of an intro. */
static void skip_connectives(const char **s, size_t *n)
{
    static const char *const leads[] = {"In contrast, ", "Meanwhile, "};
    for (size_t k = 0; k < 2; k++) {
        if (starts(*s, *n, leads[k])) {
            *s += strlen(leads[k]);
            *n -= strlen(leads[k]);
        }
    }
}

static int parse_claim(struct slice sentence, struct claim *c)
{
    const char *s = sentence.s;
    size_t n = sentence.n;
    skip_connectives(&s, &n);
    const char *joiner = NULL;
    c->quantifier = '1';
    if (starts(s, n, "Both ")) {
        c->quantifier = 'B';
        joiner = " and ";
        s += 5;
        n -= 5;
    } else if (starts(s, n, "Neither ")) {
        c->quantifier = 'N';
        joiner = " nor ";
        s += 8;
        n -= 8;
    }
    size_t len = subject_length(s, n, &c->code[0]);
    if (len == 0)
        return 0;
    s += len;
    n -= len;
    c->code[1] = c->code[0];
    if (joiner != NULL) {
        if (!starts(s, n, joiner))
            return 0;
        s += strlen(joiner);
        n -= strlen(joiner);
        if ((len = subject_length(s, n, &c->code[1])) == 0)
            return 0;
        s += len;
        n -= len;
    }
    if (n == 0 || s[0] != ' ')
        return 0;
    c->predicate.s = s + 1;
    c->predicate.n = n - 1;
    return 1;
}

/* The words of `text` outside parentheses, one after another: names and labels ("Service Not
 * Available", "(class not given)") are not part of what a sentence says. */
static int next_word(struct slice text, size_t *at, struct slice *word)
{
    int depth = 0;
    size_t i = *at;
    while (i < text.n) {
        char c = text.s[i];
        if (c == '(')
            depth++;
        else if (c == ')' && depth > 0)
            depth--;
        else if (depth == 0 && is_alpha(c))
            break;
        i++;
    }
    if (i >= text.n)
        return 0;
    size_t start = i;
    while (i < text.n && (is_alpha(text.s[i]) || text.s[i] == '\''))
        i++;
    word->s = text.s + start;
    word->n = i - start;
    *at = i;
    return 1;
}

static int word_is(struct slice w, const char *s)
{
    return strlen(s) == w.n && strncasecmp(w.s, s, w.n) == 0;
}

static int word_in(struct slice w, const char *const *list)
{
    for (; *list != NULL; list++) {
        if (word_is(w, *list))
            return 1;
    }
    return 0;
}

/* Agreement and negation in statements about both codes, agreement after "Neither". */
static int check_agreement(const char *text, char *why)
{
    static const char *const adverbs[] = {"also", "always", "usually", "often", "only", "still",
                                          NULL};
    static const char *const negations[] = {"not", "no", "never", "none", "nothing", "neither",
                                            "nor", "cannot", NULL};
    static const char *const plural_verbs[] = {"are", "were", "have", "do", "need", "carry",
                                               "belong", "mean", "indicate", "come", "answer",
                                               NULL};
    static struct slice sentences[MAX_SENTENCES];
    size_t n = split_sentences(text, sentences, MAX_SENTENCES);
    for (size_t k = 0; k < n; k++) {
        struct claim c;
        if (!parse_claim(sentences[k], &c) || c.quantifier == '1')
            continue;
        int len = (int)sentences[k].n;
        const char *s = sentences[k].s;
        size_t at = 0;
        struct slice w;
        int first = 1;
        struct slice previous = {"", 0};
        while (next_word(c.predicate, &at, &w)) {
            if (first && word_in(w, adverbs))
                continue;
            if (first && c.quantifier == 'B' && w.n >= 2 && w.s[w.n - 1] == 's' &&
                w.s[w.n - 2] != 's')
                return defect(why, "singular verb '%.*s' after 'Both': %.*s", (int)w.n, w.s,
                              len, s);
            if (first && c.quantifier == 'N' && word_in(w, plural_verbs))
                return defect(why, "plural verb '%.*s' after 'Neither': %.*s", (int)w.n, w.s,
                              len, s);
            first = 0;
            if (c.quantifier != 'B')
                break;
            if (word_is(w, "its") || word_is(w, "it's") || word_is(w, "itself") ||
                (word_is(previous, "it") &&
                 (word_is(w, "is") || word_is(w, "was") || word_is(w, "has"))))
                return defect(why, "'%.*s' refers to both codes: %.*s", (int)w.n, w.s, len, s);
            if (word_in(w, negations) || (w.n > 3 && strncmp(w.s + w.n - 3, "n't", 3) == 0))
                return defect(why, "'Both ... %.*s' (say 'Neither ... nor'): %.*s", (int)w.n,
                              w.s, len, s);
            previous = w;
        }
    }
    return 0;
}

/* A sentence in a comparable form: the page's codes become '#', "In contrast, " and
 * "Meanwhile, " go, "# indicates that" and "# means that" become "# that". */
static const char *normalize(char *pool, size_t *used, struct slice sentence,
                             const char *const codes[2])
{
    char *out = pool + *used;
    size_t room = NORMAL_POOL - *used;
    const char *s = sentence.s;
    size_t n = sentence.n;
    skip_connectives(&s, &n);
    size_t o = 0;
    for (size_t i = 0; i < n && o + 2 < room;) {
        int boundary = i == 0 || !(is_alpha(s[i - 1]) || is_digit(s[i - 1]) || s[i - 1] == '.');
        size_t c = boundary ? code_length(s + i, n - i) : 0;
        if (c > 0 && ((strlen(codes[0]) == c && memcmp(s + i, codes[0], c) == 0) ||
                      (strlen(codes[1]) == c && memcmp(s + i, codes[1], c) == 0))) {
            out[o++] = '#';
            i += c;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    static const char *const verbs[] = {"# indicates that ", "# means that "};
    for (size_t k = 0; k < 2; k++) {
        size_t len = strlen(verbs[k]);
        if (o >= len && memcmp(out, verbs[k], len) == 0) {
            memmove(out + 7, out + len, o - len + 1);
            memcpy(out, "# that ", 7);
            o = o - len + 7;
        }
    }
    *used += o + 1;
    return out;
}

/* No two sentences of `text` the same (as normalize() writes them). */
static int check_repeats(const char *part, const char *text, const char *const codes[2],
                         char *why)
{
    static struct slice sentences[MAX_SENTENCES];
    static const char *normal[MAX_SENTENCES];
    static char pool[NORMAL_POOL];
    size_t used = 0;
    size_t n = split_sentences(text, sentences, MAX_SENTENCES);
    for (size_t k = 0; k < n; k++) {
        normal[k] = normalize(pool, &used, sentences[k], codes);
        for (size_t j = 0; j < k; j++) {
            if (strcmp(normal[j], normal[k]) == 0)
                return defect(why, "%s says this twice: '%.*s' and '%.*s'", part,
                              (int)sentences[j].n, sentences[j].s, (int)sentences[k].n,
                              sentences[k].s);
        }
    }
    return 0;
}

/* The intro, the key differences together, and each code's advice in the usage paragraph say
 * nothing twice; the usage does not give the same advice twice. */
static int check_duplicates(const struct page *p, char *why)
{
    if (check_repeats("the intro", p->intro, p->codes, why))
        return 1;
    size_t total = 0;
    for (size_t k = 0; k < p->n_differences; k++)
        total += strlen(p->differences[k]) + 1;
    char *all = malloc(total + 1);
    assert_non_null(all);
    all[0] = '\0';
    for (size_t k = 0; k < p->n_differences; k++) {
        strcat(all, p->differences[k]);
        strcat(all, "\n");
    }
    int bad = check_repeats("the key differences", all, p->codes, why);
    free(all);
    if (bad)
        return 1;
    /* the usage: "For A (Name): advice For B (Name): advice", or one item for both */
    if (p->usage[0] == '\0')
        return 0;
    const char *items[3] = {p->usage, NULL, NULL};
    for (const char *s = strstr(p->usage, " For "); s != NULL; s = strstr(s + 1, " For ")) {
        size_t c = code_length(s + 5, strlen(s) - 5);
        if (c > 0 && ((strlen(p->codes[1]) == c && memcmp(s + 5, p->codes[1], c) == 0) ||
                      (strlen(p->codes[0]) == c && memcmp(s + 5, p->codes[0], c) == 0))) {
            items[1] = s + 1;
            break;
        }
    }
    char *advice[2] = {NULL, NULL};
    for (int i = 0; i < 2 && items[i] != NULL; i++) {
        const char *end = i == 0 && items[1] != NULL ? items[1] - 1 : items[i] + strlen(items[i]);
        const char *body = strstr(items[i], ": ");
        if (body == NULL || body > end)
            return defect(why, "usage item without advice: %s", items[i]);
        body += 2;
        advice[i] = strndup(body, (size_t)(end - body));
        assert_non_null(advice[i]);
        bad = check_repeats("one code's advice", advice[i], p->codes, why);
        if (bad)
            break;
    }
    if (!bad && advice[1] != NULL && strcmp(advice[0], advice[1]) == 0)
        bad = defect(why, "the usage gives the same advice twice: %s", p->usage);
    free(advice[0]);
    free(advice[1]);
    return bad;
}

enum { SAYS_PERMANENT = 1, SAYS_NOT_RETRIED = 2, SAYS_RETRIED_UNCHANGED = 4 };

static int contains(struct slice s, const char *needle)
{
    size_t len = strlen(needle);
    for (size_t i = 0; i + len <= s.n; i++) {
        if (memcmp(s.s + i, needle, len) == 0)
            return 1;
    }
    return 0;
}

/* Notes what the clause says about the page's codes in said[]. */
static void note_claim(struct slice clause, const char *const codes[2], int said[2])
{
    struct claim c;
    if (!parse_claim(clause, &c))
        return;
    struct slice p = c.predicate;
    int what = 0;
    if ((starts(p.s, p.n, "is a ") || starts(p.s, p.n, "is an ") ||
         starts(p.s, p.n, "belong to ")) &&
        contains(p, "Permanent"))
        what |= SAYS_PERMANENT;
    if (contains(p, "not be retried") || contains(p, "never be retried") ||
        (c.quantifier == 'N' && contains(p, "be retried unchanged")))
        what |= SAYS_NOT_RETRIED;
    else if (contains(p, "may be retried unchanged") || contains(p, "can be retried unchanged"))
        what |= SAYS_RETRIED_UNCHANGED;
    for (int k = 0; k < 2; k++) {
        for (int side = 0; side < 2; side++) {
            if (strlen(codes[side]) == c.code[k].n &&
                memcmp(codes[side], c.code[k].s, c.code[k].n) == 0)
                said[side] |= what;
        }
    }
}

static void note_claims(const char *text, const char *const codes[2], int said[2])
{
    static struct slice sentences[MAX_SENTENCES];
    size_t n = split_sentences(text, sentences, MAX_SENTENCES);
    for (size_t k = 0; k < n; k++) {
        /* "A ..., while B ..." holds a claim on each side */
        struct slice clause = sentences[k];
        for (;;) {
            struct slice rest = {NULL, 0};
            for (size_t i = 0; i + 8 <= clause.n; i++) {
                if (memcmp(clause.s + i, ", while ", 8) == 0) {
                    rest.s = clause.s + i + 8;
                    rest.n = clause.n - i - 8;
                    clause.n = i;
                    break;
                }
            }
            note_claim(clause, codes, said);
            if (rest.s == NULL)
                break;
            clause = rest;
        }
    }
}

/* A code the page calls permanent or not to be retried is not also retried unchanged. */
static int check_contradiction(const struct page *p, char *why)
{
    int said[2] = {0, 0};
    note_claims(p->intro, p->codes, said);
    for (size_t k = 0; k < p->n_differences; k++)
        note_claims(p->differences[k], p->codes, said);
    for (int side = 0; side < 2; side++) {
        if ((said[side] & SAYS_RETRIED_UNCHANGED) &&
            (said[side] & (SAYS_PERMANENT | SAYS_NOT_RETRIED)))
            return defect(why, "%s is called %s and also 'may be retried unchanged'",
                          p->codes[side],
                          said[side] & SAYS_PERMANENT ? "permanent" : "not to be retried");
    }
    return 0;
}

/* "the the", "when When". */
static int check_doubled_words(const char *text, char *why)
{
    struct slice all = {text, strlen(text)};
    size_t at = 0;
    struct slice w;
    struct slice previous = {NULL, 0};
    while (next_word(all, &at, &w)) {
        if (previous.s != NULL && previous.s + previous.n + 1 == w.s &&
            previous.s[previous.n] == ' ' && previous.n == w.n &&
            strncasecmp(previous.s, w.s, w.n) == 0)
            return defect(why, "doubled word: '%.*s'", (int)(w.s + w.n - previous.s),
                          previous.s);
        previous = w;
    }
    return 0;
}

/* "You encounter 421 when ..." never goes on with "When". */
static int check_when(const char *text, char *why)
{
    for (const char *s = strstr(text, "You encounter "); s != NULL;
         s = strstr(s + 1, "You encounter ")) {
        const char *t = s + 14;
        struct slice code;
        size_t len = subject_length(t, strlen(t), &code);
        if (len == 0)
            continue;
        t += len;
        /* strlen(t) - 5, not strlen(t + 5): GCC's sanitizer builds misread the latter as a
         * read past a zero-sized object. */
        if (strncmp(t, " and ", 5) == 0 &&
            (len = subject_length(t + 5, strlen(t) - 5, &code)) > 0)
            t += 5 + len;
        if (strncmp(t, " when ", 6) == 0 && strncasecmp(t + 6, "when", 4) == 0 &&
            !is_alpha(t[10]))
            return defect(why, "when-text begins with 'When': %.60s", s);
    }
    return 0;
}

/* "an X.X.X" and "an 8..." but "a 4xx", "a 2.X.X"; "the basic code 550", "the basic codes
 * 451, 550". */
static int check_articles_and_number(const char *text, char *why)
{
    for (const char *s = text; *s != '\0'; s++) {
        if ((*s != 'a' && *s != 'A' && *s != 'b') ||
            (s != text && (is_alpha(s[-1]) || is_digit(s[-1]))))
            continue;
        if ((s[0] == 'a' || s[0] == 'A') && s[1] == ' ' &&
            ((s[2] == 'X' && s[3] == '.') || s[2] == '8'))
            return defect(why, "'a' before a vowel sound: %.40s", s);
        if ((s[0] == 'a' || s[0] == 'A') && s[1] == 'n' && s[2] == ' ' && is_digit(s[3]) &&
            s[3] != '8')
            return defect(why, "'an' before a consonant sound: %.40s", s);
        if (strncmp(s, "basic codes ", 12) == 0 && code_length(s + 12, strlen(s) - 12) == 3) {
            const char *after = s + 15;
            int list = (after[0] == ',' && after[1] == ' ' && is_digit(after[2])) ||
                       after[0] == '/' || strncmp(after, " or ", 4) == 0 ||
                       strncmp(after, " and ", 5) == 0;
            if (!list)
                return defect(why, "'codes' before one code: %.40s", s);
        }
        if (strncmp(s, "basic code ", 11) == 0 && code_length(s + 11, strlen(s) - 11) == 3 &&
            s[14] == ',' && s[15] == ' ' && is_digit(s[16]))
            return defect(why, "'code' before a list: %.40s", s);
    }
    return 0;
}

/* The checks that read any text of the page. */
static int check_text(const char *text, char *why)
{
    return check_agreement(text, why) || check_when(text, why) ||
           check_doubled_words(text, why) || check_articles_and_number(text, why);
}

/* 0 for a page without defects; otherwise 1 and what is wrong in `why`. */
static int page_defect(const struct page *p, char *why)
{
    /* the rendered page holds the intro, the differences and the usage, one a line */
    if (p->text != NULL) {
        if (check_text(p->text, why))
            return 1;
    } else {
        if (check_text(p->intro, why) || check_text(p->usage, why))
            return 1;
        for (size_t k = 0; k < p->n_differences; k++) {
            if (check_text(p->differences[k], why))
                return 1;
        }
    }
    return check_duplicates(p, why) || check_contradiction(p, why);
}

/* ---- the checker, on bad and good sentences ---- */

static struct page one_sentence_page(const char *a, const char *b, const char *difference)
{
    struct page p = {{a, b}, "", {difference}, 1, "", NULL};
    return p;
}

static void expect_defect(const struct page *p, const char *what)
{
    char why[WHY_SIZE];
    if (!page_defect(p, why))
        fail_msg("no defect found, expected %s", what);
    if (strstr(why, what) == NULL)
        fail_msg("expected '%s', got: %s", what, why);
}

static void expect_clean(const struct page *p)
{
    char why[WHY_SIZE];
    if (page_defect(p, why))
        fail_msg("false positive: %s", why);
}

static void checker_finds_agreement_errors(void **state)
{
    (void)state;
    const char *bad[][2] = {
        {"Both 4.2.2 and 5.2.2 should be retried only after its cause is corrected.",
         "'its' refers to both"},
        {"Both 211 and 214 needs no retry, because the request succeeded or goes on.",
         "singular verb 'needs'"},
        {"Both SMTP 421 (Service Not Available) and 450 (Mailbox Busy) is a 4xx Transient "
         "Negative response.",
         "singular verb 'is'"},
        {"Both 421 and 450 usually comes with 4.7.0.", "singular verb 'comes'"},
        {"Both 421 and 450 may be retried once it is fixed.", "'is' refers to both"},
        {"Neither 550 nor 554 are retried.", "plural verb 'are'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct page p = one_sentence_page("421", "450", bad[i][0]);
        expect_defect(&p, bad[i][1]);
    }
    const char *good[] = {
        "Both 4.2.2 and 5.2.2 should be retried only after their causes are corrected.",
        "Both SMTP 421 (Service Not Available) and 450 (Mailbox Busy) belong to the 4xx "
        "Transient Negative category.",
        "Both SMTP X.7.1 (Delivery Not Authorized) and X.2.2 (Mailbox Full) belong to the "
        "X.X.X enhanced status (class not given) category.",
        "Neither 550 nor 554 should be retried unchanged.",
        "Neither 250 nor 354 needs a retry, because the request succeeded or goes on.",
        "421 should be retried only after its cause is corrected, while 450 needs no retry.",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct page p = one_sentence_page("421", "450", good[i]);
        expect_clean(&p);
    }
}

static void checker_finds_negations_about_both(void **state)
{
    (void)state;
    const char *bad[] = {
        "Both 550 and 554 should not be retried unchanged.",
        "Both 550 and 554 need no retry.",
        "Both 550 and 554 must never be resent.",
        "Both 550 and 554 don't close the connection.",
        "Both 550 and 554 cannot be retried.",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct page p = one_sentence_page("550", "554", bad[i]);
        expect_defect(&p, "say 'Neither ... nor'");
    }
}

static void checker_finds_repeated_sentences(void **state)
{
    (void)state;
    /* the old page of 4.2.2 and 5.2.2, shortened */
    struct page p = {{"4.2.2", "5.2.2"},
                     "SMTP 4.2.2 (Mailbox Full) is a 4.X.X Persistent Transient Failure response, "
                     "while 5.2.2 (Mailbox Full) is a 5.X.X Permanent Failure response.",
                     {"SMTP 4.2.2: The mailbox is full.", "SMTP 5.2.2: The mailbox is full."},
                     2,
                     "For 4.2.2 (Mailbox Full): Retry. For 5.2.2 (Mailbox Full): Wait.",
                     NULL};
    expect_defect(&p, "the key differences says this twice");
    p.differences[1] = "SMTP 5.2.2: The mailbox is over quota.";
    expect_clean(&p);
    p.intro = "4.2.2 indicates that the mailbox is full. In contrast, 5.2.2 means that the "
              "mailbox is full.";
    expect_defect(&p, "the intro says this twice");
    p.intro = "4.2.2 indicates that the mailbox is full. In contrast, 5.2.2 reports the same "
              "condition as a 5.X.X Permanent Failure.";
    expect_clean(&p);
    p.differences[1] = "You encounter 5.2.2 when it is full. It happens. It happens.";
    expect_defect(&p, "the key differences says this twice");
    p.differences[1] = "SMTP 5.2.2: The mailbox is over quota.";
    p.usage = "For 4.2.2 (Mailbox Full): Tell the recipient. Retry later. For 5.2.2 (Mailbox "
              "Full): Tell the recipient. Retry later.";
    expect_defect(&p, "the usage gives the same advice twice");
    p.usage = "For 4.2.2 (Mailbox Full): Retry later. Retry later. For 5.2.2 (Mailbox Full): "
              "Wait.";
    expect_defect(&p, "one code's advice says this twice");
    /* two codes' advice may end alike; one item for both is fine */
    p.usage = "For 4.2.2 (Mailbox Full): Retry. Then send it again. For 5.2.2 (Mailbox Full): "
              "Fix it. Then send it again.";
    expect_clean(&p);
    p.usage = "For 4.2.2 and 5.2.2 (Mailbox Full): Retry. For a quota, ask.";
    expect_clean(&p);
}

static void checker_finds_contradictions(void **state)
{
    (void)state;
    struct page p = {{"4.2.2", "5.2.2"},
                     "SMTP 4.2.2 (Mailbox Full) is a 4.X.X Persistent Transient Failure response, "
                     "while 5.2.2 (Mailbox Full) is a 5.X.X Permanent Failure response.",
                     {"4.2.2 is a 4.X.X Persistent Transient Failure response, while 5.2.2 is a "
                      "5.X.X Permanent Failure response.",
                      "Both 4.2.2 and 5.2.2 may be retried unchanged later."},
                     2,
                     "For 4.2.2 and 5.2.2 (Mailbox Full): Wait.",
                     NULL};
    expect_defect(&p, "5.2.2 is called permanent and also 'may be retried unchanged'");
    p.differences[1] = "4.2.2 may be retried unchanged later, while 5.2.2 should be retried "
                       "only after its cause is corrected.";
    expect_clean(&p);
    /* the same class, said in the intro */
    struct page q = {{"552", "5.2.2"},
                     "Both SMTP 552 (Exceeded Storage) and 5.2.2 (Mailbox Full) belong to the 5xx "
                     "Permanent Negative category.",
                     {"552 should not be retried unchanged, while 5.2.2 may be retried unchanged "
                      "later."},
                     1,
                     "For 552 (Exceeded Storage): Shrink it. For 5.2.2 (Mailbox Full): Wait.",
                     NULL};
    expect_defect(&q, "5.2.2 is called permanent");
    struct page r = {{"421", "450"},
                     "",
                     {"Neither 421 nor 450 should be retried unchanged.",
                      "421 may be retried unchanged later, while 450 should be retried only after "
                      "its cause is corrected."},
                     2,
                     "",
                     NULL};
    expect_defect(&r, "421 is called not to be retried");
}

static void checker_finds_doubled_words_and_when(void **state)
{
    (void)state;
    struct page p = one_sentence_page("421", "450", "421 answers the the greeting.");
    expect_defect(&p, "doubled word: 'the the'");
    p = one_sentence_page("421", "450", "You encounter 421 when When the server is busy.");
    expect_defect(&p, "when-text begins with 'When'");
    p = one_sentence_page("421", "450", "You encounter 421 and 450 when when it is busy.");
    expect_defect(&p, "when-text begins with 'When'");
    p = one_sentence_page("421", "450", "You encounter 421 when the server is busy.");
    expect_clean(&p);
    p.text = "Key Differences\n1. 421 means that that that is so.";
    expect_defect(&p, "doubled word");
    p.text = "Heading\nHeading\nText.";
    expect_clean(&p);
}

static void checker_finds_articles_and_number(void **state)
{
    (void)state;
    struct page p = one_sentence_page("421", "X.7.1",
                                      "421 is a 4xx Transient Negative response, while X.7.1 is "
                                      "a X.X.X enhanced status (class not given) response.");
    expect_defect(&p, "'a' before a vowel sound");
    p.differences[0] = "421 is an 4xx Transient Negative response.";
    expect_defect(&p, "'an' before a consonant sound");
    p.differences[0] = "The registry pairs X.7.1 with the basic codes 550.";
    expect_defect(&p, "'codes' before one code");
    p.differences[0] = "The registry pairs X.7.1 with the basic code 451, 550.";
    expect_defect(&p, "'code' before a list");
    const char *good[] = {
        "421 is a 4xx Transient Negative response, while X.7.1 is an X.X.X enhanced status "
        "(class not given) response.",
        "The registry pairs X.7.1 with the basic code 550.",
        "The registry pairs X.7.1 with the basic code 552 (other 4XX or 5XX codes are allowed).",
        "The registry pairs X.7.1 with the basic codes 451, 550, while the registry pairs 421 "
        "with the basic codes 250 or 251.",
        "The registry pairs X.7.1 with the basic codes 451/550 and a 5.0.0 code.",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        p.differences[0] = good[i];
        expect_clean(&p);
    }
}

/* ---- every English page ---- */

static smtpc_comparison *compare(const char *a, const char *b, const char *lang)
{
    smtpc_comparison *cmp;
    smtpc_error err;
    if (smtpc_compare(&cmp, smtpc_db_builtin(), a, strlen(a), b, strlen(b), lang, strlen(lang),
                      &err) != 0)
        fail_msg("compare %s %s %s: %s", a, b, lang, err.text);
    return cmp;
}

static struct page page_of(const smtpc_comparison *cmp, const char *text)
{
    struct page p;
    memset(&p, 0, sizeof p);
    p.codes[0] = smtpc_comparison_code(cmp, 0);
    p.codes[1] = smtpc_comparison_code(cmp, 1);
    p.intro = smtpc_comparison_part(cmp, SMTPC_PART_INTRO);
    p.usage = smtpc_comparison_part(cmp, SMTPC_PART_USAGE);
    p.n_differences = smtpc_comparison_difference_count(cmp);
    assert_true(p.n_differences <= MAX_DIFFERENCES);
    for (size_t k = 0; k < p.n_differences; k++)
        p.differences[k] = smtpc_comparison_difference(cmp, k);
    p.text = text;
    return p;
}

static const char *difference_of_kind(const smtpc_comparison *cmp, const char *kind)
{
    for (size_t k = 0; k < smtpc_comparison_difference_count(cmp); k++) {
        if (strcmp(smtpc_comparison_difference_kind(cmp, k), kind) == 0)
            return smtpc_comparison_difference(cmp, k);
    }
    fail_msg("no difference of kind %s", kind);
    return NULL;
}

/* One enhanced code in two classes: the retry of each class, each text said once. */
static void one_code_in_two_classes(void **state)
{
    (void)state;
    smtpc_comparison *cmp = compare("5.2.2", "4.2.2", "en");
    assert_string_equal(difference_of_kind(cmp, "retry"),
                        "4.2.2 may be retried unchanged later, while 5.2.2 should be retried "
                        "only after its cause is corrected.");
    const char *intro = smtpc_comparison_part(cmp, SMTPC_PART_INTRO);
    assert_non_null(strstr(intro, " In contrast, 5.2.2 reports the same condition as a 5.X.X "
                                  "Permanent Failure."));
    assert_non_null(strstr(smtpc_comparison_part(cmp, SMTPC_PART_USAGE),
                           "For 4.2.2 and 5.2.2 (Mailbox Full): "));
    char why[WHY_SIZE];
    struct page p = page_of(cmp, NULL);
    if (page_defect(&p, why))
        fail_msg("4.2.2 vs 5.2.2: %s", why);
    /* the body is English in every language whose catalog translates no more than the
     * labels; a complete language has the same structure in its own words */
    const smtpc_db *db = smtpc_db_builtin();
    for (size_t l = 0; l < smtpc_language_count(db); l++) {
        const char *tag = smtpc_language_tag(db, l);
        smtpc_comparison *other = compare("4.2.2", "5.2.2", tag);
        size_t translated, total;
        assert_int_equal(
            smtpc_language_completeness(&translated, &total, db, tag, strlen(tag), NULL), 0);
        if (translated > SMTPC_LABEL_COUNT && strcmp(tag, "en") != 0) {
            assert_int_equal(translated, total);
            assert_string_not_equal(smtpc_comparison_part(other, SMTPC_PART_INTRO), intro);
            assert_non_null(strstr(smtpc_comparison_part(other, SMTPC_PART_INTRO), "5.2.2"));
        } else {
            assert_string_equal(smtpc_comparison_part(other, SMTPC_PART_INTRO), intro);
        }
        assert_int_equal(smtpc_comparison_difference_count(other),
                         smtpc_comparison_difference_count(cmp));
        for (size_t k = 0; k < smtpc_comparison_difference_count(cmp); k++)
            assert_string_equal(smtpc_comparison_difference_kind(other, k),
                                smtpc_comparison_difference_kind(cmp, k));
        smtpc_comparison_free(other);
    }
    smtpc_comparison_free(cmp);

    /* a shared retry advice reads as a statement about two codes */
    cmp = compare("500", "501", "en");
    assert_string_equal(difference_of_kind(cmp, "retry"),
                        "Both 500 and 501 should be retried only after their causes are "
                        "corrected.");
    smtpc_comparison_free(cmp);
    cmp = compare("211", "214", "en");
    assert_string_equal(difference_of_kind(cmp, "retry"),
                        "Neither 211 nor 214 needs a retry, because the request succeeded or "
                        "goes on.");
    smtpc_comparison_free(cmp);
}

/* The codes as pages write them: basic codes, and each enhanced code without a class and in
 * each class it is meant for ("X.2.2", "4.2.2", "5.2.2"). */
static size_t written_codes(const smtpc_db *db, char (*codes)[SMTPC_CODE_TEXT_SIZE], size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < smtpc_db_count(db); i++) {
        const smtpc_entry *e = smtpc_db_entry(db, i);
        assert_true(n < max);
        snprintf(codes[n++], SMTPC_CODE_TEXT_SIZE, "%s", e->code);
        if (e->parsed.kind != SMTPC_KIND_ENHANCED)
            continue;
        for (const char *c = e->classes; *c != '\0'; c++) {
            if (!is_digit(*c))
                continue;
            assert_true(n < max);
            snprintf(codes[n++], SMTPC_CODE_TEXT_SIZE, "%c%s", *c, e->code + 1);
        }
    }
    return n;
}

static void every_english_page(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    static char codes[1024][SMTPC_CODE_TEXT_SIZE];
    size_t n = written_codes(db, codes, 1024);
    /* SMTPC_TEST_QUICK=1 (valgrind): every 7th pair. */
    const char *quick = getenv("SMTPC_TEST_QUICK");
    size_t every = quick != NULL && quick[0] != '\0' && strcmp(quick, "0") != 0 ? 7 : 1;
    size_t pair = 0;
    unsigned long pages = 0;
    unsigned long same = 0;
    unsigned long defects = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++, pair++) {
            if (pair % every != 0)
                continue;
            smtpc_comparison *cmp;
            int rc = smtpc_compare(&cmp, db, codes[i], strlen(codes[i]), codes[j],
                                   strlen(codes[j]), "en", 2, NULL);
            if (rc == SMTPC_EINVAL) {
                /* "X.7.1" and "5.7.1": one code, refused */
                same++;
                continue;
            }
            if (rc != 0)
                fail_msg("compare %s %s: %d", codes[i], codes[j], rc);
            char *text;
            if (smtpc_render_comparison(&text, NULL, cmp, SMTPC_FORMAT_TEXT, NULL) != 0)
                fail_msg("render %s %s", codes[i], codes[j]);
            struct page p = page_of(cmp, text);
            char why[WHY_SIZE];
            if (page_defect(&p, why)) {
                if (defects < 10)
                    print_error("%s vs %s: %s\n", p.codes[0], p.codes[1], why);
                defects++;
            }
            smtpc_free(text);
            smtpc_comparison_free(cmp);
            pages++;
        }
    }
    print_message("English pages: %zu codes as written, %lu pages read%s, %lu pairs of one code "
                  "refused, %lu with defects\n",
                  n, pages, every > 1 ? " (every 7th pair: SMTPC_TEST_QUICK)" : "", same, defects);
    assert_true(pages > 0);
    if (defects > 0)
        fail_msg("%lu English pages with defects", defects);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checker_finds_agreement_errors),
        cmocka_unit_test(checker_finds_negations_about_both),
        cmocka_unit_test(checker_finds_repeated_sentences),
        cmocka_unit_test(checker_finds_contradictions),
        cmocka_unit_test(checker_finds_doubled_words_and_when),
        cmocka_unit_test(checker_finds_articles_and_number),
        cmocka_unit_test(one_code_in_two_classes),
        cmocka_unit_test(every_english_page),
    };
    return cmocka_run_group_tests_name("english", tests, NULL, NULL);
}
