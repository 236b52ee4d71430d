/*
 * test_api.c - what every front end asks the core: enumeration names, format and command names,
 * classification from parts, reply streams, and error positions. Each is checked against the
 * golden vectors that the CLI, Python and Lua suites read too.
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

/* ---- enumeration names ---- */

static void every_enumeration_names_its_values_once(void **state)
{
    (void)state;
    for (int which = SMTPC_ENUM_KIND; which <= SMTPC_ENUM_DIRECTION; which++) {
        size_t n = smtpc_enum_count(which);
        assert_true(n >= 2);
        for (size_t i = 0; i < n; i++) {
            int value;
            const char *name;
            assert_int_equal(smtpc_enum_at(&value, &name, which, i), 0);
            assert_true(name[0] != '\0');
            assert_string_equal(smtpc_enum_name(which, value), name);
            for (size_t j = 0; j < i; j++) {
                const char *other;
                smtpc_enum_at(NULL, &other, which, j);
                assert_string_not_equal(other, name);
            }
        }
        assert_int_equal(smtpc_enum_at(NULL, NULL, which, n), SMTPC_ERANGE);
    }
    assert_int_equal(smtpc_enum_count(0), 0);
    assert_int_equal(smtpc_enum_count(SMTPC_ENUM_DIRECTION + 1), 0);
    assert_int_equal(smtpc_enum_at(NULL, NULL, 99, 0), SMTPC_ERANGE);
    assert_string_equal(smtpc_enum_name(99, 1), "");
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_RETRY, 0), "");
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_CONNECTION, SMTPC_CONNECTION_UNSPECIFIED), "");
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_ACTION, SMTPC_ACTION_GIVE_UP), "give-up");
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_WARNING, SMTPC_WARN_BARE_LF), "bare-lf");
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_VERDICT_FLAG, SMTPC_VERDICT_OVERRIDDEN),
                        "overridden");
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_LABEL, SMTPC_LABEL_LEARN_MORE), "learn-more");
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_BOUNCE_KIND, SMTPC_BOUNCE_GLOBAL_DSN),
                        "global-dsn");
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_DSN_ACTION, SMTPC_DSN_NONE), "");
}

/* ---- formats ---- */

static void check_format_row(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    int format = -1;
    smtpc_error err = {0};
    int rc = smtpc_format_parse(&format, row->cells[0], row->len[0], &err);
    if (strcmp(row->cells[1], "-") == 0) {
        if (rc != SMTPC_EFORMAT)
            fail_msg("formats.tsv:%lu: '%s' was accepted", row->line, row->cells[0]);
        assert_true(err.text[0] != '\0');
        return;
    }
    if (rc != 0)
        fail_msg("formats.tsv:%lu: '%s': %s", row->line, row->cells[0], err.text);
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_FORMAT, format), row->cells[1]);
}

static void format_vectors(void **state)
{
    (void)state;
    assert_true(vector_each("formats.tsv", "name\tformat", check_format_row, NULL) >= 10);
}

/* ---- commands ---- */

static void check_command_row(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    const char *command = "unset";
    smtpc_error err = {0};
    int rc = smtpc_command_parse(&command, row->cells[0], row->len[0], &err);
    if (strcmp(row->cells[1], "ok") == 0) {
        if (rc != 0)
            fail_msg("commands.tsv:%lu: '%s': %s", row->line, row->cells[0], err.text);
        assert_string_equal(command, row->cells[2]);
    } else {
        if (rc != SMTPC_ECOMMAND)
            fail_msg("commands.tsv:%lu: '%s' gave %d", row->line, row->cells[0], rc);
        assert_null(command);
        assert_int_equal(err.status, SMTPC_ECOMMAND);
        /* the message names what was wrong and what would do */
        assert_non_null(strstr(err.text, row->len[0] > 0 && row->cells[0][0] != ' '
                                             ? "unknown SMTP command"
                                             : "command"));
    }
}

