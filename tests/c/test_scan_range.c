/*
 * test_scan_range.c - smtpc_scanner_feed_file_range(): a log cut into byte ranges anywhere
 * (inside a line, between CR and LF, on a line end) gives ranges whose summaries merge into
 * the summary of the whole file, on the shared logs (tests/vectors/logs/) and on a file made
 * here with the awkward cases (CRLF, empty lines, NUL bytes, a line too long to scan, no final
 * line end); and its refusals: NULL, a start after the end, files that cannot be read.
 */
#include "smtpcodes.h"
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* The logs read line by line; an mbox is read message by message, and a range that starts
 * inside a message is not one (docs/scale.md). */
static const char *const logs[] = {"relay-postfix.log", "relay-exim.log", "mta/postfix.log",
                                   "mta/sendmail.log", "mta/dovecot.log"};
enum { N_LOGS = sizeof logs / sizeof logs[0] };

/* More than SMTPC_REPLY_HARD_LINE_LIMIT: the scanner skips such a line and counts it. */
enum { LONG_LINE = 70000 };

static const char *log_path(const char *name)
{
    static char path[512];
    char relative[256];
    snprintf(relative, sizeof relative, "logs/%s", name);
    snprintf(path, sizeof path, "%s", vector_path(relative));
    return path;
}

/* The saved form of a finished scanner, as a malloc'd string: canonical, so two summaries are
 * equal, counts, rows and samples, exactly when their saved forms are. */
static char *saved(const smtpc_scanner *s)
{
    char *out;
    smtpc_error err;
    if (smtpc_scanner_save(&out, NULL, s, &err) != 0)
        fail_msg("save: %s", err.text);
    return out;
}

/* The saved form of the whole file, read with smtpc_scanner_feed(). */
static char *whole_file(const char *path)
{
    size_t len;
    char *data = read_file(path, &len);
    if (data == NULL)
        fail_msg("cannot read %s", path);
    smtpc_scanner *s;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, data, len, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    char *out = saved(s);
    smtpc_scanner_free(s);
    free(data);
    return out;
}

/* Feeds the range [start, end) of `path` into `into`, through a scanner of its own as a worker
 * would, and merges that scanner's summary. */
static void merge_range(smtpc_scanner *into, const char *path, unsigned long long start,
                        unsigned long long end)
{
    smtpc_scanner *part;
    smtpc_error err;
    assert_int_equal(smtpc_scanner_new(&part, NULL, NULL), 0);
    if (smtpc_scanner_feed_file_range(part, path, start, end, &err) != 0)
        fail_msg("range %llu-%llu of %s: %s", start, end, path, err.text);
    assert_int_equal(smtpc_scanner_finish(part, NULL), 0);
    assert_int_equal(smtpc_scanner_merge(into, part, NULL), 0);
    smtpc_scanner_free(part);
}

/* The ranges cut at `cuts` (n_cuts offsets in order, the first 0, the last the file's end or
 * past it), merged in reverse order, give `expected`. */
static void assert_cuts_merge_back(const char *path, const unsigned long long *cuts, int n_cuts,
                                   const char *expected)
{
    smtpc_scanner *merged;
    assert_int_equal(smtpc_scanner_new(&merged, NULL, NULL), 0);
    for (int i = n_cuts - 1; i > 0; i--)
        merge_range(merged, path, cuts[i - 1], cuts[i]);
    char *got = saved(merged);
    if (strcmp(got, expected) != 0) {
        fprintf(stderr, "cuts of %s:", path);
        for (int i = 0; i < n_cuts; i++)
            fprintf(stderr, " %llu", cuts[i]);
        fprintf(stderr, "\n");
        assert_string_equal(got, expected);
    }
    free(got);
    smtpc_scanner_free(merged);
}

static size_t file_size(const char *path)
{
    size_t len;
    char *data = read_file(path, &len);
    if (data == NULL)
        fail_msg("cannot read %s", path);
    free(data);
    return len;
}

/* ---- a file with the awkward cases, written for the test ---- */

static char made_path[64];

