/* csv: a bounded RFC 4180 reader over a buffer in memory.
 *
 * Fields may be quoted ("a ""b"""), quoted fields may hold separators and
 * line breaks; CRLF and LF both end a record. A UTF-8 byte-order mark at the
 * start is skipped. Rows longer than LIMIT_LINE or with more than
 * LIMIT_CSV_FIELDS fields, NUL bytes, and text after a closing quote are
 * errors. Not thread-safe: one reader per thread. */
#ifndef LINTAS_UTIL_CSV_H
#define LINTAS_UTIL_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/limits.h"

struct csv {
    const char *p, *end;  /* borrowed input */
    size_t line;          /* line where the current row starts (1-based) */
    size_t next_line;
    struct buf text;      /* field text of the current row, NUL-separated */
    size_t nfields;
    size_t off[LIMIT_CSV_FIELDS];
    size_t len[LIMIT_CSV_FIELDS];
    char sep;
};

/* Starts reading data[0..len); data must outlive the reader. */
void csv_open(struct csv *c, const char *data, size_t len, char sep);
/* Reads the next row. Returns 1 with a row, 0 at the end, ERR_INVALID or
 * ERR_LIMIT on a malformed row (c->line names it). */
int csv_next(struct csv *c);
/* Field i of the current row (NUL-terminated, borrowed until the next
 * csv_next); "" past the last field. */
const char *csv_field(const struct csv *c, size_t i);
void csv_close(struct csv *c);

#endif
