/*
 * buf.c - growable strings and arenas: the only places in the core that allocate.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void smtpc_buf_init(struct smtpc_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}

void smtpc_buf_free(struct smtpc_buf *b)
{
    free(b->data);
    smtpc_buf_init(b);
}

/* Makes room for `extra` more bytes plus the terminator; returns 0 when it cannot. */
static int buf_reserve(struct smtpc_buf *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (extra > ((size_t)-1) / 2 - b->len) {
        b->failed = 1;
        return 0;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 1024; /* most pages and clauses fit without a realloc */
    while (cap < need)
        cap *= 2;
    char *data = realloc(b->data, cap);
    if (data == NULL) {
        b->failed = 1;
        return 0;
    }
    b->data = data;
    b->cap = cap;
    return 1;
}

void smtpc_buf_append_growing(struct smtpc_buf *b, const char *s, size_t len)
{
    if (!buf_reserve(b, len))
        return;
    if (len > 0)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

/* Appends the decimal digits of `v` (with a '-' when `negative`). */
static void put_decimal(struct smtpc_buf *b, unsigned long long v, int negative)
{
    char digits[24];
    size_t at = sizeof digits;
    do {
        digits[--at] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    if (negative)
        digits[--at] = '-';
    smtpc_buf_append(b, digits + at, sizeof digits - at);
}

/* Appends the literal run at `fmt`, up to the next '%' or the end; returns where it stops.
 * The runs between conversions are mostly a few bytes, which a loop copies in less time than
 * calls to strchr() and memcpy() take to start; a long one (HTML markup) gets the calls after
 * its first bytes. */
static const char *put_literal(struct smtpc_buf *b, const char *fmt)
{
    enum { SHORT = 16 };
    if (!b->failed && b->cap - b->len > SHORT) { /* room for the bytes and the terminator */
        char *at = b->data + b->len;
        for (size_t i = 0; i < SHORT; i++) {
            if (fmt[i] == '%' || fmt[i] == '\0') {
                b->len += i;
                b->data[b->len] = '\0';
                return fmt + i;
            }
            at[i] = fmt[i];
        }
        b->len += SHORT;
        fmt += SHORT;
    }
    const char *pct = strchr(fmt, '%');
    size_t n = pct != NULL ? (size_t)(pct - fmt) : strlen(fmt);
    smtpc_buf_append(b, fmt, n);
    return fmt + n;
}

/* The one-pass formatter for the conversions the page builders use: %s, %d, %zu, %llu and %%,
 * without flags, width or precision. Literal runs and arguments are appended as they come;
 * vsnprintf() would read the format twice (once to size, once to write) through stdio's
 * string streams, which dominated building a comparison. Returns 0, having written part of the
 * output, at the first conversion it does not know. */
static int buf_format_simple(struct smtpc_buf *b, const char *fmt, va_list ap)
{
    for (;;) {
        fmt = put_literal(b, fmt);
        if (*fmt == '\0')
            return 1;
        fmt++;
        if (fmt[0] == 's') {
            const char *s = va_arg(ap, const char *);
            smtpc_buf_append(b, s, strlen(s));
            fmt++;
        } else if (fmt[0] == 'd') {
            int v = va_arg(ap, int);
            put_decimal(b, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
            fmt++;
        } else if (fmt[0] == 'z' && fmt[1] == 'u') {
            put_decimal(b, va_arg(ap, size_t), 0);
            fmt += 2;
        } else if (fmt[0] == 'l' && fmt[1] == 'l' && fmt[2] == 'u') {
            put_decimal(b, va_arg(ap, unsigned long long), 0);
            fmt += 3;
        } else if (fmt[0] == '%') {
            smtpc_buf_append(b, "%", 1);
            fmt++;
        } else {
            return 0;
        }
    }
}

void smtpc_buf_printf(struct smtpc_buf *b, const char *fmt, ...)
{
    va_list ap;
    size_t start = b->len;
    va_start(ap, fmt);
    int simple = buf_format_simple(b, fmt, ap);
    va_end(ap);
    if (simple || b->failed)
        return;
    /* Widths, precisions, hex: undo the partial output and let the C library do it all. */
    b->len = start;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (!buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *smtpc_buf_take(struct smtpc_buf *b, size_t *len)
{
    if (!b->failed)
        buf_reserve(b, 0);
    if (b->failed) {
        smtpc_buf_free(b);
        return NULL;
    }
    b->data[b->len] = '\0'; /* a buffer nothing was appended to is "" too */
    char *s = b->data;
    if (len != NULL)
        *len = b->len;
    smtpc_buf_init(b);
    return s;
}

void smtpc_free(void *p)
{
    free(p);
}

/* ---- arenas ---- */

/* Blocks are chained newest first; a request larger than a block gets a block of its own. */
struct arena_block {
    struct arena_block *next;
    size_t used;
    size_t size;
    _Alignas(max_align_t) unsigned char data[];
};

struct smtpc_arena {
    struct arena_block *blocks;
    size_t block_size; /* of each new block; larger requests get a block of their own */
};

enum { ARENA_BLOCK_SIZE = 64 * 1024 };

struct smtpc_arena *smtpc_arena_new(void)
{
    return smtpc_arena_new_sized(ARENA_BLOCK_SIZE);
}

struct smtpc_arena *smtpc_arena_new_sized(size_t block_size)
{
    struct smtpc_arena *a = calloc(1, sizeof *a);
    if (a != NULL)
        a->block_size = block_size;
    return a;
}

void smtpc_arena_free(struct smtpc_arena *a)
{
    if (a == NULL)
        return;
    struct arena_block *blk = a->blocks;
    while (blk != NULL) {
        struct arena_block *next = blk->next;
        free(blk);
        blk = next;
    }
    free(a);
}

void *smtpc_arena_alloc(struct smtpc_arena *a, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    if (size > ((size_t)-1) / 2)
        return NULL;
    size = (size + align - 1) / align * align;
    struct arena_block *blk = a->blocks;
    if (blk == NULL || blk->size - blk->used < size) {
        size_t block_size = size > a->block_size ? size : a->block_size;
        blk = malloc(sizeof *blk + block_size);
        if (blk == NULL)
            return NULL;
        blk->used = 0;
        blk->size = block_size;
        blk->next = a->blocks;
        a->blocks = blk;
    }
    void *p = blk->data + blk->used;
    blk->used += size;
    return p;
}

char *smtpc_arena_strndup(struct smtpc_arena *a, const char *s, size_t len)
{
    char *p = smtpc_arena_alloc(a, len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void *smtpc_array_grow(void *items, size_t *cap, size_t size, size_t first)
{
    size_t n = *cap ? *cap : first / 2;
    if (n > SIZE_MAX / 2 / size)
        return NULL;
    void *grown = realloc(items, 2 * n * size);
    if (grown != NULL)
        *cap = 2 * n;
    return grown;
}
