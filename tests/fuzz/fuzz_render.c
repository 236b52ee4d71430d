/*
 * fuzz_render.c - lookup, compare and render with arbitrary code strings and language tags.
 *
 * Input: byte 0 chooses options, then three fields separated by LF: code A, code B and a
 * language tag (the last field may hold LF too). Every call's result is checked against the
 * contracts in smtpcodes.h and against the other calls: a code that parses formats back to
 * itself, a lookup agrees with the closest-match lookup, a comparison succeeds exactly when
 * both codes and the language are known and differ, A vs B renders as B vs A, and every page
 * in every format is valid UTF-8 (and valid JSON when it is JSON).
 */
#include "fuzz_common.h"

#include <string.h>

#define DB smtpc_db_builtin()

struct field {
    const char *s;
    size_t len;
};

static void render_all_entry_formats(const smtpc_entry *e, const char *lang, size_t lang_len,
                                     int lang_ok)
{
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON + 1; format++) {
        char *out = (char *)1;
        size_t len = 0;
        smtpc_error err;
        fuzz_poison_error(&err);
        /* the entry's first code: a provider's range ("5.7.606-649") is no code itself */
        char code[SMTPC_CODE_TEXT_SIZE];
        FUZZ_CHECK(smtpc_code_format(code, &e->parsed) == 0, "entry %s", e->code);
        int rc = smtpc_render_code(&out, &len, DB, code, strlen(code), lang, lang_len, format,
                                   &err);
        fuzz_check_rendered(rc, out, len, format, &err);
        if (format > SMTPC_FORMAT_JSON)
            FUZZ_CHECK(rc == SMTPC_EFORMAT || (!lang_ok && rc == SMTPC_ELANG),
                       "format %d gave %d", format, rc);
        else
            FUZZ_CHECK(lang_ok ? rc == 0 : rc == SMTPC_ELANG, "render_entry %s: %d", code, rc);
        smtpc_free(out);
    }
}

/* Parses, formats, looks up; returns the entry or NULL. */
static const smtpc_entry *check_code(struct field f, smtpc_code *parsed, int *parses)
{
    smtpc_error err;
    fuzz_poison_error(&err);
    smtpc_code code = {0, 0, 0, 0, 0};
    int rc = smtpc_code_parse(&code, f.s, f.len, &err);
    *parses = rc == 0;
    if (rc != 0) {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(rc == SMTPC_ESYNTAX, "code_parse: %d", rc);
    } else {
        FUZZ_CHECK(code.kind == SMTPC_KIND_BASIC || code.kind == SMTPC_KIND_ENHANCED, "kind");
        char text[SMTPC_CODE_TEXT_SIZE];
        FUZZ_CHECK(smtpc_code_format(text, &code) == 0, "a parsed code does not format");
        smtpc_code again;
        FUZZ_CHECK(smtpc_code_parse(&again, text, strlen(text), NULL) == 0 &&
                       again.kind == code.kind && again.klass == code.klass &&
                       again.category == code.category && again.detail == code.detail &&
                       again.conforming == code.conforming,
                   "'%s' does not parse back to the same code", text);
        *parsed = code;
    }
    const smtpc_entry *e = (const smtpc_entry *)1;
    fuzz_poison_error(&err);
    int lrc = smtpc_lookup(&e, DB, f.s, f.len, &err);
    const smtpc_entry *c = (const smtpc_entry *)1;
    int exact = -1;
    int crc = smtpc_lookup_closest(&c, &exact, DB, f.s, f.len, NULL);
    if (rc != 0) {
        FUZZ_CHECK(lrc == SMTPC_ESYNTAX && crc == SMTPC_ESYNTAX, "lookup of a non-code: %d %d",
                   lrc, crc);
    }
    if (lrc != 0) {
        fuzz_check_error(lrc, &err);
        FUZZ_CHECK(e == NULL, "failed lookup left an entry");
        FUZZ_CHECK(lrc == SMTPC_ESYNTAX || lrc == SMTPC_ENOTFOUND, "lookup: %d", lrc);
        if (crc == 0)
            FUZZ_CHECK(exact == 0 && code.kind == SMTPC_KIND_ENHANCED,
                       "closest lookup found what lookup did not");
        return NULL;
    }
    FUZZ_CHECK(e != NULL && crc == 0 && c == e && exact == 1, "lookup and closest disagree");
    smtpc_code key = code;
    /* a standard enhanced entry is the class-less X.S.D; a provider's keeps the class and may
     * cover a range of details */
    key.klass = e->parsed.kind == SMTPC_KIND_ENHANCED && e->provider[0] == '\0' ? 0 : key.klass;
    FUZZ_CHECK(e->parsed.kind == key.kind && e->parsed.category == key.category &&
                   e->parsed.detail <= key.detail && key.detail <= e->detail_last &&
                   e->parsed.klass == key.klass,
               "lookup found %s", e->code);
    const char *strings[] = {e->code, e->name, e->slug, e->classes, e->description, e->when,
                             e->fix, e->references, e->commands, e->enhanced, e->sample,
                             e->associated, e->see, e->note};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        FUZZ_CHECK(strings[i] != NULL && utf8_is_valid(strings[i], strlen(strings[i])),
                   "entry %s: string %zu", e->code, i);
    return e;
}

