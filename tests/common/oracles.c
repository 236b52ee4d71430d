/*
 * oracles.c - the checkers that the C suites and the fuzz harnesses hold the core's output
 * against. They are written apart from core/src/text.c on purpose: an oracle that shared the
 * code under test would share its bugs.
 */
#include "oracles.h"

#include <string.h>

/* ---- UTF-8 (RFC 3629 section 4) ---- */

static size_t utf8_sequence(const unsigned char *s, size_t len)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned cp;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

int utf8_is_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_sequence(u + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* ---- JSON (RFC 8259) ---- */

struct json {
    const unsigned char *s;
    size_t len;
    size_t at;
    int depth;
};

static int json_peek(const struct json *j)
{
    return j->at < j->len ? j->s[j->at] : -1;
}

static void json_ws(struct json *j)
{
    while (j->at < j->len &&
           (j->s[j->at] == ' ' || j->s[j->at] == '\t' || j->s[j->at] == '\n' ||
            j->s[j->at] == '\r'))
        j->at++;
}

static int json_hex4(struct json *j, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int c = json_peek(j);
        if (c >= '0' && c <= '9')
            v = v * 16 + (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = v * 16 + (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v = v * 16 + (unsigned)(c - 'A' + 10);
        else
            return 0;
        j->at++;
    }
    *out = v;
    return 1;
}

static int json_string(struct json *j)
{
    if (json_peek(j) != '"')
        return 0;
    j->at++;
    while (j->at < j->len) {
        unsigned char c = j->s[j->at];
        if (c == '"') {
            j->at++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            j->at++;
            int e = json_peek(j);
            j->at++;
            if (e == 'u') {
                unsigned u;
                if (!json_hex4(j, &u))
                    return 0;
                if (u >= 0xDC00 && u <= 0xDFFF)
                    return 0; /* a low surrogate alone */
                if (u >= 0xD800 && u <= 0xDBFF) {
                    unsigned low;
                    if (json_peek(j) != '\\')
                        return 0;
                    j->at++;
                    if (json_peek(j) != 'u')
                        return 0;
                    j->at++;
                    if (!json_hex4(j, &low) || low < 0xDC00 || low > 0xDFFF)
                        return 0;
                }
            } else if (e < 0 || strchr("\"\\/bfnrt", e) == NULL) {
                return 0;
            }
            continue;
        }
        size_t n = utf8_sequence(j->s + j->at, j->len - j->at);
        if (n == 0)
            return 0;
        j->at += n;
    }
    return 0;
}

static int json_digits(struct json *j)
{
    size_t start = j->at;
    while (j->at < j->len && j->s[j->at] >= '0' && j->s[j->at] <= '9')
        j->at++;
    return j->at > start;
}

static int json_number(struct json *j)
{
    if (json_peek(j) == '-')
        j->at++;
    if (json_peek(j) == '0') {
        j->at++;
    } else if (!json_digits(j)) {
        return 0;
    }
    if (json_peek(j) == '.') {
        j->at++;
        if (!json_digits(j))
            return 0;
    }
    if (json_peek(j) == 'e' || json_peek(j) == 'E') {
        j->at++;
        if (json_peek(j) == '+' || json_peek(j) == '-')
            j->at++;
        if (!json_digits(j))
            return 0;
    }
    return 1;
}

static int json_literal(struct json *j, const char *word)
{
    size_t n = strlen(word);
    if (j->len - j->at < n || memcmp(j->s + j->at, word, n) != 0)
        return 0;
    j->at += n;
    return 1;
}

static int json_value(struct json *j);

static int json_members(struct json *j, int close, int keyed)
{
    j->at++;
    json_ws(j);
    if (json_peek(j) == close) {
        j->at++;
        return 1;
    }
    for (;;) {
        json_ws(j);
        if (keyed) {
            if (!json_string(j))
                return 0;
            json_ws(j);
            if (json_peek(j) != ':')
                return 0;
            j->at++;
        }
        if (!json_value(j))
            return 0;
        json_ws(j);
        int c = json_peek(j);
        j->at++;
        if (c == close)
            return 1;
        if (c != ',')
            return 0;
    }
}

static int json_value(struct json *j)
{
    json_ws(j);
    if (j->at >= j->len || ++j->depth > 128)
        return 0;
    int ok;
    switch (j->s[j->at]) {
    case '{': ok = json_members(j, '}', 1); break;
    case '[': ok = json_members(j, ']', 0); break;
    case '"': ok = json_string(j); break;
    case 't': ok = json_literal(j, "true"); break;
    case 'f': ok = json_literal(j, "false"); break;
    case 'n': ok = json_literal(j, "null"); break;
    default: ok = json_number(j); break;
    }
    j->depth--;
    return ok;
}

int json_is_valid(const char *s, size_t len)
{
    struct json j = {(const unsigned char *)s, len, 0, 0};
    if (!json_value(&j))
        return 0;
    json_ws(&j);
    return j.at == len;
}
