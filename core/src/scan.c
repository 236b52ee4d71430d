/*
 * scan.c - counting the replies in mail logs and bounce messages, streamed: memory grows with
 * the number of distinct (code, enhanced code) pairs, never with the input.
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define SCAN_AVX2 1 /* a second pass of the blocks, for machines that have AVX2 */
#endif
#endif

enum { FIRST_TABLE_SIZE = 64 };

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
    struct smtpc_buf carry;        /* the start of a line split across feeds */
    int skipping;                  /* the carried line went over the limit: drop it */
    struct smtpc_decoder *decoder; /* what the input is, and its text when compressed */
};

int smtpc_scanner_new(smtpc_scanner **out, const smtpc_db *db, smtpc_error *err)
{
    if (out == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = calloc(1, sizeof **out);
    if (*out != NULL && ((*out)->decoder = smtpc_decoder_new()) == NULL) {
        free(*out);
        *out = NULL;
    }
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
    smtpc_decoder_free(s->decoder);
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

/* The command a Postfix log line names with "(in reply to RCPT TO command)", or NULL. */
static const char *command_named(const char *line)
{
    static const char prefix[] = "(in reply to ";
    const char *what = strstr(line, prefix);
    if (what == NULL)
        return NULL;
    what += sizeof prefix - 1;
    const char *end = strstr(what, " command)");
    const char *name = NULL;
    if (end == NULL || smtpc_command_parse(&name, what, (size_t)(end - what), NULL) != 0)
        return NULL;
    return name;
}

/* Reads what a row shows of `line` (`line_len` bytes) into `r`: its first
 * SMTPC_SCAN_SAMPLE_MAX bytes as the sample, the enhanced code as written there
 * (`enhanced_len` bytes at `text`, 0 for none) with its closest entry, and the verdict on the
 * reply whose text starts at `text`. */
static int read_line(struct scan_row *r, const smtpc_db *db, int code, const char *text,
                     size_t enhanced_len, const char *line, size_t line_len)
{
    size_t keep = line_len < SMTPC_SCAN_SAMPLE_MAX ? line_len : SMTPC_SCAN_SAMPLE_MAX;
    char *sample = malloc(keep + 1);
    if (sample == NULL)
        return SMTPC_ENOMEM;
    memcpy(sample, line, keep);
    sample[keep] = '\0';
    memset(r->enhanced, 0, sizeof r->enhanced);
    memcpy(r->enhanced, text, enhanced_len);
    r->row.enhanced = r->enhanced;
    r->row.sample = sample;
    r->row.sample_len = keep;
    r->row.enhanced_entry = NULL;
    if (enhanced_len > 0)
        smtpc_lookup_closest(&r->row.enhanced_entry, NULL, db, text, enhanced_len, NULL);
    /* The command decides a 552 (RFC 5321 section 4.5.3.1.10) and some reasons; Postfix names
     * it. The reason is that of the line's reply, whose text starts at `text` (with the
     * enhanced code, if any) and runs to the end of the line, which the sample may cut. */
    smtpc_verdict v;
    if (smtpc_classify_decide(&v, db, NULL, code, r->enhanced, command_named(sample), text,
                              (size_t)(line + line_len - text), NULL) != 0) {
        free(sample);
        return SMTPC_ENOMEM;
    }
    r->row.action = v.action;
    r->row.reason = v.reason;
    return 0;
}

static struct scan_row *new_row(smtpc_scanner *s, uint64_t key, int code, const char *text,
                                size_t enhanced_len, const char *line, size_t line_len)
{
    if (s->n_rows == s->cap_rows) {
        struct scan_row *rows = smtpc_array_grow(s->rows, &s->cap_rows, sizeof *rows, 32);
        if (rows == NULL)
            return NULL;
        s->rows = rows;
        point_rows_at_their_codes(s);
    }
    struct scan_row *r = &s->rows[s->n_rows];
    memset(r, 0, sizeof *r);
    if (read_line(r, s->db, code, text, enhanced_len, line, line_len) != 0)
        return NULL;
    r->key = key;
    r->row.code = code;
    smtpc_lookup_number(&r->row.entry, s->db, code, NULL);
    s->n_rows++;
    return r;
}

/*
 * A row is counted on many lines and shows one of them: its sample, with the verdict on that
 * line's reply. It shows the least of its lines in the order below, whichever order they come
 * in, so that the summaries of the parts of a log, merged in any order, are the summary of the
 * whole log row for row (smtpc_scanner_merge()). The first line seen would depend on which
 * part came first.
 *
 * The order: the kept bytes (the first SMTPC_SCAN_SAMPLE_MAX) in byte order, a prefix first.
 * That decides between any two lines unless they have the same kept bytes, and costs one
 * memcmp() per reply, which for log lines mostly stops within the timestamp. Lines that differ
 * only past the kept bytes are ordered by what else a row shows of them: the action, then the
 * reason. (The enhanced code is the same on all of a row's lines: it is half of its pair.)
 */
static int line_order(const smtpc_scan_row *a, const smtpc_scan_row *b)
{
    size_t n = a->sample_len < b->sample_len ? a->sample_len : b->sample_len;
    int order = memcmp(a->sample, b->sample, n);
    if (order == 0)
        order = (a->sample_len > b->sample_len) - (a->sample_len < b->sample_len);
    if (order == 0)
        order = (a->action > b->action) - (a->action < b->action);
    if (order == 0)
        order = strcmp(a->reason, b->reason);
    return order;
}

/* Makes row `r` show the line of `other` (a row of the same pair), whose sample `sample` it
 * takes over. */
static void show_line_of(struct scan_row *r, const struct scan_row *other, char *sample)
{
    free((char *)r->row.sample);
    r->row.sample = sample;
    r->row.sample_len = other->row.sample_len;
    r->row.action = other->row.action;
    r->row.reason = other->row.reason;
}

/* Makes row `r` show `line`, just counted on it, when that comes first (see line_order()). */
static int show_least_line(smtpc_scanner *s, struct scan_row *r, const char *text,
                           size_t enhanced_len, const char *line, size_t line_len)
{
    size_t keep = line_len < SMTPC_SCAN_SAMPLE_MAX ? line_len : SMTPC_SCAN_SAMPLE_MAX;
    size_t n = keep < r->row.sample_len ? keep : r->row.sample_len;
    int order = memcmp(line, r->row.sample, n);
    if (order == 0)
        order = (keep > r->row.sample_len) - (keep < r->row.sample_len);
    /* A line after the sample, or the sample's own line: one shorter than
     * SMTPC_SCAN_SAMPLE_MAX with the same bytes is the same line. */
    if (order > 0 || (order == 0 && line_len < SMTPC_SCAN_SAMPLE_MAX))
        return 0;
    struct scan_row candidate;
    int rc = read_line(&candidate, s->db, r->row.code, text, enhanced_len, line, line_len);
    if (rc != 0)
        return rc;
    if (order == 0 && line_order(&candidate.row, &r->row) >= 0)
        free((char *)candidate.row.sample);
    else
        show_line_of(r, &candidate, (char *)candidate.row.sample);
    return 0;
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
            return show_least_line(s, r, enhanced, has_enhanced ? enhanced_len : 0, line,
                                   line_len);
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

/* Counts the reply that starts at `at` of `line` (`len` bytes, without its line end). */
static int take_reply(smtpc_scanner *s, const char *line, size_t len, size_t at)
{
    s->replies++;
    int code = (line[at] - '0') * 100 + (line[at + 1] - '0') * 10 + (line[at + 2] - '0');
    size_t text = at + 4 <= len ? at + 4 : len;
    size_t enhanced_len = smtpc_enhanced_prefix(line + text, len - text);
    return count_reply(s, code, line + text, enhanced_len, line, len);
}

/* One line, without its "\n": for the line carried from one feed to the next. */
static int scan_line(smtpc_scanner *s, const char *line, size_t len)
{
    s->lines++;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    size_t at = smtpc_find_embedded_reply(line, len);
    return at == len ? 0 : take_reply(s, line, len, at);
}

/* Whole lines, read in one pass over their bytes: see scan_lines(). */
struct lines_scan {
    smtpc_scanner *s;
    const char *p;     /* the lines */
    size_t n;          /* their length: p[n - 1] is the last line's "\n" */
    size_t line_start; /* of the line the pass is in */
    size_t decided;    /* candidates before this offset are in a line already decided */
};

/* A candidate for a reply at p[at], a digit 2-5 where one may start, in the line that starts at
 * p[start]. When it is the reply of its line, counts it (unless the line is too long to read:
 * that line is counted as skipped when its end is reached) and returns where the line ends, at
 * its "\n" (`lf` when that is known, else 0); returns 0 when the line has to be read on. */
static size_t try_candidate(struct lines_scan *ls, size_t start, size_t at, size_t lf, int *rc)
{
    /* Most candidates are no reply code ("(256/256 bits)", an address, an enhanced code): two
     * more digits and a byte that may follow a code are looked for in place before the line's
     * end is. Each read stops at the line's "\n", which ends the lines. */
    const char *c = ls->p + at;
    if (c[1] < '0' || c[1] > '9' || c[2] < '0' || c[2] > '9' ||
        (c[3] != ' ' && c[3] != '-' && c[3] != '\r' && c[3] != '\n'))
        return 0;
    const char *line = ls->p + start;
    size_t end = lf;
    if (end == 0)
        end = (size_t)((const char *)memchr(ls->p + at, '\n', ls->n - at) - ls->p);
    size_t len = end - start;
    if (len > SMTPC_REPLY_HARD_LINE_LIMIT)
        return end;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    if (!smtpc_reply_starts_at(line, len, at - start))
        return 0;
    *rc = take_reply(ls->s, line, len, at - start);
    return end;
}

/* The end of a line, at p[at]. */
static void end_line(struct lines_scan *ls, size_t at)
{
    ls->s->lines++;
    if (at - ls->line_start > SMTPC_REPLY_HARD_LINE_LIMIT)
        ls->s->skipped++;
    ls->line_start = at + 1;
}

#if defined(__SSE2__) && defined(__GNUC__)
/* Whether each byte of `v` is from `lo` to `lo + span` (0xFF), unsigned. */
static inline __m128i in_range(__m128i v, char lo, char span)
{
    return _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8(lo)), _mm_set1_epi8(span)),
                          _mm_setzero_si128());
}

