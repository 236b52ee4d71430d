/*
 * error.c - status names, error records and the version.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define SMTPC_STRINGIFY_(x) #x
#define SMTPC_STRINGIFY(x) SMTPC_STRINGIFY_(x)

const char *smtpc_version(void)
{
    return SMTPC_STRINGIFY(SMTPC_VERSION_MAJOR) "." SMTPC_STRINGIFY(
        SMTPC_VERSION_MINOR) "." SMTPC_STRINGIFY(SMTPC_VERSION_PATCH);
}

int smtpc_version_number(void)
{
    return SMTPC_VERSION_NUMBER;
}

const char *smtpc_strerror(int status)
{
    switch (status) {
    case SMTPC_OK: return "success";
    case SMTPC_ESYNTAX: return "not an SMTP code";
    case SMTPC_ENOTFOUND: return "unknown code";
    case SMTPC_ELANG: return "unknown language";
    case SMTPC_EFORMAT: return "unknown output format";
    case SMTPC_EDATA: return "invalid data file";
    case SMTPC_EIO: return "cannot read data file";
    case SMTPC_ENOMEM: return "out of memory";
    case SMTPC_EINVAL: return "invalid argument";
    case SMTPC_ERANGE: return "index out of range";
    case SMTPC_EREPLY: return "malformed reply";
    case SMTPC_EINCOMPLETE: return "incomplete reply";
    case SMTPC_ECOMMAND: return "unknown command";
    case SMTPC_ELIMIT: return "past a limit";
    case SMTPC_EINPUT: return "unreadable input";
    default: return "unknown status";
    }
}

static void make_printable(char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = smtpc_utf8_sequence((const unsigned char *)s + i, len - i);
        if (n == 0 || c < 0x20 || c == 0x7F) {
            s[i] = '?';
            n = 1;
        }
        i += n;
    }
}

int smtpc_set_error(smtpc_error *err, int status, const char *source, unsigned long line,
                    unsigned long column, const char *fmt, ...)
{
    if (err == NULL)
        return status;
    err->status = status;
    err->line = line;
    err->column = column;
    snprintf(err->source, sizeof err->source, "%s", source != NULL ? source : "");
    /* Every caller passes a literal format; the check keeps GCC's sanitizer builds, which
     * cannot see that, from warning about a null format. */
    if (fmt == NULL)
        fmt = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
    make_printable(err->text);
    return status;
}

size_t smtpc_error_format(char *buf, size_t size, const smtpc_error *err)
{
    if (err == NULL) {
        if (size > 0)
            buf[0] = '\0';
        return 0;
    }
    char where[SMTPC_ERROR_SOURCE_SIZE + 48] = "";
    if (err->source[0] != '\0' && err->line > 0 && err->column > 0)
        snprintf(where, sizeof where, "%s:%lu:%lu: ", err->source, err->line, err->column);
    else if (err->source[0] != '\0' && err->line > 0)
        snprintf(where, sizeof where, "%s:%lu: ", err->source, err->line);
    else if (err->source[0] != '\0')
        snprintf(where, sizeof where, "%s: ", err->source);
    else if (err->line > 0 && err->column > 0)
        snprintf(where, sizeof where, "line %lu, column %lu: ", err->line, err->column);
    else if (err->line > 0)
        snprintf(where, sizeof where, "line %lu: ", err->line);
    else if (err->column > 0)
        snprintf(where, sizeof where, "column %lu: ", err->column);
    int n = snprintf(buf, size, "%s%s", where, err->text);
    return n < 0 ? 0 : (size_t)n;
}
