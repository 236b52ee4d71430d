/*
 * fuzz_reply.c - the reply parser, whole and streamed.
 *
 * Input: byte 0 seeds the chunking, the rest is what a server sent.
 *  1. The whole buffer is parsed with each of the 8 flag combinations, replies one after another
 *     as a pipelining client reads them, and every result is checked against the contract of
 *     smtpc_reply_parse() and the accessors; each reply is classified and rendered.
 *  2. Streamed: the same bytes arrive in random chunks; after each chunk the client parses the
 *     prefix it has. The replies it gets, and the error or the need for more input it ends
 *     with, must equal those of the whole-buffer run; each "need N more bytes" must be a true
 *     lower bound.
 */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_REPLIES = 16, DEEP_CHECKS = 2 };

static int deep_budget;

/* What one call of smtpc_reply_parse() gave, kept for comparison. */
struct outcome {
    int rc;
    size_t consumed;
    int code;
    char enhanced[SMTPC_CODE_TEXT_SIZE];
    char command[16];
    size_t n_lines;
    char *text;
    size_t text_len;
    int warnings;
    const smtpc_entry *entry;
    const smtpc_entry *enhanced_entry;
    unsigned long err_line;
    unsigned long err_column;
    char err_text[SMTPC_ERROR_TEXT_SIZE];
};

static void outcome_free(struct outcome *o)
{
    free(o->text);
    o->text = NULL;
}

static void check_same(const struct outcome *a, const struct outcome *b, const char *what)
{
    FUZZ_CHECK(a->rc == b->rc, "%s: status %d vs %d (%s | %s)", what, a->rc, b->rc,
               a->err_text, b->err_text);
    FUZZ_CHECK(a->consumed == b->consumed, "%s: consumed %zu vs %zu", what, a->consumed,
               b->consumed);
    if (a->rc == 0) {
        FUZZ_CHECK(a->code == b->code, "%s: code", what);
        FUZZ_CHECK(strcmp(a->enhanced, b->enhanced) == 0, "%s: enhanced", what);
        FUZZ_CHECK(strcmp(a->command, b->command) == 0, "%s: command", what);
        FUZZ_CHECK(a->n_lines == b->n_lines, "%s: lines", what);
        FUZZ_CHECK(a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0,
                   "%s: text", what);
        FUZZ_CHECK(a->warnings == b->warnings, "%s: warnings %d vs %d", what, a->warnings,
                   b->warnings);
        FUZZ_CHECK(a->entry == b->entry && a->enhanced_entry == b->enhanced_entry,
                   "%s: entries", what);
    } else if (a->rc == SMTPC_EREPLY) {
        FUZZ_CHECK(a->err_line == b->err_line && a->err_column == b->err_column &&
                       strcmp(a->err_text, b->err_text) == 0,
                   "%s: errors differ: %lu:%lu %s | %lu:%lu %s", what, a->err_line,
                   a->err_column, a->err_text, b->err_line, b->err_column, b->err_text);
    }
}

