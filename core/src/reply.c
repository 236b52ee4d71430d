/*
 * reply.c - parsing the replies that SMTP servers send (RFC 5321 section 4.2, RFC 2034), alone
 * or inside log and bounce lines.
 *
 *   Reply-line = *( Reply-code "-" [ textstring ] CRLF )
 *                   Reply-code [ SP textstring ] CRLF           (RFC 5321 section 4.2)
 *
 * Servers bend this: bare LF, a bare code without the space, over-long lines, bytes that are
 * not ASCII. The parser accepts what it can read without guessing, reports what it tolerated
 * as warnings, and refuses the rest with the line and column of the problem.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>

/* One bit per byte of `v` that is an LF, a NUL or over 0x7F (its own top bit): what ends the
 * usual line, or sends it to the general reader. */
static inline unsigned lf_nul_or_high(__m128i v, __m128i lf, __m128i zero)
{
    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, zero)), v));
}
#endif

struct reply_line {
    const char *text; /* NUL-terminated, in the same allocation as the reply */
    size_t len;
};

struct smtpc_reply {
    const smtpc_db *db;
    int code;
    char enhanced[SMTPC_CODE_TEXT_SIZE];
    char command[16];
    int warnings;
    size_t n_lines;
    struct reply_line *lines; /* after the struct, then the lines' texts, then `text` */
    const char *text;         /* the lines joined with "\n" (one line: that line) */
    size_t text_len;
};

/* The lines' texts while a reply is read: spans of the input, copied once at the end into the
 * reply's single allocation. Most replies fit in `local`. */
struct spans {
    struct reply_line *items;
    size_t n;
    size_t cap;
    size_t bytes;         /* the texts' lengths, plus one for each line's terminator */
    const char *enhanced; /* the reply's enhanced code, the first line's that has one */
    size_t enhanced_len;  /* 0 until a line has one */
    struct reply_line local[16];
};

static void init_spans(struct spans *spans)
{
    spans->items = spans->local;
    spans->n = 0;
    spans->cap = sizeof spans->local / sizeof spans->local[0];
    spans->bytes = 0;
    spans->enhanced = NULL;
    spans->enhanced_len = 0;
}

/* ---- the enhanced code at the start of a line's text (RFC 2034 section 4) ---- */

/* The number of digits at s[i], up to `len`, counting no further than 3: a part of an enhanced
 * code has one to three (a fourth digit fails the test of what follows the part). */
static inline size_t part_digits(const char *s, size_t len, size_t i)
{
    size_t n = 0;
    while (n < 3 && i + n < len && smtpc_is_digit(s[i + n]))
        n++;
    return n;
}

/* Length of "5.1.1" at `s` when it is an enhanced code followed by a space or the end, else 0.
 * RFC 3463 section 2: class "." subject "." detail, subject and detail of 1-3 digits. Inline:
 * the parser asks once per line, and most lines are refused by their first two bytes. */
