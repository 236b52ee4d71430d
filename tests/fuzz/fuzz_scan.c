/*
 * fuzz_scan.c - the log scanner: the same bytes fed at once and in random chunks (empty ones
 * and NULL pointers with no bytes included) must give the same counts and rows, or both be
 * refused with SMTPC_EINPUT and a message; and every rendering of the summary must be
 * well-formed. The input may be compressed (the seeds hold gzip, xz, bzip2 and zstd logs,
 * whole, cut short and corrupt): the decoders are fuzzed through the scanner.
 *
 * Input: byte 0 seeds the chunking, the rest is the log.
 */
#include "fuzz_common.h"

#include <string.h>

/* Scans `len` bytes, at once or in chunks `rng` chooses; `*rc` is 0 or SMTPC_EINPUT. */
static smtpc_scanner *scan(const char *s, size_t len, struct fuzz_rng *rng, int *rc)
{
    smtpc_scanner *sc = NULL;
    smtpc_error err;
    FUZZ_CHECK(smtpc_scanner_new(&sc, NULL, &err) == 0 && sc != NULL, "scanner_new");
    size_t at = 0;
    *rc = 0;
    while (at < len && *rc == 0) {
        size_t step = len - at;
        if (rng != NULL) {
            switch (fuzz_rng_below(rng, 4)) {
            case 0: step = 0; break;
            case 1: step = 1 + fuzz_rng_below(rng, 3); break;
            default: step = 1 + fuzz_rng_below(rng, 2 * len / 16 + 1); break;
            }
            if (step > len - at)
                step = len - at;
        }
        const char *chunk = step == 0 && fuzz_rng_below(rng, 2) ? NULL : s + at;
        fuzz_poison_error(&err);
        *rc = smtpc_scanner_feed(sc, chunk, step, &err);
        at += step;
        /* Rows may be read between feeds; they are in order of first appearance. */
        for (size_t i = 0; i < smtpc_scanner_row_count(sc); i++)
            FUZZ_CHECK(smtpc_scanner_row(sc, i) != NULL, "row %zu", i);
    }
    int refused_by_feed = *rc != 0;
    if (*rc == 0) {
        fuzz_poison_error(&err);
        *rc = smtpc_scanner_finish(sc, &err);
    }
    if (*rc != 0) {
        fuzz_check_error(*rc, &err);
        FUZZ_CHECK(*rc == SMTPC_EINPUT, "scan failed with %d: %s", *rc, err.text);
        /* a refused input stays refused until it ends */
        if (refused_by_feed)
            FUZZ_CHECK(smtpc_scanner_feed(sc, "\n", 1, NULL) == SMTPC_EINPUT,
                       "a refused input took more");
    }
    return sc;
}

static unsigned long long count_lines(const char *s, size_t len)
{
    unsigned long long n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n + (len > 0 && s[len - 1] != '\n');
}

static void check_rows(const smtpc_scanner *sc)
{
    unsigned long long total = 0;
    size_t n = smtpc_scanner_row_count(sc);
    for (size_t i = 0; i < n; i++) {
        const smtpc_scan_row *row = smtpc_scanner_row(sc, i);
        FUZZ_CHECK(row != NULL, "row %zu", i);
        /* code 0: delivery attempts that got no reply */
        FUZZ_CHECK(row->code == 0 || (row->code >= 200 && row->code <= 599), "row code %d",
                   row->code);
        FUZZ_CHECK(row->count >= 1, "row count");
        FUZZ_CHECK(row->enhanced != NULL && row->sample != NULL, "row strings");
        FUZZ_CHECK(row->action >= SMTPC_ACTION_DONE && row->action <= SMTPC_ACTION_GIVE_UP,
                   "row action %d", row->action);
        if (row->enhanced[0] != '\0') {
            smtpc_code c;
            FUZZ_CHECK(smtpc_code_parse(&c, row->enhanced, strlen(row->enhanced), NULL) == 0 &&
                           c.kind == SMTPC_KIND_ENHANCED,
                       "row enhanced '%s'", row->enhanced);
        }
        const smtpc_entry *e;
        if (smtpc_lookup_number(&e, smtpc_db_builtin(), row->code, NULL) != 0)
            e = NULL;
        FUZZ_CHECK(row->entry == e, "row entry");
        if (i > 0) {
            const smtpc_scan_row *prev = smtpc_scanner_row(sc, i - 1);
            /* code 0 (no reply) comes last */
            FUZZ_CHECK(row->code == 0 || (prev->code != 0 && prev->code <= row->code),
                       "rows out of order");
            FUZZ_CHECK(prev->code != row->code || strcmp(prev->enhanced, row->enhanced) != 0,
                       "two rows for %d %s", row->code, row->enhanced);
        }
        total += row->count;
    }
    FUZZ_CHECK(smtpc_scanner_row(sc, n) == NULL, "a row past the end");
    FUZZ_CHECK(total == smtpc_scanner_replies(sc), "rows count %llu replies, scanner %llu",
               total, smtpc_scanner_replies(sc));
}

