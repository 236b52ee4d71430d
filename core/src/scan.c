/*
 * scan.c - counting the replies in mail logs and bounce messages, streamed: memory grows with
 * the number of distinct (code, enhanced code) pairs, never with the input.
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { SAMPLE_MAX = 400, FIRST_TABLE_SIZE = 64 };

struct scan_row {
    smtpc_scan_row row;
    uint64_t key;
    char enhanced[SMTPC_CODE_TEXT_SIZE];
};

struct smtpc_scanner {
    const smtpc_db *db;
    unsigned long long lines, replies, skipped;
    struct scan_row *rows;
    size_t n_rows, cap_rows;
    size_t *table; /* open addressing: row index + 1, 0 for empty */
    size_t table_size;
    struct smtpc_buf carry; /* the start of a line split across feeds */
    int skipping;           /* the carried line went over the limit: drop it */
};

int smtpc_scanner_new(smtpc_scanner **out, const smtpc_db *db, smtpc_error *err)
{
    if (out == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    (*out)->db = db != NULL ? db : smtpc_db_builtin();
    smtpc_buf_init(&(*out)->carry);
    return 0;
}

void smtpc_scanner_free(smtpc_scanner *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_rows; i++)
        free((char *)s->rows[i].row.sample);
    free(s->rows);
    free(s->table);
    smtpc_buf_free(&s->carry);
    free(s);
}

static uint64_t hash_key(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return key;
}

static int grow_table(smtpc_scanner *s)
{
    size_t size = s->table_size ? s->table_size * 2 : FIRST_TABLE_SIZE;
    size_t *table = calloc(size, sizeof *table);
    if (table == NULL)
        return 0;
    for (size_t i = 0; i < s->n_rows; i++) {
        size_t slot = (size_t)hash_key(s->rows[i].key) & (size_t)(size - 1);
        while (table[slot] != 0)
            slot = (slot + 1) & (size - 1);
        table[slot] = i + 1;
    }
    free(s->table);
    s->table = table;
    s->table_size = size;
    return 1;
}

/* A reply's identity: code, and enhanced class, subject and detail (all 0 without one). */
static uint64_t make_key(int code, const smtpc_code *enhanced)
{
    uint64_t key = (uint64_t)code << 32;
    if (enhanced != NULL)
        key |= (uint64_t)enhanced->klass << 24 | (uint64_t)enhanced->category << 12 |
               (uint64_t)enhanced->detail;
    return key;
}

/* Each public row points at the enhanced code kept beside it; moving the rows moves that. */
static void point_rows_at_their_codes(smtpc_scanner *s)
{
    for (size_t i = 0; i < s->n_rows; i++)
        s->rows[i].row.enhanced = s->rows[i].enhanced;
}

static struct scan_row *new_row(smtpc_scanner *s, uint64_t key, int code, const char *enhanced,
                                size_t enhanced_len, const char *line, size_t line_len)
{
    if (s->n_rows == s->cap_rows) {
        struct scan_row *rows = smtpc_array_grow(s->rows, &s->cap_rows, sizeof *rows, 32);
        if (rows == NULL)
            return NULL;
        s->rows = rows;
        point_rows_at_their_codes(s);
    }
    size_t keep = line_len < SAMPLE_MAX ? line_len : SAMPLE_MAX;
    char *sample = malloc(keep + 1);
    if (sample == NULL)
        return NULL;
    memcpy(sample, line, keep);
    sample[keep] = '\0';
    struct scan_row *r = &s->rows[s->n_rows];
    memset(r, 0, sizeof *r);
    r->key = key;
    memcpy(r->enhanced, enhanced, enhanced_len);
    r->row.enhanced = r->enhanced;
    r->row.code = code;
    r->row.sample = sample;
    r->row.sample_len = keep;
    smtpc_lookup_number(&r->row.entry, s->db, code, NULL);
    if (enhanced_len > 0)
        smtpc_lookup_closest(&r->row.enhanced_entry, NULL, s->db, enhanced, enhanced_len, NULL);
    /* The command matters only to a 552 (RFC 5321 section 4.5.3.1.10); Postfix names it. */
    const char *command = code == 552 && strstr(sample, "(in reply to RCPT TO") ? "RCPT" : NULL;
    smtpc_verdict v;
    smtpc_classify_parts(&v, s->db, code, r->enhanced, command);
    r->row.action = v.action;
    s->n_rows++;
    return r;
}

