/*
 * fuzz_build.c - the reply builder, round trip: what smtpc_reply_build() accepts must parse
 * back (strictly, RFC 5321 line lengths) to the same code, the same enhanced code on every
 * line and the same text once the lines' texts are joined; what it refuses must break a rule
 * of its contract.
 *
 * Input: bytes 0-1 the reply code (high bit of byte 0 set: any 16-bit number, to test the
 * range check; else 200 + n % 400), byte 2 the length of the enhanced code, then the enhanced
 * code, then the text (empty: the database's wording).
 */
#include "fuzz_common.h"

#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* An enhanced code in its plain wire form (RFC 3463 section 2): class 2, 4 or 5, digits and
 * dots only, nothing around it. */
static int plain_enhanced(const char *s, size_t len, smtpc_code *c)
{
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]) && s[i] != '.')
            return 0;
    }
    return smtpc_code_parse(c, s, len, NULL) == 0 && c->kind == SMTPC_KIND_ENHANCED &&
           c->klass != 0;
}

/* What the parser takes for an enhanced code at the start of a line's text (RFC 3463
 * section 2, RFC 2034 section 4): a first word of class 2, 4 or 5, a dot, and two dotted
 * numbers of 1 to 3 digits each. Leading zeros count here, unlike in smtpc_code_parse(). */
static int starts_like_enhanced(const char *s, size_t len)
{
    const char *space = memchr(s, ' ', len);
    size_t word = space != NULL ? (size_t)(space - s) : len;
    if (word < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
        return 0;
    int numbers = 1;
    size_t digits = 0;
    for (size_t i = 2; i < word; i++) {
        if (is_digit(s[i]) && digits < 3)
            digits++;
        else if (s[i] == '.' && digits > 0 && numbers == 1)
            numbers = 2, digits = 0;
        else
            return 0;
    }
    return numbers == 2 && digits > 0;
}

static int valid_enhanced(const char *s, size_t len, int code)
{
    smtpc_code c;
    return plain_enhanced(s, len, &c) && c.klass == code / 100;
}

static int valid_text(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c != '\t' && (c < 32 || c > 126))
            return 0;
    }
    return 1;
}

/* The text the builder uses when none is given (smtpc_reply_build's contract). */
static const char *default_text(int code, const char *enhanced, size_t len)
{
    const smtpc_entry *e;
    if (len > 0 && smtpc_lookup_closest(&e, NULL, smtpc_db_builtin(), enhanced, len, NULL) == 0 &&
        strcmp(e->sample, "(deprecated)") != 0)
        return e->sample;
    if (smtpc_lookup_number(&e, smtpc_db_builtin(), code, NULL) == 0)
        return e->name;
    return "";
}

static void check_wire(const char *wire, size_t len, int code, const char *enhanced,
                       size_t enhanced_len, const char *text, size_t text_len)
{
    /* every line ends in CRLF and holds at most 512 octets with it */
    size_t lines = 0;
    for (size_t at = 0; at < len;) {
        const char *lf = memchr(wire + at, '\n', len - at);
        FUZZ_CHECK(lf != NULL, "the wire form does not end in a line end");
        size_t end = (size_t)(lf - wire);
        FUZZ_CHECK(end > at && wire[end - 1] == '\r', "a line without CRLF");
        FUZZ_CHECK(end + 1 - at <= SMTPC_REPLY_RFC_LINE_LIMIT, "a line of %zu octets",
                   end + 1 - at);
        at = end + 1;
        lines++;
    }
    for (int flags = 0; flags < 4; flags++) {
        smtpc_reply *r = NULL;
        size_t used = 0;
        smtpc_error err;
        int rc = smtpc_reply_parse(&r, &used, NULL, wire, len, flags | SMTPC_REPLY_STRICT_LENGTH,
                                   &err);
        FUZZ_CHECK(rc == 0, "a built reply does not parse: %s\n%s", err.text, wire);
        FUZZ_CHECK(used == len, "the parser used %zu of %zu bytes", used, len);
        FUZZ_CHECK(smtpc_reply_code(r) == code, "code %d, built %d", smtpc_reply_code(r), code);
        FUZZ_CHECK(strlen(smtpc_reply_enhanced(r)) == enhanced_len &&
                       memcmp(smtpc_reply_enhanced(r), enhanced, enhanced_len) == 0,
                   "enhanced '%s', built '%.*s'", smtpc_reply_enhanced(r), (int)enhanced_len,
                   enhanced);
        FUZZ_CHECK(smtpc_reply_line_count(r) == lines, "%zu lines parsed, %zu built",
                   smtpc_reply_line_count(r), lines);
        size_t at = 0;
        for (size_t i = 0; i < lines; i++) {
            size_t n;
            const char *line = smtpc_reply_line(r, i, &n);
            FUZZ_CHECK(at + n <= text_len && memcmp(text + at, line, n) == 0,
                       "line %zu is not the next part of the text\n%s", i, wire);
            at += n;
        }
        FUZZ_CHECK(at == text_len, "the lines hold %zu of %zu bytes of text\n%s", at, text_len,
                   wire);
        int w = smtpc_reply_warnings(r) & ~SMTPC_WARN_NONCONFORMING;
        FUZZ_CHECK(w == 0, "a built reply has warnings %d", w);
        smtpc_reply_free(r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    int raw = data[0] << 8 | data[1];
    int code = data[0] & 0x80 ? (int)(int16_t)raw : 200 + raw % 400;
    size_t enhanced_len = data[2];
    const char *rest = (const char *)data + 3;
    size_t rest_len = size - 3;
    if (enhanced_len > rest_len)
        enhanced_len = rest_len;
    const char *enhanced = rest;
    const char *text = rest + enhanced_len;
    size_t text_len = rest_len - enhanced_len;

    int ok = code >= 200 && code <= 599;
    if (ok && enhanced_len > 0)
        ok = valid_enhanced(enhanced, enhanced_len, code);
    const char *effective = text;
    size_t effective_len = text_len;
    if (ok && text_len == 0) {
        effective = default_text(code, enhanced, enhanced_len);
        effective_len = strlen(effective);
    }
    ok = ok && valid_text(effective, effective_len) &&
         (enhanced_len > 0 || !starts_like_enhanced(effective, effective_len));

    char *wire = (char *)1;
    size_t wire_len = 0;
    smtpc_error err;
    fuzz_poison_error(&err);
    int rc = smtpc_reply_build(&wire, &wire_len, NULL, code, enhanced, enhanced_len,
                               text_len > 0 ? text : NULL, text_len, &err);
    FUZZ_CHECK((rc == 0) == ok, "build gave %d (%s), expected %s", rc,
               rc != 0 ? err.text : "", ok ? "success" : "failure");
    if (rc != 0) {
        FUZZ_CHECK(wire == NULL, "a failed build left output");
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(rc == SMTPC_EINVAL, "build: %d", rc);
        return 0;
    }
    FUZZ_CHECK(wire != NULL && strlen(wire) == wire_len, "built length");
    check_wire(wire, wire_len, code, enhanced, enhanced_len, effective, effective_len);
    smtpc_free(wire);
    return 0;
}
