/*
 * scan_groups.c - delivery attempts grouped by what a postmaster asks about: the recipient's
 * domain, the relay, the reason, the sender's domain, the hour (docs/logs.md). Memory grows
 * with the number of distinct groups and with the messages in flight (for the sender's
 * domain, joined through the queue ID), never with the input.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    FIRST_TABLE_SIZE = 64,
    VALUE_MAX = 255,                    /* a domain name is at most 253 bytes */
    QUEUE_ID_MAX = 63,                  /* longer is no queue ID */
    SMTPC_SENDERS_GENERATION = 1 << 17, /* see struct smtpc_senders */
    DEFAULT_BUCKET = 3600
};

struct smtpc_scan_group_item {
    smtpc_scan_group group; /* its values point into `key` */
    char *key;              /* the values, each ended by a NUL */
    size_t key_len;
    uint64_t hash;
};

struct smtpc_sender {
    char *id;    /* the queue ID, a NUL, the sender's domain, a NUL; NULL for an empty slot */
    int removed; /* the message is gone: the slot stays, so that probing goes on past it */
    uint64_t hash;
};

static uint64_t hash_bytes(const char *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
    return h;
}

static void civil_from_days(long long days, int *year, int *month, int *day);

/* The current year (UTC): the default year of timestamps without one. */
static int current_year(void)
{
    int year, month, day;
    civil_from_days((long long)time(NULL) / 86400, &year, &month, &day);
    return year;
}

void smtpc_groups_init(struct smtpc_scan_groups *g)
{
    memset(g, 0, sizeof *g);
    g->bucket = DEFAULT_BUCKET;
    g->year = current_year();
}

static void free_sender_table(struct smtpc_sender_table *t)
{
    for (size_t i = 0; i < t->size; i++)
        free(t->items[i].id);
    free(t->items);
    memset(t, 0, sizeof *t);
}

void smtpc_groups_free(struct smtpc_scan_groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->items[i].key);
        free((char *)g->items[i].group.sample);
    }
    free(g->items);
    free(g->table);
    free_sender_table(&g->senders.current);
    free_sender_table(&g->senders.older);
}

/* ---- the axes ---- */

static int axis_named(const char *name, size_t len)
{
    for (size_t i = 0; i < smtpc_enum_count(SMTPC_ENUM_SCAN_AXIS); i++) {
        int value;
        const char *axis;
        smtpc_enum_at(&value, &axis, SMTPC_ENUM_SCAN_AXIS, i);
        if (strlen(axis) == len && memcmp(axis, name, len) == 0)
            return value;
    }
    return -1;
}

int smtpc_groups_set_axes(struct smtpc_scan_groups *g, const char *axes, smtpc_error *err)
{
    int parsed[SMTPC_SCAN_MAX_AXES];
    size_t n = 0;
    for (size_t at = 0; axes[at] != '\0';) {
        size_t len = strcspn(axes + at, ",");
        int axis = axis_named(axes + at, len);
        if (axis < 0)
            return smtpc_set_error(err, SMTPC_EINVAL, "", 1, at + 1,
                                   "\"%.*s\" is no axis (domain, relay, reason, sender-domain, "
                                   "time, code, mta)",
                                   (int)(len < 64 ? len : 64), axes + at);
        for (size_t i = 0; i < n; i++) {
            if (parsed[i] == axis)
                return smtpc_set_error(err, SMTPC_EINVAL, "", 1, at + 1,
                                       "the axis \"%.*s\" is named twice", (int)len, axes + at);
        }
        if (n == SMTPC_SCAN_MAX_AXES)
            return smtpc_set_error(err, SMTPC_EINVAL, "", 1, at + 1, "more than %d axes",
                                   SMTPC_SCAN_MAX_AXES);
        parsed[n++] = axis;
        at += len;
        if (axes[at] == ',' && axes[++at] == '\0')
            return smtpc_set_error(err, SMTPC_EINVAL, "", 1, at, "an axis is missing after \",\"");
    }
    memcpy(g->axes, parsed, n * sizeof *parsed);
    g->n_axes = n;
    return 0;
}

/* ---- the value of an attempt on each axis ---- */

/* Appends `len` bytes of a value and its NUL, lower-cased when `fold`, a NUL byte of the log
 * read as "?": values are strings. */
