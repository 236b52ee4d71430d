/*
 * test_scan_state.c - resuming (smtpc_scanner_resume(), smtpc_scan_state_*): a log scanned
 * night after night as it grows, is renamed and compressed, counts each line once in all;
 * a line still being written waits for the next run; the saved state round trips and bad
 * states are refused with their line and column.
 */
#include "smtpcodes.h"
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Scans `len` bytes resuming from `state`, records how far it read, and returns the summary. */
static smtpc_scanner *nightly(smtpc_scan_state *state, const char *data, size_t len)
{
    smtpc_scanner *s;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_resume(s, state, NULL), 0);
    /* fed in pieces: the head is held back across feeds */
    for (size_t at = 0; at < len; at += 700)
        assert_int_equal(smtpc_scanner_feed(s, data + at, len - at < 700 ? len - at : 700, NULL),
                         0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    assert_int_equal(smtpc_scan_state_record(state, s, NULL), 0);
    return s;
}

static smtpc_scanner *plain(const char *data, size_t len)
{
    smtpc_scanner *s;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, data, len, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    return s;
}

static char *saved(const smtpc_scanner *s)
{
    char *out;
    assert_int_equal(smtpc_scanner_save(&out, NULL, s, NULL), 0);
    return out;
}

/* The offset just after the `n`th line end of `data`. */
static size_t after_line(const char *data, size_t len, int n)
{
    size_t at = 0;
    while (n-- > 0) {
        const char *nl = memchr(data + at, '\n', len - at);
        assert_non_null(nl);
        at = (size_t)(nl - data) + 1;
    }
    return at;
}

static void nights_of_a_growing_log(void **state)
{
    (void)state;
    size_t len;
    char *log = read_file(vector_path("logs/mta/postfix.log"), &len);
    assert_non_null(log);
    smtpc_scan_state *st;
    assert_int_equal(smtpc_scan_state_load(&st, NULL, 0, NULL), 0);
    /* night 1: 10 lines and half of the 11th, being written */
    size_t night1 = after_line(log, len, 10) + 20;
    smtpc_scanner *all = nightly(st, log, night1);
    assert_int_equal(smtpc_scanner_lines(all), 10); /* the half line waits */
    assert_int_equal(smtpc_scanner_skipped_bytes(all), 0);
    /* night 2: 25 lines; then the log is renamed and a new one begins, and night 3 reads the
     * rest of the old one and the new one */
    size_t night2 = after_line(log, len, 25);
    smtpc_scanner *s = nightly(st, log, night2);
    assert_int_equal(smtpc_scanner_skipped_bytes(s), after_line(log, len, 10));
    assert_int_equal(smtpc_scanner_lines(s), 15);
    assert_int_equal(smtpc_scanner_merge(all, s, NULL), 0);
    smtpc_scanner_free(s);
    size_t rotated = after_line(log, len, 30);
    s = nightly(st, log, rotated); /* mail.log.1: the old log, whole now */
    assert_int_equal(smtpc_scanner_lines(s), 5);
    assert_int_equal(smtpc_scanner_merge(all, s, NULL), 0);
    smtpc_scanner_free(s);
    s = nightly(st, log + rotated, len - rotated); /* mail.log: the new one, from its start */
    assert_int_equal(smtpc_scanner_skipped_bytes(s), 0);
    assert_int_equal(smtpc_scanner_merge(all, s, NULL), 0);
    smtpc_scanner_free(s);
    assert_int_equal(smtpc_scan_state_count(st), 2);
    /* night 4: nothing new in either */
    s = nightly(st, log, rotated);
    assert_int_equal(smtpc_scanner_lines(s), 0);
    smtpc_scanner_free(s);
    /* every line counted once: the nights add up to one scan of the whole */
    smtpc_scanner *whole = plain(log, len);
    char *a = saved(all);
    char *b = saved(whole);
    assert_string_equal(a, b);
    smtpc_free(a);
    smtpc_free(b);
    smtpc_scanner_free(whole);
    smtpc_scanner_free(all);
    smtpc_scan_state_free(st);
    free(log);
}

