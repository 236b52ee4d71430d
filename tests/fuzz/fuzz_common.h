/*
 * fuzz_common.h - what the fuzz harnesses share: invariant checks that abort with a message,
 * the JSON and UTF-8 oracles (tests/common), and a small deterministic random number generator.
 *
 * Every harness defines LLVMFuzzerTestOneInput(). Built with -fsanitize=fuzzer it is a
 * libFuzzer target; linked with replay.c it is a plain program that runs the same entry point
 * over files, which is how the corpus and the regressions are replayed by ctest.
 */
#ifndef SMTPC_FUZZ_COMMON_H
#define SMTPC_FUZZ_COMMON_H

#include "oracles.h"
#include "smtpcodes.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports a broken invariant and aborts, which libFuzzer (and ctest) count as a crash. */
void fuzz_fail(const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((noreturn, format(printf, 3, 4)))
#endif
    ;

#define FUZZ_CHECK(cond, ...)                                    \
    do {                                                         \
        if (!(cond))                                             \
            fuzz_fail(__FILE__, __LINE__, "" __VA_ARGS__);       \
    } while (0)

/* Checks what a render function returned: on success a NUL-terminated string of `len` bytes
 * without an inner NUL, valid UTF-8, and valid JSON for SMTPC_FORMAT_JSON; on failure NULL. */
void fuzz_check_rendered(int rc, const char *out, size_t len, int format, const smtpc_error *err);

/* Checks an error record after a failed call that returned `rc`: status matches, both texts
 * are terminated inside their buffers, the text is not empty, and smtpc_error_format agrees
 * with itself about the length. */
void fuzz_check_error(int rc, const smtpc_error *err);

/* Fills an error record with garbage so that fields a failing call forgot to set show up. */
void fuzz_poison_error(smtpc_error *err);

/* splitmix64: a tiny deterministic generator, seeded from the input so replays repeat. */
struct fuzz_rng {
    uint64_t state;
};

uint64_t fuzz_rng_next(struct fuzz_rng *r);
/* A number in [0, n) (0 when n is 0). */
size_t fuzz_rng_below(struct fuzz_rng *r, size_t n);
/* FNV-1a of a buffer, to seed a generator from the input itself. */
uint64_t fuzz_hash(const void *data, size_t len);

#endif