static void put_value(struct smtpc_buf *key, const char *p, size_t len, int fold)
{
    if (len > VALUE_MAX)
        len = VALUE_MAX;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c == '\0')
            c = '?';
        else if (fold && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        smtpc_buf_putc(key, c);
    }
    smtpc_buf_putc(key, '\0');
}

/* The domain of an address: after its last "@"; a local recipient ("bob") is its own. */
static struct smtpc_log_span domain_of(struct smtpc_log_span address)
{
    for (size_t i = address.len; i-- > 0;) {
        if (address.p[i] == '@')
            return (struct smtpc_log_span){address.p + i + 1, address.len - i - 1};
    }
    return address;
}

/* A relay as MTAs write it, "mx.example.com[203.0.113.25]:25", "mx.example.com.
 * [203.0.113.25]" (Sendmail's absolute name), "unknown[192.0.2.1]": its name without the
 * root's dot, else its address; Postfix's "none" (no host was reached) is no relay. */
static struct smtpc_log_span host_of(struct smtpc_log_span relay)
{
    size_t name = 0;
    while (name < relay.len && relay.p[name] != '[' && relay.p[name] != ' ' &&
           relay.p[name] != ':' && relay.p[name] != '(')
        name++;
    if (name == 4 && memcmp(relay.p, "none", 4) == 0)
        return (struct smtpc_log_span){relay.p, 0};
    if (name > 1 && relay.p[name - 1] == '.')
        name--;
    if (name > 0 && !(name == 7 && memcmp(relay.p, "unknown", 7) == 0))
        return (struct smtpc_log_span){relay.p, name};
    if (relay.len == 0)
        return relay;
    const char *open = memchr(relay.p, '[', relay.len);
    if (open == NULL)
        return (struct smtpc_log_span){relay.p, name};
    const char *close = memchr(open, ']', relay.len - (size_t)(open - relay.p));
    size_t end = close != NULL ? (size_t)(close - relay.p) : relay.len;
    return (struct smtpc_log_span){open + 1, end - (size_t)(open + 1 - relay.p)};
}

