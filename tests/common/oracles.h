/*
 * oracles.h - independent checkers of what the core produces, shared by the C suites
 * (tests/c) and the fuzz harnesses (tests/fuzz).
 */
#ifndef SMTPC_TEST_ORACLES_H
#define SMTPC_TEST_ORACLES_H

#include <stddef.h>

/* Whether `s` (`len` bytes) is valid UTF-8 (RFC 3629: no overlong forms, no surrogates). */
int utf8_is_valid(const char *s, size_t len);

/* Whether `s` is exactly one JSON value (RFC 8259) with optional white space around it:
 * strings valid UTF-8 with valid escapes (paired surrogates), numbers in the RFC's grammar,
 * nesting at most 128 deep. */
int json_is_valid(const char *s, size_t len);

#endif
