/*
 * cli.c - smtpcodes(1), the SMTP reply-code reference at a shell, written on the public API
 * only. The program (main.c) and the Python package's console script both run it.
 *
 * Exit status: 0 success, 1 an unknown code, language or provider or a bad data file, 2 a usage
 * error.
 */
#include "cli.h"

#include "smtpcodes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ARGS = 64, MAX_DATA = 16 };

struct options {
    const char *lang;
    const char *command;
    int embedded;
    int strict;
    int help; /* --help: said once the options, --lang and --data among them, are read */
    const char *format_name;
    const char *class_name;
    const char *kind_name;
    const char *data[MAX_DATA]; /* --data FILE, in order */
    int n_data;
    const char *host;
    const char *provider;
    const char *jobs;
    const char *by, *top, *bucket, *year; /* scan's groups */
    const char *state;                    /* scan --state FILE */
    /* the provider --host or --provider names (a slug of the database), or NULL */
    const char *slug;
    const char *args[MAX_ARGS];
    int n_args;
};

/* The locale of messages, as POSIX (XBD 8.2) orders the variables: LC_ALL overrides
 * LC_MESSAGES, which overrides LANG; an empty one counts as unset. NULL when none is set. */
static const char *messages_locale(void)
{
    static const char *const names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *value = getenv(names[i]);
        if (value != NULL && *value != '\0')
            return value;
    }
    return NULL;
}

/* Whether `locale` is the C locale, whose messages are the untranslated ones. */
static int is_c_locale(const char *locale)
{
    return locale == NULL || strcmp(locale, "C") == 0 || strcmp(locale, "POSIX") == 0;
}

/* The database's language for the locale name `name` (`len` bytes; "vi_VN.UTF-8@euro" is vi),
 * or NULL when the database has none. `buf` holds the tag while it is resolved. */
static const char *language_of_locale(const smtpc_db *db, const char *name, size_t len, char *buf,
                                      size_t size)
{
    size_t tag_len = strcspn(name, ".@:");
    if (tag_len > len)
        tag_len = len;
    if (tag_len == 0 || tag_len >= size)
        return NULL;
    memcpy(buf, name, tag_len);
    buf[tag_len] = '\0';
    const char *resolved;
    return smtpc_language_resolve(&resolved, db, buf, tag_len, NULL) == 0 ? resolved : NULL;
}

/* The language of the environment, as gettext reads it: in the C locale (none set, "C" or
 * "POSIX") English, LANGUAGE unread; else the first entry of LANGUAGE (a ":"-separated list)
 * the database knows, then the locale's own language, else English. */
static const char *environment_language(const smtpc_db *db, char *buf, size_t size)
{
    const char *locale = messages_locale();
    if (is_c_locale(locale))
        return "en";
    const char *list = getenv("LANGUAGE");
    while (list != NULL && *list != '\0') {
        size_t len = strcspn(list, ":");
        const char *language = language_of_locale(db, list, len, buf, size);
        if (language != NULL)
            return language;
        list += len + (list[len] == ':');
    }
    const char *language = language_of_locale(db, locale, strlen(locale), buf, size);
    return language != NULL ? language : "en";
}

/* The language of the run's messages: the pages' once the database is open and --lang is
 * resolved; before that, the environment's in the built-in database (smtpc_cli_say()). */
static struct {
    const smtpc_db *db;
    const char *lang;
    char env_tag[64];
} voice;

/* Message `name` with `n` placeholders in the voice's language, to `stream` after `prefix`;
 * English when the language is not one the database has (a --lang being refused). */
static void say(FILE *stream, const char *prefix, const char *name, const char *const *keys,
                const char *const *values, size_t n)
{
    const smtpc_db *db = voice.db != NULL ? voice.db : smtpc_db_builtin();
    const char *lang = voice.lang;
    if (lang == NULL)
        lang = environment_language(db, voice.env_tag, sizeof voice.env_tag);
    char *text = NULL;
    size_t len = 0;
    if (smtpc_render_message(&text, &len, db, lang, strlen(lang), name, keys, values, n, NULL) !=
            0 &&
        smtpc_render_message(&text, &len, db, "en", 2, name, keys, values, n, NULL) != 0) {
        fprintf(stream, "%s%s\n", prefix, name);
        return;
    }
    /* the help ends with its own line end */
    fprintf(stream, "%s%s%s", prefix, text, len > 0 && text[len - 1] == '\n' ? "" : "\n");
    smtpc_free(text);
}

