/*
 * test_scan_groups.c - delivery attempts and their groups: every group of every MTA log against
 * tests/vectors/scan-groups.tsv, the same groups whatever the parts a log is cut into and the
 * order they merge in, the settings and their refusals, the sender's domain through the queue
 * ID (and forgotten when the message is removed), and the rendering of the groups.
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

/* A finished scanner over `len` bytes, grouped by `by`, syslog years read as 2024. */
static smtpc_scanner *scan_by(const char *data, size_t len, const char *by)
{
    smtpc_scanner *s;
    smtpc_error err;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    assert_int_equal(smtpc_scanner_set_year(s, 2024, NULL), 0);
    if (smtpc_scanner_group_by(s, by, &err) != 0)
        fail_msg("group by %s: %s", by, err.text);
    assert_int_equal(smtpc_scanner_feed(s, data, len, NULL), 0);
    assert_int_equal(smtpc_scanner_finish(s, NULL), 0);
    return s;
}

static char *read_log(const char *name, size_t *len)
{
    char relative[256];
    snprintf(relative, sizeof relative, "logs/%s", name);
    char *data = read_file(vector_path(relative), len);
    if (data == NULL)
        fail_msg("cannot read %s", vector_path(relative));
    return data;
}

/* ---- the groups of each log (scan-groups.tsv) ---- */

struct groups_check {
    char key[2 * VECTOR_MAX_CELL]; /* the log and axes being checked */
    smtpc_scanner *s;
    size_t next;
    size_t checked;
};

static void finish_log(struct groups_check *c)
{
    if (c->s != NULL)
        assert_int_equal(c->next, smtpc_scanner_group_count(c->s));
    smtpc_scanner_free(c->s);
    c->s = NULL;
}

/* The values of a group joined by ",", as the vectors write them. */
static void joined_values(char *out, size_t size, const smtpc_scanner *s, const smtpc_scan_group *g)
{
    out[0] = '\0';
    for (size_t a = 0; a < smtpc_scanner_axis_count(s); a++) {
        strncat(out, a > 0 ? "," : "", size - strlen(out) - 1);
        strncat(out, g->values[a], size - strlen(out) - 1);
    }
}

static void check_group(const struct vector_row *v, void *ctx)
{
    struct groups_check *c = ctx;
    char key[sizeof c->key];
    snprintf(key, sizeof key, "%s\t%s", v->cells[0], v->cells[1]);
    if (strcmp(key, c->key) != 0) {
        finish_log(c);
        size_t len;
        char *data = read_log(v->cells[0], &len);
        c->s = scan_by(data, len, v->cells[1]);
        free(data);
        snprintf(c->key, sizeof c->key, "%s", key);
        c->next = 0;
    }
    unsigned long long want[5];
    for (int i = 0; i < 5; i++)
        want[i] = strtoull(v->cells[3 + i], NULL, 10);
    if (strcmp(v->cells[2], "*") == 0) {
        assert_int_equal(smtpc_scanner_attempts(c->s), want[0]);
        for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++)
            assert_int_equal(smtpc_scanner_outcome(c->s, o), want[1 + o]);
        return;
    }
    const smtpc_scan_group *g = smtpc_scanner_group(c->s, c->next++);
    if (g == NULL)
        fail_msg("line %lu: %s has fewer groups", v->line, key);
    char values[1024];
    joined_values(values, sizeof values, c->s, g);
    if (strcmp(values, v->cells[2]) != 0)
        fail_msg("line %lu: group %zu is \"%s\", not \"%s\"", v->line, c->next, values,
                 v->cells[2]);
    assert_int_equal(g->count, want[0]);
    unsigned long long sum = 0;
    for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++) {
        assert_int_equal(g->outcomes[o], want[1 + o]);
        sum += g->outcomes[o];
    }
    assert_int_equal(sum, g->count);
    assert_true(g->sample_len > 0 && g->sample_len <= SMTPC_SCAN_SAMPLE_MAX);
    c->checked++;
}

static void groups_of_the_logs(void **state)
{
    (void)state;
    struct groups_check c;
    memset(&c, 0, sizeof c);
    char columns[] = "log\tby\tvalues\tcount\tdelivered\tdeferred\tbounced\trejected";
    assert_true(vector_each("scan-groups.tsv", columns, check_group, &c) > 100);
    finish_log(&c);
    assert_true(c.checked > 80);
}

/* ---- parts and merging ---- */

