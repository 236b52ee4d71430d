/*
 * text.c - UTF-8 checks, the search for a phrase in a text, and the sentence-to-clause rule of
 * the comparison page.
 */
#include "internal.h"

#include <string.h>

/* How common byte `c` is in the English of replies and reports, low for a rare one: letters by
 * their frequency, the space most common, digits fairly common, the rest (punctuation, bytes
 * of other scripts) rare. */
static int commonness(unsigned char c)
{
    static const unsigned char rank[128] = {
        ['z'] = 2, ['Z'] = 2,
        ['q'] = 3, ['Q'] = 3,
        ['x'] = 4, ['X'] = 4,
        ['j'] = 5, ['J'] = 5,
        ['k'] = 6, ['K'] = 6,
        ['v'] = 7, ['V'] = 7,
        ['b'] = 8, ['B'] = 8,
        ['p'] = 9, ['P'] = 9,
        ['y'] = 10, ['Y'] = 10,
        ['g'] = 11, ['G'] = 11,
        ['f'] = 12, ['F'] = 12,
        ['w'] = 13, ['W'] = 13,
        ['m'] = 14, ['M'] = 14,
        ['u'] = 15, ['U'] = 15,
        ['c'] = 16, ['C'] = 16,
        ['l'] = 17, ['L'] = 17,
        ['d'] = 18, ['D'] = 18,
        ['r'] = 19, ['R'] = 19,
        ['h'] = 20, ['H'] = 20,
        ['s'] = 21, ['S'] = 21,
        ['n'] = 22, ['N'] = 22,
        ['i'] = 23, ['I'] = 23,
        ['o'] = 24, ['O'] = 24,
        ['a'] = 25, ['A'] = 25,
        ['t'] = 26, ['T'] = 26,
        ['e'] = 27, ['E'] = 27,
        [' '] = 28, ['0'] = 12, ['1'] = 12, ['2'] = 12, ['3'] = 12, ['4'] = 12, ['5'] = 12,
        ['6'] = 12, ['7'] = 12, ['8'] = 12, ['9'] = 12,
    };
    return c < 128 ? rank[c] : 0;
}

size_t smtpc_find_phrase(const char *s, size_t len, const char *phrase, size_t n)
{
    if (n > len)
        return len;
    if (n == 0)
        return 0;
    /* memchr() looks for the phrase's rarest byte, so that each hit is likely the phrase:
     * looking for its first byte, often a common letter, would stop at every word. */
    size_t anchor = 0;
    for (size_t i = 1; i < n; i++) {
        if (commonness((unsigned char)phrase[i]) < commonness((unsigned char)phrase[anchor]))
            anchor = i;
    }
    const char *p = s + anchor;
    const char *last = s + (len - n) + anchor;
    while (p <= last && (p = memchr(p, phrase[anchor], (size_t)(last - p) + 1)) != NULL) {
        if (memcmp(p - anchor, phrase, n) == 0)
            return (size_t)(p - anchor - s);
        p++;
    }
    return len;
}

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

int smtpc_is_clause_start(const char *sentence)
{
    return is_ordinary_capitalised_word(sentence, strcspn(sentence, " ,;:.'"));
}

int smtpc_is_url(const char *s, size_t len)
{
    if (len <= 8 || len > 200 || memcmp(s, "https://", 8) != 0)
        return 0;
    for (size_t i = 8; i < len; i++) {
        if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7F)
            return 0;
    }
    return 1;
}
