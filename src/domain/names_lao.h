/* names_lao: Lao names in Lao script romanised without ICU (internal to
 * the names module; see names_lao.c). */
#ifndef LINTAS_DOMAIN_NAMES_LAO_H
#define LINTAS_DOMAIN_NAMES_LAO_H

#include <stddef.h>

/* When w[0..len) (UTF-8) holds Lao letters and nothing outside the Lao
 * block (U+0E80-U+0EFF) but zero-width joiners, writes its romanisation to
 * out as one lowercase ASCII word ("ສົມພອນ" -> "somphon") and returns 1.
 * Returns 0 when w holds anything else, -1 when out is too small. */
int names_lao_word(const char *w, size_t len, char *out, size_t outsz);

#endif
