/*
 * test_fuzz_regressions.c - one case for each core bug the fuzzers (tests/fuzz) and the
 * sanitizers found, so that each stays fixed in every build. The inputs that found them are
 * also kept in tests/fuzz/regressions/ and replayed through the harnesses.
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

static int utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = u[i] < 0x80 ? 1 : u[i] >= 0xC2 && u[i] <= 0xDF ? 2
                                 : u[i] >= 0xE0 && u[i] <= 0xEF ? 3
                                 : u[i] >= 0xF0 && u[i] <= 0xF4 ? 4
                                                                : 0;
        if (n == 0 || i + n > len)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((u[i + k] & 0xC0) != 0x80)
                return 0;
        }
        i += n;
    }
    return 1;
}

/* A reply line of exactly `total` octets with its line end. */
static char *line_of(size_t total, const char *end)
{
    char *s = malloc(total + 1);
    assert_non_null(s);
    size_t end_len = strlen(end);
    memcpy(s, "250 ", 4);
    memset(s + 4, 'a', total - 4 - end_len);
    memcpy(s + total - end_len, end, end_len + 1);
    return s;
}

static int parse(const char *s, size_t len, int flags, smtpc_error *err, size_t *consumed)
{
    smtpc_reply *r = NULL;
    size_t used = 0;
    int rc = smtpc_reply_parse(&r, &used, NULL, s, len, flags, err);
    smtpc_reply_free(r);
    if (consumed != NULL)
        *consumed = used;
    return rc;
}

/* A streamed 512-octet line was refused in strict mode when the bytes so far ended between
 * its CR and LF, or before a bare LF: the parser counted two more bytes for the line end. */
static void strict_512_octet_line_streamed(void **state)
{
    (void)state;
    const char *ends[] = {"\r\n", "\n"};
    for (size_t k = 0; k < 2; k++) {
        char *s = line_of(SMTPC_REPLY_RFC_LINE_LIMIT, ends[k]);
        size_t len = strlen(s);
        size_t used;
        assert_int_equal(parse(s, len, SMTPC_REPLY_STRICT_LENGTH, NULL, &used), 0);
        assert_int_equal(used, len);
        assert_int_equal(parse(s, len - 1, SMTPC_REPLY_STRICT_LENGTH, NULL, &used),
                         SMTPC_EINCOMPLETE);
        free(s);
    }
    char *s = line_of(SMTPC_REPLY_HARD_LINE_LIMIT, "\r\n");
    assert_int_equal(parse(s, strlen(s) - 1, 0, NULL, NULL), SMTPC_EINCOMPLETE);
    assert_int_equal(parse(s, strlen(s), 0, NULL, NULL), 0);
    free(s);
}

/* In strict mode a line over the hard limit gave the hard-limit error when whole and the
 * 512-octet error when streamed; both now give the strict mode's error. */
static void strict_long_line_same_error_whole_and_streamed(void **state)
{
    (void)state;
    char *s = line_of(SMTPC_REPLY_HARD_LINE_LIMIT + 100, "\r\n");
    smtpc_error whole;
    smtpc_error part;
    assert_int_equal(parse(s, strlen(s), SMTPC_REPLY_STRICT_LENGTH, &whole, NULL),
                     SMTPC_EREPLY);
    assert_int_equal(parse(s, 1000, SMTPC_REPLY_STRICT_LENGTH, &part, NULL), SMTPC_EREPLY);
    assert_string_equal(whole.text, part.text);
    assert_int_equal(whole.column, part.column);
    assert_non_null(strstr(whole.text, "512 octets"));
    free(s);
}

/* The command of Postfix's "(in reply to ... command)" was copied byte for byte, so that
 * smtpc_reply_command() and every rendering could hold bytes that are not UTF-8. */
