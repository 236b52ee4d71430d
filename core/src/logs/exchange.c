/*
 * exchange.c - the CSV logs of Microsoft's mail servers (docs/logs.md, "Exchange and
 * Microsoft 365"), whose header names the columns:
 *
 *   - Exchange Server's message tracking log: "#Software: Microsoft Exchange Server",
 *     "#Version: ...", "#Log-type: Message Tracking Log", "#Date: ...", then
 *     "#Fields: date-time,client-ip,...,event-id,...,recipient-address,recipient-status,..."
 *     and a row per event: DELIVER and SEND hand the message on, FAIL bounces it, DEFER
 *     delays it; recipient-status holds the next hop's reply.
 *   - Exchange Online's message trace, exported (Get-MessageTrace): a first line
 *     "Received","SenderAddress","RecipientAddress","Subject","Status",... with Status
 *     Delivered, Failed, Pending, Expanded, Quarantined, FilteredAsSpam, GettingStatus.
 *   - its historical search report: origin_timestamp_utc,sender_address,recipient_status,...
 *     where recipient_status is "bob@example.org##Receive, Deliver": the recipient, then the
 *     events in order, the last being where the message is.
 *
 * Fields are quoted as RFC 4180 section 2 says ("a ""b"", c"); a span into a quoted field
 * leaves out the outer quotes and keeps the doubled ones as written. A row concerns its first
 * recipient: the event has room for one, and Exchange lists the others in the same cell,
 * separated by ";". An export of more than SMTPC_LOG_MAX_COLUMNS columns is not read.
 */
#include "logs_internal.h"

#include "../internal.h"

#include <string.h>

enum csv_kind { CSV_NONE, CSV_EXCHANGE, CSV_MESSAGE_TRACE, CSV_HISTORICAL };

/* What a column holds. */
enum column {
    COL_NONE,
    COL_TIME,
    COL_SENDER,
    COL_RECIPIENT,
    COL_EVENT_ID,         /* Exchange's event-id */
    COL_STATUS,           /* the message trace's Status */
    COL_RECIPIENT_STATUS, /* Exchange: the reply; historical search: "r##events" */
    COL_DETAIL,
    COL_RELAY,
    COL_RELAY_FALLBACK, /* Exchange's original-server-ip, when server-hostname is empty */
    COL_QUEUE_ID
};

/* Column names with case, spaces, "_", "-" and parentheses removed, so that "date-time",
 * "Date (UTC)" and "origin_timestamp_utc" are compared alike. */
static const struct {
    const char *name;
    unsigned char column;
} column_names[] = {
    {"datetime", COL_TIME},
    {"received", COL_TIME},
    {"dateutc", COL_TIME},
    {"origintimestamputc", COL_TIME},
    {"senderaddress", COL_SENDER},
    {"recipientaddress", COL_RECIPIENT},
    {"eventid", COL_EVENT_ID},
    {"status", COL_STATUS},
    {"recipientstatus", COL_RECIPIENT_STATUS},
    {"detail", COL_DETAIL},
    {"serverhostname", COL_RELAY},
    {"toip", COL_RELAY},
    {"originalserverip", COL_RELAY_FALLBACK},
    {"internalmessageid", COL_QUEUE_ID},
    {"messagetraceid", COL_QUEUE_ID},
    {"networkmessageid", COL_QUEUE_ID},
};

/* Splits a row into its fields; stores at most `max` of them. Returns the number of fields,
 * or -1 when a quoted field is not closed or text follows its closing quote. */
static long split_fields(struct smtpc_log_span *fields, size_t max, const char *s, size_t len)
{
    size_t n = 0, at = 0;
    for (;;) {
        struct smtpc_log_span field;
        if (at < len && s[at] == '"') {
            size_t start = ++at;
            while (at < len && !(s[at] == '"' && !(at + 1 < len && s[at + 1] == '"')))
                at += s[at] == '"' ? 2 : 1;
            if (at >= len)
                return -1;
            field = smtpc_log_span_of(s + start, at - start);
            at++;
            if (at < len && s[at] != ',')
                return -1;
        } else {
            const char *comma = memchr(s + at, ',', len - at);
            size_t end = comma != NULL ? (size_t)(comma - s) : len;
            field = smtpc_log_span_of(s + at, end - at);
            at = end;
        }
        if (n < max)
            fields[n] = field;
        n++;
        if (at >= len)
            return (long)n;
        at++; /* the comma */
    }
}

