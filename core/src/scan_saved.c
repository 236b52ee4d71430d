/*
 * scan_saved.c - a scan summary as text and back (smtpc_scanner_save(), smtpc_scanner_load()):
 * the saved form lets a summary be stored, pickled or sent to another process and merged
 * there. docs/replies.md describes the form; version 1:
 *
 *     smtpcodes-scan 1
 *     lines 6
 *     replies 5
 *     skipped 0
 *     row 250 2.0.0 1 done - Nov 23 10:00:01 mx postfix/smtp[1]: ... (250 2.0.0 Ok: queued)
 *     row 550 5.1.1 2 give-up userunknown Nov 23 10:00:02 mx postfix/smtp[1]: ...
 *     end 2
 *
 * It is ASCII, one record a line, rows in the order of their pairs, and canonical: one summary
 * has one saved form, so that two saved forms are equal exactly when their summaries are.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAVED_MAGIC "smtpcodes-scan"
#define SAVED_VERSION 1

/* ---- saving ---- */

/* Whether a sample byte is written as it is: printable ASCII other than the backslash that
 * starts an escape. Every other byte is written "\xHH". */
static int plain_byte(unsigned char c)
{
    return c >= 0x20 && c < 0x7F && c != '\\';
}

static void put_sample(struct smtpc_buf *b, const char *sample, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t run = 0; /* the start of the plain bytes not written yet */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)sample[i];
        if (plain_byte(c))
            continue;
        smtpc_buf_append(b, sample + run, i - run);
        char escape[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        smtpc_buf_append(b, escape, sizeof escape);
        run = i + 1;
    }
    smtpc_buf_append(b, sample + run, len - run);
}

struct keyed_row {
    uint64_t key;
    const smtpc_scan_row *row;
};

static int compare_keyed(const void *a, const void *b)
{
    uint64_t ka = ((const struct keyed_row *)a)->key;
    uint64_t kb = ((const struct keyed_row *)b)->key;
    return (ka > kb) - (ka < kb);
}

static void put_row(struct smtpc_buf *b, const smtpc_scan_row *row)
{
    smtpc_buf_printf(b, "row %d %s %llu %s %s ", row->code,
                     row->enhanced[0] != '\0' ? row->enhanced : "-", row->count,
                     smtpc_enum_name(SMTPC_ENUM_ACTION, row->action),
                     row->reason[0] != '\0' ? row->reason : "-");
    put_sample(b, row->sample, row->sample_len);
    smtpc_buf_putc(b, '\n');
}

int smtpc_scanner_save(char **out, size_t *out_len, const smtpc_scanner *s, smtpc_error *err)
{
    if (out == NULL || s == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    if (smtpc_scanner_holds_line(s))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "the scanner holds a line without its line end: finish its "
                               "scan first");
    /* The rows of a scanner that has not been finished are in order of first appearance. */
    size_t n = smtpc_scanner_row_count(s);
    struct keyed_row *rows = malloc((n > 0 ? n : 1) * sizeof *rows);
    if (rows == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        rows[i].row = smtpc_scanner_row(s, i);
        rows[i].key = smtpc_scan_key(rows[i].row->code, rows[i].row->enhanced,
                                     strlen(rows[i].row->enhanced));
    }
    qsort(rows, n, sizeof *rows, compare_keyed);
    struct smtpc_buf b;
    smtpc_buf_init(&b);
    smtpc_buf_printf(&b, "%s %d\nlines %llu\nreplies %llu\nskipped %llu\n", SAVED_MAGIC,
                     SAVED_VERSION, smtpc_scanner_lines(s), smtpc_scanner_replies(s),
                     smtpc_scanner_skipped(s));
    for (size_t i = 0; i < n; i++)
        put_row(&b, rows[i].row);
    smtpc_buf_printf(&b, "end %zu\n", n);
    free(rows);
    *out = smtpc_buf_take(&b, out_len);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}

/* ---- loading ---- */

/* The reading of a saved form: the line being read, and where in it. */
struct reading {
    const char *p;
    size_t len;
    size_t at;             /* the next byte */
    unsigned long line_no; /* of the line at `line_start` */
    size_t line_start;
    size_t line_end;       /* its "\n" */
    smtpc_error *err;
};

/* A failure at the byte `at` of the line being read. */
static int refuse_at(const struct reading *r, size_t at, const char *what)
{
    return smtpc_set_error(r->err, SMTPC_EDATA, "", r->line_no, at - r->line_start + 1,
                           "%s", what);
}

