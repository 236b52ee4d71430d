/*
 * support.c - golden-vector reading and a strict JSON checker for the C suites.
 */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#ifndef SMTPC_VECTORS_DIR
#error "SMTPC_VECTORS_DIR must name tests/vectors"
#endif

const char *vector_path(const char *relative)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", SMTPC_VECTORS_DIR, relative);
    return path;
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096;
    size_t n = 0;
    char *data = malloc(cap);
    size_t got;
    while (data != NULL && (got = fread(data + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *grown = realloc(data, cap * 2);
            if (grown == NULL) {
                free(data);
                data = NULL;
            }
            data = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (data != NULL) {
        data[n] = '\0';
        if (len != NULL)
            *len = n;
    }
    return data;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

/* Unescapes a cell in place: \t tab, \s space, \r, \n, \0 NUL, \xHH, \\ backslash;
 * "<empty>" is "". */
static size_t unescape(char *cell)
{
    if (strcmp(cell, "<empty>") == 0) {
        cell[0] = '\0';
        return 0;
    }
    size_t out = 0;
    for (size_t in = 0; cell[in] != '\0'; in++) {
        char c = cell[in];
        if (c == '\\' && cell[in + 1] != '\0') {
            char e = cell[++in];
            if (e == 'x' && cell[in + 1] != '\0' && cell[in + 2] != '\0') {
                c = (char)(hex_value(cell[in + 1]) * 16 + hex_value(cell[in + 2]));
                in += 2;
            } else {
                c = e == 't' ? '\t' : e == 's' ? ' ' : e == '0' ? '\0' : e == 'r' ? '\r'
                    : e == 'n' ? '\n' : e;
            }
        }
        cell[out++] = c;
    }
    cell[out] = '\0';
    return out;
}

static int split_row(char *line, struct vector_row *row)
{
    row->n_cells = 0;
    char *s = line;
    for (;;) {
        char *tab = strchr(s, '\t');
        if (tab != NULL)
            *tab = '\0';
        if (row->n_cells == VECTOR_MAX_COLUMNS || strlen(s) >= VECTOR_MAX_CELL)
            return 0;
        strcpy(row->cells[row->n_cells], s);
        row->len[row->n_cells] = unescape(row->cells[row->n_cells]);
        row->n_cells++;
        if (tab == NULL)
            return 1;
        s = tab + 1;
    }
}

int vector_each(const char *name, const char *columns,
                void (*each)(const struct vector_row *row, void *ctx), void *ctx)
{
    char *data = read_file(vector_path(name), NULL);
    if (data == NULL)
        fail_msg("cannot read %s", vector_path(name));
    int rows = 0;
    int header_seen = 0;
    unsigned long line_no = 0;
    char *save = NULL;
    struct vector_row *row = malloc(sizeof *row);
    assert_non_null(row);
    for (char *line = strtok_r(data, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        line_no++;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (!header_seen) {
            if (strcmp(line, columns) != 0)
                fail_msg("%s: header is '%s', expected '%s'", name, line, columns);
            header_seen = 1;
            continue;
        }
        if (!split_row(line, row))
            fail_msg("%s:%lu: malformed row", name, line_no);
        row->line = line_no;
        each(row, ctx);
        rows++;
    }
    free(row);
    free(data);
    return rows;
}

/* ---- JSON (RFC 8259), strict: one value, no trailing commas, valid escapes ---- */

struct json {
    const char *s;
    size_t len;
    size_t at;
    int depth;
};

static void skip_ws(struct json *j)
{
    while (j->at < j->len && strchr(" \t\r\n", j->s[j->at]) != NULL)
        j->at++;
}

static int literal(struct json *j, const char *word)
{
    size_t n = strlen(word);
    if (j->len - j->at < n || memcmp(j->s + j->at, word, n) != 0)
        return 0;
    j->at += n;
    return 1;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int string(struct json *j)
{
    if (j->s[j->at] != '"')
        return 0;
    for (j->at++; j->at < j->len; j->at++) {
        unsigned char c = (unsigned char)j->s[j->at];
        if (c == '"') {
            j->at++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            char e = j->at + 1 < j->len ? j->s[++j->at] : '\0';
            if (e == 'u') {
                for (int k = 0; k < 4; k++) {
                    if (j->at + 1 >= j->len || !is_hex(j->s[++j->at]))
                        return 0;
                }
            } else if (strchr("\"\\/bfnrt", e) == NULL || e == '\0') {
                return 0;
            }
        }
    }
    return 0;
}

static int number(struct json *j)
{
    size_t start = j->at;
    if (j->s[j->at] == '-')
        j->at++;
    size_t digits = j->at;
    while (j->at < j->len && j->s[j->at] >= '0' && j->s[j->at] <= '9')
        j->at++;
    if (j->at == digits || (j->s[digits] == '0' && j->at - digits > 1))
        return 0;
    return j->at > start;
}

static int value(struct json *j);

static int members(struct json *j, char close, int keyed)
{
    j->at++;
    skip_ws(j);
    if (j->at < j->len && j->s[j->at] == close) {
        j->at++;
        return 1;
    }
    for (;;) {
        skip_ws(j);
        if (keyed) {
            if (!string(j))
                return 0;
            skip_ws(j);
            if (j->at >= j->len || j->s[j->at++] != ':')
                return 0;
        }
        if (!value(j))
            return 0;
        skip_ws(j);
        if (j->at >= j->len)
            return 0;
        char c = j->s[j->at++];
        if (c == close)
            return 1;
        if (c != ',')
            return 0;
    }
}

static int value(struct json *j)
{
    skip_ws(j);
    if (j->at >= j->len || ++j->depth > 64)
        return 0;
    int ok;
    switch (j->s[j->at]) {
    case '{': ok = members(j, '}', 1); break;
    case '[': ok = members(j, ']', 0); break;
    case '"': ok = string(j); break;
    case 't': ok = literal(j, "true"); break;
    case 'f': ok = literal(j, "false"); break;
    case 'n': ok = literal(j, "null"); break;
    default: ok = number(j); break;
    }
    j->depth--;
    return ok;
}

int json_is_valid(const char *s, size_t len)
{
    struct json j = {s, len, 0, 0};
    if (!value(&j))
        return 0;
    skip_ws(&j);
    return j.at == len;
}