static int is_enhanced_as_sent(const char *s)
{
    if ((s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
        return 0;
    size_t i = 2;
    for (int part = 0; part < 2; part++) {
        size_t start = i;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start || i - start > 3 || s[i] != (part == 0 ? '.' : '\0'))
            return 0;
        i++;
    }
    return 1;
}

static int action_of_class(int klass)
{
    static const int actions[] = {0, 0, SMTPC_ACTION_DONE, SMTPC_ACTION_CONTINUE,
                                  SMTPC_ACTION_RETRY, SMTPC_ACTION_GIVE_UP};
    return actions[klass];
}

static void check_classify(const smtpc_reply *r, const char *command, size_t len)
{
    smtpc_verdict v;
    smtpc_error err;
    int rc = smtpc_classify(&v, r, command, len, &err);
    /* A command the caller gives must be one: classify refuses what the command reader does. */
    const char *canonical;
    int known = len == 0 || smtpc_command_parse(&canonical, command, len, NULL) == 0;
    FUZZ_CHECK(rc == (known ? 0 : SMTPC_ECOMMAND), "classify returned %d", rc);
    if (rc != 0)
        return;
    FUZZ_CHECK(v.action >= SMTPC_ACTION_DONE && v.action <= SMTPC_ACTION_GIVE_UP, "action %d",
               v.action);
    FUZZ_CHECK(smtpc_enum_name(SMTPC_ENUM_ACTION, v.action)[0] != '\0', "action without a name");
    FUZZ_CHECK(v.rule != NULL && v.rule[0] != '\0' && v.explanation != NULL && v.explanation[0] != '\0',
               "verdict without rule or explanation");
    FUZZ_CHECK(utf8_is_valid(v.explanation, strlen(v.explanation)), "explanation is not UTF-8");
    FUZZ_CHECK((v.flags & ~15) == 0, "verdict flags %d", v.flags);
    if (!(v.flags & SMTPC_VERDICT_OVERRIDDEN))
        FUZZ_CHECK(v.action == action_of_class(smtpc_reply_code(r) / 100),
                   "action %d for %d without an overriding rule (%s)", v.action,
                   smtpc_reply_code(r), v.rule);
    if (smtpc_reply_entry(r) == NULL)
        FUZZ_CHECK(v.flags & SMTPC_VERDICT_UNKNOWN_CODE, "unknown code not flagged");
}

static void check_render(const smtpc_reply *r, const char *command, size_t len)
{
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        char *out = (char *)1;
        size_t out_len = 0;
        smtpc_error err;
        int rc = smtpc_render_reply(&out, &out_len, r, command, len, format, &err);
        fuzz_check_rendered(rc, out, out_len, format, &err);
        FUZZ_CHECK(rc == 0, "render_reply failed");
        if (format == SMTPC_FORMAT_JSON)
            FUZZ_CHECK(memchr(out, '\n', out_len) == out + out_len - 1,
                       "a reply's JSON is not one line");
        smtpc_free(out);
    }
    char *out = (char *)1;
    smtpc_error err;
    int rc = smtpc_render_reply(&out, NULL, r, command, len, 4, &err);
    FUZZ_CHECK(rc == SMTPC_EFORMAT && out == NULL, "format 4 accepted");
}