static enum column column_named(struct smtpc_log_span name)
{
    char key[32];
    size_t n = 0;
    for (size_t i = 0; i < name.len; i++) {
        char c = smtpc_to_lower(name.p[i]);
        if (c == ' ' || c == '_' || c == '-' || c == '(' || c == ')')
            continue;
        if (n + 1 >= sizeof key)
            return COL_NONE;
        key[n++] = c;
    }
    key[n] = '\0';
    for (size_t i = 0; i < sizeof column_names / sizeof column_names[0]; i++) {
        if (strcmp(key, column_names[i].name) == 0)
            return (enum column)column_names[i].column;
    }
    return COL_NONE;
}

/* Sets the reader's columns from the names in `s`. Returns 0 when they are not the columns of
 * `kind` (the reader is then left as it was). */
static int set_columns(struct smtpc_log_reader *reader, enum csv_kind kind, const char *s,
                       size_t len)
{
    struct smtpc_log_span names[SMTPC_LOG_MAX_COLUMNS];
    long n = split_fields(names, SMTPC_LOG_MAX_COLUMNS, s, len);
    if (n < 0 || n > SMTPC_LOG_MAX_COLUMNS)
        return 0;
    unsigned char columns[SMTPC_LOG_MAX_COLUMNS];
    unsigned seen = 0;
    for (long i = 0; i < n; i++) {
        columns[i] = (unsigned char)column_named(names[i]);
        seen |= 1u << columns[i];
    }
    int has_time = (seen >> COL_TIME) & 1;
    int has_recipient = (seen >> COL_RECIPIENT) & 1;
    int has_status = (seen >> COL_STATUS) & 1, has_rstatus = (seen >> COL_RECIPIENT_STATUS) & 1;
    if (kind == CSV_EXCHANGE) {
        if (!has_time || !has_recipient || !((seen >> COL_EVENT_ID) & 1))
            return 0;
    } else if (has_time && has_recipient && has_status) {
        kind = CSV_MESSAGE_TRACE;
    } else if (has_time && has_rstatus && !has_recipient) {
        kind = CSV_HISTORICAL;
    } else {
        return 0;
    }
    reader->csv = kind;
    memcpy(reader->columns, columns, (size_t)n);
    reader->n_columns = (size_t)n;
    return 1;
}

static const char *mta_of(int kind)
{
    return kind == CSV_EXCHANGE ? "exchange" : "microsoft365";
}

int smtpc_log_csv_header(struct smtpc_log_reader *reader, struct smtpc_log_event *event,
                         const char *line, size_t len)
{
    if (len > 0 && line[0] == '#') {
        if (smtpc_log_starts(line, len, "#Software: Microsoft Exchange")) {
            reader->csv = CSV_EXCHANGE;
            reader->n_columns = 0;
        } else if (smtpc_log_starts(line, len, "#Fields: ")) {
            if (!set_columns(reader, CSV_EXCHANGE, line + 9, len - 9)) {
                if (reader->csv != CSV_EXCHANGE)
                    return 0;
                /* the log's own header, naming columns it cannot be read by */
                reader->n_columns = 0;
            }
        } else if (reader->csv != CSV_EXCHANGE) {
            return 0;
        }
    } else if (!set_columns(reader, CSV_NONE, line, len)) {
        return 0;
    }
    event->outcome = SMTPC_LOG_OTHER;
    event->mta = mta_of(reader->csv);
    return 1;
}

/* The part of a ";"-separated list before the first ";". */
static struct smtpc_log_span first_of_list(struct smtpc_log_span s)
{
    const char *semicolon = memchr(s.p, ';', s.len);
    if (semicolon != NULL)
        s.len = (size_t)(semicolon - s.p);
    return smtpc_log_trim(s);
}

/* The first recipient's status in Exchange's recipient-status: the statuses of several
 * recipients are separated by ";", and a status may hold a ";" of its own ("550 5.1.1
 * RESOLVER.ADR.RecipNotFound; not found"), so the list is cut where a reply code follows. */
static struct smtpc_log_span first_status(struct smtpc_log_span s)
{
    for (size_t i = 0; i < s.len; i++) {
        if (s.p[i] != ';')
            continue;
        size_t next = i + 1 + smtpc_log_run(s.p + i + 1, s.len - i - 1, " ");
        if (smtpc_log_is_reply(s.p + next, s.len - next)) {
            s.len = i;
            break;
        }
    }
    return smtpc_log_trim(s);
}

static enum smtpc_log_outcome outcome_of_event_id(struct smtpc_log_span id)
{
    if (smtpc_log_is(id, "DELIVER") || smtpc_log_is(id, "SEND"))
        return SMTPC_LOG_DELIVERED;
    if (smtpc_log_is(id, "FAIL"))
        return SMTPC_LOG_BOUNCED;
    if (smtpc_log_is(id, "DEFER"))
        return SMTPC_LOG_DEFERRED;
    return SMTPC_LOG_OTHER;
}

