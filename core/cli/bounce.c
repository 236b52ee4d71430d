/*
 * bounce.c - `smtpcodes bounce [FILE|DIR]...`: the records of the bounce messages in files,
 * mboxes and Maildirs (docs/bounces.md). The core reads each message; this file finds the
 * messages and prints what the core renders.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, opendir, stat */

#include "cli.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The messages read so far, with the names they are reported under. */
struct bounces {
    smtpc_bounce **items;
    char **names;
    size_t n, cap;
    int failed; /* a message or a file could not be read: exit status 1 at the end */
};

static int keep(struct bounces *b, smtpc_bounce *bounce, const char *name)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        smtpc_bounce **items = realloc(b->items, cap * sizeof *items);
        if (items != NULL)
            b->items = items;
        char **names = realloc(b->names, cap * sizeof *names);
        if (names != NULL)
            b->names = names;
        if (items == NULL || names == NULL)
            return -1;
        b->cap = cap;
    }
    b->names[b->n] = strdup(name);
    if (b->names[b->n] == NULL)
        return -1;
    b->items[b->n++] = bounce;
    return 0;
}

/* Reads all of `f` into a new buffer; NULL when it cannot. A regular file's size is known:
 * the buffer is made that large at once rather than doubled on the way. */
static char *slurp(FILE *f, size_t *len)
{
    struct stat st;
    size_t cap = 1 << 16, n = 0;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size < SIZE_MAX / 2)
        cap = (size_t)st.st_size + 1;
    char *data = malloc(cap);
    while (data != NULL) {
        n += fread(data + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *grown = cap <= SIZE_MAX / 2 ? realloc(data, cap * 2) : NULL;
        if (grown == NULL) {
            free(data);
            return NULL;
        }
        data = grown;
        cap *= 2;
    }
    if (data != NULL && ferror(f)) {
        free(data);
        return NULL;
    }
    *len = n;
    return data;
}

/* Reads one message; a message the reader refuses (past a limit) is reported and the rest of
 * the mailbox is still read. */
static int read_message(struct bounces *b, const smtpc_db *db, const char *msg, size_t len,
                        const char *name)
{
    smtpc_bounce *bounce;
    smtpc_error err;
    if (smtpc_bounce_parse(&bounce, db, msg, len, &err) != 0) {
        /* the error names the message; a name longer than its field is cut */
        snprintf(err.source, sizeof err.source, "%.*s", (int)sizeof err.source - 1, name);
        char text[SMTPC_ERROR_SOURCE_SIZE + SMTPC_ERROR_TEXT_SIZE + 64];
        smtpc_error_format(text, sizeof text, &err);
        fprintf(stderr, "smtpcodes: %s\n", text);
        b->failed = 1;
        return err.status == SMTPC_ENOMEM ? -1 : 0;
    }
    if (keep(b, bounce, name) != 0) {
        smtpc_bounce_free(bounce);
        return -1;
    }
    return 0;
}

/* A file holds one message or an mbox of them (RFC 4155); the messages of an mbox are named
 * "FILE#N", counted from 1. */
static int read_file(struct bounces *b, const smtpc_db *db, const char *path)
{
    FILE *f = path != NULL ? fopen(path, "rb") : stdin;
    const char *name = path != NULL ? path : "standard input";
    if (f == NULL) {
        smtpc_cli_say("cli-cannot-open", "file", name);
        b->failed = 1;
        return 0;
    }
    size_t len = 0;
    char *data = slurp(f, &len);
    if (f != stdin)
        fclose(f);
    if (data == NULL) {
        smtpc_cli_say("cli-cannot-read", "file", name);
        b->failed = 1;
        return 0;
    }
    int is_mbox = len >= 5 && memcmp(data, "From ", 5) == 0;
    size_t offset = 0, start, msg_len;
    int rc = 0;
    for (unsigned long n = 1; rc == 0 && smtpc_mbox_next(data, len, &offset, &start, &msg_len);
         n++) {
        char label[4096 + 32];
        if (is_mbox)
            snprintf(label, sizeof label, "%s#%lu", name, n);
        else
            snprintf(label, sizeof label, "%s", name);
        rc = read_message(b, db, data + start, msg_len, label);
    }
    free(data);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of directory `dir`, in name order, read as messages; a Maildir's new/ and
 * cur/ are read in that order. */
static int read_directory(struct bounces *b, const smtpc_db *db, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        smtpc_cli_say("cli-cannot-open-directory", "file", dir);
        b->failed = 1;
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *grown);
            if (grown == NULL) {
                rc = -1;
                break;
            }
            names = grown;
        }
        if ((names[n] = strdup(e->d_name)) == NULL)
            rc = -1;
        else
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        int is_maildir_part = strcmp(names[i], "new") == 0 || strcmp(names[i], "cur") == 0;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth == 0 && is_maildir_part)
                rc = read_directory(b, db, path, 1);
        } else if (S_ISREG(st.st_mode)) {
            rc = read_file(b, db, path);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int read_path(struct bounces *b, const smtpc_db *db, const char *path)
{
    struct stat st;
    if (path != NULL && strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return read_directory(b, db, path, 0);
    return read_file(b, db, path != NULL && strcmp(path, "-") == 0 ? NULL : path);
}

int smtpc_cli_bounce(const smtpc_db *db, const char *const *paths, int n_paths, const char *lang,
                     int format)
{
    struct bounces b = {0};
    int rc = 0;
    for (int i = 0; i < n_paths && rc == 0; i++)
        rc = read_path(&b, db, paths[i]);
    if (n_paths == 0)
        rc = read_file(&b, db, NULL);
    int status = EXIT_FAILED;
    if (rc != 0) {
        smtpc_cli_say("cli-out-of-memory", NULL, NULL);
    } else {
        char *text;
        size_t len;
        smtpc_error err;
        if (smtpc_render_bounces_in(&text, &len, (const smtpc_bounce *const *)b.items,
                                    (const char *const *)b.names, b.n, lang, strlen(lang),
                                    format, &err) == 0) {
            status = fwrite(text, 1, len, stdout) == len && !b.failed ? 0 : EXIT_FAILED;
            smtpc_free(text);
        } else {
            char message[SMTPC_ERROR_SOURCE_SIZE + SMTPC_ERROR_TEXT_SIZE + 64];
            smtpc_error_format(message, sizeof message, &err);
            fprintf(stderr, "smtpcodes: %s\n", message);
        }
    }
    for (size_t i = 0; i < b.n; i++) {
        smtpc_bounce_free(b.items[i]);
        free(b.names[i]);
    }
    free(b.items);
    free(b.names);
    return status;
}
