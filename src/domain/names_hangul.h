/* names_hangul: Korean names in Hangul romanised syllable by syllable,
 * without ICU (internal to the names module; see names_hangul.c). */
#ifndef LINTAS_DOMAIN_NAMES_HANGUL_H
#define LINTAS_DOMAIN_NAMES_HANGUL_H

#include <stdbool.h>
#include <stddef.h>

/* When w[0..len) (UTF-8, NFC) consists of Hangul syllables only, writes
 * their romanisation to out (a leading surname of a word of 3+ syllables
 * apart, in its customary spelling: "김정은" -> "kim jeongeun") and
 * returns 1. Returns 0 when w holds anything else, -1 when out is too
 * small. */
int names_hangul_word(const char *w, size_t len, char *out, size_t outsz);

#endif
