/*
 * mime.c - the reader of Internet messages behind the bounce reader: header fields (RFC 5322
 * section 2.2), their parameters (RFC 2045 section 5.1), encoded words (RFC 2047), multipart
 * bodies (RFC 2046 section 5.1), encapsulated messages (RFC 2046 section 5.2.1) and the
 * transfer encodings (RFC 2045 section 6).
 *
 * Every pass reads its input once, front to back. A part nested in another is read again by
 * the walk of its own level, and nesting stops at SMTPC_BOUNCE_MAX_DEPTH, so a message costs at
 * most that many passes over its bytes. Malformed input is read as far as it makes sense: a
 * multipart without a boundary is one leaf, a part without its close-delimiter ends with its
 * enclosing part, bytes outside the base64 alphabet are skipped.
 */
#include "internal.h"

#include <stdint.h>
#include <string.h>

/* ---- words and lines ---- */

int smtpc_mime_is(const char *s, size_t len, const char *word)
{
    size_t i = 0;
    for (; i < len && word[i] != '\0'; i++) {
        if (smtpc_to_lower(s[i]) != smtpc_to_lower(word[i]))
            return 0;
    }
    return i == len && word[i] == '\0';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The offset of the `eol` that ends the line starting at `at`, or `len`. */
static size_t break_at(const char *s, size_t len, size_t at, char eol)
{
    const char *nl = at < len ? memchr(s + at, eol, len - at) : NULL;
    return nl != NULL ? (size_t)(nl - s) : len;
}

/* The offset of the "\n" that ends the line starting at `at`, or `len`. */
static size_t line_end(const char *s, size_t len, size_t at)
{
    return break_at(s, len, at, '\n');
}

static size_t after_line(size_t end, size_t len)
{
    return end < len ? end + 1 : len;
}

/* Whether the line s[at..end) is empty: nothing, or a lone CR before its LF. */
static int is_empty_line(const char *s, size_t at, size_t end)
{
    return end == at || (end == at + 1 && s[at] == '\r');
}

/* The length of `len` bytes without the line break that ends them, if any. */
static size_t without_line_break(const char *s, size_t len)
{
    if (len > 0 && s[len - 1] == '\n')
        len--;
    if (len > 0 && s[len - 1] == '\r')
        len--;
    return len;
}

/* ---- header fields (RFC 5322 section 2.2) ---- */

/* Where the header of `s` ends and its body starts: the header runs to the first empty line,
 * which belongs to neither (RFC 5322 section 2.1); without one, all of `s` is header. */
static void split_header(const char *s, size_t len, size_t *header_len, size_t *body_at)
{
    for (size_t at = 0; at < len;) {
        size_t end = line_end(s, len, at);
        if (is_empty_line(s, at, end)) {
            *header_len = at;
            *body_at = after_line(end, len);
            return;
        }
        at = after_line(end, len);
    }
    *header_len = len;
    *body_at = len;
}

/* The length of the field name at the start of `line`, and in `*colon` the offset of its ":":
 * printable ASCII but ":" (RFC 5322 section 2.2), with the white space the obsolete syntax
 * allows before the colon (RFC 5322 section 4.5). 0 for a line that is no field ("From " in an
 * mbox). */
static size_t field_name(const char *line, size_t len, size_t *colon)
{
    size_t n = 0;
    while (n < len && (unsigned char)line[n] > 0x20 && (unsigned char)line[n] < 0x7F &&
           line[n] != ':')
        n++;
    size_t at = n;
    while (at < len && is_blank(line[at]))
        at++;
    if (n == 0 || at >= len || line[at] != ':')
        return 0;
    *colon = at;
    return n;
}

int smtpc_mime_next_field(struct smtpc_mime_field *f, const char *s, size_t len, size_t *at)
{
    while (*at < len) {
        size_t start = *at;
        size_t end = line_end(s, len, start);
        if (is_empty_line(s, start, end)) {
            *at = after_line(end, len);
            return 0;
        }
        /* A field goes on over the lines that start with white space (folding, RFC 5322
         * section 2.2.3). */
        while (end + 1 < len && is_blank(s[end + 1]))
            end = line_end(s, len, end + 1);
        *at = after_line(end, len);
        size_t stop = end > start && s[end - 1] == '\r' ? end - 1 : end;
        size_t colon;
        size_t name_len = field_name(s + start, stop - start, &colon);
        if (name_len == 0)
            continue;
        f->name = s + start;
        f->name_len = name_len;
        f->value = s + start + colon + 1;
        f->value_len = stop - start - colon - 1;
        return 1;
    }
    return 0;
}

int smtpc_mime_find_field(const char **value, size_t *value_len, const char *header,
                          size_t header_len, const char *name)
{
    struct smtpc_mime_field f;
    size_t at = 0;
    while (smtpc_mime_next_field(&f, header, header_len, &at)) {
        if (smtpc_mime_is(f.name, f.name_len, name)) {
            *value = f.value;
            *value_len = f.value_len;
            return 1;
        }
    }
    return 0;
}

/* ---- characters: everything kept is valid UTF-8 ---- */

enum charset { CHARSET_UTF8, CHARSET_LATIN1, CHARSET_WINDOWS_1252 };

/* ISO-8859-1 and Windows-1252 are converted; UTF-8 and US-ASCII need no conversion, and any
 * other charset, which has no table here, is read as UTF-8 too: its bytes that are no UTF-8
 * become U+FFFD, so that what is kept is always text. */
static enum charset charset_named(const char *name, size_t len)
{
    static const struct {
        const char *name;
        enum charset charset;
    } known[] = {
        {"iso-8859-1", CHARSET_LATIN1},       {"iso_8859-1", CHARSET_LATIN1},
        {"iso8859-1", CHARSET_LATIN1},        {"latin1", CHARSET_LATIN1},
        {"windows-1252", CHARSET_WINDOWS_1252}, {"cp1252", CHARSET_WINDOWS_1252},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (smtpc_mime_is(name, len, known[i].name))
            return known[i].charset;
    }
    return CHARSET_UTF8; /* "utf-8", "us-ascii" and the charsets without a table */
}

/* Appends code point `cp` as UTF-8; U+FFFD for a surrogate, a value past U+10FFFF or a
 * control character (a kept value is one line of text). */
static void put_code_point(struct smtpc_buf *b, unsigned long cp)
{
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || cp < 0x20 || cp == 0x7F)
        cp = 0xFFFD;
    char u[4];
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    static const unsigned char lead[5] = {0, 0x00, 0xC0, 0xE0, 0xF0};
    for (size_t i = n; i-- > 1; cp >>= 6)
        u[i] = (char)(0x80 | (cp & 0x3F));
    u[0] = (char)(lead[n] | cp);
    smtpc_buf_append(b, u, n);
}