/* Checks a reply against the contract, then against the bytes it came from. */
static void check_reply(const smtpc_reply *r, const char *s, size_t len, int flags,
                        size_t consumed)
{
    int code = smtpc_reply_code(r);
    FUZZ_CHECK(code >= 200 && code <= 599, "code %d", code);
    FUZZ_CHECK(consumed <= len, "consumed %zu of %zu", consumed, len);
    if (!(flags & SMTPC_REPLY_EMBEDDED)) {
        FUZZ_CHECK(consumed >= 3, "consumed %zu", consumed);
        FUZZ_CHECK(s[0] - '0' == code / 100 && s[1] - '0' == code / 10 % 10 &&
                       s[2] - '0' == code % 10,
                   "code %d is not what the input starts with", code);
    } else {
        /* its line, and with SMTPC_REPLY_COMPLETE the lines that go on with it (a folded
         * field: they start with white space) */
        const char *nl = memchr(s, '\n', len);
        size_t end = nl != NULL ? (size_t)(nl - s) + 1 : len;
        while ((flags & SMTPC_REPLY_COMPLETE) && end < len && (s[end] == ' ' || s[end] == '\t')) {
            nl = memchr(s + end, '\n', len - end);
            end = nl != NULL ? (size_t)(nl - s) + 1 : len;
        }
        FUZZ_CHECK(consumed == end, "embedded reply consumed %zu, not %zu", consumed, end);
    }
    size_t n = smtpc_reply_line_count(r);
    FUZZ_CHECK(n >= 1 && n <= SMTPC_REPLY_MAX_LINES, "%zu lines", n);
    if (!(flags & SMTPC_REPLY_EMBEDDED)) {
        size_t newlines = 0;
        for (size_t i = 0; i < consumed; i++)
            newlines += s[i] == '\n';
        FUZZ_CHECK(newlines == n || (newlines == n - 1 && (flags & SMTPC_REPLY_COMPLETE) &&
                                     consumed == len),
                   "%zu lines from %zu line ends", n, newlines);
    }
    size_t text_len = 0;
    const char *text = smtpc_reply_text(r, &text_len);
    FUZZ_CHECK(text != NULL && text[text_len] == '\0', "text not terminated");
    int any_invalid = 0;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t line_len = (size_t)-1;
        const char *line = smtpc_reply_line(r, i, &line_len);
        FUZZ_CHECK(line != NULL && line[line_len] == '\0', "line %zu", i);
        FUZZ_CHECK(memchr(line, '\0', line_len) == NULL, "NUL inside line %zu", i);
        FUZZ_CHECK(memchr(line, '\n', line_len) == NULL, "LF inside line %zu", i);
        FUZZ_CHECK(line_len < SMTPC_REPLY_HARD_LINE_LIMIT, "line %zu too long", i);
        if (i > 0) {
            FUZZ_CHECK(at < text_len && text[at] == '\n', "text is not the lines joined");
            at++;
        }
        FUZZ_CHECK(at + line_len <= text_len && memcmp(text + at, line, line_len) == 0,
                   "text is not the lines joined");
        at += line_len;
        any_invalid |= !utf8_is_valid(line, line_len);
    }
    FUZZ_CHECK(at == text_len, "text is longer than the lines");
    FUZZ_CHECK(smtpc_reply_line(r, n, NULL) == NULL, "a line past the end");
    int w = smtpc_reply_warnings(r);
    FUZZ_CHECK((w & ~63) == 0, "warnings %d", w);
    for (int bit = 1; bit <= 32; bit <<= 1)
        FUZZ_CHECK(!(w & bit) || smtpc_enum_name(SMTPC_ENUM_WARNING, bit)[0] != '\0', "warning %d unnamed", bit);
    FUZZ_CHECK(!!(w & SMTPC_WARN_INVALID_UTF8) == any_invalid, "invalid-utf8 warning %d, lines %d",
               !!(w & SMTPC_WARN_INVALID_UTF8), any_invalid);
    FUZZ_CHECK(!!(w & SMTPC_WARN_NONCONFORMING) == (code / 10 % 10 > 5), "nonconforming");
    if (flags & SMTPC_REPLY_STRICT_LENGTH)
        FUZZ_CHECK(!(w & SMTPC_WARN_LONG_LINE), "a long line in strict mode");
    const char *enhanced = smtpc_reply_enhanced(r);
    FUZZ_CHECK(enhanced != NULL && strlen(enhanced) < SMTPC_CODE_TEXT_SIZE, "enhanced");
    const smtpc_entry *want;
    if (enhanced[0] != '\0') {
        /* As sent: RFC 3463's syntax, except that leading zeros are kept ("2.0.050"), which
         * smtpc_code_parse() refuses; such a code has no entry. */
        FUZZ_CHECK(is_enhanced_as_sent(enhanced), "enhanced '%s' is not an enhanced code",
                   enhanced);
        FUZZ_CHECK(!!(w & SMTPC_WARN_CLASS_MISMATCH) == (enhanced[0] - '0' != code / 100),
                   "class-mismatch warning");
        const smtpc_db *db = smtpc_db_builtin();
        if (smtpc_lookup_closest(&want, NULL, db, enhanced, strlen(enhanced), NULL) != 0)
            want = NULL;
        FUZZ_CHECK(smtpc_reply_enhanced_entry(r) == want, "enhanced entry");
    } else {
        FUZZ_CHECK(!(w & (SMTPC_WARN_CLASS_MISMATCH | SMTPC_WARN_ENHANCED_VARIES)),
                   "enhanced warnings without an enhanced code");
        FUZZ_CHECK(smtpc_reply_enhanced_entry(r) == NULL, "enhanced entry without a code");
    }
    if (smtpc_lookup_number(&want, smtpc_db_builtin(), code, NULL) != 0)
        want = NULL;
    FUZZ_CHECK(smtpc_reply_entry(r) == want, "entry");
    const char *command = smtpc_reply_command(r);
    FUZZ_CHECK(command != NULL && strlen(command) < 16, "command");
    if (!(flags & SMTPC_REPLY_EMBEDDED))
        FUZZ_CHECK(command[0] == '\0', "a command outside embedded mode");
}