/* The message trace's Status: Expanded (a group), Quarantined and FilteredAsSpam (held, not
 * refused to the sender), GettingStatus and None say nothing of a delivery attempt. */
static enum smtpc_log_outcome outcome_of_trace_status(struct smtpc_log_span status)
{
    if (smtpc_log_is(status, "Delivered"))
        return SMTPC_LOG_DELIVERED;
    if (smtpc_log_is(status, "Failed"))
        return SMTPC_LOG_BOUNCED;
    if (smtpc_log_is(status, "Pending"))
        return SMTPC_LOG_DEFERRED;
    return SMTPC_LOG_OTHER;
}

/* "bob@example.org##Receive, Deliver": the recipient, and the outcome of the last event. */
static enum smtpc_log_outcome read_historical_status(struct smtpc_log_event *event,
                                                     struct smtpc_log_span s)
{
    s = first_of_list(s);
    size_t hashes = smtpc_log_find(s.p, s.len, "##");
    if (hashes == s.len)
        return SMTPC_LOG_OTHER;
    struct smtpc_log_span events = smtpc_log_span_of(s.p + hashes + 2, s.len - hashes - 2);
    size_t last = smtpc_log_find_last(events.p, events.len, ", ");
    struct smtpc_log_span event_name =
        last < events.len ? smtpc_log_span_of(events.p + last + 2, events.len - last - 2) : events;
    event->recipient = smtpc_log_span_of(s.p, hashes);
    if (smtpc_log_is(event_name, "Deliver") || smtpc_log_is(event_name, "Send"))
        return SMTPC_LOG_DELIVERED;
    if (smtpc_log_is(event_name, "Fail"))
        return SMTPC_LOG_BOUNCED;
    if (smtpc_log_is(event_name, "Defer"))
        return SMTPC_LOG_DEFERRED;
    return SMTPC_LOG_OTHER;
}

int smtpc_log_csv_row(const struct smtpc_log_reader *reader, struct smtpc_log_event *event,
                      const char *line, size_t len)
{
    if (reader->csv == CSV_NONE || reader->n_columns == 0)
        return 0;
    struct smtpc_log_span fields[SMTPC_LOG_MAX_COLUMNS];
    long n = split_fields(fields, SMTPC_LOG_MAX_COLUMNS, line, len);
    /* a row has as many fields as the header named; anything else is not one of its rows */
    if (n != (long)reader->n_columns)
        return 0;
    struct smtpc_log_span by_column[COL_QUEUE_ID + 1] = {{NULL, 0}};
    for (long i = 0; i < n; i++) {
        if (reader->columns[i] != COL_NONE && by_column[reader->columns[i]].p == NULL)
            by_column[reader->columns[i]] = fields[i];
    }
    struct smtpc_log_event ev = {0};
    ev.mta = mta_of(reader->csv);
    ev.time = by_column[COL_TIME];
    ev.queue_id = by_column[COL_QUEUE_ID];
    struct smtpc_log_span text = {line, 0};
    if (reader->csv == CSV_EXCHANGE) {
        ev.outcome = outcome_of_event_id(by_column[COL_EVENT_ID]);
        ev.recipient = first_of_list(by_column[COL_RECIPIENT]);
        ev.relay =
            by_column[COL_RELAY].len > 0 ? by_column[COL_RELAY] : by_column[COL_RELAY_FALLBACK];
        text = first_status(by_column[COL_RECIPIENT_STATUS]);
    } else if (reader->csv == CSV_MESSAGE_TRACE) {
        ev.outcome = outcome_of_trace_status(by_column[COL_STATUS]);
        ev.recipient = first_of_list(by_column[COL_RECIPIENT]);
        ev.relay = by_column[COL_RELAY];
        text = smtpc_log_trim(by_column[COL_DETAIL]);
    } else {
        ev.outcome = read_historical_status(&ev, by_column[COL_RECIPIENT_STATUS]);
    }
    if (ev.outcome == SMTPC_LOG_OTHER) {
        struct smtpc_log_event other = {0};
        other.mta = ev.mta;
        other.time = ev.time;
        other.queue_id = ev.queue_id;
        ev = other;
    } else {
        ev.sender = by_column[COL_SENDER];
        if (text.len > 0) {
            if (smtpc_log_is_reply(text.p, text.len))
                ev.reply = text;
            else
                ev.detail = text;
        }
    }
    *event = ev;
    return 1;
}