void smtpc_cli_say(const char *name, const char *key, const char *value)
{
    say(stderr, "smtpcodes: ", name, &key, &value, key != NULL);
}

/* A usage error: message `name` (its placeholder `key` filled with `value`), and the hint. */
static int usage_error(const char *name, const char *key, const char *value)
{
    smtpc_cli_say(name, key, value);
    say(stderr, "", "cli-try-help", NULL, NULL, 0);
    return EXIT_USAGE;
}

/* A usage error whose text comes from the library (err.text), after `what` ("--by: "). */
static int usage_error_text(const char *what, const char *text)
{
    fprintf(stderr, "smtpcodes: %s%s\n", what, text);
    say(stderr, "", "cli-try-help", NULL, NULL, 0);
    return EXIT_USAGE;
}

static int report(const smtpc_error *err)
{
    char message[SMTPC_ERROR_SOURCE_SIZE + SMTPC_ERROR_TEXT_SIZE + 64];
    smtpc_error_format(message, sizeof message, err);
    fprintf(stderr, "smtpcodes: %s\n", message);
    return err->status == SMTPC_EFORMAT || err->status == SMTPC_EINVAL ? EXIT_USAGE : EXIT_FAILED;
}

/* Matches "-x", "--long" and "--long=value"; the value may also be the next argument. */
static int take_option(const char *arg, const char *short_name, const char *long_name, int *index,
                       int argc, char **argv, const char **value, int *bad)
{
    size_t long_len = strlen(long_name);
    const char *inline_value = NULL;
    if (strcmp(arg, short_name) != 0 && strcmp(arg, long_name) != 0) {
        if (strncmp(arg, long_name, long_len) != 0 || arg[long_len] != '=')
            return 0;
        inline_value = arg + long_len + 1;
    }
    if (inline_value != NULL) {
        *value = inline_value;
    } else if (*index + 1 < argc) {
        *value = argv[++*index];
    } else {
        *bad = 1;
    }
    return 1;
}

/* The version, and the compressed logs this build reads (smtpc_scan_supports()). */
static int print_version(void)
{
    printf("smtpcodes %s\ncompressed logs:", smtpc_version());
    for (size_t i = 0; i < smtpc_enum_count(SMTPC_ENUM_COMPRESSION); i++) {
        int value;
        const char *name;
        smtpc_enum_at(&value, &name, SMTPC_ENUM_COMPRESSION, i);
        if (value != SMTPC_COMPRESSION_NONE && smtpc_scan_supports(value))
            printf(" %s", name);
    }
    putchar('\n');
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_FAILED;
}

/* Returns -1 to go on, or an exit status. */
/* The value of --lang, read before the other options, so that a usage error among them is
 * said in the language asked for wherever --lang stands; NULL without one. */
static const char *early_language(int argc, char **argv)
{
    const char *lang = NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        int bad = 0;
        const char *value = NULL;
        if (take_option(argv[i], "-l", "--lang", &i, argc, argv, &value, &bad) && !bad)
            lang = value;
    }
    return lang;
}

