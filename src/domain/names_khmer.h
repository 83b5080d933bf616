/* names_khmer: Cambodian names in Khmer script romanised without ICU
 * (internal to the names module; see names_khmer.c). */
#ifndef LINTAS_DOMAIN_NAMES_KHMER_H
#define LINTAS_DOMAIN_NAMES_KHMER_H

#include <stddef.h>

/* When w[0..len) (UTF-8) holds Khmer letters and nothing outside the Khmer
 * block (U+1780-U+17FF) but zero-width joiners and spaces, writes its
 * romanisation to out as one lowercase ASCII word ("ហ៊ុន" -> "hun") and
 * returns 1. Returns 0 when w holds anything else, -1 when out is too
 * small. */
int names_khmer_word(const char *w, size_t len, char *out, size_t outsz);

#endif
