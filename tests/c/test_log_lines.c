/*
 * test_log_lines.c - the readers of MTA log lines (core/src/logs/, docs/logs.md): every field
 * of every line of the logs under tests/vectors/logs/mta/ against tests/vectors/log-events.tsv,
 * then bad input: every line cut at every length (each cut in a buffer of its own size, so
 * that a read past it shows under ASan and valgrind), timestamps that do not exist, CSV
 * exports too wide or with unbalanced quotes, and lines of 0 bytes and of 1 MB.
 */
#include "logs/logs.h"
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *const logs[] = {"postfix.log",   "exim.log",     "sendmail.log",
                                   "opensmtpd.log", "exchange.log", "microsoft365.csv",
                                   "dovecot.log"};
enum { N_LOGS = sizeof logs / sizeof logs[0], SYSLOG_YEAR = 2024 };

static const char *const outcome_names[] = {"other",    "delivered", "deferred", "bounced",
                                            "rejected", "sender",    "removed"};

/* A log split into lines (without "\n"), each in a buffer of its own exact size. */
struct log_lines {
    char **line;
    size_t *len;
    size_t n;
};

static struct log_lines read_lines(const char *name)
{
    char relative[256];
    snprintf(relative, sizeof relative, "logs/mta/%s", name);
    size_t size;
    char *data = read_file(vector_path(relative), &size);
    if (data == NULL)
        fail_msg("cannot read %s", vector_path(relative));
    struct log_lines lines = {NULL, NULL, 0};
    for (size_t at = 0; at < size;) {
        const char *nl = memchr(data + at, '\n', size - at);
        size_t end = nl != NULL ? (size_t)(nl - data) : size;
        lines.line = realloc(lines.line, (lines.n + 1) * sizeof *lines.line);
        lines.len = realloc(lines.len, (lines.n + 1) * sizeof *lines.len);
        assert_non_null(lines.line);
        assert_non_null(lines.len);
        lines.len[lines.n] = end - at;
        lines.line[lines.n] = malloc(end - at + 1);
        assert_non_null(lines.line[lines.n]);
        memcpy(lines.line[lines.n], data + at, end - at);
        lines.n++;
        at = end + 1;
    }
    free(data);
    return lines;
}

static void free_lines(struct log_lines *lines)
{
    for (size_t i = 0; i < lines->n; i++)
        free(lines->line[i]);
    free(lines->line);
    free(lines->len);
}

/* Fails unless the span lies inside the line. */
static void assert_inside(struct smtpc_log_span s, const char *line, size_t len, const char *what)
{
    if (s.len == 0)
        return;
    if (s.p == NULL || s.p < line || s.len > len || s.p > line + (len - s.len))
        fail_msg("%s: span of %zu bytes outside the line of %zu", what, s.len, len);
}

static void assert_event_inside(const struct smtpc_log_event *e, const char *line, size_t len)
{
    assert_inside(e->time, line, len, "time");
    assert_inside(e->queue_id, line, len, "queue_id");
    assert_inside(e->sender, line, len, "sender");
    assert_inside(e->recipient, line, len, "recipient");
    assert_inside(e->relay, line, len, "relay");
    assert_inside(e->reply, line, len, "reply");
    assert_inside(e->status, line, len, "status");
    assert_inside(e->detail, line, len, "detail");
    assert_true(e->outcome >= SMTPC_LOG_OTHER && e->outcome <= SMTPC_LOG_REMOVED);
    assert_non_null(e->mta);
}

/* ---- the vectors ---- */

struct vector_state {
    char file[VECTOR_MAX_CELL];
    struct log_lines lines;
    struct smtpc_log_reader reader;
    size_t next; /* the next line expected, 1-based */
    int files_seen;
    int rows;
};

static void assert_span(struct smtpc_log_span s, const struct vector_row *row, int column,
                        const char *what)
{
    if (s.len != row->len[column] || (s.len > 0 && memcmp(s.p, row->cells[column], s.len) != 0))
        fail_msg("log-events.tsv:%lu: %s is '%.*s', expected '%s'", row->line, what, (int)s.len,
                 s.len > 0 ? s.p : "", row->cells[column]);
}

