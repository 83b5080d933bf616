/* json_dump: the compact JSON text of a jansson value, written straight
 * into a struct buf.
 *
 * The text is byte for byte what json_dumps(v, JSON_COMPACT |
 * JSON_ENCODE_ANY) gives for a value built through jansson's checked
 * constructors (valid UTF-8): keys in insertion order, no spaces, ", \ and
 * control characters escaped (\b \f \n \r \t by name, the others as \u00XX
 * in upper-case hex), everything else written as it is, reals as "%.17g"
 * with ".0" added when that reads as an integer and the exponent without
 * its "+" and leading zeros. Signed envelopes depend on that sameness; a
 * unit test checks it over JSONTestSuite, the naughty strings and random
 * values.
 *
 * jansson's dumper calls back for every token and walks strings code point
 * by code point; a departure writes three documents and its answer, a
 * manifest a thousand and more, and that showed as a fifth of the server's
 * time. Here a string is copied in runs between the bytes that need
 * escaping. Recursion is bounded by JSON_DUMP_DEPTH. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"

/* Deeper values are refused (ERR_LIMIT); decoded input is bounded far
 * below (LIMIT_JSON_DEPTH). */
#define JSON_DUMP_DEPTH 512

/* 1 for the bytes a JSON string cannot hold as they are. */
static const unsigned char needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

static int put_string(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    int r = buf_putc(b, '"');
    size_t run = 0;
    if (r != 0)
        return r;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!needs_escape[c])
            continue;
        if (i > run && (r = buf_append(b, s + run, i - run)) != 0)
            return r;
        run = i + 1;
        char esc[6] = {'\\', 0, '0', '0', 0, 0};
        size_t n = 2;
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        if ((r = buf_append(b, esc, n)) != 0)
            return r;
    }
    if (len > run && (r = buf_append(b, s + run, len - run)) != 0)
        return r;
    return buf_putc(b, '"');
}

static int put_integer(struct buf *b, json_int_t v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    /* in unsigned arithmetic, so that the most negative value has a magnitude */
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        *--p = '-';
    return buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* A real as jansson writes one: "%.17g"; ".0" added when neither a point
 * nor an exponent shows; the exponent without "+" and leading zeros. */
static int put_real(struct buf *b, double v)
{
    char t[40];
    int n = snprintf(t, sizeof t - 3, "%.17g", v);
    if (n < 0 || (size_t)n >= sizeof t - 3)
        return ERR_LIMIT;
    size_t len = (size_t)n;
    char *e = strchr(t, 'e');
    if (e == NULL && strchr(t, '.') == NULL) {
        memcpy(t + len, ".0", 3);
        len += 2;
    }
    if (e != NULL) {
        char *from = e + 1, *to = e + 1;
        if (*from == '-')
            from++, to++;
        else if (*from == '+')
            from++;
        while (*from == '0' && from[1] != '\0')
            from++;
        if (from != to) {
            memmove(to, from, strlen(from) + 1);
            len = strlen(t);
        }
    }
    return buf_append(b, t, len);
}

/* jansson's object iterator takes a mutable value; nothing here writes. */
static json_t *readable(const json_t *v)
{
    union {
        const json_t *c;
        json_t *m;
    } u = {.c = v};
    return u.m;
}

static int put_value(struct buf *b, const json_t *v, int depth)
{
    if (depth > JSON_DUMP_DEPTH)
        return ERR_LIMIT;
    int r = 0;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        r = buf_putc(b, '{');
        for (void *it = json_object_iter(readable(v)), *first = it; it != NULL && r == 0;
             it = json_object_iter_next(readable(v), it)) {
            if (it != first)
                r = buf_putc(b, ',');
            if (r == 0)
                r = put_string(b, json_object_iter_key(it), json_object_iter_key_len(it));
            if (r == 0)
                r = buf_putc(b, ':');
            if (r == 0)
                r = put_value(b, json_object_iter_value(it), depth + 1);
        }
        return r != 0 ? r : buf_putc(b, '}');
    case JSON_ARRAY:
        r = buf_putc(b, '[');
        for (size_t i = 0; i < json_array_size(v) && r == 0; i++) {
            if (i > 0)
                r = buf_putc(b, ',');
            if (r == 0)
                r = put_value(b, json_array_get(v, i), depth + 1);
        }
        return r != 0 ? r : buf_putc(b, ']');
    case JSON_STRING:
        return put_string(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return put_integer(b, json_integer_value(v));
    case JSON_REAL:
        return put_real(b, json_real_value(v));
    case JSON_TRUE:
        return buf_append(b, "true", 4);
    case JSON_FALSE:
        return buf_append(b, "false", 5);
    case JSON_NULL:
        return buf_append(b, "null", 4);
    }
    return ERR_INVALID;
}

int json_dump_buf(const json_t *v, struct buf *b)
{
    if (v == NULL)
        return ERR_INVALID;
    size_t at = b->len;
    int r = put_value(b, v, 0);
    if (r != 0) { /* nothing half-written is left behind */
        b->len = at;
        if (b->data != NULL)
            b->data[at] = '\0';
    }
    return r;
}

char *json_dump_str(const json_t *v)
{
    struct buf b;
    buf_init(&b, SIZE_MAX / 2);
    if (json_dump_buf(v, &b) != 0) {
        buf_free(&b);
        return NULL;
    }
    char *s = buf_steal(&b, NULL);
    return s != NULL ? s : strdup("");
}