static void saved_equal(const smtpc_scanner *a, const smtpc_scanner *b)
{
    char *sa, *sb;
    assert_int_equal(smtpc_scanner_save(&sa, NULL, a, NULL), 0);
    assert_int_equal(smtpc_scanner_save(&sb, NULL, b, NULL), 0);
    assert_string_equal(sa, sb);
    smtpc_free(sa);
    smtpc_free(sb);
}

/* Each log cut at every line end, the parts merged both ways: the groups of the whole log.
 * (The sender's domain is left out: a part that starts after a message's sender line does not
 * know it, as docs/logs.md says.) */
static void a_log_cut_anywhere_gives_its_groups(void **state)
{
    (void)state;
    static const char *const logs[] = {"mta/postfix.log", "mta/exim.log", "mta/sendmail.log",
                                       "mta/opensmtpd.log", "mta/dovecot.log"};
    static const char by[] = "domain,relay,reason,time";
    for (size_t l = 0; l < sizeof logs / sizeof logs[0]; l++) {
        size_t len;
        char *data = read_log(logs[l], &len);
        smtpc_scanner *whole = scan_by(data, len, by);
        assert_true(smtpc_scanner_group_count(whole) > 3);
        for (size_t at = 0; at <= len; at++) {
            if (at > 0 && at < len && data[at - 1] != '\n')
                continue;
            smtpc_scanner *a = scan_by(data, at, by);
            smtpc_scanner *b = scan_by(data + at, len - at, by);
            smtpc_scanner *into;
            assert_int_equal(smtpc_scanner_new_like(&into, whole, NULL), 0);
            assert_int_equal(smtpc_scanner_merge(into, b, NULL), 0);
            assert_int_equal(smtpc_scanner_merge(into, a, NULL), 0);
            saved_equal(whole, into);
            assert_int_equal(smtpc_scanner_merge(a, b, NULL), 0);
            saved_equal(whole, a);
            smtpc_scanner_free(into);
            smtpc_scanner_free(a);
            smtpc_scanner_free(b);
        }
        smtpc_scanner_free(whole);
        free(data);
    }
}

/* Summaries grouped differently do not add up; nothing changes when they are refused. */
static void different_groups_do_not_merge(void **state)
{
    (void)state;
    size_t len;
    char *data = read_log("mta/postfix.log", &len);
    smtpc_scanner *by_domain = scan_by(data, len, "domain");
    smtpc_scanner *by_reason = scan_by(data, len, "reason");
    smtpc_scanner *plain = scan_by(data, len, "");
    char *before;
    assert_int_equal(smtpc_scanner_save(&before, NULL, by_domain, NULL), 0);
    smtpc_error err;
    assert_int_equal(smtpc_scanner_merge(by_domain, by_reason, &err), SMTPC_EINVAL);
    assert_non_null(strstr(err.text, "group their attempts differently"));
    assert_int_equal(smtpc_scanner_merge(by_domain, plain, NULL), SMTPC_EINVAL);
    char *after;
    assert_int_equal(smtpc_scanner_save(&after, NULL, by_domain, NULL), 0);
    assert_string_equal(before, after);
    smtpc_free(before);
    smtpc_free(after);
    /* merged with itself: every count doubles */
    unsigned long long attempts = smtpc_scanner_attempts(by_domain);
    unsigned long long first = smtpc_scanner_group(by_domain, 0)->count;
    assert_int_equal(smtpc_scanner_merge(by_domain, by_domain, NULL), 0);
    assert_int_equal(smtpc_scanner_attempts(by_domain), 2 * attempts);
    assert_int_equal(smtpc_scanner_group(by_domain, 0)->count, 2 * first);
    smtpc_scanner_free(by_domain);
    smtpc_scanner_free(by_reason);
    smtpc_scanner_free(plain);
    free(data);
}

/* ---- settings ---- */