static int make_awkward_file(void **state)
{
    (void)state;
    snprintf(made_path, sizeof made_path, "/tmp/smtpc-scan-range-XXXXXX");
    int fd = mkstemp(made_path);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "wb");
    if (f == NULL)
        return -1;
    static const char head[] =
        "Nov 23 10:00:01 mx relayd/smtpc[1]: A1: to=<a@example.org>, status=bounced (host "
        "said: 550 5.1.1 <a@example.org>: Recipient address rejected (in reply to RCPT TO "
        "command))\r\n"
        "\n"
        "\n"
        "421 4.7.0 Try again later\n"
        "250 2.0.0 Ok: queued\r\n"
        "550 5.7.1 bytes \0 after a NUL\n"
        "\r\n";
    fwrite(head, 1, sizeof head - 1, f);
    fputs("550 5.1.1 ", f);
    for (int i = 0; i < LONG_LINE; i++)
        fputc('x', f);
    fputs("\n452 4.5.3 Too many recipients\n", f);
    fputs("550 5.1.1 a last line without a line end", f);
    fclose(f);
    return 0;
}

static int remove_awkward_file(void **state)
{
    (void)state;
    unlink(made_path);
    return 0;
}

/* ---- merging back ---- */

static void shared_logs_cut_anywhere_in_two(void **state)
{
    (void)state;
    for (int i = 0; i < N_LOGS; i++) {
        const char *path = log_path(logs[i]);
        char *expected = whole_file(path);
        unsigned long long len = file_size(path);
        for (unsigned long long cut = 0; cut <= len; cut++) {
            unsigned long long cuts[] = {0, cut, len};
            assert_cuts_merge_back(path, cuts, 3, expected);
        }
        free(expected);
    }
}

static void shared_logs_cut_in_small_ranges(void **state)
{
    (void)state;
    for (int i = 0; i < N_LOGS; i++) {
        const char *path = log_path(logs[i]);
        char *expected = whole_file(path);
        unsigned long long len = file_size(path);
        for (unsigned long long size = 1; size <= 64; size *= 2) {
            smtpc_scanner *merged;
            assert_int_equal(smtpc_scanner_new(&merged, NULL, NULL), 0);
            for (unsigned long long at = 0; at < len; at += size)
                merge_range(merged, path, at, at + size); /* the last one ends past the file */
            char *got = saved(merged);
            assert_string_equal(got, expected);
            free(got);
            smtpc_scanner_free(merged);
        }
        free(expected);
    }
}