/* Windows-1252's 0x80-0x9F, where it differs from ISO-8859-1; 0 where it has no character. */
static unsigned windows_1252_high(unsigned char c)
{
    static const unsigned short table[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
    };
    return table[c - 0x80];
}

/* A control character in a kept value would break the documents it is rendered into: a tab
 * is a space, the others U+FFFD. */
static void put_ascii(struct smtpc_buf *b, unsigned char c)
{
    put_code_point(b, c == '\t' ? ' ' : c);
}

/* Appends `len` bytes of text in `charset` as UTF-8. */
static void put_text(struct smtpc_buf *b, enum charset charset, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t run = i; /* printable ASCII, the bulk of any header or report, as it is */
        while (run < len && u[run] >= 0x20 && u[run] < 0x7F)
            run++;
        if (run > i) {
            smtpc_buf_append(b, s + i, run - i);
            i = run;
        } else if (u[i] < 0x80) {
            put_ascii(b, u[i++]);
        } else if (charset == CHARSET_UTF8) {
            size_t n = smtpc_utf8_sequence(u + i, len - i);
            if (n == 0) {
                put_code_point(b, 0xFFFD);
                i++;
            } else {
                smtpc_buf_append(b, s + i, n);
                i += n;
            }
        } else {
            unsigned cp = charset == CHARSET_WINDOWS_1252 && u[i] < 0xA0
                              ? windows_1252_high(u[i])
                              : u[i];
            put_code_point(b, cp != 0 ? cp : 0xFFFD);
            i++;
        }
    }
}

/* ---- transfer encodings (RFC 2045 section 6) ---- */