static int parse_args(struct options *o, int argc, char **argv)
{
    static const struct {
        const char *short_name;
        const char *long_name;
        size_t offset;
    } valued[] = {
        {"-l", "--lang", offsetof(struct options, lang)},
        {"-f", "--format", offsetof(struct options, format_name)},
        {"-c", "--class", offsetof(struct options, class_name)},
        {"-k", "--kind", offsetof(struct options, kind_name)},
        {"-C", "--command", offsetof(struct options, command)},
        {"-H", "--host", offsetof(struct options, host)},
        {"-p", "--provider", offsetof(struct options, provider)},
        {"-j", "--jobs", offsetof(struct options, jobs)},
        {"-b", "--by", offsetof(struct options, by)},
        {"-t", "--top", offsetof(struct options, top)},
        {"-B", "--bucket", offsetof(struct options, bucket)},
        {"-y", "--year", offsetof(struct options, year)},
        {"-S", "--state", offsetof(struct options, state)},
    };
    int only_args = 0;
    voice.lang = early_language(argc, argv);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_args && strcmp(arg, "--") == 0) {
            only_args = 1;
            continue;
        }
        if (!only_args && (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)) {
            o->help = 1;
            continue;
        }
        if (!only_args && (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0))
            return print_version();
        if (!only_args && (strcmp(arg, "-e") == 0 || strcmp(arg, "--embedded") == 0)) {
            o->embedded = 1;
            continue;
        }
        if (!only_args && (strcmp(arg, "-s") == 0 || strcmp(arg, "--strict") == 0)) {
            o->strict = 1;
            continue;
        }
        const char *data = NULL;
        int no_value = 0;
        if (!only_args && take_option(arg, "-d", "--data", &i, argc, argv, &data, &no_value)) {
            if (no_value)
                return usage_error("cli-option-needs-value", "option", arg);
            if (o->n_data == MAX_DATA)
                return usage_error("cli-too-many-data", "file", data);
            o->data[o->n_data++] = data;
            continue;
        }
        int matched = 0;
        for (size_t k = 0; !only_args && k < sizeof valued / sizeof valued[0] && !matched; k++) {
            int bad = 0;
            const char **slot = (const char **)((char *)o + valued[k].offset);
            matched = take_option(arg, valued[k].short_name, valued[k].long_name, &i, argc, argv,
                                  slot, &bad);
            if (bad)
                return usage_error("cli-option-needs-value", "option", arg);
        }
        if (matched) {
            voice.lang = o->lang; /* the messages' language, from here on */
            continue;
        }
        if (!only_args && arg[0] == '-' && arg[1] != '\0')
            return usage_error("cli-unknown-option", "option", arg);
        if (o->n_args == MAX_ARGS)
            return usage_error("cli-too-many-arguments", "argument", arg);
        o->args[o->n_args++] = arg;
    }
    return -1;
}

static int print_owned(char *text, size_t len)
{
    fwrite(text, 1, len, stdout);
    smtpc_free(text);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_FAILED;
}

static int lang_len(const struct options *o)
{
    return (int)strlen(o->lang);
}

static int cmd_show(const smtpc_db *db, const struct options *o, int format)
{
    if (o->n_args != 2)
        return usage_error("cli-show-needs-code", NULL, NULL);
    const smtpc_entry *entry;
    int exact;
    smtpc_error err;
    const char *code = o->args[1];
    /* the provider's own meaning, else the closest registered entry */
    int rc = smtpc_lookup_provider(&entry, db, o->slug, code, strlen(code), &err);
    exact = 1;
    if (rc == SMTPC_ENOTFOUND)
        rc = smtpc_lookup_closest(&entry, &exact, db, code, strlen(code), &err);
    if (rc != 0)
        return report(&err);
    if (!exact) {
        const char *keys[] = {"code", "entry"};
        const char *values[] = {code, entry->code};
        say(stderr, "smtpcodes: ", "cli-not-registered", keys, values, 2);
    }
    char *text;
    size_t len;
    if (smtpc_render_code_provider(&text, &len, db, o->slug, code, strlen(code), o->lang,
                                   (size_t)lang_len(o), format, &err) != 0)
        return report(&err);
    return print_owned(text, len);
}

static int cmd_compare(const smtpc_db *db, const struct options *o, int format)
{
    if (o->n_args != 3)
        return usage_error("cli-compare-needs-two", NULL, NULL);
    smtpc_comparison *cmp;
    smtpc_error err;
    const char *a = o->args[1];
    const char *b = o->args[2];
    if (smtpc_compare(&cmp, db, a, strlen(a), b, strlen(b), o->lang, (size_t)lang_len(o), &err) !=
        0)
        return report(&err);
    char *text;
    size_t len;
    int rc = smtpc_render_comparison(&text, &len, cmp, format, &err);
    smtpc_comparison_free(cmp);
    if (rc != 0)
        return report(&err);
    return print_owned(text, len);
}