static void awkward_file_cut_anywhere_in_three(void **state)
{
    (void)state;
    char *expected = whole_file(made_path);
    /* the file has what it should: its lines, the long one skipped, the NUL line's reply */
    smtpc_scanner *whole;
    assert_int_equal(smtpc_scanner_new(&whole, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed_file_range(whole, made_path, 0, 1ULL << 40, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(whole, NULL), 0);
    assert_int_equal(smtpc_scanner_lines(whole), 10);
    assert_int_equal(smtpc_scanner_skipped(whole), 1);
    assert_int_equal(smtpc_scanner_replies(whole), 6);
    char *read_whole = saved(whole);
    assert_string_equal(read_whole, expected);
    free(read_whole);
    smtpc_scanner_free(whole);

    unsigned long long len = file_size(made_path);
    size_t head = 200; /* the short lines before the long one, and a little of it */
    unsigned long long long_end = len - 80;
    /* Every pair of cuts in the short lines; each of those with a cut in or around the long
     * line and in the last lines. */
    for (unsigned long long a = 0; a <= head; a++) {
        for (unsigned long long b = a; b <= head; b += 7) {
            unsigned long long cuts[] = {0, a, b, len};
            assert_cuts_merge_back(made_path, cuts, 4, expected);
        }
        unsigned long long late[] = {LONG_LINE / 2, long_end - 2, long_end - 1, long_end,
                                     long_end + 1,  len - 1,      len};
        for (size_t k = 0; k < sizeof late / sizeof late[0]; k++) {
            unsigned long long cuts[] = {0, a, late[k], len + 1000};
            assert_cuts_merge_back(made_path, cuts, 4, expected);
        }
    }
    free(expected);
}

/* ---- what a range alone holds ---- */

/* The summary of one range alone. */
static smtpc_scanner *range_alone(const char *path, unsigned long long start,
                                  unsigned long long end)
{
    smtpc_scanner *s;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed_file_range(s, path, start, end, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    return s;
}

static void a_line_belongs_where_it_starts(void **state)
{
    (void)state;
    /* The file's first line is 173 bytes long with its CRLF: the second (empty) line starts
     * at 173. */
    smtpc_scanner *s = range_alone(made_path, 0, 1);
    assert_int_equal(smtpc_scanner_lines(s), 1); /* the first line, read past `end` */
    assert_int_equal(smtpc_scanner_replies(s), 1);
    smtpc_scanner_free(s);
    s = range_alone(made_path, 1, 173);
    assert_int_equal(smtpc_scanner_lines(s), 0); /* no line starts at 1..172 */
    smtpc_scanner_free(s);
    s = range_alone(made_path, 172, 174); /* cut between CR and LF, then one line start */
    assert_int_equal(smtpc_scanner_lines(s), 1);
    assert_int_equal(smtpc_scanner_replies(s), 0);
    smtpc_scanner_free(s);
    s = range_alone(made_path, 173, 173);
    assert_int_equal(smtpc_scanner_lines(s), 0); /* an empty range */
    smtpc_scanner_free(s);
}

static void ranges_past_the_end(void **state)
{
    (void)state;
    unsigned long long len = file_size(made_path);
    unsigned long long starts[] = {len - 1, len, len + 1, 1ULL << 62, ~0ULL};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        smtpc_scanner *s = range_alone(made_path, starts[i], ~0ULL);
        assert_int_equal(smtpc_scanner_lines(s), 0);
        assert_int_equal(smtpc_scanner_row_count(s), 0);
        smtpc_scanner_free(s);
    }
    /* the last line (40 bytes, no line end) is read to the end of the file by the range it
     * starts in, and by no other */
    smtpc_scanner *s = range_alone(made_path, len - 40, len - 39);
    assert_int_equal(smtpc_scanner_lines(s), 1);
    assert_int_equal(smtpc_scanner_replies(s), 1);
    smtpc_scanner_free(s);
    s = range_alone(made_path, len - 41, len - 40);
    assert_int_equal(smtpc_scanner_lines(s), 0);
    smtpc_scanner_free(s);
}

/* ---- refusals ---- */

static void refusals(void **state)
{
    (void)state;
    smtpc_scanner *s;
    smtpc_error err;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed_file_range(NULL, made_path, 0, 1, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_feed_file_range(s, NULL, 0, 1, &err), SMTPC_EINVAL);

    memset(&err, 0, sizeof err);
    assert_int_equal(smtpc_scanner_feed_file_range(s, made_path, 10, 9, &err), SMTPC_EINVAL);
    assert_string_equal(err.source, made_path);
    assert_string_equal(err.text, "the range's start (10) is after its end (9)");

    memset(&err, 0, sizeof err);
    assert_int_equal(smtpc_scanner_feed_file_range(s, "/nonexistent/smtpc.log", 0, 1, &err),
                     SMTPC_EIO);
    assert_int_equal(err.status, SMTPC_EIO);
    assert_string_equal(err.source, "/nonexistent/smtpc.log");
    assert_string_equal(err.text, "cannot open: no such file");

    /* a directory opens on some systems: refused all the same */
    memset(&err, 0, sizeof err);
    assert_int_equal(smtpc_scanner_feed_file_range(s, "/tmp", 0, 100, &err), SMTPC_EIO);
    assert_string_equal(err.source, "/tmp");
    assert_string_equal(err.text, "cannot read: is a directory");
    /* whatever the range: a directory's size says nothing of lines */
    unsigned long long dir_ranges[][2] = {{0, 0}, {5000, 6000}, {1ULL << 40, 1ULL << 41}};
    for (size_t i = 0; i < sizeof dir_ranges / sizeof dir_ranges[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(
            smtpc_scanner_feed_file_range(s, "/tmp", dir_ranges[i][0], dir_ranges[i][1], &err),
            SMTPC_EIO);
        assert_string_equal(err.text, "cannot read: is a directory");
    }

    /* nothing was fed by the refusals */
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    assert_int_equal(smtpc_scanner_lines(s), 0);
    smtpc_scanner_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shared_logs_cut_anywhere_in_two),
        cmocka_unit_test(shared_logs_cut_in_small_ranges),
        cmocka_unit_test(awkward_file_cut_anywhere_in_three),
        cmocka_unit_test(a_line_belongs_where_it_starts),
        cmocka_unit_test(ranges_past_the_end),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, make_awkward_file, remove_awkward_file);
}