static int base64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (smtpc_is_digit(c))
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes base64 (RFC 2045 section 6.8) into `out`, which has room for `len` bytes. Bytes
 * outside the alphabet (line breaks, junk) are ignored, as section 6.8 asks; "=" ends a group,
 * so that pieces encoded one after another decode one after another; a last group cut short
 * gives the whole bytes it holds. Returns the number of bytes written. */
static size_t base64_decode(unsigned char *out, const char *s, size_t len)
{
    size_t n = 0;
    uint32_t bits = 0;
    int count = 0;
    for (size_t i = 0; i <= len; i++) {
        int v = i < len ? base64_value(s[i]) : -1;
        if (v >= 0) {
            bits = bits << 6 | (uint32_t)v;
            if (++count == 4) {
                out[n++] = (unsigned char)(bits >> 16);
                out[n++] = (unsigned char)(bits >> 8);
                out[n++] = (unsigned char)bits;
                bits = 0;
                count = 0;
            }
        } else if (i == len || s[i] == '=') {
            if (count >= 2)
                out[n++] = (unsigned char)(bits >> (count == 2 ? 4 : 10));
            if (count == 3)
                out[n++] = (unsigned char)(bits >> 2);
            bits = 0;
            count = 0;
        }
    }
    return n;
}

static int hex_value(char c)
{
    if (smtpc_is_digit(c))
        return c - '0';
    c = smtpc_to_upper(c);
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* "=XX" at s[i] (upper or lower case hex): the byte, or -1. */
static int escaped_byte(const char *s, size_t len, size_t i)
{
    if (i + 2 >= len)
        return -1;
    int hi = hex_value(s[i + 1]);
    int lo = hex_value(s[i + 2]);
    return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
}

/* Decodes one line of quoted-printable without its line break; returns the bytes written and
 * sets `*soft` when it ends in a soft line break ("=" last, RFC 2045 section 6.7 rule 5). White
 * space at the end of the line was added in transport and goes (rule 3). */
static size_t qp_line(unsigned char *out, const char *s, size_t len, int *soft)
{
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    *soft = len > 0 && s[len - 1] == '=';
    if (*soft)
        len--;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int byte = s[i] == '=' ? escaped_byte(s, len, i) : -1;
        if (byte >= 0) {
            out[n++] = (unsigned char)byte;
            i += 2;
        } else {
            out[n++] = (unsigned char)s[i]; /* a lone "=" stays what it is */
        }
    }
    return n;
}

/* Decodes quoted-printable (RFC 2045 section 6.7) into `out` (room for `len` bytes); hard line
 * breaks are kept as they were written, LF or CRLF. Returns the number of bytes written. */
static size_t qp_decode(unsigned char *out, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t at = 0; at < len;) {
        size_t end = line_end(s, len, at);
        size_t text = end > at && s[end - 1] == '\r' ? end - 1 - at : end - at;
        int soft;
        n += qp_line(out + n, s + at, text, &soft);
        if (!soft && end < len) {
            memcpy(out + n, s + at + text, end + 1 - at - text);
            n += end + 1 - at - text;
        }
        at = after_line(end, len);
    }
    return n;
}

enum transfer_encoding { ENCODING_NONE, ENCODING_BASE64, ENCODING_QUOTED_PRINTABLE };

/* Undoes `encoding` on `len` bytes at `s`: the result lives in the reader's arena and counts
 * against SMTPC_BOUNCE_MAX_DECODED. Text that is not encoded is returned as it is. */
