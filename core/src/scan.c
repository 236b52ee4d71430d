/*
 * scan.c - counting the replies in mail logs and bounce messages, streamed: memory grows with
 * the number of distinct (code, enhanced code) pairs and groups, never with the input.
 *
 * Each line is read in turn. A line of a mail server that logs deliveries (logs/) is what its
 * reader says: a delivery attempt, counted once, or nothing to count. A line of an mbox or of
 * a message is part of a message, which the bounce reader reads whole when it ends (bounce.c):
 * each recipient of a bounce is an attempt. Any other line is searched for a reply
 * (smtpc_find_embedded_reply()), unless it is a message header field ("Subject: 550 reasons").
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    FIRST_TABLE_SIZE = 64,
    MESSAGE_MAX = 64 << 20 /* a message longer is skipped: SMTPC_BOUNCE_MAX_DECODED */
};

struct scan_row {
    smtpc_scan_row row;
    uint64_t key;
    char enhanced[SMTPC_CODE_TEXT_SIZE];
};

struct smtpc_scanner {
    const smtpc_db *db;
    unsigned long long lines, replies, skipped;
    struct scan_row *rows;
    size_t n_rows, cap_rows;
    size_t *table; /* open addressing: row index + 1, 0 for empty */
    size_t table_size;
    struct smtpc_buf carry;        /* the start of a line split across feeds */
    int skipping;                  /* the carried line went over the limit: drop it */
    struct smtpc_decoder *decoder; /* what the input is, and its text when compressed */
    int fed;                       /* settings are made before the first feed */
    struct smtpc_log_reader reader;
    struct smtpc_scan_groups groups;
    /* The message being read (an mbox's, or the input's when it starts with a header). */
    struct smtpc_buf message;
    int in_message;
    int message_too_long;
    int read_messages; /* a message was read: the input was not read line by line alone */
    /* Where the text of the input is, for resuming (scan_state.c). */
    struct smtpc_buf head;            /* the first SMTPC_SCAN_STATE_HEAD bytes of text */
    unsigned long long text_bytes;    /* of text so far */
    unsigned long long text_line_end; /* just after the last "\n" of the text */
    const smtpc_scan_state *resume;   /* the state to resume from, or NULL */
    int identified;                   /* the input has been looked up in `resume` */
    unsigned long long skip;          /* the bytes of text read before */
    int finished;
};

int smtpc_scanner_new(smtpc_scanner **out, const smtpc_db *db, smtpc_error *err)
{
    if (out == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = calloc(1, sizeof **out);
    if (*out != NULL && ((*out)->decoder = smtpc_decoder_new()) == NULL) {
        free(*out);
        *out = NULL;
    }
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    (*out)->db = db != NULL ? db : smtpc_db_builtin();
    smtpc_buf_init(&(*out)->carry);
    smtpc_buf_init(&(*out)->message);
    smtpc_buf_init(&(*out)->head);
    smtpc_log_reader_init(&(*out)->reader);
    smtpc_groups_init(&(*out)->groups);
    return 0;
}

void smtpc_scanner_free(smtpc_scanner *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_rows; i++)
        free((char *)s->rows[i].row.sample);
    free(s->rows);
    free(s->table);
    smtpc_buf_free(&s->carry);
    smtpc_buf_free(&s->message);
    smtpc_buf_free(&s->head);
    smtpc_groups_free(&s->groups);
    smtpc_decoder_free(s->decoder);
    free(s);
}

static uint64_t hash_key(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return key;
}

static int grow_table(smtpc_scanner *s)
{
    size_t size = s->table_size ? s->table_size * 2 : FIRST_TABLE_SIZE;
    size_t *table = calloc(size, sizeof *table);
    if (table == NULL)
        return 0;
    for (size_t i = 0; i < s->n_rows; i++) {
        size_t slot = (size_t)hash_key(s->rows[i].key) & (size_t)(size - 1);
        while (table[slot] != 0)
            slot = (slot + 1) & (size - 1);
        table[slot] = i + 1;
    }
    free(s->table);
    s->table = table;
    s->table_size = size;
    return 1;
}

/* A reply's identity: code, and enhanced class, subject and detail (all 0 without one). The
 * rows of attempts that got no reply (code 0) come after those of the replies. */
static uint64_t make_key(int code, const smtpc_code *enhanced)
{
    enum { NO_REPLY_LAST = 1000 };
    uint64_t key = (uint64_t)(code != 0 ? code : NO_REPLY_LAST) << 32;
    if (enhanced != NULL)
        key |= (uint64_t)enhanced->klass << 24 | (uint64_t)enhanced->category << 12 |
               (uint64_t)enhanced->detail;
    return key;
}

/* Each public row points at the enhanced code kept beside it; moving the rows moves that. */
static void point_rows_at_their_codes(smtpc_scanner *s)
{
    for (size_t i = 0; i < s->n_rows; i++)
        s->rows[i].row.enhanced = s->rows[i].enhanced;
}

/* Where `needle` first occurs in `len` bytes at `p`, or NULL. */
static const char *find_in(const char *p, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *at = p; at != NULL && (size_t)(p + len - at) >= n;
         at = memchr(at + 1, needle[0], (size_t)(p + len - at) - 1)) {
        if (memcmp(at, needle, n) == 0)
            return at;
    }
    return NULL;
}

/* The command a Postfix log line names with "(in reply to RCPT TO command)" in `len` bytes at
 * `p`, or NULL. */
static const char *command_named_in(const char *p, size_t len)
{
    static const char prefix[] = "(in reply to ";
    const char *what = len > 0 ? find_in(p, len, prefix) : NULL;
    if (what == NULL)
        return NULL;
    what += sizeof prefix - 1;
    const char *end = find_in(what, (size_t)(p + len - what), " command)");
    const char *name = NULL;
    if (end == NULL || smtpc_command_parse(&name, what, (size_t)(end - what), NULL) != 0)
        return NULL;
    return name;
}

/* A reply to count on the row of its pair, and what the row shows of it when its line becomes
 * the row's sample. */
struct reply_seen {
    int code;             /* 0 for an attempt that got no reply */
    const char *enhanced; /* as written, `enhanced_len` bytes (0 for none) */
    size_t enhanced_len;
    const char *line; /* the line it is on, `line_len` bytes */
    size_t line_len;
    const char *text;              /* where the reply's text starts in the line */
    const smtpc_verdict *verdict;  /* decided already, or NULL */
    const struct attempt *attempt; /* when not decided: the attempt whose verdict it is, or
                                      NULL for a reply found in a line, decided from the line */
};