static int parse_filter(const struct options *o, int *klass, int *kind)
{
    *klass = 0;
    *kind = 0;
    if (o->class_name != NULL) {
        const char *c = o->class_name;
        if (c[0] < '2' || c[0] > '5' || c[1] != '\0')
            return usage_error("cli-bad-class", "value", c);
        *klass = c[0] - '0';
    }
    if (o->kind_name != NULL) {
        if (strcmp(o->kind_name, "basic") == 0)
            *kind = SMTPC_KIND_BASIC;
        else if (strcmp(o->kind_name, "enhanced") == 0)
            *kind = SMTPC_KIND_ENHANCED;
        else
            return usage_error("cli-bad-kind", "value", o->kind_name);
    }
    return -1;
}

static int cmd_list(const smtpc_db *db, const struct options *o, int format)
{
    if (o->n_args != 1)
        return usage_error("cli-list-arguments", NULL, NULL);
    int klass;
    int kind;
    int rc = parse_filter(o, &klass, &kind);
    if (rc >= 0)
        return rc;
    char *text;
    size_t len;
    smtpc_error err;
    if (smtpc_render_table_in(&text, &len, db, klass, kind, o->lang, strlen(o->lang), format,
                              &err) != 0)
        return report(&err);
    return print_owned(text, len);
}

static int cmd_languages(const smtpc_db *db, const struct options *o, int format)
{
    if (o->n_args != 1)
        return usage_error("cli-languages-arguments", NULL, NULL);
    char *text;
    size_t len;
    smtpc_error err;
    if (smtpc_render_languages(&text, &len, db, format, &err) != 0)
        return report(&err);
    return print_owned(text, len);
}

static int cmd_catalog(const smtpc_db *db, const struct options *o)
{
    if (o->n_args > 2)
        return usage_error("cli-catalog-arguments", NULL, NULL);
    const char *lang = o->n_args == 2 ? o->args[1] : NULL;
    char *text;
    size_t len;
    smtpc_error err;
    if (smtpc_render_catalog(&text, &len, db, lang, lang != NULL ? strlen(lang) : 0, &err) != 0)
        return report(&err);
    return print_owned(text, len);
}

/* Reports a slug that names no provider of the database: like an unknown language, a fact of
 * the data, not a usage error. The slug is shown as slugs are written, printable ASCII, cut
 * short: what else an argument holds is no business of the terminal's. */
static int unknown_provider(const char *slug)
{
    char shown[44];
    size_t n = 0;
    for (; slug[n] != '\0' && n < 40; n++)
        shown[n] = slug[n] > ' ' && slug[n] < 0x7F ? slug[n] : '?';
    strcpy(shown + n, slug[n] != '\0' ? "..." : "");
    smtpc_cli_say("cli-unknown-provider", "provider", shown);
    return EXIT_FAILED;
}

static int cmd_providers(const smtpc_db *db, const struct options *o, int format)
{
    if (o->n_args > 2)
        return usage_error("cli-providers-arguments", NULL, NULL);
    const char *slug = o->n_args == 2 ? o->args[1] : NULL;
    if (slug != NULL && smtpc_provider_find(db, slug) == NULL)
        return unknown_provider(slug);
    char *text;
    size_t len;
    smtpc_error err;
    if (smtpc_render_providers_in(&text, &len, db, slug, o->lang, strlen(o->lang), format,
                                  &err) != 0)
        return report(&err);
    return print_owned(text, len);
}

static FILE *open_input(const char *path)
{
    if (path == NULL || strcmp(path, "-") == 0)
        return stdin;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        smtpc_cli_say("cli-cannot-open", "file", path);
    return f;
}

/* Reports a malformed reply of the input named `name` as "name:line:column: text". */
static void report_malformed(smtpc_error *err, const char *name)
{
    snprintf(err->source, sizeof err->source, "%s", name);
    report(err);
}

/* Prints one parsed reply, explained and classified; returns 0 or an exit status. */
static int print_reply(const smtpc_reply *reply, const struct options *o, int format)
{
    char *text;
    size_t len;
    smtpc_error err;
    const char *command = o->command != NULL ? o->command : "";
    if (smtpc_render_reply_in(&text, &len, reply, command, strlen(command), o->slug, o->lang,
                              strlen(o->lang), format, &err) != 0)
        return report(&err);
    return print_owned(text, len);
}

/* Takes every complete reply out of `stream`, printing each and reporting each malformed one;
 * counts them in `*replies` and `*malformed`. Returns 0 or the exit status of a failure that
 * ends the command (output that cannot be written, memory). */