/* The civil date of a day counted from 1970-01-01 (the proleptic Gregorian calendar). */
static void civil_from_days(long long days, int *year, int *month, int *day)
{
    days += 719468;
    long long era = (days >= 0 ? days : days - 146096) / 146097;
    long long doe = days - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

/* The bucket of a timestamp, "2024-11-23 10:00" (UTC); "" when it cannot be read. */
static void put_bucket(struct smtpc_buf *key, const struct smtpc_scan_groups *g,
                       struct smtpc_log_span time)
{
    long long t;
    if (time.len == 0 || smtpc_log_time(&t, time.p, time.len, g->year) != 0) {
        smtpc_buf_putc(key, '\0');
        return;
    }
    long long start = t - ((t % g->bucket) + g->bucket) % g->bucket;
    long long days = start >= 0 ? start / 86400 : (start - 86399) / 86400;
    long long seconds = start - days * 86400;
    int year, month, day;
    civil_from_days(days, &year, &month, &day);
    smtpc_buf_printf(key, "%04d-%02d-%02d %02lld:%02lld", year, month, day, seconds / 3600,
                     seconds / 60 % 60);
    smtpc_buf_putc(key, '\0');
}

static const char *sender_domain_of(const struct smtpc_scan_groups *g,
                                    struct smtpc_log_span queue_id);

static void put_sender_domain(struct smtpc_buf *key, const struct smtpc_scan_groups *g,
                              const struct smtpc_scan_attempt *a)
{
    if (a->sender.p != NULL) {
        /* a line that names the sender names the null sender "<>" with no bytes */
        if (a->sender.len == 0)
            put_value(key, "<>", 2, 0);
        else
            put_value(key, domain_of(a->sender).p, domain_of(a->sender).len, 1);
        return;
    }
    const char *known = sender_domain_of(g, a->queue_id);
    put_value(key, known != NULL ? known : "", known != NULL ? strlen(known) : 0, 0);
}

static void put_code(struct smtpc_buf *key, const struct smtpc_scan_attempt *a)
{
    if (a->code != 0 && a->enhanced[0] != '\0')
        smtpc_buf_printf(key, "%d %s", a->code, a->enhanced);
    else if (a->code != 0)
        smtpc_buf_printf(key, "%d", a->code);
    else
        smtpc_buf_puts(key, a->enhanced);
    smtpc_buf_putc(key, '\0');
}

static void put_axis(struct smtpc_buf *key, const struct smtpc_scan_groups *g, int axis,
                     const struct smtpc_scan_attempt *a)
{
    struct smtpc_log_span v;
    switch (axis) {
    case SMTPC_SCAN_BY_DOMAIN:
        v = domain_of(a->recipient);
        put_value(key, v.p, v.len, 1);
        break;
    case SMTPC_SCAN_BY_RELAY:
        v = host_of(a->relay);
        put_value(key, v.p, v.len, 1);
        break;
    case SMTPC_SCAN_BY_REASON: put_value(key, a->reason, strlen(a->reason), 0); break;
    case SMTPC_SCAN_BY_SENDER_DOMAIN: put_sender_domain(key, g, a); break;
    case SMTPC_SCAN_BY_TIME: put_bucket(key, g, a->time); break;
    case SMTPC_SCAN_BY_CODE: put_code(key, a); break;
    default: put_value(key, a->mta, strlen(a->mta), 0); break;
    }
}

/* ---- the groups ---- */

int smtpc_sample_order(const char *a, size_t a_len, const char *b, size_t b_len)
{
    size_t ka = a_len < SMTPC_SCAN_SAMPLE_MAX ? a_len : SMTPC_SCAN_SAMPLE_MAX;
    size_t kb = b_len < SMTPC_SCAN_SAMPLE_MAX ? b_len : SMTPC_SCAN_SAMPLE_MAX;
    int order = memcmp(a, b, ka < kb ? ka : kb);
    return order != 0 ? order : (ka > kb) - (ka < kb);
}

/* Points each group's values into its key. */
static void point_values(struct smtpc_scan_group_item *item, size_t n_axes)
{
    const char *v = item->key;
    for (size_t i = 0; i < SMTPC_SCAN_MAX_AXES; i++) {
        item->group.values[i] = i < n_axes ? v : NULL;
        if (i < n_axes)
            v += strlen(v) + 1;
    }
}

static int grow_groups_table(struct smtpc_scan_groups *g, size_t needed)
{
    if (needed * 2 < g->table_size)
        return 1;
    size_t size = g->table_size ? g->table_size : FIRST_TABLE_SIZE;
    while (needed * 2 >= size)
        size *= 2;
    size_t *table = calloc(size, sizeof *table);
    if (table == NULL)
        return 0;
    for (size_t i = 0; i < g->n; i++) {
        size_t slot = (size_t)g->items[i].hash & (size - 1);
        while (table[slot] != 0)
            slot = (slot + 1) & (size - 1);
        table[slot] = i + 1;
    }
    free(g->table);
    g->table = table;
    g->table_size = size;
    return 1;
}

/* The slot of the group with `key`, or of the empty slot where it goes; the table has room. */
static size_t find_slot(const struct smtpc_scan_groups *g, const char *key, size_t key_len,
                        uint64_t hash)
{
    size_t slot = (size_t)hash & (g->table_size - 1);
    for (; g->table[slot] != 0; slot = (slot + 1) & (g->table_size - 1)) {
        const struct smtpc_scan_group_item *item = &g->items[g->table[slot] - 1];
        if (item->hash == hash && item->key_len == key_len && memcmp(item->key, key, key_len) == 0)
            break;
    }
    return slot;
}

static char *copy_bytes(const char *p, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, p, len);
        copy[len] = '\0';
    }
    return copy;
}

/* A new group in `slot`, keyed by a copy of `key`, showing a copy of the sample. */
static struct smtpc_scan_group_item *new_group(struct smtpc_scan_groups *g, size_t slot,
                                               const char *key, size_t key_len, uint64_t hash,
                                               const char *sample, size_t sample_len)
{
    if (g->n == g->cap) {
        void *items = smtpc_array_grow(g->items, &g->cap, sizeof *g->items, 32);
        if (items == NULL)
            return NULL;
        g->items = items;
        for (size_t i = 0; i < g->n; i++)
            point_values(&g->items[i], g->n_axes);
    }
    size_t keep = sample_len < SMTPC_SCAN_SAMPLE_MAX ? sample_len : SMTPC_SCAN_SAMPLE_MAX;
    struct smtpc_scan_group_item *item = &g->items[g->n];
    memset(item, 0, sizeof *item);
    item->key = copy_bytes(key, key_len);
    item->group.sample = copy_bytes(sample, keep);
    if (item->key == NULL || item->group.sample == NULL) {
        free(item->key);
        free((char *)item->group.sample);
        return NULL;
    }
    item->key_len = key_len;
    item->hash = hash;
    item->group.sample_len = keep;
    point_values(item, g->n_axes);
    g->table[slot] = ++g->n;
    return item;
}