/* What decides the verdict on a delivery attempt, decided only when it is needed: when its
 * line becomes a row's sample, or for the groups by reason. */
struct attempt {
    int outcome;                         /* enum smtpc_scan_outcome */
    int code;                            /* 0 without a reply */
    char enhanced[SMTPC_CODE_TEXT_SIZE]; /* the reply's, else the MTA's status; "" for none */
    const char *text;                    /* the reply's text after its code, or the MTA's words */
    size_t text_len;
    struct smtpc_log_span relay; /* whose provider's meanings decide first */
};

static int decide_attempt(smtpc_verdict *v, const smtpc_db *db, const struct attempt *a);

/* A row's reason: that of a failure, a reply of class 4 or 5 or an attempt without a reply
 * that was not delivered ("undefined" when nothing decided one), and none for anything else,
 * whatever a line that contradicts itself (a delivery with a 4xx reply) gave. */
static const char *reason_of_row(int code, int action, const char *reason)
{
    int failure = code >= 400 || (code == 0 && action != SMTPC_ACTION_DONE);
    if (!failure)
        return "";
    return reason != NULL && reason[0] != '\0' ? reason : "undefined";
}

/* Reads what a row shows of the line of `seen` into `r`: its first SMTPC_SCAN_SAMPLE_MAX bytes
 * as the sample, the enhanced code as written with its closest entry, and the verdict on the
 * reply. */
static int read_line(struct scan_row *r, const smtpc_db *db, const struct reply_seen *seen)
{
    size_t keep = seen->line_len < SMTPC_SCAN_SAMPLE_MAX ? seen->line_len : SMTPC_SCAN_SAMPLE_MAX;
    char *sample = malloc(keep + 1);
    if (sample == NULL)
        return SMTPC_ENOMEM;
    memcpy(sample, seen->line, keep);
    sample[keep] = '\0';
    memset(r->enhanced, 0, sizeof r->enhanced);
    if (seen->enhanced_len > 0)
        memcpy(r->enhanced, seen->enhanced, seen->enhanced_len);
    r->row.enhanced = r->enhanced;
    r->row.sample = sample;
    r->row.sample_len = keep;
    r->row.enhanced_entry = NULL;
    if (seen->enhanced_len > 0)
        smtpc_lookup_closest(&r->row.enhanced_entry, NULL, db, seen->enhanced, seen->enhanced_len,
                             NULL);
    smtpc_verdict v;
    if (seen->verdict != NULL) {
        v = *seen->verdict;
    } else if (seen->attempt != NULL) {
        if (decide_attempt(&v, db, seen->attempt) != 0) {
            free(sample);
            return SMTPC_ENOMEM;
        }
    } else if (smtpc_classify_decide(
                   &v, db, NULL, seen->code, r->enhanced, command_named_in(sample, keep),
                   seen->text, (size_t)(seen->line + seen->line_len - seen->text), NULL) != 0) {
        /* The command decides a 552 (RFC 5321 section 4.5.3.1.10) and some reasons; Postfix
         * names it. The reason is that of the line's reply, whose text starts at `text` (with
         * the enhanced code, if any) and runs to the end of the line, which the sample may
         * cut. */
        free(sample);
        return SMTPC_ENOMEM;
    }
    r->row.action = v.action;
    r->row.reason = reason_of_row(seen->code, v.action, v.reason);
    return 0;
}

static struct scan_row *new_row(smtpc_scanner *s, uint64_t key, const struct reply_seen *seen)
{
    if (s->n_rows == s->cap_rows) {
        struct scan_row *rows = smtpc_array_grow(s->rows, &s->cap_rows, sizeof *rows, 32);
        if (rows == NULL)
            return NULL;
        s->rows = rows;
        point_rows_at_their_codes(s);
    }
    struct scan_row *r = &s->rows[s->n_rows];
    memset(r, 0, sizeof *r);
    if (read_line(r, s->db, seen) != 0)
        return NULL;
    r->key = key;
    r->row.code = seen->code;
    if (seen->code != 0)
        smtpc_lookup_number(&r->row.entry, s->db, seen->code, NULL);
    s->n_rows++;
    return r;
}

/*
 * A row is counted on many lines and shows one of them: its sample, with the verdict on that
 * line's reply. It shows the least of its lines in the order below, whichever order they come
 * in, so that the summaries of the parts of a log, merged in any order, are the summary of the
 * whole log row for row (smtpc_scanner_merge()). The first line seen would depend on which
 * part came first.
 *
 * The order: the kept bytes (the first SMTPC_SCAN_SAMPLE_MAX) in byte order, a prefix first.
 * That decides between any two lines unless they have the same kept bytes, and costs one
 * memcmp() per reply, which for log lines mostly stops within the timestamp. Lines that differ
 * only past the kept bytes are ordered by what else a row shows of them: the action, then the
 * reason. (The enhanced code is the same on all of a row's lines: it is half of its pair.)
 */
static int line_order(const smtpc_scan_row *a, const smtpc_scan_row *b)
{
    int order = smtpc_sample_order(a->sample, a->sample_len, b->sample, b->sample_len);
    if (order == 0)
        order = (a->action > b->action) - (a->action < b->action);
    if (order == 0)
        order = strcmp(a->reason, b->reason);
    return order;
}

/* Makes row `r` show the line of `other` (a row of the same pair), whose sample `sample` it
 * takes over. */
static void show_line_of(struct scan_row *r, const struct scan_row *other, char *sample)
{
    free((char *)r->row.sample);
    r->row.sample = sample;
    r->row.sample_len = other->row.sample_len;
    r->row.action = other->row.action;
    r->row.reason = other->row.reason;
}

/* Makes row `r` show the line of `seen`, just counted on it, when that comes first (see
 * line_order()). */
static int show_least_line(smtpc_scanner *s, struct scan_row *r, const struct reply_seen *seen)
{
    int order = smtpc_sample_order(seen->line, seen->line_len, r->row.sample, r->row.sample_len);
    /* A line after the sample, or the sample's own line: one shorter than
     * SMTPC_SCAN_SAMPLE_MAX with the same bytes is the same line. */
    if (order > 0 || (order == 0 && seen->line_len < SMTPC_SCAN_SAMPLE_MAX))
        return 0;
    struct scan_row candidate;
    int rc = read_line(&candidate, s->db, seen);
    if (rc != 0)
        return rc;
    if (order == 0 && line_order(&candidate.row, &r->row) >= 0)
        free((char *)candidate.row.sample);
    else
        show_line_of(r, &candidate, (char *)candidate.row.sample);
    return 0;
}

