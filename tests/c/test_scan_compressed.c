/*
 * test_scan_compressed.c - the scanner on compressed logs (tests/vectors/logs/compressed/):
 * each file scanned whole, a byte at a time and cut at every point of its magic number, gives
 * the summary of the plain log it comes from, or the error expected.tsv gives; the judgement of
 * what is text; errors that stay until the input ends.
 *
 * Built twice: as c.scan_compressed with the library, and as c.scan_compressed_gzip_only with
 * the decoders compiled with zlib alone (SMTPC_TEST_GZIP_ONLY), where every other format must
 * fail with the "built without" error of expected.tsv.
 */
#include "support.h"

#include "smtpcodes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum { COL_FILE, COL_COMPRESSION, COL_COPIES, COL_LINES, COL_REPLIES, COL_ROWS, COL_ERROR,
       COL_WITHOUT };

static const char COLUMNS[] =
    "file\tcompression\tcopies\tlines\treplies\trows\terror\tbuilt_without";

static char *read_vector(const char *name, size_t *len)
{
    char relative[256];
    snprintf(relative, sizeof relative, "logs/compressed/%s", name);
    char *data = read_file(vector_path(relative), len);
    if (data == NULL)
        fail_msg("cannot read %s", vector_path(relative));
    return data;
}

static int compression_named(const char *name)
{
    for (size_t i = 0; i < smtpc_enum_count(SMTPC_ENUM_COMPRESSION); i++) {
        int value;
        const char *n;
        assert_int_equal(smtpc_enum_at(&value, &n, SMTPC_ENUM_COMPRESSION, i), 0);
        if (strcmp(n, name) == 0)
            return value;
    }
    fail_msg("no compression is named '%s'", name);
    return -1;
}

/* What a scan came to: 0 and the saved form of the summary, or the status and the message. */
struct outcome {
    int status;
    char text[SMTPC_ERROR_TEXT_SIZE];
    char *saved;
    int compression;
    unsigned long long lines, replies;
    size_t rows;
};

static void outcome_free(struct outcome *o)
{
    free(o->saved);
    o->saved = NULL;
}

/* Scans `len` bytes fed in pieces: first the pieces of `cuts` (offsets, ascending), then the
 * rest in pieces of `step` bytes (0: at once). Feeding stops at the first failure. */
static struct outcome scan_pieces(const char *data, size_t len, const size_t *cuts, int n_cuts,
                                  size_t step)
{
    struct outcome o = {0, "", NULL, 0, 0, 0, 0};
    smtpc_scanner *s;
    smtpc_error err;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    size_t at = 0;
    for (int i = 0; o.status == 0 && i <= n_cuts; i++) {
        size_t end = i < n_cuts ? cuts[i] : len;
        while (o.status == 0 && at < end) {
            size_t n = step == 0 || i < n_cuts ? end - at : (end - at < step ? end - at : step);
            o.status = smtpc_scanner_feed(s, data + at, n, &err);
            at += n;
        }
    }
    if (o.status == 0)
        o.status = smtpc_scanner_finish(s, &err);
    o.compression = smtpc_scanner_compression(s);
    o.lines = smtpc_scanner_lines(s);
    o.replies = smtpc_scanner_replies(s);
    o.rows = smtpc_scanner_row_count(s);
    if (o.status != 0) {
        assert_int_equal(err.status, o.status);
        snprintf(o.text, sizeof o.text, "%s", err.text);
    } else {
        size_t saved_len;
        assert_int_equal(smtpc_scanner_save(&o.saved, &saved_len, s, NULL), 0);
    }
    smtpc_scanner_free(s);
    return o;
}

static struct outcome scan_whole(const char *data, size_t len)
{
    return scan_pieces(data, len, NULL, 0, 0);
}

