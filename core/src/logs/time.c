/*
 * time.c - the timestamps of log lines, in seconds since 1970-01-01 UTC. Dates become days by
 * civil-calendar arithmetic (the proleptic Gregorian calendar), not by the C library: its
 * time-zone functions depend on the process's TZ and locale, and a reader must give the same
 * answer everywhere.
 */
#include "logs_internal.h"

#include "../internal.h"

#include <string.h>

/* A broken-down time as written, before it is checked. */
struct civil_time {
    long year;
    int month, day, hour, minute, second;
    long offset; /* seconds east of UTC */
};

/* The value of the `n` digits at `p`, or -1 when one of them is not a digit. */
static long read_digits(const char *p, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!smtpc_is_digit(p[i]))
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

static int is_leap_year(long year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(long year, int month)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to the date: the year is counted from March so that the leap day is
 * the last of its year, and eras of 400 years (146097 days) repeat exactly. */
static long long days_from_civil(long year, int month, int day)
{
    long y = month <= 2 ? year - 1 : year;
    long era = (y >= 0 ? y : y - 399) / 400;
    long year_of_era = y - era * 400;
    long day_of_year = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return (long long)era * 146097 + day_of_era - 719468;
}

/* Checks every field and converts. A leap second (:60) is read as :59: the seconds since the
 * epoch do not count leap seconds (POSIX), so 23:59:60 has no number of its own. */
static int to_seconds(long long *out, const struct civil_time *t)
{
    if (t->month < 1 || t->month > 12 || t->day < 1 || t->day > days_in_month(t->year, t->month) ||
        t->hour < 0 || t->hour > 23 || t->minute < 0 || t->minute > 59 || t->second < 0 ||
        t->second > 60)
        return -1;
    int second = t->second == 60 ? 59 : t->second;
    *out = days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600L + t->minute * 60L +
           second - t->offset;
    return 0;
}

/* "HH:MM:SS" at `p`. */
static int read_clock(struct civil_time *t, const char *p, size_t len)
{
    if (len < 8 || p[2] != ':' || p[5] != ':')
        return -1;
    long h = read_digits(p, 2), m = read_digits(p + 3, 2), s = read_digits(p + 6, 2);
    if (h < 0 || m < 0 || s < 0)
        return -1;
    t->hour = (int)h;
    t->minute = (int)m;
    t->second = (int)s;
    return 0;
}

/* The zone after an ISO 8601 time: "Z", "+HH:MM" or "+HHMM" (RFC 3339 section 5.6 writes the
 * colon; Exim's log_timezone does not), the whole rest of the text. */
static int read_zone(struct civil_time *t, const char *p, size_t len)
{
    if (len == 1 && (p[0] == 'Z' || p[0] == 'z'))
        return 0;
    if (len != 5 && len != 6)
        return -1;
    if (p[0] != '+' && p[0] != '-')
        return -1;
    if (len == 6 && p[3] != ':')
        return -1;
    long h = read_digits(p + 1, 2), m = read_digits(p + len - 2, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59)
        return -1;
    t->offset = (h * 3600 + m * 60) * (p[0] == '-' ? -1 : 1);
    return 0;
}

/* "2024-11-23T10:00:05.123456+01:00", "2024-11-23 10:00:05 +0100", "2024-11-23 10:00:05". */
static int read_iso(struct civil_time *t, const char *p, size_t len)
{
    if (len < 19 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != 't' && p[10] != ' '))
        return -1;
    long y = read_digits(p, 4), mo = read_digits(p + 5, 2), d = read_digits(p + 8, 2);
    if (y < 0 || mo < 0 || d < 0 || read_clock(t, p + 11, len - 11) != 0)
        return -1;
    t->year = y;
    t->month = (int)mo;
    t->day = (int)d;
    size_t at = 19;
    if (at < len && (p[at] == '.' || p[at] == ',')) {
        size_t digits = 0;
        while (at + 1 + digits < len && smtpc_is_digit(p[at + 1 + digits]))
            digits++;
        if (digits == 0)
            return -1;
        at += 1 + digits;
    }
    if (at == len)
        return 0;
    if (p[at] == ' ' && p[10] == ' ')
        at++;
    return read_zone(t, p + at, len - at);
}

/* "Nov 23 10:02:11" (RFC 3164 section 4.1.2: the day padded with a space to two characters). */
static int read_syslog(struct civil_time *t, const char *p, size_t len, int year)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (len != 15 || p[3] != ' ' || p[6] != ' ' || year < 1 || year > 9999)
        return -1;
    int month = 0;
    for (int i = 0; i < 12; i++) {
        if (memcmp(months + 3 * i, p, 3) == 0)
            month = i + 1;
    }
    long d = p[4] == ' ' ? read_digits(p + 5, 1) : read_digits(p + 4, 2);
    if (month == 0 || d < 0 || read_clock(t, p + 7, len - 7) != 0)
        return -1;
    t->year = year;
    t->month = month;
    t->day = (int)d;
    return 0;
}

/* The length of the run of 1 to `max` digits at `p`, or 0. */
static size_t digit_run(const char *p, size_t len, size_t max)
{
    size_t n = 0;
    while (n < len && n < max && smtpc_is_digit(p[n]))
        n++;
    return n < len && smtpc_is_digit(p[n]) ? 0 : n;
}

/* "11/23/2024 10:00:05 AM" or "11/23/2024 22:00:05": the US form of Exchange Online's exports,
 * month first, the hour of a 12-hour clock when AM or PM follows. */
static int read_us(struct civil_time *t, const char *p, size_t len)
{
    size_t at = 0, n;
    long field[3];
    for (int i = 0; i < 3; i++) {
        n = digit_run(p + at, len - at, i == 2 ? 4 : 2);
        if (n == 0 || (i == 2 && n != 4))
            return -1;
        field[i] = read_digits(p + at, n);
        at += n;
        if (at >= len || p[at] != (i < 2 ? '/' : ' '))
            return -1;
        at++;
    }
    n = digit_run(p + at, len - at, 2);
    if (n == 0 || at + n >= len || p[at + n] != ':')
        return -1;
    long hour = read_digits(p + at, n);
    at += n + 1;
    if (len - at < 5 || p[at + 2] != ':')
        return -1;
    long m = read_digits(p + at, 2), s = read_digits(p + at + 3, 2);
    if (m < 0 || s < 0)
        return -1;
    at += 5;
    if (at < len) {
        if (len - at != 3 || p[at] != ' ' || (p[at + 2] != 'M' && p[at + 2] != 'm'))
            return -1;
        char half = smtpc_to_upper(p[at + 1]);
        if ((half != 'A' && half != 'P') || hour < 1 || hour > 12)
            return -1;
        hour = hour % 12 + (half == 'P' ? 12 : 0);
    }
    t->month = (int)field[0];
    t->day = (int)field[1];
    t->year = field[2];
    t->hour = (int)hour;
    t->minute = (int)m;
    t->second = (int)s;
    return 0;
}

int smtpc_log_time(long long *out, const char *p, size_t len, int year)
{
    struct civil_time t = {0};
    int rc;
    if (p == NULL || len < 3)
        return -1;
    if (smtpc_is_upper(p[0]))
        rc = read_syslog(&t, p, len, year);
    else if (memchr(p, '/', len < 3 ? len : 3) != NULL)
        rc = read_us(&t, p, len);
    else
        rc = read_iso(&t, p, len);
    long long seconds;
    if (rc != 0 || to_seconds(&seconds, &t) != 0)
        return -1;
    *out = seconds;
    return 0;
}