static inline size_t enhanced_prefix(const char *s, size_t len)
{
    if (len < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
        return 0;
    size_t subject = part_digits(s, len, 2);
    size_t i = 2 + subject; /* the "." before the detail */
    if (subject == 0 || i >= len || s[i] != '.')
        return 0;
    size_t detail = part_digits(s, len, i + 1);
    i += 1 + detail;
    if (detail == 0 || (i < len && s[i] != ' '))
        return 0;
    return i;
}

size_t smtpc_enhanced_prefix(const char *s, size_t len)
{
    return enhanced_prefix(s, len);
}

/* ---- parser ---- */

struct line_parse {
    const char *s;   /* the reply text */
    size_t len;
    int flags;
    unsigned long line_no;
    smtpc_error *err;
};

static int reply_error(const struct line_parse *lp, size_t column, const char *what,
                       const char *detail)
{
    return smtpc_set_error(lp->err, SMTPC_EREPLY, "", lp->line_no, column, "%s%s", what,
                           detail != NULL ? detail : "");
}

/* Checks the code of one line ("250", then "-", " " or the end); returns its value and sets
 * `*final`, or a negative status. */
static int read_line_code(const struct line_parse *lp, const char *line, size_t len, int *final)
{
    if (len < 3) {
        for (size_t i = 0; i < len; i++) {
            if (!smtpc_is_digit(line[i]))
                return reply_error(lp, i + 1, "the reply code has a non-digit", NULL);
        }
        return reply_error(lp, len + 1, "the reply code needs three digits", NULL);
    }
    if (line[0] < '2' || line[0] > '5')
        return reply_error(lp, 1, "the first digit of a reply code must be 2 to 5",
                           " (RFC 5321 section 4.2)");
    for (size_t i = 1; i < 3; i++) {
        if (!smtpc_is_digit(line[i]))
            return reply_error(lp, i + 1, "the reply code has a non-digit", NULL);
    }
    if (len == 3 || line[3] == ' ')
        *final = 1;
    else if (line[3] == '-')
        *final = 0;
    else
        return reply_error(lp, 4, "expected ' ', '-' or the end of the line after the code",
                           NULL);
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

void smtpc_reply_free(smtpc_reply *reply)
{
    free(reply);
}

/* Notes the enhanced code `code` (`n` bytes) of a line: the first one seen is the reply's,
 * copied with the rest of it by finish_reply(). */
static void note_enhanced(smtpc_reply *r, struct spans *spans, const char *code, size_t n)
{
    if (spans->enhanced_len == 0) {
        spans->enhanced = code;
        spans->enhanced_len = n;
        if (code[0] - '0' != r->code / 100)
            r->warnings |= SMTPC_WARN_CLASS_MISMATCH;
    } else if (spans->enhanced_len != n || memcmp(spans->enhanced, code, n) != 0) {
        r->warnings |= SMTPC_WARN_ENHANCED_VARIES;
    }
}

/* The enhanced code at the start of a line's text: notes it and returns the length to skip,
 * the code and the space after it; 0 when the text starts otherwise. */
static inline size_t take_enhanced(smtpc_reply *r, struct spans *spans, const char *text,
                                   size_t len)
{
    size_t n = enhanced_prefix(text, len);
    if (n == 0)
        return 0;
    note_enhanced(r, spans, text, n);
    return n < len ? n + 1 : n;
}

static void check_text_bytes(smtpc_reply *r, const char *text, size_t len)
{
    /* Most reply text is ASCII: eight bytes at a time while no high bit is set. */
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t word;
        memcpy(&word, text + i, sizeof word);
        if (word & UINT64_C(0x8080808080808080))
            break;
    }
    while (i < len) {
        if ((unsigned char)text[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = smtpc_utf8_sequence((const unsigned char *)text + i, len - i);
        if (n == 0) {
            r->warnings |= SMTPC_WARN_INVALID_UTF8;
            return;
        }
        i += n;
    }
}

/* Doubles the room for spans, for a reply of more lines than `local` holds. */
static int grow_spans(struct spans *spans)
{
    size_t cap = spans->cap * 2;
    struct reply_line *items = malloc(cap * sizeof *items);
    if (items == NULL)
        return SMTPC_ENOMEM;
    memcpy(items, spans->items, spans->n * sizeof *items);
    if (spans->items != spans->local)
        free(spans->items);
    spans->items = items;
    spans->cap = cap;
    return 0;
}

/* Notes the text of one line (after the code and enhanced code). */
static int keep_line(struct spans *spans, const char *text, size_t len)
{
    if (spans->n == spans->cap && grow_spans(spans) != 0)
        return SMTPC_ENOMEM;
    spans->items[spans->n].text = text;
    spans->items[spans->n].len = len;
    spans->n++;
    spans->bytes += len + 1;
    return 0;
}

/* What one pass over a line finds: where it ends, its first NUL, and whether it holds a byte
 * over 0x7F (only then does its text need the UTF-8 check). */
struct line_facts {
    size_t end;  /* offset of the LF, or the length of the input */
    size_t nul;  /* offset of the first NUL before `end`, or SIZE_MAX */
    int high;    /* a byte over 0x7F before `end` */
};

/* Scans the line that starts at `at` in `s` (`len` bytes), sixteen bytes at a time where the
 * machine allows: one pass instead of three (the LF, the NUL, the high bytes) is most of what
 * parsing a reply costs. Reply text is seldom anything but ASCII: a block is tested once for
 * any of the three, and the line is taken apart byte class by byte class only when its first
 * such byte is not its LF. */
static void scan_line(const char *s, size_t len, size_t at, struct line_facts *f)
{
    size_t i = at;
    unsigned high = 0;
    f->nul = SIZE_MAX;
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i zero = _mm_setzero_si128();
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* the top bit of each byte: an LF, a NUL or a byte over 0x7F */
        unsigned any = lf_nul_or_high(v, lf, zero);
        if (any == 0)
            continue;
        size_t first = i + (size_t)__builtin_ctz(any);
        if (s[first] == '\n') {
            f->end = first;
            f->high = 0;
            return;
        }
        break;
    }
    /* From the block that holds a NUL or a high byte on. */
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned lfs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf));
        unsigned nuls = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
        unsigned highs = (unsigned)_mm_movemask_epi8(v);
        unsigned before = lfs != 0 ? (lfs & (0u - lfs)) - 1 : 0xFFFFu; /* bytes before the LF */
        if ((nuls & before) != 0 && f->nul == SIZE_MAX)
            f->nul = i + (size_t)__builtin_ctz(nuls) - at;
        high |= highs & before;
        if (lfs != 0) {
            f->end = i + (size_t)__builtin_ctz(lfs);
            f->high = high != 0;
            return;
        }
    }
