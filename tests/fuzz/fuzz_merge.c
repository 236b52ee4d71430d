/*
 * fuzz_merge.c - summaries that combine: a log cut at random line ends into up to four parts,
 * each part scanned alone, the parts' summaries merged in a random order (into an empty
 * summary or into a part), must be the summary of the whole log; a summary saved and loaded
 * back must be the same summary; and the input read as a saved form is refused with a
 * well-formed error, or loaded, and then saved again byte for byte (the form is canonical).
 *
 * The merge holds for text logs read line by line: when the log or a part is refused as no
 * text, or its first bytes are a compressed format's magic number (each part is an input of
 * its own, read from its first bytes: tests/fuzz/fuzz_scan.c fuzzes that), or it was not read
 * line by line (smtpc_scanner_line_by_line(): messages, an export's columns), the merge is not
 * checked.
 *
 * Input: byte 0 seeds the cuts and the order, the rest is the log (and the saved form).
 */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_PARTS = 4 };

/* The summary of `len` bytes read as text, or NULL when they are not (refused, or
 * compressed). */
static smtpc_scanner *scan(const char *s, size_t len)
{
    smtpc_scanner *sc = NULL;
    smtpc_error err;
    FUZZ_CHECK(smtpc_scanner_new(&sc, NULL, &err) == 0 && sc != NULL, "scanner_new");
    int rc = smtpc_scanner_feed(sc, s, len, &err);
    if (rc == 0)
        rc = smtpc_scanner_finish(sc, &err);
    FUZZ_CHECK(rc == 0 || rc == SMTPC_EINPUT, "scan failed: %d %s", rc, err.text);
    if (rc != 0 || smtpc_scanner_compression(sc) != SMTPC_COMPRESSION_NONE) {
        smtpc_scanner_free(sc);
        return NULL;
    }
    return sc;
}

/* The saved form of `sc` (free it). */
static char *saved(const smtpc_scanner *sc, size_t *len)
{
    char *out = NULL;
    smtpc_error err;
    FUZZ_CHECK(smtpc_scanner_save(&out, len, sc, &err) == 0 && out != NULL, "save failed: %s",
               err.text);
    FUZZ_CHECK(strlen(out) == *len, "a saved form with a NUL byte");
    return out;
}

/* The same counts and rows, field by field. */
static void check_same(const smtpc_scanner *a, const smtpc_scanner *b, const char *what)
{
    FUZZ_CHECK(smtpc_scanner_lines(a) == smtpc_scanner_lines(b) &&
                   smtpc_scanner_replies(a) == smtpc_scanner_replies(b) &&
                   smtpc_scanner_skipped(a) == smtpc_scanner_skipped(b),
               "%s: counts %llu/%llu/%llu vs %llu/%llu/%llu", what, smtpc_scanner_lines(a),
               smtpc_scanner_replies(a), smtpc_scanner_skipped(a), smtpc_scanner_lines(b),
               smtpc_scanner_replies(b), smtpc_scanner_skipped(b));
    FUZZ_CHECK(smtpc_scanner_row_count(a) == smtpc_scanner_row_count(b), "%s: row counts",
               what);
    for (size_t i = 0; i < smtpc_scanner_row_count(a); i++) {
        const smtpc_scan_row *x = smtpc_scanner_row(a, i);
        const smtpc_scan_row *y = smtpc_scanner_row(b, i);
        FUZZ_CHECK(x->code == y->code && strcmp(x->enhanced, y->enhanced) == 0 &&
                       x->count == y->count && x->sample_len == y->sample_len &&
                       memcmp(x->sample, y->sample, x->sample_len) == 0 &&
                       x->entry == y->entry && x->enhanced_entry == y->enhanced_entry &&
                       x->action == y->action && strcmp(x->reason, y->reason) == 0,
                   "%s: row %zu differs: %d %s x%llu %s vs %d %s x%llu %s", what, i, x->code,
                   x->enhanced, x->count, x->reason, y->code, y->enhanced, y->count, y->reason);
    }
}

