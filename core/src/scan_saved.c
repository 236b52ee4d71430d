/*
 * scan_saved.c - a scan summary as text and back (smtpc_scanner_save(), smtpc_scanner_load()):
 * the saved form lets a summary be stored, pickled or sent to another process and merged
 * there. docs/replies.md describes the form; version 2:
 *
 *     smtpcodes-scan 2
 *     lines 6
 *     replies 5
 *     skipped 0
 *     attempts 3
 *     outcomes 1 0 2 0
 *     by domain,reason
 *     bucket 3600
 *     row 250 2.0.0 1 done - Nov 23 10:00:01 mx postfix/smtp[1]: ... (250 2.0.0 Ok: queued)
 *     row 550 5.1.1 2 give-up userunknown Nov 23 10:00:02 mx postfix/smtp[1]: ...
 *     group 2 0 0 2 0<TAB>example.org<TAB>userunknown<TAB>Nov 23 10:00:02 mx postfix/smtp...
 *     group 1 1 0 0 0<TAB>example.com<TAB><TAB>Nov 23 10:00:01 mx postfix/smtp[1]: ...
 *     end 2 2
 *
 * The outcomes are delivered, deferred, bounced, rejected (enum smtpc_scan_outcome); a group's
 * values and sample are separated by tabs, which the escapes keep out of them. Version 1 (the
 * counts and rows, "end ROWS") is still read.
 *
 * It is ASCII, one record a line, rows in the order of their pairs, and canonical: one summary
 * has one saved form, so that two saved forms are equal exactly when their summaries are.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAVED_MAGIC "smtpcodes-scan"
#define SAVED_VERSION 2

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

/* The attempts' totals, and how they are grouped. */
static void put_attempts(struct smtpc_buf *b, const smtpc_scanner *s)
{
    smtpc_buf_printf(b, "attempts %llu\noutcomes", smtpc_scanner_attempts(s));
    for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++)
        smtpc_buf_printf(b, " %llu", smtpc_scanner_outcome(s, o));
    smtpc_buf_puts(b, "\nby ");
    for (size_t i = 0; i < smtpc_scanner_axis_count(s); i++)
        smtpc_buf_printf(b, "%s%s", i > 0 ? "," : "",
                         smtpc_enum_name(SMTPC_ENUM_SCAN_AXIS, smtpc_scanner_axis(s, i)));
    if (smtpc_scanner_axis_count(s) == 0)
        smtpc_buf_putc(b, '-');
    smtpc_buf_printf(b, "\nbucket %lld\n", smtpc_scanner_bucket(s));
}

static void put_group(struct smtpc_buf *b, const smtpc_scanner *s, const smtpc_scan_group *g)
{
    smtpc_buf_printf(b, "group %llu", g->count);
    for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++)
        smtpc_buf_printf(b, " %llu", g->outcomes[o]);
    for (size_t i = 0; i < smtpc_scanner_axis_count(s); i++) {
        smtpc_buf_putc(b, '\t');
        put_sample(b, g->values[i], strlen(g->values[i]));
    }
    smtpc_buf_putc(b, '\t');
    put_sample(b, g->sample, g->sample_len);
    smtpc_buf_putc(b, '\n');
}