static void check_same(const smtpc_scanner *a, const smtpc_scanner *b)
{
    FUZZ_CHECK(smtpc_scanner_lines(a) == smtpc_scanner_lines(b), "lines %llu vs %llu",
               smtpc_scanner_lines(a), smtpc_scanner_lines(b));
    FUZZ_CHECK(smtpc_scanner_replies(a) == smtpc_scanner_replies(b), "replies %llu vs %llu",
               smtpc_scanner_replies(a), smtpc_scanner_replies(b));
    FUZZ_CHECK(smtpc_scanner_skipped(a) == smtpc_scanner_skipped(b), "skipped");
    FUZZ_CHECK(smtpc_scanner_row_count(a) == smtpc_scanner_row_count(b), "row counts");
    for (size_t i = 0; i < smtpc_scanner_row_count(a); i++) {
        const smtpc_scan_row *x = smtpc_scanner_row(a, i);
        const smtpc_scan_row *y = smtpc_scanner_row(b, i);
        FUZZ_CHECK(x->code == y->code && strcmp(x->enhanced, y->enhanced) == 0 &&
                       x->count == y->count && strcmp(x->sample, y->sample) == 0 &&
                       x->entry == y->entry && x->enhanced_entry == y->enhanced_entry &&
                       x->action == y->action,
                   "row %zu differs: %d %s x%llu vs %d %s x%llu", i, x->code, x->enhanced,
                   x->count, y->code, y->enhanced, y->count);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    struct fuzz_rng rng = {data[0] | fuzz_hash(data + 1, size - 1) << 8};
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    int rc_once, rc_chunked;
    smtpc_scanner *once = scan(s, len, NULL, &rc_once);
    smtpc_scanner *chunked = scan(s, len, &rng, &rc_chunked);
    FUZZ_CHECK(rc_once == rc_chunked, "at once %d, in chunks %d", rc_once, rc_chunked);
    FUZZ_CHECK(smtpc_scanner_compression(once) == smtpc_scanner_compression(chunked),
               "compression %d vs %d", smtpc_scanner_compression(once),
               smtpc_scanner_compression(chunked));
    if (rc_once != 0) {
        smtpc_scanner_free(once);
        smtpc_scanner_free(chunked);
        return 0;
    }
    if (smtpc_scanner_compression(once) == SMTPC_COMPRESSION_NONE)
        FUZZ_CHECK(smtpc_scanner_lines(once) == count_lines(s, len), "lines %llu, expected %llu",
                   smtpc_scanner_lines(once), count_lines(s, len));
    FUZZ_CHECK(smtpc_scanner_replies(once) + smtpc_scanner_skipped(once) <=
                   smtpc_scanner_lines(once),
               "more replies than lines");
    check_rows(once);
    check_same(once, chunked);
    /* One format per input, chosen by it: rendering costs more than scanning. */
    int format = (int)fuzz_rng_below(&rng, 4);
    {
        char *out = (char *)1;
        size_t out_len = 0;
        smtpc_error err;
        int rc = smtpc_render_scan(&out, &out_len, once, format, &err);
        fuzz_check_rendered(rc, out, out_len, format, &err);
        FUZZ_CHECK(rc == 0, "render_scan failed");
        smtpc_free(out);
    }
    smtpc_scanner_free(once);
    smtpc_scanner_free(chunked);
    return 0;
}
