/* text: UTF-8 validation, escaping and bounded parsing. */
#include "util/text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/errors.h"

/* Decodes one code point at s[i]; returns its length (1-4) or 0 when the
 * bytes there are not well-formed UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len - i < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

bool text_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(u, len, i, &cp);
        if (n == 0 || cp == 0)
            return false;
        i += n;
    }
    return true;
}

const char *text_check_free(const char *s, size_t len, size_t max, bool allow_newlines)
{
    if (len > max)
        return "is too long";
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(u, len, i, &cp);
        if (n == 0)
            return "is not valid UTF-8";
        if (cp == 0)
            return "contains a NUL character";
        bool nl_ok = allow_newlines && (cp == '\n' || cp == '\t');
        if ((cp < 0x20 && !nl_ok) || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            return "contains a control character";
        i += n;
    }
    return NULL;
}

int text_escape(struct buf *b, const char *s, size_t len)
{
    static const char hexd[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    int r = 0;
    for (size_t i = 0; i < len && r == 0;) {
        uint32_t cp;
        size_t n = utf8_decode(u, len, i, &cp);
        if (n == 0) {
            char esc[4] = {'\\', 'x', hexd[u[i] >> 4], hexd[u[i] & 15]};
            r = buf_append(b, esc, 4);
            i++;
            continue;
        }
        if (cp == '"' || cp == '\\') {
            char esc[2] = {'\\', (char)cp};
            r = buf_append(b, esc, 2);
        } else if (cp == '\n') {
            r = buf_append(b, "\\n", 2);
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            char esc[6] = {'\\', 'u', '0', '0', hexd[(cp >> 4) & 15], hexd[cp & 15]};
            r = buf_append(b, esc, 6);
        } else {
            r = buf_append(b, s + i, n);
        }
        i += n;
    }
    return r;
}

int text_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    *out = 0;
    if (s == NULL || *s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
        return ERR_INVALID;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return ERR_INVALID;
    *out = v;
    return 0;
}

void text_hex(char *out, const void *p, size_t len)
{
    static const char hexd[] = "0123456789abcdef";
    const unsigned char *u = p;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hexd[u[i] >> 4];
        out[2 * i + 1] = hexd[u[i] & 15];
    }
    out[2 * len] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int text_unhex(void *out, size_t outlen, const char *s)
{
    unsigned char *u = out;
    if (strlen(s) != 2 * outlen)
        return ERR_INVALID;
    for (size_t i = 0; i < outlen; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return ERR_INVALID;
        u[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

bool text_copy(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    bool whole = len < n;
    if (!whole)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
    return whole;
}

void text_copy_trimmed(char *dst, size_t n, const char *src, size_t len)
{
    while (len > 0 && *src == ' ')
        src++, len--;
    while (len > 0 && src[len - 1] == ' ')
        len--;
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

bool text_is_identifier(const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len == 0 || len > max)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                  c == '-';
        if (!ok)
            return false;
    }
    return true;
}

void text_one_line(struct buf *b)
{
    if (b->len == 0 || memchr(b->data, '\n', b->len) == NULL)
        return;
    struct buf t;
    buf_init(&t, b->max);
    for (size_t i = 0; i < b->len; i++)
        if ((b->data[i] == '\n' ? buf_puts(&t, "; ") : buf_putc(&t, b->data[i])) != 0)
            break;
    buf_reset(b);
    buf_append(b, t.data != NULL ? t.data : "", t.len);
    buf_free(&t);
}
