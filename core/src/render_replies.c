/*
 * render_replies.c - the documents about replies: a parsed reply with its verdict, and the
 * summary of a scan, each as text, Markdown, HTML and JSON.
 */
#include "render.h"

#include <stdio.h>
#include <string.h>

/* ---- the scan summary ---- */

/* HTML cells: left-aligned, as JupyterLab would otherwise right-align them, and wrapped only
 * between words. */
#define HTML_CELL "<td style=\"text-align: left; white-space: nowrap\">"
#define HTML_SAMPLE_CELL "<td style=\"text-align: left; word-break: normal\">"

static void scan_row_cells(struct smtpc_words *w, const smtpc_scan_row *row, char count[24],
                           char code[8], const char **name)
{
    snprintf(count, 24, "%llu", row->count);
    /* an attempt that got no reply is counted on code 0 */
    snprintf(code, 8, row->code != 0 ? "%d" : "-", row->code);
    *name = row->entry != NULL ? smtpc_say_entry(w, row->entry, SMTPC_TEXT_NAME)
            : row->code != 0   ? smtpc_say_template(w, SMTPC_T_REPLY_UNKNOWN_CODE)
                               : smtpc_say_template(w, SMTPC_T_SCAN_NO_REPLY);
}

/* The columns of the text table of a scan: count, code, name, enhanced code, action, reason,
 * sample. */
static const struct smtpc_column scan_columns[7] = {{10, 2, 1}, {6, 1, 0}, {32, 1, 0}, {7, 1, 0},
                                                   {9, 1, 0},  {15, 1, 0}, {0, 0, 0}};

static void table_scan_row(struct page *p, struct smtpc_words *w, const smtpc_scan_row *row)
{
    char count[24];
    char code[8];
    const char *name;
    scan_row_cells(w, row, count, code, &name);
    const char *enhanced_name =
        row->enhanced_entry != NULL ? smtpc_say_entry(w, row->enhanced_entry, SMTPC_TEXT_NAME)
                                    : "";
    struct smtpc_buf sample;
    smtpc_buf_init(&sample);
    smtpc_put_untrusted(&sample, row->sample, strlen(row->sample));
    const char *safe_sample = sample.failed || sample.data == NULL ? "" : sample.data;
    const char *cells[8] = {count,         code,
                            name,          row->enhanced,
                            enhanced_name, smtpc_enum_name(SMTPC_ENUM_ACTION, row->action),
                            row->reason,   safe_sample};
    struct smtpc_buf *b = p->b;
    switch (p->format) {
    case SMTPC_FORMAT_MARKDOWN:
        for (int i = 0; i < 8; i++) {
            smtpc_buf_puts(b, "| ");
            smtpc_put_text(p, cells[i]);
            smtpc_buf_putc(b, ' ');
        }
        smtpc_buf_puts(b, "|\n");
        break;
    case SMTPC_FORMAT_HTML:
        smtpc_buf_puts(b, "<tr>");
        for (int i = 0; i < 8; i++) {
            smtpc_buf_puts(b, i < 7 ? HTML_CELL : HTML_SAMPLE_CELL);
            smtpc_put_text(p, cells[i]);
            smtpc_buf_puts(b, "</td>");
        }
        smtpc_buf_puts(b, "</tr>\n");
        break;
    default:
    {
        const char *text_cells[7] = {count, code, name, row->enhanced[0] ? row->enhanced : "-",
                                     cells[5], row->reason[0] ? row->reason : "-", safe_sample};
        smtpc_put_row(b, scan_columns, 7, text_cells);
    }
        break;
    }
    b->failed |= sample.failed;
    smtpc_buf_free(&sample);
}

/* A failure's reason, or null for a success or an intermediate reply, which has none. */
static void put_json_reason(struct smtpc_buf *b, const char *reason)
{
    if (reason[0] == '\0')
        smtpc_buf_puts(b, ",\"reason\":null");
    else
        smtpc_json_field(b, "reason", reason, 0);
}

/* ---- delivery attempts and their groups ---- */

/* The words the tables use for the axes, in the order of enum smtpc_scan_axis. */
static const char *axis_heading(struct smtpc_words *w, int axis)
{
    static const int headings[] = {SMTPC_T_SCAN_AXIS_DOMAIN, SMTPC_T_SCAN_AXIS_RELAY,
                                   SMTPC_T_SCAN_AXIS_REASON, SMTPC_T_SCAN_AXIS_SENDER_DOMAIN,
                                   SMTPC_T_SCAN_AXIS_TIME,   SMTPC_T_SCAN_AXIS_CODE,
                                   SMTPC_T_SCAN_AXIS_MTA};
    return axis >= 0 && (size_t)axis < sizeof headings / sizeof headings[0]
               ? smtpc_say_template(w, headings[axis])
               : "";
}