static int decode(struct smtpc_mime *m, int encoding, const char *s, size_t len,
                  const char **out, size_t *out_len, smtpc_error *err)
{
    if (encoding == ENCODING_NONE) {
        *out = s;
        *out_len = len;
        return 0;
    }
    unsigned char *buf = smtpc_arena_alloc(m->arena, len + 1);
    if (buf == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    size_t n = encoding == ENCODING_BASE64 ? base64_decode(buf, s, len) : qp_decode(buf, s, len);
    buf[n] = '\0';
    if (n > SMTPC_BOUNCE_MAX_DECODED - m->decoded)
        return smtpc_set_error(err, SMTPC_ELIMIT, "", 0, 0,
                               "the message decodes to more than %u bytes "
                               "(SMTPC_BOUNCE_MAX_DECODED)",
                               SMTPC_BOUNCE_MAX_DECODED);
    m->decoded += n;
    *out = (const char *)buf;
    *out_len = n;
    return 0;
}

int smtpc_mime_body(const char **body, size_t *len, struct smtpc_mime *m,
                    const struct smtpc_mime_part *part, smtpc_error *err)
{
    return decode(m, part->encoding, part->body, part->body_len, body, len, err);
}

/* ---- field values: unfolding, encoded words ---- */

/* Appends `value` unfolded (RFC 5322 section 2.2.3): a line break and the white space around
 * it become one space, and the white space at both ends goes. */
static void put_unfolded(struct smtpc_buf *b, const char *value, size_t len)
{
    size_t start = 0;
    while (start < len && smtpc_is_space(value[start]))
        start++;
    while (len > start && smtpc_is_space(value[len - 1]))
        len--;
    for (size_t i = start; i < len;) {
        size_t run = i;
        while (run < len && value[run] != '\r' && value[run] != '\n')
            run++;
        smtpc_buf_append(b, value + i, run - i);
        if ((i = run) == len)
            break;
        while (b->len > 0 && is_blank(b->data[b->len - 1]))
            b->len--;
        while (i < len && smtpc_is_space(value[i]))
            i++;
        smtpc_buf_putc(b, ' ');
    }
}

/* An encoded word "=?charset?B?text?=" (RFC 2047 section 2), its parts. */
struct encoded_word {
    const char *charset;
    size_t charset_len;
    char encoding; /* 'B' or 'Q' */
    const char *text;
    size_t text_len;
};

/* The length of the run at s[at] of bytes that an encoded word's charset or text may hold
 * (no "?", white space or control byte; RFC 2047 section 2). */
static size_t word_run(const char *s, size_t len, size_t at)
{
    size_t n = 0;
    while (at + n < len && s[at + n] != '?' && (unsigned char)s[at + n] > 0x20)
        n++;
    return n;
}

/* The length of the encoded word at the start of `s`, or 0 when there is none. A charset's
 * language ("utf-8*en", RFC 2231 section 5) is dropped. */
static size_t encoded_word(struct encoded_word *w, const char *s, size_t len)
{
    if (len < 8 || s[0] != '=' || s[1] != '?')
        return 0;
    size_t charset_len = word_run(s, len, 2);
    size_t at = 2 + charset_len;
    if (charset_len == 0 || at + 3 >= len || s[at] != '?' || s[at + 2] != '?')
        return 0;
    char encoding = smtpc_to_upper(s[at + 1]);
    size_t text_len = word_run(s, len, at + 3);
    size_t end = at + 3 + text_len;
    if ((encoding != 'B' && encoding != 'Q') || end + 1 >= len || s[end] != '?' ||
        s[end + 1] != '=')
        return 0;
    const char *star = memchr(s + 2, '*', charset_len);
    w->charset = s + 2;
    w->charset_len = star != NULL ? (size_t)(star - (s + 2)) : charset_len;
    w->encoding = encoding;
    w->text = s + at + 3;
    w->text_len = text_len;
    return end + 2;
}

/* Appends the bytes an encoded word's text stands for: base64, or Q (RFC 2047 section 4.2:
 * "_" is a space, "=XX" a byte). */
static void put_word_bytes(struct smtpc_buf *b, const struct encoded_word *w)
{
    size_t start = b->len;
    smtpc_buf_append(b, w->text, w->text_len); /* room: the bytes are never more than the text */
    if (b->failed)
        return;
    unsigned char *out = (unsigned char *)b->data + start;
    if (w->encoding == 'B') {
        b->len = start + base64_decode(out, w->text, w->text_len);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < w->text_len; i++) {
        int byte = w->text[i] == '=' ? escaped_byte(w->text, w->text_len, i) : -1;
        if (byte >= 0)
            i += 2;
        out[n++] = (unsigned char)(byte >= 0 ? byte : w->text[i] == '_' ? ' ' : w->text[i]);
    }
    b->len = start + n;
}

/* The text of a value between encoded words: up to the next encoded word, or the end. */
static size_t plain_run(const char *s, size_t len, size_t at)
{
    struct encoded_word w;
    for (size_t i = at + 1; i + 1 < len; i++) {
        if (s[i] == '=' && s[i + 1] == '?' && encoded_word(&w, s + i, len - i) > 0)
            return i - at;
    }
    return len - at;
}

/* Appends unfolded text with its encoded words decoded. The bytes of adjacent words in one
 * charset are joined before conversion, as a character may be split between two words, and
 * the white space between two words goes (RFC 2047 section 6.2). */
static void put_decoded_words(struct smtpc_buf *b, const char *s, size_t len)
{
    struct smtpc_buf bytes; /* the bytes of the words read, not yet converted */
    smtpc_buf_init(&bytes);
    struct encoded_word w = {NULL, 0, 0, NULL, 0};
    enum charset charset = CHARSET_UTF8;
    for (size_t at = 0; at < len;) {
        size_t n = encoded_word(&w, s + at, len - at);
        if (n > 0) {
            enum charset next = charset_named(w.charset, w.charset_len);
            if (bytes.len > 0 && next != charset) {
                put_text(b, charset, bytes.data, bytes.len);
                bytes.len = 0;
            }
            charset = next;
            put_word_bytes(&bytes, &w);
            at += n;
            size_t gap = at;
            while (gap < len && is_blank(s[gap]))
                gap++;
            if (gap > at && encoded_word(&w, s + gap, len - gap) > 0)
                at = gap;
            continue;
        }
        put_text(b, charset, bytes.data, bytes.len);
        bytes.len = 0;
        n = plain_run(s, len, at);
        put_text(b, CHARSET_UTF8, s + at, n);
        at += n;
    }
    put_text(b, charset, bytes.data, bytes.len);
    b->failed |= bytes.failed;
    smtpc_buf_free(&bytes);
}

void smtpc_mime_put_value(struct smtpc_buf *b, const char *value, size_t len, int words)
{
    if (memchr(value, '\n', len) == NULL && memchr(value, '\r', len) == NULL) {
        /* one line, as most values are: only the white space at its ends goes */
        while (len > 0 && smtpc_is_space(value[0])) {
            value++;
            len--;
        }
        while (len > 0 && smtpc_is_space(value[len - 1]))
            len--;
        if (words)
            put_decoded_words(b, value, len);
        else
            put_text(b, CHARSET_UTF8, value, len);
        return;
    }
    struct smtpc_buf unfolded;
    smtpc_buf_init(&unfolded);
    put_unfolded(&unfolded, value, len);
    if (words)
        put_decoded_words(b, unfolded.data, unfolded.len);
    else
        put_text(b, CHARSET_UTF8, unfolded.data, unfolded.len);
    b->failed |= unfolded.failed;
    smtpc_buf_free(&unfolded);
}

/* ---- structured values: Content-Type and its parameters (RFC 2045 section 5.1) ---- */

/* Skips white space and comments "(...)", which may nest (RFC 5322 section 3.2.2). */
static size_t skip_cfws(const char *s, size_t len, size_t at)
{
    size_t depth = 0;
    for (; at < len; at++) {
        if (s[at] == '(')
            depth++;
        else if (s[at] == ')' && depth > 0)
            depth--;
        else if (s[at] == '\\' && depth > 0 && at + 1 < len)
            at++;
        else if (depth == 0 && !smtpc_is_space(s[at]))
            break;
    }
    return at;
}

/* Whether `c` is a tspecial of RFC 2045 section 5.1, which ends a token. */
static int is_tspecial(char c)
{
    switch (c) {
    case '(': case ')': case '<': case '>': case '@': case ',': case ';': case ':': case '\\':
    case '"': case '/': case '[': case ']': case '?': case '=':
        return 1;
    default:
        return 0;
    }
}

/* The length of the token at s[at]: anything but white space, controls and tspecials. */
static size_t token_length(const char *s, size_t len, size_t at)
{
    size_t n = 0;
    while (at + n < len && (unsigned char)s[at + n] > 0x20 && !is_tspecial(s[at + n]))
        n++;
    return n;
}

size_t smtpc_mime_token(const char **token, const char *value, size_t len)
{
    size_t at = skip_cfws(value, len, 0);
    size_t n = token_length(value, len, at);
    /* a media type is two tokens joined by "/" */
    if (at + n < len && value[at + n] == '/')
        n += 1 + token_length(value, len, at + n + 1);
    *token = value + at;
    return n;
}

/* Reads a quoted string at s[*at] (just after its opening quote) into `out`, undoing
 * quoted-pairs (RFC 5322 section 3.2.4); an unclosed string runs to the end. */
static void read_quoted(struct smtpc_buf *out, const char *s, size_t len, size_t *at)
{
    for (; *at < len && s[*at] != '"'; (*at)++) {
        if (s[*at] == '\\' && *at + 1 < len)
            (*at)++;
        if (s[*at] != '\r' && s[*at] != '\n')
            smtpc_buf_putc(out, s[*at]);
    }
    if (*at < len)
        (*at)++;
}

/* The offset of the next ";" at or after s[at] that is outside a quoted string, or `len`. */
static size_t next_semicolon(const char *s, size_t len, size_t at)
{
    int quoted = 0;
    for (; at < len && (quoted || s[at] != ';'); at++) {
        if (s[at] == '"')
            quoted = !quoted;
        else if (s[at] == '\\' && quoted && at + 1 < len)
            at++;
    }
    return at;
}

int smtpc_mime_param(struct smtpc_buf *out, const char *value, size_t len, const char *name)
{
    /* type "/" subtype *(";" attribute "=" value), value a token or a quoted string */
    for (size_t at = next_semicolon(value, len, 0); at < len;
         at = next_semicolon(value, len, at)) {
        at = skip_cfws(value, len, at + 1);
        size_t name_at = at;
        size_t name_len = token_length(value, len, at);
        at = skip_cfws(value, len, at + name_len);
        if (at >= len || value[at] != '=')
            continue;
        at = skip_cfws(value, len, at + 1);
        size_t start = out->len;
        if (at < len && value[at] == '"') {
            at++;
            read_quoted(out, value, len, &at);
        } else {
            size_t n = token_length(value, len, at);
            smtpc_buf_append(out, value + at, n);
            at += n;
        }
        if (smtpc_mime_is(value + name_at, name_len, name))
            return 1;
        out->len = start;
    }
    return 0;
}

/* ---- the walk over a message's parts ---- */

struct walk {
    struct smtpc_mime *m;
    smtpc_mime_visit visit;
    void *ctx;
    unsigned long next_index;
    smtpc_error *err;
};

static int walk_part(struct walk *w, const char *s, size_t len, struct smtpc_mime_part *parent);

/* The media type of a part whose header names none: text/plain (RFC 2045 section 5.2), or
 * message/rfc822 inside a multipart/digest (RFC 2046 section 5.1.5). */
static void default_type(struct smtpc_mime_part *p, const struct smtpc_mime_part *parent)
{
    int digest = parent != NULL && smtpc_mime_is(parent->type, parent->type_len,
                                                 "multipart/digest");
    p->type = digest ? "message/rfc822" : "text/plain";
    p->type_len = strlen(p->type);
}

/* Reads a part's header: its media type, its transfer encoding, where its body is. */
static void read_part_header(struct smtpc_mime_part *p, const struct smtpc_mime_part *parent,
                             const char *s, size_t len)
{
    size_t header_len, body_at;
    split_header(s, len, &header_len, &body_at);
    p->header = s;
    p->header_len = header_len;
    p->body = s + body_at;
    p->body_len = len - body_at;
    p->content_type = "";
    p->content_type_len = 0;
    default_type(p, parent);
    const char *value, *token;
    size_t value_len;
    if (smtpc_mime_find_field(&value, &value_len, s, header_len, "Content-Type")) {
        size_t n = smtpc_mime_token(&token, value, value_len);
        p->content_type = value;
        p->content_type_len = value_len;
        if (memchr(token, '/', n) != NULL) {
            p->type = token;
            p->type_len = n;
        }
    }
    p->encoding = ENCODING_NONE;
    if (smtpc_mime_find_field(&value, &value_len, s, header_len, "Content-Transfer-Encoding")) {
        size_t n = smtpc_mime_token(&token, value, value_len);
        if (smtpc_mime_is(token, n, "base64"))
            p->encoding = ENCODING_BASE64;
        else if (smtpc_mime_is(token, n, "quoted-printable"))
            p->encoding = ENCODING_QUOTED_PRINTABLE;
    }
}

static int starts_with(const char *s, size_t len, const char *prefix, size_t n)
{
    return len >= n && memcmp(s, prefix, n) == 0;
}

/* Whether the line s[0..len) (without its LF) is a delimiter of `boundary`, "--boundary",
 * and `*close` whether it is the close-delimiter "--boundary--"; transport padding (white
 * space) may follow either (RFC 2046 section 5.1.1). */
static int is_delimiter(const char *s, size_t len, const char *boundary, size_t n, int *close)
{
    if (!starts_with(s, len, "--", 2) || !starts_with(s + 2, len - 2, boundary, n))
        return 0;
    size_t at = 2 + n;
    *close = starts_with(s + at, len - at, "--", 2);
    at += *close ? 2 : 0;
    while (at < len && (is_blank(s[at]) || s[at] == '\r'))
        at++;
    return at == len;
}

/* Walks the body parts of a multipart (RFC 2046 section 5.1.1): what lies between its
 * delimiter lines, without the line break before each delimiter, which belongs to it. The
 * preamble and the epilogue are no parts; a missing close-delimiter ends the last part with
 * the body. */
static int walk_multipart(struct walk *w, struct smtpc_mime_part *p, const char *boundary,
                          size_t n)
{
    const char *s = p->body;
    size_t len = p->body_len;
    int in_part = 0;
    size_t part_at = 0;
    for (size_t at = 0; at < len;) {
        size_t end = line_end(s, len, at);
        int close;
        if (is_delimiter(s + at, end - at, boundary, n, &close)) {
            if (in_part) {
                int rc = walk_part(w, s + part_at, without_line_break(s + part_at, at - part_at),
                                   p);
                if (rc != 0)
                    return rc;
            }
            if (close)
                return 0;
            in_part = 1;
            part_at = after_line(end, len);
        }
        at = after_line(end, len);
    }
    return in_part ? walk_part(w, s + part_at, len - part_at, p) : 0;
}

/* Whether a part of this type holds a whole message (RFC 2046 section 5.2.1; RFC 6532
 * section 3.7 for message/global). */
static int holds_message(const struct smtpc_mime_part *p)
{
    return smtpc_mime_is(p->type, p->type_len, "message/rfc822") ||
           smtpc_mime_is(p->type, p->type_len, "message/global");
}

static int is_multipart(const struct smtpc_mime_part *p)
{
    return p->type_len > 10 && smtpc_mime_is(p->type, 10, "multipart/");
}

/* The children of a container: the body parts of a multipart, the message of a
 * message/rfc822. A multipart without a boundary has none that can be found. */
static int walk_children(struct walk *w, struct smtpc_mime_part *p)
{
    if (holds_message(p))
        return walk_part(w, p->body, p->body_len, p);
    struct smtpc_buf boundary;
    smtpc_buf_init(&boundary);
    int rc = 0;
    if (smtpc_mime_param(&boundary, p->content_type, p->content_type_len, "boundary") &&
        boundary.len > 0)
        rc = walk_multipart(w, p, boundary.data, boundary.len);
    if (boundary.failed)
        rc = smtpc_set_error(w->err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    smtpc_buf_free(&boundary);
    return rc;
}

/* Reads the part in s[0..len), hands it to the visitor, then its children. A container in a
 * transfer encoding (which RFC 2045 section 6.4 forbids, but which is met) is decoded first. */
static int walk_part(struct walk *w, const char *s, size_t len, struct smtpc_mime_part *parent)
{
    int depth = parent != NULL ? parent->depth + 1 : 0;
    if (depth > SMTPC_BOUNCE_MAX_DEPTH)
        return smtpc_set_error(w->err, SMTPC_ELIMIT, "", 0, 0,
                               "MIME parts nested more than %d deep (SMTPC_BOUNCE_MAX_DEPTH)",
                               SMTPC_BOUNCE_MAX_DEPTH);
    struct smtpc_mime_part p;
    read_part_header(&p, parent, s, len);
    p.index = w->next_index++;
    p.parent = parent != NULL ? parent->index : SMTPC_MIME_NO_PARENT;
    p.depth = depth;
    p.starts_message = parent == NULL || holds_message(parent);
    p.message_header = p.starts_message ? p.header : parent->message_header;
    p.message_header_len = p.starts_message ? p.header_len : parent->message_header_len;
    int container = holds_message(&p) || is_multipart(&p);
    int rc = 0;
    if (container && p.encoding != ENCODING_NONE) {
        rc = decode(w->m, p.encoding, p.body, p.body_len, &p.body, &p.body_len, w->err);
        p.encoding = ENCODING_NONE;
    }
    if (rc == 0)
        rc = w->visit(w->ctx, w->m, &p);
    if (rc == 0 && container)
        rc = walk_children(w, &p);
    return rc;
}

int smtpc_mime_init(struct smtpc_mime *m)
{
    m->decoded = 0;
    m->arena = smtpc_arena_new_sized(16 * 1024);
    return m->arena != NULL ? 0 : SMTPC_ENOMEM;
}

void smtpc_mime_free(struct smtpc_mime *m)
{
    smtpc_arena_free(m->arena);
    m->arena = NULL;
}

int smtpc_mime_walk(struct smtpc_mime *m, const char *msg, size_t len, smtpc_mime_visit visit,
                    void *ctx, smtpc_error *err)
{
    struct walk w = {m, visit, ctx, 0, err};
    return walk_part(&w, msg, len, NULL);
}

/* ---- text with characters written as their code points (RFC 6533 section 3) ---- */

/* The code point of "\x{HEXPOINT}" at s[0..len) (1 to 6 hex digits) and its length, or 0. */
static size_t embedded_unicode(unsigned long *cp, const char *s, size_t len)
{
    if (len < 5 || s[0] != '\\' || s[1] != 'x' || s[2] != '{')
        return 0;
    size_t at = 3;
    *cp = 0;
    for (int v; at < len && at < 9 && (v = hex_value(s[at])) >= 0; at++)
        *cp = *cp << 4 | (unsigned long)v;
    return at > 3 && at < len && s[at] == '}' ? at + 1 : 0;
}

void smtpc_mime_put_embedded_unicode(struct smtpc_buf *b, const char *s, size_t len)
{
    for (size_t at = 0; at < len;) {
        unsigned long cp;
        size_t n = embedded_unicode(&cp, s + at, len - at);
        if (n > 0)
            put_code_point(b, cp);
        else
            smtpc_buf_putc(b, s[at]);
        at += n > 0 ? n : 1;
    }
}

/* ---- mailboxes (RFC 4155) ---- */

static int is_from_line(const char *s, size_t len)
{
    return starts_with(s, len, "From ", 5);
}

/* Whether the line at `at` ends in a CR alone, as a mailbox of the classic Mac OS has them. */
static int ends_in_lone_cr(const char *s, size_t len, size_t at)
{
    while (at < len && s[at] != '\r' && s[at] != '\n')
        at++;
    return at < len && s[at] == '\r' && (at + 1 == len || s[at + 1] != '\n');
}

int smtpc_mbox_next(const char *data, size_t len, size_t *offset, size_t *start,
                    size_t *msg_len)
{
    if (data == NULL || offset == NULL || start == NULL || msg_len == NULL || *offset >= len)
        return 0;
    size_t at = *offset;
    if (!is_from_line(data + at, len - at)) {
        /* no "From " line first: the whole text is one message */
        *start = at;
        *msg_len = len - at;
        *offset = len;
        return 1;
    }
    /* RFC 4155 section 2: a message runs from the line after its "From " line to the empty
     * line before the next "From " line, or to the end, where an empty line ends it too. The
     * "From " line tells how the lines end: LF (CRLF's CR is read as the line's), or CR. */
    char eol = ends_in_lone_cr(data, len, at) ? '\r' : '\n';
    size_t body = after_line(break_at(data, len, at, eol), len);
    size_t empty = len; /* where the line just read starts when it is empty, else len */
    size_t line = body;
    while (line < len) {
        if (empty != len && is_from_line(data + line, len - line))
            break;
        size_t end = break_at(data, len, line, eol);
        empty = is_empty_line(data, line, end) && end < len ? line : len;
        line = after_line(end, len);
    }
    *start = body;
    *msg_len = (empty != len ? empty : line) - body;
    *offset = line;
    return 1;
}