/* The candidates among sixteen bytes `cur` (`prev` the bytes one before them, `next1` to
 * `next3` the bytes one to three after), as a bit mask: the places where
 * smtpc_reply_starts_at() may say yes, a digit 2-5 after a space, "(" or "\n", two more
 * digits, then a space, "-", "\r" or "\n". */
static inline unsigned candidates_of(__m128i prev, __m128i cur, __m128i next1, __m128i next2,
                                     __m128i next3)
{
    /* One test for the three: " " (0x20), "(" (0x28) and "\n" (0x0A) are the bytes whose bits
     * are all in 0x2A, with five rare others (NUL, 0x02, 0x08, '"', '*') that the full test
     * refuses. */
    __m128i after = _mm_cmpeq_epi8(_mm_or_si128(prev, _mm_set1_epi8(0x2A)), _mm_set1_epi8(0x2A));
    __m128i code = _mm_and_si128(_mm_and_si128(in_range(cur, '2', 3), in_range(next1, '0', 9)),
                                 in_range(next2, '0', 9));
    /* " " or "-", or "\n" or "\r" (with the rest of 0x08-0x0F, refused by the full test) */
    __m128i end = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(next3, _mm_set1_epi8(' ')),
                                            _mm_cmpeq_epi8(next3, _mm_set1_epi8('-'))),
                               in_range(next3, 0x08, 7));
    return (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_and_si128(after, code), end));
}

