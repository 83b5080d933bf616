/* buf: the one growable, bounded byte buffer of lintas.
 *
 * Every response body, log line and encoding is built in a struct buf. A
 * buffer never grows past its max; data is always NUL-terminated after len
 * bytes (the NUL is not counted). Not thread-safe: one owner at a time. */
#ifndef LINTAS_UTIL_BUF_H
#define LINTAS_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /* owned; NULL until the first append */
    size_t len;
    size_t cap;
    size_t max; /* hard limit on len */
};

/* Initialises an empty buffer that may hold at most max bytes. */
void buf_init(struct buf *b, size_t max);
/* Frees the data and leaves an empty buffer with the same max. NULL is a no-op. */
void buf_free(struct buf *b);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Appends len bytes. ERR_LIMIT past max, ERR_NOMEM; the buffer is unchanged on error. */
int buf_append(struct buf *b, const void *p, size_t len);
/* Makes room for len more bytes at once (a known total, rather than growth
 * by doubling). ERR_LIMIT past max, ERR_NOMEM. */
int buf_room(struct buf *b, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Returns the NUL-terminated contents ("" when empty). Borrowed. */
const char *buf_cstr(const struct buf *b);
/* Hands the data to the caller (who frees it) and empties the buffer. */
char *buf_steal(struct buf *b, size_t *len);

#endif