/* Cuts `len` bytes at up to MAX_PARTS - 1 random line ends: `ends[i]` ends part i. */
static size_t cut(const char *s, size_t len, struct fuzz_rng *rng, size_t ends[MAX_PARTS])
{
    size_t n = 0;
    size_t at = 0;
    while (n < MAX_PARTS - 1 && at < len) {
        size_t next = at + fuzz_rng_below(rng, len - at + 1);
        const char *nl = memchr(s + next, '\n', len - next);
        if (nl == NULL)
            break;
        at = (size_t)(nl - s) + 1;
        ends[n++] = at;
    }
    ends[n++] = len;
    return n;
}

static void check_merges(const char *s, size_t len, struct fuzz_rng *rng,
                         const smtpc_scanner *whole)
{
    size_t ends[MAX_PARTS];
    size_t n = cut(s, len, rng, ends);
    smtpc_scanner *parts[MAX_PARTS];
    int all_text = 1;
    for (size_t i = 0, start = 0; i < n; start = ends[i], i++) {
        parts[i] = scan(s + start, ends[i] - start);
        all_text &= parts[i] != NULL && smtpc_scanner_line_by_line(parts[i]);
    }
    if (!all_text) {
        for (size_t i = 0; i < n; i++)
            smtpc_scanner_free(parts[i]);
        return;
    }
    /* a random order, merged into an empty summary or into the first part of the order */
    for (size_t i = n; i > 1; i--) {
        size_t j = fuzz_rng_below(rng, i);
        smtpc_scanner *t = parts[i - 1];
        parts[i - 1] = parts[j];
        parts[j] = t;
    }
    smtpc_scanner *into = NULL;
    size_t first = 0;
    if (fuzz_rng_below(rng, 2)) {
        FUZZ_CHECK(smtpc_scanner_new(&into, NULL, NULL) == 0, "scanner_new");
    } else {
        into = parts[0];
        first = 1;
    }
    for (size_t i = first; i < n; i++) {
        smtpc_error err;
        FUZZ_CHECK(smtpc_scanner_merge(into, parts[i], &err) == 0, "merge failed: %s",
                   err.text);
    }
    check_same(whole, into, "merged parts");
    if (first == 0)
        smtpc_scanner_free(into);
    for (size_t i = 0; i < n; i++)
        smtpc_scanner_free(parts[i]);
}

static void check_round_trip(const smtpc_scanner *whole)
{
    size_t len;
    char *text = saved(whole, &len);
    smtpc_scanner *back = NULL;
    smtpc_error err;
    FUZZ_CHECK(smtpc_scanner_load(&back, NULL, text, len, &err) == 0,
               "a saved form is refused: line %lu, column %lu: %s", err.line, err.column,
               err.text);
    check_same(whole, back, "loaded back");
    size_t again_len;
    char *again = saved(back, &again_len);
    FUZZ_CHECK(again_len == len && memcmp(again, text, len) == 0, "saved again differently");
    free(again);
    free(text);
    smtpc_scanner_free(back);
}

/* The input as a saved form: refused cleanly, or canonical. */
static void check_load(const char *s, size_t len)
{
    smtpc_scanner *sc = (smtpc_scanner *)1;
    smtpc_error err;
    fuzz_poison_error(&err);
    int rc = smtpc_scanner_load(&sc, NULL, s, len, &err);
    if (rc != 0) {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(rc == SMTPC_EDATA, "load failed with %d", rc);
        FUZZ_CHECK(sc == NULL, "a failed load left a scanner");
        FUZZ_CHECK(err.line >= 1, "a refusal without a line");
        return;
    }
    /* version 2 is canonical; version 1 is saved as version 2, which loads back the same */
    if (len > 16 && memcmp(s, "smtpcodes-scan 1", 16) == 0) {
        check_round_trip(sc);
        smtpc_scanner_free(sc);
        return;
    }
    size_t again_len;
    char *again = saved(sc, &again_len);
    FUZZ_CHECK(again_len == len && memcmp(again, s, len) == 0,
               "a loaded form saved again differently");
    free(again);
    smtpc_scanner_free(sc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    struct fuzz_rng rng = {data[0] | fuzz_hash(data + 1, size - 1) << 8};
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    smtpc_scanner *whole = scan(s, len);
    if (whole != NULL) {
        if (smtpc_scanner_line_by_line(whole))
            check_merges(s, len, &rng, whole);
        check_round_trip(whole);
        smtpc_scanner_free(whole);
    }
    check_load(s, len);
    return 0;
}
