/*
 * bench_core.c - timings of the C library against baselines measured in the same process.
 *
 *   smtpc_bench parse   CORPUS BYTES REPS   reply parsing over a stream of replies of about
 *                                           BYTES bytes, vs a memchr line split of the same
 *   smtpc_bench scan    LOG REPS            smtpc_scanner_* over a log held in memory, vs a
 *                                           memchr line split of the same
 *   smtpc_bench extract LINES REPS          smtpc_reply_parse(SMTPC_REPLY_EMBEDDED) on each
 *                                           line: the reply and enhanced code of a log line
 *   smtpc_bench compare REPS FULL [LANG]    one pair compared and rendered (in LANG, default
 *                                           en: keys c_compare_LANG_... for another); then,
 *                                           when FULL is 1, every pair in every language
 *
 * Each measurement is repeated REPS times, subject and baseline alternating, in CPU time, and
 * the median is printed as "key<TAB>value" lines for bench/report.py. Nothing here asserts anything about
 * time.
 */
#include <smtpcodes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile size_t sink; /* keeps the optimiser from dropping measured work */

/* CPU time of this process: on a shared machine it counts only the work done here, so that
 * other load disturbs subject and baseline less than wall time would. */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    size_t cap = 1 << 20, n = 0;
    char *data = malloc(cap);
    size_t got;
    while (data != NULL && (got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            data = realloc(data, cap *= 2);
    }
    fclose(f);
    if (data == NULL) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    *len = n;
    return data;
}

/* The I/O-free bound of any line-oriented work: find every line end, touch nothing else. */
static size_t split_lines(const char *data, size_t len)
{
    size_t lines = 0;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        lines++;
        p = nl + 1;
    }
    return lines;
}

/* ---- parse: a stream of whole replies, one after another as a client reads them ---- */

static char *build_stream(const char *corpus_path, size_t want, size_t *len, size_t *replies)
{
    size_t corpus_len;
    char *corpus = read_file(corpus_path, &corpus_len);
    char *stream = malloc(want + 65536);
    size_t n = 0, count = 0;
    while (n < want) {
        size_t at = 0;
        while (at < corpus_len) {
            size_t rec = strtoul(corpus + at, NULL, 10);
            at = (size_t)((char *)memchr(corpus + at, '\n', corpus_len - at) - corpus) + 1;
            if (n + rec <= want + 65536) {
                memcpy(stream + n, corpus + at, rec);
                n += rec;
                count++;
            }
            at += rec;
        }
    }
    free(corpus);
    *len = n;
    *replies = count;
    return stream;
}

static size_t parse_stream(const char *s, size_t len)
{
    size_t at = 0, parsed = 0;
    while (at < len) {
        smtpc_reply *r;
        size_t used;
        if (smtpc_reply_parse(&r, &used, NULL, s + at, len - at, 0, NULL) != 0) {
            fprintf(stderr, "smtpc_bench: reply at byte %zu does not parse\n", at);
            exit(1);
        }
        parsed += (size_t)smtpc_reply_code(r);
        smtpc_reply_free(r);
        at += used;
    }
    return parsed;
}

static int cmd_parse(const char *corpus, size_t want, int reps)
{
    size_t len, replies;
    char *stream = build_stream(corpus, want, &len, &replies);
    double t_parse[64], t_split[64];
    for (int i = 0; i < reps; i++) {
        double t0 = now();
        sink += parse_stream(stream, len);
        double t1 = now();
        sink += split_lines(stream, len);
        double t2 = now();
        t_parse[i] = t1 - t0;
        t_split[i] = t2 - t1;
    }
    double p = median(t_parse, reps), s = median(t_split, reps);
    printf("c_parse_bytes\t%zu\n", len);
    printf("c_parse_replies\t%zu\n", replies);
    printf("c_parse_gbps\t%.4f\n", (double)len / p / 1e9);
    printf("c_parse_ns_per_reply\t%.1f\n", p / (double)replies * 1e9);
    printf("c_parse_split_gbps\t%.4f\n", (double)len / s / 1e9);
    free(stream);
    return 0;
}

/* ---- scan: a log in memory, fed in 1 MiB pieces as the CLI feeds it ---- */

static size_t scan_buffer(const char *data, size_t len)
{
    smtpc_scanner *s;
    if (smtpc_scanner_new(&s, NULL, NULL) != 0)
        exit(1);
    for (size_t at = 0; at < len; at += 1 << 20) {
        size_t n = len - at < (1 << 20) ? len - at : (1 << 20);
        if (smtpc_scanner_feed(s, data + at, n, NULL) != 0)
            exit(1);
    }
    smtpc_scanner_finish(s, NULL);
    size_t replies = (size_t)smtpc_scanner_replies(s);
    smtpc_scanner_free(s);
    return replies;
}

static int cmd_scan(const char *path, int reps)
{
    size_t len;
    char *data = read_file(path, &len);
    double t_scan[64], t_split[64];
    size_t replies = 0;
    for (int i = 0; i < reps; i++) {
        double t0 = now();
        replies = scan_buffer(data, len);
        double t1 = now();
        sink += split_lines(data, len);
        double t2 = now();
        t_scan[i] = t1 - t0;
        t_split[i] = t2 - t1;
    }
    double p = median(t_scan, reps), s = median(t_split, reps);
    printf("c_scan_bytes\t%zu\n", len);
    printf("c_scan_replies\t%zu\n", replies);
    printf("c_scan_gbps\t%.4f\n", (double)len / p / 1e9);
    printf("c_scan_split_gbps\t%.4f\n", (double)len / s / 1e9);
    free(data);
    return 0;
}