/* Counts one reply, adding a row the first time its (code, enhanced code) is seen. */
static int count_reply(smtpc_scanner *s, struct reply_seen *seen)
{
    smtpc_code parsed;
    if (seen->enhanced_len > 0 &&
        smtpc_code_parse(&parsed, seen->enhanced, seen->enhanced_len, NULL) != 0)
        seen->enhanced_len = 0;
    uint64_t key = make_key(seen->code, seen->enhanced_len > 0 ? &parsed : NULL);
    s->replies++;
    if (s->n_rows * 2 >= s->table_size && !grow_table(s))
        return SMTPC_ENOMEM;
    size_t slot = (size_t)hash_key(key) & (s->table_size - 1);
    while (s->table[slot] != 0) {
        struct scan_row *r = &s->rows[s->table[slot] - 1];
        if (r->key == key) {
            r->row.count++;
            return show_least_line(s, r, seen);
        }
        slot = (slot + 1) & (s->table_size - 1);
    }
    struct scan_row *r = new_row(s, key, seen);
    if (r == NULL)
        return SMTPC_ENOMEM;
    r->row.count = 1;
    s->table[slot] = s->n_rows;
    return 0;
}

/* Counts the reply that starts at `at` of `line` (`len` bytes, without its line end). */
static int take_reply(smtpc_scanner *s, const char *line, size_t len, size_t at)
{
    int code = (line[at] - '0') * 100 + (line[at + 1] - '0') * 10 + (line[at + 2] - '0');
    size_t text = at + 4 <= len ? at + 4 : len;
    struct reply_seen seen = {code, line + text, smtpc_enhanced_prefix(line + text, len - text),
                              line, len,         line + text,
                              NULL, NULL};
    return count_reply(s, &seen);
}

/* ---- delivery attempts ---- */

/* The outcome of an attempt whose line says what became of it. */
static int outcome_of(enum smtpc_log_outcome outcome)
{
    switch (outcome) {
    case SMTPC_LOG_DELIVERED: return SMTPC_SCAN_DELIVERED;
    case SMTPC_LOG_DEFERRED: return SMTPC_SCAN_DEFERRED;
    case SMTPC_LOG_BOUNCED: return SMTPC_SCAN_BOUNCED;
    case SMTPC_LOG_REJECTED: return SMTPC_SCAN_REJECTED;
    default: return -1;
    }
}

/* The verdict on an attempt that got no reply: what its outcome says to do, and the reason its
 * MTA's words (`text`) and stated status give. The class comes from the status, else from the
 * outcome, so that "Connection timed out" on a deferral is read as a transient failure. */
static int decide_without_reply(smtpc_verdict *v, const smtpc_db *db,
                                const smtpc_provider *provider, int outcome, const char *enhanced,
                                size_t enhanced_len, const char *text, size_t text_len)
{
    memset(v, 0, sizeof *v);
    v->action = outcome == SMTPC_SCAN_DELIVERED  ? SMTPC_ACTION_DONE
                : outcome == SMTPC_SCAN_DEFERRED ? SMTPC_ACTION_RETRY
                                                 : SMTPC_ACTION_GIVE_UP;
    v->reason = "";
    if (outcome == SMTPC_SCAN_DELIVERED)
        return 0;
    smtpc_code enh;
    if (enhanced_len == 0 || smtpc_code_parse(&enh, enhanced, enhanced_len, NULL) != 0) {
        enh = (smtpc_code){SMTPC_KIND_ENHANCED, outcome == SMTPC_SCAN_DEFERRED ? 4 : 5, 0, 0, 1};
        enhanced_len = 0;
    }
    smtpc_reason reason;
    int rc = smtpc_reason_of(&reason, db, provider, 0, &enh, enhanced, enhanced_len, NULL, text,
                             text_len, NULL);
    v->reason = reason.name;
    return rc;
}

/* The reply code at the start of `reply`, or 0. */
static int code_at(struct smtpc_log_span reply)
{
    if (!smtpc_reply_starts_at(reply.p, reply.len, 0))
        return 0;
    return (reply.p[0] - '0') * 100 + (reply.p[1] - '0') * 10 + (reply.p[2] - '0');
}

/* The provider whose server the relay is: "mx.example.com[203.0.113.25]:25" is looked up by
 * its name. */
static const smtpc_provider *provider_of_relay(const smtpc_db *db, struct smtpc_log_span relay)
{
    size_t host_len = 0;
    while (host_len < relay.len && relay.p[host_len] != '[' && relay.p[host_len] != ' ' &&
           relay.p[host_len] != ':' && relay.p[host_len] != '(')
        host_len++;
    return host_len > 0 ? smtpc_provider_of_host(db, relay.p, host_len) : NULL;
}

static int decide_attempt(smtpc_verdict *v, const smtpc_db *db, const struct attempt *a)
{
    const smtpc_provider *provider = provider_of_relay(db, a->relay);
    int rc = a->code != 0 ? smtpc_classify_decide(v, db, provider, a->code, a->enhanced,
                                                  command_named_in(a->text, a->text_len), a->text,
                                                  a->text_len, NULL)
                          : decide_without_reply(v, db, provider, a->outcome, a->enhanced,
                                                 strlen(a->enhanced), a->text, a->text_len);
    return rc != 0 ? SMTPC_ENOMEM : 0;
}

static int groups_by(const struct smtpc_scan_groups *g, int axis)
{
    for (size_t i = 0; i < g->n_axes; i++) {
        if (g->axes[i] == axis)
            return 1;
    }
    return 0;
}

/* Counts the attempt that a line of an MTA's log concludes: on the row of its reply (or of the
 * status its MTA states) and in its group. */