static void finish_file(struct vector_state *st)
{
    if (st->file[0] == '\0')
        return;
    if (st->next != st->lines.n + 1)
        fail_msg("log-events.tsv: %s has %zu lines, rows for %zu", st->file, st->lines.n,
                 st->next - 1);
    free_lines(&st->lines);
}

static void check_vector(const struct vector_row *row, void *ctx)
{
    struct vector_state *st = ctx;
    assert_int_equal(row->n_cells, 13);
    if (strcmp(row->cells[0], st->file) != 0) {
        finish_file(st);
        snprintf(st->file, sizeof st->file, "%s", row->cells[0]);
        st->lines = read_lines(st->file);
        smtpc_log_reader_init(&st->reader);
        st->next = 1;
        st->files_seen++;
    }
    /* a row per line, in order: the readers of CSV exports keep the header's columns */
    if (strtoul(row->cells[1], NULL, 10) != st->next)
        fail_msg("log-events.tsv:%lu: line %s of %s, expected %zu", row->line, row->cells[1],
                 st->file, st->next);
    const char *line = st->lines.line[st->next - 1];
    size_t len = st->lines.len[st->next - 1];
    st->next++;
    st->rows++;
    struct smtpc_log_event e;
    memset(&e, 0xA5, sizeof e);
    struct smtpc_log_event untouched = e;
    int known = smtpc_log_read_line(&st->reader, &e, line, len);
    if (strcmp(row->cells[2], "-") == 0) {
        if (known != 0)
            fail_msg("log-events.tsv:%lu: read as a line of %s", row->line, e.mta);
        assert_memory_equal(&e, &untouched, sizeof e);
        return;
    }
    if (known != 1)
        fail_msg("log-events.tsv:%lu: not read as a line of %s", row->line, row->cells[3]);
    assert_event_inside(&e, line, len);
    if (strcmp(outcome_names[e.outcome], row->cells[2]) != 0)
        fail_msg("log-events.tsv:%lu: outcome %s, expected %s", row->line, outcome_names[e.outcome],
                 row->cells[2]);
    assert_string_equal(e.mta, row->cells[3]);
    assert_span(e.time, row, 4, "time");
    long long seconds = -7;
    int rc = e.time.len > 0 ? smtpc_log_time(&seconds, e.time.p, e.time.len, SYSLOG_YEAR) : -1;
    if (row->cells[5][0] == '\0') {
        assert_int_equal(rc, -1);
        assert_true(seconds == -7);
    } else {
        if (rc != 0)
            fail_msg("log-events.tsv:%lu: time '%s' not read", row->line, row->cells[4]);
        assert_true(seconds == strtoll(row->cells[5], NULL, 10));
    }
    assert_span(e.queue_id, row, 6, "queue_id");
    assert_span(e.sender, row, 7, "sender");
    assert_span(e.recipient, row, 8, "recipient");
    assert_span(e.relay, row, 9, "relay");
    assert_span(e.reply, row, 10, "reply");
    assert_span(e.status, row, 11, "status");
    assert_span(e.detail, row, 12, "detail");
}

static void vectors(void **state)
{
    (void)state;
    struct vector_state st;
    memset(&st, 0, sizeof st);
    int rows = vector_each("log-events.tsv",
                           "file\tline\toutcome\tmta\ttime\tseconds\tqueue_id\tsender\trecipient"
                           "\trelay\treply\tstatus\tdetail",
                           check_vector, &st);
    finish_file(&st);
    assert_int_equal(st.files_seen, N_LOGS);
    assert_int_equal(rows, st.rows);
    assert_true(rows > 100);
}

/* Every outcome occurs in the vectors, for every MTA that has it. */
static void vectors_cover_every_outcome(void **state)
{
    (void)state;
    int seen[SMTPC_LOG_REMOVED + 1] = {0};
    for (size_t f = 0; f < N_LOGS; f++) {
        struct log_lines lines = read_lines(logs[f]);
        struct smtpc_log_reader reader;
        smtpc_log_reader_init(&reader);
        for (size_t i = 0; i < lines.n; i++) {
            struct smtpc_log_event e;
            if (smtpc_log_read_line(&reader, &e, lines.line[i], lines.len[i]))
                seen[e.outcome]++;
        }
        free_lines(&lines);
    }
    for (int o = 0; o <= SMTPC_LOG_REMOVED; o++) {
        if (seen[o] == 0)
            fail_msg("no line is %s", outcome_names[o]);
    }
}