/* A scan summary as rendered: the scanner, how many of its groups are shown, and the
 * language of the page. */
struct scan_view {
    const smtpc_scanner *s;
    size_t top; /* 0 for all */
    const struct smtpc_language *lang;
};

/* The groups shown: the first `top` (all when 0). */
static size_t groups_shown(const struct scan_view *v)
{
    size_t n = smtpc_scanner_group_count(v->s);
    return v->top > 0 && v->top < n ? v->top : n;
}

static void put_sample_text(struct smtpc_buf *b, const char *sample, size_t len)
{
    smtpc_put_untrusted(b, sample, len);
}

static void json_attempts(struct smtpc_buf *b, const struct scan_view *v)
{
    const smtpc_scanner *s = v->s;
    smtpc_buf_printf(b, ",\"attempts\":%llu,\"outcomes\":{", smtpc_scanner_attempts(s));
    for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++)
        smtpc_buf_printf(b, "%s\"%s\":%llu", o ? "," : "",
                         smtpc_enum_name(SMTPC_ENUM_SCAN_OUTCOME, o), smtpc_scanner_outcome(s, o));
    smtpc_buf_puts(b, "},\"by\":[");
    for (size_t i = 0; i < smtpc_scanner_axis_count(s); i++)
        smtpc_buf_printf(b, "%s\"%s\"", i ? "," : "",
                         smtpc_enum_name(SMTPC_ENUM_SCAN_AXIS, smtpc_scanner_axis(s, i)));
    smtpc_buf_printf(b, "],\"bucket\":%lld,\"groups\":[", smtpc_scanner_bucket(s));
    for (size_t i = 0; i < groups_shown(v); i++) {
        const smtpc_scan_group *g = smtpc_scanner_group(s, i);
        smtpc_buf_printf(b, "%s{\"values\":[", i ? "," : "");
        for (size_t a = 0; a < smtpc_scanner_axis_count(s); a++) {
            struct smtpc_buf value;
            smtpc_buf_init(&value);
            put_sample_text(&value, g->values[a], strlen(g->values[a]));
            smtpc_buf_puts(b, a ? "," : "");
            smtpc_put_json_string(b, value.data != NULL ? value.data : "");
            b->failed |= value.failed;
            smtpc_buf_free(&value);
        }
        smtpc_buf_printf(b, "],\"count\":%llu", g->count);
        for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++)
            smtpc_buf_printf(b, ",\"%s\":%llu", smtpc_enum_name(SMTPC_ENUM_SCAN_OUTCOME, o),
                             g->outcomes[o]);
        struct smtpc_buf sample;
        smtpc_buf_init(&sample);
        put_sample_text(&sample, g->sample, g->sample_len);
        smtpc_json_field(b, "sample", sample.data != NULL ? sample.data : "", 0);
        b->failed |= sample.failed;
        smtpc_buf_free(&sample);
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_printf(b, "],\"groups_total\":%zu", smtpc_scanner_group_count(s));
}

/* The cells of a group: its values, its counts, its sample (owned by `sample`). */
enum { GROUP_CELLS = SMTPC_SCAN_MAX_AXES + 1 + SMTPC_SCAN_OUTCOMES + 1 };

static size_t group_cells(const smtpc_scanner *s, const smtpc_scan_group *g,
                          const char *cells[GROUP_CELLS], char counts[1 + SMTPC_SCAN_OUTCOMES][24],
                          struct smtpc_buf *sample)
{
    size_t n = 0;
    for (size_t a = 0; a < smtpc_scanner_axis_count(s); a++)
        cells[n++] = g->values[a][0] != '\0' ? g->values[a] : "-";
    snprintf(counts[0], 24, "%llu", g->count);
    cells[n++] = counts[0];
    for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++) {
        snprintf(counts[o + 1], 24, "%llu", g->outcomes[o]);
        cells[n++] = counts[o + 1];
    }
    put_sample_text(sample, g->sample, g->sample_len);
    cells[n++] = sample->data != NULL ? sample->data : "";
    return n;
}

static const int count_headings[1 + SMTPC_SCAN_OUTCOMES] = {
    SMTPC_T_SCAN_ATTEMPTS, SMTPC_T_SCAN_DELIVERED, SMTPC_T_SCAN_DEFERRED, SMTPC_T_SCAN_BOUNCED,
    SMTPC_T_SCAN_REJECTED};

