/* text: byte-string helpers with no domain knowledge: UTF-8 validation,
 * escaping of untrusted text for logs and JSON, bounded number parsing,
 * hex, and small string utilities. All functions are thread-safe. */
#ifndef LINTAS_UTIL_TEXT_H
#define LINTAS_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). Embedded NULs make it false. */
bool text_utf8_valid(const char *s, size_t len);

/* Checks free text typed by a person (a display name, a note): valid UTF-8,
 * no NUL, no C0/C1 control characters except (when allow_newlines) \n and
 * \t, no DEL, at most max bytes. Returns NULL when acceptable, otherwise a
 * static phrase that says why ("is not valid UTF-8", ...). */
const char *text_check_free(const char *s, size_t len, size_t max, bool allow_newlines);

/* Appends s[0..len) to b, escaping control characters, backslash and double
 * quote as JSON does, and each byte of invalid UTF-8 as \xHH. Legitimate
 * non-ASCII is kept as is. Used for log lines. */
int text_escape(struct buf *b, const char *s, size_t len);

/* Parses a whole decimal integer in [min, max]. No sign other than a leading
 * '-', no spaces, no trailing data. ERR_INVALID otherwise. */
int text_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Writes 2*len lowercase hex characters and a NUL to out (size >= 2*len+1). */
void text_hex(char *out, const void *p, size_t len);
/* Decodes exactly 2*outlen hex characters from s; ERR_INVALID otherwise. */
int text_unhex(void *out, size_t outlen, const char *s);

/* Copies src into dst (size n >= 1) with truncation; always NUL-terminates.
 * Returns true when nothing was cut. */
bool text_copy(char *dst, size_t n, const char *src);
/* Copies src[0..len) without its leading and trailing spaces into dst
 * (size n >= 1), with truncation; always NUL-terminates. */
void text_copy_trimmed(char *dst, size_t n, const char *src, size_t len);

/* True when s is non-empty and only [a-z0-9_.-] (used for usernames, codes). */
bool text_is_identifier(const char *s, size_t max);
/* Problems reported one per line (several bad fields of one request) as
 * one line: the line breaks in b become "; " (as far as b's max allows). */
void text_one_line(struct buf *b);

#endif
