/*
 * fields.c - the text helpers the log readers share: phrases, replies, enhanced codes and
 * "key=value" fields, all over (pointer, length) spans.
 */
#include "logs_internal.h"

#include "../internal.h"

#include <string.h>

size_t smtpc_log_find(const char *s, size_t len, const char *phrase)
{
    return smtpc_find_phrase(s, len, phrase, strlen(phrase));
}

size_t smtpc_log_find_last(const char *s, size_t len, const char *phrase)
{
    size_t n = strlen(phrase);
    for (size_t at = len >= n ? len - n + 1 : 0; at-- > 0;) {
        if (memcmp(s + at, phrase, n) == 0)
            return at;
    }
    return len;
}

/* The bytes of a set, as a table: a run is read for every field of every line, and a table
 * costs one load a byte where strchr() reads the set. The sets are the readers' string
 * constants, a handful, so each thread keeps the tables of the last few it was given. */
enum { RUN_CLASSES = 8 };
struct run_class {
    const char *set;
    unsigned char member[256];
};

static const unsigned char *class_of(const char *set)
{
    static _Thread_local struct run_class classes[RUN_CLASSES];
    static _Thread_local unsigned next;
    for (unsigned i = 0; i < RUN_CLASSES; i++) {
        if (classes[i].set == set)
            return classes[i].member;
    }
    struct run_class *c = &classes[next++ % RUN_CLASSES];
    c->set = set;
    memset(c->member, 0, sizeof c->member);
    for (const char *p = set; *p != '\0'; p++)
        c->member[(unsigned char)*p] = 1;
    return c->member;
}

size_t smtpc_log_run(const char *s, size_t len, const char *set)
{
    const unsigned char *member = class_of(set);
    size_t n = 0;
    while (n < len && member[(unsigned char)s[n]])
        n++;
    return n;
}

int smtpc_log_is_reply(const char *s, size_t len)
{
    if (len < 3 || s[0] < '2' || s[0] > '5' || !smtpc_is_digit(s[1]) || !smtpc_is_digit(s[2]))
        return 0;
    return len == 3 || s[3] == ' ' || s[3] == '-';
}

size_t smtpc_log_enhanced_len(const char *s, size_t len)
{
    if (len < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
        return 0;
    size_t at = 2;
    for (int part = 0; part < 2; part++) {
        size_t n = 0;
        while (at + n < len && n < 4 && smtpc_is_digit(s[at + n]))
            n++;
        if (n == 0 || n > 3)
            return 0;
        at += n;
        if (part == 0) {
            if (at >= len || s[at] != '.')
                return 0;
            at++;
        }
    }
    return at == len || s[at] == ' ' ? at : 0;
}

struct smtpc_log_span smtpc_log_trim(struct smtpc_log_span s)
{
    while (s.len > 0 && s.p[0] == ' ') {
        s.p++;
        s.len--;
    }
    while (s.len > 0 && s.p[s.len - 1] == ' ')
        s.len--;
    return s;
}

struct smtpc_log_span smtpc_log_unbracket(struct smtpc_log_span s)
{
    if (s.len >= 2 && s.p[0] == '<' && s.p[s.len - 1] == '>')
        return smtpc_log_span_of(s.p + 1, s.len - 2);
    return s;
}

/* Whether a "key=" starts at `s`: letters, digits, "_" or "-", then "=". */
static int is_key_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

static int starts_key(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && is_key_byte(s[n]))
        n++;
    return n > 0 && n < len && s[n] == '=';
}

/* The length of the value at `s`, as smtpc_log_field() describes it, and where its text is. */
static size_t value_len(struct smtpc_log_span *out, const char *s, size_t len,
                        enum smtpc_log_value_end end)
{
    if (len > 0 && (s[0] == '<' || s[0] == '"')) {
        char close = s[0] == '<' ? '>' : '"';
        size_t at = 1;
        while (at < len && s[at] != close)
            at += close == '"' && s[at] == '\\' && at + 1 < len ? 2 : 1;
        /* a line cut inside the value: the value is what there is */
        size_t stop = at < len ? at : len;
        *out = smtpc_log_span_of(s + 1, stop - 1);
        return at < len ? at + 1 : len;
    }
    size_t at = 0;
    while (at < len) {
        if (end == SMTPC_LOG_END_SPACE && s[at] == ' ')
            break;
        if (end == SMTPC_LOG_END_COMMA && s[at] == ',' && at + 1 < len && s[at + 1] == ' ' &&
            starts_key(s + at + 2, len - at - 2))
            break;
        at++;
    }
    *out = smtpc_log_span_of(s, at);
    return at;
}

int smtpc_log_field(struct smtpc_log_span *out, const char *s, size_t len, const char *key,
                    enum smtpc_log_value_end end)
{
    size_t n = strlen(key);
    for (size_t at = 0; at + n < len;) {
        size_t hit = smtpc_find_phrase(s + at, len - at, key, n);
        if (hit >= len - at)
            return 0;
        size_t start = at + hit;
        int bounded = start == 0 || s[start - 1] == ' ' || s[start - 1] == ',';
        if (bounded && start + n < len && s[start + n] == '=') {
            value_len(out, s + start + n + 1, len - start - n - 1, end);
            return 1;
        }
        at = start + 1;
    }
    return 0;
}

void smtpc_log_set_reply_or_detail(struct smtpc_log_event *event, struct smtpc_log_span text)
{
    text = smtpc_log_trim(text);
    size_t enhanced = smtpc_log_enhanced_len(text.p, text.len);
    if (smtpc_log_is_reply(text.p, text.len)) {
        event->reply = text;
    } else if (enhanced > 0) {
        event->status = smtpc_log_span_of(text.p, enhanced);
        event->detail = smtpc_log_trim(smtpc_log_span_of(text.p + enhanced, text.len - enhanced));
    } else {
        event->detail = text;
    }
}
