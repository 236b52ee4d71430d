/*
 * test_threads.c - the library from 8 threads at once (smtpcodes.h: "safe to use from any
 * thread"; "a loaded database may be read from any number of threads at once").
 *
 * One workload of lookups, comparisons, renderings in every format, reply parsing and
 * classification, reply building and log scanning (summaries merged, saved and loaded), on the
 * built-in database and on one loaded database shared by every thread, is first run on the main thread. Then 8 threads, released
 * together, run it several times each, every thread starting its parts at a different one,
 * and every part must give exactly the digest it gave alone. Run under ThreadSanitizer by
 * .ci/sanitize; SMTPC_TEST_QUICK=1 makes the workload smaller (for valgrind).
 */
#include "smtpcodes.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 8, PARTS = 7 };

static const smtpc_db *loaded; /* shared by every thread, read only */
static int quick;
static int rounds = 4;

static void check_failed(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    exit(1);
}

#define CHECK(cond)                                   \
    do {                                              \
        if (!(cond))                                  \
            check_failed(__FILE__, __LINE__, #cond);  \
    } while (0)

/* ---- digests ---- */

static void mix(uint64_t *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        *h ^= p[i];
        *h *= 0x100000001B3ULL;
    }
}

static void mix_str(uint64_t *h, const char *s)
{
    mix(h, s != NULL ? s : "(null)", strlen(s != NULL ? s : "(null)") + 1);
}

static void mix_int(uint64_t *h, long long v)
{
    mix(h, &v, sizeof v);
}

static void mix_owned(uint64_t *h, int rc, char *out, size_t len)
{
    mix_int(h, rc);
    if (rc == 0) {
        CHECK(out != NULL && strlen(out) == len);
        mix(h, out, len);
    }
    smtpc_free(out);
}

/* ---- the parts of the workload ---- */

static size_t stride(size_t normal)
{
    return quick ? normal * 4 : normal;
}

static uint64_t part_lookups(const smtpc_db *db)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    for (size_t i = 0; i < smtpc_db_count(db); i++) {
        const smtpc_entry *e = smtpc_db_entry(db, i);
        const smtpc_entry *found;
        smtpc_error err;
        CHECK(smtpc_lookup(&found, db, e->code, strlen(e->code), &err) == 0 && found == e);
        mix_str(&h, found->name);
        mix_str(&h, found->description);
    }
    static const char *const codes[] = {"5.7.1", "4.7.999", "5.9.9", "299", "4x1", "X.2.2", " 421"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const smtpc_entry *e = NULL;
        int exact = -1;
        smtpc_error err;
        int rc = smtpc_lookup_closest(&e, &exact, db, codes[i], strlen(codes[i]), &err);
        mix_int(&h, rc);
        mix_int(&h, exact);
        mix_str(&h, rc == 0 ? e->code : err.text);
    }
    for (size_t i = 0; i < smtpc_language_count(db); i++) {
        const char *tag = smtpc_language_tag(db, i);
        for (int which = 0; which < SMTPC_LABEL_COUNT; which++) {
            const char *label;
            CHECK(smtpc_label(&label, db, tag, strlen(tag), which, NULL) == 0);
            mix_str(&h, label);
        }
    }
    return h;
}

static uint64_t part_compares(const smtpc_db *db)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    size_t n = smtpc_db_count(db);
    size_t langs = smtpc_language_count(db);
    size_t k = 0;
    for (size_t i = 0; i < n; i += stride(7)) {
        for (size_t j = i + 1; j < n; j += stride(17), k++) {
            const smtpc_entry *a = smtpc_db_entry(db, i);
            const smtpc_entry *b = smtpc_db_entry(db, j);
            const char *lang = smtpc_language_tag(db, k % langs);
            smtpc_comparison *cmp;
            smtpc_error err;
            int rc = smtpc_compare(&cmp, db, a->code, strlen(a->code), b->code, strlen(b->code),
                                   lang, strlen(lang), &err);
            CHECK(rc == 0);
            int format = (int)(k % 4);
            char *out = NULL;
            size_t len = 0;
            rc = smtpc_render_comparison(&out, &len, cmp, format, &err);
            mix_owned(&h, rc, out, len);
            mix_str(&h, smtpc_comparison_part(cmp, SMTPC_PART_INTRO));
            smtpc_comparison_free(cmp);
        }
    }
    return h;
}

static uint64_t part_entries(const smtpc_db *db)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    size_t langs = smtpc_language_count(db);
    for (size_t i = 0; i < smtpc_db_count(db); i += stride(3)) {
        const char *lang = smtpc_language_tag(db, i % langs);
        char *out = NULL;
        size_t len = 0;
        const char *code = smtpc_db_entry(db, i)->code;
        int rc = smtpc_render_code(&out, &len, db, code, strlen(code), lang, strlen(lang),
                                   (int)(i % 4), NULL);
        mix_owned(&h, rc, out, len);
    }
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        char *out = NULL;
        size_t len = 0;
        int rc = smtpc_render_table(&out, &len, db, format == 1 ? 5 : 0, 0, format, NULL);
        mix_owned(&h, rc, out, len);
    }
    return h;
}