#endif
    for (; i < len && s[i] != '\n'; i++) {
        if (s[i] == '\0' && f->nul == SIZE_MAX)
            f->nul = i - at;
        high |= (unsigned char)s[i] & 0x80u;
    }
    f->end = i;
    f->high = high != 0;
}

/* Reads one complete line `line` (without its end) into the reply; `facts` are scan_line()'s
 * findings about it. */
static int read_line(const struct line_parse *lp, smtpc_reply *r, struct spans *spans,
                     const char *line, size_t len, const struct line_facts *facts, int *final)
{
    if (facts->nul < len)
        return reply_error(lp, facts->nul + 1, "NUL byte", NULL);
    int code = read_line_code(lp, line, len, final);
    if (code < 0)
        return code;
    if (spans->n == 0) {
        r->code = code;
    } else if (code != r->code) {
        char detail[48];
        snprintf(detail, sizeof detail, " (%d here, %d before)", code, r->code);
        return reply_error(lp, 1, "the lines of one reply carry different codes", detail);
    }
    const char *text = len > 4 ? line + 4 : line + len;
    size_t text_len = len > 4 ? len - 4 : 0;
    size_t skip = take_enhanced(r, spans, text, text_len);
    if (facts->high)
        check_text_bytes(r, text + skip, text_len - skip);
    if (keep_line(spans, text + skip, text_len - skip) != 0)
        return smtpc_set_error(lp->err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}

/* The end of the line starting at `at`: the offset of its LF, or `len` when there is none. */
static size_t line_end(const struct line_parse *lp, size_t at)
{
    const char *nl = memchr(lp->s + at, '\n', lp->len - at);
    return nl != NULL ? (size_t)(nl - lp->s) : lp->len;
}

static int check_length(const struct line_parse *lp, smtpc_reply *r, size_t with_end)
{
    if (with_end > SMTPC_REPLY_RFC_LINE_LIMIT && (lp->flags & SMTPC_REPLY_STRICT_LENGTH))
        return reply_error(lp, SMTPC_REPLY_RFC_LINE_LIMIT + 1, "line longer than 512 octets",
                           " (RFC 5321 section 4.5.3.1.5)");
    if (with_end > SMTPC_REPLY_HARD_LINE_LIMIT)
        return reply_error(lp, SMTPC_REPLY_HARD_LINE_LIMIT, "line longer than the hard limit",
                           " of 65536 octets");
    if (with_end > SMTPC_REPLY_RFC_LINE_LIMIT)
        r->warnings |= SMTPC_WARN_LONG_LINE;
    return 0;
}

/* Splits the reply into lines and reads each; sets `*consumed` as smtpc_reply_parse() says. */
static int read_lines(struct line_parse *lp, smtpc_reply *r, struct spans *spans,
                      size_t *consumed)
{
    /* In locals: the calls below could change *lp as far as the compiler knows. */
    const char *s = lp->s;
    const size_t len = lp->len;
    const int complete = (lp->flags & SMTPC_REPLY_COMPLETE) != 0;
    size_t at = 0;
    for (lp->line_no = 1;; lp->line_no++) {
        if (at == len) {
            if (complete)
                return reply_error(lp, 1,
                                   spans->n == 0 ? "empty reply"
                                                 : "continuation lines without a final line",
                                   NULL);
            *consumed = 4; /* the shortest line: a bare code and LF */
            return SMTPC_EINCOMPLETE;
        }
        struct line_facts facts;
        scan_line(s, len, at, &facts);
        size_t end = facts.end;
        int terminated = end < len;
        size_t content = end - at;
        /* Only a line near the RFC's limit, or the input's last, can fail these checks. */
        if (content + 2 > SMTPC_REPLY_RFC_LINE_LIMIT || !terminated) {
            int rc = check_length(lp, r, content + (terminated || !complete ? 1 : 2));
            if (rc != 0)
                return rc;
            if (!terminated && !complete) {
                *consumed = 1; /* at least the LF that ends this line */
                return SMTPC_EINCOMPLETE;
            }
        }
        if (terminated && content > 0 && s[end - 1] == '\r')
            content--;
        else if (terminated)
            r->warnings |= SMTPC_WARN_BARE_LF;
        if (spans->n == SMTPC_REPLY_MAX_LINES)
            return reply_error(lp, 1, "too many lines in one reply", NULL);
        int final = 0;
        int rc = read_line(lp, r, spans, s + at, content, &facts, &final);
        if (rc != 0)
            return rc;
        at = terminated ? end + 1 : end;
        if (final) {
            *consumed = at;
            return 0;
        }
    }
}

/* The end of the line that starts at `at`: the offset of its LF when no NUL and no byte over
 * 0x7F comes before it, else SIZE_MAX (as when the input ends first). */
static size_t usual_line_end(const char *s, size_t len, size_t at)
{
    size_t i = at;
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i zero = _mm_setzero_si128();
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned any = lf_nul_or_high(v, lf, zero);
        if (any != 0) {
            size_t first = i + (size_t)__builtin_ctz(any);
            return s[first] == '\n' ? first : SIZE_MAX;
        }
    }
#endif
    for (; i < len; i++) {
        if (s[i] == '\n')
            return i;
        if (s[i] == '\0' || (unsigned char)s[i] > 0x7F)
            return SIZE_MAX;
    }
    return SIZE_MAX;
}

