/*
 * decompress.c - the scanner's input before it is text. Rotated mail logs are compressed
 * (logrotate's "compress": gzip, or xz, bzip2 and zstd through "compresscmd"): the format is
 * found from the input's first bytes, never from a file name, and decoded as the input streams
 * in, into a buffer of fixed size that the text scan reads in large pieces. Input that is no
 * text at all (an archive, an image, an executable) is refused rather than summarised as "0
 * replies".
 *
 * zlib is always built in; liblzma, libbz2 and libzstd when they were found at build time
 * (core/sources.txt), each compiled in with SMTPC_WITH_<FORMAT>.
 */
#include "internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SMTPC_WITH_GZIP
#define ZLIB_CONST
#include <zlib.h>
#endif
#ifdef SMTPC_WITH_XZ
#include <lzma.h>
#endif
#ifdef SMTPC_WITH_BZIP2
#include <bzlib.h>
#endif
#ifdef SMTPC_WITH_ZSTD
#include <zstd.h>
#include <zstd_errors.h>
#endif

enum {
    MAGIC_MAX = 6,      /* the longest magic number: xz's */
    HEAD_SIZE = 4096,   /* the text judged before any of it is scanned */
    OUT_SIZE = 1 << 18, /* decoded text handed to the scan at a time */
};

/* The most memory an xz stream may ask for: xz -9 needs 65 MiB, so this refuses only streams
 * made to need more than any preset does. */
#define XZ_MEMORY_LIMIT (512u << 20)

/* What one step of a decoder came to. */
enum step {
    STEP_OK,        /* it went on; more input is welcome */
    STEP_END,       /* (finishing) the input ended where a stream ends */
    STEP_TRUNCATED, /* (finishing) the input ended inside a stream */
    STEP_CORRUPT,   /* the data breaks the format: `why` says how */
    STEP_TOO_BIG,   /* the data asks for more memory than is allowed: `why` */
    STEP_NOMEM,
};

/* One step: the input it may take, room for its output, and what came of it. */
struct pass {
    const unsigned char *in;
    size_t in_len;
    size_t taken; /* bytes of `in` the step took */
    char *out;
    size_t out_size;
    size_t produced; /* bytes it wrote to `out` */
    int finishing;   /* no more input will come */
    const char *why; /* for STEP_CORRUPT and STEP_TOO_BIG */
};

struct smtpc_decoder {
    enum smtpc_compression compression; /* of the input, once known */
    const struct format *format;        /* the format being decoded, or NULL for text */
    int detecting;                      /* the input's format is not known yet */
    unsigned char magic[MAGIC_MAX];     /* the input's first bytes, while detecting */
    size_t n_magic;
    int judged;           /* the text has been judged to be text */
    char head[HEAD_SIZE]; /* the first text, kept until it is judged */
    size_t n_head;
    unsigned long long taken; /* compressed bytes the decoder took */
    int in_stream;            /* inside a compressed stream (gzip member, bzip2 stream, zstd
                                 frame) that has not ended */
    int ended;                /* a stream just ended: more input starts a new one */
    int failed;               /* SMTPC_EINPUT, kept in `failure` until the input ends */
    smtpc_error failure;
    char *out;   /* OUT_SIZE bytes, for compressed input */
    int started; /* the library's stream below is set up */
    union {
#ifdef SMTPC_WITH_GZIP
        z_stream gzip;
#endif
#ifdef SMTPC_WITH_XZ
        lzma_stream xz;
#endif
#ifdef SMTPC_WITH_BZIP2
        bz_stream bzip2;
#endif
#ifdef SMTPC_WITH_ZSTD
        ZSTD_DStream *zstd;
#endif
        int none;
    } lib;
};

/* A compressed format: its magic number and, when built in, its decoder. */
struct format {
    enum smtpc_compression compression;
    const char *library; /* what builds it in, named when it is not */
    const char *magic;
    size_t magic_len;
    int then_digit; /* the magic number ends with a digit 1-9 (bzip2's block size) */
    int (*start)(struct smtpc_decoder *d);
    enum step (*step)(struct smtpc_decoder *d, struct pass *p);
    void (*end)(struct smtpc_decoder *d);
};

