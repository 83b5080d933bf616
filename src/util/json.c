/* json: strict, bounded JSON decoding on top of jansson. */
#include "util/json.h"

#include <string.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"
#include "util/text.h"

/* Measures nesting outside strings before jansson sees the text, so that a
 * deeply nested body is refused cheaply and with a clear reason. */
static bool depth_ok(const char *s, size_t len)
{
    size_t depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > LIMIT_JSON_DEPTH)
                return false;
        } else if (c == ']' || c == '}') {
            if (depth > 0)
                depth--;
        }
    }
    return true;
}

int json_decode_object(const char *data, size_t len, json_t **out, struct buf *why)
{
    *out = NULL;
    if (len == 0) {
        buf_puts(why, "body: empty, a JSON object is required");
        return ERR_INVALID;
    }
    if (!depth_ok(data, len)) {
        buf_printf(why, "body: JSON nested deeper than %u levels", LIMIT_JSON_DEPTH);
        return ERR_INVALID;
    }
    json_error_t e;
    json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
    if (v == NULL && json_error_code(&e) == json_error_null_character) {
        buf_printf(why,
                   "body: a string holds a NUL character (\\u0000), which lintas does not "
                   "accept (line %d column %d)",
                   e.line, e.column);
        return ERR_INVALID;
    }
    if (v == NULL) {
        buf_printf(why, "body: malformed JSON at line %d column %d: ", e.line, e.column);
        text_escape(why, e.text, strlen(e.text));
        return ERR_INVALID;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        buf_puts(why, "body: must be a JSON object");
        return ERR_INVALID;
    }
    *out = v;
    return 0;
}

int json_get_str(json_t *obj, const char *key, bool required, size_t max, const char **out,
                 struct buf *why)
{
    *out = NULL;
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) {
        if (!required)
            return 0;
        buf_printf(why, "field '%s': is required", key);
        return ERR_INVALID;
    }
    if (!json_is_string(v)) {
        buf_printf(why, "field '%s': must be a string", key);
        return ERR_INVALID;
    }
    size_t len = json_string_length(v);
    const char *s = json_string_value(v);
    if (len > max) {
        buf_printf(why, "field '%s': longer than %zu bytes", key, max);
        return ERR_INVALID;
    }
    if (strlen(s) != len) {
        buf_printf(why, "field '%s': contains a NUL character", key);
        return ERR_INVALID;
    }
    *out = s;
    return 0;
}

int json_get_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max,
                 int64_t dflt, int64_t *out, struct buf *why)
{
    *out = dflt;
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) {
        if (!required)
            return 0;
        buf_printf(why, "field '%s': is required", key);
        return ERR_INVALID;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        buf_printf(why, "field '%s': must be an integer from %lld to %lld", key, (long long)min,
                   (long long)max);
        return ERR_INVALID;
    }
    *out = json_integer_value(v);
    return 0;
}

int json_get_bool(json_t *obj, const char *key, bool required, bool dflt, bool *out,
                  struct buf *why)
{
    *out = dflt;
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) {
        if (!required)
            return 0;
        buf_printf(why, "field '%s': is required", key);
        return ERR_INVALID;
    }
    if (!json_is_boolean(v)) {
        buf_printf(why, "field '%s': must be true or false", key);
        return ERR_INVALID;
    }
    *out = json_is_true(v);
    return 0;
}

int json_only_keys(json_t *obj, const char *const *allowed, struct buf *why)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a != NULL && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok) {
            buf_puts(why, "field '");
            text_escape(why, key, strlen(key));
            buf_puts(why, "': unknown field");
            return ERR_INVALID;
        }
    }
    return 0;
}

