/*
 * scan_state.c - where the last scans of logs stopped, so that a nightly run reads only what
 * was written since (docs/logs.md, "Resuming"). An input is known by its first bytes of text:
 * appending to a log does not change them, and neither does renaming or compressing it, so a
 * log is found again after logrotate has turned mail.log into mail.log.1 and then into
 * mail.log.2.gz. The saved form:
 *
 *     smtpcodes-state 1
 *     input 9F3A0C11D2E4B677 1024 5123456
 *     end 1
 *
 * one "input HASH HEAD OFFSET" per input, least recently recorded first: the FNV-1a hash of
 * the first HEAD bytes of its text (in hex), and how many bytes of its text were read.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATE_MAGIC "smtpcodes-state 1"

struct state_input {
    uint64_t hash;             /* of the first `head` bytes of its text */
    size_t head;               /* 1 to SMTPC_SCAN_STATE_HEAD */
    unsigned long long offset; /* the bytes of its text read, up to a line end */
};

struct smtpc_scan_state {
    struct state_input *inputs; /* least recently recorded first */
    size_t n, cap;
};

static uint64_t hash_head(const char *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
    return h;
}

/* Whether `input` is the input whose text starts with `head` (`len` bytes). */
static int is_input(const struct state_input *input, const char *head, size_t len)
{
    return input->head <= len && hash_head(head, input->head) == input->hash;
}

unsigned long long smtpc_scan_state_offset(const smtpc_scan_state *state, const char *head,
                                           size_t len)
{
    /* The longest head that matches is the surest; of equal heads, the last recorded. */
    const struct state_input *best = NULL;
    for (size_t i = 0; i < state->n; i++) {
        const struct state_input *input = &state->inputs[i];
        if (is_input(input, head, len) && (best == NULL || input->head >= best->head))
            best = input;
    }
    return best != NULL ? best->offset : 0;
}

static int add_input(smtpc_scan_state *state, struct state_input input)
{
    if (state->n == SMTPC_SCAN_STATE_MAX) {
        memmove(state->inputs, state->inputs + 1, (state->n - 1) * sizeof *state->inputs);
        state->n--;
    }
    if (state->n == state->cap) {
        void *inputs = smtpc_array_grow(state->inputs, &state->cap, sizeof *state->inputs, 8);
        if (inputs == NULL)
            return SMTPC_ENOMEM;
        state->inputs = inputs;
    }
    state->inputs[state->n++] = input;
    return 0;
}

int smtpc_scan_state_record(smtpc_scan_state *state, const smtpc_scanner *s, smtpc_error *err)
{
    const char *head;
    size_t len;
    unsigned long long read_to;
    if (state == NULL || s == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (!smtpc_scanner_input(s, &head, &len, &read_to))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "the scan is not finished: finish it before recording it");
    if (len == 0)
        return 0;
    /* what the state knew of this input (its head then, a prefix of its head now) goes */
    size_t kept = 0;
    for (size_t i = 0; i < state->n; i++) {
        if (!is_input(&state->inputs[i], head, len))
            state->inputs[kept++] = state->inputs[i];
    }
    state->n = kept;
    struct state_input input = {hash_head(head, len), len, read_to};
    if (add_input(state, input) != 0)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}

size_t smtpc_scan_state_count(const smtpc_scan_state *state)
{
    return state != NULL ? state->n : 0;
}

void smtpc_scan_state_free(smtpc_scan_state *state)
{
    if (state == NULL)
        return;
    free(state->inputs);
    free(state);
}