/* The usual reply, read in one pass: every line ends in an LF (CRLF or bare), is at most 512
 * octets with it, holds no NUL and no byte over 0x7F and carries the same well-formed code,
 * and there are no more lines than `spans` holds without growing. Fills `r` and `spans` and
 * returns the length of the reply; returns 0 for anything else, which read_lines() then reads
 * from the start, to accept or report it. Almost every reply is usual, and leaving out what
 * only unusual ones need reads one in half the instructions. */
static size_t read_usual(const char *s, size_t len, smtpc_reply *r, struct spans *spans)
{
    size_t at = 0;
    for (;;) {
        size_t end = usual_line_end(s, len, at);
        if (end == SIZE_MAX || end - at >= SMTPC_REPLY_RFC_LINE_LIMIT)
            return 0;
        const char *line = s + at;
        size_t content = end - at;
        if (content > 0 && line[content - 1] == '\r')
            content--;
        else
            r->warnings |= SMTPC_WARN_BARE_LF;
        if (content < 3 || line[0] < '2' || line[0] > '5' || !smtpc_is_digit(line[1]) ||
            !smtpc_is_digit(line[2]) || (content > 3 && line[3] != ' ' && line[3] != '-'))
            return 0;
        int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        if (spans->n == 0)
            r->code = code;
        else if (code != r->code || spans->n == spans->cap)
            return 0;
        const char *text = content > 4 ? line + 4 : line + content;
        size_t text_len = content > 4 ? content - 4 : 0;
        size_t skip = take_enhanced(r, spans, text, text_len);
        spans->items[spans->n].text = text + skip;
        spans->items[spans->n].len = text_len - skip;
        spans->n++;
        spans->bytes += text_len - skip + 1;
        at = end + 1;
        if (content == 3 || line[3] == ' ')
            return at;
    }
}

/* Makes the reply: one allocation holding the struct, the line index, each line's text and,
 * for several lines, the lines joined with "\n" (one line is its own text). NULL when memory
 * runs out. */