/* Makes the group show `sample` when it comes first (smtpc_sample_order()). */
static int show_least_sample(smtpc_scan_group *group, const char *sample, size_t sample_len)
{
    if (smtpc_sample_order(sample, sample_len, group->sample, group->sample_len) >= 0)
        return 0;
    size_t keep = sample_len < SMTPC_SCAN_SAMPLE_MAX ? sample_len : SMTPC_SCAN_SAMPLE_MAX;
    char *copy = copy_bytes(sample, keep);
    if (copy == NULL)
        return SMTPC_ENOMEM;
    free((char *)group->sample);
    group->sample = copy;
    group->sample_len = keep;
    return 0;
}

int smtpc_groups_count(struct smtpc_scan_groups *g, const struct smtpc_scan_attempt *a)
{
    g->attempts++;
    g->outcomes[a->outcome]++;
    if (g->n_axes == 0)
        return 0;
    struct smtpc_buf key;
    smtpc_buf_init(&key);
    for (size_t i = 0; i < g->n_axes; i++)
        put_axis(&key, g, g->axes[i], a);
    int rc = key.failed || !grow_groups_table(g, g->n + 1) ? SMTPC_ENOMEM : 0;
    if (rc == 0) {
        uint64_t hash = hash_bytes(key.data, key.len);
        size_t slot = find_slot(g, key.data, key.len, hash);
        struct smtpc_scan_group_item *item =
            g->table[slot] != 0
                ? &g->items[g->table[slot] - 1]
                : new_group(g, slot, key.data, key.len, hash, a->sample, a->sample_len);
        if (item == NULL)
            rc = SMTPC_ENOMEM;
        else if ((rc = show_least_sample(&item->group, a->sample, a->sample_len)) == 0) {
            item->group.count++;
            item->group.outcomes[a->outcome]++;
        }
    }
    smtpc_buf_free(&key);
    return rc;
}

const smtpc_scan_group *smtpc_groups_at(const struct smtpc_scan_groups *g, size_t index)
{
    return index < g->n ? &g->items[index].group : NULL;
}

static int compare_values(const struct smtpc_scan_groups *g, const smtpc_scan_group *a,
                          const smtpc_scan_group *b)
{
    for (size_t i = 0; i < g->n_axes; i++) {
        int order = strcmp(a->values[i], b->values[i]);
        if (order != 0)
            return order;
    }
    return 0;
}

int smtpc_groups_order(const struct smtpc_scan_groups *g, const smtpc_scan_group *a,
                       const smtpc_scan_group *b)
{
    if (g->n_axes > 0 && g->axes[0] == SMTPC_SCAN_BY_TIME)
        return compare_values(g, a, b);
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return compare_values(g, a, b);
}

/* qsort() passes no context: the groups being sorted are one scanner's at a time. */
static _Thread_local const struct smtpc_scan_groups *sorting;

static int compare_items(const void *a, const void *b)
{
    return smtpc_groups_order(sorting, &((const struct smtpc_scan_group_item *)a)->group,
                              &((const struct smtpc_scan_group_item *)b)->group);
}

/* The table indexes groups by position: it is dropped, and rebuilt by the next count. */
void smtpc_groups_sort(struct smtpc_scan_groups *g)
{
    sorting = g;
    if (g->n > 1)
        qsort(g->items, g->n, sizeof *g->items, compare_items);
    for (size_t i = 0; i < g->n; i++)
        point_values(&g->items[i], g->n_axes);
    free(g->table);
    g->table = NULL;
    g->table_size = 0;
}

int smtpc_groups_same_shape(const struct smtpc_scan_groups *a, const struct smtpc_scan_groups *b)
{
    return a->n_axes == b->n_axes && memcmp(a->axes, b->axes, a->n_axes * sizeof *a->axes) == 0 &&
           (a->n_axes == 0 || a->bucket == b->bucket);
}

