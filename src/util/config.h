/* config: reads "key = value" configuration files.
 *
 * Blank lines and lines starting with '#' are ignored; keys are
 * [a-z0-9_]+; values run to the end of the line with surrounding spaces
 * removed and may be wrapped in double quotes. The file is read whole, at
 * most LIMIT_CONFIG_FILE bytes. Not thread-safe (used at start-up). */
#ifndef LINTAS_UTIL_CONFIG_H
#define LINTAS_UTIL_CONFIG_H

#include <stddef.h>

struct buf;

/* Called for each setting with its line number; returns 0 to go on or a
 * negative code to stop (after writing a reason to why). */
typedef int (*config_fn)(void *ctx, const char *key, const char *value, size_t line,
                         struct buf *why);

/* Reads path and calls fn for each setting. ERR_IO when the file cannot be
 * read, ERR_INVALID on a malformed line; why names the file and line. */
int config_read(const char *path, config_fn fn, void *ctx, struct buf *why);

/* Reads a whole small file (at most max bytes) into *out (caller frees).
 * ERR_IO, ERR_LIMIT. */
int file_read_all(const char *path, size_t max, char **out, size_t *len);

#endif