static void settings_and_their_refusals(void **state)
{
    (void)state;
    smtpc_scanner *s;
    smtpc_error err;
    assert_int_equal(smtpc_scanner_new(&s, NULL, NULL), 0);
    static const struct {
        const char *axes;
        size_t column;
        const char *says;
    } bad[] = {
        {"colour", 1, "is no axis"},         {"domain,colour", 8, "is no axis"},
        {"domain,domain", 8, "named twice"}, {"domain,", 7, "missing"},
        {",domain", 1, "is no axis"},        {"domain,relay,reason,time,code", 26, "more than 4"},
        {"Domain", 1, "is no axis"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(smtpc_scanner_group_by(s, bad[i].axes, &err), SMTPC_EINVAL);
        if (strstr(err.text, bad[i].says) == NULL || err.column != bad[i].column)
            fail_msg("%s: column %lu, %s", bad[i].axes, (unsigned long)err.column, err.text);
        assert_int_equal(smtpc_scanner_axis_count(s), 0); /* nothing half-set */
    }
    assert_int_equal(smtpc_scanner_group_by(s, "domain,reason,time,mta", NULL), 0);
    assert_int_equal(smtpc_scanner_axis_count(s), 4);
    assert_int_equal(smtpc_scanner_axis(s, 2), SMTPC_SCAN_BY_TIME);
    assert_int_equal(smtpc_scanner_axis(s, 4), -1);
    assert_int_equal(smtpc_scanner_set_bucket(s, 59, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_set_bucket(s, 31 * 86400LL + 1, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_set_bucket(s, 900, NULL), 0);
    assert_int_equal(smtpc_scanner_bucket(s), 900);
    assert_int_equal(smtpc_scanner_set_year(s, 1969, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_set_year(s, 10000, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_set_year(s, 2023, NULL), 0);
    /* once fed, the settings stay */
    assert_int_equal(smtpc_scanner_feed(s, "x\n", 2, NULL), 0);
    assert_int_equal(smtpc_scanner_group_by(s, "domain", &err), SMTPC_EINVAL);
    assert_non_null(strstr(err.text, "before the first feed"));
    assert_int_equal(smtpc_scanner_set_bucket(s, 3600, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_set_year(s, 2024, NULL), SMTPC_EINVAL);
    assert_int_equal(smtpc_scanner_group_by(NULL, "domain", NULL), SMTPC_EINVAL);
    smtpc_scanner *like;
    assert_int_equal(smtpc_scanner_new_like(&like, s, NULL), 0);
    assert_int_equal(smtpc_scanner_axis_count(like), 4);
    assert_int_equal(smtpc_scanner_bucket(like), 900);
    assert_int_equal(smtpc_scanner_lines(like), 0);
    assert_int_equal(smtpc_scanner_new_like(&like, NULL, NULL), SMTPC_EINVAL);
    smtpc_scanner_free(like);
    smtpc_scanner_free(s);
}

static void durations(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long long seconds; /* -1: refused */
    } cases[] = {{"3600", 3600}, {"15m", 900}, {"1h", 3600}, {"1d", 86400},
                 {"30s", 30},    {"", -1},     {"h", -1},    {"1w", -1},
                 {"1hh", -1},    {"-1h", -1},  {"1 h", -1},  {"99999999999999999999", -1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long long seconds = 0;
        int rc = smtpc_duration_parse(&seconds, cases[i].text, strlen(cases[i].text), NULL);
        if (cases[i].seconds < 0)
            assert_int_equal(rc, SMTPC_EINVAL);
        else if (rc != 0 || seconds != cases[i].seconds)
            fail_msg("%s: %d, %lld", cases[i].text, rc, seconds);
    }
}

/* ---- what is an attempt, and what is not ---- */

static void lines_that_only_look_like_replies(void **state)
{
    (void)state;
    /* (A header line that starts the input starts a message, read whole at the end.) */
    static const char log[] =
        "Nov 24 08:00:03 mx1 postfix/smtp[3103]: 4B7C21A0F3: host mx.example.org[203.0.113.30] "
        "said: 450 4.2.0 try later (in reply to RCPT TO command)\n"
        "Subject: 550 reasons you will love this\n"
        "X-Spam-Report: 554 5.7.1 looks like a reply\n"
        "Nov 24 08:00:03 mx1 postfix/smtp[3103]: 4B7C21A0F3: to=<a@example.org>, "
        "relay=mx.example.org[203.0.113.30]:25, delay=1, delays=0/0/0/1, dsn=4.2.0, "
        "status=deferred (host mx.example.org[203.0.113.30] said: 450 4.2.0 try later (in "
        "reply to RCPT TO command))\n";
    smtpc_scanner *s = scan_by(log, sizeof log - 1, "domain");
    assert_int_equal(smtpc_scanner_lines(s), 4);
    assert_int_equal(smtpc_scanner_replies(s), 1); /* the status line alone */
    assert_int_equal(smtpc_scanner_attempts(s), 1);
    assert_int_equal(smtpc_scanner_outcome(s, SMTPC_SCAN_DEFERRED), 1);
    assert_int_equal(smtpc_scanner_row(s, 0)->code, 450);
    assert_string_equal(smtpc_scanner_group(s, 0)->values[0], "example.org");
    smtpc_scanner_free(s);
}

static void a_status_without_a_reply_is_counted(void **state)
{
    (void)state;
    static const char log[] =
        "Nov 24 09:05:00 mx1 postfix/smtp[3131]: 4B7C21A0F3: to=<erin@example.org>, relay=none, "
        "delay=0.1, delays=0.1/0/0/0, dsn=4.4.1, status=deferred (connect to "
        "mail.example.org[203.0.113.30]:25: Connection refused)\n";
    smtpc_scanner *s = scan_by(log, sizeof log - 1, "relay,code");
    assert_int_equal(smtpc_scanner_replies(s), 1);
    const smtpc_scan_row *row = smtpc_scanner_row(s, 0);
    assert_int_equal(row->code, 0);
    assert_null(row->entry);
    assert_string_equal(row->enhanced, "4.4.1");
    assert_int_equal(row->action, SMTPC_ACTION_RETRY);
    assert_true(row->reason[0] != '\0');
    const smtpc_scan_group *g = smtpc_scanner_group(s, 0);
    assert_string_equal(g->values[0], ""); /* relay=none: no host was reached */
    assert_string_equal(g->values[1], "4.4.1");
    char *json;
    assert_int_equal(smtpc_render_scan(&json, NULL, s, SMTPC_FORMAT_JSON, NULL), 0);
    assert_non_null(strstr(json, "\"code\":null"));
    smtpc_free(json);
    smtpc_scanner_free(s);
}

/* An mbox of bounces: each recipient of each DSN once, though its reply is quoted twice. */
static void bounces_in_an_mbox(void **state)
{
    (void)state;
    size_t len;
    char *data = read_log("relay-bounces.mbox", &len);
    smtpc_scanner *s = scan_by(data, len, "domain");
    assert_int_equal(smtpc_scanner_attempts(s), 2);
    assert_int_equal(smtpc_scanner_outcome(s, SMTPC_SCAN_BOUNCED), 1);
    assert_int_equal(smtpc_scanner_outcome(s, SMTPC_SCAN_DEFERRED), 1);
    assert_string_equal(smtpc_scanner_group(s, 0)->values[0], "example.org");
    assert_int_equal(smtpc_scanner_group(s, 0)->count, 2);
    smtpc_scanner_free(s);
    free(data);
}

/* ---- rendering ---- */

static void rendered_groups(void **state)
{
    (void)state;
    size_t len;
    char *data = read_log("mta/postfix.log", &len);
    smtpc_scanner *s = scan_by(data, len, "domain,reason");
    size_t n = smtpc_scanner_group_count(s);
    char *html, *text, *top;
    assert_int_equal(smtpc_render_scan(&html, NULL, s, SMTPC_FORMAT_HTML, NULL), 0);
    assert_non_null(strstr(html, "<svg class=\"smtpcodes-chart\""));
    assert_non_null(strstr(html, "text-align: left"));
    assert_non_null(strstr(html, "smtpcodes-groups"));
    assert_int_equal(smtpc_render_scan(&text, NULL, s, SMTPC_FORMAT_TEXT, NULL), 0);
    assert_non_null(strstr(text, "delivery attempts:"));
    assert_int_equal(smtpc_render_scan_top(&top, NULL, s, SMTPC_FORMAT_TEXT, 2, NULL), 0);
    char more[64];
    snprintf(more, sizeof more, "%zu more groups", n - 2);
    assert_non_null(strstr(top, more));
    assert_true(strlen(top) < strlen(text));
    char *json;
    assert_int_equal(smtpc_render_scan_top(&json, NULL, s, SMTPC_FORMAT_JSON, 3, NULL), 0);
    char total[64];
    snprintf(total, sizeof total, "\"groups_total\":%zu", n);
    assert_non_null(strstr(json, total));
    assert_int_equal(smtpc_render_scan_top(NULL, NULL, s, SMTPC_FORMAT_JSON, 3, NULL),
                     SMTPC_EINVAL);
    smtpc_free(html);
    smtpc_free(text);
    smtpc_free(top);
    smtpc_free(json);
    smtpc_scanner_free(s);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_of_the_logs),
        cmocka_unit_test(a_log_cut_anywhere_gives_its_groups),
        cmocka_unit_test(different_groups_do_not_merge),
        cmocka_unit_test(settings_and_their_refusals),
        cmocka_unit_test(durations),
        cmocka_unit_test(lines_that_only_look_like_replies),
        cmocka_unit_test(a_status_without_a_reply_is_counted),
        cmocka_unit_test(bounces_in_an_mbox),
        cmocka_unit_test(rendered_groups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