/* The columns of the text table of groups: each axis, the counts, the sample (`n` cells). */
static void group_columns(const smtpc_scanner *s, size_t n, struct smtpc_column *columns)
{
    size_t axes = smtpc_scanner_axis_count(s);
    for (size_t i = 0; i < n; i++) {
        struct smtpc_column count = {9, i + 2 == n ? 2 : 1, 1};
        struct smtpc_column axis = {24, 1, 0}, last = {0, 0, 0};
        columns[i] = i + 1 == n ? last : i < axes ? axis : count;
    }
}

static void put_group_row(struct page *p, const smtpc_scanner *s, const smtpc_scan_group *g)
{
    const char *cells[GROUP_CELLS];
    char counts[1 + SMTPC_SCAN_OUTCOMES][24];
    struct smtpc_buf sample;
    smtpc_buf_init(&sample);
    size_t n = group_cells(s, g, cells, counts, &sample);
    struct smtpc_buf *b = p->b;
    if (p->format == SMTPC_FORMAT_TEXT) {
        struct smtpc_column columns[GROUP_CELLS];
        group_columns(s, n, columns);
        smtpc_put_row(b, columns, n, cells);
    }
    for (size_t i = 0; i < n && p->format != SMTPC_FORMAT_TEXT; i++) {
        if (p->format == SMTPC_FORMAT_HTML) {
            smtpc_buf_puts(b, i + 1 < n ? HTML_CELL : HTML_SAMPLE_CELL);
            smtpc_put_text(p, cells[i]);
            smtpc_buf_puts(b, "</td>");
        } else {
            smtpc_buf_puts(b, "| ");
            smtpc_put_text(p, cells[i]);
            smtpc_buf_putc(b, ' ');
        }
    }
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(b, "</tr>\n");
    else if (p->format == SMTPC_FORMAT_MARKDOWN)
        smtpc_buf_puts(b, "|\n");
    b->failed |= sample.failed;
    smtpc_buf_free(&sample);
}

static void put_group_headings(struct page *p, struct smtpc_words *w, const smtpc_scanner *s)
{
    struct smtpc_buf *b = p->b;
    size_t axes = smtpc_scanner_axis_count(s);
    const char *headings[GROUP_CELLS];
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(b, "<table class=\"smtpcodes smtpcodes-groups\" style=\"word-break: "
                          "normal\">\n<tr>");
    for (size_t i = 0; i < axes + 2 + SMTPC_SCAN_OUTCOMES; i++) {
        const char *h = i < axes ? axis_heading(w, smtpc_scanner_axis(s, i))
                        : i < axes + 1 + SMTPC_SCAN_OUTCOMES
                            ? smtpc_say_template(w, count_headings[i - axes])
                            : smtpc_say_template(w, SMTPC_T_SCAN_SAMPLE);
        headings[i] = h;
        if (p->format == SMTPC_FORMAT_HTML) {
            smtpc_buf_puts(b, "<th style=\"text-align: left\">");
            smtpc_put_text(p, h);
            smtpc_buf_puts(b, "</th>");
        } else if (p->format == SMTPC_FORMAT_MARKDOWN) {
            smtpc_buf_puts(b, "| ");
            smtpc_put_text(p, h);
            smtpc_buf_putc(b, ' ');
        }
    }
    if (p->format == SMTPC_FORMAT_TEXT) {
        struct smtpc_column columns[GROUP_CELLS];
        group_columns(s, axes + 2 + SMTPC_SCAN_OUTCOMES, columns);
        smtpc_put_row(b, columns, axes + 2 + SMTPC_SCAN_OUTCOMES, headings);
    }
    if (p->format == SMTPC_FORMAT_HTML) {
        smtpc_buf_puts(b, "</tr>\n");
    } else if (p->format == SMTPC_FORMAT_MARKDOWN) {
        smtpc_buf_puts(b, "|\n");
        for (size_t i = 0; i < axes + 2 + SMTPC_SCAN_OUTCOMES; i++)
            smtpc_buf_puts(b, i >= axes && i < axes + 1 + SMTPC_SCAN_OUTCOMES ? "|---:" : "|---");
        smtpc_buf_puts(b, "|\n");
    }
}

/* The colours of the outcomes in the chart. */
static const char *const outcome_colours[SMTPC_SCAN_OUTCOMES] = {"#4c9a2a", "#e0a800", "#c0392b",
                                                                 "#7d3c98"};