/* A log shorter than the head is known by what there is of it, and found again as it grows. */
static void a_short_log_grows(void **state)
{
    (void)state;
    static const char first[] = "Nov 24 08:00:01 mx x[1]: said: 550 5.1.1 no such user\n";
    static const char more[] = "Nov 24 08:00:02 mx x[1]: said: 451 4.7.1 try again\n";
    char log[sizeof first + sizeof more];
    snprintf(log, sizeof log, "%s%s", first, more);
    smtpc_scan_state *st;
    assert_int_equal(smtpc_scan_state_load(&st, NULL, 0, NULL), 0);
    smtpc_scanner *s = nightly(st, first, sizeof first - 1);
    assert_int_equal(smtpc_scanner_replies(s), 1);
    smtpc_scanner_free(s);
    s = nightly(st, log, strlen(log));
    assert_int_equal(smtpc_scanner_replies(s), 1);
    assert_int_equal(smtpc_scanner_row(s, 0)->code, 451);
    smtpc_scanner_free(s);
    assert_int_equal(smtpc_scan_state_count(st), 1); /* the same log, recorded once */
    /* another log is read whole */
    s = nightly(st, more, sizeof more - 1);
    assert_int_equal(smtpc_scanner_replies(s), 1);
    smtpc_scanner_free(s);
    assert_int_equal(smtpc_scan_state_count(st), 2);
    smtpc_scan_state_free(st);
}

static void saved_states(void **state)
{
    (void)state;
    smtpc_scan_state *st;
    assert_int_equal(smtpc_scan_state_load(&st, NULL, 0, NULL), 0);
    smtpc_scanner *s = nightly(st, "a: 250 ok\n", 10);
    smtpc_scanner_free(s);
    char *text;
    size_t len;
    assert_int_equal(smtpc_scan_state_save(&text, &len, st, NULL), 0);
    assert_memory_equal(text, "smtpcodes-state 1\ninput ", 24);
    smtpc_scan_state *back;
    assert_int_equal(smtpc_scan_state_load(&back, text, len, NULL), 0);
    char *again;
    assert_int_equal(smtpc_scan_state_save(&again, NULL, back, NULL), 0);
    assert_string_equal(text, again);
    smtpc_free(text);
    smtpc_free(again);
    smtpc_scan_state_free(back);
    smtpc_scan_state_free(st);
    static const struct {
        const char *text;
        unsigned long line;
    } bad[] = {
        {"nothing\n", 1},
        {"smtpcodes-state 2\nend 0\n", 1},
        {"smtpcodes-state 1\n", 2},
        {"smtpcodes-state 1\nend 0", 2},
        {"smtpcodes-state 1\nend 1\n", 2},
        {"smtpcodes-state 1\nend 0\nx\n", 3},
        {"smtpcodes-state 1\ninput 9f3a0c11d2e4b677 10 20\nend 1\n", 2},
        {"smtpcodes-state 1\ninput 9F3A0C11D2E4B677 0 20\nend 1\n", 2},
        {"smtpcodes-state 1\ninput 9F3A0C11D2E4B677 1025 20\nend 1\n", 2},
        {"smtpcodes-state 1\ninput 9F3A0C11D2E4B677 10\nend 1\n", 2},
        {"smtpcodes-state 1\ninput 9F3A0C11D2E4B677 10 20 x\nend 1\n", 2},
        {"smtpcodes-state 1\ninput 9F3A0C11D2E4B67 10 20\nend 1\n", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        smtpc_error err;
        smtpc_scan_state *none = (smtpc_scan_state *)1;
        int rc = smtpc_scan_state_load(&none, bad[i].text, strlen(bad[i].text), &err);
        if (rc != SMTPC_EDATA || err.line != bad[i].line || none != NULL)
            fail_msg("%zu: %d, line %lu: %s", i, rc, (unsigned long)err.line, err.text);
    }
    /* refusals */
    assert_int_equal(smtpc_scan_state_load(NULL, "", 0, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_scan_state_load(&st, NULL, 0, NULL), 0);
    smtpc_scanner *open;
    assert_int_equal(smtpc_scanner_new(&open, NULL, NULL), 0);
    assert_int_equal(smtpc_scan_state_record(st, open, NULL), SMTPC_EINVAL); /* not finished */
    assert_int_equal(smtpc_scanner_resume(open, NULL, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_feed(open, "x\n", 2, NULL), 0);
    assert_int_equal(smtpc_scanner_resume(open, st, NULL), SMTPC_EINVAL); /* already fed */
    smtpc_scanner_free(open);
    smtpc_scan_state_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nights_of_a_growing_log),
        cmocka_unit_test(a_short_log_grows),
        cmocka_unit_test(saved_states),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
