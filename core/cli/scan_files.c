/*
 * scan_files.c - `scan FILE...`: each file read by a scanner of its own, up to N files at a
 * time on as many threads (`scan -j N`), and the summaries merged into one. A summary merges
 * the same in any order (smtpc_scanner_merge()), so each thread merges the files it read as it
 * finishes them, and the result is the same for every N. Scanners share nothing but the
 * database, which is immutable: the threads need no lock but the one that hands out files.
 * The first file that cannot be read (missing, corrupt, cut short, not text) stops the scan:
 * no file is handed out after it fails, and it is the one reported, whichever thread met it.
 */
#include "cli.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK = 1 << 18 };

/* What became of one file: a message for standard error when it failed. */
struct file_result {
    int failed;
    char message[SMTPC_ERROR_SOURCE_SIZE + SMTPC_ERROR_TEXT_SIZE + 64];
};

/* The files, and which is next. */
struct scan_work {
    const smtpc_scanner *model; /* how each file's scanner is set up */
    smtpc_scan_state *state;    /* where the last scans stopped (--state), or NULL */
    const char *const *paths;   /* NULL for standard input */
    int n_paths;
    struct file_result *results;
    pthread_mutex_t lock;
    int next;
    int stopped; /* a file failed: hand out no more */
};

/* One thread: the summary of the files it read. */
struct worker {
    struct scan_work *work;
    smtpc_scanner *summary;
    pthread_t thread;
    int started;
};

static const char *name_of(const char *path)
{
    return path != NULL && strcmp(path, "-") != 0 ? path : "standard input";
}

static int fail(struct file_result *result, const char *path, const char *what)
{
    result->failed = 1;
    snprintf(result->message, sizeof result->message, "%s: %s", name_of(path), what);
    return -1;
}

static int feed_file(smtpc_scanner *scanner, FILE *f, const char *path, char *chunk,
                     struct file_result *result)
{
    size_t n;
    smtpc_error err;
    while ((n = fread(chunk, 1, CHUNK, f)) > 0) {
        if (smtpc_scanner_feed(scanner, chunk, n, &err) != 0)
            return fail(result, path, err.text);
    }
    if (ferror(f))
        return fail(result, path, "read error");
    if (smtpc_scanner_finish(scanner, &err) != 0)
        return fail(result, path, err.text);
    return 0;
}

/* Scans one file with a scanner of its own and merges it into `summary`. */
/* Records how far the file was read, for --state; the state is shared: under the lock. */
static void record(struct scan_work *work, const smtpc_scanner *scanner, const char *path,
                   struct file_result *result)
{
    smtpc_error err;
    pthread_mutex_lock(&work->lock);
    int rc = smtpc_scan_state_record(work->state, scanner, &err);
    pthread_mutex_unlock(&work->lock);
    if (rc != 0)
        fail(result, path, err.text);
}

/* Scans one file with a scanner of its own and merges it into `summary`. */
static void scan_file(smtpc_scanner *summary, struct scan_work *work, const char *path, char *chunk,
                      struct file_result *result)
{
    int from_stdin = path == NULL || strcmp(path, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        fail(result, path, "cannot open");
        return;
    }
    smtpc_scanner *scanner;
    smtpc_error err;
    if (smtpc_scanner_new_like(&scanner, work->model, &err) != 0) {
        fail(result, path, err.text);
    } else if (work->state != NULL && smtpc_scanner_resume(scanner, work->state, &err) != 0) {
        fail(result, path, err.text);
    } else if (feed_file(scanner, f, path, chunk, result) == 0) {
        if (work->state != NULL)
            record(work, scanner, path, result);
        if (!result->failed && smtpc_scanner_merge(summary, scanner, &err) != 0)
            fail(result, path, err.text);
    }
    smtpc_scanner_free(scanner);
    if (!from_stdin)
        fclose(f);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct scan_work *work = w->work;
    char *chunk = malloc(CHUNK);
    for (;;) {
        pthread_mutex_lock(&work->lock);
        int i = work->stopped ? work->n_paths : work->next++;
        pthread_mutex_unlock(&work->lock);
        if (i >= work->n_paths)
            break;
        if (chunk == NULL)
            fail(&work->results[i], work->paths[i], "out of memory");
        else
            scan_file(w->summary, work, work->paths[i], chunk, &work->results[i]);
        if (work->results[i].failed) {
            pthread_mutex_lock(&work->lock);
            work->stopped = 1;
            pthread_mutex_unlock(&work->lock);
        }
    }
    free(chunk);
    return NULL;
}

/* Runs the workers: the calling thread is the first; a thread that cannot be started leaves
 * its share to the others. */
static void run_workers(struct worker *workers, int n)
{
    for (int i = 1; i < n; i++)
        workers[i].started = pthread_create(&workers[i].thread, NULL, work, &workers[i]) == 0;
    work(&workers[0]);
    for (int i = 1; i < n; i++) {
        if (workers[i].started)
            pthread_join(workers[i].thread, NULL);
    }
}

/* Reports the first file in their order that failed, and returns whether one did. Every file
 * before it was handed out before it, and read: the same file is reported for every N. */
static int report_failure(const struct file_result *results, int n)
{
    for (int i = 0; i < n; i++) {
        if (results[i].failed) {
            fprintf(stderr, "smtpcodes: %s\n", results[i].message);
            return 1;
        }
    }
    return 0;
}

int smtpc_cli_scan_files(smtpc_scanner *into, const char *const *paths, int n_paths, int jobs,
                         smtpc_scan_state *state)
{
    int n_workers = jobs < n_paths ? jobs : n_paths;
    struct scan_work work = {into,
                             state,
                             paths,
                             n_paths,
                             calloc((size_t)n_paths, sizeof *work.results),
                             PTHREAD_MUTEX_INITIALIZER,
                             0,
                             0};
    struct worker *workers = calloc((size_t)n_workers, sizeof *workers);
    int ready = work.results != NULL && workers != NULL;
    for (int i = 0; ready && i < n_workers; i++) {
        workers[i].work = &work;
        ready = smtpc_scanner_new_like(&workers[i].summary, into, NULL) == 0;
    }
    int status = EXIT_FAILED;
    if (!ready) {
        smtpc_cli_say("cli-out-of-memory", NULL, NULL);
    } else {
        run_workers(workers, n_workers);
        status = report_failure(work.results, n_paths) ? EXIT_FAILED : 0;
    }
    for (int i = 0; workers != NULL && i < n_workers; i++) {
        if (status == 0 && smtpc_scanner_merge(into, workers[i].summary, NULL) != 0) {
            smtpc_cli_say("cli-out-of-memory", NULL, NULL);
            status = EXIT_FAILED;
        }
        smtpc_scanner_free(workers[i].summary);
    }
    pthread_mutex_destroy(&work.lock);
    free(workers);
    free(work.results);
    return status;
}