static int drain(smtpc_reply_stream *stream, const struct options *o, int format, const char *name,
                 unsigned long long *replies, unsigned long long *malformed)
{
    for (;;) {
        smtpc_reply *reply;
        smtpc_error err;
        int rc = smtpc_reply_stream_next(&reply, stream, &err);
        if (rc == SMTPC_EREPLY) {
            report_malformed(&err, name);
            (*malformed)++;
            continue;
        }
        if (rc != 0)
            return report(&err);
        if (reply == NULL)
            return 0;
        rc = print_reply(reply, o, format);
        smtpc_reply_free(reply);
        if (rc != 0)
            return rc;
        (*replies)++;
    }
}

/* What parse read, after the replies: a JSON object of its own in JSON Lines output, else a
 * line on standard error when log lines without a reply were skipped. */
static int print_parse_summary(const smtpc_reply_stream *stream, int format,
                               unsigned long long replies, unsigned long long malformed)
{
    unsigned long long skipped = smtpc_reply_stream_skipped(stream);
    if (format == SMTPC_FORMAT_JSON) {
        printf("{\"summary\":{\"lines\":%llu,\"replies\":%llu,\"malformed\":%llu,"
               "\"skipped\":%llu}}\n",
               smtpc_reply_stream_line(stream), replies, malformed, skipped);
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_FAILED;
    }
    if (skipped > 0) {
        char counts[3][24];
        snprintf(counts[0], sizeof counts[0], "%llu", replies);
        snprintf(counts[1], sizeof counts[1], "%llu", malformed);
        snprintf(counts[2], sizeof counts[2], "%llu", skipped);
        const char *keys[] = {"replies", "malformed", "skipped"};
        const char *values[] = {counts[0], counts[1], counts[2]};
        say(stderr, "smtpcodes: ", "cli-parse-summary", keys, values, 3);
    }
    return 0;
}

static int cmd_parse(const smtpc_db *db, const struct options *o, int format)
{
    if (o->n_args > 2)
        return usage_error("cli-parse-arguments", NULL, NULL);
    const char *path = o->n_args == 2 ? o->args[1] : NULL;
    const char *name = path != NULL && strcmp(path, "-") != 0 ? path : "standard input";
    FILE *f = open_input(path);
    if (f == NULL)
        return EXIT_FAILED;
    smtpc_reply_stream *stream;
    smtpc_error err;
    int flags =
        (o->embedded ? SMTPC_REPLY_EMBEDDED : 0) | (o->strict ? SMTPC_REPLY_STRICT_LENGTH : 0);
    if (smtpc_reply_stream_new(&stream, db, flags, &err) != 0) {
        if (f != stdin)
            fclose(f);
        return report(&err);
    }
    unsigned long long replies = 0, malformed = 0;
    static char chunk[1 << 16];
    int status = 0;
    size_t n;
    while (status == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (smtpc_reply_stream_feed(stream, chunk, n, &err) != 0)
            status = report(&err);
        else
            status = drain(stream, o, format, name, &replies, &malformed);
    }
    if (status == 0 && ferror(f)) {
        smtpc_cli_say("cli-cannot-read", "file", name);
        status = EXIT_FAILED;
    }
    if (status == 0) {
        smtpc_reply_stream_close(stream);
        status = drain(stream, o, format, name, &replies, &malformed);
    }
    if (status == 0)
        status = print_parse_summary(stream, format, replies, malformed);
    if (status == 0 && replies == 0 && malformed == 0 && !o->embedded) {
        smtpc_cli_say("cli-no-reply", NULL, NULL);
        status = EXIT_FAILED;
    }
    if (status == 0 && malformed > 0)
        status = EXIT_FAILED;
    smtpc_reply_stream_free(stream);
    if (f != stdin)
        fclose(f);
    return status;
}

enum { MAX_JOBS = 256 };

/* The number of files `scan` reads at a time, from --jobs (1 to MAX_JOBS), into `*jobs`;
 * returns -1 to go on, or an exit status. */
