/*
 * render_bounces.c - the records read from bounces (smtpc_bounce_parse()) as text, Markdown,
 * HTML (one block per record) and JSON (the schema's "bounce": an array of records).
 */
#include "render.h"

#include <stdio.h>
#include <string.h>

/* What one render call draws: parsed messages and the names of their files. */
struct bounce_list {
    const smtpc_bounce *const *bounces;
    const char *const *files; /* NULL, or entries NULL, when not known */
    size_t n;
    const smtpc_db *db;                /* whose words the pages say */
    const struct smtpc_language *lang; /* of the pages' words */
};

static const char *file_of(const struct bounce_list *list, size_t i)
{
    return list->files != NULL ? list->files[i] : NULL;
}

/* ---- JSON ---- */

/* `"key":"value"`, or `"key":null` for "": a fact the message does not give. */
static void json_string_or_null(struct smtpc_buf *b, const char *key, const char *value)
{
    if (value[0] == '\0') {
        smtpc_json_key(b, key, 0);
        smtpc_buf_puts(b, "null");
    } else {
        smtpc_json_field(b, key, value, 0);
    }
}

static void json_record(struct smtpc_buf *b, const smtpc_bounce_record *rec, const char *file)
{
    smtpc_buf_putc(b, '{');
    if (file != NULL) {
        struct smtpc_buf name;
        smtpc_buf_init(&name);
        smtpc_put_untrusted(&name, file, strlen(file));
        smtpc_json_field(b, "file", name.data != NULL ? name.data : "", 1);
        b->failed |= name.failed;
        smtpc_buf_free(&name);
    }
    smtpc_json_field(b, "kind", smtpc_enum_name(SMTPC_ENUM_BOUNCE_KIND, rec->kind), file == NULL);
    smtpc_json_field(b, "recipient", rec->recipient, 0);
    smtpc_json_field(b, "original_recipient", rec->original_recipient, 0);
    smtpc_json_key(b, "code", 0);
    if (rec->code != 0)
        smtpc_buf_printf(b, "%d", rec->code);
    else
        smtpc_buf_puts(b, "null");
    json_string_or_null(b, "enhanced", rec->enhanced);
    json_string_or_null(b, "action", smtpc_enum_name(SMTPC_ENUM_DSN_ACTION, rec->action));
    smtpc_json_field(b, "reason", rec->reason.name, 0);
    smtpc_json_key(b, "hard", 0);
    smtpc_buf_puts(b, rec->reason.hard > 0 ? "true" : rec->reason.hard == 0 ? "false" : "null");
    smtpc_json_field(b, "rule", rec->reason.rule, 0);
    /* the evidence is `evidence_len` bytes of the text it was found in, shown as valid UTF-8
     * whatever the cut */
    struct smtpc_buf evidence;
    smtpc_buf_init(&evidence);
    smtpc_put_untrusted(&evidence, rec->reason.evidence, rec->reason.evidence_len);
    smtpc_json_field(b, "evidence", evidence.data != NULL ? evidence.data : "", 0);
    b->failed |= evidence.failed;
    smtpc_buf_free(&evidence);
    const struct {
        const char *key;
        const char *value;
    } texts[] = {
        {"diagnostic", rec->diagnostic},
        {"diagnostic_type", rec->diagnostic_type},
        {"command", rec->command},
        {"remote_mta", rec->remote_mta},
        {"reporting_mta", rec->reporting_mta},
        {"arrival_date", rec->arrival_date},
        {"last_attempt_date", rec->last_attempt_date},
        {"will_retry_until", rec->will_retry_until},
        {"queue_id", rec->queue_id},
        {"message_id", rec->message_id},
        {"original_date", rec->original_date},
        {"return_path", rec->return_path},
        {"subject", rec->subject},
        {"feedback_type", rec->feedback_type},
        {"format", rec->format},
        {"provider", rec->provider},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        smtpc_json_field(b, texts[i].key, texts[i].value, 0);
    smtpc_buf_putc(b, '}');
}

static void json_bounces(struct smtpc_buf *b, const void *subject)
{
    const struct bounce_list *list = subject;
    int first = 1;
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < list->n; i++) {
        for (size_t k = 0; k < smtpc_bounce_count(list->bounces[i]); k++) {
            smtpc_buf_puts(b, first ? "" : ",");
            json_record(b, smtpc_bounce_record_at(list->bounces[i], k), file_of(list, i));
            first = 0;
        }
    }
    smtpc_buf_puts(b, "]\n");
}