/* Moves to the next line; 0, or a failure when there is none, or no line end after it. */
static int next_line(struct reading *r, const char *expected)
{
    r->line_no++;
    r->line_start = r->at;
    const char *nl = memchr(r->p + r->at, '\n', r->len - r->at);
    if (nl == NULL) {
        if (r->at < r->len)
            return refuse_at(r, r->len, "the saved summary is cut short: this line has no "
                                        "line end");
        char what[128];
        snprintf(what, sizeof what, "the saved summary is cut short: %s expected", expected);
        return refuse_at(r, r->at, what);
    }
    r->line_end = (size_t)(nl - r->p);
    return 0;
}

/* Reads the word `word` and the space after it. */
static int expect_word(struct reading *r, const char *word, const char *what)
{
    size_t n = strlen(word);
    if (r->line_end - r->at <= n || memcmp(r->p + r->at, word, n) != 0 || r->p[r->at + n] != ' ')
        return refuse_at(r, r->at, what);
    r->at += n + 1;
    return 0;
}

/* The next field, up to a space (consumed) or the line's end (`last`). */
static int next_field(struct reading *r, const char **field, size_t *len, int last,
                      const char *what)
{
    size_t start = r->at;
    size_t end = start;
    while (end < r->line_end && r->p[end] != ' ')
        end++;
    char message[128];
    if (end == start)
        snprintf(message, sizeof message, "%s expected", what);
    else if (last && end != r->line_end)
        snprintf(message, sizeof message, "the line's end expected after %s", what);
    else if (!last && end == r->line_end)
        snprintf(message, sizeof message, "the line ends after %s: more fields expected", what);
    else
        message[0] = '\0';
    if (message[0] != '\0')
        return refuse_at(r, end, message);
    *field = r->p + start;
    *len = end - start;
    r->at = end + (last ? 0 : 1);
    return 0;
}

/* A count: decimal digits without a leading zero, within unsigned long long. */
static int read_count(struct reading *r, unsigned long long *value, int last, const char *what)
{
    const char *s;
    size_t len;
    size_t start = r->at;
    int rc = next_field(r, &s, &len, last, what);
    if (rc != 0)
        return rc;
    unsigned long long v = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned digit = (unsigned)(s[i] - '0');
        if (digit > 9 || (i == 0 && digit == 0 && len > 1) || v > (~0ULL - digit) / 10) {
            char message[128];
            snprintf(message, sizeof message, "%s: digits without a sign or a leading zero "
                                              "expected",
                     what);
            return refuse_at(r, start, message);
        }
        v = v * 10 + digit;
    }
    *value = v;
    return 0;
}

/* "lines 6": the word, a count, the line's end. */
static int read_total(struct reading *r, const char *word, unsigned long long *value)
{
    char line[64];
    snprintf(line, sizeof line, "the line '%s'", word);
    char what[96];
    snprintf(what, sizeof what, "%s and a count expected", line);
    int rc = next_line(r, line);
    if (rc == 0)
        rc = expect_word(r, word, what);
    char count[64];
    snprintf(count, sizeof count, "the count of '%s'", word);
    if (rc == 0)
        rc = read_count(r, value, 1, count);
    r->at = r->line_end + 1;
    return rc;
}

static int read_header(struct reading *r, unsigned long long totals[3])
{
    static const char magic[] = SAVED_MAGIC " ";
    r->line_no = 1;
    if (r->len < sizeof magic - 1 || memcmp(r->p, magic, sizeof magic - 1) != 0)
        return refuse_at(r, 0, "not a saved scan summary: it starts with the line '"
                               SAVED_MAGIC " 1'");
    r->line_no = 0;
    int rc = next_line(r, "the line '" SAVED_MAGIC " 1'");
    if (rc != 0)
        return rc;
    r->at = sizeof magic - 1;
    unsigned long long version;
    if ((rc = read_count(r, &version, 1, "the version")) != 0)
        return rc;
    if (version != SAVED_VERSION) {
        char what[128];
        snprintf(what, sizeof what, "version %llu of the saved form is not supported (this "
                                    "smtpcodes reads version %d)",
                 version, SAVED_VERSION);
        return refuse_at(r, sizeof magic - 1, what);
    }
    r->at = r->line_end + 1;
    static const char *const words[3] = {"lines", "replies", "skipped"};
    for (int i = 0; i < 3 && rc == 0; i++)
        rc = read_total(r, words[i], &totals[i]);
    return rc;
}