static void embedded_command_is_a_word(void **state)
{
    (void)state;
    static const char odd[] = "said: 552 Too many (in reply to RCP\xc2 TO command)";
    static const char good[] = "said: 552 Too many (in reply to RCPT TO command)";
    smtpc_reply *r;
    size_t used;
    assert_int_equal(smtpc_reply_parse(&r, &used, NULL, odd, sizeof odd - 1,
                                       SMTPC_REPLY_EMBEDDED, NULL),
                     0);
    assert_string_equal(smtpc_reply_command(r), "");
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        char *out;
        size_t len;
        assert_int_equal(smtpc_render_reply(&out, &len, r, NULL, 0, format, NULL), 0);
        assert_true(utf8_valid(out, len));
        smtpc_free(out);
    }
    smtpc_reply_free(r);
    assert_int_equal(smtpc_reply_parse(&r, &used, NULL, good, sizeof good - 1,
                                       SMTPC_REPLY_EMBEDDED, NULL),
                     0);
    assert_string_equal(smtpc_reply_command(r), "RCPT");
    smtpc_reply_free(r);
}

/* The command of "(in reply to ... command)" was kept as written ("RC", "rcpt"), so that a
 * reply named a command no renderer takes: rendering it with its own command failed, and
 * the JSON's "command" was none of the schema's names. It is now a canonical name or "". */
static void embedded_command_is_canonical(void **state)
{
    (void)state;
    static const struct {
        const char *line, *command;
    } cases[] = {
        {"said: 552 Too many recipients (in reply to RC TO command)", ""},
        {"said: 552 Too many recipients (in reply to XYZZY command)", ""},
        {"said: 552 Too many recipients (in reply to rcpt to command)", "RCPT"},
        {"said: 550 Spam (in reply to End Of Data command)", "DATA-END"},
        {"said: 250 Ok (in reply to MAIL FROM:<a@b> command)", "MAIL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        smtpc_reply *r;
        size_t used;
        assert_int_equal(smtpc_reply_parse(&r, &used, NULL, cases[i].line,
                                           strlen(cases[i].line), SMTPC_REPLY_EMBEDDED, NULL),
                         0);
        const char *command = smtpc_reply_command(r);
        assert_string_equal(command, cases[i].command);
        for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
            char *out;
            size_t len;
            assert_int_equal(smtpc_render_reply(&out, &len, r, command, strlen(command),
                                                format, NULL),
                             0);
            smtpc_free(out);
        }
        smtpc_reply_free(r);
    }
}

/* Finishing a scanner that found no reply passed NULL to qsort (UBSan: nonnull). */
static void scanner_without_replies(void **state)
{
    (void)state;
    smtpc_scanner *s;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, "\n", 1, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    assert_int_equal(smtpc_scanner_row_count(s), 0);
    assert_int_equal(smtpc_scanner_lines(s), 1);
    smtpc_scanner_free(s);
}

/* Feeding no bytes (NULL, 0) while a line was carried over passed NULL to memchr. */
static void scanner_empty_feed_while_carrying(void **state)
{
    (void)state;
    smtpc_scanner *s;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, "said: 550 5.1.1 x", 17, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, NULL, 0, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, "y\n", 2, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    assert_int_equal(smtpc_scanner_replies(s), 1);
    assert_string_equal(smtpc_scanner_row(s, 0)->sample, "said: 550 5.1.1 xy");
    smtpc_scanner_free(s);
}

/* The builder checked the enhanced code with strspn(), which reads to a NUL: past the end of
 * an exact-size buffer (ASan), and wrong when digits followed the given length. */
static void build_enhanced_is_pointer_and_length(void **state)
{
    (void)state;
    char *exact = malloc(5);
    assert_non_null(exact);
    memcpy(exact, "5.7.1", 5);
    char *wire;
    size_t len;
    assert_int_equal(smtpc_reply_build(&wire, &len, NULL, 550, exact, 5, "x", 1, NULL), 0);
    assert_string_equal(wire, "550 5.7.1 x\r\n");
    smtpc_free(wire);
    free(exact);
    static const char longer[] = "5.7.12";
    assert_int_equal(smtpc_reply_build(&wire, &len, NULL, 550, longer, 5, "x", 1, NULL), 0);
    assert_string_equal(wire, "550 5.7.1 x\r\n");
    smtpc_free(wire);
}

/* Error texts echoed what they were given: a newline broke "one line", bytes that are not
 * UTF-8 (or a sequence cut at the end of the buffer) made the text invalid UTF-8. */