/* ---- bad input ---- */

/* Every line of every log, cut at every length, in a buffer of exactly that size: the reader
 * keeps to it, and its spans lie inside it. The reader state is the one the whole log built,
 * so that the rows of the CSV exports are cut too. */
static void every_cut(void **state)
{
    (void)state;
    unsigned long cuts = 0;
    for (size_t f = 0; f < N_LOGS; f++) {
        struct log_lines lines = read_lines(logs[f]);
        struct smtpc_log_reader reader;
        smtpc_log_reader_init(&reader);
        for (size_t i = 0; i < lines.n; i++) {
            for (size_t cut = 0; cut <= lines.len[i]; cut++) {
                char *piece = malloc(cut > 0 ? cut : 1);
                assert_non_null(piece);
                memcpy(piece, lines.line[i], cut);
                struct smtpc_log_reader copy = reader;
                struct smtpc_log_event e;
                if (smtpc_log_read_line(&copy, &e, piece, cut))
                    assert_event_inside(&e, piece, cut);
                free(piece);
                cuts++;
            }
            struct smtpc_log_event e;
            smtpc_log_read_line(&reader, &e, lines.line[i], lines.len[i]);
        }
        free_lines(&lines);
    }
    assert_true(cuts > 10000);
}

static void assert_time(const char *text, int year, long long expected)
{
    long long t = -7;
    if (smtpc_log_time(&t, text, strlen(text), year) != 0)
        fail_msg("'%s' not read", text);
    if (t != expected)
        fail_msg("'%s' is %lld, expected %lld", text, t, expected);
}

static void assert_no_time(const char *text, int year)
{
    long long t = -7;
    if (smtpc_log_time(&t, text, strlen(text), year) != -1)
        fail_msg("'%s' read as %lld", text, t);
    assert_true(t == -7);
}