/* Parses one reply at `s`, checks it and records the outcome. */
static void parse_one(struct outcome *o, const smtpc_db *db, const char *s, size_t len,
                      int flags, int deep)
{
    memset(o, 0, sizeof *o);
    smtpc_reply *r = (smtpc_reply *)1;
    size_t consumed = (size_t)-1;
    smtpc_error err;
    fuzz_poison_error(&err);
    o->rc = smtpc_reply_parse(&r, &consumed, db, s, len, flags, &err);
    if (o->rc != 0) {
        FUZZ_CHECK(r == NULL, "a failed parse left a reply");
        fuzz_check_error(o->rc, &err);
        FUZZ_CHECK(o->rc == SMTPC_EREPLY || o->rc == SMTPC_EINCOMPLETE, "status %d", o->rc);
        if (o->rc == SMTPC_EINCOMPLETE) {
            FUZZ_CHECK(!(flags & (SMTPC_REPLY_COMPLETE | SMTPC_REPLY_EMBEDDED)),
                       "incomplete although the input is complete");
            FUZZ_CHECK(consumed >= 1, "incomplete needs %zu more bytes", consumed);
            o->consumed = consumed;
        } else {
            FUZZ_CHECK(consumed == 0, "a failed parse consumed %zu", consumed);
            FUZZ_CHECK(err.line >= 1, "reply error without a line: %s", err.text);
        }
        o->err_line = err.line;
        o->err_column = err.column;
        memcpy(o->err_text, err.text, sizeof o->err_text);
        return;
    }
    FUZZ_CHECK(r != NULL, "no reply");
    check_reply(r, s, len, flags, consumed);
    o->consumed = consumed;
    o->code = smtpc_reply_code(r);
    memcpy(o->enhanced, smtpc_reply_enhanced(r), strlen(smtpc_reply_enhanced(r)) + 1);
    memcpy(o->command, smtpc_reply_command(r), strlen(smtpc_reply_command(r)) + 1);
    o->n_lines = smtpc_reply_line_count(r);
    const char *text = smtpc_reply_text(r, &o->text_len);
    o->text = malloc(o->text_len + 1);
    FUZZ_CHECK(o->text != NULL, "out of memory");
    memcpy(o->text, text, o->text_len + 1);
    o->warnings = smtpc_reply_warnings(r);
    o->entry = smtpc_reply_entry(r);
    o->enhanced_entry = smtpc_reply_enhanced_entry(r);
    if (deep && deep_budget > 0) {
        /* Classifying and rendering cost more than parsing: a few replies per input. */
        deep_budget--;
        static const char *const commands[] = {"", "RCPT", "rcpt", "DATA", "MAIL", "X\xff"};
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            check_classify(r, commands[i], strlen(commands[i]));
        check_classify(r, NULL, 0);
        if (deep_budget % 2)
            check_render(r, "RCPT", 4);
        else
            check_render(r, NULL, 0);
    }
    smtpc_reply_free(r);
}

/* The replies a client reads from `s`, one after another: whole (`rng` NULL) or with the
 * bytes arriving in random chunks. Returns the number of outcomes; the last one is the
 * failure or the need for more input that ended the stream, unless every byte was used. */
static size_t read_stream(struct outcome *outs, const char *s, size_t len, int flags,
                          struct fuzz_rng *rng, int deep)
{
    size_t n = 0;
    size_t at = 0;   /* start of the reply being read */
    size_t have = rng != NULL ? 0 : len;
    while (n < MAX_REPLIES) {
        if (rng != NULL && have < len) {
            size_t step = 1 + fuzz_rng_below(rng, 2 * len / 24 + 1);
            const char *cr = memchr(s + have, '\r', len - have);
            /* Stop right after a CR now and then: the LF may come in the next chunk. */
            if (cr != NULL && fuzz_rng_below(rng, 3) == 0)
                step = (size_t)(cr - (s + have)) + 1;
            have = have + step < len ? have + step : len;
        }
        if (at == have && have == len)
            break;
        struct outcome o;
        parse_one(&o, NULL, s + at, have - at, flags, deep);
        if (o.rc == SMTPC_EINCOMPLETE && have < len) {
            /* The promise: fewer than o.consumed more bytes cannot complete the reply. */
            struct outcome peek;
            size_t more = o.consumed - 1;
            if (more > 0 && have + more <= len) {
                parse_one(&peek, NULL, s + at, have + more - at, flags, 0);
                FUZZ_CHECK(peek.rc != 0, "complete with %zu more bytes, promised %zu", more,
                           o.consumed);
                outcome_free(&peek);
            }
            outcome_free(&o);
            continue;
        }
        outs[n++] = o;
        if (o.rc != 0)
            break;
        at += o.consumed;
    }
    return n;
}