int smtpc_groups_merge(struct smtpc_scan_groups *into, const struct smtpc_scan_groups *from)
{
    /* Everything that can fail comes first: room for every group of `from`, and a copy of
     * each sample that will be shown. */
    size_t n = from->n;
    if (!grow_groups_table(into, into->n + n))
        return SMTPC_ENOMEM;
    size_t new_groups = 0;
    for (size_t i = 0; i < n; i++) {
        const struct smtpc_scan_group_item *f = &from->items[i];
        new_groups += into->table[find_slot(into, f->key, f->key_len, f->hash)] == 0;
    }
    while (into->cap < into->n + new_groups) {
        void *items = smtpc_array_grow(into->items, &into->cap, sizeof *into->items, 32);
        if (items == NULL)
            return SMTPC_ENOMEM;
        into->items = items;
        for (size_t i = 0; i < into->n; i++)
            point_values(&into->items[i], into->n_axes);
    }
    char **keys = calloc(n > 0 ? n : 1, sizeof *keys);
    char **samples = calloc(n > 0 ? n : 1, sizeof *samples);
    int ok = keys != NULL && samples != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        const struct smtpc_scan_group_item *f = &from->items[i];
        size_t slot = find_slot(into, f->key, f->key_len, f->hash);
        const smtpc_scan_group *shown =
            into->table[slot] != 0 ? &into->items[into->table[slot] - 1].group : NULL;
        if (shown == NULL) {
            keys[i] = copy_bytes(f->key, f->key_len);
            ok = keys[i] != NULL;
        }
        if (ok && (shown == NULL || smtpc_sample_order(f->group.sample, f->group.sample_len,
                                                       shown->sample, shown->sample_len) < 0)) {
            samples[i] = copy_bytes(f->group.sample, f->group.sample_len);
            ok = samples[i] != NULL;
        }
    }
    if (!ok) {
        for (size_t i = 0; keys != NULL && samples != NULL && i < n; i++) {
            free(keys[i]);
            free(samples[i]);
        }
        free(keys);
        free(samples);
        return SMTPC_ENOMEM;
    }
    /* Nothing fails from here on; `from` may be `into`, whose counts are read before they
     * change and which gains no group. */
    into->attempts += from->attempts;
    for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++)
        into->outcomes[o] += from->outcomes[o];
    for (size_t i = 0; i < n; i++) {
        const struct smtpc_scan_group_item *f = &from->items[i];
        size_t slot = find_slot(into, f->key, f->key_len, f->hash);
        struct smtpc_scan_group_item *item;
        if (into->table[slot] == 0) {
            item = &into->items[into->n];
            memset(item, 0, sizeof *item);
            item->key = keys[i];
            item->key_len = f->key_len;
            item->hash = f->hash;
            point_values(item, into->n_axes);
            into->table[slot] = ++into->n;
        } else {
            item = &into->items[into->table[slot] - 1];
        }
        if (samples[i] != NULL) {
            free((char *)item->group.sample);
            item->group.sample = samples[i];
            item->group.sample_len = f->group.sample_len;
        }
        unsigned long long count = f->group.count;
        unsigned long long outcomes[SMTPC_SCAN_OUTCOMES];
        memcpy(outcomes, f->group.outcomes, sizeof outcomes);
        item->group.count += count;
        for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++)
            item->group.outcomes[o] += outcomes[o];
    }
    free(keys);
    free(samples);
    smtpc_groups_sort(into);
    return 0;
}

int smtpc_groups_add(struct smtpc_scan_groups *g, const char *const *values, const size_t *lens,
                     unsigned long long count, const unsigned long long *outcomes,
                     const char *sample, size_t sample_len)
{
    struct smtpc_buf key;
    smtpc_buf_init(&key);
    for (size_t i = 0; i < g->n_axes; i++) {
        smtpc_buf_append(&key, values[i], lens[i]);
        smtpc_buf_putc(&key, '\0');
    }
    int rc = key.failed || !grow_groups_table(g, g->n + 1) ? SMTPC_ENOMEM : 0;
    if (rc == 0) {
        uint64_t hash = hash_bytes(key.data, key.len);
        size_t slot = find_slot(g, key.data, key.len, hash);
        struct smtpc_scan_group_item *item = NULL;
        if (g->table[slot] != 0)
            rc = SMTPC_EINVAL;
        else if ((item = new_group(g, slot, key.data, key.len, hash, sample, sample_len)) == NULL)
            rc = SMTPC_ENOMEM;
        else {
            item->group.count = count;
            memcpy(item->group.outcomes, outcomes, sizeof item->group.outcomes);
        }
    }
    smtpc_buf_free(&key);
    return rc;
}

void smtpc_groups_add_totals(struct smtpc_scan_groups *g, unsigned long long attempts,
                             const unsigned long long *outcomes)
{
    g->attempts += attempts;
    for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++)
        g->outcomes[o] += outcomes[o];
}