static const char *const replies[] = {
    "250 OK\r\n",
    "250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n",
    "550 5.1.1 <x@y>: Recipient address rejected\r\n",
    "550-5.1.1 The account does not exist.\r\n550 5.1.1 Check the address.\r\n",
    "554 4.4.7 Message expired\r\n",
    "552 5.2.2 Mailbox full\r\n",
    "552 Too many recipients\r\n",
    "421 4.3.2 Shutting down\r\n",
    "571 Blocked\r\n",
    "550 bad \xff byte\r\n",
    "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n",
    "250-first\r\n251 second\r\n",
    "250-first\r\n",
    ("Nov 23 10:00:04 mx postfix/smtp[790]: GHI789: to=<r@y.com>, status=deferred (host "
     "mx.y.com[192.0.2.1] said: 552 Too many recipients (in reply to RCPT TO command))"),
};

static uint64_t part_replies(const smtpc_db *db)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    static const char *const commands[] = {"", "RCPT", "DATA"};
    for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
        for (int flags = 0; flags < 8; flags++) {
            const char *s = replies[i];
            size_t len = strlen(s);
            size_t at = 0;
            while (at < len) {
                smtpc_reply *r = NULL;
                size_t used = 0;
                smtpc_error err;
                int rc = smtpc_reply_parse(&r, &used, db, s + at, len - at, flags, &err);
                mix_int(&h, rc);
                mix_int(&h, (long long)used);
                if (rc != 0) {
                    mix_str(&h, err.text);
                    break;
                }
                size_t text_len;
                const char *text = smtpc_reply_text(r, &text_len);
                mix(&h, text, text_len);
                mix_int(&h, smtpc_reply_code(r));
                mix_str(&h, smtpc_reply_enhanced(r));
                mix_int(&h, smtpc_reply_warnings(r));
                const char *command = commands[(i + (size_t)flags) % 3];
                smtpc_verdict v;
                CHECK(smtpc_classify(&v, r, command, strlen(command), NULL) == 0);
                mix_int(&h, v.action);
                mix_str(&h, v.rule);
                char *out = NULL;
                size_t out_len = 0;
                rc = smtpc_render_reply(&out, &out_len, r, command, strlen(command), flags % 4,
                                        NULL);
                mix_owned(&h, rc, out, out_len);
                smtpc_reply_free(r);
                at += used;
            }
        }
    }
    return h;
}

static uint64_t part_builds(const smtpc_db *db)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    char text[1400];
    for (size_t i = 0; i < sizeof text - 1; i++)
        text[i] = i % 7 == 6 ? ' ' : (char)('a' + i % 26);
    text[sizeof text - 1] = '\0';
    static const struct {
        int code;
        const char *enhanced;
    } cases[] = {{250, ""}, {550, "5.7.1"}, {421, "4.3.2"}, {552, "5.2.2"}, {354, ""},
                 {599, ""},  {450, "4.2.1"}, {550, "4.1.1"}, {199, ""}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (size_t text_len = 0; text_len < sizeof text; text_len += stride(97)) {
            char *wire = NULL;
            size_t wire_len = 0;
            int rc = smtpc_reply_build(&wire, &wire_len, db, cases[i].code, cases[i].enhanced,
                                       strlen(cases[i].enhanced), text, text_len, NULL);
            if (rc == 0) {
                smtpc_reply *r;
                size_t used;
                CHECK(smtpc_reply_parse(&r, &used, db, wire, wire_len,
                                        SMTPC_REPLY_STRICT_LENGTH, NULL) == 0 &&
                      used == wire_len && smtpc_reply_code(r) == cases[i].code);
                mix_int(&h, (long long)smtpc_reply_line_count(r));
                smtpc_reply_free(r);
            }
            mix_owned(&h, rc, wire, wire_len);
        }
    }
    return h;
}

/* The saved form of a finished scanner, mixed into `h`; returns it (free it). */
static char *mix_saved(uint64_t *h, const smtpc_scanner *s)
{
    char *text = NULL;
    size_t len = 0;
    CHECK(smtpc_scanner_save(&text, &len, s, NULL) == 0);
    mix(h, text, len);
    return text;
}