static int count_attempt(smtpc_scanner *s, const struct smtpc_log_event *e, int outcome,
                         const char *line, size_t len)
{
    /* the MTA's words, "" when it gives none */
    struct attempt a = {
        outcome,       code_at(e->reply), "", e->detail.p != NULL ? e->detail.p : "",
        e->detail.len, e->relay};
    struct reply_seen seen = {a.code, NULL, 0, line, len, NULL, NULL, &a};
    if (a.code != 0) {
        size_t after = e->reply.len >= 4 ? 4 : e->reply.len;
        a.text = e->reply.p + after;
        a.text_len = e->reply.len - after;
        seen.enhanced = a.text;
        seen.enhanced_len = smtpc_enhanced_prefix(a.text, a.text_len);
    }
    /* Without a reply, the MTA's own status stands in for its enhanced code. (A reply is
     * counted as it was sent: Postfix's status for "552 Too many recipients" is 4.5.3, but the
     * reply, a 552 to RCPT, is what RFC 5321 section 4.5.3.1.10 speaks of.) */
    if (a.code == 0 && e->status.len > 0 &&
        smtpc_enhanced_prefix(e->status.p, e->status.len) == e->status.len) {
        seen.enhanced = e->status.p;
        seen.enhanced_len = e->status.len;
    }
    if (seen.enhanced_len > 0 && seen.enhanced_len < sizeof a.enhanced)
        memcpy(a.enhanced, seen.enhanced, seen.enhanced_len);
    seen.text = a.text;
    smtpc_verdict v = {0};
    v.reason = "";
    if (groups_by(&s->groups, SMTPC_SCAN_BY_REASON)) {
        if (decide_attempt(&v, s->db, &a) != 0)
            return SMTPC_ENOMEM;
        seen.verdict = &v;
    }
    int rc = count_reply(s, &seen);
    if (rc != 0)
        return rc;
    struct smtpc_scan_attempt counted = {outcome,    e->mta,      e->recipient, e->sender,
                                         e->relay,   e->queue_id, e->time,      a.code,
                                         a.enhanced, v.reason,    line,         len};
    return smtpc_groups_count(&s->groups, &counted);
}

/* What a line of an MTA's log says: an attempt, a queued message's sender or its end. */
static int take_event(smtpc_scanner *s, const struct smtpc_log_event *e, const char *line,
                      size_t len)
{
    int outcome = outcome_of(e->outcome);
    if (outcome >= 0)
        return count_attempt(s, e, outcome, line, len);
    /* the senders of queued messages are kept only for the groups by the sender's domain */
    if (!groups_by(&s->groups, SMTPC_SCAN_BY_SENDER_DOMAIN))
        return 0;
    if (e->outcome == SMTPC_LOG_SENDER &&
        smtpc_groups_remember_sender(&s->groups, e->queue_id, e->sender) != 0)
        return SMTPC_ENOMEM;
    if (e->outcome == SMTPC_LOG_REMOVED)
        smtpc_groups_forget_sender(&s->groups, e->queue_id);
    return 0;
}

/* ---- messages: an mbox, or a message by itself ---- */

/* The outcome of a bounce's recipient (RFC 3464 section 2.3.3), or -1 for a report that is no
 * delivery attempt (a feedback report, an automatic reply). */
static int outcome_of_record(const smtpc_bounce_record *rec)
{
    if (rec->kind == SMTPC_BOUNCE_FEEDBACK || rec->kind == SMTPC_BOUNCE_AUTO_REPLY)
        return -1;
    switch (rec->action) {
    case SMTPC_DSN_DELAYED: return SMTPC_SCAN_DEFERRED;
    case SMTPC_DSN_DELIVERED:
    case SMTPC_DSN_RELAYED:
    case SMTPC_DSN_EXPANDED: return SMTPC_SCAN_DELIVERED;
    default: return SMTPC_SCAN_BOUNCED;
    }
}

static struct smtpc_log_span span_of(const char *text)
{
    return (struct smtpc_log_span){text, strlen(text)};
}

/* Counts a recipient of a bounce: its sample is its diagnostic, else its status. */
static int count_record(smtpc_scanner *s, const smtpc_bounce_record *rec)
{
    int outcome = outcome_of_record(rec);
    if (outcome < 0)
        return 0;
    const char *sample = rec->diagnostic[0] != '\0' ? rec->diagnostic : rec->enhanced;
    smtpc_verdict v = {0};
    v.action = outcome == SMTPC_SCAN_DELIVERED  ? SMTPC_ACTION_DONE
               : outcome == SMTPC_SCAN_DEFERRED ? SMTPC_ACTION_RETRY
                                                : SMTPC_ACTION_GIVE_UP;
    v.reason = outcome == SMTPC_SCAN_DELIVERED ? "" : rec->reason.name;
    struct reply_seen seen = {
        rec->code, rec->enhanced, strlen(rec->enhanced), sample, strlen(sample), sample, &v, NULL};
    int rc = count_reply(s, &seen);
    if (rc != 0)
        return rc;
    char enhanced[SMTPC_CODE_TEXT_SIZE] = "";
    if (seen.enhanced_len < sizeof enhanced)
        memcpy(enhanced, rec->enhanced, seen.enhanced_len);
    struct smtpc_scan_attempt a = {outcome,
                                   "",
                                   span_of(rec->recipient),
                                   span_of(rec->return_path),
                                   span_of(rec->remote_mta),
                                   span_of(rec->queue_id),
                                   (struct smtpc_log_span){NULL, 0},
                                   rec->code,
                                   enhanced,
                                   v.reason,
                                   sample,
                                   strlen(sample)};
    if (rec->return_path[0] == '\0')
        a.sender.p = NULL; /* not named: the queue ID may say */
    return smtpc_groups_count(&s->groups, &a);
}

static int is_header_field(const char *line, size_t len);

/* The replies in the lines of a message that the bounce reader does not recognise (a
 * notification in words no reader knows): each (code, enhanced code) pair once, as a
 * notification quotes the same reply in its text and again in a Diagnostic-Code. */