/* Counts one reply, adding a row the first time its (code, enhanced code) is seen. */
static int count_reply(smtpc_scanner *s, int code, const char *enhanced, size_t enhanced_len,
                       const char *line, size_t line_len)
{
    smtpc_code parsed;
    int has_enhanced =
        enhanced_len > 0 && smtpc_code_parse(&parsed, enhanced, enhanced_len, NULL) == 0;
    uint64_t key = make_key(code, has_enhanced ? &parsed : NULL);
    if (s->n_rows * 2 >= s->table_size && !grow_table(s))
        return SMTPC_ENOMEM;
    size_t slot = (size_t)hash_key(key) & (s->table_size - 1);
    while (s->table[slot] != 0) {
        struct scan_row *r = &s->rows[s->table[slot] - 1];
        if (r->key == key) {
            r->row.count++;
            return 0;
        }
        slot = (slot + 1) & (s->table_size - 1);
    }
    struct scan_row *r =
        new_row(s, key, code, enhanced, has_enhanced ? enhanced_len : 0, line, line_len);
    if (r == NULL)
        return SMTPC_ENOMEM;
    r->row.count = 1;
    s->table[slot] = s->n_rows;
    return 0;
}

static int scan_line(smtpc_scanner *s, const char *line, size_t len)
{
    s->lines++;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    size_t at = smtpc_find_embedded_reply(line, len);
    if (at == len)
        return 0;
    s->replies++;
    int code = (line[at] - '0') * 100 + (line[at + 1] - '0') * 10 + (line[at + 2] - '0');
    size_t text = at + 4 <= len ? at + 4 : len;
    size_t enhanced_len = smtpc_enhanced_prefix(line + text, len - text);
    return count_reply(s, code, line + text, enhanced_len, line, len);
}

/* Adds the start of a line that the next feed will finish; refuses to hold more than a line. */
static void carry_over(smtpc_scanner *s, const char *data, size_t len)
{
    if (s->skipping)
        return;
    if (s->carry.len + len > SMTPC_REPLY_HARD_LINE_LIMIT) {
        s->skipping = 1;
        s->carry.len = 0;
        return;
    }
    smtpc_buf_append(&s->carry, data, len);
}

static int end_carried_line(smtpc_scanner *s)
{
    int rc = 0;
    if (s->skipping) {
        s->lines++;
        s->skipped++;
    } else {
        rc = scan_line(s, s->carry.data != NULL ? s->carry.data : "", s->carry.len);
    }
    s->skipping = 0;
    s->carry.len = 0;
    return rc;
}

int smtpc_scanner_feed(smtpc_scanner *s, const char *data, size_t len, smtpc_error *err)
{
    if (s == NULL || (data == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (len == 0)
        return 0;
    size_t at = 0;
    int rc = 0;
    if (s->carry.len > 0 || s->skipping) {
        const char *nl = memchr(data, '\n', len);
        size_t end = nl != NULL ? (size_t)(nl - data) : len;
        carry_over(s, data, end);
        if (nl == NULL)
            return s->carry.failed ? smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory")
                                   : 0;
        rc = end_carried_line(s);
        at = end + 1;
    }
    while (rc == 0 && at < len) {
        const char *nl = memchr(data + at, '\n', len - at);
        if (nl == NULL) {
            carry_over(s, data + at, len - at);
            break;
        }
        size_t end = (size_t)(nl - data);
        if (end - at > SMTPC_REPLY_HARD_LINE_LIMIT) {
            s->lines++;
            s->skipped++;
        } else {
            rc = scan_line(s, data + at, end - at);
        }
        at = end + 1;
    }
    if (rc != 0 || s->carry.failed)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}

static int compare_rows(const void *a, const void *b)
{
    uint64_t ka = ((const struct scan_row *)a)->key;
    uint64_t kb = ((const struct scan_row *)b)->key;
    return (ka > kb) - (ka < kb);
}

/* Puts the rows in key order. The hash table indexes rows by position, so it is dropped and
 * rebuilt by the next count, should the scanner be fed again. */
static void sort_rows(smtpc_scanner *s)
{
    if (s->n_rows > 1)
        qsort(s->rows, s->n_rows, sizeof *s->rows, compare_rows);
    point_rows_at_their_codes(s);
    free(s->table);
    s->table = NULL;
    s->table_size = 0;
}

int smtpc_scanner_finish(smtpc_scanner *s, smtpc_error *err)
{
    if (s == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if ((s->carry.len > 0 || s->skipping) && end_carried_line(s) != 0)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    sort_rows(s);
    return 0;
}

unsigned long long smtpc_scanner_lines(const smtpc_scanner *s)
{
    return s != NULL ? s->lines : 0;
}

unsigned long long smtpc_scanner_replies(const smtpc_scanner *s)
{
    return s != NULL ? s->replies : 0;
}

unsigned long long smtpc_scanner_skipped(const smtpc_scanner *s)
{
    return s != NULL ? s->skipped : 0;
}

size_t smtpc_scanner_row_count(const smtpc_scanner *s)
{
    return s != NULL ? s->n_rows : 0;
}

const smtpc_scan_row *smtpc_scanner_row(const smtpc_scanner *s, size_t index)
{
    if (s == NULL || index >= s->n_rows)
        return NULL;
    return &s->rows[index].row;
}
