/*
 * gen_builtin.c - turns the data file into the C tables of the built-in database.
 *
 * Usage: gen_builtin DATA-FILE OUTPUT.c [CATALOG.po...]     write the tables
 *        gen_builtin --check DATA-FILE [CATALOG.po...]      only check the files
 *
 * The files are read by the library's own parsers, so a data file and catalogs that the build
 * accepts are ones that smtpc_db_load() and smtpc_db_load_catalog() accept too, with the same
 * error messages. The catalogs' translations become static arrays, one per language, indexed
 * by message number, and its templates taken apart (docs/translation.md): nothing is looked
 * up or parsed at run time.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* Writes `s` as a C string literal; octal escapes keep every byte exact whatever follows. */
static void put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20 || *c >= 0x7F || *c == '?')
            fprintf(out, "\\%03o", *c); /* '?' too: no trigraphs */
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

static void put_field(FILE *out, const char *s)
{
    fputs("\n     ", out);
    put_string(out, s);
    fputc(',', out);
}

static void put_entries(FILE *out, const char *name, const smtpc_entry *entries, size_t n)
{
    fprintf(out, "static const smtpc_entry %s[] = {\n", name);
    for (size_t i = 0; i < n; i++) {
        const smtpc_entry *e = &entries[i];
        fputs("    {", out);
        put_string(out, e->code);
        fprintf(out, ", {%d, %d, %d, %d, %d},", e->parsed.kind, e->parsed.klass,
                e->parsed.category, e->parsed.detail, e->parsed.conforming);
        const char *before_origin[] = {e->name, e->aliases, e->slug, e->classes};
        for (size_t k = 0; k < 4; k++)
            put_field(out, before_origin[k]);
        fprintf(out, " %d,", e->origin);
        const char *prose[] = {e->description, e->when, e->fix, e->references};
        for (size_t k = 0; k < 4; k++)
            put_field(out, prose[k]);
        fprintf(out, " %d, %d, %d,", e->retry, e->retry_transient, e->connection);
        const char *rest[] = {e->commands, e->enhanced, e->sample,     e->associated,
                              e->see,      e->note,     e->exceptions, e->reason};
        for (size_t k = 0; k < 8; k++)
            put_field(out, rest[k]);
        put_field(out, e->provider);
        fprintf(out, " %d},\n", e->detail_last);
    }
    if (n == 0)
        fputs("    {0},\n", out);
    fputs("};\n\n", out);
}

static void put_groups(FILE *out, const char *name, const smtpc_group *groups, size_t n)
{
    fprintf(out, "static const smtpc_group %s[] = {\n", name);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "    {%d,", groups[i].number);
        put_field(out, groups[i].name);
        put_field(out, groups[i].alt_name);
        put_field(out, groups[i].description);
        fputs("},\n", out);
    }
    if (n == 0)
        fputs("    {0},\n", out);
    fputs("};\n\n", out);
}

/* The translations of language `index`, as designated initializers of the messages it has. */
/* ISO C promises string literals of 4095 bytes: a longer text (a translated help of the
 * command line) is written as an array of its bytes. */
enum { MAX_LITERAL = 4095 };

/* Writes `s` as the array `name`, byte by byte. */
static void put_byte_array(FILE *out, const char *name, const char *s)
{
    fprintf(out, "static const char %s[] = {", name);
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++)
        fprintf(out, "%s'\\%03o',", (c - (const unsigned char *)s) % 16 == 0 ? "\n    " : " ",
                *c);
    fputs("\n    0};\n", out);
}

static void put_texts(FILE *out, const smtpc_db *db, size_t index)
{
    const struct smtpc_language *lang = &db->languages[index];
    size_t n = smtpc_message_count(db);
    char name[64];
    for (size_t id = 0; id < n; id++) {
        if (lang->texts[id] != NULL && strlen(lang->texts[id]) > MAX_LITERAL) {
            snprintf(name, sizeof name, "long_%zu_%zu", index, id);
            put_byte_array(out, name, lang->texts[id]);
        }
    }
    fprintf(out, "static const char *const texts_%zu[%zu] = {\n", index, n + 1);
    for (size_t id = 0; id < n; id++) {
        if (lang->texts[id] == NULL)
            continue;
        fprintf(out, "    [%zu] = ", id);
        if (strlen(lang->texts[id]) > MAX_LITERAL)
            fprintf(out, "long_%zu_%zu", index, id);
        else
            put_string(out, lang->texts[id]);
        fputs(",\n", out);
    }
    fputs("};\n\n", out);
}

/* The index of English among the languages. */
static size_t english_index(const smtpc_db *db)
{
    size_t i = 0;
    while (i < db->n_languages && strcmp(db->languages[i].tag, "en") != 0)
        i++;
    return i;
}

/* Whether `pieces` hold a literal run, which points into the template's text. */
static int has_literal(const struct smtpc_piece *pieces)
{
    for (const struct smtpc_piece *p = pieces; p->text != NULL; p++) {
        if (!p->placeholder)
            return 1;
    }
    return 0;
}

