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
