/*
 * test_reply.c - the reply parser, the classifier, the builder and the log scanner.
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

static int parse_flags(const char *cell)
{
    int flags = 0;
    if (strstr(cell, "complete") != NULL)
        flags |= SMTPC_REPLY_COMPLETE;
    if (strstr(cell, "strict") != NULL)
        flags |= SMTPC_REPLY_STRICT_LENGTH;
    if (strstr(cell, "embedded") != NULL)
        flags |= SMTPC_REPLY_EMBEDDED;
    return flags;
}

static void expect_warnings(const struct vector_row *row, int warnings)
{
    char names[256] = "";
    for (int bit = 1; bit <= SMTPC_WARN_ENHANCED_VARIES; bit <<= 1) {
        if (warnings & bit) {
            if (names[0] != '\0')
                strcat(names, ",");
            strcat(names, smtpc_enum_name(SMTPC_ENUM_WARNING, bit));
        }
    }
    const char *want = strcmp(row->cells[8], "-") == 0 ? "" : row->cells[8];
    if (strcmp(names, want) != 0)
        fail_msg("replies.tsv:%lu: warnings '%s', expected '%s'", row->line, names, want);
}

static void expect_text(const struct vector_row *row, const smtpc_reply *reply)
{
    char joined[VECTOR_MAX_CELL * 2] = "";
    size_t at = 0;
    for (size_t i = 0; i < smtpc_reply_line_count(reply); i++) {
        size_t len;
        const char *line = smtpc_reply_line(reply, i, &len);
        if (i > 0)
            joined[at++] = '|';
        memcpy(joined + at, line, len);
        at += len;
    }
    joined[at] = '\0';
    if (at != row->len[7] || memcmp(joined, row->cells[7], at) != 0)
        fail_msg("replies.tsv:%lu: text '%s', expected '%s'", row->line, joined, row->cells[7]);
}

/* columns: name input flags status code enhanced lines text warnings action consumed */
static void check_reply_row(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    smtpc_reply *reply = (smtpc_reply *)1;
    size_t consumed = 99999;
    smtpc_error err;
    int rc = smtpc_reply_parse(&reply, &consumed, NULL, row->cells[1], row->len[1],
                               parse_flags(row->cells[2]), &err);
    const char *status = row->cells[3];
    if (strcmp(status, "ok") != 0) {
        int want = strcmp(status, "incomplete") == 0 ? SMTPC_EINCOMPLETE : SMTPC_EREPLY;
        if (rc != want)
            fail_msg("replies.tsv:%lu (%s): status %d, expected %d", row->line, row->cells[0], rc,
                     want);
        assert_null(reply);
        assert_true(err.text[0] != '\0');
        if (rc == SMTPC_EINCOMPLETE)
            assert_int_equal(consumed, strtoul(row->cells[10], NULL, 10));
        return;
    }
    if (rc != 0)
        fail_msg("replies.tsv:%lu (%s): %s", row->line, row->cells[0], err.text);
    assert_int_equal(smtpc_reply_code(reply), atoi(row->cells[4]));
    const char *enhanced = strcmp(row->cells[5], "-") == 0 ? "" : row->cells[5];
    assert_string_equal(smtpc_reply_enhanced(reply), enhanced);
    assert_int_equal(smtpc_reply_line_count(reply), strtoul(row->cells[6], NULL, 10));
    expect_text(row, reply);
    expect_warnings(row, smtpc_reply_warnings(reply));
    smtpc_verdict v;
    assert_int_equal(smtpc_classify(&v, reply, NULL, 0, NULL), 0);
    if (strcmp(smtpc_enum_name(SMTPC_ENUM_ACTION, v.action), row->cells[9]) != 0)
        fail_msg("replies.tsv:%lu (%s): action %s, expected %s (%s)", row->line, row->cells[0],
                 smtpc_enum_name(SMTPC_ENUM_ACTION, v.action), row->cells[9], v.explanation);
    if (strcmp(row->cells[10], "-") != 0)
        assert_int_equal(consumed, strtoul(row->cells[10], NULL, 10));
    smtpc_reply_free(reply);
}

static void reply_vectors(void **state)
{
    (void)state;
    assert_true(vector_each("replies.tsv",
                            "name\tinput\tflags\tstatus\tcode\tenhanced\tlines\ttext\twarnings\t"
                            "action\tconsumed",
                            check_reply_row, NULL) >= 30);
}

static smtpc_reply *parse(const char *s, int flags)
{
    smtpc_reply *reply;
    size_t used;
    smtpc_error err;
    if (smtpc_reply_parse(&reply, &used, NULL, s, strlen(s), flags, &err) != 0)
        fail_msg("parse '%s': %s", s, err.text);
    return reply;
}