static int read_code(struct reading *r, int *code)
{
    const char *s;
    size_t len;
    size_t start = r->at;
    int rc = next_field(r, &s, &len, 0, "a reply code");
    if (rc != 0)
        return rc;
    if (len != 3 || s[0] < '2' || s[0] > '5' || !smtpc_is_digit(s[1]) || !smtpc_is_digit(s[2]))
        return refuse_at(r, start, "a reply code (200 to 599) expected");
    *code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    return 0;
}

/* "-", or an enhanced code as the scanner takes one from a line. */
static int read_enhanced(struct reading *r, char text[SMTPC_CODE_TEXT_SIZE], size_t *len)
{
    const char *s;
    size_t start = r->at;
    int rc = next_field(r, &s, len, 0, "an enhanced code or '-'");
    if (rc != 0)
        return rc;
    smtpc_code parsed;
    if (*len == 1 && s[0] == '-') {
        *len = 0;
    } else if (*len >= SMTPC_CODE_TEXT_SIZE || smtpc_enhanced_prefix(s, *len) != *len ||
               smtpc_code_parse(&parsed, s, *len, NULL) != 0) {
        return refuse_at(r, start, "an enhanced code (5.1.1) or '-' expected");
    }
    memset(text, 0, SMTPC_CODE_TEXT_SIZE);
    memcpy(text, s, *len);
    return 0;
}

static int read_action(struct reading *r, int *action)
{
    const char *s;
    size_t len;
    size_t start = r->at;
    int rc = next_field(r, &s, &len, 0, "an action");
    if (rc != 0)
        return rc;
    int index = smtpc_enum_find(SMTPC_ENUM_ACTION, s, len);
    if (index < 0 || smtpc_enum_at(action, NULL, SMTPC_ENUM_ACTION, (size_t)index) != 0)
        return refuse_at(r, start, "an action (done, continue, retry or give-up) expected");
    return 0;
}

/* "-" for a 2xx or 3xx reply, which fails for no reason; else a reason of the database, as a
 * static string or the database's own. */
static int read_reason(struct reading *r, const smtpc_db *db, int code, const char **reason)
{
    const char *s;
    size_t len;
    size_t start = r->at;
    int rc = next_field(r, &s, &len, 0, "a reason or '-'");
    if (rc != 0)
        return rc;
    int failure = code >= 400;
    if (len == 1 && s[0] == '-') {
        *reason = "";
        return failure ? refuse_at(r, start, "a 4xx or 5xx reply needs a reason") : 0;
    }
    if (!failure)
        return refuse_at(r, start, "a 2xx or 3xx reply has no reason: '-' expected");
    const struct smtpc_reason_def *def = smtpc_reason_find(db, s, len);
    /* "undefined" is what decides when nothing does, whether or not the data names it */
    if (def == NULL && !(len == 9 && memcmp(s, "undefined", 9) == 0))
        return refuse_at(r, start, "a reason that the database does not know");
    *reason = def != NULL ? def->name : "undefined";
    return 0;
}