static void command_vectors(void **state)
{
    (void)state;
    assert_true(vector_each("commands.tsv", "input\tstatus\tcommand", check_command_row, NULL) >=
                20);
    const char *command;
    smtpc_error err;
    assert_int_equal(smtpc_command_parse(&command, "BOGUS", 5, &err), SMTPC_ECOMMAND);
    assert_non_null(strstr(err.text, "'BOGUS'"));
    assert_non_null(strstr(err.text, "RCPT"));
    assert_int_equal(smtpc_command_parse(NULL, "RCPT", 4, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_command_parse(&command, NULL, 4, &err), SMTPC_EINVAL);
}

/* ---- classification from parts ---- */

static const char *cell_or_null(const struct vector_row *row, int i, size_t *len)
{
    *len = strcmp(row->cells[i], "-") == 0 ? 0 : row->len[i];
    return *len > 0 ? row->cells[i] : NULL;
}

static void check_classify_row(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    size_t enhanced_len, command_len;
    const char *enhanced = cell_or_null(row, 1, &enhanced_len);
    const char *command = cell_or_null(row, 2, &command_len);
    smtpc_verdict v;
    smtpc_error err = {0};
    int rc = smtpc_classify_code(&v, NULL, atoi(row->cells[0]), enhanced, enhanced_len, command,
                                 command_len, &err);
    if (strcmp(row->cells[3], "command") == 0) {
        if (rc != SMTPC_ECOMMAND)
            fail_msg("classify.tsv:%lu: gave %d, expected an unknown command", row->line, rc);
        return;
    }
    if (rc != 0)
        fail_msg("classify.tsv:%lu: %s", row->line, err.text);
    if (strcmp(smtpc_enum_name(SMTPC_ENUM_ACTION, v.action), row->cells[4]) != 0 ||
        strcmp(v.rule, row->cells[5]) != 0)
        fail_msg("classify.tsv:%lu: %s %s, expected %s %s", row->line,
                 smtpc_enum_name(SMTPC_ENUM_ACTION, v.action), v.rule, row->cells[4],
                 row->cells[5]);
    assert_non_null(strstr(v.explanation, "RFC "));

    /* The same through a parsed reply: smtpc_classify() agrees with smtpc_classify_code(). */
    char wire[64];
    int n = snprintf(wire, sizeof wire, "%s %s%sText\r\n", row->cells[0],
                     enhanced != NULL ? enhanced : "", enhanced != NULL ? " " : "");
    smtpc_reply *reply;
    size_t used;
    assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, wire, (size_t)n, 0, NULL), 0);
    smtpc_verdict w;
    assert_int_equal(smtpc_classify(&w, reply, command, command_len, NULL), 0);
    assert_int_equal(w.action, v.action);
    assert_string_equal(w.rule, v.rule);
    smtpc_reply_free(reply);
}

static void classify_vectors(void **state)
{
    (void)state;
    assert_true(vector_each("classify.tsv", "code\tenhanced\tcommand\tstatus\taction\trule",
                            check_classify_row, NULL) >= 15);
}

static void classify_refuses_bad_parts(void **state)
{
    (void)state;
    smtpc_verdict v;
    smtpc_error err;
    assert_int_equal(smtpc_classify_code(&v, NULL, 199, NULL, 0, NULL, 0, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_classify_code(&v, NULL, 600, NULL, 0, NULL, 0, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_classify_code(&v, NULL, 550, "5.1", 3, NULL, 0, &err), SMTPC_ESYNTAX);
    assert_int_equal(smtpc_classify_code(&v, NULL, 550, "X.1.1", 5, NULL, 0, &err),
                     SMTPC_ESYNTAX);
    assert_int_equal(smtpc_classify_code(&v, NULL, 550, "550", 3, NULL, 0, &err), SMTPC_ESYNTAX);
    assert_int_equal(smtpc_classify_code(NULL, NULL, 550, NULL, 0, NULL, 0, &err), SMTPC_EINVAL);
    /* a command named by the reply's own text is read, never refused */
    const char *log = "550 5.1.1 unknown (in reply to XYZZY command)";
    smtpc_reply *reply;
    size_t used;
    assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, log, strlen(log),
                                       SMTPC_REPLY_COMPLETE, NULL),
                     0);
    assert_int_equal(smtpc_classify(&v, reply, NULL, 0, &err), 0);
    assert_int_equal(smtpc_classify(&v, reply, "XYZZY", 5, &err), SMTPC_ECOMMAND);
    smtpc_reply_free(reply);
}

/* ---- reply streams ---- */

/* Reads a stream fed in pieces of `chunk` bytes (0: at once) into "250,!2:6,..." events. */
static void read_stream(char *events, size_t size, smtpc_reply_stream *st, const char *input,
                        size_t len, size_t chunk)
{
    size_t at = 0;
    events[0] = '\0';
    for (;;) {
        int closing = at == len;
        if (closing) {
            smtpc_reply_stream_close(st);
        } else {
            size_t n = chunk == 0 || len - at < chunk ? len - at : chunk;
            assert_int_equal(smtpc_reply_stream_feed(st, input + at, n, NULL), 0);
            at += n;
        }
        for (;;) {
            smtpc_reply *reply;
            smtpc_error err = {0};
            int rc = smtpc_reply_stream_next(&reply, st, &err);
            char event[48];
            if (rc == SMTPC_EREPLY) {
                assert_null(reply);
                /* the text names the fault, never its position (the fields do) */
                assert_null(strstr(err.text, "line "));
                snprintf(event, sizeof event, "!%lu:%lu", err.line, err.column);
            } else {
                assert_int_equal(rc, 0);
                if (reply == NULL)
                    break;
                snprintf(event, sizeof event, "%d", smtpc_reply_code(reply));
                smtpc_reply_free(reply);
            }
            if (events[0] != '\0')
                strncat(events, ",", size - strlen(events) - 1);
            strncat(events, event, size - strlen(events) - 1);
        }
        if (closing)
            break;
        if (smtpc_reply_stream_buffered(st) > 0)
            assert_true(smtpc_reply_stream_needed(st) >= 1);
    }
    assert_int_equal(smtpc_reply_stream_needed(st), 0);
    assert_int_equal(smtpc_reply_stream_buffered(st), 0);
}

