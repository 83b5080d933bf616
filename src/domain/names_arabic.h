/* names_arabic: names in Arabic script (Arabic, Persian, Urdu letters)
 * romanised without ICU (internal to the names module; see names_arabic.c). */
#ifndef LINTAS_DOMAIN_NAMES_ARABIC_H
#define LINTAS_DOMAIN_NAMES_ARABIC_H

#include <stddef.h>

/* When w[0..len) (UTF-8) is one word in Arabic script, writes its usual
 * Latin spelling to out as lowercase ASCII and returns 1. Returns 0 when w
 * holds anything else, -1 when out is too small. */
int names_arabic_word(const char *w, size_t len, char *out, size_t outsz);

#endif