int smtpc_scanner_save(char **out, size_t *out_len, const smtpc_scanner *s, smtpc_error *err)
{
    if (out == NULL || s == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    if (smtpc_scanner_holds_line(s))
        return smtpc_set_error(
            err, SMTPC_EINVAL, "", 0, 0,
            "the scanner holds a line without its line end or a message not yet read: finish its "
            "scan first");
    /* The rows of a scanner that has not been finished are in order of first appearance. */
    size_t n = smtpc_scanner_row_count(s);
    struct keyed_row *rows = malloc((n > 0 ? n : 1) * sizeof *rows);
    if (rows == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        rows[i].row = smtpc_scanner_row(s, i);
        rows[i].key =
            smtpc_scan_key(rows[i].row->code, rows[i].row->enhanced, strlen(rows[i].row->enhanced));
    }
    qsort(rows, n, sizeof *rows, compare_keyed);
    struct smtpc_buf b;
    smtpc_buf_init(&b);
    smtpc_buf_printf(&b, "%s %d\nlines %llu\nreplies %llu\nskipped %llu\n", SAVED_MAGIC,
                     SAVED_VERSION, smtpc_scanner_lines(s), smtpc_scanner_replies(s),
                     smtpc_scanner_skipped(s));
    put_attempts(&b, s);
    for (size_t i = 0; i < n; i++)
        put_row(&b, rows[i].row);
    for (size_t i = 0; i < smtpc_scanner_group_count(s); i++)
        put_group(&b, s, smtpc_scanner_group(s, i));
    smtpc_buf_printf(&b, "end %zu %zu\n", n, smtpc_scanner_group_count(s));
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
    size_t line_end; /* its "\n" */
    smtpc_error *err;
    unsigned long long version;
};

/* A failure at the byte `at` of the line being read. */
static int refuse_at(const struct reading *r, size_t at, const char *what)
{
    return smtpc_set_error(r->err, SMTPC_EDATA, "", r->line_no, at - r->line_start + 1, "%s", what);
}

/* Moves to the next line; 0, or a failure when there is none, or no line end after it. */
static int next_line(struct reading *r, const char *expected)
{
    r->line_no++;
    r->line_start = r->at;
    const char *nl = memchr(r->p + r->at, '\n', r->len - r->at);
    if (nl == NULL) {
        if (r->at < r->len)
            return refuse_at(r, r->len,
                             "the saved summary is cut short: this line has no "
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
            snprintf(message, sizeof message,
                     "%s: digits without a sign or a leading zero "
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
        return refuse_at(r, 0,
                         "not a saved scan summary: it starts with the line '" SAVED_MAGIC " 2'");
    r->line_no = 0;
    int rc = next_line(r, "the line '" SAVED_MAGIC " 2'");
    if (rc != 0)
        return rc;
    r->at = sizeof magic - 1;
    unsigned long long version;
    if ((rc = read_count(r, &version, 1, "the version")) != 0)
        return rc;
    r->version = version;
    if (version != 1 && version != SAVED_VERSION) {
        char what[128];
        snprintf(what, sizeof what,
                 "version %llu of the saved form is not supported (this "
                 "smtpcodes reads versions 1 and %d)",
                 version, SAVED_VERSION);
        return refuse_at(r, sizeof magic - 1, what);
    }
    r->at = r->line_end + 1;
    static const char *const words[3] = {"lines", "replies", "skipped"};
    for (int i = 0; i < 3 && rc == 0; i++)
        rc = read_total(r, words[i], &totals[i]);
    return rc;
}

/* What version 2 says of the attempts: their totals and how they are grouped. */
struct attempts_read {
    unsigned long long attempts, outcomes[SMTPC_SCAN_OUTCOMES];
    unsigned long long grouped; /* the attempts the groups count */
};

static int read_grouping(struct reading *r, smtpc_scanner *s)
{
    int rc = next_line(r, "the line 'by'");
    if (rc == 0)
        rc = expect_word(r, "by", "the line 'by' and the axes or '-' expected");
    const char *axes;
    size_t len;
    size_t start = r->at;
    if (rc == 0)
        rc = next_field(r, &axes, &len, 1, "the axes");
    if (rc == 0 && !(len == 1 && axes[0] == '-')) {
        char text[128];
        smtpc_error ignored;
        if (len >= sizeof text)
            return refuse_at(r, start, "axes (domain,reason) or '-' expected");
        memcpy(text, axes, len);
        text[len] = '\0';
        if (smtpc_scanner_group_by(s, text, &ignored) != 0)
            return refuse_at(r, start + ignored.column - 1, ignored.text);
    }
    r->at = r->line_end + 1;
    unsigned long long bucket = 0;
    if (rc == 0)
        rc = read_total(r, "bucket", &bucket);
    if (rc == 0 &&
        smtpc_scanner_set_bucket(s, (long long)(bucket < (1ULL << 40) ? bucket : 0), NULL) != 0)
        rc = smtpc_set_error(r->err, SMTPC_EDATA, "", r->line_no, sizeof "bucket ",
                             "a time bucket of 60 to 2678400 seconds expected");
    return rc;
}

static int read_attempts(struct reading *r, smtpc_scanner *s, struct attempts_read *a)
{
    int rc = read_total(r, "attempts", &a->attempts);
    if (rc == 0)
        rc = next_line(r, "the line 'outcomes'");
    if (rc == 0)
        rc = expect_word(r, "outcomes", "the line 'outcomes' and four counts expected");
    for (int o = 0; rc == 0 && o < SMTPC_SCAN_OUTCOMES; o++)
        rc = read_count(r, &a->outcomes[o], o == SMTPC_SCAN_OUTCOMES - 1, "a count of outcomes");
    r->at = r->line_end + 1;
    return rc == 0 ? read_grouping(r, s) : rc;
}

static int read_code(struct reading *r, int *code)
{
    const char *s;
    size_t len;
    size_t start = r->at;
    int rc = next_field(r, &s, &len, 0, "a reply code");
    if (rc != 0)
        return rc;
    if (r->version >= 2 && len == 1 && s[0] == '0') {
        *code = 0; /* an attempt that got no reply */
        return 0;
    }
    if (len != 3 || s[0] < '2' || s[0] > '5' || !smtpc_is_digit(s[1]) || !smtpc_is_digit(s[2]))
        return refuse_at(r, start,
                         r->version >= 2 ? "a reply code (200 to 599) or 0 expected"
                                         : "a reply code (200 to 599) expected");
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
static int read_reason(struct reading *r, const smtpc_db *db, int code, int action,
                       const char **reason)
{
    const char *s;
    size_t len;
    size_t start = r->at;
    int rc = next_field(r, &s, &len, 0, "a reason or '-'");
    if (rc != 0)
        return rc;
    /* an attempt without a reply fails unless it was delivered */
    int failure = code >= 400 || (code == 0 && action != SMTPC_ACTION_DONE);
    if (len == 1 && s[0] == '-') {
        *reason = "";
        return failure ? refuse_at(r, start, "a failure needs a reason") : 0;
    }
    if (!failure)
        return refuse_at(r, start,
                         "a 2xx or 3xx reply or a delivery has no reason: '-' "
                         "expected");
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

static int read_text(struct reading *r, char *text, size_t cap, size_t *len, const char *too_long);

/* The rest of the line, unescaped into `sample` (SMTPC_SCAN_SAMPLE_MAX bytes); refuses what the
 * saved form does not write, so that the form stays canonical. */
static int read_sample(struct reading *r, char *sample, size_t *len)
{
    int rc = read_text(r, sample, SMTPC_SCAN_SAMPLE_MAX, len, "a sample longer than 400 bytes");
    if (rc == 0 && r->at != r->line_end)
        return refuse_at(r, r->at, "a byte that the saved form writes as '\\xHH'");
    return rc;
}

/* Escaped text up to the line's end or a tab (not consumed), unescaped into `text` (`cap`
 * bytes at most). */
static int read_text(struct reading *r, char *text, size_t cap, size_t *len, const char *too_long)
{
    size_t n = 0;
    while (r->at < r->line_end && r->p[r->at] != '\t') {
        size_t start = r->at;
        int c = (unsigned char)r->p[r->at++];
        if (c == '\\') {
            c = read_escape(r);
            if (c < 0)
                return refuse_at(r, start,
                                 "an escape '\\xHH' (two upper-case hex digits) "
                                 "expected");
            if (plain_byte((unsigned char)c))
                return refuse_at(r, start, "a printable byte written as an escape");
            r->at += 3;
        } else if (!plain_byte((unsigned char)c)) {
            return refuse_at(r, start, "a byte that the saved form writes as '\\xHH'");
        }
        if (n == cap)
            return refuse_at(r, start, too_long);
        text[n++] = (char)c;
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
        rc = read_reason(r, db, row.code, row.action, &row.reason);
    if (rc == 0)
        rc = read_sample(r, sample, &row.sample_len);
    if (rc != 0)
        return rc;
    uint64_t key = smtpc_scan_key(row.code, enhanced, enhanced_len);
    if (rows > 0 && key <= *last_key)
        return refuse_at(r, code_at,
                         "rows must come in order of code and enhanced code, each "
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

enum { VALUE_MAX = 255 };

/* A group's count and outcomes: "group 3 1 2 0 0", which must add up. */
static int read_group_counts(struct reading *r, unsigned long long *count,
                             unsigned long long outcomes[SMTPC_SCAN_OUTCOMES])
{
    size_t start = r->at;
    int rc = read_count(r, count, 0, "a count");
    unsigned long long sum = 0;
    for (int o = 0; rc == 0 && o < SMTPC_SCAN_OUTCOMES; o++) {
        size_t at = r->at;
        while (at < r->line_end && r->p[at] != ' ' && r->p[at] != '\t')
            at++;
        /* the last count ends at the tab before the values */
        const char *end = r->p + at;
        if (o == SMTPC_SCAN_OUTCOMES - 1) {
            if (at == r->line_end || *end != '\t')
                return refuse_at(r, at, "a tab and the group's values expected");
            struct reading last = *r;
            last.line_end = at;
            rc = read_count(&last, &outcomes[o], 1, "a count of outcomes");
            r->at = at + 1;
        } else {
            rc = read_count(r, &outcomes[o], 0, "a count of outcomes");
        }
        sum += rc == 0 ? outcomes[o] : 0;
    }
    if (rc == 0 && (*count == 0 || sum != *count))
        return refuse_at(r, start,
                         "a group counts one attempt or more, its outcomes adding up "
                         "to its count");
    return rc;
}

/* One "group" line, after the previous one in the order of the groups. */
static int read_group(struct reading *r, smtpc_scanner *s, unsigned long long *grouped)
{
    struct smtpc_scan_groups *g = smtpc_scanner_groups(s);
    size_t start = r->at;
    unsigned long long count, outcomes[SMTPC_SCAN_OUTCOMES];
    int rc = read_group_counts(r, &count, outcomes);
    char values[SMTPC_SCAN_MAX_AXES][VALUE_MAX];
    const char *pointers[SMTPC_SCAN_MAX_AXES];
    size_t lens[SMTPC_SCAN_MAX_AXES];
    for (size_t i = 0; rc == 0 && i < g->n_axes; i++) {
        size_t at = r->at;
        rc = read_text(r, values[i], VALUE_MAX, &lens[i], "a value longer than 255 bytes");
        if (rc == 0 && memchr(values[i], '\0', lens[i]) != NULL)
            rc = refuse_at(r, at, "a value holds a NUL byte");
        if (rc == 0 && r->at == r->line_end)
            rc = refuse_at(r, r->at, "a tab and the next value or the sample expected");
        r->at++;
        pointers[i] = values[i];
    }
    char sample[SMTPC_SCAN_SAMPLE_MAX];
    size_t sample_len = 0;
    if (rc == 0)
        rc = read_sample(r, sample, &sample_len);
    if (rc != 0)
        return rc;
    if (count > ~0ULL - *grouped)
        return refuse_at(r, start, "the counts of the groups add up past any number");
    *grouped += count;
    rc = smtpc_groups_add(g, pointers, lens, count, outcomes, sample, sample_len);
    if (rc == SMTPC_ENOMEM)
        return smtpc_set_error(r->err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    if (rc != 0 || (g->n > 1 && smtpc_groups_order(g, smtpc_groups_at(g, g->n - 2),
                                                   smtpc_groups_at(g, g->n - 1)) >= 0))
        return refuse_at(r, start,
                         "groups must come in their order (by count, most first, then "
                         "by value; by value when the first axis is time), each once");
    return 0;
}

static int starts_with(const struct reading *r, const char *word)
{
    size_t n = strlen(word);
    return r->line_end - r->at >= n && memcmp(r->p + r->at, word, n) == 0;
}

/* The rows, the groups, then "end" with their numbers and the end of the text. */
static int read_rows(struct reading *r, smtpc_scanner *s, unsigned long long *counted,
                     unsigned long long *grouped)
{
    uint64_t last_key = 0;
    size_t rows = 0;
    for (;;) {
        int rc = next_line(r, "a 'row' or the 'end' line");
        if (rc != 0)
            return rc;
        if (smtpc_scanner_group_count(s) == 0 && starts_with(r, "row ")) {
            r->at += 4;
            if ((rc = read_row(r, s, &last_key, rows, counted)) != 0)
                return rc;
            rows++;
            r->at = r->line_end + 1;
            continue;
        }
        if (r->version >= 2 && smtpc_scanner_axis_count(s) > 0 && starts_with(r, "group ")) {
            r->at += 6;
            if ((rc = read_group(r, s, grouped)) != 0)
                return rc;
            r->at = r->line_end + 1;
            continue;
        }
        unsigned long long n, groups = 0;
        if ((rc = expect_word(r, "end", "a 'row', a 'group' or the 'end' line expected")) != 0 ||
            (rc = read_count(r, &n, r->version < 2, "the number of rows")) != 0 ||
            (r->version >= 2 && (rc = read_count(r, &groups, 1, "the number of groups")) != 0))
            return rc;
        if (n != rows || groups != smtpc_scanner_group_count(s))
            return refuse_at(r, r->line_start + 4,
                             "the number of rows or groups read is not "
                             "the one 'end' gives");
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

/* The attempts must agree with the replies and the groups: each attempt counts one reply, has
 * one outcome and is in one group (when there are groups). */
static int check_attempts(struct reading *r, const smtpc_scanner *s,
                          const unsigned long long totals[3], const struct attempts_read *a)
{
    unsigned long long sum = 0;
    for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++)
        sum += a->outcomes[o];
    if (a->attempts > totals[1] || sum != a->attempts)
        return smtpc_set_error(r->err, SMTPC_EDATA, "", 5, sizeof "attempts ",
                               "the attempts are more than the replies, or not the sum of "
                               "their outcomes");
    if (smtpc_scanner_axis_count(s) > 0 && a->grouped != a->attempts)
        return smtpc_set_error(r->err, SMTPC_EDATA, "", 5, sizeof "attempts ",
                               "the groups count %llu attempts, not %llu", a->grouped, a->attempts);
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
    struct reading r = {data != NULL ? data : "", len, 0, 0, 0, 0, err, 0};
    unsigned long long totals[3] = {0, 0, 0};
    unsigned long long counted = 0;
    struct attempts_read attempts;
    memset(&attempts, 0, sizeof attempts);
    rc = read_header(&r, totals);
    if (rc == 0 && r.version >= 2)
        rc = read_attempts(&r, s, &attempts);
    if (rc == 0)
        rc = read_rows(&r, s, &counted, &attempts.grouped);
    if (rc == 0)
        rc = check_totals(&r, totals, counted);
    if (rc == 0)
        rc = check_attempts(&r, s, totals, &attempts);
    if (rc != 0) {
        smtpc_scanner_free(s);
        return rc;
    }
    smtpc_scanner_add_counts(s, totals[0], totals[1], totals[2]);
    smtpc_groups_add_totals(smtpc_scanner_groups(s), attempts.attempts, attempts.outcomes);
    smtpc_groups_sort(smtpc_scanner_groups(s));
    *out = s;
    return 0;
}