static void check_stream_row(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    int flags = (strstr(row->cells[2], "strict") ? SMTPC_REPLY_STRICT_LENGTH : 0) |
                (strstr(row->cells[2], "embedded") ? SMTPC_REPLY_EMBEDDED : 0);
    smtpc_reply_stream *st;
    assert_int_equal(smtpc_reply_stream_new(&st, NULL, flags, NULL), 0);
    char events[1024];
    read_stream(events, sizeof events, st, row->cells[1], row->len[1],
                (size_t)atoi(row->cells[3]));
    if (strcmp(events, row->cells[4]) != 0)
        fail_msg("streams.tsv:%lu (%s): events %s, expected %s", row->line, row->cells[0],
                 events, row->cells[4]);
    if (smtpc_reply_stream_line(st) != (unsigned long long)atoll(row->cells[5]) ||
        smtpc_reply_stream_skipped(st) != (unsigned long long)atoll(row->cells[6]))
        fail_msg("streams.tsv:%lu (%s): %llu lines, %llu skipped", row->line, row->cells[0],
                 smtpc_reply_stream_line(st), smtpc_reply_stream_skipped(st));
    smtpc_reply_stream_free(st);
}

static void stream_vectors(void **state)
{
    (void)state;
    assert_true(vector_each("streams.tsv", "name\tinput\tflags\tchunk\tevents\tlines\tskipped",
                            check_stream_row, NULL) >= 10);
}

/* Every way of cutting a stream in two gives the events of the whole. */
static void streams_split_anywhere(void **state)
{
    (void)state;
    static const char input[] = "220 mx ESMTP\r\n250-mx\r\n250-SIZE 1000\r\n250 8BITMIME\r\n"
                                "\r\n550-5.1.1 a\r\n551 5.1.1 b\r\n250 2.0.0 ok\r\n221 bye";
    size_t len = sizeof input - 1;
    char whole[256], split[256];
    smtpc_reply_stream *st;
    assert_int_equal(smtpc_reply_stream_new(&st, NULL, 0, NULL), 0);
    read_stream(whole, sizeof whole, st, input, len, 0);
    assert_string_equal(whole, "220,250,!7:1,250,221");
    assert_int_equal(smtpc_reply_stream_line(st), 9);
    assert_int_equal(smtpc_reply_stream_errors(st), 1);
    smtpc_reply_stream_free(st);
    for (size_t chunk = 1; chunk <= len; chunk++) {
        assert_int_equal(smtpc_reply_stream_new(&st, NULL, 0, NULL), 0);
        read_stream(split, sizeof split, st, input, len, chunk);
        if (strcmp(split, whole) != 0)
            fail_msg("pieces of %zu bytes: %s", chunk, split);
        assert_int_equal(smtpc_reply_stream_line(st), 9);
        smtpc_reply_stream_free(st);
    }
}