/* ---- extract: the codes of each log line, as Sisimai's find() methods give them ---- */

static int cmd_extract(const char *path, int reps)
{
    size_t len;
    char *data = read_file(path, &len);
    size_t lines = split_lines(data, len);
    double t[64];
    size_t found = 0;
    for (int i = 0; i < reps; i++) {
        found = 0;
        double t0 = now();
        const char *p = data, *end = data + len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
            smtpc_reply *r;
            size_t used;
            if (smtpc_reply_parse(&r, &used, NULL, p, n, SMTPC_REPLY_EMBEDDED, NULL) == 0) {
                found++;
                sink += (size_t)smtpc_reply_code(r) + strlen(smtpc_reply_enhanced(r));
                smtpc_reply_free(r);
            }
            p += n + 1;
        }
        t[i] = now() - t0;
    }
    printf("c_extract_lines\t%zu\n", lines);
    printf("c_extract_found\t%zu\n", found);
    printf("c_extract_ns_per_line\t%.1f\n", median(t, reps) / (double)lines * 1e9);
    free(data);
    return 0;
}

/* ---- compare and render ---- */

static void compare_render(const smtpc_db *db, const char *a, const char *b, const char *lang,
                           int format)
{
    smtpc_comparison *cmp;
    char *page;
    size_t len;
    if (smtpc_compare(&cmp, db, a, strlen(a), b, strlen(b), lang, strlen(lang), NULL) != 0 ||
        smtpc_render_comparison(&page, &len, cmp, format, NULL) != 0) {
        fprintf(stderr, "smtpc_bench: compare %s %s %s failed\n", a, b, lang);
        exit(1);
    }
    sink += len;
    smtpc_free(page);
    smtpc_comparison_free(cmp);
}

static int cmd_compare(int reps, int full, const char *lang)
{
    const smtpc_db *db = smtpc_db_builtin();
    /* "c_compare_" for English, whose keys the report has always read; "c_compare_vi_" ... */
    char prefix[32];
    snprintf(prefix, sizeof prefix, "c_compare_%s%s", strcmp(lang, "en") == 0 ? "" : lang,
             strcmp(lang, "en") == 0 ? "" : "_");
    const int loops = full ? 5000 : 1000;
    static const char *const format_names[] = {"text", "markdown", "html", "json"};
    /* The comparison alone, to tell building the page from rendering it. */
    double tc[64];
    for (int i = 0; i < reps; i++) {
        double t0 = now();
        for (int k = 0; k < loops; k++) {
            smtpc_comparison *cmp;
            if (smtpc_compare(&cmp, db, "421", 3, "504", 3, lang, strlen(lang), NULL) != 0)
                exit(1);
            sink += smtpc_comparison_difference_count(cmp);
            smtpc_comparison_free(cmp);
        }
        tc[i] = (now() - t0) / loops;
    }
    printf("%sonly_us\t%.3f\n", prefix, median(tc, reps) * 1e6);
    for (int format = SMTPC_FORMAT_TEXT; format <= SMTPC_FORMAT_JSON; format++) {
        double t[64];
        for (int i = 0; i < reps; i++) {
            double t0 = now();
            for (int k = 0; k < loops; k++)
                compare_render(db, "421", "504", lang, format);
            t[i] = (now() - t0) / loops;
        }
        printf("%s%s_us\t%.3f\n", prefix, format_names[format], median(t, reps) * 1e6);
    }
    if (!full)
        return 0;
    size_t n = smtpc_db_count(db), langs = smtpc_language_count(db);
    size_t pages = 0;
    double t[64];
    int all_reps = reps < 3 ? reps : 3;
    for (int i = 0; i < all_reps; i++) {
        pages = 0;
        double t0 = now();
        for (size_t l = 0; l < langs; l++) {
            const char *lang = smtpc_language_tag(db, l);
            for (size_t x = 0; x < n; x++) {
                for (size_t y = x + 1; y < n; y++) {
                    compare_render(db, smtpc_db_entry(db, x)->code, smtpc_db_entry(db, y)->code,
                                   lang, SMTPC_FORMAT_TEXT);
                    pages++;
                }
            }
        }
        t[i] = now() - t0;
    }
    printf("c_allpairs_codes\t%zu\n", n);
    printf("c_allpairs_languages\t%zu\n", langs);
    printf("c_allpairs_pages\t%zu\n", pages);
    printf("c_allpairs_s\t%.4f\n", median(t, all_reps));
    return 0;
}

/* A repetition count from the command line, 1 to 63. */
static int reps_arg(const char *s)
{
    int n = atoi(s);
    return n < 1 ? 1 : n > 63 ? 63 : n;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "parse") == 0)
        return cmd_parse(argv[2], strtoul(argv[3], NULL, 10), reps_arg(argv[4]));
    if (argc == 4 && strcmp(argv[1], "scan") == 0)
        return cmd_scan(argv[2], reps_arg(argv[3]));
    if (argc == 4 && strcmp(argv[1], "extract") == 0)
        return cmd_extract(argv[2], reps_arg(argv[3]));
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "compare") == 0)
        return cmd_compare(reps_arg(argv[2]), atoi(argv[3]), argc == 5 ? argv[4] : "en");
    fputs("usage: smtpc_bench parse CORPUS BYTES REPS | scan LOG REPS | extract LINES REPS | "
          "compare REPS FULL [LANG]\n",
          stderr);
    return 2;
}