static inline __m128i load16(const char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Where the line that goes on at p[since] starts: after the last "\n" before, which is in the
 * block that ends at p[since]; at p[0] when `since` is 0. */
static size_t line_start_before(const char *p, size_t since)
{
    for (size_t at = since; at > 0; at -= 16) {
        unsigned lfs = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(load16(p + at - 16), _mm_set1_epi8('\n')));
        if (lfs != 0)
            return at - 16 + 32 - (size_t)__builtin_clz(lfs);
    }
    return 0;
}

/* The state of the pass of scan_lines() over blocks. */
struct blocks {
    size_t since; /* just after the last block that held a "\n", or 0 */
    unsigned long long lines;
    int failed;   /* memory ran out */
};

/* The candidates of the block at p[at], lowest first, `lfs` marking its line ends. */
static void block_replies(struct lines_scan *ls, struct blocks *b, size_t at,
                          unsigned candidates, unsigned lfs)
{
    for (; candidates != 0; candidates &= candidates - 1) {
        size_t pos = at + (size_t)__builtin_ctz(candidates);
        if (pos < ls->decided)
            continue;
        unsigned bit = candidates & (0u - candidates);
        unsigned before = lfs & (bit - 1); /* the line ends before it, and after it */
        unsigned after = lfs & ~(bit - 1);
        size_t start = before != 0 ? at + 32 - (size_t)__builtin_clz(before)
                                   : line_start_before(ls->p, b->since);
        int rc = 0;
        size_t end = try_candidate(ls, start, pos,
                                   after != 0 ? at + (size_t)__builtin_ctz(after) : 0, &rc);
        if (rc != 0)
            b->failed = 1;
        if (end != 0)
            ls->decided = end;
    }
}