static void check_language(struct field lang, int *ok)
{
    const char *tag = (const char *)1;
    smtpc_error err;
    fuzz_poison_error(&err);
    int rc = smtpc_language_resolve(&tag, DB, lang.s, lang.len, &err);
    *ok = rc == 0;
    if (rc != 0) {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(rc == SMTPC_ELANG && tag == NULL, "resolve: %d", rc);
    } else {
        int listed = 0;
        for (size_t i = 0; i < smtpc_language_count(DB); i++)
            listed |= smtpc_language_tag(DB, i) == tag;
        FUZZ_CHECK(listed, "resolved to '%s', not a listed tag", tag);
        const char *again;
        FUZZ_CHECK(smtpc_language_resolve(&again, DB, tag, strlen(tag), NULL) == 0 &&
                       again == tag,
                   "'%s' does not resolve to itself", tag);
    }
    for (int which = -1; which <= SMTPC_LABEL_COUNT; which++) {
        const char *label = (const char *)1;
        fuzz_poison_error(&err);
        int lrc = smtpc_label(&label, DB, lang.s, lang.len, which, &err);
        int valid = which >= 0 && which < SMTPC_LABEL_COUNT;
        if (lrc == 0) {
            FUZZ_CHECK(valid && *ok, "label %d accepted", which);
            FUZZ_CHECK(label != NULL && label[0] != '\0' && utf8_is_valid(label, strlen(label)),
                       "label %d", which);
        } else {
            fuzz_check_error(lrc, &err);
            FUZZ_CHECK(!valid || !*ok, "label %d refused: %d", which, lrc);
            FUZZ_CHECK(lrc == SMTPC_ELANG || lrc == SMTPC_EINVAL, "label: %d", lrc);
        }
    }
}

static char *render(const smtpc_comparison *cmp, int format)
{
    char *out = (char *)1;
    size_t len = 0;
    smtpc_error err;
    fuzz_poison_error(&err);
    int rc = smtpc_render_comparison(&out, &len, cmp, format, &err);
    fuzz_check_rendered(rc, out, len, format, &err);
    if (format < SMTPC_FORMAT_TEXT || format > SMTPC_FORMAT_JSON)
        FUZZ_CHECK(rc == SMTPC_EFORMAT, "format %d gave %d", format, rc);
    else
        FUZZ_CHECK(rc == 0, "render_comparison: %d", rc);
    return out;
}

static void check_comparison(const smtpc_comparison *cmp)
{
    for (int side = 0; side < 2; side++) {
        const smtpc_entry *e = smtpc_comparison_entry(cmp, side);
        const char *code = smtpc_comparison_code(cmp, side);
        FUZZ_CHECK(e != NULL && code != NULL && code[0] != '\0', "side %d", side);
    }
    FUZZ_CHECK(smtpc_comparison_entry(cmp, 2) == NULL && smtpc_comparison_entry(cmp, -1) == NULL,
               "a third side");
    for (int part = SMTPC_PART_TITLE; part <= SMTPC_PART_LANG; part++) {
        const char *p = smtpc_comparison_part(cmp, part);
        FUZZ_CHECK(p != NULL && p[0] != '\0' && utf8_is_valid(p, strlen(p)), "part %d", part);
    }
    FUZZ_CHECK(smtpc_comparison_part(cmp, 4) == NULL && smtpc_comparison_part(cmp, -1) == NULL,
               "part past the end");
    for (int label = 0; label < SMTPC_LABEL_COUNT; label++)
        FUZZ_CHECK(smtpc_comparison_label(cmp, label) != NULL, "label %d", label);
    FUZZ_CHECK(smtpc_comparison_label(cmp, SMTPC_LABEL_COUNT) == NULL, "label past the end");
    size_t n = smtpc_comparison_difference_count(cmp);
    FUZZ_CHECK(n >= 4, "%zu differences", n);
    for (size_t i = 0; i < n; i++) {
        const char *d = smtpc_comparison_difference(cmp, i);
        const char *k = smtpc_comparison_difference_kind(cmp, i);
        FUZZ_CHECK(d != NULL && d[0] != '\0' && utf8_is_valid(d, strlen(d)), "difference");
        FUZZ_CHECK(k != NULL && k[0] != '\0', "difference kind");
    }
    FUZZ_CHECK(smtpc_comparison_difference(cmp, n) == NULL &&
                   smtpc_comparison_difference_kind(cmp, n) == NULL,
               "difference past the end");
    size_t refs = smtpc_comparison_reference_count(cmp);
    for (size_t i = 0; i < refs; i++) {
        const char *r = smtpc_comparison_reference(cmp, i);
        FUZZ_CHECK(r != NULL && r[0] != '\0', "reference %zu", i);
    }
    FUZZ_CHECK(smtpc_comparison_reference(cmp, refs) == NULL, "reference past the end");
}