/* ---- text, Markdown, HTML ---- */

/* "userunknown, a hard failure": the reason and what kind of failure it is. */
static void put_reason(struct smtpc_buf *b, struct smtpc_words *w, const smtpc_reason *reason)
{
    static const int kinds[] = {SMTPC_T_BOUNCE_REASON_NONE, SMTPC_T_BOUNCE_REASON_SOFT,
                                SMTPC_T_BOUNCE_REASON_HARD};
    const struct smtpc_arg arg = {"reason", reason->name};
    smtpc_put_template(b, w, kinds[reason->hard < 0 ? 0 : reason->hard == 0 ? 1 : 2], &arg, 1);
}

/* "pattern: mailbox is full": the rule that decided and the text it matched. */
static void put_decision(struct smtpc_buf *b, const smtpc_reason *reason)
{
    smtpc_buf_puts(b, reason->rule);
    if (reason->evidence_len > 0) {
        smtpc_buf_puts(b, ": ");
        smtpc_put_untrusted(b, reason->evidence, reason->evidence_len);
    }
}

/* The facts of a record that the message gives, each after its name. */
static void record_facts(struct page *p, struct smtpc_words *w, const smtpc_bounce_record *rec)
{
    const struct {
        int name; /* a template */
        const char *value;
    } facts[] = {
        {SMTPC_T_BOUNCE_ORIGINAL_RECIPIENT, rec->original_recipient},
        {SMTPC_T_BOUNCE_IN_REPLY_TO, rec->command},
        {SMTPC_T_BOUNCE_REMOTE_MTA, rec->remote_mta},
        {SMTPC_T_BOUNCE_REPORTING_MTA, rec->reporting_mta},
        {SMTPC_T_BOUNCE_ARRIVAL_DATE, rec->arrival_date},
        {SMTPC_T_BOUNCE_LAST_ATTEMPT, rec->last_attempt_date},
        {SMTPC_T_BOUNCE_RETRIED_UNTIL, rec->will_retry_until},
        {SMTPC_T_BOUNCE_QUEUE_ID, rec->queue_id},
        {SMTPC_T_BOUNCE_MESSAGE_ID, rec->message_id},
        {SMTPC_T_BOUNCE_SENT, rec->original_date},
        {SMTPC_T_BOUNCE_RETURN_PATH, rec->return_path},
        {SMTPC_T_BOUNCE_SUBJECT, rec->subject},
        {SMTPC_T_BOUNCE_FEEDBACK_TYPE, rec->feedback_type},
        {SMTPC_T_BOUNCE_FORMAT, rec->format},
        {SMTPC_T_BOUNCE_PROVIDER, rec->provider},
    };
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
        if (facts[i].value[0] != '\0')
            smtpc_block_fact_in(p, w, facts[i].name, facts[i].value);
    }
}

static void layout_record(struct page *p, struct smtpc_words *w, const smtpc_bounce_record *rec,
                          const char *file)
{
    if (rec->recipient[0] != '\0')
        smtpc_block_heading(p, rec->recipient, 2);
    else
        smtpc_block_heading_in(p, w, SMTPC_T_BOUNCE_NO_RECIPIENT, 2);
    smtpc_block_facts_begin(p);
    struct smtpc_buf value;
    if (file != NULL) {
        smtpc_buf_init(&value);
        smtpc_put_untrusted(&value, file, strlen(file));
        smtpc_block_fact_built_in(p, w, SMTPC_T_BOUNCE_FILE, &value);
    }
    smtpc_block_fact_in(p, w, SMTPC_T_BOUNCE_KIND,
                        smtpc_enum_name(SMTPC_ENUM_BOUNCE_KIND, rec->kind));
    if (rec->action != SMTPC_DSN_NONE)
        smtpc_block_fact_in(p, w, SMTPC_T_BOUNCE_ACTION,
                            smtpc_enum_name(SMTPC_ENUM_DSN_ACTION, rec->action));
    smtpc_buf_init(&value);
    if (rec->code != 0)
        smtpc_buf_printf(&value, "%d", rec->code);
    smtpc_block_fact_built_in(p, w, SMTPC_T_BOUNCE_REPLY_CODE, &value);
    if (rec->enhanced[0] != '\0')
        smtpc_block_fact_in(p, w, SMTPC_T_BOUNCE_ENHANCED_CODE, rec->enhanced);
    smtpc_buf_init(&value);
    w->fell_back = 0;
    put_reason(&value, w, &rec->reason);
    smtpc_block_fact_built_in(p, w, SMTPC_T_BOUNCE_REASON, &value);
    smtpc_buf_init(&value);
    put_decision(&value, &rec->reason);
    smtpc_block_fact_built_in(p, w, SMTPC_T_BOUNCE_DECIDED_BY, &value);
    if (rec->diagnostic[0] != '\0') {
        smtpc_buf_init(&value);
        smtpc_buf_printf(&value, "%s%s%s", rec->diagnostic_type,
                         rec->diagnostic_type[0] != '\0' ? "; " : "", rec->diagnostic);
        smtpc_block_fact_built_in(p, w, SMTPC_T_BOUNCE_DIAGNOSTIC, &value);
    }
    record_facts(p, w, rec);
    smtpc_block_facts_end(p);
}

