/*
 * buf.c - growable strings and arenas: the only places in the core that allocate.
 */
#include "internal.h"

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
    size_t cap = b->cap ? b->cap : 256;
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

void smtpc_buf_append(struct smtpc_buf *b, const char *s, size_t len)
{
    if (!buf_reserve(b, len))
        return;
    if (len > 0)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void smtpc_buf_puts(struct smtpc_buf *b, const char *s)
{
    smtpc_buf_append(b, s, strlen(s));
}

void smtpc_buf_putc(struct smtpc_buf *b, char c)
{
    smtpc_buf_append(b, &c, 1);
}

void smtpc_buf_printf(struct smtpc_buf *b, const char *fmt, ...)
{
    va_list ap;
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
};

enum { ARENA_BLOCK_SIZE = 64 * 1024 };

struct smtpc_arena *smtpc_arena_new(void)
{
    return calloc(1, sizeof(struct smtpc_arena));
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
        size_t block_size = size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE;
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
