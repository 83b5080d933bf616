/* envelope_int: helpers shared by the envelope, batch, receipt and
 * checkpoint codecs (src/domain/envelope*.c, exlog.c): a bounded read
 * cursor, big-endian writers and the character-set checks of
 * docs/PROTOCOL.md. Not part of the public API. */
#ifndef LINTAS_DOMAIN_ENVELOPE_INT_H
#define LINTAS_DOMAIN_ENVELOPE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define ENVELOPE_MAGIC_LEN 10

enum {
    ENVELOPE_CLS_NODE = 1, /* node ids and namespaces: A-Z a-z 0-9 . _ - */
    ENVELOPE_CLS_TYPE = 2, /* type names: a-z 0-9 . _ */
};

/* A read cursor over p[0..len); off never exceeds len. */
struct envelope_cursor {
    const unsigned char *p;
    size_t len;
    size_t off;
};

/* Each reader returns false, consuming nothing useful, when the bytes run out. */
bool envelope_get(struct envelope_cursor *c, void *out, size_t n);
bool envelope_get_u32(struct envelope_cursor *c, uint32_t *v);
bool envelope_get_u64(struct envelope_cursor *c, uint64_t *v);
/* Reads a str8 of at most max bytes in class cls into out (size max + 1). */
bool envelope_get_str8(struct envelope_cursor *c, char *out, size_t max, int cls);

/* True when s[0..len) has 1..max bytes, all in class cls. */
bool envelope_text_ok(const char *s, size_t len, size_t max, int cls);

void envelope_put_u64(unsigned char *p, uint64_t v);
/* Appends a u8 length and the text (the caller checked it is <= 255 bytes). */
int envelope_put_str8(struct buf *b, const char *s);

#endif