static smtpc_reply *finish_reply(const smtpc_reply *head, const struct spans *spans)
{
    size_t n = spans->n;
    size_t index_bytes = n * sizeof(struct reply_line);
    size_t joined_bytes = n > 1 ? spans->bytes : 0;
    smtpc_reply *r = malloc(sizeof *r + index_bytes + spans->bytes + joined_bytes);
    if (r == NULL)
        return NULL;
    *r = *head; /* its enhanced code is still "" */
    if (spans->enhanced_len > 0) {
        memcpy(r->enhanced, spans->enhanced, spans->enhanced_len);
        r->enhanced[spans->enhanced_len] = '\0';
    }
    r->n_lines = n;
    r->lines = (struct reply_line *)(void *)(r + 1);
    char *texts = (char *)r->lines + index_bytes;
    char *at = texts;
    for (size_t i = 0; i < n; i++) {
        memcpy(at, spans->items[i].text, spans->items[i].len);
        at[spans->items[i].len] = '\0';
        r->lines[i].text = at;
        r->lines[i].len = spans->items[i].len;
        at += spans->items[i].len + 1;
    }
    if (n == 1) {
        r->text = r->lines[0].text;
        r->text_len = r->lines[0].len;
    } else {
        /* The texts as laid out above, each line's terminator but the last made a "\n": one
         * copy instead of one for each line. */
        memcpy(at, texts, spans->bytes);
        for (size_t i = 0; i + 1 < n; i++)
            at[r->lines[i].text - texts + (ptrdiff_t)r->lines[i].len] = '\n';
        r->text = at;
        r->text_len = spans->bytes - 1;
    }
    if (r->code % 100 >= 60) /* a second digit over 5 (RFC 5321 section 4.2.1) */
        r->warnings |= SMTPC_WARN_NONCONFORMING;
    return r;
}

/* ---- replies inside log and bounce lines ---- */

/* Whether a reply code starts at s[i]: 2-5, two digits, then a space, "-" or the end, at the
 * start of the line, after "(" (Postfix's "status=sent (250 ..."), or after ": " or "; "
 * (Postfix's "said: 550", "reject: ...: 554", a DSN's "smtp; 550"). */
int smtpc_reply_starts_at(const char *s, size_t len, size_t i)
{
    if (i + 3 > len || s[i] < '2' || s[i] > '5' || !smtpc_is_digit(s[i + 1]) || !smtpc_is_digit(s[i + 2]))
        return 0;
    if (i + 3 < len && s[i + 3] != ' ' && s[i + 3] != '-')
        return 0;
    return i == 0 || s[i - 1] == '(' ||
           (i >= 2 && s[i - 1] == ' ' && (s[i - 2] == ':' || s[i - 2] == ';'));
}

/* Scanning logs is the hot loop of `smtpcodes scan`: sixteen positions at a time, a candidate is
 * a digit 2-5 right after a space or "(", which is rare enough in log lines to check each one
 * fully. Returns the first candidate that is a reply, or `len`. */
static size_t find_reply_wide(const char *s, size_t len, size_t *from)
{
    size_t i = *from;
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i paren = _mm_set1_epi8('(');
    const __m128i two = _mm_set1_epi8('2');
    const __m128i three = _mm_set1_epi8(3);
    for (; i >= 1 && i + 16 <= len; i += 16) {
        __m128i prev = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 1));
        __m128i cur = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i after = _mm_or_si128(_mm_cmpeq_epi8(prev, space), _mm_cmpeq_epi8(prev, paren));
        /* cur - '2' <= 3, unsigned: a digit from 2 to 5 */
        __m128i digit = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(cur, two), three),
                                       _mm_setzero_si128());
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(after, digit));
        for (; mask != 0; mask &= mask - 1) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            if (smtpc_reply_starts_at(s, len, at))
                return at;
        }
    }
#endif
    *from = i;
    return len;
}

size_t smtpc_find_embedded_reply(const char *s, size_t len)
{
    if (smtpc_reply_starts_at(s, len, 0))
        return 0;
    size_t i = 1;
    size_t found = find_reply_wide(s, len, &i);
    if (found < len)
        return found;
    for (; i + 3 <= len; i++) {
        if (smtpc_reply_starts_at(s, len, i))
            return i;
    }
    return len;
}