static void error_text_is_one_line_of_utf8(void **state)
{
    (void)state;
    const char *tag;
    smtpc_error err;
    static const char odd[] = "x\ny\r\x01\xff";
    assert_int_equal(smtpc_language_resolve(&tag, smtpc_db_builtin(), odd, sizeof odd - 1, &err),
                     SMTPC_ELANG);
    for (const char *p = err.text; *p != '\0'; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7F);
    assert_true(utf8_valid(err.text, strlen(err.text)));
    char accents[600];
    for (size_t i = 0; i + 1 < sizeof accents; i += 2)
        memcpy(accents + i, "\xc3\xa9", 2);
    for (size_t cut = 0; cut < 4; cut++) {
        smtpc_comparison *cmp;
        assert_int_equal(smtpc_compare(&cmp, smtpc_db_builtin(), "421", 3, "504", 3, accents,
                                       sizeof accents - cut, &err),
                         SMTPC_ELANG);
        assert_true(utf8_valid(err.text, strlen(err.text)));
        char enhanced[300];
        memset(enhanced, '5', sizeof enhanced);
        memcpy(enhanced + 30 + cut, "\xc3\xa9", 2);
        char *wire;
        assert_int_equal(smtpc_reply_build(&wire, NULL, NULL, 550, enhanced, sizeof enhanced,
                                           NULL, 0, &err),
                         SMTPC_EINVAL);
        assert_true(utf8_valid(err.text, strlen(err.text)));
    }
}

/* A scan summary printed each row's sample line as it came: bytes that are not UTF-8 (or a
 * sequence cut at the sample's length) went into every format, JSON included. */
static void scan_samples_render_as_utf8(void **state)
{
    (void)state;
    smtpc_scanner *s;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    static const char bad[] = "said: 550 \xff\xfe bad \x01 bytes\n";
    assert_int_equal(smtpc_scanner_feed(s, bad, sizeof bad - 1, NULL), 0);
    /* samples are cut at 400 bytes: at a sequence's end, then inside one */
    static const char *const starts[] = {"said: 451 ", "said: 421  "};
    for (size_t k = 0; k < 2; k++) {
        char line[1000];
        size_t len = strlen(starts[k]);
        memcpy(line, starts[k], len);
        for (; len + 2 < sizeof line; len += 2)
            memcpy(line + len, "\xc3\xa9", 2);
        assert_int_equal(smtpc_scanner_feed(s, line, len, NULL), 0);
        assert_int_equal(smtpc_scanner_feed(s, "\n", 1, NULL), 0);
    }
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        char *out;
        size_t out_len;
        assert_int_equal(smtpc_render_scan(&out, &out_len, s, format, NULL), 0);
        assert_true(utf8_valid(out, out_len));
        if (format == SMTPC_FORMAT_JSON)
            assert_true(json_is_valid(out, out_len));
        smtpc_free(out);
    }
    smtpc_scanner_free(s);
}

/* smtpc_reference_url() copied any section text into the address, bytes that are not UTF-8
 * included; it now answers 0 for a section that is not a section number. */
static void reference_url_needs_a_section_number(void **state)
{
    (void)state;
    char buf[256];
    static const char odd[] = "RFC 5321 section 4.2.3a]t\xff";
    assert_int_equal(smtpc_reference_url(buf, sizeof buf, odd, sizeof odd - 1), 0);
    assert_string_equal(buf, "");
    static const char good[] = "RFC 5321 section 4.2.3";
    assert_true(smtpc_reference_url(buf, sizeof buf, good, sizeof good - 1) > 0);
    assert_string_equal(buf, "https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3");
    static const char appendix[] = "RFC 5321 section D.1";
    assert_true(smtpc_reference_url(buf, sizeof buf, appendix, sizeof appendix - 1) > 0);
    assert_string_equal(buf, "https://www.rfc-editor.org/rfc/rfc5321#appendix-D.1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strict_512_octet_line_streamed),
        cmocka_unit_test(strict_long_line_same_error_whole_and_streamed),
        cmocka_unit_test(embedded_command_is_a_word),
        cmocka_unit_test(embedded_command_is_canonical),
        cmocka_unit_test(scanner_without_replies),
        cmocka_unit_test(scanner_empty_feed_while_carrying),
        cmocka_unit_test(build_enhanced_is_pointer_and_length),
        cmocka_unit_test(error_text_is_one_line_of_utf8),
        cmocka_unit_test(scan_samples_render_as_utf8),
        cmocka_unit_test(reference_url_needs_a_section_number),
    };
    return cmocka_run_group_tests_name("fuzz regressions", tests, NULL, NULL);
}
