/* names_thai: Thai names in Thai script romanised in the manner of the
 * Royal Thai General System, without ICU (internal to the names module;
 * see names_thai.c). */
#ifndef LINTAS_DOMAIN_NAMES_THAI_H
#define LINTAS_DOMAIN_NAMES_THAI_H

#include <stddef.h>

/* When w[0..len) (UTF-8) holds Thai letters and nothing outside the Thai
 * block (U+0E00-U+0E7F) but zero-width joiners, writes its romanisation to
 * out as one lowercase ASCII word ("สมชาย" -> "somchai") and returns 1.
 * Returns 0 when w holds anything else, -1 when out is too small. */
int names_thai_word(const char *w, size_t len, char *out, size_t outsz);

#endif
