/* names_script: what the romanisers of scripts ICU does not serve well
 * share (names_arabic.c, names_hangul.c, names_hebrew.c, names_khmer.c,
 * names_lao.c, names_thai.c; internal to the names module). */
#ifndef LINTAS_DOMAIN_NAMES_SCRIPT_H
#define LINTAS_DOMAIN_NAMES_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

/* Decodes w[0..len) into cps as code points of [lo, hi], all three-byte
 * UTF-8 (zero-width spaces and joiners are dropped); returns their number,
 * or 0 when w holds anything else, malformed UTF-8 or more than max. */
size_t names_script_decode(const char *w, size_t len, unsigned lo, unsigned hi, unsigned *cps,
                           size_t max);

/* Appends s to out (size outsz, *o bytes used, NUL kept); false when it
 * does not fit (out is then unchanged). */
bool names_script_put(char *out, size_t outsz, size_t *o, const char *s);

/* The entry of a lexicon whose key is key, or NULL: n entries of stride
 * bytes each, sorted by strcmp on their first member, a const char *. */
const void *names_script_lexicon(const void *table, size_t n, size_t stride, const char *key);

#endif
