/* timeutil: clocks, civil dates and ISO 8601 text. Pure arithmetic on the
 * proleptic Gregorian calendar; all times are UTC. Thread-safe. */
#ifndef LINTAS_UTIL_TIMEUTIL_H
#define LINTAS_UTIL_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the Unix epoch (wall clock). */
int64_t time_now_ms(void);
/* Monotonic milliseconds and microseconds, for durations. */
int64_t time_mono_ms(void);
int64_t time_mono_us(void);

bool time_is_leap(int year);
/* Days in month (1-12) of year; 0 for a bad month. */
int time_days_in_month(int year, int month);
/* True when year-month-day is a real calendar date (year 1-9999). */
bool time_valid_date(int year, int month, int day);
/* Days since 1970-01-01 for a civil date, and back. */
int64_t time_days_from_civil(int year, int month, int day);
void time_civil_from_days(int64_t days, int *year, int *month, int *day);

/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (25 bytes with NUL) for ms since epoch. */
void time_format_iso(char out[32], int64_t ms);
/* Writes "YYYY-MM-DD" (11 bytes with NUL). */
void time_format_date(char out[16], int64_t ms);

/* Parses "YYYY-MM-DD" into days since the epoch; ERR_INVALID otherwise. */
int time_parse_date(const char *s, int64_t *days);
/* Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[.mmm]Z" into ms since the
 * epoch; ERR_INVALID otherwise. */
int time_parse_iso(const char *s, int64_t *ms);

#endif