/* One piece of template `t` of language `index`, whose text is `text`: a literal run points into
 * the text; a placeholder's name is written zero-padded to SMTPC_NAME_KEY bytes, as
 * struct smtpc_arg holds names. */
static void put_piece(FILE *out, const struct smtpc_piece *p, const char *text, size_t index,
                      size_t t)
{
    if (!p->placeholder) {
        fprintf(out, "    {text_%zu_%zu + %td, %u, 0, 0},\n", index, t, p->text - text, p->len);
        return;
    }
    fprintf(out, "    {(const char[%d]){\"%.*s\"}, %u, 1, %u},\n",
            p->len < SMTPC_NAME_KEY ? SMTPC_NAME_KEY : (int)p->len + 1, (int)p->len, p->text,
            p->len, p->filters);
}

/* The templates of language `index` taken apart: the text and the pieces of each, then the
 * array of them. The literal runs point into the text, as a loaded database's point into its
 * translation. */
static void put_templates(FILE *out, const smtpc_db *db, size_t index)
{
    const struct smtpc_language *lang = &db->languages[index];
    for (size_t t = 0; t < SMTPC_TEMPLATE_COUNT; t++) {
        const struct smtpc_piece *pieces = lang->templates[t];
        if (pieces == NULL)
            continue;
        /* the template's text once, and its pieces pointing into it: a sentence is composed
         * from one string, as it would be from a format */
        const char *text = index == english_index(db) ? smtpc_template_english((int)t)
                                                       : lang->texts[t];
        char name[64];
        snprintf(name, sizeof name, "text_%zu_%zu", index, t);
        /* a template of placeholders alone ("{text}") has no literal run to point into it */
        if (has_literal(pieces) && strlen(text) > MAX_LITERAL) {
            put_byte_array(out, name, text);
        } else if (has_literal(pieces)) {
            fprintf(out, "static const char %s[] = ", name);
            put_string(out, text);
            fputs(";\n", out);
        }
        fprintf(out, "static const struct smtpc_piece pieces_%zu_%zu[] = {\n", index, t);
        for (const struct smtpc_piece *p = pieces; p->text != NULL; p++)
            put_piece(out, p, text, index, t);
        fputs("    {NULL, 0, 0, 0},\n};\n", out);
    }
    fprintf(out, "static const struct smtpc_piece *const templates_%zu[%d] = {\n", index,
            SMTPC_TEMPLATE_COUNT);
    for (size_t t = 0; t < SMTPC_TEMPLATE_COUNT; t++) {
        if (lang->templates[t] != NULL)
            fprintf(out, "    [%zu] = pieces_%zu_%zu,\n", t, index, t);
    }
    fputs("};\n\n", out);
}

/* Whether language `lang` has a template of its own (English has all of them). */
static int has_templates(const struct smtpc_language *lang)
{
    for (size_t t = 0; lang->templates != NULL && t < SMTPC_TEMPLATE_COUNT; t++) {
        if (lang->templates[t] != NULL)
            return 1;
    }
    return 0;
}

static void put_languages(FILE *out, const smtpc_db *db)
{
    for (size_t i = 0; i < db->n_languages; i++) {
        if (db->languages[i].texts != NULL)
            put_texts(out, db, i);
        if (has_templates(&db->languages[i]))
            put_templates(out, db, i);
    }
    fputs("static const struct smtpc_language languages[] = {\n", out);
    for (size_t i = 0; i < db->n_languages; i++) {
        const struct smtpc_language *lang = &db->languages[i];
        fputs("    {", out);
        put_string(out, lang->tag);
        fputs(", ", out);
        put_string(out, lang->name);
        fputs(", {", out);
        for (int k = 0; k < SMTPC_LABEL_COUNT; k++) {
            if (lang->labels[k] != NULL)
                put_field(out, lang->labels[k]);
            else
                fputs("\n     NULL,", out);
        }
        fprintf(out, "}, %d, ", lang->direction);
        if (lang->texts != NULL)
            fprintf(out, "texts_%zu, ", i);
        else
            fputs("NULL, ", out);
        if (has_templates(lang))
            fprintf(out, "templates_%zu},\n", i);
        else
            fputs("NULL},\n", out);
    }
    fputs("};\n\n", out);
}

static void put_reasons(FILE *out, const smtpc_db *db)
{
    fputs("static const struct smtpc_reason_def reasons[] = {\n", out);
    for (size_t i = 0; i < db->n_reasons; i++) {
        fputs("    {", out);
        put_string(out, db->reasons[i].name);
        fprintf(out, ", %d,", db->reasons[i].hard);
        put_field(out, db->reasons[i].description);
        fputs("},\n", out);
    }
    if (db->n_reasons == 0)
        fputs("    {0},\n", out);
    fputs("};\n\n", out);
}

