/*
 * support.h - what the C suites share: golden-vector files, and the JSON and UTF-8 oracles of
 * tests/common.
 */
#ifndef SMTPC_TEST_SUPPORT_H
#define SMTPC_TEST_SUPPORT_H

#include "oracles.h"

#include <stddef.h>

enum { VECTOR_MAX_COLUMNS = 16, VECTOR_MAX_CELL = 1024 };

/* One row of a tab-separated vector file; cells are unescaped ("\t", "\s", "\0", "<empty>")
 * and `len` keeps the length of cells that hold a NUL. "-" stays "-". */
struct vector_row {
    unsigned long line;
    int n_cells;
    char cells[VECTOR_MAX_COLUMNS][VECTOR_MAX_CELL];
    size_t len[VECTOR_MAX_COLUMNS];
};

/* Calls `each` for every data row of tests/vectors/NAME (the header row is checked against
 * `columns`, e.g. "input\tstatus"); returns the number of rows. Fails the test on a malformed
 * file. */
int vector_each(const char *name, const char *columns,
                void (*each)(const struct vector_row *row, void *ctx), void *ctx);

/* The path of a file under tests/vectors (static buffer; for messages and fopen). */
const char *vector_path(const char *relative);

/* Reads a whole file into a malloc'd, NUL-terminated buffer; NULL when it cannot. */
char *read_file(const char *path, size_t *len);

#endif
