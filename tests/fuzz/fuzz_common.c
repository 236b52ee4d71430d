/*
 * fuzz_common.c - invariant checks and a generator for the harnesses.
 */
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
    fprintf(stderr, "\n*** invariant broken at %s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

/* ---- results and errors ---- */

static size_t bounded_strlen(const char *s, size_t size)
{
    const char *nul = memchr(s, '\0', size);
    return nul != NULL ? (size_t)(nul - s) : size;
}

void fuzz_poison_error(smtpc_error *err)
{
    memset(err, 0x5A, sizeof *err);
}

void fuzz_check_error(int rc, const smtpc_error *err)
{
    FUZZ_CHECK(rc < 0, "a failure returned %d", rc);
    FUZZ_CHECK(err->status == rc, "err.status %d, returned %d", err->status, rc);
    size_t text_len = bounded_strlen(err->text, sizeof err->text);
    FUZZ_CHECK(text_len < sizeof err->text, "err.text is not terminated");
    FUZZ_CHECK(bounded_strlen(err->source, sizeof err->source) < sizeof err->source,
               "err.source is not terminated");
    FUZZ_CHECK(text_len > 0, "err.text is empty for status %d", rc);
    for (size_t i = 0; i < text_len; i++)
        FUZZ_CHECK((unsigned char)err->text[i] >= 0x20 && err->text[i] != 0x7F,
                   "err.text holds control byte 0x%02X (one line of text expected): %s",
                   (unsigned char)err->text[i], err->text);
    FUZZ_CHECK(utf8_is_valid(err->text, text_len), "err.text is not UTF-8: %s", err->text);
    FUZZ_CHECK(strcmp(smtpc_strerror(rc), "unknown status") != 0, "undocumented status %d", rc);
    char small[8];
    char big[SMTPC_ERROR_SOURCE_SIZE + SMTPC_ERROR_TEXT_SIZE + 64];
    size_t need = smtpc_error_format(small, sizeof small, err);
    size_t got = smtpc_error_format(big, sizeof big, err);
    FUZZ_CHECK(need == got, "smtpc_error_format: %zu then %zu", need, got);
    FUZZ_CHECK(got < sizeof big && strlen(big) == got, "smtpc_error_format length");
    FUZZ_CHECK(strlen(small) == (need < sizeof small ? need : sizeof small - 1),
               "smtpc_error_format truncation");
}

void fuzz_check_rendered(int rc, const char *out, size_t len, int format, const smtpc_error *err)
{
    if (rc != 0) {
        FUZZ_CHECK(out == NULL, "a failed render left output");
        fuzz_check_error(rc, err);
        return;
    }
    FUZZ_CHECK(out != NULL, "render succeeded without output");
    FUZZ_CHECK(strlen(out) == len, "rendered length %zu, strlen %zu", len, strlen(out));
    FUZZ_CHECK(utf8_is_valid(out, len), "rendered output (format %d) is not UTF-8:\n%s",
               format, out);
    if (format == SMTPC_FORMAT_JSON)
        FUZZ_CHECK(json_is_valid(out, len), "rendered JSON is not valid:\n%s", out);
}

/* ---- generator ---- */

uint64_t fuzz_rng_next(struct fuzz_rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

size_t fuzz_rng_below(struct fuzz_rng *r, size_t n)
{
    return n == 0 ? 0 : (size_t)(fuzz_rng_next(r) % n);
}

uint64_t fuzz_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0xCBF29CE484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001B3ULL;
    }
    return h;
}