/* ---- the senders of queue IDs ---- */

static struct smtpc_sender *sender_slot(const struct smtpc_sender_table *t, const char *id,
                                        size_t len, uint64_t hash)
{
    if (t->size == 0)
        return NULL;
    for (size_t slot = (size_t)hash & (t->size - 1);; slot = (slot + 1) & (t->size - 1)) {
        struct smtpc_sender *e = &t->items[slot];
        if (e->id == NULL && !e->removed)
            return e;
        if (e->id != NULL && e->hash == hash && strlen(e->id) == len && memcmp(e->id, id, len) == 0)
            return e;
    }
}

/* Makes room for one more entry: the live entries move to a table twice their number. */
static int grow_senders(struct smtpc_sender_table *t)
{
    if ((t->used + 1) * 2 < t->size)
        return 1;
    size_t size = FIRST_TABLE_SIZE;
    while ((t->live + 1) * 4 >= size)
        size *= 2;
    struct smtpc_sender *items = calloc(size, sizeof *items);
    if (items == NULL)
        return 0;
    for (size_t i = 0; i < t->size; i++) {
        if (t->items[i].id == NULL)
            continue;
        size_t slot = (size_t)t->items[i].hash & (size - 1);
        while (items[slot].id != NULL)
            slot = (slot + 1) & (size - 1);
        items[slot] = t->items[i];
    }
    free(t->items);
    t->items = items;
    t->size = size;
    t->used = t->live;
    return 1;
}

int smtpc_groups_remember_sender(struct smtpc_scan_groups *g, struct smtpc_log_span queue_id,
                                 struct smtpc_log_span sender)
{
    if (queue_id.len == 0 || queue_id.len > QUEUE_ID_MAX)
        return 0;
    struct smtpc_senders *s = &g->senders;
    if (s->current.live >= SMTPC_SENDERS_GENERATION) {
        free_sender_table(&s->older);
        s->older = s->current;
        memset(&s->current, 0, sizeof s->current);
    }
    if (!grow_senders(&s->current))
        return SMTPC_ENOMEM;
    uint64_t hash = hash_bytes(queue_id.p, queue_id.len);
    struct smtpc_sender *e = sender_slot(&s->current, queue_id.p, queue_id.len, hash);
    struct smtpc_buf entry;
    smtpc_buf_init(&entry);
    put_value(&entry, queue_id.p, queue_id.len, 0);
    if (sender.len == 0)
        put_value(&entry, "<>", 2, 0);
    else
        put_value(&entry, domain_of(sender).p, domain_of(sender).len, 1);
    char *id = smtpc_buf_take(&entry, NULL);
    if (id == NULL)
        return SMTPC_ENOMEM;
    if (e->id == NULL) {
        s->current.live++;
        s->current.used++;
    }
    free(e->id);
    *e = (struct smtpc_sender){id, 0, hash};
    return 0;
}

static void forget_in(struct smtpc_sender_table *t, struct smtpc_log_span queue_id, uint64_t hash)
{
    struct smtpc_sender *e = sender_slot(t, queue_id.p, queue_id.len, hash);
    if (e == NULL || e->id == NULL)
        return;
    free(e->id);
    e->id = NULL;
    e->removed = 1;
    t->live--;
}

void smtpc_groups_forget_sender(struct smtpc_scan_groups *g, struct smtpc_log_span queue_id)
{
    if (queue_id.len == 0 || queue_id.len > QUEUE_ID_MAX)
        return;
    uint64_t hash = hash_bytes(queue_id.p, queue_id.len);
    forget_in(&g->senders.current, queue_id, hash);
    forget_in(&g->senders.older, queue_id, hash);
}

static const char *sender_domain_of(const struct smtpc_scan_groups *g,
                                    struct smtpc_log_span queue_id)
{
    if (queue_id.len == 0 || queue_id.len > QUEUE_ID_MAX)
        return NULL;
    uint64_t hash = hash_bytes(queue_id.p, queue_id.len);
    const struct smtpc_sender *e = sender_slot(&g->senders.current, queue_id.p, queue_id.len, hash);
    if (e == NULL || e->id == NULL)
        e = sender_slot(&g->senders.older, queue_id.p, queue_id.len, hash);
    return e != NULL && e->id != NULL ? e->id + strlen(e->id) + 1 : NULL;
}