/* The groups shown as horizontal bars, one segment per outcome: an SVG drawn here, so that a
 * notebook shows it without a plotting library. */
static void put_chart(struct smtpc_buf *b, const struct scan_view *v)
{
    enum { LABEL = 260, BAR = 420, ROW = 20, LEGEND = 24 };
    const smtpc_scanner *s = v->s;
    size_t n = groups_shown(v);
    if (n > 40)
        n = 40;
    unsigned long long most = 1;
    for (size_t i = 0; i < n; i++) {
        if (smtpc_scanner_group(s, i)->count > most)
            most = smtpc_scanner_group(s, i)->count;
    }
    smtpc_buf_printf(b,
                     "<svg class=\"smtpcodes-chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                     "width=\"%d\" height=\"%zu\" role=\"img\" font-family=\"sans-serif\" "
                     "font-size=\"12\">\n",
                     LABEL + BAR + 80, n * ROW + LEGEND + 4);
    for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++)
        smtpc_buf_printf(b,
                         "<rect x=\"%d\" y=\"4\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                         "<text x=\"%d\" y=\"14\">%s</text>\n",
                         LABEL + o * 100, outcome_colours[o], LABEL + o * 100 + 16,
                         smtpc_enum_name(SMTPC_ENUM_SCAN_OUTCOME, o));
    for (size_t i = 0; i < n; i++) {
        const smtpc_scan_group *g = smtpc_scanner_group(s, i);
        size_t y = LEGEND + i * ROW;
        struct smtpc_buf label;
        smtpc_buf_init(&label);
        for (size_t a = 0; a < smtpc_scanner_axis_count(s); a++) {
            smtpc_buf_puts(&label, a ? " / " : "");
            put_sample_text(&label, g->values[a][0] ? g->values[a] : "-",
                            g->values[a][0] ? strlen(g->values[a]) : 1);
        }
        smtpc_buf_printf(b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", LABEL - 6, y + 14);
        smtpc_put_escaped(b, SMTPC_FORMAT_HTML, label.data != NULL ? label.data : "");
        smtpc_buf_puts(b, "</text>");
        b->failed |= label.failed;
        smtpc_buf_free(&label);
        double x = LABEL;
        for (int o = 0; o < SMTPC_SCAN_OUTCOMES; o++) {
            double w = (double)BAR * (double)g->outcomes[o] / (double)most;
            if (g->outcomes[o] > 0)
                smtpc_buf_printf(b,
                                 "<rect x=\"%.1f\" y=\"%zu\" width=\"%.1f\" height=\"%d\" "
                                 "fill=\"%s\"><title>%s: %llu</title></rect>",
                                 x, y + 2, w, ROW - 4, outcome_colours[o],
                                 smtpc_enum_name(SMTPC_ENUM_SCAN_OUTCOME, o), g->outcomes[o]);
            x += w;
        }
        smtpc_buf_printf(b, "<text x=\"%.1f\" y=\"%zu\">%llu</text>\n", x + 4, y + 14, g->count);
    }
    smtpc_buf_puts(b, "</svg>\n");
}

/* A line of counts from template `t`, whose placeholders `names` take `counts` in turn. */
static void put_counts_line(struct page *p, struct smtpc_words *w, int t,
                            const char *const *names, const unsigned long long *counts, size_t n,
                            const char *before)
{
    char digits[6][24];
    struct smtpc_arg args[6];
    for (size_t i = 0; i < n && i < 6; i++) {
        snprintf(digits[i], sizeof digits[i], "%llu", counts[i]);
        smtpc_arg_name(&args[i], names[i]);
        args[i].value = digits[i];
    }
    struct smtpc_buf line;
    smtpc_buf_init(&line);
    smtpc_put_template(&line, w, t, args, n < 6 ? n : 6);
    if (p->format == SMTPC_FORMAT_HTML) {
        smtpc_buf_puts(p->b, "<p>");
        smtpc_put_text(p, line.data != NULL ? line.data : "");
        smtpc_buf_puts(p->b, "</p>\n");
    } else {
        smtpc_buf_printf(p->b, "%s%s\n", before, line.data != NULL ? line.data : "");
    }
    p->b->failed |= line.failed;
    smtpc_buf_free(&line);
}