int smtpc_scan_state_save(char **out, size_t *out_len, const smtpc_scan_state *state,
                          smtpc_error *err)
{
    if (out == NULL || state == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    struct smtpc_buf b;
    smtpc_buf_init(&b);
    smtpc_buf_puts(&b, STATE_MAGIC "\n");
    for (size_t i = 0; i < state->n; i++)
        smtpc_buf_printf(&b, "input %016llX %zu %llu\n", (unsigned long long)state->inputs[i].hash,
                         state->inputs[i].head, state->inputs[i].offset);
    smtpc_buf_printf(&b, "end %zu\n", state->n);
    *out = smtpc_buf_take(&b, out_len);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}

/* ---- loading ---- */

/* Reads "input HASH HEAD OFFSET" (`line`, `len` bytes, without its "\n"); 0 or the column
 * of what is wrong. */
static size_t read_input(struct state_input *input, const char *line, size_t len)
{
    char text[128];
    if (len >= sizeof text)
        return 1;
    memcpy(text, line, len);
    text[len] = '\0';
    char hash[17];
    unsigned long long head;
    int used = 0;
    if (sscanf(text, "input %16[0-9A-F] %llu %llu%n", hash, &head, &input->offset, &used) != 3 ||
        (size_t)used != len || strlen(hash) != 16)
        return 1;
    if (head == 0 || head > SMTPC_SCAN_STATE_HEAD || input->offset < 1)
        return 1;
    input->hash = strtoull(hash, NULL, 16);
    input->head = (size_t)head;
    /* the form writes numbers one way only: no sign, no leading zero */
    for (size_t i = 6; i < len; i++) {
        if ((line[i] == '+' || line[i] == '-') ||
            (line[i] == '0' && line[i - 1] == ' ' && i + 1 < len && line[i + 1] != ' ' && i > 23))
            return i + 1;
    }
    return 0;
}

static int refuse(smtpc_error *err, unsigned long line, size_t column, const char *what)
{
    return smtpc_set_error(err, SMTPC_EDATA, "", line, column, "%s", what);
}

static int read_state(smtpc_scan_state *state, const char *text, size_t len, smtpc_error *err)
{
    unsigned long line_no = 0;
    for (size_t at = 0; at < len;) {
        line_no++;
        const char *nl = memchr(text + at, '\n', len - at);
        if (nl == NULL)
            return refuse(err, line_no, len - at + 1,
                          "the state is cut short: this line has "
                          "no line end");
        const char *line = text + at;
        size_t line_len = (size_t)(nl - line);
        at += line_len + 1;
        if (line_no == 1) {
            if (line_len != sizeof STATE_MAGIC - 1 || memcmp(line, STATE_MAGIC, line_len) != 0)
                return refuse(err, 1, 1,
                              "not a scan state: it starts with the line '" STATE_MAGIC "'");
            continue;
        }
        if (line_len > 4 && memcmp(line, "end ", 4) == 0) {
            char count[32];
            snprintf(count, sizeof count, "end %zu", state->n);
            if (strlen(count) != line_len || memcmp(count, line, line_len) != 0)
                return refuse(err, line_no, 5,
                              "the number of inputs read is not the one "
                              "'end' gives");
            return at == len ? 0 : refuse(err, line_no + 1, 1, "text after the 'end' line");
        }
        struct state_input input;
        size_t column = read_input(&input, line, line_len);
        if (column != 0)
            return refuse(err, line_no, column,
                          "'input', a hash of 16 upper-case hex digits, "
                          "a head of 1 to 1024 bytes and an offset "
                          "expected");
        if (state->n == SMTPC_SCAN_STATE_MAX)
            return refuse(err, line_no, 1, "more inputs than a state keeps");
        if (add_input(state, input) != 0)
            return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    }
    return refuse(err, line_no + 1, 1,
                  line_no == 0 ? "not a scan state: it is empty"
                               : "the state is cut short: the 'end' "
                                 "line expected");
}

int smtpc_scan_state_load(smtpc_scan_state **out, const char *text, size_t text_len,
                          smtpc_error *err)
{
    size_t len = text_len;
    if (out == NULL || (text == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    int rc = len > 0 ? read_state(*out, text, len, err) : 0;
    if (rc != 0) {
        smtpc_scan_state_free(*out);
        *out = NULL;
    }
    return rc;
}