static void times(void **state)
{
    (void)state;
    /* 2024-11-23T00:00:00Z */
    const long long day = 1732320000;
    assert_time("1970-01-01T00:00:00Z", 0, 0);
    assert_time("2024-11-23 10:00:05", 0, day + 36005);
    assert_time("2024-11-23 10:00:05 +0100", 0, day + 32405);
    assert_time("2024-11-23 10:00:05 -0130", 0, day + 36005 + 5400);
    assert_time("2024-11-23T10:00:05.123456+01:00", 0, day + 32405);
    assert_time("2024-11-23T10:00:05,5Z", 0, day + 36005);
    assert_time("2024-11-23T10:00:05", 0, day + 36005);
    assert_time("Nov 23 10:00:05", 2024, day + 36005);
    assert_time("Nov  3 00:00:00", 2024, day - 20 * 86400);
    assert_time("11/23/2024 12:00:00 AM", 0, day);
    assert_time("11/23/2024 12:00:00 PM", 0, day + 43200);
    assert_time("11/23/2024 23:59:59", 0, day + 86399);
    /* leap days: 2024 and 2000 have one, 2023 and 1900 do not */
    assert_time("2024-02-29 00:00:00", 0, 1709164800);
    assert_time("2000-02-29T00:00:00Z", 0, 951782400);
    assert_time("Feb 29 00:00:00", 2024, 1709164800);
    /* a leap second is read as the second before it */
    assert_time("2016-12-31T23:59:60Z", 0, 1483228799);
    assert_time("1969-12-31T23:59:59Z", 0, -1);

    static const char *const bad[] = {
        "2023-02-29 00:00:00",
        "1900-02-29 00:00:00",
        "2024-13-01 00:00:00",
        "2024-00-10 00:00:00",
        "2024-04-31 00:00:00",
        "2024-11-00 00:00:00",
        "2024-11-23 24:00:00",
        "2024-11-23 10:60:00",
        "2024-11-23 10:00:61",
        "2024-11-23T10:00:05+24:00",
        "2024-11-23T10:00:05+01:60",
        "2024-11-23T10:00:05+1:00",
        "2024-11-23T10:00:05+01",
        "2024-11-23T10:00:05.",
        "2024-11-23T10:00:05 Z",
        "2024-11-23 10:00:05  +0100",
        "2024-11-23 10:00:05 +0100 ",
        "2024-11-2310:00:05",
        "2024-11-23 10:00",
        "2024/11/23 10:00:05",
        "x024-11-23 10:00:05",
        "Foo 23 10:00:05",
        "Nov 23 10:00:05 ",
        "Nov 3 10:00:05",
        "Nov 32 10:00:05",
        "nov 23 10:00:05",
        "13/01/2024 10:00:05",
        "11/31/2024 10:00:05",
        "11/23/24 10:00:05",
        "11/23/2024 13:00:00 PM",
        "11/23/2024 0:00:00 AM",
        "11/23/2024 10:00:05 XM",
        "11/23/2024 10:00",
        "11/23/2024",
        "",
        "Z",
        "2024",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_no_time(bad[i], 2024);
    /* syslog's time needs a year from the caller */
    assert_no_time("Feb 29 00:00:00", 2023);
    assert_no_time("Nov 23 10:00:05", 0);
    assert_no_time("Nov 23 10:00:05", 10000);
    long long t = -7;
    assert_int_equal(smtpc_log_time(&t, NULL, 0, 2024), -1);
    /* the length is respected: the text that follows is not read */
    assert_int_equal(smtpc_log_time(&t, "2024-11-23 10:00:05 +0100", 19, 0), 0);
    assert_true(t == day + 36005);
}

/* Reads a line given as a string; returns what smtpc_log_read_line() returned. */
static int read_text(struct smtpc_log_reader *reader, struct smtpc_log_event *e, const char *text)
{
    return smtpc_log_read_line(reader, e, text, strlen(text));
}

/* An export of more columns than the reader holds is not read, whichever the header. */
static void too_many_columns(void **state)
{
    (void)state;
    char header[4096] = "\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Status\"";
    char row[4096] = "\"11/23/2024 10:00:05 AM\",\"a@example.com\",\"b@example.org\",\"Failed\"";
    for (int i = 4; i <= SMTPC_LOG_MAX_COLUMNS; i++) {
        snprintf(header + strlen(header), sizeof header - strlen(header), ",\"Extra%d\"", i);
        strcat(row, ",x");
    }
    struct smtpc_log_reader reader;
    smtpc_log_reader_init(&reader);
    struct smtpc_log_event e;
    memset(&e, 0, sizeof e);
    assert_int_equal(read_text(&reader, &e, header), 0);
    assert_int_equal(read_text(&reader, &e, row), 0);
    assert_int_equal(reader.csv, 0);

    /* one column fewer: read */
    *strrchr(header, ',') = '\0';
    *strrchr(row, ',') = '\0';
    assert_int_equal(read_text(&reader, &e, header), 1);
    assert_int_equal(e.outcome, SMTPC_LOG_OTHER);
    assert_string_equal(e.mta, "microsoft365");
    assert_int_equal(reader.n_columns, SMTPC_LOG_MAX_COLUMNS);
    assert_int_equal(read_text(&reader, &e, row), 1);
    assert_int_equal(e.outcome, SMTPC_LOG_BOUNCED);

    /* Exchange's own header of too many columns is its line, but no row is read by it */
    char fields[4096] = "#Fields: date-time,event-id,recipient-address";
    char exchange_row[4096] = "2024-11-23T10:00:00Z,FAIL,b@example.org";
    for (int i = 3; i <= SMTPC_LOG_MAX_COLUMNS; i++) {
        snprintf(fields + strlen(fields), sizeof fields - strlen(fields), ",extra-%d", i);
        strcat(exchange_row, ",x");
    }
    smtpc_log_reader_init(&reader);
    assert_int_equal(read_text(&reader, &e, "#Software: Microsoft Exchange Server"), 1);
    assert_string_equal(e.mta, "exchange");
    assert_int_equal(read_text(&reader, &e, fields), 1);
    assert_int_equal(reader.n_columns, 0);
    assert_int_equal(read_text(&reader, &e, exchange_row), 0);
}

static void unbalanced_quotes(void **state)
{
    (void)state;
    struct smtpc_log_reader reader;
    smtpc_log_reader_init(&reader);
    struct smtpc_log_event e;
    assert_int_equal(read_text(&reader, &e, "Received,SenderAddress,RecipientAddress,Status"), 1);
    static const char *const rows[] = {
        "\"11/23/2024 10:00:05 AM,a@example.com,b@example.org,Failed",
        "11/23/2024 10:00:05 AM,\"a@example.com,b@example.org,Failed",
        "11/23/2024 10:00:05 AM,a@example.com,b@example.org,\"Failed",
        "11/23/2024 10:00:05 AM,a@example.com,b@example.org,\"Failed\"x",
        "11/23/2024 10:00:05 AM,a@example.com,b@example.org,\"",
        "\"",
        "11/23/2024 10:00:05 AM,a@example.com,b@example.org",
        "11/23/2024 10:00:05 AM,a@example.com,b@example.org,Failed,extra",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        memset(&e, 0x5A, sizeof e);
        struct smtpc_log_event untouched = e;
        if (read_text(&reader, &e, rows[i]) != 0)
            fail_msg("row %zu read", i);
        assert_memory_equal(&e, &untouched, sizeof e);
    }
    /* quotes that balance, with a doubled one and a comma inside */
    const char *good = "\"11/23/2024 10:00:05 AM\",\"a\"\"b\"\"@example.com\",\"b@example.org\","
                       "\"Failed\"";
    assert_int_equal(read_text(&reader, &e, good), 1);
    assert_int_equal(e.outcome, SMTPC_LOG_BOUNCED);
    assert_int_equal(e.sender.len, strlen("a\"\"b\"\"@example.com"));
    assert_memory_equal(e.sender.p, "a\"\"b\"\"@example.com", e.sender.len);
}

static void empty_and_null(void **state)
{
    (void)state;
    struct smtpc_log_reader reader;
    smtpc_log_reader_init(&reader);
    struct smtpc_log_event e;
    memset(&e, 0x33, sizeof e);
    struct smtpc_log_event untouched = e;
    assert_int_equal(smtpc_log_read_line(&reader, &e, "", 0), 0);
    assert_int_equal(smtpc_log_read_line(&reader, &e, NULL, 0), 0);
    assert_int_equal(smtpc_log_read_line(&reader, &e, NULL, 10), 0);
    assert_int_equal(smtpc_log_read_line(NULL, &e, "x", 1), 0);
    assert_memory_equal(&e, &untouched, sizeof e);
    assert_int_equal(smtpc_log_read_line(&reader, NULL, "x", 1), 0);
    smtpc_log_reader_init(NULL);
}

/* Lines of 1 MB: an MTA's line with a long text is read whole; a megabyte of one byte is no
 * line of any MTA, in any state of the reader. */
static void one_megabyte(void **state)
{
    (void)state;
    enum { MB = 1 << 20 };
    const char *head = "Nov 23 10:00:04 mx1 postfix/smtp[2202]: 1A2B3C4D5E: to=<bob@example.org>, "
                       "relay=none, delay=1, dsn=4.4.1, status=deferred (";
    size_t head_len = strlen(head);
    char *line = malloc(MB);
    assert_non_null(line);
    memcpy(line, head, head_len);
    memset(line + head_len, 'x', MB - head_len - 1);
    line[MB - 1] = ')';
    struct smtpc_log_reader reader;
    smtpc_log_reader_init(&reader);
    struct smtpc_log_event e;
    assert_int_equal(smtpc_log_read_line(&reader, &e, line, MB), 1);
    assert_event_inside(&e, line, MB);
    assert_int_equal(e.outcome, SMTPC_LOG_DEFERRED);
    assert_int_equal(e.detail.len, MB - head_len - 1);
    free(line);

    static const char fills[] = {'a', '"', ',', ' ', '<', '[', ':', '#', '\0'};
    assert_int_equal(read_text(&reader, &e, "Received,SenderAddress,RecipientAddress,Status"), 1);
    for (size_t i = 0; i < sizeof fills; i++) {
        char *block = malloc(MB);
        assert_non_null(block);
        memset(block, fills[i], MB);
        struct smtpc_log_reader copy = reader;
        if (smtpc_log_read_line(&copy, &e, block, MB))
            assert_event_inside(&e, block, MB);
        free(block);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vectors),          cmocka_unit_test(vectors_cover_every_outcome),
        cmocka_unit_test(every_cut),        cmocka_unit_test(times),
        cmocka_unit_test(too_many_columns), cmocka_unit_test(unbalanced_quotes),
        cmocka_unit_test(empty_and_null),   cmocka_unit_test(one_megabyte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