static void layout_attempts(struct page *p, struct smtpc_words *w, const struct scan_view *v)
{
    const smtpc_scanner *s = v->s;
    struct smtpc_buf *b = p->b;
    if (smtpc_scanner_attempts(s) == 0 && smtpc_scanner_axis_count(s) == 0)
        return;
    static const char *const names[] = {"attempts", "delivered", "deferred", "bounced",
                                        "rejected"};
    const unsigned long long counts[] = {smtpc_scanner_attempts(s),
                                         smtpc_scanner_outcome(s, SMTPC_SCAN_DELIVERED),
                                         smtpc_scanner_outcome(s, SMTPC_SCAN_DEFERRED),
                                         smtpc_scanner_outcome(s, SMTPC_SCAN_BOUNCED),
                                         smtpc_scanner_outcome(s, SMTPC_SCAN_REJECTED)};
    put_counts_line(p, w, SMTPC_T_SCAN_ATTEMPTS_LINE, names, counts, 5, "\n");
    if (smtpc_scanner_axis_count(s) == 0)
        return;
    if (p->format != SMTPC_FORMAT_HTML)
        smtpc_buf_putc(b, '\n');
    if (p->format == SMTPC_FORMAT_HTML && groups_shown(v) > 0)
        put_chart(b, v);
    put_group_headings(p, w, s);
    for (size_t i = 0; i < groups_shown(v); i++)
        put_group_row(p, s, smtpc_scanner_group(s, i));
    if (p->format == SMTPC_FORMAT_HTML)
        smtpc_buf_puts(b, "</table>\n");
    size_t hidden = smtpc_scanner_group_count(s) - groups_shown(v);
    if (hidden > 0) {
        unsigned long long rest[2] = {hidden, 0};
        for (size_t i = groups_shown(v); i < smtpc_scanner_group_count(s); i++)
            rest[1] += smtpc_scanner_group(s, i)->count;
        static const char *const more[] = {"groups", "attempts"};
        put_counts_line(p, w, SMTPC_T_SCAN_MORE_GROUPS, more, rest, 2, "");
    }
}

static void json_scan(struct smtpc_buf *b, const void *subject)
{
    const struct scan_view *v = subject;
    const smtpc_scanner *s = v->s;
    smtpc_buf_printf(b, "{\"lines\":%llu,\"replies\":%llu,\"skipped\":%llu,\"rows\":[",
                     smtpc_scanner_lines(s), smtpc_scanner_replies(s), smtpc_scanner_skipped(s));
    for (size_t i = 0; i < smtpc_scanner_row_count(s); i++) {
        const smtpc_scan_row *row = smtpc_scanner_row(s, i);
        smtpc_buf_printf(b, "%s{\"count\":%llu,\"code\":", i ? "," : "", row->count);
        if (row->code != 0)
            smtpc_buf_printf(b, "\"%d\"", row->code);
        else
            smtpc_buf_puts(b, "null");
        smtpc_json_field(b, "name", row->entry != NULL ? row->entry->name : "", 0);
        smtpc_json_field(b, "enhanced", row->enhanced, 0);
        smtpc_json_field(b, "enhanced_entry",
                         row->enhanced_entry != NULL ? row->enhanced_entry->code : "", 0);
        smtpc_json_field(b, "enhanced_name",
                         row->enhanced_entry != NULL ? row->enhanced_entry->name : "", 0);
        smtpc_json_field(b, "action", smtpc_enum_name(SMTPC_ENUM_ACTION, row->action), 0);
        put_json_reason(b, row->reason);
        struct smtpc_buf sample;
        smtpc_buf_init(&sample);
        smtpc_put_untrusted(&sample, row->sample, strlen(row->sample));
        smtpc_json_field(b, "sample", sample.failed || sample.data == NULL ? "" : sample.data, 0);
        b->failed |= sample.failed;
        smtpc_buf_free(&sample);
        smtpc_buf_putc(b, '}');
    }
    smtpc_buf_putc(b, ']');
    json_attempts(b, v);
    smtpc_buf_puts(b, "}\n");
}