static void errors_name_line_and_column(void **state)
{
    (void)state;
    smtpc_reply *reply;
    size_t used;
    smtpc_error err;
    const char *differ = "250-one\r\n250-two\r\n251 three\r\n";
    assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, differ, strlen(differ), 0, &err),
                     SMTPC_EREPLY);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 1);
    assert_non_null(strstr(err.text, "different codes"));
    const char *nul = "250 ab\0c\r\n";
    assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, nul, 10, 0, &err), SMTPC_EREPLY);
    assert_int_equal(err.column, 7);
    const char *digit = "2x0 no\r\n";
    assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, digit, 8, 0, &err), SMTPC_EREPLY);
    assert_int_equal(err.column, 2);
}

/* The parser reads a line sixteen bytes at a time where it can: a NUL, a byte over 0x7F and a
 * LF must each be found at every offset, near the start, inside a block and in the tail, with
 * more input after the line or none. */
static void special_bytes_at_every_offset(void **state)
{
    (void)state;
    enum { TEXT = 90 };
    char wire[TEXT + 32];
    for (int more = 0; more <= 1; more++) {
        for (size_t at = 0; at < 4 + TEXT; at++) {
            memset(wire, 'a', sizeof wire);
            memcpy(wire, "250 ", 4);
            memcpy(wire + 4 + TEXT, "\r\n250 \0\r\n", 10);
            size_t line = 4 + TEXT + 2;
            size_t len = more ? line + 8 : line;
            smtpc_reply *reply;
            size_t used;
            smtpc_error err;

            wire[at] = '\0';
            assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, wire, len, 0, &err),
                             SMTPC_EREPLY);
            assert_int_equal(err.column, at + 1);

            wire[at] = '\xFF';
            int rc = smtpc_reply_parse(&reply, &used, NULL, wire, len, 0, NULL);
            if (at < 4) {
                assert_int_equal(rc, SMTPC_EREPLY);
            } else {
                assert_int_equal(rc, 0);
                assert_int_equal(used, line);
                assert_true(smtpc_reply_warnings(reply) & SMTPC_WARN_INVALID_UTF8);
                smtpc_reply_free(reply);
            }
            if (at < 4)
                continue;

            wire[at] = 'a';
            assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, wire, len, 0, NULL), 0);
            assert_int_equal(used, line);
            assert_int_equal(smtpc_reply_warnings(reply), 0);
            smtpc_reply_free(reply);

            wire[at] = '\n'; /* a bare LF ends the reply there */
            assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, wire, len, 0, NULL), 0);
            assert_int_equal(used, at + 1);
            size_t text_len;
            smtpc_reply_text(reply, &text_len);
            assert_int_equal(text_len, at - 4);
            assert_true(smtpc_reply_warnings(reply) & SMTPC_WARN_BARE_LF);
            smtpc_reply_free(reply);
        }
    }
}

/* A reply fed a byte at a time asks for more until it is whole, then parses the same. */
static void streaming(void **state)
{
    (void)state;
    const char *wire = "250-first line\r\n250-second\r\n250 last\r\n";
    size_t len = strlen(wire);
    for (size_t have = 0; have < len; have++) {
        smtpc_reply *reply;
        size_t need;
        int rc = smtpc_reply_parse(&reply, &need, NULL, wire, have, 0, NULL);
        assert_int_equal(rc, SMTPC_EINCOMPLETE);
        assert_true(need >= 1 && have + need <= len);
    }
    smtpc_reply *reply;
    size_t used;
    assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, wire, len, 0, NULL), 0);
    assert_int_equal(used, len);
    assert_int_equal(smtpc_reply_line_count(reply), 3);
    size_t text_len;
    assert_string_equal(smtpc_reply_text(reply, &text_len), "first line\nsecond\nlast");
    assert_int_equal(text_len, strlen("first line\nsecond\nlast"));
    smtpc_reply_free(reply);
}

static void pipelined_replies(void **state)
{
    (void)state;
    const char *wire = "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n";
    size_t at = 0;
    const int codes[] = {250, 250, 354};
    for (int i = 0; i < 3; i++) {
        smtpc_reply *reply;
        size_t used;
        assert_int_equal(
            smtpc_reply_parse(&reply, &used, NULL, wire + at, strlen(wire + at), 0, NULL), 0);
        assert_int_equal(smtpc_reply_code(reply), codes[i]);
        at += used;
        smtpc_reply_free(reply);
    }
    assert_int_equal(at, strlen(wire));
}