static int scan_jobs(int *jobs, const struct options *o)
{
    *jobs = 1;
    if (o->jobs == NULL)
        return -1;
    char *end;
    long n = strtol(o->jobs, &end, 10);
    if (*end != '\0' || end == o->jobs || n < 1 || n > MAX_JOBS)
        return usage_error("cli-bad-jobs", "value", o->jobs);
    *jobs = (int)n;
    return -1;
}

/* A count given on the command line: digits only, at most `max`. */
static int parse_count(long *value, const char *text, long max)
{
    char *end;
    *value = strtol(text, &end, 10);
    return end != text && *end == '\0' && text[0] != '-' && text[0] != '+' && *value <= max;
}

/* --by, --bucket and --year set up the scanner, and --top is checked; -1 when they are all
 * right. */
static int set_up_scanner(smtpc_scanner *scanner, const struct options *o)
{
    smtpc_error err;
    long value;
    long long seconds;
    if (o->by != NULL && smtpc_scanner_group_by(scanner, o->by, &err) != 0)
        return usage_error_text("--by: ", err.text);
    if (o->bucket != NULL &&
        (smtpc_duration_parse(&seconds, o->bucket, strlen(o->bucket), &err) != 0 ||
         smtpc_scanner_set_bucket(scanner, seconds, &err) != 0))
        return usage_error_text("--bucket: ", err.text);
    if (o->year != NULL && (!parse_count(&value, o->year, 9999) ||
                            smtpc_scanner_set_year(scanner, (int)value, &err) != 0))
        return usage_error("cli-bad-year", "value", o->year);
    if (o->top != NULL && !parse_count(&value, o->top, 1000000))
        return usage_error("cli-bad-top", "value", o->top);
    return -1;
}

/* The state of --state FILE: what the file holds, or a new state when it does not exist yet.
 * Returns -1, or the exit status of a failure it reported. */
static int load_state(smtpc_scan_state **state, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL && errno == ENOENT)
        return smtpc_scan_state_load(state, NULL, 0, NULL) == 0 ? -1 : EXIT_FAILED;
    if (f == NULL) {
        fprintf(stderr, "smtpcodes: %s: %s\n", path, strerror(errno));
        return EXIT_FAILED;
    }
    char text[SMTPC_SCAN_STATE_MAX * 64 + 64];
    size_t len = fread(text, 1, sizeof text, f);
    int too_long = len == sizeof text;
    fclose(f);
    smtpc_error err;
    if (too_long)
        smtpc_cli_say("cli-not-a-state", "file", path);
    else if (smtpc_scan_state_load(state, text, len, &err) != 0)
        fprintf(stderr, "smtpcodes: %s:%lu:%lu: %s\n", path, (unsigned long)err.line,
                (unsigned long)err.column, err.text);
    else
        return -1;
    return EXIT_FAILED;
}

/* Writes the state to a new file beside `path`, then renames it over `path`, so that the
 * state is never half-written. */
static int save_state(const smtpc_scan_state *state, const char *path)
{
    char *text;
    size_t len;
    if (smtpc_scan_state_save(&text, &len, state, NULL) != 0)
        return EXIT_FAILED;
    size_t n = strlen(path) + sizeof ".new";
    char *tmp = malloc(n);
    int ok = tmp != NULL;
    if (ok) {
        snprintf(tmp, n, "%s.new", path);
        FILE *f = fopen(tmp, "wb");
        ok = f != NULL && fwrite(text, 1, len, f) == len;
        ok = f != NULL && fclose(f) == 0 && ok;
        ok = ok && rename(tmp, path) == 0;
        if (!ok)
            fprintf(stderr, "smtpcodes: %s: %s\n", path, strerror(errno));
        if (!ok)
            remove(tmp);
    }
    free(tmp);
    smtpc_free(text);
    return ok ? 0 : EXIT_FAILED;
}