static int scan_unread_message(smtpc_scanner *s)
{
    enum { PAIRS_MAX = 64 };
    uint64_t seen[PAIRS_MAX];
    size_t n_seen = 0;
    const char *p = s->message.data;
    size_t len = s->message.len; /* every line ends in "\n" */
    for (size_t at = 0; at < len;) {
        const char *line = p + at;
        size_t line_len = (size_t)((const char *)memchr(line, '\n', len - at) - line);
        at += line_len + 1;
        size_t reply =
            is_header_field(line, line_len) ? line_len : smtpc_find_embedded_reply(line, line_len);
        if (reply == line_len)
            continue;
        int code =
            (line[reply] - '0') * 100 + (line[reply + 1] - '0') * 10 + (line[reply + 2] - '0');
        size_t text = reply + 4 <= line_len ? reply + 4 : line_len;
        uint64_t key =
            smtpc_scan_key(code, line + text, smtpc_enhanced_prefix(line + text, line_len - text));
        size_t i = 0;
        while (i < n_seen && seen[i] != key)
            i++;
        if (i < n_seen)
            continue;
        if (n_seen < PAIRS_MAX)
            seen[n_seen++] = key;
        int rc = take_reply(s, line, line_len, reply);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Reads the message gathered so far, and starts the next. A message the bounce reader refuses
 * (past its limits) is counted as skipped, as an over-long line is. */
static int end_message(smtpc_scanner *s)
{
    int rc = 0;
    s->read_messages |= s->in_message;
    if (s->in_message && s->message_too_long) {
        s->skipped++;
    } else if (s->in_message && s->message.len > 0) {
        smtpc_bounce *bounce;
        smtpc_error err;
        rc = smtpc_bounce_parse(&bounce, s->db, s->message.data, s->message.len, &err);
        if (rc == 0) {
            for (size_t i = 0; rc == 0 && i < smtpc_bounce_count(bounce); i++)
                rc = count_record(s, smtpc_bounce_record_at(bounce, i));
            if (rc == 0 && smtpc_bounce_kind(bounce) == SMTPC_BOUNCE_UNRECOGNISED)
                rc = scan_unread_message(s);
            smtpc_bounce_free(bounce);
        } else if (rc != SMTPC_ENOMEM) {
            s->skipped++;
            rc = 0;
        }
    }
    s->message.len = 0;
    s->message_too_long = 0;
    return rc;
}

/* An mbox's "From " line (RFC 4155): "From ", the envelope sender, and the date as asctime()
 * writes it, "From MAILER-DAEMON Sat Nov 23 10:10:00 2024". The date is required, so that a
 * line of a message's body ("From the team:") does not cut it; with it, a "From " line starts
 * a message even where no empty line comes before it, as when mboxes are concatenated. */
static int starts_mbox_message(const char *line, size_t len)
{
    static const char days[] = "MonTueWedThuFriSatSun";
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (len < 5 + 1 + 1 + 8 || memcmp(line, "From ", 5) != 0 || line[5] == ' ')
        return 0;
    const char *space = memchr(line + 5, ' ', len - 5);
    if (space == NULL)
        return 0;
    size_t at = (size_t)(space - line) + 1; /* the weekday */
    if (len - at < 8 || line[at + 3] != ' ' || line[at + 7] != ' ')
        return 0;
    int day = 0, month = 0;
    for (size_t i = 0; i + 3 <= sizeof days - 1; i += 3)
        day |= memcmp(line + at, days + i, 3) == 0;
    for (size_t i = 0; i + 3 <= sizeof months - 1; i += 3)
        month |= memcmp(line + at + 4, months + i, 3) == 0;
    return day && month;
}

static int is_header_field(const char *line, size_t len)
{
    static const char *const names[] = {"Date",
                                        "From",
                                        "Sender",
                                        "Reply-To",
                                        "To",
                                        "Cc",
                                        "Bcc",
                                        "Message-ID",
                                        "In-Reply-To",
                                        "References",
                                        "Subject",
                                        "Comments",
                                        "Keywords",
                                        "Return-Path",
                                        "Received",
                                        "Delivered-To",
                                        "MIME-Version",
                                        "Thread-Topic",
                                        "Thread-Index",
                                        "Importance",
                                        "Precedence",
                                        "Auto-Submitted",
                                        "DKIM-Signature",
                                        "Authentication-Results",
                                        "Received-SPF",
                                        "User-Agent",
                                        "Organization"};
    static const char *const prefixes[] = {"Content-", "X-", "List-", "Resent-", "ARC-"};
    size_t name = 0;
    while (name < len && line[name] != ':' && line[name] != ' ')
        name++;
    if (name == 0 || name == len || line[name] != ':')
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (smtpc_mime_is(line, name, names[i]))
            return 1;
    }
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (name > n && smtpc_mime_is(line, n, prefixes[i]))
            return 1;
    }
    return 0;
}

/* Adds a line to the message being read. */
static void gather_message_line(smtpc_scanner *s, const char *line, size_t len)
{
    if (s->message_too_long)
        return;
    if (s->message.len + len + 1 > MESSAGE_MAX) {
        s->message_too_long = 1;
        s->message.len = 0;
        return;
    }
    smtpc_buf_append(&s->message, line, len);
    smtpc_buf_putc(&s->message, '\n');
}

/* ---- lines ---- */

/* One line, without its "\n". */
static int scan_line(smtpc_scanner *s, const char *line, size_t len)
{
    s->lines++;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    int first = s->lines == 1;
    if (s->in_message) {
        if (!starts_mbox_message(line, len)) {
            gather_message_line(s, line, len);
            return s->message.failed ? SMTPC_ENOMEM : 0;
        }
        int rc = end_message(s);
        s->in_message = 1; /* the next message, without its "From " line */
        return rc;
    }
    struct smtpc_log_event event;
    if (smtpc_log_read_line(&s->reader, &event, line, len))
        return take_event(s, &event, line, len);
    if (starts_mbox_message(line, len)) {
        s->in_message = 1;
        return 0;
    }
    if (is_header_field(line, len)) {
        /* A message that starts the input is read whole; a header line elsewhere is none of a
         * server's replies. */
        if (first) {
            s->in_message = 1;
            gather_message_line(s, line, len);
        }
        return 0;
    }
    size_t at = smtpc_find_embedded_reply(line, len);
    return at == len ? 0 : take_reply(s, line, len, at);
}

/* Counts `n` bytes of whole lines at `p` (the last ends in "\n"); a line over
 * SMTPC_REPLY_HARD_LINE_LIMIT is skipped. */
static int scan_lines(smtpc_scanner *s, const char *p, size_t n)
{
    for (size_t at = 0; at < n;) {
        const char *nl = memchr(p + at, '\n', n - at);
        size_t len = (size_t)(nl - (p + at));
        int rc = 0;
        if (len > SMTPC_REPLY_HARD_LINE_LIMIT) {
            s->lines++;
            s->skipped++;
        } else {
            rc = scan_line(s, p + at, len);
        }
        if (rc != 0)
            return rc;
        at += len + 1;
    }
    return 0;
}