static int same_code(const smtpc_entry *ea, const smtpc_code *a, const smtpc_entry *eb,
                     const smtpc_code *b)
{
    if (ea != eb)
        return 0;
    return a->klass == b->klass || a->klass == 0 || b->klass == 0;
}

static void check_compare(struct field a, struct field b, struct field lang, int lang_ok,
                          const smtpc_entry *ea, const smtpc_code *ca, const smtpc_entry *eb,
                          const smtpc_code *cb, int all_formats, int swap_format)
{
    smtpc_comparison *ab = (smtpc_comparison *)1;
    smtpc_comparison *ba = (smtpc_comparison *)1;
    smtpc_error err;
    fuzz_poison_error(&err);
    int rc = smtpc_compare(&ab, DB, a.s, a.len, b.s, b.len, lang.s, lang.len, &err);
    int rc2 = smtpc_compare(&ba, DB, b.s, b.len, a.s, a.len, lang.s, lang.len, NULL);
    int expect_ok = ea != NULL && eb != NULL && lang_ok && !same_code(ea, ca, eb, cb);
    FUZZ_CHECK((rc == 0) == expect_ok, "compare gave %d, expected %s", rc,
               expect_ok ? "success" : "failure");
    FUZZ_CHECK((rc2 == 0) == expect_ok, "compare (swapped) gave %d", rc2);
    if (rc != 0) {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(ab == NULL && ba == NULL, "a failed comparison left a result");
        FUZZ_CHECK(rc == SMTPC_ESYNTAX || rc == SMTPC_ENOTFOUND || rc == SMTPC_ELANG ||
                       rc == SMTPC_EINVAL,
                   "compare: %d", rc);
        return;
    }
    check_comparison(ab);
    for (int format = all_formats ? -1 : SMTPC_FORMAT_JSON;
         format <= (all_formats ? SMTPC_FORMAT_JSON + 1 : SMTPC_FORMAT_JSON); format++) {
        char *x = render(ab, format);
        if (format == swap_format) {
            char *y = render(ba, format);
            FUZZ_CHECK((x == NULL) == (y == NULL) && (x == NULL || strcmp(x, y) == 0),
                       "A vs B and B vs A render differently (format %d)", format);
            smtpc_free(y);
        }
        smtpc_free(x);
    }
    smtpc_comparison_free(ab);
    smtpc_comparison_free(ba);
}

static void check_reference_url(struct field f, size_t size)
{
    char big[1024];
    char small[64];
    if (size > sizeof small)
        size = sizeof small;
    size_t need = smtpc_reference_url(big, sizeof big, f.s, f.len);
    size_t got = smtpc_reference_url(small, size, f.s, f.len);
    FUZZ_CHECK(need == got, "reference_url: %zu then %zu", need, got);
    if (need > 0 && need < sizeof big) {
        FUZZ_CHECK(strlen(big) == need, "reference_url length");
        FUZZ_CHECK(utf8_is_valid(big, need), "reference_url is not UTF-8");
        if (size > 0) {
            size_t kept = need < size ? need : size - 1;
            FUZZ_CHECK(strlen(small) == kept && memcmp(small, big, kept) == 0,
                       "reference_url truncation");
        }
    }
}