static int cmd_scan(const smtpc_db *db, const struct options *o, int format)
{
    int jobs;
    int rc = scan_jobs(&jobs, o);
    if (rc >= 0)
        return rc;
    smtpc_scanner *scanner;
    smtpc_error err;
    if (smtpc_scanner_new(&scanner, db, &err) != 0)
        return report(&err);
    smtpc_scan_state *state = NULL;
    if ((rc = set_up_scanner(scanner, o)) >= 0 ||
        (o->state != NULL && (rc = load_state(&state, o->state)) >= 0)) {
        smtpc_scanner_free(scanner);
        return rc;
    }
    static const char *const standard_input[] = {NULL};
    int status = o->n_args > 1
                     ? smtpc_cli_scan_files(scanner, o->args + 1, o->n_args - 1, jobs, state)
                     : smtpc_cli_scan_files(scanner, standard_input, 1, 1, state);
    char *text;
    size_t len;
    if (status == 0) {
        long top = 0;
        if (o->top != NULL)
            parse_count(&top, o->top, 1000000);
        if (smtpc_render_scan_in(&text, &len, scanner, (size_t)top, o->lang, strlen(o->lang),
                                 format, &err) == 0)
            status = print_owned(text, len);
        else
            status = report(&err);
    }
    /* the state moves on only when the summary of what it skips past was printed */
    if (status == 0 && state != NULL)
        status = save_state(state, o->state);
    smtpc_scan_state_free(state);
    smtpc_scanner_free(scanner);
    return status;
}