static size_t least(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* ---- gzip (RFC 1952), with zlib ---- */

#ifdef SMTPC_WITH_GZIP
static int gzip_start(struct smtpc_decoder *d)
{
    memset(&d->lib.gzip, 0, sizeof d->lib.gzip);
    /* 16 + MAX_WBITS: a gzip header and trailer, not zlib's or raw deflate */
    return inflateInit2(&d->lib.gzip, 16 + MAX_WBITS) == Z_OK ? 0 : SMTPC_ENOMEM;
}

static enum step gzip_step(struct smtpc_decoder *d, struct pass *p)
{
    z_stream *z = &d->lib.gzip;
    /* gzip -c a >> log makes a log of several members (RFC 1952 section 2.2), read on as
     * one text. */
    if (d->ended && p->in_len > 0) {
        if (inflateReset(z) != Z_OK)
            return STEP_NOMEM;
        d->ended = 0;
    }
    if (d->ended || (p->in_len == 0 && !d->in_stream))
        return p->finishing ? STEP_END : STEP_OK;
    uInt in_len = (uInt)least(p->in_len, UINT_MAX);
    z->next_in = p->in;
    z->avail_in = in_len;
    z->next_out = (Bytef *)p->out;
    z->avail_out = (uInt)p->out_size;
    int rc = inflate(z, Z_NO_FLUSH);
    p->taken = in_len - z->avail_in;
    p->produced = p->out_size - z->avail_out;
    switch (rc) {
    case Z_STREAM_END:
        d->in_stream = 0;
        d->ended = 1;
        return STEP_OK;
    case Z_OK: d->in_stream = 1; return STEP_OK;
    case Z_BUF_ERROR: /* no progress: it needs input */
        return p->finishing ? STEP_TRUNCATED : STEP_OK;
    case Z_MEM_ERROR: return STEP_NOMEM;
    default: p->why = z->msg != NULL ? z->msg : "invalid data"; return STEP_CORRUPT;
    }
}

static void gzip_end(struct smtpc_decoder *d)
{
    inflateEnd(&d->lib.gzip);
}
#endif

/* ---- xz, with liblzma ---- */

#ifdef SMTPC_WITH_XZ
static int xz_start(struct smtpc_decoder *d)
{
    lzma_stream init = LZMA_STREAM_INIT;
    d->lib.xz = init;
    /* LZMA_CONCATENATED: streams one after another are one input, as xz -d reads them */
    return lzma_stream_decoder(&d->lib.xz, XZ_MEMORY_LIMIT, LZMA_CONCATENATED) == LZMA_OK
               ? 0
               : SMTPC_ENOMEM;
}

static enum step xz_step(struct smtpc_decoder *d, struct pass *p)
{
    lzma_stream *x = &d->lib.xz;
    x->next_in = p->in;
    x->avail_in = p->in_len;
    x->next_out = (uint8_t *)p->out;
    x->avail_out = p->out_size;
    /* With LZMA_CONCATENATED only LZMA_FINISH tells whether the input ended between
     * streams. */
    lzma_ret rc = lzma_code(x, p->finishing ? LZMA_FINISH : LZMA_RUN);
    p->taken = p->in_len - x->avail_in;
    p->produced = p->out_size - x->avail_out;
    switch (rc) {
    case LZMA_OK: return STEP_OK;
    case LZMA_STREAM_END: return STEP_END;
    case LZMA_BUF_ERROR: /* no progress: it needs input */
        return p->finishing ? STEP_TRUNCATED : STEP_OK;
    case LZMA_MEM_ERROR: return STEP_NOMEM;
    case LZMA_MEMLIMIT_ERROR:
        p->why = "it needs more than 512 MiB of memory to decode";
        return STEP_TOO_BIG;
    case LZMA_FORMAT_ERROR: p->why = "not in the xz format"; return STEP_CORRUPT;
    case LZMA_OPTIONS_ERROR: p->why = "options that liblzma does not support"; return STEP_CORRUPT;
    default: p->why = "compressed data is corrupt"; return STEP_CORRUPT;
    }
}

static void xz_end(struct smtpc_decoder *d)
{
    lzma_end(&d->lib.xz);
}
#endif

/* ---- bzip2, with libbz2 ---- */

#ifdef SMTPC_WITH_BZIP2
static int bzip2_start(struct smtpc_decoder *d)
{
    memset(&d->lib.bzip2, 0, sizeof d->lib.bzip2);
    return BZ2_bzDecompressInit(&d->lib.bzip2, 0, 0) == BZ_OK ? 0 : SMTPC_ENOMEM;
}

static enum step bzip2_step(struct smtpc_decoder *d, struct pass *p)
{
    bz_stream *b = &d->lib.bzip2;
    /* pbzip2 and bzip2 -c >> make several streams, read on as one text */
    if (d->ended && p->in_len > 0) {
        BZ2_bzDecompressEnd(b);
        if (bzip2_start(d) != 0) {
            d->started = 0;
            return STEP_NOMEM;
        }
        d->ended = 0;
    }
    if (d->ended || (p->in_len == 0 && !d->in_stream))
        return p->finishing ? STEP_END : STEP_OK;
    unsigned in_len = (unsigned)least(p->in_len, UINT_MAX);
    b->next_in = (char *)p->in;
    b->avail_in = in_len;
    b->next_out = p->out;
    b->avail_out = (unsigned)p->out_size;
    int rc = BZ2_bzDecompress(b);
    p->taken = in_len - b->avail_in;
    p->produced = p->out_size - b->avail_out;
    switch (rc) {
    case BZ_STREAM_END:
        d->in_stream = 0;
        d->ended = 1;
        return STEP_OK;
    case BZ_OK:
        d->in_stream = 1;
        return p->finishing && p->produced == 0 ? STEP_TRUNCATED : STEP_OK;
    case BZ_MEM_ERROR: return STEP_NOMEM;
    case BZ_DATA_ERROR_MAGIC: p->why = "not a bzip2 stream"; return STEP_CORRUPT;
    default: p->why = "data integrity error"; return STEP_CORRUPT;
    }
}

static void bzip2_end(struct smtpc_decoder *d)
{
    BZ2_bzDecompressEnd(&d->lib.bzip2);
}
#endif

/* ---- zstd (RFC 8878), with libzstd ---- */

#ifdef SMTPC_WITH_ZSTD
enum { ZSTD_SLICE = 1 << 14 };

static int zstd_start(struct smtpc_decoder *d)
{
    d->lib.zstd = ZSTD_createDStream();
    return d->lib.zstd != NULL && !ZSTD_isError(ZSTD_initDStream(d->lib.zstd)) ? 0 : SMTPC_ENOMEM;
}

static enum step zstd_step(struct smtpc_decoder *d, struct pass *p)
{
    if (p->in_len == 0 && !d->in_stream)
        return p->finishing ? STEP_END : STEP_OK;
    /* Frames one after another (and skippable frames) are read on by libzstd itself. It does
     * not say how far it read into input that it fails on: given ZSTD_SLICE bytes at a time,
     * the offset of an error is the end of the slice, at most ZSTD_SLICE bytes after it. */
    ZSTD_inBuffer in = {p->in, least(p->in_len, ZSTD_SLICE), 0};
    ZSTD_outBuffer out = {p->out, p->out_size, 0};
    size_t rc = ZSTD_decompressStream(d->lib.zstd, &out, &in);
    p->taken = in.pos;
    p->produced = out.pos;
    if (ZSTD_isError(rc)) {
        p->taken = in.size;
        p->why = ZSTD_getErrorName(rc);
        switch (ZSTD_getErrorCode(rc)) {
        case ZSTD_error_memory_allocation: return STEP_NOMEM;
        case ZSTD_error_frameParameter_windowTooLarge: return STEP_TOO_BIG;
        default: return STEP_CORRUPT;
        }
    }
    /* 0: a frame is complete and all its text is out */
    d->in_stream = rc != 0;
    return p->finishing && d->in_stream && p->produced == 0 ? STEP_TRUNCATED : STEP_OK;
}

static void zstd_end(struct smtpc_decoder *d)
{
    ZSTD_freeDStream(d->lib.zstd);
}
#endif

#define DECODER(name) name##_start, name##_step, name##_end
#define NO_DECODER NULL, NULL, NULL

static const struct format formats[] = {
    {SMTPC_COMPRESSION_GZIP, "zlib", "\x1f\x8b", 2, 0,
#ifdef SMTPC_WITH_GZIP
     DECODER(gzip)
#else
     NO_DECODER
#endif
    },
    {SMTPC_COMPRESSION_XZ, "liblzma", "\xfd\x37\x7a\x58\x5a\x00", 6, 0,
#ifdef SMTPC_WITH_XZ
     DECODER(xz)
#else
     NO_DECODER
#endif
    },
    {SMTPC_COMPRESSION_BZIP2, "libbz2", "BZh", 3, 1,
#ifdef SMTPC_WITH_BZIP2
     DECODER(bzip2)
#else
     NO_DECODER
#endif
    },
    {SMTPC_COMPRESSION_ZSTD, "libzstd", "\x28\xb5\x2f\xfd", 4, 0,
#ifdef SMTPC_WITH_ZSTD
     DECODER(zstd)
#else
     NO_DECODER
#endif
    },
};

enum { N_FORMATS = sizeof formats / sizeof formats[0] };

static const char *name_of(enum smtpc_compression c)
{
    return smtpc_enum_name(SMTPC_ENUM_COMPRESSION, (int)c);
}

int smtpc_scan_supports(enum smtpc_compression compression)
{
    if (compression == SMTPC_COMPRESSION_NONE)
        return 1;
    for (size_t i = 0; i < N_FORMATS; i++) {
        if (formats[i].compression == compression)
            return formats[i].step != NULL;
    }
    return 0;
}

/* ---- magic numbers ---- */

static size_t magic_length(const struct format *f)
{
    return f->magic_len + (size_t)f->then_digit;
}

/* Whether the `n` bytes at `p` begin the magic number of `f` (all of it when `n` is as long). */
static int begins_magic(const struct format *f, const unsigned char *p, size_t n)
{
    size_t len = least(n, f->magic_len);
    if (memcmp(p, f->magic, len) != 0)
        return 0;
    return n <= f->magic_len || !f->then_digit ||
           (p[f->magic_len] >= '1' && p[f->magic_len] <= '9');
}

/* The format whose magic number the `n` bytes at `p` hold, or NULL; `*maybe` is set when no
 * magic number is complete but more bytes could complete one. */
static const struct format *format_of(const unsigned char *p, size_t n, int *maybe)
{
    *maybe = 0;
    for (size_t i = 0; i < N_FORMATS; i++) {
        if (!begins_magic(&formats[i], p, n))
            continue;
        if (n >= magic_length(&formats[i]))
            return &formats[i];
        *maybe = 1;
    }
    return NULL;
}

/* What binary data is, by its magic number, for the error that refuses it. */
struct known_data {
    const char *magic;
    size_t len;
    size_t at; /* where the magic number is */
    const char *what;
};

static const struct known_data known_data[] = {
    {"PK\3\4", 4, 0, "a zip archive"},
    {"PK\5\6", 4, 0, "a zip archive"},
    {"%PDF-", 5, 0, "a PDF"},
    {"\177ELF", 4, 0, "an ELF executable"},
    {"\211PNG\r\n\32\n", 8, 0, "a PNG image"},
    {"\377\330\377", 3, 0, "a JPEG image"},
    {"GIF8", 4, 0, "a GIF image"},
    {"7z\274\257\47\34", 6, 0, "a 7-Zip archive"},
    {"Rar!\32\7", 6, 0, "a RAR archive"},
    {"SQLite format 3", 16, 0, "an SQLite database"},
    {"ustar", 5, 257, "a tar archive"},
    {"\4\42\115\30", 4, 0, "lz4-compressed data, which smtpcodes does not read"},
    {"LZIP", 4, 0, "lzip-compressed data, which smtpcodes does not read"},
    {"\37\235", 2, 0, "compress (.Z) data, which smtpcodes does not read"},
    {"\377\376", 2, 0, "UTF-16 text, which smtpcodes does not read (it reads ASCII and UTF-8)"},
    {"\376\377", 2, 0, "UTF-16 text, which smtpcodes does not read (it reads ASCII and UTF-8)"},
};

/* What the `n` bytes at `p` are, when their magic number says, into `what`; else "". */
static void name_data(char *what, size_t size, const char *p, size_t n)
{
    what[0] = '\0';
    for (size_t i = 0; i < sizeof known_data / sizeof known_data[0]; i++) {
        const struct known_data *k = &known_data[i];
        if (n >= k->at + k->len && memcmp(p + k->at, k->magic, k->len) == 0) {
            snprintf(what, size, "%s", k->what);
            return;
        }
    }
    int maybe;
    const struct format *f = format_of((const unsigned char *)p, n, &maybe);
    if (f != NULL)
        snprintf(what, size, "%s-compressed data", name_of(f->compression));
}

/* ---- failing ---- */

/* Fails the input with SMTPC_EINPUT: the message is kept and given again until it ends. */
static int fail(struct smtpc_decoder *d, smtpc_error *err, const char *fmt, ...) SMTPC_PRINTF(3, 4);

static int fail(struct smtpc_decoder *d, smtpc_error *err, const char *fmt, ...)
{
    char text[SMTPC_ERROR_TEXT_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    d->failed = 1;
    smtpc_set_error(&d->failure, SMTPC_EINPUT, "", 0, 0, "%s", text);
    if (err != NULL)
        *err = d->failure;
    return SMTPC_EINPUT;
}

/* Fails the input for want of memory in a decoder, whose state is then not to be touched
 * again: like SMTPC_EINPUT, it is given again until the input ends. */
static int fail_nomem(struct smtpc_decoder *d, smtpc_error *err)
{
    d->failed = 1;
    smtpc_set_error(&d->failure, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    if (err != NULL)
        *err = d->failure;
    return SMTPC_ENOMEM;
}

static int fail_again(const struct smtpc_decoder *d, smtpc_error *err)
{
    if (err != NULL)
        *err = d->failure;
    return d->failure.status;
}

/* ---- is it text? ---- */

/* Control characters that text does not hold: all but tab, line feed, vertical tab, form feed,
 * carriage return and escape (which colours some logs); NUL is one. */
static int is_binary_control(unsigned char c)
{
    return (c < 0x20 && !(c >= '\t' && c <= '\r') && c != 0x1B) || c == 0x7F;
}

/* Judges the text held. It is binary when more than 1 in 10 of its bytes are control
 * characters (NUL among them), or when NUL bytes are on more than 1 in 10 of its lines (and
 * on two at least): binary formats have them all over, while a log may hold a NUL byte, or a
 * run of them, where a crash or a client left it on a line (as
 * tests/vectors/logs/relay-bounces.mbox does). */
static int judge(struct smtpc_decoder *d, smtpc_error *err)
{
    const unsigned char *p = (const unsigned char *)d->head;
    size_t controls = 0, lines = 0, nul_lines = 0;
    int nul_on_line = 0;
    for (size_t i = 0; i < d->n_head; i++) {
        if (p[i] == '\n') {
            lines++;
            nul_on_line = 0;
        } else if (p[i] == '\0' && !nul_on_line) {
            nul_on_line = 1;
            nul_lines++;
        }
        controls += is_binary_control(p[i]);
    }
    if (d->n_head > 0 && p[d->n_head - 1] != '\n')
        lines++; /* the last one, not ended yet */
    int nuls_all_over = nul_lines >= 2 && nul_lines * 10 > lines;
    if (!nuls_all_over && controls * 10 <= d->n_head) {
        d->judged = 1;
        return 0;
    }
    char what[96];
    name_data(what, sizeof what, d->head, d->n_head);
    char compressed[32] = "";
    if (d->format != NULL)
        snprintf(compressed, sizeof compressed, " (%s-compressed)", name_of(d->compression));
    if (what[0] != '\0')
        return fail(d, err, "%s%s, not a text log", what, compressed);
    if (nuls_all_over)
        return fail(d, err,
                    "binary data%s, not a text log: NUL bytes on %zu of its first %zu lines",
                    compressed, nul_lines, lines);
    return fail(d, err,
                "binary data%s, not a text log: %zu of its first %zu bytes are control "
                "characters",
                compressed, controls, d->n_head);
}

/* Hands text to the scan. The first HEAD_SIZE bytes are also kept, to be judged once they are
 * all there (or at the end of the input): the text is scanned meanwhile, so that a scanner
 * holds no more than the start of a line, and input that fails the judgement fails whatever
 * the scan found in it. */
static int emit(struct smtpc_decoder *d, const char *text, size_t len, smtpc_scanner *s,
                smtpc_text_scan scan, smtpc_error *err)
{
    if (!d->judged) {
        size_t n = least(len, HEAD_SIZE - d->n_head);
        memcpy(d->head + d->n_head, text, n);
        d->n_head += n;
        if (d->n_head == HEAD_SIZE) {
            int rc = judge(d, err);
            if (rc != 0)
                return rc;
        }
    }
    return len > 0 ? scan(s, text, len, err) : 0;
}

/* ---- decoding ---- */

/* Decodes `len` bytes of compressed input (none when finishing) and hands the text on. */
static int decode(struct smtpc_decoder *d, const unsigned char *in, size_t len, int finishing,
                  smtpc_scanner *s, smtpc_text_scan scan, smtpc_error *err)
{
    const char *name = name_of(d->compression);
    int idle = 0; /* steps in a row that took no input and gave no text */
    for (;;) {
        struct pass p = {in, len, 0, d->out, OUT_SIZE, 0, finishing, NULL};
        enum step step = d->format->step(d, &p);
        in += p.taken;
        len -= p.taken;
        d->taken += p.taken;
        switch (step) {
        case STEP_NOMEM: return fail_nomem(d, err);
        case STEP_CORRUPT:
            return fail(d, err, "corrupt %s data at compressed byte %llu: %s", name, d->taken,
                        p.why);
        case STEP_TOO_BIG:
            return fail(d, err, "cannot decode the %s data at compressed byte %llu: %s", name,
                        d->taken, p.why);
        default: break;
        }
        if (p.produced > 0) {
            int rc = emit(d, p.out, p.produced, s, scan, err);
            if (rc != 0)
                return rc;
        }
        if (step == STEP_TRUNCATED)
            return fail(d, err,
                        "truncated %s data: the input ends inside a compressed stream, after "
                        "%llu compressed bytes",
                        name, d->taken);
        if (step == STEP_END)
            return 0;
        /* Done with this input once all of it is taken and the output did not fill up (a full
         * buffer may leave more text to come out). */
        if (!finishing && len == 0 && p.produced < OUT_SIZE)
            return 0;
        /* Every library makes progress or says why not within two steps (liblzma reports
         * LZMA_BUF_ERROR on the second); one that did not would loop forever. */
        idle = p.taken == 0 && p.produced == 0 ? idle + 1 : 0;
        if (idle > 2)
            return fail(d, err, "corrupt %s data at compressed byte %llu: the decoder is stuck",
                        name, d->taken);
    }
}

/* Starts decoding `f`, found at the start of the input. */
static int start_format(struct smtpc_decoder *d, const struct format *f, smtpc_error *err)
{
    d->format = f;
    d->compression = f->compression;
    if (f->start == NULL)
        return fail(d, err, "%s-compressed input, but this smtpcodes was built without %s",
                    name_of(f->compression), f->library);
    if (d->out == NULL)
        d->out = malloc(OUT_SIZE);
    if (d->out == NULL || f->start(d) != 0)
        return fail_nomem(d, err);
    d->started = 1;
    return 0;
}

/* Takes input whose format is known. */
static int take(struct smtpc_decoder *d, const unsigned char *data, size_t len, smtpc_scanner *s,
                smtpc_text_scan scan, smtpc_error *err)
{
    if (d->format == NULL)
        return emit(d, (const char *)data, len, s, scan, err);
    return len > 0 ? decode(d, data, len, 0, s, scan, err) : 0;
}

/* Ends detection: the format is `f` (NULL for text), and the bytes held go to it. */
static int detected(struct smtpc_decoder *d, const struct format *f, smtpc_scanner *s,
                    smtpc_text_scan scan, smtpc_error *err)
{
    d->detecting = 0;
    d->compression = SMTPC_COMPRESSION_NONE;
    if (f != NULL) {
        int rc = start_format(d, f, err);
        if (rc != 0)
            return rc;
    }
    return take(d, d->magic, d->n_magic, s, scan, err);
}

struct smtpc_decoder *smtpc_decoder_new(void)
{
    struct smtpc_decoder *d = calloc(1, sizeof *d);
    if (d != NULL)
        d->detecting = 1;
    return d;
}

/* Ends the input: the next byte starts a new one. The format stays known. */
static void reset(struct smtpc_decoder *d)
{
    if (d->started)
        d->format->end(d);
    d->started = 0;
    d->format = NULL;
    d->detecting = 1;
    d->n_magic = 0;
    d->judged = 0;
    d->n_head = 0;
    d->taken = 0;
    d->in_stream = 0;
    d->ended = 0;
    d->failed = 0;
}

void smtpc_decoder_free(struct smtpc_decoder *d)
{
    if (d == NULL)
        return;
    reset(d);
    free(d->out);
    free(d);
}

int smtpc_decoder_feed(struct smtpc_decoder *d, const char *data, size_t len, smtpc_scanner *s,
                       smtpc_text_scan scan, smtpc_error *err)
{
    if (d->failed)
        return fail_again(d, err);
    const unsigned char *in = (const unsigned char *)data;
    /* The magic number may come a byte at a time: the first bytes are held until it is known
     * whether they begin one. */
    while (d->detecting && len > 0) {
        d->magic[d->n_magic++] = *in++;
        len--;
        int maybe;
        const struct format *f = format_of(d->magic, d->n_magic, &maybe);
        if (f != NULL || !maybe) {
            int rc = detected(d, f, s, scan, err);
            if (rc != 0)
                return rc;
        }
    }
    return take(d, in, len, s, scan, err);
}

int smtpc_decoder_finish(struct smtpc_decoder *d, smtpc_scanner *s, smtpc_text_scan scan,
                         smtpc_error *err)
{
    int rc = 0;
    if (d->failed)
        rc = fail_again(d, err);
    /* A few bytes that begin a magic number, and no more, are text. */
    else if (d->detecting && d->n_magic > 0)
        rc = detected(d, NULL, s, scan, err);
    if (rc == 0 && d->format != NULL)
        rc = decode(d, (const unsigned char *)"", 0, 1, s, scan, err); /* no input, not NULL */
    if (rc == 0 && !d->judged && d->n_head > 0)
        rc = judge(d, err);
    reset(d);
    return rc;
}

int smtpc_decoder_holds_input(const struct smtpc_decoder *d)
{
    return d->detecting && d->n_magic > 0;
}

enum smtpc_compression smtpc_decoder_compression(const struct smtpc_decoder *d)
{
    return d->compression;
}
