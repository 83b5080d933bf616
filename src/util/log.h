/* log: JSON-lines event log on stderr (or a file), one write() per line so
 * that lines from several threads never interleave. Untrusted text passed
 * as a field is escaped (util/text). Thread-safe. */
#ifndef LINTAS_UTIL_LOG_H
#define LINTAS_UTIL_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Directs log lines to fd (default 2) and sets the lowest level written. */
void log_setup(int fd, enum log_level min);
/* Writes {"ts":…,"level":…,"msg":…} with msg formatted and escaped. */
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes one already-formed JSON object (no newline) followed by '\n'. */
void log_json(const char *json, size_t len);
/* The same, to another file descriptor (an access log). */
void log_json_to(int fd, const char *json, size_t len);

#endif