/* The end of the block's first line, when that line may be too long to read. */
static void check_long_line(struct lines_scan *ls, struct blocks *b, size_t at, unsigned lfs)
{
    if (lfs != 0 &&
        at + (size_t)__builtin_ctz(lfs) - line_start_before(ls->p, b->since) >
            SMTPC_REPLY_HARD_LINE_LIMIT)
        ls->s->skipped++;
}

/* What each block of `width` bytes needs after its masks: its candidates read, a line that
 * may be too long checked. Returns the next `since`, moved on when the block holds a "\n"
 * (without a branch: see scan_lines()). */
static inline size_t block_done(struct lines_scan *ls, struct blocks *b, size_t since, size_t at,
                                size_t width, unsigned candidates, unsigned lfs)
{
    if (candidates != 0 || at - since + 2 * width > SMTPC_REPLY_HARD_LINE_LIMIT) {
        b->since = since;
        if (candidates != 0)
            block_replies(ls, b, at, candidates, lfs);
        if (at - since + 2 * width > SMTPC_REPLY_HARD_LINE_LIMIT)
            check_long_line(ls, b, at, lfs);
    }
    return since + ((at + width - since) & (0 - (size_t)(lfs != 0)));
}

/* The blocks of sixteen bytes from p[at] (at > 0) while three bytes more can be read after
 * one; returns where they stop. */
