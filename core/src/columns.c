/*
 * columns.c - text tables that line up in a terminal in every script: cells measured in the
 * columns a terminal draws (UAX #11 East Asian Width), not in bytes, and wrapped to their
 * column where a line of their script may break.
 */
#include "internal.h"

#include "width_table.h"

#include <string.h>

enum { MAX_LINES = 32 }; /* lines of one wrapped cell; the rest stays on its last line */

static int in_ranges(const struct width_range *r, size_t n, unsigned cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].first)
            hi = mid;
        else if (cp > r[mid].last)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* The columns of code point `cp`: 0, 1 or 2. */
static unsigned char_columns(unsigned cp)
{
    if (cp < 0x300)
        return cp >= 0x20 && cp != 0x7F && (cp < 0x80 || cp >= 0xA0);
    if (in_ranges(zero_ranges, sizeof zero_ranges / sizeof zero_ranges[0], cp))
        return 0;
    return in_ranges(wide_ranges, sizeof wide_ranges / sizeof wide_ranges[0], cp) ? 2 : 1;
}

/* The character at `s` (at most `len` bytes): its length, and its code point in `*cp`; an
 * invalid byte is one character of its own, drawn as one column (U+FFFD). */
static size_t next_char(const char *s, size_t len, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = smtpc_utf8_sequence(u, len);
    if (n <= 1) {
        *cp = n == 1 ? u[0] : 0xFFFD;
        return 1;
    }
    unsigned v = u[0] & (0xFF >> (n + 1));
    for (size_t i = 1; i < n; i++)
        v = (v << 6) | (u[i] & 0x3F);
    *cp = v;
    return n;
}

size_t smtpc_text_columns(const char *s, size_t len)
{
    size_t columns = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += next_char(s + i, len - i, &cp);
        columns += char_columns(cp);
    }
    return columns;
}

/* Punctuation that a line of Chinese or Japanese does not start with (JIS X 4051 kinsoku):
 * 、。，．：；！？）」』】〉》ー */
static int closes(unsigned cp)
{
    static const unsigned marks[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01,
                                     0xFF1F, 0xFF09, 0x300D, 0x300F, 0x3011, 0x3009, 0x300B,
                                     0x30FC};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        if (marks[i] == cp)
            return 1;
    }
    return 0;
}

/* ... and the punctuation it does not end with: （「『【〈《 */
static int opens(unsigned cp)
{
    return cp == 0xFF08 || cp == 0x300C || cp == 0x300E || cp == 0x3010 || cp == 0x3008 ||
           cp == 0x300A;
}

/* Whether a line may break between `before` and `after`, neither a space: where a wide
 * character meets another character, unless the break would put closing punctuation at the
 * start of a line or opening punctuation at its end (UAX #14, class ID, roughly). */
static int may_break_between(unsigned before, unsigned after)
{
    if (char_columns(before) != 2 && char_columns(after) != 2)
        return 0;
    return !closes(after) && !opens(before) && char_columns(after) != 0;
}

/* One line of a wrapped cell: `len` bytes at `start`. */
struct line {
    const char *start;
    size_t len;
};

/* The end of the line that starts at `s` (`len` bytes) and fits in `width` columns: the last
 * place it may break, else as many characters as fit (one at least); `*next` is where the
 * following line starts, past the spaces it broke at. */
static size_t fit_line(const char *s, size_t len, size_t width, size_t *next)
{
    size_t columns = 0, end = 0, brk = 0, brk_next = 0;
    unsigned prev = 0;
    while (end < len) {
        unsigned cp;
        size_t n = next_char(s + end, len - end, &cp);
        if (cp == ' ') {
            brk = end;
            size_t after = end;
            while (after < len && s[after] == ' ')
                after++;
            brk_next = after;
        } else if (end > 0 && prev != ' ' && may_break_between(prev, cp)) {
            brk = brk_next = end;
        }
        unsigned c = char_columns(cp);
        if (columns + c > width && end > 0) {
            if (cp == ' ') { /* the line ends exactly at the width */
                *next = brk_next;
                return end;
            }
            if (brk > 0) {
                *next = brk_next;
                return brk;
            }
            *next = end;
            return end;
        }
        columns += c;
        end += n;
        prev = cp;
    }
    *next = len;
    return len;
}

/* `text` wrapped to `width` columns: up to MAX_LINES lines into `out`, the last of them
 * holding whatever is left; returns how many (0 for an empty text). */
static size_t wrap(const char *text, size_t width, struct line *out)
{
    size_t len = strlen(text), n = 0;
    while (len > 0 && text[len - 1] == ' ')
        len--;
    while (len > 0 && n < MAX_LINES) {
        size_t next = len;
        size_t end = n + 1 < MAX_LINES ? fit_line(text, len, width, &next) : len;
        while (end > 0 && text[end - 1] == ' ')
            end--;
        out[n++] = (struct line){text, end};
        text += next;
        len -= next;
    }
    return n;
}

static void put_spaces(struct smtpc_buf *b, size_t n)
{
    while (n-- > 0)
        smtpc_buf_putc(b, ' ');
}

/* The `k`th line of a cell wrapped into `lines` (`n` of them), padded to its column. */
static void put_cell_line(struct smtpc_buf *b, const struct smtpc_column *column,
                          const struct line *lines, size_t n, size_t k)
{
    const char *s = k < n ? lines[k].start : "";
    size_t len = k < n ? lines[k].len : 0;
    size_t used = smtpc_text_columns(s, len);
    size_t pad = used < column->width ? column->width - used : 0;
    if (column->right)
        put_spaces(b, pad);
    smtpc_buf_append(b, s, len);
    if (!column->right)
        put_spaces(b, pad);
    put_spaces(b, column->gap);
}

void smtpc_put_row(struct smtpc_buf *b, const struct smtpc_column *columns, size_t n,
                   const char *const *cells)
{
    enum { MAX_CELLS = 16 };
    struct line lines[MAX_CELLS][MAX_LINES];
    size_t counts[MAX_CELLS], rows = 1;
    if (n > MAX_CELLS)
        n = MAX_CELLS;
    for (size_t i = 0; i + 1 < n; i++) {
        counts[i] = wrap(cells[i], columns[i].width, lines[i]);
        if (counts[i] > rows)
            rows = counts[i];
    }
    for (size_t k = 0; k < rows; k++) {
        for (size_t i = 0; i + 1 < n; i++)
            put_cell_line(b, &columns[i], lines[i], counts[i], k);
        if (k == 0 && n > 0) {
            smtpc_buf_puts(b, cells[n - 1]);
        } else if (!b->failed) {
            /* a continuation line ends where its last cell does */
            while (b->len > 0 && b->data[b->len - 1] == ' ')
                b->len--;
            b->data[b->len] = '\0';
        }
        smtpc_buf_putc(b, '\n');
    }
}