static void put_providers(FILE *out, const smtpc_db *db)
{
    fputs("static const smtpc_provider providers[] = {\n", out);
    for (size_t i = 0; i < db->n_providers; i++) {
        const smtpc_provider *provider = &db->providers[i];
        fputs("    {", out);
        put_string(out, provider->slug);
        fputc(',', out);
        put_field(out, provider->name);
        put_field(out, provider->hosts);
        put_field(out, provider->description);
        put_field(out, provider->references);
        fputs("},\n", out);
    }
    if (db->n_providers == 0)
        fputs("    {0},\n", out);
    fputs("};\n\n", out);
}

/* Each pattern points at its reason and its provider by their indexes in the tables above. */
static void put_patterns(FILE *out, const smtpc_db *db)
{
    fputs("static const struct smtpc_pattern patterns[] = {\n", out);
    for (size_t i = 0; i < db->n_patterns; i++) {
        const struct smtpc_pattern *pattern = &db->patterns[i];
        fputs("    {", out);
        put_string(out, pattern->text);
        fputs(", ", out);
        put_string(out, pattern->match);
        fprintf(out, ", %zu, &reasons[%zu],", pattern->len,
                (size_t)(pattern->reason - db->reasons));
        put_field(out, pattern->source);
        if (pattern->provider != NULL)
            fprintf(out, " &providers[%zu]", (size_t)(pattern->provider - db->providers));
        else
            fputs(" NULL", out);
        fputs("},\n", out);
    }
    if (db->n_patterns == 0)
        fputs("    {0},\n", out);
    fputs("};\n\n", out);
}

static void put_db(FILE *out, const smtpc_db *db, const char *data_path)
{
    fprintf(out, "/* Generated from %s by gen_builtin: do not edit, do not commit. */\n",
            data_path);
    fputs("#include \"internal.h\"\n\n", out);
    put_entries(out, "entries", db->entries, db->n_entries);
    put_entries(out, "provider_entries", db->provider_entries, db->n_provider_entries);
    put_groups(out, "classes", db->classes, db->n_classes);
    put_groups(out, "categories", db->categories, db->n_categories);
    put_groups(out, "subjects", db->subjects, db->n_subjects);
    put_languages(out, db);
    put_reasons(out, db);
    put_providers(out, db);
    put_patterns(out, db);
    fprintf(out,
            "const struct smtpc_db smtpc_builtin_db = {\n"
            "    entries, %zu, classes, %zu, categories, %zu, subjects, %zu, languages, %zu,\n"
            "    reasons, %zu, patterns, %zu, providers, %zu, provider_entries, %zu, NULL,\n"
            "};\n",
            db->n_entries, db->n_classes, db->n_categories, db->n_subjects, db->n_languages,
            db->n_reasons, db->n_patterns, db->n_providers, db->n_provider_entries);
}

static int report(const smtpc_error *err)
{
    char message[SMTPC_ERROR_SOURCE_SIZE + SMTPC_ERROR_TEXT_SIZE + 64];
    smtpc_error_format(message, sizeof message, err);
    fprintf(stderr, "%s\n", message);
    return 0;
}

/* The data file, then each catalog into it. */
static int load(smtpc_db **db, const char *path, char **catalogs, int n_catalogs)
{
    smtpc_error err;
    if (smtpc_load_file_over(db, NULL, path, &err) != 0)
        return report(&err);
    for (int i = 0; i < n_catalogs; i++) {
        if (smtpc_db_load_catalog(*db, catalogs[i], &err) != 0) {
            smtpc_arena_free((*db)->arena);
            return report(&err);
        }
    }
    return 1;
}

int main(int argc, char **argv)
{
    smtpc_db *db = NULL;
    if (argc >= 3 && strcmp(argv[1], "--check") == 0) {
        if (!load(&db, argv[2], argv + 3, argc - 3))
            return 1;
        printf("%s: %zu codes, %zu languages, %zu reasons, %zu patterns, %d catalogs\n", argv[2],
               db->n_entries, db->n_languages, db->n_reasons, db->n_patterns, argc - 3);
        smtpc_arena_free(db->arena);
        return 0;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: gen_builtin DATA-FILE OUTPUT.c [CATALOG.po...] | "
                        "gen_builtin --check DATA-FILE [CATALOG.po...]\n");
        return 2;
    }
    if (!load(&db, argv[1], argv + 3, argc - 3))
        return 1;
    /* Write next to the target and rename, so that a failed run never leaves a half file
     * that the build would take as up to date. */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[2]);
    FILE *out = fopen(tmp, "w");
    if (out == NULL) {
        perror(tmp);
        smtpc_arena_free(db->arena);
        return 1;
    }
    put_db(out, db, argv[1]);
    int failed = ferror(out);
    failed |= fclose(out) != 0;
    smtpc_arena_free(db->arena);
    if (failed || rename(tmp, argv[2]) != 0) {
        perror(argv[2]);
        remove(tmp);
        return 1;
    }
    return 0;
}
