/*
 * text.c - UTF-8 checks and the sentence-to-clause rule of the comparison page.
 */
#include "internal.h"

#include <string.h>

size_t smtpc_utf8_sequence(const unsigned char *s, size_t len)
{
    if (len == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}


/* An ordinary word may lose its capital inside a sentence: "The" or "A", but not "SMTP",
 * "TLS", "IPv6" or "I". */
static int is_ordinary_capitalised_word(const char *s, size_t len)
{
    if (len == 0 || !smtpc_is_upper(s[0]))
        return 0;
    if (len == 1)
        return s[0] == 'A';
    for (size_t i = 1; i < len; i++) {
        if (!smtpc_is_lower(s[i]))
            return 0;
    }
    return 1;
}

void smtpc_buf_put_clause(struct smtpc_buf *b, const char *sentence)
{
    size_t word = strcspn(sentence, " ,;:.'");
    if (is_ordinary_capitalised_word(sentence, word)) {
        smtpc_buf_putc(b, smtpc_to_lower(sentence[0]));
        smtpc_buf_puts(b, sentence + 1);
    } else {
        smtpc_buf_puts(b, sentence);
    }
}
