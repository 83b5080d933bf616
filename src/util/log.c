/* log: JSON-lines logging with a single write per line. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/limits.h"
#include "util/text.h"
#include "util/timeutil.h"

static int log_fd = 2;
static enum log_level log_min = LOG_INFO;

void log_setup(int fd, enum log_level min)
{
    log_fd = fd;
    log_min = min;
}

static void write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n <= 0)
            return; /* nowhere to report a failing log */
        p += n;
        len -= (size_t)n;
    }
}

void log_json_to(int fd, const char *json, size_t len)
{
    struct buf b;
    buf_init(&b, LIMIT_LOG_LINE + 1);
    if (buf_append(&b, json, len) == 0 && buf_putc(&b, '\n') == 0)
        write_all(fd, b.data, b.len);
    buf_free(&b);
}

void log_json(const char *json, size_t len)
{
    log_json_to(log_fd, json, len);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (lvl < log_min)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t mlen = (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1;
    char ts[32];
    time_format_iso(ts, time_now_ms());
    struct buf b;
    buf_init(&b, LIMIT_LOG_LINE);
    buf_printf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"", ts, names[lvl]);
    text_escape(&b, msg, mlen);
    buf_puts(&b, "\"}");
    log_json(b.data, b.len);
    buf_free(&b);
}
