/*
 * code.c - reply codes and enhanced status codes as syntax.
 *
 * RFC 5321 section 4.2:  Reply-code = %x32-35 %x30-35 %x30-39
 * RFC 3463 section 2:    status-code = class "." subject "." detail
 *                        class = "2" / "4" / "5"; subject, detail = 1*3digit
 * The registry writes the class as "X" when a code serves several classes.
 */
#include "internal.h"

#include <stdio.h>


/* Describes byte `c` for an error message: 'x', or \xNN when it is not printable ASCII. */
static const char *describe_byte(char buf[8], unsigned char c)
{
    if (c >= 0x21 && c < 0x7F)
        snprintf(buf, 8, "'%c'", c);
    else
        snprintf(buf, 8, "\\x%02X", c);
    return buf;
}

static int syntax_error(smtpc_error *err, const char *s, size_t at, size_t len, const char *what)
{
    char shown[8];
    if (at >= len)
        return smtpc_set_error(err, SMTPC_ESYNTAX, "", 0, at + 1, "%s, found the end", what);
    return smtpc_set_error(err, SMTPC_ESYNTAX, "", 0, at + 1, "%s, found %s", what,
                           describe_byte(shown, (unsigned char)s[at]));
}

/* Reads 1-3 digits without a leading zero at s[*at]; RFC 3463 section 2 (no leading zeros is
 * the registry's practice: "X.1.10", never "X.1.010"). */
static int parse_number(int *out, const char *s, size_t *at, size_t end, smtpc_error *err)
{
    size_t start = *at;
    int value = 0;
    while (*at < end && smtpc_is_digit(s[*at]) && *at - start < 3) {
        value = value * 10 + (s[*at] - '0');
        (*at)++;
    }
    if (*at == start)
        return syntax_error(err, s, *at, end, "expected a number of 1 to 3 digits");
    if (s[start] == '0' && *at - start > 1)
        return syntax_error(err, s, start, end, "expected a number without a leading zero");
    *out = value;
    return 0;
}

static int expect_dot(const char *s, size_t *at, size_t end, smtpc_error *err)
{
    if (*at >= end || s[*at] != '.')
        return syntax_error(err, s, *at, end, "expected '.'");
    (*at)++;
    return 0;
}

static int parse_enhanced(smtpc_code *out, const char *s, size_t at, size_t end,
                          smtpc_error *err)
{
    char c = s[at];
    if (c == 'X' || c == 'x')
        out->klass = 0;
    else if (c == '2' || c == '4' || c == '5')
        out->klass = c - '0';
    else
        return syntax_error(err, s, at, end, "expected an enhanced class 2, 4, 5 or X");
    at++;
    int rc;
    if ((rc = expect_dot(s, &at, end, err)) != 0 ||
        (rc = parse_number(&out->category, s, &at, end, err)) != 0 ||
        (rc = expect_dot(s, &at, end, err)) != 0 ||
        (rc = parse_number(&out->detail, s, &at, end, err)) != 0)
        return rc;
    if (at != end)
        return syntax_error(err, s, at, end, "expected the end of the code");
    out->kind = SMTPC_KIND_ENHANCED;
    out->conforming = 1;
    return 0;
}

static int parse_basic(smtpc_code *out, const char *s, size_t at, size_t end, smtpc_error *err)
{
    if (s[at] < '2' || s[at] > '5')
        return syntax_error(err, s, at, end, "expected a first digit from 2 to 5");
    for (size_t i = 1; i < 3; i++) {
        if (at + i >= end || !smtpc_is_digit(s[at + i]))
            return syntax_error(err, s, at + i, end, "expected a digit");
    }
    if (at + 3 != end)
        return syntax_error(err, s, at + 3, end, "expected the end of the three-digit code");
    out->kind = SMTPC_KIND_BASIC;
    out->klass = s[at] - '0';
    out->category = s[at + 1] - '0';
    out->detail = s[at + 2] - '0';
    out->conforming = out->category <= 5;
    return 0;
}

int smtpc_code_parse(smtpc_code *out, const char *s, size_t len, smtpc_error *err)
{
    if (out == NULL || (s == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    size_t start = 0;
    size_t end = len;
    while (start < end && smtpc_is_space(s[start]))
        start++;
    while (end > start && smtpc_is_space(s[end - 1]))
        end--;
    if (start == end)
        return smtpc_set_error(err, SMTPC_ESYNTAX, "", 0, 0, "empty code");
    smtpc_code code = {0, 0, 0, 0, 0};
    int rc;
    if (end - start > 1 && s[start + 1] == '.')
        rc = parse_enhanced(&code, s, start, end, err);
    else if (s[start] == 'X' || s[start] == 'x')
        rc = syntax_error(err, s, start + 1, end, "expected '.'");
    else
        rc = parse_basic(&code, s, start, end, err);
    if (rc == 0)
        *out = code;
    return rc;
}

/* Writes `v` (0 to 999) in decimal at `at`; returns the end. */
static char *put_number(char *at, int v)
{
    if (v >= 100)
        *at++ = (char)('0' + v / 100);
    if (v >= 10)
        *at++ = (char)('0' + v / 10 % 10);
    *at++ = (char)('0' + v % 10);
    return at;
}

/* By hand rather than with snprintf(): comparisons and scans format codes on every call. */
int smtpc_code_format(char *buf, const smtpc_code *code)
{
    if (buf == NULL || code == NULL)
        return SMTPC_EINVAL;
    char *at = buf;
    if (code->kind == SMTPC_KIND_BASIC) {
        if (code->klass < 2 || code->klass > 5 || code->category < 0 || code->category > 9 ||
            code->detail < 0 || code->detail > 9)
            return SMTPC_EINVAL;
        *at++ = (char)('0' + code->klass);
        *at++ = (char)('0' + code->category);
        *at++ = (char)('0' + code->detail);
    } else {
        if (code->kind != SMTPC_KIND_ENHANCED ||
            (code->klass != 0 && code->klass != 2 && code->klass != 4 && code->klass != 5) ||
            code->category < 0 || code->category > 999 || code->detail < 0 || code->detail > 999)
            return SMTPC_EINVAL;
        *at++ = code->klass == 0 ? 'X' : (char)('0' + code->klass);
        *at++ = '.';
        at = put_number(at, code->category);
        *at++ = '.';
        at = put_number(at, code->detail);
    }
    *at = '\0';
    return 0;
}

