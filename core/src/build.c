/*
 * build.c - the server side: the wire form of a reply (RFC 5321 sections 4.2 and 4.5.3.1.5,
 * RFC 2034 section 4), built so that smtpc_reply_parse() reads back the same code, enhanced
 * code and text.
 */
#include "internal.h"

#include <string.h>

/* RFC 5321 section 4.2: textstring = 1*(%d09 / %d32-126). */
static int check_textstring(const char *text, size_t len, smtpc_error *err)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c != '\t' && (c < 32 || c > 126))
            return smtpc_set_error(err, SMTPC_EINVAL, "", 0, i + 1,
                                   "reply text may hold only printable ASCII, spaces and tabs "
                                   "(RFC 5321 section 4.2), not byte \\x%02X",
                                   c);
    }
    return 0;
}

static int is_digits_and_dots(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((s[i] < '0' || s[i] > '9') && s[i] != '.')
            return 0;
    }
    return 1;
}

static int check_enhanced(const char *enhanced, size_t len, int code, smtpc_error *err)
{
    smtpc_code parsed;
    if (smtpc_code_parse(&parsed, enhanced, len, NULL) != 0 || parsed.kind != SMTPC_KIND_ENHANCED ||
        parsed.klass == 0 || !is_digits_and_dots(enhanced, len))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "'%.*s' is not an enhanced code with a class, such as 5.7.1",
                               (int)(len > 32 ? 32 : len), enhanced);
    if (parsed.klass != code / 100)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "enhanced code %.*s contradicts the class of reply code %d "
                               "(RFC 3463 section 2)",
                               (int)len, enhanced, code);
    return 0;
}

/* The database's wording when no text is given: the registry text of the enhanced code, else
 * the name of the reply code, else nothing. */
static const char *default_text(const smtpc_db *db, int code, const char *enhanced, size_t len)
{
    const smtpc_entry *e;
    if (len > 0 && smtpc_lookup_closest(&e, NULL, db, enhanced, len, NULL) == 0 &&
        strcmp(e->sample, "(deprecated)") != 0)
        return e->sample;
    if (smtpc_lookup_number(&e, db, code, NULL) == 0)
        return e->name;
    return "";
}

/* How many bytes of `text` go on this line, at most `room`: up to and including the last space
 * when the rest does not fit, so that the lines' texts concatenate back to `text`. */
static size_t next_chunk(const char *text, size_t len, size_t room, int has_enhanced)
{
    if (len <= room)
        return len;
    size_t cut = room;
    while (cut > 0 && text[cut - 1] != ' ')
        cut--;
    if (cut == 0)
        cut = room; /* one word longer than a line: split it */
    /* Without an enhanced code of its own, a line must not start with text that reads as one
     * (RFC 2034 section 4): move the break back by a byte. */
    while (!has_enhanced && cut > 1 && smtpc_enhanced_prefix(text + cut, len - cut) > 0)
        cut--;
    return cut;
}

int smtpc_reply_build(char **out, size_t *out_len, const smtpc_db *db, int code,
                      const char *enhanced, size_t enhanced_len, const char *text,
                      size_t text_len, smtpc_error *err)
{
    if (out == NULL || (enhanced == NULL && enhanced_len > 0) || (text == NULL && text_len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    if (db == NULL)
        db = smtpc_db_builtin();
    if (code < 200 || code > 599)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "%d is not a reply code: expected 200 to 599", code);
    int rc;
    if (enhanced_len > 0 && (rc = check_enhanced(enhanced, enhanced_len, code, err)) != 0)
        return rc;
    if (text_len == 0) {
        text = default_text(db, code, enhanced, enhanced_len);
        text_len = strlen(text);
    }
    if ((rc = check_textstring(text, text_len, err)) != 0)
        return rc;
    if (enhanced_len == 0 && smtpc_enhanced_prefix(text, text_len) > 0)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 1,
                               "the text starts like an enhanced code: give it as the enhanced "
                               "code instead");
    /* "550-5.7.1 " before the text, CRLF after it: 512 octets in all (RFC 5321 4.5.3.1.5). */
    size_t prefix = 4 + (enhanced_len > 0 ? enhanced_len + 1 : 0);
    size_t room = SMTPC_REPLY_RFC_LINE_LIMIT - 2 - prefix;
    struct smtpc_buf b;
    smtpc_buf_init(&b);
    size_t lines = 0;
    do {
        /* what smtpc_reply_parse() reads back: no more than SMTPC_REPLY_MAX_LINES lines */
        if (++lines > SMTPC_REPLY_MAX_LINES) {
            smtpc_buf_free(&b);
            return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                                   "text too long: a reply has at most %d lines",
                                   SMTPC_REPLY_MAX_LINES);
        }
        size_t chunk = next_chunk(text, text_len, room, enhanced_len > 0);
        int last = chunk == text_len;
        /* "250" alone when there is nothing to say, as RFC 5321 section 4.2 allows */
        smtpc_buf_printf(&b, "%d", code);
        if (chunk > 0 || enhanced_len > 0)
            smtpc_buf_putc(&b, last ? ' ' : '-');
        if (enhanced_len > 0) {
            smtpc_buf_append(&b, enhanced, enhanced_len);
            if (chunk > 0)
                smtpc_buf_putc(&b, ' ');
        }
        smtpc_buf_append(&b, text, chunk);
        smtpc_buf_puts(&b, "\r\n");
        text += chunk;
        text_len -= chunk;
    } while (text_len > 0);
    *out = smtpc_buf_take(&b, out_len);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}