/* Postfix ends a client-side reply with " (in reply to RCPT TO command)"; the command tells
 * the classifier what the reply answered. Returns the length without that suffix. */
static size_t strip_in_reply_to(smtpc_reply *r, const char *s, size_t len)
{
    static const char prefix[] = " (in reply to ";
    static const char suffix[] = " command)";
    const size_t pn = sizeof prefix - 1;
    const size_t sn = sizeof suffix - 1;
    if (len < pn + sn + 1 || memcmp(s + len - sn, suffix, sn) != 0)
        return len;
    for (size_t at = len - sn; at-- > 0;) {
        /* Only a " (" can start the prefix: test two bytes before calling memcmp. */
        if (s[at] == ' ' && at + pn <= len - sn && s[at + 1] == '(' &&
            memcmp(s + at, prefix, pn) == 0) {
            const char *what = s + at + pn;
            size_t what_len = len - sn - at - pn;
            /* "RCPT TO", "MAIL FROM", "end of DATA", "DATA", "EHLO" ... by its canonical
             * name; what names no SMTP command ("RC TO") leaves the command unknown. */
            const char *name = NULL;
            if (smtpc_command_parse(&name, what, what_len, NULL) != 0)
                name = "";
            memcpy(r->command, name, strlen(name) + 1);
            return at;
        }
    }
    return len;
}

/* How many "(" are still open at the end of the `n` bytes at `s` (a ")" with none open is
 * ignored). Log lines have few parentheses: blocks of sixteen bytes without any are skipped. */
static size_t open_parentheses(const char *s, size_t n)
{
    size_t open = 0, i = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i left = _mm_set1_epi8('(');
    const __m128i right = _mm_set1_epi8(')');
    for (; i + 16 <= n; i += 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(block, left),
                                           _mm_cmpeq_epi8(block, right))) == 0)
            continue;
        for (size_t j = i; j < i + 16; j++) {
            if (s[j] == '(')
                open++;
            else if (s[j] == ')' && open > 0)
                open--;
        }
    }
#endif
    for (; i < n; i++) {
        if (s[i] == '(')
            open++;
        else if (s[i] == ')' && open > 0)
            open--;
    }
    return open;
}

/* The number of characters (UTF-8 sequence starts; any other byte counts as one) in `n`
 * bytes, as error columns count them. */
static size_t count_characters(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return chars;
}

/* The end of the text an embedded reply may fill: its line, and the lines after it that start
 * with white space, since a header field may be folded there (RFC 5322 section 2.2.3): a DSN's
 * "Diagnostic-Code: smtp; 550-5.1.1 ..." goes on "    550-5.1.1 ..." on the next line. */
static size_t folded_end(const struct line_parse *lp)
{
    size_t end = line_end(lp, 0);
    while (end + 1 < lp->len && (lp->s[end + 1] == ' ' || lp->s[end + 1] == '\t'))
        end = line_end(lp, end + 1);
    return end;
}

/* Appends the `n` bytes at `s` with each line break and the white space after it made one
 * space: the field unfolded. */
static void append_unfolded(struct smtpc_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\r' && s[i] != '\n') {
            smtpc_buf_putc(out, s[i]);
            continue;
        }
        while (i + 1 < n && (s[i + 1] == '\r' || s[i + 1] == '\n' || s[i + 1] == ' ' ||
                             s[i + 1] == '\t'))
            i++;
        smtpc_buf_putc(out, ' ');
    }
}

/* A multi-line reply written on one line, as Postfix logs it and as an unfolded DSN field holds
 * it ("550-5.1.1 a 550-5.1.1 b 550 5.1.1 c"): each " 550-" or " 550 " after the first line
 * starts a line again (RFC 5321 section 4.2.1: every line of a reply carries the same code), up
 * to the final line. */
static void split_flattened(struct smtpc_buf *text)
{
    char *s = text->data;
    size_t n = text->len;
    if (n < 4 || s[3] != '-')
        return;
    for (size_t i = 4; i + 3 <= n; i++) {
        if (s[i - 1] != ' ' || memcmp(s + i, s, 3) != 0 ||
            (i + 3 < n && s[i + 3] != '-' && s[i + 3] != ' '))
            continue;
        s[i - 1] = '\n';
        if (i + 3 == n || s[i + 3] == ' ')
            return;
    }
}

