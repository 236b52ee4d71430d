/*
 * lines.c - the text helpers the format readers share: lines, phrases, addresses and header
 * fields.
 */
#include "formats.h"

#include "../internal.h"

#include <string.h>

int smtpc_format_add(struct smtpc_format_findings *list, const struct smtpc_format_finding *f)
{
    if (list->n >= SMTPC_BOUNCE_MAX_RECIPIENTS)
        return SMTPC_ELIMIT;
    if (list->n == list->cap) {
        struct smtpc_format_finding *grown =
            smtpc_array_grow(list->items, &list->cap, sizeof *grown, 8);
        if (grown == NULL)
            return SMTPC_ENOMEM;
        list->items = grown;
    }
    list->items[list->n++] = *f;
    return 0;
}

int smtpc_format_next_line(const char *s, size_t len, size_t *at, const char **line,
                           size_t *line_len)
{
    if (*at >= len)
        return 0;
    const char *nl = memchr(s + *at, '\n', len - *at);
    size_t end = nl != NULL ? (size_t)(nl - s) : len;
    size_t stop = end > *at && s[end - 1] == '\r' ? end - 1 : end;
    *line = s + *at;
    *line_len = stop - *at;
    *at = end < len ? end + 1 : len;
    return 1;
}

int smtpc_format_starts(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (n > len)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (smtpc_to_lower(s[i]) != smtpc_to_lower(prefix[i]))
            return 0;
    }
    return 1;
}

int smtpc_format_has(const char *s, size_t len, const char *phrase)
{
    return smtpc_find_phrase(s, len, phrase, strlen(phrase)) < len;
}

size_t smtpc_format_after(const char *s, size_t len, const char *phrase)
{
    size_t n = strlen(phrase);
    size_t at = smtpc_find_phrase(s, len, phrase, n);
    return at < len ? at + n : len;
}

/* Whether `c` ends an address in running text. */
static int ends_address(char c)
{
    return smtpc_is_space(c) || strchr("<>()[],;:\"'", c) != NULL;
}

int smtpc_format_address(const char *s, size_t len, const char **addr, size_t *addr_len)
{
    for (size_t at = 0; at < len; at++) {
        size_t start = at;
        while (at < len && !ends_address(s[at]))
            at++;
        size_t end = at;
        while (end > start && s[end - 1] == '.')
            end--;
        const char *sign = end > start ? memchr(s + start, '@', end - start) : NULL;
        /* an "@" with text on both sides: "user@domain" */
        if (sign != NULL && sign > s + start && sign + 1 < s + end) {
            *addr = s + start;
            *addr_len = end - start;
            return 1;
        }
    }
    return 0;
}

int smtpc_format_field_has(const struct smtpc_format_message *m, const char *name,
                           const char *phrase)
{
    const char *value;
    size_t value_len;
    return smtpc_mime_find_field(&value, &value_len, m->header, m->header_len, name) &&
           smtpc_format_has(value, value_len, phrase);
}

int smtpc_format_has_field(const struct smtpc_format_message *m, const char *name)
{
    const char *value;
    size_t value_len;
    return smtpc_mime_find_field(&value, &value_len, m->header, m->header_len, name);
}

size_t smtpc_format_paragraph_end(const char *s, size_t len, size_t from)
{
    size_t at = from;
    const char *line;
    size_t line_len;
    for (size_t start = at; smtpc_format_next_line(s, len, &at, &line, &line_len); start = at) {
        size_t i = 0;
        while (i < line_len && smtpc_is_space(line[i]))
            i++;
        if (i == line_len)
            return start;
    }
    return len;
}