/* Adds the start of a line that the next feed will finish; refuses to hold more than a line. */
static void carry_over(smtpc_scanner *s, const char *data, size_t len)
{
    if (s->skipping)
        return;
    if (s->carry.len + len > SMTPC_REPLY_HARD_LINE_LIMIT) {
        s->skipping = 1;
        s->carry.len = 0;
        return;
    }
    smtpc_buf_append(&s->carry, data, len);
}

static int end_carried_line(smtpc_scanner *s)
{
    int rc = 0;
    if (s->skipping) {
        s->lines++;
        s->skipped++;
    } else {
        rc = scan_line(s, s->carry.data != NULL ? s->carry.data : "", s->carry.len);
    }
    s->skipping = 0;
    s->carry.len = 0;
    return rc;
}

/* Scans text, which the decoder hands on (decompress.c). */
static int scan_text(smtpc_scanner *s, const char *data, size_t len, smtpc_error *err)
{
    size_t at = 0;
    int rc = 0;
    if (s->carry.len > 0 || s->skipping) {
        const char *nl = memchr(data, '\n', len);
        size_t end = nl != NULL ? (size_t)(nl - data) : len;
        carry_over(s, data, end);
        if (nl == NULL)
            return s->carry.failed ? smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory")
                                   : 0;
        rc = end_carried_line(s);
        at = end + 1;
    }
    if (rc == 0 && at < len) {
        /* the whole lines, then the start of the next */
        size_t whole = len;
        while (whole > at && data[whole - 1] != '\n')
            whole--;
        if (whole > at)
            rc = scan_lines(s, data + at, whole - at);
        if (rc == 0 && whole < len)
            carry_over(s, data + whole, len - whole);
    }
    if (rc != 0 || s->carry.failed)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    return 0;
}

static int refuse_once_fed(const smtpc_scanner *s, smtpc_error *err);

/* ---- the text of the input, and resuming (docs/logs.md, "Resuming") ---- */

/* Scans text that follows what came before, past the bytes a resumed scan skips. */
static int pass_text(smtpc_scanner *s, const char *data, size_t len, smtpc_error *err)
{
    unsigned long long start = s->text_bytes;
    s->text_bytes += len;
    for (size_t i = len; i-- > 0;) {
        if (data[i] == '\n') {
            s->text_line_end = start + i + 1;
            break;
        }
    }
    if (s->text_bytes <= s->skip)
        return 0;
    size_t skipped = start < s->skip ? (size_t)(s->skip - start) : 0;
    return scan_text(s, data + skipped, len - skipped, err);
}

/* Looks the input up in the state it resumes from, by the head held back, and scans the
 * head. */
static int identify_input(smtpc_scanner *s, smtpc_error *err)
{
    s->identified = 1;
    s->skip = smtpc_scan_state_offset(s->resume, s->head.data, s->head.len);
    return s->head.len > 0 ? pass_text(s, s->head.data, s->head.len, err) : 0;
}

/* The decoder's text (the input itself when it is plain): its first bytes kept as the head;
 * held back, when resuming, until the head is whole. */
static int take_text(smtpc_scanner *s, const char *data, size_t len, smtpc_error *err)
{
    size_t kept = 0;
    if (s->head.len < SMTPC_SCAN_STATE_HEAD) {
        kept =
            SMTPC_SCAN_STATE_HEAD - s->head.len < len ? SMTPC_SCAN_STATE_HEAD - s->head.len : len;
        smtpc_buf_append(&s->head, data, kept);
        if (s->head.failed)
            return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    }
    if (s->resume == NULL)
        return pass_text(s, data, len, err);
    if (!s->identified) {
        if (s->head.len < SMTPC_SCAN_STATE_HEAD)
            return 0;
        int rc = identify_input(s, err);
        if (rc != 0)
            return rc;
    }
    return pass_text(s, data + kept, len - kept, err);
}

int smtpc_scanner_resume(smtpc_scanner *s, const smtpc_scan_state *state, smtpc_error *err)
{
    int rc = refuse_once_fed(s, err);
    if (rc == 0 && state == NULL)
        rc = smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (rc == 0)
        s->resume = state;
    return rc;
}

int smtpc_scanner_line_by_line(const smtpc_scanner *s)
{
    return s != NULL && !s->read_messages && !s->in_message && s->reader.csv == 0;
}

unsigned long long smtpc_scanner_skipped_bytes(const smtpc_scanner *s)
{
    if (s == NULL)
        return 0;
    return s->skip < s->text_bytes ? s->skip : s->text_bytes;
}

int smtpc_scanner_input(const smtpc_scanner *s, const char **head, size_t *head_len,
                        unsigned long long *read_to)
{
    *head = s->head.data != NULL ? s->head.data : "";
    *head_len = s->head.len;
    *read_to = s->text_line_end;
    return s->finished;
}