/* The saved summary of the plain log, `copies` times over. */
static char *plain_summary(int copies)
{
    size_t len;
    char *log = read_vector("mail.log", &len);
    smtpc_scanner *s;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    for (int i = 0; i < copies; i++)
        assert_int_equal(smtpc_scanner_feed(s, log, len, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    char *saved;
    assert_int_equal(smtpc_scanner_save(&saved, NULL, s, NULL), 0);
    smtpc_scanner_free(s);
    free(log);
    return saved;
}

/* The message with the number after "compressed byte " taken out: libzstd says only that it
 * failed somewhere in the input it was given, so the offset depends on how it was fed. */
static void without_offset(char *out, size_t size, const char *text)
{
    static const char marker[] = "compressed byte ";
    const char *at = strstr(text, marker);
    if (at == NULL) {
        snprintf(out, size, "%s", text);
        return;
    }
    at += sizeof marker - 1;
    const char *rest = at;
    while (*rest >= '0' && *rest <= '9')
        rest++;
    snprintf(out, size, "%.*sN%s", (int)(at - text), text, rest);
}

/* Checks `got` against the row: its summary, or its error (`exact`: with the offset). */
static void check_outcome(const struct vector_row *row, const struct outcome *got, int exact)
{
    const char *name = row->cells[COL_FILE];
    int compression = compression_named(row->cells[COL_COMPRESSION]);
    const char *error = smtpc_scan_supports(compression) ? row->cells[COL_ERROR]
                                                         : row->cells[COL_WITHOUT];
    assert_int_equal(got->compression, compression);
    if (strcmp(error, "-") == 0) {
        if (got->status != 0)
            fail_msg("%s: %s", name, got->text);
        assert_int_equal(got->lines, strtoull(row->cells[COL_LINES], NULL, 10));
        assert_int_equal(got->replies, strtoull(row->cells[COL_REPLIES], NULL, 10));
        assert_int_equal(got->rows, strtoull(row->cells[COL_ROWS], NULL, 10));
        char *expected = plain_summary(atoi(row->cells[COL_COPIES]));
        assert_string_equal(got->saved, expected);
        free(expected);
        return;
    }
    if (got->status != SMTPC_EINPUT)
        fail_msg("%s: status %d, expected SMTPC_EINPUT: %s", name, got->status, error);
    if (exact) {
        assert_string_equal(got->text, error);
    } else {
        char a[SMTPC_ERROR_TEXT_SIZE], b[SMTPC_ERROR_TEXT_SIZE];
        without_offset(a, sizeof a, got->text);
        without_offset(b, sizeof b, error);
        assert_string_equal(a, b);
    }
}

static void whole_file(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    size_t len;
    char *data = read_vector(row->cells[COL_FILE], &len);
    struct outcome got = scan_whole(data, len);
    check_outcome(row, &got, 1);
    outcome_free(&got);
    free(data);
}

static void every_file_scans_as_expected(void **state)
{
    (void)state;
    assert_true(vector_each("logs/compressed/expected.tsv", COLUMNS, whole_file, NULL) >= 20);
}

static void byte_by_byte(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    size_t len;
    char *data = read_vector(row->cells[COL_FILE], &len);
    struct outcome got = scan_pieces(data, len, NULL, 0, 1);
    check_outcome(row, &got, 0);
    outcome_free(&got);
    free(data);
}

static void fed_a_byte_at_a_time(void **state)
{
    (void)state;
    vector_each("logs/compressed/expected.tsv", COLUMNS, byte_by_byte, NULL);
}

/* Cut at every point of the first seven bytes (the longest magic number is six), and at
 * every pair of them. */
static void magic_cuts(const struct vector_row *row, void *ctx)
{
    (void)ctx;
    size_t len;
    char *data = read_vector(row->cells[COL_FILE], &len);
    for (size_t i = 1; i <= 7 && i < len; i++) {
        struct outcome got = scan_pieces(data, len, &i, 1, 0);
        check_outcome(row, &got, 0);
        outcome_free(&got);
        for (size_t j = i + 1; j <= 7 && j < len; j++) {
            size_t cuts[] = {i, j};
            got = scan_pieces(data, len, cuts, 2, 0);
            check_outcome(row, &got, 0);
            outcome_free(&got);
        }
    }
    free(data);
}

static void cut_anywhere_in_the_magic_number(void **state)
{
    (void)state;
    vector_each("logs/compressed/expected.tsv", COLUMNS, magic_cuts, NULL);
}

static void formats_built_in(void **state)
{
    (void)state;
    assert_int_equal(smtpc_scan_supports(SMTPC_COMPRESSION_NONE), 1);
    assert_int_equal(smtpc_scan_supports(SMTPC_COMPRESSION_GZIP), 1);
    assert_int_equal(smtpc_scan_supports((enum smtpc_compression)99), 0);
    assert_int_equal(smtpc_scan_supports((enum smtpc_compression)-1), 0);
#ifdef SMTPC_TEST_GZIP_ONLY
    assert_int_equal(smtpc_scan_supports(SMTPC_COMPRESSION_XZ), 0);
    assert_int_equal(smtpc_scan_supports(SMTPC_COMPRESSION_BZIP2), 0);
    assert_int_equal(smtpc_scan_supports(SMTPC_COMPRESSION_ZSTD), 0);
#endif
    assert_int_equal(smtpc_enum_count(SMTPC_ENUM_COMPRESSION), 5);
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_COMPRESSION, SMTPC_COMPRESSION_NONE), "none");
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_COMPRESSION, SMTPC_COMPRESSION_BZIP2),
                        "bzip2");
    assert_string_equal(smtpc_strerror(SMTPC_EINPUT), "unreadable input");
    assert_int_equal(SMTPC_EINPUT, -14);
}