static int hex_digit(char c)
{
    return smtpc_is_digit(c) ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* "\xHH" at r->p[r->at] (after its backslash): the byte, or -1. */
static int read_escape(const struct reading *r)
{
    if (r->line_end - r->at < 3 || r->p[r->at] != 'x')
        return -1;
    int hi = hex_digit(r->p[r->at + 1]);
    int lo = hex_digit(r->p[r->at + 2]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

/* The rest of the line, unescaped into `sample` (SMTPC_SCAN_SAMPLE_MAX bytes); refuses what the
 * saved form does not write, so that the form stays canonical. */
static int read_sample(struct reading *r, char *sample, size_t *len)
{
    size_t n = 0;
    while (r->at < r->line_end) {
        size_t start = r->at;
        int c = (unsigned char)r->p[r->at++];
        if (c == '\\') {
            c = read_escape(r);
            if (c < 0)
                return refuse_at(r, start, "an escape '\\xHH' (two upper-case hex digits) "
                                           "expected");
            if (plain_byte((unsigned char)c))
                return refuse_at(r, start, "a printable byte written as an escape");
            r->at += 3;
        } else if (!plain_byte((unsigned char)c)) {
            return refuse_at(r, start, "a byte that the saved form writes as '\\xHH'");
        }
        if (n == SMTPC_SCAN_SAMPLE_MAX)
            return refuse_at(r, start, "a sample longer than 400 bytes");
        sample[n++] = (char)c;
    }
    *len = n;
    return 0;
}

/* One "row" line, appended to `s` after `*last_key`. */
static int read_row(struct reading *r, smtpc_scanner *s, uint64_t *last_key, size_t rows,
                    unsigned long long *counted)
{
    const smtpc_db *db = smtpc_scanner_db(s);
    char enhanced[SMTPC_CODE_TEXT_SIZE];
    char sample[SMTPC_SCAN_SAMPLE_MAX];
    smtpc_scan_row row;
    memset(&row, 0, sizeof row);
    size_t enhanced_len = 0;
    size_t code_at = r->at;
    int rc = read_code(r, &row.code);
    if (rc == 0)
        rc = read_enhanced(r, enhanced, &enhanced_len);
    size_t count_at = r->at;
    if (rc == 0)
        rc = read_count(r, &row.count, 0, "a count");
    if (rc == 0 && row.count == 0)
        rc = refuse_at(r, count_at, "a row counts one reply or more");
    if (rc == 0)
        rc = read_action(r, &row.action);
    if (rc == 0)
        rc = read_reason(r, db, row.code, &row.reason);
    if (rc == 0)
        rc = read_sample(r, sample, &row.sample_len);
    if (rc != 0)
        return rc;
    uint64_t key = smtpc_scan_key(row.code, enhanced, enhanced_len);
    if (rows > 0 && key <= *last_key)
        return refuse_at(r, code_at, "rows must come in order of code and enhanced code, each "
                                     "pair once");
    if (row.count > ~0ULL - *counted)
        return refuse_at(r, code_at, "the counts of the rows add up past any number");
    *last_key = key;
    *counted += row.count;
    row.enhanced = enhanced;
    row.sample = sample;
    return smtpc_scanner_append_row(s, &row, enhanced_len) == 0
               ? 0
               : smtpc_set_error(r->err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
}

/* The rows, then "end" with their number and the end of the text. */
static int read_rows(struct reading *r, smtpc_scanner *s, unsigned long long *counted)
{
    uint64_t last_key = 0;
    size_t rows = 0;
    for (;;) {
        int rc = next_line(r, "a 'row' or the 'end' line");
        if (rc != 0)
            return rc;
        if (r->line_end - r->at >= 4 && memcmp(r->p + r->at, "row ", 4) == 0) {
            r->at += 4;
            if ((rc = read_row(r, s, &last_key, rows, counted)) != 0)
                return rc;
            rows++;
            r->at = r->line_end + 1;
            continue;
        }
        unsigned long long n;
        if ((rc = expect_word(r, "end", "a 'row' or the 'end' line expected")) != 0 ||
            (rc = read_count(r, &n, 1, "the number of rows")) != 0)
            return rc;
        if (n != rows)
            return refuse_at(r, r->line_start + 4, "the number of rows read is not the one "
                                                   "'end' gives");
        r->at = r->line_end + 1;
        if (r->at != r->len)
            return smtpc_set_error(r->err, SMTPC_EDATA, "", r->line_no + 1, 1,
                                   "text after the 'end' line");
        return 0;
    }
}

/* The totals must agree with the rows: every reply is counted in one row, and a line holds at
 * most one reply, and a skipped line none. */
static int check_totals(struct reading *r, const unsigned long long totals[3],
                        unsigned long long counted)
{
    /* the counts are on lines 2 to 4, after "lines ", "replies " and "skipped " */
    if (counted != totals[1])
        return smtpc_set_error(r->err, SMTPC_EDATA, "", 3, sizeof "replies ",
                               "the rows count %llu replies, not %llu", counted, totals[1]);
    if (totals[1] > totals[0] || totals[2] > totals[0] - totals[1])
        return smtpc_set_error(r->err, SMTPC_EDATA, "", 2, sizeof "lines ",
                               "more replies and skipped lines than lines");
    return 0;
}

int smtpc_scanner_load(smtpc_scanner **out, const smtpc_db *db, const char *data, size_t len,
                       smtpc_error *err)
{
    if (out == NULL || (data == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    smtpc_scanner *s;
    int rc = smtpc_scanner_new(&s, db, err);
    if (rc != 0)
        return rc;
    struct reading r = {data != NULL ? data : "", len, 0, 0, 0, 0, err};
    unsigned long long totals[3] = {0, 0, 0};
    unsigned long long counted = 0;
    rc = read_header(&r, totals);
    if (rc == 0)
        rc = read_rows(&r, s, &counted);
    if (rc == 0)
        rc = check_totals(&r, totals, counted);
    if (rc != 0) {
        smtpc_scanner_free(s);
        return rc;
    }
    smtpc_scanner_add_counts(s, totals[0], totals[1], totals[2]);
    *out = s;
    return 0;
}