static void layout_scan(struct page *p, const void *subject)
{
    const struct scan_view *v = subject;
    const smtpc_scanner *s = v->s;
    int format = p->format;
    struct smtpc_words w;
    smtpc_words_init(&w, smtpc_scanner_db(s), v->lang);
    static const int heads[8] = {SMTPC_T_SCAN_COUNT,   SMTPC_T_COLUMN_CODE,
                                 SMTPC_T_COLUMN_NAME,  SMTPC_T_SCAN_ENHANCED,
                                 SMTPC_T_SCAN_MEANING, SMTPC_T_SCAN_ACTION,
                                 SMTPC_T_COLUMN_REASON, SMTPC_T_SCAN_SAMPLE};
    if (format == SMTPC_FORMAT_HTML) {
        smtpc_buf_puts(p->b, "<table class=\"smtpcodes smtpcodes-scan\">\n<tr>");
        for (int i = 0; i < 8; i++) {
            smtpc_buf_puts(p->b, "<th style=\"text-align: left\">");
            smtpc_put_text(p, smtpc_say_template(&w, heads[i]));
            smtpc_buf_puts(p->b, "</th>");
        }
        smtpc_buf_puts(p->b, "</tr>\n");
    } else if (format == SMTPC_FORMAT_MARKDOWN) {
        for (int i = 0; i < 8; i++) {
            smtpc_buf_puts(p->b, "| ");
            smtpc_put_text(p, smtpc_say_template(&w, heads[i]));
            smtpc_buf_putc(p->b, ' ');
        }
        smtpc_buf_puts(p->b, "|\n|---:|---|---|---|---|---|---|---|\n");
    } else {
        const char *cells[7] = {smtpc_say_template(&w, SMTPC_T_SCAN_COUNT),
                                smtpc_say_template(&w, SMTPC_T_COLUMN_CODE),
                                smtpc_say_template(&w, SMTPC_T_COLUMN_NAME),
                                smtpc_say_template(&w, SMTPC_T_SCAN_ENHANCED_SHORT),
                                smtpc_say_template(&w, SMTPC_T_SCAN_ACTION),
                                smtpc_say_template(&w, SMTPC_T_COLUMN_REASON),
                                smtpc_say_template(&w, SMTPC_T_SCAN_SAMPLE)};
        smtpc_put_row(p->b, scan_columns, 7, cells);
    }
    for (size_t i = 0; i < smtpc_scanner_row_count(s); i++)
        table_scan_row(p, &w, smtpc_scanner_row(s, i));
    if (format == SMTPC_FORMAT_HTML) {
        smtpc_buf_puts(p->b, "</table>\n");
    } else if (format == SMTPC_FORMAT_TEXT) {
        static const char *const names[] = {"lines", "replies", "distinct", "skipped"};
        const unsigned long long counts[] = {smtpc_scanner_lines(s), smtpc_scanner_replies(s),
                                             smtpc_scanner_row_count(s),
                                             smtpc_scanner_skipped(s)};
        put_counts_line(p, &w, SMTPC_T_SCAN_TOTALS, names, counts, 4, "");
    }
    layout_attempts(p, &w, v);
}