/* The reply at `s` (`n` bytes) as its lines again when it was folded or flattened into
 * `scratch`; 0 when it is one line as it stands. */
static int rebuild_reply(struct smtpc_buf *scratch, const char *s, size_t n)
{
    if (memchr(s, '\n', n) == NULL && (n < 4 || s[3] != '-'))
        return 0;
    append_unfolded(scratch, s, n);
    if (scratch->failed)
        return 0;
    split_flattened(scratch);
    return 1;
}

/* A reply quoted after a space, as Exchange writes it in the text of its reports ("Remote
 * Server returned '550 5.1.10 ...'"): where it starts, or `len`. */
static size_t find_quoted_reply(const char *s, size_t len)
{
    for (const char *q = memchr(s, '\'', len); q != NULL;
         q = memchr(q + 1, '\'', len - (size_t)(q + 1 - s))) {
        size_t at = (size_t)(q - s) + 1;
        if (at >= 2 && s[at - 2] == ' ' && smtpc_reply_starts_at(s + at, len - at, 0))
            return at;
    }
    return len;
}

/* The reply reader looks for a quoted reply too, in a line where none starts the usual way;
 * a log scan (smtpc_find_embedded_reply() alone) does not count one. */
size_t smtpc_find_reply_in_line(const char *s, size_t len)
{
    size_t at = smtpc_find_embedded_reply(s, len);
    return at < len ? at : find_quoted_reply(s, len);
}

/* Where a reply quoted by Exchange ("returned '550 5.1.10 ...'") ends: at the last quote. */
static size_t unquoted_end(const char *s, size_t start, size_t stop)
{
    if (start == 0 || s[start - 1] != '\'')
        return stop;
    for (size_t at = stop; at > start; at--) {
        if (s[at - 1] == '\'')
            return at - 1;
    }
    return stop;
}

static int parse_embedded(smtpc_reply *r, size_t *consumed, struct line_parse *lp,
                          struct spans *spans, struct smtpc_buf *scratch)
{
    size_t first_end = line_end(lp, 0);
    size_t start = smtpc_find_reply_in_line(lp->s, first_end);
    if (start == first_end)
        return smtpc_set_error(lp->err, SMTPC_EREPLY, "", 1, 0,
                               "no SMTP reply found in the line");
    /* A field folded over lines is read whole when the text is (a DSN's header, a message); a
     * stream of log lines gives one line at a time. */
    int whole = (lp->flags & SMTPC_REPLY_COMPLETE) && !(lp->flags & SMTPC_REPLY_LOG_LINES);
    size_t end = whole ? folded_end(lp) : first_end;
    const smtpc_db *db = r->db;
    memset(r, 0, sizeof *r); /* only now: most lines of a log hold no reply */
    r->db = db;
    size_t stop = end;
    if (stop > start && lp->s[stop - 1] == '\r')
        stop--;
    /* "status=bounced (host ... said: 550 ...)": drop the ")" of each "(" still open before
     * the reply, as Postfix wraps what it quotes. */
    size_t open = stop > start && lp->s[stop - 1] == ')' ? open_parentheses(lp->s, start) : 0;
    for (; open > 0 && stop > start && lp->s[stop - 1] == ')'; open--)
        stop--;
    stop = unquoted_end(lp->s, start, stop);
    stop = start + strip_in_reply_to(r, lp->s + start, stop - start);
    struct line_parse inner = {lp->s + start, stop - start, lp->flags | SMTPC_REPLY_COMPLETE, 1,
                               lp->err};
    int rebuilt = rebuild_reply(scratch, inner.s, inner.len);
    if (rebuilt) {
        inner.s = scratch->data;
        inner.len = scratch->len;
    }
    size_t used;
    int rc = read_lines(&inner, r, spans, &used);
    if (rebuilt) /* the line ends are ours, not the sender's */
        r->warnings &= ~SMTPC_WARN_BARE_LF;
    *consumed = end < lp->len ? end + 1 : end;
    if (rc == SMTPC_EREPLY && lp->err != NULL) {
        /* the position in the log line: one line, whatever the reply inside it would need; in
         * a rebuilt reply, the start of the reply */
        lp->err->line = 1;
        if (rebuilt)
            lp->err->column = count_characters(lp->s, start) + 1;
        else if (lp->err->column > 0)
            lp->err->column += count_characters(lp->s, start);
    }
    return rc;
}