/* The format is known once its magic number is; until then the first bytes are held, and the
 * scanner cannot be merged from. The format stays after finish, until the next input's. */
static void the_format_is_known_once_its_magic_number_is(void **state)
{
    (void)state;
    size_t len;
    char *gz = read_vector("mail.log.gz", &len);
    smtpc_scanner *s, *other;
    smtpc_error err;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_new(&other, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_compression(s), SMTPC_COMPRESSION_NONE);
    assert_int_equal(smtpc_scanner_feed(s, gz, 1, NULL), 0);
    assert_int_equal(smtpc_scanner_compression(s), SMTPC_COMPRESSION_NONE);
    assert_int_equal(smtpc_scanner_merge(other, s, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_feed(s, gz + 1, 1, NULL), 0);
    assert_int_equal(smtpc_scanner_compression(s), SMTPC_COMPRESSION_GZIP);
    assert_int_equal(smtpc_scanner_feed(s, gz + 2, len - 2, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    assert_int_equal(smtpc_scanner_compression(s), SMTPC_COMPRESSION_GZIP);
    assert_int_equal(smtpc_scanner_lines(s), 29);
    /* a new input: text, whose first byte "s" begins no magic number */
    assert_int_equal(smtpc_scanner_feed(s, "said: 250 ok\n", 13, NULL), 0);
    assert_int_equal(smtpc_scanner_compression(s), SMTPC_COMPRESSION_NONE);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    assert_int_equal(smtpc_scanner_lines(s), 30);
    assert_int_equal(smtpc_scanner_replies(s), 25);
    /* a log that starts with "B" is held a byte, and is text */
    assert_int_equal(smtpc_scanner_feed(other, "B", 1, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(other, "ye: 221 bye\n", 12, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(other, NULL), 0);
    assert_int_equal(smtpc_scanner_replies(other), 1);
    smtpc_scanner_free(s);
    smtpc_scanner_free(other);
    free(gz);
}

/* An input error is given again by every feed and by finish; the next input is read anew. */
static void errors_stay_until_the_input_ends(void **state)
{
    (void)state;
    size_t len;
    char *bad = read_vector("mail-corrupt.log.gz", &len);
    smtpc_scanner *s;
    smtpc_error err, again;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, bad, len, &err), SMTPC_EINPUT);
    assert_int_equal(smtpc_scanner_feed(s, "said: 250 ok\n", 13, &again), SMTPC_EINPUT);
    assert_string_equal(again.text, err.text);
    assert_int_equal(smtpc_scanner_finish(s, &again), SMTPC_EINPUT);
    assert_string_equal(again.text, err.text);
    assert_int_equal(smtpc_scanner_feed(s, "said: 250 ok\n", 13, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    assert_int_equal(smtpc_scanner_compression(s), SMTPC_COMPRESSION_NONE);
    smtpc_scanner_free(s);
    free(bad);
}

/* Scans `len` bytes whole: 0, or SMTPC_EINPUT with the message in `text`. */
static int judge(const char *data, size_t len, char *text, size_t size)
{
    smtpc_scanner *s;
    smtpc_error err;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    int rc = smtpc_scanner_feed(s, data, len, &err);
    if (rc == 0)
        rc = smtpc_scanner_finish(s, &err);
    snprintf(text, size, "%s", rc != 0 ? err.text : "");
    smtpc_scanner_free(s);
    return rc;
}

/* `n` bytes: lines of text, with `controls` of their bytes (spread out) being `control`. */
static char *text_with(size_t n, size_t controls, char control)
{
    char *t = malloc(n);
    assert_non_null(t);
    for (size_t i = 0; i < n; i++)
        t[i] = i % 50 == 49 ? '\n' : "abcdefgh "[i % 9];
    for (size_t k = 0; k < controls; k++)
        t[k * (n / controls)] = control;
    return t;
}

static void what_is_text(void **state)
{
    (void)state;
    char text[SMTPC_ERROR_TEXT_SIZE];
    /* 1 in 10 control characters is text; one more is not */
    char *t = text_with(4000, 400, '\x01');
    assert_int_equal(judge(t, 4000, text, sizeof text), 0);
    free(t);
    t = text_with(4000, 401, '\x01');
    assert_int_equal(judge(t, 4000, text, sizeof text), SMTPC_EINPUT);
    assert_string_equal(text, "binary data, not a text log: 401 of its first 4000 bytes are "
                              "control characters");
    free(t);
    /* tab, line feed, vertical tab, form feed, carriage return and escape are text */
    static const char allowed[] = "\t\n\v\f\r\x1b";
    for (const char *c = allowed; *c != '\0'; c++) {
        t = text_with(4096, 1000, *c);
        assert_int_equal(judge(t, 4096, text, sizeof text), 0);
        free(t);
    }
    t = text_with(4096, 1000, '\x7f');
    assert_int_equal(judge(t, 4096, text, sizeof text), SMTPC_EINPUT);
    free(t);
    /* A NUL byte on a line, or a run of them, is a damaged line of a log; NUL bytes on more
     * than 1 in 10 of the lines (two at least) are binary */
    t = text_with(4000, 1, '\0'); /* 80 lines, a NUL on one */
    assert_int_equal(judge(t, 4000, text, sizeof text), 0);
    memset(t + 1000, '\0', 40);
    assert_int_equal(judge(t, 4000, text, sizeof text), 0);
    free(t);
    t = text_with(4000, 8, '\0');
    assert_int_equal(judge(t, 4000, text, sizeof text), 0);
    free(t);
    t = text_with(4000, 9, '\0');
    assert_int_equal(judge(t, 4000, text, sizeof text), SMTPC_EINPUT);
    assert_string_equal(text, "binary data, not a text log: NUL bytes on 9 of its first 80 lines");
    free(t);
    assert_int_equal(judge("a\0b\nc\0d\n", 8, text, sizeof text), SMTPC_EINPUT);
    /* only the first 4096 bytes are judged */
    t = text_with(8192, 0, 0);
    memset(t + 4096, '\x01', 4096);
    assert_int_equal(judge(t, 8192, text, sizeof text), 0);
    free(t);
    /* fewer at the end of the input; none at all is an empty log */
    assert_int_equal(judge("\x01\x02", 2, text, sizeof text), SMTPC_EINPUT);
    assert_int_equal(judge("", 0, text, sizeof text), 0);
    assert_int_equal(judge("\x1f", 1, text, sizeof text), SMTPC_EINPUT);
    assert_int_equal(judge("BZh", 3, text, sizeof text), 0);
}

static void binary_data_is_named_by_its_magic_number(void **state)
{
    (void)state;
#define CASE(data, message) {data, sizeof data - 1, message}
    static const struct {
        const char *data;
        size_t len;
        const char *message;
    } cases[] = {
        CASE("PK\3\4\24\0\0\0\10\0", "a zip archive, not a text log"),
        CASE("%PDF-1.7\n%\342\343\317\323\n\1\2\3\4", "a PDF, not a text log"),
        CASE("\177ELF\2\1\1\0\0\0", "an ELF executable, not a text log"),
        CASE("\211PNG\r\n\32\n\0\0", "a PNG image, not a text log"),
        CASE("\4\42\115\30\1\2\3",
             "lz4-compressed data, which smtpcodes does not read, not a text log"),
        CASE("\377\376s\0a\0i\0d\0", "UTF-16 text, which smtpcodes does not read (it reads "
                                      "ASCII and UTF-8), not a text log"),
    };
#undef CASE
    char text[SMTPC_ERROR_TEXT_SIZE];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(judge(cases[i].data, cases[i].len, text, sizeof text), SMTPC_EINPUT);
        assert_string_equal(text, cases[i].message);
    }
}

/* NULL and empty feeds, as for any scanner. */
static void arguments(void **state)
{
    (void)state;
    smtpc_scanner *s;
    smtpc_error err;
    assert_int_equal(smtpc_scanner_compression(NULL), SMTPC_COMPRESSION_NONE);
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, NULL, 1, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_feed(s, "\x1f", 1, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, "", 0, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, "\x8b", 1, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, &err), SMTPC_EINPUT);
    assert_string_equal(err.text, "truncated gzip data: the input ends inside a compressed "
                                  "stream, after 2 compressed bytes");
    smtpc_scanner_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_built_in),
        cmocka_unit_test(every_file_scans_as_expected),
        cmocka_unit_test(fed_a_byte_at_a_time),
        cmocka_unit_test(cut_anywhere_in_the_magic_number),
        cmocka_unit_test(the_format_is_known_once_its_magic_number_is),
        cmocka_unit_test(errors_stay_until_the_input_ends),
        cmocka_unit_test(what_is_text),
        cmocka_unit_test(binary_data_is_named_by_its_magic_number),
        cmocka_unit_test(arguments),
    };
    return cmocka_run_group_tests_name("scan_compressed", tests, NULL, NULL);
}