static uint64_t part_scan(const smtpc_db *db)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    smtpc_scanner *s;
    CHECK(smtpc_scanner_new(&s, db, NULL) == 0);
    /* the same lines in two halves, merged; the merge loaded back from its saved form */
    smtpc_scanner *halves[2];
    CHECK(smtpc_scanner_new(&halves[0], db, NULL) == 0);
    CHECK(smtpc_scanner_new(&halves[1], db, NULL) == 0);
    char line[300];
    int lines = quick ? 300 : 1500;
    for (int i = 0; i < lines; i++) {
        int n = snprintf(line, sizeof line,
                         "Nov 23 10:00:%02d mx postfix/smtp[%d]: Q%d: to=<u%d@example.com>, "
                         "status=%s (host mx[192.0.2.1] said: %d %d.%d.%d text %d (in reply to "
                         "RCPT TO command))\n",
                         i % 60, i, i, i, i % 3 ? "bounced" : "deferred",
                         i % 3 ? 550 : 452, i % 3 ? 5 : 4, i % 8, i % 5, i);
        /* fed in pieces that split lines anywhere */
        size_t half = (size_t)(i % 40);
        CHECK(smtpc_scanner_feed(s, line, half, NULL) == 0);
        CHECK(smtpc_scanner_feed(s, line + half, (size_t)n - half, NULL) == 0);
        CHECK(smtpc_scanner_feed(halves[i % 2], line, (size_t)n, NULL) == 0);
    }
    CHECK(smtpc_scanner_finish(s, NULL) == 0);
    CHECK(smtpc_scanner_merge(halves[1], halves[0], NULL) == 0);
    char *whole = mix_saved(&h, s);
    char *merged = mix_saved(&h, halves[1]);
    CHECK(strcmp(whole, merged) == 0);
    smtpc_scanner *loaded_back;
    CHECK(smtpc_scanner_load(&loaded_back, db, merged, strlen(merged), NULL) == 0);
    free(mix_saved(&h, loaded_back));
    smtpc_scanner_free(loaded_back);
    smtpc_scanner_free(halves[0]);
    smtpc_scanner_free(halves[1]);
    free(whole);
    free(merged);
    mix_int(&h, (long long)smtpc_scanner_lines(s));
    mix_int(&h, (long long)smtpc_scanner_replies(s));
    for (size_t i = 0; i < smtpc_scanner_row_count(s); i++) {
        const smtpc_scan_row *row = smtpc_scanner_row(s, i);
        mix_int(&h, row->code);
        mix_str(&h, row->enhanced);
        mix_int(&h, (long long)row->count);
        mix_int(&h, row->action);
    }
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        char *out = NULL;
        size_t len = 0;
        int rc = smtpc_render_scan(&out, &len, s, format, NULL);
        mix_owned(&h, rc, out, len);
    }
    smtpc_scanner_free(s);
    return h;
}

/* The loaded database, read by every thread. */
static uint64_t part_loaded(const smtpc_db *db)
{
    (void)db;
    return part_lookups(loaded) ^ part_entries(loaded) * 31;
}

typedef uint64_t (*part_fn)(const smtpc_db *db);
static const part_fn parts[PARTS] = {part_lookups, part_compares, part_entries, part_replies,
                                     part_builds,  part_scan,     part_loaded};
static uint64_t expected[PARTS];

/* ---- threads ---- */

static pthread_barrier_t start;

struct worker {
    int index;
    int mismatches;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    pthread_barrier_wait(&start);
    for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < PARTS; k++) {
            int part = (w->index + round + k) % PARTS;
            uint64_t got = parts[part](smtpc_db_builtin());
            if (got != expected[part]) {
                fprintf(stderr, "thread %d, round %d: part %d gave %016llx, alone %016llx\n",
                        w->index, round, part, (unsigned long long)got,
                        (unsigned long long)expected[part]);
                w->mismatches++;
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *q = getenv("SMTPC_TEST_QUICK");
    quick = q != NULL && q[0] != '\0' && strcmp(q, "0") != 0;
    if (quick)
        rounds = 1;
    if (argc != 2) {
        fprintf(stderr, "usage: %s DATA-FILE-TO-LOAD\n", argv[0]);
        return 2;
    }
    smtpc_db *db;
    smtpc_error err;
    if (smtpc_db_load(&db, argv[1], SMTPC_LOAD_OVERLAY, &err) != 0) {
        fprintf(stderr, "%s: %s\n", argv[1], err.text);
        return 1;
    }
    loaded = db;
    for (int k = 0; k < PARTS; k++)
        expected[k] = parts[k](smtpc_db_builtin());
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    CHECK(pthread_barrier_init(&start, NULL, THREADS) == 0);
    for (int i = 0; i < THREADS; i++) {
        workers[i].index = i;
        workers[i].mismatches = 0;
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    int mismatches = 0;
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        mismatches += workers[i].mismatches;
    }
    pthread_barrier_destroy(&start);
    smtpc_db_free(db);
    printf("%d threads x %d rounds x %d parts: %d mismatches\n", THREADS, rounds, PARTS,
           mismatches);
    return mismatches == 0 ? 0 : 1;
}