static size_t sse2_blocks(struct lines_scan *ls, struct blocks *b, size_t at)
{
    const char *p = ls->p;
    size_t since = b->since;
    while (at + 16 + 3 <= ls->n && !b->failed) {
        /* the line ends in each byte's lane, summed before a lane can overflow */
        __m128i ends = _mm_setzero_si128();
        size_t stop = ls->n - at >= 255 * 16 + 19 ? at + 255 * 16 : ls->n - 18;
        for (; at < stop; at += 16) {
            __m128i lf = _mm_cmpeq_epi8(load16(p + at), _mm_set1_epi8('\n'));
            unsigned candidates = candidates_of(load16(p + at - 1), load16(p + at),
                                                load16(p + at + 1), load16(p + at + 2),
                                                load16(p + at + 3));
            ends = _mm_sub_epi8(ends, lf);
            since = block_done(ls, b, since, at, 16, candidates, (unsigned)_mm_movemask_epi8(lf));
        }
        __m128i sums = _mm_sad_epu8(ends, _mm_setzero_si128());
        b->lines += (unsigned long long)_mm_cvtsi128_si32(sums) +
                    (unsigned long long)_mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
    b->since = since;
    return at;
}

#ifdef SCAN_AVX2
/* The same as sse2_blocks(), thirty-two bytes at a time: half the instructions. */
__attribute__((target("avx2"))) static inline __m256i load32(const char *p)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

__attribute__((target("avx2"))) static inline __m256i in_range32(__m256i v, char lo, char span)
{
    return _mm256_cmpeq_epi8(
        _mm256_subs_epu8(_mm256_sub_epi8(v, _mm256_set1_epi8(lo)), _mm256_set1_epi8(span)),
        _mm256_setzero_si256());
}

__attribute__((target("avx2"))) static size_t avx2_blocks(struct lines_scan *ls,
                                                         struct blocks *b, size_t at)
{
    const char *p = ls->p;
    size_t since = b->since;
    while (at + 32 + 3 <= ls->n && !b->failed) {
        __m256i ends = _mm256_setzero_si256();
        size_t stop = ls->n - at >= 255 * 32 + 35 ? at + 255 * 32 : ls->n - 34;
        for (; at < stop; at += 32) {
            __m256i cur = load32(p + at);
            __m256i lf = _mm256_cmpeq_epi8(cur, _mm256_set1_epi8('\n'));
            /* as in candidates_of() */
            __m256i after = _mm256_cmpeq_epi8(_mm256_or_si256(load32(p + at - 1),
                                                              _mm256_set1_epi8(0x2A)),
                                              _mm256_set1_epi8(0x2A));
            __m256i code = _mm256_and_si256(
                _mm256_and_si256(in_range32(cur, '2', 3), in_range32(load32(p + at + 1), '0', 9)),
                in_range32(load32(p + at + 2), '0', 9));
            __m256i next3 = load32(p + at + 3);
            __m256i end = _mm256_or_si256(
                _mm256_or_si256(_mm256_cmpeq_epi8(next3, _mm256_set1_epi8(' ')),
                                _mm256_cmpeq_epi8(next3, _mm256_set1_epi8('-'))),
                in_range32(next3, 0x08, 7));
            unsigned candidates = (unsigned)_mm256_movemask_epi8(
                _mm256_and_si256(_mm256_and_si256(after, code), end));
            ends = _mm256_sub_epi8(ends, lf);
            since = block_done(ls, b, since, at, 32, candidates,
                               (unsigned)_mm256_movemask_epi8(lf));
        }
        __m256i sums = _mm256_sad_epu8(ends, _mm256_setzero_si256());
        __m128i halves = _mm_add_epi64(_mm256_castsi256_si128(sums),
                                       _mm256_extracti128_si256(sums, 1));
        b->lines += (unsigned long long)_mm_cvtsi128_si64(halves) +
                    (unsigned long long)_mm_cvtsi128_si64(_mm_srli_si128(halves, 8));
    }
    b->since = since;
    return at;
}
#endif
#endif

/* Counts `n` bytes of whole lines at `p` (the last ends in "\n"), and the reply of each: one
 * pass over the bytes finds both the line ends and the few places where a reply may start,
 * many bytes at a time where the machine allows, instead of finding each line's end and then
 * reading the line.
 *
 * The pass takes no branch on whether a block holds a line end: that branch follows the
 * lengths of the lines, which no predictor guesses, and mispredicting it cost more than all
 * the rest. Line ends are counted in vector lanes; a line's start is worked out only when a
 * candidate needs it, from the last block that held a "\n"; only a line that has gone on for
 * nearly the limit is checked for being too long. Few blocks hold a candidate. */
static int scan_lines(smtpc_scanner *s, const char *p, size_t n)
{
    struct lines_scan ls = {s, p, n, 0, 0};
    size_t at = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    if (n >= 16 + 3) {
        /* the first block: a reply may start at p[0], after no byte */
        __m128i cur = load16(p);
        __m128i lf = _mm_cmpeq_epi8(cur, _mm_set1_epi8('\n'));
        __m128i prev = _mm_or_si128(_mm_slli_si128(cur, 1), _mm_cvtsi32_si128('\n'));
        struct blocks b = {0, 0, 0};
        unsigned lfs = (unsigned)_mm_movemask_epi8(lf);
        b.lines = (unsigned long long)__builtin_popcount(lfs);
        b.since = block_done(&ls, &b, 0, 0, 16,
                             candidates_of(prev, cur, load16(p + 1), load16(p + 2), load16(p + 3)),
                             lfs);
        at = 16;
#ifdef SCAN_AVX2
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2"))
            at = avx2_blocks(&ls, &b, at);
#endif
        at = sse2_blocks(&ls, &b, at);
        s->lines += b.lines;
        if (b.failed)
            return SMTPC_ENOMEM;
        ls.line_start = line_start_before(p, b.since);
    }
#endif
    for (; at < n; at++) {
        char c = p[at];
        if (c == '\n') {
            end_line(&ls, at);
        } else if (c >= '2' && c <= '5' && at >= ls.decided &&
                   (at == 0 || p[at - 1] == ' ' || p[at - 1] == '(' || p[at - 1] == '\n')) {
            int rc = 0;
            size_t end = try_candidate(&ls, ls.line_start, at, 0, &rc);
            if (rc != 0)
                return rc;
            if (end != 0)
                ls.decided = end;
        }
    }
    return 0;
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

/* Scans text, which the decoder hands on (decompress.c). */
static int scan_text(smtpc_scanner *s, const char *data, size_t len, smtpc_error *err)
{
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
    if (rc == 0 && at < len) {
        /* the whole lines, then the start of the next */
        size_t whole = len;
        while (whole > at && data[whole - 1] != '\n')
            whole--;
        if (whole > at)
            rc = scan_lines(s, data + at, whole - at);
        if (rc == 0 && whole < len)
            carry_over(s, data + whole, len - whole);
    }
    if (rc != 0 || s->carry.failed)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}

int smtpc_scanner_feed(smtpc_scanner *s, const char *data, size_t len, smtpc_error *err)
{
    if (s == NULL || (data == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (len == 0)
        return 0;
    return smtpc_decoder_feed(s->decoder, data, len, s, scan_text, err);
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
    int rc = smtpc_decoder_finish(s->decoder, s, scan_text, err);
    if (rc != 0)
        return rc;
    if ((s->carry.len > 0 || s->skipping) && end_carried_line(s) != 0)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    sort_rows(s);
    return 0;
}

enum smtpc_compression smtpc_scanner_compression(const smtpc_scanner *s)
{
    return s != NULL ? smtpc_decoder_compression(s->decoder) : SMTPC_COMPRESSION_NONE;
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

/* ---- merging, and what scan_saved.c builds summaries with ---- */

int smtpc_scanner_holds_line(const smtpc_scanner *s)
{
    return s->carry.len > 0 || s->skipping || smtpc_decoder_holds_input(s->decoder);
}

const smtpc_db *smtpc_scanner_db(const smtpc_scanner *s)
{
    return s->db;
}

/* Makes the hash table ready for `n_rows` rows (it is dropped by sorting). */
static int reserve_table(smtpc_scanner *s, size_t n_rows)
{
    while (n_rows * 2 >= s->table_size) {
        if (!grow_table(s))
            return 0;
    }
    return 1;
}

static int reserve_rows(smtpc_scanner *s, size_t n_rows)
{
    while (s->cap_rows < n_rows) {
        struct scan_row *rows = smtpc_array_grow(s->rows, &s->cap_rows, sizeof *rows, 32);
        if (rows == NULL)
            return 0;
        s->rows = rows;
        point_rows_at_their_codes(s);
    }
    return 1;
}

/* The row of `key`, or NULL; the table must be ready. */
static struct scan_row *find_row(const smtpc_scanner *s, uint64_t key)
{
    for (size_t slot = (size_t)hash_key(key) & (s->table_size - 1); s->table[slot] != 0;
         slot = (slot + 1) & (s->table_size - 1)) {
        if (s->rows[s->table[slot] - 1].key == key)
            return &s->rows[s->table[slot] - 1];
    }
    return NULL;
}

/* Adds row `s->rows[index]` to the table, which has room. */
static void index_row(smtpc_scanner *s, size_t index)
{
    size_t slot = (size_t)hash_key(s->rows[index].key) & (s->table_size - 1);
    while (s->table[slot] != 0)
        slot = (slot + 1) & (s->table_size - 1);
    s->table[slot] = index + 1;
}

static char *copy_sample(const smtpc_scan_row *row)
{
    char *sample = malloc(row->sample_len + 1);
    if (sample != NULL) {
        memcpy(sample, row->sample, row->sample_len);
        sample[row->sample_len] = '\0';
    }
    return sample;
}

/* What merging does with one row of the scanner merged from, decided before anything
 * changes. */
struct merge_step {
    struct scan_row *into; /* the row with the same pair, or NULL for a new row */
    char *sample;          /* a copy of the row's sample, when `into` is to show its line */
};

/* Decides each step and allocates all that the merge needs; on failure, frees what it
 * allocated, and `into` holds the same summary as before. */
static int plan_merge(struct merge_step *steps, smtpc_scanner *into, const smtpc_scanner *from)
{
    if (!reserve_table(into, into->n_rows))
        return SMTPC_ENOMEM;
    size_t added = 0;
    for (size_t i = 0; i < from->n_rows; i++)
        added += find_row(into, from->rows[i].key) == NULL;
    int ok = reserve_rows(into, into->n_rows + added) &&
             reserve_table(into, into->n_rows + added);
    /* the rows may have moved: they are found once there is room */
    for (size_t i = 0; ok && i < from->n_rows; i++) {
        const struct scan_row *row = &from->rows[i];
        steps[i].into = find_row(into, row->key);
        if (steps[i].into == NULL || line_order(&row->row, &steps[i].into->row) < 0) {
            steps[i].sample = copy_sample(&row->row);
            ok = steps[i].sample != NULL;
        }
    }
    if (ok)
        return 0;
    for (size_t i = 0; i < from->n_rows; i++)
        free(steps[i].sample);
    return SMTPC_ENOMEM;
}

int smtpc_scanner_merge(smtpc_scanner *into, const smtpc_scanner *from, smtpc_error *err)
{
    if (into == NULL || from == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    /* A row's entries, action and reason are its database's: rows of two databases do not
     * add up. */
    if (into->db != from->db)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "the two summaries were made with different databases");
    if (smtpc_scanner_holds_line(from))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "the summary merged from holds a line without its line end: "
                               "finish its scan first");
    size_t n = from->n_rows;
    struct merge_step *steps = calloc(n > 0 ? n : 1, sizeof *steps);
    if (steps == NULL || plan_merge(steps, into, from) != 0) {
        free(steps);
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    }
    /* Nothing fails from here on. `from` may be `into` itself: its counts are read before
     * they change, and it gains no row. */
    into->lines += from->lines;
    into->replies += from->replies;
    into->skipped += from->skipped;
    for (size_t i = 0; i < n; i++) {
        const struct scan_row *row = &from->rows[i];
        struct scan_row *r = steps[i].into;
        if (r == NULL) {
            r = &into->rows[into->n_rows];
            *r = *row;
            r->row.enhanced = r->enhanced;
            r->row.sample = steps[i].sample;
            index_row(into, into->n_rows++);
        } else {
            r->row.count += row->row.count;
            if (steps[i].sample != NULL)
                show_line_of(r, row, steps[i].sample);
        }
    }
    free(steps);
    sort_rows(into);
    return 0;
}

uint64_t smtpc_scan_key(int code, const char *enhanced, size_t enhanced_len)
{
    smtpc_code parsed;
    int has_enhanced =
        enhanced_len > 0 && smtpc_code_parse(&parsed, enhanced, enhanced_len, NULL) == 0;
    return make_key(code, has_enhanced ? &parsed : NULL);
}

void smtpc_scanner_add_counts(smtpc_scanner *s, unsigned long long lines,
                              unsigned long long replies, unsigned long long skipped)
{
    s->lines += lines;
    s->replies += replies;
    s->skipped += skipped;
}

int smtpc_scanner_append_row(smtpc_scanner *s, const smtpc_scan_row *row, size_t enhanced_len)
{
    if (!reserve_rows(s, s->n_rows + 1))
        return SMTPC_ENOMEM;
    struct scan_row *r = &s->rows[s->n_rows];
    memset(r, 0, sizeof *r);
    r->row = *row;
    r->row.sample = copy_sample(row);
    if (r->row.sample == NULL)
        return SMTPC_ENOMEM;
    r->key = smtpc_scan_key(row->code, row->enhanced, enhanced_len);
    memcpy(r->enhanced, row->enhanced, enhanced_len);
    r->row.enhanced = r->enhanced;
    smtpc_lookup_number(&r->row.entry, s->db, row->code, NULL);
    r->row.enhanced_entry = NULL;
    if (enhanced_len > 0)
        smtpc_lookup_closest(&r->row.enhanced_entry, NULL, s->db, row->enhanced, enhanced_len,
                             NULL);
    s->n_rows++;
    return 0;
}