int smtpc_render_scan_in(char **out, size_t *out_len, const smtpc_scanner *s, size_t top,
                         const char *lang, size_t lang_len, int format, smtpc_error *err)
{
    if (out == NULL || s == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    const struct smtpc_language *language =
        smtpc_language_require(smtpc_scanner_db(s), lang, lang_len, err);
    if (language == NULL)
        return SMTPC_ELANG;
    struct scan_view v = {s, top, language};
    /* the JSON summary is data, in English; the pages are in the language */
    struct drawing d = {json_scan, layout_scan, &v, language->tag, language->direction};
    return smtpc_draw(out, out_len, &d, format, err);
}

int smtpc_render_scan_top(char **out, size_t *out_len, const smtpc_scanner *s, int format,
                          size_t top, smtpc_error *err)
{
    return smtpc_render_scan_in(out, out_len, s, top, NULL, 0, format, err);
}

int smtpc_render_scan(char **out, size_t *out_len, const smtpc_scanner *s, int format,
                      smtpc_error *err)
{
    return smtpc_render_scan_top(out, out_len, s, format, 0, err);
}

/* ---- a parsed reply ---- */

static void put_warning_list(struct smtpc_buf *b, int warnings, const char *separator, int quoted)
{
    int first = 1;
    for (int bit = 1; bit <= SMTPC_WARN_ENHANCED_VARIES; bit <<= 1) {
        if (!(warnings & bit))
            continue;
        smtpc_buf_puts(b, first ? "" : separator);
        smtpc_buf_printf(b, quoted ? "\"%s\"" : "%s", smtpc_enum_name(SMTPC_ENUM_WARNING, bit));
        first = 0;
    }
}

/* A reply with the verdict on it, the provider whose server sent it (NULL for none), and the
 * language of the page. */
struct reply_page {
    const smtpc_reply *r;
    smtpc_verdict v;
    const smtpc_provider *provider;
    const struct smtpc_language *lang;
};

/* The entry of the reply's enhanced code as its provider means it (smtpc_lookup_provider_closest),
 * or NULL when it has none. */
static const smtpc_entry *enhanced_entry(const struct reply_page *page)
{
    const char *enhanced = smtpc_reply_enhanced(page->r);
    const smtpc_entry *e;
    if (smtpc_lookup_provider_closest(&e, NULL, smtpc_reply_db(page->r),
                                      page->provider != NULL ? page->provider->slug : NULL,
                                      enhanced, strlen(enhanced), NULL) != 0)
        return NULL;
    return e;
}

/* Member `key` of a reply's JSON said in the words' language, marked when it fell back. */
static void put_json_said(struct smtpc_buf *b, struct smtpc_words *w, struct smtpc_marks *marks,
                          const char *key, const char *value)
{
    smtpc_mark(marks, w->fell_back, "/%s", key);
    w->fell_back = 0;
    smtpc_json_field(b, key, value, 0);
}

static void json_reply(struct smtpc_buf *b, const void *subject)
{
    const struct reply_page *page = subject;
    const smtpc_reply *r = page->r;
    const smtpc_verdict *v = &page->v;
    const smtpc_entry *e = smtpc_reply_entry(r);
    const smtpc_entry *x = enhanced_entry(page);
    struct smtpc_words w;
    smtpc_words_init(&w, smtpc_reply_db(r), page->lang);
    struct smtpc_marks marks;
    smtpc_marks_init(&marks, page->lang->tag);
    smtpc_buf_printf(b, "{\"code\":\"%d\"", smtpc_reply_code(r));
    smtpc_json_field(b, "enhanced", smtpc_reply_enhanced(r), 0);
    smtpc_buf_printf(b, ",\"class\":%d", smtpc_reply_code(r) / 100);
    smtpc_json_key(b, "lines", 0);
    smtpc_buf_putc(b, '[');
    for (size_t i = 0; i < smtpc_reply_line_count(r); i++) {
        size_t len;
        const char *line = smtpc_reply_line(r, i, &len);
        struct smtpc_buf safe;
        smtpc_buf_init(&safe);
        smtpc_put_untrusted(&safe, line, len);
        smtpc_buf_puts(b, i ? "," : "");
        smtpc_put_json_string(b, safe.failed || safe.data == NULL ? "" : safe.data);
        b->failed |= safe.failed;
        smtpc_buf_free(&safe);
    }
    smtpc_buf_puts(b, "],\"warnings\":[");
    put_warning_list(b, smtpc_reply_warnings(r), ",", 1);
    smtpc_buf_putc(b, ']');
    smtpc_json_field(b, "command", smtpc_reply_command(r), 0);
    put_json_said(b, &w, &marks, "name", e != NULL ? smtpc_say_entry(&w, e, SMTPC_TEXT_NAME) : "");
    smtpc_json_field(b, "entry", e != NULL ? e->code : "", 0);
    smtpc_json_field(b, "enhanced_entry", x != NULL ? x->code : "", 0);
    put_json_said(b, &w, &marks, "enhanced_name",
                  x != NULL ? smtpc_say_entry(&w, x, SMTPC_TEXT_NAME) : "");
    /* the verdict: action, flags, rule, explanation and the failure's reason */
    smtpc_json_field(b, "action", smtpc_enum_name(SMTPC_ENUM_ACTION, v->action), 0);
    smtpc_json_key(b, "flags", 0);
    smtpc_buf_putc(b, '[');
    for (int bit = 1, first = 1; bit <= SMTPC_VERDICT_OVERRIDDEN; bit <<= 1) {
        if (v->flags & bit) {
            smtpc_buf_printf(b, "%s\"%s\"", first ? "" : ",",
                             smtpc_enum_name(SMTPC_ENUM_VERDICT_FLAG, bit));
            first = 0;
        }
    }
    smtpc_buf_putc(b, ']');
    smtpc_json_field(b, "rule", v->rule, 0);
    put_json_said(b, &w, &marks, "explanation", smtpc_say_english(&w, v->explanation));
    put_json_reason(b, v->reason);
    smtpc_json_language(b, page->lang->tag, &marks);
    smtpc_marks_free(&marks);
    smtpc_buf_puts(b, "}\n");
}

static void layout_reply(struct page *p, const void *subject)
{
    const struct reply_page *page = subject;
    const smtpc_reply *r = page->r;
    const smtpc_verdict *v = &page->v;
    const smtpc_entry *e = smtpc_reply_entry(r);
    const smtpc_entry *x = enhanced_entry(page);
    struct smtpc_words w;
    smtpc_words_init(&w, smtpc_reply_db(r), page->lang);
    struct smtpc_buf v_text;
    smtpc_page_begin(p, "reply");
    smtpc_block_facts_begin(p);
    smtpc_buf_init(&v_text);
    smtpc_buf_printf(&v_text, "%d %s", smtpc_reply_code(r),
                     e != NULL ? smtpc_say_entry(&w, e, SMTPC_TEXT_NAME)
                               : smtpc_say_template(&w, SMTPC_T_REPLY_UNKNOWN_CODE));
    smtpc_block_fact_built_in(p, &w, SMTPC_T_FACT_REPLY, &v_text);
    if (smtpc_reply_enhanced(r)[0] != '\0') {
        smtpc_buf_init(&v_text);
        smtpc_buf_printf(&v_text, "%s %s", smtpc_reply_enhanced(r),
                         x != NULL ? smtpc_say_entry(&w, x, SMTPC_TEXT_NAME) : "");
        if (x != NULL && x->provider[0] != '\0') {
            const smtpc_provider *owner = smtpc_provider_find(smtpc_reply_db(r), x->provider);
            smtpc_buf_printf(&v_text, " (%s)", owner != NULL ? owner->name : x->provider);
        } else if (x != NULL && strcmp(x->code + 1, smtpc_reply_enhanced(r) + 1) != 0) {
            smtpc_buf_printf(&v_text, " %s", smtpc_say_template(&w, SMTPC_T_REPLY_CLOSEST));
        }
        smtpc_block_fact_built_in(p, &w, SMTPC_T_FACT_ENHANCED_CODE, &v_text);
    }
    smtpc_buf_init(&v_text);
    for (size_t i = 0; i < smtpc_reply_line_count(r); i++) {
        size_t len;
        const char *line = smtpc_reply_line(r, i, &len);
        smtpc_buf_puts(&v_text, i ? " | " : "");
        smtpc_put_untrusted(&v_text, line, len);
    }
    smtpc_block_fact_built_in(p, &w, SMTPC_T_FACT_TEXT, &v_text);
    smtpc_buf_init(&v_text);
    put_warning_list(&v_text, smtpc_reply_warnings(r), ", ", 0);
    smtpc_block_fact_built_in(p, &w, SMTPC_T_FACT_WARNINGS, &v_text);
    if (smtpc_reply_command(r)[0] != '\0')
        smtpc_block_fact_in(p, &w, SMTPC_T_FACT_IN_REPLY_TO, smtpc_reply_command(r));
    smtpc_block_fact_in(p, &w, SMTPC_T_FACT_ACTION, smtpc_enum_name(SMTPC_ENUM_ACTION, v->action));
    if (v->reason[0] != '\0')
        smtpc_block_fact_in(p, &w, SMTPC_T_FACT_REASON, v->reason);
    smtpc_block_fact_in(p, &w, SMTPC_T_FACT_EXPLANATION, smtpc_say_english(&w, v->explanation));
    smtpc_block_facts_end(p);
    smtpc_page_end(p);
}

int smtpc_render_reply(char **out, size_t *out_len, const smtpc_reply *reply, const char *command,
                       size_t command_len, int format, smtpc_error *err)
{
    return smtpc_render_reply_provider(out, out_len, reply, command, command_len, NULL, format,
                                       err);
}

int smtpc_render_reply_provider(char **out, size_t *out_len, const smtpc_reply *reply,
                                const char *command, size_t command_len, const char *provider,
                                int format, smtpc_error *err)
{
    return smtpc_render_reply_in(out, out_len, reply, command, command_len, provider, NULL, 0,
                                 format, err);
}

int smtpc_render_reply_in(char **out, size_t *out_len, const smtpc_reply *reply,
                          const char *command, size_t command_len, const char *provider,
                          const char *lang, size_t lang_len, int format, smtpc_error *err)
{
    if (out == NULL || reply == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    const smtpc_db *db = smtpc_reply_db(reply);
    const smtpc_provider *p;
    int rc = smtpc_provider_argument(&p, db, provider, err);
    if (rc != 0)
        return rc;
    const struct smtpc_language *language = smtpc_language_require(db, lang, lang_len, err);
    if (language == NULL)
        return SMTPC_ELANG;
    struct reply_page page = {reply, {0, 0, "", "", ""}, p, language};
    rc = smtpc_classify_reply(&page.v, reply, command, command_len, p, err);
    if (rc != 0)
        return rc;
    struct drawing d = {json_reply, layout_reply, &page, language->tag, language->direction};
    return smtpc_draw(out, out_len, &d, format, err);
}
