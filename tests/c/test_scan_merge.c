/*
 * test_scan_merge.c - scan summaries that combine: the sample rule (the same rows whatever the
 * order of the lines), smtpc_scanner_merge() on the shared logs (tests/vectors/logs/) cut at
 * every line end and merged in every order, and the saved form (smtpc_scanner_save(),
 * smtpc_scanner_load()) with tests/vectors/scan-saved.tsv.
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

static const char *const logs[] = {"relay-postfix.log", "relay-exim.log", "relay-bounces.mbox"};
enum { N_LOGS = sizeof logs / sizeof logs[0] };

static char *read_log(const char *name, size_t *len)
{
    char relative[256];
    snprintf(relative, sizeof relative, "logs/%s", name);
    char *data = read_file(vector_path(relative), len);
    if (data == NULL)
        fail_msg("cannot read %s", vector_path(relative));
    return data;
}

/* A finished scanner over the built-in database, fed `len` bytes in one call. */
static smtpc_scanner *scan(const char *data, size_t len)
{
    smtpc_scanner *s;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(s, data, len, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    return s;
}

/* The saved form, as a malloc'd string. */
static char *saved(const smtpc_scanner *s)
{
    char *out;
    size_t len;
    smtpc_error err;
    if (smtpc_scanner_save(&out, &len, s, &err) != 0)
        fail_msg("save: %s", err.text);
    assert_int_equal(strlen(out), len);
    return out;
}

/* Every field of every row and every count, entries included, is the same. */
static void assert_same_summary(const smtpc_scanner *a, const smtpc_scanner *b)
{
    assert_int_equal(smtpc_scanner_lines(a), smtpc_scanner_lines(b));
    assert_int_equal(smtpc_scanner_replies(a), smtpc_scanner_replies(b));
    assert_int_equal(smtpc_scanner_skipped(a), smtpc_scanner_skipped(b));
    assert_int_equal(smtpc_scanner_row_count(a), smtpc_scanner_row_count(b));
    for (size_t i = 0; i < smtpc_scanner_row_count(a); i++) {
        const smtpc_scan_row *x = smtpc_scanner_row(a, i);
        const smtpc_scan_row *y = smtpc_scanner_row(b, i);
        assert_int_equal(x->code, y->code);
        assert_string_equal(x->enhanced, y->enhanced);
        assert_int_equal(x->count, y->count);
        assert_int_equal(x->sample_len, y->sample_len);
        assert_memory_equal(x->sample, y->sample, x->sample_len);
        assert_ptr_equal(x->entry, y->entry);
        assert_ptr_equal(x->enhanced_entry, y->enhanced_entry);
        assert_int_equal(x->action, y->action);
        assert_string_equal(x->reason, y->reason);
    }
    char *sa = saved(a);
    char *sb = saved(b);
    assert_string_equal(sa, sb);
    free(sa);
    free(sb);
}

/* ---- the rows of each log (tests/vectors/scan-rows.tsv) ---- */

struct rows_check {
    char log[VECTOR_MAX_CELL]; /* the log of the rows read so far, or "" */
    smtpc_scanner *s;
    size_t next; /* the row the vectors name next */
};

static void check_row(const struct vector_row *v, void *ctx)
{
    struct rows_check *c = ctx;
    if (strcmp(c->log, v->cells[0]) != 0) {
        if (c->s != NULL)
            assert_int_equal(c->next, smtpc_scanner_row_count(c->s));
        smtpc_scanner_free(c->s);
        size_t len;
        char *data = read_log(v->cells[0], &len);
        c->s = scan(data, len);
        free(data);
        snprintf(c->log, sizeof c->log, "%s", v->cells[0]);
        c->next = 0;
    }
    if (strcmp(v->cells[1], "lines") == 0) {
        assert_int_equal(smtpc_scanner_lines(c->s), strtoull(v->cells[3], NULL, 10));
        return;
    }
    const smtpc_scan_row *row = smtpc_scanner_row(c->s, c->next++);
    if (row == NULL)
        fail_msg("line %lu: %s has fewer rows", v->line, v->cells[0]);
    assert_int_equal(row->code, atoi(v->cells[1]));
    assert_string_equal(row->enhanced, strcmp(v->cells[2], "-") == 0 ? "" : v->cells[2]);
    assert_int_equal(row->count, strtoull(v->cells[3], NULL, 10));
    assert_string_equal(smtpc_enum_name(SMTPC_ENUM_ACTION, row->action), v->cells[4]);
    assert_string_equal(row->reason, strcmp(v->cells[5], "-") == 0 ? "" : v->cells[5]);
    assert_int_equal(row->sample_len, v->len[6]);
    assert_memory_equal(row->sample, v->cells[6], v->len[6]);
}

static void rows_of_the_logs(void **state)
{
    (void)state;
    struct rows_check c = {"", NULL, 0};
    char columns[] = "log\tcode\tenhanced\tcount\taction\treason\tsample";
    assert_true(vector_each("scan-rows.tsv", columns, check_row, &c) > N_LOGS);
    assert_int_equal(c.next, smtpc_scanner_row_count(c.s));
    smtpc_scanner_free(c.s);
}

/* ---- the sample rule ---- */

/* Lines that share a pair, in every order (all 120 of five lines): the same summary. Two of
 * them have the same first 400 bytes and differ after them, in a reason. */
static void samples_do_not_depend_on_the_order(void **state)
{
    (void)state;
    char pad[420];
    memset(pad, 'y', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    char lines[5][700];
    snprintf(lines[0], sizeof lines[0], "Nov 23 10:00:05 mx: said: 550 5.1.1 <a@x>: no such user\n");
    snprintf(lines[1], sizeof lines[1], "Nov 23 10:00:02 mx: said: 550 5.1.1 <b@x>: unknown\n");
    snprintf(lines[2], sizeof lines[2], "Nov 23 10:00:02 mx: said: 550 5.1.1 %s RecipNotFound\n",
             pad);
    snprintf(lines[3], sizeof lines[3], "Nov 23 10:00:02 mx: said: 550 5.1.1 %s mailbox full\n",
             pad);
    snprintf(lines[4], sizeof lines[4], "Nov 23 10:00:09 mx: said: 250 2.0.0 ok\n");
    smtpc_scanner *first = NULL;
    int order[5] = {0, 1, 2, 3, 4};
    for (int n = 0; n < 120; n++) {
        /* the n-th permutation, by the factorial number system */
        int left[5] = {0, 1, 2, 3, 4};
        int k = n;
        for (int i = 0, size = 5; i < 5; i++, size--) {
            int fact = 1;
            for (int f = 2; f < size; f++)
                fact *= f;
            int pick = k / fact;
            k %= fact;
            order[i] = left[pick];
            memmove(left + pick, left + pick + 1, (size_t)(size - pick - 1) * sizeof *left);
        }
        smtpc_scanner *s;
        assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
        for (int i = 0; i < 5; i++)
            assert_int_equal(smtpc_scanner_feed(s, lines[order[i]], strlen(lines[order[i]]),
                                                NULL),
                             0);
        assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
        if (first == NULL)
            first = s;
        else {
            assert_same_summary(first, s);
            smtpc_scanner_free(s);
        }
    }
    /* byte order: "10:00:02 ... <b@x>" comes first ('<' before 'y'); the two long lines tie
     * on their kept bytes and the reason decides between them */
    const smtpc_scan_row *row = smtpc_scanner_row(first, 1);
    assert_int_equal(row->code, 550);
    assert_int_equal(row->count, 4);
    assert_non_null(strstr(row->sample, "<b@x>"));
    assert_string_equal(row->reason, "userunknown");
    smtpc_scanner *tie = scan(lines[2], strlen(lines[2]));
    assert_int_equal(smtpc_scanner_feed(tie, lines[3], strlen(lines[3]), NULL), 0);
    assert_int_equal(smtpc_scanner_finish(tie, NULL), 0);
    assert_int_equal(smtpc_scanner_row(tie, 0)->sample_len, SMTPC_SCAN_SAMPLE_MAX);
    assert_string_equal(smtpc_scanner_row(tie, 0)->reason, "mailboxfull");
    smtpc_scanner_free(tie);
    smtpc_scanner_free(first);
}

/* ---- merging ---- */

static smtpc_scanner *merged(smtpc_scanner *a, const smtpc_scanner *b)
{
    smtpc_error err;
    if (smtpc_scanner_merge(a, b, &err) != 0)
        fail_msg("merge: %s", err.text);
    return a;
}

/* Each log cut at every line end, and in the middle of each line: the parts' summaries
 * merged either way round are the whole log's. */
static void a_log_cut_anywhere_merges_back(void **state)
{
    (void)state;
    /* Logs are read line by line; an mbox is read message by message, and a part that starts
     * inside a message is not one (docs/logs.md, "Parts"). */
    for (size_t l = 0; l < N_LOGS; l++) {
        if (strstr(logs[l], ".mbox") != NULL)
            continue;
        size_t len;
        char *data = read_log(logs[l], &len);
        smtpc_scanner *whole = scan(data, len);
        size_t cuts = 0;
        for (size_t at = 0; at <= len; at++) {
            if (at > 0 && at < len && data[at - 1] != '\n')
                continue;
            smtpc_scanner *a = scan(data, at);
            smtpc_scanner *b = scan(data + at, len - at);
            smtpc_scanner *b_then_a = scan(data + at, len - at);
            assert_same_summary(whole, merged(b_then_a, a));
            assert_same_summary(whole, merged(a, b));
            smtpc_scanner_free(a);
            smtpc_scanner_free(b);
            smtpc_scanner_free(b_then_a);
            cuts++;
        }
        assert_true(cuts > 10);
        smtpc_scanner_free(whole);
        free(data);
    }
}

/* The three logs merged in every order and grouping: the scan of all three, one after
 * another (each ends with a line end). */
static void logs_merge_in_any_order(void **state)
{
    (void)state;
    char *data[N_LOGS];
    size_t len[N_LOGS];
    smtpc_scanner *all;
    assert_int_equal(smtpc_scanner_new(&all, NULL, NULL), 0);
    for (size_t l = 0; l < N_LOGS; l++) {
        data[l] = read_log(logs[l], &len[l]);
        assert_int_equal(data[l][len[l] - 1], '\n');
        assert_int_equal(smtpc_scanner_feed(all, data[l], len[l], NULL), 0);
    }
    assert_int_equal(smtpc_scanner_finish(all, NULL), 0);
    static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                     {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (int o = 0; o < 6; o++) {
        const int *x = orders[o];
        /* (x0 + x1) + x2 */
        smtpc_scanner *left = scan(data[x[0]], len[x[0]]);
        smtpc_scanner *p1 = scan(data[x[1]], len[x[1]]);
        smtpc_scanner *p2 = scan(data[x[2]], len[x[2]]);
        merged(merged(left, p1), p2);
        assert_same_summary(all, left);
        /* x0 + (x1 + x2) */
        smtpc_scanner *right = scan(data[x[0]], len[x[0]]);
        smtpc_scanner *inner = scan(data[x[1]], len[x[1]]);
        merged(right, merged(inner, p2));
        assert_same_summary(all, right);
        /* into an empty summary */
        smtpc_scanner *empty;
        assert_int_equal(smtpc_scanner_new(&empty, NULL, NULL), 0);
        smtpc_scanner *first = scan(data[x[0]], len[x[0]]);
        assert_same_summary(all, merged(merged(empty, inner), first));
        smtpc_scanner_free(first);
        smtpc_scanner_free(empty);
        smtpc_scanner_free(left);
        smtpc_scanner_free(p1);
        smtpc_scanner_free(p2);
        smtpc_scanner_free(right);
        smtpc_scanner_free(inner);
    }
    for (size_t l = 0; l < N_LOGS; l++)
        free(data[l]);
    smtpc_scanner_free(all);
}

/* Merging into a scanner that holds half a line, which it finishes afterwards; merging from
 * one that holds half a line is refused and changes nothing. */
static void merge_before_finish(void **state)
{
    (void)state;
    size_t len;
    char *data = read_log("relay-postfix.log", &len);
    smtpc_scanner *whole = scan(data, len);
    size_t half = len / 2; /* inside a line */
    assert_true(data[half - 1] != '\n');
    const char *next_line = strchr(data + half, '\n') + 1;
    size_t tail = (size_t)(data + len - next_line);

    smtpc_scanner *into;
    assert_int_equal(smtpc_scanner_new(&into, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(into, data, half, NULL), 0);
    smtpc_scanner *rest = scan(next_line, tail);
    merged(into, rest);
    assert_int_equal(smtpc_scanner_feed(into, data + half, (size_t)(next_line - data) - half,
                                        NULL),
                     0);
    assert_int_equal(smtpc_scanner_finish(into, NULL), 0);
    assert_same_summary(whole, into);

    smtpc_scanner *holding;
    assert_int_equal(smtpc_scanner_new(&holding, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(holding, data, half, NULL), 0);
    char *before = saved(rest);
    smtpc_error err;
    assert_int_equal(smtpc_scanner_merge(rest, holding, &err), SMTPC_EINVAL);
    assert_non_null(strstr(err.text, "finish"));
    char *after = saved(rest);
    assert_string_equal(before, after);
    char *out = (char *)1;
    assert_int_equal(smtpc_scanner_save(&out, NULL, holding, &err), SMTPC_EINVAL);
    assert_null(out);
    /* once finished, it merges */
    assert_int_equal(smtpc_scanner_finish(holding, NULL), 0);
    assert_int_equal(smtpc_scanner_merge(rest, holding, NULL), 0);
    free(before);
    free(after);
    smtpc_scanner_free(holding);
    smtpc_scanner_free(rest);
    smtpc_scanner_free(into);
    smtpc_scanner_free(whole);
    free(data);
}

static void merge_refusals(void **state)
{
    (void)state;
    size_t len;
    char *data = read_log("relay-exim.log", &len);
    smtpc_scanner *s = scan(data, len);
    smtpc_error err;
    assert_int_equal(smtpc_scanner_merge(NULL, s, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_merge(s, NULL, &err), SMTPC_EINVAL);
    /* a summary of another database: refused, and `into` unchanged */
    smtpc_db *db;
    assert_int_equal(smtpc_db_load(&db, vector_path("data/valid/override-421.txt"),
                                   SMTPC_LOAD_OVERLAY, &err),
                     0);
    smtpc_scanner *other;
    assert_int_equal(smtpc_scanner_new(&other, db, NULL), 0);
    assert_int_equal(smtpc_scanner_feed(other, data, len, NULL), 0);
    char *before = saved(s);
    assert_int_equal(smtpc_scanner_merge(s, other, &err), SMTPC_EINVAL);
    assert_int_equal(err.status, SMTPC_EINVAL);
    assert_non_null(strstr(err.text, "different databases"));
    char *after = saved(s);
    assert_string_equal(before, after);
    /* ...but its saved form loads into this one */
    char *text = saved(other);
    smtpc_scanner *moved;
    assert_int_equal(smtpc_scanner_load(&moved, NULL, text, strlen(text), NULL), 0);
    assert_same_summary(s, moved);
    free(text);
    free(before);
    free(after);
    smtpc_scanner_free(moved);
    smtpc_scanner_free(other);
    smtpc_db_free(db);
    smtpc_scanner_free(s);
    free(data);
}

/* A summary merged with itself counts everything twice and keeps its samples. */
static void merge_with_itself(void **state)
{
    (void)state;
    size_t len;
    char *data = read_log("relay-bounces.mbox", &len);
    char *twice = malloc(2 * len);
    assert_non_null(twice);
    memcpy(twice, data, len);
    memcpy(twice + len, data, len);
    smtpc_scanner *s = scan(data, len);
    smtpc_scanner *doubled = scan(twice, 2 * len);
    assert_int_equal(smtpc_scanner_merge(s, s, NULL), 0);
    assert_same_summary(doubled, s);
    smtpc_scanner_free(s);
    smtpc_scanner_free(doubled);
    free(twice);
    free(data);
}

/* A scanner fed after a merge goes on counting into the merged rows. */
static void feed_after_merge(void **state)
{
    (void)state;
    size_t len;
    char *data = read_log("relay-postfix.log", &len);
    smtpc_scanner *whole = scan(data, len);
    /* [0, first) merged in, [first, second) fed afterwards, [second, len) scanned first */
    size_t first = (size_t)(strchr(data + len / 3, '\n') + 1 - data);
    size_t second = (size_t)(strchr(data + 2 * len / 3, '\n') + 1 - data);
    smtpc_scanner *s = scan(data + second, len - second);
    smtpc_scanner *a = scan(data, first);
    merged(s, a);
    assert_int_equal(smtpc_scanner_feed(s, data + first, second - first, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    assert_same_summary(whole, s);
    smtpc_scanner_free(a);
    smtpc_scanner_free(s);
    smtpc_scanner_free(whole);
    free(data);
}

/* ---- the saved form ---- */

static void saved_round_trips(void **state)
{
    (void)state;
    for (size_t l = 0; l < N_LOGS; l++) {
        size_t len;
        char *data = read_log(logs[l], &len);
        smtpc_scanner *s = scan(data, len);
        char *text = saved(s);
        assert_memory_equal(text, "smtpcodes-scan 2\nlines ", 23);
        for (const char *c = text; *c != '\0'; c++)
            assert_true((*c >= 0x20 && *c < 0x7F) || *c == '\n');
        smtpc_scanner *back;
        smtpc_error err;
        if (smtpc_scanner_load(&back, NULL, text, strlen(text), &err) != 0)
            fail_msg("%s: line %lu, column %lu: %s", logs[l], err.line, err.column, err.text);
        assert_same_summary(s, back);
        /* a loaded summary is a finished scan: it takes more lines and merges */
        assert_int_equal(smtpc_scanner_feed(back, data, len, NULL), 0);
        assert_int_equal(smtpc_scanner_finish(back, NULL), 0);
        assert_int_equal(smtpc_scanner_merge(s, s, NULL), 0);
        assert_same_summary(s, back);
        /* the rows of a scanner not finished are in order of first appearance; the saved
         * form is the same as after finishing. An mbox's last message is read when the scan
         * finishes: until then the scanner holds it, and cannot be saved. */
        smtpc_scanner *open;
        assert_int_equal(smtpc_scanner_new(&open, NULL, NULL), 0);
        assert_int_equal(smtpc_scanner_feed(open, data, len, NULL), 0);
        if (strstr(logs[l], ".mbox") != NULL) {
            char *out;
            assert_int_equal(smtpc_scanner_save(&out, NULL, open, NULL), SMTPC_EINVAL);
            assert_int_equal(smtpc_scanner_finish(open, NULL), 0);
        }
        char *unfinished = saved(open);
        smtpc_scanner *once = scan(data, len);
        char *finished = saved(once);
        assert_string_equal(unfinished, finished);
        free(unfinished);
        free(finished);
        smtpc_scanner_free(once);
        smtpc_scanner_free(open);
        smtpc_scanner_free(back);
        smtpc_scanner_free(s);
        free(text);
        free(data);
    }
    smtpc_scanner *empty;
    assert_int_equal(smtpc_scanner_new(&empty, NULL, NULL), 0);
    char *text = saved(empty);
    assert_string_equal(text, "smtpcodes-scan 2\nlines 0\nreplies 0\nskipped 0\nattempts 0\n"
                              "outcomes 0 0 0 0\nby -\nbucket 3600\nend 0 0\n");
    free(text);
    smtpc_scanner_free(empty);
    /* version 1, the counts and rows alone, is still read */
    static const char v1[] = "smtpcodes-scan 1\nlines 2\nreplies 1\nskipped 0\n"
                             "row 550 5.1.1 1 give-up userunknown said: 550 5.1.1 no\nend 1\n";
    smtpc_scanner *old;
    assert_int_equal(smtpc_scanner_load(&old, NULL, v1, sizeof v1 - 1, NULL), 0);
    assert_int_equal(smtpc_scanner_lines(old), 2);
    assert_int_equal(smtpc_scanner_row(old, 0)->count, 1);
    assert_int_equal(smtpc_scanner_attempts(old), 0);
    smtpc_scanner_free(old);
}

static void check_saved(const struct vector_row *v, void *ctx)
{
    int *checked = ctx;
    smtpc_scanner *s = (smtpc_scanner *)1;
    smtpc_error err;
    memset(&err, 0, sizeof err);
    int rc = smtpc_scanner_load(&s, NULL, v->cells[1], v->len[1], &err);
    if (strcmp(v->cells[2], "ok") == 0) {
        if (rc != 0)
            fail_msg("line %lu (%s): %s", v->line, v->cells[0], err.text);
        char *again = saved(s);
        assert_int_equal(strlen(again), v->len[1]);
        assert_memory_equal(again, v->cells[1], v->len[1]);
        free(again);
        smtpc_scanner_free(s);
    } else {
        if (rc != SMTPC_EDATA)
            fail_msg("line %lu (%s): status %d, expected SMTPC_EDATA", v->line, v->cells[0], rc);
        assert_null(s);
        assert_int_equal(err.status, SMTPC_EDATA);
        assert_int_equal(err.line, strtoul(v->cells[3], NULL, 10));
        assert_int_equal(err.column, strtoul(v->cells[4], NULL, 10));
        assert_string_equal(err.text, v->cells[5]);
    }
    (*checked)++;
}

static void saved_vectors(void **state)
{
    (void)state;
    int checked = 0;
    int rows = vector_each("scan-saved.tsv", "name\tinput\tstatus\terror_line\terror_column\tmessage",
                           check_saved, &checked);
    assert_int_equal(rows, checked);
    assert_true(checked > 30);
}

/* A saved form is read against the database it is loaded into: a reason that a database of
 * its own does not have is refused, "undefined" always read. */
static void saved_forms_and_databases(void **state)
{
    (void)state;
    static const char data[] =
        "Code: 550\nName: Mailbox Unavailable\nSlug: mailbox-unavailable\nClass: 5\n"
        "Origin: rfc\nDescription: The test passes.\nWhen: A test runs.\nFix: Nothing.\n"
        "Reference: RFC 5321 section 4.2.2\nRetry: no\nConnection: kept\nCommands: RCPT\n"
        "Enhanced: none\nReason: RCPT gone\n\n"
        "Reason: gone\nHard: yes\nDescription: Gone for good.\n\n"
        "Language: en\nLanguage-Name: English\nDescription-Label: D\nWhen-Label: W\n"
        "Fix-Label: F\nDifferences-Label: K\nUsage-Label: U\nLearn-More-Label: L\n";
    smtpc_db *alone;
    smtpc_error err;
    if (smtpc_db_load_buffer(&alone, data, strlen(data), NULL, SMTPC_LOAD_ALONE, &err) != 0)
        fail_msg("%lu:%lu: %s", err.line, err.column, err.text);
    static const char userunknown[] = "smtpcodes-scan 1\nlines 1\nreplies 1\nskipped 0\n"
                                      "row 550 5.1.1 1 give-up userunknown x\nend 1\n";
    static const char undefined[] = "smtpcodes-scan 1\nlines 2\nreplies 2\nskipped 0\n"
                                    "row 550 - 1 give-up gone x\n"
                                    "row 550 5.1.1 1 give-up undefined y\nend 2\n";
    smtpc_scanner *s = (smtpc_scanner *)1;
    assert_int_equal(smtpc_scanner_load(&s, alone, userunknown, strlen(userunknown), &err),
                     SMTPC_EDATA);
    assert_null(s);
    assert_int_equal(err.line, 5);
    assert_int_equal(smtpc_scanner_load(&s, alone, undefined, strlen(undefined), &err), 0);
    const smtpc_scan_row *row = smtpc_scanner_row(s, 0);
    const smtpc_entry *e;
    assert_int_equal(smtpc_lookup_number(&e, alone, 550, NULL), 0);
    assert_ptr_equal(row->entry, e); /* the entries and reasons are this database's */
    assert_string_equal(row->reason, "gone");
    assert_string_equal(smtpc_scanner_row(s, 1)->reason, "undefined");
    assert_null(smtpc_scanner_row(s, 1)->enhanced_entry);
    smtpc_scanner_free(s);
    smtpc_db_free(alone);
    assert_int_equal(smtpc_scanner_load(NULL, NULL, "", 0, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_load(&s, NULL, NULL, 1, &err), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_save(NULL, NULL, NULL, &err), SMTPC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_of_the_logs),
        cmocka_unit_test(samples_do_not_depend_on_the_order),
        cmocka_unit_test(a_log_cut_anywhere_merges_back),
        cmocka_unit_test(logs_merge_in_any_order),
        cmocka_unit_test(merge_before_finish),
        cmocka_unit_test(merge_refusals),
        cmocka_unit_test(merge_with_itself),
        cmocka_unit_test(feed_after_merge),
        cmocka_unit_test(saved_round_trips),
        cmocka_unit_test(saved_vectors),
        cmocka_unit_test(saved_forms_and_databases),
    };
    return cmocka_run_group_tests_name("scan_merge", tests, NULL, NULL);
}
