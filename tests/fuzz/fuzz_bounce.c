/*
 * fuzz_bounce.c - the bounce reader: any bytes, cut as an mbox, each message read into records
 * that must be well-formed (valid UTF-8 without control bytes, codes and commands that parse,
 * a kind and an action in range, one record for a feedback report or an automatic reply),
 * and rendered in one format.
 *
 * Input: byte 0 chooses the format (its value modulo 4), the rest is the mailbox.
 */
#include "fuzz_common.h"

#include <string.h>

static void check_text(const char *s, const char *what)
{
    FUZZ_CHECK(s != NULL, "%s is NULL", what);
    size_t len = strlen(s);
    FUZZ_CHECK(utf8_is_valid(s, len), "%s is not UTF-8: %s", what, s);
    for (size_t i = 0; i < len; i++)
        FUZZ_CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7F, "%s holds a control byte: %s",
                   what, s);
}

static void check_record(const smtpc_bounce_record *rec, int kind)
{
    const char *texts[] = {rec->recipient,         rec->original_recipient, rec->enhanced,
                           rec->diagnostic,        rec->diagnostic_type,    rec->command,
                           rec->remote_mta,        rec->reporting_mta,      rec->arrival_date,
                           rec->last_attempt_date, rec->will_retry_until,   rec->queue_id,
                           rec->message_id,        rec->original_date,      rec->return_path,
                           rec->subject,           rec->feedback_type,      rec->reason.name,
                           rec->reason.rule,       rec->format,             rec->provider};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        check_text(texts[i], "a record's text");
    FUZZ_CHECK(rec->kind == kind, "record kind %d in a message of kind %d", rec->kind, kind);
    FUZZ_CHECK(rec->recipient[0] != '\0' ||
                   (kind != SMTPC_BOUNCE_DSN && kind != SMTPC_BOUNCE_NONSTANDARD),
               "a record without recipient");
    FUZZ_CHECK(rec->format[0] != '\0', "a record without format");
    FUZZ_CHECK(rec->provider[0] == '\0' || smtpc_provider_find(NULL, rec->provider) != NULL,
               "provider '%s'", rec->provider);
    FUZZ_CHECK(rec->action >= SMTPC_DSN_NONE && rec->action <= SMTPC_DSN_EXPANDED, "action %d",
               rec->action);
    FUZZ_CHECK(rec->code == 0 || (rec->code >= 200 && rec->code <= 599), "code %d", rec->code);
    if (rec->enhanced[0] != '\0') {
        smtpc_code c;
        FUZZ_CHECK(smtpc_code_parse(&c, rec->enhanced, strlen(rec->enhanced), NULL) == 0 &&
                       c.kind == SMTPC_KIND_ENHANCED && c.klass != 0,
                   "enhanced '%s'", rec->enhanced);
    }
    if (rec->command[0] != '\0') {
        const char *name;
        FUZZ_CHECK(smtpc_command_parse(&name, rec->command, strlen(rec->command), NULL) == 0 &&
                       strcmp(name, rec->command) == 0,
                   "command '%s'", rec->command);
    }
    FUZZ_CHECK(rec->reason.name[0] != '\0', "a record without reason");
    FUZZ_CHECK(rec->reason.hard >= -1 && rec->reason.hard <= 1, "hard %d", rec->reason.hard);
    FUZZ_CHECK(rec->reason.evidence != NULL || rec->reason.evidence_len == 0, "evidence");
}

static smtpc_bounce *read_message(const char *msg, size_t len)
{
    smtpc_bounce *b = (smtpc_bounce *)1;
    smtpc_error err;
    fuzz_poison_error(&err);
    int rc = smtpc_bounce_parse(&b, NULL, msg, len, &err);
    if (rc != 0) {
        /* a short input can nest past SMTPC_BOUNCE_MAX_DEPTH; nothing else may fail */
        FUZZ_CHECK(rc == SMTPC_ELIMIT, "bounce_parse failed: %d %s", rc, err.text);
        FUZZ_CHECK(b == NULL, "a failed parse left a bounce");
        fuzz_check_error(rc, &err);
        return NULL;
    }
    int kind = smtpc_bounce_kind(b);
    size_t n = smtpc_bounce_count(b);
    FUZZ_CHECK(kind >= SMTPC_BOUNCE_DSN && kind <= SMTPC_BOUNCE_NONSTANDARD, "kind %d", kind);
    FUZZ_CHECK(kind != SMTPC_BOUNCE_UNRECOGNISED || n == 0, "records of an unrecognised message");
    FUZZ_CHECK(n == 1 || (kind != SMTPC_BOUNCE_FEEDBACK && kind != SMTPC_BOUNCE_AUTO_REPLY),
               "%zu records of kind %d", n, kind);
    for (size_t i = 0; i < n; i++)
        check_record(smtpc_bounce_record_at(b, i), kind);
    FUZZ_CHECK(smtpc_bounce_record_at(b, n) == NULL, "a record past the end");
    return b;
}

enum { MAX_MESSAGES = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int format = data[0] % 4;
    const char *box = (const char *)data + 1;
    size_t len = size - 1;
    smtpc_bounce *bounces[MAX_MESSAGES];
    size_t n = 0;
    size_t offset = 0, start, msg_len;
    for (size_t before = 0; smtpc_mbox_next(box, len, &offset, &start, &msg_len);
         before = offset) {
        /* each message lies after the one before, and each call moves on */
        FUZZ_CHECK(before <= start && start + msg_len <= offset && offset <= len &&
                       offset > before,
                   "message at %zu+%zu, offset %zu after %zu", start, msg_len, offset, before);
        smtpc_bounce *b = read_message(box + start, msg_len);
        if (b != NULL && n < MAX_MESSAGES)
            bounces[n++] = b;
        else
            smtpc_bounce_free(b);
    }
    FUZZ_CHECK(len == 0 || offset == len, "the box was not read to its end: %zu of %zu", offset,
               len);
    char *out = (char *)1;
    size_t out_len = 0;
    smtpc_error err;
    int rc = smtpc_render_bounces(&out, &out_len, (const smtpc_bounce *const *)bounces, NULL, n,
                                  format, &err);
    fuzz_check_rendered(rc, out, out_len, format, &err);
    FUZZ_CHECK(rc == 0, "render_bounces failed");
    smtpc_free(out);
    for (size_t i = 0; i < n; i++)
        smtpc_bounce_free(bounces[i]);
    return 0;
}