static void check_streamed(const char *s, size_t len, int flags, uint64_t seed)
{
    static struct outcome whole[MAX_REPLIES];
    static struct outcome streamed[MAX_REPLIES];
    struct fuzz_rng rng = {seed};
    size_t n_whole = read_stream(whole, s, len, flags, NULL, 0);
    size_t n_streamed = read_stream(streamed, s, len, flags, &rng, 0);
    FUZZ_CHECK(n_whole == n_streamed, "flags %d: %zu replies whole, %zu streamed", flags,
               n_whole, n_streamed);
    for (size_t i = 0; i < n_whole; i++) {
        check_same(&whole[i], &streamed[i], "whole vs streamed");
        outcome_free(&whole[i]);
        outcome_free(&streamed[i]);
    }
}

/* Every flag combination on the whole buffer, and the complete flag's consistency. */
static void check_whole(const char *s, size_t len)
{
    static struct outcome outs[MAX_REPLIES];
    for (int flags = 0; flags < 8; flags++) {
        deep_budget = flags == 0 || flags == 3 || flags == 4 ? DEEP_CHECKS : 0;
        if (flags & SMTPC_REPLY_EMBEDDED) {
            /* one reply per line, as `smtpcodes parse --embedded` reads a log; with the
             * complete flag a reply takes the folded lines after its own too (check_reply()
             * holds it to exactly those) */
            size_t at = 0;
            for (int k = 0; k < MAX_REPLIES && at < len; k++) {
                struct outcome o;
                parse_one(&o, NULL, s + at, len - at, flags, 1);
                const char *nl = memchr(s + at, '\n', len - at);
                size_t line = nl != NULL ? (size_t)(nl - (s + at)) + 1 : len - at;
                if (o.rc == 0)
                    FUZZ_CHECK(o.consumed == line || ((flags & SMTPC_REPLY_COMPLETE) &&
                                                      o.consumed > line),
                               "embedded consumed %zu of a %zu-byte line", o.consumed, line);
                at += o.rc == 0 ? o.consumed : line;
                outcome_free(&o);
            }
            continue;
        }
        size_t n = read_stream(outs, s, len, flags, NULL, 1);
        for (size_t i = 0; i < n; i++) {
            /* A reply read without the complete flag reads the same with it. */
            if (outs[i].rc == 0 && !(flags & SMTPC_REPLY_COMPLETE)) {
                size_t at = 0;
                for (size_t k = 0; k < i; k++)
                    at += outs[k].consumed;
                struct outcome again;
                parse_one(&again, NULL, s + at, len - at, flags | SMTPC_REPLY_COMPLETE, 0);
                check_same(&outs[i], &again, "without vs with the complete flag");
                outcome_free(&again);
            }
            outcome_free(&outs[i]);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint64_t seed = data[0] | fuzz_hash(data + 1, size - 1) << 8;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    check_whole(s, len);
    check_streamed(s, len, 0, seed);
    check_streamed(s, len, SMTPC_REPLY_STRICT_LENGTH, seed + 1);
    /* A NULL pointer with no bytes is allowed. */
    smtpc_reply *r;
    size_t consumed;
    FUZZ_CHECK(smtpc_reply_parse(&r, &consumed, NULL, NULL, 0, 0, NULL) == SMTPC_EINCOMPLETE,
               "empty input");
    return 0;
}