static void stream_misuse(void **state)
{
    (void)state;
    smtpc_reply_stream *st;
    smtpc_error err;
    assert_int_equal(smtpc_reply_stream_new(&st, NULL, SMTPC_REPLY_COMPLETE, &err), SMTPC_EINVAL);
    assert_null(st);
    assert_int_equal(smtpc_reply_stream_new(NULL, NULL, 0, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_reply_stream_new(&st, NULL, 0, &err), 0);
    assert_int_equal(smtpc_reply_stream_feed(st, NULL, 3, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_reply_stream_feed(st, "250 ok\r\n", 8, &err), 0);
    smtpc_reply_stream_close(st);
    smtpc_reply_stream_close(st);
    assert_int_equal(smtpc_reply_stream_feed(st, "250 ok\r\n", 8, &err), SMTPC_EINVAL);
    smtpc_reply *reply;
    assert_int_equal(smtpc_reply_stream_next(&reply, st, NULL), 0);
    assert_non_null(reply);
    smtpc_reply_free(reply);
    assert_int_equal(smtpc_reply_stream_next(&reply, st, NULL), 0);
    assert_null(reply);
    assert_int_equal(smtpc_reply_stream_next(NULL, st, &err), SMTPC_EINVAL);
    smtpc_reply_stream_free(st);
    smtpc_reply_stream_free(NULL);
    assert_int_equal(smtpc_reply_stream_line(NULL), 0);
}

/* ---- error positions ---- */

static void errors_are_formatted_in_one_place(void **state)
{
    (void)state;
    smtpc_error err = {0};
    char text[600];
    err.line = 2;
    err.column = 6;
    snprintf(err.text, sizeof err.text, "NUL byte");
    smtpc_error_format(text, sizeof text, &err);
    assert_string_equal(text, "line 2, column 6: NUL byte");
    err.column = 0;
    smtpc_error_format(text, sizeof text, &err);
    assert_string_equal(text, "line 2: NUL byte");
    err.line = 0;
    err.column = 3;
    smtpc_error_format(text, sizeof text, &err);
    assert_string_equal(text, "column 3: NUL byte");
    snprintf(err.source, sizeof err.source, "log");
    err.line = 9;
    smtpc_error_format(text, sizeof text, &err);
    assert_string_equal(text, "log:9:3: NUL byte");
    /* a reply's error text holds no position of its own */
    smtpc_reply *reply;
    size_t used;
    assert_int_equal(smtpc_reply_parse(&reply, &used, NULL, "250-a\r\n251 b\r\n", 14, 0, &err),
                     SMTPC_EREPLY);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 1);
    assert_string_equal(err.text, "the lines of one reply carry different codes (251 here, 250 "
                                  "before)");
}

/* ---- the code as written ---- */

static void class_and_category_names_of_a_code_as_written(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    smtpc_code code;
    smtpc_code_parse(&code, "421", 3, NULL);
    assert_string_equal(smtpc_class_name(db, &code), "Transient Negative");
    assert_string_equal(smtpc_category_name(db, &code), "Connections");
    smtpc_code_parse(&code, "4.7.1", 5, NULL);
    assert_string_equal(smtpc_class_name(db, &code), "Persistent Transient Failure");
    assert_string_equal(smtpc_category_name(db, &code), "Security or Policy Status");
    smtpc_code_parse(&code, "X.7.1", 5, NULL);
    assert_string_equal(smtpc_class_name(db, &code), "");
    smtpc_code_parse(&code, "571", 3, NULL);
    assert_string_equal(smtpc_category_name(db, &code), "");
    assert_string_equal(smtpc_class_name(NULL, &code), "");
    assert_int_equal(smtpc_entry_retry(NULL, 4), 0);
}

static void a_page_shows_the_code_as_written(void **state)
{
    (void)state;
    const smtpc_db *db = smtpc_db_builtin();
    char *out;
    assert_int_equal(smtpc_render_code(&out, NULL, db, "4.7.1", 5, "en", 2, SMTPC_FORMAT_JSON,
                                       NULL),
                     0);
    assert_non_null(strstr(out, "\"code\":\"4.7.1\",\"entry\":\"X.7.1\""));
    assert_non_null(strstr(out, "\"class\":4"));
    assert_non_null(strstr(out, "\"retry\":\"later\""));
    assert_non_null(strstr(out, "\"exact\":true"));
    smtpc_free(out);
    assert_int_equal(smtpc_render_code(&out, NULL, db, "4.7.1", 5, "en", 2, SMTPC_FORMAT_TEXT,
                                       NULL),
                     0);
    assert_true(strncmp(out, "SMTP 4.7.1 ", 11) == 0);
    assert_non_null(strstr(out, "4.X.X Persistent Transient Failure"));
    assert_null(strstr(out, "5.X.X"));
    smtpc_free(out);
    assert_int_equal(smtpc_render_code(&out, NULL, db, "5.7.99", 6, "en", 2, SMTPC_FORMAT_JSON,
                                       NULL),
                     0);
    assert_non_null(strstr(out, "\"code\":\"5.7.0\",\"entry\":\"X.7.0\""));
    assert_non_null(strstr(out, "\"exact\":false"));
    smtpc_free(out);
    smtpc_error err;
    assert_int_equal(smtpc_render_code(&out, NULL, db, "299", 3, "en", 2, 0, &err),
                     SMTPC_ENOTFOUND);
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_enumeration_names_its_values_once),
        cmocka_unit_test(format_vectors),
        cmocka_unit_test(command_vectors),
        cmocka_unit_test(classify_vectors),
        cmocka_unit_test(classify_refuses_bad_parts),
        cmocka_unit_test(stream_vectors),
        cmocka_unit_test(streams_split_anywhere),
        cmocka_unit_test(stream_misuse),
        cmocka_unit_test(errors_are_formatted_in_one_place),
        cmocka_unit_test(class_and_category_names_of_a_code_as_written),
        cmocka_unit_test(a_page_shows_the_code_as_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
