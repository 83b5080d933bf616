/* json: bounded decoding of untrusted JSON with jansson, and small getters
 * that name the offending field in their error message.
 *
 * Error strings are written to a caller's struct buf (why), in the form
 * "field 'x': must be a string". Thread-safe. */
#ifndef LINTAS_UTIL_JSON_H
#define LINTAS_UTIL_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* Decodes data[0..len) as one JSON object: well-formed UTF-8, no NUL in
 * strings, nesting at most LIMIT_JSON_DEPTH, no duplicate keys, nothing after
 * it. On success *out is a new reference. ERR_INVALID with why otherwise. */
int json_decode_object(const char *data, size_t len, json_t **out, struct buf *why);

/* Reads obj[key] as a string of at most max bytes of valid UTF-8. Absent or
 * null: *out = NULL and 0 unless required (then ERR_INVALID). The string is
 * borrowed from obj. */
int json_get_str(json_t *obj, const char *key, bool required, size_t max, const char **out,
                 struct buf *why);
/* Reads obj[key] as an integer in [min, max]; absent: *out = dflt. */
int json_get_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max,
                 int64_t dflt, int64_t *out, struct buf *why);
/* Reads obj[key] as a boolean; absent: *out = dflt. */
int json_get_bool(json_t *obj, const char *key, bool required, bool dflt, bool *out,
                  struct buf *why);
/* Fails naming the first key of obj that is not in the NULL-terminated list. */
int json_only_keys(json_t *obj, const char *const *allowed, struct buf *why);

/* Appends the compact text of v to b: byte for byte json_dumps(v,
 * JSON_COMPACT | JSON_ENCODE_ANY), keys in insertion order, but written
 * directly (json_dump.c). ERR_LIMIT past b's max or deeper than 512
 * levels, ERR_NOMEM; b is unchanged on error. */
int json_dump_buf(const json_t *v, struct buf *b);
/* The same text as a new NUL-terminated string (free() it), or NULL. */
char *json_dump_str(const json_t *v);

#endif