int smtpc_reply_parse(smtpc_reply **out, size_t *consumed, const smtpc_db *db, const char *s,
                      size_t len, int flags, smtpc_error *err)
{
    if (out == NULL || consumed == NULL || (s == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    *consumed = 0;
    smtpc_reply head; /* zeroed by parse_embedded() once it finds a reply, or here */
    if (!(flags & SMTPC_REPLY_EMBEDDED))
        memset(&head, 0, sizeof head);
    head.db = db != NULL ? db : smtpc_db_builtin();
    struct spans spans;
    init_spans(&spans);
    struct line_parse lp = {s != NULL ? s : "", len, flags, 1, err};
    struct smtpc_buf scratch; /* a folded or flattened embedded reply, rebuilt */
    smtpc_buf_init(&scratch);
    size_t used = 0;
    int rc;
    if (flags & SMTPC_REPLY_EMBEDDED) {
        rc = parse_embedded(&head, &used, &lp, &spans, &scratch);
    } else if ((used = read_usual(lp.s, len, &head, &spans)) > 0) {
        rc = 0;
    } else {
        /* from the start, without what read_usual() noted */
        memset(&head, 0, sizeof head);
        head.db = db != NULL ? db : smtpc_db_builtin();
        init_spans(&spans);
        rc = read_lines(&lp, &head, &spans, &used);
    }
    if (rc == 0) {
        *out = finish_reply(&head, &spans);
        if (*out == NULL)
            rc = smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    } else if (rc == SMTPC_EINCOMPLETE) {
        smtpc_set_error(err, rc, "", lp.line_no, 0,
                        "incomplete reply: at least %zu more byte%s needed", used,
                        used == 1 ? " is" : "s are");
    }
    if (rc == 0 || rc == SMTPC_EINCOMPLETE)
        *consumed = used;
    if (spans.items != spans.local)
        free(spans.items);
    smtpc_buf_free(&scratch);
    return rc;
}

/* ---- accessors ---- */

const smtpc_db *smtpc_reply_db(const smtpc_reply *reply)
{
    return reply->db;
}

int smtpc_reply_code(const smtpc_reply *reply)
{
    return reply != NULL ? reply->code : 0;
}

const char *smtpc_reply_enhanced(const smtpc_reply *reply)
{
    return reply != NULL ? reply->enhanced : "";
}

const char *smtpc_reply_command(const smtpc_reply *reply)
{
    return reply != NULL ? reply->command : "";
}

size_t smtpc_reply_line_count(const smtpc_reply *reply)
{
    return reply != NULL ? reply->n_lines : 0;
}

const char *smtpc_reply_line(const smtpc_reply *reply, size_t index, size_t *len)
{
    if (reply == NULL || index >= reply->n_lines)
        return NULL;
    if (len != NULL)
        *len = reply->lines[index].len;
    return reply->lines[index].text;
}

const char *smtpc_reply_text(const smtpc_reply *reply, size_t *len)
{
    if (reply == NULL)
        return NULL;
    if (len != NULL)
        *len = reply->text_len;
    return reply->text;
}

int smtpc_reply_warnings(const smtpc_reply *reply)
{
    return reply != NULL ? reply->warnings : 0;
}

/* The entries are looked up when asked for, not while parsing: a stream of replies is often
 * read only for its codes, and the lookups would cost as much as the parsing. */
const smtpc_entry *smtpc_reply_entry(const smtpc_reply *reply)
{
    if (reply == NULL)
        return NULL;
    smtpc_code code = smtpc_code_of_number(reply->code);
    return smtpc_find_code(reply->db, &code, 0);
}

const smtpc_entry *smtpc_reply_enhanced_entry(const smtpc_reply *reply)
{
    smtpc_code code;
    /* smtpc_code_parse() refuses what the wire tolerates (leading zeros): no entry then */
    if (reply == NULL || reply->enhanced[0] == '\0' ||
        smtpc_code_parse(&code, reply->enhanced, strlen(reply->enhanced), NULL) != 0)
        return NULL;
    return smtpc_resolve_code(reply->db, &code, 1, NULL);
}