static void check_misc(const uint8_t *data, size_t size, uint8_t opts)
{
    uint32_t bits = 0;
    for (size_t i = 0; i < size && i < 4; i++)
        bits = bits << 8 | data[i];
    int number = (int)(bits & 0x7FFFFFFF) - (opts & 0x80 ? 0x40000000 : 0);
    const smtpc_entry *e = (const smtpc_entry *)1;
    smtpc_error err;
    fuzz_poison_error(&err);
    int rc = smtpc_lookup_number(&e, DB, number % 1000, &err);
    if (rc == 0)
        FUZZ_CHECK(e != NULL && e->parsed.kind == SMTPC_KIND_BASIC, "lookup_number");
    else {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(e == NULL, "lookup_number left an entry");
    }
    rc = smtpc_lookup_number(&e, DB, number, NULL);
    FUZZ_CHECK(rc != 0 || (number >= 200 && number <= 599), "lookup_number(%d)", number);
    const smtpc_group *g = (const smtpc_group *)1;
    fuzz_poison_error(&err);
    rc = smtpc_group_lookup(&g, DB, opts & 3, number % 10, &err);
    if (rc == 0)
        FUZZ_CHECK(g != NULL && g->name != NULL && g->description != NULL && g->alt_name != NULL,
                   "group");
    else
        fuzz_check_error(rc, &err);
    FUZZ_CHECK(smtpc_strerror(number) != NULL && smtpc_enum_name(SMTPC_ENUM_WARNING, number) != NULL &&
                   smtpc_enum_name(SMTPC_ENUM_ACTION, number) != NULL,
               "names");
    /* A whole table costs as much as many pages: one input in eight renders one. */
    if ((opts & 0x40) && fuzz_hash(data, size) % 8 == 0) {
        int klass = (number & 7) - 1;
        int kind = (number >> 3 & 3) - (opts & 0x20 ? 1 : 0);
        int format = (number >> 5 & 3);
        char *out = (char *)1;
        size_t len = 0;
        fuzz_poison_error(&err);
        rc = smtpc_render_table(&out, &len, DB, klass, kind, format, &err);
        fuzz_check_rendered(rc, out, len, format, &err);
        int valid = (klass == 0 || (klass >= 2 && klass <= 5)) && kind >= 0 && kind <= 2;
        FUZZ_CHECK((rc == 0) == valid, "render_table(%d, %d): %d", klass, kind, rc);
        smtpc_free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint8_t opts = data[0];
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    struct field fields[3] = {{s, 0}, {s, 0}, {s, 0}};
    size_t at = 0;
    for (int i = 0; i < 3; i++) {
        const char *nl = i < 2 ? memchr(s + at, '\n', len - at) : NULL;
        size_t end = nl != NULL ? (size_t)(nl - s) : len;
        fields[i].s = s + at;
        fields[i].len = end - at;
        at = end < len ? end + 1 : len;
    }
    smtpc_code ca = {0, 0, 0, 0, 0};
    smtpc_code cb = {0, 0, 0, 0, 0};
    int parses_a, parses_b, lang_ok;
    const smtpc_entry *ea = check_code(fields[0], &ca, &parses_a);
    const smtpc_entry *eb = check_code(fields[1], &cb, &parses_b);
    check_language(fields[2], &lang_ok);
    if (ea != NULL)
        render_all_entry_formats(ea, fields[2].s, fields[2].len, lang_ok);
    if (eb != NULL && (opts & 1))
        render_all_entry_formats(eb, NULL, 0, 1);
    check_compare(fields[0], fields[1], fields[2], lang_ok, ea, &ca, eb, &cb, 1, opts >> 2 & 3);
    if (opts & 2) {
        /* the same codes with the default language, JSON only */
        struct field none = {NULL, 0};
        check_compare(fields[0], fields[1], none, 1, ea, &ca, eb, &cb, 0, SMTPC_FORMAT_JSON);
    }
    int format;
    smtpc_error err;
    fuzz_poison_error(&err);
    int rc = smtpc_format_parse(&format, fields[2].s, fields[2].len, &err);
    if (rc == 0)
        FUZZ_CHECK(format >= SMTPC_FORMAT_TEXT && format <= SMTPC_FORMAT_JSON, "format %d",
                   format);
    else {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(rc == SMTPC_EFORMAT, "format_parse: %d", rc);
    }
    check_reference_url(fields[0], (size_t)(opts >> 2 & 15) * 4);
    check_reference_url(fields[2], (size_t)(opts >> 4));
    check_misc(data + 1, len, opts);
    return 0;
}
