/* timeutil: clocks and Gregorian calendar arithmetic (days-from-civil
 * algorithm on 400-year eras). */
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/errors.h"

int64_t time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool time_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int time_days_in_month(int year, int month)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && time_is_leap(year) ? 29 : dm[month - 1];
}

bool time_valid_date(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && day >= 1 && day <= time_days_in_month(year, month);
}

int64_t time_days_from_civil(int year, int month, int day)
{
    int64_t y = month <= 2 ? year - 1 : year;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void time_civil_from_days(int64_t days, int *year, int *month, int *day)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = m;
    *day = d;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void time_format_iso(char out[32], int64_t ms)
{
    int64_t days = floor_div(ms, 86400000);
    int64_t rem = ms - days * 86400000;
    int y, mo, d;
    time_civil_from_days(days, &y, &mo, &d);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, (int)(rem / 3600000),
             (int)(rem / 60000 % 60), (int)(rem / 1000 % 60), (int)(rem % 1000));
}

void time_format_date(char out[16], int64_t ms)
{
    int y, mo, d;
    time_civil_from_days(floor_div(ms, 86400000), &y, &mo, &d);
    snprintf(out, 16, "%04d-%02d-%02d", y, mo, d);
}

/* Reads exactly n digits at s into *v. */
static bool digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

int time_parse_date(const char *s, int64_t *days)
{
    int y, m, d;
    *days = 0;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
        !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d) || !time_valid_date(y, m, d))
        return ERR_INVALID;
    *days = time_days_from_civil(y, m, d);
    return 0;
}

int time_parse_iso(const char *s, int64_t *ms)
{
    int64_t days;
    char date[11];
    *ms = 0;
    size_t len = strlen(s);
    if (len < 10)
        return ERR_INVALID;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (time_parse_date(date, &days) < 0)
        return ERR_INVALID;
    if (len == 10) {
        *ms = days * 86400000;
        return 0;
    }
    int hh, mi, ss, frac = 0;
    const char *t = s + 10;
    if ((t[0] != 'T' && t[0] != ' ') || strlen(t) < 10 || !digits(t + 1, 2, &hh) || t[3] != ':' ||
        !digits(t + 4, 2, &mi) || t[6] != ':' || !digits(t + 7, 2, &ss))
        return ERR_INVALID;
    t += 9;
    if (*t == '.') {
        if (!digits(t + 1, 3, &frac))
            return ERR_INVALID;
        t += 4;
    }
    if (strcmp(t, "Z") != 0 || hh > 23 || mi > 59 || ss > 59)
        return ERR_INVALID;
    *ms = days * 86400000 + (int64_t)hh * 3600000 + mi * 60000 + ss * 1000 + frac;
    return 0;
}