/* A message that gave no record says so, so that no input goes missing without a word. */
static void layout_no_record(struct page *p, struct smtpc_words *w, const char *file,
                             size_t index)
{
    struct smtpc_buf message, text;
    smtpc_buf_init(&message);
    smtpc_buf_init(&text);
    if (file != NULL) {
        smtpc_put_untrusted(&message, file, strlen(file));
    } else {
        char number[24];
        snprintf(number, sizeof number, "%zu", index + 1);
        const struct smtpc_arg arg = {"number", number};
        smtpc_put_template(&message, w, SMTPC_T_BOUNCE_MESSAGE, &arg, 1);
    }
    smtpc_buf_putc(&message, '\0');
    w->fell_back = 0;
    if (!message.failed) {
        const struct smtpc_arg arg = {"message", message.data};
        smtpc_put_template(&text, w, SMTPC_T_BOUNCE_NO_RECORD, &arg, 1);
    }
    smtpc_page_english(p, w->fell_back);
    if (!text.failed && !message.failed)
        smtpc_block_paragraph(p, text.data != NULL ? text.data : "");
    p->b->failed |= text.failed | message.failed;
    smtpc_buf_free(&message);
    smtpc_buf_free(&text);
}

static void layout_bounces(struct page *p, const void *subject)
{
    const struct bounce_list *list = subject;
    struct smtpc_words w;
    smtpc_words_init(&w, list->db, list->lang);
    smtpc_page_begin(p, "bounces");
    for (size_t i = 0; i < list->n; i++) {
        size_t n = smtpc_bounce_count(list->bounces[i]);
        for (size_t k = 0; k < n; k++)
            layout_record(p, &w, smtpc_bounce_record_at(list->bounces[i], k), file_of(list, i));
        if (n == 0)
            layout_no_record(p, &w, file_of(list, i), i);
    }
    smtpc_page_end(p);
}

int smtpc_render_bounces(char **out, size_t *out_len, const smtpc_bounce *const *bounces,
                         const char *const *files, size_t n, int format, smtpc_error *err)
{
    return smtpc_render_bounces_in(out, out_len, bounces, files, n, NULL, 0, format, err);
}

int smtpc_render_bounces_in(char **out, size_t *out_len, const smtpc_bounce *const *bounces,
                            const char *const *files, size_t n, const char *lang,
                            size_t lang_len, int format, smtpc_error *err)
{
    if (out == NULL || (bounces == NULL && n > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    for (size_t i = 0; i < n; i++) {
        if (bounces[i] == NULL)
            return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL bounce at index %zu", i);
    }
    /* the records are said in the words of the database they were read with (the first's) */
    const smtpc_db *db = n > 0 ? smtpc_bounce_db(bounces[0]) : smtpc_db_builtin();
    const struct smtpc_language *language = smtpc_language_require(db, lang, lang_len, err);
    if (language == NULL)
        return SMTPC_ELANG;
    struct bounce_list list = {bounces, files, n, db, language};
    struct drawing d = {json_bounces, layout_bounces, &list, language->tag,
                        language->direction};
    return smtpc_draw(out, out_len, &d, format, err);
}