int smtpc_scanner_feed(smtpc_scanner *s, const char *data, size_t len, smtpc_error *err)
{
    if (s == NULL || (data == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (len == 0)
        return 0;
    s->fed = 1;
    return smtpc_decoder_feed(s->decoder, data, len, s, take_text, err);
}

static int compare_rows(const void *a, const void *b)
{
    uint64_t ka = ((const struct scan_row *)a)->key;
    uint64_t kb = ((const struct scan_row *)b)->key;
    return (ka > kb) - (ka < kb);
}

/* Puts the rows in key order. The hash table indexes rows by position, so it is dropped and
 * rebuilt by the next count, should the scanner be fed again. */
static void sort_rows(smtpc_scanner *s)
{
    if (s->n_rows > 1)
        qsort(s->rows, s->n_rows, sizeof *s->rows, compare_rows);
    point_rows_at_their_codes(s);
    free(s->table);
    s->table = NULL;
    s->table_size = 0;
}

int smtpc_scanner_finish(smtpc_scanner *s, smtpc_error *err)
{
    if (s == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    int rc = smtpc_decoder_finish(s->decoder, s, take_text, err);
    if (rc == 0 && s->resume != NULL && !s->identified)
        rc = identify_input(s, err); /* an input shorter than the head */
    if (rc != 0)
        return rc;
    if (s->resume != NULL) {
        /* a last line without its line end is still being written: the next run reads it */
        s->carry.len = 0;
        s->skipping = 0;
    }
    if ((s->carry.len > 0 || s->skipping) && end_carried_line(s) != 0)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    if (end_message(s) != 0)
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    s->in_message = 0;
    s->finished = 1;
    sort_rows(s);
    smtpc_groups_sort(&s->groups);
    return 0;
}

/* ---- settings ---- */

int smtpc_scanner_new_like(smtpc_scanner **out, const smtpc_scanner *model, smtpc_error *err)
{
    if (out == NULL || model == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    int rc = smtpc_scanner_new(out, model->db, err);
    if (rc != 0)
        return rc;
    struct smtpc_scan_groups *g = &(*out)->groups;
    memcpy(g->axes, model->groups.axes, sizeof g->axes);
    g->n_axes = model->groups.n_axes;
    g->bucket = model->groups.bucket;
    g->year = model->groups.year;
    return 0;
}

int smtpc_duration_parse(long long *seconds, const char *text, size_t text_len, smtpc_error *err)
{
    size_t len = text_len;
    if (seconds == NULL || (text == NULL && len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    long long value = 0;
    size_t i = 0;
    for (; i < len && smtpc_is_digit(text[i]); i++) {
        if (value > 1000000000LL)
            return smtpc_set_error(err, SMTPC_EINVAL, "", 1, i + 1, "a duration too long");
        value = value * 10 + (text[i] - '0');
    }
    if (i == 0)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 1, 1,
                               "a duration is a number of seconds, or a number and s, m, h or "
                               "d (\"15m\", \"1h\")");
    static const char units[] = "smhd";
    static const long long unit_seconds[] = {1, 60, 3600, 86400};
    long long unit = 1;
    if (i < len) {
        const char *u = memchr(units, text[i], 4);
        if (u == NULL || i + 1 != len)
            return smtpc_set_error(err, SMTPC_EINVAL, "", 1, i + 1,
                                   "a unit s, m, h or d expected after the number");
        unit = unit_seconds[u - units];
    }
    *seconds = value * unit;
    return 0;
}

static int refuse_once_fed(const smtpc_scanner *s, smtpc_error *err)
{
    if (s == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (s->fed || s->n_rows > 0 || s->lines > 0)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "the scanner has been fed: set it up before the first feed");
    return 0;
}

int smtpc_scanner_group_by(smtpc_scanner *s, const char *axes, smtpc_error *err)
{
    int rc = refuse_once_fed(s, err);
    return rc != 0 ? rc : smtpc_groups_set_axes(&s->groups, axes != NULL ? axes : "", err);
}

int smtpc_scanner_set_bucket(smtpc_scanner *s, long long seconds, smtpc_error *err)
{
    int rc = refuse_once_fed(s, err);
    if (rc != 0)
        return rc;
    if (seconds < 60 || seconds > 31 * 86400LL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "a time bucket of %lld seconds: 60 to 2678400 (31 days)", seconds);
    s->groups.bucket = seconds;
    return 0;
}

int smtpc_scanner_set_year(smtpc_scanner *s, int year, smtpc_error *err)
{
    int rc = refuse_once_fed(s, err);
    if (rc != 0)
        return rc;
    if (year < 1970 || year > 9999)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "the year %d: 1970 to 9999", year);
    s->groups.year = year;
    return 0;
}

size_t smtpc_scanner_axis_count(const smtpc_scanner *s)
{
    return s != NULL ? s->groups.n_axes : 0;
}

int smtpc_scanner_axis(const smtpc_scanner *s, size_t index)
{
    return s != NULL && index < s->groups.n_axes ? s->groups.axes[index] : -1;
}

long long smtpc_scanner_bucket(const smtpc_scanner *s)
{
    return s != NULL ? s->groups.bucket : 0;
}

unsigned long long smtpc_scanner_attempts(const smtpc_scanner *s)
{
    return s != NULL ? s->groups.attempts : 0;
}

unsigned long long smtpc_scanner_outcome(const smtpc_scanner *s, int outcome)
{
    if (s == NULL || outcome < 0 || outcome >= SMTPC_SCAN_OUTCOMES)
        return 0;
    return s->groups.outcomes[outcome];
}

size_t smtpc_scanner_group_count(const smtpc_scanner *s)
{
    return s != NULL ? s->groups.n : 0;
}

const smtpc_scan_group *smtpc_scanner_group(const smtpc_scanner *s, size_t index)
{
    return s != NULL ? smtpc_groups_at(&s->groups, index) : NULL;
}

struct smtpc_scan_groups *smtpc_scanner_groups(smtpc_scanner *s)
{
    return &s->groups;
}

enum smtpc_compression smtpc_scanner_compression(const smtpc_scanner *s)
{
    return s != NULL ? smtpc_decoder_compression(s->decoder) : SMTPC_COMPRESSION_NONE;
}

unsigned long long smtpc_scanner_lines(const smtpc_scanner *s)
{
    return s != NULL ? s->lines : 0;
}

unsigned long long smtpc_scanner_replies(const smtpc_scanner *s)
{
    return s != NULL ? s->replies : 0;
}

unsigned long long smtpc_scanner_skipped(const smtpc_scanner *s)
{
    return s != NULL ? s->skipped : 0;
}

size_t smtpc_scanner_row_count(const smtpc_scanner *s)
{
    return s != NULL ? s->n_rows : 0;
}

const smtpc_scan_row *smtpc_scanner_row(const smtpc_scanner *s, size_t index)
{
    if (s == NULL || index >= s->n_rows)
        return NULL;
    return &s->rows[index].row;
}

/* ---- merging, and what scan_saved.c builds summaries with ---- */

int smtpc_scanner_holds_line(const smtpc_scanner *s)
{
    return s->carry.len > 0 || s->skipping || smtpc_decoder_holds_input(s->decoder) ||
           (s->in_message && (s->message.len > 0 || s->message_too_long));
}

const smtpc_db *smtpc_scanner_db(const smtpc_scanner *s)
{
    return s->db;
}

/* Makes the hash table ready for `n_rows` rows (it is dropped by sorting). */
static int reserve_table(smtpc_scanner *s, size_t n_rows)
{
    while (n_rows * 2 >= s->table_size) {
        if (!grow_table(s))
            return 0;
    }
    return 1;
}

static int reserve_rows(smtpc_scanner *s, size_t n_rows)
{
    while (s->cap_rows < n_rows) {
        struct scan_row *rows = smtpc_array_grow(s->rows, &s->cap_rows, sizeof *rows, 32);
        if (rows == NULL)
            return 0;
        s->rows = rows;
        point_rows_at_their_codes(s);
    }
    return 1;
}

/* The row of `key`, or NULL; the table must be ready. */
static struct scan_row *find_row(const smtpc_scanner *s, uint64_t key)
{
    for (size_t slot = (size_t)hash_key(key) & (s->table_size - 1); s->table[slot] != 0;
         slot = (slot + 1) & (s->table_size - 1)) {
        if (s->rows[s->table[slot] - 1].key == key)
            return &s->rows[s->table[slot] - 1];
    }
    return NULL;
}

/* Adds row `s->rows[index]` to the table, which has room. */
static void index_row(smtpc_scanner *s, size_t index)
{
    size_t slot = (size_t)hash_key(s->rows[index].key) & (s->table_size - 1);
    while (s->table[slot] != 0)
        slot = (slot + 1) & (s->table_size - 1);
    s->table[slot] = index + 1;
}

static char *copy_sample(const smtpc_scan_row *row)
{
    char *sample = malloc(row->sample_len + 1);
    if (sample != NULL) {
        memcpy(sample, row->sample, row->sample_len);
        sample[row->sample_len] = '\0';
    }
    return sample;
}

/* What merging does with one row of the scanner merged from, decided before anything
 * changes. */
struct merge_step {
    struct scan_row *into; /* the row with the same pair, or NULL for a new row */
    char *sample;          /* a copy of the row's sample, when `into` is to show its line */
};

/* Decides each step and allocates all that the merge needs; on failure, frees what it
 * allocated, and `into` holds the same summary as before. */
static int plan_merge(struct merge_step *steps, smtpc_scanner *into, const smtpc_scanner *from)
{
    if (!reserve_table(into, into->n_rows))
        return SMTPC_ENOMEM;
    size_t added = 0;
    for (size_t i = 0; i < from->n_rows; i++)
        added += find_row(into, from->rows[i].key) == NULL;
    int ok = reserve_rows(into, into->n_rows + added) && reserve_table(into, into->n_rows + added);
    /* the rows may have moved: they are found once there is room */
    for (size_t i = 0; ok && i < from->n_rows; i++) {
        const struct scan_row *row = &from->rows[i];
        steps[i].into = find_row(into, row->key);
        if (steps[i].into == NULL || line_order(&row->row, &steps[i].into->row) < 0) {
            steps[i].sample = copy_sample(&row->row);
            ok = steps[i].sample != NULL;
        }
    }
    if (ok)
        return 0;
    for (size_t i = 0; i < from->n_rows; i++)
        free(steps[i].sample);
    return SMTPC_ENOMEM;
}

int smtpc_scanner_merge(smtpc_scanner *into, const smtpc_scanner *from, smtpc_error *err)
{
    if (into == NULL || from == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    /* A row's entries, action and reason are its database's: rows of two databases do not
     * add up. */
    if (into->db != from->db)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "the two summaries were made with different databases");
    if (smtpc_scanner_holds_line(from))
        return smtpc_set_error(
            err, SMTPC_EINVAL, "", 0, 0,
            "the summary merged from holds a line without its line end or a message not yet read: "
            "finish its scan first");
    if (!smtpc_groups_same_shape(&into->groups, &from->groups))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "the two summaries group their attempts differently (axes or "
                               "time buckets)");
    size_t n = from->n_rows;
    struct merge_step *steps = calloc(n > 0 ? n : 1, sizeof *steps);
    if (steps == NULL || plan_merge(steps, into, from) != 0) {
        free(steps);
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    }
    /* The groups merge all or nothing; then nothing else can fail. */
    if (smtpc_groups_merge(&into->groups, &from->groups) != 0) {
        for (size_t i = 0; i < n; i++)
            free(steps[i].sample);
        free(steps);
        return smtpc_set_error(err, SMTPC_ENOMEM, "", 0, 0, "out of memory");
    }
    /* Nothing fails from here on. `from` may be `into` itself: its counts are read before
     * they change, and it gains no row. */
    into->lines += from->lines;
    into->replies += from->replies;
    into->skipped += from->skipped;
    for (size_t i = 0; i < n; i++) {
        const struct scan_row *row = &from->rows[i];
        struct scan_row *r = steps[i].into;
        if (r == NULL) {
            r = &into->rows[into->n_rows];
            *r = *row;
            r->row.enhanced = r->enhanced;
            r->row.sample = steps[i].sample;
            index_row(into, into->n_rows++);
        } else {
            r->row.count += row->row.count;
            if (steps[i].sample != NULL)
                show_line_of(r, row, steps[i].sample);
        }
    }
    free(steps);
    sort_rows(into);
    return 0;
}

uint64_t smtpc_scan_key(int code, const char *enhanced, size_t enhanced_len)
{
    smtpc_code parsed;
    int has_enhanced =
        enhanced_len > 0 && smtpc_code_parse(&parsed, enhanced, enhanced_len, NULL) == 0;
    return make_key(code, has_enhanced ? &parsed : NULL);
}

void smtpc_scanner_add_counts(smtpc_scanner *s, unsigned long long lines,
                              unsigned long long replies, unsigned long long skipped)
{
    s->lines += lines;
    s->replies += replies;
    s->skipped += skipped;
}

int smtpc_scanner_append_row(smtpc_scanner *s, const smtpc_scan_row *row, size_t enhanced_len)
{
    if (!reserve_rows(s, s->n_rows + 1))
        return SMTPC_ENOMEM;
    struct scan_row *r = &s->rows[s->n_rows];
    memset(r, 0, sizeof *r);
    r->row = *row;
    r->row.sample = copy_sample(row);
    if (r->row.sample == NULL)
        return SMTPC_ENOMEM;
    r->key = smtpc_scan_key(row->code, row->enhanced, enhanced_len);
    memcpy(r->enhanced, row->enhanced, enhanced_len);
    r->row.enhanced = r->enhanced;
    smtpc_lookup_number(&r->row.entry, s->db, row->code, NULL);
    r->row.enhanced_entry = NULL;
    if (enhanced_len > 0)
        smtpc_lookup_closest(&r->row.enhanced_entry, NULL, s->db, row->enhanced, enhanced_len,
                             NULL);
    s->n_rows++;
    return 0;
}