/* reply CODE [ENHANCED] [TEXT]...: the words of TEXT are joined with spaces. */
static int cmd_reply(const smtpc_db *db, const struct options *o)
{
    if (o->n_args < 2)
        return usage_error("cli-reply-needs-code", NULL, NULL);
    char *end;
    long code = strtol(o->args[1], &end, 10);
    if (*end != '\0' || end == o->args[1])
        return usage_error("cli-reply-not-number", "value", o->args[1]);
    int first_text = 2;
    const char *enhanced = "";
    smtpc_code parsed;
    if (o->n_args > 2 && smtpc_code_parse(&parsed, o->args[2], strlen(o->args[2]), NULL) == 0 &&
        parsed.kind == SMTPC_KIND_ENHANCED) {
        enhanced = o->args[2];
        first_text = 3;
    }
    size_t text_len = 0;
    for (int i = first_text; i < o->n_args; i++)
        text_len += strlen(o->args[i]) + 1;
    char *text = calloc(1, text_len + 1);
    if (text == NULL)
        return EXIT_FAILED;
    for (int i = first_text; i < o->n_args; i++) {
        if (i > first_text)
            strcat(text, " ");
        strcat(text, o->args[i]);
    }
    char *wire;
    size_t wire_len;
    smtpc_error err;
    int rc = smtpc_reply_build(&wire, &wire_len, db, (int)(code > 9999 || code < 0 ? 0 : code),
                               enhanced, strlen(enhanced), text, strlen(text), &err);
    free(text);
    if (rc != 0) {
        fprintf(stderr, "smtpcodes: %s\n", err.text);
        return EXIT_FAILED;
    }
    return print_owned(wire, wire_len);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The built-in database with the --data files laid over it in order: data files first, then
 * the catalogs (FILE.po), which translate what the data files say. */
static int load_data(smtpc_db **out, const struct options *o, smtpc_error *err)
{
    smtpc_db *db = NULL;
    int rc = 0;
    for (int i = 0; i < o->n_data && rc == 0; i++) {
        if (!ends_with(o->data[i], ".po"))
            rc = smtpc_db_load(&db, o->data[i], SMTPC_LOAD_OVERLAY, err);
    }
    if (rc == 0 && db == NULL) /* catalogs alone: a database of the built-in one's own */
        rc = smtpc_db_load_buffer(&db, "", 0, "<built-in>", SMTPC_LOAD_OVERLAY, err);
    for (int i = 0; i < o->n_data && rc == 0; i++) {
        if (ends_with(o->data[i], ".po"))
            rc = smtpc_db_load_catalog(db, o->data[i], err);
    }
    if (rc != 0) {
        smtpc_db_free(db);
        return rc;
    }
    *out = db;
    return 0;
}

static int open_db(const smtpc_db **db, const struct options *o)
{
    smtpc_error err;
    int rc;
    int data_files = 0;
    for (int i = 0; i < o->n_data; i++)
        data_files += !ends_with(o->data[i], ".po");
    if (data_files > 1)
        return usage_error("cli-one-data-file", NULL, NULL);
    if (o->n_data > 0) {
        smtpc_db *loaded = NULL;
        rc = load_data(&loaded, o, &err);
        *db = loaded;
    } else {
        rc = smtpc_db_from_env(db, &err);
    }
    return rc == 0 ? -1 : report(&err);
}


/* The provider --host or --provider names, into o->slug; returns -1 to go on, or an exit
 * status. */
static int resolve_provider(const smtpc_db *db, struct options *o)
{
    o->slug = NULL;
    if (o->host != NULL && o->provider != NULL)
        return usage_error("cli-host-or-provider", NULL, NULL);
    if (o->provider != NULL && o->provider[0] != '\0') {
        const smtpc_provider *p = smtpc_provider_find(db, o->provider);
        if (p == NULL)
            return unknown_provider(o->provider);
        o->slug = p->slug;
    }
    if (o->host != NULL) {
        const smtpc_provider *p = smtpc_provider_of_host(db, o->host, strlen(o->host));
        o->slug = p != NULL ? p->slug : NULL;
    }
    return -1;
}

static int run(const smtpc_db *db, struct options *o)
{
    int format;
    smtpc_error err;
    const char *name = o->format_name != NULL ? o->format_name : "text";
    if (smtpc_format_parse(&format, name, strlen(name), &err) != 0)
        return usage_error_text("", err.text);
    char env_tag[64];
    if (o->lang == NULL)
        o->lang = environment_language(db, env_tag, sizeof env_tag);
    const char *resolved;
    voice.db = db;
    if (smtpc_language_resolve(&resolved, db, o->lang, strlen(o->lang), &err) != 0) {
        smtpc_cli_say("cli-see-languages", "error", err.text);
        return EXIT_FAILED;
    }
    voice.lang = resolved;
    const char *canonical;
    if (o->command != NULL &&
        smtpc_command_parse(&canonical, o->command, strlen(o->command), &err) != 0)
        return usage_error_text("--command: ", err.text);
    int rc = resolve_provider(db, o);
    if (rc >= 0)
        return rc;
    const char *command = o->args[0];
    if (strcmp(command, "show") == 0)
        return cmd_show(db, o, format);
    if (strcmp(command, "compare") == 0)
        return cmd_compare(db, o, format);
    if (strcmp(command, "list") == 0)
        return cmd_list(db, o, format);
    if (strcmp(command, "languages") == 0)
        return cmd_languages(db, o, format);
    if (strcmp(command, "catalog") == 0)
        return cmd_catalog(db, o);
    if (strcmp(command, "providers") == 0)
        return cmd_providers(db, o, format);
    if (strcmp(command, "parse") == 0)
        return cmd_parse(db, o, format);
    if (strcmp(command, "scan") == 0)
        return cmd_scan(db, o, format);
    if (strcmp(command, "bounce") == 0)
        return smtpc_cli_bounce(db, o->args + 1, o->n_args - 1, o->lang, format);
    if (strcmp(command, "reply") == 0)
        return cmd_reply(db, o);
    return usage_error("cli-unknown-command", "command", command);
}

/* The help, in the language of --lang (else the environment's) and in the words of the
 * catalogs of --data. */
static int print_help(const smtpc_db *db, const struct options *o)
{
    const char *resolved;
    voice.db = db;
    if (o->lang != NULL && smtpc_language_resolve(&resolved, db, o->lang, strlen(o->lang), NULL) == 0)
        voice.lang = resolved;
    say(stdout, "", "cli-usage-commands", NULL, NULL, 0);
    say(stdout, "", "cli-usage-options", NULL, NULL, 0);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_FAILED;
}

int smtpc_cli_main(int argc, char **argv)
{
    struct options o;
    memset(&o, 0, sizeof o);
    memset(&voice, 0, sizeof voice);
    int rc = parse_args(&o, argc, argv);
    const smtpc_db *db = NULL;
    if (rc < 0 && o.help) {
        rc = open_db(&db, &o);
        if (rc < 0)
            rc = print_help(db, &o);
    }
    if (rc < 0 && o.n_args == 0)
        rc = usage_error("cli-command-needed", NULL, NULL);
    if (rc < 0)
        rc = open_db(&db, &o);
    if (rc < 0)
        rc = run(db, &o);
    /* the messages' database goes with the run */
    memset(&voice, 0, sizeof voice);
    smtpc_db_free(db);
    return rc;
}