static void lookups_and_commands(void **state)
{
    (void)state;
    smtpc_reply *reply = parse("550 5.7.650 Custom policy\r\n", 0);
    assert_string_equal(smtpc_reply_entry(reply)->code, "550");
    assert_string_equal(smtpc_reply_enhanced_entry(reply)->code, "X.7.0"); /* closest */
    smtpc_reply_free(reply);
    reply = parse("x said: 552 Too many (in reply to RCPT TO command)", SMTPC_REPLY_EMBEDDED);
    assert_string_equal(smtpc_reply_command(reply), "RCPT");
    smtpc_reply_free(reply);
    reply = parse("x said: 550 Spam (in reply to end of DATA command)", SMTPC_REPLY_EMBEDDED);
    assert_string_equal(smtpc_reply_command(reply), "DATA-END");
    smtpc_reply_free(reply);
}

static void classification_rules(void **state)
{
    (void)state;
    struct {
        const char *wire;
        const char *command;
        int action;
        const char *rule;
        int flags;
    } cases[] = {
        {"552 Too many recipients\r\n", "RCPT", SMTPC_ACTION_RETRY, "too-many-recipients",
         SMTPC_VERDICT_OVERRIDDEN},
        {"552 Too many recipients\r\n", "rcpt", SMTPC_ACTION_RETRY, "too-many-recipients",
         SMTPC_VERDICT_OVERRIDDEN},
        {"552 5.5.3 Too many recipients\r\n", "RCPT", SMTPC_ACTION_RETRY, "too-many-recipients",
         SMTPC_VERDICT_OVERRIDDEN},
        {"552 5.3.4 Message too big\r\n", "RCPT", SMTPC_ACTION_GIVE_UP, "class", 0},
        {"552 Message too big\r\n", "DATA", SMTPC_ACTION_GIVE_UP, "class", 0},
        {"552 5.2.2 Mailbox full\r\n", NULL, SMTPC_ACTION_RETRY, "mailbox-full",
         SMTPC_VERDICT_OVERRIDDEN},
        {"452 4.2.2 Mailbox full\r\n", NULL, SMTPC_ACTION_RETRY, "class", 0},
        {"554 4.4.7 Expired\r\n", NULL, SMTPC_ACTION_GIVE_UP, "class-mismatch",
         SMTPC_VERDICT_CLASS_MISMATCH},
        {"451 5.7.1 Try later\r\n", NULL, SMTPC_ACTION_RETRY, "class-mismatch",
         SMTPC_VERDICT_CLASS_MISMATCH},
        {"421 4.3.2 Bye\r\n", NULL, SMTPC_ACTION_RETRY, "class", SMTPC_VERDICT_CONNECTION_CLOSED},
        {"221 2.0.0 Bye\r\n", NULL, SMTPC_ACTION_DONE, "class", SMTPC_VERDICT_CONNECTION_CLOSED},
        {"354 Go ahead\r\n", NULL, SMTPC_ACTION_CONTINUE, "class", 0},
        {"598 Odd\r\n", NULL, SMTPC_ACTION_GIVE_UP, "unknown-code", SMTPC_VERDICT_UNKNOWN_CODE},
        {"298 Odd\r\n", NULL, SMTPC_ACTION_DONE, "unknown-code", SMTPC_VERDICT_UNKNOWN_CODE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        smtpc_reply *reply = parse(cases[i].wire, 0);
        smtpc_verdict v;
        const char *c = cases[i].command;
        assert_int_equal(smtpc_classify(&v, reply, c, c ? strlen(c) : 0, NULL), 0);
        if (v.action != cases[i].action || strcmp(v.rule, cases[i].rule) != 0 ||
            v.flags != cases[i].flags)
            fail_msg("%s: action %d rule %s flags %d (%s)", cases[i].wire, v.action, v.rule,
                     v.flags, v.explanation);
        assert_non_null(strstr(v.explanation, "RFC "));
        smtpc_reply_free(reply);
    }
}

static char *build(int code, const char *enhanced, const char *text, int want)
{
    char *wire = NULL;
    smtpc_error err;
    int rc = smtpc_reply_build(&wire, NULL, NULL, code, enhanced, enhanced ? strlen(enhanced) : 0,
                               text, text ? strlen(text) : 0, &err);
    if (rc != want)
        fail_msg("build %d %s: %d (%s)", code, enhanced ? enhanced : "", rc, err.text);
    return wire;
}

/* What the builder makes parses back to the same code, enhanced code and text. */
static void build_round_trips(void **state)
{
    (void)state;
    char long_text[3000];
    for (size_t i = 0; i < sizeof long_text - 1; i++)
        long_text[i] = i % 11 == 10 ? ' ' : (char)('a' + i % 26);
    long_text[sizeof long_text - 1] = '\0';
    char one_word[1500];
    memset(one_word, 'w', sizeof one_word - 1);
    one_word[sizeof one_word - 1] = '\0';
    struct {
        int code;
        const char *enhanced;
        const char *text;
    } cases[] = {{550, "5.7.1", "Relay denied"}, {250, NULL, "OK"}, {550, "5.1.1", long_text},
                 {451, NULL, long_text},          {552, "5.2.2", one_word},
                 {250, NULL, "x 5.1.1 y"},        {220, NULL, "  leading and trailing  "}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *wire = build(cases[i].code, cases[i].enhanced, cases[i].text, 0);
        smtpc_reply *reply;
        size_t used;
        smtpc_error err;
        if (smtpc_reply_parse(&reply, &used, NULL, wire, strlen(wire), SMTPC_REPLY_STRICT_LENGTH,
                              &err) != 0)
            fail_msg("case %zu: %s", i, err.text);
        assert_int_equal(used, strlen(wire));
        assert_int_equal(smtpc_reply_code(reply), cases[i].code);
        assert_string_equal(smtpc_reply_enhanced(reply),
                            cases[i].enhanced ? cases[i].enhanced : "");
        size_t total = 0;
        for (size_t k = 0; k < smtpc_reply_line_count(reply); k++) {
            size_t len;
            const char *line = smtpc_reply_line(reply, k, &len);
            assert_memory_equal(line, cases[i].text + total, len);
            total += len;
        }
        assert_int_equal(total, strlen(cases[i].text));
        assert_int_equal(smtpc_reply_warnings(reply) & ~SMTPC_WARN_NONCONFORMING, 0);
        /* every line within 512 octets, CRLF-terminated */
        for (const char *line = wire; *line != '\0';) {
            const char *end = strstr(line, "\r\n");
            assert_non_null(end);
            assert_true(end + 2 - line <= SMTPC_REPLY_RFC_LINE_LIMIT);
            line = end + 2;
        }
        smtpc_reply_free(reply);
        smtpc_free(wire);
    }
}

static void build_refusals_and_defaults(void **state)
{
    (void)state;
    char *wire = build(550, "5.7.1", NULL, 0);
    assert_string_equal(wire, "550 5.7.1 Delivery not authorized, message refused\r\n");
    smtpc_free(wire);
    wire = build(421, NULL, "", 0);
    assert_string_equal(wire, "421 Service Not Available\r\n");
    smtpc_free(wire);
    wire = build(299, NULL, NULL, 0);
    assert_string_equal(wire, "299\r\n");
    smtpc_free(wire);
    assert_null(build(550, "4.7.1", "x", SMTPC_EINVAL));
    assert_null(build(354, "3.0.0", "x", SMTPC_EINVAL));
    assert_null(build(550, "X.7.1", "x", SMTPC_EINVAL));
    assert_null(build(550, "5.7.1", "line\r\nbreak", SMTPC_EINVAL));
    assert_null(build(550, "5.7.1", "caf\xc3\xa9", SMTPC_EINVAL));
    assert_null(build(550, NULL, "5.1.1 looks enhanced", SMTPC_EINVAL));
    assert_null(build(600, NULL, "x", SMTPC_EINVAL));
    assert_null(build(199, NULL, "x", SMTPC_EINVAL));
    /* more lines than the parser reads back is refused */
    size_t huge_len = (size_t)SMTPC_REPLY_MAX_LINES * SMTPC_REPLY_RFC_LINE_LIMIT;
    char *huge = malloc(huge_len + 1);
    assert_non_null(huge);
    memset(huge, 'x', huge_len);
    huge[huge_len] = '\0';
    assert_null(build(250, NULL, huge, SMTPC_EINVAL));
    free(huge);
}

static void scanner_counts(void **state)
{
    (void)state;
    const char *log =
        "Nov 23 10:00:01 mx postfix/smtp[1]: 1A1A1A1A1A: to=<a@x>, status=sent (250 2.0.0 Ok: queued)\n"
        "Nov 23 10:00:02 mx postfix/smtp[1]: 2B2B2B2B2B: to=<b@x>, status=bounced (host x[192.0.2.1] "
        "said: 550 5.1.1 <b@x>: User unknown (in reply to RCPT TO command))\n"
        "Nov 23 10:00:03 mx postfix/qmgr[2]: 2B2B2B2B2B: removed\n"
        "Nov 23 10:00:04 mx postfix/smtp[1]: 3C3C3C3C3C: to=<c@x>, status=bounced (host x[192.0.2.1] "
        "said: 550 5.1.1 <c@x>: User unknown (in reply to RCPT TO command))\n"
        "Nov 23 10:00:05 mx postfix/smtpd[3]: NOQUEUE: reject: RCPT from u[192.0.2.9]: 554 5.7.1 "
        "<d@y>: Relay access denied; from=<e@f> to=<d@y>\n"
        "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full";
    size_t len = strlen(log);
    /* the same counts however the input is cut into pieces */
    for (size_t piece = 1; piece <= len; piece = piece * 3 + 1) {
        smtpc_scanner *s;
        assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
        for (size_t at = 0; at < len; at += piece)
            assert_int_equal(
                smtpc_scanner_feed(s, log + at, at + piece > len ? len - at : piece, NULL), 0);
        assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
        assert_int_equal(smtpc_scanner_lines(s), 6);
        assert_int_equal(smtpc_scanner_replies(s), 5);
        assert_int_equal(smtpc_scanner_row_count(s), 4);
        const smtpc_scan_row *row = smtpc_scanner_row(s, 0);
        assert_int_equal(row->code, 250);
        assert_string_equal(row->enhanced, "2.0.0");
        assert_int_equal(row->action, SMTPC_ACTION_DONE);
        row = smtpc_scanner_row(s, 1);
        assert_int_equal(row->code, 550);
        assert_int_equal(row->count, 2);
        assert_non_null(strstr(row->sample, "2B2B2B2B2B:"));
        assert_int_equal(row->sample_len, strlen(row->sample));
        assert_int_equal(row->action, SMTPC_ACTION_GIVE_UP);
        row = smtpc_scanner_row(s, 2);
        assert_int_equal(row->code, 552);
        assert_int_equal(row->action, SMTPC_ACTION_RETRY);
        assert_string_equal(smtpc_scanner_row(s, 3)->enhanced, "5.7.1");
        assert_null(smtpc_scanner_row(s, 4));
        char *json;
        size_t json_len;
        assert_int_equal(smtpc_render_scan(&json, &json_len, s, SMTPC_FORMAT_JSON, NULL), 0);
        assert_true(json_is_valid(json, json_len));
        smtpc_free(json);
        smtpc_scanner_free(s);
    }
}

static void scanner_skips_overlong_lines(void **state)
{
    (void)state;
    smtpc_scanner *s;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    size_t big = SMTPC_REPLY_HARD_LINE_LIMIT + 10;
    char *line = malloc(big);
    assert_non_null(line);
    memset(line, 'x', big);
    memcpy(line, "said: 550 x", 11);
    for (size_t at = 0; at < big; at += 1000)
        assert_int_equal(smtpc_scanner_feed(s, line + at, at + 1000 > big ? big - at : 1000, NULL),
                         0);
    assert_int_equal(smtpc_scanner_feed(s, "\nsaid: 451 later\n", 17, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, line, big, NULL), 0); /* whole, in one feed */
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    assert_int_equal(smtpc_scanner_lines(s), 3);
    assert_int_equal(smtpc_scanner_skipped(s), 2);
    assert_int_equal(smtpc_scanner_replies(s), 1);
    free(line);
    smtpc_scanner_free(s);
}

static void rendered_replies(void **state)
{
    (void)state;
    smtpc_reply *reply = parse("550 5.1.1 bad \xff byte\r\n", 0);
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        char *out;
        size_t len;
        assert_int_equal(smtpc_render_reply(&out, &len, reply, "RCPT", 4, format, NULL), 0);
        assert_null(strchr(out, '\xff')); /* untrusted bytes are not passed on */
        if (format == SMTPC_FORMAT_JSON) {
            assert_true(json_is_valid(out, len));
            assert_non_null(strstr(out, "\"warnings\":[\"invalid-utf8\"]"));
        }
        smtpc_free(out);
    }
    smtpc_reply_free(reply);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reply_vectors),
        cmocka_unit_test(errors_name_line_and_column),
        cmocka_unit_test(special_bytes_at_every_offset),
        cmocka_unit_test(streaming),
        cmocka_unit_test(pipelined_replies),
        cmocka_unit_test(lookups_and_commands),
        cmocka_unit_test(classification_rules),
        cmocka_unit_test(build_round_trips),
        cmocka_unit_test(build_refusals_and_defaults),
        cmocka_unit_test(scanner_counts),
        cmocka_unit_test(scanner_skips_overlong_lines),
        cmocka_unit_test(rendered_replies),
    };
    return cmocka_run_group_tests_name("reply", tests, NULL, NULL);
}
