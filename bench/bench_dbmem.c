/*
 * bench_dbmem.c - what the built-in database costs in memory: the resident set of this process
 * before and after reading every byte of every entry, group and label of libsmtpcodes.so.
 * The database is constant data in the library, so the growth is the pages of it that a
 * process that uses all of it faults in (shared between processes, never copied).
 *
 * Prints "key<TAB>value" lines for bench/report.py.
 */
#include <smtpcodes.h>

#include <stdio.h>
#include <string.h>

static volatile size_t sink;

/* VmRSS of this process in KiB, from /proc/self/status. */
static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            sscanf(line + 6, "%ld", &kib);
    }
    if (f != NULL)
        fclose(f);
    return kib;
}

static size_t touch(const char *s)
{
    size_t sum = 0;
    for (; *s != '\0'; s++)
        sum += (unsigned char)*s;
    return sum + 1;
}

int main(void)
{
    char warm[64];
    snprintf(warm, sizeof warm, "%s", smtpc_version()); /* the library's code is mapped */
    long before = rss_kib();
    const smtpc_db *db = smtpc_db_builtin();
    size_t bytes = 0, n = smtpc_db_count(db);
    for (size_t i = 0; i < n; i++) {
        const smtpc_entry *e = smtpc_db_entry(db, i);
        const char *fields[] = {e->code,     e->name,     e->slug,     e->classes,
                                e->description, e->when,  e->fix,      e->references,
                                e->commands, e->enhanced, e->sample,   e->associated,
                                e->see,      e->note};
        for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
            size_t len = strlen(fields[f]) + 1;
            sink += touch(fields[f]);
            bytes += len;
        }
    }
    for (int kind = SMTPC_GROUP_CLASS; kind <= SMTPC_GROUP_SUBJECT; kind++) {
        for (int number = 0; number < 10; number++) {
            const smtpc_group *g;
            if (smtpc_group_lookup(&g, db, kind, number, NULL) == 0)
                sink += touch(g->name) + touch(g->alt_name) + touch(g->description);
        }
    }
    for (size_t l = 0; l < smtpc_language_count(db); l++) {
        const char *tag = smtpc_language_tag(db, l);
        for (int which = 0; which < SMTPC_LABEL_COUNT; which++) {
            const char *label;
            if (smtpc_label(&label, db, tag, strlen(tag), which, NULL) == 0)
                sink += touch(label);
        }
    }
    long after = rss_kib();
    printf("db_entries\t%zu\n", n);
    printf("db_entry_text_bytes\t%zu\n", bytes);
    printf("db_rss_before_kib\t%ld\n", before);
    printf("db_rss_after_kib\t%ld\n", after);
    printf("db_rss_delta_kib\t%ld\n", after - before);
    return 0;
}
